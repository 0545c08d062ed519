"""Write the next Alembic revision from the difference between models.py and the schema.

Usage: ``python -m freelancer_desk.migrations.new "what changed"``. Review the file it writes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from freelancer_desk.db import KNOWN_REVISIONS, open_database
from freelancer_desk.paths import package_dir


def main(message: str) -> None:
    # The schema as the current head makes it, compared over the app's own connection.
    with (
        tempfile.TemporaryDirectory() as folder,
        open_database(Path(folder) / "current.sqlite3") as db,
        db.engine.connect() as conn,
    ):
        config = Config()
        config.set_main_option("script_location", str(package_dir() / "migrations"))
        config.attributes["connection"] = conn
        # The number after the highest: merged revisions left gaps (0001, 0004, …).
        rev_id = f"{max(int(known) for known in KNOWN_REVISIONS) + 1:04d}"
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
