"""Python's cycle collector paused while thousands of records are made at once.

An import plans every row of a file, the status document holds every client of the file: all
those records live until the work ends, and every full collection on the way would walk all of
them (and everything loaded before) again, a fifth to a third of the time of such work. None of
them form cycles that need the collector, so it waits until the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def many_records() -> Iterator[None]:
    """Pause the cycle collector for the block (also usable as a decorator); it runs again
    afterwards, unless it was paused before."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
