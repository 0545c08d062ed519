"""Integrity at open: SQLite's checks, the clean-close fast path, refusing damaged files,
and write errors (full disk) turned into messages with nothing lost."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event

from freelancer_desk import integrity
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import DatabaseDamagedError, DiskFullError
from freelancer_desk.integrity import check_file, verify_at_open
from freelancer_desk.models import Client
from freelancer_desk.services import clients as clients_service
from tests.core.safety_helpers import add_client, client_names, damage


def test_a_sound_database_passes_both_checks(db_path: Path) -> None:
    report = check_file(db_path, thorough=True)
    assert report.ok and not report.details()
    assert report.summary() == f"{db_path} is sound."


def test_damage_is_found_and_the_file_is_never_written(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    damage(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamagedError, match="is damaged") as caught:
        open_database(db_path)
    report = caught.value.report
    assert isinstance(report, integrity.IntegrityReport) and report.problems
    assert "Nothing was written" in str(caught.value)
    assert db_path.read_bytes() == before
    with pytest.raises(DatabaseDamagedError):
        open_database(db_path)  # the lock was released: a second try is refused the same way


def test_the_user_may_decide_to_open_a_damaged_file_anyway(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute(
        "INSERT INTO revenue_entry (client_id, invoice_date, net_cents) "
        "VALUES (999, '2025-01-01', 100)"
    )
    conn.commit()
    conn.close()
    report = check_file(db_path)
    assert report.broken_references == ("revenue_entry row 1 → client",)
    assert report.summary().endswith("damaged: 1 reference to a missing record.")
    with pytest.raises(DatabaseDamagedError):
        open_database(db_path)
    with open_database(db_path, verify=False) as db:
        assert [row.name for row in clients_service.client_rows(db)] == ["Alpha"]
    with pytest.raises(DatabaseDamagedError):  # closing it cleanly does not make it sound
        open_database(db_path)


def test_the_check_is_skipped_only_for_a_file_as_the_app_left_it(db_path: Path) -> None:
    with open_database(db_path):
        pass
    assert verify_at_open(db_path).skipped  # closed cleanly, unchanged since
    conn = sqlite3.connect(db_path)  # another program writes to it
    conn.execute("INSERT INTO client_group (name) VALUES ('Konzern')")
    conn.commit()
    conn.close()
    first = verify_at_open(db_path)
    assert not first.skipped and first.ok
    assert verify_at_open(db_path).skipped  # checked and unchanged since
    integrity.state_path_for(db_path).unlink()
    assert not verify_at_open(db_path).skipped  # no state: check again


def test_a_damaged_file_is_found_even_after_a_clean_close(db_path: Path) -> None:
    """Damage changes the file's fingerprint, so the fast path cannot hide it."""
    add_client(db_path, "Alpha")
    damage(db_path)
    with pytest.raises(DatabaseDamagedError):
        verify_at_open(db_path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_state_file_is_private(db_path: Path) -> None:
    with open_database(db_path):
        pass
    state = integrity.state_path_for(db_path)
    assert state.exists()
    assert (state.stat().st_mode & 0o777) == 0o600


def _limit_pages(db: Database, pages: int) -> None:
    """SQLite's own size limit: past it, writes fail with SQLITE_FULL exactly like a full disk."""

    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    db.engine.dispose()
    event.listen(db.engine, "connect", on_connect)


def test_a_full_disk_rolls_back_the_write_and_says_so(db: Database) -> None:
    clients_service.create_client(db, {"name": "Saved before"})
    with db.engine.connect() as conn:
        used = conn.exec_driver_sql("PRAGMA page_count").scalar()
    _limit_pages(db, used + 2)
    with (
        pytest.raises(DiskFullError, match=r"is full.*everything saved before is intact"),
        db.session() as session,
    ):
        for number in range(2000):
            session.add(Client(name=f"Client {number} " + "x" * 180))
    db.close()
    assert check_file(db.path, thorough=True).ok
    assert client_names(db.path) == ["Saved before"]
