"""A start paints the dashboard's figures from the document kept in the file, before the ORM
and the services are loaded; after a write by another program it shows the new figures, and
keeps them for the next start.

Each start is a real process (``tests.ui.first_paint_child``): what a process has imported can
only be seen from a fresh one. A start costs seconds, so there are two: one on a kept document
and one after the other program's write; what is kept before and after them is read here.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from freelancer_desk import clock
from freelancer_desk.db import open_database
from freelancer_desk.services.status import build_status
from freelancer_desk.status_document import Status, StatusRequest, kept_status
from tests.ui.first_paint_child import WATCHED

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 10)


def _start(db: Path, home: Path) -> dict[str, Any]:
    """Start the window on ``db`` in a process of its own; what its first paint showed."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.ui.first_paint_child", str(db), TODAY.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    first_paint: dict[str, Any] = json.loads(result.stdout.splitlines()[0])
    return first_paint


def _kept_for_the_dashboard(db_path: Path) -> Status | None:
    """The document a start's dashboard reads before anything else (``DashboardPage.refresh``):
    the one kept for today while the data is unchanged, or None."""
    with clock.pinned(TODAY), open_database(db_path, writable=False) as db:
        return kept_status(db, StatusRequest(as_of=clock.today()))


def test_a_start_paints_the_kept_figures_before_the_orm_and_new_ones_after_a_raw_write(
    one_client_book: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert _kept_for_the_dashboard(one_client_book) is None
    with clock.pinned(TODAY), open_database(one_client_book) as db:  # as an earlier start did
        build_status(db, StatusRequest(as_of=clock.today()))
    assert _start(one_client_book, home) == {"total": "€1,000.00", "loaded": []}

    with closing(sqlite3.connect(one_client_book)) as conn, conn:  # another program writes
        conn.execute("UPDATE revenue_entry SET net_cents = 250000")
    assert _kept_for_the_dashboard(one_client_book) is None
    assert _start(one_client_book, home) == {"total": "€2,500.00", "loaded": list(WATCHED)}
    kept = _kept_for_the_dashboard(one_client_book)  # computed at that start, kept for the next
    assert kept is not None and kept.total_net_cents == 250_000
