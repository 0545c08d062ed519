"""SQLite as SQLAlchemy speaks it for this app: one dialect identity and one cache of compiled
SQL for every engine of the process.

SQLAlchemy keeps the SQL it compiled from a query, insert or update keyed by the engine's
dialect object, and each engine makes a dialect of its own. So every database file opened (and
every migration, every read-only check) compiled each statement anew, although all of them speak
the same SQLite through the same driver with the same options: a tenth of the time of working in
a second file, and of the test suite, which opens hundreds. Here every dialect counts as equal
to every other instance of its class, and every engine uses one cache (``COMPILED``), so that
SQL compiled once serves every file. Only ``db.make_engine`` makes engines, all through ``URL``.

Loads SQLAlchemy: imported when the first engine is made, not with ``freelancer_desk.db``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.util import LRUCache

#: The URL every engine of the app is made with (the connection itself comes from a creator).
URL = "sqlite+freelancer_desk://"
#: Compiled statements shared by every engine (SQLAlchemy's own default is 500 per engine; the
#: app's statements across all its pages, imports and reports take more).
COMPILED: LRUCache[Any, Any] = LRUCache(2000)


class DeskSQLite(SQLiteDialect_pysqlite):
    """The standard SQLite dialect, equal to every other instance of this class.

    Engines differ only in their connections (file, read-only or not, pragmas); what a dialect
    compiles does not depend on them, so a statement compiled for one engine is the one for all.
    """

    supports_statement_cache = True  # SQLAlchemy reads it from each dialect class itself

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


registry.register("sqlite.freelancer_desk", __name__, DeskSQLite.__name__)
