"""``Prompts``: every message box and file dialog the main window shows, in one replaceable object.

The window never calls ``QMessageBox``/``QFileDialog`` itself; it asks its ``Prompts``. Tests
hand the window a recording fake, so no test ever waits on a modal dialog. Each message has an
icon and a title as well as its text (never colour alone), and plain words.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

WORKSPACE_FILTER = "qidesk workspaces (*.qidesk);;All files (*)"
WORKSPACE_SUFFIX = ".qidesk"


def use_native_dialogs() -> bool:
    """True on a real desktop; headless platforms (tests, CI) get Qt's own dialogs."""
    return QGuiApplication.platformName() not in {"offscreen", "minimal", "vnc"}


class Prompts:
    """Message boxes and file choosers, parented to the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def error(self, title: str, text: str, details: str = "") -> None:
        """Tell the user that something could not be done, and why."""
        box = QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.parent
        )
        if details:
            box.setDetailedText(details)
        box.exec()

    def info(self, title: str, text: str) -> None:
        """Tell the user that something was done."""
        QMessageBox.information(self.parent, title, text)

    def confirm(self, title: str, text: str, accept_label: str) -> bool:
        """Ask a yes/no question whose "yes" button says what will happen."""
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self.parent
        )
        accept = box.addButton(accept_label, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is accept

    def open_workspace_path(self, directory: Path) -> Path | None:
        """Ask for an existing workspace file (``None`` when cancelled)."""
        name, _ = QFileDialog.getOpenFileName(
            self.parent,
            "Open workspace",
            str(directory),
            WORKSPACE_FILTER,
            options=self._options(),
        )
        return Path(name) if name else None

    def new_workspace_path(self, directory: Path) -> Path | None:
        """Ask where to create a new workspace file (``None`` when cancelled)."""
        name, _ = QFileDialog.getSaveFileName(
            self.parent,
            "New workspace",
            str(directory / f"new-workspace{WORKSPACE_SUFFIX}"),
            WORKSPACE_FILTER,
            options=self._options(),
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(WORKSPACE_SUFFIX)

    def backup_folder(self, directory: Path) -> Path | None:
        """Ask for a folder to put a backup copy in (``None`` when cancelled)."""
        name = QFileDialog.getExistingDirectory(
            self.parent, "Back up to folder", str(directory), options=self._options()
        )
        return Path(name) if name else None

    @staticmethod
    def _options() -> QFileDialog.Option:
        if use_native_dialogs():
            return QFileDialog.Option(0)
        return QFileDialog.Option.DontUseNativeDialog
