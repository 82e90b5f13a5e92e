"""`fleet-status` and a Space's status read what anyone who can push to a repo wrote: that text is
data. One repo's answers can end no report, move no cursor, add no table row, and no `_commit` that is
not a plain ref reaches git or Copier (issue 24).

The namespace: one honest Space and, beside it, Spaces whose `.copier-answers.yml` was edited by an
attacker: a `_src_path` the trust check cannot even read, escape sequences, a `_commit` that breaks a
Markdown table and one git would read as a revision expression, and answers files that are no answers.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from helpers import CURRENT_VERSION, copier_copy, fake_token, hub_env, render, tracked_files
from helpers import run_cli as cli_process
from hub_server import HubServer

NAMESPACE = "fleet"
ESCAPES = "\x1b[2J\x1b[1;1H\x1b]0;owned\x07"  # clear the screen, cursor home, set the window title
HOSTILE = {  # repo name -> what its answers file says instead of the honest one (None: the raw file below)
    "long-source": {"_src_path": "h:" + "a" * 300},  # the trust check's own stat() fails (name too long)
    "escape-source": {"_src_path": ESCAPES + "space:fleet/fake | 1.1.0 | 0 | no"},
    "pipe-commit": {"_commit": f"{CURRENT_VERSION} | 0 | no |\n| space:fleet/fake | <img src=x onerror=alert(1)> |"},
    "rev-commit": {"_commit": "HEAD~0"},  # a revision git would read: not a plain ref, so never handed over
    "escape-commit": {"_commit": ESCAPES + CURRENT_VERSION},
    "not-a-mapping": None,
    "alias": None,
}
RAW_ANSWERS = {"not-a-mapping": b"- just\n- a list\n", "alias": b"a: &x [1, 2]\nb: *x\n"}


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return cli_process(env, *args, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def hostile_fleet(versions: Path, tmp_path_factory: pytest.TempPathFactory):
    """The namespace above, read once in each output: {"table"|"markdown"|"json": result}, and what every
    git run of those reads was given (a `git` on PATH that logs its arguments and stdin, then runs git)."""
    tmp = tmp_path_factory.mktemp("hostile")
    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        honest = render(versions, tmp / "honest", vcs_ref=CURRENT_VERSION, repo_type="space", space_sdk="static")
        files = {path: (honest / path).read_bytes() for path in tracked_files(honest)}
        answers = yaml.safe_load(files[".copier-answers.yml"])
        hub.seed("space", f"{NAMESPACE}/honest", files, sdk="static")
        for name, change in HOSTILE.items():
            text = RAW_ANSWERS[name] if change is None else yaml.safe_dump({**answers, **change}).encode()
            hub.seed("space", f"{NAMESPACE}/{name}", {**files, ".copier-answers.yml": text}, sdk="static")
        bin_dir, git_log = tmp / "bin", tmp / "git-args.log"
        bin_dir.mkdir()
        spy = bin_dir / "git"
        real_git = shutil.which("git")
        spy.write_text(  # its arguments, and what it reads on stdin (Copier names refs to `git cat-file` there)
            f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{git_log}"\n'
            f'case "$*" in *--batch*|*--stdin*) tee -a "{git_log}" | "{real_git}" "$@"; exit $?;; esac\n'
            f'exec "{real_git}" "$@"\n'
        )
        spy.chmod(0o755)
        env = hub_env(tmp, hub.url, token) | {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        results = {
            output: run_cli(env, "fleet-status", NAMESPACE, "--template", str(versions), *flags)
            for output, flags in {"table": [], "markdown": ["--markdown"], "json": ["--json"]}.items()
        }
        yield results, git_log.read_text() if git_log.exists() else ""


def rows_of(results: dict[str, subprocess.CompletedProcess[str]]) -> dict[str, dict[str, object]]:
    result = results["json"]
    assert "Traceback" not in result.stderr, result.stderr
    return {row["repo_id"].split("/")[1]: row for row in json.loads(result.stdout)}


def test_no_repo_ends_the_report(hostile_fleet):
    """Whatever a repo's answers say, or fail to say, it is that repo's row: no traceback, every row printed,
    and the honest repo read as always. (An unreadable `_src_path` used to end the run with a traceback.)"""
    results, _ = hostile_fleet
    for output, result in results.items():
        assert "Traceback" not in result.stderr, f"{output}: {result.stderr}"
        assert result.returncode == 1, f"{output}: answers files that are no answers are failures"
    rows = rows_of(results)
    assert set(rows) == {"honest", *HOSTILE}
    assert (rows["honest"]["version"], rows["honest"]["behind"], rows["honest"]["edited"]) == (CURRENT_VERSION, 0, [])
    assert rows["honest"]["note"] == ""
    assert str(rows["long-source"]["note"]).startswith("made from another template: h:aaa")
    assert rows["long-source"]["edited"] is None
    assert str(rows["escape-source"]["note"]).startswith("made from another template: " + ESCAPES)


def test_an_answers_file_that_is_no_answers_is_its_rows_failure(hostile_fleet):
    """A list, or YAML with aliases (which can fill memory): load_answers refuses it, the row says why."""
    rows = rows_of(hostile_fleet[0])
    for name in RAW_ANSWERS:
        note = str(rows[name]["note"])
        assert note.startswith("failed: ") and ".copier-answers.yml" in note, note
    assert "alias" in str(rows["alias"]["note"])


def test_a_commit_that_is_not_a_plain_ref_reaches_neither_git_nor_copier(hostile_fleet):
    """`_commit: HEAD~0` would be rendered by Copier (git checks it out); it is reported, not compared."""
    results, git_args = hostile_fleet
    rows = rows_of(results)
    assert git_args, "the spy saw git run (the honest repo's render)"
    for name in ("rev-commit", "pipe-commit", "escape-commit"):
        row = rows[name]
        assert (row["behind"], row["edited"]) == (None, None), name
        assert row["note"] == "the version is not a valid ref", name
        assert row["version"] == HOSTILE[name]["_commit"], "JSON keeps the value as the repo wrote it"
    assert "HEAD~0" not in git_args and "<img" not in git_args and "\x1b" not in git_args


def test_the_table_shows_control_characters_and_obeys_none(hostile_fleet):
    results, _ = hostile_fleet
    table = results["table"].stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", table), "no control character reaches the terminal"
    lines = table.splitlines()
    assert len(lines) == 2 + 1 + len(HOSTILE), "one line a repo: a newline in a value adds none"
    assert r"\x1b[2J\x1b[1;1H\x1b]0;owned\x07" in table, "shown as what it is"
    assert not any(line.startswith("space:fleet/fake") for line in lines)


def test_the_markdown_report_has_one_row_a_repo_and_no_raw_html(hostile_fleet):
    """A `_commit` with `|` and a newline added a row, and `<img ...>` went into the page as HTML."""
    results, _ = hostile_fleet
    markdown = results["markdown"].stdout
    lines = markdown.splitlines()
    assert len(lines) == 2 + 1 + len(HOSTILE)
    assert all(len(re.findall(r"(?<!\\)\|", line)) == 8 for line in lines), "7 cells on every line"
    assert "<img" not in markdown and "&lt;img src=x onerror=alert(1)&gt;" in markdown
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", markdown)
    assert not any(line.startswith("| space:fleet/fake") for line in lines)


def test_json_stays_json(hostile_fleet):
    out = hostile_fleet[0]["json"].stdout
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), "json.dumps escapes them"
    assert len(json.loads(out)) == 1 + len(HOSTILE)


# --------------------------------------------------------------------- a Space's error message and log
SPACE_ERROR = ESCAPES + "boom\r\x1b[1A\x1b[2KThe Space fakeuser/demo is running"
SPACE_LOG = [
    "Collecting torch",
    "\x1b[1A\x1b[2K\x1b[32mfakeuser/demo: RUNNING\x1b[0m",
    "ModuleNotFoundError: No module named '\x1b]0;owned\x07torch'",
]
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def test_status_shows_a_space_s_message_and_log_without_obeying_them(tmp_path):
    """`hf-hub-template status`: the Hub's error message and the log lines (the Space's own words) are
    printed with their control characters shown; colours are dropped, the text kept."""
    token = fake_token()
    with HubServer(token=token) as hub:
        project = tmp_path / "demo"
        project.mkdir()
        answers = {"repo_name": "demo", "namespace": "fakeuser", "repo_type": "space", "space_sdk": "gradio"}
        (project / ".copier-answers.yml").write_text(yaml.safe_dump(answers))
        hub.seed("space", "fakeuser/demo", {"README.md": b"---\nsdk: gradio\n---\n"}, sdk="gradio")
        repo = hub.repo("space", "fakeuser/demo")
        repo.stage, repo.error_message, repo.logs = "RUNTIME_ERROR", SPACE_ERROR, {"run": SPACE_LOG}
        result = run_cli(hub_env(tmp_path, hub.url, token), "status", str(project))
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert not CONTROLS.search(said), said
    assert "fakeuser/demo: RUNTIME_ERROR" in said and r"\x1b]0;owned\x07boom\rThe Space" in said
    assert "  | fakeuser/demo: RUNNING" in said, "the log line's colours dropped, its text kept"
    assert r"likely cause: the app imports \x1b]0;owned\x07torch" in said


def test_publish_shows_a_space_s_message_and_log_without_obeying_them(template, tmp_path):
    """The publish step watches the Space; when it stops at an error, the message and log are shown as text."""
    token = fake_token()
    with HubServer(token=token) as hub:
        env = hub_env(tmp_path, hub.url, token)
        project = tmp_path / "demo"
        assert copier_copy(template, project, env, namespace="fakeuser").returncode == 0
        hub.seed("space", "fakeuser/demo", {}, sdk="gradio")
        repo = hub.repo("space", "fakeuser/demo")
        repo.stages, repo.error_message, repo.logs = ["BUILDING", "RUNTIME_ERROR"], SPACE_ERROR, {"run": SPACE_LOG}
        result = run_cli(env, "publish", str(project), "--poll-interval", "0.05")
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert "stopped at RUNTIME_ERROR" in said
    assert not CONTROLS.search(said), said
    assert r"The Hub says: \x1b]0;owned\x07boom\rThe Space" in said
    assert "  | fakeuser/demo: RUNNING" in said
    assert r"Likely cause: the app imports \x1b]0;owned\x07torch" in said


# ------------------------------------------------------------------ the template: fetched once, rendered offline
@contextlib.contextmanager
def served_template(tmp_path: Path, files: dict[str, str]) -> Iterator[tuple[str, list[str]]]:
    """A one-question template tagged 1.0.0 with `files` under template/, on a loopback dumb-http git
    server: its URL, and the paths the server was asked for."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from helpers import git, tag_release

    source = tmp_path / "tpl"
    (source / "template").mkdir(parents=True)
    (source / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n  default: demo\n")
    for name, text in files.items():
        (source / "template" / name).write_text(text)
    git(source, "init", "-q", "-b", "main")
    tag_release(source, "1.0.0")
    served = tmp_path / "served"
    served.mkdir()
    git(tmp_path, "clone", "-q", "--bare", str(source), str(served / "tpl.git"))
    git(served / "tpl.git", "update-server-info")
    fetched: list[str] = []

    class Logged(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
            fetched.append(self.path)

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Logged, directory=str(served)))
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()  # quick shutdown()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tpl.git", fetched
    finally:
        server.shutdown()
        server.server_close()


def test_the_template_is_fetched_once_and_every_render_is_offline(tmp_path):
    """The operator's template on a (loopback, dumb-http) git server: fleet-status clones it once and
    Copier renders that clone, with no network of its own (it has no proxy or ssh settings to reach
    one): four repos, two distinct answers, one fetch."""
    token = fake_token()
    with served_template(tmp_path, {"README.md.jinja": "# {{ name }}\n"}) as (url, fetched):
        with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
            for index, name in enumerate(["alpha", "alpha", "alpha", "beta"]):
                answers = {"_commit": "1.0.0", "_src_path": url, "name": name}
                files = {"README.md": f"# {name}\n".encode(), ".copier-answers.yml": yaml.safe_dump(answers).encode()}
                hub.seed("model", f"{NAMESPACE}/m{index}", files)
            result = run_cli(hub_env(tmp_path, hub.url, token), "fleet-status", NAMESPACE, "--template", url, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(result.stdout)
    assert [(row["version"], row["behind"], row["edited"], row["note"]) for row in rows] == [("1.0.0", 0, [], "")] * 4
    assert sum(path.startswith("/tpl.git/info/refs") for path in fetched) == 1, fetched


def test_files_that_name_the_template_are_not_reported_as_edited(tmp_path):
    """A repo made from the template's URL names that URL in its files (the answers file, the publish
    command in README.md): the fresh render must name it too, although Copier renders the local clone."""
    from copier import run_copy

    files = {
        "README.md.jinja": "# {{ name }}\nuvx --from git+{{ _copier_answers._src_path }}\n",
        "{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml }}",
    }
    token = fake_token()
    with served_template(tmp_path, files) as (url, _):
        made = tmp_path / "made"
        run_copy(url, str(made), data={"name": "alpha"}, defaults=True, vcs_ref="1.0.0", quiet=True)
        assert url in (made / "README.md").read_text()
        with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
            hub.seed("model", f"{NAMESPACE}/made", {p.name: p.read_bytes() for p in made.iterdir() if p.is_file()})
            result = run_cli(hub_env(tmp_path, hub.url, token), "fleet-status", NAMESPACE, "--template", url, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = json.loads(result.stdout)
    assert [(row["repo_id"], row["edited"], row["note"]) for row in rows] == [(f"{NAMESPACE}/made", [], "")]
