"""Make the new project a git repository with a first commit, which `copier update` needs."""

from __future__ import annotations

import os
import shutil

# git runs with argument lists, never through a shell.
import subprocess  # nosec B404
from collections.abc import Mapping
from pathlib import Path

FALLBACK_IDENTITY = {"name": "hf-hub-template", "email": "hf-hub-template@users.noreply.huggingface.co"}


# git never needs a Hub token: a hook or a credential helper of a repo must not be handed one.
CREDENTIAL_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_API_TOKEN", "HF_OIDC_ID_TOKEN")


def without_credentials(env: Mapping[str, str]) -> dict[str, str]:
    """`env` without any Hub token, and with git limited to the transports a template is fetched over."""
    kept = {key: value for key, value in env.items() if key not in CREDENTIAL_VARIABLES}
    return kept | {"GIT_ALLOW_PROTOCOL": "file:git:http:https:ssh", "GIT_TERMINAL_PROMPT": "0"}


def run_git(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The one place this package runs git: an argument list, no shell, the person's own `git` on PATH."""
    # bandit B603/B607: a fixed program found on PATH (the person's git), arguments as a list.
    return subprocess.run(  # nosec B603 B607
        ["git", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=without_credentials(os.environ if env is None else env),
    )


def git_output(project: Path, *args: str) -> str:
    """git's output, or RuntimeError with git's own words."""
    result = run_git(project, *args)
    if result.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed in {project}: {result.stderr.strip()}")
    return result.stdout


def work_tree_files(folder: Path) -> list[str]:
    """Files git tracks in `folder`, plus new ones it does not ignore (what `git add -A` would take)."""
    listing = run_git(folder, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if listing.returncode != 0:
        raise RuntimeError(f"git ls-files failed in {folder}: {listing.stderr.strip()}")
    return sorted({path for path in listing.stdout.split("\0") if path and (folder / path).is_file()})


def _identity_env(project: Path) -> dict[str, str]:
    """Use the person's git identity; fall back to a neutral one only where none is set (one git call)."""
    env = dict(os.environ)
    found = run_git(project, "config", "--get-regexp", r"^user\.(name|email)$").stdout.split("\n")
    for key in ("name", "email"):
        if not any(line.startswith(f"user.{key} ") and line.split(" ", 1)[1].strip() for line in found):
            env[f"GIT_AUTHOR_{key.upper()}"] = env[f"GIT_COMMITTER_{key.upper()}"] = FALLBACK_IDENTITY[key]
    return env


def inside_a_work_tree(folder: Path) -> bool:
    """Is `folder` in a git repository already? Read from the file system: no git process needed."""
    if os.environ.get("GIT_DIR"):
        return True
    folder = folder.resolve()
    return any((parent / ".git").exists() for parent in (folder, *folder.parents))


def init_repository(project: Path, message: str) -> str:
    """Create the repository and its first commit; return a one-line report.

    A project already inside a git work tree (rendered into an existing repo) is left
    for its owner to commit.
    """
    if shutil.which("git") is None:
        return (
            "git is not installed: run `git init && git add -A && git commit -m 'Initial commit'` "
            "before `copier update`."
        )
    if inside_a_work_tree(project):
        return "Already inside a git repository: review and commit the new files yourself."
    steps = (
        ("init", "--quiet", "--initial-branch=main"),
        ("add", "--all"),
        ("commit", "--quiet", "--no-verify", "-m", message),
    )
    env = _identity_env(project)
    for step in steps:
        result = run_git(project, *step, env=env)
        if result.returncode != 0:
            return f"git {step[0]} failed ({result.stderr.strip()}); the files are all there: commit them yourself."
    return "Initialised a git repository on branch main with the first commit."
