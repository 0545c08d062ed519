"""The command line as a user runs it: ``python main.py …`` in a new process.

``cli(*args, db=PATH, lang="de")`` runs the program and returns the finished process;
``status_json(db, *args)`` runs ``status --json`` and returns the parsed document.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Protocol

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Cli(Protocol):
    """Runs ``python main.py ARGS [--db DB]``; ``lang`` is the system language it sees."""

    def __call__(
        self, *args: str | Path, db: Path | None = None, lang: str = "en", timeout: int = 300
    ) -> subprocess.CompletedProcess[str]: ...


def _run(
    *args: str | Path, db: Path | None = None, lang: str = "en", timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "main.py"), *map(str, args)]
    if db is not None:
        command += ["--db", str(db)]
    env = {**os.environ, "LANGUAGE": lang, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@pytest.fixture(scope="session")
def cli() -> Cli:
    """Run the program in a new process, as a user does."""
    return _run


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
