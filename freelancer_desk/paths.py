"""Where things live: bundled resources (from source or frozen) and the user's data folders.

One helper for resource lookup so that the same code works from a checkout and from the
PyInstaller bundle, where files sit below ``sys._MEIPASS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from freelancer_desk import APP_ID, APP_NAME

DB_ENV_VAR = "FREELANCER_DESK_DB"
#: In the packaged app, the user's own ``MPLCONFIGDIR`` (saved by a run-time hook in
#: ``build.spec`` before PyInstaller's matplotlib hook replaces it with a fresh temporary folder).
USER_MPLCONFIGDIR_VAR = "FREELANCER_DESK_MPLCONFIGDIR"


def resource_root() -> Path:
    """The folder that holds ``resources/``: the bundle when frozen, else the checkout."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource(*parts: str) -> Path:
    """Path of a bundled resource, e.g. ``resource("fonts", "DejaVuSans.ttf")``."""
    return resource_root().joinpath("resources", *parts)


def package_dir() -> Path:
    """The folder of the ``freelancer_desk`` package (migrations live below it)."""
    return Path(__file__).resolve().parent


def user_data_dir() -> Path:
    """The platform's per-user data folder for the app (created on demand)."""
    from platformdirs import user_data_path

    path = user_data_path(APP_NAME, appauthor=False, ensure_exists=True)
    return Path(path)


def user_cache_dir() -> Path:
    """The platform's per-user cache folder (matplotlib font cache and the like)."""
    from platformdirs import user_cache_path

    return Path(user_cache_path(APP_NAME, appauthor=False, ensure_exists=True))


def keep_matplotlib_cache() -> None:
    """Give matplotlib a lasting config folder so its font cache is built once, not per start.

    Call before matplotlib is imported. A folder the user chose with ``MPLCONFIGDIR`` wins.
    """
    if is_packaged():
        chosen = os.environ.get(USER_MPLCONFIGDIR_VAR)
    else:
        chosen = os.environ.get("MPLCONFIGDIR")
    os.environ["MPLCONFIGDIR"] = chosen or str(user_cache_dir() / "matplotlib")


def default_db_path() -> Path:
    """The database used when neither ``--db`` nor ``FREELANCER_DESK_DB`` names one."""
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return user_data_dir() / f"{APP_ID}.sqlite3"


def is_packaged() -> bool:
    """Whether this is the double-click app built by PyInstaller rather than a checkout."""
    return bool(getattr(sys, "frozen", False))


def program_command(*arguments: str | Path) -> str:
    """The command a user types to run this program with ``arguments``, for hints in messages.

    The packaged app is called by its own name (``freelancer-desk restore …``); only a checkout
    is run as ``python main.py``. Arguments with spaces are quoted for the user's shell.
    """
    words = [str(argument) for argument in arguments]
    if os.name == "nt":
        from subprocess import list2cmdline

        quoted = list2cmdline(words)
    else:
        import shlex

        quoted = shlex.join(words)
    program = APP_ID if is_packaged() else "python main.py"
    return f"{program} {quoted}".rstrip()


def backup_dir_for(db_path: Path) -> Path:
    """Default backup folder: ``backups/`` beside the database file."""
    return db_path.resolve().parent / "backups"
