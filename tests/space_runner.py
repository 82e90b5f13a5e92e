"""The test Hub's Space runtime: a committed Space's app started from its committed files, in the test
environment, on a free loopback port (tests/hub_server.py, `HubServer(run_spaces=True)`).

What the Hub does with a Space, done on this machine: the files of the last commit are written to a
folder, and the app is started as its SDK starts it (Gradio: `python app.py` with GRADIO_SERVER_PORT;
a Docker Space: the Dockerfile's CMD, uvicorn or streamlit, on the card's app_port moved to a free port;
Streamlit: `streamlit run`). The packages are the test environment's (nothing is installed from
requirements.txt). The runtime stage follows the process: BUILDING until it is started, APP_STARTING
until its port answers HTTP, RUNNING; RUNTIME_ERROR with its log when it exits.

Only the launchers a Space template uses are run (python, uvicorn, streamlit); any other CMD is a
BUILD_ERROR saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import yaml

DEFAULT_APP_PORT = 7860  # a Docker Space's port when the card names no app_port (hub-spec.md)
STREAMLIT_HEALTH = "_stcore/health"
LAUNCHERS = {"python": [], "python3": [], "uvicorn": ["-m", "uvicorn"], "streamlit": ["-m", "streamlit"]}
BUILD_LOG = ["test Hub: no image is built; the test environment's packages stand in for requirements.txt"]
STOP_SECONDS = 10
# The interpreter new runners start apps with: this one, or (conftest) a warm shim whose zygote imported
# Gradio, FastAPI and huggingface_hub once (tests/warm_python.py, APP_PRELOAD).
APP_PYTHON = [sys.executable]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def card_of(files: dict[str, bytes]) -> dict[str, object]:
    """The YAML block of the committed README.md ({} when there is none or it does not parse)."""
    text = files.get("README.md", b"").decode("utf-8", "replace")
    match = re.match(r"\A---\r?\n(.*?)\r?\n---", text, re.S)
    try:
        card = yaml.safe_load(match.group(1)) if match else {}
    except yaml.YAMLError:
        return {}
    return card if isinstance(card, dict) else {}


class NotRunnable(Exception):
    """The Space cannot be started here; the message is its build log's last line."""


def app_command(
    files: dict[str, bytes], sdk: str | None, port: int, python: list[str] | None = None
) -> tuple[list[str], str]:
    """The command that starts the Space's app on `port` with `python` (this interpreter by default), and
    the URL path that answers once it is up."""
    python = python or [sys.executable]
    card = card_of(files)
    sdk = str(card.get("sdk") or sdk or "")
    app_file = str(card.get("app_file") or "app.py")
    if sdk == "gradio":
        if app_file not in files:
            raise NotRunnable(f"no {app_file} in the Space (the card's app_file)")
        return [*python, app_file], ""
    if sdk == "streamlit":
        server = ["--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        return [*python, "-m", "streamlit", "run", app_file, *server], STREAMLIT_HEALTH
    if sdk == "docker":
        return _docker_command(files, card, port, python)
    raise NotRunnable(f"the test Hub runs Gradio, Streamlit and Docker Spaces, not {sdk or 'no SDK'}")


def _docker_command(
    files: dict[str, bytes], card: dict[str, object], port: int, python: list[str]
) -> tuple[list[str], str]:
    lines = files.get("Dockerfile", b"").decode("utf-8", "replace").splitlines()
    cmds = [line[len("CMD ") :] for line in lines if line.startswith("CMD ")]
    if not cmds:
        raise NotRunnable("the Dockerfile has no CMD")
    try:
        command = json.loads(cmds[-1])
    except json.JSONDecodeError:
        raise NotRunnable("the test Hub runs a CMD in exec form only (a JSON list)") from None
    if not (isinstance(command, list) and command and all(isinstance(word, str) for word in command)):
        raise NotRunnable("the Dockerfile's CMD is not a list of words")
    if command[0] not in LAUNCHERS:
        raise NotRunnable(f"the test Hub runs {', '.join(LAUNCHERS)} CMDs, not {command[0]}")
    app_port = str(card.get("app_port") or DEFAULT_APP_PORT)
    moved = []
    for word in command[1:]:
        word = word.replace("0.0.0.0", "127.0.0.1")  # noqa: S104 (rewritten to loopback)
        if word == app_port:
            word = str(port)
        elif word.endswith("=" + app_port):
            word = word[: -len(app_port)] + str(port)
        moved.append(word)
    health = STREAMLIT_HEALTH if command[0] == "streamlit" else ""
    if command[0] == "streamlit":
        moved.append("--server.headless=true")
    return [*python, *LAUNCHERS[command[0]], *moved], health


@dataclass
class SpaceApp:
    """One Space's app process (or why it could not start)."""

    repo_id: str
    folder: Path
    port: int
    process: subprocess.Popen[bytes] | None
    log_path: Path
    health_path: str = ""
    build_error: str = ""
    ready: bool = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stage(self) -> str:
        if self.build_error:
            return "BUILD_ERROR"
        assert self.process is not None
        if self.process.poll() is not None:
            return "RUNTIME_ERROR"
        if not self.ready:
            self.ready = _answers(f"{self.url}/{self.health_path}")
        return "RUNNING" if self.ready else "APP_STARTING"

    def error_message(self) -> str:
        if self.build_error:
            return self.build_error
        if self.process is None or self.process.poll() is None:
            return ""
        last = next((line for line in reversed(self.run_log()) if line.strip()), "")
        return f"Exit code: {self.process.returncode}. Reason: {last}"

    def run_log(self) -> list[str]:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []

    def build_log(self) -> list[str]:
        return [*BUILD_LOG, *([f"ERROR: {self.build_error}"] if self.build_error else [])]

    def stop(self) -> None:
        """The app and every process it started (its own process group): SIGTERM, then SIGKILL."""
        if self.process is None or self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, STOP_SECONDS), (signal.SIGKILL, STOP_SECONDS)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                return
            except subprocess.TimeoutExpired:
                continue


def _answers(url: str) -> bool:
    """Whether an HTTP server answers at `url` (any status: the port is served)."""
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a loopback URL this module made)
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


@dataclass
class SpaceRunner:
    """Every Space app the test Hub started; `stop_all` ends them and removes their folders."""

    hub_url: str
    env: dict[str, str] = field(default_factory=dict)  # added to every app's environment (a test's stand-ins)
    # The interpreter the apps run with: a test may take packages away ([python, "-S"]: no site-packages).
    python: list[str] = field(default_factory=lambda: list(APP_PYTHON))
    apps: dict[str, SpaceApp] = field(default_factory=dict)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="test-hub-spaces-")))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def start(self, repo_id: str, files: dict[str, bytes], sdk: str | None, settings: dict[str, str]) -> SpaceApp:
        """(Re)start the Space's app from `files`, with its secrets and variables (`settings`) in its env."""
        with self.lock:
            old = self.apps.pop(repo_id, None)
            if old is not None:
                old.stop()
            folder = self.root / repo_id.replace("/", "--") / "app"
            if folder.parent.exists():
                shutil.rmtree(folder.parent)
            for path, content in files.items():
                target = folder / path
                if ".." in Path(path).parts or not target.resolve().is_relative_to(folder.resolve()):
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content)
            folder.mkdir(parents=True, exist_ok=True)
            port = free_port()
            log_path = folder.parent / "run.log"
            app = SpaceApp(repo_id, folder, port, None, log_path)
            try:
                command, app.health_path = app_command(files, sdk, port, self.python)
            except NotRunnable as why:
                app.build_error = str(why)
                self.apps[repo_id] = app
                return app
            env = self._env(repo_id, folder.parent / "hf-home", port, settings)
            with log_path.open("wb") as log:
                app.process = subprocess.Popen(  # noqa: S603 (a launcher from LAUNCHERS, run on loopback)
                    command,
                    cwd=folder,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: stop() ends its children too
                )
            self.apps[repo_id] = app
            return app

    def _env(self, repo_id: str, hf_home: Path, port: int, settings: dict[str, str]) -> dict[str, str]:
        own = ("HF_", "HUGGING_FACE", "GRADIO_", "STREAMLIT_", "SPACE_")
        env = {key: value for key, value in os.environ.items() if not key.startswith(own)}
        env.update(
            HF_ENDPOINT=self.hub_url,
            HF_HOME=str(hf_home),
            HF_HUB_DISABLE_TELEMETRY="1",
            HF_HUB_DISABLE_XET="1",
            TOKENIZERS_PARALLELISM="false",
            PYTHONUNBUFFERED="1",
            SPACE_ID=repo_id,
            SPACE_HOST=f"127.0.0.1:{port}",
            PORT=str(port),
            GRADIO_SERVER_NAME="127.0.0.1",
            GRADIO_SERVER_PORT=str(port),
            GRADIO_ANALYTICS_ENABLED="False",
            STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        )
        env.update(settings)
        env.update(self.env)
        return env

    def app(self, repo_id: str) -> SpaceApp | None:
        return self.apps.get(repo_id)

    def stop_all(self) -> None:
        with self.lock:
            for app in self.apps.values():
                app.stop()
            self.apps.clear()
            shutil.rmtree(self.root, ignore_errors=True)
