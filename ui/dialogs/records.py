"""Forms for the foundation's records: client, revenue entry, interaction.

Each form validates through the service it calls; a refused field is named in the dialog,
which stays open with everything typed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from freelancer_desk import clock
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.models import (
    AddressForm,
    Channel,
    Client,
    ClientCreate,
    ClientKind,
    Interaction,
    InteractionCreate,
    InteractionKind,
    LoyaltyType,
    RevenueCreate,
    Salutation,
)
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import groups as group_service
from freelancer_desk.services import interactions as interaction_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services.revenue import RevenueRow
from ui.context import AppContext
from ui.widgets import (
    DateField,
    MoneyField,
    RecordDialog,
    choice_box,
    client_box,
    hint_label,
    select_data,
    show_modal,
    text_box,
)

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


#: The VAT rates a client can have (basis points; None: the usual rate of the settings).
CLIENT_VAT_RATES: list[tuple[str, int | None]] = [
    (N_("usual rate (settings)"), None),
    (N_("19 %"), 1900),
    (N_("7 %"), 700),
    (N_("0 % (reverse charge, abroad)"), 0),
]


#: The client box's entry that opens the client form (``RevenueDialog``).
NEW_CLIENT = "new-client"


class ClientDialog(RecordDialog):
    """Create or edit a client, its group, loyalty type and contact permissions."""

    input_model = ClientCreate

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
        self.lines: dict[str, QLineEdit] = {}
        self._add_line("contact_person")
        self.salutation = self.add_field(
            "salutation", choice_box([s.value for s in Salutation], allow_empty=True)
        )
        self.salutation.setToolTip(
            _("How messages greet the contact person: Frau / Herr, or by name")
        )
        self.address_form = self.add_field(
            "address_form", choice_box([f.value for f in AddressForm])
        )
        self._add_line("email")
        self._add_line("phone")
        address = text_box(60)
        self.address = self.add_field("address", address)
        self._add_line("tags").setToolTip(_("Words separated by commas"))
        self.loyalty = self.add_field(
            "loyalty", choice_box([t.value for t in LoyaltyType], allow_empty=True)
        )
        self.term = QSpinBox()
        self.term.setRange(0, 365)
        self.term.setSpecialValueText(_("usual"))
        self.term.setSuffix(_(" days"))
        self.add_field("payment_term_days", self.term)
        self.vat_rate = QComboBox()
        for text, basis_points in CLIENT_VAT_RATES:
            self.vat_rate.addItem(_(text), basis_points)
        self.add_field("vat_rate_bp", self.vat_rate).setToolTip(
            _("Works out the net amount of this client's payments and gross amounts")
        )
        #: Consent and objection days, by model field.
        self.days = {
            key: self.add_field(key, DateField())
            for key in ("email_consent_on", "phone_consent_on", "objection_on")
        }
        notes = text_box(80)
        self.notes = self.add_field("notes", notes)
        self.archived = self.add_field(
            "archived", QCheckBox(_("Archived (hidden from the usual lists)")), _("Archive")
        )
        if client is not None:
            self._fill(client)
        self.name.setFocus()

    def _add_line(self, key: str) -> QLineEdit:
        """A one-line text field for the model field ``key``, kept in ``lines``."""
        line = self.lines[key] = self.add_field(key, QLineEdit())
        return line

    def _fill(self, client: Client) -> None:
        self.name.setText(client.name)
        select_data(self.kind, client.kind)
        select_data(self.salutation, client.salutation)
        select_data(self.address_form, client.address_form)
        select_data(self.group, client.group_id)
        for key, line in self.lines.items():
            line.setText(getattr(client, key) or "")
        self.address.setPlainText(client.address or "")
        self.notes.setPlainText(client.notes or "")
        select_data(self.loyalty, client.loyalty)
        self.term.setValue(client.payment_term_days or 0)
        rate = client.vat_rate_bp
        if rate is not None and self.vat_rate.findData(rate) < 0:  # a rate no longer offered
            self.vat_rate.addItem(f"{rate / 100:g} %", rate)
        select_data(self.vat_rate, rate)
        for key, day in self.days.items():
            day.set_date(getattr(client, key))
        self.archived.setChecked(client.archived)

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "kind": self.kind.currentData(),
            "group_id": self.group.currentData(),
            **{key: line.text() for key, line in self.lines.items()},
            "salutation": self.salutation.currentData(),
            "address_form": self.address_form.currentData(),
            "address": self.address.toPlainText(),
            "loyalty": self.loyalty.currentData(),
            "payment_term_days": self.term.value() or None,
            "vat_rate_bp": self.vat_rate.currentData(),
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
    """Add or edit an invoice or credit note (a negative net amount).

    A new entry gets the next invoice number and today's date; the due date follows the
    client's payment term until the user types one; "Paid today" fills the paid date.
    """

    input_model = RevenueCreate

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
        self._offer_new_client()
        self.invoice_number = self.add_field("invoice_number", QLineEdit())
        self.invoice_date = self.add_field("invoice_date", DateField())
        self.net = self.add_field("net", MoneyField())
        self.net.setToolTip(_("Negative for a credit note"))
        self.due_date = DateField(near=self._invoice_day)
        self.due_hint = hint_label()  # beside the field: its coming and going moves nothing
        self.due_hint.setObjectName("dueHint")
        self.due_hint.setWordWrap(False)
        self.due_hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.due_date.add_beside(self.due_hint)
        self.add_field("due_date", self.due_date)
        self.paid_date = DateField(near=self._invoice_day)
        self.paid_today = QPushButton(_("Paid &today"))
        self.paid_today.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        self.paid_today.setToolTip(_("Enter today's date as the paid date"))
        self.paid_today.clicked.connect(lambda: self.paid_date.set_date(clock.today()))
        self.paid_date.add_beside(self.paid_today)
        self.add_field("paid_date", self.paid_date)
        self.note = self.add_field("note", QLineEdit())
        #: The due date follows the payment term until the user types one.
        self._due_follows_term = entry is None
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
            self.invoice_date.set_date(clock.today())
            suggested = revenue_service.next_invoice_number(context.db)
            if suggested:
                self.invoice_number.setText(suggested)
                self.invoice_number.setToolTip(
                    _("The number after your latest invoice; type over it.")
                )
                self.invoice_number.selectAll()
        self.due_date.edit.textEdited.connect(self._due_typed)
        self.client.currentIndexChanged.connect(self._follow_term)
        self.invoice_date.changed.connect(self._follow_term)
        self._follow_term()
        (self.invoice_number if client_id or entry else self.client).setFocus()

    def _offer_new_client(self) -> None:
        """The client box ends with "New client…", which opens the client form and chooses
        the client made: on a new database there is no client to choose yet, and an entry
        could not be saved at all."""
        box = self.client
        if box.count() == 1:  # only "(choose a client)"
            box.setItemText(0, _("(no clients yet: choose “New client…”)"))
        box.addItem(_("New client…"), NEW_CLIENT)
        #: The client chosen before "New client…": chosen again when the form is cancelled.
        self._chosen_client = box.currentIndex()
        box.currentIndexChanged.connect(self._client_chosen)
        box.activated.connect(self._client_picked)

    def _client_chosen(self, index: int) -> None:
        if self.client.itemData(index) != NEW_CLIENT:
            self._chosen_client = index

    def _client_picked(self, index: int) -> None:
        """Picking "New client…" opens the client form, then chooses the client made."""
        box = self.client
        if box.itemData(index) != NEW_CLIENT:
            return
        dialog = ClientDialog(self.context, parent=self)
        if show_modal(dialog):
            client = dialog.result_value
            self.context.changed()  # the client lists show the new client
            box.setItemText(0, _("(choose a client)"))
            box.insertItem(index, client.name, client.id)
            self._chosen_client = index
        box.setCurrentIndex(self._chosen_client)

    def _invoice_day(self) -> dt.date | None:
        """The invoice date typed so far, where the due and paid calendars open."""
        try:
            return self.invoice_date.date()
        except ValueError:
            return None

    def _due_typed(self) -> None:
        self._due_follows_term = False
        self.due_hint.clear()

    def _follow_term(self) -> None:
        """Fill the due date from the invoice date and the client's payment term."""
        day, client_id = self._invoice_day(), self.client.currentData()
        if not self._due_follows_term or day is None or client_id == NEW_CLIENT:
            return
        due = revenue_service.due_date_for(self.context.db, client_id, day)
        self.due_date.set_date(due)
        days = (due - day).days
        self.due_hint.setText(
            ngettext("payment term {days} day", "payment term {days} days", days).format(days=days)
        )

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

    input_model = InteractionCreate

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
        self.notes = text_box()
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
            self.date.set_date(clock.today())

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
