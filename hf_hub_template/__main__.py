"""`python -m hf_hub_template ...` is `hf-hub-template ...`."""

import sys

from hf_hub_template.cli import main

sys.exit(main())
