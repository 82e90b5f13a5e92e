"""Fleet status: a read-only drift report of every repo of a namespace made from the template. The visitor
of fleet/scan.py for `fleet-status`.

    hf-hub-template fleet-status NAMESPACE [--type space] [--match 'demo-*'] [--json | --markdown]

Per repo: its template version, how many releases it is behind, which template-owned files were
edited (against a fresh render of its own answers at its own version, made once per distinct
answers), the open fleet pull request, and a Space's runtime stage. It writes nothing to the Hub.

Every other repo of the namespace gets a health row (fleet/health.py): the Hub's rules on its card
(errors: what the Hub refuses or what stops it running; warnings: advice), its Gradio and Python
versions, its runtime stage, and whether `adopt` can make it a member. Its card and a few small
files are read for it (bounded; never weights or data), and nothing is rendered.
"""

from __future__ import annotations

import hashlib
import json
import subprocess  # nosec B404
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml
from packaging.version import InvalidVersion, Version

from hf_hub_template.fleet.adopt import list_files, read_small
from hf_hub_template.fleet.health import (
    HEALTH_FILES,
    Health,
    Problem,
    TemplateOffer,
    card_health,
    runtime_problems,
    template_offer,
    utc_now,
)
from hf_hub_template.fleet.infer import CannotAdopt
from hf_hub_template.fleet.scan import Answers, Options, Repo, scan
from hf_hub_template.fleet.update import PR_TITLE
from hf_hub_template.hub.content import content_ids, hub_file_id
from hf_hub_template.hub.errors import explain, with_retries
from hf_hub_template.template_files import TemplateRepo
from hf_hub_template.template_source import safe_ref
from hf_hub_template.trusted_update import FOREIGN, clone_environment
from hf_hub_template.untrusted import for_markdown, for_terminal, terminal_table

RENDER_TIMEOUT = 600  # seconds for one `copier copy` of the trusted template
NOT_A_MEMBER = "no .copier-answers.yml"


@dataclass
class RepoStatus:
    repo_type: str
    repo_id: str
    version: str = "-"
    behind: int | None = None
    edited: list[str] | None = None
    pull_request: str = "-"
    stage: str = "-"
    note: str = ""
    health: Health | None = None  # a repo the template did not make: its health row (members: None)


@dataclass
class Renders:
    """Fresh renders of the template, one per distinct (version, answers): their files' git blob ids.

    The pool's threads share it. Per key, the first caller renders and the others wait for its
    outcome (a lock per key), and every render writes into a folder of its own: two repos with the
    same answers never run two `copier copy` into one folder (issue 29).
    """

    template: str
    scratch: Path
    done: dict[str, tuple[dict[str, tuple[str, str]] | None, BaseException | None]] = field(default_factory=dict)
    rendering: dict[str, threading.Lock] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def blobs(self, version: str, answers: dict[str, Any]) -> dict[str, tuple[str, str]] | None:
        """Each file of a fresh render: its git blob id and its sha256 (an LFS file is known by the latter).

        None when Copier cannot render `version` with these answers, or `version` is no plain ref.
        """
        ref = safe_ref(version)
        if ref is None:  # read from a repo: never handed to git or Copier unless it is a plain ref
            return None
        data = {k: v for k, v in sorted(answers.items()) if not k.startswith("_")}
        source = str(answers.get("_src_path") or "")  # checked by the caller: the operator's template
        key = hashlib.sha256(f"{ref}\n{source}\n{yaml.safe_dump(data)}".encode(), usedforsecurity=False).hexdigest()
        with self.lock:
            key_lock = self.rendering.setdefault(key, threading.Lock())
        with key_lock:  # the first caller renders; the others wait here, then take its outcome
            with self.lock:
                outcome = self.done.get(key)
            if outcome is None:
                try:
                    outcome = (self._render(ref, data, source), None)
                except Exception as exc:  # every repo with these answers gets the same failure, once
                    outcome = (None, exc)
                with self.lock:
                    self.done[key] = outcome
        blobs, error = outcome
        if error is not None:
            raise error
        return blobs

    def _render(self, ref: str, data: dict[str, Any], source: str) -> dict[str, tuple[str, str]] | None:
        """Copier renders the clone, but under the repo's own spelling of the template (`_src_path`), so the
        files that name it (the publish command in README.md) render as the repo's did: git fetches over
        `file` only, that spelling rewritten to the clone (as trusted_update does for an update)."""
        self.scratch.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="render-", dir=self.scratch))  # this render's alone
        dst, data_file = folder / "project", folder / "answers.yml"
        data_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        env, remote = clone_environment(folder, source, Path(self.template))
        named = source if remote else self.template
        # The trusted template only (checked by the caller), without tasks and without any credential.
        rendered = subprocess.run(  # nosec B603
            [sys.executable, "-I", "-m", "copier", "copy", "--defaults", "--quiet", "--skip-tasks", "--vcs-ref", ref]
            + ["--data-file", str(data_file), named, str(dst)],
            cwd=folder,  # a folder of its own (-I: nothing from the current folder is imported)
            capture_output=True,
            text=True,
            env=env,
            timeout=RENDER_TIMEOUT,
        )
        if rendered.returncode != 0:
            return None
        return {
            path.relative_to(dst).as_posix(): content_ids(path.read_bytes())
            for path in dst.rglob("*")
            if path.is_file()
        }


def releases_after(template: TemplateRepo, version: str, newest: str | None) -> int | None:
    """How many release tags lie after `version`, up to the newest (None when `version` is no release)."""
    if newest is None:
        return None
    try:
        current = Version(version)
    except InvalidVersion:
        return None
    releases = []
    for tag in template.tags():
        try:
            releases.append(Version(tag))
        except InvalidVersion:
            continue
    return sum(1 for release in releases if not release.is_prerelease and current < release <= Version(newest))


class StatusVisitor:
    """fleet-status's reading of one repo whose answers name the operator's template: its version, how far
    behind, its edited files, its fleet pull request and a Space's stage. Whatever goes wrong with this repo
    (the Hub, its files, a render) is said in the row's note; it never ends the report of the others."""

    command = "fleet-status"
    nothing_done = "no repo was read"

    def __init__(self, options: Options, output: str = "table") -> None:
        self.options, self.output = options, output
        self.template: TemplateRepo | None = None
        self.renders: Renders | None = None
        self.newest: str | None = None
        self.offer = TemplateOffer({}, None)

    def begin(self, template: TemplateRepo, scratch: Path) -> None:
        # Copier renders the clone made by the scan, on this disk: the template is fetched once, and no render
        # goes online.
        self.template, self.renders = template, Renders(str(template.git_dir), scratch / "renders")
        self.newest = self.options.vcs_ref or template.newest_release()
        self.offer = template_offer(template, self.newest)

    def not_from_a_template(self, repo: Repo) -> RepoStatus:  # the scan hands such repos to non_member
        return RepoStatus(repo.repo_type, repo.repo_id, note=NOT_A_MEMBER)

    def non_member(self, api: Any, endpoint: str, repo: Repo, scratch: Path) -> RepoStatus:
        """A repo the template did not make: its health row, from its card, a few small files and the
        listing's runtime. Cheap: one bounded GET per small file it has, no render."""
        status = RepoStatus(repo.repo_type, repo.repo_id, note=NOT_A_MEMBER)
        try:
            files = repo.files if repo.files is not None else list_files(api, repo)
            texts: dict[str, str] = {}
            unread: list[Problem] = []
            for name in HEALTH_FILES + ("package.json",):
                # package.json only for a static Space's build step (its npm script is checked)
                builds = name != "package.json" or "app_build_command" in texts.get("README.md", "")
                if name in files and builds:
                    try:
                        texts[name] = read_small(api, endpoint, repo, name)
                    except CannotAdopt as err:  # too big, or not text: not checked, and said
                        unread.append(Problem(name, f"not checked: {err}"))
            health = card_health(repo, files, texts, self.offer, scratch / "view")
            health.warnings += unread
            if repo.repo_type == "space":
                runtime = repo.runtime if repo.runtime is not None else api.get_space_runtime(repo.repo_id).raw
                status.stage = str(runtime.get("stage", "-"))
                health.errors += runtime_problems(runtime, repo.last_modified, utc_now())
            status.health = health
        except Exception as exc:
            status.note = "failed: " + explain(
                exc, action=f"read {repo.repo_id}", repo_id=repo.repo_id, endpoint=endpoint
            )
        return status

    def foreign(self, repo: Repo, source: str, answers: dict[str, Any]) -> RepoStatus:
        return RepoStatus(repo.repo_type, repo.repo_id, note=f"{FOREIGN}{source}")

    def failed(self, repo: Repo, message: str) -> RepoStatus:
        return RepoStatus(repo.repo_type, repo.repo_id, note=f"failed: {message}")

    def visit(self, api: Any, endpoint: str, repo: Repo, found: Answers) -> RepoStatus:
        status = RepoStatus(repo.repo_type, repo.repo_id)
        try:
            self._fill(status, api, repo, found.answers)
        except Exception as exc:
            status.note = "failed: " + explain(
                exc, action=f"read {repo.repo_id}", repo_id=repo.repo_id, endpoint=endpoint
            )
        return status

    def _fill(self, status: RepoStatus, api: Any, repo: Repo, answers: dict[str, Any]) -> None:
        assert self.template is not None and self.renders is not None  # begin() came first  # nosec B101
        repo_type, repo_id = repo.repo_type, repo.repo_id
        commit = answers.get("_commit")
        status.version = "-" if commit is None else str(commit)
        ref = safe_ref(commit)  # read from the repo: only a plain ref is compared, and so reaches git or Copier
        if ref is None:
            status.note = "no template version recorded" if commit is None else "the version is not a valid ref"
        else:
            status.behind = releases_after(self.template, ref, self.newest)
            # A file kept in LFS (the Parquet sample, images) is listed by its pointer's blob and its sha256.
            tree = with_retries(
                lambda: list(api.list_repo_tree(repo_id, repo_type=repo_type, revision=repo.revision, recursive=True))
            )[0]
            remote = {entry.path: hub_file_id(entry) for entry in tree if hasattr(entry, "blob_id")}
            rendered = self.renders.blobs(ref, answers)
            if rendered is None:
                status.note = f"the template could not be rendered at {ref} with its answers: edited files not compared"
            else:
                status.edited = sorted(path for path, ids in rendered.items() if remote.get(path) not in ids)
        for discussion in api.get_repo_discussions(repo_id, repo_type=repo_type):
            if discussion.is_pull_request and discussion.status == "open" and discussion.title.startswith(PR_TITLE):
                status.pull_request = f"#{discussion.num} {discussion.status}: {discussion.title[len(PR_TITLE) :]}"
                break
        if repo_type == "space":  # the listing's runtime, else one request
            listed = repo.runtime.get("stage") if repo.runtime is not None else None
            status.stage = str(listed if listed is not None else api.get_space_runtime(repo_id).stage)

    def report(self, rows: list[RepoStatus], out: TextIO) -> int:
        print(render_report(rows, self.output), file=out)
        return 1 if any(s.note.startswith("failed") for s in rows) else 0


def run_status(options: Options, output: str = "table", out: TextIO = sys.stdout) -> int:
    return scan(options, StatusVisitor(options, output), out)


def render_report(results: list[RepoStatus], output: str) -> str:
    """The members' drift table, then the health table of the repos the template did not make (when any)."""
    if output == "json":
        return json.dumps([asdict(s) for s in results], indent=2)
    members = [s for s in results if s.health is None]
    others = [s for s in results if s.health is not None]
    rows: list[tuple[str, ...]] = [("repo", "version", "behind", "edited", "pull request", "stage", "note")]
    for s in members:
        edited = "-" if s.edited is None else (", ".join(s.edited) if s.edited else "no")
        behind = "-" if s.behind is None else str(s.behind)
        rows.append((f"{s.repo_type}:{s.repo_id}", s.version, behind, edited, s.pull_request, s.stage, s.note))
    health: list[tuple[str, ...]] = [("repo", "sdk", "python", "stage", "errors", "advice", "adopt")]
    if output == "markdown":  # what a repo wrote (its version, its template's name) is escaped, cell by cell
        escaped = [rows[0], *(tuple(for_markdown(cell) for cell in row) for row in rows[1:])]
        tables = [_markdown(escaped)] if members or not others else []
        if others:
            health += [_health_cells(s, markdown=True) for s in others]
            tables.append(f"**{HEALTH_TITLE}** ({_counts(others)}). {HEALTH_LEGEND}.\n\n{_markdown(health)}")
        return "\n\n".join(tables)
    lines = terminal_table([list(row) for row in rows]) if members or not others else []
    if others:  # no control character reaches the terminal: terminal_table and for_terminal
        health += [_health_cells(s, markdown=False) for s in others]
        lines += ["", f"{HEALTH_TITLE} ({_counts(others)}); {HEALTH_LEGEND}."]
        lines += terminal_table([list(row) for row in health])
        lines += [for_terminal(line) for s in others for line in _health_details(s)]
    return "\n".join(lines)


HEALTH_TITLE = "Repos the template did not make"
HEALTH_LEGEND = "errors: the Hub refuses the card, or the repo does not build or run; advice: the Hub runs it as it is"


def _markdown(rows: list[tuple[str, ...]]) -> str:
    """A Markdown table of a header and rows whose cells are escaped already (for_markdown)."""
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
    return "\n".join(lines)


def _health_cells(s: RepoStatus, markdown: bool) -> tuple[str, ...]:
    """One health row: in Markdown every message (escaped, one per line), in a terminal the keys (the
    messages follow the table)."""
    health = s.health
    assert health is not None  # nosec B101
    sdk = (
        "-" if s.repo_type != "space" else health.sdk + ("" if health.sdk_version == "-" else f" {health.sdk_version}")
    )
    adopt = health.adoptable if markdown else health.adoptable.split(":")[0]
    cells = [f"{s.repo_type}:{s.repo_id}", sdk, health.python_version, s.stage]
    if markdown:
        said = [
            "<br>".join(for_markdown(f"{p.key}: {p.message}") for p in found) or "-"
            for found in (health.errors, health.warnings)
        ]
        return (*[for_markdown(cell) for cell in cells], *said, for_markdown(adopt))
    keys = [", ".join(dict.fromkeys(p.key for p in found)) or "-" for found in (health.errors, health.warnings)]
    return (*cells, *keys, adopt)


def _health_details(s: RepoStatus) -> list[str]:
    health = s.health
    assert health is not None  # nosec B101
    name = f"{s.repo_type}:{s.repo_id}"
    lines = [f"{name}: error: {p.key}: {p.message}" for p in health.errors]
    lines += [f"{name}: advice: {p.key}: {p.message}" for p in health.warnings]
    if health.adoptable not in ("yes", "-"):
        lines.append(f"{name}: adopt: {health.adoptable}")
    return lines


def _counts(others: list[RepoStatus]) -> str:
    errors = sum(1 for s in others if s.health is not None and s.health.errors)
    advice = sum(1 for s in others if s.health is not None and not s.health.errors and s.health.warnings)
    adoptable = sum(1 for s in others if s.health is not None and s.health.adoptable == "yes")
    return f"{len(others)} repos: {errors} with errors, {advice} with advice only, {adoptable} adoptable now"
