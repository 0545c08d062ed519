"""The window at its smallest size and the keyboard, as a demanding user tries them.

No button may be squeezed below the width its label needs, the navigation gives way in a
narrow window, and the keys of a list work while the page shows more than one list.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
)

from freelancer_desk.services import clients as client_service
from freelancer_desk.services import groups as group_service
from freelancer_desk.services import interactions as interaction_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from tests.today import TODAY
from tests.ui.conftest import activate, on_next_modal
from ui import registry
from ui.app import apply_language
from ui.dialogs.groups import GroupsDialog
from ui.main_window import NAV_COMPACT_WIDTH, NAV_WIDTH, MainWindow
from ui.pages.clients import ClientsPage
from ui.pages.reminders import RemindersPage


def _fill(context) -> int:  # type: ignore[no-untyped-def]
    """A client with revenue, a complaint and a reminder; returns its id."""
    client = client_service.create_client(
        context.db, {"name": "Bäckerei Groß OHG", "kind": "business"}
    )
    for days in (400, 200, 30):
        revenue_service.create_entry(
            context.db,
            {
                "client_id": client.id,
                "invoice_date": TODAY - dt.timedelta(days=days),
                "net": "1200.00",
            },
        )
    interaction_service.create_interaction(
        context.db,
        {
            "client_id": client.id,
            "date": TODAY,
            "channel": "phone",
            "kind": "complaint",
            "mood": -1,
        },
    )
    reminders_service.create_reminder(
        context.db, {"client_id": client.id, "due_on": TODAY, "purpose": "custom"}
    )
    return client.id


def _settle(qapp: QApplication) -> None:
    """Let layouts finish: a new width, then the scroll bars and re-arranged cards it brings."""
    for _round in range(3):
        qapp.processEvents()


def _squeezed(root: QWidget) -> list[str]:
    """Visible buttons and boxes narrower than their label needs, and wrapped texts cut short."""
    buttons = [
        button.text()
        for button in root.findChildren(QAbstractButton)
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width()
    ]
    texts = [
        label.text()[:40]
        for label in root.findChildren(QLabel)
        if label.isVisible()
        and label.wordWrap()
        and label.text()
        and label.height() < label.heightForWidth(label.width())
    ]
    return buttons + texts


def test_nothing_is_cut_at_the_smallest_window(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    client_id = _fill(context)
    apply_language(qapp, "de")  # the longer labels
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(720, 480)
    window.show()
    for spec in registry.PAGES:
        page = window.show_page(spec.key)
        tabs = getattr(page, "tabs", None)
        for index in range(tabs.count() if hasattr(tabs, "setCurrentWidget") else 1):
            if tabs is not None and hasattr(tabs, "setCurrentWidget"):
                tabs.setCurrentIndex(index)
            _settle(qapp)
            assert _squeezed(window) == [], f"{spec.key}, tab {index}"
    window.show_client(client_id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    for index in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(index)
        _settle(qapp)
        assert _squeezed(window) == [], f"client page, tab {index}"


def test_the_navigation_shows_icons_only_in_a_narrow_window(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.resize(720, 480)
    qapp.processEvents()
    assert window.nav.width() == NAV_COMPACT_WIDTH
    assert [window.nav.item(row).text() for row in range(3)] == ["", "", ""]
    assert window.nav.item(1).toolTip() == "Clients (Ctrl+2)"
    window.resize(1200, 780)
    qapp.processEvents()
    assert window.nav.width() == NAV_WIDTH
    assert [window.nav.item(row).text() for row in range(3)] == ["Dashboard", "Clients", "Revenue"]


def test_delete_key_acts_on_the_list_that_has_the_focus(
    window: MainWindow, context, qtbot, answer_message_box
) -> None:  # type: ignore[no-untyped-def]
    _fill(context)
    client_service.create_client(context.db, {"name": "Schläfer AG"})
    revenue_service.create_entry(
        context.db,
        {
            "client_id": client_service.client_names(context.db)[-1][0],
            "invoice_date": TODAY - dt.timedelta(days=300),
            "net": "500.00",
        },
    )
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    page.refresh()
    activate(qtbot, window)
    assert page.list.proxy.rowCount() == 1 and page.steps.proxy.rowCount() >= 1  # both shown

    page.list.table.selectRow(0)
    page.list.table.setFocus()
    asked = answer_message_box("Cancel")
    qtbot.keyClick(page.list.table, Qt.Key.Key_Delete)
    assert asked == ["Delete this reminder?"]

    activate(qtbot, window)  # back from the message box
    steps = page.steps.proxy.rowCount()
    page.steps.table.selectRow(0)
    page.steps.table.setFocus()
    qtbot.keyClick(page.steps.table, Qt.Key.Key_Delete)  # dismissed at once: Undo takes it back
    assert page.steps.proxy.rowCount() == steps - 1
    assert page.panel.undo_button.isVisibleTo(page)
    assert len(reminders_service.list_reminders(context.db)) == 1  # the reminder was kept


def test_return_in_a_dialog_with_a_list_is_not_taken_by_the_list(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = GroupsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.name.setFocus()
    dialog.name.setText("Hanse Gruppe")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert [g.name for g in group_service.list_groups(context.db)] == ["Hanse Gruppe"]
    assert dialog.error.isHidden()  # created once, not twice (no "already exists")


def test_a_client_opens_with_the_keys_on_its_page(window: MainWindow, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _fill(context)
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    activate(qtbot, window)
    page.list.table.selectRow(0)
    page.list.table.setFocus()
    qtbot.keyClick(page.list.table, Qt.Key.Key_Return)
    assert page.currentWidget() is page.detail and page.detail.client_id == client_id
    qtbot.waitUntil(page.detail.title.isVisible)  # shown once its data are read
    activate(qtbot, window)  # (the offscreen window may have lost its activation meanwhile)
    assert page.detail.revenue.table.hasFocus()
    page.detail.tabs.setCurrentWidget(page.detail.interactions)
    assert page.detail.interactions.model.index(0, 3).data() == "−1 annoyed"
    qtbot.keyClick(page.detail.interactions.table, Qt.Key.Key_Escape)
    assert page.currentWidget() is page.list


def test_the_dashboard_fits_a_narrow_window(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    from ui.pages.dashboard import DashboardPage
    from ui.pages.dependency import DependencyCard, SelfCheckCard

    _fill(context)
    apply_language(qapp, "de")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    qapp.processEvents()
    dependency = next(card for card in page.cards if isinstance(card, DependencyCard))
    self_check = next(card for card in page.cards if isinstance(card, SelfCheckCard))
    assert (dependency.columns, self_check.columns) == (2, 2)
    payer_title = dependency.pairs[0][0]
    trend_title = dependency.pairs[1][0]
    assert payer_title.y() == trend_title.y()  # side by side

    window.resize(720, 480)
    _settle(qapp)
    assert (dependency.columns, self_check.columns) == (1, 1)
    assert trend_title.y() > dependency.payer_chart.y()  # one above the other
    assert not page.horizontalScrollBar().isVisible()  # every card wraps into the width


def test_no_dialog_cuts_its_texts(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    from freelancer_desk.services import feedback as feedback_service
    from freelancer_desk.services import losses as loss_service
    from freelancer_desk.services import winback as winback_service
    from ui.dialogs.feedback import FeedbackDialog, TemplatesDialog
    from ui.dialogs.records import ClientDialog, InteractionDialog, RevenueDialog
    from ui.dialogs.reminders import NewsDialog, ReminderDialog, SnoozeDialog
    from ui.dialogs.settings import SettingsDialog
    from ui.dialogs.winback import (
        AttemptDialog,
        CaseDialog,
        ConsentDialog,
        MarkLostDialog,
        ReasonCatalogueDialog,
    )

    client_id = _fill(context)
    client = client_service.get_client(context.db, client_id)
    loss = loss_service.mark_lost(
        context.db,
        {"client_id": client_id, "lost_on": TODAY, "loss_type": "pushed", "reason_code": "quality"},
    )
    case = winback_service.get_case(context.db, winback_service.open_case(context.db, loss.id).id)
    request = feedback_service.create_request(
        context.db, {"client_id": client_id, "kind": "review"}, TODAY
    )
    [reminder] = reminders_service.list_reminders(context.db)
    apply_language(qapp, "de")
    dialogs = [
        ClientDialog(context, client),
        RevenueDialog(context, client_id=client_id),
        InteractionDialog(context, client_id),
        GroupsDialog(context),
        SettingsDialog(context),
        MarkLostDialog(context, client_id=client_id),
        CaseDialog(context, case.id),
        AttemptDialog(context, case),
        ReasonCatalogueDialog(context),
        ConsentDialog(context, client_id),
        FeedbackDialog(context, request=request),
        TemplatesDialog(context),
        ReminderDialog(context, reminder=reminder),
        SnoozeDialog(context, reminder, TODAY),
        NewsDialog(context, TODAY),
    ]
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        _settle(qapp)
        assert _squeezed(dialog) == [], type(dialog).__name__
        dialog.hide()


def _title_of_next_dialog() -> list[object]:
    """The window title of the next modal dialog, which is then closed."""
    from PySide6.QtWidgets import QDialog

    def close(dialog: QDialog) -> str:
        chooser = getattr(dialog, "fields", {}).get("client_id")
        dialog.reject()
        return dialog.windowTitle() + (
            "" if chooser is None or chooser.isEnabled() else " [client fixed]"
        )

    return on_next_modal(QDialog, close)


def test_new_keys_work_wherever_the_focus_is_on_the_page(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    client_id = _fill(context)
    activate(qtbot, window)
    for key, title in (
        ("lost", "Mark client lost"),
        ("feedback", "New feedback request"),
        ("reminders", "New reminder"),
        ("revenue", "New revenue entry"),
    ):
        window.show_page(key)
        window.nav.setFocus()  # as after choosing the page in the navigation
        seen = _title_of_next_dialog()
        qtbot.keyClick(
            window.nav,
            Qt.Key.Key_N,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        assert seen == [title], key
        activate(qtbot, window)

    window.show_client(client_id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    assert detail.tabs.currentIndex() == 0  # the revenue tab: the interaction log is hidden
    seen = _title_of_next_dialog()
    qtbot.keyClick(detail.revenue.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["New interaction"]


def test_the_lost_page_button_lets_the_user_choose_the_client(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _fill(context)
    page = window.show_page("lost")
    [button] = [
        b for b in page.losses.findChildren(QAbstractButton) if b.text() == "&Mark client lost…"
    ]
    seen = _title_of_next_dialog()
    button.click()  # a click hands "checked" to its slot; it must not be taken for a client
    assert seen == ["Mark client lost"]


@pytest.mark.qt_log_ignore("This plugin does not support")  # a popup menu on the offscreen platform
def test_snooze_button_opens_its_menu(window: MainWindow, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _fill(context)
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    page.list.table.selectRow(0)
    page.snooze_button.click()
    assert page.snooze_menu.isVisible()
    page.snooze_menu.close()


def _mnemonic_clashes(window: MainWindow) -> dict[str, list[str]]:
    """Alt keys that two visible controls of the window (or a menu title) answer to."""
    holders: dict[str, list[str]] = {}

    def note(text: str) -> None:
        key = QKeySequence.mnemonic(text).toString()
        if key:
            holders.setdefault(key, []).append(text)

    for button in window.findChildren(QAbstractButton):
        if button.isVisible():
            note(button.text())
    for label in window.findChildren(QLabel):
        if label.isVisible() and label.buddy() is not None:
            note(label.text())
    for box in window.findChildren(QGroupBox):
        if box.isVisible():
            note(box.title())
    for tabs in window.findChildren(QTabWidget):
        if tabs.isVisible():
            for index in range(tabs.count()):
                note(tabs.tabText(index))
    for action in window.menuBar().actions():
        note(action.text())
    return {key: texts for key, texts in holders.items() if len(texts) > 1}


@pytest.mark.parametrize("language", ["de", "en"])
def test_no_two_controls_share_an_alt_key(qtbot, qapp, context, language) -> None:  # type: ignore[no-untyped-def]
    client_id = _fill(context)
    apply_language(qapp, language)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    for spec in registry.PAGES:
        window.show_page(spec.key)
        _settle(qapp)
        assert _mnemonic_clashes(window) == {}, spec.key
    window.show_client(client_id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    for index in range(detail.tabs.count()):
        detail.tabs.setCurrentIndex(index)
        _settle(qapp)
        assert _mnemonic_clashes(window) == {}, f"client page, tab {index}"


def test_a_client_s_facts_show_whole_at_laptop_size_with_room_for_the_entries(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from freelancer_desk.services import clients as client_service
    from freelancer_desk.services import losses as loss_service
    from tests.ui.conftest import open_client

    client = client_service.create_client(
        context.db,
        {
            "name": "Bäckerei Groß OHG",
            "contact_person": "Łukasz Østergaard",
            "email": "info@baeckerei-gross-ohg.de",
            "phone": "+49 84 9011398",
            "address": "Hauptstraße 61\n04109 Leipzig",
            "notes": "Bestellt meist im Frühjahr.",
        },
    )
    loss_service.mark_lost(
        context.db, {"client_id": client.id, "lost_on": "2026-02-22", "loss_type": "pulled"}
    )
    window.resize(1366, 768)
    detail = open_client(qtbot, window, client.id)
    qtbot.waitUntil(lambda: detail._facts_fitted)
    assert detail._facts_area.verticalScrollBar().maximum() == 0  # no fact cut or hidden
    assert detail.splitter.sizes()[1] >= 250  # the tabs keep room for a few entries
