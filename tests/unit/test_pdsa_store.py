"""PDSA tables, repository and service against a real temporary workspace."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from qidesk.core.changes import Entity
from qidesk.core.drivers import NodeKind, aim_node_id
from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.fidelity import FlagKind
from qidesk.core.measures import AnnotationKind, Measure, Observation
from qidesk.core.pdsa import (
    Confirmation,
    CycleStatus,
    Decision,
    Improvement,
    PdsaCycle,
    Purpose,
    Question,
    Task,
    TestPlan,
    TestScale,
    annotation_id,
    same_cycle,
)
from qidesk.core.periods import Period
from qidesk.core.project import Project
from qidesk.services.diagram import DiagramService
from qidesk.services.measures import MeasureService, ObservationEdit
from qidesk.services.pdsa import PdsaService
from qidesk.store.database import Workspace, check_workspace, create_workspace, open_workspace
from qidesk.store.pdsa_repo import PdsaRepository, link_id
from qidesk.store.projects_repo import ProjectRepository

P = Entity.PDSA


def ensure_tables(ws: Workspace) -> None:
    """Add the PDSA tables while the migration list does not (yet) include them."""
    assert "pdsa_cycle" in ws.db.table_names()


@dataclass
class World:
    ws: Workspace
    svc: PdsaService
    project: Project
    other: Project
    idea: str
    other_idea: str
    measure: Measure
    other_measure: Measure


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    ws = create_workspace(tmp_path / "w.qidesk", user="tester@Ward 7")
    ensure_tables(ws)
    projects = ProjectRepository(ws)
    project = projects.add(Project(title="Pain at handover"))
    other = projects.add(Project(title="Falls"))
    diagram = DiagramService(ws)

    def idea(p: Project, text: str) -> str:
        primary = diagram.add_node(p.id, aim_node_id(p.id), "Reliable handover").node
        return diagram.add_node(p.id, primary.id, text, NodeKind.CHANGE_IDEA).node.id

    measures = MeasureService(ws)
    measure = measures.create(
        Measure(project.id, "Handovers with a pain score", period=Period.WEEK)
    )
    other_measure = measures.create(Measure(other.id, "Falls per 1000 bed days"))
    weeks = [date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 17)]
    measures.apply_edits(
        measure.measure,
        [ObservationEdit(None, Observation(measure.measure.id, w, value=50.0)) for w in weeks],
    )
    yield World(
        ws,
        PdsaService(ws),
        project,
        other,
        idea(project, "Pain prompt on the handover sheet"),
        idea(other, "Hourly rounding"),
        measure.measure,
        other_measure.measure,
    )
    ws.close()


def full_cycle(w: World, **changes: object) -> PdsaCycle:
    return PdsaCycle(
        project_id=w.project.id,
        ramp_name="Pain prompt",
        change_idea_ids=(w.idea,),
        measure_ids=(w.measure.id,),
        purpose=Purpose.TEST,
        owner="Sister Khan",
        start=date(2025, 3, 3),
        end=date(2025, 3, 7),
        status=CycleStatus.DONE,
        objective="See whether the prompt gets used",
        questions=(
            Question(
                "Used?",
                "4 of 5",
                "Sheet used anyway",
                "3 of 5",
                "Nights missed it",
                Confirmation.PARTLY,
            ),
            Question("Any delay?", "No", "One line only", "None", "Quick", Confirmation.YES),
        ),
        test=TestPlan("Prompt", "Day staff", "Ward 7", "Mon-Fri", TestScale.ONE_SHIFT, "day shift"),
        tasks=(Task("Print", "Sam", date(2025, 3, 1), True), Task("Brief nights", "Lee")),
        data_plan="Audit 5 handovers a day",
        what_happened="Ran all week",
        problems="Printer broke",
        deviations="Started a day late",
        improved=Improvement.UNCLEAR,
        study_summary="Promising",
        decision=Decision.ADAPT,
        next_steps="Move the prompt to the top",
    ).with_changes(**changes)


def audit(ws: Workspace, table: str) -> list[str]:
    sql = "SELECT action FROM audit_log WHERE table_name = ? ORDER BY id"
    return [r["action"] for r in ws.db.query(sql, [table])]


# ---------------------------------------------------------------------- schema


def test_tables_are_record_tables_with_foreign_keys(world: World) -> None:
    tables = set(world.ws.db.table_names())
    assert {"pdsa_cycle", "pdsa_question", "pdsa_task", "pdsa_change_idea", "pdsa_measure"} <= (
        tables
    )
    for table in ("pdsa_cycle", "pdsa_question", "pdsa_task", "pdsa_change_idea", "pdsa_measure"):
        columns = {c.name for c in world.ws.db[table].columns}
        assert {"id", "created_at", "updated_by", "revision", "deleted_at"} <= columns
    fks = {(fk.column, fk.other_table) for fk in world.ws.db["pdsa_change_idea"].foreign_keys}
    assert fks == {("pdsa_id", "pdsa_cycle"), ("change_idea_id", "driver_node")}
    fks = {(fk.column, fk.other_table) for fk in world.ws.db["pdsa_cycle"].foreign_keys}
    assert fks == {("project_id", "project"), ("previous_cycle_id", "pdsa_cycle")}


def test_the_schema_refuses_bad_values_itself(world: World) -> None:
    stored = world.svc.create(full_cycle(world)).cycle
    bad = [
        "UPDATE pdsa_cycle SET end_date = '2025-03-01' WHERE id = ?",
        "UPDATE pdsa_cycle SET status = 'finished' WHERE id = ?",
        "UPDATE pdsa_cycle SET start_date = '2025-02-30' WHERE id = ?",
        "UPDATE pdsa_cycle SET previous_cycle_id = id WHERE id = ?",
    ]
    for sql in bad:
        with pytest.raises(Exception, match="constraint"), world.ws.atomic() as db:
            db.execute(sql, [stored.id])


def test_a_workspace_with_the_tables_reopens_clean(world: World, tmp_path: Path) -> None:
    world.svc.create(full_cycle(world))
    world.ws.close()
    ws = open_workspace(tmp_path / "w.qidesk", user="tester", backup=False)
    try:
        assert check_workspace(ws) == []
        assert len(PdsaRepository(ws).for_project(world.project.id)) == 1
    finally:
        ws.close()


# ---------------------------------------------------------------------- round trip


def test_create_round_trips_every_field(world: World) -> None:
    cycle = full_cycle(world)
    result = world.svc.create(cycle)
    assert same_cycle(result.cycle, cycle)
    assert result.cycle.meta.revision == 1
    assert result.cycle.meta.created_by == "tester@Ward 7"
    assert same_cycle(world.svc.get(cycle.id), cycle)
    assert result.changes.created == {P: frozenset({cycle.id})}
    start = annotation_id(cycle.id, AnnotationKind.TEST_START, world.measure.id)
    assert start in result.changes.updated[Entity.ANNOTATION]
    assert result.changes.updated[Entity.MEASURE] == {world.measure.id}
    assert audit(world.ws, "pdsa_question") == ["insert", "insert"]
    assert audit(world.ws, "pdsa_measure") == ["insert"]


def test_update_returns_before_and_after_and_undo_saves_before(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    q1, q2 = cycle.questions
    edited = cycle.with_changes(
        objective="Changed",
        questions=(replace(q2, result="Two minutes"), Question("New?", "Maybe")),
        tasks=(),
        measure_ids=(),
    )
    result = world.svc.update(edited)
    assert same_cycle(result.before, cycle)
    assert same_cycle(result.after, edited)
    assert result.after.meta.revision == 2
    assert result.changes.updated[P] == {cycle.id}
    assert result.changes.updated[Entity.MEASURE] == {world.measure.id}  # markers went away
    assert world.svc.pdsa_annotations(world.measure.id) == []
    # undo: save the earlier value back; removed rows come back with their ids
    undone = world.svc.update(result.before)
    assert same_cycle(undone.after, cycle)
    assert [q.id for q in undone.after.questions] == [q1.id, q2.id]
    assert [t.id for t in undone.after.tasks] == [t.id for t in cycle.tasks]
    assert sorted(audit(world.ws, "pdsa_question")[-3:]) == ["delete", "restore", "update"]
    assert len(world.svc.pdsa_annotations(world.measure.id)) == 2


def test_an_update_that_changes_nothing_writes_nothing(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    count = world.ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    result = world.svc.update(cycle)
    assert result.after.meta.revision == 1
    assert world.ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count
    assert Entity.MEASURE not in result.changes.updated


def test_links_are_tombstoned_and_revived_with_stable_ids(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    row_id = link_id(cycle.id, world.measure.id)
    world.svc.update(cycle.with_changes(measure_ids=()))
    row = world.ws.db["pdsa_measure"].get(row_id)
    assert row["deleted_at"] is not None
    world.svc.update(cycle)
    row = world.ws.db["pdsa_measure"].get(row_id)
    assert row["deleted_at"] is None
    assert row["revision"] == 3
    assert world.ws.db.execute("SELECT count(*) FROM pdsa_measure").fetchone()[0] == 1


def test_delete_and_restore_take_children_and_links_along(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    # a question removed earlier must stay removed after delete + restore
    world.svc.update(cycle.with_changes(questions=cycle.questions[:1]))
    changes = world.svc.delete(cycle.id)
    assert changes.deleted == {P: frozenset({cycle.id})}
    assert changes.updated[Entity.MEASURE] == {world.measure.id}
    with pytest.raises(NotFoundError):
        world.svc.get(cycle.id)
    assert world.svc.list_cycles(world.project.id) == []
    assert world.svc.pdsa_annotations(world.measure.id) == []
    live = world.ws.db.execute(
        "SELECT count(*) FROM pdsa_change_idea WHERE deleted_at IS NULL"
    ).fetchone()[0]
    assert live == 0
    restored = world.svc.restore(cycle.id)
    assert restored.changes.created == {P: frozenset({cycle.id})}
    assert [q.id for q in restored.cycle.questions] == [cycle.questions[0].id]
    assert restored.cycle.change_idea_ids == (world.idea,)
    assert restored.cycle.measure_ids == (world.measure.id,)
    assert len(restored.cycle.tasks) == 2


def test_start_next_cycle_creates_the_linked_pre_filled_next(world: World) -> None:
    first = world.svc.create(full_cycle(world)).cycle
    result = world.svc.start_next_cycle(first.id)
    nxt = result.cycle
    assert result.changes.created == {P: frozenset({nxt.id})}
    assert (nxt.number, nxt.previous_cycle_id, nxt.ramp_id) == (2, first.id, first.ramp_id)
    assert nxt.objective == "Move the prompt to the top"
    assert nxt.questions[0].prediction == "Nights missed it"
    assert nxt.change_idea_ids == (world.idea,)
    # starting again from the first numbers past the ramp's highest
    again = world.svc.start_next_cycle(first.id).cycle
    assert again.number == 3
    # undo = delete the new cycle; redo = restore it
    world.svc.delete(again.id)
    assert world.svc.restore(again.id).cycle.number == 3


# ---------------------------------------------------------------------- refusals


def test_refusals_change_nothing(world: World) -> None:
    count = world.ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(ValidationError) as raised:
        world.svc.create(full_cycle(world, end=date(2025, 3, 1)))
    assert raised.value.problems == {"end": "the end date is before the start date"}
    with pytest.raises(ValidationError) as raised:
        world.svc.create(full_cycle(world, change_idea_ids=(world.other_idea,)))
    assert "another project" in raised.value.problems["change_idea_ids"]
    with pytest.raises(ValidationError) as raised:
        world.svc.create(full_cycle(world, measure_ids=(world.other_measure.id,)))
    assert set(raised.value.problems) == {"measure_ids"}
    primary = DiagramService(world.ws).diagram(world.project.id).of_kind(NodeKind.PRIMARY)[0]
    with pytest.raises(ValidationError):  # a driver that is not a change idea
        world.svc.create(full_cycle(world, change_idea_ids=(primary.id,)))
    with pytest.raises(NotFoundError):
        world.svc.create(full_cycle(world, project_id="nope"))
    assert world.ws.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == count


def test_a_loop_is_refused_on_update(world: World) -> None:
    one = world.svc.create(full_cycle(world)).cycle
    two = world.svc.start_next_cycle(one.id).cycle
    three = world.svc.start_next_cycle(two.id).cycle
    with pytest.raises(ValidationError) as raised:
        world.svc.update(world.svc.get(one.id).with_changes(previous_cycle_id=three.id))
    assert "loop back on itself" in raised.value.problems["previous_cycle_id"]


def test_a_link_to_a_change_idea_deleted_later_still_saves(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    DiagramService(world.ws).delete_node(world.project.id, world.idea)
    saved = world.svc.update(cycle.with_changes(objective="Still fine"))
    assert saved.after.change_idea_ids == (world.idea,)


def test_updating_a_deleted_cycle_is_refused(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    world.svc.delete(cycle.id)
    with pytest.raises(NotFoundError):
        world.svc.update(cycle.with_changes(objective="x"))


# ---------------------------------------------------------------------- lists and filters


def test_list_filters(world: World) -> None:
    first = world.svc.create(full_cycle(world)).cycle
    second = world.svc.start_next_cycle(first.id).cycle
    lone = world.svc.create(
        full_cycle(world, ramp_name="Other ramp", change_idea_ids=(), measure_ids=(),
                   status=CycleStatus.RUNNING, start=date(2025, 4, 1), end=None)
    ).cycle  # fmt: skip
    pid = world.project.id
    ids = [c.id for c in world.svc.list_cycles(pid)]
    assert ids == [first.id, second.id, lone.id]
    assert [c.id for c in world.svc.list_cycles(pid, ramp_id=first.ramp_id)] == ids[:2]
    assert [c.id for c in world.svc.list_cycles(pid, status=CycleStatus.RUNNING)] == [lone.id]
    assert [c.id for c in world.svc.list_cycles(pid, change_idea_id=world.idea)] == ids[:2]
    assert [c.id for c in world.svc.list_cycles(pid, measure_id=world.measure.id)] == ids[:2]
    assert [r.name for r in world.svc.ramps(pid)] == ["Pain prompt", "Other ramp"]
    assert world.svc.counts_by_change_idea(pid) == {world.idea: 2}
    assert [n.id for n in world.svc.change_ideas(pid)] == [world.idea]
    assert [m.id for m in world.svc.measures(pid)] == [world.measure.id]


# ---------------------------------------------------------------------- fidelity and markers


def test_fidelity_uses_the_measures_data(world: World) -> None:
    cycle = world.svc.create(full_cycle(world)).cycle
    # adapt without a next cycle; data exists in the week of 3 March
    assert [f.kind for f in world.svc.cycle_flags(cycle.id, date(2025, 4, 1))] == [
        FlagKind.ADAPT_WITHOUT_NEXT
    ]
    late = world.svc.create(
        full_cycle(world, ramp_name="Later", start=date(2025, 5, 5), end=date(2025, 5, 9),
                   decision=Decision.ADOPT)
    ).cycle  # fmt: skip
    assert [f.kind for f in world.svc.cycle_flags(late.id, date(2025, 6, 1))] == [FlagKind.NO_DATA]
    fid = world.svc.fidelity(world.project.id, date(2025, 6, 1))
    assert fid.counts() == {FlagKind.NO_DATA: 1, FlagKind.ADAPT_WITHOUT_NEXT: 1}
    assert (fid.cycles, fid.ramps) == (2, 2)


def test_pdsa_annotations_follow_links_and_dates(world: World) -> None:
    first = world.svc.create(full_cycle(world)).cycle
    second = world.svc.start_next_cycle(first.id).cycle
    marks = world.svc.pdsa_annotations(world.measure.id)
    assert [(a.period, a.kind, a.pdsa_id) for a in marks] == [
        (date(2025, 3, 3), AnnotationKind.TEST_START, first.id),
        (date(2025, 3, 7), AnnotationKind.TEST_END, first.id),
        (date(2025, 3, 8), AnnotationKind.TEST_START, second.id),
        (date(2025, 3, 12), AnnotationKind.TEST_END, second.id),
    ]
    assert marks[0].text == "PDSA Pain prompt #1 started: See whether the prompt gets used"
    assert [a.id for a in world.svc.pdsa_annotations(world.measure.id)] == [a.id for a in marks]
    world.svc.update(second.with_changes(measure_ids=()))
    assert [a.pdsa_id for a in world.svc.pdsa_annotations(world.measure.id)] == [first.id] * 2
    assert world.svc.pdsa_annotations(world.other_measure.id) == []


def test_create_ramp_links_a_whole_series_in_one_go(world: World) -> None:
    first = full_cycle(world, decision=Decision.ADAPT)
    second = full_cycle(world, ramp_name="ignored", start=date(2025, 3, 10), end=date(2025, 3, 14))
    third = full_cycle(
        world, decision=Decision.ADOPT, start=date(2025, 3, 17), end=date(2025, 3, 21)
    )
    result = world.svc.create_ramp([first, second, third])
    one, two, three = result.cycles
    assert [c.number for c in result.cycles] == [1, 2, 3]
    assert (two.previous_cycle_id, three.previous_cycle_id) == (one.id, two.id)
    assert {c.ramp_id for c in result.cycles} == {first.ramp_id}
    assert two.ramp_name == "Pain prompt"
    assert result.changes.created[P] == {one.id, two.id, three.id}
    count = world.ws.db.execute("SELECT count(*) FROM pdsa_cycle").fetchone()[0]
    with pytest.raises(ValidationError):  # a bad later cycle stores nothing
        world.svc.create_ramp([full_cycle(world), full_cycle(world, end=date(2025, 1, 1))])
    assert world.ws.db.execute("SELECT count(*) FROM pdsa_cycle").fetchone()[0] == count
