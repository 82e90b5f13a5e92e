"""One git history after `publish`: the project's branch moved onto the commit its upload made on the Hub.

An upload over HTTP makes a commit on the Hub that shares no history with the project's own commit, so a
`git push` would be refused. When the Hub's commit holds exactly the files of the project's commit (the same
git tree), `main` is moved onto it: the work tree and the index do not change, and `git push` then simply
works (a push of anything the Hub lacks is a fast-forward). Anything else leaves the branch as it is and
says what to do: changes not committed, commits of the project's own beyond its first, or files that differ
(one the upload left out, such as a tracked --secrets-file, or one the Hub keeps in LFS while this machine
has no git-lfs). The old tip stays in `git reflog`.
"""

from __future__ import annotations

import base64
from pathlib import Path

from hf_hub_template.git import run_git
from hf_hub_template.untrusted import for_terminal, quoted

BRANCH = "main"  # the branch the Hub serves and the project's first commit is on


def fetch_env(url: str, token: str | None, user: str) -> dict[str, str]:
    """git configuration for the one fetch, through the environment (never the command line): no hook of the
    project runs, no credential helper is asked or told anything, a stalled transfer ends, and the token (for
    a repo that is not public) goes only to `url`."""
    import os

    config = {
        "core.hooksPath": os.devnull,
        "credential.helper": "",
        "http.lowSpeedLimit": "1000",
        "http.lowSpeedTime": "60",
        "http.followRedirects": "false",  # the Hub's own URL answers, not a place it redirects to
        "protocol.allow": "never",
        "protocol.https.allow": "always",
        "protocol.http.allow": "always",
    }
    if token:
        basic = base64.b64encode(f"{user}:{token}".encode()).decode()
        config[f"http.{url}.extraHeader"] = f"Authorization: Basic {basic}"
    env = dict(os.environ, GIT_CONFIG_COUNT=str(len(config)))
    for number, (key, value) in enumerate(config.items()):
        env[f"GIT_CONFIG_KEY_{number}"], env[f"GIT_CONFIG_VALUE_{number}"] = key, value
    return env


def _git(project: Path, *args: str) -> str | None:
    result = run_git(project, *args)
    return result.stdout.strip() if result.returncode == 0 else None


def _own_repository(project: Path) -> bool:
    top = _git(project, "rev-parse", "--show-toplevel")
    return top is not None and Path(top).resolve() == project.resolve()


def already_joined(project: Path, url: str) -> bool:
    """Did an earlier publish join them? `origin` is the Hub's repo and its main, as last fetched, is in `main`."""
    if not _own_repository(project) or _git(project, "remote", "get-url", "origin") != url:
        return False
    fetched = _git(project, "rev-parse", "--verify", "--quiet", f"refs/remotes/origin/{BRANCH}")
    return fetched is not None and run_git(project, "merge-base", "--is-ancestor", fetched, "HEAD").returncode == 0


def join_hub_history(project: Path, url: str, *, token: str | None = None, user: str = "user") -> str:
    """Move `main` onto the Hub's commit when it holds the same files; one report either way.

    `token` is sent (to `url` only) for a repo that is not public, as the password of git's Basic authentication
    (the Hub reads the token, not the user name: huggingface_hub's former `Repository` sent `user`)."""
    if not _own_repository(project):
        return f"{project} is not a git repository of its own: no branch was joined with the Hub's history."
    branch = _git(project, "symbolic-ref", "--quiet", "--short", "HEAD")
    head = _git(project, "rev-parse", "--verify", "--quiet", "HEAD")
    if branch != BRANCH or head is None:
        return left_alone(url, f"the checked-out branch is not {BRANCH} with a commit")
    if _git(project, "status", "--porcelain", "--untracked-files=all") != "":
        return left_alone(url, "there are changes not committed")
    origin = _git(project, "remote", "get-url", "origin")
    refspec = f"+refs/heads/{BRANCH}:refs/remotes/origin/{BRANCH}" if origin == url else f"refs/heads/{BRANCH}"
    fetched = run_git(project, "fetch", "--quiet", "--no-tags", url, refspec, env=fetch_env(url, token, user))
    hub = _git(project, "rev-parse", "--verify", "--quiet", "FETCH_HEAD^{commit}") if fetched.returncode == 0 else None
    if hub is None:
        reason = for_terminal(fetched.stderr.strip().splitlines()[-1] if fetched.stderr.strip() else "no commit")
        return left_alone(url, f"the Hub's commit could not be fetched over git: {reason}")
    if run_git(project, "merge-base", "--is-ancestor", hub, head).returncode == 0:
        return f"{BRANCH} already holds the Hub's commit {hub[:7]}: `git push` sends your new commits."
    if _git(project, "rev-parse", f"{hub}^{{tree}}") != _git(project, "rev-parse", f"{head}^{{tree}}"):
        return left_alone(url, f"the Hub's files differ from your commit's: {_differences(project, hub, head)}")
    commits = _git(project, "rev-list", "--count", head)
    if commits != "1":
        return left_alone(url, f"{BRANCH} has {commits} commits of its own", same_files=True)
    # The old value `head` makes the move atomic: a commit made meanwhile leaves the branch as it is.
    moved = run_git(project, "update-ref", "-m", "publish: the Hub's commit", f"refs/heads/{BRANCH}", hub, head)
    if moved.returncode != 0:
        return left_alone(url, f"git could not move {BRANCH} ({for_terminal(moved.stderr.strip())})")
    return (
        f"{BRANCH} now stands on the Hub's commit {hub[:7]}, which holds the same files as your first commit "
        f"({head[:7]}, kept in `git reflog`): one history, so `git push` works from here."
    )


def _differences(project: Path, hub: str, head: str) -> str:
    listing = run_git(project, "diff", "--no-renames", "--name-status", "-z", hub, head).stdout.split("\0")
    pairs = [(listing[i], listing[i + 1]) for i in range(0, len(listing) - 1, 2)]
    words = {"A": "only in your commit", "D": "only on the Hub", "M": "different content"}
    shown = [f"{for_terminal(path)} ({words.get(status[:1], status)})" for status, path in pairs[:5]]
    more = f" and {len(pairs) - 5} more" if len(pairs) > 5 else ""
    hint = (
        " (a file the Hub keeps in LFS while this machine has no git-lfs? install it, then "
        "`git add --renormalize .` and commit)"
        if any(status.startswith("M") for status, _ in pairs)
        else ""
    )
    return ", ".join(shown) + more + hint


def left_alone(url: str, reason: str, *, same_files: bool = False) -> str:
    """What to do when `main` was not moved: join the histories by hand once the work is committed."""
    fetch = quoted("git", "fetch", url, BRANCH)
    text = (
        f"{BRANCH} was left as it is ({reason}), so its history and the Hub's are still apart and a "
        f"`git push` would be refused. To stand on the Hub's commit and keep every file as it is in your "
        f"work tree: `{fetch} && git reset --soft FETCH_HEAD`, then commit what `git status` lists "
        "(your earlier commits stay in `git reflog`)."
    )
    if same_files:
        text += (
            " Or, to keep your commits in the history the Hub gets (every file they ever held is then "
            f"published): `{fetch} && git merge --allow-unrelated-histories -s ours FETCH_HEAD`."
        )
    return text
