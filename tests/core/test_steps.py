"""The step plan: every kind raised and not raised, the channel it takes, blocked clients, stable
ids, and accepting (twice), dismissing, snoozing and undoing through the service."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine
from sqlmodel import select

from freelancer_desk import clock
from freelancer_desk.analytics.steps import Step, StepKind, status_reasons
from freelancer_desk.analytics.warnings import MORE_COMPLAINTS
from freelancer_desk.choices import ClientStatus
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.models import (
    Channel,
    Decision,
    FeedbackKind,
    FeedbackStatus,
    Interaction,
    InteractionKind,
    Loss,
    ReminderPurpose,
    StepDecision,
)
from freelancer_desk.paths import package_dir
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import losses as losses_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.privacy import erase_client

if TYPE_CHECKING:
    from tests.conftest import BigBook

D = dt.date
AS_OF = D(2025, 9, 1)
#: The day of a client's one invoice unless a test says otherwise: four months before AS_OF.
SOLD_ON = D(2025, 5, 1)


# --------------------------------------------------------------------------------------------
# Building the situations
# --------------------------------------------------------------------------------------------


def client(db: Database, name: str, invoiced_on: dt.date | None = SOLD_ON, **fields: object) -> int:
    """A client with one invoice of 500 € (an existing customer: email allowed with caution)."""
    client_id = clients_service.create_client(db, {"name": name, **fields}).id
    assert client_id is not None
    if invoiced_on is not None:
        invoice(db, client_id, invoiced_on)
    return client_id


def invoice(
    db: Database,
    client_id: int,
    day: dt.date,
    net: str = "500.00",
    paid: dt.date | None = None,
    due: dt.date | None = None,
) -> None:
    revenue_service.create_entry(
        db,
        {
            "client_id": client_id,
            "invoice_date": day,
            "net": net,
            "paid_date": paid,
            "due_date": due,
        },
    )


def monthly(
    db: Database, client_id: int, first: dt.date, months: int, net: str = "1000.00"
) -> None:
    """One paid invoice a month (paid ten days later), ``months`` times from ``first``."""
    for month in range(months):
        year, index = divmod(first.month - 1 + month, 12)
        day = D(first.year + year, index + 1, first.day)
        invoice(db, client_id, day, net, paid=day + dt.timedelta(days=10))


def log(db: Database, client_id: int, day: dt.date, kind: InteractionKind, **fields: object) -> int:
    row = interactions_service.create_interaction(
        db, {"client_id": client_id, "date": day, "kind": kind, **fields}
    )
    return row.id  # type: ignore[return-value]


def lose(
    db: Database, client_id: int, lost_on: dt.date, loss_type: str, reason: str, **fields: object
) -> int:
    row = losses_service.mark_lost(
        db,
        {
            "client_id": client_id,
            "lost_on": lost_on,
            "loss_type": loss_type,
            "reason_code": reason,
            **fields,
        },
    )
    return row.id


def attempt(db: Database, case_id: int, day: dt.date, reaction: str, channel: str = "phone") -> int:
    return winback_service.add_attempt(
        db, case_id, {"date": day, "channel": channel, "reaction": reaction}
    ).attempt.id


def steps_of(db: Database, kind: StepKind, as_of: dt.date = AS_OF) -> dict[str, Step]:
    """The open steps of one kind by client name."""
    return {step.client or "": step for step in steps_service.plan(db, as_of) if step.kind is kind}


def names(db: Database, kind: StepKind, as_of: dt.date = AS_OF) -> set[str]:
    return set(steps_of(db, kind, as_of))


# --------------------------------------------------------------------------------------------
# Lost clients
# --------------------------------------------------------------------------------------------


def test_a_fresh_loss_is_a_call_at_once_by_phone_where_allowed(db: Database) -> None:
    fresh = client(db, "Frisch verloren AG")
    loss = lose(db, fresh, D(2025, 8, 30), "pulled", "competitor")
    private = client(db, "Privat Paula", kind="private")
    lose(db, private, D(2025, 8, 30), "pulled", "competitor")
    consented = client(db, "Anruf erlaubt", kind="private", phone_consent_on=D(2024, 1, 1))
    lose(db, consented, D(2025, 8, 30), "pulled", "competitor")
    objected = client(db, "Nie wieder AG")
    lose(db, objected, D(2025, 8, 30), "pushed", "quality", objected=True)
    closed = client(db, "Pleite GmbH")
    lose(db, closed, D(2025, 8, 30), "broken", "closed")
    no_revenue = client(db, "Ohne Umsatz KG", invoiced_on=D(2024, 1, 10))
    lose(db, no_revenue, D(2025, 8, 30), "pulled", "competitor")  # nothing in the 12 months

    found = steps_of(db, StepKind.WINBACK)
    assert set(found) == {"Frisch verloren AG", "Privat Paula", "Anruf erlaubt"}
    step = found["Frisch verloren AG"]
    assert step.id == f"winback:{fresh}:{loss}"
    assert (step.channel, step.permission.verdict) == (Channel.PHONE, Verdict.CAUTION)  # type: ignore[union-attr]
    assert step.due == D(2025, 9, 1)  # within two days of the loss
    assert step.value_cents == 50_000  # the 12 months before the loss
    assert step.stake_in() == "revenue in the 12 months before the loss: €500.00"
    assert step.stake_in("de") == "Umsatz der 12 Monate vor dem Verlust: 500,00\xa0€"
    assert step.why_in() == (
        "Lost on 30 Aug 2025 (Went to a competitor), reason: Competitor cheaper / better value."
    )
    assert step.what_in().startswith("Call now: the sooner after the loss, the better. Measures: ")
    assert "Explain the value behind the price; Rare discount; One-off return offer." in (
        step.what_in()
    )
    assert "Goals of the call: Learn the real reason; Keep the door open;" in step.what_in()
    # A private person without phone consent is written to; with consent, called.
    assert found["Privat Paula"].channel is Channel.EMAIL
    assert found["Anruf erlaubt"].channel is Channel.PHONE
    assert found["Anruf erlaubt"].permission.verdict is Verdict.ALLOWED  # type: ignore[union-attr]
    # The same situation, the same id on later days; a loss long ago is no longer "call now".
    later = steps_of(db, StepKind.WINBACK, D(2025, 11, 1))["Frisch verloren AG"]
    assert later.id == step.id
    assert later.what_in().startswith("Get in touch and ask how they are doing now.")


def test_a_price_driven_client_gets_the_careful_calculation_and_a_bad_value_no_call(
    db: Database,
) -> None:
    cheap = client(db, "Preisjäger GmbH", loyalty="disloyal")
    lose(db, cheap, D(2025, 8, 20), "pulled", "price_too_high")
    costly = client(db, "Zu teuer KG")
    case = winback_service.open_case(
        db, lose(db, costly, D(2025, 8, 20), "pulled", "price_too_high"), {"winback_cost": "900"}
    )
    assert case.value == Decimal("-400.00")

    step = steps_of(db, StepKind.WINBACK)["Preisjäger GmbH"]
    assert "They decide on price alone: check the win-back calculation with care" in (
        step.what_in()
    )
    assert "Zu teuer KG" not in names(db, StepKind.WINBACK)  # not worth trying


def test_a_case_that_costs_more_than_it_brings_puts_the_revenue_before_at_stake(
    db: Database,
) -> None:
    """A follow-up is still due, but "at stake: −400,00 €" would say nothing to weigh."""
    costly = client(db, "Zu teuer KG")
    case = winback_service.open_case(
        db, lose(db, costly, D(2025, 8, 20), "pulled", "price_too_high"), {"winback_cost": "900"}
    )
    attempt(db, case.id, D(2025, 8, 22), "friendly")
    step = steps_of(db, StepKind.WINBACK_FOLLOWUP)["Zu teuer KG"]
    assert step.value_cents == 50000
    assert step.stake_in() == "revenue in the 12 months before the loss: €500.00"


def test_no_time_for_new_clients_before_the_files_first_record(db: Database) -> None:
    client(db, "Erste Kundin GmbH", invoiced_on=D(2025, 5, 1))
    assert names(db, StepKind.NEW_CLIENTS, D(2025, 5, 1)) == {""}
    assert names(db, StepKind.NEW_CLIENTS, D(2019, 12, 31)) == set()


def test_win_back_after_not_now_on_the_revisit_day_and_the_case_measures(db: Database) -> None:
    parked = client(db, "Später GmbH", invoiced_on=D(2025, 1, 10))
    loss = lose(db, parked, D(2025, 3, 1), "pulled", "competitor")
    case = winback_service.open_case(
        db,
        loss,
        {"measures": "Neues Paket zeigen\nKaffee ausgeben", "incentive": "Ein Monat gratis"},
    )
    attempt(db, case.id, D(2025, 3, 10), "friendly")
    winback_service.set_outcome(db, case.id, "not_now", D(2025, 3, 10), D(2025, 9, 15))

    assert "Später GmbH" not in names(db, StepKind.WINBACK)
    step = steps_of(db, StepKind.WINBACK, D(2025, 9, 15))["Später GmbH"]
    assert step.id == f"winback:{parked}:{loss}@2025-09-15"
    assert "The win-back was put off until 15 Sep 2025." in step.why_in()
    assert "Measures: Neues Paket zeigen; Kaffee ausgeben. Incentive: Ein Monat gratis." in (
        step.what_in()
    )


def test_win_back_follow_ups_after_each_reaction(db: Database) -> None:
    silent = client(db, "Stumm AG")
    silent_case = winback_service.open_case(
        db, lose(db, silent, D(2025, 8, 1), "pulled", "competitor")
    )
    tried = attempt(db, silent_case.id, D(2025, 8, 25), "no_answer")
    warm = client(db, "Freundlich KG")
    warm_case = winback_service.open_case(db, lose(db, warm, D(2025, 8, 1), "pulled", "competitor"))
    attempt(db, warm_case.id, D(2025, 8, 28), "friendly", "email")
    rude = client(db, "Grob GmbH")
    rude_case = winback_service.open_case(db, lose(db, rude, D(2025, 8, 1), "pulled", "competitor"))
    attempt(db, rude_case.id, D(2025, 8, 20), "rude")

    assert names(db, StepKind.WINBACK) == set()  # under way (or over) for all three
    found = steps_of(db, StepKind.WINBACK_FOLLOWUP)
    assert set(found) == {"Stumm AG", "Freundlich KG"}
    retry = found["Stumm AG"]
    assert (retry.id, retry.due, retry.channel) == (
        f"winback_followup:{silent}:{silent_case.loss.id}:{tried}",
        D(2025, 8, 28),
        Channel.PHONE,
    )
    assert "Last try on 25 Aug 2025 by Phone: No answer." in retry.why_in()
    assert retry.what_in().startswith("No answer: try again soon")
    assert found["Freundlich KG"].due == D(2025, 9, 4)
    assert found["Freundlich KG"].what_in() == (
        "Friendly: suggest a meeting or send a current offer."
    )


def test_ask_good_partings_for_a_review_never_before_a_win_back_try(db: Database) -> None:
    loyal = client(db, "Treu GmbH", loyalty="loyal")
    loyal_case = winback_service.open_case(
        db, lose(db, loyal, D(2025, 6, 1), "broken", "need_changed")
    )
    untried = client(db, "Noch nicht gefragt AG")
    lose(db, untried, D(2025, 6, 1), "broken", "moved")
    closed = client(db, "Pleite GmbH")
    lose(db, closed, D(2025, 6, 1), "broken", "closed")
    pushed = client(db, "Verärgert GmbH")
    pushed_case = winback_service.open_case(
        db, lose(db, pushed, D(2025, 6, 1), "pushed", "poor_service")
    )
    attempt(db, pushed_case.id, D(2025, 6, 5), "reserved")
    complained = client(db, "Reklamation AG")
    log(db, complained, D(2025, 3, 1), InteractionKind.COMPLAINT)
    complained_case = winback_service.open_case(
        db, lose(db, complained, D(2025, 6, 1), "pulled", "competitor")
    )
    attempt(db, complained_case.id, D(2025, 6, 5), "reserved")
    recent = client(db, "Gerade versucht KG")
    recent_case = winback_service.open_case(db, lose(db, recent, D(2025, 8, 1), "broken", "moved"))
    attempt(db, recent_case.id, D(2025, 8, 25), "friendly")

    # No win-back is possible with a closed business; nobody else was tried yet except the
    # unhappy ones.
    assert names(db, StepKind.ASK_REVIEW) == {"Pleite GmbH"}
    attempt(db, loyal_case.id, D(2025, 6, 10), "friendly")
    # While the case is open the win-back is followed up, never a review asked for.
    assert names(db, StepKind.ASK_REVIEW) == {"Pleite GmbH"}
    winback_service.set_outcome(db, loyal_case.id, "given_up", D(2025, 6, 12))
    found = steps_of(db, StepKind.ASK_REVIEW)
    assert set(found) == {"Treu GmbH", "Pleite GmbH"}
    assert found["Treu GmbH"].feedback_kind is FeedbackKind.RECOMMENDATION
    assert found["Treu GmbH"].due == D(2025, 6, 24)  # two weeks after the try
    assert found["Pleite GmbH"].feedback_kind is FeedbackKind.REFERRAL
    assert found["Pleite GmbH"].channel is Channel.EMAIL
    assert found["Pleite GmbH"].why_in() == "Parted on good terms on 1 Jun 2025."
    assert "Gerade versucht KG" not in names(db, StepKind.ASK_REVIEW, D(2025, 9, 8))  # open
    winback_service.set_outcome(db, recent_case.id, "given_up", D(2025, 8, 26))
    assert "Gerade versucht KG" in names(db, StepKind.ASK_REVIEW, D(2025, 9, 8))


def test_an_open_win_back_case_is_followed_up_and_overdue_reminders_come_on_the_plan(
    db: Database,
) -> None:
    warm = client(db, "Freundlich KG", invoiced_on=D(2025, 4, 1))
    case = winback_service.open_case(db, lose(db, warm, D(2025, 5, 1), "broken", "moved"))
    attempt(db, case.id, D(2025, 6, 1), "friendly")
    overdue = reminders_service.create_reminder(
        db,
        {
            "client_id": warm,
            "due_on": D(2025, 6, 8),
            "purpose": "winback_followup",
            "channel": "email",
            "note": "Termin anbieten",
        },
    )
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    sleeping = reminders_service.create_reminder(
        db, {"client_id": sleeper, "due_on": D(2025, 8, 15), "purpose": "reactivate"}
    )
    later = client(db, "Später dran AG", invoiced_on=D(2025, 1, 10))
    reminders_service.create_reminder(
        db, {"client_id": later, "due_on": D(2025, 9, 10), "purpose": "reactivate"}
    )

    with clock.pinned(AS_OF):  # a reminder due after a past day is not seen from it
        steps = steps_service.plan(db, AS_OF)
    assert not [s for s in steps if s.client == "Freundlich KG" and s.kind is StepKind.ASK_REVIEW]
    found = steps_of(db, StepKind.OVERDUE_REMINDER)
    assert set(found) == {"Freundlich KG", "Schläfer AG"}  # the one not yet due covers it
    step = found["Freundlich KG"]
    assert (step.id, step.due, step.channel) == (
        f"overdue_reminder:{warm}:{overdue.id}@2025-06-08",
        D(2025, 6, 8),
        Channel.EMAIL,  # the reminder's own channel
    )
    assert step.why_in() == "Reminder for 8 Jun 2025, still open."
    assert step.what_in() == "Act on the reminder: Win-back follow-up. Note: Termin anbieten"
    assert found["Schläfer AG"].channel is Channel.PHONE  # none set: the kind's preference
    assert [s.client for s in steps if s.client in ("Schläfer AG", "Später dran AG")] == [
        "Schläfer AG"
    ]  # the reactivation itself is covered by the reminder

    # Accepting moves the reminder to today; it leaves the plan and is kept on undo.
    done = steps_service.accept(db, found["Schläfer AG"].id, AS_OF)
    assert done.decision is Decision.ACCEPTED and done.reminder is None
    [moved] = reminders_service.list_reminders(db, client_id=sleeper, today=AS_OF)
    assert (moved.id, moved.due_on) == (sleeping.id, AS_OF)
    assert set(steps_of(db, StepKind.OVERDUE_REMINDER)) == {"Freundlich KG"}


def test_an_overdue_reminder_without_a_client_says_what_it_concerns(db: Database) -> None:
    """A step names its client; one about no client names what the reminder is about (its
    purpose and note) in every language, where "—" stood beside "Overdue reminder"."""
    client(db, "Irgendwer KG", invoiced_on=D(2025, 4, 1))
    reminders_service.create_reminder(
        db,
        {"due_on": D(2025, 8, 1), "purpose": "custom", "note": "Plan time to\nwin new clients."},
    )
    reminders_service.create_reminder(db, {"due_on": D(2025, 8, 2), "purpose": "reactivate"})
    steps = [s for s in steps_service.plan(db, AS_OF) if s.kind is StepKind.OVERDUE_REMINDER]
    assert [(s.client, s.subject_in("en"), s.subject_in("de")) for s in steps] == [
        (None, "Custom: Plan time to win new clients.", "Eigene: Plan time to win new clients."),
        (None, "Reactivate, no client", "Reaktivieren, ohne Kunden"),
    ]
    assert steps_service.to_json(steps, AS_OF, "en")["steps"][0]["about"] == (
        "Custom: Plan time to win new clients."
    )


def test_ask_for_a_review_after_praise(db: Database) -> None:
    happy = client(db, "Begeistert GmbH")
    praise = log(db, happy, D(2025, 8, 20), InteractionKind.PRAISE)
    loyal = client(db, "Stammkunde AG", loyalty="loyal")
    log(db, loyal, D(2025, 8, 25), InteractionKind.PRAISE)
    old = client(db, "Lange her KG")
    log(db, old, D(2025, 5, 1), InteractionKind.PRAISE)
    asked = client(db, "Schon gefragt OHG")
    log(db, asked, D(2025, 8, 20), InteractionKind.PRAISE)
    feedback_service.create_request(
        db, {"client_id": asked, "kind": "review", "planned_on": D(2025, 8, 22)}, D(2025, 8, 22)
    )

    found = steps_of(db, StepKind.ASK_REVIEW)
    assert set(found) == {"Begeistert GmbH", "Stammkunde AG"}
    step = found["Begeistert GmbH"]
    assert (step.id, step.feedback_kind, step.channel) == (
        f"ask_review:{happy}:praise:{praise}",
        FeedbackKind.REVIEW,
        Channel.EMAIL,
    )
    assert step.what_in() == "Thank them and ask for a review or testimonial you may quote."
    assert found["Stammkunde AG"].feedback_kind is FeedbackKind.RECOMMENDATION


# --------------------------------------------------------------------------------------------
# Clients still buying
# --------------------------------------------------------------------------------------------


def test_an_overdue_invoice_gets_a_friendly_payment_reminder(db: Database) -> None:
    late = client(db, "Zahlt spät GmbH", invoiced_on=None)
    invoice(db, late, D(2025, 5, 1), paid=D(2025, 5, 10))
    invoice(db, late, D(2025, 6, 17), "800.00", due=D(2025, 7, 1))
    recent = client(db, "Gerade fällig AG", invoiced_on=None)
    invoice(db, recent, D(2025, 5, 1), paid=D(2025, 5, 10))
    invoice(db, recent, D(2025, 8, 10), due=D(2025, 8, 24))  # only 8 days past due
    # A client who never paid is overdue too: the file records payments (of the others).
    never_paid = client(db, "Nie bezahlt KG", invoiced_on=None)
    invoice(db, never_paid, D(2025, 6, 17), due=D(2025, 7, 1))
    asleep = client(db, "Schläft und schuldet", invoiced_on=None)
    invoice(db, asleep, D(2024, 12, 1), paid=D(2024, 12, 5))
    invoice(db, asleep, D(2025, 1, 10), due=D(2025, 1, 24))

    found = steps_of(db, StepKind.PAYMENT_REMINDER)
    assert set(found) == {"Zahlt spät GmbH", "Nie bezahlt KG", "Schläft und schuldet"}
    step = found["Zahlt spät GmbH"]
    assert (step.id, step.due, step.channel) == (
        f"payment_reminder:{late}:2025-07-01",
        D(2025, 7, 16),
        Channel.EMAIL,
    )
    assert step.why_in() == (
        "Overdue unpaid invoices: 1 (€800.00), the oldest 62 days past due."
    )  # the status's own words
    assert step.what_in().startswith("Send a friendly payment reminder")
    # At stake is the overdue amount, said so — not the 12-month revenue (1,300 €).
    assert (step.value_cents, step.stake_in()) == (80_000, "overdue: €800.00")
    # A payment reminder is no advertising: no note on the existing-customer exception.
    assert step.permission.verdict is Verdict.CAUTION and step.caution is None  # type: ignore[union-attr]
    assert step.stake_in("de") == "überfällig: 800,00\xa0€"
    # An overdue invoice alone is no other warning step.
    assert "Zahlt spät GmbH" not in names(db, StepKind.WARNING_SIGN)


def test_warning_signs_each_get_a_step_with_the_status_words(db: Database) -> None:
    fewer = client(db, "Weniger GmbH", invoiced_on=None)
    monthly(db, fewer, D(2024, 1, 15), 14)
    invoice(db, fewer, D(2025, 7, 10), "1000.00", paid=D(2025, 7, 20))
    grumpy = client(db, "Reklamiert AG", invoiced_on=None)
    monthly(db, grumpy, D(2024, 1, 15), 20)
    log(db, grumpy, D(2025, 7, 1), InteractionKind.COMPLAINT)
    log(db, grumpy, D(2025, 8, 15), InteractionKind.COMPLAINT)
    away = client(db, "Nie erreichbar KG", invoiced_on=None)
    monthly(db, away, D(2024, 1, 15), 20)
    log(db, away, D(2025, 7, 1), InteractionKind.UNREACHABLE)
    log(db, away, D(2025, 8, 1), InteractionKind.UNREACHABLE)
    steady = client(db, "Beständig OHG", invoiced_on=None)
    monthly(db, steady, D(2024, 1, 15), 20)

    found = steps_of(db, StepKind.WARNING_SIGN)
    assert set(found) == {"Weniger GmbH", "Reklamiert AG", "Nie erreichbar KG"}
    orders = found["Weniger GmbH"]
    assert orders.id == f"warning_sign:{fewer}:fewer_orders@2025-07-10"
    assert orders.why_in() == "Orders fell from 0.9 to 0.2 a month."
    assert orders.what_in().startswith("Ask about their plans")
    assert orders.channel is Channel.PHONE and orders.due == D(2025, 9, 8)
    complaints = found["Reklamiert AG"]
    assert complaints.id == f"warning_sign:{grumpy}:{MORE_COMPLAINTS}@2025-08-15"
    assert complaints.why_in().startswith("Complaints rose from 0.0 to 0.4 a month")
    # "Can we reach you?" is asked in writing.
    assert found["Nie erreichbar KG"].channel is Channel.EMAIL
    # The same situation a day later: the same id; a new complaint: a new occasion.
    assert steps_of(db, StepKind.WARNING_SIGN, D(2025, 9, 2))["Reklamiert AG"].id == complaints.id
    log(db, grumpy, D(2025, 8, 30), InteractionKind.COMPLAINT)
    assert steps_of(db, StepKind.WARNING_SIGN)["Reklamiert AG"].id.endswith("@2025-08-30")


def test_several_signs_of_one_client_are_one_step_on_the_strongest_signs_channel(
    db: Database,
) -> None:
    troubled = client(db, "Viel los GmbH", invoiced_on=None)
    monthly(db, troubled, D(2024, 1, 15), 20)
    for day in (D(2025, 7, 1), D(2025, 8, 1)):
        log(db, troubled, day, InteractionKind.UNREACHABLE)
    for day in (D(2025, 7, 1), D(2025, 8, 15)):
        log(db, troubled, day, InteractionKind.COMPLAINT)

    [step] = [s for s in steps_service.plan(db, AS_OF) if s.client == "Viel los GmbH"]
    assert step.kind is StepKind.WARNING_SIGN
    assert step.id == (f"warning_sign:{troubled}:more_complaints@2025-08-15+unreachable@2025-08-01")
    assert step.why_in().startswith("Warning signs: More complaints; Often unreachable. ")
    assert "Complaints rose from" in step.why_in()
    assert step.what_in() == (
        "Sort out the complaints in person: apologise, fix fast, remove the cause. "
        "Ask when and how they can best be reached."
    )
    # Complaints are the strongest sign: a call, not the written "can we reach you?".
    assert step.channel is Channel.PHONE
    assert step.why_in("de").startswith("Warnzeichen: Mehr Reklamationen; ")


def test_a_returner_gets_the_first_jobs_checklist_until_it_is_done(db: Database) -> None:
    back = client(db, "Rückkehrer GmbH", invoiced_on=D(2025, 2, 1))
    case = winback_service.open_case(db, lose(db, back, D(2025, 3, 1), "pushed", "quality"))
    attempt(db, case.id, D(2025, 3, 3), "friendly")
    winback_service.set_outcome(db, case.id, "won_back", D(2025, 8, 1))

    step = steps_of(db, StepKind.RETURNER_CHECKLIST)["Rückkehrer GmbH"]
    assert (step.id, step.due, step.channel) == (
        f"returner_checklist:{back}:{case.id}",
        D(2025, 8, 8),
        Channel.PHONE,
    )
    assert step.why_in() == "Won back on 1 Aug 2025: the first jobs decide whether they stay."
    assert step.what_in().startswith(
        "Make the first jobs flawless: Confirm the brief and the price in writing"
    )
    for key in ("brief_in_writing", "time_buffer", "double_check", "fix_the_cause"):
        winback_service.tick(db, case.id, key, True)
    assert (
        "Confirm the brief"
        not in steps_of(db, StepKind.RETURNER_CHECKLIST)["Rückkehrer GmbH"].what_in()
    )
    for key in ("welcome_back", "thank_you", "ask_satisfaction", "watch_signs"):
        winback_service.tick(db, case.id, key, True)
    assert names(db, StepKind.RETURNER_CHECKLIST) == set()
    winback_service.tick(db, case.id, "thank_you", False)
    assert names(db, StepKind.RETURNER_CHECKLIST, D(2026, 2, 1)) == set()  # first months over


def test_reactivate_sleeping_clients(db: Database) -> None:
    client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))  # 234 days without revenue
    client(db, "Wach GmbH", invoiced_on=D(2025, 8, 1))
    client(db, "Privat Paula", invoiced_on=D(2025, 1, 10), kind="private")
    done = client(db, "Erledigt OHG", invoiced_on=D(2025, 1, 10))
    row = reminders_service.create_reminder(
        db, {"client_id": done, "due_on": D(2025, 8, 1), "purpose": "reactivate"}
    )
    reminders_service.complete(db, row.id, D(2025, 8, 2))

    found = steps_of(db, StepKind.REACTIVATE)
    assert set(found) == {"Schläfer AG", "Privat Paula"}
    step = found["Schläfer AG"]
    assert (step.channel, step.permission.verdict) == (Channel.PHONE, Verdict.CAUTION)  # type: ignore[union-attr]
    assert step.why_in() == "No revenue since 10 Jan 2025 (234 days)."
    assert step.stake_in() == "revenue in the 12 months up to the last invoice: €500.00"
    assert step.purpose is ReminderPurpose.REACTIVATE and step.due == D(2025, 7, 9)
    assert found["Privat Paula"].channel is Channel.EMAIL  # no call without consent


def test_conditionally_loyal_clients_get_personal_contact(db: Database) -> None:
    talked = client(db, "Kürzlich gesprochen", loyalty="conditional")
    log(db, talked, D(2025, 7, 1), InteractionKind.CONTACT, channel="phone")
    quiet = client(db, "Lange still GmbH", loyalty="conditional")
    log(db, quiet, D(2025, 5, 1), InteractionKind.CONTACT, channel="meeting")
    log(db, quiet, D(2025, 8, 1), InteractionKind.CONTACT, channel="email")  # not in person
    never = client(db, "Nie gesprochen AG", loyalty="conditional")
    client(db, "Preisbewusst KG", loyalty="disloyal")
    client(db, "Treu OHG", loyalty="loyal")

    found = steps_of(db, StepKind.LOYALTY)
    assert set(found) == {"Lange still GmbH", "Nie gesprochen AG"}
    assert found["Lange still GmbH"].id == f"loyalty:{quiet}:2025-05-01"
    assert found["Lange still GmbH"].why_in().endswith("Last personal contact: 1 May 2025.")
    assert found["Nie gesprochen AG"].id == f"loyalty:{never}:2025-05-01"  # since the first sale
    assert "a thank-you for the work together" in found["Nie gesprochen AG"].what_in()


def test_loyal_clients_are_thanked_on_their_anniversary(db: Database) -> None:
    for name, first, loyalty in (
        ("Seit 2023 GmbH", D(2023, 9, 10), "loyal"),
        ("Seit März AG", D(2024, 3, 1), "loyal"),
        ("Nicht treu KG", D(2023, 9, 10), None),
        ("Ganz neu OHG", D(2025, 8, 20), "loyal"),
    ):
        still_buying = client(db, name, invoiced_on=first, loyalty=loyalty)
        invoice(db, still_buying, D(2025, 8, 25))
        invoice(db, still_buying, D(2026, 7, 1))

    found = steps_of(db, StepKind.THANK_YOU)
    assert set(found) == {"Seit 2023 GmbH"}
    step = found["Seit 2023 GmbH"]
    assert step.ref == "2025-09-10" and step.due == D(2025, 9, 10)
    assert step.why_in() == "2 years of working together on 10 Sep 2025."
    assert "Ganz neu OHG" in names(db, StepKind.THANK_YOU, D(2026, 8, 10))
    assert steps_of(db, StepKind.THANK_YOU, D(2026, 8, 10))["Ganz neu OHG"].why_in() == (
        "1 year of working together on 20 Aug 2026."
    )


def test_ask_for_feedback_when_a_job_ended_well(db: Database) -> None:
    happy = client(db, "Gut gelaufen GmbH", invoiced_on=None)
    invoice(db, happy, D(2025, 7, 20), paid=D(2025, 8, 15))
    grumpy = client(db, "Reklamiert AG", invoiced_on=None)
    invoice(db, grumpy, D(2025, 7, 20), paid=D(2025, 8, 15))
    log(db, grumpy, D(2025, 6, 1), InteractionKind.COMPLAINT)
    asked = client(db, "Schon gefragt KG", invoiced_on=None)
    invoice(db, asked, D(2025, 7, 20), paid=D(2025, 8, 15))
    feedback_service.create_request(
        db, {"client_id": asked, "channel": "letter", "planned_on": D(2025, 1, 10)}, D(2025, 1, 10)
    )
    long_ago = client(db, "Längst bezahlt OHG", invoiced_on=None)
    invoice(db, long_ago, D(2025, 6, 1), paid=D(2025, 7, 1))

    found = steps_of(db, StepKind.ASK_FEEDBACK)
    assert set(found) == {"Gut gelaufen GmbH"}
    step = found["Gut gelaufen GmbH"]
    assert (step.feedback_kind, step.channel, step.due) == (
        FeedbackKind.FEEDBACK,
        Channel.EMAIL,
        D(2025, 8, 22),
    )
    assert step.why_in() == (
        "A job ended well: the invoice of 20 Jul 2025 was paid on 15 Aug 2025, with no complaint."
    )


def test_follow_up_sent_feedback_requests(db: Database) -> None:
    due = client(db, "Nachfassen AG")
    request = feedback_service.create_request(db, {"client_id": due}, D(2025, 8, 1))
    feedback_service.mark_sent(db, request.id, D(2025, 8, 1))
    early = client(db, "Zu früh GmbH")
    feedback_service.mark_sent(
        db,
        feedback_service.create_request(db, {"client_id": early}, D(2025, 8, 25)).id,
        D(2025, 8, 25),
    )
    found = steps_of(db, StepKind.FEEDBACK_FOLLOWUP)
    assert set(found) == {"Nachfassen AG"}
    assert found["Nachfassen AG"].id == f"feedback_followup:{due}:{request.id}"
    assert found["Nachfassen AG"].why_in() == (
        "Request for Feedback sent on 1 Aug 2025 has no answer yet."
    )
    assert "Zu früh GmbH" in names(db, StepKind.FEEDBACK_FOLLOWUP, D(2025, 9, 8))


def test_tell_chosen_clients_about_new_skills(db: Database) -> None:
    chosen = client(db, "Neugierig GmbH", invoiced_on=D(2025, 8, 1))
    objected = client(db, "Widerspruch KG", invoiced_on=D(2025, 8, 1), objection_on=D(2025, 5, 1))
    later = client(db, "Nicht gewählt AG", invoiced_on=D(2025, 8, 1))
    news = steps_service.announce_news(
        db, "Jetzt auch UX-Audits", [chosen, objected], D(2025, 8, 30)
    )
    found = steps_of(db, StepKind.NEW_SKILLS)
    assert set(found) == {"Neugierig GmbH"}
    assert (found["Neugierig GmbH"].id, found["Neugierig GmbH"].channel) == (
        f"new_skills:{chosen}:{news.ref}",
        Channel.EMAIL,
    )
    steps_service.accept(db, found["Neugierig GmbH"].id, AS_OF)
    steps_service.announce_news(db, "Jetzt auch UX-Audits", [chosen, later], AS_OF)
    assert names(db, StepKind.NEW_SKILLS) == {"Nicht gewählt AG"}  # the same news: told once
    with pytest.raises(InputError):
        steps_service.announce_news(db, "  ", [chosen], AS_OF)
    with pytest.raises(InputError):
        steps_service.announce_news(db, "X", [999], AS_OF)


def test_regular_time_for_new_clients_follows_the_setting(db: Database) -> None:
    [step] = steps_of(db, StepKind.NEW_CLIENTS).values()
    assert (step.id, step.client, step.channel, step.due) == (
        "new_clients:2025-08-11",  # every fourth week from Monday, 1 January 2024
        None,
        None,
        D(2025, 8, 15),
    )
    assert step.why_in() == "Your plan: time for new clients every 4 weeks."
    # no client to name: the step says what it concerns
    assert (step.subject_in("en"), step.subject_in("de")) == (
        "Finding new clients",
        "Neukundengewinnung",
    )
    settings_service.save(db, new_clients_every_weeks=1)
    [step] = steps_of(db, StepKind.NEW_CLIENTS).values()
    assert (step.ref, step.why_in()) == (
        "2025-09-01",
        "Your plan: time for new clients every week.",
    )
    settings_service.save(db, new_clients_every_weeks=0)
    assert names(db, StepKind.NEW_CLIENTS) == set()


# --------------------------------------------------------------------------------------------
# Blocked clients, order, ids and decisions
# --------------------------------------------------------------------------------------------


def test_clients_nobody_may_contact_get_no_step_at_all(db: Database) -> None:
    objected = client(db, "Widerspruch KG", invoiced_on=D(2025, 1, 10), objection_on=D(2025, 2, 1))
    log(db, objected, D(2025, 8, 20), InteractionKind.PRAISE)
    invoice(db, objected, D(2025, 1, 12), due=D(2025, 1, 20))
    erased = client(db, "Gelöscht AG", invoiced_on=D(2025, 1, 10))
    erase_client(db, erased, D(2025, 2, 1))
    client(db, "Archiv GmbH", invoiced_on=D(2025, 1, 10), archived=True)
    lost = client(db, "Verloren mit Widerspruch")
    lose(db, lost, D(2025, 8, 30), "pushed", "quality", objected=True)

    assert [step.kind for step in steps_service.plan(db, AS_OF)] == [StepKind.NEW_CLIENTS]


def test_the_plan_is_in_priority_order(db: Database) -> None:
    client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    small = client(db, "Klein verloren", invoiced_on=D(2025, 6, 1))
    lose(db, small, D(2025, 8, 30), "pulled", "competitor")
    big = client(db, "Groß verloren", invoiced_on=D(2025, 6, 1))
    invoice(db, big, D(2025, 7, 1), "4000.00")
    lose(db, big, D(2025, 8, 30), "pulled", "competitor")

    assert [(s.kind, s.client) for s in steps_service.plan(db, AS_OF)] == [
        (StepKind.WINBACK, "Groß verloren"),
        (StepKind.WINBACK, "Klein verloren"),
        (StepKind.REACTIVATE, "Schläfer AG"),
        (StepKind.NEW_CLIENTS, None),
    ]


def test_accepting_twice_makes_one_reminder_and_undo_takes_it_back(db: Database) -> None:
    lost = client(db, "Frisch verloren AG")
    lose(db, lost, D(2025, 8, 30), "pulled", "competitor")
    step = steps_of(db, StepKind.WINBACK)["Frisch verloren AG"]

    first = steps_service.accept(db, step.id, AS_OF)
    again = steps_service.accept(db, step.id, AS_OF)
    assert first.reminder is not None and not first.again
    assert again.again and again.reminder is not None and again.reminder.id == first.reminder.id
    [reminder] = reminders_service.list_reminders(db, client_id=lost, today=AS_OF)
    assert (reminder.purpose, reminder.channel, reminder.due_on) == (
        ReminderPurpose.WINBACK_FOLLOWUP,
        Channel.PHONE,
        AS_OF,
    )
    assert reminder.note is not None and reminder.note.startswith("Call now")
    assert first.message == "Reminder for 1 Sep 2025 created."
    assert again.message == "Already done before: Reminder for 1 Sep 2025 created."
    assert "Frisch verloren AG" not in names(db, StepKind.WINBACK)

    undone = steps_service.undo(db, step.id)
    assert undone is not None and undone.decision is Decision.ACCEPTED
    assert reminders_service.list_reminders(db, client_id=lost, today=AS_OF) == []
    assert steps_of(db, StepKind.WINBACK)["Frisch verloren AG"].id == step.id
    assert steps_service.undo(db, step.id) is None  # nothing left to undo


def test_accepting_an_ask_plans_one_feedback_request(db: Database) -> None:
    happy = client(db, "Begeistert GmbH")
    log(db, happy, D(2025, 8, 20), InteractionKind.PRAISE)
    step = steps_of(db, StepKind.ASK_REVIEW)["Begeistert GmbH"]
    done = steps_service.accept(db, step.id, AS_OF)
    steps_service.accept(db, step.id, AS_OF)
    [request] = feedback_service.list_requests(db, client_id=happy, today=AS_OF)
    assert done.request is not None and done.request.id == request.id
    assert (request.kind, request.status, request.channel, request.planned_on) == (
        FeedbackKind.REVIEW,
        FeedbackStatus.PLANNED,
        Channel.EMAIL,
        AS_OF,
    )
    steps_service.undo(db, step.id)
    assert feedback_service.list_requests(db, client_id=happy, today=AS_OF) == []


def test_dismiss_is_for_good_and_snooze_until_a_day(db: Database) -> None:
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    client(db, "Müde GmbH", invoiced_on=D(2025, 1, 10))
    asleep = steps_of(db, StepKind.REACTIVATE)
    dismissed, snoozed = asleep["Schläfer AG"].id, asleep["Müde GmbH"].id

    steps_service.dismiss(db, dismissed, AS_OF)
    assert steps_service.dismiss(db, dismissed, AS_OF).again  # twice is harmless
    with pytest.raises(InputError, match="after today"):
        steps_service.snooze(db, snoozed, AS_OF, AS_OF)
    assert steps_service.snooze(db, snoozed, D(2025, 9, 8), AS_OF).message == (
        "Snoozed until 8 Sep 2025."
    )
    assert names(db, StepKind.REACTIVATE) == set()
    assert names(db, StepKind.REACTIVATE, D(2025, 9, 7)) == set()
    assert names(db, StepKind.REACTIVATE, D(2025, 9, 8)) == {"Müde GmbH"}  # back on its day
    assert names(db, StepKind.REACTIVATE, D(2026, 1, 1)) == {"Müde GmbH"}  # the same sleep
    # A new invoice ends the sleep; the next sleep is a new occasion with a new id.
    invoice(db, sleeper, D(2025, 9, 10))
    assert names(db, StepKind.REACTIVATE, D(2026, 3, 10)) == {"Schläfer AG", "Müde GmbH"}
    with pytest.raises(NotFoundError):
        steps_service.dismiss(db, "reactivate:999:2025-01-10", AS_OF)


def test_a_step_the_situation_no_longer_calls_for_is_refused(db: Database) -> None:
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    step = steps_of(db, StepKind.REACTIVATE)["Schläfer AG"]
    clients_service.update_client(db, sleeper, {"objection_on": D(2025, 8, 31)})
    with pytest.raises(NotFoundError):
        steps_service.accept(db, step.id, AS_OF)


def test_decisions_of_a_merged_client_follow_it(db: Database) -> None:
    keep = client(db, "Müller GmbH", invoiced_on=D(2025, 1, 10))
    other = client(db, "Mueller GmbH", invoiced_on=D(2025, 1, 10))
    steps_service.dismiss(db, steps_of(db, StepKind.REACTIVATE)["Mueller GmbH"].id, AS_OF)
    clients_service.merge_clients(db, keep, other)
    with db.session() as session:
        rows = session.exec(select(StepDecision)).all()
        assert [(row.step_id, row.client_id) for row in rows] == [
            (f"reactivate:{keep}:2025-01-10", keep)
        ]
    assert names(db, StepKind.REACTIVATE) == set()


def test_dismissed_suggestions_survive_the_upgrade(db: Database) -> None:
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    path = db.path
    db.close()
    config = Config()
    config.set_main_option("script_location", str(package_dir() / "migrations"))
    with create_engine("sqlite://", creator=lambda: sqlite3.connect(path)).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        connection.exec_driver_sql(
            "INSERT INTO dismissed_suggestion (rule, client_id, ref, dismissed_on) "
            f"VALUES ('reactivate', {sleeper}, '2025-01-10', '2025-08-01')"
        )
    with open_database(path) as upgraded:
        assert names(upgraded, StepKind.REACTIVATE) == set()
        assert steps_service.decisions(upgraded) == {
            f"reactivate:{sleeper}:2025-01-10": Decision.DISMISSED
        }


# --------------------------------------------------------------------------------------------
# The look back kept with a loss
# --------------------------------------------------------------------------------------------


def test_a_loss_keeps_the_signs_that_showed_before_it(db: Database) -> None:
    grumpy = client(db, "Reklamiert AG", invoiced_on=None)
    monthly(db, grumpy, D(2024, 1, 15), 20)
    log(db, grumpy, D(2025, 7, 1), InteractionKind.COMPLAINT)
    log(db, grumpy, D(2025, 8, 15), InteractionKind.COMPLAINT)
    loss = lose(db, grumpy, D(2025, 8, 31), "pushed", "complaint_handling")
    log(db, grumpy, D(2025, 9, 5), InteractionKind.COMPLAINT)  # after the loss: not part of it

    look = losses_service.look_back(db, loss)
    assert look.kept and [sign.name for sign in look.signs] == [MORE_COMPLAINTS]
    assert look.lines() == [
        (
            "More complaints",
            "Complaints rose from 0.0 to 0.3 a month (2 since 1 Mar 2025).",
        )
    ]
    # A loss recorded before the look back was kept: worked out from the records of its day.
    with db.session() as session:
        session.get(Loss, loss).signs_before = None  # type: ignore[union-attr]
    worked_out = losses_service.look_back(db, loss)
    assert not worked_out.kept and worked_out.lines() == look.lines()
    # Moving the loss to an earlier day looks back from that day.
    losses_service.update_loss(db, loss, {"lost_on": D(2025, 6, 1)})
    assert losses_service.look_back(db, loss).empty


def test_a_sleeping_client_lost_later_looks_back_on_its_sleep(db: Database) -> None:
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    loss = lose(db, sleeper, D(2025, 8, 30), "broken", "need_changed")
    assert losses_service.look_back(db, loss).lines() == [
        ("Sleeping", "No revenue since 10 Jan 2025 (232 days).")
    ]
    with db.session() as session:
        assert session.exec(select(Interaction)).all() == []


def test_the_clients_lists_reasons_are_those_of_each_clients_situation(big_book: BigBook) -> None:
    """``reasons`` reads only the facts a reason names; it says what ``status_reasons`` says of
    the whole situation the plan works from, for every client of a large book, on its last
    day and half a year before."""
    with open_database(big_book.path, writable=False) as db:
        for as_of in (big_book.as_of, big_book.as_of - dt.timedelta(days=182)):
            situations = steps_service.facts(db, as_of).clients
            expected = {client.client_id: status_reasons(client, as_of) for client in situations}
            found = steps_service.reasons(db, as_of)
            assert found == expected
            statuses = {client.status for client in situations if expected[client.client_id]}
            assert statuses >= {
                ClientStatus.AT_RISK,
                ClientStatus.SLEEPING,
                ClientStatus.LOST,
                ClientStatus.WON_BACK,
            }
