"""Rendered projects prove themselves: their own tests pass, their code is lint-clean, their
workflow passes actionlint, and a person opening the Gradio app, Streamlit app or static page sees
a starter.

Screenshots land in test-artifacts/ (gradio.png, streamlit.png, static.png).
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import KINDS, ROOT, kind_answers, need_chromium, project_pytest_env, render

ARTIFACTS = ROOT / "test-artifacts"
IDS = [f"{k}-{s}" if s else k for k, s in KINDS]
BIN = Path(sys.executable).parent
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def tool(name: str) -> str:
    found = BIN / name if (BIN / name).is_file() else shutil.which(name)
    assert found, f"{name} is missing: run the tests through `uv run` so the dev group is installed"
    return str(found)


@pytest.fixture(scope="module", params=KINDS, ids=IDS)
def project(request: pytest.FixtureRequest, template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo_type, sdk = request.param
    return render(
        template, tmp_path_factory.mktemp("proj") / "demo-app", github_sync=True, **kind_answers(repo_type, sdk)
    )


def run_project_tests(project: Path, *pytest_args: str, python: str = sys.executable) -> str:
    """The rendered project's own `python -m pytest`, as its README says, must pass; its output. `python`: the
    interpreter to run it with (the demo tests pass tests/warm_python.py's shim)."""
    if (project / "index.html").exists():
        need_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    env = project_pytest_env(
        {**os.environ, "SCREENSHOT_DIR": str(ARTIFACTS), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    )
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run(
        [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and " failed" not in result.stdout
    return result.stdout


@pytest.mark.slow
def test_rendered_project_tests_pass(project: Path):
    run_project_tests(project)


@pytest.mark.slow
def test_docker_project_tests_pass_on_another_port(template, tmp_path):
    """The defaults hide a port written as 7860 somewhere: run the Docker Space's own tests on 8080."""
    project = render(template, tmp_path / "port-8080", space_sdk="docker", app_port=8080)
    run_project_tests(project)


def test_rendered_python_is_ruff_clean(project: Path):
    for args in (["check", "--no-cache", "."], ["format", "--no-cache", "--check", "--diff", "."]):
        result = subprocess.run([tool("ruff"), *args], cwd=project, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_passes_actionlint(project: Path):
    workflow = project / ".github" / "workflows" / "sync-to-hub.yml"
    result = subprocess.run(
        [tool("actionlint"), "-no-color", str(workflow)], cwd=project, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def zizmor_findings(folder: Path) -> str:
    """The GitHub Actions security linter, offline, at its strictest persona (auditor: every audit, pedantic's
    included, secrets-outside-env among them): "" when it finds nothing, else its report."""
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--persona", "auditor", "--no-progress", "--format", "plain", str(folder)],
        capture_output=True,
        text=True,
    )
    return "" if result.returncode == 0 and "No findings" in result.stdout else result.stdout + result.stderr


def test_workflows_pass_zizmor(project: Path):
    assert zizmor_findings(project / ".github") == ""


def test_workflow_tests_first_pins_actions_and_never_creates_the_repo(project: Path):
    workflow = yaml.safe_load((project / ".github" / "workflows" / "sync-to-hub.yml").read_text())
    assert workflow["jobs"]["sync"]["needs"] == "test"
    assert workflow["permissions"] == {"contents": "read"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    uses = [step["uses"] for step in steps if "uses" in step]
    text = (project / ".github" / "workflows" / "sync-to-hub.yml").read_text()
    # Pinned by full commit, with the version beside it for people and Dependabot.
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action) for action in uses), uses
    assert all(re.search(rf"{re.escape(action)}  # v\d+\.\d+\.\d+$", text, re.M) for action in uses)
    checkouts = [step for step in steps if step.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(step["with"]["persist-credentials"] is False for step in checkouts)
    dependabot = yaml.safe_load((project / ".github" / "dependabot.yml").read_text())
    assert [u["package-ecosystem"] for u in dependabot["updates"]] == ["github-actions"]
    text = (project / ".github" / "workflows" / "sync-to-hub.yml").read_text()
    assert "create_repo" not in text and "repo_exists" in text
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert f"HF_REPO_TYPE: {answers['repo_type']}" in text


def _job_step(workflow: dict[str, Any], job: str, name: str) -> dict[str, Any]:
    return next(step for step in workflow["jobs"][job]["steps"] if step.get("name") == name)


def test_workflow_signs_in_as_a_trusted_publisher_by_default(project: Path):
    """No Hub token stored on GitHub: the upload job alone may ask GitHub for an OIDC token, which
    huggingface_hub (>= 1.19) exchanges for a one-hour token scoped to the repo named in HF_OIDC_RESOURCE."""
    text = (project / ".github" / "workflows" / "sync-to-hub.yml").read_text()
    workflow = yaml.safe_load(text)
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["sync_auth"] == "trusted_publisher"
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["sync"]["permissions"] == {"contents": "read", "id-token": "write"}
    assert "permissions" not in workflow["jobs"]["test"], "the tests run with the workflow's contents: read"
    prefix = {"space": "spaces/", "model": "", "dataset": "datasets/"}[answers["repo_type"]]
    push = _job_step(workflow, "sync", "Push to the Hub")
    assert push["env"] == {"HF_OIDC_RESOURCE": f"{prefix}YOUR-NAMESPACE/demo-app"}
    assert workflow["env"]["HF_REPO_ID"] == "YOUR-NAMESPACE/demo-app"
    assert "secrets." not in text and "HF_TOKEN" not in push["run"] and "environment" not in workflow["jobs"]["sync"]
    assert '"huggingface_hub>=1.19,<3"' in _job_step(workflow, "sync", "Install huggingface_hub")["run"]


def test_workflow_token_fallback_reads_the_secret_in_an_environment(template, tmp_path):
    """sync_auth=hf_token: the HF_TOKEN secret, read by the upload job only, inside the GitHub environment
    `huggingface`; no OIDC token asked for. Both linters pass it as they pass the default."""
    project = render(
        template, tmp_path / "fallback" / "demo", github_sync=True, repo_type="dataset", sync_auth="hf_token"
    )
    path = project / ".github" / "workflows" / "sync-to-hub.yml"
    text = path.read_text()
    workflow = yaml.safe_load(text)
    assert workflow["jobs"]["sync"]["environment"] == "huggingface"
    assert "permissions" not in workflow["jobs"]["sync"] and "id-token" not in text
    assert _job_step(workflow, "sync", "Push to the Hub")["env"] == {"HF_TOKEN": "${{ secrets.HF_TOKEN }}"}
    assert text.count("secrets.") == 1
    linted = subprocess.run([tool("actionlint"), "-no-color", str(path)], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert zizmor_findings(project / ".github") == ""
    contributing = (project / "CONTRIBUTING.md").read_text()
    assert "environment secret named `HF_TOKEN`" in contributing and "sync_auth=trusted_publisher" in contributing


# ------------------------------------------------- the upload step, run against the loopback Hub
GITHUB_REQUEST_TOKEN = "gh-request-token"  # what GitHub puts in ACTIONS_ID_TOKEN_REQUEST_TOKEN
GITHUB_ID_TOKEN = "gh-id-token"  # the OIDC id token GitHub's endpoint returns


def trusted_publisher_routes(hub: Any, publisher_of: str) -> list[tuple[str, Any]]:
    """Add to the loopback Hub GitHub's id-token endpoint (/_github/oidc) and the Hub's exchange
    (POST /oauth/token, hub-docs trusted-publishers.md): the exchange gives the Hub's token for an id token
    from GitHub and `publisher_of` as resource, else 400 invalid_grant. Returns the log of both."""
    import json
    from urllib.parse import urlsplit

    seen: list[tuple[str, Any]] = []
    base = hub._httpd.RequestHandlerClass

    class Handler(base):  # type: ignore[misc, valid-type]
        def _authorized(self) -> bool:
            return urlsplit(self.path).path in ("/_github/oidc", "/oauth/token") or super()._authorized()

        def _route(self, method: str, path: str) -> tuple[str, Any, tuple[Any, ...]]:
            if (method, path) == ("GET", "/_github/oidc"):
                return "github-oidc", self._github_oidc, ()
            if (method, path) == ("POST", "/oauth/token"):
                return "oidc-exchange", self._exchange, ()
            return super()._route(method, path)

        def _github_oidc(self, body: bytes, query: dict[str, list[str]]) -> None:
            seen.append(("github", {"authorization": self.headers.get("authorization"), **query}))
            if self.headers.get("authorization") != f"Bearer {GITHUB_REQUEST_TOKEN}":
                self._error(401, "bad request token")
            else:
                self._send(200, {"value": GITHUB_ID_TOKEN})

        def _exchange(self, body: bytes, query: dict[str, list[str]]) -> None:
            data = json.loads(body)
            seen.append(("exchange", data))
            if data.get("subject_token") != GITHUB_ID_TOKEN or data.get("resource") != publisher_of:
                self._send(400, {"error": "invalid_grant", "error_description": "no matching publisher"})
            else:
                self._send(200, {"access_token": self.state.token, "token_type": "bearer", "expires_in": 3600})

    hub._httpd.RequestHandlerClass = Handler
    return seen


def run_push_step(project: Path, tmp_path: Path, hub: Any, secret: str | None = None, oidc: bool = True):
    """The workflow's "Push to the Hub" step as GitHub runs it (bash -eo pipefail), with the workflow's and
    the step's env; GitHub's OIDC variables exist only when `oidc` (the job's `id-token: write`)."""
    from helpers import hub_env

    workflow = yaml.safe_load((project / ".github" / "workflows" / "sync-to-hub.yml").read_text())
    step = _job_step(workflow, "sync", "Push to the Hub")
    env = hub_env(tmp_path, hub.url, None)
    env = {k: v for k, v in env.items() if not k.startswith("ACTIONS_ID_TOKEN_")}
    env.update({k: str(v) for k, v in workflow["env"].items()})
    for key, value in step.get("env", {}).items():
        env[key] = secret if value == "${{ secrets.HF_TOKEN }}" else str(value)
    env.update(GITHUB_ACTIONS="true", GITHUB_SHA="0123456789abcdef0123456789abcdef01234567")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    if oidc:
        env.update(
            ACTIONS_ID_TOKEN_REQUEST_URL=f"{hub.url}/_github/oidc", ACTIONS_ID_TOKEN_REQUEST_TOKEN=GITHUB_REQUEST_TOKEN
        )
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    ("repo_type", "resource"),
    [("model", "fakeorg/demo"), ("dataset", "datasets/fakeorg/demo"), ("space", "spaces/fakeorg/demo")],
)
def test_push_step_exchanges_githubs_oidc_token_for_the_repos_hub_token(
    template, tmp_path, hub, token, repo_type, resource
):
    answers = {"repo_type": repo_type, **({"space_sdk": "static"} if repo_type == "space" else {})}
    project = render(template, tmp_path / "tp" / "demo", github_sync=True, namespace="fakeorg", **answers)
    hub.seed(repo_type, "fakeorg/demo", {}, sdk="static" if repo_type == "space" else None)
    seen = trusted_publisher_routes(hub, publisher_of=resource)
    result = run_push_step(project, tmp_path, hub)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Synced fakeorg/demo" in result.stdout
    assert "README.md" in hub.repo(repo_type, "fakeorg/demo").files
    # GitHub was asked for an id token whose audience is the Hub (HF_ENDPOINT; https://huggingface.co in CI),
    # and the Hub for a token scoped to this repo; every other request carried the exchanged token.
    assert seen[0] == ("github", {"authorization": f"Bearer {GITHUB_REQUEST_TOKEN}", "audience": [hub.url]})
    assert [entry for kind, entry in seen if kind == "exchange"] == [
        {
            "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
            "subject_token_type": "urn:ietf:params:oauth:token-type:id_token",
            "subject_token": GITHUB_ID_TOKEN,
            "resource": resource,
        }
    ]
    assert "GET whoami" not in hub.calls(), "a repo-scoped token has no owner to ask about"
    assert all(
        r.authorization == f"Bearer {token}" for r in hub.requests if r.endpoint not in ("github-oidc", "oidc-exchange")
    )


def test_push_step_without_a_publisher_on_the_hub_says_how_to_register_one(template, tmp_path, hub):
    project = render(template, tmp_path / "tp" / "demo", github_sync=True, namespace="fakeorg", repo_type="model")
    hub.seed("model", "fakeorg/demo", {})
    trusted_publisher_routes(hub, publisher_of="fakeorg/another-repo")
    result = run_push_step(project, tmp_path, hub)
    assert result.returncode != 0
    assert "The Hub gave no token for fakeorg/demo" in result.stderr and "Trusted" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert hub.repo("model", "fakeorg/demo").files == {}
    # Without the job's `id-token: write`, GitHub gives no OIDC variables: the library names the permission.
    result = run_push_step(project, tmp_path, hub, oidc=False)
    assert result.returncode != 0 and "id-token: write" in result.stderr, result.stderr


def test_push_step_refuses_a_workflow_without_a_namespace(template, tmp_path, hub):
    project = render(template, tmp_path / "tp" / "demo", github_sync=True, repo_type="model")
    seen = trusted_publisher_routes(hub, publisher_of="YOUR-NAMESPACE/demo")
    result = run_push_step(project, tmp_path, hub)
    assert result.returncode == 1 and "does not name the Hub namespace yet" in result.stdout, result.stdout
    assert "copier update --trust --data namespace=NAME" in result.stdout
    assert seen == [] and hub.calls() == []
    # The first publish writes the login over the placeholder in every file (publish.name_the_namespace):
    # the workflow then names the repo, its guard lets it through, and the exchange asks for that repo.
    from hf_hub_template.publish import PLACEHOLDER_NAMESPACE

    for path in (project / ".github" / "workflows").iterdir():
        path.write_text(path.read_text().replace(f"{PLACEHOLDER_NAMESPACE}/", "fakeorg/"))
    hub.seed("model", "fakeorg/demo", {})
    seen = trusted_publisher_routes(hub, publisher_of="fakeorg/demo")
    result = run_push_step(project, tmp_path, hub)
    assert result.returncode == 0 and "Synced fakeorg/demo" in result.stdout, result.stdout + result.stderr


def test_push_step_fallback_uploads_with_the_secret(template, tmp_path, hub, token):
    project = render(template, tmp_path / "tok" / "demo", github_sync=True, repo_type="model", sync_auth="hf_token")
    hub.seed("model", "fakeuser/demo", {})
    seen = trusted_publisher_routes(hub, publisher_of="fakeuser/demo")
    result = run_push_step(project, tmp_path, hub, secret=token, oidc=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Synced fakeuser/demo" in result.stdout and "README.md" in hub.repo("model", "fakeuser/demo").files
    assert seen == []
    missing = run_push_step(project, tmp_path, hub, secret="", oidc=False)
    assert missing.returncode == 1 and "GitHub environment 'huggingface'" in missing.stdout, missing.stdout


def test_pre_commit_config_runs_ruff_and_the_conflict_guard(project: Path):
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "check-merge-conflict", "check-added-large-files"} <= hooks
    assert all(repo["rev"].startswith("v") for repo in config["repos"])


# ------------------------------------------------------------------- the workflow's file guard
def _guard_script(project: Path) -> str:
    workflow = yaml.safe_load((project / ".github" / "workflows" / "sync-to-hub.yml").read_text())
    steps = workflow["jobs"]["sync"]["steps"]
    return next(step["run"] for step in steps if step.get("name", "").startswith("Refuse binary files"))


@pytest.mark.parametrize(
    ("name", "content", "lfs", "refused"),
    [
        ("notes.txt", b"plain text\n", False, False),
        ("weights.bin", b"\x00\x01\x02binary", True, False),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", False, True),
        ("big.txt", b"a" * (10 * 1024 * 1024 + 1), False, True),
    ],
)
def test_workflow_refuses_binary_and_large_files_outside_lfs(template, tmp_path, name, content, lfs, refused):
    project = render(template, tmp_path / "guard", github_sync=True, repo_type="model")
    (project / name).write_bytes(content)
    subprocess.run(["git", "add", name], cwd=project, check=True)
    result = subprocess.run(["bash", "-c", _guard_script(project)], cwd=project, capture_output=True, text=True)
    assert (result.returncode != 0) == refused, result.stdout
    if refused:
        assert f"::error file={name}::" in result.stdout and "git lfs track" in result.stdout


def test_no_github_directory_without_sync(template, tmp_path):
    assert not (render(template, tmp_path / "nosync") / ".github").exists()


# ---------------------------------------------------------------------------- what a person sees
@contextlib.contextmanager
def app_page(project: Path, command: list[str], ready: str, env: dict[str, str] | None = None) -> Iterator[Any]:
    """Start the rendered app with its own tests/serve.py helpers and open it in Debian's Chromium."""
    from playwright.sync_api import sync_playwright

    chromium = need_chromium()
    # Load this project's own serve.py under a name of its own: a cached `serve` from another
    # project would start that project's app instead.
    spec = importlib.util.spec_from_file_location(f"serve_{project.name}", project / "tests" / "serve.py")
    assert spec and spec.loader
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    ARTIFACTS.mkdir(exist_ok=True)
    with serve.running(command, ready, env=env), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        yield page
        browser.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gradio_ui_screenshot(template, tmp_path):
    from playwright.sync_api import expect

    project = render(template, tmp_path / "gradio-ui", title="Greeter")
    port = free_port()
    env = {"GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port), "GRADIO_ANALYTICS_ENABLED": "False"}
    with app_page(project, [sys.executable, "app.py"], f"http://127.0.0.1:{port}/", env) as page:
        page.goto(f"http://127.0.0.1:{port}/")
        expect(page.get_by_text("Greeter").first).to_be_visible(timeout=120_000)
        page.get_by_label("Name").fill("Ada")
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_label("Greeting")).to_have_value("Hello, Ada!", timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "gradio.png"), full_page=True)
    assert (ARTIFACTS / "gradio.png").stat().st_size > 10_000


@pytest.mark.slow
def test_streamlit_ui_screenshot(template, tmp_path):
    from playwright.sync_api import expect

    project = render(template, tmp_path / "streamlit-ui", space_sdk="streamlit", title="Greeter")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--server.headless=true",
        "--browser.gatherUsageStats=false",
    ]
    with app_page(project, command, f"http://127.0.0.1:{port}/_stcore/health") as page:
        page.goto(f"http://127.0.0.1:{port}/")
        # The first session builds the page over a websocket: slow on a loaded 2-core machine.
        expect(page.get_by_label("Name")).to_be_visible(timeout=120_000)
        page.get_by_label("Name").fill("Ada")
        page.keyboard.press("Enter")
        expect(page.get_by_text("Hello, Ada!")).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Greeter").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "streamlit.png"))
    assert (ARTIFACTS / "streamlit.png").stat().st_size > 10_000


def test_static_page_test_without_a_browser_says_what_to_do_in_one_line(template, tmp_path):
    project = render(template, tmp_path / "no-browser", space_sdk="static")
    bare_path = tmp_path / "bin"
    bare_path.mkdir()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("CHROMIUM_PATH", "PYTEST_ADDOPTS")},
        "PATH": str(bare_path),
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-browsers"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_page.py"],
        cwd=project,
        env=project_pytest_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1
    assert "No Chromium to load the page in" in result.stdout and "playwright install chromium" in result.stdout
    assert "Traceback" not in result.stdout and "Executable doesn't exist" not in result.stdout, result.stdout


def test_the_example_fleet_workflow_passes_actionlint_and_zizmor():
    """README's sharded fleet workflow (examples/acme): the same linters as every rendered workflow."""
    folder = ROOT / "examples" / "acme" / ".github"
    linted = subprocess.run(
        [tool("actionlint"), "-no-color", str(folder / "workflows" / "fleet-update.yml")],
        capture_output=True,
        text=True,
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert zizmor_findings(folder) == ""
    workflow = yaml.safe_load((folder / "workflows" / "fleet-update.yml").read_text())
    # The one workflow that keeps a stored token (a Trusted Publisher token reaches one repo; this job lists
    # and opens PRs on the whole namespace): the secret lives in a GitHub environment, never the repo's.
    update = workflow["jobs"]["update"]
    assert update["environment"] == "huggingface" and "permissions" not in update
    assert workflow["permissions"] == {"contents": "read"}
    shards = workflow["jobs"]["update"]["strategy"]["matrix"]["shard"]
    assert f'--shard "$SHARD/{len(shards)}"' in workflow["jobs"]["update"]["steps"][-1]["run"]
