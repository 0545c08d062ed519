"""Early warning signs (DOMAIN.md §4.1): is a client drifting away, judged by its own history?

Every sign compares the *recent* months (``warning_recent_months``, up to the day asked about)
with what is *usual* for the same client (the ``warning_usual_months`` before them). The
figures come in per client and calendar month, already summed by SQL, so that thousands of
clients cost a few milliseconds here.

Too little history gives no sign rather than a false one: a client needs at least as many
usual months as recent ones (counted from its first invoice or interaction), and the order
signs also need ``warning_min_orders`` orders in the usual months. Only an overdue invoice is a
sign whatever the history, as it needs nothing to compare with. A steady client never gets a
sign, because every sign needs a change against the client's own usual.

The recent window ends inside the current month; its length counts that month only up to the
day asked about (e.g. 5 + 10/30 months on the 10th), so a young month does not look like a drop.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any, NamedTuple

from freelancer_desk.i18n import N_, N_plural, _
from freelancer_desk.money import from_cents
from freelancer_desk.settings import DeskSettings
from freelancer_desk.texts import Rate, Text

#: (year, month) of a calendar month.
Month = tuple[int, int]

FEWER_ORDERS = "fewer_orders"
SMALLER_ORDERS = "smaller_orders"
LATE_PAYMENTS = "late_payments"
MORE_COMPLAINTS = "more_complaints"
UNREACHABLE = "unreachable"
CHASING_ORDERS = "chasing_orders"

#: The explanation of overdue invoices (part of the late-payments sign); a payment reminder
#: step takes it as its reason.
OVERDUE_MESSAGE = N_(
    "Overdue unpaid invoices: {count} ({amount}), the oldest {days} days past due."
)

#: Every sign, in the order they are shown, with its display name.
SIGNAL_LABELS: dict[str, str] = {
    FEWER_ORDERS: N_("Fewer orders"),
    SMALLER_ORDERS: N_("Smaller orders"),
    LATE_PAYMENTS: N_("Late payments"),
    MORE_COMPLAINTS: N_("More complaints"),
    UNREACHABLE: N_("Often unreachable"),
    CHASING_ORDERS: N_("Had to chase orders"),
}


class MonthFigures(NamedTuple):
    """One client's figures of one calendar month (orders by invoice date, credit notes left out).

    ``paid`` and ``delay_days`` cover the month's invoices that were paid: the sum of their
    delays in days after the due date (negative when paid early).
    """

    orders: int = 0
    order_cents: int = 0
    paid: int = 0
    delay_days: int = 0
    complaints: int = 0
    unreachable: int = 0
    chasing: int = 0


@dataclass(frozen=True)
class ClientHistory:
    """What the signs of one client are computed from.

    Attributes:
        first_activity: first invoice or interaction; the start of the client's history.
        months: figures per calendar month (months without anything may be left out).
        unpaid: (due date, net cents) of its unpaid invoices (at least those due before
            ``overdue_cutoff``; later ones are ignored).
        tracks_payments: the user records payments (some invoice of the file was paid by the
            day seen from, ``services.revenue.records_payments``). Only then do unpaid invoices
            count as overdue: someone who never records payments has no late payers.
        sums: the figures of the recent and of the usual window already added up (by SQL, see
            ``recent_start``); when given, ``months`` is not read. Nothing of a client lies
            before its first activity, so the usual sum may start at ``first_month_needed``.
    """

    client_id: int
    first_activity: dt.date | None
    months: Mapping[Month, MonthFigures] = field(default_factory=dict)
    unpaid: tuple[tuple[dt.date, int], ...] = ()
    tracks_payments: bool = False
    sums: tuple[MonthFigures, MonthFigures] | None = None


@dataclass(frozen=True)
class Signal:
    """One warning sign of one client, with the sentences that explain it with numbers."""

    name: str
    texts: tuple[Text, ...]

    @property
    def label(self) -> str:
        """The sign's display name ("Fewer orders")."""
        return _(SIGNAL_LABELS[self.name])

    def label_in(self, lang: str | None = None) -> str:
        """The sign's display name in ``lang`` (None: the current language)."""
        return Text(SIGNAL_LABELS[self.name]).render(lang)

    def to_data(self) -> dict[str, object]:
        """The sign as plain JSON values (a loss keeps the signs of its day)."""
        return {"name": self.name, "texts": [text.to_data() for text in self.texts]}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Signal:
        """The sign ``to_data`` made; ValueError or KeyError when the data are damaged."""
        if data["name"] not in SIGNAL_LABELS:
            raise ValueError(data["name"])
        return cls(str(data["name"]), tuple(Text.from_data(text) for text in data["texts"]))

    def explanation(self, lang: str | None = None) -> str:
        """The explanation in ``lang`` (None: the current language)."""
        return " ".join(text.render(lang) for text in self.texts)


@dataclass(frozen=True)
class Windows:
    """The recent and usual months for one day and one client's history start."""

    recent: tuple[int, int]
    recent_length: Fraction
    usual: tuple[int, int]

    @property
    def usual_length(self) -> int:
        """Whole months of the usual window (0 when the history starts later)."""
        return max(0, self.usual[1] - self.usual[0])

    @property
    def recent_first_day(self) -> dt.date:
        """The first day of the recent window: a sign's text names it, so that its count and
        its rate (over ``recent_length``) speak of the same days."""
        year, month = _month(self.recent[0])
        return dt.date(year, month, 1)


def _index(month: Month) -> int:
    return month[0] * 12 + month[1] - 1


def _month(index: int) -> Month:
    return divmod(index, 12)[0], index % 12 + 1


def windows(as_of: dt.date, settings: DeskSettings, first_activity: dt.date | None) -> Windows:
    """Month index ranges ``[first, end)`` of the recent and usual windows."""
    current = _index((as_of.year, as_of.month))
    recent_first = current - settings.warning_recent_months + 1
    recent_length = _recent_length(as_of, settings.warning_recent_months)
    usual_first = recent_first - settings.warning_usual_months
    if first_activity is not None:
        usual_first = max(usual_first, _index((first_activity.year, first_activity.month)))
    else:
        usual_first = recent_first
    return Windows((recent_first, current + 1), recent_length, (usual_first, recent_first))


@lru_cache(maxsize=64)
def _recent_length(as_of: dt.date, months: int) -> Fraction:
    """Whole months before the current one plus the part of it up to ``as_of``."""
    return months - 1 + Fraction(as_of.day, calendar.monthrange(as_of.year, as_of.month)[1])


def first_month_needed(as_of: dt.date, settings: DeskSettings) -> dt.date:
    """The first day of the earliest month any sign looks at (to limit the SQL)."""
    first = _index((as_of.year, as_of.month)) - settings.warning_recent_months + 1
    year, month = _month(first - settings.warning_usual_months)
    return dt.date(year, month, 1)


def recent_start(as_of: dt.date, settings: DeskSettings) -> dt.date:
    """The first day of the recent window; the usual window ends the day before."""
    return windows(as_of, settings, None).recent_first_day


def overdue_cutoff(as_of: dt.date, settings: DeskSettings) -> dt.date:
    """Unpaid invoices due before this day are overdue by more than ``warning_late_days``."""
    return as_of - dt.timedelta(days=settings.warning_late_days)


def _sums(history: ClientHistory, span: Windows) -> tuple[MonthFigures, MonthFigures]:
    """The figures of the recent and of the usual months, each added up, in one pass."""
    if history.sums is not None:
        return history.sums
    recent, usual = [0] * len(MonthFigures._fields), [0] * len(MonthFigures._fields)
    for month, figures in history.months.items():
        index = _index(month)
        if span.recent[0] <= index < span.recent[1]:
            target = recent
        elif span.usual[0] <= index < span.usual[1]:
            target = usual
        else:
            continue
        for position, value in enumerate(figures):
            target[position] += value
    return MonthFigures(*recent), MonthFigures(*usual)


def signals(history: ClientHistory, as_of: dt.date, settings: DeskSettings) -> list[Signal]:
    """The warning signs of one client on ``as_of``.

    With too little history only an overdue invoice is a sign: it needs nothing to compare with.
    """
    span = windows(as_of, settings, history.first_activity)
    overdue = _overdue(history, as_of, settings)
    if history.first_activity is None or span.usual_length < settings.warning_recent_months:
        return [Signal(LATE_PAYMENTS, (overdue,))] if overdue else []
    recent, usual = _sums(history, span)
    found = [
        _fewer_orders(recent, usual, span, settings),
        _smaller_orders(recent, usual, span, settings),
        _late_payments(recent, usual, overdue, settings),
        _more(
            MORE_COMPLAINTS,
            recent.complaints,
            usual.complaints,
            span,
            settings,
            N_plural(
                "Complaints rose from {usual} to {recent} a month ({count} {months}).",
                "Complaints rose from {usual} to {recent} a month ({count} {months}).",
            ),
        ),
        _more(
            UNREACHABLE,
            recent.unreachable,
            usual.unreachable,
            span,
            settings,
            N_plural(
                "Unreachable {count} time {months}: {recent} a month, usually {usual}.",
                "Unreachable {count} times {months}: {recent} a month, usually {usual}.",
            ),
            N_plural(
                "Unreachable {count} time {months}: {recent} a month, never before.",
                "Unreachable {count} times {months}: {recent} a month, never before.",
            ),
        ),
        _more(
            CHASING_ORDERS,
            recent.chasing,
            usual.chasing,
            span,
            settings,
            N_plural(
                "Had to chase an order {count} time {months}: {recent} a month, usually {usual}.",
                "Had to chase orders {count} times {months}: {recent} a month, usually {usual}.",
            ),
            N_plural(
                "Had to chase an order {count} time {months}: {recent} a month, never before.",
                "Had to chase orders {count} times {months}: {recent} a month, never before.",
            ),
        ),
    ]
    return [signal for signal in found if signal is not None]


def _fewer_orders(
    recent: MonthFigures, usual: MonthFigures, span: Windows, settings: DeskSettings
) -> Signal | None:
    if usual.orders < settings.warning_min_orders:
        return None
    length, share = span.recent_length, settings.warning_fewer_orders
    # recent / length > share × usual / usual months, compared in integers (exact, and quick
    # for thousands of clients; the fractions are made only for a sign's text)
    if (
        recent.orders * length.denominator * share.denominator * span.usual_length
        > share.numerator * usual.orders * length.numerator
    ):
        return None
    usual_rate = Fraction(usual.orders, span.usual_length)
    recent_rate = recent.orders / length
    text = Text(
        N_("Orders fell from {usual} to {recent} a month."),
        {"usual": Rate(float(usual_rate)), "recent": Rate(float(recent_rate))},
    )
    return Signal(FEWER_ORDERS, (text,))


def _smaller_orders(
    recent: MonthFigures, usual: MonthFigures, span: Windows, settings: DeskSettings
) -> Signal | None:
    """The average recent order fell to ``warning_smaller_orders`` of the usual or below; or the
    only recent order came to ``warning_single_order`` of the usual or less. Orders usually
    worth nothing (entries of 0.00) give nothing to fall from."""
    if usual.orders < settings.warning_min_orders or not recent.orders or usual.order_cents <= 0:
        return None
    single = recent.orders == 1
    share = settings.warning_single_order if single else settings.warning_smaller_orders
    # recent average > share × usual average, in integers
    if (
        recent.order_cents * usual.orders * share.denominator
        > share.numerator * usual.order_cents * recent.orders
    ):
        return None
    usual_average = from_cents(round(Fraction(usual.order_cents, usual.orders)))
    recent_average = from_cents(round(Fraction(recent.order_cents, recent.orders)))
    if single:
        text = Text(
            N_("The only order since {start} came to {recent}; an order is usually {usual}."),
            {
                "start": span.recent_first_day,
                "recent": recent_average,
                "usual": usual_average,
            },
        )
    else:
        text = Text(
            N_("The average order fell from {usual} to {recent}."),
            {"usual": usual_average, "recent": recent_average},
        )
    return Signal(SMALLER_ORDERS, (text,))


def _overdue(history: ClientHistory, as_of: dt.date, settings: DeskSettings) -> Text | None:
    """Unpaid invoices overdue by more than ``warning_late_days`` on ``as_of``, whatever the
    length of the client's history and whether the client ever paid; only when payments are
    recorded at all."""
    cutoff = overdue_cutoff(as_of, settings)
    overdue = [(due, cents) for due, cents in history.unpaid if due < cutoff]
    if not history.tracks_payments or not overdue:
        return None
    return Text(
        OVERDUE_MESSAGE,
        {
            "count": len(overdue),
            "amount": from_cents(sum(cents for _due, cents in overdue)),
            "days": (as_of - min(due for due, _cents in overdue)).days,
        },
    )


def _late_payments(
    recent: MonthFigures, usual: MonthFigures, overdue: Text | None, settings: DeskSettings
) -> Signal | None:
    texts: list[Text] = []
    if recent.paid >= settings.warning_min_events:
        # The usual delay counts from two paid invoices on, and never below 0 (early payers).
        usual_days, usual_paid = (
            (max(usual.delay_days, 0), usual.paid) if usual.paid >= 2 else (0, 1)
        )
        # recent delay − usual delay ≥ the late days, in integers
        if recent.delay_days > 0 and (
            recent.delay_days * usual_paid - usual_days * recent.paid
            >= settings.warning_late_days * recent.paid * usual_paid
        ):
            recent_delay = Fraction(recent.delay_days, recent.paid)
            usual_delay = Fraction(usual_days, usual_paid)
            texts.append(
                Text(
                    N_(
                        "Payments came {recent} days after the due date on average, "
                        "usually {usual}."
                    ),
                    {"recent": round(recent_delay), "usual": round(usual_delay)},
                )
            )
    if overdue is not None:
        texts.append(overdue)
    return Signal(LATE_PAYMENTS, tuple(texts)) if texts else None


def _more(
    name: str,
    recent_count: int,
    usual_count: int,
    span: Windows,
    settings: DeskSettings,
    message: tuple[str, str],
    never_message: tuple[str, str] | None = None,
) -> Signal | None:
    """A kind of event is more frequent lately than usual. ``never_message`` says so when it
    did not happen at all before ("never before" rather than "usually 0.0 times")."""
    if recent_count < settings.warning_min_events:
        return None
    length = span.recent_length
    # recent / length < factor × usual / usual months, in integers
    if (
        recent_count * length.denominator * span.usual_length
        < settings.warning_rise_factor * usual_count * length.numerator
    ):
        return None
    usual_rate = Fraction(usual_count, span.usual_length)
    recent_rate = recent_count / length
    text = Text.counted(
        never_message if never_message is not None and not usual_count else message,
        {
            "usual": Rate(float(usual_rate)),
            "recent": Rate(float(recent_rate)),
            "count": recent_count,
            # named "months" as in the looks back kept before; the window's real first day
            "months": Text(N_("since {start}"), {"start": span.recent_first_day}),
        },
    )
    return Signal(name, (text,))
