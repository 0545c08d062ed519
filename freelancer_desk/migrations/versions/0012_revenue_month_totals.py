"""revenue per client and month, kept by triggers on the entries (``freelancer_desk.month_totals``)

Revision ID: 0012
Revises: 0011
"""

from alembic import op

from freelancer_desk import month_totals

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    month_totals.create_table(op.execute)
    month_totals.fill(op.execute)


def downgrade() -> None:
    for trigger in month_totals.TRIGGERS.values():
        op.execute(f'DROP TRIGGER "{trigger}"')
    op.execute(f"DROP TABLE {month_totals.TABLE}")
