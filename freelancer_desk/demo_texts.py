"""Names and notes the demo data is made of (data, not interface text).

Notes come in German and English pairs so that the demo reads naturally in the language the
app runs in; ``{person}`` is replaced with the client's contact person. Client names mix
German and international spellings on purpose (ä ö ü ß Ł ø é ğ) to show that every screen,
sort order and PDF handles them.
"""

from __future__ import annotations

from dataclasses import dataclass

#: A German text and its English counterpart.
Text = tuple[str, str]


@dataclass(frozen=True)
class Persona:
    """A hand-written demo client: name, kind, role in the story, e-mail domain ending."""

    name: str
    kind: str
    role: str
    tld: str = "de"
    #: For lost clients: (loss type, reason code, win-back outcome or "", objected).
    loss: tuple[str, str, str, bool] | None = None


#: Hand-written clients, most important first, so that a small demo still tells the story.
PERSONAS: tuple[Persona, ...] = (
    Persona("Müller & Söhne GmbH", "business", "dominant"),
    Persona("Łukasz Wróbel Consulting", "business", "steady", "pl"),
    Persona("Søren Ødegaard ApS", "business", "late", "dk"),
    Persona("Café Élysée", "business", "declining", "fr"),
    Persona("Straße der Ideen e.V.", "business", "steady"),
    Persona("Hanse Logistik GmbH", "business", "group"),
    Persona("Hanse Logistik Polska Sp. z o.o.", "business", "group", "pl"),
    Persona("Hanse Seefracht Bremen GmbH & Co. KG", "business", "group"),
    Persona("Anja Kröger", "private", "sleeping"),
    Persona(
        "Doğan Yılmaz Tasarım",
        "business",
        "lost",
        "com.tr",
        ("pulled", "competitor", "open", False),
    ),
    Persona(
        "Zoë Lefèvre Photographie",
        "business",
        "won_back",
        "fr",
        ("pushed", "poor_service", "won_back", False),
    ),
    Persona(
        "Weißenfels Immobilien GmbH",
        "business",
        "lost",
        "de",
        ("pushed", "quality", "given_up", True),
    ),
    Persona("Bäckerei Groß OHG", "business", "lost", "de", ("broken", "closed", "", False)),
    Persona("Dr. Jürgen Weiß", "private", "steady"),
    Persona("Grünwerk Architekten PartG mbB", "business", "declining"),
    Persona("Praxis Dr. Özdemir", "business", "late"),
    Persona("Kaffeerösterei Böhm", "business", "sleeping"),
    Persona("Fjordlys Design AS", "business", "steady", "no"),
    Persona(
        "Jaroslav Dvořák s.r.o.",
        "business",
        "lost",
        "cz",
        ("pulled", "price_too_high", "not_now", False),
    ),
    Persona("Möbelhaus Schäfer KG", "business", "declining"),
    Persona("Chloé Martin", "private", "steady"),
    Persona("Studio Ostwind", "business", "new"),
    Persona("Małgorzata Nowak Übersetzungen", "business", "steady", "pl"),
    Persona("Bergström & Åkesson AB", "business", "sleeping", "se"),
    Persona("Ökohof Sonnenfeld GbR", "business", "steady"),
    Persona("Tobias Fuchs", "private", "lost", "de", ("broken", "moved", "open", False)),
    Persona("Verlag Blaue Möwe GmbH", "business", "steady"),
    Persona("Elbe Digital UG (haftungsbeschränkt)", "business", "late"),
    Persona("Théo Girard", "private", "sleeping"),
    Persona("Schreinerei Köhler", "business", "archived"),
    Persona(
        "Nordwind Reisen GmbH",
        "business",
        "lost",
        "de",
        ("pushed", "complaint_handling", "open", False),
    ),
    Persona("Brückner Maschinenbau AG", "business", "steady"),
    Persona("Agnieszka Kowalczyk", "private", "new"),
    Persona("Gasthaus Zur Mühle", "business", "declining"),
    Persona("Østergaard & Friis I/S", "business", "steady", "dk"),
    Persona("Physiotherapie Hoffmann", "business", "steady"),
    Persona("Ümit Aksoy", "private", "steady"),
    Persona("Kanzlei Bäumer & Partner", "business", "late"),
    Persona("Fräulein Grün Kosmetik", "business", "sleeping"),
    Persona("Lindqvist Ingenieure GmbH", "business", "new"),
)

#: The group (Konzern) whose member companies count as one payer.
GROUP_NAME = "Hanse Logistik Gruppe"
GROUP_NOTE: Text = (
    "Konzern: Abrechnung getrennt je Gesellschaft, Rahmenvertrag mit der Holding.",
    "Group: each company is invoiced separately, framework contract with the holding.",
)

FIRST_NAMES = (
    "Anna",
    "Jürgen",
    "Małgorzata",
    "Søren",
    "Chloé",
    "Ömer",
    "Björn",
    "Zoë",
    "Jörg",
    "Ingrid",
    "Łukasz",
    "Renée",
    "Käthe",
    "Mehmet",
    "Åsa",
    "Stefan",
    "Hélène",
    "Jonas",
    "Dörte",
    "Tomáš",
    "Sabine",
    "Niklas",
    "Ayşe",
    "François",
    "Heike",
    "Matthias",
    "Birgit",
    "Paweł",
    "Lea",
    "Uwe",
)
LAST_NAMES = (
    "Schneider",
    "Fischer",
    "Weiß",
    "Müller",
    "Schäfer",
    "Köhler",
    "Groß",
    "Krüger",
    "Böhm",
    "Hoffmann",
    "Lange",
    "Yılmaz",
    "Nowak",
    "Østergaard",
    "Lefèvre",
    "Dvořák",
    "Wójcik",
    "Jensen",
    "Bäumer",
    "Öztürk",
    "Hansen",
    "Brandt",
    "Vogel",
    "Łęcki",
    "Sørensen",
    "Dubois",
    "Kraus",
    "Wagner",
    "Çelik",
    "Lindström",
    "Becker",
    "Zimmermann",
    "Martín",
    "Novák",
    "Schröder",
)
#: (prefix, suffix) patterns for extra business names around a surname.
TRADES = (
    ("", " Medien GmbH"),
    ("Autohaus ", ""),
    ("", " Consulting"),
    ("Praxis ", ""),
    ("", " & Partner"),
    ("Bäckerei ", ""),
    ("", " Bau GmbH & Co. KG"),
    ("Studio ", ""),
    ("", " Immobilien GmbH"),
    ("Kanzlei ", ""),
    ("", " Design"),
    ("Gärtnerei ", ""),
    ("", " Software UG"),
    ("Hotel ", ""),
    ("", " Logistik AG"),
    ("Weingut ", ""),
)
CITIES = (
    ("10115", "Berlin"),
    ("20095", "Hamburg"),
    ("80331", "München"),
    ("50667", "Köln"),
    ("60311", "Frankfurt am Main"),
    ("70173", "Stuttgart"),
    ("04109", "Leipzig"),
    ("28195", "Bremen"),
    ("01067", "Dresden"),
    ("90402", "Nürnberg"),
    ("48143", "Münster"),
    ("24103", "Kiel"),
    ("79098", "Freiburg im Breisgau"),
    ("99084", "Erfurt"),
)
STREETS = (
    "Hauptstraße",
    "Schillerstraße",
    "Am Mühlbach",
    "Gartenweg",
    "Lindenallee",
    "Königsplatz",
    "Bahnhofstraße",
    "Große Elbstraße",
    "Weißenburger Str.",
    "Rosenstraße",
    "Fährweg",
)
MAIL_PROVIDERS = ("posteo.de", "gmx.de", "web.de", "mailbox.org", "t-online.de")

TAGS: tuple[Text, ...] = (
    ("Web", "Web"),
    ("Print", "Print"),
    ("Beratung", "Consulting"),
    ("Logo", "Logo"),
    ("Texte", "Copywriting"),
    ("Wartung", "Maintenance"),
    ("Fotografie", "Photography"),
    ("Übersetzung", "Translation"),
    ("Schulung", "Training"),
)

CLIENT_NOTES: dict[str, tuple[Text, ...]] = {
    "dominant": (
        (
            "Hauptauftraggeber; der Geschäftsführer schätzt kurze Wege und feste Ansprechpartner.",
            "Main client; the managing director values short paths and fixed contacts.",
        ),
    ),
    "late": (
        (
            "Zahlt meist erst nach der zweiten Erinnerung – Buchhaltung sitzt im Ausland.",
            "Usually pays only after the second reminder – accounting sits abroad.",
        ),
    ),
    "declining": (
        (
            "Seit dem Wechsel der Ansprechperson deutlich weniger Aufträge.",
            "Noticeably fewer orders since the contact person changed.",
        ),
    ),
    "sleeping": (
        (
            "War immer freundlich; letzter Auftrag liegt lange zurück.",
            "Always friendly; the last order was a long time ago.",
        ),
    ),
    "won_back": (
        (
            "Rückkehrer: erste Aufträge besonders sorgfältig prüfen.",
            "Returner: check the first jobs with extra care.",
        ),
    ),
}

ENTRY_NOTES: tuple[Text, ...] = (
    ("Website-Relaunch, 2. Abschlag", "Website relaunch, 2nd instalment"),
    ("Messebroschüre", "Trade-fair brochure"),
    ("Wartungspauschale", "Maintenance flat fee"),
    ("Workshop vor Ort", "On-site workshop"),
    ("Übersetzung Produktkatalog", "Product catalogue translation"),
    ("Eilauftrag Wochenende", "Rush job at the weekend"),
)
CREDIT_NOTE: Text = ("Gutschrift nach Reklamation", "Credit note after a complaint")

INTERACTION_NOTES: dict[str, tuple[Text, ...]] = {
    "complaint": (
        (
            (
                "Ärger über die verspätete Lieferung der Druckdaten – {person} war hörbar genervt, "
                "der Messetermin stand fest."
            ),
            (
                "Annoyed about the late print files – {person} was audibly irritated, the "
                "trade-fair date was fixed."
            ),
        ),
        (
            (
                "Reklamation: Farben im Logo weichen vom Styleguide ab. {person} fühlte sich nicht "
                "ernst genommen."
            ),
            (
                "Complaint: the logo colours differ from the style guide. {person} felt not taken "
                "seriously."
            ),
        ),
        (
            "Rechnung als zu hoch empfunden, Stundenaufstellung verlangt. Ton kühl, aber sachlich.",
            "Felt the invoice was too high and asked for the hours. Cool tone, but factual.",
        ),
        (
            "{person} beschwert sich, dass Rückfragen zwei Tage unbeantwortet blieben.",
            "{person} complained that questions stayed unanswered for two days.",
        ),
        (
            "Fehler im Newsletter (falsche Anrede) – "
            "{person} war es vor den eigenen Kunden peinlich.",
            (
                "Mistake in the newsletter (wrong salutation) – {person} was embarrassed in front "
                "of their own customers."
            ),
        ),
    ),
    "praise": (
        (
            "{person} war begeistert vom Entwurf: „Genau so hatte ich mir das vorgestellt.“",
            "{person} was delighted with the draft: “Exactly what I had in mind.”",
        ),
        (
            "Lob für die schnelle Hilfe am Freitagabend; will uns weiterempfehlen.",
            "Praise for the quick help on a Friday evening; wants to recommend us.",
        ),
        (
            "Dankeskarte zum Projektabschluss, mit Foto vom ganzen Team.",
            "Thank-you card at the end of the project, with a photo of the whole team.",
        ),
        (
            "{person}: „Mit Ihnen muss ich nie nachhaken.“ Freut sich über die Zuverlässigkeit.",
            "{person}: “With you I never have to follow up.” Glad about the reliability.",
        ),
    ),
    "unreachable": (
        (
            "Zweimal angerufen, nur Mailbox. Keine Rückmeldung auf die Nachricht.",
            "Called twice, only voicemail. No reply to the message.",
        ),
        (
            "E-Mail zum Folgeauftrag unbeantwortet, keine Abwesenheitsnotiz.",
            "Email about the follow-up order unanswered, no out-of-office reply.",
        ),
        (
            "Sekretariat vertröstet: {person} melde sich „nächste Woche“.",
            "The assistant put me off: {person} would call back “next week”.",
        ),
    ),
    "chasing": (
        (
            "Musste dem zugesagten Folgeauftrag hinterhertelefonieren; "
            "{person} wirkte ausweichend.",
            "Had to chase the promised follow-up order; {person} seemed evasive.",
        ),
        (
            "Freigabe des Angebots seit drei Wochen offen, dritte Erinnerung geschickt.",
            "Approval of the quote open for three weeks, sent a third reminder.",
        ),
        (
            "Auftrag erst nach mehrmaligem Nachfragen erteilt – Budget angeblich gekürzt.",
            "Order placed only after several follow-ups – budget supposedly cut.",
        ),
    ),
    "contact": (
        (
            "Abstimmung zum nächsten Quartal, {person} plant zwei neue Projekte.",
            "Planning call for the next quarter; {person} plans two new projects.",
        ),
        ("Kurzer Austausch zum Stand, alles im Plan.", "Short status call, everything on track."),
        (
            "Zahlungserinnerung freundlich angesprochen, {person} sagt die Überweisung zu.",
            "Mentioned the payment reminder politely; {person} promised the transfer.",
        ),
        (
            "Treffen im Büro, Kaffee und Einblick in die neue Produktlinie.",
            "Meeting at their office, coffee and a look at the new product line.",
        ),
        (
            "{person} erzählte vom Umzug der Firma – Gelegenheit für neue Geschäftsausstattung.",
            "{person} talked about the company's move – an opening for new stationery.",
        ),
    ),
    "feedback": (
        (
            "Feedbackgespräch: schätzt die Termintreue, wünscht sich mehr eigene Vorschläge.",
            "Feedback talk: values punctuality, would like more proposals from our side.",
        ),
        (
            "Kurzes Feedback per Mail: 4 von 5, Abzug für lange Abstimmungsschleifen.",
            "Short feedback by email: 4 of 5, points off for long review loops.",
        ),
        (
            "{person} findet die Zusammenarbeit unkompliziert und würde uns empfehlen.",
            "{person} finds working with us easy and would recommend us.",
        ),
    ),
}

LOSS_TEXTS: dict[str, tuple[Text, ...]] = {
    "pulled": (
        (
            "Hat zu einer Agentur gewechselt, die rund 15 % günstiger anbietet.",
            "Switched to an agency about 15% cheaper.",
        ),
        ("Macht es jetzt mit einer Werkstudentin im Haus.", "Now does it in-house with a student."),
    ),
    "pushed": (
        (
            "Nach der verpatzten Messebroschüre nicht mehr gemeldet.",
            "No word since the botched trade-fair brochure.",
        ),
        ("Fühlte sich bei der Reklamation abgewimmelt.", "Felt brushed off when complaining."),
    ),
    "broken": (
        ("Betrieb aufgegeben bzw. weggezogen.", "Business closed or moved away."),
        (
            "Braucht die Leistung nach der Umstrukturierung nicht mehr.",
            "No longer needs the service after restructuring.",
        ),
    ),
}

ATTEMPT_NOTES: dict[str, Text] = {
    "friendly": (
        "Freundliches Gespräch, Termin für ein neues Angebot vereinbart.",
        "Friendly call, appointment for a new quote agreed.",
    ),
    "reserved": (
        "Zurückhaltend; Kritik notiert: zu langsame Reaktion. Besserung zugesagt.",
        "Reserved; criticism noted: slow replies. Promised to improve.",
    ),
    "rude": (
        "Schroff abgewiesen; Löschung der Daten angeboten.",
        "Brusquely turned down; offered to delete their data.",
    ),
    "no_answer": ("Nicht erreicht, Nachricht hinterlassen.", "Not reached, left a message."),
}

INCENTIVES: tuple[Text, ...] = (
    ("Kostenloser Social-Media-Check", "Free social media check"),
    ("10 % auf den nächsten Auftrag", "10% off the next order"),
    ("Express-Bearbeitung ohne Aufpreis", "Express handling at no extra charge"),
    ("Kleines Präsent: Notizbuch mit Prägung", "Small gift: an embossed notebook"),
)

FEEDBACK_RESPONSES: dict[str, tuple[Text, ...]] = {
    "received": (
        ("Sehr zufrieden, gern wieder.", "Very happy, would come again."),
        ("Empfehlungsschreiben als PDF erhalten.", "Recommendation letter received as PDF."),
        ("Bewertung mit fünf Sternen veröffentlicht.", "Published a five-star review."),
        (
            "Hat uns an einen Geschäftspartner weiterempfohlen.",
            "Referred us to a business partner.",
        ),
    ),
    "declined": (
        ("Möchte keine öffentlichen Bewertungen abgeben.", "Does not write public reviews."),
        ("Keine Zeit im Moment, vielleicht später.", "No time at the moment, maybe later."),
    ),
}

REMINDER_NOTES: dict[str, Text] = {
    "reactivate": (
        "Nachfragen, ob im Frühjahr wieder etwas ansteht.",
        "Ask whether anything is coming up in spring.",
    ),
    "winback_followup": (
        "Zweiten Anlauf nehmen, Rückkehrangebot anbieten.",
        "Try again and make the return offer.",
    ),
    "feedback_followup": (
        "Freundlich an die Feedbackbitte erinnern.",
        "Gently remind them of the feedback request.",
    ),
    "new_offers": (
        "Von den neuen Barrierefreiheits-Checks erzählen.",
        "Tell them about the new accessibility checks.",
    ),
    "custom": ("Zeit für Neukundengewinnung einplanen.", "Plan time to win new clients."),
}

#: The demo freelancer's name for report covers.
OWNER_NAME: Text = ("Lena Brandt · Grafik & Web", "Lena Brandt · Graphics & Web")
OWNER_ADDRESS = "Hafenstraße 12, 20457 Hamburg"
