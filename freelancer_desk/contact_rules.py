"""May I contact this client on this channel on this day? The contact rules of DOMAIN.md §5.

Win-back calls, reactivation mails and even feedback or review requests count as advertising
under German law (§7 UWG; BGH VI ZR 225/17), so every feature asks this module before it
offers, suggests or records a contact — through ``services.contact``, which reads the facts. The
rules, per channel:

============  ===============================  ==============================================
channel       private person                   business
============  ===============================  ==============================================
any, after    blocked                          blocked
an objection
phone         only with prior express consent  consent; else presumed interest (caution)
email         consent; else the existing-customer exception of §7(3) UWG (caution: every
              mail must tell how to object); else blocked
letter        allowed unless objected          allowed unless objected
other (SMS,   only with prior consent to       allowed with caution: only if the business
fax, mes-     electronic mail (the email       agreed to messages there
sengers)      consent; no exception)
meeting       allowed with caution: arrange it through a channel that is allowed
============  ===============================  ==============================================

SMS, fax and messengers are electronic mail in §7(2) Nr. 2 UWG: a private person must have
agreed to advertising by electronic mail, and the existing-customer exception does not help
there. A meeting needs no rule of its own: it is arranged through one of the other channels.

A consent or objection counts from its date on: a consent dated after the day asked about was
not "prior", an objection dated after it had not yet been made. An objection is only lifted by
clearing its date; a later consent does not silently override it. The existing-customer
exception needs a sale (a positive invoice, not only a credit note) on or before the day.
Erased clients (GDPR) are never contacted.

Everything here is plain data in, plain data out: no session, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from freelancer_desk.choices import Channel, ClientKind, label
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _
from freelancer_desk.texts import Text


class Verdict(StrEnum):
    """The answer for one channel; ordered from free to forbidden."""

    ALLOWED = "allowed"
    CAUTION = "allowed_with_caution"
    BLOCKED = "blocked"


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.ALLOWED: N_("Allowed"),
    Verdict.CAUTION: N_("Allowed with caution"),
    Verdict.BLOCKED: N_("Blocked"),
}

#: Channels in order of preference when the app picks one: win-back, reactivation and
#: talking things over by phone rather than mail (DOMAIN.md §4.5); requests and news written.
SPOKEN_FIRST = (Channel.PHONE, Channel.EMAIL, Channel.LETTER)
WRITTEN_FIRST = (Channel.EMAIL, Channel.LETTER, Channel.PHONE)


@dataclass(frozen=True)
class ContactSubject:
    """What the rules need to know about a client.

    Attributes:
        kind: business or private person (the phone and "other" rules differ).
        email_consent_on: day the client agreed to advertising by email, if ever.
        phone_consent_on: day the client agreed to advertising calls, if ever.
        objection_on: day the client objected to any further contact (Widerspruch), also
            when the objection was recorded with a loss.
        first_sale_on: day of the client's first positive invoice: from then on the
            existing-customer exception for email can apply (§7(3) UWG).
        erased: the client's personal data were erased on request.
    """

    kind: ClientKind
    email_consent_on: dt.date | None = None
    phone_consent_on: dt.date | None = None
    objection_on: dt.date | None = None
    first_sale_on: dt.date | None = None
    erased: bool = False

    def objected_by(self, day: dt.date) -> bool:
        """True when an objection was made on or before ``day``."""
        return self.objection_on is not None and self.objection_on <= day

    def customer_by(self, day: dt.date) -> bool:
        """True when the client had bought (a positive invoice) on or before ``day``."""
        return self.first_sale_on is not None and self.first_sale_on <= day


@dataclass(frozen=True)
class ContactPermission:
    """The verdict for one channel with the rule that decided it.

    ``text`` is translated when shown (``reason``, ``reason_in(lang)``), so a language switch
    needs no new verdict.
    """

    channel: Channel
    verdict: Verdict
    #: Stable name of the rule that decided, for tests and for code that reacts to it.
    rule: str
    text: Text

    @property
    def allowed(self) -> bool:
        """True unless blocked (a caution still permits the contact)."""
        return self.verdict is not Verdict.BLOCKED

    @property
    def reason(self) -> str:
        """The reason in the current language."""
        return self.reason_in(None)

    def reason_in(self, lang: str | None) -> str:
        """The reason in ``lang`` (None: the current language), e.g. for a PDF."""
        return self.text.render(lang)

    @property
    def verdict_label(self) -> str:
        """The verdict as shown: "Allowed", "Allowed with caution", "Blocked"."""
        return _(VERDICT_LABELS[self.verdict])


class ContactBlockedError(DeskError):
    """A contact on a channel the rules block; the message says why."""

    def __init__(self, permission: ContactPermission) -> None:
        self.permission = permission
        super().__init__(
            _("{channel} contact is not allowed: {reason}").format(
                channel=label(permission.channel), reason=permission.reason
            )
        )


#: Builds a ContactPermission for the channel being judged: (verdict, rule, message, **params).
_Decide = Callable[..., ContactPermission]


def judge(subject: ContactSubject, channel: Channel | str, day: dt.date) -> ContactPermission:
    """The verdict for contacting ``subject`` on ``channel`` on ``day``."""
    channel = Channel(channel)

    def verdict(kind: Verdict, rule: str, message: str, **params: Any) -> ContactPermission:
        return ContactPermission(channel, kind, rule, Text(message, params))

    if subject.erased:
        return verdict(
            Verdict.BLOCKED,
            "erased",
            N_("the client's personal data were erased; do not contact them"),
        )
    if subject.objected_by(day):
        return verdict(
            Verdict.BLOCKED,
            "objection",
            N_("the client objected to any contact on {date}"),
            date=subject.objection_on,
        )
    if channel is Channel.PHONE:
        return _phone(subject, day, verdict)
    if channel is Channel.EMAIL:
        return _email(subject, day, verdict)
    if channel is Channel.LETTER:
        return verdict(
            Verdict.ALLOWED,
            "letter",
            N_("a letter is allowed as long as the client has not objected"),
        )
    if channel is Channel.OTHER and subject.kind is ClientKind.PRIVATE:
        return _electronic_mail(subject, day, verdict)
    if channel is Channel.OTHER:
        return verdict(
            Verdict.CAUTION,
            "business_electronic",
            N_(
                "SMS, fax and messengers count as electronic mail (§7(2) No. 2 UWG): message a "
                "business there only if it agreed to it"
            ),
        )
    return verdict(
        Verdict.CAUTION,
        "arrange",
        N_("arrange it through a channel that is allowed, and only if the client agrees"),
    )


def _consented(consent_on: dt.date | None, day: dt.date) -> bool:
    return consent_on is not None and consent_on <= day


def _phone(subject: ContactSubject, day: dt.date, verdict: _Decide) -> ContactPermission:
    if _consented(subject.phone_consent_on, day):
        return verdict(
            Verdict.ALLOWED,
            "phone_consent",
            N_("the client agreed to calls on {date}"),
            date=subject.phone_consent_on,
        )
    if subject.kind is ClientKind.PRIVATE:
        return verdict(
            Verdict.BLOCKED,
            "no_phone_consent",
            N_(
                "calling a private person needs their prior express consent, "
                "documented and kept for five years (§7a UWG)"
            ),
        )
    return verdict(
        Verdict.CAUTION,
        "presumed_interest",
        N_(
            "no consent recorded: call a business only if you can presume its "
            "interest (e.g. an ongoing business relationship), and note why"
        ),
    )


def _email(subject: ContactSubject, day: dt.date, verdict: _Decide) -> ContactPermission:
    if _consented(subject.email_consent_on, day):
        return verdict(
            Verdict.ALLOWED,
            "email_consent",
            N_("the client agreed to emails on {date}"),
            date=subject.email_consent_on,
        )
    if subject.customer_by(day):
        return verdict(
            Verdict.CAUTION,
            "existing_customer",
            N_(
                "existing customer (§7(3) UWG): only about your own similar offers, "
                "and every mail must tell them how to object"
            ),
        )
    return verdict(
        Verdict.BLOCKED,
        "no_email_basis",
        N_(
            "advertising by email needs the client's consent or an earlier sale "
            "(§7(3) UWG); neither is recorded"
        ),
    )


def _electronic_mail(subject: ContactSubject, day: dt.date, verdict: _Decide) -> ContactPermission:
    """SMS, fax and messengers to a private person: consent only, no exception (§7(2) UWG)."""
    if _consented(subject.email_consent_on, day):
        return verdict(
            Verdict.CAUTION,
            "electronic_mail_consent",
            N_(
                "SMS, fax and messengers are electronic mail (§7(2) Nr. 2 UWG): use them only "
                "if the consent of {date} covers this channel"
            ),
            date=subject.email_consent_on,
        )
    return verdict(
        Verdict.BLOCKED,
        "no_electronic_mail_consent",
        N_(
            "SMS, fax and messengers are electronic mail (§7(2) Nr. 2 UWG): a private person "
            "must have agreed to it first, and no consent is recorded"
        ),
    )


def permissions(subject: ContactSubject, day: dt.date) -> dict[Channel, ContactPermission]:
    """The verdict for every channel, in the order of ``Channel``."""
    return {channel: judge(subject, channel, day) for channel in Channel}


def ensure_allowed(
    subject: ContactSubject, channel: Channel | str, day: dt.date
) -> ContactPermission:
    """The permission if the channel may be used; ContactBlockedError with the reason if not."""
    permission = judge(subject, channel, day)
    if not permission.allowed:
        raise ContactBlockedError(permission)
    return permission


def blocker(
    subject: ContactSubject, channel: Channel | str | None, day: dt.date
) -> ContactPermission | None:
    """The permission that blocks a planned contact on ``day``; None when it may go ahead.

    Without a channel (a reminder that names none) only what blocks every channel at once
    counts: an objection or an erasure.
    """
    if channel is not None:
        permission = judge(subject, channel, day)
        return None if permission.allowed else permission
    found = permissions(subject, day)
    if any(permission.allowed for permission in found.values()):
        return None
    return found[Channel.LETTER]


def best_channel(
    permissions: Mapping[Channel, ContactPermission], preference: Iterable[Channel]
) -> ContactPermission | None:
    """The channel to offer, or None when every preferred channel is blocked.

    A call or mail the client consented to comes first; otherwise the first open channel in
    the given order, even with a caution (a business may be called on presumed interest).
    A letter, always allowed until an objection, is therefore only offered where the order
    prefers it or nothing before it is open.
    """
    open_ = [permissions[c] for c in preference if c in permissions and permissions[c].allowed]
    consented = [
        p for p in open_ if p.verdict is Verdict.ALLOWED and p.channel is not Channel.LETTER
    ]
    chosen = consented or open_
    return chosen[0] if chosen else None
