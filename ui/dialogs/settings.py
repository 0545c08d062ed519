"""Settings: the app's language and the domain settings declared in ``DeskSettings``."""

from __future__ import annotations

import logging
from dataclasses import fields
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from freelancer_desk import logs
from freelancer_desk.errors import DeskError
from freelancer_desk.i18n import N_, _, current_language
from freelancer_desk.services import settings as settings_service
from freelancer_desk.settings import DeskSettings
from ui.context import AppContext
from ui.widgets import error_label

#: Settings whose value is one of a few words, with their shown names.
CHOICES: dict[str, list[tuple[str, str]]] = {
    "basis": [("invoice", N_("Invoice date")), ("paid", N_("Payment date (cash basis)"))],
}

#: Settings shown in a section of their own, each with its own reset; the rest stay under
#: "Figures and rules".
SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    (N_("Dependency on clients"), ("warning_share", "critical_share", "basis")),
    (
        N_("Warning signs"),
        (
            "warning_recent_months",
            "warning_usual_months",
            "warning_min_orders",
            "warning_fewer_orders",
            "warning_smaller_orders",
            "warning_late_days",
            "warning_rise_factor",
            "warning_min_events",
        ),
    ),
    (
        N_("Backups"),
        ("backup_folder", "backup_keep_daily", "backup_keep_weekly", "backup_keep_monthly"),
    ),
]


class SettingsDialog(QDialog):
    """Language (per computer) and domain settings (stored in the database)."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(520)
        self.language_changed = False
        self.chosen_language = current_language()

        language_box = QGroupBox(_("Language"))
        language_form = QFormLayout(language_box)
        self.language = QComboBox()
        self.language.addItem(_("Follow the system"), None)
        self.language.addItem("Deutsch", "de")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(context.preferences.language), 0))
        language_form.addRow(_("Language of the app:"), self.language)

        domain_box = QGroupBox(_("Figures and rules"))
        self.form = QFormLayout(domain_box)
        self.section_boxes: dict[str, QGroupBox] = {}
        self._section_forms: dict[str, QFormLayout] = {}
        for title, keys in SECTIONS:
            box = QGroupBox(_(title))
            self.section_boxes[title] = box
            self._section_forms.update(dict.fromkeys(keys, QFormLayout(box)))
        self.editors: dict[str, QWidget] = {}
        self._build_editors(context.settings())
        for _title, keys in SECTIONS:
            self._add_reset(self._section_forms[keys[0]], keys)
        self._add_reset(self.form, tuple(k for k in self.editors if k not in self._section_forms))

        self.error = error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        # The sections scroll: together they are taller than a laptop screen.
        content = QWidget()
        sections = QVBoxLayout(content)
        sections.setContentsMargins(0, 0, 0, 0)
        sections.addWidget(language_box)
        sections.addWidget(domain_box)
        for box in self.section_boxes.values():
            sections.addWidget(box)
        sections.addStretch(1)
        area = QScrollArea()
        area.setWidget(content)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        screen = self.screen().availableGeometry()
        wanted = content.sizeHint() + QSize(area.verticalScrollBar().sizeHint().width() + 24, 80)
        self.resize(max(wanted.width(), 560), min(wanted.height(), int(screen.height() * 0.85)))

    def _build_editors(self, current: DeskSettings) -> None:
        for key, kind, _default, caption, doc in DeskSettings.declared():
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
                continue
            editor.setToolTip(_(doc))
            self._section_forms.get(key, self.form).addRow(_(caption) + ":", editor)
            self.editors[key] = editor

    def _value(self, key: str, kind: type, editor: QWidget, stored: Any) -> Any:
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

    def _add_reset(self, form: QFormLayout, keys: tuple[str, ...]) -> None:
        reset = QPushButton(_("Reset to defaults"))
        reset.clicked.connect(lambda: self._reset(keys))
        form.addRow("", reset)

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
        kinds = {key: kind for key, kind, *_rest in DeskSettings.declared()}
        changes = {}
        for key, editor in self.editors.items():
            value = self._value(key, kinds[key], editor, getattr(stored, key))
            if value != getattr(stored, key):
                changes[key] = value
        try:
            if changes:
                settings_service.save(self.context.db, **changes)
        except DeskError as error:
            logs.caught(error, f"{self.windowTitle()}: refused", level=logging.INFO)
            self.error.setText(str(error))
            self.error.show()
            return
        language = self.language.currentData()
        if language != self.context.preferences.language:
            self.context.preferences.language = language
            from freelancer_desk.i18n import system_language

            self.chosen_language = language or system_language()
            self.language_changed = self.chosen_language != current_language()
        self.accept()
