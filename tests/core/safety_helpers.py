"""Helpers shared by the data-safety tests: reading a file without the app, damaging one,
running the program as a plain user or with a file size limit."""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


def fill(path: Path, clients: int, note_words: int = 60) -> None:
    """Add clients with long notes without the app (a database of some megabytes)."""
    conn = sqlite3.connect(path)
    conn.executemany(
        "INSERT INTO client (name, kind, archived, created_on, erased, notes) "
        "VALUES (?, 'business', 0, '2025-01-01', 0, ?)",
        ((f"Client {n}", "Notiz " * note_words) for n in range(clients)),
    )
    conn.commit()
    conn.close()


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


def as_plain_user() -> list[str]:
    """Root may write any file; run the command without root's powers (capabilities) then."""
    if os.getuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv to drop root's powers")
    return [setpriv, "--inh-caps=-all", "--bounding-set=-all"]


def run_main(
    *args: object, plain_user: bool = False, file_size_limit: int | None = None
) -> subprocess.CompletedProcess[str]:
    """``python main.py --lang en ARGS`` in a new process, as a plain user or with the kernel's
    file size limit (RLIMIT_FSIZE: no file may grow past it, as on a full disk)."""

    def limit() -> None:
        if file_size_limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write fails, not the process
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    return subprocess.run(
        [
            *(as_plain_user() if plain_user else []),
            sys.executable,
            str(ROOT / "main.py"),
            "--lang",
            "en",
            *map(str, args),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=limit,
    )


#: The program ``run_each_as_plain_user`` starts: every command through ``cli.main`` in turn,
#: each with its own exit code and output, printed as JSON.
_EACH = """
import json, sys
from tests.cli.program import run_in_process
done = [run_in_process(*argv) for argv in json.loads(sys.argv[1])]
print(json.dumps([[d.returncode, d.stdout, d.stderr] for d in done]))
"""


def run_each_as_plain_user(*commands: tuple[object, ...]) -> list[subprocess.CompletedProcess[str]]:
    """Each command as ``run_main(..., plain_user=True)`` gives it, all in one new process
    without root's powers (one program start instead of one per command)."""
    argv = [["--lang", "en", *map(str, command)] for command in commands]
    ran = subprocess.run(
        [*as_plain_user(), sys.executable, "-c", _EACH, json.dumps(argv)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [
        subprocess.CompletedProcess(command, code, out, err)
        for command, (code, out, err) in zip(argv, json.loads(ran.stdout), strict=True)
    ]
