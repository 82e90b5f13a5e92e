"""hf_hub_template.jinja_cache: `new` and `update` compile each Jinja source once, and render the same."""

from __future__ import annotations

import secrets

import pytest
from copier._jinja_ext import SandboxedEnvironment, YieldExtension, get_yield_context
from jinja2 import Environment

from hf_hub_template.jinja_cache import compile_each_source_once


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources Jinja really compiles once the cache is installed (undone after the test)."""
    seen: list[str] = []
    compile_source = Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        seen.append(source)
        return compile_source(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(Environment, "compile", counting)
    compile_each_source_once()
    compile_each_source_once()  # idempotent: one layer
    return seen


# Contexts are passed as dicts: test_questions reads keyword arguments of render() as template answers.
def test_a_source_is_compiled_once_for_every_environment_with_the_same_settings(compiles: list[str]) -> None:
    source = "{{ name | upper }} " + secrets.token_hex(4)
    first, second = SandboxedEnvironment(keep_trailing_newline=True), SandboxedEnvironment(keep_trailing_newline=True)
    assert first.from_string(source).render({"name": "a"}).startswith("A ")
    assert second.from_string(source).render({"name": "b"}).startswith("B ")  # Copier's next render, a new environment
    assert compiles.count(source) == 1
    # Settings that change the code compile it again: other delimiters leave {{ }} as text.
    other = SandboxedEnvironment(variable_start_string="[[", variable_end_string="]]")
    assert other.from_string(source).render({"name": "c"}) == source
    assert compiles.count(source) == 2


def test_autoescape_is_a_setting_that_changes_the_code(compiles: list[str]) -> None:
    """Jinja decides at compile time whether `{{ }}` escapes (a template may set `_envops: {autoescape: true}`)."""
    source = "{{ html }}" + secrets.token_hex(4)
    assert Environment().from_string(source).render({"html": "<b>"}).startswith("<b>")
    assert Environment(autoescape=True).from_string(source).render({"html": "<b>"}).startswith("&lt;b&gt;")
    assert compiles.count(source) == 2


def test_a_reused_template_reports_errors_at_its_own_file_name(compiles: list[str]) -> None:
    """Copier clones the template into a new folder for each render: the same name, another file."""
    source = "{{ 1 // zero }}" + secrets.token_hex(4)
    env = Environment()
    for filename in ("/tmp/clone-1/README.md.jinja", "/tmp/clone-2/README.md.jinja"):
        code = env.compile(source, name="README.md.jinja", filename=filename)
        assert not isinstance(code, str)
        assert code.co_filename == filename
    assert compiles.count(source) == 1


def test_extensions_still_see_each_source_copier_yield_state_is_reset(compiles: list[str]) -> None:
    """Copier asks the environment after each file name whether it held a `yield` tag: a name compiled
    before must reset that state as a compile does (YieldExtension.preprocess), or the next plain name
    would be taken for a loop."""
    env = SandboxedEnvironment(extensions=[YieldExtension])
    looped = "{% yield item from items %}{{ item }}{% endyield %}" + secrets.token_hex(4)
    plain = "plain-" + secrets.token_hex(4)
    for _ in range(2):  # the second time, both are reused
        env.from_string(looped).render({"items": [1, 2]})
        assert get_yield_context(env).yield_name == "item"
        assert env.from_string(plain).render() == plain
        assert get_yield_context(env).yield_name is None
    assert compiles.count(looped) == compiles.count(plain) == 1
