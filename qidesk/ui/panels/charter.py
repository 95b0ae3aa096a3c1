"""The charter panel: the whole charter of the current project, saved as one undo step.

Save builds a new :class:`~qidesk.core.project.Project` from the form and pushes ONE
:class:`~qidesk.ui.commands.EditProjectCommand`; undoing it restores the previous charter, and
the form follows through :meth:`CharterPanel.apply_changes`. Before saving, every free-text field
goes through the patient-identifier guard (warn, don't block). Field problems come from
:func:`qidesk.core.project.project_problems` and are shown next to their fields.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.errors import NotFoundError
from qidesk.core.project import Project, project_problems
from qidesk.ui.commands import EditProjectCommand
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.dialogs.identifier_warning import identifiers_accepted
from qidesk.ui.panels.charter_fields import NoticeBar
from qidesk.ui.panels.charter_form import CharterForm, same_charter
from qidesk.ui.panels.charter_guard import confirm_identifier_warning
from qidesk.ui.widgets.save_bar import SaveBar

AGGREGATE_ONLY_NOTE = "qidesk holds aggregate data only — never enter patient-identifiable details"
NO_PROJECT_TEXT = (
    "No project selected.\n\nChoose a project in the Projects list to see and edit its "
    "charter, or press Ctrl+N to create a new project."
)
_DELETED_TEXT = "This project was deleted. Undo (Ctrl+Z) brings it back."
_FIELD_NAMES = {
    "title": "Title",
    "score": "IHI progress score",
    "planned_end": "Planned end",
    "actual_end": "Actual end",
}


def _problems_text(problems: dict[str, str]) -> str:
    """What the save bar says about ``problems`` (names the fields; "" when there are none)."""
    if not problems:
        return ""
    fields = sorted({_FIELD_NAMES.get(k, "Team") for k in problems})
    count = len(problems)
    return (
        f"Cannot save yet: {count} problem{'s' if count != 1 else ''} "
        f"({', '.join(fields)}). See the marked fields."
    )


class CharterPanel(Panel):
    """Shows and edits the charter of the current project with explicit Save and Revert."""

    panel_id = "charter"
    title = "Charter"

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._stored: Project | None = None  # as last read from the store
        self._baseline: Project | None = None  # what the form showed right after loading
        self._deleted = False
        self._pending: tuple[str | None] | None = None  # a selection waiting for unsaved edits
        self._build()
        self.form.set_user(context.workspace.user)
        self.form.edited.connect(self._refresh_state)
        context.on_project_selected(self._on_project_selected)
        self._show(context.current_project_id)

    # -- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        note = QFrame()
        note.setObjectName("aggregate_note")
        note.setStyleSheet(
            "#aggregate_note { background: #e8f1f8; border-left: 4px solid #005eb8; }"
            " #aggregate_note QLabel { color: #212b32; }"
        )
        note_icon = QLabel(note)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        note_icon.setPixmap(
            self.style()
            .standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            .pixmap(size, size)
        )
        note_text = QLabel(f"{AGGREGATE_ONLY_NOTE}.", note)
        note_text.setWordWrap(True)
        note_text.setAccessibleName(AGGREGATE_ONLY_NOTE)
        note_layout = QHBoxLayout(note)
        note_layout.setContentsMargins(10, 6, 8, 6)
        note_layout.addWidget(note_icon)
        note_layout.addWidget(note_text, 1)
        self.notice = NoticeBar(self)

        self.empty = QLabel(NO_PROJECT_TEXT)
        self.empty.setObjectName("charter_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("No project selected")

        self.heading = QLabel()
        self.heading.setObjectName("charter_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.form = CharterForm()
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(self.form)
        self.scroll_area.setAccessibleName("Charter fields")

        self.save_bar = SaveBar("charter_state", self.save, self.revert, with_icon=True)
        self.state_text = self.save_bar.state_text
        self.revert_button = self.save_bar.revert_button
        self.revert_button.setAccessibleName("Revert: discard unsaved changes")
        self.revert_button.setToolTip("Discard unsaved changes and show the stored charter")
        self.save_button = self.save_bar.save_button
        self.save_button.setAccessibleName("Save charter")
        self.save_button.setToolTip("Save the charter (Ctrl+S); Undo reverses a save")

        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.heading)
        page_layout.addWidget(self.scroll_area, 1)
        page_layout.addWidget(self.save_bar)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)

        self.save_action = QAction("&Save charter", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.setStatusTip("Save the charter as one step you can undo")
        self.save_action.triggered.connect(self.save)
        self.revert_action = QAction("&Revert charter", self)
        self.revert_action.setStatusTip("Discard unsaved changes to the charter")
        self.revert_action.triggered.connect(self.revert)
        self.addAction(self.save_action)
        self.addAction(self.revert_action)

    def menu_actions(self) -> list[QAction]:
        """Save (Ctrl+S while the charter has focus) and Revert."""
        return [self.save_action, self.revert_action]

    # -- state ----------------------------------------------------------------------------------

    @property
    def project_id(self) -> str | None:
        """The id of the project shown (``None`` when none is)."""
        return self._stored.id if self._stored else None

    def is_dirty(self) -> bool:
        """True when the form differs from the charter it loaded."""
        if self._stored is None or self._baseline is None:
            return False
        return not same_charter(self.form.draft(self._stored), self._baseline)

    def problems(self) -> dict[str, str]:
        """What stops the form from being saved, keyed by field (from ``project_problems``)."""
        if self._stored is None:
            return {}
        return project_problems(self.form.draft(self._stored))

    def _show(self, project_id: str | None) -> None:
        self._pending = None
        self.notice.hide_notice()
        self._deleted = False
        project = None
        if project_id is not None:
            try:
                project = self.context.projects.get(project_id)
            except NotFoundError:
                project = None
        if project is None:
            self._stored = self._baseline = None
            self.stack.setCurrentWidget(self.empty)
            self._refresh_state()
            return
        self._load(project)

    def _load(self, project: Project) -> None:
        self._refresh_suggestions()
        self.form.load(project)
        self._stored = project
        self._baseline = self.form.draft(project)
        self._deleted = False
        self.notice.hide_notice()
        self.stack.setCurrentIndex(1)
        self._refresh_state()

    def _refresh_suggestions(self) -> None:
        rows = self.context.projects.rows()
        for key in ("division", "directorate", "ward", "programme"):
            self.form.set_suggestions(key, [getattr(r.project, key) for r in rows])

    def _refresh_state(self) -> None:
        stored = self._stored
        if stored is None:
            self.save_action.setEnabled(False)
            self.revert_action.setEnabled(False)
            self.save_bar.set_enabled(save=False, revert=False)
            return
        problems = self.problems()
        self.form.show_problems(problems)
        dirty = self.is_dirty()
        read_only = self.context.workspace.read_only
        can_save = dirty and not problems and not self._deleted and not read_only
        self.save_bar.set_enabled(save=can_save, revert=dirty and not self._deleted)
        self.save_action.setEnabled(can_save)
        self.revert_action.setEnabled(dirty and not self._deleted)
        suffix = " (archived)" if stored.archived else ""
        self.heading.setText(f"{stored.title or 'Untitled project'}{suffix}")
        self.save_bar.show_state(
            read_only=read_only,
            dirty=dirty,
            deleted=_DELETED_TEXT if self._deleted else "",
            problems=_problems_text(problems),
        )

    # -- saving ---------------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the form as one undo step; True when it was saved (or nothing needed saving)."""
        stored = self._stored
        if stored is None or self._deleted:
            return False
        problems = self.problems()
        if problems:
            self.form.show_problems(problems)
            self.form.focus_problem(next(iter(problems)))
            return False
        if not self._identifiers_accepted():
            return False
        try:
            fresh = self.context.projects.get(stored.id)
        except NotFoundError:
            self._deleted = True
            self._refresh_state()
            return False
        after = self.form.draft(fresh)
        if not same_charter(after, fresh):
            command = EditProjectCommand(
                self.context, fresh, after, f"Edit charter of “{after.title}”"
            )
            self.context.push(command)
        try:
            saved = self.context.projects.get(stored.id)
        except NotFoundError:
            return False
        if not same_charter(self.form.draft(saved), saved):  # refused (the stack said why)
            self._refresh_state()
            return False
        self._load(saved)
        self._after_save_or_revert()
        return True

    def _identifiers_accepted(self) -> bool:
        return identifiers_accepted(
            self.form.free_text(),
            lambda messages: confirm_identifier_warning(self, messages),
            self.scroll_area.ensureWidgetVisible,
            settings=self.context.settings,
        )

    def revert(self) -> None:
        """Discard unsaved edits and show the stored charter."""
        if self._stored is None:
            return
        pending = self._pending
        self._show(self._stored.id)
        self._pending = pending
        self._after_save_or_revert()

    def _after_save_or_revert(self) -> None:
        """Open the project chosen while there were unsaved edits, if any."""
        if self._pending is not None:
            (pending,) = self._pending
            self._pending = None
            self._show(pending)

    # -- following the rest of the window -------------------------------------------------------

    def _on_project_selected(self, project_id: str | None) -> None:
        if project_id == self.project_id and self._pending is None:
            return
        if project_id == self.project_id:
            self._pending = None
            self.notice.hide_notice()
            return
        if not self.is_dirty() or self._deleted:
            self._show(project_id)
            return
        self._pending = (project_id,)
        name = self._title_of(project_id)
        current = self._stored.title if self._stored else ""
        self.notice.show_notice(
            f"Your changes to “{current}” are not saved yet. Save or discard them to open {name}.",
            [
                (f"Save and open {name}", self._save_then_switch),
                ("Discard changes", self._discard_then_switch),
            ],
        )

    def _title_of(self, project_id: str | None) -> str:
        if project_id is None:
            return "another project"
        try:
            return f"“{self.context.projects.get(project_id).title}”"
        except NotFoundError:
            return "the chosen project"

    def _save_then_switch(self) -> None:
        self.save()

    def _discard_then_switch(self) -> None:
        self.revert()

    def apply_changes(self, changes: Changes) -> None:
        """Follow saves, undo and redo of the shown project; keep unsaved edits safe."""
        if changes.workspace_replaced:
            self._show(self.context.current_project_id)
            return
        if not changes.touches(Entity.PROJECT):
            return
        shown = self.project_id
        if shown is None:
            current = self.context.current_project_id
            if current is not None and current in changes.ids(Entity.PROJECT):
                self._show(current)
            return
        self._refresh_suggestions()
        if shown not in changes.ids(Entity.PROJECT):
            return
        try:
            fresh = self.context.projects.get(shown)
        except NotFoundError:
            self._project_deleted()
            return
        before, was_deleted = self._stored, self._deleted
        if not self.is_dirty() or same_charter(self.form.draft(fresh), fresh):
            self._load(fresh)
            return
        self._stored, self._deleted = fresh, False
        if was_deleted or (before is not None and same_charter(before, fresh)):
            self.notice.hide_notice()  # restored, or only archived: the edits still apply
        else:
            self.notice.show_notice(
                f"“{fresh.title}” was changed elsewhere (for example by Undo) while you were "
                "editing it. Your unsaved changes are still here.",
                [
                    ("Reload (discard my changes)", lambda: self._show(shown)),
                    ("Keep my changes", self._keep_edits),
                ],
            )
        self._refresh_state()

    def _project_deleted(self) -> None:
        self._deleted = True
        self.notice.show_notice(
            "This project was deleted. Undo (Ctrl+Z) brings it back; until then it cannot "
            "be saved.",
            [],
        )
        self._refresh_state()

    def _keep_edits(self) -> None:
        self.notice.hide_notice()
        self._refresh_state()
