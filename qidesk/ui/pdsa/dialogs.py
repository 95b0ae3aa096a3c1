"""Every modal question the PDSA panel asks, in one module so that tests can replace them.

Tests monkeypatch these functions (``confirm_identifiers``, ``confirm_delete``,
``ask_pdf_path``, ``show_error``); no test ever waits on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from qidesk.core.identifiers import RULE
from qidesk.ui.dialogs.prompts import use_native_dialogs


def confirm_identifiers(parent: QWidget, messages: list[str]) -> bool:
    """Ask whether to save text that looks like patient details (default: go back)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Possible patient details", "", parent=parent)
    box.setText("Some of this PDSA cycle looks like it contains patient details.")
    box.setInformativeText("\n\n".join(messages) + f"\n\n{RULE}")
    save = box.addButton("Save anyway", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is save


def confirm_delete(parent: QWidget, label: str) -> bool:
    """Ask before deleting a cycle (Undo brings it back; default: cancel)."""
    box = QMessageBox(QMessageBox.Icon.Question, "Delete PDSA cycle", "", parent=parent)
    box.setText(f"Delete the PDSA cycle “{label}”?")
    box.setInformativeText(
        "Its questions, tasks and links go with it, and its dates leave the linked charts. "
        "Undo (Ctrl+Z) brings it all back."
    )
    delete = box.addButton("Delete cycle", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def ask_pdf_path(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to save the worksheet PDF (``None`` when cancelled)."""
    options = (
        QFileDialog.Option(0) if use_native_dialogs() else QFileDialog.Option.DontUseNativeDialog
    )
    name, _ = QFileDialog.getSaveFileName(
        parent, "Export PDSA worksheet", str(suggested), "PDF files (*.pdf)", options=options
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def show_error(parent: QWidget, title: str, text: str) -> None:
    """Tell the user that something could not be done, and why."""
    QMessageBox.warning(parent, title, text)
