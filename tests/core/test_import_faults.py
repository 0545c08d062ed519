"""The importer never changes data silently: every file it cannot read for sure is refused
with its line (and column), and nothing is written."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest

from freelancer_desk.db import Database
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.importers.reading import MEGABYTE, ImportFileError, _read_up_to
from freelancer_desk.services.importing import (
    ImportRefused,
    load_table,
    plan_import,
    run_import,
)
from freelancer_desk.services.revenue import list_entries

OPTIONS = PlanOptions(as_of=dt.date(2026, 1, 15))


def problems(db: Database, data: bytes) -> list[str]:
    """The messages of the rows an import refuses; asserts nothing was written."""
    with pytest.raises(ImportRefused) as refused:
        run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    assert list_entries(db) == []
    return [problem.message() for problem in refused.value.plan.errors]


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------


def test_utf8_lines_then_a_windows_line_name_the_first_other_line() -> None:
    data = (
        "Kunde;Datum;Netto\nMüller GmbH;01.02.2025;10,00\n".encode()
        + "Bäckerei Groß;02.02.2025;20,00\n".encode("cp1252")
    )
    with pytest.raises(ImportFileError) as caught:
        load_table(data, "revenue")
    assert str(caught.value).startswith(
        "Line 3 is written in another encoding than line 2 (the file mixes UTF-8 and Windows "
        "encoding)"
    )


def test_windows_lines_then_a_utf8_line_name_the_utf8_line() -> None:
    data = (
        "Kunde;Datum;Netto\nBäckerei Groß;02.02.2025;20,00\nA;01.01.2025;1,00\n".encode("cp1252")
        + "Müller GmbH;01.02.2025;10,00\n".encode()
    )
    with pytest.raises(
        ImportFileError, match=r"^Line 4 is written in another encoding than line 2"
    ):
        load_table(data, "revenue")


def test_a_utf8_file_with_bom_and_a_windows_line_names_that_line() -> None:
    data = (
        b"\xef\xbb\xbf"
        + b"Kunde;Datum;Netto\nA;01.01.2025;1,00\n"
        + "Café;01.01.2025;1,00\n".encode("cp1252")
    )
    with pytest.raises(ImportFileError, match=r"^Line 3 is written in another encoding"):
        load_table(data, "revenue")


# --------------------------------------------------------------------------------------------
# Amounts
# --------------------------------------------------------------------------------------------


def test_a_german_amount_in_a_comma_separated_file_is_never_read_as_1234(db: Database) -> None:
    """``1.234,56`` unquoted: the comma splits it into ``1.234`` and ``56``."""
    assert problems(db, b"Kunde,Datum,Netto,Notiz\nA,2025-02-01,1.234,56\n") == [
        'Line 2, column "Netto": "1.234" may be what is left of an amount such as 1.234,56 '
        "cut in two at its comma (the file is comma-separated); write amounts as 1234.56, or "
        "put them in quotes"
    ]
    assert problems(db, b"Kunde,Datum,Netto\nA,2025-02-01,1.234,56\n") == [
        "Line 2: the row has 4 cells, the header row 3 (an amount such as 234,56 with a decimal "
        "comma is cut in two in a comma-separated file; put such amounts in quotes)",
        'Line 2, column "Netto": "1.234" may be what is left of an amount such as 1.234,56 '
        "cut in two at its comma (the file is comma-separated); write amounts as 1234.56, or "
        "put them in quotes",
    ]
    quoted = b'Kunde,Datum,Netto\nA,2025-02-01,"1.234,56"\n'
    plan = plan_import(db, load_table(quoted, "revenue"), "revenue", OPTIONS)
    assert [entry.net_cents for entry in plan.entries] == [123456]


def test_an_amount_that_reads_two_ways_is_refused_and_decided_by_the_file(db: Database) -> None:
    assert problems(db, b"Kunde;Datum;Netto\nA;01.02.2025;1,234\n") == [
        'Line 2, column "Netto": "1,234" can be read as more than a thousand or as less than '
        "ten; write it with two decimal places (1.234,00 or 1,234.00)"
    ]
    # Other amounts of the file write a decimal comma: 1,234 has three decimal places.
    assert problems(db, b"Kunde;Datum;Netto\nA;01.02.2025;12,50\nB;01.02.2025;1,234\n") == [
        'Line 3, column "Netto": "1,234" has three decimal places as the file writes amounts; '
        "amounts have at most two"
    ]
    # They write a decimal comma and group with dots: 1.234 is a thousand and more.
    grouped = b"Kunde;Datum;Netto\nA;01.02.2025;1.500,50\nB;01.02.2025;1.234\n"
    plan = plan_import(db, load_table(grouped, "revenue"), "revenue", OPTIONS)
    assert [entry.net_cents for entry in plan.entries] == [150050, 123400]


def test_sub_cent_amounts_are_refused(db: Database) -> None:
    assert problems(db, b"Kunde;Datum;Netto\nA;01.02.2025;10,005\nB;01.02.2025;1,50\n") == [
        'Line 2, column "Netto": "10,005" has three decimal places as the file writes amounts; '
        "amounts have at most two"
    ]
    assert problems(db, b"Kunde;Datum;Netto\nA;01.02.2025;5,0012\n") == [
        'Line 2, column "Netto": "5,0012" may have at most two decimal places'
    ]


def test_a_gross_amount_below_the_net_amount_is_refused(db: Database) -> None:
    """What is left when a comma split ``100,00`` and the ``00`` landed in the gross column."""
    assert problems(db, b"Kunde,Datum,Netto,Brutto\nA,2025-02-01,100,00\n") == [
        'Line 2, column "Brutto": the gross amount €0.00 is smaller than the net amount €100.00'
    ]


# --------------------------------------------------------------------------------------------
# Dates, names, header, quotes
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "year"),
    [("31.12.1989", 1989), ("31.12.89", 1989), ("2101-01-01", 2101), ("01.01.0025", 25)],
)
def test_years_outside_1990_to_2100_are_refused(db: Database, cell: str, year: int) -> None:
    data = f"Kunde;Datum;Netto\nA;{cell};1,00\nB;31.12.2100;1,00\nC;01.01.1990;1,00\n".encode()
    assert problems(db, data) == [
        f'Line 2, column "Datum": "{cell}": the year {year} lies outside 1990–2100'
    ]


@pytest.mark.parametrize(
    ("name", "shown", "char"),
    [
        ("Evil\x1b[31mCorp", "Evil\\x1b[31mCorp", "\\x1b"),
        ("Zwei\tSpalten", "Zwei\\x09Spalten", "\\x09"),
        ("Umgekehrt \u202egnp.exe", "Umgekehrt \\u202egnp.exe", "\\u202e"),
    ],
)
def test_control_characters_are_refused_in_names_and_never_shown_raw(
    db: Database, name: str, shown: str, char: str
) -> None:
    ordinary = "".join(f"Kunde {n};01.02.2025;1,00\n" for n in range(5))
    data = f'Kunde;Datum;Netto\n"{name}";01.02.2025;1,00\n{ordinary}'.encode()
    [message] = problems(db, data)
    assert message == (
        f'Line 2, column "Kunde": "{shown}" holds a control character ({char}); a name may not'
    )
    assert "\x1b" not in message and "\u202e" not in message and "\t" not in message


def test_a_control_character_in_a_note_is_kept_but_never_printed_raw(db: Database) -> None:
    ordinary = "".join(f"Kunde {n};01.02.2025;1,00;\n" for n in range(20)).encode()
    data = b"Kunde;Datum;Netto;Notiz\nA;01.02.2025;1,00;\x1b[31mrot\x1b[0m\n" + ordinary
    result = run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    notes = {row.client_name: row.note for row in list_entries(db)}
    assert notes["A"] == "\x1b[31mrot\x1b[0m"
    assert "\x1b" not in result.plan.summary(done=True)


def test_a_header_named_twice_is_called_a_duplicate(db: Database) -> None:
    data = b"Kunde;Datum;Netto;Datum\nA;01.02.2025;10,00;15.02.2025\n"
    table = load_table(data, "revenue")
    assert (table.mapping.duplicates, table.mapping.unrecognised) == (("Datum",), ())
    plan = plan_import(db, table, "revenue", OPTIONS)
    assert plan.summary().endswith("columns named twice (only the first is read): Datum")


def test_an_unclosed_quote_is_named() -> None:
    data = b'Kunde;Datum;Netto\nA;01.02.2025;10,00\n"B;02.02.2025;20,00\nC;03.02.2025;30,00\n'
    with pytest.raises(ImportFileError) as caught:
        load_table(data, "revenue")
    assert str(caught.value) == (
        'Line 3: a quote (") opens a cell here and is never closed, so the rest of the file '
        "would be read as one cell. Check the quotes in this line."
    )


def test_a_quote_that_swallows_lines_is_named_with_the_line_it_closes_on(db: Database) -> None:
    data = (
        b'Kunde;Datum;Netto;Notiz\nA;01.02.2025;10,00;"stray\n'
        b'B;02.02.2025;20,00;x\nC;03.02.2025;30,00;closes here"\nD;04.02.2025;40,00;\n'
    )
    assert problems(db, data) == [
        "Line 2: a quote in this line closes only on line 4, so the lines in between are read "
        "as part of one cell; check the quotes"
    ]


def test_a_multi_line_note_is_still_fine(db: Database) -> None:
    data = b'Kunde;Datum;Netto;Notiz\nA;01.02.2025;10,00;"Logo; Briefpapier\nzweite Zeile"\n'
    run_import(db, load_table(data, "revenue"), "revenue", OPTIONS)
    assert [row.note for row in list_entries(db)] == ["Logo; Briefpapier\nzweite Zeile"]


# --------------------------------------------------------------------------------------------
# What is given as the file
# --------------------------------------------------------------------------------------------


def test_a_fifo_is_refused_at_once_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            load_table(fifo, "revenue")
        except ImportFileError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "reading a FIFO blocked"
    assert [str(exc) for exc in outcome] == [
        f"{fifo} is a pipe (FIFO), not a file. Save the data to a file first."
    ]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/dev/zero", "/dev/zero is a device, not a file."),
        ("/tmp", "/tmp is a folder, not a file."),
    ],
)
def test_devices_and_folders_are_refused(path: str, message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        load_table(Path(path), "revenue")
    assert str(caught.value) == message


def test_a_file_over_the_limit_is_refused_naming_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    with big.open("wb") as handle:
        handle.write(b"Kunde;Datum;Netto\n")
        handle.truncate(200 * MEGABYTE + 1)  # sparse: nothing is written or read
    with pytest.raises(ImportFileError) as caught:
        load_table(big, "revenue")
    assert str(caught.value) == "big.csv is too big to import (200.0 MB; at most 200 MB)."
    small = tmp_path / "small.csv"
    small.write_bytes(b"Kunde;Datum;Netto\n" + b"A;01.02.2025;1,00\n" * 70_000)
    with pytest.raises(ImportFileError, match=r"\(1\.2 MB; at most 1 MB\)"):
        load_table(small, "revenue", max_bytes=MEGABYTE)


@pytest.mark.parametrize(("grown", "read"), [(100, 140), (5000, 1001)])
def test_a_file_growing_after_its_size_was_taken_is_read_on_up_to_the_limit(
    tmp_path: Path, grown: int, read: int
) -> None:
    path = tmp_path / "growing.csv"
    path.write_bytes(b"x" * 40)
    with path.open("rb") as file:
        size = os.fstat(file.fileno()).st_size
        with path.open("ab") as writer:
            writer.write(b"y" * grown)
        assert len(_read_up_to(file, size, limit=1000)) == read  # 1001: one over the limit
