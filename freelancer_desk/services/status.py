"""The status document: the figures that ``status --json``, the dashboard and the PDF share.

One typed, dated document (DOMAIN.md §7): every figure is computed as of a day D for a period P,
and nothing dated after D counts. Beside the period stands the previous one of the same kind,
seen from its own last day, so that every figure can show its change. Money stays in integer
cents and shares in ``Fraction`` up to the JSON edge (``to_json``); pages and the PDF read the
attributes. Each area adds its part here, computed by its own service, so that one number has
one source.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from freelancer_desk import kept, status_document
from freelancer_desk.analytics.dependency import ClientShare, PayerShare, analyse
from freelancer_desk.analytics.periods import PeriodAsOf, compared_with
from freelancer_desk.collector import many_records
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

# The document's records live in ``status_document`` (read without the ORM at start); callers
# name them here as well.
from freelancer_desk.status_document import PeriodFigures as PeriodFigures
from freelancer_desk.status_document import Status as Status
from freelancer_desk.status_document import StatusRequest as StatusRequest


def build_status(db: Database, request: StatusRequest) -> Status:
    """The status document for the request (see ``StatusRequest`` for the defaults).

    Kept until the data changes (in ``db.memo`` and in the file); it holds no text in any
    language (explanations are ``texts.Text``), so one document serves every language.
    """
    seen = request.resolved()
    counted, found = status_document.read_kept(db, seen, request.basis)
    if found is not None:
        return found
    return db.memo.get(
        ("status", seen, request.basis), lambda: _computed(db, seen, request.basis, counted)
    )


def _computed(db: Database, seen: PeriodAsOf, basis: str | None, counted: int | None) -> Status:
    """The document computed, and kept in the file soon after for the counter value it was read
    at (``kept.Keeper``). The collector waits meanwhile: thousands of records, none in a cycle."""
    with many_records():
        status = _build(db, seen, basis)
    if counted is not None:
        db.keeper.later(status_document.key(seen, basis), counted, lambda: kept.dumps(status))
    return status


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
