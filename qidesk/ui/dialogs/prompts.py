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


def file_dialog_options() -> QFileDialog.Option:
    """The platform's own file dialogs on a real desktop, Qt's own on headless platforms."""
    if use_native_dialogs():
        return QFileDialog.Option(0)
    return QFileDialog.Option.DontUseNativeDialog


def confirm_delete(
    parent: QWidget | None, title: str, question: str, consequences: str, delete_label: str
) -> bool:
    """Ask before deleting something: ``question``, then what goes with it (default: cancel)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, "", parent=parent)
    box.setText(question)
    box.setInformativeText(consequences)
    delete = box.addButton(delete_label, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def ask_pdf_save_path(
    parent: QWidget | None, title: str, suggested: Path, file_filter: str
) -> Path | None:
    """Ask where to save a PDF (``None`` when cancelled); the name always ends in ``.pdf``."""
    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(suggested), file_filter, options=file_dialog_options()
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


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
        return file_dialog_options()
