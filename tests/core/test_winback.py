"""Lost clients, the reason catalogue, win-back cases, controlling and loyalty types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from freelancer_desk.analytics.periods import custom
from freelancer_desk.analytics.winback import winback_value, worth_trying
from freelancer_desk.contact_rules import ContactBlockedError
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import set_language
from freelancer_desk.models import ClientStatus, Reaction, WinbackOutcome
from freelancer_desk.services import clients, interactions, losses, reminders, revenue, winback

D = Decimal


def client(db: Database, name: str, **fields: object) -> int:
    return clients.create_client(db, {"name": name, **fields}).id


def invoice(db: Database, client_id: int, day: str, net: str) -> None:
    revenue.create_entry(db, {"client_id": client_id, "invoice_date": day, "net": net})


def lose(
    db: Database,
    client_id: int,
    day: str = "2025-03-01",
    reason: str = "competitor",
    **fields: object,
) -> losses.LossRow:
    return losses.mark_lost(
        db,
        {
            "client_id": client_id,
            "lost_on": day,
            "loss_type": "pulled",
            "reason_code": reason,
            **fields,
        },
    )


# ---- the value formula ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "potential, discount, cost, care, expected, worth",
    [
        ("12000.00", "0.10", "500.00", "1200.00", "9100.00", True),  # 10,800 − 500 − 1,200
        ("1000.00", "0.5", "300.00", "400.00", "-200.00", False),  # 500 − 700
        ("1000.00", "0", "600.00", "400.00", "0.00", False),  # exactly zero is not worth it
        ("999.99", "0.333333", "0.00", "0.00", "666.66", True),  # 666.6633... to the cent
    ],
)
def test_value_formula(
    potential: str, discount: str, cost: str, care: str, expected: str, worth: bool
) -> None:
    value = winback_value(D(potential), D(discount), D(cost), D(care))
    assert value == D(expected)
    assert worth_trying(value) is worth


# ---- losses --------------------------------------------------------------------------------------


def test_mark_lost_computes_revenue_of_the_12_months_before(db: Database) -> None:
    lost = client(db, "Alpha GmbH")
    invoice(db, lost, "2024-02-29", "500.00")  # before the window
    invoice(db, lost, "2024-03-01", "1000.00")  # first day of the window
    invoice(db, lost, "2024-06-10", "2000.00")
    invoice(db, lost, "2025-02-28", "1500.00")  # last day before the loss
    invoice(db, lost, "2025-03-01", "700.00")  # the loss day itself is not "before"
    row = lose(db, lost, reason_text="Angebot von Beta", notes="Ärger über Termin")
    assert row.revenue_12m_before == D("4500.00")
    assert (row.client_name, row.reason_label, row.loss_type) == (
        "Alpha GmbH",
        "Competitor cheaper / better value",
        "pulled",
    )
    assert losses.list_losses(db)[0].revenue_12m_before == D("4500.00")
    assert clients.client_rows(db, dt.date(2025, 3, 10))[0].status is ClientStatus.LOST


def test_objection_when_leaving_blocks_every_channel(db: Database) -> None:
    lost = client(db, "Gamma AG", email_consent_on="2024-01-01")
    lose(db, lost, day="2025-03-01", objected=True)
    assert clients.get_client(db, lost).objection_on == dt.date(2025, 3, 1)
    case = winback.open_case(db, losses.list_losses(db)[0].id)
    with pytest.raises(ContactBlockedError, match="objected"):
        winback.add_attempt(db, case.id, {"date": "2025-03-05", "channel": "letter"})


def test_unknown_reason_is_refused_and_names_the_field(db: Database) -> None:
    lost = client(db, "Delta")
    with pytest.raises(InputError, match="Reason: choose a reason from the catalogue"):
        lose(db, lost, reason="no-such-reason")


def test_catalogue_is_editable_in_both_languages(db: Database) -> None:
    codes = [reason.code for reason in losses.reasons(db)]
    assert len(codes) == 16 and codes[0] == "moved" and codes[-1] == "other"
    losses.save_reason(
        db,
        "competitor",
        {
            "loss_type": "pulled",
            "label_de": "Konkurrenz",
            "label_en": "Competition",
            "measures_de": "Anrufen\n\nBesuchen",
            "measures_en": "Call\nVisit",
        },
    )
    losses.save_reason(db, "too_far", {"label_de": "Zu weit weg", "label_en": "Too far away"})
    by_code = {reason.code: reason for reason in losses.reasons(db)}
    assert by_code["competitor"].label == "Competition" and by_code["competitor"].measures == (
        "Call",
        "Visit",
    )
    assert list(by_code)[-1] == "too_far"
    set_language("de")
    assert losses.reasons(db)[5].label == "Konkurrenz"
    assert losses.reasons(db)[5].measures == ("Anrufen", "Besuchen")
    with pytest.raises(InputError, match="Name \\(Deutsch\\): darf nicht leer sein"):
        losses.save_reason(db, "other", {"label_de": " ", "label_en": "Other"})
    losses.save_reason(db, "image", {"label_de": "Image", "label_en": "Image", "active": False})
    assert "image" not in {reason.code for reason in losses.reasons(db)}
    assert "image" in {reason.code for reason in losses.reasons(db, include_inactive=True)}


# ---- win-back cases ------------------------------------------------------------------------------


def test_case_suggests_measures_from_the_reason_and_potential_from_revenue(db: Database) -> None:
    lost = client(db, "Epsilon")
    invoice(db, lost, "2024-10-01", "3000.00")
    loss = lose(db, lost, reason="quality", loss_type="pushed")
    case = winback.open_case(db, loss.id)
    assert case.potential_12m == D("3000.00")
    assert case.measures is not None and case.measures.splitlines()[:2] == [
        "Fix fast",
        "Apology letter",
    ]
    assert case.suggested_measures[0] == "Fix fast"
    case = winback.update_case(
        db,
        case.id,
        {
            "discount": "0.1",
            "winback_cost": "200.00",
            "care_cost_12m": "300.00",
            "measures": "Fix fast\nPersonal visit",
            "incentive": "Ein Korrekturlauf gratis",
            "goal_reason_learned": True,
        },
    )
    # 3,000 × 0.9 − 200 − 300 = 2,200
    assert (case.value, case.worth_trying) == (D("2200.00"), True)
    assert case.measures == "Fix fast\nPersonal visit" and case.goal_reason_learned
    with pytest.raises(InputError, match="already has a win-back case"):
        winback.open_case(db, loss.id)
    with pytest.raises(InputError, match="Discount needed"):
        winback.update_case(db, case.id, {"discount": "1.5"})


def test_no_winback_for_a_business_that_closed(db: Database) -> None:
    gone = client(db, "Zeta (insolvent)")
    loss = lose(db, gone, reason="closed", loss_type="broken")
    with pytest.raises(InputError, match="closed cannot be won back"):
        winback.open_case(db, loss.id)


def test_attempts_obey_the_contact_rules_and_a_rude_reaction_offers_erasure(db: Database) -> None:
    private = client(db, "Frau Eta", kind="private")
    invoice(db, private, "2024-12-01", "400.00")
    case = winback.open_case(db, lose(db, private).id)
    with pytest.raises(ContactBlockedError, match="prior express consent"):
        winback.add_attempt(db, case.id, {"date": "2025-03-03", "channel": "phone"})
    assert winback.get_case(db, case.id).attempts == ()
    mail = winback.add_attempt(
        db,
        case.id,
        {
            "date": "2025-03-03",
            "channel": "email",
            "reaction": "reserved",
            "cost": "5.00",
            "notes": "Preis zu hoch",
        },
    )
    assert mail.permission.rule == "existing_customer" and not mail.offer_erasure
    assert "ask why" in mail.next_step.render()
    clients.update_client(db, private, {"phone_consent_on": "2025-03-04"})
    call = winback.add_attempt(
        db, case.id, {"date": "2025-03-05", "channel": "phone", "reaction": "rude"}
    )
    assert call.offer_erasure and call.attempt.reaction is Reaction.RUDE
    assert "erase" in call.next_step.render()
    assert [a.channel for a in winback.get_case(db, case.id).attempts] == ["email", "phone"]
    detail = winback.get_case(db, case.id)
    assert detail.winback_cost + sum(a.cost for a in detail.attempts) == D("5.00")


def test_outcomes_returner_and_checklist(db: Database) -> None:
    back = client(db, "Theta")
    invoice(db, back, "2024-06-01", "1000.00")
    case = winback.open_case(db, lose(db, back).id)
    with pytest.raises(InputError, match="later day to revisit"):
        winback.set_outcome(db, case.id, "not_now", dt.date(2025, 4, 1))
    parked = winback.set_outcome(
        db, case.id, "not_now", dt.date(2025, 4, 1), revisit_on=dt.date(2025, 9, 1)
    )
    assert (parked.outcome, parked.revisit_on, parked.checklist) == (
        WinbackOutcome.NOT_NOW,
        dt.date(2025, 9, 1),
        (),
    )
    with pytest.raises(InputError, match="for clients who were won back"):
        winback.tick(db, case.id, "double_check", True)
    won = winback.set_outcome(db, case.id, "won_back", dt.date(2025, 9, 2))
    assert (
        won.revisit_on is None
        and len(won.checklist) == 8
        and not any(item.done for item in won.checklist)
    )
    won = winback.tick(db, case.id, "double_check", True)
    assert [item.key for item in won.checklist if item.done] == ["double_check"]
    invoice(db, back, "2025-09-20", "800.00")
    row = clients.client_rows(db, dt.date(2025, 10, 1))[0]
    assert (row.status, row.returner) == (ClientStatus.WON_BACK, True)
    with pytest.raises(InputError, match="case is closed"):
        winback.add_attempt(db, case.id, {"date": "2025-10-01", "channel": "letter"})


def test_candidates_ranked_by_value(db: Database) -> None:
    as_of = dt.date(2025, 6, 1)
    big = client(db, "Big")
    invoice(db, big, "2024-12-01", "2000.00")
    case = winback.open_case(
        db,
        lose(db, big).id,
        {
            "potential_12m": "12000.00",
            "discount": "0.10",
            "winback_cost": "500.00",
            "care_cost_12m": "1200.00",
        },
    )
    estimated = client(db, "Estimated")
    invoice(db, estimated, "2024-12-01", "4500.00")
    lose(db, estimated)
    poor = client(db, "Poor")
    invoice(db, poor, "2024-12-01", "100.00")
    winback.open_case(db, lose(db, poor).id, {"winback_cost": "300.00"})
    closed = client(db, "Closed")
    invoice(db, closed, "2024-12-01", "9000.00")
    lose(db, closed, reason="closed")
    objected = client(db, "Objected")
    invoice(db, objected, "2024-12-01", "9000.00")
    lose(db, objected, objected=True)
    given_up = client(db, "Given up")
    invoice(db, given_up, "2024-12-01", "9000.00")
    winback.set_outcome(
        db, winback.open_case(db, lose(db, given_up).id).id, "given_up", dt.date(2025, 4, 1)
    )
    ranked = winback.candidates(db, as_of)
    assert [(c.loss.client_name, c.value, c.estimated) for c in ranked] == [
        ("Big", D("9100.00"), False),
        ("Estimated", D("4500.00"), True),
        ("Poor", D("-200.00"), False),
    ]
    assert ranked[0].case_id == case.id and [c.worth_trying for c in ranked] == [True, True, False]


# ---- controlling and loyalty types ---------------------------------------------------------------


def test_controlling_rate_recovered_revenue_and_cost(db: Database) -> None:
    won = client(db, "Won")
    invoice(db, won, "2024-12-01", "1000.00")
    won_case = winback.open_case(
        db, lose(db, won, loss_type="pushed", reason="quality").id, {"winback_cost": "500.00"}
    )
    winback.add_attempt(
        db, won_case.id, {"date": "2025-03-10", "channel": "email", "cost": "10.00"}
    )
    winback.add_attempt(
        db, won_case.id, {"date": "2025-03-20", "channel": "phone", "cost": "50.00"}
    )
    winback.set_outcome(db, won_case.id, "won_back", dt.date(2025, 4, 1))
    invoice(db, won, "2025-05-10", "3000.00")
    invoice(db, won, "2026-03-31", "1000.00")
    invoice(db, won, "2026-04-01", "9999.00")  # 12 months after the return: not counted
    lost = client(db, "Lost")
    invoice(db, lost, "2024-12-01", "1000.00")
    lost_case = winback.open_case(db, lose(db, lost).id)
    winback.add_attempt(
        db, lost_case.id, {"date": "2025-03-10", "channel": "email", "cost": "20.00"}
    )
    winback.set_outcome(db, lost_case.id, "given_up", dt.date(2025, 3, 31))

    report = winback.controlling(db, dt.date(2026, 6, 1))
    total = report.total
    assert (total.cases, total.won_back, total.rate) == (2, 1, Fraction(1, 2))
    assert total.recovered_net == D("4000.00")
    assert total.cost == D("580.00")  # 500 + 10 + 50 + 20, the failed try included
    # The cost per returner is the returned case's own cost (500 + 10 + 50) ÷ 1, the same in
    # every breakdown that holds the case.
    assert total.cost_per_returner == D("560.00")
    assert {
        report.by_loss_type["pushed"].cost_per_returner,
        report.by_reason["quality"].cost_per_returner,
        report.by_channel["phone"].cost_per_returner,
    } == {D("560.00")}
    assert report.by_channel["email"].cost_per_returner is None
    assert {k: (v.cases, v.won_back) for k, v in report.by_channel.items()} == {
        "phone": (1, 1),
        "email": (1, 0),
    }
    assert {k: v.recovered_net for k, v in report.by_loss_type.items()} == {
        "pushed": D("4000.00"),
        "pulled": D("0"),
    }
    assert set(report.by_reason) == {"quality", "competitor"}
    # Looked at before the return, the won case was still open and nothing was recovered.
    early = winback.controlling(db, dt.date(2025, 3, 25)).total
    assert (early.cases, early.won_back, early.recovered_net, early.cost_per_returner) == (
        2,
        0,
        D("0"),
        None,
    )


def test_loyalty_table(db: Database) -> None:
    loyal = client(db, "Treu", loyalty="loyal")
    also_loyal = client(db, "Auch treu", loyalty="loyal")
    cheap = client(db, "Preisjäger", loyalty="disloyal")
    unset = client(db, "Unbekannt")
    for cid, net in (
        (loyal, "1000.00"),
        (also_loyal, "500.00"),
        (cheap, "200.00"),
        (unset, "50.00"),
    ):
        invoice(db, cid, "2025-02-01", net)
    invoice(db, cheap, "2023-02-01", "9999.00")  # outside the period
    for day in ("2025-01-05", "2025-02-05", "2025-03-05"):
        interactions.create_interaction(db, {"client_id": cheap, "date": day})
    rows = winback.loyalty_overview(db, custom(dt.date(2025, 1, 1), dt.date(2025, 12, 31)))
    assert [(r.loyalty, r.clients, r.net, r.interactions) for r in rows] == [
        ("loyal", 2, D("1500.00"), 0),
        ("conditional", 0, D("0.00"), 0),
        ("disloyal", 1, D("200.00"), 3),
        ("unset", 1, D("50.00"), 0),
    ]


def test_closing_a_case_closes_its_open_follow_up_reminders(db: Database) -> None:
    rude, won = client(db, "Iota"), client(db, "Kappa")
    for lost in (rude, won):
        invoice(db, lost, "2024-12-01", "400.00")
    rude_case = winback.open_case(db, lose(db, rude).id)
    won_case = winback.open_case(db, lose(db, won).id)
    for lost in (rude, won):
        for purpose in ("winback_followup", "feedback_followup"):
            reminders.create_reminder(
                db,
                {"client_id": lost, "due_on": "2025-03-20", "purpose": purpose},
                today=dt.date(2025, 3, 2),
            )
    winback.add_attempt(
        db, rude_case.id, {"date": "2025-03-05", "channel": "letter", "reaction": "rude"}
    )
    winback.set_outcome(db, won_case.id, "won_back", dt.date(2025, 3, 7))

    def still_open(client_id: int) -> list[str]:
        rows = reminders.list_reminders(db, client_id=client_id, today=dt.date(2025, 3, 8))
        return [row.purpose.value for row in rows]

    # Only the follow-up of the case ends, on the day the case closed; other reminders stay.
    assert still_open(rude) == still_open(won) == ["feedback_followup"]
    done = reminders.list_reminders(db, client_id=rude, include_done=True)
    assert [(r.purpose.value, r.done_on) for r in done if r.done_on] == [
        ("winback_followup", dt.date(2025, 3, 5))
    ]
    # A case parked for later keeps its follow-up.
    parked = client(db, "Lambda")
    invoice(db, parked, "2024-12-01", "400.00")
    case = winback.open_case(db, lose(db, parked).id)
    reminders.create_reminder(
        db,
        {"client_id": parked, "due_on": "2025-03-20", "purpose": "winback_followup"},
        today=dt.date(2025, 3, 2),
    )
    winback.set_outcome(db, case.id, "not_now", dt.date(2025, 3, 7), revisit_on=dt.date(2025, 9, 1))
    assert still_open(parked) == ["winback_followup"]
