"""Dates of reminders (Wiedervorlagen): recurrence, snoozing and the Overdue/Today/… groups.

Pure functions over dates. A recurring reminder rolls on from the day it was due (after a
snooze: the snoozed day): "every N days/weeks" counts from there; "every N months" moves N
months on from the month it was due and lands on its *anchor day* — the day of month the
series started on — clamped to the month's length. So a series started on 31 January runs
31 Jan → 28 (29) Feb → 31 Mar → 30 Apr → 31 May, and never drifts to the 28th for good.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from freelancer_desk.choices import Channel, RecurrenceUnit, ReminderPurpose
from freelancer_desk.i18n import N_, _, ngettext


@dataclass(frozen=True)
class Recurrence:
    """Every ``every`` ``unit``; ``anchor_day`` (1–31) only matters for months."""

    every: int
    unit: RecurrenceUnit
    anchor_day: int | None = None

    def __post_init__(self) -> None:
        if self.every < 1:
            raise ValueError("a recurrence needs an interval of at least 1")
        if self.anchor_day is not None and not 1 <= self.anchor_day <= 31:
            raise ValueError("the anchor day must be 1-31")


def clamped_day(year: int, month: int, day: int) -> dt.date:
    """``day`` of that month, or the month's last day when the month is shorter."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def next_due(due: dt.date, rule: Recurrence) -> dt.date:
    """The date after ``due`` in the series (``due`` may be a snoozed date)."""
    if rule.unit is RecurrenceUnit.DAYS:
        return due + dt.timedelta(days=rule.every)
    if rule.unit is RecurrenceUnit.WEEKS:
        return due + dt.timedelta(weeks=rule.every)
    year, month0 = divmod(due.year * 12 + due.month - 1 + rule.every, 12)
    return clamped_day(year, month0 + 1, rule.anchor_day or due.day)


def on_anchor(day: dt.date, anchor_day: int) -> bool:
    """True when ``day`` is where a monthly series anchored on ``anchor_day`` lands in its month."""
    return day == clamped_day(day.year, day.month, anchor_day)


# --------------------------------------------------------------------------------------------
# Snoozing
# --------------------------------------------------------------------------------------------


class Snooze(StrEnum):
    """The quick snooze choices; any other day can be picked as well."""

    DAY = "day"
    WEEK = "week"


SNOOZE_LABELS: dict[Snooze, str] = {
    Snooze.DAY: N_("Snooze 1 day"),
    Snooze.WEEK: N_("Snooze 1 week"),
}


def snoozed_until(due: dt.date, today: dt.date, choice: Snooze) -> dt.date:
    """The new due date: one day or week from today, or from ``due`` if that is later.

    Snoozing an overdue reminder by a day means "remind me tomorrow", not "the day after the
    old due date", which may still lie in the past.
    """
    start = max(due, today)
    return start + (dt.timedelta(days=1) if choice is Snooze.DAY else dt.timedelta(weeks=1))


# --------------------------------------------------------------------------------------------
# Grouping for the Reminders page
# --------------------------------------------------------------------------------------------


class DueGroup(StrEnum):
    """Where a reminder stands on a given day, in the order the page shows the groups."""

    OVERDUE = "overdue"
    TODAY = "today"
    THIS_WEEK = "this_week"
    LATER = "later"


DUE_GROUP_LABELS: dict[DueGroup, str] = {
    DueGroup.OVERDUE: N_("Overdue"),
    DueGroup.TODAY: N_("Today"),
    DueGroup.THIS_WEEK: N_("This week"),
    DueGroup.LATER: N_("Later"),
}


def due_group(due: dt.date, today: dt.date) -> DueGroup:
    """Overdue before today; This week = the rest of today's Monday-to-Sunday week."""
    if due < today:
        return DueGroup.OVERDUE
    if due == today:
        return DueGroup.TODAY
    sunday = today + dt.timedelta(days=6 - today.weekday())
    return DueGroup.THIS_WEEK if due <= sunday else DueGroup.LATER


def describe(rule: Recurrence) -> str:
    """How the series repeats, in words: "every 2 weeks", "every month (day 31 or …)"."""
    if rule.unit is RecurrenceUnit.DAYS:
        text = ngettext("every day", "every {n} days", rule.every)
    elif rule.unit is RecurrenceUnit.WEEKS:
        text = ngettext("every week", "every {n} weeks", rule.every)
    else:
        text = ngettext("every month", "every {n} months", rule.every)
        if rule.anchor_day is not None and rule.anchor_day > 28:
            text += " " + _("(day {day} or the month's last day)").format(day=rule.anchor_day)
    return text.format(n=rule.every)


@dataclass(frozen=True)
class ReminderFacts:
    """A stored reminder, for "already open or done" and "overdue" (``ReminderRow`` extends
    it)."""

    client_id: int | None
    purpose: ReminderPurpose
    due_on: dt.date
    done_on: dt.date | None = None
    id: int = 0
    channel: Channel | None = None
    note: str | None = None
