"""What the tests share, imported by name: paths and versions, renders, git, the Hub test helpers.

Fixtures live in conftest.py; everything else a test module needs from another lives here.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import copier_shortcuts
import pytest
import yaml
from copier import run_copy
from hub_server import HubServer

ROOT = Path(__file__).resolve().parent.parent
COPIER_YML = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
QUESTIONS = {key for key in COPIER_YML if not key.startswith("_")}
ASKED = {key for key, spec in COPIER_YML.items() if not key.startswith("_") and spec.get("when") is not False}
KINDS = [
    ("space", "gradio"),
    ("space", "streamlit"),
    ("space", "static"),
    ("space", "docker"),
    ("model", None),
    ("dataset", None),
]
CURRENT_VERSION = "1.1.0"  # this working tree
PREVIOUS_VERSION = "1.0.0"  # the last release: `copier update` from it must keep people's projects
OLD_VERSION = "0.9.0"  # the preview line, rebuilt from 1.0.0 (make_old_version)
# main as 1.0.0 landed; the tests tag it in a temporary repo (this repository carries no tags).
RELEASE_COMMITS = {PREVIOUS_VERSION: "662884547080d9c86da3f3bed37c0dc3df55e2ba"}

from hf_hub_template.git import work_tree_files  # noqa: E402  (conftest put ROOT on the path)

_PYTHON: list[str] = []


def python() -> str:
    """The Python tests start Copier and the CLI with: conftest's light warm shim (tests/warm_python.py: a fork
    of a Python that imported Copier and the CLI once; every variable those read at import keys it), or this one.
    The processes they start in turn (the copy task, fleet's renders) run through it too."""
    return _PYTHON[0] if _PYTHON else sys.executable


def use_python(executable: str) -> None:
    _PYTHON[:] = [executable]


def project_pytest_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a rendered project's own `python -m pytest`: it may use only what its
    tests/requirements.txt installs, none of this repository's pytest plugins (Playwright's, xdist, copie ...:
    loading them was half of each such run)."""
    return {**(os.environ if env is None else env), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}


def copier_cli() -> list[str]:
    return [python(), "-m", "copier"]


def hf_hub_template_cli() -> list[str]:
    return [python(), "-m", "hf_hub_template"]


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def tag_release(repo: Path, version: str) -> None:
    """Commit everything in `repo` (a git repo) as `version` and tag it, as a template release."""
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", version, "--allow-empty")
    git(repo, "tag", version)


def copy_work_tree(dst: Path) -> None:
    """This working tree's files (tracked and new ones, not ignored ones) into `dst`."""
    for rel in work_tree_files(ROOT):
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dst / rel)


def snapshot_template(dst: Path, tag: str | None = CURRENT_VERSION) -> Path:
    """The working tree in a fresh git repo, tagged as the current version."""
    copy_work_tree(dst)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "commit", "-qm", "template snapshot")
    if tag:
        git(dst, "tag", tag)
    return dst


def kind_answers(repo_type: str, space_sdk: str | None) -> dict[str, Any]:
    return {"repo_type": repo_type, **({"space_sdk": space_sdk} if space_sdk else {})}


def check_keys(answers: dict[str, Any]) -> None:
    """Copier silently ignores unknown keys: a typo in a test would test nothing."""
    from hf_hub_template.org_standard import LEGACY_QUESTIONS

    unknown = set(answers) - ASKED - LEGACY_QUESTIONS
    assert not unknown, f"not questions declared in copier.yml: {sorted(unknown)}"


def render(template: Path, dst: Path, *, vcs_ref: str = "HEAD", **answers: Any) -> Path:
    check_keys(answers)
    return copy_once(template, dst, vcs_ref, answers)


# ------------------------------------------- each answer set rendered once per test process
# Copying a finished render takes milliseconds; `copier copy` takes a second (clone, questions, files,
# the copy task's process). Only the session's template repos (conftest: never changed once built) are
# shared, and only into a new folder outside any git repository, with the same environment and cwd:
# everything else Copier or the copy task reads is in the key. Each test gets its own copy to change.
_SHARED_TEMPLATES: set[str] = set()
_RENDERS: dict[tuple[str, ...], Path] = {}
_RENDER_STORE: list[Path] = []


def share_renders(store: Path) -> None:
    """Keep finished renders under `store` (conftest, once per test process)."""
    _RENDER_STORE[:] = [store]


def shared_template(template: Path) -> Path:
    """Mark `template` as built once and never changed, so renders from it can be shared."""
    _SHARED_TEMPLATES.add(str(template))
    copier_shortcuts.keep(str(template))  # cloned once per ref for the whole run
    return template


def shared_store(template: str) -> Path | None:
    """Where this process keeps what it made from `template`, if that is one of the session's template repos."""
    return _RENDER_STORE[0] if _RENDER_STORE and template in _SHARED_TEMPLATES else None


def _render_key(template: Path, dst: Path, vcs_ref: str, answers: dict[str, Any]) -> tuple[str, ...] | None:
    if not _RENDER_STORE or str(template) not in _SHARED_TEMPLATES or os.path.lexists(dst):
        return None
    if any((parent / ".git").exists() for parent in dst.absolute().parents):
        return None  # the copy task leaves the commit to the enclosing repository's owner
    env = sorted((key, value) for key, value in os.environ.items() if key != "PYTEST_CURRENT_TEST")
    return (str(template), vcs_ref, dst.name, repr(sorted(answers.items())), repr(env), os.getcwd())


def copy_once(template: Path, dst: Path, vcs_ref: str, answers: dict[str, Any]) -> Path:
    """`run_copy` with `--defaults`, or a copy of the same render done earlier in this process."""
    key = _render_key(template, dst, vcs_ref, answers)
    if key is not None and key in _RENDERS:
        shutil.copytree(_RENDERS[key], dst, symlinks=True)
        return dst
    run_copy(str(template), str(dst), data=answers, defaults=True, unsafe=True, vcs_ref=vcs_ref, quiet=True)
    if key is not None:
        kept = _RENDER_STORE[0] / str(len(_RENDERS)) / dst.name
        shutil.copytree(dst, kept, symlinks=True)
        _RENDERS[key] = kept
    return dst


def copier_copy(
    template: Path,
    dst: Path,
    env: dict[str, str] | None = None,
    *,
    vcs_ref: str = "HEAD",
    copier: list[str] | None = None,
    **answers: Any,
) -> subprocess.CompletedProcess[str]:
    """`copier copy --trust --defaults` on the command line, as a person runs it (tasks in their own process)."""
    check_keys(answers)
    data = [arg for key, value in answers.items() for arg in ("-d", f"{key}={value}")]
    command = [*(copier or copier_cli()), "copy", "--trust", "--defaults", "--vcs-ref", vcs_ref]
    return subprocess.run(
        [*command, *data, str(template), str(dst)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def need_chromium() -> str:
    """Debian's Chromium for browser tests: CI must have it; elsewhere its absence skips, saying why."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("Chromium is missing: .ci/run installs Debian's chromium")
    pytest.skip("no Chromium here: `apt-get install chromium` to run the browser tests (CI always runs them)")


def tracked_files(project: Path) -> set[str]:
    return set(filter(None, git(project, "ls-files", "-z").split("\0")))


# ------------------------------------------------ an older template version, for update tests
def replace_once(path: Path, old: str, new: str) -> None:
    """Edit a file of an old version; the edit must match, or the old version is not what it claims."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer holds {old!r}: the old version would be built wrong"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_old_version(root: Path) -> None:
    """Turn a checkout of 1.0.0 into what 0.9.0 was."""
    renamed = 0
    for path in [root / "copier.yml", *root.glob("template/**/*"), *root.glob("partials/*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            renamed += text.count("space_sdk")
            path.write_text(text.replace("space_sdk", "sdk"), encoding="utf-8")
    assert renamed > 10, "the SDK question is no longer named space_sdk"
    config = (root / "copier.yml").read_text()
    assert "_migrations:" in config and "_message_after_copy" in config
    (root / "copier.yml").write_text(
        config[: config.index("_migrations:")] + config[config.index("_message_after_copy") :]
    )
    replace_once(root / "copier.yml", 'default: "6.31.0"', 'default: "5.9.1"')
    replace_once(root / "copier.yml", "sdk in ['streamlit', 'docker'] }}", "sdk == 'docker' }}")
    replace_once(
        root / "partials" / "card_space.yml.jinja",
        "{% elif sdk == 'static' -%}",
        "{% elif sdk == 'streamlit' -%}\nsdk: streamlit\nsdk_version: \"1.39.0\"\napp_file: app.py\n"
        "{% elif sdk == 'static' -%}",
    )
    replace_once(
        next((root / "template").glob("*requirements.txt*")),
        "{% if sdk == 'gradio' -%}\n",
        "{% if sdk == 'gradio' -%}\ngradio=={{ gradio_version }}\n",
    )


def extract_release(version: str, dst: Path) -> None:
    """The template as it was released, from this repository's history."""
    archive = subprocess.run(["git", "archive", RELEASE_COMMITS[version]], cwd=ROOT, capture_output=True, check=False)
    assert archive.returncode == 0, (
        f"commit {RELEASE_COMMITS[version]} (release {version}) is not in this clone: the update tests need "
        f"the full history (git fetch --unshallow). {archive.stderr.decode(errors='replace')}"
    )
    subprocess.run(["tar", "-x", "-C", str(dst)], input=archive.stdout, check=True)


def _replace_tree(repo: Path, fill: Any) -> None:
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    fill(repo)


def build_versions(repo: Path) -> Path:
    """A template repo tagged 0.9.0 (rebuilt from 1.0.0), 1.0.0 (as released) and 1.1.0 (this working tree)."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    steps = [
        (OLD_VERSION, lambda dst: (extract_release(PREVIOUS_VERSION, dst), make_old_version(dst))),
        (PREVIOUS_VERSION, lambda dst: extract_release(PREVIOUS_VERSION, dst)),
        (CURRENT_VERSION, copy_work_tree),
    ]
    for version, fill in steps:
        _replace_tree(repo, fill)
        tag_release(repo, version)
    return repo


def old_answers(repo_type: str, sdk: str | None) -> dict[str, Any]:
    return {"repo_type": repo_type, **({"sdk": sdk} if sdk else {})}


def copy_old(versions: Path, dst: Path, **answers: Any) -> Path:
    """Render with 0.9.0, whose SDK question was `sdk` (so these answers bypass check_keys)."""
    copy_once(versions, dst, OLD_VERSION, answers)
    assert yaml.safe_load((dst / ".copier-answers.yml").read_text())["_commit"] == OLD_VERSION
    return dst


# ------------------------------------------------------------- copier.yml's own Jinja, evaluated
@cache
def question_template(question: str, field: str) -> Any:
    """A question's `default`, `validator` or `when` from copier.yml, compiled in a Jinja
    environment set up as Copier's is (sandboxed, with the Ansible filters), ready to `.render({...})`."""
    return copier_jinja().from_string(str(COPIER_YML[question][field]))


@cache
def copier_jinja() -> Any:
    """A Jinja environment like the one Copier renders this template with: sandboxed, the Ansible filters,
    and the template root as the loader's root (so `{% from 'partials/...' import ... %}` works)."""
    from jinja2 import FileSystemLoader
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        loader=FileSystemLoader(str(ROOT)), extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"]
    )


# ------------------------------------------------------------------------ the Hub test server
def run_cli(
    env: dict[str, str] | None, *args: str, cwd: Path = ROOT, timeout: float = 600, stdin: Any = None
) -> subprocess.CompletedProcess[str]:
    """`python -m hf_hub_template ARGS` in its own process, as a person runs the command; output captured."""
    return subprocess.run(
        [*hf_hub_template_cli(), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=stdin,
    )


def fake_token() -> str:
    return "hf_test_" + secrets.token_hex(12)


def assert_token_absent(
    token: str, *outputs: str, hub: HubServer | None = None, folders: list[Path] | tuple[Path, ...] = ()
) -> None:
    """The token is in no output, no file under `folders` (git history included), and nothing the Hub got
    but the Authorization header: every command that touches the Hub is held to this."""
    for output in outputs:
        assert token not in output, "the token was printed"
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and not path.is_symlink():
                assert token.encode() not in path.read_bytes(), f"the token was written to {path}"
    if hub is not None:
        assert all(token.encode() not in r.body for r in hub.requests), "the token was sent in a request body"
        import base64

        git_basic = "Basic " + base64.b64encode(f"user:{token}".encode()).decode()  # git fetching a private repo
        assert all(
            r.authorization in (None, f"Bearer {token}")
            or (r.endpoint.startswith("git-") and r.authorization == git_basic)
            for r in hub.requests
        )
        for repo in hub.state.repos.values():
            for content in [*repo.files.values(), *(str(c).encode() for c in [*repo.commits, *repo.pulls])]:
                assert token.encode() not in content, f"the token reached {repo.repo_id} on the Hub"


def hub_env(tmp_path: Path, endpoint: str, token: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING_FACE"))}
    env.update(HF_ENDPOINT=endpoint, HF_HOME=str(tmp_path / "hf-home"), HF_HUB_DISABLE_TELEMETRY="1")
    if token:
        env["HF_TOKEN"] = token
    return env


def seed_from(hub: HubServer, repo_type: str, repo_id: str, project: Path, sdk: str | None = None) -> None:
    hub.seed(repo_type, repo_id, {path: (project / path).read_bytes() for path in tracked_files(project)}, sdk=sdk)


def row(output: str, repo: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(repo + " "))
