"""Reading bank statements and matching their payments: German bank CSV exports, CAMT.053
(and the camt.052/054 siblings) and MT940.

A statement gives two things (DOMAIN.md §9). **Paid dates**: an incoming payment that names an
invoice number in its reference, or comes from the client with the invoice's gross amount, pays
that invoice on its booking day; partial payments add up, one payment may pay several invoices.
**Revenue** for freelancers without invoice data: each incoming payment is revenue of its payer,
net = gross ÷ (1 + VAT rate). Outgoing payments are never revenue and never pay an invoice.

Everything here is pure: bytes in, payments out; payments and a snapshot of open invoices in, a
match report out. ``services.bank`` reads the database and writes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from freelancer_desk.formatting import date, money
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.importers.fields import FieldSpec
from freelancer_desk.importers.plan import (
    Cancelled,
    Duplicate,
    EntryDraft,
    Existing,
    Progress,
    RowProblem,
    RowReader,
    likely_duplicates,
    require_columns,
    tick,
)
from freelancer_desk.importers.reading import ImportFileError, SourceRow, decode
from freelancer_desk.importers.table import locate
from freelancer_desk.importers.values import decimal_separator
from freelancer_desk.models import MAX_NAME, MAX_TEXT
from freelancer_desk.money import from_cents, net_from_gross, parse_amount, to_cents
from freelancer_desk.names import fold, loose_key, name_key

#: The columns of German bank CSV exports (Sparkasse, Volksbank, DKB, ING, Commerzbank,
#: Deutsche Bank, Postbank …), by the names they give them. Extend it here for another bank.
BANK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "booked_on",
        N_("Booking day"),
        ("Buchungstag", "Buchungsdatum", "Buchung", "Datum", "Booking date", "Date"),
    ),
    FieldSpec("value_date", N_("Value date"), ("Valutadatum", "Wertstellung", "Valuta", "Wert")),
    FieldSpec(
        "payer",
        N_("Payer or payee"),
        (
            "Auftraggeber/Empfänger",
            "Auftraggeber / Empfänger",
            "Auftraggeber / Begünstigter",
            "Begünstigter / Auftraggeber",
            "Beguenstigter/Zahlungspflichtiger",
            "Begünstigter/Zahlungspflichtiger",
            "Name Zahlungsbeteiligter",
            "Zahlungspflichtige*r",
            "Zahlungspflichtiger",
            "Auftraggeber",
            "Empfänger/Auftraggeber",
            "Gegenkonto Name",
            "Name",
            "Payer",
            "Payee/Payer",
            "Counterparty",
        ),
    ),
    FieldSpec(
        "reference",
        N_("Reference"),
        (
            "Verwendungszweck",
            "Buchungsdetails",
            "Vorgang/Verwendungszweck",
            "Purpose",
            "Reference",
            "Remittance information",
            "Description",
        ),
    ),
    FieldSpec(
        "end_to_end",
        N_("End-to-end reference"),
        ("Kundenreferenz (End-to-End)", "Kundenreferenz", "End-to-End-Referenz", "End-to-end ID"),
    ),
    FieldSpec("amount", N_("Amount"), ("Betrag", "Umsatz", "Amount")),
    FieldSpec("credit", N_("Credit"), ("Haben", "Eingang", "Credit")),
    FieldSpec("debit", N_("Debit"), ("Soll", "Ausgang", "Debit")),
    FieldSpec("side", N_("Debit or credit"), ("Soll/Haben", "S/H", "Soll-Haben-Kennzeichen")),
    FieldSpec("currency", N_("Currency"), ("Währung", "Waehrung", "Currency")),
    FieldSpec(
        "iban",
        N_("IBAN of the payer"),
        (
            "IBAN",
            "Kontonummer/IBAN",
            "IBAN Zahlungsbeteiligter",
            "Kontonummer",
            "Counterparty IBAN",
        ),
    ),
)
LABELS = {spec.key: spec.label for spec in BANK_FIELDS}
#: A statement needs a day and an amount (one field of each group).
REQUIRED = (("booked_on", "value_date"), ("amount", "credit", "debit"))
#: The columns whose cells show the file's decimal separator.
_AMOUNT_KEYS = ("amount", "credit", "debit")
#: Headers only a bank export has: a CSV with one of them is a statement, not an invoice list.
BANK_ONLY_HEADERS = frozenset(
    {"buchungstag", "buchungsdatum", "valutadatum", "wertstellung", "buchungstext", "saldo"}
)
#: Lines of balances among or below the bookings (``Kontostand vom 30.04.2025``, ``Saldo``).
_BALANCE = re.compile(r"^(alter |neuer )?(kontostand|saldo|anfangssaldo|endsaldo|abschluss)\b")
_DEBIT_MARKS = {"s", "soll", "d", "debit", "dbit", "belastung", "-"}


class BankFileError(ImportFileError):
    """The file is no bank statement this program can read."""


@dataclass(frozen=True)
class Payment:
    """One booking of a statement: positive amounts come in, negative ones go out."""

    line: int
    booked_on: dt.date
    amount: Decimal
    currency: str
    payer: str
    iban: str
    reference: str

    @property
    def incoming(self) -> bool:
        """Money received (only these pay invoices or count as revenue)."""
        return self.amount > 0


@dataclass(frozen=True)
class Statement:
    """The payments of one file, how it was read, and the lines that could not be read."""

    source: str
    format: str
    payments: tuple[Payment, ...]
    problems: tuple[RowProblem, ...] = ()

    @property
    def incoming(self) -> list[Payment]:
        """The payments received, in euros."""
        return [p for p in self.payments if p.incoming and p.currency == "EUR"]

    def incoming_count(self) -> str:
        """How many payments came in ("12 incoming payments"), for the summaries."""
        count = len(self.incoming)
        return ngettext("{count} incoming payment", "{count} incoming payments", count).format(
            count=count
        )

    @property
    def outgoing(self) -> int:
        """How many payments went out (never revenue, never paying an invoice)."""
        return sum(1 for p in self.payments if not p.incoming)

    @property
    def foreign(self) -> int:
        """Incoming payments in another currency (left out)."""
        return sum(1 for p in self.payments if p.incoming and p.currency != "EUR")


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def read_statement(data: bytes, source: str) -> Statement:
    """The statement in the bytes of a file: CAMT XML, MT940 or a bank CSV export."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200]
    if head.startswith(b"<"):
        return _read_camt(data, source)
    if head.startswith((b"{1:", b":20:")) or (b"\n:20:" in data[:2000] and b":61:" in data):
        return _read_mt940(data, source)
    return _read_csv(data, source)


def is_bank_csv(header: Sequence[str]) -> bool:
    """Whether a CSV header row is a bank export's (a booking day, a value date, a balance …)."""
    from freelancer_desk.importers.fields import header_key

    return any(header_key(cell) in BANK_ONLY_HEADERS for cell in header)


def _read_csv(data: bytes, source: str) -> Statement:
    table = locate(
        data,
        BANK_FIELDS,
        {},
        key_field="booked_on",
        date_field="booked_on",
        advice=_(
            "Export the statement again from your online banking as CSV with column names, "
            "or as CAMT.053 (XML) or MT940, which are read without a header row."
        ),
    )
    require_columns(table.mapping, table.header_line, LABELS, REQUIRED)
    payments: list[Payment] = []
    problems: list[RowProblem] = []
    columns = [i for key in _AMOUNT_KEYS if (i := table.mapping.index(key)) is not None]
    decimal = decimal_separator(row.cell(i) for row in table.rows for i in columns if row.cell(i))
    for row in table.rows:
        first = row.cells[0] or next((cell for cell in row.cells if cell), "")
        if not first[:1].isdigit() and _BALANCE.match(fold(first)):
            continue  # "Kontostand vom 30.04.2025", "Saldo": not a booking
        reader = RowReader(row, table, LABELS, decimal)
        payment = _csv_payment(reader, row)
        if payment is None:
            problems.extend(reader.problems)
        else:
            payments.append(payment)
    return Statement(
        source,
        _("bank CSV ({encoding})").format(encoding=table.encoding),
        tuple(payments),
        tuple(problems),
    )


def _csv_payment(reader: RowReader, row: SourceRow) -> Payment | None:
    cells = reader.cells
    if cells.get("booked_on") or "value_date" not in cells:
        day = reader.date("booked_on", None, required=True)
    else:
        day = reader.date("value_date", None, required=True)
    amount = reader.amount("amount")
    side = cells.get("side")
    if amount is not None and side and fold(side).strip(" .") in _DEBIT_MARKS:
        amount = -abs(amount)
    if amount is None:
        credit, debit = reader.amount("credit"), reader.amount("debit")
        amount = credit if credit else (-abs(debit) if debit else None)
    if amount is None and reader.ok:
        reader.missing("amount")
    if not reader.ok or day is None or amount is None:
        return None
    reference = cells.get("reference", "")
    if cells.get("end_to_end"):
        reference = f"{reference} {cells['end_to_end']}" if reference else cells["end_to_end"]
    return Payment(
        line=row.line,
        booked_on=day,
        amount=amount,
        currency=(cells.get("currency") or "EUR").upper(),
        payer=cells.get("payer", "")[:MAX_NAME],
        iban=cells.get("iban", ""),
        reference=reference[:MAX_TEXT],
    )


def _read_mt940(data: bytes, source: str) -> Statement:
    import mt940  # only needed for MT940 files

    text = decode(data).text
    try:
        transactions = mt940.parse(text, options=mt940.Options(applicant_iban=True))
    except Exception as exc:  # the parser raises many kinds for a damaged file
        raise BankFileError(
            _("The MT940 statement cannot be read ({reason}).").format(reason=exc)
        ) from exc
    payments = []
    for index, transaction in enumerate(transactions, start=1):
        facts = transaction.data
        day = facts.get("entry_date") or facts.get("date")
        amount = facts.get("amount")
        if day is None or amount is None:
            continue
        reference = " ".join(
            str(facts.get(key) or "")
            for key in ("purpose", "end_to_end_reference", "customer_reference")
            if facts.get(key) and facts.get(key) != "NONREF"
        )
        payments.append(
            Payment(
                line=index,
                booked_on=dt.date(day.year, day.month, day.day),
                amount=Decimal(amount.amount),
                currency=str(amount.currency or facts.get("currency") or "EUR").upper(),
                payer=str(facts.get("applicant_name") or "")[:MAX_NAME],
                iban=str(facts.get("applicant_iban") or ""),
                reference=reference[:MAX_TEXT],
            )
        )
    if not payments and not transactions:
        raise BankFileError(_("The MT940 file holds no bookings."))
    return Statement(source, "MT940", tuple(payments))


def _read_camt(data: bytes, source: str) -> Statement:
    """CAMT.053 (also .052/.054): every entry (Ntry), split by its transaction details."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise BankFileError(_("The XML cannot be read: {reason}").format(reason=exc.msg)) from exc
    entries = root.findall(".//{*}Ntry")
    if not root.tag.endswith("Document") or root.find(".//{*}Acct") is None:
        raise BankFileError(_("This XML file is no bank statement (CAMT.053 expected)."))
    payments: list[Payment] = []
    for number, entry in enumerate(entries, start=1):
        payments.extend(_camt_entry(entry, number))
    return Statement(source, "CAMT", tuple(payments))


def _camt_entry(entry: Any, number: int) -> list[Payment]:
    incoming = _text(entry, "{*}CdtDbtInd") != "DBIT"
    day_text = _text(entry, "{*}BookgDt/{*}Dt") or _text(entry, "{*}BookgDt/{*}DtTm")[:10]
    day_text = day_text or _text(entry, "{*}ValDt/{*}Dt")
    try:
        day = dt.date.fromisoformat(day_text[:10])
    except ValueError:
        raise BankFileError(
            _("Entry {number}: the booking day is missing or not a date.").format(number=number)
        ) from None
    details = entry.findall("{*}NtryDtls/{*}TxDtls")
    parts = details if len(details) > 1 else [details[0] if details else None]
    payments = []
    for detail in parts:
        amount_node = entry.find("{*}Amt")
        if detail is not None and len(parts) > 1:
            amount_node = detail.find("{*}AmtDtls/{*}TxAmt/{*}Amt") or detail.find("{*}Amt")
        if amount_node is None:
            continue
        try:
            amount = parse_amount((amount_node.text or "").strip(), decimal=".")
        except ValueError:
            raise BankFileError(
                _("Entry {number}: the amount is not a number.").format(number=number)
            ) from None
        party = "Dbtr" if incoming else "Cdtr"
        payer = iban = reference = ""
        if detail is not None:
            payer = _text(detail, f"{{*}}RltdPties/{{*}}{party}/{{*}}Nm") or _text(
                detail, f"{{*}}RltdPties/{{*}}{party}/{{*}}Pty/{{*}}Nm"
            )
            iban = _text(detail, f"{{*}}RltdPties/{{*}}{party}Acct/{{*}}Id/{{*}}IBAN")
            reference = " ".join(
                [node.text or "" for node in detail.findall("{*}RmtInf/{*}Ustrd")]
                + [node.text or "" for node in detail.findall(".//{*}CdtrRefInf/{*}Ref")]
                + [_text(detail, "{*}Refs/{*}EndToEndId").replace("NOTPROVIDED", "")]
            )
        reference = " ".join((reference or _text(entry, "{*}AddtlNtryInf")).split())
        payments.append(
            Payment(
                line=number,
                booked_on=day,
                amount=amount if incoming else -amount,
                currency=(amount_node.get("Ccy") or "EUR").upper(),
                payer=payer[:MAX_NAME],
                iban=iban,
                reference=reference[:MAX_TEXT],
            )
        )
    return payments


def _text(node: Any, path: str) -> str:
    found = node.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


# --------------------------------------------------------------------------------------------
# Paid dates: matching incoming payments to open invoices
# --------------------------------------------------------------------------------------------


#: A booking's identity across imports: day, whole amount in cents, reference.
BookingKey = tuple[dt.date, int, str]


@dataclass(frozen=True)
class PaidPart:
    """What one booking paid of one invoice (all of it, or its part of a combined payment)."""

    day: dt.date
    cents: int
    #: The whole booking, more than ``cents`` when it paid several invoices.
    booking_cents: int
    reference: str

    @property
    def booking(self) -> BookingKey:
        """The booking this part came from (``payment_key``)."""
        return (self.day, self.booking_cents, self.reference)


def paid_on(gross_cents: int, parts: Iterable[PaidPart]) -> dt.date | None:
    """The day the payments reach the gross amount (in the order of their days), or None."""
    total = 0
    for part in sorted(parts, key=lambda part: part.day):
        total += part.cents
        if total >= gross_cents:
            return part.day
    return None


@dataclass(frozen=True)
class OpenInvoice:
    """An invoice as matching sees it: what is due, and what earlier statements paid of it."""

    entry_id: int
    client: str
    number: str | None
    invoice_date: dt.date
    gross_cents: int
    paid_date: dt.date | None = None
    #: The payments recorded for this invoice so far.
    payments: tuple[PaidPart, ...] = ()

    @property
    def paid_cents(self) -> int:
        """What the recorded payments add up to."""
        return sum(part.cents for part in self.payments)

    @property
    def open_cents(self) -> int:
        """What is still to pay."""
        return self.gross_cents - self.paid_cents

    def recorded(self, booking: BookingKey) -> bool:
        """Whether a part of this booking is recorded for this invoice already."""
        return any(part.booking == booking for part in self.payments)


@dataclass(frozen=True)
class Match:
    """A payment and the invoices it pays (``complete``) or pays a part of."""

    payment: Payment
    invoices: tuple[OpenInvoice, ...]
    by_number: bool
    complete: bool

    def how(self) -> str:
        """How the payment was matched, for the report."""
        return _("invoice number") if self.by_number else _("payer and amount")


@dataclass(frozen=True)
class Unclear:
    """A payment that fits several invoices (or none well enough): left for the user."""

    payment: Payment
    candidates: tuple[OpenInvoice, ...]
    reason: str


@dataclass(frozen=True)
class ReportRow:
    """One line of the match report: a payment, what became of it, and why."""

    payment: Payment
    outcome: str
    detail: str
    invoices: tuple[OpenInvoice, ...] = ()


@dataclass
class MatchReport:
    """What a statement says about paid dates; nothing is written before it is confirmed."""

    statement: Statement
    matched: list[Match] = field(default_factory=list)
    partial: list[Match] = field(default_factory=list)
    ambiguous: list[Unclear] = field(default_factory=list)
    unmatched: list[Payment] = field(default_factory=list)
    already: list[Payment] = field(default_factory=list)
    #: The invoices each payment of ``already`` was recorded for.
    already_for: dict[Payment, tuple[OpenInvoice, ...]] = field(default_factory=dict)
    #: Paid date per entry id: the day its payments reach the gross amount.
    paid_dates: dict[int, dt.date] = field(default_factory=dict)
    #: Every payment to record, by entry id (of paid and of still open invoices).
    parts: dict[int, list[PaidPart]] = field(default_factory=dict)

    def rows(self) -> list[ReportRow]:
        """Every incoming payment with what the report decided, in booking order."""
        rows = [
            ReportRow(
                match.payment,
                _("paid") if match.complete else _("partly paid"),
                ", ".join(i.number or date(i.invoice_date) for i in match.invoices)
                + f" ({match.how()})",
                match.invoices,
            )
            for match in [*self.matched, *self.partial]
        ]
        rows.extend(
            ReportRow(u.payment, _("ambiguous"), u.reason, u.candidates) for u in self.ambiguous
        )
        rows.extend(
            ReportRow(p, _("unmatched"), _("no open invoice of this number, payer and amount"))
            for p in self.unmatched
        )
        rows.extend(ReportRow(p, _("already recorded"), "") for p in self.already)
        return sorted(rows, key=lambda row: (row.payment.booked_on, row.payment.line))

    def invoices_paid(self) -> dict[Payment, tuple[OpenInvoice, ...]]:
        """Every payment that pays invoices of the database, with those invoices (for an
        ambiguous payment, the invoices it may pay)."""
        paying = {match.payment: match.invoices for match in [*self.matched, *self.partial]}
        paying.update((unclear.payment, unclear.candidates) for unclear in self.ambiguous)
        paying.update(self.already_for)
        return paying

    def summary(self, done: bool = False) -> str:
        """One line with the counts of the report."""
        paid = _("invoices marked paid: {count}") if done else _("invoices to mark paid: {count}")
        return " · ".join(
            [
                self.statement.incoming_count(),
                paid.format(count=len(self.paid_dates)),
                _("partly paid: {count}").format(count=len(self.partial)),
                _("ambiguous: {count}").format(count=len(self.ambiguous)),
                _("unmatched: {count}").format(count=len(self.unmatched)),
                _("already recorded: {count}").format(count=len(self.already)),
                _("outgoing (ignored): {count}").format(count=self.statement.outgoing),
            ]
        )


_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-/_][A-Za-z0-9]+)*")
#: Invoice numbers shorter than this are not searched in references (``17`` is everywhere).
MIN_NUMBER_CHARS = 3


def number_key(text: str) -> str:
    """An invoice number as references write it: letters and digits only (``RE 2025-001``)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def _reference_keys(reference: str) -> set[str]:
    """Every run of one to three words of the reference, as number keys."""
    tokens = [number_key(token) for token in _TOKEN.findall(reference)]
    keys: set[str] = set()
    for start in range(len(tokens)):
        for end in range(start + 1, min(start + 3, len(tokens)) + 1):
            keys.add("".join(tokens[start:end]))
    return keys


def match_payments(
    statement: Statement,
    invoices: Sequence[OpenInvoice],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> MatchReport:
    """Match the statement's incoming payments to invoices: by number, else payer and amount.

    ``invoices`` are all positive invoices (paid ones too, so that a statement imported again
    is recognised as already recorded). Payments are taken in booking order; partial payments
    add up until the invoice is paid.
    """
    report = MatchReport(statement)
    by_number: dict[str, list[OpenInvoice]] = defaultdict(list)
    by_payer: dict[str, list[OpenInvoice]] = defaultdict(list)
    for invoice in invoices:
        if invoice.number and len(number_key(invoice.number)) >= MIN_NUMBER_CHARS:
            by_number[number_key(invoice.number)].append(invoice)
        by_payer[loose_key(invoice.client)].append(invoice)
    state = {invoice.entry_id: invoice for invoice in invoices}
    incoming = sorted(statement.incoming, key=lambda p: (p.booked_on, p.line))
    for index, payment in enumerate(incoming):
        tick(index, len(incoming), progress, cancelled)
        keys = _reference_keys(payment.reference)
        named = {
            invoice.entry_id: state[invoice.entry_id]
            for key in keys
            for invoice in by_number.get(key, ())
        }
        if named:
            _by_number(report, state, payment, list(named.values()))
        else:
            _by_payer(report, state, payment, by_payer.get(loose_key(payment.payer), []))
    return report


def _by_number(
    report: MatchReport,
    state: dict[int, OpenInvoice],
    payment: Payment,
    named: list[OpenInvoice],
) -> None:
    cents = to_cents(payment.amount)
    open_ones = [invoice for invoice in named if invoice.paid_date is None]
    if not open_ones or any(invoice.recorded(payment_key(payment)) for invoice in open_ones):
        _already(report, payment, open_ones or named)
        return
    if len(open_ones) > 1 and len({invoice.client for invoice in open_ones}) > 1:
        reason = _("the reference names invoices of several clients")
        report.ambiguous.append(Unclear(payment, tuple(open_ones), reason))
        return
    due = sum(invoice.open_cents for invoice in open_ones)
    if cents >= due or len(open_ones) == 1:
        _pay(report, state, payment, open_ones, cents, by_number=True)
        return
    reason = _("the amount {amount} is less than the {count} invoices named ({due})").format(
        amount=_money(cents), count=len(open_ones), due=_money(due)
    )
    report.ambiguous.append(Unclear(payment, tuple(open_ones), reason))


def _by_payer(
    report: MatchReport,
    state: dict[int, OpenInvoice],
    payment: Payment,
    candidates: list[OpenInvoice],
) -> None:
    cents = to_cents(payment.amount)
    open_ones = [
        state[invoice.entry_id]
        for invoice in candidates
        if state[invoice.entry_id].paid_date is None
        and state[invoice.entry_id].invoice_date <= payment.booked_on
    ]
    exact = [invoice for invoice in open_ones if invoice.open_cents == cents]
    if len(exact) == 1:
        _pay(report, state, payment, exact, cents, by_number=False)
    elif len(exact) > 1:
        reason = _("several open invoices of this payer have this amount")
        report.ambiguous.append(Unclear(payment, tuple(exact), reason))
    elif len(open_ones) > 1 and sum(invoice.open_cents for invoice in open_ones) == cents:
        _pay(report, state, payment, open_ones, cents, by_number=False)  # all that was open
    elif recorded := [
        state[invoice.entry_id]
        for invoice in candidates
        if state[invoice.entry_id].recorded(payment_key(payment))
        or state[invoice.entry_id].paid_date == payment.booked_on
    ]:
        _already(report, payment, recorded)
    else:
        report.unmatched.append(payment)


def _already(report: MatchReport, payment: Payment, invoices: list[OpenInvoice]) -> None:
    """Note a payment recorded before for ``invoices``."""
    report.already.append(payment)
    report.already_for[payment] = tuple(invoices)


def _pay(
    report: MatchReport,
    state: dict[int, OpenInvoice],
    payment: Payment,
    invoices: list[OpenInvoice],
    cents: int,
    *,
    by_number: bool,
) -> None:
    """Book ``cents`` onto ``invoices`` in date order; each one covered gets its paid date.

    The last invoice takes what is left, so an overpayment still settles it. An invoice is
    paid on the day its payments reach the gross amount (not before its invoice date).
    """
    left = cents
    complete = True
    paid: list[OpenInvoice] = []
    ordered = sorted(invoices, key=lambda i: (i.invoice_date, i.entry_id))
    for position, invoice in enumerate(ordered, start=1):
        share = left if position == len(ordered) else min(left, invoice.open_cents)
        left -= share
        parts = invoice.payments
        if share > 0:
            part = PaidPart(payment.booked_on, share, cents, payment.reference)
            parts = (*parts, part)
            report.parts.setdefault(invoice.entry_id, []).append(part)
        day = paid_on(invoice.gross_cents, parts)
        if day is not None:
            day = max(day, invoice.invoice_date)
            report.paid_dates[invoice.entry_id] = day
        else:
            complete = False
        updated = replace(invoice, payments=parts, paid_date=day)
        state[invoice.entry_id] = updated
        paid.append(updated)
    (report.matched if complete else report.partial).append(
        Match(payment, tuple(paid), by_number, complete)
    )


def payment_key(payment: Payment) -> BookingKey:
    """A payment's identity across imports: day, amount and reference."""
    return (payment.booked_on, to_cents(payment.amount), payment.reference)


def _money(cents: int) -> str:
    return money(from_cents(cents))


# --------------------------------------------------------------------------------------------
# Revenue from payments
# --------------------------------------------------------------------------------------------


@dataclass
class PaymentRevenuePlan:
    """What importing a statement's incoming payments as revenue will add, skip and refuse."""

    statement: Statement
    entries: list[EntryDraft] = field(default_factory=list)
    new_clients: list[str] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    likely_duplicates: list[tuple[str, str]] = field(default_factory=list)
    #: The VAT rates used (percent), for the report: "net from gross at 19 %".
    rates: set[Decimal] = field(default_factory=set)
    #: Payments left out because they pay invoices already recorded (not revenue twice).
    invoiced: int = 0
    #: Every incoming payment with what the import does with it, for the dry run.
    decisions: list[ReportRow] = field(default_factory=list)

    @property
    def additions(self) -> int:
        """Entries the import adds."""
        return len(self.entries)

    def summary(self, done: bool = False) -> str:
        """One line: payments, added (or to add), skipped, errors, outgoing ignored, rates."""
        added = _("added: {count}") if done else _("to add: {count}")
        parts = [
            self.statement.incoming_count(),
            added.format(count=self.additions),
            _("skipped as already present: {count}").format(count=len(self.duplicates)),
        ]
        if self.invoiced:
            parts.append(
                _("skipped as paying recorded invoices: {count}").format(count=self.invoiced)
            )
        if self.errors:
            parts.append(_("payments with errors: {count}").format(count=len(self.errors)))
        parts.append(_("new clients: {count}").format(count=len(self.new_clients)))
        parts.append(_("outgoing (ignored): {count}").format(count=self.statement.outgoing))
        if self.rates:
            rates = ", ".join(f"{rate.normalize():f} %" for rate in sorted(self.rates))
            parts.append(_("net from gross at {rates}").format(rates=rates))
        return " · ".join(parts)


def plan_payment_revenue(
    statement: Statement,
    existing: Existing,
    invoices: Sequence[OpenInvoice] = (),
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> PaymentRevenuePlan:
    """Each incoming payment as revenue of its payer, net from gross at the VAT rate
    ``existing.vat`` gives the payer's client — except payments of ``invoices`` (the
    invoices in the database, matched as for paid dates): their revenue is recorded already.
    """
    plan = PaymentRevenuePlan(statement, errors=list(statement.problems))
    report = match_payments(statement, invoices)
    paying = report.invoices_paid()
    unsure = {unclear.payment for unclear in report.ambiguous}
    new_names: dict[str, str] = {}
    seen: dict[tuple[object, ...], int] = {}
    incoming = statement.incoming
    for index, payment in enumerate(incoming):
        tick(index, len(incoming), progress, cancelled)
        if not payment.payer:
            problem = RowProblem(payment.line, "", _("the payer's name is missing"))
            plan.errors.append(problem)
            plan.decisions.append(ReportRow(payment, _("error"), problem.message()))
            continue
        key = name_key(payment.payer)
        known = existing.clients.get(key)
        client: int | str = known.id if known else key
        rate, _source = existing.vat.for_client(known.id if known else None)
        net_cents = to_cents(net_from_gross(payment.amount, rate))
        identity = (client, payment.booked_on, net_cents)
        shown = known.name if known else new_names.get(key, payment.payer)
        duplicate = None
        if identity in seen:
            duplicate = Duplicate(payment.line, shown, _what(payment), seen[identity])
        elif known and identity in existing.plain:
            duplicate = Duplicate(payment.line, shown, _what(payment))
        if duplicate is not None:
            plan.duplicates.append(duplicate)
            plan.decisions.append(ReportRow(payment, _("skipped"), _("already present")))
            continue
        if payment in paying:
            plan.invoiced += 1
            plan.decisions.append(
                ReportRow(
                    payment,
                    _("skipped"),
                    _pays(paying[payment], unsure=payment in unsure),
                    paying[payment],
                )
            )
            continue
        seen[identity] = payment.line
        plan.rates.add(rate)
        if not known:
            new_names.setdefault(key, payment.payer)
        plan.entries.append(
            EntryDraft(
                line=payment.line,
                client=client,
                invoice_number=None,
                invoice_date=payment.booked_on,
                net_cents=net_cents,
                gross_cents=to_cents(payment.amount),
                due_date=None,
                paid_date=payment.booked_on,
                note=payment.reference or None,
            )
        )
        detail = _("revenue of {client}: net {net} at {rate} %").format(
            client=shown, net=_money(net_cents), rate=f"{rate.normalize():f}"
        )
        plan.decisions.append(ReportRow(payment, _("to add"), detail))
    plan.new_clients = list(new_names.values())
    plan.likely_duplicates = likely_duplicates(
        plan.new_clients, [client.name for client in existing.clients.values()]
    )
    return plan


def _pays(invoices: tuple[OpenInvoice, ...], *, unsure: bool) -> str:
    """Why a payment is no new revenue: the invoices it pays (``unsure``: one of those it
    may pay) are recorded already."""
    numbers = ", ".join(invoice.number or date(invoice.invoice_date) for invoice in invoices)
    if unsure:
        return _("pays one of the invoices {numbers}, already recorded").format(numbers=numbers)
    return ngettext(
        "pays invoice {numbers} already recorded",
        "pays invoices {numbers} already recorded",
        len(invoices),
    ).format(numbers=numbers)


def _what(payment: Payment) -> str:
    """How a message names a payment: its day and amount."""
    return f"{date(payment.booked_on)} {money(payment.amount)}"


def parse_vat_option(text: str) -> Decimal:
    """``--vat 19`` / ``19 %`` / ``7,0``: a rate in percent from 0 to below 100."""
    from freelancer_desk.importers.values import parse_rate

    rate = parse_rate(text)
    if not 0 <= rate < 100:
        raise ValueError(text)
    return rate
