"""PDSA use cases: create, edit, delete and restore cycles, start the next one, check fidelity.

Each call that writes is one transaction and returns a ``Changes`` summary. Cycle ids are
reported under :attr:`Entity.PDSA`. A change that moves a cycle's markers on a measure's chart
(its dates, objective, ramp name, number or linked measures) also reports the virtual
annotation ids under :attr:`Entity.ANNOTATION` and the measure under :attr:`Entity.MEASURE`
as updated, as :meth:`MeasureService.put_annotation` does, so that open charts redraw.

Undo: :meth:`PdsaService.update` returns the stored cycle before and after; saving ``before``
again undoes the edit (questions, tasks and links removed by the edit come back with their ids
and history). :meth:`delete` and :meth:`restore` undo each other, and so do
:meth:`start_next_cycle` (or :meth:`create`) and :meth:`delete`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import NamedTuple

from qidesk.core.changes import Changes, Entity
from qidesk.core.drivers import DriverNode, NodeKind
from qidesk.core.errors import NotFoundError
from qidesk.core.fidelity import DataCoverage, FidelityFlag, ProjectFidelity, cycle_flags
from qidesk.core.fidelity import project_fidelity as compute_fidelity
from qidesk.core.measures import Annotation, Measure
from qidesk.core.pdsa import (
    CycleStatus,
    PdsaCycle,
    Ramp,
    cycle_annotations,
    next_cycle,
    ramps,
    validate_cycle,
)
from qidesk.core.periods import next_period
from qidesk.store.database import Workspace
from qidesk.store.drivers_repo import DriverRepository
from qidesk.store.measures_repo import MeasureRepository
from qidesk.store.pdsa_repo import PdsaRepository
from qidesk.store.projects_repo import ProjectRepository


class PdsaResult(NamedTuple):
    """A stored cycle and what the operation changed."""

    cycle: PdsaCycle
    changes: Changes


class RampResult(NamedTuple):
    """The cycles of a ramp as stored, in order, and what the operation changed."""

    cycles: list[PdsaCycle]
    changes: Changes


class UpdateResult(NamedTuple):
    """The cycle as it was and as it is now (undo saves ``before`` back), and the summary."""

    before: PdsaCycle
    after: PdsaCycle
    changes: Changes


def _marker_changes(before: Iterable[PdsaCycle], after: Iterable[PdsaCycle]) -> Changes:
    """ANNOTATION and MEASURE updates for every measure whose PDSA markers differ."""

    def markers(cycles: Iterable[PdsaCycle]) -> dict[str, set[tuple[str, date, str]]]:
        out: dict[str, set[tuple[str, date, str]]] = {}
        for c in cycles:
            for m in c.measure_ids:
                out.setdefault(m, set()).update(
                    (a.id, a.period, a.text) for a in cycle_annotations(c, m)
                )
        return out

    old, new = markers(before), markers(after)
    measures = {m for m in old.keys() | new.keys() if old.get(m, set()) != new.get(m, set())}
    ids = {a[0] for m in measures for a in old.get(m, set()) | new.get(m, set())}
    return Changes.of(updated={Entity.ANNOTATION: ids, Entity.MEASURE: measures})


class PdsaService:
    """Use cases on the PDSA cycles of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._repo = PdsaRepository(workspace)
        self._drivers = DriverRepository(workspace)
        self._measures = MeasureRepository(workspace)
        self._projects = ProjectRepository(workspace)

    # ------------------------------------------------------------------ reading
    def get(self, cycle_id: str) -> PdsaCycle:
        """One live cycle (``NotFoundError`` when absent or deleted)."""
        return self._repo.get(cycle_id)

    def list_cycles(
        self,
        project_id: str,
        *,
        ramp_id: str | None = None,
        status: CycleStatus | None = None,
        change_idea_id: str | None = None,
        measure_id: str | None = None,
    ) -> list[PdsaCycle]:
        """The project's live cycles, ramp by ramp and in order, narrowed by any filter given."""
        out = [c for r in ramps(self._repo.for_project(project_id)) for c in r.cycles]
        if ramp_id is not None:
            out = [c for c in out if c.ramp_id == ramp_id]
        if status is not None:
            out = [c for c in out if c.status is status]
        if change_idea_id is not None:
            out = [c for c in out if change_idea_id in c.change_idea_ids]
        if measure_id is not None:
            out = [c for c in out if measure_id in c.measure_ids]
        return out

    def ramps(self, project_id: str) -> list[Ramp]:
        """The project's ramps, each with its cycles in order."""
        return ramps(self._repo.for_project(project_id))

    def change_ideas(self, project_id: str) -> list[DriverNode]:
        """The project's live change ideas (what a cycle may be linked to), in diagram order."""
        return list(self._drivers.load(project_id).of_kind(NodeKind.CHANGE_IDEA))

    def measures(self, project_id: str) -> list[Measure]:
        """The project's live measures (what a cycle may be linked to)."""
        return self._measures.for_project(project_id)

    def counts_by_change_idea(self, project_id: str) -> dict[str, int]:
        """How many live cycles test each change idea (the diagram's "never tested" gap)."""
        return self._repo.counts_by_change_idea(project_id)

    # ------------------------------------------------------------------ writing
    def create(self, cycle: PdsaCycle) -> PdsaResult:
        """Store a new cycle (refused with a reason per field when it breaks a rule)."""
        with self._ws.atomic():
            self._validate(cycle)
            stored = self._repo.add(cycle)
        changes = Changes.of(created={Entity.PDSA: [stored.id]})
        return PdsaResult(stored, changes.merged(_marker_changes([], [stored])))

    def update(self, cycle: PdsaCycle) -> UpdateResult:
        """Save the whole of an existing live cycle; return it before and after."""
        with self._ws.atomic():
            self._validate(cycle)
            before, after = self._repo.save(cycle)
        changes = Changes.of(updated={Entity.PDSA: [after.id]})
        return UpdateResult(before, after, changes.merged(_marker_changes([before], [after])))

    def delete(self, cycle_id: str) -> Changes:
        """Delete a cycle (tombstones it with its questions, tasks and links; restorable)."""
        with self._ws.atomic():
            cycle = self._repo.delete(cycle_id)
        return Changes.of(deleted={Entity.PDSA: [cycle_id]}).merged(_marker_changes([cycle], []))

    def restore(self, cycle_id: str) -> PdsaResult:
        """Bring a deleted cycle back with everything deleted along with it."""
        with self._ws.atomic():
            stored = self._repo.restore(cycle_id)
        changes = Changes.of(created={Entity.PDSA: [cycle_id]})
        return PdsaResult(stored, changes.merged(_marker_changes([], [stored])))

    def start_next_cycle(self, cycle_id: str) -> PdsaResult:
        """Create the next cycle of ``cycle_id``'s ramp, linked and pre-filled (core rules).

        It is numbered one past the highest number in the ramp.
        """
        with self._ws.atomic():
            cycle = self._repo.get(cycle_id)
            ramp = [
                c for c in self._repo.for_project(cycle.project_id) if c.ramp_id == cycle.ramp_id
            ]
            number = max(c.number for c in ramp) + 1
            return self.create(next_cycle(cycle, number=number))

    def create_ramp(self, cycles: Sequence[PdsaCycle]) -> RampResult:
        """Store a whole ramp in one transaction (demo data, imports): ``cycles`` in order.

        The first cycle keeps its ramp id and name; each later one is put in the same ramp,
        numbered one past the cycle before it and linked to it as its previous cycle. Each is
        checked by the same rules as :meth:`create`; any refusal stores nothing.
        """
        stored: list[PdsaCycle] = []
        changes = Changes()
        with self._ws.atomic():
            for given in cycles:
                cycle = given
                if stored:
                    before = stored[-1]
                    cycle = replace(
                        given,
                        project_id=before.project_id,
                        ramp_id=before.ramp_id,
                        ramp_name=before.ramp_name,
                        number=before.number + 1,
                        previous_cycle_id=before.id,
                    )
                result = self.create(cycle)
                stored.append(result.cycle)
                changes = changes.merged(result.changes)
        return RampResult(stored, changes)

    # ------------------------------------------------------------------ fidelity and charts
    def fidelity(self, project_id: str, today: date | None = None) -> ProjectFidelity:
        """Every fidelity flag of the project's cycles, with the project's counts."""
        cycles = self._repo.for_project(project_id)
        return compute_fidelity(cycles, self._coverage(cycles), today or date.today())

    def cycle_flags(self, cycle_id: str, today: date | None = None) -> list[FidelityFlag]:
        """The fidelity flags of one cycle."""
        cycle = self._repo.get(cycle_id)
        cycles = self._repo.for_project(cycle.project_id)
        return cycle_flags(cycle, cycles, self._coverage([cycle]), today or date.today())

    def pdsa_annotations(self, measure_id: str) -> list[Annotation]:
        """Start and end markers of every live cycle linked to ``measure_id``, by date.

        Virtual annotations (never stored): unlinking the measure or deleting the cycle
        removes them. Ids are stable (see :func:`qidesk.core.pdsa.annotation_id`).
        """
        out = [
            a
            for c in self._repo.linked_to_measure(measure_id)
            for a in cycle_annotations(c, measure_id)
        ]
        return sorted(out, key=lambda a: (a.period, a.kind.value, a.text))

    # ------------------------------------------------------------------ helpers
    def _validate(self, cycle: PdsaCycle) -> None:
        self._projects.get(cycle.project_id)
        others = self._repo.for_project(cycle.project_id)
        validate_cycle(
            cycle,
            others=others,
            change_idea_ids=self._allowed_change_ideas(cycle),
            measure_ids=self._allowed_measures(cycle),
        )

    def _allowed_change_ideas(self, cycle: PdsaCycle) -> set[str]:
        """The cycle's linked ids that are change ideas of its project (even deleted ones)."""
        allowed = set()
        for node_id in cycle.change_idea_ids:
            try:
                node = self._drivers.node(node_id, include_deleted=True)
            except NotFoundError:
                continue
            if node.project_id == cycle.project_id and node.kind is NodeKind.CHANGE_IDEA:
                allowed.add(node_id)
        return allowed

    def _allowed_measures(self, cycle: PdsaCycle) -> set[str]:
        """The cycle's linked ids that are measures of its project (even deleted ones)."""
        allowed = set()
        for measure_id in cycle.measure_ids:
            try:
                measure = self._measures.get(measure_id, include_deleted=True)
            except NotFoundError:
                continue
            if measure.project_id == cycle.project_id:
                allowed.add(measure_id)
        return allowed

    def _coverage(self, cycles: Iterable[PdsaCycle]) -> DataCoverage:
        """Per linked measure, the date spans its data points cover."""
        out: dict[str, list[tuple[date, date]]] = {}
        for measure_id in {m for c in cycles for m in c.measure_ids}:
            try:
                measure = self._measures.get(measure_id)
            except NotFoundError:
                continue
            out[measure_id] = [
                (o.period, next_period(o.period, measure.period) - timedelta(days=1))
                for o in self._measures.observations(measure_id)
                if o.plotted(measure) is not None
            ]
        return out
