"""Loading one record by id inside a service's transaction, with the user's message if it is gone.

A record can vanish between showing it and acting on it (deleted in another window or by a
merge); every service then says so in the same words.
"""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, SQLModel

from freelancer_desk.errors import NotFoundError
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Client,
    ClientGroup,
    FeedbackRequest,
    Interaction,
    Loss,
    Reminder,
    RevenueEntry,
    WinbackAttempt,
    WinbackCase,
)

R = TypeVar("R", bound=SQLModel)

_GONE: dict[type[SQLModel], str] = {
    Client: N_("This client does not exist any more."),
    ClientGroup: N_("This group does not exist any more."),
    RevenueEntry: N_("This revenue entry does not exist any more."),
    Interaction: N_("This interaction does not exist any more."),
    Loss: N_("This loss does not exist any more."),
    WinbackCase: N_("This win-back case does not exist any more."),
    WinbackAttempt: N_("This attempt does not exist any more."),
    FeedbackRequest: N_("This feedback request does not exist any more."),
    Reminder: N_("This reminder does not exist any more."),
}


def fetch(session: Session, model: type[R], record_id: int) -> R:
    """The record of ``model`` with that id; NotFoundError in the user's words if it is gone."""
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(_(_GONE[model]))
    return record
