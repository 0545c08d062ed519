"""The status document: the figures that ``status --json``, the dashboard and the PDF share.

Each area adds its keys here, computed by its own analytics, so that one number has one source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlmodel import select

from freelancer_desk.analytics.periods import Period, rolling_12_months
from freelancer_desk.db import Database
from freelancer_desk.i18n import current_language
from freelancer_desk.models import Client
from freelancer_desk.money import from_cents
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import watch as watch_service


@dataclass(frozen=True)
class StatusRequest:
    """What the status is asked for: a day, a period (default: 12 months to that day), a basis."""

    as_of: dt.date
    period: Period | None = None
    basis: str | None = None

    def resolved_period(self) -> Period:
        return self.period or rolling_12_months(self.as_of)


def _money(cents: int) -> float:
    """Cents as a JSON number with two decimals (exact for every amount the app stores)."""
    return float(from_cents(cents))


def build_status(db: Database, request: StatusRequest) -> dict[str, Any]:
    """The whole status document as plain JSON-ready data.

    Kept until the data changes (``db.memo``): the document is shared, so treat it as read-only.
    Its explanations are in the current language, which is part of what it is kept under.
    """
    return db.memo.get(("status", request, current_language()), lambda: _build_status(db, request))


def _build_status(db: Database, request: StatusRequest) -> dict[str, Any]:
    settings = settings_service.load(db)
    period = request.resolved_period()
    basis = request.basis or settings.basis
    per_client = revenue_service.net_by_client(db, period, basis)
    with db.session() as session:
        names = dict(session.exec(select(Client.id, Client.name)).all())
    total = sum(per_client.values())
    clients = sorted(
        ((names[cid], cents) for cid, cents in per_client.items()),
        key=lambda row: (-row[1], row[0].lower()),
    )
    document: dict[str, Any] = {
        "as_of": request.as_of.isoformat(),
        "period_start": period.start.isoformat(),
        "period_end": period.last_day.isoformat(),
        "basis": basis,
        "total_net": _money(total),
        "clients": [
            {"name": name, "net": _money(cents), "share": (cents / total) if total else 0.0}
            for name, cents in clients
        ],
    }
    document.update(
        dependency_service.status_keys(
            dependency_service.report(db, period, request.as_of, basis, per_client=per_client)
        )
    )
    document.update(reminders_service.status_keys(db, request.as_of))
    document.update(watch_service.status_keys(db, request.as_of))
    return document


def total_net(document: dict[str, Any]) -> Decimal:
    """The document's total as Decimal (for display)."""
    return Decimal(str(document["total_net"]))
