"""The offline card checker (rendered into every project as tests/hub_rules.py) catches what the Hub rejects,
and tells it apart from what the Hub accepts but ignores (warnings).

Each case breaks one rule of a valid rendered card; the checker must name it, at its level: E, the Hub refuses
the card or the repo cannot build or load with it; W, the Hub accepts and runs it (hub-spec.md §1.1, §3, U4 and
addendum 3). Realistic public cards the Hub runs give warnings and no error.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import project_pytest_env, render
from hub_rules import ERROR, WARNING, check_repo, errors_and_warnings, findings

E, W = ERROR, WARNING


def break_card(dst: Path, old: str, new: str) -> None:
    readme = dst / "README.md"
    text = readme.read_text()
    assert re.search(old, text, flags=re.M), f"{old!r} not in the card: the case no longer breaks anything"
    readme.write_text(re.sub(old, new, text, count=1, flags=re.M))


SPACE_CASES = [
    (r"^sdk: gradio$", "sdk: streamlit", "sdk: streamlit is retired", E),
    (r"^sdk: gradio$", "sdk: gradlo", "sdk must be one of", E),
    (r"^colorFrom: blue$", "colorFrom: orange", "colorFrom must be one of", E),
    (r'^emoji: "🤗"$', 'emoji: "ab"', "emoji must be a single emoji", E),
    (r"^short_description: .*$", 'short_description: "' + "x" * 61 + '"', "at most 60 characters", E),
    (r'^sdk_version: "6.31.0"$', 'sdk_version: "6.31"', "full X.Y.Z version", E),
    (r'^python_version: "3.12"$', 'python_version: "2.7"', "python_version must be", E),
    (r"^app_file: app.py$", "app_file: main.py", "app_file main.py does not exist", E),
    (r"^license: apache-2.0$", "license: Apache-2.0", "not a Hub licence id", E),
    (r"^suggested_hardware: cpu-basic$", "suggested_hardware: h100", "not a Hub hardware flavour", E),
    (r"^pinned: false$", "pinned: false\nsdk_verison: 1.0.0", "'sdk_verison' is not a Space configuration key", W),
    (r"^title: .*$", "title: [unclosed", "YAML", E),
    (r'^  - "demo"$', '  - "demo"\n  - "demo"', "tags lists demo more than once", W),
    (r'^sdk_version: "6.31.0"\n', "", "should pin sdk_version", W),
    (r'^emoji: "🤗"$', 'emoji: "🤗🚀"', "emoji should be a single emoji", W),
    (r"^pinned: false$", "pined: false", "'pined' is not a Space configuration key: the Hub ignores it (did you", W),
]


def test_docker_space_needs_dockerfile_and_port(template, tmp_path):
    dst = render(template, tmp_path / "docker", space_sdk="docker")
    (dst / "Dockerfile").unlink()
    break_card(dst, r"^app_port: 7860$", "app_port: port")
    errors = [str(e) for e in errors_and_warnings(dst, "space")[0]]
    assert any("needs a Dockerfile" in p for p in errors) and any("app_port must be" in p for p in errors)


@pytest.mark.parametrize(
    ("sdk", "old", "new", "message", "level"),
    [
        # EXPOSE only documents a port: the Hub routes to app_port whatever it says.
        ("docker", r"^EXPOSE 8080$", "EXPOSE 7860", "EXPOSEs 7860, but the card's app_port is 8080", W),
        ("docker", r'"--port", "8080"', '"--port", "7860"', "listens on 7860, but the card's app_port is 8080", E),
        (
            "streamlit",
            r"--server.port=8501",
            "--server.port=7860",
            "listens on 7860, but the card's app_port is 8501",
            E,
        ),
    ],
)
def test_dockerfile_must_listen_on_the_cards_app_port(template, tmp_path, sdk, old, new, message, level):
    answers = {"app_port": 8080} if sdk == "docker" else {}
    dst = render(template, tmp_path / sdk, space_sdk=sdk, **answers)
    assert check_repo(dst, "space") == []
    dockerfile = dst / "Dockerfile"
    assert re.search(old, dockerfile.read_text(), flags=re.M), old
    dockerfile.write_text(re.sub(old, new, dockerfile.read_text(), flags=re.M))
    assert [f.level for f in findings(dst, "space") if message in f.message] == [level], findings(dst, "space")


def test_static_space_needs_its_page(template, tmp_path):
    dst = render(template, tmp_path / "static", space_sdk="static")
    (dst / "index.html").unlink()
    assert any("app_file index.html does not exist" in p for p in check_repo(dst, "space"))


MODEL_CASES = [
    (r"^library_name: transformers\n", "", "library_name is required", W),
    (r"^pipeline_tag: text-classification$", "pipeline_tag: chatbot", "not a Hub task", E),
    (r"^license: apache-2.0$", "license: other", "needs license_name", W),
    (r"^base_model: .*$", 'base_model: "bad--id"', "not a valid Hub repo id", E),
    (r'^  - "en"$', '  - "en"\n  - "en"', "language lists en more than once", W),
]


DATASET_CASES = [
    (r"^  - config_name: default$", "  - config_name: ''", "needs a config_name", E),
    (r"path: data/test.parquet$", "path: data/missing.csv", "no file matches data/missing.csv", E),
    (r'^      dtype: "string"$', '      dtype: "strange"', "has dtype 'strange', not a datasets type", E),
    (r"^      num_examples: 4$", "      num_examples: four", "each split needs a name, num_bytes and num_examples", E),
    (r'^  - "text-classification"$', '  - "vibes"', "is not a Hub task", E),
    (r"^  - n<1K$", "  - tiny", "size category 'tiny' is not allowed", E),
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
    (r'^header: "mini"$', 'header: "huge"', "header must be one of", E),
    (r"^custom_headers:$", 'custom_headers:\n  x-frame-options: "deny"', "'x-frame-options' is not a header", E),
    (
        r'^  cross-origin-opener-policy: "same-origin"$',
        '  cross-origin-opener-policy: "Same-Origin"',
        "cross-origin-opener-policy must be one of",
        E,
    ),
    (r'^  - "email"$', '  - "admin"', "'admin' is not a Hub OAuth scope", E),
    (r"^hf_oauth_expiration_minutes: 480$", "hf_oauth_expiration_minutes: 50000", "must be 1 to 43200", E),
    (r"^hf_oauth: true$", "hf_oauth: false", "need hf_oauth: true", W),
    (r'^startup_duration_timeout: "1h"$', 'startup_duration_timeout: "1 hour"', "must be a duration such as", E),
    (r"^thumbnail: .*$", 'thumbnail: "card.png"', "thumbnail must be a URL", E),
    (r"^disable_embedding: true$", 'disable_embedding: "yes"', "disable_embedding must be true or false", E),
]
VITE_CASES = [
    (
        r'^app_build_command: "npm run build"$',
        'app_build_command: "npm run bundle"',
        "package.json has no such script",
        E,
    ),
    (r"^app_file: dist/index.html$", "app_file: index.html", "app_file names the built page", E),
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
    (r'^base_model_relation: "finetune"$', 'base_model_relation: "distilled"', "base_model_relation must be one of", E),
    (r'^base_model_relation: "finetune"$', 'base_model_relation: "merge"', "merge needs two or more base_model", W),
    (r'^base_model_relation: "finetune"$', 'base_model_relation: "adapter"', "adapter needs library_name peft", W),
    (r'^new_version: "acme/model-v2"$', 'new_version: "model-v2"', "is not a model id", E),
    (r"^          type: \"text-classification\"$", "          kind: text", "each result needs task.type", E),
    (r"^            value: 0.91$", "            score: 0.91", "each metric needs a type and a value", E),
    (r'^  Country: "country"$', '  Country: "dropdown"', "has type 'dropdown'", E),
    (r"^extra_gated_prompt: .*$", "", "need an extra_gated_prompt", W),
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
    ("repo_type", "answers", "old", "new", "problem", "level"), CASES, ids=[f"{c[0]}: {c[4][:30]}" for c in CASES]
)
def test_card_rule_is_enforced(template, tmp_path, repo_type, answers, old, new, problem, level):
    """A valid rendered card passes; with one rule broken, the checker names that rule at its level."""
    dst = render(template, tmp_path / "card", repo_type=repo_type, **answers)
    assert check_repo(dst, repo_type) == []
    break_card(dst, old, new)
    found = findings(dst, repo_type)
    assert [f.level for f in found if problem in f.message] == [level], found
    assert check_repo(dst, repo_type) == [f.message for f in found]


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


# Cards shaped like public Spaces the Hub accepts and runs (hub-spec.md §1.1's UI card, `gradio deploy`'s, and
# addendum 3): each gives the warnings named, and no error.
UI_CARD = """title: Whisper Demo
emoji: {emoji}
colorFrom: indigo
colorTo: red
sdk: gradio
sdk_version: 4.44.1
app_file: app.py
pinned: false
short_description: Transcribe speech with Whisper
"""
ACCEPTED = {
    "description and language": (
        UI_CARD.format(emoji="🤫") + "license: mit\ndescription: Speech to text in your browser\nlanguage: en\n",
        {"description", "language"},
    ),
    "no sdk_version": (UI_CARD.format(emoji="💬").replace("sdk_version: 4.44.1\n", ""), {"sdk_version"}),
    "gradio deploy, no sdk_version": ("title: chat\napp_file: app.py\nsdk: gradio\n", {"sdk_version"}),
    "a flag": (UI_CARD.format(emoji="🇯🇵"), set()),
    "a ZWJ sequence": (UI_CARD.format(emoji="🏴‍☠️"), set()),
    "a keycap": (UI_CARD.format(emoji="1️⃣"), set()),
    "a subdivision flag": (
        UI_CARD.format(emoji="🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"),
        set(),
    ),
    "two emoji": (UI_CARD.format(emoji="🦙📚"), {"emoji"}),
    "build_script and suggested_storage": (
        UI_CARD.format(emoji="🚀") + "build_script: ./build.sh\nsuggested_storage: small\n",
        {"build_script", "suggested_storage"},
    ),
    "duplicated, tags twice": (
        UI_CARD.format(emoji="🎨") + "duplicated_from: acme/painter\ntags:\n- art\n- art\n",
        {"tags"},
    ),
    "oauth scopes without hf_oauth": (UI_CARD.format(emoji="🔑") + "hf_oauth_scopes:\n- email\n", {"hf_oauth"}),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_a_card_the_hub_runs_has_no_error(tmp_path, name):
    card, warned = ACCEPTED[name]
    (tmp_path / "README.md").write_text(f"---\n{card}---\n\n# A Space\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("import gradio as gr\n")
    errors, warnings = errors_and_warnings(tmp_path, "space")
    assert errors == []
    assert {w.key for w in warnings} == warned, warnings
    assert check_repo(tmp_path, "space") == [w.message for w in warnings]


def test_an_old_model_card_without_library_name_is_a_warning(tmp_path):
    (tmp_path / "README.md").write_text("---\nlicense: mit\nlanguage: en\ntags:\n- bert\n---\n# bert\n")
    errors, warnings = errors_and_warnings(tmp_path, "model")
    assert errors == [] and [w.key for w in warnings] == ["library_name"]


# Cards the Hub refuses, or Spaces that cannot build: still errors.
REFUSED = {
    # §3: "Configuration Error: Gradio version does not exist" (MiniGPT-4 issue 255)
    "incomplete sdk_version": (UI_CARD.format(emoji="🤗").replace("4.44.1", '"3.27"'), "sdk_version"),
    # U1: a 64-character short_description was rejected
    "short_description over 60": (
        UI_CARD.format(emoji="🤗").replace("Transcribe speech with Whisper", "x" * 64),
        "short_description",
    ),
    # §1.2: the built-in Streamlit SDK is retired
    "streamlit": ("title: Old\nemoji: 📈\nsdk: streamlit\nsdk_version: 1.25.0\napp_file: app.py\n", "sdk"),
    # §4.3: lowercase ids only
    "SPDX licence": (UI_CARD.format(emoji="🤗") + "license: MIT\n", "license"),
    # §1.1: emoji-only characters
    "text for an emoji": (UI_CARD.format(emoji="AI"), "emoji"),
    "an unknown colour": (UI_CARD.format(emoji="🤗").replace("indigo", "orange"), "colorFrom"),
    # §2: a Docker Space without a Dockerfile does not build
    "docker, no Dockerfile": ("title: API\nemoji: 🐳\nsdk: docker\napp_port: 8000\n", "Dockerfile"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_card_the_hub_refuses_is_an_error(tmp_path, name):
    card, key = REFUSED[name]
    (tmp_path / "README.md").write_text(f"---\n{card}---\n\n# A Space\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("import gradio as gr\n")
    errors, _ = errors_and_warnings(tmp_path, "space")
    assert [e.key for e in errors] == [key], errors


def run_card_test(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_card.py"],
        cwd=project,
        env=project_pytest_env(),
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("old", "new", "passes"),
    [
        (r"^pinned: false$", "pined: false", False),  # a typo of a key the template writes
        (r'^sdk_version: "6.31.0"\n', "", False),  # a key the template writes, gone
        (r'^emoji: "🤗"$', 'emoji: "🤗🚀"', False),
        (r"^pinned: false$", "pinned: false\nlanguage: en", True),  # the person's own key, which the Hub ignores
    ],
)
def test_the_rendered_card_test_fails_on_warnings_about_the_keys_it_writes(template, tmp_path, old, new, passes):
    dst = render(template, tmp_path / "space", repo_type="space")
    assert run_card_test(dst).returncode == 0
    break_card(dst, old, new)
    result = run_card_test(dst)
    assert (result.returncode == 0) == passes, result.stdout
    if passes:
        assert "'language' is not a Space configuration key" in result.stdout  # shown among pytest's warnings
