"""Warning signs of every client, from a few grouped queries (see ``analytics.warnings``).

SQL sums revenue and interactions per client over the recent and the usual window; Python
then judges the sums. A few grouped queries serve any number of clients, which keeps the
Clients table and the dashboard fast with thousands of clients and a hundred thousand invoices.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import case, func, select
from sqlmodel import Session, col

from freelancer_desk import erasure, month_totals
from freelancer_desk.analytics.periods import add_months
from freelancer_desk.analytics.warnings import (
    ClientHistory,
    MonthFigures,
    Signal,
    first_month_needed,
    overdue_cutoff,
    recent_start,
    signals,
)
from freelancer_desk.db import Database
from freelancer_desk.models import Client, Interaction, InteractionKind, RevenueEntry
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.revenue import records_payments
from freelancer_desk.settings import DeskSettings

#: Position in ``MonthFigures`` of each interaction kind that a sign counts.
_KIND_FIELDS = {
    kind: MonthFigures._fields.index(name)
    for kind, name in (
        (InteractionKind.COMPLAINT, "complaints"),
        (InteractionKind.UNREACHABLE, "unreachable"),
        (InteractionKind.CHASING, "chasing"),
    )
}
_FIELDS = len(MonthFigures._fields)


def signals_by_client(db: Database, as_of: dt.date) -> dict[int, list[Signal]]:
    """The warning signs of every client that has any, by client id (kept until the data
    changes)."""
    kept = db.memo.get(("signals", as_of), lambda: _signals_by_client(db, as_of))
    return {cid: list(client_signals) for cid, client_signals in kept.items()}


def _signals_by_client(db: Database, as_of: dt.date) -> dict[int, tuple[Signal, ...]]:
    settings = settings_service.load(db)
    with db.session() as session:
        histories = _histories(session, as_of, settings)
    found = {cid: signals(history, as_of, settings) for cid, history in histories.items()}
    return {cid: tuple(client_signals) for cid, client_signals in found.items() if client_signals}


def signals_in(
    session: Session, client_id: int, as_of: dt.date, settings: DeskSettings
) -> list[Signal]:
    """The warning signs of one client on ``as_of``, inside a service's own transaction (a
    loss keeps the signs of its day)."""
    history = _histories(session, as_of, settings, only_client=client_id).get(client_id)
    return [] if history is None else signals(history, as_of, settings)


def _histories(
    session: Session, as_of: dt.date, settings: DeskSettings, only_client: int | None = None
) -> dict[int, ClientHistory]:
    """Window sums, history start, unpaid invoices and payment tracking of every client.

    The monthly totals give each client's recent and usual window in one grouped pass (two
    rows per client, not one per month; ``_window_sums``). The queries avoid joins (each costs
    as much as the whole GROUP BY): payment terms are applied here in Python, from one small
    query over the clients.
    They run on the session's connection, without the ORM's per-row bookkeeping.
    ``only_client``: only that client's history.
    """

    def only(column: Any) -> tuple[Any, ...]:
        """The condition that limits a query to ``only_client`` (none for every client)."""
        return () if only_client is None else (column == only_client,)

    connection = session.connection()
    first_needed = first_month_needed(as_of, settings)
    recent = recent_start(as_of, settings)
    entry = RevenueEntry
    positive = col(entry.net_cents) > 0
    terms: dict[int, int] = defaultdict(lambda: settings.default_payment_term_days)
    # A damaged file opened anyway may hold entries of missing clients: they get the default.
    for client_id, term in connection.execute(
        select(col(Client.id), col(Client.payment_term_days)).where(
            col(Client.payment_term_days).is_not(None)
        )
    ):
        if client_id is not None and term is not None:
            terms[client_id] = term

    sums = _window_sums(
        erasure.raw_connection(session), as_of, first_needed, recent, terms, only_client
    )

    in_recent = case((col(Interaction.date) >= recent, 0), else_=1)
    for client_id, window, kind, count in connection.execute(
        select(col(Interaction.client_id), in_recent, col(Interaction.kind), func.count())
        .where(
            col(Interaction.kind).in_(list(_KIND_FIELDS)),
            col(Interaction.date) >= first_needed,
            col(Interaction.date) <= as_of,
            *only(col(Interaction.client_id)),
        )
        .group_by(col(Interaction.client_id), in_recent, col(Interaction.kind))
    ).all():
        sums[client_id][window][_KIND_FIELDS[InteractionKind(kind)]] = count

    # Each client's first entry and first contact, each found on its (client, date) index:
    # quicker than a grouped minimum over every entry.
    starts: dict[int, list[dt.date]] = {}
    for client_id, *firsts in connection.execute(
        select(
            col(Client.id),
            *(
                select(func.min(day))
                .where(col(table.client_id) == col(Client.id), day <= as_of)
                .scalar_subquery()
                for table, day in (
                    (entry, col(entry.invoice_date)),
                    (Interaction, col(Interaction.date)),
                )
            ),
        ).where(*only(col(Client.id)))
    ):
        days = [first for first in firsts if first is not None]
        if client_id is not None and days:  # read from the table: every client has its id
            starts[client_id] = days

    tracking = records_payments(connection, as_of)
    unpaid: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    cutoff = overdue_cutoff(as_of, settings)
    # The due date is never before coalesce(due, invoice), so this finds every overdue invoice;
    # the two halves use the index on the paid date.
    for still_open in (col(entry.paid_date).is_(None), col(entry.paid_date) > as_of):
        for client_id, invoice_date, due_date, cents in connection.execute(
            select(
                col(entry.client_id),
                col(entry.invoice_date),
                col(entry.due_date),
                col(entry.net_cents),
            ).where(
                still_open,
                positive,
                *only(col(entry.client_id)),
                col(entry.invoice_date) <= as_of,
                func.coalesce(col(entry.due_date), col(entry.invoice_date)) < cutoff,
            )
        ):
            due = due_date or invoice_date + dt.timedelta(days=terms[client_id])
            unpaid[client_id].append((due, cents))

    return {
        client_id: ClientHistory(
            client_id=client_id,
            first_activity=min(days),
            sums=(MonthFigures(*sums[client_id][0]), MonthFigures(*sums[client_id][1])),
            unpaid=tuple(unpaid[client_id]),
            tracks_payments=tracking,
        )
        for client_id, days in starts.items()
    }


def _window_sums(
    connection: sqlite3.Connection,
    as_of: dt.date,
    first_needed: dt.date,
    recent: dt.date,
    terms: Mapping[int, int],
    only_client: int | None,
) -> defaultdict[int, list[list[int]]]:
    """Orders, order cents, paid orders and their delay of every client in the recent window
    (index 0) and the usual one (1), by invoice date up to ``as_of``, paid on or before it.

    The monthly totals (``month_totals``) hold whole months and payments on any day: the
    entries invoiced after ``as_of`` in its month and those paid after ``as_of`` are taken off
    again, a few rows read on the date indexes instead of every entry of the windows.
    """
    only = "" if only_client is None else f" AND client_id = {int(only_client)}"
    # Per client and window: orders, cents, paid orders, days paid after due or invoice date,
    # paid orders without a due date (their client's term is taken off at the end).
    found: defaultdict[tuple[int, int], list[int]] = defaultdict(lambda: [0] * 5)
    first, recent_month, last = map(month_totals.month_of, (first_needed, recent, as_of))
    for client_id, window, *figures in connection.execute(
        "SELECT client_id, month < ?, sum(orders), sum(order_cents), sum(orders_paid), "
        f"sum(delay_days), sum(orders_paid_without_due) FROM {month_totals.TABLE} "
        f"WHERE month >= ? AND month <= ? AND orders > 0{only} GROUP BY client_id, month < ?",
        (recent_month, first, last, recent_month),
    ):
        found[client_id, window] = figures
    next_month = add_months(as_of.replace(day=1), 1)
    # Invoiced after D in D's month (no longer an order), and paid after D (not yet paid); the
    # unary + keeps SQLite on the paid date's index, where only the few paid after D lie.
    for bounds, later, query in (
        ((as_of, next_month), 1, "invoice_date > ? AND invoice_date < ?"),
        ((as_of, first_needed, as_of), 0, "paid_date > ? AND +invoice_date BETWEEN ? AND ?"),
    ):
        for client_id, invoice_date, cents, paid, delay, no_due in connection.execute(
            "SELECT client_id, invoice_date, net_cents, paid_date IS NOT NULL, "
            "CAST(julianday(paid_date) - julianday(coalesce(due_date, invoice_date)) AS INTEGER), "
            f"due_date IS NULL FROM revenue_entry WHERE net_cents > 0 AND {query}{only}",
            tuple(day.isoformat() for day in bounds),
        ):
            figures = found[client_id, int(invoice_date < recent.isoformat())]
            if paid:
                for position, value in ((2, 1), (3, delay), (4, no_due)):
                    figures[position] -= value
            figures[0] -= later
            figures[1] -= later * cents
    sums: defaultdict[int, list[list[int]]] = defaultdict(lambda: [[0] * _FIELDS, [0] * _FIELDS])
    for (client_id, window), (orders, cents, paid, days, without_due) in found.items():
        delay = days - without_due * terms[client_id]
        sums[client_id][window][:4] = [orders, cents, paid, delay]
    return sums
