"""Invoice lists as tools really export them: info lines, recipient lines, up to three VAT
pairs, cancelled invoices, Gutschriften; totals exact to the cent, worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from freelancer_desk.db import Database
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.plan import (
    CreditNoteChoiceNeeded,
    DecisionKind,
    PlanOptions,
)
from freelancer_desk.services.importing import (
    ImportRefused,
    check_credit_notes,
    load_table,
    plan_import,
    run_import,
)
from freelancer_desk.services.revenue import list_entries
from tests.import_files import FIXTURES, totals

TODAY = dt.date(2026, 1, 15)
OPTIONS = PlanOptions(as_of=TODAY)


def decisions(plan) -> list[tuple[int, DecisionKind]]:  # type: ignore[no-untyped-def]
    return [(decision.line, decision.kind) for decision in plan.decisions]


def test_practice_software_list_with_recipient_lines_three_vat_pairs_and_a_cancellation(
    db: Database,
) -> None:
    """CGM MAXX: six info lines, "Rechnungsempfänger Zeile 0 … 4", "USt Satz 1/2/3" pairs.

    By hand: 2025-0101 gross 1,347.00 − 190.00 (19 %) − 7.00 (7 %) − 0.00 (0 %) = 1,150.00;
    2025-0102 1,190.00 − 190.00 = 1,000.00; 2025-0104 450.00 at 0 % = 450.00; 2025-0103 is
    cancelled (Storno-Datum). Total 2,600.00 — not 2,807.10 (cancelled counted and the 7 %
    amount ignored).
    """
    table = load_table(FIXTURES / "cgm_maxx_rechnungsliste.csv", "revenue")
    assert (table.header_line, table.mapping.shape) == (
        7,
        "CGM MAXX (practice software) invoice list",
    )
    assert [line for line, _why in table.skipped] == [1, 2, 3, 4, 5]
    assert table.mapping.unrecognised == ()  # the other recipient lines are known, not needed
    result = run_import(db, table, "revenue", OPTIONS)
    assert totals(db) == {
        "Müller GmbH": Decimal("1150.00"),
        "Eva Schmidt": Decimal("1000.00"),
        "Praxis Dr. Weiß": Decimal("450.00"),
    }
    assert sum(totals(db).values()) == Decimal("2600.00")
    gross = {row.invoice_number: row.gross for row in list_entries(db)}
    assert gross == {
        "2025-0101": Decimal("1347.00"),
        "2025-0102": Decimal("1190.00"),
        "2025-0104": Decimal("450.00"),
    }
    assert decisions(result.plan) == [
        (8, DecisionKind.NET_FROM_GROSS),
        (9, DecisionKind.NET_FROM_GROSS),
        (10, DecisionKind.CANCELLED),
        (11, DecisionKind.NET_FROM_GROSS),
    ]
    first, _second, cancelled, zero = (d.message() for d in result.plan.decisions)
    assert first == (
        "Line 8 (net from gross): net €1,150.00 = gross €1,347.00 − €190.00 VAT at 19 %, "
        "€7.00 VAT at 7 %"
    )
    assert cancelled == (
        "Line 10 (skipped as cancelled): invoice 2025-0103 of Müller GmbH: cancelled on 20 Mar 2025"
    )
    assert zero == "Line 11 (net from gross): net €450.00 = gross, without VAT"
    assert "skipped as cancelled: 1" in result.plan.summary(done=True)

    again = run_import(
        db, load_table(FIXTURES / "cgm_maxx_rechnungsliste.csv", "revenue"), "revenue", OPTIONS
    )
    assert (again.added, again.clients_added, len(again.plan.duplicates)) == (0, 0, 3)
    assert again.plan.decided(DecisionKind.CANCELLED) == 1
    assert sum(totals(db).values()) == Decimal("2600.00")


def test_invoice_ninja_amount_includes_the_taxes_and_cancelled_or_draft_is_skipped(
    db: Database,
) -> None:
    """Invoice Ninja's "Amount" is gross: net = Amount − Total Taxes. Cancelled and reversed
    invoices never happened, a draft was never issued."""
    table = load_table(FIXTURES / "invoice_ninja_invoices.csv", "revenue")
    assert table.mapping.shape == "Invoice Ninja invoice export"
    assert table.mapping.header_of("gross") == "Amount"
    result = run_import(db, table, "revenue", OPTIONS)
    assert totals(db) == {
        "Acme Ltd": Decimal("1000.00"),
        "Globex, Inc.": Decimal("2000.00"),
        "Initech": Decimal("500.00"),
    }
    skipped = [
        (d.line, d.kind, d.detail)
        for d in result.plan.decisions
        if d.kind in (DecisionKind.CANCELLED, DecisionKind.DRAFT)
    ]
    assert skipped == [
        (4, DecisionKind.CANCELLED, 'invoice INV-0003 of Acme Ltd: status "Cancelled"'),
        (5, DecisionKind.CANCELLED, 'invoice INV-0004 of Acme Ltd: status "Reversed"'),
        (7, DecisionKind.DRAFT, 'invoice INV-0006 of Initech: status "Draft"'),
    ]
    assert "skipped as cancelled: 2 · skipped as drafts: 1" in result.plan.summary(done=True)
    again = run_import(
        db, load_table(FIXTURES / "invoice_ninja_invoices.csv", "revenue"), "revenue", OPTIONS
    )
    assert again.added == 0 and len(again.plan.duplicates) == 3


def test_a_positive_gutschrift_is_asked_and_a_stornorechnung_stays_a_credit_note(
    db: Database,
) -> None:
    table = load_table(FIXTURES / "revenue_gutschrift.csv", "revenue")
    with pytest.raises(CreditNoteChoiceNeeded) as asked:
        check_credit_notes(table, "revenue", OPTIONS)
    assert [(row.line, row.mark, row.number, row.amount) for row in asked.value.rows] == [
        (5, "Gutschrift", "GS-0815", Decimal("761.60")),
        (6, "Gutschrift", "GS-0816", Decimal("380.80")),
    ]
    assert asked.value.rows[0].describe() == (
        'Line 5: "Gutschrift" GS-0815, Plattform Texte24 GmbH, €761.60'
    )
    with pytest.raises(CreditNoteChoiceNeeded):
        plan_import(db, table, "revenue", OPTIONS)  # never planned with a guessed sign

    negative = PlanOptions(TODAY, credit_notes=CreditNotes.NEGATIVE)
    plan = plan_import(db, table, "revenue", negative)
    assert decisions(plan) == [(5, DecisionKind.SIGN), (6, DecisionKind.SIGN)]
    assert plan.decisions[0].detail == (
        'marked "Gutschrift" with a positive amount: a credit note, net -€640.00'
    )
    nets = {entry.invoice_number: entry.net_cents for entry in plan.entries}
    # Stornorechnung and Rechnungskorrektur are negative in the file and stay so.
    assert nets == {
        "RE-2025-010": 100000,
        "SR-2025-001": -100000,
        "RE-2025-011": 90000,
        "GS-0815": -64000,
        "GS-0816": -32000,
        "RK-2025-001": -5000,
    }


def test_a_self_billing_gutschrift_is_imported_as_revenue_when_chosen(db: Database) -> None:
    """A translator's platform pays by Gutschrift (§ 14 Abs. 2 S. 2 UStG): that is revenue."""
    table = load_table(FIXTURES / "revenue_gutschrift.csv", "revenue")
    revenue = PlanOptions(TODAY, credit_notes=CreditNotes.REVENUE)
    result = run_import(db, table, "revenue", revenue)
    assert totals(db) == {
        "Verlag Lindner": Decimal("850.00"),  # 1,000 − 1,000 + 900 − 50
        "Plattform Texte24 GmbH": Decimal("960.00"),  # 640 + 320
    }
    assert result.plan.decisions[1].detail == (
        'marked "Gutschrift" with a positive amount: a self-billing invoice, revenue, net €320.00'
    )
    again = run_import(db, table, "revenue", revenue)
    assert again.added == 0 and len(again.plan.duplicates) == 6


def test_several_rates_without_amounts_or_a_rate_without_its_amount_are_refused(
    db: Database,
) -> None:
    data = (
        b"Kunde;Datum;Brutto;USt Satz 1 Prozent;USt Satz 1 Betrag;USt Satz 2 Prozent;"
        b"USt Satz 2 Betrag\n"
        b"A;01.02.2025;1.297,00;19;;7;\n"
        b"B;01.02.2025;1.297,00;19;190,00;7;\n"
        b"C;01.02.2025;1.070,00;;;7;\n"
    )
    with pytest.raises(ImportRefused) as refused:
        run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    messages = [problem.message() for problem in refused.value.plan.errors]
    assert messages == [
        'Line 2, column "Brutto": several VAT rates (7 %, 19 %) but no VAT amounts: how the '
        "gross amount splits between them is not known",
        'Line 3, column "USt Satz 2 Betrag": the VAT amount of the rate 7 % is missing',
    ]
    good = run_import(db, load_table(data, "revenue"), "revenue", OPTIONS, good_rows_only=True)
    assert [entry.net_cents for entry in good.plan.entries] == [100000]  # 1,070 ÷ 1.07


def test_a_cancelled_invoice_imported_before_is_named_and_left_for_the_user(
    db: Database,
) -> None:
    header = "Rechnungsnummer;Rechnungsdatum;Kunde;Netto;Rechnungsstatus\n"
    run_import(
        db,
        load_table((header + "R-1;01.02.2025;A;100,00;offen\n").encode(), "revenue"),
        "revenue",
        OPTIONS,
    )
    later = load_table((header + "R-1;01.02.2025;A;100,00;storniert\n").encode(), "revenue")
    result = run_import(db, later, "revenue", OPTIONS)
    [decision] = result.plan.decisions
    assert decision.kind is DecisionKind.CANCELLED
    assert "an earlier import brought it in as revenue" in decision.detail
    assert totals(db) == {"A": Decimal("100.00")}  # never deleted by an import


def test_recipient_spread_over_numbered_lines_takes_the_first_as_client(db: Database) -> None:
    data = (
        "Nr.;Datum;Empfänger Zeile 2;Empfänger Zeile 1;Netto\n"
        "1;01.02.2025;Hauptstraße 5;Müller GmbH;100,00\n"
    ).encode()
    table = load_table(data, "revenue")
    assert table.mapping.header_of("client") == "Empfänger Zeile 1"
    run_import(db, table, "revenue", OPTIONS)
    assert totals(db) == {"Müller GmbH": Decimal("100.00")}


def test_net_and_gross_columns_in_brackets_stay_two_columns() -> None:
    table = load_table(FIXTURES / "revenue_gutschrift.csv", "revenue")
    assert (table.mapping.header_of("net"), table.mapping.header_of("gross")) == (
        "Betrag (netto)",
        "Betrag (brutto)",
    )
