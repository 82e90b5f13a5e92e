"""`hf-hub-template demo MODEL_ID [DEST]`: a demo Space's answers read from a model on the Hub.

`plan` is tested on `ModelInfo` objects built from the JSON the Hub answers (no server); one test runs the
command against the loopback test Hub and checks the rendered Space (its app is not run: tests/test_demo_spaces.py
runs every demo kind against tiny real models).
"""

from __future__ import annotations

import importlib.util
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import assert_token_absent, check_keys, copier_jinja, hub_env, run_cli
from huggingface_hub.hf_api import ModelInfo

from hf_hub_template import demo

DEMO = copier_jinja().get_template("partials/demo.jinja").module


def model(model_id: str = "acme/tiny-sentiment", **fields: Any) -> ModelInfo:
    """A model as `model_info(expand=demo.EXPAND)` returns it: the Hub's JSON field names."""
    payload: dict[str, Any] = {
        "id": model_id,
        "private": False,
        "gated": False,
        "pipeline_tag": "text-classification",
        "library_name": "transformers",
        "cardData": {"license": "mit", "datasets": ["acme/reviews"]},
        "safetensors": {"parameters": {"F32": 4_400_000}, "total": 4_400_000},
        "siblings": [{"rfilename": name} for name in ("README.md", "config.json", "model.safetensors")],
    }
    payload.update(fields)
    return ModelInfo(**{key: value for key, value in payload.items() if value is not None})


BIG = {"safetensors": {"parameters": {"BF16": 8_000_000_000}, "total": 8_000_000_000}}
PROVIDERS = {
    "inferenceProviderMapping": {"together": {"status": "live", "providerId": "x/y", "task": "conversational"}}
}


def test_demo_knows_the_tasks_the_template_demos():
    assert set(demo.TAILORED_TASKS) == set(DEMO.demo_kinds)
    assert demo.API_TASKS == set(DEMO.api_tasks)
    assert not set(demo.GENERIC_TASKS) & set(DEMO.demo_kinds)


def test_a_small_classifier_runs_locally_and_takes_its_card():
    chosen = demo.plan(
        model(), readme="---\nlicense: mit\n---\n# Tiny\n\nSorts [reviews](x) into *good* and bad. More.\n"
    )
    answers = chosen.answers
    assert answers["models"] == "acme/tiny-sentiment" and answers["pipeline_tag"] == "text-classification"
    assert answers["inference"] == "local" and answers["space_sdk"] == "gradio" and answers["repo_type"] == "space"
    assert answers["license"] == "mit" and answers["datasets"] == "acme/reviews"
    assert answers["title"] == "tiny-sentiment" and answers["short_description"] == "Sorts reviews into good and bad."
    assert "space_secrets" not in answers
    assert any(line.startswith("inference local: 4.4 M parameters fits") for line in chosen.reasons)
    assert all("\n" not in line for line in chosen.reasons)
    check_keys(answers)


def test_a_big_chat_model_served_by_a_provider_runs_on_the_api():
    chosen = demo.plan(model("acme/big-chat", pipeline_tag="text-generation", **BIG, **PROVIDERS))
    assert chosen.answers["inference"] == "api" and chosen.answers["pipeline_tag"] == "text-generation"
    reason = next(line for line in chosen.reasons if line.startswith("inference api"))
    assert "8.0 B parameters" in reason and "together" in reason
    check_keys(chosen.answers)


def test_a_big_model_no_provider_serves_is_refused_with_the_reason():
    with pytest.raises(demo.Refused, match=r"8\.0 B parameters is more than CPU basic.*no inference provider"):
        demo.plan(model("acme/big-chat", pipeline_tag="text-generation", **BIG))


def test_a_provider_in_staging_does_not_count():
    staging = {"inferenceProviderMapping": {"together": {"status": "staging", "providerId": "x", "task": "x"}}}
    with pytest.raises(demo.Refused, match="no inference provider serves it"):
        demo.plan(model(pipeline_tag="text-generation", **BIG, **staging))


def test_weight_bytes_decide_when_the_hub_counts_no_parameters():
    big_file = [{"rfilename": "config.json", "size": 700}, {"rfilename": "model.safetensors", "size": 4 * 10**9}]
    with pytest.raises(demo.Refused, match="4.0 GB of .safetensors weights"):
        demo.plan(model(safetensors=None, siblings=big_file))
    small = [{"rfilename": "config.json", "size": 700}, {"rfilename": "pytorch_model.bin", "size": 10**8}]
    assert demo.plan(model(safetensors=None, siblings=small)).answers["inference"] == "local"


def test_a_gpu_on_gradio_is_zerogpu_and_elsewhere_refused():
    chosen = demo.plan(model("acme/big-chat", pipeline_tag="text-generation", **BIG), gpu=True)
    assert chosen.answers["inference"] == "zerogpu"
    assert any(line.startswith("inference zerogpu") for line in chosen.reasons)
    check_keys(chosen.answers)
    with pytest.raises(demo.Refused, match="ZeroGPU, which is Gradio only"):
        demo.plan(model(**BIG), gpu=True, sdk="streamlit")


def diffusion(model_id: str, weights: dict[str, int], **fields: Any) -> ModelInfo:
    """A diffusers text-to-image repo: model_index.json and each component's files (`weights`), with their sizes;
    a LoRA's `weights` are one file at its root, with no model_index.json."""
    pipeline = {"model_index.json": 500, "unet/config.json": 900, "vae/config.json": 600}
    files = {"README.md": 900, **(pipeline if any("/" in name for name in weights) else {}), **weights}
    siblings = [{"rfilename": name, "size": size} for name, size in files.items()]
    return model(
        model_id, pipeline_tag="text-to-image", library_name="diffusers", safetensors=None, siblings=siblings, **fields
    )


SD = {  # Stable Diffusion 1.5's weights; the fp16 variants and the root's single-file checkpoint are not loaded
    "unet/diffusion_pytorch_model.safetensors": 3_438_000_000,
    "unet/diffusion_pytorch_model.fp16.safetensors": 1_719_000_000,
    "vae/diffusion_pytorch_model.safetensors": 335_000_000,
    "vae/diffusion_pytorch_model.bin": 335_000_000,
    "text_encoder/model.safetensors": 492_000_000,
    "v1-5-pruned.safetensors": 7_700_000_000,
}
TINY_SD = {"unet/diffusion_pytorch_model.safetensors": 90_000, "vae/diffusion_pytorch_model.safetensors": 60_000}
IMAGE_PROVIDERS = {
    "inferenceProviderMapping": {"fal-ai": {"status": "live", "providerId": "x/y", "task": "text-to-image"}}
}


def test_a_text_to_image_pipeline_runs_locally_only_when_tiny():
    tiny = demo.plan(diffusion("acme/tiny-sd", TINY_SD))
    assert tiny.answers["inference"] == "local" and tiny.answers["pipeline_tag"] == "text-to-image"
    assert any(line.startswith("inference local: 150.0 kB of weights, a tiny diffusion") for line in tiny.reasons)
    check_keys(tiny.answers)

    served = demo.plan(diffusion("acme/sd", SD, **IMAGE_PROVIDERS))
    assert served.answers["inference"] == "api"
    reason = next(line for line in served.reasons if line.startswith("inference api"))
    assert "4.3 GB of weights takes minutes per image on CPU basic" in reason and "fal-ai" in reason
    with pytest.raises(demo.Refused, match=r"4\.3 GB .* minutes per image.*no inference provider.*--gpu"):
        demo.plan(diffusion("acme/sd", SD))

    gpu = demo.plan(diffusion("acme/sd", SD), gpu=True)
    assert gpu.answers["inference"] == "zerogpu" and any(r.startswith("inference zerogpu") for r in gpu.reasons)
    with pytest.raises(demo.Refused, match="ZeroGPU, which is Gradio only"):
        demo.plan(diffusion("acme/sd", SD), gpu=True, sdk="docker")
    asked = demo.plan(diffusion("acme/sd", SD), inference="local")
    assert asked.answers["inference"] == "local"
    assert any(r.startswith("inference local: given; CPU basic takes minutes per image") for r in asked.reasons)


def test_a_text_to_image_lora_has_no_pipeline_to_run_here():
    lora = {"pytorch_lora_weights.safetensors": 20_000_000}
    with pytest.raises(demo.Refused, match="--gpu: .*no model_index.json"):
        demo.plan(diffusion("acme/pixel-lora", lora), gpu=True)
    with pytest.raises(demo.Refused, match="no model_index.json.*no inference provider serves it"):
        demo.plan(diffusion("acme/pixel-lora", lora))
    assert demo.plan(diffusion("acme/pixel-lora", lora, **IMAGE_PROVIDERS)).answers["inference"] == "api"


def test_no_task_is_refused_naming_what_to_pass():
    with pytest.raises(demo.Refused, match="names no task.*-d pipeline_tag=TASK"):
        demo.plan(model(pipeline_tag=None))
    with pytest.raises(demo.Refused, match="cannot serve text-to-video yet.*-d pipeline_tag=TASK"):
        demo.plan(model(pipeline_tag="text-to-video"))
    assert (
        demo.plan(model(pipeline_tag=None), data={"pipeline_tag": "fill-mask"}).answers["pipeline_tag"] == "fill-mask"
    )


def test_a_gated_or_private_model_names_the_hf_token_secret():
    for fields in ({"gated": "manual"}, {"private": True}):
        chosen = demo.plan(model(**fields))
        assert chosen.answers["space_secrets"] == "HF_TOKEN"
        note = next(line for line in chosen.reasons if line.startswith("space_secrets HF_TOKEN"))
        assert "read token of its own" in note and "--secrets-file" in note and "never the one you publish" in note
        assert chosen.answers.get("visibility") == ("private" if fields.get("private") else None)
        check_keys(chosen.answers)
    public_demo = demo.plan(model(private=True), data={"visibility": "public"})
    assert public_demo.answers["visibility"] == "public"


def test_a_peft_adapter_without_its_base_model_runs_only_where_a_provider_serves_it():
    """Without its base model's facts (read_base found none on the Hub) an adapter cannot run in the Space;
    tests/test_demo_adapters.py runs one that has them."""
    adapter = model(
        "acme/lora",
        pipeline_tag="text-generation",
        library_name="peft",
        cardData={"base_model": "acme/base", "license": "mit"},
        siblings=[{"rfilename": "adapter_config.json"}, {"rfilename": "adapter_model.safetensors"}],
    )
    with pytest.raises(demo.Refused, match="PEFT adapter whose base model is not on the Hub.*acme/base"):
        demo.plan(adapter)
    served = model(
        "acme/lora",
        pipeline_tag="text-generation",
        library_name="peft",
        cardData={"base_model": "acme/base"},
        **PROVIDERS,
    )
    assert demo.plan(served).answers["inference"] == "api"
    assert demo.plan(served).answers["library_name"] == "peft"  # recorded; an api demo installs no peft


def test_overrides_win():
    given = {"pipeline_tag": "token-classification", "license": "apache-2.0", "datasets": "", "title": "Mine"}
    chosen = demo.plan(model(**BIG, **PROVIDERS), sdk="docker", inference="local", data=given)
    answers = chosen.answers
    assert answers["space_sdk"] == "docker" and answers["inference"] == "local"
    assert answers["pipeline_tag"] == "token-classification" and answers["license"] == "apache-2.0"
    assert answers["datasets"] == "" and answers["title"] == "Mine"
    check_keys(answers)


def test_a_static_space_cannot_demo():
    with pytest.raises(demo.Refused, match="static Space"):
        demo.plan(model(), sdk="static")


def test_licences_the_hub_does_not_know_stay_the_default_and_other_keeps_its_name():
    assert "license" not in demo.plan(model(cardData={"license": "my-own"})).answers
    answers = demo.plan(model(cardData={"license": "other", "license_name": "acme-1.0"})).answers
    assert answers["license"] == "other" and answers["license_name"] == "acme-1.0"


def test_the_description_is_one_short_line():
    readme = "# T\n\n<!-- x -->\n\nThis\tmodel \x1b[31mlabels very long product reviews with their sentiment, fast.\n"
    text = demo.plan(model(), readme=readme).answers["short_description"]
    assert len(text) <= 60 and text.endswith("…") and not demo.CONTROL.search(text)
    boilerplate = "# Model Card\n\nThis model card has been automatically generated.\n"
    assert demo.plan(model(), readme=boilerplate).answers["short_description"] == (
        "A text-classification demo of tiny-sentiment"
    )


@pytest.mark.parametrize(
    ("task", "widget", "expected"),
    [
        ("text-classification", [{"text": "Great!", "example_title": "t"}, {"text": "Bad."}], ["Great!", "Bad."]),
        ("text-generation", [{"messages": [{"role": "user", "content": "Hi?"}]}, {"text": "Once"}], ["Hi?", "Once"]),
        ("question-answering", [{"text": "Who?", "context": "Ada."}, {"text": "No context"}], [["Who?", "Ada."]]),
        ("sentence-similarity", [{"source_sentence": "A", "sentences": ["B", 3, "C"]}], ["A", "B", "C"]),
        ("image-classification", [{"src": "https://example.com/cat.png"}], []),  # files: never fetched
        ("text-classification", [{"text": "a\x1b[2J\nb"}, {"text": "x" * 501}, "text", {"text": 7}], ["a [2J b"]),
        ("text-classification", {"text": "not a list"}, []),
        ("fill-mask", [{"text": f"{i} <mask>."} for i in range(9)], [f"{i} <mask>." for i in range(5)]),
    ],
)
def test_the_cards_widget_examples_are_the_demos_bounded_and_one_line(task, widget, expected):
    assert demo.widget_examples(widget, task) == expected


def test_widget_examples_come_before_the_datasets_rows_and_defaults_after_them():
    widget = [{"text": "Loved it."}]
    with_widget = demo.plan(model(cardData={"license": "mit", "datasets": ["acme/reviews"], "widget": widget}))
    assert with_widget.answers["demo_examples"] == ["Loved it."] and "datasets" not in with_widget.answers
    assert any(r.startswith("examples: 1 from the card's widget") for r in with_widget.reasons)
    without = demo.plan(model())  # no widget: the first dataset's rows, as before
    assert "demo_examples" not in without.answers and without.answers["datasets"] == "acme/reviews"
    given = demo.plan(model(cardData={"widget": widget}), data={"demo_examples": []})
    assert given.answers["demo_examples"] == []


@pytest.mark.parametrize(
    ("examples", "task", "refusal"),
    [
        (["a", "b"], "text-classification", ""),
        ([["q", "c" * 2000]], "question-answering", ""),
        ("a text", "text-classification", "a JSON list"),
        ({"text": "a"}, "text-classification", "a JSON list"),
        (["x"] * 11, "text-classification", "at most 10 examples"),
        (["ok", "a\nb"], "text-classification", "one-line texts only"),
        (["ok", 3], "text-classification", "one-line texts only"),
        (["x" * 501], "text-classification", "at most 500 characters"),
        (["q"], "question-answering", "each one [question, context]"),
        ([["q", "c" * 2001]], "question-answering", "at most 500 characters (contexts: 2,000)"),
    ],
)
def test_the_examples_question_refuses_what_the_app_cannot_show(examples, task, refusal):
    macro = copier_jinja().get_template("partials/demo_examples.jinja").module.examples_refusal
    said = str(macro(examples, task)).strip()
    assert (refusal in said and said) if refusal else said == ""
    if not refusal and task != "question-answering":  # what demo records always passes
        assert str(macro(demo.widget_examples([{"text": e} for e in examples], task), task)).strip() == ""


# ------------------------------------------------------------------------------------ the command
def run_demo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "demo", *args, cwd=Path.cwd(), timeout=300)


def card_of(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / "README.md").read_text().split("---")[1])


def rendered_rules(project: Path) -> Any:
    spec = importlib.util.spec_from_file_location("rendered_hub_rules", project / "tests" / "hub_rules.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_renders_a_gradio_space_from_a_model_on_the_hub(template, tmp_path, hub, token):
    readme = b"---\nlicense: mit\n---\n# tiny-sentiment\n\nTells happy reviews from sad ones.\n"
    files = {"README.md": readme, "config.json": b"{}", "model.safetensors": b"\0" * 64}
    card = {"license": "mit"}
    widget = [{"text": 'Loved it, "five stars"!', "example_title": "happy"}, {"text": "It's dull."}]
    hub.seed(
        "model",
        "acme/tiny-sentiment",
        files,
        card_data={**card, "widget": widget},
        pipeline_tag="text-classification",
        library_name="transformers",
        parameters=4_400_000,
    )
    hub.seed("model", "acme/no-task", files, card_data=card, library_name="transformers")
    env = hub_env(tmp_path, hub.url, token)
    dest = tmp_path / "space"

    result = run_demo(env, "acme/tiny-sentiment", str(dest), "--template", str(template), "--vcs-ref", "HEAD")

    assert result.returncode == 0, result.stderr
    assert "inference local: 4.4 M parameters fits the free CPU basic hardware" in result.stdout
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["models"] == "acme/tiny-sentiment" and answers["pipeline_tag"] == "text-classification"
    assert answers["inference"] == "local" and answers["space_sdk"] == "gradio" and answers["license"] == "mit"
    assert answers["short_description"] == "Tells happy reviews from sad ones."
    assert card_of(dest)["models"] == ["acme/tiny-sentiment"] and card_of(dest)["sdk"] == "gradio"
    assert 'MODEL_ID = os.environ.get("MODEL_ID", "acme/tiny-sentiment")' in (dest / "demo_model.py").read_text()
    # The card's widget examples are the app's examples, recorded as an answer.
    assert answers["demo_examples"] == ['Loved it, "five stars"!', "It's dull."]
    assert app_examples(dest) == answers["demo_examples"]
    assert rendered_rules(dest).check_repo(dest, "space") == []
    info = next(r for r in hub.requests if r.path == "/api/models/acme/tiny-sentiment")
    assert info.status == 200
    assert_token_absent(token, result.stdout, result.stderr, hub=hub, folders=[dest])

    # Refused in one line, exit 2, nothing written: a model without a task, a folder that exists.
    refused = run_demo(env, "acme/no-task", str(tmp_path / "other"), "--template", str(template))
    assert refused.returncode == 2 and "-d pipeline_tag=TASK" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and not (tmp_path / "other").exists()
    again = run_demo(env, "acme/tiny-sentiment", str(dest), "--template", str(template))
    assert again.returncode == 2 and "already exists" in again.stderr
    missing = run_demo(env, "acme/nothing", str(tmp_path / "none"), "--template", str(template))
    assert missing.returncode == 2 and "404" in missing.stderr and not (tmp_path / "none").exists()
    for said in (refused.stderr, missing.stderr):  # one sentence after the reason, whatever its last mark
        assert said.rstrip().endswith(". Nothing was written.") and ".." not in said and ".;" not in said, said


def test_demo_plans_a_text_to_image_space_from_a_diffusers_pipeline_on_the_hub(template, tmp_path, hub, token):
    """The Hub counts no parameters for a diffusers repo: the sizes of its components' files decide."""
    weights = {"unet/diffusion_pytorch_model.safetensors": 90_000, "vae/diffusion_pytorch_model.safetensors": 60_000}
    files = {"model_index.json": b"{}", "unet/config.json": b"{}", **{k: b"\0" * v for k, v in weights.items()}}
    card = {"license": "mit", "widget": [{"text": "A red fox in the snow"}]}
    hub.seed("model", "acme/tiny-sd", files, card_data=card, pipeline_tag="text-to-image", library_name="diffusers")
    dest = tmp_path / "space"

    result = run_demo(hub_env(tmp_path, hub.url, token), "acme/tiny-sd", str(dest), "--template", str(template))

    assert result.returncode == 0, result.stderr
    assert "inference local: 150.0 kB of weights, a tiny diffusion model CPU basic runs in seconds" in result.stdout
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["pipeline_tag"] == "text-to-image" and answers["inference"] == "local"
    assert f"diffusers=={DEMO.demo_pins['diffusers']}" in (dest / "requirements.txt").read_text()
    assert "gr.Image(" in (dest / "app.py").read_text() and app_examples(dest) == ["A red fox in the snow"]


def app_examples(project: Path) -> Any:
    """The value app.py gives EXAMPLES (a literal)."""
    import ast

    tree = ast.parse((project / "app.py").read_text())
    found = [n.value for n in tree.body if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "EXAMPLES"]
    assert len(found) == 1
    return ast.literal_eval(found[0])


def test_what_the_demo_strips_is_what_the_questions_refuse():
    """demo.CONTROL is a copy of partials/validators.jinja's control_characters: the same characters match."""
    import re

    refused = re.compile(copier_jinja().get_template("partials/validators.jinja").module.control_characters)
    assert all(bool(demo.CONTROL.match(chr(c))) == bool(refused.match(chr(c))) for c in range(0x10000))


# ------------------------------------------------------------------- copier copy, the task left empty
def test_a_copy_with_the_task_left_empty_takes_it_from_the_hub(template, tmp_path, hub, token):
    """`copier copy -d models=ID -d pipeline_tag=`: the copy task reads the model's task from the Hub and renders
    the demo for it before the first commit; when it cannot, the generic demo stays and one line says why."""
    from helpers import copier_copy, git

    files = {"README.md": b"---\nlicense: mit\n---\n# Tiny chat\n", "config.json": b"{}"}
    hub.seed("model", "acme/tiny-chat", files, card_data={"license": "mit"}, pipeline_tag="text-generation")
    env = hub_env(tmp_path, hub.url, None)
    dest = tmp_path / "filled"

    result = copier_copy(template, dest, env, models="acme/tiny-chat", pipeline_tag="")

    assert result.returncode == 0, result.stderr
    assert "pipeline_tag: text-generation, read from acme/tiny-chat on the Hub" in result.stderr
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["pipeline_tag"] == "text-generation" and answers["models"] == "acme/tiny-chat"
    assert 'TASK = "text-generation"' in (dest / "inference.py").read_text()
    assert 'api_name="/chat"' in (dest / "tests" / "test_app.py").read_text()  # the chat demo's own test
    assert git(dest, "status", "--porcelain") == "" and git(dest, "rev-list", "--count", "HEAD").strip() == "1"
    assert answers["_src_path"] == str(template)

    # Not on the Hub: the generic demo stays (the pipeline's own task), committed, and the line says what to run.
    # (With a token: without one, the Hub answers 401 for a missing repo, which huggingface_hub reads as not
    # found over https only; the test Hub is http.)
    with_token = hub_env(tmp_path, hub.url, token)
    missing = copier_copy(template, tmp_path / "generic", with_token, models="acme/not-there", pipeline_tag="")
    assert missing.returncode == 0, missing.stderr
    said = [line for line in missing.stderr.splitlines() if line.startswith("pipeline_tag:")]
    assert len(said) == 1 and "acme/not-there was not found" in said[0] and "-d pipeline_tag=TASK" in said[0]
    assert "TASK = None" in (tmp_path / "generic" / "inference.py").read_text()
    assert yaml.safe_load((tmp_path / "generic" / ".copier-answers.yml").read_text())["pipeline_tag"] == ""
    assert git(tmp_path / "generic", "status", "--porcelain") == ""

    # api cannot guess: refused before anything is written.
    refused = copier_copy(template, tmp_path / "api", env, models="acme/tiny-chat", pipeline_tag="", inference="api")
    assert refused.returncode != 0 and "api needs the task: name it" in refused.stderr
    assert not (tmp_path / "api").exists()


def test_a_repo_the_token_cannot_see_and_a_gated_one_are_said_as_such():
    """huggingface_hub raises RepositoryNotFoundError for a 401 or 404 on a repo (GatedRepoError, its subclass,
    for a gated one): the message says not found or gated, never that the token was refused."""
    import httpx
    from huggingface_hub.errors import GatedRepoError, RepositoryNotFoundError

    from hf_hub_template.hub.errors import explain

    response = httpx.Response(401, request=httpx.Request("GET", "https://hub.example/api/models/acme/m"))
    said = {
        kind.__name__: explain(kind("x", response=response), action="read", repo_id="acme/m", endpoint="https://h")
        for kind in (RepositoryNotFoundError, GatedRepoError)
    }
    assert "acme/m was not found on https://h (401); a private repo" in said["RepositoryNotFoundError"]
    assert "acme/m is gated (401): accept its conditions" in said["GatedRepoError"]
    assert not any("refused the token" in text for text in said.values())
