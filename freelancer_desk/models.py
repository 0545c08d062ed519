"""The records of Freelancer Desk (DOMAIN.md §2) as SQLModel tables, with validated input models.

Layering follows the SQLModel convention: ``XBase`` holds the shared fields and validators,
``X(table=True)`` is the table, ``XCreate`` / ``XUpdate`` validate every write. Table models do
not validate in SQLModel, so services only ever write from a validated input model, and CHECK
constraints in SQLite back the rules up.

Money is stored as integer cents (``*_cents``); input models carry ``Decimal`` amounts. The
choices (``Channel``, ``ClientStatus``, ``label`` …) live in ``choices``, which needs no ORM;
they can be imported from here as well.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar, get_args

from pydantic import ValidationError, field_validator, model_validator
from sqlalchemy import CheckConstraint, Dialect, Index, String, UniqueConstraint, text
from sqlalchemy.types import TypeDecorator
from sqlmodel import AutoString, Field, SQLModel

from freelancer_desk import clock
from freelancer_desk.choices import LABELS as LABELS
from freelancer_desk.choices import (
    AddressForm,
    Channel,
    ClientKind,
    Decision,
    FeedbackKind,
    FeedbackStatus,
    InteractionKind,
    LossType,
    LoyaltyType,
    PaymentSource,
    Reaction,
    RecurrenceUnit,
    ReminderPurpose,
    Salutation,
    WinbackOutcome,
)
from freelancer_desk.choices import ClientStatus as ClientStatus
from freelancer_desk.choices import label as label
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import N_, _
from freelancer_desk.names import is_erased_marker, shown

M = TypeVar("M", bound=SQLModel)
M2 = TypeVar("M2", bound=SQLModel)

#: Column type of every choice: the enum's text value, checked by a CHECK constraint.
CHOICE = String(32)


def _in(column: str, choices: type[StrEnum], nullable: bool = False) -> CheckConstraint:
    values = ", ".join(f"'{member.value}'" for member in choices)
    condition = f"{column} IN ({values})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return CheckConstraint(condition, name=f"ck_{column}_choice")


# --------------------------------------------------------------------------------------------
# Shared validators
# --------------------------------------------------------------------------------------------

MAX_TEXT = 20_000
MAX_NAME = 200
MAX_AMOUNT = Decimal("999999999.99")


def clean_required(value: str) -> str:
    """Trimmed text that must not be empty."""
    value = (value or "").strip()
    if not value:
        raise ValueError(_("must not be empty"))
    return value


def clean_optional(value: str | None) -> str | None:
    """Trimmed text, or None when nothing is left."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def check_amount(value: Decimal | None) -> Decimal | None:
    """A money amount: finite, at most two decimals, within a sane range."""
    if value is None:
        return None
    if not value.is_finite():
        raise ValueError(_("is not a number"))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("may have at most two decimal places"))
    if abs(value) > MAX_AMOUNT:
        raise ValueError(_("is too large"))
    return value


def check_no_nul(value: str | None) -> str | None:
    """SQLite and most programs cut text at NUL; refuse it rather than lose the rest."""
    if value is not None and "\x00" in value:
        raise ValueError(_("contains an invalid character"))
    return value


#: One address: a local part, ``@``, a domain with at least one dot; no spaces, quotes, angle
#: brackets or other characters that belong around an address rather than in it.
_NOT_IN_ADDRESS = r"@\s<>()\[\]\\,;:\""
_EMAIL = re.compile(
    rf"[^{_NOT_IN_ADDRESS}]{{1,64}}@[^{_NOT_IN_ADDRESS}.]+(?:\.[^{_NOT_IN_ADDRESS}.]+)+"
)
#: The longest address mail systems take (RFC 5321 path limit less the angle brackets).
MAX_EMAIL = 254


def check_email(value: str | None) -> str | None:
    """One e-mail address, or ValueError saying what is wrong with it.

    A line break would let the address add headers to a message, a ``?`` would add fields
    (cc, bcc, body) to a ``mailto:`` link, and a list (``,`` or ``;``) would send to several
    people where the user meant one.
    """
    if value is None:
        return None
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise ValueError(_("must be on one line (no line breaks or control characters)"))
    if "," in value or ";" in value:
        raise ValueError(_("must be one address, not a list (no , or ;)"))
    if "?" in value:
        raise ValueError(_("must not contain a question mark"))
    if len(value) > MAX_EMAIL or not _EMAIL.fullmatch(value):
        raise ValueError(_("is not an email address (like name@example.de)"))
    return value


def check_revenue_dates(
    invoice_date: dt.date, due_date: dt.date | None, paid_date: dt.date | None
) -> None:
    """Due and paid dates cannot lie before the invoice date."""
    if paid_date is not None and paid_date < invoice_date:
        raise input_error("paid_date", N_("must not be before the invoice date"))
    if due_date is not None and due_date < invoice_date:
        raise input_error("due_date", N_("must not be before the invoice date"))


# --------------------------------------------------------------------------------------------
# Field names as a person reads them, and turning pydantic errors into InputError
# --------------------------------------------------------------------------------------------

FIELD_LABELS: dict[str, str] = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "group_id": N_("Group"),
    "contact_person": N_("Contact person"),
    "salutation": N_("Salutation"),
    "address_form": N_("Form of address"),
    "email": N_("Email"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "notes": N_("Notes"),
    "note": N_("Note"),
    "tags": N_("Tags"),
    "loyalty": N_("Loyalty type"),
    "payment_term_days": N_("Payment term (days)"),
    "vat_rate_bp": N_("VAT rate"),
    "email_consent_on": N_("Email consent"),
    "phone_consent_on": N_("Phone consent"),
    "objection_on": N_("Objection"),
    "client_id": N_("Client"),
    "invoice_number": N_("Invoice number"),
    "invoice_date": N_("Invoice date"),
    "net": N_("Net amount"),
    "gross": N_("Gross amount"),
    "vat_rate": N_("VAT rate"),
    "due_date": N_("Due date"),
    "paid_date": N_("Paid date"),
    "date": N_("Date"),
    "channel": N_("Channel"),
    "mood": N_("Mood"),
    "lost_on": N_("Lost on"),
    "loss_type": N_("Loss type"),
    "reason_code": N_("Reason"),
    "reason_text": N_("Reason details"),
    "label_de": N_("Name (German)"),
    "label_en": N_("Name (English)"),
    "measures_de": N_("Measures (German)"),
    "measures_en": N_("Measures (English)"),
    "potential_12m": N_("Revenue potential (12 months)"),
    "discount": N_("Discount needed"),
    "winback_cost": N_("Cost of winning back"),
    "care_cost_12m": N_("Care cost (12 months)"),
    "measures": N_("Measures"),
    "incentive": N_("Incentive"),
    "outcome": N_("Outcome"),
    "revisit_on": N_("Revisit on"),
    "reaction": N_("Reaction"),
    "cost": N_("Cost"),
    "status": N_("Status"),
    "follow_up_on": N_("Follow-up date"),
    "response": N_("Response"),
    "rating": N_("Rating"),
    "due_on": N_("Due date"),
    "purpose": N_("Purpose"),
    "recurrence_every": N_("Recurrence"),
    "recurrence_unit": N_("Recurrence"),
}


def field_label(field: str) -> str:
    """The translated name of a field as forms and messages show it."""
    return _(FIELD_LABELS.get(field, field.replace("_", " ").capitalize()))


def input_error(field: str, message: str) -> InputError:
    """An InputError for ``field``; ``message`` is an untranslated (``N_``) text."""
    return InputError(field, _(message), label=field_label(field))


#: Why an erased client is not changed, lost or erased again: only anonymous figures remain.
ERASED_ALREADY = N_("this client's personal data are erased already")


_PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("is required"),
    "date_parsing": N_("is not a valid date"),
    "date_from_datetime_parsing": N_("is not a valid date"),
    "date_type": N_("is not a valid date"),
    "decimal_parsing": N_("is not a number"),
    "decimal_type": N_("is not a number"),
    "int_parsing": N_("is not a whole number"),
    "int_type": N_("is not a whole number"),
    "int_from_float": N_("is not a whole number"),
    "enum": N_("is not one of the allowed values"),
    "string_too_long": N_("is too long"),
    "decimal_max_digits": N_("is too large"),
    "decimal_max_places": N_("may have at most two decimal places"),
    "bool_parsing": N_("must be yes or no"),
}


_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?")


def _refuse_counted_days(model: type[SQLModel], data: Mapping[str, Any]) -> None:
    """Refuse a date given as a number ("00", 20250701, 1.5): pydantic would read it as seconds
    since 1970 and store 1 January 1970 for "00"."""
    for name, field in model.model_fields.items():
        value = data.get(name)
        if isinstance(value, bool) or not (
            isinstance(value, int | float)
            or (isinstance(value, str) and _NUMBER.fullmatch(value.strip()))
        ):
            continue
        if dt.date in (field.annotation, *get_args(field.annotation)):
            raise input_error(name, _PYDANTIC_MESSAGES["date_parsing"])


def validate(model: type[M], data: Mapping[str, Any] | SQLModel) -> M:
    """Build a validated input model, or raise InputError naming the first bad field."""
    try:
        if isinstance(data, SQLModel):
            data = data.model_dump()
        _refuse_counted_days(model, data)
        return model.model_validate(data)
    except ValidationError as exc:
        raise _input_error_of(exc.errors()[0]) from None


def input_errors(model: type[SQLModel], data: Mapping[str, Any]) -> list[InputError]:
    """Every bad field of ``data`` for ``model``, one error each, so that a form can mark all
    of them at once; empty when the data is valid.

    Rules between fields (which raise InputError themselves) are checked only once every field
    is valid, so they appear only then.
    """
    try:
        _refuse_counted_days(model, data)
        model.model_validate(data)
    except InputError as error:
        return [error]
    except ValidationError as exc:
        errors: dict[str, InputError] = {}
        for details in exc.errors():
            found = _input_error_of(details)
            errors.setdefault(found.field, found)
        return list(errors.values())
    return []


def _input_error_of(details: Any) -> InputError:
    """One pydantic error (an item of ``ValidationError.errors()``) as an InputError."""
    field = str(details["loc"][0]) if details["loc"] else "value"
    kind = details["type"]
    if kind == "missing" or (
        details.get("input") is None and (kind.endswith("_type") or kind == "enum")
    ):
        message = _("is required")
    elif kind == "value_error":
        message = str(details.get("ctx", {}).get("error", details["msg"]))
    elif kind in ("greater_than_equal", "greater_than"):
        message = _("must be at least {limit}").format(
            limit=details["ctx"]["ge" if "ge" in details["ctx"] else "gt"]
        )
    elif kind in ("less_than_equal", "less_than"):
        message = _("must be at most {limit}").format(
            limit=details["ctx"]["le" if "le" in details["ctx"] else "lt"]
        )
    else:
        message = _(_PYDANTIC_MESSAGES.get(kind, N_("is not valid")))
    return InputError(field, message, label=field_label(field))


def stored_input(record: SQLModel, model: type[SQLModel]) -> dict[str, Any]:
    """The fields of input ``model`` as ``record`` holds them, to merge changes into and validate.

    Table models keep choices as the stored text (they do not validate), so ``model_dump()`` on
    them warns; reading the attributes does not.
    """
    return {name: getattr(record, name) for name in model.model_fields if hasattr(record, name)}


def apply_changes(record: M2, model: type[SQLModel], changes: Mapping[str, Any]) -> M2:
    """Validate ``record`` with ``changes`` merged in as a whole ``model``, then set the changes.

    Rules between fields (a paid date after the invoice date …) hold for the merged record, so a
    change of one field cannot break them. Raises InputError and leaves ``record`` untouched.
    """
    merged = validate(model, {**stored_input(record, model), **changes})
    for key in changes:
        setattr(record, key, getattr(merged, key))
    return record


# --------------------------------------------------------------------------------------------
# Client groups
# --------------------------------------------------------------------------------------------


class ClientGroupBase(SQLModel):
    """A group of companies (Konzern) that counts as ONE payer for dependency."""

    name: str = Field(max_length=MAX_NAME)
    note: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_required(check_no_nul(value) or "")

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))


class ClientGroup(ClientGroupBase, table=True):
    __tablename__ = "client_group"
    __table_args__ = (
        UniqueConstraint("name", name="uq_client_group_name"),
        CheckConstraint("length(trim(name)) > 0", name="ck_client_group_name"),
    )
    id: int | None = Field(default=None, primary_key=True)


class ClientGroupCreate(ClientGroupBase):
    pass


class ClientGroupUpdate(SQLModel):
    name: str | None = None
    note: str | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else clean_required(check_no_nul(value) or "")


# --------------------------------------------------------------------------------------------
# Clients
# --------------------------------------------------------------------------------------------


class ClientName(TypeDecorator[str]):
    """The client's name column: an erased client's marker is read as its label in the
    current language (``names.shown``), in every query that selects the column."""

    impl = AutoString
    cache_ok = True

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else shown(value)


class ClientBase(SQLModel):
    """A client (Kunde / Auftraggeber) and its contact permissions."""

    name: str = Field(max_length=MAX_NAME)
    kind: ClientKind = Field(sa_type=CHOICE, default=ClientKind.BUSINESS)
    group_id: int | None = Field(default=None, foreign_key="client_group.id", ondelete="SET NULL")
    contact_person: str | None = Field(default=None, max_length=MAX_NAME)
    #: Frau / Herr for the contact person in messages; None greets them by their full name.
    salutation: Salutation | None = Field(sa_type=CHOICE, default=None)
    #: Sie or Du in messages (DOMAIN.md §2: the templates speak to each client as they are used to).
    address_form: AddressForm = Field(sa_type=CHOICE, default=AddressForm.FORMAL)
    email: str | None = Field(default=None, max_length=MAX_NAME)
    phone: str | None = Field(default=None, max_length=MAX_NAME)
    address: str | None = Field(default=None, max_length=MAX_TEXT)
    notes: str | None = Field(default=None, max_length=MAX_TEXT)
    tags: str | None = Field(default=None, max_length=MAX_TEXT)
    loyalty: LoyaltyType | None = Field(sa_type=CHOICE, default=None)
    #: Days until an invoice is due when it has no due date (for payment delays).
    payment_term_days: int | None = Field(default=None, ge=0, le=365)
    #: The client's own VAT rate in basis points (700 = 7 %, 0 = reverse charge); None: usual.
    vat_rate_bp: int | None = Field(default=None, ge=0, le=9999)
    email_consent_on: dt.date | None = None
    phone_consent_on: dt.date | None = None
    #: Widerspruch: after this date no channel may be used for advertising.
    objection_on: dt.date | None = None
    archived: bool = False

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str) -> str:
        name = clean_required(check_no_nul(value) or "")
        if is_erased_marker(name):
            raise ValueError(_("is kept for erased clients; choose another name"))
        return name

    @field_validator("contact_person", "email", "phone", "address", "notes", "tags", mode="before")
    @classmethod
    def _optional_text(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return check_email(value)


class Client(ClientBase, table=True):
    __table_args__ = (
        CheckConstraint("length(trim(name)) > 0", name="ck_client_name"),
        _in("kind", ClientKind),
        _in("loyalty", LoyaltyType, nullable=True),
        CheckConstraint(
            "vat_rate_bp IS NULL OR vat_rate_bp BETWEEN 0 AND 9999", name="ck_client_vat_rate"
        ),
        _in("salutation", Salutation, nullable=True),
        _in("address_form", AddressForm),
        Index("ix_client_name_nocase", text("name COLLATE NOCASE")),
        Index("ix_client_group_id", "group_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=MAX_NAME, sa_type=ClientName)
    created_on: dt.date = Field(default_factory=clock.today)
    #: Personal data erased on request (GDPR); revenue stays as anonymous figures.
    erased: bool = False


class ClientCreate(ClientBase):
    pass


class ClientUpdate(SQLModel):
    """Fields to change; fields left out stay as they are."""

    name: str | None = None
    kind: ClientKind | None = Field(default=None, sa_type=CHOICE)
    group_id: int | None = None
    contact_person: str | None = None
    salutation: Salutation | None = Field(default=None, sa_type=CHOICE)
    address_form: AddressForm | None = Field(default=None, sa_type=CHOICE)
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    notes: str | None = None
    tags: str | None = None
    loyalty: LoyaltyType | None = Field(default=None, sa_type=CHOICE)
    payment_term_days: int | None = Field(default=None, ge=0, le=365)
    vat_rate_bp: int | None = Field(default=None, ge=0, le=9999)
    email_consent_on: dt.date | None = None
    phone_consent_on: dt.date | None = None
    objection_on: dt.date | None = None
    archived: bool | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        return None if value is None else clean_required(check_no_nul(value) or "")


# --------------------------------------------------------------------------------------------
# Revenue entries
# --------------------------------------------------------------------------------------------


class RevenueBase(SQLModel):
    """Fields shared by revenue entry input and output (money as Decimal)."""

    client_id: int
    invoice_number: str | None = Field(default=None, max_length=MAX_NAME)
    invoice_date: dt.date
    net: Decimal = Field(max_digits=12, decimal_places=2)
    gross: Decimal | None = Field(default=None, max_digits=12, decimal_places=2)
    vat_rate: Decimal | None = Field(default=None, ge=0, le=100)
    due_date: dt.date | None = None
    paid_date: dt.date | None = None
    note: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("invoice_number", "note", mode="before")
    @classmethod
    def _optional_text(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))

    @field_validator("net", "gross")
    @classmethod
    def _amount(cls, value: Decimal | None) -> Decimal | None:
        return check_amount(value)

    @model_validator(mode="after")
    def _dates(self) -> RevenueBase:
        check_revenue_dates(self.invoice_date, self.due_date, self.paid_date)
        return self


class RevenueEntry(SQLModel, table=True):
    """One invoice or credit note (negative net). Money in whole cents."""

    __tablename__ = "revenue_entry"
    __table_args__ = (
        CheckConstraint("paid_date IS NULL OR paid_date >= invoice_date", name="ck_paid_after"),
        CheckConstraint("due_date IS NULL OR due_date >= invoice_date", name="ck_due_after"),
        Index("ix_revenue_client_date", "client_id", "invoice_date"),
        Index("ix_revenue_invoice_date", "invoice_date"),
        # With the invoice date: "paid after D, invoiced on or before D" (the invoices open on a
        # past day) is then judged in the index, and only those entries are read.
        Index("ix_revenue_paid_date", "paid_date", "invoice_date"),
        Index(
            "uq_revenue_client_invoice_number",
            "client_id",
            "invoice_number",
            unique=True,
            sqlite_where=text("invoice_number IS NOT NULL"),
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    invoice_number: str | None = Field(default=None, max_length=MAX_NAME)
    invoice_date: dt.date
    net_cents: int
    gross_cents: int | None = None
    due_date: dt.date | None = None
    paid_date: dt.date | None = None
    note: str | None = None


class InvoicePayment(SQLModel, table=True):
    """A payment received for an invoice, as a bank statement shows it (DOMAIN.md §9).

    The invoice's paid date is the day its payments reach the gross amount, so partial
    payments wait here for the rest. A booking that paid several invoices at once has one row
    per invoice: ``amount_cents`` is this invoice's part, ``booking_cents`` the whole booking
    (with day and reference it tells a statement imported again).
    """

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="ck_payment_amount"),
        _in("source", PaymentSource),
        Index("ix_payment_entry_id", "entry_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="revenue_entry.id", ondelete="CASCADE")
    day: dt.date
    amount_cents: int
    booking_cents: int
    source: PaymentSource = Field(sa_type=CHOICE, default=PaymentSource.BANK)
    #: The booking's reference text (Verwendungszweck); it may name the client.
    reference: str | None = None


class RevenueCreate(RevenueBase):
    pass


class RevenueUpdate(SQLModel):
    """Changed fields of a revenue entry; the date rules are checked on the merged result."""

    client_id: int | None = None
    invoice_number: str | None = None
    invoice_date: dt.date | None = None
    net: Decimal | None = None
    gross: Decimal | None = None
    vat_rate: Decimal | None = None
    due_date: dt.date | None = None
    paid_date: dt.date | None = None
    note: str | None = None


# --------------------------------------------------------------------------------------------
# Interactions
# --------------------------------------------------------------------------------------------


class InteractionBase(SQLModel):
    """A contact with a client, with the emotional details that matter for a later call."""

    client_id: int
    date: dt.date
    channel: Channel = Field(default=Channel.PHONE, sa_type=CHOICE)
    kind: InteractionKind = Field(default=InteractionKind.CONTACT, sa_type=CHOICE)
    #: Mood or satisfaction: -2 (very unhappy) … +2 (delighted), None when not noted.
    mood: int | None = Field(default=None, ge=-2, le=2)
    notes: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))


class Interaction(InteractionBase, table=True):
    __table_args__ = (
        _in("channel", Channel),
        _in("kind", InteractionKind),
        CheckConstraint("mood IS NULL OR mood BETWEEN -2 AND 2", name="ck_interaction_mood"),
        Index("ix_interaction_client_date", "client_id", "date"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")


class InteractionCreate(InteractionBase):
    pass


class InteractionUpdate(SQLModel):
    date: dt.date | None = None
    channel: Channel | None = Field(default=None, sa_type=CHOICE)
    kind: InteractionKind | None = Field(default=None, sa_type=CHOICE)
    mood: int | None = Field(default=None, ge=-2, le=2)
    notes: str | None = None


# --------------------------------------------------------------------------------------------
# Losses and win-back
# --------------------------------------------------------------------------------------------


class LossReason(SQLModel, table=True):
    """The editable catalogue of loss reasons and the measures they suggest (DOMAIN.md §6)."""

    __tablename__ = "loss_reason"
    __table_args__ = (_in("loss_type", LossType, nullable=True),)
    code: str = Field(primary_key=True, max_length=64)
    loss_type: LossType | None = Field(default=None, sa_type=CHOICE)
    label_de: str
    label_en: str
    #: One measure per line.
    measures_de: str = ""
    measures_en: str = ""
    position: int = 0
    active: bool = True


class LossBase(SQLModel):
    """A client was lost (Kundenverlust)."""

    client_id: int
    lost_on: dt.date
    loss_type: LossType = Field(sa_type=CHOICE)
    reason_code: str = Field(default="other", max_length=64)
    reason_text: str | None = Field(default=None, max_length=MAX_TEXT)
    #: The client objected to any further contact (Widerspruch) when leaving.
    objected: bool = False
    notes: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("reason_text", "notes", mode="before")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))


class Loss(LossBase, table=True):
    __table_args__ = (_in("loss_type", LossType), Index("ix_loss_client", "client_id"))
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")
    reason_code: str = Field(default="other", foreign_key="loss_reason.code")
    #: The look back: the warning signs (and sleep) that showed on the day of the loss, as
    #: JSON (``services.losses.look_back``); None for losses recorded before it was kept.
    signs_before: str | None = None


class LossCreate(LossBase):
    pass


class LossUpdate(SQLModel):
    lost_on: dt.date | None = None
    loss_type: LossType | None = Field(default=None, sa_type=CHOICE)
    reason_code: str | None = None
    reason_text: str | None = None
    objected: bool | None = None
    notes: str | None = None


class WinbackCaseBase(SQLModel):
    """Deciding whether and how to win a lost client back (DOMAIN.md §4.3, §4.5)."""

    loss_id: int
    potential_12m: Decimal = Field(default=Decimal("0.00"), max_digits=12, decimal_places=2)
    #: Discount likely needed, as a fraction 0..1.
    discount: Decimal = Field(default=Decimal("0"), ge=0, le=1)
    winback_cost: Decimal = Field(default=Decimal("0.00"), max_digits=12, decimal_places=2)
    care_cost_12m: Decimal = Field(default=Decimal("0.00"), max_digits=12, decimal_places=2)
    #: Chosen measures, one per line.
    measures: str | None = Field(default=None, max_length=MAX_TEXT)
    #: The incentive: a free extra, special terms, a small gift.
    incentive: str | None = Field(default=None, max_length=MAX_TEXT)
    goal_reason_learned: bool = False
    goal_door_open: bool = False
    goal_no_bad_word: bool = False
    outcome: WinbackOutcome = Field(default=WinbackOutcome.OPEN, sa_type=CHOICE)
    outcome_on: dt.date | None = None
    revisit_on: dt.date | None = None

    @field_validator("potential_12m", "winback_cost", "care_cost_12m")
    @classmethod
    def _amount(cls, value: Decimal) -> Decimal:
        checked = check_amount(value)
        assert checked is not None
        return checked

    @field_validator("measures", "incentive", mode="before")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))


class WinbackCase(SQLModel, table=True):
    __tablename__ = "winback_case"
    __table_args__ = (
        _in("outcome", WinbackOutcome),
        CheckConstraint("discount_ppm BETWEEN 0 AND 1000000", name="ck_winback_discount"),
        UniqueConstraint("loss_id", name="uq_winback_loss"),
    )
    id: int | None = Field(default=None, primary_key=True)
    loss_id: int = Field(foreign_key="loss.id", ondelete="CASCADE")
    potential_12m_cents: int = 0
    #: Discount in parts per million (0..1,000,000) so that it stays exact.
    discount_ppm: int = 0
    winback_cost_cents: int = 0
    care_cost_12m_cents: int = 0
    measures: str | None = None
    incentive: str | None = None
    goal_reason_learned: bool = False
    goal_door_open: bool = False
    goal_no_bad_word: bool = False
    outcome: WinbackOutcome = Field(default=WinbackOutcome.OPEN, sa_type=CHOICE)
    outcome_on: dt.date | None = None
    revisit_on: dt.date | None = None
    #: Ticks of the "first jobs must be flawless" checklist for a returner, one key per line.
    returner_checklist: str | None = None


class WinbackCaseCreate(WinbackCaseBase):
    pass


class WinbackAttemptBase(SQLModel):
    """One try to reach a lost client, and how they reacted."""

    case_id: int
    date: dt.date
    channel: Channel = Field(default=Channel.PHONE, sa_type=CHOICE)
    reaction: Reaction = Field(default=Reaction.NO_ANSWER, sa_type=CHOICE)
    cost: Decimal = Field(default=Decimal("0.00"), max_digits=12, decimal_places=2)
    notes: str | None = Field(default=None, max_length=MAX_TEXT)

    @field_validator("notes", mode="before")
    @classmethod
    def _notes(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))


class WinbackAttempt(SQLModel, table=True):
    __tablename__ = "winback_attempt"
    __table_args__ = (
        _in("channel", Channel),
        _in("reaction", Reaction),
        Index("ix_winback_attempt_case", "case_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="winback_case.id", ondelete="CASCADE")
    date: dt.date
    channel: Channel = Field(default=Channel.PHONE, sa_type=CHOICE)
    reaction: Reaction = Field(default=Reaction.NO_ANSWER, sa_type=CHOICE)
    cost_cents: int = 0
    notes: str | None = None


class WinbackAttemptCreate(WinbackAttemptBase):
    pass


# --------------------------------------------------------------------------------------------
# Feedback requests and reminders
# --------------------------------------------------------------------------------------------


class FeedbackRequestBase(SQLModel):
    """Asking a client for feedback, a review, a recommendation letter or a referral."""

    client_id: int
    kind: FeedbackKind = Field(default=FeedbackKind.FEEDBACK, sa_type=CHOICE)
    status: FeedbackStatus = Field(default=FeedbackStatus.PLANNED, sa_type=CHOICE)
    channel: Channel = Field(default=Channel.EMAIL, sa_type=CHOICE)
    planned_on: dt.date | None = None
    sent_on: dt.date | None = None
    follow_up_on: dt.date | None = None
    answered_on: dt.date | None = None
    response: str | None = Field(default=None, max_length=MAX_TEXT)
    #: 1..5 stars when the answer carried a rating.
    rating: int | None = Field(default=None, ge=1, le=5)

    @field_validator("response", mode="before")
    @classmethod
    def _response(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))


class FeedbackRequest(FeedbackRequestBase, table=True):
    __tablename__ = "feedback_request"
    __table_args__ = (
        _in("kind", FeedbackKind),
        _in("status", FeedbackStatus),
        _in("channel", Channel),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="ck_feedback_rating"),
        Index("ix_feedback_client", "client_id"),
        Index("ix_feedback_status", "status"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int = Field(foreign_key="client.id", ondelete="CASCADE")


class FeedbackRequestCreate(FeedbackRequestBase):
    pass


class ReminderBase(SQLModel):
    """A Wiedervorlage: something to do about a client on a day, maybe recurring."""

    client_id: int | None = None
    due_on: dt.date
    purpose: ReminderPurpose = Field(default=ReminderPurpose.CUSTOM, sa_type=CHOICE)
    #: How the client is to be contacted; checked against the contact rules (None: no channel
    #: chosen, then only a client nobody may contact at all blocks the reminder).
    channel: Channel | None = Field(default=None, sa_type=CHOICE)
    note: str | None = Field(default=None, max_length=MAX_TEXT)
    recurrence_unit: RecurrenceUnit | None = Field(default=None, sa_type=CHOICE)
    recurrence_every: int | None = Field(default=None, ge=1, le=999)
    done_on: dt.date | None = None

    @field_validator("note", mode="before")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return clean_optional(check_no_nul(value))

    @model_validator(mode="after")
    def _recurrence(self) -> ReminderBase:
        if (self.recurrence_unit is None) != (self.recurrence_every is None):
            raise input_error(
                "recurrence_every", N_("give both the interval and its unit, or neither")
            )
        return self


class Reminder(ReminderBase, table=True):
    __table_args__ = (
        _in("purpose", ReminderPurpose),
        _in("channel", Channel, nullable=True),
        _in("recurrence_unit", RecurrenceUnit, nullable=True),
        Index("ix_reminder_due", "done_on", "due_on"),
        Index("ix_reminder_client", "client_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    client_id: int | None = Field(default=None, foreign_key="client.id", ondelete="CASCADE")
    #: Day of month the recurrence started on, so that 31st → 30th → 31st stays anchored.
    anchor_day: int | None = Field(default=None, ge=1, le=31)
    #: Stable identity for calendar export (iCalendar UID).
    uid: str | None = Field(default=None, max_length=64)


class ReminderCreate(ReminderBase):
    pass


class StepDecision(SQLModel, table=True):
    """A decision about one next step, by the step's stable id.

    Accepting keeps the reminder or feedback request it created, so that accepting again
    changes nothing and an undo removes exactly that record.
    """

    __tablename__ = "step_decision"
    __table_args__ = (
        UniqueConstraint("step_id", name="uq_step_decision"),
        _in("decision", Decision),
        Index("ix_step_decision_client", "client_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    step_id: str = Field(max_length=160)
    kind: str = Field(max_length=32)
    client_id: int | None = Field(default=None, foreign_key="client.id", ondelete="CASCADE")
    decision: Decision = Field(sa_type=CHOICE)
    decided_on: dt.date
    #: A snoozed step comes back on this day.
    until: dt.date | None = None
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id", ondelete="SET NULL")
    feedback_request_id: int | None = Field(
        default=None, foreign_key="feedback_request.id", ondelete="SET NULL"
    )


# --------------------------------------------------------------------------------------------
# Erasure register (GDPR)
# --------------------------------------------------------------------------------------------


class Erasure(SQLModel, table=True):
    """One client erased on request: salted hashes and dates, never the personal data.

    The hashes stop an old client list, an older backup or an import from bringing the person
    back (``freelancer_desk.erasure``). Documented consent is kept as proof (§7a UWG) with its
    channel and date only, until ``proof_until``.
    """

    __tablename__ = "erasure"
    id: int | None = Field(default=None, primary_key=True)
    erased_on: dt.date
    #: The anonymous record the client became (no foreign key: the register outlives it).
    client_id: int | None = None
    name_hash: str = Field(max_length=64)
    email_hash: str | None = Field(default=None, max_length=64)
    phone_hash: str | None = Field(default=None, max_length=64)
    email_consent_on: dt.date | None = None
    phone_consent_on: dt.date | None = None
    proof_until: dt.date | None = None


# --------------------------------------------------------------------------------------------
# Settings
# --------------------------------------------------------------------------------------------


class Setting(SQLModel, table=True):
    """One stored domain setting (JSON value); the declarations live in ``settings.py``."""

    key: str = Field(primary_key=True, max_length=128)
    value: str
