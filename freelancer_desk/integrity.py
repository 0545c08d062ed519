"""Is the database file sound? SQLite's own checks at start, with a fast path after a clean close.

``PRAGMA quick_check`` reads every page and ``PRAGMA foreign_key_check`` every reference: about
35 + 20 ms for 100,000 revenue entries, growing with the file. A file that is exactly as this app
left it after a clean close (same inode, size and modification time, no write-ahead log left)
cannot have been damaged by a crash or a half-finished save, so the check is skipped for it.
Anything else — a crash, another program, a restored or copied file — runs the full check.

The fingerprint of the last clean close and of the last backup live in a small state file beside
the database (``<name>.state.json``); losing it only costs one full check and one backup.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from freelancer_desk import faults
from freelancer_desk.connection import reading, wal_path_for
from freelancer_desk.errors import DatabaseDamagedError
from freelancer_desk.i18n import _, ngettext

#: How many problem lines SQLite reports at most (the first ones say enough).
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class Fingerprint:
    """What the file system says about a database and its write-ahead log, cheaply."""

    inode: int
    size: int
    mtime_ns: int
    wal_size: int = 0
    wal_mtime_ns: int = 0


def fingerprint(path: Path) -> Fingerprint | None:
    """The fingerprint of ``path``, or None when there is no file.

    An empty log counts as no log: read-only connections leave one behind without changing data.
    """
    try:
        main = path.stat()
    except FileNotFoundError:
        return None
    wal_size = wal_mtime = 0
    try:
        wal = wal_path_for(path).stat()
        if wal.st_size:
            wal_size, wal_mtime = wal.st_size, wal.st_mtime_ns
    except FileNotFoundError:
        pass
    return Fingerprint(main.st_ino, main.st_size, main.st_mtime_ns, wal_size, wal_mtime)


# --------------------------------------------------------------------------------------------
# The state file
# --------------------------------------------------------------------------------------------


def state_path_for(path: Path) -> Path:
    """The state file beside a database."""
    return path.with_name(path.name + ".state.json")


def load_state(path: Path) -> dict[str, Any]:
    """The stored state of a database; an unreadable state is an empty one."""
    try:
        data = json.loads(state_path_for(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def update_state(path: Path, **changes: Any) -> None:
    """Merge ``changes`` into the state file, atomically; failures only cost a fast path."""
    state = load_state(path) | changes
    target = state_path_for(path)
    partial = target.with_name(target.name + ".partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)


def stored_fingerprint(state: dict[str, Any], key: str) -> Fingerprint | None:
    """A fingerprint stored under ``key``; None when missing or malformed."""
    try:
        return Fingerprint(**state[key])
    except (KeyError, TypeError):
        return None


def fingerprint_record(value: Fingerprint | None) -> dict[str, int] | None:
    """A fingerprint as JSON-ready data."""
    return None if value is None else asdict(value)


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntegrityReport:
    """What SQLite's checks found; empty tuples mean the file is sound."""

    path: Path
    #: Lines of quick_check / integrity_check other than "ok" (or why the file could not be read).
    problems: tuple[str, ...] = ()
    #: References to records that do not exist, as "table row 12 → client".
    broken_references: tuple[str, ...] = ()
    #: True when the check was skipped because the file was unchanged since a clean close.
    skipped: bool = False

    @property
    def ok(self) -> bool:
        """No damage and no broken references."""
        return not self.problems and not self.broken_references

    def summary(self) -> str:
        """One translated sentence for a message or the command line."""
        if self.ok:
            if self.skipped:
                return _("{path} is sound (unchanged since it was last closed cleanly).").format(
                    path=self.path
                )
            return _("{path} is sound.").format(path=self.path)
        parts = []
        if self.problems:
            parts.append(
                ngettext(
                    "{count} damaged place", "{count} damaged places", len(self.problems)
                ).format(count=len(self.problems))
            )
        if self.broken_references:
            parts.append(
                ngettext(
                    "{count} reference to a missing record",
                    "{count} references to missing records",
                    len(self.broken_references),
                ).format(count=len(self.broken_references))
            )
        return _("{path} is damaged: {findings}.").format(path=self.path, findings=", ".join(parts))

    def details(self) -> list[str]:
        """Every finding, one per line, as SQLite worded it."""
        return [*self.problems, *self.broken_references]


def check_file(
    path: Path, *, thorough: bool = False, conn: sqlite3.Connection | None = None
) -> IntegrityReport:
    """Run SQLite's checks on ``path`` through a read-only connection (never writes): ``conn``
    when the caller has one open on it (``connection.reading``), else a new one.

    ``thorough`` runs ``integrity_check`` (also compares indexes with tables; about ten times
    slower) instead of ``quick_check``. A file SQLite cannot get at (busy, unreachable, out of
    memory) is not called damaged: that raises the fault's DatabaseError instead.
    """
    with reading(path.resolve(), conn) as reader:
        try:
            problems = damage_found(reader, path, thorough=thorough)
            references = tuple(
                _("{table} row {row} → {parent}").format(table=table, row=rowid, parent=parent)
                for table, rowid, parent, _fk in reader.execute(
                    "PRAGMA foreign_key_check"
                ).fetchmany(MAX_PROBLEMS)
            )
        except sqlite3.Error as exc:
            return IntegrityReport(path, problems=(_sqlite_damage(path, exc),))
    return IntegrityReport(path, problems=problems, broken_references=references)


def damage_found(
    conn: sqlite3.Connection, path: Path, *, thorough: bool = False
) -> tuple[str, ...]:
    """SQLite's own check on an open connection to ``path``: the lines that are not "ok".

    A file too damaged to be checked at all gives that error as its one line.
    """
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        lines = [row[0] for row in conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})")]
    except sqlite3.Error as exc:
        return (_sqlite_damage(path, exc),)
    return tuple(line for line in lines if line != "ok")


def _sqlite_damage(path: Path, error: sqlite3.Error) -> str:
    """The error as a problem line when it means damage; raise the fault's message otherwise."""
    if faults.is_damage(error):
        return str(error)
    fault = faults.sqlite_fault(path, error)
    if fault is None:
        raise error
    raise fault from error


def damaged_error(report: IntegrityReport) -> DatabaseDamagedError:
    """The error that stops the app from writing to a damaged file."""
    return DatabaseDamagedError(
        _(
            "{summary} Nothing was written to it. Restore the newest good backup: {command} "
            "names it and the command that restores it."
        ).format(summary=report.summary(), command=faults.check_command(report.path)),
        report,
    )


def verify_at_open(
    path: Path, *, remember: bool = True, conn: sqlite3.Connection | None = None
) -> IntegrityReport:
    """Check a database before the app uses it; DatabaseDamagedError when it is not sound.

    Fast path: skipped when the file is unchanged since the app last closed it cleanly. Readers
    (``status``, ``export``) check too, since figures or an export taken from a damaged file
    would silently miss what sits on its broken pages; they pass ``remember=False`` and so
    never write beside the file. ``conn``: a read-only connection on it to check through.
    """
    if is_clean(path):
        return IntegrityReport(path, skipped=True)
    current = fingerprint(path)
    report = check_file(path, conn=conn)
    if not report.ok:
        raise damaged_error(report)
    if remember:
        update_state(path, clean=fingerprint_record(current))
    return report


def is_clean(path: Path) -> bool:
    """True when the file is as the app last left it on a clean close (the check may be
    skipped)."""
    current = fingerprint(path)
    return current is not None and stored_fingerprint(load_state(path), "clean") == current


def record_clean_close(path: Path) -> None:
    """Remember the file as the app left it, so that the next start may skip the check."""
    update_state(path, clean=fingerprint_record(fingerprint(path)))
