"""The mapping page: which column holds which field, the date order, credit notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk.i18n import _, ngettext
from freelancer_desk.importers.documents import CreditNotes
from freelancer_desk.importers.fields import IGNORE, header_key
from freelancer_desk.importers.plan import (
    DateOrderNeeded,
)
from freelancer_desk.importers.values import (
    DateOrder,
)
from freelancer_desk.services import importing
from ui.dialogs.import_wizard.step import WizardStep

if TYPE_CHECKING:
    from ui.dialogs.import_wizard.wizard import ImportWizard


#: How many rows marked Gutschrift the credit-note question shows as examples.
CREDIT_NOTE_EXAMPLES = 3
#: Longest example cell shown beside a column on the mapping page.
EXAMPLE_CHARS = 30


class MappingPage(WizardStep):
    """Which column feeds which field: pre-filled from the recognition, editable."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__(
            wizard,
            _("Columns"),
            _(
                "Which column holds what. Recognised columns are filled in; change "
                "any you like. Your choice is remembered for files like this one."
            ),
        )
        self.boxes: list[QComboBox] = []
        self.problems: list[str] = []
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        holder = QWidget()
        holder.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        self.date_order = QComboBox()
        self.date_order.addItem(_("— please choose —"), None)
        self.date_order.addItem(_("day first (01/02/2025 is 1 February)"), DateOrder.DMY)
        self.date_order.addItem(_("month first (01/02/2025 is 2 January)"), DateOrder.MDY)
        self.date_order.currentIndexChanged.connect(self._changed)
        self.date_label = QLabel(_("&Dates such as 01/02/2025:"))
        self.date_label.setBuddy(self.date_order)
        date_row = QHBoxLayout()
        date_row.addWidget(self.date_label)
        date_row.addWidget(self.date_order, 1)
        self.credit_notes = QGroupBox(_("Gutschrift with a positive amount"))
        self.credit_notes.setObjectName("creditNoteQuestion")
        self.credit_text = QLabel()
        self.credit_text.setWordWrap(True)
        self.credit_choice = QButtonGroup(self)
        credit_layout = QVBoxLayout(self.credit_notes)
        credit_layout.addWidget(self.credit_text)
        for choice, text in (
            (CreditNotes.NEGATIVE, _("&Credit notes: they reduce the client's revenue")),
            (CreditNotes.REVENUE, _("&Self-billing invoices my client issued: revenue")),
        ):
            button = QRadioButton(text)
            button.setProperty("choice", choice.value)
            self.credit_choice.addButton(button)
            credit_layout.addWidget(button)
        self.credit_choice.buttonToggled.connect(
            lambda _button, on: self._changed() if on else None
        )
        self.status = QLabel()
        self.status.setObjectName("mappingStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #b00020; font-weight: bold;")
        self.alike = QLabel()
        self.alike.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.alike)
        layout.addLayout(date_row)
        layout.addWidget(self.credit_notes)
        layout.addWidget(self.status)

    def initializePage(self) -> None:
        table = self.owner.table
        assert table is not None
        while self.form.rowCount():
            self.form.removeRow(0)
        self.boxes = []
        specs = importing.importer_of(table, self.owner.kind).specs
        used = {index: field for field, index in table.mapping.columns.items()}
        seen: set[str] = set()
        alike: list[str] = []
        for index, header in enumerate(table.mapping.header):
            if not header:
                continue
            if header_key(header) in seen:  # a mapping names columns by header: one box each
                alike.append(header)
                continue
            seen.add(header_key(header))
            box = QComboBox()
            box.addItem(_("— do not import —"), IGNORE)
            for spec in specs:
                box.addItem(_(spec.label), spec.key)
            box.setCurrentIndex(max(box.findData(used.get(index, IGNORE)), 0))
            box.setProperty("header", header)
            box.currentIndexChanged.connect(lambda _i, b=box: self._picked(b))
            example = next((row.cell(index) for row in table.rows if row.cell(index)), "")
            if len(example) > EXAMPLE_CHARS:
                example = example[: EXAMPLE_CHARS - 1].rstrip() + "…"
            text = _("{header}  (e.g. {example})").format(header=header, example=example)
            # The label is the combo box's buddy: a "&" in the file's text is no shortcut.
            self.form.addRow((text if example else header).replace("&", "&&"), box)
            self.boxes.append(box)
        self.alike.setText(
            _(
                "Columns with the same name are read as one, so only the first is imported: "
                "{headers}. Rename the others in the file to import them too."
            ).format(headers=", ".join(alike))
        )
        self.alike.setVisible(bool(alike))
        self.date_order.setCurrentIndex(max(self.date_order.findData(self.owner.date_order), 0))
        self.credit_choice.setExclusive(False)
        for button in self.credit_choice.buttons():
            button.setChecked(button.property("choice") == self.owner.credit_notes)
        self.credit_choice.setExclusive(True)
        self._changed()

    def _picked(self, box: QComboBox) -> None:
        """A field feeds from one column: choosing it here frees it elsewhere."""
        field = box.currentData()
        if field != IGNORE:
            for other in self.boxes:
                if other is not box and other.currentData() == field:
                    other.blockSignals(True)
                    other.setCurrentIndex(0)
                    other.blockSignals(False)
        self._changed()

    def mapping(self) -> dict[str, str]:
        """Header text → field key (or ``ignore``), as the boxes say."""
        return {str(box.property("header")): str(box.currentData()) for box in self.boxes}

    def credit_note_choice(self) -> CreditNotes | None:
        """What the user said positive amounts marked Gutschrift are (None: not yet)."""
        button = self.credit_choice.checkedButton()
        return CreditNotes(button.property("choice")) if button is not None else None

    def _changed(self) -> None:
        """Map the table again and say what is still missing (checked once per change)."""
        table = self.owner.apply_mapping(
            self.mapping(), self.date_order.currentData(), self.credit_note_choice()
        )
        problems = [
            _("Still needed: a column for {field}.").format(field=field)
            for field in importing.missing_fields(table, self.owner.kind)
        ]
        try:
            importing.check_date_order(table, self.owner.kind, self.owner.plan_options())
            needs_order = False
        except DateOrderNeeded:
            needs_order = True
            problems.append(_("Choose how to read dates such as 01/02/2025."))
        shown = needs_order or self.date_order.currentData() is not None
        self.date_label.setVisible(shown)
        self.date_order.setVisible(shown)
        marked = importing.credit_note_rows(table, self.owner.kind)
        self.credit_notes.setVisible(bool(marked))
        if marked:
            self.credit_text.setText(credit_note_question(marked))
            if self.credit_note_choice() is None:
                problems.append(_("Choose what the rows marked Gutschrift are."))
        self.status.setText("\n".join(problems))
        self.problems = problems
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.owner.table is not None and not self.problems


def credit_note_question(marked: Sequence[Any]) -> str:
    """The question about rows marked Gutschrift with a positive amount: count and examples."""
    examples = "\n".join(row.describe() for row in marked[:CREDIT_NOTE_EXAMPLES])
    if len(marked) > CREDIT_NOTE_EXAMPLES:
        examples += "\n…"
    return (
        ngettext(
            "{count} row is marked Gutschrift, Korrektur or Storno but has a positive amount:",
            "{count} rows are marked Gutschrift, Korrektur or Storno but have positive amounts:",
            len(marked),
        ).format(count=len(marked))
        + "\n"
        + examples
        + "\n"
        + _(
            "A Gutschrift can be a credit note, or a self-billing invoice your client issued "
            "(§ 14 Abs. 2 S. 2 UStG), which is revenue. For this file they are:"
        )
    )
