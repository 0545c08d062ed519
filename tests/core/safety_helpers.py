"""Helpers shared by the data-safety tests: reading a file without the app, damaging one."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from freelancer_desk.connection import connect
from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service

ROOT = Path(__file__).resolve().parents[2]


def client_names(path: Path) -> list[str]:
    """Client names in a database file, read without the app."""
    conn = connect(path, read_only=True)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM client ORDER BY name")]
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    """Rows of a table, read without the app."""
    conn = connect(path, read_only=True)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def add_client(db_path: Path, name: str) -> None:
    """Open the database, add one client, close it cleanly."""
    with open_database(db_path) as db:
        clients_service.create_client(db, {"name": name})


def damage(path: Path, table: str = "client") -> None:
    """Overwrite the header of a table's first page: SQLite reports the file malformed."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x00" * 12)


def start_child(*args: str, **options: object) -> subprocess.Popen[str]:
    """Start ``tests/core/safety_child.py`` with a scenario; it reports on its stdout."""
    return subprocess.Popen(
        [sys.executable, "-m", "tests.core.safety_child", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,  # type: ignore[arg-type]
    )


def wait_for(child: subprocess.Popen[str], line: str) -> None:
    """Read the child's next line, which must be ``line`` (it then is exactly there)."""
    said = child.stdout.readline().strip()  # type: ignore[union-attr]
    if said != line:
        child.kill()
        _out, err = child.communicate(timeout=60)
        raise AssertionError(f"child said {said!r}, expected {line!r}; stderr:\n{err}")
