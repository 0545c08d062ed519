"""A client's revenue over time, per calendar quarter (the dossier's small chart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from freelancer_desk.analytics.periods import Period, add_months, quarter


@dataclass(frozen=True)
class QuarterTotal:
    """Net cents of one calendar quarter."""

    period: Period
    net_cents: int

    @property
    def number(self) -> int:
        """1 … 4."""
        return (self.period.start.month - 1) // 3 + 1

    @property
    def year(self) -> int:
        return self.period.start.year


def quarter_of(day: dt.date) -> Period:
    """The calendar quarter ``day`` lies in."""
    return quarter(day.year, (day.month - 1) // 3 + 1)


def quarterly_totals(
    amounts: Iterable[tuple[dt.date, int]], last_day: dt.date, count: int = 8
) -> list[QuarterTotal]:
    """Net cents per quarter for the ``count`` quarters up to the one holding ``last_day``.

    ``amounts`` are (date, cents) pairs; credit notes are negative and subtract. Quarters
    without revenue are kept (as 0) so that gaps show.
    """
    last = quarter_of(last_day)
    quarters = [quarter_of(add_months(last.start, -3 * back)) for back in range(count - 1, -1, -1)]
    sums = {period.start: 0 for period in quarters}
    first = quarters[0].start
    for day, cents in amounts:
        if first <= day < last.end:
            key = quarter_of(day).start
            sums[key] += cents
    return [QuarterTotal(period, sums[period.start]) for period in quarters]
