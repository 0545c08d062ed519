"""Settings: the app's language and the domain settings declared in ``DeskSettings``.

Everyday choices (language, your name, invoices, the backup folder) come first; the expert
thresholds wait on the "Advanced" tab. Each section is one ``Section`` line in ``SECTIONS``.
"""

from __future__ import annotations

import logging
from dataclasses import fields
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import logs
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, current_language, system_language
from freelancer_desk.services import settings as settings_service
from freelancer_desk.settings import DeskSettings
from ui.context import AppContext
from ui.widgets import error_label, grow_to_fit, hint_label, show_modal

#: Settings whose value is one of a few words, with their shown names.
CHOICES: dict[str, list[tuple[str, str]]] = {
    "basis": [
        ("invoice", N_("Invoice date")),
        ("paid", N_("Payment date (net amount on the day paid)")),
    ],
    "vat_scheme": [
        ("regular", N_("I charge VAT")),
        ("small_business", N_("Small business, no VAT (§19 UStG)")),
    ],
}

#: Settings that name a folder: their field gets a "Choose…" button.
FOLDERS = ("backup_folder",)


class Section(NamedTuple):
    """A box of settings with its own reset; ``advanced`` ones wait on the Advanced tab."""

    title: str
    keys: tuple[str, ...]
    advanced: bool = False


#: The sections, everyday ones first. A setting in no section lands in "More" (advanced).
SECTIONS: list[Section] = [
    Section(N_("Your business"), ("owner_name", "owner_address")),
    Section(N_("Revenue and invoices"), ("basis", "default_payment_term_days")),
    Section(
        N_("VAT and your business"),
        ("vat_scheme", "default_vat_rate", "seller_name", "seller_vat_id"),
    ),
    Section(N_("Backups"), ("backup_folder",)),
    Section(N_("Dependency on clients"), ("warning_share", "critical_share"), advanced=True),
    Section(
        N_("Sleeping clients and warning signs"),
        (
            "sleeping_days",
            "warning_recent_months",
            "warning_usual_months",
            "warning_min_orders",
            "warning_fewer_orders",
            "warning_smaller_orders",
            "warning_single_order",
            "warning_late_days",
            "warning_rise_factor",
            "warning_min_events",
        ),
        advanced=True,
    ),
    Section(
        N_("Backups kept"),
        ("backup_keep_daily", "backup_keep_weekly", "backup_keep_monthly"),
        advanced=True,
    ),
]
#: The section of settings that no entry of ``SECTIONS`` names.
MORE = N_("More")


def _scrolled(content: QWidget) -> QScrollArea:
    """A tab's sections in a scroll area: together they may be taller than a laptop screen."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return area


class SettingsDialog(QDialog):
    """Language (per computer) and domain settings (stored in the database), on two tabs."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(520)
        self.language_changed = False
        self.chosen_language = current_language()

        self.language = QComboBox()
        self.language.addItem(_("Follow the system"), None)
        self.language.addItem("Deutsch", "de")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(context.preferences.language), 0))

        sections = [Section(*entry) for entry in SECTIONS]
        placed = {key for section in sections for key in section.keys}
        rest = tuple(key for key, *_rest in DeskSettings.declared() if key not in placed)
        if rest:
            sections.append(Section(MORE, rest, advanced=True))

        current = context.settings()
        self.editors: dict[str, QWidget] = {}
        self.section_boxes: dict[str, QGroupBox] = {}
        self.tabs = QTabWidget()
        self._captions: dict[bool, list[QLabel]] = {False: [], True: []}
        pages: dict[bool, QVBoxLayout] = {}
        contents: list[QWidget] = []
        for advanced, title in ((False, _("General")), (True, _("Advanced"))):
            content = QWidget()
            contents.append(content)
            pages[advanced] = QVBoxLayout(content)
            self.tabs.addTab(_scrolled(content), title)
        language_box = QGroupBox(_("Language"))
        language_form = self._form(language_box)
        self._add_row(language_form, _("Language of the app"), self.language, False)
        pages[False].addWidget(language_box)
        for section in sections:
            box = QGroupBox(_(section.title))
            form = self._form(box)
            for key in section.keys:
                self._add_editor(form, key, current, section.advanced)
            self._add_reset(form, section.keys)
            self.section_boxes[section.title] = box
            pages[section.advanced].addWidget(box)
        pages[True].insertWidget(
            0,
            hint_label(
                _(
                    "Thresholds for fine-tuning; each field explains itself when you point at "
                    "it. The defaults suit most freelancers."
                )
            ),
        )
        for page in pages.values():
            page.addStretch(1)
        self._align()

        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # As large as the taller tab wants, within the screen: the tabs scroll beyond that.
        screen = self.screen().availableGeometry()
        wanted = QSize(
            max(content.sizeHint().width() for content in contents) + 60,
            max(content.sizeHint().height() for content in contents) + 120,
        )
        self.resize(
            min(max(wanted.width(), 560), screen.width()),
            min(wanted.height(), int(screen.height() * 0.85)),
        )

    # ---- building ----------------------------------------------------------------------

    @staticmethod
    def _form(box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return form

    def _add_row(self, form: QFormLayout, caption: str, field: QWidget, advanced: bool) -> None:
        label = QLabel(caption + ":")
        label.setBuddy(field)
        form.addRow(label, field)
        self._captions[advanced].append(label)

    def _align(self) -> None:
        """The fields of a tab start at one line, whatever box they are in."""
        for labels in self._captions.values():
            width = max((label.sizeHint().width() for label in labels), default=0)
            for label in labels:
                label.setMinimumWidth(width)

    def _add_editor(
        self, form: QFormLayout, key: str, current: DeskSettings, advanced: bool
    ) -> None:
        declared = {
            name: (kind, caption, doc) for name, kind, _d, caption, doc in DeskSettings.declared()
        }
        if key not in declared:
            return
        kind, caption, doc = declared[key]
        value = getattr(current, key)
        editor: QWidget
        if key in CHOICES:
            editor = QComboBox()
            for choice, text in CHOICES[key]:
                editor.addItem(_(text), choice)
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif kind is Fraction:
            editor = QDoubleSpinBox()
            editor.setRange(1.0, 100.0)
            editor.setDecimals(2)
            editor.setSuffix(" %")
            editor.setValue(float(value) * 100)
        elif kind is int:
            editor = QSpinBox()
            editor.setRange(0, 3650)
            editor.setValue(value)
        elif kind is str:
            editor = QLineEdit(value)
        else:
            return
        editor.setToolTip(_(doc))
        self.editors[key] = editor
        field = self._with_chooser(editor) if key in FOLDERS else editor
        self._add_row(form, _(caption), field, advanced)

    def _with_chooser(self, editor: QWidget) -> QWidget:
        """A folder's text field with a "Choose…" button beside it."""
        assert isinstance(editor, QLineEdit)
        editor.setPlaceholderText(_("beside the database"))
        choose = QPushButton(_("Choose…"))
        choose.setAutoDefault(False)
        choose.clicked.connect(lambda: self.choose_folder(editor))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(editor, 1)
        layout.addWidget(choose)
        return row

    def choose_folder(self, editor: QLineEdit) -> None:
        """Pick a folder in the system's dialog; the text field shows it."""
        start = editor.text() or str(self.context.db.path.parent)
        dialog = QFileDialog(self, _("Choose a folder for backups"), start)
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if show_modal(dialog) and dialog.selectedFiles():
            editor.setText(str(Path(dialog.selectedFiles()[0])))

    def _add_reset(self, form: QFormLayout, keys: tuple[str, ...]) -> None:
        reset = QPushButton(_("Reset to defaults"))
        reset.setAutoDefault(False)
        reset.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        reset.clicked.connect(lambda: self._reset(keys))
        form.addRow("", reset)

    # ---- values ------------------------------------------------------------------------

    def _value(self, editor: QWidget, stored: Any) -> Any:
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QDoubleSpinBox):
            shown = round(float(stored) * 100, 2)
            if abs(editor.value() - shown) < 1e-9:
                return stored  # unchanged: keep the exact fraction (5/6 stays 5/6)
            return Fraction(str(round(editor.value(), 2))) / 100
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        return stored

    def _reset(self, keys: tuple[str, ...]) -> None:
        """Show the declared defaults of ``keys`` (stored only on Save)."""
        defaults = DeskSettings()
        for f in fields(DeskSettings):
            if f.name not in keys:
                continue
            editor = self.editors.get(f.name)
            value = getattr(defaults, f.name)
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(editor.findData(value), 0))
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(float(value) * 100)
            elif isinstance(editor, QSpinBox):
                editor.setValue(value)
            elif isinstance(editor, QLineEdit):
                editor.setText(value)

    def _save(self) -> None:
        stored = self.context.settings()
        changes = {}
        for key, editor in self.editors.items():
            value = self._value(editor, getattr(stored, key))
            if value != getattr(stored, key):
                changes[key] = value
        try:
            if changes:
                settings_service.save(self.context.db, **changes)
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: refused", level=logging.INFO)
            self.error.setText(str(error))
            self.error.show()
            grow_to_fit(self)
            return
        language = self.language.currentData()
        if language != self.context.preferences.language:
            self.context.preferences.language = language
            self.chosen_language = language or system_language()
            self.language_changed = self.chosen_language != current_language()
        self.accept()
