"""Alembic environment: runs on the connection the app hands over (``open_database``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import freelancer_desk.models  # noqa: F401  (registers every table on the metadata)

target_metadata = SQLModel.metadata


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
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported.")
run_migrations_online()
