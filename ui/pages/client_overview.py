"""The top of a client's page and its timeline (``services.client_page``).

The header says how the client stands and what to do next, without a click: the status with
its reasons, the revenue of the 12 months with its share and their changes beside a small
chart, open and overdue invoices, the channels the contact rules allow, the signs that showed
before a loss, and the next step with its actions (the same panel as on the dashboard). A lost
client's win-back case opens from here in one dialog.

The timeline tab lists everything that happened with the client, newest first, with a filter.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import formatting
from freelancer_desk.comparison import money_change, share_change
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.models import ClientStatus, label
from freelancer_desk.money import from_cents
from freelancer_desk.services import client_page
from freelancer_desk.services.client_page import EVENT_LABELS, Event, EventKind, Overview
from ui.charts import BAR, ChartView, apply_style
from ui.context import AppContext
from ui.dialogs.records import mood_text
from ui.models.table import Column, SortedRecords
from ui.pages.dashboard import show_change
from ui.pages.steps import StepPanel
from ui.record_list import RecordList
from ui.widgets import VERDICT_COLOURS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from freelancer_desk.analytics.history import QuarterTotal

#: Colours that back up (never replace) the status words (as on the Clients list).
STATUS_COLOURS = {
    ClientStatus.AT_RISK: "#b35900",
    ClientStatus.LOST: "#b00020",
    ClientStatus.SLEEPING: "#666666",
    ClientStatus.WON_BACK: "#1b7f3b",
    ClientStatus.ARCHIVED: "#888888",
}

#: Statuses whose reason names them with their day ("Lost on 3 Mar 2026 …", "Won back on …"):
#: the header leads with the reason, not with "Lost — Lost on …".
NAMED_BY_REASON = frozenset({ClientStatus.LOST, ClientStatus.WON_BACK})


def status_line(overview: Overview) -> str:
    """The header's status line (rich text): the status in bold and its colour, then its
    reasons; a status its reason names is not named twice."""
    row = overview.brief.row
    reasons = [text.render() for text in overview.reasons]
    if row.status in NAMED_BY_REASON and reasons:
        lead, rest = reasons[0], reasons[1:]
    else:
        lead, rest = label(row.status), reasons
    colour = STATUS_COLOURS.get(row.status, "#1b5e20")
    return f"<b style='color:{colour}'>{html.escape(lead)}</b>" + (
        f" — {html.escape(' '.join(rest))}" if rest else ""
    )


def _label(name: str, text: str = "") -> QLabel:
    widget = QLabel(text)
    widget.setObjectName(name)
    widget.setWordWrap(True)
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


def channels_text(overview: Overview) -> str:
    """The channels the contact rules allow today; those allowed with care marked so."""
    allowed, careful = [], []
    for channel, permission in overview.brief.permissions.items():
        if permission.verdict is Verdict.ALLOWED:
            allowed.append(label(channel))
        elif permission.verdict is Verdict.CAUTION:
            careful.append(label(channel))
    if not allowed and not careful:
        return _("Contact: no channel allowed — the contact rules block every one.")
    text = _("Contact allowed by: {channels}").format(channels=", ".join(allowed) or "—")
    if careful:
        text += " · " + _("with care: {channels}").format(channels=", ".join(careful))
    return text


def invoices_text(overview: Overview) -> str:
    """Open invoices, how many are overdue and by how much."""
    open_invoices = overview.brief.open_invoices
    if not open_invoices:
        return _("No open invoices.")
    total = sum((item.entry.net for item in open_invoices), from_cents(0))
    text = ngettext(
        "{count} open invoice over {amount} (net)",
        "{count} open invoices over {amount} (net)",
        len(open_invoices),
    ).format(count=len(open_invoices), amount=formatting.money(total))
    if overview.overdue:
        oldest = max(item.days_overdue for item in overview.overdue)
        text += ", " + ngettext(
            "{count} overdue (up to {days} days)",
            "{count} overdue (up to {days} days)",
            len(overview.overdue),
        ).format(count=len(overview.overdue), days=oldest)
    return text + "."


def draw_quarters(history: Sequence[QuarterTotal], figure: Figure) -> None:
    """The client's net revenue by quarter, the latest at the right (on the worker)."""
    from matplotlib.ticker import FuncFormatter

    axes = figure.add_subplot()
    apply_style(axes)
    names = [f"Q{item.number} {item.period.start:%y}" for item in history]
    values = [float(from_cents(item.net_cents)) for item in history]
    axes.bar(range(len(values)), values, color=BAR, width=0.7)
    axes.set_xticks(range(len(names)), names)
    axes.tick_params(labelsize=7)
    if not any(values):  # no revenue: one zero line, not "0, 0, -0" around it
        axes.set_ylim(0, 1)
        axes.set_yticks([0])
    axes.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: formatting.number(value + 0.0, digits=0))
    )


class ClientHeader(QFrame):
    """How the client stands and the next step, above the client's facts and tabs."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.overview: Overview | None = None
        self.setObjectName("clientHeader")
        self.status = _label("clientStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.look_back = _label("clientLookBack")
        self.revenue = _label("clientRevenue")
        self.revenue.setStyleSheet("font-size: 13pt;")
        self.revenue_change = _label("clientRevenueChange")
        self.share = _label("clientShare")
        self.share_change = _label("clientShareChange")
        self.invoices = _label("clientInvoices")
        self.channels = _label("clientChannels")
        self.chart = ChartView(context.runner, height=96)
        self.chart.setMinimumWidth(180)
        self.winback_button = QPushButton(_("&Win-back case…"))
        self.winback_button.setToolTip(
            _("Value, measures, incentive, goals and attempts of the win-back")
        )
        self.winback_button.clicked.connect(self.open_winback)
        self.panel = StepPanel(context)
        self.panel.offers_client = False
        self.panel.changed.connect(context.changed)
        #: Which of the client's open steps the panel shows (0: the most urgent).
        self.step_number = 0
        self.previous_button = QToolButton()
        self.previous_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.previous_button.setObjectName("clientPreviousStep")
        self.previous_button.setToolTip(_("Show the previous step"))
        self.previous_button.setAccessibleName(_("Show the previous step"))
        self.previous_button.clicked.connect(lambda: self.turn(-1))
        self.next_button = QToolButton()
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.next_button.setObjectName("clientNextStep")
        self.next_button.setToolTip(_("Show the next step"))
        self.next_button.setAccessibleName(_("Show the next step"))
        self.next_button.clicked.connect(lambda: self.turn(1))

        left = QVBoxLayout()
        left.addWidget(self.status)
        left.addWidget(self.look_back)
        for figure, change in (
            (self.revenue, self.revenue_change),
            (self.share, self.share_change),
        ):
            figure.setWordWrap(False)
            row = QHBoxLayout()
            row.addWidget(figure)
            row.addWidget(change, 1, Qt.AlignmentFlag.AlignBottom)
            left.addLayout(row)
        left.addWidget(self.chart)
        left.addWidget(self.invoices)
        left.addWidget(self.channels)
        # Straight in the column, not in a row of its own: a row with a stretch kept its
        # spacing while the button was hidden (most clients), a gap above the tabs.
        left.addWidget(self.winback_button, 0, Qt.AlignmentFlag.AlignLeft)
        left.addStretch(1)
        right = QVBoxLayout()
        self.steps_heading = QLabel()
        self.steps_heading.setObjectName("clientStepsHeading")
        self.steps_heading.setStyleSheet("font-weight: bold;")
        heading_row = QHBoxLayout()
        heading_row.addWidget(self.steps_heading, 1)
        heading_row.addWidget(self.previous_button)
        heading_row.addWidget(self.next_button)
        right.addLayout(heading_row)
        right.addWidget(self.panel)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)

    def show_overview(self, overview: Overview) -> None:
        """Show the header of ``client_page.overview`` (read by the page in the background)."""
        self.overview = overview
        self.status.setText(status_line(overview))
        loss = overview.brief.loss
        look = loss.look_back if loss is not None else None
        self.look_back.setVisible(look is not None)
        if look is not None:
            signs = " ".join(f"{sign}: {why}" for sign, why in look.lines())
            text = (
                _("Before the loss on {date}: {signs}")
                if signs
                else _("Before the loss on {date}, no warning sign showed.")
            )
            self.look_back.setText(text.format(date=formatting.date(look.day), signs=signs))
        period = overview.period
        self.revenue.setText(
            _("Revenue, 12 months: {amount}").format(
                amount=formatting.money(from_cents(overview.net_cents))
            )
        )
        show_change(
            self.revenue_change,
            money_change(overview.net_cents, overview.previous_net_cents, period),
        )
        share = overview.share
        self.share.setText(
            _("Share of your revenue: {share}").format(
                share=formatting.percent(float(share)) if share is not None else "—"
            )
        )
        show_change(self.share_change, share_change(share, overview.previous_share, period))
        self.invoices.setText(invoices_text(overview))
        overdue_colour = VERDICT_COLOURS[Verdict.BLOCKED]
        self.invoices.setStyleSheet(f"color: {overdue_colour};" if overview.overdue else "")
        self.channels.setText(channels_text(overview))
        self.winback_button.setVisible(
            loss is not None
            and overview.brief.row.status is ClientStatus.LOST
            and not overview.brief.client.erased
        )
        self.show_step()
        self.chart.plot(partial(draw_quarters, overview.brief.history))

    def start_over(self) -> None:
        """Another client follows: from their first step, and without the last one's chart
        until theirs is drawn."""
        self.step_number = 0
        self.chart.clear()

    def turn(self, by: int) -> None:
        """Show the client's previous (-1) or next (+1) open step."""
        self.step_number += by
        self.show_step()

    def show_step(self) -> None:
        """The open step ``step_number`` (kept within the plan), with where it stands."""
        steps = self.overview.brief.steps if self.overview is not None else []
        count = len(steps)
        self.step_number = min(max(self.step_number, 0), max(count - 1, 0))
        self.steps_heading.setText(
            _("Next steps: {number} of {count}").format(number=self.step_number + 1, count=count)
            if count > 1
            else _("Next step")
        )
        for button in (self.previous_button, self.next_button):
            button.setVisible(count > 1)
        self.previous_button.setEnabled(self.step_number > 0)
        self.next_button.setEnabled(self.step_number < count - 1)
        self.panel.show_step(steps[self.step_number] if steps else None)
        if not steps:
            self.panel.heading.setText(_("Nothing to do for this client right now."))

    def open_winback(self) -> None:
        """The win-back case of the latest loss (started if there is none): one dialog."""
        from ui.pages.lost import open_case_for

        overview = self.overview
        if overview is None or overview.brief.loss is None:
            return
        loss = overview.brief.loss
        open_case_for(self, self.context, loss.loss_id, loss.case_id)


# --------------------------------------------------------------------------------------------
# The timeline tab
# --------------------------------------------------------------------------------------------

EVENT_COLUMNS: list[Column[Event]] = [
    Column(N_("Date"), lambda e: formatting.date(e.day), lambda e: e.day),
    Column(N_("What happened"), lambda e: e.what.render()),
    Column(N_("Channel"), lambda e: label(e.channel) if e.channel else ""),
    Column(N_("Mood"), lambda e: mood_text(e.mood), lambda e: e.mood),
    Column(N_("Notes"), lambda e: e.note.replace("\n", " "), tooltip=lambda e: e.note),
]


class TimelineTab(QWidget):
    """Everything that happened with the client, newest first, filtered by kind."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.filter = QComboBox()
        self.filter.setObjectName("timelineFilter")
        self.filter.addItem(_("Everything"), None)
        for kind in EventKind:
            self.filter.addItem(_(EVENT_LABELS[kind]), kind.value)
        self.list = RecordList(
            EVENT_COLUMNS,
            "client-timeline",
            context.preferences,
            _("Nothing has happened with this client yet."),
            default_sort=(0, Qt.SortOrder.DescendingOrder),
        )
        self.list.bar.insertWidget(1, self.filter)
        self.filter.currentIndexChanged.connect(self._apply_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

    def title(self) -> str:
        return _("Timeline")

    def read(self, db: Database, client_id: int, today: dt.date) -> SortedRecords[Event]:
        """The events, read on the worker with the rest of the client's page (sorted, their
        first texts made there too)."""
        return self.list.model.presort(client_page.timeline(db, client_id, today))

    def show_data(self, events: SortedRecords[Event]) -> None:
        self.list.set_records(events)
        self._apply_filter()

    def _apply_filter(self) -> None:
        wanted = self.filter.currentData()
        self.list.proxy.set_rule(None if wanted is None else lambda e: e.kind.value == wanted)

    def save_layout(self) -> None:
        self.list.save_layout()
