"""Measures, observations, chart phases and annotations: rows <-> ``qidesk.core.measures``.

The only module that knows how these records are laid out in tables. Writes go through
:mod:`qidesk.store.records` (audited, revisioned, tombstoned) and run inside the caller's
``ws.atomic()``.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable
from datetime import date

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
    annotation_problems,
    measure_problems,
    phase_problems,
)
from qidesk.core.periods import Period
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.store import records
from qidesk.store.database import Workspace
from qidesk.store.records import Row, meta_from_row

MEASURE = "measure"
OBSERVATION = "observation"
PHASE = "chart_phase"
ANNOTATION = "annotation"


def _require_date(text: str) -> date:
    return date.fromisoformat(text)


def _check(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError(problems)


# --------------------------------------------------------------------------- measures


def measure_columns(m: Measure) -> Row:
    """The stored columns of a measure (without id and metadata)."""
    return {
        "project_id": m.project_id,
        "name": m.name.strip(),
        "measure_type": m.measure_type.value,
        "definition": m.definition,
        "numerator_definition": m.numerator_definition,
        "denominator_definition": m.denominator_definition,
        "inclusions": m.inclusions,
        "exclusions": m.exclusions,
        "data_type": m.data_type.value,
        "multiplier": float(m.multiplier),
        "unit": m.unit,
        "period": m.period.value,
        "week_start": m.week_start,
        "data_source": m.data_source,
        "collected_by": m.collected_by,
        "direction": m.direction.value,
        "target": m.target,
        "trajectory": json.dumps([[s.start.isoformat(), s.value] for s in m.trajectory]),
        "chart": m.chart.value,
        "preset": m.preset.value,
        "owner": m.owner,
        "decimals": m.decimals,
    }


def measure_from_row(row: Row) -> Measure:
    """A :class:`Measure` from its row."""
    trajectory = tuple(
        TargetPoint(_require_date(start), float(value))
        for start, value in json.loads(row["trajectory"])
    )
    return Measure(
        project_id=row["project_id"],
        name=row["name"],
        measure_type=MeasureType(row["measure_type"]),
        definition=row["definition"],
        numerator_definition=row["numerator_definition"],
        denominator_definition=row["denominator_definition"],
        inclusions=row["inclusions"],
        exclusions=row["exclusions"],
        data_type=DataType(row["data_type"]),
        multiplier=float(row["multiplier"]),
        unit=row["unit"],
        period=Period(row["period"]),
        week_start=int(row["week_start"]),
        data_source=row["data_source"],
        collected_by=row["collected_by"],
        direction=Direction(row["direction"]),
        target=row["target"],
        trajectory=trajectory,
        chart=ChartType(row["chart"]),
        preset=Preset(row["preset"]),
        owner=row["owner"],
        decimals=int(row["decimals"]),
        id=row["id"],
        meta=meta_from_row(row),
    )


def observation_columns(o: Observation) -> Row:
    """The stored columns of an observation (without id and metadata)."""
    return {
        "measure_id": o.measure_id,
        "period": o.period.isoformat(),
        "value": o.value,
        "numerator": o.numerator,
        "denominator": o.denominator,
        "note": o.note,
        "excluded": int(o.excluded),
        "exclude_reason": o.exclude_reason,
        "source": o.source,
    }


def observation_from_row(row: Row) -> Observation:
    """An :class:`Observation` from its row."""
    return Observation(
        measure_id=row["measure_id"],
        period=_require_date(row["period"]),
        value=row["value"],
        numerator=row["numerator"],
        denominator=row["denominator"],
        note=row["note"],
        excluded=bool(row["excluded"]),
        exclude_reason=row["exclude_reason"],
        source=row["source"],
        id=row["id"],
        meta=meta_from_row(row),
    )


def phase_columns(p: Phase) -> Row:
    """The stored columns of a chart phase."""
    return {
        "measure_id": p.measure_id,
        "period": p.period.isoformat(),
        "kind": p.kind.value,
        "reason": p.reason.strip(),
        "pdsa_id": p.pdsa_id,
    }


def phase_from_row(row: Row) -> Phase:
    """A :class:`Phase` from its row."""
    return Phase(
        measure_id=row["measure_id"],
        period=_require_date(row["period"]),
        kind=PhaseKind(row["kind"]),
        reason=row["reason"],
        pdsa_id=row["pdsa_id"],
        id=row["id"],
        meta=meta_from_row(row),
    )


def annotation_columns(a: Annotation) -> Row:
    """The stored columns of an annotation."""
    return {
        "measure_id": a.measure_id,
        "period": a.period.isoformat(),
        "text": a.text.strip(),
        "kind": a.kind.value,
        "pdsa_id": a.pdsa_id,
    }


def annotation_from_row(row: Row) -> Annotation:
    """An :class:`Annotation` from its row."""
    return Annotation(
        measure_id=row["measure_id"],
        period=_require_date(row["period"]),
        text=row["text"],
        kind=AnnotationKind(row["kind"]),
        pdsa_id=row["pdsa_id"],
        id=row["id"],
        meta=meta_from_row(row),
    )


class MeasureRepository:
    """Load and store the measures of a workspace and everything charted with them."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    # measures ------------------------------------------------------------------------
    def get(self, measure_id: str, include_deleted: bool = False) -> Measure:
        """One measure; :class:`NotFoundError` when absent or deleted."""
        row = records.fetch(self._ws, MEASURE, measure_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That measure does not exist (it may have been deleted).")
        return measure_from_row(row)

    def for_project(self, project_id: str) -> builtins.list[Measure]:
        """The live measures of a project, in their display order."""
        rows = self._ws.db.query(
            "SELECT * FROM measure WHERE project_id = ? AND deleted_at IS NULL "
            "ORDER BY sort_order, created_at, id",
            [project_id],
        )
        return [measure_from_row(r) for r in rows]

    def add(self, measure: Measure) -> Measure:
        """Store a new measure."""
        _check(measure_problems(measure))
        order = self._ws.db.execute(
            "SELECT COALESCE(MAX(sort_order), -1) + 1 FROM measure WHERE project_id = ?",
            [measure.project_id],
        ).fetchone()[0]
        row = records.insert(
            self._ws, MEASURE, {"id": measure.id, **measure_columns(measure), "sort_order": order}
        )
        return measure_from_row(row)

    def save(self, measure: Measure) -> Measure:
        """Save every field of an existing measure."""
        _check(measure_problems(measure))
        _, after = records.update(self._ws, MEASURE, measure.id, measure_columns(measure))
        return measure_from_row(after)

    def delete(self, measure_id: str) -> None:
        """Tombstone a measure (its data stays, hidden with it)."""
        records.tombstone(self._ws, MEASURE, measure_id)

    def restore(self, measure_id: str) -> None:
        """Undo the deletion of a measure."""
        records.restore(self._ws, MEASURE, measure_id)

    # observations --------------------------------------------------------------------
    def observations(self, measure_id: str) -> builtins.list[Observation]:
        """The live observations of a measure in period order."""
        rows = self._ws.db.query(
            "SELECT * FROM observation WHERE measure_id = ? AND deleted_at IS NULL ORDER BY period",
            [measure_id],
        )
        return [observation_from_row(r) for r in rows]

    def observation(self, observation_id: str) -> Observation:
        """One observation (deleted or not); :class:`NotFoundError` when absent."""
        row = records.fetch(self._ws, OBSERVATION, observation_id)
        if row is None:
            raise NotFoundError("That data point does not exist.")
        return observation_from_row(row)

    def add_observations(self, observations: Iterable[Observation]) -> builtins.list[Observation]:
        """Store new observations (the caller validated them)."""
        return [
            observation_from_row(
                records.insert(self._ws, OBSERVATION, {"id": o.id, **observation_columns(o)})
            )
            for o in observations
        ]

    def put_observation(self, observation: Observation) -> tuple[Observation, bool]:
        """Insert, revive or update an observation; True when it is live again (new)."""
        row, new = records.put(
            self._ws, OBSERVATION, {"id": observation.id, **observation_columns(observation)}
        )
        return observation_from_row(row), new

    def delete_observation(self, observation_id: str) -> None:
        """Tombstone an observation."""
        records.tombstone(self._ws, OBSERVATION, observation_id)

    # phases and annotations ----------------------------------------------------------
    def phases(self, measure_id: str) -> builtins.list[Phase]:
        """The live phases of a measure in period order."""
        rows = self._ws.db.query(
            "SELECT * FROM chart_phase WHERE measure_id = ? AND deleted_at IS NULL "
            "ORDER BY period, created_at",
            [measure_id],
        )
        return [phase_from_row(r) for r in rows]

    def put_phase(self, phase: Phase) -> Phase:
        """Store a phase or baseline freeze, or revive a removed one (a reason is required)."""
        _check(phase_problems(phase))
        row, _ = records.put(self._ws, PHASE, {"id": phase.id, **phase_columns(phase)})
        return phase_from_row(row)

    def delete_phase(self, phase_id: str) -> None:
        """Tombstone a phase or baseline freeze."""
        records.tombstone(self._ws, PHASE, phase_id)

    def annotations(self, measure_id: str) -> builtins.list[Annotation]:
        """The live annotations of a measure in period order."""
        rows = self._ws.db.query(
            "SELECT * FROM annotation WHERE measure_id = ? AND deleted_at IS NULL "
            "ORDER BY period, created_at",
            [measure_id],
        )
        return [annotation_from_row(r) for r in rows]

    def put_annotation(self, annotation: Annotation) -> Annotation:
        """Store an annotation, revive a removed one, or save a changed one."""
        _check(annotation_problems(annotation))
        row, _ = records.put(
            self._ws, ANNOTATION, {"id": annotation.id, **annotation_columns(annotation)}
        )
        return annotation_from_row(row)

    def delete_annotation(self, annotation_id: str) -> None:
        """Tombstone an annotation."""
        records.tombstone(self._ws, ANNOTATION, annotation_id)

    def stamp(self) -> tuple[int, int] | None:
        """What the store holds now, as two numbers that only grow (``None`` in a transaction).

        ``PRAGMA data_version`` changes when another connection commits; the connection's
        ``total_changes`` grows with every row this connection writes. While both are unchanged
        nothing can have changed, so a service may keep what it read. Inside a transaction it
        is ``None``: a rollback would undo writes without changing either number.
        """
        conn = self._ws.db.conn
        if conn.in_transaction:
            return None
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        return int(version), int(conn.total_changes)

    def last_changed(self, measure_id: str) -> str:
        """The latest change time over the measure and its observations."""
        row = self._ws.db.execute(
            "SELECT MAX(t) FROM (SELECT updated_at AS t FROM measure WHERE id = ? "
            "UNION ALL SELECT updated_at FROM observation WHERE measure_id = ?)",
            [measure_id, measure_id],
        ).fetchone()
        return str(row[0] or "")
