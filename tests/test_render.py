"""Render every kind and SDK: which files exist, which must not, and what they say."""

from __future__ import annotations

import os
import py_compile
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import (
    COPIER_YML,
    KINDS,
    copier_cli,
    copier_copy,
    git,
    kind_answers,
    question_template,
    render,
    tracked_files,
)
from hub_rules import check_repo, read_metadata

COMMON = {
    ".copier-answers.yml",
    ".gitattributes",
    ".gitignore",
    "README.md",
    "CONTRIBUTING.md",
    "tests/hub_rules.py",
    "tests/requirements.txt",
    "ruff.toml",
    ".pre-commit-config.yaml",
    "tests/test_card.py",
}
EXPECTED = {
    ("space", "gradio"): {"app.py", "requirements.txt", "tests/serve.py", "tests/test_app.py"},
    ("space", "streamlit"): {
        "app.py",
        "requirements.txt",
        "Dockerfile",
        ".dockerignore",
        "tests/serve.py",
        "tests/test_app.py",
        "tests/test_dockerfile.py",
    },
    ("space", "static"): {"index.html", "style.css", "script.js", "tests/test_page.py"},
    ("space", "docker"): {
        "app.py",
        "requirements.txt",
        "Dockerfile",
        ".dockerignore",
        "tests/serve.py",
        "tests/test_app.py",
        "tests/test_dockerfile.py",
    },
    ("model", None): set(),
    ("dataset", None): {"data/train.parquet", "data/test.parquet", "tests/test_dataset.py"},
}
HUB_MODEL_PATTERNS = (
    "*.7z *.arrow *.bin *.bz2 *.ckpt *.ftz *.gz *.h5 *.joblib *.lfs.* *.mlmodel *.model *.msgpack *.npy *.npz "
    "*.onnx *.ot *.parquet *.pb *.pickle *.pkl *.pt *.pth *.rar *.safetensors saved_model/**/* *.tar.* *.tar "
    "*.tflite *.tgz *.wasm *.xz *.zip *.zst *tfevents*"
).split()
# The Hub's dataset list adds archives and media; Spaces take its media too (demos commit images, audio, video).
MEDIA_PATTERNS = (
    "*.pcm *.sam *.raw *.aac *.flac *.mp3 *.ogg *.wav *.bmp *.gif *.png *.tiff *.jpg *.jpeg *.webp *.mp4 *.webm".split()
)
DATASET_EXTRAS = ["*.lz4", "*.mds", *MEDIA_PATTERNS]
IDS = [f"{k}-{s}" if s else k for k, s in KINDS]


_RENDERED: dict[tuple[str, str | None], Path] = {}


def render_kind(template: Path, factory: pytest.TempPathFactory, repo_type: str, sdk: str | None) -> Path:
    """Each kind rendered with defaults once per test process."""
    if (repo_type, sdk) not in _RENDERED:
        _RENDERED[(repo_type, sdk)] = render(
            template, factory.mktemp("render") / "demo-repo", **kind_answers(repo_type, sdk)
        )
    return _RENDERED[(repo_type, sdk)]


@pytest.fixture(params=KINDS, ids=IDS)
def rendered(request: pytest.FixtureRequest, template: Path, tmp_path_factory: pytest.TempPathFactory):
    repo_type, sdk = request.param
    return repo_type, sdk, render_kind(template, tmp_path_factory, repo_type, sdk)


def test_files_present_and_absent(rendered):
    repo_type, sdk, dst = rendered
    assert tracked_files(dst) == COMMON | EXPECTED[(repo_type, sdk)]


def test_first_commit_holds_every_file(rendered):
    _, _, dst = rendered
    files = {p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert files == tracked_files(dst)


def test_card_follows_hub_rules(rendered):
    repo_type, _, dst = rendered
    assert check_repo(dst, repo_type) == []


def test_card_carries_the_answers(rendered):
    repo_type, sdk, dst = rendered
    meta = read_metadata(dst / "README.md")
    assert meta["license"] == "apache-2.0"
    if repo_type == "space":
        assert meta["title"] == "Demo Repo"
        assert meta["sdk"] == {"streamlit": "docker"}.get(sdk, sdk)
        assert (meta["colorFrom"], meta["colorTo"], meta["emoji"]) == ("blue", "indigo", "🤗")
    if sdk == "gradio":
        assert (meta["sdk_version"], meta["python_version"], meta["app_file"]) == ("6.31.0", "3.12", "app.py")
    if sdk == "streamlit":
        assert meta["app_port"] == 8501 and "streamlit" in meta["tags"]
    if sdk == "docker":
        assert meta["app_port"] == 7860
    if sdk == "static":
        assert meta["app_file"] == "index.html" and "suggested_hardware" not in meta
    if repo_type == "model":
        assert (meta["library_name"], meta["pipeline_tag"]) == ("transformers", "text-classification")
    if repo_type == "dataset":
        assert meta["configs"][0]["config_name"] == "default"
        assert meta["task_categories"] == ["text-classification"] and meta["size_categories"] == ["n<1K"]


def test_python_files_compile(rendered):
    _, _, dst = rendered
    for path in dst.rglob("*.py"):
        py_compile.compile(str(path), doraise=True)


def test_gitattributes_holds_hub_defaults(rendered):
    repo_type, _, dst = rendered
    lines = [line for line in (dst / ".gitattributes").read_text().splitlines() if line and not line.startswith("#")]
    patterns = [line.split()[0] for line in lines]
    assert all(line.endswith(" filter=lfs diff=lfs merge=lfs -text") for line in lines)
    extras = {"dataset": DATASET_EXTRAS, "space": MEDIA_PATTERNS}.get(repo_type, [])
    expected = HUB_MODEL_PATTERNS + extras
    assert sorted(patterns) == sorted(expected)


def test_answers_file_records_the_kind(rendered):
    repo_type, sdk, dst = rendered
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["repo_type"] == repo_type and answers["repo_name"] == "demo-repo"
    assert ("space_sdk" in answers) == (repo_type == "space")
    assert "space_runs_python" not in answers and "space_is_static" not in answers


COMMON_QUESTIONS = {
    "repo_type",
    "repo_name",
    "namespace",
    "visibility",
    "create_remote",
    "github_sync",
    "title",
    "short_description",
    "license",
    "tags",
}
SPACE_QUESTIONS = COMMON_QUESTIONS | {
    "space_sdk",
    # the yes/no before each group most people keep (tests/test_questions.py): recorded like any answer
    "space_settings",
    "page_options",
    "starter_files",  # never asked, recorded (tests/test_starter_files.py)
    "emoji",
    "color_from",
    "color_to",
    "models",
    "datasets",
    "space_variables",
    # the page options of every Space (tests/test_space_options.py)
    "header",
    "full_width",
    "thumbnail",
    "disable_embedding",
    "custom_headers",
}
# A Space that runs a server is also asked what to request at creation, its system packages and its start-up
# time (inference and pipeline_tag only when it names a model: tests/test_demo_spaces.py; the hf_oauth_* details
# only when it signs visitors in: tests/test_space_options.py).
SERVER_SETTINGS = {"space_hardware", "space_sleep_time", "space_secrets", "system_packages", "startup_duration_timeout"}
ASKED_BY_KIND = {
    ("space", "gradio"): SPACE_QUESTIONS
    | SERVER_SETTINGS
    | {"python_version", "gradio_version", "suggested_hardware", "hf_oauth"},
    ("space", "streamlit"): SPACE_QUESTIONS
    | SERVER_SETTINGS
    | {"python_version", "streamlit_version", "suggested_hardware", "dev_mode"},
    ("space", "static"): SPACE_QUESTIONS | {"static_build"},
    ("space", "docker"): SPACE_QUESTIONS
    | SERVER_SETTINGS
    | {"python_version", "app_port", "suggested_hardware", "hf_oauth", "dev_mode"},
    # base_model_relation only when base_model is answered (tests/test_cards.py)
    ("model", None): COMMON_QUESTIONS
    | {"library_name", "pipeline_tag", "base_model", "datasets", "language", "new_version", "eval_results", "gated"}
    | {"repo_details"},
    ("dataset", None): COMMON_QUESTIONS | {"task_categories", "language", "gated", "data_format", "repo_details"},
}


def test_each_question_is_asked_exactly_for_its_kind(rendered):
    """Copier records the questions it asked: each kind gets its own, and no other (license_name: below)."""
    repo_type, sdk, dst = rendered
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert {key for key in answers if not key.startswith("_")} == ASKED_BY_KIND[(repo_type, sdk)]


@pytest.mark.parametrize("sdk", ["docker", "streamlit"])
def test_dockerfile_follows_docker_space_rules(template, tmp_path_factory, sdk):
    dst = render_kind(template, tmp_path_factory, "space", sdk)
    text = (dst / "Dockerfile").read_text()
    port = 8501 if sdk == "streamlit" else 7860
    assert "--uid 1000" in text and "USER user" in text
    copies = [line for line in text.splitlines() if line.startswith("COPY")]
    assert copies and all("--chown=user" in line for line in copies)
    assert text.index("requirements.txt") < text.index("COPY --chown=user:user . .")
    assert f"EXPOSE {port}" in text and "0.0.0.0" in text and str(port) in text.splitlines()[-1]
    assert "TOKEN" not in text.upper().replace("HF_TOKEN", "")  # no secret baked in


def test_gradio_requirements_do_not_fight_sdk_version(template, tmp_path_factory):
    dst = render_kind(template, tmp_path_factory, "space", "gradio")
    requirements = [
        line.strip()
        for line in (dst / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert not any(line.lower().startswith("gradio") for line in requirements)


def test_streamlit_runs_on_8501_with_a_python_that_installs_it(template, tmp_path_factory):
    dst = render_kind(template, tmp_path_factory, "space", "streamlit")
    text = (dst / "Dockerfile").read_text()
    assert "FROM python:3.12-slim" in text  # streamlit >= 1.66 needs Python 3.11+
    assert '"--server.port=8501", "--server.address=0.0.0.0"' in text
    assert (dst / "requirements.txt").read_text().strip() == "streamlit==1.67.0"


def test_static_page_links_its_assets(template, tmp_path_factory):
    dst = render_kind(template, tmp_path_factory, "space", "static")
    html = (dst / "index.html").read_text()
    assert 'href="style.css"' in html and 'src="script.js"' in html and "<title>Demo Repo</title>" in html
    assert "--from: #3b82f6" in (dst / "style.css").read_text()


def test_dataset_sample_matches_configs(template, tmp_path_factory):
    """The default sample is Parquet: the card's configs and dataset_info say what the files hold."""
    import pyarrow.parquet as pq

    dst = render_kind(template, tmp_path_factory, "dataset", None)
    meta = read_metadata(dst / "README.md")
    files = meta["configs"][0]["data_files"]
    assert {entry["split"]: entry["path"] for entry in files} == {
        "train": "data/train.parquet",
        "test": "data/test.parquet",
    }
    rows = {name: pq.read_table(dst / "data" / f"{name}.parquet").num_rows for name in ("train", "test")}
    assert rows == {"train": 8, "test": 4}
    info = meta["dataset_info"]
    assert {split["name"]: split["num_examples"] for split in info["splits"]} == rows
    assert [f["name"] for f in info["features"]] == pq.read_table(dst / "data" / "train.parquet").column_names
    assert meta["size_categories"] == ["n<1K"]
    assert "| train | `data/train.parquet` | 8 |" in (dst / "README.md").read_text()


# ---------------------------------------------------------------- options: presence and absence
@pytest.mark.parametrize("library", COPIER_YML["library_name"]["choices"])
def test_model_usage_snippet_loads_with_its_library(template, tmp_path, library):
    dst = render(template, tmp_path / "m", repo_type="model", library_name=library, namespace="acme")
    readme = (dst / "README.md").read_text()
    snippet = readme.split("```python\n", 1)[1].split("```", 1)[0]
    compile(snippet, "usage", "exec")
    module = {
        "sentence-transformers": "sentence_transformers",
        "scikit-learn": "joblib",
        "gguf": "llama_cpp",
        "mlx": "mlx_lm",
        "onnx": "onnxruntime",
    }.get(library, library)
    assert f"import {module}" in snippet or f"from {module} import" in snippet
    assert "acme/m" in snippet
    assert check_repo(dst, "model") == []


# A file each library writes its weights to (what its usage snippet loads): the card must name a pattern
# that matches it, and git must send it to LFS/Xet (a weight pushed as a plain blob bypasses them).
WEIGHT_FILES = {
    "transformers": "model.safetensors",
    "sentence-transformers": "model.safetensors",
    "diffusers": "unet/diffusion_pytorch_model.safetensors",
    "timm": "model.safetensors",
    "peft": "adapter_model.safetensors",
    "scikit-learn": "model.joblib",
    "gguf": "my-model-Q4_K_M.gguf",
    "mlx": "model.safetensors",
    "keras": "model.weights.h5",
    "onnx": "model.onnx",
}


@pytest.mark.parametrize("library", COPIER_YML["library_name"]["choices"])
def test_model_weights_are_named_by_the_card_and_tracked_by_lfs(template, tmp_path, library):
    from fnmatch import fnmatch

    assert set(WEIGHT_FILES) == set(COPIER_YML["library_name"]["choices"])
    dst = render(template, tmp_path / "m", repo_type="model", library_name=library, namespace="acme")
    weights = WEIGHT_FILES[library]
    named = re.search(r"Add the weights \(`([^`]+)`", (dst / "README.md").read_text())
    assert named and fnmatch(weights.rsplit("/", 1)[-1], named[1]), (weights, named and named[1])
    assert git(dst, "check-attr", "filter", "--", weights).strip() == f"{weights}: filter: lfs"


def test_gguf_weights_get_their_own_lfs_line_and_nothing_else_changes(template, tmp_path):
    """*.gguf is not in the Hub's default list: a gguf model repo adds it; every other repo keeps the Hub's list."""
    gguf = render(template, tmp_path / "g", repo_type="model", library_name="gguf")
    plain = render(template, tmp_path / "t", repo_type="model")
    added = set((gguf / ".gitattributes").read_text().splitlines()) - set(
        (plain / ".gitattributes").read_text().splitlines()
    )
    assert {line for line in added if not line.startswith("#")} == {"*.gguf filter=lfs diff=lfs merge=lfs -text"}
    assert "safetensors" not in (gguf / "README.md").read_text()


# With the namespace left empty the repo id is YOUR-NAMESPACE/NAME until `publish` writes the login over it.
PLACEHOLDER = "YOUR-NAMESPACE/"
PLACEHOLDER_NOTE = "the namespace is filled in when you publish"
NO_NAMESPACE_CASES = [
    *(kind_answers(*kind) for kind in KINDS),
    {"repo_type": "model", "library_name": "gguf"},
    {"repo_type": "space", "github_sync": True},
    {"repo_type": "dataset", "github_sync": True, "gated": True},
]


@pytest.mark.parametrize("answers", NO_NAMESPACE_CASES, ids=str)
def test_a_repo_id_that_cannot_be_right_yet_is_no_link_and_says_so(template, tmp_path, answers):
    """No file links to YOUR-NAMESPACE/...; the card shows the id as text with the note, and a snippet that
    loads it follows the note."""
    dst = render(template, tmp_path / "demo-repo", **answers)
    for path in tracked_files(dst):
        text = (dst / path).read_bytes().decode("utf-8", "replace")
        assert not re.search(r"\]\([^)]*YOUR-NAMESPACE|https?://\S*YOUR-NAMESPACE", text), path
    readme = (dst / "README.md").read_text()
    prose, *rest = readme.split("```")
    blocks = [prose, *rest]
    for index, block in enumerate(blocks):
        if index % 2 and PLACEHOLDER in block:  # a code block: the paragraph before it says why
            assert PLACEHOLDER_NOTE in blocks[index - 1].rstrip().rsplit("\n", 1)[-1], block
    if answers["repo_type"] == "space":
        assert f"Live at `{PLACEHOLDER}demo-repo` ({PLACEHOLDER_NOTE}) once pushed." in readme
    named = render(template, tmp_path / "named" / "demo-repo", namespace="acme", **answers)
    assert PLACEHOLDER_NOTE not in (named / "README.md").read_text() + (named / "CONTRIBUTING.md").read_text()
    if answers["repo_type"] == "space":
        assert (
            "Live at [acme/demo-repo](https://huggingface.co/spaces/acme/demo-repo)"
            in (named / "README.md").read_text()
        )


def test_options_reach_the_card(template, tmp_path):
    dst = render(
        template,
        tmp_path / "opts",
        repo_type="space",
        space_sdk="gradio",
        namespace="acme",
        title='Quotes "and": colons',
        emoji="🚀",
        color_from="red",
        color_to="green",
        short_description="Ünïcode: fine",
        license="mit",
        tags="nlp, demo",
        models="acme/base-model",
        datasets="acme/data",
        suggested_hardware="t4-small",
        python_version="3.10",
        gradio_version="5.49.1",
    )
    meta = read_metadata(dst / "README.md")
    assert meta["title"] == 'Quotes "and": colons' and meta["short_description"] == "Ünïcode: fine"
    assert (meta["emoji"], meta["colorFrom"], meta["colorTo"], meta["license"]) == ("🚀", "red", "green", "mit")
    assert meta["tags"] == ["nlp", "demo"] and meta["models"] == ["acme/base-model"]
    assert meta["datasets"] == ["acme/data"] and meta["suggested_hardware"] == "t4-small"
    assert (meta["python_version"], meta["sdk_version"]) == ("3.10", "5.49.1")
    assert "acme/opts" in (dst / "README.md").read_text()
    assert check_repo(dst, "space") == []
    py_compile.compile(str(dst / "app.py"), doraise=True)


def test_empty_lists_are_left_out_of_the_card(template, tmp_path):
    meta = read_metadata(render(template, tmp_path / "bare", repo_type="space").joinpath("README.md"))
    assert not {"tags", "models", "datasets"} & set(meta)


def test_custom_licence_renders_license_file(template, tmp_path):
    dst = render(template, tmp_path / "lic", repo_type="model", license="other", license_name="acme-1.0")
    meta = read_metadata(dst / "README.md")
    assert (meta["license"], meta["license_name"], meta["license_link"]) == ("other", "acme-1.0", "LICENSE")
    assert yaml.safe_load((dst / ".copier-answers.yml").read_text())["license_name"] == "acme-1.0"
    assert "acme-1.0" in (dst / "LICENSE").read_text()


def test_no_licence_file_for_listed_licences(template, tmp_path):
    dst = render(template, tmp_path / "nolic", repo_type="model")
    assert not (dst / "LICENSE").exists()
    assert "license_name" not in yaml.safe_load((dst / ".copier-answers.yml").read_text())


def test_model_options(template, tmp_path):
    dst = render(
        template,
        tmp_path / "mo",
        repo_type="model",
        base_model="acme/base",
        datasets="acme/d1, acme/d2",
        language="en, fr",
        pipeline_tag="text-generation",
        tags="llm",
    )
    meta = read_metadata(dst / "README.md")
    assert meta["base_model"] == "acme/base" and meta["datasets"] == ["acme/d1", "acme/d2"]
    assert meta["language"] == ["en", "fr"] and meta["pipeline_tag"] == "text-generation" and meta["tags"] == ["llm"]


def test_docker_port_reaches_card_dockerfile_and_readme(template, tmp_path):
    dst = render(template, tmp_path / "dock", repo_type="space", space_sdk="docker", app_port=8080)
    assert read_metadata(dst / "README.md")["app_port"] == 8080
    dockerfile = (dst / "Dockerfile").read_text()
    assert '"--port", "8080"' in dockerfile and re.search(r"^EXPOSE 8080$", dockerfile, re.M)
    assert "--port 8080" in (dst / "README.md").read_text()
    # Every place a port appears follows the answer: the Hub's default 7860 is nowhere but the checker's fallback.
    for path in tracked_files(dst) - {"tests/hub_rules.py"}:
        assert "7860" not in (dst / path).read_text(), path
    assert check_repo(dst, "space") == []


def test_private_and_remote_answers_are_recorded_not_rendered(template, tmp_path):
    dst = render(template, tmp_path / "priv", private=True)
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers["visibility"] == "private" and answers["create_remote"] is False
    assert "private" not in read_metadata(dst / "README.md") and "visibility" not in read_metadata(dst / "README.md")


@pytest.mark.parametrize("sync", [True, False])
def test_github_sync_workflow_presence(template, tmp_path, sync):
    dst = render(template, tmp_path / "sync", github_sync=sync)
    assert (dst / ".github").exists() == sync
    workflows = {".github/workflows/sync-to-hub.yml", ".github/dependabot.yml"}
    assert (tracked_files(dst) & workflows) == (workflows if sync else set())
    assert ("Keep it in sync from GitHub" in (dst / "CONTRIBUTING.md").read_text()) == sync
    assert "sync-to-hub" not in (dst / "README.md").read_text(), "the public card holds no maintainer notes"
    # How the workflow signs in is recorded for `copier update`, and only when there is a workflow.
    answers = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert answers.get("sync_auth") == ("trusted_publisher" if sync else None)


FOLDER_NAMES = [
    ("My Cool Demo!", "My-Cool-Demo"),  # other characters become -, none left at the end
    ("my-space.git", "my-space"),  # no .git ending
    ("x.git.git", "x"),
    ("x-.git", "x"),  # removing .git must not leave a trailing -
    ("a..b", "a.b"),  # no ..
    ("a--b", "a-b"),  # no --
    ("-x-", "x"),  # no leading or trailing -
    (".hidden.", "hidden"),
    ("__", "__"),
    ("a" * 95 + "-b" + "c" * 10, "a" * 95),  # cut to 96, then no trailing -
    ("café au lait", "caf-au-lait"),  # non-ASCII
    ("日本語", "my-space"),  # nothing usable left
]


def repo_name_rules() -> tuple[Any, Any]:
    return question_template("repo_name", "default"), question_template("repo_name", "validator")


@pytest.mark.parametrize(("folder", "expected"), FOLDER_NAMES)
def test_default_repo_name_from_the_folder_passes_the_validator(template, tmp_path, folder, expected):
    """`copier copy --defaults` into any folder gives a name the repo_name validator accepts."""
    default, validator = repo_name_rules()
    assert default.render({"_folder_name": folder, "repo_type": "space"}) == expected
    assert not validator.render({"repo_name": expected}).strip()
    # The defaults derived from it (title, and licence name for license=other) must pass theirs too.
    dst = render(template, tmp_path / folder, license="other")
    assert yaml.safe_load((dst / ".copier-answers.yml").read_text())["repo_name"] == expected


def test_default_repo_name_is_valid_for_any_folder_name():
    """Thousands of folder names built from the characters each rule is about: the default always validates."""
    import random

    default, validator = repo_name_rules()
    pieces = ["a", "Z", "0", "_", "-", ".", "..", "--", ".git", "-.git", " ", "é", "日", "!", "a" * 40]
    rng = random.Random(20261201)
    for _ in range(3000):
        folder = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        name = default.render({"_folder_name": folder, "repo_type": rng.choice(["space", "model", "dataset"])})
        problem = validator.render({"repo_name": name}).strip()
        assert not problem, f"folder {folder!r} gives the default {name!r}: {problem}"


# ------------------------------------------------------------- the oldest Copier the template accepts
@pytest.mark.slow
@pytest.mark.parametrize(("repo_type", "sdk"), [("space", "streamlit"), ("dataset", None)])
def test_min_copier_version_renders_the_same_files(template, tmp_path, tmp_path_factory, repo_type, sdk):
    minimum = COPIER_YML["_min_copier_version"]
    dst = tmp_path / "demo-repo"
    uv_copier = [sys.executable, "-m", "uv", "tool", "run", "--from", f"copier=={minimum}.0", "copier"]
    result = copier_copy(template, dst, copier=uv_copier, **kind_answers(repo_type, sdk))
    assert result.returncode == 0, result.stderr[-2000:]
    current = render_kind(template, tmp_path_factory, repo_type, sdk)
    files = tracked_files(current)
    assert tracked_files(dst) == files
    for path in files - {".copier-answers.yml"}:
        assert (dst / path).read_bytes() == (current / path).read_bytes(), path


def test_card_lists_hold_each_item_once_and_the_front_matter_no_blank_line(template, tmp_path):
    """The card is dumped from data: a tag the template adds too (streamlit) appears once, no blank line."""
    dst = render(
        template, tmp_path / "st", space_sdk="streamlit", tags="streamlit, demo, demo", models="acme/m, acme/m"
    )
    meta = read_metadata(dst / "README.md")
    assert meta["tags"] == ["streamlit", "demo"] and meta["models"] == ["acme/m"]
    front = (dst / "README.md").read_text().split("---\n")[1]
    assert "\n\n" not in front and check_repo(dst, "space") == []


def test_several_base_models_are_a_list(template, tmp_path):
    one = read_metadata(render(template, tmp_path / "one", repo_type="model", base_model="acme/a") / "README.md")
    two = render(template, tmp_path / "two", repo_type="model", base_model="acme/a, acme/b")
    assert one["base_model"] == "acme/a" and read_metadata(two / "README.md")["base_model"] == ["acme/a", "acme/b"]
    assert check_repo(two, "model") == []


# ---------------------------------------------------------------------- the copy task's first commit
def git_env(home: Path, **identity: str) -> dict[str, str]:
    """An environment whose only git configuration is `identity` (user.name / user.email), in `home`."""
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "HF_"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), GIT_CONFIG_NOSYSTEM="1")
    lines = [f"\t{key} = {value}" for key, value in identity.items()]
    (home / ".gitconfig").write_text("[user]\n" + "\n".join(lines) + "\n" if lines else "")
    return env


@pytest.mark.parametrize(
    ("identity", "author"),
    [
        ({"name": "Ada Lovelace", "email": "ada@example.invalid"}, "Ada Lovelace <ada@example.invalid>"),
        ({"name": "Ada Lovelace"}, "Ada Lovelace <hf-hub-template@users.noreply.huggingface.co>"),
        ({}, "hf-hub-template <hf-hub-template@users.noreply.huggingface.co>"),
    ],
    ids=["own-identity", "name-only", "no-identity"],
)
def test_first_commit_uses_the_persons_identity_else_a_neutral_one(template, tmp_path, identity, author):
    project = tmp_path / "demo"
    result = copier_copy(template, project, git_env(tmp_path / "home", **identity))
    assert result.returncode == 0, result.stderr
    version = yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"]
    assert git(project, "log", "--format=%an <%ae>|%s") == f"{author}|Initial commit from hf-hub-template {version}\n"
    assert git(project, "status", "--porcelain") == ""


def test_rendered_inside_a_repository_leaves_the_commit_to_its_owner(template, tmp_path):
    outer = tmp_path / "monorepo"
    outer.mkdir()
    git(outer, "init", "-q", "-b", "main")
    result = copier_copy(template, outer / "spaces" / "demo")
    assert result.returncode == 0, result.stderr
    assert "Already inside a git repository" in result.stderr
    assert not (outer / "spaces" / "demo" / ".git").exists()
    assert "spaces/" in git(outer, "status", "--porcelain", "--untracked-files=normal")


@pytest.mark.parametrize("repo_type", ["space", "dataset"])
def test_message_after_copy_is_a_command_that_works_as_printed(template, tmp_path, repo_type):
    """Into a folder with a space: the printed `cd ...` is quoted, and the kind's own words follow."""
    import shlex

    project = tmp_path / "Review Data"
    result = copier_copy(template, project, repo_type=repo_type)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    lines = output.splitlines()
    at = next(number for number, line in enumerate(lines) if line.startswith("Check it before you push"))
    assert shlex.split(lines[at + 1]) == ["cd", str(project)]
    assert lines[at + 2].strip() == "python -m pip install -r tests/requirements.txt && python -m pytest"
    assert all(len(line) <= 80 for line in lines[at : at + 3] if str(project) not in line), lines[at : at + 3]
    says_run = "says how to run it locally" in output
    assert says_run == (repo_type == "space") and ("is the card the Hub shows" in output) == (repo_type != "space")


# ------------------------------------------------------------- the public card and the maintainer's notes
MAINTAINER_SECTIONS = ["## Publish it on the Hub", "## Check it before you push", "## Keep it up to date"]


@pytest.mark.parametrize("extra", [{}, {"github_sync": True, "create_remote": False}], ids=["plain", "sync"])
def test_the_card_is_public_and_the_notes_are_for_maintainers(rendered, extra):
    repo_type, sdk, dst = rendered
    readme, notes = (dst / "README.md").read_text(), (dst / "CONTRIBUTING.md").read_text()
    for section in MAINTAINER_SECTIONS:
        assert section not in readme and section in notes
    assert "hf-hub-template publish" not in readme and "copier update" not in readme


@pytest.mark.parametrize(("repo_type", "sdk"), KINDS, ids=IDS)
def test_no_rendered_file_holds_a_path_of_this_machine(template, tmp_path, repo_type, sdk):
    """Rendered from a local template: only Copier's own answers file records where the template was."""
    dst = render(template, tmp_path / "out" / "demo", github_sync=True, **kind_answers(repo_type, sdk))
    for path in tracked_files(dst) - {".copier-answers.yml"}:
        text = (dst / path).read_bytes()
        for local in (str(template), str(tmp_path), str(Path.home())):
            assert local.encode() not in text, f"{path} holds {local}"


@pytest.mark.parametrize(
    ("source", "command"),
    [
        (
            "gh:acme/hf-hub-template",
            'uvx --from "git+https://github.com/acme/hf-hub-template" hf-hub-template publish .',
        ),
        ("https://gitlab.com/acme/t.git", 'uvx --from "git+https://gitlab.com/acme/t.git" hf-hub-template publish .'),
        ("/home/ada/templates/hub", "uvx --from TEMPLATE hf-hub-template publish ."),
        ("git+file:///home/ada/t", "uvx --from TEMPLATE hf-hub-template publish ."),
    ],
)
def test_publish_command_names_a_shared_template_only(source, command):
    from helpers import copier_jinja

    macro = copier_jinja().from_string(
        "{% from 'partials/macros.jinja' import publish_command with context %}{{ publish_command() }}"
    )
    assert macro.render({"_copier_answers": {"_src_path": source}}).split("   #")[0] == command


# ----------------------------------------------------------------------- a folder that is not empty
@pytest.mark.parametrize("how", [["--defaults"], ["-d", "repo_type=space"]], ids=["defaults", "no-terminal"])
def test_a_folder_that_is_not_empty_is_refused_before_anything_is_written(template, tmp_path, how):
    dst = tmp_path / "taken"
    dst.mkdir()
    (dst / "notes.txt").write_text("mine\n")
    (dst / ".env").write_text("KEY=1\n")
    result = subprocess.run(
        [*copier_cli(), "copy", "--trust", "--vcs-ref", "HEAD", *how, str(template), str(dst)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode != 0
    assert "Validation error for question 'repo_type': use an empty folder, or --overwrite" in result.stderr
    assert sorted(path.name for path in dst.iterdir()) == [".env", "notes.txt"], "nothing was written"


def test_with_overwrite_the_template_files_replace_and_the_rest_stays(template, tmp_path):
    dst = tmp_path / "taken"
    dst.mkdir()
    (dst / "notes.txt").write_text("mine\n")
    (dst / "README.md").write_text("old readme\n")
    result = subprocess.run(
        [*copier_cli(), "copy", "--trust", "--defaults", "--overwrite", "--vcs-ref", "HEAD", str(template), str(dst)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (dst / "notes.txt").read_text() == "mine\n" and read_metadata(dst / "README.md")["sdk"] == "gradio"
    assert "notes.txt" in tracked_files(dst)


def test_an_empty_git_repository_is_an_empty_folder(template, tmp_path):
    dst = tmp_path / "cloned"
    dst.mkdir()
    git(dst, "init", "-q", "-b", "main")
    result = copier_copy(template, dst)
    assert result.returncode == 0, result.stderr
    assert read_metadata(dst / "README.md")["sdk"] == "gradio"
