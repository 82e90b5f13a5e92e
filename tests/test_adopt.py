"""adopt / fleet-adopt on the loopback Hub: hand-made repos of each kind get one pull request that adds the
template's answers and scaffolding and keeps their own app, code, data and card text; once merged they are
fleet members that fleet-status reads and fleet-update keeps current. Repos the template cannot represent
are reported with the reason, and get no pull request (fast lane: no app runs)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import CURRENT_VERSION, ROOT, fake_token, git, hub_env, render, row, run_cli, seed_from, snapshot_template
from hub_server import HubServer

from hf_hub_template.fleet.infer import CannotAdopt, hub_rules, infer, read_card

NAMESPACE = "org"
NEXT_VERSION = "1.2.0"
GRADIO_CARD = """---
title: Reverse text
emoji: ❤️
colorFrom: green
colorTo: purple
sdk: gradio
sdk_version: 4.44.1
app_file: app.py
description: an old key the Hub ignores
short_description: Reverses what you type
license: mit
---

# Reverse

My own words about my Space.
"""
GRADIO_APP = b'import gradio as gr\n\ndemo = gr.Interface(lambda x: x[::-1], "text", "text")\ndemo.launch()\n'
DOCKERFILE = """FROM python:3.11-slim
RUN useradd -m -u 1000 user
USER user
WORKDIR /app
COPY --chown=user . /app
RUN pip install --no-cache-dir fastapi uvicorn
EXPOSE 8080
CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8080"]
"""
MODEL_CARD = """---
license: mit
library_name: transformers
pipeline_tag: text-classification
language: en
---

# Tiny classifier

```python
from transformers import pipeline
classifier = pipeline("text-classification", model="org/classifier")
```
"""
DATASET_CARD = "---\nlicense: cc-by-4.0\ntask_categories:\n- text-classification\n---\n\n# Reviews\n\nMy data.\n"


def seed_namespace(hub: HubServer, tmp_path: Path, template: Path) -> None:
    hub.seed(
        "space",
        "org/reverse",
        {"README.md": GRADIO_CARD.encode(), "app.py": GRADIO_APP, "requirements.txt": b"numpy\n"},
        sdk="gradio",
    )
    docker_card = "---\ntitle: API\nsdk: docker\napp_port: 8080\n---\n\nMy API.\n"
    main = b"from fastapi import FastAPI\napp = FastAPI()\n"
    hub.seed(
        "space",
        "org/api",
        {"README.md": docker_card.encode(), "Dockerfile": DOCKERFILE.encode(), "main.py": main},
        sdk="docker",
    )
    weights = b"\x00" * 4096
    hub.seed(
        "model",
        "org/classifier",
        {"README.md": MODEL_CARD.encode(), "config.json": b"{}", "model.safetensors": weights},
    )
    csv = b"text,label\ngood,1\nbad,0\n"
    hub.seed(
        "dataset",
        "org/reviews",
        {"README.md": DATASET_CARD.encode(), "data/train.csv": csv, "data/test.csv": csv},
    )
    retired = "---\ntitle: Old\nsdk: streamlit\nsdk_version: 1.25.0\napp_file: app.py\n---\n"
    hub.seed("space", "org/retired", {"README.md": retired.encode(), "app.py": b"import streamlit\n"}, sdk="streamlit")
    wrong_port = "---\ntitle: Wrong port\nsdk: docker\n---\n"
    hub.seed(
        "space", "org/wrong-port", {"README.md": wrong_port.encode(), "Dockerfile": DOCKERFILE.encode()}, sdk="docker"
    )
    born = render(template, tmp_path / "born", vcs_ref=CURRENT_VERSION, repo_type="space", space_sdk="static")
    seed_from(hub, "space", "org/born", born, "static")


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree tagged as the current version, then a next release that changes CONTRIBUTING.md."""
    repo = snapshot_template(tmp_path_factory.mktemp("adopt") / "hf-hub-template")
    contributing = repo / "template" / "CONTRIBUTING.md.jinja"
    contributing.write_text(contributing.read_text(encoding="utf-8") + "\nA line of the next release.\n")
    git(repo, "commit", "-qam", NEXT_VERSION)
    git(repo, "tag", NEXT_VERSION)
    return repo


@pytest.fixture
def namespace(templates: Path, tmp_path: Path):
    token = fake_token()
    with HubServer(token=token, user="admin", orgs=[NAMESPACE]) as hub:
        seed_namespace(hub, tmp_path, templates)
        yield hub, hub_env(tmp_path, hub.url, token)


def cli(env: dict[str, str], templates: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(env, *args, "--template", str(templates))


def merge(hub: HubServer, repo_type: str, repo_id: str, num: int = 1) -> None:
    """Merge a pull request as the Hub does: its files become a commit on main."""
    repo = hub.repo(repo_type, repo_id)
    assert repo is not None
    pull = repo.pulls[num - 1]
    for path, content in pull["commit"]["changes"].items():
        if content is None:
            repo.files.pop(path, None)
        else:
            repo.files[path] = content
    repo.sha = f"{len(repo.commits) + 1:040x}"
    repo.commits.append({"oid": repo.sha, "summary": pull["title"], "changes": pull["commit"]["changes"]})
    pull["status"] = "merged"


def test_fleet_adopt_dry_run_reads_only_small_files_and_says_why_not(namespace, templates):
    hub, env = namespace
    result = cli(env, templates, "fleet-adopt", NAMESPACE, "--dry-run", "--vcs-ref", CURRENT_VERSION)
    out = result.stdout
    assert result.returncode == 0, out + result.stderr
    assert all(repo.pulls == [] for repo in hub.state.repos.values()), "a dry run opens nothing"
    for repo in ("space:org/reverse", "space:org/api", "model:org/classifier", "dataset:org/reviews"):
        assert "would open a PR" in row(out, repo), out
    assert "already a member" in row(out, "space:org/born")
    assert "cannot adopt: sdk: streamlit is the Hub's retired built-in SDK" in out
    assert "space:org/wrong-port: cannot adopt: the Hub's rules refuse its card or files: " in out
    assert "listens on 8080, but the card's app_port is 7860" in out
    assert "4 would open a PR, 1 already a member, 2 cannot adopt" in out
    # Never weights or data: only the card and the few files the inference reads.
    downloaded = {r.path for r in hub.requests if r.endpoint == "resolve"}
    assert not any(path.endswith((".safetensors", ".csv", "app.py", "main.py")) for path in downloaded), downloaded
    assert "===== space org/reverse" in out and "| `gradio_version` | 4.44.1 | card sdk\\_version |" in out


def test_adopt_a_gradio_space_keeps_its_own_app_and_card_then_fleet_update_keeps_it_current(namespace, templates):
    hub, env = namespace
    before = dict(hub.repo("space", "org/reverse").files)
    result = cli(env, templates, "adopt", "spaces/org/reverse", "--vcs-ref", CURRENT_VERSION)
    assert result.returncode == 0, result.stdout + result.stderr
    repo = hub.repo("space", "org/reverse")
    assert repo.files == before and not repo.commits, "nothing is pushed to main"
    assert len(repo.pulls) == 1 and repo.pulls[0]["title"] == f"Adopt hf-hub-template {CURRENT_VERSION}"
    changes = repo.pulls[0]["commit"]["changes"]
    assert set(changes) == {
        ".copier-answers.yml",
        ".gitattributes",
        "CONTRIBUTING.md",
        "README.md",
        "tests/hub_rules.py",
        "tests/requirements.txt",
        "tests/test_card.py",
    }
    assert "app.py" not in changes and "requirements.txt" not in changes, "its own app and requirements stay"
    card = changes["README.md"].decode()
    assert card.startswith(GRADIO_CARD.split("---\n\n")[0]), "every line of its front matter as it was"
    assert card.endswith("---\n\n# Reverse\n\nMy own words about my Space.\n"), "its card text as it was"
    assert "python_version: '3.10'" in card, "the Hub's default Python, now written down"
    answers = yaml.safe_load(changes[".copier-answers.yml"])
    assert answers["_commit"] == CURRENT_VERSION and answers["_src_path"] == str(templates)
    assert answers["emoji"] == "❤️" and answers["gradio_version"] == "4.44.1" and answers["license"] == "mit"
    assert answers["title"] == "Reverse text" and answers["color_from"] == "green"
    assert answers["space_settings"] is False and answers["page_options"] is False
    description = repo.pulls[0]["description"]
    assert "## Answers it could not infer" in description and "- `suggested_hardware`: cpu-basic" in description
    assert "'description' is not a Space configuration key" in description  # the Hub's advice, not an error

    # Once merged it is a member: fleet-status reads it at its version, fleet-adopt says so.
    merge(hub, "space", "org/reverse")
    status = cli(env, templates, "fleet-status", NAMESPACE, "--match", "reverse", "--vcs-ref", NEXT_VERSION)
    assert status.returncode == 0, status.stdout + status.stderr
    cells = [cell.strip() for cell in row(status.stdout, "space:org/reverse").split(" | ")]
    assert cells[1:3] == [CURRENT_VERSION, "1"] and "failed" not in cells[-1], status.stdout
    again = cli(env, templates, "adopt", "spaces/org/reverse")
    assert again.returncode == 0 and "already a member" in again.stdout, again.stdout + again.stderr

    # fleet-update brings it to the next release, and its own app and card stay.
    update = cli(env, templates, "fleet-update", NAMESPACE, "--match", "reverse", "--vcs-ref", NEXT_VERSION)
    assert update.returncode == 0, update.stdout + update.stderr
    assert "PR opened" in row(update.stdout, "space:org/reverse"), update.stdout
    changed = repo.pulls[1]["commit"]["changes"]
    assert set(changed) == {".copier-answers.yml", "CONTRIBUTING.md"}, sorted(changed)
    assert b"A line of the next release." in changed["CONTRIBUTING.md"]
    assert yaml.safe_load(changed[".copier-answers.yml"])["_commit"] == NEXT_VERSION


def test_adopt_a_docker_space_a_model_and_a_dataset(namespace, templates):
    hub, env = namespace
    for repo_id in ("spaces/org/api", "org/classifier", "datasets/org/reviews"):
        result = cli(env, templates, "adopt", repo_id, "--vcs-ref", CURRENT_VERSION)
        assert result.returncode == 0, result.stdout + result.stderr
    api = hub.repo("space", "org/api").pulls[0]["commit"]["changes"]
    answers = yaml.safe_load(api[".copier-answers.yml"])
    assert answers["space_sdk"] == "docker" and answers["app_port"] == 8080 and answers["python_version"] == "3.11"
    assert "Dockerfile" not in api and "main.py" not in api and "README.md" not in api, "nothing of its own replaced"

    model = hub.repo("model", "org/classifier").pulls[0]["commit"]["changes"]
    answers = yaml.safe_load(model[".copier-answers.yml"])
    assert (answers["library_name"], answers["pipeline_tag"], answers["license"]) == (
        "transformers",
        "text-classification",
        "mit",
    )
    assert "README.md" not in model, "the card has every key the template writes"
    assert not any(path.endswith(".safetensors") for path in model)

    dataset = hub.repo("dataset", "org/reviews").pulls[0]["commit"]["changes"]
    answers = yaml.safe_load(dataset[".copier-answers.yml"])
    assert answers["data_format"] == "csv" and answers["task_categories"] == "text-classification"
    assert not any(path.startswith("data/") for path in dataset), "its data stays as it is"
    meta, _ = read_card(dataset["README.md"].decode())
    assert meta["configs"] == [
        {
            "config_name": "default",
            "data_files": [{"split": "train", "path": "data/train.csv"}, {"split": "test", "path": "data/test.csv"}],
        }
    ]
    assert dataset["README.md"].decode().endswith("---\n\n# Reviews\n\nMy data.\n")


def test_a_repo_it_cannot_represent_gets_the_reason_and_no_pull_request(namespace, templates):
    hub, env = namespace
    result = cli(env, templates, "adopt", "spaces/org/retired", "--vcs-ref", CURRENT_VERSION)
    assert result.returncode == 1
    assert "cannot adopt: sdk: streamlit is the Hub's retired built-in SDK" in result.stdout
    assert hub.repo("space", "org/retired").pulls == []


# ----------------------------------------------------------------------------- inference, without a Hub
QUESTIONS = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))


def inferred(repo_type: str, card: str, files: dict[str, str] | None = None, repo_id: str = "org/x"):
    meta, _ = read_card(card)
    texts = {"README.md": card, **(files or {})}
    return infer(repo_type, repo_id, meta, frozenset(texts), texts, QUESTIONS)


def test_gradio_pin_in_requirements_fills_a_missing_sdk_version_and_a_disagreement_is_said():
    found = inferred("space", "---\nsdk: gradio\n---\n", {"requirements.txt": "gradio==5.1.0\n", "app.py": ""})
    assert found.answers["gradio_version"] == "5.1.0" and found.card_from_answers["sdk_version"] == "gradio_version"
    assert found.answers["python_version"] == "3.10" and found.sources["python_version"].startswith("the Hub's default")
    found = inferred("space", "---\nsdk: gradio\nsdk_version: 5.2.0\n---\n", {"requirements.txt": "gradio==5.1.0\n"})
    assert "requirements.txt pins gradio==5.1.0 but sdk_version is 5.2.0" in found.notes[0]


@pytest.mark.parametrize(
    ("card", "reason"),
    [
        ("---\nsdk: streamlit\n---\n", "retired built-in SDK"),
        ("---\nsdk: static\napp_build_command: make site\napp_file: out/index.html\n---\n", "builds only a Vite"),
        ("---\nsdk: gradio\npython_version: '3.8'\n---\n", "Python 3.10 to 3.19"),
        ("---\nsdk: docker\napp_port: 80\n---\n", "1024 to 65535"),
        ("---\nsdk: flask\n---\n", "gradio, docker and static Spaces only"),
    ],
)
def test_what_the_template_does_not_offer_is_refused_with_the_reason(card, reason):
    with pytest.raises(CannotAdopt, match=reason):
        inferred("space", card)


def test_a_model_library_the_template_does_not_write_is_refused_and_one_from_the_files_is_read():
    with pytest.raises(CannotAdopt, match="library_name 'open_clip'"):
        inferred("model", "---\nlibrary_name: open_clip\n---\n")
    found = inferred("model", "# no front matter\n", {"adapter_config.json": "{}"})
    assert found.answers["library_name"] == "peft" and found.answers["license"] == "unknown"
    assert {"library_name", "pipeline_tag", "license"} <= set(found.card_from_answers)


def test_a_card_with_yaml_aliases_is_not_read():
    with pytest.raises(ValueError, match="alias"):
        read_card("---\na: &x [1]\nb: *x\n---\n")
    assert hub_rules().EMOJI.match("❤️"), "a pictograph and its variation selector are one emoji"


def test_what_a_repo_wrote_is_quoted_bounded_in_a_refusal():
    """The review's find: a refusal quoted the card's value whole (300,000 characters of sdk in one line)."""
    with pytest.raises(CannotAdopt) as refused:
        inferred("space", "---\nsdk: " + "x" * 300_000 + "\n---\n")
    assert len(str(refused.value)) < 300 and "gradio, docker and static Spaces only" in str(refused.value)


def test_a_mention_in_a_repo_s_text_notifies_nobody_from_the_pull_request():
    """for_markdown writes `@` as an entity: a card's `@everyone` in the PR body the operator opens is text."""
    from hf_hub_template.untrusted import for_markdown

    assert for_markdown("ping @everyone and @org/team") == "ping &#64;everyone and &#64;org/team"
    assert "@" not in for_markdown("a@b")
