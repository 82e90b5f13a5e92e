"""A release is a tag plus three numbers that must agree (CONTRIBUTING.md, Releasing): pyproject's version
(what `hf-hub-template --version` prints), the CHANGELOG's newest section, and the migrations' versions."""

from __future__ import annotations

import re

import tomllib
from helpers import COPIER_YML, CURRENT_VERSION, PREVIOUS_VERSION, RELEASE_COMMITS, ROOT


def as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def changelog_sections() -> list[tuple[str, bool]]:
    """(version, released) for each `## X.Y.Z` heading, newest first."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return [
        (version, "unreleased" not in rest and "preview" not in rest)
        for version, rest in re.findall(r"^## (\d+\.\d+\.\d+)(.*)$", text, flags=re.M)
    ]


def test_pyproject_version_is_the_changelogs_newest_section():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    sections = changelog_sections()
    assert sections[0][0] == version == CURRENT_VERSION
    assert [as_tuple(v) for v, _ in sections] == sorted((as_tuple(v) for v, _ in sections), reverse=True)


def test_the_previous_release_is_released_and_its_commit_is_known():
    released = [version for version, done in changelog_sections() if done]
    assert released[0] == PREVIOUS_VERSION and PREVIOUS_VERSION in RELEASE_COMMITS


def test_no_migration_is_newer_than_the_version():
    versions = [step["version"] for step in COPIER_YML["_migrations"] if "version" in step]
    assert versions and all(as_tuple(v) <= as_tuple(CURRENT_VERSION) for v in versions)


def test_the_readme_pins_only_released_versions():
    released = {version for version, done in changelog_sections() if done}
    pinned = set(re.findall(r"--vcs-ref[ =](\d+\.\d+\.\d+)", (ROOT / "README.md").read_text(encoding="utf-8")))
    assert pinned and pinned <= released, sorted(pinned - released)
