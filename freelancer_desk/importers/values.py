"""Reading the values real CSV files hold: amounts, dates, yes/no, names.

Invoicing tools, spreadsheets and banks write the same figure as ``1.234,56``, ``1,234.56``,
``1234,56 €`` or ``-500,00``, and the same day as ``31.12.2025``, ``31.12.25`` or
``2025-12-31``. The parsers here accept all of these without being told the convention, and
raise ``ValueError`` for anything that is not clearly one value (never guess silently).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from freelancer_desk.money import USUAL_AMOUNT, bare_amount, parse_amount
from freelancer_desk.names import fold

# --------------------------------------------------------------------------------------------
# Amounts
# --------------------------------------------------------------------------------------------

_DECIMAL_EVIDENCE = re.compile(r"^[^.,]*([.,])\d{1,2}$")
_ONE_GROUP = re.compile(r"^\d{1,3}([.,])\d{3}$")


def decimal_separator(values: Iterable[str]) -> str | None:
    """The decimal separator the amounts of a file show (``.`` or ``,``), or None.

    A value shows it when it has both separators (the last one is decimal) or ends in one
    separator and one or two digits. None when no value shows one, or when values disagree
    (then each value is read on its own, and only the ones that can be read two ways are
    refused by ``amount_doubt``).
    """
    seen: set[str] = set()
    for value in values:
        if USUAL_AMOUNT.fullmatch(value):
            seen.add(value[-3])
            continue
        cleaned = bare_amount(value)
        if "." in cleaned and "," in cleaned:
            seen.add("." if cleaned.rfind(".") > cleaned.rfind(",") else ",")
        elif match := _DECIMAL_EVIDENCE.match(cleaned):
            seen.add(match.group(1))
    return seen.pop() if len(seen) == 1 else None


#: Why an amount is refused although ``parse_amount`` could read it (``amount_doubt``).
SPLIT_BY_COMMA = "split"
THREE_DECIMALS = "three-decimals"
TWO_READINGS = "two-readings"


def amount_doubt(text: str, decimal: str | None, delimiter: str) -> str | None:
    """Why ``text`` cannot be read as one amount for sure, or None when it can.

    ``1.234`` and ``1,234`` (one separator, three digits) are a thousand and more in one
    convention and a sub-cent amount in the other: the file's ``decimal`` separator decides;
    without one they are refused. In a comma-separated file ``1.234`` is refused always: it is
    what is left of ``1.234,56`` when the comma split the amount in two cells.
    """
    if USUAL_AMOUNT.fullmatch(text):
        return None  # two decimals: one reading only
    match = _ONE_GROUP.match(bare_amount(text))
    if match is None:
        return None
    separator = match.group(1)
    if delimiter == "," and separator == ".":
        return SPLIT_BY_COMMA
    if decimal == separator:
        return THREE_DECIMALS
    if decimal is None:
        return TWO_READINGS
    return None


def parse_rate(text: str) -> Decimal:
    """A VAT rate in percent: ``19``, ``19 %``, ``7,0%``; a fraction such as ``0.19`` is 19 %."""
    value = parse_amount(text.replace("%", ""))
    if value < 0:
        raise ValueError(text)
    if 0 < value < 1 and "%" not in text:
        value *= 100
    return value


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


class DateOrder(StrEnum):
    """How a date with slashes is read: ``01/02/2025`` is 1 February (dmy) or 2 January (mdy)."""

    DMY = "dmy"
    MDY = "mdy"


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
_SLASHED = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$")
_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


def _year(text: str) -> int:
    """Four-digit years as they are; two-digit years 00–69 are 2000s, 70–99 are 1900s."""
    year = int(text)
    if len(text) == 2:
        year += 2000 if year < 70 else 1900
    return year


def _clean_date(text: str) -> str:
    return _TIME_PART.sub("", text.strip())


def slash_parts(text: str) -> tuple[int, int] | None:
    """The first two numbers of a slashed date (``01/02/2025`` → 1, 2), None for other forms."""
    match = _SLASHED.match(_clean_date(text))
    return (int(match.group(1)), int(match.group(2))) if match else None


@lru_cache(maxsize=8192)
def parse_date(text: str, order: DateOrder | None = None) -> dt.date:
    """A date as files write it: ISO, German dotted (two- or four-digit year), or slashed.

    Slashed dates need ``order`` unless they read the same either way (``05/05/2025``) or
    only one reading is a real date (``31/12/2025``). Cached: a file repeats its dates a lot.
    """
    cleaned = _clean_date(text)
    if match := _ISO.match(cleaned):
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _DOTTED.match(cleaned):
        return dt.date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _SLASHED.match(cleaned):
        first, second, year = int(match.group(1)), int(match.group(2)), _year(match.group(3))
        if order is None:
            order = _order_of(first, second)
            if order is None:
                raise AmbiguousDateError(text)
        day, month = (first, second) if order == DateOrder.DMY else (second, first)
        return dt.date(year, month, day)
    raise ValueError(text)


class AmbiguousDateError(ValueError):
    """A slashed date that is a valid day both as day/month and as month/day."""


#: Years a date in an imported file may have; others are typos or a wrong column.
FIRST_YEAR = 1990
LAST_YEAR = 2100


class YearOutOfRange(ValueError):
    """A date whose year lies outside ``FIRST_YEAR`` .. ``LAST_YEAR``."""


def check_year(day: dt.date) -> dt.date:
    """``day`` when its year is plausible for a freelancer's records; YearOutOfRange if not."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise YearOutOfRange(day.year)
    return day


def _order_of(first: int, second: int) -> DateOrder | None:
    """The only order in which the two numbers make a date, or None when both (or neither) do."""
    if first == second:
        return DateOrder.DMY
    if first > 12 >= second:
        return DateOrder.DMY
    if second > 12 >= first:
        return DateOrder.MDY
    return None


def detect_date_order(values: Iterable[str]) -> tuple[DateOrder | None, bool]:
    """The day/month order a column's slashed dates agree on, and whether it is still open.

    Returns ``(order, needs_choice)``: ``needs_choice`` is True when the column has slashed
    dates that can be read both ways and no row decides it (or rows contradict each other).
    """
    seen: set[DateOrder] = set()
    ambiguous = False
    for value in values:
        parts = slash_parts(value)
        if parts is None:
            continue
        order = _order_of(*parts)
        if order is None:
            ambiguous = True
        elif parts[0] != parts[1]:
            seen.add(order)
    if len(seen) == 1:
        return seen.pop(), False
    return None, ambiguous or len(seen) > 1


# --------------------------------------------------------------------------------------------
# Words: yes/no, names, text shown to the user
# --------------------------------------------------------------------------------------------

#: Characters never shown raw: C0/C1 controls, DEL, and the bidirectional overrides that can
#: make a terminal or a label show text in another order than it is stored.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with control characters and terminal escapes written out (``\\x1b``).

    Every value from a file that a message quotes goes through here, so that printing a
    message can never move the cursor, change colours or reorder what the user reads.
    """
    return _UNPRINTABLE.sub(lambda match: _escape(match.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def first_control(text: str) -> str | None:
    """The first control character of ``text`` (written out), or None when it has none."""
    match = _UNPRINTABLE.search(text)
    return None if match is None else _escape(match.group())


_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def word_key(text: str) -> str:
    """A header or choice word without case, umlauts, spaces or punctuation (``Rechnungs-Nr.``).

    Kept per word: a status or document type column repeats a few words on every row.
    """
    return _NON_WORD.sub("", fold(text))


_YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr", "ok", "vorhanden", "erteilt"}
_NO = {"nein", "n", "no", "0", "false", "falsch", "-", "keine", "none"}


def parse_yes_no(text: str) -> bool:
    """``ja``/``yes``/``x``/``1`` → True, ``nein``/``no``/``0`` → False; ValueError otherwise."""
    key = fold(text).strip(" .")
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(text)
