"""A demo is live only once it has answered: the test Hub runs a committed Space's app for real
(tests/space_runner.py), `live_answer` asks it one question with its first example, and
`demo MODEL_ID --publish` goes from the model to the printed answer on loopback.

The fast tests use apps that start in about a second (a FastAPI stand-in) or a few (a Gradio demo whose
model runs on an inference stand-in of the test Hub); the demos that import torch are marked slow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import assert_token_absent, copier_jinja, fake_token, hub_env, render
from helpers import run_cli as cli_process
from hub_server import HubServer

from hf_hub_template import live_answer
from hf_hub_template.live_answer import NotLive

DEMO = copier_jinja().get_template("partials/demo.jinja").module

STAND_IN = b"""import os
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Text(BaseModel):
    text: str


@app.get("/")
def index() -> dict:
    return {"greeting": os.environ.get("GREETING", "")}


@app.get("/examples")
def examples() -> dict:
    return {"examples": ["first \\x1b[31mexample", "second"]}


@app.post("/predict")
def predict(body: Text) -> dict:
    if os.environ.get("BROKEN"):
        raise RuntimeError("the model is not there")
    return {"result": {"echo": body.text, "label": "POSITIVE"}}
"""
DOCKERFILE = b'FROM python:3.12-slim\nCMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "7860"]\n'
DOCKER_CARD = b"---\nsdk: docker\napp_port: 7860\n---\n# stand-in\n"


@pytest.fixture
def running_hub() -> Iterator[HubServer]:
    """A test Hub that runs the Spaces committed to it (run_spaces), and kills them at teardown."""
    with HubServer(token=fake_token(), run_spaces=True) as hub:
        yield hub
    assert all(app.process is None or app.process.poll() is not None for app in hub.runner.apps.values())


def hf_api(hub: HubServer):
    from huggingface_hub import HfApi

    return HfApi(endpoint=hub.url, token=hub.state.token)


def commit_space(hub: HubServer, repo_id: str, files: dict[str, bytes], **create: object) -> None:
    from huggingface_hub import CommitOperationAdd

    api = hf_api(hub)
    if hub.repo("space", repo_id) is None:
        api.create_repo(repo_id, repo_type="space", **create)
    operations = [CommitOperationAdd(path, content) for path, content in files.items()]
    api.create_commit(repo_id, repo_type="space", operations=operations, commit_message="app")


def wait_stage(hub: HubServer, repo_id: str, timeout: float = 120) -> str:
    api, deadline = hf_api(hub), time.monotonic() + timeout
    while (stage := str(api.get_space_runtime(repo_id).stage)) in ("BUILDING", "APP_STARTING"):
        assert time.monotonic() < deadline, f"{repo_id} still {stage} after {timeout} s"
        time.sleep(0.2)
    return stage


# ------------------------------------------------------------------------------- the test Hub runs Spaces
def test_the_test_hub_runs_a_committed_docker_space_on_its_host(running_hub):
    hub = running_hub
    files = {"app.py": STAND_IN, "Dockerfile": DOCKERFILE, "README.md": DOCKER_CARD}
    variables = [{"key": "GREETING", "value": "hello from a variable"}]
    commit_space(hub, "fakeuser/stand-in", files, space_sdk="docker", space_variables=variables)
    assert wait_stage(hub, "fakeuser/stand-in") == "RUNNING"
    info = hf_api(hub).space_info("fakeuser/stand-in")
    assert info.subdomain == "fakeuser-stand-in"
    assert info.host.startswith("http://127.0.0.1:") and info.host != hub.url
    import urllib.request

    with urllib.request.urlopen(info.host) as page:
        assert b"hello from a variable" in page.read(), "the Space's variables are its app's environment"
    process = hub.runner.app("fakeuser/stand-in").process
    commit_space(hub, "fakeuser/stand-in", {"app.py": STAND_IN.replace(b"greeting", b"hello")})
    assert process.poll() is not None, "a new commit restarts the app"
    assert wait_stage(hub, "fakeuser/stand-in") == "RUNNING"


def test_an_app_that_exits_is_a_runtime_error_with_its_log(running_hub):
    hub = running_hub
    crash = b"import sys\nprint('loading the model')\nimport no_such_module_here\n"
    commit_space(hub, "fakeuser/crash", {"app.py": crash, "README.md": b"---\nsdk: gradio\n---\n"}, space_sdk="gradio")
    assert wait_stage(hub, "fakeuser/crash") == "RUNTIME_ERROR"
    runtime = hf_api(hub).get_space_runtime("fakeuser/crash")
    assert runtime.raw["errorMessage"].startswith("Exit code: 1. Reason: ModuleNotFoundError")
    log = "".join(hf_api(hub).fetch_space_logs("fakeuser/crash"))
    assert "loading the model" in log and "No module named 'no_such_module_here'" in log


def test_a_cmd_the_test_hub_does_not_run_is_a_build_error(running_hub):
    hub = running_hub
    files = {"Dockerfile": b'FROM scratch\nCMD ["sh", "-c", "echo hi"]\n', "README.md": DOCKER_CARD}
    commit_space(hub, "fakeuser/sh", files, space_sdk="docker")
    assert wait_stage(hub, "fakeuser/sh") == "BUILD_ERROR"
    assert "not sh" in hf_api(hub).get_space_runtime("fakeuser/sh").raw["errorMessage"]


def test_every_app_is_killed_when_the_hub_stops():
    with HubServer(token=fake_token(), run_spaces=True) as hub:
        files = {"app.py": STAND_IN, "Dockerfile": DOCKERFILE, "README.md": DOCKER_CARD}
        for name in ("one", "two"):
            commit_space(hub, f"fakeuser/{name}", files, space_sdk="docker")
        pids = [app.process.pid for app in hub.runner.apps.values()]
        assert len(pids) == 2
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


# ------------------------------------------------------------------------------------ live_answer, alone
def test_live_answer_asks_a_fastapi_app_with_its_first_example(running_hub):
    hub = running_hub
    files = {"app.py": STAND_IN, "Dockerfile": DOCKERFILE, "README.md": DOCKER_CARD}
    commit_space(hub, "fakeuser/api", files, space_sdk="docker")
    assert wait_stage(hub, "fakeuser/api") == "RUNNING"
    url, private = live_answer.space_host(hf_api(hub), "fakeuser/api")
    assert not private
    answer = live_answer.ask(url, space_sdk="docker", pipeline_tag="text-classification", timeout=30)
    assert answer.url == url + "predict"
    assert '"echo": "first \\u001b[31mexample"' in answer.text, "the first example was sent, as JSON"
    assert "\x1b" not in answer.shown() and "first" in answer.shown()


def test_an_app_that_fails_the_call_is_not_live(running_hub):
    hub = running_hub
    hub.runner.env["BROKEN"] = "1"
    files = {"app.py": STAND_IN, "Dockerfile": DOCKERFILE, "README.md": DOCKER_CARD}
    commit_space(hub, "fakeuser/broken", files, space_sdk="docker")
    assert wait_stage(hub, "fakeuser/broken") == "RUNNING"
    url, _ = live_answer.space_host(hf_api(hub), "fakeuser/broken")
    with pytest.raises(NotLive, match=r"predict answered HTTP 500"):
        live_answer.ask(url, space_sdk="docker", pipeline_tag="text-classification", timeout=30)


def test_nothing_answering_is_not_live():
    from test_generated_projects import free_port

    with pytest.raises(NotLive, match=r"did not answer \(URLError"):
        live_answer.ask(f"http://127.0.0.1:{free_port()}/", space_sdk="docker", pipeline_tag="x", timeout=5)


def test_made_inputs_are_a_real_png_and_wav():
    import io
    import wave

    from PIL import Image

    image = Image.open(io.BytesIO(live_answer.png_bytes()))
    image.load()
    assert image.size == (64, 48) and image.getpixel((3, 3)) == (200, 120, 40)
    with wave.open(io.BytesIO(live_answer.wav_bytes())) as wav:
        assert wav.getframerate() == 16000 and wav.getnframes() == 8000


def test_the_fastapi_bodies_follow_the_template_s_demo_kinds():
    """live_answer's task sets are the tasks partials/demo.jinja gives each kind of FastAPI route."""
    kinds = DEMO.demo_kinds
    assert {task for task, kind in kinds.items() if kind == "chat"} == live_answer.CHAT_TASKS
    assert {task for task, kind in kinds.items() if kind == "similarity"} == live_answer.SIMILARITY_TASKS
    assert {task for task, kind in kinds.items() if kind in DEMO.image_kinds} == live_answer.IMAGE_TASKS
    assert {task for task, kind in kinds.items() if kind == "speech"} == live_answer.SPEECH_TASKS
    assert {task for task, kind in kinds.items() if kind == "question-answering"} == live_answer.QUESTION_TASKS
    assert {task for task, kind in kinds.items() if kind == "text-to-image"} == live_answer.PICTURE_TASKS


def test_an_image_answer_is_said_in_words_never_as_its_bytes():
    import base64

    png = live_answer.png_bytes(64, 32)
    url = "data:image/png;base64," + base64.b64encode(png).decode()
    assert live_answer._picture_words(url) == f"a PNG image, 64x32 ({len(png)} bytes), as a data: URL"
    assert live_answer._picture_words("data:image/png;base64,@@@") == (
        "a data: URL whose base64 does not decode (data:image/png;base64)"
    )
    assert live_answer._picture_words("just text") == "just text"
    assert live_answer._image_words(b"\xff\xd8\xff" + b"\0" * 2000) == "a JPEG image (2.0 kB)"
    assert live_answer._image_words(b"<html>") == "a file of 6 bytes, not an image"


def test_live_answer_asks_a_gradio_demo_through_gradio_client(running_hub, template, tmp_path):
    """A rendered Gradio demo (its model on the test Hub's inference stand-in, so no torch) run by the test
    Hub: gradio_client sends the app's own first example to /predict."""
    hub = running_hub
    answers = {"space_sdk": "gradio", "models": "tinyorg/big", "pipeline_tag": "text-classification"}
    project = render(template, tmp_path / "demo", inference="api", datasets="", **answers)
    hub.runner.env.update(INFERENCE_URL=f"{hub.url}/inference/text-classification", HF_TOKEN=hub.state.token)
    files = {path.name: path.read_bytes() for path in project.iterdir() if path.is_file()}
    commit_space(hub, "fakeuser/gr", files, space_sdk="gradio")
    assert wait_stage(hub, "fakeuser/gr") == "RUNNING"
    url, _ = live_answer.space_host(hf_api(hub), "fakeuser/gr")
    hub.clear_log()
    answer = live_answer.ask(url, space_sdk="gradio", pipeline_tag="text-classification", timeout=60)
    assert answer.sent == 'the app\'s first example: ["I love this demo."]'
    assert '"label": "POSITIVE"' in answer.text and "0.75" in answer.text
    assert [r.endpoint for r in hub.requests if r.endpoint == "inference"] == ["inference"]


# --------------------------------------------------------------------------- demo MODEL_ID --publish, end to end
BIG = {"pipeline_tag": "text-classification", "library_name": "transformers", "parameters": 7_000_000_000}


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return cli_process(env, *args, stdin=subprocess.DEVNULL)


def seed_big_model(hub: HubServer, repo_id: str = "acme/big-sentiment") -> None:
    """A model too big for CPU basic that a provider serves: its demo runs on the api (no torch in the app), and
    the test Hub's inference stand-in answers for the provider."""
    readme = b"---\nlicense: mit\n---\n# big-sentiment\n\nTells happy reviews from sad ones.\n"
    files = {"README.md": readme, "config.json": b"{}"}
    providers = {"hf-inference": "text-classification"}
    hub.seed("model", repo_id, files, card_data={"license": "mit"}, providers=providers, **BIG)
    hub.runner.env.update(INFERENCE_URL=f"{hub.url}/inference/text-classification", HF_TOKEN=hub.state.token)


def demo_publish(hub: HubServer, template: Path, dest: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = hub_env(dest.parent, hub.url, hub.state.token)
    args = ["demo", "acme/big-sentiment", str(dest), "--template", str(template), "--vcs-ref", "HEAD"]
    return run_cli(env, *args, "--publish", "--poll-interval", "0.2", *extra)


def test_demo_publish_ends_with_the_app_s_own_answer(running_hub, template, tmp_path):
    hub = running_hub
    seed_big_model(hub)
    hub.runner.env.pop("HF_TOKEN")  # the app calls the provider with the Space's own secret, from --secrets-file
    secrets = tmp_path / "space.env"
    secrets.write_text(f"HF_TOKEN={hub.state.token}\n")  # the test Hub knows one token
    secrets.chmod(0o600)
    dest = tmp_path / "big-sentiment"
    result = demo_publish(hub, template, dest, "--secrets-file", str(secrets))
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "inference api:" in out and "fakeuser/big-sentiment is running after" in out
    assert "the secret HF_TOKEN has no value" not in out, "the Space got its HF_TOKEN from --secrets-file"
    assert 'with the app\'s first example: ["I love this demo."]' in out
    assert "It answered: " in out and '"label": "POSITIVE"' in out and "0.75" in out
    assert out.rstrip().endswith("The demo fakeuser/big-sentiment is live: it answered.")
    calls = [r for r in hub.requests if r.endpoint == "inference"]
    assert len(calls) == 1 and calls[0].status == 200, "the answer came from one call of the running app"
    assert hub.repo("space", "fakeuser/big-sentiment").settings == {"HF_TOKEN": hub.state.token}
    assert hub.calls().count("GET whoami") == 1, "the namespace is asked once (whoami is rate-limited)"
    assert hub.repo("space", "fakeuser/big-sentiment").files["app.py"] == (dest / "app.py").read_bytes()
    assert_token_absent(hub.state.token, out, result.stderr, folders=[dest])


def test_an_app_that_crashes_at_start_keeps_the_project_and_says_how_to_resume(running_hub, template, tmp_path):
    hub = running_hub
    seed_big_model(hub)
    hub.runner.python = [sys.executable, "-S"]  # no site-packages: the app's first import of a package fails
    dest = tmp_path / "big-sentiment"
    result = demo_publish(hub, template, dest)
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stderr
    missing = re.search(r"Reason: ModuleNotFoundError: No module named '(\w+)'", said)
    assert "stopped at RUNTIME_ERROR" in said and missing, said
    assert f"Likely cause: the app imports {missing[1]}, which requirements.txt does not install" in said
    assert f"Your project is intact in {dest}" in said and (dest / "app.py").is_file()
    resume = f"hf-hub-template publish {dest} --ask"
    assert said.rstrip().endswith(resume) and "is live: it answered" not in result.stdout
    # The fix (here: the packages come back) is pushed; the resume command watches again and asks.
    hub.runner.python = [sys.executable]
    repo = hub.repo("space", "fakeuser/big-sentiment")
    hub.runner.start(repo.repo_id, dict(repo.files), repo.sdk, repo.settings)
    env = hub_env(tmp_path, hub.url, hub.state.token)
    resumed = run_cli(env, *resume.split()[1:], "--poll-interval", "0.2")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "nothing to upload" in resumed.stdout and '"label": "POSITIVE"' in resumed.stdout
    assert "The demo fakeuser/big-sentiment is live: it answered." in resumed.stdout


def test_an_app_that_runs_but_fails_the_call_is_not_live(running_hub, template, tmp_path):
    hub = running_hub
    seed_big_model(hub)
    hub.runner.env["INFERENCE_URL"] = f"{hub.url}/inference/no-such-task"  # the provider answers 404
    dest = tmp_path / "big-sentiment"
    result = demo_publish(hub, template, dest)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "fakeuser/big-sentiment is running after" in result.stdout and "is live: it answered" not in result.stdout
    said = result.stderr
    assert "The demo fakeuser/big-sentiment runs but did not answer:" in said and "/predict" in said
    assert "Last lines of the run log:" in said and "404 Not Found" in said, "the app's own log says why"
    assert f"Your project is intact in {dest}" in said
    assert said.rstrip().endswith(f"hf-hub-template publish {dest} --ask")


@pytest.mark.slow  # each demo Space imports torch and transformers (25-60 s) and loads a tiny model
@pytest.mark.parametrize("sdk", ["gradio", "docker", "streamlit"])
def test_a_local_demo_of_a_tiny_model_answers_in_every_sdk(running_hub, template, tmp_path, sdk):
    from tiny_models import TASK_MODELS, build, folder_files

    hub = running_hub
    model = TASK_MODELS["text-classification"]
    files = folder_files(build("text-classification", tmp_path / "model"))
    hub.seed("model", model, files, pipeline_tag="text-classification", library_name="transformers", parameters=9_000)
    dest = tmp_path / f"tiny-{sdk}"
    env = hub_env(tmp_path, hub.url, hub.state.token)
    args = ["demo", model, str(dest), "--template", str(template), "--vcs-ref", "HEAD", "--sdk", sdk]
    result = run_cli(env, *args, "--publish", "--poll-interval", "0.5")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "inference local:" in out
    downloads = {r.path for r in hub.requests if r.endpoint == "resolve" and r.status == 200}
    if sdk == "streamlit":  # no API: the page answers, and the script (which loads the model) has not run
        assert "It answered: health: ok; the page answered" in out
        assert out.rstrip().endswith("fakeuser/tiny-streamlit is up, but no example ran: open its page and try one.")
        return
    assert "It answered: " in out and ("POSITIVE" in out or "NEGATIVE" in out)
    assert out.rstrip().endswith(f"The demo fakeuser/tiny-{sdk} is live: it answered.")
    assert any(model in path for path in downloads), "the Space's app downloaded its model from the test Hub"


@pytest.mark.slow  # each Space imports torch and transformers (or diffusers) and loads a tiny model
@pytest.mark.parametrize(
    "task",
    [
        "text-to-image",
        "zero-shot-classification",
        "question-answering",
        "fill-mask",
        "object-detection",
        "image-to-text",
    ],
)
def test_demo_publish_of_a_tiny_model_of_each_new_task_prints_the_apps_own_answer(
    running_hub, template, tmp_path, task
):
    """`demo MODEL_ID --publish` for a tiny real model whose card says its task: the Space is created, runs the
    model, and the command ends with what the running app answered to its first example (or an image made here)."""
    from tiny_models import TASK_MODELS, build, folder_files

    hub = running_hub
    model = TASK_MODELS[task]
    library = "diffusers" if task == "text-to-image" else "transformers"
    sized = {} if library == "diffusers" else {"parameters": 9_000}  # the Hub counts no diffusers parameters
    files = folder_files(build(task, tmp_path / "model"))
    card = f"---\npipeline_tag: {task}\nlibrary_name: {library}\nlicense: mit\n---\n# A tiny {task} model\n"
    files["README.md"] = card.encode()
    hub.seed("model", model, files, card_data={"license": "mit"}, pipeline_tag=task, library_name=library, **sized)
    name = model.split("/")[1]
    env = hub_env(tmp_path, hub.url, hub.state.token)
    args = ["demo", model, str(tmp_path / name), "--template", str(template), "--vcs-ref", "HEAD"]

    result = run_cli(env, *args, "--publish", "--poll-interval", "0.5")

    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert f"task {task}: the model's pipeline_tag" in out and "inference local:" in out
    answered = next(line for line in out.splitlines() if line.startswith("It answered: "))
    assert len(answered) > len("It answered: ") + 1  # a random captioner may say nothing: "(an empty text)"
    if task == "text-to-image":
        assert "a PNG image" in answered
    assert out.rstrip().endswith(f"The demo fakeuser/{name} is live: it answered.")
    downloads = {r.path for r in hub.requests if r.endpoint == "resolve" and r.status == 200}
    assert any(model in path for path in downloads), "the Space's app downloaded its model from the test Hub"


def test_asking_needs_the_wait_and_secrets_need_publish(tmp_path):
    env = hub_env(tmp_path, "http://127.0.0.1:9", None)
    secrets = tmp_path / "space.env"
    secrets.write_text("HF_TOKEN=x\n")
    demo = run_cli(env, "demo", "acme/model", str(tmp_path / "d"), "--secrets-file", str(secrets))
    assert demo.returncode == 2 and "--secrets-file gives the Space its secrets when it is created: add --publish" in (
        demo.stderr
    )
    asked = run_cli(env, "publish", str(tmp_path), "--ask", "--no-wait")
    assert asked.returncode == 2 and "drop --no-wait" in asked.stderr
    assert not (tmp_path / "d").exists()


@pytest.mark.slow  # eight rendered apps, each started by the test Hub (Gradio or uvicorn, no torch)
@pytest.mark.parametrize("sdk", ["gradio", "docker"])
@pytest.mark.parametrize(
    ("task", "sent", "answered"),
    [
        ("text-classification", "first example", "POSITIVE"),
        ("text-generation", "first example", "a reply from the stand-in"),
        ("image-classification", "a 64x48 PNG made here", "POSITIVE"),
        ("automatic-speech-recognition", "a 0.5 s WAV made here", "a transcript from the stand-in"),
        ("fill-mask", "first example", '"demo"'),
        ("zero-shot-classification", "first example", '"praise"'),
        ("question-answering", "first example", '"London"'),
        ("image-to-text", "a 64x48 PNG made here", "a caption from the stand-in"),
        ("object-detection", "a 64x48 PNG made here", "cat"),
        ("text-to-image", "first example", "a PNG image, 32x32"),
    ],
)
def test_each_kind_of_api_demo_answers_its_first_example_or_an_input_made_here(
    running_hub, template, tmp_path, monkeypatch, sdk, task, sent, answered
):
    """Rendered api demos (the provider is the test Hub's stand-in): a text demo gets the app's own first
    example, an image or speech demo without examples a file made here, in the body its SDK's route takes;
    the files made here are gone once it has answered."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    hub = running_hub
    answers = {"space_sdk": sdk, "models": "tinyorg/big", "pipeline_tag": task}
    project = render(template, tmp_path / "demo", inference="api", datasets="", **answers)
    hub.runner.env.update(INFERENCE_URL=f"{hub.url}/inference/{task}", HF_TOKEN=hub.state.token)
    files = {path.name: path.read_bytes() for path in project.iterdir() if path.is_file()}
    commit_space(hub, "fakeuser/kind", files, space_sdk=sdk)
    assert wait_stage(hub, "fakeuser/kind") == "RUNNING", hub.runner.app("fakeuser/kind").run_log()[-20:]
    url, _ = live_answer.space_host(hf_api(hub), "fakeuser/kind")
    answer = live_answer.ask(url, space_sdk=sdk, pipeline_tag=task, timeout=120)
    assert sent in answer.sent and answered in answer.text
    assert not list(scratch.glob("hf-demo-input-*")), "the PNG or WAV made for the call is left behind"
    calls = [r for r in hub.requests if r.endpoint == "inference"]
    assert len(calls) == 1 and calls[0].status == 200


def test_the_token_never_follows_a_redirect_to_another_host():
    """A private Space's token goes to the app only: a redirect elsewhere is refused, and carries no token."""
    import http.server
    import threading

    seen: list[str | None] = []

    class Elsewhere(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    elsewhere = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)

    class Redirects(Elsewhere):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.1:{elsewhere.server_port}/steal")
            self.end_headers()

    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirects)
    for server in (elsewhere, app):
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()  # quick shutdown()
    token = fake_token()
    try:
        with pytest.raises(NotLive, match="redirected elsewhere"):
            live_answer._http(f"http://127.0.0.1:{app.server_port}/", token=token, timeout=10)
    finally:
        app.shutdown()
        elsewhere.shutdown()
    assert seen == [f"Bearer {token}"], "the app got the token; nothing else was asked"


def test_an_empty_answer_is_said_in_words():
    said = live_answer.Answer("http://127.0.0.1:1/", "first example", " ").lines("acme/demo")
    assert said[1] == "It answered: (an empty text)" and said[2] == "The demo acme/demo is live: it answered."
