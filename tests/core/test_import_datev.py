"""The DATEV-Format: a Buchungsstapel read as revenue (SKR03 and SKR04), debtors as clients.

Both Buchungsstapel fixtures hold, by hand: RE-2025-001 = 1,190.00 on 19 % (net 1,000.00) and
107.00 on 7 % (net 100.00) → one invoice of net 1,100.00; GS-2025-001 = 119.00 on H → credit
note of net −100.00; RE-2025-002 = 2,380.00 on 19 % → 2,000.00; RE-2025-003 = 1,500.00 on the
reverse-charge account (0 %) → 1,500.00; RE-2025-004 booked S and H → cancelled; a payment, an
expense and a tax payment, which are no revenue. Total net 4,500.00.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from sqlmodel import select

from freelancer_desk.db import Database
from freelancer_desk.i18n import set_language
from freelancer_desk.importers.documents import booking_sign
from freelancer_desk.importers.plan import DecisionKind, PlanOptions
from freelancer_desk.importers.reading import ImportFileError
from freelancer_desk.models import Client, Setting
from freelancer_desk.services.clients import update_client
from freelancer_desk.services.importing import (
    ImportRefused,
    load_table,
    plan_import,
    run_import,
)
from freelancer_desk.services.revenue import list_entries
from tests.import_files import FIXTURES, totals

OPTIONS = PlanOptions(as_of=dt.date(2026, 1, 15))
HEADER = (
    '"EXTF";700;21;"Buchungsstapel";13;20260110093012345;;"RE";"";"";29098;55003;20250101;4;'
    '20250101;20251231;"Test";"";1;0;0;"EUR";;"";;;"03";;;"";""'
)
COLUMNS = (
    '"Umsatz (ohne Soll/Haben-Kz)";"Soll/Haben-Kennzeichen";"WKZ Umsatz";"Konto";'
    '"Gegenkonto (ohne BU-Schlüssel)";"BU-Schlüssel";"Belegdatum";"Belegfeld 1";"Buchungstext";'
    '"Generalumkehr (GU)"'
)


def stapel(*rows: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, COLUMNS, *rows]).encode("cp1252")


def import_file(db: Database, name: str, kind: str = "revenue"):  # type: ignore[no-untyped-def]
    return run_import(db, load_table(FIXTURES / name, kind), kind, OPTIONS)


def test_buchungsstapel_skr03_is_revenue_per_invoice_with_every_decision(db: Database) -> None:
    table = load_table(FIXTURES / "EXTF_Buchungsstapel_SKR03.csv", "revenue")
    assert table.datev is not None and table.datev.chart == "03"
    assert (table.encoding, table.header_line, table.mapping.shape) == (
        "Windows-1252",
        2,
        "DATEV-Format Buchungsstapel",
    )
    assert table.mapping.unrecognised == ()
    result = run_import(db, table, "revenue", OPTIONS)
    assert totals(db) == {
        "Müller GmbH": Decimal("1000.00"),
        "Schröder & Söhne KG": Decimal("2000.00"),
        "Acme Ltd": Decimal("1500.00"),
    }
    entries = {
        row.invoice_number: (row.invoice_date, row.net, row.gross) for row in list_entries(db)
    }
    assert entries == {
        "RE-2025-001": (dt.date(2025, 3, 15), Decimal("1100.00"), Decimal("1297.00")),
        "GS-2025-001": (dt.date(2025, 3, 31), Decimal("-100.00"), Decimal("-119.00")),
        "RE-2025-002": (dt.date(2025, 4, 1), Decimal("2000.00"), Decimal("2380.00")),
        "RE-2025-003": (dt.date(2025, 4, 22), Decimal("1500.00"), Decimal("1500.00")),
    }
    shown = [(d.line, d.kind) for d in result.plan.decisions]
    assert shown == [
        (3, DecisionKind.CLIENT),
        (3, DecisionKind.COMBINED),
        (3, DecisionKind.NET_FROM_GROSS),
        (5, DecisionKind.NET_FROM_GROSS),
        (5, DecisionKind.SIGN),
        (6, DecisionKind.CLIENT),
        (6, DecisionKind.NET_FROM_GROSS),
        (7, DecisionKind.CLIENT),
        (7, DecisionKind.NET_FROM_GROSS),
        (8, DecisionKind.IGNORED),
        (9, DecisionKind.IGNORED),
        (10, DecisionKind.IGNORED),
        (11, DecisionKind.CANCELLED),
    ]
    messages = {(d.line, d.kind): d.detail for d in result.plan.decisions}
    assert messages[(3, DecisionKind.NET_FROM_GROSS)] == (
        "document RE-2025-001: net €1,100.00 from gross €1,190.00 at 19 % (8400) "
        "+ €107.00 at 7 % (8300)"
    )
    assert [messages[(line, DecisionKind.IGNORED)] for line in (8, 9, 10)] == [
        "payment (bank or cash): €1,297.00, accounts 1200 and 10001",
        "expense or supplier: €59.50, accounts 4930 and 1200",
        "tax booking: €380.00, accounts 1780 and 1200",
    ]
    summary = result.plan.summary(done=True)
    assert "added: 4" in summary and "left out (not revenue, no client): 3" in summary

    again = import_file(db, "EXTF_Buchungsstapel_SKR03.csv")
    assert (again.added, again.clients_added, len(again.plan.duplicates)) == (0, 0, 4)
    assert sum(totals(db).values()) == Decimal("4500.00")


def test_debtor_file_first_names_the_clients_of_an_skr04_buchungsstapel(db: Database) -> None:
    debtors = import_file(db, "EXTF_Debitoren_SKR04.csv", "clients")
    assert debtors.added == 3
    assert [(d.line, d.kind) for d in debtors.plan.decisions] == [(6, DecisionKind.IGNORED)]
    with db.session() as session:
        clients = {c.name: c for c in session.exec(select(Client)).all()}
        remembered = json.loads(session.get(Setting, "import.datev.accounts.29098-55004").value)
    assert set(clients) == {"Müller GmbH", "Jana Schröder", "Acme Ltd"}  # not the supplier
    assert clients["Müller GmbH"].email == "kaya@mueller.example"
    assert clients["Müller GmbH"].address == "Hauptstraße 5\n10115 Berlin\nDE"
    assert remembered == {
        "10001": clients["Müller GmbH"].id,
        "10002": clients["Jana Schröder"].id,
        "10003": clients["Acme Ltd"].id,
    }
    # A client renamed since keeps its account: the link is by id.
    update_client(db, clients["Acme Ltd"].id, {"name": "Acme Limited"})

    result = import_file(db, "EXTF_Buchungsstapel_SKR04.csv")
    assert result.clients_added == 0
    assert result.plan.decided(DecisionKind.CLIENT) == 0  # no name had to be guessed
    assert totals(db) == {
        "Müller GmbH": Decimal("1000.00"),
        "Jana Schröder": Decimal("2000.00"),
        "Acme Limited": Decimal("1500.00"),
    }
    again = import_file(db, "EXTF_Debitoren_SKR04.csv", "clients")
    assert again.added == 0  # Acme is matched by its account, not created a second time
    assert [d.detail for d in again.plan.decisions if d.kind is DecisionKind.CLIENT] == [
        'account 10003 is the client "Acme Limited" (the file calls it "Acme Ltd")'
    ]


def test_without_the_debtor_file_invoice_texts_are_no_names_and_the_dry_run_says_so(
    db: Database,
) -> None:
    result = import_file(db, "EXTF_Buchungsstapel_SKR04.csv")
    assert totals(db) == {
        "Debtor 10001": Decimal("1000.00"),
        "Debtor 10002": Decimal("2000.00"),
        "Debtor 10003": Decimal("1500.00"),
    }
    named = [d.detail for d in result.plan.decisions if d.kind is DecisionKind.CLIENT]
    assert named[0] == (
        'debtor 10001 is "Debtor 10001": no debtor file names it and its booking texts name '
        "invoices, not a client"
    )
    advice = [notice for notice in result.plan.notices if "debtor file" in notice]
    assert advice == [
        'Debtors without a name are called "Debtor" and their account number. To get their '
        "real names, import the DATEV debtor file first (Debitoren/Kreditoren, format "
        "category 16, as clients), then the Buchungsstapel."
    ]


@pytest.mark.parametrize(
    ("text", "number", "client"),
    [
        ("Rechnung RE-17", "RE-17", "Debtor 10001"),
        ("Re. 17", "17", "Debtor 10001"),
        ("Invoice #2025-4", "2025-4", "Debtor 10001"),
        ("Gutschrift GS-1", "GS-1", "Debtor 10001"),
        ("Storno 12", "S12", "Debtor 10001"),
        ("A-2025-9", "A-2025-9", "Debtor 10001"),  # the text is the invoice number
        ("Renovierung Meier", "R-1", "Renovierung Meier"),  # a name starting with "Re"
        ("Müller GmbH", "R-1", "Müller GmbH"),
    ],
)
def test_a_booking_text_that_names_a_document_is_no_client_name(
    db: Database, text: str, number: str, client: str
) -> None:
    data = stapel(f'119,00;"S";"EUR";10001;8400;"";"0102";"{number}";"{text}";"0"')
    run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    assert totals(db) == {client: Decimal("100.00")}


def test_in_german_the_neutral_name_is_debitor(db: Database) -> None:
    set_language("de")
    data = stapel('119,00;"S";"EUR";10001;8400;"";"0102";"R-1";"Rechnung R-1";"0"')
    result = run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    assert any("Debitoren/Kreditoren" in notice for notice in result.plan.notices)
    assert totals(db) == {"Debitor 10001": Decimal("100.00")}


def test_a_datev_file_given_as_the_other_kind_says_what_to_do() -> None:
    with pytest.raises(ImportFileError, match="import it as revenue entries"):
        load_table(FIXTURES / "EXTF_Buchungsstapel_SKR03.csv", "clients")
    with pytest.raises(ImportFileError, match="import it as clients, before the Buchungsstapel"):
        load_table(FIXTURES / "EXTF_Debitoren_SKR04.csv", "revenue")


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (HEADER.replace(";700;", ";510;"), "format version 510; versions 7.x"),
        (HEADER.replace(';"03";', ';"";'), "does not say its chart of accounts"),
        (HEADER.replace("20250101;20251231", ";"), "names no period"),
    ],
    ids=["version", "chart", "period"],
)
def test_a_format_header_that_leaves_accounts_or_dates_open_is_refused(
    header: str, message: str
) -> None:
    data = stapel('100,00;"S";"EUR";10001;8400;"";"0102";"R-1";"A";"0"', header=header)
    with pytest.raises(ImportFileError, match=message):
        load_table(data, "revenue")


def test_bookings_that_cannot_be_read_are_named_by_line_and_column(db: Database) -> None:
    data = stapel(
        '100,00;"S";"EUR";10001;8400;"";"3112";"R-1";"A";"0"',
        '100,00;"S";"EUR";10001;8400;"";"3102";"R-2";"A";"0"',  # 31 February
        '100,00;"S";"USD";10001;8400;"";"0102";"R-3";"A";"0"',
        '100,00;"X";"EUR";10001;8400;"";"0102";"R-4";"A";"0"',
        '100,00;"S";"EUR";10001;8200;"";"0102";"R-5";"A";"0"',
        '-100,00;"S";"EUR";10001;8400;"";"0102";"R-6";"A";"0"',
        '100,00;"S";"EUR";1200;8400;"";"0102";"R-7";"Rechnung R-7";"0"',
    )
    with pytest.raises(ImportRefused) as refused:
        run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    assert [problem.message() for problem in refused.value.plan.errors] == [
        'Line 4, column "Belegdatum": "3102" is no day within the period of the file '
        "(1 Jan 2025 to 31 Dec 2025)",
        'Line 5, column "WKZ Umsatz": amounts in USD are not imported, only EUR',
        'Line 6, column "Soll/Haben-Kennzeichen": "X" is neither S nor H',
        'Line 7, column "Gegenkonto (ohne BU-Schlüssel)": revenue account 8200 has no VAT rate '
        "of its own and the booking no tax key (BU-Schlüssel 2 or 3) to give one",
        'Line 8, column "Umsatz (ohne Soll/Haben-Kz)": DATEV amounts are positive, the side S/H '
        "gives the sign; not -€100.00",
        'Line 9, column "Buchungstext": the booking names no debtor account and has no booking '
        "text that names the client (a text such as an invoice number is no name)",
    ]


def test_tax_key_reversal_and_the_revenue_account_as_konto(db: Database) -> None:
    data = stapel(
        '119,00;"S";"EUR";10001;8200;"3";"0102";"R-1";"A";"0"',  # 8200 with tax key 3: 19 %
        '107,00;"H";"EUR";8300;10001;"";"0202";"R-2";"A";"0"',  # revenue account as Konto, H
        '119,00;"H";"EUR";10001;8400;"";"0302";"R-3";"A";"1"',  # reversal of a credit note
        '50,00;"S";"EUR";1200;8400;"";"0402";"";"Barverkauf Meier";"0"',  # no debtor
    )
    result = run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    nets = {entry.invoice_number: entry.net_cents for entry in result.plan.entries}
    assert nets == {"R-1": 10000, "R-2": 10000, "R-3": 10000, None: 4202}  # 50 ÷ 1.19
    assert totals(db) == {"A": Decimal("300.00"), "Barverkauf Meier": Decimal("42.02")}


@pytest.mark.parametrize(
    ("side", "on_konto", "reversal", "sign"),
    [
        ("S", False, False, 1),  # Debitor an Erlöse: revenue
        ("H", False, False, -1),  # Erlöse an Debitor: credit note
        ("H", True, False, 1),  # Konto is the revenue account, credited
        ("S", True, False, -1),
        ("S", False, True, -1),  # Generalumkehr turns it
    ],
)
def test_the_side_of_a_booking_gives_the_sign(
    side: str, on_konto: bool, reversal: bool, sign: int
) -> None:
    assert booking_sign(side, on_konto, reversal) == sign


def test_a_period_across_new_year_gives_each_day_its_year(db: Database) -> None:
    """A fiscal year from July: 1507 is 15 July 2025, 1501 is 15 January 2026."""
    header = HEADER.replace("20250101;4;20250101;20251231", "20250701;4;20250701;20260630")
    data = stapel(
        '119,00;"S";"EUR";10001;8400;"";"1507";"R-1";"A";"0"',
        '119,00;"S";"EUR";10001;8400;"";"1501";"R-2";"A";"0"',
        header=header,
    )
    plan = plan_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    assert [entry.invoice_date for entry in plan.entries] == [
        dt.date(2025, 7, 15),
        dt.date(2026, 1, 15),
    ]
