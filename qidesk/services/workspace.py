"""Opening, creating, checking and backing up workspaces."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qidesk.core.changes import Changes, Entity
from qidesk.store import database
from qidesk.store.database import SCHEMA_VERSION, Workspace

__all__ = ["SCHEMA_VERSION", "WorkspaceInfo", "WorkspaceService"]


@dataclass(frozen=True)
class WorkspaceInfo:
    """What the About/Workspace panel and ``qidesk info`` show."""

    path: Path
    schema_version: int
    size_bytes: int
    read_only: bool
    counts: dict[str, int]
    backups: tuple[Path, ...]


class WorkspaceService:
    """One open workspace and the person working in it."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        user: str,
        read_only: bool = False,
        backup: bool = True,
        keep_backups: int = 7,
    ) -> WorkspaceService:
        """Open an existing workspace (raises a ``WorkspaceError`` subclass when it cannot)."""
        return cls(
            database.open_workspace(
                path, user=user, read_only=read_only, backup=backup, keep_backups=keep_backups
            )
        )

    @classmethod
    def create(cls, path: Path, *, user: str, site_name: str = "") -> WorkspaceService:
        """Create a new, empty workspace file."""
        return cls(database.create_workspace(path, user=user, site_name=site_name))

    @staticmethod
    def check_file(path: Path) -> list[str]:
        """Check a workspace file read-only without opening it (``qidesk check``).

        Damage comes back as problem lines (empty = clean); a file that is not a qidesk
        workspace raises a ``WorkspaceError`` subclass. Works while the file is open elsewhere.
        """
        return database.check_file(path)

    @staticmethod
    def inspect(path: Path) -> WorkspaceInfo:
        """Facts about a workspace file read without opening it (``qidesk info``).

        Never writes; works while the file is open elsewhere and on files from an older or a
        newer qidesk (compare ``schema_version`` with :data:`SCHEMA_VERSION`).
        """
        version, counts = database.inspect_file(path)
        return WorkspaceInfo(
            path=path,
            schema_version=version,
            size_bytes=path.stat().st_size,
            read_only=True,
            counts=counts,
            backups=tuple(database.list_backups(path)),
        )

    @staticmethod
    def occupied(path: Path) -> bool:
        """True when something that is not an empty file is at ``path`` (never raises)."""
        try:
            return path.exists() and (not path.is_file() or path.stat().st_size > 0)
        except OSError:
            return False  # e.g. a name too long: creating it will say why

    @staticmethod
    def discard(path: Path, *, user: str) -> None:
        """Delete the qidesk workspace at ``path`` so a new one can be made there (``--force``).

        Refuses, deleting nothing, when the file is not a qidesk workspace, is read-only, or
        is open in another qidesk process.
        """
        database.discard_workspace(path, user=user)

    @property
    def path(self) -> Path:
        """The workspace file."""
        return self.workspace.path

    @property
    def read_only(self) -> bool:
        """True when nothing may be written (read-only file or folder)."""
        return self.workspace.read_only

    @property
    def user(self) -> str:
        """Who is recorded with every change."""
        return self.workspace.user

    @property
    def backup_warning(self) -> str | None:
        """Why the automatic backup at open failed (``None`` when it worked)."""
        return self.workspace.backup_warning

    def close(self) -> None:
        """Close the workspace and release its lock."""
        self.workspace.close()

    def check(self) -> list[str]:
        """Integrity and foreign-key problems (empty when clean)."""
        return database.check_workspace(self.workspace)

    def backup(self, folder: Path | None = None) -> Path:
        """Write a checked backup copy now and return its path."""
        return database.backup_now(self.workspace, folder)

    def info(self) -> WorkspaceInfo:
        """Schema version, size, record counts and backups."""
        return WorkspaceInfo(
            path=self.path,
            schema_version=self.workspace.schema_version,
            size_bytes=self.path.stat().st_size,
            read_only=self.read_only,
            counts=database.workspace_counts(self.workspace),
            backups=tuple(database.list_backups(self.path)),
        )

    @staticmethod
    def replaced() -> Changes:
        """The summary broadcast when a different workspace is opened."""
        return Changes.of(workspace_replaced=True, updated={Entity.WORKSPACE: ["*"]})
