"""A child process for the crash tests: does real work, says where it is, waits to be killed.

Run as ``python -m tests.core.safety_child SCENARIO DB [ARG]``. Each scenario prints one line
when it has reached the point the test wants to kill it at (and flushes), so the parent can kill
with SIGKILL exactly there without sleeping. Scenarios:

- ``demo DB WHEN``: demo generation, one large transaction of generated rows; WHEN is
  ``inside`` (killed while rows are being written) or ``commit`` (killed as the commit starts);
- ``backup DB TARGET``: an online backup, killed after its first step;
- ``hold DB``: keep the database open for writing until killed (a second instance);
- ``committed DB``: commit a change but leave it in the write-ahead log (no checkpoint);
- ``fill DB LIMIT``: with the process's file size limit at LIMIT bytes (the kernel then refuses
  to grow any file, as on a full disk), add a large batch of clients.
"""

from __future__ import annotations

import resource
import signal
import sqlite3
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import event

from freelancer_desk.db import Database, backup_database, open_database
from freelancer_desk.errors import DeskError


def say(line: str) -> None:
    """Tell the parent where we are."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_forever() -> None:
    """Block until the parent kills us (it never writes to our stdin)."""
    sys.stdin.read()


def announce_on(db: Database, when: str) -> None:
    """Print ``inside`` once the revenue rows are written (more tables follow), or ``commit``."""
    if when == "inside":

        def after_execute(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            if statement.lstrip().upper().startswith("INSERT INTO REVENUE_ENTRY"):
                say("inside")

        event.listen(db.engine, "after_cursor_execute", after_execute)
    else:
        event.listen(db.engine, "commit", lambda _conn: say("commit"))


def run_demo(db_path: str, when: str) -> None:
    from freelancer_desk import demo

    with open_database(db_path) as db:
        announce_on(db, when)
        demo.generate(db, clients=400, entries=60_000, interactions=60_000, seed=9)
    say("done")


def run_backup(db_path: str, target: str) -> None:
    first_step: list[bool] = []

    def progress(done: int, total: int) -> None:
        if not first_step and done < total:
            first_step.append(True)
            say("copying")

    backup_database(Path(db_path), Path(target), progress=progress)
    say("done")


def hold(db_path: str) -> None:
    with open_database(db_path):
        say("open")
        wait_forever()


def committed(db_path: str) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.execute("INSERT INTO client_group (name) VALUES ('only in the log')")
    say("committed")
    wait_forever()


def fill(db_path: str, limit: str) -> None:
    from freelancer_desk.models import Client

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a refused write returns an error instead
    with open_database(db_path) as db:
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), resource.RLIM_INFINITY))
        try:
            with db.session() as session:
                for number in range(5_000):
                    session.add(Client(name=f"Client {number} " + "x" * 150, kind="business"))
        except DeskError as exc:
            say(f"{type(exc).__name__}: {exc}")
            return
    say("written")


if __name__ == "__main__":
    scenario, *arguments = sys.argv[1:]
    {
        "demo": run_demo,
        "backup": run_backup,
        "hold": hold,
        "committed": committed,
        "fill": fill,
    }[scenario](*arguments)
