"""The Revenue page: every invoice and credit note, by period and client, with totals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from operator import attrgetter

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from freelancer_desk import clock, formatting
from freelancer_desk.analytics.periods import (
    Period,
    calendar_year,
    custom,
    quarter,
    rolling_12_months,
)
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.money import from_cents
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services.revenue import RevenueRow
from ui import registry
from ui.context import AppContext
from ui.dialogs.records import RevenueDialog
from ui.models.table import Column, SortedRecords
from ui.record_list import RecordList
from ui.runner import Loader
from ui.widgets import DateField, confirm, show_error, show_modal

#: An overdue invoice's row: dark red on light red, readable in light and dark themes alike.
OVERDUE_TEXT = "#8a0010"
OVERDUE_BACKGROUND = "#fde2e1"
NET_CENTS = attrgetter("net_cents")


#: What the page reads in the background: the client names for the filter, the entries sorted
#: for the list, and the line with their count and total (the footer's while nothing is
#: searched).
EntriesRead = tuple[list[tuple[int, str]], SortedRecords[RevenueRow], str]


def days_overdue(row: RevenueRow) -> int:
    """Days the invoice is past due and unpaid today (0: not overdue)."""
    return row.days_overdue(clock.today())


def due_text(row: RevenueRow) -> str:
    """The due date; without one, the day the payment term makes it due, marked as such
    ("28.03.2026 (Ziel)"): an overdue invoice's row says what it is judged by."""
    if row.due_date is not None:
        return formatting.date(row.due_date)
    if row.due_by is None:
        return ""
    return _("{date} (term)").format(date=formatting.date(row.due_by))


def due_tooltip(row: RevenueRow) -> str:
    """How a due day without a due date was worked out."""
    if row.due_date is not None or row.due_by is None:
        return ""
    return ngettext(
        "No due date recorded: the invoice date plus the payment term of {days} day",
        "No due date recorded: the invoice date plus the payment term of {days} days",
        (row.due_by - row.invoice_date).days,
    ).format(days=(row.due_by - row.invoice_date).days)


def _highlight_overdue(column: Column[RevenueRow]) -> Column[RevenueRow]:
    """The column with overdue invoices marked in colour and explained in the tooltip."""
    own = column.foreground

    def foreground(row: RevenueRow) -> str | None:
        return OVERDUE_TEXT if days_overdue(row) else own(row) if own else None

    def tooltip(row: RevenueRow) -> str:
        days = days_overdue(row)
        own_tip = column.tooltip(row) if column.tooltip is not None else ""
        if not days:
            return own_tip
        overdue = ngettext(
            "Overdue: unpaid {days} day after the due date",
            "Overdue: unpaid {days} days after the due date",
            days,
        ).format(days=days)
        return "\n".join(text for text in (overdue, own_tip) if text)

    return replace(
        column,
        foreground=foreground,
        background=lambda row: OVERDUE_BACKGROUND if days_overdue(row) else None,
        tooltip=tooltip,
    )


_COLUMNS: list[Column[RevenueRow]] = [
    Column(N_("Invoice date"), lambda r: formatting.date(r.invoice_date), lambda r: r.invoice_date),
    Column(N_("Client"), lambda r: r.client_name),
    Column(N_("Invoice number"), lambda r: r.invoice_number or ""),
    Column(
        N_("Net amount"),
        lambda r: formatting.money(r.net),
        lambda r: r.net,
        numeric=True,
        foreground=lambda r: "#b00020" if r.net < 0 else None,
    ),
    Column(
        N_("Due date"),
        due_text,
        lambda r: r.due_date or r.due_by,
        tooltip=due_tooltip,
    ),
    Column(N_("Paid date"), lambda r: formatting.date(r.paid_date), lambda r: r.paid_date),
    Column(N_("Note"), lambda r: r.note or ""),
]
REVENUE_COLUMNS = [_highlight_overdue(column) for column in _COLUMNS]


def revenue_list(
    context: AppContext, layout_key: str, empty_text: str, show_client: bool = True
) -> RecordList:
    """The revenue table, newest first, with the count and total of the entries shown below
    it; the client page leaves out the client column."""
    entries = RecordList(
        REVENUE_COLUMNS,
        layout_key,
        context.preferences,
        empty_text,
        default_sort=(0, Qt.SortOrder.DescendingOrder),
        hidden_columns=() if show_client else (1,),
        runner=context.runner,
    )
    entries.add_footer(entries_total)  # follows the search
    return entries


def entries_total(entries: Iterable[RevenueRow], count: int) -> str:
    """How many entries a list shows and their net total: "3 entries, net total €1,200.00"
    (a revenue list's footer). Summed in cents, in C: a keystroke may sum 100,000 entries."""
    total = formatting.money(from_cents(sum(map(NET_CENTS, entries))))
    return ngettext(
        "{count} entry, net total {total}", "{count} entries, net total {total}", count
    ).format(count=formatting.number(count, digits=0), total=total)


def delete_entries(parent: QWidget, context: AppContext, rows: list[RevenueRow]) -> None:
    """Delete revenue entries after confirmation."""
    if not rows:
        return
    text = (
        _("Delete the entry {number} of {date} ({amount})?").format(
            number=rows[0].invoice_number or "—",
            date=formatting.date(rows[0].invoice_date),
            amount=formatting.money(rows[0].net),
        )
        if len(rows) == 1
        else ngettext(
            "Delete {count} revenue entry?", "Delete {count} revenue entries?", len(rows)
        ).format(count=len(rows))
    )
    if not confirm(parent, _("Delete revenue"), text, _("Delete")):
        return
    try:
        for row in rows:
            revenue_service.delete_entry(context.db, row.id)
    except Exception as error:
        show_error(parent, error)
    context.changed()


#: Period choices of the filter: key, label.
PERIODS = [
    ("rolling", N_("Last 12 months")),
    ("this_year", N_("This year")),
    ("last_year", N_("Last year")),
    ("this_quarter", N_("This quarter")),
    ("all", N_("All")),
    ("custom", N_("From … to …")),
]


class RevenuePage(QWidget):
    """All entries, filtered by period and client, with the sum of what is shown."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.period = QComboBox()
        for key, text in PERIODS:
            self.period.addItem(_(text), key)
        self.client = QComboBox()
        #: The clients the filter offers, as last read (None: not filled yet).
        self._client_names: list[tuple[int, str]] | None = None
        self.date_from = DateField()
        self.date_to = DateField()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(_("Period:")))
        filters.addWidget(self.period)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("–"))
        filters.addWidget(self.date_to)
        filters.addWidget(QLabel(_("Client:")))
        filters.addWidget(self.client, 1)
        import_menu = registry.menu_path(registry.IMPORT)
        #: The empty list's hint, and the one for a database without clients: an entry
        #: needs a client, so the first step is a client.
        self._no_entries = _(
            "No revenue entries here. Add one with “New entry” (Ctrl+Shift+N) or import your "
            "invoices with {import_menu}."
        ).format(import_menu=import_menu)
        self._no_clients = _(
            "No clients yet. Each entry belongs to a client, so add one first: press “New "
            "entry” (Ctrl+Shift+N) and choose “New client…” as the client, or use the Clients "
            "page. Or import your invoices with {import_menu}."
        ).format(import_menu=import_menu)
        self.list = revenue_list(context, "revenue", self._no_entries)
        self.list.add_button(_("&New entry"), self.add, "Ctrl+Shift+N", shortcut_scope=self)
        self.list.add_button(_("&Edit"), self.edit, "F2", needs_selection=True)
        self.list.add_button(
            _("&Delete"), self.delete, QKeySequence.StandardKey.Delete, needs_selection=True
        )
        self.list.activated.connect(self.edit_entry)
        self.total = self.list.footer
        self.total.setObjectName("revenueTotal")
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.list, 1)
        self.loader: Loader[EntriesRead] = Loader(
            self, context.runner, self.show_entries, busy=self.list.set_loading
        )
        self.period.currentIndexChanged.connect(self._period_changed)
        self.client.currentIndexChanged.connect(self.refresh)
        self.date_from.changed.connect(self.refresh)
        self.date_to.changed.connect(self.refresh)
        self._period_changed()

    def selected_period(self) -> Period | None:
        """The period the filter names (None for all time)."""
        today = clock.today()
        key = self.period.currentData()
        if key == "rolling":
            return rolling_12_months(today)
        if key == "this_year":
            return calendar_year(today.year)
        if key == "last_year":
            return calendar_year(today.year - 1)
        if key == "this_quarter":
            return quarter(today.year, (today.month - 1) // 3 + 1)
        if key == "custom":
            try:
                first = self.date_from.date() or dt.date(1900, 1, 1)
                last = self.date_to.date() or dt.date(2999, 12, 31)
                return custom(first, last) if last >= first else None
            except ValueError:
                return None
        return None

    def _period_changed(self) -> None:
        is_custom = self.period.currentData() == "custom"
        self.date_from.setVisible(is_custom)
        self.date_to.setVisible(is_custom)
        self.refresh()

    def _fill_clients(self, names: list[tuple[int, str]]) -> None:
        """The client filter's choices; left as they are when the names did not change
        (thousands of clients: refilling the box on every reload costs 10–20 ms)."""
        if names == self._client_names:
            return
        self._client_names = names
        current = self.client.currentData()
        self.client.blockSignals(True)
        self.client.clear()
        self.client.addItem(_("All clients"), None)
        for cid, name in names:
            self.client.addItem(name, cid)
        index = self.client.findData(current)
        self.client.setCurrentIndex(max(index, 0))
        self.client.blockSignals(False)

    def refresh(self) -> None:
        """Reload the entries for the chosen filters in the background."""
        db, period, client_id = self.context.db, self.selected_period(), self.client.currentData()
        model = self.list.model

        def read() -> EntriesRead:
            names = client_service.client_names(db)
            rows = model.presort(revenue_service.list_entries(db, period, client_id))
            return names, rows, entries_total(rows.records, len(rows))  # 100,000 amounts

        self.loader.load(read)

    def show_entries(self, read: EntriesRead) -> None:
        """Show the client names, the entries and their total ``refresh`` read."""
        names, rows, total = read
        self._fill_clients(names)
        self.list.empty.setText(self._no_entries if names else self._no_clients)
        self.list.set_records(rows, summed=total)

    def add(self) -> None:
        dialog = RevenueDialog(self.context, client_id=self.client.currentData(), parent=self)
        if show_modal(dialog):
            self.list.expect(dialog.result_value.id)
            self.context.changed()

    def edit(self) -> None:
        entry = self.list.selected()
        if entry is not None:
            self.edit_entry(entry)

    def edit_entry(self, entry: RevenueRow) -> None:
        if show_modal(RevenueDialog(self.context, entry=entry, parent=self)):
            self.context.changed()

    def delete(self) -> None:
        delete_entries(self, self.context, self.list.selected_records())

    def save_layout(self) -> None:
        self.list.save_layout()
