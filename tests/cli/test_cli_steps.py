"""``next``: the step plan as text and JSON, and accepting, dismissing and snoozing a step, as a
user runs them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import losses as losses_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service

if TYPE_CHECKING:
    from tests.cli.conftest import Cli

D = dt.date
AS_OF = "2025-09-01"


@pytest.fixture
def desk(db_path: Path) -> Path:
    """A client lost two days ago (500 € in the year before) and a sleeping one."""
    with open_database(db_path) as db:
        settings_service.save(db, new_clients_every_weeks=0)
        lost = clients_service.create_client(db, {"name": "Frisch verloren AG"}).id
        revenue_service.create_entry(
            db, {"client_id": lost, "invoice_date": D(2025, 5, 1), "net": "500.00"}
        )
        losses_service.mark_lost(
            db,
            {
                "client_id": lost,
                "lost_on": D(2025, 8, 30),
                "loss_type": "pulled",
                "reason_code": "competitor",
            },
        )
        asleep = clients_service.create_client(db, {"name": "Schläfer GmbH"}).id
        revenue_service.create_entry(
            db, {"client_id": asleep, "invoice_date": D(2025, 1, 10), "net": "80.00"}
        )
    return db_path


def plan(cli: Cli, desk: Path, as_of: str = AS_OF) -> list[dict[str, Any]]:
    result = cli("--lang", "en", "next", "--as-of", as_of, "--json", db=desk)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["as_of"] == as_of
    steps: list[dict[str, Any]] = document["steps"]
    return steps


def test_the_plan_as_json(desk: Path, cli: Cli) -> None:
    winback, reactivate = plan(cli, desk)
    assert winback == {
        "id": winback["id"],
        "client": "Frisch verloren AG",
        "kind": "winback",
        "why": (
            "Lost on 30 Aug 2025 (Went to a competitor), reason: Competitor cheaper / better value."
        ),
        "what": winback["what"],
        "channel": "phone",
        "due": "2025-09-01",
        "value": 500.0,
        "stake": "revenue in the 12 months before the loss: €500.00",
        "about": None,  # what a step without a client concerns
    }
    assert winback["id"].startswith("winback:") and winback["what"].startswith("Call now")
    assert (reactivate["kind"], reactivate["client"], reactivate["channel"]) == (
        "reactivate",
        "Schläfer GmbH",
        "phone",
    )
    assert reactivate["why"] == "No revenue since 10 Jan 2025 (234 days)."


def test_the_plan_as_text_in_german(desk: Path, cli: Cli) -> None:
    result = cli("--lang", "de", "next", "--as-of", AS_OF, db=desk)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Nächste Schritte, Stand 01.09.2025"
    assert (
        lines[1] == "1. Zurückgewinnen · Frisch verloren AG · Telefon · fällig 01.09.2025 · "
        "Umsatz der 12 Monate vor dem Verlust: 500,00\xa0€"
    )
    assert lines[2].startswith("   Warum: Verloren am 30.08.2025 (Abgeworben)")
    assert lines[3].startswith("   Was: Jetzt anrufen: je früher nach dem Verlust, desto besser.")
    assert lines[4].startswith("   Kennung: winback:")


def test_accept_twice_makes_one_reminder(desk: Path, cli: Cli) -> None:
    step = plan(cli, desk)[0]
    first = cli("--lang", "en", "next", "accept", step["id"], "--as-of", AS_OF, db=desk)
    assert (first.returncode, first.stdout) == (0, "Reminder for 1 Sep 2025 created.\n")
    again = cli("--lang", "en", "next", "accept", step["id"], "--as-of", AS_OF, db=desk)
    assert (again.returncode, again.stdout) == (
        0,
        "Already done before: Reminder for 1 Sep 2025 created.\n",
    )
    reminders = cli("--lang", "en", "remind", "list", "--as-of", AS_OF, db=desk)
    assert reminders.stdout.count("Frisch verloren AG") == 1
    assert [s["kind"] for s in plan(cli, desk)] == ["reactivate"]


def test_dismiss_and_snooze(desk: Path, cli: Cli) -> None:
    winback, reactivate = plan(cli, desk)
    result = cli("--lang", "en", "next", "dismiss", reactivate["id"], "--as-of", AS_OF, db=desk)
    assert (result.returncode, result.stdout) == (0, "Dismissed: this step will not come back.\n")
    result = cli(
        "--lang", "en", "next", "snooze", winback["id"], "--until", "2025-09-08",
        "--as-of", AS_OF, db=desk,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (0, "Snoozed until 8 Sep 2025.\n")
    assert plan(cli, desk) == []
    assert [s["id"] for s in plan(cli, desk, "2025-09-08")] == [winback["id"]]


def test_bad_input_gets_one_line_and_changes_nothing(desk: Path, cli: Cli) -> None:
    step = plan(cli, desk)[0]
    unknown = cli("--lang", "en", "next", "accept", "winback:99:1", "--as-of", AS_OF, db=desk)
    assert unknown.returncode == 1
    assert unknown.stderr == "freelancer-desk: This step is no longer open: winback:99:1\n"
    nonsense = cli("--lang", "en", "next", "dismiss", "nonsense:1", "--as-of", AS_OF, db=desk)
    assert (nonsense.returncode, nonsense.stderr) == (
        1,
        "freelancer-desk: There is no such step: nonsense:1\n",
    )
    past = cli(
        "--lang", "en", "next", "snooze", step["id"], "--until", AS_OF, "--as-of", AS_OF, db=desk
    )
    assert past.returncode == 1 and "pick a day after today" in past.stderr
    assert len(past.stderr.splitlines()) == 1
    missing = cli("--lang", "en", "next", "snooze", step["id"], db=desk)
    assert missing.returncode == 2 and "--until" in missing.stderr
    assert len(plan(cli, desk)) == 2


def test_dossier_help_says_what_the_dossier_holds(desk: Path, cli: Cli) -> None:
    result = cli("--lang", "en", "dossier", "--help", db=desk)
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "write a client's dossier as PDF: a call brief and the client's file" in text
    assert "one-page" not in text
