"""How many questions a person answers, pressing Enter each time, for each kind and SDK (issue 25: at most 12).

python3 -m uv run python bench/questions.py   # prints the counts; bench/run.py reports them beside copy times
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from helpers import KINDS, kind_answers  # noqa: E402
from prompting import copy_answering  # noqa: E402

MOST = 12


def count_questions(template: Path, work: Path) -> dict[str, int]:
    """Questions asked by an interactive copy of `template` (a git repo) answered with Enter, per kind."""
    counts: dict[str, int] = {}
    for repo_type, sdk in KINDS:
        key = f"{repo_type}-{sdk}" if sdk else repo_type
        counts[key] = len(copy_answering(template, work / key, kind_answers(repo_type, sdk)).asked)
    return counts


def main() -> int:
    from helpers import snapshot_template

    with tempfile.TemporaryDirectory(prefix="hf-questions-") as tmp:
        counts = count_questions(snapshot_template(Path(tmp) / "template"), Path(tmp) / "out")
    for key, count in counts.items():
        print(f"{key:<18} {count:>3} questions  {'yes' if count <= MOST else 'NO'} (at most {MOST})")
    return 0 if all(count <= MOST for count in counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
