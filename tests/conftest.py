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
    shared_template,
    snapshot_template,
    use_python,
)
from hub_server import HubServer  # noqa: E402


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
copier_shortcuts.install()  # and the session template repos: cloned, asked about and parsed once
_temporary_files_in_memory()


@pytest.fixture(scope="session", autouse=True)
def _renders_shared_in_this_process(tmp_path_factory: pytest.TempPathFactory) -> None:
    """helpers.render: the same answers from the same template repo are rendered once per test process."""
    share_renders(tmp_path_factory.mktemp("renders"))


def _run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A folder the whole run shares (every xdist worker's basetemp sits in the run's), outside every test's."""
    base = tmp_path_factory.getbasetemp()
    return (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / name


@pytest.fixture(scope="session", autouse=True)
def _session_templates_kept(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """copier_shortcuts' kept template clones, shared by the workers and every render process they start
    (helpers.shared_template marks the repos), in one folder of the run outside every tree a test looks into.
    Copier renders from those clones: at the end, none may have changed."""
    folder = _run_folder(tmp_path_factory, "kept-templates")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(copier_shortcuts.KEPT_VAR, str(folder))
        yield
    assert copier_shortcuts.changed_clones(folder) == [], "a render changed a kept template clone"


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
    folder = _run_folder(tmp_path_factory, "pycache")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)
        patch.setenv("PYTHONPYCACHEPREFIX", str(folder))
        yield


@pytest.fixture(scope="session", autouse=True)
def _jinja_code_shared_by_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """copier_shortcuts.jinja_code_shared_by_the_run: the workers and every render process they start keep the
    Jinja code they compile in one folder of the run, outside every tree a test looks into."""
    folder = _run_folder(tmp_path_factory, "jinja-code")
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
    lanes: dict[bool, list[float]] = {True: [], False: []}  # slow or not: the known durations of each lane
    for item in items:
        if item.nodeid in known:
            lanes[item.get_closest_marker("slow") is not None].append(known[item.nodeid])
    # A test with no duration yet weighs as its lane's median, so a fast-lane run before (as CI's) does not
    # make the slow tests look fast; with none known (a fresh clone) a slow test weighs as about 30 fast ones.
    guess = {
        slow: sorted(seconds)[len(seconds) // 2] if seconds else (10.0 if slow else 0.3)
        for slow, seconds in lanes.items()
    }

    weight: dict[Path, float] = {}
    for item in items:
        seconds = known.get(item.nodeid, guess[item.get_closest_marker("slow") is not None])
        weight[item.path] = weight.get(item.path, 0.0) + seconds
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
