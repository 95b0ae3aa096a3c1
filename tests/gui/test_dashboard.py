"""The project dashboard over real A&E measures (NHSRdatasets demo data)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.charting import ChartView
from qidesk.core.measures import Measure, MeasureType, Observation
from qidesk.core.project import Project
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.services.measures import ObservationEdit
from qidesk.services.workspace import WorkspaceService
from qidesk.ui.app import configure_pyqtgraph
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.panels.dashboard import NO_MEASURES, NO_PROJECT, DashboardModel, DashboardPanel

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@pytest.fixture
def context(qapp: QApplication, make_context: MakeContext) -> WorkspaceContext:
    configure_pyqtgraph()
    return make_context("Sam Coach")


def ae_rows(org: str, kind: str) -> list[dict[str, str]]:
    with (DEMO / f"ae_{org}_type1_{kind}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def add_ae_measures(context: WorkspaceContext, project_id: str) -> list[Measure]:
    """Four-hour performance of two trusts (proportion, target 95 %) and one trust's breaches."""
    service = context.measures
    made = []
    for org in ("RQM", "RJZ"):
        measure = service.create(
            Measure(
                project_id,
                f"Seen within 4 hours ({org})",
                MeasureType.OUTCOME,
                definition="Type 1 A&E attendances admitted, transferred or discharged within "
                "4 hours of arrival",
                numerator_definition="Attendances within 4 hours",
                denominator_definition="All type 1 attendances",
                data_type=DataType.PROPORTION,
                multiplier=100,
                direction=Direction.INCREASE,
                target=95.0,
                chart=ChartType.P,
                preset=Preset.MDC,
            )
        ).measure
        edits = [
            ObservationEdit(
                None,
                Observation(
                    measure.id,
                    date.fromisoformat(r["date"]),
                    numerator=int(r["attendances"]) - int(r["breaches"]),
                    denominator=int(r["attendances"]),
                ),
            )
            for r in ae_rows(org, "performance")
        ]
        service.apply_edits(measure, edits)
        made.append(measure)
    breaches = service.create(
        Measure(
            project_id,
            "Four-hour breaches (R1H)",
            MeasureType.BALANCING,
            data_type=DataType.COUNT,
            decimals=0,
            direction=Direction.DECREASE,
            chart=ChartType.I,
            preset=Preset.MDC,
        )
    ).measure
    service.apply_edits(
        breaches,
        [
            ObservationEdit(
                None,
                Observation(breaches.id, date.fromisoformat(r["date"]), value=float(r["breaches"])),
            )
            for r in ae_rows("R1H", "breaches")
        ],
    )
    made.append(breaches)
    return made


@pytest.fixture
def project(context: WorkspaceContext) -> Project:
    return context.projects.create(Project(title="Four-hour A&E performance")).project


@pytest.fixture
def panel(qtbot: QtBot, context: WorkspaceContext) -> DashboardPanel:
    widget = DashboardPanel(context)
    context.broadcast.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_asks_for_a_project_then_for_measures(panel: DashboardPanel, context, project):
    assert panel.message.text() == NO_PROJECT
    assert panel.panel_id == "dashboard"
    assert panel.title == "Dashboard"
    context.select_project(project.id)
    assert panel.message.text() == NO_MEASURES
    assert panel.heading.text() == "Dashboard: Four-hour A&E performance"


def test_tiles_and_table_for_every_measure(panel: DashboardPanel, context, project):
    measures = add_ae_measures(context, project.id)
    context.select_project(project.id)
    assert [t.measure_id for t in panel.tiles] == [m.id for m in measures]
    tile = panel.tiles[0]
    assert tile.name.text() == "Seen within 4 hours (RQM)"
    assert tile.plot.compact
    assert tile.plot.data is not None
    assert tile.plot.data.view is ChartView.ASSURANCE
    assert not tile.variation.isHidden()
    assert tile.variation.text  # the icon's name is written, never the icon alone
    assert tile.assurance.text == "Hit and miss: the target may or may not be met"
    assert "Seen within 4 hours (RQM)" in tile.accessibleName()
    model = panel.model
    assert model.rowCount() == 3
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert header == [
        "Measure",
        "Type",
        "Latest value",
        "Variation",
        "Assurance",
        "Latest signal",
        "Reason",
        "Points",
        "Last update",
    ]
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[0] == "Seen within 4 hours (RQM)"
    assert row[1] == "Outcome"
    assert row[2] == "94.3% (Mar 2019)"
    assert row[3] == "Common cause"  # short in the table; the full name in tooltip and for AT
    assert model.data(model.index(0, 3), Qt.ItemDataRole.ToolTipRole) == tile.variation.text
    assert model.data(model.index(0, 3), Qt.ItemDataRole.AccessibleTextRole) == (
        tile.variation.text
    )
    assert row[4] == "Hit and miss"
    assert model.data(model.index(0, 4), Qt.ItemDataRole.ToolTipRole) == tile.assurance.text
    assert row[5]  # the latest signal …
    assert row[6]  # … and its reason
    assert row[7] == "36"
    assert row[8]
    assert model.data(model.index(0, 3), Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(model.index(0, 4), Qt.ItemDataRole.DecorationRole) is not None
    breaches = [model.data(model.index(2, c)) for c in range(model.columnCount())]
    assert breaches[1] == "Balancing"
    assert breaches[4] == "No target"
    assert model.data(model.index(2, 4), Qt.ItemDataRole.DecorationRole) is None


def test_double_click_or_enter_opens_the_measure(
    panel: DashboardPanel, context, project, qtbot: QtBot
):
    measures = add_ae_measures(context, project.id)
    context.select_project(project.id)
    hinted: list[str] = []
    context.on_measure_opened(hinted.append)
    with qtbot.waitSignal(panel.measure_open_requested) as opened:
        QTest.mouseDClick(panel.tiles[1], Qt.MouseButton.LeftButton)
    assert opened.args == [measures[1].id]
    with qtbot.waitSignal(panel.measure_open_requested) as opened:
        QTest.mouseDClick(panel.tiles[2].plot.plot_widget.viewport(), Qt.MouseButton.LeftButton)
    assert opened.args == [measures[2].id]
    panel.tiles[0].setFocus()
    with qtbot.waitSignal(panel.measure_open_requested) as opened:
        QTest.keyClick(panel.tiles[0], Qt.Key.Key_Return)
    assert opened.args == [measures[0].id]
    panel.table.setFocus()
    panel.table.setCurrentIndex(panel.model.index(2, 0))
    with qtbot.waitSignal(panel.measure_open_requested) as opened:
        QTest.keyClick(panel.table, Qt.Key.Key_Return)
    assert opened.args == [measures[2].id]
    assert panel.model.data(panel.model.index(2, 0), DashboardModel.MEASURE_ID_ROLE) == (
        measures[2].id
    )
    assert hinted == [m.id for m in (measures[1], measures[2], measures[0], measures[2])]


def test_refreshes_only_the_measure_that_changed(panel: DashboardPanel, context, project):
    measures = add_ae_measures(context, project.id)
    context.select_project(project.id)
    untouched = panel.tiles[1].plot.data
    rqm = measures[0]
    last = context.measures.observations(rqm.id)[-1]
    changed = last.with_changes(numerator=last.denominator * 0.5)
    context.broadcast(context.measures.apply_edits(rqm, [ObservationEdit(last, changed)]))
    assert panel.model.data(panel.model.index(0, 2)) == "50.0% (Mar 2019)"
    assert panel.tiles[0].plot.data.observations[-1].numerator == changed.numerator
    assert panel.tiles[1].plot.data is untouched  # the other measures were not recomputed
    # a new measure appears, a deleted one goes
    added = context.measures.create(Measure(project.id, "Ambulance handovers"))
    context.broadcast(added.changes)
    assert [t.name.text() for t in panel.tiles][-1] == "Ambulance handovers"
    assert panel.model.rowCount() == 4
    context.broadcast(context.measures.delete(measures[2].id))
    assert panel.model.rowCount() == 3
    assert measures[2].id not in [t.measure_id for t in panel.tiles]
    # another project's changes leave this dashboard alone
    other = context.projects.create(Project(title="Other")).project
    theirs = context.measures.create(Measure(other.id, "Not ours"))
    context.broadcast(theirs.changes)
    assert panel.model.rowCount() == 3
    assert "Not ours" not in [t.name.text() for t in panel.tiles]


def test_view_switch_keeps_the_assurance_icons(panel: DashboardPanel, context, project):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    icons = [t.variation.text for t in panel.tiles]
    panel.set_view(ChartView.IMPROVEMENT)
    assert all(t.plot.data.view is ChartView.IMPROVEMENT for t in panel.tiles)
    assert all(t.plot.data.chart is ChartType.RUN for t in panel.tiles)
    assert [t.variation.text for t in panel.tiles] == icons
    panel.set_view(ChartView.DEFAULT)
    assert panel.tiles[0].plot.data.chart is ChartType.P


def test_follows_project_deletion_and_workspace_replacement(
    panel: DashboardPanel, context, project
):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    context.broadcast(context.projects.delete(project.id))
    assert panel.message.text() == NO_PROJECT
    context.broadcast(WorkspaceService.replaced())
    assert panel.message.text() == NO_PROJECT


def test_dashboard_model_passes_the_model_tester(qtmodeltester, panel, context, project):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    qtmodeltester.check(panel.model)


def test_every_focusable_part_has_an_accessible_name(panel: DashboardPanel, context, project):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    unnamed = [
        f"{type(w).__name__}:{w.objectName()}"
        for w in panel.findChildren(QWidget)
        if w.isVisible()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and not (QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) or "").strip()
    ]
    assert unnamed == []


def test_tiles_are_reached_with_tab_in_reading_order(
    panel: DashboardPanel, context, project, qtbot: QtBot
):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    panel.activateWindow()
    panel.tiles[0].setFocus()
    qtbot.waitUntil(panel.tiles[0].hasFocus)
    for k in (1, 2):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is panel.tiles[k]


def test_hosted_by_the_main_window(make_window, workspace_file: Path):
    from qidesk.ui.panels.project_list import ProjectListPanel

    window = make_window(workspace_file, panel_classes=[ProjectListPanel, DashboardPanel])
    window.show()
    dashboard = next(p for p in window.panels if isinstance(p, DashboardPanel))
    assert window.tabs.indexOf(dashboard) >= 0
    assert dashboard.message.text() == NO_PROJECT
    project = window.context.projects.create(Project(title="Sepsis screening"))
    window.broadcast(project.changes)
    window.context.select_project(project.project.id)
    assert dashboard.message.text() == NO_MEASURES


# ------------------------------------------------------------------ fitting a ward PC's screen
@pytest.mark.parametrize(("width", "columns"), [(1000, 2), (620, 1), (1500, 3)])
def test_tiles_reflow_to_the_width_without_sideways_scrolling(
    panel: DashboardPanel, context, project, qtbot: QtBot, width: int, columns: int
):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    panel.resize(width, 700)
    qtbot.waitUntil(lambda: panel.grid.columns == columns)
    viewport = panel.tile_scroll.viewport()
    qtbot.waitUntil(lambda: panel.grid.width() <= viewport.width())
    assert not panel.tile_scroll.horizontalScrollBar().isVisible()
    for tile in panel.tiles:
        assert tile.geometry().right() <= panel.grid.width()
        # the icons' names are written whole: wrapped onto more lines, never cut with "…"
        for badge in (tile.variation, tile.assurance):
            if not badge.isHidden():
                assert badge.height() >= badge.heightForWidth(badge.width())
        assert tile.name.wordWrap()
        assert tile.name.width() >= tile.name.minimumSizeHint().width()


@pytest.mark.parametrize("width", [1000, 1500])
def test_summary_table_fits_its_width_and_keeps_the_icon_columns_whole(
    panel: DashboardPanel, context, project, qtbot: QtBot, width: int
):
    add_ae_measures(context, project.id)
    context.select_project(project.id)
    panel.resize(width, 700)
    table = panel.table
    header = table.horizontalHeader()
    qtbot.waitUntil(
        lambda: (
            sum(header.sectionSize(c) for c in range(panel.model.columnCount()))
            <= table.viewport().width()
        )
    )
    qtbot.waitUntil(lambda: not table.horizontalScrollBar().isVisible())
    for column in (1, 3, 4, 7):  # type, variation, assurance, points: never cut short
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), column
    # the measure's name keeps room to be recognised
    assert header.sectionSize(0) >= min(190, table.sizeHintForColumn(0))
    # a column cut short says what it is and what it holds in its tooltips
    model = panel.model
    assert model.headerData(6, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "Reason"
    assert model.data(model.index(0, 6), Qt.ItemDataRole.ToolTipRole) == model.data(
        model.index(0, 6)
    )
    assert table.textElideMode() == Qt.TextElideMode.ElideRight and not table.wordWrap()
