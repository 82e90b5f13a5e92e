"""Every repo of a namespace: `fleet-update` (a pull request each), `fleet-status` (a drift report) and
`fleet-adopt` (a pull request adopting each repo the template did not make; `adopt` for one)."""

from __future__ import annotations

import argparse
from typing import Any

from hf_hub_template.commands._options import add_template_options, org_standard, shard, trusted_template
from hf_hub_template.hub.facts import REPO_TYPES


def register(sub: Any) -> None:
    update = sub.add_parser("fleet-update", help="open a Hub pull request updating each repo of a namespace")
    add_selection(update)
    update.add_argument("--dry-run", action="store_true", help="show each repo's diff; open no pull request")
    update.set_defaults(func=cmd_fleet_update)

    status = sub.add_parser("fleet-status", help="a read-only drift report of every repo of a namespace")
    add_selection(status)
    shown = status.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print JSON, one object per repo")
    shown.add_argument("--markdown", action="store_true", help="print a Markdown table (for a dashboard or a post)")
    status.set_defaults(func=cmd_fleet_status)

    adopt = sub.add_parser("adopt", help="open a Hub pull request that makes a hand-made repo a fleet member")
    adopt.add_argument(
        "repo_id", help="the repo, namespace/name (spaces/namespace/name and datasets/... name the type)"
    )
    adopt.add_argument("--repo-type", choices=REPO_TYPES, help="its type (default: from the id's prefix, else model)")
    add_template_options(
        adopt,
        vcs_ref="template version to adopt it at (default: the newest release)",
        template="the template it is adopted into (default: the org standard's, else the one this tool was "
        "installed from)",
        org_standard="take the template from this org standard's `template:`",
    )
    adopt.add_argument("--dry-run", action="store_true", help="show the pull request; open none")
    adopt.set_defaults(func=cmd_adopt)

    fleet_adopt = sub.add_parser("fleet-adopt", help="open a Hub pull request adopting each repo of a namespace")
    add_selection(fleet_adopt)
    fleet_adopt.add_argument("--dry-run", action="store_true", help="show each pull request; open none")
    fleet_adopt.set_defaults(func=cmd_fleet_adopt)


def add_selection(parser: argparse.ArgumentParser) -> None:
    """The options fleet-update and fleet-status share: which repos, which template, how many at once."""
    parser.add_argument("namespace", help="Hub user or organisation whose repos to read")
    parser.add_argument("--type", action="append", choices=REPO_TYPES, help="repo type (repeat; default: all)")
    parser.add_argument("--match", default="*", help="glob on repo names, for example 'demo-*' (default: all)")
    add_template_options(
        parser,
        vcs_ref="template version to compare with (default: the newest release)",
        template="the template whose repos are read; repos made from any other are skipped, never rendered "
        "(default: the org standard's template, else the one this tool was installed from)",
        org_standard="take the template from this org standard's `template:`",
    )
    parser.add_argument("--workers", type=int, default=4, help="repos handled at once (default: 4)")
    parser.add_argument(
        "--shard",
        type=shard,
        default=(1, 1),
        metavar="K/N",
        help="take the K-th of N fixed parts of the namespace (for N runners; default: 1/1, all of it)",
    )


def fleet_options(args: argparse.Namespace) -> Any:
    from hf_hub_template.fleet.scan import Options

    return Options(
        namespace=args.namespace,
        types=tuple(args.type or REPO_TYPES),
        match=args.match,
        vcs_ref=args.vcs_ref,
        template=trusted_template(args, org_standard(args)),
        workers=args.workers,
        shard=args.shard,
    )


def cmd_fleet_update(args: argparse.Namespace) -> int:
    from hf_hub_template.fleet.update import run

    return run(fleet_options(args), dry_run=args.dry_run)


def cmd_fleet_status(args: argparse.Namespace) -> int:
    from hf_hub_template.fleet.status import run_status

    return run_status(fleet_options(args), "json" if args.json else "markdown" if args.markdown else "table")


def cmd_adopt(args: argparse.Namespace) -> int:
    from hf_hub_template.commands._errors import CommandError
    from hf_hub_template.fleet.adopt import adopt_one
    from hf_hub_template.fleet.scan import Options
    from hf_hub_template.hub.facts import is_repo_id, url_prefix

    repo_type, repo_id = args.repo_type, args.repo_id
    for kind in REPO_TYPES:  # spaces/ns/name, datasets/ns/name (and models/ns/name, which the Hub also reads)
        prefix = url_prefix(kind) or "models/"
        if repo_id.startswith(prefix) and repo_id.count("/") == 2:
            if repo_type not in (None, kind):
                raise CommandError(f"{repo_id} is a {kind}, not a {repo_type}: drop --repo-type or the prefix")
            repo_type, repo_id = kind, repo_id.removeprefix(prefix)
    if repo_id.count("/") != 1 or not is_repo_id(repo_id):
        raise CommandError(f"{repo_id!r} is not a repo id: write namespace/name")
    options = Options(
        namespace=repo_id.split("/")[0],
        vcs_ref=args.vcs_ref,
        template=trusted_template(args, org_standard(args)),
    )
    return adopt_one(options, repo_type or "model", repo_id, dry_run=args.dry_run)


def cmd_fleet_adopt(args: argparse.Namespace) -> int:
    from hf_hub_template.fleet.adopt import run

    return run(fleet_options(args), dry_run=args.dry_run)
