"""Win-back figures (DOMAIN.md §4.3–§4.5): is a win-back worth it, and did winning back pay?

Pure functions over plain data. Money is ``Decimal``; the discount is a fraction 0..1.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from freelancer_desk.choices import Channel, LossType, LoyaltyType, Reaction, WinbackOutcome
from freelancer_desk.i18n import N_
from freelancer_desk.money import ZERO, round_cents


def winback_value(
    potential_12m: Decimal, discount: Decimal, winback_cost: Decimal, care_cost_12m: Decimal
) -> Decimal:
    """``potential_12m × (1 − discount) − winback_cost − care_cost_12m``, to the cent (half up,
    like every amount of the app).

    Worth trying when positive (``worth_trying``); candidates are ranked by it.
    """
    value = potential_12m * (1 - discount) - winback_cost - care_cost_12m
    return round_cents(value)


def worth_trying(value: Decimal) -> bool:
    """A win-back pays when its value is above zero."""
    return value > ZERO


#: What to do next after each reaction (DOMAIN.md §4.5, step 3).
NEXT_STEP: dict[Reaction, str] = {
    Reaction.FRIENDLY: N_("Friendly: suggest a meeting or send a current offer."),
    Reaction.RESERVED: N_("Reserved: ask why, note the criticism, promise the fix — and keep it."),
    Reaction.RUDE: N_(
        "Rude: stop here; the case is closed as given up. Offer to erase the client's "
        "personal data."
    ),
    Reaction.NO_ANSWER: N_("No answer: try again soon, preferably by phone if that is allowed."),
}

#: The "first jobs must be flawless" checklist for a returner (DOMAIN.md §4.5, step 5).
RETURNER_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("brief_in_writing", N_("Confirm the brief and the price in writing before starting")),
    ("time_buffer", N_("Plan a time buffer and deliver early, not just on time")),
    ("double_check", N_("Check the work twice before delivering")),
    ("fix_the_cause", N_("Make sure the reason they left cannot happen again")),
    ("welcome_back", N_("Send a welcome-back gesture")),
    ("thank_you", N_("Thank them for the first order after their return")),
    ("ask_satisfaction", N_("After the first job, ask whether everything was right")),
    ("watch_signs", N_("Watch their warning signs closely for the next months")),
)


# --------------------------------------------------------------------------------------------
# Controlling (DOMAIN.md §4.5, step 4)
# --------------------------------------------------------------------------------------------

#: Key under which cases without any attempt are counted in the breakdown by channel.
NO_ATTEMPT = "none"


@dataclass(frozen=True)
class CaseFacts:
    """One win-back case as the controlling sees it.

    Attributes:
        channel: channel of the case's last attempt (the one that led to the outcome), or
            ``NO_ATTEMPT``.
        cost: one-off win-back cost plus the cost of every attempt.
        recovered_net: for a won-back case, net revenue in the 12 months after the return.
    """

    loss_type: LossType
    reason_code: str
    channel: str
    outcome: WinbackOutcome
    cost: Decimal = ZERO
    recovered_net: Decimal = ZERO


@dataclass(frozen=True)
class WinbackFigures:
    """Win-back rate, revenue recovered and the cost of a set of cases.

    Attributes:
        cost: everything spent on the cases (one-off cost and every attempt), failed tries
            included.
        returner_cost: what was spent on the cases that were won back.
    """

    cases: int
    won_back: int
    recovered_net: Decimal
    cost: Decimal
    returner_cost: Decimal = ZERO

    @property
    def rate(self) -> Fraction:
        """Won back ÷ all cases (0 without cases)."""
        return Fraction(self.won_back, self.cases) if self.cases else Fraction(0)

    @property
    def cost_per_returner(self) -> Decimal | None:
        """THE cost per returner (DOMAIN.md §4.5, step 4): what the won-back cases cost
        (one-off cost and their attempts) ÷ the clients won back; None when none came back.

        Failed tries are left out on purpose: they belong to no returner, and with them the
        figure of one case would change with the table it stands in (its loss type, reason or
        channel shares the failures of other cases). They count in ``cost``.
        """
        return round_cents(self.returner_cost / self.won_back) if self.won_back else None


def figures(cases: Iterable[CaseFacts]) -> WinbackFigures:
    """The controlling figures of ``cases``."""
    cases = list(cases)
    won = [case for case in cases if case.outcome is WinbackOutcome.WON_BACK]
    return WinbackFigures(
        cases=len(cases),
        won_back=len(won),
        recovered_net=sum((case.recovered_net for case in won), ZERO),
        cost=sum((case.cost for case in cases), ZERO),
        returner_cost=sum((case.cost for case in won), ZERO),
    )


def breakdown(
    cases: Iterable[CaseFacts], key: Callable[[CaseFacts], str]
) -> dict[str, WinbackFigures]:
    """``figures`` per value of ``key`` (loss type, reason or channel), in first-seen order."""
    groups: dict[str, list[CaseFacts]] = defaultdict(list)
    for case in cases:
        groups[key(case)].append(case)
    return {name: figures(group) for name, group in groups.items()}


@dataclass(frozen=True)
class Controlling:
    """Everything the controlling view shows: the total and the three breakdowns."""

    total: WinbackFigures
    by_loss_type: dict[str, WinbackFigures]
    by_reason: dict[str, WinbackFigures]
    by_channel: dict[str, WinbackFigures]


def controlling(cases: Iterable[CaseFacts]) -> Controlling:
    """Total and breakdowns by loss type, reason and channel."""
    cases = list(cases)
    return Controlling(
        total=figures(cases),
        by_loss_type=breakdown(cases, lambda case: str(case.loss_type)),
        by_reason=breakdown(cases, lambda case: case.reason_code),
        by_channel=breakdown(cases, lambda case: case.channel),
    )


def last_channel(attempts: Iterable[tuple[dt.date, int, Channel | str]]) -> str:
    """The channel of the latest attempt among (date, id, channel), or ``NO_ATTEMPT``."""
    latest = max(attempts, default=None)
    return NO_ATTEMPT if latest is None else str(latest[2])


# --------------------------------------------------------------------------------------------
# Loyalty types (DOMAIN.md §4.4)
# --------------------------------------------------------------------------------------------

#: Key for clients whose loyalty type is not set.
UNSET = "unset"


@dataclass(frozen=True)
class LoyaltyRow:
    """Clients, revenue and effort (interactions) of one loyalty type."""

    loyalty: str
    clients: int
    net: Decimal
    interactions: int


def loyalty_table(
    clients: Iterable[tuple[LoyaltyType | str | None, Decimal, int]],
) -> list[LoyaltyRow]:
    """One row per loyalty type (loyal, conditional, disloyal, unset) from per-client
    (loyalty, net revenue, interactions); types without clients show zeros."""
    order = [str(kind) for kind in LoyaltyType] + [UNSET]
    totals: dict[str, tuple[int, Decimal, int]] = {key: (0, ZERO, 0) for key in order}
    for loyalty, net, interactions in clients:
        key = str(loyalty) if loyalty else UNSET
        count, total, effort = totals[key]
        totals[key] = (count + 1, total + net, effort + interactions)
    return [LoyaltyRow(key, count, net, effort) for key, (count, net, effort) in totals.items()]
