"""Client groups (Konzern): companies that count as one payer."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    Client,
    ClientGroup,
    ClientGroupCreate,
    ClientGroupUpdate,
    field_label,
    validate,
)


def list_groups(db: Database) -> list[ClientGroup]:
    """All groups by name."""
    with db.session() as session:
        return list(session.exec(select(ClientGroup).order_by(func.lower(ClientGroup.name))).all())


def create_group(db: Database, data: ClientGroupCreate | dict) -> ClientGroup:
    """A new group; names are unique."""
    checked = validate(ClientGroupCreate, data)
    try:
        with db.session() as session:
            group = ClientGroup.model_validate(checked)
            session.add(group)
            session.flush()
            return group
    except IntegrityError as exc:
        raise InputError("name", _("a group with this name exists already"), label=field_label("name")) from exc


def update_group(db: Database, group_id: int, data: ClientGroupUpdate | dict) -> ClientGroup:
    """Rename a group or change its note."""
    checked = validate(ClientGroupUpdate, data)
    try:
        with db.session() as session:
            group = session.get(ClientGroup, group_id)
            if group is None:
                raise NotFoundError(_("This group does not exist any more."))
            for key, value in checked.model_dump(exclude_unset=True).items():
                setattr(group, key, value)
            session.flush()
            return group
    except IntegrityError as exc:
        raise InputError("name", _("a group with this name exists already"), label=field_label("name")) from exc


def delete_group(db: Database, group_id: int) -> None:
    """Delete a group; its clients stay, without a group."""
    with db.session() as session:
        group = session.get(ClientGroup, group_id)
        if group is None:
            raise NotFoundError(_("This group does not exist any more."))
        for client in session.exec(select(Client).where(Client.group_id == group_id)).all():
            client.group_id = None
        session.delete(group)
