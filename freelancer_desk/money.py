"""Exact money: ``Decimal`` in code, integer cents in SQLite, never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    """Whole cents of an amount, rounding half up (commercial rounding)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def round_cents(amount: Decimal) -> Decimal:
    """An amount rounded to whole cents, half up (500.005 → 500.01), as ``to_cents`` does:
    the app's one rounding rule for money."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def from_cents(cents: int) -> Decimal:
    """The Decimal amount of whole cents, with two places."""
    return (Decimal(cents) / 100).quantize(CENT)


_CURRENCY = re.compile(r"(?i)€|eur(?:o)?|\$|usd|chf|£|gbp")
#: How nearly every file writes an amount, read at once: ``-1.234,56``, ``1234,56``,
#: ``1,234.56``, ``1234.56`` (two decimals; thousands grouped by the other separator or not).
USUAL_AMOUNT = re.compile(
    r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{2}|-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}"
)


def usual_cents(text: str) -> int | None:
    """The whole cents of an amount in the usual form (``USUAL_AMOUNT``), or None for any
    other text: what ``to_cents(parse_amount(text))`` gives for it, without a ``Decimal``
    (an import reads a hundred thousand of them)."""
    if not USUAL_AMOUNT.fullmatch(text):
        return None
    return int(text.replace(".", "").replace(",", ""))  # the sign and digits, two of them cents


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_DIGITS = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def parse_amount(text: str, decimal: str | None = None) -> Decimal:
    """An amount written in German or English convention, with optional currency and sign.

    The one reader of written amounts: files, bank statements, e-invoices and the money
    fields of the window. Without ``decimal`` the separator is read from the value itself:
    with both ``.`` and ``,`` the last one is decimal; a single separator followed by exactly
    three digits groups thousands (money never has three decimals); otherwise it is the
    decimal separator. ``decimal`` is given where the convention is known, because only then
    is ``1.500`` sure: a person typing in the window's language (1500 in German, 1.5 in
    English) and XML, whose decimal point is always ``.``. Negative amounts may be written
    ``-500,00``, ``500,00-`` or ``(500,00)``. ValueError for anything else.
    """
    if USUAL_AMOUNT.fullmatch(text) and decimal in (None, text[-3]):
        grouping = "." if text[-3] == "," else ","
        value = Decimal(f"{text[:-3].lstrip('-').replace(grouping, '')}.{text[-2:]}")
        return -value if text[0] == "-" else value
    cleaned = _SPACES.sub("", _CURRENCY.sub("", text))
    negative = False
    if cleaned.startswith("(") and cleaned.endswith(")"):
        negative, cleaned = True, cleaned[1:-1]
    if cleaned and cleaned[0] in "+-\u2212":
        negative, cleaned = negative or cleaned[0] != "+", cleaned[1:]
    elif cleaned[-1:] in ("-", "\u2212"):
        negative, cleaned = True, cleaned[:-1]
    if not cleaned:
        raise ValueError(text)
    whole, fraction = _split_decimal(cleaned, text, decimal)
    try:
        value = Decimal(f"{whole}.{fraction}" if fraction else whole)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return -value if negative else value


def _split_decimal(cleaned: str, original: str, known: str | None) -> tuple[str, str]:
    """Whole digits (separators removed) and decimal digits of an unsigned amount."""
    dots, commas = cleaned.count("."), cleaned.count(",")
    if not dots and not commas:
        if not _DIGITS.match(cleaned):
            raise ValueError(original)
        return cleaned, ""
    if known is not None:
        decimal = known if known in cleaned else ""
    elif dots and commas:
        decimal = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
    elif dots + commas > 1:
        decimal = ""  # 1.234.567: the only separator repeats, so it groups thousands
    else:
        head, _sep, tail = cleaned.partition("." if dots else ",")
        decimal = "" if len(tail) == 3 and 1 <= len(head) <= 3 else cleaned[len(head)]
    head, _sep, tail = cleaned.rpartition(decimal) if decimal else (cleaned, "", "")
    if decimal and not _DIGITS.match(tail):
        raise ValueError(original)
    if head and not (_DIGITS.match(head) or _GROUPED.match(head)):
        raise ValueError(original)
    if decimal and decimal in head:
        raise ValueError(original)
    return head.replace(".", "").replace(",", "") or "0", tail


def bare_amount(text: str) -> str:
    """An amount without currency, spaces and sign: only its digits and separators remain."""
    return _SPACES.sub("", _CURRENCY.sub("", text)).strip("()+-\u2212")


def net_from_gross(gross: Decimal, rate_percent: Decimal) -> Decimal:
    """The net amount in a gross amount at a VAT rate in percent, to the cent (half up)."""
    return (gross * 100 / (100 + rate_percent)).quantize(CENT, rounding=ROUND_HALF_UP)


def gross_from_net(net: Decimal, rate_percent: Decimal) -> Decimal:
    """The gross amount of a net amount at a VAT rate in percent, to the cent (half up)."""
    return (net * (100 + rate_percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
