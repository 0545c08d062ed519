"""Reminders (Wiedervorlagen): create, change, snooze, mark done, and list them by due date.

The date arithmetic lives in ``analytics.recurrence``; this module stores the results. Every
reminder gets a random ``uid`` when created so that calendar exports keep updating the same
event even if the database ever reuses a row id.

A reminder about a client is a planned contact, so it asks the contact rules
(``services.contact``): one on a channel that is blocked on the day it is due (or today, when
that is later) is refused with the reason. One that turns blocked later — the client objects,
or is erased — is listed as blocked with that reason and leaves the due lists, the dashboard
and the calendar (exported as cancelled).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from freelancer_desk import clock
from freelancer_desk.analytics.recurrence import (
    DueGroup,
    Recurrence,
    Snooze,
    due_group,
    next_due,
    snoozed_until,
)
from freelancer_desk.contact_rules import (
    ContactBlockedError,
    ContactPermission,
    ContactSubject,
    blocker,
)
from freelancer_desk.db import Database
from freelancer_desk.i18n import N_
from freelancer_desk.models import (
    Channel,
    Client,
    RecurrenceUnit,
    Reminder,
    ReminderCreate,
    ReminderPurpose,
    input_error,
    label,
    stored_input,
    validate,
)
from freelancer_desk.services.contact import all_subjects, subject_in
from freelancer_desk.services.records import fetch

# One reminder as pages see it; it lives with the status document, which lists the due ones.
from freelancer_desk.status_document import ReminderRow as ReminderRow

UID_DOMAIN = "freelancer-desk"


def action_day(due_on: dt.date, today: dt.date) -> dt.date:
    """The day a reminder is acted on: its due day, or today when it is overdue."""
    return max(due_on, today)


def _blocker(
    subjects: Mapping[int, ContactSubject],
    reminder: Reminder,
    today: dt.date,
    open_on: dt.date | None = None,
) -> ContactPermission | None:
    """What blocks the reminder's contact on the day it is acted on (None: nothing, no
    client, or done; ``open_on``: done by that day)."""
    done = reminder.done_on is not None and (open_on is None or reminder.done_on <= open_on)
    subject = None if reminder.client_id is None else subjects.get(reminder.client_id)
    if subject is None or done:
        return None
    return blocker(subject, reminder.channel, action_day(reminder.due_on, today))


def _row(
    reminder: Reminder, client_name: str | None, blocked: ContactPermission | None = None
) -> ReminderRow:
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
        channel=Channel(reminder.channel) if reminder.channel else None,
        note=reminder.note,
        recurrence=recurrence,
        done_on=reminder.done_on,
        blocked=blocked,
    )


def _load(session: Session, reminder_id: int) -> Reminder:
    reminder = fetch(session, Reminder, reminder_id)
    return reminder


def _snapshot(session: Session, reminder: Reminder) -> ReminderRow:
    session.flush()
    client = session.get(Client, reminder.client_id) if reminder.client_id is not None else None
    return _row(reminder, client.name if client is not None else None)


def reminder_in(session: Session, reminder_id: int) -> ReminderRow:
    """One reminder's row inside a service's own transaction; NotFoundError if it is gone."""
    return _snapshot(session, _load(session, reminder_id))


def _check_contact(session: Session, data: ReminderCreate, today: dt.date) -> None:
    """Refuse a reminder whose contact the rules block on the day it is acted on."""
    if data.client_id is None or data.done_on is not None:
        return
    blocked = blocker(
        subject_in(session, data.client_id), data.channel, action_day(data.due_on, today)
    )
    if blocked is not None:
        raise ContactBlockedError(blocked)


def _apply(session: Session, reminder: Reminder, data: ReminderCreate) -> None:
    """Copy validated input; a monthly series is (re-)anchored on its due day."""
    if data.client_id is not None and session.get(Client, data.client_id) is None:
        raise input_error("client_id", N_("choose an existing client"))
    for key, value in data.model_dump().items():
        setattr(reminder, key, value)
    monthly = data.recurrence_unit is RecurrenceUnit.MONTHS
    reminder.anchor_day = data.due_on.day if monthly else None


def close_open_in(
    session: Session,
    client_id: int,
    on: dt.date,
    purposes: tuple[ReminderPurpose, ...] | None = None,
) -> int:
    """Mark a client's open reminders done on ``on`` inside the caller's transaction.

    Used when the thing they follow up is over — a win-back case closed, a client erased — so
    that no reminder stays due for it. ``purposes``: only those (None: every purpose). A
    recurring one ends as well. Returns how many were closed.
    """
    query = select(Reminder).where(Reminder.client_id == client_id, col(Reminder.done_on).is_(None))
    if purposes is not None:
        query = query.where(col(Reminder.purpose).in_([purpose.value for purpose in purposes]))
    reminders = session.exec(query).all()
    for reminder in reminders:
        reminder.done_on = on
    return len(reminders)


def create_reminder(
    db: Database, data: ReminderCreate | Mapping[str, Any], today: dt.date | None = None
) -> ReminderRow:
    """Store a new reminder with a fresh calendar uid.

    Raises:
        ContactBlockedError: the reminder's channel (or, without one, every channel) is
            blocked for the client on the day it is due, or today when that is later.
    """
    with db.session() as session:
        return create_reminder_in(session, data, today)


def create_reminder_in(
    session: Session, data: ReminderCreate | Mapping[str, Any], today: dt.date | None = None
) -> ReminderRow:
    """``create_reminder`` inside a service's own transaction (accepting a next step stores
    the reminder and the decision together)."""
    checked = validate(ReminderCreate, data)
    reminder = Reminder(due_on=checked.due_on, uid=f"{uuid.uuid4()}@{UID_DOMAIN}")
    _apply(session, reminder, checked)
    _check_contact(session, checked, today or clock.today())
    session.add(reminder)
    return _snapshot(session, reminder)


def update_reminder(
    db: Database, reminder_id: int, changes: Mapping[str, Any], today: dt.date | None = None
) -> ReminderRow:
    """Change fields of a reminder; the merged reminder is validated as a whole.

    Changing the due date or the recurrence re-anchors a monthly series on the new due day.
    A change of client, channel or due date is checked against the contact rules again.
    """
    with db.session() as session:
        reminder = _load(session, reminder_id)
        current = {name: getattr(reminder, name) for name in ReminderCreate.model_fields}
        merged = validate(ReminderCreate, {**current, **changes})
        anchor = reminder.anchor_day
        _apply(session, reminder, merged)
        if any(getattr(merged, key) != current[key] for key in ("client_id", "channel", "due_on")):
            _check_contact(session, merged, today or clock.today())
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
        _check_contact(
            session,
            validate(ReminderCreate, {**stored_input(reminder, ReminderCreate)}),
            today,
        )
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
    open_on: dt.date | None = None,
    as_of: dt.date | None = None,
    today: dt.date | None = None,
) -> list[ReminderRow]:
    """Reminders by due date (then client name), open ones only unless ``include_done``.

    ``as_of``: as they stood on that day (DOMAIN.md §7): one done later was still open then
    (and shows no done day). A reminder records no day it was made, so its due day is the
    only sign of it: seen from a past day, one due after that day was made after it and is
    left out, so that the review of a closed period reads the same whenever it is printed.
    ``open_on``: as they stood on that day, the open ones only.
    Each open reminder about a client carries ``blocked`` when the contact rules block it on
    the day it is acted on (``action_day`` with ``today``); the due lists leave those out.
    """
    today = today or clock.today()
    seen_on = open_on or as_of
    subjects = all_subjects(db)
    query = select(Reminder, Client.name).join(
        Client, col(Client.id) == Reminder.client_id, isouter=True
    )
    if seen_on is not None and seen_on < clock.today():
        query = query.where(Reminder.due_on <= seen_on)
    if open_on is not None:
        query = query.where(or_(col(Reminder.done_on).is_(None), col(Reminder.done_on) > open_on))
    elif not include_done:
        query = query.where(col(Reminder.done_on).is_(None))
    if due_by is not None:
        query = query.where(Reminder.due_on <= due_by)
    if client_id is not None:
        query = query.where(Reminder.client_id == client_id)
    query = query.order_by(col(Reminder.due_on), func.lower(Client.name), col(Reminder.id))
    with db.session() as session:
        rows = [
            _row(reminder, name, _blocker(subjects, reminder, today, seen_on))
            for reminder, name in session.exec(query).all()
        ]
    if seen_on is None:
        return rows
    return [
        replace(row, done_on=None) if row.done_on is not None and row.done_on > seen_on else row
        for row in rows
    ]


def due_reminders(db: Database, as_of: dt.date) -> list[ReminderRow]:
    """Reminders open on ``as_of`` and due by then that the contact rules do not block."""
    return [
        row
        for row in list_reminders(db, due_by=as_of, open_on=as_of, today=as_of)
        if row.blocked is None
    ]


def blocked_reminders(db: Database, today: dt.date) -> list[ReminderRow]:
    """Open reminders the contact rules block, each with the reason."""
    return [row for row in list_reminders(db, today=today) if row.blocked is not None]


def grouped(db: Database, today: dt.date) -> dict[DueGroup, list[ReminderRow]]:
    """Open reminders in the page's groups: Overdue, Today, This week, Later (all present).

    Blocked reminders are in none of them (``blocked_reminders``).
    """
    groups: dict[DueGroup, list[ReminderRow]] = {group: [] for group in DueGroup}
    for row in list_reminders(db, today=today):
        if row.blocked is None:
            groups[due_group(row.due_on, today)].append(row)
    return groups


def describe(row: ReminderRow) -> str:
    """A one-line title: client and purpose (or the note of a reminder without client)."""
    what = label(row.purpose)
    if row.purpose is ReminderPurpose.CUSTOM and row.note:
        what = row.note.splitlines()[0]
    return f"{row.client_name}: {what}" if row.client_name else what
