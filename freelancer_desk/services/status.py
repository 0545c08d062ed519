"""The status document: the figures that ``status --json``, the dashboard and the PDF share.

One typed, dated document (DOMAIN.md §7): every figure is computed as of a day D for a period P,
and nothing dated after D counts. Beside the period stands the previous one of the same kind,
seen from its own last day, so that every figure can show its change. Money stays in integer
cents and shares in ``Fraction`` up to the JSON edge (``to_json``); pages and the PDF read the
attributes. Each area adds its part here, computed by its own service, so that one number has
one source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from freelancer_desk import clock, kept
from freelancer_desk.analytics.dependency import (
    ClientShare,
    Dependency,
    Level,
    MonthShare,
    PayerShare,
    Thresholds,
    analyse,
)
from freelancer_desk.analytics.periods import Period, PeriodAsOf, compared_with, resolve
from freelancer_desk.analytics.winback import WinbackFigures
from freelancer_desk.db import Database
from freelancer_desk.money import from_cents, round_cents
from freelancer_desk.self_check import INDICATORS
from freelancer_desk.services import at_risk as at_risk_service
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import self_check as self_check_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.at_risk import AtRisk, Sleeping
from freelancer_desk.services.reminders import ReminderRow


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


def build_status(db: Database, request: StatusRequest) -> Status:
    """The status document for the request (see ``StatusRequest`` for the defaults).

    Kept until the data changes (``db.memo``); it holds no text in any language (explanations
    are ``texts.Text``), so one document serves every language.
    """
    seen = request.resolved()
    return db.memo.get(("status", seen, request.basis), lambda: _kept(db, seen, request.basis))


def _kept(db: Database, seen: PeriodAsOf, basis: str | None) -> Status:
    """The document kept in the file while its data is unchanged, else computed and kept."""
    return kept.kept_or_computed(
        db.path,
        kept.key_text("status", seen, basis),
        lambda: _build(db, seen, basis),
        lambda found: isinstance(found, Status),
        reader=not db.writable,
    )


def _build(db: Database, seen: PeriodAsOf, basis: str | None) -> Status:
    settings = settings_service.load(db)
    basis = basis or settings.basis
    thresholds = dependency_service.thresholds(settings)
    period, as_of = seen.period, seen.as_of
    before = compared_with(period, as_of)
    before_as_of = min(before.last_day, as_of)
    # Both periods in one read; the previous one (cut to the same span while the period
    # runs) is seen from its own last day, which lies before D, so the cut at D is the same
    # for both.
    current_net, previous_net = revenue_service.net_by_client_in(db, (period, before), basis, as_of)
    clients = dependency_service.client_infos(db)
    trend, months = dependency_service.top_share_trend(
        db, period, as_of, basis, clients, thresholds.critical
    )
    flagged = at_risk_service.at_risk_and_sleeping(db, as_of)
    return Status(
        period=period,
        as_of=as_of,
        figures=analyse(current_net, clients, thresholds, previous_net),
        provisional=seen.provisional,
        basis=basis,
        thresholds=thresholds,
        previous=PeriodFigures(before, before_as_of, analyse(previous_net, clients, thresholds)),
        trend=trend,
        months_at_or_above_critical=months,
        self_check=self_check_service.ticked(db),
        reminders_due=tuple(reminders_service.due_reminders(db, as_of)),
        at_risk=flagged.at_risk,
        sleeping=flagged.sleeping,
        winback=winback_service.status_figures(db, as_of),
    )


# --------------------------------------------------------------------------------------------
# The JSON edge
# --------------------------------------------------------------------------------------------


def _money(cents: int) -> float:
    """Cents as a JSON number with two decimals (exact for every amount the app stores)."""
    return float(from_cents(cents))


def _rounded(value: Fraction | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _top_payer(figures: PeriodFigures) -> dict[str, Any] | None:
    top = figures.top_payer
    return None if top is None else {"name": top.name, "share": float(top.share)}


def _note(row: ClientShare | PayerShare, lang: str | None) -> str | None:
    return None if row.note is None else row.note.render(lang)


def to_json(status: Status, lang: str | None = None) -> dict[str, Any]:
    """The document as ``status --json`` prints it: money in euros, shares as numbers 0..1,
    explanations in ``lang`` (None: the current language).

    Every key keeps the meaning and format it has had; new keys are only ever added.
    """
    return {
        "as_of": status.as_of.isoformat(),
        "period_start": status.period.start.isoformat(),
        "period_end": status.period.last_day.isoformat(),
        "provisional": status.provisional,
        "basis": status.basis,
        "total_net": _money(status.total_net_cents),
        "clients": [
            {
                "name": row.name,
                "net": _money(row.net_cents),
                "share": float(row.share),
                "previous_net": _money(row.previous_net_cents),
                "note": _note(row, lang),
            }
            for row in status.clients
        ],
        "no_revenue": not status.has_revenue,
        "thresholds": {
            "warning": float(status.thresholds.warning),
            "critical": float(status.thresholds.critical),
        },
        "payers": [
            {
                "name": payer.name,
                "net": _money(payer.net_cents),
                "share": float(payer.share),
                "clients": list(payer.clients),
                "group": payer.is_group,
                "previous_net": _money(payer.previous_net_cents),
                "note": _note(payer, lang),
            }
            for payer in status.payers
        ],
        "top_payer": _top_payer(status),
        "hhi": _rounded(status.hhi),
        "effective_clients": _rounded(status.effective_clients),
        "level": status.level.value,
        "extra_revenue_needed": {
            "below_half": _money(status.extra_below_warning_cents),
            "below_five_sixths": _money(status.extra_below_critical_cents),
        },
        "months_at_or_above_five_sixths": status.months_at_or_above_critical,
        "top_share_by_month": [
            {
                "month_end": point.month_end.isoformat(),
                "share": None if point.share is None else float(point.share),
                "payer": point.payer,
            }
            for point in status.trend
        ],
        "self_check": {
            "ticked": [item.key for item in INDICATORS if item.key in status.self_check],
            "indicators": len(INDICATORS),
        },
        "previous_period": {
            "period_start": status.previous.period.start.isoformat(),
            "period_end": status.previous.period.last_day.isoformat(),
            "total_net": _money(status.previous.total_net_cents),
            "top_payer": _top_payer(status.previous),
            "level": status.previous.level.value,
            "hhi": _rounded(status.previous.hhi),
            "effective_clients": _rounded(status.previous.effective_clients),
        },
        "reminders_due": [
            {"client": row.client_name, "due": row.due_on.isoformat(), "purpose": row.purpose.value}
            for row in status.reminders_due
        ],
        "at_risk": [
            {
                "id": row.client_id,
                "name": row.name,
                "signals": [signal.name for signal in row.signals],
                "explanations": [signal.explanation(lang) for signal in row.signals],
            }
            for row in status.at_risk
        ],
        "sleeping": [
            {
                "id": row.client_id,
                "name": row.name,
                "last_invoice": row.last_invoice.isoformat() if row.last_invoice else None,
                "days": row.days,
            }
            for row in status.sleeping
        ],
        "winback": {
            "cases": status.winback.cases,
            "won_back": status.winback.won_back,
            "rate": float(status.winback.rate),
            "recovered_net": float(round_cents(status.winback.recovered_net)),
        },
    }
