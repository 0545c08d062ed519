"""Who to contact and why: suggestions for reminders and feedback requests (DOMAIN.md §4.5).

Five rules, each over plain facts gathered by ``services.suggestions``:

- **reactivate** a sleeping client (no revenue for the set number of days);
- **win back** a lost client once a cool-off has passed that depends on the reason and the
  loss type (or on the day a "not now" win-back was put off to);
- **follow up** a feedback request that was sent and has had no answer by its follow-up date;
- **ask for a review, recommendation letter or referral** a client who left on good terms;
- **tell about new skills or offers** the clients the user chose for a piece of news.

A suggestion is never made for a channel the contact rules block (if every channel is
blocked, there is no suggestion), and never twice: not while a matching reminder or request is
open, not after one was done since the occasion arose, and not after the user dismissed it.
The occasion is named by ``ref`` (the sleep's start, the loss, the request, the news), so a new
occasion can be suggested again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from freelancer_desk import formatting
from freelancer_desk.catalog import NO_WINBACK_REASONS
from freelancer_desk.contact_rules import (
    SPOKEN_FIRST,
    WRITTEN_FIRST,
    ContactPermission,
    Verdict,
    best_channel,
)
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Channel,
    ClientStatus,
    FeedbackKind,
    FeedbackStatus,
    LossType,
    LoyaltyType,
    ReminderPurpose,
    WinbackOutcome,
    label,
)


class Rule(StrEnum):
    """The suggestion rules; the value is stored with a dismissal."""

    REACTIVATE = "reactivate"
    WINBACK = "winback"
    FEEDBACK_FOLLOWUP = "feedback_followup"
    ASK_REVIEW = "ask_review"
    NEW_SKILLS = "new_skills"


RULE_LABELS: dict[Rule, str] = {
    Rule.REACTIVATE: N_("Reactivate a sleeping client"),
    Rule.WINBACK: N_("Revisit a lost client"),
    Rule.FEEDBACK_FOLLOWUP: N_("Follow up a feedback request"),
    Rule.ASK_REVIEW: N_("Ask for a review or recommendation"),
    Rule.NEW_SKILLS: N_("Tell about new skills"),
}

#: Days to wait after a loss before a win-back call, by reason. Pushed away (our own fault):
#: call at once to repair; pulled away: give the competitor time to disappoint; broken away:
#: wait until the client's situation may have changed. A closed business is no win-back case.
COOL_OFF_BY_REASON: dict[str, int] = {
    "quality": 7,
    "poor_service": 7,
    "complaint_handling": 7,
    "contact_person": 14,
    "unreachable": 14,
    "image": 30,
    "moved": 30,
    "price_too_high": 60,
    "competitor": 90,
    "financial_squeeze": 90,
    "crisis": 90,
    "need_changed": 90,
    "new_phase": 120,
    "wants_change": 180,
}
#: Cool-off for reasons not in the table above (user-made reasons, "other"), by loss type.
COOL_OFF_BY_TYPE: dict[LossType, int] = {
    LossType.PUSHED: 7,
    LossType.PULLED: 60,
    LossType.BROKEN: 120,
}
#: Days after the loss before asking a client who left on good terms for a review.
REVIEW_DISTANCE_DAYS = 14
#: A complaint within this many days before the loss means the parting was not on good terms.
GOOD_TERMS_WINDOW_DAYS = 365
#: Days after sending when an unanswered request needs a follow-up if it has no date set.
DEFAULT_FOLLOW_UP_DAYS = 14


def cool_off_days(reason_code: str, loss_type: LossType) -> int | None:
    """Days to wait before revisiting a lost client; None: do not try to win it back."""
    if reason_code in NO_WINBACK_REASONS:
        return None
    if reason_code in COOL_OFF_BY_REASON:
        return COOL_OFF_BY_REASON[reason_code]
    return COOL_OFF_BY_TYPE[loss_type]


# --------------------------------------------------------------------------------------------
# Facts in
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LossFacts:
    """The latest loss of a client and how the win-back went."""

    loss_id: int
    lost_on: dt.date
    loss_type: LossType
    reason_code: str
    objected: bool = False
    outcome: WinbackOutcome | None = None
    revisit_on: dt.date | None = None
    last_attempt_on: dt.date | None = None
    any_rude_reaction: bool = False
    #: Complaints logged in the ``GOOD_TERMS_WINDOW_DAYS`` before the loss.
    complaints_before: int = 0


@dataclass(frozen=True)
class ClientSituation:
    """One client: status, contact permissions today, and its latest loss."""

    client_id: int
    name: str
    status: ClientStatus
    created_on: dt.date
    permissions: Mapping[Channel, ContactPermission]
    last_invoice: dt.date | None = None
    loyalty: LoyaltyType | None = None
    loss: LossFacts | None = None


@dataclass(frozen=True)
class ReminderFacts:
    """A stored reminder, for "already open or done" (``ReminderRow`` extends it)."""

    client_id: int | None
    purpose: ReminderPurpose
    due_on: dt.date
    done_on: dt.date | None = None


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
class SkillNews:
    """A new skill or offer to tell the chosen clients about."""

    ref: str
    text: str
    on: dt.date
    client_ids: frozenset[int]


@dataclass(frozen=True)
class SuggestionFacts:
    """Everything the rules look at, for one day."""

    as_of: dt.date
    clients: tuple[ClientSituation, ...]
    reminders: tuple[ReminderFacts, ...] = ()
    requests: tuple[RequestFacts, ...] = ()
    dismissed: frozenset[tuple[str, int, str]] = frozenset()
    news: SkillNews | None = None


# --------------------------------------------------------------------------------------------
# Suggestions out
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One thing to do: becomes a reminder (``purpose``) or a feedback request (``kind``)."""

    rule: Rule
    client_id: int
    client_name: str
    ref: str
    channel: Channel
    permission: ContactPermission
    purpose: ReminderPurpose | None = None
    kind: FeedbackKind | None = None
    message: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, int, str]:
        """What a dismissal stores: (rule, client, occasion)."""
        return (self.rule.value, self.client_id, self.ref)

    @property
    def why(self) -> str:
        """The reason for the suggestion in the current language."""
        values = {
            name: formatting.date(value)
            if isinstance(value, dt.date)
            else label(value)
            if isinstance(value, StrEnum)
            else value
            for name, value in self.params.items()
        }
        return _(self.message).format(**values)

    @property
    def caution(self) -> str | None:
        """The contact rule's caution for the suggested channel, if any."""
        return self.permission.reason if self.permission.verdict is Verdict.CAUTION else None


def suggest(facts: SuggestionFacts) -> list[Suggestion]:
    """All suggestions for the day, by rule then client name."""
    found = [
        suggestion
        for client in facts.clients
        if client.status is not ClientStatus.ARCHIVED
        for suggestion in _for_client(client, facts)
        if suggestion.key not in facts.dismissed
    ]
    order = list(Rule)
    return sorted(found, key=lambda s: (order.index(s.rule), s.client_name.lower(), s.ref))


def _for_client(client: ClientSituation, facts: SuggestionFacts) -> Iterator[Suggestion]:
    yield from _reactivate(client, facts)
    yield from _winback(client, facts)
    yield from _follow_ups(client, facts)
    yield from _ask_review(client, facts)
    yield from _new_skills(client, facts)


def _handled(
    facts: SuggestionFacts, client_id: int, purpose: ReminderPurpose, since: dt.date
) -> bool:
    """A reminder of this purpose is open, or was done on or after ``since``."""
    return any(
        r.client_id == client_id
        and r.purpose is purpose
        and (r.done_on is None or r.done_on >= since)
        for r in facts.reminders
    )


def _make(
    rule: Rule,
    client: ClientSituation,
    ref: str,
    preference: Iterable[Channel],
    message: str,
    *,
    purpose: ReminderPurpose | None = None,
    kind: FeedbackKind | None = None,
    **params: Any,
) -> Iterator[Suggestion]:
    """One suggestion on the best channel the rules allow, or none if all are blocked."""
    permission = best_channel(client.permissions, preference)
    if permission is None:
        return
    yield Suggestion(
        rule,
        client.client_id,
        client.name,
        ref,
        permission.channel,
        permission,
        purpose=purpose,
        kind=kind,
        message=message,
        params=params,
    )


def _reactivate(client: ClientSituation, facts: SuggestionFacts) -> Iterator[Suggestion]:
    if client.status is not ClientStatus.SLEEPING:
        return
    since = client.last_invoice or client.created_on
    if _handled(facts, client.client_id, ReminderPurpose.REACTIVATE, since):
        return
    message = (
        N_("No revenue since {date} ({days} days).")
        if client.last_invoice
        else N_("No revenue since the client was added on {date} ({days} days).")
    )
    yield from _make(
        Rule.REACTIVATE,
        client,
        since.isoformat(),
        SPOKEN_FIRST,
        message,
        date=since,
        days=(facts.as_of - since).days,
        purpose=ReminderPurpose.REACTIVATE,
    )


def _winback(client: ClientSituation, facts: SuggestionFacts) -> Iterator[Suggestion]:
    loss = client.loss
    if client.status is not ClientStatus.LOST or loss is None or loss.objected:
        return
    if loss.outcome is WinbackOutcome.GIVEN_UP:
        return
    if loss.outcome is WinbackOutcome.NOT_NOW and loss.revisit_on is not None:
        since, start, ref = loss.revisit_on, loss.revisit_on, f"{loss.loss_id}@{loss.revisit_on}"
        message = N_("The win-back was put off until {date}.")
        params: dict[str, Any] = {"date": loss.revisit_on}
    else:
        days = cool_off_days(loss.reason_code, loss.loss_type)
        if days is None:
            return
        since, start, ref = loss.lost_on, loss.lost_on + dt.timedelta(days=days), str(loss.loss_id)
        message = N_("Lost on {date} ({loss_type}); the cool-off of {days} days is over.")
        params = {"date": loss.lost_on, "loss_type": loss.loss_type, "days": days}
    if facts.as_of < start:
        return
    if loss.last_attempt_on is not None and loss.last_attempt_on >= since:
        return  # the win-back is already under way
    if _handled(facts, client.client_id, ReminderPurpose.WINBACK_FOLLOWUP, since):
        return
    yield from _make(
        Rule.WINBACK,
        client,
        ref,
        SPOKEN_FIRST,
        message,
        purpose=ReminderPurpose.WINBACK_FOLLOWUP,
        **params,
    )


def _follow_ups(client: ClientSituation, facts: SuggestionFacts) -> Iterator[Suggestion]:
    for request in facts.requests:
        if request.client_id != client.client_id or request.status is not FeedbackStatus.SENT:
            continue
        sent_on = request.sent_on or request.planned_on or facts.as_of
        due = request.follow_up_on or sent_on + dt.timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
        if facts.as_of < due:
            continue
        if _handled(facts, client.client_id, ReminderPurpose.FEEDBACK_FOLLOWUP, sent_on):
            continue
        yield from _make(
            Rule.FEEDBACK_FOLLOWUP,
            client,
            str(request.id),
            (request.channel,),
            N_("Request for {what} sent on {date} has no answer yet."),
            what=request.kind,
            date=sent_on,
            purpose=ReminderPurpose.FEEDBACK_FOLLOWUP,
        )


def left_on_good_terms(loss: LossFacts) -> bool:
    """Not pushed away, no objection, no complaint in the year before, no rude reaction."""
    return (
        loss.loss_type is not LossType.PUSHED
        and not loss.objected
        and loss.complaints_before == 0
        and not loss.any_rude_reaction
    )


def review_kind(client: ClientSituation, loss: LossFacts) -> FeedbackKind:
    """A closed business can still refer; a loyal client writes a letter; others a review."""
    if loss.reason_code in NO_WINBACK_REASONS:
        return FeedbackKind.REFERRAL
    if client.loyalty is LoyaltyType.LOYAL:
        return FeedbackKind.RECOMMENDATION
    return FeedbackKind.REVIEW


def _ask_review(client: ClientSituation, facts: SuggestionFacts) -> Iterator[Suggestion]:
    loss = client.loss
    if client.status is not ClientStatus.LOST or loss is None or not left_on_good_terms(loss):
        return
    if facts.as_of < loss.lost_on + dt.timedelta(days=REVIEW_DISTANCE_DAYS):
        return
    for request in facts.requests:
        if request.client_id != client.client_id:
            continue
        if request.status in (FeedbackStatus.PLANNED, FeedbackStatus.SENT):
            return
        dates = (request.planned_on, request.sent_on, request.answered_on)
        if any(day is not None and day >= loss.lost_on for day in dates):
            return
    kind = review_kind(client, loss)
    yield from _make(
        Rule.ASK_REVIEW,
        client,
        str(loss.loss_id),
        WRITTEN_FIRST,
        N_("Parted on good terms on {date}. Ask for: {what}."),
        kind=kind,
        date=loss.lost_on,
        what=kind,
    )


def _new_skills(client: ClientSituation, facts: SuggestionFacts) -> Iterator[Suggestion]:
    news = facts.news
    if news is None or client.client_id not in news.client_ids:
        return
    if _handled(facts, client.client_id, ReminderPurpose.NEW_OFFERS, news.on):
        return
    yield from _make(
        Rule.NEW_SKILLS,
        client,
        news.ref,
        WRITTEN_FIRST,
        N_("Chosen for your news: {text}"),
        text=news.text,
        purpose=ReminderPurpose.NEW_OFFERS,
    )
