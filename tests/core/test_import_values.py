"""The value parsers of the importers: amounts, dates, yes/no and the client-name identity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freelancer_desk.i18n import set_language
from freelancer_desk.importers.plan import likely_duplicates
from freelancer_desk.importers.reading import (
    _UTF8_SEQUENCE,
    MAX_LINE_CHARS,
    ImportFileError,
    _first_utf8_sequence,
    check_line_lengths,
    lines_fit,
    split_rows,
)
from freelancer_desk.importers.values import (
    AmbiguousDateError,
    DateOrder,
    amount_doubt,
    decimal_separator,
    detect_date_order,
    parse_date,
    parse_rate,
    parse_yes_no,
)
from freelancer_desk.money import parse_amount
from freelancer_desk.names import name_key


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("1234,56 €", "1234.56"),
        ("€ 1 234,56", "1234.56"),
        ("EUR 1.234.567,89", "1234567.89"),
        ("-500,00", "-500.00"),
        ("500,00-", "-500.00"),
        ("(1.000,00)", "-1000.00"),
        ("\u2212 12,50", "-12.50"),
        ("+3,00", "3.00"),
        ("1.234", "1234"),
        ("1,234", "1234"),
        ("0,5", "0.5"),
        (",50", "0.50"),
        ("750.5", "750.5"),
        ("12", "12"),
        ("1\u00a0234,56\u00a0€", "1234.56"),
    ],
)
def test_amounts_in_both_conventions(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(
    "text", ["", "-", "abc", "1.234.56", "1,23,4", "1.2345,00", "12a", "1,2.3"]
)
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.500", ",", "1500"),  # typed in the German window
        ("1.500", ".", "1.500"),  # typed in the English window, or XML
        ("1,5", ",", "1.5"),
        ("1.234,56 €", ",", "1234.56"),
        ("1,234.56", ".", "1234.56"),
        ("-12,50", ",", "-12.50"),
        ("0.123", ".", "0.123"),  # an XML unit price keeps its three decimals
    ],
)
def test_a_known_decimal_separator_decides(text: str, decimal: str, expected: str) -> None:
    assert str(parse_amount(text, decimal=decimal)) == expected


@pytest.mark.parametrize(
    ("text", "decimal"), [("1,234.56", ","), ("1.234,56", "."), ("1.5", ","), ("12,5", ".")]
)
def test_an_amount_against_the_known_separator_is_refused(text: str, decimal: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text, decimal=decimal)


@given(
    cents=st.integers(min_value=-99_999_999_999, max_value=99_999_999_999),
    german=st.booleans(),
    grouped=st.booleans(),
    euro=st.booleans(),
)
def test_any_formatted_amount_reads_back_exactly(
    cents: int, german: bool, grouped: bool, euro: bool
) -> None:
    """Whatever the convention, a formatted amount parses to the same cents."""
    amount = Decimal(cents).scaleb(-2)
    text = f"{abs(amount):,.2f}" if grouped else f"{abs(amount):.2f}"
    if german:
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    text = ("-" if amount < 0 else "") + text + (" €" if euro else "")
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [("19", "19"), ("19 %", "19"), ("7,0%", "7.0"), ("0.19", "19.00"), ("0", "0")],
)
def test_vat_rates(text: str, expected: str) -> None:
    assert parse_rate(text) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31.12.2025", dt.date(2025, 12, 31)),
        ("31.12.25", dt.date(2025, 12, 31)),
        ("1.2.2025", dt.date(2025, 2, 1)),
        ("2025-12-31", dt.date(2025, 12, 31)),
        ("2025-12-31 14:30:00", dt.date(2025, 12, 31)),
        ("2025-12-31T14:30", dt.date(2025, 12, 31)),
        ("31.12.2025 00:00", dt.date(2025, 12, 31)),
        ("13/02/2025", dt.date(2025, 2, 13)),
        ("02/13/2025", dt.date(2025, 2, 13)),
        ("05/05/25", dt.date(2025, 5, 5)),
        ("31.12.99", dt.date(1999, 12, 31)),
    ],
)
def test_dates_in_the_forms_files_use(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


def test_an_ambiguous_slashed_date_needs_the_order() -> None:
    with pytest.raises(AmbiguousDateError):
        parse_date("01/02/2025")
    assert parse_date("01/02/2025", DateOrder.DMY) == dt.date(2025, 2, 1)
    assert parse_date("01/02/2025", DateOrder.MDY) == dt.date(2025, 1, 2)


@pytest.mark.parametrize(
    "text", ["31.13.2025", "30.02.2025", "2025-13-01", "gestern", "12/31/2025x"]
)
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


def test_the_other_rows_decide_the_date_order() -> None:
    assert detect_date_order(["01/02/2025", "13/02/2025"]) == (DateOrder.DMY, False)
    assert detect_date_order(["01/02/2025", "02/13/2025"]) == (DateOrder.MDY, False)
    assert detect_date_order(["01/02/2025", "03/04/2025"]) == (None, True)
    assert detect_date_order(["13/01/2025", "01/13/2025"]) == (None, True)  # contradiction
    assert detect_date_order(["31.12.2025", "2025-01-01"]) == (None, False)  # nothing slashed


@given(day=st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2069, 12, 31)))
def test_any_date_reads_back_in_every_form(day: dt.date) -> None:
    assert parse_date(day.strftime("%d.%m.%Y")) == day
    assert parse_date(day.strftime("%d.%m.%y")) == day
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/%Y"), DateOrder.DMY) == day
    assert parse_date(day.strftime("%m/%d/%Y"), DateOrder.MDY) == day


def test_yes_and_no() -> None:
    assert [parse_yes_no(t) for t in ("ja", "Yes", "x", "1", "wahr")] == [True] * 5
    assert [parse_yes_no(t) for t in ("nein", "No", "0", "false")] == [False] * 4
    with pytest.raises(ValueError):
        parse_yes_no("vielleicht")


def test_client_names_match_ignoring_case_spacing_and_umlaut_spelling() -> None:
    assert name_key("Müller GmbH") == name_key("Mueller GmbH") == name_key("MÜLLER  gmbh")
    assert name_key("Bäckerei Groß") == name_key("Baeckerei Gross")
    assert name_key("Café Süß") == name_key("Cafe Suess")
    assert name_key("Müller GmbH") != name_key("Müller AG")


def test_likely_duplicates_are_found_but_exact_matches_are_not_reported() -> None:
    pairs = likely_duplicates(
        ["Mueller GmbH.", "Schmitt Design"], ["Müller GmbH", "Schmidt Design", "Weber"]
    )
    assert ("Mueller GmbH.", "Müller GmbH") in pairs
    assert ("Schmitt Design", "Schmidt Design") in pairs
    assert all("Weber" not in pair for pair in pairs)
    assert likely_duplicates(["MÜLLER GMBH"], ["Müller GmbH"]) == []


USUAL_AMOUNTS = st.from_regex(
    r"-?(?:\d{1,3}(?:\.\d{3})+|\d{1,9}),\d{2}|-?(?:\d{1,3}(?:,\d{3})+|\d{1,9})\.\d{2}",
    fullmatch=True,
)


@given(text=USUAL_AMOUNTS)
def test_usual_amounts_read_at_once_agree_with_the_general_rule(text: str) -> None:
    """``1.234,56`` is read by a quick pattern; with a currency after it, by the general rule."""
    general = f"{text} €"
    assert parse_amount(text) == parse_amount(general)
    assert str(parse_amount(text)) == str(parse_amount(general))  # -0.00 stays -0.00
    assert amount_doubt(text, None, ";") is None
    assert decimal_separator([text]) == decimal_separator([general])


@given(data=st.binary(max_size=64), start=st.integers(min_value=0, max_value=64))
def test_the_first_utf8_letter_is_found_as_the_full_pattern_finds_it(
    data: bytes, start: int
) -> None:
    found = _UTF8_SEQUENCE.search(data, start)
    assert _first_utf8_sequence(data, start) == (found.start() if found else None)


def test_a_giant_line_is_counted_with_every_kind_of_line_end() -> None:
    text = "a\r\nb\rc\n" + "x" * (MAX_LINE_CHARS + 1) + "\nd"
    with pytest.raises(ImportFileError, match=r"^Line 4 is 1.0 MB long"):
        check_line_lengths(text)
    check_line_lengths("a\r\n" + "x" * MAX_LINE_CHARS + "\r\n")  # at the limit: fine
    set_language("de")  # the size as German writes it
    with pytest.raises(ImportFileError, match=r"^Zeile 4 ist 1,0 MB lang"):
        check_line_lengths(text)


@given(
    lines=st.lists(st.text(alphabet="ab\r", max_size=12), max_size=8),
    limit=st.integers(min_value=0, max_value=14),
)
def test_lines_are_measured_as_if_split(lines: list[str], limit: int) -> None:
    text = "\n".join(lines)
    assert lines_fit(text, limit) == (max(map(len, text.split("\n"))) <= limit)


def test_lines_ended_by_carriage_returns_alone_are_measured_one_by_one() -> None:
    check_line_lengths("x" * 600_000 + "\r" + "y" * 600_000 + "\r")  # two lines, each fine


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_the_first_records_of_a_large_text_are_those_of_all_of_it(limit: int) -> None:
    """Only the head of a large text is read for its first records, unless a cell quoted
    across many lines runs past it."""
    note = "\n".join(["Zeile"] * 16_000)  # 96,000 characters: near the longest cell csv reads
    across = "Kunde;Notiz\n" + f'A;"{note}"\n' * 4 + "B;kurz\n" * 60
    plain = "Kunde;Netto\n" + "".join(f"K{i};{i},00\n" for i in range(40_000))
    for text in (across, plain):
        assert split_rows(text, ";", limit=limit) == split_rows(text, ";")[:limit]


def test_excel_text_formulas_are_read_as_their_text_in_any_column() -> None:
    rows = split_rows('Nr;Kunde\n="00123";A\nB; ="007"\n4;="0815"\n', ";")
    assert [row.cells for row in rows] == [
        ("Nr", "Kunde"),
        ("00123", "A"),
        ("B", '="007"'),  # a space before the "=": not Excel's formula, kept as written
        ("4", "0815"),
    ]
