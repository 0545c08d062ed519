"""Opening the database file safely: checks, lock, pragmas, migrations, backups.

Rules this module keeps:
- a file that is not an SQLite database (or not ours, or damaged) is refused and never touched;
- one writer per file: a lock beside the database makes a second instance fail with a message
  instead of silently losing updates;
- the schema is brought up to date with Alembic at start, after a backup; a database made by a
  newer version of the app is refused.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlmodel import Session

from freelancer_desk.errors import (
    DatabaseError,
    DatabaseLockedError,
    DatabaseTooNewError,
    NotADatabaseError,
)
from freelancer_desk.i18n import _
from freelancer_desk.paths import backup_dir_for, package_dir

#: The newest schema revision this version of the app knows (checked against Alembic in tests).
SCHEMA_HEAD = "0001"
#: Every revision this app can upgrade from, oldest first.
KNOWN_REVISIONS = ("0001",)

SQLITE_MAGIC = b"SQLite format 3\x00"


def check_is_sqlite_file(path: Path) -> None:
    """Refuse a file that exists, is not empty, and is not an SQLite database."""
    if not path.exists():
        return
    if path.is_dir():
        raise NotADatabaseError(_("{path} is a folder, not a database file.").format(path=path))
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise DatabaseError(
            _("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror)
        ) from exc
    if header and header != SQLITE_MAGIC:
        raise NotADatabaseError(
            _("{path} is not a Freelancer Desk database (it is not an SQLite file). "
              "The file was left unchanged.").format(path=path)
        )


def read_schema_revision(path: Path) -> str | None:
    """The Alembic revision stored in the file, read without writing anything.

    Returns None for a new or empty database. Raises NotADatabaseError for a damaged file or an
    SQLite file of some other program.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    uri = f"file:{path.resolve().as_posix()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise NotADatabaseError(
                    _("{path} is an SQLite database of another program, not of Freelancer Desk. "
                      "The file was left unchanged.").format(path=path)
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotADatabaseError(
            _("{path} is damaged or not a database ({reason}). The file was left unchanged.").format(
                path=path, reason=exc
            )
        ) from exc


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_connect_writer(dbapi_connection: sqlite3.Connection, record: object) -> None:
    _on_connect(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@dataclass
class Database:
    """An open database: the engine, the lock held for it, and where it lives."""

    path: Path
    engine: Engine
    writable: bool
    _lock: object | None = field(default=None, repr=False)
    #: Backup taken before a schema upgrade in this opening, if any.
    upgrade_backup: Path | None = None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            with session.begin():
                yield session

    def close(self) -> None:
        """Release the engine and the lock."""
        self.engine.dispose()
        if self._lock is not None:
            self._lock.release()  # type: ignore[attr-defined]
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_path_for(path: Path) -> Path:
    """The lock file beside a database."""
    return path.with_name(path.name + ".lock")


def _acquire_lock(path: Path) -> object:
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path_for(path)), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise DatabaseLockedError(
            _("{path} is already open in another Freelancer Desk window or program. "
              "Close it there first.").format(path=path)
        ) from exc
    return lock


def open_database(path: Path | str, *, writable: bool = True) -> Database:
    """Open (and for a writer, create or upgrade) the database at ``path``.

    Read-only opens take no lock and never change the file; they need an up-to-date schema.
    """
    path = Path(path).expanduser().resolve()
    check_is_sqlite_file(path)
    if not writable and not path.exists():
        raise DatabaseError(_("There is no database at {path}.").format(path=path))
    lock = _acquire_lock(path) if writable else None
    try:
        revision = read_schema_revision(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseTooNewError(
                _("{path} was made by a newer version of Freelancer Desk. "
                  "Please update the app to open it; the file was left unchanged.").format(path=path)
            )
        if writable:
            path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                f"sqlite:///{path.as_posix()}", connect_args={"check_same_thread": False}
            )
            event.listen(engine, "connect", _on_connect_writer)
        else:
            if revision != SCHEMA_HEAD:
                raise DatabaseError(
                    _("{path} needs an upgrade; open it once in the app.").format(path=path)
                )
            engine = create_engine(
                f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true",
                connect_args={"check_same_thread": False},
            )
            event.listen(engine, "connect", _on_connect)
        database = Database(path=path, engine=engine, writable=writable, _lock=lock)
        if writable and revision != SCHEMA_HEAD:
            database.upgrade_backup = _migrate(database, revision)
        if writable and os.name == "posix":
            path.chmod(0o600)
        return database
    except BaseException:
        if lock is not None:
            lock.release()  # type: ignore[attr-defined]
        raise


def _migrate(database: Database, revision: str | None) -> Path | None:
    """Bring the schema to the head revision; back up first if the file held data."""
    backup = None
    if revision is not None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = backup_dir_for(database.path) / f"{database.path.stem}-before-upgrade-{revision}-{stamp}.sqlite3"
        backup = backup_database(database.path, target)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    from freelancer_desk.catalog import ensure_reason_catalogue

    with database.session() as session:
        ensure_reason_catalogue(session)
    return backup


def backup_database(source: Path, target: Path) -> Path:
    """Copy a database with SQLite's online backup API (safe while it is in use)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    if os.name == "posix":
        partial.chmod(0o600)
    partial.replace(target)
    return target
