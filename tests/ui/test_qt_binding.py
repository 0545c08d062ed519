"""The Qt binding must not corrupt Python's reference counts.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` on every call of a method that
returns nothing (``setText``, ``processEvents`` …); after enough ordinary use the interpreter
aborts with "deallocating None". pyproject.toml keeps that release out; this test fails if a
release with the same fault is let in again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QLabel


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")
def test_calls_that_return_nothing_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(5_000):
        label.setText("x")
        qapp.processEvents()
    assert sys.getrefcount(None) - before > -100  # a faulty binding loses 10,000 here
