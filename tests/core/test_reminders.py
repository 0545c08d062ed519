"""Reminders: recurrence over month ends and leap years, snoozing, done, groups, status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from freelancer_desk import clock
from freelancer_desk.analytics.recurrence import (
    DueGroup,
    Recurrence,
    Snooze,
    describe,
    due_group,
    next_due,
    snoozed_until,
)
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.models import RecurrenceUnit
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services.status import StatusRequest, build_status, to_json

D = dt.date
MONTHLY = RecurrenceUnit.MONTHS


def occurrences(first: dt.date, rule: Recurrence, until: dt.date) -> Iterator[dt.date]:
    """``first`` and every date the app moves a done reminder to (``next_due``) up to ``until``."""
    day = first
    while day <= until:
        yield day
        day = next_due(day, rule)


# --------------------------------------------------------------------------------------------
# Pure recurrence
# --------------------------------------------------------------------------------------------


def test_the_31st_goes_to_each_months_last_day_and_back_to_the_31st() -> None:
    rule = Recurrence(1, MONTHLY, anchor_day=31)
    assert list(occurrences(D(2025, 1, 31), rule, D(2025, 8, 31))) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 4, 30),
        D(2025, 5, 31),
        D(2025, 6, 30),
        D(2025, 7, 31),
        D(2025, 8, 31),
    ]


def test_leap_years_give_february_its_29th() -> None:
    rule = Recurrence(1, MONTHLY, anchor_day=31)
    assert next_due(D(2024, 1, 31), rule) == D(2024, 2, 29)
    assert next_due(D(2024, 2, 29), rule) == D(2024, 3, 31)
    # Every 12 months from 29 Feb 2024: 28 Feb in common years, 29 Feb again in 2028.
    yearly = Recurrence(12, MONTHLY, anchor_day=29)
    assert list(occurrences(D(2024, 2, 29), yearly, D(2028, 12, 31))) == [
        D(2024, 2, 29),
        D(2025, 2, 28),
        D(2026, 2, 28),
        D(2027, 2, 28),
        D(2028, 2, 29),
    ]
    # 1900 and 2100 are not leap years, 2000 is.
    assert next_due(D(2000, 1, 30), Recurrence(1, MONTHLY, 30)) == D(2000, 2, 29)
    assert next_due(D(2100, 1, 30), Recurrence(1, MONTHLY, 30)) == D(2100, 2, 28)


def test_the_30th_and_29th_clamp_only_in_february() -> None:
    assert list(occurrences(D(2025, 1, 30), Recurrence(1, MONTHLY, 30), D(2025, 4, 30))) == [
        D(2025, 1, 30),
        D(2025, 2, 28),
        D(2025, 3, 30),
        D(2025, 4, 30),
    ]
    assert list(occurrences(D(2023, 12, 29), Recurrence(2, MONTHLY, 29), D(2024, 4, 30))) == [
        D(2023, 12, 29),
        D(2024, 2, 29),
        D(2024, 4, 29),
    ]


def test_days_and_weeks_cross_month_and_year_ends() -> None:
    assert next_due(D(2024, 2, 28), Recurrence(1, RecurrenceUnit.DAYS)) == D(2024, 2, 29)
    assert next_due(D(2025, 2, 28), Recurrence(1, RecurrenceUnit.DAYS)) == D(2025, 3, 1)
    assert next_due(D(2025, 12, 25), Recurrence(2, RecurrenceUnit.WEEKS)) == D(2026, 1, 8)
    # Quarterly across the year end.
    assert next_due(D(2025, 11, 30), Recurrence(3, MONTHLY, 30)) == D(2026, 2, 28)


def test_snooze_counts_from_today_for_an_overdue_reminder() -> None:
    today = D(2025, 6, 10)
    assert snoozed_until(D(2025, 6, 1), today, Snooze.DAY) == D(2025, 6, 11)
    assert snoozed_until(D(2025, 6, 1), today, Snooze.WEEK) == D(2025, 6, 17)
    # Not yet due: from its due date.
    assert snoozed_until(D(2025, 6, 20), today, Snooze.DAY) == D(2025, 6, 21)


def test_groups_follow_the_monday_to_sunday_week() -> None:
    wednesday = D(2025, 6, 11)
    assert due_group(D(2025, 6, 10), wednesday) is DueGroup.OVERDUE
    assert due_group(wednesday, wednesday) is DueGroup.TODAY
    assert due_group(D(2025, 6, 15), wednesday) is DueGroup.THIS_WEEK  # Sunday
    assert due_group(D(2025, 6, 16), wednesday) is DueGroup.LATER  # next Monday
    sunday = D(2025, 6, 15)
    assert due_group(D(2025, 6, 16), sunday) is DueGroup.LATER


def test_recurrence_in_words() -> None:
    assert describe(Recurrence(1, RecurrenceUnit.DAYS)) == "every day"
    assert describe(Recurrence(3, RecurrenceUnit.WEEKS)) == "every 3 weeks"
    assert describe(Recurrence(1, MONTHLY, 31)) == "every month (day 31 or the month's last day)"
    assert describe(Recurrence(2, MONTHLY, 15)) == "every 2 months"


# --------------------------------------------------------------------------------------------
# The service
# --------------------------------------------------------------------------------------------


@pytest.fixture
def client_id(db: Database) -> int:
    return clients_service.create_client(db, {"name": "Müller & Söhne GmbH"}).id  # type: ignore[return-value]


def test_a_monthly_reminder_on_the_31st_rolls_through_february_and_back(
    db: Database, client_id: int
) -> None:
    row = reminders_service.create_reminder(
        db,
        {
            "client_id": client_id,
            "due_on": D(2024, 1, 31),
            "purpose": "reactivate",
            "recurrence_every": 1,
            "recurrence_unit": "months",
        },
    )
    assert row.recurrence == Recurrence(1, MONTHLY, 31)
    assert row.client_name == "Müller & Söhne GmbH"
    seen = [row.due_on]
    for today in (D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30)):
        row = reminders_service.complete(db, row.id, today)
        seen.append(row.due_on)
    assert seen == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]
    assert row.done_on is None


def test_done_skips_dates_missed_while_overdue(db: Database) -> None:
    row = reminders_service.create_reminder(
        db,
        {
            "due_on": D(2025, 1, 6),
            "recurrence_every": 1,
            "recurrence_unit": "weeks",
            "note": "Akquise",
        },
    )
    # Done on Wednesday 29 Jan: 13, 20, 27 Jan are past; next Monday is 3 Feb.
    assert reminders_service.complete(db, row.id, D(2025, 1, 29)).due_on == D(2025, 2, 3)


def test_a_one_off_reminder_is_done_once(db: Database, client_id: int) -> None:
    row = reminders_service.create_reminder(db, {"client_id": client_id, "due_on": D(2025, 3, 1)})
    done = reminders_service.complete(db, row.id, D(2025, 3, 2))
    assert done.done_on == D(2025, 3, 2)
    assert reminders_service.list_reminders(db) == []
    with pytest.raises(InputError, match="done already"):
        reminders_service.complete(db, row.id, D(2025, 3, 3))
    with pytest.raises(InputError, match="done already"):
        reminders_service.snooze(db, row.id, Snooze.DAY, D(2025, 3, 3))


def test_snoozing_a_month_end_series_keeps_its_anchor(db: Database) -> None:
    row = reminders_service.create_reminder(
        db,
        {
            "due_on": D(2025, 1, 31),
            "recurrence_every": 1,
            "recurrence_unit": "months",
        },
    )
    snoozed = reminders_service.snooze(db, row.id, Snooze.DAY, D(2025, 1, 31))
    assert snoozed.due_on == D(2025, 2, 1)
    assert snoozed.recurrence == Recurrence(1, MONTHLY, 31)
    # Done on the snoozed day: the series moves on a month from February, to its 31st.
    assert reminders_service.complete(db, row.id, D(2025, 2, 1)).due_on == D(2025, 3, 31)


def test_snooze_to_a_picked_day_but_not_into_the_past(db: Database) -> None:
    row = reminders_service.create_reminder(db, {"due_on": D(2025, 6, 1)})
    assert reminders_service.snooze(db, row.id, D(2025, 7, 14), D(2025, 6, 5)).due_on == D(
        2025, 7, 14
    )
    assert reminders_service.snooze(db, row.id, Snooze.WEEK, D(2025, 6, 5)).due_on == D(2025, 7, 21)
    with pytest.raises(InputError, match="today or a later day"):
        reminders_service.snooze(db, row.id, D(2025, 6, 4), D(2025, 6, 5))


def test_editing_the_note_keeps_the_anchor_but_a_new_due_day_moves_it(db: Database) -> None:
    row = reminders_service.create_reminder(
        db,
        {
            "due_on": D(2025, 1, 31),
            "recurrence_every": 1,
            "recurrence_unit": "months",
        },
    )
    row = reminders_service.complete(db, row.id, D(2025, 1, 31))  # now due 28 Feb
    row = reminders_service.update_reminder(db, row.id, {"note": "Anrufen"})
    assert (row.due_on, row.recurrence.anchor_day, row.note) == (D(2025, 2, 28), 31, "Anrufen")  # type: ignore[union-attr]
    row = reminders_service.update_reminder(db, row.id, {"due_on": D(2025, 3, 15)})
    assert row.recurrence.anchor_day == 15  # type: ignore[union-attr]
    row = reminders_service.update_reminder(
        db, row.id, {"recurrence_every": None, "recurrence_unit": None}
    )
    assert row.recurrence is None


def test_invalid_reminders_are_refused_with_the_field(db: Database) -> None:
    with pytest.raises(InputError) as error:
        reminders_service.create_reminder(db, {"due_on": D(2025, 1, 1), "recurrence_every": 2})
    assert error.value.field == "recurrence_every"
    with pytest.raises(InputError) as error:
        reminders_service.create_reminder(db, {"due_on": D(2025, 1, 1), "client_id": 999})
    assert error.value.field == "client_id"
    with pytest.raises(NotFoundError):
        reminders_service.complete(db, 12345, D(2025, 1, 1))


def test_uids_are_unique_and_survive_changes(db: Database) -> None:
    first = reminders_service.create_reminder(db, {"due_on": D(2025, 1, 1)})
    second = reminders_service.create_reminder(db, {"due_on": D(2025, 1, 1)})
    assert first.uid != second.uid and first.uid.endswith("@freelancer-desk")
    moved = reminders_service.snooze(db, first.id, Snooze.WEEK, D(2025, 1, 1))
    assert moved.uid == first.uid


def test_grouped_and_status_list_what_is_due(db: Database, client_id: int) -> None:
    today = D(2025, 6, 11)  # a Wednesday
    for due, purpose in [
        (D(2025, 6, 2), "reactivate"),
        (today, "feedback_followup"),
        (D(2025, 6, 13), "custom"),
        (D(2025, 7, 1), "new_offers"),
    ]:
        reminders_service.create_reminder(
            db, {"client_id": client_id, "due_on": due, "purpose": purpose}
        )
    done = reminders_service.create_reminder(db, {"client_id": client_id, "due_on": D(2025, 6, 1)})
    reminders_service.complete(db, done.id, D(2025, 6, 1))
    groups = reminders_service.grouped(db, today)
    assert {group: [r.due_on for r in rows] for group, rows in groups.items()} == {
        DueGroup.OVERDUE: [D(2025, 6, 2)],
        DueGroup.TODAY: [today],
        DueGroup.THIS_WEEK: [D(2025, 6, 13)],
        DueGroup.LATER: [D(2025, 7, 1)],
    }
    document = to_json(build_status(db, StatusRequest(as_of=today)))
    assert document["reminders_due"] == [
        {"client": "Müller & Söhne GmbH", "due": "2025-06-02", "purpose": "reactivate"},
        {"client": "Müller & Söhne GmbH", "due": "2025-06-11", "purpose": "feedback_followup"},
    ]


def test_reminders_as_they_stood_on_a_past_day(db: Database, client_id: int) -> None:
    """Seen from 31 Dec 2025 (today is 1 Mar 2026): one done in January was still open; one
    due in 2026 was not made yet (a reminder's due day is the only sign of it)."""
    with clock.pinned(D(2026, 3, 1)):
        done_later = reminders_service.create_reminder(
            db, {"client_id": client_id, "due_on": D(2025, 12, 20), "purpose": "reactivate"}
        ).id
        reminders_service.complete(db, done_later, D(2026, 1, 6))
        done_before = reminders_service.create_reminder(
            db, {"client_id": client_id, "due_on": D(2025, 11, 3), "purpose": "custom"}
        ).id
        reminders_service.complete(db, done_before, D(2025, 11, 4))
        due_in_2026 = reminders_service.create_reminder(
            db, {"client_id": client_id, "due_on": D(2026, 1, 15), "purpose": "new_offers"}
        ).id

        open_then = reminders_service.list_reminders(db, open_on=D(2025, 12, 31))
        all_then = reminders_service.list_reminders(db, include_done=True, as_of=D(2025, 12, 31))
        open_now = reminders_service.list_reminders(db, open_on=D(2026, 3, 1))
        status = build_status(db, StatusRequest(as_of=D(2025, 12, 31), today=D(2026, 3, 1)))

    assert [(r.id, r.done_on) for r in open_then] == [(done_later, None)]
    assert [(r.id, r.done_on) for r in all_then] == [
        (done_before, D(2025, 11, 4)),
        (done_later, None),
    ]
    assert [r.id for r in status.reminders_due] == [done_later]
    assert [r.id for r in open_now] == [due_in_2026]
