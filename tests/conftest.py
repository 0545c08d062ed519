"""Fixtures for every test: an English default, a fresh migrated database per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Property tests: "ci" (the default) keeps the suite quick; HYPOTHESIS_PROFILE=thorough searches
# long before a release. No deadline: database writes on a busy machine vary too much.
hypothesis_settings.register_profile("ci", max_examples=60, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=2_000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

from freelancer_desk.db import Database, open_database  # noqa: E402
from freelancer_desk.i18n import set_language  # noqa: E402


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


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """Path of a fresh, migrated, empty database that nothing holds open."""
    path = tmp_path / "desk.sqlite3"
    shutil.copyfile(_template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """A fresh, migrated, empty database opened for writing."""
    database = open_database(db_path)
    yield database
    database.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Free Qt objects held in reference cycles while the QApplication still exists.

    Dialogs captured by test closures would otherwise be collected during interpreter shutdown,
    after Qt is gone, and crash the process (SIGSEGV/SIGBUS) although every test passed.
    """
    import gc

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
