"""Feedback requests: planned → sent → answered, templates, sending by email under the contact
rules."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest

from freelancer_desk import clock
from freelancer_desk.contact_rules import ContactBlockedError
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import set_language
from freelancer_desk.models import Channel, FeedbackKind, FeedbackStatus
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service

D = dt.date
TODAY = D(2025, 6, 2)


@pytest.fixture
def buyer(db: Database) -> int:
    """A business that bought (email allowed under the existing-customer exception)."""
    client = clients_service.create_client(
        db,
        {
            "name": "Müller & Söhne GmbH",
            "contact_person": "Frau Jördis Weiß",
            "email": "weiss@mueller-soehne.de",
        },
    )
    revenue_service.create_entry(
        db, {"client_id": client.id, "invoice_date": D(2025, 1, 10), "net": "1200.00"}
    )
    return client.id  # type: ignore[return-value]


def test_a_request_goes_planned_sent_received(db: Database, buyer: int) -> None:
    row = feedback_service.create_request(
        db, {"client_id": buyer, "kind": "review", "planned_on": TODAY}, TODAY
    )
    assert (row.status, row.channel, row.client_name) == (
        FeedbackStatus.PLANNED,
        Channel.EMAIL,
        "Müller & Söhne GmbH",
    )
    sent = feedback_service.mark_sent(db, row.id, D(2025, 6, 3))
    assert (sent.status, sent.sent_on, sent.follow_up_on) == (
        FeedbackStatus.SENT,
        D(2025, 6, 3),
        D(2025, 6, 17),
    )
    answered = feedback_service.update_request(
        db,
        row.id,
        {
            "status": "received",
            "answered_on": D(2025, 6, 9),
            "response": "Sehr zuverlässig – gern wieder!",
            "rating": 5,
        },
    )
    assert (answered.status, answered.answered_on, answered.response, answered.rating) == (
        FeedbackStatus.RECEIVED,
        D(2025, 6, 9),
        "Sehr zuverlässig – gern wieder!",
        5,
    )
    with pytest.raises(InputError, match="answered already"):
        feedback_service.mark_sent(db, row.id, D(2025, 6, 10))
    assert [r.id for r in feedback_service.list_requests(db, client_id=buyer)] == [row.id]


def test_answers_are_checked(db: Database, buyer: int) -> None:
    row = feedback_service.create_request(db, {"client_id": buyer}, TODAY)
    feedback_service.mark_sent(db, row.id, TODAY)
    with pytest.raises(InputError) as error:
        feedback_service.update_request(
            db, row.id, {"status": "received", "answered_on": TODAY, "response": "gut", "rating": 6}
        )
    assert error.value.field == "rating"
    with pytest.raises(InputError, match="before the request was sent"):
        feedback_service.update_request(
            db, row.id, {"status": "declined", "answered_on": D(2025, 6, 1)}
        )


def test_a_given_later_follow_up_date_is_kept(db: Database, buyer: int) -> None:
    row = feedback_service.create_request(
        db, {"client_id": buyer, "follow_up_on": D(2025, 7, 1)}, TODAY
    )
    assert feedback_service.mark_sent(db, row.id, TODAY).follow_up_on == D(2025, 7, 1)


def test_planning_on_a_blocked_channel_is_refused_with_the_reason(db: Database) -> None:
    private = clients_service.create_client(
        db, {"name": "Petra Privat", "kind": "private", "email": "p@example.org"}
    )
    with pytest.raises(ContactBlockedError, match="consent or an earlier sale"):
        feedback_service.create_request(db, {"client_id": private.id, "channel": "email"}, TODAY)
    with pytest.raises(
        ContactBlockedError, match="private person needs their prior express consent"
    ):
        feedback_service.create_request(db, {"client_id": private.id, "channel": "phone"}, TODAY)
    # A letter is allowed; switching it to phone later is refused the same way.
    row = feedback_service.create_request(db, {"client_id": private.id, "channel": "letter"}, TODAY)
    with pytest.raises(ContactBlockedError):
        feedback_service.update_request(db, row.id, {"channel": "phone"}, TODAY)


def test_an_email_is_prepared_and_counts_as_sent_only_when_marked(db: Database, buyer: int) -> None:
    settings_service.save(db, owner_name="Jana Öztürk Design")
    row = feedback_service.create_request(db, {"client_id": buyer, "kind": "recommendation"}, TODAY)
    set_language("de")
    url = feedback_service.prepare_email(db, row.id, "de", TODAY).mailto()
    assert feedback_service.list_requests(db)[0].status is FeedbackStatus.PLANNED  # a draft
    assert url.startswith("mailto:weiss@mueller-soehne.de?subject=")
    fields = dict(part.split("=", 1) for part in url.partition("?")[2].split("&"))
    subject, body = unquote(fields["subject"]), unquote(fields["body"])
    assert subject == "Bitte um ein Empfehlungsschreiben"
    assert body.startswith(
        "Sehr geehrte Frau Weiß,\r\n\r\n"  # "Frau" written in the contact field
        "vielen Dank für die gute Zusammenarbeit mit Müller & Söhne GmbH."
    )
    assert "Viele Grüße\r\nJana Öztürk Design" in body
    assert body.endswith(  # how to object, §7(3) Nr. 4 UWG
        "Sie können der Verwendung Ihrer E-Mail-Adresse für solche Nachrichten jederzeit "
        "widersprechen, zum Beispiel mit einer kurzen Antwort; dafür entstehen Ihnen keine "
        "anderen als die Übermittlungskosten nach den Basistarifen."
    )
    feedback_service.mark_sent(db, row.id, TODAY, Channel.EMAIL)
    sent = feedback_service.list_requests(db)[0]
    assert (sent.status, sent.sent_on, sent.channel) == (FeedbackStatus.SENT, TODAY, Channel.EMAIL)


def test_an_email_is_refused_after_an_objection_and_without_an_address(
    db: Database, buyer: int
) -> None:
    row = feedback_service.create_request(db, {"client_id": buyer}, TODAY)
    clients_service.update_client(db, buyer, {"objection_on": D(2025, 5, 20)})
    with pytest.raises(ContactBlockedError, match="objected to any contact on 20 May 2025"):
        feedback_service.prepare_email(db, row.id, "en", TODAY)
    assert feedback_service.list_requests(db)[0].status is FeedbackStatus.PLANNED
    clients_service.update_client(db, buyer, {"objection_on": None, "email": None})
    with pytest.raises(InputError, match="no email address"):
        feedback_service.prepare_email(db, row.id, "en", TODAY)


def test_templates_are_editable_per_kind_and_language_and_can_be_reset(
    db: Database, buyer: int
) -> None:
    shipped = feedback_service.template(db, FeedbackKind.REFERRAL, "en")
    assert not shipped.customised and shipped.body.startswith("{greeting},")
    feedback_service.save_template(
        db, "referral", "en", "Hi {contact}", "Dear {contact} at {client},\nrefer me?\n{sender}"
    )
    edited = feedback_service.template(db, "referral", "en")
    assert edited.customised and edited.subject == "Hi {contact}"
    assert feedback_service.template(db, "referral", "de").customised is False
    row = feedback_service.create_request(db, {"client_id": buyer, "kind": "referral"}, TODAY)
    message = feedback_service.compose(db, row.id, "en")
    assert (message.subject, message.body) == (
        "Hi Frau Jördis Weiß",
        "Dear Frau Jördis Weiß at Müller & Söhne GmbH,\nrefer me?\n\n"
        + feedback_service.objection("en"),  # an edited text cannot lose how to object
    )
    assert feedback_service.reset_template(db, "referral", "en") == shipped


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hallo {name}", "knows no placeholder {name}"),
        ("Hallo {contact", "lone"),
        ("   ", "must not be empty"),
    ],
)
def test_broken_templates_are_refused(db: Database, body: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as error:
        feedback_service.save_template(db, "feedback", "de", "Betreff", body)
    assert error.value.field == "body"


def test_every_kind_has_a_template_in_both_languages_that_fills_in(
    db: Database, buyer: int
) -> None:
    for kind in FeedbackKind:
        for lang in ("de", "en"):
            row = feedback_service.create_request(db, {"client_id": buyer, "kind": kind}, TODAY)
            message = feedback_service.compose(db, row.id, lang)
            assert "Müller & Söhne GmbH" in message.body and "{" not in message.body


def test_every_message_says_the_client_can_object_at_no_extra_cost(
    db: Database, buyer: int
) -> None:
    for kind in FeedbackKind:
        for lang, words in (
            ("de", ("jederzeit widersprechen", "Übermittlungskosten nach den Basistarifen")),
            ("en", ("object", "at any time", "transmission costs at the basic rates")),
        ):
            row = feedback_service.create_request(db, {"client_id": buyer, "kind": kind}, TODAY)
            body = feedback_service.compose(db, row.id, lang).body
            assert body.endswith(feedback_service.objection(lang))
            assert all(word in feedback_service.objection(lang) for word in words)
            assert body.count(feedback_service.objection(lang)) == 1


def test_a_template_stored_with_the_earlier_closing_gets_the_full_one_once(
    db: Database, buyer: int
) -> None:
    earlier = (
        "Hallo {contact},\nwie war es?\n\nFalls Sie keine solchen Nachrichten mehr von mir "
        "erhalten möchten, genügt eine kurze Antwort – dann schreibe ich Ihnen nicht wieder."
    )
    feedback_service.save_template(db, "feedback", "de", "Frage", earlier)
    assert feedback_service.template(db, "feedback", "de").body == "Hallo {contact},\nwie war es?"
    row = feedback_service.create_request(db, {"client_id": buyer}, TODAY)
    body = feedback_service.compose(db, row.id, "de").body
    assert "schreibe ich Ihnen nicht wieder" not in body
    assert body == ("Hallo Frau Jördis Weiß,\nwie war es?\n\n" + feedback_service.objection("de"))


def test_a_request_planned_before_an_objection_is_not_sent_after_it(
    db: Database, buyer: int
) -> None:
    planned = feedback_service.create_request(
        db, {"client_id": buyer, "channel": "letter", "planned_on": D(2025, 5, 1)}, D(2025, 5, 1)
    )
    clients_service.update_client(db, buyer, {"objection_on": D(2025, 5, 20)})
    # Listed as blocked from the objection on, with the reason; before it, not.
    [before] = feedback_service.list_requests(db, today=D(2025, 5, 19))
    assert before.blocked is None
    [after] = feedback_service.list_requests(db, today=TODAY)
    assert after.blocked is not None and after.blocked.rule == "objection"
    # Sending it now is refused, by any way of saying so.
    with pytest.raises(ContactBlockedError, match="objected to any contact on 20 May 2025"):
        feedback_service.mark_sent(db, planned.id, TODAY)
    with pytest.raises(ContactBlockedError):
        feedback_service.update_request(db, planned.id, {"status": "sent"}, TODAY)
    # A new request dated before the objection is not accepted after it either.
    with pytest.raises(ContactBlockedError):
        feedback_service.create_request(
            db, {"client_id": buyer, "channel": "letter", "planned_on": D(2025, 5, 2)}, TODAY
        )
    with pytest.raises(ContactBlockedError):  # "sent" without a day means sent today
        feedback_service.create_request(
            db, {"client_id": buyer, "channel": "letter", "status": "sent"}, TODAY
        )
    # What really went out before the objection may still be recorded as history.
    sent = feedback_service.mark_sent(db, planned.id, D(2025, 5, 10))
    assert sent.status is FeedbackStatus.SENT


def test_the_greeting_follows_the_salutation_and_the_form_of_address(
    db: Database, buyer: int
) -> None:
    clients_service.update_client(
        db, buyer, {"contact_person": "Dr. Jördis von Weiß", "salutation": "ms"}
    )
    row = feedback_service.create_request(db, {"client_id": buyer, "kind": "review"}, TODAY)
    formal = feedback_service.compose(db, row.id, "de")
    assert formal.body.startswith("Sehr geehrte Frau Dr. von Weiß,\n\n")
    assert "Würden Sie in zwei, drei Sätzen" in formal.body
    assert feedback_service.compose(db, row.id, "en").body.startswith("Dear Dr. von Weiß,\n")

    clients_service.update_client(db, buyer, {"address_form": "informal"})
    du = feedback_service.compose(db, row.id, "de")
    assert du.body.startswith("Hallo Jördis,\n\n")
    assert "Würdest du in zwei, drei Sätzen" in du.body and " Sie " not in du.body
    # How to object, in the same voice (§7(3) Nr. 4 UWG).
    assert du.body.endswith(feedback_service.objection("de", "informal"))
    assert "Du kannst der Verwendung deiner E-Mail-Adresse" in du.body
    assert feedback_service.compose(db, row.id, "en").body.startswith("Hi Jördis,\n")


def test_the_german_du_version_of_a_template_is_edited_on_its_own(db: Database) -> None:
    feedback_service.save_template(
        db, "feedback", "de", "Wie war's?", "{greeting},\nwie war's?", form="informal"
    )
    assert feedback_service.template(db, "feedback", "de", "informal").customised
    assert not feedback_service.template(db, "feedback", "de").customised  # Sie stays ours
    # English has one version: its greeting is the only thing the form changes.
    assert feedback_service.template(db, "feedback", "en", "informal") == (
        feedback_service.template(db, "feedback", "en")
    )


def test_requests_as_they_stood_on_a_past_day(db: Database, buyer: int) -> None:
    """Seen from 31 Dec 2025 (today is 1 Mar 2026): nothing dated after that day counts."""
    with clock.pinned(D(2026, 3, 1)):
        answered_later = feedback_service.create_request(
            db, {"client_id": buyer, "status": "sent", "sent_on": D(2025, 12, 10)}, D(2025, 12, 10)
        ).id
        feedback_service.update_request(
            db,
            answered_later,
            {"status": "received", "answered_on": D(2026, 1, 5), "response": "Gern!", "rating": 5},
        )
        sent_later = feedback_service.create_request(
            db,
            {"client_id": buyer, "kind": "review", "planned_on": D(2025, 12, 20)},
            D(2025, 12, 20),
        ).id
        feedback_service.mark_sent(db, sent_later, D(2026, 1, 10))
        made_in_2026 = feedback_service.create_request(
            db,
            {"client_id": buyer, "kind": "referral", "status": "sent", "sent_on": D(2026, 1, 8)},
            D(2026, 1, 8),
        ).id
        planned_for_2026 = feedback_service.create_request(
            db, {"client_id": buyer, "kind": "recommendation", "planned_on": D(2026, 4, 1)}
        ).id

        then = {r.id: r for r in feedback_service.list_requests(db, today=D(2025, 12, 31))}
        now = {r.id: r for r in feedback_service.list_requests(db)}

    # Created (sent, planned) only in 2026: it did not exist on 31 Dec 2025.
    assert set(then) == {answered_later, sent_later}
    # Answered in January: still waiting on 31 Dec, without the answer that came later.
    waiting = then[answered_later]
    assert (waiting.status, waiting.sent_on, waiting.answered_on) == (
        FeedbackStatus.SENT,
        D(2025, 12, 10),
        None,
    )
    assert (waiting.response, waiting.rating) == (None, None)
    # Sent in January: still planned on 31 Dec, no follow-up yet.
    planned = then[sent_later]
    assert (planned.status, planned.sent_on, planned.follow_up_on) == (
        FeedbackStatus.PLANNED,
        None,
        None,
    )
    # Seen from today every request is there, as it stands.
    assert set(now) == {answered_later, sent_later, made_in_2026, planned_for_2026}
    assert now[answered_later].status is FeedbackStatus.RECEIVED
    assert now[sent_later].sent_on == D(2026, 1, 10)
