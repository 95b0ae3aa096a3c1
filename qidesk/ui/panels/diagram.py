"""The driver diagram panel: canvas, outline and gaps of the current project's diagram.

It follows the project chosen in the project list (``WorkspaceContext.select_project``). It
reads the diagram, the project's measures and the PDSA testing of change ideas through
:class:`DiagramService` and redraws when a broadcast ``Changes`` touches drivers, projects,
measures or PDSA cycles; every edit is an undo command pushed by the :class:`DiagramEditor`.
No SQL and no layout maths here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListView,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.drivers import gaps
from qidesk.core.errors import NotFoundError
from qidesk.services.diagram import DiagramService
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.diagram.editor import DiagramEditor, TestingProvider
from qidesk.ui.diagram.export import (
    PageSize,
    export_pdf,
    export_png,
    export_svg,
    print_diagram,
    write_outline,
)
from qidesk.ui.diagram.outline import (
    NODE_ID_ROLE,
    DriverOutlineModel,
    DriverOutlineView,
    GapListModel,
)
from qidesk.ui.diagram.scene import DiagramScene
from qidesk.ui.diagram.view import OPEN_MAX_ZOOM, DiagramView

NO_PROJECT = "Choose a project in the project list to see and edit its driver diagram."

KEYS_HELP = (
    "Arrow keys: move between boxes · Tab: add a child · Enter: add a sibling · "
    "F2 or typing: edit · Delete: delete · L: link or unlink · S: strong/weak link · "
    "M: measures · Alt+Up/Down: reorder · Ctrl+0: fit"
)


class DiagramPanel(Panel):
    """Draw and edit the current project's driver diagram (canvas + outline + gaps).

    ``testing`` (optional) gives, for a project id, each change idea's PDSA testing; by
    default it comes from the PDSA cycles through :meth:`DiagramService.testing`.
    """

    panel_id = "diagram"
    title = "Driver diagram"

    def __init__(
        self,
        context: WorkspaceContext,
        parent: QWidget | None = None,
        *,
        testing: TestingProvider | None = None,
    ) -> None:
        super().__init__(context, parent)
        self.service = DiagramService(context.workspace.workspace)
        self.editor = DiagramEditor(context, self.service, testing)
        self.scene = DiagramScene(self)
        self.view = DiagramView(self.scene, self.editor)
        self.outline_model = DriverOutlineModel(self.editor)
        self.outline = DriverOutlineView(self.outline_model)
        self.gaps_model = GapListModel()
        self.gaps = QListView()
        self.gaps.setModel(self.gaps_model)
        self.gaps.setAccessibleName("Gaps in the theory of change")
        self.gaps.setWordWrap(True)
        self.gaps.setSpacing(3)
        self.gaps.setAlternatingRowColors(True)
        self.message = QLabel()
        self.message.setObjectName("diagramMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Diagram messages")
        self.message.setStyleSheet("color: #212b32; padding: 2px 4px;")
        self._fitted_for: str | None = None
        self._fit_pending = False
        self._actions = self._make_actions()
        self._build()
        self.editor.message.connect(self.show_message)
        self.editor.selection_requested.connect(self._select)
        self.view.current_changed.connect(self._canvas_moved)
        self.outline.node_activated.connect(self._outline_moved)
        self.gaps.activated.connect(self._gap_activated)
        self.gaps.clicked.connect(self._gap_activated)
        context.on_project_selected(self.show_project)
        self.show_project(context.current_project_id)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        # a tool bar, not a row of buttons: on a narrow window the buttons that do not fit go
        # under its "»" button instead of forcing the panel wider (all are on the menu too)
        self.toolbar = QToolBar("Driver diagram actions", self)
        self.toolbar.setObjectName("diagram_toolbar")
        self.toolbar.setAccessibleName("Driver diagram actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar.setContentsMargins(0, 0, 0, 0)
        edits = ("add_child", "add_sibling", "delete", "link", "strength", "measures")
        for name in edits:
            self.toolbar.addAction(self._actions[name])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.zoom_label = QLabel()
        self.zoom_label.setObjectName("diagram_zoom")
        self.zoom_label.setToolTip("Zoom: Ctrl+= zooms in, Ctrl+- out, Ctrl+0 fits to the window")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.toolbar.addAction(self._actions["zoom_out"])
        self.toolbar.addWidget(self.zoom_label)
        for name in ("zoom_in", "fit"):
            self.toolbar.addAction(self._actions[name])
        for name in (*edits, "zoom_out", "zoom_in", "fit"):
            action = self._actions[name]
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        self.view.zoom_changed.connect(self._show_zoom)
        self._show_zoom(self.view.zoom)

        side = QTabWidget()
        side.setObjectName("diagram_side")
        side.setAccessibleName("Outline and gaps of the driver diagram")
        side.tabBar().setAccessibleName("Outline or gaps")
        side.addTab(self.outline, "Outline")
        side.addTab(self.gaps, "Gaps")
        side.setDocumentMode(True)
        self.side = side
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setObjectName("diagram_split")
        split.addWidget(side)
        split.addWidget(self.view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        split.setSizes([340, 980])
        split.setChildrenCollapsible(False)
        self.split = split

        editor_page = QWidget()
        page = QVBoxLayout(editor_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.toolbar)
        page.addWidget(self.message)
        page.addWidget(split, 1)
        keys = QLabel(KEYS_HELP)
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #4c6272; padding: 2px 4px;")
        page.addWidget(keys)

        self.placeholder = QLabel(NO_PROJECT)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(editor_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.setFocusProxy(self.view)

    def _make_actions(self) -> dict[str, QAction]:
        def act(
            name: str, text: str, slot: Callable[[], object], key: str = "", tip: str = ""
        ) -> QAction:
            action = QAction(text, self)
            action.setObjectName(f"diagram_{name}")
            if key:
                action.setShortcut(QKeySequence(key))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                self.addAction(action)
            if tip:
                action.setToolTip(tip)
                action.setStatusTip(tip)
            action.triggered.connect(slot)
            return action

        v = self.view
        return {
            "add_child": act(
                "add_child",
                "Add child",
                lambda: self._on_current(v.begin_add_child),
                tip="Add a box under the current one (Tab on the canvas)",
            ),
            "add_sibling": act(
                "add_sibling",
                "Add sibling",
                lambda: self._on_current(v.begin_add_sibling),
                tip="Add a box below the current one (Enter on the canvas)",
            ),
            "delete": act(
                "delete", "Delete", self._delete, tip="Delete the selected boxes (Delete)"
            ),
            "link": act(
                "link",
                "Link…",
                lambda: self._on_current(v.start_link_mode),
                tip="Link or unlink the current box with another (L)",
            ),
            "strength": act(
                "strength",
                "Strong/weak",
                self._toggle_strength,
                tip="Toggle the strength of the selected links (S)",
            ),
            "measures": act(
                "measures",
                "Measures…",
                lambda: self._on_current(v.choose_measures),
                tip="Link or unlink the project's measures to the current box (M)",
            ),
            "zoom_in": act("zoom_in", "Zoom in", lambda: v.zoom_by(1.25), "Ctrl+="),
            "zoom_out": act("zoom_out", "Zoom out", lambda: v.zoom_by(0.8), "Ctrl+-"),
            "fit": act("fit", "Fit to window", self._fit, "Ctrl+0"),
            "png": act("png", "Export as PNG image…", lambda: self._export("png")),
            "svg": act("svg", "Export as SVG drawing…", lambda: self._export("svg")),
            "pdf_a4": act("pdf_a4", "Export as PDF (A4 landscape)…", lambda: self._export("a4")),
            "pdf_a3": act("pdf_a3", "Export as PDF (A3 landscape)…", lambda: self._export("a3")),
            "print": act("print", "Print…", self._print),
            "outline_text": act(
                "outline_text", "Copy outline as text", lambda: self._copy_outline(False)
            ),
            "outline_md": act(
                "outline_md", "Save outline as Markdown…", lambda: self._export("md")
            ),
        }

    def menu_actions(self) -> list[QAction]:
        """Editing, zoom and export commands for the window's "Driver diagram" menu."""
        names = (
            "add_child", "add_sibling", "delete", "link", "strength", "measures", None,
            "zoom_in", "zoom_out", "fit", None,
            "png", "svg", "pdf_a4", "pdf_a3", "print", None, "outline_text", "outline_md",
        )  # fmt: skip
        out: list[QAction] = []
        for name in names:
            if name is None:
                separator = QAction(self)
                separator.setSeparator(True)
                out.append(separator)
            else:
                out.append(self._actions[name])
        return out

    # ------------------------------------------------------------------ following the model
    def show_project(self, project_id: str | None) -> None:
        """Show ``project_id``'s diagram (the placeholder when ``None``)."""
        self.view.cancel_link_mode(clear_message=False)
        self.scene.close_editor()
        try:
            self.editor.load(project_id)
        except NotFoundError:
            self.editor.load(None)
            project_id = None
        self.stack.setCurrentIndex(0 if project_id is None else 1)
        for action in self._actions.values():
            action.setEnabled(project_id is not None)
        self.show_message("")
        self._redraw()
        if project_id is not None and self._fitted_for != project_id:
            self._fitted_for = project_id
            self._fit_pending = True
            self._fit_when_visible()
            aim = self.editor.diagram.aim
            self.view.set_current(aim.id if aim else None)

    def _fit_when_visible(self) -> None:
        """Fit the diagram once the canvas has its real size (not while the tab is hidden).

        A project's diagram opens at no more than 100 %: whole if it can be read that way, else
        its first columns, level with the aim (see :meth:`DiagramView.fit`).
        """
        if self._fit_pending and self.view.isVisible() and self.view.viewport().width() > 50:
            self._fit_pending = False
            self.view.fit(largest=OPEN_MAX_ZOOM)

    def _fit(self) -> None:
        self.view.fit()

    def _show_zoom(self, zoom: float) -> None:
        percent = f"{round(zoom * 100)} %"
        self.zoom_label.setText(percent)
        self.zoom_label.setAccessibleName(f"Zoom {percent}")

    def showEvent(self, event: QShowEvent) -> None:
        """Fit a newly chosen project's diagram the first time the panel is seen."""
        super().showEvent(event)
        QTimer.singleShot(0, self._fit_when_visible)

    def apply_changes(self, changes: Changes) -> None:
        """Redraw when drivers, the project (its aim, its title), measures or PDSA changed."""
        if changes.workspace_replaced:
            self.show_project(self.context.current_project_id)
            return
        if self.editor.project_id is None:
            return
        measures_come_or_go = Entity.MEASURE in changes.created or Entity.MEASURE in changes.deleted
        if measures_come_or_go or any(
            changes.touches(entity) for entity in (Entity.DRIVER, Entity.PROJECT, Entity.PDSA)
        ):
            if self.editor.project_id in changes.deleted.get(Entity.PROJECT, frozenset()):
                self.show_project(None)
                return
            self.editor.load(self.editor.project_id)
            self._redraw()
        elif changes.touches(Entity.MEASURE) and self.editor.reload_measures():
            self._redraw()  # a measure was renamed or its type changed (data edits: nothing)

    def _redraw(self) -> None:
        editor = self.editor
        diagram, aim_text = editor.diagram, editor.aim_text
        self.scene.show_diagram(diagram, aim_text, editor.measure_names, editor.testing)
        self.outline_model.set_diagram(diagram, aim_text, editor.measure_names, editor.testing)
        if self.outline_model.rowCount() and not self.outline.isExpanded(
            self.outline_model.index(0, 0)
        ):
            self.outline.expandAll()
        if editor.project_id is not None:
            tested = {idea: t.cycles for idea, t in editor.testing.items()}
            self.gaps_model.set_gaps(gaps(diagram, diagram.measure_counts(), tested, aim_text))
        else:
            self.gaps_model.set_gaps([])

    # ------------------------------------------------------------------ selection sync
    def _select(self, node_ids: list[str]) -> None:
        self.scene.select_nodes(node_ids)
        if node_ids:
            self.view.set_current(node_ids[0], select=False)

    def _canvas_moved(self, node_id: str) -> None:
        if node_id:
            self.outline.select_node(node_id)

    def _outline_moved(self, node_id: str) -> None:
        if node_id in self.scene.nodes:
            self.view.set_current(node_id)

    def _gap_activated(self, index: QModelIndex) -> None:
        node_id = index.data(NODE_ID_ROLE)
        if isinstance(node_id, str):
            self.view.set_current(node_id)
            self.outline.select_node(node_id)

    def show_message(self, text: str) -> None:
        """Show a refusal or hint above the canvas ("" hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ------------------------------------------------------------------ actions
    def _on_current(self, action: object) -> None:
        current = self.view.current or (
            self.editor.diagram.aim.id if self.editor.diagram.aim else None
        )
        if current is not None and callable(action):
            self.view.setFocus()
            action(current)

    def _focus_ids(self) -> list[str]:
        if self.outline.hasFocus():
            return self.outline.selected_node_ids()
        return self.scene.selected_node_ids() or ([self.view.current] if self.view.current else [])

    def _delete(self) -> None:
        self.editor.delete(self._focus_ids())

    def _toggle_strength(self) -> None:
        self.editor.toggle_strength(self.scene.selected_link_ids(), self._focus_ids())

    def _title(self) -> str:
        if self.editor.project_id is None:
            return ""
        return self.service.project(self.editor.project_id).title

    def _export(self, kind: str) -> None:
        if self.editor.project_id is None:
            return
        title = self._title()
        suffix = {"png": "png", "svg": "svg", "a4": "pdf", "a3": "pdf", "md": "md"}[kind]
        name = f"{title or 'driver diagram'} - driver diagram.{suffix}".replace("/", "-")
        start = str(self.context.workspace.path.parent / name)
        path_text, _ = QFileDialog.getSaveFileName(
            self, "Export driver diagram", start, f"{suffix.upper()} files (*.{suffix})"
        )
        if not path_text:
            return
        path = Path(path_text)
        try:
            self.export_to(kind, path)
        except OSError as exc:
            QMessageBox.warning(self, "Not exported", f"{path} could not be written: {exc}")
            return
        self.show_message(f"Exported to {path}.")

    def export_to(self, kind: str, path: Path) -> Path:
        """Write the diagram (png, svg, a4, a3) or its Markdown outline (md) to ``path``."""
        title = self._title()
        if kind == "png":
            return export_png(self.scene, path)
        if kind == "svg":
            return export_svg(self.scene, path, title)
        if kind in ("a4", "a3"):
            page = PageSize.A4 if kind == "a4" else PageSize.A3
            return export_pdf(self.scene, path, page, title)
        if kind == "md" and self.editor.project_id is not None:
            return write_outline(path, self.service.outline(self.editor.project_id, markdown=True))
        raise ValueError(f"unknown export {kind!r}")

    def _print(self) -> None:
        if self.editor.project_id is not None:
            print_diagram(self.scene, self, self._title())

    def _copy_outline(self, markdown: bool) -> None:
        if self.editor.project_id is None:
            return
        text = self.service.outline(self.editor.project_id, markdown=markdown)
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(text)
        self.show_message("The outline is on the clipboard.")
