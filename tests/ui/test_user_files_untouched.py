"""The suite never changes the user's own files (settings, logs, caches, dialog history).

A sample of tests that write each kind of file runs as a test run of its own with a fresh,
empty HOME: afterwards the home is still empty, and the files were written below the run's
temporary folders instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Tests that write the file dialog's history (QtProject.conf), the log, the compiled German
#: catalogues and matplotlib's font list, in this process and in a program they start.
SAMPLE = [
    "tests/ui/test_reports_gui.py::test_review_is_written_in_the_background_with_progress_and_opened",
    "tests/ui/test_logs_gui.py::test_help_opens_the_log_folder",
    "tests/cli/test_cli_foundation.py::test_help_in_german",
    "tests/cli/test_cli_smoke.py::test_smoke_on_a_random_file_fails_clearly_and_leaves_it_alone",
    "tests/ui/test_dependency_gui.py::test_charts_show_the_payers_and_the_trend_with_thresholds",
]


def _clean_environment(home: Path, cache: Path) -> dict[str, str]:
    """This process's environment, but with a new user whose home is ``home``."""
    keep = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("XDG_", "PYTEST_", "FREELANCER_DESK_"))
        and name not in ("MPLCONFIGDIR", "USERPROFILE", "APPDATA", "LOCALAPPDATA")
    }
    return {**keep, "HOME": str(home), "FREELANCER_DESK_TEST_CACHE": str(cache)}


def test_a_run_of_the_suite_leaves_the_users_home_untouched(tmp_path: Path) -> None:
    home, cache, basetemp = tmp_path / "home", tmp_path / "cache", tmp_path / "basetemp"
    home.mkdir()
    (home / "keep.txt").write_text("the user's own file\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            f"--basetemp={basetemp}",
            *SAMPLE,
        ],
        cwd=ROOT,
        env=_clean_environment(home, cache),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert f"{len(SAMPLE)} passed" in result.stdout
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == ["keep.txt"]
    written = {p.name for p in basetemp.rglob("*") if p.is_file()}
    assert {"QtProject.conf", "freelancer-desk.log"} <= written
    assert list(cache.glob("*/translations/*.mo")) and list(cache.glob("matplotlib/fontlist*"))
