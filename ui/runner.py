"""Long work (import, PDF, backup, a page's figures) off the GUI thread, one task at a time.

A single worker thread runs tasks in order, so database writes from background work never race.
Results come back through Qt signals on the GUI thread as plain data. Tests use
``TaskRunner(immediate=True)``, which runs each task at once on the calling thread so that GUI
tests stay deterministic.

The whole interface:

- ``runner.submit(work, on_done, on_error, on_progress)`` runs ``work(control)`` on the worker;
  the callbacks run on the GUI thread. ``work`` touches no widget and returns plain data.
- ``runner.after_each_task(work)`` runs ``work()`` on the worker after every task, once the
  task's outcome is on its way (the database keeps the documents it computed meanwhile).
- ``runner.busy()`` says whether a task has not delivered its outcome yet (a busy indicator,
  the benchmark's "settled").
- ``Loader(page, runner, show)`` is what a page reloads through: ``loader.load(read)`` runs
  ``read()`` on the worker and hands its result to ``show`` — only the newest load's result, so
  a reload started while another is under way never lets the older data replace the newer
  (the older one is cancelled when it has not started yet, and dropped when it has);
  ``loader.cancel()`` drops whatever is under way.

A threaded runner lowers Python's switch interval (``GIL_SWITCH_SECONDS``): the worker's Python
code and the GUI thread's (every call from Qt into Python) share one interpreter lock, and with
the default 5 ms each cell a table paints could wait that long while the worker computes. At
0.5 ms a client's page built while the worker computed the figures still waited 0.1–0.2 s in
all; at 0.1 ms the waits are a fifth of that, and the worker only switches that often while
the GUI thread asks for the lock.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from freelancer_desk import collector, logs

T = TypeVar("T")

#: How long the worker may hold the GIL while the GUI thread waits for it.
GIL_SWITCH_SECONDS = 0.0001


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
    def __init__(self, task: Task, afterwards: Callable[[], None]) -> None:
        super().__init__()
        self._task = task
        self._afterwards = afterwards

    def run(self) -> None:
        self._task.run()
        self._afterwards()


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
        if not immediate:
            # The GUI thread needs the GIL for every call from Qt into Python (each cell a
            # table paints); while the worker computes, it would wait up to Python's switch
            # interval (5 ms) for each of them.
            sys.setswitchinterval(GIL_SWITCH_SECONDS)
        self._running: set[Task] = set()
        self._after_each: list[Callable[[], object]] = []

    def after_each_task(self, work: Callable[[], object]) -> None:
        """Run ``work()`` on the worker after each task, once its outcome is on its way:
        what can wait until the user has the result (keeping computed documents)."""
        self._after_each.append(work)

    def _afterwards(self) -> None:
        for work in self._after_each:
            try:
                work()
            except Exception as exc:  # after the task: nobody waits for it, the log keeps it
                logs.caught(exc, "work after a background task")

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
        task.finished.connect(self._forget)
        if self.immediate:
            task.run()
            self._afterwards()
        else:
            self._pool.start(_Runnable(task, self._afterwards))
        return task

    def _forget(self) -> None:
        """A task delivered its outcome: let it go.

        The task comes from ``sender()``, not from a function holding it: Qt keeps a connected
        Python function alive as long as the task's connection, so such a function would keep
        the task, its work and all that reaches (the database, the page) alive for good.
        """
        task = self.sender()
        assert isinstance(task, Task)  # only tasks connect here
        self._running.discard(task)

    def busy(self) -> bool:
        """True while a task submitted here has not delivered its outcome yet."""
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until all tasks are done (used at shutdown)."""
        return self._pool.waitForDone(msecs)


class Loader(Generic[T]):
    """Reloads one view's data through the runner; only the newest load is shown.

    A page calls ``load(read)`` whenever it wants fresh data (data changed, a filter moved);
    ``read()`` runs on the worker and must touch no widget. Its result reaches ``show`` on the
    GUI thread unless a newer load was started meanwhile: then it is dropped (and its work is
    skipped when it had not started yet), so stale data never lands over fresh data. A failure
    of the newest load reaches ``on_error`` (by default the window's error hook, which shows
    it and writes it to the log); ``busy(True/False)`` is told when loading starts and ends.
    Once ``owner`` (the page) is deleted, nothing more is shown.
    """

    def __init__(
        self,
        owner: QObject,
        runner: TaskRunner,
        show: Callable[[T], None],
        on_error: Callable[[Exception], None] | None = None,
        busy: Callable[[bool], None] | None = None,
    ) -> None:
        owner.destroyed.connect(self.cancel)
        self._runner = runner
        self._show = show
        self._on_error = on_error or report_in_window
        self._busy = busy
        self._task: Task | None = None
        #: The number of the load whose outcome is awaited (None: nothing under way).
        self._awaited: int | None = None
        #: Counts the loads started: an outcome of any but the last one is dropped.
        self._loads = 0

    @property
    def loading(self) -> bool:
        """True from ``load`` until the newest load's outcome arrived."""
        return self._awaited is not None

    def load(self, read: Callable[[], T]) -> None:
        """Start reading; a load still under way is superseded."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self._loads += 1
        number = self._awaited = self._loads
        if self._busy is not None:
            self._busy(True)

        def work(control: TaskControl) -> T | None:
            if control.cancelled():
                return None
            # What a view reads it keeps: the collector's full passes leave it alone (one
            # over the client list's records and step plan took a tenth of a second).
            with collector.many_records():
                return read()

        def done(result: T) -> None:
            if self._finish(number):
                self._show(result)

        def failed(error: Exception) -> None:
            if self._finish(number):
                self._on_error(error)
            else:
                logs.caught(error, "superseded background load")

        task = self._runner.submit(work, done, failed)
        if self._awaited == number:  # still under way (an immediate runner has delivered it)
            self._task = task

    def _finish(self, number: int) -> bool:
        """The outcome of load ``number`` arrived: True when it is the newest one."""
        if number != self._awaited:
            return False
        self._task = self._awaited = None
        if self._busy is not None:
            self._busy(False)
        return True

    def cancel(self) -> None:
        """Whatever is under way arrives to nobody (the owner is gone, or the user cancelled);
        ``busy`` is not told."""
        if self._task is not None:
            self._task.cancel()
        self._task = self._awaited = None


def report_in_window(error: Exception) -> None:
    """A background failure goes where any error of the window goes: the error hook shows it
    in a message (through ``faults.explain``) and writes it to the log."""
    sys.excepthook(type(error), error, error.__traceback__)
