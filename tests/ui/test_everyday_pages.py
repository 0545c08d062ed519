"""Everyday pages as a new user walks them: what a footer sums, where the sidebar leads, room
for the step plan and the import preview, the menus the hints name, a lost client's status
line, and the focus after a quick Return and Esc."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextDocumentFragment
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from freelancer_desk import formatting
from freelancer_desk.analytics.recurrence import DueGroup
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services.revenue import RevenueRow
from tests.today import TODAY
from tests.ui.conftest import Worker, activate, on_next_modal, open_client
from ui import registry
from ui.app import apply_language
from ui.context import AppContext
from ui.dialogs.help import manual_html
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.pages.clients import ClientsPage
from ui.pages.dashboard import KeyFiguresCard
from ui.pages.reminders import RemindersPage
from ui.pages.revenue import RevenuePage, revenue_list
from ui.record_list import SUMMED_HERE

DAY = dt.timedelta(days=1)
#: Longest wait for the worker (milliseconds); the tests pass in far less.
PATIENCE = 10_000


def _entries(context: AppContext, nets: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Clients with their invoices (one a month back from today); their ids by name."""
    ids = {}
    for name, amounts in nets.items():
        client = client_service.create_client(context.db, {"name": name})
        ids[name] = client.id
        for months, net in enumerate(amounts, start=1):
            revenue_service.create_entry(
                context.db,
                {"client_id": client.id, "invoice_date": TODAY - months * 30 * DAY, "net": net},
            )
    return ids


def test_the_revenue_footer_sums_the_entries_the_search_shows(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    _entries(
        context,
        {
            "Hanse Logistik Nord": ("1200.00", "-200.00"),
            "Café Süd": ("450.50",),
            "Nordwind Reisen": ("99.99",),
        },
    )
    page = RevenuePage(context)
    qtbot.addWidget(page)
    page.show()
    assert page.total.isVisible()
    assert page.total.text() == "4 entries, net total €1,550.49"  # 1200 − 200 + 450.50 + 99.99

    page.list.search.setText("nord")
    assert page.list.proxy.rowCount() == 3
    assert page.total.text() == "3 entries, net total €1,099.99"  # 1200 − 200 + 99.99
    page.list.search.setText("nord 99")  # typing on narrows within the hits
    assert page.total.text() == "1 entry, net total €99.99"
    page.list.search.setText("nichts davon")
    assert page.total.text() == "0 entries, net total €0.00"
    page.list.search.clear()
    assert page.total.text() == "4 entries, net total €1,550.49"

    apply_language(qapp, "de")
    page.list.search.setText("süd")
    assert page.total.text() == "1 Eintrag, netto gesamt 450,50\xa0€"
    page.refresh()  # a reload keeps the search, and the footer follows it
    assert page.list.search.text() == "süd"
    assert page.total.text() == "1 Eintrag, netto gesamt 450,50\xa0€"


def test_an_overdue_invoice_without_a_due_date_says_what_it_is_judged_by(  # type: ignore[no-untyped-def]
    qtbot, qapp, context
) -> None:
    """No due date: the Due date column shows the day the payment term (14 days by default)
    makes the invoice due, marked as such, and its tooltip says how; it stood empty beside a
    red "overdue" row."""
    client = client_service.create_client(context.db, {"name": "Spätzahler GmbH"})
    invoiced = TODAY - 40 * DAY
    for day, paid in ((TODAY - 90 * DAY, TODAY - 70 * DAY), (invoiced, None)):
        revenue_service.create_entry(
            context.db,
            {"client_id": client.id, "invoice_date": day, "net": "500.00", "paid_date": paid},
        )
    for lang, mark, words in (
        ("en", "(term)", "payment term of 14 days"),
        ("de", "(Ziel)", "Zahlungsziel von 14 Tagen"),
    ):
        apply_language(qapp, lang)
        page = RevenuePage(context)
        qtbot.addWidget(page)
        page.show()
        proxy = page.list.proxy
        due = next(
            column
            for column in range(proxy.columnCount())
            if proxy.headerData(column, Qt.Orientation.Horizontal) in ("Due date", "Fällig am")
        )
        row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 5).data() == "")
        cell = proxy.index(row, due)
        assert cell.data() == f"{formatting.date(invoiced + 14 * DAY)} {mark}"
        tip = cell.data(Qt.ItemDataRole.ToolTipRole)
        assert words in tip and ("26" in tip.splitlines()[0])  # overdue by 40 − 14 days


def test_a_long_revenue_list_sums_the_search_once_the_typing_pauses(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    # 9,000 entries of 1.00 each, every third of "Nordwind": more than a keystroke sums at once.
    rows = [
        RevenueRow(
            id=number,
            client_id=1 + number % 3,
            client_name="Nordwind Reisen" if number % 3 == 0 else "Café Süd",
            invoice_number=f"RE-{number}",
            invoice_date=TODAY - number * DAY // 10,
            net_cents=100,
            gross_cents=None,
            due_date=None,
            paid_date=None,
            note=None,
        )
        for number in range(9_000)
    ]
    entries = revenue_list(context, "revenue", "")
    qtbot.addWidget(entries)
    entries.set_records(rows, summed="9,000 entries, net total €9,000.00")
    assert entries.footer.text() == "9,000 entries, net total €9,000.00"  # as read with them
    entries.search.setText("süd")
    assert entries.proxy.rowCount() == 6_000 > SUMMED_HERE
    assert entries.footer.text() == "9,000 entries, net total €9,000.00"  # typing goes on
    qtbot.waitUntil(lambda: entries.footer.text() == "6,000 entries, net total €6,000.00")
    entries.search.setText("nordwind")  # few enough to sum at once
    assert entries.footer.text() == "3,000 entries, net total €3,000.00"
    entries.search.clear()
    assert entries.footer.text() == "9,000 entries, net total €9,000.00"


def test_clients_in_the_sidebar_leads_back_to_the_list_from_a_client_s_page(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    ids = _entries(window.context, {"Atelier Nord": ("100.00",), "Bäckerei Groß": ("50.00",)})
    page = window.clients_page()
    nav = window.nav
    clients_item = nav.item(next(i for i, s in enumerate(registry.PAGES) if s.key == "clients"))

    for leave in ("click", "shortcut"):
        activate(qtbot, window)
        detail = open_client(qtbot, window, ids["Bäckerei Groß"])
        assert page.currentWidget() is detail
        if leave == "click":  # on the entry already chosen
            assert nav.currentItem() is clients_item
            qtbot.mouseClick(
                nav.viewport(),
                Qt.MouseButton.LeftButton,
                pos=nav.visualItemRect(clients_item).center(),
            )
        else:
            QTest.keyClick(
                QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier
            )
        assert page.currentWidget() is page.list, leave
        assert page.list.selected().name == "Bäckerei Groß", leave  # the last client, chosen
        assert leave == "click" or page.list.table.hasFocus()  # a click leaves it on the sidebar

    activate(qtbot, window)
    page.list.table.setFocus()
    page.list.table.selectRow(0)  # the list already shown keeps the row the user chose
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert page.list.selected().name == "Atelier Nord"


@pytest.mark.xfail(
    strict=False,
    reason="offscreen, the page sometimes cannot be made the active window again once its "
    "list has loaded (Return, the window's shortcut, then opens nothing); passes alone, "
    "fails now and then among the other tests: the cause is not found yet",
)
def test_return_and_esc_in_quick_succession_leave_the_focus_on_the_same_row(
    qtbot, context: AppContext, worker: Worker
) -> None:  # type: ignore[no-untyped-def]
    _entries(context, {"Atelier Nord": ("100.00",), "Bäckerei Groß": ("50.00",)})
    runner = worker.runner  # the app's own: the client's page is read on its worker
    threaded = AppContext(context.db, context.preferences, runner)
    page = ClientsPage(threaded)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    activate(qtbot, page)
    qtbot.waitUntil(lambda: page.list.proxy.rowCount() == 2, timeout=PATIENCE)
    table = page.list.table
    table.setFocus()
    page.list.choose_row(1)

    gate = worker.hold()  # the worker is busy: Esc comes before the client's data
    qtbot.keyClick(table, Qt.Key.Key_Return)
    detail = page.detail
    assert detail is not None and page.currentWidget() is detail
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert page.currentWidget() is page.list
    # Offscreen, the window goes inactive once the focused list hides (a real one stays
    # active): active again, as it is for the user when the client's data arrive.
    activate(qtbot, page)
    assert QApplication.focusWidget() is table
    gate.set()
    qtbot.waitUntil(lambda: detail.client is not None, timeout=PATIENCE)  # read and shown
    worker.finish()
    qtbot.wait(50)  # the turns after the data arrived, where the page used to take the focus

    assert page.currentWidget() is page.list
    assert QApplication.focusWidget() is table
    assert page.list.selected().name == "Bäckerei Groß"
    qtbot.keyClick(table, Qt.Key.Key_Up)  # the keys go on from there
    assert page.list.selected().name == "Atelier Nord"


def test_a_lost_client_s_status_line_names_the_loss_once(qtbot, qapp, window) -> None:  # type: ignore[no-untyped-def]
    ids = _entries(window.context, {"Bäckerei Groß": ("1200.00", "800.00")})
    lost_on = TODAY - 10 * DAY
    loss_service.mark_lost(
        window.context.db,
        {
            "client_id": ids["Bäckerei Groß"],
            "lost_on": lost_on,
            "loss_type": "pushed",
            "reason_code": "price_too_high",
        },
    )
    expected = {
        "en": f"Lost on {formatting.date(lost_on, 'en')} (Left because of us), reason: ",
        "de": f"Verloren am {formatting.date(lost_on, 'de')} (Vergrault), Grund: ",
    }
    for lang, words in (("en", "Lost"), ("de", "Verloren")):
        apply_language(qapp, lang)
        header = open_client(qtbot, window, ids["Bäckerei Groß"]).header
        line = QTextDocumentFragment.fromHtml(header.status.text()).toPlainText()
        assert line.startswith(expected[lang]), line
        assert line.count(words) == 1, line  # not "Lost — Lost on …"
        # The step plan keeps its words: the win-back step says why with "Lost on …".
        assert header.panel.why.text().startswith(expected[lang])


def test_the_empty_pages_name_the_import_as_the_file_menu_calls_it(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    for lang, named in (
        ("en", "File ▸ Import (CSV, e-invoices, bank statement)"),
        ("de", "Datei ▸ Importieren (CSV, E-Rechnungen, Kontoauszug)"),
    ):
        apply_language(qapp, lang)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        file_menu = window.menuBar().actions()[0]
        [entry] = [
            action
            for action in file_menu.menu().actions()
            if action.shortcut() == QKeySequence("Ctrl+I")
        ]
        in_menu = f"{file_menu.text()} ▸ {entry.text()}".replace("&", "")
        assert in_menu.removesuffix("…").rstrip() == named  # the menus as they are now
        named = named.replace(" ▸", "\N{NO-BREAK SPACE}▸")  # "File ▸" kept on one line

        dashboard = window.page("dashboard")
        [figures] = [card for card in dashboard.cards if isinstance(card, KeyFiguresCard)]
        qtbot.waitUntil(lambda figures=figures, named=named: named in figures.top.text())
        revenue = window.page("revenue").list.empty.text()
        clients = window.page("clients").list.empty.text()
        for hint in (figures.top.text(), revenue, clients, manual_html()):
            assert named in hint
        assert (
            "Add invoices on the Revenue page" in figures.top.text()
            if lang == "en"
            else "auf der Seite „Umsatz“" in figures.top.text()
        )
        window.close()


INVOICE_LIST = """Kunde;Rechnungsnummer;Rechnungsdatum;Fällig am;Bezahlt am;Netto;Leistung
Hanse Logistik Nord GmbH & Co. KG;RE-2026-0117;05.05.2026;19.05.2026;20.05.2026;4.190,00 €;\
Konzeption und Umsetzung der neuen Unternehmenswebsite inklusive Barrierefreiheitsprüfung
Café Fräulein Süß;RE-2026-0118;06.05.2026;20.05.2026;;450,50 €;Speisekarte gestaltet
Architekturbüro Sommerfeld & Partner mbB;RE-2026-0119;30.06.2026;14.07.2026;01.07.2026;\
2.310,00 €;Fotografie Referenzprojekte, Bildbearbeitung und Lizenz für Print und Web
"""


def test_the_import_preview_of_an_invoice_list_fits_the_width(
    qtbot, qapp, context, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "rechnungen.csv"
    path.write_text(INVOICE_LIST, encoding="utf-8")
    apply_language(qapp, "de")
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()  # its own size, 940 pixels wide: it fits a 1024×640 screen
    wizard.file_page.path.setText(str(path))
    for button in wizard.file_page.kinds.buttons():
        button.setChecked(button.property("kind") == "revenue")
    wizard.next()
    assert wizard.currentPage() is wizard.preview
    view, model = wizard.preview.view, wizard.preview.model
    qtbot.waitUntil(lambda: view.viewport().width() > 600)
    qapp.processEvents()
    assert model.columnCount() == 7
    assert view.horizontalScrollBar().maximum() == 0  # no sideways scrolling
    metrics = view.fontMetrics()
    for column in range(model.columnCount() - 1):  # amounts, dates, numbers whole
        widest = max(
            metrics.horizontalAdvance(model.index(row, column).data())
            for row in range(model.rowCount())
        )
        if column > 0:  # the names and the service may be cut
            assert view.columnWidth(column) >= widest, column
    service = model.index(0, 6)
    assert view.columnWidth(6) < metrics.horizontalAdvance(service.data())  # cut with "…"
    assert service.data(Qt.ItemDataRole.ToolTipRole).endswith("Barrierefreiheitsprüfung")

    wizard.resize(1300, 640)  # wider: the cut texts get the room
    qtbot.waitUntil(
        lambda: view.columnWidth(0) >= metrics.horizontalAdvance(model.index(2, 0).data())
    )


def test_the_step_plan_gets_the_room_the_few_reminders_leave(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    for number in range(12):  # their one invoice was 200 days ago: all asleep now
        client = client_service.create_client(context.db, {"name": f"Kunde {number:02d}"})
        revenue_service.create_entry(
            context.db,
            {"client_id": client.id, "invoice_date": TODAY - 200 * DAY, "net": "800.00"},
        )
    for days in (1, 8):
        reminders_service.create_reminder(
            context.db, {"client_id": None, "due_on": TODAY + days * DAY, "purpose": "custom"}
        )
    apply_language(qapp, "de")
    page = RemindersPage(context)
    qtbot.addWidget(page)
    page.resize(1160, 700)  # the page in a 1366×768 window
    page.show()
    qtbot.waitUntil(lambda: page.steps.proxy.rowCount() == 13)  # and time for new clients
    qapp.processEvents()

    assert page.list.proxy.rowCount() == 2
    steps = page.steps.table
    assert steps.verticalScrollBar().maximum() == 0  # all 13 steps shown, none cut
    assert page.list.table.verticalScrollBar().maximum() == 0  # and both reminders
    top, plan = page.splitter.sizes()
    assert plan > 2 * top

    page.resize(1160, 500)  # lower: the plan keeps at least half
    qapp.processEvents()
    top, plan = page.splitter.sizes()
    assert plan >= top


def test_deleting_a_client_names_where_archiving_is_as_the_page_calls_it(
    qtbot, qapp, window
) -> None:  # type: ignore[no-untyped-def]
    ids = _entries(window.context, {"Bäckerei Groß": ("50.00",)})
    apply_language(qapp, "de")
    detail = open_client(qtbot, window, ids["Bäckerei Groß"])
    [edit] = [b for b in detail.findChildren(QPushButton) if b.text() == "Kunde bearbe&iten"]

    def cancel(box: QMessageBox) -> str:
        text = box.text()
        box.reject()
        return text

    seen = on_next_modal(QMessageBox, cancel)
    detail.delete()
    qtbot.waitUntil(lambda: bool(seen))
    assert "archivieren Sie den Kunden stattdessen (Kunde bearbeiten ▸ Archiv)." in seen[0]
    assert edit.text().replace("&", "") == "Kunde bearbeiten"  # the button of that name


def test_the_reminders_take_the_height_of_the_rows_shown(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    for number in range(12):
        client = client_service.create_client(context.db, {"name": f"Kunde {number:02d}"})
        reminders_service.create_reminder(
            context.db,
            {"client_id": client.id, "due_on": TODAY - (number + 1) * DAY, "purpose": "custom"},
        )
    apply_language(qapp, "de")
    page = RemindersPage(context)
    qtbot.addWidget(page)
    page.resize(1160, 700)  # the page in a 1366×768 window
    page.show()
    qtbot.waitUntil(lambda: page.list.proxy.rowCount() == 12)
    qapp.processEvents()
    all_open = page.splitter.sizes()[0]

    page.show_group(DueGroup.TODAY)  # none due today: a short hint, and the plan gets the room
    qapp.processEvents()
    hint = page.list.findChild(QLabel, "noneShown")
    assert hint.isVisible() and hint.text() == "Heute ist nichts fällig."
    five_rows = 5 * page.list.table.verticalHeader().defaultSectionSize()
    assert page.splitter.sizes()[0] < all_open - five_rows

    page.show_group(None)
    qapp.processEvents()
    assert page.splitter.sizes()[0] == all_open and page.list.table.isVisible()
    page.list.search.setText("Kunde 03")  # one row shown: the plan gets the room again
    qapp.processEvents()
    assert page.splitter.sizes()[0] < all_open - five_rows
    page.list.search.setText("Niemand")
    assert (
        hint.isVisible() and hint.text() == "Keine Wiedervorlage in diesem Reiter passt zur Suche."
    )
