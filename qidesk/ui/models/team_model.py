"""The charter form's team table: an editable Qt table over a draft ``tuple[TeamMember, ...]``.

The draft is what the form will save; it becomes the project's team only when the charter is
saved (through one undo command). Members are immutable values, edits replace them.
"""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from qidesk.core.project import TeamMember, TeamRole

_Index = QModelIndex | QPersistentModelIndex

#: Role under which the role column returns/accepts the ``TeamRole`` value itself.
TEAM_ROLE_ROLE = Qt.ItemDataRole.UserRole + 1


class TeamColumn(IntEnum):
    """Columns of the team table."""

    NAME = 0
    ROLE = 1


_HEADERS = {TeamColumn.NAME: "Name", TeamColumn.ROLE: "Role"}


class TeamTableModel(QAbstractTableModel):
    """Name and role of each team member in the charter being edited."""

    #: emitted after any member is added, removed or edited by the user
    members_edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._members: list[TeamMember] = []

    def members(self) -> tuple[TeamMember, ...]:
        """The draft team, in table order."""
        return tuple(self._members)

    def set_members(self, members: tuple[TeamMember, ...]) -> None:
        """Show ``members`` (loading a charter; does not count as an edit)."""
        self.beginResetModel()
        self._members = list(members)
        self.endResetModel()

    def add_member(self, name: str = "", role: TeamRole = TeamRole.MEMBER) -> int:
        """Append a member and return its row."""
        row = len(self._members)
        self.beginInsertRows(QModelIndex(), row, row)
        self._members.append(TeamMember(name=name, role=role))
        self.endInsertRows()
        self.members_edited.emit()
        return row

    def remove_member(self, row: int) -> None:
        """Remove the member in ``row``."""
        if not 0 <= row < len(self._members):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._members[row]
        self.endRemoveRows()
        self.members_edited.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of members."""
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Name and role."""
        return 0 if parent.isValid() else len(TeamColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column headings."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(TeamColumn)
        ):
            return _HEADERS[TeamColumn(section)]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Every cell is editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Name or role text; the ``TeamRole`` under :data:`TEAM_ROLE_ROLE`."""
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return None
        member = self._members[index.row()]
        column = TeamColumn(index.column())
        if column is TeamColumn.NAME:
            if role == Qt.ItemDataRole.DisplayRole:
                return member.name if member.name.strip() else "(name needed)"
            if role == Qt.ItemDataRole.EditRole:
                return member.name
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"Name: {member.name or 'not given'}"
        else:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return member.role.label
            if role == TEAM_ROLE_ROLE:
                return member.role
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"Role: {member.role.label}"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Change a member's name (text) or role (a ``TeamRole`` or its value)."""
        if not index.isValid() or not 0 <= index.row() < len(self._members):
            return False
        member = self._members[index.row()]
        column = TeamColumn(index.column())
        if column is TeamColumn.NAME and role == Qt.ItemDataRole.EditRole:
            new = replace(member, name=str(value))
        elif column is TeamColumn.ROLE and role in (Qt.ItemDataRole.EditRole, TEAM_ROLE_ROLE):
            try:
                new = replace(member, role=TeamRole(value))
            except ValueError:
                return False
        else:
            return False
        if new == member:
            return True
        self._members[index.row()] = new
        self.dataChanged.emit(index, index)
        self.members_edited.emit()
        return True
