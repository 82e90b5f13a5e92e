"""Let a hook run as a script (`python hooks/x.py`) and still import `hooks.*`."""

import sys
from pathlib import Path

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent
if str(TEMPLATE_ROOT) not in sys.path:
    sys.path.insert(0, str(TEMPLATE_ROOT))
