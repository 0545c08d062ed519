"""client salutation and form of address (Frau/Herr, Sie/Du) for the message templates

Revision ID: 0007
Revises: 0006
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN with the CHECK on the column: a batch copy of the table would rebuild
    # the client name index without its COLLATE NOCASE.
    op.execute(
        "ALTER TABLE client ADD COLUMN salutation VARCHAR(32) CONSTRAINT ck_salutation_choice "
        "CHECK (salutation IS NULL OR salutation IN ('ms', 'mr'))"
    )
    op.execute(
        "ALTER TABLE client ADD COLUMN address_form VARCHAR(32) NOT NULL DEFAULT 'formal' "
        "CONSTRAINT ck_address_form_choice CHECK (address_form IN ('formal', 'informal'))"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE client DROP COLUMN address_form")
    op.execute("ALTER TABLE client DROP COLUMN salutation")
