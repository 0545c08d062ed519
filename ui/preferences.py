"""Per-machine GUI preferences in QSettings: language, window layout, one-time notices.

Domain settings (thresholds, basis …) are not here: they live in the database so that the CLI
and the PDF agree with the window (``freelancer_desk.settings``).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from freelancer_desk import APP_NAME


class Preferences:
    """Typed access to the few values the GUI remembers between runs."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings(APP_NAME, APP_NAME)

    @property
    def language(self) -> str | None:
        """ "de", "en", or None to follow the system."""
        value = self._settings.value("ui/language", "")
        return str(value) if value else None

    @language.setter
    def language(self, value: str | None) -> None:
        self._settings.setValue("ui/language", value or "")

    def geometry(self, key: str) -> QByteArray | None:
        """A saved ``saveGeometry()`` / ``saveState()`` blob, or None."""
        value = self._settings.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(f"layout/{key}", value)

    def flag(self, key: str) -> bool:
        """A remembered yes/no (e.g. a notice already shown)."""
        return str(self._settings.value(f"flags/{key}", "0")) in ("1", "true")

    def set_flag(self, key: str, value: bool = True) -> None:
        self._settings.setValue(f"flags/{key}", "1" if value else "0")

    def value(self, key: str, default: str = "") -> str:
        return str(self._settings.value(f"values/{key}", default))

    def set_value(self, key: str, value: str) -> None:
        self._settings.setValue(f"values/{key}", value)
