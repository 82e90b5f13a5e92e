"""Files of the template that the tools read at run time (its `copier.yml` and `CHANGELOG.md`).

From a checkout they are the checkout's own; from a wheel (`uvx --from git+URL`, `pip install`)
they are the copies packed into `hf_hub_template/_template/` (pyproject.toml, force-include).
"""

from __future__ import annotations

from pathlib import Path

CHECKOUT_ROOT = Path(__file__).resolve().parent.parent
PACKED = Path(__file__).resolve().parent / "_template"


def running_from_checkout() -> bool:
    return (CHECKOUT_ROOT / "copier.yml").is_file() and (CHECKOUT_ROOT / "template").is_dir()


def template_file(name: str) -> Path:
    """`name` in this checkout, else in the wheel's packed copy (which may not exist either)."""
    return CHECKOUT_ROOT / name if running_from_checkout() else PACKED / name
