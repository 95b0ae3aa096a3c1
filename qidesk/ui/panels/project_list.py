"""The project list: find, create, duplicate, archive and delete projects.

Search and filters build a :class:`~qidesk.core.portfolio.ProjectFilter`; the proxy model asks it
which rows to show and asks :func:`~qidesk.core.portfolio.sort_value` how to sort. Every change
is an undo command; the list refreshes when :meth:`ProjectListPanel.apply_changes` says
projects or team members changed.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.errors import NotFoundError
from qidesk.core.portfolio import ProjectFilter
from qidesk.core.project import JourneyPhase, Project, Status, WorkType
from qidesk.core.records import RecordMeta, new_id
from qidesk.ui.commands import CreateProjectCommand, DeleteProjectCommand, EditProjectCommand
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.models.project_list_model import Column, ProjectListModel, ProjectListProxy
from qidesk.ui.panels.charter_new_project import NewProjectDialog

#: Ctrl+N: the main window keeps Ctrl+Shift+N for "New workspace" (``qidesk.ui.actions``).
NEW_PROJECT_SHORTCUT = "Ctrl+N"
EMPTY_TEXT = "No projects yet — press Ctrl+N to create one."
NO_MATCH_TEXT = "No projects match the search and filters."
_NO_DIVISION = "\0none"


def ask_new_project(
    parent: QWidget, divisions: list[str], *, warn_identifiers: bool = True
) -> Project | None:
    """Show :class:`NewProjectDialog`; the project entered, or ``None`` when cancelled."""
    dialog = NewProjectDialog(divisions, parent, warn_identifiers=warn_identifiers)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.project()


def confirm_delete(parent: QWidget, project: Project) -> bool:
    """Ask before deleting ``project``, naming it (default: cancel)."""
    members = len(project.team)
    team = f" and its team of {members}" if members else ""
    box = QMessageBox(QMessageBox.Icon.Question, "Delete project", "", parent=parent)
    box.setText(f"Delete the project “{project.title}”?")
    box.setInformativeText(
        f"Its charter{team} will be removed from this workspace. "
        "You can bring it back with Undo (Ctrl+Z)."
    )
    delete = box.addButton("Delete project", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is delete


def _filter_combo(name: str, any_text: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(any_text, None)
    for text, value in items:
        combo.addItem(text, value)
    return combo


class ProjectListPanel(Panel):
    """Finds projects (search, filters, sortable columns) and creates, archives and deletes them."""

    panel_id = "projects"
    title = "Projects"

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._syncing = False
        self._columns_sized = False
        self.model = ProjectListModel(parent=self)
        self.proxy = ProjectListProxy(self)
        self.proxy.setSourceModel(self.model)
        self._build_actions()
        self._build()
        context.on_project_selected(self._follow_context)
        self._refresh_rows()

    # -- building -------------------------------------------------------------------------------

    def _action(self, text: str, name: str, tip: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("&New project…", "new_project", "Create a project (Ctrl+N)")
        self.new_action.setShortcut(QKeySequence(NEW_PROJECT_SHORTCUT))
        self.new_action.triggered.connect(self.new_project)
        self.duplicate_action = self._action(
            "D&uplicate project", "duplicate_project", "Copy the selected project's charter"
        )
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.archive_action = self._action(
            "&Archive project",
            "archive_project",
            "Archive the selected project (hidden unless “Show archived” is ticked)",
        )
        self.archive_action.triggered.connect(self.toggle_archive_selected)
        self.delete_action = self._action(
            "&Delete project…", "delete_project", "Delete the selected project (Del; undoable)"
        )
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.find_action = self._action("&Find projects", "find_projects", "Search (Ctrl+F)")
        self.find_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action.triggered.connect(self.focus_search)

    def _build(self) -> None:
        self.toolbar = QToolBar("Project actions", self)
        self.toolbar.setAccessibleName("Project actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (
            self.new_action,
            self.duplicate_action,
            self.archive_action,
            self.delete_action,
        ):
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))

        self.search = QLineEdit()
        self.search.setAccessibleName("Search projects")
        self.search.setPlaceholderText("Title, ward, aim, team member…")
        self.search.setClearButtonEnabled(True)
        self.work_type = _filter_combo(
            "Filter by work type", "Any work type", [(w.label, w) for w in WorkType]
        )
        self.status = _filter_combo(
            "Filter by status", "Any status", [(s.label, s) for s in Status]
        )
        self.phase = _filter_combo(
            "Filter by phase", "Any phase", [(p.label, p) for p in JourneyPhase]
        )
        self.division = _filter_combo("Filter by division", "Any division", [])
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setAccessibleName("Show archived projects")
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear search and filters")

        self.filters = QWidget()
        self.filters.setObjectName("project_filters")
        filters = QGridLayout(self.filters)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(3, 1)
        self._grid_row(filters, 0, "Search:", self.search, span=3)
        self._grid_row(filters, 1, "Type:", self.work_type)
        self._grid_row(filters, 1, "Status:", self.status, column=2)
        self._grid_row(filters, 2, "Phase:", self.phase)
        self._grid_row(filters, 2, "Division:", self.division, column=2)
        filters.addWidget(self.show_archived, 3, 1)
        filters.addWidget(self.clear_button, 3, 3, Qt.AlignmentFlag.AlignRight)

        self.count = QLabel()
        self.count.setObjectName("project_count")
        self.table = QTableView()
        self.table.setObjectName("project_table")
        self.table.setAccessibleName("Projects")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(Column.TITLE, 240)
        header.setHighlightSections(False)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("projects_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filters)
        layout.addWidget(self.count)
        layout.addWidget(self.stack, 1)

        self.search.textChanged.connect(self._apply_filter)
        for combo in (self.work_type, self.status, self.phase, self.division):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.show_archived.toggled.connect(self._apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.rowsInserted.connect(self._update_view_state)
        self.proxy.rowsRemoved.connect(self._update_view_state)
        self.proxy.modelReset.connect(self._update_view_state)
        self.proxy.layoutChanged.connect(self._update_view_state)

    def _grid_row(
        self, grid: QGridLayout, row: int, text: str, field: QWidget, column: int = 0, span: int = 1
    ) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        grid.addWidget(label, row, column)
        grid.addWidget(field, row, column + 1, 1, span)

    def focus_search(self) -> None:
        """Move the keyboard focus to the search box and select its text."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def menu_actions(self) -> list[QAction]:
        """New, Duplicate, Archive/Unarchive, Delete and Find."""
        return [
            self.new_action,
            self.duplicate_action,
            self.archive_action,
            self.delete_action,
            self.find_action,
        ]

    # -- filtering ------------------------------------------------------------------------------

    def current_filter(self) -> ProjectFilter:
        """The filter the search box and filter controls describe."""
        division = self.division.currentData()
        return ProjectFilter(
            text=self.search.text(),
            work_type=self.work_type.currentData(),
            status=self.status.currentData(),
            phase=self.phase.currentData(),
            division=None if division is None else ("" if division == _NO_DIVISION else division),
            show_archived=self.show_archived.isChecked(),
        )

    def clear_filters(self) -> None:
        """Show every project that is not archived."""
        self.search.clear()
        for combo in (self.work_type, self.status, self.phase, self.division):
            combo.setCurrentIndex(0)
        self.show_archived.setChecked(False)

    def _apply_filter(self) -> None:
        self.proxy.set_project_filter(self.current_filter())
        self._update_view_state()
        self._follow_context(self.context.current_project_id)

    def _refresh_rows(self) -> None:
        rows = self.context.projects.rows()
        self.model.set_rows(rows)
        divisions = sorted(
            {r.project.division for r in rows if r.project.division}, key=str.casefold
        )
        wanted: list[tuple[str, object]] = [(d, d) for d in divisions]
        if any(not r.project.division for r in rows):
            wanted.append(("(no division)", _NO_DIVISION))
        current = self.division.currentData()
        self.division.blockSignals(True)
        try:
            while self.division.count() > 1:
                self.division.removeItem(1)
            for text, value in wanted:
                self.division.addItem(text, value)
            self.division.setCurrentIndex(max(0, self.division.findData(current)))
        finally:
            self.division.blockSignals(False)
        if self.division.currentData() != current:
            self._apply_filter()
        self._update_view_state()
        if rows and not self._columns_sized:
            self._size_columns()

    def _size_columns(self) -> None:
        """Fit the columns to their contents once (then they are the user's to resize)."""
        self._columns_sized = True
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in Column:
            cap = 280 if column is Column.TITLE else 170
            header.resizeSection(column, min(header.sectionSize(column), cap))

    def _update_view_state(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        archived = sum(1 for r in self.model.rows() if r.project.archived)
        self.filters.setVisible(total > 0)  # nothing to find yet
        if total == 0:
            self.empty.setText(EMPTY_TEXT)
            self.stack.setCurrentWidget(self.empty)
            self.count.setText("")
        elif shown == 0:
            self.empty.setText(NO_MATCH_TEXT)
            self.stack.setCurrentWidget(self.empty)
        else:
            self.stack.setCurrentWidget(self.table)
        if total:
            hidden = (
                ""
                if self.show_archived.isChecked() or not archived
                else (f" ({archived} archived hidden)")
            )
            self.count.setText(f"{shown} of {total} projects shown{hidden}")
        self.empty.setAccessibleName(self.empty.text())
        self.count.setAccessibleName(self.count.text())
        self._update_actions()

    # -- selection ------------------------------------------------------------------------------

    def selected_project(self) -> Project | None:
        """The project selected in the table (``None`` when none is)."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        project_id = self.proxy.project_id(rows[0].row())
        if project_id is None:
            return None
        source = self.model.row_of(project_id)
        return self.model.row_at(source).project if source >= 0 else None

    def select(self, project_id: str | None) -> None:
        """Select ``project_id`` in the table (clears the selection when it is not shown)."""
        row = self.proxy.proxy_row_of(project_id) if project_id else -1
        selection = self.table.selectionModel()
        if row < 0:
            selection.clearSelection()
            return
        index = self.proxy.index(row, 0)
        selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._update_actions()
        if self._syncing:
            return
        project = self.selected_project()
        if project is not None:
            self.context.select_project(project.id)

    def _follow_context(self, project_id: str | None) -> None:
        selected = self.selected_project()
        if (selected.id if selected else None) == project_id:
            return
        self._syncing = True
        try:
            self.select(project_id)
        finally:
            self._syncing = False
        self._columns_sized = False
        self._update_actions()

    def _update_actions(self) -> None:
        project = self.selected_project()
        writable = not self.context.workspace.read_only
        self.new_action.setEnabled(writable)
        for action in (self.duplicate_action, self.archive_action, self.delete_action):
            action.setEnabled(project is not None and writable)
        archived = project is not None and project.archived
        self.archive_action.setText("Un&archive project" if archived else "&Archive project")
        button = self.toolbar.widgetForAction(self.archive_action)
        if button is not None:
            button.setAccessibleName("Unarchive project" if archived else "Archive project")

    # -- commands -------------------------------------------------------------------------------

    def _divisions(self) -> list[str]:
        return sorted(
            {r.project.division for r in self.model.rows() if r.project.division}, key=str.casefold
        )

    def new_project(self) -> None:
        """Ask for a title and create the project (one undo step), then select it."""
        project = ask_new_project(
            self,
            self._divisions(),
            warn_identifiers=self.context.settings.get("confirm_identifier_warnings"),
        )
        if project is not None:
            self._create(project)

    def duplicate_selected(self) -> None:
        """Create a copy of the selected project's charter (new ids, not archived)."""
        project = self.selected_project()
        if project is None:
            return
        team = tuple(replace(m, id=new_id(), meta=RecordMeta()) for m in project.team)
        copy = replace(
            project,
            id=new_id(),
            meta=RecordMeta(),
            team=team,
            archived=False,
            title=f"Copy of {project.title}"[:200],
        )
        self._create(copy)

    def _create(self, project: Project) -> None:
        command = CreateProjectCommand(self.context, project)
        self.context.push(command)
        try:
            created = self.context.projects.get(command.project.id)
        except NotFoundError:
            return  # refused; the undo stack told the user why
        if self.proxy.proxy_row_of(created.id) < 0:
            self.clear_filters()  # so that the new project can be seen
        self.context.select_project(created.id)

    def toggle_archive_selected(self) -> None:
        """Archive the selected project, or bring an archived one back (one undo step)."""
        project = self.selected_project()
        if project is None:
            return
        try:
            before = self.context.projects.get(project.id)
        except NotFoundError:
            return
        after = before.with_changes(archived=not before.archived)
        verb = "Unarchive" if before.archived else "Archive"
        self.context.push(
            EditProjectCommand(self.context, before, after, f"{verb} project “{before.title}”")
        )

    def delete_selected(self) -> None:
        """Delete the selected project after a confirmation naming it (one undo step)."""
        project = self.selected_project()
        if project is None or not confirm_delete(self, project):
            return
        row = self.proxy.proxy_row_of(project.id)
        self.context.push(DeleteProjectCommand(self.context, project))
        if self.model.row_of(project.id) >= 0:
            return  # refused; the undo stack told the user why
        neighbour = self.proxy.project_id(min(row, self.proxy.rowCount() - 1))
        if self.context.current_project_id == project.id:
            self.context.select_project(neighbour)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- changes --------------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Refresh the rows when projects or team members changed."""
        if changes.touches(Entity.PROJECT) or changes.touches(Entity.TEAM_MEMBER):
            self._refresh_rows()
            self._follow_context(self.context.current_project_id)
