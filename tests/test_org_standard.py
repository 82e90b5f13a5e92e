"""Org-standard starters: fixed answers are never asked and cannot be overridden; defaults can."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import copier._main
import pytest
import yaml
from helpers import QUESTIONS, ROOT, git, hf_hub_template_cli
from hub_rules import read_metadata
from prompting import Prompter

from hf_hub_template.cli import main as cli
from hf_hub_template.org_standard import OrgStandard, OrgStandardError

EXAMPLE = ROOT / "examples" / "acme" / "org-standard.yml"


def new(template: Path, dest: Path, *extra: str) -> int:
    return cli(
        ["new", str(dest), "--org-standard", str(EXAMPLE), "--template", str(template), "--vcs-ref", "HEAD", *extra]
    )


def test_example_org_standard_names_only_declared_questions():
    standard = OrgStandard.load(EXAMPLE)
    assert set(standard.fixed) | set(standard.defaults) <= QUESTIONS
    assert standard.fixed and standard.defaults


def test_rendered_repo_carries_the_org_choices(template, tmp_path):
    dest = tmp_path / "acme-space"
    assert new(template, dest, "--defaults") == 0
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert (answers["namespace"], answers["license"], answers["visibility"], answers["github_sync"]) == (
        "acme",
        "apache-2.0",
        "private",
        True,
    )
    assert (answers["space_hardware"], answers["space_sleep_time"]) == ("cpu-upgrade", 3600)
    meta = read_metadata(dest / "README.md")
    assert (meta["colorFrom"], meta["colorTo"], meta["emoji"], meta["suggested_hardware"]) == (
        "purple",
        "pink",
        "🦊",
        "cpu-upgrade",
    )
    assert meta["tags"] == ["acme", "internal"]
    assert (dest / ".github" / "workflows" / "sync-to-hub.yml").is_file()
    assert "acme/acme-space" in (dest / "README.md").read_text()


def test_fixed_answer_cannot_be_overridden(template, tmp_path, capsys):
    dest = tmp_path / "rebel"
    assert new(template, dest, "--defaults", "-d", "namespace=someone-else") == 2
    assert "namespace='acme' is fixed by the org standard" in capsys.readouterr().err
    assert not dest.exists()


def test_default_answer_can_be_changed(template, tmp_path):
    dest = tmp_path / "red"
    assert new(template, dest, "--defaults", "-d", "color_from=red", "-d", "namespace=acme") == 0
    assert read_metadata(dest / "README.md")["colorFrom"] == "red"


def test_at_the_prompt_fixed_answers_are_not_asked_and_defaults_are_prefilled(template, tmp_path, monkeypatch):
    prompter = Prompter({"page_options": True, "color_to": "yellow"})
    monkeypatch.setattr(copier._main, "unsafe_prompt", prompter)
    asked = prompter.offered
    dest = tmp_path / "prompted"
    assert new(template, dest) == 0
    standard = OrgStandard.load(EXAMPLE)
    assert not set(standard.fixed) & set(asked), "fixed answers must not be asked"
    assert {"color_from", "color_to", "emoji", "tags", "repo_name"} <= set(asked)
    assert asked["color_from"] == "purple" and asked["tags"] == "acme, internal"
    meta = read_metadata(dest / "README.md")
    assert (meta["colorFrom"], meta["colorTo"]) == ("purple", "yellow")


def test_org_defaults_behind_a_closed_gate_are_used_and_recorded_unasked(template, tmp_path, monkeypatch):
    prompter = Prompter()
    monkeypatch.setattr(copier._main, "unsafe_prompt", prompter)
    asked = prompter.offered
    dest = tmp_path / "enter"
    assert new(template, dest) == 0
    assert not {"color_from", "tags"} & set(asked) and asked["page_options"] is False
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert answers["color_from"] == "purple" and answers["tags"] == "acme, internal"
    meta = read_metadata(dest / "README.md")
    assert meta["colorFrom"] == "purple" and {"acme", "internal"} <= set(meta["tags"])


def test_unknown_key_in_org_standard_is_refused(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("fixed:\n  namspace: acme\n")
    with pytest.raises(OrgStandardError, match=r"namspace \(did you mean namespace\?\) is not a question of this"):
        OrgStandard.load(bad)


def test_key_both_fixed_and_default_is_refused(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("fixed:\n  license: mit\ndefaults:\n  license: apache-2.0\n")
    with pytest.raises(OrgStandardError, match="cannot be both fixed and a default"):
        OrgStandard.load(bad)


def test_invalid_fixed_value_is_refused_by_the_validator(template, tmp_path, capsys):
    bad = tmp_path / "bad.yml"
    bad.write_text("fixed:\n  license: Apache-2.0\n")
    args = ["new", str(tmp_path / "x"), "--org-standard", str(bad), "--template", str(template), "--vcs-ref", "HEAD"]
    assert cli([*args, "--defaults"]) == 2
    assert "Validation error for question 'license': lowercase: apache-2.0" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_update_reapplies_the_current_org_standard(template, tmp_path):
    dest = tmp_path / "acme-model"
    assert new(template, dest, "--defaults", "-d", "repo_type=model") == 0
    changed = tmp_path / "v2.yml"
    data = yaml.safe_load(EXAMPLE.read_text())
    data["fixed"]["license"] = "mit"
    changed.write_text(yaml.safe_dump(data))
    assert (
        cli(["update", str(dest), "--org-standard", str(changed), "--vcs-ref", "HEAD", "--template", str(template)])
        == 0
    )
    assert read_metadata(dest / "README.md")["license"] == "mit"


# ------------------------------------------------------------------- what the command prints
def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*hf_hub_template_cli(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_a_bad_answer_is_one_line_and_nothing_is_written(template, tmp_path):
    result = run_cli("new", str(tmp_path / "x"), "--template", str(template), "-d", "license=Apache-2.0", "--defaults")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "hf-hub-template: Validation error for question 'license': lowercase: apache-2.0"
    ]
    assert not (tmp_path / "x").exists()


def test_an_answer_that_is_not_a_choice_is_one_line_and_nothing_is_written(template, tmp_path):
    result = run_cli("new", str(tmp_path / "x"), "--template", str(template), "-d", "repo_type=nope", "--defaults")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "hf-hub-template: Invalid choice for 'repo_type': 'nope' is not in ['space', 'model', 'dataset']"
    ]
    assert not (tmp_path / "x").exists()


def test_a_folder_that_is_not_empty_is_refused_and_overwrite_renders_into_it_keeping_the_rest(template, tmp_path):
    """The refusal names --overwrite, and `new` has it, as `copier copy` does."""
    dst = tmp_path / "taken"
    dst.mkdir()
    (dst / "notes.txt").write_text("mine\n")
    refused = run_cli("new", str(dst), "--template", str(template), "--vcs-ref", "HEAD", "--defaults")
    assert refused.returncode == 2 and "use an empty folder, or --overwrite" in refused.stderr
    assert [path.name for path in dst.iterdir()] == ["notes.txt"], "nothing was written"
    taken = run_cli("new", str(dst), "--template", str(template), "--vcs-ref", "HEAD", "--defaults", "--overwrite")
    assert taken.returncode == 0, taken.stderr
    assert (dst / "notes.txt").read_text() == "mine\n" and (dst / "app.py").is_file()


def test_an_unknown_option_is_said_with_the_command_s_own_usage(tmp_path):
    result = run_cli("new", str(tmp_path / "x"), "--overwritee")
    assert result.returncode == 2
    assert result.stderr.startswith("usage: hf-hub-template new ") and "[--overwrite]" in result.stderr
    assert result.stderr.strip().endswith("hf-hub-template new: error: unrecognized arguments: --overwritee")
    assert not (tmp_path / "x").exists()
    top = run_cli("--help")
    assert max(len(line) for line in top.stdout.splitlines()) <= 80, top.stdout


def test_an_answer_no_question_has_is_refused_with_the_name_it_was_meant_to_be(template, tmp_path):
    """Copier ignores `-d` answers no question has; `new` says so, before anything is written."""
    args = ["new", str(tmp_path / "x"), "--template", str(template), "--vcs-ref", "HEAD", "--defaults"]
    result = run_cli(*args, "-d", "colour_from=red", "-d", "zzz=1")
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        "hf-hub-template: -d colour_from (did you mean color_from?), zzz: not questions of the template; "
        "nothing was written."
    ]
    assert not (tmp_path / "x").exists()
    taken = run_cli(*args, "-d", "color_from=red")
    assert taken.returncode == 0, taken.stderr
    assert "colorFrom: red" in (tmp_path / "x" / "README.md").read_text()
    demo = run_cli("demo", "acme/model", str(tmp_path / "d"), "--template", str(template), "-d", "colour_from=red")
    assert demo.returncode == 2 and "colour_from (did you mean color_from?)" in demo.stderr, "before the Hub is read"


def test_an_answer_only_the_template_used_has_is_taken(template, tmp_path):
    """A fork's own question is an answer `new` takes: the names come from the template it renders."""
    fork = tmp_path / "fork"
    git(
        tmp_path, "clone", "-q", "--no-hardlinks", str(template), str(fork)
    )  # a commit would touch shared objects' mtime
    copier_yml = fork / "copier.yml"
    copier_yml.write_text(copier_yml.read_text() + "\nteam:\n  type: str\n  help: Owning team\n  default: ml\n")
    git(fork, "commit", "-qam", "a question of the fork's own")
    result = run_cli(
        "new", str(tmp_path / "x"), "--template", str(fork), "--vcs-ref", "HEAD", "--defaults", "-d", "team=nlp"
    )
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((tmp_path / "x" / ".copier-answers.yml").read_text())["team"] == "nlp"


def test_an_unreachable_template_is_one_line_that_says_what_to_do(tmp_path):
    standard = tmp_path / "org.yml"
    standard.write_text(f"template: {tmp_path / 'no-such-template'}\nfixed:\n  namespace: acme\n")
    result = run_cli("new", str(tmp_path / "x"), "--org-standard", str(standard), "--defaults")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0] and "--template" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "x").exists()


def test_version_and_argument_help():
    assert run_cli("--version").stdout.strip() == "hf-hub-template 1.1.0"
    for command, argument in (("new", "dest"), ("update", "project"), ("publish", "project")):
        shown = run_cli(command, "--help").stdout
        assert re.search(rf"^  {argument}\s+\S", shown, flags=re.M), shown
    assert re.search(r"^  -d KEY=VALUE, --data KEY=VALUE\s+\S", run_cli("update", "--help").stdout, flags=re.M)


def test_every_sub_command_help_page_opens_with_a_description():
    """`hf-hub-template COMMAND --help`: after the usage, one line that says what the command does."""
    import argparse

    from hf_hub_template.cli import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert {"new", "update", "publish", "status", "trio", "fleet-update", "fleet-status"} <= set(commands)
    for name, page in commands.items():
        shown = page.format_help()
        after_usage = shown.split("\n\n")[1].strip()
        assert page.description and after_usage == page.description, f"{name}: {shown}"
        assert not after_usage.startswith(("positional arguments", "options")), name
    shown = run_cli("update", "--help").stdout
    assert shown.split("\n\n")[1].strip() == commands["update"].description


def test_update_takes_answers_with_data_and_records_them(template, tmp_path):
    dest = tmp_path / "plain-model"
    assert (
        cli(["new", str(dest), "--template", str(template), "--vcs-ref", "HEAD", "--defaults", "-d", "repo_type=model"])
        == 0
    )
    assert read_metadata(dest / "README.md")["license"] == "apache-2.0"
    command = ["update", str(dest), "--template", str(template), "--vcs-ref", "HEAD", "-d", "license=mit"]
    assert cli(command) == 0
    assert read_metadata(dest / "README.md")["license"] == "mit"
    assert yaml.safe_load((dest / ".copier-answers.yml").read_text())["license"] == "mit", "the answer is recorded"


@pytest.mark.slow  # builds the tool with uv, as `uvx --from CHECKOUT` does
def test_new_run_through_uvx_from_a_checkout_renders_that_checkout(template, tmp_path):
    """Installed from a folder (not run inside it), `new` takes the template it was installed from."""
    import os

    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    command = [sys.executable, "-m", "uv", "tool", "run", "--from", str(template), "hf-hub-template"]
    result = subprocess.run(
        [*command, "new", str(tmp_path / "x"), "--defaults", "--vcs-ref", "HEAD"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert read_metadata(tmp_path / "x" / "README.md")["sdk"] == "gradio"


@pytest.mark.slow  # uv builds the tool from a folder, three times
def test_uvx_from_a_checkout_runs_the_checkout_as_it_is_now(template, tmp_path):
    """uv caches a folder's build until its pyproject.toml changes: pyproject's [tool.uv] cache-keys (the git
    commit, the package's files) make a changed checkout rebuild, edited in place or pulled."""
    import os
    import shutil

    from helpers import git

    checkout = tmp_path / "hf-hub-template"
    shutil.copytree(template, checkout)  # a git clone of this tree, as a person's checkout is
    env = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    command = [sys.executable, "-m", "uv", "tool", "run", "--from", str(checkout), "hf-hub-template", "--help"]

    def shown() -> str:
        result = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    cli_py = checkout / "hf_hub_template" / "cli.py"
    first_line = cli_py.read_text(encoding="utf-8").split('"""', 2)[1].splitlines()[0]
    assert first_line in " ".join(shown().split())
    cli_py.write_text(cli_py.read_text(encoding="utf-8").replace(first_line, "EDITED-IN-PLACE", 1), encoding="utf-8")
    assert "EDITED-IN-PLACE" in shown(), "an edited checkout ran its old build"
    cli_py.write_text(cli_py.read_text(encoding="utf-8").replace("EDITED-IN-PLACE", "PULLED", 1), encoding="utf-8")
    git(checkout, "commit", "-qam", "as git pull brings it")
    assert "PULLED" in shown(), "a pulled checkout ran its old build"
