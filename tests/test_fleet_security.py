"""`fleet-update` and `update` never run a template the operator did not choose, and never hand it the token.

The attack: a person who can push to one repo of an organisation points that repo's
`.copier-answers.yml` at a template of their own, whose migration, task and Jinja extension
each try to steal the token of whoever updates the fleet. The control test proves the
attacker's template really does run and steal when Copier is pointed at it directly.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import (
    CURRENT_VERSION,
    ROOT,
    assert_token_absent,
    copy_old,
    fake_token,
    git,
    hub_env,
    row,
    seed_from,
    tag_release,
    tracked_files,
)
from hub_server import HubServer

from hf_hub_template.template_source import copier_environment, normalise, same_template

NAMESPACE = "fleet"
STEAL = """\
import os, pathlib, sys
marks = pathlib.Path({marks!r})
marks.mkdir(parents=True, exist_ok=True)
try:
    from huggingface_hub import get_token
    found = get_token() or ""
except Exception as exc:
    found = repr(exc)
(marks / sys.argv[1]).write_text(os.environ.get("HF_TOKEN", "") + "|" + found)
"""

EXTENSION = """\
import subprocess, sys
from pathlib import Path
from jinja2.ext import Extension

class Steal(Extension):
    def __init__(self, environment):
        super().__init__(environment)
        subprocess.run([sys.executable, str(Path(__file__).parent.parent / "steal.py"), "extension"])
"""


def evil_template(root: Path, marks: Path) -> Path:
    """A template tagged 0.9.0 and 1.0.0 whose migration, task and extension each steal the token."""
    root.mkdir(parents=True)
    (root / "steal.py").write_text(STEAL.format(marks=str(marks)))
    (root / "extensions").mkdir()
    (root / "extensions" / "steal.py").write_text(EXTENSION)
    config = {
        "_subdirectory": "template",
        "_jinja_extensions": ["copier_template_extensions.TemplateExtensionLoader", "extensions/steal.py:Steal"],
        "_tasks": [["{{ _copier_python }}", "{{ _copier_conf.src_path }}/steal.py", "task"]],
        "_migrations": [
            {
                "version": "1.0.0",
                "command": ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/steal.py", "migration"],
            }
        ],
        "repo_name": {"type": "str", "default": "demo"},
    }
    (root / "copier.yml").write_text(yaml.safe_dump(config))
    (root / "template").mkdir()
    (root / "template" / "README.md.jinja").write_text("---\nsdk: static\n---\n# {{ repo_name }}\n")
    (root / "template" / "{{_copier_conf.answers_file}}.jinja").write_text("{{ _copier_answers|to_nice_yaml }}")
    git(root, "init", "-q", "-b", "main")
    tag_release(root, "0.9.0")
    (root / "template" / "index.html").write_text("<p>1.0</p>\n")
    tag_release(root, "1.0.0")
    return root


@pytest.fixture
def attacker(versions: Path, tmp_path: Path):
    """A namespace with one honest repo (made from `versions`) and one whose answers name the evil template."""
    token = fake_token()
    marks = tmp_path / "stolen"
    evil = evil_template(tmp_path / "evil", marks)
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        honest = copy_old(versions, tmp_path / "honest", repo_type="space", sdk="static")
        seed_from(hub, "space", "fleet/honest", honest, "static")
        answers = yaml.safe_load((honest / ".copier-answers.yml").read_text())
        answers["_src_path"] = str(evil)  # the attacker's one-line push
        files = {path: (honest / path).read_bytes() for path in tracked_files(honest)}
        files[".copier-answers.yml"] = yaml.safe_dump(answers).encode()
        hub.seed("space", "fleet/trojan", files, sdk="static")
        env = hub_env(tmp_path, hub.url, token) | {"TMPDIR": str(tmp_path / "tmp")}
        (tmp_path / "tmp").mkdir()
        yield hub, env, token, evil, marks


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hf_hub_template", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_control_the_evil_template_does_steal_when_copier_runs_it(attacker, tmp_path):
    """Without the fleet's check, each of the three ways in runs and reads the token."""
    _hub, env, token, evil, marks = attacker
    project = tmp_path / "victim"
    copier = [sys.executable, "-m", "copier"]
    copy = subprocess.run(
        [*copier, "copy", "--trust", "--defaults", "--vcs-ref", "0.9.0", str(evil), str(project)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert copy.returncode == 0, copy.stderr
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "init")
    update = subprocess.run(
        [*copier, "update", "--trust", "--defaults", "--skip-tasks"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    assert update.returncode == 0, update.stderr
    stolen = {path.name: path.read_text() for path in marks.iterdir()}
    assert set(stolen) == {"extension", "task", "migration"}
    assert all(token in text for text in stolen.values())


@pytest.mark.parametrize("template_flag", [True, False], ids=["with-template", "installed-template"])
def test_fleet_never_renders_a_repo_that_names_another_template(attacker, versions, template_flag):
    hub, env, token, evil, marks = attacker
    flags = ["--template", str(versions)] if template_flag else []
    result = run_cli(env, "fleet-update", NAMESPACE, "--vcs-ref", CURRENT_VERSION, *flags)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert not marks.exists(), f"the attacker's code ran: {sorted(p.name for p in marks.iterdir())}"
    assert hub.repo("space", "fleet/trojan").pulls == []
    assert f"skipped: made from another template: {evil}" in out
    assert "space:fleet/trojan" in row(result.stdout, "space:fleet/trojan")
    if template_flag:
        assert len(hub.repo("space", "fleet/honest").pulls) == 1, "the honest repo is still updated"
    else:
        # Run from this checkout, the tool trusts only this checkout: the `versions` repos are foreign too.
        assert hub.repo("space", "fleet/honest").pulls == []
        assert f"made from another template: {versions}" in out
    assert_token_absent(token, result.stdout, result.stderr, hub=hub, folders=[Path(env["TMPDIR"])])


def test_update_command_refuses_a_project_that_names_another_template(attacker, tmp_path):
    _hub, env, _token, evil, marks = attacker
    project = tmp_path / "cloned"
    files = attacker[0].repo("space", "fleet/trojan").files
    for path, content in files.items():
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        (project / path).write_bytes(content)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "cloned from the Hub")
    result = run_cli(env, "update", str(project), "--vcs-ref", "1.0.0")
    assert result.returncode == 2
    assert f"was made from {evil}" in result.stderr and "nothing was run" in result.stderr
    assert not marks.exists()


def test_the_trusted_templates_own_code_sees_no_token(versions, tmp_path):
    """Defence in depth: a migration of the operator's own template gets an environment without credentials."""
    nosy = tmp_path / "nosy"
    shutil.copytree(versions, nosy)
    seen = tmp_path / "seen.txt"
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import os, pathlib\nfrom huggingface_hub import get_token\n"
        f"pathlib.Path({str(seen)!r}).write_text(repr(sorted(os.environ.items())) + '|' + repr(get_token()))\n"
    )
    config = (nosy / "copier.yml").read_text()
    config = config.replace(
        "_migrations:\n",
        f'_migrations:\n  - version: "1.1.1"\n    command: ["{{{{ _copier_python }}}}", "{probe}"]\n',
    )
    (nosy / "copier.yml").write_text(config)
    git(nosy, "commit", "-qam", "1.1.1")
    git(nosy, "tag", "1.1.1")
    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        seed_from(hub, "space", "fleet/plain", copy_old(nosy, tmp_path / "plain", repo_type="space", sdk="static"))
        env = hub_env(tmp_path, hub.url, token) | {"HUGGING_FACE_HUB_TOKEN": token, "HF_API_TOKEN": token}
        (Path(env["HF_HOME"])).mkdir(parents=True, exist_ok=True)
        (Path(env["HF_HOME"]) / "token").write_text(token)  # as `hf auth login` leaves it
        result = run_cli(env, "fleet-update", NAMESPACE, "--template", str(nosy), "--vcs-ref", "1.1.1")
        assert result.returncode == 0, result.stdout + result.stderr
        assert len(hub.repo("space", "fleet/plain").pulls) == 1
    text = seen.read_text()  # the migration ran ...
    assert token not in text and text.endswith("|None")  # ... and found no token anywhere
    assert "HUGGING_FACE_HUB_TOKEN" not in text and "HF_ENDPOINT" not in text


@pytest.mark.parametrize(
    ("recorded", "trusted"),
    [
        ("gh:acme/hf-hub-template", "https://github.com/acme/hf-hub-template"),
        ("https://github.com/acme/hf-hub-template.git", "git+https://github.com/acme/hf-hub-template"),
        ("git@github.com:acme/hf-hub-template.git", "gh:acme/hf-hub-template"),
        ("https://github.com/acme/hf-hub-template/", "https://GitHub.com/acme/hf-hub-template"),
        ("gl:acme/hf-hub-template", "https://gitlab.com/acme/hf-hub-template.git"),
        ("/srv/templates/hub/", "file:///srv/templates/hub"),
        ("/srv/templates/hub/../hub", "git+file:///srv/templates/hub"),
    ],
)
def test_spellings_of_one_source_are_the_same_template(recorded, trusted):
    assert same_template(recorded, trusted)


@pytest.mark.parametrize(
    ("recorded", "trusted"),
    [
        ("gh:evil/hf-hub-template", "gh:acme/hf-hub-template"),
        ("gh:acme/hf-hub-template-fork", "gh:acme/hf-hub-template"),
        ("https://github.com.evil.example/acme/hf-hub-template", "gh:acme/hf-hub-template"),
        ("https://github.com:8443/acme/hf-hub-template", "gh:acme/hf-hub-template"),
        ("gl:acme/hf-hub-template", "gh:acme/hf-hub-template"),
        ("/srv/templates/hub.git", "/srv/templates/hub"),
        ("/srv/templates/hub-evil", "/srv/templates/hub"),
        ("", "gh:acme/hf-hub-template"),
        (None, "gh:acme/hf-hub-template"),
    ],
)
def test_other_sources_are_other_templates(recorded, trusted):
    assert not same_template(recorded, trusted)


def test_relative_sources_resolve_from_the_project(tmp_path):
    assert normalise("../tpl", base=tmp_path / "project") == f"file://{(tmp_path / 'tpl').resolve()}"


def test_copier_environment_drops_every_credential(tmp_path, monkeypatch):
    for key in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_API_TOKEN", "HF_ENDPOINT", "GITHUB_TOKEN", "AWS_SECRET"):
        monkeypatch.setenv(key, "secret-" + key)
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    env = copier_environment(tmp_path)
    assert not any(value.startswith("secret-") for value in env.values())
    assert env["HF_HOME"] == str(tmp_path / "hf-home") and env["HF_HUB_OFFLINE"] == "1"
    assert env["LC_ALL"] == "C.UTF-8" and env["PATH"]
