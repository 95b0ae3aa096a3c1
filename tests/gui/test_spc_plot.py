"""SpcPlot, ChartPane and the exports, driven with real engine results (``chart_data``)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, qInstallMessageHandler
from PySide6.QtGui import (
    QAccessible,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QHelpEvent,
    QImage,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.chart_text import summary_text
from qidesk.core.charting import ChartData, ChartView, chart_data
from qidesk.core.measures import (
    Annotation,
    AnnotationKind,
    Measure,
    Observation,
    Phase,
    PhaseKind,
)
from qidesk.core.periods import Period, next_period
from qidesk.core.spc.types import ChartType, DataType, Direction, PointType, Preset
from qidesk.ui.app import configure_pyqtgraph
from qidesk.ui.charts import style
from qidesk.ui.charts.chart_table import ChartPane
from qidesk.ui.charts.export import export_pdf, export_png, export_svg, render_image
from qidesk.ui.charts.spc_plot import EMPTY_TEXT, NO_VALUES_TEXT, SpcPlot

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

START = date(2024, 11, 25)  # a Monday
BASELINE = [70, 71, 69, 72, 68, 71, 70, 73, 69, 70, 72, 71, 72, 71]
HIGHER = [80, 82, 79, 83, 81, 84, 80, 82, 85]

ASSESSMENT = Measure(
    "p",
    "Falls risk assessment within 24 h",
    data_type=DataType.PROPORTION,
    multiplier=100,
    period=Period.WEEK,
    decimals=0,
    chart=ChartType.P,
    preset=Preset.MDC,
    direction=Direction.INCREASE,
    target=90.0,
    definition="Patients aged 65+ with a falls risk assessment within 24 hours",
)


@pytest.fixture(autouse=True)
def _pyqtgraph(qapp: QApplication) -> None:
    configure_pyqtgraph()


def weekly(measure: Measure, values: list[float], *, ratio: bool = True) -> list[Observation]:
    out, when = [], START
    for v in values:
        if ratio:
            out.append(Observation(measure.id, when, numerator=v, denominator=100))
        else:
            out.append(Observation(measure.id, when, value=v))
        when = next_period(when, Period.WEEK)
    return out


def shift_data(
    view: ChartView = ChartView.DEFAULT, measure: Measure = ASSESSMENT, *, phase: bool = False
) -> ChartData:
    """14 weeks around 72 %, 9 weeks higher (a shift), annotations, optionally a new phase."""
    obs = weekly(measure, BASELINE + HIGHER)
    obs[3] = obs[3].with_changes(excluded=True, exclude_reason="audit not done")
    obs[20] = obs[20].with_changes(note="new starter on the ward")
    phases = [Phase(measure.id, obs[14].period, PhaseKind.PHASE, "checklist adopted")]
    notes = [
        Annotation(measure.id, obs[12].period, "PDSA 1: checklist", AnnotationKind.TEST_START),
        Annotation(measure.id, obs[13].period, "Ward move", AnnotationKind.EXTERNAL_EVENT),
        Annotation(measure.id, obs[14].period, "Checklist adopted", AnnotationKind.CHANGE_ADOPTED),
        Annotation(measure.id, obs[15].period, "Audit gap", AnnotationKind.DATA_ISSUE),
        Annotation(measure.id, obs[18].period, "PDSA 1 ends", AnnotationKind.TEST_END),
    ]
    return chart_data(measure, obs, phases if phase else [], notes, view=view)


@pytest.fixture
def plot(qtbot: QtBot) -> SpcPlot:
    widget = SpcPlot()
    qtbot.addWidget(widget)
    widget.resize(1000, 560)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# ------------------------------------------------------------------ drawing
@pytest.mark.parametrize("chart", list(ChartType))
def test_every_chart_type_is_drawn(plot: SpcPlot, chart: ChartType):
    ratio = chart in (ChartType.P, ChartType.PP, ChartType.U, ChartType.UP)
    measure = ASSESSMENT.with_changes(
        data_type=DataType.PROPORTION if ratio else DataType.COUNT,
        multiplier=100 if ratio else 1,
        chart=chart,
        target=None,
    )
    values = [12, 15, 11, 14, 13, 16, 12, 15, 14, 13, 17, 12, 30, 14, 13, 15]
    data = chart_data(measure, weekly(measure, values, ratio=ratio))
    plot.show_chart(data)
    if data.error:
        assert data.error in plot.message_text()
        return
    if chart is ChartType.S:  # one value per subgroup: no standard deviation to plot
        assert plot.message_text() == NO_VALUES_TEXT
        return
    assert plot.message_text() == ""
    x, _y = plot.line.getData()
    assert len(x) == len(values)
    assert plot.centre_line.isVisible()
    assert plot.centre_line.getData()[0] is not None
    assert plot.title.text() == measure.name
    assert chart.label in plot.subtitle.text()
    if chart.has_limits and data.result and any(p.ucl is not None for p in data.result.points):
        assert plot.ucl_line.isVisible()
    if chart is ChartType.RUN:
        assert not plot.ucl_line.isVisible()
        assert plot.centre_line.opts["pen"].style() == Qt.PenStyle.DashLine
    else:
        assert plot.centre_line.opts["pen"].style() == Qt.PenStyle.SolidLine
    assert plot.accessibleDescription() == summary_text(data)


def test_limits_are_broken_at_the_phase_change(plot: SpcPlot):
    plot.show_chart(shift_data(ChartView.ASSURANCE, phase=True))
    x, y = plot.centre_line.getData()
    gaps = np.flatnonzero(np.isnan(x))
    assert len(gaps) == 1  # one break: two phases
    before, after = y[: gaps[0]], y[gaps[0] + 1 :]
    assert np.nanmax(before) < np.nanmin(after)  # the centre moved up after the change
    # labels with the centre and limits before and after the change
    labels = plot.value_labels()
    assert len(labels) == 6
    assert all(label.endswith("%") for label in labels)


def test_improvement_and_assurance_views(plot: SpcPlot):
    plot.show_chart(shift_data(ChartView.IMPROVEMENT))
    assert "Run chart" in plot.subtitle.text()
    assert plot.variation_badge.isHidden()
    assert plot.centre_line.opts["pen"].style() == Qt.PenStyle.DashLine
    plot.show_chart(shift_data(ChartView.ASSURANCE))
    assert "Assurance view" in plot.subtitle.text()
    assert not plot.variation_badge.isHidden()
    assert plot.variation_badge.text == "Special cause improvement (high)"
    assert not plot.assurance_badge.isHidden()
    assert plot.assurance_badge.accessibleName() == plot.assurance_badge.text
    legend = [e.text for e in plot.legend.entries]
    assert "Special cause: improvement" in legend
    assert "Process limits" in legend
    assert "Target" in legend


def test_signal_markers_have_mdc_colours_and_distinct_shapes(plot: SpcPlot):
    data = shift_data(ChartView.ASSURANCE)
    plot.show_chart(data)
    assert data.result is not None
    kinds = {p.point_type for p in data.result.points}
    assert PointType.IMPROVEMENT in kinds
    last = len(data.periods) - 1
    improvement = plot.marker_at(last)
    assert (improvement.symbol, improvement.fill) == ("t1", style.MDC_IMPROVEMENT)
    assert improvement.outline == style.TEXT  # dark outline on every marker (COL-R1)
    plot.show_chart(shift_data(ChartView.IMPROVEMENT))  # run chart: no point signals
    assert plot.marker_at(last).symbol == "o"
    assert plot.marker_at(last).fill == style.MDC_COMMON
    assert plot.marker_at(last).visible
    # the same points are a concern when lower is better: orange, pointing down
    worse = shift_data(ChartView.ASSURANCE, ASSESSMENT.with_changes(direction=Direction.DECREASE))
    plot.show_chart(worse)
    concern = plot.marker_at(last)
    assert (concern.symbol, concern.fill) == ("t", style.MDC_CONCERN)
    neutral = shift_data(ChartView.ASSURANCE, ASSESSMENT.with_changes(direction=Direction.NEUTRAL))
    plot.show_chart(neutral)
    assert (plot.marker_at(last).symbol, plot.marker_at(last).fill) == ("d", style.MDC_NEUTRAL)


def test_categories_never_rely_on_colour_alone():
    shapes = {
        style.marker_for(t).symbol
        for t in (PointType.COMMON_CAUSE, PointType.IMPROVEMENT, PointType.CONCERN)
    }
    assert len(shapes) == 3
    assert style.marker_for(PointType.NEUTRAL_HIGH).symbol not in shapes
    # text colours pass 4.5:1 on white; the marker outline passes 3:1 (T-A11Y-03)
    for colour in (
        style.TEXT,
        style.TEXT_IMPROVEMENT,
        style.TEXT_CONCERN,
        style.TEXT_NEUTRAL,
        style.TEXT_COMMON,
        style.MDC_TARGET,
    ):
        assert style.contrast_ratio(colour, style.BACKGROUND) >= 4.5, colour
    assert style.contrast_ratio(style.TEXT, style.BACKGROUND) >= 3


def test_excluded_point_is_ghosted(plot: SpcPlot):
    plot.show_chart(shift_data(ChartView.ASSURANCE))
    ghost = plot.marker_at(3)
    assert ghost.fill is None
    assert ghost.outline == style.GREY_2
    assert "Excluded" in [e.text for e in plot.legend.entries]


def test_annotations_are_labelled_and_never_overlap(plot: SpcPlot, qtbot: QtBot):
    plot.show_chart(shift_data(ChartView.IMPROVEMENT, phase=True))
    labels = plot.band_labels()
    for text in ("PDSA 1: checklist", "Ward move", "Checklist adopted", "Audit gap", "PDSA 1 ends"):
        assert any(text in label for label in labels), text
    assert any("New phase: checklist adopted" in label for label in labels)
    for size in ((1000, 560), (520, 380)):
        plot.resize(*size)
        qtbot.wait(20)
        rects = plot.band_label_rects()
        if size == (1000, 560):
            assert len(rects) == len(labels)  # room for every label
        else:
            assert 1 <= len(rects) <= len(labels)  # the rest are hidden, never overlapping
        for k, a in enumerate(rects):
            for b in rects[k + 1 :]:
                assert not a.intersects(b), (a, b)
        # the labels sit above the data: no point lies under any label
        vb = plot.view_box
        for i, y in enumerate(plot._values):
            at = vb.mapFromView(QPointF(i, float(y)))
            assert not any(r.contains(at) for r in rects)
    assert sum(line.isVisible() for line in plot._vlines) >= 6


def _view_px(plot: SpcPlot, x: float) -> float:
    """The view-box pixel column of data position ``x``."""
    return float(plot.view_box.mapFromView(QPointF(x, 0)).x())


@pytest.mark.parametrize("width", [1000, 700, 520, 380])
def test_run_label_starts_in_its_band_and_stays_in_view(plot: SpcPlot, qtbot: QtBot, width: int):
    plot.show_chart(shift_data(ChartView.IMPROVEMENT))  # the 9 higher weeks: a long run
    plot.resize(width, 560)
    runs = [k for k, text in enumerate(plot.band_labels()) if " in a row " in text]
    assert len(runs) == 1
    item = plot._band_texts[runs[0]]

    def placed() -> None:
        assert item.isVisible()
        assert item.toolTip().startswith(
            "Unusually long run: 9 points in a row above the median"
        )
        rect = item.mapRectToItem(plot.view_box, item.boundingRect())
        start = _view_px(plot, plot._regions[0].getRegion()[0])
        view_width = plot.view_box.width()
        # inside the band at its start when it fits there (in a shorter wording if need be) …
        if view_width - start >= rect.width():
            assert abs(rect.left() - start) < 1.5, (rect, start)
        # … and never clipped by either edge of the chart (the old label lost its start)
        assert rect.left() >= 0 and rect.right() <= view_width + 0.5, (rect, view_width)

    qtbot.waitUntil(placed, timeout=3000)  # layout after a resize settles in the event loop
    shown = item.toPlainText()
    assert shown.startswith("9 ") and "above" in shown
    if "…" not in shown:
        assert "(improvement)" in shown
    # the band's labels (annotations too) are stacked: none overlaps another
    rects = plot.band_label_rects()
    for k, a in enumerate(rects):
        for b in rects[k + 1 :]:
            assert not a.intersects(b), (a, b)


def test_a_label_near_the_right_edge_moves_into_the_view(plot: SpcPlot, qtbot: QtBot):
    data = shift_data()
    last = data.periods[-1]
    note = Annotation(
        ASSESSMENT.id, last, "Escalation to the matron", AnnotationKind.EXTERNAL_EVENT
    )
    plot.show_chart(chart_data(ASSESSMENT, list(data.observations), [], [note]))
    for width in (1000, 420):
        plot.resize(width, 500)
        qtbot.wait(20)
        [rect] = plot.band_label_rects()
        assert rect.left() >= 0 and rect.right() <= plot.view_box.width() + 0.5
        assert "Escalation to the matron" in plot._band_texts[0].toPlainText()


def test_value_axis_labels_are_never_cut_by_the_top_edge(plot: SpcPlot, qtbot: QtBot):
    axis = plot.left_axis
    for data, size in (
        (shift_data(ChartView.IMPROVEMENT), (1000, 560)),
        (shift_data(ChartView.ASSURANCE), (520, 300)),
        (shift_data(), (700, 420)),
    ):
        plot.show_chart(data)
        plot.resize(*size)
        qtbot.wait(20)
        low, high = plot.view_box.viewRange()[1]
        pixels = plot.view_box.height()
        half = QFontMetricsF(axis.style.get("tickFont") or QFont()).height() / 2
        levels = axis.tickValues(low, high, pixels)
        spacing, majors = levels[0]
        labels = axis.tickStrings(majors, 1.0, spacing)
        assert any(labels)
        for value, text in zip(majors, labels, strict=True):
            if text:
                from_top = (high - value) / (high - low) * pixels
                assert from_top >= half - 1, (text, from_top)
        if plot.band_label_rects():  # no value written beside the annotation labels
            ceiling = axis._ceiling
            assert ceiling is not None and all(v <= ceiling for v in majors)


def test_drawing_surface_is_named_and_described_for_screen_readers(plot: SpcPlot, qtbot: QtBot):
    data = shift_data(ChartView.ASSURANCE)
    plot.show_chart(data)
    viewport = plot.plot_widget.viewport()
    name = QAccessible.queryAccessibleInterface(viewport).text(QAccessible.Text.Name)
    assert name == "Chart drawing: Falls risk assessment within 24 h"
    # the summary is written once the chart is left alone (SUMMARY_DELAY_MS)
    qtbot.waitUntil(lambda: viewport.accessibleDescription() == summary_text(data))
    assert plot.plot_widget.accessibleDescription() == summary_text(data)


def test_summary_is_written_once_after_a_burst_of_changes(
    plot: SpcPlot, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import qidesk.ui.charts.spc_plot as spc_plot

    written: list[ChartData] = []

    def counted(data: ChartData) -> str:
        written.append(data)
        return summary_text(data)

    monkeypatch.setattr(spc_plot, "summary_text", counted)
    viewport = plot.plot_widget.viewport()
    charts = [shift_data(ChartView.IMPROVEMENT), shift_data(), shift_data(ChartView.ASSURANCE)]
    for data in charts:
        plot.show_chart(data)
    assert written == []  # not on every change ...
    qtbot.waitUntil(lambda: viewport.accessibleDescription() == summary_text(charts[-1]))
    assert written == [charts[-1]]  # ... once, for the chart shown, when left alone
    plot.show_chart(charts[0])  # read before the delay: written there and then
    assert plot.accessibleDescription() == summary_text(charts[0])
    assert plot.describe() == summary_text(charts[0])
    assert written == [charts[-1], charts[0]]
    qtbot.wait(plot.SUMMARY_DELAY_MS + 50)
    assert len(written) == 2  # the timer was stopped: nothing written twice


def test_summary_is_written_at_once_for_an_assistive_technology(plot: SpcPlot) -> None:
    data = shift_data(ChartView.ASSURANCE)
    QAccessible.setActive(True)
    try:
        plot.show_chart(data)
        viewport = plot.plot_widget.viewport()
        assert viewport.accessibleDescription() == summary_text(data)
        interface = QAccessible.queryAccessibleInterface(plot)
        assert interface.text(QAccessible.Text.Description) == summary_text(data)
    finally:
        QAccessible.setActive(False)


def test_compact_chart_tooltip_is_its_summary(qtbot: QtBot) -> None:
    tile = SpcPlot(compact=True)
    qtbot.addWidget(tile)
    tile.resize(300, 200)
    tile.show()
    data = shift_data()
    tile.show_chart(data)
    at = QPoint(50, 50)
    # the offscreen platform cannot raise the tooltip window (a harmless warning)
    previous = qInstallMessageHandler(lambda *_: None)
    try:
        QApplication.sendEvent(tile, QHelpEvent(QEvent.Type.ToolTip, at, tile.mapToGlobal(at)))
        assert tile.toolTip() == summary_text(data)  # written just before it is shown
        QToolTip.hideText()
    finally:
        qInstallMessageHandler(previous)


def test_icons_go_under_the_title_when_the_chart_is_narrow(plot: SpcPlot, qtbot: QtBot):
    plot.show_chart(shift_data(ChartView.ASSURANCE))
    qtbot.waitUntil(plot.badges_beside_title)  # 1000 px: room for both side by side
    line = plot.title.fontMetrics().lineSpacing()
    for width in (520, 360):
        plot.resize(width, 480)
        qtbot.waitUntil(lambda: not plot.badges_beside_title())
        qtbot.wait(20)
        # the title keeps the width to read (at most two lines, never a word a line)
        assert plot.title.height() <= 2 * line + 4, width
        for badge in (plot.variation_badge, plot.assurance_badge):
            assert badge.isVisible()
            assert badge.geometry().right() <= plot.width()
            assert badge.height() >= badge.heightForWidth(badge.width())  # its name is whole
    plot.resize(1000, 560)
    qtbot.waitUntil(plot.badges_beside_title)


def test_titles_can_be_left_to_the_panel_but_the_icons_stay(plot: SpcPlot, qtbot: QtBot):
    plot.set_titles_visible(False)
    plot.show_chart(shift_data(ChartView.IMPROVEMENT))  # a run chart: no icons
    qtbot.wait(10)
    assert not plot.title.isVisible() and not plot._header.isVisible()  # nothing to show
    plot.show_chart(shift_data(ChartView.ASSURANCE))
    qtbot.waitUntil(plot._header.isVisible)
    assert not plot.title.isVisible()
    assert plot.variation_badge.isVisible() and plot.assurance_badge.isVisible()
    assert plot.title.text() == ASSESSMENT.name  # still kept up to date for when it is shown


def test_keyboard_focus_moves_and_reads_the_point(plot: SpcPlot, qtbot: QtBot):
    data = shift_data(ChartView.ASSURANCE)
    plot.show_chart(data)
    plot.setFocus()
    qtbot.waitUntil(plot.hasFocus)
    last = len(data.periods) - 1
    assert plot.focused_index == last  # focus arrives on the latest point
    with qtbot.waitSignal(plot.point_focused) as moved:
        QTest.keyClick(plot, Qt.Key.Key_Left)
    assert moved.args == [last - 1]
    QTest.keyClick(plot, Qt.Key.Key_Left)
    assert plot.focused_index == 20
    text = plot.info.text()
    assert "14 April 2025" in text
    assert "Value: 80%" in text
    assert "Numerator 80 / denominator 100" in text
    assert "Note: new starter on the ward" in text
    assert "Signal (special-cause improvement)" in text
    QTest.keyClick(plot, Qt.Key.Key_Home)
    assert plot.focused_index == 0
    QTest.keyClick(plot, Qt.Key.Key_Right)
    assert plot.focused_index == 1
    QTest.keyClick(plot, Qt.Key.Key_End)
    assert plot.focused_index == last
    with qtbot.waitSignal(plot.point_activated) as activated:
        QTest.keyClick(plot, Qt.Key.Key_Return)
    assert activated.args == [last]
    x, _y = plot.focus_ring.getData()
    assert list(x) == [float(last), float(last)]


def test_hover_shows_the_point_in_a_tooltip(
    plot: SpcPlot, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
):
    shown: list[str] = []  # the offscreen platform cannot raise a real tooltip window
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_a: shown.append(text))
    monkeypatch.setattr(QToolTip, "hideText", lambda: shown.append(""))
    plot.show_chart(shift_data(ChartView.ASSURANCE))
    qtbot.wait(20)
    at = plot.view_box.mapViewToScene(QPointF(20, float(plot._values[20])))
    plot._hovered(at)
    assert "Note: new starter on the ward" in shown[-1]
    assert shown[-1].startswith("14 April 2025\nValue: 80%")
    far = plot.view_box.mapViewToScene(QPointF(20, float(plot._values[20]) + 5))
    plot._hovered(far)
    assert shown[-1] == ""


def test_context_menu_emits_annotation_and_phase_requests(
    plot: SpcPlot, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
):
    popped: list[QMenu] = []  # the offscreen platform cannot grab the keyboard for a menu
    monkeypatch.setattr(QMenu, "popup", lambda menu, *_a: popped.append(menu))
    plot.show_chart(shift_data())
    menu = plot.context_menu(10)
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == [
        "Select 3 Feb 2025 in the data",
        "Add an annotation at 3 Feb 2025…",
        "Freeze the baseline at 3 Feb 2025…",
        "Start a new phase at 3 Feb 2025…",
    ]
    with qtbot.waitSignal(plot.annotation_requested) as annotated:
        actions["Add an annotation at 3 Feb 2025…"].trigger()
    assert annotated.args == [10]
    with qtbot.waitSignal(plot.phase_requested) as frozen:
        actions["Freeze the baseline at 3 Feb 2025…"].trigger()
    assert frozen.args == [10, "freeze"]
    with qtbot.waitSignal(plot.phase_requested) as phased:
        actions["Start a new phase at 3 Feb 2025…"].trigger()
    assert phased.args == [10, "phase"]
    with qtbot.waitSignal(plot.point_activated) as selected:
        actions["Select 3 Feb 2025 in the data"].trigger()
    assert selected.args == [10]
    # from the keyboard: Shift+F10 on the focused point
    plot.setFocus()
    qtbot.waitUntil(plot.hasFocus)
    QTest.keyClick(plot, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    assert len(popped) == 1
    assert popped[0].actions()[0].text().startswith("Select 28 Apr 2025")
    QTest.keyClick(plot, Qt.Key.Key_Menu)
    assert len(popped) == 2


def test_empty_and_error_states(plot: SpcPlot):
    plot.show_chart(chart_data(ASSESSMENT, []))
    assert plot.message_text() == EMPTY_TEXT
    assert not plot.line.isVisible()
    assert "no data yet" in plot.accessibleDescription()
    days = Measure(
        "p",
        "Days between falls",
        data_type=DataType.TIME_BETWEEN_EVENTS,
        chart=ChartType.T,
        period=Period.DAY,
    )
    obs = [Observation(days.id, date(2025, 1, i + 1), value=v) for i, v in enumerate([3, 0, 5])]
    broken = chart_data(days, obs)
    assert broken.error
    plot.show_chart(broken)
    assert plot.message_text().startswith("This chart cannot be drawn.")
    assert broken.error in plot.message_text()
    plot.show_chart(shift_data())  # and back to a chart
    assert plot.message_text() == ""
    assert plot.line.isVisible()


def test_period_axis_keeps_labels_apart_from_10_to_10000_points(plot: SpcPlot, qtbot: QtBot):
    measure = ASSESSMENT.with_changes(period=Period.DAY, chart=ChartType.RUN)
    rng = np.random.default_rng(3)
    for n in (10, 100, 1000, 10_000):
        obs = [
            Observation(
                measure.id,
                date(2000, 1, 1) + timedelta(days=i),
                numerator=float(rng.binomial(100, 0.7)),
                denominator=100,
            )
            for i in range(n)
        ]
        plot.show_chart(chart_data(measure, obs))
        qtbot.wait(10)
        axis = plot.bottom_axis
        width = axis.geometry().width()
        levels = axis.tickValues(*plot.view_box.viewRange()[0], width)
        majors = levels[0][1]
        assert 2 <= len(majors) <= width / axis._label_width + 1, n
        if n == 10_000:
            assert not plot.markers.isVisible()  # markers left to the line
            assert plot.line.opts["autoDownsample"]
            assert plot.line.opts["clipToView"]


def test_redraw_of_1000_points_is_fast(plot: SpcPlot, qtbot: QtBot):
    measure = ASSESSMENT.with_changes(period=Period.DAY, chart=ChartType.P)
    rng = np.random.default_rng(4)
    obs = [
        Observation(
            measure.id,
            date(2000, 1, 1) + timedelta(days=i),
            numerator=float(rng.binomial(100, 0.7)),
            denominator=100,
        )
        for i in range(1000)
    ]
    versions = [
        chart_data(measure, [*obs[:-1], obs[-1].with_changes(numerator=float(k))])
        for k in (10, 50, 90)
    ]
    plot.show_chart(versions[0])
    app = QApplication.instance()
    times = []
    for k in range(15):
        start = time.perf_counter()
        plot.show_chart(versions[k % 3])
        app.processEvents()  # the repaint
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.05  # goal 16 ms; generous for a busy CI machine


# ------------------------------------------------------------------ pane: chart | table | summary
def test_chart_pane_table_summary_and_signals(qtbot: QtBot):
    pane = ChartPane()
    qtbot.addWidget(pane)
    pane.resize(1000, 600)
    pane.show()
    data = shift_data(ChartView.ASSURANCE)
    pane.show_chart(data)
    assert [pane.tabs.tabText(i) for i in range(3)] == ["Chart", "Table", "Summary"]
    pane.tabs.setCurrentIndex(1)
    model = pane.table_model
    assert model.rowCount() == len(data.periods)
    assert model.column_names()[:4] == ["Period", "Value", "Numerator", "Denominator"]
    assert model.data(model.index(0, 1)) == "70%"
    pane.table.selectRow(20)
    assert pane.plot.focused_index == 20
    pane.plot.focus_point(5)
    assert pane.table.currentIndex().row() == 5
    pane.table.setFocus()
    with qtbot.waitSignal(pane.point_activated) as activated:
        QTest.keyClick(pane.table, Qt.Key.Key_Return)
    assert activated.args == [5]
    with qtbot.waitSignal(pane.phase_requested) as phased:
        pane.plot.context_menu(7).actions()[3].trigger()
    assert phased.args == [7, "phase"]
    pane.tabs.setCurrentIndex(2)
    assert pane.summary.text().startswith(summary_text(data))
    assert "Rules: Making Data Count" in pane.summary.text()
    assert "Definition: Patients aged 65+" in pane.summary.text()


def test_chart_table_model_passes_the_model_tester(qtmodeltester, qtbot: QtBot):
    pane = ChartPane()
    qtbot.addWidget(pane)
    pane.show_chart(shift_data())
    pane.tabs.setCurrentIndex(1)
    qtmodeltester.check(pane.table_model)


# ------------------------------------------------------------------ exports
def _pdftotext(path: Path) -> str:
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("pdftotext is not installed")
    out = subprocess.run(
        [tool, "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return out.stdout


def test_pdf_export_has_title_definition_legend_and_preset(tmp_path: Path):
    data = shift_data(ChartView.ASSURANCE)
    target = export_pdf(data, tmp_path / "chart.pdf", generated=date(2025, 5, 1))
    assert target.read_bytes().startswith(b"%PDF")
    text = " ".join(_pdftotext(target).split())
    assert "Falls risk assessment within 24 h" in text
    assert "Rules: Making Data Count" in text
    assert "Definition: Patients aged 65+ with a falls risk assessment within 24 hours" in text
    assert "Special cause: improvement" in text  # the legend
    assert "Special cause improvement (high)" in text  # the variation icon's name
    assert "Generated 1 May 2025" in text
    assert "PDSA 1: checklist" in text  # annotation labels stay text


def test_svg_export_is_vector_with_text(tmp_path: Path):
    """Also the guard that SVG export works on the pinned PySide6 (ecosystem.md §0)."""
    data = shift_data(ChartView.ASSURANCE)
    target = export_svg(data, tmp_path / "chart.svg")
    svg = target.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg
    assert "<path" in svg or "<polyline" in svg
    assert "Falls risk assessment within 24 h" in svg
    assert "Making Data Count" in svg


def test_png_export_and_clipboard(tmp_path: Path, qtbot: QtBot):
    data = shift_data(ChartView.IMPROVEMENT)
    target = export_png(data, tmp_path / "chart.png")
    image = QImage(str(target))
    assert image.width() == 2246 and image.height() == 1588
    assert image.pixelColor(5, 5).name() == "#ffffff"
    pane = ChartPane()
    qtbot.addWidget(pane)
    pane.show_chart(data)
    copied = pane.copy_image()
    assert copied is not None and not copied.isNull()
    assert not QGuiApplication.clipboard().image().isNull()


def test_pane_export_to_emits_and_refuses_bad_paths(tmp_path: Path, qtbot: QtBot):
    pane = ChartPane()
    qtbot.addWidget(pane)
    pane.show_chart(shift_data())
    with qtbot.waitSignal(pane.exported) as written:
        pane.export_to("pdf", tmp_path / "x.pdf")
    assert written.args == [tmp_path / "x.pdf"]
    with pytest.raises(OSError):
        pane.export_to("png", tmp_path / "missing-folder" / "x.png")
    assert not (tmp_path / "missing-folder").exists()


def test_export_of_an_empty_chart_says_so(tmp_path: Path):
    image = render_image(chart_data(ASSESSMENT, []), 1.0)
    assert not image.isNull()
    text = " ".join(_pdftotext(export_pdf(chart_data(ASSESSMENT, []), tmp_path / "e.pdf")).split())
    assert "No data yet" in text


# ------------------------------------------------------------------ accessibility
def _unnamed(root: QWidget) -> list[str]:
    return [
        f"{type(w).__name__}:{w.objectName()}"
        for w in [root, *root.findChildren(QWidget)]
        if w.isVisible()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not (QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) or "").strip()
    ]


def test_every_focusable_part_of_the_pane_has_an_accessible_name(qtbot: QtBot):
    pane = ChartPane()
    qtbot.addWidget(pane)
    pane.resize(900, 560)
    pane.show()
    qtbot.waitExposed(pane)
    assert _unnamed(pane) == []  # before any chart
    pane.show_chart(shift_data(ChartView.ASSURANCE))
    for tab in range(3):
        pane.tabs.setCurrentIndex(tab)
        assert _unnamed(pane) == [], tab
    assert pane.plot.accessibleName() == "Chart: Falls risk assessment within 24 h"
    assert pane.plot.accessibleDescription().startswith("Falls risk assessment within 24 h:")
    assert pane.export_button.width() >= 24 and pane.export_button.height() >= 24
