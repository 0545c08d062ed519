"""Warning signs of every client, from a few grouped queries (see ``analytics.warnings``).

SQL sums revenue and interactions per client and calendar month; Python then judges the
monthly figures. Four queries serve any number of clients, which keeps the Clients table and
the dashboard fast with thousands of clients and a hundred thousand invoices.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from freelancer_desk.analytics.warnings import (
    ClientHistory,
    MonthFigures,
    Signal,
    first_month_needed,
    overdue_cutoff,
    signals,
)
from freelancer_desk.db import Database
from freelancer_desk.models import Client, Interaction, InteractionKind, RevenueEntry
from freelancer_desk.services import settings as settings_service
from freelancer_desk.settings import DeskSettings

_KIND_FIELDS = {
    InteractionKind.COMPLAINT: "complaints",
    InteractionKind.UNREACHABLE: "unreachable",
    InteractionKind.CHASING: "chasing",
}


def signals_by_client(db: Database, as_of: dt.date) -> dict[int, list[Signal]]:
    """The warning signs of every client that has any, by client id."""
    settings = settings_service.load(db)
    with db.session() as session:
        histories = _histories(session, as_of, settings)
    found = {cid: signals(history, as_of, settings) for cid, history in histories.items()}
    return {cid: client_signals for cid, client_signals in found.items() if client_signals}


def _month(text: str) -> tuple[int, int]:
    return int(text[:4]), int(text[5:7])


def _histories(session: Session, as_of: dt.date, settings: DeskSettings) -> dict[int, ClientHistory]:
    """Monthly figures, history start, unpaid invoices and payment tracking of every client.

    The queries avoid joins (each costs as much as the whole GROUP BY): payment terms are
    applied here in Python, from one small query over the clients.
    """
    first_needed = first_month_needed(as_of, settings)
    entry = RevenueEntry
    positive = entry.net_cents > 0
    paid = and_(positive, entry.paid_date <= as_of)
    terms: dict[int, int] = defaultdict(lambda: settings.default_payment_term_days)
    # A damaged file opened anyway may hold entries of missing clients: they get the default.
    terms.update(
        (client_id, term) for client_id, term in session.exec(
            select(Client.id, Client.payment_term_days).where(col(Client.payment_term_days).is_not(None))
        ).all()
    )

    figures: dict[int, dict[tuple[int, int], MonthFigures]] = defaultdict(dict)
    # Delay of a paid invoice = paid − due; without a due date, paid − invoice − the term.
    month = func.substr(entry.invoice_date, 1, 7)
    for client_id, month_text, orders, cents, paid_count, raw_delay, without_due in session.exec(
        select(
            entry.client_id, month,
            func.sum(case((positive, 1), else_=0)),
            func.sum(case((positive, entry.net_cents), else_=0)),
            func.sum(case((paid, 1), else_=0)),
            func.sum(case((paid, func.julianday(entry.paid_date)
                           - func.julianday(func.coalesce(entry.due_date, entry.invoice_date))), else_=0)),
            func.sum(case((and_(paid, col(entry.due_date).is_(None)), 1), else_=0)),
        )
        .where(entry.invoice_date >= first_needed, entry.invoice_date <= as_of)
        .group_by(entry.client_id, month)
    ).all():
        delay = round(raw_delay or 0) - without_due * terms[client_id]
        figures[client_id][_month(month_text)] = MonthFigures(orders, cents, paid_count, delay)

    month = func.substr(Interaction.date, 1, 7)
    for client_id, month_text, kind, count in session.exec(
        select(Interaction.client_id, month, Interaction.kind, func.count())
        .where(col(Interaction.kind).in_(list(_KIND_FIELDS)),
               Interaction.date >= first_needed, Interaction.date <= as_of)
        .group_by(Interaction.client_id, month, Interaction.kind)
    ).all():
        key = _month(month_text)
        month_figures = figures[client_id].get(key, MonthFigures())
        figures[client_id][key] = month_figures._replace(**{_KIND_FIELDS[InteractionKind(kind)]: count})

    starts: dict[int, list[dt.date]] = defaultdict(list)
    for table, day in ((entry, entry.invoice_date), (Interaction, Interaction.date)):
        for client_id, first in session.exec(
            select(table.client_id, func.min(day)).where(day <= as_of).group_by(table.client_id)
        ).all():
            starts[client_id].append(first)

    tracking = set(session.exec(
        select(Client.id).where(
            select(entry.id).where(entry.client_id == Client.id, entry.paid_date <= as_of).exists()
        )
    ).all())
    unpaid: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    cutoff = overdue_cutoff(as_of, settings)
    # The due date is never before coalesce(due, invoice), so this finds every overdue invoice;
    # the two halves use the index on the paid date.
    for still_open in (col(entry.paid_date).is_(None), entry.paid_date > as_of):
        for client_id, invoice_date, due_date, cents in session.exec(
            select(entry.client_id, entry.invoice_date, entry.due_date, entry.net_cents)
            .where(still_open, positive, entry.invoice_date <= as_of,
                   func.coalesce(entry.due_date, entry.invoice_date) < cutoff)
        ).all():
            due = due_date or invoice_date + dt.timedelta(days=terms[client_id])
            unpaid[client_id].append((due, cents))

    return {
        client_id: ClientHistory(
            client_id=client_id,
            first_activity=min(days),
            months=figures[client_id],
            unpaid=tuple(unpaid[client_id]),
            tracks_payments=client_id in tracking,
        )
        for client_id, days in starts.items()
    }
