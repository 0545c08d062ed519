"""Helpers shared by subcommands: argument types and opening the database."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from freelancer_desk.analytics.periods import Period, calendar_year, custom, parse_quarter
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _


def iso_date(text: str) -> dt.date:
    """argparse type for ``YYYY-MM-DD``."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a date of the form YYYY-MM-DD").format(text=text)
        ) from exc


def open_for(args: argparse.Namespace, *, writable: bool) -> Database:
    """Open the database the arguments name (read-only commands take no lock)."""
    from freelancer_desk.cli import resolve_db

    return open_database(resolve_db(args), writable=writable)


Plan = TypeVar("Plan")


def dry_run_plan(path: Path, make_plan: Callable[[Database | None], Plan]) -> Plan:
    """The plan of an import's dry run: against the database opened read-only, or against
    none when the file does not exist yet (nothing is created)."""
    if not path.exists():
        return make_plan(None)
    with open_database(path, writable=False) as db:
        return make_plan(db)


def year(text: str) -> int:
    """argparse type for a calendar year ``YYYY``."""
    if not (len(text) == 4 and text.isdigit()) or not 1900 <= int(text) <= 2999:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a year of the form YYYY").format(text=text)
        )
    return int(text)


def quarter(text: str) -> Period:
    """argparse type for a quarter ``YYYY-Qn``."""
    try:
        return parse_quarter(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a quarter of the form YYYY-Qn (for example 2025-Q3)").format(
                text=text
            )
        ) from exc


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """``--year``, ``--quarter`` or ``--from``/``--to``, and ``--as-of`` (DOMAIN.md §7).

    Without a period: the 12 months ending on the day looked from. Without ``--as-of``: today,
    or the period's last day when the period is over, so a closed period reads the same
    whenever it is looked at.
    """
    choice = parser.add_mutually_exclusive_group()
    choice.add_argument("--year", type=year, metavar="YYYY", help=_("a calendar year"))
    choice.add_argument(
        "--quarter", type=quarter, metavar="YYYY-Qn", help=_("a quarter, e.g. 2025-Q3")
    )
    choice.add_argument(
        "--from",
        dest="first_day",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("first day of a custom period"),
    )
    parser.add_argument(
        "--to",
        dest="last_day",
        type=iso_date,
        metavar="YYYY-MM-DD",
        help=_("last day of a custom period (default: the day looked from)"),
    )
    parser.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_(
            "the day to look from, today or earlier; nothing dated later counts (default: "
            "today, or the last day of a period that is over)"
        ),
    )


def period_from_args(args: argparse.Namespace, today: dt.date) -> Period | None:
    """The period the options name, or None for the default (12 months ending on the day
    looked from); a day looked from before the period starts is refused."""
    if args.last_day is not None and args.first_day is None:
        raise InputError("--to", _("give --from as well"))
    period: Period | None = None
    if args.year is not None:
        period = calendar_year(args.year)
    elif args.quarter is not None:
        period = args.quarter
    elif args.first_day is not None:
        last_day = args.last_day or args.as_of or today
        if last_day < args.first_day:
            raise InputError("--to", _("the period ends before it starts"))
        period = custom(args.first_day, last_day)
    if period is not None and args.as_of is not None and args.as_of < period.start:
        raise InputError("--as-of", _("the day to look from lies before the period starts"))
    return period
