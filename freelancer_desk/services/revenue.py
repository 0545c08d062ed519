"""Revenue entries (invoices and credit notes): list, add, change, delete, and sums."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
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
from freelancer_desk.services import settings as settings_service
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


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice not paid by the day looked from (the client page, the dossier).

    ``due`` is the due date, or without one the invoice date plus the payment term; the
    invoice is overdue from the day after.
    """

    entry: RevenueRow
    due: dt.date
    days_overdue: int

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def open_invoices(db: Database, client_id: int, as_of: dt.date) -> list[OpenInvoice]:
    """The client's invoices (positive entries) dated up to ``as_of`` and not paid by then,
    oldest first; a payment recorded after the day still counts as open on it."""
    with db.session() as session:
        client = fetch(session, Client, client_id)
        term = client.payment_term_days
    if term is None:
        term = settings_service.load(db).default_payment_term_days
    found = []
    for entry in reversed(list_entries(db, client_id=client_id)):
        if entry.net <= 0 or entry.invoice_date > as_of:
            continue
        if entry.paid_date is not None and entry.paid_date <= as_of:
            continue
        due = entry.due_date or entry.invoice_date + dt.timedelta(days=term)
        found.append(OpenInvoice(entry, due, max((as_of - due).days, 0)))
    return found


def _date_column(basis: str):  # type: ignore[no-untyped-def]
    return RevenueEntry.paid_date if basis == "paid" else RevenueEntry.invoice_date


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
    query = select(
        entry.id,
        entry.client_id,
        Client.name,
        entry.invoice_number,
        entry.invoice_date,
        entry.net_cents,
        entry.gross_cents,
        entry.due_date,
        entry.paid_date,
        entry.note,
    ).join(Client, col(Client.id) == entry.client_id)
    if period is not None:
        column = _date_column(basis)
        query = query.where(column >= period.start, column < period.end)
    if client_id is not None:
        query = query.where(entry.client_id == client_id)
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
        ]


def _row(entry: RevenueEntry, client_name: str) -> RevenueRow:
    return RevenueRow(
        id=entry.id,  # type: ignore[arg-type]
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


def create_entry(db: Database, data: RevenueCreate | dict) -> RevenueRow:
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
            name = session.get(Client, entry.client_id).name  # type: ignore[union-attr]
            return _row(entry, name)
    except IntegrityError as exc:
        raise _duplicate_number() from exc


def update_entry(db: Database, entry_id: int, data: RevenueUpdate | dict) -> RevenueRow:
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
            name = session.get(Client, entry.client_id).name  # type: ignore[union-attr]
            return _row(entry, name)
    except IntegrityError as exc:
        raise _duplicate_number() from exc


def delete_entry(db: Database, entry_id: int) -> None:
    """Delete one entry."""
    with db.session() as session:
        entry = fetch(session, RevenueEntry, entry_id)
        session.delete(entry)


def net_by_client(
    db: Database, period: Period, basis: str = "invoice", as_of: dt.date | None = None
) -> dict[int, int]:
    """Net cents per client id within the period, summed in SQL (credit notes subtract).

    ``as_of``: only entries dated on or before that day count (by the ``basis`` date, so on the
    payment basis an invoice paid later is not yet revenue).
    """
    return net_by_client_in(db, (period,), basis, as_of)[0]


def net_by_client_in(
    db: Database, periods: Sequence[Period], basis: str = "invoice", as_of: dt.date | None = None
) -> list[dict[int, int]]:
    """``net_by_client`` of several periods (e.g. a year and the year before) in one read.

    One simple grouped query per period: SQLite walks the date index once for each and sums
    without a test per row. Measured on 100,000 entries this is about a third faster than one
    query over both periods with a CASE per period, which must test every row for each.
    A client whose entries cancel out is listed with 0.
    """
    column = _date_column(basis)
    cut = None if as_of is None else as_of + dt.timedelta(days=1)
    found: list[dict[int, int]] = []
    with db.session() as session:
        connection = session.connection()
        for period in periods:
            end = period.end if cut is None else min(period.end, cut)
            rows = connection.execute(
                select(RevenueEntry.client_id, func.sum(RevenueEntry.net_cents))
                .where(column >= period.start, column < end)
                .group_by(RevenueEntry.client_id)
            )
            found.append({client_id: int(total) for client_id, total in rows})
    return found


def revenue_bounds(db: Database) -> tuple[dt.date, dt.date] | None:
    """First and last invoice date in the database, or None when there is no revenue."""
    with db.session() as session:
        first, last = session.exec(
            select(func.min(RevenueEntry.invoice_date), func.max(RevenueEntry.invoice_date))
        ).one()
        return None if first is None else (first, last)
