"""`hf-hub-template`: start repos from an org standard, publish them, update fleets.

hf-hub-template new DEST [--org-standard FILE] [--template SRC] [-d KEY=VALUE ...] [--defaults]
hf-hub-template demo MODEL_ID [DEST] [--sdk SDK] [--inference WHERE] [--gpu] [-d KEY=VALUE ...]
hf-hub-template update PROJECT [--org-standard FILE] [--template SRC] [--vcs-ref REF]
hf-hub-template publish [PROJECT ...] [--pr]
hf-hub-template status [PROJECT]
hf-hub-template trio DEST --name NAME [--namespace NS] [-d [TYPE.]KEY=VALUE ...] [--create-remote]
hf-hub-template fleet-update NAMESPACE [--type TYPE] [--match GLOB] [--vcs-ref REF] [--shard K/N] [--dry-run]
hf-hub-template fleet-status NAMESPACE [--type TYPE] [--match GLOB] [--shard K/N] [--json | --markdown]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from hf_hub_template.answers import load_answers
from hf_hub_template.org_standard import OrgStandard, OrgStandardError
from hf_hub_template.project import Project
from hf_hub_template.template_source import installed_template
from hf_hub_template.untrusted import for_terminal


def _data(pairs: list[str]) -> dict[str, Any]:
    data = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise OrgStandardError(f"-d {pair}: write KEY=VALUE")
        data[key] = value
    return data


def cmd_new(args: argparse.Namespace) -> int:
    from copier import run_copy

    standard = OrgStandard.load(args.org_standard) if args.org_standard else None
    given = _data(args.data)
    data = standard.answers(given) if standard else given
    args.template_used = trusted_template(args, standard)
    run_copy(
        args.template_used,
        str(args.dest),
        data=data,
        user_defaults=standard.defaults if standard else {},
        defaults=args.defaults,
        unsafe=True,
        vcs_ref=args.vcs_ref,
    )
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """A Space that demos a model on the Hub: its answers read from the model (hf_hub_template/demo.py), each
    decision printed with its reason, then rendered as `new` renders (nothing is written when it refuses)."""
    from hf_hub_template import demo
    from hf_hub_template.hub_errors import HubStepError

    model_id = args.model_id
    if not demo.is_repo_id(model_id):
        raise OrgStandardError(f"{for_terminal(model_id)}: not a model id; write namespace/name, like acme/my-model")
    args.dest = args.dest or Path(model_id.split("/")[-1])
    if args.dest.exists() or args.dest.is_symlink():
        raise OrgStandardError(f"{args.dest} already exists; nothing was written. Name a new folder as DEST.")
    given = _data(args.data)
    try:
        info, readme = demo.read_model(model_id)
        chosen = demo.plan(info, sdk=args.sdk, inference=args.inference, gpu=args.gpu, data=given, readme=readme)
    except (demo.Refused, HubStepError) as err:
        raise OrgStandardError(f"{for_terminal(err)}; nothing was written.") from None
    print(f"A demo of {model_id}:")
    for reason in chosen.reasons:
        print(f"  {for_terminal(reason)}")
    args.data = [f"{key}={value}" for key, value in chosen.answers.items()]
    args.defaults = True  # every answer is decided or given: nothing is asked
    return cmd_new(args)


def cmd_update(args: argparse.Namespace) -> int:
    """`copier update` of a local project, from the trusted template only, applied as uncommitted changes."""
    import tempfile

    from hf_hub_template import trusted_update
    from hf_hub_template.git import git_output, run_git
    from hf_hub_template.template_files import TemplateRepo

    standard = OrgStandard.load(args.org_standard) if args.org_standard else None
    trusted = trusted_template(args, standard)
    project = args.project.resolve()
    if not project.is_dir():
        raise OrgStandardError(f"{project} does not exist.")
    dirty = run_git(project, "status", "--porcelain")
    if dirty.returncode != 0 or dirty.stdout.strip():
        raise OrgStandardError(
            f"{project} is not a clean git work tree: commit or stash your changes, then run update again "
            "(the update is applied as changes you review)."
        )
    try:
        trusted_update.check(project, trusted)
    except (trusted_update.Refused, ValueError) as err:
        if not str(err).startswith(trusted_update.FOREIGN):
            raise OrgStandardError(f"{project}: {for_terminal(err)}; nothing was run.") from None
        recorded = str(err).removeprefix(trusted_update.FOREIGN)
        raise OrgStandardError(
            f"{project} was made from {for_terminal(recorded)}, not from {trusted}; nothing was run. "
            "`copier update --trust` would run that template's tasks and migrations on this machine. "
            "If you trust it, say so with --template with that source."
        ) from None
    with tempfile.TemporaryDirectory(prefix="hf-update-") as tmp:
        scratch, work = Path(tmp), Path(tmp) / "project"
        try:
            template = TemplateRepo(trusted, scratch)
        except RuntimeError as err:
            raise OrgStandardError(f"{err}; nothing was changed.") from None
        git_output(scratch, "clone", "--quiet", "--", str(project), str(work))
        result, base = trusted_update.run_update(
            work,
            template.git_dir,
            scratch,
            vcs_ref=args.vcs_ref,
            data=standard.answers(_data(args.data)) if standard else _data(args.data),
            user_defaults=standard.defaults if standard else {},
            quiet=False,
            capture=False,
        )
        if result.returncode != 0:
            print(f"hf-hub-template: {project} was left as it was.", file=sys.stderr)
            return 1
        git_output(work, "add", "-A")
        changed = git_output(work, "diff", "--cached", "--name-only", base).split()
        (scratch / "update.patch").write_text(git_output(work, "diff", "--cached", "--binary", base))
        if changed:
            git_output(project, "apply", "--whitespace=nowarn", str(scratch / "update.patch"))
    print(f"Updated {project}: " + (", ".join(changed) + " changed; review and commit." if changed else "no change."))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish each project in the order given (the trio's resume command names three)."""
    from hf_hub_template.hub_errors import HubStepError
    from hf_hub_template.publish import Waiting, publish

    projects = [project.resolve() for project in args.project or [Path.cwd()]]
    for project in projects:
        try:
            _project(project)
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
    answers = {project: load_answers(project) for project in projects}
    if args.secrets_file and not args.secrets_file.is_file():
        print(f"--secrets-file {args.secrets_file}: no such file; nothing was done.", file=sys.stderr)
        return 2
    secret_values = None
    if args.secrets_file:  # read once, before anything is done: too large, not UTF-8, open to others
        from hf_hub_template.space_settings import SecretsFileError, read_secrets_file

        try:
            secret_values = read_secrets_file(args.secrets_file)
        except SecretsFileError as err:
            print(err, file=sys.stderr)
            return 2
    waiting = Waiting(wait=not args.no_wait, timeout=args.timeout, interval=args.poll_interval)
    for project in projects:
        try:
            publish(
                project,
                answers[project],
                interactive=sys.stdin.isatty(),
                open_pr=args.pr,
                waiting=waiting,
                secrets_file=args.secrets_file,
                secret_values=secret_values,
            )
        except HubStepError as err:
            print(err, file=sys.stderr)
            return 1
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """A published project on the Hub: a Space's stage, hardware, URL and last log lines; a repo's URL.

    A public repo needs no token; a namespace left empty is asked of the Hub (which needs one)."""
    from hf_hub_template.hub_errors import HubStepError, explain
    from hf_hub_template.hub_session import connect, with_namespace
    from hf_hub_template.space_watch import space_status

    try:
        hub_repo = _project(args.project)
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    try:
        api, endpoint = connect(token_required=not hub_repo.namespace)
        hub_repo = with_namespace(api, endpoint, hub_repo)
        repo_id, url = hub_repo.repo_id, hub_repo.url(endpoint)
        try:
            if hub_repo.builds:
                text, running = space_status(api, repo_id, url)
                print(text)
                return 0 if running else 1
            api.repo_info(repo_id, repo_type=hub_repo.repo_type)
        except Exception as exc:
            raise HubStepError(explain(exc, action=f"read {repo_id}", repo_id=repo_id, endpoint=endpoint)) from exc
    except HubStepError as err:
        print(err, file=sys.stderr)
        return 1
    print(f"{repo_id}: on the Hub\n  URL: {url}")
    return 0


def _project(folder: Path) -> Project:
    """The project rendered in `folder`, or ValueError saying what is missing."""
    folder = folder.resolve()
    if not folder.is_dir():
        raise ValueError(f"{folder} does not exist.")
    return Project.load(folder)


def _your_login(name: str) -> str:
    """The login of the token in use: the trio's namespace when --namespace is not given."""
    from hf_hub_template.hub_errors import HubStepError, explain
    from hf_hub_template.hub_session import connect

    why = "the three cards link namespace/name ids"
    try:
        api, endpoint = connect(token_required=False)
    except HubStepError as err:
        raise OrgStandardError(f"{err} Or pass --namespace.") from None
    if not api.token:
        raise OrgStandardError(f"no token: pass --namespace or log in (`hf auth login`, or set HF_TOKEN); {why}")
    try:
        return str(api.whoami()["name"])
    except Exception as exc:  # one line, as publish says it
        message = explain(exc, action="find your login", repo_id=name, endpoint=endpoint)
        raise OrgStandardError(f"{message} Or pass --namespace.") from None


def cmd_trio(args: argparse.Namespace) -> int:
    from hf_hub_template import trio
    from hf_hub_template.org_standard import declared_questions

    standard = OrgStandard.load(args.org_standard) if args.org_standard else None
    data = trio.split_data(_data(args.data), declared_questions())
    if standard:
        data = {repo_type: standard.answers(given) for repo_type, given in data.items()}
    namespace = args.namespace or _your_login(args.name)
    members = trio.plan(args.dest, args.name, namespace, data)
    args.template_used = trusted_template(args, standard)
    trio.render_all(
        args.template_used, members, vcs_ref=args.vcs_ref, user_defaults=standard.defaults if standard else {}
    )
    for member in members:
        print(f"Rendered the {member.repo_type} {Project.from_answers(member.answers).repo_id} in {member.folder}")
    if not args.create_remote:
        print(f"Publish the three, in this order, with:\n  {trio.resume_command(members)}")
        return 0
    return trio.publish_all(members, wait=not args.no_wait)


def _shard(text: str) -> tuple[int, int]:
    index, sep, count = text.partition("/")
    if not (sep and index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise argparse.ArgumentTypeError(f"{text!r}: write K/N with 1 <= K <= N, for example 2/4")
    return int(index), int(count)


def trusted_template(args: argparse.Namespace, standard: OrgStandard | None) -> str:
    """The one template whose code the command may run: --template, the org standard's, or the tool's own."""
    source = args.template or (standard.template if standard else None) or installed_template()
    if not source:
        raise OrgStandardError(
            "Name the template this command may run with --template SRC (as in the repos' _src_path, "
            "for example gh:YOUR-ORG/hf-hub-template): this install does not record where it came from."
        )
    return source


def _fleet_options(args: argparse.Namespace, **extra: Any) -> Any:
    from hf_hub_template.fleet import REPO_TYPES, Options

    standard = OrgStandard.load(args.org_standard) if args.org_standard else None
    return Options(
        namespace=args.namespace,
        types=tuple(args.type or REPO_TYPES),
        match=args.match,
        vcs_ref=args.vcs_ref,
        template=trusted_template(args, standard),
        workers=args.workers,
        shard=args.shard,
        **extra,
    )


def cmd_fleet_update(args: argparse.Namespace) -> int:
    from hf_hub_template.fleet import run

    return run(_fleet_options(args, dry_run=args.dry_run))


def cmd_fleet_status(args: argparse.Namespace) -> int:
    from hf_hub_template.fleet_status import run_status

    return run_status(_fleet_options(args), "json" if args.json else "markdown" if args.markdown else "table")


def _fleet_selection(parser: argparse.ArgumentParser) -> None:
    """The options fleet-update and fleet-status share: which repos, which template, how many at once."""
    parser.add_argument("namespace", help="Hub user or organisation whose repos to read")
    parser.add_argument(
        "--type", action="append", choices=["space", "model", "dataset"], help="repo type (repeat; default: all)"
    )
    parser.add_argument("--match", default="*", help="glob on repo names, for example 'demo-*' (default: all)")
    parser.add_argument("--vcs-ref", help="template version to compare with (default: the newest release)")
    parser.add_argument(
        "--template",
        help="the template whose repos are read; repos made from any other are skipped, never rendered "
        "(default: the org standard's template, else the one this tool was installed from)",
    )
    parser.add_argument("--org-standard", type=Path, help="take the template from this org standard's `template:`")
    parser.add_argument("--workers", type=int, default=4, help="repos handled at once (default: 4)")
    parser.add_argument(
        "--shard",
        type=_shard,
        default=(1, 1),
        metavar="K/N",
        help="take the K-th of N fixed parts of the namespace (for N runners; default: 1/1, all of it)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hf-hub-template", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    new = sub.add_parser("new", help="render a new repo, applying an org standard")
    new.add_argument("dest", type=Path, help="the folder to create the repo in (its name is the default repo name)")
    new.add_argument("--org-standard", type=Path, help="YAML file with the org's fixed answers and defaults")
    new.add_argument("--template", help="template source (default: the org standard's, else this checkout)")
    new.add_argument("--vcs-ref", help="template version (tag) to use; default: the newest tag")
    new.add_argument("-d", "--data", action="append", default=[], metavar="KEY=VALUE", help="an answer")
    new.add_argument("--defaults", action="store_true", help="do not ask; use defaults for the rest")
    new.set_defaults(func=cmd_new)

    dem = sub.add_parser("demo", help="render a Space that demos a model on the Hub, its answers read from the model")
    dem.add_argument("model_id", help="the model's Hub id, namespace/name")
    dem.add_argument("dest", type=Path, nargs="?", help="a new folder for the Space (default: the model's name)")
    dem.add_argument("--sdk", choices=["gradio", "streamlit", "docker"], help="the Space's SDK (default: gradio)")
    dem.add_argument(
        "--inference",
        choices=["local", "zerogpu", "api"],
        help="where the model runs (default: local if it fits CPU basic, else api if a provider serves it)",
    )
    dem.add_argument("--gpu", action="store_true", help="run it on ZeroGPU (Gradio; a free account may host 2)")
    dem.add_argument("-d", "--data", action="append", default=[], metavar="KEY=VALUE", help="an answer (wins)")
    dem.add_argument("--org-standard", type=Path, help="YAML file with the org's fixed answers and defaults")
    dem.add_argument("--template", help="template source (default: the org standard's, else this checkout)")
    dem.add_argument("--vcs-ref", help="template version (tag) to use; default: the newest tag")
    dem.set_defaults(func=cmd_demo)

    upd = sub.add_parser("update", help="copier update, re-applying the org standard's fixed answers")
    upd.add_argument("project", type=Path, help="the rendered project folder (a clean git work tree)")
    upd.add_argument("--org-standard", type=Path, help="YAML file with the org's fixed answers and defaults")
    upd.add_argument(
        "--template",
        help="the template the project must come from; any other is refused (default: the org standard's, "
        "else the one this tool was installed from)",
    )
    upd.add_argument("--vcs-ref", help="template version to update to; default: the newest tag")
    upd.add_argument(
        "-d", "--data", action="append", default=[], metavar="KEY=VALUE", help="a changed answer (it is recorded)"
    )
    upd.set_defaults(func=cmd_update)

    pub = sub.add_parser("publish", help="create the Hub repo and upload the project (the retry command)")
    pub.add_argument(
        "project", type=Path, nargs="*", help="the rendered project folder(s), published in order (default: here)"
    )
    pub.add_argument("--pr", action="store_true", help="if the repo holds other content, open a pull request")
    pub.add_argument("--no-wait", action="store_true", help="do not watch the Space build and start")
    pub.add_argument(
        "--secrets-file",
        type=Path,
        help="dotenv file (KEY=VALUE lines) with the values of the secrets the answers name (default: environment)",
    )
    pub.add_argument("--timeout", type=float, default=900.0, help="seconds to watch the Space (default: 900)")
    pub.add_argument("--poll-interval", type=float, default=2.0, help="seconds between looks (default: 2)")
    pub.set_defaults(func=cmd_publish)

    stat = sub.add_parser("status", help="a published project's Space: stage, hardware, URL, last log lines")
    stat.add_argument("project", type=Path, nargs="?", default=Path.cwd(), help="the project folder (default: here)")
    stat.set_defaults(func=cmd_status)

    trio_ = sub.add_parser("trio", help="render a model, its dataset and a Space that demos both, linked")
    trio_.add_argument("dest", type=Path, help="the folder to create the three projects in")
    trio_.add_argument("--name", required=True, help="the model's repo name; the others add -data and -demo")
    trio_.add_argument("--namespace", help="Hub user or organisation of all three (default: your login)")
    trio_.add_argument(
        "-d",
        "--data",
        action="append",
        default=[],
        metavar="[TYPE.]KEY=VALUE",
        help="an answer for the three, or for one with a model./dataset./space. prefix",
    )
    trio_.add_argument("--org-standard", type=Path, help="YAML file with the org's fixed answers and defaults")
    trio_.add_argument("--template", help="template source (default: the org standard's, else this checkout)")
    trio_.add_argument("--vcs-ref", help="template version (tag) to use; default: the newest tag")
    trio_.add_argument("--create-remote", action="store_true", help="create the three on the Hub and upload them")
    trio_.add_argument("--no-wait", action="store_true", help="do not watch the Space build and start")
    trio_.set_defaults(func=cmd_trio)

    fleet = sub.add_parser("fleet-update", help="open a Hub pull request updating each repo of a namespace")
    _fleet_selection(fleet)
    fleet.add_argument("--dry-run", action="store_true", help="show each repo's diff; open no pull request")
    fleet.set_defaults(func=cmd_fleet_update)

    status = sub.add_parser("fleet-status", help="a read-only drift report of every repo of a namespace")
    _fleet_selection(status)
    shown = status.add_mutually_exclusive_group()
    shown.add_argument("--json", action="store_true", help="print JSON, one object per repo")
    shown.add_argument("--markdown", action="store_true", help="print a Markdown table (for a dashboard or a post)")
    status.set_defaults(func=cmd_fleet_status)
    for command in sub._choices_actions:  # each command's --help page opens with what it does
        page, summary = sub.choices[command.dest], command.help or ""
        page.description = page.description or f"{summary[:1].upper()}{summary[1:]}."
    return parser


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("hf-hub-template")
    except metadata.PackageNotFoundError:
        return "(not installed)"


def _unreachable_template(exc: BaseException, source: str) -> str | None:
    """Copier's error for a template it cannot fetch, as one line (else None)."""
    hint = "name one that can with --template (a local path or a git URL), or fix `template:` in the org standard."
    if isinstance(exc, ValueError) and "Local template must be a directory" in str(exc):
        return f"the template {source} cannot be reached (no such folder); {hint}"
    if type(exc).__name__ != "ProcessExecutionError":
        return None
    argv = [str(arg) for arg in getattr(exc, "argv", [])]
    if not any(word in argv for word in ("ls-remote", "clone")):
        return None
    lines = [line for line in str(getattr(exc, "stderr", "")).splitlines() if line.strip()]
    return f"the template {source} cannot be reached ({lines[-1].strip() if lines else 'git failed'}); {hint}"


# The commands that render repos someone else may have written keep the token out of their environment block.
RENDERS_OTHERS_REPOS = ("update", "fleet-update", "fleet-status")


def main(argv: list[str] | None = None) -> int:
    from hf_hub_template import token_handoff

    handed_over = token_handoff.take_token_from_parent()
    args = build_parser().parse_args(argv)
    if argv is None and not handed_over and args.command in RENDERS_OTHERS_REPOS:
        token_handoff.reexec_without_token(sys.argv[1:])
    try:
        return args.func(args)
    except OrgStandardError as err:
        print(f"hf-hub-template: {err}", file=sys.stderr)
        return 2
    except Exception as err:
        # Copier's validators say the answer's rule, before anything was written: one line, no traceback.
        validation = isinstance(err, ValueError) and "Validation error for question" in str(err)
        message = str(err) if validation else _unreachable_template(err, getattr(args, "template_used", "?"))
        if message is None:
            raise
        print(f"hf-hub-template: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
