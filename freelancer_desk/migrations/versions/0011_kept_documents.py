"""kept documents: a change counter raised by triggers on every data table, and the documents
computed at a counter value (``freelancer_desk.kept``)

Revision ID: 0011
Revises: 0009
"""

from alembic import op

from freelancer_desk import kept

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    kept.create_tables(op.execute)
    # The triggers on every data table are (re)made after each upgrade by db._upgrade, so that
    # tables of later revisions are counted too.


def downgrade() -> None:
    connection = op.get_bind()
    triggers = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'count\\_%' "
        "ESCAPE '\\'"
    ).scalars()
    for name in list(triggers):
        op.execute(f'DROP TRIGGER "{name}"')
    op.execute(f"DROP TABLE {kept.KEPT_TABLE}")
    op.execute(f"DROP TABLE {kept.COUNTER_TABLE}")
