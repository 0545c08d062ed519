"""The window, the Clients page, the client page and the record forms, driven like a user."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton

from freelancer_desk.models import InteractionKind
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import interactions as interaction_service
from freelancer_desk.services import revenue as revenue_service
from tests.today import TODAY
from ui import registry
from ui.app import apply_language
from ui.dialogs.records import ClientDialog, RevenueDialog
from ui.main_window import MainWindow
from ui.models.table import RECORD_ROLE, RecordFilterProxy, RecordTableModel
from ui.pages.clients import CLIENT_COLUMNS, ClientsPage


def _client(context, name: str, **extra):  # type: ignore[no-untyped-def]
    return client_service.create_client(context.db, {"name": name, **extra})


def _invoice(context, client_id: int, day: dt.date, net: str, number: str | None = None):  # type: ignore[no-untyped-def]
    return revenue_service.create_entry(
        context.db,
        {
            "client_id": client_id,
            "invoice_date": day,
            "net": Decimal(net),
            "invoice_number": number,
        },
    )


def test_every_page_opens(window: MainWindow) -> None:
    for spec in registry.PAGES:
        page = window.show_page(spec.key)
        assert window.stack.currentWidget() is page
        assert page.objectName() == f"page-{spec.key}"


def test_client_model_and_proxy_pass_the_model_tester(qtmodeltester, context) -> None:  # type: ignore[no-untyped-def]
    today = TODAY
    a = _client(context, "Müller & Söhne GmbH", email="info@mueller.example")
    b = _client(context, "Łukasz Wróbel")
    _invoice(context, a.id, today - dt.timedelta(days=10), "1200.00")
    _invoice(context, b.id, today - dt.timedelta(days=400), "80.00")
    model: RecordTableModel = RecordTableModel(CLIENT_COLUMNS)
    model.set_records(client_service.client_rows(context.db))
    qtmodeltester.check(model)
    proxy = RecordFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_search("müller")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1
    assert proxy.index(0, 0).data() == "Müller & Söhne GmbH"


def test_search_status_filter_and_sort(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    today = TODAY
    big = _client(context, "Zeta AG")
    small = _client(context, "Alpha GmbH")
    sleeper = _client(context, "Schlaf & Co")
    _invoice(context, big.id, today - dt.timedelta(days=5), "9000.00")
    _invoice(context, small.id, today - dt.timedelta(days=5), "100.00")
    _invoice(context, sleeper.id, today - dt.timedelta(days=300), "50.00")
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    table = page.list.table
    names = lambda: [page.list.proxy.index(r, 0).data() for r in range(page.list.proxy.rowCount())]  # noqa: E731
    assert names() == ["Alpha GmbH", "Schlaf & Co", "Zeta AG"]
    table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # revenue, largest first
    assert names()[0] == "Zeta AG"
    page.list.search.setText("gmbh")
    assert names() == ["Alpha GmbH"]
    page.list.search.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData("sleeping"))
    assert names() == ["Schlaf & Co"]
    status_column = page.list.proxy.index(0, 1).data()
    assert status_column == "Sleeping"


@pytest.mark.parametrize("lang, tags", [("de", "Schlagwörter"), ("en", "tags")])
def test_the_search_finds_only_what_the_list_shows(  # type: ignore[no-untyped-def]
    qapp, window: MainWindow, context, lang: str, tags: str
) -> None:
    """The client search looks in the columns shown, the tags among them: at 1366×768 the tags
    column stands inside the table and the placeholder says tags count, in both languages;
    a hidden column is not searched (a hit by a text nobody sees looked wrong)."""
    apply_language(qapp, lang)
    _client(context, "Anna Alt", tags="Fotografie")
    _client(context, "Bert Bunt")
    window.resize(1366, 768)
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    records = page.list
    tag_column = len(CLIENT_COLUMNS) - 1
    assert records.model.headerData(tag_column, Qt.Orientation.Horizontal).lower() == tags.lower()
    assert tags.lower() in records.search.placeholderText().lower()
    table = records.table
    right = table.columnViewportPosition(tag_column) + table.columnWidth(tag_column)
    assert table.columnViewportPosition(tag_column) >= 0 and right <= table.viewport().width()
    records.search.setText("fotografie")
    assert records.proxy.rowCount() == 1
    assert tags.lower() in records.search.toolTip().lower()
    records.hide_columns([tag_column])
    assert records.proxy.rowCount() == 0
    assert tags.lower() not in records.search.toolTip().lower()
    records.hide_columns([])
    assert records.proxy.rowCount() == 1


def test_new_client_form_refuses_an_empty_name_and_keeps_the_dialog(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    dialog = ClientDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields["email"].setText("büro@example.de")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert "Name" in dialog.error_label.text() and "empty" in dialog.error_label.text()
    assert client_service.client_names(context.db) == []
    dialog.fields["name"].setText("Café Élysée")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    saved = client_service.find_client(context.db, "café élysée")
    assert saved.email == "büro@example.de"


def test_revenue_form_names_the_date_fields(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Straße der Ideen e.V.")
    dialog = RevenueDialog(context, client_id=client.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.fields["net"].setText("1,234.56")  # type: ignore[attr-defined]
    dialog.fields["invoice_date"].edit.setText("")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    assert dialog.isVisible()
    assert dialog.error_label.text() == "Invoice date: is required"

    dialog.fields["invoice_date"].edit.setText("2025-03-10")  # type: ignore[attr-defined]
    dialog.fields["paid_date"].edit.setText("2025-03-01")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    assert dialog.error_label.text() == "Paid date: must not be before the invoice date"

    dialog.fields["paid_date"].edit.setText("31.13.2025")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    assert dialog.error_label.text() == "Paid date: is not a valid date"
    assert revenue_service.list_entries(context.db) == []

    dialog.fields["paid_date"].edit.setText("2025-03-20")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    [entry] = revenue_service.list_entries(context.db)
    assert entry.net == Decimal("1234.56") and entry.paid_date == dt.date(2025, 3, 20)


def test_german_form_reads_german_amounts_and_dates(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    from ui.app import apply_language

    apply_language(qapp, "de")
    client = _client(context, "Søren Ødegaard ApS")
    dialog = RevenueDialog(context, client_id=client.id)
    qtbot.addWidget(dialog)
    dialog.fields["invoice_date"].edit.setText("31.12.2025")  # type: ignore[attr-defined]
    dialog.fields["net"].setText("-1.234,50")  # type: ignore[attr-defined]
    dialog.buttons.accepted.emit()
    [entry] = revenue_service.list_entries(context.db)
    assert entry.invoice_date == dt.date(2025, 12, 31)
    assert entry.net == Decimal("-1234.50")


def test_client_page_shows_revenue_and_logs_interactions(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    client = _client(context, "Ångström Design")
    _invoice(context, client.id, TODAY - dt.timedelta(days=3), "500.00", "R-1")
    _invoice(context, client.id, TODAY - dt.timedelta(days=2), "-100.00", "G-1")
    window.show_client(client.id)
    page: ClientsPage = window.page("clients")  # type: ignore[assignment]
    detail = page.detail
    assert detail is not None and page.currentWidget() is detail
    assert detail.title.text() == "Ångström Design"
    assert detail.revenue.model.rowCount() == 2
    assert "400.00" in detail.revenue_total.text()
    interaction_service.create_interaction(
        context.db,
        {
            "client_id": client.id,
            "date": TODAY,
            "kind": InteractionKind.COMPLAINT,
            "notes": "Ärger über die späte Lieferung",
        },
    )
    context.changed()
    assert detail.interactions.model.rowCount() == 1
    assert detail.interactions.model.index(0, 1).data() == "Complaint"
    qtbot.keyClick(detail, Qt.Key.Key_Escape)
    assert page.currentWidget() is page.list


@pytest.mark.parametrize(
    ("language", "salutation", "shown"),
    [("en", "ms", "Ms Anna Meyer"), ("de", "mr", "Herr Anna Meyer"), ("en", None, "Anna Meyer")],
)
def test_client_page_names_the_contact_person_with_the_salutation(
    qapp, qtbot, context, language, salutation, shown
) -> None:  # type: ignore[no-untyped-def]
    client = client_service.create_client(
        context.db,
        {"name": "Meyer Druck", "contact_person": "Anna Meyer", "salutation": salutation},
    )
    apply_language(qapp, language)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show_client(client.id)
    detail = window.page("clients").detail  # type: ignore[attr-defined]
    assert detail._fact_labels["contact_person"].text() == shown


def test_deleting_a_client_asks_first(window: MainWindow, context, answer_message_box) -> None:  # type: ignore[no-untyped-def]
    keep = _client(context, "Bleibt GmbH")
    _client(context, "Geht GmbH")
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    page.list.select_where(lambda row: row.name == "Geht GmbH")
    seen = answer_message_box("Cancel")
    page.delete_selected()
    assert "Geht GmbH" in seen[0]
    assert len(client_service.client_names(context.db)) == 2
    answer_message_box("Delete client")
    page.delete_selected()
    assert client_service.client_names(context.db) == [(keep.id, "Bleibt GmbH")]
    assert [
        page.list.proxy.index(r, 0).data(RECORD_ROLE).name
        for r in range(page.list.proxy.rowCount())
    ] == ["Bleibt GmbH"]


def test_window_size_is_remembered(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    first.resize(761, 541)
    first.close()
    second = MainWindow(context)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (761, 541)


def test_the_window_speaks_german(qtbot, qapp, context) -> None:  # type: ignore[no-untyped-def]
    from ui.app import apply_language

    apply_language(qapp, "de")
    main = MainWindow(context)
    qtbot.addWidget(main)
    titles = [main.nav.item(i).text() for i in range(main.nav.count())]
    assert titles[:3] == ["Dashboard", "Kunden", "Umsatz"]
    page = main.show_page("clients")
    texts = {w.text() for w in page.findChildren(QLabel)} | {
        w.placeholderText() for w in page.findChildren(QLineEdit)
    }
    assert any("Noch keine Kunden" in t for t in texts)


def test_first_start_offers_demo_data_once(window: MainWindow, context, answer_message_box) -> None:  # type: ignore[no-untyped-def]
    from ui.app import offer_demo_data

    seen = answer_message_box("No")
    offer_demo_data(window)
    assert "empty" in seen[0]
    assert client_service.client_names(context.db) == []
    offer_demo_data(window)  # asked once only: no box, nothing loaded
    assert client_service.client_names(context.db) == []


def test_accepting_demo_data_fills_the_lists(
    window: MainWindow, context, answer_message_box
) -> None:  # type: ignore[no-untyped-def]
    from ui.app import offer_demo_data

    answer_message_box("Yes")
    offer_demo_data(window)
    page = window.show_page("clients")
    assert page.list.model.rowCount() == len(client_service.client_names(context.db)) > 10


def test_names_sort_as_a_german_reader_expects(window: MainWindow, context) -> None:  # type: ignore[no-untyped-def]
    for name in ["Brückner AG", "Øresund ApS", "Bäckerei Groß", "Ulm GmbH", "Oberhof KG", "Ülker"]:
        _client(context, name)
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    page.list.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    shown = [page.list.proxy.index(r, 0).data() for r in range(page.list.proxy.rowCount())]
    assert shown == [
        "Bäckerei Groß",
        "Brückner AG",
        "Oberhof KG",
        "Øresund ApS",
        "Ülker",
        "Ulm GmbH",
    ]


def test_down_and_return_in_the_search_reach_and_open_the_hits(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import activate

    for name in ("Hanse Logistik Nord", "Hanse Logistik Süd", "Zeta GmbH"):
        _client(context, name)
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    activate(qtbot, window)
    search = page.list.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=1000)
    qtbot.keyClicks(search, "Zeta")
    qtbot.keyClick(search, Qt.Key.Key_Return)  # the only hit opens
    assert page.detail is not None and page.detail.title.text() == "Zeta GmbH"
    page.detail.back.emit()
    search = page.list.search
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=1000)
    search.setText("Hanse")
    qtbot.keyClick(search, Qt.Key.Key_Down)  # into the hits, on the first one
    assert page.list.table.hasFocus()
    qtbot.keyClick(page.list.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.list.table, Qt.Key.Key_Return)
    assert page.detail is not None and page.detail.title.text() == "Hanse Logistik Süd"


def test_back_to_the_list_shows_the_client_an_old_search_hid(
    window: MainWindow, context, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import open_client

    zoe = _client(context, "Zoë Lefèvre Photographie")
    lindqvist = _client(context, "Lindqvist Studio")
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    page.list.search.setText("Photographie")
    assert page.list.select_where(lambda row: row.id == zoe.id)
    open_client(qtbot, window, lindqvist.id)  # as the dashboard's "Open client" does
    window.go_to("dashboard")
    window.go_to("clients")  # Ctrl+2 / the sidebar
    assert page.currentWidget() is page.list
    assert page.list.search.text() == ""
    assert page.list.selected().id == lindqvist.id
    # Esc on the client's page leads back the same way, also past the status filter.
    client_service.update_client(context.db, lindqvist.id, {"archived": True})  # hidden by
    page.refresh()
    page.list.search.setText("Photographie")  # "All except archived" and the search
    open_client(qtbot, window, lindqvist.id)
    page.detail.back.emit()
    assert page.list.search.text() == ""
    assert page.list.selected().id == lindqvist.id
    assert page.list.selected_records() == [page.list.selected()]


def test_open_and_delete_follow_the_chosen_client_among_the_rows_shown(
    window: MainWindow, context
) -> None:  # type: ignore[no-untyped-def]
    zoe = _client(context, "Zoë Lefèvre Photographie")
    _client(context, "Lindqvist Studio")
    page: ClientsPage = window.show_page("clients")  # type: ignore[assignment]
    page.refresh()
    buttons = [
        button
        for button in page.list.findChildren(QPushButton)
        if button.text() in ("&Open", "&Delete")
    ]
    assert len(buttons) == 2
    assert page.list.select_where(lambda row: row.id == zoe.id)
    assert all(button.isEnabled() for button in buttons)
    page.list.search.setText("Lindqvist")  # hides the chosen client
    assert page.list.selected() is None
    assert not any(button.isEnabled() for button in buttons)
    page.list.search.clear()
    page.list.choose_row(0)
    assert all(button.isEnabled() for button in buttons)
