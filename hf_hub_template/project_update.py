"""`hf-hub-template update`: a local project brought to a template version, from the trusted template only,
the result applied to its work tree as uncommitted changes for the person to review.

Copier renders a clone of the project in a scratch folder (trusted_update: the operator's template, no
task, no credential); only the resulting patch reaches the project.
"""

from __future__ import annotations

import shlex
import tempfile
from pathlib import Path
from typing import Any

from hf_hub_template import trusted_update
from hf_hub_template.git import git_output, run_git
from hf_hub_template.template_files import TemplateRepo
from hf_hub_template.untrusted import for_terminal


class NotUpdated(Exception):
    """The update was refused before anything ran; `str(err)` says why and what to do."""


class UpdateFailed(Exception):
    """Copier failed (its own output was shown); the project was left as it was."""


def update_project(
    project: Path,
    trusted: str,
    *,
    vcs_ref: str | None,
    data: dict[str, Any],
    user_defaults: dict[str, Any],
) -> list[str]:
    """Update `project` (a clean git work tree made from `trusted`) to `vcs_ref`; the files that changed."""
    if not project.is_dir():
        raise NotUpdated(f"{project} does not exist.")
    dirty = run_git(project, "status", "--porcelain")
    if dirty.returncode != 0 or dirty.stdout.strip():
        raise NotUpdated(
            f"{project} is not a clean git work tree: commit or stash your changes, then run update again "
            "(the update is applied as changes you review)."
        )
    _check(project, trusted)
    with tempfile.TemporaryDirectory(prefix="hf-update-") as tmp:
        scratch, work = Path(tmp), Path(tmp) / "project"
        try:
            template = TemplateRepo(trusted, scratch)
        except RuntimeError as err:
            raise NotUpdated(f"{err}; nothing was changed.") from None
        git_output(scratch, "clone", "--quiet", "--", str(project), str(work))
        result, base = trusted_update.run_update(
            work,
            template.git_dir,
            scratch,
            vcs_ref=vcs_ref,
            data=data,
            user_defaults=user_defaults,
            quiet=False,
            capture=False,
        )
        if result.returncode != 0:
            raise UpdateFailed(f"{project} was left as it was.")
        git_output(work, "add", "-A")
        changed = git_output(work, "diff", "--cached", "--name-only", base).split()
        (scratch / "update.patch").write_text(git_output(work, "diff", "--cached", "--binary", base))
        if changed:
            git_output(project, "apply", "--whitespace=nowarn", str(scratch / "update.patch"))
    return changed


def _check(project: Path, trusted: str) -> None:
    """Only a project made from `trusted` is updated: another template's tasks and migrations never run here."""
    try:
        trusted_update.check(project, trusted)
    except (trusted_update.Refused, ValueError) as err:
        if not str(err).startswith(trusted_update.FOREIGN):
            raise NotUpdated(f"{project}: {for_terminal(err)}; nothing was run.") from None
        recorded = str(err).removeprefix(trusted_update.FOREIGN)
        named = recorded != trusted_update.NONE_RECORDED
        raise NotUpdated(
            f"{project} was made from {for_terminal(recorded)}, not from {trusted}; nothing was run. "
            "`copier update --trust` would run that template's tasks and migrations on this machine."
            + (f" If you trust it, run again with --template {shlex.quote(for_terminal(recorded))}." if named else "")
        ) from None
