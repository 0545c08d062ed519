"""Everything the client dossier shows, gathered as plain data: a brief for the call
(DOMAIN.md §4.5 step 2, §8).

Before a win-back, reactivation or "how are you doing?" call the freelancer wants on paper: why
the client is at risk, sleeping or lost (the same words as the status), the signs that showed
before a loss, earlier attempts and how the client reacted, whether a win-back is worth it, the
measures and the incentive, the partial goals of the call, how to react to a friendly, reserved
or rude answer, the channels the contact rules allow, open invoices, the next step — and the
client's file: contact data, revenue over time, the last contacts with their emotional notes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import col, select

from freelancer_desk.analytics.history import QuarterTotal, quarterly_totals
from freelancer_desk.analytics.lifecycle import sleeping_text
from freelancer_desk.analytics.periods import Period, PeriodAsOf
from freelancer_desk.analytics.steps import WINBACK_GOALS, Step
from freelancer_desk.analytics.warnings import Signal
from freelancer_desk.contact_rules import ContactPermission
from freelancer_desk.db import Database
from freelancer_desk.models import (
    Channel,
    Client,
    ClientStatus,
    Interaction,
    InteractionKind,
    Loss,
    LossReason,
    LossType,
    WinbackCase,
    WinbackOutcome,
)
from freelancer_desk.money import to_cents
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import contact as contact_service
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import losses as losses_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.clients import ClientRow
from freelancer_desk.services.losses import LookBack, outcome_on
from freelancer_desk.services.revenue import OpenInvoice
from freelancer_desk.services.warning_signs import signals_by_client
from freelancer_desk.services.winback import AttemptRow
from freelancer_desk.texts import Text

#: Latest contacts a dossier prints (one page must hold them).
LAST_INTERACTIONS = 6
HISTORY_QUARTERS = 8


@dataclass(frozen=True)
class LossFacts:
    """The client's latest loss, its reason in the dossier's language, and the win-back plan."""

    lost_on: dt.date
    loss_type: LossType
    reason: str
    reason_text: str | None
    objected: bool
    notes: str | None
    #: Measures the reason catalogue suggests (DOMAIN.md §6), in the dossier's language.
    suggested_measures: tuple[str, ...]
    #: Measures chosen in the win-back case, if one was opened.
    chosen_measures: tuple[str, ...]
    incentive: str | None
    outcome: WinbackOutcome | None
    revisit_on: dt.date | None
    #: The signs that showed on the day of the loss.
    look_back: LookBack
    #: The win-back attempts up to the day, oldest first, with the client's reactions.
    attempts: tuple[AttemptRow, ...] = ()
    #: The value of winning the client back, and whether it is only the estimate (no case).
    value_cents: int = 0
    estimated: bool = True
    #: The partial goals of the call (``WINBACK_GOALS``) with whether each was reached.
    goals: tuple[tuple[str, bool], ...] = ()
    #: The loss and its win-back case (None before one was opened), for opening them.
    loss_id: int = 0
    case_id: int | None = None
    #: The day the client came back, when the win-back succeeded by the day looked from.
    won_back_on: dt.date | None = None

    @property
    def worth_trying(self) -> bool:
        """A win-back pays when its value is above zero (DOMAIN.md §4.3)."""
        return self.value_cents > 0


@dataclass(frozen=True)
class Dossier:
    """One client's file for a call, seen on ``as_of``: nothing dated later counts."""

    as_of: dt.date
    #: The period whose net revenue the dossier shows (default: the 12 months to ``as_of``).
    period: Period
    #: The period was still running on ``as_of`` or is still running today.
    provisional: bool
    #: Net revenue of the client in ``period`` up to ``as_of``, by the revenue basis setting.
    net_cents: int
    client: Client
    row: ClientRow
    permissions: dict[Channel, ContactPermission]
    history: list[QuarterTotal]
    #: The latest contacts, newest first.
    interactions: list[Interaction]
    #: Every complaint up to ``as_of``, newest first.
    complaints: list[Interaction]
    loss: LossFacts | None
    #: The warning signs on ``as_of`` (the status's reasons for "at risk").
    signals: tuple[Signal, ...] = ()
    #: Why the client counts as sleeping, when it does.
    sleeping: Text | None = None
    #: Invoices not paid by ``as_of``, oldest first.
    open_invoices: tuple[OpenInvoice, ...] = ()
    #: The client's open next steps, most urgent first.
    steps: tuple[Step, ...] = ()


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def latest_loss(db: Database, client_id: int, as_of: dt.date, lang: str) -> LossFacts | None:
    """The client's latest loss up to ``as_of`` with reason and measures in ``lang``, the look
    back, the attempts and the worth-it figures, and the win-back outcome as it stood then."""
    with db.session() as session:
        found = session.exec(
            select(Loss, LossReason, WinbackCase, col(Client.objection_on))
            .join(Client, col(Client.id) == Loss.client_id)
            .join(LossReason, col(LossReason.code) == Loss.reason_code)
            .join(WinbackCase, col(WinbackCase.loss_id) == Loss.id, isouter=True)
            .where(Loss.client_id == client_id, Loss.lost_on <= as_of)
            .order_by(col(Loss.lost_on).desc(), col(Loss.id).desc())
        ).first()
    if found is None:
        return None
    loss, reason, case, objection_on = found
    assert loss.id is not None
    outcome = outcome_on(case.outcome, case.outcome_on, as_of) if case else None
    german = lang == "de"
    detail = winback_service.get_case(db, case.id) if case is not None and case.id else None
    if detail is not None:
        value, estimated = to_cents(detail.value), False
        attempts = tuple(a for a in detail.attempts if a.date <= as_of)
        goals = tuple((label, bool(getattr(detail, key))) for key, label in WINBACK_GOALS)
    else:
        value = to_cents(losses_service.get_loss(db, loss.id).revenue_12m_before)
        estimated, attempts = True, ()
        goals = tuple((label, False) for _key, label in WINBACK_GOALS)
    return LossFacts(
        lost_on=loss.lost_on,
        loss_type=LossType(loss.loss_type),
        reason=reason.label_de if german else reason.label_en,
        reason_text=loss.reason_text,
        objected=losses_service.objected(loss, objection_on, as_of),
        notes=loss.notes,
        suggested_measures=_lines(reason.measures_de if german else reason.measures_en),
        chosen_measures=_lines(case.measures if case else None),
        incentive=case.incentive if case else None,
        outcome=outcome,
        revisit_on=case.revisit_on if case and outcome is WinbackOutcome.NOT_NOW else None,
        look_back=losses_service.look_back(db, loss.id),
        attempts=attempts,
        value_cents=value,
        estimated=estimated,
        goals=goals,
        loss_id=loss.id,
        case_id=case.id if case is not None else None,
        won_back_on=case.outcome_on if case and outcome is WinbackOutcome.WON_BACK else None,
    )


def dossier(db: Database, client_id: int, seen: PeriodAsOf, lang: str) -> Dossier:
    """The dossier of one client for a period seen from a day; NotFoundError if it does not
    exist."""
    as_of = seen.as_of
    client = clients_service.get_client(db, client_id)
    row = clients_service.client_row(db, client_id, as_of)
    basis = settings_service.load(db).basis
    entries = revenue_service.list_entries(db, client_id=client_id)
    amounts: list[tuple[dt.date, int]] = []
    for entry in entries:
        day = entry.paid_date if basis == "paid" else entry.invoice_date
        # Unpaid invoices do not count on the payment basis, nothing after the day looked from.
        if day is not None and day <= as_of:
            amounts.append((day, to_cents(entry.net)))
    interactions = [
        item for item in interactions_service.list_for_client(db, client_id) if item.date <= as_of
    ]
    complaints = [item for item in interactions if item.kind == InteractionKind.COMPLAINT]
    sleeping = None
    if row.status is ClientStatus.SLEEPING:
        sleeping = sleeping_text(row.last_invoice, client.created_on, as_of)
    return Dossier(
        as_of=as_of,
        period=seen.period,
        provisional=seen.provisional,
        net_cents=sum(cents for day, cents in amounts if day in seen.period),
        client=client,
        row=row,
        permissions=contact_service.permissions_for(db, client_id, as_of),
        history=quarterly_totals(amounts, as_of, HISTORY_QUARTERS),
        interactions=interactions[:LAST_INTERACTIONS],
        complaints=complaints,
        loss=latest_loss(db, client_id, as_of, lang),
        signals=tuple(signals_by_client(db, as_of).get(client_id, ())),
        sleeping=sleeping,
        open_invoices=tuple(revenue_service.open_invoices(db, client_id, as_of)),
        steps=tuple(steps_service.steps_for_client(db, client_id, as_of)),
    )
