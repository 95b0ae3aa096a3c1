"""The PDSA panel: list and filters, editor save/undo, refusals, identifier guard, delete, PDF."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDateEdit, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes, Entity
from qidesk.core.drivers import NodeKind, aim_node_id
from qidesk.core.measures import Measure
from qidesk.core.pdsa import CycleStatus, Decision, PdsaCycle, Question, TestPlan, TestScale
from qidesk.core.project import Project
from qidesk.services.diagram import DiagramService
from qidesk.services.measures import MeasureService
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.main_window import MainWindow
from qidesk.ui.panels.pdsa import LIST_SHARE, PdsaPanel
from qidesk.ui.pdsa import dialogs
from qidesk.ui.pdsa.editor import TABS
from qidesk.ui.pdsa.tables import TABLE_MAX_HEIGHT, TABLE_MIN_HEIGHT, QuestionColumn, TaskColumn

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

TODAY = date(2025, 3, 20)


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@dataclass
class Setup:
    context: WorkspaceContext
    panel: PdsaPanel
    project: Project
    idea: str
    other_idea: str
    measure: Measure
    failures: list[tuple[str, str]]


@pytest.fixture
def setup(qtbot: QtBot, make_context: MakeContext) -> Setup:
    ctx = make_context("Sam Coach@Ward 7")
    ws = ctx.workspace.workspace
    project = ctx.projects.create(Project(title="Pain at handover")).project
    diagram = DiagramService(ws)
    primary = diagram.add_node(project.id, aim_node_id(project.id), "Reliable handover").node
    idea = diagram.add_node(project.id, primary.id, "Pain prompt", NodeKind.CHANGE_IDEA).node
    other = diagram.add_node(project.id, primary.id, "Whiteboard", NodeKind.CHANGE_IDEA).node
    measure = MeasureService(ws).create(Measure(project.id, "Handovers with pain score")).measure
    panel = PdsaPanel(ctx)
    panel.today = lambda: TODAY
    ctx.broadcast.append(panel)  # type: ignore[attr-defined]
    qtbot.addWidget(panel)
    panel.resize(1200, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    ctx.select_project(project.id)
    return Setup(ctx, panel, project, idea.id, other.id, measure, ctx.failures)  # type: ignore[attr-defined]


def tick(panel: PdsaPanel, which: str, item_id: str, on: bool = True) -> None:
    widget = getattr(panel.editor.cycle_page, which)
    for row in range(widget.count()):
        item = widget.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == item_id:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            return
    raise AssertionError(f"{item_id} not offered")


def set_date(field: object, when: date) -> None:
    field.check.setChecked(True)  # type: ignore[attr-defined]
    field.edit.setDate(QDate(when.year, when.month, when.day))  # type: ignore[attr-defined]


def type_into(widget: object, text: str) -> None:
    widget.setFocus()  # type: ignore[attr-defined]
    QTest.keyClicks(widget, text)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- empty states


def test_placeholder_without_a_project(setup: Setup) -> None:
    setup.context.select_project(None)
    assert setup.panel.stack.currentIndex() == 0
    assert not setup.panel.new_button.isEnabled()
    setup.context.select_project(setup.project.id)
    assert setup.panel.stack.currentIndex() == 1
    assert setup.panel.model.rowCount() == 0
    assert setup.panel.editor_stack.currentIndex() == 0
    assert setup.panel.new_button.isEnabled()
    assert not setup.panel.next_button.isEnabled()


def test_menu_actions_have_mnemonics_and_no_shared_shortcuts(setup: Setup) -> None:
    texts = [a.text() for a in setup.panel.menu_actions()]
    assert texts == ["&New cycle", "&Start next cycle", "&Delete cycle", "&Export worksheet PDF…"]
    assert all(not a.shortcut().toString() for a in setup.panel.menu_actions())


# ---------------------------------------------------------------------- new, edit, undo


def test_new_cycle_is_one_undo_step(setup: Setup) -> None:
    panel, stack = setup.panel, setup.context.undo_stack
    cycle = panel.new_cycle()
    assert cycle is not None
    assert (cycle.ramp_name, cycle.number, cycle.owner) == ("Ramp 1", 1, "Sam Coach")
    assert panel.model.rowCount() == 1
    assert panel.current_cycle is not None and panel.current_cycle.id == cycle.id
    assert stack.count() == 1
    stack.undo()
    assert panel.model.rowCount() == 0
    assert "deleted" in panel.state_text.text()
    stack.redo()
    assert panel.model.rowCount() == 1
    assert panel.state_text.text() == "All changes saved."


def test_new_cycle_takes_the_change_idea_filter(setup: Setup) -> None:
    panel = setup.panel
    panel.idea_filter.setCurrentIndex(panel.idea_filter.findData(setup.idea))
    cycle = panel.new_cycle()
    assert cycle is not None
    assert cycle.ramp_name == "Pain prompt"
    assert cycle.change_idea_ids == (setup.idea,)


def test_save_is_one_undo_step_and_undo_restores(setup: Setup) -> None:
    panel, stack = setup.panel, setup.context.undo_stack
    cycle = panel.new_cycle()
    assert cycle is not None
    editor = panel.editor
    editor.tabs.setCurrentIndex(1)
    type_into(editor.plan.objective, "See if the prompt gets used")
    tick(panel, "measures", setup.measure.id)
    editor.plan.scale.setCurrentIndex(editor.plan.scale.findData(TestScale.ONE_PATIENT.value))
    editor.questions_model.add_row()
    view = editor.plan.questions.view
    view.model().setData(view.model().index(0, QuestionColumn.QUESTION), "Used?")
    assert panel.is_dirty()
    assert panel.save_button.isEnabled()
    assert panel.state_text.text() == "Unsaved changes. Save (Ctrl+S) or Revert."
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    saved = panel.current_cycle
    assert saved is not None
    assert saved.objective == "See if the prompt gets used"
    assert saved.measure_ids == (setup.measure.id,)
    assert saved.test.scale is TestScale.ONE_PATIENT
    assert [q.text for q in saved.questions] == ["Used?"]
    assert stack.count() == 2
    assert stack.undoText().startswith("Edit PDSA cycle")
    assert not panel.is_dirty()
    # the question has no prediction: the editor shows the coaching note
    assert "No prediction" in panel.editor.flags_label.text()
    stack.undo()
    assert panel.current_cycle is not None
    assert panel.current_cycle.objective == ""
    assert panel.editor.plan.objective.toPlainText() == ""
    stack.redo()
    assert panel.editor.plan.objective.toPlainText() == "See if the prompt gets used"


def test_revert_discards_edits(setup: Setup) -> None:
    panel = setup.panel
    panel.new_cycle()
    type_into(panel.editor.cycle_page.owner, " extra")
    assert panel.is_dirty()
    panel.revert()
    assert not panel.is_dirty()
    assert panel.editor.cycle_page.owner.text() == "Sam Coach"


def test_switching_cycles_with_unsaved_edits_is_held_back(setup: Setup) -> None:
    panel = setup.panel
    first = panel.new_cycle()
    panel.new_cycle()
    assert first is not None
    type_into(panel.editor.cycle_page.owner, "!")
    assert not panel.open_cycle(first.id)
    assert panel.notice.isVisible()
    assert panel.notice.button_texts() == ["Save", "Revert"]
    panel.revert()
    assert panel.open_cycle(first.id)


# ---------------------------------------------------------------------- refusals


def test_end_before_start_is_refused_at_the_field(setup: Setup) -> None:
    panel = setup.panel
    panel.new_cycle()
    page = panel.editor.cycle_page
    set_date(page.start, date(2025, 3, 10))
    set_date(page.end, date(2025, 3, 3))
    assert page.checked["end"].problem == "The end date is before the start date."
    assert not panel.save_button.isEnabled()
    assert "Cannot save yet: 1 problem" in panel.state_text.text()
    assert panel.save() is False
    assert setup.context.undo_stack.count() == 1
    set_date(page.end, date(2025, 3, 14))
    assert page.checked["end"].problem is None
    assert panel.save() is True


def test_a_loop_is_refused_at_the_follows_field(setup: Setup) -> None:
    panel = setup.panel
    first = panel.new_cycle()
    assert first is not None
    second = panel.start_next_cycle()
    assert second is not None
    panel.start_next_cycle()
    assert panel.open_cycle(first.id)
    follows = panel.editor.cycle_page.previous
    follows.setCurrentIndex(follows.count() - 1)  # the third cycle
    problem = panel.editor.cycle_page.checked["previous_cycle_id"].problem
    assert problem is not None
    assert problem.startswith("This would make the ramp loop back on itself")
    assert panel.save() is False


def test_a_cycle_from_elsewhere_linking_another_projects_idea_is_refused(setup: Setup) -> None:
    other_project = setup.context.projects.create(Project(title="Falls")).project
    diagram = DiagramService(setup.context.workspace.workspace)
    primary = diagram.add_node(other_project.id, aim_node_id(other_project.id), "Safer wards").node
    foreign = diagram.add_node(other_project.id, primary.id, "Rounding", NodeKind.CHANGE_IDEA).node
    panel = setup.panel
    cycle = PdsaCycle(setup.project.id, ramp_name="Mixed", change_idea_ids=(foreign.id,))
    command_failures = setup.failures
    from qidesk.ui.pdsa.commands import CreateCycleCommand

    setup.context.push(CreateCycleCommand(setup.context, panel.service, cycle))
    assert command_failures
    title, text = command_failures[0]
    assert title == "Not saved"
    assert "not among this project's change ideas" in text
    command_failures.clear()
    assert panel.model.rowCount() == 0


# ---------------------------------------------------------------------- identifier guard


def test_identifier_guard_warns_before_saving(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = setup.panel
    panel.new_cycle()
    asked: list[list[str]] = []
    answer = [False]

    def fake(_parent: object, messages: list[str]) -> bool:
        asked.append(messages)
        return answer[0]

    monkeypatch.setattr(dialogs, "confirm_identifiers", fake)
    panel.editor.tabs.setCurrentIndex(2)
    type_into(panel.editor.do.what_happened, "Patient NHS number 943 476 5919 refused")
    assert panel.save() is False
    assert asked[0][0].startswith('The "What happened" field looks like it contains an NHS')
    assert panel.is_dirty()
    assert panel.editor.tabs.currentIndex() == 2
    answer[0] = True
    assert panel.save() is True
    assert panel.current_cycle is not None
    assert "943 476 5919" in panel.current_cycle.what_happened


# ---------------------------------------------------------------------- delete and filters


def test_delete_asks_and_undo_brings_it_back(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    panel = setup.panel
    cycle = panel.new_cycle()
    assert cycle is not None
    monkeypatch.setattr(dialogs, "confirm_delete", lambda _p, _label: False)
    panel.delete_cycle()
    assert panel.model.rowCount() == 1
    monkeypatch.setattr(dialogs, "confirm_delete", lambda _p, _label: True)
    panel._actions["delete"].trigger()
    assert panel.model.rowCount() == 0
    assert not panel.next_button.isEnabled()
    setup.context.undo_stack.undo()
    assert panel.model.rowCount() == 1
    assert panel.current_cycle is not None
    assert panel.current_cycle.id == cycle.id
    assert panel.state_text.text() == "All changes saved."


def test_filters_narrow_the_list(setup: Setup) -> None:
    panel = setup.panel
    service = panel.service
    pid = setup.project.id
    a = service.create(PdsaCycle(pid, ramp_name="A", change_idea_ids=(setup.idea,))).cycle
    service.create(
        PdsaCycle(pid, ramp_name="B", change_idea_ids=(setup.other_idea,),
                  status=CycleStatus.RUNNING)
    )  # fmt: skip
    service.start_next_cycle(a.id)
    panel.apply_changes(Changes.of(created={Entity.PDSA: [a.id]}))
    assert panel.model.rowCount() == 3
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("running"))
    assert panel.model.rowCount() == 1
    panel.status_filter.setCurrentIndex(0)
    panel.ramp_filter.setCurrentIndex(panel.ramp_filter.findData(a.ramp_id))
    assert panel.model.rowCount() == 2
    panel.ramp_filter.setCurrentIndex(0)
    panel.idea_filter.setCurrentIndex(panel.idea_filter.findData(setup.other_idea))
    assert panel.model.rowCount() == 1
    assert panel.ramp_view.choice.count() == 1


# ---------------------------------------------------------------------- study table and PDF


def test_study_shows_predictions_read_only_beside_results(setup: Setup) -> None:
    panel = setup.panel
    cycle = panel.service.create(
        PdsaCycle(setup.project.id, ramp_name="R", questions=(Question("Q?", "P"),))
    ).cycle
    panel.show_project(setup.project.id)
    assert panel.open_cycle(cycle.id)
    view = panel.editor.study.questions.view
    model = view.model()
    flags = model.flags(model.index(0, QuestionColumn.PREDICTION))
    assert not flags & Qt.ItemFlag.ItemIsEditable
    assert model.flags(model.index(0, QuestionColumn.RESULT)) & Qt.ItemFlag.ItemIsEditable
    assert view.isColumnHidden(QuestionColumn.REASONING)
    header = view.horizontalHeader()
    order = sorted(
        (c for c in QuestionColumn if not view.isColumnHidden(c)), key=header.visualIndex
    )
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in order] == [
        "Question", "Prediction", "Result", "Prediction held?", "What we learned",
    ]  # fmt: skip
    assert not panel.editor.study.questions.add_button.isVisible()


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")
def test_export_worksheet_pdf(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    panel = setup.panel
    cycle = panel.service.create(
        PdsaCycle(
            setup.project.id, ramp_name="Pain prompt", change_idea_ids=(setup.idea,),
            measure_ids=(setup.measure.id,), objective="Try the prompt",
            questions=(Question("Used?", "4 of 5", "Easy", "3 of 5", "Move it", None),),
            test=TestPlan("Prompt", scale=TestScale.ONE_SHIFT), decision=Decision.ADAPT,
        )
    ).cycle  # fmt: skip
    panel.show_project(setup.project.id)
    panel.open_cycle(cycle.id)
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(dialogs, "ask_pdf_path", lambda _p, _s: target)
    assert panel.export_worksheet() == target
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in ("PDSA worksheet: Pain prompt #1", "Plan", "Do", "Study", "Act",
                     "Questions and predictions", "Predictions compared with results",
                     "Try the prompt", "Pain prompt", "Handovers with pain score", "3 of 5",
                     "Adapt (change it and test again)", "Pain at handover"):  # fmt: skip
        assert expected in text, expected
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True, check=True)
    assert "A4" in info.stdout
    # a failure to write is told, not raised
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, _t: errors.append(title))
    monkeypatch.setattr(dialogs, "ask_pdf_path", lambda _p, _s: tmp_path / "no" / "x.pdf")
    assert panel.export_worksheet() is None
    assert errors == ["Not exported"]


def test_tasks_table_edits_text_due_date_and_done(setup: Setup) -> None:
    panel = setup.panel
    panel.new_cycle()
    editor = panel.editor
    editor.tabs.setCurrentIndex(1)
    table = editor.plan.tasks
    QTest.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    model = table.view.model()
    model.setData(model.index(0, TaskColumn.TASK), "Print sheets")
    model.setData(model.index(0, TaskColumn.WHO), "Sam")
    index = model.index(0, TaskColumn.DUE)
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    date_box = next(w for w in table.view.viewport().findChildren(QDateEdit) if w.isVisible())
    date_box.setDate(QDate(2025, 3, 1))
    QTest.keyClick(date_box, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert model.index(0, TaskColumn.DUE).data() == "1 Mar 2025"
    model.setData(model.index(0, TaskColumn.DONE), Qt.CheckState.Checked.value,
                  Qt.ItemDataRole.CheckStateRole)  # fmt: skip
    assert panel.save() is True
    assert panel.current_cycle is not None
    (task,) = panel.current_cycle.tasks
    assert (task.text, task.who, task.due, task.done) == (
        "Print sheets",
        "Sam",
        date(2025, 3, 1),
        True,
    )
    table.view.selectRow(0)
    QTest.keyClick(table.view, Qt.Key.Key_Delete)
    assert model.rowCount() == 0


# ---------------------------------------------------------------------- in the main window


def test_in_the_main_window(make_window: Callable[..., MainWindow], workspace_file: Path) -> None:
    from qidesk.store.database import open_workspace
    from qidesk.ui.panels.charter import CharterPanel
    from qidesk.ui.panels.project_list import ProjectListPanel

    ws = open_workspace(workspace_file, user="tester", backup=False)
    try:
        assert "pdsa_cycle" in ws.db.table_names()
    finally:
        ws.close()
    window = make_window(workspace_file, panel_classes=[ProjectListPanel, CharterPanel, PdsaPanel])
    panel = next(p for p in window.panels if isinstance(p, PdsaPanel))
    menu = next(m for m in window.menus() if m.objectName() == "menu_pdsa")
    assert "&" in menu.title()
    seen: dict[str, str] = {}
    for action in window.all_actions():
        for key in action.shortcuts():
            assert key.toString() not in seen, key.toString()
            seen[key.toString()] = action.text()
    project = window.context.projects.create(Project(title="Falls on 7B")).project
    window.context.select_project(project.id)
    actions = {a.objectName(): a for a in panel.menu_actions()}
    assert actions["pdsa_new"].isEnabled()
    assert not actions["pdsa_next"].isEnabled()
    actions["pdsa_new"].trigger()
    assert panel.model.rowCount() == 1
    assert actions["pdsa_next"].isEnabled()
    actions["pdsa_next"].trigger()
    assert panel.model.rowCount() == 2
    window.undo_stack.undo()
    window.undo_stack.undo()
    assert panel.model.rowCount() == 0


# ---------------------------------------------------------------------- a 1366 x 768 ward PC

#: the PDSA tab on a 1366-px screen beside a 340-px project dock (less the window's frame)
WARD_PC_TAB = 1366 - 340 - 20
LONG = (
    "Ask every patient about their pain at the bedside handover and write the score on the "
    "whiteboard above the bed before the nurse in charge signs the handover sheet"
)


def _long_cycles(setup: Setup, count: int = 2) -> list[PdsaCycle]:
    """``count`` cycles of one ramp, with a long ramp name, objective and change idea."""
    ws = setup.context.workspace.workspace
    diagram = DiagramService(ws)
    primary = diagram.add_node(setup.project.id, aim_node_id(setup.project.id), LONG).node
    idea = diagram.add_node(setup.project.id, primary.id, LONG, NodeKind.CHANGE_IDEA).node
    first = setup.panel.service.create(
        PdsaCycle(
            setup.project.id, ramp_name=LONG[:120], objective=LONG, change_idea_ids=(idea.id,),
            questions=(Question("Used?"),),
        )
    ).cycle  # fmt: skip
    cycles = [first]
    for _ in range(count - 1):
        cycles.append(setup.panel.service.start_next_cycle(cycles[-1].id).cycle)
    setup.panel.show_project(setup.project.id)
    return cycles


def _unnamed(panel: PdsaPanel) -> list[str]:
    """Focusable, visible widgets without an accessible name (a combo box's parts excepted)."""
    return [
        f"{type(w).__name__} {w.objectName()} in {type(w.parentWidget()).__name__}"
        for w in panel.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.isVisible()
        and not w.accessibleName()
        and not isinstance(w.parent(), QComboBox)
    ]


def test_the_panel_fits_a_ward_pc_beside_the_project_dock(setup: Setup) -> None:
    panel = setup.panel
    cycles = _long_cycles(setup)
    assert panel.open_cycle(cycles[-1].id)
    for view in range(panel.views.count()):
        panel.views.setCurrentIndex(view)
        for tab in range(panel.editor.tabs.count()):
            panel.editor.tabs.setCurrentIndex(tab)
            QApplication.processEvents()
            # long names never widen the panel: the project dock can even be widened to 600 px
            assert panel.minimumSizeHint().width() <= min(WARD_PC_TAB, 1366 - 600), (view, tab)
    panel.views.setCurrentIndex(0)
    panel.resize(WARD_PC_TAB, 680)
    QApplication.processEvents()
    # the heading is one line, shortened with "…"; the tooltip and screen readers get it all
    assert panel.heading.is_elided()
    assert panel.heading.height() < 2 * panel.heading.fontMetrics().lineSpacing()
    assert panel.heading.accessibleName() == panel.heading.toolTip() == cycles[-1].title
    # the filters still offer each change idea in full
    index = panel.idea_filter.count() - 1
    assert panel.idea_filter.itemData(index, Qt.ItemDataRole.ToolTipRole) == LONG


def test_the_window_stays_on_a_ward_pc_screen_with_a_wide_project_dock(
    qtbot: QtBot, make_window: Callable[..., MainWindow], workspace_file: Path
) -> None:
    from qidesk.ui.panels.project_list import ProjectListPanel

    window = make_window(workspace_file, panel_classes=[ProjectListPanel, PdsaPanel])
    panel = next(p for p in window.panels if isinstance(p, PdsaPanel))
    project = window.context.projects.create(Project(title="Falls on 7B")).project
    diagram = DiagramService(window.context.workspace.workspace)
    primary = diagram.add_node(project.id, aim_node_id(project.id), LONG).node
    diagram.add_node(project.id, primary.id, LONG, NodeKind.CHANGE_IDEA)
    window.context.select_project(project.id)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.setCurrentWidget(panel)
    panel.new_cycle()
    dock = next(iter(window._docks.values()))
    window.resizeDocks([dock], [600], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: dock.width() >= 580)
    assert window.width() == 1366  # the PDSA tab does not push the window off the screen
    assert panel.width() >= panel.minimumSizeHint().width()


def test_the_cycle_list_shows_its_rows_and_the_worksheet_keeps_most_room(
    qtbot: QtBot, setup: Setup
) -> None:
    panel = setup.panel
    panel.resize(WARD_PC_TAB, 680)  # the PDSA tab of a 1366 x 768 ward PC

    def rows_shown() -> int:
        table = panel.list
        height = table.viewport().height()
        return sum(
            1
            for row in range(panel.model.rowCount())
            if table.rowViewportPosition(row) >= 0
            and table.rowViewportPosition(row) + table.rowHeight(row) <= height
        )

    cycles = _long_cycles(setup, count=4)
    assert panel.open_cycle(cycles[0].id)
    qtbot.waitUntil(lambda: rows_shown() == 4)  # every cycle, no scrolling
    top, bottom = panel.split.sizes()
    assert bottom > 1.5 * top  # the worksheet has most of the height
    for _ in range(8):
        panel.start_next_cycle()
    assert panel.model.rowCount() == 12
    qtbot.waitUntil(lambda: rows_shown() >= 5)  # more rows, then the list scrolls
    top, bottom = panel.split.sizes()
    assert top <= LIST_SHARE * (top + bottom) + 1
    assert panel.list.verticalScrollBar().isVisible()
    # a handle dragged by the user stays where they put it
    panel.split.setSizes([top - 60, bottom + 60])
    panel.split.splitterMoved.emit(top - 60, 1)
    moved = panel.split.sizes()
    panel.start_next_cycle()  # a row more: the list is not resized again
    panel.fit_split()
    assert panel.split.sizes() == moved


def test_every_control_has_an_accessible_name(setup: Setup) -> None:
    panel = setup.panel
    cycles = _long_cycles(setup)
    assert panel.open_cycle(cycles[0].id)  # with coaching notes (no prediction, no measure)
    assert panel.editor.flags_scroll.isVisible()
    assert panel.views.accessibleName()
    assert panel.views.tabBar().accessibleName()
    for view in range(panel.views.count()):
        panel.views.setCurrentIndex(view)
        for tab in range(panel.editor.tabs.count()):
            panel.editor.tabs.setCurrentIndex(tab)
            QApplication.processEvents()
            assert _unnamed(panel) == [], (view, tab)
    for date_field in (panel.editor.cycle_page.start, panel.editor.cycle_page.end):
        inner = date_field.edit.findChild(QLineEdit)
        assert inner.accessibleName() == date_field.edit.accessibleName()


def test_question_tables_are_as_tall_as_their_rows(qtbot: QtBot, setup: Setup) -> None:
    panel = setup.panel
    cycle = panel.service.create(
        PdsaCycle(setup.project.id, ramp_name="R", questions=(Question("Q?", "P"),))
    ).cycle
    panel.show_project(setup.project.id)
    assert panel.open_cycle(cycle.id)
    panel.editor.tabs.setCurrentIndex(TABS.index("Study"))
    view = panel.editor.study.questions.view
    qtbot.waitUntil(lambda: view.height() < TABLE_MAX_HEIGHT)
    short = view.height()
    assert short >= TABLE_MIN_HEIGHT
    # the Overall box follows straight under the table (no empty table filling the page)
    overall = panel.editor.study.improved
    assert overall.mapTo(panel.editor.study, overall.rect().topLeft()).y() < short + 200
    panel.editor.tabs.setCurrentIndex(TABS.index("Plan"))
    for _ in range(3):
        panel.editor.questions_model.add_row()
    qtbot.waitUntil(lambda: panel.editor.plan.questions.view.height() > short)
