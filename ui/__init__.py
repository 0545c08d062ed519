"""The PySide6 GUI of Freelancer Desk: pages, dialogs, item models, charts."""
