"""Driver tables, repository and the diagram service against a real temporary workspace."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from qidesk.core.changes import Entity
from qidesk.core.drivers import GapKind, IdeaStatus, IdeaTesting, NodeKind, Strength, aim_node_id
from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.measures import Measure, MeasureType
from qidesk.core.pdsa import CycleStatus, Decision, PdsaCycle
from qidesk.core.project import Aim, Project
from qidesk.services.diagram import DiagramService, idea_testing
from qidesk.services.measures import MeasureService
from qidesk.services.pdsa import PdsaService
from qidesk.store.database import Workspace, create_workspace, open_workspace
from qidesk.store.drivers_repo import DriverRepository
from qidesk.store.projects_repo import ProjectRepository

D = Entity.DRIVER
M = Entity.MEASURE
K = NodeKind


def _ensure_tables(ws: Workspace) -> None:
    """The driver tables come with the workspace (migration 3)."""
    assert "driver_node" in ws.db.table_names()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_workspace(tmp_path / "w.qidesk", user="tester@Ward 7")
    _ensure_tables(workspace)
    yield workspace
    workspace.close()


@pytest.fixture
def project(ws: Workspace) -> Project:
    return ProjectRepository(ws).add(
        Project(title="QI programme", aim=Aim("a culture of continuous improvement"))
    )


@pytest.fixture
def svc(ws: Workspace) -> DiagramService:
    return DiagramService(ws)


def audit_actions(ws: Workspace, record_id: str) -> list[str]:
    return [
        r["action"]
        for r in ws.db.query(
            "SELECT action FROM audit_log WHERE record_id = ? ORDER BY id", [record_id]
        )
    ]


# ---------------------------------------------------------------------- schema


def test_tables_are_record_tables_with_foreign_keys(ws):
    from qidesk.store.schema import record_tables

    assert {"driver_node", "driver_link", "driver_measure_link"} <= set(record_tables(ws.db))
    assert {(fk.column, fk.other_table) for fk in ws.db["driver_measure_link"].foreign_keys} == {
        ("project_id", "project"),
        ("node_id", "driver_node"),
        ("measure_id", "measure"),
    }
    fks = {(fk.column, fk.other_table) for fk in ws.db["driver_link"].foreign_keys}
    assert fks == {("project_id", "project"), ("from_id", "driver_node"), ("to_id", "driver_node")}
    assert {(fk.column, fk.other_table) for fk in ws.db["driver_node"].foreign_keys} == {
        ("project_id", "project")
    }


def test_schema_refuses_bad_rows(ws, project):
    import sqlite3

    meta = "'2025-01-01T00:00:00.000Z', 'x', '2025-01-01T00:00:00.000Z', 'x', 1"
    bad = [
        f"INSERT INTO driver_node VALUES ('a', '{project.id}', 'boss', 'x', 0, NULL, NULL, '',"
        f" NULL, {meta}, NULL)",
        f"INSERT INTO driver_node VALUES ('a', '{project.id}', 'primary', '  ', 0, NULL, NULL,"
        f" '', NULL, {meta}, NULL)",
        f"INSERT INTO driver_node VALUES ('a', '{project.id}', 'change_idea', 'x', 0, NULL, NULL,"
        f" '', NULL, {meta}, NULL)",
        f"INSERT INTO driver_node VALUES ('a', 'no-such-project', 'primary', 'x', 0, NULL, NULL,"
        f" '', NULL, {meta}, NULL)",
    ]
    for sql in bad:
        with pytest.raises(sqlite3.IntegrityError):
            ws.db.execute(sql)


# ---------------------------------------------------------------------- reading


def test_a_new_diagram_has_its_aim_and_writes_nothing(svc, ws, project):
    d = svc.diagram(project.id)
    assert [n.kind for n in d.nodes] == [K.AIM]
    assert d.aim.id == aim_node_id(project.id)
    assert ws.db["driver_node"].count == 0
    assert svc.aim_text(project.id) == "Improve a culture of continuous improvement."


def test_unknown_project(svc):
    with pytest.raises(NotFoundError):
        svc.diagram("nope")


# ---------------------------------------------------------------------- building


def build(svc: DiagramService, pid: str) -> dict[str, str]:
    aim = aim_node_id(pid)
    ids = {"aim": aim}
    ids["p1"] = svc.add_node(pid, aim, "Build QI capability").node.id
    ids["p2"] = svc.add_node(pid, aim, "Engage staff", after_id=ids["p1"]).node.id
    ids["s1"] = svc.add_node(pid, ids["p1"], "Training for all").node.id
    ids["c1"] = svc.add_node(pid, ids["s1"], "Bronze e-learning").node.id
    return ids


def test_add_nodes_and_reload(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    d = svc.diagram(pid)
    assert d.node(ids["p1"]).kind is K.PRIMARY
    assert d.node(ids["s1"]).kind is K.SECONDARY
    assert d.node(ids["c1"]).kind is K.CHANGE_IDEA
    assert d.node(ids["c1"]).status is IdeaStatus.IDEA
    assert [n.id for n in d.children(ids["aim"])] == [ids["p1"], ids["p2"]]
    assert ws.db["driver_node"].count == 5  # the aim row was written with the first primary
    assert d.node(ids["p1"]).meta.revision == 1
    assert d.node(ids["p1"]).meta.created_by == "tester@Ward 7"
    assert audit_actions(ws, ids["p1"]) == ["insert"]


def test_add_reports_the_box_link_and_aim_as_created(svc, project):
    result = svc.add_node(project.id, aim_node_id(project.id), "P")
    created = result.changes.created[D]
    assert result.node.id in created
    assert aim_node_id(project.id) in created
    assert len(created) == 3


def test_add_refuses_bad_input(svc, project):
    pid = project.id
    ids = build(svc, pid)
    with pytest.raises(ValidationError, match="needs some text"):
        svc.add_node(pid, ids["p1"], "   ")
    with pytest.raises(ValidationError, match="end of a branch"):
        svc.add_node(pid, ids["c1"], "below an idea")
    with pytest.raises(ValidationError, match="exactly one aim"):
        svc.add_node(pid, ids["p1"], "second aim", K.AIM)
    with pytest.raises(ValidationError):
        svc.add_node(pid, ids["aim"], "idea under aim", K.CHANGE_IDEA)


def test_sibling_goes_just_after(svc, project):
    pid = project.id
    ids = build(svc, pid)
    mid = svc.add_node(pid, ids["aim"], "Between", K.PRIMARY, after_id=ids["p1"]).node
    order = [n.id for n in svc.diagram(pid).children(ids["aim"])]
    assert order == [ids["p1"], mid.id, ids["p2"]]


# ---------------------------------------------------------------------- aim text


def test_editing_the_aim_box_edits_the_project_aim(svc, ws, project):
    pid = project.id
    changes = svc.edit_text(pid, aim_node_id(pid), "  staff trained in QI ")
    assert ProjectRepository(ws).get(pid).aim.what == "staff trained in QI"
    assert changes.touches(Entity.PROJECT)
    assert aim_node_id(pid) in changes.ids(D)
    assert svc.aim_text(pid) == "Improve staff trained in QI."
    with pytest.raises(ValidationError, match="an aim needs some text"):
        svc.edit_text(pid, aim_node_id(pid), "")
    svc.edit_text(pid, aim_node_id(pid), "", restoring=True)  # undo of the first aim
    assert ProjectRepository(ws).get(pid).aim.what == ""
    with pytest.raises(ValidationError, match="needs some text"):
        svc.edit_text(pid, build(svc, pid)["p1"], " ", restoring=True)


def test_edit_text_status_category_pin_order(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    svc.edit_text(pid, ids["s1"], "Training for everyone")
    svc.set_status(pid, ids["c1"], IdeaStatus.TESTING)
    svc.set_category(pid, ids["s1"], " Education ")
    svc.set_pin(pid, ids["p2"], (10.5, -20.0))
    svc.set_order(pid, ids["p2"], 0.5)
    d = svc.diagram(pid)
    assert d.node(ids["s1"]).text == "Training for everyone"
    assert d.node(ids["c1"]).status is IdeaStatus.TESTING
    assert d.node(ids["s1"]).category == "Education"
    assert d.node(ids["p2"]).pinned_at == (10.5, -20.0)
    assert [n.id for n in d.children(ids["aim"])] == [ids["p2"], ids["p1"]]
    svc.set_pin(pid, ids["p2"], None)
    assert svc.diagram(pid).node(ids["p2"]).pinned_at is None
    with pytest.raises(ValidationError, match="only change ideas"):
        svc.set_status(pid, ids["s1"], IdeaStatus.TESTING)
    before = json.loads(
        ws.db.execute(
            "SELECT before FROM audit_log WHERE record_id = ? AND action = 'update' "
            "ORDER BY id LIMIT 1",
            [ids["s1"]],
        ).fetchone()[0]
    )
    assert before["text"] == "Training for all"


# ---------------------------------------------------------------------- delete / restore


def test_delete_tombstones_the_subtree_and_restore_brings_it_back(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    result = svc.delete_node(pid, ids["p1"])
    assert set(result.removal.node_ids) == {ids["p1"], ids["s1"], ids["c1"]}
    assert set(result.changes.deleted[D]) >= set(result.removal.node_ids)
    d = svc.diagram(pid)
    assert ids["p1"] not in d
    assert ids["c1"] not in d
    # nothing hard-deleted
    assert ws.db["driver_node"].count == 5
    moments = {
        r["deleted_at"]
        for r in ws.db.query("SELECT deleted_at FROM driver_node WHERE deleted_at IS NOT NULL")
    }
    assert len(moments) == 1
    svc.restore(pid, result.removal)
    d = svc.diagram(pid)
    assert {ids["p1"], ids["s1"], ids["c1"]} <= {n.id for n in d.nodes}
    assert [n.id for n in d.children(ids["s1"])] == [ids["c1"]]
    assert audit_actions(ws, ids["p1"]) == ["insert", "delete", "restore"]


def test_the_aim_cannot_be_deleted(svc, project):
    with pytest.raises(ValidationError, match="cannot be deleted"):
        svc.delete_node(project.id, aim_node_id(project.id))


# ---------------------------------------------------------------------- links


def test_link_unlink_strength_and_revival(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    link = svc.link(pid, ids["p2"], ids["s1"], Strength.WEAK).link
    d = svc.diagram(pid)
    assert [p.id for p in d.parents(ids["s1"])] == [ids["p1"], ids["p2"]]
    assert d.link_between(ids["p2"], ids["s1"]).strength is Strength.WEAK
    svc.set_strength(pid, link.id, Strength.STRONG)
    assert svc.diagram(pid).link(link.id).strength is Strength.STRONG
    removed = svc.unlink(pid, ids["p2"], ids["s1"]).link
    assert removed.id == link.id
    with pytest.raises(ValidationError, match="hang under nothing"):
        svc.unlink(pid, ids["p1"], ids["s1"])
    again = svc.link(pid, ids["p2"], ids["s1"]).link
    assert again.id == link.id  # the old record came back
    assert ws.db["driver_link"].count == 5
    svc.delete_link(pid, link.id)
    svc.restore_link(pid, link.id)
    assert svc.diagram(pid).link_between(ids["p2"], ids["s1"]) is not None


def test_link_rules_are_enforced(svc, project):
    pid = project.id
    ids = build(svc, pid)
    with pytest.raises(ValidationError, match="own ancestor"):
        svc.link(pid, ids["c1"], ids["p1"])
    with pytest.raises(ValidationError, match="already linked"):
        svc.link(pid, ids["p1"], ids["s1"])
    with pytest.raises(ValidationError, match="can only go under"):
        svc.link(pid, ids["aim"], ids["c1"])


def test_move_reparents_and_moves_back(svc, project):
    pid = project.id
    ids = build(svc, pid)
    old = svc.diagram(pid).link_between(ids["p1"], ids["s1"])
    svc.set_strength(pid, old.id, Strength.WEAK)
    result = svc.move(pid, ids["s1"], ids["p1"], ids["p2"])
    d = svc.diagram(pid)
    assert [p.id for p in d.parents(ids["s1"])] == [ids["p2"]]
    assert result.link.strength is Strength.WEAK
    svc.move(pid, ids["s1"], ids["p2"], ids["p1"])
    d = svc.diagram(pid)
    assert [p.id for p in d.parents(ids["s1"])] == [ids["p1"]]
    assert d.link_between(ids["p1"], ids["s1"]).id == old.id


def test_outline_and_gaps(svc, project):
    pid = project.id
    ids = build(svc, pid)
    text = svc.outline(pid)
    assert text.startswith("Aim: Improve a culture of continuous improvement.\n")
    assert "        Change idea (idea): Bronze e-learning" in text
    md = svc.outline(pid, markdown=True)
    assert md.startswith("# Driver diagram: QI programme")
    found = {(g.node_id, g.kind.value) for g in svc.gaps(pid)}
    assert (ids["c1"], "never_tested") in found
    assert (ids["p2"], "no_change_ideas") in found
    assert (ids["p1"], "no_change_ideas") not in found


def test_diagram_survives_reopening(tmp_path):
    path = tmp_path / "r.qidesk"
    ws = create_workspace(path, user="a")
    _ensure_tables(ws)
    project = ProjectRepository(ws).add(Project(title="T"))
    ids = build(DiagramService(ws), project.id)
    ws.close()
    ws = open_workspace(path, user="b", backup=False)
    try:
        d = DiagramService(ws).diagram(project.id)
        assert {n.id for n in d.nodes} == set(ids.values())
        assert DriverRepository(ws).counts_by_project() == {project.id: 5}
    finally:
        ws.close()


def test_read_only_workspace_refuses_writes(tmp_path):
    from qidesk.core.errors import ReadOnlyWorkspaceError

    path = tmp_path / "ro.qidesk"
    ws = create_workspace(path, user="a")
    _ensure_tables(ws)
    project = ProjectRepository(ws).add(Project(title="T"))
    ws.close()
    ws = open_workspace(path, user="b", read_only=True, backup=False)
    try:
        with pytest.raises(ReadOnlyWorkspaceError):
            DiagramService(ws).add_node(project.id, aim_node_id(project.id), "P")
    finally:
        ws.close()


def test_add_branches_builds_a_whole_diagram_in_one_go(svc, ws, project):
    from qidesk.services.diagram import Branch

    pid = project.id
    changes = svc.add_branches(
        pid,
        [
            Branch(
                "Build QI capability",
                (
                    Branch(
                        "Training for all",
                        (Branch("Bronze e-learning", status=IdeaStatus.TESTING),),
                    ),
                ),
            ),
            Branch(
                "Engage staff",
                (Branch("Stories", (Branch("Newsletter", also_under=("Training for all",)),)),),
            ),
        ],
    )
    d = svc.diagram(pid)
    assert len(d) == 7
    assert len(d.links) == 7
    assert len(changes.created[D]) == 1 + 6 + 7
    newsletter = next(n for n in d.nodes if n.text == "Newsletter")
    assert [p.text for p in d.parents(newsletter.id)] == ["Training for all", "Stories"]
    assert next(n for n in d.nodes if n.text == "Bronze e-learning").status is IdeaStatus.TESTING


def test_add_branches_is_all_or_nothing(svc, ws, project):
    from qidesk.services.diagram import Branch

    with pytest.raises(ValidationError, match="no box"):
        svc.add_branches(project.id, [Branch("P", (Branch("S", also_under=("Nope",)),))])
    assert ws.db["driver_node"].count == 0
    with pytest.raises(ValidationError, match="nothing can go"):
        svc.add_branches(project.id, [Branch("P", (Branch("S", (Branch("C", (Branch("x"),)),)),))])
    assert len(svc.diagram(project.id)) == 1


# ---------------------------------------------------------------------- measures


def add_measure(ws: Workspace, pid: str, name: str, kind=MeasureType.PROCESS) -> str:
    return MeasureService(ws).create(Measure(pid, name, kind)).measure.id


def test_link_a_measure_to_a_driver_and_unlink_it(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    m = add_measure(ws, pid, "Staff with bronze training")
    result = svc.link_measure(pid, ids["s1"], m)
    assert result.changes.created == {D: frozenset({result.link.id})}
    assert result.changes.updated == {M: frozenset({m})}
    d = svc.diagram(pid)
    assert d.measure_ids_of(ids["s1"]) == [m]
    assert d.measure_counts() == {ids["s1"]: 1}
    assert ws.db["driver_measure_link"].count == 1
    gone = svc.unlink_measure(pid, ids["s1"], m)
    assert gone.link.id == result.link.id
    assert gone.changes.deleted == {D: frozenset({result.link.id})}
    assert gone.changes.updated == {M: frozenset({m})}
    assert svc.diagram(pid).measure_ids_of(ids["s1"]) == []
    row = ws.db["driver_measure_link"].get(result.link.id)
    assert row["deleted_at"] is not None  # a tombstone, not a deletion


def test_relinking_revives_the_same_record(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    m = add_measure(ws, pid, "Falls per 1,000 bed-days")
    first = svc.link_measure(pid, ids["p1"], m).link
    svc.unlink_measure(pid, ids["p1"], m)
    again = svc.link_measure(pid, ids["p1"], m).link
    assert again.id == first.id
    assert ws.db["driver_measure_link"].count == 1
    assert audit_actions(ws, first.id) == ["insert", "delete", "restore"]
    assert again.meta.revision == 3


def test_linking_a_measure_to_the_aim_writes_the_aim_box(svc, ws, project):
    pid = project.id
    m = add_measure(ws, pid, "Share of staff trained", MeasureType.OUTCOME)
    aim = aim_node_id(pid)
    assert ws.db["driver_node"].count == 0
    result = svc.link_measure(pid, aim, m)
    assert result.changes.created[D] == {aim, result.link.id}
    assert svc.diagram(pid).measure_ids_of(aim) == [m]
    assert aim not in {g.node_id for g in svc.gaps(pid)}


def test_a_measure_of_another_project_is_refused(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    other = ProjectRepository(ws).add(Project(title="Falls on Ward 7"))
    foreign = add_measure(ws, other.id, "Falls per 1,000 bed-days")
    with pytest.raises(ValidationError) as refused:
        svc.link_measure(pid, ids["p1"], foreign)
    assert refused.value.problems == {
        "measure": "“Falls per 1,000 bed-days” is a measure of another project; link only "
        "this project's measures to its driver diagram"
    }
    other_box = svc.add_node(other.id, aim_node_id(other.id), "Safe environment").node.id
    mine = add_measure(ws, pid, "Staff trained")
    with pytest.raises(ValidationError, match="belongs to another project's driver diagram"):
        svc.link_measure(pid, other_box, mine)
    with pytest.raises(NotFoundError):
        svc.link_measure(pid, "no-such-box", mine)
    assert ws.db["driver_measure_link"].count == 0


def test_duplicate_links_and_unlinking_an_unlinked_measure_are_refused(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    m = add_measure(ws, pid, "Staff trained")
    svc.link_measure(pid, ids["c1"], m)
    with pytest.raises(ValidationError, match="“Staff trained” is already linked to “Bronze"):
        svc.link_measure(pid, ids["c1"], m)
    svc.link_measure(pid, ids["s1"], m)  # another box may share the measure
    with pytest.raises(ValidationError, match="“Staff trained” is not linked to “Engage staff”"):
        svc.unlink_measure(pid, ids["p2"], m)
    assert ws.db["driver_measure_link"].count == 2


def test_a_deleted_measure_is_hidden_and_comes_back_when_restored(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    m = add_measure(ws, pid, "Staff trained")
    svc.link_measure(pid, ids["p1"], m)
    measures = MeasureService(ws)
    measures.delete(m)
    assert svc.diagram(pid).measure_ids_of(ids["p1"]) == []
    with pytest.raises(NotFoundError):
        svc.link_measure(pid, ids["p2"], m)
    measures.restore(m)
    assert svc.diagram(pid).measure_ids_of(ids["p1"]) == [m]


def test_deleting_a_box_tombstones_its_measure_links_and_undo_restores_them(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    m1, m2 = add_measure(ws, pid, "Staff trained"), add_measure(ws, pid, "E-learning done")
    on_s1 = svc.link_measure(pid, ids["s1"], m1).link
    on_c1 = svc.link_measure(pid, ids["c1"], m2).link
    deleted = svc.delete_node(pid, ids["s1"])
    assert set(deleted.removal.measure_link_ids) == {on_s1.id, on_c1.id}
    assert {on_s1.id, on_c1.id} <= deleted.changes.deleted[D]
    assert deleted.changes.updated[M] == {m1, m2}
    rows = {r["id"]: r for r in ws.db["driver_measure_link"].rows}
    assert rows[on_s1.id]["deleted_at"] == rows[on_c1.id]["deleted_at"] is not None
    restored = svc.restore(pid, deleted.removal)
    assert restored.updated[M] == {m1, m2}
    d = svc.diagram(pid)
    assert d.measure_ids_of(ids["s1"]) == [m1]
    assert d.measure_ids_of(ids["c1"]) == [m2]


def test_gaps_use_the_real_measure_links(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    no_measure = {g.node_id for g in svc.gaps(pid) if g.kind is GapKind.NO_MEASURE}
    assert no_measure == {ids["aim"], ids["p1"], ids["p2"], ids["s1"]}
    outcome = add_measure(ws, pid, "Share of staff trained", MeasureType.OUTCOME)
    process = add_measure(ws, pid, "Bronze completions")
    svc.link_measure(pid, ids["aim"], outcome)
    svc.link_measure(pid, ids["s1"], process)
    svc.link_measure(pid, ids["c1"], process)  # change ideas may have measures, never a gap
    no_measure = {g.node_id for g in svc.gaps(pid) if g.kind is GapKind.NO_MEASURE}
    assert no_measure == {ids["p1"], ids["p2"]}


def test_measures_of_the_project_and_the_outline_with_measures(svc, ws, project):
    pid = project.id
    ids = build(svc, pid)
    m = add_measure(ws, pid, "Bronze completions")
    add_measure(ws, ProjectRepository(ws).add(Project(title="Other")).id, "Not mine")
    assert [x.name for x in svc.measures(pid)] == ["Bronze completions"]
    svc.link_measure(pid, ids["s1"], m)
    assert "Secondary driver: Training for all [measure: Bronze completions]" in svc.outline(pid)
    assert "*(measure: Bronze completions)*" in svc.outline(pid, markdown=True)


# ---------------------------------------------------------------------- PDSA testing


def _ensure_pdsa_tables(ws: Workspace) -> None:
    """The PDSA tables (a later migration registers them; create them here if it has not)."""
    assert "pdsa_cycle" in ws.db.table_names()


def cycle(pid: str, ideas: tuple[str, ...], number: int, status: CycleStatus, **kw) -> PdsaCycle:
    return PdsaCycle(
        pid, ramp_id=kw.pop("ramp_id", "ramp-1"), ramp_name="Bronze e-learning",
        number=number, change_idea_ids=ideas, status=status, **kw,
    )  # fmt: skip


def test_testing_counts_run_cycles_and_takes_the_latest_act_decision():
    from datetime import date

    from qidesk.core.records import RecordMeta

    deleted = RecordMeta(deleted_at="2025-01-01T00:00:00.000Z")
    cycles = [
        cycle("p", ("a",), 1, CycleStatus.DONE, end=date(2025, 3, 1), decision=Decision.ADAPT),
        cycle("p", ("a", "b"), 2, CycleStatus.DONE, end=date(2025, 4, 1), decision=Decision.ADOPT),
        cycle("p", ("a",), 3, CycleStatus.STUDYING, start=date(2025, 4, 5)),
        cycle("p", ("a",), 4, CycleStatus.PLANNED),
        cycle("p", ("b",), 3, CycleStatus.ABANDONED, decision=Decision.ABANDON),
        cycle("p", ("c",), 1, CycleStatus.PLANNED),
        cycle("p", ("c",), 2, CycleStatus.DONE, decision=Decision.ABANDON, meta=deleted),
    ]
    assert idea_testing(cycles) == {
        "a": IdeaTesting(3, 1, "Adopt"),
        "b": IdeaTesting(1, 0, "Adopt"),  # the abandoned (never run) cycle does not count
        "c": IdeaTesting(0, 1, ""),
    }


def test_change_ideas_show_their_pdsa_cycles_and_feed_the_gaps(svc, ws, project):
    from datetime import date

    _ensure_pdsa_tables(ws)
    pid = project.id
    ids = build(svc, pid)
    other = svc.add_node(pid, ids["s1"], "Bronze module in the app").node.id
    assert svc.testing(pid) == {}
    never = {g.node_id for g in svc.gaps(pid) if g.kind is GapKind.NEVER_TESTED}
    assert never == {ids["c1"], other}
    pdsa = PdsaService(ws)
    first = pdsa.create(
        cycle(pid, (ids["c1"],), 1, CycleStatus.DONE, start=date(2025, 2, 1),
              end=date(2025, 2, 14), decision=Decision.ADAPT)
    ).cycle  # fmt: skip
    pdsa.create(
        cycle(pid, (ids["c1"],), 2, CycleStatus.DONE, start=date(2025, 3, 1),
              end=date(2025, 3, 14), decision=Decision.SCALE_UP)
    )  # fmt: skip
    pdsa.create(cycle(pid, (other,), 1, CycleStatus.PLANNED, ramp_id="ramp-2"))
    assert svc.testing(pid) == {
        ids["c1"]: IdeaTesting(2, 0, "Scale up"),
        other: IdeaTesting(0, 1, ""),
    }
    never = {g.node_id for g in svc.gaps(pid) if g.kind is GapKind.NEVER_TESTED}
    assert never == {other}  # a planned cycle is not a test yet
    assert "[tested in 2 PDSA cycles; latest Act decision: Scale up]" in svc.outline(pid)
    pdsa.delete(first.id)
    assert svc.testing(pid)[ids["c1"]] == IdeaTesting(1, 0, "Scale up")
