"""Planning imports of DATEV-Format files: the Buchungsstapel as revenue, debtors as clients.

A Buchungsstapel holds every booking of a period, not only invoices. Revenue are the bookings
on a revenue account of the chart the header names (``extf.CHARTS``); their amounts are gross
and positive, the side (S/H) gives the sign, and the account's VAT rate gives the net amount.
The bookings of one document number (Belegfeld 1) on several revenue accounts — an invoice at
19 % and 7 % — form one invoice. The client is the debtor account of the booking, named by a
DATEV debtor file imported before (``plan_debtors`` remembers the accounts) or else by the
booking text. Payments, expenses and tax bookings are left out and counted. Every one of these
decisions is in the plan, so that the dry run shows it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from freelancer_desk.errors import InputError
from freelancer_desk.formatting import date, money, number
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.importers.clients import ClientList
from freelancer_desk.importers.documents import booking_sign
from freelancer_desk.importers.extf import (
    CHARTS,
    IGNORED_KINDS,
    TAX_KEY_RATES,
    AccountKind,
    ExtfHeader,
    account_kind,
)
from freelancer_desk.importers.fields import FieldSpec, HeaderSet
from freelancer_desk.importers.plan import (
    Cancelled,
    Decision,
    DecisionKind,
    EntryDraft,
    Existing,
    ImportPlan,
    PlanOptions,
    Progress,
    RowProblem,
    RowReader,
    require_columns,
    tick,
)
from freelancer_desk.importers.revenue import Entries
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import YearOutOfRange, check_year, visible
from freelancer_desk.models import MAX_NAME, ClientCreate, validate
from freelancer_desk.money import net_from_gross, to_cents
from freelancer_desk.names import name_key

BOOKING_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "amount",
        N_("Amount"),
        ("Umsatz (ohne Soll/Haben-Kz)", "Umsatz (ohne Soll/Haben-Kennzeichen)", "Umsatz"),
        required=True,
    ),
    FieldSpec("side", N_("Debit/credit mark"), ("Soll/Haben-Kennzeichen", "Soll/Haben-Kz")),
    FieldSpec("currency", N_("Currency"), ("WKZ Umsatz",)),
    FieldSpec("account", N_("Account"), ("Konto",), required=True),
    FieldSpec(
        "counter_account",
        N_("Contra account"),
        ("Gegenkonto (ohne BU-Schlüssel)", "Gegenkonto"),
        required=True,
    ),
    FieldSpec("tax_key", N_("Tax key"), ("BU-Schlüssel", "BU-Schluessel")),
    FieldSpec("document_date", N_("Document date"), ("Belegdatum",), required=True),
    FieldSpec("document_number", N_("Document number"), ("Belegfeld 1",)),
    FieldSpec("text", N_("Booking text"), ("Buchungstext",)),
    FieldSpec("reversal", N_("Reversal"), ("Generalumkehr (GU)", "Generalumkehr")),
)
BOOKING_LABELS = {spec.key: spec.label for spec in BOOKING_FIELDS}
BOOKING_SET = HeaderSet(
    "DATEV-Format Buchungsstapel",
    "https://developer.datev.de/de/file-format/details/datev-format/format-description/booking-batch",
    ("Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "Belegdatum"),
    {},
    complete=True,
)
BOOKING_REQUIRED = (("amount",), ("side",), ("account",), ("counter_account",), ("document_date",))

DEBTOR_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("account", N_("Account"), ("Konto",), required=True),
    FieldSpec("company", N_("Company name"), ("Name (Adressattyp Unternehmen)",)),
    FieldSpec("last_name", N_("Last name"), ("Name (Adressattyp natürl. Person)",)),
    FieldSpec("first_name", N_("First name"), ("Vorname (Adressattyp natürl. Person)",)),
    FieldSpec("other_name", N_("Name"), ("Name (Adressattyp keine Angabe)",)),
    FieldSpec("short_name", N_("Short name"), ("Kurzbezeichnung",)),
    FieldSpec("street", N_("Street"), ("Straße", "Strasse")),
    FieldSpec("postcode", N_("Postcode"), ("Postleitzahl",)),
    FieldSpec("city", N_("City"), ("Ort",)),
    FieldSpec("country", N_("Country"), ("Land",)),
    FieldSpec("phone", N_("Phone"), ("Telefon",)),
    FieldSpec("email", N_("Email"), ("E-Mail",)),
)
DEBTOR_LABELS = {spec.key: spec.label for spec in DEBTOR_FIELDS}
DEBTOR_SET = HeaderSet(
    "DATEV-Format Debitoren/Kreditoren",
    "https://developer.datev.de/de/file-format/details/datev-format/format-description/debitors-creditors",
    ("Konto", "Name (Adressattyp Unternehmen)"),
    {},
    complete=True,
)
#: Columns that may hold the name, in the order they are tried.
NAME_COLUMNS = ("company", "other_name", "short_name")

_TTMM = re.compile(r"^(\d{1,2})(\d{2})(\d{4})?$")


@dataclass
class Booking:
    """A booking on a revenue account, read and signed."""

    line: int
    gross: Decimal
    ledger: int
    rate: Decimal
    day: dt.date
    #: The debtor account (None when the booking has none, e.g. "Bank an Erlöse").
    debtor: int | None
    text: str
    number: str


@dataclass
class Invoice:
    """The bookings of one document number of one client: one revenue entry."""

    bookings: list[Booking] = field(default_factory=list)

    @property
    def first(self) -> Booking:
        return self.bookings[0]

    @property
    def gross(self) -> Decimal:
        return sum((booking.gross for booking in self.bookings), Decimal(0))

    @property
    def net(self) -> Decimal:
        return sum((_net(booking) for booking in self.bookings), Decimal(0))


def _net(booking: Booking) -> Decimal:
    """The net amount in a gross booking at its account's rate, rounded to the cent."""
    return net_from_gross(booking.gross, booking.rate)


def plan_bookings(
    table: Table,
    existing: Existing,
    options: PlanOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing a DATEV Buchungsstapel as revenue would add, skip and refuse."""
    header = table.datev
    assert header is not None  # the registry gives this planner DATEV files only
    require_columns(table.mapping, table.header_line, BOOKING_LABELS, BOOKING_REQUIRED)
    plan = ImportPlan(kind="revenue", table=table, rows_read=len(table.rows))
    invoices: dict[tuple[object, ...], Invoice] = {}
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        tick(index, total, progress, cancelled)
        reader = RowReader(row, table, BOOKING_LABELS, decimal=",")
        booking = _read_booking(reader, header, plan)
        if booking is None:
            plan.errors.extend(reader.problems)
            continue
        party: object = booking.debtor if booking.debtor is not None else booking.text
        key = (party, booking.number or f"line {booking.line}")
        invoices.setdefault(key, Invoice()).bookings.append(booking)
    names = _debtor_names(invoices.values(), existing, plan)
    entries = Entries(plan, existing)
    for invoice in invoices.values():
        draft = _entry(invoice, names, header, plan)
        if draft is not None:
            entries.add(draft, table.mapping.header_of("document_number"))
    entries.finish()
    plan.decisions.sort(key=lambda decision: decision.line)
    if progress is not None:
        progress(total, total)
    return plan


def _read_booking(reader: RowReader, header: ExtfHeader, plan: ImportPlan) -> Booking | None:
    """A booking on a revenue account; other bookings are noted as left out (None)."""
    amount = reader.amount("amount")
    side = reader.raw("side").upper()
    if side not in ("S", "H"):
        reader.problem("side", _('"{value}" is neither S nor H').format(value=visible(side)))
    accounts = [_account(reader, key) for key in ("account", "counter_account")]
    currency = reader.raw("currency").upper()
    if currency not in ("", "EUR"):
        reader.problem(
            "currency",
            _("amounts in {currency} are not imported, only EUR").format(
                currency=visible(currency)
            ),
        )
    konto, gegenkonto = accounts
    if not reader.ok or amount is None or konto is None or gegenkonto is None:
        return None
    side_of_revenue = _revenue_side(header, konto, gegenkonto)
    if side_of_revenue is None:
        _left_out(reader, header, konto, gegenkonto, amount, plan)
        return None
    ledger, other, on_konto = side_of_revenue
    day = _document_date(reader, header)
    rate = _rate(reader, header, ledger)
    text = reader.text("text", limit=MAX_NAME, name=True)  # it may name the client
    if amount <= 0:
        reader.problem(
            "amount",
            _("DATEV amounts are positive, the side S/H gives the sign; not {amount}").format(
                amount=money(amount)
            ),
        )
    if not reader.ok or day is None or rate is None:
        return None
    reversal = reader.raw("reversal").strip() == "1"
    sign = booking_sign(side, revenue_on_konto=on_konto, reversal=reversal)
    return Booking(
        reader.row.line,
        sign * amount,
        ledger,
        rate,
        day,
        other if header.debtor(other) else None,
        text or "",
        reader.raw("document_number"),
    )


def _account(reader: RowReader, key: str) -> int | None:
    value = reader.raw(key)
    if not value.isdigit():
        reader.problem(key, _('"{value}" is not an account number').format(value=visible(value)))
        return None
    return int(value)


def _revenue_side(header: ExtfHeader, konto: int, gegenkonto: int) -> tuple[int, int, bool] | None:
    """The revenue account of a booking (four digits), the other account, and whether the
    revenue account is the ``Konto``; None for a booking without a revenue account.

    The revenue account is usually the Gegenkonto ("Debitor an Erlöse").
    """
    for revenue, other, on_konto in ((gegenkonto, konto, False), (konto, gegenkonto, True)):
        ledger = _ledger_of_revenue(header, revenue)
        if ledger is not None:
            return ledger, other, on_konto
    return None


def _ledger_of_revenue(header: ExtfHeader, account: int) -> int | None:
    """The four-digit revenue account ``account`` is, or None when it is no revenue account."""
    ledger = header.ledger(account)
    if ledger is not None and account_kind(header.chart, ledger) is AccountKind.REVENUE:
        return ledger
    return None


def _left_out(
    reader: RowReader,
    header: ExtfHeader,
    konto: int,
    gegenkonto: int,
    amount: Decimal,
    plan: ImportPlan,
) -> None:
    """Note a booking that is not revenue (a payment, an expense, a tax booking …)."""
    kinds = set()
    for account in (konto, gegenkonto):
        ledger = header.ledger(account)
        if ledger is not None:
            kinds.add(account_kind(header.chart, ledger))
        elif header.creditor(account):
            kinds.add(AccountKind.EXPENSE)
    kind = next(
        (
            kind
            for kind in (
                AccountKind.TAX,
                AccountKind.EXPENSE,
                AccountKind.DISCOUNT,
                AccountKind.PAYMENT,
            )
            if kind in kinds
        ),
        AccountKind.OTHER,
    )
    detail = _("{what}: {amount}, accounts {konto} and {gegenkonto}").format(
        what=_(IGNORED_KINDS[kind]), amount=money(amount), konto=konto, gegenkonto=gegenkonto
    )
    plan.decisions.append(Decision(reader.row.line, DecisionKind.IGNORED, detail))


def _document_date(reader: RowReader, header: ExtfHeader) -> dt.date | None:
    """Belegdatum TTMM with the year from the file's period (or TTMMJJJJ)."""
    value = reader.raw("document_date")
    match = _TTMM.match(value.zfill(4) if value.isdigit() and len(value) == 3 else value)
    start, end = header.period_start, header.period_end
    assert start is not None and end is not None  # read_header refuses a file without
    if match is None:
        reader.problem(
            "document_date",
            _('"{value}" is not a date as DATEV writes it (TTMM, e.g. 3112)').format(
                value=visible(value)
            ),
        )
        return None
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    years = [int(year)] if year else sorted({start.year, end.year})
    for candidate in years:
        try:
            found = dt.date(candidate, month, day)
        except ValueError:
            continue
        if year or start <= found <= end:
            try:
                return check_year(found)
            except YearOutOfRange:
                break
    reader.problem(
        "document_date",
        _('"{value}" is no day within the period of the file ({start} to {end})').format(
            value=visible(value), start=date(start), end=date(end)
        ),
    )
    return None


def _rate(reader: RowReader, header: ExtfHeader, ledger: int) -> Decimal | None:
    """The VAT rate of a revenue booking: its account's, or for other revenue accounts its
    tax key's."""
    known = CHARTS[header.chart].get(ledger)
    if known is not None:
        return known.rate
    rate = TAX_KEY_RATES.get(reader.raw("tax_key").strip().lstrip("0"))
    if rate is None:
        reader.problem(
            "counter_account",
            _(
                "revenue account {account} has no VAT rate of its own and the booking no tax "
                "key (BU-Schlüssel 2 or 3) to give one"
            ).format(account=ledger),
        )
    return rate


def _debtor_names(
    invoices: Iterable[Invoice], existing: Existing, plan: ImportPlan
) -> dict[int, str]:
    """The client name of every debtor account: from the debtor file imported before, else
    the booking text that names it most often, else a neutral "Debtor 10001" (each such
    choice is a decision; only the debtor file's names are remembered for later files).

    Booking texts such as "Rechnung RE-2025-001" name the document, not the client, and are
    never taken as a name.
    """
    texts: dict[int, Counter[str]] = {}
    first_line: dict[int, int] = {}
    for invoice in invoices:
        for booking in invoice.bookings:
            if booking.debtor is None:
                continue
            first_line.setdefault(booking.debtor, booking.line)
            if _names_a_client(booking):
                texts.setdefault(booking.debtor, Counter())[booking.text] += 1
    names: dict[int, str] = {}
    neutral = False
    for debtor, line in first_line.items():
        remembered = existing.accounts.get(str(debtor))
        if remembered is not None:
            names[debtor] = remembered
            continue
        counted = texts.get(debtor)
        if not counted:
            names[debtor] = _("Debtor {account}").format(account=debtor)
            neutral = True
            plan.decisions.append(
                Decision(
                    line,
                    DecisionKind.CLIENT,
                    _(
                        'debtor {account} is "{name}": no debtor file names it and its booking '
                        "texts name invoices, not a client"
                    ).format(account=debtor, name=names[debtor]),
                )
            )
            continue
        name, times = counted.most_common(1)[0]
        names[debtor] = name  # a guess, shown, not remembered: the debtor file decides
        total = sum(counted.values())
        if times == total:
            detail = ngettext(
                'debtor {account} is "{name}", as its booking text says',
                'debtor {account} is "{name}", as the texts of its {total} bookings say',
                total,
            )
        else:
            detail = _(
                'debtor {account} is "{name}", as {times} of the texts of its {total} bookings say'
            )
        plan.decisions.append(
            Decision(
                line,
                DecisionKind.CLIENT,
                detail.format(account=debtor, name=visible(name), times=times, total=total),
            )
        )
    if neutral:
        plan.notices.append(
            _(
                'Debtors without a name are called "Debtor" and their account number. To '
                "get their real names, import the DATEV debtor file first (Debitoren/"
                "Kreditoren, format category 16, as clients), then the Buchungsstapel."
            )
        )
    return names


#: Booking texts that name a document: "Rechnung RE-2025-001", "Re. 17", "Invoice #4",
#: "Gutschrift GS-1", "Storno 12", "RE-2025-001".
_DOCUMENT_REFERENCE = re.compile(
    r"^(?:rechnung|invoice|gutschrift|storno\w*|credit\s+note|re|inv)\b\.?"
    r"(?:\s*(?:nr|no|nummer|number)\b\.?)?[\s:#-]*[a-z]*[-/]?\d",
    re.IGNORECASE,
)


def _names_a_client(booking: Booking) -> bool:
    """Whether a booking's text may name its client: not empty, and no document reference."""
    text = booking.text.strip()
    if not text or _DOCUMENT_REFERENCE.match(text):
        return False
    return not (booking.number and name_key(text) == name_key(booking.number))


def _entry(
    invoice: Invoice, names: dict[int, str], header: ExtfHeader, plan: ImportPlan
) -> EntryDraft | None:
    """The revenue entry of an invoice's bookings, with the decisions it took."""
    first = invoice.first
    lines = [booking.line for booking in invoice.bookings]
    what = (
        _("document {number}").format(number=visible(first.number))
        if first.number
        else _("booking")
    )
    if first.debtor is not None:
        client = names[first.debtor]
    elif _names_a_client(first):
        client = first.text
    else:
        plan.errors.append(
            RowProblem(
                first.line,
                plan.table.mapping.header_of("text"),
                _(
                    "the booking names no debtor account and has no booking text that names "
                    "the client (a text such as an invoice number is no name)"
                ),
            )
        )
        return None
    gross = invoice.gross
    if len(lines) > 1:
        if gross == 0:
            plan.decisions.append(
                Decision(
                    first.line,
                    DecisionKind.CANCELLED,
                    _(
                        "{what} of {client}: its bookings on lines {lines} cancel each other out"
                    ).format(what=what, client=visible(client), lines=_lines(lines)),
                )
            )
            return None
        plan.decisions.append(
            Decision(
                first.line,
                DecisionKind.COMBINED,
                _("{what} of {client}: the bookings on lines {lines} form one invoice").format(
                    what=what, client=visible(client), lines=_lines(lines)
                ),
            )
        )
    net = invoice.net
    parts = " + ".join(
        _("{gross} at {rate} % ({account})").format(
            gross=money(booking.gross), rate=number(booking.rate, digits=0), account=booking.ledger
        )
        for booking in invoice.bookings
    )
    plan.decisions.append(
        Decision(
            first.line,
            DecisionKind.NET_FROM_GROSS,
            _("{what}: net {net} from gross {parts}").format(
                what=what, net=money(net), parts=parts
            ),
        )
    )
    if gross < 0:
        plan.decisions.append(
            Decision(
                first.line,
                DecisionKind.SIGN,
                _("{what} of {client}: a credit note of {amount}, as its side (S/H) says").format(
                    what=what, client=visible(client), amount=money(gross)
                ),
            )
        )
    return EntryDraft(
        line=first.line,
        client=client,
        invoice_number=first.number or None,
        invoice_date=first.day,
        net_cents=to_cents(net),
        gross_cents=to_cents(gross),
        due_date=None,
        paid_date=None,
        note=None,
    )


def _lines(lines: list[int]) -> str:
    return ", ".join(str(line) for line in lines)


# --------------------------------------------------------------------------------------------
# Debtors and creditors (format category 16)
# --------------------------------------------------------------------------------------------


def plan_debtors(
    table: Table,
    existing: Existing,
    options: PlanOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing a DATEV debtor file as clients would add, complete, skip and refuse.

    Every debtor becomes a client (or completes one of the same name); its account number is
    remembered, so that a Buchungsstapel imported later names its client. Creditors are
    suppliers, not clients: they are left out and counted.
    """
    header = table.datev
    assert header is not None
    require_columns(table.mapping, table.header_line, DEBTOR_LABELS, (("account",),))
    plan = ImportPlan(kind="clients", table=table, rows_read=len(table.rows))
    collected = ClientList(plan, existing)
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        tick(index, total, progress, cancelled)
        reader = RowReader(row, table, DEBTOR_LABELS)
        account = _account(reader, "account")
        if account is not None and not header.debtor(account):
            plan.decisions.append(
                Decision(
                    row.line,
                    DecisionKind.IGNORED,
                    _("account {account} is no debtor (a supplier or a ledger account)").format(
                        account=account
                    ),
                )
            )
            continue
        name = _debtor_name(reader)
        values = {
            "email": reader.text("email", limit=MAX_NAME, name=True),
            "phone": reader.text("phone", limit=MAX_NAME, name=True),
            "address": _address(reader),
        }
        values = {key: value for key, value in values.items() if value}
        if reader.ok and name is not None:
            try:
                validate(ClientCreate, {"name": name, **values})
            except InputError as exc:
                reader.input_error(exc)
        if not reader.ok or name is None or account is None:
            plan.errors.extend(reader.problems)
            continue
        known = existing.accounts.get(str(account))
        if known is not None and name_key(known) != name_key(name):
            plan.decisions.append(
                Decision(
                    row.line,
                    DecisionKind.CLIENT,
                    _(
                        'account {account} is the client "{known}" (the file calls it "{name}")'
                    ).format(account=account, known=visible(known), name=visible(name)),
                )
            )
            name = known  # matched by its account: renamed in the app since
        plan.accounts[str(account)] = name
        collected.add(row.line, name, values)
    collected.finish()
    return plan


def _debtor_name(reader: RowReader) -> str | None:
    """The name of a debtor: its company name, or first and last name, or the other names."""
    person = " ".join(
        part
        for part in (
            reader.text("first_name", limit=MAX_NAME, name=True),
            reader.text("last_name", limit=MAX_NAME, name=True),
        )
        if part
    )
    for key in NAME_COLUMNS:
        name = reader.text(key, limit=MAX_NAME, name=True)
        if name:
            return name
        if key == "company" and person:
            return person
    if reader.ok:
        reader.problem("company", _("the debtor has no name"))
    return None


def _address(reader: RowReader) -> str | None:
    """Street, postcode and city, and the country, as lines of one address."""
    lines = [
        reader.text("street") or "",
        " ".join(part for part in (reader.text("postcode"), reader.text("city")) if part),
        reader.text("country") or "",
    ]
    return "\n".join(line for line in lines if line) or None
