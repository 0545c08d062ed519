"""Running the program's command line for a test: in this process, or as a new process.

``run_in_process`` calls ``freelancer_desk.cli.main`` with the output captured and returns what
a finished process would (``returncode``, ``stdout``, ``stderr``); it is quick and is what the
``cli`` fixture uses. ``run_process`` starts ``python main.py …``: use it only where the process
itself is tested (the real program's exit code, a lock held by another process, kills,
``--smoke``). Both take the same arguments.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from freelancer_desk import cli as command_line
from freelancer_desk.i18n import current_language, set_language

ROOT = Path(__file__).resolve().parents[2]
#: The environment a run sees for its language (the system language it falls back to).
LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LANG", "LC_MESSAGES")


class Cli(Protocol):
    """Runs the program with ``ARGS [--db DB]``; ``lang`` is the system language it sees."""

    def __call__(
        self, *args: str | Path, db: Path | None = None, lang: str = "en", timeout: int = 300
    ) -> subprocess.CompletedProcess[str]: ...


def _argv(args: tuple[str | Path, ...], db: Path | None) -> list[str]:
    return [*map(str, args), *(["--db", str(db)] if db is not None else [])]


def _language_environment(lang: str) -> dict[str, str]:
    return {"LANGUAGE": lang, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}


@contextlib.contextmanager
def _system_language(lang: str) -> Iterator[None]:
    """The language variables of ``lang`` while the command runs, then the ones before."""
    saved = {name: os.environ.get(name) for name in LANGUAGE_VARIABLES}
    language = current_language()
    os.environ.pop("LC_MESSAGES", None)
    os.environ.update(_language_environment(lang))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        set_language(language)


def run_in_process(
    *args: str | Path, db: Path | None = None, lang: str = "en", timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """``freelancer_desk.cli.main`` with its output captured, as the process would end.

    ``timeout`` is accepted for the same interface as :func:`run_process` and not enforced.
    """
    argv = _argv(args, db)
    out, err = io.StringIO(), io.StringIO()
    with _system_language(lang), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = command_line.main(argv)
        except SystemExit as end:  # argparse: --help, --version, bad arguments
            code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
            if isinstance(end.code, str):
                print(end.code, file=sys.stderr)
    return subprocess.CompletedProcess(
        ["freelancer-desk", *argv], code, out.getvalue(), err.getvalue()
    )


def run_process(
    *args: str | Path, db: Path | None = None, lang: str = "en", timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` in a new process, as a user starts it."""
    command = [sys.executable, str(ROOT / "main.py"), *_argv(args, db)]
    env = {**os.environ, **_language_environment(lang)}
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


@contextlib.contextmanager
def hang_fails(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: an alarm interrupts a blocking call (opening a pipe nobody
    writes into) after ``seconds``."""

    def stop(_signal: int, _frame: object) -> None:
        raise AssertionError(f"still waiting after {seconds} s: it hangs")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
