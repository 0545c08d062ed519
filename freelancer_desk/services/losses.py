"""Lost clients (Kundenverlust) and the editable catalogue of loss reasons (DOMAIN.md §4.2, §6).

Marking a client lost records when, how (loss type), why (reason + text) and whether the client
objected to any further contact. An objection is also written to the client, where the contact
rules read it, so that no feature contacts them again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import field_validator
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from freelancer_desk import formatting
from freelancer_desk.analytics.lifecycle import sleeping_text
from freelancer_desk.analytics.periods import add_months
from freelancer_desk.analytics.warnings import Signal
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.i18n import N_, _, current_language
from freelancer_desk.models import (
    ERASED_ALREADY,
    MAX_NAME,
    MAX_TEXT,
    Client,
    Loss,
    LossCreate,
    LossReason,
    LossType,
    LossUpdate,
    RevenueEntry,
    WinbackCase,
    WinbackOutcome,
    check_no_nul,
    clean_optional,
    clean_required,
    field_label,
    input_error,
    stored_input,
    validate,
)
from freelancer_desk.money import from_cents
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.records import fetch
from freelancer_desk.services.revenue import net_in_windows
from freelancer_desk.services.warning_signs import signals_in
from freelancer_desk.settings import DeskSettings
from freelancer_desk.texts import Text


@dataclass(frozen=True)
class ReasonRow:
    """One reason of the catalogue, in the current language and in both for editing."""

    code: str
    loss_type: LossType | None
    label: str
    measures: tuple[str, ...]
    label_de: str
    label_en: str
    measures_de: str
    measures_en: str
    active: bool


@dataclass(frozen=True)
class LossRow:
    """A lost client as the Lost clients page lists it."""

    id: int
    client_id: int
    client_name: str
    lost_on: dt.date
    loss_type: LossType
    reason_code: str
    reason_label: str
    reason_text: str | None
    objected: bool
    notes: str | None
    #: Net revenue of the 12 months before the loss.
    revenue_12m_before: Decimal
    case_id: int | None
    outcome: WinbackOutcome | None


@dataclass(frozen=True)
class LookBack:
    """The signs that showed on the day a client was lost: what to watch so that the next loss
    is noticed early (shown on the client page and in the dossier).

    Attributes:
        signs: the warning signs of that day, with their explanations.
        sleeping: why the client counted as sleeping that day, if it did.
        kept: True when kept with the loss; False when worked out from the records (losses
            recorded before the look back was kept).
    """

    day: dt.date
    signs: tuple[Signal, ...] = ()
    sleeping: Text | None = None
    kept: bool = True

    @property
    def empty(self) -> bool:
        """No sign showed: the loss came without warning."""
        return not self.signs and self.sleeping is None

    def lines(self, lang: str | None = None) -> list[tuple[str, str]]:
        """(sign, explanation) in ``lang``, for a list on screen or paper."""
        found = [(signal.label_in(lang), signal.explanation(lang)) for signal in self.signs]
        if self.sleeping is not None:
            found.append((Text(N_("Sleeping")).render(lang), self.sleeping.render(lang)))
        return found


def _in_language(de: str, en: str) -> str:
    return de if current_language() == "de" else en


def reason_row(reason: LossReason) -> ReasonRow:
    """A stored reason as a row in the current language."""
    measures = _in_language(reason.measures_de, reason.measures_en)
    return ReasonRow(
        code=reason.code,
        loss_type=LossType(reason.loss_type) if reason.loss_type else None,
        label=_in_language(reason.label_de, reason.label_en),
        measures=tuple(line for line in measures.splitlines() if line.strip()),
        label_de=reason.label_de,
        label_en=reason.label_en,
        measures_de=reason.measures_de,
        measures_en=reason.measures_en,
        active=reason.active,
    )


# --------------------------------------------------------------------------------------------
# The reason catalogue
# --------------------------------------------------------------------------------------------


class ReasonInput(SQLModel):
    """A reason as the catalogue editor saves it; labels in both languages are required."""

    loss_type: LossType | None = None
    label_de: str = ""
    label_en: str = ""
    measures_de: str = ""
    measures_en: str = ""
    active: bool = True

    @field_validator("label_de", "label_en", mode="before")
    @classmethod
    def _label(cls, value: str) -> str:
        cleaned = clean_required(check_no_nul(value) or "")
        if len(cleaned) > MAX_NAME:
            raise ValueError(_("is too long"))
        return cleaned

    @field_validator("measures_de", "measures_en", mode="before")
    @classmethod
    def _measures(cls, value: str | None) -> str:
        cleaned = clean_optional(check_no_nul(value)) or ""
        if len(cleaned) > MAX_TEXT:
            raise ValueError(_("is too long"))
        return "\n".join(line.strip() for line in cleaned.splitlines() if line.strip())


def reasons(db: Database, include_inactive: bool = False) -> list[ReasonRow]:
    """The catalogue in its order; inactive reasons only when asked (for the editor)."""
    with db.session() as session:
        query = select(LossReason).order_by(col(LossReason.position), col(LossReason.code))
        if not include_inactive:
            query = query.where(col(LossReason.active).is_(True))
        return [reason_row(reason) for reason in session.exec(query).all()]


def save_reason(db: Database, code: str, data: ReasonInput | dict[str, Any]) -> ReasonRow:
    """Change a reason, or add it when ``code`` is new (it goes to the end of the list)."""
    checked = validate(ReasonInput, data)
    code = code.strip()
    if not code or len(code) > 64:
        raise InputError("code", _("give a short code of at most 64 characters"), label=_("Code"))
    with db.session() as session:
        reason = session.get(LossReason, code)
        if reason is None:
            last = session.exec(select(func.max(LossReason.position))).one() or 0
            reason = LossReason(code=code, label_de="", label_en="", position=last + 1)
            session.add(reason)
        for key, value in checked.model_dump().items():
            setattr(reason, key, value)
        session.flush()
        return reason_row(reason)


def reason_label(db: Database, code: str) -> str:
    """The label of a reason in the current language (the code itself if it is unknown)."""
    with db.session() as session:
        reason = session.get(LossReason, code)
        return code if reason is None else reason_row(reason).label


# --------------------------------------------------------------------------------------------
# Losses
# --------------------------------------------------------------------------------------------


def _check_reason(session: Session, code: str) -> None:
    if session.get(LossReason, code) is None:
        raise InputError(
            "reason_code", _("choose a reason from the catalogue"), label=field_label("reason_code")
        )


def _record_objection(client: Client, day: dt.date) -> None:
    """Keep the earliest objection date: from then on no channel may be used."""
    if client.objection_on is None or day < client.objection_on:
        client.objection_on = day


class AlreadyLostError(InputError):
    """The client is lost already: its loss (``loss``) can be opened and changed instead."""

    def __init__(self, loss: LossRow) -> None:
        super().__init__(
            "client_id",
            _("{name} is marked lost already, since {date}. Open that loss to change it.").format(
                name=loss.client_name, date=formatting.date(loss.lost_on)
            ),
            label=field_label("client_id"),
        )
        self.loss = loss


def _current_loss(session: Session, client_id: int) -> LossRow | None:
    """The client's latest loss unless the client was won back after it."""
    latest = session.exec(
        select(Loss.id)
        .where(Loss.client_id == client_id)
        .order_by(col(Loss.lost_on).desc(), col(Loss.id).desc())
        .limit(1)
    ).first()
    if latest is None:
        return None
    [row] = loss_rows_in(session, loss_id=latest)
    return None if row.outcome is WinbackOutcome.WON_BACK else row


def current_loss(db: Database, client_id: int) -> LossRow | None:
    """The loss that makes this client lost now, or None (never lost, or won back since)."""
    with db.session() as session:
        return _current_loss(session, client_id)


def mark_lost(db: Database, data: LossCreate | dict[str, Any]) -> LossRow:
    """Record that a client was lost; an objection also blocks every channel from that day.

    A client who is lost already is refused (``AlreadyLostError``): a second loss would count
    it twice; a client won back can be lost again. The loss keeps the signs that showed on its
    day (``look_back``).
    """
    checked = validate(LossCreate, data)
    settings = settings_service.load(db)
    with db.session() as session:
        client = session.get(Client, checked.client_id)
        if client is None:
            raise InputError(
                "client_id", _("choose an existing client"), label=field_label("client_id")
            )
        if client.erased:
            raise input_error("client_id", ERASED_ALREADY)
        lost = _current_loss(session, checked.client_id)
        if lost is not None:
            raise AlreadyLostError(lost)
        _check_reason(session, checked.reason_code)
        loss = Loss.model_validate(checked)
        loss.signs_before = _keep(_look_back_on(session, loss, settings))
        session.add(loss)
        if checked.objected:
            _record_objection(client, checked.lost_on)
        session.flush()
        return loss_rows_in(session, loss_id=loss.id)[0]


def update_loss(db: Database, loss_id: int, data: LossUpdate | dict[str, Any]) -> LossRow:
    """Change a loss; setting ``objected`` records the objection on the client too.

    Clearing ``objected`` leaves the client's objection date alone: lifting an objection is a
    deliberate edit of the client's contact permissions.
    """
    changes = validate(LossUpdate, data).model_dump(exclude_unset=True)
    settings = settings_service.load(db)
    with db.session() as session:
        loss = fetch(session, Loss, loss_id)
        merged = validate(LossCreate, {**stored_input(loss, LossCreate), **changes})
        _check_reason(session, merged.reason_code)
        moved = merged.lost_on != loss.lost_on
        for key in changes:
            setattr(loss, key, getattr(merged, key))
        if moved:  # the look back belongs to the day of the loss
            loss.signs_before = _keep(_look_back_on(session, loss, settings))
        if merged.objected:
            _record_objection(session.get(Client, loss.client_id), merged.lost_on)  # type: ignore[arg-type]  # the foreign key keeps the client
        session.flush()
        return loss_rows_in(session, loss_id=loss_id)[0]


def delete_loss(db: Database, loss_id: int) -> None:
    """Delete a loss (marked by mistake) with its win-back case."""
    with db.session() as session:
        loss = fetch(session, Loss, loss_id)
        session.delete(loss)


def list_losses(db: Database, as_of: dt.date | None = None) -> list[LossRow]:
    """Every loss, newest first, with the revenue of the 12 months before it.

    ``as_of``: only losses up to that day, each with its win-back outcome as it stood then.
    """
    with db.session() as session:
        return loss_rows_in(session, as_of=as_of)


def get_loss(db: Database, loss_id: int) -> LossRow:
    """One loss; NotFoundError if it is gone."""
    with db.session() as session:
        rows = loss_rows_in(session, loss_id=loss_id)
        if not rows:
            raise NotFoundError(_("This loss does not exist any more."))
        return rows[0]


def outcome_on(
    outcome: WinbackOutcome | str, decided_on: dt.date | None, as_of: dt.date | None
) -> WinbackOutcome:
    """A win-back outcome as it stood on ``as_of``: one decided later was still open then."""
    if as_of is not None and decided_on is not None and decided_on > as_of:
        return WinbackOutcome.OPEN
    return WinbackOutcome(outcome)


def objected(loss: Loss, objection_on: dt.date | None, as_of: dt.date | None) -> bool:
    """Whether a lost client objected to contact: when leaving (the loss says so), or by
    ``as_of`` (any day when None) on the client, where the contact rules read it. One objection
    counts everywhere: the list of losses and the dossier say what the rules do."""
    on_client = objection_on is not None and (as_of is None or objection_on <= as_of)
    return loss.objected or on_client


def loss_rows_in(
    session: Session, loss_id: int | None = None, as_of: dt.date | None = None
) -> list[LossRow]:
    """Loss rows (one, or all newest first) inside a service's own transaction; ``as_of``: only
    losses up to that day, with the outcome as it stood then."""
    query = (
        select(Loss, Client.name, col(Client.objection_on), WinbackCase)
        .join(Client, col(Client.id) == Loss.client_id)
        .join(WinbackCase, col(WinbackCase.loss_id) == Loss.id, isouter=True)
        .order_by(col(Loss.lost_on).desc(), col(Loss.id).desc())
    )
    if loss_id is not None:
        query = query.where(Loss.id == loss_id)
    if as_of is not None:
        query = query.where(Loss.lost_on <= as_of)
    rows = session.exec(query).all()
    labels = {
        reason.code: reason_row(reason).label for reason in session.exec(select(LossReason)).all()
    }
    before = revenue_before(session, [loss for loss, *_rest in rows])
    return [
        LossRow(
            id=_saved(loss.id),
            client_id=loss.client_id,
            client_name=name,
            lost_on=loss.lost_on,
            loss_type=LossType(loss.loss_type),
            reason_code=loss.reason_code,
            reason_label=labels.get(loss.reason_code, loss.reason_code),
            reason_text=loss.reason_text,
            objected=objected(loss, objection_on, as_of),
            notes=loss.notes,
            revenue_12m_before=from_cents(before.get(_saved(loss.id), 0)),
            case_id=None if case is None else case.id,
            outcome=None if case is None else outcome_on(case.outcome, case.outcome_on, as_of),
        )
        for loss, name, objection_on, case in rows
    ]


def _saved(record_id: int | None) -> int:
    """The id of a record read from the database (only a record not yet saved has none)."""
    assert record_id is not None
    return record_id


# --------------------------------------------------------------------------------------------
# The look back
# --------------------------------------------------------------------------------------------


def _look_back_on(session: Session, loss: Loss, settings: DeskSettings) -> LookBack:
    """The signs of the lost client on the day of the loss, from its records up to that day."""
    day = loss.lost_on
    signs = signals_in(session, loss.client_id, day, settings)
    client = session.get(Client, loss.client_id)
    last_invoice = session.exec(
        select(func.max(RevenueEntry.invoice_date)).where(
            RevenueEntry.client_id == loss.client_id,
            RevenueEntry.invoice_date <= day,
            RevenueEntry.net_cents > 0,
        )
    ).one()
    created_on = client.created_on if client is not None else day
    since = last_invoice or min(created_on, day)
    sleeping = None
    if (day - since).days >= settings.sleeping_days:
        sleeping = sleeping_text(last_invoice, min(created_on, day), day)
    return LookBack(day, tuple(signs), sleeping)


def _keep(look: LookBack) -> str:
    """The look back as the JSON the loss keeps."""
    return json.dumps(
        {
            "signs": [signal.to_data() for signal in look.signs],
            "sleeping": None if look.sleeping is None else look.sleeping.to_data(),
        },
        ensure_ascii=False,
    )


def _kept(day: dt.date, stored: str) -> LookBack:
    """The look back a loss keeps; ValueError or KeyError when the JSON is damaged."""
    data = json.loads(stored)
    sleeping = data.get("sleeping")
    return LookBack(
        day,
        tuple(Signal.from_data(sign) for sign in data["signs"]),
        None if sleeping is None else Text.from_data(sleeping),
    )


def look_back(db: Database, loss_id: int) -> LookBack:
    """The signs that showed on the day of a loss; NotFoundError if the loss is gone.

    A loss recorded before the look back was kept (or one whose kept data are damaged) gets it
    worked out from the records up to its day.
    """
    settings = settings_service.load(db)
    with db.session() as session:
        loss = fetch(session, Loss, loss_id)
        if loss.signs_before is not None:
            try:
                return _kept(loss.lost_on, loss.signs_before)
            except (ValueError, KeyError, TypeError):
                pass
        found = _look_back_on(session, loss, settings)
        return LookBack(found.day, found.signs, found.sleeping, kept=False)


def twelve_months_before(lost_on: dt.date) -> tuple[dt.date, dt.date]:
    """``[start, end)`` of the 12 months before a loss: the loss day itself is not included."""
    return add_months(lost_on, -12), lost_on


def revenue_before(session: Session, losses: list[Loss]) -> dict[int, int]:
    """Net cents of the 12 months before each loss, from one query over the lost clients."""
    return net_in_windows(
        session.connection(),
        {_saved(loss.id): (loss.client_id, *twelve_months_before(loss.lost_on)) for loss in losses},
    )
