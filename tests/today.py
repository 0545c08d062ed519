"""The day the whole test run takes as today.

The app reads today only through ``freelancer_desk.clock.today()``; ``tests/conftest.py`` pins
it to this day for every test, so a run across midnight sees one day throughout, and a test
module's ``TODAY`` is exactly the app's today. The first process of a run puts the day into
the environment, so that parallel workers agree on it. A test about another day pins that one
with ``clock.pinned``.
"""

from __future__ import annotations

import datetime as dt
import os

VARIABLE = "FREELANCER_DESK_TEST_TODAY"
os.environ.setdefault(VARIABLE, dt.date.today().isoformat())
TODAY = dt.date.fromisoformat(os.environ[VARIABLE])
