"""Lost clients and win-back in the window: mark lost → win-back attempt → won back, the
contact rules on the client page, erasure after a rude reaction, and the dashboard card."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QMessageBox

from freelancer_desk import backups
from freelancer_desk.models import ClientStatus, WinbackOutcome
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import reminders as reminder_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import winback as winback_service
from tests.today import TODAY
from ui.app import apply_language
from ui.dialogs.winback import (
    AttemptDialog,
    CaseDialog,
    ConsentDialog,
    MarkLostDialog,
    ReasonCatalogueDialog,
)
from ui.main_window import MainWindow
from ui.models.table import RecordFilterProxy, RecordTableModel
from ui.pages.clients import ClientsPage
from ui.pages.lost import ContactRulesTab, LostClientsPage, ensure_case

DAY = dt.timedelta(days=1)


def _client(
    context, name: str, days_ago: tuple[int, ...] = (40, 100), net: str = "2500.00", **extra
):  # type: ignore[no-untyped-def]
    client = client_service.create_client(context.db, {"name": name, **extra})
    for days in days_ago:
        revenue_service.create_entry(
            context.db, {"client_id": client.id, "invoice_date": TODAY - days * DAY, "net": net}
        )
    return client


def _open_case(context, client_id: int, days_ago: int = 5) -> int:  # type: ignore[no-untyped-def]
    """Mark the client lost for poor quality ``days_ago`` days ago and open its case."""
    loss = loss_service.mark_lost(
        context.db,
        {
            "client_id": client_id,
            "lost_on": TODAY - days_ago * DAY,
            "loss_type": "pushed",
            "reason_code": "quality",
        },
    )
    case_id = winback_service.open_case(context.db, loss.id).id
    assert case_id is not None
    return case_id


def _save(dialog) -> None:  # type: ignore[no-untyped-def]
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def _rows(page_list, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = page_list.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def _when_modal(steps: list[Callable[[QDialog], bool]]) -> list[str]:
    """Handle the next modal dialogs in order; each step returns True when it closed its dialog.

    Returns the window titles and texts seen, for asserting what the user was shown.
    """
    seen: list[str] = []
    pending = list(steps)

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if not pending:
            return
        if (
            isinstance(widget, QDialog)
            and widget.isVisible()
            and widget.property("handled") is None
        ):
            widget.setProperty("handled", True)
            seen.append(widget.text() if isinstance(widget, QMessageBox) else widget.windowTitle())
            pending.pop(0)(widget)
        QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen


def _button(box: QMessageBox, text: str) -> bool:
    [button] = [b for b in box.buttons() if b.text().replace("&", "") == text]
    button.click()
    return True


# --------------------------------------------------------------------------------------------


def test_item_models_pass_the_model_tester(qtmodeltester, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    won = _client(context, "Rückkehr AG")
    case_id = _open_case(context, won.id, days_ago=30)
    winback_service.add_attempt(
        context.db, case_id, {"date": TODAY - 20 * DAY, "channel": "letter"}
    )
    page = LostClientsPage(context)
    qtbot.addWidget(page)
    dialog = CaseDialog(context, case_id)
    qtbot.addWidget(dialog)
    for table in (page.losses, page.candidates, page.controlling, page.loyalty, dialog.attempts):
        assert table.model.rowCount() > 0
        assert isinstance(table.model, RecordTableModel) and isinstance(
            table.proxy, RecordFilterProxy
        )
        qtmodeltester.check(table.model)
        qtmodeltester.check(table.proxy)


def test_mark_lost_win_back_attempt_won_back(window: MainWindow, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Müller & Söhne GmbH", days_ago=(60, 200, 300), net="1000.00")
    page: LostClientsPage = window.show_page("lost")  # type: ignore[assignment]
    assert page.losses.table.isHidden() and page.losses.empty.isVisible()

    # 1. Mark lost: the reason preselects its typical loss type.
    lost = MarkLostDialog(context, client_id=client.id, parent=page)
    qtbot.addWidget(lost)
    lost.fields["lost_on"].set_date(TODAY - 10 * DAY)
    lost.fields["reason_code"].setCurrentIndex(lost.fields["reason_code"].findData("competitor"))
    assert lost.fields["loss_type"].currentData() == "pulled"
    lost.fields["reason_text"].setPlainText("Angebot eines Wettbewerbers, 20 % günstiger")
    _save(lost)
    assert lost.result()
    context.changed()
    assert _rows(page.losses, 0) == ["Müller & Söhne GmbH"]
    assert _rows(page.losses, 4) == ["€3,000.00"]  # the three invoices of the 12 months before
    assert _rows(page.candidates, 1) == ["€3,000.00 *"]  # estimated until a case exists

    # 2. The case: worthiness, measures suggested from the reason, and an attempt.
    page.losses.select_where(lambda row: row.client_name == "Müller & Söhne GmbH")
    case_id = ensure_case(page, context, page.losses.selected().id, None)
    dialog = CaseDialog(context, case_id, page)
    qtbot.addWidget(dialog)
    assert dialog.measures.toPlainText().splitlines()[0] == "Explain the value behind the price"
    dialog.fields["potential_12m"].setText("4,000.00")
    dialog.fields["discount"].setValue(10)
    dialog.fields["winback_cost"].setText("150.00")
    dialog.fields["care_cost_12m"].setText("250.00")
    assert dialog.value.text() == "€3,200.00 — worth trying"  # 4,000 × 0.9 − 150 − 250
    dialog.fields["incentive"].setText("Ein Monat Wartung gratis")

    def record_attempt(attempt: QDialog) -> bool:
        assert isinstance(attempt, AttemptDialog)
        attempt.fields["channel"].setCurrentIndex(attempt.fields["channel"].findData("phone"))
        assert attempt.permission.text().startswith("Allowed with caution")
        attempt.fields["reaction"].setCurrentIndex(attempt.fields["reaction"].findData("friendly"))
        attempt.fields["cost"].setText("12.50")
        attempt.fields["notes"].setPlainText("Freut sich über den Anruf")
        _save(attempt)
        return True

    seen = _when_modal([record_attempt])
    dialog.add_attempt_button.click()
    assert seen == ["Win-back attempt: Müller & Söhne GmbH"]  # no pop-up over the case after it
    assert dialog.status_bar.currentMessage() == (
        "Next step: Friendly: suggest a meeting or send a current offer."
    )
    assert _rows(dialog.attempts, 2) == ["Friendly"]

    # 3. Won back: the checklist appears; tick one point and save.
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("won_back"))
    assert dialog.checklist_box.isVisibleTo(dialog)
    dialog.checklist["double_check"].setChecked(True)
    dialog.goals["goal_reason_learned"].setChecked(True)
    _save(dialog)
    assert dialog.result()
    case = winback_service.get_case(context.db, case_id)
    assert (case.outcome, case.outcome_on, case.value, case.incentive) == (
        WinbackOutcome.WON_BACK,
        TODAY,
        3200,
        "Ein Monat Wartung gratis",
    )
    assert [item.key for item in case.checklist if item.done] == ["double_check"]
    assert case.goal_reason_learned
    assert case.winback_cost + sum(attempt.cost for attempt in case.attempts) == 162.5
    assert _rows(page.losses, 6) == ["Won back"]
    assert _rows(page.candidates, 0) == []

    # The client is a returner in the Clients table.
    clients: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    assert [r.status for r in clients.list.model.records()] == [ClientStatus.WON_BACK]
    assert clients.list.proxy.index(0, 1).data() == "Won back"


def test_blocked_channel_is_refused_in_the_attempt_dialog(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    private = _client(context, "Jörg Weiß", kind="private")
    loss = loss_service.mark_lost(
        context.db,
        {
            "client_id": private.id,
            "lost_on": TODAY - 5 * DAY,
            "loss_type": "pushed",
            "reason_code": "poor_service",
        },
    )
    case = winback_service.get_case(context.db, winback_service.open_case(context.db, loss.id).id)
    dialog = AttemptDialog(context, case)
    qtbot.addWidget(dialog)
    dialog.fields["channel"].setCurrentIndex(dialog.fields["channel"].findData("phone"))
    assert dialog.permission.text().startswith("Blocked: calling a private person needs")
    _save(dialog)
    assert not dialog.result()
    assert dialog.error_label.text().startswith(
        "Phone contact is not allowed: calling a private person"
    )
    assert winback_service.get_case(context.db, case.id).attempts == ()


def test_rude_reaction_offers_erasure(window: MainWindow, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    rude = _client(
        context, "Grob GmbH", email="chef@grob.example", email_consent_on=TODAY - 400 * DAY
    )
    case_id = _open_case(context, rude.id)
    dialog = CaseDialog(context, case_id, window)
    qtbot.addWidget(dialog)

    def rude_mail(attempt: QDialog) -> bool:
        attempt.fields["channel"].setCurrentIndex(attempt.fields["channel"].findData("email"))
        attempt.fields["reaction"].setCurrentIndex(attempt.fields["reaction"].findData("rude"))
        _save(attempt)
        return True

    informed: list[str] = []

    def read_report(box: QDialog) -> bool:
        informed.append(box.text())  # type: ignore[attr-defined]
        return _button(box, "OK")

    seen = _when_modal([rude_mail, lambda box: _button(box, "Erase personal data"), read_report])
    dialog.add_attempt_button.click()
    # One message: the case is closed because of the rude reaction; erasing is an option.
    assert seen[1] == (
        f"Grob GmbH reacted rudely, so the win-back case is closed as given up on "
        f"{TODAY.strftime('%-d %b %Y')}. This is saved; the follow-up reminders of the case "
        "are closed too."
    )
    client = client_service.get_client(context.db, rude.id)
    assert client.erased and client.email is None
    assert client.name == f"Erased client #{rude.id}"
    # A rude reaction closes the case as given up, and the dialog shows it (Save keeps it).
    assert winback_service.get_case(context.db, case_id).outcome is WinbackOutcome.GIVEN_UP
    assert dialog.outcome.currentData() == "given_up"
    assert informed[0].startswith(
        f"The personal data were erased; the client is now listed as Erased client #{rude.id}."
    )
    assert "1 backup was rewritten without them." in informed[0]
    taken = backups.backups_in(context.db.path.parent / "backups", context.db.path)
    assert [b.reason for b in taken] == [backups.BEFORE_ERASE]


def test_rude_reaction_kept_data_shows_the_saved_closed_case(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    rude = _client(context, "Grob GmbH")
    case_id = _open_case(context, rude.id)
    reminder_service.create_reminder(
        context.db,
        {"client_id": rude.id, "due_on": TODAY + 3 * DAY, "purpose": "winback_followup"},
    )
    dialog = CaseDialog(context, case_id, window)
    qtbot.addWidget(dialog)
    assert dialog.saved_outcome.isHidden()

    def rude_letter(attempt: QDialog) -> bool:
        attempt.fields["channel"].setCurrentIndex(attempt.fields["channel"].findData("letter"))
        attempt.fields["reaction"].setCurrentIndex(attempt.fields["reaction"].findData("rude"))
        _save(attempt)
        return True

    buttons: list[list[str]] = []

    def keep(box: QDialog) -> bool:
        assert isinstance(box, QMessageBox)
        buttons.append(sorted(b.text() for b in box.buttons()))
        assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
        return _button(box, "Keep the data")

    seen = _when_modal([rude_letter, keep])
    dialog.add_attempt_button.click()
    assert seen[1].startswith("Grob GmbH reacted rudely, so the win-back case is closed")
    assert buttons == [["Erase personal data", "Keep the data"]]
    assert not client_service.get_client(context.db, rude.id).erased
    # The form shows the stored state in words, and no more attempts can be added.
    assert dialog.outcome.currentData() == "given_up"
    assert not dialog.saved_outcome.isHidden()
    assert dialog.saved_outcome.text() == (
        f"Saved: given up on {TODAY.strftime('%-d %b %Y')} after a rude reaction. "
        "To try again, choose \u201cOpen\u201d and save."
    )
    assert not dialog.add_attempt_button.isEnabled()
    dialog.reject()
    assert winback_service.get_case(context.db, case_id).outcome is WinbackOutcome.GIVEN_UP
    assert reminder_service.list_reminders(context.db, client_id=rude.id) == []
    # Opened again, the dialog says the same.
    again = CaseDialog(context, case_id, window)
    qtbot.addWidget(again)
    assert again.saved_outcome.text() == dialog.saved_outcome.text()


def test_contact_rules_tab_and_consent_dialog(window: MainWindow, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Frau Schäfer", kind="private")
    window.show_client(client.id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    [tab] = [t for t in detail.extra_tabs if isinstance(t, ContactRulesTab)]
    assert detail.tabs.tabText(detail.tabs.indexOf(tab)) == "Contact rules"
    rows = {channel: verdict for channel, verdict, _why in tab.rows()}
    assert rows == {
        "Phone": "Blocked",
        "Email": "Allowed with caution",
        "Meeting": "Allowed with caution",
        "Letter": "Allowed",
        "Other": "Blocked",  # SMS, fax, messengers: a private person must have agreed first
    }
    consent = ConsentDialog(context, client.id, tab)
    qtbot.addWidget(consent)
    consent.fields["phone_consent_on"].set_date(TODAY - 3 * DAY)
    consent.fields["objection_on"].edit.setText("kein Datum")
    _save(consent)
    assert consent.error_label.text() == "Objection: is not a valid date"
    consent.fields["objection_on"].set_date(None)
    _save(consent)
    assert consent.result()
    context.changed()
    assert tab.rows()[0][1] == "Allowed"
    assert "Phone consent: " + (TODAY - 3 * DAY).strftime("%-d %b %Y") in tab.dates.text()


def test_reason_catalogue_dialog_edits_a_reason(context, qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = ReasonCatalogueDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.reasons.count() == 16 and dialog.code.text() == "moved"
    dialog.label_en.setText("Moved away")
    dialog.measures_en.setPlainText("Work remotely\nRecommend a partner")
    dialog.save_reason()
    row = {r.code: r for r in loss_service.reasons(context.db)}["moved"]
    assert (row.label, row.measures) == ("Moved away", ("Work remotely", "Recommend a partner"))
    dialog.new_reason()
    dialog.code.setText("retired")
    dialog.label_en.setText("Retired")
    dialog.save_reason()
    assert "Name (German): must not be empty" in dialog.error.text()
    dialog.label_de.setText("Ruhestand")
    dialog.save_reason()
    assert dialog.reasons.currentItem().text() == "Retired"


def test_reason_catalogue_asks_before_dropping_edits(context, qtbot, answer_message_box) -> None:  # type: ignore[no-untyped-def]
    dialog = ReasonCatalogueDialog(context)
    qtbot.addWidget(dialog)
    dialog.label_en.setText("Moved far away")
    asked = answer_message_box("Cancel")
    dialog.reasons.setCurrentRow(1)
    assert asked == ["Save your changes to this reason first?"]
    assert (dialog.reasons.currentRow(), dialog.label_en.text()) == (
        0,
        "Moved far away",
    )  # still there

    answer_message_box("Save")
    dialog.reasons.setCurrentRow(1)
    assert dialog.code.text() == "financial_squeeze" and dialog.reasons.currentRow() == 1
    assert {r.code: r for r in loss_service.reasons(context.db)}["moved"].label == "Moved far away"
    assert dialog.reasons.item(0).text() == "Moved far away"

    dialog.label_en.setText("Money trouble")
    answer_message_box("Discard")
    dialog.new_reason()
    assert dialog.code.text() == "" and not dialog.unsaved()
    assert {r.code: r for r in loss_service.reasons(context.db)}[
        "financial_squeeze"
    ].label == "Financial squeeze"


def test_lost_page_speaks_german(qapp, context, qtbot) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, "de")
    client = _client(context, "Bäckerei Groß")
    loss_service.mark_lost(
        context.db,
        {
            "client_id": client.id,
            "lost_on": TODAY - 3 * DAY,
            "loss_type": "broken",
            "reason_code": "moved",
            "objected": True,
        },
    )
    page = LostClientsPage(context)
    qtbot.addWidget(page)
    assert [page.tabs.tabText(i) for i in range(3)] == [
        "Verlorene Kunden",
        "Kandidaten für die Rückgewinnung",
        "Erfolgskontrolle",
    ]
    assert (
        page.losses.model.headerData(4, Qt.Orientation.Horizontal) == "Umsatz der 12 Monate davor"
    )
    assert _rows(page.losses, 2) == ["Weggebrochen"]
    assert _rows(page.losses, 3) == ["Kunde ist umgezogen"]
    assert _rows(page.losses, 5) == ["ja"]
    assert _rows(page.losses, 6) == ["Noch kein Fall"]  # a sentence start, like the outcomes
    assert page.candidates.proxy.rowCount() == 0  # objected: nobody may contact them
    assert "Nicht festgelegt" in _rows(page.loyalty, 0)
    assert page.controlling.model.headerData(1, Qt.Orientation.Horizontal) == "Kategorie"


def test_marking_a_client_lost_who_objected_ticks_the_objection(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    objected = client_service.create_client(
        context.db, {"name": "Grünwerk", "objection_on": TODAY.isoformat()}
    )
    other = client_service.create_client(context.db, {"name": "Atelier Nord"})
    dialog = MarkLostDialog(context)
    qtbot.addWidget(dialog)
    for client, ticked in ((objected, True), (other, False), (objected, True)):
        dialog.client.setCurrentIndex(dialog.client.findData(client.id))
        assert dialog.objected.isChecked() is ticked
