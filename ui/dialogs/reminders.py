"""Forms of the Reminders page: a reminder, a snooze day, and news to tell chosen clients."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QWidget,
)

from freelancer_desk import clock
from freelancer_desk.analytics.steps import SkillNews
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    Channel,
    RecurrenceUnit,
    ReminderCreate,
    ReminderPurpose,
    field_label,
)
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import contact as contact_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services.reminders import ReminderRow
from ui.context import AppContext
from ui.widgets import (
    DateField,
    RecordDialog,
    choice_box,
    client_box,
    select_data,
    show_verdict,
    text_box,
)


class ReminderDialog(RecordDialog):
    """Create or edit a reminder: client, due day, purpose, note, and how it repeats."""

    input_model = ReminderCreate

    def __init__(
        self,
        context: AppContext,
        reminder: ReminderRow | None = None,
        client_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit reminder") if reminder else _("New reminder"), parent)
        self.context = context
        self.reminder = reminder
        self.client = self.add_field("client_id", client_box(context, allow_none=True))
        self.due_on = self.add_field("due_on", DateField())
        self.purpose = self.add_field("purpose", choice_box([p.value for p in ReminderPurpose]))
        self.channel = self.add_field(
            "channel", choice_box([c.value for c in Channel], allow_empty=True)
        )
        self.permission = self.add_hint("")
        self.permission.setObjectName("reminderPermission")
        repeat = QWidget()
        row = QHBoxLayout(repeat)
        row.setContentsMargins(0, 0, 0, 0)
        self.repeats = QCheckBox(_("Repeat every"))
        self.every = QSpinBox()
        self.every.setRange(1, 999)
        self.unit = choice_box([u.value for u in RecurrenceUnit])
        select_data(self.unit, RecurrenceUnit.MONTHS.value)
        for widget in (self.repeats, self.every, self.unit):
            row.addWidget(widget)
        row.addStretch(1)
        self.repeats.toggled.connect(self._repeat_toggled)
        self.add_field("recurrence_every", repeat)
        self.add_hint(
            _(
                "A monthly reminder on the 29th to 31st falls on the month's last day in "
                "shorter months and returns to its day afterwards."
            )
        )
        self.note = text_box(90)
        self.note.setPlaceholderText(_("What to talk about, what to offer, what to ask"))
        self.add_field("note", self.note)
        if reminder is not None:
            select_data(self.client, reminder.client_id)
            self.due_on.set_date(reminder.due_on)
            select_data(self.purpose, reminder.purpose.value)
            select_data(self.channel, reminder.channel and reminder.channel.value)
            if reminder.recurrence is not None:
                self.repeats.setChecked(True)
                self.every.setValue(reminder.recurrence.every)
                select_data(self.unit, reminder.recurrence.unit.value)
            self.note.setPlainText(reminder.note or "")
        else:
            select_data(self.client, client_id)
            self.due_on.set_date(clock.today())
        self._repeat_toggled(self.repeats.isChecked())
        for box in (self.client, self.channel):
            box.currentIndexChanged.connect(self._show_permission)
        self.due_on.changed.connect(self._show_permission)
        self._show_permission()
        self.client.setFocus()

    def _show_permission(self) -> None:
        """Say before saving whether the contact rules allow the reminder's contact."""
        client_id = self.client.currentData()
        try:
            due = self.due_on.date() or clock.today()
        except ValueError:
            return
        permission = (
            None
            if client_id is None
            else contact_service.plan_verdict(
                self.context.db,
                client_id,
                self.channel.currentData(),
                max(due, clock.today()),
            )
        )
        show_verdict(self.permission, permission)

    def _repeat_toggled(self, on: bool) -> None:
        self.every.setEnabled(on)
        self.unit.setEnabled(on)

    def values(self) -> dict[str, Any]:
        repeats = self.repeats.isChecked()
        return {
            "client_id": self.client.currentData(),
            "due_on": self.read_date("due_on"),
            "purpose": self.purpose.currentData(),
            "channel": self.channel.currentData(),
            "recurrence_every": self.every.value() if repeats else None,
            "recurrence_unit": self.unit.currentData() if repeats else None,
            "note": self.note.toPlainText(),
        }

    def save(self) -> ReminderRow:
        values = self.values()
        if values["due_on"] is None:
            raise InputError("due_on", _("is required"), label=field_label("due_on"))
        if self.reminder is None:
            return reminders_service.create_reminder(self.context.db, values)
        return reminders_service.update_reminder(self.context.db, self.reminder.id, values)


class SnoozeDialog(RecordDialog):
    """Pick the day a reminder comes back."""

    def __init__(
        self,
        context: AppContext,
        reminder: ReminderRow,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Snooze until…"), parent)
        self.context = context
        self.reminder = reminder
        self.today = today
        day = self.add_field("due_on", DateField(), _("Remind me on"))
        day.set_date(max(reminder.due_on, today) + dt.timedelta(days=1))
        day.setFocus()

    def save(self) -> ReminderRow:
        day = self.read_date("due_on")
        if day is None:
            raise InputError("due_on", _("is required"), label=_("Remind me on"))
        return reminders_service.snooze(self.context.db, self.reminder.id, day, self.today)


class NewsDialog(RecordDialog):
    """What is new (a skill, an offer) and which clients to tell; a step for each follows."""

    def __init__(self, context: AppContext, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(_("Tell clients about new skills"), parent)
        self.context = context
        self.today = today
        current: SkillNews | None = steps_service.current_news(context.db)
        self.text = text_box(70)
        self.text.setPlaceholderText(_("e.g. I now also do accessibility audits"))
        self.add_field("note", self.text, _("What is new"))
        self.setMinimumWidth(620)
        self.clients = QListWidget()
        self.clients.setMinimumHeight(260)
        self.clients.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for client_id, name in client_service.client_names(context.db):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, client_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            chosen = current is not None and client_id in current.client_ids
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.clients.addItem(item)
        self.add_field("client_id", self.clients, _("Tell these clients"))
        self.add_hint(
            _(
                "Each chosen client gets a suggestion on the Reminders page, on a channel "
                "the contact rules allow."
            )
        )
        if current is not None:
            self.text.setPlainText(current.text)
        self.text.setFocus()

    def chosen(self) -> list[int]:
        """Ids of the ticked clients."""
        return [
            self.clients.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.clients.count())
            if self.clients.item(row).checkState() == Qt.CheckState.Checked
        ]

    def save(self) -> SkillNews:
        return steps_service.announce_news(
            self.context.db, self.text.toPlainText(), self.chosen(), self.today
        )
