"""The packaged app, run as a freelancer's laptop runs it: ``demo``, ``status --json``, ``report``,
``--smoke``, each from the built binary and checked against the source.

Skipped unless ``FREELANCER_DESK_FROZEN`` names the binary that ``make dist`` built, e.g.
``FREELANCER_DESK_FROZEN="dist/Freelancer Desk/freelancer-desk"``. Each test gives the app its
own home, cache and config folders, so nothing touches the real user's files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from freelancer_desk import APP_NAME, __version__, formatting
from freelancer_desk.db import open_database
from freelancer_desk.i18n import gettext_for
from freelancer_desk.reports.document import Language
from freelancer_desk.services.clients import client_names
from tests.pdf_text import pdf_pages

ROOT = Path(__file__).resolve().parents[2]
FROZEN = os.environ.get("FREELANCER_DESK_FROZEN", "")
AS_OF = "2025-12-31"
A4_POINTS = (595.28, 841.89)
#: The size bound for the app folder (the packaging target; `python -m bench.startup` prints it).
MAX_FOLDER_BYTES = 150 * 1024 * 1024
#: Qt's ICU data with the German, English and root locales and the services Qt calls only
#: (31 MB whole, 2.8 MB trimmed).
MAX_ICU_DATA_BYTES = 4 * 1024 * 1024

pytestmark = pytest.mark.skipif(
    not FROZEN, reason="set FREELANCER_DESK_FROZEN to the binary built by `make dist`"
)


def user_folders(home: Path) -> dict[str, str]:
    """Environment that sends every per-user folder of every platform below ``home``."""
    return {
        "HOME": str(home),
        "USERPROFILE": str(home),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "LOCALAPPDATA": str(home / "cache"),
        "APPDATA": str(home / "config"),
    }


def run_frozen(
    home: Path, *args: str, extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the built binary headless with its user folders below ``home``."""
    env = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    env.update(user_folders(home), QT_QPA_PLATFORM="offscreen", **(extra or {}))
    (home / "runtime").mkdir(parents=True, exist_ok=True, mode=0o700)
    return subprocess.run(
        [FROZEN, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        env=env,
        cwd=home,
        check=False,
    )


def run_source(*args: str) -> subprocess.CompletedProcess[str]:
    """The same command from the checkout, for comparison."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


def bundle_root() -> Path:
    """The folder that holds ``resources/`` next to the binary (``_internal`` or the .app's)."""
    binary = Path(FROZEN).resolve()
    for candidate in (
        binary.parent / "_internal",
        binary.parent.parent / "Resources",
        binary.parent,
    ):
        if (candidate / "resources").is_dir():
            return candidate
    raise AssertionError(f"no resources folder beside {binary}")


def relative_files(folder: Path, pattern: str) -> set[str]:
    return {
        path.relative_to(folder).as_posix()
        for path in folder.rglob(pattern)
        if "__pycache__" not in path.parts
    }


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def demo_db(home: Path) -> Iterator[Path]:
    """A new database filled by the frozen ``demo`` (migrations run inside the bundle)."""
    path = home / "desk.sqlite3"
    result = run_frozen(home, "--lang", "en", "demo", "--db", str(path), "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    day = formatting.date(dt.date.fromisoformat(AS_OF), "en")
    assert f"as of {day} written to {path}" in result.stdout
    yield path


def test_version_is_the_package_version(home: Path) -> None:
    result = run_frozen(home, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{APP_NAME} {__version__}"


def test_demo_database_opens_from_source_at_the_same_schema(demo_db: Path) -> None:
    # open_database refuses a database whose revision the source does not know.
    with open_database(demo_db, writable=False) as db:
        assert len(client_names(db)) == 40


def test_status_json_is_valid_and_equals_the_source(home: Path, demo_db: Path) -> None:
    args = ("status", "--json", "--db", str(demo_db), "--as-of", AS_OF)
    frozen, source = run_frozen(home, *args), run_source(*args)
    assert frozen.returncode == 0, frozen.stderr
    assert source.returncode == 0, source.stderr
    doc = json.loads(frozen.stdout)
    assert doc == json.loads(source.stdout)
    assert doc["as_of"] == AS_OF and doc["total_net"] > 0


def test_report_is_a_german_a4_pdf_with_embedded_fonts(
    home: Path, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "Jahresrückblick 2025.pdf"
    result = run_frozen(
        home, "--lang", "de", "report", "--db", str(demo_db), "--year", "2025", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    status = json.loads(
        run_frozen(home, "status", "--json", "--db", str(demo_db), "--year", "2025").stdout
    )
    reader = PdfReader(out)
    pages = pdf_pages(out)
    german = gettext_for("de")("Annual review {year}").format(year=2025)
    assert german != "Annual review 2025"  # the German catalogue is in the bundle
    assert german in pages[0]
    assert " ".join(Language("de").money(status["total_net"]).split()) in " ".join(pages)
    assert all(
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2)) == A4_POINTS
        for p in reader.pages
    )
    fonts = {
        str(font.get_object().get("/BaseFont"))
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts and all("DejaVuSans" in font for font in fonts), fonts


def test_smoke_paints_the_dashboard_and_keeps_the_matplotlib_cache(
    home: Path, demo_db: Path
) -> None:
    result = run_frozen(home, "--smoke", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    milliseconds = result.stdout.strip().splitlines()[-1]
    assert milliseconds.isdigit() and 0 < int(milliseconds) < 60_000
    caches = list(home.rglob("fontlist-*.json"))
    assert caches, "matplotlib's font cache was not kept"
    assert all(APP_NAME in cache.parts and "matplotlib" in cache.parts for cache in caches)


def test_smoke_respects_the_users_matplotlib_folder(
    home: Path, demo_db: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "my-mpl"
    result = run_frozen(home, "--smoke", "--db", str(demo_db), extra={"MPLCONFIGDIR": str(mine)})
    assert result.returncode == 0, result.stderr
    assert list(mine.glob("fontlist-*.json"))


def test_einvoices_xml_and_pdf_import_like_the_source(tmp_path: Path) -> None:
    """lxml and pypdf work inside the bundle: the fixture folder holds XRechnung XML and a
    ZUGFeRD PDF, and the built app reads them as the source does."""
    folder = ROOT / "tests" / "fixtures" / "einvoice" / "2025"
    frozen = run_frozen(
        tmp_path, "--lang", "en", "import", "einvoices", str(folder), "--db", str(tmp_path / "f.db")
    )
    source = run_source(
        "--lang", "en", "import", "einvoices", str(folder), "--db", str(tmp_path / "s.db")
    )
    assert frozen.returncode == 0, frozen.stderr
    assert "added: 5" in frozen.stdout
    assert frozen.stdout.replace(str(tmp_path / "f.db"), "") == source.stdout.replace(
        str(tmp_path / "s.db"), ""
    )


def test_bundle_holds_resources_migrations_and_the_app_icon() -> None:
    root = bundle_root()
    resources = root / "resources"
    for pattern in ("*.po", "*.ttf", "*.svg", "*.desktop"):
        source = relative_files(ROOT / "resources", pattern)
        assert source and source <= relative_files(resources, pattern), pattern
    migrations = ROOT / "freelancer_desk" / "migrations"
    assert relative_files(migrations, "*.py") | relative_files(
        migrations, "*.mako"
    ) <= relative_files(root / "freelancer_desk" / "migrations", "*")
    header = (resources / "icons" / "app.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (256, 256)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="trimmed on Linux")
def test_icu_data_keeps_our_languages_only() -> None:
    [data] = [
        path
        for path in Path(FROZEN).resolve().parent.rglob("libicudata.so.*")
        if not path.is_symlink()
    ]
    assert data.stat().st_size < MAX_ICU_DATA_BYTES, f"{data.stat().st_size / 2**20:.1f} MB"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="stripped and compacted on Linux")
def test_every_library_of_the_bundle_maps() -> None:
    """The build strips the libraries and closes the holes patchelf left in some (build.spec):
    the dynamic loader still maps each of them (ldd fails on a misplaced segment)."""
    internal = Path(FROZEN).resolve().parent / "_internal"
    libraries = [
        path
        for path in internal.rglob("*.so*")
        if path.is_file() and not path.is_symlink() and path.read_bytes()[:4] == b"\x7fELF"
    ]
    failed = {
        path.relative_to(internal).as_posix(): result.stdout + result.stderr
        for path in libraries
        if (result := subprocess.run(["ldd", str(path)], capture_output=True, text=True)).returncode
    }
    assert len(libraries) > 100
    assert not failed, failed


def test_folder_stays_under_150_mb() -> None:
    folder = Path(FROZEN).resolve().parent
    size = sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )
    assert size < MAX_FOLDER_BYTES, f"{size / 1024 / 1024:.0f} MB"
