"""A rendered project as the tools see it: its answers read once into one frozen, typed object.

Publish, status, the trio and the copy task ask this object for the repo id, its URL, the SDK the
Hub is told, the hardware and visibility to request, instead of each working them out of the raw
answers again. Its Hub facts come from `hub.facts`, and from `huggingface_hub` where it exports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hf_hub_template.answers import load_answers
from hf_hub_template.hub.facts import HUB_SDK, STREAMLIT_PORT, url_prefix

KIND = {"space": "Space", "model": "model repo", "dataset": "dataset repo"}
DOCKER_APP_PORT = 7860  # the Hub's default `app_port`, which the template's Docker Spaces keep


def _text(value: Any) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True)
class Project:
    repo_type: str
    repo_name: str
    namespace: str = ""  # empty until the Hub says whose token publishes it
    space_sdk: str | None = None  # the template's choice: gradio, streamlit, static or docker
    visibility: str = "public"
    hardware: str | None = None  # what create_repo requests; None: the Hub's free CPU
    inference: str = "none"
    models: tuple[str, ...] = ()

    @classmethod
    def from_answers(cls, answers: Mapping[str, Any]) -> Project:
        """The one reading of a project's answers (older answer names included: `private`)."""
        repo_type = _text(answers.get("repo_type")) or "space"
        is_space = repo_type == "space"
        inference = _text(answers.get("inference")) or "none"
        chosen = answers.get("space_hardware")
        if chosen is None and inference == "zerogpu":  # @spaces.GPU runs on ZeroGPU's lent GPU
            from huggingface_hub import SpaceHardware

            chosen = SpaceHardware.ZERO_A10G.value
        return cls(
            repo_type=repo_type,
            repo_name=_text(answers.get("repo_name")),
            namespace=_text(answers.get("namespace")),
            space_sdk=(_text(answers.get("space_sdk")) or "gradio") if is_space else None,
            visibility=_text(answers.get("visibility")) or ("private" if answers.get("private") else "public"),
            hardware=None if not is_space or chosen in (None, "none") else str(chosen),
            inference=inference,
            models=tuple(item.strip() for item in _text(answers.get("models")).split(",") if item.strip()),
        )

    @classmethod
    def load(cls, folder: Path) -> Project:
        """The project rendered in `folder` (ValueError: no answers file with a repo_name there)."""
        answers = load_answers(folder)
        if not answers.get("repo_name"):
            raise ValueError(f"{folder} has no .copier-answers.yml with a repo_name: is it a project of this template?")
        return cls.from_answers(answers)

    @property
    def kind(self) -> str:
        return KIND[self.repo_type]

    @property
    def hub_sdk(self) -> str | None:
        """The `space_sdk` the Hub is told (Streamlit runs as a Docker Space); None for models and datasets."""
        return HUB_SDK[self.space_sdk] if self.space_sdk else None

    @property
    def runs_docker(self) -> bool:
        return self.hub_sdk == "docker"

    @property
    def port(self) -> int | None:
        """The port the Space's app listens on (Gradio and static: the Hub's own routing)."""
        if self.space_sdk == "streamlit":
            return STREAMLIT_PORT
        return DOCKER_APP_PORT if self.runs_docker else None

    @property
    def builds(self) -> bool:
        """Does the Hub build and start something after an upload (a Space that is not static)?"""
        return self.repo_type == "space" and self.space_sdk != "static"

    @property
    def demo_model(self) -> str:
        """The model a demo Space loads: the first of `models` ("" when it names none)."""
        return self.models[0] if self.models else ""

    def with_namespace(self, namespace: str) -> Project:
        return replace(self, namespace=namespace)

    @property
    def repo_id(self) -> str:
        if not self.namespace:
            raise ValueError(f"{self.repo_name}: the namespace is not known yet")
        return f"{self.namespace}/{self.repo_name}"

    def url(self, endpoint: str) -> str:
        """The repo's page on the Hub at `endpoint` (HF_ENDPOINT or huggingface.co)."""
        return f"{endpoint.rstrip('/')}/{url_prefix(self.repo_type)}{self.repo_id}"
