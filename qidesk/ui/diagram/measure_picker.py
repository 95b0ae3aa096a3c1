"""The measure picker: tick the project's measures that belong to one box of the diagram.

Opened with M on the canvas or in the outline, or from a box's menu ("Measures ▸ Choose…").
A list of the project's measures with checkboxes: the arrow keys move, Space ticks or unticks,
Enter saves, Esc cancels. Saving links and unlinks through the
:class:`~qidesk.ui.diagram.editor.DiagramEditor` as one undo step. The dialog is opened
window-modal with ``open()`` (it does not block), so the caller gets it back at once.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.measures import Measure
from qidesk.ui.diagram.commands import short
from qidesk.ui.diagram.editor import DiagramEditor

#: the measure id of a row
MEASURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

NO_MEASURES = (
    "This project has no measures yet. Add them on the project's measures page, then link "
    "them to the boxes here."
)


def measure_title(measure: Measure) -> str:
    """A measure as listed: its name and its type ("… (outcome measure)")."""
    return f"{measure.name} ({measure.measure_type.value} measure)"


class MeasurePicker(QDialog):
    """A checklist of the project's measures for one box."""

    def __init__(
        self,
        box_label: str,
        measures: Sequence[Measure],
        linked: Collection[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Measures of “{short(box_label, 48)}”")
        self.setModal(True)
        intro = QLabel(
            f"Tick the measures that show whether “{short(box_label, 80)}” is moving. "
            "Space ticks or unticks, Enter saves, Esc cancels."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Measures of this project")
        self.list.setWordWrap(True)  # long measure names wrap instead of scrolling sideways
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSpacing(2)
        for measure in measures:
            item = QListWidgetItem(measure_title(measure))
            item.setData(MEASURE_ID_ROLE, measure.id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            checked = measure.id in linked
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if measure.definition:
                item.setToolTip(measure.definition)
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(600, 130 + 28 * min(12, max(3, self.list.count())))
        self.list.setFocus()

    def chosen(self) -> list[str]:
        """Ids of the ticked measures, in the list's order."""
        out = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(MEASURE_ID_ROLE)))
        return out

    def set_checked(self, measure_id: str, checked: bool) -> None:
        """Tick or untick one measure (for tests and scripting)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(MEASURE_ID_ROLE) == measure_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


def choose_measures(parent: QWidget, editor: DiagramEditor, node_id: str) -> MeasurePicker | None:
    """Open the picker for ``node_id``; saving sets its measures through ``editor``.

    Returns the open dialog, or ``None`` (with a message) when the project has no measures.
    """
    if editor.project_id is None or node_id not in editor.diagram:
        return None
    if not editor.measures:
        editor.message.emit(NO_MEASURES)
        return None
    picker = MeasurePicker(
        editor.label(node_id) or editor.diagram.node(node_id).kind.label,
        editor.measures,
        editor.diagram.measure_ids_of(node_id),
        parent,
    )
    picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    picker.accepted.connect(lambda: editor.set_measures(node_id, picker.chosen()))
    picker.finished.connect(lambda _result: parent.setFocus(Qt.FocusReason.OtherFocusReason))
    picker.open()
    return picker
