"""The typed project: every tool reads a project's answers through Project.from_answers, once."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hf_hub_template.hub.project import Project


@pytest.mark.parametrize(
    ("answers", "hub_sdk", "runs_docker", "port", "builds"),
    [
        ({"space_sdk": "gradio"}, "gradio", False, None, True),
        ({"space_sdk": "streamlit"}, "docker", True, 8501, True),
        ({"space_sdk": "docker"}, "docker", True, 7860, True),
        ({"space_sdk": "static"}, "static", False, None, False),
        ({}, "gradio", False, None, True),  # a Space without the answer: the template's default SDK
        ({"repo_type": "model"}, None, False, None, False),
        ({"repo_type": "dataset", "space_sdk": "gradio"}, None, False, None, False),
    ],
)
def test_each_kind_says_what_the_hub_is_told(answers, hub_sdk, runs_docker, port, builds):
    project = Project.from_answers({"repo_name": "demo", **answers})
    assert (project.hub_sdk, project.runs_docker, project.port, project.builds) == (hub_sdk, runs_docker, port, builds)


@pytest.mark.parametrize(
    ("answers", "visibility"),
    [({}, "public"), ({"private": True}, "private"), ({"visibility": "protected", "private": True}, "protected")],
)
def test_visibility_reads_the_older_private_answer(answers, visibility):
    assert Project.from_answers({"repo_name": "x", **answers}).visibility == visibility


@pytest.mark.parametrize(
    ("answers", "hardware"),
    [
        ({}, None),
        ({"space_hardware": "none"}, None),
        ({"space_hardware": "t4-small"}, "t4-small"),
        ({"inference": "zerogpu"}, "zero-a10g"),
        ({"inference": "zerogpu", "space_hardware": "none"}, None),
        ({"repo_type": "model", "space_hardware": "t4-small"}, None),
    ],
)
def test_hardware_is_requested_only_when_chosen_or_zerogpu(answers, hardware):
    assert Project.from_answers({"repo_name": "x", **answers}).hardware == hardware


def test_repo_id_and_url_need_the_namespace():
    project = Project.from_answers({"repo_name": "data", "repo_type": "dataset", "models": " a/b , c/d ,"})
    assert project.models == ("a/b", "c/d")
    with pytest.raises(ValueError, match="namespace is not known"):
        _ = project.repo_id
    named = project.with_namespace("acme")
    assert named.repo_id == "acme/data" and named.url("https://huggingface.co/") == (
        "https://huggingface.co/datasets/acme/data"
    )
    assert Project.from_answers({"repo_name": "m", "namespace": "acme", "repo_type": "model"}).url("http://h") == (
        "http://h/acme/m"
    )


def test_load_says_what_is_missing(tmp_path: Path):
    with pytest.raises(ValueError, match="has no .copier-answers.yml with a repo_name"):
        Project.load(tmp_path)
    (tmp_path / ".copier-answers.yml").write_text(yaml.safe_dump({"repo_name": "x", "namespace": "n"}))
    assert Project.load(tmp_path).repo_id == "n/x"


def test_the_demo_model_is_the_first_model_named():
    assert Project.from_answers({"models": " acme/a , acme/b"}).demo_model == "acme/a"
    assert Project.from_answers({"models": ""}).demo_model == ""
