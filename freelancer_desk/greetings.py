"""How a message greets a client: "Sehr geehrte Frau Dr. Schmidt", "Hallo Anna", "Dear Mr Berg".

The client's salutation (Frau / Herr, or none) and form of address (Sie / Du) decide the words;
the contact person's name gives first or last name. Pure functions, no database.
"""

from __future__ import annotations

from dataclasses import dataclass

from freelancer_desk.models import AddressForm, ClientKind, Salutation

#: Words in front of a name that stay with the last name ("Frau Dr. Schmidt").
_TITLES = {"dr.", "prof.", "dr", "prof", "dipl.-ing.", "mag.", "med.", "rer.", "nat."}
#: Salutations a person may have written into the contact field themselves.
_FORMS = {
    "frau": Salutation.MS,
    "fr.": Salutation.MS,
    "ms": Salutation.MS,
    "ms.": Salutation.MS,
    "mrs": Salutation.MS,
    "mrs.": Salutation.MS,
    "herr": Salutation.MR,
    "hr.": Salutation.MR,
    "mr": Salutation.MR,
    "mr.": Salutation.MR,
}
#: Lower-case name particles that belong to the last name ("Frau von Berg").
_PARTICLES = {"von", "van", "vom", "zu", "zum", "zur", "de", "der", "den", "da", "di", "del", "la"}


@dataclass(frozen=True)
class PersonName:
    """A contact person's name split for greetings."""

    first: str
    #: Titles and the last name with its particles: "Dr. von Berg".
    formal_last: str
    full: str
    #: The name carries a title (Dr., Prof.): English greets "Dear Dr. Berg" without Ms/Mr.
    titled: bool = False
    #: "Frau" or "Herr" written in front of the name.
    written_salutation: Salutation | None = None


def split_name(text: str) -> PersonName:
    """Split "Dr. Anna von Berg" into first name "Anna" and "Dr. von Berg".

    A single word is both. "Frau"/"Herr" typed into the field are taken out of the name and
    kept as ``written_salutation``.
    """
    words = [word for word in text.split() if word.casefold() not in _FORMS]
    written = next((_FORMS[w.casefold()] for w in text.split() if w.casefold() in _FORMS), None)
    titles = [word for word in words if word.casefold() in _TITLES]
    names = [word for word in words if word.casefold() not in _TITLES]
    if not names:
        return PersonName(text.strip(), text.strip(), text.strip(), bool(titles), written)
    last_start = len(names) - 1
    while last_start > 1 and names[last_start - 1] in _PARTICLES:
        last_start -= 1
    last = " ".join(titles + names[last_start:])
    return PersonName(names[0], last, " ".join(titles + names), bool(titles), written)


def greeting(
    lang: str,
    kind: ClientKind | str,
    client_name: str,
    contact_person: str | None,
    salutation: Salutation | str | None,
    address_form: AddressForm | str,
) -> str:
    """The greeting line without its comma, in ``lang`` ("de" or "en").

    Without a salutation, one written in the contact field ("Frau Weiß") is used.
    """
    informal = AddressForm(address_form) is AddressForm.INFORMAL
    person = split_name(contact_person) if contact_person and contact_person.strip() else None
    if person is None and ClientKind(kind) is ClientKind.PRIVATE:
        person = split_name(client_name)
    form = Salutation(salutation) if salutation else person and person.written_salutation
    if lang == "de":
        if informal:
            return f"Hallo {person.first if person else client_name}"
        if person is None:
            return "Sehr geehrte Damen und Herren"
        if form is Salutation.MS:
            return f"Sehr geehrte Frau {person.formal_last}"
        if form is Salutation.MR:
            return f"Sehr geehrter Herr {person.formal_last}"
        return f"Guten Tag {person.full}"
    if informal:
        return f"Hi {person.first if person else client_name}"
    if person is None:
        return "Dear Sir or Madam"
    if form is not None and person.titled:
        return f"Dear {person.formal_last}"
    if form is Salutation.MS:
        return f"Dear Ms {person.formal_last}"
    if form is Salutation.MR:
        return f"Dear Mr {person.formal_last}"
    return f"Dear {person.full}"
