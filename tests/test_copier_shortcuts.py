"""The suite's two shortcuts through Copier's git steps (tests/copier_shortcuts.py, installed by conftest in this
process) skip git only where it would do nothing: a template with a submodule still gets it, and a project
whose git ignores file modes still gets the executable bit in its index."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import copier
import pytest
from helpers import git, python
from plumbum import local


def template_repo(root: Path, files: dict[str, str], executable: tuple[str, ...] = ()) -> Path:
    root.mkdir(parents=True)
    (root / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n  default: demo\n")
    for name, text in files.items():
        path = root / "template" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if name in executable:
            path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "template")
    return root


def traced_copy(template: Path, dst: Path, trace: Path) -> list[str]:
    """run_copy with every git process traced (plumbum hands git its own copy of the environment)."""
    file_protocol = {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "protocol.file.allow", "GIT_CONFIG_VALUE_0": "always"}
    with local.env(GIT_TRACE=str(trace), **file_protocol):
        copier.run_copy(str(template), str(dst), defaults=True, overwrite=True, quiet=True, vcs_ref="HEAD")
    return trace.read_text().splitlines() if trace.exists() else []


def test_a_template_without_submodules_runs_no_submodule_command(tmp_path):
    template = template_repo(tmp_path / "plain", {"README.md.jinja": "# {{ name }}\n"})
    commands = traced_copy(template, tmp_path / "out", tmp_path / "trace")
    assert any("built-in: git clone" in line for line in commands), "the trace saw Copier's clone"
    assert not [line for line in commands if "submodule" in line]
    assert (tmp_path / "out" / "README.md").read_text() == "# demo\n"


def test_a_template_with_a_submodule_still_gets_it(tmp_path):
    inner = template_repo(tmp_path / "inner", {"shared.txt": "from the submodule\n"})
    template = template_repo(tmp_path / "outer", {"README.md.jinja": "# {{ name }}\n"})
    git(template, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner), "template/vendor")
    git(template, "commit", "-qm", "vendor")
    commands = traced_copy(template, tmp_path / "out", tmp_path / "trace")
    assert [line for line in commands if "git-submodule update" in line], commands
    assert (tmp_path / "out" / "vendor" / "template" / "shared.txt").read_text() == "from the submodule\n"


def index_mode(repo: Path, name: str) -> str:
    return git(repo, "ls-files", "--stage", "--", name).split()[0]


def test_a_project_whose_git_ignores_file_modes_still_gets_the_executable_bit_in_its_index(tmp_path):
    template = template_repo(tmp_path / "tpl", {"run.sh": "#!/bin/sh\necho run\n"}, executable=("run.sh",))
    for file_mode, expected in (("false", "100755"), ("true", "100644")):
        project = tmp_path / f"project-{file_mode}"
        project.mkdir()
        (project / "run.sh").write_text("#!/bin/sh\necho old\n")
        git(project, "init", "-q", "-b", "main")
        git(project, "config", "core.fileMode", file_mode)
        git(project, "add", "-A")
        git(project, "commit", "-qm", "mine")
        assert index_mode(project, "run.sh") == "100644"
        traced_copy(template, project, tmp_path / f"trace-{file_mode}")
        assert os.access(project / "run.sh", os.X_OK)
        # false: git cannot see the chmod, so Copier writes the mode into the index; true: git sees it, the
        # index is left for the person to commit (Copier's own behaviour either way).
        assert index_mode(project, "run.sh") == expected, file_mode


def test_the_copier_and_cli_processes_the_suite_starts_have_them_too():
    """conftest's light warm Python (helpers.python()) serves the tests' `copier` and `hf-hub-template` runs:
    they have the shortcuts this process has, or the measured fast lane would not be what the suite runs."""
    if python() == sys.executable:
        pytest.skip("HF_HUB_TEMPLATE_COLD=1: the tests start the real python, without the shortcuts")
    probe = (
        "import copier._main, copier._vcs; print(getattr(copier._vcs.get_git, 'skips_idle_submodule_commands', 0),"
        " getattr(copier._main.Worker._sync_git_index_executable_bit, 'asks_once_per_render', 0))"
    )
    for isolated in ([], ["-I"]):  # fleet's renders run `python -I -m copier`
        result = subprocess.run([python(), *isolated, "-c", probe], capture_output=True, text=True, timeout=60)
        assert result.stdout.split() == ["True", "True"], result.stdout + result.stderr
