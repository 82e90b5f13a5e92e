"""One project: `new`, `update`, `publish`, `status`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hf_hub_template.commands._errors import CommandError, ProjectFolderError
from hf_hub_template.commands._options import (
    add_data_option,
    add_secrets_file_option,
    add_template_options,
    add_waiting_options,
    org_standard,
    read_secrets_option,
    refuse_unknown_answers,
    standard_data,
    trusted_template,
)
from hf_hub_template.hub.project import Project


def register(sub: Any) -> None:
    new = sub.add_parser("new", help="render a new repo, applying an org standard")
    new.add_argument("dest", type=Path, help="the folder to create the repo in (its name is the default repo name)")
    add_template_options(new)
    add_data_option(new, help="an answer")
    new.add_argument("--defaults", action="store_true", help="do not ask; use defaults for the rest")
    new.add_argument("--overwrite", action="store_true", help="into a non-empty folder: same-named files replaced")
    new.set_defaults(func=cmd_new)

    upd = sub.add_parser("update", help="copier update, re-applying the org standard's fixed answers")
    upd.add_argument("project", type=Path, help="the rendered project folder (a clean git work tree)")
    add_template_options(
        upd,
        template="the template the project must come from; any other is refused (default: the org standard's, "
        "else the one this tool was installed from)",
        vcs_ref="template version to update to; default: the newest tag",
    )
    add_data_option(upd, help="a changed answer (it is recorded)")
    upd.set_defaults(func=cmd_update)

    pub = sub.add_parser("publish", help="create the Hub repo and upload the project (the retry command)")
    pub.add_argument(
        "project", type=Path, nargs="*", help="the rendered project folder(s), published in order (default: here)"
    )
    pub.add_argument("--pr", action="store_true", help="if the repo holds other content, open a pull request")
    pub.add_argument("--no-wait", action="store_true", help="do not watch the Space build and start")
    add_secrets_file_option(pub)
    add_waiting_options(pub)
    pub.add_argument(
        "--ask",
        action="store_true",
        help="once a demo Space runs, ask it once with its first example and print the answer",
    )
    pub.set_defaults(func=cmd_publish)

    stat = sub.add_parser("status", help="a published project's Space: stage, hardware, URL, last log lines")
    stat.add_argument("project", type=Path, nargs="?", default=Path.cwd(), help="the project folder (default: here)")
    stat.set_defaults(func=cmd_status)


def cmd_new(args: argparse.Namespace) -> int:
    from copier import run_copy

    from hf_hub_template.jinja_cache import compile_each_source_once

    standard = org_standard(args)
    data = standard_data(args, standard)
    source = trusted_template(args, standard)
    refuse_unknown_answers(data, source, args.vcs_ref)
    compile_each_source_once()  # Copier compiles each question's strings again every time it reads them
    run_copy(
        source,
        str(args.dest),
        data=data,
        user_defaults=standard.defaults if standard else {},
        defaults=args.defaults,
        overwrite=getattr(args, "overwrite", False),  # `demo` renders through here too, into a new folder
        unsafe=True,
        vcs_ref=args.vcs_ref,
    )
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    """`copier update` of a local project, from the trusted template only, applied as uncommitted changes."""
    from hf_hub_template.migrations import conflicted_files
    from hf_hub_template.project_update import update_project

    standard = org_standard(args)
    project = args.project.resolve()
    source, data = trusted_template(args, standard), standard_data(args, standard)
    refuse_unknown_answers(data, source, args.vcs_ref)
    changed = update_project(
        project,
        source,
        vcs_ref=args.vcs_ref,
        data=data,
        user_defaults=standard.defaults if standard else {},
    )
    conflicts = sorted(set(conflicted_files(project)) & set(changed))  # this update's, not markers committed before
    if conflicts:  # said above by the update's own report; a script sees it in the status, as after `git merge`
        both = f"{', '.join(conflicts)} {'holds' if len(conflicts) == 1 else 'hold'}"
        print(f"Updated {project}: {', '.join(changed)} changed; {both} both versions: resolve, then commit.")
        return 1
    print(f"Updated {project}: " + (", ".join(changed) + " changed; review and commit." if changed else "no change."))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish each project in the order given (the trio's resume command names three)."""
    from hf_hub_template.answers import load_answers
    from hf_hub_template.publish import Waiting, publish

    if args.ask and args.no_wait:
        raise CommandError("--ask asks the running app, which needs the wait: drop --no-wait")
    projects = [project.resolve() for project in args.project or [Path.cwd()]]
    for project in projects:
        project_in(project)
    answers = {project: load_answers(project) for project in projects}
    secret_values = read_secrets_option(args.secrets_file)
    waiting = Waiting(wait=not args.no_wait, timeout=args.timeout, interval=args.poll_interval)
    for project in projects:
        if args.ask:
            from hf_hub_template.live_demo import publish_and_ask

            publish_and_ask(
                project,
                answers[project],
                waiting=waiting,
                interactive=sys.stdin.isatty(),
                secrets_file=args.secrets_file,
                secret_values=secret_values,
            )
            continue
        publish(
            project,
            answers[project],
            interactive=sys.stdin.isatty(),
            open_pr=args.pr,
            waiting=waiting,
            secrets_file=args.secrets_file,
            secret_values=secret_values,
        )
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """A published project on the Hub: a Space's stage, hardware, URL and last log lines; a repo's URL."""
    from hf_hub_template.space_watch import published_status

    text, up = published_status(project_in(args.project))
    print(text)
    return 0 if up else 1


def project_in(folder: Path) -> Project:
    """The project rendered in `folder`, or ProjectFolderError saying what is missing."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise ProjectFolderError(f"{folder} does not exist.")
    try:
        return Project.load(folder)
    except ValueError as err:
        raise ProjectFolderError(str(err)) from None
