"""Backups: names, modes, change detection, the chosen folder, thinning over simulated dates,
checking backups and restoring them."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freelancer_desk import backups
from freelancer_desk.backups import BackupInfo, ThinningPolicy, kept_times, plan_thinning
from freelancer_desk.db import Database, backup_database, open_database
from freelancer_desk.errors import BackupError, DatabaseLockedError
from freelancer_desk.integrity import check_file, wal_path_for
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import settings as settings_service
from tests.core.safety_helpers import add_client, client_names, damage

D = dt.datetime
POSIX = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def info(moment: dt.datetime, reason: str = backups.START) -> BackupInfo:
    return BackupInfo(Path(f"x.{moment:%Y%m%d-%H%M%S}.{reason}.sqlite3"), moment, reason, 1)


# --------------------------------------------------------------------------------------------
# Thinning over simulated dates
# --------------------------------------------------------------------------------------------


def test_daily_backups_for_a_year_thin_to_days_weeks_and_months() -> None:
    """One backup at 9:00 every day from 12 May 2024 to Sunday 15 June 2025.

    Days: 9–15 June. Weeks (ISO, newest of each): 15 June (week 24, already kept), 8 June,
    1 June, 25 May. Months (newest of each): 15 June (kept), 31 May, 30 Apr, 31 Mar, 28 Feb,
    31 Jan, 31 Dec, 30 Nov, 31 Oct, 30 Sep, 31 Aug, 31 Jul 2024.
    """
    first, last = D(2024, 5, 12, 9), D(2025, 6, 15, 9)
    times = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    kept = kept_times(times, ThinningPolicy(daily=7, weekly=4, monthly=12))
    expected = {D(2025, 6, day, 9) for day in range(9, 16)}
    expected |= {D(2025, 6, 8, 9), D(2025, 6, 1, 9), D(2025, 5, 25, 9)}
    expected |= {
        D(2025, 5, 31, 9),
        D(2025, 4, 30, 9),
        D(2025, 3, 31, 9),
        D(2025, 2, 28, 9),
        D(2025, 1, 31, 9),
        D(2024, 12, 31, 9),
        D(2024, 11, 30, 9),
        D(2024, 10, 31, 9),
        D(2024, 9, 30, 9),
        D(2024, 8, 31, 9),
        D(2024, 7, 31, 9),
    }
    assert kept == expected
    assert len(kept) == 21


def test_several_backups_a_day_keep_the_newest_of_each_day() -> None:
    times = [
        D(2025, 3, 3, 8),
        D(2025, 3, 3, 12),
        D(2025, 3, 3, 18),
        D(2025, 3, 4, 9),
        D(2025, 3, 4, 17),
    ]
    kept = kept_times(times, ThinningPolicy(daily=7, weekly=0, monthly=0))
    assert kept == {D(2025, 3, 3, 18), D(2025, 3, 4, 17)}


def test_days_count_only_when_the_laptop_was_used() -> None:
    """Used on three days in six weeks: all three stay, although two are weeks old."""
    times = [D(2025, 1, 2, 10), D(2025, 1, 20, 10), D(2025, 2, 12, 10)]
    assert kept_times(times, ThinningPolicy(daily=7, weekly=0, monthly=0)) == set(times)


def test_the_newest_backup_always_survives() -> None:
    times = [D(2025, 1, 1), D(2025, 1, 2)]
    assert kept_times(times, ThinningPolicy(daily=1, weekly=0, monthly=0)) == {D(2025, 1, 2)}
    assert kept_times([], ThinningPolicy()) == set()


def test_backups_before_risky_steps_are_kept_thirty_days() -> None:
    now = D(2025, 6, 30, 12)
    young_erase = info(D(2025, 6, 20, 9), backups.BEFORE_ERASE)  # 10 days old
    old_erase = info(D(2025, 5, 25, 9), backups.BEFORE_ERASE)  # 36 days old
    same_day_start = info(D(2025, 6, 20, 18))  # the newest of 20 June
    old_same_day_start = info(D(2025, 5, 25, 18))
    newest = info(D(2025, 6, 30, 9))
    plan = plan_thinning(
        [newest, same_day_start, young_erase, old_same_day_start, old_erase],
        now,
        ThinningPolicy(daily=2, weekly=0, monthly=0),
    )
    assert plan == [old_same_day_start, old_erase]


def test_running_the_app_daily_for_two_years_keeps_the_folder_small() -> None:
    """Each simulated day: a backup at start (2–3 on some days), then thinning, like the app."""
    policy = ThinningPolicy(daily=7, weekly=4, monthly=12)
    held: list[BackupInfo] = []
    day = D(2024, 1, 1, 8)
    for number in range(730):
        for extra_hour in range(1 + number % 3):
            held.append(info(day + dt.timedelta(days=number, hours=extra_hour * 4)))
        now = held[-1].taken_at
        doomed = plan_thinning(held, now, policy)
        held = [backup for backup in held if backup not in doomed]
        assert held[-1].taken_at == now  # never the one just taken
        assert len(held) <= 7 + 4 + 12
    months = {(backup.taken_at.year, backup.taken_at.month) for backup in held}
    assert len(months) == 12  # a year of history remains, one per month at least


@given(
    st.lists(st.datetimes(min_value=D(2000, 1, 1), max_value=D(2040, 1, 1)), max_size=60),
    st.integers(1, 10),
    st.integers(0, 6),
    st.integers(0, 14),
)
def test_thinning_is_bounded_and_stable(
    times: list[dt.datetime], daily: int, weekly: int, monthly: int
) -> None:
    policy = ThinningPolicy(daily, weekly, monthly)
    kept = kept_times(times, policy)
    assert kept <= set(times)
    assert len(kept) <= daily + weekly + monthly
    if times:
        assert max(times) in kept
    assert kept_times(kept, policy) == kept  # thinning again removes nothing more


# --------------------------------------------------------------------------------------------
# Taking backups
# --------------------------------------------------------------------------------------------


def test_backup_names_read_back() -> None:
    db_path = Path("/data/my.desk.sqlite3")
    name = backups.backup_name(db_path, D(2025, 7, 1, 9, 30, 5), backups.BEFORE_MERGE, 2)
    assert name == "my.desk.sqlite3.20250701-093005-2.before-merge.sqlite3"
    assert backups.parse_backup_name(name) == (
        "my.desk.sqlite3",
        D(2025, 7, 1, 9, 30, 5),
        "before-merge",
    )
    assert backups.parse_backup_name("my.desk.sqlite3") is None
    assert backups.parse_backup_name(name + ".partial") is None


@POSIX
def test_backup_is_private_complete_and_self_contained(db: Database) -> None:
    clients_service.create_client(db, {"name": "Müller GmbH"})  # still in the write-ahead log
    result = backups.take_backup(db.path, backups.MANUAL)
    path = result.info.path
    assert path.parent == db.path.parent / "backups"
    assert result.warning() is None
    assert (path.stat().st_mode & 0o777) == 0o600
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert client_names(path) == ["Müller GmbH"]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert not wal_path_for(path).exists()
    assert [found.path for found in backups.list_backups(db.path)] == [path]


def test_two_backups_in_one_second_get_distinct_names(db: Database) -> None:
    moment = D(2025, 1, 1, 12)
    first = backups.take_backup(db.path, backups.MANUAL, now=moment).info.path
    second = backups.take_backup(db.path, backups.MANUAL, now=moment).info.path
    assert first != second and first.exists() and second.exists()


def test_backup_at_start_only_when_the_data_changed(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    first = backups.backup_at_start(db_path)
    assert first is not None and first.info.reason == backups.START
    with open_database(db_path):
        pass  # opened and closed without a change
    assert backups.backup_at_start(db_path) is None
    add_client(db_path, "Beta")
    second = backups.backup_at_start(db_path)
    assert second is not None and client_names(second.info.path) == ["Alpha", "Beta"]
    second.info.path.unlink()  # the user deleted the last backup: take a new one
    assert backups.backup_at_start(db_path) is not None


def test_no_start_backup_of_a_database_without_data(db_path: Path) -> None:
    assert backups.backup_at_start(db_path) is None  # new and empty: nothing to keep
    assert backups.list_backups(db_path) == []
    add_client(db_path, "Alpha")
    assert backups.backup_at_start(db_path) is not None


def test_a_backup_by_hand_keeps_the_start_backup_of_the_same_day(db: Database) -> None:
    settings_service.save(db, backup_keep_daily=2, backup_keep_weekly=0, backup_keep_monthly=0)
    clients_service.create_client(db, {"name": "Alpha"})
    at_start = backups.take_backup(db.path, backups.START, now=D(2025, 1, 6, 8)).info.path
    backups.take_backup(db.path, backups.MANUAL, now=D(2025, 1, 6, 12))
    backups.take_backup(db.path, backups.MANUAL, now=D(2025, 1, 6, 15))
    kept = [(b.taken_at.hour, b.reason) for b in backups.list_backups(db.path)]
    # The start backup the status bar named stays; of the two by hand, the newer one and the
    # older (kept 30 days as every backup by hand) both stay too.
    assert at_start.exists() and (8, backups.START) in kept
    # Days the rotation gives up lose every kind: only the newest of each kept day stays.
    later = [backups.take_backup(db.path, backups.START, now=D(2025, 3, day, 8)) for day in (1, 2)]
    names = {b.path for b in backups.list_backups(db.path)}
    assert not at_start.exists() and {r.info.path for r in later} <= names


def test_safety_backup_holds_what_was_saved_before_the_risky_step(db: Database) -> None:
    clients_service.create_client(db, {"name": "To be erased"})
    path = backups.safety_backup(db, backups.BEFORE_ERASE)
    assert "before-erase" in path.name
    assert client_names(path) == ["To be erased"]


def test_backups_go_to_the_chosen_folder_or_beside_the_database(
    db: Database, tmp_path: Path
) -> None:
    external = tmp_path / "external-drive"
    external.mkdir()
    settings_service.save(db, backup_folder=str(external))
    assert backups.take_backup(db.path, backups.MANUAL).info.path.parent == external
    unplugged = tmp_path / "unplugged" / "Desk"
    settings_service.save(db, backup_folder=str(unplugged))
    result = backups.take_backup(db.path, backups.MANUAL)
    assert result.info.path.parent == db.path.parent / "backups"
    assert result.unreachable == unplugged
    assert str(unplugged) in (result.warning() or "")
    assert not unplugged.exists()  # never created on the local disk in place of the drive
    assert len(backups.list_backups(db.path)) == 1  # the chosen folder is gone, default listed


def test_backup_folder_setting_is_validated(db: Database) -> None:
    from freelancer_desk.errors import InputError

    with pytest.raises(InputError, match="full path"):
        settings_service.save(db, backup_folder="relative/folder")
    with pytest.raises(InputError):
        settings_service.save(db, backup_keep_daily=0)


def test_thinning_runs_after_each_backup_and_removes_stale_partials(db: Database) -> None:
    settings_service.save(db, backup_keep_daily=2, backup_keep_weekly=0, backup_keep_monthly=0)
    for day in (1, 2, 3):
        backups.take_backup(db.path, backups.START, now=D(2025, 1, day, 9))
    folder = db.path.parent / "backups"
    crashed = folder / (db.path.name + ".20250101-090000.start.sqlite3.partial")
    crashed.write_bytes(b"half a backup")
    os.utime(crashed, (0, 0))
    backups.take_backup(db.path, backups.START, now=D(2025, 1, 4, 9))
    assert [found.taken_at.day for found in backups.list_backups(db.path)] == [4, 3]
    assert not crashed.exists()


# --------------------------------------------------------------------------------------------
# Checking backups
# --------------------------------------------------------------------------------------------


def test_verify_backup_refuses_what_cannot_be_restored(db_path: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database")
    with pytest.raises(BackupError, match="not a Freelancer Desk database"):
        backups.verify_backup(text)
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="another program"):
        backups.verify_backup(other)
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(db_path.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(BackupError, match="newer version"):
        backups.verify_backup(newer)
    with pytest.raises(BackupError, match="There is no backup"):
        backups.verify_backup(tmp_path / "missing.sqlite3")
    assert backups.verify_backup(db_path)  # the revision of a sound database


def test_newest_good_backup_skips_a_damaged_one(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    good = backups.take_backup(db_path, backups.MANUAL, now=D(2025, 1, 1, 9)).info
    bad = backups.take_backup(db_path, backups.MANUAL, now=D(2025, 1, 2, 9)).info
    damage(bad.path)
    assert backups.newest_good_backup(db_path) == good


# --------------------------------------------------------------------------------------------
# Restoring
# --------------------------------------------------------------------------------------------


def test_restore_brings_back_the_backup_and_keeps_the_replaced_state(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    add_client(db_path, "Beta")
    result = backups.restore(db_path, backup)
    assert client_names(db_path) == ["Alpha"]
    assert result.previous is not None and client_names(result.previous) == ["Alpha", "Beta"]
    assert result.damaged_copy is None
    assert check_file(db_path, thorough=True).ok
    if os.name == "posix":
        assert (db_path.stat().st_mode & 0o777) == 0o600
    with open_database(db_path) as db:  # the app opens it and writes again
        clients_service.create_client(db, {"name": "Gamma"})
        if os.name == "posix":  # its lock file is as private as the database
            lock = db_path.with_name(db_path.name + ".lock")
            assert (lock.stat().st_mode & 0o777) == 0o600
    assert client_names(db_path) == ["Alpha", "Gamma"]


def test_restore_never_replaces_a_database_that_is_open(db: Database) -> None:
    clients_service.create_client(db, {"name": "Open here"})
    backup = backups.take_backup(db.path, backups.MANUAL).info.path
    clients_service.create_client(db, {"name": "Added later"})
    with pytest.raises(DatabaseLockedError, match="already open"):
        backups.restore(db.path, backup)
    assert [row.name for row in clients_service.client_rows(db)] == ["Added later", "Open here"]


def test_a_bad_backup_leaves_the_database_as_it_was(db_path: Path, tmp_path: Path) -> None:
    add_client(db_path, "Alpha")
    bad = backups.take_backup(db_path, backups.MANUAL).info.path
    damage(bad)
    before = db_path.read_bytes()
    with pytest.raises(BackupError, match="damaged"):
        backups.restore(db_path, bad)
    assert db_path.read_bytes() == before
    with pytest.raises(BackupError, match="from itself"):
        backups.restore(db_path, db_path)


def test_restore_stops_when_the_backup_cannot_be_staged(db_path: Path) -> None:
    """Something blocks the staging file beside the database (here a folder of that name)."""
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    add_client(db_path, "Beta")
    blocker = db_path.with_name(f".{db_path.name}.restoring")
    blocker.mkdir()
    (blocker / "something").write_text("x")
    with pytest.raises(BackupError, match="not changed"):
        backups.restore(db_path, backup)
    assert client_names(db_path) == ["Alpha", "Beta"]
    assert blocker.is_dir()


def test_restore_stops_when_the_current_state_cannot_be_backed_up(
    db_path: Path, tmp_path: Path
) -> None:
    """No backup of what would be replaced, no restore: a file blocks the backup folder."""
    add_client(db_path, "Alpha")
    elsewhere = tmp_path / "saved.sqlite3"
    backup_database(db_path, elsewhere)
    add_client(db_path, "Beta")
    (db_path.parent / "backups").write_text("a file where the backup folder should be")
    with pytest.raises(BackupError, match="backup folder"):
        backups.restore(db_path, elsewhere)
    assert client_names(db_path) == ["Alpha", "Beta"]
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(".")) == []


def test_restore_over_a_damaged_database_keeps_a_copy_of_it(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    damage(db_path)
    damaged_bytes = db_path.read_bytes()
    result = backups.restore(db_path, backup)
    assert result.previous is None
    assert result.damaged_copy is not None and result.damaged_copy.read_bytes() == damaged_bytes
    assert client_names(db_path) == ["Alpha"]
    assert result.damaged_copy not in [found.path for found in backups.list_backups(db_path)]


def test_restore_onto_a_new_computer(tmp_path: Path, db_path: Path) -> None:
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    fresh = tmp_path / "new-laptop" / "desk.sqlite3"
    fresh.parent.mkdir()
    result = backups.restore(fresh, backup)
    assert result.previous is None and client_names(fresh) == ["Alpha"]
