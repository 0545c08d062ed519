"""The fast paths of the analytics give the same answers as the plain ones they replace.

Warning signs are summed per window in SQL instead of per month in Python; the dependency
trend reads only the months it needs unless the top share stayed high for longer. Each test
checks the fast path against figures worked out another way.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import subprocess
import sys
import threading
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from babel import Locale
from babel.numbers import format_currency, format_decimal, format_percent
from hypothesis import example, given
from hypothesis import strategies as st
from sqlmodel import select

from freelancer_desk import demo, formatting, i18n
from freelancer_desk.analytics.dependency import hhi
from freelancer_desk.analytics.warnings import (
    ClientHistory,
    MonthFigures,
    Windows,
    first_month_needed,
    overdue_cutoff,
    signals,
    windows,
)
from freelancer_desk.db import Database, open_database
from freelancer_desk.i18n import BABEL_LOCALES
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.memo import Memo
from freelancer_desk.models import Client, Interaction, RevenueEntry
from freelancer_desk.paths import resource
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.importing import load_table, run_import
from freelancer_desk.services.status import StatusRequest, build_status, to_json
from freelancer_desk.services.warning_signs import signals_by_client
from freelancer_desk.settings import DeskSettings
from tests.cli.program import run_in_process

D = dt.date
AS_OF = D(2026, 3, 10)
MAIN = Path(__file__).resolve().parents[2] / "main.py"


def _monthly_histories(db: Database, as_of: dt.date) -> dict[int, ClientHistory]:
    """Every client's history month by month, added up here in Python from the raw rows."""
    settings = settings_service.load(db)
    first_needed = first_month_needed(as_of, settings)
    months: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(
        lambda: defaultdict(lambda: [0] * 7)
    )
    starts: dict[int, dt.date] = {}
    unpaid: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    tracking: set[int] = set()
    kinds = {"complaint": 4, "unreachable": 5, "chasing": 6}
    with db.session() as session:
        terms = {
            c.id: c.payment_term_days or settings.default_payment_term_days
            for c in session.exec(select(Client))
        }
        for entry in session.exec(select(RevenueEntry).where(RevenueEntry.invoice_date <= as_of)):
            cid = entry.client_id
            starts[cid] = min(starts.get(cid, entry.invoice_date), entry.invoice_date)
            paid = entry.paid_date is not None and entry.paid_date <= as_of
            tracking |= {cid} if paid else set()
            due = entry.due_date or entry.invoice_date + dt.timedelta(days=terms[cid])
            if entry.net_cents > 0 and not paid and due < overdue_cutoff(as_of, settings):
                unpaid[cid].append((due, entry.net_cents))
            if entry.invoice_date < first_needed or entry.net_cents <= 0:
                continue
            figures = months[cid][(entry.invoice_date.year, entry.invoice_date.month)]
            figures[0] += 1
            figures[1] += entry.net_cents
            if paid:
                figures[2] += 1
                figures[3] += (entry.paid_date - due).days  # type: ignore[operator]
        for item in session.exec(select(Interaction).where(Interaction.date <= as_of)):
            cid = item.client_id
            starts[cid] = min(starts.get(cid, item.date), item.date)
            if item.kind in kinds and item.date >= first_needed:
                months[cid][(item.date.year, item.date.month)][kinds[item.kind]] += 1
    return {
        cid: ClientHistory(
            client_id=cid,
            first_activity=first,
            months={month: MonthFigures(*values) for month, values in months[cid].items()},
            unpaid=tuple(unpaid[cid]),
            tracks_payments=bool(tracking),  # payments are recorded in the file
        )
        for cid, first in starts.items()
    }


def test_window_sums_in_sql_give_the_signs_of_the_monthly_figures(db: Database) -> None:
    demo.generate(db, clients=60, entries=3000, interactions=900, seed=3, as_of=AS_OF)
    settings = settings_service.load(db)
    for day in (AS_OF, D(2025, 12, 31), D(2025, 7, 1)):
        expected = {
            cid: [(s.name, s.explanation()) for s in signals(history, day, settings)]
            for cid, history in _monthly_histories(db, day).items()
        }
        found = {
            cid: [(s.name, s.explanation()) for s in signs]
            for cid, signs in signals_by_client(db, day).items()
        }
        assert found == {cid: signs for cid, signs in expected.items() if signs}
        assert len(found) >= 5  # the demo data has clients drifting away


def test_months_in_a_row_reach_back_beyond_the_trend(db: Database) -> None:
    only = clients_service.create_client(db, {"name": "Einziger Auftraggeber"}).id
    # One invoice a month from January 2023 to June 2025: the only payer at every month end.
    day = D(2023, 1, 15)
    while day <= D(2025, 6, 15):
        revenue_service.create_entry(db, {"client_id": only, "invoice_date": day, "net": "500.00"})
        day = D(day.year + day.month // 12, day.month % 12 + 1, 15)
    doc = to_json(build_status(db, StatusRequest(as_of=D(2025, 6, 30))))
    # January 2023 to June 2025: 30 month ends at 100 %, six more than the 24-month trend shows.
    assert doc["months_at_or_above_five_sixths"] == 30
    assert len(doc["top_share_by_month"]) == 24
    assert doc["top_share_by_month"][0] == {
        "month_end": "2023-07-31",
        "share": 1.0,
        "payer": "Einziger Auftraggeber",
    }
    # A second client in April 2025 (1,500 of 7,500 in the 12 months to April: 80 %) breaks the run.
    other = clients_service.create_client(db, {"name": "Zweiter"}).id
    revenue_service.create_entry(
        db, {"client_id": other, "invoice_date": D(2025, 4, 2), "net": "1500.00"}
    )
    assert build_status(db, StatusRequest(as_of=D(2025, 6, 30))).months_at_or_above_critical == 0
    assert build_status(db, StatusRequest(as_of=D(2025, 3, 31))).months_at_or_above_critical == 27


def test_the_command_line_loads_no_pdf_calendar_or_chart_library_before_a_command_needs_it() -> (
    None
):
    code = (
        "import sys\n"
        "from freelancer_desk.cli import build_parser\n"
        "build_parser().parse_args(['status', '--json'])\n"
        "print(sorted({name.split('.')[0] for name in sys.modules} "
        "& {'reportlab', 'icalendar', 'matplotlib', 'PySide6'}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


_NUMBERS = (
    st.decimals(
        min_value=-(10**9), max_value=10**9, places=5, allow_nan=False, allow_infinity=False
    )
    | st.integers(min_value=-(10**9), max_value=10**9)
    | st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
)


@given(_NUMBERS, st.sampled_from(["de", "en"]), st.integers(0, 3))
@example(Decimal("-0.001"), "de", 2)  # rounds to zero: babel keeps the minus
@example(0.35, "en", 1)  # read as 0.35, so half to even gives 0.4 (the float itself is below)
def test_numbers_money_and_percentages_read_as_babel_writes_them(
    value: Decimal | float, lang: str, digits: int
) -> None:
    """Python's own formatting, used for speed, gives babel's text to the character."""
    locale = BABEL_LOCALES[lang]
    decimals = "#,##0" + ("." + "0" * digits if digits else "")
    percent_pattern = Locale.parse(locale).percent_formats[None].pattern.replace("#,##0", decimals)
    assert formatting.money(value, lang) == format_currency(value, "EUR", locale=locale)
    assert formatting.number(value, lang, digits) == format_decimal(
        value, format=decimals, locale=locale
    )
    assert formatting.percent(value, lang, digits) == format_percent(
        value, format=percent_pattern, locale=locale
    )


@pytest.mark.parametrize("lang", ["de", "en"])
def test_once_prepared_amounts_are_written_without_reading_babel_again(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window prepares the formats on the worker: the first amount a page shows must not
    read babel's data on the GUI thread."""
    formatting.prepare(lang)

    def read_again(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("babel's data read again")

    monkeypatch.setattr("babel.Locale.parse", read_again)
    monkeypatch.setattr("babel.numbers.parse_pattern", read_again)
    monkeypatch.setattr("babel.localedata.load", read_again)
    assert formatting.money(Decimal("-1234.5"), lang).count("1") == 1
    assert formatting.number(Fraction(1, 3), lang, digits=1)[-1] == "3"
    assert formatting.percent(0.5, lang, digits=0).startswith("50")


def _signs_by_fractions(
    recent: MonthFigures, usual: MonthFigures, span: Windows, settings: DeskSettings
) -> set[str]:
    """The sign decisions written plainly with fractions, as the comparisons in integers must
    agree."""
    found = set()
    usual_months = Fraction(span.usual_length)
    if usual.orders >= settings.warning_min_orders:
        if (
            recent.orders / span.recent_length
            <= settings.warning_fewer_orders * usual.orders / usual_months
        ):
            found.add("fewer_orders")
        share = (
            settings.warning_single_order if recent.orders == 1 else settings.warning_smaller_orders
        )
        if (
            recent.orders
            and usual.order_cents > 0
            and (
                Fraction(recent.order_cents, recent.orders)
                <= share * Fraction(usual.order_cents, usual.orders)
            )
        ):
            found.add("smaller_orders")
    if recent.paid >= settings.warning_min_events:
        recent_delay = Fraction(recent.delay_days, recent.paid)
        usual_delay = (
            max(Fraction(0), Fraction(usual.delay_days, usual.paid))
            if usual.paid >= 2
            else Fraction(0)
        )
        if recent_delay > 0 and recent_delay - usual_delay >= settings.warning_late_days:
            found.add("late_payments")
    for name, field in (
        ("more_complaints", "complaints"),
        ("unreachable", "unreachable"),
        ("chasing_orders", "chasing"),
    ):
        count, before = getattr(recent, field), getattr(usual, field)
        if count >= settings.warning_min_events and (
            count / span.recent_length >= settings.warning_rise_factor * before / usual_months
        ):
            found.add(name)
    return found


_figures = st.builds(
    MonthFigures,
    orders=st.integers(0, 40),
    order_cents=st.integers(0, 10**7),
    paid=st.integers(0, 40),
    delay_days=st.integers(-300, 900),
    complaints=st.integers(0, 12),
    unreachable=st.integers(0, 12),
    chasing=st.integers(0, 12),
)


@given(
    _figures,
    _figures,
    st.dates(D(2020, 1, 1), D(2030, 12, 31)),
    st.integers(1, 12),
    st.integers(1, 24),
    st.fractions(Fraction(1, 10), Fraction(9, 10), max_denominator=20),
    st.fractions(Fraction(1, 10), Fraction(9, 10), max_denominator=20),
    st.integers(1, 5),
)
# Exactly at each threshold (a sign is shown at the threshold): half the orders, two thirds of
# the order size, 14 days later, twice the complaints, all on 30 June with 6 + 12 months.
@example(
    MonthFigures(orders=3),
    MonthFigures(orders=12),
    D(2025, 6, 30),
    6,
    12,
    Fraction(1, 2),
    Fraction(2, 3),
    2,
)
@example(
    MonthFigures(orders=2, order_cents=1600),
    MonthFigures(orders=12, order_cents=14400),
    D(2025, 6, 30),
    6,
    12,
    Fraction(1, 10),
    Fraction(2, 3),
    2,
)
@example(
    MonthFigures(paid=2, delay_days=28),
    MonthFigures(paid=12, delay_days=0),
    D(2025, 6, 30),
    6,
    12,
    Fraction(1, 2),
    Fraction(2, 3),
    2,
)
@example(
    MonthFigures(complaints=2),
    MonthFigures(complaints=2),
    D(2025, 6, 30),
    6,
    12,
    Fraction(1, 2),
    Fraction(2, 3),
    2,
)
@example(  # one order of 0.00 after orders of 0.00: nothing to fall from
    MonthFigures(orders=1),
    MonthFigures(orders=3),
    D(2020, 1, 1),
    1,
    1,
    Fraction(1, 10),
    Fraction(1, 10),
    1,
)
def test_signs_compared_in_integers_agree_with_fractions(
    recent: MonthFigures,
    usual: MonthFigures,
    as_of: dt.date,
    recent_months: int,
    usual_months: int,
    fewer: Fraction,
    smaller: Fraction,
    factor: int,
) -> None:
    settings = replace(
        DeskSettings(),
        warning_recent_months=recent_months,
        warning_usual_months=usual_months,
        warning_fewer_orders=fewer,
        warning_smaller_orders=smaller,
        warning_rise_factor=factor,
    )
    history = ClientHistory(client_id=1, first_activity=D(2000, 1, 1), sums=(recent, usual))
    span = windows(as_of, settings, history.first_activity)
    expected = (
        _signs_by_fractions(recent, usual, span, settings)
        if span.usual_length >= recent_months
        else set()
    )
    assert {sign.name for sign in signals(history, as_of, settings)} == expected


def test_bulk_written_import_reads_back_exactly(db: Database) -> None:
    """Entries go in as plain tuples and new clients in one insert: what comes back is the file."""
    kept = clients_service.create_client(db, {"name": "Bestand GmbH", "kind": "private"}).id
    csv_text = (
        "Kunde;Rechnungsnummer;Rechnungsdatum;Netto;Fällig;Bezahlt am;Notiz\n"
        "Bestand GmbH;R-1;03.02.2025;1.234,56;17.02.2025;20.02.2025;erste\n"
        "Neu & Söhne;R-2;04.02.2025;-50,00;;;\n"
        "Zweite Neue KG;R-3;05.02.2025;99,99;;06.03.2025;\n"
        "neu & söhne;R-4;06.02.2025;10,00;;;\n"
    )
    result = run_import(
        db, load_table(csv_text.encode(), "revenue"), "revenue", PlanOptions(as_of=AS_OF)
    )
    assert (result.added, result.clients_added) == (4, 2)
    rows = {row.invoice_number: row for row in revenue_service.list_entries(db)}
    assert (rows["R-1"].client_id, rows["R-1"].net, rows["R-1"].note) == (
        kept,
        Decimal("1234.56"),
        "erste",
    )
    assert (rows["R-1"].invoice_date, rows["R-1"].due_date, rows["R-1"].paid_date) == (
        D(2025, 2, 3),
        D(2025, 2, 17),
        D(2025, 2, 20),
    )
    assert (rows["R-2"].client_name, rows["R-2"].net, rows["R-2"].due_date) == (
        "Neu & Söhne",
        Decimal("-50.00"),
        None,
    )
    assert rows["R-4"].client_id == rows["R-2"].client_id  # one new client, spelt two ways
    assert (rows["R-3"].client_name, rows["R-3"].paid_date) == ("Zweite Neue KG", D(2025, 3, 6))
    new = clients_service.get_client(db, rows["R-3"].client_id)
    # The columns' defaults apply to clients made by the bulk insert.
    assert (new.kind, new.archived, new.erased, new.created_on) == ("business", False, False, AS_OF)


# ---- results kept until the data changes ---------------------------------------------------------


def test_kept_results_follow_every_write(db: Database) -> None:
    """The status, the signs and the clients' facts are kept, and computed afresh after a write."""
    steady = clients_service.create_client(db, {"name": "Stetig GmbH"}).id
    for day in [D(2024, month, 10) for month in range(1, 13)] + [D(2025, 3, 10)]:
        revenue_service.create_entry(
            db, {"client_id": steady, "invoice_date": day, "net": "100.00"}
        )
    as_of = D(2025, 6, 30)
    first = build_status(db, StatusRequest(as_of=as_of))
    assert (
        build_status(db, StatusRequest(as_of=as_of)) is first
    )  # unchanged data: the same document
    # July to December 2024 and March 2025: 700.00; one order in 2025 against one a month before.
    assert first.total_net_cents == 70_000 and [row.name for row in first.at_risk] == [
        "Stetig GmbH"
    ]
    assert clients_service.client_rows(db, as_of)[0].status == "at_risk"
    revenue_service.create_entry(
        db, {"client_id": steady, "invoice_date": D(2025, 6, 2), "net": "250.00"}
    )
    second = build_status(db, StatusRequest(as_of=as_of))
    assert second is not first and second.total_net_cents == 95_000
    for day in (D(2025, 2, 3), D(2025, 4, 7), D(2025, 5, 5)):
        interactions_service.create_interaction(
            db, {"client_id": steady, "date": day, "kind": "complaint"}
        )
    # Three complaints in the six recent months, none before: twice the usual and more.
    assert [s.name for s in signals_by_client(db, as_of)[steady]] == [
        "fewer_orders",
        "more_complaints",
    ]
    settings_service.save(db, warning_min_events=4)  # settings are data too
    assert [s.name for s in signals_by_client(db, as_of)[steady]] == ["fewer_orders"]
    clients_service.update_client(db, steady, {"archived": True})
    assert clients_service.client_rows(db, as_of)[0].status == "archived"


def test_a_write_by_another_program_is_seen(db_path: Path, tmp_path: Path) -> None:
    """A read-only opening notices the commit of another connection: the command line's, as
    another program makes it (SQLite's data version tells every other connection alike)."""
    with open_database(db_path) as writer:
        lost = clients_service.create_client(writer, {"name": "Kunde A"}).id
        revenue_service.create_entry(
            writer, {"client_id": lost, "invoice_date": D(2026, 2, 1), "net": "80.00"}
        )
    with open_database(db_path, writable=False) as reader:
        assert build_status(reader, StatusRequest(as_of=AS_OF)).total_net_cents == 8_000
        version = reader.data_version()
        assert reader.data_version() == version  # reading never changes it
        complaint = run_in_process(
            "client",
            "interaction",
            "add",
            "--db",
            db_path,
            "--client",
            "Kunde A",
            "--date",
            "2026-03-01",
            "--kind",
            "complaint",
        )
        assert complaint.returncode == 0, complaint.stderr
        assert reader.data_version() != version
        invoices = tmp_path / "rechnungen.csv"
        invoices.write_text(
            "Kunde;Rechnungsdatum;Netto\nKunde A;02.03.2026;20,00\n", encoding="utf-8"
        )
        imported = run_in_process("import", "revenue", invoices, "--db", db_path)
        assert imported.returncode == 0, imported.stderr
        assert build_status(reader, StatusRequest(as_of=AS_OF)).total_net_cents == 10_000


def test_the_status_in_another_language_is_its_own() -> None:
    memo_calls: list[str] = []
    memo = Memo(lambda: 1)
    for lang in ("en", "de", "en"):
        memo.get(("status", lang), lambda lang=lang: memo_calls.append(lang))
    assert memo_calls == ["en", "de"]


def test_two_threads_asking_at_once_share_one_computation() -> None:
    started, release = threading.Event(), threading.Event()
    computed: list[int] = []

    def compute() -> int:
        started.set()
        release.wait(5)
        computed.append(1)
        return 42

    memo = Memo(lambda: 7)
    results: list[int] = []
    worker = threading.Thread(target=lambda: results.append(memo.get("status", compute)))
    worker.start()
    started.wait(5)
    waiter = threading.Thread(target=lambda: results.append(memo.get("status", compute)))
    waiter.start()
    release.set()
    worker.join(5)
    waiter.join(5)
    assert results == [42, 42] and computed == [1]


def test_a_failed_computation_is_not_kept() -> None:
    memo = Memo(lambda: 1)
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("disk gone")
        return "ok"

    with pytest.raises(RuntimeError):
        memo.get("x", flaky)
    assert memo.get("x", flaky) == "ok" and len(attempts) == 2


def test_compiled_catalogues_are_kept_by_their_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    po = resource("translations", "de", "core.po").read_bytes()
    first = i18n._compiled(po)
    kept = list(tmp_path.rglob("*.mo"))
    assert len(kept) == 1 and kept[0].read_bytes() == first
    assert (
        i18n._compiled(po) == first and list(tmp_path.rglob("*.mo")) == kept
    )  # read, not written again
    changed = po + b'\nmsgid "Kept catalogue test"\nmsgstr "Zwischengespeicherter Katalog"\n'
    catalogue = gettext.GNUTranslations(io.BytesIO(i18n._compiled(changed)))
    assert catalogue.gettext("Kept catalogue test") == "Zwischengespeicherter Katalog"
    assert len(list(tmp_path.rglob("*.mo"))) == 2  # a changed catalogue gets its own file


def test_windows_summed_in_one_statement_match_the_entries_added_up_here(db: Database) -> None:
    """The 12 months before a loss and after a win-back: one statement for every window
    gives what adding up each window's entries in Python gives (window ends excluded)."""
    demo.generate(db, clients=30, entries=1500, interactions=0, seed=5, as_of=AS_OF)
    with db.session() as session:
        entries = session.exec(select(RevenueEntry)).all()
        clients = sorted({entry.client_id for entry in entries})
        days = sorted({entry.invoice_date for entry in entries})
        windows = {
            key: (clients[key % len(clients)], first, first + dt.timedelta(days=span))
            for key, (first, span) in enumerate(
                (days[(key * 37) % len(days)], (0, 1, 31, 365, 400)[key % 5]) for key in range(1200)
            )
        }
        windows[5000] = (10**6, D(2020, 1, 1), D(2030, 1, 1))  # a client without entries
        found = revenue_service.net_in_windows(session.connection(), windows)
    expected = {
        key: sum(
            entry.net_cents
            for entry in entries
            if entry.client_id == client and first <= entry.invoice_date < end
        )
        for key, (client, first, end) in windows.items()
    }
    assert found == expected
    assert sum(1 for cents in found.values() if cents) > 500  # most windows hold entries


@given(st.lists(st.integers(min_value=-(10**9), max_value=10**11), max_size=60))
@example([])
@example([0, -5])
@example([100, 100, 100])
def test_hhi_in_one_fraction_is_the_sum_of_the_squared_shares(payer_cents: list[int]) -> None:
    positive = [cents for cents in payer_cents if cents > 0]
    expected = (
        sum((Fraction(100 * cents, sum(positive)) ** 2 for cents in positive), Fraction(0))
        if positive
        else None
    )
    assert hhi(payer_cents) == expected
