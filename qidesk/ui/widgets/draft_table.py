"""A keyboard-friendly table over a draft, with Add and Remove buttons (Insert / Delete keys).

Used by the charter's team, a coaching session's actions and a PDSA cycle's questions and
tasks. Tab leaves the table (no keyboard trap); arrow keys move, F2 or typing edits a cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.ui.models.draft_table_model import DraftTableModel


class DraftTable(QWidget):
    """A table over ``model`` (``source`` itself, or a proxy of it) that adds and removes rows.

    ``noun`` names one row in the buttons ("Add task", "Remove task") and in the view's
    accessible description; ``name`` is the view's accessible name. With ``rows_editable``
    false the cells can still be edited, but rows cannot be added or removed (no buttons, no
    Insert/Delete keys).
    """

    #: emitted when the user adds, removes or edits a row
    edited = Signal()

    def __init__(
        self,
        model: QAbstractItemModel,
        source: DraftTableModel[Any],
        noun: str,
        name: str,
        parent: QWidget | None = None,
        *,
        rows_editable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.view = QTableView(self)
        self.view.setModel(model)
        self.view.setAccessibleName(name)
        self.view.setAccessibleDescription(
            f"Arrow keys move, F2 edits, Insert adds a {noun}, Delete removes the selected {noun}."
        )
        self.view.setTabKeyNavigation(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.add_button = QPushButton(f"Add {noun}", self)
        self.add_button.setAccessibleName(f"Add {noun}")
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(f"Remove {noun}", self)
        self.remove_button.setAccessibleName(f"Remove selected {noun}")
        self.remove_button.clicked.connect(self.remove_selected)
        keys = (
            (QKeySequence(Qt.Key.Key_Insert), self.add_row, f"Add {noun}"),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected, f"Remove {noun}"),
        )
        for key, slot, text in keys if rows_editable else ():
            action = QAction(text, self.view)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        if rows_editable:
            buttons = QHBoxLayout()
            buttons.addWidget(self.add_button)
            buttons.addWidget(self.remove_button)
            buttons.addStretch(1)
            layout.addLayout(buttons)
        else:
            self.add_button.hide()
            self.remove_button.hide()
            self.view.setAccessibleDescription("Arrow keys move, F2 edits a cell.")
        source.rows_edited.connect(self.edited)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        model.modelReset.connect(self._update_buttons)
        model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    def add_row(self) -> None:
        """Add an empty row and start editing its first visible editable cell."""
        row = self.source.add_row()
        model = self.view.model()
        column = next(
            (
                c
                for c in range(model.columnCount())
                if not self.view.isColumnHidden(c)
                and model.flags(model.index(row, c)) & Qt.ItemFlag.ItemIsEditable
            ),
            0,
        )
        index = model.index(row, column)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def remove_selected(self) -> None:
        """Remove the selected row, keeping the selection in place."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        row = rows[0].row()
        self.source.remove_row(row)
        count = self.view.model().rowCount()
        if count:
            self.view.selectRow(min(row, count - 1))

    def set_columns(self, visible: Sequence[int], widths: dict[int, int]) -> None:
        """Show only ``visible`` columns, with optional starting widths."""
        for c in range(self.view.model().columnCount()):
            self.view.setColumnHidden(c, c not in visible)
        for c, w in widths.items():
            self.view.setColumnWidth(c, w)

    def fit_rows_to_text(self) -> None:
        """Wrap long text: the last column takes the spare width, rows grow to their text."""
        self.view.setWordWrap(True)
        self.view.horizontalHeader().setStretchLastSection(True)
        model = self.view.model()
        model.modelReset.connect(self.view.resizeRowsToContents)
        model.dataChanged.connect(self.view.resizeRowsToContents)
        model.rowsInserted.connect(self.view.resizeRowsToContents)
        self.view.horizontalHeader().sectionResized.connect(self.view.resizeRowsToContents)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))
