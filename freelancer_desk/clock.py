"""Today, for the whole app: every default day is read here.

Every figure is true for a day (DOMAIN.md §7), and what counts as "today" decides defaults,
what is overdue and whether a period is still running. Reading the computer's date in one
place lets tests pin the day for everything at once (``pinned``), so that a run across midnight
sees one day throughout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

_pinned: dt.date | None = None


def today() -> dt.date:
    """The day the user works on: the computer's date, unless pinned."""
    return _pinned if _pinned is not None else dt.date.today()


@contextmanager
def pinned(day: dt.date) -> Iterator[dt.date]:
    """Make ``day`` today inside the block (for every thread); the previous day comes back
    after it."""
    global _pinned
    before, _pinned = _pinned, day
    try:
        yield day
    finally:
        _pinned = before
