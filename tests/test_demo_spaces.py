"""Spaces that demo the user's model on the user's data.

Tiny random models (tests/tiny_models.py) and a tiny dataset are served by the loopback test Hub; each
task's app, in each SDK, is rendered and its own tests run twice. Offline: against an empty loopback Hub
that records every request, the project's tests pass on the stand-in they make themselves
(tests/stand_in.py: the same tiny model, or for `api` a loopback endpoint), the test that needs the real
model is skipped saying why, and nothing but that test's one check reaches the Hub. Then that test alone,
with HF_ENDPOINT pointing at the test Hub: the app downloads the model with the real libraries, loads it,
and answers a real call (gradio_client, Streamlit's AppTest, HTTP for FastAPI).
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import warm_python
import yaml
from helpers import copier_cli, copier_jinja, fake_token, hf_hub_template_cli, hub_env, render
from hub_server import HubServer
from test_generated_projects import run_project_tests
from tiny_models import DATASET_ID, STAND_IN, TASK_MODELS, build, dataset_files, folder_files, stand_in

DEMO = copier_jinja().get_template("partials/demo.jinja").module
FACTS = copier_jinja().get_template("partials/hub_facts.jinja").module
SDKS = ["gradio", "streamlit", "docker"]
TASKS = [task for task in TASK_MODELS if task != "translation"]  # translation: summarization's kind
GENERIC = "text-to-audio"  # a task with no demo of its own: the generic one (text in, raw output as JSON)
# The cases whose Pythons all start cold, through the real python: text-classification in Streamlit and Docker.
# Gradio's cold start is test_zerogpu_demo_runs_off_zerogpu_too's (the same text-classification app, its
# model call wrapped by `spaces`) and the screenshot's, so its local case runs warm too.
COLD = {("text-classification", "streamlit"), ("text-classification", "docker")}


@pytest.fixture(scope="session")
def demo_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubServer]:
    """A loopback Hub serving a tiny model for every demo task, and the tiny dataset."""
    root = tmp_path_factory.mktemp("tiny-models")
    with HubServer(token=fake_token()) as hub:
        for task, repo_id in TASK_MODELS.items():
            if hub.repo("model", repo_id) is None:
                hub.seed("model", repo_id, folder_files(build(task, root / repo_id.split("/")[1])))
        hub.seed("dataset", DATASET_ID, dataset_files())
        yield hub


@dataclass
class Warm:
    """Warm starts (tests/warm_python.py): the project's pytest and the app it starts fork from zygotes that
    imported torch, transformers, gradio, streamlit ... once. A zygote serves only its own environment, so each
    run gets the same one: one HF_HOME (emptied before each run, a fresh cache as before) and one empty
    recording Hub (its log cleared per run) for the offline pass."""

    folder: Path
    python: str
    empty: HubServer

    def env(self) -> dict[str, str]:
        return {warm_python.DIR_VAR: str(self.folder), warm_python.OWNER_VAR: str(os.getpid())}


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Warm]:
    folder = tmp_path_factory.mktemp("warm-python")
    with HubServer(token=fake_token()) as empty:
        yield Warm(folder, str(warm_python.make_bin(folder)), empty)
    warm_python.stop(folder)
    # One zygote per environment, 9 for the whole module; a value differing per test would start one per test.
    started = len(list(folder.glob("*.log")))
    assert started <= 12, f"{started} zygotes: an environment variable differs from run to run (see {folder})"


def demo_answers(sdk: str, task: str, inference: str = "local", with_data: bool = True) -> dict[str, Any]:
    return {
        "space_sdk": sdk,
        "models": TASK_MODELS.get(task, f"tinyorg/tiny-{task}"),
        "datasets": DATASET_ID if with_data else "",
        "pipeline_tag": task,
        "inference": inference,
    }


def run_against(
    hub: HubServer, project: Path, tmp_path: Path, *pytest_args: str, warm: Warm | None = None, **extra: str
) -> str:
    env = hub_env(tmp_path, hub.url, hub.state.token)
    env.update(HF_HUB_DISABLE_XET="1", TOKENIZERS_PARALLELISM="false", **extra)
    if warm:
        env.update(HF_HOME=str(warm.folder / "hf-home"), **warm.env())
        shutil.rmtree(warm.folder / "hf-home", ignore_errors=True)
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        return run_project_tests(project, *pytest_args, python=warm.python if warm else sys.executable)
    finally:
        os.environ.clear()
        os.environ.update(saved)


HUB_TEST = "test_demo_answers_with_the_hub_model"  # the rendered test that needs MODEL_ID


def run_offline(project: Path, tmp_path: Path, warm: Warm | None = None) -> None:
    """The project's whole `pytest`, its model on no Hub: an empty loopback Hub (it records every request)
    gets demo_model.py's one question from the skipped Hub model test, and nothing else."""
    model = yaml.safe_load((project / ".copier-answers.yml").read_text())["models"].split(",")[0].strip()
    with contextlib.nullcontext(warm.empty) if warm else HubServer(token=fake_token()) as empty:
        empty.clear_log()
        output = run_against(empty, project, tmp_path / "offline", "-rs", warm=warm)
        asked = [r.path.partition("?")[0] for r in empty.requests]
    skipped = [line for line in output.splitlines() if line.startswith("SKIPPED [1] tests/test_app.py")]
    assert "1 skipped" in output and len(skipped) == 1 and f"{model} is not on the Hub" in skipped[0], output[-3000:]
    assert asked == [f"/api/models/{model}"], asked


def run_hub_test(hub: HubServer, project: Path, tmp_path: Path, warm: Warm | None = None, **extra: str) -> None:
    """The project's Hub model test alone, against the test Hub: it runs, and passes."""
    output = run_against(hub, project, tmp_path, "-k", HUB_TEST, warm=warm, **extra)
    assert "1 passed" in output and "skipped" not in output, output[-3000:]


# ------------------------------------------------------------------------------------------ render
@pytest.mark.parametrize("sdk", SDKS)
@pytest.mark.parametrize("task", [*DEMO.demo_kinds, GENERIC])
def test_a_space_naming_a_model_renders_its_task_demo(template, tmp_path, sdk, task):
    answers = demo_answers(sdk, task)
    project = render(template, tmp_path / "demo", **answers)
    inference = (project / "inference.py").read_text()
    ast.parse(inference)
    assert f'"{answers["models"]}"' in (project / "demo_model.py").read_text()
    assert f'TASK = "{task}"' in inference and "from demo_model import MODEL_ID" in inference
    app = (project / "app.py").read_text()
    ast.parse(app)
    assert "from inference import" in app and "Hello" not in app
    assert "from examples import" in app
    card = yaml.safe_load((project / "README.md").read_text().split("---")[1])
    assert card["models"] == [answers["models"]] and card["datasets"] == [DATASET_ID]
    assert card["preload_from_hub"] == [answers["models"]]
    requirements = (project / "requirements.txt").read_text()
    assert f"torch=={DEMO.demo_pins['torch']}" in requirements
    assert f"transformers=={DEMO.demo_pins['transformers']}" in requirements
    assert f"datasets=={DEMO.demo_pins['datasets']}" in requirements
    assert "spaces==" not in requirements and "huggingface_hub==" not in requirements
    rendered = copier_jinja().get_template(STAND_IN).render(pipeline_tag=task, inference="local")
    assert (project / "tests" / "stand_in.py").read_text().rstrip() == rendered.rstrip()
    diffusers = f"diffusers=={DEMO.demo_pins['diffusers']}"  # only a text-to-image demo runs diffusers
    assert requirements.count("diffusers") == requirements.count(diffusers) == (task == "text-to-image")


def test_without_a_model_the_starter_stays(template, tmp_path):
    for sdk in SDKS:
        project = render(template, tmp_path / sdk, space_sdk=sdk, datasets=DATASET_ID)
        assert not (project / "inference.py").exists() and not (project / "examples.py").exists()
        assert "torch" not in (project / "requirements.txt").read_text()
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
        assert "inference" not in answers and "pipeline_tag" not in answers
        assert "preload_from_hub" not in (project / "README.md").read_text()


def test_a_model_without_a_dataset_uses_built_in_examples(template, tmp_path):
    answers = demo_answers("gradio", "text-classification", with_data=False)
    project = render(template, tmp_path / "demo", **answers)
    assert not (project / "examples.py").exists()
    assert "datasets" not in (project / "requirements.txt").read_text()
    assert "I love this demo." in (project / "app.py").read_text()


def test_api_installs_nothing_heavy_and_names_its_secret(template, tmp_path):
    project = render(template, tmp_path / "demo", **demo_answers("gradio", "text-generation", "api"))
    requirements = (project / "requirements.txt").read_text()
    assert "torch" not in requirements and "transformers" not in requirements
    assert f"huggingface_hub=={DEMO.demo_pins['huggingface_hub']}" in requirements
    assert "InferenceClient(" in (project / "inference.py").read_text()
    assert "preload_from_hub" not in (project / "README.md").read_text()
    assert "HF_TOKEN" in (project / "README.md").read_text()


def test_zerogpu_wraps_inference_and_asks_for_its_hardware(template, tmp_path):
    project = render(template, tmp_path / "demo", **demo_answers("gradio", "text-classification", "zerogpu"))
    inference = (project / "inference.py").read_text()
    assert inference.index("import spaces") < inference.index("import torch")
    assert "@spaces.GPU\ndef predict(" in inference
    assert f"spaces=={DEMO.demo_pins['spaces']}" in (project / "requirements.txt").read_text()
    card = yaml.safe_load((project / "README.md").read_text().split("---")[1])
    assert card["python_version"] in FACTS.zerogpu_pythons
    assert FACTS.zerogpu_hardware in (project / "README.md").read_text()


def test_a_private_space_does_not_preload_and_allows_a_longer_start(template, tmp_path):
    project = render(template, tmp_path / "demo", private=True, **demo_answers("gradio", "text-classification"))
    card = yaml.safe_load((project / "README.md").read_text().split("---")[1])
    assert "preload_from_hub" not in card and card["startup_duration_timeout"] == "1h"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (demo_answers("streamlit", "text-classification", "zerogpu"), "ZeroGPU is Gradio only"),
        (
            {**demo_answers("gradio", "text-classification", "zerogpu"), "python_version": "3.11"},
            "ZeroGPU: Python 3.10 or 3.12",
        ),
        ({**demo_answers("docker", "text-classification"), "python_version": "3.10"}, "torch needs Python 3.11+"),
        (demo_answers("gradio", GENERIC, "api"), "api can't serve it; use local"),
    ],
)
def test_bad_inference_choices_are_refused_at_the_prompt(template, tmp_path, answers, message):
    data = [arg for key, value in answers.items() for arg in ("-d", f"{key}={value}")]
    result = subprocess.run(
        [
            *copier_cli(),
            "copy",
            "--trust",
            "--defaults",
            "--vcs-ref",
            "HEAD",
            *data,
            str(template),
            str(tmp_path / "demo"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and message in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "demo").exists() or not any((tmp_path / "demo").iterdir())


def test_the_pins_are_the_versions_the_suite_runs():
    for package in ("torch", "transformers", "peft", "datasets", "huggingface_hub", "spaces", "pillow", "diffusers"):
        assert metadata.version(package) == DEMO.demo_pins[package], package


# ------------------------------------------------------------------------- the apps run, for real
@pytest.mark.slow
@pytest.mark.parametrize("sdk", SDKS)
@pytest.mark.parametrize("task", TASKS)
def test_each_task_demo_loads_its_model_and_answers(template, tmp_path, demo_hub, warm, sdk, task):
    project = render(template, tmp_path / "demo", **demo_answers(sdk, task))
    warm_or_cold = None if (task, sdk) in COLD else warm
    run_offline(project, tmp_path, warm_or_cold)
    demo_hub.clear_log()
    run_hub_test(demo_hub, project, tmp_path, warm_or_cold)
    fetched = {r.path for r in demo_hub.requests if r.endpoint == "resolve" and r.status == 200}
    assert any(TASK_MODELS[task] in path for path in fetched), "the app did not download its model"
    assert any(DATASET_ID in path for path in fetched), "the app did not read its dataset"


def test_none_keeps_the_starter_app(template, tmp_path):
    project = render(template, tmp_path / "demo", **demo_answers("gradio", "text-classification", "none"))
    assert not (project / "inference.py").exists() and "def greet(" in (project / "app.py").read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["inference"] == "none" and "pipeline_tag" not in answers
    assert yaml.safe_load((project / "README.md").read_text().split("---")[1])["models"] == [
        TASK_MODELS["text-classification"]
    ]


@pytest.mark.parametrize("sdk", SDKS)
def test_update_from_the_last_release_keeps_a_space_s_own_app(versions, tmp_path, sdk):
    """A 1.0.0 Space that named a model had the starter app, maybe edited: the update must not replace it."""
    from helpers import PREVIOUS_VERSION, git, tracked_files
    from test_update import update

    answers = {"space_sdk": sdk, "models": "acme/model", "datasets": "acme/data"}
    project = render(versions, tmp_path / "demo", vcs_ref=PREVIOUS_VERSION, **answers)
    app = project / "app.py"
    app.write_text(app.read_text() + "\n# my own change\n")
    git(project, "commit", "-qam", "my change")
    update(project)
    assert app.read_text().endswith("# my own change\n") and "from inference import" not in app.read_text()
    assert not (project / "inference.py").exists() and "inference.py" not in tracked_files(project)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["inference"] == "none"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sdk", "task"), [(sdk, task) for sdk in SDKS for task in DEMO.api_tasks if task != "translation"]
)
def test_api_demos_call_inference_with_the_space_token(template, tmp_path, demo_hub, warm, sdk, task):
    """`api` sends each call to the inference route (the test Hub's stand-in, through INFERENCE_URL) with
    HF_TOKEN, and shows what it answers; nothing downloads the model. Offline, the project's own loopback
    endpoint (tests/stand_in.py) takes the calls, with a token the test makes."""
    answers = demo_answers(sdk, task, "api", with_data=False)
    project = render(template, tmp_path / "demo", **answers)
    warm_or_cold = None if (task, sdk) in COLD else warm
    run_offline(project, tmp_path, warm_or_cold)
    demo_hub.clear_log()
    run_hub_test(demo_hub, project, tmp_path, warm_or_cold, INFERENCE_URL=f"{demo_hub.url}/inference/{task}")
    calls = [r for r in demo_hub.requests if r.endpoint == "inference"]
    assert calls and all(r.status == 200 and r.authorization == f"Bearer {demo_hub.state.token}" for r in calls)
    assert not [r for r in demo_hub.requests if r.endpoint == "resolve"], "api must not download the model"


@pytest.mark.parametrize("task", [task for task in DEMO.api_tasks if task in TASK_MODELS])
def test_the_api_stand_in_answers_as_the_test_hub_does(task):
    """A project's loopback endpoint (stand_in.py, for `api`) answers each task as the suite's test Hub does,
    and keeps the Authorization header of each call."""
    import json
    import urllib.request

    def answer(url: str, token: str) -> Any:
        request = urllib.request.Request(url, data=b"{}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body, content_type = response.read(), response.headers["Content-Type"]
        return json.loads(body) if content_type == "application/json" else (content_type, body)

    with HubServer(token=fake_token()) as hub, stand_in(task, "api").Endpoint() as endpoint:
        assert answer(endpoint.url, endpoint.token) == answer(f"{hub.url}/inference/{task}", hub.state.token)
    assert endpoint.authorizations == [f"Bearer {endpoint.token}"]
    assert endpoint.env()["INFERENCE_URL"] == endpoint.url and endpoint.env()["HF_TOKEN"] == endpoint.token


@pytest.mark.slow
def test_zerogpu_demo_runs_off_zerogpu_too(template, tmp_path, demo_hub):
    """The registry's `spaces` package: off ZeroGPU its decorator runs the function as is, on CPU."""
    project = render(template, tmp_path / "demo", **demo_answers("gradio", "text-classification", "zerogpu"))
    run_offline(project, tmp_path)
    run_hub_test(demo_hub, project, tmp_path)


@pytest.mark.slow
def test_gradio_demo_screenshot(template, tmp_path, demo_hub):
    """What a person sees: the demo with the dataset's rows as examples, answering one (docs/demo-gradio.png
    is a copy of test-artifacts/demo-gradio.png)."""
    from playwright.sync_api import expect
    from test_generated_projects import ARTIFACTS, app_page, free_port

    answers = {**demo_answers("gradio", "text-classification"), "title": "Review Sentiment"}
    project = render(template, tmp_path / "sentiment-demo", **answers)
    port = free_port()
    env = hub_env(tmp_path, demo_hub.url, demo_hub.state.token)
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port), GRADIO_ANALYTICS_ENABLED="False")
    with app_page(project, [sys.executable, "app.py"], f"http://127.0.0.1:{port}/", env) as page:
        page.goto(f"http://127.0.0.1:{port}/")
        expect(page.get_by_text("Review Sentiment").first).to_be_visible(timeout=120_000)
        page.get_by_text("i love this demo").first.click()  # the dataset's first row, offered as an example
        expect(page.get_by_label("Text")).to_have_value("i love this demo", timeout=30_000)
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_text("POSITIVE").first).to_be_visible(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "demo-gradio.png"), full_page=True)
    assert (ARTIFACTS / "demo-gradio.png").stat().st_size > 10_000


@pytest.mark.slow  # builds every tiny model (imports torch) for the loopback Hub
def test_an_unreadable_dataset_leaves_no_examples_and_says_why(template, tmp_path, demo_hub):
    answers = {**demo_answers("gradio", "text-classification"), "datasets": "tinyorg/no-such-data"}
    project = render(template, tmp_path / "demo", **answers)
    env = {**hub_env(tmp_path, demo_hub.url, demo_hub.state.token), "HF_HUB_DISABLE_XET": "1"}
    code = "import examples; print(repr(examples.EXAMPLES)); print(examples.PROBLEM)"
    result = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "[]" in result.stdout.splitlines()
    assert "No examples: tinyorg/no-such-data could not be read (DatasetNotFoundError" in result.stdout
    good = subprocess.run(
        [sys.executable, "-c", code], cwd=project, env={**env, "DATASET_ID": DATASET_ID}, capture_output=True, text=True
    )
    assert good.stdout.splitlines()[0].startswith("['i love this demo', 'this model is bad'"), good.stdout


@pytest.mark.slow  # runs the rendered project's examples.py (imports datasets and Pillow)
def test_an_image_demo_s_example_files_are_gone_when_the_app_exits(template, tmp_path):
    """An image demo saves its dataset's images as files for Gradio's examples: only when a row has an image, and
    in a folder removed when the app exits (every local run and Space restart starts the app again)."""
    project = render(template, tmp_path / "demo", **demo_answers("gradio", "image-classification"))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    code = (
        "import glob, os, tempfile, examples; from PIL import Image; "
        "none = examples.image_files([{'text': 'no image'}]); "
        "made = glob.glob(os.path.join(tempfile.gettempdir(), 'examples-*')); "
        "paths = examples.image_files([{'text': 'none'}, {'label': 1, 'image': Image.new('RGB', (8, 6))}]); "
        "print(examples.EXAMPLES, none, made, [os.path.basename(p) for p in paths if os.path.isfile(p)])"
    )
    env = {**hub_env(tmp_path, "http://127.0.0.1:9", None), "HF_HUB_OFFLINE": "1", "TMPDIR": str(scratch)}
    result = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # The dataset offline: no rows; rows without an image: no folder; one image: its file, while the app runs.
    assert result.stdout.split("\n")[-2] == "[] [] [] ['example-1.png']", result.stdout
    assert not list(scratch.glob("examples-*")), "the example files outlived the app"


def test_publish_asks_for_zerogpu_hardware_in_the_creation_request(template, tmp_path):
    import json

    from helpers import ROOT

    project = render(template, tmp_path / "demo", **demo_answers("gradio", "text-classification", "zerogpu"))
    with HubServer(token=fake_token()) as hub:
        env = hub_env(tmp_path, hub.url, hub.state.token)
        result = subprocess.run(
            [*hf_hub_template_cli(), "publish", str(project), "--no-wait"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        (create,) = [json.loads(r.body) for r in hub.requests if r.endpoint == "create"]
    assert create["hardware"] == FACTS.zerogpu_hardware and create["sdk"] == "gradio"
