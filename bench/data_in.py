"""Bringing revenue in from e-invoices and bank statements, each beside a floor.

    python -m bench.data_in [--runs 5]

Figures (median of several runs after a warm-up, each on a fresh copy of an empty database):
``import einvoices`` of a folder of 1,000 generated XRechnung files (UBL and CII alternating),
beside lxml parsing the same files; ``import bank --revenue`` of a 20,000-row German bank CSV
export, beside the stdlib csv reader with ``executemany`` into a bare table. Each is measured
as a command (a fresh process) and in this process (read, plan and write through the
services: what the import itself costs, comparable with its floor); the start of the command
line is measured on its own, since every command pays it before reading a byte. The load
average of the machine is printed with the figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from bench.__main__ import Figure, isolate, median_of, print_table, run_main, timed

if TYPE_CHECKING:
    from freelancer_desk.db import Database

ROOT = Path(__file__).resolve().parent.parent


def make_einvoices(folder: Path, count: int) -> None:
    """``count`` e-invoices of 40 clients, UBL and CII alternating."""
    sys.path.insert(0, str(ROOT))
    from tests.einvoice_samples import Buyer, Sample, cii, ubl

    rng = random.Random(5)
    folder.mkdir(parents=True)
    for number in range(count):
        sample = Sample(
            number=f"RE-{number:05d}",
            issued=dt.date(2025, 1, 1) + dt.timedelta(days=number % 360),
            due=None,
            net=Decimal(rng.randrange(5_000, 500_000)) / 100,
            buyer=Buyer(name=f"Kunde {number % 40:02d} GmbH"),
        )
        data = ubl(sample) if number % 2 else cii(sample)
        (folder / f"RE-{number:05d}.xml").write_bytes(data)


def make_statement(path: Path, rows: int) -> None:
    """A bank export as German banks write it: info lines, Windows-1252, decimal commas."""
    rng = random.Random(9)
    with path.open("w", encoding="cp1252", newline="") as handle:
        handle.write('"Kontonummer:";"DE12 1203 0000 1234 5678 90";\r\n"";\r\n')
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(
            [
                "Buchungstag",
                "Wertstellung",
                "Auftraggeber / Begünstigter",
                "Verwendungszweck",
                "Betrag (EUR)",
            ]
        )
        for number in range(rows):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=number % 700)
            cents = rng.randrange(-90_000, 400_000)
            amount = f"{cents // 100:,}".replace(",", ".") + f",{abs(cents) % 100:02d}"
            writer.writerow(
                [
                    f"{day:%d.%m.%Y}",
                    f"{day:%d.%m.%Y}",
                    f"Kunde {number % 300:03d} GmbH",
                    f"Rechnung R-{number:06d}",
                    amount,
                ]
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.data_in", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=5, help="measurements per figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desk-bench-data-in-") as tmp:
        folder = Path(tmp)
        isolate(folder / "home")
        invoices, statement = folder / "einvoices", folder / "statement.csv"
        make_einvoices(invoices, 1000)
        make_statement(statement, 20_000)
        empty = folder / "empty.sqlite3"
        run_main("import", "einvoices", str(invoices / "RE-00000.xml"), "--db", str(empty))

        def fresh() -> Path:
            target = folder / "target.sqlite3"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(empty, target)
            return target

        def einvoices() -> float:
            target = fresh()
            return timed(
                lambda: run_main("import", "einvoices", str(invoices), "--db", str(target))
            )

        def parse_floor() -> float:
            from lxml import etree

            return timed(lambda: [etree.parse(str(p)) for p in sorted(invoices.glob("*.xml"))])

        def bank() -> float:
            target = fresh()
            return timed(
                lambda: run_main("import", "bank", str(statement), "--revenue", "--db", str(target))
            )

        # Imported only now: the user folders point into the temporary home.
        from freelancer_desk.db import open_database
        from freelancer_desk.importers.einvoice import find_files
        from freelancer_desk.services import bank as bank_service
        from freelancer_desk.services import einvoices as einvoice_service

        def in_process(work: Callable[[Database], object]) -> Callable[[], float]:
            def measure() -> float:
                with open_database(fresh()) as db:
                    return timed(lambda: work(db))

            return measure

        def einvoices_here(db: Database) -> None:
            files = einvoice_service.read_einvoices(find_files([invoices]))
            einvoice_service.run_einvoice_import(db, files, as_of=dt.date(2026, 1, 15))

        def bank_here(db: Database) -> None:
            payments = bank_service.read_bank_statement(statement)
            bank_service.run_payment_revenue_import(db, payments, as_of=dt.date(2026, 1, 15))

        def start() -> float:
            return timed(lambda: run_main("import", "bank", "--help"))

        def csv_floor() -> float:
            target = folder / "floor.sqlite3"
            target.unlink(missing_ok=True)

            def work() -> None:
                with sqlite3.connect(target) as conn:
                    conn.execute("CREATE TABLE t (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT)")
                    with statement.open(encoding="cp1252", newline="") as handle:
                        reader = csv.reader(handle, delimiter=";")
                        for _ in range(3):
                            next(reader)
                        conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", reader)

            return timed(work)

        load_before = os.getloadavg()
        parse, csv_rows = median_of(args.runs, parse_floor), median_of(args.runs, csv_floor)
        figures = [
            Figure(
                "import of 1,000 e-invoices (process)",
                median_of(args.runs, einvoices),
                parse,
                None,
                note="floor: lxml parses the same 1,000 files, in this process",
            ),
            Figure(
                "  the same, in this process",
                median_of(args.runs, in_process(einvoices_here)),
                parse,
                None,
                note="read, plan and write through the services",
            ),
            Figure(
                "import of a 20,000-row bank statement (process)",
                median_of(args.runs, bank),
                csv_rows,
                None,
                note="floor: csv reader + executemany into a bare table, in this process",
            ),
            Figure(
                "  the same, in this process",
                median_of(args.runs, in_process(bank_here)),
                csv_rows,
                None,
                note="read, plan and write through the services",
            ),
            Figure(
                "start of the command line (process)",
                median_of(args.runs, start),
                None,
                None,
                note="`import bank --help`: paid by every command before it reads a file",
            ),
        ]
    print_table(figures)
    load_after = os.getloadavg()
    print(f"load average: {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
