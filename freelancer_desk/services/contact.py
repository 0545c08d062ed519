"""May I contact this client on this channel on this day, and if not, why? Asked everywhere.

``freelancer_desk.contact_rules`` decides from plain facts; this module reads those facts from
the database in one way for every feature: the client's consents and objection (an objection
recorded with a loss counts from the day of the loss), its first sale (a positive invoice: the
basis of the existing-customer exception) and whether it was erased. Reminders, suggestions,
dashboard steps, feedback requests, mail links and win-back attempts all ask here, one client
at a time (``may_contact``, ``ensure_contact_in``) or all at once (``subjects_in``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func
from sqlmodel import Session, col, select

from freelancer_desk.analytics.contact_steps import ContactStep, plan_step
from freelancer_desk.contact_rules import (
    ContactPermission,
    ContactSubject,
    blocker,
    ensure_allowed,
    judge,
    permissions,
)
from freelancer_desk.db import Database
from freelancer_desk.models import Channel, Client, Loss, RevenueEntry
from freelancer_desk.services.records import fetch


def _first_sales(session: Session, client_id: int | None = None) -> dict[int, dt.date]:
    """Day of the first positive invoice per client (a credit note alone is no sale)."""
    query = (
        select(RevenueEntry.client_id, func.min(RevenueEntry.invoice_date))
        .where(RevenueEntry.net_cents > 0)
        .group_by(col(RevenueEntry.client_id))
    )
    if client_id is not None:
        query = query.where(RevenueEntry.client_id == client_id)
    return dict(session.exec(query).all())  # type: ignore[arg-type]


def _loss_objections(session: Session, client_id: int | None = None) -> dict[int, dt.date]:
    """Earliest day per client it was lost with an objection to any further contact."""
    query = (
        select(Loss.client_id, func.min(Loss.lost_on))
        .where(col(Loss.objected).is_(True))
        .group_by(col(Loss.client_id))
    )
    if client_id is not None:
        query = query.where(Loss.client_id == client_id)
    return dict(session.exec(query).all())  # type: ignore[arg-type]


def subject_in(session: Session, client_id: int) -> ContactSubject:
    """The contact facts of one client inside a service's own transaction; NotFoundError if it
    is gone."""
    client = fetch(session, Client, client_id)
    return ContactSubject.of(
        client,
        _first_sales(session, client_id).get(client_id),
        _loss_objections(session, client_id).get(client_id),
    )


def subject_for(db: Database, client_id: int) -> ContactSubject:
    """The contact facts of one client; NotFoundError if it is gone."""
    with db.session() as session:
        return subject_in(session, client_id)


def subjects_in(session: Session) -> dict[int, ContactSubject]:
    """The contact facts of every client, from three queries, inside a service's transaction."""
    sales = _first_sales(session)
    objections = _loss_objections(session)
    return {
        client.id: ContactSubject.of(client, sales.get(client.id), objections.get(client.id))  # type: ignore[arg-type, misc]
        for client in session.exec(select(Client)).all()
    }


def all_subjects(db: Database) -> dict[int, ContactSubject]:
    """The contact facts of every client (for lists and suggestions)."""
    with db.session() as session:
        return subjects_in(session)


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


def check_contact(
    db: Database, client_id: int, channel: Channel | str, day: dt.date
) -> ContactPermission:
    """The permission to contact a client; ContactBlockedError with the reason if blocked."""
    with db.session() as session:
        return ensure_contact_in(session, client_id, channel, day)


def permissions_for(db: Database, client_id: int, day: dt.date) -> dict[Channel, ContactPermission]:
    """The verdict for every channel for one client on ``day`` (the client page shows them)."""
    return permissions(subject_for(db, client_id), day)


def steps_for(
    db: Database, wanted: Iterable[tuple[int, str]], day: dt.date
) -> dict[tuple[int, str], ContactStep | None]:
    """The contact step for each (client, sign) on ``day`` on an allowed channel, else None.

    ``sign`` is a warning sign or ``contact_steps.SLEEPING``; the dashboard offers these.
    """
    subjects = all_subjects(db)
    found: dict[tuple[int, str], ContactStep | None] = {}
    for client_id, sign in wanted:
        subject = subjects.get(client_id)
        found[(client_id, sign)] = (
            None if subject is None else plan_step(client_id, sign, permissions(subject, day), day)
        )
    return found
