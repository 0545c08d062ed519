"""The database file: creation, lock, refusal of foreign or damaged files, schema versions."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from freelancer_desk.db import KNOWN_REVISIONS, SCHEMA_HEAD, open_database
from freelancer_desk.errors import (
    DatabaseLockedError,
    DatabaseTooNewError,
    NotADatabaseError,
)
from freelancer_desk.paths import package_dir
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import revenue as revenue_service


def test_schema_head_matches_the_migrations() -> None:
    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    script = ScriptDirectory.from_config(config)
    assert script.get_current_head() == SCHEMA_HEAD
    revisions = [rev.revision for rev in script.walk_revisions()]
    assert sorted(revisions) == sorted(KNOWN_REVISIONS)


def test_new_database_has_wal_foreign_keys_and_catalogue(tmp_path: Path) -> None:
    with open_database(tmp_path / "new.sqlite3") as db, db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM loss_reason").scalar() == 16


def test_a_second_file_runs_the_sql_compiled_for_the_first(
    tmp_path: Path, _template_db: Path
) -> None:
    """Queries, inserts and updates compiled for one database file serve the next file opened
    (``freelancer_desk.sql_dialect``): SQLAlchemy reports a hit in its cache for each."""
    from sqlalchemy import event
    from sqlalchemy.engine.interfaces import CacheStats

    def work_in(name: str) -> list[tuple[CacheStats, str]]:
        """Write and read a client in a new file; each compiled statement and its cache stats."""
        path = tmp_path / name
        shutil.copyfile(_template_db, path)
        ran: list[tuple[CacheStats, str]] = []

        def note(*args: Any) -> None:
            context = args[4]  # conn, cursor, statement, parameters, context, executemany
            if context is not None and context.compiled is not None:
                ran.append((context.cache_hit, context.compiled.string))

        with open_database(path) as db:
            event.listen(db.engine, "after_cursor_execute", note)
            client = clients_service.create_client(db, {"name": "Kunde A"})
            revenue_service.create_entry(
                db, {"client_id": client.id, "invoice_date": dt.date(2026, 2, 1), "net": "10.00"}
            )
            clients_service.update_client(db, client.id, {"email": "a@example.org"})
            assert clients_service.client_names(db) == [(client.id, "Kunde A")]
        return ran

    work_in("first.sqlite3")
    second = work_in("second.sqlite3")
    assert len(second) >= 4
    assert [sql for stats, sql in second if stats is not CacheStats.CACHE_HIT] == []


def test_second_writer_is_refused_with_a_message(db_path: Path) -> None:
    first = open_database(db_path)
    try:
        with pytest.raises(DatabaseLockedError, match="already open"):
            open_database(db_path)
        # Readers (status) are still welcome.
        open_database(db_path, writable=False).close()
    finally:
        first.close()
    open_database(db_path).close()  # free again once the first one closed


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"name;amount\nA;1\n", b"SQLite format 3\x00" + os.urandom(4000)],
    ids=["random-bytes", "csv-text", "damaged-sqlite"],
)
def test_foreign_or_damaged_file_is_refused_and_unchanged(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "not-a-db.sqlite3"
    path.write_bytes(content)
    with pytest.raises(NotADatabaseError, match="unchanged"):
        open_database(path)
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == [path.name]


def test_database_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
    before = path.read_bytes()
    with pytest.raises(NotADatabaseError, match="another program"):
        open_database(path)
    assert path.read_bytes() == before


def test_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    before = db_path.read_bytes()
    with pytest.raises(DatabaseTooNewError, match="newer version"):
        open_database(db_path)
    assert db_path.read_bytes() == before


def test_tables_with_data_but_no_schema_version_are_refused_and_left_alone(db_path: Path) -> None:
    """Not half-made (it holds a client), not upgradable (no version): only a backup can help."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM alembic_version")
        conn.execute(
            "INSERT INTO client (name, kind, archived, created_on, erased) "
            "VALUES ('Alpha', 'business', 0, '2025-01-01', 0)"
        )
    before = db_path.read_bytes()
    with pytest.raises(NotADatabaseError, match="no schema version"):
        open_database(db_path)
    assert db_path.read_bytes() == before


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_database_is_private_to_the_user(db_path: Path) -> None:
    open_database(db_path).close()
    assert (db_path.stat().st_mode & 0o777) == 0o600
