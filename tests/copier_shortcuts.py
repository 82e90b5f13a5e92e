"""Work the suite's renders pay thousands of times: two of Copier's git steps, skipped where git would do
nothing, and Jinja's compiles, shared by every process of a run.

Installed in the test process (conftest) and in the light warm Python's zygotes (tests/warm_python.py), so the
`copier` and `hf-hub-template` processes the tests start get them too. Each keeps Copier's result exactly:
the step still runs wherever it could change anything, and a shared compile is the code Jinja would make.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from types import CodeType
from typing import Any

CODE_VAR = "HF_HUB_TEMPLATE_TESTS_JINJA_CODE"  # the run's folder of compiled Jinja code (conftest sets it)


def install() -> None:
    read_core_file_mode_once_per_render()
    no_submodule_commands_without_gitmodules()
    jinja_code_shared_by_the_run()


def read_core_file_mode_once_per_render() -> None:
    """Copier asks git for the destination's `core.fileMode` once for every file it writes (one git process
    each: 8,000 of the fast lane's 19,000 git processes). Nothing changes that setting while Copier renders:
    ask once per render, and when the answer makes the step a no-op (not `false`), skip it for the rest of
    that render; when it is `false`, Copier's own step runs for every file as before."""
    import copier._main
    from copier._vcs import get_git
    from plumbum import ProcessExecutionError

    sync = copier._main.Worker._sync_git_index_executable_bit
    if getattr(sync, "asks_once_per_render", False):
        return
    remembered = "_file_mode_step_is_a_no_op"  # kept in the Worker (one per render); Copier has no such field

    def sync_unless_no_op(self: Any, dst_relpath: Path, src_mode: int) -> None:
        if remembered not in self.__dict__:
            try:
                setting = get_git(context_dir=self.subproject.local_abspath)(
                    "config", "--type=bool", "--get", "core.fileMode"
                ).strip()
            except ProcessExecutionError:
                setting = ""  # unset, or not a repository: Copier's step returns at once
            self.__dict__[remembered] = setting != "false"
        if not self.__dict__[remembered]:
            sync(self, dst_relpath, src_mode)

    sync_unless_no_op.asks_once_per_render = True  # type: ignore[attr-defined]
    copier._main.Worker._sync_git_index_executable_bit = sync_unless_no_op  # type: ignore[method-assign]


class _GitWithoutIdleSubmoduleCommands:
    """Copier's `git` command, but `git submodule ...` in a checkout without `.gitmodules` (a template without
    submodules: every one the suite renders) returns at once: `submodule sync` and `submodule update --init`
    take the submodules from that file, so without it they do nothing (git-submodule is a shell script: about
    fifteen processes for that nothing, on every clone)."""

    def __init__(self, git: Any) -> None:
        self._git = git

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from plumbum import local

        if args[:1] == ("submodule",) and not (Path(str(local.cwd)) / ".gitmodules").exists():
            return ""
        return self._git(*args, **kwargs)

    def __getitem__(self, args: Any) -> Any:
        return self._git[args]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._git, name)


def no_submodule_commands_without_gitmodules() -> None:
    """Copier's clone of a template (local, or a remote's cached mirror) ends with `git submodule update` (and
    `sync`), whether the template has submodules or not; only copier._vcs runs them, with its own get_git."""
    import copier._vcs

    get_git = copier._vcs.get_git
    if getattr(get_git, "skips_idle_submodule_commands", False):
        return

    def get_git_without_idle_submodule_commands(*args: Any, **kwargs: Any) -> Any:
        git = get_git(*args, **kwargs)
        return git if args or kwargs else _GitWithoutIdleSubmoduleCommands(git)

    get_git_without_idle_submodule_commands.skips_idle_submodule_commands = True  # type: ignore[attr-defined]
    copier._vcs.get_git = get_git_without_idle_submodule_commands


def _stable_settings(env: Any) -> str | None:
    """hf_hub_template.jinja_cache.settings_key in words another process reads the same: None where a setting
    is a function (its name does not say what it does), and the code then stays in this process."""
    if callable(env.autoescape) or env.finalize is not None:
        return None
    kind = type(env)
    lexer = (
        env.block_start_string, env.block_end_string, env.variable_start_string, env.variable_end_string,
        env.comment_start_string, env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
    )  # fmt: skip
    extensions = sorted(
        (name, f"{type(ext).__module__}.{type(ext).__qualname__}") for name, ext in env.extensions.items()
    )
    return repr((
        f"{kind.__module__}.{kind.__qualname__}", lexer, extensions, sorted(env.filters), sorted(env.tests),
        env.optimized, env.autoescape, env.is_async, env.code_generator_class.__qualname__, env.sandboxed,
        sorted(getattr(env, "intercepted_binops", ())), sorted(getattr(env, "intercepted_unops", ())),
    ))  # fmt: skip


def jinja_code_shared_by_the_run() -> None:
    """Each render process compiled the template's Jinja sources again (a served `copier copy`: 0.5 s, of which
    0.35 s compiling). Under hf_hub_template.jinja_cache's in-process layer, a miss is looked up in the run's
    folder (CODE_VAR) by a hash of everything that decides the code, and compiled and kept there when absent."""
    from jinja2 import Environment

    from hf_hub_template import jinja_cache

    compile_source = Environment.compile
    if getattr(compile_source, "_shared_by_the_run", False) or getattr(compile_source, jinja_cache._INSTALLED, False):
        jinja_cache.compile_each_source_once()
        return  # already shared, or the in-process layer is on already: this one would sit above it

    def compile_shared(
        self: Environment,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        folder, settings = os.environ.get(CODE_VAR), _stable_settings(self)
        if not folder or raw or not isinstance(source, str) or settings is None:
            return compile_source(self, source, name, filename, raw, defer_init)
        key = hashlib.sha256(repr((source, name, defer_init, settings)).encode()).hexdigest()
        path = Path(folder, key)
        try:
            code = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            code = compile_source(self, source, name, filename, raw, defer_init)
            Path(folder).mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, delete=False) as part:
                part.write(marshal.dumps(code))
            os.replace(part.name, path)  # whole or absent: another process may be reading it
            return code
        self.preprocess(source, name, filename)  # what extensions do when they see a source
        assert isinstance(code, CodeType), path
        filename = filename or "<template>"
        return code if code.co_filename == filename else jinja_cache._named(code, filename)

    compile_shared._shared_by_the_run = True  # type: ignore[attr-defined]
    Environment.compile = compile_shared  # type: ignore[method-assign]
    jinja_cache.compile_each_source_once()  # each source once per process, above the run's folder
