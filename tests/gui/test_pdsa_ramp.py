"""Done when: a ramp of three cycles on one change idea (adapt, adapt, adopt), run through the
real editor widgets, with predictions compared with results; the linked measure then carries
the three cycles' start and end markers (``PdsaService.pdsa_annotations``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QTableView, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.drivers import NodeKind, aim_node_id
from qidesk.core.measures import AnnotationKind, Measure, Observation
from qidesk.core.pdsa import Confirmation, CycleStatus, Decision, Purpose, TestScale
from qidesk.core.periods import Period
from qidesk.core.project import Project
from qidesk.services.diagram import DiagramService
from qidesk.services.measures import MeasureService, ObservationEdit
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.panels.pdsa import PdsaPanel
from qidesk.ui.pdsa.editor import PdsaEditor
from qidesk.ui.pdsa.tables import QuestionColumn

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

IDEA = "Pain prompt on the handover sheet"


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@dataclass
class World:
    context: WorkspaceContext
    panel: PdsaPanel
    idea: str
    measure: Measure


@pytest.fixture
def world(qtbot: QtBot, make_context: MakeContext) -> World:
    ctx = make_context("Sister Khan@Ward 7", no_failures=True)
    ws = ctx.workspace.workspace
    project = ctx.projects.create(Project(title="Pain assessed at every handover")).project
    diagram = DiagramService(ws)
    primary = diagram.add_node(project.id, aim_node_id(project.id), "Reliable handover").node
    idea = diagram.add_node(project.id, primary.id, IDEA, NodeKind.CHANGE_IDEA).node
    measures = MeasureService(ws)
    measure = measures.create(
        Measure(project.id, "Handovers with a pain score", period=Period.WEEK)
    ).measure
    weeks = [date(2025, 2, 24) + timedelta(days=7 * i) for i in range(8)]
    measures.apply_edits(
        measure, [ObservationEdit(None, Observation(measure.id, w, value=40.0)) for w in weeks]
    )
    panel = PdsaPanel(ctx)
    panel.today = lambda: date(2025, 4, 1)
    ctx.broadcast.append(panel)  # type: ignore[attr-defined]
    qtbot.addWidget(panel)
    panel.resize(1200, 900)
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    ctx.select_project(project.id)
    return World(ctx, panel, idea.id, measure)


# ---------------------------------------------------------------------- driving the widgets


def _editor_in(view: QTableView) -> QWidget:
    editors = [w for w in view.viewport().findChildren(QWidget) if w.isVisible()]
    assert editors, "no cell editor opened"
    return editors[-1]


def type_cell(view: QTableView, row: int, column: int, text: str) -> None:
    """Open the cell's editor as a user would, type ``text`` and press Enter."""
    index = view.model().index(row, column)
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    editor = _editor_in(view)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits the edit queued, as for a user
    assert view.model().index(row, column).data() == text


def choose_cell(view: QTableView, row: int, column: int, confirmation: Confirmation) -> None:
    """Open the "prediction held?" combo box, choose ``confirmation`` and press Enter."""
    index = view.model().index(row, column)
    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    combo = _editor_in(view)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(confirmation.value))
    QTest.keyClick(combo, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert view.model().index(row, column).data() == confirmation.label


def choose(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    assert index >= 0, value
    combo.setCurrentIndex(index)


def type_text(widget: QWidget, text: str) -> None:
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.selectAll()
    QTest.keyClicks(widget, text)


def set_dates(editor: PdsaEditor, start: date, end: date) -> None:
    for field, when in ((editor.cycle_page.start, start), (editor.cycle_page.end, end)):
        field.check.setChecked(True)
        field.edit.setDate(QDate(when.year, when.month, when.day))


def tick(editor: PdsaEditor, item_id: str, on: bool) -> None:
    widget = editor.cycle_page.measures
    for row in range(widget.count()):
        item = widget.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == item_id:
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            return
    raise AssertionError("measure not offered")


def save(panel: PdsaPanel) -> None:
    assert panel.save_button.isEnabled(), panel.state_text.text()
    QTest.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert not panel.is_dirty()
    assert panel.state_text.text() == "All changes saved."


def study_and_act(
    panel: PdsaPanel,
    results: list[tuple[str, str, Confirmation]],
    decision: Decision,
    next_steps: str,
) -> None:
    """Do, Study (each prediction against its result) and Act, then save."""
    editor = panel.editor
    editor.tabs.setCurrentIndex(2)
    type_text(editor.do.what_happened, "Ran as planned on the day shift.")
    editor.tabs.setCurrentIndex(3)
    view = editor.study.questions.view
    for row, (result, learning, held) in enumerate(results):
        type_cell(view, row, QuestionColumn.RESULT, result)
        type_cell(view, row, QuestionColumn.LEARNING, learning)
        choose_cell(view, row, QuestionColumn.CONFIRMED, held)
    choose(editor.study.improved, "yes" if decision is Decision.ADOPT else "unclear")
    type_text(editor.study.summary, "Compared each prediction with the tally.")
    editor.tabs.setCurrentIndex(4)
    choose(editor.act.decision, decision.value)
    type_text(editor.act.next_steps, next_steps)
    choose(editor.cycle_page.status, CycleStatus.DONE.value)
    save(panel)


# ---------------------------------------------------------------------- the ramp


def test_a_ramp_of_three_cycles_adapt_adapt_adopt(world: World) -> None:
    panel, stack = world.panel, world.context.undo_stack
    editor = panel.editor

    # Cycle 1: a new ramp on the change idea, planned through the editor ----------------------
    panel.idea_filter.setCurrentIndex(panel.idea_filter.findData(world.idea))
    QTest.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    first = panel.current_cycle
    assert first is not None
    assert (first.ramp_name, first.change_idea_ids) == (IDEA, (world.idea,))
    editor.tabs.setCurrentIndex(0)
    tick(editor, world.measure.id, True)
    set_dates(editor, date(2025, 3, 3), date(2025, 3, 7))
    choose(editor.cycle_page.purpose, Purpose.TEST.value)
    editor.tabs.setCurrentIndex(1)
    type_text(editor.plan.objective, "Find out whether day staff use a pain prompt")
    QTest.mouseClick(editor.plan.questions.add_button, Qt.MouseButton.LeftButton)
    plan_view = editor.plan.questions.view
    type_cell(plan_view, 0, QuestionColumn.QUESTION, "Will the prompt be filled in?")
    type_cell(plan_view, 0, QuestionColumn.PREDICTION, "4 of 5 handovers")
    type_cell(plan_view, 0, QuestionColumn.REASONING, "The sheet is used at every handover")
    type_text(editor.plan.test_what, "Pain prompt at the bottom of the sheet")
    choose(editor.plan.scale, TestScale.ONE_PATIENT.value)
    save(panel)
    study_and_act(
        panel,
        [("2 of 5", "The prompt at the bottom was missed", Confirmation.NO)],
        Decision.ADAPT,
        "Move the prompt to the top of the sheet",
    )
    assert [f.title for f in panel.service.cycle_flags(first.id, date(2025, 4, 1))] == [
        "“Adapt” with no next cycle"
    ]

    # Cycle 2: "Start next cycle" on the Act tab, linked and pre-filled -------------------------
    QTest.mouseClick(editor.act.start_next, Qt.MouseButton.LeftButton)
    second = panel.current_cycle
    assert second is not None
    assert (second.number, second.previous_cycle_id, second.ramp_id) == (
        2, first.id, first.ramp_id,
    )  # fmt: skip
    assert second.objective == "Move the prompt to the top of the sheet"
    assert second.measure_ids == (world.measure.id,)
    assert second.change_idea_ids == (world.idea,)
    assert second.questions[0].prediction == "The prompt at the bottom was missed"
    assert editor.tabs.currentIndex() == 1  # opened on Plan
    assert editor.cycle_page.previous.currentData() == first.id
    assert stack.undoText().startswith("Start the cycle after")
    type_cell(plan_view, 0, QuestionColumn.PREDICTION, "4 of 5 with the prompt at the top")
    editor.tabs.setCurrentIndex(0)
    set_dates(editor, date(2025, 3, 10), date(2025, 3, 14))
    save(panel)
    study_and_act(
        panel,
        [("3 of 5", "Nights need it too", Confirmation.PARTLY)],
        Decision.ADAPT,
        "Keep it at the top and brief the night team",
    )

    # Cycle 3: scaled up to a shift, adopted ---------------------------------------------------
    QTest.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    third = panel.current_cycle
    assert third is not None
    assert (third.number, third.previous_cycle_id) == (3, second.id)
    editor.tabs.setCurrentIndex(0)
    set_dates(editor, date(2025, 3, 17), date(2025, 3, 21))
    editor.tabs.setCurrentIndex(1)
    choose(editor.plan.scale, TestScale.ONE_SHIFT.value)
    type_cell(plan_view, 0, QuestionColumn.PREDICTION, "5 of 5 on days and nights")
    save(panel)
    study_and_act(
        panel,
        [("5 of 5", "Works on every shift", Confirmation.YES)],
        Decision.ADOPT,
        "Use the new sheet on the whole ward",
    )

    # The ramp: three cycles, adapt, adapt, adopt, predictions compared with results -----------
    (ramp,) = panel.service.ramps(panel.project_id or "")
    assert [c.number for c in ramp.cycles] == [1, 2, 3]
    assert [c.decision for c in ramp.cycles] == [Decision.ADAPT, Decision.ADAPT, Decision.ADOPT]
    assert [c.status for c in ramp.cycles] == [CycleStatus.DONE] * 3
    compared = [(q.prediction, q.result, q.confirmed) for c in ramp.cycles for q in c.questions]
    assert compared == [
        ("4 of 5 handovers", "2 of 5", Confirmation.NO),
        ("4 of 5 with the prompt at the top", "3 of 5", Confirmation.PARTLY),
        ("5 of 5 on days and nights", "5 of 5", Confirmation.YES),
    ]
    fidelity = panel.service.fidelity(panel.project_id or "", date(2025, 4, 1))
    assert fidelity.flags == ()
    assert (fidelity.cycles, fidelity.iterative_ramps, fidelity.with_predictions) == (3, 1, 3)

    # the ramp view shows the three cycles with their scale and decisions
    panel.views.setCurrentIndex(1)
    timeline = panel.ramp_view.current_timeline()
    assert timeline is not None
    assert [(b.label, b.scale, b.decision) for b in timeline.bars] == [
        ("#1", TestScale.ONE_PATIENT, Decision.ADAPT),
        ("#2", TestScale.ONE_PATIENT, Decision.ADAPT),
        ("#3", TestScale.ONE_SHIFT, Decision.ADOPT),
    ]
    text = panel.ramp_view.text.toPlainText()
    assert "Cycle #3, 17 Mar 2025 to 21 Mar 2025, one shift, done, Act: adopt." in text

    # The linked measure's chart gets the three cycles' start and end markers ------------------
    marks = panel.service.pdsa_annotations(world.measure.id)
    assert [(a.period, a.kind) for a in marks] == [
        (date(2025, 3, 3), AnnotationKind.TEST_START),
        (date(2025, 3, 7), AnnotationKind.TEST_END),
        (date(2025, 3, 10), AnnotationKind.TEST_START),
        (date(2025, 3, 14), AnnotationKind.TEST_END),
        (date(2025, 3, 17), AnnotationKind.TEST_START),
        (date(2025, 3, 21), AnnotationKind.TEST_END),
    ]
    assert [a.pdsa_id for a in marks] == [first.id] * 2 + [second.id] * 2 + [third.id] * 2
    assert marks[0].text == (
        f"PDSA {IDEA} #1 started: Find out whether day staff use a pain prompt"
    )
    assert marks[5].text == f"PDSA {IDEA} #3 ended: Keep it at the top and brief the night team"

    # removing the link (through the editor) removes that cycle's markers; undo brings them back
    assert panel.open_cycle(second.id)
    editor.tabs.setCurrentIndex(0)
    tick(editor, world.measure.id, False)
    save(panel)
    assert {a.pdsa_id for a in panel.service.pdsa_annotations(world.measure.id)} == {
        first.id, third.id,
    }  # fmt: skip
    stack.undo()
    assert len(panel.service.pdsa_annotations(world.measure.id)) == 6
