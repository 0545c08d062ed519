"""The log file: what went wrong, with its traceback, for the user to send in and for us to read.

Everything goes through the standard ``logging`` module into one rotating file in the user's
log folder (``platformdirs``: ``~/.local/state/Freelancer Desk/log`` on Linux,
``~/Library/Logs/Freelancer Desk`` on macOS, ``%LOCALAPPDATA%\\Freelancer Desk\\Logs`` on
Windows). Nothing is printed: the command line prints its own one-line messages, and the
windowed app on Windows has no console at all (``sys.stdout`` and ``sys.stderr`` are None
there), so :func:`setup` gives such missing streams a home, the stray output of libraries
included.

Modules log with ``logging.getLogger(__name__)``; an error that was caught and shown to the
user is logged with :func:`caught`, so that its traceback is in the file although the user
only saw one line.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path

from freelancer_desk import APP_NAME, __version__

LOG_FILE_NAME = "freelancer-desk.log"
#: The file is rotated at this size; with the backups kept that bounds the folder at 4 MB.
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
#: Libraries whose INFO lines say nothing a problem report needs (Alembic lists its plug-ins on
#: every upgrade check); their warnings still come through.
QUIET = ("alembic.runtime.plugins",)

log = logging.getLogger(__name__)

_file_handler: logging.handlers.RotatingFileHandler | None = None


def log_dir() -> Path:
    """The platform's per-user log folder of the app (not created here)."""
    from platformdirs import user_log_path

    return Path(user_log_path(APP_NAME, appauthor=False))


def log_file() -> Path:
    """The file the log is written to (the one the error dialog names)."""
    return log_dir() / LOG_FILE_NAME


def setup() -> Path | None:
    """Send log records at INFO and above to the log file; returns the file, None if unwritable.

    Safe to call again: when the log folder has changed since (another user folder, as in the
    tests), the handler moves to the new file. A folder that cannot be written (a read-only
    home) costs the log, never the start.
    """
    global _file_handler
    _give_missing_streams_a_home()
    path = log_file()
    if _file_handler is not None and Path(_file_handler.baseFilename) == path:
        return path
    close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    _file_handler = handler
    log.info("%s %s started (pid %s)", APP_NAME, __version__, os.getpid())
    return path


def close() -> None:
    """Stop writing to the log file (the next :func:`setup` opens it again)."""
    global _file_handler
    if _file_handler is None:
        return
    logging.getLogger().removeHandler(_file_handler)
    _file_handler.close()
    _file_handler = None


def caught(error: BaseException, what: str, *, level: int = logging.ERROR) -> None:
    """Log an error that was caught and turned into a message, with its traceback.

    ``what`` says in a few words what was being done (``"open /path/desk.sqlite3"``), so that
    the line can be found again; the traceback shows where it came from.
    """
    log.log(level, "%s: %s: %s", what, type(error).__name__, error, exc_info=error)


class _LogStream(io.TextIOBase):
    """Stands in for a missing ``sys.stderr``: what is written ends up in the log, by line."""

    def __init__(self, logger: logging.Logger) -> None:
        super().__init__()
        self._logger = logger
        self._pending = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if line.strip():
                self._logger.warning("%s", line)
        return len(text)


def has_console() -> bool:
    """Whether printing to ``sys.stderr`` reaches a person (not so in the windowed build)."""
    return sys.stderr is not None and not isinstance(sys.stderr, _LogStream)


def _give_missing_streams_a_home() -> None:
    """A windowed program has no console: print() and libraries must not fail for lack of one."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as the process)
    if sys.stderr is None:
        sys.stderr = _LogStream(logging.getLogger("stderr"))
