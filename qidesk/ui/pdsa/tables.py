"""The editor's tables: questions (Plan and Study) and tasks, over draft tuples of values.

The models hold the draft the editor will save (immutable :class:`Question` and :class:`Task`
values, replaced on every edit); the cycle changes only when the editor saves it through one
undo command. The Plan and Study tabs show the same questions model: Plan asks the question,
the prediction and the reasoning; Study shows each question and prediction beside its result,
learning and whether the prediction held, with the question and prediction read-only there
(a prediction is not rewritten once the results are in).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from enum import IntEnum
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.pdsa import Confirmation, Question, Task

_Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T", Question, Task)

#: Role under which a column returns/accepts its value as plain text: an ISO date or an enum
#: value ("" or ``None`` for none). Plain text, because Qt converts dates and str subclasses.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1
_NO_DATE = QDate(1900, 1, 1)


class QuestionColumn(IntEnum):
    """Columns of the questions model."""

    QUESTION = 0
    PREDICTION = 1
    REASONING = 2
    RESULT = 3
    LEARNING = 4
    CONFIRMED = 5


class TaskColumn(IntEnum):
    """Columns of the tasks model."""

    TASK = 0
    WHO = 1
    DUE = 2
    DONE = 3


_QUESTION_HEADERS = {
    QuestionColumn.QUESTION: "Question",
    QuestionColumn.PREDICTION: "Prediction",
    QuestionColumn.REASONING: "Why we predict this",
    QuestionColumn.RESULT: "Result",
    QuestionColumn.LEARNING: "What we learned",
    QuestionColumn.CONFIRMED: "Prediction held?",
}
_QUESTION_FIELDS = {
    QuestionColumn.QUESTION: "text",
    QuestionColumn.PREDICTION: "prediction",
    QuestionColumn.REASONING: "reasoning",
    QuestionColumn.RESULT: "result",
    QuestionColumn.LEARNING: "learning",
}
_TASK_HEADERS = {TaskColumn.TASK: "Task", TaskColumn.WHO: "Who", TaskColumn.DUE: "Due by",
                 TaskColumn.DONE: "Done"}  # fmt: skip


class DraftTableModel(QAbstractTableModel, Generic[T]):
    """Base: a list of immutable rows edited by replacing them; announces user edits."""

    #: emitted after the user adds, removes or edits a row
    rows_edited = Signal()

    def __init__(self, make: Callable[[], T], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []
        self._make: Callable[[], T] = make

    def values(self) -> tuple[T, ...]:
        """The draft rows, in table order."""
        return tuple(self._rows)

    def set_values(self, rows: Sequence[T]) -> None:
        """Show ``rows`` (loading a cycle; does not count as an edit)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def add_row(self) -> int:
        """Append an empty row; return its index."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(self._make())
        self.endInsertRows()
        self.rows_edited.emit()
        return row

    def remove_row(self, row: int) -> None:
        """Remove row ``row``."""
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self.rows_edited.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of rows (a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def _replace(self, index: _Index, value: T) -> bool:
        if self._rows[index.row()] == value:
            return False
        self._rows[index.row()] = value
        self.dataChanged.emit(index, index)
        self.rows_edited.emit()
        return True


class QuestionsModel(DraftTableModel[Question]):
    """The cycle's questions with their predictions, reasoning, results and learning."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(Question, parent)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Six columns (see :class:`QuestionColumn`)."""
        return 0 if parent.isValid() else len(QuestionColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles; row numbers down the side."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation is Qt.Orientation.Horizontal:
            return _QUESTION_HEADERS[QuestionColumn(section)]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text of each cell; the confirmation as its label (and value under VALUE_ROLE)."""
        if not index.isValid():
            return None
        q = self._rows[index.row()]
        column = QuestionColumn(index.column())
        if column is QuestionColumn.CONFIRMED:
            if role == VALUE_ROLE:
                return q.confirmed.value if q.confirmed else None
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return q.confirmed.label if q.confirmed else "Not yet known"
            return None
        text = str(getattr(q, _QUESTION_FIELDS[column]))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        if role == Qt.ItemDataRole.ToolTipRole and text:
            return text
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Replace one field of a question."""
        if not index.isValid():
            return False
        q = self._rows[index.row()]
        column = QuestionColumn(index.column())
        if column is QuestionColumn.CONFIRMED:
            if role not in (VALUE_ROLE, Qt.ItemDataRole.EditRole):
                return False
            new = replace(q, confirmed=Confirmation(value) if value else None)
        elif role == Qt.ItemDataRole.EditRole:
            new = _with_text(q, _QUESTION_FIELDS[column], str(value))
        else:
            return False
        return self._replace(index, new)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Every cell is editable."""
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base


def _with_text(q: Question, name: str, text: str) -> Question:
    """``q`` with its text field ``name`` set to ``text``."""
    fields = {"text", "prediction", "reasoning", "result", "learning"}
    if name not in fields:
        raise ValueError(f"not a text field of a question: {name}")
    return replace(q, **{name: text})  # type: ignore[arg-type]


class StudyQuestionsModel(QIdentityProxyModel):
    """The questions as Study shows them: question and prediction read-only."""

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Question and prediction cannot be edited in Study."""
        base = super().flags(index)
        if index.column() in (QuestionColumn.QUESTION, QuestionColumn.PREDICTION):
            return base & ~Qt.ItemFlag.ItemIsEditable
        return base


class TasksModel(DraftTableModel[Task]):
    """The cycle's tasks: what, who, due date and done."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(Task, parent)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Four columns (see :class:`TaskColumn`)."""
        return 0 if parent.isValid() else len(TaskColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles; row numbers down the side."""
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation is Qt.Orientation.Horizontal:
            return _TASK_HEADERS[TaskColumn(section)]
        return str(section + 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text of each cell; the due date and done flag also as values."""
        if not index.isValid():
            return None
        t = self._rows[index.row()]
        column = TaskColumn(index.column())
        if column is TaskColumn.DONE:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if t.done else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "done" if t.done else "not done"
            return None
        if column is TaskColumn.DUE:
            if role == VALUE_ROLE:
                return t.due.isoformat() if t.due else None
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{t.due.day} {t.due.strftime('%b %Y')}" if t.due else ""
            return None
        text = t.text if column is TaskColumn.TASK else t.who
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return text
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Replace one field of a task."""
        if not index.isValid():
            return False
        t = self._rows[index.row()]
        column = TaskColumn(index.column())
        if column is TaskColumn.DONE and role == Qt.ItemDataRole.CheckStateRole:
            new = replace(t, done=Qt.CheckState(value) == Qt.CheckState.Checked)
        elif column is TaskColumn.DUE and role == VALUE_ROLE:
            new = replace(t, due=date.fromisoformat(str(value)) if value else None)
        elif column is TaskColumn.TASK and role == Qt.ItemDataRole.EditRole:
            new = replace(t, text=str(value))
        elif column is TaskColumn.WHO and role == Qt.ItemDataRole.EditRole:
            new = replace(t, who=str(value))
        else:
            return False
        return self._replace(index, new)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Text and dates are editable; "done" is a check box."""
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == TaskColumn.DONE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable


# ---------------------------------------------------------------------- delegates


class ConfirmationDelegate(QStyledItemDelegate):
    """Edits "prediction held?" with a combo box."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: ARG002
        index: _Index,  # noqa: ARG002
    ) -> QWidget:
        """A combo box: not yet known, yes, partly, no."""
        combo = QComboBox(parent)
        combo.setAccessibleName("Prediction held?")
        combo.addItem("Not yet known", None)
        for c in Confirmation:
            combo.addItem(c.label, c.value)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Select the current answer."""
        assert isinstance(editor, QComboBox)
        value = index.data(VALUE_ROLE)
        editor.setCurrentIndex(max(0, editor.findData(str(value) if value else None)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Store the chosen answer."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), VALUE_ROLE)


class DateDelegate(QStyledItemDelegate):
    """Edits an optional date with a date box ("Not set" at its lowest value)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: ARG002
        index: _Index,  # noqa: ARG002
    ) -> QWidget:
        """A date box with a calendar; its first value means "not set"."""
        edit = QDateEdit(parent)
        edit.setAccessibleName("Due by")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText("Not set")
        return edit

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Show the date, or today for a task with none yet."""
        assert isinstance(editor, QDateEdit)
        value = index.data(VALUE_ROLE)
        when = date.fromisoformat(str(value)) if value else date.today()
        editor.setDate(QDate(when.year, when.month, when.day))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Store the date (or no date at "Not set")."""
        assert isinstance(editor, QDateEdit)
        d = editor.date()
        value = "" if d == _NO_DATE else date(d.year(), d.month(), d.day()).isoformat()
        model.setData(index, value, VALUE_ROLE)


# ---------------------------------------------------------------------- table widgets


class DraftTable(QWidget):
    """A keyboard-friendly table with Add and Remove buttons (Insert / Delete in the table).

    Tab leaves the table (no keyboard trap); arrow keys move, F2 or typing edits a cell.
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
        self.view.setWordWrap(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setMinimumHeight(130)
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
        model.modelReset.connect(self.view.resizeRowsToContents)
        model.dataChanged.connect(self.view.resizeRowsToContents)
        model.rowsInserted.connect(self.view.resizeRowsToContents)
        self.view.horizontalHeader().sectionResized.connect(self.view.resizeRowsToContents)
        self._update_buttons()

    def add_row(self) -> None:
        """Add an empty row and start editing its first editable cell."""
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

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))

    def set_columns(self, visible: Sequence[int], widths: dict[int, int]) -> None:
        """Show only ``visible`` columns, with optional starting widths."""
        for c in range(self.view.model().columnCount()):
            self.view.setColumnHidden(c, c not in visible)
        for c, w in widths.items():
            self.view.setColumnWidth(c, w)


def questions_table(
    model: QuestionsModel, *, study: bool, parent: QWidget | None = None
) -> DraftTable:
    """The questions as Plan shows them (``study=False``) or as Study shows them."""
    if study:
        proxy = StudyQuestionsModel(parent)
        proxy.setSourceModel(model)
        table = DraftTable(
            proxy, model, "question", "Predictions and results", parent, rows_editable=False
        )
        table.view.setItemDelegateForColumn(
            QuestionColumn.CONFIRMED, ConfirmationDelegate(table.view)
        )
        visible = [QuestionColumn.QUESTION, QuestionColumn.PREDICTION, QuestionColumn.RESULT,
                   QuestionColumn.LEARNING, QuestionColumn.CONFIRMED]  # fmt: skip
        table.set_columns(visible, {0: 170, 1: 170, 3: 170, 5: 150})
        header = table.view.horizontalHeader()  # "held?" beside the result, learning last
        header.moveSection(header.visualIndex(QuestionColumn.CONFIRMED), QuestionColumn.LEARNING)
        return table
    table = DraftTable(model, model, "question", "Questions and predictions", parent)
    visible = [QuestionColumn.QUESTION, QuestionColumn.PREDICTION, QuestionColumn.REASONING]
    table.set_columns(visible, {0: 220, 1: 220})
    return table


def tasks_table(model: TasksModel, parent: QWidget | None = None) -> DraftTable:
    """The tasks with a date box for "due by"."""
    table = DraftTable(model, model, "task", "Tasks", parent)
    table.view.setItemDelegateForColumn(TaskColumn.DUE, DateDelegate(table.view))
    table.set_columns(list(TaskColumn), {0: 260, 1: 140, 2: 110})
    return table
