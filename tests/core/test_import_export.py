"""Full export, its round trip through the importers, and one client's data export (GDPR)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from sqlmodel import select

from freelancer_desk.db import Database, open_database
from freelancer_desk.exporting import (
    CLIENT_JSON,
    EXPORT_JSON,
    export_all,
    export_client,
    exported_columns,
    restore_export,
    tables,
)
from freelancer_desk.importers.einvoice import find_files
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.models import Client, Loss, RevenueEntry, WinbackAttempt, WinbackCase
from freelancer_desk.services.bank import apply_paid_dates, read_bank_statement
from freelancer_desk.services.clients import client_names, create_client, update_client
from freelancer_desk.services.einvoices import read_einvoices, run_einvoice_import
from freelancer_desk.services.groups import create_group
from freelancer_desk.services.importing import load_table, run_import
from freelancer_desk.services.interactions import create_interaction
from freelancer_desk.services.revenue import create_entry
from freelancer_desk.services.status import StatusRequest, build_status, to_json

SOURCES = Path(__file__).resolve().parents[1] / "fixtures"
FIXTURES = SOURCES / "import"
AS_OF = dt.date(2025, 12, 31)


def fill(db: Database) -> None:
    """Revenue from three fixture shapes, a group, consents and an interaction."""
    for name in ("revenue_semicolon_bom.csv", "revenue_gross_vat.csv", "revenue_credit_notes.csv"):
        run_import(db, load_table(FIXTURES / name, "revenue"), "revenue", PlanOptions(AS_OF))
    group = create_group(db, {"name": "Huber-Gruppe"})
    huber = next(c for c in client_names(db) if c[1] == "Huber Design")[0]
    update_client(
        db,
        huber,
        {
            "group_id": group.id,
            "email": "h@huber.example",
            "email_consent_on": dt.date(2024, 5, 1),
            "loyalty": "conditional",
        },
    )
    create_interaction(
        db, {"client_id": huber, "date": dt.date(2025, 3, 1), "notes": "Lob für Logo"}
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_table_is_written_as_csv_plus_one_json(db: Database, tmp_path: Path) -> None:
    fill(db)
    files = export_all(db, tmp_path / "out")
    assert {path.name for path in files} == {f"{t.name}.csv" for t in tables()} | {
        EXPORT_JSON,
        "do_not_contact.csv",
    }
    entries = read_csv(tmp_path / "out" / "revenue_entry.csv")
    assert list(entries[0]) == exported_columns(
        next(t for t in tables() if t.name == "revenue_entry")
    )
    assert list(entries[0])[:4] == ["id", "client_id", "client", "invoice_number"]
    g1 = next(row for row in entries if row["invoice_number"] == "G-1")
    assert (g1["client"], g1["net"], g1["gross"], g1["invoice_date"]) == (
        "Huber Design",
        "1000.00",
        "1190.00",
        "2025-07-01",
    )
    clients = read_csv(tmp_path / "out" / "client.csv")
    huber = next(row for row in clients if row["name"] == "Huber Design")
    assert (huber["group"], huber["email_consent_on"], huber["archived"]) == (
        "Huber-Gruppe",
        "2024-05-01",
        "0",
    )
    document = json.loads((tmp_path / "out" / EXPORT_JSON).read_text(encoding="utf-8"))
    assert document["format"] == "freelancer-desk-export"
    assert len(document["tables"]["revenue_entry"]) == len(entries)
    assert {"Huber Design", "Weber IT"} <= {row["name"] for row in document["tables"]["client"]}


def test_export_reimports_into_an_empty_database_with_identical_figures(
    db: Database, tmp_path: Path, fresh_db_path: Callable[[str], Path]
) -> None:
    fill(db)
    export_all(db, tmp_path / "out")
    before = to_json(build_status(db, StatusRequest(as_of=AS_OF)))
    with open_database(fresh_db_path("restored.sqlite3")) as restored:
        for kind, name in (("clients", "client.csv"), ("revenue", "revenue_entry.csv")):
            table = load_table(tmp_path / "out" / name, kind)
            result = run_import(restored, table, kind, PlanOptions(AS_OF))
            assert not result.plan.errors
        assert to_json(build_status(restored, StatusRequest(as_of=AS_OF))) == before
        assert before["total_net"] == float(
            Decimal("2000.00")
            + Decimal("14500.10")
            + Decimal("99.90")
            + Decimal("1184.03")
            + Decimal("250.00")
            + Decimal("1500.00")
        )


def test_one_clients_export_holds_all_of_its_records_and_nothing_else(
    db: Database, tmp_path: Path
) -> None:
    fill(db)
    huber = next(c for c in client_names(db) if c[1] == "Huber Design")[0]
    create_client(db, {"name": "Unbeteiligt"})
    with db.session() as session:
        loss = Loss(client_id=huber, lost_on=dt.date(2025, 10, 1), loss_type="pulled")
        session.add(loss)
        session.flush()
        case = WinbackCase(loss_id=loss.id)
        session.add(case)
        session.flush()
        session.add(WinbackAttempt(case_id=case.id, date=dt.date(2025, 10, 5), notes="freundlich"))
    files = export_client(db, huber, tmp_path / "huber")
    names = {path.name for path in files}
    assert CLIENT_JSON in names and "client_group.csv" not in names and "setting.csv" not in names
    document = json.loads((tmp_path / "huber" / CLIENT_JSON).read_text(encoding="utf-8"))
    assert document["client"] == "Huber Design"
    data = document["tables"]
    assert [row["name"] for row in data["client"]] == ["Huber Design"]
    assert data["client"][0]["group"] == "Huber-Gruppe"
    assert sorted(row["invoice_number"] for row in data["revenue_entry"]) == ["G-1", "G-2", "G-4"]
    assert [row["notes"] for row in data["interaction"]] == ["Lob für Logo"]
    assert [row["notes"] for row in data["winback_attempt"]] == ["freundlich"]
    assert len(read_csv(tmp_path / "huber" / "revenue_entry.csv")) == 3


def test_every_exported_column_is_documented() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "EXPORT.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line.split("|")[2]
        for line in text.splitlines()
        if line.startswith("| `") and ".csv`" in line
    }
    for table in tables():
        documented = rows[f"{table.name}.csv"]
        assert all(column in documented for column in exported_columns(table)), table.name


def test_payments_go_out_and_come_back_with_the_export(
    db: Database, tmp_path: Path, fresh_db_path: Callable[[str], Path]
) -> None:
    files = read_einvoices(find_files([SOURCES / "einvoice" / "2025"]))
    run_einvoice_import(db, files, as_of=AS_OF)
    apply_paid_dates(db, read_bank_statement(SOURCES / "bank" / "dkb.csv"))
    export_all(db, tmp_path / "out")
    payments = read_csv(tmp_path / "out" / "payment.csv")
    assert list(payments[0]) == [
        "id",
        "entry_id",
        "day",
        "amount",
        "booking",
        "source",
        "reference",
    ]
    assert [(p["day"], p["amount"], p["booking"], p["source"]) for p in payments][2:4] == [
        ("2025-04-22", "536.10", "893.10", "bank"),  # one booking for two invoices
        ("2025-04-22", "357.00", "893.10", "bank"),
    ]
    with open_database(fresh_db_path("restored.sqlite3")) as restored:
        counts = restore_export(restored, tmp_path / "out")
        assert counts["payment"] == 5
        assert _payments(restored) == _payments(db)
    lange = next(c for c in client_names(db) if c[1] == "Lange Consulting")[0]
    export_client(db, lange, tmp_path / "lange")
    document = json.loads((tmp_path / "lange" / CLIENT_JSON).read_text(encoding="utf-8"))
    assert [(p["day"], p["amount"]) for p in document["tables"]["payment"]] == [
        ("2025-04-10", 1000.0),
        ("2025-04-25", 1675.0),
    ]


def _payments(db: Database) -> list[tuple[object, ...]]:
    with db.engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql("SELECT * FROM payment")]


def _exported_file(path: Path, table_name: str, rows: list[dict[str, str]]) -> Path:
    """A CSV file in the shape our export writes, formula-like text neutralised with ``'``."""
    columns = exported_columns(next(t for t in tables() if t.name == table_name))
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return path


def _clients(db: Database) -> dict[str, tuple[str | None, ...]]:
    with db.session() as session:
        return {
            c.name: (c.contact_person, c.phone, c.notes) for c in session.exec(select(Client)).all()
        }


def _entries(db: Database) -> list[tuple[str, str | None, int, str | None]]:
    with db.session() as session:
        return [
            (client.name, entry.invoice_number, entry.net_cents, entry.note)
            for entry, client in session.exec(
                select(RevenueEntry, Client).where(RevenueEntry.client_id == Client.id)
            ).all()
        ]


def test_our_own_export_comes_back_without_the_quotes_before_formula_like_text(
    db: Database, tmp_path: Path
) -> None:
    clients = _exported_file(
        tmp_path / "client.csv",
        "client",
        [
            {
                "id": "4",
                "name": "'+Plus Agentur",
                "kind": "business",
                "group_id": "2",
                "contact_person": "'@anna",
                "phone": "'+49 30 1234567",
                "notes": "''-2 Termine",  # a text that itself began with a quote
                "archived": "0",
                "created_on": "2025-01-02",
            }
        ],
    )
    table = load_table(clients, "clients")
    assert table.mapping.shape == "Freelancer Desk export (client.csv)"
    run_import(db, table, "clients", PlanOptions(AS_OF))
    assert _clients(db) == {"+Plus Agentur": ("@anna", "+49 30 1234567", "'-2 Termine")}
    entries = _exported_file(
        tmp_path / "revenue_entry.csv",
        "revenue_entry",
        [
            {
                "id": "9",
                "client_id": "4",
                "client": "'+Plus Agentur",
                "invoice_number": "'-17",
                "invoice_date": "2025-03-01",
                "net": "-500.00",  # numbers are never quoted: a credit note stays negative
                "note": "'=Summe prüfen",
            }
        ],
    )
    result = run_import(db, load_table(entries, "revenue"), "revenue", PlanOptions(AS_OF))
    assert (result.added, result.clients_added) == (1, 0)
    with db.session() as session:
        (entry,) = session.exec(select(RevenueEntry)).all()
    assert (entry.invoice_number, entry.net_cents, entry.note) == ("-17", -50000, "=Summe prüfen")


def test_a_users_own_csv_keeps_a_leading_quote(db: Database) -> None:
    data = b"Name;Telefon;Notizen\nWeber IT;'+49 30 1234567;'=wichtig\n"
    table = load_table(data, "clients")
    assert table.mapping.shape is None
    run_import(db, table, "clients", PlanOptions(AS_OF))
    assert _clients(db) == {"Weber IT": (None, "'+49 30 1234567", "'=wichtig")}


def test_formula_like_text_survives_the_export_and_both_ways_back(
    db: Database, tmp_path: Path, fresh_db_path: Callable[[str], Path]
) -> None:
    client = create_client(
        db,
        {
            "name": "=Kaffee & Co",
            "contact_person": "@anna",
            "phone": "+49 30 1234567",
            "notes": "-2",
        },
    )
    create_entry(
        db,
        {
            "client_id": client.id,
            "invoice_number": "-17",
            "invoice_date": dt.date(2025, 3, 1),
            "net": Decimal("-500.00"),
            "note": "=Summe prüfen",
        },
    )
    export_all(db, tmp_path / "out")
    # As a spreadsheet must see them: text quoted, the credit note's amount a number.
    [exported] = read_csv(tmp_path / "out" / "client.csv")
    assert [exported[key] for key in ("name", "contact_person", "phone", "notes")] == [
        "'=Kaffee & Co",
        "'@anna",
        "'+49 30 1234567",
        "'-2",
    ]
    [entry] = read_csv(tmp_path / "out" / "revenue_entry.csv")
    assert [entry[key] for key in ("client", "invoice_number", "net", "note")] == [
        "'=Kaffee & Co",
        "'-17",
        "-500.00",
        "'=Summe prüfen",
    ]
    with open_database(fresh_db_path("via-csv.sqlite3")) as via_csv:
        for kind, name in (("clients", "client.csv"), ("revenue", "revenue_entry.csv")):
            table = load_table(tmp_path / "out" / name, kind)
            assert not run_import(via_csv, table, kind, PlanOptions(AS_OF)).plan.errors
        assert _clients(via_csv) == {"=Kaffee & Co": ("@anna", "+49 30 1234567", "-2")}
        assert _entries(via_csv) == [("=Kaffee & Co", "-17", -50000, "=Summe prüfen")]
    with open_database(fresh_db_path("restored.sqlite3")) as restored:
        restore_export(restored, tmp_path / "out")  # `import export`: the JSON file, exact
        assert _clients(restored) == {"=Kaffee & Co": ("@anna", "+49 30 1234567", "-2")}
        assert _entries(restored) == [("=Kaffee & Co", "-17", -50000, "=Summe prüfen")]
