"""Copier migrations: carry recorded answers across template versions. Run by `hooks/migrate.py`.

`_migrations` runs it before `copier update` renders the new version, in the project folder, with
one argument per step (one process for all of a release's steps keeps updates fast):
    python hooks/migrate.py rename-answer:OLD:NEW follow-default:KEY:OLD_DEFAULT:NEW_DEFAULT ...
Each step is idempotent: running it twice changes nothing more. `report-conflicts`, run after every
update, reads no answers: PyYAML loads only for the steps that do (its import is a third of this process).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HEADER = "# Changes here will be overwritten by Copier; do not edit by hand: use `copier update --trust`.\n"


def rename_answer(answers: dict[str, Any], old: str, new: str) -> str:
    """A question renamed between versions keeps its answer instead of being asked again."""
    if old not in answers:
        return f"no answer named {old}: nothing to rename"
    if new in answers:
        del answers[old]
        return f"{new} already answered: dropped the old {old}"
    answers[new] = answers.pop(old)
    return f"renamed answer {old} -> {new} ({answers[new]!r})"


def follow_default(answers: dict[str, Any], key: str, old_default: str, new_default: str) -> str:
    """Projects that kept the template's previous default move to the new one; a chosen value stays."""
    if str(answers.get(key)) != old_default:
        return f"{key} is {answers.get(key)!r}, not the previous default {old_default}: kept"
    answers[key] = new_default
    return f"{key}: {old_default} -> {new_default} (the template's new default)"


def answer_if_missing(answers: dict[str, Any], key: str, value: str) -> str:
    """A question new in this version gets, in a project made before it, the answer that keeps the project
    as it was (the question's default would change it)."""
    if key in answers:
        return f"{key} already answered ({answers[key]!r}): kept"
    answers[key] = value
    return f"{key}: {value} (the answer that keeps this project as it was)"


def private_to_visibility(answers: dict[str, Any]) -> str:
    """1.1.0's `visibility` (public, private, protected) takes over from the `private` yes/no."""
    if "visibility" in answers:
        answers.pop("private", None)
        return f"visibility already answered ({answers['visibility']!r}): kept"
    was_private = bool(answers.pop("private", False))
    answers["visibility"] = "private" if was_private else "public"
    return f"private: {str(was_private).lower()} -> visibility: {answers['visibility']}"


COMMANDS: dict[str, tuple[Callable[..., str], int]] = {
    "private-to-visibility": (private_to_visibility, 0),
    "rename-answer": (rename_answer, 2),
    "answer-if-missing": (answer_if_missing, 2),
    "follow-default": (follow_default, 3),
}


CONFLICT_MARKER = "<<<<<<< before updating"


def conflicted_files(project: Path) -> list[str]:
    """Files git lists as unmerged after the update, and text files holding Copier's inline markers."""
    from hf_hub_template.git import run_git

    unmerged = {
        line.split("\t", 1)[1] for line in run_git(project, "ls-files", "-u").stdout.splitlines() if "\t" in line
    }
    marked = set()
    for line in run_git(project, "grep", "-l", "-F", CONFLICT_MARKER, "--", ".").stdout.splitlines():
        marked.add(line.strip())
    return sorted(unmerged | marked)


def report_conflicts(project: Path) -> str | None:
    """After `copier update`: which files hold both versions, and what to do (None when none do)."""
    files = conflicted_files(project)
    if not files:
        return None
    return (
        f"copier update left conflicts in {len(files)} file{'s' if len(files) > 1 else ''}: {', '.join(files)}.\n"
        "Each holds your lines and the template's between '<<<<<<< before updating' and '>>>>>>> after updating'.\n"
        "Keep what you want, delete the markers, then `git add` each file and commit "
        "(`git diff --check` finds any marker left)."
    )


def main(argv: list[str]) -> int:
    if argv == ["report-conflicts"]:  # every update, after it is applied (copier.yml); reads, never writes
        message = report_conflicts(Path.cwd())
        if message:
            print(message, file=sys.stderr)
        return 0
    steps = [arg.split(":") for arg in argv]
    if not steps or any(step[0] not in COMMANDS or len(step) - 1 != COMMANDS[step[0]][1] for step in steps):
        print(__doc__, file=sys.stderr)
        return 2
    import yaml  # Copier depends on PyYAML, so it is always importable here

    from hf_hub_template.answers import ANSWERS_FILE

    answers_file = Path(ANSWERS_FILE)
    answers = yaml.safe_load(answers_file.read_text(encoding="utf-8")) or {}
    for name, *args in steps:
        print(f"migration: {COMMANDS[name][0](answers, *args)}", file=sys.stderr)
    answers_file.write_text(HEADER + yaml.safe_dump(answers, sort_keys=True, allow_unicode=True), encoding="utf-8")
    return 0
