"""Dependency figures from the database: sums in SQL, the rules in ``analytics.dependency``.

Revenue is summed per client (for the period) with GROUP BY and read per client and calendar
month (for the rolling 12-month trend) from the totals the triggers keep, so that even 100,000
entries never travel into Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from sqlmodel import Session, col, select

from freelancer_desk import erasure, month_totals
from freelancer_desk.analytics.dependency import (
    TREND_MONTHS,
    ClientInfo,
    MonthShare,
    Thresholds,
    last_month_end,
    month_of,
    months_at_or_above,
    rolling_top_shares,
    streak_end,
)
from freelancer_desk.analytics.periods import Period, add_months
from freelancer_desk.db import Database
from freelancer_desk.models import Client, ClientGroup
from freelancer_desk.money import from_cents
from freelancer_desk.names import collation_key
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.settings import DeskSettings


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
    ``last_day``, whole months (both are a month's first and last day).

    Read from the monthly totals the triggers keep (``month_totals``) on the session's own
    ``sqlite3`` connection: summing the entries, or SQLAlchemy's work per row, would cost more.
    """
    count, cents = month_totals.net_columns(basis)
    rows = (
        erasure.raw_connection(session)
        .execute(
            f"SELECT month, client_id, {cents} FROM {month_totals.TABLE} "
            f"WHERE month >= ? AND month <= ? AND {count} > 0",
            (
                month_totals.month_of(first_day) if first_day else "",
                month_totals.month_of(last_day),
            ),
        )
        .fetchall()
    )
    months: dict[str, tuple[int, int]] = {}
    return {
        (cid, months.get(ym) or months.setdefault(ym, (int(ym[:4]), int(ym[5:7])))): cents
        for ym, cid, cents in rows
    }


def _top_share_series(
    session: Session,
    clients: Mapping[int, ClientInfo],
    basis: str,
    last: dt.date,
    critical: Fraction,
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


def client_infos(db: Database) -> dict[int, ClientInfo]:
    """Every client with its group, by id: who pays as one payer."""
    with db.session() as session:
        return _client_infos(session)


def thresholds(settings: DeskSettings) -> Thresholds:
    """The warning and critical shares the user set."""
    return Thresholds(settings.warning_share, settings.critical_share)


def top_share_trend(
    db: Database,
    period: Period,
    as_of: dt.date,
    basis: str,
    clients: Mapping[int, ClientInfo],
    critical: Fraction,
) -> tuple[tuple[MonthShare, ...], int]:
    """The top payer's share of the rolling 12 months at the last ``TREND_MONTHS`` month ends
    up to the period's end (never after ``as_of``), and how many month ends in a row it stayed
    at or above ``critical``."""
    last = last_month_end(streak_end(period, as_of))
    with db.session() as session:
        series = _top_share_series(session, clients, basis, last, critical)
    return tuple(series[-TREND_MONTHS:]), months_at_or_above(series, critical)


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
