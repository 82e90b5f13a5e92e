"""Demos of PEFT adapters, and of gated and private models, end to end.

`demo` reads an adapter's base model (a second `model_info`) for its size and, when the adapter's card names
no task, its task; the Space records `library_name: peft`, so requirements.txt pins peft and the app loads
the base model plus the adapter (transformers does, with peft installed). The slow tests build a real tiny
LoRA adapter of a tiny classifier (tests/tiny_models.py), serve both from the loopback test Hub, render the
Space with `hf-hub-template demo`, and run it: the adapter's answer is not the base model's. A gated or private
model (or base) needs HF_TOKEN: without it the app stops in one line saying so; with it, it answers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import assert_token_absent, check_keys, copier_jinja, fake_token, hub_env, render, run_cli
from hub_server import HubServer
from huggingface_hub.hf_api import ModelInfo

from hf_hub_template import demo

DEMO = copier_jinja().get_template("partials/demo.jinja").module
ADAPTER_FILES = ("README.md", "adapter_config.json", "adapter_model.safetensors")


def model(model_id: str, **fields: Any) -> ModelInfo:
    """A model as `model_info(expand=demo.EXPAND)` returns it: the Hub's JSON field names."""
    payload: dict[str, Any] = {"id": model_id, "private": False, "gated": False, **fields}
    return ModelInfo(**{key: value for key, value in payload.items() if value is not None})


def adapter_info(model_id: str = "acme/lora", **fields: Any) -> ModelInfo:
    """An adapter whose card names its base but no task and no datasets (as peft's own card)."""
    siblings = [{"rfilename": name} for name in ADAPTER_FILES]
    card = {"base_model": "acme/base", "library_name": "peft", "license": "mit"}
    return model(model_id, library_name="peft", cardData=card, siblings=siblings, **fields)


def base_info(model_id: str = "acme/base", parameters: int = 4_400_000, **fields: Any) -> ModelInfo:
    siblings = [{"rfilename": name} for name in ("config.json", "model.safetensors")]
    return model(
        model_id,
        pipeline_tag="text-classification",
        library_name="transformers",
        safetensors={"parameters": {"F32": parameters}, "total": parameters},
        siblings=siblings,
        **fields,
    )


# ------------------------------------------------------------------------------------------ plan
def test_an_adapter_runs_where_its_base_model_runs_and_does_its_task():
    chosen = demo.plan(adapter_info(), base=base_info())
    answers = chosen.answers
    assert answers["inference"] == "local" and answers["pipeline_tag"] == "text-classification"
    assert answers["library_name"] == "peft" and answers["models"] == "acme/lora,acme/base"
    assert "datasets" not in answers and "space_secrets" not in answers
    assert "task text-classification: its base model acme/base's pipeline_tag" in chosen.reasons
    assert any("4.4 M parameters (its base model acme/base, plus the adapter) fits" in r for r in chosen.reasons)
    check_keys(answers)
    # The adapter's own task wins over its base model's.
    assert demo.plan(adapter_info(pipeline_tag="fill-mask"), base=base_info()).answers["pipeline_tag"] == "fill-mask"


def test_a_big_base_model_decides_and_zerogpu_runs_an_adapter():
    big = base_info(parameters=8_000_000_000)
    with pytest.raises(demo.Refused, match=r"8\.0 B parameters \(its base model acme/base, plus the adapter\)"):
        demo.plan(adapter_info(), base=big)
    assert demo.plan(adapter_info(), base=big, gpu=True).answers["inference"] == "zerogpu"
    providers = {"inferenceProviderMapping": {"fal": {"status": "live", "providerId": "x", "task": "x"}}}
    assert demo.plan(adapter_info(**providers), base=big).answers["inference"] == "api"


def test_an_adapter_whose_base_is_not_on_the_hub_is_refused_saying_so():
    with pytest.raises(demo.Refused, match="PEFT adapter whose base model is not on the Hub.*acme/base"):
        demo.plan(adapter_info(pipeline_tag="text-classification"), base=None)
    with pytest.raises(demo.Refused, match="names no task"):  # no task of its own, and no base to take one from
        demo.plan(adapter_info(), base=None)


@pytest.mark.parametrize("locked", [{"gated": "manual"}, {"private": True}])
def test_a_gated_or_private_base_model_names_the_hf_token_secret(locked):
    chosen = demo.plan(adapter_info(), base=base_info(**locked))
    assert chosen.answers["space_secrets"] == "HF_TOKEN"
    note = next(line for line in chosen.reasons if line.startswith("space_secrets HF_TOKEN"))
    assert "acme/base is" in note and "read token of its own" in note and "never the one you publish" in note
    assert chosen.answers.get("visibility") == ("private" if "private" in locked else None)
    both = demo.plan(adapter_info(gated="auto"), base=base_info(**locked))
    assert "acme/lora is gated; acme/base is" in next(r for r in both.reasons if r.startswith("space_secrets"))


def test_a_model_that_is_no_adapter_records_no_library():
    answers = demo.plan(base_info(), base=None).answers
    assert "library_name" not in answers and answers["models"] == "acme/base"


# ---------------------------------------------------------------------------------------- render
def test_only_an_adapter_demo_that_runs_in_the_space_pins_peft(template, tmp_path):
    common = {"models": "acme/lora,acme/base", "pipeline_tag": "summarization"}
    adapter = render(template, tmp_path / "adapter", space_sdk="docker", library_name="peft", **common)
    plain = render(template, tmp_path / "plain", space_sdk="docker", **common)
    api = render(template, tmp_path / "api", library_name="peft", inference="api", **common)
    assert f"peft=={DEMO.demo_pins['peft']}" in (adapter / "requirements.txt").read_text()
    assert "peft" not in (plain / "requirements.txt").read_text() + (api / "requirements.txt").read_text()
    answers = [yaml.safe_load((p / ".copier-answers.yml").read_text()) for p in (adapter, plain, api)]
    assert [a.get("library_name") for a in answers] == ["peft", None, "peft"]
    # The Space fetches the adapter and its base when it builds (the plain demo: its one model).
    cards = [yaml.safe_load((p / "README.md").read_text().split("---")[1]) for p in (adapter, plain, api)]
    assert [c.get("preload_from_hub") for c in cards] == [["acme/lora", "acme/base"], ["acme/lora"], None]
    # The seq2seq kind loads the tokenizer itself: an adapter keeps its base model's.
    inference = (adapter / "inference.py").read_text()
    assert "from demo_model import BASE_MODEL_ID, MODEL_ID" in inference
    assert "AutoTokenizer.from_pretrained(BASE_MODEL_ID)" in inference
    assert "AutoTokenizer.from_pretrained(MODEL_ID)" in (plain / "inference.py").read_text()
    assert "base_model_of" in (adapter / "demo_model.py").read_text()
    assert "base_model_of" not in (plain / "demo_model.py").read_text() + (api / "demo_model.py").read_text()


def test_an_adapter_demo_keeps_its_library_through_an_update(template, tmp_path):
    from test_update import update

    project = render(template, tmp_path / "demo", models="acme/lora", library_name="peft")
    update(project)
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["library_name"] == "peft"
    assert "peft==" in (project / "requirements.txt").read_text()


# ------------------------------------------------------------------- the command, on the test Hub
def run_demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "demo", *args, timeout=300)


def adapter_config(base_id: str) -> bytes:
    return json.dumps({"peft_type": "LORA", "base_model_name_or_path": base_id, "task_type": "SEQ_CLS"}).encode()


def test_demo_reads_an_adapters_base_model_from_its_adapter_config(template, tmp_path, hub, token):
    """The base is adapter_config.json's (not the card's, which names another), read with one more model_info;
    its task and its gating come to the Space. A base that is not on the Hub is refused in one line."""
    weights = {"config.json": b"{}", "model.safetensors": b"\0" * 64}
    hub.seed("model", "acme/base", weights, pipeline_tag="text-classification", parameters=4_400_000, gated="auto")
    card = {"base_model": "acme/other", "library_name": "peft"}  # no task, no datasets
    files = {"adapter_config.json": adapter_config("acme/base"), "adapter_model.safetensors": b"\0" * 8}
    hub.seed("model", "acme/lora", files, card_data=card, library_name="peft")
    hub.seed("model", "acme/lost", {**files, "adapter_config.json": adapter_config("acme/gone")}, library_name="peft")
    env = hub_env(tmp_path, hub.url, token)
    dest = tmp_path / "space"

    result = run_demo(env, "acme/lora", str(dest), "--template", str(template), "--vcs-ref", "HEAD")

    assert result.returncode == 0, result.stderr
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["models"] == "acme/lora,acme/base" and answers["library_name"] == "peft"
    assert answers["pipeline_tag"] == "text-classification" and answers["inference"] == "local"
    assert answers["space_secrets"] == "HF_TOKEN" and not answers["datasets"]
    assert "space_secrets HF_TOKEN: acme/base is gated" in result.stdout
    assert "peft==" in (dest / "requirements.txt").read_text()
    asked = [r.path for r in hub.requests]
    assert "/api/models/acme/base" in asked and "/api/models/acme/other" not in asked
    assert_token_absent(token, result.stdout, result.stderr, hub=hub, folders=[dest])

    lost = run_demo(env, "acme/lost", str(tmp_path / "lost"), "--template", str(template))
    assert lost.returncode == 2 and "acme/gone" in lost.stderr and "Nothing was written" in lost.stderr
    assert len(lost.stderr.strip().splitlines()) == 1 and not (tmp_path / "lost").exists()


# --------------------------------------------------------------------------- the apps run, for real
BASE_ID = "tinyorg/tiny-text-classification"
ADAPTER_ID = "tinyorg/tiny-sentiment-lora"
GATED_BASE_ID = "tinyorg/tiny-gated-classifier"
GATED_ADAPTER_ID = "tinyorg/tiny-gated-base-lora"
PRIVATE_ADAPTER_ID = "tinyorg/tiny-private-lora"


@pytest.fixture(scope="module")
def adapter_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    """A tiny classifier and a real LoRA adapter of it; the same behind a gated base, and a private adapter.
    The adapters' cards name no task and no datasets (the Hub reads the task from nothing: the base has it)."""
    from tiny_models import adapter, build, folder_files

    root = tmp_path_factory.mktemp("adapters")
    base = build("text-classification", root / "base")
    with HubServer(token=fake_token()) as hub:
        for base_id, adapter_id, gated, private in (
            (BASE_ID, ADAPTER_ID, None, False),
            (GATED_BASE_ID, GATED_ADAPTER_ID, "manual", False),
            (BASE_ID, PRIVATE_ADAPTER_ID, None, True),
        ):
            if hub.repo("model", base_id) is None:
                hub.seed("model", base_id, folder_files(base), pipeline_tag="text-classification", gated=gated)
            files = folder_files(adapter(base, base_id, root / adapter_id.split("/")[1]))
            card = b"---\nlibrary_name: peft\nbase_model: " + base_id.encode() + b"\n---\n# A tiny LoRA\n"
            card_data = {"library_name": "peft", "base_model": base_id}
            hub.seed("model", adapter_id, {**files, "README.md": card}, private=private, card_data=card_data)
        yield hub


def demo_of(hub: HubServer, template: Path, tmp_path: Path, model_id: str, *args: str) -> Path:
    """The Space `hf-hub-template demo` renders for `model_id`, read from the test Hub with its token."""
    dest = tmp_path / "space"
    result = run_demo(
        hub_env(tmp_path, hub.url, hub.state.token), model_id, str(dest), *args, "--template", str(template)
    )
    assert result.returncode == 0, result.stderr
    return dest


def run_app_code(project: Path, tmp_path: Path, hub: HubServer, code: str, token: str | None):
    """`code` run in the project as the app runs in a new Space: HF_ENDPOINT at the test Hub, HF_TOKEN as given,
    and a cache of its own (not the one `demo` read the card into)."""
    env = {**hub_env(tmp_path / "app", hub.url, token), "HF_HUB_DISABLE_XET": "1", "TOKENIZERS_PARALLELISM": "false"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )


PREDICT = "from inference import predict; import json; print(json.dumps(predict('hello world')))"


@pytest.mark.slow
@pytest.mark.parametrize("sdk", ["gradio", "docker"])
def test_an_adapter_demo_loads_the_base_model_plus_the_adapter_and_answers(template, tmp_path, adapter_hub, sdk):
    project = demo_of(adapter_hub, template, tmp_path, ADAPTER_ID, "--sdk", sdk)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["pipeline_tag"] == "text-classification" and answers["inference"] == "local"
    assert answers["library_name"] == "peft" and not answers["datasets"]
    adapter_hub.clear_log()
    from test_demo_spaces import run_against

    run_against(adapter_hub, project, tmp_path)  # the project's own tests: the app starts and answers
    fetched = {r.path for r in adapter_hub.requests if r.endpoint == "resolve" and r.status == 200}
    assert any(p.endswith(f"{ADAPTER_ID}/resolve/{p.split('/')[4]}/adapter_model.safetensors") for p in fetched)
    assert any(BASE_ID in p and p.endswith("/model.safetensors") for p in fetched), "the base model was not loaded"
    # The adapter's head says POSITIVE whatever the text; the random base alone is a coin toss.
    said = run_app_code(project, tmp_path, adapter_hub, PREDICT, adapter_hub.state.token)
    assert said.returncode == 0, said.stderr[-2000:]
    assert json.loads(said.stdout.splitlines()[-1])["POSITIVE"] > 0.99


CHECK = "import demo_model; print(getattr(demo_model, 'BASE_MODEL_ID', demo_model.MODEL_ID))"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("model_id", "base_id", "said"),
    [
        (GATED_ADAPTER_ID, GATED_BASE_ID, f"{GATED_BASE_ID} is gated and HF_TOKEN is not set"),  # a gated base
        (PRIVATE_ADAPTER_ID, BASE_ID, f"{PRIVATE_ADAPTER_ID} cannot be loaded"),  # a private adapter
        (GATED_BASE_ID, GATED_BASE_ID, f"{GATED_BASE_ID} is gated and HF_TOKEN is not set"),  # a gated model
    ],
)
def test_a_gated_or_private_model_needs_hf_token_and_says_so(template, tmp_path, adapter_hub, model_id, base_id, said):
    """`demo` names the HF_TOKEN secret; the app without a token stops in one line naming it; with one it loads
    the model (an adapter: the base and the adapter) and answers (an adapter: as the adapter does)."""
    project = demo_of(adapter_hub, template, tmp_path, model_id)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["space_secrets"] == "HF_TOKEN"

    without = run_app_code(project, tmp_path, adapter_hub, CHECK, None)
    assert without.returncode == 1 and without.stdout == "", without.stdout
    assert len(without.stderr.strip().splitlines()) == 1, without.stderr
    assert said in without.stderr and "HF_TOKEN" in without.stderr, without.stderr

    with_token = run_app_code(project, tmp_path, adapter_hub, f"{CHECK}\n{PREDICT}", adapter_hub.state.token)
    assert with_token.returncode == 0, with_token.stderr[-2000:]
    loaded, answer = with_token.stdout.splitlines()[-2:]
    assert loaded == base_id
    labels = json.loads(answer)
    assert set(labels) == {"NEGATIVE", "POSITIVE"}
    if model_id != base_id:  # the adapter's head, applied
        assert labels["POSITIVE"] > 0.99


@pytest.mark.slow
def test_a_cached_adapter_whose_base_is_not_cached_says_the_hub_cannot_be_reached(template, tmp_path, adapter_hub):
    """The Hub unreachable, the adapter in the cache and its base not: the app loads nothing and says why in the
    words of the failure (the Hub cannot be reached), not "unset HF_HUB_OFFLINE", which the app set itself."""
    project = demo_of(adapter_hub, template, tmp_path, ADAPTER_ID)
    fetch = f"from huggingface_hub import snapshot_download; snapshot_download({ADAPTER_ID!r})"
    assert run_app_code(project, tmp_path, adapter_hub, fetch, None).returncode == 0
    env = {**hub_env(tmp_path / "app", "http://127.0.0.1:9", None), "HF_HUB_DISABLE_XET": "1"}
    offline = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert offline.returncode == 1, offline.stdout
    last = offline.stderr.strip().splitlines()[-1]
    assert f"{BASE_ID} cannot be loaded: the Hub (http://127.0.0.1:9) cannot be reached" in last, offline.stderr
    assert "HF_HUB_OFFLINE" not in last and "connect, or set MODEL_ID to a local folder" in last
