"""One way to reach the Hub for every command: the client, the endpoint and the token.

The token comes from where `huggingface_hub` looks (HF_TOKEN, then `hf auth login`'s cache); it
is never asked for, stored or printed here.
"""

from __future__ import annotations

from typing import Any

from hf_hub_template.hub_errors import LOGIN_HELP, HubStepError

MISSING_HUB = (
    "huggingface_hub is not installed next to Copier, so nothing was done on the Hub (your project is intact).\n"
    "Add it, then retry:\n"
    "  uv:    uvx --with huggingface_hub copier copy --trust ...   (next time)\n"
    "  pipx:  pipx inject copier huggingface_hub\n"
    "  pip:   python -m pip install huggingface_hub"
)


def connect() -> tuple[Any, str]:
    """An authenticated `HfApi` for the endpoint in use (HF_ENDPOINT honoured), and that endpoint."""
    try:
        from huggingface_hub import HfApi, constants, get_token
    except ImportError as exc:
        raise HubStepError(MISSING_HUB) from exc
    token = get_token()
    if not token:
        raise HubStepError(f"No Hugging Face token found, so nothing was done on the Hub. {LOGIN_HELP}, then retry.")
    return HfApi(endpoint=constants.ENDPOINT, token=token), constants.ENDPOINT
