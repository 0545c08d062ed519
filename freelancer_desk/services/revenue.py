"""Revenue entries (invoices and credit notes): list, add, change, delete, and sums."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from freelancer_desk.analytics.periods import Period
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    Client,
    RevenueCreate,
    RevenueEntry,
    RevenueUpdate,
    field_label,
    validate,
)
from freelancer_desk.money import from_cents, to_cents
from freelancer_desk.services.records import fetch


@dataclass(frozen=True)
class RevenueRow:
    """One revenue entry as the Revenue page and the client page show it."""

    id: int
    client_id: int
    client_name: str
    invoice_number: str | None
    invoice_date: dt.date
    net: Decimal
    gross: Decimal | None
    due_date: dt.date | None
    paid_date: dt.date | None
    note: str | None


def _date_column(basis: str) -> Mapped[dt.date | None]:
    """The date an entry counts by: paid on (cash basis) or invoiced on."""
    return col(RevenueEntry.paid_date) if basis == "paid" else col(RevenueEntry.invoice_date)


def list_entries(
    db: Database,
    period: Period | None = None,
    client_id: int | None = None,
    basis: str = "invoice",
) -> list[RevenueRow]:
    """Entries, newest first, optionally within a period (by ``basis`` date) and for one client.

    Reads plain columns, not ORM objects: a page of 100,000 entries then needs a third of the
    time and memory.
    """
    entry = RevenueEntry
    # SQLAlchemy's select: it types ten columns; the query runs on the plain connection anyway.
    query = select_columns(
        col(entry.id),
        col(entry.client_id),
        col(Client.name),
        col(entry.invoice_number),
        col(entry.invoice_date),
        col(entry.net_cents),
        col(entry.gross_cents),
        col(entry.due_date),
        col(entry.paid_date),
        col(entry.note),
    ).join(Client, col(Client.id) == entry.client_id)
    if period is not None:
        column = _date_column(basis)
        query = query.where(column >= period.start, column < period.end)
    if client_id is not None:
        query = query.where(col(entry.client_id) == client_id)
    query = query.order_by(col(entry.invoice_date).desc(), col(entry.id).desc())
    with db.session() as session:
        rows = session.connection().execute(query)
        return [
            RevenueRow(
                row_id,
                cid,
                name,
                number,
                day,
                from_cents(net),
                None if gross is None else from_cents(gross),
                due,
                paid,
                note,
            )
            for row_id, cid, name, number, day, net, gross, due, paid, note in rows
            if row_id is not None  # always: an entry read from the table has its id
        ]


def _row(entry: RevenueEntry, client_name: str) -> RevenueRow:
    return RevenueRow(
        id=entry.id,  # type: ignore[arg-type]  # read from the table: the id is set
        client_id=entry.client_id,
        client_name=client_name,
        invoice_number=entry.invoice_number,
        invoice_date=entry.invoice_date,
        net=from_cents(entry.net_cents),
        gross=None if entry.gross_cents is None else from_cents(entry.gross_cents),
        due_date=entry.due_date,
        paid_date=entry.paid_date,
        note=entry.note,
    )


def _check_client(session: Session, client_id: int) -> None:
    if session.get(Client, client_id) is None:
        raise InputError(
            "client_id", _("choose an existing client"), label=field_label("client_id")
        )


def _apply(entry: RevenueEntry, data: RevenueCreate) -> None:
    entry.client_id = data.client_id
    entry.invoice_number = data.invoice_number
    entry.invoice_date = data.invoice_date
    entry.net_cents = to_cents(data.net)
    entry.gross_cents = None if data.gross is None else to_cents(data.gross)
    entry.due_date = data.due_date
    entry.paid_date = data.paid_date
    entry.note = data.note


def _duplicate_number() -> InputError:
    return InputError(
        "invoice_number",
        _("this client already has an invoice with this number"),
        label=field_label("invoice_number"),
    )


def create_entry(db: Database, data: RevenueCreate | dict[str, Any]) -> RevenueRow:
    """Store a new invoice or credit note (negative net)."""
    checked = validate(RevenueCreate, data)
    try:
        with db.session() as session:
            _check_client(session, checked.client_id)
            entry = RevenueEntry(
                client_id=checked.client_id, invoice_date=checked.invoice_date, net_cents=0
            )
            _apply(entry, checked)
            session.add(entry)
            session.flush()
            name = session.get(Client, entry.client_id).name  # type: ignore[union-attr]  # the foreign key keeps the client
            return _row(entry, name)
    except IntegrityError as exc:
        raise _duplicate_number() from exc


def update_entry(db: Database, entry_id: int, data: RevenueUpdate | dict[str, Any]) -> RevenueRow:
    """Change fields of an entry; the merged entry is validated as a whole."""
    changes = validate(RevenueUpdate, data).model_dump(exclude_unset=True)
    try:
        with db.session() as session:
            entry = fetch(session, RevenueEntry, entry_id)
            current = _row(entry, "").__dict__
            merged = validate(RevenueCreate, {**current, **changes})
            _check_client(session, merged.client_id)
            _apply(entry, merged)
            session.flush()
            name = session.get(Client, entry.client_id).name  # type: ignore[union-attr]  # the foreign key keeps the client
            return _row(entry, name)
    except IntegrityError as exc:
        raise _duplicate_number() from exc


def delete_entry(db: Database, entry_id: int) -> None:
    """Delete one entry."""
    with db.session() as session:
        entry = fetch(session, RevenueEntry, entry_id)
        session.delete(entry)


def net_by_client(db: Database, period: Period, basis: str = "invoice") -> dict[int, int]:
    """Net cents per client id within the period, summed in SQL (credit notes subtract)."""
    column = _date_column(basis)
    with db.session() as session:
        rows = session.exec(
            select(RevenueEntry.client_id, func.sum(RevenueEntry.net_cents))
            .where(column >= period.start, column < period.end)
            .group_by(col(RevenueEntry.client_id))
        ).all()
        return {client_id: int(total) for client_id, total in rows}


def revenue_bounds(db: Database) -> tuple[dt.date, dt.date] | None:
    """First and last invoice date in the database, or None when there is no revenue."""
    with db.session() as session:
        first, last = session.exec(
            select(func.min(RevenueEntry.invoice_date), func.max(RevenueEntry.invoice_date))
        ).one()
        return None if first is None else (first, last)
