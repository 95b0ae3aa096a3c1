"""The coaching panel's list-and-form pages: coaching sessions, and stories of impact.

A page lists the current project's records and edits one of them in a form. Save builds the
new value from the form and pushes ONE undo command (a new record, or the whole edit of one);
Revert discards the form's changes. Before saving, free text goes through the
patient-identifier guard (warn, don't block). The page reads through the service and follows
broadcast ``Changes``; it never writes to the database itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Generic, TypeVar

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.coaching import (
    CoachingSession,
    Story,
    same_session,
    same_story,
    session_problems,
    story_problems,
)
from qidesk.core.errors import NotFoundError
from qidesk.services.coaching import CoachingService
from qidesk.ui.coaching.commands import (
    AddSessionCommand,
    AddStoryCommand,
    DeleteSessionCommand,
    DeleteStoryCommand,
    EditSessionCommand,
    EditStoryCommand,
)
from qidesk.ui.coaching.editors import SessionForm, StoryForm
from qidesk.ui.coaching.lists import ID_ROLE, RecordListModel, sessions_model, stories_model
from qidesk.ui.coaching.prompts import CoachingPrompts
from qidesk.ui.commands import ServiceCommand
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.dialogs.identifier_warning import identifiers_accepted
from qidesk.ui.widgets.save_bar import SaveBar

R = TypeVar("R", CoachingSession, Story)
F = TypeVar("F", SessionForm, StoryForm)


class RecordPage(QWidget, Generic[R, F]):
    """A list of records on the left, the form of the selected (or new) one on the right."""

    #: what one record is called in messages ("coaching session", "story")
    what = "record"
    entity = Entity.COACHING

    def __init__(
        self,
        context: WorkspaceContext,
        service: CoachingService,
        prompts: Callable[[], CoachingPrompts],
        today: Callable[[], date],
        form: F,
        model: RecordListModel[R],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context, self.service = context, service
        self._prompts, self._today = prompts, today
        self.form: F = form
        self.model: RecordListModel[R] = model
        self.project_id: str | None = None
        self.base: R | None = None  # the record the form started from
        self.is_new = False
        self._build()
        self.form.edited.connect(self._refresh_state)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.list_view = QListView()
        self.list_view.setObjectName(f"{self.what.replace(' ', '_')}_list")
        self.list_view.setModel(self.model)
        self.list_view.setAccessibleName(f"{self.what.capitalize()}s")
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.setWordWrap(True)
        self.list_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.new_button = QPushButton(f"New {self.what}")
        self.new_button.setAccessibleName(f"New {self.what}")
        self.new_button.clicked.connect(self.new_record)
        self.delete_button = QPushButton(f"Delete {self.what}")
        self.delete_button.setAccessibleName(f"Delete the chosen {self.what}")
        self.delete_button.clicked.connect(self.delete_selected)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        left_layout.addLayout(buttons)

        self.empty = QLabel(
            f"No {self.what} chosen. Choose one in the list, or press “New {self.what}”."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setAccessibleName(f"The chosen {self.what}")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.form)
        self.scroll_area = scroll
        self.save_bar = SaveBar(f"{self.what.replace(' ', '_')}_state", self.save, self.revert)
        self.state_text = self.save_bar.state_text
        self.revert_button = self.save_bar.revert_button
        self.save_button = self.save_bar.save_button
        self.revert_button.setAccessibleName(f"Revert: discard unsaved changes to the {self.what}")
        self.save_button.setAccessibleName(f"Save the {self.what}")
        editor = QWidget()
        editor_layout = QVBoxLayout(editor)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(scroll, 1)
        editor_layout.addWidget(self.save_bar)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(editor)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    # ------------------------------------------------------------------ hooks
    def _records(self, project_id: str) -> list[R]:
        raise NotImplementedError

    def _fetch(self, record_id: str) -> R:
        raise NotImplementedError

    def _blank(self, project_id: str) -> R:
        raise NotImplementedError

    def _same(self, a: R, b: R) -> bool:
        raise NotImplementedError

    def _problems(self, draft: R) -> dict[str, str]:
        raise NotImplementedError

    def _draft(self, base: R) -> R:
        raise NotImplementedError

    def _load_form(self, record: R) -> None:
        raise NotImplementedError

    def _add(self, record: R) -> ServiceCommand:
        raise NotImplementedError

    def _edit(self, before: R, after: R) -> ServiceCommand:
        raise NotImplementedError

    def _delete(self, record: R) -> ServiceCommand:
        raise NotImplementedError

    # ------------------------------------------------------------------ state
    def is_dirty(self) -> bool:
        """True when the form holds something not saved (any new record counts)."""
        if self.base is None:
            return False
        return self.is_new or not self._same(self._draft(self.base), self.base)

    def problems(self) -> dict[str, str]:
        """What stops the form from being saved (empty = it can be saved)."""
        return self._problems(self._draft(self.base)) if self.base is not None else {}

    def show_project(self, project_id: str | None) -> None:
        """List the records of ``project_id`` and show none in the form."""
        self.project_id = project_id
        self.base, self.is_new = None, False
        self._reload_list()
        self.stack.setCurrentWidget(self.empty)
        self._refresh_state()

    def _reload_list(self) -> None:
        selected = self.base.id if self.base is not None and not self.is_new else None
        self.model.set_items(self._records(self.project_id) if self.project_id else [])
        self._select(selected)

    def _select(self, record_id: str | None) -> None:
        row = self.model.row_of(record_id) if record_id else -1
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        try:
            if row < 0:
                self.list_view.clearSelection()
            else:
                self.list_view.setCurrentIndex(self.model.index(row))
        finally:
            selection.blockSignals(False)
        self.list_view.viewport().update()

    def _open(self, record: R, *, new: bool) -> None:
        self.base, self.is_new = record, new
        self._load_form(record)
        self.stack.setCurrentIndex(1)
        self._refresh_state()

    def open_record(self, record_id: str) -> None:
        """Show record ``record_id`` in the form and select it in the list."""
        try:
            record = self._fetch(record_id)
        except NotFoundError:
            return
        self._open(record, new=False)
        self._select(record.id)

    def _refresh_state(self) -> None:
        writable = not self.context.workspace.read_only and self.project_id is not None
        self.new_button.setEnabled(writable)
        self.delete_button.setEnabled(writable and self.base is not None and not self.is_new)
        dirty = self.is_dirty()
        problems = self.problems()
        self.save_bar.set_enabled(save=writable and dirty and not problems, revert=dirty)
        if self.base is None:
            self.save_bar.set_state("")
            return
        self.save_bar.show_state(
            read_only=self.context.workspace.read_only,
            dirty=dirty,
            problems="Cannot save yet: " + "; ".join(problems.values()) + "." if problems else "",
            new=f"New {self.what}, not saved yet. Save (Ctrl+S) or Revert." if self.is_new else "",
        )

    # ------------------------------------------------------------------ user actions
    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        record_id = str(indexes[0].data(ID_ROLE))
        if self.base is not None and record_id == self.base.id and not self.is_new:
            return
        if not self._may_discard_edits():
            self._select(self.base.id if self.base is not None and not self.is_new else None)
            return
        self.open_record(record_id)

    def new_record(self) -> None:
        """Start a new record in the form (saved only by Save)."""
        if self.project_id is None:
            return
        if not self._may_discard_edits():
            return
        self._select(None)
        self._open(self._blank(self.project_id), new=True)
        self.form.setFocus()

    def _may_discard_edits(self) -> bool:
        """True when the form has no unsaved edits, or the user agreed to discard them."""
        return not self.is_dirty() or self._prompts().confirm(
            "Unsaved changes",
            f"This {self.what} has changes that are not saved. Discard them?",
            "Discard changes",
        )

    def revert(self) -> None:
        """Discard the form's changes (a new, unsaved record is dropped)."""
        if self.base is None:
            return
        if self.is_new:
            self.base, self.is_new = None, False
            self.stack.setCurrentWidget(self.empty)
            self._refresh_state()
            return
        self.open_record(self.base.id)

    def save(self) -> bool:
        """Save the form as one undo step; True when saved (or nothing needed saving)."""
        base = self.base
        if base is None or self.context.workspace.read_only:
            return False
        draft = self._draft(base)
        if self._problems(draft):
            self._refresh_state()
            return False
        if not self.is_new and self._same(draft, base):
            return True
        if not self._identifiers_accepted():
            return False
        command = self._add(draft) if self.is_new else self._edit(self._fetch(base.id), draft)
        self.context.push(command)
        try:
            stored = self._fetch(draft.id)
        except NotFoundError:  # refused: the undo stack told the user why
            return False
        if not self._same(stored, draft):
            return False
        self._open(stored, new=False)
        self._reload_list()
        return True

    def _identifiers_accepted(self) -> bool:
        return identifiers_accepted(
            self.form.free_text(),
            lambda messages: self._prompts().confirm_identifiers(self.what, messages),
            self.scroll_area.ensureWidgetVisible,
            settings=self.context.settings,
        )

    def delete_selected(self) -> None:
        """Delete the record in the form after confirmation (Undo brings it back)."""
        if self.base is None or self.is_new:
            return
        try:
            record = self._fetch(self.base.id)
        except NotFoundError:
            return
        if not self._prompts().confirm(
            f"Delete {self.what}",
            f"Delete this {self.what}? Undo (Ctrl+Z) brings it back.",
            f"Delete {self.what}",
        ):
            return
        self.context.push(self._delete(record))

    # ------------------------------------------------------------------ following changes
    def apply_changes(self, changes: Changes) -> None:
        """Follow saves, undo and redo of this page's records; keep unsaved edits."""
        if self.project_id is None or not changes.touches(self.entity):
            return
        self._reload_list()
        base = self.base
        if base is None or self.is_new or base.id not in changes.ids(self.entity):
            return
        try:
            fresh = self._fetch(base.id)
        except NotFoundError:  # deleted (or undone): nothing left to edit
            self.base = None
            self.stack.setCurrentWidget(self.empty)
            self._refresh_state()
            return
        if not self.is_dirty() or self._same(self._draft(base), fresh):
            self._open(fresh, new=False)
            self._select(fresh.id)
        else:
            self.base = fresh  # keep the user's edits; saving now writes them over the change
            self._refresh_state()


class SessionsPage(RecordPage[CoachingSession, SessionForm]):
    """The project's coaching sessions and the session being edited."""

    what = "coaching session"
    entity = Entity.COACHING

    def __init__(
        self,
        context: WorkspaceContext,
        service: CoachingService,
        prompts: Callable[[], CoachingPrompts],
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, service, prompts, today, SessionForm(), sessions_model(), parent)
        self.model.setParent(self)

    def _records(self, project_id: str) -> list[CoachingSession]:
        return self.service.sessions(project_id)

    def _fetch(self, record_id: str) -> CoachingSession:
        return self.service.session(record_id)

    def _blank(self, project_id: str) -> CoachingSession:
        return CoachingSession(project_id, self._today(), coach=self.context.workspace.user)

    def _same(self, a: CoachingSession, b: CoachingSession) -> bool:
        return same_session(a, b)

    def _problems(self, draft: CoachingSession) -> dict[str, str]:
        return session_problems(draft)

    def _draft(self, base: CoachingSession) -> CoachingSession:
        return self.form.draft(base)

    def _load_form(self, record: CoachingSession) -> None:
        self.form.load(record)

    def _add(self, record: CoachingSession) -> ServiceCommand:
        return AddSessionCommand(self.context, self.service, record)

    def _edit(self, before: CoachingSession, after: CoachingSession) -> ServiceCommand:
        return EditSessionCommand(self.context, self.service, before, after)

    def _delete(self, record: CoachingSession) -> ServiceCommand:
        return DeleteSessionCommand(self.context, self.service, record)


class StoriesPage(RecordPage[Story, StoryForm]):
    """The project's stories of impact and the story being edited."""

    what = "story"
    entity = Entity.STORY

    def __init__(
        self,
        context: WorkspaceContext,
        service: CoachingService,
        prompts: Callable[[], CoachingPrompts],
        today: Callable[[], date],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, service, prompts, today, StoryForm(), stories_model(), parent)
        self.model.setParent(self)

    def show_project(self, project_id: str | None) -> None:
        """List the project's stories and offer its charts as attachments."""
        self.refresh_measures(project_id)
        super().show_project(project_id)

    def refresh_measures(self, project_id: str | None = None) -> None:
        """Offer the current measures of the project as attachments."""
        pid = project_id if project_id is not None else self.project_id
        self.form.set_measures(self.context.measures.for_project(pid) if pid else [])

    def _records(self, project_id: str) -> list[Story]:
        return self.service.stories(project_id)

    def _fetch(self, record_id: str) -> Story:
        return self.service.story(record_id)

    def _blank(self, project_id: str) -> Story:
        return Story(project_id, self._today())

    def _same(self, a: Story, b: Story) -> bool:
        return same_story(a, b)

    def _problems(self, draft: Story) -> dict[str, str]:
        return story_problems(draft)

    def _draft(self, base: Story) -> Story:
        return self.form.draft(base)

    def _load_form(self, record: Story) -> None:
        self.form.load(record)

    def _add(self, record: Story) -> ServiceCommand:
        return AddStoryCommand(self.context, self.service, record)

    def _edit(self, before: Story, after: Story) -> ServiceCommand:
        return EditStoryCommand(self.context, self.service, before, after)

    def _delete(self, record: Story) -> ServiceCommand:
        return DeleteStoryCommand(self.context, self.service, record)
