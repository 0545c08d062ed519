"""Client groups (Konzern): companies that count as one payer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    Client,
    ClientGroup,
    ClientGroupCreate,
    ClientGroupUpdate,
    field_label,
    validate,
)
from freelancer_desk.services.records import fetch


def list_groups(db: Database) -> list[ClientGroup]:
    """All groups by name."""
    with db.session() as session:
        return list(session.exec(select(ClientGroup).order_by(func.lower(ClientGroup.name))).all())


def _refuse_taken_name(session: Session, name: str | None, group_id: int | None = None) -> None:
    """Names are unique ignoring case: "Nord" and "nord" would be the same group to a person."""
    if name is None:
        return
    wanted = name.casefold()  # in Python: SQLite's lower() leaves umlauts as they are
    for other_id, other_name in session.exec(select(ClientGroup.id, ClientGroup.name)).all():
        if other_id != group_id and other_name.casefold() == wanted:
            raise _name_taken()


def _name_taken() -> InputError:
    return InputError("name", _("a group with this name exists already"), label=field_label("name"))


def create_group(db: Database, data: ClientGroupCreate | dict[str, Any]) -> ClientGroup:
    """A new group; names are unique."""
    checked = validate(ClientGroupCreate, data)
    try:
        with db.session() as session:
            _refuse_taken_name(session, checked.name)
            group = ClientGroup.model_validate(checked)
            session.add(group)
            session.flush()
            return group
    except IntegrityError as exc:
        raise _name_taken() from exc


def update_group(
    db: Database, group_id: int, data: ClientGroupUpdate | dict[str, Any]
) -> ClientGroup:
    """Rename a group or change its note."""
    checked = validate(ClientGroupUpdate, data)
    try:
        with db.session() as session:
            group = fetch(session, ClientGroup, group_id)
            _refuse_taken_name(session, checked.name, group_id)
            for key, value in checked.model_dump(exclude_unset=True).items():
                setattr(group, key, value)
            session.flush()
            return group
    except IntegrityError as exc:
        raise _name_taken() from exc


def delete_group(db: Database, group_id: int) -> None:
    """Delete a group; its clients stay, without a group."""
    with db.session() as session:
        group = fetch(session, ClientGroup, group_id)
        for client in session.exec(select(Client).where(Client.group_id == group_id)).all():
            client.group_id = None
        session.delete(group)


def assign_client(db: Database, client_id: int, group_id: int | None) -> None:
    """Put a client into a group, or take it out of its group with ``None``."""
    with db.session() as session:
        client = fetch(session, Client, client_id)
        if group_id is not None:
            fetch(session, ClientGroup, group_id)
        client.group_id = group_id
