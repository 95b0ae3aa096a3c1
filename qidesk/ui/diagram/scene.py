"""The diagram scene: draws a driver diagram and its layout; never edited directly.

:meth:`DiagramScene.show_diagram` is called with the model each time it changes (the panel
calls it after a broadcast ``Changes``), with the names of the measures linked to each box and
each change idea's PDSA testing. Items are kept by record id and updated in place, so
selection survives a redraw and a small change repaints only what moved.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, QRectF
from PySide6.QtGui import QColor, QTextLayout
from PySide6.QtWidgets import QGraphicsScene

from qidesk.core.diagram_layout import (
    Box,
    DiagramLayout,
    LayoutStyle,
    layout_diagram,
    legend_slot,
)
from qidesk.core.drivers import DriverDiagram, DriverNode, IdeaStatus, IdeaTesting, NodeKind
from qidesk.ui.diagram.items import (
    ColumnTitle,
    InlineEditor,
    LegendItem,
    LinkItem,
    NodeItem,
    TextMeasurer,
    category_colours,
    footer_lines,
    is_bold,
    line_height,
)

#: shown in the aim box while the project's aim has no "what" yet
AIM_PLACEHOLDER = "Write the aim: what will improve? (F2)"

#: extra room round the drawing, in scene units
MARGIN = 40.0


def diagram_style() -> LayoutStyle:
    """The layout sizes that match the box font."""
    return LayoutStyle(box_width=210.0, line_height=line_height(), padding=9.0)


class DiagramScene(QGraphicsScene):
    """Boxes, connectors, column titles and a legend for one diagram."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.layout_style = diagram_style()
        self.measurer = TextMeasurer(self.layout_style)
        self.diagram = DriverDiagram("")
        self.layout: DiagramLayout | None = None
        self.aim_text = ""
        self.measure_names: Mapping[str, tuple[str, ...]] = {}
        self.testing: Mapping[str, IdeaTesting] = {}
        self._measure_counts: dict[str, int] = {}
        self.nodes: dict[str, NodeItem] = {}
        self.links: dict[str, LinkItem] = {}
        self.titles: dict[NodeKind, ColumnTitle] = {}
        self.legend = LegendItem()
        self.addItem(self.legend)
        self.editor: InlineEditor | None = None
        self.setBackgroundBrush(QColor("#ffffff"))

    # ------------------------------------------------------------------ drawing
    def text_of(self, node: DriverNode) -> str:
        """What a box shows (the aim box shows the project's aim statement)."""
        if node.kind is NodeKind.AIM:
            return self.aim_text or AIM_PLACEHOLDER
        return node.text

    def _wrapped(self, node: DriverNode) -> QTextLayout:
        placeholder = node.kind is NodeKind.AIM and not self.aim_text
        return self.measurer.layout(self.text_of(node), is_bold(node.kind), placeholder)

    def line_count(self, node: DriverNode) -> int:
        """Wrapped lines of a box, plus its status line (change ideas) and measure line."""
        lines = max(1, self._wrapped(node).lineCount())
        return lines + footer_lines(node, self._measure_counts.get(node.id, 0))

    def show_diagram(
        self,
        diagram: DriverDiagram,
        aim_text: str,
        measure_names: Mapping[str, tuple[str, ...]] | None = None,
        testing: Mapping[str, IdeaTesting] | None = None,
    ) -> DiagramLayout:
        """Draw ``diagram`` (laid out afresh); return the layout used.

        ``measure_names`` maps a box id to the names of its linked measures (tooltips; the
        count drawn comes from the diagram's measure links), ``testing`` a change idea id to
        its PDSA testing.
        """
        self.diagram = diagram
        self.aim_text = aim_text
        self.measure_names = measure_names or {}
        self.testing = testing or {}
        self._measure_counts = diagram.measure_counts()
        layout = layout_diagram(diagram, self.line_count, self.layout_style)
        self.layout = layout
        colours = category_colours(n.category for n in diagram.nodes)
        for node in diagram.nodes:
            item = self.nodes.get(node.id)
            if item is None:
                item = NodeItem(node.id, self.layout_style)
                self.nodes[node.id] = item
                self.addItem(item)
            item.show_node(
                node,
                self.text_of(node),
                self._wrapped(node),
                layout.boxes[node.id],
                colours.get(node.category),
                self.measure_names.get(node.id, ()),
                self._measure_counts.get(node.id, 0),
                self.testing.get(node.id),
            )
        for stale in set(self.nodes) - {n.id for n in diagram.nodes}:
            self.removeItem(self.nodes.pop(stale))
        for link in diagram.links:
            link_item = self.links.get(link.id)
            if link_item is None:
                link_item = LinkItem(link)
                self.links[link.id] = link_item
                self.addItem(link_item)
            else:
                link_item.set_link(link)
            link_item.route(layout.boxes[link.from_id], layout.boxes[link.to_id])
        for stale in set(self.links) - {lk.id for lk in diagram.links}:
            self.removeItem(self.links.pop(stale))
        self._show_titles(layout)
        statuses = sorted(
            {n.status for n in diagram.nodes if n.status is not None},
            key=lambda s: list(IdeaStatus).index(s),
        )
        ideas = {n.id for n in diagram.nodes if n.kind is NodeKind.CHANGE_IDEA}
        self.legend.set_content(
            [c.kind for c in layout.columns],
            colours,
            statuses,
            measures=bool(self._measure_counts),
            tested=any(t.badge for i, t in self.testing.items() if i in ideas),
        )
        self.legend.setPos(*legend_slot(layout))
        self.setSceneRect(self.drawing_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN))
        return layout

    def _show_titles(self, layout: DiagramLayout) -> None:
        for column in layout.columns:
            title = self.titles.get(column.kind)
            if title is None:
                title = ColumnTitle(column.title)
                self.titles[column.kind] = title
                self.addItem(title)
            title.setPos(column.x, layout.bounds.y)
        for kind in set(self.titles) - {c.kind for c in layout.columns}:
            self.removeItem(self.titles.pop(kind))

    def drawing_rect(self) -> QRectF:
        """Everything drawn: boxes, links, titles and the legend (no margin)."""
        rect = QRectF()
        for item in self.items():
            if item is not self.editor and item.isVisible():
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def box_moved(self, node_id: str) -> None:
        """Re-route the connectors of a box being dragged."""
        for link_item in self.links.values():
            link = link_item.link
            if node_id in (link.from_id, link.to_id):
                parent = self.nodes.get(link.from_id)
                child = self.nodes.get(link.to_id)
                if parent is not None and child is not None:
                    link_item.route(parent.box(), child.box())

    def restore_positions(self) -> None:
        """Put every box back where the layout placed it (after a refused drag)."""
        if self.layout is None:
            return
        for node_id, item in self.nodes.items():
            box = self.layout.boxes.get(node_id)
            if box is not None and (item.x(), item.y()) != (box.x, box.y):
                item.setPos(box.x, box.y)
                self.box_moved(node_id)

    # ------------------------------------------------------------------ selection
    def selected_node_ids(self) -> list[str]:
        """Ids of the selected boxes, top-left first."""
        items = [i for i in self.selectedItems() if isinstance(i, NodeItem)]
        items.sort(key=lambda i: (i.x(), i.y()))
        return [i.node_id for i in items]

    def selected_link_ids(self) -> list[str]:
        """Ids of the selected links."""
        return [i.link.id for i in self.selectedItems() if isinstance(i, LinkItem)]

    def select_nodes(self, node_ids: list[str]) -> None:
        """Select exactly these boxes."""
        wanted = set(node_ids)
        for item in self.selectedItems():
            if not (isinstance(item, NodeItem) and item.node_id in wanted):
                item.setSelected(False)
        for node_id in node_ids:
            node_item = self.nodes.get(node_id)
            if node_item is not None and not node_item.isSelected():
                node_item.setSelected(True)

    def set_link_target(self, node_id: str | None) -> None:
        """Outline ``node_id`` as the box a link will go to (``None``: no target)."""
        for item in self.nodes.values():
            target = item.node_id == node_id
            if item.link_target != target:
                item.link_target = target
                item.update()

    def box_of(self, node_id: str) -> Box | None:
        """Where a box is drawn."""
        node_item = self.nodes.get(node_id)
        return node_item.box() if node_item is not None else None

    # ------------------------------------------------------------------ editing
    def open_editor(self, box: Box, text: str, kind: NodeKind) -> InlineEditor:
        """Show a text editor over ``box`` (closing any other)."""
        self.close_editor()
        editor = InlineEditor(box, self.layout_style, text, kind)
        self.editor = editor
        self.addItem(editor)
        editor.setFocus()
        return editor

    def close_editor(self) -> None:
        """Remove the text editor, if one is open."""
        if self.editor is not None:
            editor, self.editor = self.editor, None
            editor.clearFocus()
            self.removeItem(editor)
