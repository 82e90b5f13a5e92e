"""The copy task: first commit, then (if asked) the Hub repo. Run by `hooks/post_copy.py`.

It always returns 0: Copier deletes a freshly created project when a task fails, and the
person's project must survive any Hub failure. Failures are printed with the next step.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hf_hub_template.answers import load_answers
from hf_hub_template.git import init_repository


def main(argv: list[str]) -> int:
    project = Path.cwd()
    answers = load_answers(project)
    version = answers.get("_commit", "")
    print(init_repository(project, f"Initial commit from hf-hub-template {version}".strip()), file=sys.stderr)
    if answers.get("create_remote"):
        from hf_hub_template.publish import publish_after_copy

        interactive = argv[:1] != ["batch"] and sys.stdin.isatty()
        publish_after_copy(project, answers, interactive=interactive)
    return 0
