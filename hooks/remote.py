"""The retry command 1.0.0 printed, `python <template>/hooks/remote.py <project> [--pr]`: `hf-hub-template publish`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the template's own hf_hub_template

from hf_hub_template.cli import main  # noqa: E402

sys.exit(main(["publish", *sys.argv[1:]]))
