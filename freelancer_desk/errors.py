"""Error types the GUI and CLI turn into messages. Each names what the user can fix."""

from __future__ import annotations


class DeskError(Exception):
    """Base of every error a user should see as a message rather than a traceback."""


class InputError(DeskError):
    """Input that was refused; ``field`` names the form field or CSV column at fault."""

    def __init__(self, field: str, message: str, *, label: str | None = None) -> None:
        self.field = field
        self.label = label or field
        self.message = message
        super().__init__(f"{self.label}: {message}")


class NotFoundError(DeskError):
    """A record that was asked for does not exist (any more)."""


class DatabaseError(DeskError):
    """The database file cannot be used; the file is left exactly as it was."""


class DatabaseLockedError(DatabaseError):
    """Another instance of the app has the same database open."""


class NotADatabaseError(DatabaseError):
    """The file is not a Freelancer Desk database, or it is damaged."""


class DatabaseTooNewError(DatabaseError):
    """The database was made by a newer version of the app."""


class DatabaseDamagedError(NotADatabaseError):
    """SQLite's own checks found damage; nothing is written until the user decides.

    ``report`` is the ``integrity.IntegrityReport`` that found it.
    """

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message)
        self.report = report


class DatabaseReadOnlyError(DatabaseError):
    """The file or its folder cannot be written; the file is left as it was."""


class DatabaseBusyError(DatabaseError):
    """Another program kept the file locked longer than the app waits; nothing was changed."""


class DiskFullError(DatabaseError):
    """A write failed for lack of space; the transaction was rolled back, nothing is lost."""


class BackupError(DatabaseError):
    """A backup could not be taken, checked or restored; the database was not changed."""
