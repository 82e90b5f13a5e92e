"""Copier task, run once after `copier copy`: first commit, then (if asked) the Hub repo.

It always exits 0: Copier deletes a freshly created project when a task fails, and the
person's project must survive any Hub failure. Failures are printed with the next step.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script by the task: make `hooks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hooks.answers import load_answers
from hooks.git_init import init_repository


def main() -> int:
    project = Path.cwd()
    answers = load_answers(project)
    version = answers.get("_commit", "")
    print(init_repository(project, f"Initial commit from hf-hub-template {version}".strip()), file=sys.stderr)
    if answers.get("create_remote"):
        from hooks.remote import publish_after_copy

        interactive = sys.argv[1:2] != ["batch"] and sys.stdin.isatty()
        publish_after_copy(project, answers, interactive=interactive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
