"""Helpers the tests share (imported by name, unlike conftest's fixtures)."""

from __future__ import annotations

from functools import cache
from typing import Any

from conftest import COPIER_YML


@cache
def question_template(question: str, field: str) -> Any:
    """A question's `default`, `validator` or `when` from copier.yml, compiled in a Jinja
    environment set up as Copier's is (sandboxed, with the Ansible filters), ready to `.render({...})`."""
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"])
    return env.from_string(str(COPIER_YML[question][field]))
