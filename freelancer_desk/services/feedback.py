"""Feedback requests (Feedback-/Referenzanfragen), their message templates, and sending by email.

A request moves planned → sent → received / declined. Asking for feedback or a review by email
is advertising in German law (BGH VI ZR 225/17), so planning or sending one on a channel the
contact rules block is refused with the rule's reason (``ContactBlockedError``). A planned
request is judged on the day it can go out at the earliest (today, or its planned day when that
is later): one planned before an objection is not sent after it, and the list marks it blocked.

Templates exist per kind and language; the shipped ones can be edited and are then stored in the
``setting`` table under ``feedback.template.<kind>.<lang>``. Every message closes with how to
object (``OBJECTION``), which the existing-customer exception (§7(3) Nr. 4 UWG) requires in
every mail; it is added when the message is composed, so an edited template cannot lose it.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlmodel import Session, col, select

from freelancer_desk import clock, mailto
from freelancer_desk.analytics.steps import RequestFacts
from freelancer_desk.contact_rules import ContactPermission, ContactSubject, blocker
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.greetings import greeting
from freelancer_desk.i18n import LANGUAGES, N_, _
from freelancer_desk.models import (
    AddressForm,
    Channel,
    Client,
    FeedbackKind,
    FeedbackRequest,
    FeedbackRequestCreate,
    FeedbackStatus,
    Setting,
    input_error,
    validate,
)
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.contact import all_subjects, ensure_contact_in
from freelancer_desk.services.records import fetch

#: Days after sending when a request is due for a follow-up unless a date is given.
FOLLOW_UP_DAYS = 14
TEMPLATE_KEY_PREFIX = "feedback.template."
#: The names a template may use: ``{greeting}`` ("Sehr geehrte Frau Schmidt", from the client's
#: salutation and form of address), ``{client}``, ``{contact}`` (person, else client),
#: ``{sender}``.
PLACEHOLDERS = ("greeting", "client", "contact", "sender")


@dataclass(frozen=True, kw_only=True)
class FeedbackRow(RequestFacts):
    """One request as the Feedback page lists it (and the step plan reads it)."""

    client_name: str
    client_email: str | None
    response: str | None
    rating: int | None
    #: Set for an open request the contact rules block today: the reason.
    blocked: ContactPermission | None = None


def _row(
    request: FeedbackRequest, client: Client, blocked: ContactPermission | None = None
) -> FeedbackRow:
    return FeedbackRow(
        id=request.id,  # type: ignore[arg-type]  # read from the table: the id is set
        client_id=request.client_id,
        client_name=client.name,
        client_email=client.email,
        kind=FeedbackKind(request.kind),
        status=FeedbackStatus(request.status),
        channel=Channel(request.channel),
        planned_on=request.planned_on,
        sent_on=request.sent_on,
        follow_up_on=request.follow_up_on,
        answered_on=request.answered_on,
        response=request.response,
        rating=request.rating,
        blocked=blocked,
    )


def row_in(session: Session, request: FeedbackRequest) -> FeedbackRow:
    """A stored request's row inside a service's own transaction."""
    return _row(request, session.get(Client, request.client_id))  # type: ignore[arg-type]  # the foreign key keeps the client


def _load(session: Session, request_id: int) -> tuple[FeedbackRequest, Client]:
    request = fetch(session, FeedbackRequest, request_id)
    client = session.get(Client, request.client_id)
    assert client is not None  # the foreign key cascades deletes
    return request, client


def _current(request: FeedbackRequest) -> dict[str, Any]:
    """The stored fields of a request as input, to merge changes into and validate."""
    return {name: getattr(request, name) for name in FeedbackRequestCreate.model_fields}


def contact_day(
    status: FeedbackStatus, planned_on: dt.date | None, sent_on: dt.date | None, today: dt.date
) -> dt.date:
    """The day a request contacts the client: when it went out, or for a planned one the
    earliest day it can still go out (today, or its planned day when that is later)."""
    if status is FeedbackStatus.PLANNED:
        return max(planned_on or today, today)
    return sent_on or today


def _check_channel(session: Session, data: FeedbackRequestCreate, today: dt.date) -> None:
    """A planned or sent request must use a channel the contact rules allow on its day."""
    if data.status in (FeedbackStatus.PLANNED, FeedbackStatus.SENT):
        ensure_contact_in(
            session,
            data.client_id,
            data.channel,
            contact_day(data.status, data.planned_on, data.sent_on, today),
        )


def _check_dates(data: FeedbackRequestCreate) -> None:
    """An answer cannot come before the request went out."""
    if (
        data.sent_on is not None
        and data.answered_on is not None
        and data.answered_on < data.sent_on
    ):
        raise InputError(
            "answered_on", _("must not be before the request was sent"), label=_("Answered on")
        )


def create_request(
    db: Database, data: FeedbackRequestCreate | Mapping[str, Any], today: dt.date | None = None
) -> FeedbackRow:
    """Store a new request; refused when its channel is blocked for the client."""
    with db.session() as session:
        return create_request_in(session, data, today)


def create_request_in(
    session: Session, data: FeedbackRequestCreate | Mapping[str, Any], today: dt.date | None = None
) -> FeedbackRow:
    """``create_request`` inside a service's own transaction (accepting a next step stores
    the request and the decision together)."""
    checked = validate(FeedbackRequestCreate, data)
    today = today or clock.today()
    if session.get(Client, checked.client_id) is None:
        raise input_error("client_id", N_("choose an existing client"))
    _check_channel(session, checked, today)
    _check_dates(checked)
    request = FeedbackRequest.model_validate(checked)
    session.add(request)
    session.flush()
    return _row(request, session.get(Client, request.client_id))  # type: ignore[arg-type]  # the foreign key keeps the client


def update_request(
    db: Database, request_id: int, changes: Mapping[str, Any], today: dt.date | None = None
) -> FeedbackRow:
    """Change fields of a request; the merged request is validated.

    A change of channel, client, status, planned or sent date of a planned or sent request is
    checked against the contact rules again (e.g. marking a letter sent after the client
    objected).
    """
    today = today or clock.today()
    with db.session() as session:
        request, _client = _load(session, request_id)
        current = _current(request)
        merged = validate(FeedbackRequestCreate, {**current, **changes})
        if session.get(Client, merged.client_id) is None:
            raise input_error("client_id", N_("choose an existing client"))
        if any(
            getattr(merged, key) != current[key]
            for key in ("channel", "client_id", "status", "planned_on", "sent_on")
        ):
            _check_channel(session, merged, today)
        _check_dates(merged)
        for key, value in merged.model_dump().items():
            setattr(request, key, value)
        session.flush()
        return _row(request, session.get(Client, request.client_id))  # type: ignore[arg-type]  # the foreign key keeps the client


def delete_request(db: Database, request_id: int) -> None:
    """Delete one request."""
    with db.session() as session:
        request, _client = _load(session, request_id)
        session.delete(request)


def list_requests(
    db: Database, client_id: int | None = None, today: dt.date | None = None
) -> list[FeedbackRow]:
    """Requests as they stood on ``today``, newest first (by sent, else planned date),
    optionally for one client.

    ``today`` is the day the list is seen from (default: today); a past day shows the
    requests as they stood then (``as_it_stood``), as a review of a closed period needs. An
    open request (planned, or sent and waiting for an answer) whose channel the contact rules
    block on its contact day (sending, or a follow-up on ``today``) carries ``blocked``.
    """
    present = clock.today()
    day = today or present
    subjects = all_subjects(db)
    query = select(FeedbackRequest, Client).join(
        Client, col(Client.id) == FeedbackRequest.client_id
    )
    if client_id is not None:
        query = query.where(FeedbackRequest.client_id == client_id)
    with db.session() as session:
        stood = [
            as_it_stood(_row(request, client), day, present)
            for request, client in session.exec(query).all()
        ]
    rows = [
        replace(row, blocked=_blocker(subjects.get(row.client_id), row, day))
        for row in stood
        if row is not None
    ]
    return sorted(
        rows, key=lambda r: (r.sent_on or r.planned_on or dt.date.min, r.id), reverse=True
    )


def as_it_stood(row: FeedbackRow, day: dt.date, today: dt.date) -> FeedbackRow | None:
    """The request as it stood on ``day``; None when it did not exist yet (DOMAIN.md §7).

    A request records no day it was made, so its first date (planned, sent or answered) is the
    only sign of it. Seen from ``today`` or later every request exists: the user's plans are
    known now. Seen from a past day, a request first dated after it (or not dated at all) was
    made after it and is left out, so that the review of a closed period reads the same
    whenever it is printed. An answer that came after ``day`` was still awaited on it, and a
    request sent after ``day`` was still planned.
    """
    dates = [date for date in (row.planned_on, row.sent_on, row.answered_on) if date is not None]
    if day < today and (not dates or min(dates) > day):
        return None
    answered = row.status in (FeedbackStatus.RECEIVED, FeedbackStatus.DECLINED)
    if answered and (row.answered_on is None or row.answered_on <= day):
        return row
    unanswered: dict[str, Any] = {"answered_on": None, "response": None, "rating": None}
    if row.sent_on is not None and row.sent_on > day:
        return replace(
            row, status=FeedbackStatus.PLANNED, sent_on=None, follow_up_on=None, **unanswered
        )
    if answered:
        status = FeedbackStatus.PLANNED if row.sent_on is None else FeedbackStatus.SENT
        return replace(row, status=status, **unanswered)
    return row


def _blocker(
    subject: ContactSubject | None, request: RequestFacts, today: dt.date
) -> ContactPermission | None:
    """What blocks an open request's next contact (sending it, or following it up today)."""
    if subject is None:
        return None  # a client added this very moment: nothing recorded against it yet
    if request.status is FeedbackStatus.PLANNED:
        day = contact_day(request.status, request.planned_on, request.sent_on, today)
    elif request.status is FeedbackStatus.SENT:
        day = today
    else:
        return None
    return blocker(subject, request.channel, day)


def mark_sent(
    db: Database, request_id: int, on: dt.date, channel: Channel | str | None = None
) -> FeedbackRow:
    """Record that the request went out on ``on``; refused if the channel is blocked then.

    The follow-up date defaults to ``FOLLOW_UP_DAYS`` later unless a later one was set.
    """
    with db.session() as session:
        request, client = _load(session, request_id)
        return _row(_send(session, request, on, Channel(channel or request.channel)), client)


def _check_sendable(
    session: Session, request: FeedbackRequest, on: dt.date, channel: Channel
) -> None:
    """Refuse an answered request, and a channel the contact rules block on ``on``."""
    if request.status not in (FeedbackStatus.PLANNED, FeedbackStatus.SENT):
        raise input_error("status", N_("this request has been answered already"))
    ensure_contact_in(session, request.client_id, channel, on)


def _send(
    session: Session, request: FeedbackRequest, on: dt.date, channel: Channel
) -> FeedbackRequest:
    _check_sendable(session, request, on, channel)
    request.channel = channel
    request.status = FeedbackStatus.SENT
    request.sent_on = on
    default_follow_up = on + dt.timedelta(days=FOLLOW_UP_DAYS)
    if request.follow_up_on is None or request.follow_up_on <= on:
        request.follow_up_on = default_follow_up
    session.flush()
    return request


# --------------------------------------------------------------------------------------------
# Templates and sending by email
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageTemplate:
    """Subject and body with the ``PLACEHOLDERS``."""

    subject: str
    body: str
    #: True when the user edited it (it is stored), False for the shipped text.
    customised: bool = False


@dataclass(frozen=True)
class Message:
    """A filled-in message for one client."""

    to: str | None
    subject: str
    body: str

    def mailto(self) -> str:
        """The ``mailto:`` link that opens this message in the user's mail program."""
        return mailto.build(self.to or "", self.subject, self.body)


#: The closing paragraph of every message, per template version (language, and Sie or Du for
#: German): the client can object at any time at no cost beyond the basic transmission rates
#: (§7(3) Nr. 4 UWG). Added when composing.
OBJECTION: dict[tuple[str, AddressForm], str] = {
    ("de", AddressForm.FORMAL): (
        "Sie können der Verwendung Ihrer E-Mail-Adresse für solche Nachrichten jederzeit "
        "widersprechen, zum Beispiel mit einer kurzen Antwort; dafür entstehen Ihnen keine "
        "anderen als die Übermittlungskosten nach den Basistarifen."
    ),
    ("de", AddressForm.INFORMAL): (
        "Du kannst der Verwendung deiner E-Mail-Adresse für solche Nachrichten jederzeit "
        "widersprechen, zum Beispiel mit einer kurzen Antwort; dafür entstehen dir keine "
        "anderen als die Übermittlungskosten nach den Basistarifen."
    ),
    ("en", AddressForm.FORMAL): (
        "You can object to my using your email address for messages like this at any time, "
        "for example with a short reply; this costs you nothing beyond the transmission costs "
        "at the basic rates."
    ),
}
#: Closing sentences of templates shipped before ``OBJECTION``: an edited template stored with
#: one of them gets the full paragraph instead.
_EARLIER_OBJECTIONS = (
    "Falls Sie keine solchen Nachrichten mehr von mir erhalten möchten, genügt eine kurze "
    "Antwort – dann schreibe ich Ihnen nicht wieder.",
    "Falls du keine solchen Nachrichten mehr von mir bekommen möchtest, genügt eine kurze "
    "Antwort – dann schreibe ich dir nicht wieder.",
    "If you would rather not receive messages like this, just reply and tell me, "
    "and I will not write again.",
)


def _letter_de(middle: str) -> str:
    return (
        "{greeting},\n\nvielen Dank für die gute Zusammenarbeit mit {client}. "
        + middle
        + "\n\nViele Grüße\n{sender}"
    )


def _letter_en(middle: str) -> str:
    return (
        "{greeting},\n\nthank you for working with me at {client}. "
        + middle
        + "\n\nBest regards\n{sender}"
    )


FORMAL, INFORMAL = AddressForm.FORMAL, AddressForm.INFORMAL

#: The shipped templates: (subject, body) per kind, language and form of address.
BUILTIN_TEMPLATES: dict[tuple[FeedbackKind, str, AddressForm], tuple[str, str]] = {
    (FeedbackKind.FEEDBACK, "de", FORMAL): (
        "Ihre Meinung zu unserer Zusammenarbeit",
        _letter_de(
            "Damit ich meine Arbeit weiter verbessern kann, interessiert mich Ihre ehrliche "
            "Meinung: Was hat Ihnen gefallen, und was kann ich besser machen? Eine kurze "
            "Antwort auf diese E-Mail genügt."
        ),
    ),
    (FeedbackKind.FEEDBACK, "de", INFORMAL): (
        "Deine Meinung zu unserer Zusammenarbeit",
        _letter_de(
            "Damit ich meine Arbeit weiter verbessern kann, interessiert mich deine ehrliche "
            "Meinung: Was hat dir gefallen, und was kann ich besser machen? Eine kurze "
            "Antwort auf diese E-Mail genügt."
        ),
    ),
    (FeedbackKind.FEEDBACK, "en", FORMAL): (
        "Your view of our work together",
        _letter_en(
            "To keep improving my work I would value your honest opinion: what did you "
            "like, and what could I do better? A short reply to this email is enough."
        ),
    ),
    (FeedbackKind.REVIEW, "de", FORMAL): (
        "Eine kurze Bewertung?",
        _letter_de(
            "Würden Sie in zwei, drei Sätzen beschreiben, wie Sie die Zusammenarbeit erlebt "
            "haben? Mit Ihrem Einverständnis würde ich Ihre Worte mit Ihrem Namen als "
            "Referenz auf meiner Website zeigen."
        ),
    ),
    (FeedbackKind.REVIEW, "de", INFORMAL): (
        "Eine kurze Bewertung?",
        _letter_de(
            "Würdest du in zwei, drei Sätzen beschreiben, wie du die Zusammenarbeit erlebt "
            "hast? Mit deinem Einverständnis würde ich deine Worte mit deinem Namen als "
            "Referenz auf meiner Website zeigen."
        ),
    ),
    (FeedbackKind.REVIEW, "en", FORMAL): (
        "A short review?",
        _letter_en(
            "Would you describe in two or three sentences how you found working with me? "
            "With your permission I would show your words with your name as a testimonial "
            "on my website."
        ),
    ),
    (FeedbackKind.RECOMMENDATION, "de", FORMAL): (
        "Bitte um ein Empfehlungsschreiben",
        _letter_de(
            "Ich würde mich sehr über ein kurzes Empfehlungsschreiben freuen, das ich bei "
            "neuen Anfragen vorlegen darf. Gern schicke ich Ihnen vorab ein paar Stichpunkte "
            "zu den Projekten, die wir gemeinsam umgesetzt haben."
        ),
    ),
    (FeedbackKind.RECOMMENDATION, "de", INFORMAL): (
        "Bitte um ein Empfehlungsschreiben",
        _letter_de(
            "Ich würde mich sehr über ein kurzes Empfehlungsschreiben freuen, das ich bei "
            "neuen Anfragen vorlegen darf. Gern schicke ich dir vorab ein paar Stichpunkte "
            "zu den Projekten, die wir gemeinsam umgesetzt haben."
        ),
    ),
    (FeedbackKind.RECOMMENDATION, "en", FORMAL): (
        "Would you write me a recommendation letter?",
        _letter_en(
            "I would be very grateful for a short recommendation letter that I may show "
            "to new clients. I am happy to send you a few notes on the projects we did "
            "together first."
        ),
    ),
    (FeedbackKind.REFERRAL, "de", FORMAL): (
        "Kennen Sie jemanden, dem ich helfen kann?",
        _letter_de(
            "Falls Sie in Ihrem Umfeld jemanden kennen, der Unterstützung wie meine "
            "gebrauchen kann, freue ich mich sehr über eine Empfehlung – oder geben Sie "
            "meine Kontaktdaten einfach weiter."
        ),
    ),
    (FeedbackKind.REFERRAL, "de", INFORMAL): (
        "Kennst du jemanden, dem ich helfen kann?",
        _letter_de(
            "Falls du in deinem Umfeld jemanden kennst, der Unterstützung wie meine "
            "gebrauchen kann, freue ich mich sehr über eine Empfehlung – oder gib "
            "meine Kontaktdaten einfach weiter."
        ),
    ),
    (FeedbackKind.REFERRAL, "en", FORMAL): (
        "Do you know someone I could help?",
        _letter_en(
            "If you know someone who could use help like mine, I would be delighted if "
            "you recommended me or simply passed on my contact details."
        ),
    ),
}


def version(lang: str, form: AddressForm | str = FORMAL) -> tuple[str, AddressForm]:
    """The template version a message in ``lang`` to a client with ``form`` uses."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return lang, AddressForm(form) if lang == "de" else FORMAL


def _template_key(kind: FeedbackKind | str, lang: str, form: AddressForm | str) -> str:
    """``feedback.template.<kind>.<lang>``, with ``.informal`` for the German Du version."""
    lang, form = version(lang, form)
    suffix = ".informal" if form is INFORMAL else ""
    return f"{TEMPLATE_KEY_PREFIX}{FeedbackKind(kind).value}.{lang}{suffix}"


def template(
    db: Database, kind: FeedbackKind | str, lang: str, form: AddressForm | str = FORMAL
) -> MessageTemplate:
    """The template of a kind in a language and form of address: the user's edited one, else
    the shipped one."""
    key = _template_key(kind, lang, form)
    with db.session() as session:
        stored = session.get(Setting, key)
        value = stored.value if stored is not None else None
    if value is not None:
        try:
            data = json.loads(value)
            body = _without_objection(str(data["body"]))
            return MessageTemplate(str(data["subject"]), body, customised=True)
        except (ValueError, KeyError, TypeError):
            pass  # a damaged stored template falls back to the shipped one
    subject, body = BUILTIN_TEMPLATES[(FeedbackKind(kind), *version(lang, form))]
    return MessageTemplate(subject, body)


def save_template(
    db: Database,
    kind: FeedbackKind | str,
    lang: str,
    subject: str,
    body: str,
    form: AddressForm | str = FORMAL,
) -> MessageTemplate:
    """Store an edited template after checking that it can be filled in."""
    key = _template_key(kind, lang, form)
    checked = MessageTemplate(
        _check_template("subject", subject), _check_template("body", body), True
    )
    with db.session() as session:
        session.merge(
            Setting(
                key=key,
                value=json.dumps(
                    {"subject": checked.subject, "body": checked.body}, ensure_ascii=False
                ),
            )
        )
    return checked


def reset_template(
    db: Database, kind: FeedbackKind | str, lang: str, form: AddressForm | str = FORMAL
) -> MessageTemplate:
    """Go back to the shipped template."""
    key = _template_key(kind, lang, form)
    with db.session() as session:
        stored = session.get(Setting, key)
        if stored is not None:
            session.delete(stored)
    return template(db, kind, lang, form)


_TEMPLATE_FIELDS = {"subject": N_("Subject"), "body": N_("Message")}


def _check_template(field: str, text: str) -> str:
    """The trimmed text, or InputError when it is empty or has an unknown/broken placeholder."""
    label = _(_TEMPLATE_FIELDS[field])
    text = (text or "").strip()
    if not text or "\x00" in text:
        raise InputError(field, _("must not be empty"), label=label)
    try:
        names = [
            name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None
        ]
    except ValueError:
        raise InputError(
            field, _("has a lone { or }; write {{ or }} for a brace"), label=label
        ) from None
    unknown = sorted({name for name in names if name not in PLACEHOLDERS})
    if unknown:
        raise InputError(
            field,
            _("knows no placeholder {names}; use {allowed}").format(
                names=", ".join("{" + n + "}" for n in unknown),
                allowed=", ".join("{" + n + "}" for n in PLACEHOLDERS),
            ),
            label=label,
        )
    return text


def _fill(text: str, client: Client, sender: str, lang: str) -> str:
    contact = client.contact_person or client.name
    salute = greeting(
        lang,
        client.kind,
        client.name,
        client.contact_person,
        client.salutation,
        client.address_form,
    )
    return text.format(greeting=salute, client=client.name, contact=contact, sender=sender)


def _without_objection(body: str) -> str:
    """The body without a closing objection sentence (the app adds its own when composing)."""
    text = body.rstrip()
    for sentence in (*OBJECTION.values(), *_EARLIER_OBJECTIONS):
        if text.endswith(sentence):
            return text.removesuffix(sentence).rstrip()
    return text


def objection(lang: str, form: AddressForm | str = FORMAL) -> str:
    """The objection paragraph of a message in ``lang`` to a client addressed with ``form``."""
    return OBJECTION[version(lang, form)]


def with_objection(body: str, lang: str, form: AddressForm | str = FORMAL) -> str:
    """The body closed by the objection paragraph of ``lang`` and ``form``, once."""
    return f"{_without_objection(body)}\n\n{objection(lang, form)}"


def compose(db: Database, request_id: int, lang: str) -> Message:
    """The request's message in ``lang``, greeting the client as its salutation and form of
    address say, signed with the user's name and closed by how to object (``OBJECTION``)."""
    with db.session() as session:
        request, client = _load(session, request_id)
    chosen = template(db, request.kind, lang, client.address_form)
    sender = settings_service.load(db).owner_name
    return Message(
        client.email,
        _fill(chosen.subject, client, sender, lang),
        with_objection(_fill(chosen.body, client, sender, lang), lang, client.address_form),
    )


def prepare_email(db: Database, request_id: int, lang: str, today: dt.date) -> Message:
    """The request's message, once it may go out by email on ``today``.

    Refused with the reason when email is blocked for the client (``ContactBlockedError``) or
    the client has no email address (``InputError``). The request counts as sent only when the
    user says it went out (``mark_sent``): opening a draft is not sending it.
    """
    message = compose(db, request_id, lang)
    if not message.to:
        raise input_error("email", N_("the client has no email address"))
    with db.session() as session:
        request, _client = _load(session, request_id)
        _check_sendable(session, request, today, Channel.EMAIL)
    return message
