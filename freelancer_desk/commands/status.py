"""``status``: the key figures as JSON, for scripts and checks.

The printed text is kept in the database (``freelancer_desk.kept``) for the request and the
language: while the data is unchanged, a run reads it back without loading the ORM or
computing anything.
"""

from __future__ import annotations

import argparse
import json
import sys

from freelancer_desk import clock, kept
from freelancer_desk.analytics.periods import resolve
from freelancer_desk.commands.common import add_period_options, open_for, period_from_args
from freelancer_desk.i18n import _, current_language


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
    period = period_from_args(args, today)
    seen = resolve(period, args.as_of, today)
    key = kept.key_text("status --json", seen, args.basis, current_language())
    with open_for(args, writable=False) as db:
        counted, text = kept.read(db.path, key)
        if text is None:
            from freelancer_desk.services.status import StatusRequest, build_status, to_json

            request = StatusRequest(as_of=args.as_of, period=period, basis=args.basis, today=today)
            computed = json.dumps(to_json(build_status(db, request)), ensure_ascii=False, indent=2)
            if counted is not None:
                db.keeper.later(key, counted, lambda: computed)
            text = computed
        # Printed before the documents are kept (on closing): the reader has them sooner.
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    return 0
