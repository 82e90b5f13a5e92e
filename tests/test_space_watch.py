"""After the upload, a Space that builds is watched until it runs, or the publish step says why not:
the stage, the log's last lines and the likely cause. Against the Hub test server's scripted stages."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, assert_token_absent, copier_copy, fake_token, hf_hub_template_cli, hub_env
from hub_server import HubServer

from hf_hub_template.space_watch import DIAGNOSES, diagnose


@pytest.fixture
def hub_and_project(template, tmp_path):
    """A Gradio Space rendered (not yet published), and a Hub that will host it."""
    token = fake_token()
    with HubServer(token=token) as hub:
        env = hub_env(tmp_path, hub.url, token)
        project = tmp_path / "demo"
        assert copier_copy(template, project, env, namespace="fakeuser").returncode == 0
        yield hub, env, project, token


def publish(env: dict[str, str], project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*hf_hub_template_cli(), "publish", str(project), "--poll-interval", "0.05", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def script(hub: HubServer, stages: list[str], **logs: list[str]) -> None:
    """Give the Space (created by the upload) a stage script, by seeding it before the publish step."""
    hub.seed("space", "fakeuser/demo", {}, sdk="gradio")
    repo = hub.repo("space", "fakeuser/demo")
    repo.stages, repo.logs = list(stages), dict(logs)


def test_the_stages_pass_by_until_it_runs(hub_and_project):
    hub, env, project, token = hub_and_project
    script(hub, ["BUILDING", "BUILDING", "APP_STARTING", "RUNNING"])
    result = publish(env, project)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("BUILDING") < out.index("APP_STARTING") < out.index("RUNNING ")
    assert out.count("BUILDING ") == 1, "each stage is said once, as it passes"
    assert "fakeuser/demo is running after" in out and "is live" in out
    assert [c for c in hub.calls() if c.endswith("runtime")] == ["GET runtime"] * 4
    assert_token_absent(token, result.stdout, result.stderr, hub=hub)


def test_a_build_error_shows_the_log_and_the_cause(hub_and_project):
    hub, env, project, _ = hub_and_project
    log = ["Collecting gradio==99.0.0", "ERROR: No matching distribution found for gradio==99.0.0"]
    script(hub, ["BUILDING", "BUILD_ERROR"], build=log)
    result = publish(env, project)
    assert result.returncode == 1
    said = result.stderr
    assert "The Space fakeuser/demo stopped at BUILD_ERROR" in said
    assert "Last lines of the build log:\n  | Collecting gradio==99.0.0" in said
    assert "Likely cause: gradio==99.0.0 is not on PyPI" in said
    assert "uploads nothing twice" in said


def test_a_runtime_error_reads_the_run_log(hub_and_project):
    hub, env, project, _ = hub_and_project
    trace = [
        "Traceback (most recent call last):",
        '  File "app.py", line 1',
        "ModuleNotFoundError: No module named 'torch'",
    ]
    script(hub, ["APP_STARTING", "RUNTIME_ERROR"], run=trace, build=["built fine"])
    result = publish(env, project)
    assert result.returncode == 1
    assert "Last lines of the run log:" in result.stderr and "built fine" not in result.stderr
    assert "the app imports torch, which requirements.txt does not install" in result.stderr


def test_a_space_that_never_starts_times_out_and_can_be_watched_again(hub_and_project):
    hub, env, project, _ = hub_and_project
    script(hub, ["BUILDING"])
    result = publish(env, project, "--timeout", "0.5")
    assert result.returncode == 1 and "is still BUILDING after" in result.stderr
    hub.repo("space", "fakeuser/demo").stages = ["RUNNING"]
    again = publish(env, project)
    assert again.returncode == 0, again.stderr
    assert "already holds exactly this project" in again.stdout and "is running after" in again.stdout


def test_no_wait_and_static_spaces_do_not_watch(template, tmp_path):
    token = fake_token()
    with HubServer(token=token) as hub:
        env = hub_env(tmp_path, hub.url, token)
        for name, sdk, extra in (("gr", "gradio", ["--no-wait"]), ("st", "static", [])):
            project = tmp_path / name
            assert copier_copy(template, project, env, namespace="fakeuser", space_sdk=sdk).returncode == 0
            assert publish(env, project, *extra).returncode == 0
        assert not any(call.endswith("runtime") for call in hub.calls())


def test_the_copy_keeps_the_project_when_the_space_fails(template, tmp_path):
    token = fake_token()
    with HubServer(token=token) as hub:
        script(hub, ["BUILD_ERROR"], build=["Permission denied: '/app/cache'"])
        hub.repo("space", "fakeuser/demo").files.clear()
        project = tmp_path / "demo"
        result = copier_copy(template, project, hub_env(tmp_path, hub.url, token), create_remote="true")
        assert result.returncode == 0, "the copy never fails for the Hub"
        assert "stopped at BUILD_ERROR" in result.stderr and "not writable by uid 1000" in result.stderr
        assert "Retry the remote step alone with" in result.stderr and (project / "README.md").is_file()


@pytest.mark.parametrize(("pattern", "advice"), DIAGNOSES, ids=[advice[:30] for _, advice in DIAGNOSES])
def test_every_diagnosis_has_a_log_that_triggers_it(pattern, advice):
    examples = {
        "is not on PyPI": "ERROR: No matching distribution found for torch==9.9",
        "the app imports": "ModuleNotFoundError: No module named 'transformers'",
        "a package does not support": "ERROR: Package 'x' requires a different Python: 3.9.0 not in '>=3.10'",
        "not writable by uid 1000": "PermissionError: [Errno 13] Permission denied: '/data'",
        "does not answer on the card": "Launch timed out, workload was not healthy after 30 min",
        "ran out of memory": "Killed",
        "YAML block was rejected": "Error: Invalid YAML in README.md metadata",
        "the app reads": "KeyError: 'OPENAI_API_KEY'",
        "the model is gated": "GatedRepoError: 401 Client Error. Access to model a/b is restricted.",
        "refused the Space's HF_TOKEN": "HfHubHTTPError: 401 Client Error: Unauthorized for url: https://router.x/",
        "refused the call for credit": "HfHubHTTPError: 402 Client Error: Payment Required for url: https://router.x/",
    }
    import re

    line = next(text for key, text in examples.items() if key in advice)
    match = re.search(pattern, line)
    assert match, f"the example for {advice!r} does not match its pattern"
    captured = next((group for group in match.groups() if group), "")
    assert advice.format(captured) in diagnose(["some other line", line])
    assert diagnose(["all good", "Running on local URL"]) == []


def test_a_demo_whose_call_meets_a_refused_token_says_so(monkeypatch):
    """An api demo with a wrong HF_TOKEN runs and fails each call: what the call met is diagnosed with the log."""
    from hf_hub_template import live_answer, space_watch

    monkeypatch.setattr(space_watch, "last_log_lines", lambda api, repo_id, build: [])
    met = live_answer.NotLive("the call failed: 401 Client Error: Unauthorized for url: https://router.x/m")
    said = live_answer._not_live(None, "acme/demo", met)
    assert "Likely cause: the Hub refused the Space's HF_TOKEN (401)" in said
