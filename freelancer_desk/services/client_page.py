"""What a client's page shows: a header that explains, and one timeline of everything.

The header answers "how does this client stand, and what do I do next?": the status with its
reasons (the status's own words), the revenue of the 12 months with its share and their
changes, open and overdue invoices, the channels the contact rules allow, and the next step.
It is the call brief (``services.dossier``) plus the client's line of the status document, so
the page, the PDF and the dashboard never disagree.

The timeline puts every dated record of the client in one list, newest first: invoices and
payments, contacts with their moods, complaints, losses, win-back attempts, reminders and
feedback requests. Each event names the record it comes from, so the page can open it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from sqlmodel import col, select

from freelancer_desk.analytics.periods import Period, resolve
from freelancer_desk.analytics.steps import Step
from freelancer_desk.db import Database
from freelancer_desk.i18n import N_, current_language
from freelancer_desk.models import (
    Channel,
    FeedbackRequest,
    Interaction,
    InteractionKind,
    Loss,
    Reminder,
    RevenueEntry,
    WinbackAttempt,
    WinbackCase,
)
from freelancer_desk.money import from_cents
from freelancer_desk.services import dossier as dossier_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services.dossier import Dossier
from freelancer_desk.services.revenue import OpenInvoice
from freelancer_desk.services.status import StatusRequest, build_status
from freelancer_desk.texts import Label, Text

# --------------------------------------------------------------------------------------------
# The header
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """One client on ``brief.as_of``: the call brief plus its line of the status document.

    Attributes:
        reasons: why the client has its status (empty for an active client).
        period: the 12 months to the day; ``net_cents`` and ``share`` are of it, the
            ``previous_…`` figures of the 12 months before (as the dashboard shows them).
        share: the client's share of all positive client revenue; None without revenue.
    """

    brief: Dossier
    reasons: tuple[Text, ...]
    period: Period
    net_cents: int
    previous_net_cents: int
    share: Fraction | None
    previous_share: Fraction | None

    @property
    def next_step(self) -> Step | None:
        """The most urgent open step of the client, if any."""
        return self.brief.steps[0] if self.brief.steps else None

    @property
    def overdue(self) -> tuple[OpenInvoice, ...]:
        """The open invoices past their due day."""
        return tuple(item for item in self.brief.open_invoices if item.overdue)


def overview(db: Database, client_id: int, as_of: dt.date) -> Overview:
    """The header of a client's page on ``as_of``; NotFoundError if the client is gone."""
    seen = resolve(None, as_of, as_of)
    brief = dossier_service.dossier(db, client_id, seen, current_language())
    status = build_status(db, StatusRequest(as_of=as_of, today=as_of))
    now = next((row for row in status.clients if row.client_id == client_id), None)
    before = next((row for row in status.previous.clients if row.client_id == client_id), None)
    return Overview(
        brief=brief,
        reasons=steps_service.reasons(db, as_of).get(client_id, ()),
        period=status.period,
        net_cents=now.net_cents if now is not None else 0,
        previous_net_cents=now.previous_net_cents if now is not None else 0,
        share=now.share if now is not None else None,
        previous_share=before.share if before is not None else None,
    )


# --------------------------------------------------------------------------------------------
# The timeline
# --------------------------------------------------------------------------------------------


class EventKind(StrEnum):
    """What a line of the timeline is; the page filters by it."""

    INVOICE = "invoice"
    PAYMENT = "payment"
    CONTACT = "contact"
    COMPLAINT = "complaint"
    LOSS = "loss"
    ATTEMPT = "attempt"
    REMINDER = "reminder"
    FEEDBACK = "feedback"


#: The filter's names of the event kinds.
EVENT_LABELS: dict[EventKind, str] = {
    EventKind.INVOICE: N_("Invoices"),
    EventKind.PAYMENT: N_("Payments"),
    EventKind.CONTACT: N_("Contacts"),
    EventKind.COMPLAINT: N_("Complaints"),
    EventKind.LOSS: N_("Losses"),
    EventKind.ATTEMPT: N_("Win-back attempts"),
    EventKind.REMINDER: N_("Reminders"),
    EventKind.FEEDBACK: N_("Feedback"),
}


@dataclass(frozen=True)
class Event:
    """One line of the timeline.

    Attributes:
        record: the table and id of the record it comes from (``("interaction", 7)``).
        what: what happened, with its figures.
        note: the user's own words (notes, reason, answer), as typed.
        mood: the client's mood of a contact (−2 … +2).
    """

    day: dt.date
    kind: EventKind
    what: Text
    record: tuple[str, int]
    note: str = ""
    mood: int | None = None
    channel: Channel | None = None


def timeline(db: Database, client_id: int, as_of: dt.date) -> list[Event]:
    """Every dated record of the client up to ``as_of``, newest first (a reminder counts on
    its due day, or on the day it was done)."""
    events: list[Event] = []
    with db.session() as session:
        for entry in session.exec(
            select(RevenueEntry).where(
                RevenueEntry.client_id == client_id, RevenueEntry.invoice_date <= as_of
            )
        ).all():
            events.extend(_revenue_events(entry, as_of))
        for item in session.exec(
            select(Interaction).where(Interaction.client_id == client_id, Interaction.date <= as_of)
        ).all():
            complaint = item.kind == InteractionKind.COMPLAINT
            events.append(
                Event(
                    item.date,
                    EventKind.COMPLAINT if complaint else EventKind.CONTACT,
                    Text(N_("Logged: {kind}"), {"kind": Label(item.kind)}),
                    ("interaction", _id(item.id)),
                    item.notes or "",
                    item.mood,
                    Channel(item.channel),
                )
            )
        for loss in session.exec(
            select(Loss).where(Loss.client_id == client_id, Loss.lost_on <= as_of)
        ).all():
            events.append(
                Event(
                    loss.lost_on,
                    EventKind.LOSS,
                    Text(N_("Lost ({loss_type})"), {"loss_type": Label(loss.loss_type)}),
                    ("loss", _id(loss.id)),
                    " ".join(part for part in (loss.reason_text, loss.notes) if part),
                )
            )
        for attempt in session.exec(
            select(WinbackAttempt)
            .join(WinbackCase, col(WinbackCase.id) == WinbackAttempt.case_id)
            .join(Loss, col(Loss.id) == WinbackCase.loss_id)
            .where(Loss.client_id == client_id, WinbackAttempt.date <= as_of)
        ).all():
            events.append(
                Event(
                    attempt.date,
                    EventKind.ATTEMPT,
                    Text(
                        N_("Win-back attempt: {reaction}"),
                        {"reaction": Label(attempt.reaction)},
                    ),
                    ("winback_attempt", _id(attempt.id)),
                    attempt.notes or "",
                    channel=Channel(attempt.channel),
                )
            )
        reminders = session.exec(select(Reminder).where(Reminder.client_id == client_id)).all()
        events.extend(_reminder_events(reminders, as_of))
        for request in session.exec(
            select(FeedbackRequest).where(FeedbackRequest.client_id == client_id)
        ).all():
            events.extend(_feedback_events(request, as_of))
    return sorted(events, key=lambda e: (e.day, e.kind.value, e.record[1]), reverse=True)


def _id(row_id: int | None) -> int:
    assert row_id is not None
    return row_id


def _revenue_events(entry: RevenueEntry, as_of: dt.date) -> list[Event]:
    record = ("revenue_entry", _id(entry.id))
    amount = from_cents(entry.net_cents)
    if entry.net_cents < 0:
        what = Text(N_("Credit note over {amount} (net)"), {"amount": -amount})
    elif entry.invoice_number:
        what = Text(
            N_("Invoice {number} over {amount} (net)"),
            {"number": entry.invoice_number, "amount": amount},
        )
    else:
        what = Text(N_("Invoice over {amount} (net)"), {"amount": amount})
    found = [Event(entry.invoice_date, EventKind.INVOICE, what, record, entry.note or "")]
    if entry.paid_date is not None and entry.paid_date <= as_of and entry.net_cents > 0:
        late = (entry.paid_date - entry.due_date).days if entry.due_date is not None else 0
        paid = (
            Text(N_("Paid {amount}, {days} days late"), {"amount": amount, "days": late})
            if late > 0
            else Text(N_("Paid {amount}"), {"amount": amount})
        )
        found.append(Event(entry.paid_date, EventKind.PAYMENT, paid, record))
    return found


def _reminder_events(reminders: Sequence[Reminder], as_of: dt.date) -> list[Event]:
    found = []
    for reminder in reminders:
        done = reminder.done_on is not None and reminder.done_on <= as_of
        day = reminder.done_on if done and reminder.done_on is not None else reminder.due_on
        what = (
            Text(N_("Reminder done: {purpose}"), {"purpose": Label(reminder.purpose)})
            if done
            else Text(N_("Reminder: {purpose}"), {"purpose": Label(reminder.purpose)})
        )
        found.append(
            Event(
                day,
                EventKind.REMINDER,
                what,
                ("reminder", _id(reminder.id)),
                reminder.note or "",
                channel=Channel(reminder.channel) if reminder.channel else None,
            )
        )
    return found


def _feedback_events(request: FeedbackRequest, as_of: dt.date) -> list[Event]:
    record = ("feedback_request", _id(request.id))
    kind = Label(request.kind)
    channel = Channel(request.channel)
    found = []
    if request.answered_on is not None and request.answered_on <= as_of:
        answer = (
            Text(N_("{kind} answered: {rating} of 5"), {"kind": kind, "rating": request.rating})
            if request.rating is not None
            else Text(N_("{kind} answered"), {"kind": kind})
        )
        found.append(
            Event(request.answered_on, EventKind.FEEDBACK, answer, record, request.response or "")
        )
    if request.sent_on is not None and request.sent_on <= as_of:
        sent = Text(N_("{kind} requested"), {"kind": kind})
        found.append(Event(request.sent_on, EventKind.FEEDBACK, sent, record, channel=channel))
    elif request.planned_on is not None and request.planned_on <= as_of:
        planned = Text(N_("{kind} planned"), {"kind": kind})
        found.append(
            Event(request.planned_on, EventKind.FEEDBACK, planned, record, channel=channel)
        )
    return found
