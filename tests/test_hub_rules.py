"""The offline card checker (rendered into every project as tests/hub_rules.py) catches what the Hub rejects.

Each case breaks one rule of a valid rendered card; the checker must name it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import render
from hub_rules import check_repo


def break_card(dst: Path, old: str, new: str) -> None:
    readme = dst / "README.md"
    text = readme.read_text()
    assert re.search(old, text, flags=re.M), f"{old!r} not in the card: the case no longer breaks anything"
    readme.write_text(re.sub(old, new, text, count=1, flags=re.M))


SPACE_CASES = [
    (r"^sdk: gradio$", "sdk: streamlit", "sdk must be one of"),
    (r"^colorFrom: blue$", "colorFrom: orange", "colorFrom must be one of"),
    (r'^emoji: "🤗"$', 'emoji: "ab"', "emoji must be a single emoji"),
    (r"^short_description: .*$", 'short_description: "' + "x" * 61 + '"', "at most 60 characters"),
    (r'^sdk_version: "6.31.0"$', 'sdk_version: "6.31"', "full X.Y.Z version"),
    (r'^python_version: "3.12"$', 'python_version: "2.7"', "python_version must be"),
    (r"^app_file: app.py$", "app_file: main.py", "app_file main.py does not exist"),
    (r"^license: apache-2.0$", "license: Apache-2.0", "not a Hub licence id"),
    (r"^suggested_hardware: cpu-basic$", "suggested_hardware: h100", "not a Hub hardware flavour"),
    (r"^pinned: false$", "pinned: false\nsdk_verison: 1.0.0", "'sdk_verison' is not a Space configuration key"),
    (r"^title: .*$", "title: [unclosed", "YAML"),
    (r'^  - "demo"$', '  - "demo"\n  - "demo"', "tags lists demo more than once"),
]


def test_docker_space_needs_dockerfile_and_port(template, tmp_path):
    dst = render(template, tmp_path / "docker", space_sdk="docker")
    (dst / "Dockerfile").unlink()
    break_card(dst, r"^app_port: 7860$", "app_port: port")
    problems = check_repo(dst, "space")
    assert any("needs a Dockerfile" in p for p in problems) and any("app_port must be" in p for p in problems)


@pytest.mark.parametrize(
    ("sdk", "old", "new", "message"),
    [
        ("docker", r"^EXPOSE 8080$", "EXPOSE 7860", "EXPOSEs 7860, but the card's app_port is 8080"),
        ("docker", r'"--port", "8080"', '"--port", "7860"', "listens on 7860, but the card's app_port is 8080"),
        ("streamlit", r"--server.port=8501", "--server.port=7860", "listens on 7860, but the card's app_port is 8501"),
    ],
)
def test_dockerfile_must_listen_on_the_cards_app_port(template, tmp_path, sdk, old, new, message):
    answers = {"app_port": 8080} if sdk == "docker" else {}
    dst = render(template, tmp_path / sdk, space_sdk=sdk, **answers)
    assert check_repo(dst, "space") == []
    dockerfile = dst / "Dockerfile"
    assert re.search(old, dockerfile.read_text(), flags=re.M), old
    dockerfile.write_text(re.sub(old, new, dockerfile.read_text(), flags=re.M))
    assert any(message in problem for problem in check_repo(dst, "space")), check_repo(dst, "space")


def test_static_space_needs_its_page(template, tmp_path):
    dst = render(template, tmp_path / "static", space_sdk="static")
    (dst / "index.html").unlink()
    assert any("app_file index.html does not exist" in p for p in check_repo(dst, "space"))


MODEL_CASES = [
    (r"^library_name: transformers\n", "", "library_name is required"),
    (r"^pipeline_tag: text-classification$", "pipeline_tag: chatbot", "not a Hub task"),
    (r"^license: apache-2.0$", "license: other", "needs license_name"),
    (r"^base_model: .*$", 'base_model: "bad--id"', "not a valid Hub repo id"),
    (r'^  - "en"$', '  - "en"\n  - "en"', "language lists en more than once"),
]


DATASET_CASES = [
    (r"^  - config_name: default$", "  - config_name: ''", "needs a config_name"),
    (r"path: data/test.parquet$", "path: data/missing.csv", "no file matches data/missing.csv"),
    (r'^      dtype: "string"$', '      dtype: "strange"', "has dtype 'strange', not a datasets type"),
    (r"^      num_examples: 4$", "      num_examples: four", "each split needs a name, num_bytes and num_examples"),
    (r'^  - "text-classification"$', '  - "vibes"', "is not a Hub task"),
    (r"^  - n<1K$", "  - tiny", "size category 'tiny' is not allowed"),
]


# Every Space option on (tests/test_space_options.py renders them): each of their rules broken in turn.
OPTIONS = {
    "hf_oauth": True,
    "hf_oauth_scopes": "email",
    "header": "mini",
    "custom_headers": "cross-origin-isolation",
    "startup_duration_timeout": "1h",
    "thumbnail": "https://example.org/card.png",
    "disable_embedding": True,
}
OPTION_CASES = [
    (r'^header: "mini"$', 'header: "huge"', "header must be one of"),
    (r"^custom_headers:$", 'custom_headers:\n  x-frame-options: "deny"', "'x-frame-options' is not a header"),
    (
        r'^  cross-origin-opener-policy: "same-origin"$',
        '  cross-origin-opener-policy: "Same-Origin"',
        "cross-origin-opener-policy must be one of",
    ),
    (r'^  - "email"$', '  - "admin"', "'admin' is not a Hub OAuth scope"),
    (r"^hf_oauth_expiration_minutes: 480$", "hf_oauth_expiration_minutes: 50000", "must be 1 to 43200"),
    (r"^hf_oauth: true$", "hf_oauth: false", "need hf_oauth: true"),
    (r'^startup_duration_timeout: "1h"$', 'startup_duration_timeout: "1 hour"', "must be a duration such as"),
    (r"^thumbnail: .*$", 'thumbnail: "card.png"', "thumbnail must be a URL"),
    (r"^disable_embedding: true$", 'disable_embedding: "yes"', "disable_embedding must be true or false"),
]
VITE_CASES = [
    (r'^app_build_command: "npm run build"$', 'app_build_command: "npm run bundle"', "package.json has no such script"),
    (r"^app_file: dist/index.html$", "app_file: index.html", "app_file names the built page"),
]


# A model with every card option: lineage, results, gating.
MODEL_OPTIONS = {
    "base_model": "acme/base",
    "datasets": "acme/data",
    "eval_results": "accuracy=0.91",
    "gated": True,
    "new_version": "acme/model-v2",
}
MODEL_OPTION_CASES = [
    (r'^base_model_relation: "finetune"$', 'base_model_relation: "distilled"', "base_model_relation must be one of"),
    (r'^base_model_relation: "finetune"$', 'base_model_relation: "merge"', "merge needs two or more base_model"),
    (r'^base_model_relation: "finetune"$', 'base_model_relation: "adapter"', "adapter needs library_name peft"),
    (r'^new_version: "acme/model-v2"$', 'new_version: "model-v2"', "is not a model id"),
    (r"^          type: \"text-classification\"$", "          kind: text", "each result needs task.type"),
    (r"^            value: 0.91$", "            score: 0.91", "each metric needs a type and a value"),
    (r'^  Country: "country"$', '  Country: "dropdown"', "has type 'dropdown'"),
    (r"^extra_gated_prompt: .*$", "", "need an extra_gated_prompt"),
]


CASES = (
    [("space", {"tags": "demo"}, *case) for case in SPACE_CASES]
    + [("model", MODEL_OPTIONS, *case) for case in MODEL_OPTION_CASES]
    + [("space", OPTIONS, *case) for case in OPTION_CASES]
    + [("space", {"space_sdk": "static", "static_build": "vite"}, *case) for case in VITE_CASES]
    + [("model", {"base_model": "acme/base"}, *case) for case in MODEL_CASES]
    + [("dataset", {}, *case) for case in DATASET_CASES]
)


@pytest.mark.parametrize(
    ("repo_type", "answers", "old", "new", "problem"), CASES, ids=[f"{c[0]}: {c[4][:30]}" for c in CASES]
)
def test_card_rule_is_enforced(template, tmp_path, repo_type, answers, old, new, problem):
    """A valid rendered card passes; with one rule broken, the checker names that rule."""
    dst = render(template, tmp_path / "card", repo_type=repo_type, **answers)
    assert check_repo(dst, repo_type) == []
    break_card(dst, old, new)
    problems = check_repo(dst, repo_type)
    assert any(problem in found for found in problems), problems


def test_dataset_loading_script_is_refused(template, tmp_path):
    dst = render(template, tmp_path / "data", repo_type="dataset")
    (dst / "data.py").write_text("import datasets\n")
    assert any("loading scripts" in p for p in check_repo(dst, "dataset"))


def test_missing_metadata_block(template, tmp_path):
    dst = render(template, tmp_path / "plain", repo_type="model")
    (dst / "README.md").write_text("# No metadata\n")
    assert any("no YAML metadata block" in p for p in check_repo(dst, "model"))


def test_packages_txt_holds_debian_package_names(template, tmp_path):
    dst = render(template, tmp_path / "packages", system_packages="ffmpeg, libgl1")
    assert check_repo(dst, "space") == []
    (dst / "packages.txt").write_text("ffmpeg\nlibGL1\n")
    assert any("'libGL1' is not a Debian package name" in p for p in check_repo(dst, "space"))
