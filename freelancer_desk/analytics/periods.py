"""Reporting periods as half-open date ranges ``[start, end)``.

The user-facing "12 months ending on a day" includes both its first and its last day; the
half-open form keeps comparisons simple (``start <= d < end``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from freelancer_desk import formatting
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


@dataclass(frozen=True)
class Period:
    """A date range; ``end`` is the first day NOT included."""

    start: dt.date
    end: dt.date
    kind: str = "custom"

    @property
    def last_day(self) -> dt.date:
        """The last day included."""
        return self.end - dt.timedelta(days=1)

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day < self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def rolling_12_months(as_of: dt.date) -> Period:
    """The 12 months ending on ``as_of``, both ends included (2025-11-23 … 2026-11-22)."""
    end = as_of + dt.timedelta(days=1)
    return Period(add_months(end, -12), end, "rolling")


def calendar_year(year: int) -> Period:
    """1 January … 31 December of ``year``."""
    return Period(dt.date(year, 1, 1), dt.date(year + 1, 1, 1), "year")


def quarter(year: int, number: int) -> Period:
    """Quarter ``number`` (1–4) of ``year``."""
    if not 1 <= number <= 4:
        raise ValueError(f"quarter must be 1-4, not {number}")
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    return Period(start, add_months(start, 3), "quarter")


def custom(first_day: dt.date, last_day: dt.date) -> Period:
    """From ``first_day`` to ``last_day``, both included."""
    if last_day < first_day:
        raise ValueError("the period ends before it starts")
    return Period(first_day, last_day + dt.timedelta(days=1), "custom")


_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def previous(period: Period) -> Period:
    """The period of the same kind right before ``period``: the year, quarter or 12 months
    before, or for a custom period the same number of days ending the day before it starts."""
    if period.kind == "year":
        return calendar_year(period.start.year - 1)
    if period.kind == "quarter":
        start = add_months(period.start, -3)
        return quarter(start.year, (start.month - 1) // 3 + 1)
    last_day = period.start - dt.timedelta(days=1)
    if period.kind == "rolling":
        return rolling_12_months(last_day)
    return custom(period.start - dt.timedelta(days=period.days), last_day)


def compared_with(period: Period, as_of: dt.date) -> Period:
    """The period the figures of ``period`` seen from ``as_of`` stand beside: the previous
    period of the same kind, or while ``period`` is still running on ``as_of`` the same span of
    it (1 Jan–30 Jun 2025 beside 1 Jan–30 Jun 2026), so that like is compared with like and a
    half year never stands beside a whole one."""
    before = previous(period)
    if as_of >= period.last_day:
        return before
    months = {"year": 12, "quarter": 3}.get(period.kind)
    if months is not None:
        last_day = add_months(as_of, -months)  # 29 Feb 2028 → 28 Feb 2027
    else:
        last_day = before.start + (as_of - period.start)
    return custom(before.start, min(max(last_day, before.start), before.last_day))


@dataclass(frozen=True)
class PeriodAsOf:
    """A period seen from a day: every figure counts only what is dated on or before ``as_of``.

    ``provisional``: the figures may still change, because the period was still running on
    ``as_of`` or is still running today.
    """

    period: Period
    as_of: dt.date
    provisional: bool


def resolve(period: Period | None, as_of: dt.date | None, today: dt.date) -> PeriodAsOf:
    """The one rule for time (DOMAIN.md §7): the day defaults to the earlier of ``today`` and
    the period's last day, the period to the 12 months ending on that day.

    A closed period is therefore seen from its last day whenever it is looked at, and reads the
    same every time. A day after ``today`` is refused (``InputError``) rather than moved to
    today: nothing after today has happened, so every client would look asleep and every
    invoice overdue, and moving the day silently would answer another question than the one
    asked.
    """
    if as_of is not None and as_of > today:
        raise InputError(
            "as_of",
            _(
                "{day} lies after today ({today}); figures can only be seen from today or an "
                "earlier day."
            ).format(day=formatting.date(as_of), today=formatting.date(today)),
            label=_("Day looked from"),
        )
    if period is None:
        day = as_of or today
        period = rolling_12_months(day)
    else:
        day = as_of or min(today, period.last_day)
    return PeriodAsOf(period, day, day < period.last_day or today <= period.last_day)


def parse_quarter(text: str) -> Period:
    """``2025-Q3`` (or ``2025Q3``) as a Period; ValueError otherwise."""
    match = _QUARTER.match(text.strip())
    if not match:
        raise ValueError(text)
    return quarter(int(match.group(1)), int(match.group(2)))
