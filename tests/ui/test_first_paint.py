"""A start paints the dashboard's figures from the document kept in the file, before the ORM
and the services are loaded; after a write by another program it shows the new figures.

Each start is a real process (``tests.ui.first_paint_child``): what a process has imported can
only be seen from a fresh one.
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

import pytest

from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import revenue as revenue_service
from tests.ui.first_paint_child import WATCHED

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 10)


@pytest.fixture
def book(db_path: Path) -> Path:
    """One client with 1,000.00 of revenue in the 12 months to ``TODAY``."""
    with open_database(db_path) as db:
        client = clients_service.create_client(db, {"name": "Kunde A"}).id
        revenue_service.create_entry(
            db, {"client_id": client, "invoice_date": dt.date(2026, 2, 1), "net": "1000.00"}
        )
    return db_path


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


def test_a_start_paints_the_kept_figures_before_the_orm_and_new_ones_after_a_raw_write(
    book: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    computed = _start(book, home)  # nothing kept yet: computed (with the ORM) and kept
    assert computed == {"total": "€1,000.00", "loaded": list(WATCHED)}
    assert _start(book, home) == {"total": "€1,000.00", "loaded": []}

    with closing(sqlite3.connect(book)) as conn, conn:  # another program writes
        conn.execute("UPDATE revenue_entry SET net_cents = 250000")
    assert _start(book, home) == {"total": "€2,500.00", "loaded": list(WATCHED)}
    assert _start(book, home) == {"total": "€2,500.00", "loaded": []}
