"""The step plan from the stored records: gather the facts, then accept, dismiss, snooze or undo.

The rules are pure (``analytics.steps``); this module reads what they look at — mostly what
the status already gathered (signs, lifecycle, contact facts) and each client's revenue of the
12 months to the day, kept per data version in ``db.memo`` — and stores the user's decisions
by step id in ``step_decision``.

``plan(db, as_of)`` is the one list every view reads. Accepting a step turns it into one
reminder (or, for a request for feedback or a review, one planned feedback request) and
remembers it with the step: accepting again returns the same record and changes nothing.
Dismissing is remembered for good, snoozing until a day; ``undo`` takes a decision back (and
the record an accepted step made, while it is still open).

The news for the "tell about new skills" steps ("I now also do X") is stored in the
``setting`` table as JSON under ``NEWS_KEY``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from freelancer_desk import clock, formatting, kept
from freelancer_desk.analytics.lifecycle import derive_status
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.analytics.steps import (
    GOOD_TERMS_WINDOW_DAYS,
    AttemptFacts,
    ClientSituation,
    DecisionFacts,
    LossFacts,
    Sale,
    SkillNews,
    Step,
    StepFacts,
    StepKind,
    all_steps,
    next_steps,
    reasons_for,
)
from freelancer_desk.analytics.warnings import (
    CHASING_ORDERS,
    FEWER_ORDERS,
    LATE_PAYMENTS,
    MORE_COMPLAINTS,
    SMALLER_ORDERS,
    UNREACHABLE,
)
from freelancer_desk.catalog import NO_WINBACK_REASONS
from freelancer_desk.contact_rules import permissions
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Channel,
    Client,
    Decision,
    FeedbackRequest,
    FeedbackStatus,
    Interaction,
    InteractionKind,
    Loss,
    LossReason,
    LossType,
    LoyaltyType,
    Reaction,
    Reminder,
    RevenueEntry,
    Setting,
    StepDecision,
    WinbackAttempt,
    WinbackCase,
    WinbackOutcome,
    input_error,
    label,
)
from freelancer_desk.money import from_cents, to_cents
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.clients import ClientRow, client_facts, client_rows
from freelancer_desk.services.contact import all_subjects
from freelancer_desk.services.feedback import FeedbackRow
from freelancer_desk.services.losses import outcome_on, revenue_before
from freelancer_desk.services.reminders import ReminderRow
from freelancer_desk.services.warning_signs import signals_by_client
from freelancer_desk.services.winback import case_value
from freelancer_desk.texts import InLanguages, Text

#: Where the news for the "tell about new skills" steps is stored (the key dates from when
#: the steps were called suggestions; stored news keeps working).
NEWS_KEY = "suggestions.news"

#: Contacts that are personal: a talk on the phone or in a meeting.
PERSONAL_CHANNELS = (Channel.PHONE, Channel.MEETING)
PERSONAL_KINDS = (InteractionKind.CONTACT, InteractionKind.PRAISE, InteractionKind.FEEDBACK)


# --------------------------------------------------------------------------------------------
# The plan
# --------------------------------------------------------------------------------------------


def plan(db: Database, as_of: dt.date) -> list[Step]:
    """What to do next as of ``as_of``, in priority order (kept until the data change: the
    dashboard computes it in the background, its card then reads it on the GUI thread).

    Kept in the file as well (``freelancer_desk.kept``), like the status document: the next
    start and every printed review on unchanged data read it instead of working it out for
    every client again. Reminders and feedback requests are seen from the real today too,
    so the day is part of the key.
    """
    key = kept.key_text("plan", as_of, clock.today())
    return list(
        db.memo.get(
            ("plan", as_of),
            lambda: kept.kept_or_computed(
                db.keeper,
                key,
                lambda: tuple(next_steps(facts(db, as_of))),
                lambda found: (
                    isinstance(found, tuple) and all(isinstance(step, Step) for step in found)
                ),
            ),
        )
    )


def steps_for_client(db: Database, client_id: int, as_of: dt.date) -> list[Step]:
    """The open steps of one client, in priority order (the client page, the dossier)."""
    return [step for step in plan(db, as_of) if step.client_id == client_id]


def reasons(db: Database, as_of: dt.date) -> dict[int, tuple[Text, ...]]:
    """Why each client has its status on ``as_of``, in the status's words (no text for an
    active client): what ``status_reasons`` says of each client's situation.

    Read from the few facts a reason names (lifecycle, warning signs, latest loss), not from
    the whole ``facts`` of the plan: on a start whose plan is kept, the Clients list would
    otherwise gather every client's contacts, permissions, reminders and requests only for
    this (12 MB and half a second on 2,000 clients).
    """
    sleeping_days = settings_service.load(db).sleeping_days
    signals = signals_by_client(db, as_of)
    lifecycle = client_facts(db, as_of)
    with db.session() as session:
        created = session.exec(select(col(Client.id), col(Client.created_on))).all()
        losses = _latest_losses(session, as_of)
    found: dict[int, tuple[Text, ...]] = {}
    for client_id, created_on in created:
        assert client_id is not None  # read from the table: every row has its id
        fact = lifecycle[client_id]
        found[client_id] = reasons_for(
            derive_status(fact, as_of, sleeping_days),
            as_of,
            signals=signals.get(client_id, ()),
            last_invoice=fact.last_invoice,
            created_on=created_on,
            loss=losses.get(client_id),
            won_back_on=fact.won_back_on if fact.won_back else None,
        )
    return found


def explained_client_rows(db: Database, as_of: dt.date) -> list[ClientRow]:
    """The Clients list's rows, each status with its reasons."""
    why = reasons(db, as_of)
    return [replace(row, reasons=why.get(row.id, ())) for row in client_rows(db, as_of)]


def to_json(steps: Iterable[Step], as_of: dt.date, lang: str | None = None) -> dict[str, Any]:
    """The plan as ``next --json`` prints it: texts in ``lang`` (None: the current language),
    the value at stake in euros; every key keeps its meaning, new keys are only added."""
    return {
        "as_of": as_of.isoformat(),
        "steps": [
            {
                "id": step.id,
                "client": step.client,
                "kind": step.kind.value,
                "why": step.why_in(lang),
                "what": step.what_in(lang),
                "channel": None if step.channel is None else step.channel.value,
                "due": step.due.isoformat(),
                "value": float(from_cents(step.value_cents)),
                "stake": step.stake_in(lang),
                "about": None if step.about is None else step.about.render(lang),
            }
            for step in steps
        ],
    }


def facts(db: Database, as_of: dt.date) -> StepFacts:
    """Everything the rules look at on ``as_of``, kept until the data change (shared:
    read-only)."""
    return db.memo.get(("step_facts", as_of), lambda: _gather(db, as_of))


def _gather(db: Database, as_of: dt.date) -> StepFacts:
    settings = settings_service.load(db)
    # What is at stake is a client's revenue of the 12 months to the day (DOMAIN.md §8): one
    # grouped read. A whole status document here cost the printed review, which builds its own
    # for its year or quarter, a second one of 1.5–2 s on 2,000 clients.
    [net_12m] = revenue_service.net_by_client_in(
        db, (rolling_12_months(as_of),), settings.basis, as_of
    )
    signals = signals_by_client(db, as_of)
    lifecycle = client_facts(db, as_of)
    subjects = all_subjects(db)
    with db.session() as session:
        clients = session.exec(
            select(
                col(Client.id),
                col(Client.name),
                col(Client.created_on),
                col(Client.loyalty),
            )
        ).all()
        losses = _latest_losses(session, as_of)
        contacts = _contacts(session, as_of)
        first_sales, last_sales = _sales(session, as_of)
        late_payers = [
            cid for cid, found in signals.items() if any(s.name == LATE_PAYMENTS for s in found)
        ]
        last_paid = _last_paid(session, as_of, late_payers)
        decisions = {
            row.step_id: DecisionFacts(Decision(row.decision), row.until)
            for row in session.exec(
                select(StepDecision).where(StepDecision.decided_on <= as_of)
            ).all()
        }
        news = _news(session)
    situations = []
    for client_id, name, created_on, loyalty in clients:
        assert client_id is not None
        fact = lifecycle[client_id]
        latest = contacts.latest.get(client_id, {})
        events = {
            FEWER_ORDERS: fact.last_invoice,
            SMALLER_ORDERS: fact.last_invoice,
            LATE_PAYMENTS: last_paid.get(client_id) or fact.last_invoice,
            MORE_COMPLAINTS: latest.get(InteractionKind.COMPLAINT),
            UNREACHABLE: latest.get(InteractionKind.UNREACHABLE),
            CHASING_ORDERS: latest.get(InteractionKind.CHASING),
        }
        situations.append(
            ClientSituation(
                client_id=client_id,
                name=name,
                status=derive_status(fact, as_of, settings.sleeping_days),
                created_on=created_on,
                permissions=permissions(subjects[client_id], as_of),
                value_cents=net_12m.get(client_id, 0),
                loyalty=LoyaltyType(loyalty) if loyalty else None,
                last_invoice=fact.last_invoice,
                first_sale=first_sales.get(client_id),
                last_sale=last_sales.get(client_id),
                returner=fact.returner,
                won_back_on=fact.won_back_on if fact.won_back else None,
                signals=tuple(signals.get(client_id, ())),
                sign_events={sign: day for sign, day in events.items() if day is not None},
                latest=latest,
                praise=contacts.praise.get(client_id),
                personal_contact=contacts.personal.get(client_id),
                complaints=tuple(contacts.complaints.get(client_id, ())),
                loss=losses.get(client_id),
            )
        )
    return StepFacts(
        as_of=as_of,
        clients=tuple(situations),
        reminders=tuple(
            reminders_service.list_reminders(db, include_done=True, as_of=as_of, today=as_of)
        ),
        requests=tuple(feedback_service.list_requests(db, today=as_of)),
        decisions=decisions,
        news=news,
        sleeping_days=settings.sleeping_days,
        late_days=settings.warning_late_days,
        new_clients_weeks=settings.new_clients_every_weeks,
    )


@dataclass(frozen=True)
class _Contacts:
    """The interactions the rules look at, per client."""

    latest: dict[int, dict[InteractionKind, dt.date]]
    praise: dict[int, tuple[int, dt.date]]
    personal: dict[int, dt.date]
    complaints: dict[int, list[dt.date]]


def _contacts(session: Session, as_of: dt.date) -> _Contacts:
    """Latest day of each kind, latest praise, latest personal talk and every complaint."""
    connection = session.connection()
    latest: dict[int, dict[InteractionKind, dt.date]] = defaultdict(dict)
    for client_id, kind, day in connection.execute(
        select(col(Interaction.client_id), col(Interaction.kind), func.max(col(Interaction.date)))
        .where(col(Interaction.date) <= as_of)
        .group_by(col(Interaction.client_id), col(Interaction.kind))
    ):
        latest[client_id][InteractionKind(kind)] = dt.date.fromisoformat(str(day))
    praise: dict[int, tuple[int, dt.date]] = {}
    complaints: dict[int, list[dt.date]] = defaultdict(list)
    for client_id, row_id, kind, day in connection.execute(
        select(
            col(Interaction.client_id),
            col(Interaction.id),
            col(Interaction.kind),
            col(Interaction.date),
        )
        .where(
            col(Interaction.kind).in_([InteractionKind.PRAISE, InteractionKind.COMPLAINT]),
            col(Interaction.date) <= as_of,
        )
        .order_by(col(Interaction.date), col(Interaction.id))
    ):
        if kind == InteractionKind.COMPLAINT:
            complaints[client_id].append(day)
        elif row_id is not None:  # always: a praise read from the table has its id
            praise[client_id] = (row_id, day)
    personal = dict(
        connection.execute(
            select(col(Interaction.client_id), func.max(col(Interaction.date)))
            .where(
                col(Interaction.kind).in_(PERSONAL_KINDS),
                col(Interaction.channel).in_(PERSONAL_CHANNELS),
                col(Interaction.date) <= as_of,
            )
            .group_by(col(Interaction.client_id))
        ).all()
    )
    personal = {cid: dt.date.fromisoformat(str(day)) for cid, day in personal.items()}
    return _Contacts(dict(latest), praise, personal, dict(complaints))


def _sales(session: Session, as_of: dt.date) -> tuple[dict[int, dt.date], dict[int, Sale]]:
    """Each client's first positive invoice day, and its latest positive invoice (with the
    paid date as it stood on ``as_of``), each found on the (client, date) index."""
    entry = RevenueEntry
    sale = (
        col(entry.client_id) == col(Client.id),
        col(entry.invoice_date) <= as_of,
        col(entry.net_cents) > 0,
    )
    first = select(col(entry.invoice_date)).where(*sale).order_by(col(entry.invoice_date))
    last = (
        select(col(entry.id))
        .where(*sale)
        .order_by(col(entry.invoice_date).desc(), col(entry.id).desc())
    )
    connection = session.connection()
    firsts: dict[int, dt.date] = {}
    last_ids: list[int] = []
    for client_id, first_day, last_id in connection.execute(
        select(col(Client.id), first.limit(1).scalar_subquery(), last.limit(1).scalar_subquery())
    ):
        if first_day is not None:
            firsts[client_id] = dt.date.fromisoformat(str(first_day))
            last_ids.append(last_id)
    sales = {
        client_id: Sale(row_id, invoice_date, paid if paid is not None and paid <= as_of else None)
        for row_id, client_id, invoice_date, paid in connection.execute(
            select(
                col(entry.id), col(entry.client_id), col(entry.invoice_date), col(entry.paid_date)
            ).where(col(entry.id).in_(last_ids))
        )
        if row_id is not None  # always: an entry read from the table has its id
    }
    return firsts, sales


def _last_paid(session: Session, as_of: dt.date, client_ids: list[int]) -> dict[int, dt.date]:
    """The latest payment up to ``as_of`` of each of the given clients."""
    if not client_ids:
        return {}
    rows = session.connection().execute(
        select(col(RevenueEntry.client_id), func.max(col(RevenueEntry.paid_date)))
        .where(col(RevenueEntry.client_id).in_(client_ids), col(RevenueEntry.paid_date) <= as_of)
        .group_by(col(RevenueEntry.client_id))
    )
    return {cid: dt.date.fromisoformat(str(day)) for cid, day in rows if day is not None}


def _lines(text: str | None) -> str:
    return "; ".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _latest_losses(session: Session, as_of: dt.date) -> dict[int, LossFacts]:
    """The latest loss on or before ``as_of`` of every client that has one, with its case."""
    latest: dict[int, Loss] = {}
    for loss in session.exec(
        select(Loss).where(Loss.lost_on <= as_of).order_by(col(Loss.lost_on), col(Loss.id))
    ).all():
        latest[loss.client_id] = loss
    if not latest:
        return {}
    reasons = {reason.code: reason for reason in session.exec(select(LossReason)).all()}
    cases = {
        case.loss_id: case
        for case in session.exec(
            select(WinbackCase).where(
                col(WinbackCase.loss_id).in_([loss.id for loss in latest.values()])
            )
        ).all()
    }
    attempts: dict[int, list[AttemptFacts]] = defaultdict(list)
    for attempt in session.exec(
        select(WinbackAttempt).where(
            col(WinbackAttempt.case_id).in_([c.id for c in cases.values()]),
            WinbackAttempt.date <= as_of,
        )
    ).all():
        attempts[attempt.case_id].append(
            AttemptFacts(
                attempt.id,  # type: ignore[arg-type]  # read from the table: the id is set
                attempt.date,
                Channel(attempt.channel),
                Reaction(attempt.reaction),
            )
        )
    complaints: dict[int, list[dt.date]] = defaultdict(list)
    for client_id, day in session.exec(
        select(col(Interaction.client_id), col(Interaction.date)).where(
            col(Interaction.kind) == InteractionKind.COMPLAINT,
            col(Interaction.client_id).in_(list(latest)),
            col(Interaction.date) <= as_of,
        )
    ).all():
        complaints[client_id].append(day)
    before = revenue_before(session, list(latest.values()))
    found = {}
    for client_id, loss in latest.items():
        assert loss.id is not None
        case = cases.get(loss.id)
        reason = reasons.get(loss.reason_code)
        if case is not None and case.measures:
            measures = InLanguages(_lines(case.measures), _lines(case.measures))
        elif reason is not None:
            measures = InLanguages(_lines(reason.measures_de), _lines(reason.measures_en))
        else:
            measures = InLanguages("", "")
        window = loss.lost_on - dt.timedelta(days=GOOD_TERMS_WINDOW_DAYS)
        outcome = None if case is None else outcome_on(case.outcome, case.outcome_on, as_of)
        found[client_id] = LossFacts(
            loss_id=loss.id,
            lost_on=loss.lost_on,
            loss_type=LossType(loss.loss_type),
            reason_code=loss.reason_code,
            reason=InLanguages(reason.label_de, reason.label_en)
            if reason is not None
            else InLanguages(loss.reason_code, loss.reason_code),
            measures=measures,
            value_cents=to_cents(case_value(case)) if case is not None else before.get(loss.id, 0),
            estimated=case is None,
            revenue_before_cents=before.get(loss.id, 0),
            winback_possible=loss.reason_code not in NO_WINBACK_REASONS,
            objected=loss.objected,
            case_id=None if case is None else case.id,
            outcome=outcome,
            outcome_on=None if case is None or outcome is WinbackOutcome.OPEN else case.outcome_on,
            revisit_on=case.revisit_on if case is not None else None,
            incentive=None if case is None else case.incentive,
            complaints_before=sum(
                window <= day <= loss.lost_on for day in complaints.get(client_id, [])
            ),
            attempts=tuple(
                sorted(
                    (a for a in attempts.get(case.id, []) if a.date >= loss.lost_on)
                    if case is not None and case.id is not None
                    else (),
                    key=lambda a: (a.date, a.id),
                )
            ),
            checklist_done=frozenset((case.returner_checklist or "").split())
            if case is not None
            else frozenset(),
        )
    return found


# --------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Done:
    """What a decision about a step did, for the message beside it (with undo).

    Attributes:
        again: nothing changed: the step had been decided so already (accepting twice).
    """

    step_id: str
    decision: Decision
    reminder: ReminderRow | None = None
    request: FeedbackRow | None = None
    until: dt.date | None = None
    again: bool = False

    @property
    def message(self) -> str:
        """What happened, in the current language."""
        if self.reminder is not None:
            text = _("Reminder for {date} created.").format(
                date=formatting.date(self.reminder.due_on)
            )
        elif self.request is not None:
            text = _("Feedback request planned ({channel}).").format(
                channel=label(self.request.channel)
            )
        elif self.decision is Decision.SNOOZED and self.until is not None:
            text = _("Snoozed until {date}.").format(date=formatting.date(self.until))
        elif self.decision is Decision.DISMISSED:
            text = _("Dismissed: this step will not come back.")
        else:
            text = _("Accepted.")
        if self.again:
            text = _("Already done before: {what}").format(what=text)
        return text


def _find(db: Database, step_id: str, today: dt.date) -> Step:
    """The step with ``step_id`` as the situation of ``today`` calls for it, decided or not."""
    for step in all_steps(facts(db, today)):
        if step.id == step_id:
            return step
    if step_id in decisions(db) or _well_formed(step_id):
        raise NotFoundError(_("This step is no longer open: {id}").format(id=step_id))
    raise NotFoundError(_("There is no such step: {id}").format(id=step_id))


def _well_formed(step_id: str) -> bool:
    """The id has the shape of a step's (``kind:client:occasion`` of a known kind)."""
    kind, _sep, rest = step_id.partition(":")
    return kind in {k.value for k in StepKind} and bool(rest)


def _decision(session: Session, step_id: str) -> StepDecision | None:
    return session.exec(select(StepDecision).where(col(StepDecision.step_id) == step_id)).first()


def _done(session: Session, row: StepDecision, again: bool = False) -> Done:
    """What a stored decision says, with the record an accepted step made."""
    reminder = request = None
    if row.reminder_id is not None and session.get(Reminder, row.reminder_id) is not None:
        reminder = reminders_service.reminder_in(session, row.reminder_id)
    if row.feedback_request_id is not None:
        found = session.get(FeedbackRequest, row.feedback_request_id)
        if found is not None:
            request = feedback_service.row_in(session, found)
    return Done(row.step_id, Decision(row.decision), reminder, request, row.until, again=again)


def accept(db: Database, step_id: str, today: dt.date) -> Done:
    """Turn a step into one reminder (due on its day, or today when that has passed) or, for a
    request for feedback or a review, one planned feedback request.

    Accepting an accepted step again changes nothing and returns the same record. The step is
    looked up afresh, so one the situation no longer calls for (the client objected meanwhile)
    is refused with NotFoundError.
    """
    with db.session() as session:
        kept = _decision(session, step_id)
        if kept is not None and kept.decision == Decision.ACCEPTED:
            return _done(session, kept, again=True)
    step = _find(db, step_id, today)
    if step.kind is StepKind.OVERDUE_REMINDER:
        return _take_up(db, step, today)
    note = "\n".join(part for part in (step.what_in(), step.why_in()) if part)
    with db.session() as session:
        row = _decision(session, step_id) or StepDecision(
            step_id=step_id,
            kind=step.kind.value,
            client_id=step.client_id,
            decision=Decision.ACCEPTED,
            decided_on=today,
        )
        row.decision, row.decided_on, row.until = Decision.ACCEPTED, today, None
        if step.feedback_kind is not None and step.client_id is not None:
            request = feedback_service.create_request_in(
                session,
                {
                    "client_id": step.client_id,
                    "kind": step.feedback_kind,
                    "channel": step.channel,
                    "status": FeedbackStatus.PLANNED,
                    "planned_on": today,
                },
                today,
            )
            row.feedback_request_id = request.id
        else:
            reminder = reminders_service.create_reminder_in(
                session,
                {
                    "client_id": step.client_id,
                    "due_on": max(step.due, today),
                    "purpose": step.purpose,
                    "channel": step.channel,
                    "note": note,
                },
                today,
            )
            row.reminder_id = reminder.id
        session.add(row)
        session.flush()
        return _done(session, row)


def _take_up(db: Database, step: Step, today: dt.date) -> Done:
    """Accepting an overdue reminder moves it to today: it is the record already, so none is
    made (and undo leaves it alone)."""
    reminder_id = int(step.ref.split("@")[0])
    with db.session() as session:
        reminder = session.get(Reminder, reminder_id)
        if reminder is not None and reminder.done_on is None:
            reminder.due_on = today
        row = _decision(session, step.id) or StepDecision(
            step_id=step.id,
            kind=step.kind.value,
            client_id=step.client_id,
            decision=Decision.ACCEPTED,
            decided_on=today,
        )
        row.decision, row.decided_on, row.until = Decision.ACCEPTED, today, None
        session.add(row)
        session.flush()
        return _done(session, row)


def dismiss(db: Database, step_id: str, today: dt.date) -> Done:
    """Never show this step again (the same kind, client and occasion)."""
    return _set(db, step_id, today, Decision.DISMISSED)


def snooze(db: Database, step_id: str, until: dt.date, today: dt.date) -> Done:
    """Keep the step off the plan until ``until`` (a day after ``today``)."""
    if until <= today:
        raise input_error("until", N_("pick a day after today"))
    return _set(db, step_id, today, Decision.SNOOZED, until)


def _set(
    db: Database, step_id: str, today: dt.date, decision: Decision, until: dt.date | None = None
) -> Done:
    with db.session() as session:
        kept = _decision(session, step_id)
    if kept is None:
        step = _find(db, step_id, today)
        kind, client_id = step.kind.value, step.client_id
    elif kept.decision == Decision.ACCEPTED:
        raise InputError(
            "step", _("This step was accepted; undo that first."), label=_("Next step")
        )
    elif kept.decision == decision and kept.until == until:
        with db.session() as session:
            return _done(session, kept, again=True)
    else:
        kind, client_id = kept.kind, kept.client_id
    try:
        with db.session() as session:
            row = _decision(session, step_id) or StepDecision(
                step_id=step_id,
                kind=kind,
                client_id=client_id,
                decision=decision,
                decided_on=today,
            )
            row.decision, row.decided_on, row.until = decision, today, until
            session.add(row)
            session.flush()
            return _done(session, row)
    except IntegrityError:  # decided at the same moment from another view: the wish is kept
        with db.session() as session:
            stored = _decision(session, step_id)
            assert stored is not None  # the other view's decision is what made ours fail
            return _done(session, stored, again=True)


def undo(db: Database, step_id: str) -> Done | None:
    """Take back the decision about a step; an accepted step's reminder or request goes too
    while it is still open (not done, not sent). None when nothing was decided."""
    with db.session() as session:
        row = _decision(session, step_id)
        if row is None:
            return None
        done = _done(session, row)
        reminder = session.get(Reminder, row.reminder_id) if row.reminder_id else None
        if reminder is not None and reminder.done_on is None:
            session.delete(reminder)
        request = (
            session.get(FeedbackRequest, row.feedback_request_id)
            if row.feedback_request_id
            else None
        )
        if request is not None and request.status == FeedbackStatus.PLANNED:
            session.delete(request)
        session.delete(row)
        return done


def decisions(db: Database) -> dict[str, Decision]:
    """Every step id the user decided about, with the decision."""
    with db.session() as session:
        return {
            row.step_id: Decision(row.decision) for row in session.exec(select(StepDecision)).all()
        }


# --------------------------------------------------------------------------------------------
# News to tell chosen clients about
# --------------------------------------------------------------------------------------------


def _news(session: Session) -> SkillNews | None:
    stored = session.get(Setting, NEWS_KEY)
    if stored is None:
        return None
    try:
        data = json.loads(stored.value)
        return SkillNews(
            ref=str(data["ref"]),
            text=str(data["text"]),
            on=dt.date.fromisoformat(data["on"]),
            client_ids=frozenset(int(i) for i in data["client_ids"]),
        )
    except (ValueError, KeyError, TypeError):
        return None  # damaged: as if there were no news


def current_news(db: Database) -> SkillNews | None:
    """The news the "tell about new skills" steps are about, if any."""
    with db.session() as session:
        return _news(session)


def announce_news(db: Database, text: str, client_ids: Iterable[int], on: dt.date) -> SkillNews:
    """Set the news and the clients to tell.

    New text is a new occasion for every chosen client; the same text with another choice of
    clients keeps the occasion, so clients already told are not asked again.
    """
    text = (text or "").strip()
    if not text:
        raise input_error("note", N_("must not be empty"))
    chosen = frozenset(client_ids)
    if not chosen:
        raise input_error("client_id", N_("choose at least one client"))
    with db.session() as session:
        known = set(session.exec(select(Client.id).where(col(Client.id).in_(chosen))).all())
        current = _news(session)
        if known != chosen:
            raise input_error("client_id", N_("choose an existing client"))
        if current is not None and current.text == text:
            news = SkillNews(ref=current.ref, text=text, on=current.on, client_ids=chosen)
        else:
            news = SkillNews(ref=uuid.uuid4().hex[:12], text=text, on=on, client_ids=chosen)
        value = {
            "ref": news.ref,
            "text": news.text,
            "on": news.on.isoformat(),
            "client_ids": sorted(chosen),
        }
        session.merge(Setting(key=NEWS_KEY, value=json.dumps(value, ensure_ascii=False)))
    return news
