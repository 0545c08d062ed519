"""``check``, ``backup`` and ``restore``: the data-safety commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from freelancer_desk import backups, formatting
from freelancer_desk.connection import shm_path_for, wal_path_for
from freelancer_desk.db import backup_database, check_is_sqlite_file, lock_path_for
from freelancer_desk.errors import DatabaseError, InputError
from freelancer_desk.i18n import _
from freelancer_desk.integrity import check_file, state_path_for
from freelancer_desk.location import location_warnings
from freelancer_desk.paths import program_command


def register(subparsers: argparse._SubParsersAction) -> None:
    from freelancer_desk.cli import db_option

    check = subparsers.add_parser(
        "check", help=_("check the database for damage (exit code 1 when damaged)")
    )
    db_option(check)
    check.add_argument(
        "--thorough",
        action="store_true",
        help=_("also compare every index with its table (slower)"),
    )
    check.set_defaults(handler=run_check)

    backup = subparsers.add_parser("backup", help=_("back up the database now, or list backups"))
    db_option(backup)
    target = backup.add_mutually_exclusive_group()
    target.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=_("write the backup to this file (default: the backup folder)"),
    )
    target.add_argument("--list", action="store_true", help=_("list the backups, newest first"))
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore", help=_("replace the database with a backup (the current state is backed up)")
    )
    db_option(restore)
    restore.add_argument("file", type=Path, metavar="FILE", help=_("the backup to restore"))
    restore.set_defaults(handler=run_restore)


def _database(args: argparse.Namespace, *, must_exist: bool = True) -> Path:
    """The database the arguments name; refused when it is not an SQLite file."""
    from freelancer_desk.cli import resolve_db

    path = resolve_db(args).expanduser().resolve()
    if not path.is_file() and (must_exist or not path.parent.is_dir()):
        raise DatabaseError(_("There is no database at {path}.").format(path=path))
    check_is_sqlite_file(path)
    return path


def describe(info: backups.BackupInfo) -> str:
    """One line about a backup: when, why, how big, where."""
    return (
        f"{formatting.date_time(info.taken_at)}  {info.reason_label()}  "
        f"{formatting.file_size(info.size)}  {info.path}"
    )


def run_check(args: argparse.Namespace) -> int:
    path = _database(args)
    report = check_file(path, thorough=args.thorough)
    print(report.summary())
    for line in report.details():
        print(f"  {line}")
    for warning in location_warnings(path):
        print(_("Warning: {message}").format(message=warning.message()))
    if report.ok:
        return 0
    good = backups.newest_good_backup(path)
    if good is None:
        print(_("No good backup was found."))
    else:
        print(_("Newest good backup: {backup}").format(backup=describe(good)))
        print(
            _("Restore it with: {command}").format(
                command=program_command("restore", "--db", path, good.path)
            )
        )
    return 1


def run_backup(args: argparse.Namespace) -> int:
    path = _database(args)
    if args.list:
        found = backups.list_backups(path)
        for info in found:
            print(describe(info))
        if not found:
            print(_("There are no backups of {path} yet.").format(path=path))
        return 0
    if args.out is not None:
        out = args.out.expanduser().resolve()
        companions = {
            path,
            wal_path_for(path),
            shm_path_for(path),
            lock_path_for(path),
            state_path_for(path),
        }
        if out in companions:
            raise InputError("--out", _("choose another file than the database and its companions"))
        backup_database(path, out)
        print(_("Backed up {db} to {file}.").format(db=path, file=out))
        return 0
    result = backups.take_backup(path, backups.MANUAL)
    print(_("Backed up {db} to {file}.").format(db=path, file=result.info.path))
    if result.warning():
        print(_("Warning: {message}").format(message=result.warning()))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    path = _database(args, must_exist=False)  # restoring onto a new computer is fine
    result = backups.restore(path, args.file)
    print(_("Restored {db} from {file}.").format(db=path, file=result.restored_from))
    if result.previous is not None:
        print(_("The replaced state was backed up to {file}.").format(file=result.previous))
    if result.damaged_copy is not None:
        print(
            _("A copy of the damaged database was kept as {file}.").format(file=result.damaged_copy)
        )
    if result.erased_again:
        print(backups.erased_again_text(result.erased_again, done=True))
    return 0
