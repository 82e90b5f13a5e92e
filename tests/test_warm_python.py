"""tests/warm_python.py: a Python started through the shim runs as the real python would, forked from a
zygote whose environment is its own (here a light one: WARM_PYTHON_PRELOAD=json)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import warm_python

SCRIPT = """\
import json, os, sys
print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "path0": sys.path[0], "exe": sys.executable,
                  "name": __name__, "file": globals().get("__file__"), "seen": os.environ.get("SEEN"),
                  "hf_token": os.environ.get("HF_TOKEN"), "keys": sorted(os.environ)}))
print("to stderr", file=sys.stderr)
sys.exit(int(os.environ.get("CODE", "0")))
"""


@pytest.fixture
def warm(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    folder = tmp_path / "warm"
    shim = warm_python.make_bin(folder)
    env = {
        **os.environ,
        warm_python.DIR_VAR: str(folder),
        warm_python.OWNER_VAR: str(os.getpid()),
        warm_python.PRELOAD_VAR: "json",
    }
    env.pop("HF_TOKEN", None)
    yield shim, env
    warm_python.stop(folder)


def run(argv: list[str], env: dict[str, str], cwd: Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=60, **kwargs)


def test_a_script_sees_the_request_s_argv_cwd_env_and_its_output_and_code_come_back(warm, tmp_path):
    import json

    shim, env = warm
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "main.py").write_text(SCRIPT)
    work = tmp_path / "work"
    work.mkdir()
    result = run([str(shim), str(tmp_path / "app" / "main.py"), "x", "y"], {**env, "SEEN": "1", "CODE": "3"}, work)
    assert result.returncode == 3 and result.stderr == "to stderr\n", result.stderr
    seen = json.loads(result.stdout)
    assert seen["argv"] == [str(tmp_path / "app" / "main.py"), "x", "y"] and seen["cwd"] == str(work)
    assert seen["path0"] == str(tmp_path / "app") and seen["exe"] == str(shim) and seen["name"] == "__main__"
    assert seen["file"] == str(tmp_path / "app" / "main.py") and seen["seen"] == "1"
    assert seen["keys"] == sorted({**env, "SEEN": "1", "CODE": "3"})
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 1, "no zygote served it"
    # a per-run variable (HF_TOKEN) may differ: the same zygote serves, the child sees its own value
    again = run([str(shim), "main.py"], {**env, "SEEN": "1", "CODE": "3", "HF_TOKEN": "per-run"}, tmp_path / "app")
    assert again.returncode == 3 and json.loads(again.stdout)["hf_token"] == "per-run"
    assert json.loads(again.stdout)["argv"] == ["main.py"]
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 1


def test_dash_m_and_dash_c_run_as_python_runs_them(warm, tmp_path):
    import json

    shim, env = warm
    (tmp_path / "mod.py").write_text(SCRIPT)
    module = run([str(shim), "-m", "mod", "a"], env, tmp_path)
    seen = json.loads(module.stdout)
    assert module.returncode == 0 and seen["argv"] == [str(tmp_path / "mod.py"), "a"]
    assert seen["path0"] == str(tmp_path) and seen["name"] == "__main__"
    code = run(
        [str(shim), "-c", "import sys; print(sys.argv, repr(sys.path[0])); raise SystemExit(5)", "b"], env, tmp_path
    )
    assert (code.returncode, code.stdout) == (5, "['-c', 'b'] ''\n")
    failing = run([str(shim), "-c", "import atexit; atexit.register(print, 'bye'); 1/0"], env, tmp_path)
    assert failing.returncode == 1 and "ZeroDivisionError" in failing.stderr and failing.stdout == "bye\n"
    message = run([str(shim), "-c", "import sys; sys.exit('no way')"], env, tmp_path)
    assert (message.returncode, message.stderr) == (1, "no way\n")


def test_terminate_ends_the_child_and_popen_sees_minus_15(warm, tmp_path):
    shim, env = warm
    started = tmp_path / "started"
    code = f"import pathlib, time; pathlib.Path({str(started)!r}).write_text('x'); time.sleep(60)"
    process = subprocess.Popen([str(shim), "-c", code], env=env, cwd=tmp_path)
    _wait_for(started)
    process.terminate()
    assert process.wait(timeout=10) == -signal.SIGTERM


def test_a_killed_shim_kills_its_child(warm, tmp_path):
    shim, env = warm
    pid_file = tmp_path / "pid"
    part, done = f"{str(pid_file)!r} + '.part'", repr(str(pid_file))
    code = f"import os, pathlib, time; pathlib.Path({part}).write_text(str(os.getpid())); os.rename({part}, {done})"
    code += "; time.sleep(60)"
    process = subprocess.Popen([str(shim), "-c", code], env=env, cwd=tmp_path)
    _wait_for(pid_file)
    child = int(pid_file.read_text())
    assert child != process.pid
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "the child outlived its shim"


def test_another_environment_gets_another_zygote(warm, tmp_path):
    shim, env = warm
    for extra in ({}, {"MODEL_ID": "a"}, {"HF_HUB_OFFLINE": "1"}, {"HF_HUB_OFFLINE": "1", "MODEL_ID": "b"}):
        assert run([str(shim), "-c", "pass"], {**env, **extra}, tmp_path).returncode == 0
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 2
    assert warm_python.stop(shim.parent.parent) == 2


def test_without_the_folder_or_with_an_option_the_real_python_runs(warm, tmp_path):
    shim, env = warm
    code = "import sys; print(sys.executable)"
    plain = {k: v for k, v in env.items() if k != warm_python.DIR_VAR}
    assert run([str(shim), "-c", code], plain, tmp_path).stdout == f"{sys.executable}\n"
    assert run([str(shim), "-I", "-c", code], env, tmp_path).stdout == f"{sys.executable}\n"
    assert warm_python.zygote_pids(shim.parent.parent) == []
    assert (shim.parent / "ruff").resolve() == (Path(sys.executable).parent / "ruff").resolve()


def test_a_zygote_refuses_to_serve_when_a_preloaded_module_reads_a_per_run_variable(warm, tmp_path):
    shim, env = warm
    (tmp_path / "reads_model.py").write_text("import os\nMODEL = os.environ.get('MODEL_ID')\n")
    env = {**env, "PYTHONPATH": str(tmp_path), warm_python.PRELOAD_VAR: "json,reads_model"}
    result = run([str(shim), "-c", "pass"], env, tmp_path)
    assert result.returncode == 1 and "reads_model reads MODEL_ID at import" in result.stderr, result.stderr


def _wait_for(path: Path) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.02)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its parent counts as gone
            return stat.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, ProcessLookupError):  # it ended between the two looks (reading a gone one's stat)
        return False


# ------------------------------------------------------------- light mode (the suite's Copier and CLI)
LIGHT_PROBE = """\
import json, os, sys, sysconfig
import plumbum
ancestors, pid = [], os.getppid()
while pid > 1:
    ancestors.append((pid, open(f"/proc/{pid}/environ", "rb").read().decode(errors="replace")))
    pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
print(json.dumps({"seen": os.environ.get("SEEN"), "plumbum": plumbum.local.env.get("SEEN"),
                  "user_base": sysconfig.get_config_var("userbase"),
                  "isolated": sys.flags.isolated, "empty_on_path": "" in sys.path, "exe": sys.executable,
                  "ancestors": ancestors}))
"""


@pytest.fixture
def light(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A light shim preloading plumbum (it copies the whole environment at import: REFRESH_MODULES) and zoneinfo
    (it has sysconfig cache its variables, the user base from HOME among them)."""
    folder = tmp_path / "light"
    settings = {**warm_python.light_env(folder, os.getpid()), warm_python.PRELOAD_VAR: "plumbum,zoneinfo"}
    settings[warm_python.INSTALL_VAR] = ""  # not the suite's Copier shortcuts (Copier is not preloaded here)
    shim = warm_python.make_bin(folder, env=settings)
    env = {k: v for k, v in os.environ.items() if k != "HF_TOKEN"}
    yield shim, env
    warm_python.stop(folder)


def test_light_mode_serves_every_environment_but_its_keys_from_one_zygote_each_child_its_own(light, tmp_path):
    import json

    shim, env = light
    first = run([str(shim), "-c", LIGHT_PROBE], {**env, "SEEN": "a", "HF_TOKEN": "secret-one"}, tmp_path)
    second_home = {"SEEN": "b", "HF_TOKEN": "secret-two", "HOME": str(tmp_path / "b")}
    second = run([str(shim), "-c", LIGHT_PROBE], {**env, **second_home}, tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    one, two = json.loads(first.stdout), json.loads(second.stdout)
    assert (one["seen"], one["plumbum"], two["seen"], two["plumbum"]) == ("a", "a", "b", "b")
    assert (one["user_base"], two["user_base"]) == (f"{env['HOME']}/.local", f"{tmp_path}/b/.local")
    assert one["exe"] == str(shim) and not one["isolated"] and one["empty_on_path"]
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 1, "a per-run variable started another zygote"
    # The zygote was started by the first request's shim, whose environment held its token: it detached,
    # so no process that serves a later request has that shim, or any token, among its ancestors.
    for seen in (one, two):
        assert not [pid for pid, environ in seen["ancestors"] if "secret-" in environ], seen["ancestors"]
    isolated = run([str(shim), "-I", "-c", LIGHT_PROBE], {**env, "SEEN": "c"}, tmp_path)
    assert isolated.returncode == 0, isolated.stderr
    three = json.loads(isolated.stdout)
    assert three["isolated"] == 1 and not three["empty_on_path"] and three["plumbum"] == "c"
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 2, "-I is served by a zygote of its own"
    assert run([str(shim), "-c", "pass"], {**env, "PATH": env["PATH"] + ":/nowhere"}, tmp_path).returncode == 0
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 3, "a key variable (PATH) differs: another zygote"


def test_light_mode_refuses_a_module_that_copies_the_whole_environment_at_import(light, tmp_path):
    _, env = light
    (tmp_path / "copies.py").write_text("import os\nSNAPSHOT = dict(os.environ)\n")
    folder = tmp_path / "copies"
    settings = {**warm_python.light_env(folder, os.getpid()), warm_python.PRELOAD_VAR: "copies"}
    shim = warm_python.make_bin(folder, env={**settings, "PYTHONPATH": str(tmp_path)})
    result = run([str(shim), "-c", "pass"], env, tmp_path)
    assert result.returncode == 1 and "copies reads * at import" in result.stderr, result.stderr


def test_descriptors_a_parent_passes_reach_the_served_child_at_their_numbers(light, tmp_path):
    """subprocess's pass_fds (the CLI hands its token to itself through a pipe): the child is served, and finds
    each descriptor at the number its parent gave it, however the zygote received them."""
    shim, env = light
    pipes = [os.pipe() for _ in range(2)]
    try:
        writes = [write for _, write in pipes]
        code = f"import os, sys\nfor fd in {writes}: os.write(fd, str(fd).encode())\nprint(sys.executable)"
        result = run([str(shim), "-c", code], env, tmp_path, pass_fds=writes)
        assert result.returncode == 0 and result.stdout == f"{shim}\n", result.stdout + result.stderr
        for read, write in pipes:
            os.close(write)
            os.set_blocking(read, False)  # nothing written fails here rather than waits
            assert os.read(read, 16) == str(write).encode(), "a descriptor at another number, or none"
    finally:
        for read, _ in pipes:
            os.close(read)
    assert len(warm_python.zygote_pids(shim.parent.parent)) == 1


HUB_STATE_PROBE = """\
import json, pathlib, sys
import huggingface_hub, huggingface_hub.hf_api
simple = (str, bytes, int, float, bool, type(None), pathlib.PurePath)
state = {"the default HfApi's endpoint": huggingface_hub.hf_api.api.endpoint}
for name, module in sorted(sys.modules.items()):
    if name.startswith("huggingface_hub") and module is not None:
        for key, value in vars(module).items():
            if isinstance(value, (tuple, frozenset)) and all(isinstance(item, simple) for item in value):
                state[f"{name}.{key}"] = repr(sorted(value, key=repr) if isinstance(value, frozenset) else value)
            elif isinstance(value, simple) and not key.startswith("__"):
                state[f"{name}.{key}"] = repr(value)
print(json.dumps(state))
"""


def test_a_light_child_sees_huggingface_hub_as_a_fresh_import_would_under_its_own_environment(tmp_path):
    """The suite's light zygotes preload huggingface_hub, which reads its endpoint and folders at import: a
    child served under another endpoint, HF_HOME and HOME holds every module-level value a cold python holds."""
    import json

    folder = tmp_path / "hub"
    shim = warm_python.make_bin(folder, env=warm_python.light_env(folder, os.getpid()))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "XDG_"))}
    first = {**base, "HF_ENDPOINT": "http://127.0.0.1:8/", "HF_HOME": str(tmp_path / "first")}
    other = {**base, "HF_ENDPOINT": "http://127.0.0.1:9", "HF_HOME": str(tmp_path / "hf"), "HOME": str(tmp_path)}
    other["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    try:
        runs = [run([str(shim), "-c", HUB_STATE_PROBE], env, tmp_path) for env in (first, other)]
        cold = run([sys.executable, "-c", HUB_STATE_PROBE], other, tmp_path)
        assert len(warm_python.zygote_pids(folder)) == 1, "the endpoint and folders keyed another zygote"
    finally:
        warm_python.stop(folder)
    assert all(result.returncode == 0 for result in [*runs, cold]), [r.stderr[-2000:] for r in [*runs, cold]]
    served, fresh = json.loads(runs[1].stdout), json.loads(cold.stdout)
    assert fresh["huggingface_hub.constants.ENDPOINT"] == "'http://127.0.0.1:9'" and len(fresh) > 100
    assert {k: v for k, v in served.items() if k in fresh} == fresh


def test_light_keys_name_variables_by_prefix_and_by_any_case_suffix():
    import warm_shim

    env = {warm_shim.KEYS_VAR: "PATH,TQDM_*,*_proxy"}
    keyed = ["PATH", "TQDM_MININTERVAL", "https_proxy", "HTTPS_PROXY", "PYTHONPATH", "WARM_PYTHON_DIR"]
    assert [name for name in keyed if warm_shim.per_run(name, env)] == []
    assert all(warm_shim.per_run(name, env) for name in ["HF_ENDPOINT", "TQDM", "PATHS", "proxy", "NO_PROXY_X"])
    assert warm_shim.per_run("HF_TOKEN", {}) and not warm_shim.per_run("HF_ENDPOINT", {}), "heavy mode: PER_RUN"


def test_the_pythons_a_test_starts_read_the_installed_bytecode_and_write_none(tmp_path):
    """conftest's _bytecode_kept_for_subprocesses: with the packages installed with their bytecode (pyproject's
    compile-bytecode), a prefix would hide it and every run would compile Gradio's imports again."""
    import conftest

    probe = "import sys, copier; print(sys.pycache_prefix, sys.dont_write_bytecode, copier.__cached__)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=tmp_path)
    prefix, dont_write, cached = out.stdout.split()
    if conftest._installed_with_bytecode():
        assert (prefix, dont_write) == ("None", "True") and Path(cached).is_file(), out.stdout
    else:
        assert Path(prefix).name == "pycache" and dont_write == "False" and cached.startswith(prefix), out.stdout
