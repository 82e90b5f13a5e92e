"""Publish a demo Space and ask it once (`demo MODEL_ID --publish`, `publish --ask`): live only once it has answered.

The steps are publish.py's (create, upload, watch until RUNNING with space_watch) and then live_answer's (one call
of the running app with its first example). Whatever fails, the project stays where it is, and the message ends
with the one command that resumes: it uploads nothing twice, watches the Space again and asks it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hf_hub_template.hub.errors import HubStepError
from hf_hub_template.live_answer import TIMEOUT, NotLive, ask_published
from hf_hub_template.publish import Waiting, publish
from hf_hub_template.untrusted import quoted


def resume_command(project: Path) -> str:
    return quoted("hf-hub-template", "publish", project, "--ask")


def publish_and_ask(
    project: Path,
    answers: Mapping[str, Any],
    *,
    waiting: Waiting,
    report: Callable[[str], None] = print,
    interactive: bool = False,
    secrets_file: Path | None = None,
    secret_values: Mapping[str, str] | None = None,
    answer_timeout: float = TIMEOUT,
) -> str:
    """Publish `project` (a demo Space), wait until it runs, ask it once and report its answer; return its id.

    HubStepError, whatever failed: the diagnosis, that the project is intact, and the command that resumes."""
    if not waiting.wait:
        raise HubStepError("A demo is live once it has answered, which needs the wait: drop --no-wait.")
    try:
        url = publish(
            project,
            dict(answers),
            interactive=interactive,
            report=report,
            waiting=waiting,
            secrets_file=secrets_file,
            secret_values=secret_values,
            announce_live=False,
        )
        report("Asking the app once, with its first example (a demo is live once it has answered):")
        # The repo's URL ends with its id: no second whoami (a rate-limited route) to learn the namespace again.
        repo_id, answer = ask_published(answers, repo_id="/".join(url.split("/")[-2:]), timeout=answer_timeout)
    except (HubStepError, NotLive) as err:
        raise HubStepError(
            f"{err}\nYour project is intact in {project}. Once the cause is fixed (and pushed), resume with:\n"
            f"  {resume_command(project)}"
        ) from err
    for line in answer.lines(repo_id):
        report(line)
    return repo_id
