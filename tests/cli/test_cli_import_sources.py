"""``import einvoices`` and ``import bank`` as a user runs them: output, exit codes, and a
database that a refused import leaves as it was."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.cli.conftest import Cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def entries(db: Path) -> list[tuple[str, int, str | None]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "SELECT invoice_number, net_cents, paid_date FROM revenue_entry ORDER BY invoice_number"
        ).fetchall()


def test_einvoices_dry_run_import_and_again(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    dry = cli("import", "einvoices", FIXTURES / "einvoice" / "2025", "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert "Dry run, nothing written: 5 files read · to add: 5" in dry.stdout
    assert not db.exists()
    done = cli("import", "einvoices", FIXTURES / "einvoice" / "2025", db=db)
    assert done.returncode == 0, done.stderr
    assert 'Your business is taken to be "Anna Schmidt Übersetzungen"' in done.stdout
    assert "added: 5 · of them credit notes: 1" in done.stdout
    assert ("GS-2025-001", -20000, None) in entries(db)
    again = cli("import", "einvoices", FIXTURES / "einvoice" / "2025", db=db)
    assert "added: 0" in again.stdout and "skipped as already present: 5" in again.stdout


def test_einvoices_refused_files_are_named_and_nothing_is_written(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    cli("import", "einvoices", FIXTURES / "einvoice" / "2025" / "RE-2025-001.xml", db=db)
    before = db.read_bytes()
    refused = cli("import", "einvoices", FIXTURES / "einvoice" / "other", db=db, lang="de")
    assert refused.returncode == 1
    assert "purchase-bueroshop.xml: Verkäufer" in refused.stderr
    assert "Nichts wurde importiert" in refused.stderr
    assert db.read_bytes() == before
    forced = cli(
        "import",
        "einvoices",
        FIXTURES / "einvoice" / "other" / "purchase-bueroshop.xml",
        "--seller-check",
        "off",
        db=db,
    )
    assert forced.returncode == 0 and "added: 1" in forced.stdout


def test_bank_paid_dates_and_revenue(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "desk.sqlite3"
    cli("import", "einvoices", FIXTURES / "einvoice" / "2025", db=db)
    dry = cli("import", "bank", FIXTURES / "bank" / "dkb.csv", "--paid-dates", "--dry-run", db=db)
    assert "Lange Consulting €1,000.00: partly paid – RE-2025-002" in dry.stdout
    assert "invoices to mark paid: 4" in dry.stdout
    done = cli("import", "bank", FIXTURES / "bank" / "dkb.csv", "--paid-dates", db=db)
    assert done.returncode == 0, done.stderr
    assert ("RE-2025-002", 250000, "2025-04-25") in entries(db)
    other = tmp_path / "cash.sqlite3"
    revenue = cli(
        "import", "bank", FIXTURES / "bank" / "mt940.sta", "--revenue", "--vat", "7", db=other
    )
    assert revenue.returncode == 0, revenue.stderr
    assert "added: 2" in revenue.stdout and "net from gross at 7 %" in revenue.stdout
    assert sorted(cents for _n, cents, _p in entries(other)) == [33364, 156542]


def test_bank_revenue_after_einvoices_lists_each_payment_and_counts_no_invoice_twice(
    cli: Cli, tmp_path: Path
) -> None:
    db = tmp_path / "desk.sqlite3"
    cli("import", "einvoices", FIXTURES / "einvoice" / "2025", db=db)
    bank = ("import", "bank", FIXTURES / "bank" / "dkb.csv", "--revenue")
    dry = cli(*bank, "--dry-run", db=db)
    assert dry.returncode == 0, dry.stderr
    assert (
        "7 Apr 2025 Weber IT GmbH €1,190.00: skipped – pays invoice RE-2025-001 already recorded"
        in dry.stdout
    )
    assert "Stadtwerke Berlin €50.00: to add – revenue of Stadtwerke Berlin" in dry.stdout
    assert "to add: 1" in dry.stdout and "skipped as paying recorded invoices: 4" in dry.stdout
    before = entries(db)
    done = cli(*bank, db=db)
    assert done.returncode == 0, done.stderr
    assert "added: 1" in done.stdout
    assert [row for row in entries(db) if row not in before] == [(None, 4202, "2025-04-28")]


def test_import_revenue_reads_a_bank_export_as_payments(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "revenue", FIXTURES / "bank" / "dkb.csv", "--dry-run", db=tmp_path / "d")
    assert result.returncode == 0, result.stderr
    assert "This is a bank statement" in result.stdout
    assert "to add: 5" in result.stdout and "outgoing (ignored): 2" in result.stdout


def test_vat_goes_only_with_revenue(cli: Cli, tmp_path: Path) -> None:
    result = cli("import", "bank", FIXTURES / "bank" / "dkb.csv", "--paid-dates", "--vat", "7")
    assert result.returncode == 1 and "--vat" in result.stderr
