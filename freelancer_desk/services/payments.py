"""How clients pay: open receivables on a day and the days from invoice to payment.

What a tax adviser asks beside the revenue (DOMAIN.md §2: payment delay). Both figures are
seen from one day D (DOMAIN.md §7): an invoice paid after D is open on D. Only clients that
record payments (a paid date on or before D) are counted; someone who does not record payments
has no open invoices to chase. Summed in SQL, one read per figure for all clients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased
from sqlmodel import col

from freelancer_desk.analytics.periods import Period
from freelancer_desk.db import Database
from freelancer_desk.models import Client, RevenueEntry
from freelancer_desk.services import settings as settings_service


@dataclass(frozen=True)
class ClientPayments:
    """One client's open invoices on D and its payments in the period.

    Attributes:
        open_cents: net of the invoices dated up to D and not paid by D.
        overdue_cents: the part of ``open_cents`` past its due day on D (the due date, else
            the invoice date plus the client's payment term).
        most_days_overdue: days past due of the oldest overdue invoice (0: none overdue).
        paid_invoices: invoices paid in the period (up to D).
        days_to_pay: the days from invoice to payment of those, summed.
    """

    client_id: int
    name: str
    open_cents: int = 0
    open_invoices: int = 0
    overdue_cents: int = 0
    most_days_overdue: int = 0
    paid_invoices: int = 0
    days_to_pay: int = 0

    @property
    def average_days_to_pay(self) -> Fraction | None:
        """Days from invoice to payment on average; None without payments in the period."""
        return Fraction(self.days_to_pay, self.paid_invoices) if self.paid_invoices else None


@dataclass(frozen=True)
class Payments:
    """Every paying client's figures, the most overdue first, then the largest open amount,
    then the slowest payers; and the totals."""

    as_of: dt.date
    clients: tuple[ClientPayments, ...]

    @property
    def open_cents(self) -> int:
        return sum(row.open_cents for row in self.clients)

    @property
    def overdue_cents(self) -> int:
        return sum(row.overdue_cents for row in self.clients)

    @property
    def average_days_to_pay(self) -> Fraction | None:
        """Over every invoice paid in the period, not the average of the clients' averages."""
        count = sum(row.paid_invoices for row in self.clients)
        return Fraction(sum(row.days_to_pay for row in self.clients), count) if count else None


def payments(db: Database, period: Period, as_of: dt.date) -> Payments:
    """Open receivables on ``as_of`` and days to pay in ``period`` (up to ``as_of``) per client.

    Credit notes are neither open nor paid invoices here: they are no claim on the client.
    """
    entry = RevenueEntry
    usual_term = settings_service.load(db).default_payment_term_days
    end = min(period.end, as_of + dt.timedelta(days=1))
    paid = aliased(RevenueEntry)
    recording = (  # per client, one probe of its own entries
        select(col(paid.id))
        .where(col(paid.client_id) == Client.id, col(paid.paid_date) <= as_of)
        .exists()
    )
    days = func.julianday(entry.paid_date) - func.julianday(entry.invoice_date)
    found: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    with db.session() as session:
        connection = session.connection()
        open_rows = connection.execute(
            select(
                col(entry.client_id),
                col(Client.name),
                col(entry.invoice_date),
                col(entry.due_date),
                col(entry.net_cents),
                col(Client.payment_term_days),
            )
            .join(Client, col(Client.id) == entry.client_id)
            .where(
                col(entry.net_cents) > 0,
                col(entry.invoice_date) <= as_of,
                or_(col(entry.paid_date).is_(None), col(entry.paid_date) > as_of),
                recording,
            )
        )
        for client_id, name, invoiced, due, cents, term in open_rows:
            names[client_id] = name
            row = found.setdefault(client_id, {})
            row["open_cents"] = row.get("open_cents", 0) + cents
            row["open_invoices"] = row.get("open_invoices", 0) + 1
            due_by = due or invoiced + dt.timedelta(days=usual_term if term is None else term)
            late = (as_of - due_by).days
            if late > 0:
                row["overdue_cents"] = row.get("overdue_cents", 0) + cents
                row["most_days_overdue"] = max(row.get("most_days_overdue", 0), late)
        paid_rows = connection.execute(
            select(col(entry.client_id), col(Client.name), func.count(), func.sum(days))
            .join(Client, col(Client.id) == entry.client_id)
            .where(
                col(entry.net_cents) > 0,
                col(entry.paid_date) >= period.start,
                col(entry.paid_date) < end,
            )
            .group_by(col(entry.client_id))
        )
        for client_id, name, count, total in paid_rows:
            names[client_id] = name
            row = found.setdefault(client_id, {})
            row["paid_invoices"] = int(count)
            row["days_to_pay"] = max(round(total or 0), 0)
    rows = (ClientPayments(client_id, names[client_id], **row) for client_id, row in found.items())
    return Payments(
        as_of,
        tuple(
            sorted(
                rows,
                key=lambda row: (
                    -row.overdue_cents,
                    -row.open_cents,
                    -row.days_to_pay / (row.paid_invoices or 1),  # no Fraction: 2,000 rows
                    row.name,
                ),
            )
        ),
    )
