"""`copier update` from older template versions: results, kept edits, migrations, no remote step.

The versions are tagged in a temporary git repo, as users' `copier update` sees them (helpers.
build_versions): 1.0.0 as it was released (from this repository's history), the current working
tree, and 0.9.0, the 0.x preview line, rebuilt from 1.0.0: its SDK question was named `sdk`,
Streamlit was the built-in `sdk: streamlit`, the default Gradio was 5.9.1 and requirements.txt
pinned gradio.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import run_update
from helpers import (
    CURRENT_VERSION,
    KINDS,
    OLD_VERSION,
    PREVIOUS_VERSION,
    copier_cli,
    copier_copy,
    copy_old,
    git,
    kind_answers,
    old_answers,
    render,
    tracked_files,
    work_tree_files,
)
from hub_rules import check_repo, read_metadata

IDS = [f"{k}-{s}" if s else k for k, s in KINDS]


def update(project: Path, **kwargs: Any) -> None:
    run_update(str(project), defaults=True, unsafe=True, overwrite=True, quiet=True, vcs_ref=CURRENT_VERSION, **kwargs)


def commit_all(project: Path, message: str) -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", message)


def tree(project: Path) -> dict[str, str]:
    files = {}
    for path in sorted(project.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(project).parts:
            content = path.read_bytes()
            try:
                files[path.relative_to(project).as_posix()] = content.decode("utf-8")
            except UnicodeDecodeError:  # the dataset sample's Parquet files
                files[path.relative_to(project).as_posix()] = content.hex()
    answers = yaml.safe_load(files.pop(".copier-answers.yml"))
    answers.pop("_commit")
    files[".copier-answers.yml"] = yaml.safe_dump(answers)
    return files


# What `copier update` from the last release changes in a project that kept its answers: each file is an
# intended change the CHANGELOG lists for this release; any other changed byte fails.
CARD_FIX = "the card: no blank line inside the front matter, each list item once"
CHANGED_SINCE_PREVIOUS = {
    "tests/hub_rules.py": "the card checker: app_port against the Dockerfile, duplicates; errors and warnings apart",
    "tests/test_card.py": "the card's own keys held to warnings too; keys the person added only shown",
    "README.md": "the maintainer's sections moved out of the public card",
    "CONTRIBUTING.md": "new: the maintainer's sections, with no path of the machine",
    ".gitignore": "every dotenv file (.env*, *.env) kept out of git and the Hub, not only .env",
}
MEDIA_FIX = {".gitattributes": "Spaces track image, audio and video files with LFS, as datasets do"}
CHANGED_SINCE_PREVIOUS_BY_KIND: dict[tuple[str, str | None], dict[str, str]] = {
    ("space", "gradio"): MEDIA_FIX,
    ("space", "streamlit"): {"tests/test_dockerfile.py": "ports read from the card", "README.md": CARD_FIX} | MEDIA_FIX,
    ("space", "docker"): {"tests/test_dockerfile.py": "ports read from the card"} | MEDIA_FIX,
    ("space", "static"): {"tests/test_page.py": "no browser: one line that says how to get one"} | MEDIA_FIX,
    ("model", None): {"tests/test_card.py": "eval results parsed and matched with the body's table"},
    ("dataset", None): {"tests/test_dataset.py": "dataset_info and size_categories checked against the files"},
}
# README.md (listed above for every kind) also gains, for models, the widget example of the task and, for
# datasets, dataset_info (features, splits); a dataset keeps its CSV files (the migration answers csv).
SYNC_FIX = {
    ".github/workflows/sync-to-hub.yml": "actions pinned by commit, no persisted credentials, named jobs; "
    "the HF_TOKEN secret read in the GitHub environment huggingface (the migration keeps sync_auth: hf_token)",
    ".github/dependabot.yml": "new: keeps the pins fresh",
    "README.md": "the HF_TOKEN secret: a fine-grained token for this one repo; " + CARD_FIX,
}
# The answers the 1.1.0 migration gives projects made before it, so they render as they did.
MIGRATED_ANSWERS = {"model": {"base_model_relation": "none"}, "dataset": {"data_format": "csv"}}
# A project that synced from GitHub keeps its HF_TOKEN secret; new projects sign in as a Trusted Publisher.
MIGRATED_SYNC_ANSWERS = {"sync_auth": "hf_token"}
LAST_RELEASE_CASES = [
    *[(kind, {}, CHANGED_SINCE_PREVIOUS_BY_KIND.get(kind, {})) for kind in KINDS],
    (("space", "gradio"), {"github_sync": True, "tags": "demo"}, SYNC_FIX | MEDIA_FIX),
    (
        ("model", None),
        {"github_sync": True, "base_model": "acme/base"},
        SYNC_FIX | CHANGED_SINCE_PREVIOUS_BY_KIND[("model", None)],
    ),
]


@pytest.mark.parametrize(
    ("kind", "extra", "intended"),
    LAST_RELEASE_CASES,
    ids=[f"{k[0]}-{k[1]}{'-' + '-'.join(e) if e else ''}" for k, e, _ in LAST_RELEASE_CASES],
)
def test_update_from_the_last_release_changes_only_the_listed_fixes(versions, tmp_path, kind, extra, intended):
    answers = kind_answers(*kind) | extra
    project = render(versions, tmp_path / "kept" / "demo", vcs_ref=PREVIOUS_VERSION, **answers)
    before = {path: (project / path).read_bytes() for path in tracked_files(project)}
    update(project)
    after = {path: (project / path).read_bytes() for path in set(work_tree_files(project)) | set(before)}
    changed = {path for path in after if before.get(path) != after[path]} - {".copier-answers.yml"}
    assert changed == set(CHANGED_SINCE_PREVIOUS) | set(intended)
    # A fresh copy with the answers the 1.1.0 migration gives older projects.
    kept = MIGRATED_ANSWERS.get(kind[0], {}) | (MIGRATED_SYNC_ANSWERS if extra.get("github_sync") else {})
    recorded = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert recorded.get("sync_auth") == kept.get("sync_auth"), "recorded only where there is a workflow"
    fresh = render(versions, tmp_path / "fresh" / "demo", vcs_ref=CURRENT_VERSION, **answers, **kept)
    assert tree(project) == tree(fresh)


@pytest.mark.slow  # three renders a kind (the release-to-release case above stays in the fast lane)
@pytest.mark.parametrize(("repo_type", "sdk"), KINDS, ids=IDS)
def test_update_from_previous_version_equals_fresh_copy(versions, tmp_path, repo_type, sdk):
    project = copy_old(versions, tmp_path / "old" / "demo", **old_answers(repo_type, sdk))
    update(project)
    kept = MIGRATED_ANSWERS.get(repo_type, {})
    fresh = render(
        versions,
        tmp_path / "fresh" / "demo",
        vcs_ref=CURRENT_VERSION,
        **({"repo_type": repo_type} | ({"space_sdk": sdk} if sdk else {})),
        **kept,
    )
    assert tree(project) == tree(fresh)
    assert git(project, "ls-files", "-u") == "", "no unmerged paths"
    assert check_repo(project, repo_type) == []


def test_streamlit_builtin_sdk_moves_to_docker_on_8501(versions, tmp_path):
    project = copy_old(versions, tmp_path / "st", repo_type="space", sdk="streamlit")
    old_meta = read_metadata(project / "README.md")
    assert old_meta["sdk"] == "streamlit" and not (project / "Dockerfile").exists()
    update(project)
    meta = read_metadata(project / "README.md")
    assert (meta["sdk"], meta["app_port"]) == ("docker", 8501) and "sdk_version" not in meta
    assert "--server.port=8501" in (project / "Dockerfile").read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["space_sdk"] == "streamlit" and "sdk" not in answers and answers["_commit"] == CURRENT_VERSION


def test_renamed_question_keeps_its_answer(versions, tmp_path):
    """0.9.0's `sdk=static` must stay static under 1.0.0's `space_sdk`, not fall back to gradio."""
    project = copy_old(versions, tmp_path / "static", repo_type="space", sdk="static")
    update(project)
    assert read_metadata(project / "README.md")["sdk"] == "static"
    assert (project / "index.html").exists() and not (project / "app.py").exists()


def test_default_gradio_follows_the_template(versions, tmp_path):
    project = copy_old(versions, tmp_path / "gr", repo_type="space", sdk="gradio")
    assert read_metadata(project / "README.md")["sdk_version"] == "5.9.1"
    assert "gradio==5.9.1" in (project / "requirements.txt").read_text()
    update(project)
    assert read_metadata(project / "README.md")["sdk_version"] == "6.31.0"
    assert "gradio==" not in (project / "requirements.txt").read_text()


def test_chosen_gradio_version_is_kept(versions, tmp_path):
    project = copy_old(versions, tmp_path / "pinned", repo_type="space", sdk="gradio", gradio_version="5.20.0")
    update(project)
    assert read_metadata(project / "README.md")["sdk_version"] == "5.20.0"


def test_user_edits_survive_an_update_that_changes_the_same_files(versions, tmp_path):
    project = copy_old(versions, tmp_path / "edited", repo_type="space", sdk="gradio")
    app = project / "app.py"
    app.write_text(
        app.read_text().replace('return f"Hello, {name}"', 'return f"Bonjour, {name}"')
        + "\n\ndef my_helper():\n    return 42\n"
    )
    readme = project / "README.md"
    readme.write_text(readme.read_text() + "\n## My notes\n\nThis Space belongs to the NLP team.\n")
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text() + "torch==2.5.1\nnumpy>=2\n")
    commit_all(project, "my edits")
    update(project)
    app_text, readme_text, req_text = app.read_text(), readme.read_text(), requirements.read_text()
    assert 'return f"Bonjour, {name}"' in app_text and "def my_helper():" in app_text
    assert "This Space belongs to the NLP team." in readme_text
    assert 'sdk_version: "6.31.0"' in readme_text
    assert "torch==2.5.1" in req_text and "numpy>=2" in req_text
    # Where the template and the person changed the same lines, both sides stay, inside markers.
    for text in (app_text, readme_text, req_text):
        if "<<<<<<<" in text:
            assert "=======" in text and ">>>>>>>" in text


def test_conflict_shows_inline_markers_and_loses_no_line(versions, tmp_path, capfd):
    project = copy_old(versions, tmp_path / "conflict", repo_type="space", sdk="gradio")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace('sdk_version: "5.9.1"', 'sdk_version: "5.9.1"  # tested with our GPU'))
    commit_all(project, "annotate the pin")
    update(project)
    text = readme.read_text()
    assert "<<<<<<< before updating" in text and ">>>>>>> after updating" in text
    assert 'sdk_version: "5.9.1"  # tested with our GPU' in text and 'sdk_version: "6.31.0"' in text
    assert git(project, "ls-files", "-u") != "", "git shows the conflict as unmerged"
    said = capfd.readouterr().err
    assert "copier update left conflicts in 1 file: README.md." in said, said
    assert "delete the markers, then `git add` each file and commit" in said


def test_the_update_command_ends_with_status_1_when_it_leaves_conflicts(versions, tmp_path, capsys):
    """As after `git merge`: a script sees the files that hold both versions, and a clean update is 0."""
    from hf_hub_template.cli import main as cli

    project = copy_old(versions, tmp_path / "conflict", repo_type="space", sdk="gradio")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace('sdk_version: "5.9.1"', 'sdk_version: "5.9.1"  # tested with our GPU'))
    commit_all(project, "annotate the pin")
    args = ["update", str(project), "--template", str(versions), "--vcs-ref", CURRENT_VERSION]
    assert cli(args) == 1
    out = capsys.readouterr().out
    assert f"Updated {project}: " in out and "README.md holds both versions: resolve, then commit." in out, out
    assert "<<<<<<< before updating" in readme.read_text()
    calm = render(versions, tmp_path / "calm", vcs_ref=PREVIOUS_VERSION, repo_type="model")
    typo = ["update", str(calm), "--template", str(versions), "--vcs-ref", CURRENT_VERSION, "-d", "licence=mit"]
    assert cli(typo) == 2 and "-d licence (did you mean license?)" in capsys.readouterr().err
    (calm / "notes.md").write_text("How a conflict looks:\n<<<<<<< before updating\n")  # committed: not this update's
    commit_all(calm, "notes")
    assert cli(["update", str(calm), "--template", str(versions), "--vcs-ref", CURRENT_VERSION]) == 0
    assert "changed; review and commit." in capsys.readouterr().out


def test_an_update_without_conflicts_says_none(versions, tmp_path, capfd):
    project = render(versions, tmp_path / "calm", vcs_ref=PREVIOUS_VERSION, repo_type="model")
    capfd.readouterr()
    update(project)
    assert "left conflicts" not in capfd.readouterr().err


def test_deleted_file_stays_deleted(versions, tmp_path):
    project = copy_old(versions, tmp_path / "deleted", repo_type="space", sdk="docker")
    (project / ".dockerignore").unlink()
    commit_all(project, "no dockerignore")
    update(project)
    assert not (project / ".dockerignore").exists()


def test_update_to_same_version_changes_nothing(template, tmp_path):
    project = render(template, tmp_path / "same", repo_type="dataset")
    before = {path: (project / path).read_bytes() for path in tracked_files(project)}
    run_update(str(project), defaults=True, unsafe=True, overwrite=True, quiet=True, vcs_ref="HEAD")
    after = {path: (project / path).read_bytes() for path in tracked_files(project)}
    changed = {path for path in before if before[path] != after[path]} - {".copier-answers.yml"}
    assert not changed and git(project, "status", "--porcelain", "--", ":!.copier-answers.yml") == ""


def test_update_runs_no_remote_step(versions, tmp_path):
    from helpers import fake_token, hub_env
    from hub_server import HubServer

    token = fake_token()
    with HubServer(token=token) as hub:
        env = hub_env(tmp_path, hub.url, token)
        project = tmp_path / "remote-demo"
        copied = copier_copy(versions, project, env, vcs_ref=OLD_VERSION, create_remote="true", namespace="fakeuser")
        assert copied.returncode == 0, copied.stderr
        assert hub.repo("space", "fakeuser/remote-demo") is not None
        hub.clear_log()
        result = subprocess.run(
            [*copier_cli(), "update", "--trust", "--defaults", "--vcs-ref", CURRENT_VERSION],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert hub.requests == []
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == CURRENT_VERSION
    assert git(project, "log", "--format=%s").count("\n") == 1, "update commits nothing itself"


def test_migrations_are_idempotent(tmp_path, monkeypatch):
    from hf_hub_template import migrations as migrate

    monkeypatch.chdir(tmp_path)
    (tmp_path / ".copier-answers.yml").write_text("sdk: streamlit\ngradio_version: 5.9.1\n_commit: 0.9.0\n")
    steps = ["rename-answer:sdk:space_sdk", "follow-default:gradio_version:5.9.1:6.31.0"]
    assert migrate.main(steps) == 0
    once = (tmp_path / ".copier-answers.yml").read_text()
    assert migrate.main(steps) == 0
    assert (tmp_path / ".copier-answers.yml").read_text() == once
    answers = yaml.safe_load(once)
    assert answers == {"space_sdk": "streamlit", "gradio_version": "6.31.0", "_commit": "0.9.0"}
    assert migrate.main(["rename-answer:only-one-arg"]) == 2
