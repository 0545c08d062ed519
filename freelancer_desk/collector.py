"""Python's cycle collector kept away from the records the app holds on to.

An import plans every row of a file, the status document holds every client of the file, a
list holds every row it shows: all those records live on after the work that made them, and
every full collection would walk all of them (and everything loaded before) again. A full
collection holds the interpreter's lock for all that time, wherever it runs: on the worker it
stops the window as much as on the GUI thread (half a second on a file of 2,000 clients after a
large import). So the collector waits while many records are made, and what exists when they
are done is frozen: later passes walk only what was made since. Records let go of are still
freed at once (none of them form cycles); cycles among the frozen objects wait for ``sweep``,
at a moment nobody waits for the window.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Items ``let_go`` frees at a time: about a millisecond of work, after which the window may
#: take the interpreter's lock.
SLICE = 4096


@contextmanager
def many_records() -> Iterator[None]:
    """Pause the cycle collector for the block (also usable as a decorator); afterwards freeze
    what exists and let it run again, unless it was paused before."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.freeze()
            gc.enable()


def sweep() -> None:
    """One full collection, the frozen objects included, and freeze what is left.

    Collects the cycles that became garbage after a freeze; it takes as long as the full passes
    that ``many_records`` spares, so the window calls it when it is not the active window.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def let_go(*collections: list[Any] | set[Any]) -> None:
    """Empty large lists and sets a slice at a time (they are empty afterwards).

    Freeing a hundred thousand records is one call that holds the interpreter's lock until the
    last is gone (a twentieth of a second for an import's snapshot of the entries), and the
    window waits for it; between two slices it gets its turn.
    """
    for collection in collections:
        if isinstance(collection, list):
            items = collection
        else:
            items = list(collection)
            collection.clear()  # its items live on in ``items`` until their slice
        while items:
            del items[-SLICE:]
