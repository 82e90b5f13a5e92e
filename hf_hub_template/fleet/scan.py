"""The one scan of a namespace that every fleet command makes: connect, say at once if the Hub or the token
fails, list the repos (each at the commit the listing gave), clone the operator's template once, then for
each repo download its answers file at that commit and check that it names the operator's template; only
then is the repo handed to the command's visitor. The visitor's rows are reported in repo order.

A visitor that also reads the repos without the template's answers file (fleet-adopt) has a `non_member`
method: those repos are handed to it, in the same pool, instead of being one `not_from_a_template` row.

What a repo wrote is data: its answers are parsed bounded (answers.load_answers), and a repo whose
`_src_path` is not the operator's template is never rendered (template_source.same_template).
"""

from __future__ import annotations

import fnmatch
import hashlib
import sys
import tempfile
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, Protocol, TextIO, TypeVar

from hf_hub_template.answers import ANSWERS_FILE, load_answers
from hf_hub_template.hub.errors import HubStepError, explain, with_retries
from hf_hub_template.hub.facts import REPO_TYPES
from hf_hub_template.hub.session import connect
from hf_hub_template.template_files import TemplateRepo
from hf_hub_template.template_source import same_template
from hf_hub_template.untrusted import for_terminal, terminal_table

Row = TypeVar("Row")


@dataclass(frozen=True)
class Options:
    """Which repos a fleet command reads, and the one template whose repos it handles."""

    namespace: str
    template: str  # the only template source whose repos are handled (its tasks and migrations may run here)
    types: tuple[str, ...] = REPO_TYPES
    match: str = "*"
    vcs_ref: str | None = None
    workers: int = 4
    shard: tuple[int, int] = (1, 1)  # (K, N): this run takes the K-th of N deterministic parts


@dataclass(frozen=True)
class Repo:
    repo_type: str
    repo_id: str
    revision: str | None = None  # the commit the listing gave: everything of the repo is read at it
    # Its file names as the listing gave them (None: the listing named none). Read by a non_member visit.
    files: frozenset[str] | None = field(default=None, compare=False, repr=False)
    # A Space's runtime ({"stage": ..., "errorMessage": ...}) and last commit time, as the listing gave them
    # (None: it gave none). fleet-status reads them rather than asking each Space.
    runtime: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    last_modified: datetime | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Answers:
    """A repo's answers file, downloaded at the listed commit and naming the operator's template."""

    answers: dict[str, Any]
    folder: Path  # holds the downloaded answers file
    scratch: Path  # a temporary folder of this repo's own, emptied after the visit


class Visitor(Protocol[Row]):
    """What one fleet command does with the repos the scan finds (fleet/update.py, fleet/status.py)."""

    command: str  # its name, for the progress bar and its own messages
    nothing_done: str  # what the command says when the operator's template cannot be cloned

    def begin(self, template: TemplateRepo, scratch: Path) -> None: ...
    def visit(self, api: Any, endpoint: str, repo: Repo, found: Answers) -> Row: ...
    def not_from_a_template(self, repo: Repo) -> Row: ...
    def foreign(self, repo: Repo, source: str, answers: dict[str, Any]) -> Row: ...
    def failed(self, repo: Repo, message: str) -> Row: ...
    def report(self, rows: list[Row], out: TextIO) -> int: ...


def in_shard(repo_type: str, repo_id: str, shard: tuple[int, int]) -> bool:
    """The same repo always falls in the same one of N shards, on any machine and in any run."""
    index, count = shard
    digest = hashlib.sha256(f"{repo_type}:{repo_id}".encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def list_repos(api: Any, options: Options) -> list[tuple[Repo, bool]]:
    """Every repo of the namespace that matches, at its commit at listing time, and whether it may carry an
    answers file. A listing without file names (`siblings`) counts as "may": the download then tells."""
    listers = {"space": api.list_spaces, "model": api.list_models, "dataset": api.list_datasets}
    # A Space's listing also carries its runtime stage and last commit time: no request per Space for them.
    wanted = {"space": {"expand": ["sha", "siblings", "runtime", "lastModified"]}}
    found = []
    for repo_type in options.types:
        for info in listers[repo_type](author=options.namespace, **wanted.get(repo_type, {"full": True})):
            if not fnmatch.fnmatch(info.id.split("/", 1)[1], options.match):
                continue
            if not in_shard(repo_type, info.id, options.shard):
                continue
            files = None if info.siblings is None else {sibling.rfilename for sibling in info.siblings}
            sha = getattr(info, "sha", None)
            runtime = getattr(info, "runtime", None)
            modified = getattr(info, "last_modified", None)
            repo = Repo(
                repo_type,
                info.id,
                sha if isinstance(sha, str) else None,
                None if files is None else frozenset(files),
                runtime.raw if runtime is not None and isinstance(getattr(runtime, "raw", None), dict) else None,
                modified if isinstance(modified, datetime) else None,
            )
            found.append((repo, files is None or ANSWERS_FILE in files))
    return sorted(found, key=lambda item: (item[0].repo_type, item[0].repo_id))


def scan(options: Options, visitor: Visitor[Row], out: TextIO = sys.stdout) -> int:
    """Read the namespace, visit each repo (options.workers at once), report; the report's exit status."""
    from tqdm.auto import tqdm  # a huggingface_hub dependency

    try:
        api, endpoint = connect()
        # One request that the client does not retry: an unreachable Hub or a refused token is said at
        # once, before the listing (which the client retries for a minute and more).
        api.whoami(cache=True)
        repos = with_retries(lambda: list_repos(api, options))[0]
    except HubStepError as err:
        print(err, file=sys.stderr)
        return 1
    except Exception as exc:
        action = f"list the repos of {options.namespace}"
        print(explain(exc, action=action, repo_id=options.namespace, endpoint=endpoint), file=sys.stderr)
        return 1
    reads_all = _non_member(visitor) is not None  # fleet-adopt: the repos without answers are its work
    rows = [] if reads_all else [(repo, visitor.not_from_a_template(repo)) for repo, may in repos if not may]
    todo = [(repo, may) for repo, may in repos if may or reads_all]
    with (
        tempfile.TemporaryDirectory(prefix=f"hf-{visitor.command}-") as scratch,
        ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool,
        tqdm(total=len(todo), desc=f"{visitor.command} {options.namespace}", unit="repo", file=sys.stderr) as bar,
    ):
        try:
            template = TemplateRepo(options.template, Path(scratch))
        except RuntimeError as err:  # the operator's template cannot be cloned: nothing to compare with
            print(f"{visitor.command}: {for_terminal(err)}; {visitor.nothing_done}.", file=sys.stderr)
            return 1
        visitor.begin(template, Path(scratch))
        futures = {pool.submit(_visit, api, endpoint, repo, options, visitor, may): repo for repo, may in todo}
        for future in as_completed(futures):
            rows.append((futures[future], future.result()))
            bar.update()
    rows.sort(key=lambda item: (item[0].repo_type, item[0].repo_id))
    return visitor.report([row for _, row in rows], out)


def _non_member(visitor: Visitor[Row]) -> Callable[[Any, str, Repo, Path], Row] | None:
    """The visitor's `non_member(api, endpoint, repo, scratch)`, if it reads repos without the answers file."""
    method = getattr(visitor, "non_member", None)
    return method if callable(method) else None


def _visit(api: Any, endpoint: str, repo: Repo, options: Options, visitor: Visitor[Row], may: bool = True) -> Row:
    """One repo: its answers file at the listed commit, checked, then the visitor. Whatever goes wrong with
    this repo is its row; it never ends the scan of the others. `may`: the listing did not rule the answers
    file out (a repo it did is handed straight to the visitor's non_member)."""
    try:
        with tempfile.TemporaryDirectory(prefix="hf-fleet-") as tmp:
            non_member = _non_member(visitor)
            if not may and non_member is not None:
                return non_member(api, endpoint, repo, Path(tmp))
            return _read_and_visit(api, endpoint, repo, options, visitor, Path(tmp))
    except Exception as exc:
        return _failed(visitor, repo, exc, f"read {repo.repo_id}", endpoint)


def _failed(visitor: Visitor[Row], repo: Repo, exc: BaseException, action: str, endpoint: str) -> Row:
    return visitor.failed(repo, explain(exc, action=action, repo_id=repo.repo_id, endpoint=endpoint))


def _read_and_visit(api: Any, endpoint: str, repo: Repo, options: Options, visitor: Visitor[Row], scratch: Path) -> Row:
    from huggingface_hub.errors import EntryNotFoundError

    # The answers file in a folder of its own: snapshot_download given a folder that already holds files
    # returns those files (with a warning) when the Hub fails, so a visitor downloads elsewhere.
    folder = scratch / "answers"
    try:
        with_retries(
            lambda: api.hf_hub_download(
                repo.repo_id, ANSWERS_FILE, repo_type=repo.repo_type, revision=repo.revision, local_dir=folder
            )
        )
    except EntryNotFoundError:
        non_member = _non_member(visitor)
        return visitor.not_from_a_template(repo) if non_member is None else non_member(api, endpoint, repo, scratch)
    except Exception as exc:
        return _failed(visitor, repo, exc, f"download {repo.repo_id}", endpoint)
    try:
        answers = load_answers(folder)  # too big, aliased, not YAML, not a mapping, not UTF-8: ValueError
    except ValueError as exc:
        return visitor.failed(repo, f"its {ANSWERS_FILE} cannot be read: {exc}")
    if not answers:
        non_member = _non_member(visitor)
        return visitor.not_from_a_template(repo) if non_member is None else non_member(api, endpoint, repo, scratch)
    source = answers.get("_src_path")
    if not same_template(source, options.template, base=folder):  # a spelling it cannot read is never ours
        return visitor.foreign(repo, str(source or "(none recorded)"), answers)
    return visitor.visit(api, endpoint, repo, Answers(answers, folder, scratch))


def visit_one(options: Options, repo: Repo, visitor: Visitor[Row], out: TextIO = sys.stdout) -> int:
    """The scan of one repo named on the command line (`adopt REPO_ID`): the same checks and visit, its one row.
    `repo.revision` and `repo.files` are read from the Hub here (one repo_info)."""
    try:
        api, endpoint = connect()
        api.whoami(cache=True)
        info = with_retries(lambda: api.repo_info(repo.repo_id, repo_type=repo.repo_type))[0]
    except HubStepError as err:
        print(err, file=sys.stderr)
        return 1
    except Exception as exc:
        print(explain(exc, action=f"read {repo.repo_id}", repo_id=repo.repo_id, endpoint=endpoint), file=sys.stderr)
        return 1
    files = None if info.siblings is None else frozenset(sibling.rfilename for sibling in info.siblings)
    sha = getattr(info, "sha", None)
    found = Repo(repo.repo_type, repo.repo_id, sha if isinstance(sha, str) else None, files)
    with tempfile.TemporaryDirectory(prefix=f"hf-{visitor.command}-") as scratch:
        try:
            template = TemplateRepo(options.template, Path(scratch))
        except RuntimeError as err:
            print(f"{visitor.command}: {for_terminal(err)}; {visitor.nothing_done}.", file=sys.stderr)
            return 1
        visitor.begin(template, Path(scratch))
        row = _visit(api, endpoint, found, options, visitor, files is None or ANSWERS_FILE in files)
    return visitor.report([row], out)


Ended = TypeVar("Ended", bound="Outcome")


class Outcome:
    """What a fleet command says of one repo: a status (an Enum whose value is its words) and what it is
    about. fleet-update's RepoResult and fleet-adopt's AdoptResult are dataclasses that declare both fields."""

    repo_type: str
    repo_id: str
    status: Any
    detail: str

    @property
    def result(self) -> str:
        """The summary's words: the status, then what it is about."""
        text = self.status.value if self.status else ""
        return f"{text}: {self.detail}" if self.detail else text

    def end(self: Ended, status: Any, detail: str = "") -> Ended:
        self.status, self.detail = status, detail
        return self


class OutcomeRows(Generic[Ended]):
    """The rows fleet-update and fleet-adopt give a repo whose answers name another template, or that
    failed: a row made by `row` (the repo, at the template version its answers recorded), ended with the
    command's own FOREIGN_TEMPLATE or FAILED status (`statuses`, the command's Status enum)."""

    statuses: Any

    def row(self, repo: Repo, version: str = "-") -> Ended:
        raise NotImplementedError

    @staticmethod
    def recorded_version(answers: dict[str, Any]) -> str:
        """The template version an answers file recorded (its `_commit`), as the tables show it; "-" if none."""
        return str(answers.get("_commit", "-"))

    def foreign(self, repo: Repo, source: str, answers: dict[str, Any]) -> Ended:
        return self.row(repo, self.recorded_version(answers)).end(self.statuses.FOREIGN_TEMPLATE, source)

    def failed(self, repo: Repo, message: str) -> Ended:
        return self.row(repo).end(self.statuses.FAILED, message)


def print_dry_run(rows: Sequence[Ended], shown: Callable[[Ended], str], out: TextIO) -> None:
    """--dry-run: what each repo would get (`shown` of its row: a diff, a pull request's text), under a
    `===== TYPE ID` line; rows with nothing to show are left out."""
    for row in rows:
        if text := shown(row):
            print(for_terminal(f"===== {row.repo_type} {row.repo_id}\n{text}", keep_newlines=True), file=out)


def short(text: str, width: int = 60) -> str:
    """A result's first line, as a table cell of at most `width` characters."""
    first = text.splitlines()[0] if text else ""
    return first if len(first) <= width and first == text else first[: width - 1] + "…"


def summary(rows: list[list[str]], totals: str, results: list[Any]) -> str:
    """A fleet command's report: the table of `rows`, the `totals` line, then in full each result the table cut."""
    details = [
        for_terminal(f"{r.repo_type}:{r.repo_id}: {r.result}", keep_newlines=True)
        for r in results
        if short(r.result) != r.result
    ]
    return "\n".join([*terminal_table(rows), totals, *details])
