"""No offered contact breaks the rules table of DOMAIN.md §5: a property test.

Random clients (kind, consents, objection, invoices and credit notes, a loss with or without
an objection, perhaps erased) and random days. Every action the app offers or accepts — a
reminder (created, due, in the calendar), a next step, a feedback request
(planned, offered for sending, its mail link), a win-back attempt — is checked against the
table encoded here a second time, on its own, from the words of DOMAIN.md §5.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from freelancer_desk.calendar_export import export_ics
from freelancer_desk.contact_rules import ContactBlockedError
from freelancer_desk.db import Database, open_database
from freelancer_desk.errors import InputError
from freelancer_desk.models import Channel, FeedbackStatus
from freelancer_desk.services import (
    clients,
    feedback,
    losses,
    reminders,
    revenue,
    steps,
    winback,
)
from freelancer_desk.services.privacy import erase_client

START = dt.date(2025, 1, 1)


# --------------------------------------------------------------------------------------------
# The table of DOMAIN.md §5, encoded again for the test
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """What the table looks at, as the test set it up."""

    private: bool
    email_consent: dt.date | None
    phone_consent: dt.date | None
    objection: dt.date | None  # the client's own, or the day of a loss recorded with one
    sales: tuple[dt.date, ...]  # days of positive invoices (credit notes are no sale)
    erased: bool


def may(person: Person, channel: Channel | None, day: dt.date) -> bool:
    """DOMAIN.md §5: may this person be contacted on this channel (None: at all) on that day?"""
    if person.erased:
        return False  # erased means never contacted
    if person.objection is not None and person.objection <= day:
        return False  # any channel after an objection: blocked
    if channel is None or channel in (Channel.LETTER, Channel.MEETING):
        return True  # a letter is allowed unless objected; a meeting has no rule of its own
    consent_email = person.email_consent is not None and person.email_consent <= day
    if channel is Channel.PHONE:
        consent_phone = person.phone_consent is not None and person.phone_consent <= day
        return consent_phone or not person.private  # business: presumed interest
    if channel is Channel.EMAIL:
        customer = any(sale <= day for sale in person.sales)  # §7(3) UWG exception
        return consent_email or customer
    # SMS, fax, messengers: electronic mail; a private person needs consent, no exception.
    return consent_email or not person.private


# --------------------------------------------------------------------------------------------
# Random books
# --------------------------------------------------------------------------------------------

offsets = st.integers(min_value=0, max_value=420)
maybe_day = st.none() | offsets.map(lambda n: START + dt.timedelta(days=n))


@st.composite
def client_specs(draw: st.DrawFn) -> dict:
    return {
        "private": draw(st.booleans()),
        "email_consent": draw(maybe_day),
        "phone_consent": draw(maybe_day),
        "objection": draw(st.none() | maybe_day),
        "invoices": draw(
            st.lists(st.tuples(offsets, st.sampled_from(["900.00", "-50.00"])), max_size=4)
        ),
        "loss": draw(st.none() | st.tuples(offsets, st.booleans())),
    }


@st.composite
def books(draw: st.DrawFn) -> dict:
    specs = draw(st.lists(client_specs(), min_size=1, max_size=4))
    return {
        "clients": specs,
        "erase": draw(st.none() | st.integers(0, len(specs) - 1)),
        "day": START + dt.timedelta(days=draw(st.integers(0, 500))),
        "created": START + dt.timedelta(days=draw(st.integers(0, 500))),
        "plans": draw(
            st.lists(
                st.tuples(
                    st.integers(0, len(specs) - 1),
                    st.none() | st.sampled_from(list(Channel)),
                    offsets,
                ),
                max_size=6,
            )
        ),
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Iterator[object]:
    """Opens a new empty database per example (a copy of the migrated template)."""
    folder = tmp_path_factory.mktemp("everywhere")
    opened: list[Database] = []

    def make() -> Database:
        path = folder / uuid.uuid4().hex / "desk.sqlite3"
        path.parent.mkdir()
        shutil.copyfile(_template_db, path)
        database = open_database(path)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()


def _set_up(db: Database, book: dict) -> tuple[list[int], dict[int, Person], dict[int, int]]:
    """The clients of a book in the database; their ids, what the table sees, their cases."""
    ids, people, cases = [], {}, {}
    for number, spec in enumerate(book["clients"]):
        client = clients.create_client(
            db,
            {
                "name": f"Kunde {number}",
                "kind": "private" if spec["private"] else "business",
                "email": f"kunde{number}@example.org",
                "email_consent_on": spec["email_consent"],
                "phone_consent_on": spec["phone_consent"],
                "objection_on": spec["objection"],
            },
        )
        client_id: int = client.id  # type: ignore[assignment]
        for offset, net in spec["invoices"]:
            revenue.create_entry(
                db,
                {
                    "client_id": client_id,
                    "invoice_date": START + dt.timedelta(days=offset),
                    "net": net,
                },
            )
        objection = spec["objection"]
        if spec["loss"] is not None:
            offset, objected = spec["loss"]
            lost_on = START + dt.timedelta(days=offset)
            loss = losses.mark_lost(
                db,
                {
                    "client_id": client_id,
                    "lost_on": lost_on,
                    "loss_type": "pulled",
                    "reason_code": "competitor",
                    "objected": objected,
                },
            )
            cases[client_id] = winback.open_case(db, loss.id).id
            if objected:
                objection = min(filter(None, (objection, lost_on)))
        ids.append(client_id)
        sales = tuple(
            START + dt.timedelta(days=offset) for offset, net in spec["invoices"] if net[0] != "-"
        )
        people[client_id] = Person(
            spec["private"],
            spec["email_consent"],
            spec["phone_consent"],
            objection,
            sales,
            erased=False,
        )
    if book["erase"] is not None:
        erased = ids[book["erase"]]
        erase_client(db, erased, START)
        people[erased] = Person(False, None, None, None, (), erased=True)
    return ids, people, cases


#: Each example builds a database of its own; a quarter of the profile's examples keeps the
#: suite quick (HYPOTHESIS_PROFILE=thorough still searches hundreds).
EXAMPLES = max(12, settings.default.max_examples // 4)


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(book=books())
def test_no_offered_contact_breaks_the_rules_table(fresh, book: dict) -> None:  # type: ignore[no-untyped-def]
    db: Database = fresh()  # type: ignore[operator]
    ids, people, cases = _set_up(db, book)
    day, created = book["day"], book["created"]

    # Reminders: refused exactly when the table blocks the day they are acted on.
    for index, channel, offset in book["plans"]:
        client_id = ids[index]
        due = START + dt.timedelta(days=offset)
        allowed = may(people[client_id], channel, max(due, created))
        data = {"client_id": client_id, "due_on": due, "channel": channel}
        if allowed:
            reminders.create_reminder(db, data, created)
        else:
            with pytest.raises(ContactBlockedError):
                reminders.create_reminder(db, data, created)

    # … and listed as due, or exported uncancelled, only while the table allows them.
    for row in reminders.due_reminders(db, day):
        assert may(people[row.client_id], row.channel, max(row.due_on, day)), row  # type: ignore[index]
    for row in reminders.list_reminders(db, today=day):
        expected = may(people[row.client_id], row.channel, max(row.due_on, day))  # type: ignore[index]
        assert (row.blocked is None) == expected, row
    target = db.path.parent / "reminders.ics"
    export_ics(db, target, dt.datetime.combine(day, dt.time(12), dt.UTC))
    by_uid = {row.uid: row for row in reminders.list_reminders(db, include_done=True, today=day)}
    for event in Calendar.from_ical(target.read_bytes()).walk("VEVENT"):
        row = by_uid[str(event["uid"])]
        if event.get("status") != "CANCELLED":
            assert may(people[row.client_id], row.channel, max(row.due_on, day)), row  # type: ignore[index]

    # Next steps: on a channel the table allows on the day, never a call to a private person
    # without consent, and none at all for a client nobody may contact.
    for step in steps.plan(db, day):
        if step.client_id is None:
            continue  # time for new clients: no contact
        person = people[step.client_id]
        assert may(person, step.channel, day), step
        assert not (person.private and step.channel is Channel.PHONE) or (
            person.phone_consent is not None and person.phone_consent <= day
        ), step

    # Feedback requests: planned only where allowed; offered for sending only where allowed.
    for index, channel, offset in book["plans"]:
        client_id = ids[index]
        channel = channel or Channel.EMAIL
        planned = START + dt.timedelta(days=offset)
        data = {"client_id": client_id, "channel": channel, "planned_on": planned}
        if may(people[client_id], channel, max(planned, created)):
            feedback.create_request(db, data, created)
        else:
            with pytest.raises(ContactBlockedError):
                feedback.create_request(db, data, created)
    for row in feedback.list_requests(db, today=day):
        if row.status is FeedbackStatus.PLANNED and row.blocked is None:
            assert may(people[row.client_id], row.channel, max(row.planned_on, day)), row  # type: ignore[type-var]
        if row.status is FeedbackStatus.PLANNED and row.channel is Channel.EMAIL:
            prepared = None
            with contextlib.suppress(ContactBlockedError, InputError):
                prepared = feedback.prepare_email(db, row.id, "en", day)
            # The message (and its mail link) is handed out only when email is allowed on the day.
            assert (prepared is not None) == may(people[row.client_id], Channel.EMAIL, day), row

    # Win-back attempts: the offered channel is allowed; an attempt is recorded only if allowed.
    for client_id, case_id in cases.items():
        offered = winback.offered_channel(db, case_id, day)
        if offered is not None:
            assert may(people[client_id], offered.channel, day), offered
        for channel in Channel:
            attempt = {"date": day, "channel": channel, "reaction": "no_answer"}
            if may(people[client_id], channel, day):
                winback.add_attempt(db, case_id, attempt)
            else:
                # Erasure gave the case up: it refuses attempts as closed before any rule.
                refusal = InputError if people[client_id].erased else ContactBlockedError
                with pytest.raises(refusal):
                    winback.add_attempt(db, case_id, attempt)
        # A rude reaction ends the case; attempts on a closed case are refused.
        if may(people[client_id], Channel.LETTER, day):
            result = winback.add_attempt(
                db, case_id, {"date": day, "channel": "letter", "reaction": "rude"}
            )
            assert result.offer_erasure
            assert winback.offered_channel(db, case_id, day) is None
            with pytest.raises(InputError, match="closed"):
                winback.add_attempt(db, case_id, {"date": day, "channel": "letter"})
