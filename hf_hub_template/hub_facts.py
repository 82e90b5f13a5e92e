"""The Hub facts the Python tools need. The template's one source is `partials/hub_facts.jinja`;
`tests/test_hub_facts.py` proves these agree with it (and with the rendered `tests/hub_rules.py`)."""

from __future__ import annotations

from typing import Any

# Where a repo lives under the Hub's URL (https://huggingface.co/{prefix}{namespace}/{name}).
URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
# The SDK the Hub is told for each Space SDK the template offers: the built-in Streamlit SDK is
# retired, so a Streamlit Space is a Docker Space (on STREAMLIT_PORT).
HUB_SDK = {"gradio": "gradio", "streamlit": "docker", "static": "static", "docker": "docker"}
STREAMLIT_PORT = 8501
# ZeroGPU: the hardware a Space asks for to run @spaces.GPU on a lent GPU.
ZEROGPU_HARDWARE = "zero-a10g"


def hub_space_sdk(answers: dict[str, Any]) -> str | None:
    """The `space_sdk` for `create_repo`, from a project's answers (None for models and datasets)."""
    if answers.get("repo_type", "space") != "space":
        return None
    return HUB_SDK[answers.get("space_sdk", "gradio")]


def space_hardware(answers: dict[str, Any]) -> str | None:
    """The hardware `create_repo` requests for a project: its `space_hardware` answer (`none`: request none,
    the Hub's free CPU; the card's `suggested_hardware` only suggests), else ZeroGPU for a zerogpu demo."""
    if answers.get("repo_type", "space") != "space":
        return None
    chosen = answers.get("space_hardware")
    if chosen is None and answers.get("inference") == "zerogpu":
        return ZEROGPU_HARDWARE
    return None if chosen in (None, "none") else str(chosen)
