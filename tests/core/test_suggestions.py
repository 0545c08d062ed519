"""Suggestion rules: for each, a client that must get it and clients that must not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from freelancer_desk import clock
from freelancer_desk.analytics.suggestions import Rule, cool_off_days
from freelancer_desk.contact_rules import Verdict
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError, NotFoundError
from freelancer_desk.models import (
    Channel,
    FeedbackKind,
    FeedbackStatus,
    Interaction,
    InteractionKind,
    Loss,
    LossType,
    Reaction,
    ReminderPurpose,
    WinbackAttempt,
    WinbackCase,
    WinbackOutcome,
)
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import suggestions as suggestions_service
from freelancer_desk.services.feedback import FeedbackRow
from freelancer_desk.services.reminders import ReminderRow

D = dt.date
AS_OF = D(2025, 9, 1)
INVOICED_ON = D(2024, 6, 1)


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    """The records are made on ``AS_OF``: it is today for the whole app."""
    with clock.pinned(AS_OF) as day:
        yield day


def client(
    db: Database, name: str, invoiced_on: dt.date | None = INVOICED_ON, **fields: object
) -> int:
    """A client with one invoice (an existing customer: email allowed with caution)."""
    client_id = clients_service.create_client(db, {"name": name, **fields}).id
    if invoiced_on is not None:
        revenue_service.create_entry(
            db, {"client_id": client_id, "invoice_date": invoiced_on, "net": "500.00"}
        )
    return client_id  # type: ignore[return-value]


def lose(
    db: Database,
    client_id: int,
    lost_on: dt.date,
    loss_type: LossType,
    reason: str,
    objected: bool = False,
) -> int:
    with db.session() as session:
        loss = Loss(
            client_id=client_id,
            lost_on=lost_on,
            loss_type=loss_type,
            reason_code=reason,
            objected=objected,
        )
        session.add(loss)
        session.flush()
        return loss.id  # type: ignore[return-value]


def case(
    db: Database,
    loss_id: int,
    outcome: WinbackOutcome = WinbackOutcome.OPEN,
    revisit_on: dt.date | None = None,
    attempt: tuple[dt.date, Reaction] | None = None,
) -> None:
    with db.session() as session:
        row = WinbackCase(loss_id=loss_id, outcome=outcome, revisit_on=revisit_on)
        session.add(row)
        session.flush()
        if attempt is not None:
            session.add(WinbackAttempt(case_id=row.id, date=attempt[0], reaction=attempt[1]))  # type: ignore[arg-type]


def complaint(db: Database, client_id: int, day: dt.date) -> None:
    with db.session() as session:
        session.add(Interaction(client_id=client_id, date=day, kind=InteractionKind.COMPLAINT))


def names(db: Database, rule: Rule, as_of: dt.date = AS_OF) -> set[str]:
    return {s.client_name for s in suggestions_service.suggestions(db, as_of) if s.rule is rule}


def only(db: Database, rule: Rule, name: str, as_of: dt.date = AS_OF):  # type: ignore[no-untyped-def]
    [found] = [
        s
        for s in suggestions_service.suggestions(db, as_of)
        if s.rule is rule and s.client_name == name
    ]
    return found


# --------------------------------------------------------------------------------------------


def test_reactivate_sleeping_clients(db: Database) -> None:
    client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))  # 234 days without revenue
    client(db, "Wach GmbH", invoiced_on=D(2025, 8, 1))
    client(db, "Widerspruch KG", invoiced_on=D(2025, 1, 10), objection_on=D(2025, 2, 1))
    client(db, "Privat Paula", invoiced_on=D(2025, 1, 10), kind="private")
    done = client(db, "Erledigt OHG", invoiced_on=D(2025, 1, 10))
    open_ = client(db, "Offen GbR", invoiced_on=D(2025, 1, 10))
    earlier = client(db, "Früher erledigt", invoiced_on=D(2025, 1, 10))
    row = reminders_service.create_reminder(
        db, {"client_id": done, "due_on": D(2025, 8, 1), "purpose": "reactivate"}
    )
    reminders_service.complete(db, row.id, D(2025, 8, 2))
    reminders_service.create_reminder(
        db, {"client_id": open_, "due_on": D(2025, 9, 5), "purpose": "reactivate"}
    )
    old = reminders_service.create_reminder(
        db, {"client_id": earlier, "due_on": D(2024, 1, 1), "purpose": "reactivate"}
    )
    reminders_service.complete(
        db, old.id, D(2024, 1, 2)
    )  # before the sleep began: a new occasion now

    assert names(db, Rule.REACTIVATE) == {"Schläfer AG", "Privat Paula", "Früher erledigt"}
    business = only(db, Rule.REACTIVATE, "Schläfer AG")
    # No consent recorded: phone first, with the presumed-interest caution for a business.
    assert (business.channel, business.permission.verdict) == (Channel.PHONE, Verdict.CAUTION)
    assert business.why == "No revenue since 10 Jan 2025 (234 days)."
    assert business.purpose is ReminderPurpose.REACTIVATE and business.ref == "2025-01-10"
    # A private person may not be called without consent: the blocked phone is skipped for email.
    assert only(db, Rule.REACTIVATE, "Privat Paula").channel is Channel.EMAIL


def test_a_written_consent_beats_a_cautious_call(db: Database) -> None:
    client(db, "Einwilligung AG", invoiced_on=D(2025, 1, 10), email_consent_on=D(2024, 1, 1))
    assert only(db, Rule.REACTIVATE, "Einwilligung AG").permission.verdict is Verdict.ALLOWED
    assert only(db, Rule.REACTIVATE, "Einwilligung AG").channel is Channel.EMAIL


def test_winback_after_a_cool_off_by_reason_and_type(db: Database) -> None:
    pushed = client(db, "Qualität GmbH")
    lose(db, pushed, D(2025, 8, 20), LossType.PUSHED, "quality")  # cool-off 7 days: over
    pulled = client(db, "Konkurrenz AG")
    lose(db, pulled, D(2025, 7, 1), LossType.PULLED, "competitor")  # cool-off 90 days
    other = client(db, "Sonstiges KG")
    lose(db, other, D(2025, 7, 1), LossType.PULLED, "other")  # by type: 60 days
    closed = client(db, "Pleite GmbH")
    lose(db, closed, D(2025, 1, 1), LossType.BROKEN, "closed")  # no win-back at all
    objected = client(db, "Nie wieder AG")
    lose(db, objected, D(2025, 1, 1), LossType.PUSHED, "quality", objected=True)
    under_way = client(db, "Läuft schon GmbH")
    case(
        db,
        lose(db, under_way, D(2025, 6, 1), LossType.PUSHED, "poor_service"),
        attempt=(D(2025, 6, 10), Reaction.RESERVED),
    )
    given_up = client(db, "Aufgegeben KG")
    case(
        db,
        lose(db, given_up, D(2025, 3, 1), LossType.PULLED, "price_too_high"),
        WinbackOutcome.GIVEN_UP,
    )
    parked = client(db, "Später GmbH")
    parked_loss = lose(db, parked, D(2025, 3, 1), LossType.PULLED, "competitor")
    case(
        db,
        parked_loss,
        WinbackOutcome.NOT_NOW,
        revisit_on=D(2025, 8, 15),
        attempt=(D(2025, 3, 20), Reaction.FRIENDLY),
    )

    assert names(db, Rule.WINBACK) == {"Qualität GmbH", "Sonstiges KG", "Später GmbH"}
    assert names(db, Rule.WINBACK, D(2025, 9, 28)) == {
        "Qualität GmbH",
        "Sonstiges KG",
        "Später GmbH",
    }
    assert "Konkurrenz AG" in names(db, Rule.WINBACK, D(2025, 9, 29))  # 1 Jul + 90 days
    quality = only(db, Rule.WINBACK, "Qualität GmbH")
    assert quality.channel is Channel.PHONE and quality.purpose is ReminderPurpose.WINBACK_FOLLOWUP
    assert quality.why == (
        "Lost on 20 Aug 2025 (Left because of us); the cool-off of 7 days is over."
    )
    later = only(db, Rule.WINBACK, "Später GmbH")
    assert (later.ref, later.why) == (
        f"{parked_loss}@2025-08-15",
        "The win-back was put off until 15 Aug 2025.",
    )
    # Not before the revisit day.
    assert "Später GmbH" not in names(db, Rule.WINBACK, D(2025, 8, 14))


def test_cool_off_table() -> None:
    assert cool_off_days("complaint_handling", LossType.PUSHED) == 7
    assert cool_off_days("wants_change", LossType.PULLED) == 180
    assert cool_off_days("my_own_reason", LossType.BROKEN) == 120
    assert cool_off_days("closed", LossType.BROKEN) is None


def test_a_done_winback_reminder_counts_as_done(db: Database) -> None:
    pushed = client(db, "Qualität GmbH")
    lose(db, pushed, D(2025, 8, 20), LossType.PUSHED, "quality")
    row = reminders_service.create_reminder(
        db, {"client_id": pushed, "due_on": D(2025, 8, 28), "purpose": "winback_followup"}
    )
    assert names(db, Rule.WINBACK) == set()  # open
    reminders_service.complete(db, row.id, D(2025, 8, 29))
    assert names(db, Rule.WINBACK) == set()  # done since the loss


def test_follow_up_sent_requests(db: Database) -> None:
    due = client(db, "Nachfassen AG")
    feedback_service.mark_sent(
        db, feedback_service.create_request(db, {"client_id": due}, D(2025, 8, 1)).id, D(2025, 8, 1)
    )
    early = client(db, "Zu früh GmbH")
    feedback_service.mark_sent(
        db,
        feedback_service.create_request(db, {"client_id": early}, D(2025, 8, 25)).id,
        D(2025, 8, 25),
    )
    answered = client(db, "Beantwortet KG")
    request = feedback_service.create_request(db, {"client_id": answered}, D(2025, 7, 1))
    feedback_service.mark_sent(db, request.id, D(2025, 7, 1))
    feedback_service.record_answer(db, request.id, "received", D(2025, 7, 3), "Top")
    handled = client(db, "Schon erinnert OHG")
    feedback_service.mark_sent(
        db,
        feedback_service.create_request(db, {"client_id": handled}, D(2025, 7, 1)).id,
        D(2025, 7, 1),
    )
    reminder = reminders_service.create_reminder(
        db, {"client_id": handled, "due_on": D(2025, 7, 15), "purpose": "feedback_followup"}
    )
    reminders_service.complete(db, reminder.id, D(2025, 7, 16))
    # Asked by phone with consent; the consent was withdrawn since: the phone is now blocked.
    withdrawn = client(db, "Privat Pia", kind="private", phone_consent_on=D(2025, 1, 1))
    feedback_service.mark_sent(
        db,
        feedback_service.create_request(
            db, {"client_id": withdrawn, "channel": "phone", "kind": "referral"}, D(2025, 7, 1)
        ).id,
        D(2025, 7, 1),
    )
    clients_service.update_client(db, withdrawn, {"phone_consent_on": None})

    assert names(db, Rule.FEEDBACK_FOLLOWUP) == {"Nachfassen AG"}
    found = only(db, Rule.FEEDBACK_FOLLOWUP, "Nachfassen AG")
    assert found.why == "Request for Feedback sent on 1 Aug 2025 has no answer yet."
    assert (found.channel, found.purpose) == (Channel.EMAIL, ReminderPurpose.FEEDBACK_FOLLOWUP)
    assert "Zu früh GmbH" in names(db, Rule.FEEDBACK_FOLLOWUP, D(2025, 9, 8))  # 25 Aug + 14 days


def test_ask_clients_who_left_on_good_terms(db: Database) -> None:
    loyal = client(db, "Treu GmbH", loyalty="loyal")
    lose(db, loyal, D(2025, 6, 1), LossType.BROKEN, "need_changed")
    closed = client(db, "Pleite GmbH")
    lose(db, closed, D(2025, 6, 1), LossType.BROKEN, "closed")
    moved = client(db, "Umzug KG")
    lose(db, moved, D(2025, 6, 1), LossType.BROKEN, "moved")
    complained = client(db, "Reklamation AG")
    complaint(db, complained, D(2025, 3, 1))
    lose(db, complained, D(2025, 6, 1), LossType.PULLED, "competitor")
    old_complaint = client(db, "Alte Reklamation AG")
    complaint(db, old_complaint, D(2024, 5, 1))  # more than a year before the loss
    lose(db, old_complaint, D(2025, 6, 1), LossType.PULLED, "competitor")
    pushed = client(db, "Verärgert GmbH")
    lose(db, pushed, D(2025, 6, 1), LossType.PUSHED, "poor_service")
    rude = client(db, "Unhöflich KG")
    case(
        db,
        lose(db, rude, D(2025, 6, 1), LossType.BROKEN, "crisis"),
        attempt=(D(2025, 6, 5), Reaction.RUDE),
    )
    recent = client(db, "Gerade weg GmbH")
    lose(db, recent, D(2025, 8, 25), LossType.BROKEN, "moved")
    objected = client(db, "Nie wieder AG")
    lose(db, objected, D(2025, 6, 1), LossType.BROKEN, "moved", objected=True)
    asked = client(db, "Schon gefragt KG")
    lose(db, asked, D(2025, 6, 1), LossType.BROKEN, "moved")
    feedback_service.create_request(
        db, {"client_id": asked, "kind": "review", "planned_on": D(2025, 6, 20)}, D(2025, 6, 20)
    )

    assert names(db, Rule.ASK_REVIEW) == {
        "Treu GmbH",
        "Pleite GmbH",
        "Umzug KG",
        "Alte Reklamation AG",
    }
    assert only(db, Rule.ASK_REVIEW, "Treu GmbH").kind is FeedbackKind.RECOMMENDATION
    assert only(db, Rule.ASK_REVIEW, "Pleite GmbH").kind is FeedbackKind.REFERRAL
    moved_one = only(db, Rule.ASK_REVIEW, "Umzug KG")
    assert (moved_one.kind, moved_one.channel) == (FeedbackKind.REVIEW, Channel.EMAIL)
    assert moved_one.why == "Parted on good terms on 1 Jun 2025. Ask for: Review / testimonial."
    assert "Gerade weg GmbH" in names(db, Rule.ASK_REVIEW, D(2025, 9, 8))  # 25 Aug + 14 days


def test_tell_chosen_clients_about_new_skills(db: Database) -> None:
    chosen = client(db, "Neugierig GmbH", invoiced_on=D(2025, 8, 1))
    objected = client(db, "Widerspruch KG", invoiced_on=D(2025, 8, 1), objection_on=D(2025, 5, 1))
    later = client(db, "Nicht gewählt AG", invoiced_on=D(2025, 8, 1))
    suggestions_service.announce_news(
        db, "Jetzt auch UX-Audits", [chosen, objected], D(2025, 8, 30)
    )
    assert names(db, Rule.NEW_SKILLS) == {"Neugierig GmbH"}
    found = only(db, Rule.NEW_SKILLS, "Neugierig GmbH")
    assert (found.why, found.channel) == (
        "Chosen for your news: Jetzt auch UX-Audits",
        Channel.EMAIL,
    )

    row = suggestions_service.accept(db, found.key, AS_OF)
    assert isinstance(row, ReminderRow)
    assert (row.purpose, row.due_on, row.note) == (ReminderPurpose.NEW_OFFERS, AS_OF, found.why)
    assert names(db, Rule.NEW_SKILLS) == set()  # open
    reminders_service.complete(db, row.id, AS_OF)
    assert names(db, Rule.NEW_SKILLS) == set()  # done for this news
    # The same news for one more client: only the newly chosen one is suggested.
    suggestions_service.announce_news(db, "Jetzt auch UX-Audits", [chosen, later], AS_OF)
    assert names(db, Rule.NEW_SKILLS) == {"Nicht gewählt AG"}
    suggestions_service.announce_news(db, "Und Barrierefreiheit", [chosen], D(2025, 9, 2))
    assert names(db, Rule.NEW_SKILLS, D(2025, 9, 3)) == {"Neugierig GmbH"}  # new news, new occasion
    with pytest.raises(InputError):
        suggestions_service.announce_news(db, "  ", [chosen], AS_OF)
    with pytest.raises(InputError):
        suggestions_service.announce_news(db, "X", [999], AS_OF)
    suggestions_service.clear_news(db)
    assert suggestions_service.current_news(db) is None


def test_accepting_an_ask_makes_a_planned_request_and_dismissing_is_for_good(db: Database) -> None:
    moved = client(db, "Umzug KG")
    lose(db, moved, D(2025, 6, 1), LossType.BROKEN, "moved")
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    ask = only(db, Rule.ASK_REVIEW, "Umzug KG")
    request = suggestions_service.accept(db, ask.key, AS_OF)
    assert isinstance(request, FeedbackRow)
    assert (request.kind, request.status, request.channel, request.planned_on) == (
        FeedbackKind.REVIEW,
        FeedbackStatus.PLANNED,
        Channel.EMAIL,
        AS_OF,
    )
    with pytest.raises(NotFoundError):
        suggestions_service.accept(db, ask.key, AS_OF)  # accepted already

    sleep = only(db, Rule.REACTIVATE, "Schläfer AG")
    suggestions_service.dismiss(db, sleep.key, AS_OF)
    suggestions_service.dismiss(db, sleep.key, AS_OF)  # twice is harmless
    assert names(db, Rule.REACTIVATE) == set()
    assert names(db, Rule.REACTIVATE, D(2026, 1, 1)) == set()  # the same sleep stays dismissed
    # A new invoice ends the sleep; the next sleep is a new occasion.
    revenue_service.create_entry(
        db, {"client_id": sleeper, "invoice_date": D(2025, 9, 10), "net": "100.00"}
    )
    assert names(db, Rule.REACTIVATE, D(2026, 3, 10)) == {"Schläfer AG"}


def test_an_objection_after_the_suggestion_refuses_the_accept(db: Database) -> None:
    sleeper = client(db, "Schläfer AG", invoiced_on=D(2025, 1, 10))
    found = only(db, Rule.REACTIVATE, "Schläfer AG")
    clients_service.update_client(db, sleeper, {"objection_on": D(2025, 8, 31)})
    with pytest.raises(NotFoundError):
        suggestions_service.accept(db, found.key, AS_OF)


def test_archived_and_erased_clients_get_nothing(db: Database) -> None:
    client(db, "Archiv GmbH", invoiced_on=D(2025, 1, 10), archived=True)
    erased = client(db, "Gelöscht AG", invoiced_on=D(2025, 1, 10))
    with db.session() as session:
        from freelancer_desk.models import Client

        session.get(Client, erased).erased = True  # type: ignore[union-attr]
    assert suggestions_service.suggestions(db, AS_OF) == []
