"""Alembic environment: runs on the connection the app hands over (``open_database``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import freelancer_desk.models  # noqa: F401  (registers every table on the metadata)
from freelancer_desk import kept

target_metadata = SQLModel.metadata


def _ours_to_compare(item: object, name: str | None, kind: str, *_args: object) -> bool:
    """Leave the kept documents and their counter (made without models) out of autogenerate."""
    return not (kind == "table" and name in kept.NOT_DATA)


def run_migrations_online() -> None:
    """Migrate over the connection the app hands over; SQLite needs batch mode to alter tables.

    There is no URL to fall back on: a path pasted into a URL breaks on ``#``, ``?`` and ``%``
    (``freelancer_desk.connection``).
    """
    connection: Connection | None = context.config.attributes.get("connection")
    if connection is None:
        raise SystemExit("Migrations run on a connection from freelancer_desk.db only.")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=_ours_to_compare,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported.")
run_migrations_online()
