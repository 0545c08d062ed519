"""The import wizard, merging clients and the data exports, driven like a user.

Every wizard step is also saved as a PNG in German and English (into ``$FREELANCER_DESK_SHOTS``
when set, else the test's temporary folder) so that the screens can be looked at.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QPushButton

from freelancer_desk import formatting
from freelancer_desk.db import Database
from freelancer_desk.importers.values import DateOrder
from freelancer_desk.services import clients as client_service
from freelancer_desk.services import revenue as revenue_service
from freelancer_desk.services.importing import remembered_mappings
from tests.import_files import FIXTURES, totals
from tests.today import TODAY
from tests.ui.conftest import on_next_modal
from ui.app import apply_language
from ui.context import AppContext
from ui.dialogs.client_data import MergeClientsDialog
from ui.dialogs.import_wizard import ImportWizard
from ui.main_window import MainWindow
from ui.preferences import Preferences
from ui.runner import TaskRunner


def wizard_on(qtbot, context: AppContext, path: Path, kind: str = "revenue") -> ImportWizard:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    for button in wizard.file_page.kinds.buttons():
        button.setChecked(button.property("kind") == kind)
    return wizard


def wizard_at_mapping(qtbot, context: AppContext, path: Path, text: str) -> ImportWizard:  # type: ignore[no-untyped-def]
    """A wizard on the mapping page of a revenue file holding ``text`` (written to ``path``)."""
    path.write_text(text, encoding="utf-8")
    wizard = wizard_on(qtbot, context, path)
    wizard.next()
    wizard.next()
    return wizard


@pytest.fixture
def choose_folder(qtbot) -> Callable[[Path], None]:  # type: ignore[no-untyped-def]
    """Answer the next folder dialog with ``path``."""

    def arrange(path: Path) -> None:
        def answer(dialog: QFileDialog) -> None:
            dialog.setDirectory(str(path))
            dialog.selectFile(str(path))
            dialog.accept()

        on_next_modal(QFileDialog, answer)

    return arrange


@pytest.fixture
def merge_in_dialog(answer_message_box) -> Callable[[int | None], list[object]]:  # type: ignore[no-untyped-def]
    """Merge in the next merge dialog (keeping client ``keep`` when given) and confirm.

    Returns a list that receives the (kept, merged) client ids the dialog offered first.
    """

    def arrange(keep: int | None = None) -> list[object]:
        def merge(dialog: MergeClientsDialog) -> tuple[int, int]:
            offered = (dialog.keep.currentData(), dialog.merge.currentData())
            if keep is not None and dialog.keep.currentData() != keep:
                dialog.swap()
            answer_message_box("Merge")
            dialog.merge_button.click()
            return offered

        return on_next_modal(MergeClientsDialog, merge)

    return arrange


def test_wizard_imports_a_german_export_step_by_step(
    qtbot, qtmodeltester, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    changed: list[bool] = []
    context.data_changed.connect(lambda: changed.append(True))
    wizard = wizard_on(qtbot, context, FIXTURES / "revenue_windows1252.csv")

    wizard.next()
    assert wizard.currentPage() is wizard.preview
    model = wizard.preview.model
    qtmodeltester.check(model)
    assert model.rowCount() == 3 and model.columnCount() == 5
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Auftraggeber\n→ Client"
    assert model.headerData(0, Qt.Orientation.Vertical) == 2  # the line in the file
    assert model.index(0, 0).data() == "Bäckerei Groß"
    assert model.index(0, 2).data() == "5 May 2025"  # 05.05.25 as read
    assert model.index(0, 3).data() == "€1,190.00"  # 1.190,00 € as read
    assert "Windows-1252" in wizard.preview.facts.text()
    view = wizard.preview.view
    for column in range(model.columnCount()):  # each column as wide as what it shows
        widest = max(
            view.fontMetrics().horizontalAdvance(model.index(row, column).data())
            for row in range(model.rowCount())
        )
        assert view.columnWidth(column) >= widest

    wizard.next()
    assert wizard.currentPage() is wizard.mapping
    chosen = {str(box.property("header")): box.currentData() for box in wizard.mapping.boxes}
    assert chosen == {
        "Auftraggeber": "client",
        "Belegnummer": "invoice_number",
        "Belegdatum": "invoice_date",
        "Betrag netto": "net",
        "Zahlungseingang": "paid_date",
    }
    assert wizard.mapping.isComplete()
    net_box = next(b for b in wizard.mapping.boxes if b.property("header") == "Betrag netto")
    net_box.setCurrentIndex(0)  # "do not import"
    assert not wizard.mapping.isComplete()
    assert "Net amount or Gross amount" in wizard.mapping.status.text()
    net_box.setCurrentIndex(net_box.findData("net"))
    assert wizard.mapping.isComplete()

    wizard.next()
    report = wizard.report
    assert wizard.currentPage() is report and report.isComplete()
    assert (
        report.summary.text()
        == "rows read: 3 · to add: 3 · skipped as already present: 0 · new clients: 2"
    )
    for tested in (report.entries, report.new_clients, report.duplicates):
        qtmodeltester.check(tested)
    assert [report.tabs.tabText(i) for i in range(report.tabs.count())] == [
        "New clients (2)",
        "Entries to add (3)",
        "Already present (0)",
    ]
    assert report.entries.index(0, 1).data() == "Bäckerei Groß"
    assert totals(context.db) == {}  # the dry run wrote nothing

    wizard.next()
    assert wizard.currentPage() is wizard.run and wizard.run.isComplete()
    assert wizard.run.result_label.text().startswith("Done: rows read: 3 · added: 3")
    assert totals(context.db) == {
        "Bäckerei Groß": Decimal("1500.00"),
        "Café Fräulein Süß": Decimal("450.50"),
    }
    assert changed
    assert remembered_mappings(context.db, "revenue")  # the mapping of this file shape


def test_client_import_shows_its_notices_and_new_groups_before_writing(
    qtbot, qtmodeltester, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    wizard = wizard_on(qtbot, context, FIXTURES / "clients_de.csv", kind="clients")
    for _step in range(3):
        wizard.next()
    report = wizard.report
    for tested in (report.notices, report.groups):
        qtmodeltester.check(tested)
    assert report.summary.text().startswith(
        "rows read: 4 · to add: 4 · skipped as already present: 0 · new groups: 1"
    )
    assert [report.tabs.tabText(i) for i in range(report.tabs.count())] == [
        "Please note (1)",
        "New clients (4)",
        "New groups (1)",
        "Already present (0)",
    ]
    assert report.tabs.currentIndex() == 0
    today = formatting.date(TODAY)
    assert report.notices.records() == [
        f'Line 3: Email consent given as "yes" without a date; recorded as of {today}'
    ]
    assert report.groups.records() == ["Müller Holding"]


def test_client_import_says_which_fields_it_fills_in(
    qtbot, qtmodeltester, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    existing = client_service.create_client(context.db, {"name": "Mueller GmbH", "phone": "030 9"})
    wizard = wizard_on(qtbot, context, FIXTURES / "clients_de.csv", kind="clients")
    for _step in range(3):
        wizard.next()
    completed = wizard.report.completed
    qtmodeltester.check(completed)
    assert [completed.index(0, column).data() for column in range(3)] == [
        "2",
        "Müller GmbH",
        # the phone is kept; "Unternehmen" is never taken over an existing kind
        "Loyalty type, Contact person, Email, Notes, Email consent, Group",
    ]
    wizard.next()
    assert client_service.get_client(context.db, existing.id).email_consent_on == dt.date(
        2024, 2, 1
    )


def test_bad_rows_block_the_import_until_only_good_rows_is_chosen(
    qtbot, qtmodeltester, context, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Kunde;Datum;Netto\nA;01.01.2025;10,00\nB;31.02.2025;5,00\nC;02.01.2025;x\n",
        encoding="utf-8",
    )
    wizard = wizard_on(qtbot, context, path)
    wizard.next()
    cell = wizard.preview.model.index(1, 1)
    assert cell.data() == "31.02.2025"  # shown as written, in red
    assert cell.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert cell.data(Qt.ItemDataRole.ToolTipRole) == "Cannot be read as Invoice date: 31.02.2025"
    wizard.next()
    wizard.next()
    report = wizard.report
    qtmodeltester.check(report.errors)
    assert [
        (report.errors.index(r, 0).data(), report.errors.index(r, 1).data()) for r in range(2)
    ] == [("3", "Datum"), ("4", "Netto")]
    assert report.tabs.tabText(0) == "Errors (2)"
    assert report.good_rows_only.isVisible() and not report.isComplete()
    report.good_rows_only.setChecked(True)
    assert report.isComplete()
    wizard.next()
    assert totals(context.db) == {"A": Decimal("10.00")}


def test_cancelling_the_import_writes_nothing(qtbot, context: AppContext, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.csv"
    path.write_text(
        "Kunde;Nr.;Datum;Netto\n"
        + "".join(f"Kunde {i % 7};{i};01.03.2025;{i},00\n" for i in range(5000)),
        encoding="utf-8",
    )
    wizard = wizard_on(qtbot, context, path)
    for _step in range(3):
        wizard.next()
    wizard.run.progress.valueChanged.connect(wizard.run.stop.click)  # the user clicks at once
    wizard.next()
    assert (
        wizard.run.result_label.text() == "Cancelled. Nothing was imported; your data is as it was."
    )
    assert wizard.run.isComplete()
    assert totals(context.db) == {} and client_service.client_names(context.db) == []


def test_ambiguous_dates_ask_for_the_order_on_the_mapping_page(qtbot, context, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "Client,Date,Net\nAcme,01/02/2025,1\nAcme,03/04/2025,2\n"
    wizard = wizard_at_mapping(qtbot, context, tmp_path / "us.csv", text)
    page = wizard.mapping
    assert page.date_order.isVisible() and not page.isComplete()
    assert "Choose how to read dates such as 01/02/2025." in page.status.text()
    page.date_order.setCurrentIndex(page.date_order.findData(DateOrder.MDY))
    assert page.isComplete()
    wizard.next()
    wizard.next()
    entries = revenue_service.list_entries(context.db)
    assert sorted(e.invoice_date for e in entries) == [dt.date(2025, 1, 2), dt.date(2025, 3, 4)]


def test_a_file_without_known_headers_is_mapped_by_hand_and_remembered(
    qtbot, context, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "own.csv"
    wizard = wizard_at_mapping(qtbot, context, path, "Kd.-Name;Tag;Summe\nA;01.01.2025;5,00\n")
    page = wizard.mapping
    assert not page.isComplete()
    for header, field in (("Kd.-Name", "client"), ("Tag", "invoice_date"), ("Summe", "net")):
        box = next(b for b in page.boxes if b.property("header") == header)
        box.setCurrentIndex(box.findData(field))
    assert page.isComplete()
    wizard.next()
    wizard.next()
    assert totals(context.db) == {"A": Decimal("5.00")}

    again = wizard_at_mapping(qtbot, context, path, "Kd.-Name;Tag;Summe\nB;02.01.2025;6,00\n")
    assert again.mapping.isComplete()  # remembered for this file shape


def test_file_text_on_the_mapping_page_is_shown_as_written(qtbot, context, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kunde;Datum;Netto;Bemerkung\n"
        'Meyer & Söhne;01.01.2025;5,00;"Speisekarte; Satz, Druckvorlage und Korrekturlauf"\n'
    )
    wizard = wizard_at_mapping(qtbot, context, tmp_path / "amp.csv", text)
    page = wizard.mapping
    labels = {str(box.property("header")): page.form.labelForField(box) for box in page.boxes}
    client = labels["Kunde"]
    assert client.buddy() is page.boxes[0]
    assert QKeySequence.mnemonic(client.text()).isEmpty()  # "& S" is no Alt+S shortcut
    assert client.text().replace("&&", "&") == "Kunde  (e.g. Meyer & Söhne)"
    assert labels["Bemerkung"].text() == "Bemerkung  (e.g. Speisekarte; Satz, Druckvorla…)"


def test_columns_named_alike_get_one_box_and_a_hint(qtbot, context, tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = "Kunde;Datum;Netto;Datum\nA;01.02.2025;10,00;15.02.2025\n"
    wizard = wizard_at_mapping(qtbot, context, tmp_path / "twice.csv", text)
    page = wizard.mapping
    assert [box.property("header") for box in page.boxes] == ["Kunde", "Datum", "Netto"]
    assert page.alike.isVisible() and ": Datum. Rename the others" in page.alike.text()
    assert page.isComplete()


def test_the_first_page_works_from_the_keyboard(qtbot, context) -> None:  # type: ignore[no-untyped-def]
    wizard = wizard_on(qtbot, context, FIXTURES / "clients_de.csv")
    wizard.activateWindow()
    qtbot.waitUntil(wizard.isActiveWindow)
    page = wizard.file_page
    qtbot.keyClick(wizard, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.kind() == "clients")  # a mnemonic clicks after a short flash
    qtbot.keyClick(wizard, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.kind() == "revenue")
    qtbot.keyClick(wizard, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    assert page.path.hasFocus()


def test_reimporting_says_there_is_nothing_new_and_shows_what_is_present(
    qtbot, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    for _round in range(2):
        wizard = wizard_on(qtbot, context, FIXTURES / "revenue_credit_notes.csv")
        for _step in range(3):
            wizard.next()
        report = wizard.report
        wizard.next()
    assert report.summary.text().endswith(
        "\nNothing new to import: every row is already in your data."
    )
    assert report.tabs.tabText(report.tabs.currentIndex()) == "Already present (5)"


def test_leaving_a_running_dry_run_drops_its_outcome(
    qtbot, db: Database, preferences: Preferences, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Back cancels the dry run; its late "cancelled" must not replace the next dry run."""
    path = tmp_path / "big.csv"
    path.write_text(
        "Kunde;Nr.;Datum;Netto\n"
        + "".join(f"Kunde {i % 50};{i};01.03.2025;{i},00\n" for i in range(30_000)),
        encoding="utf-8",
    )
    context = AppContext(db, preferences, TaskRunner())  # a real background thread
    wizard = wizard_on(qtbot, context, path)
    wizard.next()  # the file is read in the background; the wizard moves on when it is read
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.preview, timeout=60_000)
    wizard.next()
    wizard.next()
    report = wizard.report
    left = report.task
    assert left is not None
    wizard.back()
    wizard.next()
    # Delivered on the GUI thread after the callbacks of the left dry run, before the new one's.
    seen: list[tuple[bool, str]] = []
    left.finished.connect(lambda: seen.append((report.task is not None, report.summary.text())))
    qtbot.waitUntil(lambda: report.plan is not None, timeout=60_000)
    assert seen == [(True, "Reading the file …")]
    assert report.summary.text().startswith("rows read: 30000 · to add: 30000")
    assert report.task is None and report.isComplete()
    context.runner.wait()


def test_a_file_that_is_no_table_is_explained_on_the_first_page(qtbot, context, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(200))
    wizard = wizard_on(qtbot, context, path)
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "save the sheet as CSV" in wizard.file_page.error.text()


def test_a_refused_file_is_named_in_the_log(qtbot, context, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    """The page names the file in its field; the log line must name it on its own."""
    path = tmp_path / "Umsätze 2025.csv"
    path.write_bytes(bytes(range(256)) * 8)
    wizard = wizard_on(qtbot, context, path)
    with caplog.at_level(logging.INFO):
        wizard.next()
    assert wizard.file_page.error.text() == "This is a binary file, not a CSV table."
    [record] = [r for r in caplog.records if "binary file" in r.getMessage()]
    assert str(path) in record.getMessage() and record.exc_info is not None


def test_merge_two_selected_clients_from_the_clients_page(
    qtbot,
    window: MainWindow,
    context: AppContext,
    merge_in_dialog,  # type: ignore[no-untyped-def]
) -> None:
    keep = client_service.create_client(context.db, {"name": "Müller GmbH"})
    other = client_service.create_client(context.db, {"name": "Mueller GmbH.", "phone": "030 1"})
    revenue_service.create_entry(
        context.db,
        {"client_id": other.id, "invoice_date": dt.date(2025, 1, 1), "net": Decimal("70.00")},
    )
    context.changed()
    page = window.show_page("clients")
    page.list.table.selectAll()
    offered = merge_in_dialog(keep.id)
    action = next(a for a in window.menuBar().actions()[1].menu().actions() if "Merge" in a.text())
    action.trigger()

    assert [set(pair) for pair in offered] == [{keep.id, other.id}]  # type: ignore[arg-type]
    assert client_service.client_names(context.db) == [(keep.id, "Müller GmbH")]
    assert totals(context.db) == {"Müller GmbH": Decimal("70.00")}
    assert client_service.get_client(context.db, keep.id).phone == "030 1"
    assert "A backup was taken first" in window.statusBar().currentMessage()


def test_a_pair_merged_after_the_import_leaves_the_list(
    qtbot, context: AppContext, tmp_path: Path, merge_in_dialog
) -> None:  # type: ignore[no-untyped-def]
    kept = client_service.create_client(context.db, {"name": "Bäckerei Groß"})
    client_service.create_client(context.db, {"name": "Anna Schmidt"})
    path = tmp_path / "new.csv"
    path.write_text("Kunde;Datum;Netto\nBaeckerei Gross KG;01.04.2025;9,99\n", encoding="utf-8")
    wizard = wizard_on(qtbot, context, path)
    for _step in range(4):
        wizard.next()
    run = wizard.run
    assert run.similar.records() == [("Baeckerei Gross KG", "Bäckerei Groß")]
    merge_in_dialog()
    run.merge_button.click()
    assert totals(context.db) == {"Bäckerei Groß": Decimal("9.99")}
    assert client_service.client_names(context.db)[-1] == (kept.id, "Bäckerei Groß")
    assert run.similar.rowCount() == 0 and not run.merge_button.isVisible()


def test_merge_dialog_refuses_the_same_client_twice(qtbot, context: AppContext) -> None:  # type: ignore[no-untyped-def]
    client = client_service.create_client(context.db, {"name": "Solo"})
    client_service.create_client(context.db, {"name": "Other"})
    dialog = MergeClientsDialog(context, client.id, client.id)
    qtbot.addWidget(dialog)
    assert not dialog.merge_button.isEnabled()
    assert dialog.error.text() == "Choose two different clients."
    dialog.swap()
    dialog.merge.setCurrentIndex(dialog.merge.findText("Other"))
    assert dialog.merge_button.isEnabled()


def test_export_this_clients_data_from_the_client_page(
    qtbot,
    window: MainWindow,
    context: AppContext,
    tmp_path: Path,
    choose_folder,
    catch_urls,  # type: ignore[no-untyped-def]
) -> None:
    client = client_service.create_client(
        context.db, {"name": "Anna Schmidt", "email": "anna@example.org"}
    )
    revenue_service.create_entry(
        context.db,
        {"client_id": client.id, "invoice_date": dt.date(2025, 2, 1), "net": Decimal("300.00")},
    )
    opened = catch_urls("file")
    window.show_client(client.id)
    detail = window.show_page("clients").detail
    button = next(
        b
        for b in detail.findChildren(QPushButton)
        if b.text().replace("&", "") == "Export client data…"
    )
    choose_folder(tmp_path)
    button.click()
    [folder] = [p for p in tmp_path.iterdir() if p.is_dir() and "Anna Schmidt" in p.name]
    data = json.loads((folder / "client-data.json").read_text(encoding="utf-8"))
    assert data["client"] == "Anna Schmidt"
    assert [row["net"] for row in data["tables"]["revenue_entry"]] == [300.0]
    assert [url.toLocalFile() for url in opened.urls] == [str(folder)]


def test_a_second_full_export_of_the_day_keeps_the_first(
    qtbot,
    window: MainWindow,
    context: AppContext,
    tmp_path: Path,
    choose_folder,
    catch_urls,  # type: ignore[no-untyped-def]
) -> None:
    client = client_service.create_client(context.db, {"name": "Anna Schmidt"})
    opened = catch_urls("file")
    action = next(
        a
        for a in window.menuBar().actions()[0].menu().actions()
        if a.text().replace("&", "") == "Export all data…"
    )
    choose_folder(tmp_path)
    action.trigger()
    client_service.delete_client(context.db, client.id)
    choose_folder(tmp_path)
    action.trigger()
    today = TODAY.isoformat()
    first, second = (tmp_path / f"Freelancer Desk export {today}{end}" for end in ("", " (2)"))
    assert [url.toLocalFile() for url in opened.urls] == [str(first), str(second)]
    names = [
        [
            row["name"]
            for row in json.loads(
                (folder / "freelancer-desk-export.json").read_text(encoding="utf-8")
            )["tables"]["client"]
        ]
        for folder in (first, second)
    ]
    assert names == [["Anna Schmidt"], []]  # the morning's export still holds the deleted client


@pytest.mark.parametrize("lang", ["en", "de"])
def test_screenshots_of_every_step(
    qtbot, qapp, context: AppContext, tmp_path: Path, lang: str
) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, lang)
    folder = Path(os.environ.get("FREELANCER_DESK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    client_service.create_client(context.db, {"name": "Bäckerei Groß"})
    wizard = wizard_on(qtbot, context, FIXTURES / "revenue_semicolon_bom.csv")
    path = tmp_path / "with_errors.csv"
    text = (FIXTURES / "revenue_semicolon_bom.csv").read_text(encoding="utf-8-sig")
    path.write_text(
        text + "Baeckerei Gross KG;RE-9;01.04.2025;9,99;;;\nFehler GmbH;RE-10;31.04.2025;1,00;;;\n",
        encoding="utf-8",
    )
    wizard.file_page.path.setText(str(path))
    titles = []
    for step in range(5):
        qapp.processEvents()
        titles.append(wizard.currentPage().title())
        wizard.grab().save(str(folder / f"import-wizard-{lang}-{step + 1}.png"))
        if step == 3:
            wizard.report.good_rows_only.setChecked(True)
            qapp.processEvents()
            wizard.grab().save(str(folder / f"import-wizard-{lang}-{step + 1}b.png"))
        wizard.next()
    expected = {
        "en": ["Choose the file", "Preview", "Columns", "Check before importing", "Importing"],
        "de": ["Datei wählen", "Vorschau", "Spalten", "Vor dem Import prüfen", "Importieren"],
    }
    assert titles == expected[lang]
    assert wizard.run.similar.rowCount() == 1  # Baeckerei Gross KG ~ Bäckerei Groß
    dialog = MergeClientsDialog(context, parent=wizard)
    qtbot.addWidget(dialog)
    dialog.grab().save(str(folder / f"merge-clients-{lang}.png"))
    for step in range(1, 6):
        assert (folder / f"import-wizard-{lang}-{step}.png").stat().st_size > 0


def test_the_wizard_asks_once_per_file_what_a_positive_gutschrift_is(
    qtbot, qtmodeltester, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    wizard = wizard_on(qtbot, context, FIXTURES / "revenue_gutschrift.csv")
    wizard.next()
    wizard.next()
    page = wizard.mapping
    assert page.credit_notes.isVisible() and not page.isComplete()
    assert page.credit_text.text().splitlines() == [
        "2 rows are marked Gutschrift, Korrektur or Storno but have positive amounts:",
        'Line 5: "Gutschrift" GS-0815, Plattform Texte24 GmbH, €761.60',
        'Line 6: "Gutschrift" GS-0816, Plattform Texte24 GmbH, €380.80',
        "A Gutschrift can be a credit note, or a self-billing invoice your client issued "
        "(§ 14 Abs. 2 S. 2 UStG), which is revenue. For this file they are:",
    ]
    assert "Choose what the rows marked Gutschrift are." in page.status.text()
    revenue = next(b for b in page.credit_choice.buttons() if b.property("choice") == "revenue")
    revenue.click()
    assert page.isComplete() and page.status.text() == ""

    wizard.next()
    report = wizard.report
    qtmodeltester.check(report.decisions)
    assert report.tabs.tabText(report.tabs.currentIndex()) == "Decisions (2)"
    assert [
        [report.decisions.index(row, column).data() for column in range(2)] for row in range(2)
    ] == [["5", "sign set"], ["6", "sign set"]]
    wizard.back()  # the answer stays for this file
    assert wizard.mapping.credit_note_choice() == "revenue" and wizard.mapping.isComplete()
    wizard.next()
    wizard.next()
    assert totals(context.db) == {
        "Verlag Lindner": Decimal("850.00"),
        "Plattform Texte24 GmbH": Decimal("960.00"),
    }

    again = wizard_on(qtbot, context, FIXTURES / "revenue_gutschrift.csv")
    again.next()
    again.next()
    assert again.mapping.credit_note_choice() is None  # a new file is asked again
    assert not again.mapping.isComplete()


def test_the_dry_run_page_shows_cancelled_rows_and_net_from_gross(
    qtbot, qtmodeltester, context: AppContext
) -> None:  # type: ignore[no-untyped-def]
    wizard = wizard_on(qtbot, context, FIXTURES / "cgm_maxx_rechnungsliste.csv")
    for _step in range(3):
        wizard.next()
    report = wizard.report
    qtmodeltester.check(report.decisions)
    assert report.summary.text() == (
        "rows read: 4 · to add: 3 · skipped as already present: 0 · skipped as cancelled: 1 · "
        "new clients: 3"
    )
    rows = [
        [report.decisions.index(row, column).data() for column in range(3)]
        for row in range(report.decisions.rowCount())
    ]
    assert rows[2] == [
        "10",
        "skipped as cancelled",
        "invoice 2025-0103 of Müller GmbH: cancelled on 20 Mar 2025",
    ]
    assert [row[1] for row in rows] == [
        "net from gross",
        "net from gross",
        "skipped as cancelled",
        "net from gross",
    ]


@pytest.mark.parametrize("lang", ["en", "de"])
def test_screenshots_of_the_credit_note_question_and_the_decisions(
    qtbot, qapp, context: AppContext, tmp_path: Path, lang: str
) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, lang)
    folder = Path(os.environ.get("FREELANCER_DESK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    shots = []
    for width, height in ((1366, 768), (1024, 640)):
        wizard = wizard_on(qtbot, context, FIXTURES / "revenue_gutschrift.csv")
        wizard.resize(width, height)
        wizard.next()
        wizard.next()
        qapp.processEvents()
        shots.append(folder / f"import-gutschrift-{lang}-{width}x{height}.png")
        wizard.grab().save(str(shots[-1]))
        wizard.mapping.credit_choice.buttons()[0].click()
        wizard.next()
        qapp.processEvents()
        shots.append(folder / f"import-decisions-{lang}-{width}x{height}.png")
        wizard.grab().save(str(shots[-1]))
        datev = wizard_on(qtbot, context, FIXTURES / "EXTF_Buchungsstapel_SKR03.csv")
        datev.resize(width, height)
        for _step in range(3):
            datev.next()
        qapp.processEvents()
        shots.append(folder / f"import-datev-{lang}-{width}x{height}.png")
        datev.grab().save(str(shots[-1]))
    assert all(shot.stat().st_size > 0 for shot in shots)


def test_a_pipe_given_as_the_file_is_refused_on_the_first_page(
    qtbot, context: AppContext, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    wizard = wizard_on(qtbot, context, fifo)
    wizard.next()  # would block the window for good if the pipe were opened
    assert wizard.currentPage() is wizard.file_page
    assert wizard.file_page.error.text() == (
        f"{fifo} is a pipe (FIFO), not a file. Save the data to a file first."
    )


@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_gross_only_list_shows_each_rows_vat_rate_before_writing(
    qtbot, qapp, qtmodeltester, context: AppContext, tmp_path: Path, lang: str
) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, lang)
    client_service.create_client(context.db, {"name": "Buchladen Lange", "vat_rate_bp": 700})
    source = tmp_path / "brutto.csv"
    source.write_text(
        "Kunde;Rechnungsnummer;Datum;Brutto\n"
        "Weber IT;R-1;01.03.2025;1.190,00\n"
        "Buchladen Lange;R-2;02.03.2025;107,00\n",
        encoding="utf-8",
    )
    folder = Path(os.environ.get("FREELANCER_DESK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in ((1366, 768), (1024, 640)):
        wizard = wizard_on(qtbot, context, source)
        wizard.resize(width, height)
        for _step in range(3):
            wizard.next()
        report = wizard.report
        qtmodeltester.check(report.decisions)
        assert report.tabs.currentIndex() == 0  # the decisions come first
        qapp.processEvents()
        wizard.grab().save(str(folder / f"import-gross-only-{lang}-{width}x{height}.png"))
    details = [report.decisions.index(row, 2).data() for row in range(2)]
    if lang == "en":
        assert details == [
            "net €1,000.00 = gross €1,190.00 ÷ 1.19 (the usual VAT rate of 19 %)",
            "net €100.00 = gross €107.00 ÷ 1.07 (the client's own VAT rate of 7 %)",
        ]
    else:
        assert [detail.replace("\xa0", " ") for detail in details] == [
            "netto 1.000,00 € = brutto 1.190,00 € ÷ 1,19 (üblicher USt-Satz von 19 %)",
            "netto 100,00 € = brutto 107,00 € ÷ 1,07 (eigener USt-Satz des Kunden von 7 %)",
        ]
