"""Which template a project was made from, and whether it is the one the operator trusts.

`copier update --trust` runs the `_tasks`, `_migrations` and Jinja extensions of the template
named by the project's own `.copier-answers.yml` (`_src_path`). A repo anyone can push to may
name any template there, so the commands that update repos they did not write check that
source against the template the operator chose before anything is rendered.
"""

from __future__ import annotations

import json
import os
import re
from importlib import metadata
from pathlib import Path

from hf_hub_template.resources import CHECKOUT_ROOT, running_from_checkout

DISTRIBUTION = "hf-hub-template"
# Copier's own shortcuts (copier/vcs.py): `gh:` and `gl:` are GitHub and GitLab.
SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?!//)(?P<path>.+)$")  # git@github.com:org/repo.git
URL = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?:[^@/]*@)?(?P<host>[^/]+)(?P<path>/.*)?$", re.I)

# What the Copier subprocess may see of the operator's environment: enough to run git and
# clone the template (proxies, certificates, ssh), never a Hub token or other HF_* setting.
PASSED_TO_COPIER = (
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "LANGUAGE",
    "TERM",
    "TMPDIR",
    "TEMP",
    "TMP",
    "SYSTEMROOT",
    "SSH_AUTH_SOCK",
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
)


def expand_shortcut(source: str) -> str:
    """`gh:org/t` -> `https://github.com/org/t` (likewise `gl:`); any other source as it is."""
    for short, prefix in SHORTCUTS.items():
        if source.startswith(short):
            return prefix + source[len(short) :]
    return source


def normalise(source: object, base: Path | None = None) -> str:
    """One spelling for each template source Copier accepts.

    `gh:org/t`, `https://github.com/org/t.git`, `git+https://github.com/org/t/` and
    `git@github.com:org/t.git` are all `https://github.com/org/t`; a local path (or `file://`
    URL) is its resolved absolute path, relative ones taken from `base`. Empty is "".
    Two spellings that could name different repos (another host or port, another folder) stay apart.
    """
    text = str(source or "").strip()
    if not text:
        return ""
    text = expand_shortcut(text.removeprefix("git+"))
    if text.lower().startswith("file://"):
        return _local(text[len("file://") :], base)
    url = URL.match(text)
    if url:
        path = (url["path"] or "").rstrip("/").removesuffix(".git").rstrip("/")
        return f"https://{url['host'].lower()}{path}"
    scp = SCP_LIKE.match(text)
    if scp and not Path(text).exists():
        path = scp["path"].strip("/").removesuffix(".git").rstrip("/")
        return f"https://{scp['host'].lower()}/{path}"
    return _local(text, base)


def _local(path: str, base: Path | None) -> str:
    folder = Path(path).expanduser()
    if not folder.is_absolute():
        folder = (base or Path.cwd()) / folder
    return "file://" + str(folder.resolve())


def same_template(source: object, trusted: str, base: Path | None = None) -> bool:
    """Does `source` (a project's `_src_path`) name the `trusted` template?"""
    return bool(normalise(source, base)) and normalise(source, base) == normalise(trusted)


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
    return str(url) if url else None


def copier_environment(scratch: Path) -> dict[str, str]:
    """The environment for a Copier subprocess: an allow-list of the operator's, with no token.

    `HF_HOME` points at an empty folder, so not even the token file `hf auth login` wrote is found
    through `huggingface_hub`; the Hub is never called from there (`HF_HUB_OFFLINE`).
    """
    env = {key: value for key, value in os.environ.items() if key in PASSED_TO_COPIER or key.startswith("LC_")}
    (scratch / "hf-home").mkdir(parents=True, exist_ok=True)
    env.update(GIT_TERMINAL_PROMPT="0", HF_HOME=str(scratch / "hf-home"), HF_HUB_OFFLINE="1")
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
