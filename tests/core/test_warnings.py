"""Warning signs: each sign with a client that must be flagged and one that must not.

The day asked about is 30 June 2025, so the recent window is January–June 2025 (exactly six
months) and the usual window is January–December 2024 (twelve months). Expected figures are
worked out by hand in each test.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from freelancer_desk.analytics.warnings import ClientHistory, MonthFigures, signals
from freelancer_desk.db import Database
from freelancer_desk.i18n import set_language
from freelancer_desk.models import ClientStatus
from freelancer_desk.services import clients, interactions, revenue
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.warning_signs import signals_by_client
from freelancer_desk.settings import DeskSettings

AS_OF = dt.date(2025, 6, 30)
YEAR_2024 = [dt.date(2024, month, 10) for month in range(1, 13)]
H1_2025 = [dt.date(2025, month, 10) for month in range(1, 7)]


def client(db: Database, name: str, **fields: object) -> int:
    return clients.create_client(db, {"name": name, **fields}).id


def invoices(
    db: Database,
    client_id: int,
    days: list[dt.date],
    net: str = "1000.00",
    paid_after_days: int | None = None,
    due_days: int | None = None,
) -> None:
    """One invoice per day; paid ``paid_after_days`` after the invoice date when given."""
    for day in days:
        revenue.create_entry(
            db,
            {
                "client_id": client_id,
                "invoice_date": day,
                "net": net,
                "due_date": None if due_days is None else day + dt.timedelta(days=due_days),
                "paid_date": None
                if paid_after_days is None
                else day + dt.timedelta(days=paid_after_days),
            },
        )


def log(db: Database, client_id: int, kind: str, days: list[dt.date]) -> None:
    for day in days:
        interactions.create_interaction(db, {"client_id": client_id, "date": day, "kind": kind})


def signs(db: Database, client_id: int) -> dict[str, str]:
    """Sign name → explanation of one client on AS_OF."""
    return {s.name: s.explanation() for s in signals_by_client(db, AS_OF).get(client_id, [])}


# ---- no history, steady history ------------------------------------------------------------------


def test_single_invoice_client_gets_no_sign(db: Database) -> None:
    once = client(db, "Einmalkunde")
    invoices(db, once, [dt.date(2024, 1, 10)], paid_after_days=60)
    # Twelve usual months, but one order (fewer than three): orders are not judged, and one
    # late payment long ago is no trend.
    assert signs(db, once) == {}


def test_steady_client_gets_no_sign(db: Database) -> None:
    steady = client(db, "Stetig GmbH")
    invoices(db, steady, YEAR_2024 + H1_2025, paid_after_days=14)
    log(db, steady, "complaint", [dt.date(2024, 3, 1), dt.date(2024, 9, 1), dt.date(2025, 3, 1)])
    assert signs(db, steady) == {}


def test_young_client_has_too_little_history(db: Database) -> None:
    young = client(db, "Neu AG")
    invoices(db, young, [dt.date(2024, 10, 10), dt.date(2024, 11, 10), dt.date(2024, 12, 10)])
    log(db, young, "complaint", [dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)])
    # History from October 2024: three usual months, fewer than the six recent ones.
    assert signs(db, young) == {}


# ---- fewer orders --------------------------------------------------------------------------------


def test_fewer_orders(db: Database) -> None:
    drifting = client(db, "Weniger KG")
    invoices(db, drifting, [*YEAR_2024, dt.date(2025, 3, 10)])
    # 12 orders in 12 months = 1.0 a month; 1 in 6 months = 0.17 ≤ 0.5 × 1.0.
    assert signs(db, drifting) == {"fewer_orders": "Orders fell from 1.0 to 0.2 a month."}
    half = client(db, "Halb so oft")
    invoices(db, half, YEAR_2024 + H1_2025[::2])
    # 3 in 6 months = 0.5: exactly half the usual counts as fewer.
    assert set(signs(db, half)) == {"fewer_orders"}
    nearly = client(db, "Fast so oft")
    invoices(db, nearly, YEAR_2024 + H1_2025[:4])
    # 4 in 6 months = 0.67 > 0.5: no sign.
    assert signs(db, nearly) == {}


def test_young_month_does_not_look_like_a_drop(db: Database) -> None:
    settings_service.save(db, warning_recent_months=2)
    monthly = client(db, "Monatlich")
    invoices(db, monthly, YEAR_2024 + H1_2025[:5])  # no June invoice yet on 3 June
    # Recent window 1 May – 3 June = 1 + 3/30 months with 1 order: 0.91 a month against 1.0.
    # Counting June as a whole month would give 0.5 and a false sign.
    assert signals_by_client(db, dt.date(2025, 6, 3)) == {}
    assert set(signs(db, monthly)) == {"fewer_orders"}  # on 30 June: 1 order in 2 months


# ---- smaller orders ------------------------------------------------------------------------------


def test_smaller_orders(db: Database) -> None:
    smaller = client(db, "Kleiner GmbH")
    invoices(db, smaller, YEAR_2024, net="1200.00")
    invoices(db, smaller, H1_2025, net="400.00")
    # 400 ≤ 2/3 × 1,200 = 800.
    assert signs(db, smaller) == {
        "smaller_orders": "The average order fell from €1,200.00 to €400.00."
    }
    similar = client(db, "Ähnlich GmbH")
    invoices(db, similar, YEAR_2024, net="1200.00")
    invoices(db, similar, H1_2025, net="900.00")
    assert signs(db, similar) == {}


def test_a_single_small_recent_order(db: Database) -> None:
    tiny = client(db, "Nur noch klein")
    invoices(db, tiny, YEAR_2024, net="1200.00")
    invoices(db, tiny, [dt.date(2025, 5, 10)], net="400.00")
    # One order in the recent six months, 400 ≤ 1/3 × 1,200 = 400 (exactly a third counts);
    # the average rule needs two recent orders, this one does not.
    assert signs(db, tiny)["smaller_orders"] == (
        "The only order since 1 Jan 2025 came to €400.00; an order is usually €1,200.00."
    )
    bit_more = client(db, "Etwas mehr")
    invoices(db, bit_more, YEAR_2024, net="1200.00")
    invoices(db, bit_more, [dt.date(2025, 5, 10)], net="401.00")
    assert "smaller_orders" not in signs(db, bit_more)  # 401 > 400: fewer, not smaller
    assert set(signs(db, bit_more)) == {"fewer_orders"}
    settings_service.save(db, warning_single_order=Fraction(1, 2))
    assert "smaller_orders" in signs(db, bit_more)  # 401 ≤ 600


def test_credit_notes_are_not_orders(db: Database) -> None:
    credited = client(db, "Gutschrift AG")
    invoices(db, credited, YEAR_2024 + H1_2025)
    invoices(db, credited, H1_2025, net="-100.00")
    assert signs(db, credited) == {}


# ---- late payments -------------------------------------------------------------------------------


def test_payments_later_than_usual(db: Database) -> None:
    late = client(db, "Spätzahler GmbH")
    invoices(db, late, YEAR_2024, paid_after_days=14)  # default term 14: on time, delay 0
    invoices(db, late, H1_2025, paid_after_days=34)  # 20 days after the due date
    assert signs(db, late) == {
        "late_payments": "Payments came 20 days after the due date on average, usually 0."
    }
    slightly = client(db, "Etwas später")
    invoices(db, slightly, YEAR_2024, paid_after_days=14)
    invoices(db, slightly, H1_2025, paid_after_days=24)  # 10 days late < 14
    assert signs(db, slightly) == {}


def test_usual_delay_is_the_clients_own(db: Database) -> None:
    always_late = client(db, "Immer spät")
    invoices(db, always_late, YEAR_2024 + H1_2025, due_days=10, paid_after_days=40)
    # 30 days late every time: late against the due date, but not later than usual.
    assert signs(db, always_late) == {}


def test_client_payment_term_replaces_the_default(db: Database) -> None:
    thirty = client(db, "Dreißig Tage", payment_term_days=30)
    invoices(db, thirty, YEAR_2024 + H1_2025, paid_after_days=30)
    assert signs(db, thirty) == {}
    settings_service.save(db, default_payment_term_days=7)
    default = client(db, "Standard")
    invoices(db, default, YEAR_2024, paid_after_days=7)
    invoices(db, default, H1_2025, paid_after_days=30)  # 23 days after a 7-day term
    assert set(signs(db, default)) == {"late_payments"}


def test_overdue_unpaid_invoice(db: Database) -> None:
    overdue = client(db, "Offen GmbH")
    invoices(db, overdue, YEAR_2024 + H1_2025[:4], paid_after_days=14)
    invoices(db, overdue, [dt.date(2025, 5, 1)], net="1500.00", due_days=14)  # due 15 May
    invoices(db, overdue, [dt.date(2025, 6, 10)], net="800.00", due_days=14)  # due 24 Jun: not yet
    # 30 June − 15 May = 46 days past due, more than 14.
    assert signs(db, overdue) == {
        "late_payments": "Overdue unpaid invoices: 1 (€1,500.00), the oldest 46 days past due."
    }


def test_an_overdue_invoice_is_a_sign_whatever_the_history(db: Database) -> None:
    young = client(db, "Neu und säumig")
    invoices(db, young, [dt.date(2025, 3, 10)], paid_after_days=10)
    invoices(db, young, [dt.date(2025, 5, 1)], net="1500.00", due_days=14)  # due 15 May
    # History from March: far too short to compare, but 30 June − 15 May = 46 days past due.
    assert signs(db, young) == {
        "late_payments": "Overdue unpaid invoices: 1 (€1,500.00), the oldest 46 days past due."
    }
    not_yet = client(db, "Neu, noch nicht fällig")
    invoices(db, not_yet, [dt.date(2025, 3, 10)], paid_after_days=10)
    invoices(db, not_yet, [dt.date(2025, 6, 6)], net="1500.00", due_days=14)  # 10 days past due
    assert signs(db, not_yet) == {}
    steady = client(db, "Stetig GmbH")
    invoices(db, steady, YEAR_2024 + H1_2025, paid_after_days=14)
    assert signs(db, steady) == {}


def test_unpaid_invoices_do_not_count_when_no_payment_is_ever_recorded(db: Database) -> None:
    untracked = client(db, "Ohne Zahlungsdaten")
    invoices(db, untracked, YEAR_2024 + H1_2025, due_days=14)
    assert signs(db, untracked) == {}


def test_a_new_client_who_never_pays_is_overdue_once_payments_are_recorded(db: Database) -> None:
    """Whether payments are recorded is read from the whole file: a client who has never paid
    is exactly the one to notice."""
    payer = client(db, "Zahlt pünktlich")
    invoices(db, payer, [dt.date(2025, 3, 10)], paid_after_days=10)
    never = client(db, "Zahlt nie GmbH")
    invoices(db, never, [dt.date(2025, 4, 1), dt.date(2025, 5, 1)], net="700.00", due_days=14)
    # Due 15 Apr and 15 May: 1,400.00, 30 June − 15 April = 76 days past due.
    assert signs(db, never) == {
        "late_payments": "Overdue unpaid invoices: 2 (€1,400.00), the oldest 76 days past due."
    }
    # The Revenue page marks the same invoices: past due, unpaid.
    rows = revenue.list_entries(db, client_id=never)
    assert [row.due_by for row in rows] == [dt.date(2025, 5, 15), dt.date(2025, 4, 15)]
    assert [row.days_overdue(AS_OF) for row in rows] == [46, 76]


def test_an_invoice_paid_after_the_day_was_overdue_on_it(db: Database) -> None:
    """Due 15 Dec 2025, paid 15 Jan 2026, seen from 10 Jan 2026: 26 days overdue, though the
    client never paid before."""
    payer = client(db, "Zahlt pünktlich")
    invoices(db, payer, [dt.date(2025, 9, 1)], paid_after_days=10)
    late = client(db, "Neu und spät")
    revenue.create_entry(
        db,
        {
            "client_id": late,
            "invoice_date": dt.date(2025, 12, 1),
            "due_date": dt.date(2025, 12, 15),
            "paid_date": dt.date(2026, 1, 15),
            "net": "2000.00",
        },
    )
    seen = {s.name: s.explanation() for s in signals_by_client(db, dt.date(2026, 1, 10))[late]}
    assert seen == {
        "late_payments": "Overdue unpaid invoices: 1 (€2,000.00), the oldest 26 days past due."
    }
    assert late not in signals_by_client(db, dt.date(2026, 1, 20))  # paid by then


def test_payments_recorded_only_after_the_day_do_not_count_on_it(db: Database) -> None:
    """A file whose first paid date lies after the day had no recorded payments on it: a
    closed period reads the same after the user starts recording payments."""
    starter = client(db, "Erst später erfasst")
    invoices(db, starter, [dt.date(2025, 4, 1), dt.date(2025, 5, 1)], due_days=14)
    invoices(db, starter, [dt.date(2025, 6, 1)], paid_after_days=40)  # paid 11 Jul
    assert signs(db, starter) == {}
    assert "late_payments" in {s.name for s in signals_by_client(db, dt.date(2025, 7, 31))[starter]}


# ---- complaints, unreachable, chasing ------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, sign, expected",
    [
        (
            "complaint",
            "more_complaints",
            "Complaints rose from 0.1 to 0.5 a month (3 since 1 Jan 2025).",
        ),
        (
            "unreachable",
            "unreachable",
            "Unreachable 3 times since 1 Jan 2025: 0.5 a month, usually 0.1.",
        ),
        (
            "chasing",
            "chasing_orders",
            "Had to chase orders 3 times since 1 Jan 2025: 0.5 a month, usually 0.1.",
        ),
    ],
)
def test_interaction_signs(db: Database, kind: str, sign: str, expected: str) -> None:
    rising = client(db, "Mehr Ärger")
    invoices(db, rising, YEAR_2024 + H1_2025)
    # Usual: 1 in 12 months = 0.08 a month; recent: 3 in 6 = 0.5 ≥ 2 × 0.08.
    log(
        db,
        rising,
        kind,
        [dt.date(2024, 5, 1), dt.date(2025, 2, 1), dt.date(2025, 4, 1), dt.date(2025, 6, 1)],
    )
    assert signs(db, rising) == {sign: expected}
    usual = client(db, "Immer so")
    invoices(db, usual, YEAR_2024 + H1_2025)
    # Usual: 6 in 12 = 0.5 a month; recent 3 in 6 = 0.5 < 2 × 0.5.
    log(db, usual, kind, YEAR_2024[::2] + H1_2025[::2])
    assert signs(db, usual) == {}
    once = client(db, "Einmal")
    invoices(db, once, YEAR_2024 + H1_2025)
    log(db, once, kind, [dt.date(2025, 6, 1)])  # one is fewer than the two needed
    assert signs(db, once) == {}


def test_a_sign_names_the_first_day_of_the_months_its_rate_counts(db: Database) -> None:
    """On 2 Dec 2026 the recent window runs from 1 Jul 2026: 5 + 2/31 months. The text names
    that day, and its rate is over those days: 6 / (5 + 2/31) = 1.18 a month, not 6 / 6."""
    as_of = dt.date(2026, 12, 2)
    unreachable = client(db, "Schwer erreichbar")
    invoices(db, unreachable, [dt.date(2025, month, 10) for month in range(1, 13)])
    log(db, unreachable, "unreachable", [dt.date(2026, month, 1) for month in range(7, 13)])
    found = signals_by_client(db, as_of)[unreachable]
    (sign,) = [sign for sign in found if sign.name == "unreachable"]
    # none in the months before: "never before", not "usually 0.0 (times)"
    assert (
        sign.explanation("en") == "Unreachable 6 times since 1 Jul 2026: 1.2 a month, never before."
    )
    assert sign.explanation("de") == (
        "6-mal seit dem 01.07.2026 nicht erreichbar (1,2-mal pro Monat, sonst nie)."
    )


# ---- settings, language, status in the Clients table ---------------------------------------------


def test_thresholds_are_settings(db: Database) -> None:
    drifting = client(db, "Schwankend")
    invoices(db, drifting, YEAR_2024 + H1_2025[:4])  # 0.67 a month against 1.0
    assert signs(db, drifting) == {}
    settings_service.save(db, warning_fewer_orders=Fraction(3, 4))
    assert set(signs(db, drifting)) == {"fewer_orders"}  # threshold now 3/4


def test_explanations_speak_german(db: Database) -> None:
    smaller = client(db, "Kleiner GmbH")
    invoices(db, smaller, YEAR_2024, net="1200.00")
    invoices(db, smaller, H1_2025[:1], net="400.00")
    invoices(db, smaller, H1_2025[1:2], net="300.00")
    set_language("de")
    found = signs(db, smaller)
    assert found["fewer_orders"] == "Die Aufträge sanken von 1,0 auf 0,3 pro Monat."
    assert (
        found["smaller_orders"]
        == "Der durchschnittliche Auftrag sank von 1.200,00\xa0€ auf 350,00\xa0€."
    )


def test_signs_make_the_client_at_risk_in_the_clients_table(db: Database) -> None:
    drifting = client(db, "Weniger KG")
    invoices(db, drifting, [*YEAR_2024, dt.date(2025, 5, 10)])
    steady = client(db, "Stetig GmbH")
    invoices(db, steady, YEAR_2024 + H1_2025)
    status = {row.name: row.status for row in clients.client_rows(db, AS_OF)}
    assert status == {"Stetig GmbH": ClientStatus.ACTIVE, "Weniger KG": ClientStatus.AT_RISK}


def test_pure_analytics_without_a_database() -> None:
    months = {(2024, m): MonthFigures(orders=2, order_cents=100_000) for m in range(1, 13)}
    history = ClientHistory(client_id=1, first_activity=dt.date(2024, 1, 5), months=months)
    found = signals(history, AS_OF, DeskSettings())
    assert [s.name for s in found] == ["fewer_orders"]
    assert found[0].explanation() == "Orders fell from 2.0 to 0.0 a month."
