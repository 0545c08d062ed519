"""GDPR erasure of one client's personal data, and the do-not-contact list (DOMAIN.md §5).

Erasing keeps the figures and drops the person (``freelancer_desk.erasure`` says what is cleared
and how): a backup is taken first, then in one transaction every text about the client is
cleared and the client entered in the erasure register; the file is rebuilt so that it keeps
no readable trace, and then every backup the app keeps is rewritten without the person. What
the user exported, printed or sent is outside the app's reach; the result says so.

After an objection a client stays on the do-not-contact list (``do_not_contact``) with the day
of the objection; erased clients are on it as anonymous records.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, or_, select

from freelancer_desk import backups, clock, erasure
from freelancer_desk.db import Database, backup_database, fsync_file
from freelancer_desk.errors import BackupError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.models import ERASED_ALREADY, Client, input_error
from freelancer_desk.names import collation_key
from freelancer_desk.paths import backup_dir_for
from freelancer_desk.services.records import fetch

#: What erasing does, as the erase dialog and ``client erase`` say it before anything happens.
WHAT_ERASE_DOES = N_(
    "Name, contact details, address, notes, tags and every text about them are deleted: "
    "interactions, the reasons they left, win-back measures, incentive and attempts, feedback "
    "answers and reminders. Revenue stays as anonymous figures, so that your totals stay right. "
    "The database file keeps no readable trace, and every backup the app keeps is rewritten "
    "without them. A list of salted fingerprints (no names) stops an old client list or an "
    "older backup from bringing them back. This cannot be undone."
)
#: What the app cannot reach, said before and after erasing.
OUTSIDE_REACH = N_(
    "Out of the app's reach: files you exported or printed, calendar files and e-mails you "
    "sent. Delete them yourself where they name this person."
)


@dataclass(frozen=True)
class BackupProblem:
    """A backup that could not be rewritten without the person, and why."""

    path: Path
    reason: str


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure did: the name the record keeps, the backup taken before, the backups
    rewritten, and those that could not be (they still hold the person)."""

    client_id: int
    name: str
    backup: Path
    rewritten: tuple[Path, ...] = ()
    problems: tuple[BackupProblem, ...] = ()
    #: The backup folder of the settings when it could not be reached (a drive not connected).
    unreachable: Path | None = None
    #: Why the register could not be kept beside the database, if it could not.
    register_problem: str | None = None


@dataclass(frozen=True)
class DoNotContact:
    """A client nobody may contact: objected, or erased (then only an anonymous record)."""

    client_id: int
    name: str
    objection_on: dt.date | None
    erased: bool


def erase_client(db: Database, client_id: int, today: dt.date | None = None) -> ErasureResult:
    """Erase a client's personal data everywhere the app keeps it; revenue stays anonymous.

    Order: a backup (nothing happens if it fails), the erasure in one transaction with
    ``secure_delete`` on, the file rebuilt and its log truncated, the register written beside
    the file, then every backup rewritten. Raises NotFoundError for a client that is gone and
    BackupError when no backup could be taken first.
    """
    today = today or clock.today()
    with db.session() as session:
        if fetch(session, Client, client_id).erased:
            raise input_error("client_id", ERASED_ALREADY)
    backup = backups.safety_backup(db, backups.BEFORE_ERASE)
    with db.session() as session:
        conn = erasure.raw_connection(session)
        erasure.erase(conn, client_id, today)
        register = erasure.read_register(conn)
        name = erasure.anonymous_name(client_id)
    assert register is not None  # the erasure stored the salt
    erasure.compact_database(db)
    try:
        erasure.save_sidecar(db.path, register.merged(erasure.load_sidecar(db.path)))
        register_problem = None
    except OSError as exc:
        register_problem = str(exc.strerror or exc)
    rewritten, problems, unreachable = rewrite_backups(db.path, register)
    return ErasureResult(
        client_id, name, backup, rewritten, problems, unreachable, register_problem
    )


def report(result: ErasureResult) -> list[str]:
    """What an erasure did, in the current language, one paragraph per line."""
    lines = [
        _("The personal data were erased; the client is now listed as {name}.").format(
            name=result.name
        ),
        ngettext(
            "{count} backup was rewritten without them.",
            "{count} backups were rewritten without them.",
            len(result.rewritten),
        ).format(count=len(result.rewritten)),
    ]
    lines.extend(
        _("Not rewritten, it still holds them: {path} ({reason})").format(
            path=problem.path, reason=problem.reason
        )
        for problem in result.problems
    )
    if result.unreachable is not None:
        lines.append(
            _(
                "The backup folder {folder} could not be reached. Backups there still hold "
                "them until you restore one (the erasure is applied again then) or delete them."
            ).format(folder=result.unreachable)
        )
    if result.register_problem is not None:
        lines.append(
            _(
                "The list of erased clients could not be kept beside the database ({reason}); "
                "it is in the database itself, so a restore still erases them again."
            ).format(reason=result.register_problem)
        )
    lines.append(_(OUTSIDE_REACH))
    return lines


def _backup_files(db_path: Path) -> tuple[list[Path], Path | None]:
    """Every copy the app keeps of a database (damaged copies too), and the chosen backup
    folder when it cannot be reached."""
    settings = backups.backup_settings(db_path)
    folders = dict.fromkeys(
        folder.resolve() for folder in (settings.folder, backup_dir_for(db_path)) if folder.is_dir()
    )
    files = []
    for folder in folders:
        try:
            entries = sorted(folder.iterdir())
        except OSError:
            continue  # unreadable: as unreachable as an unplugged drive
        for entry in entries:
            parsed = backups.parse_backup_name(entry.name)
            if parsed is not None and parsed[0] == db_path.name and entry.is_file():
                files.append(entry)
    unreachable = settings.chosen if settings.chosen and not settings.chosen.is_dir() else None
    return files, unreachable


def rewrite_backups(
    db_path: Path, register: erasure.Register
) -> tuple[tuple[Path, ...], tuple[BackupProblem, ...], Path | None]:
    """Rewrite every backup of ``db_path`` without the clients the register names.

    Each backup is copied (SQLite's backup API), the copy erased and compacted, checked to be
    sound, and only then moved over the backup in one rename: a failure leaves the backup as
    it was and is reported. Returns (rewritten, problems, unreachable backup folder).
    """
    files, unreachable = _backup_files(db_path.resolve())
    rewritten: list[Path] = []
    problems: list[BackupProblem] = []
    for path in files:
        try:
            rewrite_backup(path, register)
        except BackupError as exc:
            problems.append(BackupProblem(path, str(exc)))
            continue
        rewritten.append(path)
    return tuple(rewritten), tuple(problems), unreachable


def rewrite_backup(path: Path, register: erasure.Register) -> None:
    """Replace one backup with a copy without the register's clients; BackupError on failure."""
    staged = path.with_name(path.name + ".erasing.partial")
    try:
        backup_database(path, staged)
        erasure.apply_to_copy(staged, register)
        backups.verify_backup(staged)
        fsync_file(staged)
        os.replace(staged, path)
        fsync_file(path.parent)
    except (OSError, sqlite3.Error, BackupError) as exc:
        cause = exc.__cause__ if isinstance(exc, BackupError) and exc.__cause__ else exc
        raise BackupError(
            _("Could not rewrite the backup {path} ({reason}); it was left as it was.").format(
                path=path, reason=getattr(cause, "strerror", None) or cause
            )
        ) from exc
    finally:
        staged.unlink(missing_ok=True)


def do_not_contact(db: Database, as_of: dt.date | None = None) -> list[DoNotContact]:
    """Everyone who objected on or before ``as_of``, and every erased client."""
    as_of = as_of or clock.today()
    with db.session() as session:
        rows = session.exec(
            select(Client).where(
                or_(col(Client.objection_on) <= as_of, col(Client.erased).is_(True))
            )
        ).all()
        listed = [DoNotContact(row.id, row.name, row.objection_on, row.erased) for row in rows]  # type: ignore[arg-type]  # read from the table: the id is set
    # Sorted by the name as shown: an erased client's label is read in the current language.
    return sorted(listed, key=lambda entry: collation_key(entry.name))
