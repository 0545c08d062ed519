"""Freelancer Desk: double-click or ``python main.py`` opens the window; ``--help`` lists
commands."""

from __future__ import annotations

import sys

from freelancer_desk.cli import GuiOptions, main
from freelancer_desk.paths import keep_matplotlib_cache


def launch_gui(options: GuiOptions) -> int:
    """Start the Qt application (imported only when a window is wanted)."""
    from ui.app import run_gui

    return run_gui(options)


if __name__ == "__main__":
    keep_matplotlib_cache()
    sys.exit(main(launch_gui=launch_gui))
