"""Crash tests with real processes: kill -9 in the middle of a large write and of a backup,
a second instance, a crashed instance's lock, a read-only file and a full disk (the kernel's
file size limit). Each child says where it is on its stdout; the test kills it right there."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from freelancer_desk import backups, integrity
from freelancer_desk.db import open_database
from freelancer_desk.errors import DatabaseLockedError
from freelancer_desk.integrity import check_file
from tests.core.safety_helpers import (
    add_client,
    client_names,
    count,
    fill,
    run_each_as_plain_user,
    start_child,
    wait_for,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kill -9 is POSIX"),
]


def kill(child: object) -> None:
    """SIGKILL: no cleanup, no atexit, no SQLite rollback — like pulling the plug on the app."""
    os.kill(child.pid, signal.SIGKILL)  # type: ignore[attr-defined]
    child.communicate(timeout=60)  # type: ignore[attr-defined]


def write_revenue_csv(path: Path, rows: int, clients: int) -> None:
    """A revenue export as an invoicing tool writes it: German headers, semicolons."""
    lines = ["Kunde;Rechnungsnummer;Rechnungsdatum;Netto"]
    lines += [
        f"Kunde {n % clients} GmbH;R-{n};{1 + n % 28:02d}.{1 + n % 12:02d}.2025;{100 + n % 997},50"
        for n in range(rows)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("moment", ["inside", "commit"])
def test_killed_during_a_large_import_holds_all_or_nothing(
    tmp_path: Path, db_path: Path, moment: str
) -> None:
    """A CSV of 60,000 invoices from 300 new clients, imported in one transaction.

    ``inside``: killed with half of the rows written and spilled into the write-ahead log.
    """
    csv = tmp_path / "rechnungen.csv"
    write_revenue_csv(csv, rows=60_000, clients=300)
    child = start_child("import", str(db_path), str(csv), moment)
    wait_for(child, moment)
    kill(child)
    if moment == "inside":
        assert integrity.wal_path_for(db_path).stat().st_size > 1_000_000  # torn on the disk
    assert check_file(db_path, thorough=True).ok
    held = (count(db_path, "client"), count(db_path, "revenue_entry"))
    assert held in ((0, 0), (300, 60_000))
    if moment == "inside":
        assert held == (0, 0)  # a quarter of the rows was still to come when it died
    assert not integrity.verify_at_open(db_path).skipped  # the changed file gets the full check
    with open_database(db_path) as db:  # and the app carries on
        assert db.writable


def test_killed_during_a_backup_leaves_no_half_backup(tmp_path: Path, db_path: Path) -> None:
    """A backup of a 20 MB database is killed after its first 4 MB step."""
    fill(db_path, 20_000, note_words=150)
    before = db_path.read_bytes()
    target = (
        tmp_path
        / "backups"
        / backups.backup_name(db_path, backups.dt.datetime(2025, 1, 1), "manual")
    )
    child = start_child("backup", str(db_path), str(target))
    wait_for(child, "copying")
    kill(child)
    assert not target.exists()
    assert backups.list_backups(db_path) == []
    assert db_path.read_bytes() == before and check_file(db_path, thorough=True).ok
    assert backups.take_backup(db_path, backups.MANUAL).info.path.exists()  # the next one works


def test_a_second_instance_is_refused_and_a_killed_one_frees_the_file(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    holder = start_child("hold", str(db_path))
    wait_for(holder, "open")
    try:
        with pytest.raises(DatabaseLockedError, match="already open"):
            open_database(db_path)
        before = db_path.read_bytes()
        with pytest.raises(DatabaseLockedError):
            backups.restore(db_path, backup)
        assert db_path.read_bytes() == before
    finally:
        kill(holder)
    with open_database(db_path) as db:  # the dead process's lock went with it
        assert db.writable
    assert client_names(db_path) == ["Alpha"]


def test_restore_after_a_crash_ignores_the_stale_log(db_path: Path) -> None:
    """A change committed only into the write-ahead log must neither leak into the restored file
    nor be lost: it is in the backup of the replaced state."""
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    child = start_child("committed", str(db_path))
    wait_for(child, "committed")
    kill(child)
    assert integrity.wal_path_for(db_path).stat().st_size > 0  # the log was left behind
    result = backups.restore(db_path, backup)
    assert not integrity.wal_path_for(db_path).exists()
    assert count(db_path, "client_group") == 0 and client_names(db_path) == ["Alpha"]
    assert result.previous is not None and count(result.previous, "client_group") == 1
    assert check_file(db_path, thorough=True).ok


def test_a_full_disk_loses_nothing(db_path: Path) -> None:
    """The kernel refuses to grow any file of the child past 500 kB (RLIMIT_FSIZE): its write fails
    like on a full disk. The message says so, and the database holds what it held before."""
    add_client(db_path, "Saved before")
    child = start_child("fill", str(db_path), str(500_000))
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert out.startswith("DiskFullError: "), out
    assert "everything saved before is intact" in out
    assert check_file(db_path, thorough=True).ok
    assert client_names(db_path) == ["Saved before"]
    add_client(db_path, "Saved after")  # with space again, work goes on
    assert client_names(db_path) == ["Saved after", "Saved before"]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="users and modes are POSIX")
def test_a_read_only_file_is_refused_with_a_message(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    db_path.chmod(0o444)
    before = db_path.read_bytes()

    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    writer, restore, reader = run_each_as_plain_user(
        ("demo", "--db", db_path),
        ("restore", backup, "--db", db_path),
        ("check", "--db", db_path),
    )
    assert writer.returncode == 1
    assert "is read-only" in writer.stderr and "left unchanged" in writer.stderr
    assert writer.stderr.count("\n") == 1  # one line, no traceback
    assert restore.returncode == 1 and "is read-only" in restore.stderr
    assert reader.returncode == 0, reader.stderr  # reading still works
    assert db_path.read_bytes() == before
    assert client_names(db_path) == ["Alpha"]
