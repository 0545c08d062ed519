"""Warning signs of every client, from a few grouped queries (see ``analytics.warnings``).

SQL sums revenue and interactions per client and calendar month; Python then judges the
monthly figures. Four queries serve any number of clients, which keeps the Clients table and
the dashboard fast with thousands of clients and a hundred thousand invoices.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import Integer, and_, case, cast, func, or_
from sqlmodel import Session, col, select

from freelancer_desk.analytics.warnings import (
    ClientHistory,
    MonthFigures,
    Overdue,
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
    year, month = text.split("-")
    return int(year), int(month)


def _histories(session: Session, as_of: dt.date, settings: DeskSettings) -> dict[int, ClientHistory]:
    first_needed = first_month_needed(as_of, settings)
    month_figures: dict[int, dict[tuple[int, int], dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(MonthFigures.__dataclass_fields__, 0))
    )

    entry = RevenueEntry
    positive = entry.net_cents > 0
    paid = and_(positive, col(entry.paid_date).is_not(None), entry.paid_date <= as_of)
    term = func.coalesce(Client.payment_term_days, settings.default_payment_term_days)
    due = func.coalesce(entry.due_date, func.date(entry.invoice_date, func.printf("+%d days", term)))
    delay = cast(func.julianday(entry.paid_date) - func.julianday(due), Integer)
    month = func.strftime("%Y-%m", entry.invoice_date)
    rows = session.exec(
        select(
            entry.client_id, month,
            func.sum(case((positive, 1), else_=0)),
            func.sum(case((positive, entry.net_cents), else_=0)),
            func.sum(case((paid, 1), else_=0)),
            func.sum(case((paid, delay), else_=0)),
        )
        .join(Client, col(Client.id) == entry.client_id)
        .where(entry.invoice_date >= first_needed, entry.invoice_date <= as_of)
        .group_by(entry.client_id, month)
    ).all()
    for client_id, month_text, orders, cents, paid_count, delay_days in rows:
        figures = month_figures[client_id][_month(month_text)]
        figures.update(orders=orders, order_cents=cents, paid=paid_count, delay_days=delay_days)

    month = func.strftime("%Y-%m", Interaction.date)
    rows = session.exec(
        select(Interaction.client_id, month, Interaction.kind, func.count())
        .where(col(Interaction.kind).in_(list(_KIND_FIELDS)),
               Interaction.date >= first_needed, Interaction.date <= as_of)
        .group_by(Interaction.client_id, month, Interaction.kind)
    ).all()
    for client_id, month_text, kind, count in rows:
        month_figures[client_id][_month(month_text)][_KIND_FIELDS[InteractionKind(kind)]] = count

    unpaid = and_(positive, or_(col(entry.paid_date).is_(None), entry.paid_date > as_of))
    overdue = and_(unpaid, due < overdue_cutoff(as_of, settings))
    payments: dict[int, tuple[bool, Overdue]] = {}
    starts: dict[int, list[dt.date]] = defaultdict(list)
    for client_id, first_invoice, tracked, overdue_count, overdue_cents, oldest_due in session.exec(
        select(
            entry.client_id,
            func.min(entry.invoice_date),
            func.sum(case((paid, 1), else_=0)),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((overdue, entry.net_cents), else_=0)),
            func.min(case((overdue, due), else_=None)),
        )
        .join(Client, col(Client.id) == entry.client_id)
        .where(entry.invoice_date <= as_of)
        .group_by(entry.client_id)
    ).all():
        starts[client_id].append(first_invoice)
        payments[client_id] = (tracked > 0, Overdue(overdue_count, overdue_cents, oldest_due))
    for client_id, first_interaction in session.exec(
        select(Interaction.client_id, func.min(Interaction.date))
        .where(Interaction.date <= as_of).group_by(Interaction.client_id)
    ).all():
        starts[client_id].append(first_interaction)

    histories = {}
    for client_id, days in starts.items():
        tracks_payments, overdue_figures = payments.get(client_id, (False, Overdue()))
        histories[client_id] = ClientHistory(
            client_id=client_id,
            first_activity=min(days),
            months={m: MonthFigures(**values) for m, values in month_figures[client_id].items()},
            overdue=overdue_figures,
            tracks_payments=tracks_payments,
        )
    return histories
