"""Tidy layout of a driver diagram in columns (plain numbers, no Qt).

Columns run left to right: Aim | Primary drivers | Secondary drivers | (Tertiary drivers, only
when there are any) | Change ideas. Boxes have a fixed width; their heights come from the
number of wrapped text lines, which the caller measures (it knows the font).

How the layout is made
----------------------
1. **Order** (crossing reduction). Primary drivers keep the order the team gave them. Each
   later column is ordered by the *barycentre* of each box's parents (the mean of the parents'
   vertical positions, as a fraction of their column), ties broken by the team's order. Boxes
   with one parent therefore stay together under it in the team's order, and a box with
   several parents sits between them. After a first placement the barycentres are recomputed
   from the real positions and the columns re-sorted (a few sweeps, until nothing moves).
2. **Spanning tree.** Each box is placed under one parent: the one nearest its barycentre.
   Its other links are drawn but do not reserve space.
3. **Placement** (a column-contour tidy tree, after Reingold and Tilford). Sibling subtrees are
   stacked top to bottom, each pushed down only as far as needed so that, in every column
   they share, it clears the one above by a gap. A parent is centred on its first and last
   child. Subtrees of different primary drivers are separated by a larger gap.
4. **Pinned boxes** keep the position the user gave them and reserve no space in step 3;
   afterwards any automatic box that would overlap a pinned one is pushed down its column
   (with the boxes below it). Two pinned boxes may overlap if the user put them so.

The result is a :class:`DiagramLayout`: a :class:`Box` per node, the columns and the bounds.
Connector curves and keyboard navigation (:func:`neighbour`) are computed here too, so the
widgets do no arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from qidesk.core.drivers import DriverDiagram, DriverNode, NodeKind

Point = tuple[float, float]


@dataclass(frozen=True)
class LayoutStyle:
    """Sizes in scene units (1 unit = 1 pixel at 100 % zoom)."""

    box_width: float = 200.0
    line_height: float = 17.0
    padding: float = 9.0
    column_gap: float = 72.0
    row_gap: float = 12.0
    group_gap: float = 30.0
    header_height: float = 36.0
    min_lines: int = 1

    def height_for(self, lines: int) -> float:
        """The height of a box holding ``lines`` lines of text."""
        return 2 * self.padding + max(self.min_lines, lines) * self.line_height


@dataclass(frozen=True)
class Box:
    """A rectangle: top-left corner, width and height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        """The x of the right edge."""
        return self.x + self.width

    @property
    def bottom(self) -> float:
        """The y of the bottom edge."""
        return self.y + self.height

    @property
    def centre_y(self) -> float:
        """The y of the middle."""
        return self.y + self.height / 2

    @property
    def centre(self) -> Point:
        """The middle point."""
        return (self.x + self.width / 2, self.centre_y)

    def overlaps(self, other: Box, margin: float = 0.0) -> bool:
        """True when the two boxes share area (``margin`` widens this box on every side)."""
        return (
            self.x - margin < other.right
            and other.x < self.right + margin
            and self.y - margin < other.bottom
            and other.y < self.bottom + margin
        )

    def moved_to(self, x: float, y: float) -> Box:
        """The same box with its top-left corner at ``(x, y)``."""
        return Box(x, y, self.width, self.height)


@dataclass(frozen=True)
class Column:
    """A column of the diagram: the kind of box in it, its left edge and its title."""

    kind: NodeKind
    x: float
    title: str


@dataclass(frozen=True)
class DiagramLayout:
    """Where every box goes, the columns and the bounds of the whole drawing."""

    boxes: Mapping[str, Box]
    columns: tuple[Column, ...]
    #: node ids of each column, top to bottom
    column_order: Mapping[NodeKind, tuple[str, ...]]
    bounds: Box
    style: LayoutStyle = field(default_factory=LayoutStyle)

    def column_of(self, kind: NodeKind) -> Column:
        """The column holding boxes of ``kind`` (computed when the diagram has none yet)."""
        for column in self.columns:
            if column.kind is kind:
                return column
        kinds = sorted({c.kind for c in self.columns} | {kind}, key=lambda k: k.rank)
        return Column(kind, _column_x(kinds.index(kind), self.style), kind.plural)


def _column_x(index: int, style: LayoutStyle) -> float:
    return index * (style.box_width + style.column_gap)


def _column_kinds(diagram: DriverDiagram) -> list[NodeKind]:
    kinds = [NodeKind.AIM, NodeKind.PRIMARY, NodeKind.SECONDARY]
    if any(n.kind is NodeKind.TERTIARY for n in diagram.nodes):
        kinds.append(NodeKind.TERTIARY)
    kinds.append(NodeKind.CHANGE_IDEA)
    return kinds


@dataclass
class _Graph:
    """The diagram reduced to what the layout needs, computed once per layout."""

    kinds: list[NodeKind]
    col: dict[str, int]
    kind: dict[str, NodeKind]
    parents: dict[str, list[str]]
    team_order: dict[NodeKind, list[DriverNode]]
    heights: dict[str, float]
    pinned: set[str]

    @classmethod
    def of(cls, diagram: DriverDiagram, heights: dict[str, float]) -> _Graph:
        kinds = _column_kinds(diagram)
        index = {k: i for i, k in enumerate(kinds)}
        return cls(
            kinds=kinds,
            col={n.id: index[n.kind] for n in diagram.nodes},
            kind={n.id: n.kind for n in diagram.nodes},
            parents={n.id: [p.id for p in diagram.parents(n.id)] for n in diagram.nodes},
            team_order={k: diagram.of_kind(k) for k in kinds},
            heights=heights,
            pinned={n.id for n in diagram.nodes if n.pinned_at is not None},
        )

    def own_height(self, nid: str) -> float:
        """The space a box takes in automatic placement (none when pinned)."""
        return 0.0 if nid in self.pinned else self.heights[nid]


def layout_diagram(
    diagram: DriverDiagram,
    line_count: Callable[[DriverNode], int],
    style: LayoutStyle | None = None,
    sweeps: int = 3,
) -> DiagramLayout:
    """Lay ``diagram`` out in columns; ``line_count(node)`` gives each box's wrapped lines."""
    style = style or LayoutStyle()
    graph = _Graph.of(diagram, {n.id: style.height_for(line_count(n)) for n in diagram.nodes})
    kinds = graph.kinds

    # first order: barycentres of normalised ranks; then re-sort on real positions
    order = _order_columns(graph, None)
    ys = _place(graph, order, style)
    for _ in range(max(0, sweeps - 1)):
        centres = {nid: y + graph.heights[nid] / 2 for nid, y in ys.items()}
        new_order = _order_columns(graph, centres)
        if new_order == order:
            break
        order = new_order
        ys = _place(graph, order, style)

    boxes: dict[str, Box] = {}
    for i, kind in enumerate(kinds):
        x = _column_x(i, style)
        for nid in order[kind]:
            boxes[nid] = Box(x, ys[nid], style.box_width, graph.heights[nid])
    for node in diagram.nodes:
        if node.pinned_at is not None:
            x, y = node.pinned_at
            boxes[node.id] = Box(x, y, style.box_width, graph.heights[node.id])
    _clear_pinned(boxes, order, kinds, graph.pinned, style)

    columns = tuple(Column(k, _column_x(i, style), k.plural) for i, k in enumerate(kinds))
    return DiagramLayout(
        boxes=boxes,
        columns=columns,
        column_order={k: tuple(order[k]) for k in kinds},
        bounds=_bounds(boxes.values(), columns, style),
        style=style,
    )


def _order_columns(graph: _Graph, centres: Mapping[str, float] | None) -> dict[NodeKind, list[str]]:
    """Order each column by the barycentre of its boxes' parents (team order breaks ties).

    Parents' positions are ``centres`` when given, else their rank in their column as a
    fraction (computed column by column, left to right).
    """
    position: dict[str, float] = dict(centres) if centres is not None else {}
    order: dict[NodeKind, list[str]] = {}
    for kind in graph.kinds:
        keyed = []
        for n in graph.team_order[kind]:
            parents = graph.parents[n.id]
            if parents and kind is not NodeKind.PRIMARY:
                bary = sum(position.get(p, 0.5) for p in parents) / len(parents)
                keyed.append(((0, bary, n.order, n.text.casefold(), n.id), n.id))
            else:
                # primaries keep the team's order; boxes with no parent go last
                group = 0 if parents or kind in (NodeKind.AIM, NodeKind.PRIMARY) else 1
                keyed.append(((group, 0.0, n.order, n.text.casefold(), n.id), n.id))
        keyed.sort(key=lambda item: item[0])
        order[kind] = [nid for _, nid in keyed]
        if centres is None:
            count = len(order[kind])
            for i, nid in enumerate(order[kind]):
                position[nid] = (i + 0.5) / count
    return order


def _place(graph: _Graph, order: dict[NodeKind, list[str]], style: LayoutStyle) -> dict[str, float]:
    """The y of every box (automatic placement; pinned boxes take no space)."""
    frac = {nid: (i + 0.5) / len(ids) for ids in order.values() for i, nid in enumerate(ids)}
    # spanning tree: each box under the parent nearest its own place in the order
    tree: dict[str, list[str]] = {nid: [] for nid in graph.col}
    roots: list[str] = []
    for kind in graph.kinds:
        for nid in order[kind]:
            # only parents in earlier columns: damaged data can then never loop
            parents = [p for p in graph.parents[nid] if graph.col[p] < graph.col[nid]]
            if not parents:
                roots.append(nid)
                continue
            here = frac[nid]
            nearest = min(parents, key=lambda p: (abs(frac[p] - here), frac[p]))
            tree[nearest].append(nid)
    for children in tree.values():
        children.sort(key=lambda c: (frac[c], graph.col[c]))

    offset: dict[str, float] = {}  # y of a child's subtree frame within its parent's frame
    tops: dict[str, float] = {}  # y of each subtree's root box within its own frame

    def build(nid: str) -> dict[int, tuple[float, float]]:
        """Place the subtree of ``nid``; return its contour (column -> top, bottom)."""
        own_h = graph.own_height(nid)
        kids = tree[nid]
        if not kids:
            tops[nid] = 0.0
            return {graph.col[nid]: (0.0, own_h)} if own_h else {}
        gap = style.group_gap if graph.kind[nid] is NodeKind.AIM else style.row_gap
        acc: dict[int, tuple[float, float]] = {}
        centres: list[float] = []
        last_root_top: float | None = None
        for kid in kids:
            contour = build(kid)
            shift = 0.0
            if last_root_top is not None:
                shift = last_root_top + style.row_gap - tops[kid]
                for c, (top, _) in contour.items():
                    if c in acc:
                        shift = max(shift, acc[c][1] + gap - top)
            offset[kid] = shift
            for c, (top, bottom) in contour.items():
                lo, hi = acc.get(c, (top + shift, bottom + shift))
                acc[c] = (min(lo, top + shift), max(hi, bottom + shift))
            centres.append(tops[kid] + shift + graph.own_height(kid) / 2)
            last_root_top = tops[kid] + shift
        top = (centres[0] + centres[-1]) / 2 - own_h / 2
        tops[nid] = top
        if own_h:
            acc[graph.col[nid]] = (top, top + own_h)
        return acc

    ys: dict[str, float] = {}

    def assign(nid: str, frame_y: float) -> None:
        ys[nid] = frame_y + tops[nid]
        for kid in tree[nid]:
            assign(kid, frame_y + offset[kid])

    cursor = 0.0
    for root in roots:
        contour = build(root)
        top = min((t for t, _ in contour.values()), default=tops[root])
        bottom = max((b for _, b in contour.values()), default=tops[root])
        frame = cursor - top
        assign(root, frame)
        cursor = frame + bottom + style.group_gap
    return ys


def _clear_pinned(
    boxes: dict[str, Box],
    order: dict[NodeKind, list[str]],
    kinds: list[NodeKind],
    pinned: set[str],
    style: LayoutStyle,
) -> None:
    """Push automatic boxes down their column until none overlaps a pinned box."""
    if not pinned:
        return
    obstacles = [boxes[p] for p in pinned]
    for kind in kinds:
        cursor = -1e18
        for nid in order[kind]:
            if nid in pinned:
                continue
            box = boxes[nid]
            y = max(box.y, cursor)
            moved = True
            while moved:
                moved = False
                trial = box.moved_to(box.x, y)
                for ob in obstacles:
                    if trial.overlaps(ob, style.row_gap / 2):
                        y = ob.bottom + style.row_gap
                        moved = True
            boxes[nid] = box.moved_to(box.x, y)
            cursor = y + box.height + style.row_gap


def _bounds(boxes: Iterable[Box], columns: tuple[Column, ...], style: LayoutStyle) -> Box:
    all_boxes = list(boxes)
    left = min([b.x for b in all_boxes] + [columns[0].x])
    right = max([b.right for b in all_boxes] + [columns[-1].x + style.box_width])
    top = min([b.y for b in all_boxes] + [0.0]) - style.header_height
    bottom = max([b.bottom for b in all_boxes] + [0.0])
    return Box(left, top, right - left, bottom - top)


# ---------------------------------------------------------------------- geometry helpers


def connector(parent: Box, child: Box) -> tuple[Point, Point, Point, Point]:
    """A cubic Bézier from the right middle of ``parent`` to the left middle of ``child``.

    Returns start, first control point, second control point, end.
    """
    start = (parent.right, parent.centre_y)
    end = (child.x, child.centre_y)
    # a pinned child left of its parent gets a loop out and back in
    bend = max(24.0, (end[0] - start[0]) / 2) if end[0] >= start[0] else 60.0
    return start, (start[0] + bend, start[1]), (end[0] - bend, end[1]), end


def legend_slot(layout: DiagramLayout) -> Point:
    """Where the legend goes: right of the last column, level with the column titles."""
    last = layout.columns[-1] if layout.columns else Column(NodeKind.AIM, 0.0, "")
    right = max(layout.bounds.right, last.x + layout.style.box_width)
    return (right + layout.style.column_gap / 2, layout.bounds.y)


class Direction(StrEnum):
    """Arrow-key directions for moving between boxes."""

    UP = "up"
    DOWN = "down"
    LEFT = "left"
    RIGHT = "right"


def neighbour(
    diagram: DriverDiagram, layout: DiagramLayout, node_id: str, direction: Direction
) -> str | None:
    """The box the arrow key ``direction`` moves to from ``node_id`` (``None``: stay put).

    Up and down move within the column; left goes to the parent nearest in height, right to
    the nearest child.
    """
    if node_id not in layout.boxes:
        return None
    box = layout.boxes[node_id]
    node = diagram.node(node_id)
    if direction in (Direction.UP, Direction.DOWN):
        column = sorted(layout.column_order.get(node.kind, ()), key=lambda nid: layout.boxes[nid].y)
        i = column.index(node_id)
        j = i - 1 if direction is Direction.UP else i + 1
        return column[j] if 0 <= j < len(column) else None
    candidates = (
        diagram.parents(node_id) if direction is Direction.LEFT else (diagram.children(node_id))
    )
    placed = [c.id for c in candidates if c.id in layout.boxes]
    if not placed:
        return None
    return min(placed, key=lambda nid: abs(layout.boxes[nid].centre_y - box.centre_y))


def new_box_slot(
    diagram: DriverDiagram,
    layout: DiagramLayout,
    kind: NodeKind,
    parent_id: str,
    after_id: str | None = None,
) -> Box:
    """Where to show the editor of a box not yet created (one line high).

    A new sibling appears just below ``after_id``; a new child below the parent's last child
    of that kind, or level with the parent when it has none.
    """
    style = layout.style
    height = style.height_for(1)
    x = layout.column_of(kind).x
    if after_id is not None and after_id in layout.boxes:
        ref = layout.boxes[after_id]
        return Box(ref.x, ref.bottom + style.row_gap / 2, style.box_width, height)
    kids = [c.id for c in diagram.children(parent_id) if c.kind is kind and c.id in layout.boxes]
    if kids:
        last = max((layout.boxes[k] for k in kids), key=lambda b: b.bottom)
        return Box(x, last.bottom + style.row_gap / 2, style.box_width, height)
    parent = layout.boxes.get(parent_id)
    y = parent.centre_y - height / 2 if parent else 0.0
    return Box(x, y, style.box_width, height)
