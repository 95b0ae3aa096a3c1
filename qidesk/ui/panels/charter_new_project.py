"""The first fields of a new charter: the dialog behind "New project" in the project list."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from qidesk.core.project import Project, WorkType, project_problems
from qidesk.ui.dialogs.identifier_warning import identifiers_accepted
from qidesk.ui.panels.charter_fields import single_line
from qidesk.ui.panels.charter_guard import confirm_identifier_warning


class NewProjectDialog(QDialog):
    """Asks for the title (and optionally work type and division) of a new project.

    Like the charter, it warns before creating a project whose title or division looks like
    patient details (unless ``warn_identifiers`` is off): "Go back" keeps the dialog open.
    """

    def __init__(
        self, divisions: list[str], parent: QWidget | None = None, *, warn_identifiers: bool = True
    ) -> None:
        super().__init__(parent)
        self._warn_identifiers = warn_identifiers
        self.setWindowTitle("New project")
        self.title = QLineEdit(self)
        self.title.setAccessibleName("Title")
        self.title.setPlaceholderText("A short name the team will recognise")
        self.work_type = QComboBox(self)
        self.work_type.setAccessibleName("Work type")
        for work_type in WorkType:
            self.work_type.addItem(work_type.label, work_type)
        self.work_type.setCurrentIndex(self.work_type.findData(WorkType.SERVICE_LED))
        self.division = QComboBox(self)
        self.division.setEditable(True)
        self.division.setAccessibleName("Division")
        self.division.addItems(["", *divisions])
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create project")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for text, field in (
            ("Title:", self.title),
            ("Work type:", self.work_type),
            ("Division:", self.division),
        ):
            label = QLabel(text, self)
            label.setBuddy(field)
            form.addRow(label, field)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.title.textChanged.connect(self._check)
        self.setMinimumWidth(420)
        self._check()

    def project(self) -> Project:
        """The new project as entered."""
        return Project(
            title=single_line(self.title.text()).strip(),
            work_type=WorkType(self.work_type.currentData()),
            division=single_line(self.division.currentText()).strip(),
        )

    def accept(self) -> None:
        """Close with "Create project", unless the user goes back to a likely identifier."""
        if project_problems(self.project()).get("title") is not None:
            return
        if self._warn_identifiers:
            project = self.project()
            fields = [
                ("Title", project.title, self.title),
                ("Division", project.division, self.division),
            ]
            if not identifiers_accepted(
                fields, lambda messages: confirm_identifier_warning(self, messages)
            ):
                return
        super().accept()

    def _check(self) -> None:
        reason = project_problems(self.project()).get("title")
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(reason is None)
        shown = f"⚠ {reason[:1].upper()}{reason[1:]}." if reason and self.title.text() else ""
        self.problem.setText(shown)
        self.title.setAccessibleDescription(shown)
