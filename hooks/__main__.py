"""`python -m hooks ...` is `hf-hub-template ...`."""

import sys

from hooks.cli import main

sys.exit(main())
