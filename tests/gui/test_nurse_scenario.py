"""Done when: a ward nurse sets up a measure, types 30 weeks, sees a shift, annotates, rephases,
undoes and redoes, and exports the chart to PDF — all through the real main window."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.measures import AnnotationKind, Measure, PhaseKind
from qidesk.core.periods import Period
from qidesk.core.project import Project
from qidesk.core.spc.types import ChartType, DataType, Direction, RuleId
from qidesk.ui.dialogs.measure_editor import MeasureEditor
from qidesk.ui.main_window import MainWindow
from qidesk.ui.panels.measure_cells import Field
from qidesk.ui.panels.measure_prompts import MeasurePrompts
from qidesk.ui.panels.measures import MeasuresPanel
from qidesk.ui.panels.project_list import ProjectListPanel

MakeWindow = Callable[..., MainWindow]

#: 15 weeks around 60%, then 15 weeks around 85% after the new falls-risk checklist
NUMERATORS = [30, 33, 29, 31, 35, 28, 32, 30, 34, 31, 29, 33, 30, 32, 31]
NUMERATORS += [41, 43, 40, 44, 42, 45, 41, 43, 44, 42, 40, 43, 45, 42, 44]
DENOMINATOR = 50
NAME = "Falls risk assessed within 24 hours"


class NursePrompts(MeasurePrompts):
    """The nurse's answers. The measure editor is the real dialog, filled in by keyboard."""

    def __init__(self, qtbot: QtBot, window: QWidget) -> None:
        super().__init__(None)
        self.qtbot = qtbot
        self.window = window
        self.reasons: list[str] = []
        self.annotations: list[tuple[AnnotationKind, str]] = []
        self.editors: list[MeasureEditor] = []

    def measure(self, measure: Measure, *, new: bool) -> Measure | None:
        editor = MeasureEditor(measure, new=new)
        self.qtbot.addWidget(editor)
        editor.show()
        self.editors.append(editor)
        editor.name.setFocus()
        QTest.keyClicks(editor.name, NAME)
        editor.definition.setFocus()
        QTest.keyClicks(editor.definition, "Adults admitted to Ward 7B whose falls risk was")
        editor.data_type.setCurrentIndex(editor.data_type.findData(DataType.PROPORTION))
        editor.period.setCurrentIndex(editor.period.findData(Period.WEEK))
        editor.multiplier.setCurrentText("100 (a percentage)")
        editor.direction.setCurrentIndex(editor.direction.findData(Direction.INCREASE))
        editor.target.setText("90")
        assert editor.chart.currentData() == ChartType.P  # suggested from the data type
        editor.confirm_identifiers = lambda _messages: True
        with self.qtbot.waitSignal(editor.accepted):
            editor.ok_button.click()
        with self.qtbot.waitActive(self.window):  # as when a modal dialog closes
            self.window.activateWindow()
        return editor.draft()

    def reason(self, title: str, prompt: str, placeholder: str = "") -> str | None:
        return self.reasons.pop(0)

    def annotation(self, period_text: str) -> tuple[AnnotationKind, str] | None:
        return self.annotations.pop(0)

    def cell_problems(self, title: str, intro: str, lines: Sequence[str]) -> None:
        raise AssertionError(f"unexpected problems: {lines}")

    def error(self, title: str, text: str) -> None:
        raise AssertionError(f"unexpected error: {title}: {text}")


def key(widget_key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), widget_key, modifier)
    QApplication.processEvents()  # Enter commits through a queued call


def type_text(text: str) -> None:
    for ch in text:
        QTest.keyClick(QApplication.focusWidget(), ch)


def in_grid(panel: MeasuresPanel) -> bool:
    focus = QApplication.focusWidget()
    return focus is panel.grid or (isinstance(focus, QWidget) and panel.grid.isAncestorOf(focus))


def test_a_nurse_enters_thirty_weeks_and_reads_the_shift(
    qtbot: QtBot, make_window: MakeWindow, workspace_file: Path, tmp_path: Path
):
    window = make_window(workspace_file, panel_classes=[ProjectListPanel, MeasuresPanel])
    window.resize(1400, 900)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    panel = next(p for p in window.panels if isinstance(p, MeasuresPanel))
    prompts = NursePrompts(qtbot, window)
    panel.prompts = prompts
    context = window.context
    project = context.projects.create(Project(title="Falls on Ward 7B")).project
    context.select_project(project.id)
    window.show_panel(panel)

    # 1. set up the measure (Ctrl+Shift+M in the panel opens the editor)
    panel.measure_table.setFocus()
    key(Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    measure = panel.measure
    assert measure is not None
    assert (measure.name, measure.data_type, measure.multiplier) == (
        NAME,
        DataType.PROPORTION,
        100,
    )
    assert measure.period is Period.WEEK and measure.direction is Direction.INCREASE

    # 2. type 30 weeks with the keyboard: numerator, Tab, denominator, Enter
    assert in_grid(panel)
    for numerator in NUMERATORS:
        type_text(str(numerator))
        key(Qt.Key.Key_Tab)
        type_text(str(DENOMINATOR))
        key(Qt.Key.Key_Return)
    points = panel.model.observations()
    assert [p.numerator for p in points] == NUMERATORS
    assert {p.denominator for p in points} == {DENOMINATOR}
    assert panel.grid.currentIndex().row() == panel.model.new_row
    assert panel.grid.currentIndex().column() == panel.model.column_of(Field.NUMERATOR)
    assert context.undo_stack.count() == 1 + len(NUMERATORS)

    # 3. the chart flags the shift, with its reason, in the result and in the summary
    data = panel.chart_data
    assert data is not None and data.result is not None
    assert len(data.periods) == 30
    run = next(s for s in data.result.signals if s.rule is RuleId.ANHOEJ_LONGEST_RUN)
    assert "Longest run of 15 points" in run.reason
    summary = panel.plot.summary_text()
    assert "15 points in a row above the centre line" in summary
    assert "shift in the direction of improvement" in summary

    # 4. annotate the week the checklist started (Ctrl+Shift+A on the current row)
    panel.grid.go_to(15, panel.model.column_of(Field.NUMERATOR))
    prompts.annotations = [(AnnotationKind.CHANGE_ADOPTED, "Falls checklist adopted (PDSA 3)")]
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    data = panel.chart_data
    assert data is not None
    assert [a.text for a in data.annotations] == ["Falls checklist adopted (PDSA 3)"]

    # 5. start a new phase there, with a reason (Ctrl+Shift+P)
    prompts.reasons = ["15-week shift after the checklist was adopted"]
    key(Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    data = panel.chart_data
    assert data is not None and data.result is not None
    (phase,) = data.phases
    assert (phase.kind, phase.period, phase.reason) == (
        PhaseKind.PHASE,
        points[15].period,
        "15-week shift after the checklist was adopted",
    )
    assert phase.meta.created_by == "tester" and phase.meta.created_at
    assert len(data.result.phases) == 2
    before, after = data.result.phases
    assert before.cl is not None and after.cl is not None and after.cl > before.cl

    # 6. undo and redo through the window's shortcuts
    assert in_grid(panel)
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.chart_data is not None and panel.chart_data.phases == ()
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.chart_data.annotations == ()
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    data = panel.chart_data
    assert len(data.annotations) == 1 and len(data.phases) == 1
    assert data.result is not None and len(data.result.phases) == 2

    # 7. export the chart to PDF
    pdf = panel.plot.export_to("pdf", tmp_path / "falls-risk.pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert NAME in " ".join(text.split())
