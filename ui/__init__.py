"""The PySide6 GUI of Freelancer Desk: pages, dialogs, item models, charts."""

from ui.binding import lighten_import_check

# Before the GUI's modules load, so that none of them stays in memory as text.
lighten_import_check()
