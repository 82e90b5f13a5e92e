"""The Hub facts the Python tools need, each from its authority.

What `huggingface_hub` exports is read from it where it is used, never written again here: the URL
prefixes (`url_prefix`), the repo id rule (`is_repo_id`), `SpaceHardware` (hub/project.py) and
`SpaceStage` (space_watch.py). It is imported inside the functions: the copy task loads this module
where the client may not be installed yet. What the client does not export has its one source in
`partials/hub_facts.jinja`; `tests/test_hub_facts.py` proves these equal to it.
"""

from __future__ import annotations

# The repo types the template makes (huggingface_hub.constants.REPO_TYPES holds these, and more).
REPO_TYPES = ("space", "model", "dataset")
# The SDK the Hub is told for each Space SDK the template offers: the built-in Streamlit SDK is
# retired, so a Streamlit Space is a Docker Space (on STREAMLIT_PORT).
HUB_SDK = {"gradio": "gradio", "streamlit": "docker", "static": "static", "docker": "docker"}
STREAMLIT_PORT = 8501
# The card's `license` ids the Hub knows (`demo` takes a model's licence only when it is one of them).
LICENSES = frozenset(
    """
apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0
bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc
cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0
cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0
cdla-sharing-1.0 cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0
eupl-1.1 eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research intel-research
lppl-1.3c ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl openmdw-1.0 openmdw-1.1 openrail++ osl-3.0
postgresql ofl-1.1 ncsa unlicense zlib pddl lgpl-lr deepfloyd-if-license
fair-noncommercial-research-license llama2 llama3 llama3.1 llama3.2 llama3.3 llama4 grok2-community gemma
unknown other
""".split()
)


def url_prefix(repo_type: str) -> str:
    """Where a repo of `repo_type` lives under the Hub's URL ({prefix}{namespace}/{name}); a model has none."""
    from huggingface_hub.constants import REPO_TYPES_URL_PREFIXES

    return REPO_TYPES_URL_PREFIXES.get(repo_type, "")


def is_repo_id(text: str) -> bool:
    """`namespace/name`, by huggingface_hub's own rule (`validate_repo_id`)."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(text)
    except HFValidationError:
        return False
    return "/" in text
