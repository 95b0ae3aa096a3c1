"""Measures and their data: define, edit, enter and correct points, phases and annotations.

Each call is one transaction and returns a ``Changes`` summary. Observation edits are batches
(one typed cell, or a whole pasted block): every edit is validated first and the batch is
refused as a whole, with a reason per row and field, if any part of it is bad.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from qidesk.core.changes import Changes, Entity
from qidesk.core.charting import ChartData, ChartView, chart_data
from qidesk.core.errors import ValidationError
from qidesk.core.measures import (
    Annotation,
    Measure,
    Observation,
    Phase,
    duplicate_period_problems,
    observation_problems,
    validate_measure,
)
from qidesk.core.periods import format_date
from qidesk.core.spc.types import ChartType, Preset
from qidesk.services.pdsa import PdsaService
from qidesk.store.database import Workspace
from qidesk.store.measures_repo import MeasureRepository


class MeasureResult(NamedTuple):
    """A stored measure and what the operation changed."""

    measure: Measure
    changes: Changes


@dataclass(frozen=True)
class ObservationEdit:
    """One change to a measure's data: ``before`` → ``after`` (``None`` = absent).

    ``before=None`` adds a point; ``after=None`` deletes one. :meth:`inverse` undoes it.
    """

    before: Observation | None
    after: Observation | None

    def inverse(self) -> ObservationEdit:
        """The edit that undoes this one."""
        return ObservationEdit(self.after, self.before)


class MeasureService:
    """Use cases on measures and their data in one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._repo = MeasureRepository(workspace)
        #: measure id -> (store stamp when read, its live points in period order); a cached
        #: list is used only while the stamp still matches (see ``MeasureRepository.stamp``)
        self._points: dict[str, tuple[tuple[int, int], tuple[Observation, ...]]] = {}

    # measures ------------------------------------------------------------------------
    def for_project(self, project_id: str) -> list[Measure]:
        """The project's measures in display order."""
        return self._repo.for_project(project_id)

    def get(self, measure_id: str) -> Measure:
        """One measure (raises ``NotFoundError``)."""
        return self._repo.get(measure_id)

    def create(self, measure: Measure) -> MeasureResult:
        """Store a new measure."""
        validate_measure(measure)
        with self._ws.atomic():
            stored = self._repo.add(measure)
        return MeasureResult(stored, Changes.of(created={Entity.MEASURE: [stored.id]}))

    def update(self, measure: Measure) -> MeasureResult:
        """Save every field of an existing measure."""
        validate_measure(measure)
        with self._ws.atomic():
            stored = self._repo.save(measure)
        return MeasureResult(stored, Changes.of(updated={Entity.MEASURE: [stored.id]}))

    def delete(self, measure_id: str) -> Changes:
        """Delete a measure (tombstone; restorable)."""
        with self._ws.atomic():
            self._repo.delete(measure_id)
        return Changes.of(deleted={Entity.MEASURE: [measure_id]})

    def restore(self, measure_id: str) -> MeasureResult:
        """Bring a deleted measure back."""
        with self._ws.atomic():
            self._repo.restore(measure_id)
            stored = self._repo.get(measure_id)
        return MeasureResult(stored, Changes.of(created={Entity.MEASURE: [measure_id]}))

    def last_changed(self, measure_id: str) -> str:
        """When the measure or its data last changed (ISO 8601 UTC)."""
        return self._repo.last_changed(measure_id)

    def chart(
        self,
        measure_id: str,
        *,
        view: ChartView = ChartView.DEFAULT,
        chart: ChartType | None = None,
        preset: Preset | None = None,
    ) -> ChartData:
        """The measure's chart, computed from what is stored now.

        Its annotations are the measure's own plus the start and end of every PDSA cycle
        linked to it (virtual markers: unlinking the cycle removes them).
        """
        measure = self._repo.get(measure_id)
        annotations = [
            *self._repo.annotations(measure_id),
            *PdsaService(self._ws).pdsa_annotations(measure_id),
        ]
        return chart_data(
            measure,
            self.observations(measure_id),
            self._repo.phases(measure_id),
            annotations,
            view=view,
            chart=chart,
            preset=preset,
        )

    # observations --------------------------------------------------------------------
    def observations(self, measure_id: str) -> list[Observation]:
        """The measure's live data points in period order.

        Kept between calls while nothing has written to the store since (the store's stamp is
        unchanged), and patched by :meth:`apply_edits`, so that typing one value into a long
        series does not read every point back (benchmarks/chart_update.py).
        """
        stamp = self._repo.stamp()
        cached = self._points.get(measure_id)
        if stamp is not None and cached is not None and cached[0] == stamp:
            return list(cached[1])
        points = self._repo.observations(measure_id)
        if stamp is not None:
            self._points[measure_id] = (stamp, tuple(points))
        return points

    def edit_problems(self, measure: Measure, edits: Sequence[ObservationEdit]) -> dict[str, str]:
        """Every reason the batch would be refused, keyed ``"<period>: <field>"`` (empty = ok)."""
        problems: dict[str, str] = {}
        periods = {edit.after.period for edit in edits if edit.after is not None}
        current = {o.id: o for o in self.observations(measure.id) if o.period in periods}
        for edit in edits:
            if edit.before is not None:
                current.pop(edit.before.id, None)
        for edit in edits:
            if edit.after is None:
                continue
            obs = edit.after
            if obs.measure_id != measure.id:
                problems[f"{format_date(obs.period)}: measure"] = "belongs to another measure"
            for field, reason in observation_problems(measure, obs).items():
                problems[f"{format_date(obs.period)}: {field}"] = reason
            current[obs.id] = obs
        for obs_id, reason in duplicate_period_problems(list(current.values())).items():
            problems[f"{format_date(current[obs_id].period)}: period"] = reason
        return problems

    def apply_edits(self, measure: Measure, edits: Sequence[ObservationEdit]) -> Changes:
        """Apply a batch of observation edits in one transaction, or refuse all of it."""
        problems = self.edit_problems(measure, edits)
        if problems:
            raise ValidationError(problems)
        created: set[str] = set()
        updated: set[str] = set()
        deleted: set[str] = set()
        stored: dict[str, Observation | None] = {}
        stamp = self._repo.stamp()
        cached = self._points.pop(measure.id, None)
        with self._ws.atomic():
            for edit in edits:  # deletions first so a period can move between points
                if edit.after is None and edit.before is not None:
                    self._repo.delete_observation(edit.before.id)
                    deleted.add(edit.before.id)
                    stored[edit.before.id] = None
            for edit in edits:
                if edit.after is not None:
                    new, saved = self._upsert(edit.after)
                    (created if new else updated).add(edit.after.id)
                    stored[saved.id] = saved
        after = self._repo.stamp()
        if cached is not None and stamp is not None and after is not None and cached[0] == stamp:
            self._points[measure.id] = (after, _patched(cached[1], stored))
        return Changes.of(
            created={Entity.OBSERVATION: created},
            updated={Entity.OBSERVATION: updated, Entity.MEASURE: [measure.id]},
            deleted={Entity.OBSERVATION: deleted},
        )

    def _upsert(self, obs: Observation) -> tuple[bool, Observation]:
        """Write ``obs`` (insert, revive a tombstoned row, or update).

        Returns whether it is new, and the point as stored.
        """
        stored, new = self._repo.put_observation(obs)
        return new, stored

    # phases and annotations ----------------------------------------------------------
    def phases(self, measure_id: str) -> list[Phase]:
        """The measure's baseline freezes and phases in period order."""
        return self._repo.phases(measure_id)

    def add_phase(self, phase: Phase) -> Changes:
        """Freeze a baseline or start a new phase (a reason is required).

        Undo with :meth:`remove_phase`; adding the same phase again revives it.
        """
        with self._ws.atomic():
            self._repo.put_phase(phase)
        return Changes.of(
            created={Entity.PHASE: [phase.id]}, updated={Entity.MEASURE: [phase.measure_id]}
        )

    def remove_phase(self, phase: Phase) -> Changes:
        """Remove a phase or baseline freeze (tombstone)."""
        with self._ws.atomic():
            self._repo.delete_phase(phase.id)
        return Changes.of(
            deleted={Entity.PHASE: [phase.id]}, updated={Entity.MEASURE: [phase.measure_id]}
        )

    def annotations(self, measure_id: str) -> list[Annotation]:
        """The measure's annotations in period order."""
        return self._repo.annotations(measure_id)

    def put_annotation(self, annotation: Annotation) -> Changes:
        """Add an annotation, revive a removed one, or save a changed one."""
        with self._ws.atomic():
            self._repo.put_annotation(annotation)
        return Changes.of(
            created={Entity.ANNOTATION: [annotation.id]},
            updated={Entity.MEASURE: [annotation.measure_id]},
        )

    def remove_annotation(self, annotation: Annotation) -> Changes:
        """Remove an annotation (tombstone)."""
        with self._ws.atomic():
            self._repo.delete_annotation(annotation.id)
        return Changes.of(
            deleted={Entity.ANNOTATION: [annotation.id]},
            updated={Entity.MEASURE: [annotation.measure_id]},
        )


def _patched(
    points: tuple[Observation, ...], stored: dict[str, Observation | None]
) -> tuple[Observation, ...]:
    """``points`` (period order) after writing ``stored`` (id -> stored point, None = deleted)."""
    position = {o.id: i for i, o in enumerate(points)}
    out: list[Observation | None] = list(points)
    reorder = False
    for obs_id, obs in stored.items():
        i = position.get(obs_id)
        if i is None:
            if obs is not None:
                out.append(obs)
                reorder = True
        else:
            before = out[i]
            reorder = reorder or obs is None or (before is not None and before.period != obs.period)
            out[i] = obs
    live = [o for o in out if o is not None]
    if reorder:
        live.sort(key=lambda o: o.period)
    return tuple(live)
