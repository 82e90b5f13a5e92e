"""The health of a repo the template did not make, for `fleet-status`: the Hub's rules the rendered projects
check (template/tests/hub_rules.py), and the few things a fleet needs beside them. Cheap: its card and a few
small files are read (bounded, fleet/adopt.read_small; never weights or data), the Space's runtime comes with
the namespace listing, and whether it can be adopted is fleet/infer.py's answer alone (no render).

Errors and warnings are told apart as hub_rules tells them: an error is what the Hub refuses (the card's
check rejects a commit) or what stops the repo from building or running (its runtime says so); a warning is
advice (the Hub accepts and runs it). A repo the Hub accepts and runs gets no error unless the Hub would
refuse its card today (the retired built-in Streamlit SDK).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from hf_hub_template.fleet.adopt import lay_out
from hf_hub_template.fleet.infer import DOCKER_PYTHON, HUB_DEFAULT_PYTHON, CannotAdopt, hub_rules, infer, read_card
from hf_hub_template.fleet.scan import Repo
from hf_hub_template.resources import template_file
from hf_hub_template.template_files import TemplateRepo, copier_yml_at
from hf_hub_template.untrusted import bounded

# The only files read from a repo for its health (each bounded by read_small): its card, and what the Hub
# installs or builds from. package.json only for a static Space (its build script).
HEALTH_FILES = ("README.md", "requirements.txt", "packages.txt", "Dockerfile")
# Any gradio pin in requirements.txt: `gradio==4.44`, `gradio[oauth] == 5.9.1` (a range is no pin).
GRADIO_PIN = re.compile(r"^\s*gradio(?:\[[^\]\n]*\])?\s*==\s*([0-9][0-9.]*)\s*(?:[;#].*)?$", re.M | re.I)
# A Space still building (or starting) this long after its last commit is stuck: the Hub stops a start that
# takes longer than startup_duration_timeout (30 minutes by default), and a build takes minutes.
STUCK_AFTER = timedelta(hours=1)
WAITING_STAGES = {"BUILDING", "RUNNING_BUILDING", "APP_STARTING", "RUNNING_APP_STARTING"}
ERROR_STAGES = {"BUILD_ERROR", "RUNTIME_ERROR", "CONFIG_ERROR", "NO_APP_FILE"}
OLDEST_PYTHON = Version("3.10")  # the oldest Python the template runs, and the oldest still maintained


MAX_SHOWN = 300  # characters of a message or value read from a repo, in a row


@dataclass(frozen=True)
class Problem:
    key: str  # the card key, file or "runtime" it is about
    message: str

    def __post_init__(self) -> None:  # what a repo wrote can be long: a row shows its start
        object.__setattr__(self, "key", bounded(self.key, 60))
        object.__setattr__(self, "message", bounded(self.message, MAX_SHOWN))


@dataclass
class Health:
    """One repo's health row: what it is, what the Hub refuses (errors), what it advises (warnings), and
    whether `adopt` can make it a fleet member ("yes", "no: <why>", or after its errors are fixed)."""

    sdk: str = "-"
    sdk_version: str = "-"
    python_version: str = "-"
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    adoptable: str = "-"


@dataclass(frozen=True)
class TemplateOffer:
    """What the operator's template offers at the version compared with: its questions and newest Gradio."""

    questions: dict[str, Any]
    gradio_version: str | None


def template_offer(template: TemplateRepo, version: str | None) -> TemplateOffer:
    """copier.yml of the operator's template at `version` (its clone), else the one this tool ships."""
    text = copier_yml_at(template.git_dir, version or "HEAD")
    if text is None:
        text = template_file("copier.yml").read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)  # the operator's own template, or this tool's: trusted
    questions = loaded if isinstance(loaded, dict) else {}
    spec = questions.get("gradio_version")
    default = spec.get("default") if isinstance(spec, dict) else None
    return TemplateOffer(questions, str(default) if isinstance(default, str) and _version(default) else None)


def _version(text: object) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def card_health(repo: Repo, files: frozenset[str], texts: dict[str, str], offer: TemplateOffer, view: Path) -> Health:
    """The health of `repo` from its file names and the small files read (`texts`). `view`: an empty folder
    where the repo is laid out for the Hub's rules (file names as empty files, the files read as they are)."""
    health = Health()
    try:
        meta, has_card = read_card(texts.get("README.md", ""))
    except ValueError as err:  # not YAML, aliases, not a mapping: the Hub cannot read it either
        health.errors.append(Problem("README.md", str(err)))
        health.adoptable = "once the card's errors are fixed"
        return health
    if repo.repo_type == "space":
        health.sdk = bounded(str(meta.get("sdk", "-")), 40)
    if not has_card:
        if repo.repo_type == "space":  # the Hub cannot know how to run it: CONFIG_ERROR
            what = "no README.md" if "README.md" not in files else "README.md has no metadata block"
            health.errors.append(Problem("README.md", f"{what}: a Space's card names its sdk"))
        else:  # the Hub shows the repo without a card's metadata
            health.warnings.append(Problem("README.md", "no card metadata: the Hub shows no licence, task or tags"))
    else:
        try:
            errors, warnings = hub_rules().errors_and_warnings(lay_out(view, files, texts), repo.repo_type)
        except ValueError as err:  # a file the rules read is not what it says (package.json not JSON)
            errors, warnings = [Problem("files", f"its files cannot be read as the Hub reads them: {err}")], []
        health.errors += [Problem(f.key, str(f.message)) for f in errors]
        health.warnings += [Problem(f.key, str(f.message)) for f in warnings]
    if repo.repo_type == "space" and meta.get("sdk") == "gradio":
        _gradio(health, meta, texts.get("requirements.txt", ""), offer)
    elif repo.repo_type == "space" and meta.get("sdk") == "docker":
        found = DOCKER_PYTHON.search(texts.get("Dockerfile", ""))
        if found:
            _python(health, found.group(1), "the Dockerfile's FROM python image")
    try:
        infer(repo.repo_type, repo.repo_id, meta, files, texts, offer.questions)
    except CannotAdopt as err:
        health.adoptable = f"no: {err}"
    else:
        health.adoptable = "once the card's errors are fixed" if health.errors else "yes"
    return health


def _gradio(health: Health, meta: dict[str, Any], requirements: str, offer: TemplateOffer) -> None:
    version = meta.get("sdk_version")
    health.sdk_version = "-" if version is None else bounded(str(version), 40)
    current = _version(version) if version is not None else None
    newest = _version(offer.gradio_version) if offer.gradio_version else None
    if current is not None and newest is not None and current < newest:
        health.warnings.append(
            Problem(
                "sdk_version",
                f"sdk_version {version} is behind {offer.gradio_version}, the newest Gradio the template offers",
            )
        )
    pins = GRADIO_PIN.findall(requirements)
    if pins and current is not None and _version(pins[0]) != current:
        # Not a rule the Hub checks on a commit (hub-spec U5): it installs Gradio at sdk_version and then
        # requirements.txt, and two pins can fail the build with a resolver error. Advice; a build that did
        # fail is the runtime's error.
        health.warnings.append(
            Problem(
                "requirements.txt",
                f"requirements.txt pins gradio=={pins[0]} but sdk_version is {version}: the Hub installs "
                "sdk_version, and two pins can fail the build; drop gradio from requirements.txt",
            )
        )
    python = meta.get("python_version")
    _python(health, HUB_DEFAULT_PYTHON if python is None else str(python), "the card")


def _python(health: Health, version: str, source: str) -> None:
    version = bounded(version, 40)
    health.python_version = version
    parsed = _version(version)
    if parsed is not None and parsed.release[:2] < OLDEST_PYTHON.release:
        health.warnings.append(
            Problem(
                "python_version",
                f"Python {version} ({source}) is past its end of life: move to 3.10 or later",
            )
        )


def runtime_problems(runtime: dict[str, Any] | None, last_modified: datetime | None, now: datetime) -> list[Problem]:
    """What a Space's runtime (as the listing gave it) says is wrong: an error stage, a sleep after an error,
    or a build or start still going STUCK_AFTER after its last commit."""
    if not runtime:
        return []
    stage = str(runtime.get("stage", ""))
    message = runtime.get("errorMessage")
    said = f": {str(message).strip().splitlines()[0][:200]}" if isinstance(message, str) and message.strip() else ""
    if stage in ERROR_STAGES:
        return [Problem("runtime", f"the Space is in {stage}{said}")]
    if stage in ("SLEEPING", "STOPPED", "PAUSED") and said:
        return [Problem("runtime", f"the Space is {stage.lower()} after an error{said}")]
    if stage in WAITING_STAGES and last_modified is not None and now - last_modified > STUCK_AFTER:
        hours = int((now - last_modified).total_seconds() // 3600)
        return [Problem("runtime", f"the Space is stuck in {stage}: {hours} h since its last commit")]
    return []


def utc_now() -> datetime:
    return datetime.now(timezone.utc)
