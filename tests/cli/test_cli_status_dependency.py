"""``status`` with periods and basis, ``groups`` and ``self-check`` as a user runs them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from freelancer_desk import clock
from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import revenue as revenue_service

if TYPE_CHECKING:
    from tests.cli.conftest import Cli, StatusJson

D = dt.date


@pytest.fixture
def books(db_path: Path) -> Path:
    """Alpha invoices 10,000 in Dec 2025 (paid Jan 2026) and 5,000 in Feb 2026 (unpaid);
    Beta 2,000 in Jan 2026 (paid in Jan); Gamma 1,000 in Oct 2025."""
    with open_database(db_path) as db:
        ids = {
            name: clients_service.create_client(db, {"name": name}).id
            for name in ("Alpha", "Beta", "Gamma")
        }
        for name, day, net, paid in [
            ("Alpha", D(2025, 12, 20), "10000.00", D(2026, 1, 10)),
            ("Beta", D(2026, 1, 5), "2000.00", D(2026, 1, 20)),
            ("Alpha", D(2026, 2, 1), "5000.00", None),
            ("Gamma", D(2025, 10, 1), "1000.00", None),
        ]:
            revenue_service.create_entry(
                db,
                {
                    "client_id": ids[name],
                    "invoice_date": day,
                    "net": Decimal(net),
                    "paid_date": paid,
                },
            )
    return db_path


def test_default_period_is_the_12_months_to_the_day(books: Path, status_json: StatusJson) -> None:
    doc = status_json(books, "--as-of", "2026-03-31")
    # 1 Apr 2025 … 31 Mar 2026: Alpha 15,000, Beta 2,000, Gamma 1,000 = 18,000.
    assert (doc["period_start"], doc["period_end"], doc["basis"]) == (
        "2025-04-01",
        "2026-03-31",
        "invoice",
    )
    assert [(p["name"], p["net"], p["clients"]) for p in doc["payers"]] == [
        ("Alpha", 15000.0, ["Alpha"]),
        ("Beta", 2000.0, ["Beta"]),
        ("Gamma", 1000.0, ["Gamma"]),
    ]
    # 15,000 / 18,000 = 5/6 exactly → critical; T/5 − O = 3,000 − 3,000 = 0 → 0.01;
    # T − O = 12,000 → 12,000.01.
    assert doc["top_payer"] == {"name": "Alpha", "share": 15000 / 18000}
    assert doc["level"] == "critical"
    assert doc["extra_revenue_needed"] == {"below_half": 12000.01, "below_five_sixths": 0.01}
    # HHI = (250/3)² + (100/9)² + (50/9)² = (562,500 + 10,000 + 2,500) / 81 = 7,098.77
    assert doc["hhi"] == 7098.77
    # Month ends from 31 Mar 2026 back: Mar 15,000/18,000 = 5/6, Feb the same, Jan
    # 10,000/13,000 < 5/6 → 2.
    assert doc["months_at_or_above_five_sixths"] == 2


def test_year_quarter_and_custom_periods(books: Path, status_json: StatusJson) -> None:
    year = status_json(books, "--year", "2025", "--as-of", "2026-03-31")
    assert (year["period_start"], year["period_end"]) == ("2025-01-01", "2025-12-31")
    # Alpha 10,000, Gamma 1,000 → 10/11.
    assert year["top_payer"] == {"name": "Alpha", "share": 10 / 11}

    q1 = status_json(books, "--quarter", "2026-Q1", "--as-of", "2026-03-31")
    assert (q1["period_start"], q1["period_end"]) == ("2026-01-01", "2026-03-31")
    # Alpha 5,000, Beta 2,000 → 5/7 → warning.
    assert (q1["top_payer"]["share"], q1["level"]) == (5 / 7, "warning")

    custom = status_json(
        books, "--from", "2025-10-01", "--to", "2025-12-31", "--as-of", "2026-03-31"
    )
    assert (custom["period_start"], custom["period_end"]) == ("2025-10-01", "2025-12-31")
    assert custom["total_net"] == 11000.0

    open_end = status_json(books, "--from", "2026-01-01", "--as-of", "2026-01-31")
    # --to defaults to the day looked from: January 2026 has only Beta's 2,000.
    assert (open_end["period_end"], open_end["top_payer"]) == (
        "2026-01-31",
        {"name": "Beta", "share": 1.0},
    )


def test_a_closed_year_is_seen_from_its_last_day(books: Path, status_json: StatusJson) -> None:
    doc = status_json(books, "--year", "2025")
    # Whenever it is asked, 2025 is seen from 31 December 2025: Alpha 10,000, Gamma 1,000.
    assert (doc["as_of"], doc["provisional"], doc["total_net"]) == ("2025-12-31", False, 11000.0)
    # Alpha's December invoice was paid on 10 January 2026, after the day looked from.
    paid = status_json(books, "--year", "2025", "--basis", "paid")
    assert (paid["as_of"], paid["total_net"], paid["payers"]) == ("2025-12-31", 0.0, [])


def test_year_as_of_a_day_counts_nothing_later(books: Path, status_json: StatusJson) -> None:
    doc = status_json(books, "--year", "2026", "--as-of", "2026-01-31")
    # January 2026 holds only Beta's 2,000; Alpha's February invoice is after the day.
    assert (doc["as_of"], doc["period_start"], doc["period_end"]) == (
        "2026-01-31",
        "2026-01-01",
        "2026-12-31",
    )
    assert doc["provisional"] is True
    assert [(c["name"], c["net"], c["previous_net"]) for c in doc["clients"]] == [
        ("Beta", 2000.0, 0.0)
    ]
    # Beside it the same time of 2025, 1–31 January: nothing yet (not the whole of 2025).
    assert doc["previous_period"] == {
        "period_start": "2025-01-01",
        "period_end": "2025-01-31",
        "total_net": 0.0,
        "top_payer": None,
        "level": "none",
        "hhi": None,
        "effective_clients": None,
    }
    # By payment date on 15 January: Alpha's 10,000 came on the 10th, Beta's 2,000 on the 20th.
    paid = status_json(books, "--year", "2026", "--as-of", "2026-01-15", "--basis", "paid")
    assert [(p["name"], p["net"]) for p in paid["payers"]] == [("Alpha", 10000.0)]


def test_a_running_quarter_stands_beside_the_same_span_before(
    books: Path, status_json: StatusJson
) -> None:
    doc = status_json(books, "--quarter", "2026-Q1", "--as-of", "2026-02-15")
    # To 15 Feb 2026: Beta 2,000 and Alpha 5,000 = 7,000; beside it 1 Oct – 15 Nov 2025:
    # Gamma's 1,000 alone (Alpha's 10,000 of 20 December lies after that span).
    assert (doc["total_net"], doc["provisional"]) == (7000.0, True)
    assert doc["previous_period"] == {
        "period_start": "2025-10-01",
        "period_end": "2025-11-15",
        "total_net": 1000.0,
        "top_payer": {"name": "Gamma", "share": 1.0},
        "level": "critical",
        "hhi": 10000.0,
        "effective_clients": 1.0,
    }
    assert [(c["name"], c["previous_net"]) for c in doc["clients"]] == [
        ("Alpha", 0.0),
        ("Beta", 0.0),
    ]
    # Seen from its last day the quarter stands beside the whole quarter before: 11,000.
    whole = status_json(books, "--quarter", "2026-Q1", "--as-of", "2026-03-31")
    assert whole["previous_period"]["period_end"] == "2025-12-31"
    assert whole["previous_period"]["total_net"] == 11000.0


def test_payment_basis(books: Path, status_json: StatusJson) -> None:
    doc = status_json(books, "--quarter", "2026-Q1", "--basis", "paid", "--as-of", "2026-03-31")
    # Paid in Q1: Alpha 10,000 (December's invoice), Beta 2,000 → 5/6 → critical.
    assert doc["basis"] == "paid"
    assert [(p["name"], p["net"]) for p in doc["payers"]] == [("Alpha", 10000.0), ("Beta", 2000.0)]
    assert doc["level"] == "critical"


def test_no_revenue_in_the_period(books: Path, status_json: StatusJson) -> None:
    doc = status_json(books, "--year", "2020")
    assert (doc["no_revenue"], doc["level"], doc["top_payer"], doc["hhi"]) == (
        True,
        "none",
        None,
        None,
    )


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--year", "2025", "--quarter", "2025-Q1"], 2, "not allowed with"),
        (["--quarter", "2025-Q1", "--from", "2025-01-01"], 2, "not allowed with"),
        (["--quarter", "2025-Q5"], 2, "is not a quarter of the form YYYY-Qn"),
        (["--year", "25"], 2, "is not a year of the form YYYY"),
        (["--year", "9999"], 2, "is not a year of the form YYYY"),
        (["--from", "2025-13-01"], 2, "is not a date of the form YYYY-MM-DD"),
        (["--basis", "cash"], 2, "invalid choice"),
        (["--to", "2025-06-30"], 1, "--to: give --from as well"),
        (
            ["--year", "2025", "--as-of", "2024-12-31"],
            1,
            "--as-of: the day to look from lies before the period starts",
        ),
        (["--year", "2025", "--to", "2025-06-30"], 1, "--to: give --from as well"),
        (
            ["--from", "2025-06-30", "--to", "2025-06-01"],
            1,
            "--to: the period ends before it starts",
        ),
    ],
)
def test_wrong_period_options_are_refused_clearly(
    books: Path, args: list[str], code: int, message: str, cli: Cli
) -> None:
    result = cli("status", *args, db=books)
    assert result.returncode == code
    assert message in result.stderr
    assert result.stdout == ""
    if code == 1:
        assert result.stderr.count("\n") == 1  # one line, no traceback


def test_groups_make_one_payer(books: Path, cli: Cli, status_json: StatusJson) -> None:
    assert cli("groups", "add", "Alpha Gruppe", db=books).returncode == 0
    assigned = cli("groups", "assign", "gamma", "alpha gruppe", db=books)
    assert assigned.returncode == 0
    assert "Gamma now belongs to Alpha Gruppe." in assigned.stdout
    cli("groups", "assign", "Alpha", "Alpha Gruppe", db=books)

    doc = status_json(books, "--year", "2025", "--as-of", "2026-03-31")
    assert doc["payers"] == [
        {
            "name": "Alpha Gruppe",
            "net": 11000.0,
            "share": 1.0,
            "clients": ["Alpha", "Gamma"],
            "group": True,
            "previous_net": 0.0,
            "note": None,
        }
    ]

    assert cli("groups", "rename", "Alpha Gruppe", "Alpha Konzern", db=books).returncode == 0
    assert cli("groups", "release", "Gamma", db=books).returncode == 0
    listing = cli("groups", "list", db=books)
    assert listing.stdout.splitlines()[0].startswith("Alpha Konzern\t")
    assert listing.stdout.splitlines()[0].endswith("\tAlpha")

    assert cli("groups", "delete", "Alpha Konzern", db=books).returncode == 0
    doc = status_json(books, "--year", "2025", "--as-of", "2026-03-31")
    assert [p["name"] for p in doc["payers"]] == ["Alpha", "Gamma"]


def test_group_errors_are_one_line(books: Path, cli: Cli) -> None:
    cli("groups", "add", "Nord", db=books)
    for args, message in [
        (["groups", "add", "nord"], "a group with this name exists already"),
        (["groups", "delete", "Süd"], "There is no group named Süd."),
        (["groups", "assign", "Niemand", "Nord"], "There is no client named Niemand."),
        (["groups", "add", "  "], "must not be empty"),
    ]:
        result = cli(*args, db=books)
        assert result.returncode == 1, args
        assert message in result.stderr
        assert result.stderr.count("\n") == 1


def test_self_check_ticks_and_says_it_is_not_legal_advice(
    db_path: Path, cli: Cli, status_json: StatusJson
) -> None:
    result = cli("self-check", "--tick", "instructions", "--tick", "fixed_hours", db=db_path)
    assert result.returncode == 0, result.stderr
    result = cli("self-check", "--untick", "fixed_hours", db=db_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("[x] instructions")
    assert lines[1].startswith("[ ] fixed_hours")
    assert "1 of 6 indicators ticked." in result.stdout
    assert "This is not legal advice." in result.stdout
    assert status_json(db_path)["self_check"]["ticked"] == ["instructions"]

    refused = cli("self-check", "--tick", "no_other_clients", "--tick", "bogus", db=db_path)
    assert refused.returncode == 1
    assert "'bogus' is not one of" in refused.stderr
    assert status_json(db_path)["self_check"]["ticked"] == ["instructions"]


def test_self_check_speaks_german(db_path: Path, cli: Cli) -> None:
    result = cli("--lang", "de", "self-check", "--tick", "client_premises", db=db_path)
    assert "Ich arbeite in den Räumen des Auftraggebers" in result.stdout
    assert "keine Rechtsberatung" in result.stdout


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        (
            "en",
            "Day looked from: 11 Jan 2026 lies after today (10 Jan 2026); figures can only be "
            "seen from today or an earlier day.",
        ),
        (
            "de",
            "Stichtag: Der 11.01.2026 liegt nach dem heutigen Tag (10.01.2026); Zahlen gibt es "
            "nur mit Stand heute oder einem früheren Tag.",
        ),
    ],
)
def test_a_day_after_today_is_refused(books: Path, cli: Cli, lang: str, message: str) -> None:
    """Seen from tomorrow every client would look asleep: refused, in one line, nothing out."""
    with clock.pinned(D(2026, 1, 10)):
        for args in (["--as-of", "2026-01-11"], ["--year", "2026", "--as-of", "2026-01-11"]):
            result = cli("--lang", lang, "status", *args, db=books)
            assert (result.returncode, result.stdout) == (1, "")
            assert result.stderr.strip().endswith(message), result.stderr
            assert result.stderr.count("\n") == 1
        assert cli("status", "--as-of", "2026-01-10", db=books).returncode == 0
