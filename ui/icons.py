"""Icons from ``resources/icons`` (SVG), with Qt's standard icons as a fallback."""

from __future__ import annotations

from functools import cache

from PySide6.QtGui import QIcon

from freelancer_desk.paths import resource


@cache
def icon(name: str) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` (an empty icon if there is none)."""
    path = resource("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
