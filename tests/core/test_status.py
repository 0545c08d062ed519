"""The typed, dated status document (DOMAIN.md §7): every figure as of a day D for a period P,
nothing dated after D, the previous period beside it, provisional while P runs.

The book below, worked out by hand (invoice basis unless a test says otherwise):

    2024   Alpha 05 May 4,000.00 · Beta 11 Nov 4,000.00                  = 8,000.00
    2025   Delta 10 Jan 1,000.00 (paid 20 Jan)
           Alpha 10 Feb 6,000.00 (paid 1 Mar)
           Beta  15 Mar 2,000.00
           Delta 02 May 3,000.00 (due 16 May, paid 20 Jul)               = 12,000.00 to 30 Jun
           Beta  10 Jul 1,000.00 · Alpha 1 Aug 9,000.00 · Gamma 1 Oct 5,000.00
                                                                          = 27,000.00 the year
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from freelancer_desk.analytics.dependency import Level
from freelancer_desk.analytics.periods import (
    calendar_year,
    compared_with,
    custom,
    previous,
    quarter,
    resolve,
    rolling_12_months,
)
from freelancer_desk.analytics.winback import winback_value
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database
from freelancer_desk.i18n import set_language
from freelancer_desk.models import Channel, ClientStatus
from freelancer_desk.money import round_cents
from freelancer_desk.services import (
    clients,
    contact,
    interactions,
    losses,
    reminders,
    revenue,
    winback,
)
from freelancer_desk.services.status import StatusRequest, build_status, to_json

D = dt.date
MID_2025 = D(2025, 6, 30)
MID_2024 = D(2024, 6, 30)
LATER = D(2026, 2, 1)  # "today" in the tests: 2025 is over


def client(db: Database, name: str, **fields: object) -> int:
    return clients.create_client(db, {"name": name, **fields}).id


def entry(db: Database, client_id: int, day: dt.date, net: str, **fields: object) -> None:
    revenue.create_entry(
        db, {"client_id": client_id, "invoice_date": day, "net": Decimal(net), **fields}
    )


@pytest.fixture
def book(db: Database) -> dict[str, int]:
    ids = {name: client(db, name) for name in ("Alpha", "Beta", "Gamma", "Delta")}
    entry(db, ids["Alpha"], D(2024, 5, 5), "4000.00")
    entry(db, ids["Beta"], D(2024, 11, 11), "4000.00")
    entry(db, ids["Delta"], D(2025, 1, 10), "1000.00", paid_date=D(2025, 1, 20))
    entry(db, ids["Alpha"], D(2025, 2, 10), "6000.00", paid_date=D(2025, 3, 1))
    entry(db, ids["Beta"], D(2025, 3, 15), "2000.00")
    entry(
        db,
        ids["Delta"],
        D(2025, 5, 2),
        "3000.00",
        due_date=D(2025, 5, 16),
        paid_date=D(2025, 7, 20),
    )
    entry(db, ids["Beta"], D(2025, 7, 10), "1000.00")
    entry(db, ids["Alpha"], D(2025, 8, 1), "9000.00")
    entry(db, ids["Gamma"], D(2025, 10, 1), "5000.00")
    return ids


# ---- the one rule for time --------------------------------------------------------------------


def test_the_day_defaults_to_the_end_of_a_closed_period_and_to_today_in_a_running_one() -> None:
    year = calendar_year(2025)
    closed = resolve(year, None, LATER)
    assert (closed.as_of, closed.provisional) == (D(2025, 12, 31), False)
    running = resolve(year, None, D(2025, 8, 14))
    assert (running.as_of, running.provisional) == (D(2025, 8, 14), True)
    # Seen from a day inside a closed period, its figures are provisional as of that day.
    assert resolve(year, MID_2025, LATER).provisional is True
    # On its last day a period is still running.
    assert resolve(year, None, D(2025, 12, 31)).provisional is True
    rolling = resolve(None, None, D(2026, 3, 15))
    assert (rolling.period, rolling.as_of) == (rolling_12_months(D(2026, 3, 15)), D(2026, 3, 15))


def test_the_previous_period_is_of_the_same_kind() -> None:
    assert previous(calendar_year(2025)) == calendar_year(2024)
    assert previous(quarter(2025, 1)) == quarter(2024, 4)
    assert previous(quarter(2025, 3)) == quarter(2025, 2)
    # 16 Mar 2025 – 15 Mar 2026 follows 16 Mar 2024 – 15 Mar 2025.
    assert previous(rolling_12_months(D(2026, 3, 15))) == rolling_12_months(D(2025, 3, 15))
    # 1 Mar 2025 – 28 Feb 2026 follows 1 Mar 2024 – 28 Feb 2025 (no day lost or doubled).
    before = previous(rolling_12_months(D(2026, 2, 28)))
    assert (before.start, before.last_day) == (D(2024, 3, 1), D(2025, 2, 28))
    # Ten days (1–10 June) follow the ten days 22–31 May.
    assert previous(custom(D(2025, 6, 1), D(2025, 6, 10))) == custom(D(2025, 5, 22), D(2025, 5, 31))


def test_mid_year_counts_nothing_dated_after_the_day(db: Database, book: dict[str, int]) -> None:
    status = build_status(
        db, StatusRequest(as_of=MID_2025, period=calendar_year(2025), today=LATER)
    )
    assert (status.as_of, status.provisional) == (MID_2025, True)
    # Alpha 6,000, Delta 1,000 + 3,000, Beta 2,000 = 12,000; Gamma has nothing yet.
    assert status.total_net_cents == 1_200_000
    assert [(c.name, c.net_cents, c.share) for c in status.clients] == [
        ("Alpha", 600_000, Fraction(1, 2)),
        ("Delta", 400_000, Fraction(1, 3)),
        ("Beta", 200_000, Fraction(1, 6)),
    ]
    assert status.top_payer is not None and status.top_payer.name == "Alpha"
    assert status.level is Level.WARNING  # exactly 50 % reaches the warning share
    # HHI = 50² + (100/3)² + (50/3)² = 2,500 + 1,111.11 + 277.78 = 3,888.89
    assert status.hhi == Fraction(35_000, 9)
    # T − O = 6,000 − 6,000 = 0 → one cent; T/5 − O < 0 → nothing.
    assert (status.extra_below_warning_cents, status.extra_below_critical_cents) == (1, 0)


def test_a_closed_year_is_seen_from_its_last_day(db: Database, book: dict[str, int]) -> None:
    status = build_status(db, StatusRequest(period=calendar_year(2025), today=LATER))
    assert (status.as_of, status.provisional) == (D(2025, 12, 31), False)
    # Alpha 15,000 of 27,000 = 5/9.
    assert status.total_net_cents == 2_700_000
    assert status.top_payer is not None and status.top_payer.share == Fraction(5, 9)
    doc = to_json(status)
    assert (doc["as_of"], doc["provisional"]) == ("2025-12-31", False)


def test_a_running_year_stands_beside_the_same_time_last_year(
    db: Database, book: dict[str, int]
) -> None:
    """Seen from 30 June, 2025 is half over: it stands beside 1 Jan – 30 Jun 2024, not the
    whole of 2024 (Beta's 4,000 of 11 Nov 2024 lies after that span)."""
    status = build_status(
        db, StatusRequest(as_of=MID_2025, period=calendar_year(2025), today=LATER)
    )
    before = status.previous
    assert (before.period, before.as_of) == (custom(D(2024, 1, 1), MID_2024), MID_2024)
    # Alpha 4,000 of 5 May 2024 alone.
    assert before.total_net_cents == 400_000
    assert before.top_payer is not None
    assert (before.top_payer.name, before.top_payer.share) == ("Alpha", 1)
    assert before.level is Level.CRITICAL
    assert (before.hhi, before.effective_clients) == (10_000, 1)
    assert {c.name: c.previous_net_cents for c in status.clients} == {
        "Alpha": 400_000,
        "Delta": 0,
        "Beta": 0,
    }
    doc = to_json(status)
    assert doc["previous_period"] == {
        "period_start": "2024-01-01",
        "period_end": "2024-06-30",
        "total_net": 4000.0,
        "top_payer": {"name": "Alpha", "share": 1.0},
        "level": "critical",
        "hhi": 10000.0,
        "effective_clients": 1.0,
    }
    assert [(c["name"], c["previous_net"]) for c in doc["clients"]] == [
        ("Alpha", 4000.0),
        ("Delta", 0.0),
        ("Beta", 0.0),
    ]


def test_a_closed_year_stands_beside_the_whole_year_before(
    db: Database, book: dict[str, int]
) -> None:
    status = build_status(db, StatusRequest(period=calendar_year(2025), today=LATER))
    before = status.previous
    # 2024 seen from 31 Dec 2024: Alpha 4,000, Beta 4,000; the tie goes to the first name.
    assert (before.period, before.as_of) == (calendar_year(2024), D(2024, 12, 31))
    assert before.total_net_cents == 800_000
    assert before.top_payer is not None
    assert (before.top_payer.name, before.top_payer.share) == ("Alpha", Fraction(1, 2))
    assert before.level is Level.WARNING
    assert (before.hhi, before.effective_clients) == (5000, 2)
    assert {c.name: c.previous_net_cents for c in status.clients} == {
        "Alpha": 400_000,
        "Gamma": 0,
        "Delta": 0,
        "Beta": 400_000,
    }
    assert {p.name: p.previous_net_cents for p in status.payers}["Beta"] == 400_000
    doc = to_json(status)
    assert doc["previous_period"] == {
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "total_net": 8000.0,
        "top_payer": {"name": "Alpha", "share": 0.5},
        "level": "warning",
        "hhi": 5000.0,
        "effective_clients": 2.0,
    }


def test_a_running_period_is_compared_with_the_same_span_before() -> None:
    year, spring = calendar_year(2026), quarter(2026, 2)
    assert compared_with(year, D(2026, 6, 30)) == custom(D(2025, 1, 1), D(2025, 6, 30))
    assert compared_with(year, D(2026, 12, 31)) == calendar_year(2025)  # over on its last day
    assert compared_with(year, D(2027, 3, 1)) == calendar_year(2025)
    # 29 Feb has no twin in 2027: the span ends on 28 Feb.
    assert compared_with(calendar_year(2028), D(2028, 2, 29)) == custom(
        D(2027, 1, 1), D(2027, 2, 28)
    )
    # 1 Apr – 15 May 2026 beside 1 Jan – 15 Feb 2026.
    assert compared_with(spring, D(2026, 5, 15)) == custom(D(2026, 1, 1), D(2026, 2, 15))
    # 31 May: Q1 has no 28 Feb … its last day.
    assert compared_with(spring, D(2026, 5, 31)) == custom(D(2026, 1, 1), D(2026, 2, 28))
    # Ten days from 1 June seen from the 4th: four days from 22 May.
    assert compared_with(custom(D(2025, 6, 1), D(2025, 6, 10)), D(2025, 6, 4)) == custom(
        D(2025, 5, 22), D(2025, 5, 25)
    )
    # The 12 months to a day always end on it: the 12 months before, whole.
    rolling = rolling_12_months(D(2026, 3, 15))
    assert compared_with(rolling, D(2026, 3, 15)) == previous(rolling)


def test_previous_quarter_and_its_own_last_day(db: Database, book: dict[str, int]) -> None:
    status = build_status(db, StatusRequest(period=quarter(2025, 1), today=LATER))
    # Q1 2025: Alpha 6,000, Beta 2,000, Delta 1,000 = 9,000; Q4 2024: Beta 4,000 alone.
    assert (status.as_of, status.total_net_cents) == (D(2025, 3, 31), 900_000)
    assert (status.previous.period, status.previous.total_net_cents) == (quarter(2024, 4), 400_000)
    assert status.previous.top_payer is not None
    assert status.previous.top_payer.share == 1
    assert status.previous.level is Level.CRITICAL


def test_payment_after_the_day_leaves_the_invoice_open_and_overdue(
    db: Database, book: dict[str, int]
) -> None:
    on_the_day = build_status(
        db, StatusRequest(as_of=MID_2025, period=calendar_year(2025), basis="paid", today=LATER)
    )
    # Paid by 30 June: Alpha 6,000 (1 Mar), Delta 1,000 (20 Jan); Delta's 3,000 came on 20 July.
    assert {c.name: c.net_cents for c in on_the_day.clients} == {"Alpha": 600_000, "Delta": 100_000}
    # On 30 June Delta's invoice due 16 May is 45 days past due: a sign, although Delta's
    # history (from January) is far too short to compare anything else.
    delta = [row for row in on_the_day.at_risk if row.name == "Delta"]
    assert [sign.name for sign in delta[0].signals] == ["late_payments"]
    assert delta[0].signals[0].explanation() == (
        "Overdue unpaid invoices: 1 (€3,000.00), the oldest 45 days past due."
    )
    later = build_status(db, StatusRequest(as_of=D(2025, 7, 31), today=LATER))
    assert all(row.name != "Delta" for row in later.at_risk)


def test_a_credit_note_only_payer_has_share_zero(db: Database, book: dict[str, int]) -> None:
    entry(db, book["Gamma"], D(2025, 3, 1), "-2000.00")  # credit note for 2024's work
    status = build_status(
        db, StatusRequest(as_of=MID_2025, period=calendar_year(2025), today=LATER)
    )
    # Nets to 30 June: Alpha 6,000, Delta 4,000, Beta 2,000, Gamma −2,000; total 10,000,
    # shares of the positive 12,000 (not of 10,000, which would give Alpha 60 % and Gamma −20 %).
    gamma = status.payers[-1]
    assert (gamma.name, gamma.net_cents, gamma.share) == ("Gamma", -200_000, 0)
    assert gamma.note is not None
    assert status.total_net_cents == 1_000_000
    assert status.top_payer is not None and status.top_payer.share == Fraction(1, 2)
    assert sum(payer.share for payer in status.payers) == 1


# ---- lists as of the day ----------------------------------------------------------------------


def test_reminders_due_as_of_the_day(db: Database, book: dict[str, int]) -> None:
    early = reminders.create_reminder(db, {"client_id": book["Beta"], "due_on": D(2025, 6, 1)})
    reminders.complete(db, early.id, D(2025, 7, 5))  # done after the day looked from
    reminders.create_reminder(db, {"client_id": book["Alpha"], "due_on": D(2025, 7, 1)})
    status = build_status(db, StatusRequest(as_of=MID_2025, today=LATER))
    # On 30 June the June reminder was open and due; the July one not yet due.
    assert [(r.client_name, r.due_on) for r in status.reminders_due] == [("Beta", D(2025, 6, 1))]
    assert to_json(status)["reminders_due"] == [
        {"client": "Beta", "due": "2025-06-01", "purpose": "custom"}
    ]
    assert build_status(db, StatusRequest(as_of=D(2025, 7, 31), today=LATER)).reminders_due[
        0
    ].due_on == D(2025, 7, 1)


def test_a_late_credit_note_does_not_wake_a_sleeping_client(db: Database) -> None:
    sleepy = client(db, "Schläfer")
    entry(db, sleepy, D(2024, 6, 1), "500.00")
    entry(db, sleepy, D(2025, 5, 1), "-100.00")
    status = build_status(db, StatusRequest(as_of=MID_2025, today=LATER))
    # 394 days since the last invoice; the credit note of May is no sale.
    assert [(row.name, row.last_invoice, row.days) for row in status.sleeping] == [
        ("Schläfer", D(2024, 6, 1), 394)
    ]


def test_only_a_sale_up_to_the_day_opens_the_existing_customer_exception(db: Database) -> None:
    credited = client(db, "Nur Gutschrift")
    entry(db, credited, D(2025, 1, 10), "-50.00")
    later = client(db, "Später Kunde")
    entry(db, later, D(2025, 9, 1), "800.00")
    email = Channel.EMAIL
    assert contact.permissions_for(db, credited, MID_2025)[email].verdict is Verdict.BLOCKED
    assert contact.permissions_for(db, later, MID_2025)[email].verdict is Verdict.BLOCKED
    assert contact.permissions_for(db, later, D(2025, 9, 2))[email].verdict is Verdict.CAUTION


def test_losses_and_outcomes_after_the_day_do_not_count(db: Database, book: dict[str, int]) -> None:
    loss = losses.mark_lost(
        db,
        {
            "client_id": book["Beta"],
            "lost_on": D(2025, 4, 1),
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    case = winback.open_case(db, loss.id)
    winback.add_attempt(db, case.id, {"date": D(2025, 8, 1), "channel": "letter", "cost": "9.00"})
    winback.set_outcome(db, case.id, "won_back", D(2025, 9, 1))
    on_the_day = build_status(db, StatusRequest(as_of=MID_2025, today=LATER))
    assert (on_the_day.winback.cases, on_the_day.winback.won_back) == (1, 0)
    assert [row.outcome for row in losses.list_losses(db, MID_2025)] == ["open"]
    assert losses.list_losses(db, D(2025, 3, 31)) == []
    candidates = winback.candidates(db, MID_2025)
    assert [c.loss.client_name for c in candidates] == ["Beta"]
    assert build_status(db, StatusRequest(as_of=D(2025, 9, 30), today=LATER)).winback.won_back == 1


# ---- also found wrong (issue point 7) ---------------------------------------------------------


def test_the_returner_mark_stays_after_a_second_loss(db: Database) -> None:
    back = client(db, "Zweimal weg")
    entry(db, back, D(2024, 1, 10), "1000.00")
    first = losses.mark_lost(
        db,
        {
            "client_id": back,
            "lost_on": D(2024, 3, 1),
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    winback.set_outcome(db, winback.open_case(db, first.id).id, "won_back", D(2024, 6, 1))
    losses.mark_lost(
        db,
        {
            "client_id": back,
            "lost_on": D(2025, 2, 1),
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    row = clients.client_row(db, back, MID_2025)
    assert (row.status, row.returner) == (ClientStatus.LOST, True)
    # Before the first return the client was no returner yet.
    assert clients.client_row(db, back, D(2024, 5, 1)).returner is False


def test_the_loyalty_table_keeps_archived_clients_revenue(db: Database) -> None:
    gone = client(db, "Archiviert", loyalty="loyal")
    entry(db, gone, D(2025, 3, 1), "700.00")
    clients.update_client(db, gone, {"archived": True})
    old = client(db, "Längst archiviert", loyalty="loyal")
    entry(db, old, D(2022, 3, 1), "100.00")
    clients.update_client(db, old, {"archived": True})
    here = client(db, "Aktiv", loyalty="loyal")
    entry(db, here, D(2025, 4, 1), "300.00")
    entry(db, here, D(2025, 9, 1), "50.00")  # after the day looked from
    interactions.create_interaction(db, {"client_id": gone, "date": D(2025, 5, 1)})
    rows = winback.loyalty_overview(db, calendar_year(2025), MID_2025)
    # Loyal: Aktiv 300 and the archived client's 700 (the one archived long ago is left out).
    assert (rows[0].loyalty, rows[0].clients, rows[0].net, rows[0].interactions) == (
        "loyal",
        2,
        Decimal("1000.00"),
        1,
    )


def test_one_rounding_rule_for_money() -> None:
    # 1,000.01 × (1 − 0.5) = 500.005: half up to 500.01, as every amount of the app.
    assert winback_value(Decimal("1000.01"), Decimal("0.5"), Decimal(0), Decimal(0)) == Decimal(
        "500.01"
    )
    assert round_cents(Decimal("500.005")) == Decimal("500.01")
    assert round_cents(Decimal("-500.005")) == Decimal("-500.01")


# ---- the document ---------------------------------------------------------------------------


def test_the_document_holds_no_language_and_renders_in_any(
    db: Database, book: dict[str, int]
) -> None:
    request = StatusRequest(as_of=MID_2025, today=LATER)
    status = build_status(db, request)
    set_language("de")
    assert build_status(db, request) is status  # kept, and shared across languages
    delta = {row["name"]: row for row in to_json(status)["at_risk"]}["Delta"]
    assert delta["explanations"] == [
        "Überfällige offene Rechnungen: 1 (3.000,00\xa0€), die älteste seit 45 Tagen überfällig."
    ]
    english = {row["name"]: row for row in to_json(status, "en")["at_risk"]}["Delta"]
    assert english["explanations"][0].startswith("Overdue unpaid invoices: 1 (€3,000.00)")


def test_every_key_of_the_json_is_kept(db: Database, book: dict[str, int]) -> None:
    doc = to_json(build_status(db, StatusRequest(as_of=MID_2025, today=LATER)))
    assert list(doc) == [
        "as_of",
        "period_start",
        "period_end",
        "provisional",
        "basis",
        "total_net",
        "clients",
        "no_revenue",
        "thresholds",
        "payers",
        "top_payer",
        "hhi",
        "effective_clients",
        "level",
        "extra_revenue_needed",
        "months_at_or_above_five_sixths",
        "top_share_by_month",
        "self_check",
        "previous_period",
        "reminders_due",
        "at_risk",
        "sleeping",
        "winback",
    ]
    assert doc["winback"] == {"cases": 0, "won_back": 0, "rate": 0.0, "recovered_net": 0.0}
