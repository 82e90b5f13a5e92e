"""Which files the template owns in a project, read from the template's git history without rendering it.

`fleet-update` downloads only these (at the repo's version and at the target version) and the answers
file: never model weights, LFS/Xet files or data the template did not render. A file's path in the
template tree is rendered with the project's answers, as Copier renders it: an empty segment drops the
file, the templates suffix is removed. The contents are not rendered, so this costs milliseconds; the
tests check it against real renders of every kind at every version.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from packaging.version import InvalidVersion, Version

from hf_hub_template.git import git_output, run_git
from hf_hub_template.template_source import expand_shortcut


class TemplateRepo:
    """The trusted template's git repository: a local checkout, or a bare clone of a remote one."""

    def __init__(self, source: str, scratch: Path) -> None:
        local = Path(source.removeprefix("git+").removeprefix("file://")).expanduser()
        if local.is_dir():
            self.git_dir = local
        else:
            url = expand_shortcut(source.removeprefix("git+"))
            self.git_dir = scratch / "template.git"
            # A whole clone (the template is small): Copier renders from it, offline and without credentials.
            cloned = run_git(scratch, "clone", "--quiet", "--bare", "--", url, str(self.git_dir))
            if cloned.returncode != 0:
                raise RuntimeError(f"could not clone the template {source}: {cloned.stderr.strip()}")

    def tags(self) -> list[str]:
        return git_output(self.git_dir, "tag", "--list").split()

    def newest_release(self) -> str | None:
        """The tag Copier updates to by default: the highest release version (no pre-releases)."""
        releases = []
        for tag in self.tags():
            try:
                version = Version(tag)
            except InvalidVersion:
                continue
            if not version.is_prerelease:
                releases.append((version, tag))
        return max(releases)[1] if releases else None

    def owned_paths(self, ref: str, answers: dict[str, Any]) -> frozenset[str] | None:
        """The project paths the template renders at `ref` for these answers (None if `ref` is unknown)."""
        key = yaml.safe_dump({k: v for k, v in sorted(answers.items()) if not k.startswith("_")})
        return _owned_paths(self.git_dir, ref, key)


def copier_yml_at(git_dir: Path, ref: str) -> str | None:
    """The text of the template's copier.yml at `ref`, read from git (None when git cannot show it)."""
    shown = run_git(git_dir, "show", f"{ref}:copier.yml")
    return shown.stdout if shown.returncode == 0 else None


# Shared by the fleet's threads. `cache` keeps its own table consistent, and two threads missing one key
# at once both compute it: harmless, as this only reads the template's git objects and returns the same
# value. The value is frozen: every repo with these answers gets the same object, so none can change it.
@cache
def _owned_paths(git_dir: Path, ref: str, answers_yaml: str) -> frozenset[str] | None:
    from jinja2 import FunctionLoader
    from jinja2.sandbox import SandboxedEnvironment

    config_text = copier_yml_at(git_dir, ref)
    listing = run_git(git_dir, "ls-tree", "-r", "--name-only", ref)
    if config_text is None or listing.returncode != 0:
        return None
    config = yaml.safe_load(config_text) or {}
    answers = yaml.safe_load(answers_yaml) or {}

    def template_at_ref(name: str) -> str | None:  # defaults may import partials, as Copier lets them
        shown = run_git(git_dir, "show", f"{ref}:{name}")
        return shown.stdout if shown.returncode == 0 else None

    env = SandboxedEnvironment(
        loader=FunctionLoader(template_at_ref), extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"]
    )
    context: dict[str, Any] = {"_copier_conf": {"answers_file": config.get("_answers_file", ".copier-answers.yml")}}
    for name, spec in config.items():  # answers first, then each unanswered question's default, in order
        if name.startswith("_"):
            continue
        if name in answers:
            context[name] = answers[name]
        elif isinstance(spec, dict) and isinstance(spec.get("default"), str):
            rendered = env.from_string(spec["default"]).render(context)
            is_bool = spec.get("type") == "bool"
            context[name] = rendered.strip().lower() in ("true", "yes", "y", "on", "1") if is_bool else rendered
        elif isinstance(spec, dict):
            context[name] = spec.get("default")
    subdirectory = str(config.get("_subdirectory", "")).strip("/")
    suffix = str(config.get("_templates_suffix", ".jinja"))
    owned = set()
    for path in listing.stdout.splitlines():
        if subdirectory and not path.startswith(subdirectory + "/"):
            continue
        parts = [env.from_string(part).render(context) for part in path[len(subdirectory) + 1 :].split("/")]
        if suffix and parts[-1].endswith(suffix):
            parts[-1] = parts[-1][: -len(suffix)]
        if all(parts):  # a segment rendered empty (or to the bare suffix) drops the file, as in Copier
            owned.add("/".join(parts))
    return frozenset(owned)
