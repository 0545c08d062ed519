"""The foundation's services: clients, groups, revenue, interactions, settings and client status."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from freelancer_desk.analytics.periods import custom
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.models import ClientStatus
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import groups as groups_service
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import losses as losses_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import winback as winback_service

D = dt.date
AS_OF = D(2025, 6, 30)


def refused(field: str, call, *args, **kwargs) -> InputError:  # type: ignore[no-untyped-def]
    """Run ``call`` expecting an InputError that names ``field``."""
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field, caught.value
    return caught.value


def client(db: Database, name: str = "Müller & Söhne GmbH", **fields: object) -> int:
    return clients_service.create_client(db, {"name": name, **fields}).id  # type: ignore[return-value]


def invoice(db: Database, client_id: int, day: dt.date, net: str = "100.00", **fields: object):  # type: ignore[no-untyped-def]
    return revenue_service.create_entry(
        db, {"client_id": client_id, "invoice_date": day, "net": Decimal(net), **fields}
    )


# -- clients ------------------------------------------------------------------------------------


def test_client_create_update_delete(db: Database) -> None:
    client_id = client(db, "  Łukasz Wróbel  ", email="lukasz@example.pl", kind="private")
    stored = clients_service.get_client(db, client_id)
    assert (stored.name, stored.kind, stored.email) == (
        "Łukasz Wróbel",
        "private",
        "lukasz@example.pl",
    )
    clients_service.update_client(db, client_id, {"phone": "+48 42 123456", "email": None})
    stored = clients_service.get_client(db, client_id)
    assert (stored.name, stored.phone, stored.email) == ("Łukasz Wróbel", "+48 42 123456", None)
    clients_service.delete_client(db, client_id)
    with pytest.raises(NotFoundError):
        clients_service.get_client(db, client_id)


@pytest.mark.parametrize("name", ["", "   ", None])
def test_client_without_a_name_is_refused(db: Database, name: str | None) -> None:
    error = refused("name", clients_service.create_client, db, {"name": name})
    assert error.label == "Name" and "empty" in error.message
    assert clients_service.client_names(db) == []


def test_renaming_a_client_to_nothing_is_refused_and_keeps_the_name(db: Database) -> None:
    client_id = client(db, "Café Élysée")
    refused("name", clients_service.update_client, db, client_id, {"name": " "})
    assert clients_service.get_client(db, client_id).name == "Café Élysée"


def test_bad_email_and_payment_term_name_their_fields(db: Database) -> None:
    refused("email", clients_service.create_client, db, {"name": "A", "email": "not an address"})
    refused(
        "payment_term_days",
        clients_service.create_client,
        db,
        {"name": "A", "payment_term_days": 400},
    )
    client_id = client(db, "B")
    refused("email", clients_service.update_client, db, client_id, {"email": "b@"[:1]})


def test_client_in_a_group_that_does_not_exist_is_refused(db: Database) -> None:
    refused(
        "group_id",
        clients_service.create_client,
        db,
        {"name": "Hanse Logistik GmbH", "group_id": 999},
    )
    client_id = client(db, "Hanse Seefracht")
    refused("group_id", clients_service.update_client, db, client_id, {"group_id": 999})
    assert clients_service.get_client(db, client_id).group_id is None


def test_changing_a_deleted_client_says_so(db: Database) -> None:
    client_id = client(db)
    clients_service.delete_client(db, client_id)
    with pytest.raises(NotFoundError):
        clients_service.update_client(db, client_id, {"name": "X"})
    with pytest.raises(NotFoundError):
        clients_service.delete_client(db, client_id)


def test_deleting_a_client_removes_its_entries_and_interactions(db: Database) -> None:
    gone, kept = client(db, "Weg GmbH"), client(db, "Bleibt AG")
    invoice(db, gone, D(2025, 1, 10))
    invoice(db, kept, D(2025, 1, 11))
    interactions_service.create_interaction(db, {"client_id": gone, "date": D(2025, 1, 12)})
    clients_service.delete_client(db, gone)
    assert [row.client_name for row in revenue_service.list_entries(db)] == ["Bleibt AG"]
    assert interactions_service.list_for_client(db, gone) == []


# -- groups -------------------------------------------------------------------------------------


def test_groups_unique_names_rename_and_delete_keeps_clients(db: Database) -> None:
    group = groups_service.create_group(db, {"name": "Hanse Logistik Gruppe"})
    refused("name", groups_service.create_group, db, {"name": "hanse logistik gruppe"})
    refused("name", groups_service.create_group, db, {"name": "  "})
    member = client(db, "Hanse Logistik GmbH", group_id=group.id)
    renamed = groups_service.update_group(db, group.id, {"name": "Hanse Gruppe"})
    assert renamed.name == "Hanse Gruppe"
    assert clients_service.client_rows(db, AS_OF)[0].group == "Hanse Gruppe"
    groups_service.delete_group(db, group.id)
    assert clients_service.get_client(db, member).group_id is None
    assert groups_service.list_groups(db) == []


# -- revenue ------------------------------------------------------------------------------------


def test_revenue_without_an_invoice_date_is_refused(db: Database) -> None:
    client_id = client(db)
    error = refused(
        "invoice_date", revenue_service.create_entry, db, {"client_id": client_id, "net": "10"}
    )
    assert error.label == "Invoice date"
    refused(
        "invoice_date",
        revenue_service.create_entry,
        db,
        {"client_id": client_id, "net": "10", "invoice_date": "31.02.2025"},
    )
    assert revenue_service.list_entries(db) == []


def test_paid_or_due_before_the_invoice_date_is_refused(db: Database) -> None:
    client_id = client(db)
    error = refused("paid_date", invoice, db, client_id, D(2025, 3, 10), paid_date=D(2025, 3, 9))
    assert error.label == "Paid date" and "before the invoice date" in error.message
    refused("due_date", invoice, db, client_id, D(2025, 3, 10), due_date=D(2025, 3, 1))
    entry = invoice(db, client_id, D(2025, 3, 10), paid_date=D(2025, 3, 10))  # the same day is fine
    refused("paid_date", revenue_service.update_entry, db, entry.id, {"paid_date": D(2025, 2, 1)})
    refused(
        "paid_date", revenue_service.update_entry, db, entry.id, {"invoice_date": D(2025, 4, 1)}
    )
    assert revenue_service.list_entries(db)[0].paid_date == D(2025, 3, 10)


def test_amounts_must_be_exact_cents(db: Database) -> None:
    client_id = client(db)
    refused("net", invoice, db, client_id, D(2025, 1, 1), net="10.005")
    refused(
        "net",
        revenue_service.create_entry,
        db,
        {"client_id": client_id, "invoice_date": D(2025, 1, 1), "net": "zehn"},
    )
    refused(
        "net",
        revenue_service.create_entry,
        db,
        {"client_id": client_id, "invoice_date": D(2025, 1, 1)},
    )


def test_credit_notes_are_accepted_and_subtract(db: Database) -> None:
    client_id = client(db)
    invoice(db, client_id, D(2025, 2, 1), net="1000.00", invoice_number="RE-1")
    credit = invoice(db, client_id, D(2025, 2, 15), net="-250.50", invoice_number="GS-1")
    assert credit.net == Decimal("-250.50")
    # 1,000.00 − 250.50 = 749.50
    assert revenue_service.net_by_client(db, custom(D(2025, 1, 1), D(2025, 12, 31))) == {
        client_id: 74950
    }


def test_duplicate_invoice_number_per_client_is_refused(db: Database) -> None:
    first, second = client(db, "Erster"), client(db, "Zweiter")
    invoice(db, first, D(2025, 1, 1), invoice_number="RE-2025-001")
    error = refused(
        "invoice_number", invoice, db, first, D(2025, 1, 2), invoice_number="RE-2025-001"
    )
    assert error.label == "Invoice number"
    invoice(db, second, D(2025, 1, 2), invoice_number="RE-2025-001")  # another client may use it
    other = invoice(db, first, D(2025, 1, 3), invoice_number="RE-2025-002")
    refused(
        "invoice_number",
        revenue_service.update_entry,
        db,
        other.id,
        {"invoice_number": "RE-2025-001"},
    )
    assert len(revenue_service.list_entries(db, client_id=first)) == 2


def test_revenue_for_a_missing_client_is_refused(db: Database) -> None:
    refused("client_id", invoice, db, 4711, D(2025, 1, 1))


def test_entries_by_period_client_and_payment_basis(db: Database) -> None:
    a, b = client(db, "A"), client(db, "B")
    invoice(db, a, D(2024, 12, 20), net="10.00", paid_date=D(2025, 1, 5))
    invoice(db, a, D(2025, 1, 10), net="20.00")
    invoice(db, b, D(2025, 1, 20), net="30.00", paid_date=D(2025, 2, 1))
    january = custom(D(2025, 1, 1), D(2025, 1, 31))
    assert [e.net for e in revenue_service.list_entries(db, january)] == [
        Decimal("30.00"),
        Decimal("20.00"),
    ]
    assert [e.net for e in revenue_service.list_entries(db, january, client_id=a)] == [
        Decimal("20.00")
    ]
    assert [e.net for e in revenue_service.list_entries(db, january, basis="paid")] == [
        Decimal("10.00")
    ]
    assert revenue_service.net_by_client(db, january, basis="paid") == {a: 1000}
    assert revenue_service.revenue_bounds(db) == (D(2024, 12, 20), D(2025, 1, 20))


# -- interactions -------------------------------------------------------------------------------


def test_interactions_log_change_and_delete(db: Database) -> None:
    client_id = client(db)
    first = interactions_service.create_interaction(
        db,
        {
            "client_id": client_id,
            "date": D(2025, 3, 1),
            "kind": "complaint",
            "mood": -2,
            "notes": "Ärger über die verspätete Lieferung",
        },
    )
    interactions_service.create_interaction(
        db, {"client_id": client_id, "date": D(2025, 4, 1), "kind": "praise"}
    )
    assert [i.kind for i in interactions_service.list_for_client(db, client_id)] == [
        "praise",
        "complaint",
    ]
    interactions_service.update_interaction(db, first.id, {"mood": -1})
    refused("mood", interactions_service.update_interaction, db, first.id, {"mood": 3})
    refused("kind", interactions_service.update_interaction, db, first.id, {"kind": "gossip"})
    assert [i.mood for i in interactions_service.list_for_client(db, client_id)] == [None, -1]
    interactions_service.delete_interaction(db, first.id)
    assert len(interactions_service.list_for_client(db, client_id)) == 1
    refused(
        "client_id",
        interactions_service.create_interaction,
        db,
        {"client_id": 999, "date": D(2025, 1, 1)},
    )
    refused("date", interactions_service.create_interaction, db, {"client_id": client_id})


# -- settings -----------------------------------------------------------------------------------


def test_settings_store_check_and_reset(db: Database) -> None:
    assert settings_service.load(db).sleeping_days == 180
    settings_service.save(db, sleeping_days=90, warning_share=Fraction(2, 3))
    loaded = settings_service.load(db)
    assert (loaded.sleeping_days, loaded.warning_share) == (90, Fraction(2, 3))
    refused("warning_share", settings_service.save, db, warning_share=Fraction(9, 10))
    refused("sleeping_days", settings_service.save, db, sleeping_days=0)
    refused("no_such_setting", settings_service.save, db, no_such_setting=1)
    refused("sleeping_days", settings_service.save, db, sleeping_days="90")
    assert settings_service.reset(db).sleeping_days == 180


# -- client status ------------------------------------------------------------------------------


def statuses(db: Database, as_of: dt.date = AS_OF) -> dict[str, tuple[ClientStatus, bool]]:
    return {row.name: (row.status, row.returner) for row in clients_service.client_rows(db, as_of)}


def test_sleeping_from_180_days_without_revenue(db: Database) -> None:
    invoice(db, client(db, "Exactly 180"), AS_OF - dt.timedelta(days=180))
    invoice(db, client(db, "179 days"), AS_OF - dt.timedelta(days=179))
    assert statuses(db) == {
        "179 days": (ClientStatus.ACTIVE, False),
        "Exactly 180": (ClientStatus.SLEEPING, False),
    }
    settings_service.save(db, sleeping_days=200)
    assert statuses(db)["Exactly 180"] == (ClientStatus.ACTIVE, False)


def test_lost_won_back_and_archived(db: Database) -> None:
    lost = client(db, "Verloren GmbH")
    invoice(db, lost, D(2025, 1, 15))
    losses_service.mark_lost(
        db,
        {
            "client_id": lost,
            "lost_on": D(2025, 3, 1),
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    back = client(db, "Rückkehrer KG")
    invoice(db, back, D(2024, 10, 1))
    loss = losses_service.mark_lost(
        db,
        {
            "client_id": back,
            "lost_on": D(2024, 11, 1),
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    case = winback_service.open_case(db, loss.id)
    winback_service.set_outcome(db, case.id, "won_back", D(2025, 2, 1))
    invoice(db, back, D(2025, 5, 1))
    archived = client(db, "Archiv e.V.")
    invoice(db, archived, D(2025, 6, 1))
    clients_service.update_client(db, archived, {"archived": True})
    assert statuses(db) == {
        "Archiv e.V.": (ClientStatus.ARCHIVED, False),
        "Rückkehrer KG": (ClientStatus.WON_BACK, True),
        "Verloren GmbH": (ClientStatus.LOST, False),
    }
    # Before the loss the client was active; between loss and return the returner was lost.
    assert statuses(db, D(2025, 2, 1))["Verloren GmbH"] == (ClientStatus.ACTIVE, False)
    assert statuses(db, D(2025, 1, 15))["Rückkehrer KG"] == (ClientStatus.LOST, False)


def test_a_client_just_won_back_is_a_returner_not_sleeping(db: Database) -> None:
    back = client(db, "Gerade zurück")
    invoice(db, back, D(2024, 6, 1))
    loss = losses_service.mark_lost(
        db,
        {
            "client_id": back,
            "lost_on": D(2024, 7, 1),
            "loss_type": "pulled",
            "reason_code": "price_too_high",
        },
    )
    winback_service.set_outcome(
        db, winback_service.open_case(db, loss.id).id, "won_back", D(2025, 6, 20)
    )
    # The last invoice is 394 days old, but the client came back 10 days ago: no sleeper yet.
    assert statuses(db)["Gerade zurück"] == (ClientStatus.WON_BACK, True)
    # 180 days after coming back without an order, the returner is sleeping after all.
    assert statuses(db, D(2025, 12, 17))["Gerade zurück"] == (ClientStatus.SLEEPING, True)


def test_one_clients_row_equals_its_row_in_the_whole_list(db) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    from decimal import Decimal

    from freelancer_desk.errors import NotFoundError
    from freelancer_desk.services import clients as clients_service
    from freelancer_desk.services import revenue as revenue_service

    day = dt.date(2026, 6, 1)
    a = clients_service.create_client(db, {"name": "Anna Ämter"})
    b = clients_service.create_client(db, {"name": "Bruno Bau"})
    revenue_service.create_entry(
        db, {"client_id": a.id, "invoice_date": day, "net": Decimal("100.00")}
    )
    revenue_service.create_entry(
        db, {"client_id": b.id, "invoice_date": day, "net": Decimal("250.50")}
    )
    everyone = {row.id: row for row in clients_service.client_rows(db, day)}
    for client in (a, b):
        assert clients_service.client_row(db, client.id, day) == everyone[client.id]
    with pytest.raises(NotFoundError):
        clients_service.client_row(db, 9999, day)
