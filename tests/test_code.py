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


TRACKED_LIMIT = 4_000_000  # bytes: every copy clones the template, so its tree stays small
NEVER_TRACKED = (".mypy_cache/", ".pytest_cache/", ".ruff_cache/", "__pycache__/", ".venv/", "node_modules/", "dist/")


def test_the_tracked_tree_holds_no_caches_or_build_outputs_and_stays_small():
    """Copier clones this repository for every copy and update, and each fleet repo pays for it."""
    listing = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    files = [path for path in listing.stdout.split("\0") if path]
    caches = [path for path in files if any(f"/{part}" in f"/{path}" for part in NEVER_TRACKED)]
    assert not caches, f"caches or build outputs are tracked: {caches[:5]}"
    size = sum((ROOT / path).stat().st_size for path in files if (ROOT / path).is_file())
    assert size < TRACKED_LIMIT, f"the tracked tree is {size:,} bytes (limit {TRACKED_LIMIT:,})"
