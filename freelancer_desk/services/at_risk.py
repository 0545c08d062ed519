"""Clients at risk (with their warning signs) and sleeping clients on a day.

What the review prints as "Warning signs and sleeping clients" and ``status --json`` lists
under ``at_risk`` and ``sleeping``; one source (through ``services.status``), so that both show
the same clients.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import select

from freelancer_desk.analytics.lifecycle import days_without_revenue, derive_status
from freelancer_desk.db import Database
from freelancer_desk.models import Client, ClientStatus
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.clients import client_facts
from freelancer_desk.services.warning_signs import signals_by_client
from freelancer_desk.status_document import AtRisk as AtRisk
from freelancer_desk.status_document import Sleeping as Sleeping


@dataclass(frozen=True)
class AtRiskAndSleeping:
    """Who needs attention on a day."""

    at_risk: tuple[AtRisk, ...]
    sleeping: tuple[Sleeping, ...]


def at_risk_and_sleeping(db: Database, as_of: dt.date) -> AtRiskAndSleeping:
    """At-risk clients (most signs first) and sleeping clients (longest asleep first) on
    ``as_of``: nothing dated after that day counts."""
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
    return AtRiskAndSleeping(tuple(at_risk), tuple(sleeping))
