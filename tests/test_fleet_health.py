"""fleet-status sees every repo of the namespace (issue 27): members get today's drift rows, and each repo the
template did not make gets a health row from the Hub's rules (template/tests/hub_rules.py), its Gradio and
Python versions, its runtime stage and whether `adopt` can take it. Calibrated: a card the Hub accepts and runs
gets advice, never an error, unless the Hub refuses that card today. Cheap: the card and a few small files per
repo, the runtime from the listing, no render (fast lane: no app runs)."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from helpers import CURRENT_VERSION, ROOT, fake_token, hub_env, render, row, run_cli, seed_from, snapshot_template
from hub_server import HubServer

NAMESPACE = "org"
NEWEST_GRADIO = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))["gradio_version"]["default"]
# The shape of public Spaces the Hub accepts and runs: keys it ignores, no sdk_version, a two-codepoint emoji.
HEALTHY = """---
title: Healthy
emoji: ❤️
colorFrom: green
colorTo: purple
sdk: gradio
app_file: app.py
description: an old key the Hub ignores
language: en
short_description: Runs fine
---

# Healthy
"""
APP = b"import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"
ERROR_MESSAGE = "Exit code: 1. Reason: \x1b[31mModuleNotFoundError\x1b[0m | <b>bold</b>"


def gradio_card(name: str, sdk_version: str, extra: str = "") -> bytes:
    card = f"---\ntitle: {name}\nemoji: 🚀\nsdk: gradio\nsdk_version: {sdk_version}\napp_file: app.py\n{extra}---\n"
    return card.encode()


def seed_namespace(hub: HubServer, tmp_path: Path, template: Path) -> None:
    hub.seed("space", "org/healthy", {"README.md": HEALTHY.encode(), "app.py": APP}, sdk="gradio")
    retired = "---\ntitle: Old\nsdk: streamlit\nsdk_version: 1.25.0\napp_file: app.py\n---\n"
    hub.seed("space", "org/retired", {"README.md": retired.encode(), "app.py": b"import streamlit\n"}, sdk="streamlit")
    pinned = {"README.md": gradio_card("Pinned", NEWEST_GRADIO), "app.py": APP, "requirements.txt": b"gradio==4.44.1\n"}
    hub.seed("space", "org/pinned", pinned, sdk="gradio")
    hub.seed("space", "org/behind", {"README.md": gradio_card("Behind", "4.44.1"), "app.py": APP}, sdk="gradio")
    long_text = "x" * 61
    hub.seed(
        "space",
        "org/long",
        {"README.md": gradio_card("Long", NEWEST_GRADIO, f"short_description: {long_text}\n"), "app.py": APP},
        sdk="gradio",
    )
    crashed = hub.seed("space", "org/crashed", {"README.md": gradio_card("C", NEWEST_GRADIO), "app.py": APP}, "gradio")
    crashed.stage, crashed.error_message = "RUNTIME_ERROR", ERROR_MESSAGE
    stuck = hub.seed("space", "org/stuck", {"README.md": gradio_card("S", NEWEST_GRADIO), "app.py": APP}, "gradio")
    stuck.stage = "BUILDING"
    stuck.last_modified = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(time.time() - 3 * 3600))
    fresh = hub.seed("space", "org/building", {"README.md": gradio_card("B", NEWEST_GRADIO), "app.py": APP}, "gradio")
    fresh.stage = "BUILDING"  # just pushed: building is no problem
    hub.seed("model", "org/weights", {"config.json": b"{}", "model.safetensors": b"\x00" * 4096})
    born = render(template, tmp_path / "born", vcs_ref=CURRENT_VERSION, repo_type="space", space_sdk="static")
    seed_from(hub, "space", "org/born", born, "static")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_template(tmp_path_factory.mktemp("health") / "hf-hub-template")


@pytest.fixture
def namespace(template: Path, tmp_path: Path):
    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        seed_namespace(hub, tmp_path, template)
        yield hub, hub_env(tmp_path, hub.url, token)


def fleet_status(env: dict[str, str], template: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, "fleet-status", NAMESPACE, "--template", str(template), *args)


def by_repo(result: subprocess.CompletedProcess[str]) -> dict[str, dict]:
    assert "Traceback" not in result.stderr, result.stderr
    return {f"{r['repo_type']}:{r['repo_id']}": r for r in json.loads(result.stdout)}


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split(" | ")]


def keys(found: list[dict]) -> set[str]:
    return {problem["key"] for problem in found}


def test_every_repo_gets_a_row_and_only_what_the_hub_refuses_is_an_error(namespace, template):
    hub, env = namespace
    hub.clear_log()
    result = fleet_status(env, template, "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    rows = by_repo(result)
    assert len(rows) == 10, sorted(rows)

    born = rows["space:org/born"]  # a member: today's drift row, no health row
    assert (born["version"], born["behind"], born["edited"], born["health"]) == (CURRENT_VERSION, 0, [], None)
    assert born["stage"] == "RUNNING"

    healthy = rows["space:org/healthy"]["health"]
    assert healthy["errors"] == [], healthy  # a card the Hub accepts and runs
    assert {"description", "language", "sdk_version"} <= keys(healthy["warnings"]), healthy
    assert "emoji" not in keys(healthy["warnings"]), "a two-codepoint emoji is one emoji"
    assert (healthy["sdk"], healthy["sdk_version"], healthy["python_version"]) == ("gradio", "-", "3.10")
    assert healthy["adoptable"] == "yes" and rows["space:org/healthy"]["note"] == "no .copier-answers.yml"

    retired = rows["space:org/retired"]["health"]
    assert keys(retired["errors"]) == {"sdk"} and "retired" in retired["errors"][0]["message"]
    assert retired["adoptable"].startswith("no: sdk: streamlit is the Hub's retired built-in SDK")

    pinned = rows["space:org/pinned"]["health"]
    assert pinned["errors"] == [] and keys(pinned["warnings"]) == {"requirements.txt"}, pinned
    assert f"pins gradio==4.44.1 but sdk_version is {NEWEST_GRADIO}" in pinned["warnings"][0]["message"]

    behind = rows["space:org/behind"]["health"]
    assert behind["errors"] == [] and keys(behind["warnings"]) == {"sdk_version"}, behind
    assert f"4.44.1 is behind {NEWEST_GRADIO}" in behind["warnings"][0]["message"]

    long = rows["space:org/long"]["health"]
    assert keys(long["errors"]) == {"short_description"}
    assert long["adoptable"] == "once the card's errors are fixed"

    crashed = rows["space:org/crashed"]
    assert crashed["stage"] == "RUNTIME_ERROR" and keys(crashed["health"]["errors"]) == {"runtime"}
    assert "ModuleNotFoundError" in crashed["health"]["errors"][0]["message"]
    assert crashed["health"]["adoptable"] == "yes", "its card is fine: adopt can take it"
    stuck = rows["space:org/stuck"]
    assert stuck["stage"] == "BUILDING" and "stuck in BUILDING: 3 h" in stuck["health"]["errors"][0]["message"]
    building = rows["space:org/building"]
    assert building["stage"] == "BUILDING" and building["health"]["errors"] == [], "just pushed: no error"
    for name in ("pinned", "building", "crashed", "stuck"):
        assert rows[f"space:org/{name}"]["health"]["sdk_version"] == NEWEST_GRADIO

    weights = rows["model:org/weights"]
    assert weights["health"]["errors"] == [] and keys(weights["health"]["warnings"]) == {"README.md"}, weights

    # Cheap: a bounded GET per small file a repo has; the runtime came with the listing; never weights or app.
    downloaded = [r.path for r in hub.requests if r.endpoint == "resolve"]
    assert not any(p.endswith((".safetensors", "app.py", "config.json")) for p in downloaded), downloaded
    assert not [r for r in hub.requests if r.endpoint in ("runtime", "tree") and "/born" not in r.path], [
        r.path for r in hub.requests if r.endpoint in ("runtime", "tree")
    ]
    per_repo = {name: [r for r in hub.requests if f"/{NAMESPACE}/{name}/" in r.path] for name in ("pinned", "healthy")}
    assert len(per_repo["pinned"]) == 2, [r.path for r in per_repo["pinned"]]  # README.md, requirements.txt
    assert len(per_repo["healthy"]) == 1, [r.path for r in per_repo["healthy"]]  # README.md
    assert {r.method for r in hub.requests} <= {"GET", "HEAD"}, "fleet-status only reads"


def test_the_table_and_markdown_show_errors_as_failures_and_warnings_as_advice(namespace, template):
    hub, env = namespace
    table = fleet_status(env, template)
    assert table.returncode == 0, table.stdout + table.stderr
    out = table.stdout
    assert cells(out.splitlines()[0]) == ["repo", "version", "behind", "edited", "pull request", "stage", "note"]
    assert cells(row(out, "space:org/born"))[1] == CURRENT_VERSION
    assert "10 repos" not in out and "9 repos: 4 with errors, 4 with advice only, 7 adoptable now" in out, out
    assert cells(row(out, "space:org/retired"))[4:] == ["sdk", "-", "no"]
    assert cells(row(out, "space:org/healthy"))[1:] == [
        "gradio",
        "3.10",
        "RUNNING",
        "-",
        "description, language, sdk_version",
        "yes",
    ]
    assert "space:org/long: error: short_description: short_description must be at most 60 characters" in out
    assert "space:org/healthy: advice: description: 'description' is not a Space configuration key" in out
    assert "space:org/retired: adopt: no: sdk: streamlit" in out
    assert "\x1b" not in out and "\\x1b[31mModuleNotFoundError" in out, "the Hub's message is shown, not obeyed"

    markdown = fleet_status(env, template, "--markdown")
    assert markdown.returncode == 0, markdown.stderr
    lines = markdown.stdout.splitlines()
    assert lines[0] == "| repo | version | behind | edited | pull request | stage | note |"
    assert "| repo | sdk | python | stage | errors | advice | adopt |" in lines
    crashed = next(line for line in lines if line.startswith("| space:org/crashed |"))
    assert "&lt;b&gt;" in crashed and "\\|" in crashed and "<b>" not in crashed, crashed
    assert crashed.count(" | ") == 6, "the message's `|` makes no new cell"
    healthy = next(line for line in lines if line.startswith("| space:org/healthy |"))
    assert "<br>" in healthy and "'language' is not a Space configuration key" in healthy


def test_shards_split_members_and_others_alike(namespace, template):
    hub, env = namespace
    parts = [by_repo(fleet_status(env, template, "--json", "--shard", f"{k}/2")) for k in (1, 2)]
    assert parts[0] and parts[1] and not set(parts[0]) & set(parts[1])
    for part in parts:  # a shard gives each repo the template did not make its health row too
        assert all((r["health"] is None) == (name == "space:org/born") for name, r in part.items()), part
    whole = by_repo(fleet_status(env, template, "--json"))
    assert {**parts[0], **parts[1]} == whole


# ------------------------------------------- the health of one repo, without a Hub


def health_of(tmp_path: Path, repo_type: str, files: dict[str, str], names: tuple[str, ...] = ()):
    from hf_hub_template.fleet.health import TemplateOffer, card_health
    from hf_hub_template.fleet.scan import Repo

    offer = TemplateOffer(yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8")), NEWEST_GRADIO)
    repo = Repo(repo_type, "org/one", None, frozenset({*files, *names}))
    return card_health(repo, frozenset({*files, *names}), files, offer, tmp_path / "view")


def test_a_docker_space_on_an_old_python_gets_advice_and_a_card_with_aliases_an_error(tmp_path):
    card = "---\ntitle: API\nsdk: docker\napp_port: 8080\n---\n"
    dockerfile = 'FROM python:3.9-slim\nCMD ["uvicorn", "main:app", "--port", "8080"]\n'
    old = health_of(tmp_path / "old", "space", {"README.md": card, "Dockerfile": dockerfile})
    assert old.errors == [] and [p.key for p in old.warnings] == ["python_version"], old
    assert old.python_version == "3.9" and old.adoptable.startswith("no: python_version 3.9")
    aliases = "---\na: &x [1, 2]\nb: *x\nsdk: gradio\n---\n"
    bomb = health_of(tmp_path / "bomb", "space", {"README.md": aliases})
    assert [p.key for p in bomb.errors] == ["README.md"] and "alias" in bomb.errors[0].message
    none = health_of(tmp_path / "none", "space", {}, ("app.py",))
    assert [p.message for p in none.errors] == ["no README.md: a Space's card names its sdk"]
    dataset = health_of(tmp_path / "data", "dataset", {"README.md": "# Just text\n"}, ("data/train.csv",))
    huge = health_of(tmp_path / "huge", "space", {"README.md": f"---\nsdk: {'x' * 100_000}\n---\n"})
    assert len(huge.sdk) == 40 and all(len(p.message) <= 300 for p in huge.errors), "a row shows the start"
    assert dataset.errors == [] and [p.key for p in dataset.warnings] == ["README.md"]


def test_the_runtime_says_what_stops_a_space():
    from datetime import datetime, timedelta, timezone

    from hf_hub_template.fleet.health import runtime_problems

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    recent, old = now - timedelta(minutes=10), now - timedelta(hours=2)
    assert runtime_problems({"stage": "RUNNING"}, old, now) == []
    assert runtime_problems({"stage": "SLEEPING"}, old, now) == [], "asleep is fine"
    assert runtime_problems({"stage": "BUILDING"}, recent, now) == []
    assert runtime_problems({"stage": "APP_STARTING"}, None, now) == [], "no commit time: not called stuck"
    [asleep] = runtime_problems({"stage": "SLEEPING", "errorMessage": "OOM\nmore"}, old, now)
    assert asleep.message == "the Space is sleeping after an error: OOM"
    [stuck] = runtime_problems({"stage": "RUNNING_BUILDING"}, old, now)
    assert stuck.message == "the Space is stuck in RUNNING_BUILDING: 2 h since its last commit"
    [failed] = runtime_problems({"stage": "BUILD_ERROR"}, recent, now)
    assert failed.key == "runtime" and failed.message == "the Space is in BUILD_ERROR"
