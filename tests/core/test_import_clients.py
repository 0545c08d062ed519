"""Importing clients (consents, objection, loyalty, groups) and merging clients spelt two ways."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlmodel import select

from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.models import Client, ClientGroup, Interaction, StepDecision
from freelancer_desk.services.clients import create_client, get_client, merge_clients
from freelancer_desk.services.importing import ImportRefused, load_table, run_import
from freelancer_desk.services.interactions import create_interaction
from freelancer_desk.services.revenue import create_entry, list_entries

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "import"
TODAY = dt.date(2026, 1, 15)


def import_clients(db: Database, source: Path | bytes, **kwargs: object):  # type: ignore[no-untyped-def]
    return run_import(db, load_table(source, "clients"), "clients", PlanOptions(TODAY), **kwargs)  # type: ignore[arg-type]


def clients_by_name(db: Database) -> dict[str, Client]:
    with db.session() as session:
        return {client.name: client for client in session.exec(select(Client)).all()}


def test_clients_file_with_german_headers(db: Database) -> None:
    result = import_clients(db, FIXTURES / "clients_de.csv")
    assert result.added == 4 and result.groups_added == 1
    assert result.plan.table.mapping.unrecognised == ("Kundennummer",)
    clients = clients_by_name(db)
    mueller, anna, tochter, werkstatt = (
        clients[name]
        for name in ("Müller GmbH", "Anna Schmidt", "Tochter Müller Service GmbH", "Alte Werkstatt")
    )
    assert (mueller.kind, mueller.loyalty, mueller.contact_person) == (
        "business",
        "loyal",
        "Frau Kaya",
    )
    assert mueller.email_consent_on == dt.date(2024, 2, 1)
    assert mueller.group_id is not None and mueller.group_id == tochter.group_id
    assert (anna.kind, anna.loyalty) == ("private", "conditional")
    assert anna.email_consent_on == TODAY  # "ja" without a date: recorded as of the import day …
    assert "without a date" in (anna.notes or "")  # … and the notes say so
    assert anna.phone_consent_on is None  # "nein"
    assert (werkstatt.objection_on, werkstatt.loyalty) == (dt.date(2025, 3, 15), "disloyal")
    assert [notice for notice in result.plan.notices if "Line 3" in notice]
    with db.session() as session:
        assert session.exec(select(ClientGroup.name)).all() == ["Müller Holding"]


def test_existing_clients_are_completed_never_overwritten(db: Database) -> None:
    create_client(db, {"name": "Mueller GmbH", "email": "info@mueller.example"})
    first = import_clients(db, FIXTURES / "clients_de.csv")
    assert (first.added, first.clients_completed) == (3, 1)
    mueller = clients_by_name(db)["Mueller GmbH"]
    assert mueller.email == "info@mueller.example"  # kept
    assert mueller.contact_person == "Frau Kaya"  # filled
    again = import_clients(db, FIXTURES / "clients_de.csv")
    assert (again.added, again.clients_completed, len(again.plan.duplicates)) == (0, 0, 4)


def test_bad_client_rows_name_line_and_column(db: Database) -> None:
    data = (
        b"Name;E-Mail;Art;Widerspruch;Zahlungsziel\n"
        b"A;kein-at-zeichen;Firma;;14 Tage\n"
        b"B;b@example.org;Verein;;\n"
        b"C;;;irgendwann;\n"
        b"D;;;;400\n"
        b"E;e@example.org;privat;;30\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_clients(db, data)
    assert [(p.line, p.column) for p in refused.value.plan.errors] == [
        (2, "E-Mail"),
        (3, "Art"),
        (4, "Widerspruch"),
        (5, "Zahlungsziel"),
    ]
    assert "is not an email address" in refused.value.plan.errors[0].reason
    assert clients_by_name(db) == {}
    result = import_clients(db, data, good_rows_only=True)
    assert result.added == 1 and clients_by_name(db)["E"].payment_term_days == 30


def test_salutation_and_form_of_address_with_german_and_english_headers(db: Database) -> None:
    german = (
        "Kunde;Ansprechpartner;Anrede;Sie/Du\nMüller GmbH;Kaya;Frau;Du\nWeber IT;Weber;Hr.;Sie\n"
    )
    english = "Client;Contact;Salutation;Form of address\nBlue Ltd;Smith;Mrs.;first-name terms\n"
    for data in (german, english):
        assert import_clients(db, data.encode()).plan.table.mapping.unrecognised == ()
    assert {
        name: (client.salutation, client.address_form)
        for name, client in clients_by_name(db).items()
    } == {
        "Müller GmbH": ("ms", "informal"),
        "Weber IT": ("mr", "formal"),
        "Blue Ltd": ("ms", "informal"),
    }


def test_an_unknown_salutation_or_form_of_address_is_refused_with_line_and_column(
    db: Database,
) -> None:
    data = b"Name;Anrede;Sie/Du\nA;Dr.;Sie\nB;Frau;vielleicht\nC;;\n"
    with pytest.raises(ImportRefused) as refused:
        import_clients(db, data)
    errors = refused.value.plan.errors
    assert [(p.line, p.column) for p in errors] == [(2, "Anrede"), (3, "Sie/Du")]
    assert '"Dr." is not one of: mr, ms' in errors[0].reason
    assert '"vielleicht" is not one of: formal, informal' in errors[1].reason
    assert clients_by_name(db) == {}
    import_clients(db, data, good_rows_only=True)
    only = clients_by_name(db)["C"]  # nothing given: no salutation, Sie as usual
    assert (only.salutation, only.address_form) == (None, "formal")


def test_an_import_fills_a_missing_salutation_but_keeps_the_form_of_address(db: Database) -> None:
    create_client(db, {"name": "Weber IT", "address_form": "formal"})
    result = import_clients(db, b"Name;Anrede;Sie/Du\nWeber IT;Herr;Du\n")
    assert result.clients_completed == 1
    weber = clients_by_name(db)["Weber IT"]
    assert (weber.salutation, weber.address_form) == ("mr", "formal")


def test_merge_moves_every_record_and_keeps_the_objection(db: Database) -> None:
    keep = create_client(db, {"name": "Müller GmbH"})
    other = create_client(
        db,
        {
            "name": "Mueller GmbH.",
            "phone": "030 1234",
            "objection_on": dt.date(2025, 6, 1),
            "notes": "Hat widersprochen",
        },
    )
    for client, number, amount in (
        (keep, "1", "100.00"),
        (other, "1", "100.00"),
        (other, "2", "50.00"),
    ):
        create_entry(
            db,
            {
                "client_id": client.id,
                "invoice_number": number,
                "invoice_date": dt.date(2025, 1, int(number)),
                "net": Decimal(amount),
            },
        )
    create_interaction(db, {"client_id": other.id, "date": dt.date(2025, 2, 1), "notes": "Anruf"})
    with db.session() as session:
        for client_id in (keep.id, other.id):
            session.add(
                StepDecision(
                    step_id=f"reactivate:{client_id}:2025-01-01",
                    kind="reactivate",
                    client_id=client_id,
                    decision="dismissed",
                    decided_on=TODAY,
                )
            )

    backup = merge_clients(db, keep.id, other.id)

    assert backup.exists() and "before-merge" in backup.name
    entries = sorted((row.client_name, row.invoice_number, row.net) for row in list_entries(db))
    assert entries == [
        ("Müller GmbH", "1", Decimal("100.00")),
        ("Müller GmbH", "2", Decimal("50.00")),
    ]
    kept = get_client(db, keep.id)
    assert (kept.phone, kept.objection_on, kept.notes) == (
        "030 1234",
        dt.date(2025, 6, 1),
        "Hat widersprochen",
    )
    with db.session() as session:
        assert session.get(Client, other.id) is None
        assert [i.client_id for i in session.exec(select(Interaction)).all()] == [keep.id]
        assert [row.step_id for row in session.exec(select(StepDecision)).all()] == [
            f"reactivate:{keep.id}:2025-01-01"
        ]


def test_merge_refuses_conflicting_invoice_numbers_and_same_client(db: Database) -> None:
    keep = create_client(db, {"name": "A"})
    other = create_client(db, {"name": "A."})
    for client, amount in ((keep, "100.00"), (other, "90.00")):
        create_entry(
            db,
            {
                "client_id": client.id,
                "invoice_number": "7",
                "invoice_date": dt.date(2025, 1, 1),
                "net": Decimal(amount),
            },
        )
    with pytest.raises(InputError, match="invoice numbered 7"):
        merge_clients(db, keep.id, other.id)
    with pytest.raises(InputError, match="two different clients"):
        merge_clients(db, keep.id, keep.id)
    assert len(list_entries(db)) == 2
