"""Backups of the database: automatic, before risky steps, thinned over time; and restore.

Every backup is made with SQLite's online backup API (``db.backup_database``), never by copying
a file in use, and lands complete or not at all. Backups are taken

- at start when the data changed since the last backup (``backup_at_start``; never for a
  database that holds no data of the user yet, such as a new, empty one),
- before every schema upgrade (``db.open_database``),
- before a step that deletes or replaces data: erase, delete, merge, import, restore
  (``safety_backup(db, reason)``; a BackupError means "do not go on"),
- by hand (``freelancer-desk backup``, File → Back up now).

They are kept in the folder the settings name (e.g. an external drive), else in ``backups/``
beside the database; when the chosen folder cannot be reached they go beside the database and the
result says so. Old backups are thinned like a grandfather-father-son rotation (the newest of each
of the last 7 days, 4 weeks and 12 months by default); backups taken by hand or before a risky
step are in addition kept for 30 days. On a day the rotation keeps, the newest backup of each
kind stays (the start backup the status bar named is not thinned away by a backup taken by
hand later that day).

A backup is always good: the source is checked before it is copied (a damaged database is
refused and the existing backups stay), and thinning counts only backups that pass SQLite's
check, so a damaged one can never push the last good one of its day out.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from freelancer_desk import db as store
from freelancer_desk.connection import connect, reading, shm_path_for, wal_path_for
from freelancer_desk.errors import BackupError, DeskError, NotADatabaseError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.integrity import (
    check_file,
    fingerprint,
    fingerprint_record,
    load_state,
    stored_fingerprint,
    update_state,
)
from freelancer_desk.paths import backup_dir_for
from freelancer_desk.settings import from_stored

# Why a backup was taken: part of its file name.
START = "start"
MANUAL = "manual"
BEFORE_UPGRADE = "before-upgrade"
BEFORE_RESTORE = "before-restore"
BEFORE_ERASE = "before-erase"
BEFORE_DELETE = "before-delete"
BEFORE_MERGE = "before-merge"
BEFORE_IMPORT = "before-import"
#: Not a backup: a byte copy of a damaged file (and its log), kept as evidence, never thinned.
DAMAGED = "damaged"

REASON_LABELS: dict[str, str] = {
    START: N_("At start"),
    MANUAL: N_("By hand"),
    BEFORE_UPGRADE: N_("Before an update"),
    BEFORE_RESTORE: N_("Before a restore"),
    BEFORE_ERASE: N_("Before erasing data"),
    BEFORE_DELETE: N_("Before deleting a client"),
    BEFORE_MERGE: N_("Before merging clients"),
    BEFORE_IMPORT: N_("Before an import"),
}

#: Backups taken by hand or before a risky step are kept at least this long.
PROTECTED_FOR = dt.timedelta(days=30)
#: A ``.partial`` file unchanged for this long was left by a crash: a running backup writes to
#: it all the time and takes seconds (another program, e.g. ``backup`` in a terminal, may be
#: writing a young one while the app starts).
STALE_PARTIAL_AFTER = dt.timedelta(minutes=10)
#: Where the state file remembers backups that passed the check (by size and modification time).
SOUND_BACKUPS = "sound_backups"

_STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(
    r"^(?P<db>.+)\.(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.(?P<reason>[a-z][a-z-]*)\.sqlite3$"
)
_REASON = re.compile(r"^[a-z][a-z-]*$")


@dataclass(frozen=True)
class BackupInfo:
    """One backup file, with the time and reason read from its name."""

    path: Path
    taken_at: dt.datetime
    reason: str
    size: int

    def reason_label(self) -> str:
        """The reason in the user's language."""
        return _(REASON_LABELS.get(self.reason, self.reason))


@dataclass(frozen=True)
class BackupResult:
    """A backup just taken; ``unreachable`` is the chosen folder when it could not be used."""

    info: BackupInfo
    unreachable: Path | None = None

    def warning(self) -> str | None:
        """The sentence to show when the backup did not go where the settings say."""
        if self.unreachable is None:
            return None
        return _(
            "The backup folder {folder} cannot be reached (is the drive connected?). "
            "The backup was kept in {fallback} instead."
        ).format(folder=self.unreachable, fallback=self.info.path.parent)


@dataclass(frozen=True)
class ThinningPolicy:
    """How many daily, weekly and monthly backups survive thinning."""

    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass(frozen=True)
class BackupSettings:
    """Where backups go and how they are thinned."""

    folder: Path
    #: The folder the settings name, or None for the default beside the database.
    chosen: Path | None
    policy: ThinningPolicy


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: where from, and where the replaced data was kept."""

    restored_from: Path
    #: Backup of the replaced database (None when there was none or it was damaged).
    previous: Path | None
    #: Byte copy of a replaced damaged database.
    damaged_copy: Path | None
    #: Clients erased since the backup was taken, erased again in the restored data.
    erased_again: int = 0


def erased_again_text(count: int, *, done: bool) -> str:
    """The sentence that says a restore erases (``done``: erased) again the clients erased
    since the backup was taken; "" when there are none."""
    if not count:
        return ""
    if done:
        text = ngettext(
            "{count} client erased since this backup was taken was erased again.",
            "{count} clients erased since this backup was taken were erased again.",
            count,
        )
    else:
        text = ngettext(
            "{count} client erased since this backup was taken will be erased again.",
            "{count} clients erased since this backup was taken will be erased again.",
            count,
        )
    return text.format(count=count)


# --------------------------------------------------------------------------------------------
# Settings and names
# --------------------------------------------------------------------------------------------


def backup_settings(db_path: Path, conn: sqlite3.Connection | None = None) -> BackupSettings:
    """The backup settings stored in the database, read without opening it for writing
    (through ``conn`` when the caller has a read-only connection on it open).

    A damaged or unreadable database gives the defaults, so that its backups can still be found.
    """
    stored: dict[str, str] = {}
    try:
        with reading(db_path.resolve(), conn) as reader:
            stored = dict(
                reader.execute("SELECT key, value FROM setting WHERE key LIKE 'backup_%'")
            )
    except (sqlite3.Error, DeskError):
        pass
    settings = from_stored(stored)
    chosen = Path(settings.backup_folder).expanduser() if settings.backup_folder else None
    return BackupSettings(
        folder=chosen or backup_dir_for(db_path),
        chosen=chosen,
        policy=ThinningPolicy(
            settings.backup_keep_daily, settings.backup_keep_weekly, settings.backup_keep_monthly
        ),
    )


def staging_path_for(db_path: Path) -> Path:
    """Where a restore puts the checked copy of the backup before it swaps it in (hidden)."""
    return db_path.with_name(f".{db_path.name}.restoring")


def backup_name(db_path: Path, taken_at: dt.datetime, reason: str, number: int = 1) -> str:
    """``<database file name>.<YYYYmmdd-HHMMSS>[-n].<reason>.sqlite3``."""
    suffix = "" if number == 1 else f"-{number}"
    return f"{db_path.name}.{taken_at.strftime(_STAMP)}{suffix}.{reason}.sqlite3"


def parse_backup_name(name: str) -> tuple[str, dt.datetime, str] | None:
    """(database file name, time, reason) of a backup file name; None for other files."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        taken_at = dt.datetime.strptime(match["stamp"], _STAMP)
    except ValueError:
        return None
    return match["db"], taken_at, match["reason"]


def _free_target(folder: Path, db_path: Path, now: dt.datetime, reason: str) -> Path:
    """A backup path in ``folder`` that no file has yet (``-2``, ``-3`` … within one second)."""
    number = 1
    while (target := folder / backup_name(db_path, now, reason, number)).exists():
        number += 1
    return target


def _usable_folder(settings: BackupSettings, db_path: Path) -> tuple[Path, Path | None]:
    """The folder to write to, and the chosen folder when it had to be replaced by the default.

    A chosen folder must exist already: creating it would put an unplugged drive's path on the
    local disk.
    """
    chosen = settings.chosen
    if chosen is not None and chosen.is_dir() and os.access(chosen, os.W_OK):
        return chosen, None
    default = backup_dir_for(db_path)
    try:
        default.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _("Cannot create the backup folder {folder} ({reason}).").format(
                folder=default, reason=exc.strerror or exc
            )
        ) from exc
    return default, chosen


# --------------------------------------------------------------------------------------------
# Taking backups
# --------------------------------------------------------------------------------------------


def take_backup(
    db_path: Path,
    reason: str,
    *,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BackupResult:
    """Back up the database into the backup folder, then thin the folder. Raises BackupError.

    A damaged database is refused before anything is written (``db.backup_database`` checks
    it), so the folder keeps its good backups.
    """
    if not _REASON.match(reason):
        raise ValueError(f"backup reason must be lowercase words with hyphens: {reason!r}")
    db_path = db_path.resolve()
    now = now or dt.datetime.now()
    settings = backup_settings(db_path)
    folder, unreachable = _usable_folder(settings, db_path)
    before = fingerprint(db_path)
    target = _free_target(folder, db_path, now, reason)
    store.backup_database(db_path, target, progress=progress)
    update_state(db_path, backup={"fingerprint": fingerprint_record(before), "file": str(target)})
    info = BackupInfo(target, now.replace(microsecond=0), reason, target.stat().st_size)
    sound = SoundBackups(db_path)
    sound.remember(target)  # checked as the source, copied page by page by SQLite
    thin_folder(folder, db_path, settings.policy, now, sound)
    sound.save()
    return BackupResult(info, unreachable)


def safety_backup(db: store.Database, reason: str) -> Path:
    """Back up an open database before a step that deletes or replaces data.

    Call it before the step's transaction, e.g. ``safety_backup(db, backups.BEFORE_ERASE)``.
    It raises BackupError when no backup could be made: then do not go on.
    """
    return take_backup(db.path, reason).info.path


#: Tables that hold what the user entered; a database with none of them filled has nothing a
#: start backup could keep (the reason catalogue and the schema version come with every file).
USER_TABLES = ("client", "client_group", "revenue_entry", "reminder", "setting")


def holds_data(db_path: Path) -> bool:
    """True when the database holds anything the user entered (``USER_TABLES``)."""
    conn = connect(db_path, read_only=True)
    try:
        present = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None
            for table in USER_TABLES
            if table in present
        )
    finally:
        conn.close()


def backup_at_start(db_path: Path) -> BackupResult | None:
    """Back up when the data changed since the last backup; None when nothing changed or the
    database holds no data yet (a new, empty database needs no copy).

    "Changed" compares the file's fingerprint (inode, size, times of the file and its log) with
    the one taken before the last backup, and checks that backup still exists.
    """
    db_path = db_path.resolve()
    current = fingerprint(db_path)
    if current is None or not holds_data(db_path):
        return None
    last = load_state(db_path).get("backup")
    if (
        isinstance(last, dict)
        and stored_fingerprint(last, "fingerprint") == current
        and Path(str(last.get("file"))).is_file()
    ):
        return None
    return take_backup(db_path, START)


def keep_damaged_copy(db_path: Path, *, now: dt.datetime | None = None) -> Path:
    """Copy a damaged database and its log byte for byte into the backup folder.

    Only for a file nobody has open (the caller holds its lock): SQLite cannot read a damaged
    file for an online backup, and the bytes may still be rescued by an expert.
    """
    db_path = db_path.resolve()
    folder, _unreachable = _usable_folder(backup_settings(db_path), db_path)
    target = _free_target(folder, db_path, now or dt.datetime.now(), DAMAGED)
    try:
        for source, copy in ((db_path, target), (wal_path_for(db_path), wal_path_for(target))):
            if source.exists():
                shutil.copyfile(source, copy)
                copy.chmod(0o600)
                store.fsync_file(copy)
    except OSError as exc:
        raise BackupError(
            _(
                "Could not keep a copy of the damaged database in {folder} ({reason}). "
                "Nothing was changed."
            ).format(folder=folder, reason=exc.strerror or exc)
        ) from exc
    return target


# --------------------------------------------------------------------------------------------
# Listing and thinning
# --------------------------------------------------------------------------------------------


def backups_in(folder: Path, db_path: Path) -> list[BackupInfo]:
    """The backups of one database in one folder, newest first (damaged copies left out)."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for entry in entries:
        parsed = parse_backup_name(entry.name)
        if parsed is None or parsed[0] != db_path.name or parsed[2] == DAMAGED:
            continue
        try:
            size = entry.stat().st_size
        except OSError:
            continue
        found.append(BackupInfo(entry, parsed[1], parsed[2], size))
    return sorted(found, key=lambda info: (info.taken_at, info.path.name), reverse=True)


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of a database, from the chosen folder and the default one, newest first."""
    db_path = db_path.resolve()
    settings = backup_settings(db_path)
    folders = dict.fromkeys(
        folder.resolve() for folder in (settings.folder, backup_dir_for(db_path))
    )
    found = [info for folder in folders for info in backups_in(folder, db_path)]
    return sorted(found, key=lambda info: (info.taken_at, info.path.name), reverse=True)


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup that passes the checks (``verify_backup`` with quick_check)."""
    for info in list_backups(db_path):
        try:
            verify_backup(info.path, thorough=False)
        except DeskError:  # damaged, or unreadable just now
            continue
        return info
    return None


def kept_times(times: Iterable[dt.datetime], policy: ThinningPolicy) -> set[dt.datetime]:
    """The times that survive thinning: the newest of each of the last n days, weeks, months.

    Days, weeks and months count only when they have a backup (a laptop left closed for a
    fortnight keeps its seven newest backup days). The newest backup always survives.
    """
    ordered = sorted(set(times), reverse=True)
    rules: list[tuple[int, Callable[[dt.datetime], object]]] = [
        (policy.daily, lambda t: t.date()),
        (policy.weekly, lambda t: t.isocalendar()[:2]),
        (policy.monthly, lambda t: (t.year, t.month)),
    ]
    kept = set(ordered[:1])
    for count, bucket in rules:
        seen: set[object] = set()
        for moment in ordered:
            key = bucket(moment)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.add(key)
            kept.add(moment)
    return kept


class SoundBackups:
    """Which backups pass SQLite's check, remembered in the state file by size and time.

    Thinning asks it about every backup in the folder; a backup is checked once (or again when
    its file changed), so thinning stays quick however large the database is.
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        stored = load_state(db_path).get(SOUND_BACKUPS)
        self._known: dict[str, list[int]] = stored if isinstance(stored, dict) else {}
        self._found: dict[str, list[int]] = {}

    @staticmethod
    def _mark(path: Path) -> list[int] | None:
        try:
            found = path.stat()
        except OSError:
            return None
        return [found.st_size, found.st_mtime_ns]

    def remember(self, path: Path) -> None:
        """Note a backup known to be sound without checking it."""
        mark = self._mark(path)
        if mark is not None:
            self._found[str(path)] = mark

    def __call__(self, info: BackupInfo) -> bool:
        """True when the backup passes ``verify_backup`` (quick check)."""
        key, mark = str(info.path), self._mark(info.path)
        if mark is None:
            return False
        if self._found.get(key) != mark and self._known.get(key) != mark:
            try:
                verify_backup(info.path, thorough=False)
            except DeskError:
                return False
        self._found[key] = mark
        return True

    def save(self) -> None:
        """Store what is known about backups that still exist."""
        known = {
            key: mark for key, mark in (self._known | self._found).items() if Path(key).exists()
        }
        update_state(self.db_path, **{SOUND_BACKUPS: known})


def plan_thinning(
    backups: Sequence[BackupInfo],
    now: dt.datetime,
    policy: ThinningPolicy,
    is_sound: Callable[[BackupInfo], bool] | None = None,
) -> list[BackupInfo]:
    """The backups to delete: not kept by the policy, and not protected by their reason and age.

    The policy counts sound backups only (``is_sound``, all when None): the newest sound one of
    each day, week and month is kept, so the newest good backup and that day's good one always
    stay, even when a damaged backup was taken after them. The newest backup of all stays too,
    and on each day kept the newest sound backup of each kind (start, manual, before a step).
    """
    sound = [info for info in backups if is_sound is None or is_sound(info)]
    kept = kept_times((info.taken_at for info in sound), policy) | {
        max((info.taken_at for info in backups), default=now)
    }
    # On each day kept, the newest backup of each kind stays: a backup by hand does not push
    # out the start backup of the same day (which the window may have just named).
    days = {moment.date() for moment in kept}
    newest: dict[tuple[dt.date, str], dt.datetime] = {}
    for info in sound:
        key = (info.taken_at.date(), info.reason)
        if key[0] in days and info.taken_at > newest.get(key, dt.datetime.min):
            newest[key] = info.taken_at
    kept |= set(newest.values())
    return [
        info
        for info in backups
        if info.taken_at not in kept
        and not (info.reason != START and now - info.taken_at < PROTECTED_FOR)
    ]


def thin_folder(
    folder: Path,
    db_path: Path,
    policy: ThinningPolicy,
    now: dt.datetime,
    is_sound: Callable[[BackupInfo], bool] | None = None,
) -> list[Path]:
    """Delete the backups ``plan_thinning`` gives up and partial files left by crashes."""
    removed = []
    for info in plan_thinning(backups_in(folder, db_path), now, policy, is_sound):
        try:
            info.path.unlink()
            removed.append(info.path)
        except OSError:
            continue  # a backup that cannot be deleted is merely kept
    return removed + _remove_stale_partials_in(folder, db_path, now)


def remove_stale_partials(
    db_path: Path, now: dt.datetime | None = None, *, conn: sqlite3.Connection | None = None
) -> list[Path]:
    """Delete partial backups a crash left in the backup folders (at start); the files removed.

    ``conn``: a read-only connection on the database to read its backup settings through.
    """
    db_path = db_path.resolve()
    settings = backup_settings(db_path, conn)
    folders = dict.fromkeys(
        folder.resolve() for folder in (settings.folder, backup_dir_for(db_path))
    )
    now = now or dt.datetime.now()
    return [path for folder in folders for path in _remove_stale_partials_in(folder, db_path, now)]


def _remove_stale_partials_in(folder: Path, db_path: Path, now: dt.datetime) -> list[Path]:
    """``<database>.*.partial`` and its ``-journal`` unchanged for ``STALE_PARTIAL_AFTER``."""
    removed = []
    prefix = f"{db_path.name}."
    for partial in entries_named_from(folder, prefix):
        if ".partial" not in partial.name[len(prefix) :]:
            continue
        try:
            age = now - dt.datetime.fromtimestamp(partial.stat().st_mtime)
            if age > STALE_PARTIAL_AFTER:
                partial.unlink()
                removed.append(partial)
        except OSError:
            continue
    return removed


def entries_named_from(folder: Path, prefix: str) -> list[Path]:
    """What lies in ``folder`` under a name that begins with ``prefix`` (taken literally);
    nothing when the folder is missing or unreadable.

    Looked up at every start: a glob would compile a pattern of its own for each database name.
    """
    try:
        with os.scandir(folder) as entries:
            return [Path(entry.path) for entry in entries if entry.name.startswith(prefix)]
    except OSError:
        return []


# --------------------------------------------------------------------------------------------
# Checking and restoring
# --------------------------------------------------------------------------------------------


def verify_backup(path: Path, *, thorough: bool = True) -> str:
    """Check that ``path`` is a sound backup this app can open; returns its schema revision.

    Checks the SQLite header, that it is a Freelancer Desk database of a known schema revision,
    and SQLite's integrity and foreign-key checks. Raises BackupError saying what is wrong.
    """
    try:
        store.refuse_special_file(path)  # a folder, pipe or device is refused before any read
    except DeskError as exc:
        raise BackupError(
            _("{path} cannot be restored: {reason}").format(path=path, reason=exc)
        ) from exc
    if not path.is_file():
        raise BackupError(_("There is no backup file {path}.").format(path=path))
    try:
        store.check_is_sqlite_file(path)
        revision = store.read_schema_revision(path)
    except NotADatabaseError as exc:
        raise BackupError(
            _("{path} cannot be restored: {reason}").format(path=path, reason=exc)
        ) from exc
    if revision is None:
        raise BackupError(
            _(
                "{path} cannot be restored: it is not a Freelancer Desk database or it is empty."
            ).format(path=path)
        )
    if revision not in store.KNOWN_REVISIONS:
        raise BackupError(
            _(
                "{path} was made by a newer version of Freelancer Desk. Please update the app "
                "to restore it."
            ).format(path=path)
        )
    report = check_file(path, thorough=thorough)
    if not report.ok:
        raise BackupError(_("{summary} It cannot be restored.").format(summary=report.summary()))
    return revision


def restore(
    db_path: Path, backup_file: Path, *, progress: Callable[[int, int], None] | None = None
) -> RestoreResult:
    """Replace the database with a backup, keeping what it replaces.

    Order: check the backup; take the database's lock (DatabaseLockedError while another
    window or program has it open); copy the backup beside the database, erase in the copy the
    clients erased since (DOMAIN.md §5) and check it;
    back up the current database (or keep a byte copy when it is damaged); fold its write-ahead
    log in; then swap the files in one atomic rename. Any failure before the rename leaves the
    database as it was; after it, the backup of the replaced state is in the backup folder.
    """
    db_path = db_path.expanduser().resolve()
    backup_file = backup_file.expanduser().resolve()
    if backup_file in (db_path, wal_path_for(db_path), shm_path_for(db_path)):
        raise BackupError(_("A database cannot be restored from itself."))
    verify_backup(backup_file)
    store.check_writable(db_path)
    staged = staging_path_for(db_path)
    previous = damaged = None
    with store.exclusive_access(db_path):
        store.remove_leftovers(db_path)
        store.recover_after_crash(db_path)
        try:
            store.backup_database(backup_file, staged, progress=progress, check=False)
            erased_again = _erase_again_in(staged, db_path)
            staged_report = check_file(staged)
            if not staged_report.ok:
                raise BackupError(
                    _(
                        "The copy of the backup is not sound ({summary}). Nothing was changed."
                    ).format(summary=staged_report.summary())
                )
            if db_path.exists() and db_path.stat().st_size:
                if not check_file(db_path).problems:
                    previous = take_backup(db_path, BEFORE_RESTORE).info.path
                    _fold_log_into(db_path)
                else:
                    damaged = keep_damaged_copy(db_path)
            for leftover in (wal_path_for(db_path), shm_path_for(db_path)):
                leftover.unlink(missing_ok=True)
            staged.replace(db_path)
            store.fsync_file(db_path.parent)
        except OSError as exc:
            raise BackupError(
                _("Could not restore {path} ({reason}). The database was left as it was.").format(
                    path=db_path, reason=exc.strerror or exc
                )
            ) from exc
        finally:
            if staged.is_file():
                staged.unlink()
    update_state(db_path, clean=None)
    return RestoreResult(backup_file, previous, damaged, erased_again)


def _erase_again_in(staged: Path, db_path: Path) -> int:
    """Apply to a staged copy the erasures known for the database it will replace; how many
    clients it erased again."""
    from freelancer_desk import erasure

    register = erasure.known_register(db_path)
    if register is None:
        return 0
    try:
        return len(erasure.apply_to_copy(staged, register).erased)
    except sqlite3.Error as exc:
        raise BackupError(
            _(
                "Could not apply the erasures made since this backup ({reason}). Nothing "
                "was changed."
            ).format(reason=exc)
        ) from exc


def _fold_log_into(db_path: Path) -> None:
    """Write the log's changes into the database file and switch it to a rollback journal.

    Afterwards the file holds everything on its own, so its ``-wal`` may go: a stale log left
    beside a swapped-in file would be replayed into it and damage it.
    """
    try:
        conn = connect(db_path)
        conn.isolation_level = None
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(
            _(
                "Could not prepare {path} for the restore ({reason}). Is it open in another "
                "program? The database was left as it was."
            ).format(path=db_path, reason=exc)
        ) from exc
