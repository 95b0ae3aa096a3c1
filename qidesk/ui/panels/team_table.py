"""The charter's team editor: a keyboard-friendly table of names and roles with Add/Remove."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.project import TeamMember, TeamRole
from qidesk.ui.models.team_model import TEAM_ROLE_ROLE, TeamColumn, TeamTableModel

_Index = QModelIndex | QPersistentModelIndex


class RoleDelegate(QStyledItemDelegate):
    """Edits a team member's role with a combo box of the roles' labels."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: ARG002
        index: _Index,  # noqa: ARG002
    ) -> QWidget:
        """A combo box listing every role."""
        combo = QComboBox(parent)
        combo.setAccessibleName("Role")
        for role in TeamRole:
            combo.addItem(role.label, role)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Select the member's current role."""
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(TEAM_ROLE_ROLE))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Store the chosen role."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), TEAM_ROLE_ROLE)


class TeamTable(QWidget):
    """Team members of the charter being edited: name and role, added and removed by keyboard.

    Arrow keys move between cells, F2 or typing edits a cell, Insert adds a member and Delete
    removes the selected one. Tab leaves the table (no keyboard trap).
    """

    #: emitted when the user adds, removes or edits a member
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TeamTableModel(self)
        self.model.members_edited.connect(self.edited)

        self.view = QTableView(self)
        self.view.setObjectName("team_view")
        self.view.setModel(self.model)
        self.view.setAccessibleName("Team members")
        self.view.setAccessibleDescription(
            "Arrow keys move, F2 edits, Insert adds a member, Delete removes the selected member."
        )
        self.view.setTabKeyNavigation(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.setItemDelegateForColumn(TeamColumn.ROLE, RoleDelegate(self.view))
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TeamColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TeamColumn.ROLE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TeamColumn.ROLE, max(190, header.sectionSizeHint(TeamColumn.ROLE)))
        self.view.setMinimumHeight(150)

        self.add_button = QPushButton("Add member", self)
        self.add_button.setAccessibleName("Add team member")
        self.add_button.setToolTip("Add a team member (Insert in the table)")
        self.add_button.clicked.connect(self.add_member)
        self.remove_button = QPushButton("Remove member", self)
        self.remove_button.setAccessibleName("Remove selected team member")
        self.remove_button.setToolTip("Remove the selected team member (Delete in the table)")
        self.remove_button.clicked.connect(self.remove_selected)

        add_action = QAction("Add team member", self.view)
        add_action.setShortcut(QKeySequence(Qt.Key.Key_Insert))
        add_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        add_action.triggered.connect(self.add_member)
        remove_action = QAction("Remove selected team member", self.view)
        remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove_action.triggered.connect(self.remove_selected)
        self.view.addAction(add_action)
        self.view.addAction(remove_action)

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

    def members(self) -> tuple[TeamMember, ...]:
        """The team as edited."""
        return self.model.members()

    def set_members(self, members: tuple[TeamMember, ...]) -> None:
        """Show ``members`` (when a charter is loaded)."""
        self.model.set_members(members)

    def add_member(self) -> None:
        """Add an empty member and start editing its name."""
        row = self.model.add_member()
        index = self.model.index(row, TeamColumn.NAME)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def remove_selected(self) -> None:
        """Remove the selected member and keep the selection in the same place."""
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        row = rows[0].row()
        self.model.remove_member(row)
        if self.model.rowCount():
            self.view.selectRow(min(row, self.model.rowCount() - 1))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))
