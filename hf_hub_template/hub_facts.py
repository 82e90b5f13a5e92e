"""The Hub facts the Python tools need. The template's one source is `partials/hub_facts.jinja`;
`tests/test_hub_facts.py` proves these agree with it (and with the rendered `tests/hub_rules.py`)."""

from __future__ import annotations

# Where a repo lives under the Hub's URL (https://huggingface.co/{prefix}{namespace}/{name}); a model has
# none. `tests/test_hub_facts.py` proves it is `huggingface_hub.constants.REPO_TYPES_URL_PREFIXES`'s (the
# tools run where huggingface_hub may not be installed yet, so it is not imported here).
URL_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
# The SDK the Hub is told for each Space SDK the template offers: the built-in Streamlit SDK is
# retired, so a Streamlit Space is a Docker Space (on STREAMLIT_PORT).
HUB_SDK = {"gradio": "gradio", "streamlit": "docker", "static": "static", "docker": "docker"}
STREAMLIT_PORT = 8501
# ZeroGPU: the hardware a Space asks for to run @spaces.GPU on a lent GPU.
ZEROGPU_HARDWARE = "zero-a10g"
