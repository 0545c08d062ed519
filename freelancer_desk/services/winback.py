"""Win-back cases (Rückgewinnung, DOMAIN.md §4.3–§4.5): decide, act within the contact rules,
measure.

A case belongs to one loss. It holds the worthiness inputs, the measures (suggested from the
reason, editable), the incentive, the attempts with the client's reaction, the partial goals
and the outcome. Every attempt is checked against the contact rules first: a blocked channel is
refused with the reason, and so is any attempt on a closed case. A rude reaction ends the case
as given up and the result says so, so that the app can offer to erase the client's data. A
client won back becomes a returner with the "first jobs must be flawless" checklist.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from freelancer_desk.analytics import winback as analytics
from freelancer_desk.analytics.periods import Period, add_months
from freelancer_desk.catalog import NO_WINBACK_REASONS
from freelancer_desk.contact_rules import (
    SPOKEN_FIRST,
    ContactPermission,
    best_channel,
    blocker,
    permissions,
)
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Channel,
    Client,
    Interaction,
    Loss,
    LossReason,
    LossType,
    Reaction,
    ReminderPurpose,
    RevenueEntry,
    WinbackAttempt,
    WinbackAttemptCreate,
    WinbackCase,
    WinbackCaseCreate,
    WinbackOutcome,
    input_error,
    validate,
)
from freelancer_desk.money import from_cents, to_cents
from freelancer_desk.services.contact import all_subjects, ensure_contact_in, subject_in
from freelancer_desk.services.losses import LossRow, loss_rows_in, outcome_on, reason_row
from freelancer_desk.services.records import fetch
from freelancer_desk.services.reminders import close_open_in
from freelancer_desk.services.revenue import net_in_windows
from freelancer_desk.texts import Text

PPM = Decimal(1_000_000)


@dataclass(frozen=True)
class AttemptRow:
    """One attempt of a case."""

    id: int
    date: dt.date
    channel: Channel
    reaction: Reaction
    cost: Decimal
    notes: str | None


@dataclass(frozen=True)
class ChecklistItem:
    """One point of the returner checklist and whether it is done."""

    key: str
    label: str
    done: bool


@dataclass(frozen=True)
class CaseDetail:
    """Everything the win-back case editor shows."""

    id: int
    loss: LossRow
    potential_12m: Decimal
    discount: Decimal
    winback_cost: Decimal
    care_cost_12m: Decimal
    measures: str | None
    suggested_measures: tuple[str, ...]
    incentive: str | None
    goal_reason_learned: bool
    goal_door_open: bool
    goal_no_bad_word: bool
    outcome: WinbackOutcome
    outcome_on: dt.date | None
    revisit_on: dt.date | None
    attempts: tuple[AttemptRow, ...]
    checklist: tuple[ChecklistItem, ...]

    @property
    def value(self) -> Decimal:
        """``potential × (1 − discount) − win-back cost − care cost``."""
        return analytics.winback_value(
            self.potential_12m, self.discount, self.winback_cost, self.care_cost_12m
        )

    @property
    def worth_trying(self) -> bool:
        """A win-back pays when its value is positive."""
        return analytics.worth_trying(self.value)


@dataclass(frozen=True)
class AttemptResult:
    """What recording an attempt led to."""

    attempt: AttemptRow
    permission: ContactPermission
    #: The client reacted rudely: stop, and offer to erase their personal data.
    offer_erasure: bool
    next_step: Text


@dataclass(frozen=True)
class Candidate:
    """A lost client that may be won back, ranked by the value of trying."""

    loss: LossRow
    case_id: int | None
    value: Decimal
    #: True when no case exists yet: the value assumes the revenue before the loss comes back
    #: in full, with no discount and no cost.
    estimated: bool
    outcome: WinbackOutcome | None
    revisit_on: dt.date | None

    @property
    def worth_trying(self) -> bool:
        return analytics.worth_trying(self.value)


class CaseChanges(SQLModel):
    """Fields of a case to change; the merged case is validated as a whole."""

    potential_12m: Decimal | None = None
    discount: Decimal | None = None
    winback_cost: Decimal | None = None
    care_cost_12m: Decimal | None = None
    measures: str | None = None
    incentive: str | None = None
    goal_reason_learned: bool | None = None
    goal_door_open: bool | None = None
    goal_no_bad_word: bool | None = None


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _case_input(case: WinbackCase) -> dict[str, Any]:
    """A stored case as input-model data (money as Decimal, discount as a fraction)."""
    return {
        "loss_id": case.loss_id,
        "potential_12m": from_cents(case.potential_12m_cents),
        "discount": Decimal(case.discount_ppm) / PPM,
        "winback_cost": from_cents(case.winback_cost_cents),
        "care_cost_12m": from_cents(case.care_cost_12m_cents),
        "measures": case.measures,
        "incentive": case.incentive,
        "goal_reason_learned": case.goal_reason_learned,
        "goal_door_open": case.goal_door_open,
        "goal_no_bad_word": case.goal_no_bad_word,
        "outcome": case.outcome,
        "outcome_on": case.outcome_on,
        "revisit_on": case.revisit_on,
    }


def case_value(case: WinbackCase) -> Decimal:
    """The value of trying to win the case's client back (DOMAIN.md §4.3)."""
    data = _case_input(case)
    return analytics.winback_value(
        data["potential_12m"], data["discount"], data["winback_cost"], data["care_cost_12m"]
    )


def _apply(case: WinbackCase, data: WinbackCaseCreate) -> None:
    case.loss_id = data.loss_id
    case.potential_12m_cents = to_cents(data.potential_12m)
    case.discount_ppm = int((data.discount * PPM).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    case.winback_cost_cents = to_cents(data.winback_cost)
    case.care_cost_12m_cents = to_cents(data.care_cost_12m)
    case.measures = data.measures
    case.incentive = data.incentive
    case.goal_reason_learned = data.goal_reason_learned
    case.goal_door_open = data.goal_door_open
    case.goal_no_bad_word = data.goal_no_bad_word
    case.outcome = data.outcome
    case.outcome_on = data.outcome_on
    case.revisit_on = data.revisit_on


def _ticked(case: WinbackCase) -> set[str]:
    return set((case.returner_checklist or "").split())


def _detail(session: Session, case: WinbackCase) -> CaseDetail:
    loss = loss_rows_in(session, loss_id=case.loss_id)[0]
    data = _case_input(case)
    attempts = session.exec(
        select(WinbackAttempt)
        .where(WinbackAttempt.case_id == case.id)
        .order_by(col(WinbackAttempt.date), col(WinbackAttempt.id))
    ).all()
    ticked = _ticked(case)
    reason = session.get(LossReason, loss.reason_code)
    suggested = _suggested_measures(reason)
    return CaseDetail(
        id=case.id,  # type: ignore[arg-type]  # read from the table: the id is set
        loss=loss,
        potential_12m=data["potential_12m"],
        discount=data["discount"],
        winback_cost=data["winback_cost"],
        care_cost_12m=data["care_cost_12m"],
        measures=case.measures,
        suggested_measures=suggested,
        incentive=case.incentive,
        goal_reason_learned=case.goal_reason_learned,
        goal_door_open=case.goal_door_open,
        goal_no_bad_word=case.goal_no_bad_word,
        outcome=WinbackOutcome(case.outcome),
        outcome_on=case.outcome_on,
        revisit_on=case.revisit_on,
        attempts=tuple(_attempt_row(attempt) for attempt in attempts),
        checklist=tuple(
            ChecklistItem(key, _(label), key in ticked)
            for key, label in analytics.RETURNER_CHECKLIST
        )
        if case.outcome == WinbackOutcome.WON_BACK
        else (),
    )


def _suggested_measures(reason: LossReason | None) -> tuple[str, ...]:
    return () if reason is None else reason_row(reason).measures


def _attempt_row(attempt: WinbackAttempt) -> AttemptRow:
    return AttemptRow(
        id=attempt.id,  # type: ignore[arg-type]  # read from the table: the id is set
        date=attempt.date,
        channel=Channel(attempt.channel),
        reaction=Reaction(attempt.reaction),
        cost=from_cents(attempt.cost_cents),
        notes=attempt.notes,
    )


def _case(session: Session, case_id: int) -> WinbackCase:
    case = fetch(session, WinbackCase, case_id)
    return case


def get_case(db: Database, case_id: int) -> CaseDetail:
    """One case with its loss, attempts and checklist."""
    with db.session() as session:
        return _detail(session, _case(session, case_id))


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def open_case(db: Database, loss_id: int, data: dict[str, Any] | None = None) -> CaseDetail:
    """Start a win-back case for a loss.

    The potential defaults to the revenue of the 12 months before the loss and the measures to
    those the catalogue suggests for the reason. Refused for a business that closed.
    """
    with db.session() as session:
        loss = fetch(session, Loss, loss_id)
        if loss.reason_code in NO_WINBACK_REASONS:
            raise input_error("reason_code", N_("a business that closed cannot be won back"))
        if (
            session.exec(select(WinbackCase.id).where(WinbackCase.loss_id == loss_id)).first()
            is not None
        ):
            raise input_error("loss_id", N_("this loss already has a win-back case"))
        row = loss_rows_in(session, loss_id=loss_id)[0]
        defaults = {
            "potential_12m": row.revenue_12m_before,
            "measures": "\n".join(_suggested_measures(session.get(LossReason, loss.reason_code)))
            or None,
        }
        checked = validate(
            WinbackCaseCreate,
            {**defaults, **(data or {}), "loss_id": loss_id, "outcome": WinbackOutcome.OPEN},
        )
        case = WinbackCase(loss_id=loss_id)
        _apply(case, checked)
        session.add(case)
        session.flush()
        return _detail(session, case)


def update_case(db: Database, case_id: int, data: CaseChanges | dict[str, Any]) -> CaseDetail:
    """Change worthiness inputs, measures, incentive or partial goals."""
    changes = validate(CaseChanges, data).model_dump(exclude_unset=True)
    with db.session() as session:
        case = _case(session, case_id)
        merged = validate(WinbackCaseCreate, {**_case_input(case), **changes})
        _apply(case, merged)
        session.flush()
        return _detail(session, case)


def add_attempt(
    db: Database, case_id: int, data: WinbackAttemptCreate | dict[str, Any]
) -> AttemptResult:
    """Record an attempt; a channel the contact rules block is refused with the reason.

    A rude reaction closes the case as given up on the attempt's day (DOMAIN.md §4.5: stop,
    offer erasure).

    Raises:
        ContactBlockedError: the channel may not be used for this client on that day.
        InputError: the case is closed (won back or given up).
    """
    checked = validate(
        WinbackAttemptCreate,
        {**(data if isinstance(data, dict) else data.model_dump()), "case_id": case_id},
    )
    with db.session() as session:
        case = _case(session, case_id)
        _check_open(case)
        loss = session.get(Loss, case.loss_id)
        assert loss is not None
        permission = ensure_contact_in(session, loss.client_id, checked.channel, checked.date)
        attempt = WinbackAttempt(
            case_id=case_id,
            date=checked.date,
            channel=checked.channel,
            reaction=checked.reaction,
            cost_cents=to_cents(checked.cost),
            notes=checked.notes,
        )
        session.add(attempt)
        if checked.reaction is Reaction.RUDE:
            _close(session, case, loss.client_id, WinbackOutcome.GIVEN_UP, checked.date)
        session.flush()
        return AttemptResult(
            attempt=_attempt_row(attempt),
            permission=permission,
            offer_erasure=checked.reaction is Reaction.RUDE,
            next_step=Text(analytics.NEXT_STEP[checked.reaction]),
        )


def _close(
    session: Session, case: WinbackCase, client_id: int, outcome: WinbackOutcome, on: dt.date
) -> None:
    """End a case as won back or given up on ``on``; its open follow-up reminders end with it,
    so none stays due for a case that is over."""
    case.outcome = outcome
    case.outcome_on = on
    case.revisit_on = None
    close_open_in(session, client_id, on, (ReminderPurpose.WINBACK_FOLLOWUP,))


def _closed(case: WinbackCase) -> bool:
    """A case won back or given up takes no more attempts."""
    return case.outcome in (WinbackOutcome.WON_BACK, WinbackOutcome.GIVEN_UP)


def _check_open(case: WinbackCase) -> None:
    """Refuse attempts on a case that was won back or given up."""
    if _closed(case):
        raise input_error("outcome", N_("this case is closed; reopen it to record attempts"))


def offered_channel(db: Database, case_id: int, day: dt.date) -> ContactPermission | None:
    """The channel to offer for the next attempt on ``day``: the best one the contact rules
    allow, by phone first (DOMAIN.md §4.5); None when the case is closed or every channel is
    blocked."""
    with db.session() as session:
        case = _case(session, case_id)
        if _closed(case):
            return None
        loss = session.get(Loss, case.loss_id)
        assert loss is not None
        return best_channel(permissions(subject_in(session, loss.client_id), day), SPOKEN_FIRST)


def set_outcome(
    db: Database,
    case_id: int,
    outcome: WinbackOutcome | str,
    on: dt.date,
    revisit_on: dt.date | None = None,
) -> CaseDetail:
    """Close or park a case: won back, not now (with a revisit date), given up — or reopen it.

    Won back makes the client a returner: its status shows the mark and the case gains the
    "first jobs must be flawless" checklist. Won back and given up close the case's open
    follow-up reminders in the same transaction.
    """
    outcome = WinbackOutcome(outcome)
    if outcome is WinbackOutcome.NOT_NOW and (revisit_on is None or revisit_on <= on):
        raise input_error("revisit_on", N_("give a later day to revisit the client"))
    with db.session() as session:
        case = _case(session, case_id)
        if outcome in (WinbackOutcome.WON_BACK, WinbackOutcome.GIVEN_UP):
            loss = session.get(Loss, case.loss_id)
            assert loss is not None
            _close(session, case, loss.client_id, outcome, on)
        else:
            case.outcome = outcome
            case.outcome_on = None if outcome is WinbackOutcome.OPEN else on
            case.revisit_on = revisit_on if outcome is WinbackOutcome.NOT_NOW else None
        if outcome is not WinbackOutcome.WON_BACK:
            case.returner_checklist = None
        session.flush()
        return _detail(session, case)


def tick(db: Database, case_id: int, key: str, done: bool) -> CaseDetail:
    """Tick (or untick) a point of the returner checklist."""
    if key not in dict(analytics.RETURNER_CHECKLIST):
        raise InputError("checklist", _("unknown checklist point"), label=_("Checklist"))
    with db.session() as session:
        case = _case(session, case_id)
        if case.outcome != WinbackOutcome.WON_BACK:
            raise input_error("outcome", N_("the checklist is for clients who were won back"))
        ticked = _ticked(case)
        ticked = ticked | {key} if done else ticked - {key}
        order = [name for name, _label in analytics.RETURNER_CHECKLIST if name in ticked]
        case.returner_checklist = "\n".join(order) or None
        session.flush()
        return _detail(session, case)


# --------------------------------------------------------------------------------------------
# Ranked candidates, controlling, loyalty types
# --------------------------------------------------------------------------------------------


def candidates(db: Database, as_of: dt.date) -> list[Candidate]:
    """Lost clients not yet decided, best value first.

    Left out: clients won back or given up, losses whose reason rules a win-back out (closed),
    clients that may not be contacted on any channel (objection, erased), and a client's older
    losses when it was lost again later.
    """
    subjects = all_subjects(db)
    with db.session() as session:
        rows = loss_rows_in(session, as_of=as_of)
        cases = {case.loss_id: case for case in session.exec(select(WinbackCase)).all()}
        latest: dict[int, LossRow] = {}
        for row in rows:  # newest first
            latest.setdefault(row.client_id, row)
        found = []
        for row in latest.values():
            if row.reason_code in NO_WINBACK_REASONS:
                continue
            if row.outcome in (WinbackOutcome.WON_BACK, WinbackOutcome.GIVEN_UP):
                continue
            subject = subjects.get(row.client_id)
            if subject is None or blocker(subject, None, as_of) is not None:
                continue
            case = cases.get(row.id)
            if case is None:
                value, estimated = row.revenue_12m_before, True
            else:
                value, estimated = case_value(case), False
            found.append(
                Candidate(
                    loss=row,
                    case_id=None if case is None else case.id,
                    value=value,
                    estimated=estimated,
                    outcome=row.outcome,
                    revisit_on=None
                    if case is None or row.outcome is not WinbackOutcome.NOT_NOW
                    else case.revisit_on,
                )
            )
    found.sort(key=lambda c: (-c.value, c.loss.lost_on, c.loss.client_name.lower()))
    return found


def _case_facts(session: Session, as_of: dt.date) -> list[analytics.CaseFacts]:
    rows = session.exec(
        select(WinbackCase, Loss).join(Loss, col(Loss.id) == WinbackCase.loss_id)
    ).all()
    attempts: dict[int, list[tuple[dt.date, int, str]]] = defaultdict(list)
    attempt_cost: dict[int, int] = defaultdict(int)
    for attempt in session.exec(select(WinbackAttempt)).all():
        if attempt.date <= as_of:
            assert attempt.id is not None  # read from the table: every row has its id
            attempts[attempt.case_id].append((attempt.date, attempt.id, attempt.channel))
            attempt_cost[attempt.case_id] += attempt.cost_cents
    rows = [(case, loss) for case, loss in rows if loss.lost_on <= as_of]
    outcomes = {case.id: outcome_on(case.outcome, case.outcome_on, as_of) for case, _loss in rows}
    # Recovered: the net of the 12 months after the win-back, never after ``as_of``.
    recovered = net_in_windows(
        session.connection(),
        {
            case.id: (
                loss.client_id,
                case.outcome_on,
                min(add_months(case.outcome_on, 12), as_of + dt.timedelta(days=1)),
            )
            for case, loss in rows
            if case.id is not None
            and case.outcome_on is not None
            and outcomes[case.id] is WinbackOutcome.WON_BACK
        },
    )
    facts = []
    for case, loss in rows:
        assert case.id is not None  # read from the table: every row has its id
        outcome = outcomes[case.id]
        facts.append(
            analytics.CaseFacts(
                loss_type=LossType(loss.loss_type),
                reason_code=loss.reason_code,
                channel=analytics.last_channel(attempts[case.id]),
                outcome=outcome,
                cost=from_cents(case.winback_cost_cents + attempt_cost[case.id]),
                recovered_net=from_cents(recovered.get(case.id, 0)),
            )
        )
    return facts


def controlling(db: Database, as_of: dt.date) -> analytics.Controlling:
    """Win-back rate, revenue recovered and cost per recovered client, with breakdowns."""
    with db.session() as session:
        return analytics.controlling(_case_facts(session, as_of))


def status_figures(db: Database, as_of: dt.date) -> analytics.WinbackFigures:
    """The totals that ``status --json`` shows under ``winback``."""
    return controlling(db, as_of).total


def loyalty_overview(
    db: Database, period: Period, as_of: dt.date | None = None
) -> list[analytics.LoyaltyRow]:
    """Clients, net revenue and interactions in ``period`` per loyalty type.

    Counted: every current client that existed by the period's end (or ``as_of``), and any
    client with revenue or contacts in the period, also an archived one (its revenue belongs
    to the period even if the client is archived now). ``as_of``: nothing dated after that day
    counts.
    """
    end = period.end if as_of is None else min(period.end, as_of + dt.timedelta(days=1))
    with db.session() as session:
        net = dict(
            session.exec(
                select(RevenueEntry.client_id, func.sum(RevenueEntry.net_cents))
                .where(
                    col(RevenueEntry.invoice_date) >= period.start,
                    col(RevenueEntry.invoice_date) < end,
                )
                .group_by(col(RevenueEntry.client_id))
            ).all()
        )
        effort = dict(
            session.exec(
                select(Interaction.client_id, func.count())
                .where(col(Interaction.date) >= period.start, col(Interaction.date) < end)
                .group_by(col(Interaction.client_id))
            ).all()
        )
        clients = session.exec(
            select(
                col(Client.id), col(Client.loyalty), col(Client.archived), col(Client.created_on)
            )
        ).all()
        return analytics.loyalty_table(
            (loyalty, from_cents(int(net.get(cid, 0) or 0)), int(effort.get(cid, 0)))
            for cid, loyalty, archived, created_on in clients
            if cid is not None
            and ((not archived and created_on < end) or cid in net or cid in effort)
        )
