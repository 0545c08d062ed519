"""The next contact a warning sign or a sleeping client calls for, on a channel the rules allow.

The dashboard offers one step per client and sign ("By phone: ask about their plans"). What to
do comes from the sign; *how* is the best channel the contact rules leave open on the day, in
the step's order of preference: talking things over by phone first where that is allowed,
payment reminders and "can we reach you?" in writing. A private person without phone consent is
therefore never offered a call, and a client nobody may contact gets no step at all.

Pure: permissions in, a step (or the permission that blocks every channel) out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from freelancer_desk.analytics.warnings import (
    CHASING_ORDERS,
    FEWER_ORDERS,
    LATE_PAYMENTS,
    MORE_COMPLAINTS,
    SMALLER_ORDERS,
    UNREACHABLE,
)
from freelancer_desk.contact_rules import (
    SPOKEN_FIRST,
    WRITTEN_FIRST,
    ContactPermission,
    best_channel,
)
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import Channel, ReminderPurpose

#: The step for a sleeping client (no revenue for a while).
SLEEPING = "sleeping"


@dataclass(frozen=True)
class StepKind:
    """What to do about one sign, and the channels to do it on, best first."""

    what: str
    preference: tuple[Channel, ...]
    purpose: ReminderPurpose = ReminderPurpose.CUSTOM


STEP_KINDS: dict[str, StepKind] = {
    FEWER_ORDERS: StepKind(N_("ask about their plans"), SPOKEN_FIRST),
    SMALLER_ORDERS: StepKind(N_("ask about their plans"), SPOKEN_FIRST),
    LATE_PAYMENTS: StepKind(N_("send a friendly payment reminder"), WRITTEN_FIRST),
    MORE_COMPLAINTS: StepKind(N_("sort out the complaints"), SPOKEN_FIRST),
    UNREACHABLE: StepKind(
        N_("ask when and how they can best be reached"), (Channel.EMAIL, Channel.LETTER)
    ),
    CHASING_ORDERS: StepKind(N_("ask what they need next"), SPOKEN_FIRST),
    SLEEPING: StepKind(
        N_("get in touch again and tell them what is new"),
        SPOKEN_FIRST,
        ReminderPurpose.REACTIVATE,
    ),
}

#: How a step is done, by channel: "By phone: ask about their plans".
HOW: dict[Channel, str] = {
    Channel.PHONE: N_("By phone: {step}"),
    Channel.EMAIL: N_("By email: {step}"),
    Channel.LETTER: N_("By letter: {step}"),
}


@dataclass(frozen=True)
class ContactStep:
    """A contact to make about a client: what, on which allowed channel, from which day."""

    client_id: int
    sign: str
    day: dt.date
    permission: ContactPermission

    @property
    def channel(self) -> Channel:
        """The channel the step uses (allowed on ``day``)."""
        return self.permission.channel

    @property
    def purpose(self) -> ReminderPurpose:
        """The purpose of the reminder the step becomes."""
        return STEP_KINDS[self.sign].purpose

    @property
    def title(self) -> str:
        """The step in words, in the current language: "By phone: ask about their plans"."""
        return _(HOW[self.channel]).format(step=_(STEP_KINDS[self.sign].what))


def plan_step(
    client_id: int, sign: str, permissions: Mapping[Channel, ContactPermission], day: dt.date
) -> ContactStep | None:
    """The step for ``sign`` on the best channel open on ``day``; None when all are blocked."""
    permission = best_channel(permissions, STEP_KINDS[sign].preference)
    return None if permission is None else ContactStep(client_id, sign, day, permission)
