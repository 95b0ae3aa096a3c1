"""``RecentMenu``: the "Open recent" submenu, filled from the settings each time it opens."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMenu, QWidget

from qidesk.settings import Settings


class RecentMenu(QMenu):
    """Recently opened workspaces, newest first; files that no longer exist are shown disabled.

    Signals:
        path_chosen(object): the user picked a workspace (a ``Path``).
    """

    path_chosen = Signal(object)

    def __init__(self, title: str, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName("recent_menu")
        self._settings = settings
        self.aboutToShow.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the entries from the settings' recent-files list."""
        self.clear()
        recent = [Path(p) for p in self._settings.get("recent_files")]
        for i, path in enumerate(recent, start=1):
            exists = path.exists()
            shown = f"{path.name} — {path.parent}".replace("&", "&&")
            action = self.addAction(f"&{i} {shown}" + ("" if exists else " (not found)"))
            action.setData(str(path))
            action.setEnabled(exists)
            action.setToolTip(str(path) if exists else f"{path} no longer exists")
            action.triggered.connect(lambda _checked=False, p=path: self.path_chosen.emit(p))
        if not recent:
            self.addAction("No recent workspaces").setEnabled(False)
        self.addSeparator()
        clear = self.addAction("&Clear list")
        clear.setObjectName("clear_recent")
        clear.triggered.connect(self._clear)

    def _clear(self) -> None:
        self._settings.set("recent_files", [])
        self.refresh()
