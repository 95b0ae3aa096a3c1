"""The data grid: a ``QTableView`` built for typing a week's numbers in seconds.

* type to edit (no double-click): any printable key opens the cell with the key typed;
* Enter commits and moves down; after Tab-bing along a row, Enter goes back to the column
  where the Tab-bing started (as in Excel), so "numerator Tab denominator Enter" lands on the
  next period's numerator. On a half-typed new point Enter goes to the half still missing;
* Tab / Shift+Tab move right / left and wrap to the next / previous row; Tab from the last
  cell and Ctrl+Tab leave the grid (no keyboard trap);
* Delete, Ctrl+V, Ctrl+C, Space on the Excluded column and the context menu (menu key or
  Shift+F10) are reported as signals: the panel turns them into undo commands.

The grid holds no data and does no arithmetic; it only moves the cursor and reports keys.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QWidget,
)

from qidesk.ui.models.observations_model import ObservationsModel
from qidesk.ui.panels.measure_cells import Field

_Index = QModelIndex | QPersistentModelIndex
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class DataGrid(QTableView):
    """Keyboard-first grid over an :class:`ObservationsModel`.

    Signals:
        delete_pressed(list): Delete/Backspace on these ``(row, column)`` cells.
        paste_pressed(int, int, str): Ctrl+V at ``(row, column)`` with the clipboard text.
        exclude_toggled(int): Space on the Excluded cell of this row.
        menu_requested(QPoint): the context menu was asked for at this viewport position.
    """

    delete_pressed = Signal(list)
    paste_pressed = Signal(int, int, str)
    exclude_toggled = Signal(int)
    menu_requested = Signal(QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("data_grid")
        self.setAccessibleName("Data points")
        self.setAccessibleDescription(
            "One row per period. Type to enter a number; Enter moves down, Tab moves right. "
            "The last row, New, adds the next period's point. Ctrl+Tab leaves the grid."
        )
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setHighlightSections(False)
        self.horizontalHeader().setStretchLastSection(True)
        self._tab_origin: tuple[date | None, int] | None = None  # (period, column) Tab began
        self._edit_period: date | None = None

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the current cell (usually the next period's) in view when the grid resizes."""
        super().resizeEvent(event)
        current = self.currentIndex()
        if current.isValid():
            self.scrollTo(current)

    # ------------------------------------------------------------------ helpers
    def grid_model(self) -> ObservationsModel | None:
        """The observations model shown (``None`` before one is set)."""
        model = self.model()
        return model if isinstance(model, ObservationsModel) else None

    def go_to(self, row: int, column: int) -> None:
        """Make ``(row, column)`` the current cell and show it."""
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        row = max(0, min(row, model.rowCount() - 1))
        column = max(0, min(column, model.columnCount() - 1))
        index = model.index(row, column)
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def go_to_new_row(self, field: Field | None = None) -> None:
        """Put the cursor on the "next period" row, in ``field``'s column (the first number)."""
        model = self.grid_model()
        if model is None or model.measure is None:
            return
        column = model.column_of(field) if field is not None else -1
        if column < 0:
            column = model.column_of(Field.VALUE)
            if column < 0:
                column = model.column_of(Field.NUMERATOR)
        self.go_to(model.new_row, column)

    def selected_cells(self) -> list[tuple[int, int]]:
        """The selected cells (or the current one) as ``(row, column)``, top to bottom."""
        cells = sorted({(i.row(), i.column()) for i in self.selectedIndexes()})
        current = self.currentIndex()
        if not cells and current.isValid():
            cells = [(current.row(), current.column())]
        return cells

    # ------------------------------------------------------------------ editing and moving
    def commitData(self, editor: QWidget) -> None:
        """Before a typed cell is saved, remember its period (to move on from it afterwards)."""
        model = self.grid_model()
        current = self.currentIndex()
        if model is not None and current.isValid():
            self._edit_period = model.period_at(current.row())
        super().commitData(editor)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """After a commit, move as a spreadsheet does (Enter: down; Tab: right)."""
        move = {
            QAbstractItemDelegate.EndEditHint.SubmitModelCache: "down",
            QAbstractItemDelegate.EndEditHint.EditNextItem: "right",
            QAbstractItemDelegate.EndEditHint.EditPreviousItem: "left",
        }.get(hint)
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if move == "down":
            self.move_down()
        elif move == "right":
            self.move_across(1)
        elif move == "left":
            self.move_across(-1)

    def _start_cell(self, model: ObservationsModel) -> tuple[int, int, date | None] | None:
        """The cell to move on from, with its period.

        That is the cell just typed in (its row may have moved), else the current cell.
        """
        current = self.currentIndex()
        if not current.isValid():
            return None
        row, column = current.row(), current.column()
        period, self._edit_period = self._edit_period, None
        if period is not None:
            stored = model.row_of_period(period)
            if stored >= 0:
                row = stored
        return row, column, model.period_at(row)

    def move_down(self) -> None:
        """Enter: go to the next row (the column where Tab-bing began, else this column).

        On the new row with a half-typed point, go to the half that is still missing; on a
        refused cell, stay so that its reason can be read and the value fixed.
        """
        model = self.grid_model()
        start = self._start_cell(model) if model is not None else None
        if model is None or start is None:
            return
        row, column, period = start
        if model.refusal_at(row, column) is not None:
            self.go_to(row, column)
            return
        if self._tab_origin is not None and self._tab_origin[0] == period:
            column = self._tab_origin[1]
        self._tab_origin = None
        missing = model.missing_field()
        if missing is not None and model.is_new_row(row):
            self.go_to(row, model.column_of(missing))
            return
        self.go_to(row + 1, column)

    def move_across(self, step: int) -> None:
        """Tab / Shift+Tab: the next / previous editable cell, wrapping to the next row."""
        model = self.grid_model()
        start = self._start_cell(model) if model is not None else None
        if model is None or start is None:
            return
        row, column, period = start
        if self._tab_origin is None or self._tab_origin[0] != period:
            self._tab_origin = (period, column)
        rows, columns = model.rowCount(), model.columnCount()
        while True:
            column += step
            if column >= columns:
                row, column = row + 1, 0
            elif column < 0:
                row, column = row - 1, columns - 1
            if not 0 <= row < rows:
                self.focusNextPrevChild(step > 0, leave=True)
                return
            index = model.index(row, column)
            if model.flags(index) & (Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable):
                self.go_to(row, column)
                return

    def focusNextPrevChild(self, next: bool, leave: bool = False) -> bool:
        """Tab inside the grid moves between cells; ``leave`` moves the focus out."""
        if leave or self.state() == QAbstractItemView.State.EditingState:
            return QWidget.focusNextPrevChild(self, next)
        if self.tabKeyNavigation() and self.currentIndex().isValid():
            self.move_across(1 if next else -1)
            return True
        return QWidget.focusNextPrevChild(self, next)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Spreadsheet keys: Enter, Delete, Ctrl+V/C, Space on Excluded, Ctrl+Tab out."""
        editing = self.state() == QAbstractItemView.State.EditingState
        if editing:
            super().keyPressEvent(event)
            return
        current = self.currentIndex()
        key = event.key()
        mods = event.modifiers()
        if event.matches(QKeySequence.StandardKey.Paste):
            text = QGuiApplication.clipboard().text()
            row = current.row() if current.isValid() else 0
            column = current.column() if current.isValid() else 0
            self.paste_pressed.emit(row, column, text)
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if key == Qt.Key.Key_Tab and mods & Qt.KeyboardModifier.ControlModifier:
            QWidget.focusNextPrevChild(self, True)
            return
        if key in _ENTER and not mods & Qt.KeyboardModifier.ControlModifier:
            self.move_down()
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and current.isValid():
            self.delete_pressed.emit(self.selected_cells())
            return
        model = self.grid_model()
        if (
            key == Qt.Key.Key_Space
            and model is not None
            and current.isValid()
            and model.field_at(current.column()) is Field.EXCLUDED
        ):
            self.exclude_toggled.emit(current.row())
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Report a context menu: at the mouse, or (menu key, Shift+F10) at the current cell."""
        current = self.currentIndex()
        if event.reason() == QContextMenuEvent.Reason.Keyboard and current.isValid():
            self.menu_requested.emit(self.visualRect(current).center())
        else:
            self.menu_requested.emit(event.pos())
        event.accept()

    def copy_selection(self) -> None:
        """Copy the selected cells as tab-separated text (pastes into Excel as cells)."""
        model = self.model()
        cells = self.selected_cells()
        if model is None or not cells:
            return
        rows = sorted({r for r, _ in cells})
        columns = sorted({c for _, c in cells})
        lines = []
        for row in rows:
            values = []
            for column in columns:
                index = model.index(row, column)
                check = model.data(index, Qt.ItemDataRole.CheckStateRole)
                if check is not None:
                    values.append("yes" if check == Qt.CheckState.Checked else "")
                else:
                    values.append(str(model.data(index, Qt.ItemDataRole.EditRole) or ""))
            lines.append("\t".join(values))
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
