"""Fleet update: bring every repo of a namespace made from this template up to a template version,
one Hub pull request per repo. Never pushes to main. The visitor of fleet/scan.py for `fleet-update`.

    hf-hub-template fleet-update NAMESPACE [--type space] [--match 'demo-*'] [--vcs-ref 1.1.0] [--dry-run]
"""

from __future__ import annotations

import enum
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from hf_hub_template import trusted_update
from hf_hub_template.answers import ANSWERS_FILE, load_answers
from hf_hub_template.fleet.scan import Answers, Options, Outcome, OutcomeRows, Repo, print_dry_run, scan, short, summary
from hf_hub_template.git import git_output, init_repository, run_git
from hf_hub_template.hub.errors import explain, with_retries
from hf_hub_template.resources import template_file
from hf_hub_template.template_files import TemplateRepo

PR_TITLE = "Update to hf-hub-template "  # then the target version: one open PR per repo and version
CHANGELOG = template_file("CHANGELOG.md")


class Status(enum.Enum):
    """What happened to one repo; the value is how the summary counts it."""

    PR_OPENED = "PR opened"
    PR_ALREADY_OPEN = "PR already open"
    WOULD_OPEN = "would open a PR"
    UP_TO_DATE = "up to date"
    CONFLICT = "conflict"
    NOT_FROM_A_TEMPLATE = "skipped: no .copier-answers.yml"
    FOREIGN_TEMPLATE = "skipped: made from another template"
    FAILED = "failed"


@dataclass
class RepoResult(Outcome):
    repo_type: str
    repo_id: str
    from_version: str = "-"
    to_version: str = "-"
    status: Status | None = None
    detail: str = ""
    pr_url: str = ""
    diff: str = ""

    @property
    def failed(self) -> bool:
        return self.status is Status.FAILED


def changelog_between(from_version: str, to_version: str, template: str | None) -> str:
    """The CHANGELOG sections after `from_version` up to `to_version`, read from the template at `to_version`."""
    from packaging.version import InvalidVersion, Version

    text = ""
    if template and Path(template).is_dir():
        shown = run_git(Path(template), "show", f"{to_version}:CHANGELOG.md")
        text = shown.stdout if shown.returncode == 0 else ""
    if not text and CHANGELOG.is_file():
        text = CHANGELOG.read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.M)[1:]
    kept = []
    for section in sections:
        try:
            version = Version(section.split()[0])
            low, high = Version(from_version), Version(to_version)
        except (InvalidVersion, IndexError):
            continue
        if low < version <= high:
            kept.append("### " + section.strip())
    return "\n\n".join(kept) or "(no CHANGELOG entries found between these versions)"


class UpdateVisitor(OutcomeRows[RepoResult]):
    """fleet-update's visit of one repo whose answers name the operator's template: stop when it is current,
    else download only the files the template owns and open a pull request with `copier update`'s result."""

    command = "fleet-update"
    statuses = Status
    nothing_done = "nothing was updated"

    def __init__(self, options: Options, dry_run: bool = False) -> None:
        self.options, self.dry_run = options, dry_run
        self.template: TemplateRepo | None = None
        self.target: str | None = None

    def begin(self, template: TemplateRepo, scratch: Path) -> None:
        self.template, self.target = template, self.options.vcs_ref or template.newest_release()

    def not_from_a_template(self, repo: Repo) -> RepoResult:
        return self.row(repo).end(Status.NOT_FROM_A_TEMPLATE)

    def row(self, repo: Repo, version: str = "-") -> RepoResult:
        return RepoResult(repo.repo_type, repo.repo_id, from_version=version)

    def visit(self, api: Any, endpoint: str, repo: Repo, found: Answers) -> RepoResult:
        """Everything is read at the commit listed, and the answers that are checked are the ones in the work
        tree Copier renders; Copier renders the operator's clone of the template, never a source the repo
        names (see trusted_update)."""
        assert self.template is not None  # begin() came first  # nosec B101
        options, template = self.options, self.template
        repo_id, repo_type, revision = repo.repo_id, repo.repo_type, repo.revision
        answers = found.answers
        outcome = self.row(repo, self.recorded_version(answers))

        def failed(exc: BaseException, action: str) -> RepoResult:
            return outcome.end(Status.FAILED, explain(exc, action=action, repo_id=repo_id, endpoint=endpoint))

        # A first look, to download nothing for a repo refused; the answers rendered are checked again below.
        try:
            checked = trusted_update.check(found.folder, options.template)
        except trusted_update.Refused as err:
            return _refused(outcome, err)
        outcome.from_version = checked.from_version
        to_version = options.vcs_ref or self.target
        if to_version and outcome.from_version == to_version:
            outcome.to_version = to_version
            return outcome.end(Status.UP_TO_DATE)
        # Only what the update can touch: the template's files at both versions, and the answers.
        # Never the whole repo: a version the template's history does not hold cannot be updated anyway.
        before = template.owned_paths(outcome.from_version, answers)
        after = template.owned_paths(to_version or "HEAD", answers)
        if before is None or after is None:
            missing = outcome.from_version if before is None else to_version or "HEAD"
            return outcome.end(Status.FAILED, f"the template has no version {missing}")
        owned = sorted(before | after | {ANSWERS_FILE})
        download, work = found.scratch / "download", found.scratch / "repo"
        try:
            with_retries(
                lambda: api.snapshot_download(
                    repo_id=repo_id, repo_type=repo_type, revision=revision, local_dir=download, allow_patterns=owned
                )
            )
        except Exception as exc:
            return failed(exc, f"download {repo_id}")
        # The repo's files are data: a `.git` folder in them (git config can run commands) is not taken.
        shutil.copytree(download, work, ignore=shutil.ignore_patterns(".cache", ".git"))
        try:
            # The answers Copier will read are the ones checked, and the ones the files were chosen for.
            if trusted_update.check(work, options.template) != checked:
                return outcome.end(Status.FAILED, "the repo changed while it was read: run fleet-update again")
        except (trusted_update.Refused, ValueError) as err:
            return _refused(outcome, err)
        init_repository(work, f"{repo_id} at main")
        update, base = trusted_update.run_update(work, template.git_dir, found.scratch, vcs_ref=to_version)
        if update.returncode != 0:
            return outcome.end(Status.FAILED, trusted_update.last_line(update))
        outcome.to_version = self.recorded_version(load_answers(work))
        conflicts = sorted(set(git_output(work, "diff", "--name-only", "--diff-filter=U").split()))
        if conflicts:
            return outcome.end(Status.CONFLICT, ", ".join(conflicts))
        git_output(work, "add", "-A")
        changes = [
            line.split("\t", 1)
            for line in git_output(work, "diff", "--cached", "--no-renames", "--name-status", base).splitlines()
        ]
        if not changes:
            return outcome.end(Status.UP_TO_DATE)
        if self.dry_run:
            outcome.diff = git_output(work, "diff", "--cached", base)
            return outcome.end(Status.WOULD_OPEN, f"{len(changes)} files")
        return _open_pr(api, endpoint, outcome, work, changes, options)

    def report(self, results: list[RepoResult], out: TextIO) -> int:
        if self.dry_run:
            print_dry_run(results, lambda row: row.diff, out)
        print(summary_table(results), file=out)
        return 1 if any(r.failed for r in results) else 0


def _refused(outcome: RepoResult, err: Exception) -> RepoResult:
    """A repo whose answers name another template is skipped; any other refusal is a failure of that repo."""
    text = str(err)
    if text.startswith(trusted_update.FOREIGN):
        return outcome.end(Status.FOREIGN_TEMPLATE, text.removeprefix(trusted_update.FOREIGN))
    return outcome.end(Status.FAILED, text)


def open_pull_request(
    api: Any, repo_type: str, repo_id: str, title: str, description: str, operations: list[Any]
) -> tuple[str, bool]:
    """One Hub pull request of `operations` titled `title`, unless the operator opened one with that title that is
    still open: (its URL, whether it was open already). Another account's pull request with the same title (anyone
    may open one) is not ours: it neither stands in for ours nor stops it. Never writes to main. Raises what the
    client raises."""
    operator = api.whoami(cache=True)["name"]  # the scan asked it first: no request here
    for discussion in api.get_repo_discussions(repo_id, repo_type=repo_type, author=operator):
        if (
            discussion.is_pull_request
            and discussion.status == "open"
            and discussion.title == title
            and discussion.author == operator
        ):
            return discussion.url, True
    # Retried only when the Hub answered 429/5xx: a lost answer might hide a PR that was opened.
    info, _ = with_retries(
        lambda: api.create_commit(
            repo_id,
            operations,
            commit_message=title,
            commit_description=description,
            repo_type=repo_type,
            create_pr=True,
        ),
        retry_connection_errors=False,
    )
    return info.pr_url or "", False


def _open_pr(
    api: Any, endpoint: str, outcome: RepoResult, work: Path, changes: list[list[str]], options: Options
) -> RepoResult:
    from huggingface_hub import CommitOperationAdd, CommitOperationDelete

    title = f"{PR_TITLE}{outcome.to_version}"
    try:
        operations = [
            CommitOperationDelete(path_in_repo=path)
            if status == "D"
            else CommitOperationAdd(path_in_repo=path, path_or_fileobj=str(work / path))
            for status, path in changes
        ]
        listing = "\n".join(
            f"- `{path}` ({ {'A': 'added', 'D': 'deleted'}.get(status, 'changed') })" for status, path in changes
        )
        description = (
            f"`copier update` from hf-hub-template {outcome.from_version} to {outcome.to_version}, "
            f"keeping this repo's own edits. Review, then merge.\n\n## Files\n\n{listing}\n\n"
            f"## What changed in the template\n\n"
            f"{changelog_between(outcome.from_version, outcome.to_version, options.template)}\n\n"
            "Opened by `hf-hub-template fleet-update`."
        )
        outcome.pr_url, already = open_pull_request(
            api, outcome.repo_type, outcome.repo_id, title, description, operations
        )
    except Exception as exc:
        return outcome.end(
            Status.FAILED,
            explain(
                exc,
                action=f"open a pull request on {outcome.repo_id}",
                repo_id=outcome.repo_id,
                endpoint=endpoint,
            ),
        )
    if already:
        return outcome.end(Status.PR_ALREADY_OPEN)
    return outcome.end(Status.PR_OPENED, f"{len(changes)} files")


def run(options: Options, dry_run: bool = False, out: TextIO = sys.stdout) -> int:
    return scan(options, UpdateVisitor(options, dry_run), out)


def summary_table(results: list[RepoResult]) -> str:
    rows = [["repo", "from", "to", "result", "pull request"]]
    rows += [
        [f"{r.repo_type}:{r.repo_id}", r.from_version, r.to_version, short(r.result), r.pr_url or "-"] for r in results
    ]
    counts = {status: sum(1 for r in results if r.status is status) for status in Status}
    totals = ", ".join(
        f"{n} {status.value.replace(': ', ' (') + ')' if ': ' in status.value else status.value}"
        for status, n in counts.items()
        if n
    )
    return summary(rows, totals, results)
