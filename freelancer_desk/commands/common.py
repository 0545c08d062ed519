"""Helpers shared by subcommands: argument types and opening the database."""

from __future__ import annotations

import argparse
import datetime as dt

from freelancer_desk.db import Database, open_database
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
