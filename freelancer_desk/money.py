"""Exact money: ``Decimal`` in code, integer cents in SQLite, never float."""

from __future__ import annotations

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


def parse_plain_decimal(text: str) -> Decimal:
    """A Decimal from machine text such as ``1234.56`` (no separators); ValueError if not."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def net_from_gross(gross: Decimal, rate_percent: Decimal) -> Decimal:
    """The net amount in a gross amount at a VAT rate in percent, to the cent (half up)."""
    return (gross * 100 / (100 + rate_percent)).quantize(CENT, rounding=ROUND_HALF_UP)


def gross_from_net(net: Decimal, rate_percent: Decimal) -> Decimal:
    """The gross amount of a net amount at a VAT rate in percent, to the cent (half up)."""
    return (net * (100 + rate_percent) / 100).quantize(CENT, rounding=ROUND_HALF_UP)
