"""Fixtures: tagged git snapshots of this template. Shared helpers are in helpers.py."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # hf_hub_template, as the hooks import it
sys.path.insert(0, str(ROOT / "template" / "tests"))  # hub_rules, as rendered projects import it

import copier_shortcuts  # noqa: E402
import space_runner  # noqa: E402
import warm_python  # noqa: E402
from helpers import (  # noqa: E402
    build_versions,
    fake_token,
    share_renders,
    shared_store,
    shared_template,
    snapshot_template,
    use_python,
)
from hub_server import HubServer  # noqa: E402


def _read_each_copier_yml_once() -> None:
    """Copier parses copier.yml with the pure-Python YAML loader on every copy and every update (a quarter
    of a copy's time). Without `!include`, what it returns depends only on the file's bytes: this test
    process parses each version once and hands out deep copies."""
    import copy

    import copier._template

    load = copier._template.load_template_config
    loaded: dict[bytes, Any] = {}

    def load_once(conf_path: Path, quiet: bool = False) -> Any:
        text = Path(conf_path).read_bytes()
        if b"!include" in text:
            return load(conf_path, quiet)
        if text not in loaded:
            loaded[text] = load(conf_path, quiet)
        return copy.deepcopy(loaded[text])

    copier._template.load_template_config = load_once  # type: ignore[assignment]


_KEPT_CLONES: dict[Path, dict[str, tuple[int, int]]] = {}


def _stat_tree(folder: Path) -> dict[str, tuple[int, int]]:
    """Each file's size and time, but git's index (git refreshes its cache of the files' times there)."""
    stats = {str(path): path.stat() for path in folder.rglob("*") if path.is_file() and path != folder / ".git/index"}
    return {path: (stat.st_size, stat.st_mtime_ns) for path, stat in stats.items()}


def _clone_each_template_once() -> None:
    """Copier clones the template for every copy and twice for every update (ten git processes each, most
    of what a refused answer costs). The session's template repos never change once built: this test
    process clones each of them once per ref and hands Copier that clone to render from (Copier and git only
    read it; Copier deletes only the empty folder it made for the clone); the session's end checks that no
    file of a kept clone was written, added or removed."""
    import copier._template

    clone = copier._template.clone
    clones: dict[tuple[str, str], Path] = {}

    def clone_once(url: str, ref: str = "HEAD", location: str | None = None) -> str:
        store = shared_store(url)
        if store is None or location is None:
            return clone(url, ref, location)
        if (url, ref) not in clones:
            kept = store / "clones" / str(len(clones))
            kept.mkdir(parents=True)
            clone(url, ref, str(kept))
            clones[(url, ref)] = kept
            _KEPT_CLONES[kept.resolve()] = _stat_tree(kept)
        return str(clones[(url, ref)])

    copier._template.clone = clone_once  # type: ignore[assignment]
    _ask_git_once_about_kept_clones()


def _ask_git_once_about_kept_clones() -> None:
    """Each render asked git about its template again: its version (dunamai: seven git processes, `git
    status` among them), commit, commit hash, index modes, and whether its url is a repository. A kept clone
    and a session template repo never change: this test process asks once for each, and each render gets
    the answer (the index modes as a copy of their own)."""
    import functools

    import copier._template

    template_class = copier._template.Template
    answers: dict[tuple[str, Path], Any] = {}
    for name in ("version", "commit", "commit_hash", "git_index_modes"):
        ask = getattr(template_class, name).func

        def ask_once(self: Any, ask: Any = ask, name: str = name) -> Any:
            where = self.local_abspath
            if where not in _KEPT_CLONES:
                return ask(self)
            if (name, where) not in answers:
                answers[name, where] = ask(self)
            answer = answers[name, where]
            return dict(answer) if isinstance(answer, dict) else answer

        prop = functools.cached_property(ask_once)
        prop.__set_name__(template_class, name)
        setattr(template_class, name, prop)

    get_repo = copier._template.get_repo
    repos: dict[str, Any] = {}

    def get_repo_once(url: str) -> Any:
        if shared_store(url) is None:
            return get_repo(url)
        if url not in repos:
            repos[url] = get_repo(url)
        return repos[url]

    copier._template.get_repo = get_repo_once  # type: ignore[assignment]


def _temporary_files_in_memory() -> None:
    """The suite creates and deletes hundreds of thousands of small files (renders, clones, git objects); on
    this machine's ext4 a third of the fast lane's system time went to allocating their inodes. Where a
    tmpfs with room is mounted at /dev/shm and TMPDIR is not set, the run (pytest's tmp_path, Copier's
    clones, every subprocess) keeps its temporary files there; pyproject keeps only failed tests' folders."""
    shm = Path("/dev/shm")
    if os.environ.get("TMPDIR") or not shm.is_dir() or not os.access(shm, os.W_OK):
        return
    if shutil.disk_usage(shm).free < 8 * 2**30:
        return
    folder = shm / f"hf-hub-template-tests-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = None  # read TMPDIR again


# Copier builds a new Jinja environment for every copy and compiles every question's strings and each file again:
# copier_shortcuts.install() makes this test process compile each source once, as `hf-hub-template new` and
# `update` do, and takes the code the run's other processes compiled (_jinja_code_shared_by_the_run).
copier_shortcuts.install()
_read_each_copier_yml_once()
_clone_each_template_once()
_temporary_files_in_memory()


@pytest.fixture(scope="session", autouse=True)
def _renders_shared_in_this_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    """helpers.render: the same answers from the same template repo are rendered once per test process."""
    share_renders(tmp_path_factory.mktemp("renders"))


@pytest.fixture(scope="session", autouse=True)
def _kept_clones_unchanged() -> Iterator[None]:
    """_clone_each_template_once hands Copier its kept clones: no render may have changed one."""
    yield
    for kept, files in _KEPT_CLONES.items():
        assert _stat_tree(kept) == files, f"a render changed the kept clone {kept}"


def _installed_with_bytecode(modules: tuple[str, ...] = ("copier", "huggingface_hub", "gradio", "torch")) -> bool:
    """Whether the installed packages came with their bytecode (uv's compile-bytecode, in pyproject.toml)."""
    import importlib.util

    origins = [spec.origin for name in modules if (spec := importlib.util.find_spec(name)) and spec.origin]
    return all(Path(importlib.util.cache_from_source(origin)).exists() for origin in origins)


@pytest.fixture(scope="session", autouse=True)
def _bytecode_kept_for_subprocesses(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Every Python a test starts (Copier, the CLI, each copy task, a project's own tests) imports Copier or
    huggingface_hub: where PYTHONDONTWRITEBYTECODE is set and the packages were installed without their
    bytecode, each compiled them again. The run then keeps their bytecode in one folder of its own
    (PYTHONPYCACHEPREFIX), outside every tree a test looks into. Installed with it (uv's compile-bytecode) the
    processes read it where it is (a prefix would hide it: Gradio's imports compiled again in each run) and
    write none, whatever the person's own setting, as on CI."""
    if _installed_with_bytecode():
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("PYTHONDONTWRITEBYTECODE", "1")
            yield
        return
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "pycache"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        patch.setenv("PYTHONPYCACHEPREFIX", str(folder))
        yield


@pytest.fixture(scope="session", autouse=True)
def _jinja_code_shared_by_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """copier_shortcuts.jinja_code_shared_by_the_run: the workers and every render process they start keep the
    Jinja code they compile in one folder of the run, outside every tree a test looks into."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "jinja-code"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(copier_shortcuts.CODE_VAR, str(folder))
        yield


@pytest.fixture(scope="session", autouse=True)
def _light_warm_python(
    tmp_path_factory: pytest.TempPathFactory, _bytecode_kept_for_subprocesses: None
) -> Iterator[None]:
    """The Copier and CLI processes the tests start (and the renders and copy tasks those start) each imported
    Copier again: a third of a `copier copy`. helpers.python() is a shim that forks them from a Python that
    imported Copier and the CLI once (tests/warm_python.py, light mode); HF_HUB_TEMPLATE_COLD=1 runs them cold."""
    if os.environ.get("HF_HUB_TEMPLATE_COLD"):
        yield
        return
    folder = tmp_path_factory.getbasetemp() / "light-python"
    use_python(str(warm_python.make_bin(folder, env=warm_python.light_env(folder, os.getpid()))))
    apps = tmp_path_factory.getbasetemp() / "app-python"  # the test Hub's Space apps (Gradio imported once)
    space_runner.APP_PYTHON[:] = [str(warm_python.make_bin(apps, env=warm_python.app_env(apps, os.getpid())))]
    try:
        yield
    finally:
        use_python(sys.executable)
        space_runner.APP_PYTHON[:] = [sys.executable]
        warm_python.stop(folder)
        warm_python.stop(apps)


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


# ------------------------------------------------- longest modules first (xdist hands out whole modules)
DURATIONS = "hf-hub-template/test-seconds"  # pytest's cache (.pytest_cache): each test's last duration
_durations: dict[str, float] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`--dist loadfile` gives each worker whole modules, so module fixtures and renders are shared within
    one process; the modules go longest first (by the tests' last durations), so the last ones handed out
    are short and both workers finish together. Within a module the order stays."""
    cache = getattr(config, "cache", None)  # absent with -p no:cacheprovider
    known: dict[str, float] = cache.get(DURATIONS, {}) if cache else {}
    median = sorted(known.values())[len(known) // 2] if known else None  # a new test: the median

    def guess(item: pytest.Item) -> float:
        """No durations yet (a fresh clone, as CI has): a slow test weighs as about 30 fast ones."""
        return median if median is not None else 10.0 if item.get_closest_marker("slow") else 0.3

    weight: dict[Path, float] = {}
    for item in items:
        weight[item.path] = weight.get(item.path, 0.0) + known.get(item.nodeid, guess(item))
    items.sort(key=lambda item: -weight[item.path])


_slow: set[str] = set()  # the tests marked slow, as the reports say (xdist's controller has no items)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration
    if "slow" in report.keywords:
        _slow.add(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """Each lane's tests and the seconds its tests took on the workers' clocks, so the CI log shows what
    the fast lane (`-m "not slow"`) costs inside the whole run."""
    if hasattr(config, "workerinput") or not _durations:
        return
    for lane, ids in (("fast", set(_durations) - _slow), ("slow", _slow & set(_durations))):
        if ids:
            seconds = sum(_durations[i] for i in ids)
            terminalreporter.write_line(f"{lane} lane: {len(ids)} tests, {seconds:.0f} s of test time on the workers")


def pytest_sessionfinish(session: pytest.Session) -> None:
    cache = getattr(session.config, "cache", None)
    if cache is None or hasattr(session.config, "workerinput") or not _durations:
        return  # xdist's workers report to the controller, which keeps the durations
    cache.set(DURATIONS, cache.get(DURATIONS, {}) | _durations)
