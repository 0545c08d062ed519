"""``client erase``: asks for ``--yes``, erases everywhere the app keeps data, says what is left
out of reach; ``import`` then skips the person; ``export`` lists the do-not-contact clients."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

from freelancer_desk import backups
from freelancer_desk.db import open_database
from freelancer_desk.services import clients, revenue

if TYPE_CHECKING:
    from tests.cli.conftest import Cli


def test_client_erase_asks_first_then_erases_and_reports(
    cli: Cli, db_path: Path, tmp_path: Path
) -> None:
    with open_database(db_path) as db:
        person = clients.create_client(
            db, {"name": "Frau Zwetschgenbaum", "email": "z@example.org", "kind": "private"}
        ).id
        revenue.create_entry(db, {"client_id": person, "invoice_date": "2025-03-01", "net": "99"})
        backups.take_backup(db.path, backups.MANUAL)

    asked = cli("client", "erase", "--client", "frau zwetschgenbaum", db=db_path)
    assert asked.returncode == 1
    assert asked.stdout.startswith("Erase the personal data of Frau Zwetschgenbaum?\n")
    assert "every backup the app keeps is rewritten" in asked.stdout
    assert "Out of the app's reach: files you exported or printed" in asked.stdout
    assert asked.stderr.strip() == "Nothing was erased. Add --yes to erase."
    assert b"Zwetschgenbaum" in db_path.read_bytes()

    done = cli("client", "erase", "--client", "Frau Zwetschgenbaum", "--yes", db=db_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"The personal data were erased; the client is now listed as Erased client #{person}.",
        "2 backups were rewritten without them.",
        "Out of the app's reach: files you exported or printed, calendar files and e-mails you "
        "sent. Delete them yourself where they name this person.",
    ]
    for path in [db_path, *sorted((db_path.parent / "backups").iterdir())]:
        assert b"Zwetschgenbaum" not in path.read_bytes(), path.name

    again = tmp_path / "old-list.csv"
    again.write_text("Kunde;Datum;Netto\nFrau Zwetschgenbaum;2025-04-01;50,00\n", encoding="utf-8")
    imported = cli("import", "revenue", again, db=db_path)
    assert imported.returncode == 0, imported.stderr
    assert "Frau Zwetschgenbaum was erased on request on" in imported.stdout
    assert "skipped as erased on request: 1" in imported.stdout

    gone = cli("client", "erase", "--client", "Frau Zwetschgenbaum", "--yes", db=db_path)
    assert gone.returncode == 1 and "no client named" in gone.stderr


def test_export_lists_whom_not_to_contact(cli: Cli, db_path: Path, tmp_path: Path) -> None:
    with open_database(db_path) as db:
        clients.create_client(db, {"name": "Darf GmbH"})
        clients.create_client(db, {"name": "Nein AG", "objection_on": "2025-02-01"})
    out = tmp_path / "export"
    result = cli("export", "--out", out, db=db_path)
    assert result.returncode == 0, result.stderr
    with (out / "do_not_contact.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows == [
        {"client_id": "2", "client": "Nein AG", "objection_on": "2025-02-01", "erased": "0"}
    ]
