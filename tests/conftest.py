"""Fixtures: tagged git snapshots of this template. Shared helpers are in helpers.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # hf_hub_template, as the hooks import it
sys.path.insert(0, str(ROOT / "template" / "tests"))  # hub_rules, as rendered projects import it

from helpers import build_versions, fake_token, share_renders, shared_template, snapshot_template  # noqa: E402
from hub_server import HubServer  # noqa: E402


def _compile_each_source_once() -> None:
    """Copier builds a new Jinja environment for every copy and compiles each question's default, `when`
    and validator again (about 800 compilations a copy, half its time). The compiled code depends only on
    the source and the environment's settings, so this test process compiles each pair once."""
    from jinja2 import Environment
    from jinja2.lexer import get_lexer

    compile_source = Environment.compile
    compiled: dict[tuple[object, ...], object] = {}

    def compile_once(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        if not isinstance(source, str):
            return compile_source(self, source, name, filename, raw, defer_init)
        key = (
            source, name, filename, raw, defer_init, type(self), get_lexer(self),
            tuple(sorted((key, type(ext)) for key, ext in self.extensions.items())),
            frozenset(self.filters), frozenset(self.tests), self.optimized, self.finalize, self.is_async,
            self.code_generator_class, self.sandboxed, getattr(self, "intercepted_binops", None),
            getattr(self, "intercepted_unops", None),
        )  # fmt: skip
        if key not in compiled:
            compiled[key] = compile_source(self, source, name, filename, raw, defer_init)
        return compiled[key]

    Environment.compile = compile_once  # type: ignore[method-assign]


_compile_each_source_once()


@pytest.fixture(scope="session", autouse=True)
def _renders_shared_in_this_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    """helpers.render: the same answers from the same template repo are rendered once per test process."""
    share_renders(tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree as a template repo tagged with the current version."""
    return shared_template(snapshot_template(tmp_path_factory.mktemp("template")))


@pytest.fixture(scope="session")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A template repo tagged 0.9.0, 1.0.0 (as released) and the current version (this working tree)."""
    return shared_template(build_versions(tmp_path_factory.mktemp("versions") / "hf-hub-template"))


@pytest.fixture
def token() -> str:
    """A fake Hub token made at run time."""
    return fake_token()


@pytest.fixture
def hub(token: str):
    """The loopback Hub test server, accepting `token`; point HF_ENDPOINT at `hub.url`."""
    with HubServer(token=token) as server:
        yield server
