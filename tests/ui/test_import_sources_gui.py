"""The import wizard's new paths, driven like a user: a dropped folder of e-invoices and a bank
statement recognised by their content, the report shown, written only on confirmation.

Each step is saved as a PNG in German and English (into ``$FREELANCER_DESK_SHOTS`` when set,
else the test's temporary folder) so that the screens can be looked at."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from freelancer_desk.services import revenue as revenue_service
from tests.import_files import totals
from ui.app import apply_language
from ui.context import AppContext
from ui.dialogs.import_wizard import ImportWizard

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("FREELANCER_DESK_SHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def drop(wizard: ImportWizard, *paths: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    wizard.file_page.dropEvent(event)


@pytest.mark.parametrize("lang", ["en", "de"])
def test_einvoices_and_a_statement_through_the_wizard(
    qtbot, qtmodeltester, qapp: QApplication, context: AppContext, tmp_path: Path, lang: str
) -> None:  # type: ignore[no-untyped-def]
    apply_language(qapp, lang)
    folder = shots(tmp_path)
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.resize(1024, 640)
    wizard.show()
    drop(wizard, FIXTURES / "einvoice" / "2025")
    assert wizard.file_page.kind() == "einvoices"
    wizard.grab().save(str(folder / f"import-einvoice-file-{lang}.png"))
    wizard.next()
    page = wizard.einvoice_page
    assert wizard.currentPage() is page
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 5 and page.isComplete()
    assert "Anna Schmidt Übersetzungen" in page.notice.text()
    wizard.grab().save(str(folder / f"import-einvoice-report-{lang}.png"))
    assert totals(context.db) == {}  # nothing written before the confirmation
    wizard.next()
    assert wizard.currentPage() is wizard.source_done and wizard.source_done.isComplete()
    wizard.grab().save(str(folder / f"import-einvoice-done-{lang}.png"))
    assert totals(context.db) == {
        "Weber IT GmbH": Decimal("1550.50"),
        "Lange Consulting": Decimal("2500.00"),
    }

    bank = ImportWizard(context)
    qtbot.addWidget(bank)
    bank.resize(1366, 768)
    bank.show()
    drop(bank, FIXTURES / "bank" / "dkb.csv")
    assert bank.file_page.kind() == "bank"
    bank.next()
    page = bank.bank_page
    qtmodeltester.check(page.model)
    outcomes = [page.model.index(row, 3).data() for row in range(page.model.rowCount())]
    partly = "teilweise bezahlt" if lang == "de" else "partly paid"
    assert partly in outcomes and len(outcomes) == 5
    bank.grab().save(str(folder / f"import-bank-report-{lang}.png"))
    page.revenue.setChecked(True)
    outcomes = [page.model.index(row, 3).data() for row in range(page.model.rowCount())]
    skipped, added = ("übersprungen", "wird hinzugefügt") if lang == "de" else ("skipped", "to add")
    assert outcomes == [skipped] * 4 + [added]  # the invoices' payments are no new revenue
    bank.grab().save(str(folder / f"import-bank-revenue-{lang}.png"))
    page.paid_dates.setChecked(True)
    bank.next()
    assert bank.source_done.isComplete()
    paid = {r.invoice_number: r.paid_date for r in revenue_service.list_entries(context.db)}
    assert paid["RE-2025-002"] == dt.date(2025, 4, 25)
    assert paid["RE-2025-004"] == dt.date(2025, 4, 22)


def test_a_csv_list_still_goes_to_the_preview(qtbot, context: AppContext) -> None:  # type: ignore[no-untyped-def]
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    drop(wizard, FIXTURES / "import" / "revenue_windows1252.csv")
    assert wizard.file_page.kind() == "revenue"
    wizard.next()
    assert wizard.currentPage() is wizard.preview
