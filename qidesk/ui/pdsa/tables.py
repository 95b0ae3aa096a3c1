"""The editor's tables: questions (Plan and Study) and tasks, over draft tuples of values.

The models hold the draft the editor will save (immutable :class:`Question` and :class:`Task`
values, replaced on every edit); the cycle changes only when the editor saves it through one
undo command. The Plan and Study tabs show the same questions model: Plan asks the question,
the prediction and the reasoning; Study shows each question and prediction beside its result,
learning and whether the prediction held, with the question and prediction read-only there
(a prediction is not rewritten once the results are in).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QWidget

from qidesk.core.pdsa import Confirmation, Question, Task
from qidesk.ui.models.draft_table_model import DraftTableModel, check_cell, is_checked
from qidesk.ui.widgets.delegates import ChoiceDelegate, OptionalDateDelegate
from qidesk.ui.widgets.draft_table import DraftTable

_Index = QModelIndex | QPersistentModelIndex

#: Role under which a column returns/accepts its value as plain text: an ISO date or an enum
#: value ("" or ``None`` for none). Plain text, because Qt converts dates and str subclasses.
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


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


_QUESTION_FIELDS = {
    QuestionColumn.QUESTION: "text",
    QuestionColumn.PREDICTION: "prediction",
    QuestionColumn.REASONING: "reasoning",
    QuestionColumn.RESULT: "result",
    QuestionColumn.LEARNING: "learning",
}


class QuestionsModel(DraftTableModel[Question]):
    """The cycle's questions with their predictions, reasoning, results and learning."""

    #: see QuestionColumn
    titles = (
        "Question",
        "Prediction",
        "Why we predict this",
        "Result",
        "What we learned",
        "Prediction held?",
    )
    numbered_rows = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(Question, parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text of each cell; the confirmation as its label (and value under VALUE_ROLE)."""
        q = self.row_at(index)
        if q is None:
            return None
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
        q = self.row_at(index)
        if q is None:
            return False
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

    titles = ("Task", "Who", "Due by", "Done")  # see TaskColumn
    check_columns = frozenset({TaskColumn.DONE})
    numbered_rows = True

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(Task, parent)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text of each cell; the due date and done flag also as values."""
        t = self.row_at(index)
        if t is None:
            return None
        column = TaskColumn(index.column())
        if column is TaskColumn.DONE:
            return check_cell(t.done, role, ("done", "not done"))
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
        t = self.row_at(index)
        if t is None:
            return False
        column = TaskColumn(index.column())
        if column is TaskColumn.DONE and role == Qt.ItemDataRole.CheckStateRole:
            new = replace(t, done=is_checked(value))
        elif column is TaskColumn.DUE and role == VALUE_ROLE:
            new = replace(t, due=date.fromisoformat(str(value)) if value else None)
        elif column is TaskColumn.TASK and role == Qt.ItemDataRole.EditRole:
            new = replace(t, text=str(value))
        elif column is TaskColumn.WHO and role == Qt.ItemDataRole.EditRole:
            new = replace(t, who=str(value))
        else:
            return False
        return self._replace(index, new)


# ---------------------------------------------------------------------- table widgets

#: a question or task table is as tall as its rows, within these heights (then it scrolls)
TABLE_MIN_HEIGHT = 96
TABLE_MAX_HEIGHT = 320


def _cycle_table(
    model: QAbstractItemModel,
    source: DraftTableModel[Any],
    noun: str,
    name: str,
    parent: QWidget | None,
    *,
    rows_editable: bool = True,
) -> DraftTable:
    """A draft table as the cycle editor shows it: rows grow to fit their wrapped text.

    The table is as tall as its rows (plus one empty row where rows can be added), between
    :data:`TABLE_MIN_HEIGHT` and :data:`TABLE_MAX_HEIGHT`; beyond that it scrolls. So a short
    table leaves the room below it to the fields that follow, on a 768-px-high ward PC too.
    """
    table = DraftTable(model, source, noun, name, parent, rows_editable=rows_editable)
    table.fit_rows_to_text()
    view = table.view
    spare = 1 if rows_editable else 0
    timer = QTimer(table)
    timer.setSingleShot(True)
    timer.setInterval(0)

    def fit_height() -> None:
        rows = sum(view.rowHeight(r) for r in range(view.model().rowCount()))
        height = (
            view.horizontalHeader().sizeHint().height()
            + rows
            + spare * view.verticalHeader().defaultSectionSize()
            + view.horizontalScrollBar().sizeHint().height()  # room if the columns scroll
            + 2 * view.frameWidth()
        )
        view.setFixedHeight(max(TABLE_MIN_HEIGHT, min(TABLE_MAX_HEIGHT, height)))

    timer.timeout.connect(fit_height)
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged,
                   view.verticalHeader().sectionResized):  # fmt: skip
        signal.connect(timer.start)
    fit_height()
    return table


def questions_table(
    model: QuestionsModel, *, study: bool, parent: QWidget | None = None
) -> DraftTable:
    """The questions as Plan shows them (``study=False``) or as Study shows them."""
    if study:
        proxy = StudyQuestionsModel(parent)
        proxy.setSourceModel(model)
        table = _cycle_table(
            proxy, model, "question", "Predictions and results", parent, rows_editable=False
        )
        choices = [("Not yet known", None), *((c.label, c.value) for c in Confirmation)]
        table.view.setItemDelegateForColumn(
            QuestionColumn.CONFIRMED,
            ChoiceDelegate("Prediction held?", choices, VALUE_ROLE, table.view),
        )
        visible = [QuestionColumn.QUESTION, QuestionColumn.PREDICTION, QuestionColumn.RESULT,
                   QuestionColumn.LEARNING, QuestionColumn.CONFIRMED]  # fmt: skip
        table.set_columns(visible, {0: 170, 1: 170, 3: 170, 5: 150})
        header = table.view.horizontalHeader()  # "held?" beside the result, learning last
        header.moveSection(header.visualIndex(QuestionColumn.CONFIRMED), QuestionColumn.LEARNING)
        return table
    table = _cycle_table(model, model, "question", "Questions and predictions", parent)
    visible = [QuestionColumn.QUESTION, QuestionColumn.PREDICTION, QuestionColumn.REASONING]
    table.set_columns(visible, {0: 220, 1: 220})
    return table


def tasks_table(model: TasksModel, parent: QWidget | None = None) -> DraftTable:
    """The tasks with a date box for "due by"."""
    table = _cycle_table(model, model, "task", "Tasks", parent)
    table.view.setItemDelegateForColumn(
        TaskColumn.DUE,
        OptionalDateDelegate("Due by", "Not set", VALUE_ROLE, table.view, iso_text=True),
    )
    table.set_columns(list(TaskColumn), {0: 260, 1: 140, 2: 110})
    return table
