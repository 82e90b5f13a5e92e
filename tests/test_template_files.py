"""The files the template owns, read from its history without rendering (what fleet-update downloads),
are exactly the files Copier renders: for every kind, at every version."""

from __future__ import annotations

import pytest
import yaml
from helpers import CURRENT_VERSION, KINDS, OLD_VERSION, PREVIOUS_VERSION, copy_old, kind_answers, render, tracked_files

from hf_hub_template.template_files import TemplateRepo

IDS = [f"{k}-{s}" if s else k for k, s in KINDS]


@pytest.mark.parametrize(
    "version",
    [  # the older versions run in the slow lane: the current one is what changes under a developer's hands
        pytest.param(OLD_VERSION, marks=pytest.mark.slow),
        pytest.param(PREVIOUS_VERSION, marks=pytest.mark.slow),
        CURRENT_VERSION,
    ],
)
@pytest.mark.parametrize(("repo_type", "sdk"), KINDS, ids=IDS)
@pytest.mark.parametrize("github_sync", [False, True], ids=["", "sync"])
def test_owned_paths_are_the_rendered_files(versions, tmp_path, version, repo_type, sdk, github_sync):
    extra = {"github_sync": github_sync, "license": "other" if github_sync else "mit"}
    if version == OLD_VERSION:
        project = copy_old(versions, tmp_path / "p", repo_type=repo_type, **({"sdk": sdk} if sdk else {}), **extra)
    else:
        project = render(versions, tmp_path / "p", vcs_ref=version, **kind_answers(repo_type, sdk), **extra)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert TemplateRepo(str(versions), tmp_path).owned_paths(version, answers) == tracked_files(project)


def test_newest_release_and_unknown_refs(versions, tmp_path):
    repo = TemplateRepo(str(versions), tmp_path)
    assert repo.newest_release() == CURRENT_VERSION
    assert repo.owned_paths("no-such-ref", {"repo_type": "space"}) is None


@pytest.mark.parametrize("sdk", ["gradio", "streamlit", "docker"])
@pytest.mark.parametrize("inference", ["local", "none"])
def test_owned_paths_of_a_demo_space(versions, tmp_path, sdk, inference):
    answers = {"space_sdk": sdk, "models": "acme/m", "datasets": "acme/d", "inference": inference}
    project = render(versions, tmp_path / "p", vcs_ref=CURRENT_VERSION, **answers)
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    owned = TemplateRepo(str(versions), tmp_path).owned_paths(CURRENT_VERSION, recorded)
    assert owned == tracked_files(project)
    assert ("inference.py" in owned) == (inference != "none") and ("examples.py" in owned) == (inference != "none")
