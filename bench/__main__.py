"""Benchmarks as a user feels them, each next to a floor measured in the same run.

``python -m bench`` (or ``make bench``) generates a large data set with the ``demo`` command
(2,000 clients, 100,000 revenue entries, 20,000 interactions), measures every figure as the
median of several runs, prints a table of figure, floor, ratio and target, and writes the table
as JSON to ``bench/latest.json``.

The floor is what the stack costs without our code: a bare PySide6 window, one raw SQLite
GROUP BY, the stdlib csv reader with ``executemany``, a plain string filter. A ratio shows how
much our code adds on top of it. The load average of the machine is printed and stored with
the figures: other programs running at the same time make every figure larger.

Every window and command runs with its user folders (settings, caches) in a temporary folder,
so the benchmark neither reads nor changes the user's own, and in German, the language of most
users. Python keeps compiled bytecode (in the temporary folder, even where
``PYTHONDONTWRITEBYTECODE`` is set), as it does in every installation of the app: the warm-up
run before each figure compiles, the measured runs do not.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAIN = ROOT / "main.py"
AS_OF = dt.date(2026, 11, 22)


@dataclass
class Figure:
    """One measured figure with its floor and target (seconds or megabytes)."""

    name: str
    value: float
    floor: float | None
    target: float | None
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.value <= self.target


def median_of(runs: int, measure: Callable[[], float]) -> float:
    """The median of ``runs`` measurements (after one warm-up run)."""
    measure()
    return statistics.median(measure() for _ in range(runs))


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


#: The environment of every child process: user folders below a temporary home (set in ``main``),
#: Qt offscreen unless a display is asked for, and output unbuffered so lines arrive as printed.
CHILD_ENV: dict[str, str] = {}


def isolate(home: Path) -> None:
    """Point every per-user folder of the children (and of this process's Qt) below ``home``."""
    CHILD_ENV.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        LOCALAPPDATA=str(home / "cache"),
        APPDATA=str(home / "config"),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        PYTHONUNBUFFERED="1",
        PYTHONPYCACHEPREFIX=str(home / "bytecode"),
    )
    for name in ("MPLCONFIGDIR", "PYTHONDONTWRITEBYTECODE"):
        os.environ.pop(name, None)
    os.environ.update(CHILD_ENV)


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the app's command line in a fresh process; fail loudly on errors."""
    result = subprocess.run(
        [sys.executable, str(MAIN), *args],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **CHILD_ENV, **(env or {})},
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"`main.py {' '.join(args)}` failed:\n{result.stderr}")
    return result


def until_first_line(command: list[str]) -> float:
    """Seconds from launching ``command`` until it prints its first line; then it may finish."""
    start = time.perf_counter()
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **CHILD_ENV},
        cwd=ROOT,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.perf_counter() - start
        _out, err = process.communicate()
    if process.returncode != 0 or not line.strip():
        raise SystemExit(f"`{' '.join(command)}` failed:\n{err}")
    return elapsed


#: A bare window as the floor of the start: shown, painted once, then it says so and quits.
BARE_WINDOW = (
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([]); window = QMainWindow(); window.resize(1200, 780)\n"
    "class Painted(QObject):\n"
    "    def eventFilter(self, watched, event):\n"
    "        if event.type() == QEvent.Type.Paint:\n"
    "            print('painted', flush=True); QTimer.singleShot(0, app.quit)\n"
    "        return False\n"
    "painted = Painted(); window.installEventFilter(painted); window.show(); app.exec()\n"
)


# ---- data --------------------------------------------------------------------------------


def make_data(folder: Path) -> dict[str, Path]:
    """The large database, a 10,000-client database, an empty one and a 100,000-row CSV."""
    paths = {
        "big": folder / "big.sqlite3",
        "many_clients": folder / "many-clients.sqlite3",
        "empty": folder / "empty.sqlite3",
        "csv": folder / "revenue-100k.csv",
    }
    common = ["--seed", "7", "--as-of", AS_OF.isoformat()]
    run_main(
        "demo",
        "--db",
        str(paths["big"]),
        "--clients",
        "2000",
        "--entries",
        "100000",
        "--interactions",
        "20000",
        *common,
    )
    run_main(
        "demo",
        "--db",
        str(paths["many_clients"]),
        "--clients",
        "10000",
        "--entries",
        "30000",
        "--interactions",
        "2000",
        *common,
    )
    _empty_database(paths["empty"])
    _revenue_csv(paths["csv"], rows=100_000, clients=2000)
    return paths


def _empty_database(path: Path) -> None:
    sys.path.insert(0, str(ROOT))
    from freelancer_desk.db import open_database

    open_database(path).close()


def _revenue_csv(path: Path, rows: int, clients: int) -> None:
    """An export as a German invoicing tool writes it: semicolons, decimal commas, dd.mm.yyyy."""
    rng = random.Random(11)
    names = [f"Kunde {i:04d} Müller-Łukasiewicz GmbH" for i in range(clients)]
    start = AS_OF - dt.timedelta(days=3 * 365)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Kunde", "Rechnungsnummer", "Rechnungsdatum", "Netto", "Bezahlt am"])
        for number in range(rows):
            day = start + dt.timedelta(days=rng.randrange(3 * 365))
            cents = rng.randrange(5_000, 900_000)
            amount = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
            paid = (day + dt.timedelta(days=rng.randrange(5, 40))).strftime("%d.%m.%Y")
            writer.writerow(
                [
                    names[number % clients],
                    f"RE-{number:06d}",
                    day.strftime("%d.%m.%Y"),
                    amount,
                    paid,
                ]
            )


# ---- measurements ------------------------------------------------------------------------


def bench_start(paths: dict[str, Path], runs: int) -> Figure:
    """Launch to the dashboard painted with its figures (the app prints when it is)."""
    command = [sys.executable, str(MAIN), "--lang", "de", "--db", str(paths["big"]), "--smoke"]
    value = median_of(runs, lambda: until_first_line(command))
    floor = median_of(runs, lambda: until_first_line([sys.executable, "-c", BARE_WINDOW]))
    return Figure(
        "start to painted dashboard (process)",
        value,
        floor,
        1.0,
        note="floor: a bare PySide6 window painted; the charts follow the first paint",
    )


def _raw_group_by(db: Path) -> Callable[[], object]:
    period_start = (AS_OF - dt.timedelta(days=364)).isoformat()

    from freelancer_desk.connection import connect

    def query() -> object:
        with closing(connect(db, read_only=True)) as conn:
            return conn.execute(
                "SELECT client_id, SUM(net_cents) FROM revenue_entry "
                "WHERE invoice_date >= ? AND invoice_date <= ? GROUP BY client_id",
                (period_start, AS_OF.isoformat()),
            ).fetchall()

    return query


def bench_status(paths: dict[str, Path], runs: int) -> list[Figure]:
    """``status --json`` as a process, and the status document computed on a fresh connection."""
    db = paths["big"]
    floor = median_of(runs, lambda: timed(_raw_group_by(db)))
    process = median_of(
        runs,
        lambda: timed(
            lambda: run_main(
                "--lang", "de", "status", "--db", str(db), "--as-of", AS_OF.isoformat(), "--json"
            )
        ),
    )
    sys.path.insert(0, str(ROOT))
    from freelancer_desk.db import open_database
    from freelancer_desk.i18n import set_language
    from freelancer_desk.services.status import StatusRequest, build_status

    set_language("de")

    def first_computation() -> float:
        with open_database(db, writable=False) as database:  # nothing computed or cached yet
            return timed(lambda: build_status(database, StatusRequest(as_of=AS_OF)))

    analytics = median_of(runs, first_computation)
    with open_database(db, writable=False) as database:
        kept = median_of(
            runs, lambda: timed(lambda: build_status(database, StatusRequest(as_of=AS_OF)))
        )
    return [
        Figure("status --json (process)", process, floor, 0.8),
        Figure(
            "status analytics alone",
            analytics,
            floor,
            3 * floor,
            note="target: 3 × the SQL floor; each run on a freshly opened database",
        ),
        Figure(
            "status analytics, data unchanged since",
            kept,
            floor,
            None,
            note="kept until the next write: the other pages and the PDF ask again",
        ),
    ]


def bench_import(paths: dict[str, Path], runs: int, folder: Path) -> Figure:
    csv_path = paths["csv"]

    def our_import() -> float:
        target = folder / "import-target.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(paths["empty"], target)
        return timed(lambda: run_main("import", "revenue", str(csv_path), "--db", str(target)))

    def floor_import() -> float:
        target = folder / "floor.sqlite3"
        target.unlink(missing_ok=True)

        def work() -> None:
            with sqlite3.connect(target) as conn:
                conn.execute(
                    "CREATE TABLE t (client TEXT, number TEXT, day TEXT, net TEXT, paid TEXT)"
                )
                with csv_path.open(encoding="utf-8-sig", newline="") as handle:
                    reader = csv.reader(handle, delimiter=";")
                    next(reader)
                    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", reader)

        return timed(work)

    return Figure(
        "import of a 100,000-row CSV (process)",
        median_of(runs, our_import),
        median_of(runs, floor_import),
        5.0,
        note="floor: csv reader + executemany into a bare table, in this process",
    )


def bench_review_pdf(paths: dict[str, Path], runs: int, folder: Path) -> Figure:
    out = folder / "review.pdf"
    value = median_of(
        runs,
        lambda: timed(
            lambda: run_main(
                "report",
                "--db",
                str(paths["big"]),
                "--year",
                str(AS_OF.year),
                "--lang",
                "de",
                "--out",
                str(out),
            )
        ),
    )
    floor = median_of(
        runs,
        lambda: timed(
            lambda: subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import reportlab.pdfgen.canvas as c; x = c.Canvas('/dev/null'); "
                    "x.drawString(10, 10, 'x'); x.save()",
                ],
                check=True,
            )
        ),
    )
    return Figure(
        "annual review PDF (process)",
        value,
        floor,
        3.0,
        note="floor: start Python + reportlab, one page",
    )


def bench_gui(paths: dict[str, Path], runs: int) -> list[Figure]:
    """Filtering per keystroke and scrolling, in this process, on 10,000 clients."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from freelancer_desk.db import open_database
    from ui.app import apply_language
    from ui.context import AppContext
    from ui.pages.clients import ClientsPage
    from ui.preferences import Preferences
    from ui.runner import TaskRunner

    app = QApplication.instance() or QApplication([])
    apply_language(app, "de")  # type: ignore[arg-type]  # the benchmark's app is a QApplication
    with open_database(paths["many_clients"], writable=False) as db:
        context = AppContext(db, Preferences(), TaskRunner(immediate=True))
        page = ClientsPage(context)
        page.resize(1200, 780)
        page.show()
        app.processEvents()
        rows = page.list.model.records()
        words = ["m", "mü", "mül", "müll", "mülle", "müller", ""]

        def type_text(text: str) -> None:
            page.list.search.setText(text)
            app.processEvents()

        def type_word() -> float:
            return statistics.median(timed(partial(type_text, text)) for text in words)

        def first_keystroke() -> float:
            page.list.set_records(rows)  # as after a reload: no row's text made yet
            app.processEvents()
            seconds = timed(partial(type_text, "m"))
            page.list.search.setText("")
            return seconds

        keystroke = median_of(runs, type_word)
        first = median_of(runs, first_keystroke)
        names = [row.name.casefold() for row in rows]

        def matching(word: str) -> list[str]:
            return [name for name in names if word in name]

        floor_keystroke = median_of(
            runs,
            lambda: statistics.median(timed(partial(matching, word)) for word in words),
        )

        def scroll(view: QTableView) -> float:
            bar = view.verticalScrollBar()
            steps = 50
            start = time.perf_counter()
            for step in range(steps):
                bar.setValue(bar.maximum() * step // steps)
                view.viewport().repaint()
            return (time.perf_counter() - start) / steps

        scrolling = median_of(runs, lambda: scroll(page.list.table))
        plain = QStandardItemModel(len(rows), 9)
        for r, row in enumerate(rows):
            plain.setItem(r, 0, QStandardItem(row.name))
        bare = QTableView()
        bare.setModel(plain)
        bare.resize(1200, 780)
        bare.show()
        app.processEvents()
        floor_scroll = median_of(runs, lambda: scroll(bare))
        page.close()
        bare.close()
    return [
        Figure(
            "client filter per keystroke (10,000 clients)",
            keystroke,
            floor_keystroke,
            0.050,
            note="floor: the same words over the names in a list comprehension",
        ),
        Figure(
            "first keystroke after the list is (re)loaded",
            first,
            floor_keystroke,
            None,
            note="makes every row's texts once",
        ),
        Figure(
            "scrolling the client table, per step",
            scrolling,
            floor_scroll,
            0.050,
            note="floor: QTableView over a QStandardItemModel",
        ),
    ]


def _tour(db: Path) -> dict[str, float]:
    """Seconds per page and the peak memory (``peak_mb``) of one walk through every page."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.tour", str(db)],
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **CHILD_ENV},
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"`python -m bench.tour` failed:\n{result.stderr}")
    return {
        key: float(value) for key, value in (line.split() for line in result.stdout.splitlines())
    }


def _peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of a child process (Linux: ``ru_maxrss`` in KiB)."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *command],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **CHILD_ENV},
    )
    return int(out.stdout.strip()) / 1024


def bench_pages(paths: dict[str, Path], runs: int) -> list[Figure]:
    """Every page opened in turn on the large data: peak memory, and the slowest page."""
    tours = [_tour(paths["big"]) for _ in range(runs + 1)][1:]  # the first one warms the caches
    memory = statistics.median(tour.pop("peak_mb") for tour in tours)
    slowest = max(tours[0], key=lambda key: statistics.median(tour[key] for tour in tours))
    floor = statistics.median(
        _peak_rss_mb([sys.executable, "-c", BARE_WINDOW]) for _ in range(runs)
    )
    return [
        Figure(
            "peak memory of the GUI, every page opened",
            memory,
            floor,
            300.0,
            unit="MB",
            note="floor: a bare PySide6 window",
        ),
        Figure(
            f"slowest page to open: {slowest}",
            statistics.median(tour[slowest] for tour in tours),
            None,
            None,
            note="built, filled and painted, in one process with the other pages",
        ),
    ]


# ---- report ------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value < 0.001:
        return f"{value * 1e6:.0f} µs"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def print_table(figures: list[Figure]) -> None:
    print(f"{'figure':48} {'value':>10} {'floor':>10} {'ratio':>7} {'target':>10}  met")
    for f in figures:
        ratio = f"{f.ratio:.{1 if f.ratio >= 0.1 else 3}f}×" if f.ratio else "—"
        met = {True: "yes", False: "NO", None: "—"}[f.met]
        print(
            f"{f.name:48} {_fmt(f.value, f.unit):>10} {_fmt(f.floor, f.unit):>10} {ratio:>7} "
            f"{_fmt(f.target, f.unit):>10}  {met}{'  (' + f.note + ')' if f.note else ''}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="measurements per figure (median; default 5)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "latest.json")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        folder = Path(tmp)
        isolate(folder / "home")
        started = time.perf_counter()
        print("generating data …", flush=True)
        paths = make_data(folder)
        print(f"data ready in {time.perf_counter() - started:.1f} s", flush=True)
        figures: list[Figure] = []
        figures.append(bench_start(paths, args.runs))
        figures.extend(bench_status(paths, args.runs))
        figures.append(bench_import(paths, args.runs, folder))
        figures.append(bench_review_pdf(paths, args.runs, folder))
        figures.extend(bench_gui(paths, args.runs))
        figures.extend(bench_pages(paths, args.runs))
    load_after = os.getloadavg()
    print_table(figures)
    load = (
        f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"medians of {args.runs} runs after a warm-up each; {load}")
    document = {
        "measured_on": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_before": round(load_before[0], 2),
            "load_after": round(load_after[0], 2),
        },
        "runs": args.runs,
        "command": "python -m bench" + (f" --runs {args.runs}" if args.runs != 5 else ""),
        "figures": [{**asdict(f), "ratio": f.ratio, "met": f.met} for f in figures],
    }
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
