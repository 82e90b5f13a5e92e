"""`hf-hub-template`: start repos from an org standard, publish them, update fleets.

hf-hub-template new DEST [--org-standard FILE] [--template SRC] [-d KEY=VALUE ...] [--defaults] [--overwrite]
hf-hub-template update PROJECT [--org-standard FILE] [--template SRC] [--vcs-ref REF] [-d KEY=VALUE ...]
hf-hub-template publish [PROJECT ...] [--pr]
hf-hub-template status [PROJECT]
hf-hub-template demo MODEL_ID [DEST] [--sdk SDK] [--inference WHERE] [--gpu] [-d KEY=VALUE ...]
hf-hub-template trio DEST --name NAME [--namespace NS] [-d [TYPE.]KEY=VALUE ...] [--create-remote]
hf-hub-template fleet-update NAMESPACE [--type TYPE] [--match GLOB] [--vcs-ref REF] [--shard K/N] [--dry-run]
hf-hub-template fleet-status NAMESPACE [--type TYPE] [--match GLOB] [--shard K/N] [--json | --markdown]
hf-hub-template adopt REPO_ID [--repo-type TYPE] [--vcs-ref REF] [--dry-run]
hf-hub-template fleet-adopt NAMESPACE [--type TYPE] [--match GLOB] [--shard K/N] [--dry-run]

The commands live in hf_hub_template/commands/, one module per group (projects, demos, fleet); this module
builds the parser from them and says what they raise (commands/_errors.py).
"""

from __future__ import annotations

import argparse
import sys

from hf_hub_template.commands import demos, fleet, projects
from hf_hub_template.commands._errors import format_known_exception

# The commands that render repos someone else may have written keep the token out of their environment block.
RENDERS_OTHERS_REPOS = ("update", "fleet-update", "fleet-status", "adopt", "fleet-adopt")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hf-hub-template", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    projects.register(sub)
    demos.register(sub)
    fleet.register(sub)
    for command in sub._choices_actions:  # each command's --help page opens with what it does
        page, summary = sub.choices[command.dest], command.help or ""
        page.description = page.description or f"{summary[:1].upper()}{summary[1:]}."
        page.set_defaults(command_parser=page)
    return parser


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("hf-hub-template")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def main(argv: list[str] | None = None) -> int:
    from hf_hub_template import token_handoff

    handed_over = token_handoff.take_token_from_parent()
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:  # said by the command's own parser, with its usage (argparse's top level would show its own)
        args.command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if argv is None and not handed_over and args.command in RENDERS_OTHERS_REPOS:
        token_handoff.reexec_without_token(sys.argv[1:])
    try:
        return int(args.func(args))
    except Exception as err:
        said = format_known_exception(err, getattr(args, "template_used", "?"))
        if said is None:
            raise
        print(said.message, file=sys.stderr)
        return said.status


if __name__ == "__main__":
    sys.exit(main())
