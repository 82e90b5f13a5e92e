"""Fleet status: a read-only drift report of every repo of a namespace made from the template.

    hf-hub-template fleet-status NAMESPACE [--type space] [--match 'demo-*'] [--json | --markdown]

Per repo: its template version, how many releases it is behind, which template-owned files were
edited (against a fresh render of its own answers at its own version, made once per distinct
answers), the open fleet pull request, and a Space's runtime stage. It writes nothing to the Hub.
"""

from __future__ import annotations

import hashlib
import json
import subprocess  # nosec B404
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml
from packaging.version import InvalidVersion, Version

from hf_hub_template.answers import ANSWERS_FILE, load_answers
from hf_hub_template.fleet import PR_TITLE, Options, list_repos
from hf_hub_template.hub_errors import HubStepError, explain, with_retries
from hf_hub_template.hub_session import connect
from hf_hub_template.publish import content_ids, hub_file_id
from hf_hub_template.template_files import TemplateRepo
from hf_hub_template.template_source import copier_environment, same_template


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


@dataclass
class Renders:
    """Fresh renders of the template, one per distinct (version, answers): their files' git blob ids."""

    template: str
    scratch: Path
    done: dict[str, dict[str, tuple[str, str]] | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def blobs(self, version: str, answers: dict[str, Any]) -> dict[str, tuple[str, str]] | None:
        """Each file of a fresh render: its git blob id and its sha256 (an LFS file is known by the latter)."""
        data = {k: v for k, v in sorted(answers.items()) if not k.startswith("_")}
        key = hashlib.sha256(f"{version}\n{yaml.safe_dump(data)}".encode(), usedforsecurity=False).hexdigest()
        with self.lock:
            if key in self.done:
                return self.done[key]
        dst, data_file = self.scratch / key / "project", self.scratch / key / "answers.yml"
        data_file.parent.mkdir(parents=True, exist_ok=True)
        data_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        # The trusted template only (checked by the caller), without tasks and without any credential.
        rendered = subprocess.run(  # nosec B603
            [sys.executable, "-m", "copier", "copy", "--defaults", "--quiet", "--skip-tasks", "--vcs-ref", version]
            + ["--data-file", str(data_file), self.template, str(dst)],
            capture_output=True,
            text=True,
            env=copier_environment(self.scratch / key),
        )
        blobs = None
        if rendered.returncode == 0:
            blobs = {
                path.relative_to(dst).as_posix(): content_ids(path.read_bytes())
                for path in dst.rglob("*")
                if path.is_file()
            }
        with self.lock:
            self.done[key] = blobs
        return blobs


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


def status_of_repo(
    api: Any, endpoint: str, repo_type: str, repo_id: str, options: Options, template: TemplateRepo, renders: Renders
) -> RepoStatus:
    from huggingface_hub.errors import EntryNotFoundError

    status = RepoStatus(repo_type, repo_id)
    with tempfile.TemporaryDirectory(prefix="hf-fleet-status-") as tmp:
        try:
            with_retries(lambda: api.hf_hub_download(repo_id, ANSWERS_FILE, repo_type=repo_type, local_dir=tmp))
            answers = load_answers(Path(tmp))
        except EntryNotFoundError:
            answers = {}
        except Exception as exc:
            status.note = "failed: " + explain(exc, action=f"read {repo_id}", repo_id=repo_id, endpoint=endpoint)
            return status
    if not answers:
        status.note = "no .copier-answers.yml"
        return status
    if not same_template(answers.get("_src_path"), options.template):
        status.note = f"made from another template: {answers.get('_src_path')}"
        return status
    status.version = str(answers.get("_commit", "-"))
    newest = options.vcs_ref or template.newest_release()
    status.behind = releases_after(template, status.version, newest)
    try:
        # A file kept in LFS (the Parquet sample, images) is listed by its pointer's blob and its sha256.
        remote = {
            entry.path: hub_file_id(entry)
            for entry in with_retries(lambda: list(api.list_repo_tree(repo_id, repo_type=repo_type, recursive=True)))[0]
            if hasattr(entry, "blob_id")
        }
        rendered = renders.blobs(status.version, answers)
        if rendered is not None:
            status.edited = sorted(path for path, ids in rendered.items() if remote.get(path) not in ids)
        for discussion in api.get_repo_discussions(repo_id, repo_type=repo_type):
            if discussion.is_pull_request and discussion.status == "open" and discussion.title.startswith(PR_TITLE):
                status.pull_request = f"#{discussion.num} {discussion.status}: {discussion.title[len(PR_TITLE) :]}"
                break
        if repo_type == "space":
            status.stage = str(api.get_space_runtime(repo_id).stage)
    except Exception as exc:
        status.note = "failed: " + explain(exc, action=f"read {repo_id}", repo_id=repo_id, endpoint=endpoint)
    return status


def run_status(options: Options, output: str = "table", out: TextIO = sys.stdout) -> int:
    try:
        api, endpoint = connect()
        api.whoami()  # one unretried request: an unreachable Hub or a refused token is said at once
        repos = with_retries(lambda: list_repos(api, options))[0]
    except HubStepError as err:
        print(err, file=sys.stderr)
        return 1
    except Exception as exc:
        action = f"list the repos of {options.namespace}"
        print(explain(exc, action=action, repo_id=options.namespace, endpoint=endpoint), file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="hf-fleet-status-") as scratch:
        template = TemplateRepo(options.template, Path(scratch))
        renders = Renders(options.template, Path(scratch) / "renders")
        ours = [(t, r) for t, r, may in repos if may]
        with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
            results = list(
                pool.map(lambda repo: status_of_repo(api, endpoint, repo[0], repo[1], options, template, renders), ours)
            )
    results += [RepoStatus(t, r, note="no .copier-answers.yml") for t, r, may in repos if not may]
    results.sort(key=lambda s: (s.repo_type, s.repo_id))
    print(render_report(results, output), file=out)
    return 1 if any(s.note.startswith("failed") for s in results) else 0


def render_report(results: list[RepoStatus], output: str) -> str:
    if output == "json":
        return json.dumps([asdict(s) for s in results], indent=2)
    rows = [("repo", "version", "behind", "edited", "pull request", "stage", "note")]
    for s in results:
        edited = "-" if s.edited is None else (", ".join(s.edited) if s.edited else "no")
        behind = "-" if s.behind is None else str(s.behind)
        rows.append((f"{s.repo_type}:{s.repo_id}", s.version, behind, edited, s.pull_request, s.stage, s.note))
    if output == "markdown":
        lines = ["| " + " | ".join(row) + " |" for row in rows]
        lines.insert(1, "| " + " | ".join("---" for _ in rows[0]) + " |")
        return "\n".join(lines)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)
