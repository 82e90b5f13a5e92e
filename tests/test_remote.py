"""Remote creation against a Hub test server on 127.0.0.1, driven by the real huggingface_hub client.

Every failure must leave the whole project (files and first commit), say what happened and
print a retry command that works once the fault is gone.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    KINDS,
    ROOT,
    assert_token_absent,
    copier_copy,
    git,
    hf_hub_template_cli,
    hub_env,
    kind_answers,
    tracked_files,
)
from hub_server import HubServer

HUB_SDK = {"gradio": "gradio", "streamlit": "docker", "static": "static", "docker": "docker"}
SUCCESS_CALLS = ["POST create", "POST validate", "POST preupload", "POST commit"]
JOIN = ["GET git-refs", "POST git-upload-pack"]  # main fetches the upload's commit over git (one history)
WATCH = ["GET runtime"]  # a Space that builds is watched until RUNNING (one look: the test Hub runs it at once)


def watched(sdk: str | None) -> list[str]:
    return WATCH if sdk in ("gradio", "streamlit", "docker") else []


def printed_retry(output: str) -> tuple[list[str], list[str]]:
    """The two retry commands a failure prints for a local template: uvx's, then the script's."""
    match = re.search(r"Retry the remote step alone with:\n\s+(.+)\n.*Python that has.*\n\s+(.+)", output)
    assert match, output
    uvx, script = shlex.split(match.group(1)), shlex.split(match.group(2))
    assert uvx[:2] == ["uvx", "--from"] and uvx[3:5] == ["hf-hub-template", "publish"], uvx
    assert script[0] == "python" and script[1].endswith("hooks/remote.py"), script
    return uvx, script


def run_retry(output: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the script form of the retry command, word for word (with this venv's Python)."""
    script = printed_retry(output)[1]
    return subprocess.run([sys.executable, *script[1:]], env=env, capture_output=True, text=True, timeout=300)


def assert_intact(project: Path) -> None:
    """Every rendered file is there and committed: the project survived."""
    assert (project / ".copier-answers.yml").is_file() and (project / "README.md").is_file()
    assert git(project, "log", "--format=%s").strip().startswith("Initial commit from hf-hub-template")
    assert git(project, "status", "--porcelain") == ""


def remote_files(hub: HubServer, repo_type: str, repo_id: str) -> dict[str, bytes]:
    repo = hub.repo(repo_type, repo_id)
    assert repo is not None, f"{repo_id} was not created"
    return repo.files


# ------------------------------------------------------------------------------------ success
@pytest.mark.parametrize(("repo_type", "sdk"), KINDS, ids=[f"{k}-{s}" if s else k for k, s in KINDS])
def test_creates_and_uploads_in_the_minimum_of_requests(template, tmp_path, hub, token, repo_type, sdk):
    project = tmp_path / "demo"
    result = copier_copy(
        template,
        project,
        hub_env(tmp_path, hub.url, token),
        create_remote="true",
        namespace="fakeuser",
        **kind_answers(repo_type, sdk),
    )
    assert result.returncode == 0, result.stderr
    repo = hub.repo(repo_type, "fakeuser/demo")
    assert repo is not None and repo.private is False
    assert repo.sdk == (HUB_SDK[sdk] if sdk else None)
    assert set(repo.files) == tracked_files(project)
    for path, content in repo.files.items():
        assert (project / path).read_bytes() == content
    assert hub.calls() == SUCCESS_CALLS + JOIN + watched(sdk)
    prefix = {"space": "spaces/", "dataset": "datasets/", "model": ""}[repo_type]
    url = f"{hub.url}/{prefix}fakeuser/demo"
    assert git(project, "remote", "get-url", "origin").strip() == url
    assert f"is live: {url}" in result.stderr
    assert_intact(project)


def test_private_repo_and_namespace_from_login(template, tmp_path, hub, token):
    project = tmp_path / "secret-demo"
    result = copier_copy(template, project, hub_env(tmp_path, hub.url, token), create_remote="true", private="true")
    assert result.returncode == 0, result.stderr
    repo = hub.repo("space", "fakeuser/secret-demo")
    assert repo is not None and repo.private is True
    assert hub.calls() == ["GET whoami"] + SUCCESS_CALLS + JOIN + WATCH


def test_organisation_namespace(template, tmp_path, hub, token):
    result = copier_copy(
        template,
        tmp_path / "org-demo",
        hub_env(tmp_path, hub.url, token),
        create_remote="true",
        namespace="fakeorg",
        space_sdk="static",
    )
    assert result.returncode == 0, result.stderr
    assert hub.repo("space", "fakeorg/org-demo") is not None


def test_no_remote_step_without_create_remote(template, tmp_path, hub, token):
    result = copier_copy(template, tmp_path / "local-only", hub_env(tmp_path, hub.url, token), namespace="fakeuser")
    assert result.returncode == 0, result.stderr
    assert hub.calls() == []
    assert git(tmp_path / "local-only", "remote").strip() == ""


# ----------------------------------------------------------------------------------- failures
FAULTS = [
    # id, server setup, answers, expected message
    ("401", lambda hub: None, {"namespace": "fakeuser"}, "refused the token (401"),
    ("403", lambda hub: None, {"namespace": "someone-else"}, "cannot write to someone-else (403)"),
    ("402", lambda hub: setattr(hub.state, "free_account", True), {"namespace": "fakeuser"}, "needs a paid plan"),
    ("429", lambda hub: hub.fail("create", 429), {"namespace": "fakeuser"}, "rate-limiting requests (429) after 3"),
    ("500", lambda hub: hub.fail("create", 500), {"namespace": "fakeuser"}, "server error (500) after 3 tries"),
    ("503-upload", lambda hub: hub.fail("validate", 503), {"namespace": "fakeuser"}, "server error (503) after 3"),
    ("drop", lambda hub: hub.fail("create", "drop"), {"namespace": "fakeuser"}, "no answer from the Hub at"),
]


RETRIED = {"429", "500", "503-upload", "drop"}  # these wait on the back-off between tries (1 s, then 2 s)


@pytest.mark.parametrize(
    ("setup", "answers", "message"),
    [pytest.param(*f[1:], id=f[0], marks=[pytest.mark.slow] if f[0] in RETRIED else []) for f in FAULTS],
)
def test_failure_keeps_project_and_retry_works(template, tmp_path, hub, token, setup, answers, message):
    project = tmp_path / "demo"
    used_token = "hf_wrong_" + secrets.token_hex(8) if message.startswith("refused") else token
    env = hub_env(tmp_path, hub.url, used_token)
    setup(hub)
    result = copier_copy(template, project, env, create_remote="true", **answers)
    assert result.returncode == 0, "the task must not fail, or Copier deletes the project"
    assert message in result.stderr
    assert f"Your project is intact in {project}" in result.stderr
    assert_intact(project)
    # Heal the server (and the person fixes token or plan), then retry the remote step alone.
    hub.heal()
    hub.state.free_account = False
    hub.state.orgs.append("someone-else")
    retry = run_retry(result.stderr, hub_env(tmp_path, hub.url, token))
    assert retry.returncode == 0, retry.stderr
    namespace = answers["namespace"]
    assert set(remote_files(hub, "space", f"{namespace}/demo")) == tracked_files(project)
    assert git(project, "remote", "get-url", "origin").strip() == f"{hub.url}/spaces/{namespace}/demo"


@pytest.mark.slow  # waits on the back-off
def test_retries_transient_errors_then_succeeds(template, tmp_path, hub, token):
    hub.fail("create", 500, times=1)
    hub.fail("validate", 429, times=1)
    result = copier_copy(
        template, tmp_path / "demo", hub_env(tmp_path, hub.url, token), create_remote="true", namespace="fakeuser"
    )
    assert result.returncode == 0 and "is live" in result.stderr, result.stderr
    assert hub.calls() == ["POST create"] * 2 + ["POST validate"] * 2 + ["POST preupload", "POST commit"] + JOIN + WATCH


def test_no_token_says_how_to_log_in(template, tmp_path, hub):
    project = tmp_path / "demo"
    result = copier_copy(
        template, project, hub_env(tmp_path, hub.url, None), create_remote="true", namespace="fakeuser"
    )
    assert result.returncode == 0
    assert "No Hugging Face token found" in result.stderr and "hf auth login" in result.stderr
    assert hub.calls() == []
    assert_intact(project)


@pytest.mark.slow  # three tries with back-off
def test_connection_refused_names_the_endpoint(template, tmp_path, token):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    project = tmp_path / "demo"
    result = copier_copy(
        template, project, hub_env(tmp_path, endpoint, token), create_remote="true", namespace="fakeuser"
    )
    assert result.returncode == 0
    assert f"no answer from the Hub at {endpoint}" in result.stderr
    assert_intact(project)


def test_missing_huggingface_hub_says_how_to_add_it(template, tmp_path, hub, token):
    shadow = tmp_path / "shadow" / "huggingface_hub"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('No module named huggingface_hub')\n")
    env = hub_env(tmp_path, hub.url, token) | {"PYTHONPATH": str(shadow.parent)}
    project = tmp_path / "demo"
    result = copier_copy(template, project, env, create_remote="true", namespace="fakeuser")
    assert result.returncode == 0
    assert "huggingface_hub is not installed next to Copier" in result.stderr
    assert "pipx inject copier huggingface_hub" in result.stderr and "uvx --with huggingface_hub" in result.stderr
    assert hub.calls() == []
    assert_intact(project)


# ----------------------------------------------------------------------------- existing repos
def rendered_project(
    template: Path, tmp_path: Path, hub: HubServer, token: str, **answers: str
) -> tuple[Path, dict[str, str]]:
    project = tmp_path / "demo"
    env = hub_env(tmp_path, hub.url, token)
    # Render with a failed remote step, then test the retry against each state. 403 is not retried: a 5xx
    # would wait on the back-off (1 s, then 2 s) in every test that starts here.
    hub.fail("create", 403)
    result = copier_copy(template, project, env, create_remote="true", namespace="fakeuser", **answers)
    assert result.returncode == 0, result.stderr
    hub.heal()
    hub.clear_log()
    return project, env


def retry(project: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "hooks" / "remote.py"), str(project), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def test_rerun_on_identical_repo_is_a_no_op(template, tmp_path, hub, token):
    project, env = rendered_project(template, tmp_path, hub, token)
    assert retry(project, env).returncode == 0
    commits = len(hub.repo("space", "fakeuser/demo").commits)
    hub.clear_log()
    again = retry(project, env)
    assert again.returncode == 0 and "already holds exactly this project" in again.stderr + again.stdout
    assert hub.calls() == ["POST create", "GET tree"] + WATCH
    assert len(hub.repo("space", "fakeuser/demo").commits) == commits


def test_rerun_on_identical_dataset_with_lfs_files_is_a_no_op(template, tmp_path, hub, token):
    """The Hub lists the Parquet sample (kept in LFS) by its sha256, not by its content's blob id."""
    project, env = rendered_project(template, tmp_path, hub, token, repo_type="dataset")
    assert (project / "data" / "train.parquet").is_file()
    assert retry(project, env).returncode == 0
    hub.clear_log()
    again = retry(project, env)
    assert again.returncode == 0 and "already holds exactly this project" in again.stderr + again.stdout
    # Without git-lfs here, the commit holds the Parquet files where the Hub's git holds LFS pointers: main was
    # left apart from the Hub's history, and each run looks again (git-lfs may be installed since).
    assert [call for call in hub.calls() if "git" not in call] == ["POST create", "GET tree"]
    assert "main was left as it is" in again.stderr + again.stdout


def test_existing_empty_repo_gets_the_upload(template, tmp_path, hub, token):
    project, env = rendered_project(template, tmp_path, hub, token)
    hub.seed("space", "fakeuser/demo", {".gitattributes": b"*.bin filter=lfs diff=lfs merge=lfs -text\n"}, sdk="gradio")
    result = retry(project, env)
    assert result.returncode == 0, result.stderr
    assert set(remote_files(hub, "space", "fakeuser/demo")) == tracked_files(project)


def test_repo_with_other_content_is_not_overwritten(template, tmp_path, hub, token):
    project, env = rendered_project(template, tmp_path, hub, token)
    theirs = {"README.md": b"---\nsdk: gradio\n---\nsomeone else's\n", "app.py": b"print('theirs')\n"}
    hub.seed("space", "fakeuser/demo", theirs, sdk="gradio")
    result = retry(project, env)
    assert result.returncode == 1
    assert "already exists with other content" in result.stderr and "--pr" in result.stderr
    assert hub.repo("space", "fakeuser/demo").files == theirs
    assert not any(call.endswith("commit") for call in hub.calls())
    # The printed --pr command opens a pull request and still leaves main alone.
    pr_script = re.search(r"Python that has copier and huggingface_hub:\n\s+(.+)", result.stderr).group(1)
    assert "--pr" in pr_script and re.search(r"run:\n\s+uvx --from .* --pr", result.stderr)
    opened = subprocess.run(
        [sys.executable, *shlex.split(pr_script)[1:]], env=env, capture_output=True, text=True, timeout=300
    )
    assert opened.returncode == 0, opened.stderr
    repo = hub.repo("space", "fakeuser/demo")
    assert repo.files == theirs and len(repo.pulls) == 1
    assert set(repo.pulls[0]["commit"]["changes"]) == tracked_files(project)
    assert "/discussions/1" in opened.stdout


def test_publish_command_of_the_rendered_readme(template, tmp_path, hub, token):
    """The README's `hf-hub-template publish .` (here as `python -m hooks`) creates and uploads."""
    project = tmp_path / "later"
    env = hub_env(tmp_path, hub.url, token)
    assert copier_copy(template, project, env, namespace="fakeuser", private="true").returncode == 0
    assert "uvx --from TEMPLATE hf-hub-template publish ." in (project / "CONTRIBUTING.md").read_text()
    result = subprocess.run(
        [*hf_hub_template_cli(), "publish", str(project)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert set(remote_files(hub, "space", "fakeuser/later")) == tracked_files(project)
    create = next(r for r in hub.requests if r.endpoint == "create")
    assert json.loads(create.body)["visibility"] == "private", "the private answer reaches the create request"
    assert_token_absent(token, result.stdout, result.stderr, hub=hub, folders=[project])


@pytest.mark.parametrize(("keys", "opens_pr"), [(b"\r", True), (b"\x1b[B\r", False)], ids=["open-pr", "skip"])
@pytest.mark.slow  # a real terminal (pty) and questionary's prompt
def test_on_a_terminal_the_person_chooses(template, tmp_path, hub, token, keys, opens_pr):
    """With a terminal, an existing repo with other content brings a questionary choice."""
    import pty
    import select
    import time

    project, env = rendered_project(template, tmp_path, hub, token)
    theirs = {"README.md": b"---\nsdk: gradio\n---\nsomeone else's\n"}
    hub.seed("space", "fakeuser/demo", theirs, sdk="gradio")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the retry command, on a terminal
        os.execve(sys.executable, [sys.executable, str(ROOT / "hooks" / "remote.py"), str(project)], env)
    screen, deadline, sent = b"", time.monotonic() + 60, False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            screen += chunk
        if not sent and b"What should happen?" in screen:
            time.sleep(0.3)
            os.write(fd, keys)
            sent = True
    _, status = os.waitpid(pid, 0)
    assert sent, screen.decode(errors="replace")
    repo = hub.repo("space", "fakeuser/demo")
    assert repo.files == theirs
    assert len(repo.pulls) == (1 if opens_pr else 0)
    assert os.waitstatus_to_exitcode(status) == (0 if opens_pr else 1)


def test_printed_retry_commands_run_nothing_but_themselves(tmp_path):
    """Pasted into a shell, a printed command runs that command and nothing else, whatever the project's
    folder or the answers file's `_src_path` and `_commit` say; a `_commit` that is not a plain version or
    commit id is left out of the `git+URL@REF`."""
    from hf_hub_template.publish import retry_command

    evil = "$(touch pwned)`touch pwned`"
    bin_dir = tmp_path / "bin"  # uvx and python that only print their arguments
    bin_dir.mkdir()
    for name in ("uvx", "python"):
        (bin_dir / name).write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
        (bin_dir / name).chmod(0o755)
    project = tmp_path / f"demo {evil}"
    local_template = tmp_path / f"tpl {evil}"
    local_template.mkdir()
    publish = ["hf-hub-template", "publish", str(project), "--pr"]
    url = "https://example.org/t.git"
    cases = [
        ({"_src_path": url, "_commit": evil}, [["--from", f"git+{url}", *publish]]),
        ({"_src_path": url, "_commit": "-oProxyCommand=touch pwned"}, [["--from", f"git+{url}", *publish]]),
        (
            {"_src_path": "gh:acme/t", "_commit": "v1.1.0-3-gabc1234"},
            [["--from", "git+https://github.com/acme/t@v1.1.0-3-gabc1234", *publish]],
        ),
        (
            {"_src_path": str(local_template), "_commit": evil},
            [
                ["--from", str(local_template), *publish],
                [str(local_template / "hooks" / "remote.py"), str(project), "--pr"],
            ],
        ),
        ({"_src_path": f"tpl {evil}"}, [["--from", "TEMPLATE", *publish]]),
    ]
    for answers, expected in cases:
        command = retry_command(project, answers, pr=True)
        lines = [line.strip() for line in command.splitlines() if not line.strip().startswith("or,")]
        assert len(lines) == len(expected), command
        for line, words in zip(lines, expected, strict=True):
            ran = subprocess.run(
                ["sh", "-c", line],
                cwd=tmp_path,
                env={"PATH": f"{bin_dir}:/usr/bin:/bin"},
                capture_output=True,
                text=True,
            )
            assert ran.stdout.splitlines() == words, line
            assert not (tmp_path / "pwned").exists(), f"pasting ran a command of the answers file: {line}"


def test_retry_command_outside_a_project_explains(tmp_path):
    result = retry(tmp_path, dict(os.environ))
    assert result.returncode == 2 and "no .copier-answers.yml" in result.stderr


# ------------------------------------------------------------------------------ token hygiene
def test_token_is_never_written_or_printed(template, tmp_path, hub, token):
    ok = copier_copy(
        template, tmp_path / "ok", hub_env(tmp_path, hub.url, token), create_remote="true", namespace="fakeuser"
    )
    hub.fail("commit", 403)
    failed = copier_copy(
        template, tmp_path / "failed", hub_env(tmp_path, hub.url, token), create_remote="true", namespace="fakeorg"
    )
    assert "cannot write to fakeorg" in failed.stderr
    projects = [tmp_path / "ok", tmp_path / "failed"]
    history = [git(project, "log", "-p", "--all") for project in projects]
    assert_token_absent(token, ok.stdout, ok.stderr, failed.stdout, failed.stderr, *history, hub=hub, folders=projects)
    assert all(r.authorization == f"Bearer {token}" for r in hub.requests if not r.endpoint.startswith("git-"))
    assert all(r.authorization is None for r in hub.requests if r.endpoint.startswith("git-")), "a public repo's"


@pytest.mark.parametrize(
    "kind",
    [{}, {"repo_type": "model", "library_name": "gguf"}, {"repo_type": "dataset", "gated": "true"}],
    ids=["space", "model-gguf", "dataset-gated"],
)
def test_namespace_from_the_login_is_written_before_the_first_commit(template, tmp_path, hub, token, kind):
    """With namespace left empty, the card, links and answers name the real repo, exactly as if the
    person had typed their login: the same files as a copy with namespace=fakeuser (the placeholder's
    note is gone and its text is a link again)."""
    env = hub_env(tmp_path, hub.url, token)
    project = tmp_path / "from-login" / "demo"
    typed = tmp_path / "typed" / "demo"
    answers = {"create_remote": "true", "github_sync": "true", **kind}
    assert copier_copy(template, project, env, **answers).returncode == 0
    hub.state.repos.clear()
    assert copier_copy(template, typed, env, namespace="fakeuser", **answers).returncode == 0
    for path in tracked_files(typed):
        assert (project / path).read_bytes() == (typed / path).read_bytes(), path
    assert "YOUR-NAMESPACE" not in (project / "README.md").read_text()
    assert "fakeuser/demo" in (project / "README.md").read_text()
    assert git(project, "status", "--porcelain") == "", "the first commit holds the filled-in files"


@pytest.mark.slow  # uv builds the tool from the template folder
def test_the_uvx_retry_works_as_printed_without_huggingface_hub_in_that_python(template, tmp_path, hub, token):
    """The printed uvx command brings its own environment: run as printed, it publishes."""
    project = tmp_path / "demo"
    hub.fail("create", 500)
    env = hub_env(tmp_path, hub.url, token)
    failed = copier_copy(template, project, env, create_remote="true", namespace="fakeuser")
    assert "Retry the remote step alone with" in failed.stderr
    hub.heal()
    uvx = printed_retry(failed.stderr)[0]
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [sys.executable, "-m", "uv", "tool", "run", *uvx[1:]], env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    assert set(remote_files(hub, "space", "fakeuser/demo")) == tracked_files(project)
