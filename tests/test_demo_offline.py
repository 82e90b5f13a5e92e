"""A demo whose model cannot be had says so in one line, within seconds (issue 26).

The rendered app imports demo_model.py first: before gradio, torch or transformers load, one bounded
request asks the Hub for the model. Unreachable (and not cached), not published, published without
weights, or (api) no token: the app stops with one line saying what is missing and what to do, and
no traceback. Before this, the same app retried for about 50 s and printed a 64-line traceback.

These apps stop before importing torch: the tests are fast. Only the cached model's run loads it.
"""

from __future__ import annotations

import ast
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import fake_token, hub_env, render
from hub_server import HubServer

BUDGET = 10.0  # seconds, from starting the app to its line (issue 26)


def closed_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo(template: Path, tmp_path: Path, sdk: str, inference: str = "local") -> Path:
    answers = {"space_sdk": sdk, "models": "acme/unpublished", "pipeline_tag": "text-classification"}
    return render(template, tmp_path / f"{sdk}-{inference}", inference=inference, **answers)


def start_command(project: Path, sdk: str) -> list[str]:
    """What the Space runs: `python app.py` for Gradio, the Dockerfile's uvicorn for FastAPI."""
    if sdk == "gradio":
        return [sys.executable, "app.py"]
    cmd = next(line for line in (project / "Dockerfile").read_text().splitlines() if line.startswith("CMD "))
    return [sys.executable, "-m", *json.loads(cmd[4:])]


def run_until_it_stops(project: Path, sdk: str, env: dict[str, str]) -> tuple[float, int, str]:
    """Start the app as the Space does; the seconds until it stopped, its exit code and its output."""
    env = {**env, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(closed_port())}
    env["GRADIO_ANALYTICS_ENABLED"] = "False"
    started = time.monotonic()
    try:
        result = subprocess.run(
            start_command(project, sdk), cwd=project, env=env, capture_output=True, text=True, timeout=90
        )
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"the app was still running after {expired.timeout} s: {expired.stderr!r}"[-2000:])
    return time.monotonic() - started, result.returncode, (result.stdout + result.stderr).strip()


def assert_one_line(seconds: float, code: int, output: str, *words: str) -> None:
    assert code != 0, output
    assert "Traceback" not in output and len(output.splitlines()) == 1, output
    assert all(word in output for word in words), output
    assert seconds < BUDGET, f"{seconds:.1f} s: {output}"


@pytest.mark.parametrize("sdk", ["gradio", "docker"])
def test_the_hub_unreachable_is_one_line_in_seconds(template, tmp_path, sdk):
    project = demo(template, tmp_path, sdk)
    env = hub_env(tmp_path, f"http://127.0.0.1:{closed_port()}", fake_token())
    seconds, code, output = run_until_it_stops(project, sdk, env)
    assert_one_line(seconds, code, output, "acme/unpublished", "cannot be reached", "not in this machine's cache")
    assert "set MODEL_ID to a local folder" in output


@pytest.mark.parametrize("sdk", ["gradio", "docker"])
def test_a_model_not_yet_published_is_one_line_in_seconds(template, tmp_path, sdk):
    project = demo(template, tmp_path, sdk)
    with HubServer(token=fake_token()) as hub:
        seconds, code, output = run_until_it_stops(project, sdk, hub_env(tmp_path, hub.url, hub.state.token))
        asked = [r.path for r in hub.requests]
    assert_one_line(seconds, code, output, f"acme/unpublished is not on the Hub ({hub.url}): publish it first")
    assert asked == ["/api/models/acme/unpublished"], "one request, not retried"


def test_a_model_without_weights_yet_is_one_line(template, tmp_path):
    project = demo(template, tmp_path, "gradio")
    with HubServer(token=fake_token()) as hub:
        hub.seed("model", "acme/unpublished", {"README.md": b"---\nlicense: mit\n---\n# Soon\n"})
        seconds, code, output = run_until_it_stops(project, "gradio", hub_env(tmp_path, hub.url, hub.state.token))
    assert_one_line(seconds, code, output, "acme/unpublished has no weights on the Hub yet: push the model's files")


def test_an_api_demo_says_what_it_misses_in_one_line(template, tmp_path):
    """Inference Providers need a token and the Hub; a dedicated endpoint (INFERENCE_URL) needs neither here."""
    project = demo(template, tmp_path, "gradio", "api")
    unreachable = f"http://127.0.0.1:{closed_port()}"
    seconds, code, output = run_until_it_stops(project, "gradio", hub_env(tmp_path, unreachable, None))
    assert_one_line(seconds, code, output, "No Hugging Face token", "Space secret HF_TOKEN")
    seconds, code, output = run_until_it_stops(project, "gradio", hub_env(tmp_path, unreachable, fake_token()))
    assert_one_line(seconds, code, output, "acme/unpublished cannot be called", "cannot be reached")
    with HubServer(token=fake_token()) as hub:
        env = hub_env(tmp_path, hub.url, hub.state.token)
        assert_one_line(*run_until_it_stops(project, "gradio", env), "acme/unpublished is not on the Hub")
        hub.seed("model", "acme/unpublished", {"README.md": b"# m\n"}, providers={})
        assert_one_line(*run_until_it_stops(project, "gradio", env), "No inference provider serves acme/unpublished")


def test_streamlit_shows_the_line_on_the_page(template, tmp_path):
    """A Streamlit app keeps serving: the page says the line (AppTest runs the script as a visit does)."""
    project = demo(template, tmp_path, "streamlit")
    visit = (
        "import json, time\nfrom streamlit.testing.v1 import AppTest\n"
        "started = time.monotonic()\napp = AppTest.from_file('app.py', default_timeout=60).run()\n"
        "print(json.dumps({'seconds': time.monotonic() - started, 'errors': [e.value for e in app.error],"
        " 'exception': [str(e.value) for e in app.exception]}))\n"
    )
    env = hub_env(tmp_path, f"http://127.0.0.1:{closed_port()}", fake_token())
    result = subprocess.run(
        [sys.executable, "-c", visit], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    page = json.loads(result.stdout.splitlines()[-1])
    assert not page["exception"], page
    (line,) = page["errors"]
    assert "acme/unpublished cannot be loaded" in line and "cannot be reached" in line and "\n" not in line
    assert page["seconds"] < BUDGET, page


@pytest.mark.slow  # loads the model with torch
def test_a_cached_model_runs_with_the_hub_unreachable(template, tmp_path):
    """The model is in the cache (the Space preloads it at build time): an unreachable Hub costs no retry."""
    from tiny_models import TASK_MODELS, build, folder_files

    model = TASK_MODELS["text-classification"]
    answers = {"space_sdk": "gradio", "models": model, "pipeline_tag": "text-classification"}
    project = render(template, tmp_path / "demo", inference="local", **answers)
    with HubServer(token=fake_token()) as hub:
        hub.seed("model", model, folder_files(build("text-classification", tmp_path / "model")))
        env = hub_env(tmp_path, hub.url, hub.state.token)
        code = "from huggingface_hub import snapshot_download as d; d(" + repr(model) + ")"
        subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    env["HF_ENDPOINT"] = f"http://127.0.0.1:{closed_port()}"
    ask = "import time; t = time.monotonic(); from inference import predict; print(predict('i love it')); "
    ask += "print(round(time.monotonic() - t, 1))"
    result = subprocess.run([sys.executable, "-c", ask], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "loads from the cache" in result.stderr and "Retrying" not in result.stderr, result.stderr[-3000:]
    assert set(ast.literal_eval(result.stdout.splitlines()[0])) == {"POSITIVE", "NEGATIVE"}
