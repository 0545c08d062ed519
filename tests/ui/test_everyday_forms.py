"""Everyday forms as a new user meets them: marking a client lost and entering revenue.

Nothing is chosen for the user, Return does not save a guess, every mistake is shown at once,
Tab walks the fields only, and the form fills in what it can know (number, due date, today).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QToolButton,
)

from freelancer_desk import formatting
from freelancer_desk.models import WinbackOutcome
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import winback as winback_service
from freelancer_desk.services.losses import AlreadyLostError
from tests.today import TODAY
from tests.ui.conftest import activate, on_next_modal
from ui.app import apply_language
from ui.dialogs.records import RevenueDialog
from ui.dialogs.winback import MarkLostDialog
from ui.main_window import MainWindow
from ui.pages.revenue import OVERDUE_BACKGROUND, RevenuePage
from ui.widgets import DateField, parse_typed_date

DAY = dt.timedelta(days=1)


def _client(context, name: str = "Müller & Söhne GmbH", **extra) -> int:  # type: ignore[no-untyped-def]
    return client_service.create_client(context.db, {"name": name, **extra}).id  # type: ignore[no-any-return]


def _lose(context, client_id: int) -> loss_service.LossRow:  # type: ignore[no-untyped-def]
    return loss_service.mark_lost(
        context.db,
        {
            "client_id": client_id,
            "lost_on": TODAY - 20 * DAY,
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )


def _save_button(dialog: QDialog) -> QAbstractButton:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)  # type: ignore[attr-defined, no-any-return]


def _captions_in_red(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    return [name for name, caption in dialog._labels.items() if "b00020" in caption.styleSheet()]


# --------------------------------------------------------------------------------------------
# Marking lost
# --------------------------------------------------------------------------------------------


def test_marking_lost_from_the_list_chooses_nothing_and_return_saves_no_guess(
    context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Aachener Agentur")  # first in the alphabet, an active client
    dialog = MarkLostDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    assert dialog.fields["client_id"].currentData() is None
    assert dialog.fields["reason_code"].currentData() is None
    assert dialog.fields["loss_type"].currentData() is None
    qtbot.keyClick(dialog.fields["client_id"], Qt.Key.Key_Return)
    assert dialog.result() == 0 and dialog.isVisible()  # still open, nothing saved
    assert loss_service.list_losses(context.db) == []
    assert _captions_in_red(dialog) == ["client_id", "reason_code", "loss_type"]
    assert dialog.error_label.text().splitlines() == [
        "Client: is required",
        "Reason: is required",
        "Loss type: is required",
    ]
    # Choosing a reason suggests its loss type; then the form saves.
    dialog.fields["client_id"].setCurrentIndex(1)
    dialog.fields["reason_code"].setCurrentIndex(
        dialog.fields["reason_code"].findData("competitor")
    )
    assert dialog.fields["loss_type"].currentData() == "pulled"
    _save_button(dialog).click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [row.client_name for row in loss_service.list_losses(context.db)] == ["Aachener Agentur"]


def test_marking_lost_from_a_clients_page_chooses_that_client(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Aachener Agentur")
    client_id = _client(context, "Zeller Bau")
    window.show_client(client_id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    [button] = [b for b in detail.findChildren(QAbstractButton) if b.text() == "&Mark lost…"]

    def look(dialog: MarkLostDialog) -> tuple[object, bool, object]:
        chooser = dialog.fields["client_id"]
        seen = (
            chooser.currentText(),
            chooser.isEnabled(),
            dialog.fields["reason_code"].currentData(),
        )
        dialog.reject()
        return seen

    seen = on_next_modal(MarkLostDialog, look)
    button.click()
    assert seen == [("Zeller Bau", False, None)]


def test_an_already_lost_client_is_refused_with_a_way_to_open_its_loss(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    client_id = _client(context, "Zeller Bau")
    loss = _lose(context, client_id)
    expected = (
        f"Zeller Bau is marked lost already, since {formatting.date(loss.lost_on)}. "
        "Open that loss to change it."
    )
    with pytest.raises(AlreadyLostError, match="marked lost already"):
        _lose(context, client_id)

    # From the client's page: a notice with a button that opens the loss.
    window.show_client(client_id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    [button] = [b for b in detail.findChildren(QAbstractButton) if b.text() == "&Mark lost…"]

    def open_loss(box: QMessageBox) -> str:
        [action] = [b for b in box.buttons() if b.text() == "Open that loss"]
        action.click()
        return box.text()

    def close(dialog: QDialog) -> str:
        dialog.reject()
        return dialog.windowTitle()

    told = on_next_modal(QMessageBox, open_loss)
    opened = on_next_modal(MarkLostDialog, close)
    button.click()
    assert told == [expected]
    assert opened == ["Edit lost client"]

    # From the list: choosing that client says so at once, Save is off, the link opens it.
    page = window.show_page("lost")
    dialog = MarkLostDialog(context, parent=page)
    qtbot.addWidget(dialog)
    dialog.fields["client_id"].setCurrentIndex(dialog.fields["client_id"].findData(client_id))
    assert dialog.already_lost.isVisibleTo(dialog)
    assert expected in dialog.already_lost.text()
    assert not _save_button(dialog).isEnabled()
    dialog.already_lost.linkActivated.emit("open")
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.open_instead == loss

    # A client won back may be lost again.
    case = winback_service.open_case(context.db, loss.id)
    winback_service.set_outcome(context.db, case.id, WinbackOutcome.WON_BACK, TODAY - DAY)
    assert _lose(context, client_id).client_id == client_id


# --------------------------------------------------------------------------------------------
# Revenue entry
# --------------------------------------------------------------------------------------------


def test_a_new_entry_suggests_the_next_number_and_the_due_date_of_the_payment_term(
    context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    other = _client(context, "Aachener Agentur")
    client_id = _client(context, payment_term_days=30)
    revenue_service.create_entry(
        context.db,
        {"client_id": other, "invoice_number": "RE-2025-041", "invoice_date": TODAY, "net": "1"},
    )
    revenue_service.create_entry(  # an older invoice already took the next number
        context.db,
        {
            "client_id": other,
            "invoice_number": "RE-2025-042",
            "invoice_date": TODAY - 9 * DAY,
            "net": "1",
        },
    )
    dialog = RevenueDialog(context, client_id=client_id)
    qtbot.addWidget(dialog)
    assert dialog.fields["invoice_number"].text() == "RE-2025-043"
    assert dialog.fields["due_date"].date() == TODAY + 30 * DAY
    assert dialog.due_hint.text() == "payment term 30 days"

    dialog.fields["invoice_date"].set_date(dt.date(2025, 3, 1))
    assert dialog.fields["due_date"].date() == dt.date(2025, 3, 31)
    dialog.fields["client_id"].setCurrentIndex(dialog.fields["client_id"].findData(other))
    assert dialog.fields["due_date"].date() == dt.date(2025, 3, 15)  # the usual 14 days

    qtbot.keyClicks(dialog.fields["due_date"].edit, "x")  # the user types a due date
    dialog.fields["due_date"].set_date(dt.date(2025, 4, 30))
    dialog.fields["invoice_date"].set_date(dt.date(2025, 3, 2))
    assert dialog.fields["due_date"].date() == dt.date(2025, 4, 30)  # kept


def test_paid_today_is_one_click(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RevenueDialog(context, client_id=_client(context))
    qtbot.addWidget(dialog)
    assert dialog.fields["paid_date"].date() is None
    dialog.paid_today.click()
    assert dialog.fields["paid_date"].date() == TODAY


def test_every_error_is_shown_at_once_and_no_field_moves(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RevenueDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    positions = {
        name: field.mapTo(dialog, field.rect().topLeft()) for name, field in dialog.fields.items()
    }
    dialog.fields["invoice_date"].edit.setText("31.02.2025")
    dialog.fields["net"].setText("zwölf")
    dialog.fields["paid_date"].edit.setText("gestern")
    _save_button(dialog).click()
    assert dialog.isVisible() and revenue_service.list_entries(context.db) == []
    assert _captions_in_red(dialog) == ["client_id", "invoice_date", "net", "paid_date"]
    assert dialog.error_label.text().splitlines() == [
        "Client: is required",
        "Invoice date: is not a valid date",
        "Net amount: is not an amount",
        "Paid date: is not a valid date",
    ]
    QApplication.processEvents()
    assert {
        name: field.mapTo(dialog, field.rect().topLeft()) for name, field in dialog.fields.items()
    } == positions
    assert dialog.height() >= dialog.heightForWidth(dialog.width())  # nothing squeezed


def test_tab_walks_the_fields_only(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RevenueDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    dialog.fields["client_id"].setFocus()
    visited = []
    for _step in range(9):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert not any(isinstance(widget, QToolButton) for widget in visited)
    assert dialog.paid_today not in visited
    expected = [
        dialog.fields["invoice_number"],
        dialog.fields["invoice_date"].edit,
        dialog.fields["net"],
        dialog.fields["due_date"].edit,
        dialog.fields["paid_date"].edit,
        dialog.fields["note"],
    ]
    assert visited[:6] == expected


def test_typed_text_is_kept_and_the_calendar_opens_on_the_fields_month(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RevenueDialog(context, client_id=_client(context))
    qtbot.addWidget(dialog)
    dialog.show()
    invoice = dialog.fields["invoice_date"]
    invoice.edit.setText("15.03.2021")
    invoice.menu.aboutToShow.emit()  # what opening the calendar does first
    assert (invoice.calendar.yearShown(), invoice.calendar.monthShown()) == (2021, 3)
    assert invoice.edit.text() == "15.03.2021"
    paid = dialog.fields["paid_date"]  # empty: opens on the invoice date's month
    paid.menu.aboutToShow.emit()
    assert (paid.calendar.yearShown(), paid.calendar.monthShown()) == (2021, 3)
    paid.calendar.clicked.emit(paid.calendar.selectedDate().addDays(3))
    assert paid.date() == dt.date(2021, 3, 18)


def test_english_dates_are_typed_as_the_tables_write_them(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    field = DateField()
    qtbot.addWidget(field)
    field.set_date(dt.date(2025, 12, 31))
    assert field.edit.text() == formatting.date(dt.date(2025, 12, 31)) == "31 Dec 2025"
    for typed in ("31 Dec 2025", "31 December 2025", "Dec 31, 2025", "2025-12-31", "31.12.2025"):
        assert parse_typed_date(typed) == dt.date(2025, 12, 31), typed
    with pytest.raises(ValueError):
        parse_typed_date("31 Foo 2025")


def test_german_dates_stay_numeric(context, qtbot, qapp) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, "de")
    field = DateField()
    qtbot.addWidget(field)
    field.set_date(dt.date(2025, 12, 31))
    assert field.edit.text() == "31.12.2025"
    assert field.edit.placeholderText() == "TT.MM.JJJJ"


def test_overdue_invoices_are_highlighted_in_the_revenue_list(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    payer = _client(context, "Bezahlt GmbH")
    never = _client(context, "Zahlt nie AG")
    for client_id, number, due, paid in (
        (payer, "1", TODAY - 10 * DAY, None),  # overdue
        (payer, "2", TODAY - 40 * DAY, TODAY - 35 * DAY),  # paid
        (payer, "3", TODAY + 5 * DAY, None),  # not due yet
        (never, "4", TODAY - 10 * DAY, None),  # a client who never paid: overdue all the same
    ):
        revenue_service.create_entry(
            context.db,
            {
                "client_id": client_id,
                "invoice_number": number,
                "invoice_date": TODAY - 60 * DAY,
                "net": "500.00",
                "due_date": due,
                "paid_date": paid,
            },
        )
    page = RevenuePage(context)
    qtbot.addWidget(page)
    proxy = page.list.proxy
    marked = {}
    for row in range(proxy.rowCount()):
        number = proxy.index(row, 2).data()
        brush = proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        marked[number] = isinstance(brush, QBrush) and brush.color() == QColor(OVERDUE_BACKGROUND)
        if number == "1":
            assert proxy.index(row, 4).data(Qt.ItemDataRole.ToolTipRole) == (
                "Overdue: unpaid 10 days after the due date"
            )
    assert marked == {"1": True, "2": False, "3": False, "4": True}


def test_no_row_is_red_when_no_payment_is_ever_recorded(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Someone who does not record payments would otherwise see every invoice overdue."""
    client_id = _client(context, "Ohne Zahlungsdaten AG")
    for number in ("1", "2"):
        revenue_service.create_entry(
            context.db,
            {
                "client_id": client_id,
                "invoice_number": number,
                "invoice_date": TODAY - 90 * DAY,
                "net": "500.00",
                "due_date": TODAY - 76 * DAY,
            },
        )
    page = RevenuePage(context)
    qtbot.addWidget(page)
    proxy = page.list.proxy
    assert proxy.rowCount() == 2
    assert all(
        proxy.index(row, 0).data(Qt.ItemDataRole.BackgroundRole) is None
        for row in range(proxy.rowCount())
    )


# --------------------------------------------------------------------------------------------
# E-mail: the German Du version of a template
# --------------------------------------------------------------------------------------------


def test_the_du_version_of_a_template_is_edited_on_its_own(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from freelancer_desk.services import feedback as feedback_service
    from ui.dialogs.feedback import TemplatesDialog

    dialog = TemplatesDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    assert not dialog.address_form.isVisible()  # English: one version, only the greeting differs
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    assert dialog.address_form.isVisible()
    dialog.address_form.setCurrentIndex(dialog.address_form.findData("informal"))
    assert "interessiert mich deine ehrliche Meinung" in dialog.body.toPlainText()
    dialog.subject.setText("Wie war es für dich?")
    assert dialog.save()
    assert feedback_service.template(context.db, "feedback", "de", "informal").subject == (
        "Wie war es für dich?"
    )
    assert not feedback_service.template(context.db, "feedback", "de").customised


def test_tab_leaves_the_address_and_notes_of_the_client_form(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.records import ClientDialog

    dialog = ClientDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    for box in (dialog.address, dialog.notes):
        box.setFocus()
        qtbot.waitUntil(box.hasFocus, timeout=1000)
        qtbot.keyClick(box, Qt.Key.Key_Tab)
        assert not box.hasFocus() and box.toPlainText() == ""  # moved on, typed nothing
        box.setFocus()
        qtbot.waitUntil(box.hasFocus, timeout=1000)
        qtbot.keyClick(box, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert not box.hasFocus() and box.toPlainText() == ""
        # Return still starts a new line: an address has several.
        box.setFocus()
        qtbot.keyClicks(box, "Hauptstr. 1")
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.keyClicks(box, "20095 Hamburg")
        assert box.toPlainText() == "Hauptstr. 1\n20095 Hamburg" and dialog.isVisible()


def test_a_fixed_field_loses_its_message_at_once_and_the_buttons_stay(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = RevenueDialog(context, client_id=_client(context))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.fields["invoice_date"].set_date(TODAY)
    dialog.fields["net"].setText("100")
    dialog.fields["paid_date"].set_date(TODAY - DAY)
    save = _save_button(dialog)
    where = save.mapTo(dialog, save.rect().topLeft())
    size = dialog.size()
    save.click()
    assert dialog.error_label.text() == "Paid date: must not be before the invoice date"
    assert _captions_in_red(dialog) == ["paid_date"]
    QApplication.processEvents()
    # The first message fits into the room kept for it: the buttons do not move.
    assert (save.mapTo(dialog, save.rect().topLeft()), dialog.size()) == (where, size)
    dialog.paid_today.click()
    assert dialog.error_label.text() == "" and _captions_in_red(dialog) == []
    assert (save.mapTo(dialog, save.rect().topLeft()), dialog.size()) == (where, size)


def test_mark_lost_clears_client_is_required_once_one_is_chosen(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    client_id = _client(context)
    dialog = MarkLostDialog(context)
    qtbot.addWidget(dialog)
    _save_button(dialog).click()
    assert dialog.error_label.text().splitlines() == [
        "Client: is required",
        "Reason: is required",
        "Loss type: is required",
    ]
    dialog.fields["client_id"].setCurrentIndex(dialog.fields["client_id"].findData(client_id))
    assert dialog.error_label.text().splitlines() == [
        "Reason: is required",
        "Loss type: is required",
    ]
    assert _captions_in_red(dialog) == ["reason_code", "loss_type"]
    # A field that is still wrong keeps its message; none is added for fields not yet saved.
    dialog.fields["notes"].setPlainText("Preis")
    assert _captions_in_red(dialog) == ["reason_code", "loss_type"]


def test_a_first_entry_on_an_empty_database_leads_to_adding_its_client(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from ui.dialogs.records import NEW_CLIENT, ClientDialog

    page: RevenuePage = window.show_page("revenue")  # type: ignore[assignment]
    assert page.list.empty.text().startswith("No clients yet. Each entry belongs to a client")
    dialog = RevenueDialog(context, parent=page)
    qtbot.addWidget(dialog)
    box = dialog.client
    assert box.itemText(0) == "(no clients yet: choose “New client…”)"
    assert box.itemText(box.count() - 1) == "New client…"

    def add_client(form: ClientDialog) -> None:
        form.name.setText("Erste Kundin GmbH")
        _save_button(form).click()

    on_next_modal(ClientDialog, add_client)
    box.setCurrentIndex(box.findData(NEW_CLIENT))
    box.activated.emit(box.currentIndex())  # as picking the entry does
    created = client_service.find_client(context.db, "Erste Kundin GmbH")
    assert box.currentData() == created.id and box.currentText() == "Erste Kundin GmbH"
    assert box.itemText(0) == "(choose a client)"
    dialog.net.set_amount(Decimal("500.00"))
    _save_button(dialog).click()
    assert [e.client_id for e in revenue_service.list_entries(context.db)] == [created.id]
    page.refresh()
    assert page.list.empty.text().startswith("No revenue entries here")  # not "no clients"

    # Cancelled, the client form leaves the client chosen before.
    again = RevenueDialog(context, client_id=created.id, parent=page)
    qtbot.addWidget(again)
    on_next_modal(ClientDialog, lambda form: form.reject())
    again.client.setCurrentIndex(again.client.findData(NEW_CLIENT))
    again.client.activated.emit(again.client.currentIndex())
    assert again.client.currentData() == created.id


def test_an_entry_saved_while_the_search_hides_it_says_so(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    mueller = client_service.create_client(context.db, {"name": "Müller & Söhne GmbH"})
    other = client_service.create_client(context.db, {"name": "Zeta AG"})
    revenue_service.create_entry(
        context.db, {"client_id": mueller.id, "invoice_date": TODAY, "net": Decimal("100.00")}
    )
    page: RevenuePage = window.show_page("revenue")  # type: ignore[assignment]
    page.list.search.setText("Müller")

    def add_entry(client_id: int) -> None:
        def fill(dialog: RevenueDialog) -> None:
            dialog.client.setCurrentIndex(dialog.client.findData(client_id))
            dialog.net.set_amount(Decimal("250.00"))
            _save_button(dialog).click()

        on_next_modal(RevenueDialog, fill)
        page.add()

    add_entry(other.id)
    assert window.statusBar().currentMessage() == "Saved – hidden by the search"
    assert page.list.proxy.rowCount() == 1

    window.statusBar().clearMessage()
    add_entry(mueller.id)  # shown: chosen, and no note
    newest = max(revenue_service.list_entries(context.db), key=lambda entry: entry.id)
    assert page.list.selected().id == newest.id and newest.client_id == mueller.id
    assert window.statusBar().currentMessage() == ""
