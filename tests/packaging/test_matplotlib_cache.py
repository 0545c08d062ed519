"""matplotlib's config folder: a lasting one in the user's cache, unless the user chose one.

The packaged app's run-time hook saves the user's MPLCONFIGDIR in USER_MPLCONFIGDIR_VAR before
PyInstaller's matplotlib hook overwrites it; test_frozen.py checks the real bundle.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from freelancer_desk import APP_NAME
from freelancer_desk.paths import USER_MPLCONFIGDIR_VAR, keep_matplotlib_cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("MPLCONFIGDIR", raising=False)
    monkeypatch.delenv(USER_MPLCONFIGDIR_VAR, raising=False)
    return tmp_path / "cache"


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="XDG_CACHE_HOME is the Linux cache folder"
)
def test_from_source_the_cache_folder_is_used_when_the_user_set_none(cache_home: Path) -> None:
    keep_matplotlib_cache()
    assert Path(os.environ["MPLCONFIGDIR"]) == cache_home / APP_NAME / "matplotlib"


def test_from_source_the_users_folder_wins(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "mine"))
    keep_matplotlib_cache()
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "mine")


def test_frozen_the_temporary_folder_of_pyinstaller_is_replaced(
    cache_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setenv("MPLCONFIGDIR", str(tmp_path / "_MEI-temporary"))
    keep_matplotlib_cache()
    assert os.environ["MPLCONFIGDIR"] != str(tmp_path / "_MEI-temporary")
    assert Path(os.environ["MPLCONFIGDIR"]).name == "matplotlib"

    monkeypatch.setenv(USER_MPLCONFIGDIR_VAR, str(tmp_path / "mine"))
    keep_matplotlib_cache()
    assert os.environ["MPLCONFIGDIR"] == str(tmp_path / "mine")
