"""``client interaction add`` and the ``at_risk``, ``sleeping`` and ``winback`` keys of
``status``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from freelancer_desk.db import open_database
from freelancer_desk.services import clients, interactions, losses, revenue, winback

if TYPE_CHECKING:
    from tests.cli.conftest import Cli, StatusJson

AS_OF = "2025-06-30"


@pytest.fixture
def books(db_path: Path) -> Path:
    """Stetig orders monthly; Weniger stopped after March; Schläfer last bought on 15 Nov 2024;
    Zurück was lost and won back; Verloren was lost and given up."""
    monthly = [dt.date(2024, m, 10) for m in range(1, 13)] + [
        dt.date(2025, m, 10) for m in range(1, 7)
    ]
    with open_database(db_path) as db:
        ids = {
            name: clients.create_client(db, {"name": name}).id
            for name in ("Stetig", "Weniger", "Schläfer", "Zurück", "Verloren")
        }

        def invoice(name: str, day: dt.date, net: str = "1000.00") -> None:
            revenue.create_entry(db, {"client_id": ids[name], "invoice_date": day, "net": net})

        for day in monthly:
            invoice("Stetig", day)
        for day in [*monthly[:12], dt.date(2025, 3, 10)]:
            invoice("Weniger", day)
        invoice("Schläfer", dt.date(2024, 11, 15))
        invoice("Zurück", dt.date(2024, 6, 1))
        invoice("Verloren", dt.date(2024, 6, 1))
        for name, lost_on in (("Zurück", "2025-01-01"), ("Verloren", "2025-02-01")):
            loss = losses.mark_lost(
                db,
                {
                    "client_id": ids[name],
                    "lost_on": lost_on,
                    "loss_type": "pushed",
                    "reason_code": "quality",
                },
            )
            case = winback.open_case(db, loss.id)
            if name == "Zurück":
                winback.set_outcome(db, case.id, "won_back", dt.date(2025, 2, 1))
                invoice("Zurück", dt.date(2025, 3, 1), "2000.00")
            else:
                winback.set_outcome(db, case.id, "given_up", dt.date(2025, 3, 1))
    return db_path


def test_status_lists_at_risk_sleeping_and_winback(books: Path, status_json: StatusJson) -> None:
    document = status_json(books, "--as-of", AS_OF)
    with open_database(books) as db:
        ids = {name: cid for cid, name in clients.client_names(db)}
    assert document["at_risk"] == [
        {
            "id": ids["Weniger"],
            "name": "Weniger",
            "signals": ["fewer_orders"],
            "explanations": ["Orders fell from 1.0 to 0.2 a month."],  # 12 in 12 months; 1 in 6
        }
    ]
    # 15 Nov 2024 → 30 Jun 2025 = 227 days, more than the default 180.
    assert document["sleeping"] == [
        {"id": ids["Schläfer"], "name": "Schläfer", "last_invoice": "2024-11-15", "days": 227}
    ]
    assert document["winback"] == {"cases": 2, "won_back": 1, "rate": 0.5, "recovered_net": 2000.0}


def test_logged_complaints_put_a_steady_client_at_risk(
    books: Path, cli: Cli, status_json: StatusJson
) -> None:
    for day, note in (("2025-05-02", "Lieferung zu spät, sehr verärgert"), ("2025-06-01", None)):
        args = [
            "client",
            "interaction",
            "add",
            "--client",
            "stetig",
            "--date",
            day,
            "--kind",
            "complaint",
        ]
        result = cli(*args, *(["--note", note] if note else []), db=books)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == f"Logged for Stetig on {day}: Complaint"
    with open_database(books) as db:
        logged = interactions.list_for_client(db, clients.find_client(db, "Stetig").id)
    assert [(i.date.isoformat(), i.kind, i.notes) for i in logged] == [
        ("2025-06-01", "complaint", None),
        ("2025-05-02", "complaint", "Lieferung zu spät, sehr verärgert"),
    ]
    document = status_json(books, "--as-of", AS_OF, lang="de")
    stetig = next(row for row in document["at_risk"] if row["name"] == "Stetig")
    # Usual: none in 12 months; recent: 2 in 6 months = 0.33 a month.
    assert stetig == {
        "id": logged[0].client_id,
        "name": "Stetig",
        "signals": ["more_complaints"],
        "explanations": [
            "Reklamationen stiegen von 0,0 auf 0,3 pro Monat (2 seit dem 01.01.2025)."
        ],
    }


def test_interaction_add_refuses_an_unknown_client_and_kind(books: Path, cli: Cli) -> None:
    add = ("client", "interaction", "add")
    result = cli(*add, "--client", "Niemand", "--date", AS_OF, "--kind", "praise", db=books)
    assert result.returncode == 1
    assert result.stderr.strip() == "freelancer-desk: There is no client named Niemand."
    result = cli(*add, "--client", "Stetig", "--date", AS_OF, "--kind", "gossip", db=books)
    assert result.returncode == 2 and "invalid choice: 'gossip'" in result.stderr
    result = cli(*add, "--client", "Stetig", "--date", "30.06.2025", "--kind", "praise", db=books)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr
