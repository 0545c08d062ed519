"""Pages read their data off the GUI thread and show only the newest of their loads.

These tests use the real threaded runner where the point is that the GUI thread stays free: a
task that waits on a gate holds the single worker, so a page's load queues behind it while the
test (on the GUI thread) looks at the page. Where only the outcome matters, the runner that runs
at once keeps them deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
import sys
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QMessageBox,
    QWidget,
    QWizard,
)

from freelancer_desk.db import Database
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import winback as winback_service
from tests.today import TODAY
from tests.ui.conftest import Worker, activate, deleted_later_now, on_next_modal
from ui.app import install_error_hook
from ui.context import AppContext
from ui.dialogs.client_data import MergeClientsDialog
from ui.dialogs.import_wizard import ImportWizard
from ui.dialogs.winback import offer_erasure
from ui.main_window import MainWindow
from ui.models.table import Column, RecordTableModel
from ui.pages.clients import ClientsPage
from ui.pages.dashboard import DashboardPage, KeyFiguresCard
from ui.pages.lost import LostClientsPage
from ui.pages.steps import NextStepsCard
from ui.preferences import Preferences
from ui.record_list import RELEASED_PIECE, RecordList
from ui.runner import Loader, TaskRunner
from ui.widgets import lasting_window

#: Longest wait for the worker in these tests (milliseconds); they pass in far less.
PATIENCE = 10_000
DAY = dt.timedelta(days=1)


@pytest.fixture
def threaded(context: AppContext, worker: Worker) -> AppContext:
    """The test's context with the app's real runner: one background thread."""
    return AppContext(context.db, context.preferences, worker.runner)


def names_shown(page: ClientsPage) -> list[str]:
    return sorted(row.name for row in page.list.model.records())


def test_the_client_list_waits_for_the_worker_and_shows_the_rows_when_they_arrive(
    qtbot, threaded: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    for name in ("Bäckerei Groß", "Atelier Nord"):
        client_service.create_client(threaded.db, {"name": name})
    gate = worker.hold()
    page = ClientsPage(threaded)  # its load waits behind the gate: the page is built anyway
    qtbot.addWidget(page)
    page.show()
    QApplication.processEvents()
    loading = page.list.findChild(QWidget, "loadingState")
    assert loading is not None and loading.isVisible()  # "Loading …", not "No clients yet"
    assert page.list.model.rowCount() == 0
    assert page.list.search.isEnabled()  # the page stays usable meanwhile
    gate.set()
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 2, timeout=PATIENCE)
    assert names_shown(page) == ["Atelier Nord", "Bäckerei Groß"]
    assert not loading.isVisible() and page.list.table.isVisible()


def test_a_second_refresh_supersedes_the_first_so_only_fresh_rows_are_shown(
    qtbot, threaded: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    client_service.create_client(threaded.db, {"name": "Atelier Nord"})
    page = ClientsPage(threaded)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.list.model.rowCount() == 1, timeout=PATIENCE)
    resets: list[int] = []
    page.list.model.modelReset.connect(lambda: resets.append(page.list.model.rowCount()))
    gate = worker.hold()
    page.refresh()  # reads one client, once the worker is free
    client_service.create_client(threaded.db, {"name": "Bäckerei Groß"})
    page.refresh()  # reads both
    gate.set()
    qtbot.waitUntil(lambda: not threaded.runner.busy(), timeout=PATIENCE)
    assert resets == [2]  # the older load never showed its one row
    assert names_shown(page) == ["Atelier Nord", "Bäckerei Groß"]


def test_an_older_load_that_finishes_after_a_newer_one_started_is_dropped(
    qtbot, threaded: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    owner = QWidget()
    qtbot.addWidget(owner)
    shown: list[str] = []
    loader: Loader[str] = Loader(owner, threaded.runner, shown.append)
    started, release = threading.Event(), worker.gate()

    def slow_old_read() -> str:
        started.set()
        release.wait(PATIENCE / 1000)
        return "old"

    loader.load(slow_old_read)
    assert started.wait(PATIENCE / 1000)  # the old read runs on the worker now
    loader.load(lambda: "new")
    release.set()
    qtbot.waitUntil(lambda: not threaded.runner.busy(), timeout=PATIENCE)
    assert shown == ["new"]
    assert not loader.loading


def test_a_failed_load_reaches_the_error_hook_with_its_message(
    qapp: QApplication, qtbot, threaded: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    errors = install_error_hook(qapp, smoke=False)
    seen = on_next_modal(QMessageBox, lambda box: (box.text(), box.close()))
    owner = QWidget()
    qtbot.addWidget(owner)
    busy: list[bool] = []

    def read() -> str:
        raise KeyError("client 17")

    loader: Loader[str] = Loader(owner, threaded.runner, lambda _text: None, busy=busy.append)
    loader.load(read)
    qtbot.waitUntil(lambda: bool(seen), timeout=PATIENCE)
    assert isinstance(errors[0], KeyError)
    text = seen[0][0]  # type: ignore[index]
    assert text.startswith("Something unexpected went wrong: 'client 17'")
    assert busy == [True, False]  # the busy state ends also on failure


def test_the_lost_clients_page_reads_its_four_tables_on_the_worker(
    qtbot, threaded: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    client = client_service.create_client(threaded.db, {"name": "Müller & Söhne GmbH"})
    for days_ago in (40, 100):
        revenue_service.create_entry(
            threaded.db,
            {"client_id": client.id, "invoice_date": TODAY - days_ago * DAY, "net": "2500.00"},
        )
    loss = loss_service.mark_lost(
        threaded.db,
        {
            "client_id": client.id,
            "lost_on": TODAY - 5 * DAY,
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    winback_service.open_case(threaded.db, loss.id)
    gate = worker.hold()
    page = LostClientsPage(threaded)  # built at once; its tables wait for the worker
    qtbot.addWidget(page)
    page.show()
    QApplication.processEvents()
    loading = page.losses.findChild(QWidget, "loadingState")
    assert loading is not None and loading.isVisible()  # "Loading …", not "No lost clients"
    tables = (page.losses, page.candidates, page.controlling, page.loyalty)
    assert [table.model.rowCount() for table in tables] == [0, 0, 0, 0]
    gate.set()
    qtbot.waitUntil(lambda: not threaded.runner.busy(), timeout=PATIENCE)
    [lost] = page.losses.model.records()
    assert (lost.client_name, lost.revenue_12m_before) == ("Müller & Söhne GmbH", Decimal(5000))
    assert [c.loss.client_name for c in page.candidates.model.records()] == [lost.client_name]
    total = page.controlling.model.records()[0]
    assert (total.name, total.figures.cases, total.figures.won_back) == ("All cases", 1, 0)
    # The client counts in the loyalty overview: 1 client, 5,000 in the last 12 months.
    assert sum(row.clients for row in page.loyalty.model.records()) == 1
    assert sum(row.net for row in page.loyalty.model.records()) == Decimal(5000)
    assert not loading.isVisible() and page.losses.table.isVisible()


def test_a_client_deleted_meanwhile_returns_from_its_page_to_the_list(
    qtbot, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    gone = client_service.create_client(context.db, {"name": "Atelier Nord"})
    page = ClientsPage(context)
    qtbot.addWidget(page)
    page.show_client(gone.id)
    assert page.currentWidget() is page.detail
    assert page.detail is not None and page.detail.title.text() == "Atelier Nord"
    client_service.delete_client(context.db, gone.id)
    page.refresh()
    assert page.currentWidget() is page.list
    assert page.list.model.rowCount() == 0


def test_the_next_client_s_page_shows_nothing_of_the_last_one_while_it_loads(
    qtbot, threaded: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    first = client_service.create_client(threaded.db, {"name": "Bäckerei Groß"})
    second = client_service.create_client(threaded.db, {"name": "Atelier Nord"})
    for client, nets in ((first, ("1200.00", "800.00")), (second, ("450.00",))):
        for number, net in enumerate(nets, start=1):
            revenue_service.create_entry(
                threaded.db,
                {"client_id": client.id, "invoice_date": TODAY - number * 30 * DAY, "net": net},
            )
    page = ClientsPage(threaded)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    page.show_client(first.id)
    detail = page.detail
    assert detail is not None
    qtbot.waitUntil(lambda: detail.revenue.table.isVisible(), timeout=PATIENCE)
    assert detail.title.text() == "Bäckerei Groß"
    assert detail.revenue.model.rowCount() == 2
    qtbot.waitUntil(lambda: detail.header.chart.drawn is not None, timeout=PATIENCE)
    assert detail.revenue_total.text() == "2 entries, net total €2,000.00"
    detail.revenue.search.setText("1,200")
    assert detail.revenue_total.text() == "1 entry, net total €1,200.00"  # what is shown
    facts = detail._facts_area.verticalScrollBar()
    facts.setMaximum(100)  # the user scrolled the first client's facts down
    facts.setValue(100)

    gate = worker.hold()
    page.show_client(second.id)
    QApplication.processEvents()
    assert page.detail is detail  # the page is built once and shows each client in turn
    assert page.currentWidget() is detail
    assert not detail.title.isVisible() and not detail.revenue.table.isVisible()
    assert detail.revenue.model.rowCount() == 0  # the first client's entries are gone
    assert detail.header.chart.drawn is None  # and so is their chart
    assert facts.value() == 0  # the next client's facts show from the top
    loading = [hint for hint in detail.findChildren(QLabel) if hint.isVisible()]
    assert [hint.text() for hint in loading] == ["Loading …"]
    activate(qtbot, page)  # keys go to the window: the client's entries get them once shown
    gate.set()
    qtbot.waitUntil(lambda: detail.revenue.table.isVisible(), timeout=PATIENCE)
    assert detail.title.text() == "Atelier Nord"
    assert detail.revenue.search.text() == ""  # the last client's search does not hide rows
    assert detail.revenue.proxy.rowCount() == 1
    assert detail.revenue_total.text() == "1 entry, net total €450.00"
    assert detail.revenue.table.hasFocus()
    qtbot.waitUntil(lambda: detail.header.chart.drawn is not None, timeout=PATIENCE)
    [bars] = [detail.header.chart.drawn.axes[0].patches]  # type: ignore[union-attr]
    assert sum(bar.get_height() for bar in bars) == 450  # the second client's revenue

    detail.revenue.search.setFocus()
    detail.revenue.search.setText("zzz")
    qtbot.keyClick(detail.revenue.search, Qt.Key.Key_Escape)  # the first Esc clears the search
    assert detail.revenue.search.text() == "" and page.currentWidget() is detail
    qtbot.keyClick(detail.revenue.search, Qt.Key.Key_Escape)  # the second goes back
    assert page.currentWidget() is page.list


def test_the_client_page_is_built_in_pieces_while_the_list_is_shown(
    qtbot, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    client = client_service.create_client(context.db, {"name": "Atelier Nord"})
    page = ClientsPage(context)  # its rows arrive at once: the client's page is begun
    qtbot.addWidget(page)
    page.show()
    turns = 0
    while page.detail is None or not page.detail.complete:  # a piece per turn of the loop
        QApplication.processEvents()
        turns += 1
    assert turns >= 5
    detail = page.detail
    assert page.currentWidget() is page.list
    page.show_client(client.id)
    assert page.detail is detail and page.currentWidget() is detail
    assert detail.title.text() == "Atelier Nord"


def test_merging_runs_in_the_background_and_closes_when_done(
    qtbot, threaded: AppContext, worker: Worker, answer_message_box: Callable[[str], list[str]]
) -> None:  # type: ignore[no-untyped-def]
    keep = client_service.create_client(threaded.db, {"name": "Bäckerei Groß"})
    other = client_service.create_client(threaded.db, {"name": "Baeckerei Gross"})
    dialog = MergeClientsDialog(threaded, keep.id, other.id)
    qtbot.addWidget(dialog)
    dialog.show()
    gate = worker.hold()
    answer_message_box("Merge")
    dialog.do_merge()  # returns at once: the merge waits for the worker
    assert dialog.merging and dialog.progress.isVisible()
    assert not dialog.buttons.isEnabled() and not dialog.keep.isEnabled()
    dialog.reject()  # Escape while merging: the dialog stays
    assert dialog.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=PATIENCE)
    assert dialog.result() == MergeClientsDialog.DialogCode.Accepted
    assert dialog.backup is not None and dialog.backup.exists()
    assert [name for _id, name in client_service.client_names(threaded.db)] == ["Bäckerei Groß"]


def test_a_refused_merge_says_why_below_the_choices(
    qtbot, db: Database, preferences: Preferences, answer_message_box: Callable[[str], list[str]]
) -> None:  # type: ignore[no-untyped-def]
    context = AppContext(db, preferences, TaskRunner(immediate=True))
    keep = client_service.create_client(db, {"name": "Bäckerei Groß"})
    other = client_service.create_client(db, {"name": "Baeckerei Gross"})
    dialog = MergeClientsDialog(context, keep.id, other.id)
    qtbot.addWidget(dialog)
    client_service.delete_client(db, other.id)  # gone before the user clicks Merge
    answer_message_box("Merge")
    dialog.do_merge()
    assert not dialog.merging and dialog.error.text()
    assert dialog.keep.isEnabled() and dialog.buttons.isEnabled()


@dataclass(frozen=True)
class Entry:
    client: str
    net: int


ENTRY_COLUMNS = [
    Column("Client", lambda e: e.client),
    Column("Net", lambda e: str(e.net), lambda e: e.net, numeric=True),
]
ENTRIES = [Entry("Kunde 10", 5), Entry("Ülker", 70), Entry("Bäckerei", 12), Entry("Kunde 2", 40)]


def shown_clients(model: RecordTableModel[Entry]) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_rows_sorted_in_the_background_show_in_the_order_the_user_chose(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model: RecordTableModel[Entry] = RecordTableModel(ENTRY_COLUMNS)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_records(model.presort(ENTRIES))  # sorted on the worker, by net, largest first
    qtmodeltester.check(model)
    assert shown_clients(model) == ["Ülker", "Kunde 2", "Bäckerei", "Kunde 10"]
    presorted = model.presort(ENTRIES)
    model.sort(0, Qt.SortOrder.AscendingOrder)  # the user sorts by client meanwhile
    model.set_records(presorted)
    assert shown_clients(model) == ["Bäckerei", "Kunde 2", "Kunde 10", "Ülker"]


def test_records_a_list_lets_go_of_are_freed_on_the_worker(qtbot, preferences) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    rows = RecordList(ENTRY_COLUMNS, "entries", preferences, "No entries", runner=runner)
    qtbot.addWidget(rows)
    many = [Entry(f"Kunde {number}", number) for number in range(3 * RELEASED_PIECE)]
    first = rows.model.presort(many)
    rows.set_records(first)
    rows.set_records(first)  # the same rows again: nothing of them is let go of
    qtbot.waitUntil(lambda: not runner.busy())
    assert len(first.shown) == len(many) and rows.model.rowCount() == len(many)
    rows.set_records(rows.model.presort(ENTRIES))
    qtbot.waitUntil(lambda: not runner.busy())
    assert first.shown == [] and first.haystacks == []  # emptied there, a piece at a time
    assert shown_clients(rows.model) == ["Bäckerei", "Kunde 2", "Kunde 10", "Ülker"]
    runner.wait()


def wizard_on_file(qtbot, context: AppContext, path: Path) -> ImportWizard:
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    return wizard


def next_button(wizard: ImportWizard) -> QAbstractButton:
    return wizard.button(QWizard.WizardButton.NextButton)


def test_the_import_wizard_reads_the_file_on_the_worker_and_moves_on_when_read(
    qtbot, threaded: AppContext, worker: Worker, tmp_path: Path
) -> None:
    path = tmp_path / "rechnungen.csv"
    path.write_text(
        "Kunde;Nr.;Datum;Netto\nAtelier Nord;R-1;01.03.2025;1.200,00\n"
        "Bäckerei Groß;R-2;02.03.2025;80,50\n",
        encoding="utf-8",
    )
    wizard = wizard_on_file(qtbot, threaded, path)
    page = wizard.file_page
    gate = worker.hold()
    wizard.next()  # returns at once: the file waits for the worker
    QApplication.processEvents()
    assert wizard.currentPage() is page
    assert page.reading_note.isVisible() and page.reading_note.text() == "Reading rechnungen.csv …"
    assert page.reading_bar.isVisible()
    assert not next_button(wizard).isEnabled() and not page.path.isEnabled()
    wizard.next()  # pressed again meanwhile (Enter): it still waits for the same read
    gate.set()
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview, timeout=PATIENCE)
    assert wizard.table is not None and len(wizard.table.rows) == 2
    assert wizard.path == path and wizard.kind == "revenue"
    assert not page.reading_note.isVisible() and page.path.isEnabled()


def test_a_file_the_worker_cannot_read_is_explained_on_the_first_page(
    qtbot, threaded: AppContext, tmp_path: Path
) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    wizard = wizard_on_file(qtbot, threaded, path)
    wizard.next()
    qtbot.waitUntil(lambda: not threaded.runner.busy(), timeout=PATIENCE)
    page = wizard.file_page
    assert wizard.currentPage() is page
    assert "save the sheet as CSV" in page.error.text()
    assert not page.reading_note.isVisible()
    assert next_button(wizard).isEnabled() and page.path.isEnabled()


def test_cancel_while_the_file_is_read_closes_the_wizard_and_hears_no_more_of_it(
    qtbot, threaded: AppContext, worker: Worker, tmp_path: Path
) -> None:
    path = tmp_path / "book.xlsx"  # refused once read: the refusal must not arrive any more
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    wizard = wizard_on_file(qtbot, threaded, path)
    gate = worker.hold()
    wizard.next()
    wizard.reject()  # Cancel (or Escape) while the file waits for the worker
    assert not wizard.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: not threaded.runner.busy(), timeout=PATIENCE)
    assert wizard.file_page.error.text() == "" and wizard.table is None


def test_the_dashboard_shows_its_figures_before_the_step_plan_is_ready(
    qtbot, threaded: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    client = client_service.create_client(threaded.db, {"name": "Atelier Nord"})
    revenue_service.create_entry(
        threaded.db, {"client_id": client.id, "invoice_date": TODAY - 30 * DAY, "net": "900.00"}
    )
    page = DashboardPage(threaded)  # its status load is queued first
    gate = worker.hold()  # then the gate: the step plan must wait behind it
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.status is not None, timeout=PATIENCE)
    figures = next(card for card in page.cards if isinstance(card, KeyFiguresCard))
    steps = next(card for card in page.cards if isinstance(card, NextStepsCard))
    assert "Atelier Nord" in figures.top.text()  # the figures are painted ...
    assert steps.summary.text() == "Loading …"  # ... while the plan is still to come
    gate.set()
    qtbot.waitUntil(lambda: steps.summary.text() != "Loading …", timeout=PATIENCE)
    shown = steps.summary.text()
    # The data change: the plan shown is the old one until the new one is ready, and says so.
    gate = worker.hold()
    assert page.status is not None
    page.show_status(dataclasses.replace(page.status))
    assert steps.summary.text() == "Updating the plan …"
    gate.set()
    qtbot.waitUntil(lambda: steps.summary.text() == shown, timeout=PATIENCE)


def _deleted_now(widget: QWidget) -> None:
    """What Qt deletes later (a closed dialog, a client's page left) is deleted now."""
    deleted_later_now()
    assert not shiboken6.isValid(widget)


def test_work_begun_in_a_dialog_or_a_client_s_page_reports_in_the_main_window(
    qtbot,  # type: ignore[no-untyped-def]
    context: AppContext,
) -> None:
    """A PDF, an export or an erasure may end after its dialog closed or the user left the
    client's page (both are deleted then): they report in the window that outlives them."""
    client = client_service.create_client(context.db, {"name": "Atelier Nord"})
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.show_client(client.id)
    page = window.clients_page().detail
    assert page is not None
    dialog = QDialog(page)
    assert lasting_window(page) is window
    assert lasting_window(dialog) is window
    assert lasting_window(QDialog()) is not window  # a dialog of its own is its own window


def test_an_erasure_begun_in_a_closed_win_back_case_reports_in_the_window(
    qtbot,  # type: ignore[no-untyped-def]
    threaded: AppContext,
    worker: Worker,
) -> None:
    client = client_service.create_client(threaded.db, {"name": "Atelier Nord"})
    window = MainWindow(threaded)
    qtbot.addWidget(window)
    window.show()
    case = QDialog(window)  # stands for the win-back case, which closes once erasing begins
    gate = worker.hold()
    on_next_modal(QMessageBox, lambda box: _click(box, "Erase"))
    assert offer_erasure(case, threaded, client.id, client.name)
    case.deleteLater()
    _deleted_now(case)
    report = on_next_modal(QMessageBox, lambda box: (box.objectName(), box.parent(), box.accept()))
    gate.set()
    qtbot.waitUntil(lambda: bool(report))
    assert report[0][:2] == ("erasureReport", window)
    qtbot.waitUntil(lambda: not threaded.runner.busy())


def _click(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    button.click()


@dataclass(frozen=True)
class Kept:
    id: int
    client: str
    net: int


def test_the_selected_record_stays_selected_when_the_list_reloads(qtbot, preferences) -> None:  # type: ignore[no-untyped-def]
    """After an edit the page reloads its list: the edited record stays chosen."""
    rows = RecordList(ENTRY_COLUMNS, "kept", preferences, "No entries")
    qtbot.addWidget(rows)
    rows.set_records([Kept(1, "Bäckerei", 12), Kept(2, "Ülker", 70)])
    rows.select_where(lambda record: record.id == 2)
    rows.set_records([Kept(1, "Bäckerei", 12), Kept(2, "Ülker GmbH", 75), Kept(3, "Neu", 1)])
    assert rows.selected() == Kept(2, "Ülker GmbH", 75)
    rows.set_records([Kept(1, "Bäckerei", 12), Kept(3, "Neu", 1)])  # gone (deleted): the
    assert rows.selected() == Kept(3, "Neu", 1)  # row now in its place is chosen
    rows.set_records([Kept(1, "Bäckerei", 12)])  # the last row gone: the one before it
    assert rows.selected() == Kept(1, "Bäckerei", 12)
    rows.set_records([])
    assert rows.selected() is None


def test_the_dashboard_shows_its_figures_before_they_are_kept_in_the_file(
    qtbot, context: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    """Encoding and writing the document took a third of a first computation; the figures
    show first, and the worker keeps them afterwards (before its next task)."""
    client = client_service.create_client(context.db, {"name": "Atelier Nord"})
    revenue_service.create_entry(
        context.db, {"client_id": client.id, "invoice_date": TODAY - 30 * DAY, "net": "900.00"}
    )
    runner, gate = worker.runner, worker.gate()
    runner.after_each_task(lambda: gate.wait(PATIENCE / 1000))  # before the context's: keeping
    threaded = AppContext(context.db, context.preferences, runner)
    page = DashboardPage(threaded)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.status is not None, timeout=PATIENCE)
    figures = next(card for card in page.cards if isinstance(card, KeyFiguresCard))
    assert "Atelier Nord" in figures.top.text()
    assert kept_keys(context.db) == []  # shown, not kept yet
    gate.set()
    qtbot.waitUntil(lambda: any("status" in key for key in kept_keys(context.db)), timeout=PATIENCE)


def kept_keys(db: Database) -> list[str]:
    """The keys of the documents kept in the file now."""
    with closing(sqlite3.connect(db.path)) as conn:
        return [key for (key,) in conn.execute("SELECT key FROM kept_document")]
