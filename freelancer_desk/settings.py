"""Domain settings, declared once with type, default and meaning.

These live in the database (``setting`` table) because the CLI, the PDF and the GUI must agree
on them. Window layout and the GUI language are per-machine preferences kept by the GUI in
QSettings instead.

Add a setting by adding a field here; ``services.settings`` stores and reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from freelancer_desk.i18n import N_

#: How a freelancer handles VAT: charging it, or the small-business rule (§19 UStG, no VAT).
VAT_SCHEMES = ("regular", "small_business")


def _about(label: str, doc: str) -> dict[str, str]:
    """A setting's field metadata: its label and what it means (both marked for translation)."""
    return {"label": label, "doc": doc}


@dataclass(frozen=True)
class DeskSettings:
    """Every domain setting with its documented default."""

    warning_share: Fraction = field(
        default=Fraction(1, 2),
        metadata=_about(
            N_("Warning from share"),
            N_("A payer's share of revenue from which dependency counts as a warning."),
        ),
    )
    critical_share: Fraction = field(
        default=Fraction(5, 6),
        metadata=_about(
            N_("Critical from share"),
            N_("The 5/6 rule: from this share one client counts as 'essentially' the only one."),
        ),
    )
    basis: str = field(
        default="invoice",
        metadata=_about(
            N_("Revenue basis"),
            N_(
                "Count revenue by invoice date ('invoice') or by payment date ('paid'): on the "
                "payment basis each net amount counts on the day it was paid, with no special "
                "rule for payments around the turn of the year."
            ),
        ),
    )
    sleeping_days: int = field(
        default=180,
        metadata=_about(
            N_("Sleeping after days"),
            N_("A client with no revenue for this many days counts as sleeping."),
        ),
    )
    default_payment_term_days: int = field(
        default=14,
        metadata=_about(
            N_("Usual payment term (days)"),
            N_("Used for payment delays when an invoice has no due date."),
        ),
    )
    owner_name: str = field(
        default="",
        metadata=_about(
            N_("Your name or business"),
            N_(
                "Printed in the letterhead of reviews and as their author. E-invoices whose "
                "seller is neither this nor your business name on invoices are refused as "
                "purchases."
            ),
        ),
    )
    owner_address: str = field(
        default="",
        metadata=_about(
            N_("Your address"),
            N_(
                "Printed in the letterhead of reviews, e.g. 'Hafenstraße 12, 20457 Hamburg'. "
                "Your business name and VAT ID come from the e-invoice settings."
            ),
        ),
    )
    # VAT and your own business (DOMAIN.md §9): net from gross, and whose invoices are revenue.
    vat_scheme: str = field(
        default="regular",
        metadata=_about(
            N_("VAT"),
            N_(
                "'regular': you charge VAT; 'small_business': no VAT (§19 UStG), so a payment "
                "received is all net revenue."
            ),
        ),
    )
    default_vat_rate: Fraction = field(
        default=Fraction(19, 100),
        metadata=_about(
            N_("Usual VAT rate"),
            N_(
                "Works out the net amount from a gross amount (a payment, a gross-only list) "
                "for clients without a rate of their own."
            ),
        ),
    )
    seller_name: str = field(
        default="",
        metadata=_about(
            N_("Your business name on invoices"),
            N_(
                "The seller on your e-invoices; invoices of other sellers are purchases and are "
                "not imported. Empty: your name or business above, else taken from the first "
                "e-invoice you import."
            ),
        ),
    )
    seller_vat_id: str = field(
        default="",
        metadata=_about(
            N_("Your VAT ID or tax number"),
            N_("Recognises your own e-invoices even when the name on them is written otherwise."),
        ),
    )
    # Warning signs (DOMAIN.md §4.1): the recent months are compared with the client's usual.
    warning_recent_months: int = field(
        default=6,
        metadata=_about(
            N_("Recent months"),
            N_(
                "The recent window (in months, up to today) "
                "that is compared with the client's usual."
            ),
        ),
    )
    warning_usual_months: int = field(
        default=12,
        metadata=_about(
            N_("Usual months before them"),
            N_(
                "The months before the recent window that show what is usual for a client. "
                "A client needs at least as many months of history as the recent window, "
                "else no sign is shown."
            ),
        ),
    )
    warning_min_orders: int = field(
        default=3,
        metadata=_about(
            N_("Orders needed to judge"),
            N_(
                "Orders a client needs in its usual months "
                "before fewer or smaller orders are judged."
            ),
        ),
    )
    warning_fewer_orders: Fraction = field(
        default=Fraction(1, 2),
        metadata=_about(
            N_("Fewer orders at"),
            N_("Orders a month fell to this share of the usual or below."),
        ),
    )
    warning_smaller_orders: Fraction = field(
        default=Fraction(2, 3),
        metadata=_about(
            N_("Smaller orders at"),
            N_(
                "The average order fell to this share of the usual or below "
                "(needs two recent orders)."
            ),
        ),
    )
    warning_single_order: Fraction = field(
        default=Fraction(1, 3),
        metadata=_about(
            N_("Single small order at"),
            N_(
                "The only order of the recent months came to this share of the usual order or "
                "less (a smaller-orders sign, too)."
            ),
        ),
    )
    warning_late_days: int = field(
        default=14,
        metadata=_about(
            N_("Late payments from days"),
            N_(
                "Payments this many days later than usual, "
                "or an unpaid invoice overdue by more days."
            ),
        ),
    )
    warning_rise_factor: int = field(
        default=2,
        metadata=_about(
            N_("More complaints etc. at factor"),
            N_(
                "Complaints, unreachable tries or chased orders a month rose to this multiple of "
                "the usual (and happened at least as often as the next setting says)."
            ),
        ),
    )
    warning_min_events: int = field(
        default=2,
        metadata=_about(
            N_("Complaints etc. needed"),
            N_(
                "Complaints, unreachable tries or chased orders in the recent months before a sign "
                "is shown."
            ),
        ),
    )
    # Next steps (DOMAIN.md §8): regular time for new clients.
    new_clients_every_weeks: int = field(
        default=4,
        metadata=_about(
            N_("Time for new clients every (weeks)"),
            N_(
                "The next steps plan an hour for finding new clients every this many weeks; "
                "0 plans none."
            ),
        ),
    )
    # Backups (freelancer_desk.backups): where they go and how many are kept.
    backup_folder: str = field(
        default="",
        metadata=_about(
            N_("Backup folder"),
            N_(
                "Where backups are kept, e.g. on an external drive. Empty: the folder 'backups' "
                "beside the database. When the folder cannot be reached, backups go there instead."
            ),
        ),
    )
    backup_keep_daily: int = field(
        default=7,
        metadata=_about(
            N_("Backups: days kept"),
            N_("The newest backup of each of this many days is kept."),
        ),
    )
    backup_keep_weekly: int = field(
        default=4,
        metadata=_about(
            N_("Backups: weeks kept"),
            N_("The newest backup of each of this many weeks is kept."),
        ),
    )
    backup_keep_monthly: int = field(
        default=12,
        metadata=_about(
            N_("Backups: months kept"),
            N_("The newest backup of each of this many months is kept."),
        ),
    )

    def vat_percent(self, client_rate_bp: int | None = None) -> Decimal:
        """The VAT rate in percent for a client: none for a small business, else the
        client's own rate (in basis points, 700 = 7 %) or the usual one."""
        if self.vat_scheme == "small_business":
            return Decimal(0)
        if client_rate_bp is not None:
            return Decimal(client_rate_bp) / 100
        rate = self.default_vat_rate * 100
        return Decimal(rate.numerator) / Decimal(rate.denominator)

    @classmethod
    def declared(cls) -> list[tuple[str, type, Any, str, str]]:
        """(key, type, default, label, doc) of every setting, in declaration order."""
        return [
            (f.name, type(f.default), f.default, f.metadata["label"], f.metadata["doc"])
            for f in fields(cls)
        ]


def encode(value: Any) -> str:
    """Text for the database: fractions as ``5/6``, the rest as ``repr``-free plain text."""
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def decode(kind: type, text: str) -> Any:
    """The inverse of ``encode`` for a declared type."""
    if kind is Fraction:
        return Fraction(text)
    if kind is bool:
        return text == "1"
    return kind(text)


def from_stored(stored: Mapping[str, str]) -> DeskSettings:
    """Settings from their stored texts (also read without a session, e.g. by backups)."""
    values: dict[str, Any] = {}
    for key, kind, *_rest in DeskSettings.declared():
        if key in stored:
            try:
                values[key] = decode(kind, stored[key])
            except (ValueError, ZeroDivisionError):
                continue  # a damaged value falls back to the default
    return replace(DeskSettings(), **values)
