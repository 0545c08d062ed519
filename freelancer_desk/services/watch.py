"""Clients to watch: at risk (with their warning signs) and sleeping, plus the win-back totals.

One source for the dashboard card and ``status --json`` (keys ``at_risk``, ``sleeping``,
``winback``), so that both always show the same clients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import select

from freelancer_desk.analytics.lifecycle import days_without_revenue, derive_status
from freelancer_desk.analytics.warnings import Signal
from freelancer_desk.db import Database
from freelancer_desk.models import Client, ClientStatus
from freelancer_desk.money import CENT
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.clients import client_facts
from freelancer_desk.services.warning_signs import signals_by_client


@dataclass(frozen=True)
class AtRisk:
    """A client whose status is "at risk", with the signs that made it so."""

    client_id: int
    name: str
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Sleeping:
    """A client with no revenue for the set number of days, not marked lost."""

    client_id: int
    name: str
    last_invoice: dt.date | None
    days: int


@dataclass(frozen=True)
class WatchList:
    """Who needs attention on a day."""

    at_risk: tuple[AtRisk, ...]
    sleeping: tuple[Sleeping, ...]


def watch_list(db: Database, as_of: dt.date) -> WatchList:
    """At-risk clients (most signs first) and sleeping clients (longest asleep first)."""
    sleeping_days = settings_service.load(db).sleeping_days
    signals = signals_by_client(db, as_of)
    facts = client_facts(db, as_of, signals=signals)
    with db.session() as session:
        names = dict(session.exec(select(Client.id, Client.name)).all())
    at_risk, sleeping = [], []
    for client_id, fact in facts.items():
        status = derive_status(fact, as_of, sleeping_days)
        if status is ClientStatus.AT_RISK:
            at_risk.append(AtRisk(client_id, names[client_id], tuple(signals[client_id])))
        elif status is ClientStatus.SLEEPING:
            days = days_without_revenue(fact, as_of)
            sleeping.append(Sleeping(client_id, names[client_id], fact.last_invoice, days))
    at_risk.sort(key=lambda row: (-len(row.signals), row.name.lower()))
    sleeping.sort(key=lambda row: (-row.days, row.name.lower()))
    return WatchList(tuple(at_risk), tuple(sleeping))


def status_keys(db: Database, as_of: dt.date) -> dict[str, Any]:
    """The ``at_risk``, ``sleeping`` and ``winback`` keys of the status document.

    Each client comes with its ``id`` beside the name: names need not be unique, and the
    dashboard opens the very client a line speaks of.
    """
    watch = watch_list(db, as_of)
    totals = winback_service.status_figures(db, as_of)
    return {
        "at_risk": [
            {
                "id": row.client_id,
                "name": row.name,
                "signals": [signal.name for signal in row.signals],
                "explanations": [signal.explanation() for signal in row.signals],
            }
            for row in watch.at_risk
        ],
        "sleeping": [
            {
                "id": row.client_id,
                "name": row.name,
                "last_invoice": row.last_invoice.isoformat() if row.last_invoice else None,
                "days": row.days,
            }
            for row in watch.sleeping
        ],
        "winback": {
            "cases": totals.cases,
            "won_back": totals.won_back,
            "rate": float(totals.rate),
            "recovered_net": float(totals.recovered_net.quantize(CENT)),
        },
    }
