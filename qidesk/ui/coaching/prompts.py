"""Every question and message of the coaching panel, in one replaceable object.

The panel never calls ``QMessageBox``/``QFileDialog`` itself; it asks its
:class:`CoachingPrompts`. Tests replace it with a recording fake, so no test waits on a modal
dialog. Each message has a title, an icon and plain words; the "yes" button says what happens.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from qidesk.core.identifiers import RULE
from qidesk.ui.dialogs.prompts import use_native_dialogs


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
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Possible patient details", "", parent=self.parent
        )
        box.setText(f"Some of this {what} looks like it contains patient details.")
        box.setInformativeText("\n\n".join(messages) + f"\n\n{RULE}")
        save = box.addButton("Save anyway", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        box.exec()
        return box.clickedButton() is save

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
        options = QFileDialog.Option(0)
        if not use_native_dialogs():
            options = QFileDialog.Option.DontUseNativeDialog
        name, _ = QFileDialog.getSaveFileName(
            self.parent, "Save project summary", str(suggested), "PDF (*.pdf)", options=options
        )
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
