"""The hooks Copier starts on every copy and every update load no more than they need: their start-up is
most of what they cost (PyYAML alone is a third of the after-update report's process)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs a hook as Copier does (its own process, in the project), then says which modules it loaded.
PROBE = """\
import runpy, sys
sys.argv = [sys.argv[1], *sys.argv[2:]]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit:
    pass
print(" ".join(sorted(name for name in ("yaml", "huggingface_hub", "copier") if name in sys.modules)))
"""


def loaded_by(hook: str, *args: str, cwd: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(ROOT / "hooks" / hook), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@pytest.mark.parametrize(
    ("hook", "args"),
    [
        ("migrate.py", ("report-conflicts",)),  # after every update
        ("post_copy.py", ("batch", "1.1.0", "local")),  # after every copy that does not publish
    ],
)
def test_the_hooks_of_every_copy_and_update_load_no_yaml(hook: str, args: tuple[str, ...], tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "README.md").write_text("# demo\n", encoding="utf-8")
    assert loaded_by(hook, *args, cwd=project) == ""
    if hook == "post_copy.py":
        assert (project / ".git").is_dir()  # it did its work: the first commit
