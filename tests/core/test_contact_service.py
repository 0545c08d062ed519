"""The contact rules applied to stored clients."""

from __future__ import annotations

import datetime as dt

from freelancer_desk.analytics.steps import StepKind
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database
from freelancer_desk.models import Channel
from freelancer_desk.services import clients, losses, revenue, steps
from freelancer_desk.services.contact import (
    all_subjects,
    may_contact,
    permissions_for,
    subject_for,
)

DAY = dt.date(2025, 6, 1)


def test_a_sale_opens_the_email_exception_and_an_objection_closes_everything(db: Database) -> None:
    client = clients.create_client(db, {"name": "Bäckerei Kurz", "kind": "private"})
    assert permissions_for(db, client.id, DAY)[Channel.EMAIL].verdict is Verdict.BLOCKED
    revenue.create_entry(
        db, {"client_id": client.id, "invoice_date": "2025-02-01", "net": "100.00"}
    )
    assert permissions_for(db, client.id, DAY)[Channel.EMAIL].verdict is Verdict.CAUTION
    assert all_subjects(db)[client.id].first_sale_on == dt.date(2025, 2, 1)
    phone = may_contact(db, client.id, Channel.PHONE, DAY)
    assert phone.verdict is Verdict.BLOCKED and "private person" in phone.reason
    clients.update_client(db, client.id, {"objection_on": "2025-05-01"})
    assert {p.verdict for p in permissions_for(db, client.id, DAY).values()} == {Verdict.BLOCKED}


def test_a_credit_note_alone_is_no_sale_and_a_later_invoice_counts_from_its_day(
    db: Database,
) -> None:
    client = clients.create_client(db, {"name": "Gutschrift Only", "kind": "business"}).id
    revenue.create_entry(db, {"client_id": client, "invoice_date": "2025-01-10", "net": "-50.00"})
    assert may_contact(db, client, Channel.EMAIL, DAY).rule == "no_email_basis"
    revenue.create_entry(db, {"client_id": client, "invoice_date": "2025-07-01", "net": "80.00"})
    assert may_contact(db, client, Channel.EMAIL, DAY).rule == "no_email_basis"
    assert may_contact(db, client, Channel.EMAIL, dt.date(2025, 7, 1)).rule == "existing_customer"


def test_an_objection_recorded_with_a_loss_counts_from_the_loss_everywhere(db: Database) -> None:
    client = clients.create_client(db, {"name": "Weg GmbH", "phone_consent_on": "2024-01-01"}).id
    loss = losses.mark_lost(
        db, {"client_id": client, "lost_on": "2025-03-01", "loss_type": "pulled", "objected": True}
    )
    # Lifting the objection on the client alone does not lift the one recorded with the loss.
    clients.update_client(db, client, {"objection_on": None})
    assert subject_for(db, client).objection_on == dt.date(2025, 3, 1)
    assert may_contact(db, client, Channel.PHONE, dt.date(2025, 2, 28)).allowed
    blocked = may_contact(db, client, Channel.PHONE, DAY)
    assert (blocked.allowed, blocked.rule) == (False, "objection")
    losses.update_loss(db, loss.id, {"objected": False})
    assert may_contact(db, client, Channel.PHONE, DAY).allowed


def test_next_steps_never_call_a_private_person_without_phone_consent(db: Database) -> None:
    private = clients.create_client(db, {"name": "Frau Privat", "kind": "private"}).id
    revenue.create_entry(db, {"client_id": private, "invoice_date": "2024-10-10", "net": "90.00"})
    business = clients.create_client(db, {"name": "Firma", "kind": "business"}).id
    revenue.create_entry(db, {"client_id": business, "invoice_date": "2024-10-10", "net": "90.00"})
    objected = clients.create_client(db, {"name": "Nein Danke", "objection_on": "2025-01-01"}).id
    revenue.create_entry(db, {"client_id": objected, "invoice_date": "2024-10-10", "net": "9.00"})
    found = {
        step.client_id: step for step in steps.plan(db, DAY) if step.kind is StepKind.REACTIVATE
    }
    assert set(found) == {private, business}  # nobody may contact the one who objected
    assert found[private].channel is Channel.EMAIL  # no call without consent: written instead
    assert found[business].channel is Channel.PHONE
    assert found[business].permission.rule == "presumed_interest"  # type: ignore[union-attr]


def test_an_objection_on_the_client_shows_with_the_loss_in_the_list_and_the_dossier(
    db: Database,
) -> None:
    from freelancer_desk.services.dossier import latest_loss

    client = clients.create_client(db, {"name": "Grünwerk", "objection_on": "2025-04-01"}).id
    losses.mark_lost(db, {"client_id": client, "lost_on": "2025-05-01", "loss_type": "pulled"})
    [row] = losses.list_losses(db, as_of=DAY)
    assert row.objected  # the rules block every channel: the list and the dossier say so
    facts = latest_loss(db, client, DAY, "de")
    assert facts is not None and facts.objected
    # Read as of a day before the objection, the loss shows none.
    clients.update_client(db, client, {"objection_on": "2025-05-20"})
    [before] = losses.list_losses(db, as_of=dt.date(2025, 5, 10))
    assert not before.objected
    facts_before = latest_loss(db, client, dt.date(2025, 5, 10), "de")
    assert facts_before is not None and not facts_before.objected
