"""Bank statements into the database: paid dates for open invoices, or revenue from payments.

Both uses follow the CSV import's steps: the file is read first (nothing written), the plan is
the dry run, and applying plans again inside ONE write transaction that writes all or nothing.
Both are idempotent: a statement imported twice changes nothing the second time (a paid invoice
is no longer open, a booking already recorded is known by its day, amount and reference; a
payment already imported as revenue is already present).

Every matched payment is recorded in the ``payment`` table (``models.InvoicePayment``); an
invoice's paid date is the day its payments reach the gross amount, so a partial payment waits
there for the rest, from this statement or a later one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from freelancer_desk import backups
from freelancer_desk.collector import many_records
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import ngettext
from freelancer_desk.importers.bank import (
    BANK_FIELDS,
    MatchReport,
    OpenInvoice,
    PaidPart,
    PaymentRevenuePlan,
    Statement,
    is_bank_csv,
    match_payments,
    plan_payment_revenue,
    read_statement,
)
from freelancer_desk.importers.einvoice import NewClient
from freelancer_desk.importers.plan import Cancelled, Existing, Progress, VatRates
from freelancer_desk.importers.reading import read_file
from freelancer_desk.importers.table import header_row
from freelancer_desk.models import Client, InvoicePayment, PaymentSource, RevenueEntry
from freelancer_desk.money import from_cents, gross_from_net, to_cents
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.einvoices import add_new_clients
from freelancer_desk.services.importing import add_entries, matched_against
from freelancer_desk.settings import DeskSettings


class PaymentsRefused(DeskError):
    """Payments cannot be imported and only-good-rows was not asked for: nothing was written."""

    def __init__(self, plan: PaymentRevenuePlan) -> None:
        self.plan = plan
        count = len(plan.errors)
        super().__init__(
            ngettext(
                "Nothing was imported: {count} payment has errors. "
                "Fix it, or import only the good ones.",
                "Nothing was imported: {count} payments have errors. "
                "Fix them, or import only the good ones.",
                count,
            ).format(count=count)
        )


@dataclass(frozen=True)
class PaymentRevenueResult:
    """What importing payments as revenue wrote."""

    plan: PaymentRevenuePlan
    added: int
    clients_added: int


@many_records()
def read_bank_statement(path: Path) -> Statement:
    """The statement in ``path`` (bank CSV, CAMT or MT940); ``ImportFileError`` if it is none."""
    return read_statement(read_file(path), path.name)


@many_records()
def bank_statement_in(path: Path) -> Statement | None:
    """The statement in ``path`` when it is one (CAMT, MT940, or a CSV with a bank's
    columns such as Buchungstag or Valuta), else None (an unreadable file is None too: the
    importer that reads it next says what is wrong). A CSV file's header row tells, so an
    invoice list is not read through before its own import reads it."""
    try:
        data = read_file(path)
        csv = not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<", b":20:", b"{1:"))
        if csv and not is_bank_csv(header_row(data, BANK_FIELDS)):
            return None
        return read_statement(data, path.name)
    except DeskError:
        return None


def recognise_files(paths: list[Path]) -> str:
    """What files given together hold: ``einvoices`` (folders, XML and PDF files), ``bank``
    (one bank statement) or ``csv`` (a list of invoices or clients)."""
    if len(paths) == 1 and paths[0].is_file() and bank_statement_in(paths[0]) is not None:
        return "bank"
    if all(path.is_dir() or path.suffix.lower() in (".xml", ".pdf") for path in paths):
        return "einvoices"
    return "csv"


# --------------------------------------------------------------------------------------------
# Paid dates
# --------------------------------------------------------------------------------------------


@many_records()
def plan_paid_dates(
    db: Database | None,
    statement: Statement,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MatchReport:
    """The match report of ``statement`` (the dry run); ``db`` None: no invoices to match."""
    if db is None:
        return match_payments(statement, [], progress, cancelled)
    settings = settings_service.load(db)
    with db.session() as session:
        invoices = open_invoices(session, settings)
    return match_payments(statement, invoices, progress, cancelled)


@many_records()
def apply_paid_dates(
    db: Database,
    statement: Statement,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MatchReport:
    """Record the payments the report matches and set the paid dates, in one transaction.

    Ambiguous and unmatched payments change nothing; the report lists them.
    """
    settings = settings_service.load(db)
    with db.session() as session:
        report = match_payments(statement, open_invoices(session, settings), progress, cancelled)
        if report.paid_dates or report.parts:
            backups.safety_backup(db, backups.BEFORE_IMPORT)
        recorded = sorted(
            ((entry_id, part) for entry_id, parts in report.parts.items() for part in parts),
            key=lambda item: item[1].day,
        )
        if recorded:  # in booking order
            session.execute(
                insert(InvoicePayment),
                [
                    {
                        "entry_id": entry_id,
                        "day": part.day,
                        "amount_cents": part.cents,
                        "booking_cents": part.booking_cents,
                        "source": PaymentSource.BANK,
                        "reference": part.reference or None,
                    }
                    for entry_id, part in recorded
                ],
            )
        for entry_id, day in report.paid_dates.items():
            entry = session.get(RevenueEntry, entry_id)
            assert entry is not None  # read in this transaction
            entry.paid_date = day
    return report


def open_invoices(session: Session, settings: DeskSettings) -> list[OpenInvoice]:
    """Every invoice (positive entry) with its gross amount and the payments recorded so far.

    An entry without a gross amount gets one from its net at the client's VAT rate.
    """
    # SQLAlchemy's select: SQLModel's types only a few columns.
    rows = session.execute(
        select_columns(
            col(RevenueEntry.id),
            col(Client.name),
            col(Client.vat_rate_bp),
            col(RevenueEntry.invoice_number),
            col(RevenueEntry.invoice_date),
            col(RevenueEntry.net_cents),
            col(RevenueEntry.gross_cents),
            col(RevenueEntry.paid_date),
        )
        .join(Client, col(Client.id) == col(RevenueEntry.client_id))
        .where(col(RevenueEntry.net_cents) > 0)
    ).all()
    recorded: dict[int, list[PaidPart]] = defaultdict(list)
    for entry_id, day, cents, booking, reference in session.connection().execute(
        select_columns(
            col(InvoicePayment.entry_id),
            col(InvoicePayment.day),
            col(InvoicePayment.amount_cents),
            col(InvoicePayment.booking_cents),
            col(InvoicePayment.reference),
        ).order_by(col(InvoicePayment.id))
    ):
        recorded[entry_id].append(PaidPart(day, cents, booking, reference or ""))
    invoices = []
    for entry_id, name, rate_bp, number, day, net, gross, paid in rows:
        if gross is None:
            rate = settings.vat_percent(rate_bp)
            gross = to_cents(gross_from_net(from_cents(net), rate))
        invoices.append(
            OpenInvoice(
                entry_id=entry_id,
                client=name,
                number=number,
                invoice_date=day,
                gross_cents=gross,
                paid_date=paid,
                payments=tuple(recorded.get(entry_id, ())),
            )
        )
    return invoices


# --------------------------------------------------------------------------------------------
# Revenue from payments
# --------------------------------------------------------------------------------------------


@many_records()
def plan_payment_revenue_import(
    db: Database | None,
    statement: Statement,
    vat: Decimal | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PaymentRevenuePlan:
    """What importing the incoming payments as revenue would do (the dry run)."""
    if db is None:
        return plan_payment_revenue(statement, _with_vat(Existing(), vat), (), progress, cancelled)
    settings = settings_service.load(db)
    with db.session() as session, matched_against(session, "revenue") as existing:
        invoices = open_invoices(session, settings)
        return plan_payment_revenue(
            statement, _with_vat(existing, vat), invoices, progress, cancelled
        )


@many_records()
def run_payment_revenue_import(
    db: Database,
    statement: Statement,
    *,
    as_of: dt.date,
    vat: Decimal | None = None,
    good_rows_only: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PaymentRevenueResult:
    """Plan and write the payments as revenue in one transaction: all, or nothing.

    ``vat`` (percent) replaces the VAT setting for this import; without it each client's own
    rate or the usual one applies (none for a small business). A payment of an invoice in
    the database is left out: that invoice is the revenue.
    """
    settings = settings_service.load(db)
    with db.session() as session, matched_against(session, "revenue") as existing:
        invoices = open_invoices(session, settings)
        plan = plan_payment_revenue(
            statement, _with_vat(existing, vat), invoices, progress, cancelled
        )
        if plan.errors and not good_rows_only:
            raise PaymentsRefused(plan)
        if existing.clients and plan.entries:
            backups.safety_backup(db, backups.BEFORE_IMPORT)
        ids = add_new_clients(session, [NewClient(name) for name in plan.new_clients], as_of)
        add_entries(session, plan.entries, ids, len(plan.entries), None, cancelled)
    return PaymentRevenueResult(plan, plan.additions, len(plan.new_clients))


def _with_vat(existing: Existing, vat: Decimal | None) -> Existing:
    """The snapshot with ``vat`` (percent) as the rate of every payment, when one is given."""
    return existing if vat is None else replace(existing, vat=VatRates(usual=vat))
