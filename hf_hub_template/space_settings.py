"""What the request that creates a repo carries besides its type and SDK: visibility and, for a Space, the
hardware, sleep time, variables and secrets (huggingface_hub 2.4.0 sends them all in `POST /api/repos/create`).

Secrets are named in the answers; their values come from a dotenv file given on the command line
(`publish --secrets-file`) or from the environment, and go nowhere but that request: never to the project,
its answers, git, a log or the output. A secret named HF_TOKEN is read from the file only: in the
environment that is the publishing token, which must not end up in a Space unasked.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hf_hub_template.hub.project import Project
from hf_hub_template.untrusted import for_terminal, quoted

# In the environment these name the token that publishes (often one that can write everything): a Space
# secret of that name takes its value from --secrets-file only, never from the environment.
CREDENTIALS = frozenset({"HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"})


def names(text: str | None) -> list[str]:
    return [item.strip() for item in str(text or "").split(",") if item.strip()]


MAX_SECRETS_FILE_BYTES = 64 * 1024  # a dotenv file of secrets is a few lines; anything larger is the wrong file


class SecretsFileError(ValueError):
    """`--secrets-file` cannot be used; `str(err)` says why (never a value from the file) and what to do."""


def _warn(line: str) -> None:
    print(line, file=sys.stderr)


def read_secrets_file(path: Path, *, warn: Callable[[str], None] = _warn) -> dict[str, str]:
    """The KEY=VALUE pairs of a dotenv file, parsed by python-dotenv (quotes, `export `, comments, inline
    `# comments` and escapes as dotenv defines them). No `${VAR}` expansion: a value is what the file says,
    never something from the environment (where HF_TOKEN is the publishing token). Keys without a value are
    left out. Refused (SecretsFileError) when not a regular file, larger than 64 KiB or not UTF-8; a warning
    line when other users can read it."""
    from dotenv import dotenv_values

    shown = for_terminal(path)
    try:
        with path.open("rb") as stream:
            info = os.fstat(stream.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise SecretsFileError(f"--secrets-file {shown} is not a regular file; nothing was done.")
            raw = stream.read(MAX_SECRETS_FILE_BYTES + 1)
    except OSError as exc:
        raise SecretsFileError(f"--secrets-file {shown} cannot be read ({exc.strerror}); nothing was done.") from None
    if len(raw) > MAX_SECRETS_FILE_BYTES:
        raise SecretsFileError(
            f"--secrets-file {shown} is larger than {MAX_SECRETS_FILE_BYTES // 1024} KiB, which no dotenv file of "
            "secrets is (a few KEY=VALUE lines): is it the right file? Nothing was done."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # the message names the line, never the bytes (they may be a secret)
        line = raw[: exc.start].count(b"\n") + 1
        raise SecretsFileError(
            f"--secrets-file {shown} is not UTF-8 text (line {line} is not): save it as UTF-8 and retry. "
            "Nothing was done."
        ) from None
    if os.name == "posix" and info.st_mode & 0o044:
        warn(
            f"Warning: --secrets-file {shown} is readable by other users of this machine (mode "
            f"{stat.S_IMODE(info.st_mode):04o}); make it yours alone with: {quoted('chmod', '600', path)}"
        )
    values = dotenv_values(stream=io.StringIO(text), interpolate=False)
    return {key: value for key, value in values.items() if key and value is not None}


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
    answers: Mapping[str, Any], *, environ: Mapping[str, str] | None = None, from_file: Mapping[str, str] | None = None
) -> CreationSettings:
    """What `create_repo` is asked for; secret values from `from_file` (the --secrets-file, read once by the
    command) or the environment."""
    environ = os.environ if environ is None else environ
    project = Project.from_answers(answers)
    visibility = project.visibility
    if project.repo_type != "space":
        return CreationSettings(visibility=visibility)
    from_file = from_file or {}
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
        hardware=project.hardware,
        sleep_time=sleep or None,
        variables=variables,
        secrets=secrets,
        missing_secrets=missing,
    )
