"""A file's identity on the Hub, by its content: what publish and fleet-status compare local files with."""

from __future__ import annotations

import hashlib
from typing import Any


def git_blob_id(content: bytes) -> str:
    """git's (and the Hub's) id for a file's content: an identifier, not a security check."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def content_ids(content: bytes) -> tuple[str, str]:
    """The ids the Hub's file tree may give a file: its git blob id, or, for a file kept in LFS, its sha256."""
    return git_blob_id(content), hashlib.sha256(content).hexdigest()


def hub_file_id(entry: Any) -> str:
    """A file of the Hub's tree by its content: an LFS file's `blob_id` is its pointer's, so its sha256."""
    lfs = getattr(entry, "lfs", None)
    return str(lfs.sha256) if lfs else str(entry.blob_id)
