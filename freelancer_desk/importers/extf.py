"""The DATEV-Format (EXTF): its format header line and the accounts of SKR03 and SKR04.

Almost every German invoicing and accounting tool exports the DATEV-Format for the tax
adviser: Windows-1252, semicolons, a first line with the format header (``"EXTF";700;21;
"Buchungsstapel";13;…`` — category 21 is the Buchungsstapel, 16 the debtors and creditors),
a second line with the column names, then one record per line. DATEV publishes the layout
(developer.datev.de, "DATEV-Format", Buchungsstapel and Debitoren/Kreditoren); docs/EXPORT.md
lists what is read and the account table below.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.reading import ImportFileError

#: Format categories this app reads.
BOOKINGS = 21
DEBTORS = 16
#: Positions (from 0) of the header fields that are read.
_VERSION, _CATEGORY, _FORMAT_NAME = 1, 2, 3
_ADVISER, _CLIENT_NUMBER, _ACCOUNT_LENGTH, _PERIOD_START, _PERIOD_END = 10, 11, 13, 14, 15
_CHART = 26


@dataclass(frozen=True)
class ExtfHeader:
    """The first line of a DATEV-Format file: what it holds, for whom, for which period."""

    category: int
    format_name: str
    version: int
    adviser: str
    client_number: str
    #: Digits of a general ledger account (Sachkontenlänge); personal accounts have one more.
    account_length: int
    period_start: dt.date | None
    period_end: dt.date | None
    #: "03" (SKR03), "04" (SKR04) or "" when the file does not say.
    chart: str

    @property
    def scope(self) -> str:
        """The books the file belongs to (adviser and client number): account numbers of
        debtors are only unique within them."""
        return f"{self.adviser}-{self.client_number}"

    def debtor(self, account: int) -> bool:
        """Whether ``account`` is a debtor (personal account of a client): 10000–69999 with
        four-digit ledger accounts."""
        first = 10**self.account_length
        return first <= account < 7 * first

    def creditor(self, account: int) -> bool:
        """Whether ``account`` is a creditor (personal account of a supplier): 70000–99999."""
        first = 10**self.account_length
        return 7 * first <= account < 10 * first

    def ledger(self, account: int) -> int | None:
        """The four-digit ledger account (``8400`` of ``84000`` with five-digit accounts),
        None for a personal account."""
        if account >= 10**self.account_length:
            return None
        return account // 10 ** max(self.account_length - 4, 0)


def read_header(data: bytes) -> ExtfHeader | None:
    """The format header of a DATEV-Format file, or None when ``data`` is no such file.

    A DATEV file of another version than 7.x, or a Buchungsstapel without period or chart
    of accounts, is refused: its dates or accounts could not be read for sure.
    """
    first = data.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].rstrip(b"\r")
    if not first.lstrip(b'"').startswith((b"EXTF", b"DTVF")):
        return None
    text = first.decode("cp1252", errors="replace")
    fields = next(csv.reader(io.StringIO(text), delimiter=";"), [])
    fields += [""] * (31 - len(fields))
    version = _number(fields[_VERSION])
    if version is None or not 700 <= version < 800:
        raise ImportFileError(
            _(
                "Line 1: this is a DATEV file of format version {version}; versions 7.x (700) "
                "can be read."
            ).format(version=fields[_VERSION] or "?")
        )
    header = ExtfHeader(
        category=_number(fields[_CATEGORY]) or 0,
        format_name=fields[_FORMAT_NAME],
        version=version,
        adviser=fields[_ADVISER].strip(),
        client_number=fields[_CLIENT_NUMBER].strip(),
        account_length=_number(fields[_ACCOUNT_LENGTH]) or 4,
        period_start=_day(fields[_PERIOD_START]),
        period_end=_day(fields[_PERIOD_END]),
        chart=fields[_CHART].strip().zfill(2) if fields[_CHART].strip() else "",
    )
    if header.category == BOOKINGS:
        if header.period_start is None or header.period_end is None:
            raise ImportFileError(
                _(
                    "Line 1: the DATEV Buchungsstapel names no period (fields 15 and 16, "
                    '"Datum vom" and "Datum bis"), so the year of its dates is not known.'
                )
            )
        if header.chart not in CHARTS:
            raise ImportFileError(
                _(
                    "Line 1: the DATEV Buchungsstapel does not say its chart of accounts "
                    "(field 27: 03 for SKR03, 04 for SKR04), so its revenue accounts are not known."
                )
            )
    if not 4 <= header.account_length <= 8:
        raise ImportFileError(
            _("Line 1: the account length {length} is not 4 to 8 digits (field 14).").format(
                length=header.account_length
            )
        )
    return header


def _number(text: str) -> int | None:
    text = text.strip().strip('"')
    return int(text) if text.isdigit() else None


def _day(text: str) -> dt.date | None:
    text = text.strip().strip('"')
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date() if len(text) == 8 else None
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# Accounts
# --------------------------------------------------------------------------------------------


class AccountKind(StrEnum):
    """What a ledger account is, as far as revenue goes."""

    REVENUE = "revenue"
    PAYMENT = "payment"
    TAX = "tax"
    EXPENSE = "expense"
    DISCOUNT = "discount"
    OTHER = "other"


#: Why a booking is not revenue, by the kind of account it touches (shown in the dry run).
IGNORED_KINDS: dict[AccountKind, str] = {
    AccountKind.PAYMENT: N_("payment (bank or cash)"),
    AccountKind.TAX: N_("tax booking"),
    AccountKind.EXPENSE: N_("expense or supplier"),
    AccountKind.DISCOUNT: N_("discount or other reduction of revenue"),
    AccountKind.OTHER: N_("other booking"),
}


@dataclass(frozen=True)
class RevenueAccount:
    """A revenue account: the VAT rate its bookings contain, and what it is for."""

    rate: Decimal
    label: str


def _revenue(rate: str, label: str) -> RevenueAccount:
    return RevenueAccount(Decimal(rate), label)


#: Revenue accounts of the DATEV charts SKR03 and SKR04 with the VAT rate in their gross
#: amounts (the "automatic" accounts split the tax off themselves). 0 % for tax-free
#: turnover, reverse charge, intra-EU supplies and small businesses (§ 19 UStG).
CHARTS: dict[str, dict[int, RevenueAccount]] = {
    "03": {
        8400: _revenue("19", N_("revenue 19 % VAT")),
        8300: _revenue("7", N_("revenue 7 % VAT")),
        8338: _revenue("0", N_("services taxable in a non-EU country (not taxable here)")),
        8339: _revenue("0", N_("services taxable in another EU country (not taxable here)")),
        8336: _revenue("0", N_("services in another EU country, reverse charge")),
        8337: _revenue("0", N_("services under § 13b UStG, reverse charge")),
        8125: _revenue("0", N_("tax-free intra-EU supplies")),
        8120: _revenue("0", N_("tax-free exports")),
        8100: _revenue("0", N_("tax-free turnover (§ 4 No. 8 ff. UStG)")),
        8195: _revenue("0", N_("small business revenue (§ 19 UStG)")),
    },
    "04": {
        4400: _revenue("19", N_("revenue 19 % VAT")),
        4300: _revenue("7", N_("revenue 7 % VAT")),
        4338: _revenue("0", N_("services taxable in a non-EU country (not taxable here)")),
        4339: _revenue("0", N_("services taxable in another EU country (not taxable here)")),
        4336: _revenue("0", N_("services in another EU country, reverse charge")),
        4337: _revenue("0", N_("services under § 13b UStG, reverse charge")),
        4125: _revenue("0", N_("tax-free intra-EU supplies")),
        4120: _revenue("0", N_("tax-free exports")),
        4100: _revenue("0", N_("tax-free turnover (§ 4 No. 8 ff. UStG)")),
        4185: _revenue("0", N_("small business revenue (§ 19 UStG)")),
    },
}

#: Ranges of four-digit ledger accounts by kind, per chart (first match wins). Revenue
#: accounts outside ``CHARTS`` in the revenue range take their rate from the tax key.
_RANGES: dict[str, tuple[tuple[int, int, AccountKind], ...]] = {
    "03": (
        (8000, 8699, AccountKind.REVENUE),
        (8700, 8799, AccountKind.DISCOUNT),
        (1000, 1399, AccountKind.PAYMENT),
        (1570, 1599, AccountKind.TAX),
        (1770, 1799, AccountKind.TAX),
        (3000, 4999, AccountKind.EXPENSE),
    ),
    "04": (
        (4000, 4699, AccountKind.REVENUE),
        (4700, 4799, AccountKind.DISCOUNT),
        (1600, 1899, AccountKind.PAYMENT),
        (1400, 1439, AccountKind.TAX),
        (3800, 3899, AccountKind.TAX),
        (5000, 7999, AccountKind.EXPENSE),
    ),
}

#: VAT rate of a revenue booking by its tax key (BU-Schlüssel), for revenue accounts
#: without a rate of their own (e.g. SKR03 8200 "Erlöse").
TAX_KEY_RATES: dict[str, Decimal] = {"1": Decimal(0), "2": Decimal(7), "3": Decimal(19)}


def account_kind(chart: str, ledger: int) -> AccountKind:
    """The kind of a four-digit ledger account of ``chart``."""
    if ledger in CHARTS[chart]:
        return AccountKind.REVENUE
    for low, high, kind in _RANGES[chart]:
        if low <= ledger <= high:
            return kind
    return AccountKind.OTHER
