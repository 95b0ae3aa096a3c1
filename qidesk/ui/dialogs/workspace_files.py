"""``WorkspaceFiles``: the File menu's conversations about workspace files.

New, open, back up and check: each asks the user through :class:`Prompts`, calls the workspace
service, and reports the outcome in plain words. A ``WorkspaceError`` (not a workspace, newer
schema, locked, corrupt, disk full) is a message, never a crash, and the workspace that was open
stays open. Opening a different workspace is handed to the window's ``switch`` callback, which
rebuilds the panels around it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from qidesk.core.errors import WorkspaceError
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui.dialogs.prompts import Prompts


def reason(exc: Exception) -> str:
    """The plain-words reason of a domain error, or the text of an ``OSError``."""
    return getattr(exc, "message", None) or str(exc)


class WorkspaceFiles:
    """New / Open / Back up / Check integrity for the workspace shown in one window."""

    def __init__(
        self,
        prompts: Prompts,
        settings: Settings,
        user: str,
        current: Callable[[], WorkspaceService],
        switch: Callable[[WorkspaceService], None],
    ) -> None:
        self.prompts = prompts
        self.settings = settings
        self.user = user
        self._current = current
        self._switch = switch

    def open_path(self, path: Path) -> bool:
        """Open the workspace at ``path``; on failure say why and keep the current one open."""
        current = self._current()
        if path.resolve() == current.path.resolve():
            return True
        try:
            service = WorkspaceService.open(
                path, user=self.user, keep_backups=self.settings.get("backups_to_keep")
            )
        except WorkspaceError as exc:
            text = reason(exc)
            if str(path) not in text:
                text = f"{path}\n\n{text}"
            self.prompts.error(
                "Could not open workspace", f"{text}\n\n{current.path.name} is still open."
            )
            return False
        self._switch(service)
        return True

    def choose_and_open(self) -> None:
        """Ask for a workspace file and open it."""
        path = self.prompts.open_workspace_path(self._current().path.parent)
        if path is not None:
            self.open_path(path)

    def create_new(self) -> None:
        """Ask for a file name, create an empty workspace there and open it."""
        path = self.prompts.new_workspace_path(self._current().path.parent)
        if path is None:
            return
        if path.exists():
            self.prompts.error(
                "File already exists",
                f"{path} already exists, so qidesk will not replace it. "
                "Use Open workspace… to open it, or choose another name.",
            )
            return
        try:
            service = WorkspaceService.create(
                path, user=self.user, site_name=self.settings.get("site_name")
            )
        except (WorkspaceError, OSError) as exc:
            self.prompts.error("Could not create workspace", f"{path}\n\n{reason(exc)}")
            return
        self._switch(service)

    def back_up(self) -> None:
        """Ask for a folder and write a checked backup copy of the workspace there."""
        current = self._current()
        backups = current.info().backups
        start = backups[0].parent if backups else current.path.parent
        folder = self.prompts.backup_folder(start)
        if folder is None:
            return
        try:
            written = current.backup(folder)
        except (WorkspaceError, OSError) as exc:
            self.prompts.error("Backup failed", f"No backup was written.\n\n{reason(exc)}")
            return
        self.prompts.info("Backup written", f"A checked backup copy was written to:\n{written}")

    def check_integrity(self) -> None:
        """Run the integrity and foreign-key checks and report the result."""
        current = self._current()
        try:
            problems = current.check()
        except WorkspaceError as exc:
            problems = [reason(exc)]
        if problems:
            self.prompts.error(
                "Problems found",
                f"The check found {len(problems)} problem(s) in {current.path.name}. Stop "
                "working in it: make a backup of the file as it is, then restore an earlier "
                "backup or ask for help.",
                "\n".join(problems),
            )
        else:
            self.prompts.info(
                "No problems found", f"{current.path.name} passed the integrity check."
            )
