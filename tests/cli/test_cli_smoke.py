"""``--smoke`` starts the real window in a real process and reports the start time."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.cli.program import run_in_process

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, env_extra: dict[str, str] | None = None) -> CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture(scope="module")
def demo_start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CompletedProcess[str]]:
    """One start with ``--smoke`` on demo data, the database named only by the environment,
    and what it printed (a start costs seconds: the tests below assert on this one)."""
    db = tmp_path_factory.mktemp("smoke") / "demo.sqlite3"
    assert run_in_process("demo", "--db", str(db)).returncode == 0
    assert _kept_documents(db) == 0
    return db, _run("--smoke", env_extra={"FREELANCER_DESK_DB": str(db)})


def _kept_documents(db: Path) -> int:
    """How many documents the file keeps (a start keeps the dashboard's: ``kept``)."""
    with closing(sqlite3.connect(db)) as conn:
        count: int = conn.execute("SELECT count(*) FROM kept_document").fetchone()[0]
    return count


def test_smoke_paints_the_dashboard_with_demo_data_and_prints_milliseconds(
    demo_start: tuple[Path, CompletedProcess[str]],
) -> None:
    _db, result = demo_start
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert last.isdigit() and 0 < int(last) < 60_000


def test_smoke_uses_the_database_named_by_the_environment(
    demo_start: tuple[Path, CompletedProcess[str]],
) -> None:
    db, result = demo_start
    assert result.returncode == 0, result.stderr
    assert _kept_documents(db) > 0  # the start computed its figures from this file, and kept them


def test_smoke_on_a_random_file_fails_clearly_and_leaves_it_alone(tmp_path: Path) -> None:
    db = tmp_path / "random.sqlite3"
    content = os.urandom(5000)
    db.write_bytes(content)
    result = _run("--db", str(db), "--smoke")
    assert result.returncode != 0
    assert "not a Freelancer Desk database" in result.stderr
    assert db.read_bytes() == content


def test_smoke_fails_at_once_when_a_page_cannot_be_built(tmp_path: Path, db_path: Path) -> None:
    """A broken page must fail the smoke run with its error, not wait for the paint timeout.
    The database is a made one (``db_path``): making it is not what this start is about."""
    site = tmp_path / "site"
    site.mkdir()
    # A registry entry that names a page class which raises: loaded through sitecustomize, so
    # the real app runs unchanged otherwise.
    (site / "broken_page.py").write_text(
        "class BrokenPage:\n"
        "    def __init__(self, context):\n"
        "        raise RuntimeError('page exploded')\n"
    )
    (site / "sitecustomize.py").write_text(
        "import ui.registry as r\n"
        "r.PAGES[0] = r.PageSpec('dashboard', 'Dashboard', 'dashboard', "
        "'broken_page:BrokenPage', 'Ctrl+1')\n"
    )
    pythonpath = os.pathsep.join([str(site), str(ROOT)])
    result = _run("--db", str(db_path), "--smoke", env_extra={"PYTHONPATH": pythonpath})
    assert result.returncode == 1
    assert "page exploded" in result.stderr
