"""The driver-diagram model: level rules, cycles, duplicates, deletion, order, gaps, outline."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qidesk.core.drivers import (
    ALLOWED_PARENTS,
    MAX_TEXT,
    DriverDiagram,
    DriverLink,
    DriverNode,
    GapKind,
    IdeaStatus,
    IdeaTesting,
    MeasureLink,
    NodeKind,
    Strength,
    aim_node_id,
    allowed_child_kinds,
    clean_text,
    gaps,
    outline,
    outline_markdown,
    outline_text,
)
from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.records import RecordMeta

P = "project-1"
K = NodeKind


class Builder:
    """A small helper that makes diagrams for the tests."""

    def __init__(self) -> None:
        self.nodes: list[DriverNode] = [DriverNode(P, K.AIM, id=aim_node_id(P))]
        self.links: list[DriverLink] = []

    @property
    def aim(self) -> str:
        return self.nodes[0].id

    def add(self, kind: NodeKind, text: str, *parents: str, strength=Strength.STRONG) -> str:
        node = DriverNode(P, kind, text, order=float(len(self.nodes)))
        self.nodes.append(node)
        for parent in parents:
            self.links.append(DriverLink(P, parent, node.id, strength))
        return node.id

    def diagram(self) -> DriverDiagram:
        return DriverDiagram.build(P, self.nodes, self.links)


@pytest.fixture
def qi() -> tuple[DriverDiagram, dict[str, str]]:
    """A small diagram: two primaries, three secondaries (one shared), three change ideas."""
    b = Builder()
    ids: dict[str, str] = {"aim": b.aim}
    ids["p1"] = b.add(K.PRIMARY, "Build QI capability", b.aim)
    ids["p2"] = b.add(K.PRIMARY, "Engage staff and patients", b.aim)
    ids["s1"] = b.add(K.SECONDARY, "Training for all staff", ids["p1"])
    ids["s2"] = b.add(K.SECONDARY, "Coaching for teams", ids["p1"], ids["p2"])
    ids["s3"] = b.add(K.SECONDARY, "Stories of improvement", ids["p2"])
    ids["c1"] = b.add(K.CHANGE_IDEA, "Bronze e-learning at induction", ids["s1"])
    ids["c2"] = b.add(K.CHANGE_IDEA, "Monthly QI huddle", ids["s2"], ids["s3"])
    ids["c3"] = b.add(K.CHANGE_IDEA, "QI newsletter", ids["s3"], strength=Strength.WEAK)
    return b.diagram(), ids


# ---------------------------------------------------------------------- level rules

VALID = {
    (K.AIM, K.PRIMARY),
    (K.PRIMARY, K.SECONDARY),
    (K.PRIMARY, K.CHANGE_IDEA),
    (K.SECONDARY, K.TERTIARY),
    (K.SECONDARY, K.CHANGE_IDEA),
    (K.TERTIARY, K.CHANGE_IDEA),
}


def test_rule_table_is_the_documented_one():
    table = {(p, c) for c, parents in ALLOWED_PARENTS.items() for p in parents}
    assert table == VALID
    assert allowed_child_kinds(K.PRIMARY) == [K.SECONDARY, K.CHANGE_IDEA]
    assert allowed_child_kinds(K.CHANGE_IDEA) == []


@pytest.mark.parametrize(("parent_kind", "child_kind"), list(itertools.product(K, K)))
def test_level_rules_between_every_pair_of_kinds(parent_kind, child_kind):
    b = Builder()
    parent = b.aim if parent_kind is K.AIM else b.add(parent_kind, "parent")
    child = b.aim if child_kind is K.AIM else b.add(child_kind, "child")
    d = b.diagram()
    problem = d.link_problem(parent, child)
    if parent == child:
        assert problem == "a box cannot be linked to itself"
    elif (parent_kind, child_kind) in VALID:
        assert problem is None
    else:
        assert problem
        with pytest.raises(ValidationError) as err:
            d.check_link(parent, child)
        assert "link" in err.value.problems


def test_level_messages_are_plain():
    b = Builder()
    idea = b.add(K.CHANGE_IDEA, "Idea")
    d = b.diagram()
    assert d.link_problem(b.aim, idea) == (
        "a change idea can only go under a primary driver, secondary driver or tertiary "
        "driver, not under an aim"
    )
    sec = Builder()
    s = sec.add(K.SECONDARY, "S")
    assert sec.diagram().link_problem(sec.aim, s) == (
        "a secondary driver can only go under a primary driver, not under an aim"
    )


def test_a_link_that_would_make_a_node_its_own_ancestor_is_refused(qi):
    d, ids = qi
    problem = d.link_problem(ids["c1"], ids["p1"])
    assert problem is not None
    assert "its own ancestor" in problem
    with pytest.raises(ValidationError, match="own ancestor"):
        d.check_link(ids["s1"], ids["aim"])


def test_cycle_check_runs_even_on_damaged_data():
    """Data merged from elsewhere may break the level rules; the ancestor check still holds."""
    b = Builder()
    a = b.add(K.SECONDARY, "A", b.aim)  # an aim->secondary link the rules would refuse
    c = b.add(K.SECONDARY, "B", a)
    d = b.diagram()
    assert "own ancestor" in (d.link_problem(c, a) or "")
    assert d.ancestors(c) == {a, b.aim}


def test_duplicate_links_are_refused(qi):
    d, ids = qi
    assert d.link_problem(ids["p1"], ids["s1"]) == "these two boxes are already linked"


def test_many_to_many_links_are_allowed(qi):
    d, ids = qi
    assert d.link_problem(ids["p2"], ids["s1"]) is None
    assert d.link_problem(ids["s1"], ids["c3"]) is None
    assert [p.id for p in d.parents(ids["s2"])] == [ids["p1"], ids["p2"]]


def test_unknown_nodes_raise_not_found(qi):
    d, _ = qi
    with pytest.raises(NotFoundError):
        d.node("nope")
    with pytest.raises(NotFoundError):
        d.link_problem("nope", "nope")


# ---------------------------------------------------------------------- text and kinds


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_refused(text):
    with pytest.raises(ValidationError, match="needs some text"):
        clean_text(text)


def test_text_is_tidied_and_limited():
    assert clean_text("  Train   all\nstaff ") == "Train all staff"
    with pytest.raises(ValidationError, match="under"):
        clean_text("x" * (MAX_TEXT + 1))


def test_status_belongs_to_change_ideas_only():
    assert DriverNode(P, K.CHANGE_IDEA, "x").status is IdeaStatus.IDEA
    assert DriverNode(P, K.PRIMARY, "x", status=IdeaStatus.TESTING).status is None


def test_aim_id_is_the_same_everywhere():
    assert aim_node_id(P) == aim_node_id(P)
    assert aim_node_id(P) != aim_node_id("other")


def test_exactly_one_aim(qi):
    d, ids = qi
    with pytest.raises(ValidationError, match="exactly one aim"):
        d.check_new_child(ids["p1"], K.AIM)
    with pytest.raises(ValidationError, match="cannot be deleted"):
        d.removal(ids["aim"])


def test_new_children_follow_the_level_rules(qi):
    d, ids = qi
    d.check_new_child(ids["aim"], K.PRIMARY)
    d.check_new_child(ids["p1"], K.CHANGE_IDEA)
    d.check_new_child(ids["s1"], K.TERTIARY)
    with pytest.raises(ValidationError, match="end of a branch"):
        d.check_new_child(ids["c1"], K.CHANGE_IDEA)
    with pytest.raises(ValidationError, match="cannot go under"):
        d.check_new_child(ids["aim"], K.SECONDARY)


# ---------------------------------------------------------------------- queries


def test_children_parents_ancestors_descendants(qi):
    d, ids = qi
    assert [n.id for n in d.children(ids["p1"])] == [ids["s1"], ids["s2"]]
    assert [n.id for n in d.parents(ids["c2"])] == [ids["s2"], ids["s3"]]
    assert d.ancestors(ids["c2"]) == {ids["s2"], ids["s3"], ids["p1"], ids["p2"], ids["aim"]}
    assert d.descendants(ids["p2"]) == {ids["s2"], ids["s3"], ids["c2"], ids["c3"]}
    assert d.link_between(ids["s3"], ids["c3"]).strength is Strength.WEAK
    assert d.aim.id == ids["aim"]
    assert len(d) == 9
    assert ids["c1"] in d


def test_build_drops_deleted_records_and_dangling_links(qi):
    d, ids = qi
    gone = d.node(ids["s1"]).with_changes(meta=RecordMeta(deleted_at="2025-01-01T00:00:00.000Z"))
    d2 = DriverDiagram.build(P, [gone if n.id == gone.id else n for n in d.nodes], d.links)
    assert ids["s1"] not in d2
    assert all(ids["s1"] not in (lk.from_id, lk.to_id) for lk in d2.links)
    assert [n.id for n in d2.unattached()] == [ids["c1"]]


# ---------------------------------------------------------------------- unlink and delete


def test_unlinking_the_last_parent_is_refused(qi):
    d, ids = qi
    with pytest.raises(ValidationError, match="hang under nothing"):
        d.check_unlink(ids["p1"], ids["s1"])
    assert d.check_unlink(ids["p1"], ids["s2"]).to_id == ids["s2"]
    with pytest.raises(ValidationError, match="not linked"):
        d.check_unlink(ids["p1"], ids["s3"])


def test_move_checks_the_new_parent(qi):
    d, ids = qi
    d.check_move(ids["s1"], ids["p1"], ids["p2"])
    with pytest.raises(ValidationError):
        d.check_move(ids["s1"], ids["p1"], ids["c1"])
    with pytest.raises(ValidationError, match="already under"):
        d.check_move(ids["s1"], ids["p1"], ids["p1"])


def test_deleting_removes_orphaned_descendants_and_every_touching_link(qi):
    d, ids = qi
    removal = d.removal(ids["p1"])
    # s1 and c1 hang only under p1; s2 is shared with p2 and stays
    assert set(removal.node_ids) == {ids["p1"], ids["s1"], ids["c1"]}
    after = d.without(removal)
    assert ids["s2"] in after
    assert [p.id for p in after.parents(ids["s2"])] == [ids["p2"]]
    assert after.unattached() == []
    removed_links = {lk.id for lk in d.links} - {lk.id for lk in after.links}
    assert removed_links == set(removal.link_ids)


def test_deleting_a_shared_box_keeps_its_other_branches(qi):
    d, ids = qi
    removal = d.removal(ids["s2"])
    assert removal.node_ids == (ids["s2"],)  # c2 also hangs under s3
    assert len(removal.link_ids) == 3


def test_with_records_adds_and_replaces(qi):
    d, ids = qi
    node = d.node(ids["c1"]).with_changes(text="Bronze e-learning for all")
    d2 = d.with_records([node])
    assert d2.node(ids["c1"]).text == "Bronze e-learning for all"
    assert d.node(ids["c1"]).text == "Bronze e-learning at induction"


# ---------------------------------------------------------------------- order


def test_order_after_puts_a_sibling_between(qi):
    d, ids = qi
    new = d.order_after(ids["s1"])
    assert d.node(ids["s1"]).order < new < d.node(ids["s2"]).order
    assert d.next_order(K.PRIMARY) > max(n.order for n in d.of_kind(K.PRIMARY))
    assert d.next_order(K.TERTIARY) == 1.0


def test_reorder_moves_among_siblings(qi):
    d, ids = qi
    up = d.reorder(ids["s2"], -1, ids["p1"])
    assert up is not None
    assert up < d.node(ids["s1"]).order
    assert d.reorder(ids["s1"], -1, ids["p1"]) is None
    down = d.reorder(ids["s1"], +1, ids["p1"])
    assert down is not None
    assert down > d.node(ids["s2"]).order
    assert d.reorder(ids["s2"], +1, ids["p1"]) is None


# ---------------------------------------------------------------------- gaps


def test_gaps_list_unmeasured_drivers_and_untested_ideas(qi):
    d, ids = qi
    found = gaps(
        d,
        measure_counts={ids["aim"]: 1, ids["p1"]: 2, ids["s1"]: 1},
        pdsa_counts={ids["c1"]: 3},
        aim_text="Improve QI",
    )
    by_kind = {(g.node_id, g.kind) for g in found}
    assert (ids["p2"], GapKind.NO_MEASURE) in by_kind
    assert (ids["p1"], GapKind.NO_MEASURE) not in by_kind
    assert (ids["aim"], GapKind.NO_MEASURE) not in by_kind
    assert (ids["c2"], GapKind.NEVER_TESTED) in by_kind
    assert (ids["c1"], GapKind.NEVER_TESTED) not in by_kind
    assert not any(g.kind is GapKind.NO_CHANGE_IDEAS for g in found)
    message = next(g.message for g in found if g.node_id == ids["c3"])
    assert message == "Change idea “QI newsletter” has never been tested"


def test_gaps_name_drivers_without_change_ideas_and_unattached_boxes():
    b = Builder()
    p = b.add(K.PRIMARY, "Lonely driver", b.aim)
    loose = b.add(K.CHANGE_IDEA, "Loose idea")
    abandoned = DriverNode(P, K.CHANGE_IDEA, "Dropped", status=IdeaStatus.ABANDONED)
    b.nodes.append(abandoned)
    b.links.append(DriverLink(P, p, abandoned.id))
    found = {(g.node_id, g.kind) for g in gaps(b.diagram(), {}, {})}
    assert (b.aim, GapKind.NO_MEASURE) in found
    assert (loose, GapKind.UNATTACHED) in found
    assert (abandoned.id, GapKind.NEVER_TESTED) not in found
    assert (p, GapKind.NO_CHANGE_IDEAS) not in found  # the abandoned idea still counts


def test_gaps_follow_the_measure_links_of_the_diagram(qi):
    d, ids = qi
    d = d.with_records(
        measure_links=[MeasureLink(P, ids["aim"], "m-outcome"), MeasureLink(P, ids["s1"], "m2")]
    )
    found = {(g.node_id, g.kind) for g in gaps(d, d.measure_counts(), {}, "Improve QI")}
    assert (ids["aim"], GapKind.NO_MEASURE) not in found
    assert (ids["s1"], GapKind.NO_MEASURE) not in found
    for driver in ("p1", "p2", "s2", "s3"):
        assert (ids[driver], GapKind.NO_MEASURE) in found
    assert not any(g == GapKind.NO_MEASURE for nid, g in found if d.node(nid).kind is K.CHANGE_IDEA)


# ---------------------------------------------------------------------- measure links


def test_measure_links_are_queried_and_counted(qi):
    d, ids = qi
    first = MeasureLink(P, ids["s2"], "m1")
    d = d.with_records(
        measure_links=[first, MeasureLink(P, ids["s2"], "m2"), MeasureLink(P, ids["c1"], "m1")]
    )
    assert d.measure_ids_of(ids["s2"]) == ["m1", "m2"]
    assert d.measure_ids_of(ids["p1"]) == []
    assert d.measure_counts() == {ids["s2"]: 2, ids["c1"]: 1}
    assert d.measure_link_between(ids["s2"], "m1") == first
    assert d.measure_link_between(ids["s2"], "m3") is None


def test_build_drops_deleted_foreign_and_dangling_measure_links(qi):
    d, ids = qi
    gone = RecordMeta(deleted_at="2025-01-01T00:00:00.000Z")
    d = DriverDiagram.build(
        P,
        d.nodes,
        d.links,
        [
            MeasureLink(P, ids["p1"], "kept"),
            MeasureLink(P, ids["p1"], "deleted", meta=gone),
            MeasureLink(P, "no-such-box", "dangling"),
            MeasureLink("other-project", ids["p1"], "foreign"),
        ],
    )
    assert d.measure_ids_of(ids["p1"]) == ["kept"]
    assert len(d.measure_links) == 1


def test_a_measure_of_another_project_is_refused_with_a_plain_message(qi):
    d, ids = qi
    problem = d.measure_link_problem(ids["p1"], "m1", "other-project", "Falls per 1,000 bed-days")
    assert problem == (
        "“Falls per 1,000 bed-days” is a measure of another project; link only this "
        "project's measures to its driver diagram"
    )
    with pytest.raises(ValidationError, match="another project"):
        d.check_measure_link(ids["p1"], "m1", "other-project")
    assert d.measure_link_problem(ids["p1"], "m1", P) is None
    with pytest.raises(NotFoundError):
        d.check_measure_link("nope", "m1", P)


def test_a_measure_is_linked_to_a_box_only_once(qi):
    d, ids = qi
    d = d.with_records(measure_links=[MeasureLink(P, ids["p1"], "m1")])
    with pytest.raises(ValidationError, match="already linked to “Build QI capability”"):
        d.check_measure_link(ids["p1"], "m1", P, "Staff trained")
    assert d.measure_link_problem(ids["p2"], "m1", P) is None  # another box may have it too


def test_unlinking_a_measure_that_is_not_linked_is_refused(qi):
    d, ids = qi
    link = MeasureLink(P, ids["c1"], "m1")
    d = d.with_records(measure_links=[link])
    assert d.check_measure_unlink(ids["c1"], "m1") == link
    with pytest.raises(ValidationError, match="“Staff trained” is not linked to “Monthly QI"):
        d.check_measure_unlink(ids["c2"], "m1", "Staff trained")


def test_deleting_a_box_removes_its_measure_links_too(qi):
    d, ids = qi
    on_s1, on_c1, on_p2 = (
        MeasureLink(P, ids["s1"], "m1"),
        MeasureLink(P, ids["c1"], "m2"),
        MeasureLink(P, ids["p2"], "m3"),
    )
    d = d.with_records(measure_links=[on_s1, on_c1, on_p2])
    removal = d.removal(ids["s1"])  # takes c1 with it (its only parent)
    assert set(removal.measure_link_ids) == {on_s1.id, on_c1.id}
    after = d.without(removal)
    assert after.measure_links == (on_p2,)


def test_testing_badge_and_sentence():
    assert IdeaTesting().badge == ""
    assert IdeaTesting().sentence == "Not tested yet"
    assert IdeaTesting(1).badge == "1 PDSA"
    assert IdeaTesting(3, decision="Adopt").badge == "3 PDSAs · Adopt"
    assert IdeaTesting(0, 2).badge == "2 PDSAs planned"
    assert IdeaTesting(0, 1).sentence == "Not tested yet; 1 PDSA cycle planned"
    assert IdeaTesting(2, 1, "Scale up").sentence == (
        "Tested in 2 PDSA cycles; 1 PDSA cycle planned; latest Act decision: Scale up"
    )


# ---------------------------------------------------------------------- outline


def test_outline_text_and_markdown_show_measures_and_tests(qi):
    d, ids = qi
    measures = {ids["aim"]: ("Share of staff trained",), ids["s2"]: ("Coaching hours", "Teams")}
    testing = {ids["c1"]: IdeaTesting(2, decision="Adopt"), ids["c3"]: IdeaTesting()}
    text = outline_text(d, "Improve QI", measures=measures, testing=testing)
    assert text.splitlines()[0] == "Aim: Improve QI [measure: Share of staff trained]"
    assert (
        "Change idea (idea): Bronze e-learning at induction "
        "[tested in 2 PDSA cycles; latest Act decision: Adopt]"
    ) in text
    assert "Coaching for teams (also under “Engage staff and patients”) " in text
    assert "[measures: Coaching hours; Teams]" in text
    assert "QI newsletter [weak link]\n" in text  # never tested: nothing added
    md = outline_markdown(d, "Improve QI", measures=measures, testing=testing)
    assert "**Aim:** Improve QI *(measure: Share of staff trained)*" in md
    assert "*(tested in 2 PDSA cycles; latest Act decision: Adopt)*" in md


def test_outline_lists_shared_boxes_under_each_parent(qi):
    d, ids = qi
    lines = outline(d, "Improve QI")
    texts = [(ln.depth, ln.text) for ln in lines]
    assert texts[0] == (0, "Improve QI")
    assert texts.count((2, "Coaching for teams")) == 2
    shared = [ln for ln in lines if ln.node.id == ids["s2"]]
    assert shared[0].also_under == ("Engage staff and patients",)
    assert shared[1].also_under == ("Build QI capability",)


def test_outline_text(qi):
    d, _ = qi
    text = outline_text(d, "Improve QI", indent="  ")
    assert text.splitlines()[:4] == [
        "Aim: Improve QI",
        "  Primary driver: Build QI capability",
        "    Secondary driver: Training for all staff",
        "      Change idea (idea): Bronze e-learning at induction",
    ]
    assert "Secondary driver: Coaching for teams (also under “Engage staff and patients”)" in text
    assert "Change idea (idea): QI newsletter [weak link]" in text


def test_outline_markdown_escapes_and_nests(qi):
    d, ids = qi
    d = d.with_records([d.node(ids["c3"]).with_changes(text="QI *newsletter* [monthly]")])
    md = outline_markdown(d, "Improve QI", title="QI programme")
    lines = md.splitlines()
    assert lines[0] == "# Driver diagram: QI programme"
    assert "**Aim:** Improve QI" in lines
    assert "- **Primary driver:** Build QI capability" in lines
    assert "  - **Secondary driver:** Training for all staff" in lines
    assert r"    - **Change idea (idea):** QI \*newsletter\* \[monthly\] *(weak link)*" in lines
    assert any("*(also under “Engage staff and patients”)*" in ln for ln in lines)


def test_outline_puts_unattached_boxes_last():
    b = Builder()
    b.add(K.PRIMARY, "P", b.aim)
    loose = b.add(K.SECONDARY, "Loose")
    lines = outline(b.diagram(), "A")
    assert lines[-1].node.id == loose
    assert lines[-1].depth == 1


# ---------------------------------------------------------------------- property


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=80))
def test_links_accepted_by_the_rules_never_form_a_cycle(pairs):
    b = Builder()
    kinds = [K.PRIMARY, K.SECONDARY, K.TERTIARY, K.CHANGE_IDEA]
    ids = [b.aim] + [b.add(kinds[i % 4], f"n{i}") for i in range(40)]
    d = b.diagram()
    for a, c in pairs:
        parent, child = ids[a % len(ids)], ids[c % len(ids)]
        if d.link_problem(parent, child) is None:
            d = d.with_records(links=[DriverLink(P, parent, child)])
    for nid in ids:
        assert nid not in d.ancestors(nid)
    for lk in d.links:
        assert d.node(lk.from_id).kind in ALLOWED_PARENTS[d.node(lk.to_id).kind]
