"""Dialogs of the win-back area: mark a client lost, the win-back case, an attempt, the reason
catalogue, consent and objection dates, and erasing a client's personal data.

Every dialog writes through a service; refused input is shown in the dialog next to the field.
"""

from __future__ import annotations

import html
import logging
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import clock, formatting, logs
from freelancer_desk.analytics.winback import RETURNER_CHECKLIST, winback_value, worth_trying
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Channel,
    LossCreate,
    LossType,
    Reaction,
    WinbackOutcome,
    field_label,
    label,
)
from freelancer_desk.money import ZERO
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import privacy
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.contact import permissions_for
from freelancer_desk.services.losses import LossRow
from freelancer_desk.services.winback import AttemptResult, CaseDetail
from ui.context import AppContext
from ui.models.table import Column
from ui.record_list import RecordList
from ui.widgets import (
    ERROR_STYLE,
    VERDICT_COLOURS,
    DateField,
    MoneyField,
    RecordDialog,
    choice_box,
    error_label,
    grow_to_fit,
    hint_label,
    lasting_window,
    notify,
    select_data,
    settle_edits,
    show_error,
    show_modal,
    show_verdict,
    text_box,
)

if TYPE_CHECKING:
    from ui.pages.clients import ClientDetail


def multiline(height: int = 70) -> QPlainTextEdit:
    """A small text box for notes and lists (one item per line)."""
    return text_box(height)


# --------------------------------------------------------------------------------------------
# Mark lost
# --------------------------------------------------------------------------------------------


class MarkLostDialog(RecordDialog):
    """Record (or correct) a lost client: when, how, why, and whether they objected.

    Nothing is chosen for the user: the client (unless the dialog was opened for one), the
    reason and the loss type start empty, so that Return cannot save a guess. A client who is
    lost already is refused; the notice links to that loss (``open_instead``).
    """

    input_model = LossCreate

    def __init__(
        self,
        context: AppContext,
        client_id: int | None = None,
        loss: LossRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit lost client") if loss else _("Mark client lost"), parent)
        self.context = context
        self.loss = loss
        #: The loss the user chose to open instead (the chosen client was lost already).
        self.open_instead: LossRow | None = None
        self._current: LossRow | None = None
        self.client = QComboBox()
        self.client.addItem(_("(choose a client)"), None)
        for cid, name in client_service.client_names(context.db):
            self.client.addItem(name, cid)
        select_data(self.client, loss.client_id if loss else client_id)
        self.client.setEnabled(loss is None and client_id is None)
        self.add_field("client_id", self.client)
        self.already_lost = QLabel()
        self.already_lost.setObjectName("alreadyLost")
        self.already_lost.setWordWrap(True)
        self.already_lost.setStyleSheet(ERROR_STYLE)
        self.already_lost.linkActivated.connect(self._open_current_loss)
        self.form.addRow(self.already_lost)  # the whole width: a short, readable notice
        self.lost_on = self.add_field("lost_on", DateField())
        self.reason = QComboBox()
        self.reason.addItem(_("(choose a reason)"), None)
        self._typical: dict[str, LossType | None] = {}
        for row in loss_service.reasons(context.db, include_inactive=loss is not None):
            self.reason.addItem(row.label, row.code)
            self._typical[row.code] = row.loss_type
        self.add_field("reason_code", self.reason)
        self.loss_type = self.add_field(
            "loss_type", choice_box([t.value for t in LossType], allow_empty=True)
        )
        self.reason_text = self.add_field("reason_text", multiline(60))
        self.objected = QCheckBox(_("The client objected to any further contact"))
        self.objected.setToolTip(_("Then every channel is blocked from this day on (Widerspruch)."))
        self.add_field("objected", self.objected, _("Objection"))
        self.notes = self.add_field("notes", multiline(60))
        self.reason.currentIndexChanged.connect(self._suggest_type)
        if loss is None:
            self.lost_on.set_date(clock.today())
            self.client.currentIndexChanged.connect(self._check_client)
            self._check_client()
        else:
            self.lost_on.set_date(loss.lost_on)
            select_data(self.reason, loss.reason_code)
            select_data(self.loss_type, loss.loss_type)
            self.reason_text.setPlainText(loss.reason_text or "")
            self.objected.setChecked(loss.objected)
            self.notes.setPlainText(loss.notes or "")
            self.already_lost.hide()
        (self.reason if client_id is not None or loss is not None else self.client).setFocus()

    def _check_client(self) -> None:
        """Say at once when the chosen client is lost already, with a link to that loss."""
        client_id = self.client.currentData()
        self._current = (
            None if client_id is None else loss_service.current_loss(self.context.db, client_id)
        )
        if client_id is not None:  # an objection recorded on the client counts here too
            client = client_service.get_client(self.context.db, client_id)
            self.objected.setChecked(client.objection_on is not None)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(self._current is None)
        if self._current is None:
            self.already_lost.hide()
            return
        text = loss_service.AlreadyLostError(self._current).message
        link = _("Open that loss")
        self.already_lost.setText(f"{html.escape(text)} <a href='open'>{html.escape(link)}</a>")
        self.already_lost.show()
        grow_to_fit(self)

    def _open_current_loss(self, _link: str = "") -> None:
        """Close this form; the caller opens the loss of the chosen client instead."""
        self.open_instead = self._current
        self.reject()

    def _suggest_type(self) -> None:
        """Choosing a reason suggests its typical loss type (it stays editable)."""
        typical = self._typical.get(self.reason.currentData())
        if typical is not None:
            select_data(self.loss_type, typical)

    def values(self) -> dict[str, Any]:
        return {
            "client_id": self.client.currentData(),
            "lost_on": self.read_date("lost_on"),
            "reason_code": self.reason.currentData(),
            "loss_type": self.loss_type.currentData(),
            "reason_text": self.reason_text.toPlainText(),
            "objected": self.objected.isChecked(),
            "notes": self.notes.toPlainText(),
        }

    def save(self) -> LossRow:
        values = self.values()
        if self.loss is None:
            return loss_service.mark_lost(self.context.db, values)
        values.pop("client_id")
        return loss_service.update_loss(self.context.db, self.loss.id, values)


# --------------------------------------------------------------------------------------------
# Attempts
# --------------------------------------------------------------------------------------------


class AttemptDialog(RecordDialog):
    """One try to reach a lost client; a channel the contact rules block is refused with why."""

    def __init__(
        self, context: AppContext, case: CaseDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            _("Win-back attempt: {client}").format(client=case.loss.client_name), parent
        )
        self.context = context
        self.case = case
        self.date = self.add_field("date", DateField())
        self.date.set_date(clock.today())
        self.channel = self.add_field("channel", choice_box([c.value for c in Channel]))
        offered = winback_service.offered_channel(context.db, case.id, clock.today())
        if offered is not None:
            select_data(self.channel, offered.channel.value)
        self.permission = self.add_hint("")
        self.permission.setObjectName("attemptPermission")
        self.reaction = self.add_field("reaction", choice_box([r.value for r in Reaction]))
        self.add_field("cost", MoneyField())
        self.notes = self.add_field("notes", multiline(80))
        self.notes.setToolTip(_("What was said, and how they felt: the hook for the next call."))
        self.channel.currentIndexChanged.connect(self._show_permission)
        self.date.changed.connect(self._show_permission)
        self._show_permission()

    def _show_permission(self) -> None:
        """Say before saving whether the chosen channel may be used on that day."""
        try:
            day = self.date.date() or clock.today()
        except ValueError:
            return
        channel = Channel(self.channel.currentData())
        show_verdict(
            self.permission,
            permissions_for(self.context.db, self.case.loss.client_id, day)[channel],
        )

    def save(self) -> AttemptResult:
        return winback_service.add_attempt(
            self.context.db,
            self.case.id,
            {
                "date": self.read_date("date"),
                "channel": self.channel.currentData(),
                "reaction": self.reaction.currentData(),
                "cost": self.read_money("cost") or ZERO,
                "notes": self.notes.toPlainText(),
            },
        )


ATTEMPT_COLUMNS: list[Column[winback_service.AttemptRow]] = [
    Column(N_("Date"), lambda a: formatting.date(a.date), lambda a: a.date),
    Column(N_("Channel"), lambda a: label(a.channel)),
    Column(N_("Reaction"), lambda a: label(a.reaction)),
    Column(N_("Cost"), lambda a: formatting.money(a.cost), lambda a: a.cost, numeric=True),
    Column(
        N_("Notes"), lambda a: (a.notes or "").replace("\n", " "), tooltip=lambda a: a.notes or ""
    ),
]


# --------------------------------------------------------------------------------------------
# The win-back case
# --------------------------------------------------------------------------------------------


class CaseDialog(RecordDialog):
    """Decide, plan and record a win-back: value, measures, incentive, attempts, goals, outcome.

    Attempts are stored as soon as they are added; everything else on Save.
    """

    def __init__(self, context: AppContext, case_id: int, parent: QWidget | None = None) -> None:
        self.context = context
        self.case = winback_service.get_case(context.db, case_id)
        super().__init__(_("Win back {client}").format(client=self.case.loss.client_name), parent)
        loss = self.case.loss
        self.summary = QLabel(
            _(
                "Lost on {date} · {type} · {reason} · revenue in the 12 months before: {revenue}"
            ).format(
                date=formatting.date(loss.lost_on),
                type=label(loss.loss_type),
                reason=loss.reason_label,
                revenue=formatting.money(loss.revenue_12m_before),
            )
        )
        self.summary.setWordWrap(True)
        self.form.addRow(self.summary)
        self.permissions = QLabel()
        self.permissions.setObjectName("casePermissions")
        self.permissions.setWordWrap(True)
        self.form.addRow(_("May I contact them?"), self.permissions)

        #: The amounts of the calculation, by model field.
        self.amounts = {
            name: self.add_field(name, MoneyField())
            for name in ("potential_12m", "winback_cost", "care_cost_12m")
        }
        for amount in self.amounts.values():
            amount.textChanged.connect(self._show_value)
        self.discount_percent = QDoubleSpinBox()
        self.discount_percent.setRange(0, 100)
        self.discount_percent.setDecimals(1)
        self.discount_percent.setSuffix(" %")
        self.discount_percent.valueChanged.connect(self._show_value)
        self.add_field("discount", self.discount_percent)
        self.value = QLabel()
        self.value.setObjectName("caseValue")
        self.form.addRow(_("Value of trying:"), self.value)

        measures = multiline(90)
        suggested = QPushButton(_("Use the suggested measures"))
        suggested.setToolTip("\n".join(self.case.suggested_measures))
        suggested.setEnabled(bool(self.case.suggested_measures))
        suggested.clicked.connect(
            lambda: measures.setPlainText("\n".join(self.case.suggested_measures))
        )
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(measures)
        column.addWidget(suggested, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_field("measures", holder)
        self.measures = measures
        self.incentive = self.add_field("incentive", QLineEdit())
        self.incentive.setToolTip(_("An incentive: a free extra, special terms, a small gift"))

        goals = QGroupBox(_("Partial goals reached"))
        goal_layout = QVBoxLayout(goals)
        self.goals = {
            "goal_reason_learned": QCheckBox(_("Learned the real reason")),
            "goal_door_open": QCheckBox(_("The door stays open")),
            "goal_no_bad_word": QCheckBox(_("No bad word of mouth")),
        }
        for box in self.goals.values():
            goal_layout.addWidget(box)

        self.attempts = RecordList(
            ATTEMPT_COLUMNS,
            "winback-attempts",
            context.preferences,
            _(
                "No attempts yet. Call early — the sooner after the loss, the better, and by phone "
                "rather than email where that is allowed."
            ),
            searchable=False,
            default_sort=(0, Qt.SortOrder.AscendingOrder),
        )
        self.attempts.setMinimumHeight(150)
        self.attempts.add_caption(_("Attempts"))
        self.add_attempt_button = self.attempts.add_button(_("&Add attempt…"), self.add_attempt)

        outcome_box = QGroupBox(_("Outcome"))
        self.outcome_form = QFormLayout(outcome_box)
        self.outcome = self._add_outcome_field(
            "outcome", choice_box([o.value for o in WinbackOutcome])
        )
        self.outcome_on = self._add_outcome_field("outcome_on", DateField(), _("Decided on"))
        self.revisit_on = self._add_outcome_field("revisit_on", DateField())
        self.outcome.currentIndexChanged.connect(self._show_outcome)
        #: What is stored for the outcome, so that a case closed by a rude reaction reads as
        #: saved, not as an unsaved choice that Cancel would undo.
        self.saved_outcome = hint_label("")
        self.saved_outcome.setObjectName("savedOutcome")
        self.outcome_form.addRow(self.saved_outcome)

        self.checklist_box = QGroupBox(_("Returner: the first jobs must be flawless"))
        checklist_layout = QVBoxLayout(self.checklist_box)
        self.checklist: dict[str, QCheckBox] = {}
        for key, text in RETURNER_CHECKLIST:
            self.checklist[key] = QCheckBox(_(text))
            checklist_layout.addWidget(self.checklist[key])

        # Two columns: the plan on the left, what happened on the right.
        outer = self.layout()
        assert isinstance(outer, QVBoxLayout)
        outer.takeAt(0)  # the form, placed into the left column instead
        right = QVBoxLayout()
        right.addWidget(self.attempts, 1)
        right.addWidget(goals)
        right.addWidget(outcome_box)
        right.addWidget(self.checklist_box)
        left = QVBoxLayout()
        left.addLayout(self.form)
        left.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        outer.insertLayout(0, columns, 1)
        #: What happened after an attempt (the next step), without a pop-up over the case.
        self.status_bar = QStatusBar()
        self.status_bar.setSizeGripEnabled(False)
        outer.insertWidget(outer.indexOf(self.buttons), self.status_bar)
        self.setMinimumWidth(980)
        self._fill(self.case)

    def _add_outcome_field(self, name: str, widget: QWidget, text: str | None = None) -> Any:
        """A field of the outcome box that errors can name, like ``add_field`` does."""
        caption = QLabel((text or field_label(name)) + ":")
        caption.setBuddy(widget)
        self.outcome_form.addRow(caption, widget)
        self.fields[name] = widget
        self._labels[name] = caption
        return widget

    def _fill(self, case: CaseDetail) -> None:
        """Show a stored case in the whole form."""
        for name, amount in self.amounts.items():
            amount.set_amount(getattr(case, name))
        self.discount_percent.setValue(float(case.discount * 100))
        self.measures.setPlainText(case.measures or "")
        self.incentive.setText(case.incentive or "")
        for key, box in self.goals.items():
            box.setChecked(getattr(case, key))
        done = {item.key for item in case.checklist if item.done}
        for key, box in self.checklist.items():
            box.setChecked(key in done)
        self._show_attempts(case)
        self._show_saved_outcome(case)
        self._show_value()

    def _show_saved_outcome(self, case: CaseDetail) -> None:
        """Put the stored outcome into its fields and say in words what is stored."""
        select_data(self.outcome, case.outcome)
        self.outcome_on.set_date(case.outcome_on)
        self.revisit_on.set_date(case.revisit_on)
        self.saved_outcome.setText(saved_outcome_text(case))
        self.saved_outcome.setVisible(bool(self.saved_outcome.text()))
        self._show_outcome()

    def _show_attempts(self, case: CaseDetail) -> None:
        """Show the attempts and today's permissions; leaves unsaved edits in the form alone."""
        self.case = case
        self.attempts.set_records(case.attempts)
        lines, reasons = [], []
        for channel, permission in permissions_for(
            self.context.db, case.loss.client_id, clock.today()
        ).items():
            colour = VERDICT_COLOURS[permission.verdict]
            lines.append(
                f"<span style='color:{colour}'><b>{label(channel)}</b>: "
                f"{permission.verdict_label}</span>"
            )
            reasons.append(f"{label(channel)}: {permission.reason}")
        self.permissions.setText("<br>".join(lines))
        self.permissions.setToolTip("\n".join(reasons))

    def _amount(self, name: str) -> Decimal:
        try:
            return self.amounts[name].amount() or ZERO
        except ValueError:
            return ZERO

    def discount(self) -> Decimal:
        """The discount as a fraction, from the percentage shown."""
        return Decimal(str(round(self.discount_percent.value(), 1))) / 100

    def _show_value(self) -> None:
        value = winback_value(
            self._amount("potential_12m"),
            self.discount(),
            self._amount("winback_cost"),
            self._amount("care_cost_12m"),
        )
        verdict = _("worth trying") if worth_trying(value) else _("not worth it")
        self.value.setText(f"{formatting.money(value)} — {verdict}")
        self.value.setStyleSheet(
            f"font-weight: bold; color: {'#1b7f3b' if worth_trying(value) else '#b00020'};"
        )

    def _show_outcome(self) -> None:
        outcome = WinbackOutcome(self.outcome.currentData())
        self.revisit_on.setEnabled(outcome is WinbackOutcome.NOT_NOW)
        self.outcome_on.setEnabled(outcome is not WinbackOutcome.OPEN)
        if outcome is not WinbackOutcome.OPEN and self.outcome_on.edit.text() == "":
            self.outcome_on.set_date(clock.today())
        self.checklist_box.setVisible(outcome is WinbackOutcome.WON_BACK)
        closed = (
            outcome in (WinbackOutcome.WON_BACK, WinbackOutcome.GIVEN_UP)
            and outcome == self.case.outcome
        )
        self.add_attempt_button.setEnabled(not closed)

    def add_attempt(self) -> None:
        """Record an attempt at once; after a rude reaction, say that the case is closed and
        offer to erase the client's data."""
        dialog = AttemptDialog(self.context, self.case, self)
        if not show_modal(dialog):
            return
        self.context.changed()
        result: AttemptResult = dialog.result_value
        case = winback_service.get_case(self.context.db, self.case.id)
        self._show_attempts(case)
        if result.offer_erasure:
            # The service closed the case as given up: the form shows what is stored.
            self._show_saved_outcome(case)
            closed = _(
                "{name} reacted rudely, so the win-back case is closed as given up on "
                "{date}. This is saved; the follow-up reminders of the case are closed too."
            ).format(name=case.loss.client_name, date=formatting.date(result.attempt.date))
            if offer_erasure(
                self, self.context, case.loss.client_id, case.loss.client_name, closed=closed
            ):
                self.reject()
            return
        notify(self, _("Next step: {step}").format(step=result.next_step.render()), 60)

    def save(self) -> CaseDetail:
        winback_service.update_case(
            self.context.db,
            self.case.id,
            {
                "potential_12m": self.read_money("potential_12m") or ZERO,
                "discount": self.discount(),
                "winback_cost": self.read_money("winback_cost") or ZERO,
                "care_cost_12m": self.read_money("care_cost_12m") or ZERO,
                "measures": self.measures.toPlainText(),
                "incentive": self.incentive.text(),
                **{key: box.isChecked() for key, box in self.goals.items()},
            },
        )
        outcome = WinbackOutcome(self.outcome.currentData())
        day = self.read_date("outcome_on")
        case = winback_service.get_case(self.context.db, self.case.id)
        if (
            outcome is not case.outcome
            or day != case.outcome_on
            or self.read_date("revisit_on") != case.revisit_on
        ):
            case = winback_service.set_outcome(
                self.context.db,
                self.case.id,
                outcome,
                day or clock.today(),
                self.read_date("revisit_on"),
            )
        if outcome is WinbackOutcome.WON_BACK:
            for key, box in self.checklist.items():
                case = winback_service.tick(self.context.db, self.case.id, key, box.isChecked())
        self.context.changed()
        return case


# --------------------------------------------------------------------------------------------
# Erasure (GDPR)
# --------------------------------------------------------------------------------------------


def saved_outcome_text(case: CaseDetail) -> str:
    """The stored outcome of a closed case in words ("" while it is open or parked)."""
    if case.outcome_on is None:
        return ""
    day = formatting.date(case.outcome_on)
    if case.outcome is WinbackOutcome.WON_BACK:
        return _("Saved: won back on {date}.").format(date=day)
    if case.outcome is not WinbackOutcome.GIVEN_UP:
        return ""
    if case.attempts and case.attempts[-1].reaction is Reaction.RUDE:
        return _(
            "Saved: given up on {date} after a rude reaction. To try again, choose "
            "\u201cOpen\u201d and save."
        ).format(date=day)
    return _("Saved: given up on {date}.").format(date=day)


def offer_erasure(
    parent: QWidget, context: AppContext, client_id: int, name: str, closed: str | None = None
) -> bool:
    """Ask whether to erase the client's personal data, then erase; True if asked to erase.

    The question says what goes, that the app's backups are rewritten and what lies outside
    the app's reach; the result says what was done (and which backups could not be).
    ``closed``: the message of a case just closed by a rude reaction; it comes first, and
    erasing is offered as an option beside keeping the data, in the same message.
    """
    question = _("Erase the personal data of {name}?").format(name=name)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("Erase personal data") if closed is None else _("Win-back case closed"),
        question if closed is None else closed,
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setObjectName("eraseQuestion")
    details = _(privacy.WHAT_ERASE_DOES) + "\n\n" + _(privacy.OUTSIDE_REACH)
    if closed is None:
        box.setInformativeText(details)
        erase = box.addButton(_("Erase"), QMessageBox.ButtonRole.DestructiveRole)
    else:
        box.setInformativeText(
            _("You may also erase the personal data of {name} now.").format(name=name)
            + "\n\n"
            + details
        )
        erase = box.addButton(_("Erase personal data"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        cancel.setText(_("Keep the data"))
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is not erase:
        return False
    owner = lasting_window(parent)  # the case dialog closes before the erasure ends
    context.runner.submit(
        lambda _control: privacy.erase_client(context.db, client_id),
        on_done=lambda result: _erased(owner, context, result),
        on_error=lambda error: show_error(owner, error),
    )
    return True


def _erased(parent: QWidget, context: AppContext, result: privacy.ErasureResult) -> None:
    context.changed()
    box = QMessageBox(
        QMessageBox.Icon.Information,
        _("Personal data erased"),
        "\n\n".join(privacy.report(result)),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("erasureReport")
    box.exec()


def erase_client_action(page: ClientDetail, client_id: int) -> None:
    """Client page button: erase the client's personal data after confirmation."""
    context = page.context
    offer_erasure(page, context, client_id, client_service.get_client(context.db, client_id).name)


# --------------------------------------------------------------------------------------------
# Consent and objection dates
# --------------------------------------------------------------------------------------------


class ConsentDialog(RecordDialog):
    """Edit the dates the contact rules depend on: consents and the objection."""

    FIELDS = ("email_consent_on", "phone_consent_on", "objection_on")

    def __init__(self, context: AppContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(_("Consent and objection"), parent)
        self.context = context
        self.client_id = client_id
        client = client_service.get_client(context.db, client_id)
        self.form.addRow(
            hint_label(
                _(
                    "Record the day a client agreed to calls or emails, and the day "
                    "they objected. Keep proof of a private person's consent to "
                    "calls for five years."
                )
            )
        )
        for name in self.FIELDS:
            field = DateField()
            field.set_date(getattr(client, name))
            self.add_field(name, field)

    def save(self) -> object:
        return client_service.update_client(
            self.context.db, self.client_id, {name: self.read_date(name) for name in self.FIELDS}
        )


# --------------------------------------------------------------------------------------------
# The reason catalogue
# --------------------------------------------------------------------------------------------


class ReasonCatalogueDialog(QDialog):
    """Edit the loss reasons and their measures in German and English, or add a reason.

    Edits are kept per reason: moving to another reason, starting a new one or closing asks
    whether to save them first.
    """

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Loss reasons and measures"))
        self.setMinimumSize(860, 540)
        self.reasons = QListWidget()
        self.reasons.setMinimumWidth(220)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.code = QLineEdit()
        self.loss_type = choice_box([t.value for t in LossType], allow_empty=True)
        self.label_de, self.label_en = QLineEdit(), QLineEdit()
        self.measures_de, self.measures_en = multiline(110), multiline(110)
        for box in (self.measures_de, self.measures_en):
            box.setPlaceholderText(_("One measure per line"))
        self.active = QCheckBox(_("Offered when marking a client lost"))
        for caption, widget in (
            (_("Code"), self.code),
            (_("Typical loss type"), self.loss_type),
            (_("Name (German)"), self.label_de),
            (_("Name (English)"), self.label_en),
            (_("Measures (German)"), self.measures_de),
            (_("Measures (English)"), self.measures_en),
            (_("Active"), self.active),
        ):
            self.form.addRow(caption + ":", widget)
        self.error = error_label()
        self.form.addRow(self.error)
        new = QPushButton(_("&New reason"))
        new.setAutoDefault(False)
        new.clicked.connect(self.new_reason)
        save = QPushButton(_("&Save reason"))
        save.setDefault(True)  # Return in a field saves the reason
        save.clicked.connect(self.save_reason)
        actions = QHBoxLayout()
        actions.addWidget(new)
        actions.addStretch(1)
        actions.addWidget(save)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(self.form)
        right_layout.addStretch(1)
        right_layout.addLayout(actions)
        body = QSplitter()
        body.setChildrenCollapsible(False)
        body.addWidget(self.reasons)
        body.addWidget(right)
        body.setStretchFactor(1, 1)
        body.setSizes([300, 560])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        close.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(body, 1)
        layout.addWidget(close)
        self._shown: tuple[object, ...] = self._values()
        self.reasons.currentItemChanged.connect(self._choose)
        self._load()

    def _values(self) -> tuple[object, ...]:
        """What the form holds, to tell edits from the reason as shown."""
        return (
            self.code.text(),
            self.loss_type.currentData(),
            self.label_de.text(),
            self.label_en.text(),
            self.measures_de.toPlainText(),
            self.measures_en.toPlainText(),
            self.active.isChecked(),
        )

    def unsaved(self) -> bool:
        """True when the form was edited since the reason was shown or saved."""
        return self._values() != self._shown

    def _keep_or_drop(self) -> bool:
        """Ask about unsaved edits; True when the dialog may move on (saved or discarded)."""
        return settle_edits(
            self,
            _("Save your changes to this reason first?"),
            self.unsaved(),
            lambda: self._store() is not None,
        )

    def _load(self, select: str | None = None) -> None:
        """Fill the list and show the reason ``select`` (or the first)."""
        self.reasons.blockSignals(True)
        self.reasons.clear()
        for row in loss_service.reasons(self.context.db, include_inactive=True):
            item = QListWidgetItem(row.label if row.active else f"{row.label} ({_('inactive')})")
            item.setData(Qt.ItemDataRole.UserRole, row)
            self.reasons.addItem(item)
            if row.code == select:
                self.reasons.setCurrentItem(item)
        if self.reasons.currentItem() is None and self.reasons.count():
            self.reasons.setCurrentRow(0)
        self.reasons.blockSignals(False)
        self._show(self.reasons.currentItem())

    def _choose(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        """Another reason clicked: keep or drop the edits of the one shown, then show it."""
        if item is None:
            return
        wanted = item.data(Qt.ItemDataRole.UserRole).code
        if not self.unsaved():
            self._show(item)
        elif self._keep_or_drop():
            self._load(select=wanted)  # names in the list may have changed
        elif previous is not None:
            self.reasons.blockSignals(True)
            self.reasons.setCurrentItem(previous)
            self.reasons.blockSignals(False)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        row: loss_service.ReasonRow = item.data(Qt.ItemDataRole.UserRole)
        self.code.setText(row.code)
        self.code.setReadOnly(True)
        select_data(self.loss_type, row.loss_type)
        self.label_de.setText(row.label_de)
        self.label_en.setText(row.label_en)
        self.measures_de.setPlainText(row.measures_de)
        self.measures_en.setPlainText(row.measures_en)
        self.active.setChecked(row.active)
        self.error.hide()
        self._shown = self._values()

    def new_reason(self) -> None:
        """Empty the form for a new reason with its own code."""
        if not self._keep_or_drop():
            return
        self.reasons.blockSignals(True)
        self.reasons.setCurrentRow(-1)
        self.reasons.blockSignals(False)
        self.code.setReadOnly(False)
        for widget in (self.code, self.label_de, self.label_en):
            widget.clear()
        self.measures_de.clear()
        self.measures_en.clear()
        self.loss_type.setCurrentIndex(0)
        self.active.setChecked(True)
        self.error.hide()
        self._shown = self._values()
        self.code.setFocus()

    def _store(self) -> loss_service.ReasonRow | None:
        """Save the form; a refusal is shown below it and None returned."""
        try:
            row = loss_service.save_reason(
                self.context.db,
                self.code.text(),
                {
                    "loss_type": self.loss_type.currentData(),
                    "label_de": self.label_de.text(),
                    "label_en": self.label_en.text(),
                    "measures_de": self.measures_de.toPlainText(),
                    "measures_en": self.measures_en.toPlainText(),
                    "active": self.active.isChecked(),
                },
            )
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: refused", level=logging.INFO)
            self.error.setText(str(error))
            self.error.show()
            return None
        self._shown = self._values()
        self.context.changed()
        return row

    def save_reason(self) -> None:
        row = self._store()
        if row is not None:
            self._load(select=row.code)

    def done(self, result: int) -> None:
        """Close, unless unsaved edits should be kept after all."""
        if self._keep_or_drop():
            super().done(result)
