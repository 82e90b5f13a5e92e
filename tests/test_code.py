"""The template's own Python is lint-clean, type-checks and passes bandit (it runs on users' machines)."""

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

BIN = Path(sys.executable).parent


def test_ruff_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "check", "--no-cache", "hf_hub_template", "hooks", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = subprocess.run(
        [str(BIN / "ruff"), "format", "--no-cache", "--check", "hf_hub_template", "hooks", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy from cold
def test_package_type_checks():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-incremental", "hf_hub_template", "hooks"],
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
            "hf_hub_template",
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
