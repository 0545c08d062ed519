"""Lost clients and win-back (DOMAIN.md §4): the page and the contact-rules tab of a client's
page.

The page has three tabs: the lost clients with their revenue before the loss, the ranked
win-back candidates, and the win-back results (win-back rate, revenue recovered, cost per recovered
client, and the loyalty types).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, formatting
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.analytics.winback import (
    NO_ATTEMPT,
    UNSET,
    Controlling,
    LoyaltyRow,
    WinbackFigures,
)
from freelancer_desk.contact_rules import ContactPermission
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import Channel, Client, LoyaltyType, label
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.contact import permissions_for
from freelancer_desk.services.losses import LossRow
from freelancer_desk.services.winback import Candidate
from ui.context import AppContext
from ui.dialogs.winback import (
    CaseDialog,
    ConsentDialog,
    MarkLostDialog,
    ReasonCatalogueDialog,
)
from ui.models.table import Column, RecordTableModel, SortedRecords
from ui.record_list import RecordList
from ui.runner import Loader
from ui.widgets import VERDICT_COLOURS, confirm, show_error, show_modal

if TYPE_CHECKING:
    from ui.pages.clients import ClientDetail


def _outcome(row: LossRow) -> str:
    return label(row.outcome) if row.outcome else _("No case yet")


LOSS_COLUMNS: list[Column[LossRow]] = [
    Column(N_("Client"), lambda r: r.client_name),
    Column(N_("Lost on"), lambda r: formatting.date(r.lost_on), lambda r: r.lost_on),
    Column(N_("Loss type"), lambda r: label(r.loss_type)),
    Column(N_("Reason"), lambda r: r.reason_label, tooltip=lambda r: r.reason_text or ""),
    Column(
        N_("Revenue 12 months before"),
        lambda r: formatting.money(r.revenue_12m_before),
        lambda r: r.revenue_12m_before,
        numeric=True,
    ),
    Column(
        N_("Objected"),
        lambda r: _("yes") if r.objected else "",
        foreground=lambda r: "#b00020" if r.objected else None,
    ),
    Column(N_("Win-back"), _outcome),
]


def _case_state(candidate: Candidate) -> str:
    if candidate.case_id is None:
        return _("No case yet")
    if candidate.revisit_on is not None:
        return _("Not now, revisit on {date}").format(date=formatting.date(candidate.revisit_on))
    return label(candidate.outcome)


CANDIDATE_COLUMNS: list[Column[Candidate]] = [
    Column(N_("Client"), lambda c: c.loss.client_name),
    Column(
        N_("Value of trying"),
        lambda c: formatting.money(c.value) + (" *" if c.estimated else ""),
        lambda c: c.value,
        numeric=True,
        tooltip=lambda c: (
            _("* estimated: the revenue before the loss, without discount or cost")
            if c.estimated
            else ""
        ),
        foreground=lambda c: None if c.worth_trying else "#b00020",
    ),
    Column(N_("Lost on"), lambda c: formatting.date(c.loss.lost_on), lambda c: c.loss.lost_on),
    Column(N_("Loss type"), lambda c: label(c.loss.loss_type)),
    Column(N_("Reason"), lambda c: c.loss.reason_label),
    Column(N_("Case"), _case_state),
]


@dataclass(frozen=True)
class FiguresRow:
    """One line of the controlling table: a group (total, loss type, reason, channel) and
    figures."""

    #: Position of the dimension (total first), so the table keeps its order when sorted by it.
    order: int
    dimension: str
    name: str
    figures: WinbackFigures


def _cost_per(row: FiguresRow) -> str:
    cost = row.figures.cost_per_returner
    return "—" if cost is None else formatting.money(cost)


CONTROLLING_COLUMNS: list[Column[FiguresRow]] = [
    Column(N_("By"), lambda r: r.dimension, lambda r: r.order),
    Column(N_("Category"), lambda r: r.name),
    Column(N_("Cases"), lambda r: str(r.figures.cases), lambda r: r.figures.cases, numeric=True),
    Column(
        N_("Won back"),
        lambda r: str(r.figures.won_back),
        lambda r: r.figures.won_back,
        numeric=True,
    ),
    Column(
        N_("Rate"),
        lambda r: formatting.percent(float(r.figures.rate)),
        lambda r: r.figures.rate,
        numeric=True,
    ),
    Column(
        N_("Recovered revenue"),
        lambda r: formatting.money(r.figures.recovered_net),
        lambda r: r.figures.recovered_net,
        numeric=True,
        tooltip=lambda r: _("Net revenue in the 12 months after each return"),
    ),
    Column(
        N_("Cost in all"),
        lambda r: formatting.money(r.figures.cost),
        lambda r: r.figures.cost,
        numeric=True,
        tooltip=lambda r: _("Everything spent on these cases, failed tries included"),
    ),
    Column(
        N_("Cost per returner"),
        _cost_per,
        lambda r: r.figures.cost_per_returner,
        numeric=True,
        tooltip=lambda r: _(
            "What the cases won back cost (one-off cost and their attempts), divided by the "
            "clients won back"
        ),
    ),
]

#: Loyalty types in their natural order (loyal first, "Not set" last).
LOYALTY_ORDER = [str(kind) for kind in LoyaltyType] + [UNSET]

LOYALTY_COLUMNS: list[Column[LoyaltyRow]] = [
    Column(
        N_("Loyalty type"),
        lambda r: _("Not set") if r.loyalty == UNSET else label(r.loyalty),
        lambda r: LOYALTY_ORDER.index(r.loyalty),
    ),
    Column(N_("Clients"), lambda r: str(r.clients), lambda r: r.clients, numeric=True),
    Column(
        N_("Revenue (12 months)"), lambda r: formatting.money(r.net), lambda r: r.net, numeric=True
    ),
    Column(
        N_("Interactions (12 months)"),
        lambda r: str(r.interactions),
        lambda r: r.interactions,
        numeric=True,
    ),
]


@dataclass(frozen=True)
class LostPageData:
    """Everything the page shows, read on the worker as plain data."""

    losses: SortedRecords[LossRow]
    candidates: SortedRecords[Candidate]
    controlling: list[FiguresRow]
    loyalty: list[LoyaltyRow]


def controlling_rows(report: Controlling, reasons: dict[str, str]) -> list[FiguresRow]:
    """The controlling table: the total, then the figures by loss type, reason and channel
    (none at all while there are no cases); ``reasons`` names the reason codes."""
    if not report.total.cases:
        return []
    rows = [FiguresRow(0, _("Total"), _("All cases"), report.total)]
    for order, (dimension, groups, name) in enumerate(
        (
            (_("Loss type"), report.by_loss_type, label),
            (_("Reason"), report.by_reason, lambda code: reasons.get(code) or code),
            (
                _("Channel"),
                report.by_channel,
                lambda key: _("No attempt") if key == NO_ATTEMPT else label(key),
            ),
        ),
        start=1,
    ):
        rows.extend(
            FiguresRow(order, dimension, name(key), figures) for key, figures in groups.items()
        )
    return rows


def read_lost_page(
    db: Database,
    today: dt.date,
    losses: RecordTableModel[LossRow],
    candidates: RecordTableModel[Candidate],
) -> LostPageData:
    """Read the page's data as of ``today``; runs on the worker, so it touches no widget (the
    models only lend their sort order)."""
    reasons = {row.code: row.label for row in loss_service.reasons(db, include_inactive=True)}
    return LostPageData(
        losses.presort(loss_service.list_losses(db)),
        candidates.presort(winback_service.candidates(db, today)),
        controlling_rows(winback_service.controlling(db, today), reasons),
        winback_service.loyalty_overview(db, rolling_12_months(today)),
    )


def ensure_case(
    parent: QWidget, context: AppContext, loss_id: int, case_id: int | None
) -> int | None:
    """The win-back case of a loss, started if there is none yet; None (with a message) if
    refused."""
    if case_id is not None:
        return case_id
    try:
        case_id = winback_service.open_case(context.db, loss_id).id
    except DeskError as error:
        show_error(parent, error, _("No win-back"))
        return None
    context.changed()
    return case_id


def open_case_for(parent: QWidget, context: AppContext, loss_id: int, case_id: int | None) -> None:
    """Open the win-back case of a loss in its dialog, starting one if there is none yet."""
    case_id = ensure_case(parent, context, loss_id, case_id)
    if case_id is not None:
        show_modal(CaseDialog(context, case_id, parent))


class LostClientsPage(QWidget):
    """Lost clients, ranked win-back candidates and the controlling, in three tabs."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.losses = RecordList(
            LOSS_COLUMNS,
            "losses",
            context.preferences,
            _(
                "No lost clients — good. When a client leaves, record it with “Mark client lost” "
                "(Ctrl+Shift+N): why they left tells you whether and how to win them back."
            ),
            default_sort=(1, Qt.SortOrder.DescendingOrder),
        )
        self.losses.add_button(
            _("&Mark client lost…"), self.mark_lost, "Ctrl+Shift+N", shortcut_scope=self
        )
        self.losses.add_button(_("&Edit"), self.edit_loss, "F2", needs_selection=True)
        self.losses.add_button(_("&Win back…"), self.win_back, needs_selection=True)
        self.losses.add_button(
            _("&Delete"), self.delete_loss, QKeySequence.StandardKey.Delete, needs_selection=True
        )
        self.losses.add_button(_("&Reasons…"), self.edit_reasons)
        self.losses.activated.connect(lambda _row: self.win_back())

        self.candidates = RecordList(
            CANDIDATE_COLUMNS,
            "winback-candidates",
            context.preferences,
            _(
                "No one to win back right now. Lost clients appear here, best value first, unless "
                "they closed down, objected, were won back or you gave up."
            ),
            searchable=False,
            default_sort=(1, Qt.SortOrder.DescendingOrder),
        )
        self.candidates.add_button(_("&Open case…"), self.open_candidate, needs_selection=True)
        self.candidates.activated.connect(lambda _c: self.open_candidate())
        self.candidates.add_caption(
            _(
                "Value = potential × (1 − discount) − win-back cost − care cost; "
                "worth trying when positive."
            )
        )

        self.controlling = RecordList(
            CONTROLLING_COLUMNS,
            "winback-controlling",
            context.preferences,
            _("No win-back cases yet."),
            searchable=False,
        )
        self.loyalty = RecordList(
            LOYALTY_COLUMNS,
            "loyalty-types",
            context.preferences,
            _("No clients yet."),
            searchable=False,
        )
        self.loyalty.add_caption(
            _("Loyalty types: turn conditionally loyal clients into loyal ones.")
        )
        controlling = QWidget()
        controlling_layout = QVBoxLayout(controlling)
        controlling_layout.addWidget(self.controlling, 3)
        controlling_layout.addWidget(self.loyalty, 2)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.losses, _("Lost clients"))
        self.tabs.addTab(self.candidates, _("Win-back candidates"))
        self.tabs.addTab(controlling, _("Win-back results"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.loader: Loader[LostPageData] = Loader(
            self, context.runner, self.show_data, busy=self._set_loading
        )
        self.refresh()

    def refresh(self) -> None:
        """Reload all three tabs in the background (2,000 clients take seconds to read)."""
        db, today = self.context.db, clock.today()
        models = (self.losses.model, self.candidates.model)
        self.loader.load(lambda: read_lost_page(db, today, *models))

    def _set_loading(self, loading: bool) -> None:
        for table in self.tables():
            table.set_loading(loading)

    def show_data(self, data: LostPageData) -> None:
        """Fill the tabs with what ``refresh`` read."""
        self.losses.set_records(data.losses)
        self.candidates.set_records(data.candidates)
        self.controlling.set_records(data.controlling)
        self.loyalty.set_records(data.loyalty)

    def tables(self) -> tuple[RecordList, ...]:
        return (self.losses, self.candidates, self.controlling, self.loyalty)

    def mark_lost(self) -> None:
        mark_lost(self, self.context)

    def edit_loss(self) -> None:
        row = self.losses.selected()
        if row is not None:
            edit_loss(self, self.context, row)

    def win_back(self) -> None:
        row = self.losses.selected()
        if row is not None:
            open_case_for(self, self.context, row.id, row.case_id)

    def open_candidate(self) -> None:
        candidate = self.candidates.selected()
        if candidate is not None:
            open_case_for(self, self.context, candidate.loss.id, candidate.case_id)

    def delete_loss(self) -> None:
        row = self.losses.selected()
        if row is None:
            return
        text = _("Delete the loss of {name} of {date} with its win-back case and attempts?").format(
            name=row.client_name, date=formatting.date(row.lost_on)
        )
        if confirm(self, _("Delete loss"), text, _("Delete")):
            loss_service.delete_loss(self.context.db, row.id)
            self.context.changed()

    def edit_reasons(self) -> None:
        show_modal(ReasonCatalogueDialog(self.context, self))
        self.context.changed()

    def save_layout(self) -> None:
        for table in self.tables():
            table.save_layout()


def edit_loss(parent: QWidget, context: AppContext, loss: LossRow) -> None:
    """Open a loss to correct it."""
    if show_modal(MarkLostDialog(context, loss=loss, parent=parent)):
        context.changed()


def mark_lost(parent: QWidget, context: AppContext, client_id: int | None = None) -> None:
    """Mark a client lost: the one given (its page), or one the user chooses (the list).

    A client who is lost already is not marked twice: the user may open that loss instead.
    """
    if client_id is not None:
        lost = loss_service.current_loss(context.db, client_id)
        if lost is not None:
            if confirm(
                parent,
                _("Lost already"),
                loss_service.AlreadyLostError(lost).message,
                _("Open that loss"),
                QMessageBox.Icon.Information,
            ):
                edit_loss(parent, context, lost)
            return
    dialog = MarkLostDialog(context, client_id=client_id, parent=parent)
    if show_modal(dialog):
        context.changed()
    elif dialog.open_instead is not None:
        edit_loss(parent, context, dialog.open_instead)


def mark_client_lost(page: ClientDetail, client_id: int) -> None:
    """Client page button: mark this client lost."""
    mark_lost(page, page.context, client_id)


# --------------------------------------------------------------------------------------------
# Client page tab: contact rules
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactRules:
    """What the contact-rules tab shows: the verdict per channel and the client's dates."""

    permissions: dict[Channel, ContactPermission]
    client: Client


class ContactRulesTab(QWidget):
    """May I contact this client? The verdict per channel with the reason, and the dates."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        #: The client whose rules are shown (None before the first).
        self.client_id: int | None = None
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(16)
        self.grid.setColumnStretch(2, 1)
        for column, text in enumerate((_("Channel"), _("Today"), _("Why"))):
            heading = QLabel(f"<b>{html.escape(text)}</b>")
            self.grid.addWidget(heading, 0, column)
        self.cells: list[tuple[QLabel, QLabel, QLabel]] = []
        for row in range(len(Channel)):
            cells = (QLabel(), QLabel(), QLabel())
            cells[2].setWordWrap(True)
            for column, cell in enumerate(cells):
                cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                self.grid.addWidget(cell, row + 1, column)
            self.cells.append(cells)
        self.dates = QLabel()
        self.dates.setObjectName("contactDates")
        self.dates.setWordWrap(True)
        edit = QPushButton(_("Edit consent and objection…"))
        edit.clicked.connect(self.edit)
        bottom = QHBoxLayout()
        bottom.addWidget(self.dates, 1)
        bottom.addWidget(edit)
        rules = QWidget()
        rules_layout = QVBoxLayout(rules)
        rules_layout.setContentsMargins(0, 0, 0, 0)
        rules_layout.addLayout(self.grid)
        rules_layout.addStretch(1)
        area = QScrollArea()  # the reasons wrap to several lines in a small window
        area.setWidget(rules)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.viewport().setAutoFillBackground(False)  # the tab's own background shows through
        rules.setAutoFillBackground(False)
        layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        layout.addLayout(bottom)

    def title(self) -> str:
        return _("Contact rules")

    def rows(self) -> list[tuple[str, str, str]]:
        """(channel, verdict, reason) as shown, for reading the tab in tests and tools."""
        return [(a.text(), b.text(), c.text()) for a, b, c in self.cells]

    def read(self, db: Database, client_id: int, today: dt.date) -> ContactRules:
        """The verdicts and the client's dates, read with the rest of the client's page on the
        worker."""
        return ContactRules(
            permissions_for(db, client_id, today), client_service.get_client(db, client_id)
        )

    def show_data(self, data: ContactRules) -> None:
        for (channel_cell, verdict_cell, reason_cell), (channel, permission) in zip(
            self.cells, data.permissions.items(), strict=True
        ):
            channel_cell.setText(label(channel))
            verdict_cell.setText(permission.verdict_label)
            verdict_cell.setStyleSheet(
                f"color: {VERDICT_COLOURS[permission.verdict]}; font-weight: bold;"
            )
            reason_cell.setText(permission.reason)
        client, none = data.client, _("not recorded")
        self.client_id = client.id
        self.dates.setText(
            _("Email consent: {email} · Phone consent: {phone} · Objection: {objection}").format(
                email=formatting.date(client.email_consent_on) or none,
                phone=formatting.date(client.phone_consent_on) or none,
                objection=formatting.date(client.objection_on) or none,
            )
        )

    def edit(self) -> None:
        if self.client_id is not None and show_modal(
            ConsentDialog(self.context, self.client_id, self)
        ):
            self.context.changed()
