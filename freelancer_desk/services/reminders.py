"""Reminders (Wiedervorlagen): create, change, snooze, mark done, and list them by due date.

The date arithmetic lives in ``analytics.recurrence``; this module stores the results. Every
reminder gets a random ``uid`` when created so that calendar exports keep updating the same
event even if the database ever reuses a row id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from freelancer_desk.analytics.recurrence import (
    DueGroup,
    Recurrence,
    Snooze,
    due_group,
    next_due,
    snoozed_until,
)
from freelancer_desk.analytics.suggestions import ReminderFacts
from freelancer_desk.db import Database
from freelancer_desk.i18n import N_
from freelancer_desk.models import (
    Client,
    RecurrenceUnit,
    Reminder,
    ReminderCreate,
    ReminderPurpose,
    input_error,
    label,
    validate,
)
from freelancer_desk.services.records import fetch

UID_DOMAIN = "freelancer-desk"


@dataclass(frozen=True, kw_only=True)
class ReminderRow(ReminderFacts):
    """One reminder as the Reminders page, the dashboard, the calendar export and the
    suggestion rules see it."""

    id: int
    uid: str
    client_name: str | None
    note: str | None
    recurrence: Recurrence | None


def _row(reminder: Reminder, client_name: str | None) -> ReminderRow:
    recurrence = None
    if reminder.recurrence_unit is not None and reminder.recurrence_every is not None:
        recurrence = Recurrence(
            reminder.recurrence_every, RecurrenceUnit(reminder.recurrence_unit), reminder.anchor_day
        )
    return ReminderRow(
        id=reminder.id,  # type: ignore[arg-type]  # read from the table: the id is set
        # Reminders stored by other parts of the app without a uid still export stably.
        uid=reminder.uid or f"reminder-{reminder.id}@{UID_DOMAIN}",
        client_id=reminder.client_id,
        client_name=client_name,
        due_on=reminder.due_on,
        purpose=ReminderPurpose(reminder.purpose),
        note=reminder.note,
        recurrence=recurrence,
        done_on=reminder.done_on,
    )


def _load(session: Session, reminder_id: int) -> Reminder:
    reminder = fetch(session, Reminder, reminder_id)
    return reminder


def _snapshot(session: Session, reminder: Reminder) -> ReminderRow:
    session.flush()
    client = session.get(Client, reminder.client_id) if reminder.client_id is not None else None
    return _row(reminder, client.name if client is not None else None)


def _apply(session: Session, reminder: Reminder, data: ReminderCreate) -> None:
    """Copy validated input; a monthly series is (re-)anchored on its due day."""
    if data.client_id is not None and session.get(Client, data.client_id) is None:
        raise input_error("client_id", N_("choose an existing client"))
    for key, value in data.model_dump().items():
        setattr(reminder, key, value)
    monthly = data.recurrence_unit is RecurrenceUnit.MONTHS
    reminder.anchor_day = data.due_on.day if monthly else None


def create_reminder(db: Database, data: ReminderCreate | Mapping[str, Any]) -> ReminderRow:
    """Store a new reminder with a fresh calendar uid."""
    checked = validate(ReminderCreate, data)
    with db.session() as session:
        reminder = Reminder(due_on=checked.due_on, uid=f"{uuid.uuid4()}@{UID_DOMAIN}")
        _apply(session, reminder, checked)
        session.add(reminder)
        return _snapshot(session, reminder)


def update_reminder(db: Database, reminder_id: int, changes: Mapping[str, Any]) -> ReminderRow:
    """Change fields of a reminder; the merged reminder is validated as a whole.

    Changing the due date or the recurrence re-anchors a monthly series on the new due day.
    """
    with db.session() as session:
        reminder = _load(session, reminder_id)
        current = {name: getattr(reminder, name) for name in ReminderCreate.model_fields}
        merged = validate(ReminderCreate, {**current, **changes})
        anchor = reminder.anchor_day
        _apply(session, reminder, merged)
        keeps_series = all(
            current[key] == getattr(merged, key)
            for key in ("due_on", "recurrence_unit", "recurrence_every")
        )
        if keeps_series:
            reminder.anchor_day = anchor  # a note or purpose change must not move a 31st series
        return _snapshot(session, reminder)


def delete_reminder(db: Database, reminder_id: int) -> None:
    """Delete one reminder."""
    with db.session() as session:
        session.delete(_load(session, reminder_id))


def snooze(db: Database, reminder_id: int, until: Snooze | dt.date, today: dt.date) -> ReminderRow:
    """Put a reminder off by a day, a week, or to a picked day (not in the past).

    A monthly series keeps its anchor day: after the snoozed date is done it returns to it.
    """
    with db.session() as session:
        reminder = _load(session, reminder_id)
        if reminder.done_on is not None:
            raise input_error("due_on", N_("this reminder is done already"))
        if isinstance(until, Snooze):
            new_due = snoozed_until(reminder.due_on, today, until)
        else:
            if until < today:
                raise input_error("due_on", N_("pick today or a later day"))
            new_due = until
        reminder.due_on = new_due
        return _snapshot(session, reminder)


def complete(db: Database, reminder_id: int, today: dt.date) -> ReminderRow:
    """Mark a reminder done; a recurring one rolls on to its next date after today instead.

    Dates the series missed while it was overdue are skipped: a quarterly call done two
    months late is next due a quarter from its schedule, not at once again.
    """
    with db.session() as session:
        reminder = _load(session, reminder_id)
        if reminder.done_on is not None:
            raise input_error("due_on", N_("this reminder is done already"))
        row = _snapshot(session, reminder)
        if row.recurrence is None:
            reminder.done_on = today
        else:
            due = next_due(reminder.due_on, row.recurrence)
            while due <= today:
                due = next_due(due, row.recurrence)
            reminder.due_on = due
        return _snapshot(session, reminder)


def list_reminders(
    db: Database,
    *,
    include_done: bool = False,
    due_by: dt.date | None = None,
    client_id: int | None = None,
) -> list[ReminderRow]:
    """Reminders by due date (then client name), open ones only unless ``include_done``."""
    query = select(Reminder, Client.name).join(
        Client, col(Client.id) == Reminder.client_id, isouter=True
    )
    if not include_done:
        query = query.where(col(Reminder.done_on).is_(None))
    if due_by is not None:
        query = query.where(Reminder.due_on <= due_by)
    if client_id is not None:
        query = query.where(Reminder.client_id == client_id)
    query = query.order_by(col(Reminder.due_on), func.lower(Client.name), col(Reminder.id))
    with db.session() as session:
        return [_row(reminder, name) for reminder, name in session.exec(query).all()]


def grouped(db: Database, today: dt.date) -> dict[DueGroup, list[ReminderRow]]:
    """Open reminders in the page's groups: Overdue, Today, This week, Later (all present)."""
    groups: dict[DueGroup, list[ReminderRow]] = {group: [] for group in DueGroup}
    for row in list_reminders(db):
        groups[due_group(row.due_on, today)].append(row)
    return groups


def status_keys(db: Database, as_of: dt.date) -> dict[str, Any]:
    """``reminders_due``: open reminders due on or before ``as_of``, for ``build_status``."""
    return {
        "reminders_due": [
            {"client": row.client_name, "due": row.due_on.isoformat(), "purpose": row.purpose.value}
            for row in list_reminders(db, due_by=as_of)
        ]
    }


def describe(row: ReminderRow) -> str:
    """A one-line title: client and purpose (or the note of a reminder without client)."""
    what = label(row.purpose)
    if row.purpose is ReminderPurpose.CUSTOM and row.note:
        what = row.note.splitlines()[0]
    return f"{row.client_name}: {what}" if row.client_name else what
