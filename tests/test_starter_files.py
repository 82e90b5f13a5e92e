"""starter_files: a Space adopted with its own app gets none of the starter's app files, and an update that
changes the starter never touches the Space's own app (the adopt command records `starter_files: false`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from copier import run_update
from helpers import git, render, tag_release
from hub_rules import read_metadata

APP_FILES = {
    "gradio": {"app.py", "requirements.txt", "tests/test_app.py", "tests/serve.py"},
    "streamlit": {"app.py", "requirements.txt", "Dockerfile", ".dockerignore", "tests/test_dockerfile.py"},
    "docker": {"app.py", "requirements.txt", "Dockerfile", ".dockerignore", "tests/test_dockerfile.py"},
    "static": {"index.html", "style.css", "script.js", "tests/test_page.py"},
}
KEPT = {"README.md", "CONTRIBUTING.md", ".gitattributes", ".gitignore", ".copier-answers.yml", "tests/hub_rules.py"}


def files(project: Path) -> set[str]:
    return {
        str(path.relative_to(project)) for path in project.rglob("*") if path.is_file() and ".git" not in path.parts
    }


@pytest.mark.parametrize("sdk", sorted(APP_FILES))
def test_without_starter_files_no_app_file_is_rendered(template, tmp_path, sdk):
    full = files(render(template, tmp_path / "full" / "demo", space_sdk=sdk))
    bare_project = render(template, tmp_path / "bare" / "demo", space_sdk=sdk, starter_files=False)
    bare = files(bare_project)
    assert APP_FILES[sdk] <= full and not APP_FILES[sdk] & bare
    assert KEPT <= bare and bare <= full
    # The card is the same card: it still names the app the Space runs (the repo's own).
    assert read_metadata(bare_project / "README.md") == read_metadata(tmp_path / "full" / "demo" / "README.md")
    assert yaml.safe_load((bare_project / ".copier-answers.yml").read_text())["starter_files"] is False


def test_demo_files_are_left_out_too(template, tmp_path):
    bare = files(render(template, tmp_path / "d", models="acme/m", datasets="acme/d", starter_files=False))
    assert not {"inference.py", "examples.py", "tests/demo_inputs.py", "tests/stand_in.py"} & bare


def test_an_update_that_changes_the_starter_never_touches_the_spaces_own_app(template, tmp_path):
    """A template release changes the starter app.py; an adopted Space (its own app.py) updates cleanly."""
    repo = tmp_path / "template"
    shutil.copytree(template, repo)
    project = render(repo, tmp_path / "space", vcs_ref="1.1.0", starter_files=False)
    own_app = "import gradio as gr\n\ngr.Interface(lambda x: x[::-1], 'text', 'text').launch()\n"
    (project / "app.py").write_text(own_app)
    (project / "requirements.txt").write_text("numpy==2.3.0\n")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "adopted")
    # The next release changes the starter app and the card's description default.
    starter = next((repo / "template").glob("*app.py*"))
    starter.write_text(starter.read_text() + "\n# a change of the next release\n")
    contributing = repo / "template" / "CONTRIBUTING.md.jinja"
    contributing.write_text(contributing.read_text() + "\nA line the next release adds.\n")
    tag_release(repo, "1.1.1")

    run_update(str(project), defaults=True, overwrite=True, unsafe=True, skip_tasks=True, quiet=True, vcs_ref="1.1.1")

    assert (project / "app.py").read_text() == own_app
    assert (project / "requirements.txt").read_text() == "numpy==2.3.0\n"
    assert "A line the next release adds." in (project / "CONTRIBUTING.md").read_text()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "1.1.1"
    status = git(project, "status", "--porcelain")
    assert "app.py" not in status and "UU" not in status


def test_the_starter_is_rendered_by_default_and_recorded(template, tmp_path):
    project = render(template, tmp_path / "s")
    assert (project / "app.py").is_file()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["starter_files"] is True
