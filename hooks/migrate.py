"""Copier's migrations (copier.yml `_migrations`): carry recorded answers across template versions."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the template's own hf_hub_template

from hf_hub_template.migrations import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
