"""The Clients page: the searchable client list and, one click away, a client's own page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedLayout,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, collector, formatting
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError, NotFoundError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.models import Client, ClientStatus, Interaction, field_label, label
from freelancer_desk.services import client_page
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import groups as group_service
from freelancer_desk.services import interactions as interaction_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services.client_page import Overview
from freelancer_desk.services.clients import ClientRow
from freelancer_desk.services.revenue import RevenueRow
from ui import registry
from ui.context import AppContext
from ui.dialogs.records import ClientDialog, InteractionDialog, RevenueDialog, mood_text
from ui.flow_layout import FlowLayout
from ui.models.table import Column, RecordTableModel, SortedRecords
from ui.pages.client_overview import STATUS_COLOURS, ClientHeader
from ui.pages.revenue import delete_entries, revenue_list
from ui.record_list import RecordList
from ui.runner import Loader
from ui.widgets import add_shortcut, confirm, empty_state, show_error, show_modal

#: The status filter's entry for the do-not-contact list (objected or erased clients).
DO_NOT_CONTACT = "do_not_contact"
DO_NOT_CONTACT_COLOUR = "#b00020"


def status_text(row: ClientRow) -> str:
    """The status in words, with the returner and do-not-contact marks."""
    text = label(row.status)
    if row.returner and row.status != ClientStatus.WON_BACK:
        text += " · " + _("returner")
    if row.do_not_contact:
        text += " · " + _("do not contact")
    return text


def status_tooltip(row: ClientRow) -> str:
    """The status with its reasons, one per line (the status's own words)."""
    return "\n".join([status_text(row), *(text.render() for text in row.reasons)])


CLIENT_COLUMNS: list[Column[ClientRow]] = [
    Column(N_("Name"), lambda r: r.name),
    Column(
        N_("Status"),
        status_text,
        lambda r: list(ClientStatus).index(r.status),
        tooltip=status_tooltip,
        foreground=lambda r: STATUS_COLOURS.get(r.status),
    ),
    Column(
        N_("Revenue (12 months)"),
        lambda r: formatting.money(r.net_12m),
        lambda r: r.net_12m,
        numeric=True,
    ),
    Column(N_("Last invoice"), lambda r: formatting.date(r.last_invoice), lambda r: r.last_invoice),
    Column(N_("Why"), lambda r: r.why(), tooltip=status_tooltip),
    Column(N_("Kind"), lambda r: label(r.kind)),
    Column(N_("Group"), lambda r: r.group or ""),
    Column(N_("Contact person"), lambda r: r.contact_person or ""),
    Column(N_("Email"), lambda r: r.email or ""),
    Column(N_("Tags"), lambda r: r.tags or ""),
]

#: The client's facts above the tabs: contact data on the left, the rest on the right.
FACT_COLUMNS = (
    ("kind", "group_id", "contact_person", "email", "phone"),
    ("address", "loyalty", "tags", "notes"),
)

#: At most this share of the client page's height goes to the header and the facts at first:
#: at 1366×768 a lost client's header and facts show whole, and the tabs keep room for five entries.
FACTS_SHARE = 0.62

INTERACTION_COLUMNS: list[Column[Interaction]] = [
    Column(N_("Date"), lambda i: formatting.date(i.date), lambda i: i.date),
    Column(N_("What happened"), lambda i: label(i.kind)),
    Column(N_("Channel"), lambda i: label(i.channel)),
    Column(N_("Mood"), lambda i: mood_text(i.mood), lambda i: i.mood),
    Column(
        N_("Notes"), lambda i: (i.notes or "").replace("\n", " "), tooltip=lambda i: i.notes or ""
    ),
]


#: The client page's button that opens the client's form (where a client is archived).
EDIT_CLIENT = N_("Ed&it client")


def archive_path() -> str:
    """Where a client is archived, in the words of the button and the form it opens:
    "Edit client ▸ Archive"."""
    return f"{registry.plain_title(EDIT_CLIENT)} ▸ {_('Archive')}"


def delete_client(parent: QWidget, context: AppContext, row_id: int, name: str) -> bool:
    """Delete a client after a clear confirmation; True when deleted."""
    entries = len(revenue_service.list_entries(context.db, client_id=row_id))
    text = ngettext(
        "Delete {name} together with {count} revenue entry, all interactions, losses, "
        "feedback requests and reminders?\n\nThis cannot be undone. To keep the figures, "
        "archive the client instead ({archive}).",
        "Delete {name} together with {count} revenue entries, all interactions, losses, "
        "feedback requests and reminders?\n\nThis cannot be undone. To keep the figures, "
        "archive the client instead ({archive}).",
        entries,
    ).format(name=name, count=entries, archive=archive_path())
    if not confirm(parent, _("Delete client"), text, _("Delete client")):
        return False
    try:
        client_service.delete_client(context.db, row_id)
    except NotFoundError as error:
        show_error(parent, error)
    except DeskError as error:  # no backup could be made: nothing was deleted
        show_error(parent, error, _("The client was not deleted"))
        return False
    else:
        window = parent.window()
        if isinstance(window, QMainWindow):
            text = _("{name} deleted. A backup was taken first.")
            window.statusBar().showMessage(text.format(name=name), 15_000)
    context.changed()
    return True


class ClientTab(Protocol):
    """A tab of the client's page (``registry.CLIENT_TABS``): built once with the page, it
    reads each client's data on the worker with the rest of the page."""

    def title(self) -> str:
        """The tab's title."""

    def read(self, db: Database, client_id: int, today: dt.date) -> object:
        """Read the tab's data (on the worker: no widget)."""

    def show_data(self, data: Any) -> None:
        """Show what ``read`` returned (on the GUI thread)."""


@dataclass(frozen=True)
class ClientPageData:
    """Everything a client's page shows, read in one go off the GUI thread."""

    client: Client
    row: ClientRow
    groups: dict[int | None, str]
    #: In the order of the page's lists, with their first texts made (off the GUI thread).
    entries: SortedRecords[RevenueRow]
    interactions: SortedRecords[Interaction]
    overview: Overview
    #: Per extra tab, what its ``read`` returned.
    tabs: list[object]


def read_client_page(
    db: Database,
    client_id: int,
    today: dt.date,
    tabs: Sequence[ClientTab],
    lists: tuple[RecordTableModel[RevenueRow], RecordTableModel[Interaction]],
) -> ClientPageData | None:
    """Read a client's page as of ``today``; None when the client no longer exists. The
    entries and interactions come sorted for ``lists`` (their models) with their texts made:
    formatting a hundred entries on the GUI thread kept the page from reacting."""
    entries, interactions = lists
    try:
        return ClientPageData(
            client=client_service.get_client(db, client_id),
            row=client_service.client_row(db, client_id),
            groups={group.id: group.name for group in group_service.list_groups(db)},
            entries=entries.presort(revenue_service.list_entries(db, client_id=client_id)),
            interactions=interactions.presort(interaction_service.list_for_client(db, client_id)),
            overview=client_page.overview(db, client_id, today),
            tabs=[tab.read(db, client_id, today) for tab in tabs],
        )
    except NotFoundError:
        return None


class ClientsPage(QStackedWidget):
    """The client list; a client's page replaces it until Back (Alt+Left or Esc)."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.status_filter = QComboBox()
        self.status_filter.addItem(_("All except archived"), "current")
        self.status_filter.addItem(_("All"), None)
        for status in ClientStatus:
            self.status_filter.addItem(label(status), status.value)
        self.status_filter.addItem(_("Do not contact"), DO_NOT_CONTACT)
        self.status_filter.setItemData(
            self.status_filter.count() - 1,
            _("Clients who objected to any contact, and erased clients"),
            Qt.ItemDataRole.ToolTipRole,
        )
        self.list = RecordList(
            CLIENT_COLUMNS,
            "clients",
            context.preferences,
            _(
                "No clients yet.\n\nAdd your first client with “New client” (Ctrl+N), or import "
                "a client list or your invoices with {import_menu}."
            ).format(import_menu=registry.menu_path(registry.IMPORT)),
        )
        self.list.bar.insertWidget(1, self.status_filter)
        # The tags stand in the last column, off-screen in a narrow window: say they count.
        self.list.search.setPlaceholderText(_("Search names, contacts, tags … (Ctrl+F)"))
        self.list.add_button(_("&New client"), self.new_client)
        self.list.add_button(_("&Open"), self.open_selected, needs_selection=True)
        self.list.add_button(
            _("&Delete"),
            self.delete_selected,
            QKeySequence.StandardKey.Delete,
            needs_selection=True,
        )
        self.list.activated.connect(lambda row: self.show_client(row.id))
        self.status_filter.currentIndexChanged.connect(self._apply_status_filter)
        self.addWidget(self.list)
        self.detail: ClientDetail | None = None
        #: Builds a client's page a piece at a time once the list is shown, so that opening
        #: the first client does not wait for all of it.
        self._preparing = QTimer(self)
        self._preparing.setInterval(0)
        self._preparing.timeout.connect(self._prepare_client_page)
        self._apply_status_filter()
        self.loader: Loader[SortedRecords[ClientRow]] = Loader(
            self, context.runner, self._show_rows, busy=self.list.set_loading
        )
        self.refresh()

    def _show_rows(self, rows: SortedRecords[ClientRow]) -> None:
        self.list.set_records(rows)
        if self.detail is None:
            self._preparing.start()

    def _prepare_client_page(self) -> None:
        """One piece of the client's page, between the events of the window."""
        if not self._client_page().build_a_piece():
            self._preparing.stop()

    def _client_page(self) -> ClientDetail:
        """The client's page, begun if it was not (``ClientDetail.show_client`` completes it)."""
        if self.detail is None:
            self.detail = ClientDetail(self.context)
            self.detail.back.connect(self.show_list)
            self.detail.gone.connect(self.show_list)
            self.addWidget(self.detail)
        return self.detail

    def _apply_status_filter(self) -> None:
        wanted = self.status_filter.currentData()
        if wanted is None:
            self.list.proxy.set_rule(None)
        elif wanted == "current":
            self.list.proxy.set_rule(lambda row: row.status != ClientStatus.ARCHIVED)
        elif wanted == DO_NOT_CONTACT:
            self.list.proxy.set_rule(lambda row: row.do_not_contact)
        else:
            self.list.proxy.set_rule(lambda row: row.status == wanted)

    def refresh(self) -> None:
        """Reload the list (and the open client's page) in the background."""
        db, today, model = self.context.db, clock.today(), self.list.model
        self.loader.load(lambda: model.presort(steps_service.explained_client_rows(db, today)))
        if self.detail is not None and self.currentWidget() is self.detail:
            self.detail.refresh()

    def new_client(self) -> None:
        dialog = ClientDialog(self.context, parent=self)
        if show_modal(dialog):
            self.context.changed()
            self.show_client(dialog.result_value.id)

    def open_selected(self) -> None:
        row = self.list.selected()
        if row is not None:
            self.show_client(row.id)

    def delete_selected(self) -> None:
        row = self.list.selected()
        if row is not None:
            delete_client(self, self.context, row.id, row.name)

    def show_status(self, status: str) -> None:
        """The client list with the clients of one status only."""
        self.status_filter.setCurrentIndex(max(self.status_filter.findData(status), 0))
        self.list.search.clear()
        self.setCurrentWidget(self.list)  # not ``show_list``: it would undo the filter for
        self.list.table.setFocus()  # a client last shown of another status

    def show_client(self, client_id: int) -> None:
        """Show one client's page. It is built once, mostly while the list is shown, and then
        shows one client after another: building it for each client kept the window from
        reacting for a tenth of a second."""
        self._preparing.stop()
        detail = self._client_page()
        detail.show_client(client_id)
        self.setCurrentWidget(detail)
        detail.refresh()

    def show_start(self) -> None:
        """The user picked "Clients" in the navigation: the list, also from a client's page
        (with that client selected); a list already shown keeps its selection."""
        if self.currentWidget() is not self.list:
            self.show_list()

    def show_list(self) -> None:
        """The client list with the client last shown chosen. When an old search or the
        status filter hides that client (opened from the dashboard, say), they are cleared:
        else Down and Return would act on a client chosen before."""
        self.setCurrentWidget(self.list)
        if self.detail is not None and self.detail.client_id is not None:
            client_id = self.detail.client_id
            is_it = lambda row: row.id == client_id  # noqa: E731
            if not self.list.select_where(is_it) and any(map(is_it, self.list.model.records())):
                self.list.search.clear()
                if not self.list.select_where(is_it):
                    self.status_filter.setCurrentIndex(self.status_filter.findData(None))
                    self.list.select_where(is_it)
        self.list.table.setFocus()

    def save_layout(self) -> None:
        self.list.save_layout()
        if self.detail is not None and self.detail.client_id is not None:  # a page was seen
            self.detail.save_layout()


class ClientDetail(QWidget):
    """One client: contact data, revenue entries and the interaction log."""

    #: The user wants the client list again.
    back = Signal()
    #: The client no longer exists (deleted or merged elsewhere): the list takes over.
    gone = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        #: The client shown (None until ``show_client``).
        self.client_id: int | None = None
        self.client: Client | None = None
        self.loader: Loader[ClientPageData | None] = Loader(
            self, context.runner, self.show_data, busy=self._set_busy
        )
        # Until a client's data are read, "Loading …" covers the page: nothing of the client
        # shown before stays in view under another client's name.
        self._curtain = QStackedLayout(self)
        self._curtain.addWidget(empty_state(_("Loading …")))
        #: The rest of the page, built a piece at a time (``build_a_piece``) or at once
        #: (``finish_building``); ``complete`` once all of it is.
        self._pieces = self._build()
        self.complete = False

    def build_a_piece(self) -> bool:
        """Build the next piece of the page; False once the page is complete. Each piece
        takes a few milliseconds: the window stays responsive while the page is prepared."""
        with collector.many_records():  # it lives as long as the page: no collector passes
            try:
                next(self._pieces)
            except StopIteration:
                return False
        return True

    def finish_building(self) -> None:
        """Build what is left of the page."""
        while self.build_a_piece():
            pass

    def _build(self) -> Iterator[None]:
        """The page's widgets, yielding between pieces."""
        context = self.context

        back = QPushButton("← " + _("All clients"))
        back.setToolTip(_("Back to the client list (Alt+Left)"))
        back.clicked.connect(self.back)
        add_shortcut(self, "Alt+Left", self.back.emit, Qt.ShortcutContext.WindowShortcut)
        add_shortcut(self, "Esc", self._escape, Qt.ShortcutContext.WindowShortcut)
        self.title = QLabel()
        self.title.setObjectName("clientTitle")
        self.title.setStyleSheet("font-size: 18pt; font-weight: bold;")
        self.badge = QLabel()
        edit = QPushButton(_(EDIT_CLIENT))
        edit.clicked.connect(self.edit)
        add_shortcut(self, "Ctrl+E", self.edit, Qt.ShortcutContext.WindowShortcut)
        delete = QPushButton(_("Delete client"))
        delete.clicked.connect(self.delete)
        top = QHBoxLayout()
        top.addWidget(back)
        top.addWidget(self.title, 1)
        top.addWidget(self.badge)
        # The buttons get a row of their own, wrapping when narrow: with the areas' actions and
        # German labels they would squeeze the client's name off the title row.
        actions = FlowLayout()
        actions.addWidget(edit)
        #: Buttons that make no sense once the client's personal data are erased.
        self._not_for_erased = [edit]
        for spec in registry.CLIENT_ACTIONS:
            button = QPushButton(_(spec.title))
            # The handler's module loads on the first click: the dossier's would bring
            # reportlab in while the page opens.
            button.clicked.connect(lambda _c=False, path=spec.handler: self._act(path))
            actions.addWidget(button)
            if not spec.for_erased:
                self._not_for_erased.append(button)
        actions.addStretch(1)
        actions.addWidget(delete)
        self.erased_note = QLabel(
            _(
                "The personal data of this client were erased on request. Only anonymous "
                "figures remain, so the client can no longer be edited, marked as lost or "
                "contacted."
            )
        )
        self.erased_note.setObjectName("erasedNote")
        self.erased_note.setWordWrap(True)
        self.erased_note.hide()

        yield
        # Contact data in two columns, scrolled when long, above the tabs in a splitter: at the
        # minimum window size the tables keep room and long notes do not push them away.
        facts = QWidget()
        columns = QHBoxLayout(facts)
        columns.setContentsMargins(0, 0, 0, 0)
        self._fact_labels: dict[str, QLabel] = {}
        for column_keys in FACT_COLUMNS:
            form = QFormLayout()
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for key in column_keys:
                value = QLabel()
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setWordWrap(True)
                form.addRow(field_label(key) + ":", value)
                self._fact_labels[key] = value
            columns.addLayout(form, 1)
        yield
        self.header = ClientHeader(context)
        top_pane = QWidget()
        top_layout = QVBoxLayout(top_pane)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.header)
        top_layout.addWidget(facts)
        self._facts = top_pane
        self._facts_fitted = False
        facts_area = self._facts_area = QScrollArea()
        facts_area.setWidget(top_pane)
        facts_area.setWidgetResizable(True)
        facts_area.setFrameShape(QFrame.Shape.NoFrame)

        yield
        self.tabs = QTabWidget()
        self.revenue = revenue_list(
            context,
            "client-revenue",
            _("No revenue for this client yet. Add an invoice with “New entry”."),
            show_client=False,
        )
        self.revenue.add_button(
            _("&New entry"), self.add_entry, "Ctrl+Shift+N", shortcut_scope=self
        )
        self.revenue.add_button(_("&Edit"), self.edit_entry, "F2", needs_selection=True)
        self.revenue.add_button(
            _("&Delete"), self.delete_entries, QKeySequence.StandardKey.Delete, needs_selection=True
        )
        self.revenue.activated.connect(self._edit_entry)
        self.revenue_total = self.revenue.footer
        self.tabs.addTab(self.revenue, _("Revenue"))

        yield
        self.interactions = RecordList(
            INTERACTION_COLUMNS,
            "client-interactions",
            context.preferences,
            _(
                "No interactions logged. Note calls, mails and meetings with “Log contact” — "
                "especially what annoyed or pleased the client."
            ),
            default_sort=(0, Qt.SortOrder.DescendingOrder),
        )
        self._not_for_erased.append(
            self.interactions.add_button(
                _("&Log contact"), self.add_interaction, "Ctrl+L", shortcut_scope=self
            )
        )
        self.interactions.add_button(_("&Edit"), self.edit_interaction, "F2", needs_selection=True)
        self.interactions.add_button(
            _("&Delete"),
            self.delete_interactions,
            QKeySequence.StandardKey.Delete,
            needs_selection=True,
        )
        self.interactions.activated.connect(self._edit_interaction)
        self.tabs.addTab(self.interactions, _("Interactions"))

        self.extra_tabs: list[ClientTab] = []
        for path in registry.CLIENT_TABS:
            yield
            tab = registry.load(path)(context)  # type: ignore[operator]  # a tab entry names a class taking the context
            self.extra_tabs.append(tab)
            self.tabs.addTab(tab, tab.title())
        yield

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("clientSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(facts_area)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.erased_note)
        layout.addWidget(self.splitter, 1)
        self._curtain.insertWidget(0, content)
        self._curtain.setCurrentIndex(1)
        yield
        # Styled now, not when first shown: that took longer than any piece here.
        for widget in (content, *content.findChildren(QWidget)):
            widget.ensurePolished()
        self.complete = True

    def _escape(self) -> None:
        """Esc clears a search typed on the page first, then goes back to the client list."""
        focused = QApplication.focusWidget()
        if isinstance(focused, QLineEdit) and focused.text() and self.isAncestorOf(focused):
            focused.clear()
        else:
            self.back.emit()

    def _act(self, handler: str) -> None:
        """Run a client action of ``registry.CLIENT_ACTIONS`` on this client."""
        registry.load(handler)(self, self.client_id)  # type: ignore[operator]  # an action entry names a function(page, client_id)

    def _fit_facts(self) -> None:
        """Give the facts the height they need, up to 40 % of the room; the tabs get the rest."""
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        self._facts_fitted = True
        wanted = self._facts.heightForWidth(self.splitter.width())
        if wanted <= 0:
            wanted = self._facts.sizeHint().height()
        facts = min(wanted, int(total * FACTS_SHARE))
        self.splitter.setSizes([facts, total - facts])

    def show_client(self, client_id: int) -> None:
        """Show this client here, from the Revenue tab as a newly opened page does; the page
        is covered until the client's data are read (``refresh``)."""
        self.finish_building()
        self.client_id = client_id
        self.client = None
        self.header.start_over()
        self._facts_area.verticalScrollBar().setValue(0)
        self._curtain.setCurrentIndex(1)
        self.tabs.setCurrentIndex(0)
        self._facts_fitted = False
        for records in (self.revenue, self.interactions):
            records.start_over()

    def refresh(self) -> None:
        """Reload everything in the background; ``gone`` when the client no longer exists."""
        db, client_id, today = self.context.db, self.client_id, clock.today()
        if client_id is None:
            return
        tabs = list(self.extra_tabs)
        lists = (self.revenue.model, self.interactions.model)
        self.loader.load(lambda: read_client_page(db, client_id, today, tabs, lists))

    def _set_busy(self, busy: bool) -> None:
        for records in (self.revenue, self.interactions):
            records.set_loading(busy)

    def show_data(self, data: ClientPageData | None) -> None:
        """Show what ``read_client_page`` read (None: the client is gone)."""
        if data is None:
            self.gone.emit()
            return
        client = self.client = data.client
        self.title.setText(client.name)
        for button in self._not_for_erased:
            button.setEnabled(not client.erased)
        self.erased_note.setVisible(client.erased)
        row = data.row
        self.badge.setText(status_text(row))
        colour = DO_NOT_CONTACT_COLOUR if row.do_not_contact else STATUS_COLOURS.get(row.status)
        self.badge.setStyleSheet(f"color: {colour or '#1b5e20'}; font-weight: bold;")
        values = {
            "kind": label(client.kind),
            "group_id": data.groups.get(client.group_id, "—") if client.group_id else "—",
            "loyalty": label(client.loyalty) or "—",
            # The salutation the messages use, in front of the name: "Frau Anna Meyer".
            "contact_person": " ".join(
                text for text in (label(client.salutation), client.contact_person or "") if text
            )
            if client.contact_person
            else "—",
        }
        for key, widget in self._fact_labels.items():
            widget.setText(values.get(key) or (getattr(client, key) or "—"))
        self.revenue.set_records(data.entries)
        self.interactions.set_records(data.interactions)
        self.header.show_overview(data.overview)
        for tab, tab_data in zip(self.extra_tabs, data.tabs, strict=True):
            tab.show_data(tab_data)
        if self._curtain.currentIndex() != 0:
            # Shown in a turn of its own: filled and shown in one, the page kept the window
            # from reacting for a tenth of a second the first time.
            QTimer.singleShot(0, self, self._lift_curtain)  # not once the page is gone

    def _lift_curtain(self) -> None:
        """Show the client's page once filled, with the keys on its entries."""
        if self.client is None:  # another client was asked for meanwhile
            return
        self._curtain.setCurrentIndex(0)
        if self.isVisible():  # keys act on this client, not on a hidden page; once left
            self.revenue.table.setFocus()  # (Esc before the data came), the list keeps them
        if not self._facts_fitted:
            # Laid out and fitted now: fitted in a later turn, the facts jumped once shown.
            self._curtain.activate()
            self._fit_facts()

    def edit(self) -> None:
        if self.client is None or self.client.erased:
            return
        if show_modal(ClientDialog(self.context, self.client, self)):
            self.context.changed()

    def delete(self) -> None:
        if (
            self.client is not None
            and self.client_id is not None
            and delete_client(self, self.context, self.client_id, self.client.name)
        ):
            self.back.emit()

    def add_entry(self) -> None:
        dialog = RevenueDialog(self.context, client_id=self.client_id, parent=self)
        if show_modal(dialog):
            self.revenue.expect(dialog.result_value.id)
            self.context.changed()

    def edit_entry(self) -> None:
        entry = self.revenue.selected()
        if entry is not None:
            self._edit_entry(entry)

    def _edit_entry(self, entry: RevenueRow) -> None:
        if show_modal(RevenueDialog(self.context, entry=entry, parent=self)):
            self.context.changed()

    def delete_entries(self) -> None:
        delete_entries(self, self.context, self.revenue.selected_records())

    def add_interaction(self) -> None:
        if self.client is not None and self.client.erased:
            return  # nothing new is noted about an erased person (the button is disabled)
        if self.client_id is not None and show_modal(
            InteractionDialog(self.context, self.client_id, parent=self)
        ):
            self.context.changed()

    def edit_interaction(self) -> None:
        interaction = self.interactions.selected()
        if interaction is not None:
            self._edit_interaction(interaction)

    def _edit_interaction(self, interaction: Interaction) -> None:
        if self.client_id is not None and show_modal(
            InteractionDialog(self.context, self.client_id, interaction, self)
        ):
            self.context.changed()

    def delete_interactions(self) -> None:
        chosen = self.interactions.selected_records()
        if not chosen:
            return
        text = ngettext(
            "Delete {count} logged interaction?", "Delete {count} logged interactions?", len(chosen)
        ).format(count=len(chosen))
        if confirm(self, _("Delete interactions"), text, _("Delete")):
            for interaction in chosen:
                interaction_service.delete_interaction(self.context.db, interaction.id)
            self.context.changed()

    def save_layout(self) -> None:
        self.revenue.save_layout()
        self.interactions.save_layout()
        for tab in self.extra_tabs:
            save = getattr(tab, "save_layout", None)
            if callable(save):
                save()
