"""Every cell of the contact-rule table (DOMAIN.md §5), plus the date edges."""

from __future__ import annotations

import datetime as dt

import pytest

from freelancer_desk.contact_rules import (
    SPOKEN_FIRST,
    ContactBlockedError,
    ContactSubject,
    Verdict,
    best_channel,
    blocker,
    ensure_allowed,
    judge,
    permissions,
)
from freelancer_desk.i18n import set_language
from freelancer_desk.models import Channel, ClientKind

DAY = dt.date(2025, 6, 15)
BEFORE = dt.date(2025, 1, 10)
AFTER = dt.date(2025, 7, 1)
PRIVATE, BUSINESS = ClientKind.PRIVATE, ClientKind.BUSINESS
A, C, B = Verdict.ALLOWED, Verdict.CAUTION, Verdict.BLOCKED


def subject(kind: ClientKind, **facts: object) -> ContactSubject:
    return ContactSubject(kind=kind, **facts)  # type: ignore[arg-type]


# ---- row "any channel after an objection": blocked for both kinds, every channel -------------


@pytest.mark.parametrize("kind", [PRIVATE, BUSINESS])
@pytest.mark.parametrize("channel", list(Channel))
def test_objection_blocks_every_channel_even_with_consent(
    kind: ClientKind, channel: Channel
) -> None:
    client = subject(
        kind,
        email_consent_on=BEFORE,
        phone_consent_on=BEFORE,
        first_sale_on=BEFORE,
        objection_on=dt.date(2025, 3, 1),
    )
    permission = judge(client, channel, DAY)
    assert permission.verdict is B
    assert permission.rule == "objection"
    assert "objected" in permission.reason and "1 Mar 2025" in permission.reason


# ---- the table, cell by cell: (kind, facts, channel) -> verdict, rule --------------------------

CELLS = [
    # phone, private person: only with prior express consent
    (
        "private-phone-consent",
        PRIVATE,
        {"phone_consent_on": BEFORE},
        Channel.PHONE,
        A,
        "phone_consent",
    ),
    (
        "private-phone-none",
        PRIVATE,
        {"first_sale_on": BEFORE, "email_consent_on": BEFORE},
        Channel.PHONE,
        B,
        "no_phone_consent",
    ),
    # phone, business: consent, or presumed interest with a caution
    (
        "business-phone-consent",
        BUSINESS,
        {"phone_consent_on": BEFORE},
        Channel.PHONE,
        A,
        "phone_consent",
    ),
    ("business-phone-presumed", BUSINESS, {}, Channel.PHONE, C, "presumed_interest"),
    # email, both kinds: consent, or the existing-customer exception (caution), else blocked
    (
        "private-email-consent",
        PRIVATE,
        {"email_consent_on": BEFORE},
        Channel.EMAIL,
        A,
        "email_consent",
    ),
    (
        "private-email-customer",
        PRIVATE,
        {"first_sale_on": BEFORE},
        Channel.EMAIL,
        C,
        "existing_customer",
    ),
    (
        "private-email-none",
        PRIVATE,
        {"phone_consent_on": BEFORE},
        Channel.EMAIL,
        B,
        "no_email_basis",
    ),
    (
        "business-email-consent",
        BUSINESS,
        {"email_consent_on": BEFORE},
        Channel.EMAIL,
        A,
        "email_consent",
    ),
    (
        "business-email-customer",
        BUSINESS,
        {"first_sale_on": BEFORE},
        Channel.EMAIL,
        C,
        "existing_customer",
    ),
    ("business-email-none", BUSINESS, {}, Channel.EMAIL, B, "no_email_basis"),
    # letter: allowed unless objected
    ("private-letter", PRIVATE, {}, Channel.LETTER, A, "letter"),
    ("business-letter", BUSINESS, {}, Channel.LETTER, A, "letter"),
    # meeting: no rule of its own, arranged through an allowed channel, with a caution
    ("private-meeting", PRIVATE, {}, Channel.MEETING, C, "arrange"),
    ("business-meeting", BUSINESS, {}, Channel.MEETING, C, "arrange"),
    # other (SMS, fax, messengers): electronic mail; a private person must have agreed to it
    (
        "private-other-consent",
        PRIVATE,
        {"email_consent_on": BEFORE},
        Channel.OTHER,
        C,
        "electronic_mail_consent",
    ),
    (
        "private-other-customer-only",
        PRIVATE,
        {"first_sale_on": BEFORE, "phone_consent_on": BEFORE},
        Channel.OTHER,
        B,
        "no_electronic_mail_consent",
    ),
    ("business-other", BUSINESS, {}, Channel.OTHER, C, "business_electronic"),
]


@pytest.mark.parametrize(
    "kind, facts, channel, verdict, rule",
    [cell[1:] for cell in CELLS],
    ids=[cell[0] for cell in CELLS],
)
def test_table_cell(
    kind: ClientKind, facts: dict, channel: Channel, verdict: Verdict, rule: str
) -> None:
    permission = judge(subject(kind, **facts), channel, DAY)
    assert (permission.verdict, permission.rule) == (verdict, rule)
    assert permission.reason  # every verdict says why


def test_email_exception_caution_tells_how_to_object() -> None:
    permission = judge(subject(BUSINESS, first_sale_on=BEFORE), Channel.EMAIL, DAY)
    assert "how to object" in permission.reason
    assert "§7(3) UWG" in permission.reason


def test_private_phone_reason_names_documented_consent() -> None:
    permission = judge(subject(PRIVATE), Channel.PHONE, DAY)
    assert "prior express consent" in permission.reason and "§7a UWG" in permission.reason


# ---- dates: consent must be prior, an objection counts from its day ----------------------------


def test_consent_given_after_the_day_is_not_prior() -> None:
    client = subject(PRIVATE, phone_consent_on=AFTER, email_consent_on=AFTER)
    assert judge(client, Channel.PHONE, DAY).verdict is B
    assert judge(client, Channel.EMAIL, DAY).verdict is B
    assert judge(client, Channel.PHONE, AFTER).verdict is A  # from its own day on


def test_the_existing_customer_exception_starts_with_the_first_sale() -> None:
    client = subject(PRIVATE, first_sale_on=AFTER)
    assert judge(client, Channel.EMAIL, DAY).rule == "no_email_basis"
    assert judge(client, Channel.EMAIL, AFTER).rule == "existing_customer"


def test_electronic_mail_consent_after_the_day_does_not_count_for_sms() -> None:
    client = subject(PRIVATE, email_consent_on=AFTER)
    assert judge(client, Channel.OTHER, DAY).verdict is B
    assert judge(client, Channel.OTHER, AFTER).verdict is C


def test_objection_counts_from_its_day_not_before() -> None:
    client = subject(BUSINESS, phone_consent_on=BEFORE, objection_on=AFTER)
    assert judge(client, Channel.PHONE, DAY).verdict is A
    assert judge(client, Channel.PHONE, AFTER).verdict is B


def test_erased_client_is_never_contacted() -> None:
    client = subject(BUSINESS, email_consent_on=BEFORE, erased=True)
    assert {p.verdict for p in permissions(client, DAY).values()} == {B}


# ---- helpers ------------------------------------------------------------------------------------


def test_permissions_cover_every_channel_in_order() -> None:
    result = permissions(subject(BUSINESS, first_sale_on=BEFORE), DAY)
    assert list(result) == list(Channel)
    assert [p.verdict for p in result.values()] == [C, C, C, A, C]


def test_blocker_of_a_plan_without_channel_is_only_what_closes_every_channel() -> None:
    assert blocker(subject(PRIVATE), None, DAY) is None  # a letter is still allowed
    objected = blocker(subject(PRIVATE, objection_on=BEFORE), None, DAY)
    assert objected is not None and objected.rule == "objection"
    erased = blocker(subject(BUSINESS, erased=True), None, DAY)
    assert erased is not None and erased.rule == "erased"
    phone = blocker(subject(PRIVATE), Channel.PHONE, DAY)
    assert phone is not None and phone.rule == "no_phone_consent"
    assert blocker(subject(PRIVATE), Channel.LETTER, DAY) is None


def test_best_channel_prefers_consent_then_the_order_and_letters_last() -> None:
    private = permissions(subject(PRIVATE, first_sale_on=BEFORE), DAY)
    assert best_channel(private, SPOKEN_FIRST).channel is Channel.EMAIL  # type: ignore[union-attr]
    consented = permissions(subject(BUSINESS, email_consent_on=BEFORE), DAY)
    assert best_channel(consented, SPOKEN_FIRST).channel is Channel.EMAIL  # type: ignore[union-attr]
    assert best_channel(permissions(subject(BUSINESS), DAY), SPOKEN_FIRST).channel is (  # type: ignore[union-attr]
        Channel.PHONE
    )
    assert best_channel(permissions(subject(PRIVATE), DAY), SPOKEN_FIRST).channel is (  # type: ignore[union-attr]
        Channel.LETTER
    )
    assert (
        best_channel(permissions(subject(PRIVATE, objection_on=BEFORE), DAY), SPOKEN_FIRST) is None
    )


def test_ensure_allowed_refuses_a_blocked_channel_with_the_reason() -> None:
    client = subject(PRIVATE)
    assert ensure_allowed(client, "letter", DAY).verdict is A
    with pytest.raises(
        ContactBlockedError, match="Phone contact is not allowed: calling a private"
    ):
        ensure_allowed(client, "phone", DAY)


def test_reason_is_translated_when_shown() -> None:
    permission = judge(subject(BUSINESS, objection_on=BEFORE), Channel.EMAIL, DAY)
    set_language("de")
    assert "10.01.2025" in permission.reason
    assert "widersprochen" in permission.reason
    assert permission.verdict_label == "Gesperrt"
    assert "10 Jan 2025" in permission.reason_in("en")


@pytest.mark.parametrize("kind", [PRIVATE, BUSINESS])
def test_each_channel_gives_its_own_reason(kind: ClientKind) -> None:
    reasons = {channel: p.reason_in("de") for channel, p in permissions(subject(kind), DAY).items()}
    assert len(set(reasons.values())) == len(reasons)  # no channel borrows another's words
    if kind is BUSINESS:
        assert reasons[Channel.OTHER].startswith("SMS, Fax und Messenger gelten als elektronische")
