"""Text read from a repo or from the Hub (answers, cards, error messages, log lines) is untrusted input.

Before it reaches a terminal it loses its control characters (an escape sequence can move the cursor,
rewrite earlier lines or fake a table row); before it reaches Markdown it is escaped (a `|` or a
newline adds a row, `<` opens raw HTML); before it reaches a printed command it is shell-quoted.
"""

from __future__ import annotations

import html
import re
import shlex

# C0 and C1 controls and DEL; line and paragraph separators; bidi embeddings, overrides and isolates
# (they reorder what is shown); zero-width characters. A tab becomes a space, a newline is kept only
# where the caller says. The same set the questions refuse (partials/validators.jinja).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # what can end a cell or start a link or emphasis


def for_terminal(text: object, *, keep_newlines: bool = False) -> str:
    """`text` with every control character shown as `\\xNN`, so it prints as what it is."""
    value = str(text).replace("\t", " ")
    if not keep_newlines:
        value = value.replace("\r\n", "\n").replace("\n", "\\n")
    return _CONTROLS.sub(_shown, value.replace("\r", "\\r"))


def _shown(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_markdown(text: object) -> str:
    """One Markdown table cell: one line, HTML escaped, Markdown's own characters backslashed, and `@` written
    as an entity (a repo's `@someone` in a pull request the operator opens would notify them)."""
    value = for_terminal(text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(value, quote=False)).replace("@", "&#64;")


def bounded(text: str, limit: int = 300) -> str:
    """`text` in at most `limit` characters, its start and an ellipsis: what a repo wrote can be any length."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(*words: object) -> str:
    """A command line to print for the person to paste: every word shell-quoted."""
    return " ".join(shlex.quote(str(word)) for word in words)


def terminal_table(rows: list[list[str]]) -> list[str]:
    """Rows (the first one the header) as aligned columns for a terminal, each cell through for_terminal,
    with a rule under the header."""
    cells = [[for_terminal(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(cells[0]))]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in cells]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return lines
