"""Copier's copy task (copier.yml `_tasks`): first commit, then the Hub repo if asked. Never fails the copy."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the template's own hf_hub_template

from hf_hub_template.copy_task import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
