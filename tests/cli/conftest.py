"""The command line as a user runs it (see ``tests/cli/program.py``).

``cli(*args, db=PATH, lang="de")`` runs the command line in this process and returns what a
finished process would: ``returncode``, ``stdout``, ``stderr``. ``cli_process`` does the same in
a new ``python main.py`` process, for tests of the process itself. ``status_json(db, *args)``
runs ``status --json`` and returns the parsed document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

import pytest

from tests.cli.program import Cli, run_in_process, run_process

__all__ = ["Cli", "StatusJson"]


@pytest.fixture(scope="session")
def cli() -> Cli:
    """Run the command line in this process; the result looks like a finished process."""
    return run_in_process


@pytest.fixture(scope="session")
def cli_process() -> Cli:
    """Run the program in a new process, for tests of the process itself."""
    return run_process


class StatusJson(Protocol):
    """``status --json`` of a database with more options, parsed."""

    def __call__(self, db: Path, *args: str, lang: str = "en") -> dict[str, Any]: ...


@pytest.fixture(scope="session")
def status_json(cli: Cli) -> StatusJson:
    """``status --json`` of a database (more options after it), parsed; it must succeed."""

    def status(db: Path, *args: str, lang: str = "en") -> dict[str, Any]:
        result = cli("status", "--json", *args, db=db, lang=lang)
        assert result.returncode == 0, result.stderr
        document: dict[str, Any] = json.loads(result.stdout)
        return document

    return status
