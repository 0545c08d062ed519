"""Start time of ``--smoke`` from source and from the packaged app, and the app folder's size.

    python -m bench.startup --frozen "dist/Freelancer Desk/freelancer-desk" [--runs 5]

Both start on the same demo database, each with its own fresh user folders. One warm-up start
each builds matplotlib's font cache (only a first start ever pays for it). A start is the wall
clock of the whole ``--smoke`` run: process launch (interpreter or bootloader), imports, opening
the database, painting the dashboard, quitting. The figures for the README come from here.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-12-31"
#: Targets from the packaging issue: folder size and frozen start relative to the source start.
MAX_FOLDER_MB = 150
MAX_FROZEN_RATIO = 1.2


def isolated_env(home: Path) -> dict[str, str]:
    """The environment with every per-user folder below ``home`` and Qt offscreen."""
    env = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        LOCALAPPDATA=str(home / "cache"),
        APPDATA=str(home / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


def smoke_seconds(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall-clock seconds of one ``--smoke`` run and the milliseconds the app itself printed."""
    start = time.perf_counter()
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    elapsed = time.perf_counter() - start
    last = result.stdout.strip().splitlines()[-1:] or [""]
    if result.returncode != 0 or not last[0].isdigit():
        raise SystemExit(f"`{' '.join(command)}` failed:\n{result.stderr}")
    return elapsed, int(last[0])


def median_start(command: list[str], home: Path, runs: int) -> tuple[float, float]:
    """Median wall-clock seconds and median printed milliseconds over ``runs`` after a warm-up."""
    env = isolated_env(home)
    smoke_seconds(command, env)
    samples = [smoke_seconds(command, env) for _ in range(runs)]
    return statistics.median(s for s, _ms in samples), statistics.median(ms for _s, ms in samples)


def folder_mb(folder: Path) -> float:
    """Size of the files below ``folder`` in MiB (symlinks not counted twice), as ``du`` shows."""
    return (
        sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        / 2**20
    )


def main() -> int:
    """Measure, print one line per figure, exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.startup", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--frozen", type=Path, required=True, help="the binary built by `make dist`"
    )
    parser.add_argument("--runs", type=int, default=5, help="timed starts of each (default: 5)")
    args = parser.parse_args()
    frozen = args.frozen.resolve()
    with tempfile.TemporaryDirectory(prefix="desk-startup-") as tmp:
        folder = Path(tmp)
        db = folder / "demo.sqlite3"
        subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "demo", "--db", str(db), "--as-of", AS_OF],
            check=True,
            capture_output=True,
            env=isolated_env(folder / "demo-home"),
        )
        source_s, source_ms = median_start(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db), "--smoke"],
            folder / "source-home",
            args.runs,
        )
        frozen_s, frozen_ms = median_start(
            [str(frozen), "--db", str(db), "--smoke"], folder / "frozen-home", args.runs
        )
    size = folder_mb(frozen.parent)
    ratio = frozen_s / source_s
    print(f"app folder:            {size:6.1f} MB   (target < {MAX_FOLDER_MB} MB)")
    print(
        f"--smoke from source:   {source_s * 1000:6.0f} ms   "
        f"(app reports {source_ms:.0f} ms after import)"
    )
    print(
        f"--smoke frozen:        {frozen_s * 1000:6.0f} ms   "
        f"(app reports {frozen_ms:.0f} ms after import)"
    )
    print(f"frozen / source:       {ratio:6.2f}      (target <= {MAX_FROZEN_RATIO})")
    print(f"median of {args.runs} runs each after one warm-up; demo database as of {AS_OF}")
    return 0 if size < MAX_FOLDER_MB and ratio <= MAX_FROZEN_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
