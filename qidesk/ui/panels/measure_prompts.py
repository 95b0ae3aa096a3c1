"""``MeasurePrompts``: every dialog the measures panel opens, in one replaceable object.

The panel never opens a dialog itself; it asks its prompts. Tests hand the panel a recording
fake, so no test ever waits on a modal dialog (the same pattern as the main window's
:class:`~qidesk.ui.dialogs.prompts.Prompts`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from qidesk.core.measures import AnnotationKind, Measure
from qidesk.ui.dialogs.identifier_warning import confirm_save_with_identifiers
from qidesk.ui.dialogs.measure_editor import edit_measure
from qidesk.ui.dialogs.prompts import confirm_delete
from qidesk.ui.dialogs.reason_dialog import ProblemListDialog, ReasonDialog


class MeasurePrompts:
    """Dialogs of the measures panel, parented to it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def measure(self, measure: Measure, *, new: bool) -> Measure | None:
        """Open the measure editor; the measure to save, or ``None`` when cancelled."""
        return edit_measure(self.parent, measure, new=new)

    def reason(self, title: str, prompt: str, placeholder: str = "") -> str | None:
        """Ask for a required reason; ``None`` when cancelled."""
        dialog = ReasonDialog(title, prompt, self.parent, placeholder=placeholder)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.value()

    def annotation(self, period_text: str) -> tuple[AnnotationKind, str] | None:
        """Ask for an annotation's kind and text; ``None`` when cancelled."""
        dialog = ReasonDialog(
            "Add annotation",
            f"What happened around {period_text}? The note appears on the chart.",
            self.parent,
            field_label="Text",
            placeholder="e.g. PDSA 2 started: new falls risk checklist",
            kinds=list(AnnotationKind),
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        kind = dialog.chosen_kind() or AnnotationKind.EXTERNAL_EVENT
        return kind, dialog.value()

    def cell_problems(self, title: str, intro: str, lines: Sequence[str]) -> None:
        """List refused cells (nothing was applied)."""
        ProblemListDialog(title, intro, lines, self.parent).exec()

    def error(self, title: str, text: str) -> None:
        """Tell the user something could not be done, and why."""
        QMessageBox(
            QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self.parent
        ).exec()

    def confirm_delete(self, measure: Measure, points: int) -> bool:
        """Ask before deleting ``measure``, naming it and its number of points."""
        data = f" and its {points} data point{'s' if points != 1 else ''}" if points else ""
        return confirm_delete(
            self.parent,
            "Delete measure",
            f"Delete the measure “{measure.name}”?",
            f"The measure{data} will be removed from this project. "
            "You can bring it back with Undo (Ctrl+Z).",
            "Delete measure",
        )

    def confirm_identifiers(self, messages: Sequence[str]) -> bool:
        """Ask whether to save a note that looks like patient details (default: go back)."""
        return confirm_save_with_identifiers(
            self.parent, "This note looks like it contains patient details.", messages
        )
