"""The template's own Python is lint-clean, type-checks and passes bandit (it runs on users' machines)."""

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

BIN = Path(sys.executable).parent


CODE = ["hf_hub_template", "hooks", "tests", "bench"]


def run_tool(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), cwd=ROOT, capture_output=True, text=True)


def test_ruff_is_clean():
    result = run_tool(str(BIN / "ruff"), "check", "--no-cache", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run_tool(str(BIN / "ruff"), "format", "--no-cache", "--check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow  # mypy from cold
def test_package_type_checks():
    result = run_tool(sys.executable, "-m", "mypy", "--ignore-missing-imports", "--no-incremental", *CODE[:2])
    assert result.returncode == 0, result.stdout + result.stderr


def test_bandit_is_clean():
    """The security linter finds nothing; each justified exception is marked `# nosec` where it stands."""
    template = "{relpath}:{line} {test_id} {msg}"
    result = run_tool(str(BIN / "bandit"), "-q", "-r", *CODE[:2], "-f", "custom", "--msg-template", template)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
