"""Fleet update against the Hub test server: one PR per repo made from the template, none to main.

The namespace holds repos rendered by 0.9.0: one untouched, one with user edits, one whose edit
conflicts with the update, one dataset, one already current, one not from this template, and
one whose download fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    CURRENT_VERSION,
    assert_token_absent,
    copy_old,
    fake_token,
    git,
    hub_env,
    render,
    row,
    run_cli,
    seed_from,
    tag_release,
    tracked_files,
)
from hub_server import HubServer

NAMESPACE = "fleet"


@pytest.fixture
def fleet(versions: Path, tmp_path: Path):
    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        local = tmp_path / "local"
        seed_from(
            hub, "space", "fleet/plain", copy_old(versions, local / "plain", repo_type="space", sdk="gradio"), "gradio"
        )
        edited = copy_old(versions, local / "edited", repo_type="space", sdk="gradio")
        (edited / "app.py").write_text((edited / "app.py").read_text().replace("Hello,", "Bonjour,"))
        git(edited, "commit", "-qam", "french")
        seed_from(hub, "space", "fleet/edited", edited, "gradio")
        conflict = copy_old(versions, local / "conflict", repo_type="space", sdk="gradio")
        readme = conflict / "README.md"
        readme.write_text(readme.read_text().replace('sdk_version: "5.9.1"', 'sdk_version: "5.9.1"  # keep'))
        git(conflict, "commit", "-qam", "pin")
        seed_from(hub, "space", "fleet/conflict", conflict, "gradio")
        seed_from(hub, "dataset", "fleet/data", copy_old(versions, local / "data", repo_type="dataset"))
        seed_from(
            hub,
            "model",
            "fleet/current",
            render(versions, local / "current", vcs_ref=CURRENT_VERSION, repo_type="model"),
        )
        hub.seed(
            "space",
            "fleet/foreign",
            {"README.md": b"---\nsdk: static\n---\n", "index.html": b"<p>hi</p>"},
            sdk="static",
        )
        seed_from(
            hub,
            "space",
            "fleet/broken",
            copy_old(versions, local / "broken", repo_type="space", sdk="static"),
            "static",
        )
        hub.seed("space", "other-user/plain", {"README.md": b"---\nsdk: static\n---\n"}, sdk="static")
        # The repo's files are listed at the commit the namespace listing gave (no repo_info call): that fails.
        hub.fail("tree@fleet/broken", 500)
        (tmp_path / "tmp").mkdir()  # the fleet's temporary checkouts go here, to be searched for the token
        yield hub, hub_env(tmp_path, hub.url, token) | {"TMPDIR": str(tmp_path / "tmp")}


def fleet_update(env: dict[str, str], versions: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "fleet-update", NAMESPACE, "--vcs-ref", CURRENT_VERSION, "--template", str(versions), *extra)


def main_files(hub: HubServer) -> dict[tuple[str, str], dict[str, bytes]]:
    return {key: dict(repo.files) for key, repo in hub.state.repos.items()}


@pytest.mark.slow  # the whole namespace, twice, with a failing repo's back-off
def test_fleet_update_opens_one_pr_per_template_repo(fleet, versions):
    hub, env = fleet
    before = main_files(hub)
    result = fleet_update(env, versions)
    print(result.stdout, result.stderr)  # shown with `pytest -s`: the example in README.md comes from here
    print(sorted(hub.repo("space", "fleet/plain").pulls[0]["commit"]["changes"]))
    assert result.returncode == 1, "a repo failed, so the run fails"
    out = result.stdout
    assert main_files(hub) == before, "nothing is pushed to main"
    assert all(not repo.commits for repo in hub.state.repos.values())

    plain = hub.repo("space", "fleet/plain").pulls
    assert len(plain) == 1 and plain[0]["status"] == "open"
    changes = plain[0]["commit"]["changes"]
    assert {"README.md", "requirements.txt", ".copier-answers.yml"} <= set(changes)
    assert b'sdk_version: "6.31.0"' in changes["README.md"] and b"gradio==" not in changes["requirements.txt"]
    assert plain[0]["title"] == f"Update to hf-hub-template {CURRENT_VERSION}"
    description = plain[0]["description"]
    assert f"from hf-hub-template 0.9.0 to {CURRENT_VERSION}" in description
    assert "### 1.0.0" in description and f"### {CURRENT_VERSION}" in description, "the CHANGELOG in between"
    assert "`README.md` (changed)" in description

    edited = hub.repo("space", "fleet/edited")
    assert len(edited.pulls) == 1 and "app.py" not in edited.pulls[0]["commit"]["changes"]
    assert b"Bonjour," in edited.files["app.py"]

    assert hub.repo("space", "fleet/conflict").pulls == []
    assert "conflict: README.md" in row(out, "space:fleet/conflict")
    assert len(hub.repo("dataset", "fleet/data").pulls) == 1
    assert hub.repo("model", "fleet/current").pulls == [] and "up to date" in row(out, "model:fleet/current")
    assert "skipped: no .copier-answers.yml" in row(out, "space:fleet/foreign")
    assert hub.repo("space", "fleet/foreign").pulls == []
    assert "failed: Could not download fleet/broken" in row(out, "space:fleet/broken")
    assert "space:fleet/broken: failed: Could not download fleet/broken" in out  # the full message, below
    assert "other-user" not in out
    assert row(out, "space:fleet/plain").split(" | ")[1:3] == ["0.9.0", CURRENT_VERSION]
    assert f"{hub.url}/spaces/fleet/plain/discussions/1" in row(out, "space:fleet/plain")
    assert "3 PR opened" in out and "1 conflict" in out and "1 failed" in out
    assert "fleet-update fleet" in result.stderr  # the progress bar

    # Idempotent: a second run opens no duplicate PR; with the Hub healthy again it exits 0.
    hub.heal()
    again = fleet_update(env, versions)
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(hub.repo("space", "fleet/plain").pulls) == 1 and len(hub.repo("dataset", "fleet/data").pulls) == 1
    assert "PR already open" in row(again.stdout, "space:fleet/plain")
    assert len(hub.repo("space", "fleet/broken").pulls) == 1
    folders = [Path(env["TMPDIR"])]
    assert_token_absent(
        env["HF_TOKEN"], result.stdout, result.stderr, again.stdout, again.stderr, hub=hub, folders=folders
    )


def test_another_accounts_pull_request_of_the_same_title_is_not_ours(fleet, versions):
    """Anyone may open a pull request titled like the fleet's: it neither stands in for ours nor stops it."""
    hub, env = fleet
    hub.heal()
    plain = hub.repo("space", "fleet/plain")
    title = f"Update to hf-hub-template {CURRENT_VERSION}"
    plain.pulls.append({"num": 1, "title": title, "status": "open", "author": "stranger", "commit": {}})
    result = fleet_update(env, versions, "--match", "plain")
    assert result.returncode == 0, result.stdout + result.stderr
    ours = [pr for pr in plain.pulls if pr.get("author", "admin") == "admin"]
    assert len(ours) == 1 and ours[0]["title"] == title, "the fleet opened its own pull request"
    assert "PR already open" not in row(result.stdout, "space:fleet/plain")
    assert "/discussions/1" not in row(result.stdout, "space:fleet/plain"), "not the stranger's URL"


def test_dry_run_shows_diffs_and_writes_nothing(fleet, versions):
    hub, env = fleet
    hub.heal()
    result = fleet_update(env, versions, "--dry-run", "--type", "space", "--match", "p*")
    assert result.returncode == 0, result.stderr
    assert_token_absent(env["HF_TOKEN"], result.stdout, result.stderr, hub=hub, folders=[Path(env["TMPDIR"])])
    assert "===== space fleet/plain" in result.stdout and '+sdk_version: "6.31.0"' in result.stdout
    assert "would open a PR" in row(result.stdout, "space:fleet/plain")
    assert "fleet/data" not in result.stdout and "fleet/edited" not in result.stdout
    assert all(not repo.pulls and not repo.commits for repo in hub.state.repos.values())
    assert not any(r.method == "POST" for r in hub.requests)


def test_listing_without_file_names_downloads_to_decide(fleet, versions):
    hub, env = fleet
    hub.heal()
    hub.state.list_siblings = False
    result = fleet_update(env, versions, "--type", "space", "--match", "[fp]*")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skipped: no .copier-answers.yml" in row(result.stdout, "space:fleet/foreign")
    assert len(hub.repo("space", "fleet/plain").pulls) == 1 and hub.repo("space", "fleet/foreign").pulls == []


@pytest.mark.slow  # waits the Retry-After
def test_rate_limit_is_respected_with_retry_after(fleet, versions):
    hub, env = fleet
    hub.heal()
    hub.fail("commit", 429, times=1, retry_after="1")
    result = fleet_update(env, versions, "--type", "dataset")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(hub.repo("dataset", "fleet/data").pulls) == 1
    commits = [r for r in hub.requests if r.endpoint == "commit"]
    assert [r.status for r in commits] == [429, 200]


def test_no_token_fails_with_the_login_hint(versions, tmp_path):
    with HubServer(token=fake_token()) as hub:
        result = fleet_update(hub_env(tmp_path, hub.url, None), versions)
    assert result.returncode == 1 and "hf auth login" in result.stderr


@pytest.mark.slow
def test_installed_from_a_git_url_it_trusts_that_template_and_quotes_its_changelog(versions, tmp_path):
    """`uvx --from git+URL hf-hub-template fleet-update`, as the README says: the tool trusts the template
    it was installed from (read from the install's direct_url.json) and quotes the CHANGELOG packed in
    its wheel, although no checkout of the template is beside it."""
    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        seed_from(hub, "space", "fleet/plain", copy_old(versions, tmp_path / "plain", repo_type="space", sdk="static"))
        env = hub_env(tmp_path, hub.url, token)
        env.pop("VIRTUAL_ENV", None)
        command = [sys.executable, "-m", "uv", "tool", "run", "--from", f"git+file://{versions}"]
        result = subprocess.run(
            [*command, "hf-hub-template", "fleet-update", NAMESPACE, "--vcs-ref", CURRENT_VERSION],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        pulls = hub.repo("space", "fleet/plain").pulls
        assert len(pulls) == 1, result.stdout
        description = pulls[0]["description"]
        assert f"### {CURRENT_VERSION}" in description and "### 1.0.0" in description
        assert "(no CHANGELOG entries found between these versions)" not in description
        assert_token_absent(token, result.stdout, result.stderr, hub=hub)


def test_an_unreachable_hub_fails_at_once_with_one_message(versions, tmp_path):
    """Nothing listens at the endpoint: one clean message, no retries (the client's or ours)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = fleet_update(hub_env(tmp_path, endpoint, fake_token()), versions)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"no answer from the Hub at {endpoint}" in lines[0], result.stderr
    assert "Retry" not in result.stderr and "after 3 tries" not in result.stderr


def test_only_what_the_template_owns_is_downloaded(versions, tmp_path):
    """A current repo costs its answers file (2 requests); an outdated one downloads the template's files
    and the answers file, never a 50 MB weights file or data the template did not render."""
    token = fake_token()
    weights = b"\0" * (50 * 1024 * 1024)
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        old = copy_old(versions, tmp_path / "old", repo_type="model")
        current = render(versions, tmp_path / "current", vcs_ref=CURRENT_VERSION, repo_type="model")
        for name, project in (("fleet/old-model", old), ("fleet/current-model", current)):
            files = {path: (project / path).read_bytes() for path in tracked_files(project)}
            hub.seed("model", name, {**files, "model.safetensors": weights, "eval/results.csv": b"a,b\n1,2\n"})
        env = hub_env(tmp_path, hub.url, token)
        result = run_cli(env, "fleet-update", NAMESPACE, "--template", str(versions))
        assert result.returncode == 0, result.stdout + result.stderr
        assert "up to date" in row(result.stdout, "model:fleet/current-model")
        touched = [r for r in hub.requests if "model.safetensors" in r.path or "eval/results.csv" in r.path]
        assert touched == [], [(r.method, r.path) for r in touched]
        per_current = [r for r in hub.requests if "fleet/current-model" in r.path]
        assert len(per_current) <= 2, [(r.method, r.path) for r in per_current]
        pulls = hub.repo("model", "fleet/old-model").pulls
        assert len(pulls) == 1 and "model.safetensors" not in pulls[0]["commit"]["changes"]
        assert hub.repo("model", "fleet/old-model").files["model.safetensors"] == weights


@pytest.mark.slow  # five whole-namespace runs
def test_shards_split_the_namespace_exactly(fleet, versions):
    """N runners with --shard K/N together see every repo once; the split is the same in every run."""
    hub, env = fleet
    hub.heal()
    seen: list[set[str]] = []
    for shard in ("1/3", "2/3", "3/3", "2/3"):
        result = fleet_update(env, versions, "--dry-run", "--shard", shard)
        assert result.returncode == 0, result.stdout + result.stderr
        rows = result.stdout.splitlines()
        seen.append({line.split(" ")[0] for line in rows if line.startswith(("space:", "model:", "dataset:"))})
    assert seen[1] == seen[3], "the same shard twice is the same repos"
    everything = set().union(*seen[:3])
    assert sum(len(part) for part in seen[:3]) == len(everything) == 7
    assert all(not repo.pulls for repo in hub.state.repos.values())
    bad = fleet_update(env, versions, "--shard", "4/3")
    assert bad.returncode == 2 and "write K/N with 1 <= K <= N" in bad.stderr


def fleet_status(env: dict[str, str], versions: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "fleet-status", NAMESPACE, "--template", str(versions), *extra)


@pytest.mark.slow  # an update, then two whole-namespace reports
def test_fleet_status_reports_drift_and_writes_nothing(fleet, versions):
    import json

    hub, env = fleet
    hub.heal()
    hub.repo("space", "fleet/plain").stage = "BUILD_ERROR"
    assert fleet_update(env, versions, "--match", "plain").returncode == 0  # one fleet PR, to be reported
    hub.clear_log()
    result = fleet_status(env, versions, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert {r.method for r in hub.requests} <= {"GET", "HEAD"}, "fleet-status only reads"
    report = {f"{s['repo_type']}:{s['repo_id']}": s for s in json.loads(result.stdout)}
    plain, edited, conflict = report["space:fleet/plain"], report["space:fleet/edited"], report["space:fleet/conflict"]
    assert (plain["version"], plain["behind"], plain["edited"]) == ("0.9.0", 2, [])
    assert plain["pull_request"] == f"#1 open: {CURRENT_VERSION}" and plain["stage"] == "BUILD_ERROR"
    assert edited["edited"] == ["app.py"] and edited["pull_request"] == "-" and edited["stage"] == "RUNNING"
    assert conflict["edited"] == ["README.md"]
    current = report["model:fleet/current"]
    assert (current["version"], current["behind"], current["edited"], current["stage"]) == (CURRENT_VERSION, 0, [], "-")
    assert report["space:fleet/foreign"]["note"] == "no .copier-answers.yml"
    table = fleet_status(env, versions, "--markdown").stdout.splitlines()
    assert table[0] == "| repo | version | behind | edited | pull request | stage | note |"
    assert "| space:fleet/edited | 0.9.0 | 2 | app.py | - | RUNNING |  |" in table


def test_fleet_status_knows_lfs_files_by_their_sha256(versions, tmp_path):
    """The Hub lists a file kept in LFS (a dataset's Parquet sample) by its pointer's blob id and its
    sha256: an untouched one is not reported as edited, a changed one is."""
    import json

    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        project = render(versions, tmp_path / "data", vcs_ref=CURRENT_VERSION, repo_type="dataset")
        assert (project / "data" / "train.parquet").is_file()
        seed_from(hub, "dataset", "fleet/parquet", project)
        changed = {**hub.repo("dataset", "fleet/parquet").files, "data/test.parquet": b"PAR1 other rows"}
        hub.seed("dataset", "fleet/changed", changed)
        env = hub_env(tmp_path, hub.url, token)
        result = fleet_status(env, versions, "--json")
        assert result.returncode == 0, result.stdout + result.stderr
        report = {s["repo_id"]: s for s in json.loads(result.stdout)}
        assert report["fleet/parquet"]["edited"] == []
        assert report["fleet/changed"]["edited"] == ["data/test.parquet"]


# ----------------------------------------------------------------- #29: one render per distinct answers
def tiny_template(root: Path, versions: tuple[str, ...] = ("1.0.0",), files: int = 12) -> Path:
    """A template of `files` small files under `template/`, one question (`name`), tagged `versions`."""
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text("_subdirectory: template\nname:\n  type: str\n  default: demo\n")
    for index in range(files):
        (root / "template" / f"file{index}.txt.jinja").write_text(f"{index}: {{{{ name }}}}\n" * 200)
    git(root, "init", "-q", "-b", "main")
    for version in versions:
        tag_release(root, version)
    return root


def test_renders_once_per_answers_whatever_the_threads(tmp_path, monkeypatch):
    """Twelve threads ask at once for two distinct answers: each answers set is rendered once, into a
    folder of its own, and every thread gets the whole render (the old lock around the lookup only
    let several `copier copy` write into one folder at once: partial renders, `None`)."""
    import threading

    from hf_hub_template.fleet import status as fleet_status
    from hf_hub_template.fleet.status import Renders

    template = str(tiny_template(tmp_path / "tpl"))
    answers = [{"name": "alpha", "_commit": "1.0.0", "_src_path": template}, {"name": "beta", "_commit": "1.0.0"}]
    expected = [Renders(template, tmp_path / "serial").blobs("1.0.0", one) for one in answers]
    assert all(render is not None and len(render) == 12 for render in expected)
    assert expected[0] != expected[1]

    copier_runs: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args, *rest, **kwargs):
        if "copier" in args:
            copier_runs.append(list(args))
        return real_run(args, *rest, **kwargs)

    monkeypatch.setattr(fleet_status.subprocess, "run", counting_run)
    renders = Renders(template, tmp_path / "renders")
    threads, start = 12, threading.Barrier(12)
    got: list[object] = [None] * threads

    def ask(index: int) -> None:
        start.wait()
        got[index] = renders.blobs("1.0.0", answers[index % 2])

    workers = [threading.Thread(target=ask, args=(index,)) for index in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [got[index] == expected[index % 2] for index in range(threads)] == [True] * threads
    assert len(copier_runs) == 2, "one render per distinct answers"
    folders = [Path(run[-1]) for run in copier_runs]
    assert len(set(folders)) == 2, "no two renders share a folder"


def test_releases_after_counts_the_releases_between(tmp_path):
    """The "behind" count: releases after the repo's version (not it), up to the newest (it included),
    no pre-release, no tag that is not a version."""
    from hf_hub_template.fleet.status import releases_after
    from hf_hub_template.template_files import TemplateRepo

    tags = ("0.9.0", "1.0.0rc1", "1.0.0", "1.1.0", "nightly", "2.0.0", "2.1.0b1")
    template = TemplateRepo(str(tiny_template(tmp_path / "tpl", tags, files=1)), tmp_path)
    assert releases_after(template, "1.0.0", "2.0.0") == 2  # 1.1.0 and 2.0.0
    assert releases_after(template, "0.9.0", "1.0.0") == 1  # 1.0.0, not its release candidate
    assert releases_after(template, "0.9.0", "1.1.0") == 2
    assert releases_after(template, "2.0.0", "2.0.0") == 0
    assert releases_after(template, "1.1.0", "1.0.0") == 0  # ahead of the version compared with
    assert releases_after(template, "1.0.0.post3.dev0+g1a2b3c4", "2.0.0") == 2  # a describe string
    assert releases_after(template, "1.0.0rc1", "1.0.0") == 1
    assert releases_after(template, "0.1.0", "2.0.0") == 4
    assert releases_after(template, "nightly", "2.0.0") is None
    assert releases_after(template, "1.0.0", None) is None


def test_fleet_status_of_identical_answers_is_the_same_every_run(versions, tmp_path):
    """Eight Spaces made from identical answers, read by eight workers at once, three times: every row
    right every time (one with an edit), and the three reports identical."""
    import json

    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        project = render(versions, tmp_path / "same", vcs_ref=CURRENT_VERSION, repo_type="space", space_sdk="static")
        files = {path: (project / path).read_bytes() for path in tracked_files(project)}
        for index in range(8):
            hub.seed("space", f"fleet/same-{index}", files, sdk="static")
        hub.seed("space", "fleet/edited", {**files, "index.html": b"<p>changed</p>\n"}, sdk="static")
        env = hub_env(tmp_path, hub.url, token)
        reports = []
        for _ in range(3):
            result = fleet_status(env, versions, "--json", "--workers", "8")
            assert result.returncode == 0, result.stdout + result.stderr
            reports.append(result.stdout)
        rows = {s["repo_id"]: s for s in json.loads(reports[0])}
        assert {repo: (s["version"], s["behind"], s["edited"], s["note"]) for repo, s in rows.items()} == {
            **{f"fleet/same-{index}": (CURRENT_VERSION, 0, [], "") for index in range(8)},
            "fleet/edited": (CURRENT_VERSION, 0, ["index.html"], ""),
        }
        assert reports[1] == reports[0] and reports[2] == reports[0]
