"""The copy task: first commit, then (if asked) the Hub repo. Run by `hooks/post_copy.py`.

It always returns 0: Copier deletes a freshly created project when a task fails, and the
person's project must survive any Hub failure. Failures are printed with the next step.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hf_hub_template.git import init_repository


def main(argv: list[str]) -> int:
    """argv: `batch` or `interactive`, the template version, `remote` or `local`, and `task` when a demo's
    pipeline_tag was left empty for the Hub to fill (copier.yml `_tasks`).

    The first commit needs no answers file, so PyYAML (and the Hub client) load only for the remote step:
    this task runs on every copy, and its start-up is most of what it costs.
    """
    mode, version, remote, task = (argv + ["interactive", "", "local", ""][len(argv) :])[:4]
    project = Path.cwd()
    answers: dict[str, object] = {}
    if task == "task":
        from hf_hub_template.answers import load_answers
        from hf_hub_template.task_from_hub import fill_pipeline_tag

        print(fill_pipeline_tag(project, load_answers(project)), file=sys.stderr)
    if remote == "remote":
        from hf_hub_template.answers import load_answers
        from hf_hub_template.publish import name_the_namespace

        answers = load_answers(project)
        if not answers.get("namespace"):  # the card's links name the real repo from the first commit on
            answers = name_the_namespace(project, answers)
    print(init_repository(project, f"Initial commit from hf-hub-template {version}".strip()), file=sys.stderr)
    if remote == "remote":
        from hf_hub_template.publish import publish_after_copy

        interactive = mode != "batch" and sys.stdin.isatty()
        publish_after_copy(project, answers, interactive=interactive)
    return 0
