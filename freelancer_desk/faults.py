"""Faults of the disk, the file system and SQLite, in words a freelancer can act on.

A full disk, a read-only folder, another program holding the file, a damaged file or a failing
drive is not a bug: it gets a message that names the file and says what to do, never a
traceback. An open database's engine translates SQLite's errors as they happen (``db.py``); the
command line and the window's error hook translate whatever reaches them with ``explain``.
"""

from __future__ import annotations

import errno
from pathlib import Path

from freelancer_desk.errors import (
    DatabaseBusyError,
    DatabaseError,
    DatabaseReadOnlyError,
    DeskError,
    DiskFullError,
    NotADatabaseError,
)
from freelancer_desk.i18n import _
from freelancer_desk.paths import program_command

#: How long a connection waits for another program's lock before it gives up (milliseconds).
BUSY_TIMEOUT_MS = 5000

# SQLite's primary result codes (sqlite3.h); an extended code carries one in its low byte.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM, SQLITE_READONLY = 5, 6, 7, 8
SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN = 10, 11, 13, 14
SQLITE_NOTADB = 26
#: Extended I/O error codes of a failed write (sqlite3.h): on a full disk, a file grown past
#: what the drive or the system allows, or a drive that is gone.
SQLITE_IOERR_WRITES = frozenset(SQLITE_IOERR | (n << 8) for n in (3, 4, 5, 6))
#: Extended "read-only" codes of a reader that finds what a crash left (a journal to roll back,
#: a log to recover): the file is not read-only, it needs one writer to repair it first.
SQLITE_READONLY_AFTER_CRASH = frozenset(SQLITE_READONLY | (n << 8) for n in (1, 3, 5))

#: OS errors that mean "no more room": a full disk, a full quota, a file too large for the drive.
NO_SPACE = frozenset({errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)})
#: OS errors that mean "you may not write here".
NOT_ALLOWED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


def primary_code(error: BaseException | None) -> int | None:
    """SQLite's primary result code of an error raised by the sqlite3 module, else None."""
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def is_damage(error: BaseException | None) -> bool:
    """True when SQLite says the file's content is broken (not that it cannot get at it)."""
    return primary_code(error) in (SQLITE_CORRUPT, SQLITE_NOTADB)


def check_command(path: Path | str) -> str:
    """The command that checks the database at ``path`` and, when it is damaged, names its newest
    good backup and the complete command that restores it: the one hint a damaged file needs.

    It names the file (``check`` alone checks the default database, not the one refused); a
    ``path`` that is not a Path stands for the default database and is left out.
    """
    return (
        program_command("check", "--db", path)
        if isinstance(path, Path)
        else program_command("check")
    )


def read_only_error(path: Path | str) -> DatabaseReadOnlyError:
    """The message for a database file or folder the app may not write."""
    return DatabaseReadOnlyError(
        _(
            "{path} is read-only (the file or its folder cannot be written), so nothing can be "
            "saved. The file was left unchanged. Allow writing or copy it to a folder of yours."
        ).format(path=path)
    )


def sqlite_fault(path: Path | str, error: BaseException | None) -> DatabaseError | None:
    """The DeskError for an SQLite failure on the database at ``path``; None for other errors.

    None means the error is not a fault of the disk or the file (a bug): let it surface.
    """
    code, extended = primary_code(error), getattr(error, "sqlite_errorcode", None)
    if code == SQLITE_FULL:
        return DiskFullError(
            _(
                "{path} could not be saved: the disk is full. The last change was not saved; "
                "everything saved before is intact. Free some space and try again."
            ).format(path=path)
        )
    if code == SQLITE_READONLY and extended in SQLITE_READONLY_AFTER_CRASH:
        return DatabaseError(
            _(
                "{path} was left unfinished by a program that stopped (a crash or power cut). "
                "Nothing was changed. Open it once in the app, which completes the repair, "
                "then try again."
            ).format(path=path)
        )
    if code == SQLITE_READONLY:
        return read_only_error(path)
    if code == SQLITE_IOERR and extended in SQLITE_IOERR_WRITES:
        return DiskFullError(
            _(
                "{path} could not be written ({reason}): the disk may be full or the drive gone. "
                "The last change was not saved; everything saved before is intact. Free some "
                "space or reconnect the drive and try again."
            ).format(path=path, reason=error)
        )
    if code == SQLITE_IOERR:
        return DatabaseError(
            _(
                "{path} could not be read or written ({reason}). The last change was not saved; "
                "everything saved before is intact. Is the drive still connected?"
            ).format(path=path, reason=error)
        )
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusyError(
            _(
                "{path} is busy: another program kept it locked for more than {seconds} seconds. "
                "Nothing was changed. Close the other program (a database tool, a backup or sync "
                "program) and try again."
            ).format(path=path, seconds=BUSY_TIMEOUT_MS // 1000)
        )
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return NotADatabaseError(
            _(
                "{path} is damaged ({reason}). Nothing was written to it. Check it with "
                "{check} and restore the newest good backup."
            ).format(path=path, reason=error, check=check_command(path))
        )
    if code == SQLITE_CANTOPEN:
        return DatabaseError(
            _(
                "{path} cannot be opened ({reason}). Is the drive connected, and may you read "
                "and write its folder?"
            ).format(path=path, reason=error)
        )
    if code == SQLITE_NOMEM:
        return DatabaseError(
            _("{path} needs more memory than is free. Close other programs and try again.").format(
                path=path
            )
        )
    return None


def os_fault(error: OSError, path: Path | str | None = None) -> DeskError:
    """The message for a file system error, naming its file (else ``path``)."""
    where = error.filename or path or ""
    reason = error.strerror or str(error)
    if error.errno in NO_SPACE:
        text = _(
            "Could not write {path}: the disk is full or the file too large for the drive "
            "({reason}). Free some space and try again."
        )
    elif error.errno in NOT_ALLOWED:
        text = _("Could not write {path}: it is read-only or you may not write there ({reason}).")
    elif error.errno == errno.EIO:
        text = _("Could not read or write {path} ({reason}). Is the drive still connected?")
    elif error.errno == errno.EISDIR:
        text = _("{path} is a folder, not a file.")
    elif error.errno == errno.ENOTDIR:
        text = _("Cannot use {path}: a part of the path is a file, not a folder.")
    elif error.errno == errno.ENAMETOOLONG:
        text = _("Cannot use {path}: the path or a name in it is too long.")
    else:
        text = _("Cannot use {path} ({reason}).")
    return DeskError(text.format(path=where, reason=reason))


def explain(error: BaseException, database: Path | None = None) -> DeskError | None:
    """A DeskError for any fault that reached the top (CLI, error hook); None for a bug.

    SQLAlchemy's wrappers are looked through (their ``orig`` is the driver's error).
    """
    if isinstance(error, DeskError):
        return error
    if isinstance(error, MemoryError):
        return DeskError(
            _("There is not enough memory for this. Close other programs and try again.")
        )
    if isinstance(error, OSError):
        return os_fault(error)
    driver_error = getattr(error, "orig", None) or error
    if primary_code(driver_error) is None:
        return None
    return sqlite_fault(database or _("The database"), driver_error)
