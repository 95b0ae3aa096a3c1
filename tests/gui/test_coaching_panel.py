"""The coaching panel: sessions and actions, open actions, stories, and the score advice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes, Entity
from qidesk.core.coaching import DIAGRAM, CoachingAction, CoachingSession, StoryKind
from qidesk.core.measures import Measure, MeasureType, Observation
from qidesk.core.project import Aim, JourneyPhase, ProgressScore, Project, TeamMember, TeamRole
from qidesk.core.spc.types import ChartType
from qidesk.services.measures import ObservationEdit
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui.actions import GuardedUndoStack
from qidesk.ui.coaching.actions_table import DUE_ROLE, ActionColumn
from qidesk.ui.coaching.prompts import CoachingPrompts
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.panels.coaching import TABS_MIN_HEIGHT, CoachingPanel

TODAY = date(2025, 6, 2)
NHS_NUMBER = "943 476 5919"  # passes the Modulus 11 check


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


class FakePrompts(CoachingPrompts):
    """Never shows a dialog: questions are recorded and answered from presets."""

    def __init__(self) -> None:
        super().__init__()
        self.confirms: list[tuple[str, str]] = []
        self.identifier_warnings: list[list[str]] = []
        self.errors: list[tuple[str, str]] = []
        self.confirm_answer = True
        self.identifier_answer = False
        self.path: Path | None = None

    def confirm(self, title: str, text: str, accept_label: str) -> bool:
        self.confirms.append((title, text))
        return self.confirm_answer

    def confirm_identifiers(self, what: str, messages: list[str]) -> bool:
        self.identifier_warnings.append(messages)
        return self.identifier_answer

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def info(self, title: str, text: str) -> None:
        raise AssertionError("no information box expected")

    def pdf_path(self, suggested: Path) -> Path | None:
        return self.path


@pytest.fixture
def context(make_context: MakeContext) -> WorkspaceContext:
    return make_context("Tom Reid")


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def panel(qtbot: QtBot, context: WorkspaceContext, prompts: FakePrompts) -> CoachingPanel:
    widget = CoachingPanel(context)
    widget.prompts = prompts
    widget.today = lambda: TODAY
    context.panels.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    return widget


@pytest.fixture
def project(context: WorkspaceContext, panel: CoachingPanel) -> Project:
    result = context.projects.create(
        Project(
            title="Falls prevention on Ward 7",
            aim=Aim("falls", "patients on Ward 7", "8 per 1,000 bed days", "4", date(2026, 3, 31)),
            team=(TeamMember("Dr Amara Okafor", TeamRole.LEAD),),
            score=ProgressScore(3.5, "Dr Amara Okafor", date(2025, 1, 10), "Huddles started"),
            phase=JourneyPhase.TESTING,
        )
    )
    context.broadcast(result.changes)
    context.select_project(result.project.id)
    return result.project


def add_measure(context: WorkspaceContext, project: Project, points: int = 12) -> Measure:
    m = context.measures.create(
        Measure(project.id, "Falls per 1,000 bed days", MeasureType.OUTCOME, chart=ChartType.RUN)
    ).measure
    edits = [
        ObservationEdit(None, Observation(m.id, date(2024, 1 + i % 12, 1), value=5 + i % 3))
        for i in range(points)
    ]
    context.broadcast(context.measures.apply_edits(m, edits))
    return m


def fill_session(panel: CoachingPanel, notes: str = "Looked at the baseline together.") -> None:
    form = panel.sessions.form
    form.held_on.setDate(QDate(2025, 5, 20))
    form.coach.setText("Tom Reid")
    form.coach.textEdited.emit("Tom Reid")
    form.attendees.setText("Dr Amara Okafor, Priya Shah")
    form.attendees.textEdited.emit("")
    form.notes.setPlainText(notes)
    model = form.actions_table.model
    for text, owner, due in (
        ("Audit ten falls reports", "Priya Shah", date(2025, 5, 27)),
        ("Book the huddle slot", "Dr Amara Okafor", None),
    ):
        row = model.add_action()
        model.setData(model.index(row, ActionColumn.TEXT), text)
        model.setData(model.index(row, ActionColumn.OWNER), owner)
        model.setData(model.index(row, ActionColumn.DUE), due, DUE_ROLE)


# --------------------------------------------------------------------------- showing


def test_without_a_project_the_panel_says_what_to_do(panel):
    assert panel.stack.currentWidget() is panel.empty
    assert "Choose a project" in panel.empty.text()
    assert not panel.present_action.isEnabled() and not panel.pdf_action.isEnabled()


def test_score_box_shows_both_scores_and_who_decides(panel, project):
    assert panel.stack.currentIndex() == 1
    assert panel.heading.text() == "Falls prevention on Ward 7"
    text = panel.score_box.text()
    assert "3.5 – Improvement" in text
    assert "Set by Dr Amara Okafor on 10 January 2025." in text
    assert "Suggested from the evidence (advice only)" in text
    assert "1.0 – Charter and team established" in text
    assert "To reach 1.5" in text
    assert "The team decides." in text
    assert "2.5 higher than the evidence" in text
    assert "last set 143 days ago" in text  # stale: more than 90 days
    assert panel.score_box.apply_button.isEnabled()


def test_score_follows_new_evidence(context, panel, project):
    add_measure(context, project)
    assert panel.suggestion is not None and panel.suggestion.score == 2.0
    assert "baseline of 12 points" in panel.score_box.text()


# --------------------------------------------------------------------------- sessions


def test_new_session_is_one_undo_step(context, panel, project):
    panel.new_session()
    assert panel.sessions.is_new
    assert panel.sessions.form.coach.text() == "Tom Reid"  # the user, by default
    fill_session(panel)
    assert panel.sessions.save_button.isEnabled()
    assert panel.sessions.save()
    assert context.undo_stack.count() == 1
    (stored,) = panel.service.sessions(project.id)
    assert stored.attendees == ("Dr Amara Okafor", "Priya Shah")
    assert [a.text for a in stored.actions] == ["Audit ten falls reports", "Book the huddle slot"]
    assert stored.actions[0].due == date(2025, 5, 27)
    assert panel.sessions.model.rowCount() == 1
    assert panel.sessions.model.index(0).data() == "20 May 2025 — Tom Reid (2 open actions)"
    assert panel.actions_model.rowCount() == 2
    first = panel.actions_model.index(0).data()
    assert first.startswith("OVERDUE: Audit ten falls reports — Priya Shah, due 27 May 2025")
    assert panel.sessions.state_text.text() == "All changes saved."

    context.undo_stack.undo()
    assert panel.service.sessions(project.id) == []
    assert panel.sessions.model.rowCount() == 0
    assert panel.actions_model.rowCount() == 0
    assert panel.sessions.stack.currentWidget() is panel.sessions.empty
    context.undo_stack.redo()
    assert panel.sessions.model.rowCount() == 1
    assert panel.actions_model.rowCount() == 2


def test_editing_a_session_saves_notes_and_actions_together(context, panel, project):
    panel.new_session()
    fill_session(panel)
    panel.sessions.save()
    form = panel.sessions.form
    form.notes.setPlainText("Baseline is stable; first PDSA next week.")
    form.actions_table.view.selectRow(1)
    form.actions_table.remove_selected()
    model = form.actions_table.model
    model.setData(model.index(0, ActionColumn.DONE), Qt.CheckState.Checked.value,
                  Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    assert panel.sessions.is_dirty()
    assert "Unsaved changes" in panel.sessions.state_text.text()
    assert panel.sessions.save()
    assert context.undo_stack.count() == 2
    (stored,) = panel.service.sessions(project.id)
    assert stored.notes.startswith("Baseline is stable")
    assert [(a.text, a.done) for a in stored.actions] == [("Audit ten falls reports", True)]
    assert panel.actions_model.rowCount() == 0
    context.undo_stack.undo()
    (restored,) = panel.service.sessions(project.id)
    assert [a.text for a in restored.actions] == ["Audit ten falls reports", "Book the huddle slot"]
    assert form.notes.toPlainText() == "Looked at the baseline together."  # the form follows
    assert panel.actions_model.rowCount() == 2


def test_blank_action_stops_the_save(panel, project):
    panel.new_session()
    panel.sessions.form.actions_table.model.add_action()
    assert not panel.sessions.save_button.isEnabled()
    assert "action 1 needs some text" in panel.sessions.state_text.text()
    assert not panel.sessions.save()


def test_patient_identifiers_warn_before_saving(context, panel, prompts, project):
    panel.new_session()
    fill_session(panel, notes=f"Discussed the patient with NHS number {NHS_NUMBER}.")
    assert not panel.sessions.save()
    assert len(prompts.identifier_warnings) == 1
    assert "Notes" in prompts.identifier_warnings[0][0]
    assert panel.service.sessions(project.id) == []
    prompts.identifier_answer = True  # "Save anyway": warn, don't block
    assert panel.sessions.save()
    assert len(panel.service.sessions(project.id)) == 1


def test_mark_done_and_go_to_session_from_open_actions(context, panel, project):
    panel.new_session()
    fill_session(panel)
    panel.sessions.save()
    panel.tabs.setCurrentIndex(1)
    panel.actions_view.setCurrentIndex(panel.actions_model.index(1))
    assert panel.done_button.isEnabled()
    panel.mark_selected_done()
    assert panel.actions_model.rowCount() == 1
    assert context.undo_stack.undoText() == "Mark done: Book the huddle slot"
    context.undo_stack.undo()
    assert panel.actions_model.rowCount() == 2
    panel.actions_view.setCurrentIndex(panel.actions_model.index(0))
    panel.go_to_session()
    assert panel.tabs.currentWidget() is panel.sessions
    assert panel.sessions.base is not None and not panel.sessions.is_new


def test_delete_session_asks_and_undo_brings_it_back(context, panel, prompts, project):
    panel.new_session()
    fill_session(panel)
    panel.sessions.save()
    prompts.confirm_answer = False
    panel.sessions.delete_selected()
    assert len(panel.service.sessions(project.id)) == 1
    prompts.confirm_answer = True
    panel.sessions.delete_selected()
    assert panel.service.sessions(project.id) == []
    assert panel.actions_model.rowCount() == 0
    context.undo_stack.undo()
    assert len(panel.service.sessions(project.id)) == 1
    assert panel.actions_model.rowCount() == 2


def test_choosing_another_session_with_unsaved_edits_asks_first(context, panel, prompts, project):
    for day in (3, 4):
        session = CoachingSession(project.id, date(2025, 3, day), actions=(CoachingAction("x"),))
        context.broadcast(panel.service.create_session(session).changes)
    panel.sessions.open_record(panel.sessions.model.items()[0].id)
    panel.sessions.form.notes.setPlainText("unsaved")
    prompts.confirm_answer = False
    panel.sessions.list_view.setCurrentIndex(panel.sessions.model.index(1))
    assert panel.sessions.form.notes.toPlainText() == "unsaved"
    assert prompts.confirms[-1][0] == "Unsaved changes"
    prompts.confirm_answer = True
    panel.sessions.list_view.setCurrentIndex(panel.sessions.model.index(1))
    assert panel.sessions.base is not None
    assert panel.sessions.base.held_on == date(2025, 3, 3)


# --------------------------------------------------------------------------- stories


def test_story_with_a_chart_attached(context, panel, prompts, project):
    measure = add_measure(context, project)
    panel.new_story()
    form = panel.stories.form
    assert not panel.stories.save_button.isEnabled()  # no title or text yet
    form.kind.setCurrentIndex(form.kind.findData(StoryKind.STAFF))
    form.title.setText("Huddles that stick")
    form.title.textEdited.emit("")
    form.text.setPlainText("The night team now runs the huddle without prompting.")
    form.attachment.setCurrentIndex(form.attachment.findData(measure.id))
    assert [form.attachment.itemText(i) for i in range(form.attachment.count())] == [
        "Nothing attached",
        "The driver diagram",
        "Chart: Falls per 1,000 bed days",
    ]
    assert panel.stories.save()
    (story,) = panel.service.stories(project.id)
    assert (story.kind, story.attachment) == (StoryKind.STAFF, measure.id)
    assert panel.stories.model.index(0).data() == "2 June 2025 · Staff story: Huddles that stick"
    form.attachment.setCurrentIndex(form.attachment.findData(DIAGRAM))
    assert panel.stories.save()
    assert panel.service.story(story.id).shows_diagram
    context.undo_stack.undo()
    assert panel.service.story(story.id).attachment == measure.id
    assert form.attachment.currentData() == measure.id
    panel.stories.delete_selected()
    assert panel.service.stories(project.id) == []
    assert prompts.confirms[-1][0] == "Delete story"


# --------------------------------------------------------------------------- applying advice


def test_apply_suggestion_needs_confirmation_and_is_undoable(context, panel, prompts, project):
    prompts.confirm_answer = False
    panel.apply_suggestion()
    assert context.undo_stack.count() == 0
    assert context.projects.get(project.id).score.value == 3.5  # type: ignore[union-attr]
    title, text = prompts.confirms[-1]
    assert title == "Apply the suggested score?"
    assert "1.0 – Charter and team established (now 3.5)" in text
    assert "The team keeps the final say" in text

    prompts.confirm_answer = True
    panel.score_box.apply_button.click()
    stored = context.projects.get(project.id)
    assert stored.score is not None
    assert (stored.score.value, stored.score.set_on, stored.score.set_by) == (
        1.0,
        TODAY,
        "Tom Reid",
    )
    assert stored.score.evidence.startswith("Agreed with the suggestion")
    assert stored.phase is JourneyPhase.SCOPING
    assert context.undo_stack.undoText() == "Apply suggested progress score"
    assert "agree" in panel.score_box.disagreement.text()
    assert not panel.score_box.apply_button.isEnabled()
    context.undo_stack.undo()
    assert context.projects.get(project.id).score.value == 3.5  # type: ignore[union-attr]


def test_read_only_workspace_offers_no_edits(tmp_path, qtbot, prompts):
    path = tmp_path / "ro.qidesk"
    service = WorkspaceService.create(path, user="x")
    pid = ProjectService(service.workspace).create(Project("Read me")).project.id
    service.close()
    ro = WorkspaceService.open(path, user="x", read_only=True)
    try:
        ctx = WorkspaceContext(
            workspace=ro,
            projects=ProjectService(ro.workspace),
            settings=Settings(tmp_path / "s.json"),
            undo_stack=GuardedUndoStack(),
            broadcast=lambda _c: None,
            current_project_id=pid,
        )
        widget = CoachingPanel(ctx)
        qtbot.addWidget(widget)
        assert not widget.sessions.new_button.isEnabled()
        assert not widget.new_session_action.isEnabled()
        assert widget.score_box.apply_button.isHidden()
        assert widget.present_action.isEnabled()
    finally:
        ro.close()


def test_deleting_the_project_empties_the_panel(context, panel, project):
    context.broadcast(context.projects.delete(project.id))
    assert panel.stack.currentWidget() is panel.empty


def test_summary_pdf_from_the_panel(context, panel, prompts, project, tmp_path):
    add_measure(context, project)
    prompts.path = tmp_path / "summary.pdf"
    assert panel.export_summary() == prompts.path
    assert prompts.path.read_bytes().startswith(b"%PDF")
    prompts.path = None
    assert panel.export_summary() is None


def test_menu_actions(panel):
    names = [a.text().replace("&", "") for a in panel.menu_actions()]
    assert names == [
        "New coaching session",
        "New story",
        "Apply suggested score…",
        "Coaching view (projector)…",
        "Project summary PDF…",
    ]


def test_panel_in_the_main_window(make_window, workspace_file):
    service = WorkspaceService.open(workspace_file, user="tester")
    service.close()
    from qidesk.ui.panels.project_list import ProjectListPanel

    window = make_window(workspace_file, panel_classes=[ProjectListPanel, CoachingPanel])
    coaching = next(p for p in window.panels if isinstance(p, CoachingPanel))
    assert coaching.title == "Coaching"
    menu_names = [m.objectName() for m in window.menus()]
    assert "menu_coaching" in menu_names
    window.broadcast(Changes.of(updated={Entity.PROJECT: ["nothing"]}))  # no error
    shortcuts = [k.toString() for a in window.all_actions() for k in a.shortcuts()]
    assert len(shortcuts) == len(set(shortcuts))  # no clash with the window's own keys


# --------------------------------------------------------------------------- a 1366 x 768 ward PC

#: the Coaching tab on a 1366 x 768 ward PC beside a 340-px project dock
WARD_PC_TAB = (1366 - 340 - 20, 686)


@pytest.fixture
def demo_panel(qtbot: QtBot, tmp_path: Path, prompts: FakePrompts):
    """The panel on the demo's "Four-hour A&E performance" (eight reasons for its suggestion)."""
    from qidesk.services.demo import create_demo

    service = WorkspaceService.open(create_demo(tmp_path / "demo.qidesk", user="Tom Reid"),
                                    user="Tom Reid")  # fmt: skip
    panels: list[CoachingPanel] = []
    ctx = WorkspaceContext(
        workspace=service,
        projects=ProjectService(service.workspace),
        settings=Settings(tmp_path / "settings.json"),
        undo_stack=GuardedUndoStack(),
        broadcast=lambda changes: [p.apply_changes(changes) for p in panels],
    )
    widget = CoachingPanel(ctx)
    widget.prompts = prompts
    panels.append(widget)
    qtbot.addWidget(widget)
    widget.resize(*WARD_PC_TAB)
    widget.show()
    qtbot.waitExposed(widget)
    four_hour = next(r.project for r in ctx.projects.rows() if r.project.title.startswith("Four"))
    ctx.select_project(four_hour.id)
    yield widget
    ctx.undo_stack.clear()
    service.close()


def _reasons_shown_whole(panel: CoachingPanel) -> bool:
    area = panel.score_box.columns_area
    return area.widget().height() <= area.viewport().height()


def test_the_score_box_grows_to_show_every_reason(qtbot: QtBot, demo_panel: CoachingPanel):
    panel = demo_panel
    assert panel.suggestion is not None and len(panel.suggestion.reasons) >= 6
    # on a ward PC every reason shows, none cut off mid-line, and no scroll bar
    area = panel.score_box.columns_area
    qtbot.waitUntil(
        lambda: _reasons_shown_whole(panel) and not area.verticalScrollBar().isVisible()
    )
    assert panel.tabs.height() >= TABS_MIN_HEIGHT  # sessions keep their room
    last = panel.score_box.reasons
    assert last.visibleRegion().boundingRect().height() == last.height()
    # a shorter window: the sessions keep their room and the reasons scroll instead
    panel.resize(WARD_PC_TAB[0], 520)
    qtbot.waitUntil(lambda: panel.splitter.sizes()[1] >= TABS_MIN_HEIGHT)
    qtbot.waitUntil(lambda: area.verticalScrollBar().isVisible())
    assert not _reasons_shown_whole(panel)
    assert area.viewport().height() >= 5 * area.fontMetrics().lineSpacing()
    assert panel.score_box.columns_area.verticalScrollBar().isVisible()
    assert panel.tabs.height() >= TABS_MIN_HEIGHT
    # the user's own split stands
    panel.splitter.setSizes([150, 300])
    panel.splitter.splitterMoved.emit(150, 1)
    moved = panel.splitter.sizes()
    panel.fit_split()
    assert panel.splitter.sizes() == moved


def test_the_panel_fits_a_ward_pc_and_names_every_control(qtbot: QtBot, demo_panel: CoachingPanel):
    panel = demo_panel
    panel.sessions.open_record(panel.sessions.model.item(0).id)
    assert panel.tabs.accessibleName() and panel.tabs.tabBar().accessibleName()
    assert panel.score_box.columns_area.accessibleName()
    for tab in range(panel.tabs.count()):
        panel.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
        # the project dock can even be widened to 600 px
        assert panel.minimumSizeHint().width() <= min(WARD_PC_TAB[0], 1366 - 600)
        unnamed = [
            f"{type(w).__name__} {w.objectName()}"
            for w in panel.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.isVisible()
            and not w.accessibleName()
            and not isinstance(w.parent(), QComboBox | QAbstractSpinBox)
        ]
        assert unnamed == [], tab
