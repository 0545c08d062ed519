"""The dependency card, the self-check card, the client groups dialog and the settings section."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QInputDialog, QPushButton

from freelancer_desk import formatting
from freelancer_desk.analytics.periods import previous, rolling_12_months
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import groups as group_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services import self_check as self_check_service
from freelancer_desk.services import settings as settings_service
from freelancer_desk.services.status import StatusRequest, build_status
from tests.today import TODAY
from tests.ui.conftest import on_next_modal
from ui.app import apply_language
from ui.dialogs.groups import GROUP_COLUMNS, GroupsDialog, MembershipModel
from ui.dialogs.settings import SettingsDialog
from ui.main_window import MainWindow
from ui.models.table import RecordTableModel
from ui.pages.dashboard import DashboardPage, KeyFiguresCard
from ui.pages.dependency import DependencyCard, SelfCheckCard, threshold_text


def _client(context, name: str) -> int:  # type: ignore[no-untyped-def]
    return client_service.create_client(context.db, {"name": name}).id


def _invoice(context, client_id: int, days_ago: int, net: str) -> None:  # type: ignore[no-untyped-def]
    revenue_service.create_entry(
        context.db,
        {
            "client_id": client_id,
            "invoice_date": TODAY - dt.timedelta(days=days_ago),
            "net": Decimal(net),
        },
    )


def _issue_example(context) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Alpha 20,000.00, Beta 850.00 in the last 12 months: the example of the issue."""
    ids = {"Alpha": _client(context, "Alpha GmbH"), "Beta": _client(context, "Beta KG")}
    _invoice(context, ids["Alpha"], 40, "12000.00")
    _invoice(context, ids["Alpha"], 100, "8000.00")
    _invoice(context, ids["Beta"], 70, "850.00")
    return ids


def _card(page: DashboardPage, kind: type) -> object:
    return next(card for card in page.cards if isinstance(card, kind))


def test_dependency_card_shows_level_in_words_and_the_what_if_figures(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    _issue_example(context)
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    page.refresh()
    card: DependencyCard = _card(page, DependencyCard)  # type: ignore[assignment]

    # 20,000 / 20,850 = 95.9 % → critical, said in words, not only in red.
    assert card.badge.text() == "Critical"
    assert "#b00020" in card.badge.styleSheet()
    assert card.headline.text() == "Alpha GmbH: 95.9% of your net revenue"
    # T/5 − O = 4,000 − 850 = 3,150.00 → 3,150.01 brings the share strictly under 5/6;
    # T − O = 19,150.00 → 19,150.01 under 50 %.
    text = card.text.text()
    assert (
        "Another €3,150.01 from other clients in the same period would bring you under 5/6." in text
    )
    assert (
        "Another €19,150.01 from other clients in the same period would bring the largest payer "
        "under 50%." in text
    )
    assert "pension insurance" in text
    # The figures are those of the one status document.
    assert page.status == build_status(context.db, StatusRequest(as_of=TODAY))
    assert card.charts.isVisibleTo(card)


def test_dependency_card_speaks_german(qapp, window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _issue_example(context)
    apply_language(qapp, "de")
    german = MainWindow(context)
    try:
        page: DashboardPage = german.show_page("dashboard")  # type: ignore[assignment]
        card: DependencyCard = _card(page, DependencyCard)  # type: ignore[assignment]
        assert card.badge.text() == "Kritisch"
        assert card.headline.text() == "Alpha GmbH: 95,9\xa0% Ihres Nettoumsatzes"
        assert (
            "Weitere 3.150,01\xa0€ von anderen Kunden im selben Zeitraum brächten Sie "
            "unter 5/6." in card.text.text()
        )
        assert "Monatsenden in Folge" in card.figures.text()
    finally:
        german.close()
        german.deleteLater()


def test_charts_show_the_payers_and_the_trend_with_thresholds(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    ids = _issue_example(context)
    for number in range(6):  # six small payers: five are named, the sixth is "others"
        _invoice(context, _client(context, f"Klein {number}"), 10, "10.00")
    _invoice(context, ids["Alpha"], 500, "999.00")  # older than 12 months: only in the trend
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    page.refresh()
    card: DependencyCard = _card(page, DependencyCard)  # type: ignore[assignment]
    # A first drawing follows the chart's paint, so that loading matplotlib never delays the
    # figures; a chart below the visible part is drawn when it is scrolled to.
    page.ensureWidgetVisible(card.payer_chart)
    qtbot.waitUntil(lambda: card.payer_chart.drawn is not None)
    page.ensureWidgetVisible(card.trend_chart)
    qtbot.waitUntil(lambda: card.trend_chart.drawn is not None)

    payers = card.payer_chart.drawn.axes[0]  # type: ignore[union-attr]
    # Read top to bottom, by position on the axis.
    labels = [
        t.get_text() for t in sorted(payers.get_yticklabels(), key=lambda t: -t.get_position()[1])
    ]
    assert labels == ["Alpha GmbH", "Beta KG", "Klein 0", "Klein 1", "Klein 2", "3 others"]
    bars = sorted(payers.patches, key=lambda bar: -bar.get_y())
    widths = [round(bar.get_width(), 6) for bar in bars]
    total = 20000 + 850 + 60
    assert widths == [
        round(w, 6)
        for w in (20000 / total, 850 / total, 10 / total, 10 / total, 10 / total, 30 / total)
    ]
    assert sorted(line.get_xdata()[0] for line in payers.lines) == [0.5, 5 / 6]

    trend = card.trend_chart.drawn.axes[0]  # type: ignore[union-attr]
    line, *thresholds = trend.lines
    assert page.status is not None
    expected = [None if p.share is None else float(p.share) for p in page.status.trend]
    assert len(expected) == 24
    assert [None if math.isnan(y) else y for y in line.get_ydata()] == expected
    assert sorted(t.get_ydata()[0] for t in thresholds) == [0.5, 5 / 6]


def test_each_figure_shows_its_change_in_arrow_sign_and_words(
    qapp, window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    ids = _issue_example(context)
    # The 12 months before: Alpha 5,000 and Beta 5,000, a tie at 50 % (the first name leads).
    _invoice(context, ids["Alpha"], 400, "5000.00")
    _invoice(context, ids["Beta"], 380, "5000.00")
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    page.refresh()
    figures: KeyFiguresCard = _card(page, KeyFiguresCard)  # type: ignore[assignment]
    # 20,850.00 now against 10,000.00: up 10,850.00; the 12 months to today are still running.
    assert figures.change.text() == "▲ +€10,850.00"
    assert figures.change.toolTip() == (
        "€10,850.00 more than in the 12 months before (€10,000.00)."
    )
    assert figures.change.accessibleName() == figures.change.toolTip()
    # What the change is measured against, in words beside it: the 12 months before these.
    before = previous(rolling_12_months(TODAY))
    assert figures.compared.text() == (
        f"Compared with the 12 months before ({formatting.date(before.start)} – "
        f"{formatting.date(before.last_day)})"
    )
    assert figures.provisional.text() == f"Provisional, as of {formatting.date(TODAY)}"
    # Alpha 20,000 now, 5,000 before; Beta 850 now, 5,000 before.
    assert figures.top.text().splitlines()[1:] == [
        "Alpha GmbH: 95.9% (▲ +€15,000.00)",
        "Beta KG: 4.1% (▼ −€4,150.00)",
    ]
    card: DependencyCard = _card(page, DependencyCard)  # type: ignore[assignment]
    # 95.9 % against 50.0 %: 45.9 percentage points more; the level then was Warning.
    assert card.change.text() == "▲ +45.9 pts · Level Warning in the 12 months before"
    assert card.change.toolTip() == (
        "45.9 percentage points more than in the 12 months before (50.0%). "
        "Level Warning in the 12 months before."
    )
    # HHI (400/417)² + (17/417)² in % = 1,602,890,000 / 173,889 = 9,218 against 50² + 50² =
    # 5,000; effective clients 10,000 / 9,217.95 = 1.1 against 2.0.
    assert "HHI 9,218 (▲ +4,218) of 10,000" in card.figures.text()
    assert "effective number of clients 1.1 (▼ −0.9)" in card.figures.text()
    assert f"Provisional, as of {formatting.date(TODAY)}" in card.details.text()

    apply_language(qapp, "de")
    german = MainWindow(context)
    try:
        page = german.show_page("dashboard")  # type: ignore[assignment]
        figures = _card(page, KeyFiguresCard)  # type: ignore[assignment]
        assert figures.change.text() == "▲ +10.850,00\xa0€"
        assert figures.change.toolTip() == (
            "10.850,00\xa0€ mehr als in den 12 Monaten davor (10.000,00\xa0€)."
        )
        assert figures.compared.text() == (
            f"Im Vergleich zu den 12 Monaten davor ({before.start:%d.%m.%Y} – "
            f"{before.last_day:%d.%m.%Y})"
        )
        assert figures.provisional.text() == f"Vorläufig, Stand {TODAY:%d.%m.%Y}"
        card = _card(page, DependencyCard)  # type: ignore[assignment]
        assert card.change.text() == "▲ +45,9 Pkt. · Stufe Warnung in den 12 Monaten davor"
    finally:
        german.close()
        german.deleteLater()


def test_no_revenue_says_so_and_hides_the_charts(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    _client(context, "Noch ohne Umsatz")
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    page.refresh()
    card: DependencyCard = _card(page, DependencyCard)  # type: ignore[assignment]
    # No level without revenue: no green "OK" badge beside "no revenue".
    assert not card.badge.isVisibleTo(card)
    assert card.headline.text() == "No revenue in this period"
    assert card.change.text() == "No revenue in the 12 months before"
    assert "no revenue in this period yet" in card.text.text()
    assert not card.charts.isVisibleTo(card)


def test_threshold_words() -> None:
    assert threshold_text(Fraction(5, 6)) == "5/6"
    assert threshold_text(Fraction(1, 2)) == "50%"
    assert threshold_text(Fraction(5, 8)) == "62.5%"


def test_self_check_ticks_are_stored(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    card: SelfCheckCard = _card(page, SelfCheckCard)  # type: ignore[assignment]
    assert card.summary.text() == "0 of 6 indicators ticked."
    card.boxes["client_premises"].click()
    card.boxes["no_other_clients"].click()
    card.boxes["client_premises"].click()
    assert self_check_service.ticked(context.db) == {"no_other_clients"}
    assert card.summary.text() == "1 of 6 indicators ticked."
    page.refresh()
    assert [key for key, box in card.boxes.items() if box.isChecked()] == ["no_other_clients"]
    texts = " ".join(label.text() for label in card.findChildren(type(card.summary)))
    assert "This is not legal advice." in texts
    assert "first three years" in texts


def test_groups_dialog_creates_assigns_renames_and_deletes(
    qtbot, qtmodeltester, context, answer_message_box
) -> None:  # type: ignore[no-untyped-def]
    ids = _issue_example(context)
    dialog = GroupsDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.members_title.text() == "Choose or create a group to tick its clients."

    dialog.name.setText("Alpha Gruppe")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    assert [g.name for g in group_service.list_groups(context.db)] == ["Alpha Gruppe"]
    assert dialog.isVisible()
    assert dialog.current().name == "Alpha Gruppe"  # type: ignore[union-attr]

    # Tick Beta into the group through the view's model, as a click on its box does.
    proxy = dialog.members_proxy
    rows = {proxy.index(r, 0).data(): proxy.index(r, 0) for r in range(proxy.rowCount())}
    assert proxy.setData(
        rows["Beta KG"], Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole
    )
    proxy.setData(rows["Alpha GmbH"], Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    group = dialog.current()
    assert group is not None and group.clients == ("Alpha GmbH", "Beta KG")
    assert group.net == Decimal("20850.00")  # the group's 12-month revenue
    assert client_service.get_client(context.db, ids["Beta"]).group_id == group.id
    qtmodeltester.check(dialog.members)
    qtmodeltester.check(dialog.groups.model)

    dialog.name.setText("alpha gruppe")
    dialog.create_group()
    assert dialog.error.isVisibleTo(dialog)
    assert "exists already" in dialog.error.text()

    # Rename asks for the chosen group's new name, starting from its name.
    def rename(box: QInputDialog) -> str:
        shown = box.textValue()
        box.setTextValue("Alpha Konzern")
        box.accept()
        return shown

    asked = on_next_modal(QInputDialog, rename)
    dialog.rename.click()
    assert asked == ["Alpha Gruppe"]
    assert [g.name for g in group_service.list_groups(context.db)] == ["Alpha Konzern"]
    assert not dialog.error.isVisibleTo(dialog)
    assert dialog.name.text() == "alpha gruppe"  # the new group's name field is left alone

    answered = answer_message_box("Delete group")
    dialog.delete.click()
    assert "Its 2 clients stay" in answered[0]
    assert group_service.list_groups(context.db) == []
    assert client_service.get_client(context.db, ids["Beta"]).group_id is None


def test_the_groups_dialog_opens_on_the_first_group(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    ids = _issue_example(context)
    group = group_service.create_group(context.db, {"name": "Beta Holding"})
    group_service.assign_client(context.db, ids["Beta"], group.id)
    dialog = GroupsDialog(context)
    qtbot.addWidget(dialog)
    assert dialog.current().name == "Beta Holding"  # type: ignore[union-attr]
    assert (
        dialog.members_title.text() == "Clients of Beta Holding: tick to add, untick to take out."
    )
    assert dialog.rename.isEnabled()
    assert dialog.name.text() == ""  # only ever the name of a new group, never this one's


def test_closing_the_groups_dialog_updates_the_dashboard(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    ids = _issue_example(context)
    page: DashboardPage = window.show_page("dashboard")  # type: ignore[assignment]
    page.refresh()
    dialog = GroupsDialog(context, window)
    dialog.name.setText("Alpha Gruppe")
    dialog.create_group()
    dialog._assign(ids["Beta"], dialog.current().id)  # type: ignore[union-attr]
    dialog._assign(ids["Alpha"], dialog.current().id)  # type: ignore[union-attr]
    dialog.reject()
    card: DependencyCard = _card(page, DependencyCard)  # type: ignore[assignment]
    assert page.status is not None and page.status.top_payer is not None
    assert (page.status.top_payer.name, page.status.top_payer.share) == ("Alpha Gruppe", 1)
    assert card.headline.text() == "Alpha Gruppe: 100.0% of your net revenue"
    assert "Alpha Gruppe is a group: Alpha GmbH, Beta KG" in card.details.text()


def test_membership_model_moves_a_client_between_groups(qtmodeltester, context) -> None:  # type: ignore[no-untyped-def]
    from freelancer_desk.analytics.dependency import ClientInfo

    calls: list[tuple[int, int | None]] = []
    model = MembershipModel(lambda client, group: calls.append((client, group)) or True)
    model.set_clients([ClientInfo(1, "Alpha", 7, "Nord"), ClientInfo(2, "Beta")], (8, "Süd"))
    qtmodeltester.check(model)
    first = model.index(0, 0)
    assert first.data() == "Alpha (now in Nord)"
    assert first.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    assert model.setData(first, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert calls == [(1, 8)]
    assert first.data() == "Alpha"
    assert first.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    model.set_clients(model._clients, None)  # no group chosen: nothing can be ticked
    assert not model.flags(first) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(first, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)


def test_group_table_model_passes_the_model_tester(qtmodeltester, context) -> None:  # type: ignore[no-untyped-def]
    from freelancer_desk.analytics.periods import rolling_12_months
    from freelancer_desk.services import dependency as dependency_service

    _issue_example(context)
    group_service.create_group(context.db, {"name": "Leer"})
    model: RecordTableModel = RecordTableModel(GROUP_COLUMNS)
    model.set_records(dependency_service.group_rows(context.db, rolling_12_months(TODAY)))
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(3)] == ["Leer", "0", "€0.00"]


def test_menu_opens_client_groups(window: MainWindow) -> None:
    titles = [
        action.text() for top in window.menuBar().actions() for action in top.menu().actions()
    ]
    assert "Client &groups…" in titles


def test_settings_have_a_dependency_section_with_its_own_reset(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    settings_service.save(context.db, sleeping_days=90)
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    section = dialog.section_boxes["Dependency on clients"]
    assert section.title() == "Dependency on clients"
    warning = dialog.editors["warning_share"]
    critical = dialog.editors["critical_share"]
    basis = dialog.editors["basis"]
    assert isinstance(warning, QDoubleSpinBox) and isinstance(basis, QComboBox)
    assert {warning.parent(), critical.parent()} == {section}
    assert basis.parent() is dialog.section_boxes["Revenue and invoices"]
    assert critical.value() == 83.33

    warning.setValue(60.0)
    basis.setCurrentIndex(basis.findData("paid"))
    dialog._save()
    stored = settings_service.load(context.db)
    assert stored.warning_share == Fraction(3, 5)
    assert stored.critical_share == Fraction(5, 6)  # untouched: still exactly 5/6
    assert stored.basis == "paid"

    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    reset = next(
        b
        for b in dialog.section_boxes["Dependency on clients"].findChildren(QPushButton)
        if b.text() == "Reset to defaults"
    )
    reset.click()
    dialog._save()
    stored = settings_service.load(context.db)
    assert stored.warning_share == Fraction(1, 2)
    assert (stored.basis, stored.sleeping_days) == ("paid", 90)  # other sections: as they were
