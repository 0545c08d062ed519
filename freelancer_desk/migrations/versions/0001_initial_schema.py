"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_group",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("length(trim(name)) > 0", name="ck_client_group_name"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", name="uq_client_group_name"),
    )
    op.create_table(
        "loss_reason",
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("loss_type", sa.String(length=32), nullable=True),
        sa.Column("label_de", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("label_en", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("measures_de", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("measures_en", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "loss_type IS NULL OR loss_type IN ('broken', 'pulled', 'pushed')",
            name="ck_loss_type_choice",
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "client",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("contact_person", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("tags", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("loyalty", sa.String(length=32), nullable=True),
        sa.Column("payment_term_days", sa.Integer(), nullable=True),
        sa.Column("email_consent_on", sa.Date(), nullable=True),
        sa.Column("phone_consent_on", sa.Date(), nullable=True),
        sa.Column("objection_on", sa.Date(), nullable=True),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("erased", sa.Boolean(), nullable=False),
        sa.CheckConstraint("kind IN ('business', 'private')", name="ck_kind_choice"),
        sa.CheckConstraint(
            "loyalty IS NULL OR loyalty IN ('loyal', 'conditional', 'disloyal')",
            name="ck_loyalty_choice",
        ),
        sa.CheckConstraint("length(trim(name)) > 0", name="ck_client_name"),
        sa.ForeignKeyConstraint(["group_id"], ["client_group.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.create_index("ix_client_group_id", ["group_id"], unique=False)
    # Autogenerate cannot see expression indexes on SQLite; case-insensitive name look-ups.
    op.execute("CREATE INDEX ix_client_name_nocase ON client (name COLLATE NOCASE)")

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
    op.create_table(
        "feedback_request",
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=True),
        sa.Column("response", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('phone', 'email', 'meeting', 'letter', 'other')", name="ck_channel_choice"
        ),
        sa.CheckConstraint(
            "kind IN ('feedback', 'review', 'recommendation', 'referral')", name="ck_kind_choice"
        ),
        sa.CheckConstraint(
            "status IN ('planned', 'sent', 'received', 'declined')", name="ck_status_choice"
        ),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="ck_feedback_rating"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("feedback_request", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_client", ["client_id"], unique=False)
        batch_op.create_index("ix_feedback_status", ["status"], unique=False)

    op.create_table(
        "interaction",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("mood", sa.Integer(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "channel IN ('phone', 'email', 'meeting', 'letter', 'other')", name="ck_channel_choice"
        ),
        sa.CheckConstraint(
            "kind IN ('contact', 'complaint', 'praise', 'unreachable', 'chasing', 'feedback')",
            name="ck_kind_choice",
        ),
        sa.CheckConstraint("mood IS NULL OR mood BETWEEN -2 AND 2", name="ck_interaction_mood"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index("ix_interaction_client_date", ["client_id", "date"], unique=False)

    op.create_table(
        "loss",
        sa.Column("lost_on", sa.Date(), nullable=False),
        sa.Column("loss_type", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("reason_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reason_text", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("objected", sa.Boolean(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "loss_type IN ('broken', 'pulled', 'pushed')", name="ck_loss_type_choice"
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["reason_code"],
            ["loss_reason.code"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("loss", schema=None) as batch_op:
        batch_op.create_index("ix_loss_client", ["client_id"], unique=False)

    op.create_table(
        "reminder",
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("purpose", sa.String(length=32), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("recurrence_unit", sa.String(length=32), nullable=True),
        sa.Column("recurrence_every", sa.Integer(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("anchor_day", sa.Integer(), nullable=True),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.CheckConstraint(
            "purpose IN ('reactivate', 'winback_followup', 'feedback_followup', "
            "'new_offers', 'custom')",
            name="ck_purpose_choice",
        ),
        sa.CheckConstraint(
            "recurrence_unit IS NULL OR recurrence_unit IN ('days', 'weeks', 'months')",
            name="ck_recurrence_unit_choice",
        ),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index("ix_reminder_client", ["client_id"], unique=False)
        batch_op.create_index("ix_reminder_due", ["done_on", "due_on"], unique=False)

    op.create_table(
        "revenue_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("invoice_number", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("net_cents", sa.Integer(), nullable=False),
        sa.Column("gross_cents", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("paid_date", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint("due_date IS NULL OR due_date >= invoice_date", name="ck_due_after"),
        sa.CheckConstraint("paid_date IS NULL OR paid_date >= invoice_date", name="ck_paid_after"),
        sa.ForeignKeyConstraint(["client_id"], ["client.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("revenue_entry", schema=None) as batch_op:
        batch_op.create_index("ix_revenue_client_date", ["client_id", "invoice_date"], unique=False)
        batch_op.create_index("ix_revenue_invoice_date", ["invoice_date"], unique=False)
        batch_op.create_index("ix_revenue_paid_date", ["paid_date"], unique=False)
        batch_op.create_index(
            "uq_revenue_client_invoice_number",
            ["client_id", "invoice_number"],
            unique=True,
            sqlite_where=sa.text("invoice_number IS NOT NULL"),
        )

    op.create_table(
        "winback_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("loss_id", sa.Integer(), nullable=False),
        sa.Column("potential_12m_cents", sa.Integer(), nullable=False),
        sa.Column("discount_ppm", sa.Integer(), nullable=False),
        sa.Column("winback_cost_cents", sa.Integer(), nullable=False),
        sa.Column("care_cost_12m_cents", sa.Integer(), nullable=False),
        sa.Column("measures", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("incentive", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("goal_reason_learned", sa.Boolean(), nullable=False),
        sa.Column("goal_door_open", sa.Boolean(), nullable=False),
        sa.Column("goal_no_bad_word", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("outcome_on", sa.Date(), nullable=True),
        sa.Column("revisit_on", sa.Date(), nullable=True),
        sa.Column("returner_checklist", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "outcome IN ('open', 'won_back', 'not_now', 'given_up')", name="ck_outcome_choice"
        ),
        sa.CheckConstraint("discount_ppm BETWEEN 0 AND 1000000", name="ck_winback_discount"),
        sa.ForeignKeyConstraint(["loss_id"], ["loss.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("loss_id", name="uq_winback_loss"),
    )
    op.create_table(
        "winback_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("reaction", sa.String(length=32), nullable=False),
        sa.Column("cost_cents", sa.Integer(), nullable=False),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.CheckConstraint(
            "channel IN ('phone', 'email', 'meeting', 'letter', 'other')", name="ck_channel_choice"
        ),
        sa.CheckConstraint(
            "reaction IN ('friendly', 'reserved', 'rude', 'no_answer')", name="ck_reaction_choice"
        ),
        sa.ForeignKeyConstraint(["case_id"], ["winback_case.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("winback_attempt", schema=None) as batch_op:
        batch_op.create_index("ix_winback_attempt_case", ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("winback_attempt", schema=None) as batch_op:
        batch_op.drop_index("ix_winback_attempt_case")

    op.drop_table("winback_attempt")
    op.drop_table("winback_case")
    with op.batch_alter_table("revenue_entry", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_revenue_client_invoice_number", sqlite_where=sa.text("invoice_number IS NOT NULL")
        )
        batch_op.drop_index("ix_revenue_paid_date")
        batch_op.drop_index("ix_revenue_invoice_date")
        batch_op.drop_index("ix_revenue_client_date")

    op.drop_table("revenue_entry")
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_index("ix_reminder_due")
        batch_op.drop_index("ix_reminder_client")

    op.drop_table("reminder")
    with op.batch_alter_table("loss", schema=None) as batch_op:
        batch_op.drop_index("ix_loss_client")

    op.drop_table("loss")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_client_date")

    op.drop_table("interaction")
    with op.batch_alter_table("feedback_request", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_status")
        batch_op.drop_index("ix_feedback_client")

    op.drop_table("feedback_request")
    op.drop_table("dismissed_suggestion")
    with op.batch_alter_table("client", schema=None) as batch_op:
        batch_op.drop_index("ix_client_group_id")

    op.drop_table("client")
    op.drop_table("setting")
    op.drop_table("loss_reason")
    op.drop_table("client_group")
