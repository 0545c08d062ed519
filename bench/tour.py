"""Open every page of the window on a database, as a user clicking through would.

    python -m bench.tour DATABASE

Run in its own process by ``python -m bench``: it prints one line per page with the seconds the
page took to open (built, filled and painted), then the process's peak resident memory in MB.
The user folders should point somewhere temporary (the benchmark does that).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    """Show each page in turn; print ``page seconds`` lines and ``peak_mb N``."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from freelancer_desk.db import open_database
    from ui import registry
    from ui.app import apply_language
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.preferences import Preferences
    from ui.runner import TaskRunner

    app = QApplication([])
    apply_language(app, "de")
    with open_database(Path(sys.argv[1]), writable=False) as db:
        context = AppContext(db, Preferences(), TaskRunner(immediate=True))
        for spec in registry.PAGES:
            started = time.perf_counter()
            if spec is registry.PAGES[0]:
                window = MainWindow(context)
                window.show()
            else:
                window.show_page(spec.key)
            app.processEvents()  # painted, and the dashboard's charts drawn after its first paint
            app.processEvents()
            print(spec.key, round(time.perf_counter() - started, 3), flush=True)
        window.close()
    print("peak_mb", round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
