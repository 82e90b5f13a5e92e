"""A demo Space copied with `models=ID` and `pipeline_tag` left empty: its task read from the Hub.

Run by the copy task (hf_hub_template/copy_task.py) before the first commit. Copier has rendered the generic
demo (one text in, the raw output); when the model's task is one the demo has widgets for, the project is
rendered again with it (`copier recopy`, the same template version and every other answer kept), so the first
commit holds the right app. Any failure leaves the generic demo and says, in one line, why and what to run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hf_hub_template.hub.project import Project

# Seconds for the one `model_info` request: the copy waits for it.
TIMEOUT = 10.0


def fill_pipeline_tag(project: Path, answers: dict[str, Any]) -> str:
    """Render `project` again for its model's task; the line to print, saying what was done or why not."""
    from hf_hub_template import demo
    from hf_hub_template.untrusted import bounded, for_terminal

    space = Project.from_answers(answers)
    model_id = space.demo_model
    retry = "copier update --trust --defaults -d pipeline_tag=TASK (after the first commit)"
    try:
        task = read_task(model_id)
        if space.inference == "api" and task not in demo.API_TASKS:
            raise demo.Refused(f"{model_id} is a {task} model, which the api demo cannot call")
    except demo.Refused as why:
        return (
            f"pipeline_tag: left empty, and not read from the Hub: {for_terminal(bounded(str(why)))}. The demo shows "
            f"the model's raw output; to give its task: {retry}"
        )
    from copier import run_recopy

    try:
        run_recopy(
            project,
            data={"pipeline_tag": task},
            vcs_ref=str(answers.get("_commit") or "") or None,
            defaults=True,
            overwrite=True,
            skip_tasks=True,
            unsafe=True,
            quiet=True,
        )
    except Exception as exc:  # noqa: BLE001  (the copy must survive: the generic demo stays)
        return (
            f"pipeline_tag: {task} read from the Hub, but rendering the demo for it failed "
            f"({type(exc).__name__}: {for_terminal(bounded(str(exc)))}); the demo shows the raw output: {retry}"
        )
    return f"pipeline_tag: {task}, read from {model_id} on the Hub; the demo was rendered for it"


def read_task(model_id: str) -> str:
    """The task `model_id` names on the Hub, one the demo serves (demo.Refused with the reason otherwise)."""
    from hf_hub_template import demo
    from hf_hub_template.hub.errors import HubStepError, explain
    from hf_hub_template.hub.session import connect

    if not demo.is_repo_id(model_id):
        raise demo.Refused(f"{model_id!r} is not a model id")
    try:
        api, endpoint = connect(token_required=False)
    except HubStepError as exc:
        raise demo.Refused(str(exc)) from exc
    try:
        info = api.model_info(model_id, expand=["pipeline_tag", "cardData"], timeout=TIMEOUT)
    except Exception as exc:  # noqa: BLE001  (offline, not found, gated: said as the Hub's errors are)
        said = explain(exc, action=f"read the model {model_id}", repo_id=model_id, endpoint=endpoint)
        raise demo.Refused(said) from exc
    return demo.task_of(info)
