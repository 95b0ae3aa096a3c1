"""The charter form's team table: an editable Qt table over a draft ``tuple[TeamMember, ...]``.

The draft is what the form will save; it becomes the project's team only when the charter is
saved (through one undo command). Members are immutable values, edits replace them.
"""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from qidesk.core.project import TeamMember, TeamRole
from qidesk.ui.models.draft_table_model import DraftTableModel

_Index = QModelIndex | QPersistentModelIndex

#: Role under which the role column returns/accepts the ``TeamRole`` value itself.
TEAM_ROLE_ROLE = Qt.ItemDataRole.UserRole + 1


class TeamColumn(IntEnum):
    """Columns of the team table."""

    NAME = 0
    ROLE = 1


class TeamTableModel(DraftTableModel[TeamMember]):
    """Name and role of each team member in the charter being edited."""

    titles = ("Name", "Role")  # see TeamColumn

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(lambda: TeamMember(name=""), parent)

    def add_member(self, name: str = "", role: TeamRole = TeamRole.MEMBER) -> int:
        """Append a member and return its row."""
        return self.add_row(TeamMember(name=name, role=role))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Name or role text; the ``TeamRole`` under :data:`TEAM_ROLE_ROLE`."""
        member = self.row_at(index)
        if member is None:
            return None
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
        """Change a member's name (text) or role (a ``TeamRole`` or its value).

        True whenever the value is accepted, even when it equals what was there.
        """
        member = self.row_at(index)
        if member is None:
            return False
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
        self._replace(index, new)
        return True
