"""Which template a project was made from, and whether it is the one the operator trusts.

`copier update --trust` runs the `_tasks`, `_migrations` and Jinja extensions of the template
named by the project's own `.copier-answers.yml` (`_src_path`). A repo anyone can push to may
name any template there, so the commands that update repos they did not write check that
source against the template the operator chose before anything is rendered.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from hf_hub_template.resources import CHECKOUT_ROOT, running_from_checkout

DISTRIBUTION = "hf-hub-template"
# Copier's own shortcuts (copier/vcs.py): `gh:` and `gl:` are GitHub and GitLab.
SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
# git's scp-like form, `[user@]host:path` (no scheme, no `//`): ssh to host. The user is a plain name.
SCP_LIKE = re.compile(r"(?:(?P<user>[A-Za-z0-9._-]+)@)?(?P<host>[A-Za-z0-9.-]+):(?!//)(?P<path>[^:]+)")
SCHEMES = {"https": 443, "http": 80, "ssh": 22, "git": 9418}  # what git fetches over, and their default ports
HOST = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\]")
# Control characters, whitespace and the characters git or a shell would read as something else.
UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f\\]")


# What the Copier subprocess may see of the operator's environment. It renders a clone of the template on
# this disk, so it needs no network settings either: no proxy, no ssh agent (a credential), no token.
PASSED_TO_COPIER = ("PATH", "USER", "LOGNAME", "LANG", "LANGUAGE", "TERM", "TMPDIR", "TEMP", "TMP", "SYSTEMROOT")


MAX_SOURCE = 1000  # characters: a URL or a path, never a document


class SourceError(ValueError):
    """A template source this tool refuses to trust in any spelling: it is never compared, never fetched."""


def expand_shortcut(source: str) -> str:
    """`gh:org/t` -> `https://github.com/org/t` (likewise `gl:`); any other source as it is."""
    for short, prefix in SHORTCUTS.items():
        if source.startswith(short):
            return prefix + source[len(short) :]
    return source


def normalise(source: object, base: Path | None = None) -> str:
    """The one place a template source is read: what git would fetch, as `scheme://host[:port]/path` or
    `file:///absolute/path`. Raises SourceError for any spelling that is not plainly one repository.

    Decided on what git will fetch, parsed as `urllib.parse` and git parse it: user info (but a plain ssh
    user), query, fragment, control characters, backslashes and `~user` are refused outright; a URL's
    host is case-folded, its default port dropped, a trailing `/` and `.git` dropped. The ssh forms of a
    forge (`git@host:org/t.git`, `ssh://git@host/org/t`) fetch the same repository as its https form, so
    they are written as https; a port given explicitly keeps the scheme it was given with. `gh:`/`gl:`
    are expanded as Copier expands them; a local path (or `file://` URL) is its resolved absolute path,
    relative ones taken from `base`. Empty is "".
    """
    text = str(source) if isinstance(source, (str, Path)) else ""
    if not text.strip():
        return ""
    if len(text) > MAX_SOURCE:
        raise SourceError(f"{text[:60]!r}…: a template source of {len(text)} characters is refused")
    if text != text.strip() or UNSAFE.search(text) or text.startswith("-"):
        raise SourceError(f"{text!r}: a template source with spaces, control characters or a leading - is refused")
    text = expand_shortcut(text.removeprefix("git+"))
    if text.lower().startswith("file:"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment or "?" in text or "#" in text:
            raise SourceError(f"{text!r}: a file URL names a folder on this machine, nothing else")
        return _local(unquote(parts.path), base)
    if "://" in text:
        return _url(text)
    scp = SCP_LIKE.fullmatch(text)
    if scp and "/" not in text.split(":", 1)[0] and not _exists(text):
        return _url(f"ssh://{scp['host']}/{scp['path'].lstrip('/')}")
    return _local(text, base)


def _exists(path: str) -> bool:
    try:
        return Path(path).exists()
    except (OSError, ValueError):  # a name too long for this file system, or a NUL: no such folder
        return False


def _url(text: str) -> str:
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as err:
        raise SourceError(f"{text!r}: not a URL git and this tool read alike ({err})") from None
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    if scheme not in SCHEMES:
        raise SourceError(f"{text!r}: fetched over {scheme or 'nothing'}; only {', '.join(SCHEMES)} are accepted")
    if parts.password is not None or (parts.username is not None and scheme != "ssh"):
        raise SourceError(f"{text!r}: user info in a template URL is refused (it can hide the real host)")
    if parts.username is not None and not re.fullmatch(r"[A-Za-z0-9._-]+", parts.username):
        raise SourceError(f"{text!r}: an ssh user is a plain name")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise SourceError(f"{text!r}: a query or fragment in a template URL is refused (it can hide the real host)")
    if not HOST.fullmatch(host) or "%" in text:
        raise SourceError(f"{text!r}: {host or 'no host'} is not a plain host name")
    path = posixpath.normpath(parts.path or "/")
    if "//" in parts.path or path != (parts.path.rstrip("/") or "/") or path in ("/", "."):
        raise SourceError(f"{text!r}: the path must be plain (no //, . or .. segments) and name a repository")
    path = path.removesuffix(".git").rstrip("/")
    if port is not None and port != SCHEMES[scheme]:
        return f"{scheme}://{host}:{port}{path}"
    return f"{'https' if scheme == 'ssh' else scheme}://{host}{path}"


def _local(path: str, base: Path | None) -> str:
    if path.startswith("~") and not (path == "~" or path.startswith("~/")):
        raise SourceError(f"{path!r}: another user's home folder (~user) is refused")
    folder = Path(path).expanduser()
    if not folder.is_absolute():
        folder = (base or Path.cwd()) / folder
    return "file://" + str(folder.resolve())


def same_template(source: object, trusted: str, base: Path | None = None) -> bool:
    """Does `source` (a project's `_src_path`) name the `trusted` template? A refused spelling never does."""
    try:
        recorded = normalise(source, base)
        return bool(recorded) and recorded == normalise(trusted)
    except (SourceError, OSError, RuntimeError):  # refused, or a path this machine cannot even look at
        return False


def installed_template() -> str | None:
    """The template this tool came from: this checkout, or the URL it was installed from.

    `uvx --from git+URL hf-hub-template` and `pip install git+URL` record URL in the
    distribution's `direct_url.json` (PEP 610). A wheel from an index records nothing: None.
    """
    if running_from_checkout():
        return str(CHECKOUT_ROOT)
    try:
        recorded = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    if not recorded:
        return None
    url = json.loads(recorded).get("url")
    if isinstance(url, str) and url.startswith("file://"):  # a folder on this machine: Copier takes its path
        return unquote(urlsplit(url).path)
    return str(url) if url else None


def copier_environment(scratch: Path) -> dict[str, str]:
    """The environment for a Copier subprocess: an allow-list of the operator's, with no path to a credential.

    `HOME` is an empty folder of its own (no `~/.cache/huggingface/token`, no `~/.git-credentials`, no
    `~/.netrc`), `HF_HOME` another, so not even the token file `hf auth login` wrote is found through
    `huggingface_hub`; the Hub is never called from there (`HF_HUB_OFFLINE`), and git fetches only over
    the usual transports. Copier is handed a clone of the template on this disk, so it needs no network.
    """
    env = {key: value for key, value in os.environ.items() if key in PASSED_TO_COPIER or key.startswith("LC_")}
    for folder in ("home", "hf-home"):
        (scratch / folder).mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(scratch / "home"),
        XDG_CONFIG_HOME=str(scratch / "home" / ".config"),
        XDG_CACHE_HOME=str(scratch / "home" / ".cache"),
        HF_HOME=str(scratch / "hf-home"),
        HF_HUB_OFFLINE="1",
        GIT_TERMINAL_PROMPT="0",
        GIT_ALLOW_PROTOCOL="file:git:http:https:ssh",
        GIT_CONFIG_NOSYSTEM="1",
    )
    return env


# A template version as Copier records it in `_commit`: a tag (`1.1.0`, `v2`), a describe string
# (`1.0.0.post3.dev0+g1a2b3c4`) or a commit id. Never an option (`-x`), a range, a reflog or a path.
REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


def safe_ref(ref: object) -> str | None:
    """`ref` when it is a plain version or commit id that git cannot read as anything else, else None."""
    text = str(ref) if isinstance(ref, (str, int, float)) else ""
    if not REF.fullmatch(text) or ".." in text or text.endswith((".lock", ".")):
        return None
    return text
