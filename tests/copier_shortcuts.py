"""Work the suite's renders pay thousands of times: two of Copier's git steps, skipped where git would do
nothing; Jinja's compiles, shared by every process of a run; and the session's template repos (built once,
never changed), each cloned once per ref, asked about by git once and its copier.yml parsed once per run.

Installed in the test process (conftest) and in the light warm Python's zygotes (tests/warm_python.py), so the
`copier` and `hf-hub-template` processes the tests start get them too. Each keeps Copier's result exactly:
the step still runs wherever it could change anything, and a shared compile is the code Jinja would make.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import json
import marshal
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType
from typing import Any

# The run's folders (conftest sets them; not HF_*, which helpers.hub_env drops): compiled Jinja code, and the
# kept template clones with what git and YAML said of them.
CODE_VAR = "SUITE_SHARED_JINJA_CODE"
KEPT_VAR = "SUITE_SHARED_TEMPLATES"


def install() -> None:
    read_core_file_mode_once_per_render()
    no_submodule_commands_without_gitmodules()
    jinja_code_shared_by_the_run()
    clone_each_kept_template_once()
    ask_git_once_about_kept_clones()
    read_each_copier_yml_once()


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

    def compile_shared(self, source, name=None, filename=None, raw=False, defer_init=False):  # type: ignore[no-untyped-def]
        folder, settings = os.environ.get(CODE_VAR), _stable_settings(self)
        if not folder or raw or not isinstance(source, str) or settings is None:
            return compile_source(self, source, name, filename, raw, defer_init)
        key = hashlib.sha256(repr((source, name, defer_init, settings)).encode()).hexdigest()
        path = Path(folder, key)
        try:
            code = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            code = compile_source(self, source, name, filename, raw, defer_init)
            _write_whole(path, marshal.dumps(code))
            return code
        assert isinstance(code, CodeType), path
        return jinja_cache.reused(self, code, source, name, filename)

    compile_shared._shared_by_the_run = True  # type: ignore[attr-defined]
    Environment.compile = compile_shared  # type: ignore[method-assign]
    jinja_cache.compile_each_source_once()  # each source once per process, above the run's folder


# ------------------------------------------------------------------ the session's template repos, kept
def _kept() -> Path | None:
    folder = os.environ.get(KEPT_VAR)
    return Path(folder) if folder else None


def _digest(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _write_whole(path: Path, data: bytes) -> None:
    """Whole or absent: another process may be reading it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as part:
        part.write(data)
    os.replace(part.name, path)


def keep(url: str) -> None:
    """`url` is a template repo the session built and never changes (helpers.shared_template): every process
    of the run may render from one clone of it per ref."""
    if (folder := _kept()) is not None:
        _write_whole(folder / "repos" / _digest(url), url.encode())


def _is_kept(folder: Path, url: str) -> bool:
    try:
        return (folder / "repos" / _digest(url)).read_text() == url
    except OSError:
        return False


def stat_tree(folder: Path) -> dict[str, list[int]]:
    """Each file's size and time, but git's index (git refreshes its cache of the files' times there)."""
    stats = {path: path.stat() for path in folder.rglob("*") if path.is_file() and path != folder / ".git/index"}
    return {str(path.relative_to(folder)): [stat.st_size, stat.st_mtime_ns] for path, stat in stats.items()}


def changed_clones(folder: Path) -> list[str]:
    """The kept clones whose files are not what they were when cloned (conftest checks at the session's end)."""
    clones = folder / "clones"
    kept = sorted(clones.glob("*.files.json")) if clones.is_dir() else []
    return [str(files) for files in kept if json.loads(files.read_text()) != stat_tree(clones / files.name[:-11])]


def clone_each_kept_template_once() -> None:
    """Copier clones the template for every copy and twice for every update (about ten git processes each,
    most of what a refused answer costs). A kept template repo is cloned once per ref for the whole run, under
    a lock, and Copier renders from that clone (Copier and git only read it; Copier deletes only the empty
    folder it made for the clone); changed_clones() says whether any render changed one."""
    import copier._template

    clone = copier._template.clone
    if getattr(clone, "keeps_clones", False):
        return

    def clone_once(url: str, ref: str = "HEAD", location: str | None = None) -> str:
        folder = _kept()
        if folder is None or location is None or not _is_kept(folder, url):
            return clone(url, ref, location)
        kept = folder / "clones" / _digest(url, ref)
        if not kept.is_dir():
            with _locked(folder):
                if not kept.is_dir():
                    kept.parent.mkdir(exist_ok=True)
                    part = Path(tempfile.mkdtemp(dir=kept.parent))
                    clone(url, ref, str(part))
                    os.replace(part, kept)
                    _write_whole(kept.with_name(kept.name + ".files.json"), json.dumps(stat_tree(kept)).encode())
        return str(kept)

    clone_once.keeps_clones = True  # type: ignore[attr-defined]
    copier._template.clone = clone_once  # type: ignore[assignment]


def _once_per_run(path: Path | None, ask: Callable[[], Any], memo: dict[Path, Any]) -> Any:
    """ask()'s answer, kept in this process and at `path` for the run's other processes (None: not kept)."""
    if path is None:
        return ask()
    if path not in memo:
        try:
            memo[path] = pickle.loads(path.read_bytes())  # noqa: S301 (the run's own folder)
        except (OSError, EOFError, pickle.UnpicklingError):
            memo[path] = ask()
            _write_whole(path, pickle.dumps(memo[path]))
    return copy.deepcopy(memo[path])


def ask_git_once_about_kept_clones() -> None:
    """Each render asked git about its template again: its version (dunamai: seven git processes, `git
    status` among them), commit, commit hash and index modes, and whether its url is a repository. A kept
    clone and a kept template repo never change: the run asks git once for each."""
    import functools

    import copier._template

    template_class = copier._template.Template
    if getattr(template_class, "asks_git_once", False):
        return
    memo: dict[Path, Any] = {}
    for name in ("version", "commit", "commit_hash", "git_index_modes"):
        ask = getattr(template_class, name).func

        def ask_once(self: Any, ask: Any = ask, name: str = name) -> Any:
            where, folder = self.local_abspath, _kept()
            kept = folder is not None and where.parent == (folder / "clones").resolve()
            return _once_per_run(where.with_name(f"{where.name}.{name}") if kept else None, lambda: ask(self), memo)

        prop = functools.cached_property(ask_once)
        prop.__set_name__(template_class, name)
        setattr(template_class, name, prop)
    template_class.asks_git_once = True  # type: ignore[attr-defined]

    get_repo = copier._template.get_repo

    def get_repo_once(url: str) -> Any:
        folder = _kept()
        kept = folder is not None and _is_kept(folder, url)
        return _once_per_run(folder / "repos" / f"{_digest(url)}.repo" if kept else None, lambda: get_repo(url), memo)

    copier._template.get_repo = get_repo_once  # type: ignore[assignment]


def read_each_copier_yml_once() -> None:
    """Copier parses copier.yml with the pure-Python YAML loader on every copy and four times per update (30 ms
    each for this template's). Without `!include`, what it returns depends only on the file's bytes: the run
    parses each version once and hands out deep copies."""
    import copier._template

    load = copier._template.load_template_config
    if getattr(load, "reads_once", False):
        return
    memo: dict[Path, Any] = {}

    def load_once(conf_path: Path, quiet: bool = False) -> Any:
        text, folder = Path(conf_path).read_bytes(), _kept()
        if b"!include" in text or folder is None:
            return load(conf_path, quiet)
        path = folder / "config" / hashlib.sha256(text).hexdigest()
        return _once_per_run(path, lambda: load(conf_path, quiet), memo)

    load_once.reads_once = True  # type: ignore[attr-defined]
    copier._template.load_template_config = load_once  # type: ignore[assignment]
