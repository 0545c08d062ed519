"""The Feedback and Reminders pages, their dialogs and the dashboard card, driven like a user."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import unquote

import pytest
from icalendar import Calendar
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton, QSystemTrayIcon

from freelancer_desk.analytics.recurrence import DueGroup, Recurrence
from freelancer_desk.analytics.steps import StepKind
from freelancer_desk.models import FeedbackStatus, RecurrenceUnit, ReminderPurpose
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services.status import StatusRequest, build_status
from tests.today import TODAY
from tests.ui.conftest import activate, on_next_modal
from ui.app import apply_language
from ui.dialogs.feedback import FeedbackDialog, SendEmailDialog, TemplatesDialog
from ui.dialogs.reminders import NewsDialog, ReminderDialog, SnoozeDialog
from ui.main_window import MainWindow
from ui.models.table import RecordFilterProxy, RecordTableModel
from ui.pages.dashboard import DashboardPage
from ui.pages.feedback import FEEDBACK_COLUMNS, FeedbackPage
from ui.pages.reminders import REMINDER_COLUMNS, RemindersPage
from ui.pages.reminders_card import RemindersCard, notify_once
from ui.pages.steps import STEP_COLUMNS

DAY = dt.timedelta(days=1)


def _client(context, name: str, invoiced_days_ago: int | None = 30, **extra):  # type: ignore[no-untyped-def]
    client = client_service.create_client(context.db, {"name": name, **extra})
    if invoiced_days_ago is not None:
        revenue_service.create_entry(
            context.db,
            {
                "client_id": client.id,
                "invoice_date": TODAY - invoiced_days_ago * DAY,
                "net": "900.00",
            },
        )
    return client


def _remind(context, client_id, due: dt.date, purpose: str = "custom", **extra):  # type: ignore[no-untyped-def]
    return reminders_service.create_reminder(
        context.db, {"client_id": client_id, "due_on": due, "purpose": purpose, **extra}
    )


def _shown(page_list) -> list[str]:  # type: ignore[no-untyped-def]
    """The client column of the rows shown, in order."""
    proxy = page_list.proxy
    return [proxy.index(row, 2).data() for row in range(proxy.rowCount())]


def _select(page_list, client_name: str) -> None:  # type: ignore[no-untyped-def]
    """Select the row of a client and give the table the focus, as a click would.

    Done through the selection model: ``selectRow`` reads the keyboard modifiers, which a
    synthetic Ctrl+Shift key click may leave behind and which would toggle the row instead.
    """
    proxy, table = page_list.proxy, page_list.table
    [row] = [r for r in range(proxy.rowCount()) if proxy.index(r, 2).data() == client_name]
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    table.selectionModel().setCurrentIndex(proxy.index(row, 0), flags)
    table.setFocus()


@pytest.fixture
def mail_program(catch_urls):  # type: ignore[no-untyped-def]
    """The mailto: links the app hands to the desktop."""
    return catch_urls("mailto")


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------


def test_the_item_models_pass_the_model_tester(qtmodeltester, context) -> None:  # type: ignore[no-untyped-def]
    a = _client(context, "Müller & Söhne GmbH")
    sleeper = _client(context, "Schläfer AG", invoiced_days_ago=400)
    _remind(context, a.id, TODAY - 3 * DAY, "reactivate")
    _remind(
        context,
        None,
        TODAY,
        note="Steuer\nvorbereiten",
        recurrence_every=1,
        recurrence_unit="months",
    )
    feedback_service.create_request(context.db, {"client_id": a.id, "kind": "review"})
    for columns, records in (
        (REMINDER_COLUMNS, reminders_service.list_reminders(context.db)),
        (STEP_COLUMNS, steps_service.plan(context.db, TODAY)),
        (FEEDBACK_COLUMNS, feedback_service.list_requests(context.db)),
    ):
        assert records
        model: RecordTableModel = RecordTableModel(columns)
        model.set_records(records)
        qtmodeltester.check(model)
        proxy = RecordFilterProxy()
        proxy.setSourceModel(model)
        proxy.sort(0)
        qtmodeltester.check(proxy)
    plan = steps_service.plan(context.db, TODAY)
    assert (StepKind.REACTIVATE, sleeper.name) in [(s.kind, s.client) for s in plan]


# --------------------------------------------------------------------------------------------
# Reminders page
# --------------------------------------------------------------------------------------------


def test_tabs_count_and_filter_the_due_groups(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    a = _client(context, "Anna Alt")
    b = _client(context, "Bernd Bald")
    c = _client(context, "Clara Cool")
    _remind(context, a.id, TODAY - 2 * DAY)
    _remind(context, b.id, TODAY)
    _remind(context, c.id, TODAY + 30 * DAY)
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    # Nothing is due later this week: 30 days ahead is always "Later".
    assert tabs == [
        "All open (3)",
        "Overdue (1)",
        "Today (1)",
        "This week (0)",
        "Later (1)",
        "Blocked (0)",
    ]
    assert not page.tabs.isTabVisible(5)  # shown only when the contact rules block one
    assert _shown(page.list) == ["Anna Alt", "Bernd Bald", "Clara Cool"]
    page.show_group(DueGroup.OVERDUE)
    assert _shown(page.list) == ["Anna Alt"]
    page.show_group(DueGroup.LATER)
    assert _shown(page.list) == ["Clara Cool"]
    page.show_group(None)
    assert page.list.proxy.index(0, 1).data() == "Overdue"
    # While a search narrows the list, the tabs count what it finds.
    page.list.search.setText("Bald")
    assert [page.tabs.tabText(i) for i in range(5)] == [
        "All open (1)",
        "Overdue (0)",
        "Today (1)",
        "This week (0)",
        "Later (0)",
    ]
    page.list.search.clear()
    assert page.tabs.tabText(0) == "All open (3)"


def test_the_search_narrows_the_step_plan_and_the_reminders_take_no_empty_rows(  # type: ignore[no-untyped-def]
    window: MainWindow, context, qtbot
) -> None:
    """One search for the page: it narrows the reminders and the step plan below alike (the
    plan kept every step). A tab of one reminder is one row high, not three."""
    anna = _client(context, "Anna Alt")
    bernd = _client(context, "Bernd Bald")
    _remind(context, anna.id, TODAY - 2 * DAY, "reactivate")
    _remind(context, bernd.id, TODAY - 3 * DAY, "reactivate")
    _remind(context, bernd.id, TODAY + 30 * DAY)
    window.resize(1366, 768)
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    qtbot.waitUntil(lambda: page.steps.proxy.rowCount() > 0)

    def plan_clients() -> set[str]:
        proxy = page.steps.proxy
        return {proxy.index(row, 1).data() for row in range(proxy.rowCount())}

    assert {"Anna Alt", "Bernd Bald"} <= plan_clients()
    page.list.search.setText("bald")
    assert _shown(page.list) == ["Bernd Bald", "Bernd Bald"]
    assert plan_clients() == {"Bernd Bald"}
    page.list.search.setText("nobody here")
    assert page.steps.proxy.rowCount() == 0
    assert page.steps._stack.currentWidget().text() == "No next step matches the search."
    page.list.search.clear()
    assert {"Anna Alt", "Bernd Bald"} <= plan_clients()

    page.show_group(DueGroup.LATER)
    table = page.list.table
    assert page.list.proxy.rowCount() == 1
    row = table.verticalHeader().defaultSectionSize()
    assert row <= table.viewport().height() < 2 * row  # the one row, no empty ones below


def test_done_and_snooze_by_keyboard(window: MainWindow, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    once = _client(context, "Einmal GmbH")
    monthly = _client(context, "Monatlich KG")
    _remind(context, once.id, TODAY - DAY)
    _remind(
        context, monthly.id, TODAY - DAY, "reactivate", recurrence_every=1, recurrence_unit="weeks"
    )
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    activate(qtbot, window)
    table = page.list.table

    _select(page.list, "Einmal GmbH")
    qtbot.keyClick(table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # snooze 1 day
    rows = {r.client_name: r for r in reminders_service.list_reminders(context.db)}
    assert rows["Einmal GmbH"].due_on == TODAY + DAY  # from today, as it was overdue

    _select(page.list, "Monatlich KG")
    qtbot.keyClick(
        table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier
    )  # done: rolls on a week
    rows = {r.client_name: r for r in reminders_service.list_reminders(context.db)}
    assert rows["Monatlich KG"].due_on == TODAY + 6 * DAY

    _select(page.list, "Einmal GmbH")
    qtbot.keyClick(
        table, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert (
        reminders_service.list_reminders(context.db, client_id=once.id)[0].due_on == TODAY + 8 * DAY
    )
    _select(page.list, "Einmal GmbH")
    qtbot.keyClick(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert reminders_service.list_reminders(context.db, client_id=once.id) == []
    assert _shown(page.list) == ["Monatlich KG"]


def test_reminder_dialog_creates_a_month_end_series(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Jörg Weiß")
    dialog = ReminderDialog(context, client_id=client.id)
    qtbot.addWidget(dialog)
    dialog.fields["due_on"].set_date(dt.date(2026, 1, 31))
    dialog.fields["purpose"].setCurrentIndex(dialog.fields["purpose"].findData("new_offers"))
    dialog.repeats.setChecked(True)
    dialog.every.setValue(1)
    dialog.unit.setCurrentIndex(dialog.unit.findData("months"))
    dialog.fields["note"].setPlainText("Neue Leistung: Barrierefreiheit prüfen")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result()
    [row] = reminders_service.list_reminders(context.db)
    assert (row.client_name, row.due_on, row.purpose, row.recurrence) == (
        "Jörg Weiß",
        dt.date(2026, 1, 31),
        ReminderPurpose.NEW_OFFERS,
        Recurrence(1, RecurrenceUnit.MONTHS, 31),
    )


def test_a_bad_date_keeps_the_dialog_open_and_names_the_field(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ReminderDialog(context)
    qtbot.addWidget(dialog)
    dialog.fields["due_on"].edit.setText("31.02.2026")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.result()
    assert dialog.error_label.text() == "Due date: is not a valid date"
    assert reminders_service.list_reminders(context.db) == []


def test_snooze_to_a_picked_day(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    row = _remind(context, None, TODAY)
    dialog = SnoozeDialog(context, row, TODAY)
    qtbot.addWidget(dialog)
    assert dialog.fields["due_on"].date() == TODAY + DAY
    dialog.fields["due_on"].set_date(TODAY - DAY)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "pick today or a later day" in dialog.error_label.text()
    dialog.fields["due_on"].set_date(TODAY + 10 * DAY)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert reminders_service.list_reminders(context.db)[0].due_on == TODAY + 10 * DAY


def test_accept_dismiss_and_undo_steps_on_the_reminders_page(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Wach KG", invoiced_days_ago=10)  # not yet due: nothing to do
    settings_service.save(context.db, new_clients_every_weeks=0)  # no regular time planned
    for name, days in (("Schläfer AG", 300), ("Dösig GmbH", 200)):
        client = _client(context, name, invoiced_days_ago=None)
        revenue_service.create_entry(
            context.db,
            {
                "client_id": client.id,
                "invoice_date": TODAY - days * DAY,
                "paid_date": TODAY - days * DAY,
                "net": "900.00",
            },
        )
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    proxy = page.steps.proxy
    rows = [(proxy.index(r, 0).data(), proxy.index(r, 1).data()) for r in range(proxy.rowCount())]
    # The plan's order: the same kind by what is at stake, then by due day (the longer asleep).
    assert rows == [("Reactivate", "Schläfer AG"), ("Reactivate", "Dösig GmbH")]
    assert proxy.index(0, 3).data() == "Phone ⚠"  # a business may be called on presumed interest

    page.steps.select_where(lambda s: s.client == "Schläfer AG")
    assert page.panel.heading.text() == "Reactivate · Schläfer AG"
    page.accept()
    [reminder] = reminders_service.list_reminders(context.db)
    assert (reminder.client_name, reminder.purpose, reminder.due_on) == (
        "Schläfer AG",
        ReminderPurpose.REACTIVATE,
        TODAY,
    )
    assert page.panel.result.text().startswith("Reactivate · Schläfer AG: Reminder for ")
    assert _shown(page.list) == ["Schläfer AG"]
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == ["Dösig GmbH"]

    page.panel.undo()  # the reminder goes with the decision, the step comes back
    assert reminders_service.list_reminders(context.db) == []
    assert proxy.rowCount() == 2
    assert page.panel.result.text() == "Undone: the step is back on the plan."

    page.steps.select_where(lambda s: s.client == "Dösig GmbH")
    page.dismiss()
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == ["Schläfer AG"]
    assert "this step will not come back" in page.panel.result.text()
    assert reminders_service.list_reminders(context.db) == []


def test_news_dialog_picks_clients_for_new_skills(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Anna Alt")
    _client(context, "Bernd Bald")
    dialog = NewsDialog(context, TODAY)
    qtbot.addWidget(dialog)
    dialog.fields["note"].setPlainText("Jetzt auch Barrierefreiheits-Prüfungen")
    dialog.clients.item(1).setCheckState(Qt.CheckState.Checked)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result()
    found = [s for s in steps_service.plan(context.db, TODAY) if s.kind is StepKind.NEW_SKILLS]
    assert [s.client for s in found] == ["Bernd Bald"]


def test_export_to_calendar(window: MainWindow, context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = _remind(
        context, None, TODAY, note="Buchhaltung", recurrence_every=2, recurrence_unit="weeks"
    )
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    target = tmp_path / "wiedervorlagen.ics"
    page.export_calendar(target)
    assert window.statusBar().currentMessage().startswith(f"1 reminder written to {target}")
    [event] = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == first.uid
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;INTERVAL=2"
    assert context.preferences.value("reminders/ics_path") == str(target)


# --------------------------------------------------------------------------------------------
# Dashboard card
# --------------------------------------------------------------------------------------------


def test_dashboard_card_names_the_due_reminders_and_opens_the_page(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    a = _client(context, "Müller & Söhne GmbH")
    _remind(context, a.id, dt.date(2025, 3, 1), "reactivate")
    _remind(context, a.id, TODAY, "feedback_followup")
    _remind(context, a.id, TODAY + 3 * DAY)
    dashboard: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    dashboard.refresh()
    [card] = [c for c in dashboard.cards if isinstance(c, RemindersCard)]
    assert card.summary.text() == "2 reminders due"
    assert card.lines.text() == (
        "1 Mar 2025 · Müller & Söhne GmbH: Reactivate\n"
        "today · Müller & Söhne GmbH: Feedback follow-up"
    )
    [button] = card.findChildren(QPushButton)
    button.click()
    assert window.stack.currentWidget() is window.page("reminders")


def test_dashboard_card_with_nothing_due(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    card = RemindersCard(context)
    qtbot.addWidget(card)
    card.refresh(build_status(context.db, StatusRequest(today=TODAY)))
    assert card.summary.text() == "Nothing due today"
    assert not card.lines.isVisibleTo(card)


# --------------------------------------------------------------------------------------------
# Feedback page
# --------------------------------------------------------------------------------------------


def test_send_by_email_opens_the_mail_program_and_counts_as_sent_when_confirmed(
    window: MainWindow, context, mail_program
) -> None:  # type: ignore[no-untyped-def]
    client = _client(
        context,
        "Müller & Söhne GmbH",
        contact_person="Jördis Weiß",
        email="j.weiss@example.de",
        salutation="ms",
    )
    request = feedback_service.create_request(
        context.db, {"client_id": client.id, "kind": "review"}
    )
    page: FeedbackPage = window.show_page("feedback")  # type: ignore[assignment]
    page.language.setCurrentIndex(page.language.findData("de"))
    page.list.select_where(lambda r: r.id == request.id)

    def not_yet(dialog: SendEmailDialog) -> str:
        dialog.reject()  # the draft opened, but it did not go out
        return dialog.state.text()

    seen = on_next_modal(SendEmailDialog, not_yet)
    page.send_by_email()
    assert seen and seen[0].startswith("Your mail program shows the message.")
    [url] = mail_program.urls
    encoded = bytes(url.toEncoded()).decode("ascii")
    assert encoded.startswith("mailto:j.weiss@example.de?subject=")
    fields = dict(part.split("=", 1) for part in encoded.partition("?")[2].split("&"))
    assert unquote(fields["subject"]) == "Eine kurze Bewertung?"
    body = unquote(fields["body"])
    assert body.startswith(
        "Sehr geehrte Frau Weiß,\r\n\r\n"
        "vielen Dank für die gute Zusammenarbeit mit Müller & Söhne GmbH."
    )
    assert feedback_service.list_requests(context.db)[0].status is FeedbackStatus.PLANNED

    def sent(dialog: SendEmailDialog) -> None:
        dialog.sent_button.click()

    on_next_modal(SendEmailDialog, sent)
    page.send_by_email()
    [row] = feedback_service.list_requests(context.db)
    assert (row.status, row.sent_on) == (FeedbackStatus.SENT, TODAY)
    assert page.list.proxy.index(0, 2).data() == "Sent"
    assert window.statusBar().currentMessage() == "Marked as sent: Müller & Söhne GmbH"


def test_without_a_mail_program_the_text_can_be_copied(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    client = _client(
        context, "Öztürk Design", contact_person="Ayşe Öztürk", email="ayse@example.org"
    )
    request = feedback_service.create_request(context.db, {"client_id": client.id})
    page: FeedbackPage = window.show_page("feedback")  # type: ignore[assignment]
    page.open_link = lambda url: False  # a webmail user: no program takes mailto links
    page.list.select_where(lambda r: r.id == request.id)

    def copy_everything(dialog: SendEmailDialog) -> list[str]:
        copied = []
        for field, caption in (
            (dialog.to, "To"),
            (dialog.subject, "Subject"),
            (dialog.body, "Message"),
        ):
            dialog.copy(field, caption)
            copied.append(QApplication.clipboard().text())
        copied.append(dialog.copied.text())
        copied.append(dialog.state.text())
        dialog.sent_button.click()
        return copied

    seen = on_next_modal(SendEmailDialog, copy_everything)
    page.send_by_email()
    [(to, subject, body, note, state)] = seen
    assert (to, subject, note) == (
        "ayse@example.org",
        "Your view of our work together",
        "Message copied.",
    )
    assert body.startswith("Dear Ayşe Öztürk,\n\nthank you for working with me")
    assert state.startswith("No mail program took the message")
    assert feedback_service.list_requests(context.db)[0].status is FeedbackStatus.SENT


def test_send_by_email_to_a_blocked_client_says_why_and_opens_nothing(
    window: MainWindow, context, mail_program, answer_message_box
) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Petra Privat", kind="private", email="petra@example.org")
    request = feedback_service.create_request(
        context.db, {"client_id": client.id, "channel": "letter"}
    )
    client_service.update_client(context.db, client.id, {"objection_on": TODAY - DAY})
    page: FeedbackPage = window.show_page("feedback")  # type: ignore[assignment]
    page.list.select_where(lambda r: r.id == request.id)
    seen = answer_message_box("OK")
    page.send_by_email()
    assert mail_program.urls == []
    assert seen and "objected to any contact" in seen[0]
    assert feedback_service.list_requests(context.db)[0].status is FeedbackStatus.PLANNED


def test_feedback_dialog_records_what_came_back(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Öztürk Design")
    request = feedback_service.create_request(context.db, {"client_id": client.id})
    feedback_service.mark_sent(context.db, request.id, TODAY - 5 * DAY)
    row = feedback_service.list_requests(context.db)[0]
    dialog = FeedbackDialog(context, request=row)
    qtbot.addWidget(dialog)
    dialog.fields["status"].setCurrentIndex(dialog.fields["status"].findData("received"))
    dialog.fields["answered_on"].set_date(TODAY - 6 * DAY)
    dialog.fields["rating"].setCurrentIndex(dialog.fields["rating"].findData(5))
    dialog.fields["response"].setPlainText("Schnell, freundlich, gründlich – gern wieder!")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "must not be before the request was sent" in dialog.error_label.text()
    dialog.fields["answered_on"].set_date(TODAY)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result()
    saved = feedback_service.list_requests(context.db)[0]
    assert (saved.status, saved.rating, saved.response) == (
        FeedbackStatus.RECEIVED,
        5,
        "Schnell, freundlich, gründlich – gern wieder!",
    )


def test_templates_dialog_edits_checks_and_resets(context, qtbot, answer_message_box) -> None:  # type: ignore[no-untyped-def]
    dialog = TemplatesDialog(context)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("referral"))
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    assert dialog.subject.text() == "Kennen Sie jemanden, dem ich helfen kann?"
    assert not dialog.reset_button.isEnabled()
    dialog.body.setPlainText("Hallo {vorname}")
    dialog.save()
    assert "knows no placeholder {vorname}" in dialog.error.text()
    assert not feedback_service.template(context.db, "referral", "de").customised
    dialog.body.setPlainText("Hallo {contact},\nkennen Sie jemanden?\n{sender}")
    dialog.save()
    assert (
        feedback_service.template(context.db, "referral", "de").body
        == "Hallo {contact},\nkennen Sie jemanden?\n{sender}"
    )
    assert dialog.reset_button.isEnabled() and dialog.origin.text() == "Your own text."
    asked = answer_message_box("Cancel")
    dialog.reset_button.click()
    assert asked and feedback_service.template(context.db, "referral", "de").customised  # kept
    answer_message_box("Replace")
    dialog.reset_button.click()
    assert dialog.subject.text() == "Kennen Sie jemanden, dem ich helfen kann?"
    assert not feedback_service.template(context.db, "referral", "de").customised


def test_templates_dialog_keeps_unsaved_edits_when_asked(
    context, qtbot, answer_message_box
) -> None:  # type: ignore[no-untyped-def]
    dialog = TemplatesDialog(context)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("feedback"))
    dialog.language.setCurrentIndex(dialog.language.findData("de"))
    dialog.subject.setText("Wie war es für Sie?")

    asked = answer_message_box("Cancel")
    dialog.kind.setCurrentIndex(dialog.kind.findData("referral"))
    assert asked == ["Save your changes to this message first?"]
    assert (dialog.kind.currentData(), dialog.subject.text()) == ("feedback", "Wie war es für Sie?")

    answer_message_box("Save")
    dialog.kind.setCurrentIndex(dialog.kind.findData("referral"))
    assert dialog.kind.currentData() == "referral"
    assert dialog.subject.text() == "Kennen Sie jemanden, dem ich helfen kann?"
    assert feedback_service.template(context.db, "feedback", "de").subject == "Wie war es für Sie?"

    dialog.subject.setText("Entwurf")
    answer_message_box("Discard")
    dialog.reject()
    assert not feedback_service.template(context.db, "referral", "de").customised


def test_status_filter_of_the_feedback_page(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Anna Alt")
    planned = feedback_service.create_request(context.db, {"client_id": client.id})
    answered = feedback_service.create_request(
        context.db, {"client_id": client.id, "kind": "referral"}
    )
    feedback_service.mark_sent(context.db, answered.id, TODAY - 3 * DAY)
    feedback_service.update_request(
        context.db, answered.id, {"status": "declined", "answered_on": TODAY}
    )
    page: FeedbackPage = window.show_page("feedback")  # type: ignore[assignment]

    def shown():
        return [
            page.list.proxy.index(r, 0).data(Qt.ItemDataRole.UserRole + 2).id
            for r in range(page.list.proxy.rowCount())
        ]

    assert shown() == [planned.id]  # open ones by default
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    assert sorted(shown()) == sorted([planned.id, answered.id])
    page.status_filter.setCurrentIndex(page.status_filter.findData("declined"))
    assert shown() == [answered.id]
    # The footer counts what the list shows, after the filter and the search.
    assert page.summary.text() == "1 request · 0 waiting for an answer, 0 answered"
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    assert page.summary.text() == "2 requests · 0 waiting for an answer, 0 answered"
    page.list.search.setText("Declined")
    assert page.summary.text() == "1 request · 0 waiting for an answer, 0 answered"


# --------------------------------------------------------------------------------------------
# German
# --------------------------------------------------------------------------------------------


def test_both_pages_speak_german(qapp, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, "de")
    client = _client(context, "Müller & Söhne GmbH")
    _remind(context, client.id, TODAY - DAY, "reactivate")
    feedback_service.create_request(context.db, {"client_id": client.id, "kind": "recommendation"})
    reminders = RemindersPage(context)
    feedback = FeedbackPage(context)
    for page in (reminders, feedback):
        qtbot.addWidget(page)
    assert reminders.tabs.tabText(1) == "Überfällig (1)"
    assert reminders.list.proxy.index(0, 3).data() == "Reaktivieren"
    assert reminders.list.model.headerData(5, Qt.Orientation.Horizontal) == "Wiederholung"
    assert feedback.list.proxy.index(0, 1).data() == "Empfehlungsschreiben"
    assert feedback.list.proxy.index(0, 2).data() == "Geplant"
    assert feedback.summary.text() == "1 Anfrage · 0 warten auf Antwort, 0 beantwortet"


@pytest.mark.parametrize(
    "lang, word, day", [("de", "Beantwortet", "Beantwortet am"), ("en", "Answered", "Answered on")]
)
def test_an_answered_request_is_called_answered_everywhere(  # type: ignore[no-untyped-def]
    qapp, context, qtbot, lang: str, word: str, day: str
) -> None:
    """Table, form, filter, footer and print name the state after an answer with one word,
    the word of the "Answered on" column (it was "Erhalten" beside "Beantwortet am")."""
    from freelancer_desk.reports.document import Language

    apply_language(qapp, lang)
    client = _client(context, "Anna Alt")
    request = feedback_service.create_request(context.db, {"client_id": client.id})
    feedback_service.mark_sent(context.db, request.id, TODAY - 3 * DAY)
    feedback_service.update_request(
        context.db, request.id, {"status": "received", "answered_on": TODAY}
    )
    page = FeedbackPage(context)
    qtbot.addWidget(page)
    page.status_filter.setCurrentIndex(page.status_filter.findData("all"))
    assert page.list.proxy.index(0, 2).data() == word
    assert page.list.model.headerData(7, Qt.Orientation.Horizontal) == day
    assert word in [page.status_filter.itemText(i) for i in range(page.status_filter.count())]
    assert page.summary.text().endswith(f"1 {word.lower()}")
    dialog = FeedbackDialog(context, feedback_service.list_requests(context.db)[0])
    qtbot.addWidget(dialog)
    assert dialog.choices["status"].currentText() == word
    assert Language(lang).label(FeedbackStatus.RECEIVED) == word


def test_the_tray_notice_comes_once_and_only_where_there_is_a_tray(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    card = RemindersCard(context)
    qtbot.addWidget(card)
    assert notify_once(context, card, []) is False  # nothing due: no notice
    assert (
        notify_once(context, card, ["today · Anna: Reactivate"])
        is QSystemTrayIcon.isSystemTrayAvailable()
    )
    assert notify_once(context, card, ["today · Anna: Reactivate"]) is False  # never a second time


def test_a_blocked_reminder_says_why_without_covering_the_buttons(qapp, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, "de")
    objected = client_service.create_client(
        context.db, {"name": "Widerspruch GmbH", "objection_on": TODAY - 10 * DAY}
    )
    dialog = ReminderDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.client.setCurrentIndex(dialog.client.findData(objected.id))
    QApplication.processEvents()
    assert dialog.permission.isVisible()
    assert dialog.permission.text().startswith("Gesperrt: ")
    # The note box and the buttons keep apart: the dialog grew for the wrapped reason.
    note_bottom = dialog.note.mapTo(dialog, dialog.note.rect().bottomLeft()).y()
    buttons_top = dialog.buttons.mapTo(dialog, dialog.buttons.rect().topLeft()).y()
    assert note_bottom < buttons_top
    reason = dialog.permission
    assert reason.height() >= reason.heightForWidth(reason.width())  # not squeezed
    for widget in (dialog.note, dialog.buttons):
        assert dialog.rect().contains(widget.geometry())
