"""The choices of the records (client kind, channel, reminder purpose, status …) and their
shown names.

Values are stored; labels are shown (translated with ``_()`` at display time). They live apart
from the tables (``models``) and import no ORM, so that the analytics, the contact rules and a
status document kept in the file can name them without loading SQLAlchemy (a fast start).
"""

from __future__ import annotations

from enum import StrEnum

from freelancer_desk.i18n import N_, _


class ClientKind(StrEnum):
    """Business or private person: the contact rules differ (DOMAIN.md §5)."""

    BUSINESS = "business"
    PRIVATE = "private"


class Salutation(StrEnum):
    """How messages address the contact person: "Frau Schmidt" / "Herr Schmidt" (None: by name)."""

    MS = "ms"
    MR = "mr"


class AddressForm(StrEnum):
    """Sie or Du: the German templates exist in both forms; English changes only the greeting."""

    FORMAL = "formal"
    INFORMAL = "informal"


class LoyaltyType(StrEnum):
    """DOMAIN.md §4.4."""

    LOYAL = "loyal"
    CONDITIONAL = "conditional"
    DISLOYAL = "disloyal"


class Channel(StrEnum):
    """How a contact happens; also the channels the contact rules judge."""

    PHONE = "phone"
    EMAIL = "email"
    MEETING = "meeting"
    LETTER = "letter"
    OTHER = "other"


class InteractionKind(StrEnum):
    """What a logged contact was (DOMAIN.md §2, Interaction)."""

    CONTACT = "contact"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    UNREACHABLE = "unreachable"
    CHASING = "chasing"
    FEEDBACK = "feedback"


class LossType(StrEnum):
    """DOMAIN.md §4.2."""

    BROKEN = "broken"
    PULLED = "pulled"
    PUSHED = "pushed"


class Reaction(StrEnum):
    """How a client reacted to a win-back attempt."""

    FRIENDLY = "friendly"
    RESERVED = "reserved"
    RUDE = "rude"
    NO_ANSWER = "no_answer"


class WinbackOutcome(StrEnum):
    """Where a win-back case stands."""

    OPEN = "open"
    WON_BACK = "won_back"
    NOT_NOW = "not_now"
    GIVEN_UP = "given_up"


class FeedbackKind(StrEnum):
    """What a feedback request asks for."""

    FEEDBACK = "feedback"
    REVIEW = "review"
    RECOMMENDATION = "recommendation"
    REFERRAL = "referral"


class FeedbackStatus(StrEnum):
    """planned → sent → received (shown as "Answered") / declined."""

    PLANNED = "planned"
    SENT = "sent"
    RECEIVED = "received"
    DECLINED = "declined"


class ReminderPurpose(StrEnum):
    """Why a reminder (Wiedervorlage) exists."""

    REACTIVATE = "reactivate"
    WINBACK_FOLLOWUP = "winback_followup"
    FEEDBACK_FOLLOWUP = "feedback_followup"
    NEW_OFFERS = "new_offers"
    CUSTOM = "custom"


class RecurrenceUnit(StrEnum):
    """Unit of a reminder's recurrence."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


class PaymentSource(StrEnum):
    """Where a payment of an invoice was read."""

    #: A bank statement (CSV, CAMT.053, MT940) matched to the invoice.
    BANK = "bank"


class ClientStatus(StrEnum):
    """Lifecycle status, derived from the records (never stored)."""

    ACTIVE = "active"
    SLEEPING = "sleeping"
    AT_RISK = "at_risk"
    LOST = "lost"
    WON_BACK = "won_back"
    ARCHIVED = "archived"


class Decision(StrEnum):
    """What the user decided about a next step (``services.steps``)."""

    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    SNOOZED = "snoozed"


#: Shown names of every choice value, translated at display time with ``label()``.
LABELS: dict[str, str] = {
    "business": N_("Business"),
    "private": N_("Private person"),
    "ms": N_("Ms"),
    "mr": N_("Mr"),
    "formal": N_("Formal (Sie)"),
    "informal": N_("First-name terms (Du)"),
    "loyal": N_("Loyal"),
    "conditional": N_("Conditionally loyal"),
    "disloyal": N_("Disloyal"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "meeting": N_("Meeting"),
    "letter": N_("Letter"),
    "other": N_("Other"),
    "contact": N_("Contact"),
    "complaint": N_("Complaint"),
    "praise": N_("Praise"),
    "unreachable": N_("Unreachable"),
    "chasing": N_("Had to chase an order"),
    "feedback": N_("Feedback"),
    "broken": N_("Stopped buying"),
    "pulled": N_("Went to a competitor"),
    "pushed": N_("Left because of us"),
    "friendly": N_("Friendly"),
    "reserved": N_("Reserved"),
    "rude": N_("Rude"),
    "no_answer": N_("No answer"),
    "open": N_("Open"),
    "won_back": N_("Won back"),
    "not_now": N_("Not now"),
    "given_up": N_("Given up"),
    "review": N_("Review / testimonial"),
    "recommendation": N_("Recommendation letter"),
    "referral": N_("Referral"),
    "planned": N_("Planned"),
    "sent": N_("Sent"),
    # the state after an answer came: "Answered" as in "Answered on" and "3 answered"
    "received": N_("Answered"),
    "declined": N_("Declined"),
    "reactivate": N_("Reactivate"),
    "winback_followup": N_("Win-back follow-up"),
    "feedback_followup": N_("Feedback follow-up"),
    "new_offers": N_("Tell about new skills or offers"),
    "custom": N_("Custom"),
    "days": N_("days"),
    "weeks": N_("weeks"),
    "months": N_("months"),
    "active": N_("Active"),
    "sleeping": N_("Sleeping"),
    "at_risk": N_("At risk"),
    "lost": N_("Lost"),
    "archived": N_("Archived"),
}


def label(value: str | StrEnum | None) -> str:
    """The translated display name of a choice value ("" for none)."""
    if value is None:
        return ""
    return _(LABELS.get(str(value), str(value)))
