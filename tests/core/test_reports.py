"""The printed review and the client dossier: content, figures, fonts, paper, splitting tables.

Expected figures are worked out by hand from the fixture data below (2025, invoice basis):

    Łukasz Wróbel GmbH   12,000.00 + 3,456.78          = 15,456.78
    Søren Ødegaard ApS    1,234.56                      =  1,234.56
    Müller & Söhne KG       800.00 − 100.00 (credit)    =    700.00
    total                                                 17,391.34

    shares: 15,456.78 / 17,391.34 = 88.88 %, 1,234.56 / … = 7.10 %, 700 / … = 4.02 %
    top T = 15,456.78, others O = 1,934.56
    below 5/6 needs more than T/5 − O = 1,156.796 from others → 1,156.80
    below 50 % needs more than T − O = 13,522.22 → one cent more: 13,522.23
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from freelancer_desk import clock, comparison
from freelancer_desk.analytics.history import quarterly_totals
from freelancer_desk.analytics.periods import calendar_year, quarter, rolling_12_months
from freelancer_desk.db import Database
from freelancer_desk.errors import InputError
from freelancer_desk.i18n import gettext_for
from freelancer_desk.importers.plan import PlanOptions
from freelancer_desk.models import Loss, WinbackCase
from freelancer_desk.reports import charts
from freelancer_desk.reports.document import (
    FONT,
    TEXT_WIDTH,
    Language,
    PageFrame,
    data_table,
    heading,
    para,
    write_pdf,
)
from freelancer_desk.reports.dossier import build_dossier
from freelancer_desk.reports.review import ReviewRequest, available_sections, build_review
from freelancer_desk.services import (
    clients,
    feedback,
    groups,
    importing,
    interactions,
    losses,
    reminders,
    revenue,
    winback,
)
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.status import StatusRequest, build_status
from tests.pdf_text import pdf_pages

A4_POINTS = (595.28, 841.89)
MADE_ON = dt.date(2026, 1, 10)
AS_OF = dt.date(2026, 1, 10)


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages(path))


def money(amount: str, lang: str) -> str:
    return " ".join(Language(lang).money(Decimal(amount)).split())


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    """The reviews are made on ``MADE_ON``: it is today for the whole app."""
    with clock.pinned(MADE_ON) as day:
        yield day


@pytest.fixture
def desk(db: Database) -> Database:
    """Three clients with the 2025 revenue of the module docstring, and one 2024 invoice."""
    settings_service.save(db, owner_name="Jürgen Weiß Design")
    lukasz = clients.create_client(db, {"name": "Łukasz Wróbel GmbH"}).id
    soren = clients.create_client(db, {"name": "Søren Ødegaard ApS"}).id
    muller = clients.create_client(db, {"name": "Müller & Söhne KG"}).id
    for client_id, day, net in [
        (lukasz, dt.date(2024, 12, 31), "5000.00"),
        (lukasz, dt.date(2025, 2, 10), "12000.00"),
        (lukasz, dt.date(2025, 6, 1), "3456.78"),
        (soren, dt.date(2025, 3, 5), "1234.56"),
        (muller, dt.date(2025, 11, 30), "800.00"),
        (muller, dt.date(2025, 12, 1), "-100.00"),
    ]:
        revenue.create_entry(db, {"client_id": client_id, "invoice_date": day, "net": Decimal(net)})
    return db


def year_review(db: Database, out: Path, lang: str, **kwargs: object) -> Path:
    request = ReviewRequest(calendar_year(2025), AS_OF, lang, made_on=MADE_ON, **kwargs)  # type: ignore[arg-type]
    return build_review(db, request, out)


def test_german_review_prints_names_and_hand_computed_figures(
    desk: Database, tmp_path: Path
) -> None:
    text = pdf_text(year_review(desk, tmp_path / "review.pdf", "de"))
    for name in (
        "Łukasz Wróbel GmbH",
        "Søren Ødegaard ApS",
        "Müller & Söhne KG",
        "Jürgen Weiß Design",
    ):
        assert name in text
    assert "Jahresrückblick 2025" in text
    assert "01.01.2025 – 31.12.2025" in text
    assert "17.391,34 €" in text
    assert "15.456,78 €" in text and "88,9 %" in text
    assert "700,00 €" in text and "4,0 %" in text
    assert "1.156,80 €" in text  # more from others to fall below 5/6
    assert "13.522,23 €" in text  # … below 50 %
    assert "Kritisch" in text
    assert "Seite 1 von" in text and "Rechtsberatung" in text


def test_english_review_uses_english_formats(desk: Database, tmp_path: Path) -> None:
    text = pdf_text(year_review(desk, tmp_path / "review.pdf", "en"))
    assert "Annual review 2025" in text
    assert "1 Jan 2025 – 31 Dec 2025" in text
    assert "€17,391.34" in text and "88.9%" in text and "€13,522.23" in text
    assert "not legal advice" in text
    pages = pdf_pages(tmp_path / "review.pdf")
    assert all(f"Page {number} of {len(pages)}" in page for number, page in enumerate(pages, 1))


def test_review_prints_the_figures_of_the_status_document(desk: Database, tmp_path: Path) -> None:
    """Whatever the status says for the period is what the paper says, in the PDF's language."""
    period = quarter(2025, 2)
    status = build_status(desk, StatusRequest(as_of=AS_OF, period=period))
    text = pdf_text(
        build_review(desk, ReviewRequest(period, AS_OF, "de", made_on=MADE_ON), tmp_path / "q.pdf")
    )
    german = Language("de")
    assert "Quartalsrückblick Q2 2025" in text
    assert money(str(status.total_net_cents / 100), "de") in text
    for row in status.clients:
        assert row.name in text
        assert german.percent(row.share).replace("\xa0", " ") in text
    assert status.hhi is not None and german.number(float(status.hhi)) in text
    assert money(str(status.extra_below_warning_cents / 100), "de") in text
    # Beside it the first quarter: Łukasz 12,000.00 and Søren 1,234.56.
    assert status.previous.total_net_cents == 1_323_456
    assert money("13234.56", "de") in text


def test_rolling_review_counts_the_twelve_months_to_the_day(desk: Database, tmp_path: Path) -> None:
    # 1 Jul 2024 – 30 Jun 2025: Łukasz 5,000 + 12,000 + 3,456.78, Søren 1,234.56 = 21,691.34.
    as_of = dt.date(2025, 6, 30)
    request = ReviewRequest(rolling_12_months(as_of), as_of, "en", made_on=MADE_ON)
    text = pdf_text(build_review(desk, request, tmp_path / "r.pdf"))
    assert "Review of the 12 months to 30 Jun 2025" in text
    assert "€21,691.34" in text
    assert "Müller" not in text


def test_fonts_are_embedded_and_every_page_is_a4(desk: Database, tmp_path: Path) -> None:
    path = year_review(desk, tmp_path / "review.pdf", "de")
    reader = PdfReader(path)
    seen = set()
    for page in reader.pages:
        assert (
            round(float(page.mediabox.width), 2),
            round(float(page.mediabox.height), 2),
        ) == A4_POINTS
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            seen.add(str(font["/BaseFont"]))
            descriptor = font.get("/FontDescriptor")  # the standard 14 fonts have none
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font[
                "/BaseFont"
            ]
    assert seen and all("DejaVuSans" in name for name in seen)
    if shutil.which("pdffonts"):
        listing = subprocess.run(
            ["pdffonts", str(path)], capture_output=True, text=True, check=True
        )
        rows = listing.stdout.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows)  # the "emb" column


def test_long_revenue_table_splits_with_its_header_on_every_page(
    db: Database, tmp_path: Path
) -> None:
    names = [f"Kunde {number:03d} Łódź" for number in range(1, 131)]
    for number, name in enumerate(names, start=1):
        client_id = clients.create_client(db, {"name": name}).id
        revenue.create_entry(
            db,
            {"client_id": client_id, "invoice_date": dt.date(2025, 5, 1), "net": Decimal(number)},
        )
    pages = pdf_pages(
        year_review(db, tmp_path / "long.pdf", "en", sections=frozenset({"all_clients"}))
    )
    table_pages = [page for page in pages if "Kunde 0" in page and "Every client" not in page]
    assert len(table_pages) >= 2, "130 rows must run onto further pages"
    for page in table_pages:
        assert "# Client 2025 Share 2024 Change" in page
    text = "\n".join(pages)
    assert all(name in text for name in names)
    # The largest client is first: 130 € of 8,515 € (1 + … + 130).
    assert "Kunde 130 Łódź €130.00 1.5%" in text


def test_value_axis_labels_of_large_figures_keep_apart() -> None:
    lang = Language("de")
    values = [27_392_672.49, 38_169.00, 36_477.00]  # one client far ahead, as in a big review
    texts = [f"{lang.money(value)} · {lang.percent(value / sum(values))}" for value in values]
    drawing = charts.ranked_bars(["A", "B", "C"], values, texts, lang, TEXT_WIDTH)
    drawing.asString("pdf")  # lays the chart out
    axis = drawing.contents[0].valueAxis
    ticks = list(axis._tickValues)
    widest = max(stringWidth(charts.euros(tick, lang), FONT, charts.LABEL_SIZE) for tick in ticks)
    gaps = [axis.scale(b) - axis.scale(a) for a, b in itertools.pairwise(ticks)]
    assert len(ticks) >= 3 and min(gaps) >= widest + 4  # a visible space between the labels


def test_counts_of_long_lists_use_the_languages_thousands_separator(
    db: Database, tmp_path: Path
) -> None:
    # Kunde 0001 … Kunde 1201, each one invoice of as many euros as its number, imported in one
    # transaction (the size matters here, not how the entries were made).
    rows = [f"Kunde {number:04};01.03.2025;{number},00" for number in range(1, 1202)]
    table = importing.load_table(
        "\n".join(["Kunde;Rechnungsdatum;Netto", *rows]).encode(), "revenue"
    )
    importing.run_import(db, table, "revenue", PlanOptions(dt.date(2026, 1, 1)))
    ids = [client_id for client_id, _name in clients.client_names(db)]
    assert len(ids) == 1201
    group = groups.create_group(db, {"name": "Kunde-Gruppe"}).id
    for client_id in ids[:2]:
        groups.assign_client(db, client_id, group)  # two clients, one payer: 1,200 payers
    text = pdf_text(
        year_review(db, tmp_path / "r.pdf", "de", sections=frozenset({"revenue", "dependency"}))
    )
    assert "Die 15 größten von 1.201 Kunden" in text
    assert "1.186 weitere Kunden" in text  # top 15 plus the others in one row
    assert "1.185 weitere Auftraggeber" in text


def test_a_heading_starts_its_long_table_where_it_stands(tmp_path: Path) -> None:
    """A table longer than the room left begins under its heading; neither waits for a new page."""
    rows = [[f"Kunde {number}", f"{number},00 €"] for number in range(1, 121)]
    flow = [
        heading("Vorher"),
        para("Ein Absatz. " * 200),
        heading("Lange Liste", 2),
        data_table(["Kunde", "Umsatz"], rows, [120 * mm, 52 * mm]),
    ]
    frame = PageFrame(title="T", owner="O", footer="F", page_label="{page}/{pages}", lang="de")
    pages = pdf_pages(write_pdf(tmp_path / "t.pdf", flow, frame))
    assert "Lange Liste Kunde Umsatz Kunde 1 1,00 €" in pages[0]
    assert pages[1].startswith("Kunde Umsatz Kunde")  # the header row repeats on the next page


def test_only_the_chosen_sections_are_printed(desk: Database, tmp_path: Path) -> None:
    assert [key for key, _title in available_sections()][:3] == [
        "key_figures",
        "dependency",
        "revenue",
    ]
    text = pdf_text(year_review(desk, tmp_path / "r.pdf", "en", sections=frozenset({"dependency"})))
    assert "Dependency on clients" in text
    assert "Revenue by client" not in text and "Key figures" not in text


def test_review_of_a_period_without_revenue(desk: Database, tmp_path: Path) -> None:
    request = ReviewRequest(calendar_year(2019), AS_OF, "en", made_on=MADE_ON)
    text = pdf_text(build_review(desk, request, tmp_path / "empty.pdf"))
    assert "No revenue was recorded in this period. The first invoice on file is dated" in text
    assert "no shares to compare" in text
    # the sections about the period's revenue could only say so: left out, contents too
    assert "Revenue by client" not in text and "Loyalty types" not in text


def test_progress_climbs_to_done(desk: Database, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    request = ReviewRequest(calendar_year(2025), AS_OF, "en", made_on=MADE_ON)
    build_review(
        desk, request, tmp_path / "r.pdf", progress=lambda done, total: calls.append((done, total))
    )
    done = [step for step, _total in calls]
    assert done == sorted(done) and done[-1] == 100 and len(calls) > 3
    assert {total for _step, total in calls} == {100}


def test_unknown_language_and_missing_folder_are_refused(desk: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        Language("fr")
    with pytest.raises(InputError, match="does not exist"):
        year_review(desk, tmp_path / "missing" / "r.pdf", "en")
    assert not (tmp_path / "missing").exists()


# --------------------------------------------------------------------------------------------
# Client dossier
# --------------------------------------------------------------------------------------------


@pytest.fixture
def lost_client(desk: Database) -> int:
    """Søren: a private person who complained, was lost over quality, with a win-back plan."""
    soren = clients.find_client(desk, "Søren Ødegaard ApS").id
    clients.update_client(
        desk,
        soren,
        {
            "kind": "private",
            "contact_person": "Søren Ødegaard",
            "phone": "+45 1234 5678",
            "email": "soren@example.dk",
            "loyalty": "conditional",
        },
    )
    notes = [
        ("complaint", -2, "Ärgerlich: Rechnung doppelt verschickt."),
        ("praise", 2, "Begeistert vom Logo, hat uns weiterempfohlen."),
        ("complaint", -1, "Lieferung zwei Tage zu spät vor der Messe."),
    ]
    for month, (kind, mood, note) in enumerate(notes, start=4):
        interactions.create_interaction(
            desk,
            {
                "client_id": soren,
                "date": dt.date(2025, month, 2),
                "kind": kind,
                "mood": mood,
                "notes": note,
            },
        )
    with desk.session() as session:
        loss = Loss(
            client_id=soren,
            lost_on=dt.date(2025, 9, 1),
            loss_type="pushed",
            reason_code="quality",
            reason_text="Messe verpasst",
        )
        session.add(loss)
        session.flush()
        session.add(
            WinbackCase(
                loss_id=loss.id,
                incentive="Gratis-Banner zur nächsten Messe",
                measures="Anrufen und entschuldigen",
            )
        )
    return soren


def test_dossier_is_a_call_brief_and_the_clients_file(
    desk: Database, lost_client: int, tmp_path: Path
) -> None:
    path = build_dossier(desk, lost_client, tmp_path / "d.pdf", "de", AS_OF)
    brief, file = pdf_pages(path)
    de = gettext_for("de")
    assert "Søren Ødegaard ApS" in brief and "Gesprächsvorbereitung · Verloren" in brief
    # Why lost, and the signs before the loss: no revenue since the March invoice.
    assert "Warum verloren" in brief and "Qualitätsprobleme: Messe verpasst" in brief
    assert "Anzeichen vor dem Verlust Schlafend Kein Umsatz seit 05.03.2025 (180 Tage)." in brief
    # Worth it, measures, incentive, goals and how to react.
    assert "Wert der Rückgewinnung 0,00 € Ergebnis Lohnt sich nicht" in brief  # nothing entered
    assert "Anrufen und entschuldigen" in brief and "Gratis-Banner zur nächsten Messe" in brief
    assert "Den wahren Grund erfahren" in brief and "Die Tür offen halten" in brief
    assert "Freundlich: einen Termin vorschlagen" in brief and "Unhöflich: hier aufhören" in brief
    assert "Noch kein Versuch." in brief
    # A private person without recorded phone consent may not be called.
    assert de("Blocked") in brief and "§7a UWG" in brief
    assert "Offene Rechnungen" in brief and "Rechnungsdatum" in brief
    # The file: contact data, contacts with moods, revenue of the 12 months to the day.
    assert "+45 1234 5678" in file and ("Privatperson" in file or de("Private person") in file)
    assert "Rechnung doppelt verschickt" in file and "−2" in file and "+2" in file
    assert "1.234,56 €" in file  # revenue of the 12 months to 10 Jan 2026: the March invoice
    assert "Stand 10.01.2026" in file and "Seite 2 von 2" in file


def test_dossier_of_a_returner_tells_the_loss_and_the_return_and_whom_to_call(
    desk: Database, lost_client: int, tmp_path: Path
) -> None:
    clients.update_client(desk, lost_client, {"address": "Vesterbrogade 1\n1620 København"})
    [loss] = losses.list_losses(desk)
    assert loss.case_id is not None
    winback.add_attempt(
        desk,
        loss.case_id,
        {"date": dt.date(2025, 9, 5), "channel": "email", "reaction": "friendly",
         "notes": "Banner angenommen"},
    )  # fmt: skip
    winback.set_outcome(desk, loss.case_id, "won_back", dt.date(2025, 10, 1))
    revenue.create_entry(
        desk,
        {"client_id": lost_client, "invoice_date": dt.date(2025, 10, 1), "net": Decimal("900")},
    )
    brief, file = pdf_pages(build_dossier(desk, lost_client, tmp_path / "d.pdf", "de", AS_OF))
    # The running head on the call brief too, as on the file.
    assert "Kundendossier: Søren Ødegaard ApS Jürgen Weiß Design Stand 10.01.2026" in brief
    assert "Kundendossier: Søren Ødegaard ApS Jürgen Weiß Design Stand 10.01.2026" in file
    # The loss, the signs before it and what won the client back.
    assert "Warum verloren" in brief and "Qualitätsprobleme: Messe verpasst" in brief
    assert "Anzeichen vor dem Verlust" in brief
    assert "Was ihn zurückgebracht hat Zurückgewonnen am 01.10.2025" in brief
    assert "Gratis-Banner zur nächsten Messe" in brief and "Anrufen und entschuldigen" in brief
    assert "Letzter Versuch 05.09.2025, E-Mail: Freundlich — Banner angenommen" in brief
    # Whom to reach and where, for the step's channel (a private person: not by phone).
    assert "Ansprechperson Søren Ødegaard" in brief
    assert "Erreichbar unter soren@example.dk" in brief or (
        "Erreichbar unter Vesterbrogade 1 1620 København" in brief
    )


def test_dossier_marks_the_running_quarter_of_its_day(
    desk: Database, lost_client: int, tmp_path: Path
) -> None:
    """Seen from 10 Jan 2026, Q1 2026 holds ten days: its column is marked and explained, as
    the review marks its running month; seen from 31 Mar 2026 the quarter is whole."""
    file = pdf_pages(build_dossier(desk, lost_client, tmp_path / "d.pdf", "en", AS_OF))[1]
    assert "Q1* 2026" in file and "Q4 2025" in file and "Q4* 2025" not in file
    assert "* Still running: counted up to 10 Jan 2026 (light bar, dashed outline)." in file
    day = dt.date(2026, 3, 31)
    whole = pdf_pages(build_dossier(desk, lost_client, tmp_path / "w.pdf", "en", day, today=day))[1]
    assert "Q1 2026" in whole and "*" not in whole


def test_a_long_email_address_breaks_after_the_at_sign(desk: Database, tmp_path: Path) -> None:
    client_id = clients.find_client(desk, "Müller & Söhne KG").id
    clients.update_client(desk, client_id, {"email": "oemer@mueller-soehne-gmbh.de"})
    page = pdf_pages(build_dossier(desk, client_id, tmp_path / "d.pdf", "de", AS_OF))[1]
    assert "E-Mail oemer@ mueller-soehne-gmbh.de" in page  # two lines, the domain whole


def test_dossier_prints_long_german_kinds_and_channels_whole(
    desk: Database, tmp_path: Path
) -> None:
    client_id = clients.find_client(desk, "Müller & Söhne KG").id
    interactions.create_interaction(
        desk,
        {
            "client_id": client_id,
            "date": dt.date(2025, 12, 3),
            "channel": "other",
            "kind": "chasing",
        },
    )
    page = pdf_pages(build_dossier(desk, client_id, tmp_path / "d.pdf", "de", AS_OF))[1]
    assert "03.12.2025 Sonstiges Auftrag musste nachgefasst werden" in page  # formal in print


def test_dossier_of_a_long_history_still_fits_two_pages(desk: Database, tmp_path: Path) -> None:
    client_id = clients.find_client(desk, "Łukasz Wróbel GmbH").id
    clients.update_client(desk, client_id, {"notes": "Lange Notiz. " * 120})
    for day in range(1, 29):
        interactions.create_interaction(
            desk,
            {
                "client_id": client_id,
                "date": dt.date(2025, 2, day),
                "kind": "complaint",
                "notes": f"Beschwerde {day}: " + "sehr ärgerlich, " * 25,
            },
        )
    path = build_dossier(desk, client_id, tmp_path / "d.pdf", "en", AS_OF)
    text = pdf_text(path)
    assert len(PdfReader(path).pages) == 2
    assert "Beschwerde 28" in text and "Complaints recorded 28" in text


def test_quarterly_totals_keep_empty_quarters() -> None:
    amounts = [
        (dt.date(2025, 1, 5), 1000),
        (dt.date(2025, 3, 31), 250),
        (dt.date(2025, 4, 1), -100),
        (dt.date(2024, 6, 30), 999),
        (dt.date(2025, 10, 1), 7),
    ]
    totals = quarterly_totals(amounts, dt.date(2025, 9, 30), count=4)
    assert [(q.year, q.number, q.net_cents) for q in totals] == [
        (2024, 4, 0),
        (2025, 1, 1250),
        (2025, 2, -100),
        (2025, 3, 0),
    ]


# --------------------------------------------------------------------------------------------
# Sections of the other areas
# --------------------------------------------------------------------------------------------


@pytest.fixture
def followed_up(desk: Database) -> Database:
    """Müller lost to a competitor (case open); a loyal Łukasz who answered a feedback request,
    paid his June invoice but no other, and owes 790.00 due on 15 Dec 2025; a pending request
    for Søren, two reminders; Søren has slept since his March invoice."""
    ids = {
        name: clients.find_client(desk, name).id
        for name in ("Łukasz Wróbel GmbH", "Søren Ødegaard ApS", "Müller & Söhne KG")
    }
    clients.update_client(desk, ids["Łukasz Wróbel GmbH"], {"loyalty": "loyal"})
    june = next(
        entry
        for entry in revenue.list_entries(desk, client_id=ids["Łukasz Wróbel GmbH"])
        if entry.invoice_date == dt.date(2025, 6, 1)
    )
    revenue.update_entry(desk, june.id, {"paid_date": dt.date(2025, 6, 10)})  # payments are tracked
    revenue.create_entry(
        desk,
        {
            "client_id": ids["Łukasz Wróbel GmbH"],
            "invoice_date": dt.date(2025, 12, 1),
            "due_date": dt.date(2025, 12, 15),
            "net": Decimal("790.00"),
        },
    )
    loss = losses.mark_lost(
        desk,
        {
            "client_id": ids["Müller & Söhne KG"],
            "lost_on": dt.date(2025, 12, 1),
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    winback.open_case(desk, loss.id, {"incentive": "Ein Monat gratis"})
    feedback.create_request(
        desk,
        {
            "client_id": ids["Łukasz Wróbel GmbH"],
            "kind": "review",
            "status": "received",
            "sent_on": dt.date(2025, 9, 20),
            "answered_on": dt.date(2025, 10, 1),
            "rating": 5,
            "response": "Sehr zufrieden – gern wieder!",
        },
        today=dt.date(2025, 9, 20),
    )
    feedback.create_request(
        desk,
        {
            "client_id": ids["Søren Ødegaard ApS"],
            "kind": "recommendation",
            "status": "sent",
            "sent_on": dt.date(2025, 12, 15),
            "follow_up_on": dt.date(2025, 12, 29),
        },
        today=dt.date(2025, 12, 15),
    )
    reminders.create_reminder(
        desk,
        {
            "client_id": ids["Søren Ødegaard ApS"],
            "due_on": dt.date(2026, 1, 5),
            "purpose": "reactivate",
            "note": "Neue Illustrationen zeigen",
        },
    )
    reminders.create_reminder(
        desk,
        {
            "client_id": ids["Łukasz Wróbel GmbH"],
            "due_on": dt.date(2026, 3, 1),
            "purpose": "new_offers",
        },
    )
    reminders.create_reminder(
        desk,
        {
            "due_on": dt.date(2026, 6, 1),
            "purpose": "custom",
            "note": "Too far ahead for the review",
        },
    )
    return desk


def test_review_sections_of_the_other_areas(followed_up: Database, tmp_path: Path) -> None:
    text = pdf_text(year_review(followed_up, tmp_path / "r.pdf", "en"))
    # 5 Mar 2025 → 10 Jan 2026: 26 + 275 (Apr–Dec) + 10 = 311 days without revenue.
    assert "Søren Ødegaard ApS 5 Mar 2025 311" in text
    # Lost on 1 Dec 2025; the 12 months before hold the 800.00 invoice of 30 Nov, not the credit.
    assert (
        "Müller & Söhne KG 1 Dec 2025 Went to a competitor Competitor cheaper / better value "
        "€800.00 Open" in text
    )
    assert "Win-back cases 1" in text and "Won back 0 (0.0%)" in text
    assert "* Estimated" not in text  # Müller's value comes from his case, no star to explain
    # Łukasz records payments (June), so his unpaid invoices are overdue after the usual 14 days:
    # 5,000.00 (due 14 Jan 2025), 12,000.00 (24 Feb 2025), 790.00 (15 Dec 2025) = 17,790.00;
    # 14 Jan 2025 → 10 Jan 2026 = 17 + 334 (Feb–Dec) + 10 = 361 days.
    # His only order since August (790.00) is below a third of his usual one (20,456.78 / 3 =
    # 6,818.93): a smaller-orders sign as well.
    assert "Łukasz Wróbel GmbH Smaller order volumes, Payments after the due date" in text
    assert "The only order since 1 Aug 2025 came to €790.00" in text
    assert "3 (€17,790.00), the oldest 361 days past due" in text
    # Loyal: Łukasz alone, 15,456.78 + 790.00; not set: Søren and Müller, 1,234.56 + 700.00.
    assert "Loyal 1 €16,246.78" in text and "Not set 2 €1,934.56" in text
    assert "Review / testimonial 1 Oct 2025 ★★★★★ Sehr zufrieden – gern wieder!" in text
    assert "Søren Ødegaard ApS Recommendation letter Sent Email 15 Dec 2025 29 Dec 2025" in text
    assert "5 Jan 2026 overdue Søren Ødegaard ApS Reactivate Neue Illustrationen zeigen" in text
    assert "1 Mar 2026 Łukasz Wróbel GmbH Tell about new skills or offers" in text
    assert "Too far ahead" not in text


def test_an_estimated_win_back_value_is_starred_and_explained(
    desk: Database, tmp_path: Path
) -> None:
    muller = clients.find_client(desk, "Müller & Söhne KG").id
    losses.mark_lost(
        desk,
        {
            "client_id": muller,
            "lost_on": dt.date(2025, 12, 1),
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    text = pdf_text(year_review(desk, tmp_path / "r.pdf", "en", sections=frozenset({"winback"})))
    # No case yet: the value is the 12 months before the loss, the 800.00 invoice of 30 Nov.
    assert "Müller & Söhne KG 1 Dec 2025 Went to a competitor €800.00 * yes" in text
    assert "* Estimated from the 12 months before the loss" in text


def test_long_german_labels_keep_whole_in_their_columns(
    lost_client: int, followed_up: Database, tmp_path: Path
) -> None:
    text = pdf_text(
        year_review(
            followed_up, tmp_path / "r.pdf", "de", sections=frozenset({"winback", "feedback"})
        )
    )
    # Søren, lost over quality on 1 Sep 2025: the March invoice of 1,234.56 in the 12 months before.
    assert "Søren Ødegaard ApS 01.09.2025 Vergrault Qualitätsprobleme 1.234,56 € Offen" in text
    assert "Søren Ødegaard ApS Empfehlungsschreiben Gesendet E-Mail 15.12.2025 29.12.2025" in text


def test_german_review_of_the_other_areas(followed_up: Database, tmp_path: Path) -> None:
    sections = frozenset({"watch", "winback", "reminders"})
    text = pdf_text(year_review(followed_up, tmp_path / "r.pdf", "de", sections=sections))
    assert "Schlafende Kunden" in text and "Søren Ødegaard ApS 05.03.2025 311" in text
    # The app runs in English here, so the signs are explained anew in German.
    german = gettext_for("de")
    assert (
        f"Łukasz Wróbel GmbH {german('Smaller order volumes')}, "
        f"{german('Payments after the due date')}" in text
    )
    assert "(17.790,00 €)" in text and "361 Tage" in text
    assert "Verlorene Kunden und Rückgewinnung" in text and "800,00 €" in text
    assert "Alle Rückgewinnungsfälle bis 10.01.2026, auch die von Kunden" in text
    assert "05.01.2026 überfällig" in text
    assert "Loyalitätstypen" not in text


# --------------------------------------------------------------------------------------------
# Every figure as of a day (DOMAIN.md §7)
# --------------------------------------------------------------------------------------------


def _without(text: str, *days: str) -> str:
    for day in days:
        text = text.replace(day, "<made on>")
    return text


def test_a_closed_year_reads_the_same_whenever_it_is_printed(
    followed_up: Database, tmp_path: Path
) -> None:
    """Printed on 4 Jan 2026, then again in June 2027 after a year of new records, and with
    ``as_of`` its last day: the same paper, apart from the day it was made."""
    desk = followed_up
    year = calendar_year(2025)
    early = pdf_text(
        build_review(
            desk, ReviewRequest(year, None, "en", made_on=dt.date(2026, 1, 4)), tmp_path / "a.pdf"
        )
    )
    assert "· as of 31 Dec 2025 ·" in early and "provisional" not in early
    ids = {
        name: clients.find_client(desk, name).id
        for name in ("Łukasz Wróbel GmbH", "Søren Ødegaard ApS", "Müller & Söhne KG")
    }
    # 2026 brings a payment of the December invoice, new revenue, contacts, a return, answers.
    december = next(
        e
        for e in revenue.list_entries(desk, client_id=ids["Łukasz Wróbel GmbH"])
        if e.invoice_date == dt.date(2025, 12, 1)
    )
    revenue.update_entry(desk, december.id, {"paid_date": dt.date(2026, 1, 20)})
    revenue.create_entry(
        desk,
        {"client_id": ids["Søren Ødegaard ApS"], "invoice_date": "2026-02-01", "net": "900.00"},
    )
    for kind in ("complaint", "complaint", "unreachable"):
        interactions.create_interaction(
            desk, {"client_id": ids["Łukasz Wróbel GmbH"], "date": "2026-03-01", "kind": kind}
        )
    case = losses.list_losses(desk)[0].case_id
    assert case is not None
    winback.add_attempt(desk, case, {"date": "2026-01-15", "channel": "letter", "cost": "25.00"})
    winback.set_outcome(desk, case, "won_back", dt.date(2026, 2, 1))
    pending = next(r for r in feedback.list_requests(desk) if r.status == "sent")
    feedback.update_request(
        desk,
        pending.id,
        {
            "status": "received",
            "answered_on": dt.date(2026, 1, 8),
            "response": "Gern!",
            "rating": 4,
        },
    )
    reminders.complete(desk, reminders.list_reminders(desk)[0].id, dt.date(2026, 1, 6))
    losses.mark_lost(
        desk,
        {
            "client_id": ids["Łukasz Wróbel GmbH"],
            "lost_on": "2026-06-01",
            "loss_type": "broken",
            "reason_code": "need_changed",
        },
    )
    clients.create_client(desk, {"name": "Neukunde 2026", "loyalty": "loyal"})

    later = pdf_text(
        build_review(
            desk, ReviewRequest(year, None, "en", made_on=dt.date(2027, 6, 1)), tmp_path / "b.pdf"
        )
    )
    on_its_last_day = pdf_text(
        build_review(
            desk,
            ReviewRequest(year, dt.date(2025, 12, 31), "en", made_on=dt.date(2026, 1, 4)),
            tmp_path / "c.pdf",
        )
    )
    assert _without(later, "1 Jun 2027") == _without(early, "4 Jan 2026")
    assert on_its_last_day == early


def test_a_closed_year_lists_only_the_requests_and_reminders_of_its_time(
    followed_up: Database, tmp_path: Path
) -> None:
    """The review of 2025 seen from its last day: a request first sent in 2026 did not exist,
    one answered in 2026 was still waiting, a reminder done in 2026 was still open, and one
    due in 2026 was not made yet."""
    desk = followed_up
    lukasz = clients.find_client(desk, "Łukasz Wróbel GmbH").id
    waiting = next(r for r in feedback.list_requests(desk) if r.status == "sent")
    feedback.update_request(
        desk,
        waiting.id,
        {
            "status": "received",
            "answered_on": dt.date(2026, 1, 5),
            "response": "Gern!",
            "rating": 4,
        },
    )
    feedback.create_request(
        desk,
        {"client_id": lukasz, "kind": "referral", "status": "sent", "sent_on": "2026-01-08"},
        today=dt.date(2026, 1, 8),
    )
    chase = reminders.create_reminder(
        desk,
        {"client_id": lukasz, "due_on": "2025-12-20", "purpose": "custom", "note": "Mahnen"},
        today=dt.date(2025, 12, 20),
    )
    reminders.complete(desk, chase.id, dt.date(2026, 1, 6))
    sections = frozenset({"feedback", "reminders"})

    closed = pdf_text(
        build_review(
            desk, ReviewRequest(calendar_year(2025), None, "en", sections), tmp_path / "c.pdf"
        )
    )
    assert "Søren Ødegaard ApS Recommendation letter Sent Email 15 Dec 2025 29 Dec 2025" in closed
    assert "Referral" not in closed and "Gern!" not in closed
    assert "20 Dec 2025 overdue Łukasz Wróbel GmbH Custom Mahnen" in closed
    assert "Neue Illustrationen" not in closed  # due 5 Jan 2026

    today = pdf_text(
        build_review(
            desk,
            ReviewRequest(rolling_12_months(MADE_ON), None, "en", sections),
            tmp_path / "t.pdf",
        )
    )
    assert "Łukasz Wróbel GmbH Referral Sent Email 8 Jan 2026" in today
    assert "Mahnen" not in today and "Neue Illustrationen" in today


def test_a_running_year_stands_beside_the_same_time_last_year(
    desk: Database, tmp_path: Path
) -> None:
    """2025 seen from 30 June: 12,000.00 + 3,456.78 + 1,234.56 = 16,691.34 beside 1 Jan –
    30 Jun 2024, which holds nothing (the 2024 invoice is of 31 December)."""
    for lang, expected in (
        (
            "en",
            [
                "Figure 2025 1 Jan 2024 – 30 Jun 2024 Change",
                "Net revenue €16,691.34 €0.00 ▲ +€16,691.34",
                "Each figure beside the same figure in the same time last year, from 1 Jan 2024 "
                "to 30 Jun 2024.",
            ],
        ),
        (
            "de",
            [
                "Kennzahl 2025 01.01.2024 – 30.06.2024 Veränderung",
                "Nettoumsatz 16.691,34 € 0,00 € ▲ +16.691,34 €",
                "Jede Zahl steht neben derselben Zahl im gleichen Zeitraum des Vorjahres, vom "
                "01.01.2024 bis 30.06.2024.",
            ],
        ),
    ):
        request = ReviewRequest(
            calendar_year(2025), dt.date(2025, 6, 30), lang, frozenset({"key_figures"})
        )
        text = pdf_text(build_review(desk, request, tmp_path / f"{lang}.pdf"))
        for line in expected:
            assert line in text, (lang, line)
    total = build_status(
        desk, StatusRequest(as_of=dt.date(2025, 6, 30), period=calendar_year(2025))
    )
    change = comparison.money_change(
        total.total_net_cents,
        total.previous.total_net_cents,
        total.period,
        "en",
        compared=total.previous.period,
    )
    assert change.words == (
        "€16,691.34 more than in the same time last year, from 1 Jan 2024 to 30 Jun 2024 (€0.00)."
    )
    # no change says so in words, not "= ±€0.00"
    for lang, word in (("en", "unchanged"), ("de", "unverändert")):
        same = comparison.money_change(
            total.total_net_cents, total.total_net_cents, total.period, lang
        )
        assert (same.arrow, same.short) == ("=", word)


def test_the_hhi_change_stands_beside_the_hhi(desk: Database, tmp_path: Path) -> None:
    """2025: shares 15,456.78, 1,234.56 and 700.00 of 17,391.34 give an HHI of 88.876² +
    7.099² + 4.025² = 7,965.6 → 7,966, effective clients 10,000 / 7,965.6 = 1.3; 2024 had
    Łukasz alone (10,000): the change −2,034 belongs to the HHI, not to the client count."""
    for lang, line in (
        ("en", "HHI (0–10,000) 7,966 (▼ −2,034) · effective number of clients 1.3"),
        ("de", "HHI (0–10.000) 7.966 (▼ −2.034) · effektive Anzahl Auftraggeber 1,3"),
    ):
        out = year_review(desk, tmp_path / f"{lang}.pdf", lang, sections=frozenset({"dependency"}))
        assert line in pdf_text(out), lang
