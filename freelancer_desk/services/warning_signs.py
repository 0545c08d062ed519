"""Warning signs of every client, from a few grouped queries (see ``analytics.warnings``).

SQL sums revenue and interactions per client over the recent and the usual window; Python
then judges the sums. A few grouped queries serve any number of clients, which keeps the
Clients table and the dashboard fast with thousands of clients and a hundred thousand invoices.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlmodel import Session, col

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

    SQL adds up each client's recent and usual window in one grouped pass (two rows per
    client, not one per month). The queries avoid joins (each costs as much as the whole
    GROUP BY): payment terms are applied here in Python, from one small query over the clients.
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
    paid = and_(positive, col(entry.paid_date) <= as_of)
    terms: dict[int, int] = defaultdict(lambda: settings.default_payment_term_days)
    # A damaged file opened anyway may hold entries of missing clients: they get the default.
    for client_id, term in connection.execute(
        select(col(Client.id), col(Client.payment_term_days)).where(
            col(Client.payment_term_days).is_not(None)
        )
    ):
        if client_id is not None and term is not None:
            terms[client_id] = term

    sums: dict[int, list[list[int]]] = defaultdict(lambda: [[0] * _FIELDS, [0] * _FIELDS])
    # Delay of a paid invoice = paid − due; without a due date, paid − invoice − the term.
    in_recent = case((col(entry.invoice_date) >= recent, 0), else_=1)
    for client_id, window, orders, cents, paid_count, raw_delay, without_due in connection.execute(
        select(
            col(entry.client_id),
            in_recent,
            func.sum(case((positive, 1), else_=0)),
            func.sum(case((positive, col(entry.net_cents)), else_=0)),
            func.sum(case((paid, 1), else_=0)),
            func.sum(
                case(
                    (
                        paid,
                        func.julianday(col(entry.paid_date))
                        - func.julianday(
                            func.coalesce(col(entry.due_date), col(entry.invoice_date))
                        ),
                    ),
                    else_=0,
                )
            ),
            func.sum(case((and_(paid, col(entry.due_date).is_(None)), 1), else_=0)),
        )
        .where(
            col(entry.invoice_date) >= first_needed,
            col(entry.invoice_date) <= as_of,
            *only(col(entry.client_id)),
        )
        .group_by(col(entry.client_id), in_recent)
    ).all():
        delay = round(raw_delay or 0) - without_due * terms[client_id]
        sums[client_id][window][:4] = [orders, cents, paid_count, delay]

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
