"""Every question: declared with a type, help, default and (where input is free) a validator;
every bad answer refused before anything is written, with a message that says what is allowed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import ASKED, COPIER_YML, QUESTIONS, ROOT, check_keys, question_template, render
from prompting import copy_answering

FREE_TEXT = {
    "repo_name",
    "namespace",
    "title",
    "short_description",
    "emoji",
    "license",
    "license_name",
    "python_version",
    "gradio_version",
    "streamlit_version",
    "app_port",
    "tags",
    "models",
    "datasets",
    "pipeline_tag",
    "base_model",
    "task_categories",
    "language",
    "space_sleep_time",
    "space_variables",
    "space_secrets",
    "hf_oauth_scopes",
    "hf_oauth_authorized_org",
    "hf_oauth_expiration_minutes",
    "system_packages",
    "startup_duration_timeout",
    "thumbnail",
    "new_version",
    "eval_results",
    "demo_examples",
}

BAD_ANSWERS = [
    ({"repo_name": "-leading"}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "trailing."}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "double--dash"}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "double..dot"}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "ends.git"}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "has space"}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "x" * 97}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"repo_name": "café"}, "1-96 of A-Za-z0-9_.-; no --, .., .git"),
    ({"namespace": "bad/ns"}, "1-96 of A-Za-z0-9_.-; no -- or .."),
    ({"namespace": "-org"}, "1-96 of A-Za-z0-9_.-; no -- or .."),
    ({"short_description": "x" * 61}, "max 60 characters; has 61"),
    ({"emoji": "ab"}, "exactly one emoji"),
    ({"emoji": "🤗🤗"}, "exactly one emoji"),
    ({"emoji": ""}, "exactly one emoji"),
    ({"title": ""}, "one line of 1-100 characters"),
    ({"license": "Apache-2.0"}, "lowercase: apache-2.0"),
    ({"license": "MIT"}, "lowercase: mit"),
    ({"license": "gpl3"}, "hf.co/docs/hub/repositories-licenses"),
    ({"license": "other", "license_name": "Bad Name"}, "1-64 of a-z 0-9 . _ -"),
    ({"python_version": "3.1"}, "3.X or 3.X.Y, 3.10-3.19"),
    ({"python_version": "2.7"}, "3.X or 3.X.Y, 3.10-3.19"),
    ({"gradio_version": "5.0"}, "a full X.Y.Z, like 6.31.0"),
    ({"space_sdk": "streamlit", "streamlit_version": "1.40"}, "a full X.Y.Z, like 1.67.0"),
    ({"space_sdk": "docker", "app_port": 80}, "1024-65535; uid 1000 can't bind 80"),
    ({"space_sdk": "docker", "app_port": 70000}, "can't bind 70000"),
    ({"tags": "ok, has space"}, '1-64 of A-Za-z0-9._:+/-: "has space"'),
    ({"models": "acme/good, not a repo"}, 'not a repo id: "not a repo"'),
    ({"datasets": "acme/a--b"}, "not a repo id: "),
    ({"repo_type": "model", "base_model": "acme/../x"}, "not a repo id: "),
    ({"repo_type": "model", "pipeline_tag": "chatbot"}, "a task; see hf.co/tasks"),
    ({"repo_type": "model", "visibility": "protected"}, "protected is for Spaces; use private"),
    ({"space_sleep_time": -5}, "-1 (never), 0 or seconds"),
    ({"space_hardware": "none", "space_sleep_time": 3600}, "needs paid space_hardware"),
    ({"space_variables": "MODE=demo, not a pair"}, 'not KEY=VALUE: "not a pair"'),
    ({"space_secrets": "HF_TOKEN=hf_abc"}, "names of A-Za-z0-9_, no values"),
    (
        {"models": "acme/m", "inference": "api", "pipeline_tag": "text-to-audio"},
        "api can't serve it; use local",
    ),
    ({"models": "acme/m", "space_sdk": "docker", "inference": "zerogpu"}, "ZeroGPU is Gradio only"),
    ({"models": "acme/m", "inference": "api", "pipeline_tag": ""}, "api needs the task: name it"),
    ({"models": "acme/m", "demo_examples": '"one text"'}, "a JSON list"),
    ({"models": "acme/m", "demo_examples": '["two\\nlines"]'}, "one-line texts only"),
    (
        {"models": "acme/m", "pipeline_tag": "question-answering", "demo_examples": '["no context"]'},
        "[question, context]",
    ),
    ({"space_sdk": "streamlit", "space_hardware": "zero-a10g"}, "ZeroGPU is Gradio only"),
    ({"space_sdk": "docker", "space_hardware": "zero-a10g"}, "ZeroGPU is Gradio only"),
    ({"space_sdk": "static", "space_hardware": "zero-a10g"}, "ZeroGPU is Gradio only"),
    ({"python_version": "3.11", "space_hardware": "zero-a10g"}, "ZeroGPU: Python 3.10 or 3.12"),
    ({"models": "acme/m", "python_version": "3.11", "inference": "zerogpu"}, "ZeroGPU: Python 3.10 or 3.12"),
    ({"models": "acme/m", "python_version": "3.10", "inference": "local"}, "torch needs Python 3.11+"),
    (
        {"repo_type": "dataset", "task_categories": "text-classification, vibes"},
        'not on hf.co/tasks: "vibes"',
    ),
    ({"repo_type": "dataset", "task_categories": " , "}, "at least one; see hf.co/tasks"),
    ({"repo_type": "dataset", "language": "english"}, 'not an ISO 639 code: "english"'),
    (
        {"hf_oauth": True, "hf_oauth_scopes": "email, admin"},
        "see hf.co/docs/hub/spaces-oauth",
    ),
    (
        {"hf_oauth": True, "hf_oauth_authorized_org": "acme, a/b"},
        'not an org: "a/b"',
    ),
    ({"hf_oauth": True, "hf_oauth_expiration_minutes": 0}, "1 to 43200 minutes"),
    ({"hf_oauth": True, "hf_oauth_expiration_minutes": 50000}, "1 to 43200 minutes"),
    ({"system_packages": "ffmpeg, FFmpeg"}, 'not a Debian name: "FFmpeg"'),
    ({"system_packages": "ffmpeg; rm -rf /"}, 'not a Debian name: "ffmpeg; r…"'),
    ({"startup_duration_timeout": "90 seconds"}, "a duration: 30m, 2h"),
    ({"startup_duration_timeout": "0m"}, "a duration: 30m, 2h"),
    ({"thumbnail": "http://example.org/a.png"}, "an https:// URL, no spaces or quotes"),
    ({"thumbnail": "https://example.org/a b.png"}, "an https:// URL, no spaces or quotes"),
    (
        {"repo_type": "model", "new_version": "just-a-name"},
        "a model id, namespace/name",
    ),
    (
        {"repo_type": "model", "datasets": "acme/d", "eval_results": "accuracy"},
        'not metric=number: "accuracy"',
    ),
    ({"repo_type": "model", "datasets": "acme/d", "eval_results": "f1=high"}, 'not metric=number: "f1=high"'),
    ({"repo_type": "model", "eval_results": "accuracy=0.9"}, "needs a dataset in datasets"),
    (
        {"repo_type": "model", "base_model": "acme/a", "base_model_relation": "merge"},
        "a merge needs 2+ base_model",
    ),
    (
        {"repo_type": "model", "base_model": "acme/a, acme/b", "base_model_relation": "finetune"},
        "a list of bases is a merge",
    ),
    (
        {"repo_type": "model", "base_model": "acme/a", "library_name": "timm", "base_model_relation": "adapter"},
        "peft/diffusers library only",
    ),
]

BAD_CHOICES = [
    {"repo_type": "repo"},
    {"space_sdk": "flask"},
    {"color_from": "orange"},
    {"suggested_hardware": "h100"},
    {"repo_type": "model", "library_name": "keras-nlp-unknown"},
    {"header": "big"},
    {"custom_headers": "coep"},
    {"space_sdk": "static", "static_build": "webpack"},
    {"repo_type": "model", "base_model": "acme/a", "base_model_relation": "distilled"},
    {"repo_type": "dataset", "data_format": "xlsx"},
    {"github_sync": True, "sync_auth": "pat"},
]

GOOD_ANSWERS = [
    {"repo_name": "a"},
    {"repo_name": "_x_"},
    {"repo_name": "x" * 96},
    {"repo_name": "my.model-v2_final"},
    {"namespace": "acme-corp"},
    {"short_description": "x" * 60},
    {"emoji": "🚀"},
    {"emoji": "❤️"},
    {"emoji": "👩‍💻"},
    {"emoji": "🇫🇷"},
    {"emoji": "👍🏽"},
    {"license": "cc-by-nc-sa-4.0"},
    {"license": "llama3.1"},
    {"python_version": "3.10"},
    {"python_version": "3.12.12"},
    {"gradio_version": "4.44.1"},
    {"space_sdk": "docker", "app_port": 8080},
    {"tags": "nlp, text:v2, a/b"},
    {"models": "gpt2, acme/m"},
    {"repo_type": "dataset", "task_categories": "translation, other"},
    {"repo_type": "dataset", "language": "en, deu, multilingual"},
    {"repo_type": "model", "language": ""},
    {"hf_oauth": True, "hf_oauth_scopes": "email, read-repos, inference-api", "hf_oauth_authorized_org": "acme"},
    {"hf_oauth": True, "hf_oauth_expiration_minutes": 43200},
    {"space_sdk": "docker", "system_packages": "ffmpeg, libgl1, g++, libc6.1-dev", "dev_mode": True},
    {"startup_duration_timeout": "90m"},
    {"thumbnail": "https://example.org/card.png?v=2"},
    {"repo_type": "model", "base_model": "acme/a, acme/b", "base_model_relation": "merge"},
    {"repo_type": "model", "base_model": "acme/a", "library_name": "peft", "base_model_relation": "adapter"},
    {"repo_type": "model", "base_model": "acme/a", "library_name": "gguf", "base_model_relation": "quantized"},
    {"repo_type": "model", "datasets": "acme/d", "eval_results": "accuracy=0.91, f1=-1, exact_match=88"},
    {"repo_type": "model", "new_version": "acme/model-v2"},
]


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS, ids=[str(a) for a, _ in BAD_ANSWERS])
def test_bad_answer_is_refused_before_writing(template, tmp_path, answers, message):
    dst = tmp_path / "out"
    with pytest.raises(ValueError, match=re.escape(message)):
        render(template, dst, **answers)
    assert not dst.exists()


@pytest.mark.parametrize("answers", BAD_CHOICES, ids=[str(a) for a in BAD_CHOICES])
def test_answer_outside_choices_is_refused(template, tmp_path, answers):
    with pytest.raises(ValueError, match="Invalid choice|not a valid choice|Validation error"):
        render(template, tmp_path / "out", **answers)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("answers", GOOD_ANSWERS, ids=[str(a) for a in GOOD_ANSWERS])
def test_good_answer_is_accepted(template, tmp_path, answers):
    assert (render(template, tmp_path / "out", **answers) / "README.md").is_file()


@pytest.mark.parametrize("name", sorted(ASKED))
def test_question_is_fully_declared(name):
    spec = COPIER_YML[name]
    assert spec.get("type") in {"str", "bool", "int", "json"}, "every question has an explicit type (never yaml)"
    assert spec.get("help"), "every question explains the choice"
    assert "default" in spec, "every question has a default, so --defaults renders a project"
    if name in FREE_TEXT:
        assert spec.get("validator"), "free-text questions validate their answer"
    else:
        assert spec.get("choices") or spec["type"] == "bool"


def test_every_question_validator_is_exercised():
    tested = {key for answers, _ in BAD_ANSWERS for key in answers}
    assert tested >= FREE_TEXT, sorted(FREE_TEXT - tested)
    # repo_type's validator checks the destination folder, not the answer: test_render.py exercises it.
    # inference is a choice whose validator checks it against the SDK and Python chosen before it.
    # visibility is a choice whose validator refuses `protected` outside Spaces.
    # base_model_relation is a choice whose validator checks it against base_model and library_name.
    # space_hardware is a choice whose validator refuses ZeroGPU outside Gradio and its Python versions.
    choices_with_rules = {"repo_type", "inference", "visibility", "base_model_relation", "space_hardware"}
    assert {name for name in ASKED if COPIER_YML[name].get("validator")} == FREE_TEXT | choices_with_rules
    assert choices_with_rules - {"repo_type"} <= tested


def test_unknown_answer_keys_are_caught():
    with pytest.raises(AssertionError, match="space_skd"):
        check_keys({"space_skd": "gradio"})


def test_test_answer_keys_are_declared_questions():
    """Scan the tests for keyword answers passed to render(): each must be a question."""
    used: set[str] = set()
    for path in Path(__file__).parent.glob("test_*.py"):
        for call in re.findall(r"render\(([^()]*(?:\([^()]*\)[^()]*)*)\)", path.read_text()):
            used |= set(re.findall(r"\b([a-z_]+)=", call)) - {"vcs_ref"}
    assert used, "the scan found no answers: the pattern is broken"
    assert used <= QUESTIONS, sorted(used - QUESTIONS)


def test_readme_question_table_matches_copier_yml():
    readme = (ROOT / "README.md").read_text()
    readme = readme[readme.index("## Questions") : readme.index("## What each choice renders")]
    table = dict(re.findall(r"^\| `([a-z_]+)` \| [^|]* \| [^|]* \| (.*?) \|$", readme, flags=re.M))
    assert set(table) == ASKED
    for name, default in table.items():
        declared = COPIER_YML[name]["default"]
        if isinstance(declared, str) and "{{" not in declared:
            assert default.strip("`") == declared or (default == "(empty)" and declared == ""), name
        elif isinstance(declared, bool):
            assert default == f"`{str(declared).lower()}`", name
        elif isinstance(declared, int):
            assert default == f"`{declared}`", name


def test_question_visibility_follows_the_kind():
    when = {name: str(COPIER_YML[name].get("when", "")) for name in ASKED}
    assert "repo_type == 'space'" in when["space_sdk"] and "space_sdk == 'gradio'" in when["gradio_version"]
    assert "repo_type == 'model'" in when["library_name"] and "repo_type == 'dataset'" in when["task_categories"]
    assert not when["repo_name"] and not when["create_remote"] and not when["github_sync"]
    # A Space that names a model is asked where it runs, and (unless `none`) which task the demo serves.
    assert "models.strip()" in when["inference"] and "inference != 'none'" in when["pipeline_tag"]


# ------------------------------------------------ validators against an independent oracle
def hub_accepts(repo_id: str) -> bool:
    """huggingface_hub's own rule for repo ids (utils._validators.validate_repo_id)."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    try:
        validate_repo_id(repo_id)
    except HFValidationError:
        return False
    return True


def candidate_names(count: int, seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    pieces = ["a", "Z", "9", "_", "-", ".", "--", "..", ".git", "git", "/", " ", "é", "a" * 47]
    return ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 6))) for _ in range(count)]


@pytest.mark.parametrize("question", ["repo_name", "namespace", "models", "base_model"])
def test_repo_id_validators_agree_with_huggingface_hub(question):
    """A second check of each repo-id validator, independent of the hand-picked bad answers above."""
    validator = question_template(question, "validator")
    for name in candidate_names(1500, seed=len(question)):
        if question == "repo_name":
            expected = "/" not in name and hub_accepts(name)
        elif question == "namespace":  # empty means "my login"; otherwise the first part of an id
            expected = not name or ("/" not in name and hub_accepts(name + "/x"))
        else:  # a comma-separated list: this one id (namespace/name or name), trimmed; empty is none
            expected = not name.strip() or hub_accepts(name.strip())
        accepted = not validator.render({question: name}).strip()
        assert accepted == expected, f"{question}={name!r}: the validator {'accepts' if accepted else 'refuses'} it"


def test_default_title_writes_library_names_as_they_are_written():
    """A repo named after its format is titled with it as written (GGUF, not Gguf); other names as before."""
    from helpers import copier_jinja

    title = question_template("title", "default")
    assert title.render({"repo_name": "my-gguf"}) == "My GGUF"
    assert title.render({"repo_name": "tiny_llama-gguf-mlx-onnx-peft-timm"}) == "Tiny Llama GGUF MLX ONNX PEFT timm"
    assert title.render({"repo_name": "GGUF-models"}) == "GGUF Models"
    before = copier_jinja().from_string(
        "{{ (repo_name | replace('-', ' ') | replace('_', ' ') | title).strip() or repo_name }}"
    )
    for name in candidate_names(1500, seed=7) + ["my-model", "a", "x_y-z.v2", "-", "my-ggufs", "gguf.v2"]:
        words = set(name.lower().replace("-", " ").replace("_", " ").split())
        if not words & {"gguf", "mlx", "onnx", "peft", "timm"}:
            assert title.render({"repo_name": name}) == before.render({"repo_name": name}), name


PROMPT_WIDTH = 72  # what an 80-column terminal shows of a line, with room to spare


def columns(text: str) -> int:
    """Terminal columns: wide characters (emoji, CJK) take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


@pytest.mark.parametrize("question", sorted(ASKED))
def test_help_fits_the_prompt_width_for_every_kind(question):
    """Copier prints the help after a two-column microphone and a space."""
    help_text = question_template(question, "help")
    for kind in ("space", "model", "dataset"):
        shown = help_text.render({"repo_type": kind, "space_sdk": "gradio"}).strip()
        assert shown and columns(shown) + 3 <= PROMPT_WIDTH, f"{kind}: {shown}"
        if kind != "space" and question in ("short_description", "title", "license", "tags"):
            assert "Space" not in shown, f"{question}'s help speaks of a Space for a {kind} repo: {shown}"


def test_short_description_validator_is_the_60_character_rule():
    validator = question_template("short_description", "validator")
    for text in ["", "x", "x" * 59, "x" * 60, "x" * 61, "é" * 60, "é" * 61, "two\nlines", "🤗" * 60]:
        accepted = not validator.render({"short_description": text}).strip()
        assert accepted == (len(text) <= 60 and "\n" not in text), repr(text)


def test_readme_map_of_questions_names_what_exists():
    """README's "Developing the template" map: every question, a real fact, real files, real tests."""
    from helpers import copier_jinja

    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("Where each question's rule comes from") :]
    rows = re.findall(r"^\| `([a-z_]+)` \| (.*?) \| (.*?) \| (.*?) \|$", section, flags=re.M)
    assert {row[0] for row in rows} == ASKED
    facts = copier_jinja().get_template("partials/hub_facts.jinja").module
    for question, fact, renders, proof in rows:
        for name in re.findall(r"`([a-z_]+)`", fact):
            assert hasattr(facts, name), f"{question}: no fact {name} in partials/hub_facts.jinja"
        paths = re.findall(r"`([^`]+)`", renders)
        assert paths and all((ROOT / p).exists() for p in paths), f"{question}: {paths}"
        for test in re.findall(r"`([\w.]+)::(\w+)`", proof):
            assert f"def {test[1]}(" in (ROOT / "tests" / test[0]).read_text(), f"{question}: {test}"


# ------------------------------------------------ one-line answers: no control characters, the whole string
# Every free-text str question, with what it needs asked and a value it accepts.
ONE_LINE_ANSWERS: dict[str, tuple[dict[str, object], str]] = {
    "repo_name": ({}, "demo"),
    "namespace": ({}, "acme"),
    "title": ({}, "My demo"),
    "short_description": ({}, "A demo"),
    "emoji": ({}, "🚀"),
    "license": ({}, "mit"),
    "license_name": ({"license": "other"}, "my-license"),
    "python_version": ({}, "3.12"),
    "gradio_version": ({}, "6.31.0"),
    "streamlit_version": ({"space_sdk": "streamlit"}, "1.67.0"),
    "tags": ({}, "nlp, a/b"),
    "models": ({}, "acme/m"),
    "datasets": ({}, "acme/d"),
    "pipeline_tag": ({"repo_type": "model"}, "text-classification"),
    "base_model": ({"repo_type": "model"}, "acme/a"),
    "task_categories": ({"repo_type": "dataset"}, "translation"),
    "language": ({"repo_type": "model"}, "en, fr"),
    "space_variables": ({}, "MODE=demo"),
    "space_secrets": ({}, "API_KEY"),
    "hf_oauth_scopes": ({"hf_oauth": True}, "email"),
    "hf_oauth_authorized_org": ({"hf_oauth": True}, "acme"),
    "system_packages": ({}, "ffmpeg"),
    "startup_duration_timeout": ({}, "1h"),
    "thumbnail": ({}, "https://example.org/a.png"),
    "new_version": ({"repo_type": "model"}, "acme/m2"),
    "eval_results": ({"repo_type": "model", "datasets": "acme/d"}, "accuracy=0.9"),
}
CONTROL_MESSAGE = "no control characters"
# A carriage return (it broke app.py), a trailing newline (`$` matches before it), a terminal escape sequence.
CONTROL_VARIANTS = {"cr": lambda v: v[:1] + "\r" + v[1:], "lf-end": lambda v: v + "\n", "esc": lambda v: v + "\x1b[2J"}
# More that no one-line answer holds: NUL, tab, DEL, C1 (NEL, CSI), line and paragraph separators, bidi overrides.
MORE_CONTROLS = ["\x00", "\t", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202e", "\u2066", "\ufffe", "\udcff"]


def test_one_line_table_is_every_free_text_str_question():
    one_line = {name for name in FREE_TEXT if COPIER_YML[name]["type"] == "str"}
    assert set(ONE_LINE_ANSWERS) == one_line


def validator_shows(question: str, value: str, needs: dict[str, object]) -> str:
    context = {"repo_type": "space", "space_sdk": "gradio", "inference": "none", **needs, question: value}
    return question_template(question, "validator").render(context).strip()


@pytest.mark.parametrize("question", sorted(ONE_LINE_ANSWERS))
def test_one_line_validator_refuses_every_control_character(question):
    needs, good = ONE_LINE_ANSWERS[question]
    assert validator_shows(question, good, needs) == "", "the table's value must be accepted"
    for char in [*MORE_CONTROLS, "\n", "\r", "\x1b"]:
        for value in (good + char, char + good, good[:1] + char + good[1:]):
            shown = validator_shows(question, value, needs)
            assert shown == CONTROL_MESSAGE, f"{question}={value!r}: {shown!r}"


@pytest.mark.parametrize("variant", sorted(CONTROL_VARIANTS))
@pytest.mark.parametrize("question", sorted(ONE_LINE_ANSWERS))
def test_control_character_is_refused_before_writing(template, tmp_path, question, variant):
    needs, good = ONE_LINE_ANSWERS[question]
    dst = tmp_path / "out"
    with pytest.raises(ValueError, match=f"Validation error for question '{question}': {CONTROL_MESSAGE}") as raised:
        render(template, dst, **needs, **{question: CONTROL_VARIANTS[variant](good)})
    assert not dst.exists()
    assert not re.search(r"[\x00-\x1f\x7f-\x9f]", str(raised.value)), "the message echoes the control character"


# A title and description that are not Python, HTML or YAML: escapes, both quote kinds, a triple quote, a backslash.
TRICKY_TITLE = 'My \\N{DIGIT ONE} """demo""" \'it\'s\' \\x41 \\u00e9 \\ end <b>&amp;</b>'
TRICKY_DESCRIPTION = "Says \"hi\" \\n 'bye' \\N{BULLET} \\ <i>&</i>"


def python_strings(path: Path) -> list[str]:
    """The file compiles with no warning (an invalid escape is a SyntaxWarning today, an error tomorrow),
    and these are its string constants."""
    import ast
    import warnings

    source = path.read_text(encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(source, str(path), "exec")
    return [
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


@pytest.mark.parametrize(
    "answers",
    [
        {"space_sdk": "docker"},
        {"space_sdk": "docker", "models": "acme/m", "inference": "api"},
        {"space_sdk": "gradio"},
        {"space_sdk": "gradio", "models": "acme/m", "inference": "api"},
        {"space_sdk": "streamlit"},
        {"space_sdk": "streamlit", "models": "acme/m", "inference": "api"},
        {"space_sdk": "static"},
    ],
    ids=str,
)
def test_title_and_description_render_exactly_in_code(template, tmp_path, answers):
    """Each language gets its own escaping: the Python compiles and holds the text, the page shows it."""
    import html

    import yaml

    assert len(TRICKY_TITLE) <= 100 and len(TRICKY_DESCRIPTION) <= 60
    project = render(template, tmp_path / "out", title=TRICKY_TITLE, short_description=TRICKY_DESCRIPTION, **answers)
    meta = yaml.safe_load((project / "README.md").read_text(encoding="utf-8").split("---\n")[1])
    assert (meta["title"], meta["short_description"]) == (TRICKY_TITLE, TRICKY_DESCRIPTION)
    strings = {path: python_strings(path) for path in project.rglob("*.py")}
    if answers["space_sdk"] == "static":
        page = html.unescape((project / "index.html").read_text(encoding="utf-8"))
        assert f"<title>{TRICKY_TITLE}</title>" in page and TRICKY_DESCRIPTION in page
        assert TRICKY_TITLE in strings[project / "tests" / "test_page.py"]
        return
    app = strings[project / "app.py"]
    assert TRICKY_TITLE in app, "the app's title is the answer, character for character"
    if answers["space_sdk"] == "docker":
        page = next(html.unescape(s) for s in app if s.startswith("<!doctype html>"))
        assert f"<title>{TRICKY_TITLE}</title>" in page and TRICKY_DESCRIPTION in page
    else:
        assert any(s.startswith(TRICKY_DESCRIPTION) for s in app)


# ------------------------------------------------ every validator message whole in an 80-column terminal
TERMINAL_WIDTH = 80  # Copier's toolbar line does not wrap: "Validation error for question 'NAME': MESSAGE"
ECHOING = sorted(name for name in ASKED if "with_answer(" in str(COPIER_YML[name].get("validator", "")))


def validator_message_cases(folder: Path) -> list[tuple[str, dict[str, object]]]:
    """Answers that reach every message of every validator, echoed parts at their longest and widest."""
    cases: list[tuple[str, dict[str, object]]] = [(list(answers)[-1], answers) for answers, _ in BAD_ANSWERS]
    cases += [(name, {**needs, name: good + "\x1b[2J"}) for name, (needs, good) in ONE_LINE_ANSWERS.items()]
    cases.append(("short_description", {"short_description": "x" * 1000}))
    for name in ECHOING:  # the faulty item of a list is quoted, cut to the room left
        for value in ("not valid " * 20, "日本語 " * 30, "é" * 200):
            cases.append((name, {**ONE_LINE_ANSWERS[name][0], name: value}))
    (folder / "notes.txt").write_text("")
    conf = {"overwrite": False, "dst_path": str(folder), "answers_file": ".copier-answers.yml"}
    cases.append(("repo_type", {"_copier_conf": conf}))
    return cases


def test_every_validator_message_fits_80_columns_with_copiers_prefix(tmp_path):
    shown_for: dict[str, list[str]] = {}
    for question, answers in validator_message_cases(tmp_path):
        context = {"repo_type": "space", "space_sdk": "gradio", **answers}
        shown = question_template(question, "validator").render(context).strip()
        line = f"Validation error for question '{question}': {shown}"
        assert shown and "\n" not in shown, line
        assert columns(line) <= TERMINAL_WIDTH, f"{columns(line)} columns: {line}"
        assert not shown.startswith('"'), "lead with the rule, not the echoed answer"
        shown_for.setdefault(question, []).append(shown)
    # Every message was measured: each piece of fixed text of each validator was shown at least once.
    for name in sorted(name for name in ASKED if COPIER_YML[name].get("validator")):
        validator = str(COPIER_YML[name]["validator"])
        assert re.findall(r"with_answer\('([a-z_]+)'", validator) in ([], [name] * validator.count("with_answer(")), (
            name
        )
        texts = [t.strip() for t in re.split(r"\{%.*?%\}|\{\{.*?\}\}", validator) if t.strip()]
        texts += re.findall(r"with_answer\('[a-z_]+', '([^']*)'", validator)
        for text in texts:
            assert any(text.strip() in shown for shown in shown_for.get(name, [])), f"{name}: {text!r} never shown"


# ------------------------------------------------ what the prompt offers: choices as Copier hands them to questionary
class _Asked(Exception):
    """Raised by the fake prompt once the question looked at was asked: nothing is rendered."""


def prompted_choices(template: Path, dst: Path, monkeypatch, question: str, **data: object) -> list[Any]:
    """The choices Copier offers for `question` after `data` (questionary Choice objects: title, value, disabled)."""
    import copier._main
    from copier import run_copy

    offered: list[Any] = []

    def fake_prompt(questions: list[dict[str, Any]], answers: dict[str, Any]) -> dict[str, Any]:
        name = questions[0]["name"]
        if name == question:
            offered.extend(questions[0]["choices"])
            raise _Asked
        return {name: answers[name]}

    monkeypatch.setattr(copier._main, "unsafe_prompt", fake_prompt)
    check_keys(data)
    with pytest.raises(_Asked):
        run_copy(str(template), str(dst), data=data, unsafe=True, vcs_ref="HEAD", quiet=True)
    return offered


# questionary's select: a pointer or three spaces, then the label; a disabled choice reads "- label (why)".
CHOICE_INDENT = 3


def choice_row(choice: Any) -> str:
    if choice.disabled:
        return " " * CHOICE_INDENT + f"- {choice.title} ({choice.disabled})"
    return " " * CHOICE_INDENT + str(choice.title)


@pytest.mark.parametrize("sdk", ["gradio", "streamlit", "docker"])
def test_zerogpu_hardware_is_offered_only_to_gradio(template, tmp_path, monkeypatch, sdk):
    """The hardware list greys out zero-a10g (with the reason) where the Hub refuses it: every SDK but Gradio."""
    offered = prompted_choices(
        template, tmp_path / "out", monkeypatch, "space_hardware", space_sdk=sdk, space_settings=True
    )
    zero = [choice for choice in offered if choice.value == "zero-a10g"]
    assert len(zero) == 1
    assert bool(zero[0].disabled) == (sdk != "gradio"), zero[0].disabled
    assert [choice.value for choice in offered if choice.disabled] == ([] if sdk == "gradio" else ["zero-a10g"])
    for choice in offered:
        assert columns(choice_row(choice)) <= TERMINAL_WIDTH, choice_row(choice)


def test_zerogpu_hardware_given_with_data_is_refused_in_one_line(template, tmp_path):
    """`-d space_hardware=zero-a10g` for a Docker Space: Copier's own line, whole in 80 columns."""
    with pytest.raises(ValueError) as raised:
        render(template, tmp_path / "out", space_sdk="docker", space_hardware="zero-a10g")
    line = str(raised.value)
    assert "ZeroGPU is Gradio only" in line and "\n" not in line
    assert columns(line) <= TERMINAL_WIDTH, line
    assert not (tmp_path / "out").exists()


def test_every_choice_label_fits_80_columns_as_copier_prints_it():
    """questionary prints each choice after a pointer or three spaces, on a line that wraps badly."""
    for name in sorted(ASKED):
        choices = COPIER_YML[name].get("choices")
        for label in choices if isinstance(choices, dict) else []:
            row = " " * CHOICE_INDENT + label
            assert columns(row) <= TERMINAL_WIDTH, f"{name}: {columns(row)} columns: {label}"


def test_sdk_question_says_what_each_plan_can_create(template, tmp_path, monkeypatch):
    """hub-spec.md, Plans: static Spaces are free; Gradio and Docker Spaces need a paid plan, except that a
    free account may host two ZeroGPU Gradio Spaces; Streamlit is a Docker Space."""
    help_text = question_template("space_sdk", "help").render({}).strip()
    assert "free" in help_text and "ZeroGPU" in help_text and "static" in help_text.lower(), help_text
    offered = {
        choice.value: str(choice.title) for choice in prompted_choices(template, tmp_path, monkeypatch, "space_sdk")
    }
    assert "Docker Space" in offered["streamlit"] and "paid" in offered["streamlit"]
    assert "paid" in offered["docker"] and "free" in offered["static"]
    assert "paid" in offered["gradio"] and "ZeroGPU" in offered["gradio"] and "free" in offered["gradio"]
    for choice in prompted_choices(template, tmp_path / "again", monkeypatch, "space_sdk"):
        assert columns(choice_row(choice)) <= TERMINAL_WIDTH, choice_row(choice)
    # A free account may host ZeroGPU Spaces: no question says ZeroGPU hosting needs PRO.
    inference = {value: label for label, value in COPIER_YML["inference"]["choices"].items()}
    assert "PRO" not in inference["zerogpu"] and "free" in inference["zerogpu"], inference["zerogpu"]


# ------------------------------------------------ how many questions a person answers
# The questions a default project asks, pressing Enter each time: what shapes the repo, then one yes/no per
# group of what most people keep (space_settings, page_options, repo_details).
ASKED_BY_DEFAULT = {
    ("space", "gradio"): "repo_type space_sdk repo_name namespace visibility create_remote title short_description"
    " license space_settings page_options models",
    ("space", "streamlit"): "repo_type space_sdk repo_name namespace visibility create_remote title"
    " short_description license space_settings page_options models",
    ("space", "static"): "repo_type space_sdk repo_name namespace visibility create_remote title short_description"
    " license static_build space_settings page_options",
    ("space", "docker"): "repo_type space_sdk repo_name namespace visibility create_remote title short_description"
    " license space_settings page_options models",
    ("model", None): "repo_type repo_name namespace visibility create_remote title short_description license"
    " library_name base_model repo_details pipeline_tag",
    ("dataset", None): "repo_type repo_name namespace visibility create_remote title short_description license"
    " data_format task_categories repo_details",
}
MOST_ASKED = 12  # issue 25: a newcomer presses Enter at most 12 times for any kind
GATES = {"space_settings", "page_options", "repo_details"}


def asked_questions(
    template: Path, dst: Path, data: dict[str, Any] | None = None, **typed: Any
) -> tuple[list[str], dict[str, Any]]:
    """Copy interactively, typing `typed` where asked and Enter elsewhere: (questions asked, answers recorded)."""
    check_keys({**typed, **(data or {})})
    prompter = copy_answering(template, dst, typed, data)
    return prompter.asked, yaml_answers(dst)


@pytest.mark.parametrize(("repo_type", "sdk"), list(ASKED_BY_DEFAULT), ids=lambda v: str(v))
def test_a_default_project_asks_at_most_twelve_questions(template, tmp_path, repo_type, sdk):
    typed = {"repo_type": repo_type, **({"space_sdk": sdk} if sdk else {})}
    asked, recorded = asked_questions(template, tmp_path / "out", **typed)
    assert asked == ASKED_BY_DEFAULT[(repo_type, sdk)].split()
    assert len(asked) <= MOST_ASKED
    # Nothing is lost by not asking: every question this kind has is recorded, asked or not.
    reference = render(template, tmp_path / "reference" / "out", **typed)
    assert recorded == yaml_answers(reference) | {"_src_path": recorded["_src_path"]}
    assert set(recorded) - set(asked) - {"_commit", "_src_path"}, "closed groups still record their answers"


def yaml_answers(project: Path) -> dict[str, Any]:
    import yaml

    return yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))


# Each group's questions, for the kind that has them (a question serving several kinds is listed under each).
GROUPS = {
    "space_settings": (
        ("space", "gradio"),
        "python_version gradio_version suggested_hardware space_hardware space_sleep_time space_variables"
        " space_secrets hf_oauth system_packages startup_duration_timeout github_sync",
    ),
    "page_options": (
        ("space", "gradio"),
        "emoji color_from color_to tags header full_width thumbnail disable_embedding custom_headers datasets",
    ),
    "repo_details": (("model", None), "datasets new_version eval_results gated language tags github_sync"),
}


@pytest.mark.parametrize("gate", sorted(GROUPS))
def test_each_yes_opens_its_group_and_only_it(template, tmp_path, gate):
    (repo_type, sdk), group = GROUPS[gate]
    typed = {"repo_type": repo_type, **({"space_sdk": sdk} if sdk else {})}
    closed, _ = asked_questions(template, tmp_path / "closed", **typed)
    opened, _ = asked_questions(template, tmp_path / "open", **typed, **{gate: True})
    assert set(opened) - set(closed) == set(group.split())
    assert set(closed) <= set(opened)


def test_every_question_can_be_reached_by_answering_the_gates(template, tmp_path):
    """With every group open and the answers that lead to follow-up questions, each question is asked once."""
    reached: set[str] = set()
    leads = {"license": "other", "github_sync": True, "hf_oauth": True, "models": "acme/m"}
    runs = [
        {"repo_type": "space", "space_sdk": "gradio", "space_settings": True, "page_options": True, **leads},
        {"repo_type": "space", "space_sdk": "streamlit", "space_settings": True, **leads},
        {"repo_type": "space", "space_sdk": "docker", "space_settings": True, **leads},
        {"repo_type": "space", "space_sdk": "static", "page_options": True, "static_build": "vite"},
        {"repo_type": "model", "repo_details": True, "base_model": "acme/a", "github_sync": True},
        {"repo_type": "dataset", "repo_details": True},
    ]
    for index, typed in enumerate(runs):
        asked, _ = asked_questions(template, tmp_path / str(index), **typed)
        assert len(asked) == len(set(asked)), "a question is asked once"
        reached |= set(asked)
    # starter_files and demo_examples are never asked (`ask: false`): adopt and demo record them.
    never_asked = {name for name in ASKED if COPIER_YML[name].get("ask") is False}
    assert never_asked == {"starter_files", "demo_examples"} and reached == ASKED - never_asked


def test_answers_behind_a_closed_gate_given_with_data_are_used_and_recorded(template, tmp_path):
    data = {"space_hardware": "t4-small", "space_sleep_time": 600, "emoji": "🚀", "tags": "demo"}
    asked, recorded = asked_questions(template, tmp_path / "out", data=data)
    assert not set(data) & set(asked) and recorded["space_settings"] is False
    assert {key: recorded[key] for key in data} == data
    from hub_rules import read_metadata

    card = read_metadata(tmp_path / "out" / "README.md")
    assert card["emoji"] == "🚀" and "demo" in card["tags"]


def test_a_gated_question_can_still_be_asked_by_name(template, tmp_path):
    """`copier copy --ask NAME` asks one question of a closed group (the README says so)."""
    prompter = copy_answering(template, tmp_path / "out", {"space_hardware": "t4-small"}, ask=["space_hardware"])
    assert "space_hardware" in prompter.asked and yaml_answers(tmp_path / "out")["space_hardware"] == "t4-small"


@pytest.mark.parametrize(
    ("inference", "python", "message"),
    [
        ("local", "3.10", "torch needs Python 3.11+, not 3.10"),
        ("zerogpu", "3.13", "ZeroGPU: Python"),
        ("api", "3.10", ""),
    ],
)
def test_a_python_the_demo_cannot_run_is_refused_whichever_is_answered_last(inference, python, message):
    """python_version is asked after inference, behind space_settings: each validator holds the same rule."""
    needs = {"models": "acme/m", "inference": inference, "python_version": python}
    # Typed at the prompt: inference first (python_version not yet answered), then python_version.
    assert validator_shows("inference", inference, {k: v for k, v in needs.items() if k != "python_version"}) == ""
    assert message in validator_shows("python_version", python, needs) and bool(message) == bool(
        validator_shows("python_version", python, needs)
    )
    # Given together (-d, an org standard): inference's validator sees python_version already.
    assert message in validator_shows("inference", inference, needs)
    # A Space without a model demos nothing: any supported Python will do.
    assert validator_shows("python_version", python, {**needs, "models": ""}) == ""
