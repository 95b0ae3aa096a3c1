"""The diagram canvas: zoom, pan, fit, and every edit by keyboard or mouse.

Keys (the same list is in docs/driver-diagram.md and the panel's menu):

=================  ===========================================================
Arrow keys         move between boxes (up/down in a column, left to a parent,
                   right to a child)
Tab                add a child (aim → primary → secondary → change idea)
Enter              add a sibling below the current box
F2, or typing      edit the text in place (Enter saves, Esc cancels)
Delete             delete the selected boxes (and boxes left with no parent)
L                  link mode: move to another box and press Enter to link or
                   unlink it; Esc leaves link mode
S                  toggle strong/weak on the selected links (or the links up
                   from the selected boxes)
M                  the box's measures: a checklist of the project's measures
                   (Space ticks, Enter saves)
Alt+Up / Alt+Down  move the box up or down among its siblings
Menu, Shift+F10    the box's context menu (status, category, unpin…)
Ctrl+= / Ctrl+-    zoom in / out;  Ctrl+0 fit to window
=================  ===========================================================

"Fit to window" never makes the text unreadable: the whole diagram is shown only while its
smallest text stays at least :data:`READABLE_TEXT_PX` pixels high. A bigger diagram is fitted by
the width of as many columns as can be read (aim, primary drivers, …), level with the aim, and
the rest is a scroll away. A project's diagram opens the same way, at no more than 100 %.

Mouse: click and Ctrl+click select, drag on the background selects with a rubber band, drag
a box onto another box to re-parent it (Ctrl: add a link instead; onto a sibling: reorder),
drop it on empty space to pin it there; the middle button or Space+drag pans; Ctrl+wheel zooms.
The view never changes the model: it asks the :class:`DiagramEditor`.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QStyle, QWidget

from qidesk.core.diagram_layout import Direction, neighbour, new_box_slot
from qidesk.core.drivers import NodeKind
from qidesk.ui.diagram.editor import DiagramEditor
from qidesk.ui.diagram.items import SMALL_TEXT_PX, LinkItem, NodeItem
from qidesk.ui.diagram.measure_picker import MeasurePicker, choose_measures
from qidesk.ui.diagram.menus import build_context_menu
from qidesk.ui.diagram.scene import DiagramScene

MIN_ZOOM = 0.1
MAX_ZOOM = 4.0
#: "Fit to window" keeps the smallest text (badges, the key) at least this many pixels high…
READABLE_TEXT_PX = 9.0
#: …so it never zooms out further than this
READABLE_ZOOM = READABLE_TEXT_PX / SMALL_TEXT_PX
#: a small diagram is enlarged by "Fit to window" up to this…
FIT_MAX_ZOOM = 1.25
#: …and shown at no more than 100 % when a project is opened, or when only its first columns fit
OPEN_MAX_ZOOM = 1.0
#: room kept right of the last column fitted (scene units)
_COLUMN_MARGIN = 24.0
#: a drag shorter than this (view pixels) is a click
DRAG_THRESHOLD = 5

_EDITOR_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)

_ARROWS = {
    Qt.Key.Key_Up: Direction.UP,
    Qt.Key.Key_Down: Direction.DOWN,
    Qt.Key.Key_Left: Direction.LEFT,
    Qt.Key.Key_Right: Direction.RIGHT,
}


class DiagramView(QGraphicsView):
    """Shows a :class:`DiagramScene` and turns gestures into editor requests.

    Signals:
        current_changed(str): the keyboard cursor moved to this box ("" for none).
    """

    current_changed = Signal(str)
    #: the zoom factor changed (1.0 = 100 %)
    zoom_changed = Signal(float)

    def __init__(
        self, scene: DiagramScene, editor: DiagramEditor, parent: QWidget | None = None
    ) -> None:
        super().__init__(scene, parent)
        self.diagram_scene = scene
        self.editor = editor
        self.current: str | None = None
        self.link_source: str | None = None
        self.link_target: str | None = None
        self._pan_from: QPoint | None = None
        self._space_down = False
        self._press: QPoint | None = None
        self._start_positions: dict[str, QPointF] = {}
        #: True while the whole diagram is fitted (then a resize fits it again)
        self.fitted_whole = False
        self._fit_largest = FIT_MAX_ZOOM
        #: the measure picker last opened with M (``None`` before)
        self.measure_picker: MeasurePicker | None = None
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Driver diagram canvas")
        self.viewport().setAccessibleName("Driver diagram drawing")
        self.setAccessibleDescription(
            "Arrow keys move between boxes; Tab adds a child, Enter a sibling, F2 edits, "
            "Delete deletes, L links, S changes link strength, M links measures. The outline "
            "beside it offers the same editing as a tree."
        )
        scene.selectionChanged.connect(self._selection_changed)

    # ------------------------------------------------------------------ zoom and pan
    @property
    def zoom(self) -> float:
        """The current zoom factor (1.0 = 100 %)."""
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, within 10 % and 400 %."""
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom * factor))
        self.fitted_whole = False
        if target != self.zoom:
            self.scale(target / self.zoom, target / self.zoom)
            self.zoom_changed.emit(self.zoom)

    def _set_zoom(self, zoom: float) -> None:
        if zoom != self.zoom:
            self.setTransform(QTransform.fromScale(zoom, zoom))
            self.zoom_changed.emit(self.zoom)

    def fit(self, *, largest: float = FIT_MAX_ZOOM) -> None:
        """Fit the diagram to the window, never below :data:`READABLE_ZOOM` (see the module doc).

        The whole diagram when it can be read that way (enlarged up to ``largest``); otherwise
        the width of as many leading columns as can be read, at no more than 100 %, scrolled to
        the left edge and level with the aim.
        """
        scene = self.diagram_scene
        if scene.drawing_rect().isEmpty():
            return
        rect = scene.sceneRect()  # the drawing and its margin
        room = self.maximumViewportSize()  # the viewport without scroll bars
        width, height = room.width() - 4, room.height() - 4
        if width <= 0 or height <= 0:
            return
        whole = min(width / rect.width(), height / rect.height())
        if whole >= READABLE_ZOOM:
            self._set_zoom(min(whole, largest))
            self.centerOn(rect.center())
            self.fitted_whole = True
            self._fit_largest = largest
            return
        self.fitted_whole = False
        width -= self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        zoom = READABLE_ZOOM
        layout = scene.layout
        if layout is not None:
            for column in layout.columns:
                right = column.x + layout.style.box_width + _COLUMN_MARGIN
                fits = width / max(1.0, right - rect.left())
                if fits < READABLE_ZOOM:
                    break
                zoom = fits
        self._set_zoom(min(zoom, largest, OPEN_MAX_ZOOM))
        aim = scene.diagram.aim
        item = scene.nodes.get(aim.id) if aim is not None else None
        level = (item.sceneBoundingRect() if item is not None else rect).center().y()
        self.centerOn(self.mapToScene(self.viewport().rect().center()).x(), level)
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A diagram fitted whole stays fitted whole when the canvas grows or shrinks."""
        super().resizeEvent(event)
        if self.fitted_whole:
            self.fit(largest=self._fit_largest)

    def show_node(self, node_id: str) -> None:
        """Scroll so that ``node_id`` is in view."""
        item = self.diagram_scene.nodes.get(node_id)
        if item is not None:
            self.ensureVisible(item, 40, 40)

    def wheelEvent(self, event: QWheelEvent) -> None:
        """Ctrl+wheel zooms; the wheel alone scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)

    # ------------------------------------------------------------------ selection
    def _selection_changed(self) -> None:
        if not shiboken6.isValid(self.diagram_scene):  # the scene is being destroyed
            return
        selected = self.diagram_scene.selected_node_ids()
        if len(selected) == 1 and selected[0] != self.current:
            self.set_current(selected[0], select=False)

    def set_current(self, node_id: str | None, select: bool = True) -> None:
        """Move the keyboard cursor to ``node_id`` (and select it alone)."""
        self.current = node_id
        if select:
            self.diagram_scene.select_nodes([node_id] if node_id else [])
        if node_id:
            self.show_node(node_id)
        self.current_changed.emit(node_id or "")

    def _current_or_default(self) -> str | None:
        diagram = self.diagram_scene.diagram
        if self.current and self.current in diagram:
            return self.current
        selected = self.diagram_scene.selected_node_ids()
        if selected:
            return selected[0]
        aim = diagram.aim
        return aim.id if aim else None

    # ------------------------------------------------------------------ keyboard
    def event(self, event: QEvent) -> bool:
        """Keep Tab for "add child" instead of moving the focus away."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
        ):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Every keyboard edit of the diagram (see the module docstring)."""
        editor = self.diagram_scene.editor
        if editor is not None:
            if event.key() in _EDITOR_KEYS:  # straight to the editor: the scene eats Tab
                editor.keyPressEvent(event)
                return
            super().keyPressEvent(event)
            return
        if self.link_source is not None:
            self._link_mode_key(event)
            return
        if self._handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ctrl = mods == Qt.KeyboardModifier.ControlModifier
        if ctrl and key in (Qt.Key.Key_Equal, Qt.Key.Key_Plus):
            self.zoom_by(1.25)
            return True
        if ctrl and key == Qt.Key.Key_Minus:
            self.zoom_by(0.8)
            return True
        if ctrl and key == Qt.Key.Key_0:
            self.fit()
            return True
        if key == Qt.Key.Key_Space and mods == Qt.KeyboardModifier.NoModifier:
            self._space_down = not event.isAutoRepeat() or self._space_down
            return True
        if mods not in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier) and not (
            mods == Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down)
        ):
            return False
        current = self._current_or_default()
        if key in _ARROWS and mods == Qt.KeyboardModifier.AltModifier:
            if current:
                self.editor.reorder(current, -1 if key == Qt.Key.Key_Up else 1)
            return True
        if key in _ARROWS:
            self._navigate(_ARROWS[Qt.Key(key)])
            return True
        if current is None:
            return False
        if key == Qt.Key.Key_Tab:
            self.begin_add_child(current)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.begin_add_sibling(current)
        elif key == Qt.Key.Key_F2:
            self.begin_edit(current)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.editor.delete(self.diagram_scene.selected_node_ids() or [current])
        elif key == Qt.Key.Key_L and mods == Qt.KeyboardModifier.NoModifier:
            self.start_link_mode(current)
        elif key == Qt.Key.Key_M and mods == Qt.KeyboardModifier.NoModifier:
            self.choose_measures(current)
        elif key == Qt.Key.Key_S and mods == Qt.KeyboardModifier.NoModifier:
            self.editor.toggle_strength(
                self.diagram_scene.selected_link_ids(),
                self.diagram_scene.selected_node_ids() or [current],
            )
        elif key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier
        ):
            self._menu_for_node(current)
        elif key == Qt.Key.Key_Escape:
            self.diagram_scene.clearSelection()
            self.editor.message.emit("")
        elif event.text() and event.text().isprintable() and not event.text().isspace():
            self.begin_edit(current, replace_with=event.text())
        else:
            return False
        return True

    def _navigate(self, direction: Direction) -> None:
        layout = self.diagram_scene.layout
        start = self._current_or_default()
        if layout is None or start is None:
            return
        if self.current is None or self.current not in self.diagram_scene.diagram:
            self.set_current(start)
            return
        target = neighbour(self.diagram_scene.diagram, layout, start, direction)
        if target is not None:
            self.set_current(target)

    # ------------------------------------------------------------------ in-place editing
    def begin_add_child(self, parent_id: str, kind: NodeKind | None = None) -> None:
        """Open an editor for a new child of ``parent_id`` (refusals show a message)."""
        kind = self.editor.child_kind(parent_id, kind)
        if kind is not None:
            self._open_new(parent_id, kind, None)

    def begin_add_sibling(self, node_id: str) -> None:
        """Open an editor for a new sibling just below ``node_id``."""
        parent_id = self.editor.sibling_parent(node_id)
        if parent_id is not None:
            kind = self.diagram_scene.diagram.node(node_id).kind
            self._open_new(parent_id, kind, node_id)

    def _open_new(self, parent_id: str, kind: NodeKind, after_id: str | None) -> None:
        layout = self.diagram_scene.layout
        if layout is None:
            return
        slot = new_box_slot(self.diagram_scene.diagram, layout, kind, parent_id, after_id)
        editor = self.diagram_scene.open_editor(slot, "", kind)
        self.ensureVisible(editor, 40, 40)
        self.editor.message.emit(
            f"New {kind.label.lower()}: type its text, Enter to add it, Esc to cancel."
        )

        def commit(text: str, how: Qt.Key) -> None:
            new_id = self.editor.add_child(parent_id, text, kind, after_id)
            if new_id is None:
                return
            self._close_editor()
            self.set_current(new_id)
            if how == Qt.Key.Key_Tab:
                self.begin_add_child(new_id)

        editor.on_commit = commit
        editor.on_cancel = self._cancel_editor

    def begin_edit(self, node_id: str, replace_with: str | None = None) -> None:
        """Edit a box's text in place (the aim box: the aim's *what*)."""
        box = self.diagram_scene.box_of(node_id)
        if box is None:
            return
        node = self.diagram_scene.diagram.node(node_id)
        start = replace_with if replace_with is not None else self.editor.text_for_editing(node_id)
        editor = self.diagram_scene.open_editor(box, start, node.kind)
        if replace_with is None:
            editor.select_all()
        else:
            cursor = editor.textCursor()
            cursor.movePosition(cursor.MoveOperation.End)
            editor.setTextCursor(cursor)
        if node.kind is NodeKind.AIM:
            self.editor.message.emit(
                "Editing the aim: say what will improve (“Improve …”). The other parts of the "
                "aim are on the charter."
            )

        def commit(text: str, how: Qt.Key) -> None:
            if not self.editor.edit_text(node_id, text):
                return
            self._close_editor()
            self.set_current(node_id)
            if how == Qt.Key.Key_Tab:
                self.begin_add_child(node_id)

        editor.on_commit = commit
        editor.on_cancel = self._cancel_editor

    def _close_editor(self) -> None:
        self.diagram_scene.close_editor()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cancel_editor(self) -> None:
        self._close_editor()
        self.editor.message.emit("")

    def choose_measures(self, node_id: str) -> MeasurePicker | None:
        """Open the measure picker for ``node_id`` (a message instead when there are none)."""
        self.measure_picker = choose_measures(self, self.editor, node_id)
        return self.measure_picker

    # ------------------------------------------------------------------ link mode
    def start_link_mode(self, source_id: str) -> None:
        """Choose another box (arrows, then Enter, or a click) to link or unlink it."""
        self.link_source = source_id
        self.link_target = source_id
        self.diagram_scene.set_link_target(None)
        self.editor.message.emit(
            f"Link “{self.editor.label(source_id)[:40]}”: move to another box with the arrow "
            "keys and press Enter (or click it) to link or unlink. Esc cancels."
        )

    def _link_mode_key(self, event: QKeyEvent) -> None:
        key = event.key()
        layout = self.diagram_scene.layout
        event.accept()
        if key in _ARROWS and layout is not None and self.link_target is not None:
            target = neighbour(
                self.diagram_scene.diagram, layout, self.link_target, _ARROWS[Qt.Key(key)]
            )
            if target is None and key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
                target = self._nearest_in_next_column(self.link_target, key == Qt.Key.Key_Right)
            if target is not None:
                self.link_target = target
                self.diagram_scene.set_link_target(target if target != self.link_source else None)
                self.show_node(target)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.finish_link(self.link_target)
        elif key in (Qt.Key.Key_Escape, Qt.Key.Key_L):
            self.cancel_link_mode()

    def _nearest_in_next_column(self, node_id: str, rightwards: bool) -> str | None:
        """In link mode, left/right may reach boxes that are not linked yet."""
        layout = self.diagram_scene.layout
        if layout is None:
            return None
        kinds = [c.kind for c in layout.columns]
        kind = self.diagram_scene.diagram.node(node_id).kind
        index = kinds.index(kind) + (1 if rightwards else -1)
        while 0 <= index < len(kinds):
            column = layout.column_order.get(kinds[index], ())
            if column:
                y = layout.boxes[node_id].centre_y
                return min(column, key=lambda n: abs(layout.boxes[n].centre_y - y))
            index += 1 if rightwards else -1
        return None

    def finish_link(self, target_id: str | None) -> None:
        """Link (or unlink) the link-mode source with ``target_id`` and leave link mode."""
        source = self.link_source
        self.cancel_link_mode(clear_message=False)
        if source is None or target_id is None or target_id == source:
            self.editor.message.emit("")
            return
        self.editor.toggle_link(source, target_id)
        self.set_current(target_id)

    def cancel_link_mode(self, clear_message: bool = True) -> None:
        """Leave link mode without linking."""
        self.link_source = None
        self.link_target = None
        self.diagram_scene.set_link_target(None)
        if clear_message:
            self.editor.message.emit("")

    # ------------------------------------------------------------------ mouse
    def _node_at(self, pos: QPoint, exclude: set[str] | None = None) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem) and (exclude is None or item.node_id not in exclude):
                return item
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Middle button (or Space+left) pans; a click in link mode picks the target."""
        pos = event.position().toPoint()
        if event.button() == Qt.MouseButton.MiddleButton or (
            self._space_down and event.button() == Qt.MouseButton.LeftButton
        ):
            self._pan_from = pos
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if self.link_source is not None and event.button() == Qt.MouseButton.LeftButton:
            item = self._node_at(pos)
            self.finish_link(item.node_id if item else None)
            event.accept()
            return
        if self.diagram_scene.editor is not None and not self.diagram_scene.editor.isUnderMouse():
            self._cancel_editor()
        self._press = pos
        super().mousePressEvent(event)
        self._start_positions = {
            item.node_id: item.pos()
            for item in self.diagram_scene.selectedItems()
            if isinstance(item, NodeItem)
        }

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Pan while the pan button is held."""
        if self._pan_from is not None:
            pos = event.position().toPoint()
            delta = pos - self._pan_from
            self._pan_from = pos
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)
        if self._start_positions and event.buttons() & Qt.MouseButton.LeftButton:
            for node_id in self._start_positions:  # keep the connectors attached while dragging
                self.diagram_scene.box_moved(node_id)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Finish a pan, or turn a drag of boxes into a re-parent, reorder, link or pin."""
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        press, self._press = self._press, None
        starts, self._start_positions = self._start_positions, {}
        pos = event.position().toPoint()
        if press is None or (pos - press).manhattanLength() < DRAG_THRESHOLD:
            return
        moved = [
            node_id
            for node_id, start in starts.items()
            if node_id in self.diagram_scene.nodes
            and self.diagram_scene.nodes[node_id].pos() != start
        ]
        if moved and not self._dropped(moved, pos, event.modifiers()):
            self.diagram_scene.restore_positions()

    def _dropped(self, moved: list[str], pos: QPoint, mods: Qt.KeyboardModifier) -> bool:
        target = self._node_at(pos, exclude=set(moved))
        diagram = self.diagram_scene.diagram
        if target is None:
            return self.editor.pin(
                {
                    n: (self.diagram_scene.nodes[n].x(), self.diagram_scene.nodes[n].y())
                    for n in moved
                }
            )
        add_link = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if len(moved) == 1 and not add_link:
            node_id = moved[0]
            siblings = {s.id for s in diagram.siblings(target.node_id)}
            if node_id in siblings:
                below = self.mapToScene(pos).y() > target.box().centre_y
                return self.editor.place_before(node_id, target.node_id, after=below)
        return self.editor.drop(moved, target.node_id, add_link)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Double-click a box to edit its text."""
        item = self._node_at(event.position().toPoint())
        if item is not None and event.button() == Qt.MouseButton.LeftButton:
            self.set_current(item.node_id)
            self.begin_edit(item.node_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        """Track Space for Space+drag panning."""
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
        super().keyReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """The menu of the box or link under the mouse, or of the canvas."""
        pos = event.pos()
        node = self._node_at(pos)
        link = next((i for i in self.items(pos) if isinstance(i, LinkItem)), None)
        if node is not None and not node.isSelected():
            self.set_current(node.node_id)
        elif link is not None and node is None and not link.isSelected():
            self.diagram_scene.clearSelection()
            link.setSelected(True)
        menu = build_context_menu(
            self, node.node_id if node else None, link.link.id if (link and not node) else None
        )
        menu.exec(event.globalPos())

    def _menu_for_node(self, node_id: str) -> None:
        item = self.diagram_scene.nodes.get(node_id)
        if item is None:
            return
        centre = self.mapFromScene(item.sceneBoundingRect().center())
        menu = build_context_menu(self, node_id, None)
        menu.exec(self.viewport().mapToGlobal(centre))
