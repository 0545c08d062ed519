"""Erased means erased: no readable trace in the file, its log or the app's backups; totals
unchanged; an old client list, an import or an older backup does not bring the person back."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import String

from freelancer_desk import backups, erasure
from freelancer_desk.analytics.periods import custom
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import SCHEMA_HEAD, Database, backup_database, open_database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import set_language
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.models import SQLModel, StepDecision, WinbackOutcome
from freelancer_desk.services import (
    clients,
    feedback,
    interactions,
    losses,
    reminders,
    revenue,
    winback,
)
from freelancer_desk.services.contact import permissions_for
from freelancer_desk.services.importing import load_table, plan_import, run_import
from freelancer_desk.services.privacy import do_not_contact, erase_client
from freelancer_desk.services.status import StatusRequest, build_status

YEAR = custom(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
ERASED_ON = dt.date(2025, 6, 10)
#: Strings that only the erased person's records hold; none may be left anywhere afterwards.
DISTINCTIVE = (
    "Zwetschgenbaum",  # name
    "zwetschge@example.org",  # e-mail
    "98765432",  # phone digits
    "Quittenkuchen",  # a word of the client's notes
    "Rhabarberweg",  # address
    "Frau Zwetschgenbaum anrufen",  # the win-back measures (free text)
    "Holunderkorb",  # the incentive
    "aufgelegt",  # an attempt's notes
    "Pflaumenmus",  # a complaint's notes
    "Mirabellen",  # an answer to a feedback request
    "Schlehenlikör",  # a reminder's note
    "Kirschkern",  # the loss's reason text
)


def _person(db: Database) -> int:
    """A private client with every kind of record and a distinctive word in each free text."""
    cid = clients.create_client(
        db,
        {
            "name": "Jörg Zwetschgenbaum",
            "kind": "private",
            "contact_person": "Jörg Zwetschgenbaum",
            "salutation": "mr",
            "email": "zwetschge@example.org",
            "phone": "+49 30 98765432",
            "address": "Rhabarberweg 7, Berlin",
            "notes": "backt Quittenkuchen",
            "tags": "Zwetschgenbaum-Fan",
            "email_consent_on": "2024-01-01",
            "phone_consent_on": "2024-02-01",
            "loyalty": "loyal",
        },
    ).id
    for day, net in (("2025-01-15", "1200.00"), ("2025-02-15", "800.50"), ("2025-03-15", "-100")):
        revenue.create_entry(
            db, {"client_id": cid, "invoice_date": day, "net": net, "note": "Zwetschgenbaum"}
        )
    interactions.create_interaction(
        db, {"client_id": cid, "date": "2025-03-01", "kind": "complaint", "notes": "Pflaumenmus"}
    )
    request = feedback.create_request(db, {"client_id": cid, "channel": "letter"}, ERASED_ON)
    feedback.update_request(
        db,
        request.id,
        {"status": "received", "answered_on": ERASED_ON, "response": "Mirabellen, gern wieder"},
    )
    reminders.create_reminder(
        db,
        {"client_id": cid, "due_on": "2025-07-01", "note": "Schlehenlikör mitbringen"},
        ERASED_ON,
    )
    loss = losses.mark_lost(
        db,
        {
            "client_id": cid,
            "lost_on": "2025-04-01",
            "loss_type": "pushed",
            "reason_code": "quality",
            "reason_text": "Kirschkern im Text",
            "notes": "Zwetschgenbaum war enttäuscht",
        },
    )
    case = winback.open_case(
        db, loss.id, {"measures": "Frau Zwetschgenbaum anrufen", "incentive": "Holunderkorb"}
    )
    winback.add_attempt(
        db,
        case.id,
        {"date": "2025-04-05", "channel": "phone", "reaction": "rude", "notes": "hat aufgelegt"},
    )
    with db.session() as session:
        session.add(
            StepDecision(
                step_id=f"reactivate:{cid}:2025-03-15",
                kind="reactivate",
                client_id=cid,
                decision="dismissed",
                decided_on=ERASED_ON,
            )
        )
    return cid  # type: ignore[return-value]


def _files(db_path: Path) -> list[Path]:
    """The database, its -wal and -shm, and every file in the backup folder."""
    folder = db_path.parent / "backups"
    found = [db_path.with_name(db_path.name + suffix) for suffix in ("", "-wal", "-shm")]
    found += sorted(folder.iterdir()) if folder.is_dir() else []
    return [path for path in found if path.exists()]


def _traces(paths: list[Path]) -> dict[str, list[str]]:
    """Which distinctive strings each file's raw bytes hold (also as UTF-16, SQLite's other
    text encoding)."""
    found: dict[str, list[str]] = {}
    for path in paths:
        data = path.read_bytes()
        hits = [
            word
            for word in DISTINCTIVE
            if word.encode() in data or word.encode("utf-16-le") in data
        ]
        if hits:
            found[path.name] = hits
    return found


def test_after_erasure_no_file_of_the_app_holds_a_trace_and_the_totals_stay(
    db: Database,
) -> None:
    other = clients.create_client(db, {"name": "Andere GmbH"}).id
    revenue.create_entry(db, {"client_id": other, "invoice_date": "2025-05-01", "net": "3000.00"})
    person = _person(db)
    backups.take_backup(db.path, backups.MANUAL)
    status = StatusRequest(as_of=dt.date(2025, 12, 31), period=YEAR)
    before_total = build_status(db, status).total_net_cents
    before_by_client = revenue.net_by_client(db, YEAR)
    before = _traces(_files(db.path))
    assert set(DISTINCTIVE) <= {word for words in before.values() for word in words}

    result = erase_client(db, person, ERASED_ON)

    assert _traces(_files(db.path)) == {}
    assert {path.name for path in result.rewritten} == {
        path.name for path in _files(db.path) if path.parent.name == "backups"
    }
    assert len(result.rewritten) == 2 and result.problems == ()  # manual + before-erase
    assert db.path.with_name(db.path.name + "-wal").stat().st_size == 0  # log truncated
    # Revenue stays as anonymous figures: every total is unchanged.
    assert build_status(db, status).total_net_cents == before_total == 490_050
    assert revenue.net_by_client(db, YEAR) == before_by_client
    client = clients.get_client(db, person)
    assert (client.name, client.erased, client.loyalty) == (
        f"Erased client #{person}",
        True,
        "loyal",
    )
    assert client.salutation is None  # "Herr" says who it was
    # Every backup is still a sound database the app can restore.
    for path in result.rewritten:
        assert backups.verify_backup(path) == SCHEMA_HEAD
    # Nobody contacts an erased client.
    verdicts = permissions_for(db, person, dt.date(2025, 7, 1)).values()
    assert {p.verdict for p in verdicts} == {Verdict.BLOCKED}
    # Nothing waits on them any more: open reminders are done on the day of the erasure.
    assert reminders.list_reminders(db, today=dt.date(2025, 7, 1)) == []


def test_erasing_twice_is_refused(db: Database) -> None:
    person = clients.create_client(db, {"name": "Einmal Weg"}).id
    erase_client(db, person, ERASED_ON)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="erased already"):
        erase_client(db, person, ERASED_ON)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="erased already"):
        clients.update_client(db, person, {"notes": "neu"})  # type: ignore[arg-type]
    with pytest.raises(InputError, match="erased already"):
        interactions.create_interaction(
            db, {"client_id": person, "date": "2025-07-01", "channel": "phone", "notes": "neu"}
        )
    assert interactions.list_for_client(db, person) == []  # type: ignore[arg-type]
    with pytest.raises(InputError, match="erased already"):
        losses.mark_lost(
            db,
            {
                "client_id": person,
                "lost_on": "2025-07-01",
                "loss_type": "pulled",
                "reason_code": "competitor",
            },
        )


def test_erasure_closes_the_open_case_and_reminders_of_the_client(db: Database) -> None:
    person = clients.create_client(db, {"name": "Offene Sache"}).id
    assert person is not None
    revenue.create_entry(db, {"client_id": person, "invoice_date": "2025-01-10", "net": "500"})
    loss = losses.mark_lost(
        db,
        {
            "client_id": person,
            "lost_on": "2025-03-01",
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    case = winback.open_case(db, loss.id)
    reminders.create_reminder(
        db,
        {"client_id": person, "due_on": "2025-06-20", "purpose": "winback_followup"},
        ERASED_ON,
    )
    erase_client(db, person, ERASED_ON)
    closed = winback.get_case(db, case.id)
    assert (closed.outcome, closed.outcome_on) == (WinbackOutcome.GIVEN_UP, ERASED_ON)
    assert reminders.list_reminders(db, today=ERASED_ON) == []
    [done] = reminders.list_reminders(db, include_done=True, today=ERASED_ON)
    assert done.done_on == ERASED_ON


def test_an_erased_client_is_named_in_the_language_it_is_read_in(db: Database) -> None:
    person = clients.create_client(db, {"name": "Einmal Weg"}).id
    assert person is not None
    set_language("en")
    erase_client(db, person, ERASED_ON)
    try:
        # The file keeps a marker in no language; every read shows the label of the moment.
        with sqlite3.connect(db.path) as raw:
            [(stored,)] = raw.execute("SELECT name FROM client WHERE id = ?", (person,))
        assert stored == f"\u2205 #{person}"
        assert clients.get_client(db, person).name == f"Erased client #{person}"
        set_language("de")
        assert clients.get_client(db, person).name == f"Gelöschter Kunde #{person}"
        assert [name for _id, name in clients.client_names(db)] == [f"Gelöschter Kunde #{person}"]
        # The label of an older version, stored in German, becomes the marker when a writer
        # opens the file (the register beside it says someone was erased).
        with sqlite3.connect(db.path) as raw:
            raw.execute(
                "UPDATE client SET name = ? WHERE id = ?", (f"Gelöschter Kunde #{person}", person)
            )
        db.close()
        with open_database(db.path) as reopened:
            set_language("en")
            assert clients.get_client(reopened, person).name == f"Erased client #{person}"
        with sqlite3.connect(db.path) as raw:
            [(stored,)] = raw.execute("SELECT name FROM client WHERE id = ?", (person,))
        assert stored == f"\u2205 #{person}"
    finally:
        set_language("en")


def test_no_client_may_be_named_like_the_marker_of_an_erased_one(db: Database) -> None:
    with pytest.raises(InputError, match="kept for erased clients"):
        clients.create_client(db, {"name": " \u2205 #12 "})
    assert clients.create_client(db, {"name": "\u2205 #12 GmbH"}).name == "\u2205 #12 GmbH"


def test_every_text_column_is_erased_or_kept_for_a_reason() -> None:
    erased = {
        f"{table}.{column}"
        for table, (columns, _rows) in erasure.ERASED_TEXT.items()
        for column in columns
    }
    text_columns = {
        f"{table.name}.{column.name}"
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String)
    }
    assert text_columns - erased - set(erasure.KEPT_TEXT) == set()
    assert erased & set(erasure.KEPT_TEXT) == set()


def test_the_register_keeps_hashes_and_proof_of_consent_but_no_name(db: Database) -> None:
    person = _person(db)
    erase_client(db, person, ERASED_ON)
    with sqlite3.connect(db.path) as conn:
        rows = conn.execute(
            "SELECT erased_on, client_id, email_consent_on, phone_consent_on, proof_until, "
            "name_hash, email_hash, phone_hash FROM erasure"
        ).fetchall()
    [(erased_on, client_id, email_on, phone_on, until, *hashes)] = rows
    assert (erased_on, client_id, email_on, phone_on, until) == (
        "2025-06-10",
        person,
        "2024-01-01",
        "2024-02-01",
        "2030-06-10",  # five years (§7a UWG)
    )
    assert all(len(value) == 64 for value in hashes)
    sidecar = erasure.sidecar_path(db.path).read_text(encoding="utf-8")
    assert not any(word in sidecar for word in DISTINCTIVE)
    assert hashes[0] in sidecar
    # Five years on, the proof goes too, in the file and beside it; the hashes stay.
    erasure.reapply(db, today=dt.date(2030, 6, 11))
    register = erasure.read_register(sqlite3.connect(db.path))
    assert register is not None and register == erasure.load_sidecar(db.path)
    assert (register.entries[0].email_consent_on, register.entries[0].proof_until) == (None, None)
    assert register.entries[0].name_hash == hashes[0]


def test_the_salt_differs_per_database(tmp_path: Path, db: Database) -> None:
    first = clients.create_client(db, {"name": "Gleicher Name"}).id
    erase_client(db, first, ERASED_ON)  # type: ignore[arg-type]
    with open_database(tmp_path / "other.sqlite3") as other:
        second = clients.create_client(other, {"name": "Gleicher Name"}).id
        erase_client(other, second, ERASED_ON)  # type: ignore[arg-type]
        registers = [erasure.read_register(sqlite3.connect(d.path)) for d in (db, other)]
    assert registers[0].salt != registers[1].salt  # type: ignore[union-attr]
    assert registers[0].entries[0].name_hash != registers[1].entries[0].name_hash  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        (("Jörg Müller", None, None), ("JOERG  MUELLER", None, None)),
        (("Jörg Müller", None, None), ("jörg müller.", None, None)),
        (("X", "Joerg@Example.ORG", None), ("Someone else", " joerg@example.org ", None)),
        (("X", None, "+49 30 1234567"), ("Y", None, "030 / 123 45 67")),
        (("X", None, "0049301234567"), ("Y", None, "(030) 1234567")),
    ],
)
def test_the_register_recognises_a_person_written_another_way(
    stored: tuple[str, str | None, str | None], written: tuple[str, str | None, str | None]
) -> None:
    register = erasure.Register("salt")
    name_hash, email_hash, phone_hash = register.hashes(*stored)
    entry = erasure.ErasureEntry(ERASED_ON, 1, name_hash, email_hash, phone_hash)  # type: ignore[arg-type]
    register = erasure.Register("salt", (entry,))
    assert register.match(*written) == entry
    assert register.match("Jürgen Müller", "other@example.org", "030 7654321") is None


# --------------------------------------------------------------------------------------------
# Imports and restores do not bring the person back
# --------------------------------------------------------------------------------------------

CLIENT_LIST = (
    "Name;Art;E-Mail;Telefon;Einwilligung E-Mail;Notizen\n"
    "Jörg Zwetschgenbaum;Privat;zwetschge@example.org;+49 30 98765432;2024-01-01;Quittenkuchen\n"
    "J. Z.;Privat;ZWETSCHGE@example.org;;;\n"
    "Neue Kundin;Privat;neu@example.org;;;\n"
).encode()
REVENUE_LIST = (
    "Kunde;Rechnungsdatum;Netto\n"
    "Jörg Zwetschgenbaum;2025-07-01;100,00\n"
    "Andere GmbH;2025-07-02;200,00\n"
    "JOERG ZWETSCHGENBAUM;2025-07-03;300,00\n"
).encode()


def test_an_old_client_list_or_invoice_list_does_not_bring_the_person_back(
    db: Database,
) -> None:
    person = _person(db)
    erase_client(db, person, ERASED_ON)
    options = PlanOptions(dt.date(2025, 8, 1))

    dry = plan_import(db, load_table(CLIENT_LIST, "clients"), "clients", options)
    assert dry.new_clients == ["Neue Kundin"]
    assert dry.notices[-2:] == [
        "Jörg Zwetschgenbaum was erased on request on 10 Jun 2025: line 2 skipped",
        "J. Z. was erased on request on 10 Jun 2025: line 3 skipped",
    ]
    assert "skipped as erased on request: 2" in dry.summary()
    result = run_import(db, load_table(CLIENT_LIST, "clients"), "clients", options)
    assert result.clients_added == 1

    result = run_import(db, load_table(REVENUE_LIST, "revenue"), "revenue", options)
    assert result.added == 1 and result.plan.new_clients == ["Andere GmbH"]
    assert result.plan.notices[1:] == [  # (after the one on the missing day of payment)
        "Jörg Zwetschgenbaum was erased on request on 10 Jun 2025: lines 2, 4 skipped"
    ]
    names = [name for _id, name in clients.client_names(db)]
    assert sorted(names) == sorted(["Andere GmbH", "Neue Kundin", f"Erased client #{person}"])
    assert _traces(_files(db.path)) == {}


@pytest.mark.parametrize("register_beside", [True, False], ids=["beside", "only-in-file"])
def test_restoring_a_backup_from_before_the_erasure_erases_again(
    tmp_path: Path, db: Database, register_beside: bool
) -> None:
    person = _person(db)
    # A copy the app cannot rewrite: written with "backup --out" into a folder of the user's.
    outside = tmp_path / "usb-stick" / "desk-copy.sqlite3"
    backup_database(db.path, outside)
    erase_client(db, person, ERASED_ON)
    path = db.path
    db.close()
    if not register_beside:
        erasure.sidecar_path(path).unlink()  # the file being replaced still knows

    # The confirmation and the result say that the erasure made since is applied again.
    assert erasure.erasures_to_apply(path, outside) == 1
    assert backups.erased_again_text(1, done=False) == (
        "1 client erased since this backup was taken will be erased again."
    )
    result = backups.restore(path, outside)
    assert result.erased_again == 1

    # The restored file is clean before anyone opens it again …
    assert _traces([path]) == {}
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM erasure").fetchone() == (1,)
    # … and opening it keeps it so; a new import still skips the person.
    with open_database(path) as reopened:
        assert clients.get_client(reopened, person).erased
        plan = plan_import(
            reopened, load_table(REVENUE_LIST, "revenue"), "revenue", PlanOptions(ERASED_ON)
        )
        assert plan.new_clients == ["Andere GmbH"]
    assert _traces(_files(path)) == {}


def test_the_register_inside_a_file_in_a_folder_named_with_hash_and_question_mark_is_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "Kunden #1 ?%&" / "desk.sqlite3"
    with open_database(path) as db:
        person = _person(db)
        erase_client(db, person, ERASED_ON)
    erasure.sidecar_path(path).unlink()  # only the file itself knows now
    register = erasure.known_register(path)
    assert register is not None and [e.client_id for e in register.entries] == [person]


def test_a_file_replaced_by_hand_with_an_older_copy_is_erased_again_when_opened(
    tmp_path: Path, db: Database
) -> None:
    person = _person(db)
    db.close()
    older = tmp_path / "older.sqlite3"
    shutil.copyfile(db.path, older)
    with open_database(db.path) as current:
        erase_client(current, person, ERASED_ON)
    # The user copies the old file back by hand; only the register beside it knows.
    for suffix in ("-wal", "-shm"):
        db.path.with_name(db.path.name + suffix).unlink(missing_ok=True)
    shutil.copyfile(older, db.path)
    assert _traces([db.path])  # the person is back in the file …
    with open_database(db.path) as reopened:  # … until a writer opens it
        assert clients.get_client(reopened, person).erased
    assert _traces(_files(db.path)) == {}


def test_a_backup_that_cannot_be_rewritten_is_reported_and_left_whole(db: Database) -> None:
    person = clients.create_client(db, {"name": "Jörg Zwetschgenbaum"}).id
    folder = db.path.parent / "backups"
    folder.mkdir()
    # Taken by hand yesterday: thinning keeps it although it is not sound (PROTECTED_FOR).
    yesterday = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=1)
    broken = folder / backups.backup_name(db.path, yesterday, "manual")
    broken.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # damaged beyond reading
    result = erase_client(db, person, ERASED_ON)  # type: ignore[arg-type]
    [problem] = result.problems
    assert problem.path == broken and "left as it was" in problem.reason
    assert broken.read_bytes() == b"SQLite format 3\x00" + b"\xff" * 5000
    assert [path.name for path in result.rewritten] == [result.backup.name]
    from freelancer_desk.services.privacy import report

    assert any(line.startswith("Not rewritten, it still holds them") for line in report(result))


def test_an_unreachable_backup_folder_is_named_in_the_result(tmp_path: Path, db: Database) -> None:
    drive = tmp_path / "drive"
    drive.mkdir()
    from freelancer_desk.services import settings as settings_service

    settings_service.save(db, backup_folder=str(drive))
    backups.take_backup(db.path, backups.MANUAL)
    person = clients.create_client(db, {"name": "Jörg Zwetschgenbaum"}).id
    shutil.rmtree(drive)  # the drive is unplugged
    result = erase_client(db, person, ERASED_ON)  # type: ignore[arg-type]
    assert result.unreachable == drive
    from freelancer_desk.services.privacy import report

    assert any(str(drive) in line and "could not be reached" in line for line in report(result))


def test_the_do_not_contact_list_holds_objections_and_erased_clients(db: Database) -> None:
    clients.create_client(db, {"name": "Darf GmbH"})
    objected = clients.create_client(db, {"name": "Nein AG", "objection_on": "2025-02-01"}).id
    later = clients.create_client(db, {"name": "Später KG", "objection_on": "2025-09-01"}).id
    person = clients.create_client(db, {"name": "Weg Person"}).id
    erase_client(db, person, ERASED_ON)  # type: ignore[arg-type]
    listed = do_not_contact(db, dt.date(2025, 6, 30))
    assert [(e.client_id, e.erased) for e in listed] == [(person, True), (objected, False)]
    assert later not in {e.client_id for e in listed}


def test_a_backup_of_an_older_app_version_is_erased_again_and_upgraded(
    tmp_path: Path, db: Database
) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    from freelancer_desk.paths import package_dir

    person = _person(db)
    old = tmp_path / "before-update.sqlite3"
    backup_database(db.path, old)
    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    with create_engine("sqlite://", creator=lambda: sqlite3.connect(old)).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")  # a backup written before the erasure register existed
    erase_client(db, person, ERASED_ON)
    path = db.path
    db.close()

    backups.restore(path, old)
    assert _traces([path]) == {}
    with open_database(path) as reopened:
        assert clients.get_client(reopened, person).erased
        register = erasure.read_register(sqlite3.connect(path))
        assert register is not None and [e.client_id for e in register.entries] == [person]
