"""Results of whole-database analytics, kept until the data changes.

The status document, the warning signs and the clients' lifecycle facts are computed from the
whole file, and the dashboard, the Clients page, the reminders' suggestions, the printed review
and the dossier each ask for them. A ``Memo`` keeps each result until the data version of the
database changes (any commit, from this process or another one), so that a result is computed
once per change of the data instead of once per page. Two threads asking for the same result
at the same time share one computation (the window computes the dashboard's figures in the
background while it builds itself).

Results are shared: callers must treat them as read-only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

T = TypeVar("T")


class Memo:
    """Results by key, valid while ``version()`` returns the same number."""

    def __init__(self, version: Callable[[], int]) -> None:
        self._version = version
        self._lock = threading.Lock()
        self._seen: int | None = None
        self._results: dict[Hashable, Future[Any]] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result for ``key``: kept from before, being computed by another thread, or
        computed now."""
        version = self._version()
        with self._lock:
            if version != self._seen:
                self._results.clear()
                self._seen = version
            future = self._results.get(key)
            mine = future is None
            if future is None:
                future = self._results[key] = Future()
        if not mine:
            return future.result()
        try:
            result = compute()
        except BaseException as exc:
            with self._lock:
                if self._results.get(key) is future:
                    del self._results[key]
            future.set_exception(exc)
            raise
        future.set_result(result)
        return result

    def clear(self) -> None:
        """Forget every result (the next ``get`` computes afresh)."""
        with self._lock:
            self._results.clear()
            self._seen = None
