"""The suite's shortcuts (tests/copier_shortcuts.py, installed by conftest in this process): the two through
Copier's git steps skip git only where it would do nothing (a template with a submodule still gets it, a
project whose git ignores file modes still gets the executable bit in its index); the run's shared Jinja
code is what Jinja compiles for the same source and settings, under the name each process gives it."""

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


COMPILE_PROBE = r"""
import json, sys, jinja2
generated = []
generate = jinja2.Environment._generate
jinja2.Environment._generate = lambda self, *a, **k: generated.append(1) or generate(self, *a, **k)
sys.path.insert(0, sys.argv[1])
import copier_shortcuts
copier_shortcuts.install()
from jinja2.sandbox import SandboxedEnvironment
env = SandboxedEnvironment(keep_trailing_newline=True, trim_blocks=sys.argv[2] == "trim")
source = "{{ name | upper }}\n{% if tag %}tagged {{ tag }}{% endif %}\n"
code = env.compile(source, "README.md.jinja", sys.argv[3])
text = env.template_class.from_code(env, code, env.make_globals(None)).render({"name": "demo", "tag": "x"})
print(json.dumps({"generated": len(generated), "file": code.co_filename, "text": text}))
"""


def compile_in_a_new_process(folder: Path | None, settings: str, filename: str) -> dict[str, object]:
    import json

    import copier_shortcuts

    env = {k: v for k, v in os.environ.items() if k != copier_shortcuts.CODE_VAR}
    env |= {copier_shortcuts.CODE_VAR: str(folder)} if folder else {}
    tests = str(Path(__file__).parent)
    args = [sys.executable, "-c", COMPILE_PROBE, tests, settings, filename]
    return json.loads(subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout)


def test_jinja_code_one_process_compiled_is_the_next_ones_under_its_own_file_name(tmp_path):
    folder = tmp_path / "code"
    first = compile_in_a_new_process(folder, "plain", "/first/README.md.jinja")
    files = sorted(folder.iterdir())
    assert first == {"generated": 1, "file": "/first/README.md.jinja", "text": "DEMO\ntagged x\n"}
    assert len(files) == 1, "one source, one entry (the second compile of it is the process's own)"
    again = compile_in_a_new_process(folder, "plain", "/second/README.md.jinja")
    assert again == {"generated": 0, "file": "/second/README.md.jinja", "text": "DEMO\ntagged x\n"}
    assert sorted(folder.iterdir()) == files


def test_other_settings_or_no_folder_compile_anew(tmp_path):
    folder = tmp_path / "code"
    compile_in_a_new_process(folder, "plain", "a")
    trimmed = compile_in_a_new_process(folder, "trim", "a")
    assert trimmed == {"generated": 1, "file": "a", "text": "DEMO\ntagged x"}, "trim_blocks makes other code"
    assert len(list(folder.iterdir())) == 2
    assert compile_in_a_new_process(None, "plain", "a")["generated"] == 1


def test_the_render_processes_the_suite_starts_keep_their_jinja_code_in_the_run_s_folder(tmp_path):
    import copier_shortcuts

    if python() == sys.executable:
        pytest.skip("HF_HUB_TEMPLATE_COLD=1: the tests start the real python, without the shortcuts")
    probe = "import jinja2; jinja2.Environment().compile('{{ probe_%s }}')"
    for isolated in ([], ["-I"]):
        folder = tmp_path / f"code{len(isolated)}"
        env = os.environ | {copier_shortcuts.CODE_VAR: str(folder)}
        result = subprocess.run([python(), *isolated, "-c", probe % len(isolated)], env=env, capture_output=True)
        assert result.returncode == 0 and len(list(folder.iterdir())) == 1, result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    files = (path for path in folder.rglob("*") if path.is_file() and ".git" not in path.relative_to(folder).parts)
    return {str(path.relative_to(folder)): path.read_bytes() for path in files}


def test_a_served_copy_of_a_kept_template_is_the_copy_copier_makes_alone(template, tmp_path):
    """The run's clone of a session template repo, git's answers about it and its parsed copier.yml are what
    Copier makes of the repo itself: the same files, the same recorded commit, and no clone of its own."""
    import copier_shortcuts

    if python() == sys.executable:
        pytest.skip("HF_HUB_TEMPLATE_COLD=1: the tests start the real python, without the shortcuts")
    args = ["-m", "copier", "copy", "--defaults", "--trust", "--skip-tasks", "--vcs-ref", "HEAD", str(template)]
    shared = (copier_shortcuts.KEPT_VAR, copier_shortcuts.CODE_VAR)
    alone_env = {key: value for key, value in os.environ.items() if key not in shared}
    alone = subprocess.run(
        [sys.executable, *args, str(tmp_path / "alone" / "demo")], env=alone_env, capture_output=True
    )
    trace = tmp_path / "git-trace"
    for run in ("first", "again"):  # the first may be the run's first render of it: it clones it
        served_env = os.environ | ({"GIT_TRACE": str(trace)} if run == "again" else {})
        served = subprocess.run([python(), *args, str(tmp_path / run / "demo")], env=served_env, capture_output=True)
        assert alone.returncode == served.returncode == 0, (alone.stderr, served.stderr)
        assert tree(tmp_path / run / "demo") == tree(tmp_path / "alone" / "demo")
    assert "_commit: 1.1.0" in (tmp_path / "again" / "demo" / ".copier-answers.yml").read_text()
    import hashlib
    import pickle

    config = (template / "copier.yml").read_bytes()
    parsed = Path(os.environ[copier_shortcuts.KEPT_VAR], "config", hashlib.sha256(config).hexdigest())
    load = "import pickle, sys; from pathlib import Path; from copier._template import load_template_config as load; "
    load += f"sys.stdout.buffer.write(pickle.dumps(load(Path({str(template / 'copier.yml')!r}))))"
    by_copier = subprocess.run([sys.executable, "-c", load], capture_output=True, check=True).stdout
    assert pickle.loads(parsed.read_bytes()) == pickle.loads(by_copier)  # noqa: S301 (this run's own files)
    traced = trace.read_text()
    assert "rev-parse" not in traced and "describe" not in traced and "clone" not in traced, traced


def test_a_change_to_a_kept_clone_is_reported(tmp_path, monkeypatch):
    import copier_shortcuts

    folder = tmp_path / "kept"
    monkeypatch.setenv(copier_shortcuts.KEPT_VAR, str(folder))
    repo = template_repo(tmp_path / "tpl", {"README.md.jinja": "# {{ name }}\n"})
    copier_shortcuts.keep(str(repo))
    for dst in ("one", "two"):
        copier.run_copy(str(repo), str(tmp_path / dst), defaults=True, quiet=True, vcs_ref="HEAD")
        assert (tmp_path / dst / "README.md").read_text() == "# demo\n"
    (clone,) = [path for path in (folder / "clones").iterdir() if path.is_dir()]
    assert copier_shortcuts.changed_clones(folder) == []
    (clone / "template" / "README.md.jinja").write_text("# changed\n")
    assert copier_shortcuts.changed_clones(folder) == [str(clone) + ".files.json"]
