"""The Hub's rules for a repo's README.md metadata, checked offline before you push.

Sources: the Hub's Spaces configuration reference, model and dataset card specs, licence
list and repo id rules (https://huggingface.co/docs/hub); each rule below names its section of
the reference this template keeps (hub-spec.md). (In the template, these lists are copies of
partials/hub_facts.jinja, and its tests prove them equal.)

Each finding is an error or a warning:
- an error: the Hub refuses the card (its metadata check rejects the commit), or the Space, model
  or dataset cannot build or load with it (an app file that is not there, a Dockerfile listening
  on another port, a data file no config matches);
- a warning: the Hub accepts and runs the card but ignores the key or value (a key it does not
  know, a missing sdk_version it picks itself, several emoji where it shows one), or the card
  departs from a practice of this template (a list naming an id twice, a model without
  library_name).

`findings(folder, repo_type)` returns both kinds, `errors_and_warnings(...)` splits them, and
`check_repo(...)` is every message, the strict view. A health report on a repo the Hub runs
asks for errors only; a project made from the template holds the keys it writes to the
warnings too (its tests/test_card.py), so a typo in one of them still fails.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

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
# One emoji: a flag (two regional indicators), a keycap, a subdivision flag (tag sequence), or a
# pictograph with its variation selector or skin tone, joined by ZWJ to more of them.
EMOJI = re.compile(
    "^(?:[\U0001f1e6-\U0001f1ff]{2}|[0-9#*]\ufe0f?\u20e3|\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]+\U000e007f"
    "|[\xa9\xae\u203c-\u3299\U0001f000-\U0001faff](?:[\ufe0f\ufe0e\U0001f3fb-\U0001f3ff])?"
    "(?:\u200d[\xa9\xae\u203c-\u3299\U0001f000-\U0001faff](?:[\ufe0f\U0001f3fb-\U0001f3ff])?)*)$"
)
KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")


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


ERROR = "error"
WARNING = "warning"


class Finding(NamedTuple):
    """One thing the checker found: its level (ERROR or WARNING), the card key or file it is about,
    what to do, and for a key the Hub does not know, the documented key it is probably a typo of."""

    level: str
    key: str
    message: str
    near: str = ""

    def __str__(self) -> str:
        return self.message


class Findings(list[Finding]):
    def error(self, key: str, message: str) -> None:
        self.append(Finding(ERROR, key, message))

    def warn(self, key: str, message: str, near: str = "") -> None:
        self.append(Finding(WARNING, key, message, near))


def _list_of_str(meta: dict[str, Any], key: str, found: Findings) -> list[str]:
    value = meta.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        found.error(key, f"{key} must be a list of strings")
        return []
    repeated = sorted({v for v in value if value.count(v) > 1})
    if repeated:  # a practice: the Hub reads the list either way (huggingface_hub de-duplicates tags, §4.4)
        found.warn(key, f"{key} lists {', '.join(repeated)} more than once")
    return value


def _common(meta: dict[str, Any], found: Findings) -> None:
    _gated_problems(meta, found)
    for key in ("language", "base_model"):
        if key in meta:
            _list_of_str(meta, key, found)
    # §4.3: lowercase licence ids only; the Hub's metadata check refuses any other.
    license_id = meta.get("license")
    if license_id is not None and license_id not in LICENSES:
        found.error("license", f"license {license_id!r} is not a Hub licence id")
    if license_id == "other" and not meta.get(
        "license_name"
    ):  # accepted; the page names no licence
        found.warn("license", "license: other needs license_name (and license_link)")
    _list_of_str(meta, "tags", found)
    for key in ("datasets", "models"):
        for repo in _list_of_str(meta, key, found):
            if not REPO_ID.fullmatch(repo):
                found.error(key, f"{repo!r} is not a valid Hub repo id")


def _near(key: str, known: set[str]) -> str:
    """The documented key `key` is probably a typo of, or ''."""
    close = difflib.get_close_matches(key, sorted(known), n=1, cutoff=0.8)
    return close[0] if close else ""


def _emoji_problems(emoji: object, found: Findings) -> None:
    """§1.1 "emoji-only character allowed": text is refused. Several emoji, or a sequence this
    checker does not know, the Hub shows as they are (a warning: the tile has room for one)."""
    text = KEYCAP.sub("", emoji) if isinstance(emoji, str) else "?"
    if not isinstance(emoji, str) or any(c.isalnum() for c in text):
        found.error("emoji", f"emoji must be a single emoji, not text ({emoji!r})")
    elif not EMOJI.fullmatch(emoji):
        found.warn(
            "emoji", f"emoji should be a single emoji: the Hub shows {emoji!r} as it is"
        )


def check_space(meta: dict[str, Any], folder: Path) -> list[Finding]:
    found = Findings()
    # §1.1: the Hub ignores keys it does not know (hub-spec addendum 3: public Spaces with `description`,
    # `language` or `build_script` run); a typo of a documented key leaves that key unset.
    for key in sorted(set(meta) - SPACE_KEYS):
        near = _near(key, SPACE_KEYS)
        hint = f" (did you mean {near}?)" if near else ""
        found.warn(
            key,
            f"{key!r} is not a Space configuration key: the Hub ignores it{hint}",
            near,
        )
    if (
        "suggested_storage" in meta
    ):  # §1.1: persistent storage is gone, the key is ignored
        found.warn(
            "suggested_storage",
            "suggested_storage is ignored: the Hub no longer offers persistent storage",
        )
    sdk = meta.get("sdk")
    if (
        sdk == "streamlit"
    ):  # §1.2: retired as a built-in SDK; a new commit gets a Docker Space's Dockerfile
        found.error(
            "sdk",
            "sdk: streamlit is retired on the Hub: use sdk: docker with a Dockerfile that runs streamlit",
        )
    elif sdk not in SPACE_SDKS:
        found.error("sdk", f"sdk must be one of {sorted(SPACE_SDKS)}, not {sdk!r}")
    for key in ("colorFrom", "colorTo"):
        if key in meta and meta[key] not in COLORS:
            found.error(key, f"{key} must be one of {sorted(COLORS)}")
    if "emoji" in meta:
        _emoji_problems(meta["emoji"], found)
    if len(str(meta.get("short_description", ""))) > 60:  # enforced by the Hub (U1)
        found.error(
            "short_description", "short_description must be at most 60 characters"
        )
    if "suggested_hardware" in meta and meta["suggested_hardware"] not in HARDWARE:
        found.error(
            "suggested_hardware",
            f"suggested_hardware {meta['suggested_hardware']!r} is not a Hub hardware flavour",
        )
    if sdk == "gradio":
        _gradio_problems(meta, found)
    if sdk in ("gradio", "static"):
        app_file = meta.get("app_file", "app.py" if sdk == "gradio" else "index.html")
        if "app_build_command" in meta:
            _build_problems(meta, folder, sdk, found)
        elif not (folder / app_file).is_file():  # the Space stops at NO_APP_FILE
            found.error("app_file", f"app_file {app_file} does not exist")
    _page_problems(meta, found)
    _sign_in_problems(meta, found)
    if (
        folder / "packages.txt"
    ).is_file():  # §3: each line goes to apt-get install; a bad name fails the build
        for line in (folder / "packages.txt").read_text().splitlines():
            name = line.strip()
            if name and not name.startswith("#") and not DEBIAN_PACKAGE.fullmatch(name):
                found.error(
                    "packages.txt",
                    f"packages.txt: {name!r} is not a Debian package name",
                )
    if sdk == "docker":
        _docker_problems(meta, folder, found)
    _common(meta, found)
    return found


def _gradio_problems(meta: dict[str, Any], found: Findings) -> None:
    version = meta.get("sdk_version")
    if version is None:  # U4, addendum 3: the Hub picks a Gradio version itself
        found.warn(
            "sdk_version",
            "a Gradio Space should pin sdk_version (X.Y.Z); without it the Hub picks one",
        )
    elif not re.fullmatch(
        r"\d+\.\d+\.\d+", str(version)
    ):  # §3: "3.27" is refused, "3.27.0" builds
        found.error(
            "sdk_version", "a Gradio Space needs sdk_version as a full X.Y.Z version"
        )
    if "python_version" in meta and not re.fullmatch(
        r"3\.\d+(\.\d+)?", str(meta["python_version"])
    ):
        found.error("python_version", "python_version must be 3.X or 3.X.Y")


def _docker_problems(meta: dict[str, Any], folder: Path, found: Findings) -> None:
    """§2: a Dockerfile at the root, and the app listening on app_port (7860 when the card names none)."""
    if not (folder / "Dockerfile").is_file():
        found.error("Dockerfile", "a Docker Space needs a Dockerfile at the root")
    port = meta.get("app_port", DEFAULT_APP_PORT)
    if not isinstance(port, int) or not 1 <= port <= 65535:
        found.error("app_port", "app_port must be a port number")
    elif (folder / "Dockerfile").is_file():
        _port_problems(port, (folder / "Dockerfile").read_text(), found)


def _build_problems(
    meta: dict[str, Any], folder: Path, sdk: str, found: Findings
) -> None:
    """§1.3 a static Space with a build step: the Hub runs app_build_command, then serves app_file."""
    if sdk != "static":
        found.error("app_build_command", "app_build_command is for static Spaces only")
        return
    command = meta["app_build_command"]
    if not isinstance(command, str) or not command:
        found.error("app_build_command", "app_build_command must be a command")
    elif command.startswith("npm run ") and len(command.split()) > 2:
        script = command.split()[2]
        package = folder / "package.json"
        scripts = (
            json.loads(package.read_text()).get("scripts", {})
            if package.is_file()
            else {}
        )
        if script not in scripts:
            found.error(
                "app_build_command",
                f"app_build_command runs npm's {script!r}: package.json has no such script",
            )
    if "/" not in str(meta.get("app_file", "")):
        found.error(
            "app_file",
            "with app_build_command, app_file names the built page, such as dist/index.html",
        )


def _page_problems(meta: dict[str, Any], found: Findings) -> None:
    """§1.1's typed keys: the Hub's metadata check refuses a value of another type or outside the list."""
    if "header" in meta and meta["header"] not in HEADERS:
        found.error("header", f"header must be one of {sorted(HEADERS)}")
    for key in ("fullWidth", "disable_embedding", "pinned", "hf_oauth"):
        if key in meta and not isinstance(meta[key], bool):
            found.error(key, f"{key} must be true or false")
    if "thumbnail" in meta and not re.fullmatch(
        r"^https?://\S+$", str(meta["thumbnail"])
    ):
        found.error("thumbnail", "thumbnail must be a URL")
    timeout = meta.get("startup_duration_timeout")
    if timeout is not None and not DURATION.fullmatch(str(timeout)):
        found.error(
            "startup_duration_timeout",
            "startup_duration_timeout must be a duration such as 30m or 1h",
        )
    headers = meta.get("custom_headers", {})
    if not isinstance(headers, dict):
        found.error(
            "custom_headers",
            "custom_headers must be a mapping of header names to values",
        )
        headers = {}
    for name, value in headers.items():
        allowed = CUSTOM_HEADER_VALUES.get(name)
        if allowed is None:
            found.error(
                "custom_headers",
                f"custom_headers: {name!r} is not a header the Hub lets a Space set",
            )
        elif value not in allowed:
            found.error(
                "custom_headers",
                f"custom_headers: {name} must be one of {allowed} (lowercase)",
            )


def _sign_in_problems(meta: dict[str, Any], found: Findings) -> None:
    """§1.1 and spaces-oauth: scopes and expiry are checked; hf_oauth_* without hf_oauth are ignored."""
    keys = {k for k in meta if k.startswith("hf_oauth_")}
    if keys and meta.get("hf_oauth") is not True:
        found.warn(
            "hf_oauth",
            f"{', '.join(sorted(keys))} need hf_oauth: true (the Hub ignores them without it)",
        )
    scopes = _list_of_str(meta, "hf_oauth_scopes", found)
    for scope in scopes:
        if scope not in OAUTH_SCOPES and scope not in ("openid", "profile"):
            found.error(
                "hf_oauth_scopes",
                f"hf_oauth_scopes: {scope!r} is not a Hub OAuth scope",
            )
    minutes = meta.get("hf_oauth_expiration_minutes", 480)
    if not isinstance(minutes, int) or not 1 <= minutes <= OAUTH_EXPIRATION_MINUTES_MAX:
        found.error(
            "hf_oauth_expiration_minutes",
            f"hf_oauth_expiration_minutes must be 1 to {OAUTH_EXPIRATION_MINUTES_MAX}",
        )
    for org in _list_of_str(meta, "hf_oauth_authorized_org", found):
        if "/" in org or not REPO_ID.fullmatch(org):
            found.error(
                "hf_oauth_authorized_org",
                f"hf_oauth_authorized_org: {org!r} is not an organisation name",
            )


DEFAULT_APP_PORT = (
    7860  # where the Hub sends a Docker Space's traffic when the card names no app_port
)


def dockerfile_ports(text: str) -> tuple[list[int], list[int]]:
    """The ports a Dockerfile EXPOSEs, and those its CMD/ENTRYPOINT listens on."""
    exposed = [
        int(port.split("/")[0])
        for line in re.findall(r"^EXPOSE\s+(.+)$", text, flags=re.M)
        for port in line.split()
        if port.split("/")[0].isdigit()
    ]
    listening = [
        int(port)
        for line in re.findall(r"^(?:CMD|ENTRYPOINT)\s+(.+)$", text, flags=re.M)
        for port in re.findall(r"(?:--(?:server\.)?port|-p)[\"',\s=]+(\d+)", line)
    ]
    return exposed, listening


def _port_problems(port: int, dockerfile: str, found: Findings) -> None:
    """§2: the Hub routes traffic to app_port, so a server listening elsewhere is never reached (an
    error); EXPOSE only documents a port, so another one there misleads but runs (a warning)."""
    exposed, listening = dockerfile_ports(dockerfile)
    for other in exposed:
        if other != port:
            found.warn(
                "app_port",
                f"the Dockerfile EXPOSEs {other}, but the card's app_port is {port}",
            )
    for other in listening:
        if other != port:
            found.error(
                "app_port",
                f"the Dockerfile's command listens on {other}, but the card's app_port is {port}",
            )


def check_model(meta: dict[str, Any], folder: Path) -> list[Finding]:
    found = Findings()
    if not meta.get(
        "library_name"
    ):  # §4.1: accepted, but the Hub no longer assumes transformers
        found.warn(
            "library_name",
            "library_name is required: the Hub no longer assumes transformers",
        )
    if meta.get("pipeline_tag") is not None and meta["pipeline_tag"] not in TASKS:
        found.error(
            "pipeline_tag", f"pipeline_tag {meta['pipeline_tag']!r} is not a Hub task"
        )
    base = meta.get("base_model")
    bases = (
        [base] if isinstance(base, str) else (base if isinstance(base, list) else [])
    )
    for repo in bases:
        if not isinstance(repo, str) or not REPO_ID.fullmatch(repo):
            found.error("base_model", f"base_model {repo!r} is not a valid Hub repo id")
    _relation_problems(meta, bases, found)
    version = meta.get("new_version")
    if version is not None and not (
        isinstance(version, str) and "/" in version and REPO_ID.fullmatch(version)
    ):
        found.error(
            "new_version", f"new_version {version!r} is not a model id (namespace/name)"
        )
    _model_index_problems(meta, found)
    _common(meta, found)
    return found


def _relation_problems(meta: dict[str, Any], bases: list[str], found: Findings) -> None:
    """§4.1 the model tree: the relation is one of four (refused otherwise); a merge has several bases,
    the others one, an adapter is peft's (the Hub files the model wrongly otherwise: warnings)."""
    relation = meta.get("base_model_relation")
    if relation is None:
        return
    if relation not in BASE_MODEL_RELATIONS:
        found.error(
            "base_model_relation",
            f"base_model_relation must be one of {sorted(BASE_MODEL_RELATIONS)}",
        )
    elif not bases:
        found.warn("base_model_relation", "base_model_relation needs a base_model")
    elif relation == "merge" and len(bases) < 2:
        found.warn(
            "base_model_relation",
            "base_model_relation: merge needs two or more base_model ids",
        )
    elif relation != "merge" and len(bases) > 1:
        found.warn(
            "base_model_relation",
            f"base_model_relation: {relation} has one base_model; several are a merge",
        )
    elif relation == "adapter" and meta.get("library_name") not in (
        "peft",
        "diffusers",
    ):
        found.warn(
            "base_model_relation",
            "base_model_relation: adapter needs library_name peft (or diffusers)",
        )


def _model_index_problems(meta: dict[str, Any], found: Findings) -> None:
    """§4.1 model-index as the Hub reads it (required fields are refused when missing): each result
    names a task type, a dataset (type and name) and metrics with a type and a value."""
    index = meta.get("model-index")
    if index is None:
        return
    if not isinstance(index, list) or not all(
        isinstance(entry, dict) for entry in index
    ):
        found.error("model-index", "model-index must be a list of {name, results}")
        return
    for entry in index:
        if not entry.get("name"):
            found.error("model-index", "model-index: each entry needs a name")
        for result in entry.get("results") or []:
            if not isinstance(result, dict):
                found.error("model-index", "model-index: each result must be a mapping")
                continue
            if not (result.get("task") or {}).get("type"):
                found.error("model-index", "model-index: each result needs task.type")
            dataset = result.get("dataset") or {}
            if not (dataset.get("type") and dataset.get("name")):
                found.error(
                    "model-index",
                    "model-index: each result needs dataset.type and dataset.name",
                )
            for metric in result.get("metrics") or []:
                if (
                    not isinstance(metric, dict)
                    or not metric.get("type")
                    or "value" not in metric
                ):
                    found.error(
                        "model-index",
                        "model-index: each metric needs a type and a value",
                    )


def _gated_problems(meta: dict[str, Any], found: Findings) -> None:
    """A gated repo's form: each field a text, checkbox, date_picker or country, or a select with options
    (refused otherwise); without extra_gated_prompt the Hub shows its own (a warning)."""
    fields = meta.get("extra_gated_fields", {})
    if not isinstance(fields, dict):
        found.error(
            "extra_gated_fields",
            "extra_gated_fields must map each question to its type",
        )
        return
    for name, kind in fields.items():
        if isinstance(kind, dict):
            if kind.get("type") != "select" or not kind.get("options"):
                found.error(
                    "extra_gated_fields",
                    f"extra_gated_fields: {name!r} must be a select with options",
                )
        elif kind not in GATED_FIELD_TYPES:
            found.error(
                "extra_gated_fields",
                f"extra_gated_fields: {name!r} has type {kind!r}, not one of {GATED_FIELD_TYPES}",
            )
    if fields and not meta.get("extra_gated_prompt"):
        found.warn(
            "extra_gated_prompt",
            "extra_gated_fields need an extra_gated_prompt saying why",
        )


def check_dataset(meta: dict[str, Any], folder: Path) -> list[Finding]:
    """§4.2: the configs and dataset_info the viewer and `datasets` load by (errors: the dataset does
    not load), and the card's categories."""
    found = Findings()
    for task in _list_of_str(meta, "task_categories", found):
        if task not in TASKS:
            found.error("task_categories", f"task category {task!r} is not a Hub task")
    for size in _list_of_str(meta, "size_categories", found):
        if size not in SIZE_CATEGORIES:
            found.error("size_categories", f"size category {size!r} is not allowed")
    configs = meta.get("configs", [])
    for config in configs if isinstance(configs, list) else []:
        if not isinstance(config, dict) or not config.get("config_name"):
            found.error("configs", "every entry of configs needs a config_name")
            continue
        data_files = config.get("data_files", [])
        entries = [data_files] if isinstance(data_files, str) else data_files
        for entry in entries if isinstance(entries, list) else []:
            paths = entry.get("path") if isinstance(entry, dict) else entry
            for pattern in [paths] if isinstance(paths, str) else (paths or []):
                if isinstance(pattern, str) and not list(folder.glob(pattern)):
                    found.error("configs", f"configs: no file matches {pattern}")
    _dataset_info_problems(meta, found)
    if list(folder.glob("*.py")):
        found.error(
            "configs",
            "dataset loading scripts are no longer supported by the Hub; use data files and configs",
        )
    _common(meta, found)
    return found


# datasets.Value dtypes (features.py); timestamps, times, durations and decimals carry parameters.
VALUE_DTYPES = set(
    "null bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float16 float32 float64 "
    "date32 date64 binary large_binary binary_view string large_string string_view".split()
)
PARAMETRIC_DTYPE = re.compile(
    r"^(timestamp|time32|time64|duration|decimal128|decimal256)\[.+\]$"
)


def _dataset_info_problems(meta: dict[str, Any], found: Findings) -> None:
    """dataset_info as the viewer and `datasets` read it: features with a name and a type,
    splits with a name and a row count, one entry per config the card declares."""
    infos = meta.get("dataset_info")
    if infos is None:
        return
    infos = [infos] if isinstance(infos, dict) else infos
    configs = {
        c.get("config_name") for c in meta.get("configs", []) if isinstance(c, dict)
    }
    for info in infos if isinstance(infos, list) else []:
        if not isinstance(info, dict):
            continue
        name = info.get("config_name", "default")
        if configs and name not in configs:
            found.error(
                "dataset_info",
                f"dataset_info names config {name!r}, which configs does not declare",
            )
        for feature in info.get("features", []):
            dtype = feature.get("dtype") if isinstance(feature, dict) else None
            if isinstance(dtype, str) and not (
                dtype in VALUE_DTYPES or PARAMETRIC_DTYPE.fullmatch(dtype)
            ):
                found.error(
                    "dataset_info",
                    f"dataset_info: feature {feature.get('name')!r} has dtype {dtype!r}, "
                    "not a datasets type (string, int64, float32, ...)",
                )
            elif (
                dtype is None
                and isinstance(feature, dict)
                and not any(k in feature for k in ("list", "sequence", "struct"))
            ):
                found.error(
                    "dataset_info",
                    f"dataset_info: feature {feature.get('name')!r} has no dtype",
                )
        for split in info.get("splits", []):
            counts = (
                (split.get("num_examples"), split.get("num_bytes"))
                if isinstance(split, dict)
                else ()
            )
            if (
                not counts
                or not split.get("name")
                or not all(isinstance(n, int) and n >= 0 for n in counts)
            ):
                found.error(
                    "dataset_info",
                    "dataset_info: each split needs a name, num_bytes and num_examples",
                )


def findings(folder: Path, repo_type: str) -> list[Finding]:
    """Every finding, errors and warnings, about the card of the repo in `folder` (errors first)."""
    try:
        meta = read_metadata(folder / "README.md")
    except yaml.YAMLError as exc:
        return [Finding(ERROR, "", f"README.md metadata is not valid YAML: {exc}")]
    except (OSError, ValueError) as exc:
        return [Finding(ERROR, "", str(exc))]
    check = {"space": check_space, "model": check_model, "dataset": check_dataset}[
        repo_type
    ]
    found = check(meta, folder)
    return [f for f in found if f.level == ERROR] + [
        f for f in found if f.level == WARNING
    ]


def errors_and_warnings(
    folder: Path, repo_type: str
) -> tuple[list[Finding], list[Finding]]:
    """What the Hub refuses, and what it accepts but ignores or this template advises against."""
    found = findings(folder, repo_type)
    return [f for f in found if f.level == ERROR], [
        f for f in found if f.level == WARNING
    ]


def check_repo(folder: Path, repo_type: str) -> list[str]:
    """Every problem with the card of the repo in `folder`, errors and warnings alike (the strict view)."""
    return [f.message for f in findings(folder, repo_type)]
