"""``remind``: list the open reminders by due group, and export them to a calendar file."""

from __future__ import annotations

import argparse
from pathlib import Path

from freelancer_desk import clock, formatting
from freelancer_desk.analytics.recurrence import DUE_GROUP_LABELS, describe
from freelancer_desk.commands.common import iso_date, open_for
from freelancer_desk.i18n import _, ngettext
from freelancer_desk.models import label
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services.reminders import ReminderRow


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    remind = subparsers.add_parser(
        "remind", help=_("reminders: list them, export them to a calendar")
    )
    db_option(remind)
    actions = remind.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list", help=_("open reminders grouped as Overdue, Today, This week, Later")
    )
    listing.add_argument(
        "--as-of",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help=_("the day to look from (default: today)"),
    )
    listing.set_defaults(handler=list_reminders)
    export = actions.add_parser(
        "export-ics", help=_("write all reminders to an .ics file for a calendar program")
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE",
        help=_("the .ics file to write (replaced if it exists)"),
    )
    export.set_defaults(handler=export_calendar)
    for parser in (listing, export):
        db_option(parser)


def list_reminders(args: argparse.Namespace) -> int:
    today = args.as_of or clock.today()
    with open_for(args, writable=False) as db:
        groups = reminders_service.grouped(db, today)
        blocked = reminders_service.blocked_reminders(db, today)
    if not any(groups.values()) and not blocked:
        print(_("No open reminders."))
        return 0
    for group, rows in groups.items():
        if not rows:
            continue
        print(_(DUE_GROUP_LABELS[group]))
        for row in rows:
            _print_row(row)
    if blocked:
        print(_("Blocked by the contact rules"))
        for row in blocked:
            _print_row(row, row.blocked.reason if row.blocked else "")
    return 0


def _print_row(row: ReminderRow, why: str = "") -> None:
    """One reminder as a tab-separated line; ``why`` replaces the note of a blocked one."""
    fields = [
        formatting.date(row.due_on),
        row.client_name or "—",
        label(row.purpose) + (f" ({label(row.channel)})" if row.channel else ""),
        describe(row.recurrence) if row.recurrence else "",
        why or (row.note or "").replace("\n", " "),
    ]
    print("  " + "\t".join(fields).rstrip())


def export_calendar(args: argparse.Namespace) -> int:
    from freelancer_desk.calendar_export import export_ics  # icalendar loads for this command only

    with open_for(args, writable=False) as db:
        count = export_ics(db, args.out)
    print(
        ngettext(
            "{count} reminder written to {path}", "{count} reminders written to {path}", count
        ).format(count=count, path=args.out)
    )
    return 0
