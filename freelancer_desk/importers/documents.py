"""Revenue, credit note, or never happened: the one rule for the sign of an imported document.

Invoice lists and the DATEV Buchungsstapel say in their own words what a document is. This
module is the only place that turns those words, and a booking's side, into a sign or a skip,
so that every importer decides alike (DOMAIN.md §3 and §9):

- a *cancelled* invoice (status storniert, Storno, cancelled, void, or a cancellation date) is
  neither revenue nor a credit note: it is skipped and reported; so is a *draft* (Entwurf),
  which was never issued;
- a negative amount stays as written: a credit note, also a separate cancellation document
  (Stornorechnung);
- a *positive* amount marked Gutschrift, Korrektur or Storno is ambiguous: a credit note, or a
  self-billing invoice the client issued (§14 Abs. 2 S. 2 UStG), which is revenue. The import
  never guesses: the user decides once per file (``CreditNotes``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from freelancer_desk.importers.values import word_key

#: Status words of a cancelled invoice, found anywhere in the status ("Storniert am 3.3.").
CANCELLED_STATUS_PARTS = ("storniert", "cancelled", "canceled", "voided", "annulliert")
#: Status words of a cancelled invoice that must be the whole status ("Storno", not
#: "Stornorechnung", which is a cancellation document of its own).
CANCELLED_STATUS_WORDS = frozenset({"storno", "void", "reversed"})
#: Statuses of an invoice that was never issued.
DRAFT_STATUS_WORDS = frozenset({"draft", "entwurf"})
#: Words in a document type or status that mark a credit note or a self-billing Gutschrift.
CREDIT_NOTE_WORDS = (
    "gutschrift",
    "storno",
    "korrektur",
    "creditnote",
    "creditmemo",
    "refund",
    "erstattung",
)


class CreditNotes(StrEnum):
    """What positive amounts marked Gutschrift, Korrektur or Storno are (chosen per file)."""

    #: Credit notes: they reduce the client's revenue.
    NEGATIVE = "negative"
    #: Self-billing invoices the client issued: revenue.
    REVENUE = "revenue"


def cancellation(status: str) -> bool:
    """Whether a status says the invoice was cancelled (a cancellation date says so too)."""
    key = word_key(status)
    return key in CANCELLED_STATUS_WORDS or any(part in key for part in CANCELLED_STATUS_PARTS)


def draft(status: str) -> bool:
    """Whether a status says the invoice is a draft, never issued (so no revenue)."""
    return word_key(status) in DRAFT_STATUS_WORDS


def credit_note_mark(document_type: str, status: str) -> str | None:
    """The cell (document type first, then status) that marks a credit note, or None."""
    for cell in (document_type, status):
        key = word_key(cell)
        if key and any(word in key for word in CREDIT_NOTE_WORDS):
            return cell
    return None


def needs_choice(amount: Decimal, mark: str | None) -> bool:
    """Whether the sign of this amount depends on the user's ``CreditNotes`` choice."""
    return mark is not None and amount > 0


def signed(amount: Decimal, mark: str | None, choice: CreditNotes | None) -> Decimal:
    """The amount with the sign the file and the user's choice give it.

    Negative amounts stay as written. A positive amount with a credit-note mark becomes
    negative when the user chose credit notes and stays positive when they chose revenue;
    without a choice such an amount is refused before planning (``needs_choice``).
    """
    if not needs_choice(amount, mark):
        return amount
    if choice is None:
        raise ValueError("a positive amount marked as credit note needs the user's choice")
    return -amount if choice is CreditNotes.NEGATIVE else amount


def booking_sign(side: str, revenue_on_konto: bool, reversal: bool) -> int:
    """+1 when a booking on a revenue account is revenue, −1 when it is a credit note.

    A revenue account takes revenue on its credit side (Haben). The S/H mark of a DATEV
    booking refers to ``Konto``: with the revenue account as ``Gegenkonto`` (the usual
    "Debitor an Erlöse"), S is revenue and H a credit note; with the revenue account as
    ``Konto`` it is the other way round. A reversal (Generalumkehr) turns the sign.
    """
    credited = (side == "H") == revenue_on_konto
    sign = 1 if credited else -1
    return -sign if reversal else sign
