"""Dependency figures from the database: sums in SQL, the rules in ``analytics.dependency``.

Revenue is summed per client (for the period) and per client and calendar month (for the
rolling 12-month trend) with GROUP BY, so that even 100,000 entries never travel into Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from freelancer_desk.analytics.dependency import (
    TREND_MONTHS,
    ClientInfo,
    Dependency,
    MonthShare,
    Thresholds,
    analyse,
    last_month_end,
    month_of,
    months_at_or_above,
    rolling_top_shares,
    streak_end,
)
from freelancer_desk.analytics.periods import Period, add_months
from freelancer_desk.db import Database
from freelancer_desk.models import Client, ClientGroup, RevenueEntry
from freelancer_desk.money import from_cents
from freelancer_desk.names import collation_key
from freelancer_desk.self_check import INDICATORS
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import self_check as self_check_service
from freelancer_desk.services import settings as settings_service


@dataclass(frozen=True)
class DependencyReport:
    """Everything the dependency card, the PDF and ``status --json`` show for one period."""

    period: Period
    basis: str
    thresholds: Thresholds
    figures: Dependency
    #: The top share of the rolling 12 months at the last ``TREND_MONTHS`` month ends, oldest first.
    trend: tuple[MonthShare, ...]
    #: Month ends in a row, up to the period's end, with the top share at or above critical.
    months_at_or_above_critical: int
    #: Keys of the self-check indicators the user ticked.
    self_check: frozenset[str]


def _client_rows(session: Session) -> list[tuple[int, str, int | None, str | None]]:
    """(id, name, group id, group name) of every client."""
    rows = session.exec(
        select(Client.id, Client.name, Client.group_id, ClientGroup.name).join(
            ClientGroup, col(Client.group_id) == ClientGroup.id, isouter=True
        )
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]  # rows of four columns, typed as a tuple of any length


def _client_infos(session: Session) -> dict[int, ClientInfo]:
    return {row[0]: ClientInfo(*row) for row in _client_rows(session)}


def clients_with_groups(db: Database) -> list[ClientInfo]:
    """Every client with the group it belongs to, by name: for assigning clients to groups."""
    with db.session() as session:
        infos = _client_infos(session)
    return sorted(infos.values(), key=lambda info: (collation_key(info.name), info.id))


def _monthly_net(
    session: Session, basis: str, first_day: dt.date | None, last_day: dt.date
) -> dict[tuple[int, tuple[int, int]], int]:
    """Net cents per (client, calendar month) from ``first_day`` (None: the first entry) to
    ``last_day``.

    Runs on the session's connection: the ORM's per-row bookkeeping would cost more than the query.
    """
    column = col(RevenueEntry.paid_date) if basis == "paid" else col(RevenueEntry.invoice_date)
    month = func.substr(column, 1, 7)
    since = column >= first_day if first_day is not None else col(column).is_not(None)
    # Month first: SQLite then walks the date index once instead of every client's entries.
    rows = (
        session.connection()
        .execute(
            select(month, RevenueEntry.client_id, func.sum(RevenueEntry.net_cents))
            .where(since, column <= last_day)
            .group_by(month, col(RevenueEntry.client_id))
        )
        .all()
    )
    months: dict[str, tuple[int, int]] = {}
    return {
        (cid, months.get(ym) or months.setdefault(ym, (int(ym[:4]), int(ym[5:7])))): int(cents)
        for ym, cid, cents in rows
    }


def _top_share_series(
    session: Session, clients: dict[int, ClientInfo], basis: str, last: dt.date, critical: Fraction
) -> list[MonthShare]:
    """The top share at every month end up to ``last``, from the trend's first month or earlier.

    The trend needs the 12 months before its first month end only. Older entries are read only
    when the top share stayed at or above ``critical`` through the whole trend, because then
    the "months in a row" count goes back further.
    """
    first_trend = month_of(add_months(last.replace(day=1), 1 - TREND_MONTHS))
    window_start = add_months(dt.date(*first_trend, 1), -11)
    monthly = _monthly_net(session, basis, window_start, last)
    series = rolling_top_shares(monthly, clients, first_trend, month_of(last))
    if months_at_or_above(series, critical) < len(series):
        return series
    monthly = _monthly_net(session, basis, None, last)
    first = min([first_trend, *(month for _cid, month in monthly)])
    return rolling_top_shares(monthly, clients, first, month_of(last))


def report(
    db: Database,
    period: Period,
    as_of: dt.date,
    basis: str | None = None,
    per_client: dict[int, int] | None = None,
) -> DependencyReport:
    """The dependency figures of ``period`` by ``basis`` (default: the setting), seen on ``as_of``.

    ``per_client``: the period's net cents per client when the caller has summed them already.
    """
    settings = settings_service.load(db)
    basis = basis or settings.basis
    thresholds = Thresholds(settings.warning_share, settings.critical_share)
    if per_client is None:
        per_client = revenue_service.net_by_client(db, period, basis)
    last = last_month_end(streak_end(period, as_of))
    with db.session() as session:
        clients = _client_infos(session)
        series = _top_share_series(session, clients, basis, last, thresholds.critical)
    return DependencyReport(
        period=period,
        basis=basis,
        thresholds=thresholds,
        figures=analyse(per_client, clients, thresholds),
        trend=tuple(series[-TREND_MONTHS:]),
        months_at_or_above_critical=months_at_or_above(series, thresholds.critical),
        self_check=self_check_service.ticked(db),
    )


@dataclass(frozen=True)
class GroupRow:
    """A client group with its clients and their summed net revenue in a period."""

    id: int
    name: str
    note: str | None
    clients: tuple[str, ...]
    net: Decimal


def group_rows(db: Database, period: Period, basis: str | None = None) -> list[GroupRow]:
    """Every group (also empty ones) with its clients and its net revenue in ``period``."""
    basis = basis or settings_service.load(db).basis
    per_client = revenue_service.net_by_client(db, period, basis)
    with db.session() as session:
        groups = sorted(
            session.exec(select(ClientGroup)).all(), key=lambda g: collation_key(g.name)
        )
        members: dict[int, list[tuple[int, str]]] = {}
        for cid, name, group_id, _group_name in _client_rows(session):
            if group_id is not None:
                members.setdefault(group_id, []).append((cid, name))
    rows = []
    for group in groups:
        assert group.id is not None
        clients = members.get(group.id, [])
        rows.append(
            GroupRow(
                id=group.id,
                name=group.name,
                note=group.note,
                clients=tuple(sorted((name for _cid, name in clients), key=collation_key)),
                net=from_cents(sum(per_client.get(cid, 0) for cid, _name in clients)),
            )
        )
    return rows


def _money(cents: int) -> float:
    return float(from_cents(cents))


def _rounded(value: Any) -> float | None:
    return None if value is None else round(float(value), 2)


def status_keys(result: DependencyReport) -> dict[str, Any]:
    """The dependency keys of the status document (shares as fractions 0..1, money in euros)."""
    figures = result.figures
    top = figures.top
    return {
        "basis": result.basis,
        "no_revenue": not figures.has_revenue,
        "thresholds": {
            "warning": float(result.thresholds.warning),
            "critical": float(result.thresholds.critical),
        },
        "payers": [
            {
                "name": payer.name,
                "net": _money(payer.net_cents),
                "share": float(payer.share),
                "clients": list(payer.clients),
                "group": payer.is_group,
            }
            for payer in figures.payers
        ],
        "top_payer": None if top is None else {"name": top.name, "share": float(top.share)},
        "hhi": _rounded(figures.hhi),
        "effective_clients": _rounded(figures.effective_clients),
        "level": figures.level.value,
        "extra_revenue_needed": {
            "below_half": _money(figures.extra_below_warning_cents),
            "below_five_sixths": _money(figures.extra_below_critical_cents),
        },
        "months_at_or_above_five_sixths": result.months_at_or_above_critical,
        "top_share_by_month": [
            {
                "month_end": point.month_end.isoformat(),
                "share": None if point.share is None else float(point.share),
                "payer": point.payer,
            }
            for point in result.trend
        ],
        "self_check": {
            "ticked": [item.key for item in INDICATORS if item.key in result.self_check],
            "indicators": len(INDICATORS),
        },
    }
