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


def test_a_start_paints_the_kept_figures_before_the_orm_and_new_ones_after_a_raw_write(
    one_client_book: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    computed = _start(one_client_book, home)  # nothing kept yet: computed (with the ORM) and kept
    assert computed == {"total": "€1,000.00", "loaded": list(WATCHED)}
    assert _start(one_client_book, home) == {"total": "€1,000.00", "loaded": []}

    with closing(sqlite3.connect(one_client_book)) as conn, conn:  # another program writes
        conn.execute("UPDATE revenue_entry SET net_cents = 250000")
    assert _start(one_client_book, home) == {"total": "€2,500.00", "loaded": list(WATCHED)}
    assert _start(one_client_book, home) == {"total": "€2,500.00", "loaded": []}
