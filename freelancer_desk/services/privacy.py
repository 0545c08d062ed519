"""GDPR erasure of one client's personal data (DOMAIN.md §5, Art. 17 GDPR).

Erasing keeps the figures and drops the person: revenue entries, interactions, losses and
win-back cases stay as anonymous records so that every total and statistic stays right, while
names, contact details and every free text about the client are cleared. A backup is taken
first, because erasure cannot be undone.

After an objection the client may stay on the do-not-contact list: then the name alone is kept,
so that nobody adds and contacts them again by mistake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, update
from sqlmodel import Session, SQLModel, col, select

from freelancer_desk import backups
from freelancer_desk.db import Database
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    Client,
    FeedbackRequest,
    Interaction,
    InvoicePayment,
    Loss,
    Reminder,
    RevenueEntry,
    WinbackAttempt,
    WinbackCase,
)
from freelancer_desk.services.records import fetch


@dataclass(frozen=True)
class ErasureResult:
    """What an erasure did: the name the record keeps and the backup taken before."""

    client_id: int
    name: str
    kept_on_do_not_contact: bool
    backup: Path


@dataclass(frozen=True)
class DoNotContact:
    """A client nobody may contact because they objected (perhaps erased, kept by name)."""

    client_id: int
    name: str
    objection_on: dt.date | None
    erased: bool


def erase_client(
    db: Database, client_id: int, keep_on_do_not_contact: bool, today: dt.date | None = None
) -> ErasureResult:
    """Erase a client's personal data after a backup; revenue stays as anonymous figures.

    Args:
        keep_on_do_not_contact: keep the name (nothing else) and an objection date, so that the
            client stays on the do-not-contact list. The objection date is set to ``today`` if
            none was recorded.
    """
    today = today or dt.date.today()
    with db.session() as session:
        fetch(session, Client, client_id)
    backup = backups.safety_backup(db, backups.BEFORE_ERASE)
    with db.session() as session:
        client = session.get(Client, client_id)
        assert client is not None
        if keep_on_do_not_contact:
            client.objection_on = client.objection_on or today
        else:
            client.name = _("Erased client #{id}").format(id=client_id)
            client.objection_on = None
        for field in (
            "contact_person",
            "email",
            "phone",
            "address",
            "notes",
            "tags",
            "email_consent_on",
            "phone_consent_on",
        ):
            setattr(client, field, None)
        client.erased = True
        _clear(session, Interaction, Interaction.client_id == client_id, notes=None)
        _clear(session, RevenueEntry, RevenueEntry.client_id == client_id, note=None)
        entries = select(RevenueEntry.id).where(RevenueEntry.client_id == client_id)
        _clear(session, InvoicePayment, col(InvoicePayment.entry_id).in_(entries), reference=None)
        _clear(session, Reminder, Reminder.client_id == client_id, note=None)
        _clear(session, FeedbackRequest, FeedbackRequest.client_id == client_id, response=None)
        _clear(session, Loss, Loss.client_id == client_id, reason_text=None, notes=None)
        losses = select(Loss.id).where(Loss.client_id == client_id)
        cases = select(WinbackCase.id).where(col(WinbackCase.loss_id).in_(losses))
        _clear(session, WinbackCase, col(WinbackCase.id).in_(cases), incentive=None)
        _clear(session, WinbackAttempt, col(WinbackAttempt.case_id).in_(cases), notes=None)
        return ErasureResult(client_id, client.name, keep_on_do_not_contact, backup)


def _clear(
    session: Session, table: type[SQLModel], condition: ColumnElement[bool], **values: None
) -> None:
    """Set free-text columns to NULL for the matching rows in one statement."""
    session.execute(update(table).where(condition).values(**values))


def do_not_contact(db: Database, as_of: dt.date | None = None) -> list[DoNotContact]:
    """Everyone who objected on or before ``as_of`` (erased clients kept by name included)."""
    as_of = as_of or dt.date.today()
    with db.session() as session:
        rows = session.exec(
            select(Client).where(col(Client.objection_on) <= as_of).order_by(Client.name)
        ).all()
        return [DoNotContact(row.id, row.name, row.objection_on, row.erased) for row in rows]  # type: ignore[arg-type]
