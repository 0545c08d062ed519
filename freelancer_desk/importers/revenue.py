"""Planning a revenue import: invoices and credit notes from an invoicing tool or spreadsheet.

Each row becomes one revenue entry of a client. Clients are matched by name ignoring case,
spacing and umlaut spelling, and created on the fly when new. An entry already present (same
client and invoice number; without a number, same client, date and net amount) is skipped, so
importing a file twice adds nothing the second time. Cancelled invoices are skipped, and the
sign of a Gutschrift is what the user chose (``documents``); every such decision, and every
net amount worked out from a gross amount (with the VAT rates of the file, or, for a file
without VAT columns, the rate of the settings), is listed in the plan.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from operator import itemgetter

from freelancer_desk.errors import InputError
from freelancer_desk.formatting import date, money, number
from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.documents import (
    CreditNotes,
    cancellation,
    credit_note_mark,
    draft,
    needs_choice,
    signed,
)
from freelancer_desk.importers.fields import REVENUE_FIELDS, VAT_PAIRS
from freelancer_desk.importers.plan import (
    Cancelled,
    CreditNoteChoiceNeeded,
    Decision,
    DecisionKind,
    Duplicate,
    EntryDraft,
    Existing,
    ImportPlan,
    MarkedRow,
    PlanOptions,
    Progress,
    RowProblem,
    RowReader,
    VatSource,
    likely_duplicates,
    require_columns,
    resolve_date_order,
    tick,
)
from freelancer_desk.importers.reading import SourceRow
from freelancer_desk.importers.table import FOOTER_LINE, Table
from freelancer_desk.importers.values import (
    DateOrder,
    check_year,
    decimal_separator,
    first_control,
    parse_date,
    visible,
    word_key,
)
from freelancer_desk.models import MAX_AMOUNT, MAX_NAME, MAX_TEXT, check_revenue_dates
from freelancer_desk.money import from_cents, net_from_gross, parse_amount, to_cents, usual_cents
from freelancer_desk.names import name_key

LABELS = {spec.key: spec.label for spec in REVENUE_FIELDS}
REVENUE_DATES = ("invoice_date", "due_date", "paid_date", "cancelled_on")
#: Amount fields of a row (the file's decimal separator is read from all of them).
AMOUNT_FIELDS = ("net", "gross", *(amount for _rate, amount in VAT_PAIRS))
#: Fields a revenue file needs a column for (one of each group).
REVENUE_REQUIRED = (("client",), ("invoice_date",), ("net", "gross"))

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
    "partial",
    "sent",
    "versendet",
    "verschickt",
    "gesendet",
    "created",
    "erstellt",
    "viewed",
    "gesehen",
}


def plan_revenue(
    table: Table,
    existing: Existing,
    options: PlanOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing ``table`` as revenue entries would add, skip and refuse.

    Plain rows are read by ``PlainRows``; every other row (cancelled, a draft, a credit
    note, net from gross, a problem) by ``RowReader`` and the functions below.
    """
    require_columns(table.mapping, table.header_line, LABELS, REVENUE_REQUIRED)
    order = resolve_date_order(table, REVENUE_DATES, options.date_order)
    resolve_credit_notes(table, options.credit_notes)
    plan = ImportPlan(kind="revenue", table=table, rows_read=len(table.rows), date_order=order)

    @functools.cache
    def decimal() -> str | None:
        """The file's decimal separator, worked out when a row is first read with care."""
        return decimal_separator(_amount_cells(table))

    plain = PlainRows(table, order)
    entries = Entries(plan, existing)
    usual = None if _has_vat_columns(table) else UsualVat(existing)
    number_column = table.mapping.header_of("invoice_number")
    total = len(table.rows)
    for index, row in enumerate(table.rows):
        tick(index, total, progress, cancelled)
        draft = plain.read(row)
        if draft is None:
            reader = RowReader(row, table, LABELS, decimal())
            skipped = _skipped(reader, order, existing)
            if skipped is not None:
                plan.decisions.append(skipped)
                continue
            draft = _read_row(reader, order, options.credit_notes, usual, plan.decisions)
            if draft is None:
                plan.errors.extend(reader.problems)
                continue
        entries.add(draft, number_column)
    entries.finish()
    plan.decisions.extend(
        Decision(line, DecisionKind.FOOTER, _("a totals or footer line, not an invoice"))
        for line, why in table.skipped
        if why == FOOTER_LINE
    )
    if plan.entries and "paid_date" not in table.mapping.columns:
        # Without it every invoice counts as unpaid, and past its due date as overdue: the
        # warning signs and the step plan would then chase a whole history of paid invoices.
        plan.notices.append(
            _(
                "The file has no column with the day of payment: its invoices count as unpaid "
                "until you mark them paid (on the Revenue page), and as overdue once they are "
                "past their due date."
            )
        )
    if progress is not None:
        progress(total, total)
    return plan


#: Columns ``PlainRows`` reads, in the order it takes them out of a row.
_PLAIN_FIELDS = (
    "client",
    "invoice_number",
    "invoice_date",
    "due_date",
    "paid_date",
    "net",
    "gross",
    "note",
    "status",
    "document_type",
    "cancelled_on",
)
#: Cents of the largest amount a record may hold (``models.MAX_AMOUNT``).
_MAX_CENTS = to_cents(MAX_AMOUNT)


class PlainRows:
    """Reads the plain rows of an invoice list, which are nearly all rows of a large file, at
    a fraction of what ``RowReader`` costs per row.

    A plain row is as wide as the header row, has no line break in a cell, names its client
    (without control characters), has an invoice date (and any due and paid date) that
    ``parse_date`` reads, in the years allowed and in order, a net amount in the usual form
    (``1.234,56``, ``1,234.56``; ``money.usual_cents``) and a gross amount, if any, in the
    same form and not smaller, texts within their limits, and no status, document type or
    cancellation date that cancels, drafts or marks a credit note. Each distinct name, date
    and status is judged once per file. ``read`` gives None for any other row: such a row
    is read by ``RowReader``, so that every problem and decision is worded in one place.
    """

    def __init__(self, table: Table, order: DateOrder | None) -> None:
        mapping = table.mapping
        self.width = len(mapping.header)
        self.order = order
        empty = self.width  # the index of the "" appended to each row: a column not mapped
        self.pick = itemgetter(*(mapping.columns.get(key, empty) for key in _PLAIN_FIELDS))
        self.names: dict[str, bool] = {}
        self.dates: dict[str, dt.date | None] = {}
        self.marks: dict[tuple[str, str], bool] = {}

    def read(self, row: SourceRow) -> EntryDraft | None:
        """The entry draft of a plain row (client still a name), or None."""
        cells = row.cells
        if len(cells) != self.width:
            return None
        joined = "".join(cells)
        if "\n" in joined or "\r" in joined:
            return None
        client, number, issued, due, paid, net, gross, note, status, kind, cancelled_on = self.pick(
            (*cells, "")
        )
        if not (client and issued and net) or cancelled_on:
            return None
        if (status or kind) and not self._unmarked(kind, status):
            return None
        if not self._name(client):
            return None
        if (number and (len(number) > MAX_NAME or "\x00" in number)) or (
            note and (len(note) > MAX_TEXT or "\x00" in note)
        ):
            return None
        invoice_date = self._date(issued)
        due_date = self._date(due) if due else None
        paid_date = self._date(paid) if paid else None
        if (
            invoice_date is None
            or (due and (due_date is None or due_date < invoice_date))
            or (paid and (paid_date is None or paid_date < invoice_date))
        ):
            return None
        net_cents = usual_cents(net)
        if net_cents is None or abs(net_cents) > _MAX_CENTS:
            return None
        gross_cents = None
        if gross:
            gross_cents = usual_cents(gross)
            if (
                gross_cents is None
                or abs(gross_cents) > _MAX_CENTS
                or net_cents * gross_cents < 0
                or abs(gross_cents) < abs(net_cents)
            ):
                return None
        return EntryDraft(  # by position: keywords cost a quarter of the reading of a row
            row.line,
            client,
            number or None,
            invoice_date,
            net_cents,
            gross_cents,
            due_date,
            paid_date,
            _note_with_status(note or None, status),
        )

    def _name(self, name: str) -> bool:
        """Whether ``name`` is a client name ``RowReader.text`` takes as it is."""
        plain = self.names.get(name)
        if plain is None:
            plain = self.names[name] = len(name) <= MAX_NAME and first_control(name) is None
        return plain

    def _date(self, text: str) -> dt.date | None:
        """The date ``RowReader.date`` reads from ``text``, or None when it has a problem."""
        try:
            return self.dates[text]
        except KeyError:
            pass
        try:
            day: dt.date | None = check_year(parse_date(text, self.order))
        except ValueError:
            day = None
        self.dates[text] = day
        return day

    def _unmarked(self, kind: str, status: str) -> bool:
        """Whether a document type and status say nothing of a cancellation, a draft or a
        credit note."""
        key = (kind, status)
        unmarked = self.marks.get(key)
        if unmarked is None:
            unmarked = self.marks[key] = not (
                cancellation(status) or draft(status) or credit_note_mark(kind, status)
            )
        return unmarked


class Entries:
    """Collects the entries of a plan: matches clients, skips entries already present.

    Shared by the invoice-list and the DATEV importer, so that both match clients and find
    duplicates alike (and a second import of either adds nothing).
    """

    def __init__(self, plan: ImportPlan, existing: Existing) -> None:
        self.plan = plan
        self.existing = existing
        self.new_names: dict[str, str] = {}
        self.seen: dict[tuple[object, ...], tuple[int, dt.date, int]] = {}

    def add(self, draft: EntryDraft, number_column: str) -> None:
        """Add ``draft`` (its client still a name), or note it as a duplicate or an error."""
        plan, existing = self.plan, self.existing
        name = str(draft.client)
        key = name_key(name)
        known = existing.clients.get(key)
        client: int | str = known.id if known else key
        number = draft.invoice_number
        identity: tuple[object, ...] = (
            (client, number) if number else (client, draft.invoice_date, draft.net_cents)
        )
        if identity in self.seen:
            shown = known.name if known else self.new_names.get(key, name)
            first_line, first_date, first_cents = self.seen[identity]
            if (first_date, first_cents) != (draft.invoice_date, draft.net_cents):
                plan.errors.append(
                    RowProblem(
                        draft.line,
                        number_column,
                        _(
                            "invoice number {number} of {client} is also on line {other}, "
                            "with other figures"
                        ).format(
                            number=visible(number or ""), client=visible(shown), other=first_line
                        ),
                    )
                )
            else:
                plan.duplicates.append(Duplicate(draft.line, shown, describe(draft), first_line))
            return
        self.seen[identity] = (draft.line, draft.invoice_date, draft.net_cents)
        if known and (
            (number and (known.id, number) in existing.numbered)
            or (not number and (known.id, draft.invoice_date, draft.net_cents) in existing.plain)
        ):
            plan.duplicates.append(Duplicate(draft.line, known.name, describe(draft)))
            return
        if not known and key not in self.new_names:
            self.new_names[key] = name
        draft.client = client
        plan.entries.append(draft)

    def finish(self) -> None:
        """Name the new clients and the likely duplicates among them."""
        self.plan.new_clients = list(self.new_names.values())
        self.plan.likely_duplicates = likely_duplicates(
            self.plan.new_clients, [client.name for client in self.existing.clients.values()]
        )


def marked_rows(table: Table) -> list[MarkedRow]:
    """The rows marked Gutschrift, Korrektur or Storno with a positive amount (not cancelled).

    Their sign is the user's decision (``PlanOptions.credit_notes``). Rows whose amount cannot
    be read are left to the planner, which reports them.
    """
    mapping = table.mapping
    columns = {key: mapping.index(key) for key in ("document_type", "status", "cancelled_on")}
    if columns["document_type"] is None and columns["status"] is None:
        return []
    found: list[MarkedRow] = []
    for row in table.rows:
        cells = {key: row.cell(i) if i is not None else "" for key, i in columns.items()}
        mark = credit_note_mark(cells["document_type"], cells["status"])
        skipped = cancellation(cells["status"]) or draft(cells["status"]) or cells["cancelled_on"]
        if mark is None or skipped:
            continue
        amount = _first_amount(row.cells, mapping.index("gross"), mapping.index("net"))
        if amount is not None and needs_choice(amount, mark):
            found.append(
                MarkedRow(
                    row.line,
                    mark,
                    _cell(row.cells, mapping.index("client")),
                    _cell(row.cells, mapping.index("invoice_number")),
                    amount,
                )
            )
    return found


def resolve_credit_notes(table: Table, choice: CreditNotes | None) -> None:
    """Raise ``CreditNoteChoiceNeeded`` when rows need the choice and none was made."""
    if choice is None:
        rows = marked_rows(table)
        if rows:
            raise CreditNoteChoiceNeeded(rows)


def _cell(cells: Sequence[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _first_amount(cells: Sequence[str], *columns: int | None) -> Decimal | None:
    """The first of ``columns`` that holds a readable amount."""
    for column in columns:
        try:
            return parse_amount(_cell(cells, column))
        except ValueError:
            continue
    return None


def _has_vat_columns(table: Table) -> bool:
    """Whether the file has a VAT rate or amount column (then its rows must say the VAT)."""
    return any(table.mapping.index(key) is not None for pair in VAT_PAIRS for key in pair)


class UsualVat:
    """The VAT rate of the settings for the rows of a file without VAT columns.

    The client's own rate wins over the usual one; a small business charges none. The
    client is looked up by the name the row gives (a new client gets the usual rate).
    """

    def __init__(self, existing: Existing) -> None:
        self.existing = existing

    def for_row(self, reader: RowReader) -> tuple[Decimal, VatSource]:
        """The rate for the client of ``reader``'s row, and where it comes from."""
        known = self.existing.clients.get(name_key(reader.raw("client")))
        return self.existing.vat.for_client(known.id if known else None)


#: How the dry run names the source of a rate from the settings.
_USUAL_VAT_DETAILS = {
    VatSource.USUAL: N_("net {net} = gross {gross} ÷ {factor} (the usual VAT rate of {rate} %)"),
    VatSource.CLIENT: N_(
        "net {net} = gross {gross} ÷ {factor} (the client's own VAT rate of {rate} %)"
    ),
    VatSource.SMALL_BUSINESS: N_(
        "net {net} = gross {gross}: no VAT as a small business (§19 UStG)"
    ),
}


def _amount_cells(table: Table) -> list[str]:
    """Every cell of the amount columns (their decimal separator is the file's)."""
    columns = [i for key in AMOUNT_FIELDS if (i := table.mapping.index(key)) is not None]
    return [row.cell(i) for row in table.rows for i in columns if row.cell(i)]


def _skipped(reader: RowReader, order: DateOrder | None, existing: Existing) -> Decision | None:
    """The decision to skip a cancelled invoice or a draft, or None for any other row.

    A cancelled invoice never happened, and a draft was never issued: neither is revenue nor
    a credit note. When an earlier import brought it in (before it was cancelled), the
    decision says so; the entry is left for the user to delete.
    """
    status = reader.raw("status")
    cancelled_on = reader.date("cancelled_on", order)
    kind = DecisionKind.CANCELLED if cancellation(status) or cancelled_on else None
    if kind is None and draft(status):
        kind = DecisionKind.DRAFT
    if kind is None:
        return None
    reader.problems.clear()  # nothing else of a skipped row matters
    why = (
        _("cancelled on {date}").format(date=date(cancelled_on))
        if cancelled_on
        else _('status "{status}"').format(status=visible(status))
    )
    client = visible(reader.raw("client"))
    number = visible(reader.raw("invoice_number"))
    detail = _("{document} of {client}: {why}").format(
        document=_("invoice {number}").format(number=number) if number else _("an invoice"),
        client=client or "?",
        why=why,
    )
    known = existing.clients.get(name_key(reader.raw("client")))
    if known and number and (known.id, reader.raw("invoice_number")) in existing.numbered:
        detail += " " + _(
            "(an earlier import brought it in as revenue; delete that entry if it was cancelled)"
        )
    return Decision(reader.row.line, kind, detail)


def _read_row(
    reader: RowReader,
    order: DateOrder | None,
    choice: CreditNotes | None,
    usual: UsualVat | None,
    decisions: list[Decision],
) -> EntryDraft | None:
    """The row as an entry draft (client still a name), or None with the problems noted.

    ``usual``: the VAT rates of the settings, for a file without VAT columns (None when the
    file has them). The decisions taken on the way (net from gross, the sign of a Gutschrift)
    are added to ``decisions`` when the row can be imported.
    """
    name = reader.text("client", limit=MAX_NAME, required=True, name=True)
    invoice_date = reader.date("invoice_date", order, required=True)
    due_date = reader.date("due_date", order)
    paid_date = reader.date("paid_date", order)
    number = reader.text("invoice_number", limit=MAX_NAME)
    note = reader.text("note")
    found: list[Decision] = []
    net, gross = _amounts(reader, choice, usual, found)
    if not reader.ok or name is None or invoice_date is None or net is None:
        return None
    try:
        check_revenue_dates(invoice_date, due_date, paid_date)
    except InputError as exc:
        reader.input_error(exc)
        return None
    decisions.extend(found)
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


def _amounts(
    reader: RowReader,
    choice: CreditNotes | None,
    usual: UsualVat | None,
    decisions: list[Decision],
) -> tuple[Decimal | None, Decimal | None]:
    """Net and gross of a row, the net worked out from the gross when needed, signs set."""
    net = reader.amount("net")
    gross = reader.amount("gross")
    if net is None and gross is not None and usual is not None:
        net = _net_by_settings(reader, gross, usual, decisions)
    elif net is None and gross is not None:
        net = _net_from_gross(reader, gross, decisions)
    elif net is None and reader.ok:
        reader.missing("net")
    if net is not None and gross is not None and (net * gross < 0 or abs(gross) < abs(net)):
        reader.problem(
            "gross",
            _("the gross amount {gross} is smaller than the net amount {net}").format(
                gross=money(gross), net=money(net)
            ),
        )
    if net is None or not reader.ok:
        return net, gross
    mark = credit_note_mark(reader.raw("document_type"), reader.raw("status"))
    shown = gross if gross is not None else net
    if needs_choice(shown, mark):
        net, gross = (
            signed(net, mark, choice),
            None if gross is None else signed(gross, mark, choice),
        )
        if choice is CreditNotes.NEGATIVE:
            detail = _('marked "{mark}" with a positive amount: a credit note, net {amount}')
        else:
            detail = _(
                'marked "{mark}" with a positive amount: a self-billing invoice, revenue, '
                "net {amount}"
            )
        decisions.append(
            Decision(
                reader.row.line,
                DecisionKind.SIGN,
                detail.format(mark=visible(mark or ""), amount=money(net)),
            )
        )
    return net, gross


def _net_from_gross(reader: RowReader, gross: Decimal, decisions: list[Decision]) -> Decimal | None:
    """The net amount of a gross amount: gross − all VAT amounts, or gross ÷ (1 + the rate).

    Up to three VAT rate/amount pairs (an invoice at 19 % and 7 %). With amounts the net is
    exact; with rates only, one rate is needed (several rates without amounts cannot say how
    the gross amount splits).
    """
    pairs = [(reader.rate(rate), reader.amount(amount), amount) for rate, amount in VAT_PAIRS]
    if not reader.ok:
        return None
    amounts = [(rate, vat) for rate, vat, _key in pairs if vat is not None]
    rates = sorted({rate for rate, vat, _key in pairs if rate is not None})
    if amounts:
        for rate, vat, key in pairs:
            if rate and vat is None:
                reader.problem(
                    key,
                    _("the VAT amount of the rate {rate} % is missing").format(rate=_rate(rate)),
                )
                return None
        net = gross - sum((vat for _rate, vat in amounts), Decimal(0))
        parts = ", ".join(
            _("{amount} VAT at {rate} %").format(amount=money(vat), rate=_rate(rate))
            if rate is not None
            else _("{amount} VAT").format(amount=money(vat))
            for rate, vat in amounts
            if vat
        )
        if parts:
            detail = _("net {net} = gross {gross} − {vat}").format(
                net=money(net), gross=money(gross), vat=parts
            )
        else:
            detail = _("net {net} = gross, without VAT").format(net=money(net))
    elif len(rates) == 1:
        return _net_at_rate(
            reader,
            gross,
            rates[0],
            N_("net {net} = gross {gross} ÷ {factor} (VAT {rate} %)"),
            decisions,
        )
    elif rates:
        reader.problem(
            "gross",
            _(
                "several VAT rates ({rates}) but no VAT amounts: how the gross amount splits "
                "between them is not known"
            ).format(rates=", ".join(f"{_rate(rate)} %" for rate in rates)),
        )
        return None
    else:
        reader.problem(
            "gross",
            _(
                "only a gross amount is given and the VAT cells are empty; write the VAT rate "
                "or amount (0 for none)"
            ),
        )
        return None
    decisions.append(Decision(reader.row.line, DecisionKind.NET_FROM_GROSS, detail))
    return net


def _net_by_settings(
    reader: RowReader, gross: Decimal, usual: UsualVat, decisions: list[Decision]
) -> Decimal:
    """The net amount of a gross amount at the rate the settings give the row's client."""
    rate, source = usual.for_row(reader)
    return _net_at_rate(reader, gross, rate, _USUAL_VAT_DETAILS[source], decisions)


def _net_at_rate(
    reader: RowReader, gross: Decimal, rate: Decimal, detail: str, decisions: list[Decision]
) -> Decimal:
    """The net amount of a gross amount at ``rate``, with the decision that says how it was
    worked out (``detail``: an untranslated text with net, gross, factor and rate)."""
    net = net_from_gross(gross, rate)
    text = _(detail).format(
        net=money(net),
        gross=money(gross),
        factor=number(1 + rate / 100, digits=2),
        rate=_rate(rate),
    )
    decisions.append(Decision(reader.row.line, DecisionKind.NET_FROM_GROSS, text, rate))
    return net


def _rate(rate: Decimal) -> str:
    """A VAT rate as the dry run shows it: ``19``, ``7``, ``5,5``."""
    return number(rate, digits=0 if rate == rate.to_integral_value() else 1)


def _note_with_status(note: str | None, status: str) -> str | None:
    """Keep a status the paid date does not tell (``Mahnung 2``, ``in Klärung``) in the note."""
    if not status or word_key(status) in PAYMENT_STATUS_WORDS:
        return note
    marker = _("Status: {status}").format(status=status)
    return f"{note} · {marker}" if note else marker


def describe(draft: EntryDraft) -> str:
    """How a message names an entry: its number, or its date and amount."""
    if draft.invoice_number:
        return _("invoice {number}").format(number=draft.invoice_number)
    return f"{date(draft.invoice_date)} {money(from_cents(draft.net_cents))}"
