"""The step plan on screen: the dashboard's "Next steps" card, the panel that acts on one step,
and the columns of the full plan on the Reminders page.

Every view reads ``services.steps.plan``. A step is acted on in a small panel beside the list —
accept, snooze, dismiss, open the client — which then says what it did and offers to undo it,
so no click makes anything silently and no dialog is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, formatting
from freelancer_desk.choices import label
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.money import from_cents
from freelancer_desk.status_document import Status
from ui.context import AppContext
from ui.flow_layout import FlowLayout
from ui.models.table import Column
from ui.pages.dashboard import Card
from ui.widgets import VERDICT_COLOURS, show_error

# The step services (and with them the ORM) are imported where they are used: the dashboard's
# card is built for the first paint, which comes before them.
if TYPE_CHECKING:
    from freelancer_desk.analytics.steps import Step
    from freelancer_desk.services.steps import Done

#: Steps the card lists; the Reminders page lists them all.
CARD_STEPS = 6
#: From this card width on, the panel stands beside the list.
PANEL_BESIDE_FROM = 700
#: Lines kept free for a contact-rule note in the step panel (the longest notes take two).
CAUTION_LINES = 2

#: How long a snooze from the panel lasts: (label, days).
SNOOZE_CHOICES: tuple[tuple[str, int], ...] = (
    (N_("Until tomorrow"), 1),
    (N_("For a week"), 7),
    (N_("For a month"), 30),
)

OVERDUE_COLOUR = "#b00020"


def channel_text(step: Step) -> str:
    """The channel to use, marked ⚠ when the contact rules allow it only with care."""
    if step.channel is None:
        return "—"
    text = label(step.channel)
    return text + " ⚠" if step.caution is not None else text


def stake_text(step: Step) -> str:
    """What is at stake, or nothing for a step without a value."""
    return formatting.money(from_cents(step.value_cents)) if step.value_cents else ""


def step_tooltip(step: Step) -> str:
    """Why and what, and the contact rule's caution: the whole step in words."""
    parts = [step.why_in(), _("What to do: {what}").format(what=step.what_in())]
    if step.caution is not None:
        parts.append(step.caution.render())
    return "\n\n".join(parts)


STEP_COLUMNS: list[Column[Step]] = [
    Column(N_("Step"), lambda s: s.kind_label(), lambda s: s.priority, tooltip=step_tooltip),
    Column(N_("Client"), lambda s: s.subject_in(), tooltip=lambda s: s.subject_in()),
    Column(
        N_("Due"),
        lambda s: formatting.date(s.due),
        lambda s: s.due,
        foreground=lambda s: OVERDUE_COLOUR if s.due < clock.today() else None,
    ),
    Column(
        N_("Channel"),
        channel_text,
        tooltip=lambda s: s.caution.render() if s.caution is not None else "",
    ),
    Column(
        N_("At stake"),
        stake_text,
        lambda s: s.value_cents,
        numeric=True,
        tooltip=lambda s: s.stake_in(),
    ),
    Column(N_("Why"), lambda s: s.why_in(), tooltip=step_tooltip),
]


class StepPanel(QFrame):
    """One step in full, with what can be done about it; afterwards, what was done and Undo.

    ``changed`` is emitted after every decision (the caller reloads); the last decision's
    message stays until another step is decided, also across reloads.
    """

    changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.step: Step | None = None
        #: What the last decision did, and the step id Undo takes it back for.
        self.message = ""
        self.undoable: str | None = None
        self.setObjectName("stepPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.heading = QLabel()
        self.heading.setObjectName("stepHeading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.why = self._text("stepWhy")
        self.what = self._text("stepWhat")
        self.facts = self._text("stepFacts")
        self.caution = self._text("stepCaution")
        self.caution.setStyleSheet(f"color: {VERDICT_COLOURS[Verdict.CAUTION]};")
        # The note's lines are kept free for every step, so the buttons below stay put when
        # one step has a note and the next has none.
        self.caution.setMinimumHeight(CAUTION_LINES * self.caution.fontMetrics().lineSpacing())
        self.accept_button = QPushButton(_("&Accept"))
        self.accept_button.setToolTip(_("Put the step on the reminders (once)"))
        self.accept_button.clicked.connect(self.accept)
        self.snooze_button = QPushButton(_("Snoo&ze"))
        menu = QMenu(self.snooze_button)
        for text, days in SNOOZE_CHOICES:
            action = menu.addAction(_(text))
            action.triggered.connect(lambda _checked=False, d=days: self.snooze(d))
        self.snooze_button.setMenu(menu)
        self.dismiss_button = QPushButton(_("Dis&miss"))
        self.dismiss_button.setToolTip(_("This step will not come back"))
        self.dismiss_button.clicked.connect(self.dismiss)
        self.client_button = QPushButton(_("&Open client"))
        self.client_button.clicked.connect(self.open_client)
        #: False on the client's own page: "Open client" would lead where one is.
        self.offers_client = True
        buttons = FlowLayout()  # wraps in a narrow window instead of cutting the labels
        for button in (
            self.accept_button,
            self.snooze_button,
            self.dismiss_button,
            self.client_button,
        ):
            buttons.addWidget(button)
        self.result = QLabel()
        self.result.setObjectName("stepResult")
        self.result.setWordWrap(True)
        self.result.setStyleSheet("color: #1b7f3b;")
        self.undo_button = QPushButton(_("&Undo"))
        self.undo_button.clicked.connect(self.undo)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        for widget in (self.why, self.what, self.facts, self.caution):
            layout.addWidget(widget)
        layout.addLayout(buttons)
        layout.addLayout(result_row)
        self.show_step(None)

    def _text(self, name: str) -> QLabel:
        text = QLabel()
        text.setObjectName(name)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return text

    def show_step(self, step: Step | None) -> None:
        """Show a step (None: nothing chosen) and, below, what the last decision did."""
        self.step = step
        for button in (self.accept_button, self.snooze_button, self.dismiss_button):
            button.setVisible(step is not None)
        self.client_button.setEnabled(step is not None and step.client_id is not None)
        self.client_button.setVisible(step is not None and self.offers_client)
        if step is None:
            self.heading.setText(_("No step chosen"))
            for text in (self.why, self.what, self.facts, self.caution):
                text.clear()
                text.hide()
        else:
            who = f" · {step.subject_in()}"
            self.heading.setText(step.kind_label() + who)
            self.why.setText(step.why_in())
            self.what.setText(_("What to do: {what}").format(what=step.what_in()))
            facts = [_("due {date}").format(date=formatting.date(step.due))]
            if step.channel is not None:
                facts.insert(0, _("by {channel}").format(channel=label(step.channel)))
            if step.stake is not None:
                facts.append(step.stake_in())
            self.facts.setText(" · ".join(facts))
            self.caution.setText(step.caution.render() if step.caution is not None else "")
            for text in (self.why, self.what, self.facts, self.caution):
                text.show()
        self.result.setText(self.message)
        self.result.setVisible(bool(self.message))
        self.undo_button.setVisible(self.undoable is not None)

    def _decide(self, work: Callable[[str, dt.date], Done]) -> None:
        step = self.step
        if step is None:
            return
        try:
            done = work(step.id, clock.today())
        except DeskError as error:
            show_error(self, error, _("Next step"))
            return
        who = f" · {step.subject_in()}"
        self.message = f"{step.kind_label()}{who}: {done.message}"
        self.undoable = step.id
        self.show_step(step)
        self.changed.emit()

    def accept(self) -> None:
        """One reminder (or planned feedback request) for the step; twice changes nothing."""
        from freelancer_desk.services import steps as steps_service

        self._decide(lambda step_id, today: steps_service.accept(self.context.db, step_id, today))

    def snooze(self, days: int) -> None:
        """Off the plan for ``days`` days."""
        from freelancer_desk.services import steps as steps_service

        self._decide(
            lambda step_id, today: steps_service.snooze(
                self.context.db, step_id, today + dt.timedelta(days=days), today
            )
        )

    def dismiss(self) -> None:
        """Off the plan for good (Undo brings it back)."""
        from freelancer_desk.services import steps as steps_service

        self._decide(lambda step_id, today: steps_service.dismiss(self.context.db, step_id, today))

    def undo(self) -> None:
        """Take the last decision back, with the reminder or request it made while open."""
        from freelancer_desk.services import steps as steps_service

        if self.undoable is None:
            return
        steps_service.undo(self.context.db, self.undoable)
        self.message, self.undoable = _("Undone: the step is back on the plan."), None
        self.show_step(self.step)
        self.changed.emit()

    def open_client(self) -> None:
        if self.step is not None and self.step.client_id is not None:
            self.context.open_client.emit(self.step.client_id)


class NextStepsCard(Card):
    """The most urgent steps of the plan; choosing one shows it in the panel beside the list."""

    wide = True

    def __init__(self, context: AppContext) -> None:
        super().__init__(context, _("Next steps"))
        self.steps: list[Step] = []
        #: A plan was shown (before the first: "Loading …").
        self.shown = False
        self.summary = QLabel(_("Loading …"))  # the plan follows the dashboard's figures
        self.summary.setObjectName("stepsSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("stepsList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.currentRowChanged.connect(self._choose)
        self.panel = StepPanel(context)
        self.panel.changed.connect(context.changed)
        self.all_button = QPushButton(_("All steps"))
        self.all_button.clicked.connect(self.open_all)
        self.columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns.addWidget(self.list, 1)
        self.columns.addWidget(self.panel, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.all_button)
        self.body.addLayout(self.columns)
        self.body.addLayout(bottom)

    prepares = True

    def prepare(self, db: Database, status: Status) -> None:
        from freelancer_desk.services import steps as steps_service

        steps_service.plan(db, status.as_of)

    def outdated(self) -> None:
        """The plan shown is the one before the change (a list of imported clients would
        still say "1 step open"): said so while the new one is worked out."""
        if self.shown:
            self.summary.setText(_("Updating the plan …"))

    def refresh(self, status: Status) -> None:
        from freelancer_desk.services import steps as steps_service

        plan = steps_service.plan(self.context.db, status.as_of)
        self.shown = True
        chosen = self.panel.step.id if self.panel.step is not None else None
        # A step just decided leaves the plan: its successor takes its row, not the top one.
        before = max(self.list.currentRow(), 0)
        self.steps = plan[:CARD_STEPS]
        self.list.blockSignals(True)
        self.list.clear()
        for step in self.steps:
            who = f" · {step.subject_in()}"
            item = QListWidgetItem(f"{step.kind_label()}{who}\n{step.why_in()}")
            item.setToolTip(step_tooltip(step))
            if step.due < status.as_of:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)
        self.list.blockSignals(False)
        ids = [step.id for step in self.steps]
        row = ids.index(chosen) if chosen in ids else min(before, max(len(ids) - 1, 0))
        if self.steps:
            self.list.setCurrentRow(row)
        self._choose(row if self.steps else -1)
        self.list.setVisible(bool(self.steps))
        self.panel.setVisible(bool(self.steps) or bool(self.panel.message))
        if plan:
            self.summary.setText(
                ngettext("{count} step open", "{count} steps open", len(plan)).format(
                    count=len(plan)
                )
                + (
                    " — " + _("the most urgent first; all on the Reminders page")
                    if len(plan) > CARD_STEPS
                    else ""
                )
            )
        else:
            self.summary.setText(
                _(
                    "Nothing to do right now: no client needs a call, a reminder or a thank-you. "
                    "Steps appear here when a sign shows, a client sleeps or leaves, an invoice "
                    "is overdue or a good moment for feedback comes."
                )
            )
        self.all_button.setVisible(bool(plan))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The panel beside the list, or below it when the card is narrow."""
        super().resizeEvent(event)
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= PANEL_BESIDE_FROM
            else QBoxLayout.Direction.TopToBottom
        )

    def _choose(self, row: int) -> None:
        self.panel.show_step(self.steps[row] if 0 <= row < len(self.steps) else None)

    def open_all(self) -> None:
        self.context.open_page.emit("reminders")
