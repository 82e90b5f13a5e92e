"""What the request that creates a repo carries besides its type and SDK: visibility and, for a Space, the
hardware, sleep time, variables and secrets (huggingface_hub 2.4.0 sends them all in `POST /api/repos/create`).

Secrets are named in the answers; their values come from a dotenv file given on the command line
(`publish --secrets-file`) or from the environment, and go nowhere but that request: never to the project,
its answers, git, a log or the output. A secret named HF_TOKEN is read from the file only: in the
environment that is the publishing token, which must not end up in a Space unasked.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hf_hub_template.hub_facts import space_hardware

# In the environment these name the token that publishes (often one that can write everything): a Space
# secret of that name takes its value from --secrets-file only, never from the environment.
CREDENTIALS = frozenset({"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"})


def names(text: str | None) -> list[str]:
    return [item.strip() for item in str(text or "").split(",") if item.strip()]


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (`export ` allowed, quotes stripped, # comments and blank lines skipped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


@dataclass(frozen=True)
class CreationSettings:
    visibility: str = "public"
    hardware: str | None = None
    sleep_time: int | None = None
    variables: list[dict[str, str]] = field(default_factory=list)
    secrets: list[dict[str, str]] = field(default_factory=list)
    missing_secrets: list[str] = field(default_factory=list)

    def create_kwargs(self, repo_type: str) -> dict[str, Any]:
        """The keyword arguments of `create_repo`: only what differs from the Hub's defaults."""
        kwargs: dict[str, Any] = {"visibility": self.visibility}
        if repo_type != "space":
            return kwargs
        optional = {
            "space_hardware": self.hardware,
            "space_sleep_time": self.sleep_time,
            "space_variables": self.variables or None,
            "space_secrets": self.secrets or None,
        }
        return kwargs | {key: value for key, value in optional.items() if value is not None}

    def summary(self) -> str:
        """What was asked for, for the output: secret names, never their values."""
        parts = [self.visibility]
        if self.hardware:
            parts.append(f"hardware {self.hardware}")
        if self.sleep_time is not None:
            parts.append("never sleeps" if self.sleep_time == -1 else f"sleeps after {self.sleep_time} s")
        if self.variables:
            parts.append("variables " + ", ".join(v["key"] for v in self.variables))
        if self.secrets:
            parts.append("secrets " + ", ".join(s["key"] for s in self.secrets))
        return ", ".join(parts)


def creation_settings(
    answers: Mapping[str, Any], *, environ: Mapping[str, str] | None = None, secrets_file: Path | None = None
) -> CreationSettings:
    environ = os.environ if environ is None else environ
    visibility = str(answers.get("visibility") or ("private" if answers.get("private") else "public"))
    if answers.get("repo_type", "space") != "space":
        return CreationSettings(visibility=visibility)
    from_file = read_dotenv(secrets_file) if secrets_file else {}
    secrets, missing = [], []
    for name in names(answers.get("space_secrets")):
        value = from_file.get(name) if name in CREDENTIALS else from_file.get(name, environ.get(name))
        if value:
            secrets.append({"key": name, "value": value})
        else:
            missing.append(name)
    variables = [
        {"key": key.strip(), "value": value.strip()}
        for key, _, value in (pair.partition("=") for pair in names(answers.get("space_variables")))
    ]
    sleep = int(answers.get("space_sleep_time") or 0)
    return CreationSettings(
        visibility=visibility,
        hardware=space_hardware(dict(answers)),
        sleep_time=sleep or None,
        variables=variables,
        secrets=secrets,
        missing_secrets=missing,
    )
