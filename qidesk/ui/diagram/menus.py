"""Context menus of the diagram canvas (boxes, links, the background).

Each entry asks the :class:`~qidesk.ui.diagram.editor.DiagramEditor` or the view; the key
shown after a tab is the keyboard way to do the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu

from qidesk.core.drivers import DEFAULT_CHILD, IdeaStatus, NodeKind, Strength, allowed_child_kinds
from qidesk.ui.diagram.commands import short

if TYPE_CHECKING:
    from qidesk.ui.diagram.view import DiagramView


def build_context_menu(view: DiagramView, node_id: str | None, link_id: str | None) -> QMenu:
    """The menu for a box, a link, or (both ``None``) the canvas."""
    menu = QMenu(view)
    if node_id is not None and node_id in view.diagram_scene.diagram:
        _node_entries(menu, view, node_id)
    elif link_id is not None:
        _link_entries(menu, view, link_id)
    else:
        menu.addAction("Fit to window\tCtrl+0", view.fit)
        menu.addAction("Zoom in\tCtrl+=", lambda: view.zoom_by(1.25))
        menu.addAction("Zoom out\tCtrl+-", lambda: view.zoom_by(0.8))
    return menu


def _node_entries(menu: QMenu, view: DiagramView, node_id: str) -> None:
    editor = view.editor
    diagram = view.diagram_scene.diagram
    node = diagram.node(node_id)
    selected = view.diagram_scene.selected_node_ids() or [node_id]
    menu.addAction("Edit text\tF2", lambda: view.begin_edit(node_id))
    for kind in allowed_child_kinds(node.kind):
        key = "\tTab" if DEFAULT_CHILD[node.kind] is kind else ""
        menu.addAction(
            f"Add {kind.label.lower()} below{key}",
            lambda k=kind: view.begin_add_child(node_id, k),
        )
    if node.kind is not NodeKind.AIM:
        menu.addAction("Add sibling\tEnter", lambda: view.begin_add_sibling(node_id))
    menu.addSeparator()
    if node.kind is not NodeKind.AIM:
        menu.addAction("Link to or unlink from…\tL", lambda: view.start_link_mode(node_id))
    parents = diagram.parents(node_id)
    if parents:
        menu.addAction(
            "Toggle strength of the link above\tS",
            lambda: editor.toggle_strength([], selected),
        )
    if len(parents) > 1:
        unlink = menu.addMenu("Remove link to")
        for parent in parents:
            unlink.addAction(
                short(editor.label(parent.id), 48),
                lambda p=parent.id: editor.unlink(p, node_id),
            )
    _measure_entries(menu, view, node_id)
    if node.kind is NodeKind.CHANGE_IDEA:
        status_menu = menu.addMenu("Status")
        group = QActionGroup(status_menu)
        for status in IdeaStatus:
            action = QAction(status.label, status_menu)
            action.setCheckable(True)
            action.setChecked(node.status is status)
            action.triggered.connect(lambda _=False, s=status: editor.set_status(selected, s))
            group.addAction(action)
            status_menu.addAction(action)
    menu.addAction("Category…", lambda: _ask_category(view, selected, node.category))
    if node.kind is not NodeKind.AIM:
        menu.addSeparator()
        menu.addAction("Move up\tAlt+Up", lambda: editor.reorder(node_id, -1))
        menu.addAction("Move down\tAlt+Down", lambda: editor.reorder(node_id, 1))
    if any(diagram.node(n).pinned_at is not None for n in selected if n in diagram):
        menu.addAction("Unpin (automatic layout)", lambda: editor.pin(dict.fromkeys(selected)))
    if node.kind is not NodeKind.AIM:
        menu.addSeparator()
        menu.addAction("Delete\tDelete", lambda: editor.delete(selected))


def _measure_entries(menu: QMenu, view: DiagramView, node_id: str) -> None:
    """The "Measures" submenu: the project's measures (ticked when linked) and "Choose…"."""
    editor = view.editor
    linked = set(view.diagram_scene.diagram.measure_ids_of(node_id))
    count = len(linked)
    sub = menu.addMenu(f"Measures ({count})" if count else "Measures")
    if not editor.measures:
        empty = sub.addAction("No measures in this project yet")
        empty.setEnabled(False)
        return
    for measure in editor.measures:
        action = QAction(short(measure.name, 60), sub)
        action.setCheckable(True)
        action.setChecked(measure.id in linked)
        action.triggered.connect(lambda _=False, m=measure.id: editor.toggle_measure(node_id, m))
        sub.addAction(action)
    sub.addSeparator()
    sub.addAction("Choose measures…\tM", lambda: view.choose_measures(node_id))


def _link_entries(menu: QMenu, view: DiagramView, link_id: str) -> None:
    editor = view.editor
    link = view.diagram_scene.diagram.link(link_id)
    group = QActionGroup(menu)
    for strength in Strength:
        action = QAction(f"{strength.label} link", menu)
        action.setCheckable(True)
        action.setChecked(link.strength is strength)
        if link.strength is not strength:
            action.triggered.connect(lambda: editor.toggle_strength([link_id]))
        group.addAction(action)
        menu.addAction(action)
    menu.addSeparator()
    menu.addAction("Remove link", lambda: editor.unlink(link.from_id, link.to_id))


def _ask_category(view: DiagramView, node_ids: list[str], current: str) -> None:
    text, ok = QInputDialog.getText(
        view,
        "Category",
        "Category of the selected boxes (shown as a coloured stripe; leave empty for none):",
        QLineEdit.EchoMode.Normal,
        current,
    )
    if ok:
        view.editor.set_category(node_ids, text)
