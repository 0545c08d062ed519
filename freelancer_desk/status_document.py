"""The status document's records, and reading a kept document, without the ORM.

The status document (``services.status`` computes it) is what the dashboard, the printed review
and ``status --json`` show. Its records live here, apart from the services, and this module
imports neither SQLAlchemy nor the models: a start of the window reads the document kept in the
file (``freelancer_desk.kept``) and paints it before the ORM is loaded, which costs about half a
second. Only when the data changed since is the document computed, by ``services.status``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from freelancer_desk import clock, kept
from freelancer_desk.analytics.dependency import (
    ClientShare,
    Dependency,
    Level,
    MonthShare,
    PayerShare,
    Thresholds,
)
from freelancer_desk.analytics.periods import Period, PeriodAsOf, resolve
from freelancer_desk.analytics.recurrence import Recurrence, ReminderFacts
from freelancer_desk.analytics.warnings import Signal
from freelancer_desk.analytics.winback import WinbackFigures
from freelancer_desk.choices import Channel
from freelancer_desk.contact_rules import ContactPermission
from freelancer_desk.db import Database


@dataclass(frozen=True, kw_only=True)
class ReminderRow(ReminderFacts):
    """One reminder as the Reminders page, the dashboard, the calendar export and the
    step plan see it."""

    id: int
    uid: str
    client_name: str | None
    channel: Channel | None
    note: str | None
    recurrence: Recurrence | None
    #: Set when the contact rules block the reminder on the day it is acted on: the reason.
    blocked: ContactPermission | None = None


@dataclass(frozen=True)
class AtRisk:
    """A client whose status is "at risk", with the signs that made it so."""

    client_id: int
    name: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Sleeping:
    """A client with no revenue for the set number of days, not marked lost."""

    client_id: int
    name: str
    last_invoice: dt.date | None
    days: int


@dataclass(frozen=True)
class StatusRequest:
    """What the status is asked for; everything left out follows the one rule for time.

    Attributes:
        as_of: the day D the figures are seen from; default: the earlier of ``today`` and the
            period's last day.
        period: default: the 12 months ending on D.
        basis: ``invoice`` or ``paid``; default: the setting.
        today: the real today (tests pin it); it decides the defaults and whether the period
            is still running (provisional).
    """

    as_of: dt.date | None = None
    period: Period | None = None
    basis: str | None = None
    today: dt.date | None = None

    def resolved(self) -> PeriodAsOf:
        """The period and the day, both filled in."""
        return resolve(self.period, self.as_of, self.today or clock.today())


@dataclass(frozen=True)
class PeriodFigures:
    """The revenue figures of one period seen from one day: shares, level, HHI, what-if."""

    period: Period
    as_of: dt.date
    figures: Dependency

    @property
    def total_net_cents(self) -> int:
        """All net revenue of the period, credit notes subtracted."""
        return self.figures.total_cents

    @property
    def clients(self) -> tuple[ClientShare, ...]:
        """Clients with entries in the period, largest first."""
        return self.figures.clients

    @property
    def payers(self) -> tuple[PayerShare, ...]:
        """Payers (a group counts as one) with entries in the period, largest first."""
        return self.figures.payers

    @property
    def top_payer(self) -> PayerShare | None:
        """The payer with the largest positive net, or None without revenue."""
        return self.figures.top

    @property
    def level(self) -> Level:
        return self.figures.level

    @property
    def hhi(self) -> Fraction | None:
        return self.figures.hhi

    @property
    def effective_clients(self) -> Fraction | None:
        return self.figures.effective_clients

    @property
    def has_revenue(self) -> bool:
        """False when no payer has positive revenue: there are no shares to compare."""
        return self.figures.has_revenue

    @property
    def extra_below_warning_cents(self) -> int:
        """More revenue from others that brings the top payer below the warning share."""
        return self.figures.extra_below_warning_cents

    @property
    def extra_below_critical_cents(self) -> int:
        """More revenue from others that brings the top payer below the critical share (5/6)."""
        return self.figures.extra_below_critical_cents


@dataclass(frozen=True)
class Status(PeriodFigures):
    """Everything the dashboard, the printed review and ``status --json`` show.

    Attributes:
        provisional: the period was still running on ``as_of`` or is still running today, so
            its figures may change ("provisional, as of …").
        previous: the same figures for the period of the same kind right before, seen from
            its own last day; while the period is still running on ``as_of``, for the same span
            of it (``periods.compared_with``): 1 Jan–30 Jun 2025 beside 1 Jan–30 Jun 2026.
        trend: the top share of the rolling 12 months at the last 24 month ends.
        months_at_or_above_critical: month ends in a row, up to the period's end, with the top
            share at or above the critical share.
        self_check: keys of the false self-employment indicators the user ticked.
        reminders_due: open reminders due on or before ``as_of`` that the contact rules do not
            block.
        at_risk: clients with warning signs on ``as_of``, most signs first.
        sleeping: clients without revenue for the set number of days, longest first.
        winback: the win-back totals of every case up to ``as_of``.
    """

    provisional: bool
    basis: str
    thresholds: Thresholds
    previous: PeriodFigures
    trend: tuple[MonthShare, ...]
    months_at_or_above_critical: int
    self_check: frozenset[str]
    reminders_due: tuple[ReminderRow, ...]
    at_risk: tuple[AtRisk, ...]
    sleeping: tuple[Sleeping, ...]
    winback: WinbackFigures


#: Raised when the document's records move to other modules or change: a document kept by an
#: earlier build is then computed anew, not revived through the places it named (which may
#: load the ORM).
FORMAT = 2


def key(seen: PeriodAsOf, basis: str | None) -> str:
    """The key of the document kept for a request (``freelancer_desk.kept``)."""
    return kept.key_text("status", FORMAT, seen, basis)


def read_kept(
    db: Database, seen: PeriodAsOf, basis: str | None
) -> tuple[int | None, Status | None]:
    """The change counter now, and the document kept for the request while the data is unchanged
    since it was computed (None: it must be computed).

    Asked once per change of the data (``db.memo``): the window's dashboard and
    ``services.status.build_status`` share the answer.
    """

    def read() -> tuple[int | None, Status | None]:
        counted, body = kept.read(db.path, key(seen, basis))
        if body is not None:
            with contextlib.suppress(ValueError):  # one written by another version: computed anew
                found = kept.loads(body)
                if isinstance(found, Status):
                    return counted, found
        return counted, None

    return db.memo.get(("kept status", seen, basis), read)


def kept_status(db: Database, request: StatusRequest) -> Status | None:
    """The status document for the request as kept in the file, while its data is unchanged;
    None when it must be computed (``services.status.build_status``)."""
    return read_kept(db, request.resolved(), request.basis)[1]
