"""A client's lifecycle status, derived from its records (never stored)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from freelancer_desk.choices import ClientStatus, LossType
from freelancer_desk.i18n import N_
from freelancer_desk.texts import InLanguages, Label, Text


@dataclass(frozen=True)
class ClientFacts:
    """What the status of one client depends on."""

    created_on: dt.date
    archived: bool = False
    last_invoice: dt.date | None = None
    #: Date of the latest loss, if the client was ever lost.
    lost_on: dt.date | None = None
    #: The latest loss ended with the client won back (on or before the day looked from).
    won_back: bool = False
    #: The day the client was won back.
    won_back_on: dt.date | None = None
    #: Any warning sign is up (computed by the warning-signs analytics).
    at_risk: bool = False
    #: Won back at least once by the day looked from: the returner mark stays, also after
    #: a later loss (DOMAIN.md §4.5, "second loyalty").
    returner: bool = False


def days_without_revenue(facts: ClientFacts, as_of: dt.date) -> int:
    """Days since the last invoice (or since the client was created, if none).

    ``last_invoice`` is the last *positive* entry: a late credit note does not wake a client.

    A returner's count starts again on the day it was won back: it has had no time to order yet.
    """
    since = facts.last_invoice or facts.created_on
    if facts.won_back and facts.won_back_on is not None:
        since = max(since, facts.won_back_on)
    return (as_of - since).days


def sleeping_text(last_invoice: dt.date | None, created_on: dt.date, as_of: dt.date) -> Text:
    """Why a client counts as sleeping: the words the status, the client page, the steps and
    the dossier share."""
    since = last_invoice or created_on
    message = (
        N_("No revenue since {date} ({days} days).")
        if last_invoice
        else N_("No revenue since the client was added on {date} ({days} days).")
    )
    return Text(message, {"date": since, "days": (as_of - since).days})


def lost_text(lost_on: dt.date, loss_type: LossType, reason: InLanguages) -> Text:
    """Why a client counts as lost: the words the Clients list, the client page, the steps and
    the dossier share."""
    return Text(
        N_("Lost on {date} ({loss_type}), reason: {reason}."),
        {"date": lost_on, "loss_type": Label(loss_type.value), "reason": reason},
    )


def is_sleeping(facts: ClientFacts, as_of: dt.date, sleeping_days: int) -> bool:
    """No revenue for ``sleeping_days`` or more, and not marked lost (DOMAIN.md §4.1)."""
    if facts.lost_on is not None and not facts.won_back:
        return False
    return days_without_revenue(facts, as_of) >= sleeping_days


def derive_status(facts: ClientFacts, as_of: dt.date, sleeping_days: int) -> ClientStatus:
    """archived > lost > sleeping > at risk > won back > active."""
    if facts.archived:
        return ClientStatus.ARCHIVED
    if facts.lost_on is not None and not facts.won_back:
        return ClientStatus.LOST
    if is_sleeping(facts, as_of, sleeping_days):
        return ClientStatus.SLEEPING
    if facts.at_risk:
        return ClientStatus.AT_RISK
    if facts.won_back:
        return ClientStatus.WON_BACK
    return ClientStatus.ACTIVE
