"""The step plan: what to do next, for whom, why, how and by when (DOMAIN.md §4, §6, §8).

Pure: the facts of one day go in (``StepFacts``: each client's status and warning signs, its
contact permissions on the day, its latest loss and win-back, reminders, feedback requests and
the user's decisions), steps come out. ``services.steps`` gathers the facts and stores the
decisions; the dashboard, the client page, the dossier, the review and ``next`` all read the
same steps.

Every step says who (``client``), why (``why``: the same explanation texts as the status), what
(``what``: the measure from the reason catalogue and DOMAIN.md §8), on which channel (the best
one the contact rules allow on the day, in the kind's order of preference), by when (``due``)
and what is at stake (``value_cents``, named in words by ``stake``: the client's revenue of the
last 12 months, the overdue amount, the revenue before a loss or the value of winning it back).
A client the contact rules block on every preferred channel gets no step.

A step's ``id`` is made of its kind, its client and its occasion (the loss, the sign's latest
event, the sleep's start, the request …), so the same situation gives the same id on every day
and every run; a new occasion gives a new id. The user's decision about an id (accepted,
dismissed, snoozed until a day) keeps the step off the plan.

Steps come in priority order: by kind (``StepKind`` lists them from the most urgent — a fresh
loss is a call at once — to regular time for new clients), then by what is at stake, then by
due day and name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any, TypeVar

from freelancer_desk.analytics.lifecycle import lost_text, sleeping_text
from freelancer_desk.analytics.periods import add_months
from freelancer_desk.analytics.recurrence import ReminderFacts
from freelancer_desk.analytics.warnings import (
    CHASING_ORDERS,
    FEWER_ORDERS,
    LATE_PAYMENTS,
    MORE_COMPLAINTS,
    OVERDUE_MESSAGE,
    SIGNAL_LABELS,
    SMALLER_ORDERS,
    UNREACHABLE,
    Signal,
)
from freelancer_desk.analytics.winback import NEXT_STEP, RETURNER_CHECKLIST
from freelancer_desk.choices import (
    Channel,
    ClientStatus,
    Decision,
    FeedbackKind,
    FeedbackStatus,
    InteractionKind,
    LossType,
    LoyaltyType,
    Reaction,
    ReminderPurpose,
    WinbackOutcome,
)
from freelancer_desk.contact_rules import (
    SPOKEN_FIRST,
    WRITTEN_FIRST,
    ContactPermission,
    Verdict,
    best_channel,
)
from freelancer_desk.i18n import N_, N_plural
from freelancer_desk.money import from_cents, to_cents
from freelancer_desk.texts import InLanguages, Label, Phrases, Text


class StepKind(StrEnum):
    """The kinds of steps, most urgent first (the plan's first sort key)."""

    WINBACK = "winback"
    WINBACK_FOLLOWUP = "winback_followup"
    OVERDUE_REMINDER = "overdue_reminder"
    PAYMENT_REMINDER = "payment_reminder"
    WARNING_SIGN = "warning_sign"
    RETURNER_CHECKLIST = "returner_checklist"
    REACTIVATE = "reactivate"
    LOYALTY = "loyalty"
    FEEDBACK_FOLLOWUP = "feedback_followup"
    ASK_FEEDBACK = "ask_feedback"
    ASK_REVIEW = "ask_review"
    THANK_YOU = "thank_you"
    NEW_SKILLS = "new_skills"
    NEW_CLIENTS = "new_clients"


@dataclass(frozen=True)
class KindSpec:
    """How a kind of step is shown and done: its name, the channels in order of preference,
    the purpose of the reminder it becomes when accepted, and whether the contact is
    advertising (a payment reminder is not: no advertising-law note, DOMAIN.md §5)."""

    label: str
    preference: tuple[Channel, ...]
    purpose: ReminderPurpose = ReminderPurpose.CUSTOM
    advertising: bool = True


KINDS: dict[StepKind, KindSpec] = {
    StepKind.WINBACK: KindSpec(N_("Win back"), SPOKEN_FIRST, ReminderPurpose.WINBACK_FOLLOWUP),
    StepKind.WINBACK_FOLLOWUP: KindSpec(
        N_("Win-back follow-up"), SPOKEN_FIRST, ReminderPurpose.WINBACK_FOLLOWUP
    ),
    StepKind.OVERDUE_REMINDER: KindSpec(N_("Overdue reminder"), SPOKEN_FIRST),
    StepKind.PAYMENT_REMINDER: KindSpec(N_("Payment reminder"), WRITTEN_FIRST, advertising=False),
    StepKind.WARNING_SIGN: KindSpec(N_("Warning sign"), SPOKEN_FIRST),
    StepKind.RETURNER_CHECKLIST: KindSpec(N_("Returner's first jobs"), SPOKEN_FIRST),
    StepKind.REACTIVATE: KindSpec(N_("Reactivate"), SPOKEN_FIRST, ReminderPurpose.REACTIVATE),
    StepKind.LOYALTY: KindSpec(N_("Build loyalty"), SPOKEN_FIRST),
    StepKind.FEEDBACK_FOLLOWUP: KindSpec(
        N_("Feedback follow-up"), WRITTEN_FIRST, ReminderPurpose.FEEDBACK_FOLLOWUP
    ),
    StepKind.ASK_FEEDBACK: KindSpec(N_("Ask for feedback"), WRITTEN_FIRST),
    StepKind.ASK_REVIEW: KindSpec(N_("Ask for a review or recommendation"), WRITTEN_FIRST),
    StepKind.THANK_YOU: KindSpec(N_("Say thank you"), SPOKEN_FIRST),
    StepKind.NEW_SKILLS: KindSpec(
        N_("Tell about new skills"), WRITTEN_FIRST, ReminderPurpose.NEW_OFFERS
    ),
    StepKind.NEW_CLIENTS: KindSpec(N_("Time for new clients"), ()),
}

#: The channels a warning sign's step prefers: "can we reach you?" is asked in writing.
SIGN_PREFERENCE: dict[str, tuple[Channel, ...]] = {UNREACHABLE: (Channel.EMAIL, Channel.LETTER)}

#: The warning signs from the strongest to the weakest: the strongest sign of a client picks
#: the channel of its one warning step (complaints and silence first, rhythm changes after).
SIGN_STRENGTH = (
    MORE_COMPLAINTS,
    UNREACHABLE,
    FEWER_ORDERS,
    LATE_PAYMENTS,
    SMALLER_ORDERS,
    CHASING_ORDERS,
)

#: The first reason of a warning step with several signs: each by name, strongest first.
WARNING_SIGNS = N_("Warning signs: {signs}.")

#: Fewer or smaller orders: talk about what comes next.
ASK_PLANS = N_("Ask about their plans and what they need next; listen for a reason you can fix.")

#: What to do about each warning sign (DOMAIN.md §4.1, §8).
SIGN_MEASURES: dict[str, str] = {
    FEWER_ORDERS: ASK_PLANS,
    SMALLER_ORDERS: ASK_PLANS,
    LATE_PAYMENTS: N_(
        "Ask whether anything has changed for them, and agree on payment terms that work."
    ),
    MORE_COMPLAINTS: N_(
        "Sort out the complaints in person: apologise, fix fast, remove the cause."
    ),
    UNREACHABLE: N_("Ask when and how they can best be reached."),
    CHASING_ORDERS: N_("Ask what they need next and offer to plan the coming orders together."),
}

#: A loss this recent is fresh: call at once (DOMAIN.md §4.5, "call early").
FRESH_LOSS_DAYS = 30
#: A fresh loss is due within this many days.
CALL_WITHIN_DAYS = 2
#: After an attempt with no answer, try again this many days later.
RETRY_AFTER_DAYS = 3
#: After a friendly or reserved reaction, follow up this many days later.
FOLLOW_UP_AFTER_DAYS = 7
#: Days after the win-back try (or a loss that cannot be won back) before asking for a review.
REVIEW_DISTANCE_DAYS = 14
#: A complaint within this many days before the loss means the parting was not on good terms.
GOOD_TERMS_WINDOW_DAYS = 365
#: Days after sending when an unanswered request needs a follow-up if it has no date set.
DEFAULT_FOLLOW_UP_DAYS = 14
#: Praise logged within this many days is a chance to ask for a review.
PRAISE_WINDOW_DAYS = 60
#: A job ended well: its invoice was paid within this many days …
ENDED_WELL_DAYS = 30
#: … with no complaint in this many days before the payment.
NO_COMPLAINT_DAYS = 180
#: Ask the same client for feedback at most once in this many days.
FEEDBACK_GAP_DAYS = 365
#: A conditionally loyal client without a personal contact for this many days gets a step.
PERSONAL_CONTACT_DAYS = 90
#: A returner's first jobs: the checklist is a step for this many days after the return.
RETURNER_DAYS = 180
#: An anniversary is a step from this many days before it until as many days after.
ANNIVERSARY_DAYS = 14
#: A warning sign's step is due within this many days.
SIGN_DUE_DAYS = 7
#: The weeks of regular time for new clients count from this Monday.
NEW_CLIENTS_EPOCH = dt.date(2024, 1, 1)

#: What a step's value is, in words: the figure never stands alone ({amount} is the value).
STAKE_REVENUE = N_("revenue in the last 12 months: {amount}")
STAKE_SLEEPING = N_("revenue in the 12 months up to the last invoice: {amount}")
STAKE_OVERDUE = N_("overdue: {amount}")
STAKE_BEFORE_LOSS = N_("revenue in the 12 months before the loss: {amount}")
STAKE_WINBACK = N_("value of winning them back: {amount}")

#: The partial goals of a win-back call (DOMAIN.md §4.5, step 3).
WINBACK_GOALS: tuple[tuple[str, str], ...] = (
    ("goal_reason_learned", N_("Learn the real reason")),
    ("goal_door_open", N_("Keep the door open")),
    ("goal_no_bad_word", N_("Prevent bad word of mouth")),
)


# --------------------------------------------------------------------------------------------
# Facts in
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestFacts:
    """A stored feedback request (``FeedbackRow`` extends it)."""

    id: int
    client_id: int
    kind: FeedbackKind
    status: FeedbackStatus
    channel: Channel
    planned_on: dt.date | None = None
    sent_on: dt.date | None = None
    follow_up_on: dt.date | None = None
    answered_on: dt.date | None = None


@dataclass(frozen=True)
class AttemptFacts:
    """One win-back attempt."""

    id: int
    date: dt.date
    channel: Channel
    reaction: Reaction


@dataclass(frozen=True)
class LossFacts:
    """The latest loss of a client, its reason from the catalogue and how the win-back went.

    Attributes:
        reason: the reason's name in both languages.
        measures: the measures to propose, in both languages (the case's chosen measures
            when a case chose some, else the catalogue's), "; "-separated.
        value_cents: the value of winning the client back: the case's
            ``potential × (1 − discount) − costs``, or without a case the revenue of the 12
            months before the loss (``estimated``).
        complaints_before: complaints logged in the ``GOOD_TERMS_WINDOW_DAYS`` before the loss.
        attempts: the attempts since the loss up to the day, oldest first.
    """

    loss_id: int
    lost_on: dt.date
    loss_type: LossType
    reason_code: str
    reason: InLanguages
    measures: InLanguages
    value_cents: int
    estimated: bool = True
    #: Net revenue of the 12 months before the loss: what a good parting was worth.
    revenue_before_cents: int = 0
    winback_possible: bool = True
    objected: bool = False
    case_id: int | None = None
    outcome: WinbackOutcome | None = None
    outcome_on: dt.date | None = None
    revisit_on: dt.date | None = None
    incentive: str | None = None
    complaints_before: int = 0
    attempts: tuple[AttemptFacts, ...] = ()
    #: Keys of the returner checklist ticked (a won-back case).
    checklist_done: frozenset[str] = frozenset()

    @property
    def last_attempt(self) -> AttemptFacts | None:
        """The latest attempt, if any."""
        return max(self.attempts, key=lambda a: (a.date, a.id), default=None)

    @property
    def _case_value_shown(self) -> bool:
        """The case's own value is what is at stake only while it is above zero: a case that
        costs more than it brings is still followed up, but "at stake: −386,80 €" would say
        nothing a freelancer can weigh; the revenue before the loss does."""
        return not self.estimated and self.value_cents > 0

    @property
    def stake_cents(self) -> int:
        """What is at stake in a win-back step: the case's value, or the revenue before."""
        if self._case_value_shown:
            return self.value_cents
        return self.value_cents if self.estimated else self.revenue_before_cents

    @property
    def stake(self) -> str:
        """What ``stake_cents`` is, in words: the case's value, or the revenue before."""
        return STAKE_WINBACK if self._case_value_shown else STAKE_BEFORE_LOSS

    @property
    def worth_trying(self) -> bool:
        """A win-back pays when its value is above zero (DOMAIN.md §4.3)."""
        return self.value_cents > 0


@dataclass(frozen=True)
class Sale:
    """A client's latest invoice (positive): for "a job ended well"."""

    entry_id: int
    invoice_date: dt.date
    paid_date: dt.date | None


@dataclass(frozen=True)
class ClientSituation:
    """One client on the day: status, signs, permissions, history marks and its latest loss.

    Attributes:
        value_cents: what is at stake with an active client: its net revenue of the 12 months
            to the day; for a sleeping one, the 12 months up to its last invoice.
        latest: the day of the latest interaction of each kind up to the day.
        praise: (interaction id, day) of the latest praise, if any.
        personal_contact: the latest talk in person or by phone (a contact, praise or
            feedback on the phone or in a meeting).
        complaints: days of every complaint up to the day.
        first_sale: the day of the first positive invoice (anniversaries count from it).
        sign_events: the day of the latest event behind each warning sign (an order, a
            payment, a complaint …): the sign's occasion.
    """

    client_id: int
    name: str
    status: ClientStatus
    created_on: dt.date
    permissions: Mapping[Channel, ContactPermission]
    value_cents: int = 0
    loyalty: LoyaltyType | None = None
    last_invoice: dt.date | None = None
    first_sale: dt.date | None = None
    last_sale: Sale | None = None
    returner: bool = False
    won_back_on: dt.date | None = None
    signals: tuple[Signal, ...] = ()
    sign_events: Mapping[str, dt.date] = field(default_factory=dict)
    latest: Mapping[InteractionKind, dt.date] = field(default_factory=dict)
    praise: tuple[int, dt.date] | None = None
    personal_contact: dt.date | None = None
    complaints: tuple[dt.date, ...] = ()
    loss: LossFacts | None = None


@dataclass(frozen=True)
class SkillNews:
    """A new skill or offer to tell the chosen clients about."""

    ref: str
    text: str
    on: dt.date
    client_ids: frozenset[int]


@dataclass(frozen=True)
class DecisionFacts:
    """The user's decision about a step id."""

    decision: Decision
    until: dt.date | None = None


@dataclass(frozen=True)
class StepFacts:
    """Everything the rules look at, for one day.

    Attributes:
        sleeping_days: the setting: days without revenue until a client sleeps.
        late_days: the setting: an unpaid invoice overdue by more days is a sign.
        new_clients_weeks: the setting: regular time for new clients every so many weeks
            (0: none).
    """

    as_of: dt.date
    clients: tuple[ClientSituation, ...]
    reminders: tuple[ReminderFacts, ...] = ()
    requests: tuple[RequestFacts, ...] = ()
    decisions: Mapping[str, DecisionFacts] = field(default_factory=dict)
    news: SkillNews | None = None
    sleeping_days: int = 180
    late_days: int = 14
    new_clients_weeks: int = 0

    @cached_property
    def requests_of(self) -> Mapping[int, tuple[RequestFacts, ...]]:
        """The feedback requests by client id: each client's rules look at its own only."""
        return _by_client(self.requests)

    @cached_property
    def reminders_of(self) -> Mapping[int | None, tuple[ReminderFacts, ...]]:
        """The reminders by client id (None: reminders of no client)."""
        return _by_client(self.reminders)


R = TypeVar("R", ReminderFacts, RequestFacts)


def _by_client(records: Iterable[R]) -> dict[Any, tuple[R, ...]]:
    """``records`` by their client id, each client's in their order: thousands of clients look
    at their own few, instead of each at all of them."""
    found: dict[Any, list[R]] = {}
    for record in records:
        found.setdefault(record.client_id, []).append(record)
    return {client_id: tuple(own) for client_id, own in found.items()}


# --------------------------------------------------------------------------------------------
# Steps out
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One thing to do.

    Attributes:
        ref: the occasion (a loss, a sign and its latest event, a request …); with the kind
            and the client it makes the stable ``id``.
        since: the day the occasion arose: a reminder of the step's purpose done on or after
            it means the step was done.
        why: the reasons, the same texts as the status shows.
        what: what to do, sentence by sentence.
        permission: the contact rules' verdict for the chosen channel (None: no contact).
        value_cents: what is at stake (revenue of the last 12 months or the win-back value).
        stake_words: what ``value_cents`` is, a message with ``{amount}`` (``STAKE_…``).
        feedback_kind: the step becomes a feedback request of this kind when accepted;
            otherwise a reminder.
        about: what a step without a client concerns (a reminder's purpose and note, "Finding
            new clients"), shown where a step names its client (``subject_in``).
    """

    kind: StepKind
    client_id: int | None
    client: str | None
    ref: str
    since: dt.date
    due: dt.date
    why: tuple[Text, ...]
    what: tuple[Text, ...]
    permission: ContactPermission | None
    value_cents: int = 0
    feedback_kind: FeedbackKind | None = None
    stake_words: str = STAKE_REVENUE
    about: Text | None = None

    @property
    def id(self) -> str:
        """``kind:client:occasion`` (``kind:occasion`` without a client): the same for the
        same situation on every run."""
        if self.client_id is None:
            return f"{self.kind.value}:{self.ref}"
        return f"{self.kind.value}:{self.client_id}:{self.ref}"

    @property
    def channel(self) -> Channel | None:
        """The channel the step uses (allowed on the day), None for a step without contact."""
        return None if self.permission is None else self.permission.channel

    @property
    def purpose(self) -> ReminderPurpose:
        """The purpose of the reminder the step becomes."""
        return KINDS[self.kind].purpose

    @property
    def priority(self) -> tuple[int, int, dt.date, str, str]:
        """The plan's order: by kind, then what is at stake, then due day and name."""
        return (
            list(StepKind).index(self.kind),
            -self.value_cents,
            self.due,
            (self.client or "").lower(),
            self.ref,
        )

    @property
    def date_order(self) -> tuple[dt.date, tuple[int, int, dt.date, str, str]]:
        """The order of a list by date: due day, then the plan's priority. The printed
        review's next steps sort by it; the step list sorted by its Due column gives the same
        (ties keep the plan's order there)."""
        return (self.due, self.priority)

    @property
    def caution(self) -> Text | None:
        """The contact rule's caution for the chosen channel, if any (none where the contact
        is no advertising)."""
        if self.permission is None or self.permission.verdict is not Verdict.CAUTION:
            return None
        if not KINDS[self.kind].advertising:
            return None
        return self.permission.text

    @property
    def stake(self) -> Text | None:
        """What is at stake, in words with the amount ("overdue: 790,00 €"); None without a
        value."""
        if not self.value_cents:
            return None
        return Text(self.stake_words, {"amount": from_cents(self.value_cents)})

    def stake_in(self, lang: str | None = None) -> str:
        """What is at stake in ``lang``, or "" for a step without a value."""
        return "" if self.stake is None else self.stake.render(lang)

    def subject_in(self, lang: str | None = None) -> str:
        """Whom the step is about: the client's name, or for a step without a client what it
        concerns (``about``) in ``lang``; "—" only where neither is known."""
        if self.client:
            return self.client
        return "—" if self.about is None else self.about.render(lang)

    def kind_label(self, lang: str | None = None) -> str:
        """The kind's name ("Win back") in ``lang`` (None: the current language)."""
        return Text(KINDS[self.kind].label).render(lang)

    def why_in(self, lang: str | None = None) -> str:
        """The reasons as one paragraph in ``lang``."""
        return " ".join(text.render(lang) for text in self.why)

    def what_in(self, lang: str | None = None) -> str:
        """What to do as one paragraph in ``lang``."""
        return " ".join(text.render(lang) for text in self.what)


def status_reasons(client: ClientSituation, as_of: dt.date) -> tuple[Text, ...]:
    """Why the client has its status on ``as_of``, in the words the status uses: the warning
    signs of an at-risk client, the sleep, the loss, the return (none for an active client).

    The Clients list (its "why" column and tooltip), the client page and the dossier show
    these, so that a status never stands without its reason.
    """
    return reasons_for(
        client.status,
        as_of,
        signals=client.signals,
        last_invoice=client.last_invoice,
        created_on=client.created_on,
        loss=client.loss,
        won_back_on=client.won_back_on,
    )


def reasons_for(
    status: ClientStatus,
    as_of: dt.date,
    *,
    signals: Sequence[Signal],
    last_invoice: dt.date | None,
    created_on: dt.date,
    loss: LossFacts | None,
    won_back_on: dt.date | None,
) -> tuple[Text, ...]:
    """``status_reasons`` from the facts it looks at, for a caller that has no
    ``ClientSituation`` (the Clients list: the whole situation of every client costs ten times
    the memory and time)."""
    if status is ClientStatus.AT_RISK:
        return tuple(text for signal in signals for text in signal.texts)
    if status is ClientStatus.SLEEPING:
        return (sleeping_text(last_invoice, created_on, as_of),)
    if status is ClientStatus.LOST and loss is not None:
        return (loss_text(loss),)
    if status is ClientStatus.WON_BACK and won_back_on is not None:
        return (Text(N_("Won back on {date}."), {"date": won_back_on}),)
    return ()


def next_steps(facts: StepFacts) -> list[Step]:
    """The plan of the day: every step the user has not accepted, dismissed or snoozed past
    the day, in priority order."""
    return [step for step in all_steps(facts) if _open(facts.decisions.get(step.id), facts.as_of)]


def _open(decision: DecisionFacts | None, as_of: dt.date) -> bool:
    if decision is None:
        return True
    if decision.decision is Decision.SNOOZED:
        return decision.until is not None and decision.until <= as_of
    return False


def all_steps(facts: StepFacts) -> list[Step]:
    """Every step the situation calls for, whatever the user decided, in priority order."""
    found = [
        step
        for client in facts.clients
        if client.status is not ClientStatus.ARCHIVED
        for step in _for_client(client, facts)
        if not _handled(facts, step)
    ]
    found += _overdue_reminders(facts)
    found += _new_clients(facts)
    return sorted(found, key=lambda step: step.priority)


def _for_client(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    yield from _winback(client, facts)
    yield from _winback_followup(client, facts)
    yield from _payment_reminder(client, facts)
    yield from _warning_signs(client, facts)
    yield from _returner(client, facts)
    yield from _reactivate(client, facts)
    yield from _loyalty(client, facts)
    yield from _feedback_followups(client, facts)
    yield from _ask_feedback(client, facts)
    yield from _ask_review(client, facts)
    yield from _thank_you(client, facts)
    yield from _new_skills(client, facts)


def _handled(facts: StepFacts, step: Step) -> bool:
    """A reminder of the step's own purpose is open, or was done since the occasion arose.

    An open reminder not yet due covers the step; an overdue one covers it too, but comes on
    the plan as its own step (``_overdue_reminders``), so nothing open is ever hidden.
    """
    if step.client_id is None or step.purpose is ReminderPurpose.CUSTOM:
        return False
    return any(
        r.purpose is step.purpose and (r.done_on is None or r.done_on >= step.since)
        for r in facts.reminders_of.get(step.client_id, ())
    )


def _overdue_reminders(facts: StepFacts) -> Iterator[Step]:
    """Every open reminder past its due day, as a step of its own: "follow up: <purpose>",
    due on its day, on its own channel where the rules still allow it."""
    clients = {client.client_id: client for client in facts.clients}
    for reminder in facts.reminders:
        if reminder.done_on is not None or reminder.due_on >= facts.as_of:
            continue
        why = (Text(N_("Reminder for {date}, still open."), {"date": reminder.due_on}),)
        what = [
            Text(N_("Act on the reminder: {purpose}."), {"purpose": Label(reminder.purpose.value)})
        ]
        note = " ".join((reminder.note or "").split())
        if note:
            what.append(Text(N_("Note: {note}"), {"note": note}))
        ref = f"{reminder.id}@{reminder.due_on.isoformat()}"
        client = None if reminder.client_id is None else clients.get(reminder.client_id)
        if client is None:
            if reminder.client_id is None:
                purpose = Label(reminder.purpose.value)
                yield Step(
                    kind=StepKind.OVERDUE_REMINDER,
                    client_id=None,
                    client=None,
                    ref=ref,
                    since=reminder.due_on,
                    due=reminder.due_on,
                    why=why,
                    what=tuple(what),
                    permission=None,
                    # no client to name: what the reminder is about says who the step concerns
                    about=Text(N_("{purpose}: {note}"), {"purpose": purpose, "note": note})
                    if note
                    else Text(N_("{purpose}, no client"), {"purpose": purpose}),
                )
            continue
        if client.status is ClientStatus.ARCHIVED:
            continue
        own = client.permissions.get(reminder.channel) if reminder.channel else None
        yield from _make(
            StepKind.OVERDUE_REMINDER,
            client,
            ref,
            since=reminder.due_on,
            due=reminder.due_on,
            why=why,
            what=what,
            preference=(own.channel,) if own is not None and own.allowed else None,
        )


def _make(
    kind: StepKind,
    client: ClientSituation,
    ref: str,
    *,
    since: dt.date,
    due: dt.date,
    why: Iterable[Text],
    what: Iterable[Text],
    value_cents: int | None = None,
    stake: str | None = None,
    preference: Iterable[Channel] | None = None,
    feedback_kind: FeedbackKind | None = None,
) -> Iterator[Step]:
    """One step on the best channel the rules allow, or none when all are blocked.

    Without ``value_cents`` the client's 12-month revenue is at stake (``stake`` names what
    a given value is)."""
    permission = best_channel(client.permissions, preference or KINDS[kind].preference)
    if permission is None:
        return
    yield Step(
        kind=kind,
        client_id=client.client_id,
        client=client.name,
        ref=ref,
        since=since,
        due=due,
        why=tuple(why),
        what=tuple(what),
        permission=permission,
        value_cents=client.value_cents if value_cents is None else value_cents,
        feedback_kind=feedback_kind,
        stake_words=stake or _revenue_words(client),
    )


def _revenue_words(client: ClientSituation) -> str:
    """A sleeping client's revenue is of the 12 months up to its last invoice."""
    return STAKE_SLEEPING if client.status is ClientStatus.SLEEPING else STAKE_REVENUE


def _days(day: dt.date, days: int) -> dt.date:
    return day + dt.timedelta(days=days)


# --------------------------------------------------------------------------------------------
# Lost clients: win back, follow up, and — after the try — ask good partings for a review
# --------------------------------------------------------------------------------------------


def loss_text(loss: LossFacts) -> Text:
    """Why the client counts as lost, in the words the client page and the dossier use."""
    return lost_text(loss.lost_on, loss.loss_type, loss.reason)


def call_plan(loss: LossFacts, loyalty: LoyaltyType | None) -> tuple[Text, ...]:
    """What a win-back call brings: measures, the incentive, the partial goals; the careful
    calculation first for a price-driven client (DOMAIN.md §4.3–§4.5)."""
    plan = []
    if loyalty is LoyaltyType.DISLOYAL:
        plan.append(
            Text(
                N_(
                    "They decide on price alone: check the win-back calculation with care "
                    "before you offer a discount."
                )
            )
        )
    if loss.measures.de or loss.measures.en:
        plan.append(Text(N_("Measures: {measures}."), {"measures": loss.measures}))
    if loss.incentive:
        plan.append(Text(N_("Incentive: {incentive}."), {"incentive": loss.incentive}))
    else:
        plan.append(Text(N_("Prepare an incentive: a free extra, special terms or a small gift.")))
    plan.append(
        Text(
            N_("Goals of the call: {goals}."),
            {"goals": Phrases(tuple(goal for _key, goal in WINBACK_GOALS))},
        )
    )
    return tuple(plan)


def _winback(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    loss = client.loss
    if client.status is not ClientStatus.LOST or loss is None or not loss.winback_possible:
        return
    if loss.outcome in (WinbackOutcome.GIVEN_UP, WinbackOutcome.WON_BACK):
        return
    if not loss.worth_trying:
        return  # not worth it: no call is pushed (the dossier shows the verdict)
    if loss.outcome is WinbackOutcome.NOT_NOW and loss.revisit_on is not None:
        since = due = loss.revisit_on
        ref = f"{loss.loss_id}@{loss.revisit_on.isoformat()}"
        why: tuple[Text, ...] = (
            loss_text(loss),
            Text(N_("The win-back was put off until {date}."), {"date": due}),
        )
        first = Text(N_("Get in touch again as planned."))
        if facts.as_of < due:
            return
    else:
        since, ref = loss.lost_on, str(loss.loss_id)
        due = _days(loss.lost_on, CALL_WITHIN_DAYS)
        why = (loss_text(loss),)
        fresh = (facts.as_of - loss.lost_on).days <= FRESH_LOSS_DAYS
        first = Text(
            N_("Call now: the sooner after the loss, the better.")
            if fresh
            else N_("Get in touch and ask how they are doing now.")
        )
    if any(attempt.date >= since for attempt in loss.attempts):
        return  # the win-back is under way: the follow-up takes over
    yield from _make(
        StepKind.WINBACK,
        client,
        ref,
        since=since,
        due=due,
        why=why,
        what=(first, *call_plan(loss, client.loyalty)),
        value_cents=loss.stake_cents,
        stake=loss.stake,
    )


def _winback_followup(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    loss = client.loss
    if (
        client.status is not ClientStatus.LOST
        or loss is None
        or loss.outcome is not (WinbackOutcome.OPEN)
    ):
        return
    last = loss.last_attempt
    if last is None or last.reaction is Reaction.RUDE:
        return
    wait = RETRY_AFTER_DAYS if last.reaction is Reaction.NO_ANSWER else FOLLOW_UP_AFTER_DAYS
    why = (
        loss_text(loss),
        Text(
            N_("Last try on {date} by {channel}: {reaction}."),
            {
                "date": last.date,
                "channel": Label(last.channel.value),
                "reaction": Label(last.reaction.value),
            },
        ),
    )
    what: tuple[Text, ...] = (Text(NEXT_STEP[last.reaction]),)
    if last.reaction is Reaction.NO_ANSWER:
        what += call_plan(loss, client.loyalty)
    yield from _make(
        StepKind.WINBACK_FOLLOWUP,
        client,
        f"{loss.loss_id}:{last.id}",
        since=last.date,
        due=_days(last.date, wait),
        why=why,
        what=what,
        value_cents=loss.stake_cents,
        stake=loss.stake,
    )


def left_on_good_terms(loss: LossFacts) -> bool:
    """Not pushed away, no objection, no complaint in the year before, no rude reaction."""
    return (
        loss.loss_type is not LossType.PUSHED
        and not loss.objected
        and loss.complaints_before == 0
        and not any(attempt.reaction is Reaction.RUDE for attempt in loss.attempts)
    )


def winback_settled(loss: LossFacts) -> dt.date | None:
    """The day from which asking for a review cannot spoil a win-back: after the latest
    attempt, or the day of the loss when no win-back is possible, was put off or given up,
    or is not worth it. None while the win-back has not been tried (DOMAIN.md §8)."""
    last = loss.last_attempt
    if last is not None:
        return last.date
    if not loss.winback_possible or not loss.worth_trying:
        return loss.lost_on
    if loss.outcome in (WinbackOutcome.GIVEN_UP, WinbackOutcome.NOT_NOW):
        return loss.outcome_on or loss.lost_on
    return None


def review_kind(client: ClientSituation) -> FeedbackKind:
    """A closed business can still refer; a loyal client writes a letter; others a review."""
    if client.loss is not None and not client.loss.winback_possible:
        return FeedbackKind.REFERRAL
    if client.loyalty is LoyaltyType.LOYAL:
        return FeedbackKind.RECOMMENDATION
    return FeedbackKind.REVIEW


#: What to ask for, by the kind of request.
ASK_FOR: dict[FeedbackKind, str] = {
    FeedbackKind.REVIEW: N_("Thank them and ask for a review or testimonial you may quote."),
    FeedbackKind.RECOMMENDATION: N_("Thank them and ask for a recommendation letter."),
    FeedbackKind.REFERRAL: N_("Ask whether they would recommend you to others."),
    FeedbackKind.FEEDBACK: N_(
        "Ask how they liked the work: what went well and what could be better."
    ),
}


def _asked_since(facts: StepFacts, client_id: int, day: dt.date) -> bool:
    """A request is open for the client, or one was planned, sent or answered since ``day``."""
    for request in facts.requests_of.get(client_id, ()):
        if request.status in (FeedbackStatus.PLANNED, FeedbackStatus.SENT):
            return True
        dates = (request.planned_on, request.sent_on, request.answered_on)
        if any(date is not None and date >= day for date in dates):
            return True
    return False


def _ask_review(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    if client.status is ClientStatus.LOST:
        yield from _ask_good_parting(client, facts)
    elif client.praise is not None:
        yield from _ask_after_praise(client, facts)


def _ask_good_parting(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    loss = client.loss
    if loss is None or not left_on_good_terms(loss):
        return
    if loss.case_id is not None and loss.outcome is WinbackOutcome.OPEN:
        return  # the win-back is under way: follow it up, never ask for a review meanwhile
    settled = winback_settled(loss)
    if settled is None:
        return  # never before a win-back try
    due = _days(settled, REVIEW_DISTANCE_DAYS)
    if facts.as_of < due or _asked_since(facts, client.client_id, loss.lost_on):
        return
    kind = review_kind(client)
    yield from _make(
        StepKind.ASK_REVIEW,
        client,
        str(loss.loss_id),
        since=loss.lost_on,
        due=due,
        why=(Text(N_("Parted on good terms on {date}."), {"date": loss.lost_on}),),
        what=(Text(ASK_FOR[kind]),),
        value_cents=loss.revenue_before_cents,
        stake=STAKE_BEFORE_LOSS,
        feedback_kind=kind,
    )


def _ask_after_praise(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    assert client.praise is not None
    praise_id, day = client.praise
    if facts.as_of > _days(day, PRAISE_WINDOW_DAYS) or _asked_since(facts, client.client_id, day):
        return
    kind = (
        FeedbackKind.RECOMMENDATION if client.loyalty is LoyaltyType.LOYAL else FeedbackKind.REVIEW
    )
    yield from _make(
        StepKind.ASK_REVIEW,
        client,
        f"praise:{praise_id}",
        since=day,
        due=_days(day, FOLLOW_UP_AFTER_DAYS),
        why=(Text(N_("Praise logged on {date}."), {"date": day}),),
        what=(Text(ASK_FOR[kind]),),
        feedback_kind=kind,
    )


# --------------------------------------------------------------------------------------------
# Clients still buying: overdue invoices, warning signs, returners, sleepers, loyalty
# --------------------------------------------------------------------------------------------


def _payment_reminder(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    for signal in client.signals:
        if signal.name != LATE_PAYMENTS:
            continue
        for text in signal.texts:
            if text.message != OVERDUE_MESSAGE:
                continue
            oldest_due = facts.as_of - dt.timedelta(days=int(text.params["days"]))
            yield from _make(
                StepKind.PAYMENT_REMINDER,
                client,
                oldest_due.isoformat(),
                since=oldest_due,
                due=_days(oldest_due, facts.late_days + 1),
                why=(text,),
                value_cents=to_cents(text.params["amount"]),
                stake=STAKE_OVERDUE,
                what=(
                    Text(
                        N_(
                            "Send a friendly payment reminder; attach the invoice and ask "
                            "whether anything is unclear."
                        )
                    ),
                ),
            )


def _warning_signs(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    """One step for all of a client's warning signs: it names every sign and takes the
    channel the strongest one prefers (one talk about everything, not a call and a mail)."""
    if client.status is not ClientStatus.AT_RISK:
        return
    signs = sorted(
        (
            (signal.name, texts)
            for signal in client.signals
            # only overdue invoices: the payment reminder covers them
            if (texts := tuple(t for t in signal.texts if t.message != OVERDUE_MESSAGE))
        ),
        key=lambda sign: SIGN_STRENGTH.index(sign[0]),
    )
    if not signs:
        return
    events = {name: client.sign_events.get(name, client.created_on) for name, _texts in signs}
    occasion = "+".join(
        f"{name}@{events[name].isoformat()}" for name in SIGNAL_LABELS if name in events
    )
    why = [text for _name, texts in signs for text in texts]
    if len(signs) > 1:
        labels = Phrases(tuple(SIGNAL_LABELS[name] for name, _texts in signs))
        why.insert(0, Text(WARNING_SIGNS, {"signs": labels}))
    measures = dict.fromkeys(SIGN_MEASURES[name] for name, _texts in signs)
    strongest = signs[0][0]
    yield from _make(
        StepKind.WARNING_SIGN,
        client,
        occasion,
        since=max(events.values()),
        due=_days(facts.as_of, SIGN_DUE_DAYS),
        why=why,
        what=tuple(Text(measure) for measure in measures),
        preference=SIGN_PREFERENCE.get(strongest),
    )


def _returner(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    loss, back = client.loss, client.won_back_on
    if loss is None or back is None or client.status is ClientStatus.LOST:
        return
    if facts.as_of > _days(back, RETURNER_DAYS):
        return
    open_points = tuple(
        label for key, label in RETURNER_CHECKLIST if key not in loss.checklist_done
    )
    if not open_points:
        return
    yield from _make(
        StepKind.RETURNER_CHECKLIST,
        client,
        str(loss.case_id),
        since=back,
        due=_days(back, FOLLOW_UP_AFTER_DAYS),
        why=(
            Text(
                N_("Won back on {date}: the first jobs decide whether they stay."),
                {"date": back},
            ),
        ),
        what=(
            Text(N_("Make the first jobs flawless: {points}."), {"points": Phrases(open_points)}),
        ),
    )


def _reactivate(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    if client.status is not ClientStatus.SLEEPING:
        return
    since = client.last_invoice or client.created_on
    what = [Text(N_("Get in touch again and tell them what is new."))]
    news = facts.news
    if news is not None:
        what.append(Text(N_("News to tell: {text}"), {"text": news.text}))
    yield from _make(
        StepKind.REACTIVATE,
        client,
        since.isoformat(),
        since=since,
        due=_days(since, facts.sleeping_days),
        why=(sleeping_text(client.last_invoice, client.created_on, facts.as_of),),
        what=what,
    )


#: Clients still buying: the statuses that loyalty, thanks and feedback steps are for.
BUYING = (ClientStatus.ACTIVE, ClientStatus.AT_RISK, ClientStatus.WON_BACK)


def _loyalty(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    if client.loyalty is not LoyaltyType.CONDITIONAL or client.status not in BUYING:
        return
    last = client.personal_contact
    if last is not None and (facts.as_of - last).days < PERSONAL_CONTACT_DAYS:
        return
    if last is None:
        why = Text(
            N_(
                "Conditionally loyal: stays out of convenience and may leave after one mistake. "
                "No personal contact is recorded."
            )
        )
    else:
        why = Text(
            N_(
                "Conditionally loyal: stays out of convenience and may leave after one mistake. "
                "Last personal contact: {date}."
            ),
            {"date": last},
        )
    since = last or client.first_sale or client.created_on
    yield from _make(
        StepKind.LOYALTY,
        client,
        since.isoformat(),
        since=since,
        due=_days(facts.as_of, SIGN_DUE_DAYS),
        why=(why,),
        what=(
            Text(
                N_(
                    "Make them a loyal client: a personal call or meeting, a thank-you for the "
                    "work together, and flawless delivery (the brief in writing, a time buffer, "
                    "the work checked twice)."
                )
            ),
        ),
    )


def _thank_you(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    if client.loyalty is not LoyaltyType.LOYAL or client.status not in BUYING:
        return
    first = client.first_sale
    if first is None:
        return
    for years in range(facts.as_of.year - first.year - 1, facts.as_of.year - first.year + 2):
        if years < 1:
            continue
        anniversary = add_months(first, 12 * years)
        if abs((anniversary - facts.as_of).days) > ANNIVERSARY_DAYS:
            continue
        yield from _make(
            StepKind.THANK_YOU,
            client,
            anniversary.isoformat(),
            since=_days(anniversary, -ANNIVERSARY_DAYS),
            due=anniversary,
            why=(
                Text.counted(
                    N_plural(
                        "{years} year of working together on {date}.",
                        "{years} years of working together on {date}.",
                    ),
                    {"years": years, "date": anniversary},
                    count="years",
                ),
            ),
            what=(
                Text(
                    N_(
                        "Thank them personally for the work together: a call, a card or a "
                        "small gift."
                    )
                ),
            ),
        )


# --------------------------------------------------------------------------------------------
# Feedback, news and new clients
# --------------------------------------------------------------------------------------------


def _feedback_followups(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    for request in facts.requests_of.get(client.client_id, ()):
        if request.status is not FeedbackStatus.SENT:
            continue
        sent_on = request.sent_on or request.planned_on or facts.as_of
        due = request.follow_up_on or _days(sent_on, DEFAULT_FOLLOW_UP_DAYS)
        if facts.as_of < due:
            continue
        yield from _make(
            StepKind.FEEDBACK_FOLLOWUP,
            client,
            str(request.id),
            since=sent_on,
            due=due,
            why=(
                Text(
                    N_("Request for {what} sent on {date} has no answer yet."),
                    {"what": Label(request.kind.value), "date": sent_on},
                ),
            ),
            what=(Text(N_("Ask again, kindly, whether they found the time to answer.")),),
            preference=(request.channel,),
        )


def _ask_feedback(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    """A job ended well: its invoice was paid lately and no complaint came before."""
    sale = client.last_sale
    if client.status not in (ClientStatus.ACTIVE, ClientStatus.WON_BACK) or sale is None:
        return
    paid = sale.paid_date
    if paid is None or paid > facts.as_of or (facts.as_of - paid).days > ENDED_WELL_DAYS:
        return
    window = _days(paid, -NO_COMPLAINT_DAYS)
    if any(window <= day <= facts.as_of for day in client.complaints):
        return
    if _asked_since(facts, client.client_id, _days(facts.as_of, -FEEDBACK_GAP_DAYS)):
        return
    yield from _make(
        StepKind.ASK_FEEDBACK,
        client,
        str(sale.entry_id),
        since=paid,
        due=_days(paid, FOLLOW_UP_AFTER_DAYS),
        why=(
            Text(
                N_(
                    "A job ended well: the invoice of {date} was paid on {paid}, with no complaint."
                ),
                {"date": sale.invoice_date, "paid": paid},
            ),
        ),
        what=(Text(ASK_FOR[FeedbackKind.FEEDBACK]),),
        feedback_kind=FeedbackKind.FEEDBACK,
    )


def _new_skills(client: ClientSituation, facts: StepFacts) -> Iterator[Step]:
    news = facts.news
    if news is None or client.client_id not in news.client_ids:
        return
    yield from _make(
        StepKind.NEW_SKILLS,
        client,
        news.ref,
        since=news.on,
        due=news.on,
        why=(Text(N_("Chosen for your news: {text}"), {"text": news.text}),),
        what=(Text(N_("Tell them about your news, with an example of what it means for them.")),),
    )


def _new_clients(facts: StepFacts) -> Iterator[Step]:
    """Regular time for new clients: one step per slot of the set number of weeks; none for a
    day before the file's first record (a review of a year before any data plans nothing)."""
    weeks = facts.new_clients_weeks
    if weeks <= 0:
        return
    if facts.clients and facts.as_of < min(
        min(c.created_on, c.first_sale or c.created_on) for c in facts.clients
    ):
        return
    slot = (facts.as_of - NEW_CLIENTS_EPOCH).days // (7 * weeks)
    start = _days(NEW_CLIENTS_EPOCH, slot * 7 * weeks)
    yield Step(
        kind=StepKind.NEW_CLIENTS,
        client_id=None,
        client=None,
        about=Text(N_("Finding new clients")),
        ref=start.isoformat(),
        since=start,
        due=_days(start, 4),
        why=(
            Text.counted(
                N_plural(
                    "Your plan: time for new clients every week.",
                    "Your plan: time for new clients every {weeks} weeks.",
                ),
                {"weeks": weeks},
                count="weeks",
            ),
        ),
        what=(
            Text(
                N_(
                    "Block an hour for finding new clients: ask a happy client for a referral, "
                    "show recent work, bring your profiles up to date."
                )
            ),
            Text(
                N_(
                    "Keeping or reviving a client is said to cost a seventh of winning a new "
                    "one: do both."
                )
            ),
        ),
        permission=None,
    )
