"""Every modal question the PDSA panel asks, in one module so that tests can replace them.

Tests monkeypatch these functions (``confirm_identifiers``, ``confirm_delete``,
``ask_pdf_path``, ``show_error``); no test ever waits on a modal dialog.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from qidesk.ui.dialogs import prompts
from qidesk.ui.dialogs.identifier_warning import confirm_save_with_identifiers, some_of_this


def confirm_identifiers(parent: QWidget, messages: list[str]) -> bool:
    """Ask whether to save text that looks like patient details (default: go back)."""
    return confirm_save_with_identifiers(parent, some_of_this("PDSA cycle"), messages)


def confirm_delete(parent: QWidget, label: str) -> bool:
    """Ask before deleting a cycle (Undo brings it back; default: cancel)."""
    return prompts.confirm_delete(
        parent,
        "Delete PDSA cycle",
        f"Delete the PDSA cycle “{label}”?",
        "Its questions, tasks and links go with it, and its dates leave the linked charts. "
        "Undo (Ctrl+Z) brings it all back.",
        "Delete cycle",
    )


def ask_pdf_path(parent: QWidget, suggested: Path) -> Path | None:
    """Ask where to save the worksheet PDF (``None`` when cancelled)."""
    return prompts.ask_pdf_save_path(
        parent, "Export PDSA worksheet", suggested, "PDF files (*.pdf)"
    )


def show_error(parent: QWidget, title: str, text: str) -> None:
    """Tell the user that something could not be done, and why."""
    QMessageBox.warning(parent, title, text)
