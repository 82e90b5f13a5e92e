"""Watch a Space after an upload until it runs, or say why it does not: the stage, the log's last
lines, and the likely cause.

`get_space_runtime` is polled (one request a poll); on an error stage the build or run log is read
once with `fetch_space_logs` (non-following: what the Hub has buffered).

What the Space's log and the Hub's error message say is written by the Space's code: it is
printed with its control characters shown, never obeyed (untrusted.for_terminal).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from huggingface_hub import SpaceStage

from hf_hub_template.hub.errors import HubStepError, explain
from hf_hub_template.hub.project import Project
from hf_hub_template.hub.session import connect, with_namespace
from hf_hub_template.untrusted import for_terminal

# The stages, as huggingface_hub names them (space_watch is loaded only where the client is: after an upload,
# by status, by a live demo).
RUNNING = SpaceStage.RUNNING.value
ERRORS = {
    SpaceStage.BUILD_ERROR.value,
    SpaceStage.RUNTIME_ERROR.value,
    SpaceStage.CONFIG_ERROR.value,
    SpaceStage.NO_APP_FILE.value,
}
BUILD_STAGES = (SpaceStage.BUILDING.value, SpaceStage.BUILD_ERROR.value)
LOG_LINES = 15
# A terminal's colour and cursor sequences (CSI): dropped from log lines, which are full of colours;
# any other control character left is shown as `\xNN` when printed.
ANSI_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")

# What a log line says -> what to do. Each advice may name what the pattern captured ({0}).
DIAGNOSES: list[tuple[str, str]] = [
    (
        r"No matching distribution found for (\S+)|Could not find a version that satisfies the requirement (\S+)",
        "{0} is not on PyPI for this Python: fix its pin in requirements.txt (or the Dockerfile), then push.",
    ),
    (
        r"ModuleNotFoundError: No module named '([^']+)'",
        "the app imports {0}, which requirements.txt does not install: add it, then push.",
    ),
    (
        r"requires a different Python|Requires-Python|Python version .* not supported",
        "a package does not support the Space's Python (the card's python_version, or the Dockerfile's FROM).",
    ),
    (
        r"[Pp]ermission denied",
        "a path is not writable by uid 1000, the user the Space runs as: COPY with --chown=user, write under "
        "/home/user or /tmp.",
    ),
    (
        r"[Aa]ddress already in use|[Ll]aunch timed out|not healthy|[Cc]onnection refused",
        "the app does not answer on the card's app_port: listen on 0.0.0.0 at that port.",
    ),
    (
        r"\bKilled\b|MemoryError|[Oo]ut of memory|\bOOM\b",
        "the app ran out of memory: load a smaller model, or run on hardware with more memory.",
    ),
    (
        r"(?i)invalid yaml|metadata.*(invalid|error)|configuration error",
        "the README card's YAML block was rejected: run `python -m pytest tests/test_card.py` and fix what it names.",
    ),
    (
        r"KeyError: '([A-Z][A-Z0-9_]+)'|environment variable ([A-Z][A-Z0-9_]+) (?:is )?not set",
        "the app reads {0}, which the Space does not set: add it as a secret or variable in the Space's settings.",
    ),
    (
        r"GatedRepoError|Access to model \S+ is restricted",
        "the model is gated: accept its conditions with the account whose read token is the Space secret HF_TOKEN "
        "(Settings → Variables and secrets), then restart the Space.",
    ),
    (
        r"401 Client Error|Invalid credentials in Authorization header|Invalid user token|Invalid username or password",
        "the Hub refused the Space's HF_TOKEN (401): set the secret HF_TOKEN to a valid read token of its own (an "
        "api demo's must be allowed to make calls to Inference Providers), then restart the Space.",
    ),
    (
        r"402 Client Error|Payment Required|exceeded your monthly included credits",
        "Inference Providers refused the call for credit (402): add credit to the account of the Space's HF_TOKEN, "
        "or run the model in the Space (inference: local or zerogpu).",
    ),
]


def diagnose(lines: list[str]) -> list[str]:
    """The advice for every known cause the log shows, in the table's order, each once."""
    found = []
    text = "\n".join(lines)
    for pattern, advice in DIAGNOSES:
        match = re.search(pattern, text)
        if match:
            captured = next((group for group in match.groups() if group), "")
            found.append(advice.format(captured))
    return found


@dataclass
class Watched:
    stage: str
    seconds: float
    error_message: str = ""
    log: list[str] = field(default_factory=list)
    causes: list[str] = field(default_factory=list)

    @property
    def running(self) -> bool:
        return self.stage == RUNNING

    def explain(self, repo_id: str) -> str:
        """The message for a Space that did not reach RUNNING."""
        stage = for_terminal(self.stage)
        what = "is still " + stage if self.stage not in ERRORS else "stopped at " + stage
        lines = [f"The Space {repo_id} {what} after {self.seconds:.0f} s."]
        if self.error_message:
            lines.append(f"The Hub says: {for_terminal(self.error_message)}")
        if self.log:
            kind = "build" if self.stage == SpaceStage.BUILD_ERROR else "run"
            lines.append(f"Last lines of the {kind} log:")
            lines += [f"  | {for_terminal(line)}" for line in self.log]
        lines += [f"Likely cause: {for_terminal(cause)}" for cause in self.causes]  # may quote the log
        if not self.causes and self.stage in ERRORS:
            lines.append("Read the whole log on the Space's page (Logs), fix the cause, then push again.")
        return "\n".join(lines)


def watch_space(
    api: Any,
    repo_id: str,
    *,
    timeout: float,
    interval: float,
    report: Callable[[str], None],
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Watched:
    """Poll the Space's stage until RUNNING, an error stage, or `timeout` seconds; report each new stage."""
    start, last = clock(), None
    while True:
        runtime = api.get_space_runtime(repo_id)
        stage, elapsed = str(runtime.stage), clock() - start
        if stage != last:
            report(f"  {for_terminal(stage):<22} after {elapsed:4.0f} s")
            last = stage
        if stage == RUNNING:
            return Watched(stage, elapsed)
        if stage in ERRORS or elapsed >= timeout:
            watched = Watched(stage, elapsed, error_message=error_message_of(runtime.raw))
            if stage in ERRORS:
                watched.log = last_log_lines(api, repo_id, build=stage == SpaceStage.BUILD_ERROR)
                watched.causes = diagnose(watched.log + [watched.error_message])
            return watched
        sleep(min(interval, max(0.0, timeout - elapsed)))


def last_log_lines(api: Any, repo_id: str, *, build: bool) -> list[str]:
    """The build or run log's last non-empty lines (none when it cannot be read: the stage is the news)."""
    try:
        log = [ANSI_SEQUENCE.sub("", line).rstrip() for line in api.fetch_space_logs(repo_id, build=build)]
    except Exception:
        return []
    return [line for line in log if line.strip()][-LOG_LINES:]


def error_message_of(raw: Any) -> str:
    """The Hub's error message for a Space (written by the Space's own build or app), colours dropped."""
    return ANSI_SEQUENCE.sub("", str((raw or {}).get("errorMessage") or ""))


def space_status(api: Any, repo_id: str, url: str) -> tuple[str, bool]:
    """`hf-hub-template status`: the stage, hardware, URL and the log's last lines; and whether it runs."""
    runtime = api.get_space_runtime(repo_id)
    stage = str(runtime.stage)
    raw = runtime.raw or {}
    hardware = runtime.hardware or (raw.get("hardware") or {}).get("current") or "none yet"
    requested = runtime.requested_hardware or (raw.get("hardware") or {}).get("requested")
    error_message = error_message_of(raw)
    lines = [f"{repo_id}: {for_terminal(stage)}", f"  URL:      {url}", f"  hardware: {for_terminal(hardware)}"]
    if requested and requested != hardware:
        lines[-1] += f" (requested: {for_terminal(requested)})"
    if error_message:
        lines.append(f"  the Hub says: {for_terminal(error_message)}")
    build = stage in BUILD_STAGES
    log = last_log_lines(api, repo_id, build=build)
    if log:
        lines.append(f"  last lines of the {'build' if build else 'run'} log:")
        lines += [f"  | {for_terminal(line)}" for line in log]
    if stage in ERRORS:
        lines += [f"  likely cause: {for_terminal(cause)}" for cause in diagnose([*log, error_message])]
    return "\n".join(lines), stage == RUNNING


def published_status(project: Project) -> tuple[str, bool]:
    """`hf-hub-template status`: a Space's stage, hardware, URL and last log lines, a repo's URL; and whether
    it is up. A public repo needs no token; a namespace left empty is asked of the Hub (which needs one).
    HubStepError says what failed."""
    api, endpoint = connect(token_required=False)
    if not project.namespace and not api.token:
        raise HubStepError(
            f"The answers leave the namespace of {project.repo_name} empty (your login's, once published), and no "
            "token says whose login that is, so nothing was asked of the Hub. Log in with `hf auth login` (a read "
            "token is enough), or record the namespace: `hf-hub-template update PROJECT -d namespace=NAME`."
        )
    project = with_namespace(api, endpoint, project)
    repo_id, url = project.repo_id, project.url(endpoint)
    try:
        if project.builds:
            return space_status(api, repo_id, url)
        api.repo_info(repo_id, repo_type=project.repo_type)
    except Exception as exc:
        raise HubStepError(explain(exc, action=f"read {repo_id}", repo_id=repo_id, endpoint=endpoint)) from exc
    return f"{repo_id}: on the Hub\n  URL: {url}", True
