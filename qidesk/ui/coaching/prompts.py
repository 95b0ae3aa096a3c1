"""Every question and message of the coaching panel, in one replaceable object.

The panel never calls ``QMessageBox``/``QFileDialog`` itself; it asks its
:class:`CoachingPrompts`. Tests replace it with a recording fake, so no test waits on a modal
dialog. Each message has a title, an icon and plain words; the "yes" button says what happens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from qidesk.ui.dialogs.identifier_warning import confirm_save_with_identifiers, some_of_this
from qidesk.ui.dialogs.prompts import ask_pdf_save_path


class CoachingPrompts:
    """Message boxes and the PDF file chooser of the coaching panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def confirm(self, title: str, text: str, accept_label: str) -> bool:
        """Ask a yes/no question whose "yes" button says what will happen (default: cancel)."""
        box = QMessageBox(
            QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, self.parent
        )
        accept = box.addButton(accept_label, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is accept

    def confirm_identifiers(self, what: str, messages: list[str]) -> bool:
        """Ask whether to save text that looks like patient details (default: go back)."""
        return confirm_save_with_identifiers(self.parent, some_of_this(what), messages)

    def error(self, title: str, text: str) -> None:
        """Tell the user that something could not be done, and why."""
        QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.parent
        ).exec()

    def info(self, title: str, text: str) -> None:
        """Tell the user that something was done."""
        QMessageBox(
            QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, self.parent
        ).exec()

    def pdf_path(self, suggested: Path) -> Path | None:
        """Ask where to save a PDF (``None`` when cancelled)."""
        return ask_pdf_save_path(self.parent, "Save project summary", suggested, "PDF (*.pdf)")
