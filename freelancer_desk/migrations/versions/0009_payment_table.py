"""payment table: the payments of an invoice, partial ones waiting for the rest

Partial bank payments were kept in settings ``bank.partial.<entry id>`` as JSON
``[[day, cents, "day|booking cents|reference"], …]``; they move into the table.

Revision ID: 0009
Revises: 0008
"""

import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PARTIAL_PREFIX = "bank.partial."


def upgrade() -> None:
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("booking_cents", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("reference", sa.String(), nullable=True),
        sa.CheckConstraint("source IN ('bank')", name="ck_source_choice"),
        sa.CheckConstraint("amount_cents > 0", name="ck_payment_amount"),
        sa.ForeignKeyConstraint(["entry_id"], ["revenue_entry.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_payment_entry_id", "payment", ["entry_id"], unique=False)
    connection = op.get_bind()
    entries = {row[0] for row in connection.execute(sa.text("SELECT id FROM revenue_entry"))}
    stored = connection.execute(
        sa.text("SELECT key, value FROM setting WHERE key LIKE :prefix"),
        {"prefix": PARTIAL_PREFIX + "%"},
    ).all()
    rows = []
    for key, value in stored:
        entry = key.removeprefix(PARTIAL_PREFIX)
        if entry.isdigit() and int(entry) in entries:
            rows.extend(_payments(int(entry), value))
    if rows:
        connection.execute(
            sa.text(
                "INSERT INTO payment (entry_id, day, amount_cents, booking_cents, source, "
                "reference) VALUES (:entry_id, :day, :amount_cents, :booking_cents, 'bank', "
                ":reference)"
            ),
            rows,
        )
    connection.execute(
        sa.text("DELETE FROM setting WHERE key LIKE :prefix"), {"prefix": PARTIAL_PREFIX + "%"}
    )


def _payments(entry_id: int, value: str) -> list[dict[str, object]]:
    """The parts kept for one invoice; damaged ones are left out (they counted as none)."""
    try:
        parts = json.loads(value)
    except ValueError:
        return []
    found: list[dict[str, object]] = []
    for part in parts if isinstance(parts, list) else []:
        if not (isinstance(part, list) and len(part) == 3):
            continue
        day, cents, booking = part
        fields = str(booking).split("|", 2)
        try:
            paid_on = dt.date.fromisoformat(str(day))
            amount, whole = int(cents), int(fields[1])
        except (IndexError, TypeError, ValueError):
            continue
        if amount > 0:
            found.append(
                {
                    "entry_id": entry_id,
                    "day": paid_on.isoformat(),
                    "amount_cents": amount,
                    "booking_cents": whole,
                    "reference": fields[2] if len(fields) > 2 and fields[2] else None,
                }
            )
    return found


def downgrade() -> None:
    # Before this revision only the parts of invoices still open were kept, in settings.
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT p.entry_id, p.day, p.amount_cents, p.booking_cents, p.reference "
            "FROM payment p JOIN revenue_entry e ON e.id = p.entry_id "
            "WHERE e.paid_date IS NULL ORDER BY p.entry_id, p.day, p.id"
        )
    ).all()
    kept: dict[int, list[list[object]]] = {}
    for entry_id, day, amount, booking, reference in rows:
        day = str(day)[:10]
        kept.setdefault(entry_id, []).append([day, amount, f"{day}|{booking}|{reference or ''}"])
    for entry_id, parts in kept.items():
        connection.execute(
            sa.text("INSERT OR REPLACE INTO setting (key, value) VALUES (:key, :value)"),
            {"key": f"{PARTIAL_PREFIX}{entry_id}", "value": json.dumps(parts, ensure_ascii=False)},
        )
    op.drop_index("ix_payment_entry_id", table_name="payment")
    op.drop_table("payment")
