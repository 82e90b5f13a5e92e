"""Turn what `huggingface_hub` raises into one message that says what to do next.

Shared by the remote-creation hook and the fleet command, so both speak alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

LOGIN_HELP = "Log in with `hf auth login` (or set HF_TOKEN to a token with write access)"
RETRYABLE = {408, 429, 500, 502, 503, 504}


class HubStepError(Exception):
    """A Hub step failed; `str(err)` is the message for the person, with the next step."""


def status_of(exc: BaseException | None) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def is_connection_error(exc: BaseException) -> bool:
    """A refused, dropped or timed-out connection: `huggingface_hub` does not wrap these."""
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    root = type(exc).__module__.split(".")[0]
    return status_of(exc) is None and root in {"httpx", "httpx2", "httpcore", "requests", "urllib3"}


def is_unreachable(exc: BaseException) -> bool:
    """Refused or unresolvable: nothing listens there, and trying again will not change that."""
    if isinstance(exc, ConnectionRefusedError):
        return True
    names = {cls.__name__ for cls in type(exc).__mro__}
    return "ConnectError" in names or "gaierror" in names


def explain(exc: BaseException, *, action: str, repo_id: str, endpoint: str, attempts: int | None = None) -> str:
    """The message for a failure of `action` (for example "create the Space") on `repo_id`; the tries are
    the ones `with_retries` made (its `attempts_used`) unless given."""
    if attempts is None:
        attempts = getattr(exc, "attempts_used", 1)
    status = status_of(exc)
    namespace = repo_id.split("/")[0]
    tried = f" after {attempts} tries" if attempts > 1 else ""
    if is_connection_error(exc):
        return (
            f"Could not {action}: no answer from the Hub at {endpoint}{tried} ({type(exc).__name__}: {exc}). "
            "Check your network, proxy and HF_ENDPOINT, then retry."
        )
    names = {cls.__name__ for cls in type(exc).__mro__}  # huggingface_hub's classes, without importing it
    if "GatedRepoError" in names:
        return (
            f"Could not {action}: {repo_id} is gated ({status}): accept its conditions on its Hub page while logged "
            "in, then use a token of that account (HF_TOKEN or `hf auth login`) and retry."
        )
    if "RepositoryNotFoundError" in names:  # the Hub says 401 or 404 alike for a repo the token cannot see
        return (
            f"Could not {action}: {repo_id} was not found on {endpoint} ({status}); a private repo looks the same "
            "to a token that cannot read it."
        )
    if status == 401:
        return f"Could not {action}: the Hub refused the token (401: invalid or expired). {LOGIN_HELP}, then retry."
    if status == 402:
        return (
            f"Could not {action}: creating Gradio and Docker Spaces needs a paid plan (PRO, Team or Enterprise) "
            f"for {namespace}; static Spaces are free (402). Upgrade at https://huggingface.co/pricing and retry, "
            "or render the project again with space_sdk=static."
        )
    if status == 403:
        return (
            f"Could not {action}: your token cannot write to {namespace} (403). Use a token with write access "
            f"to {namespace} (fine-grained tokens need write on that namespace), or choose another namespace."
        )
    if status == 404:
        return f"Could not {action}: {repo_id} was not found on {endpoint} (404)."
    if status == 429:
        return f"Could not {action}: the Hub is rate-limiting requests (429){tried}. Wait a minute, then retry."
    if status is not None and status >= 500:
        return f"Could not {action}: the Hub had a server error ({status}){tried}. Retry in a few minutes."
    if isinstance(exc, ValueError) and "metadata" in str(exc).lower():
        return f"Could not {action}: the Hub rejected the README.md metadata: {exc}. Fix the card, then retry."
    detail = f" ({status})" if status else ""
    return f"Could not {action}{detail}: {type(exc).__name__}: {exc}"


def with_retries(
    call: Callable[[], T],
    *,
    attempts: int = 3,
    base_delay: float = 1.0,
    retry_connection_errors: bool = True,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[T, int]:
    """Run `call`, retrying 408/429/5xx (and, unless told not to, dropped connections) with backoff.

    A refused or unresolvable connection is not retried: the message comes at once.

    Honours a numeric Retry-After (capped at 60 s). Returns the result and the tries used;
    the last error is re-raised with `attempts_used` set on it.
    """
    for attempt in range(1, attempts + 1):
        try:
            return call(), attempt
        except Exception as exc:
            retryable = status_of(exc) in RETRYABLE or (
                retry_connection_errors and is_connection_error(exc) and not is_unreachable(exc)
            )
            if not retryable or attempt == attempts:
                exc.attempts_used = attempt  # type: ignore[attr-defined]
                raise
            sleep(_delay(exc, attempt, base_delay))
    raise AssertionError("unreachable")


def _delay(exc: BaseException, attempt: int, base_delay: float) -> float:
    response = getattr(exc, "response", None)
    retry_after = getattr(response, "headers", {}).get("Retry-After") if response is not None else None
    if retry_after is not None:
        try:
            return min(float(retry_after), 60.0)
        except ValueError:
            pass
    return base_delay * 2 ** (attempt - 1)
