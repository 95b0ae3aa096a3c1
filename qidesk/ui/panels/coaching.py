"""The coaching panel: sessions and actions, open actions, stories, and the progress-score advice.

It follows the project chosen in the project list. Every edit is one undo command (see
:mod:`qidesk.ui.coaching.commands`); the panel refreshes from broadcast ``Changes`` only. The
suggested IHI progress score is shown beside the team's own, with its reasons: the team
decides, and "Apply suggestion…" changes nothing until the user confirms (then it pushes one
:class:`~qidesk.ui.commands.EditProjectCommand`, so Undo reverses it).

From here a coach also opens the projector view of the project (Model for Improvement's three
questions, in large type) and saves the one-page project summary PDF.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.errors import NotFoundError
from qidesk.core.progress import Suggestion
from qidesk.core.project import ProgressScore
from qidesk.services.coaching import CoachingService
from qidesk.ui.coaching.commands import SetActionDoneCommand
from qidesk.ui.coaching.lists import open_actions_model
from qidesk.ui.coaching.pages import SessionsPage, StoriesPage
from qidesk.ui.coaching.prompts import CoachingPrompts
from qidesk.ui.coaching.score_box import ScoreBox
from qidesk.ui.commands import EditProjectCommand
from qidesk.ui.context import Panel, WorkspaceContext

NO_PROJECT = (
    "No project selected.\n\nChoose a project in the Projects list to see its coaching "
    "sessions, open actions and stories, and the progress score the evidence suggests."
)
#: the sessions, actions and stories below the score box keep at least this height
TABS_MIN_HEIGHT = 240
#: changes that can move the suggested score
_EVIDENCE = (
    Entity.PROJECT,
    Entity.TEAM_MEMBER,
    Entity.MEASURE,
    Entity.OBSERVATION,
    Entity.PHASE,
    Entity.ANNOTATION,
    Entity.PDSA,
    Entity.DRIVER,
)


class CoachingPanel(Panel):
    """Coaching sessions, open actions, stories and the suggested progress score."""

    panel_id = "coaching"
    title = "Coaching"

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.service = CoachingService(context.workspace.workspace)
        self.prompts = CoachingPrompts(self)
        #: what "today" is (tests set a fixed day)
        self.today: Callable[[], date] = date.today
        self.project_id: str | None = None
        self.suggestion: Suggestion | None = None
        self._presenters: list[QWidget] = []
        #: True once the user has dragged the handle under the score box
        self.split_moved_by_user = False
        self._build()
        context.on_project_selected(self._on_project_selected)
        self._show(context.current_project_id)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setObjectName("coaching_heading")
        self.heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.score_box = ScoreBox()
        self.score_box.apply_requested.connect(self.apply_suggestion)

        def prompts() -> CoachingPrompts:
            return self.prompts

        def today() -> date:
            return self.today()

        self.sessions = SessionsPage(self.context, self.service, prompts, today)
        self.stories = StoriesPage(self.context, self.service, prompts, today)
        self.actions_model = open_actions_model(today, self)
        self.actions_view = QListView()
        self.actions_view.setObjectName("open_actions")
        self.actions_view.setModel(self.actions_model)
        self.actions_view.setAccessibleName("Open actions")
        self.actions_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.actions_view.setWordWrap(True)
        self.actions_view.setResizeMode(QListView.ResizeMode.Adjust)
        self.actions_view.doubleClicked.connect(lambda _i: self.go_to_session())
        self.done_button = QPushButton("Mark done")
        self.done_button.setAccessibleName("Mark the selected action done")
        self.done_button.setToolTip("Tick the selected action off (Undo reverses it)")
        self.done_button.clicked.connect(self.mark_selected_done)
        self.go_button = QPushButton("Open its session")
        self.go_button.setAccessibleName("Open the session of the selected action")
        self.go_button.clicked.connect(self.go_to_session)
        actions_page = QWidget()
        actions_layout = QVBoxLayout(actions_page)
        actions_layout.addWidget(
            QLabel("Actions not yet done, across every coaching session, soonest due first.")
        )
        actions_layout.addWidget(self.actions_view, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.go_button)
        buttons.addStretch(1)
        actions_layout.addLayout(buttons)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("coaching_tabs")
        self.tabs.setAccessibleName("Coaching sessions, open actions and stories")
        self.tabs.tabBar().setAccessibleName("Coaching records")
        self.tabs.addTab(self.sessions, "&Sessions")
        self.tabs.addTab(actions_page, "Open &actions")
        self.tabs.addTab(self.stories, "S&tories")

        self.present_button = QPushButton("Coaching view (projector)…")
        self.present_button.setToolTip(
            "Show the project in large type: the three questions, charts and open actions (F11)"
        )
        self.present_button.setAccessibleName("Coaching view for a projector")
        self.present_button.clicked.connect(self.open_coaching_view)
        self.pdf_button = QPushButton("Project summary PDF…")
        self.pdf_button.setToolTip("Save a one-page summary of the project for boards and events")
        self.pdf_button.setAccessibleName("Save the project summary as PDF")
        self.pdf_button.clicked.connect(self.export_summary)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.present_button)
        top.addWidget(self.pdf_button)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("coaching_splitter")
        splitter.addWidget(self.score_box)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([330, 470])
        splitter.splitterMoved.connect(self._split_moved)
        self.splitter = splitter
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addLayout(top)
        page_layout.addWidget(splitter, 1)
        self.empty = QLabel(NO_PROJECT)
        self.empty.setObjectName("coaching_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self._build_actions()
        self.actions_view.selectionModel().selectionChanged.connect(self._update_buttons)

    def _build_actions(self) -> None:
        self.save_action = QAction("&Save session or story", self)
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.triggered.connect(self.save_current)
        self.addAction(self.save_action)
        self.new_session_action = QAction("New coaching &session", self)
        self.new_session_action.triggered.connect(self.new_session)
        self.new_story_action = QAction("New s&tory", self)
        self.new_story_action.triggered.connect(self.new_story)
        self.apply_action = QAction("&Apply suggested score…", self)
        self.apply_action.triggered.connect(self.apply_suggestion)
        self.present_action = QAction("Coaching &view (projector)…", self)
        self.present_action.setObjectName("open_coaching_view")
        self.present_action.triggered.connect(self.open_coaching_view)
        self.pdf_action = QAction("Project summary &PDF…", self)
        self.pdf_action.setObjectName("export_project_summary")
        self.pdf_action.triggered.connect(self.export_summary)

    # ------------------------------------------------------------------ room for the score box
    def fit_split(self) -> None:
        """Give the score box the height that shows all its reasons, if the panel has it.

        The sessions, actions and stories below keep at least :data:`TABS_MIN_HEIGHT`; when the
        box cannot have all it needs, its score columns scroll. Once the user drags the handle,
        their choice stands.
        """
        total = sum(self.splitter.sizes())
        if self.split_moved_by_user or total <= 0:
            return
        box = self.score_box
        wanted = box.height_for(box.width() if box.width() > 0 else self.splitter.width())
        keep = max(TABS_MIN_HEIGHT, self.tabs.minimumSizeHint().height())
        height = max(box.minimumSizeHint().height(), min(wanted, total - keep))
        if self.splitter.sizes()[0] != height:
            self.splitter.setSizes([height, total - height])

    def _split_moved(self) -> None:
        self.split_moved_by_user = True

    def showEvent(self, event: QShowEvent) -> None:
        """Size the score box once the panel has its real size."""
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_split)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the score box fitted as the window grows or shrinks."""
        super().resizeEvent(event)
        QTimer.singleShot(0, self.fit_split)

    def menu_actions(self) -> list[QAction]:
        """New session/story, apply the suggestion, the projector view and the PDF.

        Save (Ctrl+S while the panel has focus) stays on the panel only, as on the charter and
        PDSA panels, so that no two menu entries share a shortcut.
        """
        return [
            self.new_session_action,
            self.new_story_action,
            self.apply_action,
            self.present_action,
            self.pdf_action,
        ]

    # ------------------------------------------------------------------ showing
    def _show(self, project_id: str | None) -> None:
        project = None
        if project_id is not None:
            try:
                project = self.context.projects.get(project_id)
            except NotFoundError:
                project = None
        self.project_id = project.id if project else None
        self.sessions.show_project(self.project_id)
        self.stories.show_project(self.project_id)
        if project is None:
            self.stack.setCurrentWidget(self.empty)
            self.suggestion = None
            self.actions_model.set_items([])
        else:
            self.stack.setCurrentIndex(1)
            self._refresh_actions()
            self._refresh_score()
        self._update_buttons()

    def _refresh_score(self) -> None:
        if self.project_id is None:
            return
        try:
            project = self.context.projects.get(self.project_id)
        except NotFoundError:
            self._show(None)
            return
        self.heading.setText(project.title)
        self.suggestion = self.service.suggestion(project.id)
        self.score_box.show_scores(project, self.suggestion, self.today())
        QTimer.singleShot(0, self.fit_split)

    def _refresh_actions(self) -> None:
        if self.project_id is not None:
            self.actions_model.set_items(self.service.open_actions(self.project_id))

    def _update_buttons(self) -> None:
        has_project = self.project_id is not None
        writable = has_project and not self.context.workspace.read_only
        selected = bool(self.actions_view.selectionModel().selectedIndexes())
        self.done_button.setEnabled(writable and selected)
        self.go_button.setEnabled(selected)
        for action in (self.new_session_action, self.new_story_action, self.save_action):
            action.setEnabled(writable)
        self.apply_action.setEnabled(writable and self.score_box.apply_button.isEnabled())
        self.score_box.apply_button.setVisible(not self.context.workspace.read_only)
        for w in (self.present_action, self.pdf_action, self.present_button, self.pdf_button):
            w.setEnabled(has_project)

    # ------------------------------------------------------------------ user actions
    def new_session(self) -> None:
        """Start a new coaching session in the Sessions tab."""
        self.tabs.setCurrentWidget(self.sessions)
        self.sessions.new_record()

    def new_story(self) -> None:
        """Start a new story in the Stories tab."""
        self.tabs.setCurrentWidget(self.stories)
        self.stories.new_record()

    def save_current(self) -> None:
        """Save the session or story being edited in the current tab."""
        page = self.tabs.currentWidget()
        if page is self.sessions or page is self.stories:
            page.save()

    def _selected_action(self) -> tuple[str, str] | None:
        indexes = self.actions_view.selectionModel().selectedIndexes()
        if not indexes:
            return None
        item = self.actions_model.item(indexes[0].row())
        return item.action.id, item.session.id

    def mark_selected_done(self) -> None:
        """Tick the selected open action off (one undo step)."""
        indexes = self.actions_view.selectionModel().selectedIndexes()
        if not indexes or self.context.workspace.read_only:
            return
        item = self.actions_model.item(indexes[0].row())
        self.context.push(
            SetActionDoneCommand(self.context, self.service, item.action.id, item.action.text, True)
        )

    def go_to_session(self) -> None:
        """Open the session the selected action came from."""
        chosen = self._selected_action()
        if chosen is None:
            return
        self.tabs.setCurrentWidget(self.sessions)
        self.sessions.open_record(chosen[1])

    def apply_suggestion(self) -> None:
        """Set the team's score and phase to the suggestion, after confirmation (undoable)."""
        if self.project_id is None or self.context.workspace.read_only:
            return
        project = self.context.projects.get(self.project_id)
        s = self.service.suggestion(self.project_id)
        current = f"{project.score.value:.1f}" if project.score else "no score"
        text = (
            f"Set the team's IHI progress score to {s.heading} (now {current}) and the phase to "
            f"{s.phase.label} (now {project.phase.label})?\n\n"
            "The team keeps the final say: do this only if the team agrees that the suggestion "
            "fits. Undo (Ctrl+Z) reverses it."
        )
        if not self.prompts.confirm("Apply the suggested score?", text, "Apply suggestion"):
            return
        reasons = "; ".join(r.removeprefix("because ") for r in s.reasons[1:])
        evidence = "Agreed with the suggestion from the evidence in qidesk"
        after = project.with_changes(
            score=ProgressScore(
                s.score,
                set_by=self.context.workspace.user,
                set_on=self.today(),
                evidence=f"{evidence}: {reasons}." if reasons else f"{evidence}.",
            ),
            phase=s.phase,
        )
        self.context.push(
            EditProjectCommand(self.context, project, after, "Apply suggested progress score")
        )

    def open_coaching_view(self) -> QWidget | None:
        """Open the projector view of the current project (full screen with F11)."""
        if self.project_id is None:
            return None
        from qidesk.ui.coaching.presenter import PresenterWindow

        project_id = self.project_id
        window = PresenterWindow(lambda: self.service.brief(project_id, self.today()))
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda _o=None, w=window: self._forget(w))
        self._presenters.append(window)
        window.show()
        return window

    def _forget(self, window: QWidget) -> None:
        if window in self._presenters:
            self._presenters.remove(window)

    def export_summary(self) -> Path | None:
        """Ask where to save the one-page project summary PDF, then write it."""
        if self.project_id is None:
            return None
        brief = self.service.brief(self.project_id, self.today())
        slug = re.sub(r"[^A-Za-z0-9]+", "-", brief.project.title).strip("-").lower() or "project"
        path = self.prompts.pdf_path(Path.home() / f"{slug}-summary.pdf")
        if path is None:
            return None
        from qidesk.ui.coaching.summary_pdf import write_summary_pdf

        try:
            write_summary_pdf(path, brief)
        except OSError as exc:
            self.prompts.error("Summary not saved", f"The PDF could not be written: {exc}")
            return None
        return path

    # ------------------------------------------------------------------ following the window
    def _on_project_selected(self, project_id: str | None) -> None:
        if project_id == self.project_id:
            return
        for page in (self.sessions, self.stories):
            if page.is_dirty() and not self.prompts.confirm(
                "Unsaved changes",
                f"The {page.what} you are editing has changes that are not saved. Discard them "
                "and open the other project?",
                "Discard changes",
            ):
                return
        self._show(project_id)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh only what ``changes`` touch: sessions, actions, stories, the score box."""
        if changes.workspace_replaced:
            self._show(self.context.current_project_id)
            return
        if self.project_id is None:
            current = self.context.current_project_id
            if current is not None and current in changes.ids(Entity.PROJECT):
                self._show(current)
            return
        if self.project_id in changes.deleted.get(Entity.PROJECT, frozenset()):
            self._show(None)
            return
        if changes.touches(Entity.COACHING):
            self.sessions.apply_changes(changes)
            self._refresh_actions()
        if changes.touches(Entity.STORY):
            self.stories.apply_changes(changes)
        if changes.touches(Entity.MEASURE):
            self.stories.refresh_measures()
        if any(changes.touches(e) for e in _EVIDENCE):
            self._refresh_score()
        self._update_buttons()
