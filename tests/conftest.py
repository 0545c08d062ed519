"""Fixtures for every test: the user's own folders kept out of reach, an English default, a fresh
migrated database per test."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Compiled bytecode. Each worker of the run and each program a test starts imports the app and
# the tests again; where PYTHONDONTWRITEBYTECODE is set, each compiled them from source every
# time (two thirds of collecting the tests). The run then keeps bytecode in a folder of its own
# below the system's temporary folder, as the bench does: the source tree stays free of it, and
# the next run finds it (Python recompiles a file that changed).
if sys.dont_write_bytecode:
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ.setdefault(
        "PYTHONPYCACHEPREFIX", str(Path(tempfile.gettempdir()) / "freelancer-desk-test-bytecode")
    )
    sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"]
    sys.dont_write_bytecode = False

from hypothesis import settings as hypothesis_settings

# The user's own folders. Settings, logs, caches and the file dialogs' history live below HOME
# and the XDG folders; before the app or Qt looks at them, they point into a temporary folder of
# this run, and every test gets a home of its own (``_isolated_home``). Caches are shared by the
# whole run, also with its worker processes and the programs it starts, so that matplotlib's
# font list and the compiled catalogues are made once. Matplotlib's font list (a second or two
# to make, in each process that looks before another has written it) is kept between runs as
# the bytecode is, below the system's temporary folder, unless a run names its cache folder
# (``CACHE_VARIABLE``: then it is made there, as tests/ui/test_user_files_untouched.py checks).
CACHE_VARIABLE = "FREELANCER_DESK_TEST_CACHE"
_own_cache = CACHE_VARIABLE not in os.environ
if _own_cache:
    os.environ[CACHE_VARIABLE] = tempfile.mkdtemp(prefix="freelancer-desk-tests-")
    os.environ["MPLCONFIGDIR"] = str(
        Path(tempfile.gettempdir()) / "freelancer-desk-test-matplotlib"
    )
RUN_CACHE = Path(os.environ[CACHE_VARIABLE])
RUN_CACHE.mkdir(parents=True, exist_ok=True)
os.environ["XDG_CACHE_HOME"] = str(RUN_CACHE)
os.environ.setdefault("MPLCONFIGDIR", str(RUN_CACHE / "matplotlib"))
#: The variables that name a user's folders, and where they point below a test's home.
HOME_VARIABLES = {
    "HOME": "",
    "USERPROFILE": "",
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
    "APPDATA": "AppData/Roaming",
    "LOCALAPPDATA": "AppData/Local",
}


def _point_home_at(home: Path, setenv: Callable[[str, str], None] = os.environ.__setitem__) -> None:
    """Make ``home`` the user's home for platformdirs, Qt's settings and everything else."""
    from PySide6.QtCore import QSettings

    for name, below in HOME_VARIABLES.items():
        setenv(name, str(home / below))
    for kind in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(kind, QSettings.Scope.UserScope, str(home / ".config"))
        QSettings.setPath(kind, QSettings.Scope.SystemScope, str(home / "system-config"))


_point_home_at(Path(tempfile.mkdtemp(prefix="home-", dir=RUN_CACHE)))
os.environ.pop("FREELANCER_DESK_DB", None)

# Property tests: "ci" (the default) keeps the suite quick; HYPOTHESIS_PROFILE=thorough searches
# long before a release. No deadline: database writes on a busy machine vary too much.
hypothesis_settings.register_profile("ci", max_examples=60, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=2_000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from freelancer_desk import clock, logs  # noqa: E402
from freelancer_desk.db import Database, open_database  # noqa: E402
from freelancer_desk.i18n import set_language  # noqa: E402
from freelancer_desk.paths import package_dir  # noqa: E402
from tests.today import TODAY  # noqa: E402


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded by now (the app, Qt, matplotlib, reportlab, the collected tests) stays
    to the end: Python's garbage collector stops walking through it (``gc.freeze``), so that
    its full collections during the tests only walk what the tests made (each walk through
    everything took about half a second)."""
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config: pytest.Config) -> None:
    """The run's caches go with the run that made them."""
    logs.close()
    if _own_cache:
        shutil.rmtree(RUN_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def _homes(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], Path]:
    """Makes the next test's home, in a folder of this process's homes.

    Numbered here rather than by ``mktemp``, which reads the whole temporary folder to find the
    next free number (about 3 ms by the end of a run), and whose homes there made the same
    search for each test's own folder (``tmp_path``) twice as long."""
    folder = tmp_path_factory.mktemp("homes")
    numbers = itertools.count()

    def make() -> Path:
        home = folder / str(next(numbers))
        home.mkdir()
        return home

    return make


@pytest.fixture(autouse=True)
def _isolated_home(_homes: Callable[[], Path], monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home of its own for each test: settings, logs, data and dialog history start empty
    and never reach the user's (a test asserting what was written finds it below here)."""
    home = _homes()
    _point_home_at(home, monkeypatch.setenv)
    yield home
    logs.close()


@pytest.fixture(autouse=True)
def _today() -> Iterator[dt.date]:
    """Today is the run's day (``tests.today.TODAY``) for the app in every test; a module or
    test about another day pins that one inside (``clock.pinned``)."""
    with clock.pinned(TODAY) as day:
        yield day


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Tests speak English unless they switch; the language is reset after each."""
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database, copied for each test (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    open_database(path).close()
    return path


@dataclass(frozen=True)
class BigBook:
    """The bench's data set in a database file, and the day it was made up to."""

    path: Path
    as_of: dt.date


#: Data sets that take seconds to make are kept between runs, below the system's temporary
#: folder, each in a folder named by a hash of what made it (``_kept_database``).
KEPT_DATA = Path(tempfile.gettempdir()) / "freelancer-desk-test-data"
#: The code generated data depends on besides its parameters (below ``freelancer_desk``): the
#: generator, its texts, the tables and the schema's revisions. A change in any makes it anew.
GENERATOR_SOURCES = ("demo.py", "demo_texts.py", "models.py", "catalog.py", "migrations/versions")


def _generator_key(parameters: dict[str, object]) -> str:
    """A short hash of the parameters and of every file in ``GENERATOR_SOURCES``."""
    package = package_dir()
    digest = hashlib.sha256(repr(sorted(parameters.items())).encode())
    for source in GENERATOR_SOURCES:
        files = [package / source] if source.endswith(".py") else (package / source).glob("*.py")
        for file in sorted(files):
            digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()[:12]


def _kept_database(name: str, parameters: dict[str, object], make: Callable[[Path], None]) -> Path:
    """The database ``make(path)`` writes for these parameters, made once and kept between runs.

    The first process to ask makes it under a lock, the others (workers of this run, other runs)
    wait for it; it is made in a folder of its own that is renamed when complete, so that a run
    stopped halfway leaves nothing that counts as made.
    """
    from PySide6.QtCore import QLockFile

    KEPT_DATA.mkdir(exist_ok=True)
    folder = KEPT_DATA / f"{name}-{_generator_key(parameters)}"
    lock = QLockFile(str(folder.with_suffix(".lock")))
    lock.setStaleLockTime(0)  # making it may take long on a busy machine: only a dead owner
    assert lock.lock()
    try:
        if not folder.exists():
            building = folder.with_suffix(".building")
            shutil.rmtree(building, ignore_errors=True)  # left half by a run that was stopped
            building.mkdir()
            make(building / "desk.sqlite3")
            building.rename(folder)
    finally:
        lock.unlock()
    return folder / "desk.sqlite3"


@pytest.fixture(scope="session")
def big_book() -> BigBook:
    """2,000 clients, 100,000 entries and 20,000 interactions up to 31 Dec 2025 (the bench's
    size), made once and kept between runs (``_kept_database``). Read only (open it with
    ``writable=False``): a test that writes makes its own."""
    as_of = dt.date(2025, 12, 31)
    parameters: dict[str, Any] = {
        "clients": 2000,
        "entries": 100_000,
        "interactions": 20_000,
        "seed": 9,
        "as_of": as_of,
        "lang": "de",
    }

    def make(path: Path) -> None:
        from freelancer_desk import demo

        with clock.pinned(as_of), open_database(path) as database:
            demo.generate(database, **parameters)

    return BigBook(_kept_database("big-book", parameters, make), as_of)


@pytest.fixture
def fresh_db_path(tmp_path: Path, _template_db: Path) -> Callable[[str], Path]:
    """``fresh_db_path("other.sqlite3")``: the path of a fresh, migrated, empty database of that
    name below the test's folder, which nothing holds open (a copy of the template: building
    one takes a fifth of a second). Tests of how a new database is built open a new path."""

    def fresh(name: str) -> Path:
        path = tmp_path / name
        shutil.copyfile(_template_db, path)
        return path

    return fresh


@pytest.fixture
def db_path(fresh_db_path: Callable[[str], Path]) -> Path:
    """Path of a fresh, migrated, empty database that nothing holds open."""
    return fresh_db_path("desk.sqlite3")


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database opened for writing."""
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def one_client_book(db_path: Path) -> Path:
    """A database with one client and 1,000.00 of revenue on 1 Feb 2026: inside the 12 months
    to 10 Mar 2026, the day the tests of kept documents and of the first paint take as today."""
    from freelancer_desk.services import clients as clients_service
    from freelancer_desk.services import revenue as revenue_service

    with open_database(db_path) as database:
        client = clients_service.create_client(database, {"name": "Kunde A"}).id
        revenue_service.create_entry(
            database, {"client_id": client, "invoice_date": dt.date(2026, 2, 1), "net": "1000.00"}
        )
    return db_path


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Free Qt objects held in reference cycles while the QApplication still exists.

    Dialogs captured by test closures would otherwise be collected during interpreter shutdown,
    after Qt is gone, and crash the process (SIGSEGV/SIGBUS) although every test passed.
    """
    gc.collect()
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        for widget in QApplication.topLevelWidgets():
            widget.close()
            widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
