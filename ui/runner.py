"""Long work (import, PDF, backup) off the GUI thread, one task at a time.

A single worker thread runs tasks in order, so database writes from background work never race.
Results come back through Qt signals on the GUI thread as plain data. Tests use
``TaskRunner(immediate=True)``, which runs each task at once on the calling thread so that GUI
tests stay deterministic.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from freelancer_desk import logs


class TaskControl:
    """Handed to the task: report progress, ask whether the user cancelled."""

    def __init__(self, task: Task) -> None:
        self._task = task

    def progress(self, done: int, total: int) -> None:
        self._task._progress.emit(done, total)

    def cancelled(self) -> bool:
        return self._task.cancel_requested.is_set()


class Task(QObject):
    """One piece of background work and its outcome signals.

    The worker thread emits the private ``_outcome`` / ``_progress`` signals; they are queued to
    this object's slots on the GUI thread, which re-emit the public signals there. So callbacks
    connected to the public signals always run on the GUI thread, even plain functions.
    """

    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()
    _outcome = Signal(bool, object)
    _progress = Signal(int, int)

    def __init__(self, work: Callable[[TaskControl], Any]) -> None:
        super().__init__()
        self._work = work
        self.cancel_requested = threading.Event()
        self._outcome.connect(self._deliver)
        self._progress.connect(self.progressed)

    def cancel(self) -> None:
        """Ask the task to stop; it checks ``control.cancelled()`` between steps."""
        self.cancel_requested.set()

    def run(self) -> None:
        try:
            result = self._work(TaskControl(self))
        except Exception as exc:
            self._outcome.emit(False, exc)
        else:
            self._outcome.emit(True, result)

    def _deliver(self, ok: bool, value: object) -> None:
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self._task = task

    def run(self) -> None:
        self._task.run()


def _log_unhandled(error: Exception) -> None:
    """A task failed and nobody asked to hear of it: at least the log keeps it."""
    logs.caught(error, "background task")


class TaskRunner(QObject):
    """Runs tasks in order on one background thread (or at once, for tests)."""

    def __init__(self, immediate: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.immediate = immediate
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: set[Task] = set()

    def submit(
        self,
        work: Callable[[TaskControl], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> Task:
        """Start ``work(control)``; callbacks run on the GUI thread."""
        task = Task(work)
        if on_done:
            task.succeeded.connect(on_done)
        task.failed.connect(on_error or _log_unhandled)
        if on_progress:
            task.progressed.connect(on_progress)
        self._running.add(task)
        task.finished.connect(lambda: self._running.discard(task))
        if self.immediate:
            task.run()
        else:
            self._pool.start(_Runnable(task))
        return task

    def wait(self, msecs: int = -1) -> bool:
        """Block until all tasks are done (used at shutdown)."""
        return self._pool.waitForDone(msecs)
