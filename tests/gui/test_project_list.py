"""The project list: its Qt model, finding projects, and create/archive/delete through undo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes, Entity
from qidesk.core.errors import NotFoundError
from qidesk.core.portfolio import ProjectFilter, ProjectRow, SortKey, filter_and_sort
from qidesk.core.project import (
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    TeamMember,
    TeamRole,
    WorkType,
)
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.models.project_list_model import (
    PROJECT_ID_ROLE,
    Column,
    ProjectListModel,
    ProjectListProxy,
)
from qidesk.ui.panels import project_list
from qidesk.ui.panels.charter_new_project import NewProjectDialog
from qidesk.ui.panels.project_list import EMPTY_TEXT, ProjectListPanel

TODAY = date(2025, 6, 30)


# -- fixtures -------------------------------------------------------------------------------------


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@pytest.fixture
def context(make_context: MakeContext) -> WorkspaceContext:
    return make_context("tester", guarded=False)


def add(ctx: WorkspaceContext, project: Project) -> Project:
    result = ctx.projects.create(project)
    ctx.broadcast(result.changes)
    return result.project


@pytest.fixture
def panel(qtbot: QtBot, context: WorkspaceContext) -> ProjectListPanel:
    widget = ProjectListPanel(context)
    context.panels.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(700, 500)
    return widget


@pytest.fixture
def three(context: WorkspaceContext, panel: ProjectListPanel) -> list[Project]:
    return [
        add(
            context,
            Project(
                title="Reducing falls on Ward 7B",
                work_type=WorkType.STRATEGIC,
                division="Medicine",
                ward="Ward 7B",
                status=Status.ACTIVE,
                phase=JourneyPhase.TESTING,
                score=ProgressScore(2.5),
                team=(TeamMember("Priya Shah", TeamRole.LEAD),),
            ),
        ),
        add(
            context,
            Project(
                title="Sepsis screening in ED",
                work_type=WorkType.SERVICE_LED,
                division="Urgent care",
                status=Status.PROPOSED,
                phase=JourneyPhase.SCOPING,
            ),
        ),
        add(
            context,
            Project(
                title="Discharge before noon",
                work_type=WorkType.SERVICE_LED,
                division="Medicine",
                status=Status.ACTIVE,
                phase=JourneyPhase.IMPLEMENTATION,
                score=ProgressScore(3.5),
            ),
        ),
    ]


def show_active(qtbot: QtBot, widget: QWidget) -> None:
    """Show ``widget`` as the active window (shortcuts only reach the active window)."""
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def shown_titles(panel: ProjectListPanel) -> list[str]:
    return [panel.proxy.index(r, Column.TITLE).data() for r in range(panel.proxy.rowCount())]


def row(title: str, last_changed: str, **fields: object) -> ProjectRow:
    return ProjectRow(Project(title=title, **fields), last_changed)  # type: ignore[arg-type]


def sample_rows() -> list[ProjectRow]:
    return [
        row(
            "Falls",
            "2025-06-01T09:00:00Z",
            division="Medicine",
            status=Status.ACTIVE,
            score=ProgressScore(2.0),
        ),
        row("Sepsis", "2025-06-29T09:00:00Z", division="Urgent care", work_type=WorkType.STRATEGIC),
        row(
            "Pressure ulcers",
            "2025-01-15T09:00:00Z",
            division="Surgery",
            archived=True,
            phase=JourneyPhase.SPREAD,
            score=ProgressScore(4.5),
        ),
        row(
            "Discharge",
            "2025-05-30T09:00:00Z",
            division="Medicine",
            phase=JourneyPhase.TESTING,
            score=ProgressScore(3.0),
        ),
        row("Medicines reconciliation", "2025-06-30T01:00:00Z", status=Status.ON_HOLD),
    ]


# -- the model ------------------------------------------------------------------------------------


def test_model_passes_qtmodeltester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ProjectListModel(today=TODAY)
    model.set_rows(sample_rows())
    qtmodeltester.check(model)
    proxy = ProjectListProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.DAYS, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_model_shows_each_column() -> None:
    model = ProjectListModel(today=TODAY)
    model.set_rows(sample_rows()[:1])
    texts = [model.index(0, c).data() for c in Column]
    assert texts == [
        "Falls",
        "Service-led project",
        "Active",
        "Scoping / innovation",
        "Medicine",
        "2.0",
        "29",
        "Stale: no date set",  # the score has no date
    ]
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Title",
        "Work type",
        "Status",
        "Phase",
        "Division",
        "Score",
        "Days since update",
        "Score check",
    ]
    assert model.index(0, Column.SCORE).data(Qt.ItemDataRole.ToolTipRole) == (
        "IHI progress score 2.0: Activity, but no changes"
    )
    assert model.index(0, 0).data(PROJECT_ID_ROLE) == model.row_at(0).project.id


def test_model_follows_changed_rows(qtbot: QtBot) -> None:
    model = ProjectListModel(today=TODAY)
    rows = sample_rows()
    model.set_rows(rows[:3])
    assert model.rowCount() == 3

    with qtbot.waitSignal(model.rowsInserted), qtbot.assertNotEmitted(model.modelReset):
        model.set_rows(rows)
    assert [model.index(r, 0).data() for r in range(5)][-2:] == [
        "Discharge",
        "Medicines reconciliation",
    ]

    renamed = ProjectRow(rows[1].project.with_changes(title="Sepsis six"), rows[1].last_changed)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_rows([rows[0], renamed, *rows[2:]])
    assert changed.args[0].row() == 1
    assert model.index(1, 0).data() == "Sepsis six"

    with qtbot.waitSignal(model.rowsRemoved):
        model.set_rows([rows[0], rows[3]])
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Falls", "Discharge"]
    model.set_rows([])
    assert model.rowCount() == 0


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", list(Column))
def test_proxy_sorts_like_the_portfolio_rules(column: Column, descending: bool) -> None:
    model = ProjectListModel(today=TODAY)
    rows = sample_rows()
    model.set_rows(rows)
    proxy = ProjectListProxy()
    proxy.setSourceModel(model)
    proxy.set_project_filter(ProjectFilter(show_archived=True))
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    proxy.sort(column, order)
    got = [proxy.index(r, column).data() for r in range(proxy.rowCount())]
    expected_rows = filter_and_sort(
        rows, ProjectFilter(show_archived=True), column.sort_key, descending, TODAY
    )
    expected = [model.index(model.row_of(r.project.id), column).data() for r in expected_rows]
    assert got == expected


@pytest.mark.parametrize(
    "flt",
    [
        ProjectFilter(),
        ProjectFilter(show_archived=True),
        ProjectFilter(text="medic"),
        ProjectFilter(division="Medicine"),
        ProjectFilter(status=Status.ACTIVE),
        ProjectFilter(work_type=WorkType.STRATEGIC),
        ProjectFilter(phase=JourneyPhase.SPREAD, show_archived=True),
        ProjectFilter(stale_days=30),
    ],
)
def test_proxy_filters_with_the_portfolio_filter(flt: ProjectFilter) -> None:
    model = ProjectListModel(today=TODAY)
    rows = sample_rows()
    model.set_rows(rows)
    proxy = ProjectListProxy()
    proxy.setSourceModel(model)
    proxy.set_project_filter(flt)
    proxy.sort(Column.TITLE)
    got = [proxy.index(r, 0).data(PROJECT_ID_ROLE) for r in range(proxy.rowCount())]
    assert got == [r.project.id for r in filter_and_sort(rows, flt, SortKey.TITLE, today=TODAY)]


def test_days_since_update_sorts_stalest_first() -> None:
    model = ProjectListModel(today=TODAY)
    model.set_rows(sample_rows())
    proxy = ProjectListProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.DAYS, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, Column.DAYS).data() for r in range(proxy.rowCount())] == [
        "31",
        "29",
        "1",
        "0",
    ]


# -- the panel ------------------------------------------------------------------------------------


def test_empty_workspace_says_how_to_create(panel: ProjectListPanel) -> None:
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.text() == EMPTY_TEXT
    assert "Ctrl+N" in EMPTY_TEXT
    assert panel.new_action.shortcut().toString() == "Ctrl+N"
    assert not panel.delete_action.isEnabled()


def test_new_project_dialog_by_keyboard(qtbot: QtBot) -> None:
    dialog = NewProjectDialog(["Medicine", "Surgery"])
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()
    QTest.keyClicks(dialog.title, "Falls on Ward 7B")
    assert ok.isEnabled()
    QTest.keyClick(dialog.title, Qt.Key.Key_Tab)
    QTest.keyClick(dialog.work_type, Qt.Key.Key_Up)  # Service-led -> Strategic
    with qtbot.waitSignal(dialog.accepted):
        QTest.keyClick(dialog.work_type, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    project = dialog.project()
    assert (project.title, project.work_type) == ("Falls on Ward 7B", WorkType.STRATEGIC)


def test_create_project_by_keyboard(
    qtbot: QtBot,
    panel: ProjectListPanel,
    context: WorkspaceContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def type_into_dialog(parent: QWidget, divisions: list[str], **_: object) -> Project | None:
        dialog = NewProjectDialog(divisions, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        QTest.keyClicks(dialog.title, "Reducing falls with harm")
        QTest.keyClick(dialog.title, Qt.Key.Key_Return)
        return dialog.project() if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(project_list, "ask_new_project", type_into_dialog)
    show_active(qtbot, panel)
    panel.table.setFocus()
    QTest.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)

    assert [r.project.title for r in context.projects.rows()] == ["Reducing falls with harm"]
    created = context.projects.rows()[0].project
    assert context.current_project_id == created.id
    assert panel.selected_project() == created
    assert panel.stack.currentWidget() is panel.table
    assert context.undo_stack.count() == 1

    context.undo_stack.undo()
    assert panel.model.rowCount() == 0
    assert panel.empty.isVisibleTo(panel)
    context.undo_stack.redo()
    assert shown_titles(panel) == ["Reducing falls with harm"]


def test_cancelled_new_project_creates_nothing(
    panel: ProjectListPanel, context: WorkspaceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_list, "ask_new_project", lambda *_, **__: None)
    panel.new_action.trigger()
    assert context.projects.rows() == []
    assert context.undo_stack.count() == 0


def test_selecting_rows_by_keyboard_selects_the_project(
    qtbot: QtBot, panel: ProjectListPanel, context: WorkspaceContext, three: list[Project]
) -> None:
    assert shown_titles(panel) == [
        "Discharge before noon",
        "Reducing falls on Ward 7B",
        "Sepsis screening in ED",
    ]
    show_active(qtbot, panel)
    panel.table.setFocus()  # the first row becomes current (not yet selected)
    QTest.keyClick(panel.table, Qt.Key.Key_Down)
    assert context.current_project_id == three[0].id
    QTest.keyClick(panel.table, Qt.Key.Key_Down)
    assert context.current_project_id == three[1].id
    QTest.keyClick(panel.table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert context.current_project_id == three[2].id
    QTest.keyClick(panel.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert context.current_project_id == three[1].id

    context.select_project(three[0].id)  # chosen elsewhere: the list follows
    assert panel.selected_project() == three[0]


def test_delete_asks_naming_the_project_and_undoes(
    qtbot: QtBot,
    panel: ProjectListPanel,
    context: WorkspaceContext,
    three: list[Project],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    answer = [False]

    def confirm(_parent: QWidget, project: Project) -> bool:
        asked.append(project.title)
        return answer[0]

    monkeypatch.setattr(project_list, "confirm_delete", confirm)
    falls = three[0]
    context.select_project(falls.id)
    show_active(qtbot, panel)
    panel.table.setFocus()

    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert asked == ["Reducing falls on Ward 7B"]
    assert len(context.projects.rows()) == 3  # "Cancel" deletes nothing

    answer[0] = True
    QTest.keyClick(panel.table, Qt.Key.Key_Delete)
    assert len(asked) == 2
    with pytest.raises(NotFoundError):
        context.projects.get(falls.id)
    assert "Reducing falls on Ward 7B" not in shown_titles(panel)
    assert context.current_project_id == three[1].id  # the next row is selected
    assert context.undo_stack.undoText() == "Delete project “Reducing falls on Ward 7B”"

    context.undo_stack.undo()
    assert context.projects.get(falls.id).title == falls.title
    assert "Reducing falls on Ward 7B" in shown_titles(panel)
    context.undo_stack.redo()
    assert "Reducing falls on Ward 7B" not in shown_titles(panel)


def test_archive_hides_unless_show_archived(
    panel: ProjectListPanel, context: WorkspaceContext, three: list[Project]
) -> None:
    sepsis = three[1]
    context.select_project(sepsis.id)
    assert panel.archive_action.text() == "&Archive project"
    panel.archive_action.trigger()
    assert context.projects.get(sepsis.id).archived
    assert "Sepsis screening in ED" not in shown_titles(panel)
    assert panel.count.text() == "2 of 3 projects shown (1 archived hidden)"

    panel.show_archived.setChecked(True)
    assert "Sepsis screening in ED (archived)" in shown_titles(panel)
    panel.select(sepsis.id)
    assert panel.archive_action.text() == "Un&archive project"

    context.undo_stack.undo()
    assert not context.projects.get(sepsis.id).archived
    panel.show_archived.setChecked(False)
    assert "Sepsis screening in ED" in shown_titles(panel)
    context.undo_stack.redo()
    assert "Sepsis screening in ED" not in shown_titles(panel)


def test_search_and_filters(panel: ProjectListPanel, three: list[Project], qtbot: QtBot) -> None:
    QTest.keyClicks(panel.search, "ward 7b")
    assert shown_titles(panel) == ["Reducing falls on Ward 7B"]
    panel.search.clear()
    QTest.keyClicks(panel.search, "priya")  # team member names are searched too
    assert shown_titles(panel) == ["Reducing falls on Ward 7B"]
    panel.search.clear()

    divisions = [panel.division.itemText(i) for i in range(panel.division.count())]
    assert divisions == ["Any division", "Medicine", "Urgent care"]
    panel.division.setCurrentIndex(panel.division.findData("Medicine"))
    assert shown_titles(panel) == ["Discharge before noon", "Reducing falls on Ward 7B"]
    panel.status.setCurrentIndex(panel.status.findData(Status.ACTIVE))
    panel.phase.setCurrentIndex(panel.phase.findData(JourneyPhase.TESTING))
    assert shown_titles(panel) == ["Reducing falls on Ward 7B"]
    panel.work_type.setCurrentIndex(panel.work_type.findData(WorkType.SERVICE_LED))
    assert shown_titles(panel) == []
    assert panel.stack.currentWidget() is panel.empty
    assert panel.empty.text() == "No projects match the search and filters."
    assert panel.count.text() == "0 of 3 projects shown"

    panel.clear_button.click()
    assert len(shown_titles(panel)) == 3


def test_sorting_by_column(panel: ProjectListPanel, three: list[Project]) -> None:
    panel.table.sortByColumn(Column.SCORE, Qt.SortOrder.DescendingOrder)
    assert shown_titles(panel) == [
        "Discharge before noon",
        "Reducing falls on Ward 7B",
        "Sepsis screening in ED",
    ]
    panel.table.sortByColumn(Column.PHASE, Qt.SortOrder.AscendingOrder)
    assert shown_titles(panel)[0] == "Sepsis screening in ED"  # scoping comes first
    panel.table.sortByColumn(Column.DAYS, Qt.SortOrder.AscendingOrder)
    assert sorted(shown_titles(panel)) == sorted(p.title for p in three)


def test_division_filter_follows_the_data(
    panel: ProjectListPanel, context: WorkspaceContext, three: list[Project]
) -> None:
    panel.division.setCurrentIndex(panel.division.findData("Urgent care"))
    add(context, Project(title="Theatre start times", division="Surgery"))
    texts = [panel.division.itemText(i) for i in range(panel.division.count())]
    assert texts == ["Any division", "Medicine", "Surgery", "Urgent care"]
    assert panel.division.currentData() == "Urgent care"  # the choice survives a refresh
    assert shown_titles(panel) == ["Sepsis screening in ED"]


def test_duplicate_copies_the_charter(
    panel: ProjectListPanel, context: WorkspaceContext, three: list[Project]
) -> None:
    context.select_project(three[0].id)
    panel.duplicate_action.trigger()
    copy = context.projects.get(context.current_project_id or "")
    assert copy.title == "Copy of Reducing falls on Ward 7B"
    assert copy.id != three[0].id
    assert [m.name for m in copy.team] == ["Priya Shah"]
    assert copy.team[0].id != three[0].team[0].id
    assert copy.score == three[0].score
    context.undo_stack.undo()
    assert len(context.projects.rows()) == 3


def test_refreshes_only_when_projects_or_team_change(
    panel: ProjectListPanel, context: WorkspaceContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = context.projects.rows

    def spy() -> list[ProjectRow]:
        calls.append(1)
        return real()

    monkeypatch.setattr(context.projects, "rows", spy)
    panel.apply_changes(Changes.of(updated={Entity.MEASURE: ["m1"]}))
    panel.apply_changes(Changes.of(created={Entity.PDSA: ["p1"]}))
    assert calls == []
    panel.apply_changes(Changes.of(updated={Entity.TEAM_MEMBER: ["t1"]}))
    panel.apply_changes(Changes.of(updated={Entity.PROJECT: ["x"]}))
    panel.apply_changes(Changes.of(workspace_replaced=True))
    assert len(calls) == 3


def test_every_control_and_action_has_an_accessible_name(
    qtbot: QtBot, panel: ProjectListPanel, three: list[Project]
) -> None:
    show_active(qtbot, panel)
    unnamed = [
        type(w).__name__
        for w in panel.findChildren(QWidget)
        if w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.isVisible()
        and not w.accessibleName()
        and not (w.parent() and type(w.parent()).__name__ == "QComboBox")
    ]
    assert unnamed == []
    for action in panel.menu_actions():
        assert action.text()
        assert action.toolTip()
    assert panel.delete_action.shortcut().toString() == "Del"
    assert panel.delete_action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut


def test_tab_leaves_the_table(qtbot: QtBot, panel: ProjectListPanel, three: list[Project]) -> None:
    show_active(qtbot, panel)
    panel.table.setFocus()
    assert not panel.table.tabKeyNavigation()
    QTest.keyClick(panel.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not panel.table


def test_the_real_delete_dialog_names_the_project_and_defaults_to_cancel(
    qtbot: QtBot, panel: ProjectListPanel
) -> None:
    seen: list[str] = []

    def press_enter() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.extend([box.text(), box.informativeText(), box.defaultButton().text()])
        box.defaultButton().click()

    project = Project(title="Falls on 7B", team=(TeamMember("Priya Shah"),))
    QTimer.singleShot(0, press_enter)
    assert project_list.confirm_delete(panel, project) is False
    assert seen[0] == "Delete the project “Falls on 7B”?"
    assert "team of 1" in seen[1]
    assert "Undo (Ctrl+Z)" in seen[1]
    assert seen[2] == "Cancel"


def test_read_only_workspace_offers_no_edits(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "ro.qidesk"
    service = WorkspaceService.create(path, user="tester")
    ProjectService(service.workspace).create(Project(title="Falls"))
    service.close()
    service = WorkspaceService.open(path, user="tester", read_only=True)
    try:
        ctx = WorkspaceContext(
            workspace=service,
            projects=ProjectService(service.workspace),
            settings=Settings(tmp_path / "settings.json"),
            undo_stack=QUndoStack(),
            broadcast=lambda _changes: None,
        )
        panel = ProjectListPanel(ctx)
        qtbot.addWidget(panel)
        panel.select(ctx.projects.rows()[0].project.id)
        assert shown_titles(panel) == ["Falls"]
        assert not panel.new_action.isEnabled()
        assert not panel.delete_action.isEnabled()
        assert not panel.archive_action.isEnabled()
    finally:
        service.close()


# -- a narrow dock on a 1366-px ward PC --------------------------------------------------------


def _inside(child: QWidget, root: QWidget) -> bool:
    rect = child.rect().translated(child.mapTo(root, child.rect().topLeft()))
    return root.rect().contains(rect)


def test_the_panel_shrinks_to_a_narrow_dock_without_clipping(
    qtbot: QtBot, panel: ProjectListPanel, three: list[Project]
) -> None:
    assert panel.minimumSizeHint().width() <= 340
    panel.resize(340, 600)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.filters.columns == 1)  # the filters stack
    qtbot.wait(20)  # the re-arranged layout is applied on the next turn of the event loop
    for widget in (
        panel.search,
        panel.work_type,
        panel.status,
        panel.phase,
        panel.division,
        panel.show_archived,
        panel.clear_button,
    ):
        assert _inside(widget, panel), widget.accessibleName()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.accessibleName()
    # every toolbar button is on show (none hidden behind the toolbar's » menu), in short words
    for action in panel.menu_actions()[:4]:
        button = panel.toolbar.widgetForAction(action)
        assert button.isVisible() and _inside(button, panel), action.text()
        assert button.text() in ("New…", "Duplicate", "Archive", "Delete…")
        assert button.accessibleName().startswith(button.text().rstrip("…"))
    assert panel.new_action.text() == "&New project…"  # the menu keeps the full words
    # the title column leaves the next column whole; long titles end in "…"
    header = panel.table.horizontalHeader()
    right = header.sectionSize(Column.TITLE) + header.sectionSize(Column.WORK_TYPE)
    assert right <= panel.table.viewport().width()
    assert panel.table.textElideMode() == Qt.TextElideMode.ElideRight
    # the combos say in full what they show, even when they are too narrow to
    panel.work_type.setCurrentIndex(1)
    assert panel.work_type.toolTip() == panel.work_type.currentText()


def test_a_wide_dock_puts_the_filters_side_by_side(
    qtbot: QtBot, panel: ProjectListPanel, three: list[Project]
) -> None:
    panel.resize(720, 600)
    panel.show()
    qtbot.waitExposed(panel)
    qtbot.waitUntil(lambda: panel.filters.columns == 2)
    assert panel.work_type.y() == panel.status.y()
    button = panel.toolbar.widgetForAction(panel.new_action)
    assert button.text() == "New project…"
    panel.resize(340, 600)
    qtbot.waitUntil(lambda: panel.filters.columns == 1)
    assert panel.status.y() > panel.work_type.y()
    assert button.text() == "New…"


def test_first_run_gives_the_project_dock_a_quarter_of_a_ward_pc(
    qtbot: QtBot, make_window, workspace_file: Path
) -> None:
    window = make_window(workspace_file)  # every default panel: the widest tabs count too
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    dock = next(iter(window._docks.values()))
    qtbot.waitUntil(lambda: dock.width() <= 360)
    assert dock.width() >= 330
    assert window.width() == 1366  # no tab forces the window wider than the screen
    assert window.tabs.width() >= 1366 - 360 - 20  # the measures grid and chart get the room


# -- score check ----------------------------------------------------------------------------------


def score_check(panel: ProjectListPanel, title: str) -> tuple[str, str]:
    row = shown_titles(panel).index(title)
    index = panel.proxy.index(row, Column.SCORE_CHECK)
    return index.data(), index.data(Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def scored(context: WorkspaceContext, panel: ProjectListPanel) -> list[Project]:
    from datetime import timedelta

    today = date.today()

    def lead() -> tuple[TeamMember, ...]:
        return (TeamMember("Priya Shah", TeamRole.LEAD),)

    return [
        add(
            context,
            Project(
                title="Old score",
                score=ProgressScore(0.5, set_on=today - timedelta(days=140)),
                team=lead(),
            ),
        ),
        add(  # like the demo: the team scored high, the evidence in qidesk is thin
            context,
            Project(title="Optimistic team", score=ProgressScore(3.5, set_on=today), team=lead()),
        ),
    ]


def test_a_stale_score_shows_without_comparing(
    panel: ProjectListPanel, scored: list[Project]
) -> None:
    text, tip = score_check(panel, "Old score")
    assert text == "Stale: set 140 days ago"
    assert "140 days ago" in tip
    text, tip = score_check(panel, "Optimistic team")
    assert text == ""
    assert "Compare scores with the evidence" in tip


def test_comparing_shows_where_the_evidence_disagrees(
    context: WorkspaceContext, panel: ProjectListPanel, scored: list[Project]
) -> None:
    action = panel.compare_action
    assert action in panel.menu_actions()
    assert "&" in action.text()  # reachable from the Projects menu by keyboard
    assert panel.toolbar.widgetForAction(action) is not None
    action.trigger()
    text, tip = score_check(panel, "Optimistic team")
    assert text.startswith("Evidence suggests ")
    assert float(text.removeprefix("Evidence suggests ")) < 3.5
    assert "higher than the evidence" in tip
    assert "because the project is registered in qidesk" in tip
    assert score_check(panel, "Old score")[0] == "Stale: set 140 days ago"  # 0.5 agrees
    assert "differ from the evidence" in panel.count.text()
    # kept until a change touches the project
    other = scored[0]
    context.broadcast(Changes.of(updated={Entity.PROJECT: [other.id]}))
    assert score_check(panel, "Optimistic team")[0].startswith("Evidence suggests")
    optimistic = scored[1]
    context.broadcast(Changes.of(updated={Entity.PROJECT: [optimistic.id]}))
    assert score_check(panel, "Optimistic team")[0] == ""


def test_only_scores_to_review(
    panel: ProjectListPanel, scored: list[Project], three: list[Project]
) -> None:
    panel.scores_to_review.setChecked(True)
    # undated scores count as stale; "Sepsis" has no score
    assert shown_titles(panel) == [
        "Discharge before noon",
        "Old score",
        "Reducing falls on Ward 7B",
    ]
    panel.compare_action.trigger()  # only the projects shown are compared
    assert "Optimistic team" not in shown_titles(panel)
    panel.scores_to_review.setChecked(False)
    panel.compare_action.trigger()
    panel.scores_to_review.setChecked(True)
    assert "Optimistic team" in shown_titles(panel)
    panel.clear_filters()
    assert not panel.scores_to_review.isChecked()
    assert len(shown_titles(panel)) == 5
