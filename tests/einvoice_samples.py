# ruff: noqa: E501  (the XML templates keep one element per line, as the files have it)
"""E-invoices in the real shapes, made from a few figures: XRechnung UBL (Invoice and CreditNote),
XRechnung CII, and ZUGFeRD / Factur-X PDFs carrying CII.

The element order and the business terms follow EN 16931 and the KoSIT XRechnung test suite
(Apache-2.0); every shape validates against the official UBL 2.1 and Factur-X EN 16931 schemas
that the ``factur-x`` library ships (tests/core/test_import_einvoices.py checks it). Used by the
tests and by the benchmark (which makes a thousand of them).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Seller:
    name: str = "Anna Schmidt Übersetzungen"
    vat_id: str = "DE123456789"
    street: str = "Lindenstraße 4"
    postcode: str = "10115"
    city: str = "Berlin"
    email: str = "anna@schmidt-uebersetzungen.example"


@dataclass(frozen=True)
class Buyer:
    name: str = "Weber IT GmbH"
    email: str = "rechnung@weber-it.example"
    street: str = "Hafenweg 12"
    postcode: str = "20457"
    city: str = "Hamburg"
    country: str = "DE"


@dataclass(frozen=True)
class Sample:
    """The figures of one e-invoice; the totals follow from ``net`` and ``rate``."""

    number: str = "RE-2025-001"
    issued: dt.date = dt.date(2025, 3, 3)
    due: dt.date | None = dt.date(2025, 3, 17)
    type_code: str = "380"
    net: Decimal = Decimal("1000.00")
    rate: Decimal = Decimal("19")
    currency: str = "EUR"
    seller: Seller = field(default_factory=Seller)
    buyer: Buyer = field(default_factory=Buyer)
    item: str = "Übersetzung Handbuch DE→EN"

    @property
    def vat(self) -> Decimal:
        return (self.net * self.rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def gross(self) -> Decimal:
        return self.net + self.vat

    @property
    def category(self) -> str:
        return "S" if self.rate else "AE"  # AE: reverse charge (0 %)


def _e(text: object) -> str:
    return escape(str(text))


def ubl(sample: Sample, credit_note: bool = False) -> bytes:
    """An XRechnung 3.0 in UBL 2.1 syntax: an Invoice, or with ``credit_note`` a CreditNote."""
    s, seller, buyer = sample, sample.seller, sample.buyer
    root = "CreditNote" if credit_note else "Invoice"
    line, quantity = (
        ("CreditNoteLine", "CreditedQuantity")
        if credit_note
        else (
            "InvoiceLine",
            "InvoicedQuantity",
        )
    )
    due = "" if credit_note or s.due is None else f"<cbc:DueDate>{s.due}</cbc:DueDate>"
    type_code = (
        f"<cbc:CreditNoteTypeCode>{s.type_code}</cbc:CreditNoteTypeCode>"
        if credit_note
        else f"<cbc:InvoiceTypeCode>{s.type_code}</cbc:InvoiceTypeCode>"
    )
    payment_due = (
        f"<cbc:PaymentDueDate>{s.due}</cbc:PaymentDueDate>" if credit_note and s.due else ""
    )
    exemption = (
        ""
        if s.rate
        else "<cbc:TaxExemptionReason>Steuerschuldnerschaft des "
        "Leistungsempfängers</cbc:TaxExemptionReason>"
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<ubl:{root} xmlns:ubl="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0</cbc:CustomizationID>
  <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
  <cbc:ID>{_e(s.number)}</cbc:ID>
  <cbc:IssueDate>{s.issued}</cbc:IssueDate>
  {due}
  {type_code}
  <cbc:DocumentCurrencyCode>{s.currency}</cbc:DocumentCurrencyCode>
  <cbc:BuyerReference>04011000-12345-34</cbc:BuyerReference>
  <cac:AccountingSupplierParty>
    <cac:Party>
      <cbc:EndpointID schemeID="EM">{_e(seller.email)}</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:StreetName>{_e(seller.street)}</cbc:StreetName>
        <cbc:CityName>{_e(seller.city)}</cbc:CityName>
        <cbc:PostalZone>{seller.postcode}</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>DE</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyTaxScheme>
        <cbc:CompanyID>{seller.vat_id}</cbc:CompanyID>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:PartyTaxScheme>
      <cac:PartyLegalEntity><cbc:RegistrationName>{_e(seller.name)}</cbc:RegistrationName></cac:PartyLegalEntity>
      <cac:Contact>
        <cbc:Name>{_e(seller.name)}</cbc:Name>
        <cbc:Telephone>+49 30 1234567</cbc:Telephone>
        <cbc:ElectronicMail>{_e(seller.email)}</cbc:ElectronicMail>
      </cac:Contact>
    </cac:Party>
  </cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty>
    <cac:Party>
      <cbc:EndpointID schemeID="EM">{_e(buyer.email)}</cbc:EndpointID>
      <cac:PostalAddress>
        <cbc:StreetName>{_e(buyer.street)}</cbc:StreetName>
        <cbc:CityName>{_e(buyer.city)}</cbc:CityName>
        <cbc:PostalZone>{buyer.postcode}</cbc:PostalZone>
        <cac:Country><cbc:IdentificationCode>{buyer.country}</cbc:IdentificationCode></cac:Country>
      </cac:PostalAddress>
      <cac:PartyLegalEntity><cbc:RegistrationName>{_e(buyer.name)}</cbc:RegistrationName></cac:PartyLegalEntity>
    </cac:Party>
  </cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>58</cbc:PaymentMeansCode>
    {payment_due}
    <cac:PayeeFinancialAccount><cbc:ID>DE75512108001245126199</cbc:ID></cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:PaymentTerms><cbc:Note>Zahlbar innerhalb von 14 Tagen ohne Abzug.</cbc:Note></cac:PaymentTerms>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="{s.currency}">{s.vat}</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="{s.currency}">{s.net}</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="{s.currency}">{s.vat}</cbc:TaxAmount>
      <cac:TaxCategory>
        <cbc:ID>{s.category}</cbc:ID>
        <cbc:Percent>{s.rate}</cbc:Percent>
        {exemption}
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="{s.currency}">{s.net}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="{s.currency}">{s.net}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="{s.currency}">{s.gross}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="{s.currency}">{s.gross}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:{line}>
    <cbc:ID>1</cbc:ID>
    <cbc:{quantity} unitCode="HUR">1</cbc:{quantity}>
    <cbc:LineExtensionAmount currencyID="{s.currency}">{s.net}</cbc:LineExtensionAmount>
    <cac:Item>
      <cbc:Name>{_e(s.item)}</cbc:Name>
      <cac:ClassifiedTaxCategory>
        <cbc:ID>{s.category}</cbc:ID>
        <cbc:Percent>{s.rate}</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
      </cac:ClassifiedTaxCategory>
    </cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="{s.currency}">{s.net}</cbc:PriceAmount></cac:Price>
  </cac:{line}>
</ubl:{root}>
"""
    return text.encode("utf-8")


def cii(sample: Sample, guideline: str = "") -> bytes:
    """An invoice in UN/CEFACT CII syntax: XRechnung CII, or (with a Factur-X ``guideline``)
    the XML a ZUGFeRD 2 / Factur-X PDF carries."""
    s, seller, buyer = sample, sample.seller, sample.buyer
    guideline = guideline or "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    due = (
        f'<ram:DueDateDateTime><udt:DateTimeString format="102">{s.due:%Y%m%d}'
        "</udt:DateTimeString></ram:DueDateDateTime>"
        if s.due
        else ""
    )
    exemption = (
        ""
        if s.rate
        else "<ram:ExemptionReason>Steuerschuldnerschaft des "
        "Leistungsempfängers</ram:ExemptionReason>"
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
    xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
    xmlns:qdt="urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
    xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter>
      <ram:ID>{guideline}</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{_e(s.number)}</ram:ID>
    <ram:TypeCode>{s.type_code}</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{s.issued:%Y%m%d}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>{_e(s.item)}</ram:Name></ram:SpecifiedTradeProduct>
      <ram:SpecifiedLineTradeAgreement>
        <ram:NetPriceProductTradePrice><ram:ChargeAmount>{s.net}</ram:ChargeAmount></ram:NetPriceProductTradePrice>
      </ram:SpecifiedLineTradeAgreement>
      <ram:SpecifiedLineTradeDelivery><ram:BilledQuantity unitCode="HUR">1</ram:BilledQuantity></ram:SpecifiedLineTradeDelivery>
      <ram:SpecifiedLineTradeSettlement>
        <ram:ApplicableTradeTax>
          <ram:TypeCode>VAT</ram:TypeCode>
          <ram:CategoryCode>{s.category}</ram:CategoryCode>
          <ram:RateApplicablePercent>{s.rate}</ram:RateApplicablePercent>
        </ram:ApplicableTradeTax>
        <ram:SpecifiedTradeSettlementLineMonetarySummation><ram:LineTotalAmount>{s.net}</ram:LineTotalAmount></ram:SpecifiedTradeSettlementLineMonetarySummation>
      </ram:SpecifiedLineTradeSettlement>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>
      <ram:BuyerReference>04011000-12345-34</ram:BuyerReference>
      <ram:SellerTradeParty>
        <ram:Name>{_e(seller.name)}</ram:Name>
        <ram:DefinedTradeContact>
          <ram:PersonName>{_e(seller.name)}</ram:PersonName>
          <ram:TelephoneUniversalCommunication><ram:CompleteNumber>+49 30 1234567</ram:CompleteNumber></ram:TelephoneUniversalCommunication>
          <ram:EmailURIUniversalCommunication><ram:URIID>{_e(seller.email)}</ram:URIID></ram:EmailURIUniversalCommunication>
        </ram:DefinedTradeContact>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>{seller.postcode}</ram:PostcodeCode>
          <ram:LineOne>{_e(seller.street)}</ram:LineOne>
          <ram:CityName>{_e(seller.city)}</ram:CityName>
          <ram:CountryID>DE</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication><ram:URIID schemeID="EM">{_e(seller.email)}</ram:URIID></ram:URIUniversalCommunication>
        <ram:SpecifiedTaxRegistration><ram:ID schemeID="VA">{seller.vat_id}</ram:ID></ram:SpecifiedTaxRegistration>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>{_e(buyer.name)}</ram:Name>
        <ram:PostalTradeAddress>
          <ram:PostcodeCode>{buyer.postcode}</ram:PostcodeCode>
          <ram:LineOne>{_e(buyer.street)}</ram:LineOne>
          <ram:CityName>{_e(buyer.city)}</ram:CityName>
          <ram:CountryID>{buyer.country}</ram:CountryID>
        </ram:PostalTradeAddress>
        <ram:URIUniversalCommunication><ram:URIID schemeID="EM">{_e(buyer.email)}</ram:URIID></ram:URIUniversalCommunication>
      </ram:BuyerTradeParty>
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>{s.currency}</ram:InvoiceCurrencyCode>
      <ram:SpecifiedTradeSettlementPaymentMeans>
        <ram:TypeCode>58</ram:TypeCode>
        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>DE75512108001245126199</ram:IBANID></ram:PayeePartyCreditorFinancialAccount>
      </ram:SpecifiedTradeSettlementPaymentMeans>
      <ram:ApplicableTradeTax>
        <ram:CalculatedAmount>{s.vat}</ram:CalculatedAmount>
        <ram:TypeCode>VAT</ram:TypeCode>
        {exemption}
        <ram:BasisAmount>{s.net}</ram:BasisAmount>
        <ram:CategoryCode>{s.category}</ram:CategoryCode>
        <ram:RateApplicablePercent>{s.rate}</ram:RateApplicablePercent>
      </ram:ApplicableTradeTax>
      <ram:SpecifiedTradePaymentTerms>
        <ram:Description>Zahlbar innerhalb von 14 Tagen ohne Abzug.</ram:Description>
        {due}
      </ram:SpecifiedTradePaymentTerms>
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{s.net}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{s.net}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="{s.currency}">{s.vat}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{s.gross}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{s.gross}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""
    return text.encode("utf-8")


#: The guideline of the Factur-X / ZUGFeRD 2 profile EN 16931 ("Comfort").
FACTURX_EN16931 = "urn:cen.eu:en16931:2017"


def zugferd_pdf(sample: Sample) -> bytes:
    """A ZUGFeRD 2 / Factur-X PDF (profile EN 16931): a printed invoice with its CII inside."""
    from facturx import generate_from_binary
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    page = io.BytesIO()
    canvas = Canvas(page, pagesize=A4)
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 760, f"Rechnung {sample.number} vom {sample.issued:%d.%m.%Y}")
    canvas.drawString(72, 740, f"an {sample.buyer.name}: netto {sample.net} EUR")
    canvas.showPage()
    canvas.save()
    xml = cii(sample, guideline=FACTURX_EN16931)
    return bytes(generate_from_binary(page.getvalue(), xml, check_xsd=True))


def write(folder: Path, name: str, data: bytes) -> Path:
    """Write one sample file and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
