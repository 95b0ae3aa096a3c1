"""Domain errors: problems in the world that the user is told about in plain words.

Bugs are not represented here; they go to the crash dialog through the global exception hook.
"""

from __future__ import annotations


class QideskError(Exception):
    """Base class of every error qidesk reports to a person rather than to the crash log."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(QideskError):
    """A value was refused. ``problems`` maps a field name to the reason it was refused."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        text = "; ".join(f"{field}: {reason}" for field, reason in self.problems.items())
        super().__init__(text or "invalid value")


class NotFoundError(QideskError):
    """A record asked for by id does not exist (or has been deleted)."""


class WorkspaceError(QideskError):
    """A workspace file cannot be opened or written. The message says why in plain words."""


class NotAWorkspaceError(WorkspaceError):
    """The file is empty, not an SQLite database, or an SQLite database of another program."""


class NewerSchemaError(WorkspaceError):
    """The file was written by a newer qidesk; it may be read but never written."""


class WorkspaceLockedError(WorkspaceError):
    """Another qidesk process has the workspace open."""


class ReadOnlyWorkspaceError(WorkspaceError):
    """The file or its folder cannot be written; the workspace is open for reading only."""


class CorruptWorkspaceError(WorkspaceError):
    """The integrity or foreign-key check failed."""


class StorageFullError(WorkspaceError):
    """The disk is full or the write failed; nothing of the operation was saved."""
