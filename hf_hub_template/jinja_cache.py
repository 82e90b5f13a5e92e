"""Copier compiles each Jinja source again every time it renders it; this process compiles it once.

Copier makes a new Jinja environment for each render and compiles every question's `type`, `when`,
default, validator and choice each time it reads them (a copy of this template: about 870 compiles of
250 sources, a third of its own time; an update renders three times). What Jinja compiles depends only
on the source and the environment's settings, so `hf-hub-template new` and `update` install this before
they run Copier: each source is compiled once per process and the code is reused. The file name is only
the code's `co_filename` (put back on a hit), and extensions still see each source (`preprocess`, which
resets Copier's `yield` state), so every render is the same as without it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from types import CodeType
from typing import Any

from jinja2 import Environment
from jinja2.lexer import get_lexer

_INSTALLED = "_hf_hub_template_compile_once"


def settings_key(env: Environment) -> tuple[object, ...]:
    """What, besides the source, decides the code Jinja compiles in `env` (two Copier renders agree)."""
    return (
        type(env),
        get_lexer(env),  # the delimiters, whitespace control and newline settings (cached per setting)
        tuple(sorted((name, type(ext)) for name, ext in env.extensions.items())),
        frozenset(env.filters),
        frozenset(env.tests),
        env.optimized,
        env.finalize,
        env.autoescape,  # decided at compile time where it is a bool (a template's `_envops` may set it)
        env.is_async,
        env.code_generator_class,
        env.sandboxed,
        getattr(env, "intercepted_binops", None),
        getattr(env, "intercepted_unops", None),
    )


def _named(code: CodeType, filename: str) -> CodeType:
    consts = tuple(_named(const, filename) if isinstance(const, CodeType) else const for const in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def reused(env: Environment, code: CodeType | str, source: str, name: str | None, filename: str | None) -> Any:
    """`code` compiled before from `source`, handed out as a compile would: extensions see the source
    (`preprocess`), and the code bears this compile's file name."""
    env.preprocess(source, name, filename)
    if isinstance(code, str):
        return code
    filename = filename or "<template>"
    return code if code.co_filename == filename else _named(code, filename)


def compile_each_source_once() -> None:
    """Make `Environment.compile` reuse the code of a source it compiled before (idempotent)."""
    compile_source: Callable[..., Any] = Environment.compile
    if getattr(compile_source, _INSTALLED, False):
        return
    compiled: dict[tuple[Hashable, ...], CodeType | str] = {}

    def compile_once(
        self: Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        if not isinstance(source, str):  # a parsed template (nodes.Template): nothing to share
            return compile_source(self, source, name, filename, raw, defer_init)
        key = (source, name, raw, defer_init, settings_key(self))
        code = compiled.get(key)
        if code is None:
            code = compiled[key] = compile_source(self, source, name, filename, raw, defer_init)
            return code
        return reused(self, code, source, name, filename)

    setattr(compile_once, _INSTALLED, True)
    Environment.compile = compile_once  # type: ignore[method-assign]
