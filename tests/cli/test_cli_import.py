"""``import`` and ``export`` as a user runs them: summary, exit codes, no change on error."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from freelancer_desk.db import open_database
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.services.importing import load_table, run_import
from tests.cli.program import hang_fails
from tests.cli.program import run_in_process as run

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "import"


def status(db: Path, as_of: str = "2025-12-31") -> dict:
    result = run("status", "--db", db, "--as-of", as_of, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def net_by_client(db: Path) -> dict[str, float]:
    return {row["name"]: row["net"] for row in status(db)["clients"]}


def test_import_prints_one_summary_line_and_a_second_run_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    first = run("import", "revenue", FIXTURES / "revenue_semicolon_bom.csv", "--db", db)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "rows read: 5 · added: 5 · skipped as already present: 0 · new clients: 3"
    ]
    assert net_by_client(db) == {
        "Schröder & Söhne KG": 14500.10,
        "Müller GmbH": 2000.00,
        "Özdemir Übersetzungen": 99.90,
    }
    second = run("import", "revenue", FIXTURES / "revenue_semicolon_bom.csv", "--db", db)
    assert second.returncode == 0, second.stderr
    assert (
        second.stdout.strip()
        == "rows read: 5 · added: 0 · skipped as already present: 5 · new clients: 0"
    )


def test_unrecognised_columns_are_listed_and_ignored(tmp_path: Path) -> None:
    result = run(
        "import", "revenue", FIXTURES / "revenue_info_totals.csv", "--db", tmp_path / "d.sqlite3"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("unrecognised columns (ignored): Project Code")


def test_the_dry_run_lists_the_totals_row_it_skips(tmp_path: Path) -> None:
    result = run(
        "import",
        "revenue",
        FIXTURES / "revenue_info_totals.csv",
        "--db",
        tmp_path / "d.sqlite3",
        "--dry-run",
    )
    assert result.returncode == 0, result.stderr
    assert (
        "Line 9 (skipped as a totals row): a totals or footer line, not an invoice"
        in result.stdout.splitlines()
    )


def test_dry_run_writes_nothing_not_even_a_new_database(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    result = run("import", "revenue", FIXTURES / "revenue_windows1252.csv", "--db", db, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "File: Windows-1252, delimiter ';', header on line 1" in result.stdout
    assert "New client: Bäckerei Groß" in result.stdout
    assert (
        result.stdout.strip()
        .splitlines()[-1]
        .startswith("Dry run, nothing written: rows read: 3 · to add: 3")
    )
    assert not db.exists()


def test_clients_import_and_map_option(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    result = run(
        "import", "clients", FIXTURES / "clients_de.csv", "--db", db, "--map", "Kundennummer=ignore"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        "rows read: 4 · added: 4 · skipped as already present: 0 · new groups: 1"
    )
    assert 'Line 3: Email consent given as "yes" without a date' in result.stdout
    source = tmp_path / "own.csv"
    source.write_text("Kd.-Name;Tag;Summe\nMüller GmbH;01.03.2025;10,00\n", encoding="utf-8")
    mapped = run(
        "import",
        "revenue",
        source,
        "--db",
        db,
        "--map",
        "Kd.-Name=client",
        "--map",
        "Tag=invoice_date",
        "--map",
        "Summe=net",
    )
    assert mapped.returncode == 0, mapped.stderr
    assert net_by_client(db) == {"Müller GmbH": 10.0}
    remembered = run("import", "revenue", source, "--db", db)  # same shape: mapping remembered
    assert remembered.returncode == 0, remembered.stderr
    assert "skipped as already present: 1" in remembered.stdout


GOOD = "Kunde;Rechnungsnummer;Rechnungsdatum;Netto\nA;1;01.01.2025;100,00\n"
MALFORMED: dict[str, tuple[bytes, list[str]]] = {
    "missing-column": (
        b"Kunde;Rechnungsnummer;Netto\nA;1;100,00\n",
        ["Line 1 (header row)", "no column for Invoice date"],
    ),
    "bad-date": (
        (GOOD + "B;2;31.02.2025;5,00\n").encode(),
        ['Line 3, column "Rechnungsdatum": "31.02.2025" is not a valid date', "1 row has errors"],
    ),
    "bad-number": (
        (GOOD + "B;2;01.02.2025;fünf\n").encode(),
        ['Line 3, column "Netto": "fünf" is not an amount', "1 row has errors"],
    ),
    "empty": (b"", ["The file is empty."]),
    "binary": (bytes(range(256)) * 64, ["binary file"]),
    "giant-line": (
        GOOD.encode() + b"B;" + b"9" * (10 * 1024 * 1024) + b"\n",
        ["Line 3 is 10.0 MB long"],
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_input_fails_clearly_and_leaves_the_database_unchanged(
    db_path: Path, tmp_path: Path, case: str
) -> None:
    with open_database(db_path) as db:
        table = load_table(FIXTURES / "revenue_credit_notes.csv", "revenue")
        run_import(db, table, "revenue", PlanOptions(dt.date(2026, 1, 1)))
    before = db_path.read_bytes()
    backups = sorted(tmp_path.rglob("*before-import*"))
    data, messages = MALFORMED[case]
    source = tmp_path / f"{case}.csv"
    source.write_bytes(data)
    result = run("import", "revenue", source, "--db", db_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert db_path.read_bytes() == before
    assert sorted(tmp_path.rglob("*before-import*")) == backups  # no backup for a refused import


def test_good_rows_only_imports_the_rest_and_lists_the_bad(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    source = tmp_path / "mixed.csv"
    source.write_text(GOOD + "B;2;31.02.2025;5,00\nC;3;01.03.2025;7,00\n", encoding="utf-8")
    result = run("import", "revenue", source, "--db", db, "--good-rows-only")
    assert result.returncode == 0, result.stderr
    assert 'Line 3, column "Rechnungsdatum"' in result.stderr
    assert "added: 2" in result.stdout and "rows left out (errors): 1" in result.stdout
    assert net_by_client(db) == {"A": 100.0, "C": 7.0}


def test_ambiguous_dates_ask_for_the_date_order(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    source = tmp_path / "us.csv"
    source.write_text("Client,Date,Net\nA,01/02/2025,1\nA,03/04/2025,2\n", encoding="utf-8")
    asked = run("import", "revenue", source, "--db", db)
    assert asked.returncode == 1 and "--date-order" in asked.stderr and not db.exists()
    chosen = run("import", "revenue", source, "--db", db, "--date-order", "mdy")
    assert chosen.returncode == 0, chosen.stderr
    assert status(db, "2025-01-02")["total_net"] == 1.0  # 2 January, not 1 February


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    result = run("demo", "--db", path, "--as-of", "2025-06-30", "--seed", "4")
    assert result.returncode == 0, result.stderr
    return path


REVENUE_KEYS = (
    "total_net",
    "clients",
    "payers",
    "top_payer",
    "hhi",
    "effective_clients",
    "level",
    "extra_revenue_needed",
    "top_share_by_month",
)


def test_export_reimports_with_identical_status(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "export"
    exported = run("export", "--db", demo_db, "--out", out)
    assert exported.returncode == 0, exported.stderr
    assert (out / "freelancer-desk-export.json").exists() and (out / "revenue_entry.csv").exists()
    original = status(demo_db, "2025-06-30")

    via_csv = tmp_path / "csv.sqlite3"
    for kind, name in (("clients", "client.csv"), ("revenue", "revenue_entry.csv")):
        result = run("import", kind, out / name, "--db", via_csv)
        assert result.returncode == 0, result.stderr
    again = status(via_csv, "2025-06-30")
    assert {k: again[k] for k in REVENUE_KEYS} == {k: original[k] for k in REVENUE_KEYS}

    restored = tmp_path / "restored.sqlite3"
    result = run("import", "export", out, "--db", restored)
    assert result.returncode == 0, result.stderr
    assert status(restored, "2025-06-30") == original
    twice = run("import", "export", out, "--db", restored)
    assert twice.returncode == 1 and "only be restored into an empty database" in twice.stderr


def test_export_of_one_client(demo_db: Path, tmp_path: Path) -> None:
    name = status(demo_db, "2025-06-30")["clients"][0]["name"]
    result = run("export", "--db", demo_db, "--out", tmp_path / "one", "--client", name.upper())
    assert result.returncode == 0, result.stderr
    document = json.loads((tmp_path / "one" / "client-data.json").read_text(encoding="utf-8"))
    assert [row["name"] for row in document["tables"]["client"]] == [name]
    unknown = run("export", "--db", demo_db, "--out", tmp_path / "x", "--client", "Niemand")
    assert unknown.returncode == 1 and unknown.stdout == ""
    assert len(unknown.stderr.strip().splitlines()) == 1 and "Niemand" in unknown.stderr


def test_messages_in_german(tmp_path: Path) -> None:
    source = tmp_path / "fehler.csv"
    source.write_text("Kunde;Datum;Netto\nA;31.02.2025;5\n", encoding="utf-8")
    result = run("import", "revenue", source, "--db", tmp_path / "d.sqlite3", lang="de")
    assert result.returncode == 1
    assert "Zeile 2, Spalte „Datum“: „31.02.2025“ ist kein gültiges Datum" in result.stderr
    assert "Nichts wurde importiert: 1 Zeile hat Fehler." in result.stderr


def test_an_ambiguous_gutschrift_file_is_refused_naming_its_rows_and_the_option(
    tmp_path: Path,
) -> None:
    db = tmp_path / "d.sqlite3"
    refused = run("import", "revenue", FIXTURES / "revenue_gutschrift.csv", "--db", db)
    assert refused.returncode == 1 and not db.exists()
    assert refused.stderr.splitlines() == [
        'Line 5: "Gutschrift" GS-0815, Plattform Texte24 GmbH, €761.60',
        'Line 6: "Gutschrift" GS-0816, Plattform Texte24 GmbH, €380.80',
        "freelancer-desk: Lines 5, 6 are marked Gutschrift, Korrektur or Storno but have "
        "positive amounts. A Gutschrift can be a credit note (less revenue) or a self-billing "
        "invoice your client issued (revenue): choose which they are. Use --credit-notes "
        "negative (credit notes) or --credit-notes revenue (self-billing invoices).",
    ]
    chosen = run(
        "import",
        "revenue",
        FIXTURES / "revenue_gutschrift.csv",
        "--db",
        db,
        "--credit-notes",
        "revenue",
    )
    assert chosen.returncode == 0, chosen.stderr
    assert net_by_client(db) == {"Verlag Lindner": 850.0, "Plattform Texte24 GmbH": 960.0}


def test_the_dry_run_lists_every_decision(tmp_path: Path) -> None:
    result = run(
        "import",
        "revenue",
        FIXTURES / "cgm_maxx_rechnungsliste.csv",
        "--db",
        tmp_path / "d.sqlite3",
        "--dry-run",
        lang="de",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.replace("\xa0", " ").splitlines()  # babel: 1.150,00\xa0€
    decided = [line for line in lines if line.startswith("Zeile")]
    assert decided == [
        "Zeile 8 (netto aus brutto): netto 1.150,00 € = brutto 1.347,00 € − 190,00 € USt zu "
        "19 %, 7,00 € USt zu 7 %",
        "Zeile 9 (netto aus brutto): netto 1.000,00 € = brutto 1.190,00 € − 190,00 € USt zu 19 %",
        "Zeile 10 (als storniert übersprungen): Rechnung 2025-0103 von Müller GmbH: storniert "
        "am 20.03.2025",
        "Zeile 11 (netto aus brutto): netto 450,00 € = brutto, ohne USt",
    ]
    assert "Erkannt als: CGM MAXX (practice software) invoice list" in result.stdout
    assert not (tmp_path / "d.sqlite3").exists()


def test_a_gross_only_list_is_imported_at_the_usual_rate_the_dry_run_says_so(
    tmp_path: Path,
) -> None:
    source = tmp_path / "brutto.csv"
    source.write_bytes(
        "Kunde;Rechnungsnummer;Datum;Brutto\nWeber IT;R-1;01.03.2025;1.190,00\n".encode("cp1252")
    )
    db = tmp_path / "d.sqlite3"
    dry = run("import", "revenue", source, "--db", db, "--dry-run", lang="de")
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.replace("\xa0", " ").splitlines()
    assert [line for line in lines if line.startswith("Zeile")] == [
        "Zeile 2 (netto aus brutto): netto 1.000,00 € = brutto 1.190,00 € ÷ 1,19 (üblicher "
        "USt-Satz von 19 %)"
    ]
    done = run("import", "revenue", source, "--db", db)
    assert done.returncode == 0, done.stderr
    assert net_by_client(db) == {"Weber IT": 1000.0}


def test_datev_debtors_then_buchungsstapel(tmp_path: Path) -> None:
    db = tmp_path / "d.sqlite3"
    debtors = run("import", "clients", FIXTURES / "EXTF_Debitoren_SKR04.csv", "--db", db)
    assert debtors.returncode == 0, debtors.stderr
    for _round in range(2):
        bookings = run("import", "revenue", FIXTURES / "EXTF_Buchungsstapel_SKR04.csv", "--db", db)
        assert bookings.returncode == 0, bookings.stderr
    assert bookings.stdout.strip() == (
        "rows read: 10 · added: 0 · skipped as already present: 4 · skipped as cancelled: 1 · "
        "left out (not revenue, no client): 3 · new clients: 0"
    )
    assert net_by_client(db) == {"Jana Schröder": 2000.0, "Acme Ltd": 1500.0, "Müller GmbH": 1000.0}


def test_a_fifo_and_an_oversize_file_are_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with hang_fails(30):  # a read that blocks on the pipe fails the test, not the run
        piped = run("import", "revenue", fifo, "--db", tmp_path / "d.sqlite3")
    assert piped.returncode == 1 and "is a pipe (FIFO), not a file" in piped.stderr
    source = tmp_path / "big.csv"
    source.write_text(GOOD * 40_000, encoding="utf-8")
    big = run("import", "revenue", source, "--db", tmp_path / "d.sqlite3", "--max-size", "1")
    assert big.returncode == 1
    assert (
        big.stderr.strip()
        == "freelancer-desk: big.csv is too big to import (2.5 MB; at most 1 MB)."
    )


def test_terminal_escapes_from_a_file_are_never_printed_raw(tmp_path: Path) -> None:
    source = tmp_path / "escape.csv"
    rows = "".join(f"Kunde {n};{n};01.02.2025;1,00\n" for n in range(30))
    source.write_text(
        "Kunde;Nr.;Datum;Netto;\x1b[2J\n" + "\x1b[31mEvil\x07;99;01.02.2025;1,00\n" + rows,
        encoding="utf-8",
    )
    result = run("import", "revenue", source, "--db", tmp_path / "d.sqlite3", "--dry-run")
    assert result.returncode == 1
    assert "\x1b" not in result.stdout + result.stderr
    assert 'Line 2, column "Kunde": "\\x1b[31mEvil\\x07" holds a control character' in (
        result.stderr
    )
    assert "unrecognised columns (ignored): \\x1b[2J" in result.stdout
