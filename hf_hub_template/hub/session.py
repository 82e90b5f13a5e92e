"""One way to reach the Hub for every command: the client, the endpoint and the token.

The token comes from where `huggingface_hub` looks (HF_TOKEN, then `hf auth login`'s cache); it
is never asked for, stored or printed here.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from hf_hub_template.hub.errors import LOGIN_HELP, HubStepError, explain
from hf_hub_template.hub.project import Project
from hf_hub_template.untrusted import for_terminal

MISSING_HUB = (
    "huggingface_hub is not installed next to Copier, so nothing was done on the Hub (your project is intact).\n"
    "Add it, then retry:\n"
    "  uv:    uvx --with huggingface_hub copier copy --trust ...   (next time)\n"
    "  pipx:  pipx inject copier huggingface_hub\n"
    "  pip:   python -m pip install huggingface_hub"
)


def is_loopback(host: str) -> bool:
    """This machine: `localhost`, 127.0.0.0/8 or ::1 (a name that merely resolves there does not count)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_endpoint(endpoint: str) -> None:
    """Refuse an endpoint that would get the bearer token (and a Space's secrets) in clear text or by a
    misleading spelling: https anywhere, plain http only to this machine; no user info, query or fragment."""
    shown = for_terminal(re.sub(r"(?<=://)[^/@]*@", "***@", endpoint))  # a password in it is not printed
    try:
        parts = urlsplit(endpoint)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        parts = urlsplit("")
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host or "@" in parts.netloc or parts.query or parts.fragment:
        raise HubStepError(
            f"HF_ENDPOINT is {shown}, which is not a plain https://HOST[:PORT] address (no user name, query or "
            "fragment), so nothing was done and no token was sent. Correct HF_ENDPOINT, or unset it to use "
            "https://huggingface.co, then retry."
        )
    if parts.scheme == "http" and not is_loopback(host):
        raise HubStepError(
            f"HF_ENDPOINT is {shown}: over plain http your token, and any Space secrets, would cross the network "
            "in clear text, so nothing was done and no token was sent. Use "
            f"https://{for_terminal(parts.netloc)} (plain http is accepted only for localhost, 127.0.0.0/8 and ::1), "
            "or unset HF_ENDPOINT to use https://huggingface.co, then retry."
        )


def connect(*, token_required: bool = True) -> tuple[Any, str]:
    """An authenticated `HfApi` for the endpoint in use (HF_ENDPOINT honoured), and that endpoint.

    Refused (HubStepError) for an endpoint that is not https, unless it is this machine (a test Hub).
    With `token_required=False`, a client without a token when none is found (reading a public repo)."""
    try:
        from huggingface_hub import HfApi, constants, get_token
    except ImportError as exc:
        raise HubStepError(MISSING_HUB) from exc
    check_endpoint(constants.ENDPOINT)
    token = get_token()
    if not token and token_required:
        raise HubStepError(f"No Hugging Face token found, so nothing was done on the Hub. {LOGIN_HELP}, then retry.")
    return HfApi(endpoint=constants.ENDPOINT, token=token or False), constants.ENDPOINT


def with_namespace(api: Any, endpoint: str, project: Project) -> Project:
    """`project` with its namespace: its own answer, else the login of the token in use (HubStepError)."""
    return project if project.namespace else project.with_namespace(login_of(api, endpoint, repo_id=project.repo_name))


def login_of(api: Any, endpoint: str, *, repo_id: str) -> str:
    """The login of the token `api` uses (one whoami); HubStepError saying why when the Hub cannot tell."""
    try:
        return str(api.whoami()["name"])
    except Exception as exc:
        raise HubStepError(explain(exc, action="find your user name", repo_id=repo_id, endpoint=endpoint)) from exc
