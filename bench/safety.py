"""What data safety costs on a large database: the check at open, a backup, a restore.

    python -m bench.safety [--runs 5]

Uses the ``demo`` command's large data set (2,000 clients, 100,000 revenue entries). Each
figure is the median of several runs, printed beside a floor: the bare SQLite pragma for the
checks, a plain file copy (which the app never uses on a live file) for backup and restore.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from bench.__main__ import Figure, median_of, print_table, run_main, timed

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.safety", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="measurements per figure (median; default 5)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from freelancer_desk import backups, integrity
    from freelancer_desk.connection import connect
    from freelancer_desk.db import backup_database, open_database

    with tempfile.TemporaryDirectory(prefix="desk-bench-safety-") as tmp:
        db = Path(tmp) / "big.sqlite3"
        run_main("demo", "--db", str(db), "--clients", "2000", "--entries", "100000")
        size_mb = db.stat().st_size / 1e6

        def raw_pragma(pragma: str) -> float:
            def run() -> None:
                with closing(connect(db, read_only=True)) as conn:
                    conn.execute(f"PRAGMA {pragma}").fetchall()

            return timed(run)

        quick_floor = median_of(args.runs, lambda: raw_pragma("quick_check"))
        check = median_of(args.runs, lambda: timed(lambda: integrity.check_file(db)))
        thorough_floor = median_of(args.runs, lambda: raw_pragma("integrity_check"))
        thorough = median_of(
            args.runs, lambda: timed(lambda: integrity.check_file(db, thorough=True))
        )
        open_database(db).close()  # a clean close: the next opens take the fast path
        fast = median_of(args.runs, lambda: timed(lambda: integrity.verify_at_open(db)))
        open_fast = median_of(args.runs, lambda: timed(lambda: open_database(db).close()))

        def open_after_change() -> float:
            with sqlite3.connect(db) as conn:  # another program touched the file
                conn.execute("UPDATE setting SET value = value WHERE 0")
                conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES ('bench', 'x')")
            return timed(lambda: open_database(db).close())

        open_full = median_of(args.runs, open_after_change)
        copy_target = Path(tmp) / "copy.sqlite3"
        copy_floor = median_of(args.runs, lambda: timed(lambda: shutil.copyfile(db, copy_target)))
        backup_target = Path(tmp) / "backup.sqlite3"
        backup = median_of(args.runs, lambda: timed(lambda: backup_database(db, backup_target)))
        restore = median_of(args.runs, lambda: timed(lambda: backups.restore(db, backup_target)))

    print(f"database: {size_mb:.1f} MB, 100,000 revenue entries")
    print_table(
        [
            Figure(
                "integrity check at open (quick_check + foreign keys)",
                check,
                quick_floor,
                None,
                note="floor: PRAGMA quick_check alone",
            ),
            Figure("check skipped after a clean close (fast path)", fast, None, 0.005),
            Figure("open_database, unchanged since a clean close", open_fast, None, None),
            Figure("open_database after another program wrote", open_full, None, None),
            Figure(
                "thorough check (integrity_check + foreign keys)",
                thorough,
                thorough_floor,
                None,
                note="floor: PRAGMA integrity_check alone",
            ),
            Figure(
                "online backup (fsync'ed, self-contained)",
                backup,
                copy_floor,
                None,
                note="floor: a plain file copy",
            ),
            Figure(
                "restore (check, stage, back up current, swap)",
                restore,
                copy_floor,
                None,
                note="floor: a plain file copy",
            ),
        ]
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
