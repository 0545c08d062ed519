"""A child process for the crash tests: does real work, says where it is, waits to be killed.

Run as ``python -m tests.core.safety_child SCENARIO DB [ARG]``. Each scenario prints one line
when it has reached the point the test wants to kill it at (and flushes), so the parent can kill
with SIGKILL exactly there without sleeping. Scenarios:

- ``import DB CSV WHEN``: import a revenue CSV file in its one transaction; WHEN is ``inside``
  (killed when half of the rows are written, more than SQLite's page cache holds, so they have
  spilled into the write-ahead log) or ``commit`` (killed as the commit starts);
- ``backup DB TARGET``: an online backup, killed after its first step;
- ``hold DB``: keep the database open for writing until killed (a second instance);
- ``committed DB``: commit a change but leave it in the write-ahead log (no checkpoint);
- ``fill DB LIMIT``: with the process's file size limit at LIMIT bytes (the kernel then refuses
  to grow any file, as on a full disk), add a large batch of clients;
- ``zygote``: for the kill campaign. It imports everything once, says ``ready``, then reads one
  job per line from stdin (``create DB``, ``import DB CSV``, ``backup DB``, ``restore DB FILE``,
  fields separated by tabs), forks a worker for it, says ``started PID``, and when the worker
  ends (done, failed or killed by the test) says ``ended CODE``. Forking skips the half second
  an interpreter needs for its imports, so a campaign of a hundred kills stays short.
"""

from __future__ import annotations

import importlib
import os
import resource
import signal
import sqlite3
import sys
import traceback
from pathlib import Path

from sqlalchemy import event

from freelancer_desk.db import backup_database, open_database
from freelancer_desk.errors import DeskError


def say(line: str) -> None:
    """Tell the parent where we are."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def wait_forever() -> None:
    """Block until the parent kills us (it never writes to our stdin)."""
    sys.stdin.read()


def run_import(db_path: str, csv_path: str, when: str) -> None:
    import datetime as dt

    from freelancer_desk.importers.plan import PlanOptions
    from freelancer_desk.services import importing

    announced: list[bool] = []

    def progress(done: int, total: int) -> None:
        if when == "inside" and done >= total * 3 // 4 and not announced:  # half the rows in
            announced.append(True)
            say("inside")

    # An import larger than the page cache a bulk insert gets spills its pages into the
    # write-ahead log before it commits; a cache smaller than these 60,000 rows makes this
    # import one of those without writing 64 MB first.
    importing.BULK_CACHE_KIB = 64
    with open_database(db_path) as db:
        if when == "commit":
            event.listen(db.engine, "commit", lambda _conn: say("commit"))
        table = importing.load_table(Path(csv_path), "revenue")
        importing.run_import(
            db, table, "revenue", PlanOptions(as_of=dt.date(2026, 1, 15)), progress=progress
        )
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


def import_quietly(db_path: str, csv_path: str) -> None:
    import datetime as dt

    from freelancer_desk.importers.plan import PlanOptions
    from freelancer_desk.services import importing

    with open_database(db_path) as db:
        table = importing.load_table(Path(csv_path), "revenue")
        importing.run_import(db, table, "revenue", PlanOptions(as_of=dt.date(2026, 1, 15)))


def create(db_path: str) -> None:
    open_database(db_path).close()


def back_up(db_path: str) -> None:
    from freelancer_desk import backups

    backups.take_backup(Path(db_path), backups.MANUAL)


def restore(db_path: str, backup: str) -> None:
    from freelancer_desk import backups

    backups.restore(Path(db_path), Path(backup))


JOBS = {"create": create, "import": import_quietly, "backup": back_up, "restore": restore}
#: What the jobs use, imported once before forking.
WARM_UP = (
    "alembic.command",
    "alembic.config",
    "filelock",
    "freelancer_desk.backups",
    "freelancer_desk.catalog",
    "freelancer_desk.services.importing",
)


def zygote() -> None:
    """Fork one worker per job line; report its pid and how it ended (see the module text)."""
    for module in WARM_UP:
        importlib.import_module(module)

    say("ready")
    for line in sys.stdin:
        job, *arguments = line.rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                JOBS[job](*arguments)
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        say(f"started {pid}")
        _pid, status = os.waitpid(pid, 0)
        say(f"ended {os.waitstatus_to_exitcode(status)}")


if __name__ == "__main__":
    scenario, *arguments = sys.argv[1:]
    {
        "import": run_import,
        "backup": run_backup,
        "hold": hold,
        "committed": committed,
        "fill": fill,
        "zygote": zygote,
    }[scenario](*arguments)
