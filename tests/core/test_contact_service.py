"""The contact rules applied to stored clients."""

from __future__ import annotations

import datetime as dt

import pytest

from freelancer_desk.contact_rules import ContactBlockedError, Verdict
from freelancer_desk.db import Database
from freelancer_desk.models import Channel
from freelancer_desk.services import clients, revenue
from freelancer_desk.services.contact import all_subjects, check_contact, permissions_for

DAY = dt.date(2025, 6, 1)


def test_a_sale_opens_the_email_exception_and_an_objection_closes_everything(db: Database) -> None:
    client = clients.create_client(db, {"name": "Bäckerei Kurz", "kind": "private"})
    assert permissions_for(db, client.id, DAY)[Channel.EMAIL].verdict is Verdict.BLOCKED
    revenue.create_entry(
        db, {"client_id": client.id, "invoice_date": "2025-02-01", "net": "100.00"}
    )
    assert permissions_for(db, client.id, DAY)[Channel.EMAIL].verdict is Verdict.CAUTION
    assert all_subjects(db)[client.id].existing_customer is True
    with pytest.raises(ContactBlockedError, match="private person"):
        check_contact(db, client.id, "phone", DAY)
    clients.update_client(db, client.id, {"objection_on": "2025-05-01"})
    assert {p.verdict for p in permissions_for(db, client.id, DAY).values()} == {Verdict.BLOCKED}
