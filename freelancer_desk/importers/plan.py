"""What an import will do, as plain data, and the pieces both importers share.

Planning is pure: it takes the located table and a snapshot of what the database already holds
(``Existing``) and returns an ``ImportPlan`` — new clients, new records, duplicates, errors with
line and column — without touching the database. The dry run shows the plan; the real import
plans again inside its one write transaction and writes exactly what that plan says.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from freelancer_desk.errors import DeskError, InputError
from freelancer_desk.formatting import money
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.fields import ColumnMap
from freelancer_desk.importers.reading import ImportFileError, SourceRow
from freelancer_desk.importers.table import Table
from freelancer_desk.importers.values import (
    FIRST_YEAR,
    LAST_YEAR,
    SPLIT_BY_COMMA,
    THREE_DECIMALS,
    TWO_READINGS,
    AmbiguousDateError,
    DateOrder,
    YearOutOfRange,
    amount_doubt,
    check_year,
    detect_date_order,
    first_control,
    parse_date,
    parse_rate,
    parse_yes_no,
    visible,
)
from freelancer_desk.models import MAX_TEXT, check_amount, check_no_nul
from freelancer_desk.money import parse_amount
from freelancer_desk.names import fold, loose_key
from freelancer_desk.settings import DeskSettings

#: ``progress(done, total)`` is called now and then while rows are read or written.
Progress = Callable[[int, int], None]
#: ``cancelled()`` returns True when the user wants to stop; nothing is written then.
Cancelled = Callable[[], bool]

T = TypeVar("T")
N = TypeVar("N", int, Decimal)

#: Rows between two progress reports and cancel checks.
TICK = 2000


class ImportCancelled(DeskError):
    """The user cancelled; the database is as it was."""

    def __init__(self) -> None:
        super().__init__(_("The import was cancelled; nothing was written."))


class DateOrderNeeded(ImportFileError):
    """Slashed dates such as ``01/02/2025`` that the rows do not decide: ask day/month order."""

    def __init__(self, columns: Sequence[str], example: str) -> None:
        self.columns = tuple(columns)
        self.example = example
        super().__init__(
            _(
                "Column {columns}: dates such as {example} can be read as day/month or month/day, "
                "and no row decides it. Choose the date order (day first or month first)."
            ).format(
                columns=", ".join(f'"{visible(c)}"' for c in self.columns), example=visible(example)
            )
        )


@dataclass(frozen=True)
class MarkedRow:
    """A row marked Gutschrift, Korrektur or Storno with a positive amount (its sign is open)."""

    line: int
    mark: str
    client: str
    number: str
    amount: Decimal

    def describe(self) -> str:
        """``Line 3: "Gutschrift" GS-7, Weber IT, 500.00 €``."""
        what = ", ".join(visible(part) for part in (self.number, self.client) if part)
        return _('Line {line}: "{mark}" {what}, {amount}').format(
            line=self.line, mark=visible(self.mark), what=what, amount=money(self.amount)
        )


class CreditNoteChoiceNeeded(ImportFileError):
    """Positive amounts marked as credit notes: are they credit notes or self-billing invoices?"""

    def __init__(self, rows: Sequence[MarkedRow]) -> None:
        self.rows = tuple(rows)
        lines = ", ".join(str(row.line) for row in self.rows[:20])
        if len(self.rows) > 20:
            lines += ", …"
        super().__init__(
            ngettext(
                "Line {lines} is marked Gutschrift, Korrektur or Storno but has a positive "
                "amount. A Gutschrift can be a credit note (less revenue) or a self-billing "
                "invoice your client issued (revenue): choose which it is.",
                "Lines {lines} are marked Gutschrift, Korrektur or Storno but have positive "
                "amounts. A Gutschrift can be a credit note (less revenue) or a self-billing "
                "invoice your client issued (revenue): choose which they are.",
                len(self.rows),
            ).format(lines=lines)
        )


@dataclass(frozen=True)
class PlanOptions:
    """Choices that are not in the file: the day of the import, the slashed-date order, and
    what positive amounts marked as credit notes are."""

    as_of: dt.date
    date_order: DateOrder | None = None
    credit_notes: CreditNotes | None = None


class DecisionKind(StrEnum):
    """What the import decided about a row, shown in the dry run before anything is written."""

    #: Skipped: the invoice was cancelled (or bookings cancel each other out).
    CANCELLED = "cancelled"
    #: Skipped: a draft, never issued.
    DRAFT = "draft"
    #: The import set the sign (a credit note, a self-billing Gutschrift, a booking's side).
    SIGN = "sign"
    #: The net amount was worked out from the gross amount, with these VAT rates.
    NET_FROM_GROSS = "net"
    #: Several bookings of one document number form one invoice.
    COMBINED = "combined"
    #: Left out: bookings that are not revenue (bank, expenses, taxes), creditors.
    IGNORED = "ignored"
    #: Which client an account number stands for.
    CLIENT = "client"
    #: Skipped: a totals or footer line below the data ("Summe", "Total").
    FOOTER = "footer"


DECISION_LABELS: dict[DecisionKind, str] = {
    DecisionKind.CANCELLED: N_("skipped as cancelled"),
    DecisionKind.DRAFT: N_("skipped as a draft"),
    DecisionKind.SIGN: N_("sign set"),
    DecisionKind.NET_FROM_GROSS: N_("net from gross"),
    DecisionKind.COMBINED: N_("bookings combined"),
    DecisionKind.IGNORED: N_("left out"),
    DecisionKind.CLIENT: N_("client of an account"),
    DecisionKind.FOOTER: N_("skipped as a totals row"),
}


@dataclass(frozen=True)
class Decision:
    """One decision the import took about a line of the file, in the user's words.

    ``vat_percent``: the one VAT rate a net amount was worked out with (``NET_FROM_GROSS``),
    for a program to read without parsing ``detail``.
    """

    line: int
    kind: DecisionKind
    detail: str
    vat_percent: Decimal | None = None

    @property
    def label(self) -> str:
        """The kind of decision, translated."""
        return _(DECISION_LABELS[self.kind])

    def message(self) -> str:
        """``Line 7 (skipped as cancelled): status "storniert"``."""
        return _("Line {line} ({what}): {detail}").format(
            line=self.line, what=self.label, detail=self.detail
        )


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported: its line, the column at fault (header text), the reason."""

    line: int
    column: str
    reason: str

    def message(self) -> str:
        """``Line 7, column "Datum": "31.13.2025" is not a valid date``."""
        if self.column:
            return _('Line {line}, column "{column}": {reason}').format(
                line=self.line, column=visible(self.column), reason=self.reason
            )
        return _("Line {line}: {reason}").format(line=self.line, reason=self.reason)


@dataclass(frozen=True)
class Duplicate:
    """A row already present: in the database (``other_line`` None) or earlier in the file."""

    line: int
    client: str
    what: str
    other_line: int | None = None

    def message(self) -> str:
        """What is skipped and why."""
        if self.other_line is None:
            return _("Line {line}: {client}, {what} is already present").format(
                line=self.line, client=visible(self.client), what=visible(self.what)
            )
        return _("Line {line}: {client}, {what} is the same as line {other}").format(
            line=self.line,
            client=visible(self.client),
            what=visible(self.what),
            other=self.other_line,
        )


class VatSource(StrEnum):
    """Where the VAT rate of a net amount worked out from a gross one came from."""

    #: The usual rate of the settings.
    USUAL = "usual"
    #: The client's own rate (a client at 7 %, or 0 % for reverse charge).
    CLIENT = "client"
    #: No VAT: the settings say small business (§19 UStG).
    SMALL_BUSINESS = "small_business"


@dataclass(frozen=True)
class VatRates:
    """The VAT rates the settings give, in percent: the usual one and the clients' own ones.

    Used where a file has gross amounts but says nothing about VAT (a gross-only invoice
    list, a bank statement). A small business (§19 UStG) charges none, whatever a client's rate.
    """

    usual: Decimal
    #: Client id → the client's own rate.
    clients: Mapping[int, Decimal] = field(default_factory=dict)
    small_business: bool = False

    @classmethod
    def of(cls, settings: DeskSettings, client_rates_bp: Mapping[int, int]) -> VatRates:
        """The rates of ``settings`` and of the clients with a rate of their own (basis points)."""
        return cls(
            usual=settings.vat_percent(),
            clients={client: settings.vat_percent(bp) for client, bp in client_rates_bp.items()},
            small_business=settings.vat_scheme == "small_business",
        )

    def for_client(self, client_id: int | None) -> tuple[Decimal, VatSource]:
        """The rate for a client (None: a client not in the database yet) and where it is from."""
        if self.small_business:
            return Decimal(0), VatSource.SMALL_BUSINESS
        if client_id is not None and client_id in self.clients:
            return self.clients[client_id], VatSource.CLIENT
        return self.usual, VatSource.USUAL


@dataclass(frozen=True)
class ExistingClient:
    """A client already in the database, with its fields (for filling gaps on a clients import)."""

    id: int
    name: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Existing:
    """A snapshot of what the database holds, read once per import."""

    clients: dict[str, ExistingClient] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)
    #: (client id, invoice number) of every entry with a number.
    numbered: AbstractSet[tuple[int, str]] = frozenset()
    #: (client id, invoice date, net cents) of every entry.
    plain: AbstractSet[tuple[int, dt.date, int]] = frozenset()
    #: DATEV debtor accounts of the file's books and the names of their clients.
    accounts: dict[str, str] = field(default_factory=dict)
    #: The VAT rates of the settings, for gross amounts a file gives without VAT.
    vat: VatRates = field(default_factory=lambda: VatRates.of(DeskSettings(), {}))


@dataclass(slots=True)
class EntryDraft:
    """A revenue entry to add; ``client`` is an existing client id or the key of a new client.

    While a row is read, ``client`` holds the name as written; planning then resolves it.
    """

    line: int
    client: int | str
    invoice_number: str | None
    invoice_date: dt.date
    net_cents: int
    gross_cents: int | None
    due_date: dt.date | None
    paid_date: dt.date | None
    note: str | None


@dataclass(frozen=True)
class ClientDraft:
    """A client to add (``client_id`` None) or the empty fields of an existing one to fill."""

    line: int
    client_id: int | None
    name: str
    values: dict[str, Any]
    group: str | None = None


@dataclass
class ImportPlan:
    """Everything an import will do, and everything it will not do and why."""

    kind: str
    table: Table
    rows_read: int = 0
    new_clients: list[str] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    clients: list[ClientDraft] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    likely_duplicates: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    date_order: DateOrder | None = None
    #: What the import decided about rows: skipped as cancelled, signs set, net from gross …
    decisions: list[Decision] = field(default_factory=list)
    #: Account numbers (DATEV debtors) and the name of the client each stands for.
    accounts: dict[str, str] = field(default_factory=dict)
    #: Lines skipped because they name a client erased on request (each also has a notice).
    erased_lines: list[int] = field(default_factory=list)

    def decided(self, kind: DecisionKind) -> int:
        """How many decisions of ``kind`` the plan holds."""
        return sum(1 for decision in self.decisions if decision.kind is kind)

    @property
    def bad_lines(self) -> list[int]:
        """Lines with at least one error, in order."""
        return sorted({problem.line for problem in self.errors})

    @property
    def additions(self) -> int:
        """Records the import adds (entries or new clients)."""
        if self.kind == "revenue":
            return len(self.entries)
        return sum(1 for draft in self.clients if draft.client_id is None)

    @property
    def updates(self) -> int:
        """Existing clients whose empty fields the import fills."""
        return sum(1 for draft in self.clients if draft.client_id is not None)

    def summary(self, done: bool = False) -> str:
        """One line: rows read, added (``done``) or to add, skipped, errors, new clients, ..."""
        added = _("added: {count}") if done else _("to add: {count}")
        parts = [
            _("rows read: {count}").format(count=self.rows_read),
            added.format(count=self.additions),
        ]
        if self.updates:
            completed = (
                _("clients completed: {count}") if done else _("clients to complete: {count}")
            )
            parts.append(completed.format(count=self.updates))
        parts.append(_("skipped as already present: {count}").format(count=len(self.duplicates)))
        if cancelled := self.decided(DecisionKind.CANCELLED):
            parts.append(_("skipped as cancelled: {count}").format(count=cancelled))
        if drafts := self.decided(DecisionKind.DRAFT):
            parts.append(_("skipped as drafts: {count}").format(count=drafts))
        if ignored := self.decided(DecisionKind.IGNORED):
            parts.append(_("left out (not revenue, no client): {count}").format(count=ignored))
        if self.erased_lines:
            parts.append(
                _("skipped as erased on request: {count}").format(count=len(self.erased_lines))
            )
        if self.errors:
            errors = (
                _("rows left out (errors): {count}") if done else _("rows with errors: {count}")
            )
            parts.append(errors.format(count=len(self.bad_lines)))
        if self.kind == "revenue":
            parts.append(_("new clients: {count}").format(count=len(self.new_clients)))
        elif self.new_groups:
            parts.append(_("new groups: {count}").format(count=len(self.new_groups)))
        text = " · ".join(parts)
        mapping = self.table.mapping
        if mapping.duplicates:
            text += " · " + _("columns named twice (only the first is read): {columns}").format(
                columns=", ".join(visible(column) for column in mapping.duplicates)
            )
        if mapping.unrecognised:
            text += " · " + _("unrecognised columns (ignored): {columns}").format(
                columns=", ".join(visible(column) for column in mapping.unrecognised)
            )
        return text


def check_cancelled(cancelled: Cancelled | None) -> None:
    """Stop with ``ImportCancelled`` when the user asked to."""
    if cancelled is not None and cancelled():
        raise ImportCancelled()


def tick(index: int, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
    """Report progress and honour a cancel request every ``TICK`` rows."""
    if index % TICK:
        return
    check_cancelled(cancelled)
    if progress is not None:
        progress(index, total)


def missing_columns(
    mapping: ColumnMap, labels: dict[str, str], needed: Sequence[Sequence[str]]
) -> list[tuple[str, str]]:
    """(field names, first key) of each needed group without a column (one field per group)."""
    return [
        (_(" or ").join(_(labels[key]) for key in group), group[0])
        for group in needed
        if not any(mapping.index(key) is not None for key in group)
    ]


def require_columns(
    mapping: ColumnMap, header_line: int, labels: dict[str, str], needed: Sequence[Sequence[str]]
) -> None:
    """Refuse a file without a column for a required field, naming the first one missing."""
    for names, key in missing_columns(mapping, labels, needed)[:1]:
        raise ImportFileError(
            _(
                "Line {line} (header row): there is no column for {field}. Name the column "
                'with a mapping, e.g. "Column header={key}".'
            ).format(line=header_line, field=names, key=key)
        )


def resolve_date_order(
    table: Table, fields: Iterable[str], given: DateOrder | None
) -> DateOrder | None:
    """The day/month order of the file's slashed dates: given, decided by the rows, or asked."""
    if given is not None:
        return given
    columns = [index for key in fields if (index := table.mapping.index(key)) is not None]
    values = sorted(frozenset().union(*(table.distinct(index) for index in columns)))
    order, needs_choice = detect_date_order(values)  # files repeat dates: distinct ones suffice
    if needs_choice:
        example = next(value for value in values if _is_ambiguous(value))
        headers = [table.mapping.header[index] for index in columns]
        raise DateOrderNeeded(headers, example)
    return order


def _is_ambiguous(value: str) -> bool:
    try:
        parse_date(value)
    except AmbiguousDateError:
        return True
    except ValueError:
        return False
    return False


class RowReader:
    """Reads the mapped cells of one row and collects every problem with its column.

    ``decimal`` is the decimal separator the file's amounts show (``values.decimal_separator``);
    it decides amounts such as ``1.234`` that could be read two ways.
    """

    __slots__ = ("cells", "decimal", "delimiter", "labels", "mapping", "problems", "row")

    def __init__(
        self, row: SourceRow, table: Table, labels: dict[str, str], decimal: str | None = None
    ) -> None:
        self.row = row
        self.mapping = table.mapping
        self.delimiter = table.delimiter
        self.labels = labels
        self.decimal = decimal
        self.problems: list[RowProblem] = []
        cells, width = row.cells, len(row.cells)
        keys, pick, needed = self.mapping.picker
        if width >= needed:
            self.cells = dict(zip(keys, pick(cells), strict=True)) if keys else {}
        else:  # a short row: the missing cells are empty
            self.cells = {
                key: cells[i] if i < width else "" for key, i in self.mapping.columns.items()
            }
        self._check_shape()

    def _check_shape(self) -> None:
        """A row with more cells than the header, or one cell that swallowed whole lines."""
        row, width = self.row, len(self.mapping.header)
        if any(row.cells[width:]):
            reason = _("the row has {cells} cells, the header row {width}").format(
                cells=len(row.cells), width=width
            )
            if self.delimiter == ",":
                reason += " " + _(
                    "(an amount such as 234,56 with a decimal comma is cut in two in a "
                    "comma-separated file; put such amounts in quotes)"
                )
            self.problems.append(RowProblem(row.line, "", reason))
        joined = "".join(row.cells)
        if "\n" not in joined and "\r" not in joined:
            return  # the usual row: no cell holds a line break
        for cell in row.cells:
            if "\n" not in cell and "\r" not in cell:
                continue
            lines = _LINE_BREAKS.split(cell)
            if any(line.count(self.delimiter) >= max(2, width - 1) for line in lines[1:]):
                self.problems.append(
                    RowProblem(
                        row.line,
                        "",
                        _(
                            "a quote in this line closes only on line {end}, so the lines in "
                            "between are read as part of one cell; check the quotes"
                        ).format(
                            end=row.line + sum(len(_LINE_BREAKS.findall(c)) for c in row.cells)
                        ),
                    )
                )
                break

    @property
    def ok(self) -> bool:
        """No problem so far."""
        return not self.problems

    def problem(self, key: str, reason: str) -> None:
        """Note a problem with the column that feeds ``key``."""
        column = self.mapping.header_of(key) or _(self.labels.get(key, key))
        self.problems.append(RowProblem(self.row.line, column, reason))

    def missing(self, key: str) -> None:
        """Note that a needed value is empty."""
        self.problem(key, _("{field} is missing").format(field=_(self.labels[key])))

    def raw(self, key: str) -> str:
        """The cell that feeds ``key`` ("" when the file has no such column)."""
        return self.cells.get(key, "")

    def text(
        self, key: str, limit: int = MAX_TEXT, required: bool = False, name: bool = False
    ) -> str | None:
        """Trimmed text, None when empty; too long or NUL characters are problems.

        A ``name`` (of a client, a group, a person) may hold no control characters at all:
        a line break or terminal escape in a name would garble every list and message.
        """
        value = self.raw(key)
        if not value:
            if required:
                self.missing(key)
            return None
        if len(value) > limit:
            self.problem(key, _("is too long (at most {limit} characters)").format(limit=limit))
            return None
        control = first_control(value) if name else None
        if control is not None:
            self.problem(
                key,
                _('"{value}" holds a control character ({char}); a name may not').format(
                    value=_shorten(value), char=control
                ),
            )
            return None
        try:
            return check_no_nul(value)
        except ValueError as exc:
            self.problem(key, str(exc))
            return None

    def convert(
        self,
        key: str,
        reader: Callable[[str], T],
        message: str,
        required: bool = False,
        **extra: object,
    ) -> T | None:
        """The cell read by ``reader``; None when empty, or when ``reader`` raises ValueError.

        ``message`` (untranslated ``N_`` text with ``{value}`` and the ``extra`` placeholders)
        is the problem noted for a value ``reader`` refuses; it is translated only then.
        A ``YearOutOfRange`` is passed on for ``date`` to explain.
        """
        value = self.cells.get(key, "")
        if not value:
            if required:
                self.missing(key)
            return None
        try:
            return reader(value)
        except YearOutOfRange:
            raise
        except ValueError:
            self.problem(key, _(message).format(value=_shorten(value), **extra))
            return None

    def date(self, key: str, order: DateOrder | None, required: bool = False) -> dt.date | None:
        """A date in any of the accepted forms, in the years 1990 to 2100."""
        try:
            return self.convert(
                key,
                lambda value: check_year(parse_date(value, order)),
                N_('"{value}" is not a valid date (write e.g. 31.12.2025 or 2025-12-31)'),
                required,
            )
        except YearOutOfRange as exc:
            self.problem(
                key,
                _('"{value}": the year {year} lies outside {first}–{last}').format(
                    value=_shorten(self.raw(key)),
                    year=exc.args[0],
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            )
            return None

    def amount(self, key: str) -> Decimal | None:
        """A money amount (two decimals at most, within range), None when empty.

        An amount that could be read two ways (``1.234``: a thousand and more, or a sub-cent
        amount; in a comma-separated file the remains of ``1.234,56``) is refused.
        """
        value = self.cells.get(key, "")
        if not value:
            return None
        doubt = amount_doubt(value, self.decimal, self.delimiter)
        if doubt is not None:
            self.problem(key, _(_DOUBTS[doubt]).format(value=_shorten(value)))
            return None
        parsed = self.convert(
            key, parse_amount, N_('"{value}" is not an amount (write e.g. 1.234,56 or 1234.56)')
        )
        try:
            return check_amount(parsed)
        except ValueError as exc:
            reason = _('"{value}" {reason}').format(value=_shorten(value), reason=exc)
            self.problem(key, reason)
            return None

    def rate(self, key: str) -> Decimal | None:
        """A VAT rate in percent (0 to 100), None when empty."""
        return self.convert(
            key,
            lambda value: _within(parse_rate(value), 0, 100),
            N_('"{value}" is not a VAT rate (write e.g. 19 or 19 %)'),
        )

    def yes_no_or_date(self, key: str, order: DateOrder | None) -> dt.date | bool | None:
        """A date, or True/False for yes/no, None when empty (consent and objection columns)."""
        try:
            return parse_yes_no(self.raw(key)) if self.raw(key) else None
        except ValueError:
            return self.date(key, order)

    def choice(self, key: str, words: dict[str, str]) -> str | None:
        """The stored value a word stands for (``Privatperson`` → ``private``), None when empty."""
        return self.convert(
            key,
            _word_in(words),
            N_('"{value}" is not one of: {choices}'),
            choices=", ".join(sorted(set(words.values()))),
        )

    def whole_number(self, key: str, low: int, high: int) -> int | None:
        """A whole number in range (``14`` or ``14 Tage``), None when empty."""
        return self.convert(
            key,
            lambda value: _within(int(_leading_number(value)), low, high),
            N_('"{value}" is not a whole number from {low} to {high}'),
            low=low,
            high=high,
        )

    def input_error(self, error: InputError) -> None:
        """A validation error of the record, reported at the column of its field."""
        self.problem(error.field, error.message)


def _within(number: N, low: int, high: int) -> N:
    """``number`` when ``low <= number <= high``; ValueError otherwise."""
    if not low <= number <= high:
        raise ValueError(number)
    return number


def _leading_number(value: str) -> str:
    """The digits of ``14`` or ``14 Tage``; ValueError for anything else."""
    match = re.fullmatch(r"(\d{1,6})(?:\s*\w+)?", value)
    if match is None:
        raise ValueError(value)
    return match.group(1)


def _word_in(words: dict[str, str]) -> Callable[[str], str]:
    """A reader of choice words: the stored value of a word, ValueError for an unknown one."""

    def read(value: str) -> str:
        key = fold(value).replace("-", " ").strip(" .")
        if key not in words:
            raise ValueError(value)
        return words[key]

    return read


def _shorten(value: str, limit: int = 40) -> str:
    """A cell value short enough to quote in a message, control characters written out."""
    return visible(value if len(value) <= limit else value[: limit - 1] + "…")


_LINE_BREAKS = re.compile(r"\r\n|\r|\n")
#: Why an amount that could be read two ways is refused (``values.amount_doubt``).
_DOUBTS = {
    SPLIT_BY_COMMA: N_(
        '"{value}" may be what is left of an amount such as 1.234,56 cut in two at its comma '
        "(the file is comma-separated); write amounts as 1234.56, or put them in quotes"
    ),
    THREE_DECIMALS: N_(
        '"{value}" has three decimal places as the file writes amounts; amounts have at most two'
    ),
    TWO_READINGS: N_(
        '"{value}" can be read as more than a thousand or as less than ten; write it with two '
        "decimal places (1.234,00 or 1,234.00)"
    ),
}


# --------------------------------------------------------------------------------------------
# Likely duplicate clients
# --------------------------------------------------------------------------------------------


def likely_duplicates(
    new_names: Sequence[str], other_names: Sequence[str]
) -> list[tuple[str, str]]:
    """Pairs (new name, similar name) that are probably one client spelt two ways.

    Similar means the same without legal form and punctuation (``Müller GmbH`` / ``Mueller``),
    or nearly the same letters (a typo) with the same numbers in them (``Kunde 12`` and
    ``Kunde 13`` are two clients). Only names that share their first letter are compared, so
    that thousands of clients stay fast. Shown to the user to merge; never merged here.
    """
    pool = list(dict.fromkeys([*other_names, *new_names]))
    keys = {name: loose_key(name) for name in pool}
    blocks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in pool:
        if keys[name]:
            blocks[_block(keys[name])].append(name)
    pairs: list[tuple[str, str]] = []
    seen: set[frozenset[str]] = set()
    for name in new_names:
        key = keys[name]
        if not key:
            continue
        matcher = difflib.SequenceMatcher(None, "", key, autojunk=False)
        for other in blocks[_block(key)]:
            other_key = keys[other]
            if other == name or frozenset((name, other)) in seen or fold(other) == fold(name):
                continue  # itself, reported already, or the same client by the matching rule
            matcher.set_seq1(other_key)
            similar = key == other_key or (
                min(len(key), len(other_key)) >= 5
                and matcher.real_quick_ratio() >= SIMILAR
                and matcher.quick_ratio() >= SIMILAR
                and matcher.ratio() >= SIMILAR
            )
            if similar:
                seen.add(frozenset((name, other)))
                pairs.append((name, other))
    return pairs


#: How alike two loose keys must be (difflib ratio) to count as a likely duplicate.
SIMILAR = 0.88


def _block(key: str) -> tuple[str, str]:
    """Names are only compared within a block: same first letter, same numbers."""
    return key[0], "".join(ch for ch in key if ch.isdigit())
