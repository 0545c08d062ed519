"""Dependency on clients (DOMAIN.md §3): shares per payer, the 5/6 rule, HHI, what-if figures.

Every expected figure is worked out by hand in the comment beside it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from freelancer_desk.analytics.dependency import (
    ClientInfo,
    Level,
    Thresholds,
    analyse,
    extra_revenue_needed,
    hhi,
    level_for,
)
from freelancer_desk.analytics.periods import calendar_year, custom, quarter, rolling_12_months
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.self_check import INDICATORS
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import dependency as dependency_service
from freelancer_desk.services import groups as groups_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import self_check as self_check_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.status import StatusRequest, build_status, to_json

D = dt.date


class Book:
    """Clients and revenue entered through the services, by client name."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids: dict[str, int] = {}
        self.groups: dict[str, int] = {}

    def client(self, name: str, group: str | None = None) -> int:
        if group is not None and group not in self.groups:
            self.groups[group] = groups_service.create_group(self.db, {"name": group}).id
        group_id = self.groups[group] if group else None
        self.ids[name] = clients_service.create_client(
            self.db, {"name": name, "group_id": group_id}
        ).id
        return self.ids[name]

    def invoice(self, name: str, day: dt.date, net: str, paid: dt.date | None = None) -> None:
        if name not in self.ids:
            self.client(name)
        revenue_service.create_entry(
            self.db,
            {
                "client_id": self.ids[name],
                "invoice_date": day,
                "net": Decimal(net),
                "paid_date": paid,
            },
        )


@pytest.fixture
def book(db: Database) -> Book:
    return Book(db)


def status(db: Database, as_of: dt.date, **request: object) -> dict:
    """The status as ``status --json`` prints it."""
    return to_json(build_status(db, StatusRequest(as_of=as_of, **request)))  # type: ignore[arg-type]


YEAR_2025 = calendar_year(2025)


# --- groups -----------------------------------------------------------------------------------


def test_a_group_is_one_payer_and_pushes_the_top_share_over_five_sixths(book: Book) -> None:
    book.client("Nordwerk GmbH", group="Nordwerk Gruppe")
    book.client("Nordwerk Service AG", group="Nordwerk Gruppe")
    book.invoice("Nordwerk GmbH", D(2025, 3, 10), "50000.00")
    book.invoice("Nordwerk Service AG", D(2025, 6, 1), "40000.00")
    book.invoice("Bäckerei Sommer", D(2025, 8, 1), "10000.00")

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # No single client is over 5/6: the largest has 50,000 / 100,000 = 50 %.
    assert max(row["share"] for row in doc["clients"]) == 0.5
    # The group together has 90,000 / 100,000 = 90 % ≥ 5/6.
    assert doc["payers"] == [
        {
            "name": "Nordwerk Gruppe",
            "net": 90000.00,
            "share": 0.9,
            "clients": ["Nordwerk GmbH", "Nordwerk Service AG"],
            "group": True,
            "previous_net": 0.0,
            "note": None,
        },
        {
            "name": "Bäckerei Sommer",
            "net": 10000.00,
            "share": 0.1,
            "clients": ["Bäckerei Sommer"],
            "group": False,
            "previous_net": 0.0,
            "note": None,
        },
    ]
    assert doc["top_payer"] == {"name": "Nordwerk Gruppe", "share": 0.9}
    assert doc["level"] == "critical"
    # T = 90,000, O = 10,000: under 5/6 needs more than T/5 − O = 8,000; under 50 % more than
    # T − O = 80,000. The smallest amounts strictly above are one cent more.
    assert doc["extra_revenue_needed"] == {"below_half": 80000.01, "below_five_sixths": 8000.01}
    # HHI = 90² + 10² = 8,200; effective clients = 10,000 / 8,200 = 1.2195…
    assert doc["hhi"] == 8200.0
    assert doc["effective_clients"] == 1.22
    assert doc["no_revenue"] is False


def test_without_the_group_the_same_revenue_is_only_a_warning(book: Book) -> None:
    book.invoice("Nordwerk GmbH", D(2025, 3, 10), "50000.00")
    book.invoice("Nordwerk Service AG", D(2025, 6, 1), "40000.00")
    book.invoice("Bäckerei Sommer", D(2025, 8, 1), "10000.00")

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # Top payer 50,000 / 100,000 = exactly 50 %: reaching the warning threshold counts.
    assert doc["top_payer"] == {"name": "Nordwerk GmbH", "share": 0.5}
    assert doc["level"] == "warning"
    # T − O = 50,000 − 50,000 = 0 → one cent more; T/5 − O = 10,000 − 50,000 < 0 → nothing.
    assert doc["extra_revenue_needed"] == {"below_half": 0.01, "below_five_sixths": 0.0}
    # HHI = 50² + 40² + 10² = 2,500 + 1,600 + 100 = 4,200; 10,000 / 4,200 = 2.38
    assert doc["hhi"] == 4200.0
    assert doc["effective_clients"] == 2.38


def test_group_totals_list_every_group_with_its_clients(book: Book) -> None:
    book.client("Nordwerk GmbH", group="Nordwerk Gruppe")
    book.client("Nordwerk Service AG", group="Nordwerk Gruppe")
    groups_service.create_group(book.db, {"name": "Leere Gruppe"})
    book.invoice("Nordwerk GmbH", D(2025, 3, 10), "1200.50")
    book.invoice("Nordwerk Service AG", D(2025, 6, 1), "-200.25")
    book.invoice("Nordwerk Service AG", D(2024, 6, 1), "999.99")  # outside the year

    rows = dependency_service.group_rows(book.db, YEAR_2025)

    assert [(row.name, row.clients, row.net) for row in rows] == [
        ("Leere Gruppe", (), Decimal("0.00")),
        # 1,200.50 − 200.25 = 1,000.25
        ("Nordwerk Gruppe", ("Nordwerk GmbH", "Nordwerk Service AG"), Decimal("1000.25")),
    ]


# --- thresholds -------------------------------------------------------------------------------


def test_a_share_of_exactly_five_sixths_is_critical(book: Book) -> None:
    book.invoice("Alpha", D(2025, 2, 1), "5000.00")
    book.invoice("Beta", D(2025, 2, 1), "1000.00")

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # 5,000 / 6,000 = 5/6 exactly.
    assert doc["level"] == "critical"
    # T/5 − O = 1,000 − 1,000 = 0: at the threshold, so one cent more is needed;
    # T − O = 4,000 → 4,000.01.
    assert doc["extra_revenue_needed"] == {"below_half": 4000.01, "below_five_sixths": 0.01}
    # HHI = (250/3)² + (50/3)² = 65,000 / 9 = 7,222.22; effective = 9 / 6.5 = 1.38
    assert doc["hhi"] == 7222.22
    assert doc["effective_clients"] == 1.38


def test_one_cent_less_than_five_sixths_is_a_warning() -> None:
    clients = {1: ClientInfo(1, "Alpha"), 2: ClientInfo(2, "Beta")}
    # 499,999 / 599,999 < 5/6 because 5/6 · 599,999 = 499,999.17
    result = analyse({1: 499_999, 2: 100_000}, clients, Thresholds())
    assert result.level is Level.WARNING
    assert result.top is not None and result.top.share == Fraction(499_999, 599_999)
    assert result.extra_below_critical_cents == 0


def test_thresholds_come_from_the_settings(book: Book) -> None:
    book.invoice("Alpha", D(2025, 2, 1), "9000.00")
    book.invoice("Beta", D(2025, 2, 1), "1000.00")
    settings_service.save(book.db, warning_share=Fraction(3, 5), critical_share=Fraction(9, 10))

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # 9,000 / 10,000 = 9/10 exactly reaches the changed critical threshold.
    assert doc["level"] == "critical"
    assert doc["thresholds"] == {"warning": 0.6, "critical": 0.9}
    # Under 9/10 needs more than T·(1 − c)/c − O = 9,000 · (1/10) / (9/10) − 1,000 = 0;
    # under 3/5 more than 9,000 · (2/5) / (3/5) − 1,000 = 5,000.
    assert doc["extra_revenue_needed"] == {"below_half": 5000.01, "below_five_sixths": 0.01}


@pytest.mark.parametrize(
    ("share", "level"),
    [
        (Fraction(0), Level.OK),
        (Fraction(49_999, 100_000), Level.OK),
        (Fraction(1, 2), Level.WARNING),
        (Fraction(83_333, 100_000), Level.WARNING),
        (Fraction(5, 6), Level.CRITICAL),
        (Fraction(1), Level.CRITICAL),
    ],
)
def test_level_boundaries(share: Fraction, level: Level) -> None:
    assert level_for(share, Thresholds()) is level


# --- single client, no revenue, credit notes -----------------------------------------------


def test_one_client_only(book: Book) -> None:
    book.invoice("Einzig GmbH", D(2025, 5, 5), "1234.56")

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    assert doc["top_payer"] == {"name": "Einzig GmbH", "share": 1.0}
    assert doc["level"] == "critical"
    assert doc["hhi"] == 10000.0
    assert doc["effective_clients"] == 1.0
    # T/5 = 246.912 → the smallest whole cent above is 246.92;
    # check: 1,234.56 / 1,481.48 < 5/6, but 1,234.56 / 1,481.47 ≥ 5/6.
    # T − O = 1,234.56 → 1,234.57.
    assert doc["extra_revenue_needed"] == {"below_half": 1234.57, "below_five_sixths": 246.92}


def test_no_revenue_has_no_level(book: Book) -> None:
    """Without revenue there is no share to judge: the level is "none", not "ok"."""
    book.client("Still ohne Umsatz")

    doc = status(book.db, D(2025, 12, 31))

    assert doc["no_revenue"] is True
    assert doc["level"] == "none"
    assert doc["previous_period"]["level"] == "none"
    assert doc["payers"] == []
    assert doc["top_payer"] is None
    assert doc["hhi"] is None
    assert doc["effective_clients"] is None
    assert doc["extra_revenue_needed"] == {"below_half": 0.0, "below_five_sixths": 0.0}
    assert doc["months_at_or_above_five_sixths"] == 0
    assert len(doc["top_share_by_month"]) == 24
    assert all(point["share"] is None for point in doc["top_share_by_month"])


def test_only_credit_notes_count_as_no_revenue(book: Book) -> None:
    book.invoice("Alpha", D(2024, 12, 1), "1000.00")
    book.invoice("Alpha", D(2025, 1, 15), "-300.00")

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # The year holds only the credit note: −300, no positive revenue to share.
    assert doc["no_revenue"] is True
    assert doc["level"] == "none"
    assert doc["top_payer"] is None
    assert doc["total_net"] == -300.0


def test_credit_notes_reduce_revenue(book: Book) -> None:
    book.invoice("Alpha", D(2025, 3, 1), "3000.00")
    book.invoice("Alpha", D(2025, 4, 1), "-600.00")  # credit note
    book.invoice("Beta", D(2025, 5, 1), "1600.00")

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # Alpha 3,000 − 600 = 2,400 of 4,000 = 60 % (without the credit note it would be 65.2 %).
    assert doc["payers"][0]["net"] == 2400.0
    assert doc["top_payer"] == {"name": "Alpha", "share": 0.6}
    assert doc["level"] == "warning"
    # T − O = 2,400 − 1,600 = 800 → 800.01; T/5 − O = 480 − 1,600 < 0 → 0.
    assert doc["extra_revenue_needed"] == {"below_half": 800.01, "below_five_sixths": 0.0}
    # HHI = 60² + 40² = 5,200; effective = 1.923…
    assert doc["hhi"] == 5200.0
    assert doc["effective_clients"] == 1.92


def test_a_payer_with_a_net_credit_stays_out_of_the_hhi() -> None:
    clients = {1: ClientInfo(1, "Alpha"), 2: ClientInfo(2, "Beta"), 3: ClientInfo(3, "Gamma")}
    # Alpha 750, Beta 250, Gamma −100 (credit note for last year's work): total 900, but the
    # shares are taken of the positive payer nets 750 + 250 = 1,000.
    result = analyse({1: 75_000, 2: 25_000, 3: -10_000}, clients, Thresholds())
    assert result.total_cents == 90_000
    assert [(p.name, p.share) for p in result.payers] == [
        ("Alpha", Fraction(3, 4)),
        ("Beta", Fraction(1, 4)),
        ("Gamma", Fraction(0)),
    ]
    assert result.payers[2].note is not None and result.payers[0].note is None
    assert result.level is Level.WARNING  # 3/4 < 5/6 (over the total 900 it would be 5/6)
    # O = 1,000 − 750 = 250: below 5/6 needs more than T/5 − O = 150 − 250 < 0 → nothing;
    # below 50 % more than T − O = 500 → 500.01.
    assert (result.extra_below_critical_cents, result.extra_below_warning_cents) == (0, 50_001)
    # HHI over the positive payers only: 75² + 25² = 5,625 + 625 = 6,250
    assert result.hhi == 6250
    assert result.effective_clients == Fraction(8, 5)


def test_a_credit_note_only_payer_has_share_zero_and_a_note(book: Book) -> None:
    book.invoice("Alpha", D(2025, 3, 1), "4000.00")
    book.invoice("Beta", D(2025, 4, 1), "1000.00")
    book.invoice("Gamma", D(2025, 5, 1), "-1000.00")  # only a credit note in 2025

    doc = status(book.db, D(2025, 12, 31), period=YEAR_2025)

    # Total 4,000 + 1,000 − 1,000 = 4,000; shares of the positive nets 5,000: 80 %, 20 %, 0.
    # (Over the total they would be 100 %, 25 % and −25 %.)
    assert doc["total_net"] == 4000.0
    assert [(p["name"], p["net"], p["share"]) for p in doc["payers"]] == [
        ("Alpha", 4000.0, 0.8),
        ("Beta", 1000.0, 0.2),
        ("Gamma", -1000.0, 0.0),
    ]
    assert doc["payers"][2]["note"] == (
        "Credit notes equal or outweigh the invoices in this period, so the share is 0."
    )
    assert [c["share"] for c in doc["clients"]] == [0.8, 0.2, 0.0]
    assert doc["top_payer"] == {"name": "Alpha", "share": 0.8}
    assert doc["level"] == "warning"
    # HHI = 80² + 20² = 6,800; below 50 % needs more than T − O = 4,000 − 1,000 = 3,000.
    assert doc["hhi"] == 6800.0
    assert doc["extra_revenue_needed"] == {"below_half": 3000.01, "below_five_sixths": 0.0}


@given(
    nets=st.dictionaries(
        st.integers(min_value=1, max_value=8),
        st.integers(min_value=-(10**9), max_value=10**9),
        max_size=8,
    ),
    groups=st.lists(st.sampled_from([None, 1, 2]), min_size=8, max_size=8),
)
def test_every_share_lies_between_0_and_1(nets: dict[int, int], groups: list[int | None]) -> None:
    clients = {
        cid: ClientInfo(cid, f"C{cid}", groups[cid - 1], None if groups[cid - 1] is None else "G")
        for cid in range(1, 9)
    }
    result = analyse(nets, clients, Thresholds(), previous_by_client=nets)
    shares = [row.share for row in (*result.clients, *result.payers)]
    assert all(0 <= share <= 1 for share in shares)
    positive = [payer.share for payer in result.payers if payer.net_cents > 0]
    assert sum(positive) == (1 if positive else 0)
    assert all(payer.previous_net_cents == payer.net_cents for payer in result.payers)
    if result.hhi is not None:
        assert 0 < result.hhi <= 10_000


# --- basis and periods -------------------------------------------------------------------------


def _basis_book(book: Book) -> None:
    book.invoice("Alpha", D(2025, 12, 20), "10000.00", paid=D(2026, 1, 10))
    book.invoice("Beta", D(2026, 1, 5), "2000.00", paid=D(2026, 1, 20))
    book.invoice("Alpha", D(2026, 2, 1), "5000.00")  # not paid yet


def test_payment_basis_differs_from_invoice_basis(book: Book) -> None:
    _basis_book(book)
    q1 = quarter(2026, 1)

    by_invoice = status(book.db, D(2026, 3, 31), period=q1)
    by_payment = status(book.db, D(2026, 3, 31), period=q1, basis="paid")

    # Invoiced in Q1: Alpha 5,000, Beta 2,000 → Alpha 5/7 = 71.4 % → warning.
    assert by_invoice["basis"] == "invoice"
    assert by_invoice["top_payer"] == {"name": "Alpha", "share": 5 / 7}
    assert by_invoice["level"] == "warning"
    # T − O = 3,000 → 3,000.01; T/5 − O = 1,000 − 2,000 < 0 → 0.
    assert by_invoice["extra_revenue_needed"] == {"below_half": 3000.01, "below_five_sixths": 0.0}
    # HHI = (500/7)² + (200/7)² = 290,000 / 49 = 5,918.37; effective = 49/29 = 1.69
    assert by_invoice["hhi"] == 5918.37
    assert by_invoice["effective_clients"] == 1.69
    # Paid in Q1: Alpha 10,000 (December's invoice), Beta 2,000 → 10/12 = 5/6 → critical.
    assert by_payment["basis"] == "paid"
    assert by_payment["payers"][0] == {
        "name": "Alpha",
        "net": 10000.0,
        "share": 10 / 12,
        "clients": ["Alpha"],
        "group": False,
        "previous_net": 0.0,  # Q4 2025 by payment: nothing paid
        "note": None,
    }
    assert by_payment["level"] == "critical"
    assert by_payment["extra_revenue_needed"]["below_five_sixths"] == 0.01


def test_basis_setting_is_the_default(book: Book) -> None:
    _basis_book(book)
    settings_service.save(book.db, basis="paid")
    doc = status(book.db, D(2026, 3, 31), period=quarter(2026, 1))
    assert doc["basis"] == "paid"
    assert doc["level"] == "critical"


END_OF_2025 = D(2025, 12, 31)


def test_year_boundary(book: Book) -> None:
    book.invoice("Alpha", D(2024, 12, 31), "6000.00")
    book.invoice("Beta", D(2025, 1, 1), "1000.00")
    book.invoice("Alpha", D(2025, 12, 31), "500.00")

    def top(period: object, as_of: dt.date = END_OF_2025) -> tuple[str, float, str]:
        doc = status(book.db, as_of, period=period)
        return doc["top_payer"]["name"], doc["top_payer"]["share"], doc["level"]

    # 2024 holds only Alpha's 31 December invoice.
    assert top(calendar_year(2024)) == ("Alpha", 1.0, "critical")
    # 2025: Beta 1,000 and Alpha 500 → Beta 2/3.
    assert top(calendar_year(2025)) == ("Beta", 2 / 3, "warning")
    assert top(quarter(2024, 4)) == ("Alpha", 1.0, "critical")
    assert top(quarter(2025, 1)) == ("Beta", 1.0, "critical")
    # The 12 months ending 30 Dec 2025 start on 31 Dec 2024: Alpha 6,000, Beta 1,000 → 6/7.
    assert top(rolling_12_months(D(2025, 12, 30)), D(2025, 12, 30)) == ("Alpha", 6 / 7, "critical")
    # Those ending 31 Dec 2025 start on 1 Jan 2025: Beta 1,000, Alpha 500 → 2/3.
    assert top(None, D(2025, 12, 31)) == ("Beta", 2 / 3, "warning")
    # A custom period of the two days around New Year: 6,000 and 1,000 again.
    assert top(custom(D(2024, 12, 31), D(2025, 1, 1))) == ("Alpha", 6 / 7, "critical")


# --- months in a row and the trend -----------------------------------------------------------


def _streak_book(book: Book) -> None:
    book.invoice("Beta", D(2024, 6, 15), "1000.00")
    for month in range(1, 13):
        book.invoice("Alpha", D(2025, month, 10), "1000.00")


@pytest.mark.parametrize(
    ("as_of", "months"),
    [
        # Rolling 12 months at each month end of 2025: Jan Alpha 1,000 / Beta 1,000 = 1/2;
        # Feb 2/3; Mar 3/4; Apr 4/5; May 5/6 exactly (counts); Jun–Dec Beta's June 2024 invoice
        # has left the window → 100 %. From December back: Dec…Jun (7) + May = 8, April stops it.
        (D(2025, 12, 31), 8),
        # Mid-December looks back from 30 November: 7.
        (D(2025, 12, 15), 7),
        (D(2025, 5, 31), 1),
        (D(2025, 4, 30), 0),
        # Beta alone from June to December 2024: 7 month ends; May 2024 had no revenue.
        (D(2024, 12, 31), 7),
    ],
)
def test_months_in_a_row_at_or_above_five_sixths(book: Book, as_of: dt.date, months: int) -> None:
    _streak_book(book)
    doc = status(book.db, as_of)
    assert doc["months_at_or_above_five_sixths"] == months


def test_months_in_a_row_end_with_the_period(book: Book) -> None:
    _streak_book(book)
    # Year 2024 seen from 2026: the count looks back from 31 Dec 2024.
    doc = status(book.db, D(2026, 6, 1), period=calendar_year(2024))
    assert doc["months_at_or_above_five_sixths"] == 7


def test_trend_of_the_top_share_over_24_month_ends(book: Book) -> None:
    _streak_book(book)
    trend = status(book.db, D(2025, 12, 31))["top_share_by_month"]

    assert len(trend) == 24
    assert trend[0]["month_end"] == "2024-01-31"
    assert trend[-1]["month_end"] == "2025-12-31"
    assert [p["share"] for p in trend[:5]] == [None] * 5  # January to May 2024: no revenue
    assert [p["share"] for p in trend[5:12]] == [1.0] * 7  # Beta alone, June to Dec 2024
    assert trend[5]["payer"] == "Beta"
    # January 2025: a tie at 1,000 each goes to the first name.
    assert trend[12] == {"month_end": "2025-01-31", "share": 0.5, "payer": "Alpha"}
    assert [p["share"] for p in trend[13:17]] == [2 / 3, 3 / 4, 4 / 5, 5 / 6]
    assert [p["share"] for p in trend[17:]] == [1.0] * 7


def test_trend_counts_a_group_as_one_payer(book: Book) -> None:
    book.client("Alpha", group="Alpha Holding")
    book.client("Beta", group="Alpha Holding")
    _streak_book(book)
    doc = status(book.db, D(2025, 12, 31))
    # Alpha and Beta are one payer, so every month end since June 2024 is at 100 %: 19.
    assert doc["months_at_or_above_five_sixths"] == 19
    assert {p["payer"] for p in doc["top_share_by_month"][5:]} == {"Alpha Holding"}


# --- what-if figures and HHI as functions ------------------------------------------------------


def test_the_example_of_the_issue_to_the_cent() -> None:
    # T = 20,000.00, O = 850.00: T/5 − O = 4,000 − 850 = 3,150.00 → 3,150.01 is the first
    # amount that brings the share strictly under 5/6.
    assert extra_revenue_needed(2_000_000, 85_000, Fraction(5, 6)) == 315_001
    # T − O = 19,150.00 → 19,150.01
    assert extra_revenue_needed(2_000_000, 85_000, Fraction(1, 2)) == 1_915_001
    # A bound that is not a whole cent: T = 0.07 → T/5 = 1.4 cents → 2 cents.
    assert extra_revenue_needed(7, 0, Fraction(5, 6)) == 2


@given(
    top=st.integers(min_value=1, max_value=10**11),
    others=st.integers(min_value=0, max_value=10**11),
    threshold=st.sampled_from([Fraction(1, 2), Fraction(5, 6), Fraction(2, 3), Fraction(9, 10)]),
)
def test_extra_revenue_is_the_smallest_amount_that_gets_below(
    top: int, others: int, threshold: Fraction
) -> None:
    extra = extra_revenue_needed(top, others, threshold)
    assert Fraction(top, top + others + extra) < threshold
    if extra:
        assert Fraction(top, top + others + extra - 1) >= threshold


def test_hhi_of_four_equal_payers_is_2500() -> None:
    assert hhi([100, 100, 100, 100]) == 2500
    assert hhi([]) is None
    assert hhi([-5, 0]) is None


# --- the self-check list -----------------------------------------------------------------------


def test_self_check_ticks_are_stored_and_appear_in_the_status(db: Database) -> None:
    assert self_check_service.ticked(db) == frozenset()
    self_check_service.change(db, tick=["instructions", "no_other_clients", "fixed_hours"])
    self_check_service.change(db, untick=["fixed_hours"])

    assert self_check_service.ticked(db) == {"instructions", "no_other_clients"}
    doc = status(db, D(2025, 12, 31))
    assert doc["self_check"] == {"ticked": ["instructions", "no_other_clients"], "indicators": 6}
    assert [item.key for item in INDICATORS] == [
        "instructions",
        "fixed_hours",
        "client_premises",
        "integrated",
        "no_business_risk",
        "no_other_clients",
    ]


def test_an_unknown_indicator_changes_nothing(db: Database) -> None:
    with pytest.raises(InputError, match="'bogus' is not one of"):
        self_check_service.change(db, tick=["integrated", "bogus"])
    assert self_check_service.ticked(db) == frozenset()


def test_a_damaged_stored_self_check_counts_as_nothing_ticked(db: Database) -> None:
    from freelancer_desk.models import Setting

    with db.session() as session:
        session.merge(Setting(key=self_check_service.SETTING_KEY, value='{"not": "a list"'))
    assert self_check_service.ticked(db) == frozenset()
    assert self_check_service.change(db, tick=["integrated"]) == {"integrated"}


def test_group_names_are_unique_ignoring_case(db: Database) -> None:
    group = groups_service.create_group(db, {"name": "Süd Holding"})
    with pytest.raises(InputError, match="exists already"):
        groups_service.create_group(db, {"name": "SÜD holding"})
    other = groups_service.create_group(db, {"name": "Nord"})
    with pytest.raises(InputError, match="exists already"):
        groups_service.update_group(db, other.id, {"name": "süd holding"})
    # Changing only the case of its own name is fine.
    assert groups_service.update_group(db, group.id, {"name": "SÜD Holding"}).name == "SÜD Holding"


def test_assigning_clients_to_groups(book: Book) -> None:
    alpha = book.client("Alpha")
    group = groups_service.create_group(book.db, {"name": "Holding"})
    groups_service.assign_client(book.db, alpha, group.id)
    assert clients_service.get_client(book.db, alpha).group_id == group.id
    groups_service.assign_client(book.db, alpha, None)
    assert clients_service.get_client(book.db, alpha).group_id is None
    with pytest.raises(NotFoundError):
        groups_service.assign_client(book.db, alpha, group.id + 99)
    with pytest.raises(NotFoundError):
        groups_service.assign_client(book.db, alpha + 99, group.id)
    # Deleting a group keeps its clients, without a group.
    groups_service.assign_client(book.db, alpha, group.id)
    groups_service.delete_group(book.db, group.id)
    assert clients_service.get_client(book.db, alpha).group_id is None
