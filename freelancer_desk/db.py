"""Opening the database file safely: checks, lock, pragmas, migrations, backups.

Rules this module keeps:
- a file that is not an SQLite database (or not ours, or damaged) is refused and never touched;
- one writer per file: a lock beside the database makes a second instance fail with a message
  instead of silently losing updates;
- the schema is brought up to date with Alembic at start, after a backup; a database made by a
  newer version of the app is refused;
- a writer checks the file with SQLite's own checks first (``integrity``) and refuses a damaged
  or read-only file; a full disk or a failing write rolls back and says so in words.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from freelancer_desk import integrity
from freelancer_desk.errors import (
    BackupError,
    DatabaseError,
    DatabaseLockedError,
    DatabaseReadOnlyError,
    DatabaseTooNewError,
    DiskFullError,
    NotADatabaseError,
)
from freelancer_desk.i18n import _
from freelancer_desk.memo import Memo
from freelancer_desk.paths import package_dir

#: The newest schema revision this version of the app knows (checked against Alembic in tests).
SCHEMA_HEAD = "0009"
#: Every revision this app can upgrade from, oldest first.
KNOWN_REVISIONS = ("0001", "0006", "0009")

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
            _(
                "{path} is not a Freelancer Desk database (it is not an SQLite file). "
                "The file was left unchanged."
            ).format(path=path)
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
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise NotADatabaseError(
                    _(
                        "{path} is an SQLite database of another program, not of Freelancer Desk. "
                        "The file was left unchanged."
                    ).format(path=path)
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotADatabaseError(
            _(
                "{path} is damaged or not a database ({reason}). The file was left unchanged."
            ).format(path=path, reason=exc)
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
    #: False when opened without the integrity check (a damaged file, by the user's decision):
    #: then a clean close must not let the next start skip the check.
    verified: bool = True
    #: Analytics results kept until the data changes (``freelancer_desk.memo``).
    memo: Memo = field(init=False, repr=False)
    _watcher: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _watcher_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _unwatched: Iterator[int] = field(
        default_factory=lambda: itertools.count(-1, -1), init=False, repr=False
    )

    def __post_init__(self) -> None:
        self.memo = Memo(self.data_version)

    def data_version(self) -> int:
        """A number that changes whenever anyone commits a change to the file.

        SQLite's ``PRAGMA data_version`` changes with every commit of *another* connection, so
        it is asked on a connection of its own that never writes: then every commit counts,
        from this process or any other. Without that connection (a file SQLite cannot open
        read-only) every call gives a new number, so that nothing is kept.
        """
        with self._watcher_lock:
            try:
                if self._watcher is None:
                    self._watcher = sqlite3.connect(
                        f"file:{self.path.as_posix()}?mode=ro", uri=True, check_same_thread=False
                    )
                return int(self._watcher.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return next(self._unwatched)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        A write that fails for lack of space or permission is rolled back by SQLite and turned
        into an error that says so (instead of a driver traceback).
        """
        try:
            with Session(self.engine, expire_on_commit=False) as session, session.begin():
                yield session
        except OperationalError as exc:
            mapped = write_error(self.path, exc.orig)
            if mapped is None:
                raise
            raise mapped from exc

    def close(self) -> None:
        """Release the engine and the lock; remember the clean close for the next start."""
        with self._watcher_lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
        self.memo.clear()
        self.engine.dispose()
        if self.writable and self.verified:
            integrity.record_clean_close(self.path)
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


#: SQLite's primary result codes that mean "the write could not be done" (sqlite3.h).
SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL = 8, 10, 13


def write_error(path: Path, exc: BaseException | None) -> DatabaseError | None:
    """A DeskError for a write that failed for lack of space or permission; None for others."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = None if code is None else code & 0xFF
    if primary == SQLITE_FULL:
        return DiskFullError(
            _(
                "The disk holding {path} is full. The last change was not saved; everything saved "
                "before is intact. Free some space and try again."
            ).format(path=path)
        )
    if primary == SQLITE_READONLY:
        return read_only_error(path)
    if primary == SQLITE_IOERR:
        return DatabaseError(
            _(
                "Could not write to {path} ({reason}). The last change was not saved; everything "
                "saved before is intact."
            ).format(path=path, reason=exc)
        )
    return None


def read_only_error(path: Path) -> DatabaseReadOnlyError:
    """The message for a database file or folder the app may not write."""
    return DatabaseReadOnlyError(
        _(
            "{path} is read-only (the file or its folder cannot be written), so nothing can be "
            "saved. The file was left unchanged. Allow writing or copy it to a folder of yours."
        ).format(path=path)
    )


def check_writable(path: Path) -> None:
    """Refuse a read-only file or folder before the lock or SQLite try to write there."""
    folder = path.parent if path.parent.exists() else None
    if (path.exists() and not os.access(path, os.W_OK)) or (
        folder is not None and not os.access(folder, os.W_OK)
    ):
        raise read_only_error(path)


@contextmanager
def exclusive_access(path: Path) -> Iterator[None]:
    """Hold the database's lock without opening it (restore replaces the file under it)."""
    lock = _acquire_lock(path)
    try:
        yield
    finally:
        lock.release()  # type: ignore[attr-defined]


def _acquire_lock(path: Path) -> object:
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path_for(path)), timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise DatabaseLockedError(
            _(
                "{path} is already open in another Freelancer Desk window or program. "
                "Close it there first."
            ).format(path=path)
        ) from exc
    return lock


def open_database(path: Path | str, *, writable: bool = True, verify: bool = True) -> Database:
    """Open (and for a writer, create or upgrade) the database at ``path``.

    Read-only opens take no lock and never change the file; they need an up-to-date schema.
    A writer first checks the file (``integrity.verify_at_open``) and raises
    DatabaseDamagedError on damage; ``verify=False`` is for the user's explicit decision to
    open a damaged file anyway.
    """
    path = Path(path).expanduser().resolve()
    check_is_sqlite_file(path)
    if not writable and not path.exists():
        raise DatabaseError(_("There is no database at {path}.").format(path=path))
    if writable:
        check_writable(path)
    lock = _acquire_lock(path) if writable else None
    try:
        revision = read_schema_revision(path)
        if writable and verify and revision is not None:
            integrity.verify_at_open(path)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseTooNewError(
                _(
                    "{path} was made by a newer version of Freelancer Desk. "
                    "Please update the app to open it; the file was left unchanged."
                ).format(path=path)
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
        database = Database(
            path=path, engine=engine, writable=writable, _lock=lock, verified=verify
        )
        if writable and not verify:
            integrity.update_state(path, clean=None)
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
        from freelancer_desk import backups

        backup = backups.take_backup(database.path, backups.BEFORE_UPGRADE).info.path
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


#: Pages copied per step when progress is reported (4 MiB with SQLite's 4 KiB pages).
BACKUP_STEP_PAGES = 1024


def backup_database(
    source: Path, target: Path, *, progress: Callable[[int, int], None] | None = None
) -> Path:
    """Copy a database with SQLite's online backup API (safe while it is in use).

    The copy is written beside the target as ``.partial`` (readable only by the user), switched
    to a self-contained rollback journal, flushed to disk and only then renamed into place: a
    crash leaves either no backup or a complete one. ``progress(done_pages, total_pages)`` is
    called after each step when given. Raises BackupError; the source is never written.
    """
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        src = sqlite3.connect(f"file:{source.as_posix()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(partial)
            try:
                if progress is None:
                    src.backup(dst)
                else:
                    src.backup(
                        dst,
                        pages=BACKUP_STEP_PAGES,
                        progress=lambda _status, remaining, total: progress(
                            total - remaining, total
                        ),
                    )
                dst.execute("PRAGMA journal_mode=DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        fsync_file(partial)
        partial.replace(target)
        fsync_file(target.parent)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _(
                "Could not write the backup {target} ({reason}). The database was not changed."
            ).format(target=target, reason=getattr(exc, "strerror", None) or exc)
        ) from exc
    return target


def fsync_file(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk; folders cannot be opened on Windows."""
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
