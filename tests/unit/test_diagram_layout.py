"""Layout of a driver diagram: columns, siblings together, few crossings, pins, no overlaps."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.core.diagram_layout import (
    Box,
    Direction,
    LayoutStyle,
    connector,
    layout_diagram,
    legend_slot,
    neighbour,
    new_box_slot,
)
from qidesk.core.drivers import DriverDiagram, DriverLink, DriverNode, NodeKind, aim_node_id

P = "p"
K = NodeKind
STYLE = LayoutStyle()


class Builder:
    def __init__(self) -> None:
        self.nodes = [DriverNode(P, K.AIM, id=aim_node_id(P))]
        self.links: list[DriverLink] = []

    @property
    def aim(self) -> str:
        return self.nodes[0].id

    def add(self, kind, text, *parents, pinned=None):
        node = DriverNode(P, kind, text, order=float(len(self.nodes)), pinned_at=pinned)
        self.nodes.append(node)
        self.links.extend(DriverLink(P, p, node.id) for p in parents)
        return node.id

    def diagram(self):
        return DriverDiagram.build(P, self.nodes, self.links)


def lines(node: DriverNode) -> int:
    return 1 + len(node.text) // 25


def overlapping(boxes: dict[str, Box]) -> list[tuple[str, str]]:
    items = list(boxes.items())
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(items, 2) if ba.overlaps(bb)]


def crossings(d: DriverDiagram, boxes: dict[str, Box]) -> int:
    """Pairs of links between the same two columns whose ends are in opposite orders."""
    by_cols: dict[tuple[NodeKind, NodeKind], list[DriverLink]] = {}
    for lk in d.links:
        by_cols.setdefault((d.node(lk.from_id).kind, d.node(lk.to_id).kind), []).append(lk)
    count = 0
    for links in by_cols.values():
        for a, b in itertools.combinations(links, 2):
            dy_from = boxes[a.from_id].centre_y - boxes[b.from_id].centre_y
            dy_to = boxes[a.to_id].centre_y - boxes[b.to_id].centre_y
            if dy_from * dy_to < 0:
                count += 1
    return count


def random_diagram(seed: int, size: int, shared: float = 0.25, tertiary: bool = False):
    rnd = random.Random(seed)
    b = Builder()
    prims = [b.add(K.PRIMARY, f"Primary {i}", b.aim) for i in range(rnd.randint(2, 5))]
    secs = []
    for p in prims:
        for j in range(rnd.randint(1, 5)):
            extra = [rnd.choice(prims)] if rnd.random() < shared else []
            secs.append(
                b.add(
                    K.SECONDARY,
                    f"Secondary {p[:4]} {j} " * rnd.randint(1, 3),
                    p,
                    *[e for e in extra if e != p],
                )
            )
    terts = []
    if tertiary:
        terts = [b.add(K.TERTIARY, f"Tertiary {i}", rnd.choice(secs)) for i in range(4)]
    while len(b.nodes) < size:
        parents = rnd.sample(secs + terts, 2 if rnd.random() < shared else 1)
        if rnd.random() < 0.05:
            parents = [rnd.choice(prims)]
        b.add(K.CHANGE_IDEA, "Change idea " * rnd.randint(1, 6), *parents)
    return b.diagram()


# ---------------------------------------------------------------------- columns


def test_columns_left_to_right_and_tertiary_only_when_present():
    b = Builder()
    p = b.add(K.PRIMARY, "P", b.aim)
    s = b.add(K.SECONDARY, "S", p)
    c = b.add(K.CHANGE_IDEA, "C", s)
    layout = layout_diagram(b.diagram(), lines)
    assert [col.kind for col in layout.columns] == [K.AIM, K.PRIMARY, K.SECONDARY, K.CHANGE_IDEA]
    xs = [layout.boxes[n].x for n in (b.aim, p, s, c)]
    assert xs == sorted(xs)
    assert len(set(xs)) == 4
    assert {box.width for box in layout.boxes.values()} == {STYLE.box_width}
    t = b.add(K.TERTIARY, "T", s)
    layout = layout_diagram(b.diagram(), lines)
    assert [col.title for col in layout.columns] == [
        "Aim",
        "Primary drivers",
        "Secondary drivers",
        "Tertiary drivers",
        "Change ideas",
    ]
    assert layout.boxes[s].x < layout.boxes[t].x < layout.boxes[c].x


def test_heights_come_from_the_callers_line_count():
    b = Builder()
    p = b.add(K.PRIMARY, "x" * 80, b.aim)
    layout = layout_diagram(b.diagram(), lines)
    assert layout.boxes[p].height == STYLE.height_for(4)
    assert layout.boxes[b.aim].height == STYLE.height_for(1)


def test_aim_is_centred_on_its_primaries_and_parents_on_their_children():
    b = Builder()
    prims = [b.add(K.PRIMARY, f"P{i}", b.aim) for i in range(4)]
    layout = layout_diagram(b.diagram(), lines)
    first, last = layout.boxes[prims[0]], layout.boxes[prims[-1]]
    assert layout.boxes[b.aim].centre_y == pytest.approx((first.centre_y + last.centre_y) / 2)


def test_siblings_stay_together_in_the_teams_order():
    d = random_diagram(3, 60, shared=0.0)
    layout = layout_diagram(d, lines)
    for prim in d.of_kind(K.PRIMARY):
        kids = [c.id for c in d.children(prim.id) if c.kind is K.SECONDARY]
        column = list(layout.column_order[K.SECONDARY])
        positions = sorted(column.index(k) for k in kids)
        assert positions == list(range(positions[0], positions[0] + len(kids)))
        ys = [layout.boxes[k].y for k in kids]
        assert ys == sorted(ys)  # the team's order, top to bottom


def test_a_tree_has_no_crossings():
    d = random_diagram(5, 80, shared=0.0)
    layout = layout_diagram(d, lines)
    assert crossings(d, dict(layout.boxes)) == 0


def test_a_shared_box_sits_between_its_parents():
    b = Builder()
    p1 = b.add(K.PRIMARY, "P1", b.aim)
    p2 = b.add(K.PRIMARY, "P2", b.aim)
    p3 = b.add(K.PRIMARY, "P3", b.aim)
    for p in (p1, p2, p3):
        b.add(K.SECONDARY, "own", p)
    shared = b.add(K.SECONDARY, "shared", p1, p3)
    layout = layout_diagram(b.diagram(), lines)
    y = layout.boxes[shared].centre_y
    assert layout.boxes[p1].centre_y < y < layout.boxes[p3].centre_y


@pytest.mark.parametrize("seed", range(8))
def test_barycentre_ordering_crosses_less_than_the_plain_team_order(seed):
    d = random_diagram(seed, 120, shared=0.3)
    layout = layout_diagram(d, lines)
    # the naive drawing: every column simply in the team's order
    naive = {n.id: Box(0, float(i), 1, 1) for kind in K for i, n in enumerate(d.of_kind(kind))}
    assert crossings(d, dict(layout.boxes)) < crossings(d, naive)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(5, 120), st.floats(0, 0.6), st.booleans())
def test_no_two_boxes_overlap(seed, size, shared, tertiary):
    d = random_diagram(seed, size, shared, tertiary)
    layout = layout_diagram(d, lines)
    assert set(layout.boxes) == {n.id for n in d.nodes}
    assert overlapping(dict(layout.boxes)) == []
    bounds = layout.bounds
    for box in layout.boxes.values():
        assert bounds.x <= box.x
        assert box.right <= bounds.right
        assert bounds.y <= box.y
        assert box.bottom <= bounds.bottom


def test_layout_is_deterministic():
    d = random_diagram(2, 100, shared=0.3)
    assert layout_diagram(d, lines).boxes == layout_diagram(d, lines).boxes


# ---------------------------------------------------------------------- pins


def test_pinned_boxes_keep_their_position_and_others_move_out_of_the_way():
    b = Builder()
    p = b.add(K.PRIMARY, "P", b.aim)
    secs = [b.add(K.SECONDARY, f"S{i}", p) for i in range(6)]
    free = layout_diagram(b.diagram(), lines)
    # pin a new secondary right on top of the third one
    target = free.boxes[secs[2]]
    pinned = b.add(K.SECONDARY, "Pinned", p, pinned=(target.x + 10, target.y + 5))
    layout = layout_diagram(b.diagram(), lines)
    assert (layout.boxes[pinned].x, layout.boxes[pinned].y) == (target.x + 10, target.y + 5)
    assert overlapping(dict(layout.boxes)) == []
    ys = [layout.boxes[s].y for s in secs]
    assert ys == sorted(ys)


@settings(max_examples=25, deadline=None)
@given(
    st.integers(0, 10_000),
    st.lists(
        st.tuples(st.integers(0, 200), st.floats(-300, 3000), st.floats(-200, 1200)), max_size=4
    ),
)
def test_automatic_boxes_never_overlap_pinned_ones(seed, pins):
    d = random_diagram(seed, 50, 0.3)
    nodes = list(d.nodes)
    for index, x, y in pins:
        i = 1 + index % (len(nodes) - 1)
        nodes[i] = nodes[i].with_changes(pinned_at=(x, y))
    d = DriverDiagram.build(P, nodes, d.links)
    layout = layout_diagram(d, lines)
    pinned = {n.id for n in d.nodes if n.pinned_at is not None}
    for n in d.nodes:
        if n.pinned_at is not None:
            assert (layout.boxes[n.id].x, layout.boxes[n.id].y) == n.pinned_at
    clashes = [
        (a, b) for a, b in overlapping(dict(layout.boxes)) if not (a in pinned and b in pinned)
    ]
    assert clashes == []


# ---------------------------------------------------------------------- damaged data


def test_unattached_boxes_and_odd_links_still_get_a_place():
    b = Builder()
    p = b.add(K.PRIMARY, "P", b.aim)
    b.add(K.SECONDARY, "S", p)
    loose = b.add(K.CHANGE_IDEA, "Loose")
    odd = b.add(K.SECONDARY, "Odd")
    b.links.append(DriverLink(P, loose, odd))  # backwards: a change idea above a secondary
    layout = layout_diagram(b.diagram(), lines)
    assert loose in layout.boxes
    assert odd in layout.boxes
    assert overlapping(dict(layout.boxes)) == []


def test_an_aim_alone():
    b = Builder()
    layout = layout_diagram(b.diagram(), lines)
    assert list(layout.boxes) == [b.aim]
    empty = layout_diagram(DriverDiagram(P), lines)
    assert empty.boxes == {}


# ---------------------------------------------------------------------- helpers


def test_connector_runs_from_parent_right_to_child_left():
    start, c1, c2, end = connector(Box(0, 0, 100, 40), Box(200, 100, 100, 20))
    assert start == (100, 20)
    assert end == (200, 110)
    assert start[0] < c1[0] <= c2[0] < end[0]
    # a pinned child left of its parent still gets a curve that leaves and enters sideways
    start, c1, c2, end = connector(Box(300, 0, 100, 40), Box(0, 100, 100, 20))
    assert c1[0] > start[0]
    assert c2[0] < end[0]


def test_legend_sits_right_of_the_drawing():
    b = Builder()
    b.add(K.PRIMARY, "P", b.aim)
    layout = layout_diagram(b.diagram(), lines)
    x, y = legend_slot(layout)
    assert x > max(box.right for box in layout.boxes.values())
    assert y == layout.bounds.y


def test_arrow_keys_move_between_boxes():
    b = Builder()
    p1 = b.add(K.PRIMARY, "P1", b.aim)
    p2 = b.add(K.PRIMARY, "P2", b.aim)
    s1 = b.add(K.SECONDARY, "S1", p1)
    s2 = b.add(K.SECONDARY, "S2", p2)
    d = b.diagram()
    layout = layout_diagram(d, lines)
    assert neighbour(d, layout, p1, Direction.DOWN) == p2
    assert neighbour(d, layout, p2, Direction.DOWN) is None
    assert neighbour(d, layout, p2, Direction.UP) == p1
    assert neighbour(d, layout, p2, Direction.LEFT) == b.aim
    assert neighbour(d, layout, p2, Direction.RIGHT) == s2
    assert neighbour(d, layout, s1, Direction.RIGHT) is None
    assert neighbour(d, layout, b.aim, Direction.RIGHT) in {p1, p2}
    assert neighbour(d, layout, "missing", Direction.UP) is None


def test_new_box_slots():
    b = Builder()
    p = b.add(K.PRIMARY, "P", b.aim)
    s = b.add(K.SECONDARY, "S", p)
    d = b.diagram()
    layout = layout_diagram(d, lines)
    sibling = new_box_slot(d, layout, K.SECONDARY, p, after_id=s)
    assert sibling.x == layout.boxes[s].x
    assert sibling.y > layout.boxes[s].bottom
    child = new_box_slot(d, layout, K.CHANGE_IDEA, s)
    assert child.x == layout.column_of(K.CHANGE_IDEA).x
    tertiary = new_box_slot(d, layout, K.TERTIARY, s)
    assert layout.boxes[s].x < tertiary.x


# ---------------------------------------------------------------------- speed


def test_300_boxes_lay_out_well_under_10_ms():
    d = random_diagram(42, 300, shared=0.3)
    layout_diagram(d, lines)  # warm up
    best = min(_timed(lambda: layout_diagram(d, lines)) for _ in range(5))
    assert best < 0.010, f"layout of 300 boxes took {best * 1000:.1f} ms"


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
