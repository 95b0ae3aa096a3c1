"""The project list as a Qt table: a thin adapter over ``list[ProjectRow]``.

``ProjectListModel`` shows the rows it was given and nothing else; ``ProjectListProxy`` filters and
sorts them by asking :class:`qidesk.core.portfolio.ProjectFilter` and
:func:`qidesk.core.portfolio.sort_value` (no finding rules live in Qt).
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from qidesk.core.portfolio import ProjectFilter, ProjectRow, SortKey, sort_value

_Index = QModelIndex | QPersistentModelIndex

#: Role under which every cell returns its row's project id.
PROJECT_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Column(IntEnum):
    """The columns of the project list, in display order."""

    TITLE = 0
    WORK_TYPE = 1
    STATUS = 2
    PHASE = 3
    DIVISION = 4
    SCORE = 5
    DAYS = 6
    SCORE_CHECK = 7

    @property
    def header(self) -> str:
        """The column heading."""
        return _HEADERS[self]

    @property
    def sort_key(self) -> SortKey:
        """The portfolio sort key this column sorts by."""
        return _SORT_KEYS[self]


_HEADERS = {
    Column.TITLE: "Title",
    Column.WORK_TYPE: "Work type",
    Column.STATUS: "Status",
    Column.PHASE: "Phase",
    Column.DIVISION: "Division",
    Column.SCORE: "Score",
    Column.DAYS: "Days since update",
    Column.SCORE_CHECK: "Score check",
}

_SORT_KEYS = {
    Column.TITLE: SortKey.TITLE,
    Column.WORK_TYPE: SortKey.WORK_TYPE,
    Column.STATUS: SortKey.STATUS,
    Column.PHASE: SortKey.PHASE,
    Column.DIVISION: SortKey.DIVISION,
    Column.SCORE: SortKey.SCORE,
    Column.DAYS: SortKey.DAYS_SINCE_UPDATE,
    Column.SCORE_CHECK: SortKey.SCORE_CHECK,
}


class ProjectListModel(QAbstractTableModel):
    """Presents ``list[ProjectRow]`` as a read-only table, one project per row.

    :meth:`set_rows` replaces the rows and tells attached views exactly what changed (rows removed,
    rows updated, rows added), so selections and scroll positions survive a refresh.
    """

    def __init__(self, today: date | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProjectRow] = []
        self._today = today

    # -- the rows -------------------------------------------------------------------------------

    @property
    def today(self) -> date | None:
        """The date "days since update" is counted to (``None`` = the real today)."""
        return self._today

    def rows(self) -> list[ProjectRow]:
        """The rows shown (a copy)."""
        return list(self._rows)

    def row_at(self, row: int) -> ProjectRow:
        """The project row shown in model row ``row``."""
        return self._rows[row]

    def row_of(self, project_id: str) -> int:
        """The model row of ``project_id`` (-1 when it is not shown)."""
        for i, r in enumerate(self._rows):
            if r.project.id == project_id:
                return i
        return -1

    def set_rows(self, rows: list[ProjectRow]) -> None:
        """Show ``rows``: removed projects leave, changed ones update in place, new ones append."""
        wanted = {r.project.id: r for r in rows}
        for i in reversed(range(len(self._rows))):
            if self._rows[i].project.id not in wanted:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        last_column = len(Column) - 1
        for i, old in enumerate(self._rows):
            new = wanted[old.project.id]
            if new != old:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, last_column))
        shown = {r.project.id for r in self._rows}
        added = [r for r in rows if r.project.id not in shown]
        if added:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            self._rows.extend(added)
            self.endInsertRows()

    # -- QAbstractTableModel ----------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of projects (0 under any parent: this is a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of columns (0 under any parent)."""
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headings; rows have none."""
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return Column(section).header
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Rows can be selected, not edited (the charter panel edits)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The text, tooltip, alignment, font and project id of one cell."""
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.header}: {self._text(row, column)}"
        if role == PROJECT_ID_ROLE:
            return row.project.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.SCORE, Column.DAYS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.project.archived:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _text(self, row: ProjectRow, column: Column) -> str:
        p = row.project
        if column is Column.TITLE:
            return f"{p.title} (archived)" if p.archived else p.title
        if column is Column.WORK_TYPE:
            return p.work_type.label
        if column is Column.STATUS:
            return p.status.label
        if column is Column.PHASE:
            return p.phase.label
        if column is Column.DIVISION:
            return p.division
        if column is Column.SCORE:
            return f"{p.score.value:.1f}" if p.score else "–"
        if column is Column.SCORE_CHECK:
            return row.score_check(self._today)
        return str(row.days_since_update(self._today))

    def _tooltip(self, row: ProjectRow, column: Column) -> str:
        p = row.project
        if column is Column.SCORE:
            if p.score is None:
                return "Not scored yet"
            return f"IHI progress score {p.score.value:.1f}: {p.score.label}"
        if column is Column.DAYS:
            days = row.days_since_update(self._today)
            return f"Last changed {days} day{'s' if days != 1 else ''} ago"
        if column is Column.TITLE:
            return p.aim.statement() if p.aim.what.strip() else p.title
        if column is Column.SCORE_CHECK:
            reasons = row.score_check_reasons(self._today)
            if reasons:
                return reasons
            if row.suggested_score is None:
                return "Use “Compare scores with the evidence” to check the score against the data"
            return "The team's score agrees with the evidence"
        return self._text(row, column)


class ProjectListProxy(QSortFilterProxyModel):
    """Filters and sorts a :class:`ProjectListModel` with the portfolio rules of ``qidesk.core``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._filter = ProjectFilter()
        self.setDynamicSortFilter(True)

    @property
    def project_filter(self) -> ProjectFilter:
        """The filter in force."""
        return self._filter

    def set_project_filter(self, flt: ProjectFilter) -> None:
        """Show only the rows that ``flt`` matches."""
        if flt == self._filter:
            return
        self.beginFilterChange()
        self._filter = flt
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _source(self) -> ProjectListModel:
        source = self.sourceModel()
        assert isinstance(source, ProjectListModel)
        return source

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: ARG002
        """Ask the portfolio filter."""
        source = self._source()
        return self._filter.matches(source.row_at(source_row), source.today)

    def lessThan(self, left: _Index, right: _Index) -> bool:
        """Compare with the portfolio sort value of the column (ties: by title)."""
        source = self._source()
        key = Column(left.column()).sort_key
        a, b = source.row_at(left.row()), source.row_at(right.row())
        va, vb = sort_value(a, key, source.today), sort_value(b, key, source.today)
        if va != vb:
            return va < vb
        return sort_value(a, SortKey.TITLE) < sort_value(b, SortKey.TITLE)

    def project_id(self, proxy_row: int) -> str | None:
        """The project id shown in proxy row ``proxy_row`` (``None`` when out of range)."""
        if not 0 <= proxy_row < self.rowCount():
            return None
        value = self.index(proxy_row, 0).data(PROJECT_ID_ROLE)
        return value if isinstance(value, str) else None

    def proxy_row_of(self, project_id: str) -> int:
        """The proxy row showing ``project_id`` (-1 when filtered out or absent)."""
        source_row = self._source().row_of(project_id)
        if source_row < 0:
            return -1
        return self.mapFromSource(self._source().index(source_row, 0)).row()
