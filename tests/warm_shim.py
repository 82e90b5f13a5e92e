"""The shim side of tests/warm_python.py: what runs, as `<dir>/bin/python`, before every process the suite serves
warm. It hands its request (argv, cwd, environment, descriptors) to the zygote for its key and waits for the
end of the child that zygote forks.

Its own start is a cost of every served process, so it imports only modules built into the interpreter (no
json, hashlib, socket, signal or pathlib: with them a served process paid 48 ms before its zygote saw it,
four times a real python's whole start); starting a zygote, which happens once per key, imports warm_python.
"""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # (no stub: the C half of signal, without its enum)
import _socket
import array
import marshal
import os
import sys
import time

try:  # the interpreter's own SHA-256 (hashlib would load OpenSSL: 10 ms)
    from _sha2 import sha256  # type: ignore[import-not-found]  # Python 3.12+
except ImportError:
    from _sha256 import sha256  # type: ignore[import-not-found,no-redef]  # Python 3.11

DIR_VAR = "WARM_PYTHON_DIR"  # the per-worker folder of sockets, pid files and logs; unset: the real python
OWNER_VAR = "WARM_PYTHON_OWNER"  # the pid whose end ends the zygotes
PRELOAD_VAR = "WARM_PYTHON_PRELOAD"  # comma-separated modules instead of PRELOAD (warm_python's own tests)
INSTALL_VAR = "WARM_PYTHON_INSTALL"  # a Python file whose install() the zygote runs once it has preloaded
# Light mode (WARM_PYTHON_KEYS set, a comma-separated list): the zygote is keyed only on those variables,
# PYTHON* and WARM_PYTHON*; every other variable is per-run (see warm_python).
KEYS_VAR = "WARM_PYTHON_KEYS"
# Differ from run to run, and no preloaded module reads them at import (checked by tracing, see warm_python):
PER_RUN = ("PYTEST_CURRENT_TEST", "MODEL_ID", "GRADIO_SERVER_PORT", "INFERENCE_URL", "HF_TOKEN")
SOCKETS = "/tmp"  # not tempfile's: a light zygote's environment has no TMPDIR
HEADER_BYTES = 4  # the request's length, big-endian, sent with its descriptors


def served(argv: list[str], light: bool = False) -> tuple[str, str] | None:
    """('-m', module) / ('-c', code) / ('script', path) when the shim can serve `python argv` exactly; in
    light mode a leading -I (isolated) too, by a zygote started with -I."""
    argv = argv[1:] if light and argv[:1] == ["-I"] else argv
    if len(argv) >= 2 and argv[0] in ("-m", "-c"):
        return argv[0], argv[1]
    if argv and not argv[0].startswith("-"):
        return "script", argv[0]
    return None


def per_run(name: str, env: dict[str, str]) -> bool:
    """Whether `name` may differ between the requests one zygote serves. A light key `PREFIX*` keys every
    variable whose name starts with PREFIX; `*suffix` every one whose name ends so, in any case (`*_proxy`)."""
    keys = env.get(KEYS_VAR)
    if keys is None:
        return name in PER_RUN
    listed = keys.split(",")
    prefixes = ("PYTHON", "WARM_PYTHON", *(key[:-1] for key in listed if key.endswith("*")))
    suffixes = tuple(key[1:].lower() for key in listed if key.startswith("*"))
    return not (name in listed or name.startswith(prefixes) or name.lower().endswith(suffixes))


def env_key(env: dict[str, str], real: str, isolated: bool = False) -> str:
    kept = sorted((k, v) for k, v in env.items() if not per_run(k, env))
    return sha256(repr([real, isolated, kept]).encode()).hexdigest()[:16]


def socket_path(folder: str, key: str) -> str:
    """Where the zygote for `key` listens: in `folder`, unless its path would pass the 107 bytes a Unix
    socket's address may hold (a deep test folder); then in a short folder of SOCKETS named after `folder`,
    so every shim and zygote of it finds the same one (whatever TMPDIR each of them has)."""
    if len(os.fsencode(folder)) + len(key) + 20 <= 107:
        return os.path.join(folder, f"{key}.sock")
    short = sha256(os.fsencode(folder)).hexdigest()[:12]
    return os.path.join(SOCKETS, f"warm-{short}", f"{key}.sock")


def connect(path: str) -> _socket.socket | None:
    conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError:
        conn.close()
        return None
    return conn


def passed_descriptors(own: int) -> list[int]:
    """The descriptors beyond 0-2 this process was started with (its own connection `own` aside)."""
    passed = []
    for fd in sorted(map(int, os.listdir("/proc/self/fd"))):
        try:
            os.fstat(fd)  # the listing's own descriptor is closed by now: fstat fails
        except OSError:
            continue
        if fd > 2 and fd != own:
            passed.append(fd)
    return passed


def _line(conn: _socket.socket) -> str:
    """One line from the zygote's supervisor ("" when it closed the connection)."""
    data = b""
    while not data.endswith(b"\n"):
        try:
            chunk = conn.recv(1)
        except InterruptedError:
            continue
        if not chunk:
            break
        data += chunk
    return data.decode()


def shim(real: str) -> None:
    argv = sys.argv[1:]
    folder = os.environ.get(DIR_VAR)
    if not folder or served(argv, KEYS_VAR in os.environ) is None:
        os.execv(real, [real, *argv])
    env = dict(os.environ)
    isolated = argv[:1] == ["-I"]
    key = env_key(env, real, isolated)
    conn = connect(socket_path(folder, key))
    if conn is None:
        import warm_python

        conn = warm_python.start_zygote(folder, key, env, real, isolated)
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.dup2(os.open(os.devnull, os.O_RDWR), fd)
    # Descriptors beyond 0-2 a parent passed (subprocess's pass_fds: the CLI hands a token over through a
    # pipe) go along, and the child gets each at its own number, as the real python would have it.
    fds = [0, 1, 2, *passed_descriptors(conn.fileno())]
    request = {"argv": argv, "cwd": os.getcwd(), "env": env, "executable": os.path.abspath(sys.argv[0]), "fds": fds}
    payload = marshal.dumps(request)
    header = len(payload).to_bytes(HEADER_BYTES, "big")
    conn.sendmsg([header], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, array.array("i", fds))])
    conn.sendall(payload)
    line = _line(conn)
    if not line.startswith("pid "):
        sys.stderr.write(f"warm_python: the zygote answered {line!r}; see {folder}/{key}.log\n")
        sys.exit(1)
    pid = int(line.split()[1])

    def forward(signum: int, _frame: object) -> None:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass

    for signum in (_signal.SIGTERM, _signal.SIGINT, _signal.SIGHUP, _signal.SIGQUIT, _signal.SIGUSR1, _signal.SIGUSR2):
        _signal.signal(signum, forward)
    kind, _, value = _line(conn).strip().partition(" ")
    if kind == "signal":
        signum = int(value)
        _signal.signal(signum, _signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        time.sleep(1)
        sys.exit(128 + signum)
    if kind != "exit":
        sys.stderr.write(f"warm_python: the zygote's supervisor answered {kind!r}; see {folder}/{key}.log\n")
        sys.exit(1)
    sys.exit(int(value))
