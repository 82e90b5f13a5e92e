"""Create the project's repo on the Hub and upload the first commit, without ever losing the project.

Run by the copy task when `create_remote` is true, and on its own as `hf-hub-template publish`
(or the retry command, `python <template>/hooks/remote.py <project> [--pr]`).
"""

from __future__ import annotations

import enum
import os
import sys
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hf_hub_template.git import run_git, work_tree_files
from hf_hub_template.hub.content import content_ids, hub_file_id
from hf_hub_template.hub.errors import HubStepError, explain, status_of, with_retries
from hf_hub_template.hub.project import KIND, Project
from hf_hub_template.hub.session import connect, login_of, with_namespace
from hf_hub_template.join_history import already_joined, join_hub_history
from hf_hub_template.space_settings import CREDENTIALS, CreationSettings, creation_settings
from hf_hub_template.template_source import expand_shortcut, safe_ref
from hf_hub_template.untrusted import for_terminal, quoted

COMMIT_MESSAGE = "Initial commit from hf-hub-template"


class RemoteState(enum.Enum):
    """How a repo that already exists relates to the project."""

    EMPTY = "empty"  # nothing of anyone's: upload
    SAME = "same"  # exactly this project: nothing to do
    PARTIAL = "partial"  # an earlier upload stopped half-way: every remote file is ours, unchanged
    OTHER = "other"  # someone else's content: never overwritten


@dataclass(frozen=True)
class Target:
    repo_id: str
    repo_type: str
    space_sdk: str | None
    settings: CreationSettings

    @property
    def kind(self) -> str:
        return KIND[self.repo_type]


def project_files(project: Path, *, leave_out: Path | None = None) -> dict[str, tuple[str, str]]:
    """Files to upload (tracked, or untracked and not ignored by .gitignore) and their content ids.

    `leave_out` (the --secrets-file) is never among them, whatever git thinks of it: nor is any path that
    leads to it (a symbolic link)."""
    paths = work_tree_files(project)
    if leave_out is not None:
        paths = [path for path in paths if not _same_file(project / path, leave_out)]
    return {path: content_ids((project / path).read_bytes()) for path in paths}


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve() or os.path.samefile(one, other)
    except OSError:
        return False


def secrets_in_files(project: Path, paths: list[str], secrets: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(path, KEY) for each file to upload whose name or content holds the value of a secret being set."""
    found = []
    for path in paths:
        content = (project / path).read_bytes()
        for secret in secrets:
            value = secret["value"]
            if value and (value in path or value.encode() in content):
                found.append((path, secret["key"]))
    return found


def refuse_secret_leaks(project: Path, local: dict[str, Any], settings: CreationSettings) -> None:
    """Before anything is created: no file to upload may hold a secret's value, and huggingface_hub's debug
    log (HF_DEBUG), which prints each request's body as a curl command, must not see the one that sets them."""
    if not settings.secrets:
        return
    keys = ", ".join(secret["key"] for secret in settings.secrets)
    from huggingface_hub import constants

    if constants.HF_DEBUG or os.environ.get("HF_DEBUG", "").strip().upper() in constants.ENV_VARS_TRUE_VALUES:
        raise HubStepError(
            f"HF_DEBUG is set, and huggingface_hub then logs each request it sends, with its body, as a curl "
            f"command: the request that creates the Space carries the values of the secrets {keys}, so nothing "
            "was done. Unset HF_DEBUG and retry (to debug the other requests, leave the secrets out: the Space is "
            "then created without them, and you add them in its Settings)."
        )
    found = secrets_in_files(project, sorted(local), settings.secrets)
    if found:
        where = "; ".join(f"{for_terminal(path)} holds the value of {key}" for path, key in found)
        raise HubStepError(
            f"Nothing was created or uploaded: {where}. Those are secrets of the Space, and a file that is "
            "uploaded can be read by anyone who can read the repo. Take the value out of the file (a secret "
            "belongs in --secrets-file kept outside the project, or in the environment), or stop uploading the "
            "file (add it to .gitignore), then retry. If the match is a coincidence (a short or common value), "
            "choose a longer value for the secret."
        )


def compare(remote: dict[str, str], local: dict[str, tuple[str, str]]) -> RemoteState:
    """How the files of a repo that exists (path -> hub_file_id) relate to the project's (path -> content_ids).

    The `.gitattributes` the Hub writes into every new repo does not count as content."""
    remote = {p: b for p, b in remote.items() if p != ".gitattributes" or b in local.get(p, ())}
    if not remote:
        return RemoteState.EMPTY
    if any(blob not in local.get(path, ()) for path, blob in remote.items()):
        return RemoteState.OTHER
    ours = {p for p in local if p != ".gitattributes" or p in remote}
    return RemoteState.SAME if remote.keys() == ours else RemoteState.PARTIAL


def retry_command(project: Path, answers: dict[str, Any], *, pr: bool = False) -> str:
    """A command that retries the Hub step as printed: uvx brings its own environment, so it works even
    where this Python lacks huggingface_hub; for a local template the script is offered too."""
    src = str(answers.get("_src_path", ""))
    flag = ["--pr"] if pr else []
    if src and Path(src).is_absolute() and Path(src).is_dir():
        return (
            f"{quoted('uvx', '--from', src, 'hf-hub-template', 'publish', project, *flag)}\n"
            f"  or, in a Python that has copier and huggingface_hub:\n"
            f"  {quoted('python', Path(src) / 'hooks' / 'remote.py', project, *flag)}"
        )
    url = expand_shortcut(src)
    if src and "://" not in url:  # a relative local path: unknown here
        command = quoted("uvx", "--from", "TEMPLATE", "hf-hub-template", "publish", project, *flag)
        return f"{command}   # TEMPLATE: the template's folder"
    ref = safe_ref(answers.get("_commit"))  # a ref read from the project: only a plain version or commit id
    return quoted("uvx", "--from", f"git+{url}{'@' + ref if ref else ''}", "hf-hub-template", "publish", project, *flag)


def set_origin(project: Path, url: str) -> str:
    current = run_git(project, "remote", "get-url", "origin")
    if current.returncode == 0:
        if current.stdout.strip() == url:
            return f"git remote origin is {url}"
        return f"git remote origin already points at {current.stdout.strip()}; left as it is (the Hub repo is {url})."
    added = run_git(project, "remote", "add", "origin", url)
    if added.returncode != 0:
        command = quoted("git", "remote", "add", "origin", url)
        return f"Could not set git remote origin ({added.stderr.strip()}): run `{command}`."
    run_git(project, "config", "branch.main.remote", "origin")
    run_git(project, "config", "branch.main.merge", "refs/heads/main")
    return f"git remote origin set to {url}"


PLACEHOLDER_NAMESPACE = "YOUR-NAMESPACE"  # what the template writes while the namespace is unknown
# partials/macros.jinja's placeholder_note: a link that cannot be right yet is the id as text with this note
# (repo_link), and a snippet that loads the repo follows a paragraph saying so (snippet_note).
PLACEHOLDER_NOTE = "the namespace is filled in when you publish"


def fill_in_namespace(text: str, login: str, repo_type: str) -> str:
    """`text` as the template renders it with namespace=login: each noted id becomes the link
    (partials/macros.jinja's repo_link), each snippet's note goes, and YOUR-NAMESPACE/ becomes `login/`."""
    import re

    from hf_hub_template.hub.facts import url_prefix

    placeholder = re.escape(f"{PLACEHOLDER_NAMESPACE}/")
    note = re.escape(PLACEHOLDER_NOTE)
    url = f"https://huggingface.co/{url_prefix(repo_type)}{login}/"
    text = re.sub(rf"`{placeholder}([^`\s]+)` \({note}\)", lambda m: f"[{login}/{m[1]}]({url}{m[1]})", text)
    text = re.sub(rf"`{placeholder}[^`\s]+` below: {note}[.]\n\n", "", text)
    return text.replace(f"{PLACEHOLDER_NAMESPACE}/", f"{login}/")


def name_the_namespace(project: Path, answers: dict[str, Any]) -> dict[str, Any]:
    """Before the first commit: ask the Hub whose token this is, and write that login where the rendered
    files say YOUR-NAMESPACE and into the answers (so `copier update` renders the same).

    Any failure leaves the files as they are: the publish step then reports it, with the retry command.
    """
    import re

    import yaml

    from hf_hub_template.answers import ANSWERS_FILE

    try:
        api, endpoint = connect()
        login = login_of(api, endpoint, repo_id=str(answers.get("repo_name", "")))
    except HubStepError:  # the publish step says what went wrong, once
        return answers
    for path in sorted(project.rglob("*")):
        if ".git" in path.relative_to(project).parts or not path.is_file() or path.name == ANSWERS_FILE:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        filled = fill_in_namespace(text, login, str(answers.get("repo_type", "space")))
        if path.name == "sync-to-hub.yml":  # the workflow's own "empty: the token owner's namespace"
            filled = filled.replace('HF_NAMESPACE: ""', f'HF_NAMESPACE: "{login}"')
        if filled != text:
            path.write_text(filled, encoding="utf-8")
    answers_file = project / ANSWERS_FILE
    recorded = answers_file.read_text(encoding="utf-8")
    line = yaml.safe_dump({"namespace": login}, allow_unicode=True).strip()
    answers_file.write_text(re.sub(r"^namespace: ''$", line, recorded, flags=re.M), encoding="utf-8")
    return {**answers, "namespace": login}


@dataclass(frozen=True)
class Waiting:
    """Whether and how long to watch a Space build after the upload (`publish --no-wait`, `--timeout`)."""

    wait: bool = True
    timeout: float = 900.0
    interval: float = 2.0


def publish(
    project: Path,
    answers: dict[str, Any],
    *,
    interactive: bool = False,
    open_pr: bool = False,
    report: Any = print,
    waiting: Waiting = Waiting(),
    secrets_file: Path | None = None,
    secret_values: Mapping[str, str] | None = None,
    announce_live: bool = True,
) -> str:
    """Create the repo, upload the project and (for a Space that builds) watch it until it runs; return
    the repo URL. Raises HubStepError with the reason, and the log's last lines, when it does not run.

    `secrets_file` is never uploaded; `secret_values` are its values, read once by the command.
    `announce_live=False` leaves out the closing "is live" line: a demo is live once its app has answered
    (live_demo.py asks it, then says so)."""
    api, endpoint = connect()
    settings = creation_settings(answers, from_file=secret_values)
    local = project_files(project, leave_out=secrets_file)
    refuse_secret_leaks(project, local, settings)
    if secrets_file is not None:
        for path in sorted(set(work_tree_files(project)) - set(local)):
            report(
                f"Warning: {for_terminal(path)} is the --secrets-file and git does not ignore it: it was left out "
                "of this upload, but a `git add` and `git push` would publish it. Keep it outside the project, or "
                "add it to .gitignore (and `git rm --cached` it if it is committed)."
            )

    hub_repo = with_namespace(api, endpoint, Project.from_answers(answers))
    target = Target(hub_repo.repo_id, hub_repo.repo_type, hub_repo.hub_sdk, settings)
    url = hub_repo.url(endpoint)

    def step(action: str, call: Any) -> Any:
        try:
            return with_retries(call)[0]
        except Exception as exc:
            raise HubStepError(explain(exc, action=action, repo_id=target.repo_id, endpoint=endpoint)) from exc

    created = True
    try:
        step(
            f"create the {target.kind} {target.repo_id}",
            lambda: api.create_repo(
                target.repo_id,
                repo_type=target.repo_type,
                space_sdk=target.space_sdk,
                **target.settings.create_kwargs(target.repo_type),
            ),
        )
        report(f"Created the {target.kind} {target.repo_id} ({target.settings.summary()}).")
        for missing in target.settings.missing_secrets:
            report(
                f"Warning: the secret {missing} has no value ("
                + (
                    f"a secret named {missing} is read from --secrets-file only, never from your environment, where "
                    "it is the token that publishes; put a fine-grained token for this Space in that file"
                    if missing in CREDENTIALS
                    else f"not in the environment{' nor in ' + str(secrets_file) if secrets_file else ''}"
                )
                + "), so the Space was created without it. Add it in the Space's Settings, Variables and secrets."
            )
    except HubStepError as err:
        if status_of(err.__cause__) != 409:
            raise
        created = False

    if not created:
        remote = {
            f.path: hub_file_id(f)
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
        if state is RemoteState.SAME:
            report(f"{url} already holds exactly this project: nothing to upload.")
            report(set_origin(project, url))
            if not already_joined(project, url):
                report(join_hub_history(project, url, token=_git_token(api, hub_repo)))
            _watch(api, target, url, waiting, report)
            return url
        if state is RemoteState.OTHER:
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

    with warnings.catch_warnings(record=True) as caught:  # the Hub's card check warns through `warnings`
        warnings.simplefilter("always")
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
    for warning in caught:
        if "validating metadata" in str(warning.message):
            report(f"The Hub accepted the card with warnings (fix them in README.md): {warning.message}")
    report(set_origin(project, url))
    report(join_hub_history(project, url, token=_git_token(api, hub_repo)))
    _watch(api, target, url, waiting, report)
    if announce_live:
        report(f"Your {target.kind} is live: {url}")
    return url


def _git_token(api: Any, hub_repo: Project) -> str | None:
    """The token git fetches the Hub's commit with: none for a public repo, which anyone may read."""
    return None if hub_repo.visibility == "public" else api.token


def _watch(api: Any, target: Target, url: str, waiting: Waiting, report: Any) -> None:
    """A Space that builds (Gradio, Docker) is watched until it runs; a static one or a repo has no build."""
    from hf_hub_template.space_watch import watch_space

    if not waiting.wait or target.repo_type != "space" or target.space_sdk == "static":
        return
    report(f"Waiting for {target.repo_id} to build and start (Ctrl-C stops watching; the Space goes on):")
    again = "Fix the cause and push; running the publish step again watches it once more and uploads nothing twice."
    try:
        watched = watch_space(api, target.repo_id, timeout=waiting.timeout, interval=waiting.interval, report=report)
    except KeyboardInterrupt:
        raise HubStepError(f"Stopped watching {url}; nothing was changed. {again}") from None
    except Exception as exc:
        raise HubStepError(
            explain(exc, action=f"read the state of {target.repo_id}", repo_id=target.repo_id, endpoint=url)
        ) from exc
    if not watched.running:
        raise HubStepError(f"{watched.explain(target.repo_id)}\n{again}")
    report(f"{target.repo_id} is running after {watched.seconds:.0f} s.")


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
