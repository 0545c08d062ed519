"""The interaction log of a client: calls, mails, complaints, praise, the emotional details."""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    ERASED_ALREADY,
    Client,
    Interaction,
    InteractionCreate,
    InteractionUpdate,
    apply_changes,
    field_label,
    input_error,
    validate,
)
from freelancer_desk.services.records import fetch


def list_for_client(db: Database, client_id: int) -> list[Interaction]:
    """A client's interactions, newest first."""
    with db.session() as session:
        query = (
            select(Interaction)
            .where(Interaction.client_id == client_id)
            .order_by(col(Interaction.date).desc(), col(Interaction.id).desc())
        )
        return list(session.exec(query).all())


def create_interaction(db: Database, data: InteractionCreate | dict[str, Any]) -> Interaction:
    """Log a new interaction."""
    checked = validate(InteractionCreate, data)
    with db.session() as session:
        client = session.get(Client, checked.client_id)
        if client is None:
            raise InputError(
                "client_id", _("choose an existing client"), label=field_label("client_id")
            )
        if client.erased:  # a note would be new personal data about the person
            raise input_error("client_id", ERASED_ALREADY)
        interaction = Interaction.model_validate(checked)
        session.add(interaction)
        session.flush()
        return interaction


def update_interaction(
    db: Database, interaction_id: int, data: InteractionUpdate | dict[str, Any]
) -> Interaction:
    """Change an interaction; the merged record is validated as a whole."""
    changes = validate(InteractionUpdate, data).model_dump(exclude_unset=True)
    with db.session() as session:
        interaction = fetch(session, Interaction, interaction_id)
        apply_changes(interaction, InteractionCreate, changes)
        session.flush()
        return interaction


def delete_interaction(db: Database, interaction_id: int) -> None:
    """Delete one interaction."""
    with db.session() as session:
        interaction = fetch(session, Interaction, interaction_id)
        session.delete(interaction)
