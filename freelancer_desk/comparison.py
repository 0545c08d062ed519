"""A figure beside the same figure of the previous period: the change as arrow, sign and words.

The dashboard and the printed review show every change three ways, never by colour alone: an
arrow (▲ up, ▼ down, = unchanged), the signed difference (``+1.234,00 €``, ``−3,2 Pkt.``; no
change reads "unchanged"), and a sentence for tooltips and screen readers ("€1,234.00 more
than in the previous year (€12,345.00)."). Everything is written in the language asked for, so
a PDF in English from a German app reads right.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from freelancer_desk import formatting
from freelancer_desk.analytics.periods import Period, previous
from freelancer_desk.i18n import N_, current_language, translations
from freelancer_desk.money import from_cents

UP, DOWN, SAME = "▲", "▼", "="
#: The real minus sign, as print uses it.
MINUS = "−"

#: How the period before is named in a sentence, per kind of period ("… more than …").
_BEFORE: dict[str, str] = {
    "year": N_("in the previous year"),
    "quarter": N_("in the previous quarter"),
    "rolling": N_("in the 12 months before"),
}
#: The same, when only the span of the previous period up to the same day is compared.
_SAME_TIME: dict[str, str] = {
    "year": N_("in the same time last year, from {start} to {end}"),
    "quarter": N_("in the same time of the previous quarter, from {start} to {end}"),
}

#: The same span named short, once the sentence before has given its days.
_SAME_SPAN: dict[str, str] = {
    "year": N_("in the same span last year"),
    "quarter": N_("in the same span of the previous quarter"),
}


@dataclass(frozen=True)
class Change:
    """One figure's change against the previous period, ready to show.

    Attributes:
        arrow: ▲, ▼ or =.
        difference: the signed difference as text ("+1.234,00 €", "−3,2 Pkt.").
        words: a whole sentence with the previous value, for tooltips and screen readers.
        before: the previous value as text.
    """

    arrow: str
    difference: str
    words: str
    before: str

    @property
    def short(self) -> str:
        """Arrow and difference: "▲ +1.234,00 €"; no change: "unchanged" alone."""
        return self.difference if self.arrow == SAME else f"{self.arrow} {self.difference}"


def period_name(period: Period, lang: str | None = None) -> str:
    """A short name of a period for a table column: "2025", "Q3 2025", or its first and last
    day."""
    if period.kind == "year":
        return str(period.start.year)
    if period.kind == "quarter":
        return f"Q{(period.start.month - 1) // 3 + 1} {period.start.year}"
    return f"{formatting.date(period.start, lang)} – {formatting.date(period.last_day, lang)}"


def previous_name(
    period: Period,
    lang: str | None = None,
    compared: Period | None = None,
    *,
    days_named: bool = False,
) -> str:
    """The period a figure of ``period`` is compared with, as a sentence names it: "in the
    previous year" …; when ``compared`` is only a span of the previous period (``period`` is
    still running), that span: "in the same time last year, from 1 Jan 2025 to 30 Jun 2025",
    or "in the same span last year" when ``days_named`` (a text above gave the days, so a
    list of sentences does not repeat them in each)."""
    gettext = translations(lang or current_language()).gettext
    if compared is not None and compared != previous(period):
        if days_named and period.kind in _SAME_SPAN:
            return gettext(_SAME_SPAN[period.kind])
        start, end = formatting.date(compared.start, lang), formatting.date(compared.last_day, lang)
        if period.kind in _SAME_TIME:
            return gettext(_SAME_TIME[period.kind]).format(start=start, end=end)
        return gettext(N_("from {start} to {end}")).format(start=start, end=end)
    if period.kind in _BEFORE:
        return gettext(_BEFORE[period.kind])
    return gettext(N_("in the {days} days before")).format(days=period.days)


def _decimal(value: Fraction, digits: int) -> Decimal:
    """An exact value rounded as ``formatting`` shows it, so the change matches the figures."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN
    )


def _change(
    difference: Decimal | int,
    short: str,
    spoken: str,
    before: str,
    period: Period,
    lang: str | None,
    compared: Period | None = None,
    days_named: bool = False,
) -> Change:
    """``short`` is the unsigned difference as shown beside the figure, ``spoken`` the same in
    the sentence."""
    gettext = translations(lang or current_language()).gettext
    than = previous_name(period, lang, compared, days_named=days_named)
    if difference > 0:
        arrow, sign = UP, "+"
        words = gettext(N_("{amount} more than {before_period} ({before})."))
    elif difference < 0:
        arrow, sign = DOWN, MINUS
        words = gettext(N_("{amount} less than {before_period} ({before})."))
    else:
        # "unchanged" rather than "= ±0,00 €": a zero difference says nothing a word does not
        arrow, sign, short = SAME, "", gettext(N_("unchanged"))
        words = gettext(N_("The same as {before_period} ({before})."))
    return Change(
        arrow=arrow,
        difference=sign + short,
        words=words.format(amount=spoken, before_period=than, before=before),
        before=before,
    )


def money_change(
    now_cents: int,
    before_cents: int,
    period: Period,
    lang: str | None = None,
    *,
    compared: Period | None = None,
    days_named: bool = False,
) -> Change:
    """The change of an amount (cents) against the period before ``period`` (``compared``:
    the span of it actually compared, and ``days_named``, see ``previous_name``)."""
    difference = now_cents - before_cents
    amount = formatting.money(from_cents(abs(difference)), lang)
    before = formatting.money(from_cents(before_cents), lang)
    return _change(difference, amount, amount, before, period, lang, compared, days_named)


def share_change(
    now: Fraction | None,
    before: Fraction | None,
    period: Period,
    lang: str | None = None,
    *,
    compared: Period | None = None,
) -> Change | None:
    """The change of a share in percentage points (to one decimal, as shares are shown); None
    when either period has no share."""
    if now is None or before is None:
        return None
    gettext = translations(lang or current_language()).gettext
    now_percent, before_percent = _decimal(now * 100, 1), _decimal(before * 100, 1)
    points = formatting.number(abs(now_percent - before_percent), lang, 1)
    return _change(
        now_percent - before_percent,
        gettext(N_("{points} pts")).format(points=points),
        gettext(N_("{points} percentage points")).format(points=points),
        formatting.percent(before_percent / 100, lang),
        period,
        lang,
        compared,
    )


def number_change(
    now: Fraction | None,
    before: Fraction | None,
    period: Period,
    lang: str | None = None,
    digits: int = 0,
    *,
    compared: Period | None = None,
) -> Change | None:
    """The change of a plain figure (HHI, effective number of clients) rounded to ``digits`` as
    it is shown; None when either period has none."""
    if now is None or before is None:
        return None
    now_value, before_value = _decimal(now, digits), _decimal(before, digits)
    amount = formatting.number(abs(now_value - before_value), lang, digits)
    before_text = formatting.number(before_value, lang, digits)
    return _change(now_value - before_value, amount, amount, before_text, period, lang, compared)
