"""``check``, ``backup`` and ``restore`` as a user runs them."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

from freelancer_desk import backups
from tests.cli.program import run_in_process
from tests.core.safety_helpers import add_client, client_names, damage


def run(db_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_in_process(*args, db=db_path)


def test_check_a_sound_and_a_damaged_database(db_path: Path) -> None:
    add_client(db_path, "Alpha")
    sound = run(db_path, "check", "--thorough")
    assert sound.returncode == 0, sound.stderr
    assert sound.stdout.startswith(f"{db_path} is sound.")
    good = backups.take_backup(db_path, backups.MANUAL).info.path
    damage(db_path)
    damaged = run(db_path, "check")
    assert damaged.returncode == 1
    assert "is damaged" in damaged.stdout
    assert "Newest good backup: " in damaged.stdout and str(good) in damaged.stdout
    assert f"python main.py restore --db {db_path} {good}" in damaged.stdout


def test_the_hints_of_a_damaged_database_lead_to_its_newest_good_backup(db_path: Path) -> None:
    """The command a refusal names is the one to type: for the database refused (``check``
    without ``--db`` checks the default one) and complete (``restore`` alone wants a file)."""
    add_client(db_path, "Alpha")
    good = backups.take_backup(db_path, backups.MANUAL).info.path
    damage(db_path)
    for args in (("status", "--json"), ("backup",)):
        refused = run(db_path, *args)
        assert refused.returncode == 1 and "is damaged" in refused.stderr
        hint = re.search(r"python main\.py (.+?) names it", refused.stderr)
        assert hint is not None, refused.stderr
        followed = run_in_process(*shlex.split(hint.group(1)))
        assert followed.returncode == 1
        assert f"python main.py restore --db {db_path} {good}" in followed.stdout


def test_check_speaks_german(db_path: Path) -> None:
    result = run(db_path, "--lang", "de", "check")
    assert result.returncode == 0
    assert "ist in Ordnung" in result.stdout


def test_check_without_a_database_says_so(tmp_path: Path) -> None:
    result = run(tmp_path / "missing.sqlite3", "check")
    assert result.returncode == 1
    assert result.stderr.startswith("freelancer-desk: There is no database at")


def test_backup_now_list_and_out(db_path: Path, tmp_path: Path) -> None:
    add_client(db_path, "Alpha")
    made = run(db_path, "backup")
    assert made.returncode == 0, made.stderr
    [backup] = backups.list_backups(db_path)
    assert str(backup.path) in made.stdout
    listed = run(db_path, "backup", "--list")
    assert "By hand" in listed.stdout and str(backup.path) in listed.stdout
    out = tmp_path / "usb" / "desk-copy.sqlite3"
    copied = run(db_path, "backup", "--out", str(out))
    assert copied.returncode == 0 and client_names(out) == ["Alpha"]
    onto_itself = run(db_path, "backup", "--out", str(db_path))
    assert onto_itself.returncode == 1 and "--out" in onto_itself.stderr
    assert client_names(db_path) == ["Alpha"]


def test_restore_and_its_refusals(db_path: Path, tmp_path: Path) -> None:
    add_client(db_path, "Alpha")
    backup = backups.take_backup(db_path, backups.MANUAL).info.path
    add_client(db_path, "Beta")
    restored = run(db_path, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert (
        "Restored" in restored.stdout and "The replaced state was backed up to" in restored.stdout
    )
    assert client_names(db_path) == ["Alpha"]
    text = tmp_path / "list.csv"
    text.write_text("name;amount\nA;1\n")
    refused = run(db_path, "restore", str(text))
    assert refused.returncode == 1
    assert "cannot be restored" in refused.stderr and refused.stderr.count("\n") == 1
    assert client_names(db_path) == ["Alpha"]
