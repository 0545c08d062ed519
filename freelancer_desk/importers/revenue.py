"""Planning a revenue import: invoices and credit notes from an invoicing tool or spreadsheet.

Each row becomes one revenue entry of a client. Clients are matched by name ignoring case,
spacing and umlaut spelling, and created on the fly when new. An entry already present (same
client and invoice number; without a number, same client, date and net amount) is skipped, so
importing a file twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from freelancer_desk.errors import InputError
from freelancer_desk.formatting import date, money
from freelancer_desk.i18n import _
from freelancer_desk.importers.fields import REVENUE_FIELDS
from freelancer_desk.importers.plan import (
    Cancelled,
    Duplicate,
    EntryDraft,
    Existing,
    ImportPlan,
    PlanOptions,
    Progress,
    RowProblem,
    RowReader,
    likely_duplicates,
    require_columns,
    resolve_date_order,
    tick,
)
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import DateOrder, name_key, word_key
from freelancer_desk.models import MAX_NAME, check_revenue_dates
from freelancer_desk.money import CENT, from_cents, to_cents

LABELS = {spec.key: spec.label for spec in REVENUE_FIELDS}
REVENUE_DATES = ("invoice_date", "due_date", "paid_date")
#: Fields a revenue file needs a column for (one of each group).
REVENUE_REQUIRED = (("client",), ("invoice_date",), ("net", "gross"))

#: Words in a document type or status that mark a credit note (its amount reduces revenue).
CREDIT_NOTE_WORDS = (
    "gutschrift",
    "storno",
    "korrektur",
    "creditnote",
    "creditmemo",
    "refund",
    "erstattung",
)
#: Statuses the paid date already tells (not copied into the note).
PAYMENT_STATUS_WORDS = {
    "bezahlt",
    "beglichen",
    "offen",
    "unbezahlt",
    "ueberfaellig",
    "faellig",
    "ausstehend",
    "teilbezahlt",
    "paid",
    "open",
    "unpaid",
    "overdue",
    "due",
    "outstanding",
    "partiallypaid",
}


def plan_revenue(
    table: Table,
    existing: Existing,
    options: PlanOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing ``table`` as revenue entries would add, skip and refuse."""
    mapping = table.mapping
    require_columns(mapping, table.header_line, LABELS, REVENUE_REQUIRED)
    order = resolve_date_order(table, REVENUE_DATES, options.date_order)
    plan = ImportPlan(kind="revenue", table=table, rows_read=len(table.rows), date_order=order)
    new_names: dict[str, str] = {}
    seen: dict[tuple[object, ...], tuple[int, dt.date, int]] = {}
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        tick(index, total, progress, cancelled)
        reader = RowReader(row, mapping, LABELS)
        draft = _read_row(reader, order)
        if draft is None:
            plan.errors.extend(reader.problems)
            continue
        name = str(draft.client)
        key = name_key(name)
        known = existing.clients.get(key)
        client: int | str = known.id if known else key
        number = draft.invoice_number
        identity: tuple[object, ...] = (
            (client, number) if number else (client, draft.invoice_date, draft.net_cents)
        )
        shown = known.name if known else new_names.get(key, name)
        if identity in seen:
            first_line, first_date, first_cents = seen[identity]
            if (first_date, first_cents) != (draft.invoice_date, draft.net_cents):
                plan.errors.append(
                    RowProblem(
                        row.line,
                        mapping.header_of("invoice_number"),
                        _(
                            "invoice number {number} of {client} is also on line {other}, "
                            "with other figures"
                        ).format(number=number, client=shown, other=first_line),
                    )
                )
            else:
                plan.duplicates.append(Duplicate(row.line, shown, _describe(draft), first_line))
            continue
        seen[identity] = (row.line, draft.invoice_date, draft.net_cents)
        if known and (
            (number and (known.id, number) in existing.numbered)
            or (not number and (known.id, draft.invoice_date, draft.net_cents) in existing.plain)
        ):
            plan.duplicates.append(Duplicate(row.line, shown, _describe(draft)))
            continue
        if not known and key not in new_names:
            new_names[key] = name
        draft.client = client
        plan.entries.append(draft)
    plan.new_clients = list(new_names.values())
    plan.likely_duplicates = likely_duplicates(
        plan.new_clients, [client.name for client in existing.clients.values()]
    )
    if progress is not None:
        progress(total, total)
    return plan


def _read_row(reader: RowReader, order: DateOrder | None) -> EntryDraft | None:
    """The row as an entry draft (client still a name), or None with the problems noted."""
    name = reader.text("client", limit=MAX_NAME, required=True)
    invoice_date = reader.date("invoice_date", order, required=True)
    due_date = reader.date("due_date", order)
    paid_date = reader.date("paid_date", order)
    number = reader.text("invoice_number", limit=MAX_NAME)
    note = reader.text("note")
    net, gross = _amounts(reader)
    if not reader.ok or name is None or invoice_date is None or net is None:
        return None
    try:
        check_revenue_dates(invoice_date, due_date, paid_date)
    except InputError as exc:
        reader.input_error(exc)
        return None
    return EntryDraft(
        line=reader.row.line,
        client=name,
        invoice_number=number,
        invoice_date=invoice_date,
        net_cents=to_cents(net),
        gross_cents=None if gross is None else to_cents(gross),
        due_date=due_date,
        paid_date=paid_date,
        note=_note_with_status(note, reader.raw("status")),
    )


def _amounts(reader: RowReader) -> tuple[Decimal | None, Decimal | None]:
    """Net and gross of a row; net is derived from gross with the VAT rate or amount if needed."""
    net = reader.amount("net")
    gross = reader.amount("gross")
    if net is None and gross is not None:
        rate = reader.rate("vat_rate")
        vat = reader.amount("vat_amount")
        if rate is not None:
            net = (gross * 100 / (100 + rate)).quantize(CENT, rounding=ROUND_HALF_UP)
        elif vat is not None:
            net = gross - vat
        elif reader.ok:
            reader.problem(
                "gross",
                _(
                    "only a gross amount is given; a VAT rate or VAT amount column is needed to "
                    "work out the net amount"
                ),
            )
    elif net is None and reader.ok:
        reader.missing("net")
    if net is not None and _is_credit_note(reader):
        net = -abs(net)
        gross = None if gross is None else -abs(gross)
    return net, gross


def _is_credit_note(reader: RowReader) -> bool:
    """The document type or status says credit note (Gutschrift, Storno ...)."""
    marks = f"{reader.raw('document_type')} {reader.raw('status')}"
    return marks != " " and any(word in word_key(marks) for word in CREDIT_NOTE_WORDS)


def _note_with_status(note: str | None, status: str) -> str | None:
    """Keep a status the paid date does not tell (``storniert``, ``Mahnung 2``) in the note."""
    if not status or word_key(status) in PAYMENT_STATUS_WORDS:
        return note
    marker = _("Status: {status}").format(status=status)
    return f"{note} · {marker}" if note else marker


def _describe(draft: EntryDraft) -> str:
    """How a message names an entry: its number, or its date and amount."""
    if draft.invoice_number:
        return _("invoice {number}").format(number=draft.invoice_number)
    return f"{date(draft.invoice_date)} {money(from_cents(draft.net_cents))}"
