"""Fixtures: tagged git snapshots of this template. Shared helpers are in helpers.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # hf_hub_template, as the hooks import it
sys.path.insert(0, str(ROOT / "template" / "tests"))  # hub_rules, as rendered projects import it

from helpers import build_versions, fake_token, snapshot_template  # noqa: E402
from hub_server import HubServer  # noqa: E402


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a template repo tagged with the current version."""
    return snapshot_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template repo tagged 0.9.0, 1.0.0 (as released) and the current version (this working tree)."""
    return build_versions(tmp_path_factory.mktemp("versions") / "hf-hub-template")


@pytest.fixture
def token() -> str:
    """A fake Hub token made at run time."""
    return fake_token()


@pytest.fixture
def hub(token: str):
    """The loopback Hub test server, accepting `token`; point HF_ENDPOINT at `hub.url`."""
    with HubServer(token=token) as server:
        yield server
