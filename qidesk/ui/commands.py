"""Undo commands. Each calls a service; the main window broadcasts the returned ``Changes``.

Pushing a command runs its ``redo()``: callers never do the edit themselves.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from qidesk.core.changes import Changes
from qidesk.core.project import Project
from qidesk.ui.context import WorkspaceContext


class ServiceCommand(QUndoCommand):
    """Base: subclasses implement ``_do``/``_undo`` returning ``Changes``; errors propagate."""

    def __init__(self, context: WorkspaceContext, text: str) -> None:
        super().__init__(text)
        self.context = context

    def redo(self) -> None:
        """Apply the change and broadcast it."""
        self.context.broadcast(self._do())

    def undo(self) -> None:
        """Reverse the change and broadcast it."""
        self.context.broadcast(self._undo())

    def _do(self) -> Changes:
        raise NotImplementedError

    def _undo(self) -> Changes:
        raise NotImplementedError


class CreateProjectCommand(ServiceCommand):
    """Create a project; undo deletes it (a tombstone), redo restores it."""

    def __init__(self, context: WorkspaceContext, project: Project) -> None:
        super().__init__(context, f"Create project “{project.title}”")
        self.project = project
        self._created = False

    def _do(self) -> Changes:
        if not self._created:
            self._created = True
            result = self.context.projects.create(self.project)
            self.project = result.project
            return result.changes
        return self.context.projects.restore(self.project.id).changes

    def _undo(self) -> Changes:
        return self.context.projects.delete(self.project.id)


class EditProjectCommand(ServiceCommand):
    """Save a new version of a project's charter; undo saves the previous version back."""

    def __init__(
        self, context: WorkspaceContext, before: Project, after: Project, text: str = ""
    ) -> None:
        super().__init__(context, text or f"Edit project “{after.title}”")
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        return self.context.projects.update(self.after).changes

    def _undo(self) -> Changes:
        return self.context.projects.update(self.before).changes


class DeleteProjectCommand(ServiceCommand):
    """Delete a project (tombstone); undo restores it."""

    def __init__(self, context: WorkspaceContext, project: Project) -> None:
        super().__init__(context, f"Delete project “{project.title}”")
        self.project = project

    def _do(self) -> Changes:
        return self.context.projects.delete(self.project.id)

    def _undo(self) -> Changes:
        return self.context.projects.restore(self.project.id).changes
