"""``remind list``, ``remind export-ics`` and ``reminders_due`` in ``status --json``, as a user
runs them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from icalendar import Calendar

from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import reminders as reminders_service

if TYPE_CHECKING:
    from tests.cli.conftest import Cli, StatusJson

D = dt.date


@pytest.fixture
def desk(db_path: Path) -> Path:
    """Wednesday 11 Jun 2025: one overdue, one today, one this week, one later, one done."""
    with open_database(db_path) as db:
        jorg = clients_service.create_client(db, {"name": "Jörg Bäcker"}).id
        for due, purpose, extra in [
            (D(2025, 6, 2), "reactivate", {}),
            (D(2025, 6, 11), "feedback_followup", {}),
            (D(2025, 6, 13), "custom", {"note": "Angebot schicken"}),
            (D(2025, 7, 31), "new_offers", {"recurrence_every": 1, "recurrence_unit": "months"}),
        ]:
            reminders_service.create_reminder(
                db, {"client_id": jorg, "due_on": due, "purpose": purpose, **extra}
            )
        done = reminders_service.create_reminder(db, {"due_on": D(2025, 6, 1), "note": "Steuer"})
        reminders_service.complete(db, done.id, D(2025, 6, 1))
    return db_path


def test_list_groups_the_open_reminders(desk: Path, cli: Cli) -> None:
    result = cli("--lang", "en", "remind", "list", "--as-of", "2025-06-11", db=desk)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Overdue",
        "  2 Jun 2025\tJörg Bäcker\tReactivate",
        "Today",
        "  11 Jun 2025\tJörg Bäcker\tFeedback follow-up",
        "This week",
        "  13 Jun 2025\tJörg Bäcker\tCustom\t\tAngebot schicken",
        "Later",
        "  31 Jul 2025\tJörg Bäcker\tTell about new skills or offers\t"
        "every month (day 31 or the month's last day)",
    ]


def test_list_speaks_german(desk: Path, cli: Cli) -> None:
    result = cli("--lang", "de", "remind", "list", "--as-of", "2025-06-11", db=desk)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Überfällig"
    assert lines[1] == "  02.06.2025\tJörg Bäcker\tReaktivieren"
    assert "jeden Monat (am 31. oder am Monatsletzten)" in lines[-1]


def test_status_lists_the_reminders_due(desk: Path, status_json: StatusJson) -> None:
    assert status_json(desk, "--as-of", "2025-06-11")["reminders_due"] == [
        {"client": "Jörg Bäcker", "due": "2025-06-02", "purpose": "reactivate"},
        {"client": "Jörg Bäcker", "due": "2025-06-11", "purpose": "feedback_followup"},
    ]


def test_export_ics_twice_keeps_the_uids(desk: Path, tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "erinnerungen.ics"
    uids = []
    for _round in range(2):
        result = cli("--lang", "en", "remind", "export-ics", "--out", str(out), db=desk)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"5 reminders written to {out}"
        calendar = Calendar.from_ical(out.read_bytes())
        uids.append(sorted(str(event["UID"]) for event in calendar.walk("VEVENT")))
    assert uids[0] == uids[1] and len(set(uids[0])) == 5
    rules = [event["RRULE"].to_ical() for event in calendar.walk("VEVENT") if "RRULE" in event]
    assert rules == [b"FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1"]


def test_errors_are_one_line_and_exit_non_zero(desk: Path, tmp_path: Path, cli: Cli) -> None:
    result = cli("remind", "export-ics", "--out", str(tmp_path / "nope" / "x.ics"), db=desk)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Cannot write the calendar" in result.stderr
    result = cli("remind", "list", db=tmp_path / "missing.sqlite3")
    assert result.returncode == 1 and "There is no database" in result.stderr
    result = cli("remind", "list", "--as-of", "11.06.2025", db=desk)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
