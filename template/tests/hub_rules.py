"""The Hub's rules for a repo's README.md metadata, checked offline before you push.

Sources: the Hub's Spaces configuration reference, model and dataset card specs, licence
list and repo id rules (https://huggingface.co/docs/hub). `check_repo(folder)` returns a
list of problems; an empty list means the Hub would accept the card. (In the template, these
lists are copies of partials/hub_facts.jinja, and its tests prove them equal.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

COLORS = {"red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray"}
SPACE_SDKS = {
    "gradio",
    "docker",
    "static",
}  # the built-in Streamlit SDK is retired: use docker
HARDWARE = set(
    "cpu-basic cpu-upgrade t4-small t4-medium l4x1 l4x4 l40sx1 l40sx4 l40sx8 a10g-small a10g-large "
    "a10g-largex2 a10g-largex4 a100-large a100x4 a100x8 zero-a10g".split()
)
LICENSES = set(
    "apache-2.0 mit openrail bigscience-openrail-m creativeml-openrail-m bigscience-bloom-rail-1.0 "
    "bigcode-openrail-m afl-3.0 artistic-2.0 bsl-1.0 bsd bsd-2-clause bsd-3-clause bsd-3-clause-clear c-uda cc "
    "cc0-1.0 cc-by-2.0 cc-by-2.5 cc-by-3.0 cc-by-4.0 cc-by-sa-3.0 cc-by-sa-4.0 cc-by-nc-2.0 cc-by-nc-3.0 "
    "cc-by-nc-4.0 cc-by-nd-4.0 cc-by-nc-nd-3.0 cc-by-nc-nd-4.0 cc-by-nc-sa-2.0 cc-by-nc-sa-3.0 cc-by-nc-sa-4.0 "
    "cdla-sharing-1.0 cdla-permissive-1.0 cdla-permissive-2.0 wtfpl ecl-2.0 epl-1.0 epl-2.0 etalab-2.0 eupl-1.1 "
    "eupl-1.2 agpl-3.0 gfdl gpl gpl-2.0 gpl-3.0 lgpl lgpl-2.1 lgpl-3.0 isc h-research intel-research lppl-1.3c "
    "ms-pl apple-ascl apple-amlr mpl-2.0 odc-by odbl openmdw-1.0 openmdw-1.1 openrail++ osl-3.0 postgresql ofl-1.1 "
    "ncsa unlicense zlib pddl lgpl-lr deepfloyd-if-license fair-noncommercial-research-license llama2 llama3 "
    "llama3.1 llama3.2 llama3.3 llama4 grok2-community gemma unknown other".split()
)
TASKS = set(
    "text-classification token-classification table-question-answering question-answering "
    "zero-shot-classification translation summarization feature-extraction text-generation fill-mask "
    "sentence-similarity text-to-speech text-to-audio automatic-speech-recognition audio-to-audio "
    "audio-classification audio-text-to-text voice-activity-detection depth-estimation image-classification "
    "object-detection image-segmentation text-to-image image-to-text image-to-image image-to-video "
    "unconditional-image-generation video-classification reinforcement-learning robotics tabular-classification "
    "tabular-regression tabular-to-text table-to-text multiple-choice text-ranking text-retrieval "
    "time-series-forecasting text-to-video image-text-to-text image-text-to-image image-text-to-video "
    "visual-question-answering document-question-answering zero-shot-image-classification graph-ml "
    "mask-generation zero-shot-object-detection text-to-3d image-to-3d image-feature-extraction "
    "video-text-to-text keypoint-detection visual-document-retrieval any-to-any video-to-video other".split()
)
# The size buckets by row count, in order (n<1K, then each power of ten); "other" is allowed too.
SIZE_BUCKETS = [
    "n<1K",
    "1K<n<10K",
    "10K<n<100K",
    "100K<n<1M",
    "1M<n<10M",
    "10M<n<100M",
    "100M<n<1B",
    "1B<n<10B",
    "10B<n<100B",
    "100B<n<1T",
    "n>1T",
]
SIZE_CATEGORIES = {*SIZE_BUCKETS, "other"}


def size_category(rows: int) -> str:
    """The bucket `size_categories` names for a dataset of `rows` rows."""
    return SIZE_BUCKETS[min(max(len(str(rows)) - 3, 0), len(SIZE_BUCKETS) - 1)]


SPACE_KEYS = {
    "title",
    "emoji",
    "colorFrom",
    "colorTo",
    "sdk",
    "python_version",
    "sdk_version",
    "suggested_hardware",
    "suggested_storage",
    "app_file",
    "app_build_command",
    "app_port",
    "base_path",
    "fullWidth",
    "header",
    "short_description",
    "models",
    "datasets",
    "tags",
    "thumbnail",
    "pinned",
    "hf_oauth",
    "hf_oauth_scopes",
    "hf_oauth_expiration_minutes",
    "hf_oauth_authorized_org",
    "disable_embedding",
    "startup_duration_timeout",
    "custom_headers",
    "preload_from_hub",
    "license",
    "license_name",
    "license_link",
    "duplicated_from",
}
BASE_MODEL_RELATIONS = {"adapter", "merge", "quantized", "finetune"}
GATED_FIELD_TYPES = ["text", "checkbox", "date_picker", "country"]
HEADERS = {"default", "mini"}
# Scopes a Space may ask beyond openid and profile (spaces-oauth.md "Scopes").
OAUTH_SCOPES = set(
    "email read-billing read-memberships read-repos gated-repos contribute-repos write-repos manage-repos "
    "read-collections write-collections inference-api read-endpoints write-endpoints jobs webhooks "
    "write-discussions".split()
)
OAUTH_EXPIRATION_MINUTES_MAX = 43200
# custom_headers: only these names, each with these values, all lowercase.
CUSTOM_HEADER_VALUES = {
    "cross-origin-embedder-policy": ["unsafe-none", "require-corp", "credentialless"],
    "cross-origin-opener-policy": [
        "same-origin",
        "same-origin-allow-popups",
        "unsafe-none",
    ],
    "cross-origin-resource-policy": ["same-site", "same-origin", "cross-origin"],
}
DURATION = re.compile(r"^[1-9][0-9]*[mh]$")
DEBIAN_PACKAGE = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")
# Repo ids, by huggingface_hub.utils.validate_repo_id: 1-96 characters per part, no -- or .., no .git ending.
REPO_ID = re.compile(
    r"^(?!.*(?:--|[.][.]))(?!.*[.]git$)(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?/)?"
    r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$"
)
FRONT_MATTER = re.compile(
    r"^\s*---(?:\r\n|\r|\n)([\S\s]*?)(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\n|$)"
)
EMOJI = re.compile(
    "^(?:[\U0001f1e6-\U0001f1ff]{2}|[\xa9\xae\u203c-\u3299\U0001f000-\U0001faff](?:[\ufe0f\ufe0e\U0001f3fb-\U0001f3ff])?"
    "(?:\u200d[\u2640-\u27bf\U0001f000-\U0001faff](?:[\ufe0f\U0001f3fb-\U0001f3ff])?)*)$"
)


def read_metadata(readme: Path) -> dict[str, Any]:
    """The YAML block at the top of README.md, parsed as the Hub does (a mapping)."""
    match = FRONT_MATTER.match(readme.read_text(encoding="utf-8-sig"))
    if not match:
        raise ValueError(
            f"{readme} has no YAML metadata block between --- lines at the top"
        )
    data = yaml.safe_load(match.group(1))
    if not isinstance(data, dict):
        raise ValueError(f"{readme}: the metadata block must be a YAML mapping")
    return data


def _list_of_str(meta: dict[str, Any], key: str, problems: list[str]) -> list[str]:
    value = meta.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{key} must be a list of strings")
        return []
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:
        problems.append(f"{key} lists {', '.join(repeated)} more than once")
    return value


def _common(meta: dict[str, Any], problems: list[str]) -> None:
    problems += _gated_problems(meta)
    for key in ("language", "base_model"):
        if key in meta:
            _list_of_str(meta, key, problems)
    license_id = meta.get("license")
    if license_id is not None and license_id not in LICENSES:
        problems.append(f"license {license_id!r} is not a Hub licence id")
    if license_id == "other" and not meta.get("license_name"):
        problems.append("license: other needs license_name (and license_link)")
    _list_of_str(meta, "tags", problems)
    for repo in _list_of_str(meta, "datasets", problems) + _list_of_str(
        meta, "models", problems
    ):
        if not REPO_ID.match(repo):
            problems.append(f"{repo!r} is not a valid Hub repo id")


def check_space(meta: dict[str, Any], folder: Path) -> list[str]:
    problems: list[str] = []
    for key in sorted(set(meta) - SPACE_KEYS):
        problems.append(f"{key!r} is not a Space configuration key")
    sdk = meta.get("sdk")
    if sdk not in SPACE_SDKS:
        problems.append(f"sdk must be one of {sorted(SPACE_SDKS)}, not {sdk!r}")
    for key in ("colorFrom", "colorTo"):
        if key in meta and meta[key] not in COLORS:
            problems.append(f"{key} must be one of {sorted(COLORS)}")
    if "emoji" in meta and not EMOJI.match(str(meta["emoji"])):
        problems.append("emoji must be a single emoji")
    if len(str(meta.get("short_description", ""))) > 60:
        problems.append("short_description must be at most 60 characters")
    if "suggested_hardware" in meta and meta["suggested_hardware"] not in HARDWARE:
        problems.append(
            f"suggested_hardware {meta['suggested_hardware']!r} is not a Hub hardware flavour"
        )
    if sdk == "gradio":
        if not re.fullmatch(r"\d+\.\d+\.\d+", str(meta.get("sdk_version", ""))):
            problems.append("a Gradio Space needs sdk_version as a full X.Y.Z version")
        if "python_version" in meta and not re.fullmatch(
            r"3\.\d+(\.\d+)?", str(meta["python_version"])
        ):
            problems.append("python_version must be 3.X or 3.X.Y")
    if sdk in ("gradio", "static"):
        app_file = meta.get("app_file", "app.py" if sdk == "gradio" else "index.html")
        if "app_build_command" in meta:
            problems += _build_problems(meta, folder, sdk)
        elif not (folder / app_file).is_file():
            problems.append(f"app_file {app_file} does not exist")
    problems += _page_problems(meta)
    problems += _sign_in_problems(meta)
    if (folder / "packages.txt").is_file():
        for line in (folder / "packages.txt").read_text().splitlines():
            name = line.strip()
            if name and not name.startswith("#") and not DEBIAN_PACKAGE.match(name):
                problems.append(f"packages.txt: {name!r} is not a Debian package name")
    if sdk == "docker":
        if not (folder / "Dockerfile").is_file():
            problems.append("a Docker Space needs a Dockerfile at the root")
        port = meta.get("app_port", DEFAULT_APP_PORT)
        if not isinstance(port, int) or not 1 <= port <= 65535:
            problems.append("app_port must be a port number")
        elif (folder / "Dockerfile").is_file():
            problems += _port_problems(port, (folder / "Dockerfile").read_text())
    _common(meta, problems)
    return problems


def _build_problems(meta: dict[str, Any], folder: Path, sdk: str) -> list[str]:
    """A static Space with a build step: the Hub runs app_build_command, then serves app_file."""
    if sdk != "static":
        return ["app_build_command is for static Spaces only"]
    problems = []
    if not isinstance(meta["app_build_command"], str) or not meta["app_build_command"]:
        problems.append("app_build_command must be a command")
    elif meta["app_build_command"].startswith("npm run "):
        script = meta["app_build_command"].split()[2]
        package = folder / "package.json"
        scripts = (
            json.loads(package.read_text()).get("scripts", {})
            if package.is_file()
            else {}
        )
        if script not in scripts:
            problems.append(
                f"app_build_command runs npm's {script!r}: package.json has no such script"
            )
    if "/" not in str(meta.get("app_file", "")):
        problems.append(
            "with app_build_command, app_file names the built page, such as dist/index.html"
        )
    return problems


def _page_problems(meta: dict[str, Any]) -> list[str]:
    problems = []
    if "header" in meta and meta["header"] not in HEADERS:
        problems.append(f"header must be one of {sorted(HEADERS)}")
    for key in ("fullWidth", "disable_embedding", "pinned", "hf_oauth"):
        if key in meta and not isinstance(meta[key], bool):
            problems.append(f"{key} must be true or false")
    if "thumbnail" in meta and not re.match(r"^https?://\S+$", str(meta["thumbnail"])):
        problems.append("thumbnail must be a URL")
    timeout = meta.get("startup_duration_timeout")
    if timeout is not None and not DURATION.match(str(timeout)):
        problems.append("startup_duration_timeout must be a duration such as 30m or 1h")
    headers = meta.get("custom_headers", {})
    if not isinstance(headers, dict):
        problems.append("custom_headers must be a mapping of header names to values")
        headers = {}
    for name, value in headers.items():
        allowed = CUSTOM_HEADER_VALUES.get(name)
        if allowed is None:
            problems.append(
                f"custom_headers: {name!r} is not a header the Hub lets a Space set"
            )
        elif value not in allowed:
            problems.append(
                f"custom_headers: {name} must be one of {allowed} (lowercase)"
            )
    return problems


def _sign_in_problems(meta: dict[str, Any]) -> list[str]:
    problems = []
    keys = {k for k in meta if k.startswith("hf_oauth_")}
    if keys and meta.get("hf_oauth") is not True:
        problems.append(f"{', '.join(sorted(keys))} need hf_oauth: true")
    scopes = _list_of_str(meta, "hf_oauth_scopes", problems)
    for scope in scopes:
        if scope not in OAUTH_SCOPES and scope not in ("openid", "profile"):
            problems.append(f"hf_oauth_scopes: {scope!r} is not a Hub OAuth scope")
    minutes = meta.get("hf_oauth_expiration_minutes", 480)
    if not isinstance(minutes, int) or not 1 <= minutes <= OAUTH_EXPIRATION_MINUTES_MAX:
        problems.append(
            f"hf_oauth_expiration_minutes must be 1 to {OAUTH_EXPIRATION_MINUTES_MAX}"
        )
    for org in _list_of_str(meta, "hf_oauth_authorized_org", problems):
        if "/" in org or not REPO_ID.match(org):
            problems.append(
                f"hf_oauth_authorized_org: {org!r} is not an organisation name"
            )
    return problems


DEFAULT_APP_PORT = (
    7860  # where the Hub sends a Docker Space's traffic when the card names no app_port
)


def dockerfile_ports(text: str) -> tuple[list[int], list[int]]:
    """The ports a Dockerfile EXPOSEs, and those its CMD/ENTRYPOINT listens on."""
    exposed = [
        int(port.split("/")[0])
        for line in re.findall(r"^EXPOSE\s+(.+)$", text, flags=re.M)
        for port in line.split()
    ]
    listening = [
        int(port)
        for line in re.findall(r"^(?:CMD|ENTRYPOINT)\s+(.+)$", text, flags=re.M)
        for port in re.findall(r"(?:--(?:server\.)?port|-p)[\"',\s=]+(\d+)", line)
    ]
    return exposed, listening


def _port_problems(port: int, dockerfile: str) -> list[str]:
    """The Hub routes traffic to app_port: the server must listen there."""
    exposed, listening = dockerfile_ports(dockerfile)
    problems = [
        f"the Dockerfile EXPOSEs {other}, but the card's app_port is {port}"
        for other in exposed
        if other != port
    ]
    problems += [
        f"the Dockerfile's command listens on {other}, but the card's app_port is {port}"
        for other in listening
        if other != port
    ]
    return problems


def check_model(meta: dict[str, Any], folder: Path) -> list[str]:
    problems: list[str] = []
    if not meta.get("library_name"):
        problems.append(
            "library_name is required: the Hub no longer assumes transformers"
        )
    if meta.get("pipeline_tag") is not None and meta["pipeline_tag"] not in TASKS:
        problems.append(f"pipeline_tag {meta['pipeline_tag']!r} is not a Hub task")
    base = meta.get("base_model")
    bases = [base] if isinstance(base, str) else (base or [])
    for repo in bases:
        if not REPO_ID.match(repo):
            problems.append(f"base_model {repo!r} is not a valid Hub repo id")
    problems += _relation_problems(meta, bases)
    version = meta.get("new_version")
    if version is not None and not (
        isinstance(version, str) and "/" in version and REPO_ID.match(version)
    ):
        problems.append(f"new_version {version!r} is not a model id (namespace/name)")
    problems += _model_index_problems(meta)
    _common(meta, problems)
    return problems


def _relation_problems(meta: dict[str, Any], bases: list[str]) -> list[str]:
    """The model tree's rules: a relation needs a base; a merge has several, the others one."""
    relation = meta.get("base_model_relation")
    if relation is None:
        return []
    if relation not in BASE_MODEL_RELATIONS:
        return [f"base_model_relation must be one of {sorted(BASE_MODEL_RELATIONS)}"]
    if not bases:
        return ["base_model_relation needs a base_model"]
    if relation == "merge" and len(bases) < 2:
        return ["base_model_relation: merge needs two or more base_model ids"]
    if relation != "merge" and len(bases) > 1:
        return [
            f"base_model_relation: {relation} has one base_model; several are a merge"
        ]
    if relation == "adapter" and meta.get("library_name") not in ("peft", "diffusers"):
        return ["base_model_relation: adapter needs library_name peft (or diffusers)"]
    return []


def _model_index_problems(meta: dict[str, Any]) -> list[str]:
    """model-index as the Hub reads it: each result names a task type, a dataset (type and name) and
    metrics with a type and a value."""
    index = meta.get("model-index")
    if index is None:
        return []
    problems = []
    if not isinstance(index, list) or not all(
        isinstance(entry, dict) for entry in index
    ):
        return ["model-index must be a list of {name, results}"]
    for entry in index:
        if not entry.get("name"):
            problems.append("model-index: each entry needs a name")
        for result in entry.get("results") or []:
            if not (result.get("task") or {}).get("type"):
                problems.append("model-index: each result needs task.type")
            dataset = result.get("dataset") or {}
            if not (dataset.get("type") and dataset.get("name")):
                problems.append(
                    "model-index: each result needs dataset.type and dataset.name"
                )
            for metric in result.get("metrics") or []:
                if not metric.get("type") or "value" not in metric:
                    problems.append("model-index: each metric needs a type and a value")
    return problems


def _gated_problems(meta: dict[str, Any]) -> list[str]:
    """A gated repo's form: each field a text, checkbox, date_picker or country, or a select with options."""
    fields = meta.get("extra_gated_fields", {})
    if not isinstance(fields, dict):
        return ["extra_gated_fields must map each question to its type"]
    problems = []
    for name, kind in fields.items():
        if isinstance(kind, dict):
            if kind.get("type") != "select" or not kind.get("options"):
                problems.append(
                    f"extra_gated_fields: {name!r} must be a select with options"
                )
        elif kind not in GATED_FIELD_TYPES:
            problems.append(
                f"extra_gated_fields: {name!r} has type {kind!r}, not one of {GATED_FIELD_TYPES}"
            )
    if fields and not meta.get("extra_gated_prompt"):
        problems.append("extra_gated_fields need an extra_gated_prompt saying why")
    return problems


def check_dataset(meta: dict[str, Any], folder: Path) -> list[str]:
    problems: list[str] = []
    for task in _list_of_str(meta, "task_categories", problems):
        if task not in TASKS:
            problems.append(f"task category {task!r} is not a Hub task")
    for size in _list_of_str(meta, "size_categories", problems):
        if size not in SIZE_CATEGORIES:
            problems.append(f"size category {size!r} is not allowed")
    for config in meta.get("configs", []):
        if not config.get("config_name"):
            problems.append("every entry of configs needs a config_name")
        data_files = config.get("data_files", [])
        entries = [data_files] if isinstance(data_files, str) else data_files
        for entry in entries:
            paths = entry.get("path") if isinstance(entry, dict) else entry
            for pattern in [paths] if isinstance(paths, str) else paths:
                if not list(folder.glob(pattern)):
                    problems.append(f"configs: no file matches {pattern}")
    problems += _dataset_info_problems(meta)
    if list(folder.glob("*.py")):
        problems.append(
            "dataset loading scripts are no longer supported by the Hub; use data files and configs"
        )
    _common(meta, problems)
    return problems


# datasets.Value dtypes (features.py); timestamps, times, durations and decimals carry parameters.
VALUE_DTYPES = set(
    "null bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 "
    "date32 date64 binary large_binary binary_view string large_string string_view".split()
)
PARAMETRIC_DTYPE = re.compile(
    r"^(timestamp|time32|time64|duration|decimal128|decimal256)\[.+\]$"
)


def _dataset_info_problems(meta: dict[str, Any]) -> list[str]:
    """dataset_info as the viewer and `datasets` read it: features with a name and a type,
    splits with a name and a row count, one entry per config the card declares."""
    infos = meta.get("dataset_info")
    if infos is None:
        return []
    infos = [infos] if isinstance(infos, dict) else infos
    configs = {c.get("config_name") for c in meta.get("configs", [])}
    problems = []
    for info in infos:
        name = info.get("config_name", "default")
        if configs and name not in configs:
            problems.append(
                f"dataset_info names config {name!r}, which configs does not declare"
            )
        for feature in info.get("features", []):
            dtype = feature.get("dtype")
            if isinstance(dtype, str) and not (
                dtype in VALUE_DTYPES or PARAMETRIC_DTYPE.match(dtype)
            ):
                problems.append(
                    f"dataset_info: feature {feature.get('name')!r} has dtype {dtype!r}, "
                    "not a datasets type (string, int64, float32, ...)"
                )
            elif dtype is None and not any(
                k in feature for k in ("list", "sequence", "struct")
            ):
                problems.append(
                    f"dataset_info: feature {feature.get('name')!r} has no dtype"
                )
        for split in info.get("splits", []):
            counts = (split.get("num_examples"), split.get("num_bytes"))
            if not split.get("name") or not all(
                isinstance(n, int) and n >= 0 for n in counts
            ):
                problems.append(
                    "dataset_info: each split needs a name, num_bytes and num_examples"
                )
    return problems


def check_repo(folder: Path, repo_type: str) -> list[str]:
    """Every problem the Hub would find with the card of the repo in `folder`."""
    try:
        meta = read_metadata(folder / "README.md")
    except yaml.YAMLError as exc:
        return [f"README.md metadata is not valid YAML: {exc}"]
    except (OSError, ValueError) as exc:
        return [str(exc)]
    check = {"space": check_space, "model": check_model, "dataset": check_dataset}[
        repo_type
    ]
    return check(meta, folder)
