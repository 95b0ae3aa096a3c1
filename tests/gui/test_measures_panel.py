"""The measures panel: measure list and editor, the data grid, the live chart and its commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes, Entity
from qidesk.core.charting import ChartView
from qidesk.core.measures import (
    Annotation,
    AnnotationKind,
    Measure,
    MeasureType,
    Observation,
    PhaseKind,
    TargetPoint,
)
from qidesk.core.periods import Period
from qidesk.core.project import Project
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.services.measures import MeasureService, ObservationEdit
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.dialogs.measure_editor import MeasureEditor, read_multiplier
from qidesk.ui.dialogs.reason_dialog import ProblemListDialog, ReasonDialog
from qidesk.ui.main_window import MainWindow
from qidesk.ui.panels import default_panels
from qidesk.ui.panels.measure_cells import Field
from qidesk.ui.panels.measure_prompts import MeasurePrompts
from qidesk.ui.panels.measures import MeasuresPanel

MONDAY = date(2025, 3, 3)

# -- fixtures -------------------------------------------------------------------------------------


class FakePrompts(MeasurePrompts):
    """Answers every dialog from presets and records what was asked; never shows a dialog."""

    def __init__(self) -> None:
        super().__init__(None)
        self.measure_answer: Callable[[Measure], Measure | None] = lambda _m: None
        self.reasons: list[str | None] = []
        self.annotation_answer: tuple[AnnotationKind, str] | None = None
        self.delete_answer = True
        self.identifier_answer = False
        self.asked: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []
        self.problem_lists: list[list[str]] = []

    def measure(self, measure: Measure, *, new: bool) -> Measure | None:
        self.asked.append(("measure", "new" if new else measure.name))
        return self.measure_answer(measure)

    def reason(self, title: str, prompt: str, placeholder: str = "") -> str | None:
        self.asked.append(("reason", title))
        return self.reasons.pop(0) if self.reasons else None

    def annotation(self, period_text: str) -> tuple[AnnotationKind, str] | None:
        self.asked.append(("annotation", period_text))
        return self.annotation_answer

    def cell_problems(self, title: str, intro: str, lines: Sequence[str]) -> None:
        self.problem_lists.append(list(lines))

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))

    def confirm_delete(self, measure: Measure, points: int) -> bool:
        self.asked.append(("delete", f"{measure.name}:{points}"))
        return self.delete_answer

    def confirm_identifiers(self, messages: Sequence[str]) -> bool:
        self.asked.append(("identifiers", "\n".join(messages)))
        return self.identifier_answer


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@pytest.fixture
def context(make_context: MakeContext) -> WorkspaceContext:
    return make_context("Nurse Lead")


@pytest.fixture
def prompts() -> FakePrompts:
    return FakePrompts()


@pytest.fixture
def panel(qtbot: QtBot, context: WorkspaceContext, prompts: FakePrompts) -> MeasuresPanel:
    widget = MeasuresPanel(context)
    widget.prompts = prompts
    context.panels.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    return widget


@pytest.fixture
def project(context: WorkspaceContext, panel: MeasuresPanel) -> Project:
    result = context.projects.create(Project(title="Falls on Ward 7B"))
    context.broadcast(result.changes)
    context.select_project(result.project.id)
    return result.project


def proportion(project_id: str, name: str = "Risk assessed within 24 h") -> Measure:
    return Measure(
        project_id,
        name,
        data_type=DataType.PROPORTION,
        multiplier=100,
        unit="%",
        period=Period.WEEK,
        chart=ChartType.P,
    )


@pytest.fixture
def measure(context: WorkspaceContext, project: Project) -> Measure:
    result = context.measures.create(proportion(project.id))
    context.broadcast(result.changes)
    return result.measure


def week(i: int) -> date:
    return MONDAY + timedelta(weeks=i)


def add_points(
    context: WorkspaceContext, measure: Measure, pairs: Sequence[tuple[int, int]]
) -> None:
    edits = [
        ObservationEdit(None, Observation(measure.id, week(i), numerator=n, denominator=d))
        for i, (n, d) in enumerate(pairs)
    ]
    context.broadcast(context.measures.apply_edits(measure, edits))


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def type_keys(text: str) -> None:
    """Type as a person does: every key goes to whatever has the keyboard focus."""
    for ch in text:
        QTest.keyClick(QApplication.focusWidget(), ch)


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)
    QApplication.processEvents()  # Enter commits through a queued call


def column(panel: MeasuresPanel, field: Field) -> int:
    return panel.model.column_of(field)


# -- the measure list -----------------------------------------------------------------------------


def test_without_a_project_the_panel_says_what_to_do(panel: MeasuresPanel):
    assert panel.detail_stack.currentWidget() is panel.empty
    assert "No project selected" in panel.empty.text()
    assert not panel.new_action.isEnabled()


def test_a_project_without_measures_offers_the_shortcut(panel: MeasuresPanel, project: Project):
    assert "Ctrl+Shift+M" in panel.empty.text()
    assert panel.new_action.isEnabled()
    assert not panel.edit_action.isEnabled()


def test_the_list_shows_name_type_and_latest_value(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, project: Project
):
    add_points(context, measure, [(30, 50), (42, 50)])
    other = context.measures.create(
        Measure(project.id, "Falls", measure_type=MeasureType.BALANCING, data_type=DataType.COUNT)
    )
    context.broadcast(other.changes)
    texts = [
        [panel.list_model.index(r, c).data() for c in range(3)]
        for r in range(panel.list_model.rowCount())
    ]
    assert texts == [
        ["Risk assessed within 24 h", "Outcome", "84.0% (10 Mar 2025)"],
        ["Falls", "Balancing", "no data yet"],
    ]
    assert panel.measure is not None and panel.measure.id == other.measure.id  # the new one


def test_new_measure_is_one_undo_step(
    context: WorkspaceContext, panel: MeasuresPanel, project: Project, prompts: FakePrompts
):
    prompts.measure_answer = lambda draft: draft.with_changes(name="Pressure ulcers", unit="")
    panel.new_action.trigger()
    assert prompts.asked == [("measure", "new")]
    assert panel.measure is not None and panel.measure.name == "Pressure ulcers"
    assert panel.measure.data_type is DataType.PROPORTION
    assert panel.heading.text() == "Pressure ulcers"
    assert context.undo_stack.undoText() == "Create measure “Pressure ulcers”"
    context.undo_stack.undo()
    assert panel.list_model.rowCount() == 0
    assert panel.measure is None
    context.undo_stack.redo()
    assert panel.measure is not None and panel.measure.name == "Pressure ulcers"


def test_cancelling_the_editor_changes_nothing(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    panel.edit_action.trigger()
    assert prompts.asked == [("measure", measure.name)]
    assert context.undo_stack.count() == 0


def test_edit_measure_is_one_undo_step_and_the_grid_follows(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30, 50)])
    prompts.measure_answer = lambda m: m.with_changes(
        name="Risk assessed (24 h)", data_type=DataType.CONTINUOUS, multiplier=1, chart=ChartType.I
    )
    panel.edit_measure()
    assert panel.heading.text() == "Risk assessed (24 h)"
    assert Field.VALUE in panel.model.columns
    assert panel.chart_box.currentData() == ChartType.I
    context.undo_stack.undo()
    assert panel.heading.text() == "Risk assessed within 24 h"
    assert Field.NUMERATOR in panel.model.columns
    assert panel.model.observations()[0].numerator == 30


def test_delete_measure_asks_naming_it_and_undo_brings_it_back(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30, 50), (31, 50)])
    prompts.delete_answer = False
    panel.delete_action.trigger()
    assert prompts.asked[-1] == ("delete", "Risk assessed within 24 h:2")
    assert panel.list_model.rowCount() == 1
    prompts.delete_answer = True
    panel.measure_table.setFocus()
    QTest.keyClick(panel.measure_table, Qt.Key.Key_Delete)
    assert panel.list_model.rowCount() == 0
    context.undo_stack.undo()
    assert panel.list_model.rowCount() == 1
    assert len(panel.model.observations()) == 2


def test_another_measure_is_shown_when_chosen_in_the_list(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, project: Project
):
    result = context.measures.create(proportion(project.id, "Second"))
    context.broadcast(result.changes)
    second = result.measure
    assert panel.measure is not None and panel.measure.id == second.id
    panel.measure_table.selectRow(panel.list_model.row_of(measure.id))
    assert panel.measure.id == measure.id
    panel.measure_table.selectRow(panel.list_model.row_of(second.id))
    assert panel.measure is not None and panel.measure.id == second.id
    panel.measure_table.selectRow(panel.list_model.row_of(measure.id))
    assert panel.measure.id == measure.id


# -- the data grid --------------------------------------------------------------------------------


def test_type_tab_enter_adds_points_and_the_chart_follows(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    show_active(qtbot, panel)
    panel.focus_grid()
    grid = panel.grid
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (
        0,
        column(panel, Field.NUMERATOR),
    )
    for numerator in ("30", "33"):
        type_keys(numerator)
        press(Qt.Key.Key_Tab)
        type_keys("50")
        press(Qt.Key.Key_Return)
    assert [(o.numerator, o.denominator) for o in panel.model.observations()] == [
        (30, 50),
        (33, 50),
    ]
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (
        2,
        column(panel, Field.NUMERATOR),
    )
    assert panel.chart_data is not None and len(panel.chart_data.periods) == 2
    assert panel.plot.data is panel.chart_data
    assert context.undo_stack.count() == 2
    assert context.undo_stack.undoText().startswith("Add the point for")


def test_typing_over_a_value_replaces_it_and_enter_moves_down(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50), (31, 50), (32, 50)])
    show_active(qtbot, panel)
    panel.grid.setFocus()
    panel.grid.go_to(0, column(panel, Field.DENOMINATOR))
    type_keys("60")
    press(Qt.Key.Key_Enter)
    assert panel.model.observations()[0].denominator == 60
    assert panel.grid.currentIndex().row() == 1
    assert panel.grid.currentIndex().column() == column(panel, Field.DENOMINATOR)
    assert context.undo_stack.undoText() == "Change denominator of 3 Mar 2025"
    context.undo_stack.undo()
    assert panel.model.observations()[0].denominator == 50


def test_a_half_typed_ratio_point_waits_and_enter_goes_to_the_missing_half(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    show_active(qtbot, panel)
    panel.focus_grid()
    type_keys("12")
    press(Qt.Key.Key_Return)
    assert context.undo_stack.count() == 0
    assert panel.grid.currentIndex().column() == column(panel, Field.DENOMINATOR)
    assert "needs a denominator" in panel.problem_text.text()
    assert panel.problem_text.isVisibleTo(panel)
    type_keys("16")
    press(Qt.Key.Key_Return)
    assert context.undo_stack.count() == 1
    assert not panel.problem_text.isVisibleTo(panel)


def test_a_bad_cell_is_marked_with_its_reason_and_nothing_is_saved(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50)])
    show_active(qtbot, panel)
    panel.grid.setFocus()
    panel.grid.go_to(0, column(panel, Field.DENOMINATOR))
    type_keys("0")
    press(Qt.Key.Key_Return)
    assert context.undo_stack.count() == 0
    assert panel.model.observations()[0].denominator == 50
    assert panel.grid.currentIndex().row() == 0  # stays on the refused cell
    assert "the denominator must be above zero" in panel.problem_text.text()
    assert panel.problem_icon.isVisibleTo(panel)
    index = panel.model.index(0, column(panel, Field.DENOMINATOR))
    assert index.data() == "0"
    assert "above zero" in index.data(Qt.ItemDataRole.ToolTipRole)


def test_delete_removes_a_point_and_undo_brings_the_same_one_back(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50), (31, 50), (32, 50)])
    middle = panel.model.observations()[1]
    show_active(qtbot, panel)
    panel.grid.setFocus()
    panel.grid.go_to(1, column(panel, Field.NUMERATOR))
    press(Qt.Key.Key_Delete)
    assert [o.numerator for o in panel.model.observations()] == [30, 32]
    assert context.undo_stack.undoText() == "Delete the point of 10 Mar 2025"
    context.undo_stack.undo()
    assert panel.model.observations()[1].id == middle.id
    panel.grid.go_to(1, column(panel, Field.NOTE))
    panel.model.setData(panel.model.index(1, column(panel, Field.NOTE)), "late return")
    press(Qt.Key.Key_Delete)  # on a note: clears just the note
    assert panel.model.observations()[1].note == ""
    assert len(panel.model.observations()) == 3


def test_deleting_several_rows_is_one_step(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50), (31, 50), (32, 50)])
    panel.entry.delete_cells([(0, 1), (1, 1), (2, 0)])
    assert panel.model.observations() == ()
    assert context.undo_stack.undoText() == "Delete 3 points"
    context.undo_stack.undo()
    assert len(panel.model.observations()) == 3


def test_ctrl_v_pastes_a_block_as_one_step(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    show_active(qtbot, panel)
    panel.focus_grid()
    QGuiApplication.clipboard().setText("03/03/2025\t30\t50\n10/03/2025\t1,032\t2,000\n")
    press(Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [o.numerator for o in panel.model.observations()] == [30, 1032]
    assert context.undo_stack.undoText() == "Paste 2 new points"
    assert panel.grid.currentIndex().row() == 2
    context.undo_stack.undo()
    assert panel.model.observations() == ()


def test_a_paste_with_bad_cells_applies_nothing_and_lists_them(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    text = "03/03/2025\t30\t50\n10/03/2025\tn/a\t50\n17/03/2025\t60\t50\n"
    assert not panel.entry.paste(panel.model.new_row, 1, text)
    assert panel.model.observations() == ()
    assert context.undo_stack.count() == 0
    (lines,) = prompts.problem_lists
    assert lines == [
        "Row 2, column 2 (Numerator) “n/a”: “n/a” is not a number",
        "Row 3, column 2 (Numerator) “60”: the numerator (60) is larger than the denominator (50)",
    ]
    assert "2 cells refused" in panel.status_text.text()


def test_a_paste_of_the_wrong_shape_is_told_and_applies_nothing(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    assert not panel.entry.paste(0, 1, "03/03/2025\t30\t50\t7\n")
    ((title, text),) = prompts.errors
    assert title == "Cannot paste this block"
    assert "4 columns" in text
    assert context.undo_stack.count() == 0


def test_a_paste_over_a_duplicate_is_caught_by_the_service_check(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30, 50)])
    # a block without dates from row 0 changes the first point and adds the next week
    assert panel.entry.paste(0, column(panel, Field.NUMERATOR), "31\t50\n32\t50")
    assert [o.numerator for o in panel.model.observations()] == [31, 32]
    assert context.undo_stack.undoText() == "Paste 1 new and 1 changed points"


def test_space_on_excluded_asks_why_and_excludes(
    qtbot: QtBot,
    context: WorkspaceContext,
    panel: MeasuresPanel,
    measure: Measure,
    prompts: FakePrompts,
):
    add_points(context, measure, [(30, 50), (31, 50)])
    show_active(qtbot, panel)
    panel.grid.setFocus()
    panel.grid.go_to(0, column(panel, Field.EXCLUDED))
    prompts.reasons = [None]
    press(Qt.Key.Key_Space)
    assert not panel.model.observations()[0].excluded  # cancelled: nothing changed
    prompts.reasons = ["audit sheet lost"]
    press(Qt.Key.Key_Space)
    first = panel.model.observations()[0]
    assert first.excluded and first.exclude_reason == "audit sheet lost"
    assert panel.chart_data is not None and panel.chart_data.result is not None
    assert panel.chart_data.result.points[0].excluded
    press(Qt.Key.Key_Space)  # include again
    assert not panel.model.observations()[0].excluded
    box = panel.model.index(1, column(panel, Field.EXCLUDED))
    prompts.reasons = ["ward closed"]
    panel.model.setData(box, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert panel.model.observations()[1].exclude_reason == "ward closed"


def test_annotation_freeze_and_phase_from_the_grid_menu(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30 + i % 3, 50) for i in range(12)])
    actions = dict(panel.entry.row_actions(5))
    assert "Add &annotation…" in actions
    prompts.annotation_answer = (AnnotationKind.TEST_START, "PDSA 1: checklist")
    actions["Add &annotation…"]()
    assert panel.chart_data is not None
    assert [(a.text, a.period) for a in panel.chart_data.annotations] == [
        ("PDSA 1: checklist", week(5))
    ]
    prompts.reasons = [""]  # a reason is required
    actions["&Freeze the baseline here…"]()
    assert panel.chart_data.phases == ()
    prompts.reasons = ["10 stable weeks"]
    actions["&Freeze the baseline here…"]()
    prompts.reasons = ["checklist adopted"]
    dict(panel.entry.row_actions(8))["Start a new p&hase here…"]()
    phases = panel.chart_data.phases
    assert [(p.kind, p.period, p.reason) for p in phases] == [
        (PhaseKind.FREEZE, week(5), "10 stable weeks"),
        (PhaseKind.PHASE, week(8), "checklist adopted"),
    ]
    assert phases[0].meta.created_by == "Nurse Lead" and phases[0].meta.created_at
    assert panel.chart_data.result is not None and len(panel.chart_data.result.phases) == 2
    assert context.undo_stack.undoText() == "Start a new phase at 28 Apr 2025"
    removals = [t for t, _ in panel.entry.row_actions(5) if t.startswith("Remove")]
    assert removals == ["Remove annotation “PDSA 1: checklist”", "Remove baseline frozen here"]
    context.undo_stack.undo()
    assert len(panel.chart_data.phases) == 1
    dict(panel.entry.row_actions(5))["Remove annotation “PDSA 1: checklist”"]()
    assert panel.chart_data.annotations == ()
    context.undo_stack.undo()
    assert len(panel.chart_data.annotations) == 1


def test_the_charts_signals_reach_the_commands(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30, 50), (31, 50), (32, 50)])
    prompts.annotation_answer = (AnnotationKind.EXTERNAL_EVENT, "IT outage")
    panel.plot.annotation_requested.emit(1)
    prompts.reasons = ["new process"]
    panel.plot.phase_requested.emit(2, "phase")
    assert panel.chart_data is not None
    assert [a.period for a in panel.chart_data.annotations] == [week(1)]
    assert [(p.kind, p.period) for p in panel.chart_data.phases] == [(PhaseKind.PHASE, week(2))]
    panel.plot.point_activated.emit(2)
    assert panel.grid.currentIndex().row() == 2


def test_menu_actions_work_on_the_current_row(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30, 50), (31, 50)])
    panel.grid.go_to(0, 1)
    prompts.reasons = ["paper audit lost"]
    panel.exclude_action.trigger()
    assert panel.model.observations()[0].excluded
    prompts.annotation_answer = (AnnotationKind.DATA_ISSUE, "audit late")
    panel.annotate_action.trigger()
    prompts.reasons = ["stable"]
    panel.freeze_action.trigger()
    prompts.reasons = ["changed"]
    panel.phase_action.trigger()
    assert panel.chart_data is not None
    assert len(panel.chart_data.annotations) == 1
    assert len(panel.chart_data.phases) == 2
    texts = [a.text() for a in panel.menu_actions() if not a.isSeparator()]
    assert all("&" in t for t in texts)
    shortcuts = [a.shortcut().toString() for a in panel.menu_actions()]
    assert "Ctrl+Shift+M" in shortcuts and "Ctrl+E" in shortcuts


def test_changes_from_elsewhere_update_only_the_rows_that_changed(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50), (31, 50)])
    resets: list[bool] = []
    panel.model.modelReset.connect(lambda: resets.append(True))
    first = panel.model.observations()[0]
    with qtbot.waitSignal(panel.model.dataChanged):
        context.broadcast(
            context.measures.apply_edits(
                measure, [ObservationEdit(first, first.with_changes(numerator=45.0))]
            )
        )
    assert panel.model.observations()[0].numerator == 45
    assert resets == []


# -- switchers ------------------------------------------------------------------------------------


def test_the_chart_switcher_offers_the_suggested_type_first(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30 + i % 4, 50) for i in range(15)])
    items = [panel.chart_box.itemData(i) for i in range(panel.chart_box.count())]
    assert items[0] == ChartType.P
    assert "suggested" in panel.chart_box.itemText(0)
    assert set(items) >= {ChartType.PP, ChartType.RUN, ChartType.I}
    panel.chart_box.setCurrentIndex(items.index(ChartType.RUN))
    panel.chart_box.activated.emit(items.index(ChartType.RUN))
    assert panel.chart_data is not None and panel.chart_data.chart is ChartType.RUN
    assert context.measures.get(measure.id).chart is ChartType.P  # the default is kept
    panel.set_preset(Preset.IHI)
    assert panel.chart_data.preset is Preset.IHI
    assert panel.preset_box.currentData() == Preset.IHI


def test_the_view_switcher_shows_improvement_and_assurance_views(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30 + i % 4, 50) for i in range(15)])
    panel.set_view(ChartView.IMPROVEMENT)
    assert panel.chart_data is not None
    assert (panel.chart_data.chart, panel.chart_data.view) == (ChartType.RUN, ChartView.IMPROVEMENT)
    assert not panel.chart_box.isEnabled()
    assert panel.chart_box.currentData() == ChartType.RUN
    panel.set_view(ChartView.ASSURANCE)
    assert (panel.chart_data.chart, panel.chart_data.preset) == (ChartType.I, Preset.MDC)
    panel.view_box.setCurrentIndex(0)
    panel.view_box.activated.emit(0)
    assert panel.chart_data.chart is ChartType.P
    assert panel.chart_box.isEnabled()


# -- accessibility --------------------------------------------------------------------------------


def test_every_focusable_control_has_an_accessible_name(
    qtbot: QtBot, panel: MeasuresPanel, measure: Measure
):
    show_active(qtbot, panel)
    unnamed = [
        f"{type(w).__name__}:{w.objectName()}:{type(w.parent()).__name__}"
        for w in panel.findChildren(QWidget)
        if w.isVisible()
        and not panel.plot.isAncestorOf(w)  # the chart widget has its own accessibility tests
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not (QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) or "").strip()
    ]
    assert unnamed == []


def test_read_only_workspace_disables_every_edit(
    make_window: Callable[..., MainWindow], tmp_path: Path
):
    path = tmp_path / "shared.qidesk"
    service = WorkspaceService.create(path, user="Nurse Lead")
    project = ProjectService(service.workspace).create(Project(title="Falls")).project
    measures = MeasureService(service.workspace)
    measure = measures.create(proportion(project.id)).measure
    service.close()
    window = make_window(path, read_only=True, panel_classes=[MeasuresPanel])
    panel = window.panels[0]
    assert isinstance(panel, MeasuresPanel)
    window.context.select_project(project.id)
    assert panel.measure is not None and panel.measure.id == measure.id
    for action in (panel.new_action, panel.edit_action, panel.delete_action, panel.phase_action):
        assert not action.isEnabled()
    assert panel.grid.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    panel.entry.paste(0, 1, "03/03/2025\t30\t50")  # Ctrl+V still reaches the stack: refused
    assert panel.model.observations() == ()


# -- the measure editor ---------------------------------------------------------------------------


@pytest.fixture
def editor(qtbot: QtBot) -> MeasureEditor:
    dialog = MeasureEditor(proportion("p1").with_changes(name=""), new=True)
    qtbot.addWidget(dialog)
    return dialog


def test_the_editor_round_trips_every_field(qtbot: QtBot):
    full = Measure(
        "p1",
        "Falls per 1,000 bed days",
        measure_type=MeasureType.BALANCING,
        definition="Inpatient falls, any harm",
        numerator_definition="Falls on Datix",
        denominator_definition="Occupied bed days",
        inclusions="Adults",
        exclusions="Day cases",
        data_type=DataType.RATE,
        multiplier=1000,
        unit="per 1,000 bed days",
        period=Period.WEEK,
        week_start=2,
        data_source="Datix",
        collected_by="Ward manager",
        direction=Direction.DECREASE,
        target=4.5,
        trajectory=(TargetPoint(date(2025, 1, 1), 6.0), TargetPoint(date(2025, 7, 1), 4.0)),
        chart=ChartType.UP,
        preset=Preset.MDC,
        owner="Sister Jones",
        decimals=2,
    )
    dialog = MeasureEditor(full, new=False)
    qtbot.addWidget(dialog)
    assert dialog.draft() == full
    assert dialog.problems() == {}
    assert dialog.ok_button.isEnabled()


def test_ratio_definitions_show_only_for_ratio_types(qtbot: QtBot, editor: MeasureEditor):
    show_active(qtbot, editor)
    assert editor.numerator_definition.isVisible()
    editor.data_type.setCurrentIndex(editor.data_type.findData(DataType.COUNT))
    assert not editor.numerator_definition.isVisible()
    assert not editor.denominator_definition.isVisible()
    assert editor.draft().numerator_definition == ""


def test_changing_the_data_type_presets_the_suggested_chart_with_its_reason(editor: MeasureEditor):
    editor.chart.setCurrentIndex(editor.chart.findData(ChartType.RUN))
    editor.data_type.setCurrentIndex(editor.data_type.findData(DataType.TIME_BETWEEN_EVENTS))
    assert editor.chart.currentData() == ChartType.T
    assert editor.chart.itemText(0).endswith("suggested")
    assert "Time between rare events" in editor.suggestion.text()
    assert editor.draft().multiplier == 1
    editor.data_type.setCurrentIndex(editor.data_type.findData(DataType.PROPORTION))
    assert editor.chart.currentData() == ChartType.P
    assert editor.draft().multiplier == 100


def test_problems_are_shown_at_the_field_in_words(qtbot: QtBot, editor: MeasureEditor):
    show_active(qtbot, editor)
    fields = editor.checked_fields()
    assert fields["name"].problem == "a measure needs a name"
    assert not editor.ok_button.isEnabled()
    assert "1 problem" in editor.state.text()
    editor.name.setText("Screened")
    editor.multiplier.setCurrentText("lots")
    editor.target.setText("high")
    assert fields["name"].problem is None
    assert fields["multiplier"].problem is not None
    assert fields["target"].problem == "the target must be a number"
    assert fields["target"].message.isVisible()
    assert fields["target"].icon.isVisible()
    editor.multiplier.setCurrentText("250")
    editor.target.setText("95")
    assert editor.draft().multiplier == 250
    assert editor.draft().target == 95
    assert editor.ok_button.isEnabled()


def test_the_trajectory_table_adds_edits_and_refuses_bad_cells(qtbot: QtBot, editor: MeasureEditor):
    editor.name.setText("Screened")
    editor.target.setText("90")
    editor.add_trajectory_step()
    editor.add_trajectory_step()
    model = editor.trajectory
    assert model.rowCount() == 2
    assert model.setData(model.index(0, 0), "06/01/2025")
    assert model.setData(model.index(0, 1), "80")
    assert not model.setData(model.index(1, 1), "soon")
    assert "Trajectory row 2" in (editor.checked_fields()["trajectory"].problem or "")
    assert not editor.ok_button.isEnabled()
    assert model.setData(model.index(1, 1), "95")
    steps = editor.draft().trajectory
    assert steps[0] == TargetPoint(date(2025, 1, 6), 80)
    assert steps[1].value == 95
    editor.trajectory_view.setCurrentIndex(model.index(0, 0))
    editor.remove_trajectory_step()
    assert len(editor.draft().trajectory) == 1


def test_the_editor_warns_about_patient_details_before_saving(qtbot: QtBot, editor: MeasureEditor):
    editor.name.setText("Screened")
    editor.definition.setPlainText("e.g. Mrs Smith, NHS number 943 476 5919")
    asked: list[list[str]] = []
    editor.confirm_identifiers = lambda messages: asked.append(messages) or False
    with qtbot.assertNotEmitted(editor.accepted):
        editor.accept()
    assert "Operational definition" in asked[0][0]
    editor.confirm_identifiers = lambda messages: True
    with qtbot.waitSignal(editor.accepted):
        editor.accept()


def test_multiplier_text_is_read_as_a_number():
    assert read_multiplier("100 (a percentage)") == 100
    assert read_multiplier("1,000 (per 1,000)") == 1000
    assert read_multiplier("per 10,000") == 10000
    assert read_multiplier("×250") == 250


def test_the_editor_and_dialogs_name_every_control(qtbot: QtBot, editor: MeasureEditor):
    reason = ReasonDialog("Exclude point", "Why?", kinds=list(AnnotationKind))
    problems = ProblemListDialog("Cannot paste", "Nothing was pasted:", ["Row 1, column 2: bad"])
    for dialog in (editor, reason, problems):
        qtbot.addWidget(dialog)
        show_active(qtbot, dialog)
        unnamed = [
            f"{type(w).__name__}:{w.objectName()}"
            for w in dialog.findChildren(QWidget)
            if w.isVisible()
            and w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and not (
                QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) or ""
            ).strip()
        ]
        assert unnamed == [], dialog.windowTitle()
    assert not reason.ok_button.isEnabled()
    assert "required" in reason.hint.text()
    reason.text.setPlainText("lost sheet")
    assert reason.ok_button.isEnabled()
    assert reason.value() == "lost sheet"
    assert problems.lines() == ["Row 1, column 2: bad"]


def test_annotation_kinds_are_offered(qtbot: QtBot):
    dialog = ReasonDialog("Add annotation", "What happened?", kinds=list(AnnotationKind))
    qtbot.addWidget(dialog)
    assert dialog.kind is not None and dialog.kind.count() == len(AnnotationKind)
    dialog.kind.setCurrentIndex(1)
    assert dialog.chosen_kind() is AnnotationKind.TEST_END


def test_identifier_guard_on_notes_asks_first(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure, prompts: FakePrompts
):
    add_points(context, measure, [(30, 50)])
    note = panel.model.index(0, column(panel, Field.NOTE))
    panel.model.setData(note, "Fall of Mrs Jones, NHS 943 476 5919")
    assert prompts.asked[-1][0] == "identifiers"
    assert panel.model.observations()[0].note == ""
    prompts.identifier_answer = True
    panel.model.setData(note, "Fall of Mrs Jones, NHS 943 476 5919")
    assert panel.model.observations()[0].note.startswith("Fall")


def test_annotations_from_pdsa_elsewhere_redraw_the_chart(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50), (31, 50)])
    context.broadcast(context.measures.put_annotation(Annotation(measure.id, week(1), "PDSA 2")))
    assert panel.chart_data is not None and len(panel.chart_data.annotations) == 1


def test_open_measure_switches_project_and_focuses_the_grid(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    other = context.projects.create(Project(title="Sepsis in ED")).project
    context.broadcast(Changes.of(created={}))
    context.select_project(other.id)
    assert panel.measure is None
    assert panel.open_measure(measure.id)
    assert context.current_project_id == measure.project_id
    assert panel.measure is not None and panel.measure.id == measure.id
    assert panel.grid.currentIndex().row() == panel.model.new_row
    assert not panel.open_measure("no-such-measure")


def test_the_editors_mnemonics_are_unique(editor: MeasureEditor):
    from PySide6.QtWidgets import QAbstractButton, QLabel

    texts = [w.text() for w in editor.findChildren(QLabel) if w.buddy() is not None]
    texts += [b.text() for b in editor.findChildren(QAbstractButton)]
    keys = [t[t.index("&") + 1].lower() for t in texts if "&" in t and "&&" not in t]
    assert len(keys) == len(set(keys)), sorted(keys)
    assert len(keys) >= 18


def test_a_data_change_that_names_no_measure_still_redraws(
    context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50)])
    note = Annotation(measure.id, week(0), "IT outage")
    context.measures.put_annotation(note)
    context.broadcast(Changes.of(created={Entity.ANNOTATION: [note.id]}))
    assert panel.chart_data is not None
    assert [a.text for a in panel.chart_data.annotations] == ["IT outage"]


def test_shortcuts_do_not_clash_with_the_window_or_other_panels(
    make_window: Callable[..., MainWindow], workspace_file: Path
):
    classes = [c for c in default_panels() if c is not MeasuresPanel] + [MeasuresPanel]
    window = make_window(workspace_file, panel_classes=classes)
    seen: dict[str, str] = {}
    for action in window.all_actions():
        for shortcut in action.shortcuts():
            key = shortcut.toString()
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()
    assert seen["Ctrl+Shift+M"] == "&New measure…"
    assert seen["Ctrl+E"] == "&Edit measure…"


def test_the_menu_key_opens_the_context_menu_at_the_current_cell(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    add_points(context, measure, [(30, 50), (31, 50), (32, 50)])
    grid = panel.grid
    grid.menu_requested.disconnect(panel.entry.show_context_menu)  # never block on a menu
    grid.go_to(2, column(panel, Field.NOTE))
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Keyboard, QPoint(1, 1), grid.mapToGlobal(QPoint(1, 1))
    )
    with qtbot.waitSignal(grid.menu_requested) as blocker:
        QApplication.sendEvent(grid, event)
    (pos,) = blocker.args
    assert grid.indexAt(pos).row() == 2


# -- room for the chart on a 1366 x 768 ward PC -------------------------------------------------


def _ward_pc_panel(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
) -> None:
    """The panel as big as the Measures tab beside a 340-px project dock at 1366 x 768."""
    add_points(context, measure, [(30 + i % 7, 50 + i % 3 * 1000) for i in range(30)])
    panel.resize(990, 660)
    panel.show()
    qtbot.waitExposed(panel)
    panel.select_measure(measure.id)
    qtbot.wait(20)


def test_the_chart_is_the_largest_part_and_the_grid_shows_its_numbers_whole(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    _ward_pc_panel(qtbot, context, panel, measure)
    grid_width, chart_width = panel.split.sizes()
    assert chart_width > grid_width
    assert chart_width >= 0.55 * (grid_width + chart_width)
    grid = panel.grid
    header = grid.horizontalHeader()
    for field in (Field.PERIOD, Field.NUMERATOR, Field.DENOMINATOR, Field.PLOTTED):
        c = column(panel, field)
        right = header.sectionViewportPosition(c) + header.sectionSize(c)
        assert right <= grid.viewport().width(), field  # not cut off by the chart
        assert header.sectionSize(c) >= header.sectionSizeHint(c), field  # heading whole
    # the chart's own title would repeat the panel's heading: the height goes to the drawing
    assert not panel.plot.plot.title.isVisible()
    assert panel.heading.text() == measure.name
    plot_height = panel.plot.plot.plot_widget.height()
    assert plot_height > grid.height() * 0.5
    # a wider panel widens the chart, not the grid
    panel.resize(1400, 660)
    qtbot.waitUntil(lambda: panel.split.sizes()[1] > chart_width + 300)
    assert abs(panel.split.sizes()[0] - grid_width) <= 2


def test_the_measure_list_is_as_tall_as_its_rows_and_can_be_hidden(
    qtbot: QtBot,
    context: WorkspaceContext,
    panel: MeasuresPanel,
    measure: Measure,
    project: Project,
):
    _ward_pc_panel(qtbot, context, panel, measure)
    table = panel.measure_table
    rows = table.verticalHeader().defaultSectionSize()
    header = table.horizontalHeader().height()
    assert table.height() <= header + rows + 2 * table.frameWidth() + 2  # one measure, one row
    for k in range(5):
        made = context.measures.create(proportion(project.id, f"Measure {k}"))
        context.broadcast(made.changes)
    assert panel.list_model.rowCount() == 6
    qtbot.waitUntil(lambda: table.height() > header + 4 * rows)
    assert table.height() < header + 5 * rows + 2 * table.frameWidth()  # then it scrolls
    # hidden and shown again from the Measures menu (the keyboard's way) or the toolbar
    assert panel.list_action in panel.menu_actions()
    chart_before = panel.plot.height()
    panel.list_action.trigger()
    assert table.isHidden()
    qtbot.waitUntil(lambda: panel.plot.height() > chart_before)
    button = panel.toolbar.widgetForAction(panel.list_button_action)
    assert button.text() == "Show list"
    assert button.accessibleName() == "Show measure list"
    panel.list_button_action.trigger()
    assert not table.isHidden() and panel.list_action.isChecked()
    assert button.text() == "Hide list"


def test_hiding_the_list_moves_the_keyboard_focus_to_the_grid(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    _ward_pc_panel(qtbot, context, panel, measure)
    show_active(qtbot, panel)
    panel.measure_table.setFocus()
    qtbot.waitUntil(panel.measure_table.hasFocus)
    panel.list_action.setChecked(False)
    qtbot.waitUntil(panel.grid.hasFocus)


def test_assurance_icons_stay_in_the_chart_without_its_title(
    qtbot: QtBot, context: WorkspaceContext, panel: MeasuresPanel, measure: Measure
):
    _ward_pc_panel(qtbot, context, panel, measure)
    panel.set_view(ChartView.ASSURANCE)
    plot = panel.plot.plot
    qtbot.waitUntil(plot.variation_badge.isVisible)
    assert not plot.title.isVisible()
    assert plot.variation_badge.text
