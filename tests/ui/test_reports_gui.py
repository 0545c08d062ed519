"""The Reports page and the client page's Dossier button, driven like a user.

The save dialog is answered through the real QFileDialog; the "system viewer" is a URL handler
for ``file:`` that records what the app asked to open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QWidget,
)

from freelancer_desk import clock
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import revenue as revenue_service
from tests.pdf_text import pdf_pages
from tests.ui.conftest import UrlCatcher, on_next_modal, open_client
from ui.app import apply_language
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.pages.reports import ReportsPage, default_year, file_name, last_complete_quarter


@pytest.fixture
def viewer(catch_urls: Callable[[str], UrlCatcher]) -> UrlCatcher:
    """Stands in for the system's PDF viewer: receives the file URLs the app opens."""
    return catch_urls("file")


@pytest.fixture
def save_as(qtbot) -> Callable[[Path], list[str]]:  # type: ignore[no-untyped-def]
    """Answer the next save dialog with ``path``; returns the list of suggested file names."""

    def arrange(path: Path) -> list[str]:
        def answer(dialog: QFileDialog) -> str:
            suggested = Path(dialog.selectedFiles()[0]).name
            dialog.selectFile(str(path))
            dialog.accept()
            return suggested

        return on_next_modal(QFileDialog, answer)  # type: ignore[return-value]

    return arrange


@pytest.fixture
def books(context: AppContext) -> AppContext:
    """Łukasz 4,000.00 in May 2025 and Ørsted 1,000.00 in June 2025."""
    for name, day, net in [
        ("Łukasz Wróbel GmbH", dt.date(2025, 5, 2), "4000.00"),
        ("Ørsted Ølbryggeri", dt.date(2025, 6, 3), "1000.00"),
    ]:
        client = client_service.create_client(context.db, {"name": name})
        revenue_service.create_entry(
            context.db, {"client_id": client.id, "invoice_date": day, "net": Decimal(net)}
        )
    return context


def pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path))


def test_review_is_written_in_the_background_with_progress_and_opened(
    qtbot,
    books: AppContext,
    tmp_path: Path,
    viewer: UrlCatcher,
    save_as,  # type: ignore[no-untyped-def]
) -> None:
    page = ReportsPage(books)
    qtbot.addWidget(page)
    page.show()
    page.kind.setCurrentIndex(page.kind.findData("quarter"))
    page.quarter_year.setValue(2025)
    page.quarter.setCurrentIndex(page.quarter.findData(2))
    page.review_language.setCurrentIndex(page.review_language.findData("de"))
    page.sections["loyalty"].setChecked(False)
    assert page.quarter.isVisible() and not page.year.isVisible() and not page.as_of.isVisible()
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    out = tmp_path / "review.pdf"
    suggested = save_as(out)

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)

    assert suggested == ["Quartalsrückblick Q2 2025.pdf"]
    text = pdf_text(out)
    # 4,000 + 1,000 = 5,000; Łukasz 4,000 / 5,000 = 80.0 %.
    assert "Quartalsrückblick Q2 2025" in text and "5.000,00 €" in text and "80,0 %" in text
    assert "Ørsted Ølbryggeri" in text
    assert "Loyalitätstypen" not in text
    assert [url.toLocalFile() for url in viewer.urls] == [str(out)]
    assert seen and seen[-1] == 100 and seen == sorted(seen)
    assert not page.progress.isVisible() and page.export_button.isEnabled()
    assert str(out) in page.message.text()


def test_twelve_months_need_a_valid_last_day_and_a_section(
    qtbot,
    books: AppContext,
    answer_message_box,  # type: ignore[no-untyped-def]
) -> None:
    page = ReportsPage(books)
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("rolling"))
    page.as_of.edit.setText("31.13.2025")
    seen = answer_message_box("OK")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert seen and "Last day" in seen[0]
    page.as_of.edit.setText("2025-06-30")
    for box in page.sections.values():
        box.setChecked(False)
    seen = answer_message_box("OK")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert seen and "at least one section" in seen[0]
    page.sections["revenue"].setChecked(True)
    request = page.review_request()
    assert (request.period.start, request.period.last_day) == (
        dt.date(2024, 7, 1),
        dt.date(2025, 6, 30),
    )
    assert request.sections == frozenset({"revenue"})


def test_twelve_months_to_a_day_after_today_are_refused(
    qtbot,
    books: AppContext,
    answer_message_box,  # type: ignore[no-untyped-def]
) -> None:
    with clock.pinned(dt.date(2026, 1, 10)):
        page = ReportsPage(books)
        qtbot.addWidget(page)
        page.kind.setCurrentIndex(page.kind.findData("rolling"))
        page.as_of.edit.setText("2026-01-11")
        seen = answer_message_box("OK")
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
        assert seen and (
            "11 Jan 2026 lies after today (10 Jan 2026); figures can only be seen from today "
            "or an earlier day." in seen[0]
        )
        page.as_of.edit.setText("2026-01-10")
        assert page.review_request().period.last_day == dt.date(2026, 1, 10)


def test_dossier_button_on_the_client_page(
    qtbot,
    books: AppContext,
    window: MainWindow,
    tmp_path: Path,
    viewer: UrlCatcher,
    save_as,  # type: ignore[no-untyped-def]
) -> None:
    open_client(qtbot, window, client_service.find_client(books.db, "Ørsted Ølbryggeri").id)
    button = next(
        b
        for b in window.findChildren(QPushButton)
        if b.text().replace("&", "") == "Print dossier…" and b.isVisible()
    )
    out = tmp_path / "dossier.pdf"
    suggested = save_as(out)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert suggested == ["Client dossier - Ørsted Ølbryggeri.pdf"]
    reader = PdfReader(out)
    assert len(reader.pages) == 2 and "Ørsted Ølbryggeri" in pdf_text(out)  # brief and file
    assert [url.toLocalFile() for url in viewer.urls] == [str(out)]
    assert window.statusBar().currentMessage() == f"Saved as {out}"


@pytest.mark.qt_log_ignore("This plugin does not support QPlatformServices::openDocument")
def test_the_dossier_says_where_it_lies_when_no_viewer_opens(
    qtbot,
    books: AppContext,
    window: MainWindow,
    tmp_path: Path,
    save_as,  # type: ignore[no-untyped-def]
) -> None:
    """Without a PDF viewer (none registered offscreen) the status bar still names the file."""
    open_client(qtbot, window, client_service.find_client(books.db, "Ørsted Ølbryggeri").id)
    button = next(
        b
        for b in window.findChildren(QPushButton)
        if b.text().replace("&", "") == "Print dossier…" and b.isVisible()
    )
    out = tmp_path / "dossier.pdf"
    save_as(out)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert out.exists()
    assert window.statusBar().currentMessage() == (
        f"Saved as {out}. No PDF viewer could be opened; open the file from there."
    )


def test_reports_page_lists_clients_after_a_change(qtbot, books: AppContext) -> None:  # type: ignore[no-untyped-def]
    page = ReportsPage(books)
    qtbot.addWidget(page)
    page.client.setCurrentIndex(page.client.findText("Ørsted Ølbryggeri"))
    assert {page.client.itemText(i) for i in range(page.client.count())} == {
        "Łukasz Wróbel GmbH",
        "Ørsted Ølbryggeri",
    }
    client_service.create_client(books.db, {"name": "Ärztehaus Mitte"})
    page.refresh()
    assert page.client.count() == 3 and page.client.currentText() == "Ørsted Ølbryggeri"


def test_defaults_and_file_names() -> None:
    assert default_year(dt.date(2026, 2, 1)) == 2025 and default_year(dt.date(2026, 11, 22)) == 2026
    assert last_complete_quarter(dt.date(2026, 2, 1)) == (2025, 4)
    assert last_complete_quarter(dt.date(2026, 11, 22)) == (2026, 3)
    assert file_name('Review: A/B "C"?') == "Review - A - B - C.pdf"


def test_the_page_fits_the_smallest_window_in_german(qtbot, qapp, books: AppContext) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, "de")
    window = MainWindow(books)
    qtbot.addWidget(window)
    window.resize(720, 480)
    window.show()
    page = window.show_page("reports")
    page.kind.setCurrentIndex(page.kind.findData("rolling"))
    qapp.processEvents()
    visible = [widget for widget in page.findChildren(QWidget) if widget.isVisible()]
    squeezed = [
        widget.text()
        for widget in visible
        if isinstance(widget, QCheckBox | QPushButton)
        and widget.width() < widget.sizeHint().width()
    ]
    beyond = [
        widget.text()
        for widget in visible
        if isinstance(widget, QLabel)
        and widget.mapTo(page, widget.rect().topRight()).x() > page.width()
    ]
    assert squeezed == [] and beyond == []
    assert page.period_label.buddy() is page.as_of  # Alt+L reaches the last day


def test_the_full_client_list_is_printed_only_when_ticked(qtbot, books: AppContext) -> None:
    page = ReportsPage(books)
    qtbot.addWidget(page)
    assert not page.sections["all_clients"].isChecked()
    assert all(box.isChecked() for key, box in page.sections.items() if key != "all_clients")
    assert "all_clients" not in page.review_request().sections
    page.sections["all_clients"].setChecked(True)
    assert "all_clients" in page.review_request().sections


def test_the_first_save_dialog_opens_in_documents_or_home_not_the_program_folder(
    qtbot, context: AppContext, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QStandardPaths
    from PySide6.QtWidgets import QFileDialog, QWidget

    from ui.pages.reports import FOLDER_KEY, ask_pdf_path

    parent = QWidget()
    qtbot.addWidget(parent)
    documents = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    )
    seen = on_next_modal(QFileDialog, lambda d: (d.directory().absolutePath(), d.reject())[0])
    context.preferences.set_value(FOLDER_KEY, str(tmp_path / "gone"))  # moved away since
    assert ask_pdf_path(parent, context, "Save", "review.pdf") is None
    expected = documents if documents.is_dir() else Path.home()
    assert Path(seen[0]) == expected.resolve()
