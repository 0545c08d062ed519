"""Revenue entries (invoices and credit notes): list, add, change, delete, and sums."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func
from sqlalchemy import select as select_columns
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col, select

from freelancer_desk import clock, erasure, month_totals
from freelancer_desk.analytics.periods import Period, add_months
from freelancer_desk.collector import many_records
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


@dataclass(frozen=True, slots=True)
class RevenueRow:
    """One revenue entry as the Revenue page and the client page show it.

    A page holds tens of thousands of them, so a row is small: no attribute dictionary, money
    kept as integer cents (``net``/``gross`` give it as ``Decimal`` when asked), and the
    dates and names of a list shared between its rows (``list_entries``).
    """

    id: int
    client_id: int
    client_name: str
    invoice_number: str | None
    invoice_date: dt.date
    net_cents: int
    gross_cents: int | None
    due_date: dt.date | None
    paid_date: dt.date | None
    note: str | None
    #: The day an unpaid invoice becomes overdue: its due date, else the invoice date plus the
    #: client's payment term. None for credit notes, and when the file records no payments
    #: (``records_payments``): someone who does not record payments has no late payers.
    due_by: dt.date | None = None

    @property
    def net(self) -> Decimal:
        """The net amount (negative for a credit note)."""
        return from_cents(self.net_cents)

    @property
    def gross(self) -> Decimal | None:
        """The gross amount, where the entry has one."""
        return None if self.gross_cents is None else from_cents(self.gross_cents)

    def days_overdue(self, today: dt.date) -> int:
        """Days past ``due_by`` that the invoice is still unpaid on ``today`` (0: not overdue)."""
        if self.due_by is None or (self.paid_date is not None and self.paid_date <= today):
            return 0
        return max((today - self.due_by).days, 0)


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
        """Whether the due day has passed."""
        return self.days_overdue > 0


def open_invoices(db: Database, client_id: int, as_of: dt.date) -> list[OpenInvoice]:
    """The client's invoices (positive entries) dated up to ``as_of`` and not paid by then,
    oldest first; a payment recorded after the day still counts as open on it."""
    with db.session() as session:
        client = fetch(session, Client, client_id)
        term = client.payment_term_days
    if term is None:
        term = settings_service.load(db).default_payment_term_days
    found: list[OpenInvoice] = []
    for entry in reversed(list_entries(db, client_id=client_id)):
        if entry.net <= 0 or entry.invoice_date > as_of:
            continue
        if entry.paid_date is not None and entry.paid_date <= as_of:
            continue
        due = entry.due_date or entry.invoice_date + dt.timedelta(days=term)
        found.append(OpenInvoice(entry, due, max((as_of - due).days, 0)))
    return found


def _date_column(basis: str) -> Mapped[dt.date | None]:
    """The date an entry counts by: paid on (cash basis) or invoiced on."""
    return col(RevenueEntry.paid_date) if basis == "paid" else col(RevenueEntry.invoice_date)


@many_records()
def list_entries(
    db: Database,
    period: Period | None = None,
    client_id: int | None = None,
    basis: str = "invoice",
) -> list[RevenueRow]:
    """Entries, newest first, optionally within a period (by ``basis`` date) and for one client.

    Reads plain columns, not ORM objects: a page of 100,000 entries then needs a third of the
    time and memory. The cycle collector waits meanwhile: its full passes over the new rows held
    the GIL, and so the window, for 150 ms each while a page read them in the background.
    """
    entry = RevenueEntry
    # SQLAlchemy's select: SQLModel's types fewer columns; the query runs on the plain connection.
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
        col(Client.payment_term_days),
    ).join(Client, col(Client.id) == entry.client_id)
    if period is not None:
        column = _date_column(basis)
        query = query.where(column >= period.start, column < period.end)
    if client_id is not None:
        query = query.where(col(entry.client_id) == client_id)
    query = query.order_by(col(entry.invoice_date).desc(), col(entry.id).desc())
    usual_term = settings_service.load(db).default_payment_term_days
    # Clients, names and days repeat over thousands of rows: each is kept once (``shared``).
    seen: dict[object, Any] = {}
    shared = seen.setdefault
    with db.session() as session:
        connection = session.connection()
        recording = records_payments(connection, clock.today())
        return [
            RevenueRow(
                row_id,
                shared(cid, cid),
                shared(name, name),
                number,
                shared(day, day),
                net,
                gross,
                shared(due, due),
                shared(paid, paid),
                note,
                shared(due_by, due_by),
            )
            for row_id, cid, name, number, day, net, gross, due, paid, note, term in (
                connection.execute(query)
            )
            if row_id is not None  # always: an entry read from the table has its id
            for due_by in [_due_by(day, due, net, term or usual_term) if recording else None]
        ]


def records_payments(connection: Connection, as_of: dt.date) -> bool:
    """Whether the user records payments: some invoice of the file was paid on or before
    ``as_of``.

    Only then can an unpaid invoice be overdue (the late-payment sign, the red rows of the
    Revenue page). The question is asked of the whole file, not of each client: a new client
    who has never paid is exactly the one to notice, while someone who records no payments at
    all would otherwise see every invoice overdue. Due dates alone say nothing here: the
    revenue form and e-invoices give every invoice one. Payments recorded after ``as_of`` do
    not count, so that a closed period reads the same later (DOMAIN.md §7).
    """
    paid = select_columns(col(RevenueEntry.id)).where(col(RevenueEntry.paid_date) <= as_of)
    return connection.execute(select_columns(paid.exists())).scalar() is True


def _due_by(
    invoice_date: dt.date, due_date: dt.date | None, net_cents: int, term: int
) -> dt.date | None:
    """When an invoice is due (None for a credit note): its due date, else date + term."""
    if net_cents <= 0:
        return None
    return due_date or invoice_date + dt.timedelta(days=term)


def due_date_for(db: Database, client_id: int | None, invoice_date: dt.date) -> dt.date:
    """The due date a new invoice gets: the invoice date plus the client's payment term, or
    plus the usual term of the settings when the client has none."""
    term = settings_service.load(db).default_payment_term_days
    if client_id is not None:
        with db.session() as session:
            client = session.get(Client, client_id)
            if client is not None and client.payment_term_days is not None:
                term = client.payment_term_days
    return invoice_date + dt.timedelta(days=term)


_TRAILING_NUMBER = re.compile(r"(\d+)(\D*)$")


def following_number(number: str) -> str | None:
    """The invoice number after ``number``: its last run of digits counted up, zeros kept.

    ``RE-2025-041`` → ``RE-2025-042``, ``2025/0099`` → ``2025/0100``; None without digits.
    """
    found = _TRAILING_NUMBER.search(number)
    if found is None:
        return None
    digits = found.group(1)
    following = str(int(digits) + 1).zfill(len(digits))
    return number[: found.start(1)] + following + found.group(2)


def next_invoice_number(db: Database) -> str | None:
    """A number for the next invoice: after the one of the latest invoice, skipping numbers
    already used. None when no invoice has a number with digits yet."""
    entry = RevenueEntry
    with db.session() as session:
        connection = session.connection()
        latest = connection.execute(
            select(entry.invoice_number)
            .where(col(entry.invoice_number).is_not(None), entry.net_cents > 0)
            .order_by(col(entry.invoice_date).desc(), col(entry.id).desc())
            .limit(1)
        ).scalar()
        candidate = following_number(latest) if latest else None
        while (
            candidate is not None
            and connection.execute(
                select(entry.id).where(entry.invoice_number == candidate).limit(1)
            ).first()
        ):
            candidate = following_number(candidate)
        return candidate


def _row(entry: RevenueEntry, client_name: str) -> RevenueRow:
    return RevenueRow(
        id=entry.id,  # type: ignore[arg-type]  # read from the table: the id is set
        client_id=entry.client_id,
        client_name=client_name,
        invoice_number=entry.invoice_number,
        invoice_date=entry.invoice_date,
        net_cents=entry.net_cents,
        gross_cents=entry.gross_cents,
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
            row = _row(entry, "")
            current = {**asdict(row), "net": row.net, "gross": row.gross}
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

    The whole months of a period come from the monthly totals the triggers keep
    (``month_totals``), the days before its first and after its last whole month from the
    entries, each a simple grouped query on the date index. A client whose entries cancel out
    is listed with 0.
    """
    cut = None if as_of is None else as_of + dt.timedelta(days=1)
    count, cents = month_totals.net_columns(basis)
    day = "paid_date" if basis == "paid" else "invoice_date"
    found: list[dict[int, int]] = []
    with db.session() as session:
        connection = erasure.raw_connection(session)
        for period in periods:
            start, end = period.start, period.end if cut is None else min(period.end, cut)
            months = (
                add_months(start.replace(day=1), 1) if start.day > 1 else start,
                end.replace(day=1),
            )
            parts = [
                (
                    f"SELECT client_id, sum({cents}) FROM {month_totals.TABLE} "
                    f"WHERE month >= ? AND month < ? AND {count} > 0 GROUP BY client_id",
                    tuple(map(month_totals.month_of, months)),
                )
            ]
            edges = (
                [(start, months[0]), (months[1], end)] if months[0] < months[1] else [(start, end)]
            )
            parts += [
                (
                    f"SELECT client_id, sum(net_cents) FROM revenue_entry "
                    f"WHERE {day} >= ? AND {day} < ? GROUP BY client_id",
                    (first.isoformat(), last.isoformat()),
                )
                for first, last in edges
                if first < last
            ]
            nets: dict[int, int] = {}
            for query, bounds in parts:
                for client_id, total in connection.execute(query, bounds):
                    nets[client_id] = nets.get(client_id, 0) + total
            found.append(nets)
    return found


#: Windows asked about in one statement (four values each, far below SQLite's limit).
_WINDOWS_PER_STATEMENT = 500


def net_in_windows(
    connection: Connection, windows: Mapping[int, tuple[int, dt.date, dt.date]]
) -> dict[int, int]:
    """Net cents of each window ``key: (client id, first day, end day)``: the client's entries
    invoiced in ``[first day, end day)``; 0 for a window without entries.

    One statement for hundreds of windows (the 12 months before each loss, the 12 months
    after each win-back), each summed by SQLite on the (client, date) index over its own days
    only: neither a query per window nor every entry of the clients read into Python.
    """
    found = dict.fromkeys(windows, 0)
    items = list(windows.items())
    for first in range(0, len(items), _WINDOWS_PER_STATEMENT):
        part = items[first : first + _WINDOWS_PER_STATEMENT]
        rows = ", ".join(["(?, ?, ?, ?)"] * len(part))
        statement = (
            f"WITH span (key, client_id, first_day, end_day) AS (VALUES {rows}) "
            "SELECT span.key, SUM(revenue_entry.net_cents) FROM span "
            "JOIN revenue_entry ON revenue_entry.client_id = span.client_id "
            "AND revenue_entry.invoice_date >= span.first_day "
            "AND revenue_entry.invoice_date < span.end_day "
            "GROUP BY span.key"
        )
        values = tuple(
            value
            for key, (client_id, first_day, end_day) in part
            for value in (key, client_id, first_day.isoformat(), end_day.isoformat())
        )
        for key, cents in connection.exec_driver_sql(statement, values):
            found[key] = int(cents or 0)
    return found


def revenue_bounds(db: Database) -> tuple[dt.date, dt.date] | None:
    """First and last invoice date in the database, or None when there is no revenue.

    Two queries: SQLite reads a lone ``min`` or ``max`` off the end of the date index, but
    both in one query make it walk every entry.
    """
    with db.session() as session:
        first = session.exec(select(func.min(RevenueEntry.invoice_date))).one()
        last = session.exec(select(func.max(RevenueEntry.invoice_date))).one()
        return None if first is None or last is None else (first, last)


def net_by_month(
    db: Database, first_day: dt.date, last_day: dt.date, basis: str = "invoice"
) -> dict[tuple[int, int], int]:
    """Net cents per calendar month (year, month) from ``first_day`` to ``last_day``, both
    included, by the ``basis`` date; months without entries are left out."""
    column = _date_column(basis)
    month = func.substr(column, 1, 7)
    with db.session() as session:
        rows = session.connection().execute(
            select(month, func.sum(RevenueEntry.net_cents))
            .where(column >= first_day, column <= last_day)
            .group_by(month)
        )
        return {(int(ym[:4]), int(ym[5:7])): int(cents) for ym, cents in rows}
