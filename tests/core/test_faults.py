"""The fault suite: every way the file system, the disk or SQLite can fail gets a message, never a
traceback, and never costs a byte of data.

One case per fault, through the command line (a real process where the process boundary
matters: a file size limit, a plain user, a pipe that must not hang the program) and through the
services. The window shows the same messages (``tests/ui/test_safety_gui.py``); the kill -9
campaign is ``test_safety_campaign.py``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import stat
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from freelancer_desk import backups, exporting, faults
from freelancer_desk.cli import main
from freelancer_desk.csv_cells import neutralise, original
from freelancer_desk.db import (
    MAX_PATH_BYTES,
    SCHEMA_HEAD,
    Database,
    building_path_for,
    lock_path_for,
    open_database,
    read_schema_revision,
)
from freelancer_desk.errors import (
    BackupError,
    DatabaseBusyError,
    DatabaseError,
    InputError,
    NotADatabaseError,
)
from freelancer_desk.exporting import EXPORT_JSON, MAX_EXPORT_BYTES, export_all
from freelancer_desk.integrity import check_file
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import revenue as revenue_service
from tests.cli.program import hang_fails
from tests.core.safety_helpers import (
    client_names,
    count,
    damage,
    fill,
    run_each_as_plain_user,
    run_main,
)

POSIX = pytest.mark.skipif(os.name != "posix", reason="modes, pipes and devices are POSIX")
D = dt.datetime


def cli(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """``python main.py ARGS`` in this process: exit code, stdout, stderr."""
    code = main(["--lang", "en", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def one_line(stderr: str, *words: str) -> None:
    """A message of one line that names what went wrong; no traceback."""
    assert stderr.startswith("freelancer-desk: "), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    for word in words:
        assert word in stderr, (word, stderr)


def refused(result: object, *words: str) -> None:
    """A finished process that exited with 1 and said why in one line."""
    assert result.returncode == 1, result  # type: ignore[attr-defined]
    one_line(result.stderr, *words)  # type: ignore[attr-defined]


def demo(capsys: pytest.CaptureFixture[str], path: Path, clients: int = 4) -> None:
    code, _out, err = cli(
        capsys, "demo", "--db", path, "--clients", clients, "--entries", 30, "--interactions", 4
    )
    assert code == 0, err


# --------------------------------------------------------------------------------------------
# 1. Any path works
# --------------------------------------------------------------------------------------------


def test_a_folder_named_like_a_url_breaker_works_and_leaves_no_stray_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``#`` ends a URL's path, ``?`` starts its options, ``%`` an escape: opened through a URL,
    this folder made SQLite open a stray file "Kunden " — backups held nothing, a restore
    replaced real entries and ``check`` called the wrong file sound."""
    folder = tmp_path / "Kunden #1 ?%&'\"" / "Büro Ärger %41 #2"
    db = folder / "desk #1?.sqlite3"
    demo(capsys, db)
    code, out, err = cli(capsys, "status", "--json", "--db", db)
    assert code == 0, err
    assert len(json.loads(out)["clients"]) == 4
    code, out, _err = cli(capsys, "backup", "--db", db)
    assert code == 0
    (backup,) = backups.list_backups(db)
    assert len(client_names(backup.path)) == 4  # the backup holds the data, not an empty file
    with open_database(db) as database:
        clients_service.create_client(database, {"name": "Neu & Co. #5"})
    code, _out, err = cli(capsys, "restore", backup.path, "--db", db)
    assert code == 0, err
    assert "Neu & Co. #5" not in client_names(db) and len(client_names(db)) == 4
    code, out, _err = cli(capsys, "check", "--db", db)
    assert code == 0 and "is sound" in out
    code, _out, err = cli(capsys, "export", "--db", db, "--out", folder / "Export #1")
    assert code == 0, err
    stray = [
        path
        for path in tmp_path.rglob("*")
        if path not in folder.parents and folder not in (path, *path.parents)
    ]
    assert stray == []
    assert {entry.name for entry in folder.iterdir()} <= {
        "backups",
        "Export #1",
        db.name,
        *(db.name + end for end in COMPANIONS),
    }
    assert len(list((folder / "backups").iterdir())) == 2  # by hand, and before the restore
    # Every table, the JSON file and the do-not-contact list.
    assert {entry.name for entry in (folder / "Export #1").iterdir()} == {
        *(f"{table.name}.csv" for table in exporting.tables()),
        exporting.EXPORT_JSON,
        "do_not_contact.csv",
    }


#: What may lie beside a database: SQLite's log and index, the lock and the state file.
COMPANIONS = ("-wal", "-shm", ".lock", ".state.json")


def long_path(root: Path, size: int) -> Path:
    """A database path below ``root`` of at most ``size`` bytes, at most 31 fewer, umlauts in."""
    folder = root
    while len(os.fsencode(folder / "Kundenprojekte Ärger #1 & Co" / "desk.sqlite3")) <= size:
        folder = folder / "Kundenprojekte Ärger #1 & Co"
    return folder / "desk.sqlite3"


def test_a_long_path_works_and_one_too_long_gets_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = long_path(tmp_path, MAX_PATH_BYTES)
    assert len(os.fsencode(db)) > MAX_PATH_BYTES - 32
    demo(capsys, db)
    backup = backups.take_backup(db, backups.MANUAL).info.path
    assert backups.restore(db, backup).previous is not None
    assert check_file(db).ok
    too_long = long_path(tmp_path / "too long", MAX_PATH_BYTES + 40)
    code, _out, err = cli(capsys, "demo", "--db", too_long)
    assert code == 1
    one_line(err, "is too long", "shorter path")
    assert not too_long.exists()


# --------------------------------------------------------------------------------------------
# 2. Atomic creation
# --------------------------------------------------------------------------------------------


def half_made(path: Path, how: str) -> None:
    """What older versions left when killed while creating a database (no user rows)."""
    open_database(path).close()
    conn = sqlite3.connect(path)
    if how in ("some tables", "no version row"):
        conn.execute("DELETE FROM alembic_version")
    if how in ("some tables", "no catalogue"):
        conn.execute("DELETE FROM loss_reason")
    if how == "some tables":
        for table in ("reminder", "feedback_request", "step_decision", "setting"):
            conn.execute(f"DROP TABLE {table}")
    if how == "no tables":
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table'"
        ).fetchall():
            conn.execute(f'DROP TABLE "{table}"')
    conn.commit()
    conn.close()


@pytest.mark.parametrize("how", ["some tables", "no version row", "no catalogue", "no tables"])
def test_a_half_made_database_is_rebuilt_without_asking(tmp_path: Path, how: str) -> None:
    path = tmp_path / "desk.sqlite3"
    half_made(path, how)
    with open_database(path) as db:
        clients_service.create_client(db, {"name": "Erste Kundin"})
    assert read_schema_revision(path) == SCHEMA_HEAD
    assert count(path, "loss_reason") == 16
    assert client_names(path) == ["Erste Kundin"]
    assert check_file(path, thorough=True).ok
    assert not building_path_for(path).exists()


def test_a_database_with_user_rows_is_never_rebuilt(db_path: Path) -> None:
    """Without its catalogue, but holding a client: opened as it is, the client kept."""
    half_made(db_path, "no catalogue")
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO client (name, kind, archived, created_on, erased) "
        "VALUES ('Alpha', 'business', 0, '2025-01-01', 0)"
    )
    conn.commit()
    conn.close()
    inode = db_path.stat().st_ino
    open_database(db_path).close()
    assert db_path.stat().st_ino == inode  # the same file, not a rebuilt one
    assert client_names(db_path) == ["Alpha"]


# --------------------------------------------------------------------------------------------
# 3. Backups always good
# --------------------------------------------------------------------------------------------


def folder_state(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_a_damaged_database_is_refused_for_backup_and_the_backups_stay(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": "Alpha"})
    backups.take_backup(db_path, backups.MANUAL, now=D(2025, 1, 1, 9))
    folder = db_path.parent / "backups"
    before = folder_state(folder)
    damage(db_path)
    with pytest.raises(BackupError, match=r"is damaged .*no backup was made"):
        backups.take_backup(db_path, backups.MANUAL, now=D(2025, 1, 2, 9))
    code, _out, err = cli(capsys, "backup", "--db", db_path)
    assert code == 1
    one_line(err, "is damaged", "no backup was made", "were kept")
    code, _out, err = cli(capsys, "backup", "--db", db_path, "--out", db_path.parent / "x.db")
    assert code == 1 and not (db_path.parent / "x.db").exists()
    assert folder_state(folder) == before


def legacy_damaged_backup(db_path: Path, good: Path, taken_at: dt.datetime) -> Path:
    """A damaged backup as an older version could leave (it copied a damaged database)."""
    path = good.with_name(backups.backup_name(db_path, taken_at, backups.START))
    shutil.copyfile(good, path)
    damage(path)
    return path


def test_thinning_never_removes_the_newest_good_backup_nor_that_days(db_path: Path) -> None:
    """9:00 a good backup, 12:00 a damaged one, both on 3 March; one backup a day is kept.
    Before, the damaged one counted as that day's backup and the good one was deleted."""
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": "Alpha"})
    good = backups.take_backup(db_path, backups.START, now=D(2025, 3, 3, 9)).info.path
    bad = legacy_damaged_backup(db_path, good, D(2025, 3, 3, 12))
    policy = backups.ThinningPolicy(daily=1, weekly=0, monthly=0)
    folder = db_path.parent / "backups"
    sound = backups.SoundBackups(db_path)
    removed = backups.thin_folder(folder, db_path, policy, D(2025, 3, 3, 13), sound)
    assert removed == [] and good.exists() and bad.exists()  # bad is merely the newest
    later = legacy_damaged_backup(db_path, good, D(2025, 3, 4, 12))
    removed = backups.thin_folder(folder, db_path, policy, D(2025, 3, 4, 13), sound)
    assert removed == [bad] and good.exists() and later.exists()
    assert backups.newest_good_backup(db_path).path == good  # type: ignore[union-attr]


def test_thinning_counts_only_sound_backups() -> None:
    """Plan: days with only damaged backups do not use up the kept days."""
    infos = [
        backups.BackupInfo(Path(f"d.{day}"), D(2025, 3, day, 9), backups.START, 1)
        for day in range(1, 6)
    ]
    sound = {D(2025, 3, 1, 9), D(2025, 3, 2, 9)}
    plan = backups.plan_thinning(
        infos,
        D(2025, 3, 5, 10),
        backups.ThinningPolicy(daily=2, weekly=0, monthly=0),
        lambda info: info.taken_at in sound,
    )
    assert [info.taken_at.day for info in plan] == [3, 4]  # 5 is the newest, 1 and 2 are good


def test_leftovers_of_a_crash_are_removed_at_the_next_start(db_path: Path) -> None:
    folder = db_path.parent / "backups"
    folder.mkdir()
    stale = [
        db_path.with_name(f".{db_path.name}.restoring"),
        db_path.with_name(f".{db_path.name}.restoring.partial-journal"),
        building_path_for(db_path),
        building_path_for(db_path).with_name(building_path_for(db_path).name + "-journal"),
        folder / f"{db_path.name}.20250101-090000.manual.sqlite3.partial",
        folder / f"{db_path.name}.20250101-090000.manual.sqlite3.partial-journal",
    ]
    young = folder / f"{db_path.name}.20250101-100000.manual.sqlite3.partial"
    for path in [*stale, young]:
        path.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    for path in stale[4:]:
        os.utime(path, (an_hour_ago, an_hour_ago))
    open_database(db_path).close()
    assert [path.name for path in stale if path.exists()] == []
    assert young.exists()  # another program may be writing that backup right now


def test_deleting_a_client_takes_a_backup_first(db: Database) -> None:
    alpha = clients_service.create_client(db, {"name": "Alpha"})
    clients_service.create_client(db, {"name": "Beta"})
    revenue_service.create_entry(
        db, {"client_id": alpha.id, "invoice_date": dt.date(2025, 5, 1), "net": "1200.00"}
    )
    backup = clients_service.delete_client(db, alpha.id)  # type: ignore[arg-type]
    assert client_names(db.path) == ["Beta"]
    assert client_names(backup) == ["Alpha", "Beta"] and count(backup, "revenue_entry") == 1
    assert backups.parse_backup_name(backup.name)[2] == backups.BEFORE_DELETE  # type: ignore[index]


def test_without_a_backup_no_client_is_deleted(db: Database) -> None:
    alpha = clients_service.create_client(db, {"name": "Alpha"})
    (db.path.parent / "backups").write_text("a file where the backup folder goes")
    with pytest.raises(BackupError, match="backup folder"):
        clients_service.delete_client(db, alpha.id)  # type: ignore[arg-type]
    assert client_names(db.path) == ["Alpha"]


# --------------------------------------------------------------------------------------------
# 4. Every fault gets a message
# --------------------------------------------------------------------------------------------


@POSIX
def test_a_full_disk_while_writing_keeps_what_was_saved(db_path: Path) -> None:
    """The kernel lets no file of the process grow past the limit (RLIMIT_FSIZE)."""
    result = run_main(
        "demo", "--db", db_path, "--clients", 300, "--entries", 20_000,
        file_size_limit=db_path.stat().st_size + 64_000,
    )  # fmt: skip
    refused(result, "disk", "everything saved before is intact")
    assert count(db_path, "client") == 0 and check_file(db_path, thorough=True).ok


@POSIX
def test_a_full_disk_while_creating_leaves_no_half_database(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    refused(run_main("demo", "--db", db, file_size_limit=20_000), "disk")
    assert not db.exists() or read_schema_revision(db) == SCHEMA_HEAD
    assert not building_path_for(db).exists()


@POSIX
def test_a_full_disk_while_backing_up_or_exporting_writes_nothing_half(
    db_path: Path, tmp_path: Path
) -> None:
    fill(db_path, 1500, note_words=100)
    limit = 200_000
    refused(
        run_main("backup", "--db", db_path, file_size_limit=limit), "Could not write the backup"
    )
    assert backups.list_backups(db_path) == []
    assert [p.name for p in (db_path.parent / "backups").iterdir()] == []  # no partial left
    out = tmp_path / "export"
    refused(run_main("export", "--db", db_path, "--out", out, file_size_limit=limit), "disk")
    assert not out.exists() and not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux's /proc")
def test_an_input_output_error_gets_a_message(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Reading the start of ``/proc/self/mem`` fails with EIO, as a failing drive does."""
    for args in (
        ("check", "--db", "/proc/self/mem"),
        ("status", "--db", "/proc/self/mem"),
        ("restore", "/proc/self/mem", "--db", db_path),
    ):
        code, _out, err = cli(capsys, *args)
        assert code == 1
        one_line(err, "Input/output error", "Is the drive still connected?")


@pytest.fixture
def busy_after() -> Iterator[float]:
    """Give up waiting for another program's lock after a fifth of a second (5 s in the app)."""
    kept = faults.BUSY_TIMEOUT_MS
    faults.BUSY_TIMEOUT_MS = 200
    yield 0.2
    faults.BUSY_TIMEOUT_MS = kept


def test_a_database_busy_in_another_program_waits_then_says_so(
    db_path: Path, busy_after: float, capsys: pytest.CaptureFixture[str]
) -> None:
    other = sqlite3.connect(db_path, isolation_level=None)  # e.g. a database tool writing
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO client_group (name) VALUES ('other program')")
    try:
        with open_database(db_path) as db:
            started = time.monotonic()
            with pytest.raises(DatabaseBusyError, match="is busy: another program"):
                clients_service.create_client(db, {"name": "Alpha"})
            assert time.monotonic() - started >= busy_after
        code, _out, err = cli(capsys, "demo", "--db", db_path)
        assert code == 1
        one_line(err, "is busy", "Nothing was changed")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert client_names(db_path) == []


def test_a_reader_of_a_locked_rollback_journal_file_says_busy(
    db_path: Path, busy_after: float, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file in rollback-journal mode (as a restored backup is) that another program writes:
    ``status`` waits, then says so."""
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        code, _out, err = cli(capsys, "status", "--db", db_path)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1
    one_line(err, "is busy")


@POSIX
def test_a_read_only_folder_is_called_read_only_and_still_read(
    db_path: Path, tmp_path: Path
) -> None:
    """Writers are refused with "read-only"; ``check``, ``status`` and ``export`` still work —
    ``check`` used to call such a file damaged."""
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": "Alpha"})
    before = db_path.read_bytes()
    db_path.parent.chmod(0o555)
    try:
        outside = tmp_path.parent / f"{tmp_path.name}-export"
        writer, checked, status, exported = run_each_as_plain_user(
            ("demo", "--db", db_path),
            ("check", "--db", db_path),
            ("status", "--json", "--db", db_path),
            ("export", "--db", db_path, "--out", outside),
        )
        refused(writer, "is read-only")
        assert checked.returncode == 0 and "is sound" in checked.stdout, checked.stderr
        assert status.returncode == 0, status.stderr
        assert exported.returncode == 0, exported.stderr
        shutil.rmtree(outside)
    finally:
        db_path.parent.chmod(0o755)
    assert db_path.read_bytes() == before


@POSIX
def test_an_unwritable_lock_file_gets_a_message(db_path: Path) -> None:
    lock = lock_path_for(db_path)
    lock.touch()
    lock.chmod(0o444)
    refused(
        run_main("demo", "--db", db_path, plain_user=True),
        f"The lock file {lock} cannot be used",
        "Permission denied",
    )


@POSIX
@pytest.mark.parametrize("kind", ["folder", "pipe", "link"])
def test_a_foreign_lock_file_is_refused_and_left_alone(
    db_path: Path, tmp_path: Path, kind: str
) -> None:
    lock = lock_path_for(db_path)
    elsewhere = tmp_path / "notes.txt"
    elsewhere.write_text("somebody's notes")
    if kind == "folder":
        lock.mkdir()
    elif kind == "pipe":
        os.mkfifo(lock)
    else:
        lock.symlink_to(elsewhere)
    with pytest.raises(DatabaseError, match=r"lock file .* cannot be used"):
        open_database(db_path)
    assert lock.is_symlink() or lock.exists()
    assert elsewhere.read_text() == "somebody's notes"


def test_status_and_export_of_a_damaged_database_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "desk.sqlite3"
    demo(capsys, db, clients=12)
    damage(db, "revenue_entry")
    for args in (("status",), ("status", "--json"), ("export", "--out", tmp_path / "out")):
        code, out, err = cli(capsys, *args, "--db", db)
        assert code == 1 and out == ""
        one_line(err, "is damaged", "restore")
    assert not (tmp_path / "out").exists()


def test_damage_found_while_reading_is_said_in_words(db_path: Path) -> None:
    """A file damaged under an open database (another program, a failing disk)."""
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": "Alpha"})
    with open_database(db_path, writable=False) as reader:
        damage(db_path)
        with pytest.raises(
            NotADatabaseError,
            match=rf"is damaged .*python main\.py check --db {re.escape(str(db_path))} ",
        ):
            clients_service.client_rows(reader)


@POSIX
def test_a_pipe_is_refused_at_once(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Opening a pipe blocks until some program writes into it: the command would hang, so a
    hang fails the test instead of the test run."""
    pipe = tmp_path / "a pipe"
    os.mkfifo(pipe)
    what = "is a device, a pipe or a socket"
    for args, words in (
        (("status", "--db", pipe), (what,)),
        (("restore", pipe, "--db", db_path), ("cannot be restored", what)),
        (("backup", "--db", db_path, "--out", pipe), (what,)),
        (("import", "export", pipe, "--db", db_path), (what,)),
    ):
        with hang_fails(30):
            code, _out, err = cli(capsys, *args)
        assert code == 1, err
        one_line(err, *words)


@POSIX
@pytest.mark.parametrize("kind", ["folder", "zero device", "null device", "full device"])
def test_folders_and_devices_are_refused_at_once(
    tmp_path: Path, db_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``/dev/zero`` never ends, ``/dev/null`` read as an empty database, ``/dev/full`` takes
    nothing: none is a database or a backup."""
    path = Path({"zero device": "/dev/zero", "null device": "/dev/null"}.get(kind, "/dev/full"))
    if kind == "folder":
        path = tmp_path / "a folder"
        path.mkdir()
    what = "is a folder" if kind == "folder" else "is a device, a pipe or a socket"
    for args in (
        ("status", "--db", path),
        ("demo", "--db", path),
        ("restore", path, "--db", db_path),
        ("backup", "--db", db_path, "--out", path),
        *([("import", "export", path, "--db", db_path)] if kind != "folder" else []),
    ):
        code, _out, err = cli(capsys, *args)
        assert code == 1
        one_line(err, what)
    assert backups.list_backups(db_path) == []


# --------------------------------------------------------------------------------------------
# 6. Exports are safe
# --------------------------------------------------------------------------------------------

FORMULAS = {
    "name": '=HYPERLINK("http://evil.example","Rechnung")',
    "contact_person": "@SUM(A1:A9)",
    "phone": "+49 30 1234567",
    "notes": "-2+3",
    "address": "=cmd|' /C calc'!A0",
}


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_formula_cells_are_neutralised_and_the_export_round_trip_is_exact(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = clients_service.create_client(db, FORMULAS)
    revenue_service.create_entry(
        db,
        {
            "client_id": client.id,
            "invoice_date": dt.date(2025, 5, 1),
            "net": "-500.00",
            "invoice_number": "=1+2",
        },
    )
    export_all(db, tmp_path / "out")
    (row,) = read_rows(tmp_path / "out" / "client.csv")
    for field, text in FORMULAS.items():
        assert row[field] == "'" + text, field
    (entry,) = read_rows(tmp_path / "out" / "revenue_entry.csv")
    assert entry["net"] == "-500.00"  # a number stays a number
    assert entry["invoice_number"] == "'=1+2" and entry["client"] == "'" + FORMULAS["name"]
    document = json.loads((tmp_path / "out" / EXPORT_JSON).read_text(encoding="utf-8"))
    assert document["tables"]["client"][0]["name"] == FORMULAS["name"]  # JSON keeps it exact
    target = tmp_path / "restored.sqlite3"
    code, _out, err = cli(capsys, "import", "export", tmp_path / "out", "--db", target)
    assert code == 0, err
    with open_database(target) as restored:
        (back,) = clients_service.client_rows(restored)
        full = clients_service.get_client(restored, back.id)
        assert {field: getattr(full, field) for field in FORMULAS} == FORMULAS
        (money,) = revenue_service.list_entries(restored)
        assert money.net == Decimal("-500.00") and money.invoice_number == "=1+2"


def test_an_oversized_export_file_is_refused_with_the_limit_named(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = tmp_path / "freelancer-desk-export.json"
    with huge.open("wb") as handle:  # a sparse file: large, but it takes no room on the disk
        handle.truncate(MAX_EXPORT_BYTES + 1)
    code, _out, err = cli(capsys, "import", "export", huge, "--db", db_path)
    assert code == 1
    one_line(err, "is larger than 200 MB")


@pytest.mark.parametrize(
    "text", ["=1", "+1", "-1", "@x", "\t=1", "\r=1", "'=1", "''-1", "ok", "", "'", "it's"]
)
def test_neutralised_cells_give_back_the_original(text: str) -> None:
    assert original(neutralise(text)) == text


@POSIX
def test_export_folders_and_files_are_private(
    db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Readable only by the user: a whole export and one client's, as the command writes them,
    also over files an earlier export left readable for everyone."""
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": "Müller GmbH"})
    for extra in ((), ("--client", "Müller GmbH")):
        out = tmp_path / f"export{len(extra)}"
        code, _out, err = cli(capsys, "export", "--db", db_path, "--out", out, *extra)
        assert code == 0, err
        assert stat.S_IMODE(out.stat().st_mode) == 0o700
        assert {stat.S_IMODE(path.stat().st_mode) for path in out.iterdir()} == {0o600}
    (tmp_path / "export0" / "client.csv").chmod(0o644)
    code, _out, err = cli(capsys, "export", "--db", db_path, "--out", tmp_path / "export0")
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "export0" / "client.csv").stat().st_mode) == 0o600


# --------------------------------------------------------------------------------------------
# 7. One e-mail address each
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("anna@example.de\r\nBcc: alle@example.de", "on one line"),
        ("anna@example.de\nfritz@example.de", "on one line"),
        ("anna@example.de, fritz@example.de", "not a list"),
        ("anna@example.de;fritz@example.de", "not a list"),
        ("anna@example.de?cc=fritz@example.de", "question mark"),
        ("Anna <anna@example.de>", "not an email address"),
        ("anna@example", "not an email address"),
        ("anna.example.de", "not an email address"),
        ("anna@@example.de", "not an email address"),
        ("@example.de", "not an email address"),
    ],
)
def test_an_email_address_is_one_address(db: Database, address: str, reason: str) -> None:
    with pytest.raises(InputError, match=f"Email: .*{reason}") as caught:
        clients_service.create_client(db, {"name": "Anna", "email": address})
    assert caught.value.field == "email"
    client = clients_service.create_client(db, {"name": "Anna", "email": "anna@büro-müller.de"})
    with pytest.raises(InputError, match=reason):
        clients_service.update_client(db, client.id, {"email": address})  # type: ignore[arg-type]
    assert clients_service.get_client(db, client.id).email == "anna@büro-müller.de"  # type: ignore[arg-type]
