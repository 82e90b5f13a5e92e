"""Read a rendered project's Copier answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # Copier depends on PyYAML, so it is always importable here

ANSWERS_FILE = ".copier-answers.yml"


def load_answers(project: Path) -> dict[str, Any]:
    """The answers Copier recorded in `project`, or an empty dict if there are none."""
    path = project / ANSWERS_FILE
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a mapping of answers")
    return data
