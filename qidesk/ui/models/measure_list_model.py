"""The measures panel's list: one row per measure of the current project (name, type, latest).

A thin adapter over :class:`MeasureRow` values the panel builds from the service; it changes
one row at a time when a ``Changes`` broadcast names a measure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qidesk.core.measures import Measure, Observation
from qidesk.core.periods import format_period
from qidesk.ui.panels.measure_cells import format_plotted

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class MeasureRow:
    """A measure with what the list shows about its data."""

    measure: Measure
    latest_value: float | None = None
    latest_period: date | None = None
    points: int = 0

    @classmethod
    def of(cls, measure: Measure, observations: Sequence[Observation]) -> MeasureRow:
        """The row of ``measure`` given its points in period order."""
        if not observations:
            return cls(measure)
        last = observations[-1]
        return cls(measure, last.plotted(measure), last.period, len(observations))

    def latest_text(self) -> str:
        """``85.0% (3 Mar 2025)``, or "no data yet"."""
        if self.latest_period is None:
            return "no data yet"
        value = format_plotted(self.measure, self.latest_value) or "—"
        return f"{value} ({format_period(self.latest_period, self.measure.period)})"


class MeasureColumn(IntEnum):
    """Columns of the measure list."""

    NAME = 0
    TYPE = 1
    LATEST = 2


_HEADERS = {
    MeasureColumn.NAME: "Measure",
    MeasureColumn.TYPE: "Type",
    MeasureColumn.LATEST: "Latest",
}


class MeasureListModel(QAbstractTableModel):
    """The measures of one project in display order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MeasureRow] = []

    def set_rows(self, rows: Sequence[MeasureRow]) -> None:
        """Show ``rows`` (a project was chosen, or measures were added or removed)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def update_row(self, row: MeasureRow) -> None:
        """Replace the row of ``row.measure`` (no-op when it is not listed)."""
        index = self.row_of(row.measure.id)
        if index < 0 or self._rows[index] == row:
            return
        self._rows[index] = row
        self.dataChanged.emit(self.index(index, 0), self.index(index, len(MeasureColumn) - 1))

    def rows(self) -> list[MeasureRow]:
        """Every row, top to bottom."""
        return list(self._rows)

    def row_of(self, measure_id: str) -> int:
        """The row of a measure (-1 when it is not listed)."""
        return next((i for i, r in enumerate(self._rows) if r.measure.id == measure_id), -1)

    def measure_at(self, row: int) -> Measure | None:
        """The measure in ``row``."""
        return self._rows[row].measure if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of measures."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Name, type and latest value."""
        return 0 if parent.isValid() else len(MeasureColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headings."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(MeasureColumn)
        ):
            return _HEADERS[MeasureColumn(section)]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Rows can be selected, not edited here (the editor does that)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Name, type label and latest value."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = MeasureColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column is MeasureColumn.NAME:
                return row.measure.name
            if column is MeasureColumn.TYPE:
                return row.measure.measure_type.label
            return row.latest_text()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is MeasureColumn.LATEST:
                return f"{row.points} point{'s' if row.points != 1 else ''}"
            return row.measure.definition or row.measure.name
        return None
