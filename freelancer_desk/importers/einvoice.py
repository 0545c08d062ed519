"""Reading e-invoices: XRechnung (UBL 2.1 Invoice/CreditNote, UN/CEFACT CII) and ZUGFeRD 2 /
Factur-X PDFs, which carry CII XML inside.

A freelancer's folder of *own issued* e-invoices is exact revenue data (DOMAIN.md §9). Each file
gives one document with the fields of EN 16931 that revenue needs: number (BT-1), issue date
(BT-2), due date (BT-9), seller (BG-4), buyer (BG-7), net total (BT-109) and gross total
(BT-112). ``pypdf`` takes the XML out of a PDF; ``lxml`` reads it. Every file that cannot
be read gets one clear reason (not XML, no invoice inside, unsupported profile, an element
missing named by its EN 16931 term).

Planning (``plan_einvoices``) is pure like the CSV planners: documents and a snapshot of the
database in, an ``EInvoicePlan`` out.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from freelancer_desk import logs
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, ngettext
from freelancer_desk.importers.plan import (
    Cancelled,
    EntryDraft,
    Existing,
    Progress,
    check_cancelled,
    likely_duplicates,
)
from freelancer_desk.importers.reading import read_file
from freelancer_desk.models import MAX_AMOUNT, MAX_NAME
from freelancer_desk.money import parse_amount, to_cents
from freelancer_desk.names import loose_key, name_key

# The libraries report what they skip through logging; the messages here say it for the user.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

#: The names ZUGFeRD 2 / Factur-X and XRechnung give the invoice XML inside a PDF.
EINVOICE_ATTACHMENT_NAMES = frozenset({"factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml"})

#: File endings looked at inside a folder (a file named directly is read whatever its ending).
SUFFIXES = (".xml", ".pdf")

#: Document type codes (UNTDID 1001) read as invoices and as credit notes. 326 and 875–877
#: are (partial, construction) invoices of the XRechnung code list; 384 a corrected invoice;
#: 389 a self-billed invoice (Gutschrift under §14 Abs. 2 UStG, revenue of the freelancer).
INVOICE_TYPES = frozenset({"380", "384", "389", "326", "875", "876", "877"})
CREDIT_NOTE_TYPES = frozenset({"381", "261", "262", "396"})
#: A prepayment invoice (386) is counted by its final invoice: importing both would count twice.
PREPAYMENT_TYPE = "386"

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "rsm": CII,
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}


class EInvoiceError(DeskError):
    """One file cannot be imported; the message says why."""


@dataclass(frozen=True)
class Party:
    """Seller or buyer of an e-invoice: name, tax identity and (for a buyer) how to reach it."""

    name: str
    vat_id: str = ""
    tax_number: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class EInvoice:
    """The revenue facts of one e-invoice; ``net`` and ``gross`` are negative for credit notes."""

    source: str
    syntax: str
    type_code: str
    number: str
    issue_date: dt.date
    due_date: dt.date | None
    net: Decimal
    gross: Decimal | None
    seller: Party
    buyer: Party

    @property
    def credit_note(self) -> bool:
        """A credit note reduces its client's revenue."""
        return self.type_code in CREDIT_NOTE_TYPES


# --------------------------------------------------------------------------------------------
# Finding and reading files
# --------------------------------------------------------------------------------------------


def find_files(paths: Iterable[Path]) -> list[Path]:
    """The files to read: named files as they are, folders searched for XML and PDF files.

    Hidden files and folders (``.git``, ``._invoice.pdf``) are left out; the order is stable
    (by path), so that the first seller of a folder is always the same.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(_files_below(path), key=lambda item: item.parts))
        elif path.exists():
            found.append(path)
        else:
            raise EInvoiceError(_("There is no file or folder {path}.").format(path=path))
    return list(dict.fromkeys(found))


def _files_below(folder: Path) -> list[Path]:
    """The XML and PDF files in ``folder`` and its subfolders, hidden ones left out.

    ``os.scandir`` knows from the folder listing what is a file, so a folder of a thousand
    invoices costs no ``stat`` per file. Linked folders are not followed (as ``rglob``), and
    a folder that may not be read is skipped.
    """
    found: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except PermissionError:
        return found
    for entry in listed:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            found.extend(_files_below(Path(entry.path)))
        elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in SUFFIXES:
            found.append(Path(entry.path))
    return found


def read_einvoice(path: Path) -> EInvoice:
    """The e-invoice in ``path`` (XML or PDF); ``EInvoiceError`` with the reason otherwise."""
    try:
        data = read_file(path)
    except DeskError as exc:
        raise EInvoiceError(str(exc)) from exc
    return parse_einvoice(data, path.name)


def parse_einvoice(data: bytes, source: str) -> EInvoice:
    """The e-invoice in the bytes of a file named ``source``."""
    syntax_prefix = ""
    if data.lstrip()[:5] == b"%PDF-":
        data = _xml_in_pdf(data)
        syntax_prefix = "ZUGFeRD / Factur-X"
    root = _parse_xml(data)
    namespace, _sep, tag = root.tag.rpartition("}")
    namespace = namespace.lstrip("{")
    if namespace == UBL_INVOICE and tag == "Invoice":
        return _read_ubl(root, source, syntax_prefix or "XRechnung UBL", credit_note=False)
    if namespace == UBL_CREDIT_NOTE and tag == "CreditNote":
        return _read_ubl(root, source, syntax_prefix or "XRechnung UBL", credit_note=True)
    if namespace == CII and tag == "CrossIndustryInvoice":
        return _read_cii(root, source, syntax_prefix or "UN/CEFACT CII")
    if tag == "CrossIndustryDocument":
        raise EInvoiceError(
            _(
                "This is a ZUGFeRD 1 invoice, an older profile that is not supported. Export "
                "the invoice as ZUGFeRD 2, Factur-X or XRechnung."
            )
        )
    if tag == "SCRDMCCBDACIOMessageStructure":
        raise EInvoiceError(_("This is an order (Order-X), not an invoice."))
    raise EInvoiceError(
        _("This XML file holds no invoice (its root element is {element}).").format(element=tag)
    )


def _xml_in_pdf(data: bytes) -> bytes:
    """The invoice XML a ZUGFeRD / Factur-X / XRechnung PDF carries as an attachment.

    pypdf reads the attachments; the names the standards give come first, then any XML file.
    (The ``factur-x`` library does the same, but brings a network library into an offline app.)
    """
    from pypdf import PdfReader  # a large import, needed only for PDFs

    try:
        attachments = [
            (item.name, item.content) for item in PdfReader(io.BytesIO(data)).attachment_list
        ]
    except Exception as exc:  # the PDF library raises many kinds for damaged files
        raise EInvoiceError(
            _("The PDF cannot be read ({reason}).").format(reason=str(exc) or type(exc).__name__)
        ) from exc
    xml_files = [(name, content) for name, content in attachments if name.lower().endswith(".xml")]
    xml_files.sort(key=lambda item: item[0].lower() not in EINVOICE_ATTACHMENT_NAMES)
    if not xml_files or not xml_files[0][1]:
        raise EInvoiceError(
            _("This PDF holds no e-invoice (no ZUGFeRD, Factur-X or XRechnung XML inside).")
        )
    return bytes(xml_files[0][1])


def _parse_xml(data: bytes) -> Any:
    """The root element; entities and network access are off (files come from anywhere)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if not data.lstrip()[:1] == b"<":
            raise EInvoiceError(_("This is neither an XML file nor a PDF.")) from exc
        raise EInvoiceError(
            _("The XML cannot be read: {reason}").format(reason=exc.msg or exc)
        ) from exc


# --------------------------------------------------------------------------------------------
# UBL and CII
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _xpath(path: str) -> Any:
    """``path`` compiled once: a folder of invoices asks the same few dozen paths each time."""
    from lxml import etree

    return etree.XPath(path, namespaces=NAMESPACES, smart_strings=False)


#: Between the texts of ``_texts_at_once`` (a private-use character no invoice needs).
_BETWEEN = "\ue000"
#: The text paths asked of each kind of document (by root tag), in the order first asked.
_ASKED: dict[str, list[str]] = {}


@lru_cache(maxsize=16)
def _texts_at_once(paths: tuple[str, ...]) -> Any:
    """One XPath giving the texts of all ``paths`` joined by ``_BETWEEN``: a folder of
    invoices asks each document the same paths, and one evaluation costs less than twenty."""
    joined = f", '{_BETWEEN}', ".join(f"string({path})" for path in paths)
    return _xpath(f"concat({joined}, '')")


class _Reader:
    """XPath look-ups on one document, with messages naming the EN 16931 term at fault.

    The texts the documents of its kind were asked for before are read in one evaluation
    (``_texts_at_once``); a path asked for the first time is read on its own and joins them.
    """

    def __init__(self, root: Any) -> None:
        self.root = root
        self.asked = _ASKED.setdefault(root.tag, [])
        self.known: dict[str, str] = {}
        if self.asked:
            paths = tuple(self.asked)
            texts = _texts_at_once(paths)(root).split(_BETWEEN)
            if len(texts) == len(paths):  # else a text holds the separator: one by one
                self.known = dict(zip(paths, texts, strict=True))

    def text(self, path: str) -> str:
        """The trimmed text of the first match, "" when there is none."""
        value = self.known.get(path)
        if value is None:
            value = _xpath(f"string({path})")(self.root)
            if path not in self.asked:
                self.asked.append(path)
        return " ".join(value.split())

    def leaves(self, path: str) -> dict[str, str]:
        """The texts of the innermost elements below ``path`` by local name (the first of
        each): an address in one look-up instead of one per line."""
        found: dict[str, str] = {}
        for element in _xpath(f"{path}/descendant::*[not(*)]")(self.root):
            name = element.tag.rpartition("}")[2]
            found.setdefault(name, " ".join((element.text or "").split()))
        return found

    def required(self, path: str, term: str) -> str:
        """The text at ``path``; a missing element is named with its business term."""
        value = self.text(path)
        if not value:
            element = path.rsplit("/", 1)[-1].split("[", 1)[0]
            raise EInvoiceError(
                _("The element {element} ({term}) is missing.").format(
                    element=element, term=_(term)
                )
            )
        return value

    def amount(self, path: str, term: str, required: bool = True) -> Decimal | None:
        """A money amount (dot decimal, as XML writes it)."""
        text = self.required(path, term) if required else self.text(path)
        if not text:
            return None
        try:
            value: Decimal | None = parse_amount(text, decimal=".")
        except ValueError:
            value = None
        if value is None or abs(value) > MAX_AMOUNT:
            raise EInvoiceError(
                _('{term}: "{value}" is not an amount.').format(term=_(term), value=text)
            )
        return value

    def date(self, text: str, term: str) -> dt.date | None:
        """A date as UBL (``2025-03-31``, maybe with a zone) or CII (``20250331``) writes it."""
        if not text:
            return None
        digits = text[:10].replace("-", "") if "-" in text[:10] else text[:8]
        try:
            return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            raise EInvoiceError(
                _('{term}: "{value}" is not a date.').format(term=_(term), value=text)
            ) from None


BT1 = N_("BT-1 invoice number")
BT2 = N_("BT-2 issue date")
BT3 = N_("BT-3 document type")
BT5 = N_("BT-5 currency")
BT9 = N_("BT-9 due date")
BT27 = N_("BT-27 seller name")
BT44 = N_("BT-44 buyer name")
BT109 = N_("BT-109 net total")
BT112 = N_("BT-112 gross total")


def _read_ubl(root: Any, source: str, syntax: str, *, credit_note: bool) -> EInvoice:
    """An XRechnung in UBL syntax: an Invoice, or a CreditNote (type code in its own element)."""
    read = _Reader(root)
    type_element = "cbc:CreditNoteTypeCode" if credit_note else "cbc:InvoiceTypeCode"
    type_code = read.required(f"/*/{type_element}", BT3)
    if credit_note and type_code not in CREDIT_NOTE_TYPES:
        type_code = "381"  # a CreditNote document is a credit note whatever its code says
    due = read.text("/*/cbc:DueDate") or read.text("/*/cac:PaymentMeans/cbc:PaymentDueDate")
    totals = "/*/cac:LegalMonetaryTotal/"
    return _document(
        source=source,
        syntax=syntax,
        type_code=type_code,
        number=read.required("/*/cbc:ID", BT1),
        issue_date=read.date(read.required("/*/cbc:IssueDate", BT2), BT2),
        due_date=read.date(due, BT9),
        currency=read.required("/*/cbc:DocumentCurrencyCode", BT5),
        net=read.amount(f"{totals}cbc:TaxExclusiveAmount", BT109),
        gross=read.amount(f"{totals}cbc:TaxInclusiveAmount", BT112, required=False),
        seller=_ubl_party(read, "/*/cac:AccountingSupplierParty/cac:Party", BT27, contact=False),
        buyer=_ubl_party(read, "/*/cac:AccountingCustomerParty/cac:Party", BT44),
    )


def _ubl_party(read: _Reader, path: str, term: str, *, contact: bool = True) -> Party:
    """Seller or buyer of a UBL document; ``contact``: with e-mail and address (a buyer's)."""
    name = read.text(f"{path}/cac:PartyLegalEntity/cbc:RegistrationName") or read.text(
        f"{path}/cac:PartyName/cbc:Name"
    )
    if not name:
        read.required(f"{path}/cac:PartyLegalEntity/cbc:RegistrationName", term)
    party = Party(
        name=name,
        vat_id=read.text(f"{path}/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID='VAT']/cbc:CompanyID"),
        tax_number=read.text(
            f"{path}/cac:PartyTaxScheme[not(cac:TaxScheme/cbc:ID='VAT')]/cbc:CompanyID"
        ),
    )
    if not contact:
        return party
    address = read.leaves(f"{path}/cac:PostalAddress")
    return replace(
        party,
        email=read.text(f"{path}/cac:Contact/cbc:ElectronicMail")
        or read.text(f"{path}/cbc:EndpointID[@schemeID='EM']"),
        address=_address_lines(
            [
                address.get("StreetName", ""),
                address.get("AdditionalStreetName", ""),
                address.get("Line", ""),
                f"{address.get('PostalZone', '')} {address.get('CityName', '')}",
                address.get("IdentificationCode", ""),
            ]
        ),
    )


def _read_cii(root: Any, source: str, syntax: str) -> EInvoice:
    """An invoice in UN/CEFACT CII syntax (XRechnung CII, ZUGFeRD 2, Factur-X)."""
    read = _Reader(root)
    trade = "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction/"
    agreement = f"{trade}ram:ApplicableHeaderTradeAgreement/"
    settlement = f"{trade}ram:ApplicableHeaderTradeSettlement/"
    totals = f"{settlement}ram:SpecifiedTradeSettlementHeaderMonetarySummation/"
    document = "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/"
    return _document(
        source=source,
        syntax=syntax,
        type_code=read.required(f"{document}ram:TypeCode", BT3),
        number=read.required(f"{document}ram:ID", BT1),
        issue_date=read.date(
            read.required(f"{document}ram:IssueDateTime/udt:DateTimeString", BT2), BT2
        ),
        due_date=read.date(
            read.text(
                f"{settlement}ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"
            ),
            BT9,
        ),
        currency=read.required(f"{settlement}ram:InvoiceCurrencyCode", BT5),
        net=read.amount(f"{totals}ram:TaxBasisTotalAmount", BT109),
        gross=read.amount(f"{totals}ram:GrandTotalAmount", BT112, required=False),
        seller=_cii_party(read, f"{agreement}ram:SellerTradeParty", BT27, contact=False),
        buyer=_cii_party(read, f"{agreement}ram:BuyerTradeParty", BT44),
    )


def _cii_party(read: _Reader, path: str, term: str, *, contact: bool = True) -> Party:
    """Seller or buyer of a CII document; ``contact``: with e-mail and address (a buyer's)."""
    party = Party(
        name=read.required(f"{path}/ram:Name", term),
        vat_id=read.text(f"{path}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"),
        tax_number=read.text(f"{path}/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']"),
    )
    if not contact:
        return party
    address = read.leaves(f"{path}/ram:PostalTradeAddress")
    return replace(
        party,
        email=read.text(
            f"{path}/ram:DefinedTradeContact/ram:EmailURIUniversalCommunication/ram:URIID"
        )
        or read.text(f"{path}/ram:URIUniversalCommunication/ram:URIID[@schemeID='EM']"),
        address=_address_lines(
            [
                address.get("LineOne", ""),
                address.get("LineTwo", ""),
                address.get("LineThree", ""),
                f"{address.get('PostcodeCode', '')} {address.get('CityName', '')}",
                address.get("CountryID", ""),
            ]
        ),
    )


def _address_lines(lines: Sequence[str]) -> str:
    """The address as the client form keeps it: one part per line, a home country left out."""
    parts = [line.strip() for line in lines if line.strip()]
    if parts and parts[-1] == "DE":
        parts.pop()
    return "\n".join(parts)


def _document(
    *,
    source: str,
    syntax: str,
    type_code: str,
    number: str,
    issue_date: dt.date | None,
    due_date: dt.date | None,
    currency: str,
    net: Decimal | None,
    gross: Decimal | None,
    seller: Party,
    buyer: Party,
) -> EInvoice:
    """The document with its type, currency and amounts checked; credit notes turned negative."""
    assert issue_date is not None and net is not None  # required above
    if type_code == PREPAYMENT_TYPE:
        raise EInvoiceError(
            _(
                "This is a prepayment invoice (type 386); its amount is counted by the final "
                "invoice, so it is not imported on its own."
            )
        )
    if type_code not in INVOICE_TYPES | CREDIT_NOTE_TYPES:
        raise EInvoiceError(
            _("Document type {code} is neither an invoice nor a credit note.").format(
                code=type_code
            )
        )
    if currency.upper() != "EUR":
        raise EInvoiceError(
            _(
                "The invoice is in {currency}; only invoices in euros are imported, so that "
                "shares and totals stay in one currency."
            ).format(currency=currency)
        )
    if len(number) > MAX_NAME or len(buyer.name) > MAX_NAME:
        raise EInvoiceError(
            _("The invoice number or buyer name is longer than {limit} characters.").format(
                limit=MAX_NAME
            )
        )
    sign = -1 if type_code in CREDIT_NOTE_TYPES else 1
    if due_date is not None and due_date < issue_date:
        due_date = None  # a due date before the invoice date says nothing about payment
    return EInvoice(
        source=source,
        syntax=syntax,
        type_code=type_code,
        number=number,
        issue_date=issue_date,
        due_date=due_date,
        net=sign * net,
        gross=None if gross is None else sign * gross,
        seller=seller,
        buyer=buyer,
    )


# --------------------------------------------------------------------------------------------
# The seller check: the freelancer's own invoices are revenue, everything else a purchase
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def tax_key(identifier: str) -> str:
    """A VAT ID or tax number without spaces, dots, slashes and case (``DE 123 456 789``)."""
    return "".join(ch for ch in identifier.upper() if ch.isalnum())


@dataclass(frozen=True)
class OwnBusiness:
    """The user's own business: every name it goes by, its VAT ID or tax number, and — when
    the settings hold it — which settings fields do, so a refusal can say where to change it."""

    names: tuple[str, ...]
    vat_id: str = ""
    tax_number: str = ""
    #: Labels of the settings fields that name it (empty: taken from the first e-invoice).
    fields: tuple[str, ...] = ()

    @classmethod
    def of_seller(cls, seller: Party) -> OwnBusiness:
        """The business of an e-invoice's seller (the first one, when nothing is set yet)."""
        return cls((seller.name,), seller.vat_id, seller.tax_number)


#: What separates the parts of a name such as "Lena Brandt · Graphics & Web".
_NAME_PARTS = re.compile(r"\s*(?:[·|•/]|\s[-–—]\s)\s*")


def is_own(seller: Party, own: OwnBusiness) -> bool:
    """Whether ``seller`` is the freelancer's business: the same VAT ID or tax number when
    both sides have one, else the same name (without legal form and punctuation) as one of
    its names or one part of them ("Lena Brandt" of "Lena Brandt · Graphics & Web")."""
    own_ids = {tax_key(own.vat_id), tax_key(own.tax_number)} - {""}
    seller_ids = {tax_key(seller.vat_id), tax_key(seller.tax_number)} - {""}
    if own_ids and seller_ids:
        return bool(own_ids & seller_ids)
    keys = {loose_key(part) for name in own.names for part in (name, *_NAME_PARTS.split(name))}
    return loose_key(seller.name) in keys - {""}


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileProblem:
    """A file that is not imported, and why."""

    source: str
    reason: str

    def message(self) -> str:
        """``R-2025-001.xml: the element … is missing``."""
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True)
class NewClient:
    """A client met for the first time, with what its e-invoice tells about it."""

    name: str
    email: str | None = None
    address: str | None = None


@dataclass
class EInvoicePlan:
    """What an e-invoice import will add, skip and refuse; pure data, nothing written yet."""

    files: int = 0
    documents: list[EInvoice] = field(default_factory=list)
    entries: list[EntryDraft] = field(default_factory=list)
    new_clients: list[NewClient] = field(default_factory=list)
    duplicates: list[FileProblem] = field(default_factory=list)
    errors: list[FileProblem] = field(default_factory=list)
    likely_duplicates: list[tuple[str, str]] = field(default_factory=list)
    #: The seller that becomes the user's own business (the first e-invoice's), if not set yet.
    own_business: Party | None = None
    own_business_source: str = ""

    @property
    def additions(self) -> int:
        """Entries the import adds."""
        return len(self.entries)

    @property
    def credit_notes(self) -> int:
        """Credit notes among the entries to add."""
        return sum(1 for entry in self.entries if entry.net_cents < 0)

    def notices(self) -> list[str]:
        """What the user should know before importing (the own business taken from a file)."""
        if self.own_business is None:
            return []
        return [
            _(
                'Your business is taken to be "{name}"{vat}, the seller of {file}: invoices of '
                "other sellers are purchases and are not imported. Change it in the settings."
            ).format(
                name=self.own_business.name,
                vat=f" ({self.own_business.vat_id})" if self.own_business.vat_id else "",
                file=self.own_business_source,
            )
        ]

    def summary(self, done: bool = False) -> str:
        """One line: files read, invoices added (or to add), credit notes, skipped, refused."""
        added = _("added: {count}") if done else _("to add: {count}")
        parts = [
            ngettext("{count} file read", "{count} files read", self.files).format(
                count=self.files
            ),
            added.format(count=self.additions),
            _("of them credit notes: {count}").format(count=self.credit_notes),
            _("skipped as already present: {count}").format(count=len(self.duplicates)),
        ]
        if self.errors:
            left = _("files left out: {count}") if done else _("files refused: {count}")
            parts.append(left.format(count=len(self.errors)))
        parts.append(_("new clients: {count}").format(count=len(self.new_clients)))
        return " · ".join(parts)


@dataclass(frozen=True)
class EInvoiceOptions:
    """Choices not in the files: the user's own business and whether sellers are checked."""

    own_business: OwnBusiness | None
    seller_check: bool = True


def read_all(
    paths: Sequence[Path],
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> tuple[list[EInvoice], list[FileProblem]]:
    """Read every file: the documents, and a problem for each file that is no e-invoice."""
    documents: list[EInvoice] = []
    problems: list[FileProblem] = []
    for index, path in enumerate(paths):
        check_cancelled(cancelled)
        if progress is not None:
            progress(index, len(paths))
        try:
            documents.append(read_einvoice(path))
        except EInvoiceError as exc:
            logs.caught(exc, f"e-invoice {path} refused", level=logging.INFO)
            problems.append(FileProblem(path.name, str(exc)))
    if progress is not None:
        progress(len(paths), len(paths))
    return documents, problems


def plan_einvoices(
    documents: Sequence[EInvoice],
    problems: Sequence[FileProblem],
    existing: Existing,
    options: EInvoiceOptions,
) -> EInvoicePlan:
    """What importing ``documents`` would do: entries, new clients, duplicates, refusals."""
    plan = EInvoicePlan(files=len(documents) + len(problems), errors=list(problems))
    own = options.own_business
    if options.seller_check and own is None and documents:
        own = OwnBusiness.of_seller(documents[0].seller)
        plan.own_business, plan.own_business_source = documents[0].seller, documents[0].source
    new_clients: dict[str, NewClient] = {}
    seen: dict[tuple[object, str], EInvoice] = {}
    for index, document in enumerate(documents, start=1):
        if options.seller_check and own is not None and not is_own(document.seller, own):
            plan.errors.append(FileProblem(document.source, _purchase(document, own)))
            continue
        key = name_key(document.buyer.name)
        known = existing.clients.get(key)
        client: int | str = known.id if known else key
        shown = known.name if known else document.buyer.name
        net_cents = to_cents(document.net)
        earlier = seen.get((client, document.number))
        if earlier is not None:
            if (earlier.issue_date, to_cents(earlier.net)) == (document.issue_date, net_cents):
                reason = _("the same invoice {number} as {file}").format(
                    number=document.number, file=earlier.source
                )
                plan.duplicates.append(FileProblem(document.source, reason))
            else:
                reason = _(
                    "invoice number {number} of {client} is also in {file}, with other figures"
                ).format(number=document.number, client=shown, file=earlier.source)
                plan.errors.append(FileProblem(document.source, reason))
            continue
        seen[(client, document.number)] = document
        if known and (known.id, document.number) in existing.numbered:
            reason = _("{client}, invoice {number} is already present").format(
                client=shown, number=document.number
            )
            plan.duplicates.append(FileProblem(document.source, reason))
            continue
        if not known and key not in new_clients:
            buyer = document.buyer
            email = buyer.email if "@" in buyer.email and " " not in buyer.email else None
            new_clients[key] = NewClient(buyer.name, email, buyer.address or None)
        plan.documents.append(document)
        plan.entries.append(
            EntryDraft(
                line=index,
                client=client,
                invoice_number=document.number,
                invoice_date=document.issue_date,
                net_cents=net_cents,
                gross_cents=None if document.gross is None else to_cents(document.gross),
                due_date=document.due_date,
                paid_date=None,
                note=None,
            )
        )
    plan.new_clients = list(new_clients.values())
    plan.likely_duplicates = likely_duplicates(
        [client.name for client in plan.new_clients],
        [client.name for client in existing.clients.values()],
    )
    return plan


def _purchase(document: EInvoice, own: OwnBusiness) -> str:
    """Why an invoice of another seller is refused: whose business the settings (or the
    first e-invoice) say is the user's, and how to change that."""
    names = " / ".join(own.names) or own.vat_id
    if not own.fields:
        return _(
            'The seller is "{seller}", not your business "{own}": this is a purchase, not your '
            "revenue. (Import it anyway with the seller check off.)"
        ).format(seller=document.seller.name, own=names)
    return _(
        'The seller is "{seller}", but your settings name your business "{own}" ("{fields}"): '
        "this is a purchase, not your revenue. If it is your own invoice, enter the name or "
        'VAT ID it carries in the settings (menu File, Settings, section "VAT and your '
        'business"), or import it with the seller check off.'
    ).format(seller=document.seller.name, own=names, fields=" / ".join(own.fields))
