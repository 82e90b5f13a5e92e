"""`copier update` of a project someone else may have written, from the operator's template only.

`copier update --trust` renders the template named by the project's `.copier-answers.yml` twice (the
old version, then the new one) and runs its migrations and Jinja extensions. The answers file is the
project's, so it is untrusted: here it is read once, from the work tree that is rendered, checked
(`_src_path` names the operator's template, `_commit` is a plain ref). Copier's git then fetches
over `file` only, every spelling of that source rewritten to the operator's own clone of the template:
whatever the answers say, nothing but that clone is read, and no server is asked for anything.
Copier runs in a subprocess with no credential in its environment and a HOME of its own.
"""

from __future__ import annotations

import json
import re

# Copier runs as `python -c` with an argument list, never through a shell.
import subprocess  # nosec B404
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hf_hub_template.answers import ANSWERS_FILE, load_answers
from hf_hub_template.git import git_output
from hf_hub_template.template_source import copier_environment, expand_shortcut, normalise, safe_ref, same_template

SRC_PATH_LINE = re.compile(r"^_src_path:[^\n]*$", re.M)
# Copier's Python API, so the org standard's data and user defaults reach it as values, not as text.
RUNNER = """\
import json, sys
from copier import run_update
try:  # the old and the new version's renders share most of their Jinja sources: compile each once
    from hf_hub_template.jinja_cache import compile_each_source_once
    compile_each_source_once()
except ImportError:  # a source checkout run without installing (-I: no cwd on sys.path): Copier alone
    pass
try:
    run_update(**json.load(sys.stdin))
except Exception as exc:  # Copier's message, not its traceback
    sys.exit(f"copier update failed: {type(exc).__name__}: {exc}")
"""
IDENTITY = ("-c", "user.name=hf-hub-template", "-c", "user.email=hf-hub-template@users.noreply.huggingface.co")


FOREIGN = "made from another template: "
NONE_RECORDED = "(none recorded)"  # an answers file without `_src_path`


class Refused(ValueError):
    """The project names another template, or a version git could read as something else: nothing ran."""


@dataclass(frozen=True)
class Checked:
    answers: dict[str, Any]
    from_version: str


def check(work: Path, trusted: str, base: Path | None = None) -> Checked:
    """The answers of `work`, if its `_src_path` is the trusted template and its `_commit` a plain ref."""
    if (work / ANSWERS_FILE).is_symlink():
        raise Refused(f"its {ANSWERS_FILE} is a symbolic link")
    answers = load_answers(work)
    source = answers.get("_src_path")
    if not same_template(source, trusted, base=base or work):
        raise Refused(f"{FOREIGN}{source or NONE_RECORDED}")
    version = safe_ref(answers.get("_commit"))
    if version is None:
        raise Refused(f"its _commit {answers.get('_commit')!r} is not a template version")
    text = (work / ANSWERS_FILE).read_text(encoding="utf-8")
    if len(SRC_PATH_LINE.findall(text)) != 1:
        raise Refused(f"its {ANSWERS_FILE} does not hold _src_path on one line of its own")
    return Checked(answers, version)


def run_update(
    work: Path,
    template_clone: Path,
    scratch: Path,
    *,
    vcs_ref: str | None,
    data: dict[str, Any] | None = None,
    user_defaults: dict[str, Any] | None = None,
    conflict: str = "inline",
    quiet: bool = True,
    capture: bool = True,
) -> tuple[subprocess.CompletedProcess[str], str]:
    """`copier update --trust --skip-tasks --defaults` in `work` (a clean git tree that `check` passed),
    rendering `template_clone` (the operator's template on this disk) at `vcs_ref`.

    Returns Copier's run and the commit that holds the project as it was; `work` then holds the result,
    uncommitted. Copier reads the project's own `_src_path` (so the files that name it render as before),
    but its git may fetch over `file` only, and that spelling is rewritten (`url.<clone>.insteadOf`) to the
    operator's clone: no server is asked for anything. A local `_src_path` is replaced by the clone's path
    for the run and put back after (a template on this disk is not named in any rendered file).
    """
    if vcs_ref is not None and safe_ref(vcs_ref) is None:
        raise Refused(f"{vcs_ref!r} is not a template version")
    base = git_output(work, "rev-parse", "HEAD").strip()
    answers_file = work / ANSWERS_FILE
    original = answers_file.read_text(encoding="utf-8")
    own_line = SRC_PATH_LINE.search(original)
    assert own_line is not None  # check() made sure  # nosec B101
    env, remote = clone_environment(scratch, str(load_answers(work)["_src_path"]), template_clone, base=work)
    replaced = SRC_PATH_LINE.sub(lambda _: f"_src_path: {json.dumps(str(template_clone))}", original)
    if not remote and replaced != original:  # the clone's path in its place for the run (unless it is already)
        answers_file.write_text(replaced, encoding="utf-8")
        git_output(work, *IDENTITY, "commit", "--quiet", "--no-verify", "-am", "Render from the operator's clone")
    arguments = {
        "dst_path": str(work),
        "data": data or {},
        "user_defaults": user_defaults or {},
        "defaults": True,
        "overwrite": True,
        "unsafe": True,
        "skip_tasks": True,
        "quiet": quiet,
        "conflict": conflict,
        "vcs_ref": vcs_ref,
    }
    # Copier starts in an empty folder, never in the project: a file there named like the template's URL
    # (`https:/host/org/t.git`, a git bundle) would be taken for the template by Copier and by `git clone`,
    # and with `-I` a `copier.py` of the project is not imported in place of Copier (no cwd on sys.path).
    start = scratch / "cwd"
    start.mkdir(parents=True, exist_ok=True)
    # bandit B603: this Python, an argument list, and the operator's template.
    result = subprocess.run(  # nosec B603
        [sys.executable, "-I", "-c", RUNNER],
        cwd=start,
        input=json.dumps(arguments),
        capture_output=capture,
        text=True,
        env=env,
    )
    if not remote:
        rendered = answers_file.read_text(encoding="utf-8")
        answers_file.write_text(SRC_PATH_LINE.sub(lambda _: own_line.group(), rendered, count=1), encoding="utf-8")
    return result, base


def clone_environment(
    scratch: Path, source: str, template_clone: Path, base: Path | None = None
) -> tuple[dict[str, str], bool]:
    """Copier's environment for rendering `template_clone` when a project names `source` (checked), and
    whether `source` is a URL. Git may read local files only; a URL is rewritten to the clone, so Copier
    may be handed the project's own spelling. A local source is not rewritten: name the clone instead."""
    env = copier_environment(scratch) | {"GIT_ALLOW_PROTOCOL": "file"}
    if not source or normalise(source, base=base).startswith("file://"):
        return env, False
    return env | fetch_from_clone(source, template_clone), True


def fetch_from_clone(source: str, template_clone: Path) -> dict[str, str]:
    """git configuration (as environment) that sends every spelling git may be given for `source` (Copier's
    own rewriting of it included) to `template_clone`."""
    # Copier's own rewriting (copier/_vcs.py get_repo): `gh:`/`gl:` expanded, `git+` dropped, `.git` added to
    # an https URL. Written out here rather than called: get_repo runs git in this process's environment.
    spellings = {source, source.removeprefix("git+"), expand_shortcut(source.removeprefix("git+"))}
    spellings |= {spelling + ".git" for spelling in spellings if not spelling.endswith((".git", "/"))}
    env = {"GIT_CONFIG_COUNT": str(len(spellings))}
    for index, spelling in enumerate(sorted(spellings)):
        env[f"GIT_CONFIG_KEY_{index}"] = f"url.{template_clone}.insteadOf"
        env[f"GIT_CONFIG_VALUE_{index}"] = spelling
    return env


def last_line(result: subprocess.CompletedProcess[str]) -> str:
    """Copier's own last word on a failure (its traceback's message), for a one-line report."""
    lines = [line.strip() for line in (result.stderr or "").splitlines() if line.strip()]
    return lines[-1] if lines else f"exit status {result.returncode}"
