"""Shared fixtures: a tagged git snapshot of this template, and a guarded render helper."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_copy

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
CURRENT_VERSION = "1.0.0"
OLD_VERSION = "0.9.0"

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "template" / "tests"))

from hf_hub_template.git import work_tree_files  # noqa: E402  (ROOT is on the path now)

COPIER_CLI = [sys.executable, "-m", "copier"]


def git(cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def snapshot_template(dst: Path, tag: str | None = CURRENT_VERSION) -> Path:
    """Copy the working tree (tracked and new files, not ignored ones) into a fresh git repo and tag it."""
    for rel in work_tree_files(ROOT):
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, dst / rel)
    git(dst, "init", "-q", "-b", "main")
    git(dst, "add", "-A")
    git(dst, "commit", "-qm", "template snapshot")
    if tag:
        git(dst, "tag", tag)
    return dst


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("template"))


def kind_answers(repo_type: str, space_sdk: str | None) -> dict[str, Any]:
    return {"repo_type": repo_type, **({"space_sdk": space_sdk} if space_sdk else {})}


def check_keys(answers: dict[str, Any]) -> None:
    """Copier silently ignores unknown keys: a typo in a test would test nothing."""
    unknown = set(answers) - ASKED
    assert not unknown, f"not questions declared in copier.yml: {sorted(unknown)}"


def render(template: Path, dst: Path, *, vcs_ref: str = "HEAD", **answers: Any) -> Path:
    check_keys(answers)
    run_copy(str(template), str(dst), data=answers, defaults=True, unsafe=True, vcs_ref=vcs_ref, quiet=True)
    return dst


def copier_copy(
    template: Path,
    dst: Path,
    env: dict[str, str] | None = None,
    *,
    vcs_ref: str = "HEAD",
    copier: list[str] = COPIER_CLI,
    **answers: Any,
) -> subprocess.CompletedProcess[str]:
    """`copier copy --trust --defaults` on the command line, as a person runs it (tasks in their own process)."""
    check_keys(answers)
    data = [arg for key, value in answers.items() for arg in ("-d", f"{key}={value}")]
    return subprocess.run(
        [*copier, "copy", "--trust", "--defaults", "--vcs-ref", vcs_ref, *data, str(template), str(dst)],
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
def make_old_version(root: Path) -> None:
    """Turn a snapshot of this template into what 0.9.0 was."""
    for path in [root / "copier.yml", *root.glob("template/**/*"), *root.glob("partials/*")]:
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("space_sdk", "sdk"), encoding="utf-8")
    config = (root / "copier.yml").read_text()
    config = config[: config.index("_migrations:")] + config[config.index("_message_after_copy") :]
    config = config.replace('default: "6.31.0"', 'default: "5.9.1"')
    config = config.replace("sdk in ['streamlit', 'docker'] }}", "sdk == 'docker' }}")
    (root / "copier.yml").write_text(config)
    card = root / "partials" / "card_space.yml.jinja"
    card.write_text(
        card.read_text().replace(
            "{% elif sdk == 'static' -%}",
            "{% elif sdk == 'streamlit' -%}\nsdk: streamlit\nsdk_version: \"1.39.0\"\napp_file: app.py\n"
            "{% elif sdk == 'static' -%}",
        )
    )
    requirements = next((root / "template").glob("*requirements.txt*"))
    requirements.write_text(
        requirements.read_text().replace(
            "{% if sdk == 'gradio' -%}\n", "{% if sdk == 'gradio' -%}\ngradio=={{ gradio_version }}\n"
        )
    )


@pytest.fixture(scope="session")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template repo tagged 0.9.0 (old) and 1.0.0 (this working tree)."""
    repo = snapshot_template(tmp_path_factory.mktemp("versions"), tag=None)
    current = tmp_path_factory.mktemp("current")
    for path in repo.iterdir():
        if path.name != ".git":
            (shutil.copytree if path.is_dir() else shutil.copy2)(path, current / path.name)
    make_old_version(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "0.9.0", "--allow-empty")
    git(repo, "tag", OLD_VERSION)
    for path in repo.iterdir():
        if path.name != ".git":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    for path in current.iterdir():
        (shutil.copytree if path.is_dir() else shutil.copy2)(path, repo / path.name)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", CURRENT_VERSION)
    git(repo, "tag", CURRENT_VERSION)
    return repo


def old_answers(repo_type: str, sdk: str | None) -> dict[str, Any]:
    return {"repo_type": repo_type, **({"sdk": sdk} if sdk else {})}


def copy_old(versions: Path, dst: Path, **answers: Any) -> Path:
    """Render with 0.9.0, whose SDK question was `sdk` (so these answers bypass check_keys)."""
    run_copy(str(versions), str(dst), data=answers, defaults=True, unsafe=True, vcs_ref=OLD_VERSION, quiet=True)
    assert yaml.safe_load((dst / ".copier-answers.yml").read_text())["_commit"] == OLD_VERSION
    return dst
