"""reminder channel and erasure register

A reminder names the channel it will use, so that the contact rules can refuse or block it;
the erasure register keeps salted hashes of erased clients (GDPR) and, as proof of consent
(§7a UWG), only channels and dates.

Revision ID: 0004
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "erasure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("name_hash", sa.String(length=64), nullable=False),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("phone_hash", sa.String(length=64), nullable=True),
        sa.Column("email_consent_on", sa.Date(), nullable=True),
        sa.Column("phone_consent_on", sa.Date(), nullable=True),
        sa.Column("proof_until", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=32), nullable=True))
        batch_op.create_check_constraint(
            "ck_channel_choice",
            "channel IS NULL OR channel IN ('phone', 'email', 'meeting', 'letter', 'other')",
        )


def downgrade() -> None:
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.drop_constraint("ck_channel_choice", type_="check")
        batch_op.drop_column("channel")
    op.drop_table("erasure")
