"""Clients: create, change, delete, and the rows of the Clients table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import case, delete, func, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, SQLModel, col, select

from freelancer_desk import backups, clock
from freelancer_desk.analytics.lifecycle import ClientFacts, derive_status
from freelancer_desk.analytics.periods import rolling_12_months
from freelancer_desk.contact_rules import blocker
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.i18n import _
from freelancer_desk.models import (
    ERASED_ALREADY,
    Client,
    ClientCreate,
    ClientGroup,
    ClientKind,
    ClientStatus,
    ClientUpdate,
    Loss,
    RevenueEntry,
    StepDecision,
    WinbackCase,
    WinbackOutcome,
    apply_changes,
    field_label,
    input_error,
    validate,
)
from freelancer_desk.money import from_cents
from freelancer_desk.names import collation_key
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.contact import all_subjects
from freelancer_desk.services.records import fetch
from freelancer_desk.services.warning_signs import signals_by_client
from freelancer_desk.texts import Text


@dataclass(frozen=True)
class ClientRow:
    """One line of the Clients table."""

    id: int
    name: str
    kind: ClientKind
    group: str | None
    contact_person: str | None
    email: str | None
    tags: str | None
    net_12m: Decimal
    last_invoice: dt.date | None
    status: ClientStatus
    returner: bool
    #: Nobody may contact the client on any channel (an objection, or erased): the
    #: do-not-contact list.
    do_not_contact: bool = False
    #: Why the client has its status, in the status's words (``services.steps.reasons``;
    #: empty unless asked for).
    reasons: tuple[Text, ...] = ()

    def why(self, lang: str | None = None) -> str:
        """The reasons as one line in ``lang`` (None: the current language)."""
        return " ".join(text.render(lang) for text in self.reasons)


def get_client(db: Database, client_id: int) -> Client:
    """One client; NotFoundError if it was deleted meanwhile."""
    with db.session() as session:
        client = fetch(session, Client, client_id)
        return client


def _check_group(session: Session, group_id: int | None) -> None:
    """A client can only join a group that exists (else SQLite refuses with a bare error)."""
    if group_id is not None and session.get(ClientGroup, group_id) is None:
        raise InputError("group_id", _("choose an existing group"), label=field_label("group_id"))


def create_client(db: Database, data: ClientCreate | dict[str, Any]) -> Client:
    """Store a new client from validated input."""
    checked = validate(ClientCreate, data)
    with db.session() as session:
        _check_group(session, checked.group_id)
        client = Client.model_validate(checked)
        session.add(client)
        session.flush()
        return client


def update_client(db: Database, client_id: int, data: ClientUpdate | dict[str, Any]) -> Client:
    """Change the given fields of a client; the merged record is validated as a whole."""
    changes = validate(ClientUpdate, data).model_dump(exclude_unset=True)
    with db.session() as session:
        client = fetch(session, Client, client_id)
        if client.erased:
            raise input_error("name", ERASED_ALREADY)
        _check_group(session, changes.get("group_id"))
        apply_changes(client, ClientCreate, changes)
        session.flush()
        return client


def delete_client(db: Database, client_id: int) -> Path:
    """Delete a client with all its revenue, interactions, losses and requests; a backup first.

    Returns the backup file, the only way back. When no backup can be made (BackupError),
    nothing is deleted.
    """
    with db.session() as session:
        fetch(session, Client, client_id)
    backup = backups.safety_backup(db, backups.BEFORE_DELETE)
    with db.session() as session:
        session.delete(fetch(session, Client, client_id))
    return backup


#: Fields the kept client takes over from the merged one when it has none.
_MERGE_FILL = (
    "group_id",
    "contact_person",
    "email",
    "phone",
    "address",
    "tags",
    "loyalty",
    "payment_term_days",
    "vat_rate_bp",
    "email_consent_on",
    "phone_consent_on",
)


def merge_clients(db: Database, keep_id: int, merge_id: int) -> Path:
    """Move every record of client ``merge_id`` to ``keep_id`` and delete it; a backup comes first.

    For one client spelt two ways (found by an import). The kept client takes over the fields it
    lacks and both notes; an objection of either stays (the earlier date). An invoice number
    both have is dropped from the merged one when the entries are the same, otherwise the
    merge is refused. Returns the backup file.
    """
    if keep_id == merge_id:
        raise InputError("merge", _("choose two different clients"))
    entry, other = aliased(RevenueEntry), aliased(RevenueEntry)
    same = (col(entry.invoice_date) == other.invoice_date) & (
        col(entry.net_cents) == other.net_cents
    )
    with db.session() as session:
        fetch(session, Client, keep_id)
        fetch(session, Client, merge_id)
        shared = session.execute(
            select(entry.id, entry.invoice_number, same)
            .join(
                other,
                (col(other.invoice_number) == entry.invoice_number)
                & (col(other.client_id) == keep_id),
            )
            .where(entry.client_id == merge_id)
        ).all()
    conflicts = sorted(number for _id, number, equal in shared if not equal)
    if conflicts:
        raise InputError(
            "merge",
            _(
                "both clients have an invoice numbered {numbers} with other figures; change one "
                "number first"
            ).format(numbers=", ".join(conflicts)),
        )
    backup = backups.safety_backup(db, backups.BEFORE_MERGE)
    with db.session() as session:
        dropped = [row[0] for row in shared]
        session.execute(delete(RevenueEntry).where(col(RevenueEntry.id).in_(dropped)))
        _move_step_decisions(session, merge_id, keep_id)
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if any(key.column.table.name == "client" for key in column.foreign_keys):
                    moved = update(table).where(column == merge_id).values({column.name: keep_id})
                    session.execute(moved)
        keep, merged = session.get(Client, keep_id), session.get(Client, merge_id)
        assert keep is not None and merged is not None
        for name in _MERGE_FILL:
            if getattr(keep, name) is None:
                setattr(keep, name, getattr(merged, name))
        keep.notes = "\n".join(dict.fromkeys(n for n in (keep.notes, merged.notes) if n)) or None
        objections = [day for day in (keep.objection_on, merged.objection_on) if day is not None]
        keep.objection_on = min(objections) if objections else None
        session.delete(merged)
    return backup


def _move_step_decisions(session: Session, merge_id: int, keep_id: int) -> None:
    """The merged client's decisions about next steps become the kept client's: a step's id
    names its client, so it is renamed; one the kept client has decided already is dropped."""
    kept = set(
        session.exec(
            select(col(StepDecision.step_id)).where(col(StepDecision.client_id) == keep_id)
        ).all()
    )
    merged = select(StepDecision).where(col(StepDecision.client_id) == merge_id)
    for row in session.exec(merged).all():
        prefix = f"{row.kind}:{merge_id}:"
        renamed = f"{row.kind}:{keep_id}:{row.step_id.removeprefix(prefix)}"
        if renamed in kept:
            session.delete(row)
        else:
            row.step_id, row.client_id = renamed, keep_id
            kept.add(renamed)
    session.flush()


def find_client(db: Database, name: str) -> Client:
    """The client of that exact name, ignoring case (also of ä, Ł …); NotFoundError if none.

    SQLite's ``lower()`` only folds ASCII, so names are compared with ``str.casefold``.
    """
    wanted = name.strip().casefold()
    with db.session() as session:
        for client_id, client_name in session.exec(select(Client.id, Client.name)).all():
            if client_name.casefold() == wanted:
                return session.get(Client, client_id)  # type: ignore[return-value]  # found just now in this transaction
    raise NotFoundError(_("There is no client named {name}.").format(name=name))


def client_names(db: Database) -> list[tuple[int, str]]:
    """(id, name) of every client, by name: for choosers in forms."""
    with db.session() as session:
        rows = session.exec(select(Client.id, Client.name)).all()
    named = [(client_id, name) for client_id, name in rows if client_id is not None]
    return sorted(named, key=lambda row: collation_key(row[1]))


def client_facts(
    db: Database, as_of: dt.date, signals: Mapping[int, object] | None = None
) -> dict[int, ClientFacts]:
    """The lifecycle facts of every client, from grouped queries (warning signs included).

    ``signals``: the warning signs by client id when the caller has computed them already.
    Without them the facts are kept until the data changes (``db.memo``).
    """
    if signals is None:
        return dict(
            db.memo.get(
                ("client_facts", as_of),
                lambda: _client_facts(db, as_of, signals_by_client(db, as_of)),
            )
        )
    return _client_facts(db, as_of, signals)


def _client_facts(
    db: Database, as_of: dt.date, at_risk: Mapping[int, object]
) -> dict[int, ClientFacts]:
    with db.session() as session:
        # Only invoices count as a sale: a credit note does not wake a sleeping client. Each
        # client's entries are walked back on the (client, date) index to the first positive
        # one, which is quicker than a grouped maximum that must look at every amount.
        last = (
            select(col(RevenueEntry.invoice_date))
            .where(
                RevenueEntry.client_id == Client.id,
                RevenueEntry.invoice_date <= as_of,
                RevenueEntry.net_cents > 0,
            )
            .order_by(col(RevenueEntry.invoice_date).desc())
            .limit(1)
            .scalar_subquery()
        )
        last_invoice = {
            client_id: day
            for client_id, day in session.connection().execute(select(Client.id, last))
            if day is not None
        }
        latest_loss: dict[int, tuple[dt.date, dt.date | None]] = {}
        returners: set[int] = set()
        rows = session.exec(
            select(
                col(Loss.client_id),
                col(Loss.lost_on),
                col(WinbackCase.outcome),
                col(WinbackCase.outcome_on),
            )
            .join(WinbackCase, col(WinbackCase.loss_id) == Loss.id, isouter=True)
            .where(Loss.lost_on <= as_of)
            .order_by(col(Loss.lost_on), col(Loss.id))
        ).all()
        for client_id, lost_on, outcome, outcome_on in rows:
            # Won back counts from the day it happened: looked at from before, the client was lost.
            won_back = (
                outcome == WinbackOutcome.WON_BACK
                and outcome_on is not None
                and outcome_on <= as_of
            )
            latest_loss[client_id] = (lost_on, outcome_on if won_back else None)
            if won_back:
                returners.add(client_id)
        facts = {}
        for key, created_on, archived in session.exec(
            select(col(Client.id), col(Client.created_on), col(Client.archived))
        ).all():
            assert key is not None  # read from the table: every row has its id
            last_loss, won_back_on = latest_loss.get(key, (None, None))
            facts[key] = ClientFacts(
                created_on=created_on,
                archived=archived,
                last_invoice=last_invoice.get(key),
                lost_on=last_loss,
                won_back=won_back_on is not None,
                won_back_on=won_back_on,
                at_risk=key in at_risk,
                returner=key in returners,
            )
        return facts


def client_row(db: Database, client_id: int, as_of: dt.date | None = None) -> ClientRow:
    """One client's row (its status on a client page or a dossier); NotFoundError if gone."""
    rows = client_rows(db, as_of, only=client_id)
    if not rows:
        raise NotFoundError(_("This client does not exist any more."))
    return rows[0]


def client_rows(
    db: Database, as_of: dt.date | None = None, only: int | None = None
) -> list[ClientRow]:
    """Every client (or only the one with id ``only``) with its 12-month revenue, last invoice
    and derived status."""
    as_of = as_of or clock.today()
    period = rolling_12_months(as_of)
    sleeping_days = settings_service.load(db).sleeping_days
    facts = client_facts(db, as_of)
    in_period = (col(RevenueEntry.invoice_date) >= period.start) & (
        col(RevenueEntry.invoice_date) < period.end
    )
    unreachable = {
        client_id
        for client_id, subject in all_subjects(db).items()
        if blocker(subject, None, as_of) is not None
    }
    with db.session() as session:
        sums = select(
            RevenueEntry.client_id,
            func.sum(case((in_period, RevenueEntry.net_cents), else_=0)),
        ).group_by(col(RevenueEntry.client_id))
        query = (
            select(Client, ClientGroup.name)
            .join(ClientGroup, col(Client.group_id) == ClientGroup.id, isouter=True)
            .order_by(func.lower(Client.name))
        )
        if only is not None:
            sums = sums.where(RevenueEntry.client_id == only)
            query = query.where(Client.id == only)
        net_12m = dict(session.exec(sums).all())
        rows = []
        for client, group_name in session.exec(query).all():
            assert client.id is not None  # read from the table: every row has its id
            fact = facts[client.id]
            rows.append(
                ClientRow(
                    id=client.id,
                    name=client.name,
                    kind=ClientKind(client.kind),
                    group=group_name,
                    contact_person=client.contact_person,
                    email=client.email,
                    tags=client.tags,
                    net_12m=from_cents(net_12m.get(client.id, 0) or 0),
                    last_invoice=fact.last_invoice,
                    status=derive_status(fact, as_of, sleeping_days),
                    returner=fact.returner,
                    do_not_contact=client.id in unreachable,
                )
            )
        return rows
