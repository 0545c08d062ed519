"""Today is read in one place (``freelancer_desk.clock``), so a test can pin it for the whole
app and a run across midnight sees one day."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from freelancer_desk import clock
from freelancer_desk.analytics.periods import calendar_year
from freelancer_desk.db import Database
from freelancer_desk.reports.review import ReviewRequest
from freelancer_desk.services import clients
from freelancer_desk.services.status import StatusRequest, build_status
from tests.cli.program import run_in_process
from tests.today import TODAY

ROOT = Path(__file__).resolve().parents[2]
#: Ways of reading the computer's date that would bypass the pinned day.
READS_THE_DATE = re.compile(r"\bdate\.today\(|\bdatetime\.today\(|QDate\.currentDate\(")


def test_the_app_reads_today_only_through_the_clock() -> None:
    readers = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("freelancer_desk", "ui")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ROOT / "freelancer_desk" / "clock.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if READS_THE_DATE.search(line)
    ]
    assert readers == []


def test_every_test_runs_on_the_runs_day() -> None:
    assert clock.today() == TODAY


def test_a_pinned_day_is_today_everywhere(db: Database) -> None:
    with clock.pinned(dt.date(2026, 1, 10)):
        with clock.pinned(dt.date(2025, 6, 30)):
            assert clock.today() == dt.date(2025, 6, 30)
            assert clients.create_client(db, {"name": "Neu"}).created_on == dt.date(2025, 6, 30)
        assert clock.today() == dt.date(2026, 1, 10)  # the outer day comes back
        assert build_status(db, StatusRequest()).as_of == dt.date(2026, 1, 10)
        assert ReviewRequest(calendar_year(2025)).made_on == dt.date(2026, 1, 10)
        result = run_in_process("status", "--json", db=db.path)
        assert '"as_of": "2026-01-10"' in result.stdout
    assert clock.today() == TODAY
