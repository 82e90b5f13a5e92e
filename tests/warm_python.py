"""Warm starts for the Pythons a rendered demo project starts: a per-worker fork server ("zygote").

The suite hands a project `<dir>/bin/python` (the shim, `make_bin`) as its Python. The shim
(tests/warm_shim.py, run with `-IS`, importing only what is built into the interpreter) sends its argv, cwd,
environment and descriptors to a zygote: a Python that
imported the heavy libraries (torch, transformers, gradio, streamlit, ...) once and forks a copy of itself
per request, which then runs `-m module`, `-c code` or a script exactly as `python` would. Inside, the
child's `sys.executable` is the shim, so the app a project's tests start goes through it too.

Environment variables read at import (HF_ENDPOINT, HF_HOME, HF_HUB_OFFLINE, ...) would be stale in a child
of a zygote imported under another environment: a zygote serves only requests whose environment equals its
own, but for PER_RUN (variables the preloaded modules do not read at import; the zygote traces every read
while it imports and refuses to serve if one does, unless REFRESH re-reads it in each child). Anything the
shim cannot serve exactly (a python option such as -I, -u, -X) runs the real python; so does every call
when WARM_PYTHON_DIR is unset.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import marshal
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:  # a zygote started with -I: its script's folder is not on sys.path
    sys.path.insert(0, _HERE)

from warm_shim import (  # noqa: E402  (the shim's side: what both sides must agree on)
    DIR_VAR,
    HEADER_BYTES,
    INSTALL_VAR,
    KEYS_VAR,
    OWNER_VAR,
    PRELOAD_VAR,
    connect,
    per_run,
    served,
    socket_path,
)

# Read at import by a preloaded module: each child sets the module's value again from its own environment.
REFRESH = {
    ("GRADIO_SERVER_PORT", "gradio.http_server"): ("INITIAL_PORT_VALUE", "7860", int),
    ("GRADIO_SERVER_PORT", "gradio.node_server"): ("INITIAL_PORT_VALUE", "7860", int),
}
PRELOAD = (
    "numpy",
    "PIL.Image",
    "torch",
    "transformers",
    "transformers.pipelines",
    "huggingface_hub",
    "datasets",
    "diffusers",
    "peft",
    "gradio",
    "gradio_client",
    "streamlit",
    "streamlit.testing.v1",
    "fastapi",
    "uvicorn",
    "pytest",
    "_pytest.pytester",
)
# Light mode (KEYS_VAR set, a comma-separated list): a zygote of small preloads (Copier, this package's CLI)
# keyed only on those variables, PYTHON* and WARM_PYTHON*; every other variable is per-run, and the zygote
# refuses to serve if a preloaded module reads one at import (REFRESH_MODULES aside). Its own environment holds
# only the key: no token of any request ever lives in it.
# What the suite's light zygotes preload, and the variables those modules read at import (found by the trace).
LIGHT_PRELOAD = ("copier._cli", "copier._main", "hf_hub_template.cli", "huggingface_hub", "huggingface_hub.hf_api")
LIGHT_KEYS = (
    "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TERM", "ANDROID_DATA", "FORCE_COLOR", "NO_COLOR",
    "PYDANTIC_DISABLE_PLUGINS", "_PYTHON_PROJECT_BASE", "_PYTHON_SYSCONFIGDATA_NAME", "WCWIDTH_PYTHON",
    # huggingface_hub's settings (its endpoint and folders are not keys: _refresh_hub_constants reads them again)
    "EAGER_IMPORT", "HF_HUB_VERBOSITY", "HF_DEBUG", "DISABLE_TELEMETRY", "DO_NOT_TRACK", "HF_HUB_OFFLINE",
    "TRANSFORMERS_OFFLINE", "HF_HUB_DISABLE_TELEMETRY", "HF_HUB_DISABLE_PROGRESS_BARS", "HF_HUB_DISABLE_SYMLINKS",
    "HF_HUB_DISABLE_SYMLINKS_WARNING", "HF_HUB_DISABLE_EXPERIMENTAL_WARNING", "HF_HUB_DISABLE_IMPLICIT_TOKEN",
    "HF_HUB_DISABLE_SHARED_BLOBS", "HF_HUB_DISABLE_UPDATE_CHECK", "HF_HUB_DISABLE_XET", "HF_HUB_ENABLE_HF_TRANSFER",
    "HF_XET_HIGH_PERFORMANCE", "HF_HUB_ETAG_TIMEOUT", "HF_HUB_DOWNLOAD_TIMEOUT", "HF_HUB_USER_AGENT_ORIGIN",
    "HF_INFERENCE_ENDPOINT", "HUGGINGFACE_CO_STAGING", "HF_DEVICE_CODE_OAUTH_CLIENT_ID", "CLAUDE_CONFIG_DIR",
    "OAUTH_CLIENT_ID", "OAUTH_CLIENT_SECRET", "OAUTH_SCOPES", "OPENID_PROVIDER_URL",
    "TQDM_*",  # tqdm walks the environment at import for these (WALKS)
)  # fmt: skip
# What the test Hub's Space apps import (tests/space_runner.py), and the variables those read at import: the
# light keys and these. A Space's endpoint, HF_HOME, SPACE_ID, port and secrets are per-run.
APP_PRELOAD = ("gradio", "gradio_client", "huggingface_hub", "huggingface_hub.hf_api", "fastapi", "uvicorn")
APP_KEYS = (
    *LIGHT_KEYS, "TMPDIR", "TEMP", "TMP", "LANGUAGE", "LC_MESSAGES", "SSL_CERT_FILE", "SSLKEYLOGFILE",
    "GRADIO_TEMP_DIR", "GRADIO_SHARE_SERVER_ADDRESS", "GRADIO_LOCAL_DEV_MODE", "GRADIO_NODE_NUM_PORTS",
    "GRADIO_NODE_SERVER_NAME", "GRADIO_SERVER_NAME", "GRADIO_PROFILING", "PILLOW_ALIGNMENT", "PILLOW_BLOCKS_MAX",
    "PILLOW_BLOCK_SIZE", "NPY_PROMOTION_STATE", "NUMPY_MADVISE_HUGEPAGE", "OPENBLAS_MAIN_FREE",
    "OTEL_PYTHON_CONTEXT", "OTEL_PROPAGATORS", "PANDAS_*", "PSUTIL_DEBUG", "TYPER_USE_RICH",
    "FSSPEC_*", "*_proxy",  # fsspec and urllib (httpx clients gradio makes at import) walk for these (WALKS)
)  # fmt: skip
# Modules that walk the whole environment at import only for the variables one key pattern names.
WALKS = {"tqdm.utils": "TQDM_*", "fsspec.config": "FSSPEC_*", "urllib.request": "*_proxy"}


def _refresh_user_base(sysconfig: Any) -> None:
    """sysconfig caches the config variables at first use, the user base (`~/.local`, from HOME) among them."""
    if sysconfig._CONFIG_VARS and "userbase" in sysconfig._CONFIG_VARS:
        sysconfig._CONFIG_VARS["userbase"] = sysconfig._getuserbase()


def _refresh_hub_constants(constants: Any) -> None:
    """huggingface_hub reads its endpoint and folders (HF_ENDPOINT, HF_HOME, XDG_CACHE_HOME, HOME, ...) into
    huggingface_hub.constants at import, and its default HfApi (behind the module-level functions) keeps the
    endpoint: read them again. (test_warm_python compares every module-level value of a child with a cold
    import's, so a preloaded module that copies one more value fails there.)"""
    import importlib

    old_endpoint = constants.ENDPOINT
    importlib.reload(constants)
    hf_api = sys.modules.get("huggingface_hub.hf_api")
    if hf_api is not None and hf_api.api.endpoint == old_endpoint:
        hf_api.api.endpoint = constants.ENDPOINT


# Modules that keep at import what they read of the environment (plumbum copies all of it): each child sets it
# again from its own.
REFRESH_MODULES = {
    "plumbum.machines.local": lambda module: setattr(module.local.env, "_curr", os.environ.copy()),
    "sysconfig": _refresh_user_base,
    "huggingface_hub.constants": _refresh_hub_constants,
}
IDLE_SECONDS = 15 * 60
START_SECONDS = 180
MAX_FDS = 64  # descriptors a request may pass: 0-2 and what its parent handed it


# ------------------------------------------------------------------------------------------ the shim
def make_bin(folder: Path, real: str = sys.executable, env: dict[str, str] | None = None) -> Path:
    """`folder/bin`: python, python3, python3.X are the shim, every other entry of the real python's bin
    folder a link to it (a project's tests look for tools such as hadolint beside sys.executable). `env`:
    variables the shim sets before it serves (light mode's), so the children it serves pass them on."""
    bin_dir = folder / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    names = {"python", "python3", f"python{sys.version_info[0]}.{sys.version_info[1]}"}
    for entry in Path(real).parent.iterdir():
        if entry.name not in names and not (bin_dir / entry.name).exists():
            (bin_dir / entry.name).symlink_to(entry)
    text = (
        f"#!{real} -IS\n"
        f"import sys\nsys.path.insert(0, {_HERE!r})\n"
        + (f"import os\nos.environ.update({env!r})\n" if env else "")
        + f"import warm_shim\nwarm_shim.shim({real!r})\n"
    )
    for name in names:
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    return bin_dir / "python"


def light_env(
    folder: Path,
    owner: int,
    preload: tuple[str, ...] = LIGHT_PRELOAD,
    keys: tuple[str, ...] = LIGHT_KEYS,
    install: str = str(Path(__file__).with_name("copier_shortcuts.py")),  # as the test process has them
) -> dict[str, str]:
    """The variables of a light shim (make_bin's `env`): its folder, its preloads, its key, its owner."""
    return {
        DIR_VAR: str(folder),
        OWNER_VAR: str(owner),
        PRELOAD_VAR: ",".join(preload),
        INSTALL_VAR: install,
        KEYS_VAR: ",".join(keys),
    }


def app_env(folder: Path, owner: int) -> dict[str, str]:
    """The variables of the shim the test Hub starts its Space apps with: light, preloading APP_PRELOAD."""
    return light_env(folder, owner, APP_PRELOAD, APP_KEYS, install="")


def start_zygote(folder_name: str, key: str, env: dict[str, str], real: str, isolated: bool) -> socket.socket:
    """One zygote per key: the first shim starts it (under a file lock) and every shim waits for its socket."""
    folder = Path(folder_name)
    with open(folder / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        conn = connect(socket_path(str(folder), key))
        if conn:
            return conn
        home = folder / f"zygote-{key}"
        home.mkdir(exist_ok=True)
        log = open(folder / f"{key}.log", "ab")
        zygote = subprocess.Popen(
            [real, *(["-I"] if isolated else []), __file__, "zygote", str(folder), key],
            env={k: v for k, v in env.items() if not per_run(k, env)},
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            conn = connect(socket_path(str(folder), key))
            if conn:
                return conn
            if zygote.poll():  # refused or failed; 0: it went on in a process of its own (see zygote())
                break
            time.sleep(0.05)
        tail = (folder / f"{key}.log").read_text(errors="replace")[-3000:]
        sys.stderr.write(f"warm_python: the zygote for {key} did not start:\n{tail}\n")
        sys.exit(1)


def zygote_pids(folder: Path) -> list[int]:
    return [int(path.read_text()) for path in folder.glob("*.pid")]


def stop(folder: Path) -> int:
    """End every zygote started under `folder` (its children end with their shims); how many there were."""
    pids = zygote_pids(folder)
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    return len(pids)


# ------------------------------------------------------------------------------------------ the zygote
def _trace_reads(reads: list[tuple[str, str]]) -> Any:
    """While the zygote imports: note every per-run variable read through os.environ, with the module reading;
    in light mode also every walk through the whole environment (a copy of it), as a read of "*"."""
    environ_type = type(os.environ)
    getitem, walk = environ_type.__getitem__, environ_type.__iter__
    # os.getenv, Mapping.get, __contains__, dict(environ), os.path.expanduser: the module that called them reads
    skip = {"os", "collections.abc", "_collections_abc", "posixpath"}
    light = KEYS_VAR in os.environ
    mode = {KEYS_VAR: os.environ[KEYS_VAR]} if light else {}  # read once: per_run must not read os.environ here

    def reader() -> str:
        frame = sys._getframe(2)
        while frame and frame.f_globals.get("__name__") in skip:
            frame = frame.f_back
        return frame.f_globals.get("__name__", "?") if frame else "?"

    def traced(self: Any, key: str) -> Any:
        if per_run(key, mode):
            reads.append((key, reader()))
        return getitem(self, key)

    def traced_walk(self: Any) -> Any:
        if light:
            reads.append(("*", reader()))
        return walk(self)

    environ_type.__getitem__ = traced  # type: ignore[method-assign]
    environ_type.__iter__ = traced_walk  # type: ignore[method-assign]

    def untrace() -> None:
        environ_type.__getitem__ = getitem  # type: ignore[method-assign]
        environ_type.__iter__ = walk  # type: ignore[method-assign]

    return untrace


def _install(path: Path) -> None:
    """Run `path`'s install() (it patches what the preloads imported): every child starts with it done."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None, f"{path} is not a Python file"  # noqa: S101
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    module.install()
    print(f"installed {path}", flush=True)


def _preload() -> list[str]:
    """Import PRELOAD; the problems that forbid serving (an unrefreshed import-time read of a PER_RUN variable)."""
    reads: list[tuple[str, str]] = []
    untrace = _trace_reads(reads)
    try:
        names = os.environ[PRELOAD_VAR].split(",") if os.environ.get(PRELOAD_VAR) else PRELOAD
        for name in names:
            started = time.monotonic()
            try:
                __import__(name)
            except Exception as error:  # noqa: BLE001 (a child importing it meets the same error itself)
                print(f"preload {name}: {type(error).__name__}: {error}", flush=True)
            print(f"preload {name}: {time.monotonic() - started:.2f} s", flush=True)
        if os.environ.get(INSTALL_VAR):
            _install(Path(os.environ[INSTALL_VAR]))
    finally:
        untrace()
    keys = os.environ.get(KEYS_VAR, "").split(",")
    return [
        f"{module} reads {var} at import"
        for var, module in reads
        if (var, module) not in REFRESH
        and module not in REFRESH_MODULES
        and not (module in WALKS and WALKS[module] in keys)
    ]


def zygote(folder: Path, key: str) -> None:
    while _HERE in sys.path:
        sys.path.remove(_HERE)  # this file's folder: a child sets its own sys.path[0] (-I puts none there)
    problems = _preload()
    import threading

    if threading.active_count() != 1:
        problems.append(f"threads at fork time: {[t.name for t in threading.enumerate()]}")
    if problems:
        print("the zygote cannot serve: " + "; ".join(problems), flush=True)
        sys.exit(1)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    address = Path(socket_path(str(folder), key))
    address.parent.mkdir(mode=0o700, exist_ok=True)  # the short folder: made and removed by zygotes only
    partial = address.with_name(f"{address.name}.{os.getpid()}")
    listener.bind(str(partial))  # a failure here ends this process with an error: the shim says so at once
    listener.listen(64)
    listener.settimeout(1.0)
    if os.fork():
        # The zygote goes on in a child that init (or the nearest subreaper) adopts: no shim that started it
        # stays among the ancestors of what it serves (a shim's environment holds its request's credentials).
        os._exit(0)
    native = [Path(f"/proc/self/task/{t}/comm").read_text().strip() for t in os.listdir("/proc/self/task")]
    print(f"ready: {len(sys.modules)} modules, native threads {native}", flush=True)
    digest = {k: hashlib.sha256(v.encode()).hexdigest()[:8] for k, v in sorted(os.environ.items())}
    print(f"environment (sha256 of each value): {json.dumps(digest)}", flush=True)  # why keys differ
    owner = int(os.environ.get(OWNER_VAR, "0"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop(): the finally below removes socket and pid
    (folder / f"{key}.pid").write_text(str(os.getpid()))
    os.rename(partial, address)  # connectable only once it listens, in the process that serves
    last = time.monotonic()
    try:
        while time.monotonic() - last < IDLE_SECONDS:
            _reap()
            if owner and not _alive(owner):
                break
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            last = time.monotonic()
            conn.settimeout(None)
            try:
                request, fds = _receive(conn)
            except (OSError, ValueError) as error:
                print(f"bad request: {error}", flush=True)
                conn.close()
                continue
            sys.stdout.flush()
            sys.stderr.flush()
            if os.fork() == 0:
                try:
                    _supervise(listener, conn, request, fds)
                finally:
                    os._exit(70)
            conn.close()
            for fd in fds:
                os.close(fd)
    finally:
        times = os.times()  # the children's include every run this zygote served, reaped by their supervisors
        print(f"cpu: {times.user + times.system:.1f} s, children {times.children_user + times.children_system:.1f} s")
        address.unlink(missing_ok=True)
        (folder / f"{key}.pid").unlink(missing_ok=True)
        if address.parent != folder:
            try:
                address.parent.rmdir()  # the short folder, once its last zygote is gone
            except OSError:
                pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _receive(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    head, fds, _, _ = socket.recv_fds(conn, HEADER_BYTES, MAX_FDS)
    try:
        if len(head) != HEADER_BYTES or len(fds) < 3:
            raise ValueError(f"header {head!r}, {len(fds)} fds")
        size = int.from_bytes(head, "big")
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise ValueError("the shim left mid-request")
            data += chunk
        request = marshal.loads(data)
        if len(request.get("fds", ())) != len(fds):
            raise ValueError(f"{len(fds)} descriptors for the numbers {request.get('fds')}")
    except ValueError:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds


def _supervise(listener: socket.socket, conn: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    """The supervisor: fork the child, tell the shim its pid, wait; tell the shim how it ended. The shim gone
    first (killed): kill the child's process group."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    listener.close()
    pid = os.fork()
    if pid == 0:
        conn.close()
        try:
            code = _run_child(request, fds)
        except BaseException:  # noqa: BLE001 (the child must never return into the zygote's loop)
            import traceback

            traceback.print_exc()
            code = 70
        os._exit(code)
    for fd in fds:
        os.close(fd)
    conn.sendall(f"pid {pid}\n".encode())
    pidfd = os.pidfd_open(pid)
    import select

    poller = select.poll()
    poller.register(conn, select.POLLIN | select.POLLHUP)
    poller.register(pidfd, select.POLLIN)
    while True:
        events = dict(poller.poll())
        if pidfd in events:
            _, status = os.waitpid(pid, 0)
            if os.WIFSIGNALED(status):
                answer = f"signal {os.WTERMSIG(status)}\n"
            else:
                answer = f"exit {os.waitstatus_to_exitcode(status)}\n"
            try:
                conn.sendall(answer.encode())
            except OSError:
                pass
            os._exit(0)
        if conn.fileno() in events:  # the shim closed the connection: it is gone
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            os._exit(0)


def _run_child(request: dict[str, Any], fds: list[int]) -> int:
    """Become `python argv` in the request's cwd and environment, as a real python would start."""
    import atexit
    import builtins
    import threading
    import types

    os.setpgrp()
    for signum in signal.valid_signals():
        if signum not in (signal.SIGKILL, signal.SIGSTOP):
            try:
                signal.signal(signum, signal.SIG_DFL)
            except (OSError, ValueError):
                pass
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    # Each received descriptor to the number it had in the shim; first out of the way of those numbers.
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, max(request["fds"]) + 1) for fd in fds]
    for fd in fds:
        os.close(fd)
    for target, fd in zip(request["fds"], high, strict=True):
        os.dup2(fd, target)  # inheritable, as the real python got it
        os.close(fd)
    sys.stdout.reconfigure(line_buffering=os.isatty(1))
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for (var, module_name), (attribute, default, convert) in REFRESH.items():
        module = sys.modules.get(module_name)
        if module is not None:
            setattr(module, attribute, convert(os.environ.get(var, default)))
    for module_name, refresh in REFRESH_MODULES.items():
        if module_name in sys.modules:
            refresh(sys.modules[module_name])
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed()  # a real python seeds numpy's global generator afresh
    sys.executable = request["executable"]
    argv = request["argv"]
    sys.orig_argv = [sys.executable, *argv]
    main = types.ModuleType("__main__")
    main.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = main
    how, what = served(argv, KEYS_VAR in os.environ)  # type: ignore[misc]
    argv = argv[1:] if sys.flags.isolated else argv  # the -I: the zygote itself runs isolated (sys.flags)
    code = 0
    try:
        if how == "-m":
            sys.argv = ["-m", *argv[2:]]
            if not sys.flags.isolated:
                sys.path.insert(0, os.getcwd())
            import runpy

            runpy._run_module_as_main(what, alter_argv=True)  # type: ignore[attr-defined]
        elif how == "-c":
            sys.argv = ["-c", *argv[2:]]
            if not sys.flags.isolated:
                sys.path.insert(0, "")
            exec(compile(what, "<string>", "exec"), main.__dict__)
        else:
            script = os.path.abspath(what)
            sys.argv = list(argv)
            if not sys.flags.isolated:
                sys.path.insert(0, os.path.dirname(os.path.realpath(script)))
            from importlib.machinery import SourceFileLoader

            main.__dict__.update(__file__=script, __cached__=None, __loader__=SourceFileLoader("__main__", script))
            with open(script, "rb") as source:
                exec(compile(source.read(), script, "exec"), main.__dict__)
    except SystemExit as done:
        code = _exit_code(done.code)
    except KeyboardInterrupt:
        _finish(threading, atexit)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
        return 130
    except BaseException:  # noqa: BLE001 (as python: the traceback on stderr, exit code 1)
        sys.excepthook(*sys.exc_info())
        code = 1
    return _finish(threading, atexit, code)


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def _finish(threading: Any, atexit: Any, code: int = 0) -> int:
    """What python does at exit: wait for non-daemon threads, run atexit handlers, flush stdio."""
    try:
        threading._shutdown()
    except BaseException:  # noqa: BLE001
        pass
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120
    return code


if __name__ == "__main__" and sys.argv[1:2] == ["zygote"]:
    zygote(Path(sys.argv[2]), sys.argv[3])
