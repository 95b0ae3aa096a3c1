"""The session editor's actions: an editable table (action, owner, due, done) over a draft.

The draft is a ``tuple[CoachingAction, ...]`` that becomes the session's actions only when the
session is saved (one undo command). Actions are immutable values; edits replace them.
Keyboard: arrows move, F2 or typing edits, Space ticks "done", Insert adds, Delete removes.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QHeaderView, QWidget

from qidesk.core.coaching import CoachingAction
from qidesk.core.periods import format_date
from qidesk.ui.models.draft_table_model import DraftTableModel, check_cell, is_checked
from qidesk.ui.widgets.delegates import OptionalDateDelegate
from qidesk.ui.widgets.draft_table import DraftTable

_Index = QModelIndex | QPersistentModelIndex
#: role under which the due column returns/accepts a ``datetime.date`` (or ``None``)
DUE_ROLE = Qt.ItemDataRole.UserRole + 1


class ActionColumn(IntEnum):
    """Columns of the actions table."""

    TEXT = 0
    OWNER = 1
    DUE = 2
    DONE = 3


class ActionsTableModel(DraftTableModel[CoachingAction]):
    """The draft actions of the session being edited."""

    titles = ("Action", "Owner", "Due", "Done")  # see ActionColumn
    check_columns = frozenset({ActionColumn.DONE})

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(lambda: CoachingAction(""), parent)

    def add_action(self) -> int:
        """Append an empty action; return its row."""
        return self.add_row()

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, due date and done flag of one action."""
        action = self.row_at(index)
        if action is None:
            return None
        column = ActionColumn(index.column())
        if column is ActionColumn.DONE:
            return check_cell(action.done, role, ("Done", "Not done"))
        if column is ActionColumn.DUE:
            if role == DUE_ROLE:
                return action.due
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return format_date(action.due) if action.due else "No date"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return action.text if column is ActionColumn.TEXT else action.owner
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Edit one cell of one action."""
        action = self.row_at(index)
        if action is None:
            return False
        column = ActionColumn(index.column())
        if column is ActionColumn.DONE and role == Qt.ItemDataRole.CheckStateRole:
            new = action.with_changes(done=is_checked(value))
        elif column is ActionColumn.DUE and role == DUE_ROLE:
            new = action.with_changes(due=value if isinstance(value, date) else None)
        elif column is ActionColumn.TEXT and role == Qt.ItemDataRole.EditRole:
            new = action.with_changes(text=str(value))
        elif column is ActionColumn.OWNER and role == Qt.ItemDataRole.EditRole:
            new = action.with_changes(owner=str(value))
        else:
            return False
        return self._replace(index, new)


class ActionsTable(DraftTable):
    """The actions agreed at a session, edited in place (no keyboard trap: Tab leaves)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        model = ActionsTableModel()
        super().__init__(model, model, "action", "Actions", parent)
        model.setParent(self)
        self.model = model
        self.view.setObjectName("actions_view")
        self.view.setAccessibleDescription(
            "Arrow keys move, F2 edits, Space ticks done, Insert adds, Delete removes."
        )
        self.view.setItemDelegateForColumn(
            ActionColumn.DUE, OptionalDateDelegate("Due date", "No date", DUE_ROLE, self.view)
        )
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ActionColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        for column in (ActionColumn.OWNER, ActionColumn.DUE, ActionColumn.DONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(120)
        self.add_button.setToolTip("Add an action (Insert in the table)")
        self.remove_button.setAccessibleName("Remove action")
        self.remove_button.setToolTip("Remove the selected action (Delete in the table)")

    def items(self) -> tuple[CoachingAction, ...]:
        """The actions as edited."""
        return self.model.values()

    def set_items(self, actions: tuple[CoachingAction, ...]) -> None:
        """Show ``actions``."""
        self.model.set_values(actions)
