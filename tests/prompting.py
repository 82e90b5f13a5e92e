"""Copier's prompt, played by a test: answers what it is told and presses Enter for the rest.

Used by the question tests, the org-standard tests and the bench's count of questions asked."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class Prompter:
    """Stands in for `copier._main.unsafe_prompt`: answers `typed[name]` where given, else the default;
    notes each question asked and the default it offered (questionary skips a `when: false` one)."""

    def __init__(self, typed: dict[str, Any] | None = None) -> None:
        self.typed = typed or {}
        self.asked: list[str] = []
        self.offered: dict[str, Any] = {}

    def __call__(self, questions: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
        question = questions[0]
        name, when = question["name"], question.get("when", True)
        if callable(when) and not when(answers):
            return {name: answers[name]}
        default = question.get("default")
        self.asked.append(name)
        self.offered[name] = getattr(default, "value", default)  # a choice comes as a questionary Choice
        return {name: self.typed.get(name, answers[name])}


def copy_answering(
    template: Path, dst: Path, typed: dict[str, Any] | None = None, data: dict[str, Any] | None = None, **options: Any
) -> Prompter:
    """`copier copy` of `template` into `dst` at a prompt played by a Prompter (tasks skipped): the Prompter."""
    from unittest import mock

    import copier._main
    from copier import run_copy

    prompter = Prompter(typed)
    options.setdefault("quiet", True)
    with mock.patch.object(copier._main, "unsafe_prompt", prompter):
        run_copy(str(template), str(dst), data=data or {}, unsafe=True, skip_tasks=True, vcs_ref="HEAD", **options)
    return prompter
