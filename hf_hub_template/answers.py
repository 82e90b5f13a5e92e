"""Read a rendered project's Copier answers: untrusted input when the project came from a repo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml  # Copier depends on PyYAML, so it is always importable here

ANSWERS_FILE = ".copier-answers.yml"
MAX_ANSWERS_BYTES = 64 * 1024  # Copier writes a few hundred bytes; a file this large is not one of its


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: Copier never writes them, and nested aliases can fill memory."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "an alias (*name) is not allowed", event.start_mark)
        return super().compose_node(parent, index)


def load_answers(project: Path) -> dict[str, Any]:
    """The answers Copier recorded in `project`, or an empty dict if there are none.

    ValueError, with the reason, for a file that is too large, not YAML, uses aliases or is not a mapping.
    """
    path = project / ANSWERS_FILE
    if not path.is_file():
        return {}
    if path.stat().st_size > MAX_ANSWERS_BYTES:
        raise ValueError(f"{ANSWERS_FILE} is over {MAX_ANSWERS_BYTES // 1024} KiB: not an answers file Copier wrote")
    try:
        # bandit B506: _NoAliases is a SafeLoader (plain YAML types only), stricter still.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_NoAliases) or {}  # nosec B506
    except RecursionError:
        raise ValueError(f"{ANSWERS_FILE} is nested too deeply to be an answers file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as err:
        raise ValueError(f"{ANSWERS_FILE} is not readable YAML: {str(err).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path} is not a mapping of answers")
    return data
