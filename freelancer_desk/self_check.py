"""The false self-employment self-check (Scheinselbständigkeit, DOMAIN.md §3).

Whether work is really employment is judged on how it is done, which the app cannot see. It
shows the revenue side (the 5/6 rule) and lets the freelancer tick these indicators for
themselves; the ticks are stored by ``services.self_check``. Nothing here is computed into a
verdict, and every screen and print that shows the list also shows ``NOT_LEGAL_ADVICE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from freelancer_desk.i18n import N_


@dataclass(frozen=True)
class Indicator:
    """One sign that the work may look like employment; texts are translated when shown."""

    key: str
    label: str
    hint: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "instructions",
        N_("I work under the client's instructions"),
        N_("The client decides what I do, how and when, as with an employee."),
    ),
    Indicator(
        "fixed_hours",
        N_("I keep working hours the client sets"),
        N_("Fixed attendance or core hours instead of deadlines I plan myself."),
    ),
    Indicator(
        "client_premises",
        N_("I work at the client's premises"),
        N_("Their office, their equipment, rather than my own workplace."),
    ),
    Indicator(
        "integrated",
        N_("I am part of the client's organisation"),
        N_("Their email address or phone extension, their rota, holiday plan or staff meetings."),
    ),
    Indicator(
        "no_business_risk",
        N_("I bear no business risk of my own"),
        N_("Paid for time whatever the result, no own investment, no own prices or advertising."),
    ),
    Indicator(
        "no_other_clients",
        N_("I have no other clients"),
        N_(
            "All or nearly all of my income comes from this one client, and I have no "
            "employees subject to social insurance (a mini-job does not count): see the "
            "5/6 rule."
        ),
    ),
)

INDICATOR_KEYS: frozenset[str] = frozenset(indicator.key for indicator in INDICATORS)

NOT_LEGAL_ADVICE = N_(
    "This is not legal advice. Whether you are falsely self-employed, or must pay into the "
    "statutory pension insurance as a self-employed person with essentially one client, is "
    "decided by the Deutsche Rentenversicherung on how your work is really done. Certainty "
    "comes from its status determination procedure (§ 7a SGB IV); a tax adviser or a lawyer "
    "can advise you."
)

FOUNDERS_NOTE = N_(
    "Founders can be exempted from this pension insurance duty on application for the first "
    "three years after starting out (§ 6 (1a) SGB VI). The app does not check this for you."
)

#: The general contribution rate of the statutory pension insurance in 2025 (DOMAIN.md §3).
PENSION_RATE = Decimal("0.186")

#: What each dependency level means for the freelancer (DOMAIN.md §3): said, not computed.
#: Placeholders: {warning} and {critical} (the thresholds as percentages), {name} (the payer),
#: {rate} (``PENSION_RATE``).
LEVEL_MEANINGS: dict[str, str] = {
    "ok": N_(
        "No payer brings {warning} or more of your revenue: losing one client would hurt, "
        "but it would not end the business, and the 5/6 rule of the pension insurance is "
        "far away."
    ),
    "warning": N_(
        "{name} brings {warning} or more of your revenue: losing this payer would hit hard. "
        "From 5/6 ({critical}), a self-employed person without employees who works "
        "permanently and essentially for one client must pay into the statutory pension "
        "insurance (§ 2 sentence 1 no. 9 SGB VI)."
    ),
    "critical": N_(
        "{name} brings 5/6 ({critical}) or more of your revenue. If you work permanently "
        "and essentially for this payer and employ nobody subject to social insurance, you "
        "are probably employee-like self-employed: compulsorily insured in the statutory "
        "pension insurance (§ 2 sentence 1 no. 9 SGB VI), obliged to register with the Deutsche "
        "Rentenversicherung within three months (§ 190a SGB VI) and to pay contributions on "
        "your income (the general rate, {rate} in 2025; half the standard contribution is "
        "possible in the first three years). A status determination (§ 7a SGB IV) gives "
        "certainty."
    ),
}

#: Said with every meaning of a level.
TALK_TO_ADVISER = N_(
    "This is not legal advice: talk to your tax adviser about what applies to you."
)
