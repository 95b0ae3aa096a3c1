"""The session editor's actions: an editable table (action, owner, due, done) over a draft.

The draft is a ``tuple[CoachingAction, ...]`` that becomes the session's actions only when the
session is saved (one undo command). Actions are immutable values; edits replace them.
Keyboard: arrows move, F2 or typing edits, Space ticks "done", Insert adds, Delete removes.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.coaching import CoachingAction
from qidesk.core.periods import format_date

_Index = QModelIndex | QPersistentModelIndex
#: role under which the due column returns/accepts a ``datetime.date`` (or ``None``)
DUE_ROLE = Qt.ItemDataRole.UserRole + 1
_NO_DATE = QDate(1900, 1, 1)


class ActionColumn(IntEnum):
    """Columns of the actions table."""

    TEXT = 0
    OWNER = 1
    DUE = 2
    DONE = 3


_HEADERS = {
    ActionColumn.TEXT: "Action",
    ActionColumn.OWNER: "Owner",
    ActionColumn.DUE: "Due",
    ActionColumn.DONE: "Done",
}


class ActionsTableModel(QAbstractTableModel):
    """The draft actions of the session being edited."""

    #: emitted after the user adds, removes or edits an action
    actions_edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._actions: list[CoachingAction] = []

    def actions(self) -> tuple[CoachingAction, ...]:
        """The draft actions, in table order."""
        return tuple(self._actions)

    def set_actions(self, actions: tuple[CoachingAction, ...]) -> None:
        """Show ``actions`` (loading a session; not an edit)."""
        self.beginResetModel()
        self._actions = list(actions)
        self.endResetModel()

    def add_action(self) -> int:
        """Append an empty action; return its row."""
        row = len(self._actions)
        self.beginInsertRows(QModelIndex(), row, row)
        self._actions.append(CoachingAction(""))
        self.endInsertRows()
        self.actions_edited.emit()
        return row

    def remove_action(self, row: int) -> None:
        """Remove the action at ``row``."""
        if not 0 <= row < len(self._actions):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._actions[row]
        self.endRemoveRows()
        self.actions_edited.emit()

    # Qt model ---------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of actions."""
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Four columns."""
        return 0 if parent.isValid() else len(ActionColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[ActionColumn(section)]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Every cell is editable; "done" is a check box."""
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ActionColumn.DONE:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, due date and done flag of one action."""
        if not index.isValid():
            return None
        action = self._actions[index.row()]
        column = ActionColumn(index.column())
        if column is ActionColumn.DONE:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if action.done else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return "Done" if action.done else "Not done"
            return None
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
        if not index.isValid():
            return False
        row, column = index.row(), ActionColumn(index.column())
        action = self._actions[row]
        if column is ActionColumn.DONE and role == Qt.ItemDataRole.CheckStateRole:
            new = action.with_changes(done=Qt.CheckState(value) == Qt.CheckState.Checked)
        elif column is ActionColumn.DUE and role == DUE_ROLE:
            new = action.with_changes(due=value if isinstance(value, date) else None)
        elif column is ActionColumn.TEXT and role == Qt.ItemDataRole.EditRole:
            new = action.with_changes(text=str(value))
        elif column is ActionColumn.OWNER and role == Qt.ItemDataRole.EditRole:
            new = action.with_changes(owner=str(value))
        else:
            return False
        if new == action:
            return False
        self._actions[row] = new
        self.dataChanged.emit(index, index)
        self.actions_edited.emit()
        return True


class DueDelegate(QStyledItemDelegate):
    """Edits a due date with a date field; its first value means "no date"."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: ARG002
        index: _Index,  # noqa: ARG002
    ) -> QWidget:
        """A date field with a calendar."""
        edit = QDateEdit(parent)
        edit.setAccessibleName("Due date")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText("No date")
        return edit

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Show the action's due date (today when it has none)."""
        assert isinstance(editor, QDateEdit)
        due = index.data(DUE_ROLE)
        editor.setDate(QDate(due.year, due.month, due.day) if due else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Store the chosen date (the first value clears it)."""
        assert isinstance(editor, QDateEdit)
        d = editor.date()
        model.setData(
            index, None if d == _NO_DATE else date(d.year(), d.month(), d.day()), DUE_ROLE
        )


class ActionsTable(QWidget):
    """The actions agreed at a session, edited in place (no keyboard trap: Tab leaves)."""

    #: emitted when the user adds, removes or edits an action
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ActionsTableModel(self)
        self.model.actions_edited.connect(self.edited)
        self.view = QTableView(self)
        self.view.setObjectName("actions_view")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Actions")
        self.view.setAccessibleDescription(
            "Arrow keys move, F2 edits, Space ticks done, Insert adds, Delete removes."
        )
        self.view.setTabKeyNavigation(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setItemDelegateForColumn(ActionColumn.DUE, DueDelegate(self.view))
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(ActionColumn.TEXT, QHeaderView.ResizeMode.Stretch)
        for column in (ActionColumn.OWNER, ActionColumn.DUE, ActionColumn.DONE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(120)

        self.add_button = QPushButton("Add action", self)
        self.add_button.setToolTip("Add an action (Insert in the table)")
        self.add_button.clicked.connect(self.add_action)
        self.remove_button = QPushButton("Remove action", self)
        self.remove_button.setToolTip("Remove the selected action (Delete in the table)")
        self.remove_button.clicked.connect(self.remove_selected)
        for key, slot, text in (
            (QKeySequence(Qt.Key.Key_Insert), self.add_action, "Add action"),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.remove_selected, "Remove action"),
        ):
            action = QAction(text, self.view)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    def items(self) -> tuple[CoachingAction, ...]:
        """The actions as edited."""
        return self.model.actions()

    def set_items(self, actions: tuple[CoachingAction, ...]) -> None:
        """Show ``actions``."""
        self.model.set_actions(actions)

    def add_action(self) -> None:
        """Add an empty action and start typing its text."""
        row = self.model.add_action()
        index = self.model.index(row, ActionColumn.TEXT)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def remove_selected(self) -> None:
        """Remove the selected action."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        row = rows[0].row()
        self.model.remove_action(row)
        if self.model.rowCount():
            self.view.selectRow(min(row, self.model.rowCount() - 1))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))
