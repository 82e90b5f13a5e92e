"""Projects made from what is on the Hub: `demo` (a Space for a model) and `trio` (a model, its dataset, a demo)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from hf_hub_template.commands import _options as option
from hf_hub_template.commands._errors import CommandError
from hf_hub_template.commands.projects import cmd_new
from hf_hub_template.hub.project import Project
from hf_hub_template.untrusted import for_terminal


def register(sub: Any) -> None:
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
    dem.add_argument(
        "--publish",
        action="store_true",
        help="create the Space, wait until it runs, ask it once with its first example and print the answer",
    )
    option.add_waiting_options(dem)
    option.add_secrets_file_option(dem)
    option.add_data_option(dem, help="an answer (wins)")
    option.add_template_options(dem)
    dem.set_defaults(func=cmd_demo)

    trio = sub.add_parser("trio", help="render a model, its dataset and a Space that demos both, linked")
    trio.add_argument("dest", type=Path, help="the folder to create the three projects in")
    trio.add_argument("--name", required=True, help="the model's repo name; the others add -data and -demo")
    trio.add_argument("--namespace", help="Hub user or organisation of all three (default: your login)")
    option.add_data_option(
        trio,
        metavar="[TYPE.]KEY=VALUE",
        help="an answer for the three, or for one with a model./dataset./space. prefix",
    )
    option.add_template_options(trio)
    trio.add_argument("--create-remote", action="store_true", help="create the three on the Hub and upload them")
    trio.add_argument("--no-wait", action="store_true", help="do not watch the Space build and start")
    trio.set_defaults(func=cmd_trio)


def cmd_demo(args: argparse.Namespace) -> int:
    """A Space that demos a model on the Hub: its answers read from the model (hf_hub_template/demo.py), each
    decision printed with its reason, then rendered as `new` renders (nothing is written when it refuses)."""
    from hf_hub_template import demo
    from hf_hub_template.hub.errors import HubStepError

    model_id = args.model_id
    if not demo.is_repo_id(model_id):
        raise CommandError(f"{for_terminal(model_id)}: not a model id; write namespace/name, like acme/my-model")
    args.dest = args.dest or Path(model_id.split("/")[-1])
    if args.dest.exists() or args.dest.is_symlink():
        raise CommandError(f"{args.dest} already exists; nothing was written. Name a new folder as DEST.")
    given = option.parse_data(args.data)
    option.refuse_unknown_answers(given, option.trusted_template(args, option.org_standard(args)), args.vcs_ref)
    if args.secrets_file and not args.publish:
        raise CommandError("--secrets-file gives the Space its secrets when it is created: add --publish")
    secret_values = option.read_secrets_option(args.secrets_file)
    try:
        info, readme = demo.read_model(model_id)
        base = demo.read_base(info)  # a PEFT adapter's base model (None for any other model)
        chosen = demo.plan(
            info, sdk=args.sdk, inference=args.inference, gpu=args.gpu, data=given, readme=readme, base=base
        )
    except (demo.Refused, HubStepError) as err:
        raise CommandError(f"{for_terminal(err).rstrip('.')}. Nothing was written.") from None
    print(f"A demo of {model_id}:")
    for reason in chosen.reasons:
        print(f"  {for_terminal(reason)}")
    # As -d writes them: a list answer (demo_examples, a json question) as JSON.
    args.data = [
        f"{key}={json.dumps(value) if isinstance(value, list | dict) else value}"
        for key, value in chosen.answers.items()
    ]
    args.defaults = True  # every answer is decided or given: nothing is asked
    rendered = cmd_new(args)
    if rendered != 0 or not args.publish:
        return rendered
    from hf_hub_template.answers import load_answers
    from hf_hub_template.live_demo import publish_and_ask
    from hf_hub_template.publish import Waiting

    waiting = Waiting(timeout=args.timeout, interval=args.poll_interval)
    publish_and_ask(
        args.dest,
        load_answers(args.dest),
        waiting=waiting,
        interactive=sys.stdin.isatty(),
        secrets_file=args.secrets_file,
        secret_values=secret_values,
    )
    return 0


def cmd_trio(args: argparse.Namespace) -> int:
    from hf_hub_template import trio
    from hf_hub_template.org_standard import declared_questions

    standard = option.org_standard(args)
    source = option.trusted_template(args, standard)
    questions = option.questions_of(source, args.vcs_ref) or declared_questions()  # a URL: this tool's own
    data = trio.split_data(option.parse_data(args.data), questions)
    if standard:
        data = {repo_type: standard.answers(given) for repo_type, given in data.items()}
    namespace = args.namespace or your_login(args.name)
    members = trio.plan(args.dest, args.name, namespace, data)
    trio.render_all(
        source,
        members,
        vcs_ref=args.vcs_ref,
        user_defaults=standard.defaults if standard else {},
    )
    for member in members:
        print(f"Rendered the {member.repo_type} {Project.from_answers(member.answers).repo_id} in {member.folder}")
    if not args.create_remote:
        print(f"Publish the three, in this order, with:\n  {trio.resume_command(members)}")
        return 0
    return trio.publish_all(members, wait=not args.no_wait)


def your_login(name: str) -> str:
    """The login of the token in use: the trio's namespace when --namespace is not given."""
    from hf_hub_template.hub.errors import HubStepError
    from hf_hub_template.hub.session import connect, login_of

    try:
        api, endpoint = connect(token_required=False)
        if not api.token:
            raise CommandError(
                "no token: pass --namespace or log in (`hf auth login`, or set HF_TOKEN); "
                "the three cards link namespace/name ids"
            )
        return login_of(api, endpoint, repo_id=name)
    except HubStepError as err:
        raise CommandError(f"{err} Or pass --namespace.") from None
