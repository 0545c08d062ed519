"""Bringing revenue in from e-invoices and bank statements, each beside a floor.

    python -m bench.data_in [--runs 5]

Figures (median of several runs after a warm-up, each a fresh process on an empty database):
``import einvoices`` of a folder of 1,000 generated XRechnung files (UBL and CII alternating),
beside lxml parsing the same files; ``import bank --revenue`` of a 20,000-row German bank CSV
export, beside the stdlib csv reader with ``executemany`` into a bare table.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import shutil
import sqlite3
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from bench.__main__ import Figure, isolate, median_of, print_table, run_main, timed

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

        figures = [
            Figure(
                "import of 1,000 e-invoices (process)",
                median_of(args.runs, einvoices),
                median_of(args.runs, parse_floor),
                None,
                note="floor: lxml parses the same 1,000 files, in this process",
            ),
            Figure(
                "import of a 20,000-row bank statement (process)",
                median_of(args.runs, bank),
                median_of(args.runs, csv_floor),
                None,
                note="floor: csv reader + executemany into a bare table, in this process",
            ),
        ]
    print_table(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
