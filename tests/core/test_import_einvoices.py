"""E-invoices as revenue: real shapes (validated against the official schemas), totals per client
to the cent, credit notes negative, purchases refused, idempotent, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from facturx import get_xml_from_pdf, xml_check_xsd

from freelancer_desk.db import Database
from freelancer_desk.importers.einvoice import EInvoiceError, find_files, parse_einvoice
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import einvoices as service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from tests.einvoice_samples import Buyer, Sample, Seller, cii, ubl, write

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "einvoice"
AS_OF = dt.date(2025, 5, 1)


def totals(db: Database) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for row in revenue_service.list_entries(db):
        sums[row.client_name] = sums.get(row.client_name, Decimal(0)) + row.net
    return sums


def run(db: Database, *paths: Path, **options: object) -> service.EInvoiceResult:
    files = service.read_einvoices(find_files(paths))
    return service.run_einvoice_import(db, files, as_of=AS_OF, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "flavor"),
    [
        ("2025/RE-2025-001.xml", "ubl-2.1-invoice"),
        ("2025/RE-2025-004.xml", "ubl-2.1-invoice"),
        ("2025/GS-2025-001.xml", "ubl-2.1-creditnote"),
        ("2025/RE-2025-002.xml", "factur-x"),
        ("other/purchase-bueroshop.xml", "ubl-2.1-invoice"),
    ],
)
def test_samples_are_valid_against_the_official_schemas(name: str, flavor: str) -> None:
    level = "en16931" if flavor == "factur-x" else "autodetect"
    assert xml_check_xsd((FIXTURES / name).read_bytes(), flavor=flavor, level=level)


def test_the_zugferd_pdf_carries_a_valid_factur_x_xml() -> None:
    name, xml = get_xml_from_pdf((FIXTURES / "2025/pdf/RE-2025-003.pdf").read_bytes())
    assert name == "factur-x.xml"
    assert xml_check_xsd(xml, flavor="factur-x", level="en16931")


def test_fields_of_ubl_cii_and_pdf_are_read() -> None:
    ubl_doc = parse_einvoice((FIXTURES / "2025/RE-2025-001.xml").read_bytes(), "a.xml")
    assert (ubl_doc.number, ubl_doc.issue_date, ubl_doc.due_date) == (
        "RE-2025-001",
        dt.date(2025, 3, 3),
        dt.date(2025, 3, 17),
    )
    assert (ubl_doc.net, ubl_doc.gross) == (Decimal("1000.00"), Decimal("1190.00"))
    assert ubl_doc.buyer.name == "Weber IT GmbH"
    assert ubl_doc.buyer.email == "rechnung@weber-it.example"
    assert ubl_doc.buyer.address == "Hafenweg 12\n20457 Hamburg"
    assert ubl_doc.seller.vat_id == "DE123456789"
    cii_doc = parse_einvoice((FIXTURES / "2025/RE-2025-002.xml").read_bytes(), "b.xml")
    assert (cii_doc.net, cii_doc.gross) == (Decimal("2500.00"), Decimal("2675.00"))
    assert cii_doc.due_date == dt.date(2025, 4, 3)
    credit = parse_einvoice((FIXTURES / "2025/GS-2025-001.xml").read_bytes(), "c.xml")
    assert credit.credit_note and (credit.net, credit.gross) == (
        Decimal("-200.00"),
        Decimal("-238.00"),
    )
    pdf = parse_einvoice((FIXTURES / "2025/pdf/RE-2025-003.pdf").read_bytes(), "d.pdf")
    assert (pdf.syntax, pdf.number, pdf.net) == (
        "ZUGFeRD / Factur-X",
        "RE-2025-003",
        Decimal("450.50"),
    )


@pytest.mark.parametrize("code", ["380", "384", "389", "877"])
def test_these_type_codes_are_invoices(code: str) -> None:
    document = parse_einvoice(cii(Sample(type_code=code)), "x.xml")
    assert document.net == Decimal("1000.00") and not document.credit_note


def test_type_381_in_cii_is_a_negative_credit_note() -> None:
    document = parse_einvoice(cii(Sample(type_code="381", net=Decimal("99.99"))), "x.xml")
    assert document.credit_note and document.net == Decimal("-99.99")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Kunde;Betrag\nA;1\n", "neither an XML file nor a PDF"),
        (b"<?xml version='1.0'?><order><id>1</id></order>", "holds no invoice"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "PDF"),
        (cii(Sample(currency="USD")), "USD"),
        (cii(Sample(type_code="386")), "prepayment"),
        (cii(Sample(type_code="220")), "neither an invoice nor a credit note"),
        (
            b'<CrossIndustryDocument xmlns="urn:ferd:CrossIndustryDocument:invoice:1p0"/>',
            "ZUGFeRD 1",
        ),
        (
            ubl(Sample()).replace(b"<cbc:ID>RE-2025-001</cbc:ID>", b""),
            "cbc:ID (BT-1 invoice number) is missing",
        ),
        (
            cii(Sample()).replace(b"TaxBasisTotalAmount", b"TaxBasisAmount"),
            "ram:TaxBasisTotalAmount (BT-109 net total) is missing",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(data: bytes, reason: str) -> None:
    with pytest.raises(EInvoiceError) as refused:
        parse_einvoice(data, "x")
    assert reason in str(refused.value)


def test_a_folder_is_imported_with_totals_per_client_to_the_cent(db: Database) -> None:
    result = run(db, FIXTURES / "2025")
    assert result.added == 5 and result.clients_added == 2
    assert totals(db) == {
        "Weber IT GmbH": Decimal("1550.50"),  # 1000.00 − 200.00 + 450.50 + 300.00
        "Lange Consulting": Decimal("2500.00"),
    }
    weber = client_service.find_client(db, "Weber IT GmbH")
    assert weber.email == "rechnung@weber-it.example"
    assert weber.address == "Hafenweg 12\n20457 Hamburg"
    assert weber.created_on == AS_OF
    credit = next(r for r in revenue_service.list_entries(db) if r.invoice_number == "GS-2025-001")
    assert credit.net == Decimal("-200.00")
    settings = settings_service.load(db)
    assert (settings.seller_name, settings.seller_vat_id) == (
        "Anna Schmidt Übersetzungen",
        "DE123456789",
    )
    assert "Anna Schmidt Übersetzungen" in result.plan.notices()[0]


def test_importing_again_changes_nothing(db: Database) -> None:
    run(db, FIXTURES / "2025")
    again = run(db, FIXTURES / "2025")
    assert again.added == 0 and len(again.plan.duplicates) == 5
    assert len(revenue_service.list_entries(db)) == 5


def test_the_same_invoice_as_xml_and_pdf_counts_once(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    sample = Sample(number="RE-7")
    write(folder, "RE-7.xml", ubl(sample))
    write(folder, "RE-7-copy.xml", cii(sample))
    result = run(db, folder)
    assert result.added == 1
    assert [d.reason for d in result.plan.duplicates] == ["the same invoice RE-7 as RE-7-copy.xml"]


def test_a_purchase_is_refused_and_nothing_is_written(db: Database, db_path: Path) -> None:
    run(db, FIXTURES / "2025")
    count = len(revenue_service.list_entries(db))
    files = service.read_einvoices(
        find_files([FIXTURES / "2025/RE-2025-001.xml", FIXTURES / "other"])
    )
    with pytest.raises(service.EInvoicesRefused) as refused:
        service.run_einvoice_import(db, files, as_of=AS_OF)
    reasons = {p.source: p.reason for p in refused.value.plan.errors}
    assert "this is a purchase" in reasons["purchase-bueroshop.xml"]
    assert "USD" in reasons["invoice-usd.xml"]
    assert "cannot be read" in reasons["broken.xml"]
    assert len(revenue_service.list_entries(db)) == count


def test_a_broken_file_leaves_the_database_byte_for_byte_unchanged(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    run(db, FIXTURES / "2025")
    db.close()
    before = db_path.read_bytes()
    folder = tmp_path / "new"
    write(folder, "RE-9.xml", ubl(Sample(number="RE-9")))
    shutil.copy(FIXTURES / "other/broken.xml", folder)
    from freelancer_desk.db import open_database

    with open_database(db_path) as reopened, pytest.raises(service.EInvoicesRefused):
        run(reopened, folder)
    assert db_path.read_bytes() == before


def test_seller_check_off_and_good_files_only(db: Database) -> None:
    settings_service.save(db, seller_name="Anna Schmidt Übersetzungen")
    result = run(db, FIXTURES / "other", good_files_only=True)
    assert result.added == 0 and len(result.plan.errors) == 3
    result = run(db, FIXTURES / "other/purchase-bueroshop.xml", seller_check=False)
    assert result.added == 1


def test_own_vat_id_recognises_own_invoices_under_another_name(db: Database) -> None:
    settings_service.save(db, seller_name="A. Schmidt", seller_vat_id="DE 123 456 789")
    result = run(db, FIXTURES / "2025/RE-2025-001.xml")
    assert result.added == 1 and result.plan.own_business is None
    other = Sample(number="X-1", seller=Seller(name="A. Schmidt", vat_id="DE111111111"))
    files = service.EInvoiceFiles((parse_einvoice(ubl(other), "x.xml"),), ())
    assert service.plan_einvoice_import(db, files).errors


def test_the_owner_name_in_the_settings_refuses_another_sellers_invoices(db: Database) -> None:
    settings_service.save(db, owner_name="Lena Brandt · Graphics & Web")
    files = service.read_einvoices(find_files([FIXTURES / "2025"]))
    with pytest.raises(service.EInvoicesRefused) as refused:
        service.run_einvoice_import(db, files, as_of=AS_OF)
    plan = refused.value.plan
    assert plan.own_business is None and plan.notices() == [] and plan.entries == []
    assert len(plan.errors) == 5
    assert plan.errors[0].reason == (
        'The seller is "Anna Schmidt Übersetzungen", but your settings name your business '
        '"Lena Brandt · Graphics & Web" ("Your name or business"): this is a purchase, not '
        "your revenue. If it is your own invoice, enter the name or VAT ID it carries in the "
        'settings (menu File, Settings, section "VAT and your business"), or import it with '
        "the seller check off."
    )
    assert revenue_service.list_entries(db) == []
    assert settings_service.load(db).seller_name == ""


@pytest.mark.parametrize(
    ("settings", "seller"),
    [
        ({"owner_name": "Lena Brandt · Graphics & Web"}, Seller(name="Lena Brandt", vat_id="")),
        ({"owner_name": "Lena Brandt"}, Seller(name="Lena Brandt", vat_id="DE111111111")),
        ({"seller_vat_id": "DE 111 111 111"}, Seller(name="L. Brandt", vat_id="DE111111111")),
    ],
    ids=["part-of-the-name", "name", "vat-id"],
)
def test_a_seller_named_in_the_settings_is_the_own_business(
    db: Database, settings: dict[str, str], seller: Seller
) -> None:
    settings_service.save(db, **settings)
    own = Sample(number="RE-1", seller=seller)
    other = Sample(number="X-1", seller=Seller(name="Büroshop24 GmbH", vat_id=""))
    files = service.EInvoiceFiles(
        (parse_einvoice(ubl(own), "own.xml"), parse_einvoice(ubl(other), "other.xml")), ()
    )
    plan = service.plan_einvoice_import(db, files)
    assert [entry.invoice_number for entry in plan.entries] == ["RE-1"]
    assert [problem.source for problem in plan.errors] == ["other.xml"]
    assert plan.own_business is None


def test_an_existing_client_is_matched_by_name_and_keeps_its_data(db: Database) -> None:
    client_service.create_client(db, {"name": "WEBER IT GMBH", "email": "alt@weber.example"})
    sample = Sample(buyer=Buyer(name="Weber IT GmbH"))
    files = service.EInvoiceFiles((parse_einvoice(ubl(sample), "x.xml"),), ())
    result = service.run_einvoice_import(db, files, as_of=AS_OF)
    assert result.clients_added == 0
    assert client_service.find_client(db, "Weber IT GmbH").email == "alt@weber.example"


@pytest.mark.parametrize("make", [ubl, cii])
def test_every_document_of_a_folder_reads_its_own_fields(make) -> None:  # type: ignore[no-untyped-def]
    """The texts asked of earlier documents are read at once; each document keeps its own,
    also one whose text holds the character that joins them."""
    buyers = [Buyer(name="Weber IT GmbH"), Buyer(name="Kunde \ue000 Eins", street="Am Markt 1")]
    read = [
        parse_einvoice(make(Sample(number=f"RE-{n}", net=Decimal(n * 100), buyer=b)), "x.xml")
        for n, b in enumerate([*buyers, buyers[0]], start=1)
    ]
    assert [(d.number, d.net, d.buyer.name) for d in read] == [
        ("RE-1", Decimal("100.00"), "Weber IT GmbH"),
        ("RE-2", Decimal("200.00"), "Kunde \ue000 Eins"),
        ("RE-3", Decimal("300.00"), "Weber IT GmbH"),
    ]
    assert read[1].buyer.address == "Am Markt 1\n20457 Hamburg"
    assert read[2].buyer.address == "Hafenweg 12\n20457 Hamburg"


def test_a_folder_is_searched_below_without_hidden_files_and_in_a_stable_order(
    tmp_path: Path,
) -> None:
    data = ubl(Sample())
    for name in ("b/2.xml", "a/sub/1.PDF", "a-z.xml", ".git/x.xml", "a/._mac.pdf", "a/n.txt"):
        write(tmp_path / Path(name).parent, Path(name).name, data)
    (tmp_path / "link").symlink_to(tmp_path / "b", target_is_directory=True)
    found = [path.relative_to(tmp_path).as_posix() for path in find_files([tmp_path])]
    assert found == ["a/sub/1.PDF", "a-z.xml", "b/2.xml"]
