"""Two of Copier's git steps that the suite's renders pay thousands of times, skipped where git would do nothing.

Installed in the test process (conftest) and in the light warm Python's zygotes (tests/warm_python.py), so the
`copier` and `hf-hub-template` processes the tests start get them too. Each keeps Copier's result exactly:
the step still runs wherever it could change anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def install() -> None:
    read_core_file_mode_once_per_render()
    no_submodule_commands_without_gitmodules()


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
