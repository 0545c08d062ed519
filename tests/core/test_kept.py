"""Kept documents (``freelancer_desk.kept``): used while the data is unchanged, never after a
write, whoever writes (this app, another process, a raw SQLite connection).

A kept document is made visible by changing it in the file (the kept table is no data, so that
write does not count): while the data is unchanged, the changed one comes back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freelancer_desk import kept
from freelancer_desk.analytics.dependency import ClientShare, Level
from freelancer_desk.analytics.warnings import SIGNAL_LABELS, Signal
from freelancer_desk.cli import main
from freelancer_desk.db import open_database
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services.status import Status, StatusRequest, build_status
from freelancer_desk.texts import Text

AS_OF = dt.date(2026, 3, 10)
STATUS_ARGS = ["--lang", "en", "status", "--as-of", AS_OF.isoformat(), "--json"]


def _status_json(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main([*STATUS_ARGS, "--db", str(path)]) == 0
    return capsys.readouterr().out


def _kept_rows(path: Path) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT key, changes FROM kept_document ORDER BY key").fetchall()


def _mark_kept_json(path: Path) -> None:
    """Put a marker in place of the kept ``status --json`` text (no data is written)."""
    with closing(sqlite3.connect(path)) as conn, conn:
        changed = conn.execute(
            "UPDATE kept_document SET body = '{\"kept\": true}' WHERE key LIKE '%status --json%'"
        ).rowcount
    assert changed == 1


def _raw_write(path: Path, sql: str) -> None:
    """Another program's write through its own SQLite connection."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(sql)


def test_status_json_is_kept_and_read_back_while_nothing_changed(
    one_client_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = json.loads(_status_json(one_client_book, capsys))
    assert first["total_net"] == 1000.0
    assert len(_kept_rows(one_client_book)) == 2  # the language-free document and the English text
    _mark_kept_json(one_client_book)
    assert json.loads(_status_json(one_client_book, capsys)) == {"kept": True}
    # Another language is another text, made from the kept language-free document.
    assert main(["--lang", "de", *STATUS_ARGS[2:], "--db", str(one_client_book)]) == 0
    assert json.loads(capsys.readouterr().out)["total_net"] == 1000.0


@pytest.mark.parametrize(
    ("write", "total", "names"),
    [
        (
            "INSERT INTO revenue_entry (client_id, invoice_date, net_cents) "
            "SELECT id, '2026-03-01', 50000 FROM client",
            1500.0,
            ["Kunde A"],
        ),
        ("UPDATE revenue_entry SET net_cents = 150000", 1500.0, ["Kunde A"]),
        ("UPDATE client SET name = 'Kunde B'", 1000.0, ["Kunde B"]),
        ("DELETE FROM revenue_entry", 0.0, []),
    ],
    ids=["insert", "update", "rename", "delete"],
)
def test_a_raw_write_by_another_program_ends_the_kept_document(
    one_client_book: Path,
    capsys: pytest.CaptureFixture[str],
    write: str,
    total: float,
    names: list[str],
) -> None:
    _status_json(one_client_book, capsys)
    _mark_kept_json(one_client_book)
    _raw_write(one_client_book, write)
    document = json.loads(_status_json(one_client_book, capsys))
    assert document["total_net"] == total
    assert [row["name"] for row in document["clients"]] == names


def test_a_kept_status_json_is_printed_without_loading_the_orm(
    one_client_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _status_json(one_client_book, capsys)
    code = (
        "import sys\n"
        "from freelancer_desk.cli import main\n"
        "main(sys.argv[1:])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('sqlalchemy', 'sqlmodel', 'pydantic')), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *STATUS_ARGS, "--db", str(one_client_book)],
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout == expected
    assert result.stderr.strip() == "[]"


def test_a_second_process_writing_ends_the_kept_document(
    one_client_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _status_json(one_client_book, capsys)
    _mark_kept_json(one_client_book)
    code = (
        "import sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        'conn.execute("UPDATE revenue_entry SET net_cents = 250000")\n'
        "conn.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(one_client_book)], check=True)
    assert json.loads(_status_json(one_client_book, capsys))["total_net"] == 2500.0


def test_the_dashboards_document_is_kept_until_the_app_writes(one_client_book: Path) -> None:
    """The language-free document the window shows: kept across openings of the file, ended
    by the app's own write as by anyone's."""
    request = StatusRequest(as_of=AS_OF, today=AS_OF)
    with open_database(one_client_book) as db:
        computed = build_status(db, request)
    assert computed.total_net_cents == 100_000
    marked = dataclasses.replace(computed, months_at_or_above_critical=99)
    with closing(sqlite3.connect(one_client_book)) as conn, conn:
        conn.execute("UPDATE kept_document SET body = ?", (kept.dumps(marked),))
    with open_database(one_client_book) as db:
        assert build_status(db, request) == marked  # read back, not computed
        client = clients_service.create_client(db, {"name": "Kunde C"}).id
        revenue_service.create_entry(
            db, {"client_id": client, "invoice_date": dt.date(2026, 3, 1), "net": "500.00"}
        )
        fresh = build_status(db, request)
    assert fresh.total_net_cents == 150_000
    assert fresh.months_at_or_above_critical != 99


def test_the_plan_of_next_steps_is_kept_until_the_data_change(one_client_book: Path) -> None:
    """The plan the dashboard's card and the printed review show: kept across openings of
    the file while nothing changed, worked out again after any write."""
    later = AS_OF + dt.timedelta(days=180)  # half a year without revenue: reactivate Kunde A
    with open_database(one_client_book) as db:
        computed = steps_service.plan(db, later)
    assert [step.client for step in computed] == ["Kunde A", None]
    marked = (dataclasses.replace(computed[0], client="Markiert"),)
    with closing(sqlite3.connect(one_client_book)) as conn, conn:
        changed = conn.execute(
            "UPDATE kept_document SET body = ? WHERE key LIKE '%plan%'", (kept.dumps(marked),)
        ).rowcount
    assert changed == 1
    with open_database(one_client_book, writable=False) as db:
        assert steps_service.plan(db, later) == list(marked)  # read back, not worked out
    _raw_write(one_client_book, "UPDATE client SET name = 'Kunde B'")
    with open_database(one_client_book, writable=False) as db:
        assert [step.client for step in steps_service.plan(db, later)] == ["Kunde B", None]


def test_a_computed_document_is_kept_after_its_reader_has_it_and_only_for_unchanged_data(
    one_client_book: Path,
) -> None:
    """The figures come first; the document is kept afterwards (``Keeper.write_waiting``: the
    window's worker after its task, and closing), and not at all when the data changed
    meanwhile."""
    request = StatusRequest(as_of=AS_OF, today=AS_OF)
    with open_database(one_client_book) as db:
        assert build_status(db, request).total_net_cents == 100_000
        assert _kept_rows(one_client_book) == []  # computed, not kept yet
        assert db.keeper.write_waiting() == 1
        [(status_key, _changes)] = _kept_rows(one_client_book)
        steps_service.plan(db, AS_OF)
        _raw_write(one_client_book, "UPDATE client SET name = 'Kunde B'")
        assert db.keeper.write_waiting() == 0  # the plan of the old name is not kept
    assert [key for key, _changes in _kept_rows(one_client_book)] == [status_key]
    with open_database(one_client_book, writable=False) as db:
        steps_service.plan(db, AS_OF)
    [(plan_key, _changes)] = _kept_rows(one_client_book)  # kept on closing, by a reader too
    assert '"plan"' in plan_key  # (and the status of older data went)


def test_a_delete_drops_every_kept_document(
    one_client_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An erased client's name must not linger in a kept document."""
    _status_json(one_client_book, capsys)
    assert _kept_rows(one_client_book)
    _raw_write(one_client_book, "DELETE FROM revenue_entry")
    assert _kept_rows(one_client_book) == []


def test_every_data_table_is_counted(db_path: Path) -> None:
    with closing(sqlite3.connect(db_path)) as conn:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        triggers = {
            row[0]
            for row in conn.execute("SELECT tbl_name FROM sqlite_master WHERE type='trigger'")
        }
    assert tables - kept.NOT_DATA == triggers


def test_the_exact_form_gives_back_the_same_document(one_client_book: Path) -> None:
    with open_database(one_client_book, writable=False) as db:
        status = build_status(db, StatusRequest(as_of=AS_OF, today=AS_OF))
    again = kept.loads(kept.dumps(status))
    assert isinstance(again, Status)
    assert again == status


@pytest.mark.parametrize(
    "text",
    [
        '["subprocess:Popen"]\n{"~c": 0, "f": [["true"]]}',
        '["freelancer_desk.kept:store"]\n{"~c": 0, "f": []}',
        '["os:system"]\n{"~e": 0, "v": "true"}',
        '[]\n{"~c": 0, "f": []}',
        '[]\n{"plain": 1}',
    ],
)
def test_only_the_apps_own_records_are_made_from_a_file(text: str) -> None:
    with pytest.raises(ValueError):
        kept.loads(text)


def _counting(path: Path) -> tuple[int, list[str]]:
    """The change counter and the text of every trigger and index (a bulk insert sets those
    of the entries aside while it writes)."""
    with closing(sqlite3.connect(path)) as conn:
        changes = conn.execute("SELECT changes FROM change_counter").fetchone()[0]
        schema = conn.execute(
            "SELECT sql FROM sqlite_master WHERE type IN ('trigger', 'index') AND sql IS NOT NULL "
            "ORDER BY name"
        ).fetchall()
    return changes, [sql for (sql,) in schema]


def _invoice_list(path: Path, rows: int) -> Path:
    """``rows`` invoices of 10.00 in February 2026, of ten clients."""
    lines = "".join(f"Kunde {i % 10};R-{i};{1 + i % 28:02d}.02.2026;10,00\n" for i in range(rows))
    path.write_text("Kunde;Nr.;Datum;Netto\n" + lines, encoding="utf-8")
    return path


def test_a_bulk_import_ends_the_kept_document_and_every_write_is_counted_after_it(
    one_client_book: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _status_json(one_client_book, capsys)
    _mark_kept_json(one_client_book)
    before, triggers = _counting(one_client_book)
    csv_file = _invoice_list(tmp_path / "rechnungen.csv", 3000)
    assert main(["import", "revenue", str(csv_file), "--db", str(one_client_book)]) == 0
    capsys.readouterr()
    after, triggers_after = _counting(one_client_book)
    assert after > before and triggers_after == triggers
    assert json.loads(_status_json(one_client_book, capsys))["total_net"] == 1000.0 + 30_000.0
    _mark_kept_json(one_client_book)
    _raw_write(
        one_client_book,
        "INSERT INTO revenue_entry (client_id, invoice_date, net_cents) "
        "SELECT id, '2026-03-01', 50000 FROM client WHERE name = 'Kunde A'",
    )
    assert (
        json.loads(_status_json(one_client_book, capsys))["total_net"] == 1000.0 + 30_000.0 + 500.0
    )


def test_a_refused_or_cancelled_import_leaves_the_counter_and_its_triggers_as_they_were(
    one_client_book: Path, tmp_path: Path
) -> None:
    from freelancer_desk.importers.plan import ImportCancelled, PlanOptions
    from freelancer_desk.services.importing import ImportRefused, load_table, run_import

    before = _counting(one_client_book)
    good = _invoice_list(tmp_path / "gut.csv", 5000)
    bad = tmp_path / "schlecht.csv"
    bad.write_text(good.read_text(encoding="utf-8") + "Kunde 1;R-x;31.02.2026;10,00\n")
    options = PlanOptions(as_of=AS_OF)
    with open_database(one_client_book) as db:
        with pytest.raises(ImportRefused):
            run_import(db, load_table(bad, "revenue"), "revenue", options)
        reports: list[int] = []
        with pytest.raises(ImportCancelled):
            run_import(
                db,
                load_table(good, "revenue"),
                "revenue",
                options,
                progress=lambda done, _total: reports.append(done),
                cancelled=lambda: len(reports) > 3 and reports[-1] > 5000,  # while writing
            )
    assert _counting(one_client_book) == before


_PLAIN_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**15), max_value=10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.fractions(max_denominator=10**9)
    | st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**9)
    | st.dates()
    | st.sampled_from(Level)
)


def _records(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Containers and records of the app around generated values."""
    return (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=4).map(tuple)
        | st.frozensets(
            _PLAIN_VALUES.filter(lambda value: not isinstance(value, float)), max_size=3
        )
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
        | st.builds(
            Text, st.text(max_size=20), st.dictionaries(st.text(max_size=5), children, max_size=2)
        )
        | st.builds(
            ClientShare,
            st.integers(1, 5000),
            st.text(max_size=12),
            st.integers(-(10**9), 10**9),
            st.fractions(0, 1),
            st.integers(0, 10**9),
        )
        | st.builds(
            Signal,
            st.sampled_from(sorted(SIGNAL_LABELS)),
            st.lists(children, max_size=2).map(tuple),
        )
    )


@given(st.recursive(_PLAIN_VALUES, _records, max_leaves=40))
def test_every_kind_of_value_comes_back_as_itself(value: Any) -> None:
    """The encoder decides each value's form by its type once per document: records, choices,
    fractions, amounts, days, tuples, sets and mappings in any nesting come back unchanged."""
    again = kept.loads(kept.dumps(value))
    assert again == value
    assert type(again) is type(value)


#: JSON as the kept documents' encoder builds it: lists, dicts and plain values, nested.
_JSON_TREES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=80)
        | st.dictionaries(st.text(max_size=5), children, max_size=80)
    ),
    max_leaves=400,
)


@given(_JSON_TREES)
def test_a_document_written_in_pieces_is_the_json_of_it_written_at_once(tree: object) -> None:
    assert kept.json_in_pieces(tree) == json.dumps(tree, ensure_ascii=False, separators=(",", ":"))


def test_keys_that_are_not_text_are_written_as_json_writes_them() -> None:
    long_list = list(range(kept.PIECE_ITEMS + 1))
    tree = {"f": [{"c": 1, "f": [{"~t": long_list, 2.5: True}]}], 7: None}
    assert kept.json_in_pieces(tree) == json.dumps(tree, separators=(",", ":"))
