"""The list of a project's PDSA cycles as a Qt table (a thin adapter over a list of cycles)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qidesk.core.pdsa import PdsaCycle

_Index = QModelIndex | QPersistentModelIndex

#: Role under which every cell returns its cycle's id.
CYCLE_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class ListColumn(IntEnum):
    """Columns of the cycle list."""

    CYCLE = 0
    OBJECTIVE = 1
    STATUS = 2
    DATES = 3
    ACT = 4
    NOTES = 5


_HEADERS = {
    ListColumn.CYCLE: "Cycle",
    ListColumn.OBJECTIVE: "Objective",
    ListColumn.STATUS: "Status",
    ListColumn.DATES: "Dates",
    ListColumn.ACT: "Act",
    ListColumn.NOTES: "Notes",
}


def _day(d: date | None) -> str:
    return f"{d.day} {d.strftime('%b %Y')}" if d else "…"


def dates_text(cycle: PdsaCycle) -> str:
    """The dates, short: "3–7 Mar 2025", "24 Mar – 4 Apr 2025", "3 Mar 2025 – …" or ""."""
    start, end = cycle.start, cycle.end
    if start is None and end is None:
        return ""
    if start is None or end is None or start.year != end.year:
        return f"{_day(start)} – {_day(end)}"
    if start.month == end.month:
        return f"{start.day}–{_day(end)}"
    return f"{start.day} {start.strftime('%b')} – {_day(end)}"


class PdsaListModel(QAbstractTableModel):
    """One row per cycle, in ramp order; read-only."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cycles: list[PdsaCycle] = []
        self._notes: dict[str, int] = {}

    def set_cycles(self, cycles: Sequence[PdsaCycle], notes: Mapping[str, int]) -> None:
        """Show ``cycles``; ``notes`` maps a cycle id to its number of fidelity flags."""
        self.beginResetModel()
        self._cycles = list(cycles)
        self._notes = dict(notes)
        self.endResetModel()

    def cycle_at(self, row: int) -> PdsaCycle:
        """The cycle shown in ``row``."""
        return self._cycles[row]

    def row_of(self, cycle_id: str) -> int:
        """The row of ``cycle_id`` (-1 when it is not listed)."""
        return next((i for i, c in enumerate(self._cycles) if c.id == cycle_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """One row per cycle."""
        return 0 if parent.isValid() else len(self._cycles)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """See :class:`ListColumn`."""
        return 0 if parent.isValid() else len(ListColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if role == Qt.ItemDataRole.DisplayRole and orientation is Qt.Orientation.Horizontal:
            return _HEADERS[ListColumn(section)]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The text of each cell; the cycle id under :data:`CYCLE_ID_ROLE`."""
        if not index.isValid():
            return None
        c = self._cycles[index.row()]
        if role == CYCLE_ID_ROLE:
            return c.id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = ListColumn(index.column())
        notes = self._notes.get(c.id, 0)
        if role == Qt.ItemDataRole.ToolTipRole:
            return c.title
        values = {
            ListColumn.CYCLE: f"#{c.number} · {c.ramp_name}",
            ListColumn.OBJECTIVE: " ".join(c.objective.split()) or "(no objective yet)",
            ListColumn.STATUS: c.status.label,
            ListColumn.DATES: dates_text(c),
            ListColumn.ACT: c.decision.short if c.decision else "",
            ListColumn.NOTES: f"⚑ {notes}" if notes else "–",
        }
        return values[column]
