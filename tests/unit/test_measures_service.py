"""MeasureService and its repository, without Qt: measures, data edits, phases, annotations."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from qidesk.core.changes import Entity
from qidesk.core.charting import ChartView
from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.measures import (
    Annotation,
    AnnotationKind,
    Measure,
    MeasureType,
    Observation,
    Phase,
    PhaseKind,
    TargetPoint,
)
from qidesk.core.periods import Period
from qidesk.core.project import Project
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.services.measures import MeasureService, ObservationEdit
from qidesk.services.projects import ProjectService
from qidesk.store.database import Workspace, create_workspace

MONDAY = date(2025, 3, 3)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_workspace(tmp_path / "w.qidesk", user="Nurse Lead")
    yield workspace
    workspace.close()


@pytest.fixture
def service(ws: Workspace) -> MeasureService:
    return MeasureService(ws)


@pytest.fixture
def project_id(ws: Workspace) -> str:
    return ProjectService(ws).create(Project(title="Falls on Ward 7")).project.id


@pytest.fixture
def measure(service: MeasureService, project_id: str) -> Measure:
    return service.create(
        Measure(
            project_id,
            "Risk assessed within 24 h",
            data_type=DataType.PROPORTION,
            multiplier=100,
            period=Period.WEEK,
            chart=ChartType.P,
        )
    ).measure


def week(i: int) -> date:
    return MONDAY + timedelta(weeks=i)


def point(measure: Measure, i: int, numerator: float = 30, denominator: float = 50) -> Observation:
    return Observation(measure.id, week(i), numerator=numerator, denominator=denominator)


def add(service: MeasureService, measure: Measure, *points: Observation) -> None:
    service.apply_edits(measure, [ObservationEdit(None, p) for p in points])


def audit(ws: Workspace, record_id: str) -> list[str]:
    rows = ws.db.execute(
        "SELECT action FROM audit_log WHERE record_id = ? ORDER BY id", [record_id]
    ).fetchall()
    return [r[0] for r in rows]


# -- measures -------------------------------------------------------------------------------------


def test_create_update_delete_restore_round_trip_every_field(
    service: MeasureService, project_id: str, ws: Workspace
):
    full = Measure(
        project_id,
        "Falls per 1,000 bed days",
        measure_type=MeasureType.OUTCOME,
        definition="Inpatient falls, any harm",
        numerator_definition="Falls reported on Datix",
        denominator_definition="Occupied bed days",
        inclusions="All adult inpatients",
        exclusions="Day cases",
        data_type=DataType.RATE,
        multiplier=1000,
        unit="per 1,000 bed days",
        period=Period.MONTH,
        week_start=2,
        data_source="Datix and bed state",
        collected_by="Ward manager",
        direction=Direction.DECREASE,
        target=4.0,
        trajectory=(TargetPoint(date(2025, 1, 1), 6.0), TargetPoint(date(2025, 7, 1), 4.0)),
        chart=ChartType.U,
        preset=Preset.MDC,
        owner="Sister Jones",
        decimals=2,
    )
    result = service.create(full)
    assert result.changes.created == {Entity.MEASURE: frozenset({full.id})}
    stored = service.get(full.id)
    assert stored.with_changes(meta=full.meta) == full
    assert stored.meta.created_by == "Nurse Lead"
    edited = service.update(stored.with_changes(name="Falls (all harm)", decimals=1)).measure
    assert service.get(full.id).name == "Falls (all harm)"
    assert edited.meta.revision == 2
    assert service.for_project(project_id) == [service.get(full.id)]
    changes = service.delete(full.id)
    assert changes.deleted == {Entity.MEASURE: frozenset({full.id})}
    assert service.for_project(project_id) == []
    with pytest.raises(NotFoundError):
        service.get(full.id)
    assert service.restore(full.id).measure.name == "Falls (all harm)"
    assert audit(ws, full.id) == ["insert", "update", "delete", "restore"]


def test_an_invalid_measure_is_refused_per_field(service: MeasureService, project_id: str):
    with pytest.raises(ValidationError) as caught:
        service.create(Measure(project_id, "  ", multiplier=0))
    assert set(caught.value.problems) == {"name", "multiplier"}
    assert service.for_project(project_id) == []


# -- observations ---------------------------------------------------------------------------------


def test_apply_edits_adds_changes_and_deletes_in_one_batch(
    service: MeasureService, measure: Measure, ws: Workspace
):
    first, second = point(measure, 0), point(measure, 1)
    changes = service.apply_edits(
        measure, [ObservationEdit(None, first), ObservationEdit(None, second)]
    )
    assert changes.created[Entity.OBSERVATION] == {first.id, second.id}
    assert measure.id in changes.ids(Entity.MEASURE)
    stored = service.observations(measure.id)
    assert [o.id for o in stored] == [first.id, second.id]
    changed = stored[0].with_changes(numerator=40.0, note="agency staff")
    changes = service.apply_edits(
        measure, [ObservationEdit(stored[0], changed), ObservationEdit(stored[1], None)]
    )
    assert changes.updated[Entity.OBSERVATION] == {first.id}
    assert changes.deleted[Entity.OBSERVATION] == {second.id}
    assert [(o.numerator, o.note) for o in service.observations(measure.id)] == [
        (40.0, "agency staff")
    ]
    assert audit(ws, first.id) == ["insert", "update"]
    assert audit(ws, second.id) == ["insert", "delete"]


def test_a_batch_with_one_bad_row_changes_nothing_and_names_each_problem(
    service: MeasureService, measure: Measure
):
    add(service, measure, point(measure, 0))
    before = service.observations(measure.id)
    good = point(measure, 1)
    zero = point(measure, 2, denominator=0)
    too_many = point(measure, 3, numerator=60, denominator=50)
    off_grid = Observation(measure.id, week(4) + timedelta(days=2), numerator=1, denominator=2)
    batch = [ObservationEdit(None, p) for p in (good, zero, too_many, off_grid)]
    with pytest.raises(ValidationError) as caught:
        service.apply_edits(measure, batch)
    problems = caught.value.problems
    assert problems["17 March 2025: denominator"] == "the denominator must be above zero"
    assert "larger than the denominator" in problems["24 March 2025: numerator"]
    assert "Wednesday" in problems["2 April 2025: period"]
    assert not any(key.startswith("10 March") for key in problems)
    assert service.observations(measure.id) == before
    assert service.edit_problems(measure, batch) == problems


def test_a_duplicate_period_is_refused(service: MeasureService, measure: Measure):
    add(service, measure, point(measure, 0))
    with pytest.raises(ValidationError) as caught:
        add(service, measure, point(measure, 0, numerator=12))
    assert caught.value.problems == {
        "3 March 2025: period": "there is already a point for 3 March 2025"
    }
    with pytest.raises(ValidationError):
        add(service, measure, point(measure, 1), point(measure, 1, numerator=3))
    assert len(service.observations(measure.id)) == 1


def test_a_period_can_move_to_a_freed_period_in_one_batch(
    service: MeasureService, measure: Measure
):
    a, b = point(measure, 0), point(measure, 1)
    add(service, measure, a, b)
    a_stored, b_stored = service.observations(measure.id)
    service.apply_edits(
        measure,
        [
            ObservationEdit(b_stored, None),
            ObservationEdit(a_stored, a_stored.with_changes(period=week(1))),
        ],
    )
    assert [(o.id, o.period) for o in service.observations(measure.id)] == [(a.id, week(1))]


def test_undo_by_inverse_edits_brings_a_deleted_point_back_with_its_id(
    service: MeasureService, measure: Measure, ws: Workspace
):
    original = point(measure, 0, numerator=20)
    add(service, measure, original)
    stored = service.observations(measure.id)[0]
    changed = stored.with_changes(numerator=25.0)
    edit = [ObservationEdit(stored, changed), ObservationEdit(None, point(measure, 1))]
    service.apply_edits(measure, edit)
    undo = [e.inverse() for e in reversed(edit)]
    service.apply_edits(measure, undo)
    assert [(o.id, o.numerator) for o in service.observations(measure.id)] == [(original.id, 20.0)]
    deletion = [ObservationEdit(service.observations(measure.id)[0], None)]
    service.apply_edits(measure, deletion)
    assert service.observations(measure.id) == []
    changes = service.apply_edits(measure, [deletion[0].inverse()])
    assert changes.created[Entity.OBSERVATION] == {original.id}
    (revived,) = service.observations(measure.id)
    assert revived.id == original.id
    assert revived.numerator == 20.0
    assert audit(ws, original.id)[-2:] == ["delete", "restore"]


def test_excluding_needs_a_reason(service: MeasureService, measure: Measure):
    add(service, measure, point(measure, 0))
    stored = service.observations(measure.id)[0]
    with pytest.raises(ValidationError) as caught:
        service.apply_edits(measure, [ObservationEdit(stored, stored.with_changes(excluded=True))])
    assert caught.value.problems == {
        "3 March 2025: exclude_reason": "say why the point is excluded"
    }
    reason = stored.with_changes(excluded=True, exclude_reason="audit sheet lost")
    service.apply_edits(measure, [ObservationEdit(stored, reason)])
    assert service.observations(measure.id)[0].excluded


# -- phases and annotations ----------------------------------------------------------------------


def test_phases_need_a_reason_and_record_who_and_when(
    service: MeasureService, measure: Measure, ws: Workspace
):
    with pytest.raises(ValidationError):
        service.add_phase(Phase(measure.id, week(0), PhaseKind.PHASE, "  "))
    phase = Phase(measure.id, week(3), PhaseKind.PHASE, "checklist adopted (PDSA 3)")
    changes = service.add_phase(phase)
    assert changes.created == {Entity.PHASE: frozenset({phase.id})}
    assert changes.updated == {Entity.MEASURE: frozenset({measure.id})}
    (stored,) = service.phases(measure.id)
    assert stored.reason == "checklist adopted (PDSA 3)"
    assert stored.meta.created_by == "Nurse Lead"
    assert stored.meta.created_at
    service.remove_phase(phase)
    assert service.phases(measure.id) == []
    service.add_phase(phase)  # redo revives the same record
    assert [p.id for p in service.phases(measure.id)] == [phase.id]
    assert audit(ws, phase.id) == ["insert", "delete", "restore"]


def test_annotations_add_remove_revive_and_change(
    service: MeasureService, measure: Measure, ws: Workspace
):
    note = Annotation(measure.id, week(2), "PDSA 1 started", AnnotationKind.TEST_START)
    service.put_annotation(note)
    service.remove_annotation(note)
    assert service.annotations(measure.id) == []
    service.put_annotation(replace(note, text="PDSA 1 started: checklist"))
    (stored,) = service.annotations(measure.id)
    assert stored.id == note.id
    assert stored.text == "PDSA 1 started: checklist"
    assert stored.kind is AnnotationKind.TEST_START
    assert audit(ws, note.id) == ["insert", "delete", "restore", "update"]
    with pytest.raises(ValidationError):
        service.put_annotation(Annotation(measure.id, week(2), " "))


# -- the chart ------------------------------------------------------------------------------------


def test_chart_computes_from_what_is_stored(service: MeasureService, measure: Measure):
    add(service, measure, *(point(measure, i, numerator=20 + i) for i in range(12)))
    service.add_phase(Phase(measure.id, week(6), PhaseKind.PHASE, "new checklist"))
    service.put_annotation(Annotation(measure.id, week(6), "checklist"))
    data = service.chart(measure.id)
    assert data.chart is ChartType.P
    assert len(data.periods) == 12
    assert data.result is not None
    assert len(data.result.phases) == 2
    assert [a.text for a in data.annotations] == ["checklist"]
    run = service.chart(measure.id, view=ChartView.IMPROVEMENT)
    assert run.chart is ChartType.RUN
    override = service.chart(measure.id, chart=ChartType.I, preset=Preset.MDC)
    assert (override.chart, override.preset) == (ChartType.I, Preset.MDC)


# -- the kept points follow every writer ---------------------------------------------------------


def test_kept_points_follow_edits_and_period_moves(
    service: MeasureService, measure: Measure, ws: Workspace
):
    add(service, measure, point(measure, 0), point(measure, 2))
    assert [o.period for o in service.observations(measure.id)] == [week(0), week(2)]
    first, _ = service.observations(measure.id)
    service.apply_edits(
        measure,
        [
            ObservationEdit(first, first.with_changes(period=week(3))),
            ObservationEdit(None, point(measure, 1)),
        ],
    )
    kept = service.observations(measure.id)
    assert [o.period for o in kept] == [week(1), week(2), week(3)]
    fresh = MeasureService(ws).observations(measure.id)  # read back from the store
    assert kept == fresh
    assert kept[2].meta.revision == 2


def test_kept_points_notice_writes_by_another_service(ws: Workspace, measure: Measure):
    one, other = MeasureService(ws), MeasureService(ws)
    add(one, measure, point(measure, 0))
    assert len(one.observations(measure.id)) == 1
    add(other, measure, point(measure, 1))
    assert len(one.observations(measure.id)) == 2


def test_kept_points_notice_writes_by_another_connection(
    service: MeasureService, measure: Measure, ws: Workspace
):
    add(service, measure, point(measure, 0))
    assert service.observations(measure.id)[0].numerator == 30
    other = sqlite3.connect(ws.path)
    try:
        other.execute("UPDATE observation SET numerator = 7")
        other.commit()
    finally:
        other.close()
    assert service.observations(measure.id)[0].numerator == 7


def test_points_read_inside_a_rolled_back_transaction_are_not_kept(
    service: MeasureService, measure: Measure, ws: Workspace
):
    add(service, measure, point(measure, 0))
    seen: list[int] = []

    def add_then_fail() -> None:
        with ws.atomic():
            add(service, measure, point(measure, 1))
            seen.append(len(service.observations(measure.id)))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert seen == [2]
    assert len(service.observations(measure.id)) == 1


def test_audit_rows_hold_before_and_after(service: MeasureService, measure: Measure, ws: Workspace):
    p = point(measure, 0)
    add(service, measure, p)
    stored = service.observations(measure.id)[0]
    service.apply_edits(measure, [ObservationEdit(stored, stored.with_changes(note="late"))])
    before, after = ws.db.execute(
        "SELECT before, after FROM audit_log WHERE record_id = ? AND action = 'update'", [p.id]
    ).fetchone()
    assert json.loads(before)["note"] == ""
    assert json.loads(after)["note"] == "late"
    assert json.loads(after)["updated_by"] == "Nurse Lead"
