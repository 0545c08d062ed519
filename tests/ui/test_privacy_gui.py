"""Erasure and the contact rules in the window: the erase dialog's words, the do-not-contact
filter, blocked reminders and feedback requests, and dashboard steps on allowed channels."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMessageBox, QPushButton

from freelancer_desk import backups
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import feedback as feedback_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services.privacy import erase_client
from tests.today import TODAY
from tests.ui.conftest import on_next_modal
from ui.app import apply_language
from ui.dialogs.winback import erase_client_action
from ui.main_window import MainWindow
from ui.pages.clients import DO_NOT_CONTACT, ClientsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.feedback import FeedbackPage
from ui.pages.reminders import BLOCKED, RemindersPage
from ui.pages.steps import NextStepsCard

DAY = dt.timedelta(days=1)


def _client(context, name: str, days_ago: tuple[int, ...] = (), **extra):  # type: ignore[no-untyped-def]
    client = client_service.create_client(context.db, {"name": name, **extra})
    for days in days_ago:
        revenue_service.create_entry(
            context.db,
            {"client_id": client.id, "invoice_date": TODAY - days * DAY, "net": "800.00"},
        )
    return client


def _answer(button_text: str) -> list[tuple[str, str]]:
    """Answer the next message box with that button; collect its text and informative text."""

    def click(box: QMessageBox) -> tuple[str, str]:
        [button] = [b for b in box.buttons() if b.text().replace("&", "") == button_text]
        seen = (box.text(), box.informativeText())
        button.click()
        return seen

    return on_next_modal(QMessageBox, click)  # type: ignore[return-value]


def test_the_erase_dialog_says_what_goes_what_happens_to_backups_and_exports(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    person = _client(context, "Frau Zwetschgenbaum", (30,), email="z@example.org")
    backups.take_backup(context.db.path, backups.MANUAL)
    window.show_client(person.id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]

    asked = _answer("Cancel")
    erase_client_action(detail, person.id)
    [(question, details)] = asked
    assert question == "Erase the personal data of Frau Zwetschgenbaum?"
    for words in (
        "Name, contact details, address, notes, tags and every text about them are deleted",
        "Revenue stays as anonymous figures",
        "every backup the app keeps is rewritten without them",
        "Out of the app's reach: files you exported or printed, calendar files and e-mails",
        "This cannot be undone.",
    ):
        assert words in details
    assert not client_service.get_client(context.db, person.id).erased

    _answer("Erase")
    reported = on_next_modal(QMessageBox, lambda box: (box.text(), box.accept())[0])
    erase_client_action(detail, person.id)
    qtbot.waitUntil(lambda: bool(reported))
    assert reported[0].splitlines()[0] == (
        f"The personal data were erased; the client is now listed as Erased client #{person.id}."
    )
    assert "2 backups were rewritten without them." in reported[0]
    assert detail.title.text() == f"Erased client #{person.id}"
    assert "do not contact" in detail.badge.text()
    # The page says why the client's own actions are gone, and disables them.
    assert detail.erased_note.isVisible()
    assert detail.erased_note.text().startswith(
        "The personal data of this client were erased on request."
    )
    buttons = {
        b.text().replace("&", ""): b.isEnabled()
        for b in detail.findChildren(QPushButton)
        if b.text().replace("&", "")
        in ("Edit client", "Mark lost…", "Erase personal data…", "Log contact")
        or b.text().replace("&", "").startswith("Print")
    }
    assert buttons == {
        "Edit client": False,
        "Mark lost…": False,
        "Erase personal data…": False,
        "Log contact": False,  # a note would be new personal data about the person
        "Print dossier…": True,
    }


def test_the_erase_dialog_speaks_german(window: MainWindow, context, qapp) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, "de")
    person = _client(context, "Frau Zwetschgenbaum")
    window.show_client(person.id)
    asked = _answer("Abbrechen")
    erase_client_action(window.page("clients").detail, person.id)  # type: ignore[attr-defined]
    [(question, details)] = asked
    assert question == "Die personenbezogenen Daten von Frau Zwetschgenbaum löschen?"
    assert "jede Sicherung, die die App aufbewahrt, wird ohne die Person neu geschrieben" in details
    assert details.endswith(
        "Außerhalb der Reichweite der App: Dateien, die Sie exportiert oder gedruckt haben, "
        "Kalenderdateien und E-Mails, die Sie verschickt haben. Löschen Sie diese selbst, wo sie "
        "die Person nennen."
    )


def test_the_do_not_contact_filter_shows_objections_and_erased_clients(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Darf GmbH", (10,))
    _client(context, "Nein AG", (10,), objection_on=TODAY - 3 * DAY)
    _client(context, "Später KG", (10,), objection_on=TODAY + 30 * DAY)
    _client(context, "Weg Person", (10,), kind="private")
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    gone = next(r for r in client_service.client_rows(context.db) if r.name == "Weg Person")
    erase_client(context.db, gone.id)
    context.changed()
    page.status_filter.setCurrentIndex(page.status_filter.findData(DO_NOT_CONTACT))
    assert page.status_filter.currentText() == "Do not contact"
    proxy = page.list.proxy
    shown = {
        proxy.index(row, 0).data(): proxy.index(row, 1).data() for row in range(proxy.rowCount())
    }
    assert shown == {
        "Nein AG": "Active · do not contact",
        f"Erased client #{gone.id}": "Active · do not contact",
    }


def test_a_reminder_turns_blocked_after_an_objection_and_leaves_the_due_lists(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Bald Nein GmbH", (40,))
    reminders_service.create_reminder(
        context.db, {"client_id": client.id, "due_on": TODAY - DAY, "channel": "phone"}
    )
    client_service.update_client(context.db, client.id, {"objection_on": TODAY - DAY})
    page: RemindersPage = window.show_page("reminders")  # type: ignore[assignment]
    page.refresh()
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert tabs[0] == "All open (0)" and tabs[1] == "Overdue (0)"
    blocked_tab = page._tab_groups.index(BLOCKED)
    assert page.tabs.isTabVisible(blocked_tab) and tabs[blocked_tab] == "Blocked (1)"
    page.show_group(BLOCKED)
    assert page.list.proxy.rowCount() == 1
    assert page.list.proxy.index(0, 4).data() == "Phone (blocked)"
    assert page.blocked_note.isVisibleTo(page)
    assert (
        page.blocked_note.text()
        .splitlines()[-1]
        .startswith("Bald Nein GmbH: the client objected to any contact on")
    )
    dashboard: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    dashboard.refresh()
    assert dashboard.status is not None and dashboard.status.reminders_due == ()


def test_a_planned_feedback_request_shows_it_is_blocked(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Bald Nein GmbH", (40,))
    feedback_service.create_request(context.db, {"client_id": client.id, "channel": "letter"})
    client_service.update_client(context.db, client.id, {"objection_on": TODAY})
    page: FeedbackPage = window.show_page("feedback")  # type: ignore[assignment]
    page.refresh()
    channel = page.list.proxy.index(0, 3)
    assert channel.data() == "Letter (blocked)"


def test_the_dashboard_never_offers_a_call_to_a_private_person_without_consent(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    monthly = tuple(range(200, 560, 30))
    private = _client(context, "Frau Abnehmend", (*monthly, 100), kind="private")
    dashboard: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    dashboard.refresh()
    [card] = [c for c in dashboard.cards if isinstance(c, NextStepsCard)]
    [step] = [s for s in card.steps if s.client_id == private.id and s.kind.value == "warning_sign"]
    card.list.setCurrentRow(card.steps.index(step))
    assert card.panel.facts.text().startswith("by Email")
    card.panel.accept()
    [reminder] = reminders_service.list_reminders(context.db)
    assert reminder.channel is not None and reminder.channel.value == "email"
    assert reminder.note is not None and reminder.note.startswith("Ask about their plans")


def test_the_reminder_form_says_what_the_rules_allow_and_refuses_a_blocked_channel(
    context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    from ui.dialogs.reminders import ReminderDialog

    private = _client(context, "Frau Privat", (30,), kind="private")
    dialog = ReminderDialog(context, client_id=private.id)
    qtbot.addWidget(dialog)
    assert not dialog.permission.isVisibleTo(dialog)  # no channel yet: nothing blocks it
    dialog.fields["channel"].setCurrentIndex(dialog.fields["channel"].findData("phone"))
    assert dialog.permission.text().startswith("Blocked: calling a private person needs")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not dialog.result()
    assert dialog.error_label.text().startswith("Phone contact is not allowed")
    dialog.fields["channel"].setCurrentIndex(dialog.fields["channel"].findData("email"))
    assert dialog.permission.text().startswith("Allowed with caution: existing customer")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result()
    [row] = reminders_service.list_reminders(context.db)
    assert (row.client_name, row.channel.value) == ("Frau Privat", "email")  # type: ignore[union-attr]
