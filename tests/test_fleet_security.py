"""`fleet-update` and `update` never run a template the operator did not choose, and never hand it the token.

The attack: a person who can push to one repo of an organisation points that repo's
`.copier-answers.yml` at a template of their own, whose migration, task and Jinja extension
each try to steal the token of whoever updates the fleet. The control test proves the
attacker's template really does run and steal when Copier is pointed at it directly.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import (
    CURRENT_VERSION,
    ROOT,
    assert_token_absent,
    copier_cli,
    copy_old,
    fake_token,
    git,
    hf_hub_template_cli,
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
        [*hf_hub_template_cli(), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_control_the_evil_template_does_steal_when_copier_runs_it(attacker, tmp_path):
    """Without the fleet's check, each of the three ways in runs and reads the token."""
    _hub, env, token, evil, marks = attacker
    project = tmp_path / "victim"
    copier = copier_cli()
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
    assert f"If you trust it, run again with --template {shlex.quote(str(evil))}." in result.stderr
    assert not marks.exists()


def test_update_command_refuses_a_project_that_records_no_template_and_suggests_none(template, tmp_path):
    from helpers import render

    project = render(template, tmp_path / "anonymous")
    answers = project / ".copier-answers.yml"
    answers.write_text("".join(line for line in answers.read_text().splitlines(True) if "_src_path" not in line))
    git(project, "commit", "-qam", "no template recorded")
    result = run_cli(dict(os.environ), "update", str(project), "--template", str(template), "--vcs-ref", "HEAD")
    assert result.returncode == 2 and "was made from (none recorded)" in result.stderr, result.stderr
    assert "--template" not in result.stderr.split("nothing was run.")[1], "no command to run a template not named"


# A migration that looks everywhere a same-user process can: its environment, every ancestor's environment
# block (`/proc/<pid>/environ`, where `fleet-update`'s own HF_TOKEN was), `~/.cache/huggingface/token`, and
# huggingface_hub's own search.
PROBE = """\
import os, pathlib
from huggingface_hub import get_token
found = [repr(sorted(os.environ.items()))]
pid = os.getppid()
while pid > 1:
    try:
        found.append(pathlib.Path(f"/proc/{{pid}}/environ").read_bytes().decode(errors="replace"))
        pid = int(pathlib.Path(f"/proc/{{pid}}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except OSError:
        break
found.append("ancestors:")
home = pathlib.Path.home() / ".cache" / "huggingface" / "token"
found.append("home:" + (home.read_text() if home.is_file() else ""))
pathlib.Path({seen!r}).write_text("|".join(found) + "|" + repr(get_token()))
"""


def test_the_trusted_templates_own_code_sees_no_token(versions, tmp_path):
    """Defence in depth: a migration of the operator's own template gets an environment without credentials."""
    nosy = tmp_path / "nosy"
    shutil.copytree(versions, nosy)
    seen = tmp_path / "seen.txt"
    probe = tmp_path / "probe.py"
    probe.write_text(PROBE.format(seen=str(seen)))
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
        env["HOME"] = str(tmp_path / "home")  # and where it leaves it by default
        (tmp_path / "home" / ".cache" / "huggingface").mkdir(parents=True)
        (tmp_path / "home" / ".cache" / "huggingface" / "token").write_text(token)
        result = run_cli(env, "fleet-update", NAMESPACE, "--template", str(nosy), "--vcs-ref", "1.1.1")
        assert result.returncode == 0, result.stdout + result.stderr
        assert len(hub.repo("space", "fleet/plain").pulls) == 1
    text = seen.read_text()  # the migration ran ...
    assert "|ancestors:" in text and "|home:" in text
    where = text.find(token)
    assert where == -1, text[max(0, where - 300) : where + 50]
    assert text.endswith("|None")  # ... and found no token anywhere
    own_environment = text.split("|", 1)[0]
    assert "HUGGING_FACE_HUB_TOKEN" not in own_environment and "HF_ENDPOINT" not in own_environment


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


# ------------------------------------------------------------- a hostile fleet, second round (issue 24)
class Listener:
    """An HTTP server on loopback that answers 404 and remembers every request: the attacker's host."""

    def __init__(self) -> None:
        import http.server
        import threading

        seen: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                seen.append(self.path)
                self.send_error(404)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.seen = seen
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()  # quick shutdown()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def git_daemon(versions: Path):
    """The organisation's template served over git:// on loopback, as a template host serves it."""
    import socket
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = versions.parent
    daemon = subprocess.Popen(
        ["git", "daemon", "--reuseaddr", "--export-all", f"--base-path={base}", "--listen=127.0.0.1"]
        + [f"--port={port}", str(base)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"git://127.0.0.1:{port}/{versions.name}"
    for _ in range(100):
        if subprocess.run(["git", "ls-remote", url], capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    yield url, port
    daemon.terminate()
    daemon.wait()


def hostile_spellings(port: int, attacker: int, marks: Path) -> dict[str, str]:
    """Each a `_src_path` that names the attacker's host (or a shell, an option, another user's home) in a
    way a string comparison could take for the organisation's template."""
    org = f"127.0.0.1:{port}/hf-hub-template"
    return {
        "query": f"http://127.0.0.1:{attacker}?@{org}",
        "fragment": f"http://127.0.0.1:{attacker}#@{org}",
        "backslash": f"http://127.0.0.1:{attacker}\\@{org}",
        "userinfo": f"git://user:pw@127.0.0.1:{attacker}/hf-hub-template",
        "scheme": f"http://127.0.0.1:{attacker}/hf-hub-template",
        "dots": f"git://{org}/../../127.0.0.1:{attacker}/x",
        "ext": f"ext::sh -c touch% {marks}/ext",
        "option": f"--upload-pack=touch {marks}/option",
        "home": "~nosuchuser/hf-hub-template",
        "newline": f"git://{org}\nhttp://127.0.0.1:{attacker}/",
    }


def test_a_hostile_fleet_runs_nothing_and_fetches_only_the_operators_template(versions, git_daemon, tmp_path):
    url, port = git_daemon
    attacker = Listener()
    marks = tmp_path / "marks"
    token = fake_token()
    try:
        with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
            honest = copy_old(versions, tmp_path / "honest", repo_type="space", sdk="static")
            answers = yaml.safe_load((honest / ".copier-answers.yml").read_text())
            files = {path: (honest / path).read_bytes() for path in tracked_files(honest)}
            spellings = hostile_spellings(port, attacker.port, marks)
            for name, source in spellings.items():
                hub.seed("space", f"fleet/{name}", files | {".copier-answers.yml": _answers(answers, source)}, "static")
            hostile_commit = {**answers, "_src_path": url, "_commit": f"--output={marks}/commit"}
            hub.seed("space", "fleet/commit", files | {".copier-answers.yml": yaml.safe_dump(hostile_commit).encode()})
            hub.seed("space", "fleet/bomb", files | {".copier-answers.yml": ALIAS_BOMB.encode()}, "static")
            # One repo spells the organisation's template another way: it is updated, from the operator's clone.
            # (made from the template's git URL, as the organisation's repos are, written with a trailing `/`)
            seed_from(
                hub, "space", "fleet/alias", copy_old(url + "/", tmp_path / "alias", repo_type="space", sdk="static")
            )
            env = hub_env(tmp_path, hub.url, token)
            update = run_cli(env, "fleet-update", NAMESPACE, "--template", url, "--vcs-ref", CURRENT_VERSION)
            status = run_cli(env, "fleet-status", NAMESPACE, "--template", url, "--markdown")
            assert attacker.seen == [], f"the attacker's host was asked for {attacker.seen}"
            assert not marks.exists(), f"a command of the repo's choosing ran: {sorted(marks.iterdir())}"
            out = update.stdout + update.stderr
            assert "Traceback" not in out + status.stderr, out + status.stderr
            for name in [*spellings, "commit", "bomb"]:
                assert hub.repo("space", f"fleet/{name}").pulls == [], name
                assert ("skipped" in row(update.stdout, f"space:fleet/{name}")) or (
                    "failed" in row(update.stdout, f"space:fleet/{name}")
                ), name
                assert f"space:fleet/{name} " in status.stdout.replace("\\", ""), name
            pulls = hub.repo("space", "fleet/alias").pulls
            assert len(pulls) == 1, row(update.stdout, "space:fleet/alias")
            proposed = pulls[0]["commit"]["changes"]
            assert ".copier-answers.yml" in proposed, sorted(proposed)
            recorded = yaml.safe_load(proposed[".copier-answers.yml"].decode())
            assert recorded["_src_path"] == url + "/", "the repo keeps its own spelling"
            assert recorded["_commit"] == CURRENT_VERSION
            assert_token_absent(token, update.stdout, update.stderr, status.stdout, status.stderr, hub=hub)
    finally:
        attacker.close()


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(9)
)


def _answers(answers: dict, source: str) -> bytes:
    return yaml.safe_dump({**answers, "_src_path": source}).encode()


# --------------------------------------------- files of the project itself (an independent review)
def _project_naming(tmp_path: Path, source: str, files: dict[str, bytes]) -> Path:
    """A clean git work tree whose answers name `source` at 0.9.0, holding `files` besides."""
    work = tmp_path / "work"
    work.mkdir()
    answers = {"_commit": "0.9.0", "_src_path": source, "repo_name": "x", "repo_type": "space", "sdk": "static"}
    (work / ".copier-answers.yml").write_text(yaml.safe_dump(answers))
    for path, content in files.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(content)
    git(work, "init", "-q", "-b", "main")
    git(work, "add", "-A")
    git(work, "commit", "-qm", "the repo")
    return work


def test_a_file_named_like_the_template_url_is_never_taken_for_the_template(versions, tmp_path):
    """`https://host/org/t.git` read as a relative path is `https:/host/org/t.git`: a git bundle of an evil
    template planted there was cloned (Copier and git look for a local path first) when Copier ran in the
    project."""
    from hf_hub_template import trusted_update

    marks = tmp_path / "marks"
    evil = evil_template(tmp_path / "evil", marks)
    bundle = tmp_path / "evil.bundle"
    git(evil, "bundle", "create", str(bundle), "--all")
    source = "https://github.com/acme/hf-hub-template"  # Copier hands git this with `.git` added
    work = _project_naming(tmp_path, source, {"https:/github.com/acme/hf-hub-template.git": bundle.read_bytes()})
    trusted_update.check(work, source)  # the answers are an honest organisation member's
    trusted_update.run_update(work, versions, tmp_path / "scratch", vcs_ref="1.0.0")
    assert not marks.exists(), f"the planted template ran: {sorted(p.name for p in marks.iterdir())}"


def test_a_copier_module_in_the_project_is_never_imported(versions, tmp_path):
    from hf_hub_template import trusted_update

    mark = tmp_path / "imported"
    work = _project_naming(
        tmp_path, str(versions), {"copier.py": f"import pathlib\npathlib.Path({str(mark)!r}).touch()\n".encode()}
    )
    result, _ = trusted_update.run_update(work, versions, tmp_path / "scratch", vcs_ref=CURRENT_VERSION)
    assert not mark.exists(), "the project's copier.py ran in place of Copier"
    assert result.returncode == 0, result.stderr


def test_an_answers_file_that_is_a_link_or_nested_deep_is_refused(versions, tmp_path):
    from hf_hub_template import trusted_update

    outside = tmp_path / "outside.yml"
    outside.write_text(yaml.safe_dump({"_commit": "0.9.0", "_src_path": str(versions)}))
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / ".copier-answers.yml").symlink_to(outside)
    with pytest.raises(trusted_update.Refused, match="symbolic link"):
        trusted_update.check(linked, str(versions))
    deep = tmp_path / "deep"
    deep.mkdir()
    (deep / ".copier-answers.yml").write_text("a: " + "[" * 20_000 + "]" * 20_000 + "\n")
    with pytest.raises(ValueError, match="nested too deeply"):
        trusted_update.check(deep, str(versions))


def test_an_answers_file_that_already_names_the_clone_as_the_run_would_updates(versions, tmp_path):
    """A local `_src_path` is replaced by the clone's path for the run: when it already reads so (quoted, as the
    replacement writes it), there is nothing to commit first, and the update still runs."""
    import json

    from hf_hub_template import trusted_update

    work = _project_naming(tmp_path, str(versions), {})
    answers = work / ".copier-answers.yml"
    text = answers.read_text().replace(f"_src_path: {versions}", f"_src_path: {json.dumps(str(versions))}")
    assert text != answers.read_text()
    answers.write_text(text)
    git(work, "commit", "-qam", "quoted")
    result, _ = trusted_update.run_update(work, versions, tmp_path / "scratch", vcs_ref=CURRENT_VERSION)
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load(answers.read_text())["_commit"] == CURRENT_VERSION
