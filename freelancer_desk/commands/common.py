"""Helpers shared by subcommands: argument types and opening the database."""

from __future__ import annotations

import argparse
import datetime as dt

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
    """``--year``, ``--quarter`` or ``--from``/``--to``; without them the 12 months to a day."""
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


def period_from_args(args: argparse.Namespace, as_of: dt.date) -> Period | None:
    """The period the options name, or None for the default (12 months ending on ``as_of``)."""
    if args.last_day is not None and args.first_day is None:
        raise InputError("--to", _("give --from as well"))
    if args.year is not None:
        return calendar_year(args.year)
    if args.quarter is not None:
        return args.quarter
    if args.first_day is not None:
        last_day = args.last_day or as_of
        if last_day < args.first_day:
            raise InputError("--to", _("the period ends before it starts"))
        return custom(args.first_day, last_day)
    return None
