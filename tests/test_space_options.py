"""Every Space option the Hub documents (issue 17): each renders only when chosen, passes the Hub's rules,
and the rendered Space tests itself green with it on (sign-in, system packages, Dev Mode, Vite, page options).

A Space made before these options updates unchanged but for the listed fixes: tests/test_update.py.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from helpers import fake_token, render
from hub_rules import check_repo, read_metadata
from test_generated_projects import run_project_tests, tool

NEW_CARD_KEYS = {
    "app_build_command",
    "header",
    "fullWidth",
    "thumbnail",
    "disable_embedding",
    "custom_headers",
    "startup_duration_timeout",
    "hf_oauth",
    "hf_oauth_scopes",
    "hf_oauth_authorized_org",
    "hf_oauth_expiration_minutes",
}
OPTION_FILES = {
    "packages.txt",
    "package.json",
    "vite.config.js",
    "tests/sign_in.py",
    "tests/test_sign_in.py",
    "tests/conftest.py",
}
PAGE_OPTIONS = {
    "header": "mini",
    "full_width": False,
    "thumbnail": "https://example.org/card.png",
    "disable_embedding": True,
    "custom_headers": "cross-origin-isolation",
}
SIGN_IN = {
    "hf_oauth": True,
    "hf_oauth_scopes": "email, read-repos",
    "hf_oauth_authorized_org": "acme, acme-labs",
    "hf_oauth_expiration_minutes": 60,
}
# Every option that applies to each SDK, all on at once.
EVERY_OPTION: dict[str, dict[str, Any]] = {
    "gradio": PAGE_OPTIONS | SIGN_IN | {"system_packages": "ffmpeg, libgl1", "startup_duration_timeout": "1h"},
    "docker": PAGE_OPTIONS
    | SIGN_IN
    | {"system_packages": "ffmpeg", "dev_mode": True, "startup_duration_timeout": "45m"},
    "streamlit": PAGE_OPTIONS | {"system_packages": "libgl1", "dev_mode": True, "startup_duration_timeout": "2h"},
    "static": PAGE_OPTIONS | {"static_build": "vite"},
}


def files_of(project: Path) -> set[str]:
    return {p.relative_to(project).as_posix() for p in project.rglob("*") if ".git" not in p.parts}


def dockerfile_apt_packages(text: str) -> list[str]:
    """The packages of the Dockerfile's apt-get install, in order."""
    match = re.search(r"--no-install-recommends \\\n(.*?)\n\s+&& rm", text, flags=re.S)
    return [line.strip(" \\") for line in match.group(1).splitlines()] if match else []


@pytest.mark.parametrize("sdk", sorted(EVERY_OPTION))
def test_each_option_renders_only_when_chosen(template, tmp_path, sdk):
    """Defaults: none of the new card keys or files. Every option on: each reaches the card or its file."""
    plain = render(template, tmp_path / "plain", space_sdk=sdk)
    assert not NEW_CARD_KEYS & set(read_metadata(plain / "README.md"))
    assert not OPTION_FILES & files_of(plain)
    if sdk in ("docker", "streamlit"):
        assert "apt-get" not in (plain / "Dockerfile").read_text()

    answers = EVERY_OPTION[sdk]
    dst = render(template, tmp_path / "every", space_sdk=sdk, **answers)
    meta = read_metadata(dst / "README.md")
    assert check_repo(dst, "space") == []
    assert (meta["header"], meta["fullWidth"], meta["thumbnail"], meta["disable_embedding"]) == (
        "mini",
        False,
        "https://example.org/card.png",
        True,
    )
    assert meta["custom_headers"] == {
        "cross-origin-embedder-policy": "require-corp",
        "cross-origin-opener-policy": "same-origin",
        "cross-origin-resource-policy": "cross-origin",
    }
    if sdk == "static":
        assert (meta["app_build_command"], meta["app_file"]) == ("npm run build", "dist/index.html")
        assert "startup_duration_timeout" not in meta
        assert {"package.json", "vite.config.js"} <= files_of(dst)
        assert "dist/" in (dst / ".gitignore").read_text().splitlines()
    else:
        assert meta["startup_duration_timeout"] == answers["startup_duration_timeout"]
    if answers.get("hf_oauth"):
        assert meta["hf_oauth"] is True
        assert meta["hf_oauth_scopes"] == ["email", "read-repos"]
        assert meta["hf_oauth_authorized_org"] == ["acme", "acme-labs"]
        assert meta["hf_oauth_expiration_minutes"] == 60
        assert {"tests/sign_in.py", "tests/test_sign_in.py", "tests/conftest.py"} <= files_of(dst)
    else:
        assert not {k for k in meta if k.startswith("hf_oauth")}
    # The answers are recorded, so `copier update` keeps every option.
    recorded = yaml.safe_load((dst / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers


def test_sign_in_is_only_for_gradio_and_docker(template, tmp_path):
    """Streamlit and static Spaces are not asked; `-d hf_oauth=true` there renders no half-made sign-in."""
    for sdk in ("streamlit", "static"):
        dst = render(template, tmp_path / sdk, space_sdk=sdk, hf_oauth=True)
        assert not {k for k in read_metadata(dst / "README.md") if k.startswith("hf_oauth")}
        assert "tests/sign_in.py" not in files_of(dst)


@pytest.mark.parametrize("sdk", ["docker", "streamlit"])
def test_system_packages_and_dev_mode_pass_hadolint(template, tmp_path, sdk):
    """One apt layer, as root, before the app's user and its Python packages; hadolint approves."""
    dst = render(template, tmp_path / sdk, space_sdk=sdk, system_packages="ffmpeg, libgl1, ffmpeg", dev_mode=True)
    text = (dst / "Dockerfile").read_text()
    assert dockerfile_apt_packages(text) == ["bash", "curl", "wget", "procps", "git", "git-lfs", "ffmpeg", "libgl1"]
    assert text.count("apt-get install") == 1 and "rm -rf /var/lib/apt/lists/*" in text
    assert text.index("apt-get install") < text.index("useradd") < text.index("USER user")
    assert text.index("apt-get install") < text.index("requirements.txt")
    assert "chown user:user /app" in text  # Dev Mode: /app belongs to uid 1000
    result = subprocess.run([tool("hadolint"), "Dockerfile"], cwd=dst, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    only_packages = render(template, tmp_path / f"{sdk}-packages", space_sdk=sdk, system_packages="ffmpeg")
    assert dockerfile_apt_packages((only_packages / "Dockerfile").read_text()) == ["ffmpeg"]


def test_gradio_system_packages_go_to_packages_txt(template, tmp_path):
    dst = render(template, tmp_path / "gradio", system_packages="ffmpeg, libgl1, ffmpeg")
    assert (dst / "packages.txt").read_text().splitlines() == ["ffmpeg", "libgl1"]
    assert check_repo(dst, "space") == []
    assert "Dockerfile" not in files_of(dst)


@pytest.mark.parametrize(
    ("sdk", "models"), [("gradio", ""), ("gradio", "acme/m"), ("docker", ""), ("docker", "acme/m")]
)
def test_sign_in_code_is_ruff_clean(template, tmp_path, sdk, models):
    """The sign-in additions fit the starter app and the demo app alike."""
    extra = {"models": models, "pipeline_tag": "image-classification"} if models else {}
    dst = render(template, tmp_path / "app", space_sdk=sdk, **SIGN_IN, **extra)
    app = (dst / "app.py").read_text()
    assert ("gr.LoginButton()" in app) if sdk == "gradio" else ("attach_huggingface_oauth(app)" in app)
    for args in (["check", "--no-cache", "."], ["format", "--no-cache", "--check", "--diff", "."]):
        result = subprocess.run([tool("ruff"), *args], cwd=dst, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # each starts its app (Gradio, uvicorn, Streamlit) or builds with npm and loads Chromium
@pytest.mark.parametrize("sdk", sorted(EVERY_OPTION))
def test_every_option_on_tests_itself(template, tmp_path, sdk):
    """A Space with every option on renders, passes the Hub's rules and its own tests: the login button
    sends visitors to the (stand-in) provider with the card's scopes, the Vite build loads without errors."""
    dst = render(template, tmp_path / "every" / f"every-{sdk}", space_sdk=sdk, **EVERY_OPTION[sdk])
    assert check_repo(dst, "space") == []
    run_project_tests(dst)
    if sdk == "static":
        assert (dst / "dist" / "index.html").is_file() and (dst / "package-lock.json").is_file()


@pytest.mark.slow
def test_vite_space_builds_and_its_page_loads(template, tmp_path):
    """The plain Vite choice alone: npm run build (installing first), then the built page in Chromium."""
    dst = render(template, tmp_path / "vite", space_sdk="static", static_build="vite")
    run_project_tests(dst)
    built = (dst / "dist" / "index.html").read_text()
    assert 'src="./assets/' in built  # relative: works wherever the Hub serves dist/ from


# ------------------------------------------------------------ sign-in run locally (issue 24)
# What the Hub sets in a Space: none of it is set when a person runs the app on their machine.
HUB_VARIABLES = (
    "SYSTEM",
    "SPACE_ID",
    "SPACE_HOST",
    "OAUTH_CLIENT_ID",
    "OAUTH_CLIENT_SECRET",
    "OAUTH_SCOPES",
    "OPENID_PROVIDER_URL",
)
# Every route of the sign-in, then the pages that show who is signed in, run locally.
LOCAL_SIGN_IN_PATHS = {
    "docker": [
        "/",
        "/oauth/huggingface/login",
        "/oauth/huggingface/callback",
        "/me",
        "/",
        "/oauth/huggingface/callback?_target_url=https://elsewhere.example",
        "/oauth/huggingface/logout?_target_url=https://elsewhere.example",
        "/me",
    ],
    "gradio": [
        "/",
        "/login/huggingface",
        "/login/callback",
        "/config",
        "/logout?_target_url=https://elsewhere.example",
    ],
}


class _TokenOwnersHub(BaseHTTPRequestHandler):
    """huggingface.co as the developer's machine sees it: whoami-v2 names the token's owner."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        self.seen.append(f"{self.path} {self.headers.get('Authorization')}")
        user = {"type": "user", "name": "token-owner", "fullname": "Token Owner", "avatarUrl": "", "orgs": []}
        body = json.dumps(user).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def token_owners_hub() -> Iterator[tuple[str, list[str]]]:
    """The stand-in Hub's URL, and the requests it got (path and Authorization)."""
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Hub", (_TokenOwnersHub,), {"seen": seen}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ask(port: int, path: str, cookies: dict[str, str]) -> tuple[int, str]:
    """GET `path` as a browser would (cookies kept, redirects not followed): the status, and every
    header and the body as text."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            cookies[key] = rest.split(";")[0]
    text = "\n".join(f"{k}: {v}" for k, v in response.getheaders()) + "\n\n" + body.decode(errors="replace")
    return response.status, text


def decoded(text: str) -> str:
    """`text` and, after it, every base64 word in it decoded: a signed session cookie holds its JSON
    in base64, readable by anyone who has the cookie."""
    words = re.findall(r"[A-Za-z0-9+/_-]{8,}={0,2}", text)
    out = [text]
    for word in words:
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            with contextlib.suppress(binascii.Error, ValueError):
                out.append(decode(word + "=" * (-len(word) % 4)).decode(errors="replace"))
    return "\n".join(out)


def off_site(location: str, port: int) -> bool:
    """A browser at the app that follows `location` leaves it (browsers drop whitespace and
    read a backslash as a slash)."""
    here = f"http://127.0.0.1:{port}"
    target = urlsplit(urljoin(here, "".join(location.split()).replace("\\", "/")))
    return f"{target.scheme}://{target.netloc}" != here


@contextlib.contextmanager
def run_locally(project: Path, sdk: str, env: dict[str, str]) -> Iterator[int]:
    """The app as a person runs it on their machine (README, Run it locally), on a free port."""
    port = free_port()
    if sdk == "gradio":
        command = [sys.executable, "app.py"]
        env = {**env, "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port)}
    else:
        command = [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(port)]
    log_path = project / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 180
            while True:
                assert process.poll() is None, f"the app stopped at start:\n{log_path.read_text()[-3000:]}"
                with contextlib.suppress(OSError):
                    http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("HEAD", "/")
                    break
                assert time.monotonic() < deadline, f"no answer in 180 s:\n{log_path.read_text()[-3000:]}"
                time.sleep(0.3)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.mark.slow  # starts the app
@pytest.mark.parametrize("with_token", [True, False], ids=["token", "no-login"])
@pytest.mark.parametrize("sdk", ["docker", "gradio"])
def test_sign_in_run_locally_never_uses_your_token(template, tmp_path, sdk, with_token):
    """Run locally (none of the Hub's variables), the sign-in app starts with no login at all, and with
    one it never reads or uses the token: no answer, cookie or redirect holds it, the Hub is never
    asked who owns it, no page names its owner, and no redirect leaves the site."""
    dst = render(template, tmp_path / f"local-{sdk}", space_sdk=sdk, **SIGN_IN)
    token = fake_token()
    env = {k: v for k, v in os.environ.items() if k not in HUB_VARIABLES and not k.startswith(("HF_", "HUGGING"))}
    env |= {"HF_HOME": str(tmp_path / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    with token_owners_hub() as (hub_url, hub_seen):
        env["HF_ENDPOINT"] = hub_url
        if with_token:
            env["HF_TOKEN"] = token
        with run_locally(dst, sdk, env) as port:
            cookies: dict[str, str] = {}
            answers = [(path, *ask(port, path, cookies)) for path in LOCAL_SIGN_IN_PATHS[sdk]]
    assert answers[0][1] == 200, answers[0]
    seen = decoded("\n".join(text for _, _, text in answers) + "\n" + "\n".join(cookies.values()))
    assert token not in seen, "the token was handed out"
    assert "token-owner" not in seen and "Token Owner" not in seen, "the token's owner was shown"
    assert hub_seen == [], f"the app asked the Hub about the token: {hub_seen}"
    for path, _, text in answers:
        for location in re.findall(r"^location: (.*)$", text, flags=re.I | re.M):
            assert not off_site(location, port), (path, location)
