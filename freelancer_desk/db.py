"""Opening the database file safely: checks, lock, creation, pragmas, migrations, backups.

Rules this module keeps:
- SQLite is opened through ``connection.connect`` with the plain path, so that any folder name
  works (``#``, ``?``, ``%``, umlauts, quotes);
- a file that is not an SQLite database (or not ours, or damaged) is refused and never touched;
  so are folders, devices and pipes given as the database;
- one writer per file: a lock beside the database makes a second instance fail with a message
  instead of silently losing updates;
- a new database is complete or absent: it is built (schema, catalogue, version) in a temporary
  file beside the target and renamed into place; a half-made file of an older version, without
  any user data, is rebuilt;
- the schema is brought up to date with Alembic at start, after a backup, in one transaction;
  a database made by a newer version of the app is refused;
- a writer applies the erasures made since the file was written (a restored older copy),
  from the erasure register kept beside it (``erasure.reapply``);
- writers and readers check the file with SQLite's own checks first (``integrity``) and refuse a
  damaged file; a full disk, a busy or read-only file or a failing drive is said in words.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from freelancer_desk import faults, integrity, kept
from freelancer_desk.connection import (
    check_path_length,
    connect,
    journal_path_for,
    reading,
    shm_path_for,
    wal_path_for,
)
from freelancer_desk.errors import (
    BackupError,
    DatabaseError,
    DatabaseLockedError,
    DatabaseTooNewError,
    DeskError,
    NotADatabaseError,
)
from freelancer_desk.i18n import _
from freelancer_desk.memo import Memo
from freelancer_desk.paths import package_dir

if TYPE_CHECKING:
    from filelock import BaseFileLock
    from sqlalchemy import Connection, Engine
    from sqlmodel import Session

#: The newest schema revision this version of the app knows (checked against Alembic in tests).
SCHEMA_HEAD = "0013"
#: Every revision this app can upgrade from, oldest first.
KNOWN_REVISIONS = ("0001", "0004", "0006", "0007", "0008", "0009", "0011", "0012", "0013")

SQLITE_MAGIC = b"SQLite format 3\x00"
#: The longest database path, in bytes: SQLite's limit less the room the backups need (they
#: lie in ``backups/`` beside it, with the time and reason added to the name).
MAX_PATH_BYTES = 440
#: Tables a database holds without any data of the user in them.
_BOOKKEEPING_TABLES = frozenset({"loss_reason"}) | kept.NOT_DATA


def refuse_special_file(path: Path) -> None:
    """Refuse a folder, device, pipe or socket where a file is expected, before opening it.

    Opening a pipe blocks until some program writes into it, and a device such as
    ``/dev/zero`` never ends: neither may be read or written as a database or backup.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise faults.os_fault(exc, path) from exc
    if stat.S_ISDIR(mode):
        raise DatabaseError(_("{path} is a folder, not a file.").format(path=path))
    if not stat.S_ISREG(mode):
        raise DatabaseError(
            _("{path} is a device, a pipe or a socket, not a file.").format(path=path)
        )


def check_is_sqlite_file(path: Path) -> None:
    """Refuse what is not a file, and a file that is not empty and not an SQLite database."""
    refuse_special_file(path)
    if not path.exists():
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise faults.os_fault(exc, path) from exc
    if header and header != SQLITE_MAGIC:
        raise NotADatabaseError(
            _(
                "{path} is not a Freelancer Desk database (it is not an SQLite file). "
                "The file was left unchanged."
            ).format(path=path)
        )


def read_schema_revision(path: Path, conn: sqlite3.Connection | None = None) -> str | None:
    """The Alembic revision stored in the file, read without writing anything (through
    ``conn`` when the caller has a read-only connection on it open).

    Returns None for a new or empty database. Raises NotADatabaseError for a damaged file or an
    SQLite file of some other program, and the fault's DatabaseError when SQLite cannot read it.
    """
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        with reading(path, conn) as reader:
            tables = _tables(reader)
            if not tables:
                return None
            if "alembic_version" not in tables:
                raise NotADatabaseError(
                    _(
                        "{path} is an SQLite database of another program, not of Freelancer Desk. "
                        "The file was left unchanged."
                    ).format(path=path)
                )
            row = reader.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
    except sqlite3.Error as exc:
        fault = faults.sqlite_fault(path, exc)
        if fault is not None and not faults.is_damage(exc):
            raise fault from exc
        raise NotADatabaseError(
            _(
                "{path} is damaged or not a database ({reason}). The file was left unchanged."
            ).format(path=path, reason=exc)
        ) from exc


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def is_half_made(path: Path, conn: sqlite3.Connection | None = None) -> bool:
    """True for a file an interrupted creation left: rebuilding it loses nothing (read through
    ``conn`` when the caller has a read-only connection on it open).

    That is an SQLite file with nothing but (some of) this app's tables, without a version row
    or without the catalogue of loss reasons, and without a single row of the user's. Older
    versions of the app built a new database in place, table by table, so a crash or a kill in
    the first second of the first start left such a file, which no later start could open.
    """
    try:
        with reading(path, conn) as reader:
            tables = _tables(reader)
            version = (
                reader.execute("SELECT version_num FROM alembic_version").fetchone()
                if "alembic_version" in tables
                else None
            )
            catalogue = (
                "loss_reason" in tables
                and reader.execute("SELECT 1 FROM loss_reason LIMIT 1").fetchone()
            )
            if version is not None and (version[0] not in KNOWN_REVISIONS or catalogue):
                return False  # decided without loading the models: the everyday case
            if not tables <= _our_tables():
                return False
            return not any(
                reader.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone()
                for table in tables - _BOOKKEEPING_TABLES
            )
    except sqlite3.Error:
        return False  # damaged: the checks at open say so, and nothing is rebuilt


def _our_tables() -> set[str]:
    """Every table this version of the app makes (loads the models)."""
    from sqlmodel import SQLModel

    import freelancer_desk.models  # noqa: F401  (registers every table on the metadata)

    return set(SQLModel.metadata.tables) | _BOOKKEEPING_TABLES


def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_connect_writer(dbapi_connection: sqlite3.Connection, record: object) -> None:
    _on_connect(dbapi_connection, record)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Every statement on a table with triggers (the change counter, ``kept``) keeps a statement
    # journal; in memory it costs next to nothing, in a temporary file it tripled an import.
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def make_engine(path: Path, *, writable: bool, pool: type[Any] | None = None) -> Engine:
    """An engine on ``path`` that connects through ``connect`` and speaks of faults in words.

    SQLite's errors (full disk, busy, read-only, damaged, I/O) are turned into DeskErrors
    as they happen, wherever a query runs. Every engine shares the SQL compiled for any of them
    (``sql_dialect``). SQLAlchemy is imported here, not with the module: paths that only read a
    kept document never load it.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.engine import ExceptionContext
    from sqlalchemy.pool import QueuePool

    from freelancer_desk import sql_dialect

    engine = create_engine(
        sql_dialect.URL,
        creator=lambda: connect(path, read_only=not writable, check_same_thread=False),
        poolclass=pool or QueuePool,
    )
    engine.update_execution_options(compiled_cache=sql_dialect.COMPILED)
    event.listen(engine, "connect", _on_connect_writer if writable else _on_connect)

    def translate(context: ExceptionContext) -> BaseException | None:
        return faults.sqlite_fault(path, context.original_exception)

    event.listen(engine, "handle_error", translate)
    return engine


@dataclass
class Database:
    """An open database: the engine, the lock held for it, and where it lives.

    The engine (and with it SQLAlchemy) is made on first use, so that a start which only reads
    a kept document (``freelancer_desk.kept``) does not wait for it.
    """

    path: Path
    writable: bool
    _lock: BaseFileLock | None = field(default=None, repr=False)
    #: Backup taken before a schema upgrade in this opening, if any.
    upgrade_backup: Path | None = None
    #: False when opened without the integrity check (a damaged file, by the user's decision):
    #: then a clean close must not let the next start skip the check.
    verified: bool = True
    #: Analytics results kept until the data changes (``freelancer_desk.memo``).
    memo: Memo = field(init=False, repr=False)
    #: Documents computed and waiting to be kept in the file (``kept.Keeper``).
    keeper: kept.Keeper = field(init=False, repr=False)
    _watcher: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _watcher_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _unwatched: Iterator[int] = field(
        default_factory=lambda: itertools.count(-1, -1), init=False, repr=False
    )
    _engine: Engine | None = field(default=None, init=False, repr=False)
    _engine_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.memo = Memo(self.data_version)
        self.keeper = kept.Keeper(self.path, reader=not self.writable)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine on the file, made on first use."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self.path, writable=self.writable)
            return self._engine

    def data_version(self) -> int:
        """A number that changes whenever anyone commits a change to the data.

        It is the file's change counter (``freelancer_desk.kept``), which triggers raise on
        every write to a data table, whoever writes; keeping a document does not change it.
        It is read on a connection of its own that never writes. In a file without the counter
        (before its upgrade) SQLite's ``PRAGMA data_version`` stands in, which changes with
        every commit of another connection. Without that connection (a file SQLite cannot
        open read-only) every call gives a new number, so that nothing is kept.
        """
        with self._watcher_lock:
            try:
                if self._watcher is None:
                    self._watcher = connect(self.path, read_only=True, check_same_thread=False)
                counted = kept.changes(self._watcher)
                if counted is not None:
                    return counted
                return -int(self._watcher.execute("PRAGMA data_version").fetchone()[0])
            except (sqlite3.Error, DeskError):
                return next(self._unwatched)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on error.

        A write that fails (full disk, busy or read-only file, I/O error) is rolled back by
        SQLite and raises an error that says so in words (the engine translates it).
        """
        from sqlmodel import Session

        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        """Keep what was computed, release the engine and the lock; remember the clean close
        for the next start."""
        self.keeper.write_waiting()
        with self._watcher_lock:
            if self._watcher is not None:
                self._watcher.close()
                self._watcher = None
        self.memo.clear()
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
        if self.writable and self.verified:
            integrity.record_clean_close(self.path)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def lock_path_for(path: Path) -> Path:
    """The lock file beside a database."""
    return path.with_name(path.name + ".lock")


def building_path_for(path: Path) -> Path:
    """The temporary file a new database is built in, beside it (hidden)."""
    return path.with_name(f".{path.name}.creating")


def check_writable(path: Path) -> None:
    """Refuse a read-only file or folder before the lock or SQLite try to write there."""
    folder = path.parent if path.parent.exists() else None
    if (path.exists() and not os.access(path, os.W_OK)) or (
        folder is not None and not os.access(folder, os.W_OK)
    ):
        raise faults.read_only_error(path)


@contextmanager
def exclusive_access(path: Path) -> Iterator[None]:
    """Hold the database's lock without opening it (restore replaces the file under it)."""
    lock = _acquire_lock(path)
    try:
        yield
    finally:
        lock.release()


def _acquire_lock(path: Path) -> BaseFileLock:
    """Take the lock beside ``path``; a message when another program has it or it is unusable.

    A lock path that is a folder, device, pipe or link is not ours: it is refused and left
    alone, as is a lock file the app may not write.
    """
    from filelock import FileLock, Timeout

    lock_path = lock_path_for(path)
    # Private like the database and everything beside it (0600), whatever the umask.
    lock = FileLock(str(lock_path), timeout=0, mode=0o600)
    try:
        if lock_path.is_symlink() or (lock_path.exists() and not lock_path.is_file()):
            raise _unusable_lock(path, _("it is not a lock file of Freelancer Desk"))
        lock.acquire()
    except Timeout as exc:
        raise DatabaseLockedError(
            _(
                "{path} is already open in another Freelancer Desk window or program. "
                "Close it there first."
            ).format(path=path)
        ) from exc
    except OSError as exc:
        raise _unusable_lock(path, exc.strerror or str(exc)) from exc
    return lock


def _unusable_lock(path: Path, reason: str) -> DatabaseError:
    return DatabaseError(
        _(
            "The lock file {lock} cannot be used ({reason}). It keeps two windows from changing "
            "{path} at once. If no Freelancer Desk is running, remove {lock} and try again."
        ).format(lock=lock_path_for(path), path=path, reason=reason)
    )


def _absolute(path: Path | str) -> Path:
    """``path`` with ``~`` expanded and links resolved; a message for a path that has none."""
    try:
        return Path(path).expanduser().resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links, a home that cannot be found
        raise DatabaseError(
            _("Cannot use {path} ({reason}).").format(
                path=path, reason=getattr(exc, "strerror", None) or exc
            )
        ) from exc


def open_database(path: Path | str, *, writable: bool = True, verify: bool = True) -> Database:
    """Open (and for a writer, create or upgrade) the database at ``path``.

    Read-only opens take no lock and never change the file; they need an up-to-date schema.
    Both check the file first (``integrity.verify_at_open``) and raise DatabaseDamagedError on
    damage; ``verify=False`` is for the user's explicit decision to open a damaged file anyway.
    """
    path = _absolute(path)
    check_path_length(path, MAX_PATH_BYTES)
    check_is_sqlite_file(path)
    if not writable and not path.exists():
        raise DatabaseError(_("There is no database at {path}.").format(path=path))
    if writable:
        _make_folder(path)
        check_writable(path)
    lock = _acquire_lock(path) if writable else None
    try:
        revision = _prepared_and_checked(path, writable=writable, verify=verify)
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise DatabaseTooNewError(
                _(
                    "{path} was made by a newer version of Freelancer Desk. "
                    "Please update the app to open it; the file was left unchanged."
                ).format(path=path)
            )
        if not writable and revision != SCHEMA_HEAD:
            raise DatabaseError(
                _("{path} needs an upgrade; open it once in the app.").format(path=path)
            )
        database = Database(
            path=path,
            writable=writable,
            _lock=lock,
            verified=verify,
        )
        if writable and not verify:
            integrity.update_state(path, clean=None)
        if writable and revision != SCHEMA_HEAD:
            database.upgrade_backup = _migrate(database)
        if writable and verify:  # not in a damaged file opened anyway: its pages may be unreadable
            from freelancer_desk import erasure

            erasure.reapply(database)  # erasures made since an older copy was restored
        if writable and os.name == "posix":
            path.chmod(0o600)
        return database
    except OSError as exc:
        if lock is not None:
            lock.release()
        raise faults.os_fault(exc, path) from exc
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _prepared_and_checked(path: Path, *, writable: bool, verify: bool) -> str | None:
    """The schema revision of the file at ``path``, once a writer has recovered it after a
    crash, removed what a killed creation, restore or backup left, and built it when it is new
    or half-made; raises when it is not a sound database of this app (``open_database``).

    The reads all go through one read-only connection (``_look_at``), a new one only after a
    build: each new connection parses the whole schema first.
    """
    look = None if writable else _look_at(path)
    try:
        if writable:
            recover_after_crash(path)
            look = _look_at(path)
            remove_leftovers(path, look)
            if not path.exists() or path.stat().st_size == 0 or is_half_made(path, look):
                if look is not None:
                    look.close()
                    look = None
                _build(path)
                look = _look_at(path)
        revision = read_schema_revision(path, look)
        if writable and revision is None:
            raise NotADatabaseError(
                _(
                    "{path} holds tables and data but no schema version, so it cannot be "
                    "updated safely. The file was left unchanged; restore a backup of it."
                ).format(path=path)
            )
        if verify and revision is not None:
            integrity.verify_at_open(path, remember=writable, conn=look)
        return revision
    finally:
        if look is not None:
            look.close()


def _look_at(path: Path) -> sqlite3.Connection | None:
    """A read-only connection for the checks at open; None for a new or empty file, and when
    SQLite cannot open it (then each check tries on its own and says why)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        return connect(path, read_only=True)
    except DeskError:
        return None


def _make_folder(path: Path) -> None:
    """Create the database's folder if needed (a new database in a new folder)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except PermissionError as exc:
        raise faults.read_only_error(path) from exc
    except OSError as exc:
        raise faults.os_fault(exc, path.parent) from exc


def remove_leftovers(path: Path, conn: sqlite3.Connection | None = None) -> list[Path]:
    """Delete what a killed creation or restore left beside the database; the files removed.

    Only called with the database's lock held: nobody else can be creating or restoring it.
    Stale partial backups in the backup folder go too (``backups.remove_stale_partials``, which
    reads the backup settings through ``conn`` when given: a read-only connection on it).
    """
    from freelancer_desk import backups

    removed = []
    for prefix in (building_path_for(path).name, backups.staging_path_for(path).name):
        for leftover in backups.entries_named_from(path.parent, prefix):
            try:
                leftover.unlink()
                removed.append(leftover)
            except OSError:
                continue  # one that cannot be removed is merely left; the next start tries again
    return removed + backups.remove_stale_partials(path, conn=conn)


def recover_after_crash(path: Path) -> None:
    """Let SQLite finish what a crash left in the file: roll back a half-written transaction
    (a "hot" journal) or recover its write-ahead log.

    Only a connection that may write can do that, and the app's checks read through read-only
    ones, so a writer (holding the lock) opens the file this way first. A damaged or foreign
    file is left to the checks that follow. Without a journal and without a write-ahead log
    holding anything beside the file there is nothing to finish, and no connection is made.
    """
    if not path.exists() or path.stat().st_size == 0 or not _journal_left(path):
        return
    try:
        with closing(connect(path)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        pass


def _journal_left(path: Path) -> bool:
    """Whether a rollback journal, or a write-ahead log that is not empty, lies beside ``path``
    (only those can hold what a crash left unfinished)."""
    try:
        return journal_path_for(path).exists() or wal_path_for(path).stat().st_size > 0
    except FileNotFoundError:
        return False


def _build(path: Path) -> None:
    """Make a complete new database at ``path``, or leave the place as it was.

    Schema, catalogue and version row are written in one transaction into a temporary file
    beside the target; the file is flushed to the disk and renamed over the target (which is
    absent, empty or half-made), then the folder is flushed. A kill at any moment leaves either
    the old state or the complete new file, and at most a temporary file the next start removes.
    """
    temp = building_path_for(path)
    os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    try:
        engine = migration_engine(temp)
        try:
            with engine.begin() as connection:
                _upgrade(connection)
        finally:
            engine.dispose()
        fsync_file(temp)
        for companion in (wal_path_for(path), shm_path_for(path)):  # of a half-made file
            companion.unlink(missing_ok=True)
        temp.replace(path)
        fsync_file(path.parent)
    finally:
        for leftover in (temp, journal_path_for(temp)):
            leftover.unlink(missing_ok=True)


def migration_engine(path: Path) -> Engine:
    """An engine whose transactions really include schema changes (DDL).

    Python's sqlite3 driver commits before each ``CREATE`` or ``ALTER`` on its own, so a
    migration it runs stops half-way on a crash. With the driver's own transaction handling
    switched off and an explicit ``BEGIN IMMEDIATE``, the whole migration is one transaction.
    """
    from sqlalchemy import event
    from sqlalchemy.pool import NullPool

    engine = make_engine(path, writable=True, pool=NullPool)

    def own_transactions(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None

    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", own_transactions)
    event.listen(engine, "begin", begin)
    return engine


def _upgrade(connection: Connection) -> None:
    """Alembic to the head revision, then the shipped catalogue, on one open transaction."""
    from alembic import command
    from alembic.config import Config
    from sqlmodel import Session

    from freelancer_desk.catalog import ensure_reason_catalogue

    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
    tables = connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
    for statement in kept.trigger_statements(list(tables.scalars())):
        connection.exec_driver_sql(statement)
    with Session(bind=connection) as session:
        ensure_reason_catalogue(session)
        session.flush()


def _migrate(database: Database) -> Path:
    """Bring the schema to the head revision in one transaction, after a backup."""
    from freelancer_desk import backups

    backup = backups.take_backup(database.path, backups.BEFORE_UPGRADE).info.path
    engine = migration_engine(database.path)
    try:
        with engine.begin() as connection:
            _upgrade(connection)
    finally:
        engine.dispose()
    return backup


#: Pages copied per step when progress is reported (4 MiB with SQLite's 4 KiB pages).
BACKUP_STEP_PAGES = 1024


def backup_database(
    source: Path,
    target: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    check: bool = True,
) -> Path:
    """Copy a database with SQLite's online backup API (safe while it is in use).

    With ``check`` the source is checked first (``quick_check``) in the same read transaction
    the copy is taken from: a damaged source is refused and nothing is written. The copy is
    written beside the target as ``.partial`` (readable only by the user), switched to a
    self-contained rollback journal, flushed to disk and only then renamed into place: a crash
    leaves either no backup or a complete one. ``progress(done_pages, total_pages)`` is called
    after each step when given. Raises BackupError; the source is never written.
    """
    partial = target.with_name(target.name + ".partial")
    try:
        refuse_special_file(target)  # a pipe or a device never becomes a backup
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        with closing(connect(source, read_only=True)) as src:
            src.isolation_level = None
            src.execute("BEGIN")
            problems = integrity.damage_found(src, source) if check else ()
            if problems:
                raise BackupError(
                    _(
                        "{path} is damaged ({problem}), so no backup was made; the backups made "
                        "before were kept. Restore the newest good one: {check} names it and the "
                        "command that restores it."
                    ).format(path=source, problem=problems[0], check=faults.check_command(source))
                )
            with closing(connect(partial)) as dst:
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
        fsync_file(partial)
        partial.replace(target)
        fsync_file(target.parent)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        journal_path_for(partial).unlink(missing_ok=True)
        if isinstance(exc, BackupError) or not isinstance(exc, (sqlite3.Error, OSError, DeskError)):
            raise
        raise BackupError(
            _(
                "Could not write the backup {target} ({reason}). The database was not changed."
            ).format(target=target, reason=_reason(exc))
        ) from exc
    return target


def _reason(error: BaseException) -> str:
    """Why something failed, in the shortest words at hand (the OS's, else the message)."""
    return getattr(error, "strerror", None) or str(error).rstrip(".")


def fsync_file(path: Path) -> None:
    """Flush a file (or a folder's entries) to the disk; folders cannot be opened on Windows."""
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
