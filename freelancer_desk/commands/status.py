"""``status``: the key figures as JSON, for scripts and checks."""

from __future__ import annotations

import argparse
import json
import sys

from freelancer_desk import clock
from freelancer_desk.commands.common import add_period_options, open_for, period_from_args
from freelancer_desk.i18n import _
from freelancer_desk.services.status import StatusRequest, build_status, to_json


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    parser = subparsers.add_parser("status", help=_("key figures as JSON"))
    db_option(parser)
    add_period_options(parser)
    parser.add_argument(
        "--basis",
        choices=("invoice", "paid"),
        default=None,
        help=_("count revenue by invoice date or by payment date (default: the setting)"),
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON (the only format)"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    today = clock.today()
    request = StatusRequest(
        as_of=args.as_of, period=period_from_args(args, today), basis=args.basis, today=today
    )
    with open_for(args, writable=False) as db:
        document = to_json(build_status(db, request))
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
