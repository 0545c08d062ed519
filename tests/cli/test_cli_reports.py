"""``report`` and ``dossier`` as a user runs them: real PDFs.

The figures the PDF must show are taken from ``status --json`` of the same database and day,
then looked for in the PDF's text in the language's format.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from freelancer_desk import clock
from freelancer_desk.db import open_database
from freelancer_desk.reports.document import Language
from freelancer_desk.services import clients as clients_service
from freelancer_desk.services import interactions as interactions_service
from freelancer_desk.services import revenue as revenue_service
from tests.cli.program import run_in_process as run
from tests.pdf_text import pdf_pages

if TYPE_CHECKING:
    from tests.conftest import BigBook


ROOT = Path(__file__).resolve().parents[2]
A4_POINTS = (595.28, 841.89)


def shown(text: str) -> str:
    """A formatted figure as the PDF's extracted text has it (no-break spaces as spaces)."""
    return " ".join(text.split())


@pytest.fixture
def books(db_path: Path) -> Path:
    """Ørsted Ølbryggeri 9,000 and Łódź Print 3,000.50 in 2025; a complaint for Łódź Print."""
    with open_database(db_path) as db:
        orsted = clients_service.create_client(db, {"name": "Ørsted Ølbryggeri"}).id
        lodz = clients_service.create_client(db, {"name": "Łódź Print", "phone": "+48 42 123"}).id
        for client_id, day, net in [
            (orsted, dt.date(2025, 3, 1), "9000.00"),
            (lodz, dt.date(2025, 8, 15), "3000.50"),
        ]:
            revenue_service.create_entry(
                db, {"client_id": client_id, "invoice_date": day, "net": Decimal(net)}
            )
        interactions_service.create_interaction(
            db,
            {
                "client_id": lodz,
                "date": dt.date(2025, 9, 1),
                "kind": "complaint",
                "mood": -2,
                "notes": "Farben falsch gedruckt, sehr verärgert.",
            },
        )
    return db_path


@pytest.mark.parametrize("lang", ["de", "en"])
def test_report_shows_the_status_figures_in_the_language_format(
    books: Path, tmp_path: Path, lang: str
) -> None:
    out = tmp_path / f"review-{lang}.pdf"
    result = run(
        "report", "--db", str(books), "--as-of", "2025-12-31", "--lang", lang, "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    status = run("status", "--json", "--db", str(books), "--as-of", "2025-12-31")
    assert status.returncode == 0, status.stderr
    doc = json.loads(status.stdout)
    text = "\n".join(pdf_pages(out))
    words = Language(lang)
    # 9,000 + 3,000.50 = 12,000.50; Ørsted 9,000 / 12,000.50 = 75.0 %.
    assert doc["total_net"] == 12000.5
    assert shown(words.money(doc["total_net"])) in text
    for row in doc["clients"]:
        assert row["name"] in text
        assert shown(words.money(row["net"])) in text
        assert shown(words.percent(row["share"])) in text
    assert shown(words.percent(doc["top_payer"]["share"])) in text
    assert shown(words.money(doc["extra_revenue_needed"]["below_half"])) in text
    assert ("75,0 %" if lang == "de" else "75.0%") in text


def test_report_for_a_year_and_a_quarter_is_a4(books: Path, tmp_path: Path) -> None:
    for option, value, title in [
        ("--year", "2025", "Annual review 2025"),
        ("--quarter", "2025-Q3", "Quarterly review Q3 2025"),
    ]:
        out = tmp_path / f"{value}.pdf"
        result = run("--lang", "en", "report", "--db", str(books), option, value, "--out", str(out))
        assert result.returncode == 0, result.stderr
        reader = PdfReader(out)
        assert all(
            (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) == A4_POINTS
            for p in reader.pages
        )
        assert title in pdf_pages(out)[0]


def test_dossier_by_name_ignores_case(books: Path, tmp_path: Path) -> None:
    out = tmp_path / "dossier.pdf"
    result = run(
        "dossier",
        "--db",
        str(books),
        "--client",
        "łódź print",
        "--lang",
        "de",
        "--as-of",
        "2025-12-31",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    brief, file = pdf_pages(out)  # two sheets: the call brief and the client's file
    assert "Łódź Print Gesprächsvorbereitung" in brief
    assert "Kundendossier: Łódź Print" in file and "+48 42 123" in file
    assert "Farben falsch gedruckt, sehr verärgert." in file and "−2" in file
    assert "3.000,50 €" in file  # revenue of the 12 months to 31 Dec 2025


@pytest.mark.parametrize(
    "args, message",
    [
        (["dossier", "--client", "Nobody", "--out", "{tmp}/d.pdf"], "no client named Nobody"),
        (["report", "--year", "2025", "--out", "{tmp}/missing/r.pdf"], "does not exist"),
        (
            ["report", "--year", "2025", "--sections", "revenue,gossip", "--out", "{tmp}/r.pdf"],
            "--sections",
        ),
        (["report", "--quarter", "2025-Q5", "--out", "{tmp}/r.pdf"], "YYYY-Qn"),
        (["report", "--year", "2025", "--out", "{tmp}"], "is a folder; choose a file name"),
        (
            ["dossier", "--client", "Łódź Print", "--out", "{tmp}"],
            "is a folder; choose a file name",
        ),
    ],
)
def test_errors_are_one_line_and_exit_non_zero(
    books: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    result = run("--lang", "en", *[arg.format(tmp=tmp_path) for arg in args], "--db", str(books))
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.pdf")) and not list(tmp_path.rglob("*.partial"))


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs a folder nobody can write to")
def test_a_folder_that_takes_no_files_is_a_message_not_a_crash(books: Path) -> None:
    result = run(
        "--lang", "en", "report", "--db", str(books), "--year", "2025", "--out", "/proc/review.pdf"
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("freelancer-desk: PDF file: /proc/review.pdf cannot be written")


def test_report_of_a_year_as_of_a_day(books: Path, tmp_path: Path) -> None:
    def review(*options: str) -> str:
        out = tmp_path / f"{len(list(tmp_path.iterdir()))}.pdf"
        result = run("--lang", "en", "report", "--db", str(books), *options, "--out", str(out))
        assert result.returncode == 0, result.stderr
        return "\n".join(pdf_pages(out))

    # A closed year is seen from its last day: the same paper as with --as-of that day.
    closed = review("--year", "2025")
    assert closed == review("--year", "2025", "--as-of", "2025-12-31")
    assert "· as of 31 Dec 2025 ·" in closed and "provisional" not in closed
    # Seen from 30 June, Łódź Print's August invoice does not count yet: Ørsted has 100 %.
    mid_year = review("--year", "2025", "--as-of", "2025-06-30")
    assert "provisional, as of 30 Jun 2025" in mid_year
    assert "Net revenue €9,000.00" in mid_year and "Ørsted Ølbryggeri (100.0%)" in mid_year
    assert "€3,000.50" not in mid_year


def test_report_takes_one_period_and_no_day_before_it(books: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "r.pdf")
    both = run("report", "--db", str(books), "--year", "2025", "--quarter", "2025-Q1", "--out", out)
    assert both.returncode == 2 and "not allowed with" in both.stderr
    early = run(
        "--lang",
        "en",
        "report",
        "--db",
        str(books),
        "--year",
        "2025",
        "--as-of",
        "2024-12-31",
        "--out",
        out,
    )
    assert early.returncode == 1 and early.stderr.count("\n") == 1
    assert "--as-of: the day to look from lies before the period starts" in early.stderr
    assert not (tmp_path / "r.pdf").exists()


def test_report_and_dossier_refuse_a_day_after_today(books: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.pdf"
    with clock.pinned(dt.date(2026, 1, 10)):
        for command in (
            ["report", "--year", "2026"],
            ["dossier", "--client", "Łódź Print"],
        ):
            result = run(
                "--lang", "en", *command, "--db", str(books), "--as-of", "2026-02-01", "--out", out
            )
            assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
            assert (
                "Day looked from: 1 Feb 2026 lies after today (10 Jan 2026); figures can only be "
                "seen from today or an earlier day." in result.stderr
            )
            assert not out.exists()


def test_dossier_of_a_year(books: Path, tmp_path: Path) -> None:
    out = tmp_path / "dossier.pdf"
    result = run(
        "--lang",
        "en",
        "dossier",
        "--db",
        str(books),
        "--client",
        "Ørsted Ølbryggeri",
        "--year",
        "2025",
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    brief, file = pdf_pages(out)
    assert "as of 31 Dec 2025" in brief and "provisional" not in brief + file
    assert "Net revenue 2025 €9,000.00" in file


@pytest.mark.slow
def test_review_of_2000_clients_and_100000_entries(big_book: BigBook, tmp_path: Path) -> None:
    """The demo's large book still gives a valid review whose tables split properly."""
    db_path = big_book.path
    out = tmp_path / "big.pdf"
    result = run(
        "--lang", "en", "report", "--db", str(db_path), "--year", "2025", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(out)
    assert len(pages) <= 24  # the largest 15 and "others"; every client only on request
    assert all(f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1))
    status = json.loads(run("status", "--json", "--db", str(db_path), "--year", "2025").stdout)
    full = tmp_path / "full.pdf"
    listed = run(
        "--lang",
        "en",
        "report",
        "--db",
        str(db_path),
        "--year",
        "2025",
        "--sections",
        "all_clients",
        "--out",
        str(full),
    )
    assert listed.returncode == 0, listed.stderr
    table_pages = [page for page in pdf_pages(full) if "# Client 2025 Share 2024 Change" in page]
    assert len(table_pages) >= 10
    text = "\n".join(table_pages)
    assert all(row["name"] in text for row in status["clients"])
