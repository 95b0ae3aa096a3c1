"""The base of every editable draft table: a flat Qt table over a list of immutable values.

A *draft* is what a form will save (a charter's team, a coaching session's actions, a PDSA
cycle's questions and tasks); it becomes the record's only when the form is saved through one
undo command. Rows are immutable values: an edit replaces the row's value. Subclasses give the
columns' titles and say how each cell reads and writes (``data``/``setData``); this class owns
the list, adding and removing rows, the Qt bookkeeping, and the ``rows_edited`` announcement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

_Index = QModelIndex | QPersistentModelIndex
RowT = TypeVar("RowT")


def check_cell(checked: bool, role: int, spoken: tuple[str, str]) -> Any:
    """What a check-box cell gives at ``role`` (``None`` at roles it does not answer).

    Its check state, or the words a screen reader says (``spoken``: ticked, not ticked).
    """
    if role == Qt.ItemDataRole.CheckStateRole:
        return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
    if role == Qt.ItemDataRole.AccessibleTextRole:
        return spoken[0] if checked else spoken[1]
    return None


def is_checked(value: Any) -> bool:
    """True when ``value`` (a check state or its int value, as views send it) means ticked."""
    return Qt.CheckState(value) == Qt.CheckState.Checked


class DraftTableModel(QAbstractTableModel, Generic[RowT]):
    """A list of immutable rows edited by replacing them; announces the user's edits.

    ``blank`` makes the row that :meth:`add_row` appends when given none (``None``: rows are
    always added with their value). Subclasses set :attr:`titles` (one heading per column, in
    column order) and :attr:`check_columns` (columns shown as check boxes rather than edited
    as text), and implement ``data``/``setData`` with :meth:`row_at` and :meth:`_replace`.
    """

    #: emitted after the user adds, removes or edits a row (never on :meth:`set_values`)
    rows_edited = Signal()

    #: heading of each column, in column order
    titles: ClassVar[tuple[str, ...]] = ()
    #: columns that are check boxes (user-checkable, not editable)
    check_columns: ClassVar[frozenset[int]] = frozenset()
    #: whether the vertical header numbers the rows (1, 2, 3...)
    numbered_rows: ClassVar[bool] = False

    def __init__(self, blank: Callable[[], RowT] | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []
        self._blank = blank

    def values(self) -> tuple[RowT, ...]:
        """The draft rows, in table order."""
        return tuple(self._rows)

    def set_values(self, rows: Sequence[RowT]) -> None:
        """Show ``rows`` (loading a record; does not count as an edit)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def add_row(self, value: RowT | None = None) -> int:
        """Append ``value`` (an empty row when ``None``); return its row."""
        if value is None:
            if self._blank is None:
                raise TypeError(f"{type(self).__name__} has no empty row: give the value")
            value = self._blank()
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(value)
        self.endInsertRows()
        self.rows_edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        """Remove row ``row`` (nothing happens when there is no such row)."""
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.rows_edited.emit()

    def row_at(self, index: _Index) -> RowT | None:
        """The value in ``index``'s row; ``None`` for an invalid index or a row not shown."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def _replace(self, index: _Index, value: RowT) -> bool:
        """Put ``value`` in ``index``'s row and announce it; False when nothing changed."""
        if self._rows[index.row()] == value:
            return False
        self._rows[index.row()] = value
        self.dataChanged.emit(index, index)
        self.rows_edited.emit()
        return True

    # Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """One column per title."""
        return 0 if parent.isValid() else len(self.titles)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles; row numbers down the side when :attr:`numbered_rows`."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation is Qt.Orientation.Horizontal:
            return self.titles[section] if 0 <= section < len(self.titles) else None
        return str(section + 1) if self.numbered_rows else None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Every cell is editable, except check-box columns, which are user-checkable."""
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() in self.check_columns:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable
