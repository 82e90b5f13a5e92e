"""The test Hub's git side: each repo a bare git repository kept in step with the HTTP commits, served over
git's smart HTTP by git's own CGI (`git http-backend`), so a test fetches, clones and pushes as people do.

As on the Hub, a file the repo's .gitattributes sends to LFS is a pointer in git (the content stays with the
HTTP side), and a repo's git history starts at its first commit. A repo's bare repository is made when it
is first needed (its first commit, or its first git request), so servers that never speak git pay nothing.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import subprocess
import time
from pathlib import Path
from typing import Any

LFS_POINTER_HEAD = b"version https://git-lfs.github.com/spec/v1\n"
GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


def lfs_pointer(content: bytes) -> bytes:
    sha256 = hashlib.sha256(content).hexdigest()
    return LFS_POINTER_HEAD + f"oid sha256:{sha256}\nsize {len(content)}\n".encode()


def pointer_sha256(blob: bytes) -> str | None:
    if not blob.startswith(LFS_POINTER_HEAD) or len(blob) > 300:
        return None
    for line in blob.decode("ascii", "replace").splitlines():
        if line.startswith("oid sha256:"):
            return line.split(":", 1)[1].strip()
    return None


class GitStore:
    """Bare repositories under `root`, one per repo: `{prefix}{namespace}/{name}.git`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {**os.environ, **GIT_ENV, "HOME": str(root)}

    def _git(self, git_dir: Path, *args: str, stdin: bytes | None = None) -> bytes:
        result = subprocess.run(
            ["git", "--git-dir", str(git_dir), *args], input=stdin, capture_output=True, env=self.env, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"git {args[0]}: {result.stderr.decode(errors='replace')}")
        return result.stdout

    def git_dir(self, prefix: str, repo_id: str) -> Path:
        return self.root / f"{prefix}{repo_id}.git"

    def head(self, git_dir: Path) -> str | None:
        result = subprocess.run(
            ["git", "--git-dir", str(git_dir), "rev-parse", "--verify", "-q", "refs/heads/main"],
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )
        return result.stdout.strip() or None

    def ensure(self, git_dir: Path, files: dict[str, bytes], lfs: list[str]) -> bool:
        """Make the bare repository if it is not there; True when it was made (with `files` as its first
        commit, for a repo that held files before it spoke git)."""
        if git_dir.is_dir():
            return False
        git_dir.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["git", "init", "--quiet", "--bare", "--initial-branch=main", str(git_dir)],
            env=self.env,
            check=True,
            capture_output=True,
        )
        if files:
            self.commit(git_dir, files, lfs, "Initial files")
        return True

    def commit(self, git_dir: Path, files: dict[str, bytes], lfs: list[str], message: str) -> str:
        """A commit of exactly `files` on main, after the current head; its id."""
        parent = self.head(git_dir)
        summary = message.encode()
        stream = [
            b"commit refs/heads/main\n",
            b"committer Hub <hub@example.invalid> %d +0000\n" % int(time.time()),
            b"data %d\n%s\n" % (len(summary), summary),
        ]
        if parent:
            stream.append(f"from {parent}\n".encode())
        stream.append(b"deleteall\n")
        for path, content in sorted(files.items()):
            blob = lfs_pointer(content) if is_lfs(path, lfs) else content
            stream.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(blob), blob))
        self._git(git_dir, "fast-import", "--quiet", "--force", stdin=b"".join(stream))
        head = self.head(git_dir)
        assert head, "fast-import made no commit"
        return head

    def read(self, git_dir: Path, known: dict[str, bytes]) -> tuple[str | None, dict[str, bytes], str]:
        """The head commit, its files (an LFS pointer resolved to content the repo holds already) and its
        subject line."""
        head = self.head(git_dir)
        if head is None:
            return None, {}, ""
        listing = self._git(git_dir, "ls-tree", "-r", "-z", head).split(b"\0")
        by_sha256 = {hashlib.sha256(content).hexdigest(): content for content in known.values()}
        files = {}
        for entry in filter(None, listing):
            meta, path = entry.split(b"\t", 1)
            blob = self._git(git_dir, "cat-file", "blob", meta.split()[2].decode())
            sha256 = pointer_sha256(blob)
            files[path.decode()] = by_sha256.get(sha256, blob) if sha256 else blob
        subject = self._git(git_dir, "log", "-1", "--format=%s", head).decode().strip()
        return head, files, subject

    def serve(
        self, git_dir: Path, method: str, service: str, query: str, headers: Any, body: bytes, user: str | None
    ) -> tuple[int, dict[str, str], bytes]:
        """One smart-HTTP request through `git http-backend`: (status, headers, body)."""
        env = {
            **self.env,
            "GIT_PROJECT_ROOT": str(self.root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": f"/{git_dir.relative_to(self.root).as_posix()}/{service}",
            "REQUEST_METHOD": method,
            "QUERY_STRING": query,
            "CONTENT_TYPE": headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_ADDR": "127.0.0.1",
        }
        if headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = headers["Content-Encoding"]
        if user:
            env["REMOTE_USER"] = user  # http-backend serves receive-pack to an authenticated user only
        result = subprocess.run(
            ["git", "http-backend"], input=body, capture_output=True, env=env, check=False, timeout=120
        )
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = result.stdout.partition(b"\n\n")
        status, answer = 200, {}
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                answer[name.strip()] = value.strip()
        if result.returncode != 0 and not result.stdout:
            return 500, {"Content-Type": "text/plain"}, result.stderr
        return status, answer, payload


def is_lfs(path: str, patterns: list[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(name, pattern) or fnmatch.fnmatch(path, pattern) for pattern in patterns)
