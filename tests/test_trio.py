"""`hf-hub-template trio`: a model, its dataset and a Space that demos both, from one answer set, linked by
their cards; created on the (loopback) Hub in an order that keeps every link valid, and resumable."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import assert_token_absent, hf_hub_template_cli, hub_env, tracked_files
from hub_server import HubServer

NAMES = {"dataset": "sentiment-data", "model": "sentiment", "space": "sentiment-demo"}


def card(project: Path) -> dict:
    return yaml.safe_load((project / "README.md").read_text().split("---")[1])


def trio(template: Path, dest: Path, env: dict[str, str] | None, *args: str) -> subprocess.CompletedProcess[str]:
    command = [*hf_hub_template_cli(), "trio", str(dest), "--name", "sentiment"]
    return subprocess.run(
        [*command, "--template", str(template), "--vcs-ref", "HEAD", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_three_cards_link_each_other_and_the_space_demos_the_model(template, tmp_path):
    result = trio(
        template,
        tmp_path,
        None,
        "--namespace",
        "acme",
        "-d",
        "license=mit",
        "-d",
        "model.pipeline_tag=token-classification",
    )
    assert result.returncode == 0, result.stderr
    model, data, space = (tmp_path / NAMES[t] for t in ("model", "dataset", "space"))
    assert card(model)["datasets"] == ["acme/sentiment-data"]
    assert card(space)["models"] == ["acme/sentiment"] and card(space)["datasets"] == ["acme/sentiment-data"]
    assert {card(p)["license"] for p in (model, data, space)} == {"mit"}
    space_answers = yaml.safe_load((space / ".copier-answers.yml").read_text())
    assert space_answers["pipeline_tag"] == "token-classification" and space_answers["inference"] == "local"
    assert 'MODEL_ID = os.environ.get("MODEL_ID", "acme/sentiment")' in (space / "demo_model.py").read_text()
    assert 'DATASET_ID = os.environ.get("DATASET_ID", "acme/sentiment-data")' in (space / "examples.py").read_text()
    for project in (model, data, space):
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        assert answers["_src_path"] and answers["create_remote"] is False  # an ordinary Copier project
        assert tracked_files(project), "each project has its first commit"
    assert f"hf-hub-template publish {tmp_path / NAMES['dataset']} {tmp_path / NAMES['model']}" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-d", "colour=red"], "colour (did you mean color_to?) is not a question of the template"),
        (["-d", "model.licence=mit"], "-d model.licence: licence (did you mean license?) is not a question"),
        (["-d", "space.models=x/y"], "the trio sets models itself"),
    ],
)
def test_bad_trio_input_is_refused_before_anything_is_written(template, tmp_path, args, message):
    result = trio(template, tmp_path / "out", None, *args, "--namespace", "acme")
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("create", [[], ["--create-remote"]], ids=["local", "create-remote"])
def test_without_namespace_or_token_the_trio_says_what_to_do(template, tmp_path, create):
    """--namespace defaults to your login: with no token there is none to read, and one line says so."""
    env = hub_env(tmp_path, "http://127.0.0.1:9", None)  # no token; nothing listens there
    result = trio(template, tmp_path / "out", env, *create)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "hf-hub-template: no token: pass --namespace or log in (`hf auth login`, or set HF_TOKEN); "
        "the three cards link namespace/name ids"
    ]
    assert not (tmp_path / "out").exists()


def test_without_namespace_the_trio_takes_your_login(template, tmp_path, hub, token):
    result = trio(template, tmp_path / "out", hub_env(tmp_path, hub.url, token))
    assert result.returncode == 0, result.stderr
    assert card(tmp_path / "out" / NAMES["space"])["models"] == ["fakeuser/sentiment"]
    assert not [r for r in hub.requests if r.endpoint == "create"], "nothing is created without --create-remote"


def created_ids(hub: HubServer) -> list[str]:
    bodies = [json.loads(r.body) for r in hub.requests if r.endpoint == "create" and r.status == 200]
    return [f"{body.get('organization')}/{body['name']}" for body in bodies]


def test_create_remote_makes_the_three_in_link_order(template, tmp_path, hub, token):
    env = hub_env(tmp_path, hub.url, token)
    result = trio(template, tmp_path / "out", env, "--create-remote", "--no-wait")
    assert result.returncode == 0, result.stderr
    ids = [f"fakeuser/{NAMES[t]}" for t in ("dataset", "model", "space")]
    assert created_ids(hub) == ids, "dataset, then the model that links it, then the Space that links both"
    assert hub.repo("dataset", ids[0]) and hub.repo("model", ids[1]) and hub.repo("space", ids[2])
    assert b"fakeuser/sentiment-data" in hub.repo("model", ids[1]).files["README.md"]
    assert b"fakeuser/sentiment" in hub.repo("space", ids[2]).files["inference.py"]
    assert_token_absent(token, result.stdout, result.stderr, hub=hub, folders=[tmp_path / "out"])


@pytest.mark.slow  # three renders and two publishing runs each
@pytest.mark.parametrize("failing", ["dataset", "model", "space"])
def test_a_failure_at_any_step_keeps_all_three_and_one_command_resumes(template, tmp_path, hub, token, failing):
    env = hub_env(tmp_path, hub.url, token)
    ids = {t: f"fakeuser/{NAMES[t]}" for t in NAMES}
    # Every upload of that repo fails until healed: a 403, which no one retries (a 500 would be retried with
    # back-off for about 70 s; test_remote.py's retry tests wait those out once).
    hub.fail(f"commit@{ids[failing]}", 403)
    result = trio(template, tmp_path / "out", env, "--create-remote", "--no-wait")
    assert result.returncode == 1
    for name in NAMES.values():
        assert tracked_files(tmp_path / "out" / name), f"{name} was lost"
    resume = next(
        line.strip() for line in result.stderr.splitlines() if line.strip().startswith("hf-hub-template publish")
    )
    hub.heal()
    again = subprocess.run(
        [*hf_hub_template_cli(), *resume.split()[1:], "--no-wait"], env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    for repo_type, repo_id in ids.items():
        assert "README.md" in hub.repo(repo_type, repo_id).files
