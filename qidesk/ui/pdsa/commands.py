"""Undo commands of the PDSA panel. Each calls :class:`PdsaService`; none edits a view.

Pushing a command runs its ``redo()``; the returned ``Changes`` are broadcast and the panels
refresh. A command that creates a cycle remembers its id: undo deletes (tombstones) it and redo
restores the same record, so its history and links survive undo and redo.
"""

from __future__ import annotations

from qidesk.core.changes import Changes
from qidesk.core.pdsa import PdsaCycle
from qidesk.services.pdsa import PdsaService
from qidesk.ui.commands import ServiceCommand
from qidesk.ui.context import WorkspaceContext


def short(text: str, limit: int = 40) -> str:
    """``text`` cut to ``limit`` characters for an undo-menu label."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class PdsaCommand(ServiceCommand):
    """Base of the PDSA commands: the service they call."""

    def __init__(self, context: WorkspaceContext, service: PdsaService, text: str) -> None:
        super().__init__(context, text)
        self.service = service


class CreateCycleCommand(PdsaCommand):
    """Create a cycle; undo deletes it, redo brings the same record back."""

    def __init__(self, context: WorkspaceContext, service: PdsaService, cycle: PdsaCycle) -> None:
        super().__init__(context, service, f"New PDSA cycle “{short(cycle.label)}”")
        self.cycle = cycle
        self._created = False

    def _do(self) -> Changes:
        if self._created:
            return self.service.restore(self.cycle.id).changes
        result = self.service.create(self.cycle)
        self._created = True
        self.cycle = result.cycle
        return result.changes

    def _undo(self) -> Changes:
        return self.service.delete(self.cycle.id)


class EditCycleCommand(PdsaCommand):
    """Save a new version of a whole cycle; undo saves the version before it back."""

    def __init__(
        self, context: WorkspaceContext, service: PdsaService, before: PdsaCycle, after: PdsaCycle
    ) -> None:
        super().__init__(context, service, f"Edit PDSA cycle “{short(after.label)}”")
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        result = self.service.update(self.after)
        self.before = result.before
        return result.changes

    def _undo(self) -> Changes:
        return self.service.update(self.before).changes


class DeleteCycleCommand(PdsaCommand):
    """Delete a cycle (a tombstone, with its questions, tasks and links); undo restores it."""

    def __init__(self, context: WorkspaceContext, service: PdsaService, cycle: PdsaCycle) -> None:
        super().__init__(context, service, f"Delete PDSA cycle “{short(cycle.label)}”")
        self.cycle = cycle

    def _do(self) -> Changes:
        return self.service.delete(self.cycle.id)

    def _undo(self) -> Changes:
        return self.service.restore(self.cycle.id).changes


class StartNextCycleCommand(PdsaCommand):
    """Start the next cycle of a ramp, linked and pre-filled; undo deletes it, redo restores it.

    After the first ``redo()``, :attr:`new_cycle` is the cycle that was created.
    """

    def __init__(self, context: WorkspaceContext, service: PdsaService, cycle: PdsaCycle) -> None:
        super().__init__(context, service, f"Start the cycle after “{short(cycle.label)}”")
        self.source = cycle
        self.new_cycle: PdsaCycle | None = None

    def _do(self) -> Changes:
        if self.new_cycle is not None:
            return self.service.restore(self.new_cycle.id).changes
        result = self.service.start_next_cycle(self.source.id)
        self.new_cycle = result.cycle
        return result.changes

    def _undo(self) -> Changes:
        assert self.new_cycle is not None
        return self.service.delete(self.new_cycle.id)
