"""Calendar export: the .ics parses back, keeps its UIDs, and its rules give the app's dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from freelancer_desk.analytics.recurrence import Recurrence, Snooze
from freelancer_desk.calendar_export import build_calendar, export_ics, recurrence_rule
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.models import RecurrenceUnit
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import reminders as reminders_service
from tests.core.test_reminders import occurrences

D = dt.date
NOW = dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 6, 2, 8, 30, tzinfo=dt.UTC)


def events(data: bytes) -> dict[str, object]:
    """The VEVENTs of an export by UID."""
    calendar = Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def expand(event: object, until: dt.date) -> list[dt.date]:
    """The dates a calendar program shows: DTSTART, the RRULE's dates, minus EXDATEs (RFC 5545)."""
    start = event["DTSTART"].dt  # type: ignore[index]
    dates = rruleset()
    dates.rdate(dt.datetime.combine(start, dt.time()))
    if "RRULE" in event:  # type: ignore[operator]
        rule = event["RRULE"].to_ical().decode()  # type: ignore[index]
        dates.rrule(rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time())))
    exdates = event.get("EXDATE")  # type: ignore[attr-defined]
    for group in exdates if isinstance(exdates, list) else [exdates] if exdates else []:
        for value in group.dts:
            dates.exdate(dt.datetime.combine(value.dt, dt.time()))
    return [
        d.date()
        for d in dates.between(
            dt.datetime.combine(start, dt.time()), dt.datetime.combine(until, dt.time()), inc=True
        )
    ]


@pytest.fixture
def client_id(db: Database) -> int:
    return clients_service.create_client(db, {"name": "Weiß & Partner"}).id  # type: ignore[return-value]


def test_export_parses_back_with_stable_uids_and_a_newer_sequence(
    db: Database, client_id: int, tmp_path: Path
) -> None:
    one_off = reminders_service.create_reminder(
        db,
        {
            "client_id": client_id,
            "due_on": D(2025, 6, 3),
            "purpose": "feedback_followup",
            "note": "Nachfragen: Referenz",
        },
    )
    monthly = reminders_service.create_reminder(
        db,
        {
            "client_id": client_id,
            "due_on": D(2025, 1, 31),
            "purpose": "reactivate",
            "recurrence_every": 1,
            "recurrence_unit": "months",
        },
    )
    out = tmp_path / "wiedervorlagen.ics"
    assert export_ics(db, out, NOW) == 2
    first = events(out.read_bytes())
    assert set(first) == {one_off.uid, monthly.uid}
    event = first[one_off.uid]
    assert str(event["SUMMARY"]) == "Weiß & Partner: Feedback follow-up"
    assert str(event["DESCRIPTION"]) == "Nachfragen: Referenz"
    assert (event["DTSTART"].dt, event["DTEND"].dt) == (D(2025, 6, 3), D(2025, 6, 4))
    assert "RRULE" not in event
    assert [c.name for c in event.subcomponents] == ["VALARM"]

    # Done, rolled and exported again: same UIDs, the done one cancelled, a higher SEQUENCE.
    reminders_service.complete(db, one_off.id, D(2025, 6, 2))
    reminders_service.complete(db, monthly.id, D(2025, 6, 2))
    export_ics(db, out, LATER)
    second = events(out.read_bytes())
    assert set(second) == set(first)
    assert str(second[one_off.uid]["STATUS"]) == "CANCELLED"
    assert second[monthly.uid]["DTSTART"].dt == D(2025, 6, 30)
    assert int(second[monthly.uid]["SEQUENCE"]) > int(first[monthly.uid]["SEQUENCE"])


@pytest.mark.parametrize(
    ("first", "rule"),
    [
        (D(2024, 1, 31), Recurrence(1, RecurrenceUnit.MONTHS, 31)),
        (D(2024, 1, 30), Recurrence(1, RecurrenceUnit.MONTHS, 30)),
        (D(2023, 12, 29), Recurrence(2, RecurrenceUnit.MONTHS, 29)),
        (D(2024, 2, 29), Recurrence(12, RecurrenceUnit.MONTHS, 29)),
        (D(2025, 1, 15), Recurrence(3, RecurrenceUnit.MONTHS, 15)),
        (D(2025, 1, 6), Recurrence(2, RecurrenceUnit.WEEKS)),
        (D(2025, 2, 27), Recurrence(10, RecurrenceUnit.DAYS)),
    ],
    ids=[
        "31st",
        "30th",
        "29th-bimonthly",
        "leap-day-yearly",
        "quarterly-15th",
        "fortnightly",
        "10-days",
    ],
)
def test_rules_give_the_same_dates_as_the_app(first: dt.date, rule: Recurrence) -> None:
    rrule = recurrence_rule(rule, first).to_ical().decode()
    expanded = list(
        rrulestr(rrule, dtstart=dt.datetime.combine(first, dt.time())).between(
            dt.datetime.combine(first, dt.time()), dt.datetime(2028, 12, 31), inc=True
        )
    )
    assert [d.date() for d in expanded] == list(occurrences(first, rule, D(2028, 12, 31)))


def test_month_end_rules_are_written_for_every_month(db: Database) -> None:
    assert (
        recurrence_rule(Recurrence(1, RecurrenceUnit.MONTHS, 31), D(2025, 1, 31)).to_ical()
        == b"FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1"
    )
    assert (
        recurrence_rule(Recurrence(1, RecurrenceUnit.MONTHS, 30), D(2025, 1, 30)).to_ical()
        == b"FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    )


def test_a_snoozed_month_end_reminder_exports_the_dates_the_app_will_use(db: Database) -> None:
    row = reminders_service.create_reminder(
        db,
        {
            "due_on": D(2025, 1, 31),
            "recurrence_every": 1,
            "recurrence_unit": "months",
        },
    )
    snoozed = reminders_service.snooze(db, row.id, Snooze.DAY, D(2025, 1, 31))  # now 1 Feb
    event = events(build_calendar([snoozed], NOW))[row.uid]
    # The app: 1 Feb, then 31 Mar (a month on from February, anchored on the 31st), 30 Apr ...
    app_dates = [snoozed.due_on]
    while app_dates[-1] < D(2025, 6, 1):
        app_dates.append(reminders_service.complete(db, row.id, app_dates[-1]).due_on)
    assert (
        expand(event, D(2025, 6, 30))
        == app_dates
        == [
            D(2025, 2, 1),
            D(2025, 3, 31),
            D(2025, 4, 30),
            D(2025, 5, 31),
            D(2025, 6, 30),
        ]
    )


def test_an_unwritable_target_is_a_message_not_a_traceback(db: Database, tmp_path: Path) -> None:
    reminders_service.create_reminder(db, {"due_on": D(2025, 1, 1)})
    with pytest.raises(DeskError, match="Cannot write the calendar"):
        export_ics(db, tmp_path / "missing-folder" / "x.ics", NOW)
