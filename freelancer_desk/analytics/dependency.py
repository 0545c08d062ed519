"""Dependency on clients: revenue shares per payer, the 5/6 rule, HHI (DOMAIN.md §3).

Pure functions over plain data: the service hands in net cents per client (and per client and
month for the trend), these functions return frozen dataclasses. Everything is exact: money in
integer cents, shares and thresholds as ``Fraction``, so that a share of exactly 5/6 reaches
the 5/6 threshold instead of missing it by a float rounding error.

A **payer** is what the pension insurer counts as one client: a client group (Konzern) with
all its clients summed, or a client without a group on its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from freelancer_desk.analytics.periods import Period, add_months, month_end
from freelancer_desk.i18n import N_
from freelancer_desk.texts import Text

#: HHI of a single payer with everything: 100 % squared.
HHI_MAX = 10_000
#: Month ends shown in the trend of the top payer's share.
TREND_MONTHS = 24

#: (year, month) of a calendar month.
Month = tuple[int, int]


class Level(StrEnum):
    """How dependent the freelancer is on the top payer.

    ``NONE``: no payer has positive revenue in the period, so there is no share to judge;
    calling that "OK" would praise an empty period.
    """

    NONE = "none"
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"


LEVEL_LABELS: dict[Level, str] = {
    Level.NONE: N_("No revenue"),
    Level.OK: N_("OK"),
    Level.WARNING: N_("Warning"),
    Level.CRITICAL: N_("Critical"),
}


@dataclass(frozen=True)
class ClientInfo:
    """Who a client is and which group (if any) it pays as part of."""

    id: int
    name: str
    group_id: int | None = None
    group_name: str | None = None

    @property
    def payer_key(self) -> tuple[str, int]:
        """The identity of the payer: the group if there is one, else the client itself."""
        return ("group", self.group_id) if self.group_id is not None else ("client", self.id)

    @property
    def payer_name(self) -> str:
        return self.group_name if self.group_id is not None and self.group_name else self.name


@dataclass(frozen=True)
class Thresholds:
    """Shares from which dependency counts as a warning and as critical (5/6 by default)."""

    warning: Fraction = Fraction(1, 2)
    critical: Fraction = Fraction(5, 6)


#: Why a payer (or client) whose net revenue is zero or negative has no share.
NO_SHARE_NOTE = N_("Credit notes equal or outweigh the invoices in this period, so the share is 0.")


@dataclass(frozen=True)
class ClientShare:
    """One client's net revenue in the period and its share of the positive client nets."""

    client_id: int
    name: str
    net_cents: int
    share: Fraction
    #: Net revenue of the same client in the period before (0 when it had none).
    previous_net_cents: int = 0

    @property
    def note(self) -> Text | None:
        """Why the share is 0 although the client had entries; None otherwise."""
        return Text(NO_SHARE_NOTE) if self.net_cents <= 0 else None


@dataclass(frozen=True)
class PayerShare:
    """One payer's net revenue in the period, its share, and the clients it consists of."""

    name: str
    net_cents: int
    share: Fraction
    #: Names of the payer's clients with revenue in the period, largest first.
    clients: tuple[str, ...]
    is_group: bool
    #: Net revenue of the same payer in the period before (0 when it had none).
    previous_net_cents: int = 0

    @property
    def note(self) -> Text | None:
        """Why the share is 0 although the payer had entries; None otherwise."""
        return Text(NO_SHARE_NOTE) if self.net_cents <= 0 else None


@dataclass(frozen=True)
class Dependency:
    """The dependency figures of one period (see ``analyse``)."""

    #: All net revenue of the period, credit notes subtracted.
    total_cents: int
    clients: tuple[ClientShare, ...]
    #: Payers by net revenue, largest first.
    payers: tuple[PayerShare, ...]
    level: Level
    #: Smallest extra revenue (cents) from other payers that brings the top share strictly
    #: below the warning threshold; 0 when it is below already.
    extra_below_warning_cents: int
    #: The same for the critical (5/6) threshold.
    extra_below_critical_cents: int
    #: Sum of squared percentage shares of the payers with positive revenue (0–10,000);
    #: None without revenue.
    hhi: Fraction | None
    #: The sum the payers' shares are taken of: every positive payer net, so that a payer
    #: whose credit notes outweigh its invoices cannot push another share above 100 %.
    shared_cents: int = 0

    @property
    def has_revenue(self) -> bool:
        """False when no payer has positive revenue: every share is then undefined."""
        return self.shared_cents > 0

    @property
    def top(self) -> PayerShare | None:
        """The payer with the most revenue, or None without revenue."""
        return self.payers[0] if self.has_revenue and self.payers else None

    @property
    def effective_clients(self) -> Fraction | None:
        """10,000 / HHI: how many equally large payers would give the same concentration."""
        return None if not self.hhi else HHI_MAX / self.hhi


@dataclass(frozen=True)
class MonthShare:
    """The top payer's share of the 12 months ending on a month end."""

    month_end: dt.date
    #: None when those 12 months hold no revenue.
    share: Fraction | None
    payer: str | None


def payer_totals(
    net_by_client: Mapping[int, int], clients: Mapping[int, ClientInfo]
) -> dict[tuple[str, int], int]:
    """Net cents per payer key: the clients of one group summed into one payer."""
    totals: dict[tuple[str, int], int] = {}
    for client_id, cents in net_by_client.items():
        key = clients[client_id].payer_key
        totals[key] = totals.get(key, 0) + cents
    return totals


def level_for(share: Fraction, thresholds: Thresholds) -> Level:
    """The level of a top share; a share exactly at a threshold reaches it."""
    if share >= thresholds.critical:
        return Level.CRITICAL
    if share >= thresholds.warning:
        return Level.WARNING
    return Level.OK


def extra_revenue_needed(top_cents: int, others_cents: int, threshold: Fraction) -> int:
    """Smallest extra revenue in cents from other payers that puts the top share below
    ``threshold``.

    The top share T / (T + O + X) is below c exactly when X > T·(1 − c)/c − O (for 5/6 that is
    T/5 − O, for 50 % it is T − O). Being *at* the threshold still counts as reaching it, so
    the answer is the smallest whole cent strictly above that bound — one cent more than the
    bound when it is a whole amount. 0 when the share is below the threshold already. It
    assumes the extra is spread so that no other payer overtakes the top one.
    """
    if top_cents <= 0:
        return 0
    bound = top_cents * (1 - threshold) / threshold - others_cents
    if bound < 0:
        return 0
    return bound.numerator // bound.denominator + 1


def hhi(payer_cents: Iterable[int]) -> Fraction | None:
    """Herfindahl-Hirschman index over payers: sum of squared percentage shares (0–10,000).

    Only payers with positive revenue count, as shares of their own sum: a payer whose credit
    notes outweigh its invoices in the period would otherwise push shares outside 0..100 %.
    None when no payer has positive revenue.
    """
    positive = [cents for cents in payer_cents if cents > 0]
    total = sum(positive)
    if not total:
        return None
    # Σ (100·c / T)² = 10,000 · Σ c² / T²: one fraction instead of adding up thousands
    return Fraction(HHI_MAX * sum(cents * cents for cents in positive), total * total)


def _sort_key(name: str, cents: int) -> tuple[int, str]:
    return (-cents, name.casefold())


def _share(cents: int, positive_total: int) -> Fraction:
    """``cents`` of the positive total; 0 for a net of zero or below (always within 0..1)."""
    return Fraction(cents, positive_total) if cents > 0 else Fraction(0)


def analyse(
    net_by_client: Mapping[int, int],
    clients: Mapping[int, ClientInfo],
    thresholds: Thresholds,
    previous_by_client: Mapping[int, int] | None = None,
) -> Dependency:
    """Shares, level, HHI and what-if figures for one period's net cents per client.

    Credit notes are negative amounts and reduce their client's net (DOMAIN.md §3). Shares,
    HHI and what-if figures are taken over the sum of the *positive* payer nets: a payer whose
    net is zero or negative gets share 0 and a note, so every share lies in 0..1. Client shares
    are taken over the positive client nets in the same way. Without positive revenue the level
    is ``ok``, every share 0, HHI None and nothing is needed. ``previous_by_client``: the
    period before, for each row's ``previous_net_cents``.
    """
    previous = previous_by_client or {}
    total = sum(net_by_client.values())
    positive_clients = sum(cents for cents in net_by_client.values() if cents > 0)
    client_shares = tuple(
        sorted(
            (
                ClientShare(
                    cid,
                    clients[cid].name,
                    cents,
                    _share(cents, positive_clients),
                    previous.get(cid, 0),
                )
                for cid, cents in net_by_client.items()
            ),
            key=lambda row: _sort_key(row.name, row.net_cents),
        )
    )
    members: dict[tuple[str, int], list[str]] = {}
    for row in client_shares:
        members.setdefault(clients[row.client_id].payer_key, []).append(row.name)
    names = {info.payer_key: info.payer_name for info in clients.values()}
    payer_nets = payer_totals(net_by_client, clients)
    payer_previous = payer_totals(
        {cid: cents for cid, cents in previous.items() if cid in clients}, clients
    )
    positive = sum(cents for cents in payer_nets.values() if cents > 0)
    payers = tuple(
        sorted(
            (
                PayerShare(
                    name=names[key],
                    net_cents=cents,
                    share=_share(cents, positive),
                    clients=tuple(members.get(key, ())),
                    is_group=key[0] == "group",
                    previous_net_cents=payer_previous.get(key, 0),
                )
                for key, cents in payer_nets.items()
            ),
            key=lambda payer: _sort_key(payer.name, payer.net_cents),
        )
    )
    if positive <= 0:
        return Dependency(total, client_shares, payers, Level.NONE, 0, 0, None, 0)
    top = payers[0]
    others = positive - top.net_cents
    return Dependency(
        total_cents=total,
        clients=client_shares,
        payers=payers,
        level=level_for(top.share, thresholds),
        extra_below_warning_cents=extra_revenue_needed(top.net_cents, others, thresholds.warning),
        extra_below_critical_cents=extra_revenue_needed(top.net_cents, others, thresholds.critical),
        hhi=hhi(payer_nets.values()),
        shared_cents=positive,
    )


def month_of(day: dt.date) -> Month:
    return (day.year, day.month)


def last_month_end(day: dt.date) -> dt.date:
    """The latest month end on or before ``day``."""
    return day if day == month_end(day) else day.replace(day=1) - dt.timedelta(days=1)


def _shift(month: Month, months: int) -> Month:
    return month_of(add_months(dt.date(month[0], month[1], 1), months))


def rolling_top_shares(
    net_by_client_month: Mapping[tuple[int, Month], int],
    clients: Mapping[int, ClientInfo],
    first: Month,
    last: Month,
) -> list[MonthShare]:
    """The top payer's share of the rolling 12 months at each month end from ``first`` to ``last``.

    The 12 months ending on a month end are exactly that month and the 11 calendar months
    before it, so monthly sums are enough; a window is kept per payer and slid month by month.
    """
    payer_of = {client_id: info.payer_key for client_id, info in clients.items()}
    by_month: dict[Month, dict[tuple[str, int], int]] = {}
    for (client_id, month), cents in net_by_client_month.items():
        payers = by_month.setdefault(month, {})
        key = payer_of[client_id]
        payers[key] = payers.get(key, 0) + cents
    names = {info.payer_key: info.payer_name for info in clients.values()}
    window: dict[tuple[str, int], int] = {}
    for month in _months(_shift(first, -11), _shift(first, -1)):
        _add(window, by_month.get(month, {}), 1)
    series: list[MonthShare] = []
    for month in _months(first, last):
        _add(window, by_month.get(month, {}), 1)
        _add(window, by_month.get(_shift(month, -12), {}), -1)
        series.append(_top_share(month, window, names))
    return series


def _months(first: Month, last: Month) -> Iterable[Month]:
    month = first
    while month <= last:
        yield month
        month = _shift(month, 1)


def _add(
    window: dict[tuple[str, int], int], amounts: Mapping[tuple[str, int], int], sign: int
) -> None:
    for key, cents in amounts.items():
        window[key] = window.get(key, 0) + sign * cents


def _top_share(
    month: Month, window: Mapping[tuple[str, int], int], names: Mapping[tuple[str, int], str]
) -> MonthShare:
    end = month_end(dt.date(month[0], month[1], 1))
    total = sum(cents for cents in window.values() if cents > 0)  # as in ``analyse``
    if total <= 0:
        return MonthShare(end, None, None)
    # The order of ``_sort_key``; names are compared only among payers tied for the top.
    cents = max(window.values())
    key = min(
        (key for key, value in window.items() if value == cents),
        key=lambda key: names[key].casefold(),
    )
    return MonthShare(end, Fraction(cents, total), names[key])


def months_at_or_above(series: Iterable[MonthShare], threshold: Fraction) -> int:
    """How many of the latest month ends in a row had a top share at or above ``threshold``.

    ``series`` runs oldest first; counting stops at the first month end (from the newest
    backwards) below the threshold or without revenue.
    """
    count = 0
    for point in reversed(list(series)):
        if point.share is None or point.share < threshold:
            break
        count += 1
    return count


def streak_end(period: Period, as_of: dt.date) -> dt.date:
    """The day the "months in a row" count looks back from: the period's end, not after
    ``as_of``."""
    return min(period.last_day, as_of)
