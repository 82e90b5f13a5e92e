"""The options several commands share, declared once, and what they resolve to."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from hf_hub_template.commands._errors import CommandError
from hf_hub_template.org_standard import OrgStandard, declared_questions, questions_in, unknown_answers
from hf_hub_template.template_source import installed_template

ORG_STANDARD_HELP = "YAML file with the org's fixed answers and defaults"
TEMPLATE_HELP = "template source (default: the org standard's, else this checkout)"
VCS_REF_HELP = "template version (tag) to use; default: the newest tag"


def add_template_options(
    parser: argparse.ArgumentParser,
    *,
    org_standard: str = ORG_STANDARD_HELP,
    template: str = TEMPLATE_HELP,
    vcs_ref: str = VCS_REF_HELP,
) -> None:
    """`--org-standard FILE`, `--template SRC` and `--vcs-ref REF`: which template, at which version."""
    parser.add_argument("--org-standard", type=Path, help=org_standard)
    parser.add_argument("--template", help=template)
    parser.add_argument("--vcs-ref", help=vcs_ref)


def add_data_option(parser: argparse.ArgumentParser, *, help: str, metavar: str = "KEY=VALUE") -> None:
    """`-d KEY=VALUE`, repeated: answers given on the command line."""
    parser.add_argument("-d", "--data", action="append", default=[], metavar=metavar, help=help)


def add_waiting_options(parser: argparse.ArgumentParser) -> None:
    """`--timeout` and `--poll-interval`: how long to watch a Space build and start, and how often to look."""
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to watch the Space (default: 900)")
    parser.add_argument("--poll-interval", type=float, default=2.0, help="seconds between looks (default: 2)")


def add_secrets_file_option(parser: argparse.ArgumentParser) -> None:
    """`--secrets-file FILE`: the values of the secrets the answers name, never uploaded."""
    parser.add_argument(
        "--secrets-file",
        type=Path,
        help="dotenv file (KEY=VALUE lines) with the values of the secrets the answers name (default: environment)",
    )


def read_secrets_option(path: Path | None) -> dict[str, str] | None:
    """The --secrets-file's values, read once before anything is done (SecretsFileError: missing, too large,
    not UTF-8; a warning when others can read it); None without the option."""
    if path is None:
        return None
    from hf_hub_template.space_settings import SecretsFileError, read_secrets_file

    if not path.is_file():
        raise SecretsFileError(f"--secrets-file {path}: no such file; nothing was done.")
    return read_secrets_file(path)


def parse_data(pairs: list[str]) -> dict[str, Any]:
    data = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise CommandError(f"-d {pair}: write KEY=VALUE")
        data[key] = value
    return data


def questions_of(source: str, vcs_ref: str | None) -> set[str] | None:
    """The answers the template at `source` takes: this tool's own template's, or a folder's copier.yml (at
    `vcs_ref` when git can show it); None when only a clone would tell (another template's URL)."""
    from hf_hub_template.template_files import copier_yml_at

    if source == installed_template():
        return declared_questions()
    folder = Path(source)
    if not folder.is_dir():
        return None
    try:
        text = copier_yml_at(folder, vcs_ref) if vcs_ref else None
        config = yaml.safe_load((folder / "copier.yml").read_text(encoding="utf-8") if text is None else text)
    except (OSError, yaml.YAMLError):  # no copier.yml there, or tags of an extension: Copier will say
        return None
    return questions_in(config) if isinstance(config, dict) else None


def refuse_unknown_answers(given: dict[str, Any], source: str, vcs_ref: str | None) -> None:
    """Copier ignores an answer whose name no question has: `-d colour_from=red` would quietly do nothing."""
    questions = questions_of(source, vcs_ref)
    if questions is None:
        return
    hints = unknown_answers(given, questions)
    if hints:
        raise CommandError(
            f"-d {', '.join(hints)}: {'not a question' if len(hints) == 1 else 'not questions'} of the template; "
            "nothing was written."
        )


def org_standard(args: argparse.Namespace) -> OrgStandard | None:
    return OrgStandard.load(args.org_standard) if args.org_standard else None


def standard_data(args: argparse.Namespace, standard: OrgStandard | None) -> dict[str, Any]:
    """The `-d` answers, with the org standard's fixed answers applied."""
    given = parse_data(args.data)
    return standard.answers(given) if standard else given


def trusted_template(args: argparse.Namespace, standard: OrgStandard | None) -> str:
    """The one template whose code the command may run: --template, the org standard's, or the tool's own.

    Recorded on `args` as `template_used`, so an error of Copier's can name the template it could not reach."""
    source = args.template or (standard.template if standard else None) or installed_template()
    if not source:
        raise CommandError(
            "Name the template this command may run with --template SRC (as in the repos' _src_path, "
            "for example gh:YOUR-ORG/hf-hub-template): this install does not record where it came from."
        )
    args.template_used = source
    return source


def shard(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise argparse.ArgumentTypeError(f"{text!r}: write K/N with 1 <= K <= N, for example 2/4")
    return int(index), int(count)
