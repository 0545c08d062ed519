"""The catalogue of loss reasons and the measures they suggest (DOMAIN.md §6).

Shipped in German and English; stored in the ``loss_reason`` table so that the user can edit it.
New built-in reasons are added on upgrade; reasons the user edited are never overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from freelancer_desk.models import LossReason, LossType


@dataclass(frozen=True)
class BuiltinReason:
    """One shipped reason: code, typical loss type, labels and measures in both languages."""

    code: str
    loss_type: LossType | None
    label_de: str
    label_en: str
    measures_de: tuple[str, ...]
    measures_en: tuple[str, ...]


B, P, U = LossType.BROKEN, LossType.PULLED, LossType.PUSHED

BUILTIN_REASONS: tuple[BuiltinReason, ...] = (
    BuiltinReason(
        "moved",
        B,
        "Kunde ist umgezogen",
        "Client moved",
        (
            "Leistung aus der Ferne oder geliefert anbieten",
            "An einen Partner in der Nähe übergeben",
        ),
        ("Offer the service remotely or delivered", "Hand over to a partner near them"),
    ),
    BuiltinReason(
        "financial_squeeze",
        B,
        "Finanzieller Engpass",
        "Financial squeeze",
        ("Zahlungsaufschub", "Rabatt", "Kleineres / günstigeres Paket", "Ratenzahlung"),
        ("Defer payment", "Discount", "Smaller or cheaper package", "Instalments"),
    ),
    BuiltinReason(
        "wants_change",
        P,
        "Wunsch nach Abwechslung",
        "Wants a change / variety",
        ("Alternatives Angebot", "Frische Ideen", "Nach einer Weile erneut anfragen"),
        ("An alternative offer", "Fresh ideas", "After a while, ask again"),
    ),
    BuiltinReason(
        "new_phase",
        B,
        "Neue Lebens- oder Geschäftsphase",
        "New phase of life or business",
        ("Andere Seiten des Angebots zeigen", "Neue Argumente und Kanäle"),
        ("Show other sides of the offer", "New arguments and channels"),
    ),
    BuiltinReason(
        "price_too_high",
        P,
        "Unser Preis zu hoch",
        "Our price too high",
        (
            "Günstigere Alternative",
            "Zahlungshilfe",
            "Zusätzliche Leistung",
            "Zeigen, was besonders ist",
        ),
        ("Cheaper alternative", "Payment help", "Added service", "Show what is special"),
    ),
    BuiltinReason(
        "competitor",
        P,
        "Wettbewerber günstiger / besser",
        "Competitor cheaper / better value",
        ("Den Wert hinter dem Preis erklären", "Seltener Rabatt", "Einmaliges Rückkehrangebot"),
        ("Explain the value behind the price", "Rare discount", "One-off return offer"),
    ),
    BuiltinReason(
        "quality",
        U,
        "Qualitätsprobleme",
        "Quality problems",
        (
            "Schnell beheben",
            "Entschuldigungsbrief",
            "Wiedergutmachung",
            "Extra",
            "Rabatt",
            "Garantie für das nächste Mal",
        ),
        ("Fix fast", "Apology letter", "Make good", "Extra", "Discount", "Guarantee next time"),
    ),
    BuiltinReason(
        "poor_service",
        U,
        "Schlechter Service / langsame Hilfe",
        "Poor service / slow help",
        ("Entschuldigen", "Sofort beheben", "Wiedergutmachung", "Rabatt", "Die Ursache beseitigen"),
        ("Apologise", "Fix now", "Make good", "Discount", "Remove the cause"),
    ),
    BuiltinReason(
        "complaint_handling",
        U,
        "Reklamation schlecht behandelt",
        "Complaint badly handled",
        ("Zuerst emotionale Wiedergutmachung", "Dann materieller Ausgleich"),
        ("Emotional repair first", "Then material compensation"),
    ),
    BuiltinReason(
        "contact_person",
        U,
        "Unfreundliche oder neue Ansprechperson",
        "Unfriendly or changed contact person",
        ("Entschuldigen", "Die neue Ansprechperson persönlich vorstellen"),
        ("Apologise", "Introduce the new contact in person"),
    ),
    BuiltinReason(
        "image",
        U,
        "Schlechtes Image / Ruf",
        "Bad image / reputation",
        ("Transparenz", "Sichtbare Verbesserungen", "Öffentlichkeitsarbeit"),
        ("Transparency", "Visible improvements", "PR"),
    ),
    BuiltinReason(
        "unreachable",
        U,
        "Schwer erreichbar / nicht vor Ort",
        "Hard to reach / not available where needed",
        ("Einen erreichbaren Kanal anbieten", "Lokaler Partner"),
        ("A reachable channel", "Local partner"),
    ),
    BuiltinReason(
        "need_changed",
        B,
        "Bedarf hat sich geändert",
        "Need changed",
        ("Neue Leistungen anbieten", "Von neuen Fähigkeiten erzählen"),
        ("Offer new services", "Tell about new skills"),
    ),
    BuiltinReason(
        "crisis",
        B,
        "Krise (Pandemie, Krieg, Märkte)",
        "Crisis (pandemic, war, markets)",
        (
            "Persönlich sprechen",
            "Unterstützung an den aktuellen Bedarf anpassen",
            "Kurzfristige Maßnahmen",
        ),
        ("Talk in person", "Adapt support to what they need now", "Short-term tactics"),
    ),
    BuiltinReason(
        "closed",
        B,
        "Geschlossen / insolvent",
        "Closed / insolvent",
        ("Keine Rückgewinnung", "Mit den Menschen in Kontakt bleiben", "Um Empfehlungen bitten"),
        ("No win-back", "Stay in touch with the people", "Ask for referrals"),
    ),
    BuiltinReason("other", None, "Sonstiges", "Other", (), ()),
)

#: Reasons for which a win-back makes no sense (the business is gone).
NO_WINBACK_REASONS = frozenset({"closed"})


def ensure_reason_catalogue(session: Session) -> int:
    """Add shipped reasons that are missing; never overwrite the user's edits.

    Returns count added.
    """
    existing = set(session.exec(select(LossReason.code)).all())
    added = 0
    for position, reason in enumerate(BUILTIN_REASONS):
        if reason.code in existing:
            continue
        session.add(
            LossReason(
                code=reason.code,
                loss_type=reason.loss_type,
                label_de=reason.label_de,
                label_en=reason.label_en,
                measures_de="\n".join(reason.measures_de),
                measures_en="\n".join(reason.measures_en),
                position=position,
            )
        )
        added += 1
    return added
