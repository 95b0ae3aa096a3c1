"""The data grid's model: a thin Qt adapter over one measure's observations.

Rows are the measure's points (core :class:`~qidesk.core.measures.Observation` values, in period
order) plus one empty "next period" row at the bottom, whose period is filled in from the
measure's period. The model holds no data of its own: the panel hands it the stored points
(:meth:`ObservationsModel.sync`) after every ``Changes`` broadcast, and it updates only the rows
that changed.

Typing a cell builds a new ``Observation`` and hands ONE batch of edits to ``edit_sink`` (the panel
pushes it as an undo command). A cell that cannot be saved is refused: nothing is submitted, and
the cell keeps the typed text marked with the reason (background, icon, tooltip, accessible
description and :meth:`ObservationsModel.problem_lines` for the message under the grid), so
colour is never the only cue. For ratio measures the new row keeps a half-typed point (a
numerator without its denominator, or the other way round) until both are there.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from qidesk.core.measures import Measure, Observation
from qidesk.core.pasted import CellError
from qidesk.core.periods import format_date, format_period, next_period, off_grid_reason, snap
from qidesk.services.measures import ObservationEdit
from qidesk.ui.panels.measure_cells import (
    Field,
    columns_for,
    duplicate_reason,
    format_cell,
    format_number,
    parse_field,
    point_problems,
    with_field,
)

_Index = QModelIndex | QPersistentModelIndex

#: receives one batch of edits and the undo text (the panel pushes an undo command)
EditSink = Callable[[Sequence[ObservationEdit], str], None]
#: asked before free text is saved: ``(field label, text) -> save it?`` (patient-detail guard)
TextGuard = Callable[[str, str], bool]

#: row key of the empty "next period" row in the refusal table
NEW_ROW = "\0new"

#: light red behind a refused cell (the icon, the text and the tooltip say the same)
REFUSED_BACKGROUND = QColor("#fde7e4")
#: dark red text of a refused cell (6.7:1 on white)
REFUSED_TEXT = QColor("#b3200f")
#: pale yellow behind the new row's cells while a half-typed point waits for its other half
PENDING_BACKGROUND = QColor("#fff7cc")
#: grey-blue text of the new row's hints and of read-only cells (NHS grey-1, 6.4:1 on white)
HINT_TEXT = QColor("#4c6272")
#: background of the read-only "Plotted value" column
READ_ONLY_BACKGROUND = QColor("#f0f4f5")


@dataclass(frozen=True)
class RefusedCell:
    """A typed cell that was not saved: where, what was typed and why."""

    period: date
    field: Field
    text: str
    reason: str

    def describe(self, period_text: str) -> str:
        """One line for the message under the grid."""
        shown = f"“{self.text.strip()}”" if self.text.strip() else "an empty cell"
        return f"{period_text}, {self.field.label}: {shown} was not saved — {self.reason}."


def _icon(pixmap: QStyle.StandardPixmap) -> QIcon:
    style = QApplication.style()
    return style.standardIcon(pixmap) if style is not None else QIcon()


class ObservationsModel(QAbstractTableModel):
    """One row per data point of a measure, plus the "next period" row for the next point.

    Signals:
        problems_changed(): the set of refused cells (or the half-typed point) changed.
        reason_needed(int): the Excluded box of this row was ticked, but excluding needs a
            reason; the view asks for one (nothing was changed).
    """

    problems_changed = Signal()
    reason_needed = Signal(int)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        edit_sink: EditSink | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.edit_sink: EditSink = edit_sink or (lambda _edits, _text: None)
        self.text_guard: TextGuard = lambda _label, _text: True
        self._today = today
        self._measure: Measure | None = None
        self._columns: tuple[Field, ...] = ()
        self._obs: list[Observation] = []
        self._index: dict[str, int] = {}
        self._pending: dict[Field, Any] = {}
        self._new_period: date | None = None
        self._next: date = today()  # the period after the last point, updated after each sync
        self._refused: dict[tuple[str, Field], RefusedCell] = {}
        self._icons: dict[str, QIcon] = {}

    # ------------------------------------------------------------------ content
    @property
    def measure(self) -> Measure | None:
        """The measure shown (``None`` when none is)."""
        return self._measure

    @property
    def columns(self) -> tuple[Field, ...]:
        """The columns, left to right."""
        return self._columns

    def observations(self) -> tuple[Observation, ...]:
        """The points shown, in period order."""
        return tuple(self._obs)

    def column_of(self, field: Field) -> int:
        """The column of ``field`` (-1 when this measure has no such column)."""
        return self._columns.index(field) if field in self._columns else -1

    def field_at(self, column: int) -> Field | None:
        """The field shown in ``column``."""
        return self._columns[column] if 0 <= column < len(self._columns) else None

    @property
    def new_row(self) -> int:
        """The row of the empty "next period" row (the last row; -1 without a measure)."""
        return len(self._obs) if self._measure is not None else -1

    def is_new_row(self, row: int) -> bool:
        """True for the "next period" row."""
        return self._measure is not None and row == len(self._obs)

    def observation_at(self, row: int) -> Observation | None:
        """The point in ``row`` (``None`` for the new row or out of range)."""
        return self._obs[row] if 0 <= row < len(self._obs) else None

    def row_of(self, observation_id: str) -> int:
        """The row of a point (-1 when it is not shown)."""
        return self._index.get(observation_id, -1)

    def row_of_period(self, period: date) -> int:
        """The row of the point of ``period`` (-1 when there is none)."""
        return next((i for i, o in enumerate(self._obs) if o.period == period), -1)

    def new_row_period(self) -> date:
        """The period the new row will get: the one after the last point (or this period)."""
        if self._new_period is not None:
            return self._new_period
        return self._next

    def _update_next(self) -> None:
        """Work out the new row's period again (after rows were added, removed or changed).

        Kept as a value rather than worked out on every ``data()`` call, so that the new row
        does not change in the middle of an insertion (it changes with its own ``dataChanged``).
        """
        measure = self._measure
        if measure is None:
            self._next = self._today()
        elif self._obs:
            self._next = next_period(self._obs[-1].period, measure.period)
        else:
            self._next = snap(self._today(), measure.period, measure.week_start)

    def period_at(self, row: int) -> date | None:
        """The period of ``row`` (the new row's too)."""
        if self.is_new_row(row):
            return self.new_row_period()
        obs = self.observation_at(row)
        return obs.period if obs else None

    def pending(self) -> dict[Field, Any]:
        """The half-typed point of the new row (field -> typed value), empty when none."""
        return dict(self._pending)

    def missing_field(self) -> Field | None:
        """The field the half-typed point still needs (``None`` when nothing is half-typed)."""
        measure = self._measure
        if measure is None or not self._pending:
            return None
        needed = (Field.NUMERATOR, Field.DENOMINATOR) if measure.is_ratio else (Field.VALUE,)
        have = [f for f in needed if f in self._pending]
        if not have:
            return None
        return next((f for f in needed if f not in self._pending), None)

    def set_measure(self, measure: Measure | None, observations: Sequence[Observation]) -> None:
        """Show ``measure`` and its points (forgets any half-typed point and refusals)."""
        self.beginResetModel()
        self._measure = measure
        self._columns = columns_for(measure)
        self._obs = sorted(observations, key=lambda o: o.period)
        self._index = {o.id: i for i, o in enumerate(self._obs)}
        self._pending.clear()
        self._new_period = None
        self._refused.clear()
        self._update_next()
        self.endResetModel()
        self.problems_changed.emit()

    def update_measure(self, measure: Measure) -> None:
        """Follow a change of the measure's definition (units, decimals, period, data type)."""
        old = self._measure
        if old is None or old.id != measure.id or columns_for(measure) != self._columns:
            self.set_measure(measure, self._obs if old and old.id == measure.id else [])
            return
        self._measure = measure
        self._update_next()
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, len(self._columns) - 1)
            )

    def sync(
        self, observations: Sequence[Observation], touched: Collection[str] | None = None
    ) -> None:
        """Follow the stored points after a change; only rows in ``touched`` are compared.

        ``observations`` are all the measure's points in period order (``ChartData`` gives
        them). ``touched`` are the ids the change named (``None``: compare every row).
        """
        new = list(observations)
        if self._sync_in_place(new, touched):
            return
        new_index = {o.id: i for i, o in enumerate(new)}
        self._remove_missing(new_index)
        kept = {o.id for o in self._obs}
        if [o.id for o in new if o.id in kept] != [o.id for o in self._obs]:
            self._reset_rows(new)  # a point moved to another period: rows re-ordered
            return
        self._insert_new(new, kept)
        changed = [
            pos
            for pos, o in enumerate(new)
            if (touched is None or o.id in touched) and self._obs[pos] != o
        ]
        self._obs = new
        self._index = new_index
        self._rows_changed(changed)

    def _sync_in_place(self, new: list[Observation], touched: Collection[str] | None) -> bool:
        """The fast path of a typed edit: same rows, some of them changed in place."""
        if touched is None or len(new) != len(self._obs):
            return False
        rows: list[int] = []
        for obs_id in touched:
            row = self._index.get(obs_id)
            if row is None or new[row].id != obs_id:
                return False
            rows.append(row)
        changed = [row for row in rows if self._obs[row] != new[row]]
        self._obs = new
        self._rows_changed(changed)
        return True

    def _remove_missing(self, new_index: dict[str, int]) -> None:
        gone = [i for i, o in enumerate(self._obs) if o.id not in new_index]
        for first, last in reversed(_ranges(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            removed = self._obs[first : last + 1]
            del self._obs[first : last + 1]
            self.endRemoveRows()
            for obs in removed:
                self._drop_refusals(obs.id)
        if gone:
            self._index = {o.id: i for i, o in enumerate(self._obs)}

    def _insert_new(self, new: list[Observation], kept: set[str]) -> None:
        pos = 0
        while pos < len(new):
            if new[pos].id in kept:
                pos += 1
                continue
            end = pos
            while end < len(new) and new[end].id not in kept:
                end += 1
            self.beginInsertRows(QModelIndex(), pos, end - 1)
            self._obs[pos:pos] = new[pos:end]
            self.endInsertRows()
            pos = end

    def _reset_rows(self, new: list[Observation]) -> None:
        self.beginResetModel()
        self._obs = new
        self._index = {o.id: i for i, o in enumerate(new)}
        live = set(self._index)
        self._refused = {k: v for k, v in self._refused.items() if k[0] in live or k[0] == NEW_ROW}
        self._update_next()
        self.endResetModel()
        self.problems_changed.emit()

    def _rows_changed(self, rows: list[int]) -> None:
        self._update_next()
        last_column = len(self._columns) - 1
        dropped = len(self._refused)
        for row in rows:
            self._drop_refusals(self._obs[row].id, emit=False)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
        new_row = self.new_row
        self.dataChanged.emit(self.index(new_row, 0), self.index(new_row, last_column))
        if len(self._refused) != dropped:
            self.problems_changed.emit()

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """The points plus the "next period" row."""
        if parent.isValid() or self._measure is None:
            return 0
        return len(self._obs) + 1

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Period, the numbers, plotted value, excluded, reason and note."""
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headings; row numbers, and "New" for the next-period row."""
        if orientation == Qt.Orientation.Horizontal:
            field = self.field_at(section)
            if field is None:
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return field.label
            if role == Qt.ItemDataRole.ToolTipRole:
                return _COLUMN_TIPS[field]
            return None
        if not 0 <= section < self.rowCount():
            return None
        new = self.is_new_row(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return "New" if new else str(section + 1)
        if role == Qt.ItemDataRole.ToolTipRole and new:
            return f"Type here to add the point for {format_date(self.new_row_period())}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Numbers, period, reason and note are editable; Excluded is a checkbox."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        field = self.field_at(index.column())
        new = self.is_new_row(index.row())
        if field is Field.PLOTTED:
            return base
        if field is Field.EXCLUDED:
            return base if new else base | Qt.ItemFlag.ItemIsUserCheckable
        if field is Field.EXCLUDE_REASON and new:
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Cell text, check state, and the marks of refused and half-typed cells.

        Called for every role of every visible cell on each paint, so it does the cheap
        tests first (stored points with no refused cell are the common case).
        """
        measure = self._measure
        if measure is None:
            return None
        row, column = index.row(), index.column()
        points = self._obs
        if not 0 <= column < len(self._columns) or not 0 <= row <= len(points):
            return None
        field = self._columns[column]
        role = int(role)
        if row < len(points):
            obs = points[row]
            refused = self._refused.get((obs.id, field)) if self._refused else None
            if refused is None:
                return self._point_data(measure, obs, field, role)
        else:
            refused = self._refused.get((NEW_ROW, field)) if self._refused else None
            if refused is None:
                return self._new_row_data(measure, field, role)
        return self._refused_data(refused, role)

    def _refused_data(self, refused: RefusedCell, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return refused.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Not saved: {refused.reason}."
        if role == Qt.ItemDataRole.DecorationRole:
            return self._std_icon("warning", QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(REFUSED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(REFUSED_TEXT)
        if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return f"{refused.field.label} “{refused.text}” not saved: {refused.reason}"
        return None

    def _new_row_data(self, measure: Measure, field: Field, role: int) -> Any:
        missing = self.missing_field()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if field is Field.PERIOD:
                return format_period(self.new_row_period(), measure.period)
            if field in self._pending:
                value = self._pending[field]
                return format_number(value) if field.is_number else str(value)
            if field is missing and role == Qt.ItemDataRole.DisplayRole:
                return f"needs a {field.label.lower()}"
            return ""
        if role == Qt.ItemDataRole.ToolTipRole:
            if field is missing:
                return f"Type the {field.label.lower()} to save this point"
            return f"New point for {format_date(self.new_row_period())}: type to add it"
        if role == Qt.ItemDataRole.DecorationRole and field is missing:
            return self._std_icon("info", QStyle.StandardPixmap.SP_MessageBoxInformation)
        if role == Qt.ItemDataRole.BackgroundRole and missing is not None:
            if field in self._pending or field is missing:
                return QBrush(PENDING_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and (field is Field.PERIOD or field is missing):
            return QBrush(HINT_TEXT)
        if role == Qt.ItemDataRole.FontRole and (field is Field.PERIOD or field is missing):
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and field.is_number:
            return _RIGHT
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._new_row_data(measure, field, Qt.ItemDataRole.DisplayRole)
            return f"New row, {field.label}: {text or 'empty'}"
        return None

    def _point_data(self, measure: Measure, obs: Observation, field: Field, role: int) -> Any:
        if role in _TEXT_ROLES:
            return None if field is Field.EXCLUDED else format_cell(measure, obs, field)
        if role == _CHECK:
            if field is Field.EXCLUDED:
                return Qt.CheckState.Checked if obs.excluded else Qt.CheckState.Unchecked
            return None
        if role == _ALIGN:
            return _RIGHT if field in _RIGHT_ALIGNED else None
        if role == _BACKGROUND:
            return _READ_ONLY_BRUSH if field is Field.PLOTTED else None
        if role == _FOREGROUND:
            return _HINT_BRUSH if obs.excluded else None
        if role == _TOOLTIP:
            return self._point_tip(measure, obs, field)
        if role == _ACCESSIBLE_TEXT:
            if field is Field.EXCLUDED:
                return f"Excluded: {'yes' if obs.excluded else 'no'}"
            return f"{field.label}: {format_cell(measure, obs, field) or 'empty'}"
        return None

    def _point_tip(self, measure: Measure, obs: Observation, field: Field) -> str | None:
        if field is Field.PLOTTED:
            base = "Worked out from the numerator and denominator" if measure.is_ratio else ""
            excluded = " (excluded from the centre line and limits)" if obs.excluded else ""
            return f"{base}{excluded}".strip() or None
        if field is Field.EXCLUDED:
            if obs.excluded:
                return f"Excluded: {obs.exclude_reason}"
            return "Tick to leave this point out of the centre line and limits (asks why)"
        if field is Field.NOTE and obs.note:
            return obs.note
        return None

    def _std_icon(self, name: str, pixmap: QStyle.StandardPixmap) -> QIcon:
        icon = self._icons.get(name)
        if icon is None:
            icon = self._icons[name] = _icon(pixmap)
        return icon

    # ------------------------------------------------------------------ editing
    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Save a typed cell (one undo step), or refuse it and show why."""
        measure = self._measure
        if measure is None or not index.isValid():
            return False
        field = self.field_at(index.column())
        if field is None or not self.flags(index) & (
            Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable
        ):
            return False
        row = index.row()
        if field is Field.EXCLUDED:
            if role != Qt.ItemDataRole.CheckStateRole:
                return False
            return self._set_excluded(row, _checked(value))
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = "" if value is None else str(value)
        if self.is_new_row(row):
            return self._edit_new_row(measure, field, text)
        return self._edit_point(measure, row, field, text)

    def _edit_point(self, measure: Measure, row: int, field: Field, text: str) -> bool:
        obs = self._obs[row]
        try:
            value = parse_field(field, text)
        except CellError as exc:
            return self._refuse(obs.id, obs.period, field, text, exc.reason)
        new = with_field(obs, field, value)
        problems = point_problems(measure, new)
        if field is Field.PERIOD and isinstance(value, date):
            duplicate = duplicate_reason(value, self._obs, obs.id)
            if duplicate:
                problems[Field.PERIOD] = duplicate
        if problems:
            return self._refuse(obs.id, obs.period, field, text, _join(problems.values()))
        self._clear_refusal(obs.id, field)
        if new == obs:
            return True
        if field.is_text and not self.text_guard(field.label, str(value)):
            return False
        label = format_period(obs.period, measure.period)
        self.edit_sink([ObservationEdit(obs, new)], f"Change {field.label.lower()} of {label}")
        return True

    def _edit_new_row(self, measure: Measure, field: Field, text: str) -> bool:
        period = self.new_row_period()
        try:
            value = parse_field(field, text)
        except CellError as exc:
            return self._refuse(NEW_ROW, period, field, text, exc.reason)
        if field is Field.PERIOD:
            assert isinstance(value, date)
            reason = off_grid_reason(value, measure.period, measure.week_start)
            reason = reason or duplicate_reason(value, self._obs, "")
            if reason:
                return self._refuse(NEW_ROW, period, field, text, reason)
            self._new_period = value
            self._clear_refusal(NEW_ROW, field)
            self._new_row_changed()
            return True
        if field.is_text and value == "":
            self._pending.pop(field, None)
        else:
            self._pending[field] = value
        self._clear_refusal(NEW_ROW, field)
        obs = Observation(measure.id, period, **{f.value: v for f, v in self._pending.items()})
        if not self._complete(measure, obs):
            self._new_row_changed()
            return True
        problems = point_problems(measure, obs)
        duplicate = duplicate_reason(period, self._obs, "")
        if duplicate:
            problems[Field.PERIOD] = duplicate
        if problems:
            return self._refuse(NEW_ROW, period, field, text, _join(problems.values()))
        for text_field in (Field.NOTE,):
            typed = self._pending.get(text_field)
            if typed and not self.text_guard(text_field.label, typed):
                return False
        self.edit_sink([ObservationEdit(None, obs)], f"Add the point for {format_date(period)}")
        if obs.id in self._index:  # saved: start the next period afresh
            self._pending.clear()
            self._new_period = None
            self._drop_refusals(NEW_ROW)
            self._new_row_changed()
        return True

    @staticmethod
    def _complete(measure: Measure, obs: Observation) -> bool:
        if measure.is_ratio:
            return obs.numerator is not None and obs.denominator is not None
        return obs.value is not None

    def _set_excluded(self, row: int, checked: bool) -> bool:
        obs = self.observation_at(row)
        if obs is None or self._measure is None or checked == obs.excluded:
            return False
        if checked and not obs.exclude_reason.strip():
            self.reason_needed.emit(row)
            return False
        new = obs.with_changes(
            excluded=checked, exclude_reason=obs.exclude_reason if checked else ""
        )
        label = format_period(obs.period, self._measure.period)
        verb = "Exclude" if checked else "Include"
        self.edit_sink([ObservationEdit(obs, new)], f"{verb} the point of {label}")
        return True

    def clear_pending(self) -> None:
        """Forget the half-typed point and any refused cells of the new row."""
        if not self._pending and self._new_period is None and not self._has_refusals(NEW_ROW):
            return
        self._pending.clear()
        self._new_period = None
        self._drop_refusals(NEW_ROW)
        self._new_row_changed()

    # ------------------------------------------------------------------ refusals
    def refused_cells(self) -> list[tuple[int, Field, RefusedCell]]:
        """Every refused cell as (row, field, refusal), top to bottom."""
        out: list[tuple[int, Field, RefusedCell]] = []
        for (key, field), refused in self._refused.items():
            row = self.new_row if key == NEW_ROW else self._index.get(key, -1)
            if row >= 0:
                out.append((row, field, refused))
        return sorted(out, key=lambda item: (item[0], self.column_of(item[1])))

    def refusal_at(self, row: int, column: int) -> RefusedCell | None:
        """The refusal shown in a cell (``None`` when the cell is fine)."""
        field = self.field_at(column)
        obs = self.observation_at(row)
        key = obs.id if obs is not None else (NEW_ROW if self.is_new_row(row) else "")
        return self._refused.get((key, field)) if field is not None else None

    def problem_lines(self) -> list[str]:
        """The message under the grid: each refused cell, then the half-typed point."""
        measure = self._measure
        if measure is None:
            return []
        lines = [
            refused.describe(format_period(refused.period, measure.period))
            for _, _, refused in self.refused_cells()
        ]
        missing = self.missing_field()
        if missing is not None:
            lines.append(
                f"{format_period(self.new_row_period(), measure.period)}: not saved yet — "
                f"this point needs a {missing.label.lower()}."
            )
        return lines

    def _refuse(self, key: str, period: date, field: Field, text: str, reason: str) -> bool:
        self._refused[(key, field)] = RefusedCell(period, field, text, reason)
        row = self.new_row if key == NEW_ROW else self._index.get(key, -1)
        if row >= 0:
            column = self.column_of(field)
            self.dataChanged.emit(self.index(row, column), self.index(row, column))
        self.problems_changed.emit()
        return False

    def _clear_refusal(self, key: str, field: Field) -> None:
        if self._refused.pop((key, field), None) is not None:
            self.problems_changed.emit()

    def _has_refusals(self, key: str) -> bool:
        return any(k == key for k, _ in self._refused)

    def _drop_refusals(self, key: str, *, emit: bool = True) -> None:
        keys = [k for k in self._refused if k[0] == key]
        for k in keys:
            del self._refused[k]
        if keys and emit:
            self.problems_changed.emit()

    def _new_row_changed(self) -> None:
        row = self.new_row
        if row < 0:
            return
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self._columns) - 1))
        self.problems_changed.emit()


_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_RIGHT_ALIGNED = frozenset({Field.NUMERATOR, Field.DENOMINATOR, Field.VALUE, Field.PLOTTED})
_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole)})
_CHECK = int(Qt.ItemDataRole.CheckStateRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ACCESSIBLE_TEXT = int(Qt.ItemDataRole.AccessibleTextRole)
_READ_ONLY_BRUSH = QBrush(READ_ONLY_BACKGROUND)
_HINT_BRUSH = QBrush(HINT_TEXT)

_COLUMN_TIPS = {
    Field.PERIOD: "The start of the period (day, week or month) the point belongs to",
    Field.NUMERATOR: "How many met the measure this period (the top of the fraction)",
    Field.DENOMINATOR: "How many were counted this period (the bottom of the fraction)",
    Field.VALUE: "The number for this period",
    Field.PLOTTED: "The value the chart shows (worked out; cannot be typed)",
    Field.EXCLUDED: "Ticked points are left out of the centre line and limits",
    Field.EXCLUDE_REASON: "Why the point is excluded",
    Field.NOTE: "A note about this point (aggregate data only: no patient details)",
}


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


def _join(reasons: Collection[str]) -> str:
    return "; ".join(dict.fromkeys(reasons))


def _ranges(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive numbers."""
    out: list[tuple[int, int]] = []
    for row in rows:
        if out and out[-1][1] == row - 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out
