"""The contact rules applied to stored clients: who may be contacted on which channel.

``freelancer_desk.contact_rules`` decides from plain facts; this module reads those facts from
the database (the client's consents and objection, and whether it has bought: an invoice),
for one client or for all at once.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, select

from freelancer_desk.contact_rules import (
    ContactPermission,
    ContactSubject,
    ensure_allowed,
    permissions,
)
from freelancer_desk.db import Database
from freelancer_desk.models import Channel, Client, RevenueEntry
from freelancer_desk.services.records import fetch


def subject_in(session: Session, client_id: int) -> ContactSubject:
    """The contact facts of one client inside a service's own transaction (checks before a
    write)."""
    client = fetch(session, Client, client_id)
    has_sale = (
        session.exec(
            select(func.count())
            .select_from(RevenueEntry)
            .where(RevenueEntry.client_id == client_id)
        ).one()
        > 0
    )
    return ContactSubject.of(client, existing_customer=has_sale)


def subject_for(db: Database, client_id: int) -> ContactSubject:
    """The contact facts of one client; NotFoundError if it is gone."""
    with db.session() as session:
        return subject_in(session, client_id)


def subjects_in(session: Session) -> dict[int, ContactSubject]:
    """The contact facts of every client, from two queries, inside a service's transaction."""
    buyers = set(
        session.exec(
            select(Client.id).where(
                select(RevenueEntry.id).where(RevenueEntry.client_id == Client.id).exists()
            )
        ).all()
    )
    return {
        client.id: ContactSubject.of(client, existing_customer=client.id in buyers)  # type: ignore[misc]  # read from the table: the id is set
        for client in session.exec(select(Client)).all()
    }


def all_subjects(db: Database) -> dict[int, ContactSubject]:
    """The contact facts of every client (for lists and suggestions)."""
    with db.session() as session:
        return subjects_in(session)


def permissions_for(db: Database, client_id: int, day: dt.date) -> dict[Channel, ContactPermission]:
    """The verdict for every channel for one client on ``day`` (the client page shows them)."""
    return permissions(subject_for(db, client_id), day)


def check_contact(
    db: Database, client_id: int, channel: Channel | str, day: dt.date
) -> ContactPermission:
    """The permission to contact a client; ContactBlockedError with the reason if blocked."""
    return ensure_allowed(subject_for(db, client_id), channel, day)
