"""The Qt binding must not corrupt Python's reference counts, nor keep every module's source.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every call of a method that
returns nothing (``setText``, ``processEvents`` …); after enough ordinary use the interpreter
aborts with "deallocating None". pyproject.toml keeps that release out; this test fails if a
release with the same fault is let in again.
"""

from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from ui.binding import FEATURE_MODULE, names_pyside


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_calls_that_return_nothing_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(5_000):
        label.setText("x")
        qapp.processEvents()
    assert sys.getrefcount(None) - before > -100  # a faulty binding loses 10,000 here


def test_modules_imported_after_the_binding_are_judged_alike_and_leave_no_source_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ui.binding``: the binding still judges each new module by whether its source names
    PySide6, without keeping the source's lines in memory (40 MB for the window's modules)."""
    feature = sys.modules[FEATURE_MODULE]
    assert feature._mod_uses_pyside is names_pyside  # in place: the binding has the check there
    (tmp_path / "names_qt_here.py").write_text("import PySide6\n", encoding="utf-8")
    (tmp_path / "plain_here.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("names_qt_here", "plain_here"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        __import__(name)  # the statement's way: the binding watches that, not importlib
    assert feature.pyside_feature_dict["names_qt_here"] == 0  # may use PySide's features
    assert feature.pyside_feature_dict["plain_here"] == -1
    assert not [name for name in linecache.cache if name.startswith(str(tmp_path))]
