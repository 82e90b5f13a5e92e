"""The template's answers for a repo it did not make, read from what the repo holds: its card's front matter,
its file names, and a few small files (requirements.txt, packages.txt, Dockerfile). A pure function of them.

Everything read is untrusted: the card is parsed without YAML aliases and only plain values of the expected
shape become answers; a value the template would refuse is left to its default (and said). A repo the
template cannot represent (an SDK or a layout it does not offer) raises CannotAdopt with the reason.
The Hub's rules are the ones the rendered projects check (template/tests/hub_rules.py, shipped with this tool).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from types import ModuleType
from typing import Any

import yaml

from hf_hub_template.answers import _NoAliases
from hf_hub_template.hub.facts import STREAMLIT_PORT
from hf_hub_template.resources import template_file
from hf_hub_template.untrusted import bounded

HUB_DEFAULT_PYTHON = "3.10"  # a Gradio Space's Python when the card names none (hub-spec.md §3)
HUB_DEFAULT_PORT = 7860  # where the Hub sends a Docker Space's traffic when the card names no app_port
MAX_CARD_BYTES = 512 * 1024  # a card's README.md; the front matter Copier and the Hub read is far smaller
TAG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/-]{0,63}")
PYTHON = re.compile(r"3[.]1[0-9]([.][0-9]+)?")
FULL_VERSION = re.compile(r"[0-9]+[.][0-9]+[.][0-9]+")
LICENSE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
LANGUAGE = re.compile(r"[a-z]{2,3}|multilingual")
DOCKER_PYTHON = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?(?:docker\.io/)?(?:library/)?python:(3\.\d+)", re.M)
GRADIO_PIN = re.compile(r"^\s*gradio(?:\[[^\]]*\])?\s*==\s*([0-9]+\.[0-9]+\.[0-9]+)\s*(?:#.*)?$", re.M | re.I)
# The Hub's split names in data file paths (datasets' data_files patterns: "Split names keywords").
SPLIT_WORDS = {
    "train": ("train", "training"),
    "validation": ("validation", "valid", "val", "dev"),
    "test": ("test", "testing", "eval", "evaluation"),
}
DATA_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet"}
# What the files of a model repo say its library is, when the card does not (first match wins).
LIBRARY_FILES = (
    ("peft", ("adapter_config.json",)),
    ("sentence-transformers", ("config_sentence_transformers.json", "modules.json")),
    ("diffusers", ("model_index.json",)),
    ("gguf", (".gguf",)),
    ("onnx", (".onnx",)),
    ("keras", (".keras",)),
    ("scikit-learn", (".joblib", ".skops")),
    ("transformers", ("config.json",)),
)


class CannotAdopt(ValueError):
    """The template cannot represent this repo; the message says why and what would make it adoptable."""


@dataclass
class Inferred:
    """Answers for Copier and where each was read; the card keys to add (from answers once rendered)."""

    answers: dict[str, Any]
    sources: dict[str, str] = field(default_factory=dict)  # answer -> where it was read
    card_from_answers: dict[str, str] = field(default_factory=dict)  # missing card key -> the answer it shows
    card_values: dict[str, Any] = field(default_factory=dict)  # missing card key -> a value read from the files
    notes: list[str] = field(default_factory=list)

    def put(self, name: str, value: Any, source: str) -> None:
        self.answers[name], self.sources[name] = value, source


@cache
def hub_rules() -> ModuleType:
    """The Hub's rules checker this tool ships (its own code, like the rest of it; never a repo's)."""
    path = template_file("template/tests/hub_rules.py")
    spec = importlib.util.spec_from_file_location("hf_hub_template_hub_rules", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{path} cannot be loaded: reinstall hf-hub-template")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclass-like NamedTuples look their module up
    spec.loader.exec_module(module)
    return module


def read_card(text: str) -> tuple[dict[str, Any], bool]:
    """The card's front matter (a mapping) and whether there is one. ValueError: not YAML, aliases, not a
    mapping. Parsed like an answers file: plain YAML types, no aliases (they can fill memory)."""
    match = hub_rules().FRONT_MATTER.match(text)
    if not match:
        return {}, False
    try:
        # bandit B506: _NoAliases is a SafeLoader (plain YAML types only), stricter still.
        data = yaml.load(match.group(1), Loader=_NoAliases)  # nosec B506
    except RecursionError:
        raise ValueError("its card's front matter is nested too deeply") from None
    except yaml.YAMLError as err:
        raise ValueError(f"its card's front matter is not readable YAML: {str(err).splitlines()[0]}") from None
    if data is None:
        return {}, True
    if not isinstance(data, dict):
        raise ValueError("its card's front matter is not a mapping")
    return data, True


def infer(
    repo_type: str,
    repo_id: str,
    meta: dict[str, Any],
    files: frozenset[str],
    texts: dict[str, str],
    questions: dict[str, Any],
) -> Inferred:
    """The answers for `repo_id` (of `repo_type`), from its card's `meta`, its file names and `texts` (the
    small files read: requirements.txt, packages.txt, Dockerfile). `questions`: the template's copier.yml at
    the version adopted (its choices). CannotAdopt when the template cannot represent the repo."""
    namespace, name = repo_id.split("/", 1)
    found = Inferred({"repo_type": repo_type, "repo_name": name, "namespace": namespace, "create_remote": False})
    gates = ("space_settings", "page_options") if repo_type == "space" else ("repo_details",)
    for gate in gates:  # closed: what the repo says is recorded anyway, and nothing else is asked
        found.answers[gate] = False
    if repo_type == "space":
        # Its own app stays its own: none of the starter's app files is rendered, so no update touches them.
        if "starter_files" in questions:
            found.answers["starter_files"] = False
        _space(found, meta, files, texts, questions)
    elif repo_type == "model":
        _model(found, meta, files, questions, texts.get("README.md", ""))
    else:
        _dataset(found, meta, files)
    _licence(found, meta, repo_type)
    _ids(found, meta, "datasets", repo_type in ("space", "model"))
    _tags(found, meta)
    return found


def _text(meta: dict[str, Any], key: str, limit: int = 200) -> str | None:
    value = meta.get(key)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip() or len(value) > limit or "\n" in value or "\r" in value:
        return None
    return value


def _list(meta: dict[str, Any], key: str) -> list[str]:
    value = meta.get(key)
    values = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


def _space(found: Inferred, meta: dict[str, Any], files: frozenset[str], texts: dict[str, str], questions: Any) -> None:
    rules = hub_rules()
    sdk = meta.get("sdk")
    if sdk == "streamlit":
        raise CannotAdopt(
            "sdk: streamlit is the Hub's retired built-in SDK, which the template does not make; move the Space to "
            f"sdk: docker (a Dockerfile running streamlit on app_port {STREAMLIT_PORT}), then adopt it"
        )
    if sdk not in ("gradio", "docker", "static"):
        raise CannotAdopt(f"sdk {bounded(repr(sdk), 80)}: the template makes gradio, docker and static Spaces only")
    found.put("space_sdk", sdk, "card sdk")
    title = _text(meta, "title", 100)
    if title:
        found.put("title", title, "card title")
    elif "title" not in meta:
        found.card_from_answers["title"] = "title"
    emoji = meta.get("emoji")
    if isinstance(emoji, str) and rules.EMOJI.match(emoji):
        found.put("emoji", emoji, "card emoji")
    elif emoji is not None:
        found.notes.append(
            f"the card's emoji {bounded(repr(emoji), 80)} is not one emoji: "
            "the answer is the template's, the card keeps its own"
        )
    for key, answer in (("colorFrom", "color_from"), ("colorTo", "color_to")):
        if meta.get(key) in rules.COLORS:
            found.put(answer, meta[key], f"card {key}")
    short = _text(meta, "short_description", 60)
    if short:
        found.put("short_description", short, "card short_description")
    _ids(found, meta, "models", True)
    if meta.get("header") == "mini":
        found.put("header", "mini", "card header")
    if meta.get("fullWidth") is False:
        found.put("full_width", False, "card fullWidth")
    if meta.get("disable_embedding") is True:
        found.put("disable_embedding", True, "card disable_embedding")
    thumbnail = _text(meta, "thumbnail", 500)
    if thumbnail and re.fullmatch(r'https://[^\s"]+', thumbnail):
        found.put("thumbnail", thumbnail, "card thumbnail")
    headers = meta.get("custom_headers")
    if headers is not None:
        isolation = {"cross-origin-embedder-policy": "require-corp", "cross-origin-opener-policy": "same-origin"}
        if headers == isolation:
            found.put("custom_headers", "cross-origin-isolation", "card custom_headers")
        else:
            found.notes.append(
                "the card's custom_headers are not the template's cross-origin isolation: the card keeps them"
            )
    if sdk == "static":
        _static(found, meta, files)
        return
    hardware = meta.get("suggested_hardware")
    if isinstance(hardware, str) and hardware in _choices(questions, "suggested_hardware", rules.HARDWARE):
        found.put("suggested_hardware", hardware, "card suggested_hardware")
    timeout = _text(meta, "startup_duration_timeout", 10)
    if timeout and rules.DURATION.match(timeout):
        found.put("startup_duration_timeout", timeout, "card startup_duration_timeout")
    if found.answers.get("models"):  # a Space made before demos existed keeps its own app (the 1.1.0 migration's)
        found.put("inference", "none", "the Space's own app: no demo rendered")
    if meta.get("hf_oauth") is True:
        _sign_in(found, meta)
    if sdk == "gradio":
        _gradio(found, meta, texts)
    else:
        _docker(found, meta, texts)


def _choices(questions: Any, name: str, fallback: set[str]) -> set[str]:
    spec = questions.get(name) if isinstance(questions, dict) else None
    choices = spec.get("choices") if isinstance(spec, dict) else None
    if isinstance(choices, dict):
        return {str(value.get("value") if isinstance(value, dict) else value) for value in choices.values()}
    if isinstance(choices, list):
        return {str(value) for value in choices}
    return set(fallback)


def _static(found: Inferred, meta: dict[str, Any], files: frozenset[str]) -> None:
    build = meta.get("app_build_command")
    if build is None:
        found.put("static_build", "html", "no app_build_command: plain files")
        return
    if build == "npm run build" and meta.get("app_file") == "dist/index.html" and "package.json" in files:
        found.put("static_build", "vite", "card app_build_command (npm run build into dist/)")
        return
    raise CannotAdopt(
        f"a static Space built by {bounded(repr(build), 80)} into {bounded(repr(meta.get('app_file')), 80)}: "
        "the template builds only a Vite project "
        "(app_build_command: npm run build, app_file: dist/index.html, package.json) or serves plain files"
    )


def _sign_in(found: Inferred, meta: dict[str, Any]) -> None:
    found.put("hf_oauth", True, "card hf_oauth")
    scopes = [s for s in _list(meta, "hf_oauth_scopes") if s not in ("openid", "profile")]
    if scopes:
        found.put("hf_oauth_scopes", ", ".join(scopes), "card hf_oauth_scopes")
    orgs = _list(meta, "hf_oauth_authorized_org")
    if orgs:
        found.put("hf_oauth_authorized_org", ", ".join(orgs), "card hf_oauth_authorized_org")
    minutes = meta.get("hf_oauth_expiration_minutes")
    if isinstance(minutes, int) and not isinstance(minutes, bool):
        found.put("hf_oauth_expiration_minutes", minutes, "card hf_oauth_expiration_minutes")


def _python(found: Inferred, version: str, source: str) -> None:
    if not PYTHON.fullmatch(version):
        raise CannotAdopt(f"python_version {version}: the template runs Python 3.10 to 3.19")
    found.put("python_version", version, source)


def _gradio(found: Inferred, meta: dict[str, Any], texts: dict[str, str]) -> None:
    pins = GRADIO_PIN.findall(texts.get("requirements.txt", ""))
    version = meta.get("sdk_version")
    if isinstance(version, str) and FULL_VERSION.fullmatch(version):
        found.put("gradio_version", version, "card sdk_version")
        if pins and pins[0] != version:
            found.notes.append(
                f"requirements.txt pins gradio=={pins[0]} but sdk_version is {version}: the Hub installs sdk_version, "
                "and the two pins can fail the build; drop gradio from requirements.txt"
            )
    elif version is None and pins:
        found.put("gradio_version", pins[0], "requirements.txt's gradio pin")
        found.card_from_answers["sdk_version"] = "gradio_version"
    elif version is None:
        found.card_from_answers["sdk_version"] = "gradio_version"
    python = meta.get("python_version")
    if python is None:
        _python(found, HUB_DEFAULT_PYTHON, "the Hub's default (the card names none)")
        found.card_from_answers["python_version"] = "python_version"
    else:
        _python(found, str(python), "card python_version")
    packages = [
        line.strip() for line in texts.get("packages.txt", "").splitlines() if line.strip() and not line.startswith("#")
    ]
    if packages:
        found.put("system_packages", ", ".join(packages), "packages.txt")


def _docker(found: Inferred, meta: dict[str, Any], texts: dict[str, str]) -> None:
    port = meta.get("app_port")
    if port is None:
        found.put("app_port", HUB_DEFAULT_PORT, "the Hub's default (the card names no app_port)")
        found.card_from_answers["app_port"] = "app_port"
    elif isinstance(port, int) and not isinstance(port, bool) and 1024 <= port <= 65535:
        found.put("app_port", port, "card app_port")
    else:
        raise CannotAdopt(
            f"app_port {bounded(repr(port), 80)}: the template serves on a port from 1024 to 65535 (uid 1000)"
        )
    python = DOCKER_PYTHON.search(texts.get("Dockerfile", ""))
    if python:
        _python(found, python.group(1), "the Dockerfile's FROM python image")


def _model(found: Inferred, meta: dict[str, Any], files: frozenset[str], questions: Any, card: str) -> None:
    rules = hub_rules()
    libraries = _choices(questions, "library_name", set())
    library = meta.get("library_name")
    if library is not None:
        if libraries and library not in libraries:
            raise CannotAdopt(
                f"library_name {bounded(repr(library), 80)}: "
                f"the template's model cards are for {', '.join(sorted(libraries))}"
            )
        found.put("library_name", library, "card library_name")
    else:
        detected = _library_from_files(files)
        if detected and (not libraries or detected in libraries):
            found.put("library_name", detected, "the repo's files")
        found.card_from_answers["library_name"] = "library_name"
    tag = meta.get("pipeline_tag")
    if isinstance(tag, str) and tag in rules.TASKS:
        found.put("pipeline_tag", tag, "card pipeline_tag")
    elif tag is None:
        found.card_from_answers["pipeline_tag"] = "pipeline_tag"
    bases = [b for b in _list(meta, "base_model") if rules.REPO_ID.match(b)]
    found.put("base_model", ", ".join(bases), "card base_model" if bases else "the card names none")
    relation = meta.get("base_model_relation")
    if bases:  # `none` keeps the card as it is (the 1.1.0 migration's answer for older projects)
        value = relation if relation in rules.BASE_MODEL_RELATIONS else "none"
        found.put(
            "base_model_relation", value, "card base_model_relation" if value != "none" else "the card names none"
        )
    version = _text(meta, "new_version")
    if version and "/" in version and rules.REPO_ID.match(version):
        found.put("new_version", version, "card new_version")
    _languages(found, meta)
    if "```python\n" not in card:
        found.notes.append("tests/test_card.py compiles the card's first ```python block: the card has none yet")
    if meta.get("model-index"):
        found.notes.append(
            "tests/test_card.py compares the card's model-index with a `| metric | value |` table in its text"
        )


def _library_from_files(files: frozenset[str]) -> str | None:
    names = {PurePosixPath(path).name for path in files}
    for library, markers in LIBRARY_FILES:
        if any(m in names if not m.startswith(".") else any(n.endswith(m) for n in names) for m in markers):
            return library
    return None


def _languages(found: Inferred, meta: dict[str, Any]) -> None:
    codes = [code for code in _list(meta, "language") if LANGUAGE.fullmatch(code)]
    found.put("language", ", ".join(codes), "card language" if codes else "the card names none")


def _dataset(found: Inferred, meta: dict[str, Any], files: frozenset[str]) -> None:
    rules = hub_rules()
    tasks = [task for task in _list(meta, "task_categories") if task in rules.TASKS]
    if tasks:
        found.put("task_categories", ", ".join(tasks), "card task_categories")
    _languages(found, meta)
    data = sorted(path for path in files if PurePosixPath(path).suffix in DATA_EXTENSIONS and not path.startswith("."))
    formats = {DATA_EXTENSIONS[PurePosixPath(path).suffix] for path in data}
    if len(formats) == 1:
        found.put("data_format", formats.pop(), "the data files' format")
    configs = meta.get("configs")
    if configs is None:
        splits = _splits(data)
        if splits:
            entries = [
                {"split": split, "path": paths if len(paths) > 1 else paths[0]} for split, paths in splits.items()
            ]
            found.card_values["configs"] = [{"config_name": "default", "data_files": entries}]
        else:
            found.notes.append(
                "the data files' splits could not be read from their names: tests/test_card.py expects the card's "
                "configs to declare one config named default"
            )
    elif not (
        isinstance(configs, list) and [c.get("config_name") for c in configs if isinstance(c, dict)] == ["default"]
    ):
        found.notes.append("tests/test_card.py expects the card's configs to declare one config, named default")


def _splits(paths: list[str]) -> dict[str, list[str]]:
    """Each data file's split, named by a keyword of its path as the Hub reads them; {} unless all are named."""
    found: dict[str, list[str]] = {}
    for path in paths:
        words = set(re.split(r"[^a-z0-9]+", path.lower()))
        named = [split for split, keywords in SPLIT_WORDS.items() if words & set(keywords)]
        if len(named) != 1:
            return {}
        found.setdefault(named[0], []).append(path)
    return {split: found[split] for split in SPLIT_WORDS if split in found}


def _licence(found: Inferred, meta: dict[str, Any], repo_type: str) -> None:
    rules = hub_rules()
    licence = meta.get("license")
    if isinstance(licence, str) and licence in rules.LICENSES:
        found.put("license", licence, "card license")
        name = _text(meta, "license_name", 64)
        if licence == "other" and name and LICENSE_NAME.fullmatch(name):
            found.put("license_name", name, "card license_name")
    elif licence is None and repo_type != "space":
        # Never a licence the owner did not choose: `unknown` says the card names none.
        found.put("license", "unknown", "the card names none")
        found.card_from_answers["license"] = "license"


def _ids(found: Inferred, meta: dict[str, Any], key: str, asked: bool) -> None:
    if not asked:
        return
    ids = [repo for repo in _list(meta, key) if hub_rules().REPO_ID.match(repo)]
    if ids:
        found.put(key, ", ".join(dict.fromkeys(ids)), f"card {key}")


def _tags(found: Inferred, meta: dict[str, Any]) -> None:
    tags = [tag for tag in _list(meta, "tags") if TAG.fullmatch(tag)]
    if found.answers.get("space_sdk") == "streamlit":
        tags = [tag for tag in tags if tag != "streamlit"]
    if tags:
        found.put("tags", ", ".join(dict.fromkeys(tags)), "card tags")
