"""Numbers, money, percentages and dates the way each language writes them.

German: ``1.234,56 €`` and ``31.12.2025``; English: ``€1,234.56`` and ``31 Dec 2025``.
Babel writes a no-break space before the euro sign in German.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from freelancer_desk.i18n import BABEL_LOCALES, current_language

CURRENCY = "EUR"


def _locale(lang: str | None) -> str:
    return BABEL_LOCALES[lang or current_language()]


def money(amount: Decimal, lang: str | None = None) -> str:
    """``1.234,56 €`` (de) or ``€1,234.56`` (en)."""
    from babel.numbers import format_currency

    return format_currency(amount, CURRENCY, locale=_locale(lang))


def number(value: Decimal | float | int, lang: str | None = None, digits: int = 2) -> str:
    """A plain number with the language's separators and a fixed count of decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def percent(fraction: float | Decimal, lang: str | None = None, digits: int = 1) -> str:
    """A share 0..1 as a percentage: ``83,3 %`` (de) or ``83.3%`` (en)."""
    from babel import Locale
    from babel.numbers import format_percent

    base = Locale.parse(_locale(lang)).percent_formats[None].pattern  # "#,##0 %" in German
    pattern = base.replace("#,##0", "#,##0" + ("." + "0" * digits if digits else ""))
    return format_percent(fraction, format=pattern, locale=_locale(lang))


def date(value: dt.date | None, lang: str | None = None) -> str:
    """``31.12.2025`` (de) or ``31 Dec 2025`` (en); empty for no date."""
    if value is None:
        return ""
    if (lang or current_language()) == "de":
        return value.strftime("%d.%m.%Y")
    from babel.dates import format_date

    return format_date(value, "d MMM yyyy", locale=_locale(lang))


def parse_money(text: str, lang: str | None = None) -> Decimal:
    """An amount typed by a person in the language's format (``1.234,56`` or ``1,234.56``).

    Raises ValueError when the text is not an amount.
    """
    from babel.numbers import NumberFormatError, parse_decimal

    cleaned = text.replace("€", "").replace("EUR", "").replace("\xa0", " ").strip()
    if not cleaned:
        raise ValueError(text)
    try:
        return parse_decimal(cleaned.replace(" ", ""), locale=_locale(lang), strict=True)
    except NumberFormatError as exc:
        raise ValueError(text) from exc


def parse_iso_date(text: str) -> dt.date:
    """A date written ``YYYY-MM-DD`` (CLI and files); ValueError otherwise."""
    return dt.date.fromisoformat(text.strip())


def date_time(value: dt.datetime, lang: str | None = None) -> str:
    """``31.12.2025 09:30`` (de) or ``31 Dec 2025 09:30`` (en)."""
    return f"{date(value.date(), lang)} {value:%H:%M}"


def file_size(byte_count: int, lang: str | None = None) -> str:
    """A file size: ``17,4 MB`` / ``17.4 MB``, ``850 KB`` below one megabyte."""
    if byte_count < 1_000_000:
        return f"{number(byte_count / 1000, lang, digits=0)} KB"
    return f"{number(byte_count / 1_000_000, lang, digits=1)} MB"
