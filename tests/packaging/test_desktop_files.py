"""What the desktop sees of the app, from source: the app icon and the Linux .desktop entry."""

from __future__ import annotations

import configparser

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from freelancer_desk import APP_ID, APP_NAME
from freelancer_desk.paths import resource
from ui.icons import icon


def test_app_icon_draws_a_tile_with_transparent_corners(qapp: QApplication) -> None:
    image = icon("app").pixmap(64, 64).toImage()
    assert (image.width(), image.height()) == (64, 64)
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corner
    centre = image.pixelColor(32, 50)
    assert centre.alpha() == 255 and centre != QColor(0, 0, 0)


def test_desktop_entry_starts_the_app_by_its_id_with_its_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive: Name[de]
    parser.read(resource("freelancer-desk.desktop"), encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == APP_NAME
    # Exec and Icon use the id that `make dist` names the Linux binary and QGuiApplication's
    # desktopFileName, so the window is matched to this entry.
    assert entry["Exec"] == APP_ID and entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"
    assert "Selbständige" in entry["GenericName[de]"] and entry["Comment[de]"]
    assert entry["Categories"].endswith(";") and "Office" in entry["Categories"].split(";")
