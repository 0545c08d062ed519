"""next steps: decisions about steps, and the look back kept with a loss

The step plan replaces the suggestions: a step the user accepted, dismissed or snoozed is
remembered by its stable id in ``step_decision``; the dismissals of suggestions are carried
over (a suggestion's rule, client and occasion make the step's id). A loss keeps the warning
signs that showed on its day (``signs_before``, JSON).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

#: The suggestion rules of before; each became a step kind of the same name.
OLD_RULES = "('reactivate', 'winback', 'feedback_followup', 'ask_review', 'new_skills')"


def upgrade() -> None:
    op.execute("ALTER TABLE loss ADD COLUMN signs_before VARCHAR")
    op.create_table(
        "step_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("decision", sa.String(length=32), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("feedback_request_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "decision IN ('accepted', 'dismissed', 'snoozed')", name="ck_decision_choice"
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["reminder_id"], ["reminder.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["feedback_request_id"], ["feedback_request.id"], ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("step_id", name="uq_step_decision"),
    )
    with op.batch_alter_table("step_decision", schema=None) as batch_op:
        batch_op.create_index("ix_step_decision_client", ["client_id"], unique=False)
    op.execute(
        "INSERT INTO step_decision (step_id, kind, client_id, decision, decided_on) "
        "SELECT rule || ':' || client_id || ':' || ref, rule, client_id, 'dismissed', "
        "dismissed_on FROM dismissed_suggestion"
    )
    op.drop_table("dismissed_suggestion")


def downgrade() -> None:
    op.create_table(
        "dismissed_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("ref", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("dismissed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("rule", "client_id", "ref", name="uq_dismissed"),
    )
    # Dismissed steps of the old rules go back; the step kinds that came later have no place.
    op.execute(
        "INSERT INTO dismissed_suggestion (rule, client_id, ref, dismissed_on) "
        "SELECT kind, client_id, substr(step_id, length(kind) + length(client_id) + 3), "
        f"decided_on FROM step_decision WHERE decision = 'dismissed' AND kind IN {OLD_RULES} "
        "AND client_id IS NOT NULL"
    )
    with op.batch_alter_table("step_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_step_decision_client")
    op.drop_table("step_decision")
    with op.batch_alter_table("loss", schema=None) as batch_op:
        batch_op.drop_column("signs_before")
