"""The one way the app connects to an SQLite file: by its plain path, never a URL with it inside.

A path pasted into a URL (``sqlite:///…`` or ``file:…``) breaks on ordinary folder names: ``#``
ends the path, ``?`` starts options and ``%`` starts an escape, so "Kunden #1" opened a stray
file named "Kunden " instead of the database. Writers therefore pass the path itself to SQLite;
readers need SQLite's read-only mode, which only a ``file:`` URI can ask for, so the path goes
in percent-encoded (``Path.as_uri``). Every engine is made with ``create_engine("sqlite://",
creator=...)`` around ``connect``.
"""

from __future__ import annotations

import os
import sqlite3
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
