"""One git history after `publish`: the project's main stands on the commit its upload made on the Hub, so a
plain `git push` to the test Hub's git endpoint (tests/hub_git.py, git's own http-backend) is a fast-forward.

Local work is never lost: changes not committed, commits of the project's own and files that differ leave main
as it is, and the printed commands then join the two histories.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
from pathlib import Path

import pytest
from helpers import ROOT, copier_copy, git, hf_hub_template_cli, hub_env, render
from hub_server import HubServer

URL_PATH = "/spaces/fakeuser/demo"
GIT_CALLS = ["GET git-refs", "POST git-upload-pack"]


def publish(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*hf_hub_template_cli(), "publish", str(project), "--no-wait", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def push(project: Path, token: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`git push` as a person runs it, the token given to git as the Hub asks (Basic, the token as password)."""
    basic = base64.b64encode(f"fakeuser:{token}".encode()).decode()
    env = {
        **os.environ,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
    }
    return subprocess.run(["git", "push", *args], cwd=project, env=env, capture_output=True, text=True, timeout=120)


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", message)


def head(project: Path, rev: str = "HEAD") -> str:
    return git(project, "rev-parse", rev).strip()


def rendered(template: Path, tmp_path: Path, **answers: str) -> Path:
    return render(template, tmp_path / "demo", namespace="fakeuser", **answers)


def test_after_publish_main_stands_on_the_hubs_commit_and_git_push_works(template, tmp_path, hub, token):
    project = tmp_path / "demo"
    env = hub_env(tmp_path, hub.url, token)
    result = copier_copy(template, project, env, create_remote="true", namespace="fakeuser")
    assert result.returncode == 0, result.stderr
    repo = hub.repo("space", "fakeuser/demo")
    first = git(project, "reflog", "--format=%H").split()[-1]  # the copy's own first commit
    assert head(project) == repo.sha == repo.commits[-1]["oid"] != first
    assert head(project, "HEAD^{tree}") == head(project, f"{first}^{{tree}}")  # the same files
    assert git(project, "status", "--porcelain") == ""
    assert "now stands on the Hub's commit" in result.stderr and "allow-unrelated-histories" not in result.stderr
    assert head(project, "origin/main") == repo.sha

    (project / "app.py").write_text((project / "app.py").read_text() + "\n# a change made after publishing\n")
    commit_all(project, "A change after publishing")
    pushed = push(project, token, "origin", "main")  # no --force, no pull first
    assert pushed.returncode == 0, pushed.stderr
    assert "forced update" not in pushed.stderr
    assert repo.sha == head(project) and repo.files["app.py"] == (project / "app.py").read_bytes()
    assert repo.commits[-1]["summary"] == "A change after publishing"
    # The Hub's history is the project's: its commit is the parent of the pushed one.
    assert head(project, "HEAD^") == repo.commits[-2]["oid"]


def test_a_private_repo_is_fetched_with_the_token_and_a_public_one_without(template, tmp_path, hub, token):
    for visibility, name in (("private", "secret"), ("public", "open")):
        project = render(template, tmp_path / name, namespace="fakeuser", visibility=visibility)
        hub.clear_log()
        result = publish(project, hub_env(tmp_path, hub.url, token))
        assert result.returncode == 0, result.stderr
        assert head(project) == hub.repo("space", f"fakeuser/{name}").sha, result.stdout + result.stderr
        sent = {r.authorization for r in hub.requests if r.endpoint.startswith("git-")}
        if visibility == "private":
            assert sent == {"Basic " + base64.b64encode(f"user:{token}".encode()).decode()}
        else:
            assert sent == {None}
        assert [c for c in hub.calls() if "git" in c] == GIT_CALLS


def test_changes_not_committed_leave_main_as_it_is_and_the_printed_commands_join(template, tmp_path, hub, token):
    project = rendered(template, tmp_path)
    before = head(project)
    (project / "notes.md").write_text("not committed yet\n")  # uploaded (not ignored), not committed
    env = hub_env(tmp_path, hub.url, token)
    result = publish(project, env)
    assert result.returncode == 0, result.stderr
    assert "main was left as it is (there are changes not committed)" in (result.stdout + result.stderr)
    assert head(project) == before and (project / "notes.md").is_file()
    assert "notes.md" in hub.repo("space", "fakeuser/demo").files

    # Committed now: two commits of its own, the same files as the Hub. A second publish uploads nothing and
    # still leaves main alone; its printed command joins without losing a file.
    commit_all(project, "notes")
    again = publish(project, env)
    assert again.returncode == 0, again.stderr
    assert (
        "main has 2 commits of its own" in (again.stdout + again.stderr)
        and head(project) != hub.repo("space", "fakeuser/demo").sha
    )
    command = re.search(r"`(git fetch [^`]+ && git reset --soft FETCH_HEAD)`", (again.stdout + again.stderr)).group(1)
    subprocess.run(command, shell=True, cwd=project, check=True, capture_output=True)
    assert git(project, "status", "--porcelain") == "" and (project / "notes.md").read_text() == "not committed yet\n"
    assert head(project) == hub.repo("space", "fakeuser/demo").sha
    (project / "notes.md").write_text("edited after joining\n")
    commit_all(project, "edit notes")
    assert push(project, token, "origin", "main").returncode == 0
    assert hub.repo("space", "fakeuser/demo").files["notes.md"] == b"edited after joining\n"


def test_a_file_the_upload_left_out_leaves_main_as_it_is(template, tmp_path, hub, token):
    """A tracked --secrets-file is never uploaded: standing on the Hub's commit would drop it from main."""
    project = rendered(template, tmp_path)
    (project / "space-secrets").write_text("API_KEY=a-long-enough-value-1234567890\n")
    commit_all(project, "secrets, tracked by mistake")
    before = head(project)
    result = publish(project, hub_env(tmp_path, hub.url, token), "--secrets-file", str(project / "space-secrets"))
    assert result.returncode == 0, result.stderr
    assert "space-secrets" not in hub.repo("space", "fakeuser/demo").files
    assert re.search(
        r"main was left as it is \(the Hub's files differ from your commit's: space-secrets \(only in",
        (result.stdout + result.stderr),
    )
    assert head(project) == before


def test_a_file_the_hub_keeps_in_lfs_without_git_lfs_here_leaves_main_as_it_is(template, tmp_path, hub, token):
    """The Hub's git holds an LFS pointer where a commit made without git-lfs holds the content."""
    if subprocess.run(["git", "lfs", "version"], capture_output=True).returncode == 0:
        pytest.skip("git-lfs is installed: the commit holds pointers too")
    project = render(template, tmp_path / "demo", namespace="fakeuser", repo_type="dataset")
    before = head(project)
    result = publish(project, hub_env(tmp_path, hub.url, token))
    assert result.returncode == 0, result.stderr
    assert "data/train.parquet (different content)" in (result.stdout + result.stderr) and "install it" in (
        result.stdout + result.stderr
    )
    assert head(project) == before


def test_a_hub_whose_git_fails_leaves_main_as_it_is_and_publish_succeeds(template, tmp_path, hub, token):
    project = rendered(template, tmp_path)
    before = head(project)
    hub.fail("git-upload-pack", 500)
    result = publish(project, hub_env(tmp_path, hub.url, token))
    assert result.returncode == 0, result.stderr
    assert "the Hub's commit could not be fetched over git" in (result.stdout + result.stderr)
    assert head(project) == before and hub.repo("space", "fakeuser/demo").files


def test_hub_server_git_push_needs_the_token(tmp_path, token):
    """The test Hub's git side: an anonymous push is refused (401), the API shows nothing of it."""
    with HubServer(token=token) as hub:
        hub.seed("space", "fakeuser/demo", {"README.md": b"---\nsdk: static\n---\n", "index.html": b"<p>hi</p>\n"})
        clone = tmp_path / "clone"
        subprocess.run(["git", "clone", "-q", hub.url + URL_PATH, str(clone)], check=True, capture_output=True)
        (clone / "index.html").write_text("<p>changed</p>\n")
        commit_all(clone, "change")
        anonymous = subprocess.run(
            ["git", "push", "origin", "main"],
            cwd=clone,
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
            capture_output=True,
            text=True,
        )
        assert anonymous.returncode != 0 and hub.repo("space", "fakeuser/demo").files["index.html"] == b"<p>hi</p>\n"
        assert push(clone, token, "origin", "main").returncode == 0
        assert hub.repo("space", "fakeuser/demo").files["index.html"] == b"<p>changed</p>\n"
