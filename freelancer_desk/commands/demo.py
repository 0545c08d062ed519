"""``demo``: fill a new, empty database with realistic demo data (never an existing one)."""

from __future__ import annotations

import argparse
import time

from freelancer_desk import demo, formatting
from freelancer_desk.commands.common import iso_date, open_for
from freelancer_desk.i18n import _


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``demo`` with its size, seed and day options."""
    from freelancer_desk.cli import db_option

    parser = subparsers.add_parser(
        "demo",
        help=_("fill a new database with demo data"),
        description=_(
            "Write reproducible demo data into a new or empty database. "
            "A database that already holds clients is left unchanged."
        ),
    )
    db_option(parser)
    parser.add_argument(
        "--clients",
        type=int,
        default=demo.DEFAULT_CLIENTS,
        metavar="N",
        help=_("number of clients (default: {n})").format(n=demo.DEFAULT_CLIENTS),
    )
    parser.add_argument(
        "--entries",
        type=int,
        default=demo.DEFAULT_ENTRIES,
        metavar="M",
        help=_("number of revenue entries (default: {n})").format(n=demo.DEFAULT_ENTRIES),
    )
    parser.add_argument(
        "--interactions",
        type=int,
        default=demo.DEFAULT_INTERACTIONS,
        metavar="K",
        help=_("number of logged contacts (default: {n})").format(n=demo.DEFAULT_INTERACTIONS),
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=demo.DEFAULT_SEED,
        metavar="S",
        help=_("the same seed gives the same data (default: {n})").format(n=demo.DEFAULT_SEED),
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day the data looks current from (default: today)"),
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Generate, then print one line saying what was written where."""
    started = time.perf_counter()
    demo.check_sizes(args.clients, args.entries, args.interactions)
    with open_for(args, writable=True) as db:
        summary = demo.generate(
            db,
            clients=args.clients,
            entries=args.entries,
            interactions=args.interactions,
            seed=args.seed,
            as_of=args.as_of,
        )
        path = db.path
    print(
        _(
            "Demo data as of {as_of} written to {path} ({seconds} s). Clients: {clients}, "
            "revenue entries: {entries}, interactions: {interactions}, lost clients: {losses}, "
            "feedback requests: {requests}, reminders: {reminders}."
        ).format(
            as_of=formatting.date(summary.as_of),
            path=path,
            clients=summary.clients,
            entries=summary.entries,
            interactions=summary.interactions,
            losses=summary.losses,
            requests=summary.feedback_requests,
            reminders=summary.reminders,
            seconds=formatting.number(time.perf_counter() - started, digits=1),
        )
    )
    return 0
