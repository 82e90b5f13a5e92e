"""The template's own Python is lint-clean and type-checks (the hooks run on users' machines)."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BIN = Path(sys.executable).parent


def test_ruff_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "hooks", "tests", "bench"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "format", "--no-cache", "--check", "hooks", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_type_check():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-incremental", "hooks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_is_clean():
    """The security linter finds nothing; each justified exception is marked `# nosec` where it stands."""
    result = subprocess.run(
        [
            str(BIN / "bandit"),
            "-q",
            "-r",
            "hooks",
            "-f",
            "custom",
            "--msg-template",
            "{relpath}:{line} {test_id} {msg}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
