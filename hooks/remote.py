"""Create the project's repo on the Hub and upload the first commit, without ever losing the project.

Run by the copy task when `create_remote` is true, and on its own to retry:
    python <template>/hooks/remote.py <project> [--pr]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks.answers import load_answers
from hooks.git_init import run_git, work_tree_files
from hooks.hub_errors import HubStepError, explain, status_of, with_retries
from hooks.hub_session import connect

COMMIT_MESSAGE = "Initial commit from hf-hub-template"
URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}


@dataclass(frozen=True)
class Target:
    repo_id: str
    repo_type: str
    space_sdk: str | None
    private: bool

    @property
    def kind(self) -> str:
        return {"space": "Space", "model": "model repo", "dataset": "dataset repo"}[self.repo_type]


def hub_space_sdk(answers: dict[str, Any]) -> str | None:
    """The SDK the Hub is told: the retired Streamlit SDK is rendered as a Docker Space."""
    if answers.get("repo_type", "space") != "space":
        return None
    sdk = answers.get("space_sdk", "gradio")
    return "docker" if sdk == "streamlit" else sdk


def git_blob_id(content: bytes) -> str:
    """git's (and the Hub's) id for a file's content: an identifier, not a security check."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def project_files(project: Path) -> dict[str, str]:
    """Files to upload (tracked, or untracked and not ignored by .gitignore) and their git blob ids."""
    return {path: git_blob_id((project / path).read_bytes()) for path in work_tree_files(project)}


def compare(remote: dict[str, str], local: dict[str, str]) -> str:
    """How a repo that exists relates to the project: empty, same, partial (an earlier upload
    stopped half-way: every remote file is ours, unchanged) or other (someone else's content)."""
    remote = {p: b for p, b in remote.items() if p != ".gitattributes" or local.get(p) == b}
    if not remote:
        return "empty"
    if any(local.get(path) != blob for path, blob in remote.items()):
        return "other"
    return "same" if remote.keys() == {p for p in local if p != ".gitattributes" or p in remote} else "partial"


def retry_command(project: Path, answers: dict[str, Any], *, pr: bool = False) -> str:
    src = str(answers.get("_src_path", ""))
    flag = " --pr" if pr else ""
    if src and Path(src).is_dir():
        return f'python "{Path(src) / "hooks" / "remote.py"}" "{project}"{flag}'
    hosts = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
    url = hosts[src[:3]] + src[3:] if src[:3] in hosts else src
    ref = f"@{answers['_commit']}" if answers.get("_commit") else ""
    return f'uvx --from "git+{url}{ref}" hf-hub-template publish "{project}"{flag}'


def set_origin(project: Path, url: str) -> str:
    current = run_git(project, "remote", "get-url", "origin")
    if current.returncode == 0:
        if current.stdout.strip() == url:
            return f"git remote origin is {url}"
        return f"git remote origin already points at {current.stdout.strip()}; left as it is (the Hub repo is {url})."
    added = run_git(project, "remote", "add", "origin", url)
    if added.returncode != 0:
        return f"Could not set git remote origin ({added.stderr.strip()}): run `git remote add origin {url}`."
    run_git(project, "config", "branch.main.remote", "origin")
    run_git(project, "config", "branch.main.merge", "refs/heads/main")
    return f"git remote origin set to {url}"


def publish(
    project: Path, answers: dict[str, Any], *, interactive: bool = False, open_pr: bool = False, report: Any = print
) -> str:
    """Create the repo and upload the project; return the repo URL. Raises HubStepError."""
    api, endpoint = connect()

    namespace = answers.get("namespace") or ""
    name = answers["repo_name"]
    if not namespace:
        try:
            namespace = api.whoami()["name"]
        except Exception as exc:
            raise HubStepError(explain(exc, action="find your user name", repo_id=name, endpoint=endpoint)) from exc
    target = Target(
        f"{namespace}/{name}", answers.get("repo_type", "space"), hub_space_sdk(answers), bool(answers.get("private"))
    )
    url = f"{endpoint}/{URL_PREFIX[target.repo_type]}{target.repo_id}"

    def step(action: str, call: Any) -> Any:
        try:
            return with_retries(call)[0]
        except Exception as exc:
            attempts = getattr(exc, "attempts_used", 1)
            raise HubStepError(
                explain(exc, action=action, repo_id=target.repo_id, endpoint=endpoint, attempts=attempts)
            ) from exc

    local = project_files(project)
    created = True
    try:
        step(
            f"create the {target.kind} {target.repo_id}",
            lambda: api.create_repo(
                target.repo_id, repo_type=target.repo_type, private=target.private, space_sdk=target.space_sdk
            ),
        )
    except HubStepError as err:
        if status_of(err.__cause__) != 409:
            raise
        created = False

    if not created:
        remote = {
            f.path: f.blob_id
            for f in step(
                f"list the files of {target.repo_id}",
                lambda: [
                    entry
                    for entry in api.list_repo_tree(target.repo_id, repo_type=target.repo_type, recursive=True)
                    if hasattr(entry, "blob_id")
                ],
            )
        }
        state = compare(remote, local)
        if state == "same":
            report(f"{url} already holds exactly this project: nothing to upload.")
            report(set_origin(project, url))
            return url
        if state == "other":
            if not (open_pr or (interactive and _ask_open_pr(target.repo_id))):
                raise HubStepError(
                    f"{url} already exists with other content, so nothing was uploaded (nothing was overwritten). "
                    "To propose this project as a pull request there, run:\n"
                    f"  {retry_command(project, answers, pr=True)}"
                )
            from huggingface_hub import CommitOperationAdd

            operations = [
                CommitOperationAdd(path_in_repo=path, path_or_fileobj=str(project / path)) for path in sorted(local)
            ]
            info = step(
                f"open a pull request on {target.repo_id}",
                lambda: api.create_commit(
                    repo_id=target.repo_id,
                    repo_type=target.repo_type,
                    operations=operations,
                    commit_message=f"{COMMIT_MESSAGE} (proposed)",
                    create_pr=True,
                ),
            )
            report(f"Opened a pull request with the rendered files: {info.pr_url}")
            return url
        report(f"{url} exists and holds nothing of anyone else's: uploading the project.")

    step(
        f"upload the project to {target.repo_id}",
        lambda: api.upload_folder(
            repo_id=target.repo_id,
            repo_type=target.repo_type,
            folder_path=project,
            allow_patterns=sorted(local),
            commit_message=COMMIT_MESSAGE,
        ),
    )
    report(set_origin(project, url))
    report(
        "Before your first `git push`, join the Hub's history once (a clean merge of identical files): "
        "git pull --no-rebase --allow-unrelated-histories origin main"
    )
    report(f"Your {target.kind} is live: {url}")
    return url


def _ask_open_pr(repo_id: str) -> bool:
    import questionary  # a Copier dependency

    choice = questionary.select(
        f"{repo_id} already exists with other content. What should happen?",
        choices=["Open a pull request with the rendered files", "Skip (change nothing on the Hub)"],
    ).ask()
    return bool(choice and choice.startswith("Open"))


def publish_after_copy(project: Path, answers: dict[str, Any], *, interactive: bool) -> bool:
    """The copy task's remote step: never raises, so Copier never deletes the project."""
    try:
        publish(project, answers, interactive=interactive, report=lambda line: print(line, file=sys.stderr))
        return True
    except HubStepError as err:
        message = str(err)
    except Exception as exc:  # an unforeseen failure must not cost the person their project
        message = f"The remote step failed unexpectedly: {type(exc).__name__}: {exc}"
    print(
        f"\n{message}\nYour project is intact in {project}. Retry the remote step alone with:\n"
        f"  {retry_command(project, answers)}\n",
        file=sys.stderr,
    )
    return False


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create a rendered project's repo on the Hub and upload it.")
    parser.add_argument("project", type=Path, nargs="?", default=Path.cwd(), help="the rendered project folder")
    parser.add_argument("--pr", action="store_true", help="if the repo holds other content, open a pull request")
    args = parser.parse_args(argv)
    project = args.project.resolve()
    answers = load_answers(project)
    if not answers.get("repo_name"):
        print(
            f"{project} has no .copier-answers.yml with a repo_name: is it a project rendered by this template?",
            file=sys.stderr,
        )
        return 2
    try:
        publish(project, answers, interactive=sys.stdin.isatty(), open_pr=args.pr)
    except HubStepError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
