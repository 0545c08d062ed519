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
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

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


def _text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    assert isinstance(widget, QLineEdit)
    return widget.text()


#: The VAT rates a client can have (basis points; None: the usual rate of the settings).
CLIENT_VAT_RATES: list[tuple[str, int | None]] = [
    (N_("usual rate (settings)"), None),
    (N_("19 %"), 1900),
    (N_("7 %"), 700),
    (N_("0 % (reverse charge, abroad)"), 0),
]


class ClientDialog(RecordDialog):
    """Create or edit a client, its group, loyalty type and contact permissions."""

    input_model = ClientCreate

    def __init__(
        self, context: AppContext, client: Client | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(_("Edit client") if client else _("New client"), parent)
        self.context = context
        self.client = client
        self.add_field("name", QLineEdit())
        self.add_field("kind", choice_box([k.value for k in ClientKind]))
        group = QComboBox()
        group.addItem(_("(no group)"), None)
        for item in group_service.list_groups(context.db):
            group.addItem(item.name, item.id)
        self.add_field("group_id", group)
        self.add_field("contact_person", QLineEdit())
        salutation = choice_box([s.value for s in Salutation], allow_empty=True)
        salutation.setToolTip(_("How messages greet the contact person: Frau / Herr, or by name"))
        self.add_field("salutation", salutation)
        self.add_field("address_form", choice_box([f.value for f in AddressForm]))
        self.add_field("email", QLineEdit())
        self.add_field("phone", QLineEdit())
        address = QPlainTextEdit()
        address.setFixedHeight(60)
        self.add_field("address", address)
        self.add_field("tags", QLineEdit()).setToolTip(_("Words separated by commas"))
        self.add_field("loyalty", choice_box([t.value for t in LoyaltyType], allow_empty=True))
        term = QSpinBox()
        term.setRange(0, 365)
        term.setSpecialValueText(_("usual"))
        term.setSuffix(_(" days"))
        self.add_field("payment_term_days", term)
        rate = QComboBox()
        for text, basis_points in CLIENT_VAT_RATES:
            rate.addItem(_(text), basis_points)
        self.add_field("vat_rate_bp", rate).setToolTip(
            _("Works out the net amount of this client's payments and gross amounts")
        )
        self.add_field("email_consent_on", DateField())
        self.add_field("phone_consent_on", DateField())
        self.add_field("objection_on", DateField())
        notes = QPlainTextEdit()
        notes.setFixedHeight(80)
        self.add_field("notes", notes)
        self.add_field(
            "archived", QCheckBox(_("Archived (hidden from the usual lists)")), _("Archive")
        )
        if client is not None:
            self._fill(client)
        self.fields["name"].setFocus()

    def _fill(self, client: Client) -> None:
        f = self.fields
        f["name"].setText(client.name)  # type: ignore[attr-defined]
        select_data(f["kind"], client.kind)  # type: ignore[arg-type]
        select_data(f["salutation"], client.salutation)  # type: ignore[arg-type]
        select_data(f["address_form"], client.address_form)  # type: ignore[arg-type]
        select_data(f["group_id"], client.group_id)  # type: ignore[arg-type]
        for key in ("contact_person", "email", "phone", "tags"):
            f[key].setText(getattr(client, key) or "")  # type: ignore[attr-defined]
        for key in ("address", "notes"):
            f[key].setPlainText(getattr(client, key) or "")  # type: ignore[attr-defined]
        select_data(f["loyalty"], client.loyalty)  # type: ignore[arg-type]
        f["payment_term_days"].setValue(client.payment_term_days or 0)  # type: ignore[attr-defined]
        rate = f["vat_rate_bp"]
        if rate.findData(client.vat_rate_bp) < 0:  # type: ignore[attr-defined]
            rate.addItem(f"{client.vat_rate_bp / 100:g} %", client.vat_rate_bp)  # type: ignore[attr-defined, operator]
        select_data(rate, client.vat_rate_bp)  # type: ignore[arg-type]
        for key in ("email_consent_on", "phone_consent_on", "objection_on"):
            f[key].set_date(getattr(client, key))  # type: ignore[attr-defined]
        f["archived"].setChecked(client.archived)  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        f = self.fields
        term = f["payment_term_days"].value()  # type: ignore[attr-defined]
        return {
            "name": _text(f["name"]),
            "kind": f["kind"].currentData(),  # type: ignore[attr-defined]
            "group_id": f["group_id"].currentData(),  # type: ignore[attr-defined]
            "contact_person": _text(f["contact_person"]),
            "salutation": f["salutation"].currentData(),  # type: ignore[attr-defined]
            "address_form": f["address_form"].currentData(),  # type: ignore[attr-defined]
            "email": _text(f["email"]),
            "phone": _text(f["phone"]),
            "address": _text(f["address"]),
            "tags": _text(f["tags"]),
            "loyalty": f["loyalty"].currentData(),  # type: ignore[attr-defined]
            "payment_term_days": term or None,
            "vat_rate_bp": f["vat_rate_bp"].currentData(),  # type: ignore[attr-defined]
            "email_consent_on": self.read_date("email_consent_on"),
            "phone_consent_on": self.read_date("phone_consent_on"),
            "objection_on": self.read_date("objection_on"),
            "notes": _text(f["notes"]),
            "archived": f["archived"].isChecked(),  # type: ignore[attr-defined]
        }

    def save(self) -> Client:
        if self.client is None:
            return client_service.create_client(self.context.db, self.values())
        return client_service.update_client(self.context.db, self.client.id, self.values())  # type: ignore[arg-type]


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
        client = client_box(context, allow_none=False)
        self.add_field("client_id", client)
        number = QLineEdit()
        self.add_field("invoice_number", number)
        invoice_date = DateField()
        self.add_field("invoice_date", invoice_date)
        net = self.add_field("net", MoneyField())
        net.setToolTip(_("Negative for a credit note"))
        due = DateField(near=self._invoice_day)
        self.due_hint = hint_label()  # beside the field: its coming and going moves nothing
        self.due_hint.setObjectName("dueHint")
        self.due_hint.setWordWrap(False)
        self.due_hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        due.layout().addWidget(self.due_hint)  # type: ignore[union-attr]
        self.add_field("due_date", due)
        paid = DateField(near=self._invoice_day)
        paid_today = QPushButton(_("Paid &today"))
        paid_today.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        paid_today.setToolTip(_("Enter today's date as the paid date"))
        paid_today.clicked.connect(lambda: paid.set_date(dt.date.today()))
        paid.layout().addWidget(paid_today)  # type: ignore[union-attr]
        self.paid_today = paid_today
        self.add_field("paid_date", paid)
        self.add_field("note", QLineEdit())
        #: The due date follows the payment term until the user types one.
        self._due_follows_term = entry is None
        if entry is not None:
            select_data(client, entry.client_id)
            number.setText(entry.invoice_number or "")
            invoice_date.set_date(entry.invoice_date)
            net.set_amount(entry.net)  # type: ignore[attr-defined]
            due.set_date(entry.due_date)
            paid.set_date(entry.paid_date)
            self.fields["note"].setText(entry.note or "")  # type: ignore[attr-defined]
        else:
            select_data(client, client_id)
            invoice_date.set_date(dt.date.today())
            suggested = revenue_service.next_invoice_number(context.db)
            if suggested:
                number.setText(suggested)
                number.setToolTip(_("The number after your latest invoice; type over it."))
                number.selectAll()
        due.edit.textEdited.connect(self._due_typed)
        client.currentIndexChanged.connect(self._follow_term)
        invoice_date.changed.connect(self._follow_term)
        self._follow_term()
        (number if client_id or entry else client).setFocus()

    def _invoice_day(self) -> dt.date | None:
        """The invoice date typed so far, where the due and paid calendars open."""
        try:
            return self.fields["invoice_date"].date()  # type: ignore[attr-defined, no-any-return]
        except ValueError:
            return None

    def _due_typed(self) -> None:
        self._due_follows_term = False
        self.due_hint.clear()

    def _follow_term(self) -> None:
        """Fill the due date from the invoice date and the client's payment term."""
        day = self._invoice_day()
        if not self._due_follows_term or day is None:
            return
        client_id = self.fields["client_id"].currentData()  # type: ignore[attr-defined]
        due = revenue_service.due_date_for(self.context.db, client_id, day)
        self.fields["due_date"].set_date(due)  # type: ignore[attr-defined]
        days = (due - day).days
        self.due_hint.setText(
            ngettext("payment term {days} day", "payment term {days} days", days).format(days=days)
        )

    def values(self) -> dict[str, Any]:
        return {
            "client_id": self.fields["client_id"].currentData(),  # type: ignore[attr-defined]
            "invoice_number": _text(self.fields["invoice_number"]),
            "invoice_date": self.read_date("invoice_date"),
            "net": self.read_money("net"),
            "due_date": self.read_date("due_date"),
            "paid_date": self.read_date("paid_date"),
            "note": _text(self.fields["note"]),
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
        self.add_field("date", DateField())
        self.add_field("channel", choice_box([c.value for c in Channel]))
        self.add_field("kind", choice_box([k.value for k in InteractionKind]), _("What happened"))
        mood = QComboBox()
        mood.addItem("—", None)
        for value in MOODS:
            mood.addItem(mood_text(value), value)
        self.add_field("mood", mood)
        notes = QPlainTextEdit()
        notes.setPlaceholderText(
            _("What annoyed or pleased them? These are the hooks for the next call.")
        )
        self.add_field("notes", notes)
        if interaction is not None:
            self.fields["date"].set_date(interaction.date)  # type: ignore[attr-defined]
            select_data(self.fields["channel"], interaction.channel)  # type: ignore[arg-type]
            select_data(self.fields["kind"], interaction.kind)  # type: ignore[arg-type]
            select_data(mood, interaction.mood)
            notes.setPlainText(interaction.notes or "")
        else:
            self.fields["date"].set_date(dt.date.today())  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "date": self.read_date("date"),
            "channel": self.fields["channel"].currentData(),  # type: ignore[attr-defined]
            "kind": self.fields["kind"].currentData(),  # type: ignore[attr-defined]
            "mood": self.fields["mood"].currentData(),  # type: ignore[attr-defined]
            "notes": _text(self.fields["notes"]),
        }

    def save(self) -> Interaction:
        values = self.values()
        if self.interaction is None:
            return interaction_service.create_interaction(self.context.db, values)
        values.pop("client_id")
        return interaction_service.update_interaction(self.context.db, self.interaction.id, values)  # type: ignore[arg-type]
