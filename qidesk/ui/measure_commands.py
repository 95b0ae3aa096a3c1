"""Undo commands for measures and their data. Each calls :class:`MeasureService`.

Pushing a command runs its ``redo()``; callers never make the change themselves. Every command
re-reads the measure it works on when it runs, so that undoing an old data edit after the
measure was edited validates against the measure as it is now.
"""

from __future__ import annotations

from collections.abc import Sequence

from qidesk.core.changes import Changes
from qidesk.core.measures import Annotation, Measure, Phase
from qidesk.services.measures import ObservationEdit
from qidesk.ui.commands import ServiceCommand
from qidesk.ui.context import WorkspaceContext


class CreateMeasureCommand(ServiceCommand):
    """Create a measure; undo deletes it (a tombstone), redo restores the same record."""

    def __init__(self, context: WorkspaceContext, measure: Measure) -> None:
        super().__init__(context, f"Create measure “{measure.name.strip()}”")
        self.measure = measure
        self._created = False

    def _do(self) -> Changes:
        if not self._created:
            result = self.context.measures.create(self.measure)
            self._created = True
            self.measure = result.measure
            return result.changes
        return self.context.measures.restore(self.measure.id).changes

    def _undo(self) -> Changes:
        return self.context.measures.delete(self.measure.id)


class EditMeasureCommand(ServiceCommand):
    """Save a new version of a measure's definition; undo saves the previous version back."""

    def __init__(self, context: WorkspaceContext, before: Measure, after: Measure) -> None:
        super().__init__(context, f"Edit measure “{after.name.strip()}”")
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        return self.context.measures.update(self.after).changes

    def _undo(self) -> Changes:
        return self.context.measures.update(self.before).changes


class DeleteMeasureCommand(ServiceCommand):
    """Delete a measure (tombstone; its data stays with it); undo restores it."""

    def __init__(self, context: WorkspaceContext, measure: Measure) -> None:
        super().__init__(context, f"Delete measure “{measure.name}”")
        self.measure = measure

    def _do(self) -> Changes:
        return self.context.measures.delete(self.measure.id)

    def _undo(self) -> Changes:
        return self.context.measures.restore(self.measure.id).changes


class ObservationEditsCommand(ServiceCommand):
    """One batch of data edits (a typed cell, a pasted block, a deletion) as one undo step.

    Redo applies ``edits`` all-or-nothing through ``MeasureService.apply_edits``; undo applies
    their inverses in reverse order (a deleted point comes back with the same id).
    """

    def __init__(
        self,
        context: WorkspaceContext,
        measure_id: str,
        edits: Sequence[ObservationEdit],
        text: str,
    ) -> None:
        super().__init__(context, text)
        self.measure_id = measure_id
        self.edits = tuple(edits)

    def _measure(self) -> Measure:
        return self.context.measures.get(self.measure_id)

    def _do(self) -> Changes:
        return self.context.measures.apply_edits(self._measure(), self.edits)

    def _undo(self) -> Changes:
        inverse = [edit.inverse() for edit in reversed(self.edits)]
        return self.context.measures.apply_edits(self._measure(), inverse)


class AddPhaseCommand(ServiceCommand):
    """Freeze a baseline or start a new phase (with its reason); undo removes it again."""

    def __init__(self, context: WorkspaceContext, phase: Phase, text: str) -> None:
        super().__init__(context, text)
        self.phase = phase

    def _do(self) -> Changes:
        return self.context.measures.add_phase(self.phase)

    def _undo(self) -> Changes:
        return self.context.measures.remove_phase(self.phase)


class RemovePhaseCommand(ServiceCommand):
    """Remove a baseline freeze or phase; undo brings the same record back."""

    def __init__(self, context: WorkspaceContext, phase: Phase, text: str) -> None:
        super().__init__(context, text)
        self.phase = phase

    def _do(self) -> Changes:
        return self.context.measures.remove_phase(self.phase)

    def _undo(self) -> Changes:
        return self.context.measures.add_phase(self.phase)


class PutAnnotationCommand(ServiceCommand):
    """Add an annotation to a measure's chart; undo removes it, redo revives the same record."""

    def __init__(self, context: WorkspaceContext, annotation: Annotation) -> None:
        super().__init__(context, f"Add annotation “{annotation.text.strip()[:40]}”")
        self.annotation = annotation

    def _do(self) -> Changes:
        return self.context.measures.put_annotation(self.annotation)

    def _undo(self) -> Changes:
        return self.context.measures.remove_annotation(self.annotation)


class RemoveAnnotationCommand(ServiceCommand):
    """Remove an annotation; undo brings the same record back."""

    def __init__(self, context: WorkspaceContext, annotation: Annotation) -> None:
        super().__init__(context, f"Remove annotation “{annotation.text.strip()[:40]}”")
        self.annotation = annotation

    def _do(self) -> Changes:
        return self.context.measures.remove_annotation(self.annotation)

    def _undo(self) -> Changes:
        return self.context.measures.put_annotation(self.annotation)
