"""Benchmarks as a user feels them, each next to a floor measured in the same run.

``python -m bench`` (or ``make bench``) generates a large data set with the ``demo`` command
(2,000 clients, 100,000 revenue entries, 20,000 interactions), measures every figure as the
median of several runs, prints a table of figure, floor, ratio and target, and writes the table
as JSON to ``bench/latest.json``. Then it measures the figures that depend on the amount of data
again at 5× and 25× the data (``--scales``) and prints how each grows beside the data.

Generated data sets are kept in the temporary folder (``desk-bench-data-<version>``), keyed by
a hash of the generator (the demo code, the schema's revisions, the sizes): only the first run
after a change of them pays for generating (the 25× set takes minutes).

``--only stall`` (or other parts, comma-separated) measures only those figures, runs no growth,
and replaces their figures in ``bench/latest.json``; the stall part walks the window through every
page and a CSV import with a heartbeat timer (``bench/stall.py``).

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
import hashlib
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
from typing import Any

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


#: The data set at scale 1; the growth runs multiply every size.
CLIENTS, ENTRIES, INTERACTIONS, CSV_ROWS = 2000, 100_000, 20_000, 100_000
#: Raise when ``make_data`` or ``_revenue_csv`` make other data than before.
GENERATOR_VERSION = 1
#: What else the generated data depends on: a change in any of them makes a new data set.
GENERATOR_FILES = ("freelancer_desk/demo.py", "freelancer_desk/demo_texts.py")


def data_version() -> str:
    """A short hash of the generator: its code, the schema's revisions and the sizes."""
    sizes = (GENERATOR_VERSION, CLIENTS, ENTRIES, INTERACTIONS, CSV_ROWS, AS_OF)
    digest = hashlib.sha256(repr(sizes).encode())
    for name in GENERATOR_FILES:
        digest.update((ROOT / name).read_bytes())
    for revision in sorted((ROOT / "freelancer_desk" / "migrations" / "versions").glob("*.py")):
        digest.update(revision.name.encode())
    return digest.hexdigest()[:12]


def data_folder() -> Path:
    """Where generated data sets are kept between runs (below the system's temporary folder)."""
    folder = Path(tempfile.gettempdir()) / f"desk-bench-data-{data_version()}"
    folder.mkdir(exist_ok=True)
    return folder


def make_data(folder: Path, scale: int = 1) -> dict[str, Path]:
    """The large database, an empty one and a 100,000-row CSV, each times ``scale``, and at
    scale 1 a 10,000-client database; kept ones are reused (and copied to ``folder``, so that
    they stay clean)."""
    cache = data_folder() / f"x{scale}"
    cache.mkdir(exist_ok=True)
    common = ["--seed", "7", "--as-of", AS_OF.isoformat()]
    sets = {"big": (CLIENTS * scale, ENTRIES * scale, INTERACTIONS * scale)}
    if scale == 1:  # the client list's figures are measured at 10,000 clients only
        sets["many_clients"] = (10_000, 30_000, 2000)
    paths: dict[str, Path] = {}
    for key, (clients, entries, interactions) in sets.items():
        kept = cache / f"{key}.sqlite3"
        if not kept.exists():
            building = cache / f"{key}.building.sqlite3"
            building.unlink(missing_ok=True)
            run_main(
                "demo",
                "--db",
                str(building),
                "--clients",
                str(clients),
                "--entries",
                str(entries),
                "--interactions",
                str(interactions),
                *common,
            )
            building.replace(kept)
            for leftover in cache.glob(f"{key}.building.*"):  # its lock and state
                leftover.unlink()
        paths[key] = folder / f"{key}-x{scale}.sqlite3"
        shutil.copyfile(kept, paths[key])
    paths["empty"] = folder / f"empty-x{scale}.sqlite3"
    if not paths["empty"].exists():
        _empty_database(paths["empty"])
    paths["csv"] = cache / "revenue.csv"
    if not paths["csv"].exists():
        _revenue_csv(paths["csv"], rows=CSV_ROWS * scale, clients=CLIENTS * scale)
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


def bench_start(paths: dict[str, Path], runs: int) -> list[Figure]:
    """Launch to the dashboard painted with its figures (the app prints when it is)."""
    command = [sys.executable, str(MAIN), "--lang", "de", "--db", str(paths["big"]), "--smoke"]
    value = median_of(runs, lambda: until_first_line(command))
    floor = median_of(runs, lambda: until_first_line([sys.executable, "-c", BARE_WINDOW]))

    def after_write() -> float:
        _touch_data(paths["big"])
        return until_first_line(command)

    changed = median_of(runs, after_write)
    return [
        Figure(
            "start to painted dashboard (process)",
            value,
            floor,
            min(0.6, 6 * floor),
            note="floor: a bare PySide6 window painted; figures kept in the file, charts follow",
        ),
        Figure(
            "start after another program's write",
            changed,
            floor,
            None,
            note="the figures are computed in the background, then painted",
        ),
    ]


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


def _touch_data(db: Path) -> None:
    """A write of another program that changes nothing but counts as a change of the data."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE client SET name = name WHERE id = (SELECT min(id) FROM client)")


def _forget_kept(db: Path) -> None:
    """Drop the kept documents (no data changes): the next reader computes."""
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM kept_document")


def bench_status(paths: dict[str, Path], runs: int) -> list[Figure]:
    """``status --json`` as a process (kept, and after a write), and the status document
    computed on a fresh connection."""
    db = paths["big"]
    floor = median_of(runs, lambda: timed(_raw_group_by(db)))

    def status_json() -> object:
        return run_main(
            "--lang", "de", "status", "--db", str(db), "--as-of", AS_OF.isoformat(), "--json"
        )

    process = median_of(runs, lambda: timed(status_json))

    def after_write() -> float:
        _touch_data(db)
        return timed(status_json)

    changed = median_of(runs, after_write)
    sys.path.insert(0, str(ROOT))
    from freelancer_desk.db import open_database
    from freelancer_desk.i18n import set_language
    from freelancer_desk.services.status import StatusRequest, build_status

    set_language("de")

    keeping: list[float] = []

    def first_computation() -> float:
        _forget_kept(db)
        with open_database(db, writable=False) as database:  # nothing computed or cached yet
            computed = timed(lambda: build_status(database, StatusRequest(as_of=AS_OF)))
            keeping.append(timed(database.keeper.write_waiting))
            return computed

    analytics = median_of(runs, first_computation)
    with open_database(db, writable=False) as database:
        kept = median_of(
            runs, lambda: timed(lambda: build_status(database, StatusRequest(as_of=AS_OF)))
        )
    return [
        Figure(
            "status --json (process)",
            process,
            floor,
            0.4,
            note="data unchanged since the last run: the kept text",
        ),
        Figure(
            "status --json after another program's write",
            changed,
            floor,
            None,
            note="computed, from the kept document when only the text is missing",
        ),
        Figure(
            "status analytics, first computation",
            analytics,
            floor,
            0.25,
            note="each run on a freshly opened database without kept documents",
        ),
        Figure(
            "keeping the computed status document",
            statistics.median(keeping),
            floor,
            None,
            note="after the figures are shown: encoded and written by the worker",
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

    rows = sum(1 for _line in csv_path.open(encoding="utf-8-sig")) - 1

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
        "import of the revenue CSV (process)",
        median_of(runs, our_import),
        median_of(runs, floor_import),
        1.5,
        note=f"{rows:,} rows; floor: csv reader + executemany into a bare table, in this process",
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
        1.5,
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
            # As after a reload: the page's load sorts and folds the rows on the worker.
            page.list.set_records(page.list.model.presort(rows))
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
            0.016,
            note="floor: the same words over the names in a list comprehension",
        ),
        Figure(
            "first keystroke after the list is (re)loaded",
            first,
            floor_keystroke,
            None,
            note="the rows' texts folded by the load, off the GUI thread",
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
    lines = _child_lines([sys.executable, "-m", "bench.tour", str(db)])
    return {key: float(value) for key, value in lines.items()}


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
            200.0,
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


#: A bare window with the heartbeat of ``bench.stall`` for two seconds: how late its beats come
#: when nothing else runs in the process (the machine's own jitter).
BARE_HEARTBEAT = (
    "import time\n"
    "from PySide6.QtCore import Qt, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([]); window = QMainWindow(); window.show()\n"
    "state = {'last': time.perf_counter(), 'longest': 0.0}\n"
    "def beat():\n"
    "    now = time.perf_counter()\n"
    "    state['longest'] = max(state['longest'], now - state['last'] - 0.010)\n"
    "    state['last'] = now\n"
    "timer = QTimer(); timer.setTimerType(Qt.TimerType.PreciseTimer); timer.setInterval(10)\n"
    "timer.timeout.connect(beat); timer.start(); QTimer.singleShot(2000, app.quit); app.exec()\n"
    "print('longest_stall_ms', round(state['longest'] * 1000, 1))\n"
)


def _child_lines(command: list[str]) -> dict[str, str]:
    """The ``key value`` lines a measuring script prints in a process of its own."""
    result = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        env={**os.environ, **CHILD_ENV},
        cwd=ROOT,
    )
    if result.returncode != 0:
        raise SystemExit(f"`{' '.join(command[1:])}` failed:\n{result.stderr}")
    return dict(line.split(maxsplit=1) for line in result.stdout.splitlines() if line.strip())


def bench_stall(paths: dict[str, Path], runs: int, folder: Path) -> Figure:
    """The longest time the GUI thread did not react while every page opened and a CSV was
    imported through the wizard (``bench.stall``), the median of ``runs`` walks."""
    copy = folder / "stall.sqlite3"

    def walk() -> dict[str, str]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(paths["big"], copy)
        return _child_lines([sys.executable, "-m", "bench.stall", str(copy), str(paths["csv"])])

    walk()  # warm-up: compiled bytecode, matplotlib's font cache
    walks = sorted((walk() for _ in range(runs)), key=lambda w: float(w["longest_stall_ms"]))
    median = walks[len(walks) // 2]
    floor = statistics.median(
        float(_child_lines([sys.executable, "-c", BARE_HEARTBEAT])["longest_stall_ms"])
        for _ in range(runs)
    )
    return Figure(
        "longest GUI-thread stall, pages and CSV import",
        float(median["longest_stall_ms"]) / 1000,
        floor / 1000,
        0.100,
        note=f"2,000 clients; a 10 ms heartbeat's lateness; worst in step "
        f"{median['longest_stall_step']}; floor: the heartbeat in a bare window",
    )


# ---- growth ------------------------------------------------------------------------------


def grown_figures(paths: dict[str, Path], runs: int, folder: Path) -> list[Figure]:
    """The figures that depend on the amount of data, on a larger data set."""
    return [
        *bench_start(paths, runs),
        *bench_status(paths, runs),
        bench_import(paths, runs, folder),
        bench_review_pdf(paths, runs, folder),
    ]


def print_growth(growth: dict[int, list[Figure]]) -> None:
    """Each figure at every scale and how much it grew; none should grow faster than the data
    (a figure that takes 25× as long with 25× the data grows linearly)."""
    scales = sorted(growth)
    first = {f.name: f for f in growth[1]}
    header = "".join(f"{f'×{scale}':>20}" for scale in scales)
    print(f"{'growth with the data':48}{header}  not faster than the data")
    for figure in growth[scales[1]]:
        base = first[figure.name]
        cells, within = [f"{_fmt(base.value, base.unit):>20}"], True
        for scale in scales[1:]:
            match = next((f for f in growth[scale] if f.name == figure.name), None)
            if match is None:
                cells.append(f"{'—':>20}")
                continue
            times = match.value / base.value
            within = within and times <= scale
            cells.append(f"{_fmt(match.value, match.unit) + f' ({times:.1f}×)':>20}")
        print(f"{figure.name:48}{''.join(cells)}  {'yes' if within else 'NO'}")


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


def _merged(earlier: dict[str, Any], partial: dict[str, Any]) -> dict[str, Any]:
    """The figures of an earlier full run with those of a partial run (``--only``) in place of
    the same names; the partial run's date, load and command are listed under ``partial_runs``."""
    measured = {figure["name"]: figure for figure in partial["figures"]}
    figures = [measured.pop(figure["name"], figure) for figure in earlier.get("figures", [])]
    runs = [
        run
        for run in earlier.get("partial_runs", [])
        if not set(run["figures"]) & {figure["name"] for figure in partial["figures"]}
    ]
    runs.append(
        {
            "command": partial["command"],
            "measured_on": partial["measured_on"],
            "machine": partial["machine"],
            "figures": [figure["name"] for figure in partial["figures"]],
        }
    )
    return {**earlier, "figures": [*figures, *measured.values()], "partial_runs": runs}


#: The parts of the main table, in the order measured; ``--only`` names some of them.
PARTS: dict[str, Callable[[dict[str, Path], int, Path], list[Figure]]] = {
    "start": lambda paths, runs, _folder: bench_start(paths, runs),
    "status": lambda paths, runs, _folder: bench_status(paths, runs),
    "import": lambda paths, runs, folder: [bench_import(paths, runs, folder)],
    "pdf": lambda paths, runs, folder: [bench_review_pdf(paths, runs, folder)],
    "gui": lambda paths, runs, _folder: bench_gui(paths, runs),
    "pages": lambda paths, runs, _folder: bench_pages(paths, runs),
    "stall": lambda paths, runs, folder: [bench_stall(paths, runs, folder)],
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=5, help="measurements per figure (median; default 5)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "latest.json")
    parser.add_argument(
        "--scales",
        type=lambda text: [int(part) for part in text.split(",") if part],
        default=[5, 25],
        help="data multiples measured after the main table, comma-separated (default 5,25; "
        "'' for none)",
    )
    parser.add_argument(
        "--only",
        type=lambda text: [part for part in text.split(",") if part],
        default=None,
        help=f"measure only these parts, comma-separated ({', '.join(PARTS)}); no growth run, "
        "and the figures replace those of the same name in --out",
    )
    args = parser.parse_args()
    unknown = sorted(set(args.only or ()) - set(PARTS))
    if unknown:
        parser.error(f"unknown part: {', '.join(unknown)} (known: {', '.join(PARTS)})")
    begun = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="desk-bench-") as tmp:
        folder = Path(tmp)
        isolate(folder / "home")
        started = time.perf_counter()
        print("generating data …", flush=True)
        paths = make_data(folder)
        print(f"data ready in {time.perf_counter() - started:.1f} s", flush=True)
        figures: list[Figure] = []
        for part in args.only or PARTS:
            figures.extend(PARTS[part](paths, args.runs, folder))
        print_table(figures)
        growth = {1: figures}
        for scale in [] if args.only else args.scales:
            started = time.perf_counter()
            print(f"\n{scale}× the data: generating or reusing …", flush=True)
            scaled = make_data(folder, scale)
            print(f"data ready in {time.perf_counter() - started:.1f} s", flush=True)
            growth[scale] = grown_figures(scaled, max(1, args.runs // 2), folder)
    load_after = os.getloadavg()
    print_table(figures)
    if len(growth) > 1:
        print()
        print_growth(growth)
    load = (
        f"load average (1 min) {load_before[0]:.2f} before, {load_after[0]:.2f} after, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"medians of {args.runs} runs after a warm-up each; {load}")
    command = "python -m bench" + (f" --runs {args.runs}" if args.runs != 5 else "")
    if args.only:
        command += f" --only {','.join(args.only)}"
    document = {
        "measured_on": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "load_before": round(load_before[0], 2),
            "load_after": round(load_after[0], 2),
        },
        "runs": args.runs,
        "command": command,
        "figures": [{**asdict(f), "ratio": f.ratio, "met": f.met} for f in figures],
        "growth": {
            f"x{scale}": [{**asdict(f), "ratio": f.ratio} for f in grown]
            for scale, grown in growth.items()
            if scale != 1
        },
        "seconds": round(time.perf_counter() - begun),
    }
    seconds = document["seconds"]
    if args.only and args.out.exists():
        document = _merged(json.loads(args.out.read_text(encoding="utf-8")), document)
    args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}; the whole run took {seconds} s")
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
