"""May I contact this client on this channel on this day, and if not, why? Asked everywhere.

``freelancer_desk.contact_rules`` decides from plain facts; this module reads those facts from
the database in one way for every feature: the client's consents and objection (an objection
recorded with a loss counts from the day of the loss), its first sale (a positive invoice: the
basis of the existing-customer exception) and whether it was erased. Reminders, next steps,
feedback requests, mail links and win-back attempts all ask here, one client at a time
(``may_contact``, ``ensure_contact_in``) or all at once (``all_subjects``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlmodel import Session, col

from freelancer_desk.contact_rules import (
    ContactPermission,
    ContactSubject,
    blocker,
    ensure_allowed,
    judge,
    permissions,
)
from freelancer_desk.db import Database
from freelancer_desk.models import Channel, Client, ClientKind, Loss, RevenueEntry
from freelancer_desk.services.records import fetch


def _loss_objections(session: Session, client_id: int | None = None) -> dict[int, dt.date]:
    """Earliest day per client it was lost with an objection to any further contact."""
    query = (
        select(col(Loss.client_id), func.min(col(Loss.lost_on)))
        .where(col(Loss.objected).is_(True))
        .group_by(col(Loss.client_id))
    )
    if client_id is not None:
        query = query.where(col(Loss.client_id) == client_id)
    return dict(session.connection().execute(query).all())


def _subjects(session: Session, client_id: int | None = None) -> dict[int, ContactSubject]:
    """The contact facts of every client (or one), read as plain columns in two queries.

    The first sale is the earliest positive invoice: found per client through the index on
    (client, invoice date), which stops at the first one instead of reading every entry.
    """
    objections = _loss_objections(session, client_id)
    first_sale = (
        select(col(RevenueEntry.invoice_date))
        .where(col(RevenueEntry.client_id) == col(Client.id), col(RevenueEntry.net_cents) > 0)
        .order_by(col(RevenueEntry.invoice_date))
        .limit(1)
        .scalar_subquery()
    )
    query = select(
        col(Client.id),
        col(Client.kind),
        col(Client.email_consent_on),
        col(Client.phone_consent_on),
        col(Client.objection_on),
        col(Client.erased),
        first_sale,
    )
    if client_id is not None:
        query = query.where(col(Client.id) == client_id)
    found: dict[int, ContactSubject] = {}
    for row_id, kind, email_consent, phone_consent, objection, erased, sale in (
        session.connection().execute(query).all()
    ):
        assert row_id is not None  # a stored client has its id
        objected = [day for day in (objection, objections.get(row_id)) if day is not None]
        found[row_id] = ContactSubject(
            kind=ClientKind(kind),
            email_consent_on=email_consent,
            phone_consent_on=phone_consent,
            objection_on=min(objected, default=None),
            first_sale_on=sale,
            erased=erased,
        )
    return found


def subject_in(session: Session, client_id: int) -> ContactSubject:
    """The contact facts of one client inside a service's own transaction (checks before a
    write see its own changes); NotFoundError if it is gone."""
    fetch(session, Client, client_id)
    return _subjects(session, client_id)[client_id]


def subject_for(db: Database, client_id: int) -> ContactSubject:
    """The contact facts of one client; NotFoundError if it is gone."""
    with db.session() as session:
        return subject_in(session, client_id)


def all_subjects(db: Database) -> dict[int, ContactSubject]:
    """The contact facts of every client (for lists and next steps), kept until the data
    changes (shared: read-only)."""

    def read() -> dict[int, ContactSubject]:
        with db.session() as session:
            return _subjects(session)

    return db.memo.get("contact_subjects", read)


def may_contact(
    db: Database, client_id: int, channel: Channel | str, day: dt.date
) -> ContactPermission:
    """May I contact this client on this channel on this day? The verdict says why (not)."""
    return judge(subject_for(db, client_id), channel, day)


def plan_verdict(
    db: Database, client_id: int, channel: Channel | str | None, day: dt.date
) -> ContactPermission | None:
    """What the rules say about a planned contact (a form shows it before saving): the
    channel's verdict, or without a channel only what blocks every channel (else None)."""
    subject = subject_for(db, client_id)
    return judge(subject, channel, day) if channel is not None else blocker(subject, None, day)


def ensure_contact_in(
    session: Session, client_id: int, channel: Channel | str, day: dt.date
) -> ContactPermission:
    """``may_contact`` inside a service's transaction; ContactBlockedError when blocked."""
    return ensure_allowed(subject_in(session, client_id), channel, day)


def permissions_for(db: Database, client_id: int, day: dt.date) -> dict[Channel, ContactPermission]:
    """The verdict for every channel for one client on ``day`` (the client page shows them)."""
    return permissions(subject_for(db, client_id), day)
