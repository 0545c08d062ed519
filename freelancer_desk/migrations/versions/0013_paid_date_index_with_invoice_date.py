"""the paid date's index holds the invoice date too

"Paid after D, invoiced on or before D" (the invoices open on a past day D: the warning signs,
the open receivables of a review of a closed year) is then judged in the index, and only the
entries it finds are read; on the paid date alone SQLite read every entry paid after D (half
of a large book when D is a year back).

Revision ID: 0013
Revises: 0012
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_revenue_paid_date", table_name="revenue_entry")
    op.create_index("ix_revenue_paid_date", "revenue_entry", ["paid_date", "invoice_date"])


def downgrade() -> None:
    op.drop_index("ix_revenue_paid_date", table_name="revenue_entry")
    op.create_index("ix_revenue_paid_date", "revenue_entry", ["paid_date"])
