"""What a command may raise, said in one line: one table, by exception type (as `hf`'s CLI_ERROR_MAPPINGS).

An error of no type named here ends in Python's traceback: it is a fault to report, not a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

PROG = "hf-hub-template"
UNREACHABLE_HINT = (
    "name one that can with --template (a local path or a git URL), or fix `template:` in the org standard."
)


class CommandError(Exception):
    """A command refuses before it does anything; `str(err)` says why and what to do (exit status 2)."""


class ProjectFolderError(CommandError):
    """The folder named is no rendered project; said without the program's name, as publish always has."""


@dataclass(frozen=True)
class Said:
    """The line printed on standard error, and the exit status."""

    message: str
    status: int


def _raised_in(exc: BaseException) -> str:
    """`module.function` of the frame that raised `exc`: how a plain ValueError of Copier's is told apart."""
    tb: TracebackType | None = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return ""
    frame = tb.tb_frame
    return f"{frame.f_globals.get('__name__', '')}.{frame.f_code.co_name}"


# Where Copier raises for an answer it refuses (its validator's message; a choice that is not offered).
REFUSED_ANSWER = ("copier._user_data.validate_answer", "copier._user_data._parse_answer")


def _copier_value_error(exc: BaseException, template: str) -> Said | None:
    """Copier raises a plain ValueError (no class of its own) for an answer it refuses, said before anything
    was written, and for a local template that is no folder: told by the function that raised."""
    origin = _raised_in(exc)
    if origin in REFUSED_ANSWER:
        return Said(f"{PROG}: {exc}", 2)
    if origin == "copier._template.local_abspath":
        return Said(f"{PROG}: the template {template} cannot be reached (no such folder); {UNREACHABLE_HINT}", 2)
    return None


def _git_failed(exc: BaseException, template: str) -> Said | None:
    """Copier's git could not list or clone the template (plumbum's ProcessExecutionError, with git's argv)."""
    argv = [str(arg) for arg in getattr(exc, "argv", [])]
    if not any(word in argv for word in ("ls-remote", "clone")):
        return None
    lines = [line for line in str(getattr(exc, "stderr", "")).splitlines() if line.strip()]
    reason = lines[-1].strip() if lines else "git failed"
    return Said(f"{PROG}: the template {template} cannot be reached ({reason}); {UNREACHABLE_HINT}", 2)


def _mappings() -> list[tuple[type[BaseException], Callable[[BaseException, str], Said | None]]]:
    """(type, how it is said), the first that matches wins: a subclass before its base class."""
    from hf_hub_template.hub.errors import HubStepError
    from hf_hub_template.org_standard import OrgStandardError
    from hf_hub_template.project_update import NotUpdated, UpdateFailed
    from hf_hub_template.space_settings import SecretsFileError

    mappings: list[tuple[type[BaseException], Callable[[BaseException, str], Said | None]]] = [
        (ProjectFolderError, lambda exc, _: Said(str(exc), 2)),
        (CommandError, lambda exc, _: Said(f"{PROG}: {exc}", 2)),
        (OrgStandardError, lambda exc, _: Said(f"{PROG}: {exc}", 2)),
        (SecretsFileError, lambda exc, _: Said(str(exc), 2)),
        (NotUpdated, lambda exc, _: Said(f"{PROG}: {exc}", 2)),
        (UpdateFailed, lambda exc, _: Said(f"{PROG}: {exc}", 1)),  # Copier's own output said why
        (HubStepError, lambda exc, _: Said(str(exc), 1)),  # it names the step and the next one
    ]
    try:  # Copier's own dependency; a command that never reached Copier may run without it
        from plumbum import ProcessExecutionError
    except ImportError:
        pass
    else:
        mappings.append((ProcessExecutionError, _git_failed))
    mappings.append((ValueError, _copier_value_error))
    return mappings


def format_known_exception(exc: BaseException, template: str = "?") -> Said | None:
    """How `exc` is said (`template`: the source the command ran), or None for an error of no known type."""
    for kind, say in _mappings():
        if isinstance(exc, kind):
            return say(exc, template)
    return None
