"""The fields each importer fills, the header names tools write for them, and the mapping.

A *mapping* says which column feeds which field. It is recognised from the header row (German
and English names as common invoicing tools, spreadsheets and our own export write them) and
the user can override any column by its header text (``--map "Kd.-Name=client"``, or the
mapping page of the wizard). Field keys double as header names, so our own export re-imports
without help.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import itemgetter

from freelancer_desk.errors import InputError
from freelancer_desk.i18n import N_, _
from freelancer_desk.importers.values import word_key
from freelancer_desk.names import fold

#: The pseudo field that tells the importer to skip a column.
IGNORE = "ignore"

#: Header names of a file with a single VAT rate and amount (the first of up to three pairs).
_SINGLE_VAT_RATE = (
    "MwSt-Satz",
    "USt-Satz",
    "Steuersatz",
    "Mehrwertsteuersatz",
    "Umsatzsteuersatz",
    "MwSt %",
    "USt %",
    "Steuer %",
    "VAT rate",
    "Tax rate",
    "VAT %",
    "Tax %",
)
_SINGLE_VAT_AMOUNT = (
    "MwSt",
    "USt",
    "MwSt-Betrag",
    "USt-Betrag",
    "Steuer",
    "Steuerbetrag",
    "Umsatzsteuer",
    "Mehrwertsteuer",
    "VAT",
    "VAT amount",
    "Tax",
    "Tax amount",
    "Total taxes",
)


@dataclass(frozen=True)
class FieldSpec:
    """One importable field: its key, the label shown, whether it is needed, its header names.

    ``lines``: the field may be spread over numbered columns ("Rechnungsempfänger Zeile 0",
    "… Zeile 1" …); the lowest-numbered one holds the value (the name of the recipient).
    """

    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False
    lines: bool = False

    def rank(self, header: str) -> int | None:
        """How well ``header`` names this field (0 best), or None when it does not."""
        key = header_key(header)
        names = (self.key, *self.aliases)
        for index, name in enumerate(names):
            if header_key(name) == key:
                return index
        numbered = _NUMBERED_LINE.fullmatch(key) if self.lines else None
        if numbered and any(header_key(name) == numbered.group(1) for name in names):
            return len(names) + int(numbered.group(2))
        return None


#: A header of one line of a field spread over several columns: ``rechnungsempfaengerzeile0``.
_NUMBERED_LINE = re.compile(r"(.+?)(?:zeile|line)(\d)")
#: Parts of a header in brackets that only name the unit: ``Netto (EUR)``, ``MwSt [%]``.
_UNIT_IN_BRACKETS = re.compile(r"[(\[]\s*(?:in\s+)?(?:eur|euro|€|%|prozent)\s*[)\]]")


@lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """A header reduced for comparing: ``Netto (EUR)`` → ``netto``, ``MwSt %`` → ``mwstprozent``.

    Brackets that name the currency go; other brackets stay part of the name, so that
    ``Betrag (netto)`` and ``Betrag (brutto)`` remain two columns.
    """
    text = _UNIT_IN_BRACKETS.sub(lambda m: " prozent " if "%" in m.group() else " ", fold(text))
    text = re.sub(r"\b(?:in )?(?:eur|euro)\b|€", " ", text.replace("%", " prozent "))
    return word_key(text)


REVENUE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "client",
        N_("Client"),
        (
            "Kunde",
            "Kundenname",
            "Auftraggeber",
            "Rechnungsempfänger",
            "Leistungsempfänger",
            "Empfänger",
            "Firma",
            "Debitor",
            "Debitorname",
            "Geschäftspartner",
            "Kontakt",
            "Kontaktname",
            "Customer",
            "Customer name",
            "Client",
            "Client name",
            "Company",
            "Bill to",
            "Recipient",
            "Name",
        ),
        required=True,
        lines=True,
    ),
    FieldSpec(
        "invoice_number",
        N_("Invoice number"),
        (
            "Rechnungsnummer",
            "Rechnungs-Nr.",
            "Rechnungsnr",
            "Re.-Nr.",
            "Rechnung Nr",
            "Belegnummer",
            "Beleg-Nr.",
            "Dokumentnummer",
            "Rechnung",
            "Beleg",
            "Nummer",
            "Nr.",
            "Invoice No",
            "Invoice number",
            "Invoice #",
            "Invoice",
            "Document number",
            "Document no",
            "Number",
            "No.",
        ),
    ),
    FieldSpec(
        "invoice_date",
        N_("Invoice date"),
        (
            "Rechnungsdatum",
            "Belegdatum",
            "Ausstellungsdatum",
            "Dokumentdatum",
            "Datum",
            "Invoice Date",
            "Document date",
            "Issue date",
            "Date",
        ),
        required=True,
    ),
    FieldSpec(
        "net",
        N_("Net amount"),
        (
            "Netto",
            "Nettobetrag",
            "Betrag netto",
            "Netto-Betrag",
            "Summe netto",
            "Nettosumme",
            "Gesamt netto",
            "Umsatz netto",
            "Rechnungsbetrag netto",
            "Net",
            "Net Amount",
            "Amount net",
            "Net total",
            "Total net",
            "Total excl. VAT",
            "Amount excl. VAT",
            "Subtotal",
            "Betrag",
            "Umsatz",
            "Amount",
            "Revenue",
        ),
    ),
    FieldSpec(
        "gross",
        N_("Gross amount"),
        (
            "Brutto",
            "Bruttobetrag",
            "Betrag brutto",
            "Brutto-Betrag",
            "Summe brutto",
            "Bruttosumme",
            "Gesamt brutto",
            "Rechnungsbetrag brutto",
            "Rechnungsbetrag",
            "Gesamtbetrag",
            "Endbetrag",
            "Gross",
            "Gross amount",
            "Amount gross",
            "Total amount",
            "Total incl. VAT",
            "Amount incl. VAT",
            "Total",
        ),
    ),
    *(
        spec
        for number in (1, 2, 3)
        for spec in (
            FieldSpec(
                "vat_rate" if number == 1 else f"vat_rate_{number}",
                (N_("VAT rate"), N_("VAT rate 2"), N_("VAT rate 3"))[number - 1],
                (
                    *(_SINGLE_VAT_RATE if number == 1 else ()),
                    f"USt Satz {number} Prozent",
                    f"USt-Satz {number}",
                    f"MwSt-Satz {number}",
                    f"Steuersatz {number}",
                    f"VAT rate {number}",
                    f"Tax rate {number}",
                ),
            ),
            FieldSpec(
                "vat_amount" if number == 1 else f"vat_amount_{number}",
                (N_("VAT amount"), N_("VAT amount 2"), N_("VAT amount 3"))[number - 1],
                (
                    *(_SINGLE_VAT_AMOUNT if number == 1 else ()),
                    f"USt Satz {number} Betrag",
                    f"USt-Betrag {number}",
                    f"MwSt-Betrag {number}",
                    f"Steuerbetrag {number}",
                    f"VAT amount {number}",
                    f"Tax amount {number}",
                ),
            ),
        )
    ),
    FieldSpec(
        "due_date",
        N_("Due date"),
        (
            "Fällig am",
            "Fälligkeit",
            "Fälligkeitsdatum",
            "Fällig",
            "Zahlungsziel Datum",
            "Due Date",
            "Due",
            "Due on",
            "Payment due",
        ),
    ),
    FieldSpec(
        "paid_date",
        N_("Paid date"),
        (
            "Bezahlt am",
            "Zahlungseingang",
            "Zahldatum",
            "Zahlungsdatum",
            "Bezahlt",
            "Eingang am",
            "Paid",
            "Date Paid",
            "Paid on",
            "Paid date",
            "Payment date",
        ),
    ),
    FieldSpec(
        "status",
        N_("Status"),
        (
            "Rechnungsstatus",
            "Zahlstatus",
            "Zahlungsstatus",
            "Belegstatus",
            "Dokumentstatus",
            "Invoice status",
            "Payment status",
            "State",
        ),
    ),
    FieldSpec(
        "cancelled_on",
        N_("Cancellation date"),
        (
            "Storno-Datum",
            "Stornodatum",
            "Storniert am",
            "Stornierungsdatum",
            "Datum Storno",
            "Cancelled on",
            "Canceled on",
            "Cancellation date",
            "Voided on",
            "Void date",
        ),
    ),
    FieldSpec(
        "document_type",
        N_("Document type"),
        (
            "Belegart",
            "Belegtyp",
            "Dokumentart",
            "Dokumenttyp",
            "Dokumententyp",
            "Rechnungsart",
            "Rechnungstyp",
            "Art",
            "Typ",
            "Document type",
            "Invoice type",
            "Type",
            "Kind",
        ),
    ),
    FieldSpec(
        "note",
        N_("Note"),
        (
            "Notiz",
            "Bemerkung",
            "Anmerkung",
            "Beschreibung",
            "Betreff",
            "Leistung",
            "Kommentar",
            "Verwendungszweck",
            "Text",
            "Note",
            "Notes",
            "Public notes",
            "Description",
            "Memo",
            "Comment",
            "Subject",
        ),
    ),
)

#: VAT fields of a row, as (rate field, amount field) pairs: up to three rates per invoice.
VAT_PAIRS: tuple[tuple[str, str], ...] = (
    ("vat_rate", "vat_amount"),
    ("vat_rate_2", "vat_amount_2"),
    ("vat_rate_3", "vat_amount_3"),
)


@dataclass(frozen=True)
class HeaderSet:
    """The columns of one tool's export, recognised together when all of ``marks`` are present.

    A header set settles what a column means where its name alone would mislead (Invoice
    Ninja's "Amount" includes the taxes) and names the columns that are deliberately not
    imported, so that they are not listed as unknown. ``source`` is where the tool documents
    its columns (docs/EXPORT.md lists every set with it). ``complete``: the format's columns
    are all known (DATEV's 125), so the ones not needed are not listed as unknown.
    ``neutralised``: the tool writes text cells that a spreadsheet would run as a formula with
    a ``'`` in front (our own export, ``csv_cells``); reading takes it off again.
    """

    name: str
    source: str
    marks: tuple[str, ...]
    columns: dict[str, str]
    complete: bool = False
    neutralised: bool = False

    def applies(self, keys: set[str]) -> bool:
        """Whether a header row with these header keys is this tool's export."""
        return all(header_key(mark) in keys for mark in self.marks)


#: Our own full export (``exporting``): its ids are those of the other database.
OWN_EXPORT_SOURCE = "docs/EXPORT.md (Freelancer Desk's full export)"

REVENUE_HEADER_SETS: tuple[HeaderSet, ...] = (
    HeaderSet(
        "Freelancer Desk export (revenue_entry.csv)",
        OWN_EXPORT_SOURCE,
        ("id", "client_id", "client", "invoice_date", "net"),
        {"id": IGNORE, "client_id": IGNORE},
        neutralised=True,
    ),
    HeaderSet(
        "CGM MAXX (practice software) invoice list",
        "https://update.compugroup.at/webhelp/cgm-maxx/1819437019.html",
        ("Rechnungsempfänger Zeile 0", "Rechnungsbetrag Brutto"),
        {
            "Rechnungsnummer": "invoice_number",
            "Rechnungsdatum": "invoice_date",
            "Rechnungsbetrag Brutto": "gross",
            **{f"USt Satz {n} Prozent": VAT_PAIRS[n - 1][0] for n in (1, 2, 3)},
            **{f"USt Satz {n} Betrag": VAT_PAIRS[n - 1][1] for n in (1, 2, 3)},
            "Rechnungsstatus": "status",
            "Rechnungsempfänger Zeile 0": "client",
            **{f"Rechnungsempfänger Zeile {n}": IGNORE for n in (1, 2, 3, 4)},
            "Tage Offen": IGNORE,
            "Storno-Datum": "cancelled_on",
            "Storno-Begründung": IGNORE,
        },
    ),
    HeaderSet(
        "Invoice Ninja invoice export",
        "https://github.com/invoiceninja/invoiceninja/blob/v5-stable/app/Export/CSV/InvoiceExport.php",
        ("Amount", "Total Taxes"),
        {
            "Number": "invoice_number",
            "Client": "client",
            "Date": "invoice_date",
            "Due Date": "due_date",
            "Amount": "gross",
            "Total Taxes": "vat_amount",
            "Status": "status",
            "Public Notes": "note",
            **dict.fromkeys(
                (
                    "Balance",
                    "Paid to Date",
                    "Partial",
                    "Discount",
                    "Tax Rate 1",
                    "Tax Rate 2",
                    "Tax Rate 3",
                    "Tax Name 1",
                    "Tax Name 2",
                    "Tax Name 3",
                ),
                IGNORE,
            ),
        },
    ),
)

CLIENT_HEADER_SETS: tuple[HeaderSet, ...] = (
    HeaderSet(
        "Freelancer Desk export (client.csv)",
        OWN_EXPORT_SOURCE,
        ("id", "name", "group_id", "group"),
        {"id": IGNORE, "group_id": IGNORE},
        neutralised=True,
    ),
)

CLIENT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "name",
        N_("Name"),
        (
            "Kunde",
            "Kundenname",
            "Firma",
            "Firmenname",
            "Auftraggeber",
            "Unternehmen",
            "Client",
            "Client name",
            "Customer",
            "Customer name",
            "Company",
            "Company name",
        ),
        required=True,
    ),
    FieldSpec(
        "kind",
        N_("Kind"),
        (
            "Art",
            "Typ",
            "Kundenart",
            "Kundentyp",
            "Type",
            "Client type",
            "Customer type",
        ),
    ),
    FieldSpec(
        "group",
        N_("Group"),
        (
            "Gruppe",
            "Konzern",
            "Unternehmensgruppe",
            "Muttergesellschaft",
            "Company group",
            "Parent company",
        ),
    ),
    FieldSpec(
        "contact_person",
        N_("Contact person"),
        (
            "Ansprechpartner",
            "Ansprechpartnerin",
            "Ansprechperson",
            "Kontaktperson",
            "Kontakt",
            "Contact",
            "Contact person",
            "Contact name",
        ),
    ),
    FieldSpec(
        "salutation",
        N_("Salutation"),
        (
            "Anrede",
            "Anrede Ansprechpartner",
            "Salutation",
            "Contact salutation",
        ),
    ),
    FieldSpec(
        "address_form",
        N_("Form of address"),
        (
            "Sie/Du",
            "Du/Sie",
            "Anredeform",
            "Ansprache",
            "Form of address",
            "Address form",
        ),
    ),
    FieldSpec(
        "email",
        N_("Email"),
        (
            "E-Mail",
            "Mail",
            "E-Mail-Adresse",
            "Email address",
            "E-mail address",
        ),
    ),
    FieldSpec(
        "phone",
        N_("Phone"),
        (
            "Telefon",
            "Tel.",
            "Telefonnummer",
            "Mobil",
            "Handy",
            "Phone number",
            "Telephone",
            "Mobile",
        ),
    ),
    FieldSpec("address", N_("Address"), ("Adresse", "Anschrift")),
    FieldSpec(
        "email_consent_on",
        N_("Email consent"),
        (
            "Einwilligung E-Mail",
            "E-Mail-Einwilligung",
            "Einwilligung Mail",
            "Email consent",
            "Consent email",
            "Email opt-in",
        ),
    ),
    FieldSpec(
        "phone_consent_on",
        N_("Phone consent"),
        (
            "Einwilligung Telefon",
            "Telefon-Einwilligung",
            "Phone consent",
            "Consent phone",
            "Phone opt-in",
        ),
    ),
    FieldSpec(
        "objection_on",
        N_("Objection"),
        (
            "Widerspruch",
            "Widerspruch am",
            "Werbewiderspruch",
            "Objection",
            "Objection date",
            "Objected",
            "Opt-out",
            "Do not contact",
        ),
    ),
    FieldSpec(
        "loyalty",
        N_("Loyalty type"),
        (
            "Loyalität",
            "Loyalitätstyp",
            "Kundenbindung",
            "Loyalty",
            "Loyalty type",
        ),
    ),
    FieldSpec(
        "notes",
        N_("Notes"),
        (
            "Notizen",
            "Notiz",
            "Bemerkung",
            "Bemerkungen",
            "Anmerkung",
            "Kommentar",
            "Note",
            "Comment",
            "Comments",
        ),
    ),
    FieldSpec("tags", N_("Tags"), ("Schlagworte", "Stichworte", "Labels", "Kategorien")),
    FieldSpec(
        "payment_term_days",
        N_("Payment term (days)"),
        (
            "Zahlungsziel",
            "Zahlungsziel Tage",
            "Zahlungsfrist",
            "Payment term",
            "Payment terms",
            "Term days",
        ),
    ),
    FieldSpec("archived", N_("Archived"), ("Archiviert",)),
    FieldSpec(
        "created_on",
        N_("Client since"),
        (
            "Kunde seit",
            "Angelegt am",
            "Erstellt am",
            "Customer since",
            "Client since",
            "Created",
            "Created on",
        ),
    ),
)


@dataclass(frozen=True)
class ColumnMap:
    """Which column (by index) feeds which field, and the header columns nothing uses."""

    header: tuple[str, ...]
    columns: dict[str, int]
    unrecognised: tuple[str, ...]
    #: Header texts the header row holds more than once: only the first such column is read.
    duplicates: tuple[str, ...] = ()
    #: The tool whose export the header row is (a ``HeaderSet`` name), when it is one.
    shape: str | None = None
    #: The cells are neutralised against formulas as our own export writes them.
    neutralised: bool = False

    def index(self, field: str) -> int | None:
        """The column of ``field``, or None when the file has none."""
        return self.columns.get(field)

    @cached_property
    def picker(self) -> tuple[tuple[str, ...], Callable[[Sequence[str]], tuple[str, ...]], int]:
        """The mapped fields, a function taking their cells out of a row at once, and how many
        cells a row needs for it (rows read thousands of times over)."""
        keys = tuple(self.columns)
        indices = [self.columns[key] for key in keys]
        if len(indices) == 1:
            index = indices[0]
            return keys, lambda cells: (cells[index],), index + 1
        return keys, itemgetter(*indices), max(indices, default=-1) + 1

    def header_of(self, field: str) -> str:
        """The header text of the column that feeds ``field`` ("" when none)."""
        index = self.columns.get(field)
        return self.header[index] if index is not None and index < len(self.header) else ""

    def as_overrides(self) -> dict[str, str]:
        """The mapping by header text, the way it is remembered and given with ``--map``."""
        used = {index: field for field, index in self.columns.items()}
        return {text: used.get(index, IGNORE) for index, text in enumerate(self.header) if text}


def field_keys(specs: Sequence[FieldSpec]) -> list[str]:
    """The keys of ``specs``, for messages and choosers."""
    return [spec.key for spec in specs]


def check_overrides(overrides: Mapping[str, str], specs: Sequence[FieldSpec]) -> dict[str, str]:
    """Overrides with normalised field names; an unknown field is refused with the valid ones."""
    keys = field_keys(specs)
    checked: dict[str, str] = {}
    for header, field in overrides.items():
        name = field.strip().lower().replace("-", "_")
        if name in ("", "-", "none", "skip"):
            name = IGNORE
        if name != IGNORE and name not in keys:
            raise InputError(
                "map",
                _("{field!r} is not a field here; use one of: {fields}").format(
                    field=field, fields=", ".join([*keys, IGNORE])
                ),
                label=_("Column mapping"),
            )
        checked[header_key(header)] = name
    return checked


def parse_map_option(text: str) -> tuple[str, str]:
    """``"Column header=field"`` as given on the command line."""
    header, sep, field = text.rpartition("=")
    if not sep or not header.strip():
        raise InputError(
            "map",
            _('write it as "Column header=field", not {text!r}').format(text=text),
            label=_("Column mapping"),
        )
    return header.strip(), field.strip()


def score_header(
    cells: Sequence[str], specs: Sequence[FieldSpec], overrides: Mapping[str, str]
) -> int:
    """How many cells of a row name a field: the row with most is the header row."""
    return sum(1 for cell in cells if cell and _field_of(cell, specs, overrides)[0] is not None)


def _field_of(
    cell: str, specs: Sequence[FieldSpec], overrides: Mapping[str, str]
) -> tuple[str | None, int]:
    """The field a header cell names and how strongly (overrides rank before any alias)."""
    key = header_key(cell)
    if key in overrides:
        field = overrides[key]
        return (None, 0) if field == IGNORE else (field, -1)
    best: tuple[str | None, int] = (None, 1 << 30)
    for spec in specs:
        rank = spec.rank(cell)
        if rank is not None and rank < best[1]:
            best = (spec.key, rank)
    return best


def recognise(
    header: Sequence[str],
    specs: Sequence[FieldSpec],
    overrides: Mapping[str, str],
    sets: Sequence[HeaderSet] = (),
) -> ColumnMap:
    """The mapping of a header row: each field takes the column that names it best.

    The first header set in ``sets`` whose marks the row holds settles its columns; the
    user's ``overrides`` win over it.
    """
    keys = [header_key(cell) if cell else "" for cell in header]
    shape = next((found for found in sets if found.applies(set(keys))), None)
    if shape is not None:
        overrides = {**{header_key(h): f for h, f in shape.columns.items()}, **overrides}
    chosen: dict[str, tuple[int, int]] = {}
    seen: dict[str, int] = {}
    duplicates: list[str] = []
    for index, cell in enumerate(header):
        if not cell:
            continue
        if keys[index] in seen:
            if header[seen[keys[index]]] not in duplicates:
                duplicates.append(header[seen[keys[index]]])
            continue  # a mapping names columns by header: only the first one can be read
        seen[keys[index]] = index
        field, rank = _field_of(cell, specs, overrides)
        if field is not None and (field not in chosen or rank < chosen[field][1]):
            chosen[field] = (index, rank)
    columns = {field: index for field, (index, _rank) in chosen.items()}
    used = set(columns.values())
    ignored = {key for key, field in overrides.items() if field == IGNORE}
    unrecognised = tuple(
        cell
        for index, cell in enumerate(header)
        if cell
        and index not in used
        and keys[index] not in ignored
        and seen.get(keys[index]) == index
        and not (shape is not None and shape.complete)
    )
    return ColumnMap(
        tuple(header),
        columns,
        unrecognised,
        tuple(duplicates),
        shape.name if shape else None,
        shape is not None and shape.neutralised,
    )
