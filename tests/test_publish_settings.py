"""Settings at creation: visibility, hardware, sleep time, variables and secrets travel in the one request
that creates the Space (asserted on the request body), and secret values go nowhere else."""

from __future__ import annotations

import json
import secrets
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, fake_token, git, hf_hub_template_cli, hub_env, render
from hub_server import HubServer

from hf_hub_template.git import work_tree_files
from hf_hub_template.space_settings import creation_settings, read_secrets_file


def publish(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*hf_hub_template_cli(), "publish", str(project), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def create_bodies(hub: HubServer) -> list[dict]:
    return [json.loads(r.body) for r in hub.requests if r.endpoint == "create"]


SETTINGS = {
    "space_sdk": "docker",
    "namespace": "fakeuser",
    "visibility": "protected",
    "space_hardware": "cpu-upgrade",
    "space_sleep_time": 3600,
    "space_variables": "MODE=demo, LEVEL=2",
    "space_secrets": "API_KEY",
}


def test_settings_travel_in_the_one_creation_request(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", **SETTINGS)
    env = {**hub_env(tmp_path, hub.url, token), "API_KEY": "value-" + secrets.token_hex(8)}
    result = publish(project, env, "--no-wait")
    assert result.returncode == 0, result.stderr
    (body,) = create_bodies(hub)
    assert body["visibility"] == "protected" and body["hardware"] == "cpu-upgrade"
    assert body["sleepTimeSeconds"] == 3600
    assert body["variables"] == [{"key": "MODE", "value": "demo"}, {"key": "LEVEL", "value": "2"}]
    assert body["secrets"] == [{"key": "API_KEY", "value": env["API_KEY"]}]
    # The minimum: nothing beyond create, validate, preupload and commit for these settings (then git fetches
    # the upload's commit, so main stands on it).
    assert hub.calls() == ["POST create", "POST validate", "POST preupload", "POST commit"] + [
        "GET git-refs",
        "POST git-upload-pack",
    ]
    assert "protected, hardware cpu-upgrade, sleeps after 3600 s, variables MODE, LEVEL, secrets API_KEY" in (
        result.stdout
    )


def test_defaults_request_nothing_that_costs(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", namespace="fakeuser")
    assert publish(project, hub_env(tmp_path, hub.url, token), "--no-wait").returncode == 0
    (body,) = create_bodies(hub)
    assert body["visibility"] == "public"
    assert not {"hardware", "sleepTimeSeconds", "variables", "secrets"} & set(body)


def test_secret_values_reach_only_the_creation_request(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", **SETTINGS)
    value = "s3cret-" + secrets.token_hex(12)
    secrets_file = tmp_path / "space.env"
    secrets_file.write_text(f"# the Space's secrets\nexport API_KEY='{value}'\n")
    result = publish(project, hub_env(tmp_path, hub.url, token), "--no-wait", "--secrets-file", str(secrets_file))
    assert result.returncode == 0, result.stderr
    assert [r.endpoint for r in hub.requests if value.encode() in r.body] == ["create"]
    assert value not in result.stdout + result.stderr
    for path in project.rglob("*"):
        if path.is_file():
            assert value.encode() not in path.read_bytes(), path
    assert value not in git(project, "log", "-p", "--all")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["space_secrets"] == "API_KEY"
    for repo in hub.state.repos.values():
        assert all(value.encode() not in content for content in repo.files.values())


def test_a_named_secret_without_a_value_warns_and_the_space_is_still_created(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", **{**SETTINGS, "space_secrets": "API_KEY, OTHER_KEY"})
    env = {**hub_env(tmp_path, hub.url, token), "API_KEY": "x" + secrets.token_hex(4)}
    result = publish(project, env, "--no-wait")
    assert result.returncode == 0, result.stderr
    assert "Warning: the secret OTHER_KEY has no value" in result.stdout and "API_KEY has no value" not in result.stdout
    (body,) = create_bodies(hub)
    assert [s["key"] for s in body["secrets"]] == ["API_KEY"]
    assert hub.repo("space", "fakeuser/demo") is not None


def test_a_missing_secrets_file_stops_before_anything_is_done(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", **SETTINGS)
    result = publish(project, hub_env(tmp_path, hub.url, token), "--secrets-file", str(tmp_path / "nope.env"))
    assert result.returncode == 2 and "no such file" in result.stderr and hub.requests == []


def test_private_still_works_and_maps_to_visibility(template, tmp_path):
    project = render(template, tmp_path / "demo", private=True)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["visibility"] == "private" and "private" not in answers
    assert creation_settings({"private": True}).visibility == "private"  # a 1.0.0 answers file
    assert creation_settings({"repo_type": "model", "visibility": "public"}).create_kwargs("model") == {
        "visibility": "public"
    }


def test_an_org_standard_fixes_hardware_and_sleep_time(template, tmp_path):
    standard = tmp_path / "org.yml"
    fixed = "  space_hardware: cpu-upgrade\n  space_sleep_time: 3600\n  visibility: private\n"
    standard.write_text(f"template: {template}\nfixed:\n{fixed}")
    result = subprocess.run(
        [
            *hf_hub_template_cli(),
            "new",
            str(tmp_path / "space"),
            "--org-standard",
            str(standard),
            "--defaults",
            "--vcs-ref",
            "HEAD",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    answers = yaml.safe_load((tmp_path / "space" / ".copier-answers.yml").read_text())
    settings = creation_settings(answers)
    assert (settings.hardware, settings.sleep_time, settings.visibility) == ("cpu-upgrade", 3600, "private")


def test_the_secrets_file_is_read_as_dotenv_defines_it(tmp_path):
    """python-dotenv's reading: an inline `# comment` is not part of the value (it was, with the hand parser);
    `${VAR}` is kept as written, never filled in from the environment, where HF_TOKEN is the publishing token."""

    path = tmp_path / "space.env"
    path.write_text(
        "# c\n\nexport A=1\nB=\"two words\"  # a comment\nC='3'\nD=plain # a comment\n"
        'E=${HF_TOKEN}\nF="has # inside"\nG=\nnot a pair\n'
    )
    path.chmod(0o600)
    assert read_secrets_file(path) == {
        "A": "1",
        "B": "two words",
        "C": "3",
        "D": "plain",
        "E": "${HF_TOKEN}",
        "F": "has # inside",
        "G": "",
    }


def test_a_secrets_file_inside_the_project_is_never_uploaded(template, tmp_path, hub, token):
    """Wherever it sits in the project, and whatever .gitignore says of it, the --secrets-file stays home."""
    project = render(template, tmp_path / "demo", **SETTINGS)
    value = "s3cret-" + secrets.token_hex(12)
    (project / "config").mkdir()
    secrets_file = project / "config" / "space-secrets.txt"  # a name no .gitignore pattern matches
    secrets_file.write_text(f"API_KEY={value}\n")
    secrets_file.chmod(0o600)
    result = publish(project, hub_env(tmp_path, hub.url, token), "--no-wait", "--secrets-file", str(secrets_file))
    assert result.returncode == 0, result.stderr
    files = hub.repo("space", "fakeuser/demo").files
    assert "config/space-secrets.txt" not in files and all(value.encode() not in c for c in files.values())
    assert [r.endpoint for r in hub.requests if value.encode() in r.body] == ["create"]
    assert "Warning: config/space-secrets.txt is the --secrets-file and git does not ignore it" in result.stdout


def test_the_rendered_gitignore_keeps_every_dotenv_file_out(template, tmp_path):
    project = render(template, tmp_path / "demo")
    names = [".env", ".env.local", ".env.production", "secrets.env", "config/prod.env"]
    for name in names:
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text("API_KEY=x\n")
    assert not set(names) & set(work_tree_files(project))


def test_a_file_that_holds_a_secret_value_stops_the_publish_before_anything_is_created(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", **SETTINGS)
    value = "s3cret-" + secrets.token_hex(12)
    (project / "settings.py").write_text(f"API_KEY = {value!r}  # left in by mistake\n")
    env = {**hub_env(tmp_path, hub.url, token), "API_KEY": value}
    result = publish(project, env, "--no-wait")
    assert result.returncode == 1
    assert "settings.py holds the value of API_KEY" in result.stderr and "Nothing was created" in result.stderr
    assert value not in result.stdout + result.stderr
    assert hub.requests == [] and hub.state.repos == {}


def test_hf_debug_never_logs_the_secrets(template, tmp_path, hub, token):
    """huggingface_hub's HF_DEBUG logs each request as a curl command, the create request's secrets included:
    while secrets are sent, publish refuses, before any request."""
    project = render(template, tmp_path / "demo", **SETTINGS)
    value = "s3cret-" + secrets.token_hex(12)
    env = {**hub_env(tmp_path, hub.url, token), "API_KEY": value, "HF_DEBUG": "1"}
    result = publish(project, env, "--no-wait")
    assert value not in result.stdout + result.stderr
    assert result.returncode == 1 and "HF_DEBUG is set" in result.stderr and "API_KEY" in result.stderr
    assert hub.requests == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"API_KEY=caf\xe9\n", "is not UTF-8 text (line 1 is not)"),
        (b"# padding\n" * 7000 + b"API_KEY=x\n", "is larger than 64 KiB"),
    ],
    ids=["not-utf8", "too-large"],
)
def test_a_secrets_file_that_cannot_be_right_stops_before_anything_is_done(
    template, tmp_path, hub, token, content, message
):
    project = render(template, tmp_path / "demo", **SETTINGS)
    secrets_file = tmp_path / "space.env"
    secrets_file.write_bytes(content)
    secrets_file.chmod(0o600)
    result = publish(project, hub_env(tmp_path, hub.url, token), "--secrets-file", str(secrets_file))
    assert result.returncode == 2 and message in result.stderr and "Nothing was done" in result.stderr
    assert "Traceback" not in result.stderr and hub.requests == []


def test_a_secrets_file_others_can_read_brings_one_warning(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", **SETTINGS)
    secrets_file = tmp_path / "space.env"
    secrets_file.write_text("API_KEY=x" + secrets.token_hex(8) + "\n")
    secrets_file.chmod(0o644)
    result = publish(project, hub_env(tmp_path, hub.url, token), "--no-wait", "--secrets-file", str(secrets_file))
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "readable by other users" in line]
    assert warnings == [
        f"Warning: --secrets-file {secrets_file} is readable by other users of this machine "
        f"(mode 0644); make it yours alone with: chmod 600 {secrets_file}"
    ]


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://hub.example.org",
        "http://127.0.0.1.nip.io:8080",
        "http://10.0.0.1",
        "ftp://127.0.0.1",
        "http://user@127.0.0.1",
        "https://hf.co?x=1",
    ],
)
def test_an_endpoint_that_would_send_the_token_in_clear_is_refused(monkeypatch, endpoint):
    from huggingface_hub import constants

    from hf_hub_template.hub.errors import HubStepError
    from hf_hub_template.hub.session import connect

    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setenv("HF_TOKEN", fake_token())
    with pytest.raises(HubStepError, match="nothing was done and no token was sent"):
        connect()


@pytest.mark.parametrize(
    "endpoint",
    ["https://huggingface.co", "http://127.0.0.1:8080", "http://127.1.2.3", "http://[::1]:9", "http://localhost"],
)
def test_https_and_this_machine_are_accepted_endpoints(monkeypatch, endpoint):
    from huggingface_hub import constants

    from hf_hub_template.hub.session import connect

    monkeypatch.setattr(constants, "ENDPOINT", endpoint)
    monkeypatch.setenv("HF_TOKEN", fake_token())
    assert connect()[1] == endpoint


# ------------------------------------------------------------------------------------ status
def status(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv = [*hf_hub_template_cli(), "status", str(project)]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_status_of_a_running_space(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", namespace="fakeuser")
    repo = hub.seed("space", "fakeuser/demo", {"README.md": b"---\nsdk: gradio\n---\n"}, sdk="gradio")
    repo.logs["run"] = ["* Running on local URL:  http://0.0.0.0:7860"]
    result = status(project, hub_env(tmp_path, hub.url, token))
    assert result.returncode == 0, result.stderr
    assert "fakeuser/demo: RUNNING" in result.stdout and f"{hub.url}/spaces/fakeuser/demo" in result.stdout
    assert "hardware: cpu-basic" in result.stdout and "| * Running on local URL" in result.stdout


def test_status_of_a_broken_space_says_why(template, tmp_path, hub, token):
    project = render(template, tmp_path / "demo", namespace="fakeuser")
    repo = hub.seed("space", "fakeuser/demo", {"README.md": b"---\nsdk: gradio\n---\n"}, sdk="gradio")
    repo.stage = "BUILD_ERROR"
    repo.logs["build"] = ["ERROR: No matching distribution found for torch==9.9.9"]
    result = status(project, hub_env(tmp_path, hub.url, token))
    assert result.returncode == 1
    assert "fakeuser/demo: BUILD_ERROR" in result.stdout and "last lines of the build log" in result.stdout
    assert "likely cause: torch==9.9.9 is not on PyPI" in result.stdout


def test_status_of_a_repo_and_of_a_missing_one(template, tmp_path, hub, token):
    project = render(template, tmp_path / "m", repo_type="model", namespace="fakeuser")
    env = hub_env(tmp_path, hub.url, token)
    missing = status(project, env)
    assert missing.returncode == 1 and "fakeuser/m" in missing.stderr
    hub.seed("model", "fakeuser/m", {"README.md": b"---\nlicense: mit\n---\n"})
    found = status(project, env)
    assert found.returncode == 0 and f"{hub.url}/fakeuser/m" in found.stdout


@pytest.mark.parametrize("answers", [{"repo_type": "model"}, {"space_sdk": "static"}])
def test_a_repo_with_no_build_shows_the_hubs_card_warnings_and_its_url(template, tmp_path, hub, token, answers):
    project = render(template, tmp_path / "demo", namespace="fakeuser", **answers)
    hub.state.card_warnings = ["empty or missing yaml metadata in repo card"]
    result = publish(project, hub_env(tmp_path, hub.url, token))
    assert result.returncode == 0, result.stderr
    assert "The Hub accepted the card with warnings" in result.stdout
    assert "empty or missing yaml metadata in repo card" in result.stdout
    assert "live: " + hub.url in result.stdout and "GET runtime" not in hub.calls()


def test_update_from_the_last_release_maps_private_to_visibility(versions, tmp_path):
    from helpers import PREVIOUS_VERSION
    from test_update import update

    project = render(versions, tmp_path / "demo", vcs_ref=PREVIOUS_VERSION, private=True)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["private"] is True
    update(project)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["visibility"] == "private" and "private" not in answers
    assert answers["space_hardware"] == "none" and answers["space_secrets"] == ""


def test_the_publishing_token_never_becomes_a_space_secret(template, tmp_path, hub, token):
    """An api demo names the secret HF_TOKEN: its value comes from --secrets-file only, never from the
    environment, where HF_TOKEN is the token that publishes."""
    answers = {"models": "acme/m", "inference": "api", "namespace": "fakeuser"}
    project = render(template, tmp_path / "demo", **answers)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["space_secrets"] == "HF_TOKEN"
    result = publish(project, hub_env(tmp_path, hub.url, token), "--no-wait")
    assert result.returncode == 0, result.stderr
    assert "Warning: the secret HF_TOKEN has no value (a secret named HF_TOKEN is read from --secrets-file only" in (
        result.stdout
    )
    (body,) = create_bodies(hub)
    assert "secrets" not in body and token not in json.dumps(body)
    space_token = "hf_space_" + secrets.token_hex(8)
    (tmp_path / "space.env").write_text(f"HF_TOKEN={space_token}\n")
    assert creation_settings(
        answers | {"repo_type": "space", "space_secrets": "HF_TOKEN"},
        environ={"HF_TOKEN": token},
        from_file=read_secrets_file(tmp_path / "space.env"),
    ).secrets == [{"key": "HF_TOKEN", "value": space_token}]


def test_status_of_a_public_space_needs_no_token(template, tmp_path, hub):
    project = render(template, tmp_path / "demo", namespace="fakeuser")
    hub.seed("space", "fakeuser/demo", {"README.md": b"---\nsdk: gradio\n---\n"}, sdk="gradio")
    result = status(project, hub_env(tmp_path, hub.url, None))
    assert result.returncode == 0, result.stderr
    assert "fakeuser/demo: RUNNING" in result.stdout
    assert all(request.authorization is None for request in hub.requests)


def test_status_of_a_private_space_without_a_token_says_what_to_do(template, tmp_path, hub):
    project = render(template, tmp_path / "demo", namespace="fakeuser")
    hub.seed("space", "fakeuser/demo", {"README.md": b"---\nsdk: gradio\n---\n"}, sdk="gradio", private=True)
    result = status(project, hub_env(tmp_path, hub.url, None))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "fakeuser/demo" in result.stderr


def test_status_without_a_namespace_or_a_hub_is_one_line(template, tmp_path, token):
    """The namespace is asked of the Hub; a Hub that does not answer is one message, not a traceback."""
    project = render(template, tmp_path / "demo")
    result = status(project, hub_env(tmp_path, "http://127.0.0.1:9", token))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "find your user name" in result.stderr and "127.0.0.1:9" in result.stderr


def test_status_without_a_namespace_or_a_token_says_why_it_needs_one(template, tmp_path, hub):
    project = render(template, tmp_path / "m", repo_type="model")
    result = status(project, hub_env(tmp_path, hub.url, None))
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "namespace of m empty" in result.stderr and "a read token is enough" in result.stderr
    assert "-d namespace=NAME" in result.stderr and hub.requests == [], "nothing was asked of the Hub"


def test_status_of_a_folder_that_does_not_exist_says_so(tmp_path):
    result = status(tmp_path / "nowhere", hub_env(tmp_path, "http://127.0.0.1:9", None))
    assert result.returncode == 2 and result.stderr.strip() == f"{tmp_path / 'nowhere'} does not exist."
