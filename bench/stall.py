"""How long the GUI thread is ever busy while a user opens every page and imports a CSV file.

    python -m bench.stall DATABASE CSV [--why]

Run in its own process by ``python -m bench --only stall``. A heartbeat timer fires every
``BEAT_MS`` milliseconds on the GUI thread and notes how late each beat comes: a beat that is
late by 300 ms means the window did not react to anything (a click, a key, a repaint) for
300 ms. Meanwhile the window runs as in the app, with the real background runner, and a script
of steps drives it: every page opened in turn, a client's page, the import wizard through its
pages on ``CSV`` (file, preview, mapping, dry run, import), every page again after the import
(they reload the new data). Each step starts once the previous one has settled (no background
task under way, nothing pending for ``QUIET_MS``).

The stall counts from the window's first paint: before it there is no window to react (opening
the file, building the window and painting it are the start, which ``python -m bench``
measures as "start to painted dashboard"); that time is printed as ``start_ms``.

It prints ``start_ms N``, ``step longest_ms`` lines, then ``busy_step ms`` lines (the most
processor time the GUI thread used between two beats: a figure that hardly grows on a busy
machine, where the lateness does), ``longest_busy_ms N``, ``longest_stall_ms N`` and
``longest_stall_step NAME``. The database is written to (the import): give it a copy. ``--why``
also samples the GUI thread's stack while it is late and prints where the stalls were spent (to
stderr).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: How often the heartbeat fires, and how long the window must be quiet to count as settled.
BEAT_MS = 10
QUIET_MS = 300
#: A step that has not settled after this long fails the benchmark.
STEP_TIMEOUT_S = 300


@dataclass
class Walk:
    """Where the walk through the window stands."""

    step: str = "start"
    next_step: int = 0
    started: float = field(default_factory=time.perf_counter)
    last_beat: float = field(default_factory=time.perf_counter)
    #: Since when nothing was under way (the step has settled once this is ``QUIET_MS`` ago).
    quiet_since: float = field(default_factory=time.perf_counter)
    #: Moves the step on and says whether it is done (the import wizard), if it needs one.
    check: Callable[[], bool] | None = None
    #: The walk is over (the heartbeat stopped: nothing more to sample).
    done: bool = False


#: With ``--why``: how often a stalled GUI thread's stack is sampled, and the samples by step
#: and place (printed to stderr at the end: where the GUI thread spent its stalls).
WATCH_MS = 20
SAMPLES: Counter[tuple[str, str]] = Counter()


def _watch(walk: Walk, gui_thread: int) -> None:
    """Sample the GUI thread's stack while its heartbeat is more than 50 ms late."""
    while not walk.done:
        time.sleep(WATCH_MS / 1000)
        if time.perf_counter() - walk.last_beat < 0.05:
            continue
        frame = sys._current_frames().get(gui_thread)
        if frame is None:
            continue
        stack = traceback.extract_stack(frame)
        ours = [
            f"{Path(entry.filename).name}:{entry.lineno} {entry.name}"
            for entry in stack
            if str(ROOT) in entry.filename and "bench" not in entry.filename
        ]
        innermost = f"{Path(stack[-1].filename).name}:{stack[-1].lineno} {stack[-1].name}"
        SAMPLES[walk.step, " < ".join([innermost, *reversed(ours[-5:])])] += 1


def main() -> int:
    """Drive the window through its pages and an import; print the longest stall per step."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from freelancer_desk.db import open_database
    from freelancer_desk.services import clients as client_service
    from ui import registry
    from ui.app import apply_language
    from ui.context import AppContext
    from ui.main_window import MainWindow
    from ui.preferences import Preferences
    from ui.runner import TaskRunner

    app = QApplication([])
    apply_language(app, "de")
    database, csv_path = Path(sys.argv[1]), Path(sys.argv[2])
    longest: dict[str, float] = {}
    #: The most processor time the GUI thread used between two beats, by step: unlike the
    #: lateness, it hardly grows when other programs keep the processors busy.
    busiest: dict[str, float] = {}
    walk = Walk()
    used = [time.thread_time()]

    def beat() -> None:
        now = time.perf_counter()
        late = now - walk.last_beat - BEAT_MS / 1000
        walk.last_beat = now
        longest[walk.step] = max(longest.get(walk.step, 0.0), late)
        used.append(time.thread_time())
        busiest[walk.step] = max(busiest.get(walk.step, 0.0), used[-1] - used[-2])
        del used[0]

    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(BEAT_MS)
    heartbeat.timeout.connect(beat)

    if "--why" in sys.argv:
        threading.Thread(target=_watch, args=(walk, threading.get_ident()), daemon=True).start()
    with open_database(database) as db:
        runner = TaskRunner()
        context = AppContext(db, Preferences(), runner)
        client_id = max(client_service.client_names(db))[0]  # any client with a page to show
        window: list[MainWindow] = []
        wizards: list[object] = []

        def open_window() -> None:
            walk.step = "start"
            window.append(MainWindow(context))
            window[0].resize(1366, 768)
            window[0].show()
            # Its first paint is a posted event, handled before the next beat: that beat is
            # still the start's, the ones after are the window's.
            QTimer.singleShot(0, lambda: setattr(walk, "step", "window"))

        def show_page(key: str) -> None:
            window[0].show_page(key)

        def import_csv() -> Callable[[], bool]:
            """Start the wizard on the file; the returned check moves it on and says when the
            import is done."""
            from ui.dialogs.import_wizard import ImportWizard

            wizard = ImportWizard(context, window[0], kind="revenue", path=csv_path)
            wizards.append(wizard)
            wizard.show()

            def advance() -> bool:
                page = wizard.currentPage()
                if page is None or not page.isComplete():
                    return False
                if wizard.nextId() == -1:  # the import has run
                    walk.step = "import done"
                    wizard.accept()
                    wizard.deleteLater()
                    wizards.clear()  # the app lets the wizard and its plan go
                    return True
                walk.step = f"import {type(page).__name__}"  # leaving it, opening the next
                wizard.next()
                return False

            return advance

        steps: list[tuple[str, Callable[[], object]]] = [("window", open_window)]
        for round_name in ("", " after import"):
            if round_name:
                steps.append(("import", import_csv))
            for spec in registry.PAGES:
                steps.append((spec.key + round_name, partial(show_page, spec.key)))
            steps.append(("client page" + round_name, lambda: window[0].show_client(client_id)))

        def drive() -> None:
            """Every few milliseconds: start the next step once the last one has settled."""
            now = time.perf_counter()
            waiting = walk.check is not None and not walk.check()
            if walk.check is not None and not waiting:
                walk.check = None  # done: the wizard is let go of, as the app does
            if waiting or runner.busy() or QApplication.activeModalWidget() is not None:
                walk.quiet_since = now
            if now - walk.started > STEP_TIMEOUT_S:
                raise SystemExit(f"step {walk.step} did not settle")
            if now - walk.quiet_since < QUIET_MS / 1000:
                return
            if walk.next_step == len(steps):
                app.quit()
                return
            walk.step, action = steps[walk.next_step]
            walk.next_step += 1
            walk.started = walk.quiet_since = now
            started = action()
            walk.check = started if callable(started) else None

        driver = QTimer()
        driver.setInterval(20)
        driver.timeout.connect(drive)
        driver.start()
        heartbeat.start()
        app.exec()
        walk.done = True
        heartbeat.stop()
        driver.stop()
        window[0].close()
        runner.wait()
    for (step, where), count in sorted(SAMPLES.items(), key=lambda item: -item[1])[:25]:
        print(f"{count * WATCH_MS:6d} ms in {step}: {where}", file=sys.stderr)
    print("start_ms", round(longest.pop("start") * 1000, 1), flush=True)
    busiest.pop("start")
    for step, seconds in longest.items():
        print(step.replace(" ", "_"), round(seconds * 1000, 1), flush=True)
    for step, seconds in busiest.items():
        print("busy_" + step.replace(" ", "_"), round(seconds * 1000, 1), flush=True)
    print("longest_busy_ms", round(max(busiest.values()) * 1000, 1), flush=True)
    worst = max(longest, key=lambda step: longest[step])
    print("longest_stall_ms", round(longest[worst] * 1000, 1), flush=True)
    print("longest_stall_step", worst.replace(" ", "_"), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
