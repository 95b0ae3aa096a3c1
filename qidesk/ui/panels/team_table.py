"""The charter's team editor: a keyboard-friendly table of names and roles with Add/Remove."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QWidget

from qidesk.core.project import TeamMember, TeamRole
from qidesk.ui.models.team_model import TEAM_ROLE_ROLE, TeamColumn, TeamTableModel
from qidesk.ui.widgets.delegates import ChoiceDelegate
from qidesk.ui.widgets.draft_table import DraftTable


class TeamTable(DraftTable):
    """Team members of the charter being edited: name and role, added and removed by keyboard.

    Arrow keys move between cells, F2 or typing edits a cell, Insert adds a member and Delete
    removes the selected one. Tab leaves the table (no keyboard trap).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        model = TeamTableModel()
        super().__init__(model, model, "member", "Team members", parent)
        model.setParent(self)
        self.model = model
        self.view.setObjectName("team_view")
        roles = [(role.label, role) for role in TeamRole]
        self.view.setItemDelegateForColumn(
            TeamColumn.ROLE, ChoiceDelegate("Role", roles, TEAM_ROLE_ROLE, self.view)
        )
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TeamColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TeamColumn.ROLE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(TeamColumn.ROLE, max(190, header.sectionSizeHint(TeamColumn.ROLE)))
        self.view.setMinimumHeight(150)
        self.add_button.setAccessibleName("Add team member")
        self.add_button.setToolTip("Add a team member (Insert in the table)")
        self.remove_button.setAccessibleName("Remove selected team member")
        self.remove_button.setToolTip("Remove the selected team member (Delete in the table)")

    def members(self) -> tuple[TeamMember, ...]:
        """The team as edited."""
        return self.model.values()

    def set_members(self, members: tuple[TeamMember, ...]) -> None:
        """Show ``members`` (when a charter is loaded)."""
        self.model.set_values(members)
