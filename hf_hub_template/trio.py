"""`hf-hub-template trio`: the model → dataset → Space flow from one answer set.

Renders three ordinary Copier projects side by side, linked by their cards:
    DEST/NAME        the model repo, whose card's `datasets` names the dataset
    DEST/NAME-data   the dataset repo
    DEST/NAME-demo   the Space, whose `models`/`datasets` name both and whose app loads them
With `--create-remote` it publishes them in an order that keeps every link valid (dataset, model, Space);
a failure anywhere keeps the three local projects and prints one command that resumes.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hf_hub_template.org_standard import OrgStandardError, unknown_answers
from hf_hub_template.untrusted import quoted

REPO_TYPES = ("dataset", "model", "space")  # the publishing order: each card links only repos made before it
SUFFIX = {"model": "", "dataset": "-data", "space": "-demo"}


@dataclass(frozen=True)
class Member:
    repo_type: str
    folder: Path
    answers: dict[str, Any]


def split_data(data: dict[str, str], questions: set[str]) -> dict[str, dict[str, str]]:
    """`KEY=VALUE` goes to each of the three; `model.KEY=VALUE` (or dataset., space.) to one. Unknown keys are
    refused here: Copier would ignore them silently."""
    per_type: dict[str, dict[str, str]] = {repo_type: {} for repo_type in REPO_TYPES}
    for key, value in data.items():
        prefix, dot, name = key.partition(".")
        targets = [prefix] if dot and prefix in per_type else list(REPO_TYPES)
        name = name if dot and prefix in per_type else key
        if name not in questions:
            raise OrgStandardError(
                f"-d {key}: {unknown_answers([name], questions)[0]} is not a question of the template"
            )
        if name in ("repo_type", "repo_name", "namespace", "create_remote", "models", "datasets"):
            raise OrgStandardError(f"-d {key}: the trio sets {name} itself (use --name and --namespace)")
        for target in targets:
            per_type[target][name] = value
    return per_type


def plan(dest: Path, name: str, namespace: str, data: dict[str, dict[str, str]]) -> list[Member]:
    """The three projects' folders and answers, in publishing order."""
    ids = {repo_type: f"{namespace}/{name}{SUFFIX[repo_type]}" for repo_type in REPO_TYPES}
    links: dict[str, dict[str, str]] = {
        "dataset": {},
        "model": {"datasets": ids["dataset"]},
        "space": {"models": ids["model"], "datasets": ids["dataset"]},
    }
    members = []
    for repo_type in REPO_TYPES:
        answers = {
            **data[repo_type],
            **links[repo_type],
            "repo_type": repo_type,
            "repo_name": f"{name}{SUFFIX[repo_type]}",
            "namespace": namespace,
            "create_remote": False,
        }
        members.append(Member(repo_type, dest / f"{name}{SUFFIX[repo_type]}", answers))
    return members


def resume_command(members: list[Member]) -> str:
    return quoted("hf-hub-template", "publish", *(member.folder for member in members))


def render_all(template: str, members: list[Member], *, vcs_ref: str | None, user_defaults: dict[str, Any]) -> None:
    from copier import run_copy

    from hf_hub_template.jinja_cache import compile_each_source_once

    compile_each_source_once()  # the three renders share most of their Jinja sources
    for member in members:
        if member.folder.exists() and any(member.folder.iterdir()):
            raise OrgStandardError(f"{member.folder} is not empty; nothing was written. Choose another DEST or --name.")
    for member in members:
        run_copy(
            template,
            str(member.folder),
            data=member.answers,
            user_defaults=user_defaults,
            defaults=True,
            unsafe=True,
            vcs_ref=vcs_ref,
            quiet=True,
        )
        if member.repo_type == "model":
            # The Space's demo follows the model's task: the model's answers file holds the one chosen.
            from hf_hub_template.answers import load_answers

            task = load_answers(member.folder).get("pipeline_tag")
            if task:
                members[2].answers["pipeline_tag"] = task


def publish_all(members: list[Member], *, wait: bool) -> int:
    """Publish in order; on the first failure, say which and how to resume, and keep every project."""
    from hf_hub_template.answers import load_answers
    from hf_hub_template.hub.errors import HubStepError
    from hf_hub_template.publish import Waiting, publish

    for member in members:
        try:
            publish(member.folder, load_answers(member.folder), waiting=Waiting(wait=wait))
        except Exception as err:  # noqa: BLE001 (any failure: keep the projects, say how to resume)
            reason = str(err) if isinstance(err, HubStepError) else f"{type(err).__name__}: {err}"
            print(
                f"\n{reason}\n"
                f"The three projects are intact in {members[0].folder.parent}. Publish the rest (what is already "
                f"on the Hub is left as it is) with:\n  {resume_command(members)}\n",
                file=sys.stderr,
            )
            return 1
    return 0
