"""A small Hugging Face Hub test server on 127.0.0.1, for the real `huggingface_hub` client.

It speaks the routes the client uses to create, upload, list, download and open pull
requests (shapes from shared/reference/hub-client.md), keeps repos in memory, logs every
request, and injects faults per endpoint: an HTTP status or a dropped connection, for the
next N requests or for all of them.

A Space's runtime stage is scripted (`Repo.stages`), or, with `HubServer(run_spaces=True)`, its app
runs for real: each commit starts the committed files' app on loopback (tests/space_runner.py), and
the runtime stage, the run log and the Space's `host` follow the process.

Each repo is also a git repository, served over git's smart HTTP at the repo's URL (tests/hub_git.py): the
HTTP commits are its history, and a `git push` there is a commit the API then shows.
"""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import json
import re
import shutil
import socket
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from hub_git import GitStore
from space_runner import SpaceRunner

TYPE_PREFIX = {"model": "", "dataset": "datasets/", "space": "spaces/"}
PLURAL = {"models": "model", "datasets": "dataset", "spaces": "space"}
PAID_SDKS = {"gradio", "docker", "streamlit"}


def git_blob_id(content: bytes) -> str:
    """The id git (and the Hub) gives a file's content."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def lfs_patterns(repo: Repo) -> list[str]:
    """The patterns the repo's .gitattributes sends to LFS, as the Hub reads them."""
    text = repo.files.get(".gitattributes", b"").decode("utf-8", "replace")
    return [line.split()[0] for line in text.splitlines() if "filter=lfs" in line and not line.startswith("#")]


def tree_entry(repo: Repo, path: str, content: bytes) -> dict[str, Any]:
    """A file as the Hub's tree lists it: an LFS file's oid is its pointer's blob, with `lfs` beside it."""
    name = path.rsplit("/", 1)[-1]
    if not any(fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern) for pattern in lfs_patterns(repo)):
        return {"type": "file", "path": path, "size": len(content), "oid": git_blob_id(content)}
    sha256 = hashlib.sha256(content).hexdigest()
    pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256}\nsize {len(content)}\n".encode()
    return {
        "type": "file",
        "path": path,
        "size": len(content),
        "oid": git_blob_id(pointer),
        "lfs": {"oid": sha256, "size": len(content), "pointerSize": len(pointer)},
    }


@dataclass
class Repo:
    repo_type: str
    repo_id: str
    private: bool
    sdk: str | None
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[dict[str, Any]] = field(default_factory=list)
    pulls: list[dict[str, Any]] = field(default_factory=list)
    sha: str = field(default_factory=lambda: uuid.uuid4().hex + "00000000")
    stage: str = "RUNNING"  # a Space's runtime stage (GET /api/spaces/{id}/runtime)
    stages: list[str] = field(default_factory=list)  # a script: each runtime request takes the next stage
    error_message: str = ""
    logs: dict[str, list[str]] = field(default_factory=dict)  # "build" / "run" -> lines
    # A model's facts as GET /api/models/{id} names them (cardData, pipeline_tag, library_name, safetensors,
    # gated, inferenceProviderMapping): HubServer.seed's keyword arguments.
    facts: dict[str, Any] = field(default_factory=dict)
    # A Space's secrets and variables as the creation request set them (the app's environment, run_spaces).
    settings: dict[str, str] = field(default_factory=dict)
    host: str | None = None  # where the Space's app answers, when a test serves it itself (else its hf.space host)
    # Its last commit's time, as listings name it (lastModified): when it was seeded, unless a test sets it.
    last_modified: str = field(default_factory=lambda: time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()))


@dataclass
class Fault:
    mode: str  # an HTTP status as text ("500") or "drop"
    remaining: int | None  # None: every request
    retry_after: str | None = "0"


@dataclass
class LoggedRequest:
    method: str
    path: str
    endpoint: str
    status: int
    authorization: str | None
    body: bytes


class HubState:
    def __init__(self, token: str, user: str, orgs: list[str], free_account: bool) -> None:
        self.token = token
        self.user = user
        self.orgs = orgs
        self.free_account = free_account
        self.list_siblings = True  # False: listings carry no file names, as some Hub answers do
        self.card_warnings: list[str] = []  # what POST /api/validate-yaml warns about an accepted card
        self.repos: dict[tuple[str, str], Repo] = {}
        self.faults: dict[str, Fault] = {}
        self.log: list[LoggedRequest] = []
        self.lock = threading.Lock()
        self.runner: SpaceRunner | None = None  # run_spaces: committed Spaces' apps run for real
        self.git = GitStore(Path(tempfile.mkdtemp(prefix="hub-git-")))  # each repo's git side

    def take_fault(self, endpoint: str) -> Fault | None:
        with self.lock:
            fault = self.faults.get(endpoint)
            if fault is None:
                return None
            if fault.remaining is not None:
                fault.remaining -= 1
                if fault.remaining <= 0:
                    del self.faults[endpoint]
            return fault


class HubServer:
    """Start with `with HubServer(token=...) as hub:`; point HF_ENDPOINT at `hub.url`."""

    def __init__(
        self,
        token: str,
        user: str = "fakeuser",
        orgs: list[str] | None = None,
        free_account: bool = False,
        *,
        run_spaces: bool = False,
    ) -> None:
        self.state = HubState(token, user, orgs or ["fakeorg"], free_account)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        handler.base_url = self.url
        if run_spaces:
            self.state.runner = SpaceRunner(self.url)
        # shutdown() waits for serve_forever's next look at its flag: every 20 ms, not the default 500 ms.
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)

    def __enter__(self) -> HubServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        shutil.rmtree(self.state.git.root, ignore_errors=True)
        if self.state.runner is not None:
            self.state.runner.stop_all()

    # --- test helpers -------------------------------------------------------------
    def fail(self, endpoint: str, mode: str | int, times: int | None = None, retry_after: str | None = "0") -> None:
        """Make `endpoint` (or `endpoint@namespace/name`, for one repo) answer `mode` (a status, or
        "drop") `times` times (None: always)."""
        self.state.faults[endpoint] = Fault(str(mode), times, retry_after)

    def heal(self) -> None:
        self.state.faults.clear()

    @property
    def requests(self) -> list[LoggedRequest]:
        return list(self.state.log)

    def calls(self) -> list[str]:
        return [f"{r.method} {r.endpoint}" for r in self.state.log]

    def clear_log(self) -> None:
        self.state.log.clear()

    def repo(self, repo_type: str, repo_id: str) -> Repo | None:
        return self.state.repos.get((repo_type, repo_id))

    @property
    def runner(self) -> SpaceRunner:
        """The Spaces' apps (run_spaces=True); `hub.runner.env` adds to every app's environment."""
        assert self.state.runner is not None, "HubServer(run_spaces=True) runs Spaces"
        return self.state.runner

    def seed(
        self,
        repo_type: str,
        repo_id: str,
        files: dict[str, bytes],
        sdk: str | None = None,
        private: bool = False,
        *,
        card_data: dict[str, Any] | None = None,
        pipeline_tag: str | None = None,
        library_name: str | None = None,
        parameters: int | None = None,
        gated: str | bool | None = None,
        providers: dict[str, str] | None = None,
    ) -> Repo:
        """A repo holding `files`. A model may also carry what the Hub reads from its card and files: card
        data, task, library, its safetensors parameter count, its gating ("auto"/"manual") and the inference
        providers serving it ({provider: task}, live), answered in model_info's JSON field names."""
        repo = Repo(repo_type, repo_id, private, sdk, dict(files))
        facts: dict[str, Any] = {
            "cardData": card_data,
            "pipeline_tag": pipeline_tag,
            "library_name": library_name,
            "safetensors": {"parameters": {"F32": parameters}, "total": parameters} if parameters else None,
            "gated": gated,
            "inferenceProviderMapping": {
                provider: {"status": "live", "providerId": f"{provider}/{repo_id}", "task": task}
                for provider, task in (providers or {}).items()
            }
            if providers is not None
            else None,
        }
        repo.facts = {key: value for key, value in facts.items() if value is not None}
        self.state.repos[(repo_type, repo_id)] = repo
        return repo


class _Handler(BaseHTTPRequestHandler):
    state: HubState
    base_url: str
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # http.server writes headers and body separately: without this, Nagle plus
        # delayed ACKs stall keep-alive connections (hub-client.md §6).
        self.request.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass

    # --- plumbing -------------------------------------------------------------------
    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":  # git sends a large push so
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(
        self, status: int, payload: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None
    ) -> None:
        body = raw if raw is not None else json.dumps(payload if payload is not None else {}).encode()
        self._status = status
        self._log()  # before the answer leaves: a client that has it finds its request in the log
        self.send_response(status)
        if "Content-Type" not in (headers or {}):
            self.send_header("Content-Type", "application/json" if raw is None else "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _log(self) -> None:
        """Log this request once, with its status so far."""
        if self._unlogged is not None:
            method, raw_path, endpoint, body = self._unlogged
            self._unlogged = None
            authorization = self.headers.get("authorization")
            self.state.log.append(LoggedRequest(method, raw_path, endpoint, self._status, authorization, body))

    def _error(self, status: int, message: str, code: str | None = None) -> None:
        headers = {"X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        self._send(status, {"error": message}, headers)

    def _authorized(self) -> bool:
        return self.headers.get("authorization") == f"Bearer {self.state.token}"

    # What the Hub answers without any token: reading a public repo (its info, files, runtime, PRs) and
    # listing. A wrong token is still refused; logs, writes and private repos need the right one.
    ANONYMOUS_READS = frozenset({"info", "tree", "resolve", "runtime", "list", "discussions"})

    def _anonymous_read(self, method: str, endpoint: str, args: tuple[Any, ...]) -> bool:
        if self.headers.get("authorization") is not None or method not in ("GET", "HEAD"):
            return False
        if endpoint not in self.ANONYMOUS_READS:
            return False
        if endpoint == "list":
            return True
        if endpoint == "resolve":
            plural = {"datasets/": "datasets", "spaces/": "spaces", None: "models"}[args[0]]
            repo = self.state.repos.get((PLURAL[plural], args[1]))
        else:
            repo = self.state.repos.get((PLURAL[args[0]], args[1]))
        return repo is not None and not repo.private

    def _can_write(self, namespace: str) -> bool:
        return namespace == self.state.user or namespace in self.state.orgs

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def _dispatch(self, method: str) -> None:
        raw_path = urlsplit(self.path).path
        query = parse_qs(urlsplit(self.path).query)
        body = self._body() if method == "POST" else b""
        endpoint, handler, args = self._route(method, raw_path)
        self._status = 0
        self._unlogged: tuple[str, str, str, bytes] | None = (method, raw_path, endpoint, body)
        repo_id = args[1] if len(args) > 1 else None  # every repo route captures (type, repo_id, ...)
        fault = (repo_id and self.state.take_fault(f"{endpoint}@{repo_id}")) or self.state.take_fault(endpoint)
        try:
            if fault and fault.mode == "drop":
                self.close_connection = True
                self.request.shutdown(socket.SHUT_RDWR)
                self._status = -1
            elif fault:
                status = int(fault.mode)
                headers = {"Retry-After": fault.retry_after} if status == 429 and fault.retry_after else {}
                self._send(status, {"error": f"injected {status}", "url": self._injected_url(endpoint, body)}, headers)
            elif handler is None:
                self._error(404, f"no route for {method} {raw_path}")
            elif endpoint.startswith("git-"):  # git's own authentication: Basic, with the token as password
                handler(body, query, *args)
            elif endpoint != "validate" and not self._authorized() and not self._anonymous_read(method, endpoint, args):
                self._error(401, "Invalid credentials in Authorization header")
            else:
                handler(body, query, *args)
        finally:
            self._log()  # a dropped connection, or an answer git's own handler wrote

    def _injected_url(self, endpoint: str, body: bytes) -> str:
        if endpoint == "create" and body:
            data = json.loads(body)
            return self._repo_url(data.get("type", "model"), f"{data.get('organization')}/{data['name']}")
        return self.base_url

    def _route(self, method: str, path: str) -> tuple[str, Any, tuple[Any, ...]]:
        repo = r"/api/(models|datasets|spaces)/([^/]+/[^/]+)"
        table: list[tuple[str, str, str, Any]] = [
            ("GET", r"/api/whoami-v2", "whoami", self._whoami),
            ("POST", r"/api/repos/create", "create", self._create),
            ("POST", r"/api/validate-yaml", "validate", self._validate),
            ("POST", repo + r"/preupload/(.+)", "preupload", self._preupload),
            ("POST", repo + r"/commit/(.+)", "commit", self._commit),
            ("GET", repo + r"/tree/([^/]+)(?:/.*)?", "tree", self._tree),
            ("GET", repo + r"/runtime", "runtime", self._runtime),
            ("GET", repo + r"/logs/(build|run)", "logs", self._logs),
            ("GET", repo + r"/revision/(.+)", "info", self._info),
            ("GET", repo, "info", self._info),
            ("GET", r"/api/(models|datasets|spaces)", "list", self._list),
            ("GET", repo + r"/discussions", "discussions", self._discussions),
            ("POST", r"/inference/([^/]+)(?:/v1/chat/completions)?", "inference", self._inference),
        ]
        for verb, pattern, endpoint, handler in table:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return endpoint, handler, tuple(unquote(g) if g else g for g in match.groups())
        git = re.fullmatch(
            r"/(datasets/|spaces/)?([^/]+/[^/]+?)(?:[.]git)?/(info/refs|git-upload-pack|git-receive-pack)", path
        )
        if git and (method, git.group(3)) in (
            ("GET", "info/refs"),
            ("POST", "git-upload-pack"),
            ("POST", "git-receive-pack"),
        ):
            return "git-" + git.group(3).replace("info/refs", "refs").removeprefix("git-"), self._git, git.groups()
        resolve = re.fullmatch(r"/(datasets/|spaces/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if resolve and method in ("GET", "HEAD"):
            return "resolve", self._resolve, resolve.groups()
        return "unknown", None, ()

    def _repo_url(self, repo_type: str, repo_id: str) -> str:
        return f"{self.base_url}/{TYPE_PREFIX[repo_type]}{repo_id}"

    def _find(self, plural: str, repo_id: str) -> Repo | None:
        repo = self.state.repos.get((PLURAL[plural], repo_id))
        if repo is None:
            self._error(404, "Repository not found", "RepoNotFound")
        return repo

    def _writable(self, plural: str, repo_id: str) -> Repo | None:
        """The repo, if it exists and the token may write to its namespace (else the error is sent)."""
        repo = self._find(plural, repo_id)
        if repo is not None and not self._can_write(repo_id.split("/")[0]):
            self._error(403, "Forbidden")
            return None
        return repo

    # --- routes ------------------------------------------------------------------------
    def _whoami(self, body: bytes, query: dict[str, list[str]]) -> None:
        self._send(
            200,
            {
                "type": "user",
                "name": self.state.user,
                "orgs": [{"name": org} for org in self.state.orgs],
                "auth": {"type": "access_token", "accessToken": {"role": "write"}},
            },
        )

    def _create(self, body: bytes, query: dict[str, list[str]]) -> None:
        data = json.loads(body)
        repo_type = data.get("type") or "model"
        namespace = data.get("organization") or self.state.user
        repo_id = f"{namespace}/{data['name']}"
        if not self._can_write(namespace):
            self._error(403, f"You don't have the rights to create a repo under {namespace}")
            return
        if (repo_type, repo_id) in self.state.repos:
            self._send(409, {"error": "You already created this repo", "url": self._repo_url(repo_type, repo_id)})
            return
        sdk = data.get("sdk")
        if repo_type == "space" and self.state.free_account and sdk in PAID_SDKS:
            self._error(402, "Creating a Gradio or Docker Space requires a PRO, Team or Enterprise plan")
            return
        visibility = data.get("visibility")
        private = bool(data.get("private")) or visibility == "private"
        repo = Repo(repo_type, repo_id, private, sdk)
        for item in [*(data.get("secrets") or []), *(data.get("variables") or [])]:
            repo.settings[str(item["key"])] = str(item["value"])
        self.state.repos[(repo_type, repo_id)] = repo
        self._send(200, {"url": self._repo_url(repo_type, repo_id), "name": repo_id})

    def _validate(self, body: bytes, query: dict[str, list[str]]) -> None:
        data = json.loads(body)
        content = data.get("content", "")
        match = re.match(r"^\s*---\r?\n([\s\S]*?)\r?\n---", content)
        if match:
            import yaml

            try:
                meta = yaml.safe_load(match.group(1))
            except yaml.YAMLError as exc:
                self._send(400, {"error": f"Invalid YAML: {exc}"})
                return
            if meta is not None and not isinstance(meta, dict):
                self._send(400, {"error": "YAML metadata must be a mapping"})
                return
        self._send(200, {"errors": [], "warnings": [{"message": text} for text in self.state.card_warnings]})

    def _preupload(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str, rev: str) -> None:
        repo = self._writable(plural, repo_id)
        if repo is None:
            return
        files = json.loads(body)["files"]
        answer = []
        for item in files:
            entry = {"path": item["path"], "uploadMode": "regular", "shouldIgnore": False}
            if item["path"] in repo.files:
                entry["oid"] = git_blob_id(repo.files[item["path"]])
            answer.append(entry)
        self._send(200, {"files": answer, "commitOid": repo.sha})

    def _commit(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str, rev: str) -> None:
        repo = self._writable(plural, repo_id)
        if repo is None:
            return
        header: dict[str, Any] = {}
        changes: dict[str, bytes | None] = {}
        for line in body.decode().splitlines():
            item = json.loads(line)
            if item["key"] == "header":
                header = item["value"]
            elif item["key"] == "file":
                changes[item["value"]["path"]] = base64.b64decode(item["value"]["content"])
            elif item["key"] == "deletedFile":
                changes[item["value"]["path"]] = None
            else:
                self._send(400, {"error": f"the test server does not store {item['key']}"})
                return
        sha = uuid.uuid4().hex + "00000000"  # a pull request's; a commit on main gets its git commit's id
        commit = {"oid": sha, "summary": header.get("summary"), "changes": changes, "revision": rev}
        url = self._repo_url(repo.repo_type, repo_id)
        if query.get("create_pr"):
            num = len(repo.pulls) + 1
            repo.pulls.append(
                {
                    "num": num,
                    "title": header.get("summary"),
                    "status": "open",
                    "commit": commit,
                    "description": header.get("description", ""),
                }
            )
            self._send(
                200,
                {"commitUrl": f"{url}/commit/{sha}", "commitOid": sha, "pullRequestUrl": f"{url}/discussions/{num}"},
            )
            return
        git_dir = self._git_dir(repo)
        for path, content in changes.items():
            if content is None:
                repo.files.pop(path, None)
            else:
                repo.files[path] = content
        sha = commit["oid"] = self.state.git.commit(
            git_dir, repo.files, lfs_patterns(repo), header.get("summary") or ""
        )
        repo.sha = sha
        repo.commits.append(commit)
        if self.state.runner is not None and repo.repo_type == "space":
            self.state.runner.start(repo_id, dict(repo.files), repo.sdk, repo.settings)
        self._send(200, {"commitUrl": f"{url}/commit/{sha}", "commitOid": sha})

    def _git_dir(self, repo: Repo) -> Path:
        """The repo's bare git repository, made at its first use (from the files it holds by then)."""
        git_dir = self.state.git.git_dir(TYPE_PREFIX[repo.repo_type], repo.repo_id)
        if self.state.git.ensure(git_dir, repo.files, lfs_patterns(repo)) and repo.files:
            repo.sha = self.state.git.head(git_dir) or repo.sha
        return git_dir

    def _git_user(self) -> str | None:
        """Who a git request comes from: the token as a bearer, or as the password of Basic authentication."""
        authorization = self.headers.get("authorization") or ""
        if authorization == f"Bearer {self.state.token}":
            return self.state.user
        if authorization.startswith("Basic "):
            try:
                name, _, password = base64.b64decode(authorization[6:]).decode().partition(":")
            except ValueError:
                return None
            return (name or self.state.user) if password == self.state.token else None
        return None

    def _git(self, body: bytes, query: dict[str, list[str]], prefix: str | None, repo_id: str, service: str) -> None:
        """git's smart HTTP (fetch, clone, push) at the repo's URL, through `git http-backend`. Reading a public
        repo needs no token; a private one, and any push, need the token (a 401 asks git for it)."""
        plural = {"datasets/": "datasets", "spaces/": "spaces"}.get(prefix or "", "models")
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        pushing = service == "git-receive-pack" or query.get("service") == ["git-receive-pack"]
        user = self._git_user()
        if user is None and (pushing or repo.private or self.headers.get("authorization")):
            self._send(
                401,
                raw=b"Invalid credentials\n",
                headers={"WWW-Authenticate": 'Basic realm="Hugging Face"', "Content-Type": "text/plain"},
            )
            return
        if pushing and not self._can_write(repo_id.split("/")[0]):
            self._error(403, "Forbidden")
            return
        git_dir = self._git_dir(repo)
        before = self.state.git.head(git_dir)
        status, headers, payload = self.state.git.serve(
            git_dir, self.command, service, urlsplit(self.path).query, self.headers, body, user
        )
        if service == "git-receive-pack" and self.state.git.head(git_dir) != before:
            self._take_push(repo, git_dir)
        self._send(status, raw=payload, headers=headers)

    def _take_push(self, repo: Repo, git_dir: Path) -> None:
        """A push is a commit like any other: the files, the head and the commit list follow it."""
        head, files, subject = self.state.git.read(git_dir, repo.files)
        changes: dict[str, bytes | None] = {p: c for p, c in files.items() if repo.files.get(p) != c}
        changes.update({p: None for p in repo.files if p not in files})
        repo.files = files
        repo.sha = head or repo.sha
        repo.commits.append({"oid": repo.sha, "summary": subject, "changes": changes, "revision": "main"})
        if self.state.runner is not None and repo.repo_type == "space":
            self.state.runner.start(repo.repo_id, dict(repo.files), repo.sdk, repo.settings)

    def _tree(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str, rev: str) -> None:
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        self._send(200, [tree_entry(repo, path, content) for path, content in sorted(repo.files.items())])

    def _runtime(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str) -> None:
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        app = self.state.runner.app(repo_id) if self.state.runner else None
        if repo.stages:
            repo.stage = repo.stages.pop(0)
        elif app is not None:
            repo.stage, repo.error_message = app.stage(), app.error_message()
        self._send(200, self._runtime_payload(repo))

    def _runtime_payload(self, repo: Repo) -> dict[str, Any]:
        payload: dict[str, Any] = {"stage": repo.stage, "hardware": {"current": "cpu-basic", "requested": "cpu-basic"}}
        if repo.error_message:
            payload["errorMessage"] = repo.error_message
        return payload

    def _logs(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str, kind: str) -> None:
        """Server-sent events, as the Hub streams a Space's build or run log (timestamps in the past)."""
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        app = self.state.runner.app(repo_id) if self.state.runner else None
        lines = repo.logs.get(kind, [])
        if app is not None and not repo.logs:
            lines = app.build_log() if kind == "build" else app.run_log()
        events = [
            f"data: {json.dumps({'data': line + chr(10), 'timestamp': '2026-01-01T00:00:00.000Z'})}\n\n"
            for line in lines
        ]
        self._send(200, raw="".join(events).encode(), headers={"Content-Type": "text/event-stream"})

    def _info(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str, rev: str = "main") -> None:
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        payload = self._info_payload(repo)
        if query.get("blobs"):  # files_metadata=True: each file's size, blob id and LFS details
            payload["siblings"] = [
                {"rfilename": path, "size": entry["size"], "blobId": entry["oid"]}
                | (
                    {
                        "lfs": {
                            "size": entry["lfs"]["size"],
                            "sha256": entry["lfs"]["oid"],
                            "pointerSize": entry["lfs"]["pointerSize"],
                        }
                    }
                    if "lfs" in entry
                    else {}
                )
                for path, entry in ((p, tree_entry(repo, p, c)) for p, c in sorted(repo.files.items()))
            ]
        if query.get("expand"):  # only what was asked for, beside the id (as the Hub answers)
            wanted = set(query["expand"])
            payload = {key: value for key, value in payload.items() if key == "id" or key in wanted}
        self._send(200, payload)

    def _info_payload(self, repo: Repo) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "id": repo.repo_id,
            "sha": repo.sha,
            "private": repo.private,
            "siblings": [{"rfilename": path} for path in sorted(repo.files)],
        }
        if repo.sdk:
            payload["sdk"] = repo.sdk
        if repo.repo_type == "space":  # where the Space's app answers, as gradio_client finds it (space_info.host)
            subdomain = re.sub(r"[^a-z0-9]+", "-", repo.repo_id.lower()).strip("-")
            app = self.state.runner.app(repo.repo_id) if self.state.runner else None
            payload["subdomain"] = subdomain
            payload["host"] = repo.host or (app.url if app is not None else f"https://{subdomain}.hf.space")
        payload.update(repo.facts)
        return payload

    def _list(self, body: bytes, query: dict[str, list[str]], plural: str) -> None:
        author = (query.get("author") or [None])[0]
        kind = PLURAL[plural]
        items = [
            self._info_payload(repo)
            for (rtype, rid), repo in sorted(self.state.repos.items())
            if rtype == kind
            and (author is None or rid.split("/")[0] == author)
            and (self._authorized() or not repo.private)
        ]
        if not self.state.list_siblings:
            for item in items:
                item.pop("siblings")
        if query.get("expand"):  # only what was asked for, beside the id; a Space's runtime too (as the Hub answers)
            wanted = set(query["expand"])
            for item in items:
                repo = self.state.repos[(kind, item["id"])]
                extra = {"lastModified": repo.last_modified}
                if kind == "space":  # the stage as it stands (a scripted `stages` list is not advanced)
                    extra["runtime"] = self._runtime_payload(repo)
                item.update({key: value for key, value in extra.items() if key in wanted})
                for key in [key for key in item if key != "id" and key not in wanted]:
                    del item[key]
        self._send(200, items)

    def _discussions(self, body: bytes, query: dict[str, list[str]], plural: str, repo_id: str) -> None:
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        items = [
            {
                "num": pr["num"],
                "title": pr["title"],
                "status": pr["status"],
                "isPullRequest": True,
                "createdAt": "2026-01-01T00:00:00.000Z",
                "author": {"name": pr.get("author", self.state.user)},
                "repo": {"name": repo.repo_id, "type": repo.repo_type},
            }
            for pr in repo.pulls
            if query.get("author", [None])[0] in (None, pr.get("author", self.state.user))
        ]
        self._send(200, {"discussions": items, "count": len(items), "start": 0, "numClosedDiscussions": 0})

    def _inference(self, body: bytes, query: dict[str, list[str]], task: str) -> None:
        """A stand-in for an inference route (an Inference Endpoint's URL, as `InferenceClient(model=URL)` calls
        it): a fixed answer of the task's shape."""
        labels = [{"label": "POSITIVE", "score": 0.75}, {"label": "NEGATIVE", "score": 0.25}]
        answers: dict[str, Any] = {
            "text-classification": [labels],  # the hf-inference route nests it once
            "image-classification": labels,
            "token-classification": [{"entity_group": "PER", "word": "I", "start": 0, "end": 1, "score": 0.9}],
            "summarization": [{"summary_text": "a summary from the stand-in"}],
            "translation": [{"translation_text": "a translation from the stand-in"}],
            "automatic-speech-recognition": {"text": "a transcript from the stand-in"},
            "feature-extraction": [[0.5, 0.25, 0.125]],
            "sentence-similarity": [[0.5, 0.25, 0.125]],
            "fill-mask": [{"score": 0.5, "token": 7, "token_str": "demo", "sequence": "i love this demo"}],
            "zero-shot-classification": [{"label": "praise", "score": 0.75}, {"label": "complaint", "score": 0.25}],
            "question-answering": {"answer": "London", "score": 0.9, "start": 29, "end": 35},
            "image-to-text": [{"generated_text": "a caption from the stand-in"}],
            "object-detection": [{"label": "cat", "score": 0.9, "box": {"xmin": 2, "ymin": 3, "xmax": 40, "ymax": 30}}],
            "text-generation": {
                "id": "stand-in",
                "object": "chat.completion",
                "created": 0,
                "model": "dummy",
                "choices": [
                    {
                        "index": 0,
                        "finish_reason": "stop",
                        "message": {"role": "assistant", "content": "a reply from the stand-in"},
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
        }
        if task == "text-to-image":  # the image's bytes, as a provider answers
            from hf_hub_template.live_answer import png_bytes

            self._send(200, raw=png_bytes(32, 32), headers={"Content-Type": "image/png"})
            return
        if task not in answers:
            self._error(404, f"no stand-in for {task}")
            return
        self._send(200, answers[task])

    def _resolve(
        self, body: bytes, query: dict[str, list[str]], prefix: str | None, repo_id: str, rev: str, path: str
    ) -> None:
        plural = {"datasets/": "datasets", "spaces/": "spaces"}.get(prefix or "", "models")
        repo = self._find(plural, repo_id)
        if repo is None:
            return
        if repo.facts.get("gated") and not self._authorized():  # the info is public; the files need access
            self._error(401, f"Access to model {repo_id} is restricted: you must be authenticated.", "GatedRepo")
            return
        content = repo.files.get(unquote(path))
        if content is None:
            self._error(404, "Entry not found", "EntryNotFound")
            return
        self._send(200, raw=content, headers={"X-Repo-Commit": repo.sha, "ETag": f'"{git_blob_id(content)}"'})
