"""Benchmarks against their floors, measured in the same run on the same machine.

    python3 -m uv run python bench/run.py            # everything (about 40 minutes on 2 cores)
    python3 -m uv run python bench/run.py --quick    # fewer runs, no suite, 200- or 1,000-repo fleet
    python3 -m uv run python bench/run.py --only copy --peers DIR   # and the peer templates cloned in DIR

Prints a table (each ratio next to its target) and writes bench/results/latest.json.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import resource
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from helpers import (  # noqa: E402  (the tests' own helpers build the template versions)
    CURRENT_VERSION,
    KINDS,
    OLD_VERSION,
    build_versions,
    git,
    tag_release,
)
from hub_server import HubServer  # noqa: E402
from questions import MOST, count_questions  # noqa: E402

COPIER = [sys.executable, "-m", "copier"]
TRIVIAL_COPIER_YML = "name:\n  type: str\n  help: A name\n  default: demo\n"


def spread(samples: list[float]) -> dict[str, float]:
    """A measure's summary: median, min, max and the number of runs."""
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "runs": len(samples)}


def measure(run: Callable[[], Any], runs: int, setup: Callable[[], Any] | None = None) -> dict[str, float]:
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    samples.sort()
    return spread(samples)


def interleaved(
    measures: dict[str, tuple[Callable[[], Any], Callable[[], Any] | None]], runs: int
) -> dict[str, dict[str, Any]]:
    """Each measure's runs in turn (A B C A B C ...): a ratio to the floor holds when the machine's load drifts.

    Besides the wall time, the CPU time of the processes each run started (user + system, the run's git and
    task processes included): on a shared machine it varies far less than the wall time."""
    samples: dict[str, list[float]] = {key: [] for key in measures}
    cpu: dict[str, list[float]] = {key: [] for key in measures}
    for _ in range(runs):
        for key, (run, setup) in measures.items():
            if setup:
                setup()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            run()
            samples[key].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[key].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return {key: {**spread(sorted(values)), "cpu": spread(sorted(cpu[key]))} for key, values in samples.items()}


def sh(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{args} failed: {result.stderr[-2000:]}")
    return result


def trivial_template(root: Path) -> Path:
    """Copier's floor: a one-question template in a tagged git repo, like ours."""
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text("_subdirectory: template\n" + TRIVIAL_COPIER_YML)
    (root / "template" / "README.md.jinja").write_text("# {{ name }}\n")
    (root / "template" / "{{_copier_conf.answers_file}}.jinja").write_text("{{ _copier_answers|to_nice_yaml }}")
    git(root, "init", "-q", "-b", "main")
    tag_release(root, "1.0.0")
    return packed(root)


def packed(repo: Path) -> Path:
    """The repo as Copier gets a template from a server, or from any repo git has gc'd: one pack. A repo just
    built holds loose objects, and Copier's local clone links each one (40 ms more of every copy here)."""
    git(repo, "gc", "--quiet")
    return repo


def versions_repo(root: Path) -> Path:
    """This template tagged 0.9.0, 1.0.0 and the current version (the tests' helper builds them)."""
    return packed(build_versions(root / "versions"))


# Peer templates (a clone of each, named as here, in the folder given with --peers; nothing is downloaded):
# the answers their required questions need, and the name the table gives them.
PEERS = {
    "copier-uv": (
        "pawamoy/copier-uv",
        [
            *("-d", "project_name=demo", "-d", "project_description=A demo", "-d", "author_fullname=A Person"),
            *("-d", "author_email=a@example.com", "-d", "author_username=a", "-d", "repository_namespace=a"),
            *("-d", "repository_name=demo"),
        ],
    ),
    "python-project-template": ("lincc-frameworks/python-project-template", []),
}


def bench_copy(work: Path, versions: Path, trivial: Path, runs: int, peers: Path | None = None) -> dict[str, Any]:
    dst = work / "copy" / "demo"

    def clean() -> None:
        shutil.rmtree(dst.parent, ignore_errors=True)

    measures: dict[str, tuple[Callable[[], Any], Callable[[], Any] | None]] = {
        "trivial": (lambda: sh(*COPIER, "copy", "--defaults", "--quiet", str(trivial), str(dst)), clean)
    }
    for repo_type, sdk in KINDS:
        data = ["-d", f"repo_type={repo_type}", *(["-d", f"space_sdk={sdk}"] if sdk else [])]
        measures[f"{repo_type}-{sdk}" if sdk else repo_type] = (
            partial(sh, *COPIER, "copy", "--defaults", "--quiet", "--trust", *data, str(versions), str(dst)),
            clean,
        )
    for folder, (name, data) in PEERS.items():
        if peers and (peers / folder / "copier.yml").is_file():
            measures[f"peer {name}"] = (
                partial(sh, *COPIER, "copy", "--defaults", "--quiet", "--trust", *data, str(peers / folder), str(dst)),
                clean,
            )
    return interleaved(measures, runs)


def bench_update(work: Path, versions: Path, trivial: Path, runs: int) -> dict[str, Any]:
    # The trivial template's floor: 1.0.0 -> 1.1.0 with one changed file.
    trivial2 = work / "trivial2"
    shutil.copytree(trivial, trivial2)
    (trivial2 / "template" / "README.md.jinja").write_text("# {{ name }}\n\nUpdated.\n")
    git(trivial2, "commit", "-qam", "v2")
    git(trivial2, "tag", "1.1.0")
    packed(trivial2)
    project = work / "update" / "demo"

    def fresh(src: Path, ref: str, *data: str) -> Callable[[], None]:
        def setup() -> None:
            shutil.rmtree(project.parent, ignore_errors=True)
            sh(*COPIER, "copy", "--defaults", "--quiet", "--trust", "--vcs-ref", ref, *data, str(src), str(project))
            if not (project / ".git").exists():
                git(project, "init", "-q", "-b", "main")
                git(project, "add", "-A")
                git(project, "commit", "-qm", "init")

        return setup

    measures: dict[str, tuple[Callable[[], Any], Callable[[], Any] | None]] = {
        "trivial": (lambda: sh(*COPIER, "update", "--defaults", "--quiet", cwd=project), fresh(trivial2, "1.0.0"))
    }
    for repo_type, sdk in KINDS:
        data = ["-d", f"repo_type={repo_type}", *(["-d", f"sdk={sdk}"] if sdk else [])]
        measures[f"{repo_type}-{sdk}" if sdk else repo_type] = (
            lambda: sh(
                *COPIER, "update", "--defaults", "--quiet", "--trust", "--vcs-ref", CURRENT_VERSION, cwd=project
            ),
            fresh(versions, OLD_VERSION, *data),
        )
    return interleaved(measures, runs)


def hub_env(work: Path, url: str, token: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_")}
    return {
        **env,
        "HF_ENDPOINT": url,
        "HF_TOKEN": token,
        "HF_HOME": str(work / "hf-home"),
        "HF_HUB_DISABLE_TELEMETRY": "1",
    }


def bench_remote(work: Path, versions: Path, runs: int) -> dict[str, Any]:
    token = "hf_bench_" + secrets.token_hex(12)
    project = work / "remote" / "demo"
    sh(*COPIER, "copy", "--defaults", "--quiet", "--trust", str(versions), str(project))
    bare = (
        "import sys; from huggingface_hub import HfApi; api = HfApi(); "
        "api.create_repo(sys.argv[1], repo_type='space', space_sdk='gradio'); "
        "api.upload_folder(repo_id=sys.argv[1], repo_type='space', folder_path=sys.argv[2], "
        "ignore_patterns=['.git/*'])"
    )
    out: dict[str, Any] = {}
    with HubServer(token=token) as hub:
        env = hub_env(work, hub.url, token)
        counter = iter(range(10_000))

        def fresh_answers() -> None:
            answers = project / ".copier-answers.yml"
            text = answers.read_text()
            lines = [line for line in text.splitlines() if not line.startswith(("repo_name:", "namespace:"))]
            answers.write_text("\n".join([*lines, f"repo_name: hook-{next(counter)}", "namespace: fakeuser", ""]))
            hub.clear_log()

        out["hook"] = measure(
            lambda: sh(sys.executable, str(ROOT / "hooks" / "remote.py"), str(project), env=env), runs, fresh_answers
        )
        calls = hub.calls()
        out["hook_requests"] = calls
        out["hook_write_requests"] = [c for c in calls if c.endswith(("create", "commit"))]
        names = iter(range(10_000))
        out["bare_upload_folder"] = measure(
            lambda: sh(sys.executable, "-c", bare, f"fakeuser/bare-{next(names)}", str(project), env=env),
            runs,
            hub.clear_log,
        )
        out["bare_requests"] = hub.calls()
    return out


def time_to_first_answer(script: Path, port: int) -> float:
    env = {
        **os.environ,
        "GRADIO_SERVER_NAME": "127.0.0.1",
        "GRADIO_SERVER_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    import urllib.request

    def ask() -> None:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/gradio_api/info", timeout=2) as response:
            response.read()

    return first_demo_answer([sys.executable, script.name], script.parent, env, ask)[0]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_gradio(work: Path, versions: Path, runs: int) -> dict[str, Any]:
    project = work / "gradio" / "demo"
    sh(*COPIER, "copy", "--defaults", "--quiet", "--trust", str(versions), str(project))
    hello = work / "gradio" / "hello" / "app.py"
    hello.parent.mkdir(parents=True)
    hello.write_text("import gradio as gr\n\ngr.Interface(lambda name: 'Hello ' + name, 'text', 'text').launch()\n")
    port = free_port
    time_to_first_answer(hello, port())  # warm the OS file cache for both
    samples: dict[str, list[float]] = {"bare": [], "rendered": []}
    for _ in range(runs):  # interleaved, so drift hits both alike
        samples["bare"].append(time_to_first_answer(hello, port()))
        samples["rendered"].append(time_to_first_answer(project / "app.py", port()))
    return {key: spread(v) for key, v in samples.items()}


BARE_PIPELINE = """import sys
from transformers import pipeline

pipe = pipeline("text-classification", model=sys.argv[1])
print({r["label"]: float(r["score"]) for r in pipe("i love this demo", top_k=5)}, flush=True)
print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")), flush=True)
"""


def peak_rss_mib(pid: int) -> float:
    """The process's peak resident memory (VmHWM), read before it is stopped."""
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmHWM"))
    return int(line.split()[1]) / 1024


def first_demo_answer(
    command: list[str], cwd: Path, env: dict[str, str], ask: Callable[[], Any]
) -> tuple[float, float]:
    """Seconds from start to the first answer of `ask`, and peak RSS in MiB."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                ask()
                return time.perf_counter() - start, peak_rss_mib(process.pid)
            except Exception:
                if process.poll() is not None or time.perf_counter() - start > 300:  # the apps start in seconds
                    raise RuntimeError(f"{command} gave no answer") from None
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def bench_demo(work: Path, versions: Path, runs: int) -> dict[str, Any]:
    """A rendered `local` text-classification demo (Gradio and FastAPI) against a bare script calling the same
    pipeline on the same tiny model, all downloading it from the loopback Hub into a fresh cache."""
    import urllib.request

    from tiny_models import TASK_MODELS, build, folder_files

    model = TASK_MODELS["text-classification"]
    token = "hf_bench_" + secrets.token_hex(12)
    samples: dict[str, dict[str, list[float]]] = {}
    with HubServer(token=token) as hub:
        hub.seed("model", model, folder_files(build("text-classification", work / "tiny")))
        projects = {}
        for sdk in ("gradio", "docker"):
            projects[sdk] = work / "demo" / sdk
            data = ["-d", f"space_sdk={sdk}", "-d", f"models={model}", "-d", "inference=local"]
            sh(*COPIER, "copy", "--defaults", "--quiet", "--trust", *data, str(versions), str(projects[sdk]))
        bare = work / "demo" / "bare.py"
        bare.write_text(BARE_PIPELINE)

        port = free_port

        def env(cache: str) -> dict[str, str]:
            return {**hub_env(work, hub.url, token), "HF_HOME": str(work / "cache" / cache), "HF_HUB_DISABLE_XET": "1"}

        def run_bare(n: int) -> tuple[float, float]:
            start = time.perf_counter()
            out = sh(sys.executable, str(bare), model, env=env(f"bare{n}")).stdout
            return time.perf_counter() - start, int(out.split("VmHWM:")[1].split()[0]) / 1024

        def run_gradio(n: int) -> tuple[float, float]:
            from gradio_client import Client

            p = port()
            extra = {
                "GRADIO_SERVER_NAME": "127.0.0.1",
                "GRADIO_SERVER_PORT": str(p),
                "GRADIO_ANALYTICS_ENABLED": "False",
            }

            def ask() -> Any:
                return Client(f"http://127.0.0.1:{p}/", verbose=False).predict("i love this demo", api_name="/predict")

            return first_demo_answer([sys.executable, "app.py"], projects["gradio"], {**env(f"g{n}"), **extra}, ask)

        def run_fastapi(n: int) -> tuple[float, float]:
            p = port()

            def ask() -> Any:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{p}/predict",
                    data=b'{"text": "i love this demo"}',
                    headers={"Content-Type": "application/json"},
                    method="POST",
                )
                with urllib.request.urlopen(request, timeout=30) as response:
                    return response.read()

            command = [sys.executable, "-m", "uvicorn", "app:app", "--host", "127.0.0.1", "--port", str(p)]
            return first_demo_answer(command, projects["docker"], env(f"f{n}"), ask)

        run_bare(-1)  # warm the OS file cache
        for n in range(runs):  # interleaved, so drift hits all alike
            for name, run in (("bare", run_bare), ("gradio", run_gradio), ("fastapi", run_fastapi)):
                seconds, mib = run(n)
                samples.setdefault(name, {"seconds": [], "rss": []})
                samples[name]["seconds"].append(seconds)
                samples[name]["rss"].append(mib)
    return {name: {key: spread(v) for key, v in measures.items()} for name, measures in samples.items()}


BY_HAND_ASK = """import sys
from gradio_client import Client
from huggingface_hub import HfApi

host = HfApi().space_info(sys.argv[1]).host
print(Client(host, verbose=False).predict("I love this demo.", api_name="/predict"))
"""


def bench_demo_publish(work: Path, versions: Path, runs: int) -> dict[str, Any]:
    """`demo MODEL_ID --publish` on the loopback Hub, which runs the Space's app, against the same steps by hand:
    `copier copy` with the answers demo chose, `hf-hub-template publish` (create, upload, wait), one gradio_client
    call. The model is one a provider serves (the app runs on the Hub's inference stand-in, no torch)."""
    import yaml

    token = "hf_bench_" + secrets.token_hex(12)
    model = "acme/big-sentiment"
    samples: dict[str, list[float]] = {"demo_publish": [], "by_hand": []}
    requests: dict[str, list[str]] = {}
    with HubServer(token=token, run_spaces=True) as hub:
        facts = {"pipeline_tag": "text-classification", "library_name": "transformers", "parameters": 7_000_000_000}
        hub.seed("model", model, {"config.json": b"{}"}, providers={"hf-inference": "text-classification"}, **facts)
        hub.runner.env.update(INFERENCE_URL=f"{hub.url}/inference/text-classification", HF_TOKEN=token)
        env = hub_env(work, hub.url, token)
        cli = [sys.executable, "-m", "hf_hub_template"]
        chosen: list[str] = []
        ask = work / "demo-publish" / "ask.py"
        ask.parent.mkdir(parents=True, exist_ok=True)
        ask.write_text(BY_HAND_ASK)
        for n in range(runs):  # interleaved, so drift hits both alike
            dest = work / "demo-publish" / f"demo-{n}"
            hub.clear_log()
            start = time.perf_counter()
            out = sh(
                *cli,
                "demo",
                model,
                str(dest),
                "--template",
                str(versions),
                "--publish",
                "--poll-interval",
                "0.2",
                env=env,
            ).stdout
            samples["demo_publish"].append(time.perf_counter() - start)
            assert "is live: it answered" in out, out
            requests["demo_publish"] = hub.calls()
            if not chosen:
                recorded = yaml.safe_load((dest / ".copier-answers.yml").read_text())
                keys = ("space_sdk", "models", "pipeline_tag", "inference", "license", "title", "short_description")
                chosen = [arg for key in keys if key in recorded for arg in ("-d", f"{key}={recorded[key]}")]
            hand = work / "demo-publish" / f"hand-{n}"
            hub.clear_log()
            start = time.perf_counter()
            sh(*COPIER, "copy", "--defaults", "--quiet", "--trust", *chosen, str(versions), str(hand))
            sh(*cli, "publish", str(hand), "--poll-interval", "0.2", env=env)
            sh(sys.executable, str(ask), f"fakeuser/hand-{n}", env=env)
            samples["by_hand"].append(time.perf_counter() - start)
            requests["by_hand"] = hub.calls()
    return {
        **{key: spread(values) for key, values in samples.items()},
        # Besides the runtime polls (one per --poll-interval while the app starts: time, not work).
        "requests": {key: sum(call != "GET runtime" for call in calls) for key, calls in requests.items()},
        "runtime_polls": {key: calls.count("GET runtime") for key, calls in requests.items()},
        "calls": requests,
    }


def bench_fleet(work: Path, versions: Path, sizes: list[int]) -> dict[str, Any]:
    token = "hf_bench_" + secrets.token_hex(12)
    old = work / "fleet" / "old"
    sh(*COPIER, "copy", "--defaults", "--quiet", "--trust", "--vcs-ref", OLD_VERSION, str(versions), str(old))
    files = {
        p.relative_to(old).as_posix(): p.read_bytes()
        for p in old.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(old).parts
    }
    out: dict[str, Any] = {}
    for size in sizes:
        with HubServer(token=token, user="admin", orgs=["fleet"]) as hub:
            for index in range(size):
                hub.seed("space", f"fleet/space-{index:03d}", files, sdk="gradio")
            elapsed, code, _memory = fleet_run(hub_env(work, hub.url, token), versions, "fleet")
            prs = sum(len(repo.pulls) for repo in hub.state.repos.values())
            out[str(size)] = {
                "seconds": elapsed,
                "per_repo": elapsed / size,
                "prs": prs,
                "requests": len(hub.requests),
                "exit": code,
            }
    return out


class TreeMemory:
    """Peak resident memory of a running process: its own (VmHWM) and its whole tree's (sum of VmRSS over
    it and its children, sampled every 0.2 s: the Copier subprocesses of a fleet run are short-lived)."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.own_mib, self.tree_mib = pid, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    @staticmethod
    def _status(pid: int, key: str) -> float:
        try:
            with open(f"/proc/{pid}/status") as status:
                line = next((line for line in status if line.startswith(key)), f"{key} 0 kB")
        except OSError:
            return 0.0
        return int(line.split()[1]) / 1024

    def _tree(self, pid: int) -> list[int]:
        children = []  # a worker thread's subprocess is that thread's child: read every task's list
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                children += (task / "children").read_text().split()
        except OSError:  # the process or one of its threads ended while being read
            pass
        return [pid, *(p for child in children for p in self._tree(int(child)))]

    def _poll(self) -> None:
        while not self._stop.wait(0.2):
            try:
                self.own_mib = max(self.own_mib, self._status(self.pid, "VmHWM:"))
                self.tree_mib = max(self.tree_mib, sum(self._status(p, "VmRSS:") for p in self._tree(self.pid)))
            except OSError:  # a process of the tree ended while being read: the next sample sees the rest
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def fleet_run(
    env: dict[str, str],
    versions: Path,
    namespace: str,
    *extra: str,
    command: str = "fleet-update",
    output: Path | None = None,
) -> tuple[float, int, TreeMemory]:
    """One `fleet-update` (or another fleet `command`) in its own process: seconds, exit code, and its memory.
    Its output goes to `output` when given."""
    start = time.perf_counter()
    stdout: Any = output.open("wb") if output else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "hf_hub_template", command, namespace),
            *("--vcs-ref", CURRENT_VERSION, "--template", str(versions), *extra),
        ],
        cwd=ROOT,
        env=env,
        stdout=stdout,
        stderr=subprocess.DEVNULL,
    )
    memory = TreeMemory(process.pid)
    code = process.wait()
    memory.stop()
    if output:
        stdout.close()
    return time.perf_counter() - start, code, memory


def requests_by_repo(hub: HubServer, repo_ids: set[str]) -> dict[str, list[Any]]:
    """The test Hub's requests that name one repo, by repo id (listings and whoami name none)."""
    import re

    found: dict[str, list[Any]] = {}
    for request in hub.requests:
        match = re.search(r"(?:^|/)(fleet/[^/]+)", request.path)
        if match and match.group(1) in repo_ids:
            found.setdefault(match.group(1), []).append(request)
    return found


def bytes_downloaded(hub: HubServer, repo_id: str, requests: list[Any]) -> int:
    """File bytes the Hub sent for one repo: the size of every file a successful GET /resolve/ returned."""
    repo = next(r for t in ("space", "model", "dataset") if (r := hub.repo(t, repo_id)) is not None)
    paths = [
        r.path.split("/resolve/", 1)[1].split("/", 1)[1]
        for r in requests
        if r.endpoint == "resolve" and r.method == "GET" and r.status == 200
    ]
    return sum(len(repo.files.get(path, b"")) for path in paths)


def bench_fleet_scale(work: Path, versions: Path, sizes: list[int], runs: int) -> dict[str, Any]:
    """Namespaces of `size` repos, 90% current and 10% one release behind, half Gradio Spaces and half
    model repos carrying a 50 MB weights file: time, requests per current repo, bytes per outdated repo,
    peak RSS. Then an outdated repo's cost (a fleet of 10 outdated repos, one worker, the run's fixed
    start-up included) against a bare `copier update` of the same project on disk."""
    from helpers import PREVIOUS_VERSION, render, tracked_files

    token = "hf_bench_" + secrets.token_hex(12)
    weights = b"\0" * (50 * 1024 * 1024)  # one object, shared by every model repo of the test Hub
    seeds: dict[tuple[str, str], dict[str, bytes]] = {}
    for repo_type, version in (
        ("space", CURRENT_VERSION),
        ("space", PREVIOUS_VERSION),
        ("model", CURRENT_VERSION),
        ("model", PREVIOUS_VERSION),
    ):
        project = render(versions, work / "scale" / f"{repo_type}-{version}", vcs_ref=version, repo_type=repo_type)
        files = {path: (project / path).read_bytes() for path in tracked_files(project)}
        seeds[repo_type, version] = {**files, **({"model.safetensors": weights} if repo_type == "model" else {})}

    def seed(hub: HubServer, size: int, outdated_every: int) -> dict[str, str]:
        """Seeds `size` repos; returns repo id -> the version it was seeded at."""
        versions_of = {}
        for index in range(size):
            repo_type = ("space", "model")[index % 2]
            version = PREVIOUS_VERSION if index % outdated_every == 0 else CURRENT_VERSION
            repo_id = f"fleet/{repo_type}-{index:04d}"
            hub.seed(repo_type, repo_id, seeds[repo_type, version], sdk="gradio" if repo_type == "space" else None)
            versions_of[repo_id] = version
        return versions_of

    out: dict[str, Any] = {}
    for size in sizes:
        with HubServer(token=token, user="admin", orgs=["fleet"]) as hub:
            versions_of = seed(hub, size, outdated_every=10)
            tmp = work / "scale" / f"tmp-{size}"
            tmp.mkdir()
            env = {**hub_env(work, hub.url, token), "TMPDIR": str(tmp)}
            seconds, code, memory = fleet_run(env, versions, "fleet")
            per_repo = requests_by_repo(hub, set(versions_of))

            def downloaded(repo_id: str, per_repo: dict[str, list[Any]] = per_repo, hub: HubServer = hub) -> int:
                return bytes_downloaded(hub, repo_id, per_repo.get(repo_id, []))

            current = [r for r, v in versions_of.items() if v == CURRENT_VERSION]
            outdated = [r for r, v in versions_of.items() if v != CURRENT_VERSION]
            current_requests = [len(per_repo.get(r, [])) for r in current]
            outdated_bytes = [downloaded(r) for r in outdated]
            weights_requests = [r for r in hub.requests if r.path.endswith("model.safetensors")]
            out[str(size)] = {
                "repos": size,
                "current": len(current),
                "outdated": len(outdated),
                "seconds": seconds,
                "exit": code,
                "prs": sum(len(repo.pulls) for repo in hub.state.repos.values()),
                "requests": len(hub.requests),
                "requests_per_current_repo_max": max(current_requests),
                "requests_per_current_repo_mean": statistics.mean(current_requests),
                "bytes_per_outdated_repo_max": max(outdated_bytes),
                "bytes_per_outdated_repo_mean": statistics.mean(outdated_bytes),
                "weights_requests": len(weights_requests),
                "bytes_per_current_repo_max": max(downloaded(r) for r in current),
                "answers_file_bytes": len(seeds["space", CURRENT_VERSION][".copier-answers.yml"]),
                "peak_rss_mib_fleet_process": memory.own_mib,
                "peak_rss_mib_process_tree": memory.tree_mib,
                "temporary_folders_left": len(list(tmp.iterdir())),
            }

    # An outdated repo's cost: fleet-update of 10 outdated repos with one worker, against copier update.
    outdated_project = work / "scale" / f"space-{PREVIOUS_VERSION}"
    bare_copy = work / "scale" / "bare"
    bare_flags = ["--trust", "--defaults", "--quiet", "--skip-tasks", "--conflict", "inline"]

    def bare_setup() -> None:
        shutil.rmtree(bare_copy, ignore_errors=True)
        shutil.copytree(outdated_project, bare_copy)

    bare_samples, fleet_samples = [], []
    for _ in range(runs):  # interleaved, so drift hits both alike
        bare_setup()
        start = time.perf_counter()
        sh(*COPIER, "update", *bare_flags, "--vcs-ref", CURRENT_VERSION, cwd=bare_copy)
        bare_samples.append(time.perf_counter() - start)
        with HubServer(token=token, user="admin", orgs=["fleet"]) as hub:
            for index in range(10):
                hub.seed("space", f"fleet/space-{index:04d}", seeds["space", PREVIOUS_VERSION], sdk="gradio")
            seconds, code, _memory = fleet_run(hub_env(work, hub.url, token), versions, "fleet", "--workers", "1")
            if code != 0 or sum(len(repo.pulls) for repo in hub.state.repos.values()) != 10:
                raise RuntimeError("the 10-repo fleet run did not open 10 pull requests")
            fleet_samples.append(seconds / 10)

    out["outdated_repo_cost"] = {
        "bare_copier_update": spread(bare_samples),
        "fleet_per_outdated_repo": spread(fleet_samples),
    }
    return out


SUMMARY = re.compile(r"^\d+ would open a PR|^Repos the template did not make \(")


def bench_adopt(work: Path, versions: Path, sizes: list[int], sample: str) -> dict[str, Any]:
    """The whole organisation (issue 27): namespaces of `size` repos, 10% template members (Gradio Spaces and
    models) and the rest hand-made of every kind (bench/handmade.py). `fleet-status` over each size (health rows,
    no render: memory should stay flat as the namespace grows); `fleet-adopt --dry-run` (one render per adoptable
    repo) over the sample of the largest namespace that `sample` (a --match glob) selects, with 1 and 4 workers.
    Requests and bytes per repo, downloads of weights, data or app code (must be none), time, peak RSS."""
    from handmade import NEVER_READ, seed_mixed
    from helpers import render, tracked_files

    token = "hf_bench_" + secrets.token_hex(12)
    members: dict[str, tuple[dict[str, bytes], str | None]] = {}
    for repo_type, sdk in (("space", "gradio"), ("model", None)):
        project = render(versions, work / "adopt" / f"member-{repo_type}", vcs_ref=CURRENT_VERSION, repo_type=repo_type)
        members[repo_type] = ({path: (project / path).read_bytes() for path in tracked_files(project)}, sdk)

    def measure_run(size: int, label: str, match: str, *extra: str, command: str) -> dict[str, Any]:
        with HubServer(token=token, user="admin", orgs=["fleet"]) as hub:
            kinds = seed_mixed(hub, "fleet", size, members)
            tmp = work / "adopt" / f"tmp-{label}"
            tmp.mkdir(parents=True)
            env = {**hub_env(work, hub.url, token), "TMPDIR": str(tmp)}
            printed = work / "adopt" / f"{label}.out"
            seconds, code, memory = fleet_run(
                env, versions, "fleet", "--match", match, *extra, command=command, output=printed
            )
            # Its own count: "N would open a PR, ..." (fleet-adopt) or "Repos the template did not make (...)".
            said = [line for line in printed.read_text().splitlines() if SUMMARY.search(line)]
            chosen = {r for r in kinds if fnmatch.fnmatch(r.split("/", 1)[1], match)}
            per_repo = requests_by_repo(hub, set(kinds))
            by_kind: dict[str, list[int]] = {"member": [], "hand-made": []}
            for repo_id in chosen:
                by_kind["member" if kinds[repo_id] == "member" else "hand-made"].append(len(per_repo.get(repo_id, [])))
            downloaded = [bytes_downloaded(hub, r, per_repo.get(r, [])) for r in chosen]
            never = [r.path for r in hub.requests if r.endpoint == "resolve" and r.path.endswith(NEVER_READ)]
            hand_made = len(by_kind["hand-made"])
            return {
                "repos": size,
                "selected": len(chosen),
                "summary": said[-1] if said else "(no summary printed)",
                "calls_by_kind": {  # the requests of the first repo of each kind
                    kind: [f"{r.method} {r.endpoint}" for r in per_repo.get(repo_id, [])]
                    for kind, repo_id in {k: r for r, k in sorted(kinds.items(), reverse=True) if r in chosen}.items()
                },
                "members": len(by_kind["member"]),
                "hand_made": hand_made,
                "seconds": seconds,
                "seconds_per_hand_made_repo": seconds / max(hand_made, 1),
                "exit": code,
                "prs": sum(len(repo.pulls) for repo in hub.state.repos.values()),
                "requests": len(hub.requests),
                "requests_per_member_max": max(by_kind["member"], default=0),
                "requests_per_hand_made_mean": statistics.mean(by_kind["hand-made"] or [0]),
                "requests_per_hand_made_max": max(by_kind["hand-made"], default=0),
                "unread_repos": sum(n == 0 for n in by_kind["member"] + by_kind["hand-made"]),
                "bytes_per_repo_mean": statistics.mean(downloaded or [0]),
                "bytes_per_repo_max": max(downloaded, default=0),
                "weights_data_or_code_downloads": len(never),
                "write_requests": sum(r.method not in ("GET", "HEAD") for r in hub.requests),
                "peak_rss_mib_fleet_process": memory.own_mib,
                "peak_rss_mib_process_tree": memory.tree_mib,
                "temporary_folders_left": len(list(tmp.iterdir())),
            }

    out: dict[str, Any] = {}
    for size in sizes:
        out[f"status {size}"] = measure_run(size, f"status-{size}", "*", command="fleet-status")
    for workers in (1, 4):
        out[f"adopt-dry-run {workers}"] = measure_run(
            max(sizes), f"adopt-{workers}", sample, "--dry-run", "--workers", str(workers), command="fleet-adopt"
        )
    return out


def bench_suite() -> dict[str, Any]:
    groups = sorted(p.name for p in (ROOT / "tests").glob("test_*.py"))
    out = {}
    for group in groups:
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", f"tests/{group}"], cwd=ROOT, capture_output=True, text=True
        )
        out[group] = {
            "seconds": time.perf_counter() - start,
            "exit": result.returncode,
            "summary": result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "",
        }
    return out


def ratio(a: dict[str, float], b: dict[str, float]) -> float:
    return a["median"] / b["median"]


def report(results: dict[str, Any]) -> str:
    lines = [f"{'measure':<48} {'median':>9} {'spread':>17} {'ratio':>7} {'target':>7}  ok"]

    def add(name: str, value: dict[str, float], floor: dict[str, float] | None, target: float | None) -> None:
        r = ratio(value, floor) if floor else None
        ok = "" if target is None else ("yes" if r is not None and r <= target else "NO")
        spread = f"{value['min']:.2f}-{value['max']:.2f} s"
        lines.append(
            f"{name:<48} {value['median']:>8.2f}s {spread:>17} {(f'{r:.2f}x' if r else ''):>7} "
            f"{(f'{target}x' if target else ''):>7}  {ok}"
        )

    def add_cpu(name: str, value: dict[str, Any], floor: dict[str, Any]) -> None:
        """The same measure's CPU time (its processes'), against the floor's: steadier on a busy machine."""
        if "cpu" in value and "cpu" in floor:
            add(f"  cpu {name}", value["cpu"], None if value is floor else floor["cpu"], None)

    copy = results.get("copy", {})
    for key, value in copy.items():
        add(
            f"copy --defaults {key}",
            value,
            None if key == "trivial" else copy["trivial"],
            None if key == "trivial" or key.startswith("peer ") else 1.3,
        )
        add_cpu(f"copy {key}", value, copy["trivial"])
    for key, count in results.get("questions", {}).items():
        ok = "yes" if count <= MOST else "NO"
        lines.append(f"{'questions asked by default, ' + key:<48} {count:>9}  target <= {MOST}  {ok}")
    update = results.get("update", {})
    for key, value in update.items():
        add(f"update {key}", value, None if key == "trivial" else update["trivial"], None if key == "trivial" else 1.3)
        add_cpu(f"update {key}", value, update["trivial"])
    remote = results.get("remote")
    if remote:
        add("remote hook (create + upload, subprocess)", remote["hook"], remote["bare_upload_folder"], None)
        add("bare create_repo + upload_folder (subprocess)", remote["bare_upload_folder"], None, None)
        lines.append(
            f"{'remote hook requests':<48} {len(remote['hook_requests']):>9}  "
            f"{', '.join(remote['hook_requests'])}  (target: create, validate, preupload, commit, runtime)"
        )
        lines.append(
            f"{'remote hook write requests':<48} {len(remote['hook_write_requests']):>9}  "
            f"{', '.join(remote['hook_write_requests'])}"
        )
    gradio = results.get("gradio")
    if gradio:
        add("gradio bare hello-world: start to first answer", gradio["bare"], None, None)
        add("gradio rendered app: start to first answer", gradio["rendered"], gradio["bare"], 1.1)
    demo = results.get("demo")
    if demo:
        add("demo: bare pipeline script, start to answer", demo["bare"]["seconds"], None, None)
        for app in ("gradio", "fastapi"):
            add(f"demo: rendered {app} app, start to first answer", demo[app]["seconds"], demo["bare"]["seconds"], 1.2)
        for app in ("bare", "gradio", "fastapi"):
            rss = demo[app]["rss"]
            r = f"{rss['median'] / demo['bare']['rss']['median']:.2f}x" if app != "bare" else ""
            ok = "" if app == "bare" else ("yes" if rss["median"] <= 1.2 * demo["bare"]["rss"]["median"] else "NO")
            lines.append(
                f"{'demo: ' + app + ' peak RSS (MiB)':<48} {rss['median']:>9.0f} "
                f"{rss['min']:>8.0f}-{rss['max']:.0f} MiB {r:>7} {'1.2x' if app != 'bare' else '':>7}  {ok}"
            )
    live = results.get("demo_publish")
    if live:
        add("demo MODEL --publish, command to printed answer", live["demo_publish"], live["by_hand"], 1.1)
        add("by hand: copier copy, publish (waits), 1 API call", live["by_hand"], None, None)
        lines.append(
            f"{'demo --publish requests but polls (by hand)':<48} {live['requests']['demo_publish']:>9}  "
            f"by hand: {live['requests']['by_hand']} (runtime polls: {live['runtime_polls']['demo_publish']}, "
            f"by hand {live['runtime_polls']['by_hand']})"
        )
    for size, value in results.get("fleet", {}).items():
        lines.append(
            f"{'fleet-update ' + size + ' repos':<48} {value['seconds']:>8.2f}s "
            f"{value['per_repo']:>10.2f} s/repo  {value['prs']} PRs, {value['requests']} requests, "
            f"exit {value['exit']}"
        )
    scale = results.get("scale", {})
    for size, value in scale.items():
        if size == "outdated_repo_cost":
            continue
        lines.append(
            f"{'fleet-update ' + size + ' repos (90% current)':<48} {value['seconds']:>8.2f}s  "
            f"{value['prs']} PRs for {value['outdated']} outdated, {value['requests']} requests, exit {value['exit']}"
        )
        per_current = value["requests_per_current_repo_max"]
        lines.append(
            f"{'  requests per current repo (max)':<48} {per_current:>9}  target <= 2  "
            f"{'yes' if per_current <= 2 else 'NO'}; bytes: {value['bytes_per_current_repo_max']} "
            f"(the answers file is {value['answers_file_bytes']})"
        )
        lines.append(
            f"{'  bytes per outdated repo (mean, max)':<48} {value['bytes_per_outdated_repo_mean']:>9.0f}  "
            f"max {value['bytes_per_outdated_repo_max']}; requests for the 50 MB weights: {value['weights_requests']}"
        )
        lines.append(
            f"{'  peak RSS: fleet process, whole tree (MiB)':<48} {value['peak_rss_mib_fleet_process']:>9.0f}  "
            f"tree {value['peak_rss_mib_process_tree']:.0f}; temporary folders left: {value['temporary_folders_left']}"
        )
    cost = scale.get("outdated_repo_cost")
    if cost:
        add("bare copier update (same project on disk)", cost["bare_copier_update"], None, None)
        add(
            "fleet-update, per outdated repo (10, 1 worker)",
            cost["fleet_per_outdated_repo"],
            cost["bare_copier_update"],
            1.3,
        )
    adopt = results.get("adopt", {})
    for key, value in adopt.items():
        command, n = key.split()
        name = f"fleet-status {n} repos (10% members)" if command == "status" else f"fleet-adopt --dry-run, {n} workers"
        scope = "" if command == "status" else f" (sample of {value['selected']} of {value['repos']}: "
        scope += "" if command == "status" else f"{value['hand_made']} hand-made, {value['members']} members)"
        lines.append(
            f"{name:<48} {value['seconds']:>8.2f}s {value['seconds_per_hand_made_repo']:>10.3f} s/hand-made repo"
            f"{scope}, {value['requests']} requests, {value['prs']} PRs, exit {value['exit']}"
        )
        lines.append(
            f"{'  requests per hand-made repo (mean, max)':<48} {value['requests_per_hand_made_mean']:>9.2f}  "
            f"max {value['requests_per_hand_made_max']}; per member max {value['requests_per_member_max']}; "
            f"repos with no request of their own (a model with no card): {value['unread_repos']}; "
            f"write requests: {value['write_requests']}"
        )
        lines.append(f"{'  it printed':<48} {value['summary']}")
        never = value["weights_data_or_code_downloads"]
        lines.append(
            f"{'  bytes per repo (mean, max)':<48} {value['bytes_per_repo_mean']:>9.0f}  "
            f"max {value['bytes_per_repo_max']}; "
            f"weights/data/app downloads: {never} (target 0)  {'yes' if never == 0 else 'NO'}"
        )
        lines.append(
            f"{'  peak RSS: fleet process, whole tree (MiB)':<48} {value['peak_rss_mib_fleet_process']:>9.0f}  "
            f"tree {value['peak_rss_mib_process_tree']:.0f}; temporary folders left: {value['temporary_folders_left']}"
        )
        if command == "adopt-dry-run":
            whole = 0.9 * 1000 * value["seconds_per_hand_made_repo"]
            lines.append(
                f"{'  extrapolated to 900 hand-made repos':<48} {whole:>8.0f}s  (extrapolated, not measured: the "
                "sample's s/repo x 900, its fixed start-up counted per repo: an upper bound)"
            )
    statuses = [v for k, v in adopt.items() if k.startswith("status")]
    if len(statuses) > 1:
        small, large = statuses[0], statuses[-1]
        growth = large["peak_rss_mib_fleet_process"] / small["peak_rss_mib_fleet_process"]
        lines.append(
            f"{'fleet-status peak RSS, ' + str(large['repos']) + ' vs ' + str(small['repos']) + ' repos':<48} "
            f"{growth:>8.2f}x  target <= 1.3x (flat)  {'yes' if growth <= 1.3 else 'NO'}"
        )
    for group, value in results.get("suite", {}).items():
        lines.append(f"{'suite ' + group:<48} {value['seconds']:>8.2f}s  {value['summary']}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per measure (median and spread)")
    parser.add_argument("--quick", action="store_true", help="3 runs, fleet of 10 and 50, no suite timing")
    parser.add_argument(
        "--only",
        action="append",
        choices=[
            *("copy", "questions", "update", "remote", "gradio", "demo", "demo_publish", "fleet", "scale", "adopt"),
            "suite",
        ],
    )
    parser.add_argument(
        "--peers",
        type=Path,
        help="a folder holding clones of peer templates (copier-uv, python-project-template): copy measures them too",
    )
    args = parser.parse_args()
    runs = 3 if args.quick else args.runs
    parts = set(
        args.only
        or [
            *("copy", "questions", "update", "remote", "gradio", "demo", "demo_publish", "fleet", "scale", "adopt"),
            "suite",
        ]
    )
    if args.quick:
        parts.discard("suite")
    results: dict[str, Any] = {"machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}
    with tempfile.TemporaryDirectory(prefix="hf-bench-") as tmp:
        work = Path(tmp)
        versions = versions_repo(work)
        trivial = trivial_template(work / "trivial")
        steps = {
            "copy": lambda: bench_copy(work, versions, trivial, runs, args.peers),
            "questions": lambda: count_questions(versions, work / "questions"),
            "update": lambda: bench_update(work, versions, trivial, runs),
            "remote": lambda: bench_remote(work, versions, runs),
            "gradio": lambda: bench_gradio(work, versions, runs),
            "demo": lambda: bench_demo(work, versions, runs),
            "demo_publish": lambda: bench_demo_publish(work, versions, runs),
            "fleet": lambda: bench_fleet(work, versions, [10, 50] if args.quick else [10, 50, 200]),
            "scale": lambda: bench_fleet_scale(work, versions, [100] if args.quick else [100, 1000], runs),
            # fleet-adopt --dry-run renders once per adoptable repo: a sample (repos 0-19 or 0-39) of the largest size.
            "adopt": lambda: bench_adopt(work, versions, [100, 1000], "*-00[01]?" if args.quick else "*-00[0-3]?"),
            "suite": bench_suite,
        }
        for name, step in steps.items():
            if name in parts:
                print(f"... {name}", file=sys.stderr, flush=True)
                results[name] = step()
    table = report(results)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    # Parts run with --only replace their own figures and keep the others'.
    latest = out / "latest.json"
    kept = json.loads(latest.read_text()) if latest.is_file() else {}
    latest.write_text(json.dumps({**kept, **results}, indent=2))
    print(f"\nwrote {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
