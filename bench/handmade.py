"""Hand-made repos of every kind, as an organisation has them before it adopts the template: Gradio Spaces (one
whose requirements pin another Gradio than its sdk_version), Docker and static Spaces, a retired Streamlit
Space, models with a weights file (one with no card), datasets with CSV or Parquet data. The weights and data
are large on purpose: fleet-status and fleet-adopt must never download them."""

from __future__ import annotations

from typing import Any

WEIGHTS = b"\0" * (50 * 1024 * 1024)  # one object, shared by every model repo of the test Hub
PARQUET = b"PAR1" + b"\0" * (5 * 1024 * 1024) + b"PAR1"
CSV = b"text,label\n" + b"a fine day,1\n" * 200_000
# What neither command may download: weights, data, the apps' own code.
NEVER_READ = (".safetensors", ".parquet", ".csv", "app.py", "main.py", "index.html", "config.json")


def _card(front: str, title: str) -> bytes:
    return f"---\n{front}---\n\n# {title}\n".encode()


def _space_card(title: str, sdk: str, extra: str = "") -> bytes:
    return _card(f"title: {title}\nemoji: 🧪\ncolorFrom: blue\ncolorTo: gray\nsdk: {sdk}\n{extra}", title)


def _files(kind: str, index: int) -> dict[str, bytes]:
    title = f"Hand made {index}"
    gradio_app = b"import gradio as gr\n\ngr.Interface(lambda x: x, 'text', 'text').launch()\n"
    if kind == "gradio":
        card = _space_card(title, "gradio", "sdk_version: 5.9.1\napp_file: app.py\nshort_description: Echoes\n")
        return {"README.md": card, "app.py": gradio_app, "requirements.txt": b"numpy\n"}
    if kind == "gradio-pinned":  # sdk_version and the requirements' pin disagree, no python_version
        card = _space_card(title, "gradio", "sdk_version: 4.44.1\napp_file: app.py\ndescription: an old key\n")
        return {"README.md": card, "app.py": gradio_app, "requirements.txt": b"gradio==4.36.0\npandas\n"}
    if kind == "docker":
        dockerfile = (
            b"FROM python:3.11-slim\nWORKDIR /app\nCOPY . /app\nRUN pip install fastapi uvicorn\n"
            b'CMD ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "7860"]\n'
        )
        card = _space_card(title, "docker", "app_port: 7860\n")
        main = b"from fastapi import FastAPI\napp = FastAPI()\n"
        return {"README.md": card, "Dockerfile": dockerfile, "main.py": main}
    if kind == "static":
        page = b"<!doctype html><title>Static</title><p>Hello</p>\n"
        return {"README.md": _space_card(title, "static"), "index.html": page, "style.css": b"p { color: red }\n"}
    if kind == "streamlit":  # the retired built-in SDK: a health error, and not adoptable
        card = _space_card(title, "streamlit", "sdk_version: 1.25.0\napp_file: app.py\n")
        return {"README.md": card, "app.py": b"import streamlit as st\nst.write('hi')\n"}
    if kind == "model":
        front = "license: apache-2.0\nlibrary_name: transformers\npipeline_tag: text-classification\n"
        return {"README.md": _card(front, title), "config.json": b"{}", "model.safetensors": WEIGHTS}
    if kind == "model-bare":  # no card at all
        return {"config.json": b"{}", "model.safetensors": WEIGHTS}
    if kind == "dataset-csv":
        card = _card("license: cc-by-4.0\ntask_categories:\n- text-classification\n", title)
        return {"README.md": card, "data/train.csv": CSV, "data/test.csv": CSV}
    if kind == "dataset-parquet":
        return {"README.md": _card("license: mit\n", title), "data/train-00000-of-00001.parquet": PARQUET}
    raise ValueError(kind)


KINDS: dict[str, tuple[str, str | None]] = {  # kind -> (repo_type, space sdk)
    "gradio": ("space", "gradio"),
    "gradio-pinned": ("space", "gradio"),
    "docker": ("space", "docker"),
    "static": ("space", "static"),
    "streamlit": ("space", "streamlit"),
    "model": ("model", None),
    "model-bare": ("model", None),
    "dataset-csv": ("dataset", None),
    "dataset-parquet": ("dataset", None),
}


Member = tuple[dict[str, bytes], str | None]  # a template member's files and Space SDK


def seed_mixed(hub: Any, namespace: str, size: int, members: dict[str, Member]) -> dict[str, str]:
    """Seeds `size` repos named `{kind}-{index:04d}`: every tenth a template member (taking `members`'
    repo types in turn: type -> (files, sdk)), the others hand-made, each kind in turn. Returns repo id -> kind
    ("member" for members)."""
    kinds, member_types = list(KINDS), list(members)
    seeded: dict[str, str] = {}
    for index in range(size):
        if index % 10 == 0:
            repo_type = member_types[(index // 10) % len(member_types)]
            files, sdk = members[repo_type]
            repo_id = f"{namespace}/member-{index:04d}"
            hub.seed(repo_type, repo_id, files, sdk=sdk)
            seeded[repo_id] = "member"
            continue
        kind = kinds[(index - index // 10 - 1) % len(kinds)]
        repo_type, sdk = KINDS[kind]
        repo_id = f"{namespace}/{kind}-{index:04d}"
        hub.seed(repo_type, repo_id, _files(kind, index), sdk=sdk)
        seeded[repo_id] = kind
    return seeded
