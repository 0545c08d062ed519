"""Reminders as an iCalendar (``.ics``) file that common calendar programs import.

Each reminder is an all-day event with the reminder's stable ``uid``, so importing a later
export updates the events instead of adding copies. The app is the master copy: every export
carries a higher ``SEQUENCE`` (minutes since 2020 at export time), which importers that honour
it take as the newer revision. Done reminders are exported as cancelled, so that a re-import
takes them off the calendar where the program supports it. So are reminders the contact rules
block (the client objected or was erased): they leave the calendar the same way.

Recurring reminders become recurrence rules. Monthly ones need care at month ends, because
RFC 5545 *skips* months that lack the day (``BYMONTHDAY=31`` has no February), whereas the app
moves to the month's last day (``analytics.recurrence``):

- anchor day 1–28: ``BYMONTHDAY=<day>`` — every month has it;
- anchor day 31: ``BYMONTHDAY=-1`` — the last day of every month;
- anchor day 29 or 30: ``BYMONTHDAY=28,29,…,<day>;BYSETPOS=-1`` — the latest of those days
  that the month has: the 30th, or the 28th/29th in February.

A snoozed monthly reminder may be due off its anchor day; then the event starts on the snoozed
day and the rule's date in that same month is excluded (``EXDATE``), as the app would skip it.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from icalendar import Alarm, Calendar, Event, vRecur

from freelancer_desk import APP_NAME, __version__, clock
from freelancer_desk.analytics.recurrence import Recurrence, clamped_day, on_anchor
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import _
from freelancer_desk.models import RecurrenceUnit
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services.reminders import ReminderRow, describe

_SEQUENCE_EPOCH = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
_FREQ = {
    RecurrenceUnit.DAYS: "DAILY",
    RecurrenceUnit.WEEKS: "WEEKLY",
    RecurrenceUnit.MONTHS: "MONTHLY",
}
#: The alarm rings at 09:00 on the due day (all-day events start at midnight).
ALARM_AFTER_START = dt.timedelta(hours=9)


def recurrence_rule(rule: Recurrence, first: dt.date) -> vRecur:
    """The RRULE of a series whose first date is ``first``."""
    parts: dict[str, object] = {"FREQ": _FREQ[rule.unit], "INTERVAL": rule.every}
    if rule.unit is RecurrenceUnit.MONTHS:
        anchor = rule.anchor_day or first.day
        if anchor <= 28:
            parts["BYMONTHDAY"] = [anchor]
        elif anchor == 31:
            parts["BYMONTHDAY"] = [-1]
        else:
            parts["BYMONTHDAY"] = list(range(28, anchor + 1))
            parts["BYSETPOS"] = [-1]
    return vRecur(parts)


def _skipped_in_first_month(rule: Recurrence, first: dt.date) -> dt.date | None:
    """The rule's own date in the month of a snoozed ``first`` that the app will not use."""
    if rule.unit is not RecurrenceUnit.MONTHS or rule.anchor_day is None:
        return None
    if on_anchor(first, rule.anchor_day):
        return None
    own = clamped_day(first.year, first.month, rule.anchor_day)
    return own if own > first else None


def sequence_at(now: dt.datetime) -> int:
    """The revision number of an export made at ``now``: minutes since 2020 (UTC)."""
    return int((now - _SEQUENCE_EPOCH).total_seconds() // 60)


def _event(row: ReminderRow, now: dt.datetime) -> Event:
    event = Event()
    event.add("uid", row.uid)
    event.add("dtstamp", now)
    event.add("last-modified", now)
    event.add("sequence", sequence_at(now))
    event.add("summary", describe(row))
    if row.note:
        event.add("description", row.note)
    event.add("dtstart", row.due_on)
    event.add("dtend", row.due_on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")  # a reminder does not make the day busy
    if row.done_on is not None or row.blocked is not None:
        event.add("status", "CANCELLED")
    if row.recurrence is not None:
        event.add("rrule", recurrence_rule(row.recurrence, row.due_on))
        skipped = _skipped_in_first_month(row.recurrence, row.due_on)
        if skipped is not None:
            event.add("exdate", [skipped])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", describe(row))
    alarm.add("trigger", ALARM_AFTER_START)
    event.add_component(alarm)
    return event


def build_calendar(rows: Iterable[ReminderRow], now: dt.datetime) -> bytes:
    """The iCalendar text of the reminders, exported at ``now`` (timezone-aware)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{APP_NAME}//{__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("{app} reminders").format(app=APP_NAME))
    for row in rows:
        calendar.add_component(_event(row, now))
    return calendar.to_ical()


def export_ics(db: Database, target: Path, now: dt.datetime | None = None) -> int:
    """Write every reminder (done and blocked ones as cancelled) to ``target``; returns how many.

    The file is written beside the target first and then moved over it, so a failed export
    never leaves half a calendar behind.
    """
    # The user's today, not the date in Greenwich: a reminder is overdue by the local calendar.
    today = now.date() if now is not None else clock.today()
    now = now or dt.datetime.now(dt.UTC)
    rows = reminders_service.list_reminders(db, include_done=True, today=today)
    data = build_calendar(rows, now)
    _write_replacing(Path(target).expanduser(), data)
    return len(rows)


def _write_replacing(target: Path, data: bytes) -> None:
    """Write beside ``target``, then move over it: a failure never leaves half a file."""
    partial: str | None = None
    try:
        handle, partial = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
        )
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(partial, target)
    except OSError as exc:
        if partial is not None and os.path.exists(partial):
            os.unlink(partial)
        raise DeskError(
            _("Cannot write the calendar to {path}: {reason}").format(
                path=target, reason=exc.strerror
            )
        ) from exc
