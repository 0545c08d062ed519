"""client VAT rate: a client's own rate (7 %, 0 % reverse charge) beside the usual one

Revision ID: 0006
Revises: 0004
"""

from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN with its CHECK: SQLite keeps the table (and the rows pointing at it).
    op.execute(
        "ALTER TABLE client ADD COLUMN vat_rate_bp INTEGER "
        "CONSTRAINT ck_client_vat_rate "
        "CHECK (vat_rate_bp IS NULL OR vat_rate_bp BETWEEN 0 AND 9999)"
    )


def downgrade() -> None:
    # A plain DROP COLUMN (its CHECK goes with it): a batch copy of the table would rebuild the
    # client name index without its COLLATE NOCASE.
    op.execute("ALTER TABLE client DROP COLUMN vat_rate_bp")
