"""The driver diagram panel: built by keyboard alone, undone, redone, exported and checked."""

from __future__ import annotations

import shutil
import subprocess
from collections import deque
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyle, QWidget
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes, Entity
from qidesk.core.diagram_layout import Direction, neighbour
from qidesk.core.drivers import IdeaStatus, NodeKind, Strength, aim_node_id
from qidesk.core.project import Project
from qidesk.services.diagram import Branch
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.diagram.items import SMALL_TEXT_PX
from qidesk.ui.diagram.outline import DETAILS_FROM_WIDTH, NODE_ID_ROLE, DriverOutlineModel
from qidesk.ui.diagram.view import FIT_MAX_ZOOM, READABLE_TEXT_PX, READABLE_ZOOM
from qidesk.ui.panels.diagram import DiagramPanel

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

K = NodeKind
NO = Qt.KeyboardModifier.NoModifier

AIM = "a culture of continuous improvement across the organisation"
P1 = "Build QI capacity and capability through education and training"
P2 = "Engage staff and patients so that everyone knows about QI and feels able to join in"
P3 = "Develop a cohort of QI champions"
P4 = "Support teams to deliver projects co-designed with patients and the public"

#: primary -> [(secondary, [change ideas])]
PLAN: dict[str, list[tuple[str, list[str]]]] = {
    P1: [
        (
            "Offer QI training at every level, from bronze to expert",
            [
                "Bronze QI e-learning in every staff induction",
                "Silver QI course each quarter, built around a live project",
            ],
        ),
        ("Give teams protected time and coaching", ["A QI coach for every new project"]),
    ],
    P2: [
        (
            "Share improvement stories widely",
            [
                "Monthly QI showcase open to staff and patients",
                "QI stories in the staff newsletter",
            ],
        ),
        ("Make it easy to start or join a project", ["One-page project idea form on the intranet"]),
    ],
    P3: [
        (
            "Recruit and train QI champions in every division",
            ["Monthly champions' network meeting"],
        ),
    ],
    P4: [
        (
            "Involve patient partners from the start",
            ["A patient partner on every project team", "Co-design workshop at project scoping"],
        ),
    ],
}
#: extra many-to-many links made in link mode: (parent secondary, change idea)
EXTRA_LINK = ("Recruit and train QI champions in every division", PLAN[P1][0][1][1])
WEAK_IDEA = "QI stories in the staff newsletter"


def _cut(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def expected_outline() -> str:
    lines = [f"Aim: Improve {AIM}."]
    for primary, secondaries in PLAN.items():
        lines.append(f"    Primary driver: {primary}")
        for secondary, ideas in secondaries:
            lines.append(f"        Secondary driver: {secondary}")
            if secondary == EXTRA_LINK[0]:  # children are listed in creation order
                lines.append(
                    f"            Change idea (idea): {EXTRA_LINK[1]} "
                    f"(also under “{_cut(PLAN[P1][0][0])}”)"
                )
            for idea in ideas:
                weak = " [weak link]" if idea == WEAK_IDEA else ""
                also = ""
                if idea == EXTRA_LINK[1]:
                    also = f" (also under “{_cut(EXTRA_LINK[0])}”)"
                lines.append(f"            Change idea (idea): {idea}{weak}{also}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- fixtures


MakeContext = Callable[..., WorkspaceContext]  # tests/gui/conftest.py


@pytest.fixture
def context(make_context: MakeContext) -> WorkspaceContext:
    return make_context("Sam Coach", no_failures=True)


@pytest.fixture
def project(context: WorkspaceContext) -> Project:
    return context.projects.create(Project(title="QI programme")).project


@pytest.fixture
def panel(qtbot: QtBot, context: WorkspaceContext, project: Project) -> DiagramPanel:
    widget = DiagramPanel(context)
    context.broadcast.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    context.select_project(project.id)
    widget.view.setFocus()
    return widget


class Keys:
    """Drives the canvas with the keyboard only."""

    def __init__(self, panel: DiagramPanel) -> None:
        self.panel = panel
        self.view = panel.view

    def press(self, key: Qt.Key, mods: Qt.KeyboardModifier = NO, times: int = 1) -> None:
        for _ in range(times):
            QTest.keyClick(self.view, key, mods)

    def type(self, text: str) -> None:
        QTest.keyClicks(self.view, text)

    def id_of(self, text: str) -> str:
        diagram = self.panel.editor.diagram
        return next(n.id for n in diagram.nodes if n.text == text)

    def go_to(self, target: str) -> None:
        """Press arrow keys along the shortest path of moves to the box ``target`` (an id)."""
        scene = self.panel.scene
        start = self.view.current
        assert start is not None
        paths: dict[str, list[Direction]] = {start: []}
        queue = deque([start])
        while queue:
            here = queue.popleft()
            if here == target:
                break
            for direction in Direction:
                there = neighbour(scene.diagram, scene.layout, here, direction)
                if there is not None and there not in paths:
                    paths[there] = [*paths[here], direction]
                    queue.append(there)
        keys = {
            Direction.UP: Qt.Key.Key_Up,
            Direction.DOWN: Qt.Key.Key_Down,
            Direction.LEFT: Qt.Key.Key_Left,
            Direction.RIGHT: Qt.Key.Key_Right,
        }
        for direction in paths[target]:
            self.press(keys[direction])
        assert self.view.current == target

    def link_mode_to(self, target: str) -> None:
        """In link mode, press Right/Up/Down until the target box is outlined, then Enter."""
        scene = self.panel.scene
        source = self.view.link_source
        assert source is not None
        self.press(Qt.Key.Key_Right)
        order = list(scene.layout.column_order[scene.diagram.node(target).kind])
        here = self.view.link_target
        assert here is not None
        steps = order.index(target) - order.index(here)
        self.press(Qt.Key.Key_Down if steps > 0 else Qt.Key.Key_Up, times=abs(steps))
        assert self.view.link_target == target
        self.press(Qt.Key.Key_Return)


def build_by_keyboard(panel: DiagramPanel) -> None:
    keys = Keys(panel)
    keys.press(Qt.Key.Key_F2)  # the aim box is current when a diagram opens
    keys.type(AIM)
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_Tab)
    for i, primary in enumerate(PLAN):
        if i:
            keys.press(Qt.Key.Key_Return)  # a sibling of the previous primary
        keys.type(primary)
        keys.press(Qt.Key.Key_Return)
    for primary, secondaries in PLAN.items():
        keys.go_to(keys.id_of(primary))
        for j, (secondary, ideas) in enumerate(secondaries):
            if j:
                keys.go_to(keys.id_of(secondaries[j - 1][0]))
                keys.press(Qt.Key.Key_Return)
            else:
                keys.press(Qt.Key.Key_Tab)
            keys.type(secondary)
            keys.press(Qt.Key.Key_Tab)  # saves the secondary and opens its first change idea
            for k, idea in enumerate(ideas):
                if k:
                    keys.press(Qt.Key.Key_Return)
                keys.type(idea)
                keys.press(Qt.Key.Key_Return)
    # a change idea that serves two secondary drivers (many-to-many)
    keys.go_to(keys.id_of(EXTRA_LINK[0]))
    keys.press(Qt.Key.Key_L)
    keys.link_mode_to(keys.id_of(EXTRA_LINK[1]))
    # a weak link, drawn dashed
    keys.go_to(keys.id_of(WEAK_IDEA))
    keys.press(Qt.Key.Key_S)


# ---------------------------------------------------------------------- the acceptance test


def test_build_the_qi_programme_by_keyboard_undo_redo_and_export(
    panel: DiagramPanel, context: WorkspaceContext, project: Project, tmp_path: Path
) -> None:
    build_by_keyboard(panel)
    service = panel.service
    built = service.outline(project.id)
    assert built == expected_outline()
    diagram = service.diagram(project.id)
    counts = {kind: len(diagram.of_kind(kind)) for kind in K}
    assert counts == {K.AIM: 1, K.PRIMARY: 4, K.SECONDARY: 6, K.TERTIARY: 0, K.CHANGE_IDEA: 9}
    assert context.projects.get(project.id).aim.what == AIM
    weak = [lk for lk in diagram.links if lk.strength is Strength.WEAK]
    assert [diagram.node(lk.to_id).text for lk in weak] == [WEAK_IDEA]
    # the canvas and the outline show the same model
    assert set(panel.scene.nodes) == {n.id for n in diagram.nodes}
    assert len(panel.scene.links) == len(diagram.links) == 20
    assert len(panel.outline_model.indexes_of(keys_id(panel, EXTRA_LINK[1]))) == 2

    steps = context.undo_stack.count()
    assert steps == 1 + 4 + 6 + 9 + 1 + 1  # aim, boxes, the extra link, the strength
    while context.undo_stack.canUndo():
        context.undo_stack.undo()
    emptied = service.diagram(project.id)
    assert [n.kind for n in emptied.nodes] == [K.AIM]
    assert context.projects.get(project.id).aim.what == ""
    assert list(panel.scene.nodes) == [aim_node_id(project.id)]
    assert panel.outline_model.rowCount() == 1

    while context.undo_stack.canRedo():
        context.undo_stack.redo()
    assert service.outline(project.id) == built
    assert {n.id for n in service.diagram(project.id).nodes} == {n.id for n in diagram.nodes}

    pdf = panel.export_to("a4", tmp_path / "qi-programme.pdf")
    assert pdf.stat().st_size > 5_000
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        flat = " ".join(text.split())
        assert f"Improve {AIM}." in flat
        for primary, secondaries in PLAN.items():
            assert primary in flat
            for secondary, ideas in secondaries:
                assert secondary in flat
                for idea in ideas:
                    assert idea in flat
        assert "Driver diagram: QI programme" in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False)
    if info.returncode == 0:
        assert "landscape" in info.stdout or "842 x 595" in info.stdout


def keys_id(panel: DiagramPanel, text: str) -> str:
    return Keys(panel).id_of(text)


# ---------------------------------------------------------------------- refusals by keyboard


def test_keyboard_refusals_show_a_message_and_change_nothing(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    keys = Keys(panel)
    keys.press(Qt.Key.Key_Return)  # a sibling of the aim
    assert "exactly one aim" in panel.message.text()
    keys.press(Qt.Key.Key_Delete)
    assert "aim cannot be deleted" in panel.message.text()
    keys.press(Qt.Key.Key_Tab)
    keys.type("   ")
    keys.press(Qt.Key.Key_Return)
    assert panel.message.text() == "A box needs some text."
    assert panel.scene.editor is not None  # still editing
    keys.press(Qt.Key.Key_Escape)
    assert panel.scene.editor is None
    assert context.undo_stack.count() == 0
    panel.service.add_branches(
        project.id, [Branch("P", (Branch("S", (Branch("C"),)),)), Branch("Q")]
    )
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    keys.go_to(keys.id_of("C"))
    keys.press(Qt.Key.Key_Tab)
    assert "end of a branch" in panel.message.text()
    keys.press(Qt.Key.Key_L)  # link the change idea to the aim: refused by the level rules
    keys.press(Qt.Key.Key_Left, times=3)
    assert panel.view.link_target == aim_node_id(project.id)
    keys.press(Qt.Key.Key_Return)
    assert "can only go under" in panel.message.text()
    keys.go_to(keys.id_of("Q"))
    keys.press(Qt.Key.Key_L)
    keys.press(Qt.Key.Key_Up)
    keys.press(Qt.Key.Key_Return)  # two primaries
    assert "not under a primary driver" in panel.message.text()
    keys.go_to(keys.id_of("S"))
    keys.press(Qt.Key.Key_L)
    keys.press(Qt.Key.Key_Left)
    keys.press(Qt.Key.Key_Return)  # unlinking its only parent
    assert "hang under nothing" in panel.message.text()
    assert context.undo_stack.count() == 0


# ---------------------------------------------------------------------- editing details


def test_text_edits_of_one_box_merge_into_one_undo_step(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    keys = Keys(panel)
    panel.service.add_branches(project.id, [Branch("Driver")])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    keys.go_to(keys.id_of("Driver"))
    keys.press(Qt.Key.Key_F2)
    keys.type("First")
    keys.press(Qt.Key.Key_Return)
    keys.press(Qt.Key.Key_F2)
    keys.type("Second")
    keys.press(Qt.Key.Key_Return)
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert [n.text for n in panel.editor.diagram.of_kind(K.PRIMARY)] == ["Driver"]


def test_typing_on_a_box_starts_editing(panel: DiagramPanel, project: Project) -> None:
    keys = Keys(panel)
    panel.service.add_branches(project.id, [Branch("Old")])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    keys.go_to(keys.id_of("Old"))
    keys.type("New text")
    keys.press(Qt.Key.Key_Return)
    assert [n.text for n in panel.editor.diagram.of_kind(K.PRIMARY)] == ["New text"]


def test_delete_a_driver_and_undo_restores_its_branch(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    keys = Keys(panel)
    panel.service.add_branches(project.id, [Branch("P", (Branch("S", (Branch("C"),)),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    keys.go_to(keys.id_of("P"))
    keys.press(Qt.Key.Key_Delete)
    assert len(panel.scene.nodes) == 1
    assert panel.view.current == aim_node_id(project.id)
    context.undo_stack.undo()
    assert {n.text for n in panel.editor.diagram.nodes} == {"", "P", "S", "C"}
    assert len(panel.scene.links) == 3


def test_reorder_with_alt_arrows(panel: DiagramPanel, project: Project) -> None:
    keys = Keys(panel)
    panel.service.add_branches(project.id, [Branch("One"), Branch("Two"), Branch("Three")])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    keys.go_to(keys.id_of("Three"))
    keys.press(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    aim = aim_node_id(project.id)
    assert [n.text for n in panel.editor.diagram.children(aim)] == ["One", "Three", "Two"]
    assert panel.view.current == keys.id_of("Three")


def test_status_strength_and_category_through_the_editor(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.service.add_branches(project.id, [Branch("P", (Branch("S", (Branch("Idea"),)),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    idea = keys_id(panel, "Idea")
    assert panel.editor.set_status([idea], IdeaStatus.TESTING)
    assert panel.editor.diagram.node(idea).status is IdeaStatus.TESTING
    assert panel.editor.set_category([idea, keys_id(panel, "S")], "Education")
    assert {n.category for n in panel.editor.diagram.nodes} == {"", "Education"}
    assert panel.scene.legend.categories.keys() == {"Education"}
    assert panel.scene.legend.statuses == [IdeaStatus.TESTING]
    assert not panel.editor.set_status([keys_id(panel, "S")], IdeaStatus.SPREAD)
    assert panel.message.text() == "Only change ideas have a status."
    assert context.undo_stack.count() == 2


# ---------------------------------------------------------------------- mouse


def _centre(panel: DiagramPanel, node_id: str) -> QPoint:
    item = panel.scene.nodes[node_id]
    return panel.view.mapFromScene(item.sceneBoundingRect().center())


def _drag(panel: DiagramPanel, start: QPoint, end: QPoint, mods=NO) -> None:
    viewport = panel.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, mods, start)
    for i in range(1, 6):
        QTest.mouseMove(viewport, start + (end - start) * i / 5)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, mods, end)


def test_drag_a_box_onto_another_driver_reparents_it(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.service.add_branches(
        project.id, [Branch("P1", (Branch("S1"), Branch("S2"))), Branch("P2")]
    )
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    panel.view.fit()
    s2, p2 = keys_id(panel, "S2"), keys_id(panel, "P2")
    _drag(panel, _centre(panel, s2), _centre(panel, p2))
    assert [p.text for p in panel.editor.diagram.parents(s2)] == ["P2"]
    context.undo_stack.undo()
    assert [p.text for p in panel.editor.diagram.parents(s2)] == ["P1"]


def test_drop_on_empty_space_pins_and_unpin_restores(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.service.add_branches(project.id, [Branch("P1", (Branch("S1"),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    panel.view.fit()
    s1 = keys_id(panel, "S1")
    start = _centre(panel, s1)
    _drag(panel, start, start + QPoint(0, 120))
    pinned = panel.editor.diagram.node(s1).pinned_at
    assert pinned is not None
    assert panel.scene.nodes[s1].pos().toTuple() == pinned
    assert panel.editor.pin({s1: None})
    assert panel.editor.diagram.node(s1).pinned_at is None


def test_refused_drop_puts_the_box_back(panel: DiagramPanel, project: Project) -> None:
    panel.service.add_branches(project.id, [Branch("P1", (Branch("S1", (Branch("C1"),)),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    panel.view.fit()
    c1, aim = keys_id(panel, "C1"), aim_node_id(project.id)
    before = panel.scene.nodes[c1].pos()
    _drag(panel, _centre(panel, c1), _centre(panel, aim))
    assert "can only go under" in panel.message.text()
    assert panel.scene.nodes[c1].pos() == before


def test_zoom_and_fit(panel: DiagramPanel, project: Project) -> None:
    view = panel.view
    view.fit()
    base = view.zoom
    QTest.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom == pytest.approx(base * 1.25)
    for _ in range(30):
        view.zoom_by(0.5)
    assert view.zoom == pytest.approx(0.1)
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoom <= 1.25


# ---------------------------------------------------------------------- outline adapter


def test_outline_model_passes_the_model_tester(qtmodeltester, panel: DiagramPanel, project):
    panel.service.add_branches(
        project.id,
        [
            Branch("P1", (Branch("S1", (Branch("C1"),)),)),
            Branch("P2", (Branch("S2", (Branch("C2", also_under=("S1",)),)),)),
        ],
    )
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    qtmodeltester.check(panel.outline_model)


def test_outline_follows_the_python_model(panel: DiagramPanel, project: Project) -> None:
    model: DriverOutlineModel = panel.outline_model
    assert model.rowCount() == 1
    panel.service.add_branches(project.id, [Branch("P1", (Branch("S1"),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    aim = model.index(0, 0)
    assert model.rowCount(aim) == 1
    p1 = model.index(0, 0, aim)
    assert p1.data() == "P1"
    assert model.index(0, 0, p1).data() == "S1"
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    panel.service.edit_text(project.id, p1.data(NODE_ID_ROLE), "P1 renamed")
    panel.apply_changes(Changes.of(updated={Entity.DRIVER: [p1.data(NODE_ID_ROLE)]}))
    assert model.index(0, 0, aim).data() == "P1 renamed"
    assert resets == []  # a text change is a dataChanged, not a reset


def test_editing_in_the_outline_is_an_undo_step(
    qtbot: QtBot, panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.service.add_branches(project.id, [Branch("P1")])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    model = panel.outline_model
    p1 = model.index(0, 0, model.index(0, 0))
    assert model.setData(p1, "P1 from the outline")
    assert not model.setData(p1, "  ")
    assert panel.message.text() == "A box needs some text."
    assert context.undo_stack.count() == 1
    context.undo_stack.undo()
    assert model.index(0, 0, model.index(0, 0)).data() == "P1"


def test_aim_edited_on_the_charter_shows_in_the_diagram(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    from dataclasses import replace

    stored = context.projects.get(project.id)
    changed = stored.with_changes(aim=replace(stored.aim, what="falls", to_value="6"))
    context.broadcast(context.projects.update(changed).changes)
    assert panel.editor.aim_text == "Improve falls to 6."
    aim_item = panel.scene.nodes[aim_node_id(project.id)]
    assert aim_item.text == "Improve falls to 6."


def test_no_project_shows_a_placeholder(qtbot: QtBot, context: WorkspaceContext) -> None:
    widget = DiagramPanel(context)
    qtbot.addWidget(widget)
    assert widget.stack.currentIndex() == 0
    assert not widget.menu_actions()[0].isEnabled()


def test_exports(panel: DiagramPanel, project: Project, tmp_path: Path) -> None:
    panel.service.add_branches(project.id, [Branch("Ünïcödé driver ✓", (Branch("S"),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    png = panel.export_to("png", tmp_path / "d.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = panel.export_to("svg", tmp_path / "d.svg").read_text(encoding="utf-8")
    assert "<svg" in svg
    a3 = panel.export_to("a3", tmp_path / "d.pdf")
    assert a3.read_bytes()[:5] == b"%PDF-"
    md = panel.export_to("md", tmp_path / "d.md").read_text(encoding="utf-8")
    assert md.startswith("# Driver diagram: QI programme")
    assert "- **Primary driver:** Ünïcödé driver ✓" in md


def test_tab_in_the_editor_works_when_the_window_is_not_active(
    qtbot: QtBot, context: WorkspaceContext, project: Project
) -> None:
    """Regression: the scene swallows Tab for its own focus chain unless the view routes it."""
    widget = DiagramPanel(context)
    context.broadcast.append(widget)  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    qtbot.waitExposed(widget)
    context.select_project(project.id)
    widget.view.clearFocus()
    assert not widget.scene.isActive()
    keys = Keys(widget)
    keys.press(Qt.Key.Key_Tab)
    keys.type("Primary")
    keys.press(Qt.Key.Key_Tab)
    keys.type("Secondary")
    keys.press(Qt.Key.Key_Return)
    assert [n.text for n in widget.editor.diagram.nodes if n.text] == ["Primary", "Secondary"]


def test_context_menus_set_status_strength_and_remove_a_link(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    from qidesk.ui.diagram.menus import build_context_menu

    panel.service.add_branches(
        project.id, [Branch("P", (Branch("S1", (Branch("Idea"),)), Branch("S2")))]
    )
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    idea = keys_id(panel, "Idea")
    panel.view.set_current(idea)

    def entries(menu) -> dict[str, object]:
        out = {}
        for action in menu.actions():
            if action.menu():
                out.update({f"{action.text()}/{k}": v for k, v in entries(action.menu()).items()})
            elif not action.isSeparator():
                out[action.text().split("\t")[0]] = action
        return out

    menu = entries(build_context_menu(panel.view, idea, None))
    assert "Edit text" in menu
    assert "Delete" in menu
    menu["Status/Testing"].trigger()
    assert panel.editor.diagram.node(idea).status is IdeaStatus.TESTING
    panel.editor.toggle_link(keys_id(panel, "S2"), idea)
    link = panel.editor.diagram.link_between(keys_id(panel, "S1"), idea)
    link_menu = entries(build_context_menu(panel.view, None, link.id))
    link_menu["Weak link"].trigger()
    assert panel.editor.diagram.link(link.id).strength is Strength.WEAK
    entries(build_context_menu(panel.view, None, link.id))["Remove link"].trigger()
    assert [p.text for p in panel.editor.diagram.parents(idea)] == ["S2"]
    canvas = entries(build_context_menu(panel.view, None, None))
    assert "Fit to window" in canvas
    assert context.undo_stack.count() == 4


# ---------------------------------------------------------------------- measures and PDSA


def _add_measures(context: WorkspaceContext, project_id: str, *names: str) -> list[str]:
    from qidesk.core.measures import Measure, MeasureType
    from qidesk.services.measures import MeasureService

    service = MeasureService(context.workspace.workspace)
    kinds = [MeasureType.OUTCOME, MeasureType.PROCESS, MeasureType.BALANCING]
    return [
        service.create(Measure(project_id, name, kinds[i % 3])).measure.id
        for i, name in enumerate(names)
    ]


ED = [
    Branch(
        "Flow out of the department",
        (Branch("Timely decisions to admit", (Branch("Senior review within 1 hour"),)),),
    ),
    Branch(
        "Capacity matched to demand",
        (Branch("Rotas matched to arrivals", (Branch("Twilight shift"),)),),
    ),
]
ED_MEASURES = ("Seen within 4 hours", "Admissions per attendance", "Type 1 attendances")


@pytest.fixture
def ed(panel: DiagramPanel, context: WorkspaceContext, project: Project) -> list[str]:
    """The panel shows a small ED diagram; the project has three measures (ids returned)."""
    panel.service.add_branches(project.id, ED)
    ids = _add_measures(context, project.id, *ED_MEASURES)
    context.broadcast(Changes.of(created={Entity.DRIVER: ["*"], Entity.MEASURE: ids}))
    return ids


def _no_measure_gaps(panel: DiagramPanel) -> set[str]:
    model = panel.gaps_model
    return {
        str(model.index(r, 0).data(NODE_ID_ROLE))
        for r in range(model.rowCount())
        if "has no" in str(model.index(r, 0).data()) and "measure" in str(model.index(r, 0).data())
    }


def test_link_measures_by_keyboard_then_undo_and_redo(
    panel: DiagramPanel, context: WorkspaceContext, project: Project, ed: list[str]
) -> None:
    from qidesk.ui.diagram.measure_picker import MeasurePicker

    keys = Keys(panel)
    driver = keys.id_of("Timely decisions to admit")
    plain_height = panel.scene.nodes[driver].size.height()
    assert driver in _no_measure_gaps(panel)
    keys.go_to(driver)
    keys.press(Qt.Key.Key_M)
    picker = panel.view.measure_picker
    assert isinstance(picker, MeasurePicker) and picker.isVisible()
    assert picker.chosen() == []
    listing = picker.list
    assert [listing.item(r).text() for r in range(listing.count())] == [
        "Seen within 4 hours (outcome measure)",
        "Admissions per attendance (process measure)",
        "Type 1 attendances (balancing measure)",
    ]
    QTest.keyClick(listing, Qt.Key.Key_Down)
    QTest.keyClick(listing, Qt.Key.Key_Space)  # ticks "Admissions per attendance"
    QTest.keyClick(listing, Qt.Key.Key_Down)
    QTest.keyClick(listing, Qt.Key.Key_Space)
    assert picker.chosen() == ed[1:]
    QTest.keyClick(listing, Qt.Key.Key_Return)  # saves
    assert not picker.isVisible()

    assert panel.editor.diagram.measure_ids_of(driver) == ed[1:]
    item = panel.scene.nodes[driver]
    assert item.measure_count == 2
    assert item.measures == ED_MEASURES[1:]
    assert item.size.height() == pytest.approx(plain_height + panel.scene.layout_style.line_height)
    assert "Measures: Admissions per attendance; Type 1 attendances" in item.tooltip()
    assert panel.scene.legend.measures
    assert driver not in _no_measure_gaps(panel)
    row = panel.outline_model.indexes_of(driver)[0]
    measures_cell = row.siblingAtColumn(3).data()
    assert measures_cell == "2 measures: Admissions per attendance; Type 1 attendances"
    assert "2 measures linked" in panel.message.text()
    assert context.undo_stack.count() == 1  # one step for the whole picker
    linked = {ml.id for ml in panel.editor.diagram.measure_links}

    context.undo_stack.undo()
    assert panel.editor.diagram.measure_ids_of(driver) == []
    assert panel.scene.nodes[driver].measure_count == 0
    assert panel.scene.nodes[driver].size.height() == pytest.approx(plain_height)
    assert driver in _no_measure_gaps(panel)
    context.undo_stack.redo()
    assert panel.editor.diagram.measure_ids_of(driver) == ed[1:]
    assert {ml.id for ml in panel.editor.diagram.measure_links} == linked  # the same records

    # M again: the picker shows what is linked; unticking one unlinks it
    keys.press(Qt.Key.Key_M)
    picker = panel.view.measure_picker
    assert picker is not None and picker.chosen() == ed[1:]
    picker.set_checked(ed[2], False)
    picker.accept()
    assert panel.editor.diagram.measure_ids_of(driver) == [ed[1]]
    assert panel.scene.nodes[driver].measure_count == 1
    # Esc cancels without a change
    keys.press(Qt.Key.Key_M)
    picker = panel.view.measure_picker
    assert picker is not None
    QTest.keyClick(picker.list, Qt.Key.Key_Space)
    QTest.keyClick(picker.list, Qt.Key.Key_Escape)
    assert panel.editor.diagram.measure_ids_of(driver) == [ed[1]]
    assert context.undo_stack.count() == 2


def test_the_outcome_measure_on_the_aim_and_the_context_menu(
    panel: DiagramPanel, context: WorkspaceContext, project: Project, ed: list[str]
) -> None:
    from qidesk.ui.diagram.menus import build_context_menu

    aim = aim_node_id(project.id)
    capacity = keys_id(panel, "Capacity matched to demand")

    alive = []  # menus and actions stay referenced while their actions are used

    def measure_actions(node_id: str) -> dict[str, object]:
        menu = build_context_menu(panel.view, node_id, None)
        actions = menu.actions()
        alive.append((menu, actions))
        for action in actions:
            if action.text().startswith("Measures"):
                sub = action.menu()
                return {a.text().split("\t")[0]: a for a in sub.actions() if not a.isSeparator()}
        raise AssertionError("no Measures menu")

    actions = measure_actions(aim)
    assert list(actions) == [*ED_MEASURES, "Choose measures…"]
    assert not any(a.isChecked() for a in actions.values())
    actions["Seen within 4 hours"].trigger()
    assert panel.editor.diagram.measure_ids_of(aim) == [ed[0]]
    assert panel.scene.nodes[aim].measure_count == 1
    measure_actions(capacity)["Type 1 attendances"].trigger()
    assert measure_actions(capacity)["Type 1 attendances"].isChecked()
    assert aim not in _no_measure_gaps(panel)
    assert capacity not in _no_measure_gaps(panel)
    measure_actions(capacity)["Type 1 attendances"].trigger()  # unticking unlinks
    assert panel.editor.diagram.measure_ids_of(capacity) == []
    assert context.undo_stack.count() == 3
    context.undo_stack.undo()
    assert panel.editor.diagram.measure_ids_of(capacity) == [ed[2]]
    # the outline's M key opens the same picker
    panel.outline.setFocus()
    panel.outline.select_node(capacity)
    QTest.keyClick(panel.outline, Qt.Key.Key_M)
    picker = panel.outline.measure_picker
    assert picker is not None and picker.chosen() == [ed[2]]
    picker.reject()


def test_measures_of_another_project_and_a_project_without_measures(
    panel: DiagramPanel, context: WorkspaceContext, project: Project
) -> None:
    panel.service.add_branches(project.id, ED)
    context.broadcast(Changes.of(created={Entity.DRIVER: ["*"]}))
    keys = Keys(panel)
    keys.press(Qt.Key.Key_M)  # on the aim: this project has no measures yet
    assert panel.view.measure_picker is None
    assert "no measures yet" in panel.message.text()
    other = context.projects.create(Project(title="Falls on Ward 7")).project
    foreign = _add_measures(context, other.id, "Falls per 1,000 bed-days")
    assert not panel.editor.set_measures(keys.id_of("Capacity matched to demand"), foreign)
    assert "only this project's measures" in panel.message.text()
    assert context.undo_stack.count() == 0


def _cycles(context: WorkspaceContext, project_id: str, idea: str) -> None:
    from datetime import date

    from qidesk.core.pdsa import CycleStatus, Decision, PdsaCycle
    from qidesk.services.pdsa import PdsaService

    ws = context.workspace.workspace
    pdsa = PdsaService(ws)
    for number, decision in ((1, Decision.ADAPT), (2, Decision.ADOPT)):
        pdsa.create(
            PdsaCycle(
                project_id, ramp_id="r", ramp_name="Senior review", number=number,
                change_idea_ids=(idea,), status=CycleStatus.DONE,
                start=date(2025, number, 1), end=date(2025, number, 20), decision=decision,
            )
        )  # fmt: skip
    context.broadcast(Changes.of(created={Entity.PDSA: ["*"]}))


def test_change_ideas_show_pdsa_cycles_and_the_latest_act_decision(
    panel: DiagramPanel, context: WorkspaceContext, project: Project, ed: list[str]
) -> None:
    idea = keys_id(panel, "Senior review within 1 hour")
    other = keys_id(panel, "Twilight shift")

    def never_tested() -> set[str]:
        model = panel.gaps_model
        return {
            str(model.index(r, 0).data(NODE_ID_ROLE))
            for r in range(model.rowCount())
            if "never been tested" in str(model.index(r, 0).data())
        }

    assert never_tested() == {idea, other}
    assert panel.scene.nodes[idea].testing is None
    _cycles(context, project.id, idea)
    item = panel.scene.nodes[idea]
    assert item.testing is not None and item.testing.badge == "2 PDSAs · Adopt"
    assert "PDSA: Tested in 2 PDSA cycles; latest Act decision: Adopt" in item.tooltip()
    assert "PDSA: Not tested yet" in panel.scene.nodes[other].tooltip()
    assert never_tested() == {other}
    assert panel.scene.legend.tested
    status = panel.outline_model.indexes_of(idea)[0].siblingAtColumn(2).data()
    assert status == "Idea (2 PDSAs · Adopt)"


def test_a_testing_provider_feeds_the_badges_and_gaps(
    qtbot: QtBot, context: WorkspaceContext, project: Project
) -> None:
    from qidesk.core.drivers import IdeaTesting

    service_branches = [Branch("P", (Branch("S", (Branch("Idea A"), Branch("Idea B"))),))]
    asked: list[str] = []

    def provider(project_id: str) -> dict[str, IdeaTesting]:
        asked.append(project_id)
        diagram = widget.service.diagram(project_id)
        a = next(n.id for n in diagram.nodes if n.text == "Idea A")
        return {a: IdeaTesting(3, 1, "Scale up")}

    widget = DiagramPanel(context, testing=provider)
    qtbot.addWidget(widget)
    widget.service.add_branches(project.id, service_branches)
    context.select_project(project.id)
    assert asked and asked[-1] == project.id
    a, b = keys_id(widget, "Idea A"), keys_id(widget, "Idea B")
    assert widget.scene.nodes[a].testing == IdeaTesting(3, 1, "Scale up")
    gaps = [widget.gaps_model.index(r, 0).data() for r in range(widget.gaps_model.rowCount())]
    assert "Change idea “Idea B” has never been tested" in gaps
    assert not any("Idea A" in g and "tested" in g for g in gaps)
    assert widget.scene.nodes[b].testing is None


def test_renaming_or_deleting_a_measure_updates_the_boxes(
    panel: DiagramPanel, context: WorkspaceContext, project: Project, ed: list[str]
) -> None:
    from dataclasses import replace

    from qidesk.services.measures import MeasureService

    driver = keys_id(panel, "Timely decisions to admit")
    assert panel.editor.set_measures(driver, [ed[1]])
    measures = MeasureService(context.workspace.workspace)
    renamed = replace(measures.get(ed[1]), name="Decisions to admit within 1 hour")
    context.broadcast(measures.update(renamed).changes)
    assert panel.scene.nodes[driver].measures == ("Decisions to admit within 1 hour",)
    row = panel.outline_model.indexes_of(driver)[0]
    assert row.siblingAtColumn(3).data() == "1 measure: Decisions to admit within 1 hour"
    context.broadcast(measures.delete(ed[1]))
    assert panel.scene.nodes[driver].measure_count == 0
    assert driver in _no_measure_gaps(panel)
    context.broadcast(measures.restore(ed[1]).changes)
    assert panel.scene.nodes[driver].measure_count == 1


# ---------------------------------------------------------------------- a 1366 x 768 ward PC

#: the Driver diagram tab on a 1366-px screen beside a 340-px project dock
WARD_PC_TAB = (1366 - 340 - 20, 680)


def _big_diagram(panel: DiagramPanel, project: Project) -> None:
    """5 primary drivers, each with 3 secondaries of 3 change ideas (66 boxes), long texts."""
    words = "Everyone on the ward knows the plan and has the time, the training and the tools"
    branches = [
        Branch(
            f"Primary {p}: {words}",
            tuple(
                Branch(f"Secondary {p}.{s}: {words}", tuple(Branch(f"Idea {p}.{s}.{i}: {words}")
                                                       for i in range(3)))
                for s in range(3)
            ),
        )
        for p in range(5)
    ]  # fmt: skip
    panel.service.add_branches(project.id, branches)
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))


def _on_screen(panel: DiagramPanel, node_id: str) -> bool:
    view = panel.view
    box = view.mapFromScene(panel.scene.nodes[node_id].sceneBoundingRect()).boundingRect()
    return view.viewport().rect().contains(box)


def test_fit_never_makes_the_text_unreadable(
    qtbot: QtBot, panel: DiagramPanel, project: Project
) -> None:
    _big_diagram(panel, project)
    panel.resize(*WARD_PC_TAB)
    qtbot.waitUntil(lambda: panel.view.viewport().width() < 800)
    view = panel.view
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    # the smallest text (badges, the key: 11 px) is drawn at least 9 px high
    assert view.zoom * SMALL_TEXT_PX >= READABLE_TEXT_PX - 1e-9
    assert view.zoom <= 1.0
    assert not view.fitted_whole
    # the first columns are fitted by their width, level with the aim; the rest scrolls
    aim = aim_node_id(project.id)
    assert _on_screen(panel, aim)
    primaries = [n.id for n in panel.editor.diagram.of_kind(NodeKind.PRIMARY)]
    middle = primaries[len(primaries) // 2]
    assert _on_screen(panel, middle)
    assert view.horizontalScrollBar().value() == view.horizontalScrollBar().minimum()
    assert view.horizontalScrollBar().isVisible()  # more columns to the right
    # "Fit to window" from the menu does the same
    view.zoom_by(0.5)
    panel._actions["fit"].trigger()
    assert view.zoom * SMALL_TEXT_PX >= READABLE_TEXT_PX - 1e-9
    assert panel.zoom_label.text() == f"{round(view.zoom * 100)} %"


def test_a_diagram_opens_at_a_readable_zoom_at_the_aim(
    qtbot: QtBot, context: WorkspaceContext, project: Project
) -> None:
    other = context.projects.create(Project(title="Big programme")).project
    panel = DiagramPanel(context)
    context.broadcast.append(panel)  # type: ignore[attr-defined]
    qtbot.addWidget(panel)
    panel.resize(*WARD_PC_TAB)
    _big_diagram(panel, other)
    panel.show()
    qtbot.waitExposed(panel)
    context.select_project(other.id)
    qtbot.waitUntil(lambda: not panel._fit_pending)
    view = panel.view
    assert READABLE_ZOOM - 1e-9 <= view.zoom <= 1.0
    assert _on_screen(panel, aim_node_id(other.id))
    assert view.current == aim_node_id(other.id)


def test_a_small_diagram_is_fitted_whole_without_scroll_bars(
    qtbot: QtBot, panel: DiagramPanel, project: Project
) -> None:
    panel.service.add_branches(project.id, [Branch("P1", (Branch("S1", (Branch("C1"),)),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    panel.resize(1900, 900)  # a projector, or a full-HD screen
    panel.split.setSizes([300, 1600])
    view = panel.view
    qtbot.waitUntil(lambda: view.viewport().width() > 1400)
    view.fit()
    qtbot.wait(10)
    assert view.fitted_whole
    assert READABLE_ZOOM <= view.zoom <= FIT_MAX_ZOOM
    assert not view.horizontalScrollBar().isVisible()
    assert not view.verticalScrollBar().isVisible()
    for node_id in panel.scene.nodes:
        assert _on_screen(panel, node_id)
    # it stays fitted, whole, when the window is made smaller
    before = view.zoom
    panel.resize(1700, 900)
    qtbot.waitUntil(lambda: view.zoom < before)
    assert view.fitted_whole
    assert not view.horizontalScrollBar().isVisible()


def test_the_outline_shows_every_box_text_whole(
    qtbot: QtBot, panel: DiagramPanel, project: Project
) -> None:
    _big_diagram(panel, project)
    panel.resize(*WARD_PC_TAB)
    outline = panel.outline
    qtbot.waitUntil(lambda: outline.viewport().width() < 400)
    qtbot.wait(20)  # the rows are laid out again for the new width
    assert not outline.details_shown  # beside the canvas: the box text has the width
    assert outline.columnWidth(0) <= outline.viewport().width()
    assert not outline.horizontalScrollBar().isVisible()
    model = panel.outline_model
    metrics = outline.fontMetrics()
    for index, _node in model.parent_indexes()[:6]:
        rect = outline.visualRect(index)
        room = outline.text_room(index)
        text = str(index.data())
        wrapped = metrics.boundingRect(
            QRect(0, 0, room - 2 * outline.style().pixelMetric(
                QStyle.PixelMetric.PM_FocusFrameHMargin) - outline.iconSize().width() - 8, 10_000),
            int(Qt.TextFlag.TextWordWrap), text,
        )  # fmt: skip
        assert rect.height() >= wrapped.height(), text  # wrapped, not cut to one line
        assert rect.right() <= outline.viewport().width()
        assert index.data(Qt.ItemDataRole.ToolTipRole)  # kind, status and measures are there
    # widen the outline: the detail columns come back
    panel.resize(1700, 800)
    panel.split.setSizes([DETAILS_FROM_WIDTH + 60, 1600 - DETAILS_FROM_WIDTH])
    qtbot.waitUntil(lambda: outline.details_shown)
    assert outline.columnWidth(0) >= 300


def test_the_panel_fits_a_ward_pc_beside_the_project_dock(
    qtbot: QtBot, panel: DiagramPanel, project: Project
) -> None:
    _big_diagram(panel, project)
    panel.resize(*WARD_PC_TAB)
    for tab in range(panel.side.count()):
        panel.side.setCurrentIndex(tab)
        qtbot.wait(10)
        # the project dock can even be widened to 600 px
        assert panel.minimumSizeHint().width() <= min(WARD_PC_TAB[0], 1366 - 600)
    # the tool bar keeps every command within reach: what does not fit is under its "»"
    for action in panel.menu_actions():
        assert action.isSeparator() or action.text()
    for name in ("add_child", "zoom_in", "fit"):
        assert name in panel._actions and panel._actions[name] in panel.toolbar.actions()


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, panel: DiagramPanel, project: Project
) -> None:
    panel.service.add_branches(project.id, [Branch("P1", (Branch("S1", (Branch("C1"),)),))])
    panel.apply_changes(Changes.of(created={Entity.DRIVER: ["*"]}))
    for tab in range(panel.side.count()):
        panel.side.setCurrentIndex(tab)
        qtbot.wait(10)
        unnamed = [
            f"{type(w).__name__} {w.objectName()}"
            for w in panel.findChildren(QWidget)
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus
            and w.isVisible()
            and not w.accessibleName()
        ]
        assert unnamed == [], tab
    assert panel.side.accessibleName() and panel.side.tabBar().accessibleName()
    assert panel.view.viewport().accessibleName()
