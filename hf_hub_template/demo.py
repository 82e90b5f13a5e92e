"""From a model on the Hub to the answers of a demo Space (`hf-hub-template demo MODEL_ID [DEST]`).

`read_model` asks the Hub about the model (one `model_info`, a second one for the files' sizes when the
Hub counts no parameters, and the card's text), `read_base` about a PEFT adapter's base model the same way;
`plan` turns what it read into ordinary Copier answers, each decision with a one-line reason, or refuses
(`Refused`) saying what to pass instead. `plan` makes no request, so the tests give it `ModelInfo` objects
as the Hub would.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from hf_hub_template.hub.facts import LICENSES, is_repo_id

# What `model_info` is asked for (huggingface_hub 2.4.0's ExpandModelProperty_T names).
EXPAND = [
    "cardData",
    "pipeline_tag",
    "library_name",
    "safetensors",
    "siblings",
    "gated",
    "private",
    "inferenceProviderMapping",
]

# The tasks partials/demo.jinja has a demo of its own for (its `demo_kinds`; `api_tasks` is the same list):
# tests/test_demo_command.py proves they agree.
TAILORED_TASKS = (
    "text-classification",
    "token-classification",
    "text-generation",
    "summarization",
    "translation",
    "image-classification",
    "automatic-speech-recognition",
    "feature-extraction",
    "sentence-similarity",
    "fill-mask",
    "zero-shot-classification",
    "question-answering",
    "image-to-text",
    "object-detection",
    "text-to-image",
)
API_TASKS = frozenset(TAILORED_TASKS)
# Any other task gets the generic demo (one text in, the pipeline's output as JSON), which works only where
# the transformers pipeline takes one text: the demo command offers none of them (-d pipeline_tag=TASK can).
GENERIC_TASKS: tuple[str, ...] = ()
DEMO_TASKS = (*TAILORED_TASKS, *GENERIC_TASKS)

# The libraries whose repos transformers' `pipeline` loads (the local and ZeroGPU demos use nothing else):
# sentence-transformers repos carry a transformers model at their root, timm ones load through TimmWrapper.
LOCAL_LIBRARIES = frozenset({"transformers", "sentence-transformers", "timm"})
# A PEFT adapter (library_name peft, or an adapter_config.json) runs on its base model: transformers loads the
# base that adapter_config.json names, then applies the adapter (peft installed). That file is a few hundred
# bytes: more than this is not read.
ADAPTER_CONFIG_MAX = 100_000

# What fits the default hardware, CPU basic (2 vCPU, 16 GB of RAM): 1.5 B parameters are 6 GB in float32,
# which leaves room for the activations, the app and a second copy while loading; beyond that a 2-vCPU
# answer takes minutes. Without a parameter count, the weight files' bytes: 3 GB is 1.5 B parameters in
# float16 (or 0.75 B in float32), the same bound.
MAX_LOCAL_PARAMETERS = 1_500_000_000
MAX_LOCAL_WEIGHT_BYTES = 3_000_000_000
WEIGHT_SUFFIXES = (".safetensors", ".bin")  # transformers takes the safetensors files, else the .bin ones

# The card's widget examples the demo takes (partials/demo_examples.jinja's examples_refusal holds the same
# bounds); the image and audio tasks' widget examples are URLs of files, which the demo does not fetch.
MAX_EXAMPLES = 5
EXAMPLE_TEXT_MAX = 500
EXAMPLE_CONTEXT_MAX = 2000
FILE_TASKS = frozenset({"image-classification", "image-to-text", "object-detection", "automatic-speech-recognition"})

# The tasks whose local and ZeroGPU demos run a diffusers pipeline (DiffusionPipeline.from_pretrained: the repo
# needs a model_index.json; a LoRA or a single-file checkpoint has none). CPU basic takes minutes per image for
# a real diffusion model (Stable Diffusion 1.5: 4 GB of weights, seconds per step on 2 vCPU): local is chosen
# only for a tiny one, whose component weights (non-variant files in its folders) add up to this at most.
DIFFUSION_TASKS = frozenset({"text-to-image"})
MAX_LOCAL_DIFFUSION_BYTES = 200_000_000

SHORT_DESCRIPTION_MAX = 60  # the Space card's limit (partials/hub_facts.jinja's short_description_max)
TITLE_MAX = 100
LICENSE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
# What copier.yml's one_line refuses in any answer (partials/validators.jinja's control_characters).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


class Refused(Exception):
    """The demo cannot be made as asked; the message says why and what to pass instead (one line)."""


@dataclass
class Plan:
    answers: dict[str, Any]
    reasons: list[str] = field(default_factory=list)


def read_model(model_id: str) -> tuple[Any, str | None]:
    """The model's `ModelInfo` (with its files' sizes when the Hub counts no parameters) and its card's
    text (None when it cannot be read: a gated model without access). Refused on any failure to read it."""
    from hf_hub_template.hub.errors import explain
    from hf_hub_template.hub.session import connect

    api, endpoint = connect(token_required=False)
    try:
        info = _model_info(api, model_id)
    except Exception as exc:
        raise Refused(explain(exc, action=f"read the model {model_id}", repo_id=model_id, endpoint=endpoint)) from exc
    readme = None
    if any(s.rfilename == "README.md" for s in info.siblings or []):
        try:
            with open(api.hf_hub_download(model_id, "README.md"), encoding="utf-8") as card:
                readme = card.read(200_000)
        except Exception:  # noqa: BLE001  (only the description comes from it; the fallback says the task)
            readme = None
    return info, readme


def _model_info(api: Any, model_id: str) -> Any:
    info = api.model_info(model_id, expand=EXPAND)
    if not (info.safetensors and info.safetensors.total):
        # `expand` and `files_metadata` cannot go in one request (huggingface_hub refuses it).
        info.siblings = api.model_info(model_id, files_metadata=True).siblings
    return info


def is_adapter(info: Any) -> bool:
    """A PEFT adapter: the Hub (or its card) names peft as its library, or it holds an adapter_config.json."""
    return _library(info) == "peft" or any(s.rfilename == "adapter_config.json" for s in info.siblings or [])


def read_base(info: Any) -> Any | None:
    """The `ModelInfo` of the base model a PEFT adapter applies to, as `read_model` reads a model; None for a
    model that is no adapter, or an adapter that names no base (adapter_config.json's base_model_name_or_path,
    else its card's base_model). Refused when the base it names cannot be read."""
    from huggingface_hub.utils import HFValidationError, validate_repo_id

    from hf_hub_template.hub.errors import explain
    from hf_hub_template.hub.session import connect

    if not is_adapter(info):
        return None
    api, endpoint = connect(token_required=False)
    named: Any = None
    try:  # what transformers reads; a gated adapter without access falls back to the card
        with open(api.hf_hub_download(info.id, "adapter_config.json"), encoding="utf-8") as file:
            config = json.loads(file.read(ADAPTER_CONFIG_MAX))
        named = config.get("base_model_name_or_path") if isinstance(config, dict) else None
    except Exception:  # noqa: BLE001  (no file, no access, not JSON: the card's base_model)
        named = None
    base_id = named if isinstance(named, str) and named else _base(info)
    try:
        validate_repo_id(base_id)  # a local path, as adapters trained on a local copy name: not on the Hub
    except HFValidationError:
        return None
    try:
        return _model_info(api, base_id)
    except Exception as exc:
        action = f"read {info.id}'s base model {base_id}"
        raise Refused(explain(exc, action=action, repo_id=base_id, endpoint=endpoint)) from exc


def plan(
    info: Any,
    *,
    sdk: str | None = None,
    inference: str | None = None,
    gpu: bool = False,
    data: dict[str, Any] | None = None,
    readme: str | None = None,
    base: Any | None = None,
) -> Plan:
    """The answers of a Space that demos `info`'s model (a huggingface_hub `ModelInfo`), and why; `base` is a
    PEFT adapter's base model (`read_base`).

    `sdk`, `inference` and `data` (the -d answers) win over anything read; Refused when no demo can be made."""
    given = dict(data or {})
    if sdk:
        given.setdefault("space_sdk", sdk)
    if inference:
        given.setdefault("inference", inference)
    model_id = info.id
    name = model_id.split("/")[-1]
    card = _card(info)
    library = _library(info)
    out = Plan({"repo_type": "space", "space_sdk": given.get("space_sdk", "gradio"), "models": model_id})
    space_sdk = out.answers["space_sdk"]
    if space_sdk == "static":
        raise Refused("a static Space runs no Python, so it cannot demo a model: use --sdk gradio, streamlit or docker")
    out.reasons.append(f"sdk {space_sdk}: {'given' if 'space_sdk' in given else 'the default (--sdk to change)'}")

    task = _task(info, card, given, out, base)

    adapter = is_adapter(info)
    if "inference" in given:
        out.answers["inference"] = given["inference"]
        slow = task in DIFFUSION_TASKS and given["inference"] == "local"
        said = "; CPU basic takes minutes per image for a real diffusion model (--gpu: ZeroGPU)" if slow else ""
        out.reasons.append(f"inference {given['inference']}: given{said}")
    else:
        out.answers["inference"] = _where(info, task, library, adapter, space_sdk, gpu, out, base)
    if adapter:
        _adapter_answers(info, base, out)

    _card_answers(info, card, name, task, readme, given, out)
    # The models the Space downloads: the model, and an adapter's base model.
    locked = [m for m in (info, base if adapter else None) if m is not None and (m.gated or m.private)]
    if locked:
        out.answers["space_secrets"] = "HF_TOKEN"
        what = "; ".join(f"{m.id} is {'private' if m.private else 'gated'}" for m in locked)
        ids = " and ".join(m.id for m in locked)
        out.reasons.append(
            f"space_secrets HF_TOKEN: {what}; the Space reads {'them' if len(locked) > 1 else 'it'} with a read "
            f"token of its own (fine-grained, read access to {ids}), never the one you publish with: put "
            "HF_TOKEN=... in a file and pass it to `hf-hub-template publish --secrets-file FILE`"
        )
    private = [m.id for m in locked if m.private]
    if private:  # a public app would show a private model to anyone: the Space is private too
        out.answers["visibility"] = "private"
        out.reasons.append(
            f"visibility private: {' and '.join(private)} {'are' if len(private) > 1 else 'is'} private, so is "
            "its demo (-d visibility=... to change)"
        )
    out.answers.update(given)
    return out


def task_of(info: Any) -> str:
    """The task `info`'s model names (its pipeline_tag, else its card's), one the demo serves; Refused if not."""
    return _task(info, _card(info), {}, Plan({}))


def _card(info: Any) -> dict[str, Any]:
    data = info.card_data
    if data is None:
        return {}
    return data.to_dict() if hasattr(data, "to_dict") else dict(data)


def _library(info: Any) -> str | None:
    """The library that loads `info`'s model: the Hub's, the card's, else transformers when it has a config.json."""
    files = {s.rfilename for s in info.siblings or []}
    return info.library_name or _card(info).get("library_name") or ("transformers" if "config.json" in files else None)


def _task(info: Any, card: dict[str, Any], given: dict[str, Any], out: Plan, base: Any | None = None) -> str:
    known = ", ".join(DEMO_TASKS)
    if "pipeline_tag" in given:
        task = str(given["pipeline_tag"])
        if task in DEMO_TASKS:
            out.reasons.append(f"task {task}: given")
        else:
            out.reasons.append(f"task {task}: given; the demo has no widgets for it and shows the raw output")
        out.answers["pipeline_tag"] = task
        return task
    read = info.pipeline_tag or card.get("pipeline_tag")
    whose = "the model's pipeline_tag"
    if not read and base is not None:  # an adapter whose card names no task does its base model's
        read, whose = base.pipeline_tag or _card(base).get("pipeline_tag"), f"its base model {base.id}'s pipeline_tag"
    if not read:
        raise Refused(
            f"{info.id} names no task (no pipeline_tag on the Hub or in its card): say which with "
            f"-d pipeline_tag=TASK (the demo serves {known})"
        )
    task = str(read)
    if task not in DEMO_TASKS:
        raise Refused(
            f"{info.id} is a {task} model, and the demo cannot serve {task} yet (it serves {known}); "
            "-d pipeline_tag=TASK demos it as another task"
        )
    out.answers["pipeline_tag"] = task
    out.reasons.append(f"task {task}: {whose}")
    return task


def _size(info: Any) -> tuple[bool | None, str]:
    """Whether the model fits CPU basic (None: unknown), and its size in words."""
    total = info.safetensors.total if info.safetensors else None
    if total:
        return total <= MAX_LOCAL_PARAMETERS, f"{_amount(total, ' B', ' M', ' k', '')} parameters"
    siblings = info.siblings or []
    for suffix in WEIGHT_SUFFIXES:
        weights = [s for s in siblings if s.rfilename.endswith(suffix) and "/" not in s.rfilename]
        if weights:
            sizes = [_file_size(s) for s in weights]
            if any(size is None for size in sizes):
                return None, "weights of unknown size"
            size = sum(int(s) for s in sizes if s is not None)
            return size <= MAX_LOCAL_WEIGHT_BYTES, f"{_amount(size, ' GB', ' MB', ' kB', ' bytes')} of {suffix} weights"
    return None, "no weight files the demo can load"


def _file_size(sibling: Any) -> int | None:
    """A file's bytes as `model_info(files_metadata=True)` lists them (an LFS file's from its pointer)."""
    return sibling.size if sibling.size is not None else (sibling.lfs.size if sibling.lfs else None)


def _live_providers(info: Any) -> list[str]:
    """The inference providers serving the model now (a mapping in staging does not count)."""
    return sorted({m.provider for m in info.inference_provider_mapping or [] if m.status == "live"})


def _zerogpu_needs_gradio(sdk: str) -> None:
    if sdk != "gradio":
        raise Refused("--gpu runs the model on ZeroGPU, which is Gradio only: drop --gpu or use --sdk gradio")


def _amount(number: int, billions: str, millions: str, thousands: str, units: str) -> str:
    for scale, unit in ((1e9, billions), (1e6, millions), (1e3, thousands)):
        if number >= scale:
            return f"{number / scale:.1f}{unit}"
    return f"{number}{units}"


def _where(
    info: Any, task: str, library: str | None, adapter: bool, sdk: str, gpu: bool, out: Plan, base: Any | None = None
) -> str:
    """Where the model runs: local, api or zerogpu, with its reason (Refused when nowhere). An adapter runs
    where its base model runs: the base's size and library decide (the adapter's own weights are small)."""
    if task in DIFFUSION_TASKS:
        return _where_diffusion(info, sdk, gpu, out)
    fits, size = _size(base if adapter and base is not None else info)
    if adapter and base is not None:
        library, size = _library(base), f"{size} (its base model {base.id}, plus the adapter)"
    if adapter and base is None:
        no_local = (
            "a PEFT adapter whose base model is not on the Hub (adapter_config.json's base_model_name_or_path, "
            f"or the card's base_model: {_base(info) or 'none'})"
        )
    elif library not in LOCAL_LIBRARIES:
        no_local = f"its library is {library or 'not named'}, and the local demo loads models with transformers"
    elif fits is None:
        no_local = f"its size is unknown ({size})"
    elif not fits:
        no_local = f"{size} is more than CPU basic runs ({MAX_LOCAL_PARAMETERS / 1e9:g} B parameters at most)"
    else:
        no_local = ""
    if gpu:
        _zerogpu_needs_gradio(sdk)
        if (adapter and base is None) or library not in LOCAL_LIBRARIES:
            raise Refused(f"--gpu: ZeroGPU runs the model in the Space, but {no_local}")
        out.reasons.append("inference zerogpu: you asked for a GPU; ZeroGPU lends one per call (free accounts host 2)")
        return "zerogpu"
    if not no_local:
        out.reasons.append(f"inference local: {size} fits the free CPU basic hardware")
        return "local"
    live = _live_providers(info)
    if live and task in API_TASKS:
        out.reasons.append(
            f"inference api: {no_local}, and Inference Providers serve it ({', '.join(live)}); billed per call"
        )
        return "api"
    served = (
        f"{', '.join(live)} serve it, but the api demo has no client call for {task}"
        if live
        else "no inference provider serves it"
    )
    raise Refused(
        f"{info.id} cannot be demoed: {no_local}, and {served}. Use --gpu for ZeroGPU (Gradio), "
        "or --inference local if you know it fits"
    )


def _where_diffusion(info: Any, sdk: str, gpu: bool, out: Plan) -> str:
    """Where a text-to-image model runs: zerogpu when asked, local when tiny, else api when a provider serves it."""
    siblings = info.siblings or []
    pipeline = any(s.rfilename == "model_index.json" for s in siblings)
    size = _diffusion_bytes(siblings) if pipeline else None
    if not pipeline:
        no_local = "it has no model_index.json (a LoRA or a single-file checkpoint): the demo loads a whole pipeline"
    elif size is None:
        no_local = "the size of its pipeline's weights is unknown"
    elif size > MAX_LOCAL_DIFFUSION_BYTES:
        weights = _amount(size, " GB", " MB", " kB", " bytes")
        no_local = f"a diffusion model of {weights} of weights takes minutes per image on CPU basic (2 vCPU)"
    else:
        no_local = ""
    if gpu:
        _zerogpu_needs_gradio(sdk)
        if not pipeline:
            raise Refused(f"--gpu: ZeroGPU runs the pipeline in the Space, but {no_local}")
        out.reasons.append("inference zerogpu: you asked for a GPU; ZeroGPU lends one per image (free accounts host 2)")
        return "zerogpu"
    if not no_local and size is not None:
        weights = _amount(size, " GB", " MB", " kB", " bytes")
        out.reasons.append(f"inference local: {weights} of weights, a tiny diffusion model CPU basic runs in seconds")
        return "local"
    live = _live_providers(info)
    if live:
        out.reasons.append(
            f"inference api: {no_local}; Inference Providers serve it ({', '.join(live)}), billed per call"
        )
        return "api"
    raise Refused(
        f"{info.id} cannot be demoed: {no_local}, and no inference provider serves it. Use --gpu for ZeroGPU "
        "(Gradio), or --inference local to wait minutes per image"
    )


def _diffusion_bytes(siblings: list[Any]) -> int | None:
    """The bytes of the weights DiffusionPipeline loads: each component folder's safetensors files (else its .bin
    ones) without a variant (unet/diffusion_pytorch_model.safetensors, not ….fp16.safetensors). None if unknown."""
    folders: dict[str, list[Any]] = {}
    for sibling in siblings:
        folder, _, name = sibling.rfilename.rpartition("/")
        if folder and "/" not in folder and name.count(".") == 1 and name.endswith(WEIGHT_SUFFIXES):
            folders.setdefault(folder, []).append(sibling)
    total = 0
    for files in folders.values():
        suffix = ".safetensors" if any(s.rfilename.endswith(".safetensors") for s in files) else ".bin"
        for sibling in (s for s in files if s.rfilename.endswith(suffix)):
            size = _file_size(sibling)
            if size is None:
                return None
            total += int(size)
    return total or None


def _adapter_answers(info: Any, base: Any | None, out: Plan) -> None:
    """A PEFT adapter's demo records library_name peft (the app loads the base model plus the adapter, and
    pins peft) and names the base model second in `models` (the Space card links both; the first is the demo's)."""
    out.answers["library_name"] = "peft"
    if base is not None and is_repo_id(base.id):
        out.answers["models"] = f"{info.id},{base.id}"
        out.reasons.append(
            f"models {info.id},{base.id}: a PEFT adapter and its base model; the app loads the base plus the "
            "adapter (library_name peft: requirements.txt pins peft)"
        )
    else:
        out.reasons.append("library_name peft: a PEFT adapter; the app loads its base model plus the adapter")


def _base(info: Any) -> str:
    base = _card(info).get("base_model")
    if isinstance(base, list):
        base = base[0] if base else None
    return str(base) if base else ""


def _card_answers(
    info: Any, card: dict[str, Any], name: str, task: str, readme: str | None, given: dict[str, Any], out: Plan
) -> None:
    """Title, short description, licence and datasets, from the model's name and card."""
    title = _one_line(name, TITLE_MAX)
    out.answers["title"] = title
    described = _description(readme)
    out.answers["short_description"] = described or _one_line(f"A {task} demo of {name}", SHORT_DESCRIPTION_MAX)
    out.reasons.append(
        f"title {title!r} from the model's name; description "
        + ("from its card" if described else "from its task (the card has no sentence to take)")
    )
    license_ = card.get("license")
    if isinstance(license_, list):
        license_ = license_[0] if license_ else None
    if isinstance(license_, str) and license_ in LICENSES:
        out.answers["license"] = license_
        if license_ == "other" and LICENSE_NAME.fullmatch(str(card.get("license_name") or "")):
            out.answers["license_name"] = card["license_name"]
        out.reasons.append(f"license {license_}: the model's")
    elif "license" not in given:
        out.reasons.append(
            "license apache-2.0 (the template's default): the card names "
            + ("no Hub licence id" if license_ else "no licence")
        )
    examples = widget_examples(card.get("widget"), task)  # the card's own (the Hub's widgetData adds task defaults)
    if examples and "demo_examples" not in given:
        out.answers["demo_examples"] = examples
        out.reasons.append(f"examples: {len(examples)} from the card's widget (-d demo_examples=[] for the task's own)")
    datasets = card.get("datasets") or []
    datasets = [datasets] if isinstance(datasets, str) else list(datasets)
    valid = [d for d in map(str, datasets) if is_repo_id(d)]
    if valid and "datasets" not in given and not examples:
        out.answers["datasets"] = ",".join(valid)
        out.reasons.append(
            f"datasets {', '.join(valid)}: the card names them; the first one's rows are the examples "
            "(-d datasets= keeps the built-in ones)"
        )


def widget_examples(widget: Any, task: str) -> list[Any]:
    """The card's widget examples as the demo_examples answer (partials/demo_examples.jinja's rule): at most
    MAX_EXAMPLES one-line texts, or [question, context] pairs for question-answering; [] for the tasks whose
    examples are files (an image or a recording at a URL the app would have to fetch) or when none fit."""
    if not isinstance(widget, list) or task in FILE_TASKS:
        return []
    found: list[Any] = []
    for entry in widget[:50]:
        if not isinstance(entry, dict):
            continue
        if task == "question-answering":
            pair = [_example_text(entry.get("text")), _example_text(entry.get("context"), EXAMPLE_CONTEXT_MAX)]
            found += [pair] if all(pair) else []
        elif task in ("feature-extraction", "sentence-similarity"):  # the source, then the sentences to compare
            source, sentences = entry.get("source_sentence"), entry.get("sentences")
            texts = [_example_text(t) for t in [source, *(sentences if isinstance(sentences, list) else [])]]
            return [t for t in texts if t][:MAX_EXAMPLES] if _example_text(source) else []
        else:
            messages = entry.get("messages")
            turns = messages if isinstance(messages, list) else []
            said = [m.get("content") for m in turns if isinstance(m, dict) and m.get("role") == "user"]
            text = _example_text(entry.get("text") if "text" in entry else (said[-1] if said else None))
            found += [text] if text else []
        if len(found) == MAX_EXAMPLES:
            break
    return found


def _example_text(value: Any, limit: int = EXAMPLE_TEXT_MAX) -> str:
    """One example text: a string, its control characters and runs of space made one space, "" when it is
    not a string or is longer than `limit` (a cut sentence is a worse example than the task's own)."""
    if not isinstance(value, str):
        return ""
    text = " ".join(CONTROL.sub(" ", value).split())
    return text if len(text) <= limit else ""


def _one_line(text: str, limit: int) -> str:
    text = " ".join(CONTROL.sub(" ", text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:-") + "…"


def _description(readme: str | None) -> str:
    """The first sentence of the card's first paragraph of prose (no headings, HTML, images, tables or
    boilerplate), cut to the Space card's 60 characters; "" when there is none."""
    if not readme:
        return ""
    body = re.sub(r"\A---\r?\n.*?\r?\n---\r?\n", "", readme, flags=re.S)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
    body = re.sub(r"```.*?```", "", body, flags=re.S)
    for paragraph in re.split(r"\n\s*\n", body):
        text = paragraph.strip()
        if not text or text.startswith(("#", "<", "|", "!", ">", "-", "*", "[!")):
            continue
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"[*_`]+", "", text)
        text = " ".join(text.split())
        if not text or "automatically generated" in text.lower() or "[More Information Needed]" in text:
            continue
        sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        return _one_line(sentence, SHORT_DESCRIPTION_MAX)
    return ""
