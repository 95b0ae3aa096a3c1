"""The project list: find, create, duplicate, archive and delete projects.

Search and filters build a :class:`~qidesk.core.portfolio.ProjectFilter`; the proxy model asks it
which rows to show and asks :func:`~qidesk.core.portfolio.sort_value` how to sort. Every change
is an undo command; the list refreshes when :meth:`ProjectListPanel.apply_changes` says
projects or team members changed.

The "Score check" column says when a team's score is stale (always) and, once the user asks to
"Compare scores with the evidence", where the evidence suggests a different score. Suggestions
are costly (every chart of a project), so they are computed only on request, for the projects
shown, and dropped when a change may have altered their evidence.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
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
from qidesk.core.portfolio import ProjectFilter, ProjectRow
from qidesk.core.progress import Suggestion
from qidesk.core.project import JourneyPhase, Project, Status, WorkType
from qidesk.core.records import RecordMeta, new_id
from qidesk.services.coaching import CoachingService
from qidesk.ui.commands import CreateProjectCommand, DeleteProjectCommand, EditProjectCommand
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.models.project_list_model import Column, ProjectListModel, ProjectListProxy
from qidesk.ui.panels.charter_new_project import NewProjectDialog

#: Ctrl+N: the main window keeps Ctrl+Shift+N for "New workspace" (``qidesk.ui.actions``).
NEW_PROJECT_SHORTCUT = "Ctrl+N"
EMPTY_TEXT = "No projects yet — press Ctrl+N to create one."
NO_MATCH_TEXT = "No projects match the search and filters."
_NO_DIVISION = "\0none"
#: changes that cannot alter a project's evidence (the rest drop the suggestions compared)
_NOT_EVIDENCE = frozenset({Entity.COACHING, Entity.STORY})


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


#: the short toolbar texts used when the dock is too narrow for the full ones (the menu, the
#: tooltips and the accessible names keep the full text)
_SHORT_TEXTS = {
    "new_project": "New…",
    "duplicate_project": "Duplicate",
    "archive_project": "Archive",
    "delete_project": "Delete…",
}


def _fit_popup(combo: QComboBox) -> None:
    """Let the drop-down list show whole items even when the combo itself is narrow."""
    view = combo.view()
    view.setMinimumWidth(view.sizeHintForColumn(0) + view.verticalScrollBar().sizeHint().width())


def _filter_combo(name: str, any_text: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    # narrow docks: the combo may shrink to a few characters (the current text is elided,
    # written out in full in the tooltip, and the drop-down list is as wide as its items)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(8)
    combo.addItem(any_text, None)
    for text, value in items:
        combo.addItem(text, value)
    combo.currentTextChanged.connect(combo.setToolTip)
    combo.setToolTip(combo.currentText())
    _fit_popup(combo)
    return combo


class _FilterGrid(QWidget):
    """The search box and the filters: label/field pairs two abreast when there is room.

    In a narrow dock the pairs stack in one column, so the panel can shrink to about 320 px
    without clipping a label or a combo. The search box and the last row always span the width.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self._search: tuple[QLabel, QWidget] | None = None
        self._pairs: list[tuple[QLabel, QWidget]] = []
        self._last: QWidget | None = None
        self._columns = 0

    def set_fields(
        self,
        search: tuple[QLabel, QWidget],
        pairs: list[tuple[QLabel, QWidget]],
        last: QWidget,
    ) -> None:
        """The search row, the label/field pairs (in reading order) and the last row."""
        self._search, self._pairs, self._last = search, pairs, last
        self._columns = 0
        self._arrange(self._columns_for(self.width()))

    @property
    def columns(self) -> int:
        """How many label/field pairs sit side by side now (1 or 2)."""
        return self._columns

    def _label_width(self) -> int:
        return max(label.sizeHint().width() for label, _ in self._pairs)

    def _two_column_width(self) -> int:
        """The width under which two pairs side by side would squeeze the combos."""
        spacing = max(self.grid.horizontalSpacing(), 6)
        field = max(field.sizeHint().width() for _, field in self._pairs)
        return 2 * (self._label_width() + field + 24) + 3 * spacing

    def _columns_for(self, width: int) -> int:
        if not self._pairs:
            return 1
        return 2 if width >= self._two_column_width() else 1

    def _arrange(self, columns: int) -> None:
        if columns == self._columns or self._search is None or self._last is None:
            return
        self._columns = columns
        grid = self.grid
        widgets = [*self._search, *[w for pair in self._pairs for w in pair], self._last]
        for widget in widgets:
            grid.removeWidget(widget)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        span = 2 * columns - 1
        label, field = self._search
        grid.addWidget(label, 0, 0)
        grid.addWidget(field, 0, 1, 1, span)
        for k, (label, field) in enumerate(self._pairs):
            row, column = 1 + k // columns, 2 * (k % columns)
            grid.addWidget(label, row, column)
            grid.addWidget(field, row, column + 1)
        row = 1 + (len(self._pairs) + columns - 1) // columns
        grid.addWidget(self._last, row, 1, 1, span)
        for column in range(1, 2 * columns, 2):
            grid.setColumnStretch(column, 1)
        for widget in widgets:
            widget.show()
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        """As narrow as one column of pairs needs (two abreast only when there is room)."""
        hint = super().minimumSizeHint()
        if not self._pairs or self._last is None:
            return hint
        spacing = max(self.grid.horizontalSpacing(), 6)
        field = max(field.minimumSizeHint().width() for _, field in self._pairs)
        width = self._label_width() + spacing + max(field, self._last.minimumSizeHint().width())
        return QSize(width, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Two pairs abreast when they fit, else one under the other."""
        super().resizeEvent(event)
        self._arrange(self._columns_for(event.size().width()))


class ProjectListPanel(Panel):
    """Finds projects (search, filters, sortable columns) and creates, archives and deletes them."""

    panel_id = "projects"
    title = "Projects"

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._syncing = False
        self._columns_sized = False
        self._suggestions: dict[str, Suggestion] = {}
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
        self.compare_action = self._action(
            "C&ompare scores with the evidence",
            "compare_scores",
            "Suggest a progress score from the evidence for the projects shown and flag "
            "where it differs from the team's score",
        )
        self.compare_action.setIconText("Compare scores")
        self.compare_action.triggered.connect(self.compare_scores)

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
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.compare_action)
        self.toolbar.widgetForAction(self.compare_action).setAccessibleName(
            "Compare scores with the evidence"
        )
        self._short_toolbar = False

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
        self.scores_to_review = QCheckBox("Only scores to review")
        self.scores_to_review.setAccessibleName("Only scores to review")
        self.scores_to_review.setToolTip(
            "Only projects whose score is stale or differs from the evidence "
            "(compare scores with the evidence to see differences)"
        )
        self.clear_button = QPushButton("Clear filters")
        self.clear_button.setAccessibleName("Clear search and filters")

        last_row = QWidget()
        last_layout = QHBoxLayout(last_row)
        last_layout.setContentsMargins(0, 0, 0, 0)
        checks = QVBoxLayout()  # one under the other, so a narrow dock need not clip them
        checks.setContentsMargins(0, 0, 0, 0)
        checks.addWidget(self.show_archived)
        checks.addWidget(self.scores_to_review)
        last_layout.addLayout(checks)
        last_layout.addStretch(1)
        last_layout.addWidget(self.clear_button)
        self.filters = _FilterGrid()
        self.filters.setObjectName("project_filters")
        self.filters.set_fields(
            self._labelled("Search:", self.search),
            [
                self._labelled("Type:", self.work_type),
                self._labelled("Status:", self.status),
                self._labelled("Phase:", self.phase),
                self._labelled("Division:", self.division),
            ],
            last_row,
        )

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
        header.sectionResized.connect(self._section_resized)
        self._fitting_title = False
        self._title_by_user = False
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
        self.scores_to_review.toggled.connect(self._apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.proxy.rowsInserted.connect(self._update_view_state)
        self.proxy.rowsRemoved.connect(self._update_view_state)
        self.proxy.modelReset.connect(self._update_view_state)
        self.proxy.layoutChanged.connect(self._update_view_state)

    @staticmethod
    def _labelled(text: str, field: QWidget) -> tuple[QLabel, QWidget]:
        label = QLabel(text)
        label.setBuddy(field)
        return label, field

    def _full_toolbar_width(self) -> int:
        """The width the toolbar needs to write every button out in full."""
        metrics = self.toolbar.fontMetrics()
        texts = [a.text().replace("&", "") for a in self.menu_actions()[:4]]
        return sum(metrics.horizontalAdvance(t) + 22 for t in texts) + 16

    def _fit_toolbar(self, width: int) -> None:
        """Short button texts ("New…", "Archive"…) when the full ones would not fit."""
        short = width < self._full_toolbar_width()
        if short == self._short_toolbar:
            return
        self._short_toolbar = short
        self._update_actions()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the toolbar and the table's columns to the dock's width."""
        super().resizeEvent(event)
        self._fit_toolbar(event.size().width())
        if self._columns_sized and event.size().width() != event.oldSize().width():
            self._fit_title_column()

    def focus_search(self) -> None:
        """Move the keyboard focus to the search box and select its text."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def menu_actions(self) -> list[QAction]:
        """New, Duplicate, Archive/Unarchive, Delete, Find and Compare scores."""
        return [
            self.new_action,
            self.duplicate_action,
            self.archive_action,
            self.delete_action,
            self.find_action,
            self.compare_action,
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
            scores_to_review=self.scores_to_review.isChecked(),
        )

    def clear_filters(self) -> None:
        """Show every project that is not archived."""
        self.search.clear()
        for combo in (self.work_type, self.status, self.phase, self.division):
            combo.setCurrentIndex(0)
        self.show_archived.setChecked(False)
        self.scores_to_review.setChecked(False)

    def _apply_filter(self) -> None:
        self.proxy.set_project_filter(self.current_filter())
        self._update_view_state()
        self._follow_context(self.context.current_project_id)

    def _with_suggestion(self, row: ProjectRow) -> ProjectRow:
        suggestion = self._suggestions.get(row.project.id)
        if suggestion is None:
            return row
        return replace(row, suggested_score=suggestion.score, suggestion_reasons=suggestion.reasons)

    def _refresh_rows(self) -> None:
        rows = self.context.projects.rows()
        self.model.set_rows([self._with_suggestion(r) for r in rows])
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
        self.division.setToolTip(self.division.currentText())
        _fit_popup(self.division)
        if self.division.currentData() != current:
            self._apply_filter()
        self._update_view_state()
        if rows and not self._columns_sized:
            self._size_columns()

    def _size_columns(self) -> None:
        """Fit the columns to their contents once (then they are the user's to resize).

        The title gets what the dock can spare (long titles are elided; the tooltip has them in
        full); the other columns are read by scrolling sideways in a narrow dock.
        """
        self._columns_sized = False  # these resizes are ours, not the user's
        self.table.horizontalHeader().setResizeContentsPrecision(40)
        self.table.resizeColumnsToContents()
        self._columns_sized = True
        header = self.table.horizontalHeader()
        self._title_wanted = header.sectionSize(Column.TITLE)
        for column in Column:
            if column is not Column.TITLE:
                header.resizeSection(column, min(header.sectionSize(column), 170))
        self._fit_title_column()

    def _fit_title_column(self) -> None:
        """Give the title column its contents' width, up to what leaves the next column whole.

        Follows the dock's width until the user resizes the column themselves.
        """
        wanted = getattr(self, "_title_wanted", 0)
        if not wanted or self._title_by_user:
            return
        room = self.table.viewport().width() or self.table.width()
        header = self.table.horizontalHeader()
        next_column = header.sectionSize(Column.WORK_TYPE)  # seen whole, not cut by the edge
        self._fitting_title = True
        try:
            header.resizeSection(Column.TITLE, max(150, min(wanted, 300, room - next_column)))
        finally:
            self._fitting_title = False

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == Column.TITLE and not self._fitting_title and self._columns_sized:
            self._title_by_user = True

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
        self.compare_action.setEnabled(self.proxy.rowCount() > 0)
        for action in (self.duplicate_action, self.archive_action, self.delete_action):
            action.setEnabled(project is not None and writable)
        archived = project is not None and project.archived
        self.archive_action.setText("Un&archive project" if archived else "&Archive project")
        short = getattr(self, "_short_toolbar", False)
        for action in self.menu_actions()[:4]:
            full = action.text().replace("&", "")
            text = _SHORT_TEXTS[action.objectName()] if short else full
            if action is self.archive_action and short:
                text = "Unarchive" if archived else "Archive"
            action.setIconText(text)
        button = self.toolbar.widgetForAction(self.archive_action)
        if button is not None:
            button.setAccessibleName("Unarchive project" if archived else "Archive project")

    # -- comparing scores -----------------------------------------------------------------------

    def compare_scores(self) -> None:
        """Suggest a score from the evidence for every project shown (kept until it changes)."""
        ids = [self.proxy.project_id(r) for r in range(self.proxy.rowCount())]
        if not ids:
            return
        service = CoachingService(self.context.workspace.workspace)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for project_id in ids:
                if project_id is None:
                    continue
                try:
                    self._suggestions[project_id] = service.suggestion(project_id)
                except NotFoundError:
                    continue
        finally:
            QApplication.restoreOverrideCursor()
        self._refresh_rows()
        differ = sum(1 for r in self.model.rows() if r.score_disagreement())
        self.count.setText(
            f"{self.count.text()} — {differ} score{'s' if differ != 1 else ''} differ "
            "from the evidence"
        )
        self.count.setAccessibleName(self.count.text())

    def _forget_suggestions(self, changes: Changes) -> bool:
        """Drop the suggestions ``changes`` may have made wrong; True when any were dropped."""
        if not self._suggestions:
            return False
        before = len(self._suggestions)
        evidence = [
            e
            for e in Entity
            if e not in _NOT_EVIDENCE and e is not Entity.PROJECT and changes.ids(e)
        ]
        if changes.workspace_replaced or evidence:
            self._suggestions.clear()  # the ids do not say which project: recompute on request
        for project_id in changes.ids(Entity.PROJECT):
            self._suggestions.pop(project_id, None)
        return len(self._suggestions) != before

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
        """Refresh the rows when projects or team members changed (or evidence compared)."""
        forgot = self._forget_suggestions(changes)
        if forgot or changes.touches(Entity.PROJECT) or changes.touches(Entity.TEAM_MEMBER):
            self._refresh_rows()
            self._follow_context(self.context.current_project_id)
