"""GDPR erasure: personal data gone, revenue totals unchanged, backup present."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal

from freelancer_desk.analytics.periods import custom
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database
from freelancer_desk.services import clients, interactions, losses, revenue, winback
from freelancer_desk.services.contact import permissions_for
from freelancer_desk.services.privacy import do_not_contact, erase_client
from freelancer_desk.services.status import StatusRequest, build_status

YEAR = custom(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _client_with_history(db: Database) -> int:
    cid = clients.create_client(
        db,
        {
            "name": "Jörg Müller",
            "kind": "private",
            "contact_person": "Jörg",
            "email": "joerg@example.org",
            "phone": "+49 30 123",
            "address": "Hauptstr. 1, Berlin",
            "notes": "mag keine Anrufe",
            "tags": "vip",
            "email_consent_on": "2024-01-01",
            "phone_consent_on": "2024-01-01",
            "loyalty": "loyal",
        },
    ).id
    for day, net in (
        ("2025-01-15", "1200.00"),
        ("2025-02-15", "800.50"),
        ("2025-03-15", "-100.00"),
    ):
        revenue.create_entry(
            db, {"client_id": cid, "invoice_date": day, "net": net, "note": "Projekt Müller"}
        )
    interactions.create_interaction(
        db,
        {
            "client_id": cid,
            "date": "2025-03-01",
            "kind": "complaint",
            "notes": "war verärgert über Verspätung",
        },
    )
    loss = losses.mark_lost(
        db,
        {
            "client_id": cid,
            "lost_on": "2025-04-01",
            "loss_type": "pushed",
            "reason_code": "quality",
            "reason_text": "Fehler im Text",
            "notes": "persönlich",
        },
    )
    case = winback.open_case(db, loss.id, {"incentive": "Gutschein für Jörg"})
    winback.add_attempt(
        db,
        case.id,
        {"date": "2025-04-05", "channel": "email", "reaction": "rude", "notes": "hat aufgelegt"},
    )
    return cid


def test_erasure_clears_personal_data_keeps_totals_and_backs_up_first(db: Database) -> None:
    other = clients.create_client(db, {"name": "Andere GmbH"}).id
    revenue.create_entry(db, {"client_id": other, "invoice_date": "2025-05-01", "net": "3000.00"})
    erased = _client_with_history(db)
    before_total = build_status(
        db, StatusRequest(as_of=dt.date(2025, 12, 31), period=YEAR)
    ).total_net_cents
    before_by_client = revenue.net_by_client(db, YEAR)

    result = erase_client(db, erased, keep_on_do_not_contact=False)

    assert result.name == f"Erased client #{erased}"
    client = clients.get_client(db, erased)
    assert client.erased and client.name == f"Erased client #{erased}"
    assert [
        client.contact_person,
        client.email,
        client.phone,
        client.address,
        client.notes,
        client.tags,
        client.email_consent_on,
        client.phone_consent_on,
    ] == [None] * 8
    # Every free text about the client is gone; the records themselves stay.
    assert [i.notes for i in interactions.list_for_client(db, erased)] == [None]
    assert {e.note for e in revenue.list_entries(db, client_id=erased)} == {None}
    loss = losses.list_losses(db)[0]
    assert (loss.reason_text, loss.notes, loss.reason_code) == (None, None, "quality")
    case = winback.get_case(db, loss.case_id)  # type: ignore[arg-type]
    assert case.incentive is None and [a.notes for a in case.attempts] == [None]
    # Revenue stays as anonymous figures: every total is unchanged.
    assert (
        build_status(db, StatusRequest(as_of=dt.date(2025, 12, 31), period=YEAR)).total_net_cents
        == before_total
        == 490_050
    )
    assert revenue.net_by_client(db, YEAR) == before_by_client
    assert before_by_client[erased] == 190050
    # The backup was taken before and still holds the data.
    assert result.backup.exists() and result.backup.parent == db.path.parent / "backups"
    with sqlite3.connect(result.backup) as conn:
        assert conn.execute(
            "SELECT name, email FROM client WHERE id = ?", (erased,)
        ).fetchone() == ("Jörg Müller", "joerg@example.org")
    # Nobody contacts an erased client, and it is not on the do-not-contact list by name.
    assert {p.verdict for p in permissions_for(db, erased, dt.date(2025, 6, 1)).values()} == {
        Verdict.BLOCKED
    }
    assert do_not_contact(db, dt.date(2025, 6, 1)) == []


def test_erasure_can_keep_the_name_on_the_do_not_contact_list(db: Database) -> None:
    erased = _client_with_history(db)
    result = erase_client(db, erased, keep_on_do_not_contact=True, today=dt.date(2025, 4, 6))
    client = clients.get_client(db, erased)
    assert (result.name, client.name, client.email, client.objection_on) == (
        "Jörg Müller",
        "Jörg Müller",
        None,
        dt.date(2025, 4, 6),
    )
    [entry] = do_not_contact(db, dt.date(2025, 5, 1))
    assert (entry.name, entry.erased, entry.objection_on) == (
        "Jörg Müller",
        True,
        dt.date(2025, 4, 6),
    )
    assert sum(e.net for e in revenue.list_entries(db, client_id=erased)) == Decimal("1900.50")
