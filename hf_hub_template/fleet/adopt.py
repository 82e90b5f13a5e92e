"""Adopt repos the template did not make: one Hub pull request each, after which the repo is a fleet member.
The visitor of fleet/scan.py for `fleet-adopt` (and, for one repo, `adopt`).

    hf-hub-template adopt REPO_ID [--repo-type space] [--dry-run]
    hf-hub-template fleet-adopt NAMESPACE [--type space] [--match 'demo-*'] [--shard K/N] [--dry-run]

Per repo: its card's front matter and a few small files are read (bounded; never weights or data), the
answers are inferred (fleet/infer.py), the operator's template is rendered with them (a Copier subprocess
without credentials, as fleet-status renders), and the pull request adds the answers file and the template's
scaffolding (CONTRIBUTING.md, tests/ with hub_rules.py, the Hub's .gitattributes rules) and the card keys
the card lacks. The repo's app, code, data and card text are kept: no file of the repo is replaced. A repo
the template cannot represent, or whose adopted card the Hub's rules refuse, is a row with the reason.
"""

from __future__ import annotations

import enum
import json
import re
import subprocess  # nosec B404
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

import yaml

from hf_hub_template.answers import ANSWERS_FILE, load_answers
from hf_hub_template.fleet.infer import MAX_CARD_BYTES, CannotAdopt, Inferred, hub_rules, infer, read_card
from hf_hub_template.fleet.scan import (
    Answers,
    Options,
    Outcome,
    OutcomeRows,
    Repo,
    print_dry_run,
    scan,
    short,
    summary,
    visit_one,
)
from hf_hub_template.fleet.update import open_pull_request
from hf_hub_template.hub.errors import explain, with_retries
from hf_hub_template.template_files import TemplateRepo, copier_yml_at
from hf_hub_template.trusted_update import SRC_PATH_LINE, clone_environment, last_line
from hf_hub_template.untrusted import bounded, for_markdown

PR_TITLE = "Adopt hf-hub-template "  # then the version: one open adoption PR per repo and version
# The only files read from a repo, each at most MAX_FILE_BYTES (its README.md: MAX_CARD_BYTES).
READ = ("README.md", "requirements.txt", "packages.txt", "Dockerfile", ".gitattributes")
MAX_FILE_BYTES = 64 * 1024
MAX_NAMES = 50_000  # file names of one repo laid out for the Hub's rules (empty files; a dataset's shards)
# What the template adds to a repo it adopts, when the repo has no file of that name: its tests of the card
# against the Hub's rules, and how to publish, check and update it. Never an app, a Dockerfile or data.
SCAFFOLDING = ("CONTRIBUTING.md", "tests/hub_rules.py", "tests/test_card.py", "tests/requirements.txt")
RENDER_TIMEOUT = 600
VALIDATION = re.compile(r"Validation error for question '([A-Za-z0-9_]+)': ([^\n]*)")

MAX_LISTED = 20  # what a pull request body or a refusal lists of what a repo wrote; the rest is counted


class Status(enum.Enum):
    PR_OPENED = "PR opened"
    PR_ALREADY_OPEN = "PR already open"
    WOULD_OPEN = "would open a PR"
    MEMBER = "already a member"
    FOREIGN_TEMPLATE = "skipped: made from another template"
    CANNOT_ADOPT = "cannot adopt"
    FAILED = "failed"


@dataclass
class AdoptResult(Outcome):
    repo_type: str
    repo_id: str
    version: str = "-"
    status: Status | None = None
    detail: str = ""
    pr_url: str = ""
    description: str = ""  # the pull request's text (shown by --dry-run)
    files: list[str] = field(default_factory=list)


class AdoptVisitor(OutcomeRows[AdoptResult]):
    """fleet-adopt's visit of each repo without the template's answers file: infer, render, open one PR.
    A repo with answers naming the operator's template is a member already; one naming another, skipped."""

    command = "fleet-adopt"
    statuses = Status
    nothing_done = "nothing was adopted"

    def __init__(self, options: Options, dry_run: bool = False, strict: bool = False) -> None:
        self.options, self.dry_run, self.strict = options, dry_run, strict
        self.template: TemplateRepo | None = None
        self.version: str | None = None
        self.questions: dict[str, Any] = {}

    def begin(self, template: TemplateRepo, scratch: Path) -> None:
        self.template, self.version = template, self.options.vcs_ref or template.newest_release()
        text = copier_yml_at(template.git_dir, self.version or "HEAD")
        loaded = yaml.safe_load(text) if text is not None else None  # the operator's template
        self.questions = loaded if isinstance(loaded, dict) else {}

    def not_from_a_template(self, repo: Repo) -> AdoptResult:  # the scan hands such repos to non_member
        return self.row(repo).end(Status.FAILED, f"its {ANSWERS_FILE} could not be read")

    def row(self, repo: Repo, version: str = "-") -> AdoptResult:
        return AdoptResult(repo.repo_type, repo.repo_id, version=version)

    def visit(self, api: Any, endpoint: str, repo: Repo, found: Answers) -> AdoptResult:
        outcome = self.row(repo, self.recorded_version(found.answers))
        return outcome.end(Status.MEMBER, "fleet-update keeps it current")

    def non_member(self, api: Any, endpoint: str, repo: Repo, scratch: Path) -> AdoptResult:
        outcome = self.row(repo)
        try:
            return self._adopt(api, endpoint, repo, scratch, outcome)
        except CannotAdopt as err:
            return outcome.end(Status.CANNOT_ADOPT, str(err))
        except Exception as exc:
            message = explain(exc, action=f"adopt {repo.repo_id}", repo_id=repo.repo_id, endpoint=endpoint)
            return outcome.end(Status.FAILED, message)

    def _adopt(self, api: Any, endpoint: str, repo: Repo, scratch: Path, outcome: AdoptResult) -> AdoptResult:
        assert self.template is not None  # begin() came first  # nosec B101
        files = repo.files if repo.files is not None else list_files(api, repo)
        texts = {name: read_small(api, endpoint, repo, name) for name in READ if name in files}
        try:
            meta, _ = read_card(texts.get("README.md", ""))
        except ValueError as err:
            raise CannotAdopt(str(err)) from None
        inferred = infer(repo.repo_type, repo.repo_id, meta, files, texts, self.questions)
        rendered, refused = render(self.template, self.options.template, self.version, inferred.answers, scratch)
        recorded = load_answers(rendered)
        outcome.version = self.recorded_version(recorded)
        changes, added_keys = compose(texts, files, rendered, recorded, inferred, self.options.template)
        view = lay_out(scratch / "view", files, texts | changes)
        errors, advice = hub_rules().errors_and_warnings(view, repo.repo_type)
        if errors:
            raise CannotAdopt(
                "the Hub's rules refuse its card or files: "
                + "; ".join(bounded(str(e)) for e in errors[:MAX_LISTED])
                + (f"; and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else "")
                + " (fix, then adopt)"
            )
        outcome.files = sorted(changes)
        outcome.description = describe(inferred, recorded, refused, added_keys, changes, texts, advice, outcome.version)
        if self.dry_run:
            return outcome.end(Status.WOULD_OPEN, f"{len(changes)} files")
        from huggingface_hub import CommitOperationAdd

        operations = [CommitOperationAdd(path_in_repo=path, path_or_fileobj=changes[path].encode()) for path in changes]
        title = f"{PR_TITLE}{outcome.version}"
        outcome.pr_url, already = open_pull_request(
            api, repo.repo_type, repo.repo_id, title, outcome.description, operations
        )
        if already:
            return outcome.end(Status.PR_ALREADY_OPEN)
        return outcome.end(Status.PR_OPENED, f"{len(changes)} files")

    def report(self, rows: list[AdoptResult], out: TextIO) -> int:
        if self.dry_run:
            print_dry_run(rows, lambda row: row.description, out)
        print(summary_table(rows), file=out)
        done = (Status.PR_OPENED, Status.PR_ALREADY_OPEN, Status.WOULD_OPEN, Status.MEMBER)
        if any(r.status is Status.FAILED for r in rows) or (self.strict and any(r.status not in done for r in rows)):
            return 1
        return 0


def list_files(api: Any, repo: Repo) -> frozenset[str]:
    """The repo's file names at the listed commit (when the listing named none): one tree listing."""
    tree = with_retries(
        lambda: list(api.list_repo_tree(repo.repo_id, repo_type=repo.repo_type, revision=repo.revision, recursive=True))
    )[0]
    return frozenset(entry.path for entry in tree if hasattr(entry, "blob_id"))


def read_small(api: Any, endpoint: str, repo: Repo, path: str) -> str:
    """One small text file of the repo at the listed commit, in one request, never more than its cap.
    CannotAdopt for a file over the cap or not UTF-8 (it is not a card or a requirements file)."""
    from huggingface_hub import hf_hub_url
    from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status

    limit = MAX_CARD_BYTES if path == "README.md" else MAX_FILE_BYTES
    url = hf_hub_url(repo.repo_id, path, repo_type=repo.repo_type, revision=repo.revision, endpoint=endpoint)

    def download() -> bytes:
        data = bytearray()
        headers = build_hf_headers(token=api.token or None)
        with get_session().stream("GET", url, headers=headers, follow_redirects=True) as response:
            hf_raise_for_status(response)
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    raise CannotAdopt(f"its {path} is over {limit // 1024} KiB: not read")
        return bytes(data)

    try:
        return with_retries(download)[0].decode("utf-8")
    except UnicodeDecodeError:
        raise CannotAdopt(f"its {path} is not UTF-8 text") from None


def render(
    template: TemplateRepo, source: str, version: str | None, data: dict[str, Any], scratch: Path
) -> tuple[Path, dict[str, str]]:
    """`copier copy` of the operator's clone with `data`, as fleet-status renders (a subprocess, no tasks, no
    credential, git over `file` only). An answer the template refuses is dropped for its default and said:
    {answer: the template's reason}. The answers file names `source`, the operator's spelling."""
    refused: dict[str, str] = {}
    data = dict(data)
    for attempt in range(len(data) + 1):
        folder = scratch / f"render-{attempt}"
        folder.mkdir(parents=True)
        dst, data_file = folder / "project", folder / "answers.yml"
        data_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        env, remote = clone_environment(folder, source, template.git_dir)
        named = source if remote else str(template.git_dir)
        ref = ["--vcs-ref", version] if version else []
        result = subprocess.run(  # nosec B603
            [sys.executable, "-I", "-m", "copier", "copy", "--defaults", "--quiet", "--skip-tasks", *ref]
            + ["--data-file", str(data_file), named, str(dst)],
            cwd=folder,
            capture_output=True,
            text=True,
            env=env,
            timeout=RENDER_TIMEOUT,
        )
        if result.returncode == 0:
            answers = dst / ANSWERS_FILE
            if load_answers(dst).get("_src_path") != source:  # the clone's path: the operator's spelling instead
                text = answers.read_text(encoding="utf-8")
                answers.write_text(SRC_PATH_LINE.sub(lambda _: f"_src_path: {json.dumps(source)}", text, count=1))
            return dst, refused
        refusal = VALIDATION.search(result.stderr or "")
        if refusal is None or refusal.group(1) not in data or refusal.group(1) in ("repo_type", "space_sdk"):
            raise RuntimeError(f"the template could not be rendered for it: {last_line(result)}")
        refused[refusal.group(1)] = refusal.group(2)
        del data[refusal.group(1)]
    raise RuntimeError("the template could not be rendered for it")


def compose(
    texts: dict[str, str],
    files: frozenset[str],
    rendered: Path,
    recorded: dict[str, Any],
    inferred: Inferred,
    source: str,
) -> tuple[dict[str, str], dict[str, Any]]:
    """The files of the pull request (path -> text), and the card keys it adds. Only new files, the card's
    missing keys and .gitattributes' missing rules: no file of the repo is replaced."""
    changes = {ANSWERS_FILE: (rendered / ANSWERS_FILE).read_text(encoding="utf-8")}
    for path in SCAFFOLDING:
        if path not in files and (rendered / path).is_file():
            changes[path] = (rendered / path).read_text(encoding="utf-8")
    template_rules = (rendered / ".gitattributes").read_text(encoding="utf-8")
    merged = merge_gitattributes(texts.get(".gitattributes") if ".gitattributes" in files else None, template_rules)
    if merged is not None:
        changes[".gitattributes"] = merged
    added = {key: recorded[answer] for key, answer in inferred.card_from_answers.items() if answer in recorded}
    added |= inferred.card_values
    if "README.md" not in files:  # no card of its own: the template's, with these answers
        changes["README.md"] = (rendered / "README.md").read_text(encoding="utf-8")
        return changes, {}
    if added:
        changes["README.md"] = add_card_keys(texts["README.md"], added)
    return changes, added


def merge_gitattributes(own: str | None, template: str) -> str | None:
    """The repo's .gitattributes with the template's rules for patterns it does not have (None: nothing to add)."""
    if own is None:
        return template
    have = {line.split()[0] for line in own.splitlines() if line.strip() and not line.lstrip().startswith("#")}
    missing = [
        line
        for line in template.splitlines()
        if line.strip() and not line.startswith("#") and line.split()[0] not in have
    ]
    if not missing:
        return None
    return own.rstrip("\n") + "\n# The Hub's LFS rules, as hf-hub-template writes them\n" + "\n".join(missing) + "\n"


def add_card_keys(text: str, added: dict[str, Any]) -> str:
    """The card with `added` at the end of its front matter (a front matter made if it has none); every line
    of the card as it was."""
    block = yaml.safe_dump(added, allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
    match = hub_rules().FRONT_MATTER.match(text)
    if not match:
        return f"---\n{block}\n---\n\n{text}"
    newline = "\r\n" if "\r\n" in match.group(0) else "\n"
    end = match.end(1)
    return text[:end] + newline + block.replace("\n", newline) + text[end:]


def lay_out(folder: Path, files: frozenset[str], texts: dict[str, str]) -> Path:
    """The repo as the Hub's rules look at it: each file name (empty; never downloaded), the files read."""
    for name in sorted(files)[:MAX_NAMES]:
        path = _inside(folder, name)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
    for name, text in texts.items():
        path = _inside(folder, name)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return folder


def _inside(folder: Path, name: str) -> Path | None:
    """`folder / name` for a plain relative name (a repo's file names are data: no `..`, no absolute path)."""
    parts = PurePosixPath(name).parts
    if (
        not parts
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(p in ("..", ".", ".git") for p in parts)
    ):
        return None
    return folder.joinpath(*parts)


def describe(
    inferred: Inferred,
    recorded: dict[str, Any],
    refused: dict[str, str],
    added: dict[str, Any],
    changes: dict[str, str],
    texts: dict[str, str],
    advice: list[Any],
    version: str,
) -> str:
    """The pull request's text: what was read, what was not (with the default chosen), what it adds."""
    read = [
        f"| `{name}` | {for_markdown(_shown(recorded.get(name, value)))} | {for_markdown(inferred.sources[name])} |"
        for name, value in inferred.answers.items()
        if name in inferred.sources and name not in refused
    ]
    gates = [name for name in ("space_settings", "page_options", "repo_details") if name in recorded]
    defaults = [
        f"- `{name}`: {for_markdown(_shown(value))}"
        for name, value in recorded.items()
        if not name.startswith("_") and name not in inferred.answers and name not in gates
    ]
    defaults += [
        f"- `{name}`: {for_markdown(_shown(recorded.get(name, '')))} (the repo's value is refused: {for_markdown(why)})"
        for name, why in refused.items()
    ]
    keys = [
        f"- {for_markdown(yaml.safe_dump({key: value}, allow_unicode=True, width=1000).strip())}"
        for key, value in added.items()
    ]
    listing = [f"- `{path}` ({'changed' if path in texts else 'added'})" for path in sorted(changes)]
    notes = [f"- {for_markdown(bounded(note))}" for note in inferred.notes[:MAX_LISTED]]
    notes += [f"- the Hub's rules advise: {for_markdown(bounded(str(item)))}" for item in advice[:MAX_LISTED]]
    sections = [
        f"Adopts this repo into hf-hub-template {version}: once merged, `hf-hub-template fleet-update` keeps it "
        "current like a repo made from the template. Its app, code, data and card text stay as they are: this "
        "adds the template's answers, its tests of the card against the Hub's rules, CONTRIBUTING.md, the Hub's "
        "LFS rules and the card keys the card lacks. Review, then merge.",
        "## Answers read from the repo\n\n| answer | value | read from |\n| --- | --- | --- |\n" + "\n".join(read),
        "## Answers it could not infer\n\nThe template's defaults were recorded; edit `.copier-answers.yml` "
        f"to change them (the gates {', '.join(f'`{g}`' for g in gates)} are recorded as no).\n\n"
        + ("\n".join(defaults) or "(none)"),
        "## Card keys added\n\n" + ("\n".join(keys) or "(none: the card has them all)"),
        "## Files\n\n" + "\n".join(listing),
    ]
    if notes:
        sections.append("## Notes\n\n" + "\n".join(notes))
    sections.append("Opened by `hf-hub-template adopt`.")
    return "\n\n".join(sections)


def _shown(value: Any) -> str:
    return "(empty)" if value in ("", None) else str(value)


def summary_table(results: list[AdoptResult]) -> str:
    rows = [["repo", "version", "result", "pull request"]]
    rows += [[f"{r.repo_type}:{r.repo_id}", r.version, short(r.result), r.pr_url or "-"] for r in results]
    counts = {status: sum(1 for r in results if r.status is status) for status in Status}
    totals = ", ".join(f"{n} {status.value.split(':')[0]}" for status, n in counts.items() if n)
    return summary(rows, totals, results)


def run(options: Options, dry_run: bool = False, out: TextIO = sys.stdout) -> int:
    """fleet-adopt: every repo of the namespace without the template's answers file."""
    return scan(options, AdoptVisitor(options, dry_run), out)


def adopt_one(options: Options, repo_type: str, repo_id: str, dry_run: bool = False, out: TextIO = sys.stdout) -> int:
    """adopt REPO_ID: the same visit for one repo; exit 1 unless a pull request is open (or would be)."""
    return visit_one(options, Repo(repo_type, repo_id), AdoptVisitor(options, dry_run, strict=True), out)
