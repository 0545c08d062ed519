"""The review as a tax adviser reads it (issue 17): page 1 at a glance, the previous period,
short at any size, print quality, profile and metadata, one cost per returner.

The fixture, worked out by hand (invoice basis, seen from 10 Jan 2026):

    2024 (all on 15 Jan 2024)      Nordlicht Media GmbH 6,000.00 (group Nordlicht-Gruppe)
                                   Kanzlei Berg 2,000.00, Café Lumen 2,000.00   = 10,000.00
                                   top payer: the group, 6,000 / 10,000 = 60.0 %
    2025 (all on 10 Feb 2025)      Nordlicht Media GmbH 9,000.00 + Nordlicht Studio GmbH 1,000.00
                                   (one payer: the group, 10,000.00), Kanzlei Berg 1,500.00,
                                   Atelier Kim 500.00                            = 12,000.00
                                   top payer: the group, 10,000 / 12,000 = 5/6 = 83.3 %: critical
    change                         +2,000.00 €, +23.3 pts
    months in a row at or above 5/6: the windows ending Feb–Dec 2025 hold only the 2025 entries
                                   (5/6 each); the one ending Jan 2025 holds none → 11
    new: Nordlicht Studio GmbH, Atelier Kim; lost: Café Lumen
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from freelancer_desk import clock, comparison
from freelancer_desk.analytics.periods import calendar_year, quarter
from freelancer_desk.db import Database, open_database
from freelancer_desk.money import from_cents
from freelancer_desk.reports.document import (
    Language,
    PageFrame,
    data_table,
    heading,
    para,
    shorten,
    tie,
    write_pdf,
)
from freelancer_desk.reports.review import (
    ReviewRequest,
    available_sections,
    build_review,
    default_sections,
)
from freelancer_desk.services import clients, groups, revenue, winback
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.status import StatusRequest, build_status
from tests.pdf_text import pdf_pages
from tests.today import TODAY

if TYPE_CHECKING:
    from tests.conftest import BigBook


AS_OF = dt.date(2026, 1, 10)
YEAR = calendar_year(2025)


def printed(path: Path) -> str:
    """The PDF's text as poppler's ``pdftotext`` reads it, line by line as printed (reportlab
    writes a no-break space as a plain one: that it held, shows where the lines break)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def plain(text: str) -> str:
    return " ".join(text.split())


def fill_books(db: Database) -> None:
    """Write the books of the module's docstring into ``db``."""
    settings_service.save(
        db,
        owner_name="Jana Falk",
        owner_address="Lindenweg 3, 04109 Leipzig",
        seller_name="Falk Übersetzungen",
        seller_vat_id="DE123456789",
    )
    group = groups.create_group(db, {"name": "Nordlicht-Gruppe"}).id
    ids = {}
    for name in (
        "Nordlicht Media GmbH",
        "Nordlicht Studio GmbH",
        "Kanzlei Berg",
        "Café Lumen",
        "Atelier Kim",
    ):
        ids[name] = clients.create_client(db, {"name": name}).id
    for name in ("Nordlicht Media GmbH", "Nordlicht Studio GmbH"):
        groups.assign_client(db, ids[name], group)
    for name, day, net in [
        ("Nordlicht Media GmbH", "2024-01-15", "6000.00"),
        ("Kanzlei Berg", "2024-01-15", "2000.00"),
        ("Café Lumen", "2024-01-15", "2000.00"),
        ("Nordlicht Media GmbH", "2025-02-10", "9000.00"),
        ("Nordlicht Studio GmbH", "2025-02-10", "1000.00"),
        ("Kanzlei Berg", "2025-02-10", "1500.00"),
        ("Atelier Kim", "2025-02-10", "500.00"),
    ]:
        revenue.create_entry(db, {"client_id": ids[name], "invoice_date": day, "net": Decimal(net)})


@pytest.fixture
def books(db: Database) -> Database:
    """The books of the module's docstring, for a test that adds to them or asks for more."""
    fill_books(db)
    return db


def review(db: Database, out: Path, lang: str, **kwargs: object) -> Path:
    request = ReviewRequest(YEAR, AS_OF, lang, made_on=AS_OF, **kwargs)  # type: ignore[arg-type]
    return build_review(db, request, out)


@dataclass(frozen=True)
class Made:
    """The review of the books with every default section, as ``review`` makes it."""

    path: Path
    pages: list[str]


@dataclass(frozen=True)
class Reviews:
    """The books in a file of their own and their review in each language, made once for the
    module: most tests only read that review, each asserting its part (making one takes the
    better part of a second). ``books_file`` is for the figures they compare with."""

    books_file: Path
    made: dict[str, Made]

    def __getitem__(self, lang: str) -> Made:
        return self.made[lang]

    def open(self) -> Database:
        """The books, opened to read."""
        return open_database(self.books_file, writable=False)


@pytest.fixture(scope="module")
def reviews(tmp_path_factory: pytest.TempPathFactory, _template_db: Path) -> Reviews:
    folder = tmp_path_factory.mktemp("reviews")
    books_file = folder / "desk.sqlite3"
    shutil.copyfile(_template_db, books_file)
    made = {}
    with clock.pinned(TODAY), open_database(books_file) as db:
        fill_books(db)
        for lang in ("de", "en"):
            path = review(db, folder / f"{lang}.pdf", lang)
            made[lang] = Made(path, pdf_pages(path))
    return Reviews(books_file, made)


def test_page_one_at_a_glance_in_german(reviews: Reviews) -> None:
    pages = reviews["de"].pages
    first = pages[0]
    assert "Auf einen Blick" in first
    assert "Abhängigkeit von Auftraggebern: Kritisch" in first
    # The group counts, not its largest company; beside it the previous year's share.
    assert (
        "Nordlicht-Gruppe (Unternehmensgruppe mit 2 Kunden): 83,3 % (2024: Nordlicht-Gruppe "
        "(Unternehmensgruppe mit 1 Kunden): 60,0 %; ▲ +23,3 Pkt.)" in first
    )
    assert "Nettoumsatz 2025 12.000,00 € (2024: 10.000,00 €; ▲ +2.000,00 €)" in first
    assert "Monate in Folge bei 5/6 oder darüber 11" in first
    # What it means (DOMAIN.md §3), not legal advice, and findings in sentences.
    assert "§ 190a SGB VI" in first and "Statusfeststellungsverfahren" in first
    assert "Steuerberatung" in first
    assert "83,3 % des Umsatzes kamen von einem Auftraggeber, Nordlicht-Gruppe" in first
    assert "gegenüber 60,0 % im Vorjahr" in first
    assert "seit 11 Monaten in Folge bei 5/6 oder darüber" in first
    assert (
        "2 Kunden brachten Umsatz, aber keinen im Vorjahr. 1 Kunde mit Umsatz im Vorjahr" in first
    )
    # The letterhead: name, business, address and VAT ID from the settings.
    assert first.startswith(
        "Jana Falk Falk Übersetzungen Lindenweg 3, 04109 Leipzig DE123456789 Jahresrückblick 2025"
    )


def test_page_one_at_a_glance_in_english(reviews: Reviews) -> None:
    first = reviews["en"].pages[0]
    assert "At a glance" in first and "Dependency on clients: Critical" in first
    assert "Net revenue 2025 €12,000.00 (2025: €10,000.00".replace("(2025", "(2024") in first
    assert "▲ +€2,000.00" in first
    assert "83.3% (2024: Nordlicht-Gruppe (group of 1 client): 60.0%; ▲ +23.3 pts)" in first
    assert "talk to your tax adviser" in first


@pytest.mark.parametrize(
    "lang, label", [("en", "Months in a row at or above 5/6"), ("de", "Monate in Folge bei 5/6")]
)
def test_a_wrapped_label_on_page_one_leaves_no_word_alone(
    reviews: Reviews, lang: str, label: str
) -> None:
    """The label of the months at or above 5/6 wraps in its column, but "5/6" (English) and
    "darüber" (German) stay with the word before them."""
    lines = [line.strip() for line in printed(reviews[lang].path).splitlines()]
    first = next(index for index, line in enumerate(lines) if line.startswith(label[:12]))
    # the label's second line holds two words at least
    assert lines[first + 1] == ("above 5/6" if lang == "en" else "oder darüber")


def test_certainty_about_the_pension_insurance_comes_from_the_status_determination(
    reviews: Reviews,
) -> None:
    """DOMAIN.md §3: the Deutsche Rentenversicherung's status determination (§ 7a SGB IV)
    gives certainty; a tax adviser or a lawyer advises, they do not decide."""
    de = plain(" ".join(reviews["de"].pages))
    assert "Gewissheit gibt ihr Statusfeststellungsverfahren (§ 7a SGB IV); beraten können " in de
    assert "Sie Ihre Steuerberatung oder eine Rechtsanwaltskanzlei." in de
    assert "Gewissheit geben ein Statusfeststellungsverfahren" not in de
    en = plain(" ".join(reviews["en"].pages))
    assert (
        "Certainty comes from its status determination procedure (§ 7a SGB IV); a tax adviser "
        "or a lawyer can advise you." in en
    )


def test_first_two_pages_hold_the_previous_total_and_the_contents_with_pages(
    reviews: Reviews,
) -> None:
    pages = reviews["de"].pages
    first_two = " ".join(pages[:2])
    assert "10.000,00 €" in first_two  # the previous year's total, in German format
    # Contents follow the first page and the next steps; each section with the page its
    # heading stands on.
    contents = next(number for number, page in enumerate(pages) if "Inhalt" in page)
    assert contents in (1, 2)
    layout = PdfReader(reviews["de"].path).pages[contents].extract_text(extraction_mode="layout")
    listed = re.findall(r"^\s*\d+\. (.+?)\s+(?:\. )+\s*(\d+)\s*$", layout, re.MULTILINE)
    assert [title for title, _page in listed][:5] == [
        "Auf einen Blick",
        "Nächste Schritte",
        "Kennzahlen",
        "Abhängigkeit von Auftraggebern",
        "Umsatz nach Kunden",
    ]
    assert len(listed) == len(default_sections()) + 2  # and the two of the first page
    assert listed[0][1] == "1"
    for title, page in listed:
        assert title in pages[int(page) - 1], title


def test_figures_equal_the_status_document(reviews: Reviews) -> None:
    """The page's figures are the status's, formatted the same way (nothing recomputed)."""
    with reviews.open() as books:
        status = build_status(books, StatusRequest(as_of=AS_OF, period=YEAR, today=AS_OF))
    for lang in ("de", "en"):
        before = status.previous
        words = Language(lang)
        text = " ".join(reviews[lang].pages)
        assert status.top_payer is not None and before.top_payer is not None
        for figure in (
            words.money(from_cents(status.total_net_cents)),
            words.money(from_cents(before.total_net_cents)),
            words.percent(status.top_payer.share),
            words.percent(before.top_payer.share),
            comparison.money_change(
                status.total_net_cents, before.total_net_cents, YEAR, lang
            ).short,
            words.money(from_cents(status.extra_below_critical_cents)),
        ):
            assert plain(figure) in text, figure
        for row in status.clients:
            assert f"{row.name} {plain(words.money(from_cents(row.net_cents)))}" in text


def test_new_and_lost_clients_and_the_previous_period_beside_each_client(
    reviews: Reviews,
) -> None:
    text = " ".join(reviews["en"].pages)
    assert (
        "Revenue now, none in 2024 (2) Nordlicht Studio GmbH, Atelier Kim "
        "Revenue in 2024, none now (1) Café Lumen" in text
    )
    # Kanzlei Berg: 1,500.00 now, 2,000.00 before, −500.00.
    assert "Kanzlei Berg €1,500.00 12.5% €2,000.00 ▼ −€500.00" in text


def test_the_full_client_list_only_on_request() -> None:
    keys = [key for key, _title in available_sections()]
    assert "all_clients" in keys and "all_clients" not in default_sections()
    assert default_sections() == frozenset(keys) - {"all_clients"}


def test_pdf_metadata_and_author(reviews: Reviews, tmp_path: Path) -> None:
    reader = PdfReader(reviews["de"].path)
    info = reader.metadata
    assert info is not None
    assert info.title == "Jahresrückblick 2025"
    assert info.author == "Jana Falk"
    assert info.subject and "01.01.2025" in plain(info.subject)
    assert "5/6-Regel" in str(info.get("/Keywords"))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    with reviews.open() as books:
        quarterly = PdfReader(
            build_review(
                books,
                ReviewRequest(quarter(2025, 1), AS_OF, "de", made_on=AS_OF),
                tmp_path / "q.pdf",
            )
        ).metadata
    assert quarterly is not None and quarterly.title == "Quartalsrückblick Q1 2025"
    keywords = str(quarterly.get("/Keywords"))
    assert "Quartalsrückblick Q1 2025" in keywords and "Jahresrückblick" not in keywords


def test_amounts_percentages_dates_and_references_do_not_break() -> None:
    """No-break spaces hold together what must stay on one line, even in a narrow column."""
    english = Language("en")
    assert english.date(dt.date(2025, 12, 31)) == "31\xa0Dec\xa02025"
    assert "\xa0–" in english.span(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert Language("de").money(Decimal("1234.5")) == "1.234,50\xa0€"
    assert Language("de").percent(Decimal("0.868")) == "86,8\xa0%"
    text = (
        "Pflicht nach § 2 Satz 1 Nr. 9 SGB VI und § 190a SGB VI, 83,3 % Anteil, "
        "fällig am 31\xa0Dec\xa02025 mit 1.234,50\xa0€ "
    ) * 4
    paragraph: Paragraph = para(text)
    for width in (90, 140, 200):  # a column narrower than a date breaks it as a last resort
        lines = [" ".join(words) for _extra, words in paragraph.breakLines([width]).lines]
        for line in lines:
            assert not line.endswith(("§", "Satz", "Nr.", "SGB", "83,3", "31", "Dec", "1.234,50"))
        assert sum("31\xa0Dec\xa02025" in line for line in lines) == 4
    reference = tie("insured three years after starting out (§ 6 (1a) SGB VI).")
    assert "§\xa06\xa0(1a)\xa0SGB\xa0VI" in reference
    # a date inside a sentence of the texts, and a step's reasons cut after the whole date
    assert tie("Last try on 28 Nov 2026 by letter.") == "Last try on 28\xa0Nov\xa02026 by letter."
    tried = tie("Last try on 28 Nov 2026 by letter.")
    assert shorten(tried, 24) == "Last try on 28\xa0Nov\xa02026…"
    assert shorten(tried, 23) == "Last try on…"


@pytest.mark.parametrize(
    "form", ["Sp. z o.o.", "GmbH & Co. KG", "e. K.", "UG (haftungsbeschränkt)", "PartG mbB"]
)
def test_a_legal_form_never_splits_across_lines(form: str) -> None:
    """A client's name breaks between its words, never inside its legal form, whatever the
    width of the column; in a paragraph and in a table cell alike."""
    name = f"Übersetzungsbüro Kowalski und Partner {form}"
    assert form.replace(" ", "\xa0") in tie(name)
    paragraph: Paragraph = para(name)
    for width in (125, 140, 160, 180, 200):  # all wider than the longest form
        broken = paragraph.breakLines([width])
        # "&" (escaped) makes reportlab keep fragments per line instead of plain words
        lines = (
            ["".join(frag.text for frag in line.words) for line in broken.lines]
            if broken.kind
            else [" ".join(words) for _extra, words in broken.lines]
        )
        assert sum(" ".join(form.split()) in " ".join(line.split()) for line in lines) == 1, (
            width,
            lines,
        )


def test_no_table_leaves_fewer_than_three_rows_on_a_page(tmp_path: Path) -> None:
    """Whatever room is left above a table, each page holds 0 or at least 3 of its rows: data
    tables, check lists (the self-check) and label/value lines alike."""
    from freelancer_desk.reports.document import checklist, key_values

    frame = PageFrame(title="T", owner="O", footer="F", page_label="{page}/{pages}", lang="de")
    tables = {
        "data": lambda: data_table(
            ["Kunde", "Umsatz"],
            [[f"Zeile {n}", "1,00 €"] for n in range(1, 9)],
            [120 * mm, 52 * mm],
        ),
        "checklist": lambda: checklist([(False, f"Zeile {n}", "Ein Hinweis") for n in range(1, 9)]),
        "key_values": lambda: key_values([(f"Zeile {n}", "1,00 €") for n in range(1, 9)]),
    }
    for kind, table in tables.items():
        for filler in range(140, 186, 3):  # the table reaches the page's end at every row
            flow = [
                heading("Vorher"),
                para("Ein Absatz, der Platz braucht. " * filler),
                heading("Liste", 2),
                table(),
            ]
            pages = pdf_pages(write_pdf(tmp_path / "t.pdf", flow, frame))
            counts = [len(re.findall(r"Zeile \d+", page)) for page in pages]
            assert sum(counts) == 8
            assert all(count == 0 or count >= 3 for count in counts), (kind, filler, counts)


def test_cost_per_returner_is_one_figure_in_every_table(db: Database, tmp_path: Path) -> None:
    """One case won back (cost 300 + 40 = 340), one given up (cost 60): 340.00 everywhere."""
    from freelancer_desk.services import losses

    won = clients.create_client(db, {"name": "Rückkehr AG"}).id
    gone = clients.create_client(db, {"name": "Weg GmbH"}).id
    for client_id in (won, gone):
        revenue.create_entry(
            db, {"client_id": client_id, "invoice_date": "2024-11-01", "net": "1000.00"}
        )
    loss = losses.mark_lost(
        db,
        {
            "client_id": won,
            "lost_on": "2025-01-10",
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    case = winback.open_case(db, loss.id, {"winback_cost": "300.00"})
    winback.add_attempt(db, case.id, {"date": "2025-02-01", "channel": "phone", "cost": "40.00"})
    winback.set_outcome(db, case.id, "won_back", dt.date(2025, 3, 1))
    other = losses.mark_lost(
        db,
        {
            "client_id": gone,
            "lost_on": "2025-01-10",
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    failed = winback.open_case(db, other.id)
    winback.add_attempt(db, failed.id, {"date": "2025-02-01", "channel": "phone", "cost": "60.00"})
    winback.set_outcome(db, failed.id, "given_up", dt.date(2025, 3, 1))

    path = review(db, tmp_path / "r.pdf", "en", sections=frozenset({"winback"}))
    text = " ".join(pdf_pages(path))
    assert "Cost in all, failed tries included €400.00 Cost per returner €340.00" in text
    # By loss type, by reason, by channel: the same figure beside the cost in all.
    assert text.count("€400.00 €340.00") == 3


@pytest.mark.slow
def test_the_review_of_two_thousand_clients_stays_short(big_book: BigBook, tmp_path: Path) -> None:
    with open_database(big_book.path, writable=False) as db:
        out = build_review(
            db,
            ReviewRequest(YEAR, None, "de", made_on=dt.date(2026, 1, 10)),
            tmp_path / "big.pdf",
        )
    pages = pdf_pages(out)
    assert len(pages) <= 24
    assert "Auf einen Blick" in pages[0]
    assert "Nächste Schritte" in " ".join(pages[:2])
    assert any("Abhängigkeit von Auftraggebern" in page for page in pages[1:3])


def test_a_quarter_and_a_year_without_data(books: Database, tmp_path: Path) -> None:
    q = pdf_pages(
        build_review(
            books,
            ReviewRequest(quarter(2025, 1), AS_OF, "en", made_on=AS_OF),
            tmp_path / "q.pdf",
        )
    )
    assert "Quarterly review Q1 2025" in q[0] and "At a glance" in q[0]
    assert "Q4 2024: €0.00" in q[0]  # nothing in the quarter before, said beside the total
    empty = pdf_pages(
        build_review(
            books,
            ReviewRequest(calendar_year(2019), None, "de", made_on=AS_OF),
            tmp_path / "e.pdf",
        )
    )
    assert "Auf einen Blick" in empty[0]
    assert "Kein Umsatz in diesem Zeitraum, also gibt es keine Anteile zu vergleichen" in empty[0]
    assert "Kein Auftraggeber bringt" not in empty[0]  # no meaning of a level without revenue
    assert "Befunde" in empty[0]
    # the file's data begin with the first invoice, on 15 Jan 2024
    assert (
        "In diesem Zeitraum wurde kein Umsatz erfasst. Die erste erfasste Rechnung ist vom "
        "15.01.2024." in empty[0]
    )
    # no figure is printed as a zero
    assert "Nettoumsatz 2019 — (2018: —)" in empty[0]
    assert re.search(r"Monate in Folge bei 5/6 oder darüber —", empty[0])
    assert "±0,00 €" not in " ".join(empty)
    # seen from the year's last day: nothing to plan before the first record
    assert "Am 31.12.2019 steht kein Schritt an." in empty[0]
    assert "Zeit für neue Kunden" not in empty[0]
    # sections that could only say "nothing" are left out, in the contents as well
    for title in (
        "Kennzahlen",
        "Abhängigkeit von Auftraggebern",
        "Selbstcheck",
        "Umsatz nach Kunden",
        "Zahlungen",
        "Warnsignale",
        "Verlorene Kunden",
        "Loyalitätstypen",
    ):
        assert title not in " ".join(empty[1:]), title
    assert "Feedback, Bewertungen und Empfehlungen" in empty[1]


def test_open_receivables_and_days_to_pay_as_of_the_day(db: Database, tmp_path: Path) -> None:
    """Seen from 31 Dec 2025 (usual term 14 days):

    Atelier Nord  1,000.00 of 1 Mar, paid 21 Mar (20 days); 500.00 of 1 Nov, due 15 Nov,
                  unpaid (46 days overdue); 300.00 of 20 Dec, due 3 Jan (open, not overdue);
                  200.00 of 1 Dec, due 15 Dec, paid only on 5 Jan 2026 (open on the day,
                  16 days overdue) → open 1,000.00, overdue 700.00, 20.0 days to pay
    Ohne Zahlungen 900.00 unpaid, but no payment recorded ever → not counted
    """
    from freelancer_desk.services.payments import payments

    nord = clients.create_client(db, {"name": "Atelier Nord"}).id
    none = clients.create_client(db, {"name": "Ohne Zahlungen"}).id
    for client_id, day, net, paid in [
        (nord, "2025-03-01", "1000.00", "2025-03-21"),
        (nord, "2025-11-01", "500.00", None),
        (nord, "2025-12-20", "300.00", None),
        (nord, "2025-12-01", "200.00", "2026-01-05"),
        (none, "2025-06-01", "900.00", None),
    ]:
        revenue.create_entry(
            db, {"client_id": client_id, "invoice_date": day, "net": net, "paid_date": paid}
        )
    day = dt.date(2025, 12, 31)
    found = payments(db, YEAR, day)
    assert [row.name for row in found.clients] == ["Atelier Nord"]
    row = found.clients[0]
    assert (row.open_cents, row.overdue_cents, row.most_days_overdue) == (100_000, 70_000, 46)
    assert (row.paid_invoices, row.average_days_to_pay) == (1, 20)
    text = " ".join(
        pdf_pages(
            build_review(
                db,
                ReviewRequest(YEAR, day, "en", sections=frozenset({"payments"}), made_on=AS_OF),
                tmp_path / "p.pdf",
            )
        )
    )
    assert "Open on 31 Dec 2025: €1,000.00, of which overdue €700.00" in text
    assert "Atelier Nord €1,000.00 €700.00 46 20.0" in text


def test_a_negative_bar_and_its_figure_stay_inside_the_axes() -> None:
    """A client whose credit notes outweigh its invoices: the bar points left from 0, its
    figure stands left of the bar's end and right of the names, and the axis says euros."""
    from reportlab.graphics.shapes import String
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from freelancer_desk.reports import charts
    from freelancer_desk.reports.document import FONT, TEXT_WIDTH

    lang = Language("de")
    values = [12_000.0, 800.0, -2_400.0]
    drawing = charts.ranked_bars(
        ["Groß AG", "Klein", "Gutschrift GmbH"],
        values,
        [lang.money(Decimal(str(value))) for value in values],
        lang,
        TEXT_WIDTH,
    )
    drawing.asString("pdf")
    chart = drawing.contents[0]
    assert chart.valueAxis.valueMin <= -2_400 and chart.categoryAxis.joinAxisMode == "left"
    label = next(item for item in drawing.contents if isinstance(item, String))
    assert label.text == "−2.400,00\xa0€"  # the real minus sign, as everywhere in print
    assert label.x - stringWidth(label.text, FONT, charts.LABEL_SIZE) >= chart.x
    assert chart.valueAxis.labelTextFormat(5000) == "5.000\xa0€"


def test_every_negative_figure_in_print_has_the_real_minus_sign() -> None:
    """Amounts, numbers and percentages below zero print "−" (U+2212), never a hyphen: the
    win-back candidates' values, chart figures and moods take the same path."""
    de, en = Language("de"), Language("en")
    assert de.money(Decimal("-2.95")) == "−2,95\xa0€" and en.money(Decimal("-2.95")) == "−€2.95"
    assert de.number(-1234) == "−1.234" and en.percent(Decimal("-0.046")) == "−4.6%"
    assert de.money(Decimal("2.95")) == "2,95\xa0€"


def test_next_steps_on_the_first_pages_are_the_plan_of_the_reviews_day(reviews: Reviews) -> None:
    """The first steps of the plan for that day, as the dashboard card shows them, listed by
    their due day (then the plan's priority)."""
    from freelancer_desk.services.steps import plan

    with reviews.open() as books:
        steps = [step for step in plan(books, AS_OF) if step.since <= AS_OF]
    assert steps, "the fixture's sleeping clients give steps"
    for lang, title in (("de", "Nächste Schritte"), ("en", "Next steps")):
        words = Language(lang)
        first_two = " ".join(reviews[lang].pages[:2])
        assert title in first_two
        table = first_two[first_two.index(title) :]
        positions = []
        for step in sorted(steps[:6], key=lambda step: (step.due, step.priority)):
            row = f"{plain(words.date(step.due))}"
            what = plain(step.what[0].render(lang))
            assert row in table and what in table
            positions.append(table.index(step.client or what))
        assert positions == sorted(positions)  # by date


def test_the_steps_at_stake_are_the_12_months_revenue_and_the_review_builds_one_status(
    books: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review of Q3 2025 (no revenue) seen from 10 Jan 2026: the plan's steps still put the
    revenue of the 12 months to that day at stake (Kanzlei Berg 1,500.00 of 10 Feb 2025), and
    the plan reads it without a second status document beside the review's own."""
    from freelancer_desk.analytics.periods import PeriodAsOf
    from freelancer_desk.services import status as status_service
    from freelancer_desk.services.status import Status
    from freelancer_desk.services.steps import plan

    built: list[object] = []
    real = status_service._build

    def build(db: Database, seen: PeriodAsOf, basis: str | None) -> Status:
        built.append(seen.period)  # noted, then built for real
        return real(db, seen, basis)

    monkeypatch.setattr(status_service, "_build", build)
    out = build_review(
        books, ReviewRequest(quarter(2025, 3), AS_OF, "en", made_on=AS_OF), tmp_path / "q.pdf"
    )
    assert built == [quarter(2025, 3)]
    berg = [step for step in plan(books, AS_OF) if step.client == "Kanzlei Berg"]
    assert berg and all(step.value_cents == 150_000 for step in berg)
    first_two = " ".join(pdf_pages(out)[:2])
    assert "Kanzlei Berg" in first_two and "€1,500.00" in first_two


def test_one_percent_format_per_language(reviews: Reviews) -> None:
    """Every percentage comes from one helper: "83.3%" in English, "83,3 %" in German (with a
    no-break space: never split over two lines), also in sentences (5/6, the contribution rate,
    the warning share)."""
    english = " ".join(reviews["en"].pages)
    assert not re.findall(r".{0,30}\d\s+%", english)
    for share in ("83.3%", "5/6 (83.3%)", "18.6%", "fall below 50%"):
        assert share in english, share
    german = " ".join(reviews["de"].pages)
    assert not re.findall(r".{0,30}\d%", german)
    for share in ("83,3 %", "5/6 (83,3 %)", "18,6 %", "unter 50 %"):
        assert share in german, share
    assert not re.findall(r".{0,30}\d\s*\n\s*%", printed(reviews["de"].path))


#: A name of 62 characters whose words are long: it may wrap between words, never inside one.
LONG_NAME = "Dolmetschergenossenschaft Nordrhein-Westfalen Übersetzungen eG"


def test_next_steps_by_date_with_whole_words_and_headers_on_one_line(
    books: Database, tmp_path: Path
) -> None:
    """A client lost on 5 Jan 2026 gets the plan's most urgent step (win-back, due on the
    review's day), the sleeping clients steps due since 9 Aug 2025: the page lists by due day,
    so the win-back comes after them. Its long name wraps between words (or after the
    hyphen), and each column header is one line."""
    from freelancer_desk.services import losses
    from freelancer_desk.services.steps import plan

    lost = clients.create_client(db := books, {"name": LONG_NAME}).id
    revenue.create_entry(db, {"client_id": lost, "invoice_date": "2025-06-02", "net": "3000.00"})
    losses.mark_lost(
        db,
        {
            "client_id": lost,
            "lost_on": "2026-01-05",
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    steps = [step for step in plan(db, AS_OF) if step.since <= AS_OF]
    assert steps[0].client == LONG_NAME  # the plan's first: the fresh loss
    assert any(step.due < steps[0].due for step in steps[1:6])
    out = review(db, tmp_path / "r.pdf", "de")
    lines = [
        " ".join(line.split())
        for page in PdfReader(out).pages[:3]
        for line in page.extract_text().splitlines()
    ]
    table_lines = lines[lines.index("Nächste Schritte") : lines.index("Inhalt")]
    table = " ".join(table_lines)
    days = [
        dt.date(int(y), int(m), int(d))
        for line in table_lines
        for d, m, y in re.findall(r"^(\d\d)\.(\d\d)\.(\d{4})\b", line)
    ]
    assert days == sorted(days) and len(days) >= 6
    assert table.index(plain(Language("de").date(steps[0].due))) > table.index("09.08.2025")
    # the header and every word of the name whole on a line
    for header in ("Fällig", "Kunde", "Was und warum", "Kanal", "Es geht um"):
        assert header in table_lines, header
    for word in ("Dolmetschergenossenschaft", "Nordrhein-", "Westfalen", "Übersetzungen"):
        assert any(word in line for line in lines), word


def test_a_shortened_text_ends_after_a_whole_sentence_else_a_whole_word() -> None:
    """Reasons in the steps table are cut after a whole sentence where one fits (its own full
    stop ends it, no "…" after it), else after a whole item of a list or a whole word with "…";
    names in a chart after a whole word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from freelancer_desk.reports.document import FONT, shorten

    why = "Kein Umsatz seit 10.02.2025 (334 Tage). Letzter Versuch am 27.09.2026 per Brief."
    assert shorten(why, 200) == why
    assert shorten(why, 60) == "Kein Umsatz seit 10.02.2025 (334 Tage)."
    assert shorten(why, 38) == "Kein Umsatz seit 10.02.2025 (334…"  # no sentence fits
    lost = tie(
        "Lost on 8 Jun 2026 (Went to a competitor), reason: Competitor cheaper / better value. "
        "Last try on 28 Nov 2026 by letter."
    )
    assert shorten(lost, 90).endswith("better value.")  # not "better value.…"
    signs = "Warnzeichen: Mehr Reklamationen; Oft nicht erreichbar; Späte Zahlungen; Aufträgen"
    assert shorten(signs + " seltener.", 75) == (
        "Warnzeichen: Mehr Reklamationen; Oft nicht erreichbar; Späte Zahlungen…"
    )
    # a stop inside a name or an abbreviation ends no sentence
    assert shorten("Kowalski Sp. z o.o. Warszawa Handel", 30) == "Kowalski Sp. z o.o. Warszawa…"
    assert shorten("Nordrhein-Westfalen Übersetzungen", 12) == "Nordrhein…"
    assert shorten("Dolmetschergenossenschaft", 10) == "Dolmetsch…"  # one word: the last resort
    width = lambda text: stringWidth(text, FONT, 7.5)  # noqa: E731
    room = width("Dolmetschergenossenschaft Nordrhein-Westf")
    name = shorten(LONG_NAME, room, width)
    assert name == "Dolmetschergenossenschaft Nordrhein…" and width(name) <= room


def test_a_long_client_name_in_the_chart_is_cut_after_a_word_inside_the_figure(
    books: Database, tmp_path: Path
) -> None:
    """The largest-clients chart shortens a 60-character name after a whole word with "…" and
    keeps it inside the figure; the table beside it prints the name whole."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from freelancer_desk.reports import charts
    from freelancer_desk.reports.document import FONT, TEXT_WIDTH

    assert len(LONG_NAME) >= 60
    lang = Language("de")
    drawing = charts.ranked_bars(
        [LONG_NAME, "Klein"], [9_000.0, 500.0], ["9.000,00 €", "500,00 €"], lang, TEXT_WIDTH
    )
    chart = drawing.contents[0]
    label = chart.categoryAxis.categoryNames[-1]  # the largest on top, drawn last
    assert label.endswith("…") and LONG_NAME.startswith(label[:-1] + " ")
    # right-aligned 4 points left of the plot: its left end stays inside the drawing
    assert stringWidth(label, FONT, charts.LABEL_SIZE) + 4 <= chart.x

    client = clients.create_client(books, {"name": LONG_NAME}).id
    revenue.create_entry(books, {"client_id": client, "invoice_date": "2025-03-03", "net": "700"})
    text = " ".join(
        pdf_pages(review(books, tmp_path / "r.pdf", "de", sections=frozenset({"revenue"})))
    )
    assert f" {label} " in text  # the chart
    assert f"{LONG_NAME} 700,00 €" in text  # the table


def test_receivables_print_a_zero_amount_as_an_amount_in_every_row(
    db: Database, tmp_path: Path
) -> None:
    """17 clients whose invoices of 1 Mar 2025 were paid after 20 days, and Kunde 01 with one
    more of 1 Nov 2025 (500.00, due 15 Nov) unpaid: seen from 31 Dec 2025 it is 46 days
    overdue. The 15 largest rows and the "others" row print a zero amount as "€0.00"; "—"
    stands only for days overdue where nothing is overdue."""
    for number in range(1, 18):
        client = clients.create_client(db, {"name": f"Kunde {number:02d}"}).id
        revenue.create_entry(
            db,
            {
                "client_id": client,
                "invoice_date": "2025-03-01",
                "net": "100.00",
                "paid_date": "2025-03-21",
            },
        )
        if number == 1:
            revenue.create_entry(
                db, {"client_id": client, "invoice_date": "2025-11-01", "net": "500.00"}
            )
    day = dt.date(2025, 12, 31)
    text = " ".join(
        pdf_pages(
            build_review(
                db,
                ReviewRequest(YEAR, day, "en", sections=frozenset({"payments"}), made_on=day),
                tmp_path / "p.pdf",
            )
        )
    )
    assert "Kunde 01 €500.00 €500.00 46 20.0" in text
    assert "Kunde 02 €0.00 €0.00 — 20.0" in text
    assert "2 other clients €0.00 €0.00 — 20.0" in text


def test_findings_of_a_running_year_compare_with_the_same_span_before(
    books: Database, tmp_path: Path
) -> None:
    """2026 seen from 10 Jan 2026 holds 800.00 of 5 Jan; beside it stand 1–10 Jan 2025 (no
    revenue), not the whole year 2025, in the findings as in the figures above them. The days
    are named once, above the findings; each finding says "the same span last year"."""
    client = clients.create_client(books, {"name": "Neu im Januar"}).id
    revenue.create_entry(books, {"client_id": client, "invoice_date": "2026-01-05", "net": "800"})
    first = pdf_pages(
        build_review(
            books,
            ReviewRequest(calendar_year(2026), AS_OF, "en", made_on=AS_OF),
            tmp_path / "r.pdf",
        )
    )[0]
    assert (
        "Findings The findings compare with the same days of the period before: "
        "1 Jan 2025 – 10 Jan 2025." in first
    )
    assert "Net revenue: €800.00. €800.00 more than in the same span last year (€0.00)." in first
    assert "1 client had revenue but none in the same span last year." in first
    found = first.split("Findings", 1)[1].split("Next steps", 1)[0]
    assert found.count("10 Jan 2025") == 1


def test_a_table_column_holds_its_longest_word() -> None:
    """A result column of 20 mm cannot hold "Zurückgewonnen" in one line: it takes the room
    from the wide name column instead of splitting the word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from freelancer_desk.reports.document import CELL_PADDING, FONT_BOLD, TEXT_WIDTH

    table = data_table(
        ["Kunde", "Ergebnis"],
        [["Zoë Lefèvre Photographie", "Zurückgewonnen"], ["Bäckerei Groß OHG", "Offen"]],
        [TEXT_WIDTH - 20 * mm, 20 * mm],
    )
    need = stringWidth("Zurückgewonnen", "DejaVuSans", 8.5) + 2 * CELL_PADDING
    assert table._colWidths[1] >= need
    assert sum(table._colWidths) == pytest.approx(TEXT_WIDTH)
    header = data_table(["Kunde", "Rückkehrer"], [["A", "1"]], [TEXT_WIDTH - 12 * mm, 12 * mm])
    assert header._colWidths[1] >= stringWidth("Rückkehrer", FONT_BOLD, 8.5) + 2 * CELL_PADDING


def texts_by_font(path: Path, page: int) -> dict[str, set[str]]:
    """The text pieces of a page by the base font they are drawn in."""
    found: dict[str, set[str]] = {}

    def visit(text: str, _cm: object, _tm: object, font: object, _size: object) -> None:
        if font is not None and text.strip():
            name = str(font["/BaseFont"]).split("+")[-1]  # type: ignore[index]
            found.setdefault(name, set()).add(text.strip())

    PdfReader(path).pages[page].extract_text(visitor_text=visit)
    return found


def test_overdue_items_are_marked_in_bold_and_only_the_word(reviews: Reviews) -> None:
    """The fixture's sleeping clients' steps are overdue on 10 Jan 2026: "overdue" stands in
    bold under the day; the client and what to do stay regular, so the mark stands out."""
    fonts = texts_by_font(reviews["en"].path, 0)
    assert "overdue" in fonts["DejaVuSans-Bold"]
    assert "Kanzlei Berg" in fonts["DejaVuSans"] and "Kanzlei Berg" not in fonts["DejaVuSans-Bold"]
    # the level, too, is in bold words
    assert any("Critical" in text for text in fonts["DejaVuSans-Bold"])


def test_a_period_without_revenue_has_no_warning_mark() -> None:
    """The critical mark is a filled octagon; a year without revenue gets a neutral dashed
    circle with a dash, nothing filled and no "!"."""
    from reportlab.graphics.shapes import Polygon, String

    from freelancer_desk.analytics.dependency import Level
    from freelancer_desk.reports.glance_section import level_mark

    critical = level_mark(Level.CRITICAL).contents
    assert any(isinstance(shape, Polygon) for shape in critical)
    empty = level_mark(Level.NONE).contents
    assert not any(isinstance(shape, (Polygon, String)) for shape in empty)
    assert all(getattr(shape, "fillColor", None) is None for shape in empty)


def test_a_cut_list_says_how_many_it_shows_above_the_table(db: Database, tmp_path: Path) -> None:
    """17 clients invoiced last on 15 Jan 2024 sleep on 10 Jan 2026; the review lists 15 and
    says so above the table, where the line cannot stray alone onto the next page."""
    for number in range(1, 18):
        client = clients.create_client(db, {"name": f"Schläfer {number:02d}"}).id
        revenue.create_entry(
            db, {"client_id": client, "invoice_date": "2024-01-15", "net": "100.00"}
        )
    text = " ".join(pdf_pages(review(db, tmp_path / "r.pdf", "en", sections=frozenset({"watch"}))))
    assert (
        "Sleeping clients The first 15 of 17; the app lists them all. "
        "Client Last invoice Days without revenue" in text
    )
    assert "more; the app" not in text


def test_largest_payers_name_both_periods_and_show_the_change(reviews: Reviews) -> None:
    """The group Nordlicht-Gruppe: 10,000.00 in 2025 against 6,000.00 in 2024 (+4,000.00);
    Kanzlei Berg 1,500.00 against 2,000.00 (−500.00), headed by the periods like the other
    tables."""
    text = plain(printed(reviews["en"].path))
    assert "Payer Clients in the group 2025 Share 2024 Change" in text
    assert "€10,000.00 83.3% €6,000.00 ▲ +€4,000.00" in text
    assert "Kanzlei Berg €1,500.00 12.5% €2,000.00 ▼ −€500.00" in text


def test_the_running_month_shows_its_light_dashed_bar_even_when_nearly_empty() -> None:
    """December counted for two days holds 0 € against 6,000 € in November: its bar is still
    drawn light with a dashed outline, at least 3 % of the axis high (6,000 € axis → the
    stub is 180 €), as the caption promises; the months before keep their values."""
    from reportlab.graphics.shapes import Group, Rect

    from freelancer_desk.reports import charts
    from freelancer_desk.reports.document import TEXT_WIDTH

    drawing = charts.monthly_bars(
        ["10/26", "11/26", "12/26*"],
        [4_000.0, 6_000.0, 0.0],
        [5_000.0, 5_000.0, 5_000.0],
        Language("de"),
        TEXT_WIDTH,
        58 * mm,
        running=2,
    )
    chart = drawing.contents[0]

    def rects(group: Group) -> list[Rect]:
        found = []
        for item in group.contents:
            if isinstance(item, Group):
                found += rects(item)
            elif isinstance(item, Rect):
                found.append(item)
        return found

    dashed = [rect for rect in rects(chart.draw()) if rect.strokeDashArray == [2, 1.5]]
    assert len(dashed) == 1
    assert dashed[0].height == pytest.approx(chart.height * 0.03)
    assert dashed[0].height >= 1 * mm
    assert list(chart.data[0][:2]) == [4_000.0, 6_000.0]


def test_a_short_last_section_follows_on_the_page_and_no_heading_stands_alone(
    tmp_path: Path,
) -> None:
    """Whatever room the sections before leave: a short section (heading, its small print
    and "No reminders are due.") never starts a page of its own while it fits below, and a
    heading with its small print always has the first rows of its table on the same page."""
    from reportlab.lib.units import mm as millimetre
    from reportlab.platypus import Spacer

    from freelancer_desk.reports.document import SectionStart, keep_intro_with_content
    from freelancer_desk.reports.review import SECTION_ROOM

    frame = PageFrame(title="T", owner="O", footer="F", page_label="{page}/{pages}", lang="en")
    for filler in range(150, 250, 4):
        # a short section: on old code it started a new page whenever 90 mm were not left
        short = [
            heading("Reminders ahead"),
            para("Open reminders due by 10 Apr 2026, overdue ones first.", "small"),
            para("No reminders are due."),
        ]
        flow = [
            heading("Before"),
            Spacer(1, filler * millimetre),
            Spacer(1, 8 * millimetre),
            SectionStart(SECTION_ROOM, short),
            *short,
        ]
        pages = pdf_pages(write_pdf(tmp_path / "s.pdf", keep_intro_with_content(flow), frame))
        assert "Before" in pages[0]
        if filler <= 200:  # the short section fits below
            assert len(pages) == 1, filler
        assert all("Reminders ahead Open reminders" in page for page in pages[-1:])
        # a heading and its one line of small print go with the table's first rows
        table = data_table(
            ["Due", "Client"], [[f"Row {n}", "x"] for n in range(1, 9)], [40 * mm, 40 * mm]
        )
        flow = [
            heading("Before"),
            Spacer(1, filler * millimetre),
            heading("Reminders ahead"),
            para("Open reminders due by 10 Apr 2026, overdue ones first.", "small"),
            table,
        ]
        pages = pdf_pages(write_pdf(tmp_path / "t.pdf", keep_intro_with_content(flow), frame))
        for page in pages:
            if "Open reminders" in page:
                assert "Row 1" in page, (filler, page)


def test_findings_ask_whether_sleeping_clients_are_worth_a_reactivation(
    books: Database, tmp_path: Path
) -> None:
    """A client whose last invoice is a year and a half old sleeps as of 10 Jan 2026: the
    findings count it among the sleeping clients and ask the question the freelancer has to
    answer, in English and German."""

    def first_page(lang: str) -> str:
        made = build_review(
            books,
            ReviewRequest(calendar_year(2026), AS_OF, lang, made_on=AS_OF),
            tmp_path / f"{lang}.pdf",
        )
        return " ".join(pdf_pages(made)[0].split())

    before = re.search(r"(\d+) sleeping clients: worth a reactivation\?", first_page("en"))
    assert before is not None
    client = clients.create_client(books, {"name": "Lange still"}).id
    revenue.create_entry(books, {"client_id": client, "invoice_date": "2024-06-03", "net": "900"})
    now = int(before.group(1)) + 1
    assert f"{now} sleeping clients: worth a reactivation?" in first_page("en")
    assert f"{now} schlafende Kunden – lohnt eine Reaktivierung?" in first_page("de")
