"""The step plan on screen: the dashboard's "Next steps" card and its panel, the client page's
header and timeline, and the reasons on the Clients list — driven like a user."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from freelancer_desk import formatting
from freelancer_desk.analytics.steps import StepKind
from freelancer_desk.models import Decision, ReminderPurpose, WinbackOutcome
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import interactions as interaction_service
from freelancer_desk.services import losses as loss_service
from freelancer_desk.services import reminders as reminders_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services import steps as steps_service
from freelancer_desk.services import winback as winback_service
from tests.ui.conftest import open_client
from ui.dialogs.winback import CaseDialog
from ui.main_window import MainWindow
from ui.models.table import RecordFilterProxy, RecordTableModel
from ui.pages.client_overview import EVENT_COLUMNS, TimelineTab
from ui.pages.clients import ClientsPage
from ui.pages.dashboard import DashboardPage
from ui.pages.steps import NextStepsCard

from .conftest import on_next_modal

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)
#: An order a month in the usual months and none lately, then one 100 days ago: fewer orders.
MONTHLY = (*range(200, 560, 30), 100)


def _client(context, name: str, days_ago: tuple[int, ...], net: str = "800.00", **extra):  # type: ignore[no-untyped-def]
    """A client with unpaid invoices of ``net`` on those days before today."""
    client = client_service.create_client(context.db, {"name": name, **extra})
    for days in days_ago:
        revenue_service.create_entry(
            context.db, {"client_id": client.id, "invoice_date": TODAY - days * DAY, "net": net}
        )
    return client


def _drifting(context):  # type: ignore[no-untyped-def]
    """At risk: fewer orders, and two complaints lately."""
    client = _client(context, "Abnehmend KG", MONTHLY)
    for days in (20, 50):
        interaction_service.create_interaction(
            context.db, {"client_id": client.id, "kind": "complaint", "date": TODAY - days * DAY}
        )
    return client


def _card(window: MainWindow) -> NextStepsCard:
    dashboard: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    dashboard.refresh()
    [card] = [c for c in dashboard.cards if isinstance(c, NextStepsCard)]
    return card


def _choose(card: NextStepsCard, kind: StepKind, client: str) -> None:
    card.list.setCurrentRow(
        next(i for i, s in enumerate(card.steps) if s.kind is kind and s.client == client)
    )


def _open_client(window: MainWindow, client_id: int) -> ClientsPage:
    window.show_client(client_id)
    page: ClientsPage = window.page("clients")  # type: ignore[assignment]
    assert page.detail is not None and page.detail.client_id == client_id
    return page


# --------------------------------------------------------------------------------------------
# The dashboard card
# --------------------------------------------------------------------------------------------


def test_the_card_lists_the_plan_and_its_panel_accepts_once_and_undoes(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    _drifting(context)
    _client(context, "Schläfer & Co", (250,))
    _client(context, "Lebhaft AG", (10,))
    card = _card(window)
    shown = [(s.kind, s.client) for s in card.steps]
    assert (StepKind.WARNING_SIGN, "Abnehmend KG") in shown
    assert (StepKind.REACTIVATE, "Schläfer & Co") in shown
    assert "Lebhaft AG" not in {s.client for s in card.steps}
    assert shown[0] == (StepKind.WARNING_SIGN, "Abnehmend KG")  # most urgent first
    assert shown[-1] == (StepKind.NEW_CLIENTS, None)  # every 4 weeks by default
    texts = [card.list.item(row).text() for row in range(card.list.count())]
    assert any("Orders fell from" in text for text in texts)  # the status's words

    _choose(card, StepKind.REACTIVATE, "Schläfer & Co")
    panel = card.panel
    assert panel.heading.text() == "Reactivate · Schläfer & Co"
    assert panel.why.text().startswith("No revenue since ")
    assert panel.facts.text().startswith("by Phone")
    step_id = panel.step.id  # type: ignore[union-attr]
    panel.accept_button.click()
    [reminder] = reminders_service.list_reminders(context.db)
    assert (reminder.client_name, reminder.purpose) == ("Schläfer & Co", ReminderPurpose.REACTIVATE)
    assert panel.result.text().startswith("Reactivate · Schläfer & Co: Reminder for ")
    assert panel.undo_button.isVisibleTo(card)
    assert step_id not in [s.id for s in card.steps]  # off the plan, the message stays
    again = steps_service.accept(context.db, step_id, TODAY)
    assert again.again and len(reminders_service.list_reminders(context.db)) == 1

    panel.undo_button.click()
    assert reminders_service.list_reminders(context.db) == []
    assert step_id in [s.id for s in card.steps]
    assert panel.result.text() == "Undone: the step is back on the plan."

    _choose(card, StepKind.REACTIVATE, "Schläfer & Co")
    panel.snooze(7)
    assert step_id not in [s.id for s in card.steps]
    assert steps_service.decisions(context.db) == {step_id: Decision.SNOOZED}
    assert panel.result.text().endswith(f"Snoozed until {formatting.date(TODAY + 7 * DAY)}.")


def test_a_decision_on_the_card_selects_the_next_step(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _drifting(context)
    _client(context, "Schläfer & Co", (250,))
    _client(context, "Auch müde GmbH", (260,))
    card = _card(window)
    row = next(i for i, s in enumerate(card.steps) if s.client == "Schläfer & Co")
    following = card.steps[row + 1].id
    card.list.setCurrentRow(row)
    card.panel.dismiss()
    assert card.list.currentRow() == row  # the successor took its row, not the top one
    assert card.panel.step is not None and card.panel.step.id == following


def test_the_panel_opens_the_client(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    drifting = _drifting(context)
    card = _card(window)
    _choose(card, StepKind.WARNING_SIGN, "Abnehmend KG")
    card.panel.client_button.click()
    assert window.stack.currentWidget() is window.page("clients")
    assert window.page("clients").detail.client_id == drifting.id  # type: ignore[attr-defined]


def test_the_card_says_so_when_nothing_is_to_do(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Lebhaft AG", (10,))
    settings_service.save(context.db, new_clients_every_weeks=0)  # no regular time planned
    card = _card(window)
    assert card.steps == []
    assert card.summary.text().startswith("Nothing to do right now")
    assert not card.list.isVisibleTo(card) and not card.panel.isVisibleTo(card)


# --------------------------------------------------------------------------------------------
# The client page
# --------------------------------------------------------------------------------------------


def test_the_client_page_explains_an_at_risk_client(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    drifting = _drifting(context)
    _client(context, "Lebhaft AG", (10,), net="2500.00")
    _client(context, "Schläfer & Co", (250,), net="2500.00")
    page = _open_client(window, drifting.id)
    header = page.detail.header  # type: ignore[union-attr]
    assert header.status.text().startswith("<b style='color:#b35900'>At risk</b> — Orders fell")
    assert "Complaints rose from" in header.status.text()
    # 12 months: 6 monthly orders and the one 100 days ago, 7 × 800; the 12 before: 6 × 800.
    assert header.revenue.text() == "Revenue, 12 months: €5,600.00"
    assert header.revenue_change.text() == "▲ +€800.00"
    # 5,600 of 10,600 is 52.8 %; the 12 months before it was the only client with revenue.
    assert header.share.text() == "Share of your revenue: 52.8%"
    assert header.share_change.text() == "▼ −47.2 pts"
    assert header.invoices.text().startswith("13 open invoices over €10,400.00 (net), 13 overdue")
    assert header.channels.text().startswith("Contact allowed by: ")
    assert header.steps_heading.text() == "Next step"  # its signs are one step
    assert header.panel.heading.text() == "Warning sign · Abnehmend KG"
    assert header.panel.why.text().startswith("Warning signs: More complaints; Fewer orders. ")
    assert "Orders fell from " in header.panel.why.text()
    assert not header.panel.client_button.isVisibleTo(header)  # the client's page already
    assert not header.winback_button.isVisibleTo(header)
    # No gap above the tabs: the hidden win-back button takes no room (its row kept its
    # spacing below the contact line).
    left = header.layout().itemAt(0).layout()
    left.invalidate()
    hidden = left.sizeHint().height()
    header.winback_button.show()
    left.invalidate()
    shown = left.sizeHint().height()
    header.winback_button.hide()
    assert shown - hidden >= header.winback_button.sizeHint().height() + left.spacing()

    [timeline] = [t for t in page.detail.extra_tabs if isinstance(t, TimelineTab)]  # type: ignore[union-attr]
    assert timeline.list.proxy.rowCount() == 15  # 13 invoices and 2 complaints
    timeline.filter.setCurrentIndex(timeline.filter.findText("Complaints"))
    proxy = timeline.list.proxy
    assert [proxy.index(r, 1).data() for r in range(proxy.rowCount())] == [
        "Logged: Complaint",
        "Logged: Complaint",
    ]


def test_the_client_page_turns_through_the_clients_steps(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    drifting = _drifting(context)
    client_service.update_client(context.db, drifting.id, {"loyalty": "conditional"})
    header = _open_client(window, drifting.id).detail.header  # type: ignore[union-attr]
    assert header.steps_heading.text() == "Next steps: 1 of 2"
    assert header.panel.heading.text() == "Warning sign · Abnehmend KG"
    assert not header.previous_button.isEnabled() and header.next_button.isEnabled()
    header.next_button.click()
    assert header.steps_heading.text() == "Next steps: 2 of 2"
    assert header.panel.heading.text() == "Build loyalty · Abnehmend KG"
    assert header.previous_button.isEnabled() and not header.next_button.isEnabled()
    header.previous_button.click()
    assert header.panel.heading.text() == "Warning sign · Abnehmend KG"


def test_the_panel_buttons_stay_put_with_and_without_a_note(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    drifting = _drifting(context)  # at risk: a call on presumed interest (a note)
    payer = _client(context, "Zahlt pünktlich AG", ())
    revenue_service.create_entry(
        context.db,
        {"client_id": payer.id, "invoice_date": TODAY - 40 * DAY, "net": "100.00",
         "paid_date": TODAY - 30 * DAY},
    )  # fmt: skip
    # The file records payments: the unpaid invoices are overdue, a payment reminder (no note).
    header = open_client(qtbot, window, drifting.id).header
    panel = header.panel

    def button_top() -> int:
        QApplication.processEvents()
        return panel.accept_button.mapTo(header, QPoint(0, 0)).y()

    assert header.steps_heading.text() == "Next steps: 1 of 2"
    assert panel.heading.text() == "Payment reminder · Abnehmend KG"
    assert panel.caution.text() == ""
    assert panel.facts.text().endswith("overdue: €10,400.00")
    without_note = button_top()
    header.next_button.click()
    assert panel.heading.text() == "Warning sign · Abnehmend KG"
    assert panel.caution.text().startswith("no consent recorded")
    assert button_top() == without_note  # the note's lines were kept free


def test_the_client_page_of_a_fresh_loss_calls_at_once_and_looks_back(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    drifting = _drifting(context)
    loss_service.mark_lost(
        context.db,
        {
            "client_id": drifting.id,
            "lost_on": TODAY - 3 * DAY,
            "loss_type": "pushed",
            "reason_code": "price_too_high",
        },
    )
    page = _open_client(window, drifting.id)
    header = page.detail.header  # type: ignore[union-attr]
    assert header.status.text().startswith("<b style='color:#b00020'>Lost on ")  # once
    assert header.look_back.text().startswith("Before the loss on ")
    assert "Fewer orders" in header.look_back.text()
    assert header.panel.heading.text() == "Win back · Abnehmend KG"
    assert header.panel.what.text().startswith("What to do: Call now")
    assert header.panel.facts.text().startswith("by Phone")
    assert "revenue in the 12 months before the loss: " in header.panel.facts.text()
    assert header.winback_button.isVisibleTo(header)
    [timeline] = [t for t in page.detail.extra_tabs if isinstance(t, TimelineTab)]  # type: ignore[union-attr]
    assert timeline.list.proxy.index(0, 1).data() == "Lost (Left because of us)"

    def close(dialog: CaseDialog) -> str:
        title = dialog.windowTitle()
        dialog.reject()
        return title

    seen = on_next_modal(CaseDialog, close)
    header.winback_button.click()  # one dialog, the case started for the loss
    assert seen
    [loss] = loss_service.list_losses(context.db)
    assert loss.case_id is not None


def test_the_client_page_of_a_returner_shows_the_first_jobs_checklist(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Wieder Da GmbH", (200, 170, 140))
    loss = loss_service.mark_lost(
        context.db,
        {
            "client_id": client.id,
            "lost_on": TODAY - 60 * DAY,
            "loss_type": "pushed",
            "reason_code": "price_too_high",
        },
    )
    case = winback_service.open_case(context.db, loss.id)
    winback_service.set_outcome(context.db, case.id, WinbackOutcome.WON_BACK, TODAY - 10 * DAY)
    page = _open_client(window, client.id)
    header = page.detail.header  # type: ignore[union-attr]
    won_back = formatting.date(TODAY - 10 * DAY)
    assert header.status.text() == f"<b style='color:#1b7f3b'>Won back on {won_back}.</b>"
    steps = steps_service.steps_for_client(context.db, client.id, TODAY)
    assert steps[0].kind is StepKind.RETURNER_CHECKLIST
    assert header.panel.what.text().startswith("What to do: Make the first jobs flawless")


def test_the_timeline_model_passes_the_model_tester(qtmodeltester, context) -> None:  # type: ignore[no-untyped-def]
    from freelancer_desk.services import client_page

    drifting = _drifting(context)
    events = client_page.timeline(context.db, drifting.id, TODAY)
    model: RecordTableModel = RecordTableModel(EVENT_COLUMNS)
    model.set_records(events)
    qtmodeltester.check(model)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(0)
    qtmodeltester.check(proxy)


# --------------------------------------------------------------------------------------------
# The Clients list
# --------------------------------------------------------------------------------------------


def test_the_clients_list_gives_each_status_its_reasons(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _drifting(context)
    _client(context, "Schläfer & Co", (250,))
    _client(context, "Lebhaft AG", (10,))
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    proxy = page.list.proxy
    titles = [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert titles[4] == "Why"
    rows = {proxy.index(r, 0).data(): r for r in range(proxy.rowCount())}
    why = {name: proxy.index(row, 4).data() for name, row in rows.items()}
    assert why["Abnehmend KG"].startswith("Orders fell from ")
    assert (
        why["Schläfer & Co"] == f"No revenue since {formatting.date(TODAY - 250 * DAY)} (250 days)."
    )
    assert why["Lebhaft AG"] == ""
    tooltip = proxy.index(rows["Abnehmend KG"], 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip.splitlines()[0] == "At risk"
    assert tooltip.splitlines()[1].startswith("Orders fell from ")


def test_the_quarters_chart_of_a_client_without_revenue_shows_a_single_zero() -> None:
    from matplotlib.figure import Figure

    from freelancer_desk.analytics.history import QuarterTotal
    from freelancer_desk.analytics.periods import Period
    from ui.pages.client_overview import draw_quarters

    quarters = [
        QuarterTotal(Period(dt.date(2026, month, 1), dt.date(2026, month + 2, 28)), 0)
        for month in (1, 4, 7, 10)
    ]
    figure = Figure()
    draw_quarters(quarters, figure)
    figure.canvas.draw()
    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert labels == ["0"]  # not "0, 0, -0" around an empty axis


def test_a_loss_without_warning_signs_says_so_in_a_german_sentence(
    qapp, window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    from ui.app import apply_language

    steady = _client(context, "Stetig GmbH", tuple(range(20, 380, 30)))
    loss_service.mark_lost(
        context.db,
        {
            "client_id": steady.id,
            "lost_on": TODAY - 3 * DAY,
            "loss_type": "pulled",
            "reason_code": "competitor",
        },
    )
    apply_language(qapp, "de")
    page = _open_client(window, steady.id)
    day = formatting.date(TODAY - 3 * DAY)
    assert page.detail.header.look_back.text() == (  # type: ignore[union-attr]
        f"Vor dem Verlust am {day} war kein Warnzeichen zu sehen."
    )
