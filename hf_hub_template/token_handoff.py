"""Keep the Hub token out of the environment block of the commands that render repos they did not write.

Any process of the same user can read another's initial environment (`/proc/<pid>/environ`), and
`copier update` runs template code (the operator's template only, but defence in depth). So
`fleet-update`, `fleet-status` and `update` re-execute themselves once with the token moved from the
environment into an inherited pipe; the new process puts it back into `os.environ` (its memory, not
its environment block) for `huggingface_hub`, and no child is given it (see git.without_credentials
and template_source.copier_environment).
"""

from __future__ import annotations

import json
import os
import sys

from hf_hub_template.git import CREDENTIAL_VARIABLES as TOKEN_VARIABLES

HANDOFF = "HF_HUB_TEMPLATE_TOKEN_FD"


def reexec_without_token(argv: list[str]) -> None:
    """Run `python -m hf_hub_template ARGV` in place of this process, the token passed through a pipe.

    Does nothing where there is no token in the environment, or no `/proc` to read it from."""
    found = {key: os.environ[key] for key in TOKEN_VARIABLES if os.environ.get(key)}
    if not found or not sys.platform.startswith("linux"):
        return
    read, write = os.pipe()
    os.write(write, json.dumps(found).encode())  # a few hundred bytes: far below a pipe's buffer
    os.close(write)
    os.set_inheritable(read, True)
    env = {key: value for key, value in os.environ.items() if key not in found} | {HANDOFF: str(read)}
    sys.stdout.flush()
    sys.stderr.flush()
    # bandit B606: this same Python and module, arguments as a list, no shell.
    os.execve(sys.executable, [sys.executable, "-m", "hf_hub_template", *argv], env)  # nosec B606


def take_token_from_parent() -> bool:
    """In the re-executed process: read the token from the pipe into `os.environ` (not the environment block).

    True when this process is the re-executed one (it must not re-execute again)."""
    descriptor = os.environ.pop(HANDOFF, None)
    if descriptor is None or not descriptor.isdigit():
        return False
    with os.fdopen(int(descriptor), "rb") as pipe:
        found = json.loads(pipe.read() or b"{}")
    os.environ.update({key: str(value) for key, value in found.items() if key in TOKEN_VARIABLES})
    return True
