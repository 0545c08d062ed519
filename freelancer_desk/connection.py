"""The one way the app connects to an SQLite file: by its plain path, never a URL with it inside.

A path pasted into a URL (``sqlite:///…`` or ``file:…``) breaks on ordinary folder names: ``#``
ends the path, ``?`` starts options and ``%`` starts an escape, so "Kunden #1" opened a stray
file named "Kunden " instead of the database. Writers therefore pass the path itself to SQLite;
readers need SQLite's read-only mode, which only a ``file:`` URI can ask for, so the path goes
in percent-encoded (``Path.as_uri``). Every engine is made with ``create_engine(URL,
creator=...)`` around ``connect`` (``db.make_engine``; the URL names no file).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from freelancer_desk import faults
from freelancer_desk.errors import DatabaseError
from freelancer_desk.i18n import _

#: The longest path SQLite opens, in bytes: its limit (512 on Unix) less its "-journal".
SQLITE_PATH_LIMIT = 504


def check_path_length(path: Path, limit: int = SQLITE_PATH_LIMIT) -> None:
    """Refuse a path longer than ``limit`` bytes with a message instead of "unable to open"."""
    size = len(os.fsencode(path))
    if size > limit:
        raise DatabaseError(
            _(
                "The path of {path} is too long for the database ({size} bytes; at most "
                "{limit}). Move the file to a folder with a shorter path."
            ).format(path=path, size=size, limit=limit)
        )


def wal_path_for(path: Path) -> Path:
    """SQLite's write-ahead log beside a database."""
    return path.with_name(path.name + "-wal")


def journal_path_for(path: Path) -> Path:
    """SQLite's rollback journal beside a database (a file in write-ahead mode has none)."""
    return path.with_name(path.name + "-journal")


def shm_path_for(path: Path) -> Path:
    """SQLite's shared-memory index beside a database."""
    return path.with_name(path.name + "-shm")


def read_only_uri(path: Path) -> str:
    """The ``file:`` URI that opens ``path`` read-only, every special character escaped.

    In a folder the app may not write, a file without a write-ahead log is opened
    ``immutable``: a reader could not create SQLite's shared-memory file there, and nobody can
    change the file without writing into the folder.
    """
    uri = path.as_uri() + "?mode=ro"
    if not os.access(path.parent, os.W_OK) and not wal_path_for(path).exists():
        uri += "&immutable=1"
    return uri


def connect(
    path: Path, *, read_only: bool = False, check_same_thread: bool = True
) -> sqlite3.Connection:
    """Open the SQLite file at ``path`` (made absolute); DatabaseError when SQLite cannot.

    Each connection waits up to ``faults.BUSY_TIMEOUT_MS`` for another program's lock.
    """
    path = Path(path).absolute()
    check_path_length(path)
    timeout = faults.BUSY_TIMEOUT_MS / 1000
    try:
        if read_only:
            return sqlite3.connect(
                read_only_uri(path), uri=True, timeout=timeout, check_same_thread=check_same_thread
            )
        return sqlite3.connect(path, timeout=timeout, check_same_thread=check_same_thread)
    except sqlite3.Error as exc:
        raise (
            faults.sqlite_fault(path, exc)
            or DatabaseError(_("{path} cannot be opened ({reason}).").format(path=path, reason=exc))
        ) from exc


@contextmanager
def reading(path: Path, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
    """``conn`` when the caller has a connection on ``path`` open already, else a new read-only
    one, closed after the block.

    Each new connection reads and parses the whole schema before its first statement (about
    2 ms for this app's tables and triggers), so the checks made one after the other when a
    file is opened share one connection.
    """
    if conn is not None:
        yield conn
        return
    with closing(connect(path, read_only=True)) as own:
        yield own


@contextmanager
def set_aside(conn: sqlite3.Connection, kind: str, names: Sequence[str]) -> Iterator[list[str]]:
    """Drop the ``kind`` objects (``index`` or ``trigger``) ``names`` for the block and make
    them again from their own text after it; the block gets the names of those there were.

    For bulk writes that these objects would slow down row by row. All of it happens inside
    one write transaction (begun here if none is open): SQLite's schema changes are
    transactional and the write lock is held throughout, so no other connection ever sees
    the schema without them, and a rollback brings them back.
    """
    found = [
        (name, sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", (kind,)
        )
        if name in names
    ]
    if found and not conn.in_transaction:  # a schema change outside one is committed at once
        conn.execute("BEGIN IMMEDIATE")
    for name, _sql in found:
        conn.execute(f'DROP {kind.upper()} "{name}"')
    try:
        yield [name for name, _sql in found]
    finally:
        if conn.in_transaction:  # else SQLite rolled back by itself (a full disk), drops and all
            for _name, sql in found:
                conn.execute(sql)
