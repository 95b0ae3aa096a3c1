"""Undo commands of the driver diagram. Each calls :class:`DiagramService`; none edits a view.

Pushing a command runs its ``redo()``; the returned ``Changes`` are broadcast and the panels
redraw. Consecutive text edits of one box merge into one undo step; compound edits (deleting
several boxes, dropping several boxes) are pushed as macros by the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

from PySide6.QtGui import QUndoCommand

from qidesk.core.changes import Changes
from qidesk.core.drivers import NodeKind, Removal, Strength
from qidesk.services.diagram import DiagramService
from qidesk.ui.commands import ServiceCommand
from qidesk.ui.context import WorkspaceContext

T = TypeVar("T")

#: merge id of text edits (QUndoCommand ids are per-stack integers; -1 never merges)
EDIT_TEXT_ID = 0x4454  # "DT"


def short(text: str, limit: int = 32) -> str:
    """``text`` cut to ``limit`` characters for an undo-menu label."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DiagramCommand(ServiceCommand):
    """Base of the diagram's commands: the service and the project they work on."""

    def __init__(
        self, context: WorkspaceContext, service: DiagramService, project_id: str, text: str
    ) -> None:
        super().__init__(context, text)
        self.service = service
        self.project_id = project_id


class AddNodeCommand(DiagramCommand):
    """Add a box under a parent; undo deletes it, redo brings the same record back."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        parent_id: str,
        text: str,
        kind: NodeKind,
        after_id: str | None = None,
    ) -> None:
        super().__init__(context, service, project_id, f"Add {kind.label.lower()} “{short(text)}”")
        self.parent_id = parent_id
        self.node_text = text
        self.kind = kind
        self.after_id = after_id
        self.node_id: str | None = None
        self.removal: Removal | None = None

    def _do(self) -> Changes:
        if self.removal is not None:
            return self.service.restore(self.project_id, self.removal)
        result = self.service.add_node(
            self.project_id, self.parent_id, self.node_text, self.kind, after_id=self.after_id
        )
        self.node_id = result.node.id
        return result.changes

    def _undo(self) -> Changes:
        assert self.node_id is not None
        result = self.service.delete_node(self.project_id, self.node_id)
        self.removal = result.removal
        return result.changes


class EditTextCommand(DiagramCommand):
    """Change a box's text (the aim box: the project's aim). Edits of one box merge."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        node_id: str,
        before: str,
        after: str,
    ) -> None:
        super().__init__(context, service, project_id, f"Edit “{short(after)}”")
        self.node_id = node_id
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        return self.service.edit_text(self.project_id, self.node_id, self.after)

    def _undo(self) -> Changes:
        return self.service.edit_text(self.project_id, self.node_id, self.before, restoring=True)

    def id(self) -> int:
        """Text edits share a merge id."""
        return EDIT_TEXT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Merge a later edit of the same box into this one (one undo step)."""
        if not isinstance(other, EditTextCommand) or other.node_id != self.node_id:
            return False
        self.after = other.after
        self.setText(f"Edit “{short(self.after)}”")
        return True


class DeleteNodeCommand(DiagramCommand):
    """Delete a box (and the boxes left with no parent); undo restores exactly those."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        node_id: str,
        label: str,
    ) -> None:
        super().__init__(context, service, project_id, f"Delete “{short(label)}”")
        self.node_id = node_id
        self.removal: Removal | None = None

    def _do(self) -> Changes:
        result = self.service.delete_node(self.project_id, self.node_id)
        self.removal = result.removal
        return result.changes

    def _undo(self) -> Changes:
        assert self.removal is not None
        return self.service.restore(self.project_id, self.removal)


class _BoxPairCommand(DiagramCommand):
    """Base of linking and unlinking a parent and a child: remembers the link record touched."""

    #: the undo-menu text
    undo_text: ClassVar[str] = ""

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        parent_id: str,
        child_id: str,
    ) -> None:
        super().__init__(context, service, project_id, self.undo_text)
        self.parent_id = parent_id
        self.child_id = child_id
        self.link_id: str | None = None

    def _link_id(self) -> str:
        """The link record that redo made or removed (redo has run before any undo)."""
        assert self.link_id is not None
        return self.link_id


class LinkCommand(_BoxPairCommand):
    """Link a child under a parent; undo removes the link again."""

    undo_text = "Link boxes"

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        parent_id: str,
        child_id: str,
        strength: Strength = Strength.STRONG,
    ) -> None:
        super().__init__(context, service, project_id, parent_id, child_id)
        self.strength = strength

    def _do(self) -> Changes:
        result = self.service.link(self.project_id, self.parent_id, self.child_id, self.strength)
        self.link_id = result.link.id
        return result.changes

    def _undo(self) -> Changes:
        return self.service.delete_link(self.project_id, self._link_id())


class UnlinkCommand(_BoxPairCommand):
    """Remove the link between two boxes; undo brings the same link back."""

    undo_text = "Unlink boxes"

    def _do(self) -> Changes:
        result = self.service.unlink(self.project_id, self.parent_id, self.child_id)
        self.link_id = result.link.id
        return result.changes

    def _undo(self) -> Changes:
        return self.service.restore_link(self.project_id, self._link_id())


class MoveCommand(DiagramCommand):
    """Re-parent a box; undo moves it back."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        node_id: str,
        old_parent_id: str,
        new_parent_id: str,
        label: str,
    ) -> None:
        super().__init__(context, service, project_id, f"Move “{short(label)}”")
        self.node_id = node_id
        self.old_parent_id = old_parent_id
        self.new_parent_id = new_parent_id

    def _do(self) -> Changes:
        return self.service.move(
            self.project_id, self.node_id, self.old_parent_id, self.new_parent_id
        ).changes

    def _undo(self) -> Changes:
        return self.service.move(
            self.project_id, self.node_id, self.new_parent_id, self.old_parent_id
        ).changes


class SetCommand(DiagramCommand, Generic[T]):
    """Set one value (status, strength, pin, order, category): redo sets after, undo before."""

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        text: str,
        apply: Callable[[T], Changes],
        before: T,
        after: T,
    ) -> None:
        super().__init__(context, service, project_id, text)
        self.apply = apply
        self.before = before
        self.after = after

    def _do(self) -> Changes:
        return self.apply(self.after)

    def _undo(self) -> Changes:
        return self.apply(self.before)


class MeasureLinkCommand(DiagramCommand):
    """Link a measure to a box (or, with ``link=False``, unlink it); undo does the opposite.

    Unlinking tombstones the link record and linking again revives it, so redo after undo
    brings back the same record.
    """

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        project_id: str,
        node_id: str,
        measure_id: str,
        *,
        link: bool,
        label: str,
    ) -> None:
        verb = "Link measure" if link else "Unlink measure"
        super().__init__(context, service, project_id, f"{verb} “{short(label)}”")
        self.node_id = node_id
        self.measure_id = measure_id
        self.link = link

    def _apply(self, link: bool) -> Changes:
        if link:
            return self.service.link_measure(self.project_id, self.node_id, self.measure_id).changes
        return self.service.unlink_measure(self.project_id, self.node_id, self.measure_id).changes

    def _do(self) -> Changes:
        return self._apply(self.link)

    def _undo(self) -> Changes:
        return self._apply(not self.link)
