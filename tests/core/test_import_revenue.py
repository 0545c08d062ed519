"""Revenue from real-world CSV shapes: exact amounts per client, no duplicates, no half imports."""

from __future__ import annotations

import datetime as dt
import gc
import sqlite3
from contextlib import closing
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from sqlmodel import func, select

from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import set_language
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.plan import (
    CreditNoteChoiceNeeded,
    DateOrderNeeded,
    DecisionKind,
    EntryDraft,
    ImportCancelled,
    ImportPlan,
    PlanOptions,
)
from freelancer_desk.importers.reading import ImportFileError
from freelancer_desk.importers.values import DateOrder
from freelancer_desk.models import Client, RevenueEntry
from freelancer_desk.services.clients import create_client
from freelancer_desk.services.importing import (
    ImportRefused,
    add_clients,
    add_entries,
    check_date_order,
    load_table,
    plan_import,
    remap,
    remembered_mappings,
    run_import,
)
from freelancer_desk.services.revenue import list_entries
from freelancer_desk.services.settings import save as save_settings
from tests.import_files import FIXTURES, totals

TODAY = dt.date(2026, 1, 15)
OPTIONS = PlanOptions(as_of=TODAY)


def count(db: Database, model: type) -> int:
    with db.session() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def import_file(db: Database, name: str, **kwargs: object):  # type: ignore[no-untyped-def]
    table = load_table(FIXTURES / name, "revenue")
    return run_import(db, table, "revenue", OPTIONS, **kwargs)  # type: ignore[arg-type]


def import_bytes(db: Database, data: bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    return run_import(db, load_table(data, "revenue"), "revenue", OPTIONS, **kwargs)  # type: ignore[arg-type]


EXPECTED = {
    "revenue_semicolon_bom.csv": (
        "UTF-8 with BOM",
        ";",
        {
            "Müller GmbH": "2000.00",
            "Schröder & Söhne KG": "14500.10",
            "Özdemir Übersetzungen": "99.90",
        },
    ),
    "revenue_windows1252.csv": (
        "Windows-1252",
        ";",
        {"Bäckerei Groß": "1500.00", "Café Fräulein Süß": "450.50"},
    ),
    "revenue_info_totals.csv": (
        "UTF-8",
        ",",
        {"Acme Ltd": "3234.56", "Globex, Inc.": "750.50"},
    ),
    "revenue_gross_vat.csv": (
        "UTF-8",
        ";",
        {"Huber Design": "1184.03", "Kunstverein Nord e.V.": "250.00"},
    ),
    "revenue_credit_notes.csv": (
        "UTF-8",
        ";",
        {"Weber IT": "1500.00", "Lange Consulting": "0.00"},
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_imports_to_the_exact_amounts_per_client(db: Database, name: str) -> None:
    encoding, delimiter, expected = EXPECTED[name]
    table = load_table(FIXTURES / name, "revenue")
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    result = run_import(db, table, "revenue", OPTIONS)
    assert not result.plan.errors
    assert totals(db) == {client: Decimal(amount) for client, amount in expected.items()}
    assert result.clients_added == len(expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_importing_the_same_file_again_adds_nothing(db: Database, name: str) -> None:
    first = import_file(db, name)
    before = (count(db, RevenueEntry), count(db, Client), totals(db))
    second = import_file(db, name)
    assert second.added == 0 and second.clients_added == 0
    assert len(second.plan.duplicates) == first.added
    assert (count(db, RevenueEntry), count(db, Client), totals(db)) == before


def test_details_of_a_german_export_are_kept(db: Database) -> None:
    import_file(db, "revenue_semicolon_bom.csv")
    rows = {row.invoice_number: row for row in list_entries(db)}
    first = rows["RE-2025-001"]
    assert (first.invoice_date, first.due_date, first.paid_date) == (
        dt.date(2025, 1, 15),
        dt.date(2025, 1, 29),
        dt.date(2025, 1, 28),
    )
    assert first.note == "Website-Relaunch"
    assert rows["RE-2025-002"].note == "Logo; Briefpapier"
    assert rows["RE-2025-005"].note == "Zweizeilige\r\nBemerkung"
    assert rows["RE-2025-003"].client_name == "Müller GmbH"  # MUELLER GMBH is the same client


def test_info_lines_and_totals_row_are_skipped_and_reported(db: Database) -> None:
    table = load_table(FIXTURES / "revenue_info_totals.csv", "revenue")
    assert table.header_line == 5
    assert [line for line, _reason in table.skipped] == [1, 2, 3, 9]
    assert table.mapping.unrecognised == ("Project Code",)
    plan = plan_import(db, table, "revenue", OPTIONS)
    assert plan.rows_read == 3
    assert "Project Code" in plan.summary()
    assert [d.message() for d in plan.decisions if d.kind is DecisionKind.FOOTER] == [
        "Line 9 (skipped as a totals row): a totals or footer line, not an invoice"
    ]


def test_gross_only_derives_net_and_keeps_gross(db: Database) -> None:
    import_file(db, "revenue_gross_vat.csv")
    rows = {row.invoice_number: (row.net, row.gross) for row in list_entries(db)}
    assert rows == {
        "G-1": (Decimal("1000.00"), Decimal("1190.00")),
        "G-2": (Decimal("100.00"), Decimal("107.00")),
        "G-3": (Decimal("250.00"), Decimal("250.00")),
        "G-4": (Decimal("84.03"), Decimal("100.00")),  # 100 / 1.19 = 84.0336...
    }


def test_gross_with_a_vat_amount_column(db: Database) -> None:
    data = b"Kunde;Datum;Brutto;MwSt\nA;01.01.2025;119,00;19,00\n"
    import_bytes(db, data)
    assert totals(db) == {"A": Decimal("100.00")}


def test_status_words_skip_a_cancelled_row_and_mark_a_credit_note(db: Database) -> None:
    data = (
        b"Kunde,Datum,Netto,Status\nA,2025-01-01,100,bezahlt\nA,2025-01-02,40,Gutschrift\n"
        b"A,2025-01-03,10,storniert\nA,2025-01-04,-5,Gutschrift\n"
    )
    table = load_table(data, "revenue")
    with pytest.raises(CreditNoteChoiceNeeded) as asked:
        plan_import(db, table, "revenue", OPTIONS)
    assert [row.line for row in asked.value.rows] == [3]  # -5 is a credit note as written
    choice = PlanOptions(TODAY, credit_notes=CreditNotes.NEGATIVE)
    result = run_import(db, table, "revenue", choice)
    notes = sorted((row.net, row.note) for row in list_entries(db))
    assert notes == [
        (Decimal("-40.00"), "Status: Gutschrift"),
        (Decimal("-5.00"), "Status: Gutschrift"),
        (Decimal("100.00"), None),
    ]
    decided = [(d.line, d.kind) for d in result.plan.decisions]
    assert decided == [(3, DecisionKind.SIGN), (4, DecisionKind.CANCELLED)]


def test_existing_client_is_matched_by_umlaut_spelling(db: Database) -> None:
    create_client(db, {"name": "Mueller GmbH"})
    result = import_file(db, "revenue_semicolon_bom.csv")
    assert "Müller GmbH" not in result.plan.new_clients
    assert totals(db)["Mueller GmbH"] == Decimal("2000.00")
    assert count(db, Client) == 3


def test_likely_duplicate_clients_are_reported_not_merged(db: Database) -> None:
    create_client(db, {"name": "Acme Limited"})
    data = b"Customer,Date,Net\nAcme Ltd.,2025-01-01,10\n"
    result = import_bytes(db, data)
    assert result.plan.likely_duplicates == [("Acme Ltd.", "Acme Limited")]
    assert count(db, Client) == 2


def test_identity_without_invoice_number_is_client_date_and_amount(db: Database) -> None:
    data = b"Kunde;Datum;Netto\nA;01.01.2025;100,00\nA;01.01.2025;100,00\nA;01.01.2025;90,00\n"
    result = import_bytes(db, data)
    assert result.added == 2
    assert [d.line for d in result.plan.duplicates] == [3]
    assert result.plan.duplicates[0].other_line == 2
    again = import_bytes(db, data)
    assert again.added == 0 and len(again.plan.duplicates) == 3


def test_same_number_with_other_figures_in_one_file_is_an_error(db: Database) -> None:
    data = b"Kunde;Nr.;Datum;Netto\nA;1;01.01.2025;100,00\nA;1;02.01.2025;100,00\n"
    with pytest.raises(ImportRefused) as refused:
        import_bytes(db, data)
    [problem] = refused.value.plan.errors
    assert (problem.line, problem.column) == (3, "Nr.")
    assert "also on line 2" in problem.message()


BAD_ROWS = (
    b"Kunde;Rechnungsnummer;Rechnungsdatum;Netto;Bezahlt am\n"
    b"Gut GmbH;1;01.01.2025;100,00;\n"
    b"Gut GmbH;2;31.13.2025;100,00;\n"
    b"Gut GmbH;3;01.02.2025;12,3,4;\n"
    b";4;01.02.2025;5,00;\n"
    b"Gut GmbH;5;01.03.2025;5,00;01.02.2025\n"
    b"Gut GmbH;6;01.03.2025;5,0012;\n"
    b"Gut GmbH;7;01.04.2025;7,00;\n"
)


def test_bad_rows_are_reported_by_line_and_column_and_nothing_is_written(db: Database) -> None:
    with pytest.raises(ImportRefused, match="5 rows have errors") as refused:
        import_bytes(db, BAD_ROWS)
    messages = [problem.message() for problem in refused.value.plan.errors]
    assert messages == [
        'Line 3, column "Rechnungsdatum": "31.13.2025" is not a valid date '
        "(write e.g. 31.12.2025 or 2025-12-31)",
        'Line 4, column "Netto": "12,3,4" is not an amount (write e.g. 1.234,56 or 1234.56)',
        'Line 5, column "Kunde": Client is missing',
        'Line 6, column "Bezahlt am": must not be before the invoice date',
        'Line 7, column "Netto": "5,0012" may have at most two decimal places',
    ]
    assert count(db, RevenueEntry) == 0 and count(db, Client) == 0


def test_good_rows_only_imports_the_rest(db: Database) -> None:
    result = import_bytes(db, BAD_ROWS, good_rows_only=True)
    assert result.added == 2
    assert sorted(row.invoice_number for row in list_entries(db)) == ["1", "7"]
    assert result.plan.bad_lines == [3, 4, 5, 6, 7]


#: Thousands of plain rows (each read the quick way) before the rows below.
PLAIN_ROWS = "Kunde;Nr.;Datum;Netto;Brutto;Bezahlt am\n" + "".join(
    f"Kunde {i % 40};R-{i};{1 + i % 28:02d}.0{1 + i % 9}.2025;{i % 900}.{i % 7}00,{i % 100:02d};;\n"
    for i in range(5000)
)


def test_a_bad_row_after_thousands_of_good_ones_is_named_and_nothing_is_written(
    db: Database,
) -> None:
    data = PLAIN_ROWS + "Kunde 1;R-5000;01.02.2025;100,00;90,00;\n"
    with pytest.raises(ImportRefused, match="1 row has errors") as refused:
        import_bytes(db, data.encode())
    assert [problem.message() for problem in refused.value.plan.errors] == [
        'Line 5002, column "Brutto": the gross amount €90.00 is smaller than the net amount €100.00'
    ]
    assert count(db, RevenueEntry) == 0 and count(db, Client) == 0


def test_rows_out_of_the_ordinary_among_plain_ones_are_still_read_with_care(
    db: Database,
) -> None:
    """Each row below is read with care, not the quick way: what it says is worded as
    for a file of a few rows, and the plain rows around it go in to the cent."""
    unusual = (
        "Kunde 1;R-9001;01.02.2025;1.000.000.000,00;;\n"  # too large
        "Kunde 1;R-9002;2025-02-30;10,00;;\n"  # no such day
        "Kunde 1;R-9003;01.02.1989;10,00;;\n"  # a year out of range
        "Kunde 1;R-9004;01.02.2025;10,00;;31.01.2025\n"  # paid before the invoice
        "Kunde\x1b1;R-9005;01.02.2025;10,00;;\n"  # a control character in a name
        "Kunde 1;R-9006;01.02.2025;10,00;;;zu viel\n"  # one cell more than the header
        "Kunde 1;R-9007;01.02.2025;1.234;;\n"  # read with care: a thousand, as the file writes
        "Kunde 2;R-9008;01.02.2025;-1.234,56;-1.500,00;\n"  # plain: a credit note
        "Kunde 3;R-9009;01.02.2025;999.999.999,99;;02.02.2025\n"  # plain: the largest amount
        "Kunde 1;R-9010;01.02.2025;12;;\n"  # read with care, and good: twelve euros
    )
    with pytest.raises(ImportRefused, match="6 rows have errors") as refused:
        import_bytes(db, (PLAIN_ROWS + unusual).encode())
    assert [problem.message() for problem in refused.value.plan.errors] == [
        'Line 5002, column "Netto": "1.000.000.000,00" is too large',
        'Line 5003, column "Datum": "2025-02-30" is not a valid date '
        "(write e.g. 31.12.2025 or 2025-12-31)",
        'Line 5004, column "Datum": "01.02.1989": the year 1989 lies outside 1990–2100',
        'Line 5005, column "Bezahlt am": must not be before the invoice date',
        'Line 5006, column "Kunde": "Kunde\\x1b1" holds a control character (\\x1b); '
        "a name may not",
        "Line 5007: the row has 7 cells, the header row 6",
    ]
    result = import_bytes(db, (PLAIN_ROWS + unusual).encode(), good_rows_only=True)
    assert result.added == 5004
    by_number = {entry.invoice_number: entry for entry in list_entries(db)}
    assert by_number["R-9008"].net == Decimal("-1234.56")
    assert by_number["R-9008"].gross == Decimal("-1500.00")
    assert by_number["R-9009"].net == Decimal("999999999.99")
    assert by_number["R-9009"].paid_date == dt.date(2025, 2, 2)
    assert by_number["R-9007"].net == Decimal("1234.00")
    assert by_number["R-9010"].net == Decimal("12.00")
    assert by_number["R-4999"].net == Decimal("499100.99")  # "499.100,99"
    assert by_number["R-4999"].invoice_date == dt.date(2025, 5, 16)


def test_entries_against_the_unique_invoice_numbers_write_nothing(db: Database) -> None:
    """Many entries into an empty table have its indexes built after the insert; the unique
    one still refuses two entries of one client with one number, and nothing is written."""
    twice = [
        EntryDraft(line, "a", "R-1", dt.date(2025, 1, line), 100, None, None, None, None)
        for line in (2, 3)
    ]
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"), db.session() as session:
        ids = add_clients(session, [{"name": "A"}], TODAY)
        add_entries(session, twice, ids, 2, None, None)
    assert count(db, RevenueEntry) == 0 and count(db, Client) == 0
    with closing(sqlite3.connect(db.path)) as conn:
        indexes = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'revenue_entry'"
        ).fetchall()
    assert ("uq_revenue_client_invoice_number",) in indexes and len(indexes) == 4


def test_missing_required_column_names_the_header_line_and_field(db: Database) -> None:
    data = b"Kunde;Rechnungsnummer;Netto\nA;1;5,00\n"
    with pytest.raises(
        ImportFileError, match=r"Line 1 \(header row\): there is no column for Invoice date"
    ):
        plan_import(db, load_table(data, "revenue"), "revenue", OPTIONS)


GROSS_ONLY = (
    b"Kunde;Rechnungsnummer;Datum;Brutto\n"
    b"Weber IT;R-1;01.03.2025;119,00\n"
    b"Buchladen Lange;R-2;02.03.2025;107,00\n"
    b"Neu GmbH;R-3;03.03.2025;250,00\n"
)


def net_and_rates(plan: ImportPlan) -> list[tuple[str | None, int, Decimal | None]]:
    """(invoice number, net cents, VAT rate of its decision) of each entry of a plan."""
    rates = {d.line: d.vat_percent for d in plan.decisions if d.kind is DecisionKind.NET_FROM_GROSS}
    return [(e.invoice_number, e.net_cents, rates.get(e.line)) for e in plan.entries]


def test_a_gross_only_list_takes_the_usual_rate_and_a_clients_own_rate(db: Database) -> None:
    create_client(db, {"name": "Buchladen Lange", "vat_rate_bp": 700})
    create_client(db, {"name": "Weber IT"})
    plan = plan_import(db, load_table(GROSS_ONLY, "revenue"), "revenue", OPTIONS)
    assert net_and_rates(plan) == [
        ("R-1", 10000, Decimal(19)),  # 119.00 / 1.19, the usual rate
        ("R-2", 10000, Decimal(7)),  # 107.00 / 1.07, the client's own rate wins
        ("R-3", 21008, Decimal(19)),  # 250.00 / 1.19 = 210.084: a new client, the usual rate
    ]
    messages = [decision.message() for decision in plan.decisions]
    assert messages == [
        "Line 2 (net from gross): net €100.00 = gross €119.00 ÷ 1.19 (the usual VAT rate of 19 %)",
        "Line 3 (net from gross): net €100.00 = gross €107.00 ÷ 1.07 (the client's own VAT "
        "rate of 7 %)",
        "Line 4 (net from gross): net €210.08 = gross €250.00 ÷ 1.19 (the usual VAT rate of 19 %)",
    ]
    run_import(db, load_table(GROSS_ONLY, "revenue"), "revenue", OPTIONS)
    assert totals(db) == {
        "Weber IT": Decimal("100.00"),
        "Buchladen Lange": Decimal("100.00"),
        "Neu GmbH": Decimal("210.08"),
    }
    assert {row.gross for row in list_entries(db)} == {
        Decimal("119.00"),
        Decimal("107.00"),
        Decimal("250.00"),
    }


def test_a_gross_only_list_follows_the_vat_settings(db: Database) -> None:
    save_settings(db, default_vat_rate=Fraction(7, 100))
    plan = plan_import(db, load_table(GROSS_ONLY, "revenue"), "revenue", OPTIONS)
    assert [net for _number, net, _rate in net_and_rates(plan)] == [11121, 10000, 23364]
    create_client(db, {"name": "Weber IT", "vat_rate_bp": 1900})
    save_settings(db, vat_scheme="small_business")  # no VAT, whatever a client's rate
    plan = plan_import(db, load_table(GROSS_ONLY, "revenue"), "revenue", OPTIONS)
    assert net_and_rates(plan) == [
        ("R-1", 11900, Decimal(0)),
        ("R-2", 10700, Decimal(0)),
        ("R-3", 25000, Decimal(0)),
    ]
    assert "no VAT as a small business (§19 UStG)" in plan.decisions[0].message()


def test_a_gross_only_dry_run_without_a_database_takes_the_default_rate() -> None:
    plan = plan_import(None, load_table(GROSS_ONLY, "revenue"), "revenue", OPTIONS)
    assert [rate for _number, _net, rate in net_and_rates(plan)] == [Decimal(19)] * 3


def test_gross_with_empty_vat_cells_in_a_file_with_vat_columns_is_a_row_error(
    db: Database,
) -> None:
    data = b"Kunde;Datum;Brutto;MwSt-Satz\nA;01.01.2025;119,00;19\nB;01.01.2025;119,00;\n"
    with pytest.raises(ImportRefused) as refused:
        import_bytes(db, data)
    (problem,) = refused.value.plan.errors
    assert (problem.line, problem.column) == (3, "Brutto")
    assert "the VAT cells are empty" in problem.reason


def test_the_collector_paused_while_importing_runs_again_after_a_refusal(db: Database) -> None:
    assert gc.isenabled()
    with pytest.raises(ImportRefused):
        import_bytes(db, b"Kunde;Datum;Netto\nA;31.02.2025;1\n")
    assert gc.isenabled()


def test_ambiguous_dates_are_decided_by_the_other_rows_or_asked(db: Database) -> None:
    decided = b"Client,Date,Net\nA,01/02/2025,1\nA,25/02/2025,1\n"
    plan = plan_import(db, load_table(decided, "revenue"), "revenue", OPTIONS)
    assert [e.invoice_date for e in plan.entries] == [dt.date(2025, 2, 1), dt.date(2025, 2, 25)]

    undecided = b"Client,Date,Net\nA,01/02/2025,1\nA,03/04/2025,1\n"
    table = load_table(undecided, "revenue")
    with pytest.raises(DateOrderNeeded, match="01/02/2025") as needed:
        plan_import(db, table, "revenue", OPTIONS)
    assert needed.value.columns == ("Date",)
    chosen = plan_import(db, table, "revenue", PlanOptions(TODAY, DateOrder.MDY))
    assert [e.invoice_date for e in chosen.entries] == [dt.date(2025, 1, 2), dt.date(2025, 3, 4)]


def test_mapping_override_and_ignore(db: Database) -> None:
    data = b"Kd.-Name;Tag;Summe;Betrag\nA;01.01.2025;5,00;7,00\n"
    with pytest.raises(ImportFileError, match="no column for Client"):
        plan_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    table = load_table(
        data,
        "revenue",
        {"Kd.-Name": "client", "Tag": "invoice_date", "Summe": "net", "Betrag": "ignore"},
    )
    assert table.mapping.columns == {"client": 0, "invoice_date": 1, "net": 2}
    assert table.mapping.unrecognised == ()
    with pytest.raises(InputError, match="'kunde' is not a field here"):
        load_table(data, "revenue", {"Kd.-Name": "kunde"})


def test_the_mapping_of_a_file_shape_is_remembered(db: Database) -> None:
    data = b"Kd.-Name;Tag;Summe\nA;01.01.2025;5,00\n"
    overrides = {"Kd.-Name": "client", "Tag": "invoice_date", "Summe": "net"}
    run_import(db, load_table(data, "revenue", overrides), "revenue", OPTIONS)
    later = b"Kd.-Name;Tag;Summe\nB;02.01.2025;6,00\n"
    table = load_table(later, "revenue", remembered=remembered_mappings(db, "revenue"))
    assert table.mapping.columns == {"client": 0, "invoice_date": 1, "net": 2}
    run_import(db, table, "revenue", OPTIONS)
    assert totals(db) == {"A": Decimal("5.00"), "B": Decimal("6.00")}


def test_cancel_leaves_nothing_written_and_progress_is_reported(db: Database) -> None:
    lines = "".join(f"Kunde {i % 50};R-{i};01.01.2025;{i},00\n" for i in range(10_000))
    table = load_table(("Kunde;Nr.;Datum;Netto\n" + lines).encode(), "revenue")
    seen: list[tuple[int, int]] = []
    with pytest.raises(ImportCancelled):
        run_import(
            db,
            table,
            "revenue",
            OPTIONS,
            progress=lambda d, t: seen.append((d, t)),
            cancelled=lambda: len(seen) >= 7,
        )  # during the write phase
    assert seen[-1][0] > 10_000  # the planning half was done, writing had started
    assert count(db, RevenueEntry) == 0 and count(db, Client) == 0

    progress: list[tuple[int, int]] = []
    run_import(db, table, "revenue", OPTIONS, progress=lambda d, t: progress.append((d, t)))
    assert progress[-1] == (20_000, 20_000)
    assert [d for d, _t in progress] == sorted(d for d, _t in progress)
    assert count(db, RevenueEntry) == 10_000 and count(db, Client) == 50


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"  \r\n\r\n", "The file is empty"),
        (b"\x00\x01\x02\x03binary\x00" * 100, "binary file"),
        (b"PK\x03\x04" + b"\x00" * 100, "save the sheet as CSV"),
        (b"%PDF-1.7\n%\xe2\xe3", "PDF"),
        (b"Kunde;Datum;Netto\n", "Line 1 is the header row, but no data rows follow"),
        (b"Hallo Welt\nDas ist keine Tabelle\n", "No header row found"),
    ],
    ids=["empty", "blank", "binary", "workbook", "pdf", "header-only", "no-header"],
)
def test_files_that_are_no_table_get_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        load_table(data, "revenue")


def test_a_missing_file_is_named_in_the_users_language(tmp_path: Path) -> None:
    set_language("de")
    with pytest.raises(ImportFileError) as caught:
        load_table(tmp_path / "fehlt.csv", "revenue")
    assert str(caught.value) == f"Die Datei {tmp_path / 'fehlt.csv'} gibt es nicht."


def test_a_giant_line_is_refused_with_its_line_number() -> None:
    data = b"Kunde;Datum;Netto\nA;01.01.2025;1\n" + b"x" * (10 * 1024 * 1024) + b"\n"
    with pytest.raises(ImportFileError, match=r"Line 3 is 10.0 MB long"):
        load_table(data, "revenue")


def test_utf16_tab_separated_unicode_text(db: Database) -> None:
    text = "Kunde\tDatum\tNetto\r\nÄrzte Ost\t01.01.2025\t1.000,00\r\n"
    import_bytes(db, b"\xff\xfe" + text.encode("utf-16-le"))
    assert totals(db) == {"Ärzte Ost": Decimal("1000.00")}


def test_a_backup_is_taken_before_importing_into_a_database_with_clients(db: Database) -> None:
    import_file(db, "revenue_gross_vat.csv")
    assert list(db.path.parent.rglob("*before-import*")) == []  # an empty database needs none
    import_file(db, "revenue_gross_vat.csv")
    assert list(db.path.parent.rglob("*before-import*")) == []  # nothing to write, no backup
    import_file(db, "revenue_credit_notes.csv")
    [backup] = db.path.parent.rglob("*before-import*")
    with open_database(backup, writable=False) as copy:
        assert set(totals(copy)) == {"Huber Design", "Kunstverein Nord e.V."}


def test_a_header_naming_no_known_column_can_be_guessed_for_mapping_by_hand() -> None:
    data = b"Export 2025\nKd.-Name;Tag;Summe\nA;01.01.2025;5,00\nB;02.01.2025;6,00\n"
    with pytest.raises(ImportFileError, match="No header row found"):
        load_table(data, "revenue")
    table = load_table(data, "revenue", guess_header=True)
    assert (table.delimiter, table.header_line, table.mapping.columns) == (";", 2, {})
    assert table.mapping.unrecognised == ("Kd.-Name", "Tag", "Summe")
    assert [row.line for row in table.rows] == [3, 4]


def test_the_date_order_check_reuses_the_dates_read_with_the_file() -> None:
    """The wizard checks the day/month order on the GUI thread each time the mapping changes:
    the distinct dates come with the table from the read, and stay with it when it is
    mapped again (on 100,000 rows working them out took 65 ms each time)."""
    data = b"Client,Date,Net,Note\nA,01/02/2025,1,x\nB,25/02/2025,2,y\nA,01/02/2025,3,z\n"
    table = load_table(data, "revenue")
    date_column = table.mapping.header.index("Date")
    dates = table.distinct(date_column)
    assert dates == {"01/02/2025", "25/02/2025"}
    remapped = remap(table, "revenue", {"Note": "ignore"})
    assert remapped.mapping != table.mapping
    assert remapped.distinct(date_column) is dates
    check_date_order(remapped, "revenue", OPTIONS)  # decided by 25/02: no question


def test_a_list_without_payment_days_says_its_invoices_count_as_unpaid() -> None:
    """Without that column a history of paid invoices would all turn overdue unannounced."""
    plan = plan_import(None, load_table(GROSS_ONLY, "revenue"), "revenue", OPTIONS)
    [notice] = [text for text in plan.notices if "day of payment" in text]
    assert notice.startswith("The file has no column with the day of payment: its invoices")
    paid = b"Kunde;Datum;Netto;Bezahlt am\nA;01.01.2025;100,00;15.01.2025\n"
    plan = plan_import(None, load_table(paid, "revenue"), "revenue", OPTIONS)
    assert not [text for text in plan.notices if "day of payment" in text]
