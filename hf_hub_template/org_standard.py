"""Org-standard starters: an organisation's fixed answers and defaults, applied through Copier.

An org publishes one YAML file (see examples/acme/org-standard.yml):
    template: gh:ORG/hf-hub-template   # the template (and, with @ref, the version) it standardises on
    fixed:    {question: answer, ...}   # not asked, cannot be overridden
    defaults: {question: answer, ...}   # pre-filled at the prompt, people may change them
Copier offers both natively: `data` answers are never asked, `user_defaults` are prompt defaults.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from hf_hub_template.resources import template_file

COPIER_YML = template_file("copier.yml")


class OrgStandardError(ValueError):
    """The org file or the person's answers break the standard; the message says how."""


# Answers that are no longer asked but still accepted: 1.0.0's `private` (1.1.0 asks `visibility`).
LEGACY_QUESTIONS = {"private"}


def declared_questions(copier_yml: Path = COPIER_YML) -> set[str]:
    return questions_in(yaml.safe_load(copier_yml.read_text(encoding="utf-8")))


def unknown_answers(names: Iterable[str], questions: Collection[str]) -> list[str]:
    """The names no question has (Copier ignores such answers), each with the closest question when one is near."""
    return [
        f"{key} (did you mean {close[0]}?)" if (close := difflib.get_close_matches(key, questions, 1)) else key
        for key in sorted(set(names) - set(questions))
    ]


def questions_in(config: dict[str, Any]) -> set[str]:
    """The answers a copier.yml takes: its questions but the computed ones (`when: false`), and legacy names."""
    asked = {
        key
        for key, spec in config.items()
        if not key.startswith("_") and not (isinstance(spec, dict) and spec.get("when") is False)
    }
    return asked | (LEGACY_QUESTIONS & set(config))


@dataclass(frozen=True)
class OrgStandard:
    source: Path
    template: str | None
    fixed: dict[str, Any] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, questions: set[str] | None = None) -> OrgStandard:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict) or set(data) - {"template", "fixed", "defaults"}:
            raise OrgStandardError(f"{path}: the org standard holds only `template`, `fixed` and `defaults`.")
        fixed, defaults = data.get("fixed") or {}, data.get("defaults") or {}
        questions = declared_questions() if questions is None else questions
        # Copier silently ignores unknown answers: a typo would quietly drop a standard.
        hints = unknown_answers(set(fixed) | set(defaults), questions)
        if hints:
            raise OrgStandardError(
                f"{path}: {', '.join(hints)} {'is not a question' if len(hints) == 1 else 'are not questions'} "
                f"of this template. Known: {', '.join(sorted(questions))}."
            )
        both = sorted(set(fixed) & set(defaults))
        if both:
            raise OrgStandardError(f"{path}: {', '.join(both)} cannot be both fixed and a default.")
        return cls(path, data.get("template"), fixed, defaults)

    def answers(self, given: dict[str, Any]) -> dict[str, Any]:
        """The person's answers plus the fixed ones; overriding a fixed answer is refused."""
        clashes = sorted(k for k, v in given.items() if k in self.fixed and str(v) != str(self.fixed[k]))
        if clashes:
            detail = ", ".join(f"{k}={self.fixed[k]!r}" for k in clashes)
            raise OrgStandardError(
                f"{detail} {'is' if len(clashes) == 1 else 'are'} fixed by the org standard "
                f"{self.source}; ask its owners to change it, or start without --org-standard."
            )
        return {**given, **self.fixed}
