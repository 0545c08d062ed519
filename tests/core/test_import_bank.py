"""Bank statements: German bank CSV, CAMT.053 and MT940 read alike; paid dates from payments
(by number, by payer and amount, partial and combined payments, outgoing ignored); revenue from
incoming payments with net from gross by the VAT setting; idempotent, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlmodel import col, select

from freelancer_desk.db import Database, open_database
from freelancer_desk.importers.bank import (
    OpenInvoice,
    Payment,
    Statement,
    match_payments,
    plan_payment_revenue,
    read_statement,
)
from freelancer_desk.importers.einvoice import find_files
from freelancer_desk.importers.plan import Existing
from freelancer_desk.importers.reading import ImportFileError
from freelancer_desk.models import InvoicePayment, RevenueEntry, Setting
from freelancer_desk.paths import package_dir
from freelancer_desk.services import bank as service
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import einvoices as einvoice_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.privacy import erase_client

ROOT = Path(__file__).resolve().parents[1] / "fixtures"
BANK = ROOT / "bank"
AS_OF = dt.date(2025, 5, 1)
D = dt.date


def statement(name: str) -> Statement:
    return service.read_bank_statement(BANK / name)


def paid_dates(db: Database) -> dict[str, dt.date | None]:
    return {row.invoice_number: row.paid_date for row in revenue_service.list_entries(db)}


@pytest.fixture
def invoiced(db: Database) -> Database:
    """The sample e-invoices imported: RE-2025-001 … 004 open, a credit note GS-2025-001."""
    files = einvoice_service.read_einvoices(find_files([ROOT / "einvoice" / "2025"]))
    einvoice_service.run_einvoice_import(db, files, as_of=AS_OF)
    return db


def test_three_formats_read_the_same_facts() -> None:
    csv = statement("dkb.csv")
    assert csv.format == "bank CSV (Windows-1252)" and not csv.problems
    assert len(csv.payments) == 7 and csv.outgoing == 2  # info lines and balance line skipped
    first = csv.payments[1]
    assert (first.line, first.booked_on, first.amount, first.payer) == (
        8,
        D(2025, 4, 7),
        Decimal("1190.00"),
        "Weber IT GmbH",
    )
    camt = statement("camt053.xml")
    assert [(p.booked_on, p.amount, p.payer) for p in camt.payments] == [
        (D(2025, 4, 10), Decimal("1000.00"), "Lange Consulting"),
        (D(2025, 4, 11), Decimal("-59.90"), "Büroshop Müller GmbH"),
    ]
    assert camt.payments[0].reference == "Teilzahlung Rg. RE-2025-002"
    mt940 = statement("mt940.sta")
    assert [(p.amount, p.payer, p.iban) for p in mt940.payments][:2] == [
        (Decimal("1675.00"), "Lange Consulting", "DE27100777770209299700"),
        (Decimal("357.00"), "Weber IT GmbH", "DE89370400440532013000"),
    ]
    assert mt940.payments[2].amount == Decimal("-120.00")


def test_soll_haben_columns_and_a_side_mark() -> None:
    data = (
        "Buchungstag;Name Zahlungsbeteiligter;Verwendungszweck;Soll;Haben\n"
        "01.04.2025;Weber IT GmbH;RE-1;;119,00\n"
        "02.04.2025;Telekom;Telefon;45,00;\n"
    ).encode("cp1252")
    assert [p.amount for p in read_statement(data, "a.csv").payments] == [
        Decimal("119.00"),
        Decimal("-45.00"),
    ]
    data = (
        b"Buchungstag;Auftraggeber;Umsatz;S/H\n"
        b"01.04.2025;Weber;119,00;H\n"
        b"02.04.2025;Telekom;45,00;S\n"
    )
    assert [p.amount for p in read_statement(data, "b.csv").payments] == [
        Decimal("119.00"),
        Decimal("-45.00"),
    ]


def test_a_file_that_is_no_statement_is_refused() -> None:
    with pytest.raises(ImportFileError, match="no bank statement"):
        read_statement(b"<?xml version='1.0'?><Invoice/>", "x.xml")
    with pytest.raises(ImportFileError) as refused:
        read_statement(b"just some text\nand more\n", "x.csv")
    assert str(refused.value) == (
        "No header row found: none of the first 30 lines names a column such as Buchungstag, "
        "Valutadatum, Auftraggeber/Empfänger, Verwendungszweck. Export the statement again "
        "from your online banking as CSV with column names, or as CAMT.053 (XML) or MT940, "
        "which are read without a header row."
    )


def test_paid_dates_with_a_partial_and_a_combined_payment_and_outgoing_ignored(
    invoiced: Database,
) -> None:
    report = service.apply_paid_dates(invoiced, statement("dkb.csv"))
    assert paid_dates(invoiced) == {
        "RE-2025-001": D(2025, 4, 7),  # number in the reference
        "RE-2025-002": D(2025, 4, 25),  # 1,000.00 on 10 April + 1,675.00 on 25 April
        "RE-2025-003": D(2025, 4, 22),  # one payment of 893.10 for 536.10 + 357.00
        "RE-2025-004": D(2025, 4, 22),  # not 14 April: that payment went out
        "GS-2025-001": None,  # a credit note is never open
    }
    assert [p.payer for p in report.unmatched] == ["Stadtwerke Berlin"]
    assert report.statement.outgoing == 2
    again = service.apply_paid_dates(invoiced, statement("dkb.csv"))
    assert not again.paid_dates and len(again.already) == 4
    assert paid_dates(invoiced)["RE-2025-002"] == D(2025, 4, 25)


def test_a_partial_payment_waits_for_the_rest_in_a_later_statement(invoiced: Database) -> None:
    first = service.apply_paid_dates(invoiced, statement("camt053.xml"))
    assert [match.complete for match in first.partial] == [False]
    assert paid_dates(invoiced)["RE-2025-002"] is None
    again = service.apply_paid_dates(invoiced, statement("camt053.xml"))
    assert len(again.already) == 1 and not again.partial  # the part is not counted twice
    later = service.apply_paid_dates(invoiced, statement("mt940.sta"))
    dates = paid_dates(invoiced)
    assert dates["RE-2025-002"] == D(2025, 4, 25)
    assert dates["RE-2025-004"] == D(2025, 4, 28)  # 357.00 from Weber IT, no number: payer+amount
    assert {row.outcome for row in later.rows()} == {"paid"}


def test_the_dry_run_writes_nothing(invoiced: Database) -> None:
    report = service.plan_paid_dates(invoiced, statement("dkb.csv"))
    assert len(report.paid_dates) == 4
    assert set(paid_dates(invoiced).values()) == {None}


def payment(day: int, amount: str, payer: str, reference: str = "") -> Payment:
    return Payment(day, D(2025, 4, day), Decimal(amount), "EUR", payer, "", reference)


def invoice(entry_id: int, client: str, cents: int, number: str | None = None) -> OpenInvoice:
    return OpenInvoice(entry_id, client, number, D(2025, 3, 1), cents)


def test_payer_and_amount_decide_without_a_number_and_doubt_is_reported() -> None:
    invoices = [
        invoice(1, "Weber IT GmbH", 11900, "R-1"),
        invoice(2, "Weber IT GmbH", 11900, "R-2"),
        invoice(3, "Lange Consulting", 5000, "R-3"),
        invoice(4, "Lange Consulting", 7000, "R-4"),
    ]
    payments = (
        payment(2, "119.00", "WEBER IT GMBH"),  # two invoices of this amount: ambiguous
        payment(3, "120.00", "Lange Consulting"),  # all that is open: both paid
        payment(4, "-50.00", "Lange Consulting", "R-3"),  # outgoing: never matched
        payment(5, "10.00", "R-1 GmbH", "Kaffee"),  # nothing fits
    )
    report = match_payments(Statement("x", "test", payments), invoices)
    assert [u.reason for u in report.ambiguous] == [
        "several open invoices of this payer have this amount"
    ]
    assert report.paid_dates == {3: D(2025, 4, 3), 4: D(2025, 4, 3)}
    assert [p.amount for p in report.unmatched] == [Decimal("10.00")]


def test_revenue_from_payments_net_from_gross_incoming_only(db: Database) -> None:
    result = service.run_payment_revenue_import(db, statement("dkb.csv"), as_of=AS_OF)
    sums: dict[str, Decimal] = {}
    for row in revenue_service.list_entries(db):
        sums[row.client_name] = sums.get(row.client_name, Decimal(0)) + row.net
        assert row.net > 0 and row.paid_date == row.invoice_date
    assert sums == {
        "Weber IT GmbH": Decimal("1750.50"),  # 1,190.00 / 1.19 + 893.10 / 1.19
        "Lange Consulting": Decimal("2247.90"),  # 840.34 + 1,407.56
        "Stadtwerke Berlin": Decimal("42.02"),
    }
    assert result.added == 5 and "Büroshop Müller GmbH" not in sums
    again = service.run_payment_revenue_import(db, statement("dkb.csv"), as_of=AS_OF)
    assert again.added == 0 and len(again.plan.duplicates) == 5


def test_payments_of_recorded_invoices_are_no_revenue_a_second_time(invoiced: Database) -> None:
    before = sum(row.net for row in revenue_service.list_entries(invoiced))
    plan = service.plan_payment_revenue_import(invoiced, statement("dkb.csv"))
    decisions = [(row.payment.payer, row.outcome, row.detail) for row in plan.decisions]
    assert decisions == [
        ("Weber IT GmbH", "skipped", "pays invoice RE-2025-001 already recorded"),
        ("Lange Consulting", "skipped", "pays invoice RE-2025-002 already recorded"),
        ("Weber IT GmbH", "skipped", "pays invoices RE-2025-003, RE-2025-004 already recorded"),
        ("Lange Consulting", "skipped", "pays invoice RE-2025-002 already recorded"),
        ("Stadtwerke Berlin", "to add", "revenue of Stadtwerke Berlin: net €42.02 at 19 %"),
    ]
    assert "skipped as paying recorded invoices: 4" in plan.summary()
    result = service.run_payment_revenue_import(invoiced, statement("dkb.csv"), as_of=AS_OF)
    assert result.added == 1
    after = sum(row.net for row in revenue_service.list_entries(invoiced))
    assert after - before == Decimal("42.02")  # only the refund, which the dry run showed


def test_a_payment_recorded_for_an_invoice_is_skipped_by_payer_and_amount(
    invoiced: Database,
) -> None:
    service.apply_paid_dates(invoiced, statement("dkb.csv"))  # all four invoices paid
    plan = service.plan_payment_revenue_import(invoiced, statement("dkb.csv"))
    assert [row.outcome for row in plan.decisions] == ["skipped"] * 4 + ["to add"]
    assert plan.decisions[0].detail == "pays invoice RE-2025-001 already recorded"


def test_a_payment_that_may_pay_one_of_two_invoices_is_no_new_revenue_either() -> None:
    invoices = [
        invoice(1, "Weber IT GmbH", 11900, "R-1"),
        invoice(2, "Weber IT GmbH", 11900, "R-2"),
    ]
    payments = (payment(2, "119.00", "Weber IT GmbH"), payment(3, "119.00", "Meier"))
    plan = plan_payment_revenue(Statement("s.csv", "csv", payments), Existing(), invoices)
    assert [(row.outcome, row.detail) for row in plan.decisions] == [
        ("skipped", "pays one of the invoices R-1, R-2, already recorded"),
        ("to add", "revenue of Meier: net €100.00 at 19 %"),
    ]


def test_revenue_rates_small_business_client_rate_and_override(db: Database) -> None:
    client = client_service.create_client(db, {"name": "Lange Consulting", "vat_rate_bp": 700})
    plan = service.plan_payment_revenue_import(db, statement("camt053.xml"))
    assert [e.net_cents for e in plan.entries] == [93458]  # 1,000.00 / 1.07
    assert plan.entries[0].client == client.id
    assert [e.net_cents for e in plan.entries] == [93458]
    plan = service.plan_payment_revenue_import(db, statement("camt053.xml"), vat=Decimal(0))
    assert [e.net_cents for e in plan.entries] == [100000]
    settings_service.save(db, vat_scheme="small_business")
    plan = service.plan_payment_revenue_import(db, statement("camt053.xml"))
    assert [e.net_cents for e in plan.entries] == [100000]
    assert "net from gross at 0 %" in plan.summary()


def recorded_payments(db: Database) -> list[tuple[str | None, dt.date, int, int, str | None]]:
    """(invoice number, day, cents, booking cents, reference) of every recorded payment."""
    with db.session() as session:
        rows = session.exec(
            select(
                RevenueEntry.invoice_number,
                InvoicePayment.day,
                InvoicePayment.amount_cents,
                InvoicePayment.booking_cents,
                InvoicePayment.reference,
            )
            .join(RevenueEntry, col(RevenueEntry.id) == col(InvoicePayment.entry_id))
            .order_by(col(InvoicePayment.day), col(RevenueEntry.invoice_number))
        ).all()
    return [tuple(row) for row in rows]


def test_every_matched_payment_is_recorded_in_the_payment_table(invoiced: Database) -> None:
    service.apply_paid_dates(invoiced, statement("dkb.csv"))
    assert recorded_payments(invoiced) == [
        ("RE-2025-001", D(2025, 4, 7), 119000, 119000, "Rechnung RE-2025-001 vom 03.03.2025"),
        ("RE-2025-002", D(2025, 4, 10), 100000, 100000, "Teilzahlung Rg. RE-2025-002"),
        ("RE-2025-003", D(2025, 4, 22), 53610, 89310, "RE-2025-003 und RE-2025-004"),
        ("RE-2025-004", D(2025, 4, 22), 35700, 89310, "RE-2025-003 und RE-2025-004"),
        ("RE-2025-002", D(2025, 4, 25), 167500, 167500, "Restzahlung RE 2025 002"),
    ]
    service.apply_paid_dates(invoiced, statement("dkb.csv"))
    assert len(recorded_payments(invoiced)) == 5  # a statement imported again adds none
    with invoiced.session() as session:
        assert not session.exec(select(Setting).where(col(Setting.key).startswith("bank."))).all()


def test_the_paid_date_is_the_day_the_payments_reach_the_gross_amount(invoiced: Database) -> None:
    later = service.apply_paid_dates(invoiced, statement("mt940.sta"))  # the rest, 25 April
    assert [match.complete for match in later.partial] == [False]
    assert paid_dates(invoiced)["RE-2025-002"] is None  # 1,675.00 of 2,675.00
    service.apply_paid_dates(invoiced, statement("camt053.xml"))  # the first part, 10 April
    # Imported last, the part of 10 April completes the sum, but the gross amount was reached
    # only with the payment of 25 April.
    assert paid_dates(invoiced)["RE-2025-002"] == D(2025, 4, 25)


def test_deleting_an_invoice_deletes_its_payments(invoiced: Database) -> None:
    service.apply_paid_dates(invoiced, statement("camt053.xml"))
    (entry,) = [
        e for e in revenue_service.list_entries(invoiced) if e.invoice_number == "RE-2025-002"
    ]
    revenue_service.delete_entry(invoiced, entry.id)
    assert recorded_payments(invoiced) == []


def _database_at(path: Path, revision: str) -> Config:
    """A new database file migrated only up to ``revision``; the Alembic config to move on."""
    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()
    return config


def test_partial_payments_kept_in_settings_move_into_the_payment_table(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at(path, "0006")
    key = "2025-04-10|100000|Teilzahlung Rg. RE-2025-002"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO client (id, name, kind, created_on, archived, erased) "
            "VALUES (1, 'Lange Consulting', 'business', '2025-01-01', 0, 0)"
        )
        conn.execute(
            "INSERT INTO revenue_entry (id, client_id, invoice_number, invoice_date, net_cents, "
            "gross_cents) VALUES (7, 1, 'RE-2025-002', '2025-03-20', 224790, 267500)"
        )
        parts = json.dumps([["2025-04-10", 100000, key]])
        conn.executemany(
            "INSERT INTO setting (key, value) VALUES (?, ?)",
            [
                ("bank.partial.7", parts),
                ("bank.partial.99", parts),  # an entry deleted since: forgotten
                ("bank.partial.8", "not json"),
            ],
        )
    with open_database(path) as db:
        assert recorded_payments(db) == [
            ("RE-2025-002", D(2025, 4, 10), 100000, 100000, "Teilzahlung Rg. RE-2025-002")
        ]
        with db.session() as session:
            assert not session.exec(
                select(Setting).where(col(Setting.key).startswith("bank.partial."))
            ).all()
        report = service.apply_paid_dates(db, statement("mt940.sta"))
        assert report.paid_dates == {7: D(2025, 4, 25)}  # 1,000.00 kept + 1,675.00
        again = service.apply_paid_dates(db, statement("camt053.xml"))
        assert [p.amount for p in again.already] == [Decimal("1000.00")]  # known from its key


def test_going_back_to_0006_keeps_the_parts_of_open_invoices_in_settings(
    invoiced: Database,
) -> None:
    service.apply_paid_dates(invoiced, statement("camt053.xml"))
    (entry,) = [
        e for e in revenue_service.list_entries(invoiced) if e.invoice_number == "RE-2025-002"
    ]
    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    with invoiced.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        stored = connection.exec_driver_sql(
            "SELECT key, value FROM setting WHERE key LIKE 'bank.partial.%'"
        ).all()
    assert [(k, json.loads(v)) for k, v in stored] == [
        (
            f"bank.partial.{entry.id}",
            [["2025-04-10", 100000, "2025-04-10|100000|Teilzahlung Rg. RE-2025-002"]],
        )
    ]


def test_erasing_a_client_clears_the_references_of_its_payments(invoiced: Database) -> None:
    service.apply_paid_dates(invoiced, statement("dkb.csv"))
    lange = next(c for c in client_service.client_names(invoiced) if c[1] == "Lange Consulting")
    erase_client(invoiced, lange[0], today=AS_OF)
    assert [
        (number, reference) for number, _d, _c, _b, reference in recorded_payments(invoiced)
    ] == [
        ("RE-2025-001", "Rechnung RE-2025-001 vom 03.03.2025"),
        ("RE-2025-002", None),  # the booking text may name the person
        ("RE-2025-003", "RE-2025-003 und RE-2025-004"),
        ("RE-2025-004", "RE-2025-003 und RE-2025-004"),
        ("RE-2025-002", None),
    ]
