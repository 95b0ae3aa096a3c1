"""``WindowState``: where a main window remembers its size, position and dock layout.

Kept in an INI file in :func:`qidesk.paths.config_dir` (never the Windows registry), apart from
the user's preferences, so it can be thrown away safely and tests stay isolated. A layout saved
by another version (``version`` differs) is ignored and the window starts with its defaults.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QMainWindow


class WindowState:
    """Save and restore one ``QMainWindow``'s geometry and dock/toolbar state."""

    def __init__(self, path: Path, *, version: int = 1, default_size: QSize | None = None) -> None:
        self.path = path
        self.version = version
        self.default_size = default_size or QSize(1280, 760)
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    def restore(self, window: QMainWindow) -> bool:
        """Put ``window`` back where it was; False when there was no saved layout to apply."""
        geometry = self._settings.value("window/geometry")
        if not (isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)):
            window.resize(self.default_size)
        state = self._settings.value("window/state")
        return isinstance(state, QByteArray) and window.restoreState(state, self.version)

    def save(self, window: QMainWindow) -> None:
        """Remember ``window``'s geometry and state now."""
        self._settings.setValue("window/geometry", window.saveGeometry())
        self._settings.setValue("window/state", window.saveState(self.version))
        self._settings.sync()
