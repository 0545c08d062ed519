"""Numbers, money, percentages and dates the way each language writes them.

German: ``1.234,56 €`` and ``31.12.2025``; English: ``€1,234.56`` and ``31 Dec 2025``.
Babel writes a no-break space before the euro sign in German.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from functools import cache
from typing import TYPE_CHECKING

from freelancer_desk.i18n import BABEL_LOCALES, current_language

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

CURRENCY = "EUR"


def _locale(lang: str | None) -> str:
    return BABEL_LOCALES[lang or current_language()]


@cache
def _babel_locale(name: str) -> Locale:
    """The parsed babel locale (babel parses a locale name again on every call otherwise)."""
    from babel import Locale

    return Locale.parse(name)


@cache
def _pattern(name: str, kind: str, digits: int) -> NumberPattern:
    """The parsed number pattern of a locale (``kind`` "decimal", "percent" or "money")."""
    from babel.numbers import parse_pattern

    decimals = "#,##0" + ("." + "0" * digits if digits else "")
    if kind == "percent":  # "#,##0 %" in German
        return parse_pattern(
            _babel_locale(name).percent_formats[None].pattern.replace("#,##0", decimals)
        )
    if kind == "money":
        return _babel_locale(name).currency_formats["standard"]
    return parse_pattern(decimals)


def _babel(value: Decimal, name: str, kind: str, digits: int) -> str:
    """The text babel writes for ``value``."""
    return _pattern(name, kind, digits).apply(
        value, _babel_locale(name), currency=CURRENCY if kind == "money" else None
    )


@cache
def _layout(name: str, kind: str) -> tuple[tuple[str, str], tuple[str, str], dict[int, str]]:
    """What babel writes around the digits of positive and of negative values, and its
    separators."""
    layouts = []
    for probe in ("1234567.89", "-1234567.89"):
        text = _babel(Decimal(probe).scaleb(-2 if kind == "percent" else 0), name, kind, 2)
        first = next(i for i, ch in enumerate(text) if ch.isdigit())
        last = max(i for i, ch in enumerate(text) if ch.isdigit())
        layouts.append((text[:first], text[last + 1 :]))
        digits = text[first : last + 1]  # "1.234.567,89"
    return layouts[0], layouts[1], {ord(","): digits[1], ord("."): digits[-3]}


def _format(value: Decimal | Fraction | float, lang: str | None, kind: str, digits: int) -> str:
    """Babel's text for a number, made with Python's own formatting (tables show thousands).

    Babel reads a float through its shortest text and rounds half to even, as ``Decimal``
    formatting does; the sign goes in front of the unrounded value's digits, as babel puts it.
    An exact share (``Fraction``) is rounded only here. Values babel writes in another notation
    (not finite) are left to babel.
    """
    name = _locale(lang)
    if isinstance(value, Fraction):
        number = Decimal(value.numerator) / Decimal(value.denominator)
    else:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        return _babel(number, name, kind, digits)
    if kind == "percent":
        number = number.scaleb(2)
    positive, negative, separators = _layout(name, kind)
    prefix, suffix = negative if number.is_signed() else positive
    return f"{prefix}{abs(number):,.{digits}f}".translate(separators) + suffix


def money(amount: Decimal | float, lang: str | None = None) -> str:
    """``1.234,56 €`` (de) or ``€1,234.56`` (en)."""
    return _format(amount, lang, "money", 2)


def number(value: Decimal | Fraction | float, lang: str | None = None, digits: int = 2) -> str:
    """A plain number with the language's separators and a fixed count of decimals."""
    return _format(value, lang, "decimal", digits)


def percent(fraction: Fraction | float | Decimal, lang: str | None = None, digits: int = 1) -> str:
    """A share 0..1 as a percentage: ``83,3 %`` (de) or ``83.3%`` (en)."""
    return _format(fraction, lang, "percent", digits)


def date(value: dt.date | None, lang: str | None = None) -> str:
    """``31.12.2025`` (de) or ``31 Dec 2025`` (en); empty for no date."""
    if value is None:
        return ""
    if (lang or current_language()) == "de":
        return value.strftime("%d.%m.%Y")
    from babel.dates import format_date

    return format_date(value, "d MMM yyyy", locale=_locale(lang))


def decimal_sign(lang: str | None = None) -> str:
    """The decimal separator of the language: ``,`` (de) or ``.`` (en)."""
    from babel.numbers import get_decimal_symbol

    return get_decimal_symbol(_locale(lang))


def date_time(value: dt.datetime, lang: str | None = None) -> str:
    """``31.12.2025 09:30`` (de) or ``31 Dec 2025 09:30`` (en)."""
    return f"{date(value.date(), lang)} {value:%H:%M}"


def file_size(byte_count: int, lang: str | None = None) -> str:
    """A file size: ``17,4 MB`` / ``17.4 MB``, ``850 KB`` below one megabyte."""
    if byte_count < 1_000_000:
        return f"{number(byte_count / 1000, lang, digits=0)} KB"
    return f"{number(byte_count / 1_000_000, lang, digits=1)} MB"


def prepare(lang: str | None = None) -> None:
    """Read babel's data for the language now (a tenth of a second, on the caller's thread)
    rather than on the first amount a page shows."""
    money(0, lang)
    number(0, lang)
    percent(0, lang)
    decimal_sign(lang)
    date(dt.date(2000, 1, 1), lang)
