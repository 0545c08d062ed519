"""Forms for the foundation's records: client, revenue entry, interaction.

Each form validates through the service it calls; a refused field is named in the dialog,
which stays open with everything typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from freelancer_desk.i18n import N_, _
from freelancer_desk.models import (
    Channel,
    Client,
    ClientKind,
    Interaction,
    InteractionKind,
    LoyaltyType,
)
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import groups as group_service
from freelancer_desk.services import interactions as interaction_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services.revenue import RevenueRow
from ui.context import AppContext
from ui.widgets import DateField, MoneyField, RecordDialog, choice_box, client_box, select_data

#: The mood marks, in words: emoji faces are missing from the fonts of many systems.
MOODS: dict[int, str] = {
    2: N_("+2 delighted"),
    1: N_("+1 pleased"),
    0: N_("0 neutral"),
    -1: N_("−1 annoyed"),
    -2: N_("−2 angry"),
}


def mood_text(mood: int | None) -> str:
    """A mood mark as shown ("" when none was noted)."""
    return _(MOODS[mood]) if mood in MOODS else ""


class ClientDialog(RecordDialog):
    """Create or edit a client, its group, loyalty type and contact permissions."""

    def __init__(
        self, context: AppContext, client: Client | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Edit client") if client else _("New client"), parent)
        self.context = context
        self.client = client
        self.name = self.add_field("name", QLineEdit())
        self.kind = self.add_field("kind", choice_box([k.value for k in ClientKind]))
        self.group = QComboBox()
        self.group.addItem(_("(no group)"), None)
        for item in group_service.list_groups(context.db):
            self.group.addItem(item.name, item.id)
        self.add_field("group_id", self.group)
        #: One-line texts, by model field.
        self.lines = {
            key: self.add_field(key, QLineEdit()) for key in ("contact_person", "email", "phone")
        }
        address = QPlainTextEdit()
        address.setFixedHeight(60)
        self.address = self.add_field("address", address)
        self.lines["tags"] = self.add_field("tags", QLineEdit())
        self.lines["tags"].setToolTip(_("Words separated by commas"))
        self.loyalty = self.add_field(
            "loyalty", choice_box([t.value for t in LoyaltyType], allow_empty=True)
        )
        self.term = QSpinBox()
        self.term.setRange(0, 365)
        self.term.setSpecialValueText(_("usual"))
        self.term.setSuffix(_(" days"))
        self.add_field("payment_term_days", self.term)
        #: Consent and objection days, by model field.
        self.days = {
            key: self.add_field(key, DateField())
            for key in ("email_consent_on", "phone_consent_on", "objection_on")
        }
        notes = QPlainTextEdit()
        notes.setFixedHeight(80)
        self.notes = self.add_field("notes", notes)
        self.archived = self.add_field(
            "archived", QCheckBox(_("Archived (hidden from the usual lists)")), _("Archive")
        )
        if client is not None:
            self._fill(client)
        self.name.setFocus()

    def _fill(self, client: Client) -> None:
        self.name.setText(client.name)
        select_data(self.kind, client.kind)
        select_data(self.group, client.group_id)
        for key, line in self.lines.items():
            line.setText(getattr(client, key) or "")
        self.address.setPlainText(client.address or "")
        self.notes.setPlainText(client.notes or "")
        select_data(self.loyalty, client.loyalty)
        self.term.setValue(client.payment_term_days or 0)
        for key, day in self.days.items():
            day.set_date(getattr(client, key))
        self.archived.setChecked(client.archived)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "group_id": self.group.currentData(),
            **{key: line.text() for key, line in self.lines.items()},
            "address": self.address.toPlainText(),
            "loyalty": self.loyalty.currentData(),
            "payment_term_days": self.term.value() or None,
            **{key: self.read_date(key) for key in self.days},
            "notes": self.notes.toPlainText(),
            "archived": self.archived.isChecked(),
        }

    def save(self) -> Client:
        if self.client is None:
            return client_service.create_client(self.context.db, self.values())
        assert self.client.id is not None  # a client being edited was read from the database
        return client_service.update_client(self.context.db, self.client.id, self.values())


class RevenueDialog(RecordDialog):
    """Add or edit an invoice or credit note (a negative net amount)."""

    def __init__(
        self,
        context: AppContext,
        entry: RevenueRow | None = None,
        client_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit revenue entry") if entry else _("New revenue entry"), parent)
        self.context = context
        self.entry = entry
        self.client = self.add_field("client_id", client_box(context, allow_none=False))
        self.invoice_number = self.add_field("invoice_number", QLineEdit())
        self.invoice_date = self.add_field("invoice_date", DateField())
        self.net = self.add_field("net", MoneyField())
        self.net.setToolTip(_("Negative for a credit note"))
        self.due_date = self.add_field("due_date", DateField())
        self.paid_date = self.add_field("paid_date", DateField())
        self.note = self.add_field("note", QLineEdit())
        if entry is not None:
            select_data(self.client, entry.client_id)
            self.invoice_number.setText(entry.invoice_number or "")
            self.invoice_date.set_date(entry.invoice_date)
            self.net.set_amount(entry.net)
            self.due_date.set_date(entry.due_date)
            self.paid_date.set_date(entry.paid_date)
            self.note.setText(entry.note or "")
        else:
            select_data(self.client, client_id)
            self.invoice_date.set_date(dt.date.today())
        (self.invoice_number if client_id or entry else self.client).setFocus()

    def values(self) -> dict[str, Any]:
        return {
            "client_id": self.client.currentData(),
            "invoice_number": self.invoice_number.text(),
            "invoice_date": self.read_date("invoice_date"),
            "net": self.read_money("net"),
            "due_date": self.read_date("due_date"),
            "paid_date": self.read_date("paid_date"),
            "note": self.note.text(),
        }

    def save(self) -> RevenueRow:
        values = self.values()
        if self.entry is None:
            return revenue_service.create_entry(self.context.db, values)
        return revenue_service.update_entry(self.context.db, self.entry.id, values)


class InteractionDialog(RecordDialog):
    """Log a call, mail or meeting, with the mood and the emotional details."""

    def __init__(
        self,
        context: AppContext,
        client_id: int,
        interaction: Interaction | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_("Edit interaction") if interaction else _("New interaction"), parent)
        self.context = context
        self.client_id = client_id
        self.interaction = interaction
        self.date = self.add_field("date", DateField())
        self.channel = self.add_field("channel", choice_box([c.value for c in Channel]))
        self.kind = self.add_field(
            "kind", choice_box([k.value for k in InteractionKind]), _("What happened")
        )
        self.mood = QComboBox()
        self.mood.addItem("—", None)
        for value in MOODS:
            self.mood.addItem(mood_text(value), value)
        self.add_field("mood", self.mood)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(
            _("What annoyed or pleased them? These are the hooks for the next call.")
        )
        self.add_field("notes", self.notes)
        if interaction is not None:
            self.date.set_date(interaction.date)
            select_data(self.channel, interaction.channel)
            select_data(self.kind, interaction.kind)
            select_data(self.mood, interaction.mood)
            self.notes.setPlainText(interaction.notes or "")
        else:
            self.date.set_date(dt.date.today())

    def values(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "date": self.read_date("date"),
            "channel": self.channel.currentData(),
            "kind": self.kind.currentData(),
            "mood": self.mood.currentData(),
            "notes": self.notes.toPlainText(),
        }

    def save(self) -> Interaction:
        values = self.values()
        if self.interaction is None:
            return interaction_service.create_interaction(self.context.db, values)
        values.pop("client_id")
        assert self.interaction.id is not None  # an interaction being edited was saved before
        return interaction_service.update_interaction(self.context.db, self.interaction.id, values)
