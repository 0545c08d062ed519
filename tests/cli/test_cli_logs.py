"""The log file: refusals and failures of the command line leave their traceback there, the
windowed program needs no console, and no message tells a user of the app to run a script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from freelancer_desk import logs
from freelancer_desk.commands import status as status_command
from freelancer_desk.paths import program_command, resource
from tests.core.safety_helpers import add_client, damage

if TYPE_CHECKING:
    from tests.cli.conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


def logged() -> str:
    return logs.log_file().read_text(encoding="utf-8")


def records(text: str) -> list[str]:
    """The lines of the log that begin a record (tracebacks follow them on lines of their own)."""
    return [line for line in text.splitlines() if re.match(r"\d{4}-\d\d-\d\d \d\d:", line)]


def test_a_refused_database_leaves_a_log_line_naming_the_file(tmp_path: Path, cli: Cli) -> None:
    refused = tmp_path / "Rechnungen 2025.xlsx"
    refused.write_bytes(b"PK\x03\x04 not a database at all")
    result = cli("status", "--json", db=refused)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    text = logged()
    [line] = [line for line in records(text) if "NotADatabaseError" in line]
    assert str(refused) in line and line.split()[2] == "ERROR"
    assert "Traceback (most recent call last)" in text and "check_is_sqlite_file" in text


def test_a_refused_csv_is_named_in_the_message_and_in_the_log(
    tmp_path: Path, db_path: Path, cli: Cli
) -> None:
    refused = tmp_path / "Umsätze 2025.csv"
    refused.write_bytes(bytes(range(256)) * 8)
    result = cli("import", "revenue", refused, db=db_path)
    assert result.returncode == 1
    assert result.stderr == f"freelancer-desk: {refused}: This is a binary file, not a CSV table.\n"
    [line] = [line for line in records(logged()) if "ImportFileError" in line]
    assert f"import revenue of {refused} on {db_path}" in line


def test_each_refused_e_invoice_leaves_its_reason_and_traceback_in_the_log(
    tmp_path: Path, db_path: Path, cli: Cli
) -> None:
    folder = tmp_path / "Rechnungen"
    folder.mkdir()
    (folder / "RE-1001.xml").write_text("<Invoice><broken>", encoding="utf-8")
    (folder / "RE-1002.pdf").write_bytes(b"%PDF-1.4\n" + bytes(300))
    result = cli("import", "einvoices", folder, db=db_path)
    assert result.returncode == 1
    text = logged()
    for name, reason in (("RE-1001.xml", "The XML cannot be read"), ("RE-1002.pdf", "PDF")):
        [line] = [line for line in records(text) if f"{folder / name}" in line]
        assert reason in line and line.split()[2] == "INFO", line
    assert "_parse_xml" in text and "_xml_in_pdf" in text  # the tracebacks
    [summary] = [line for line in records(text) if "EInvoicesRefused" in line]
    assert f"import einvoices of {folder} on {db_path}" in summary


def test_an_unexpected_failure_is_one_line_naming_the_log_with_the_traceback_inside(
    db_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero in the status")

    monkeypatch.setattr(status_command, "run", broken)
    result = cli("status", "--json", db=db_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == (
        "freelancer-desk: unexpected error: division by zero in the status "
        f"(details in {logs.log_file()})\n"
    )
    text = logged()
    assert f"status on {db_path}: ZeroDivisionError: division by zero in the status" in text
    assert 'in broken\n    raise ZeroDivisionError("division by zero in the status")' in text


def test_the_packaged_app_names_itself_in_its_hints(
    db_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_client(db_path, "Alpha")
    cli("backup", db=db_path)
    damage(db_path)
    from_source = cli("check", db=db_path)
    assert f"Restore it with: python main.py restore --db {db_path} " in from_source.stdout
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    packaged = cli("check", db=db_path)
    assert packaged.returncode == 1
    assert f"Restore it with: freelancer-desk restore --db {db_path} " in packaged.stdout
    assert "main.py" not in packaged.stdout + packaged.stderr


def test_a_path_with_spaces_is_quoted_in_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    command = program_command("restore", "--db", Path("/home/ana/Meine Daten/desk.sqlite3"))
    expected = (
        'freelancer-desk restore --db "/home/ana/Meine Daten/desk.sqlite3"'
        if os.name == "nt"
        else "freelancer-desk restore --db '/home/ana/Meine Daten/desk.sqlite3'"
    )
    assert command == expected


def test_no_text_of_the_app_tells_the_user_to_run_python_main_py() -> None:
    """Every text is in a catalogue (``test_i18n``), so the catalogues show every text."""
    catalogues = sorted(resource("translations").rglob("*.po"))
    assert catalogues
    for catalogue in catalogues:
        assert "main.py" not in catalogue.read_text(encoding="utf-8"), catalogue


@pytest.mark.skipif(os.name != "posix", reason="closes the console's file descriptors")
def test_without_a_console_errors_still_reach_the_log(tmp_path: Path) -> None:
    """The windowed program has no stdout or stderr at all (Python sets them to None)."""
    refused = tmp_path / "random.sqlite3"
    refused.write_bytes(os.urandom(4096))

    def no_console() -> None:
        os.close(1)
        os.close(2)

    for args in (["status", "--json"], ["--smoke"]):
        run = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args, "--db", str(refused)],
            cwd=ROOT,
            preexec_fn=no_console,
            timeout=120,
            check=False,
        )
        assert run.returncode == 1, args
    lines = [line for line in records(logged()) if "NotADatabaseError" in line]
    assert len(lines) == 2 and all(str(refused) in line for line in lines)
