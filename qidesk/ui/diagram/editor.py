"""The diagram's editing front door: checks a request against the model, then pushes a command.

The canvas, the outline and the menus all call :class:`DiagramEditor`. It refuses what the
model's rules refuse (empty text, a link that makes a box its own ancestor, a link between
levels that make no sense…) with a plain message *before* anything reaches the undo stack, so
a refused edit never becomes an undo step. It holds the last diagram loaded, with the project's
measures and each change idea's PDSA testing, nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import partial
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from qidesk.core.changes import Changes
from qidesk.core.drivers import (
    DEFAULT_CHILD,
    DriverDiagram,
    DriverNode,
    IdeaStatus,
    IdeaTesting,
    NodeKind,
    clean_category,
    clean_text,
)
from qidesk.core.errors import QideskError, ValidationError
from qidesk.core.measures import Measure
from qidesk.services.diagram import DiagramService, linked_measure_names
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.diagram.commands import (
    AddNodeCommand,
    DeleteNodeCommand,
    DiagramCommand,
    EditTextCommand,
    LinkCommand,
    MeasureLinkCommand,
    MoveCommand,
    SetCommand,
    UnlinkCommand,
    short,
)

T = TypeVar("T")

END_OF_BRANCH = "a change idea is the end of a branch: nothing goes under it"

#: project id -> change idea id -> how its PDSA cycles tested it
TestingProvider = Callable[[str], Mapping[str, IdeaTesting]]


def _reason(error: QideskError) -> str:
    if isinstance(error, ValidationError) and error.problems:
        text = "; ".join(error.problems.values())
    else:
        text = error.message
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


class DiagramEditor(QObject):
    """Turns editing requests into undo commands for the current project's diagram.

    Signals:
        message(str): a refusal or a hint to show the user in plain words ("" clears it).
        selection_requested(list): ids of the boxes to select after an edit.
    """

    message = Signal(str)
    selection_requested = Signal(list)

    def __init__(
        self,
        context: WorkspaceContext,
        service: DiagramService,
        testing: TestingProvider | None = None,
    ) -> None:
        super().__init__()
        self.context = context
        self.service = service
        #: where PDSA testing comes from (the PDSA cycles, through the service, by default)
        self.testing_provider: TestingProvider = testing or service.testing
        self.project_id: str | None = None
        self.diagram = DriverDiagram("")
        self.aim_text = ""
        self.measures: list[Measure] = []
        self.testing: Mapping[str, IdeaTesting] = {}
        self.measure_names: dict[str, tuple[str, ...]] = {}

    # ------------------------------------------------------------------ loading
    def load(self, project_id: str | None) -> None:
        """Read ``project_id``'s diagram, measures and PDSA testing (nothing when ``None``)."""
        self.project_id = project_id
        if project_id is None:
            self.diagram, self.aim_text = DriverDiagram(""), ""
            self.measures, self.testing, self.measure_names = [], {}, {}
            return
        self.diagram = self.service.diagram(project_id)
        self.aim_text = self.service.aim_text(project_id)
        self.measures = self.service.measures(project_id)
        self.testing = dict(self.testing_provider(project_id))
        self.measure_names = linked_measure_names(self.diagram, self.measures)

    def reload_measures(self) -> bool:
        """Read the project's measures again; True when what the diagram shows of them changed.

        For a measure that was edited (renamed, say): its links are unchanged.
        """
        if self.project_id is None:
            return False
        measures = self.service.measures(self.project_id)
        if [(m.id, m.name, m.measure_type) for m in measures] == [
            (m.id, m.name, m.measure_type) for m in self.measures
        ]:
            return False
        self.measures = measures
        self.measure_names = linked_measure_names(self.diagram, measures)
        return True

    def text_for_editing(self, node_id: str) -> str:
        """The text an in-place editor starts with (the aim box: the aim's *what*)."""
        node = self.diagram.node(node_id)
        if node.kind is NodeKind.AIM and self.project_id is not None:
            return self.service.project(self.project_id).aim.what
        return node.text

    def label(self, node_id: str) -> str:
        """A box's text as shown (the aim box shows the aim statement)."""
        node = self.diagram.get(node_id)
        if node is None:
            return ""
        return self.aim_text if node.kind is NodeKind.AIM else node.text

    # ------------------------------------------------------------------ checks
    def _refuse(self, error: QideskError) -> bool:
        self.message.emit(_reason(error))
        return False

    def _checked(self, check: Callable[[], object]) -> bool:
        try:
            check()
        except QideskError as error:
            return self._refuse(error)
        return True

    def child_kind(self, parent_id: str, kind: NodeKind | None = None) -> NodeKind | None:
        """The kind a new child of ``parent_id`` gets, or ``None`` (with a message) if refused."""
        parent = self.diagram.get(parent_id)
        if parent is None or self.project_id is None:
            return None
        kind = kind or DEFAULT_CHILD[parent.kind]
        if kind is None:
            self._refuse(ValidationError({"kind": END_OF_BRANCH}))
            return None
        if not self._checked(lambda: self.diagram.check_new_child(parent_id, kind)):
            return None
        return kind

    def sibling_parent(self, node_id: str) -> str | None:
        """The parent a new sibling of ``node_id`` goes under, or ``None`` (with a message)."""
        node = self.diagram.get(node_id)
        if node is None:
            return None
        if node.kind is NodeKind.AIM:
            self._refuse(ValidationError({"kind": "a diagram has exactly one aim"}))
            return None
        parents = self.diagram.parents(node_id)
        if not parents:
            self._refuse(ValidationError({"kind": "this box hangs under nothing; link it first"}))
            return None
        return parents[0].id

    # ------------------------------------------------------------------ boxes
    def add_child(
        self,
        parent_id: str,
        text: str,
        kind: NodeKind | None = None,
        after_id: str | None = None,
    ) -> str | None:
        """Add a box under ``parent_id``; return its id, or ``None`` when refused."""
        kind = self.child_kind(parent_id, kind)
        if kind is None or self.project_id is None:
            return None
        try:
            cleaned = clean_text(text)
        except ValidationError as error:
            self._refuse(error)
            return None
        command = AddNodeCommand(
            self.context, self.service, self.project_id, parent_id, cleaned, kind, after_id
        )
        self.context.push(command)
        if command.node_id is None:
            return None
        self.message.emit("")
        self.selection_requested.emit([command.node_id])
        return command.node_id

    def add_sibling(self, node_id: str, text: str) -> str | None:
        """Add a box of the same kind just after ``node_id``, under its first parent."""
        parent_id = self.sibling_parent(node_id)
        if parent_id is None:
            return None
        kind = self.diagram.node(node_id).kind
        return self.add_child(parent_id, text, kind, after_id=node_id)

    def edit_text(self, node_id: str, text: str) -> bool:
        """Change a box's text (the aim box: the project's aim); False when refused."""
        if self.project_id is None or node_id not in self.diagram:
            return False
        node = self.diagram.node(node_id)
        try:
            cleaned = clean_text(text, what="aim" if node.kind is NodeKind.AIM else "box")
        except ValidationError as error:
            return self._refuse(error)
        before = self.text_for_editing(node_id)
        if cleaned == before:
            return True
        self.context.push(
            EditTextCommand(self.context, self.service, self.project_id, node_id, before, cleaned)
        )
        self.message.emit("")
        return True

    def delete(self, node_ids: Sequence[str]) -> bool:
        """Delete boxes (one undo step); the aim is refused with a message."""
        if self.project_id is None:
            return False
        wanted = [n for n in node_ids if n in self.diagram]
        if any(self.diagram.node(n).kind is NodeKind.AIM for n in wanted):
            return self._refuse(
                ValidationError({"node": "the aim cannot be deleted; edit it instead"})
            )
        if not wanted:
            return False
        # boxes removed along with an earlier one need no command of their own
        gone: set[str] = set()
        plan: list[str] = []
        diagram = self.diagram
        for node_id in wanted:
            if node_id in gone:
                continue
            removal = diagram.removal(node_id)
            gone |= set(removal.node_ids)
            diagram = diagram.without(removal)
            plan.append(node_id)
        parents = self.diagram.parents(plan[0])
        self._macro(
            f"Delete {len(plan)} boxes" if len(plan) > 1 else None,
            [
                DeleteNodeCommand(self.context, self.service, self.project_id, n, self.label(n))
                for n in plan
            ],
        )
        self.message.emit("")
        self.selection_requested.emit([parents[0].id] if parents else [])
        return True

    def set_status(self, node_ids: Sequence[str], status: IdeaStatus) -> bool:
        """Set the status of the change ideas among ``node_ids``."""
        ideas = [
            self.diagram.node(n)
            for n in node_ids
            if n in self.diagram and self.diagram.node(n).kind is NodeKind.CHANGE_IDEA
        ]
        if not ideas or self.project_id is None:
            return self._refuse(ValidationError({"status": "only change ideas have a status"}))
        commands = [
            self._set_value(
                f"Mark “{short(n.text)}” {status.label.lower()}",
                self.service.set_status,
                n.id,
                n.status or IdeaStatus.IDEA,
                status,
            )
            for n in ideas
            if n.status is not status
        ]
        self._macro(f"Set status of {len(commands)} change ideas", commands)
        return True

    def set_category(self, node_ids: Sequence[str], category: str) -> bool:
        """Give boxes a category label ("" removes it)."""
        if self.project_id is None:
            return False
        try:
            cleaned = clean_category(category)
        except ValidationError as error:
            return self._refuse(error)
        commands = [
            self._set_value(
                f"Category of “{short(self.label(n.id))}”",
                self.service.set_category,
                n.id,
                n.category,
                cleaned,
            )
            for n in (self.diagram.node(i) for i in node_ids if i in self.diagram)
            if n.category != cleaned
        ]
        self._macro(f"Set category of {len(commands)} boxes", commands)
        return True

    def reorder(self, node_id: str, step: int) -> bool:
        """Move a box up (``step`` < 0) or down among its siblings."""
        if self.project_id is None or node_id not in self.diagram:
            return False
        node = self.diagram.node(node_id)
        if node.kind is NodeKind.AIM:
            return False
        new = self.diagram.reorder(node_id, step)
        if new is None:
            self.message.emit("It is already at the " + ("top." if step < 0 else "bottom."))
            return False
        self._set_order(node, new, f"Move “{short(node.text)}” {'up' if step < 0 else 'down'}")
        return True

    def place_before(self, node_id: str, target_id: str, after: bool) -> bool:
        """Reorder ``node_id`` to just before (or after) its sibling ``target_id``."""
        if self.project_id is None:
            return False
        node, target = self.diagram.node(node_id), self.diagram.node(target_id)
        sibs = self.diagram.siblings(target_id)
        index = next(i for i, s in enumerate(sibs) if s.id == target_id)
        neighbour = sibs[index + 1] if after else (sibs[index - 1] if index > 0 else None)
        if after:
            bound = neighbour.order if neighbour and neighbour.id != node_id else target.order + 2
        else:
            bound = neighbour.order if neighbour and neighbour.id != node_id else target.order - 2
        self._set_order(node, (target.order + bound) / 2, f"Move “{short(node.text)}”")
        return True

    def _set_order(self, node: DriverNode, order: float, text: str) -> None:
        """Give ``node`` a new place among its siblings (one undo step) and select it."""
        self.context.push(self._set_value(text, self.service.set_order, node.id, node.order, order))
        self.selection_requested.emit([node.id])

    def pin(self, positions: dict[str, tuple[float, float] | None]) -> bool:
        """Pin boxes at positions (``None`` unpins); one undo step."""
        if self.project_id is None:
            return False
        commands = [
            self._set_value(
                ("Pin" if pos is not None else "Unpin") + f" “{short(self.label(nid))}”",
                self.service.set_pin,
                nid,
                self.diagram.node(nid).pinned_at,
                pos,
            )
            for nid, pos in positions.items()
            if nid in self.diagram and self.diagram.node(nid).pinned_at != pos
        ]
        self._macro(f"Pin {len(commands)} boxes", commands)
        return bool(commands)

    # ------------------------------------------------------------------ links
    def toggle_link(self, a: str, b: str) -> bool:
        """Link two boxes (the one nearer the aim becomes the parent), or unlink them if linked."""
        if self.project_id is None or a not in self.diagram or b not in self.diagram:
            return False
        first, second = self.diagram.node(a), self.diagram.node(b)
        parent, child = (first, second) if first.kind.rank <= second.kind.rank else (second, first)
        if self.diagram.link_between(parent.id, child.id) is not None:
            if not self._checked(lambda: self.diagram.check_unlink(parent.id, child.id)):
                return False
            self.context.push(
                UnlinkCommand(self.context, self.service, self.project_id, parent.id, child.id)
            )
            self.message.emit(
                f"Unlinked “{short(child.text)}” from “{short(self.label(parent.id))}”."
            )
            return True
        if not self._checked(lambda: self.diagram.check_link(parent.id, child.id)):
            return False
        self.context.push(
            LinkCommand(self.context, self.service, self.project_id, parent.id, child.id)
        )
        self.message.emit(f"Linked “{short(child.text)}” under “{short(self.label(parent.id))}”.")
        return True

    def unlink(self, parent_id: str, child_id: str) -> bool:
        """Remove one link (refused when the child would hang under nothing)."""
        if self.project_id is None:
            return False
        if not self._checked(lambda: self.diagram.check_unlink(parent_id, child_id)):
            return False
        self.context.push(
            UnlinkCommand(self.context, self.service, self.project_id, parent_id, child_id)
        )
        return True

    def toggle_strength(self, link_ids: Sequence[str], node_ids: Sequence[str] = ()) -> bool:
        """Toggle strong/weak on the given links, or on the links up from the given boxes."""
        if self.project_id is None:
            return False
        known = {lk.id: lk for lk in self.diagram.links}
        links = [known[i] for i in link_ids if i in known]
        if not links:
            links = [
                lk for n in node_ids if n in self.diagram for lk in self.diagram.parent_links(n)
            ]
        if not links:
            self.message.emit("Choose a link, or a box below another, to change its strength.")
            return False
        commands = [
            self._set_value(
                f"Make link {lk.strength.toggled().label.lower()}",
                self.service.set_strength,
                lk.id,
                lk.strength,
                lk.strength.toggled(),
            )
            for lk in links
        ]
        self._macro(f"Change strength of {len(commands)} links", commands)
        names = sorted({lk.strength.toggled().label.lower() for lk in links})
        self.message.emit(f"Link{'s' if len(links) > 1 else ''} now {' and '.join(names)}.")
        return True

    def drop(self, node_ids: Sequence[str], target_id: str, add_link: bool) -> bool:
        """Boxes dragged onto ``target_id``: re-parent them (or, with ``add_link``, link them).

        Boxes of the same kind under the same parent as the target are reordered instead.
        """
        if self.project_id is None or target_id not in self.diagram:
            return False
        target = self.diagram.node(target_id)
        commands: list[DiagramCommand] = []
        for node_id in node_ids:
            if node_id == target_id or node_id not in self.diagram:
                continue
            node = self.diagram.node(node_id)
            if add_link:
                if not self._checked(partial(self.diagram.check_link, target_id, node_id)):
                    return False
                commands.append(
                    LinkCommand(self.context, self.service, self.project_id, target_id, node_id)
                )
                continue
            parents = self.diagram.parents(node_id)
            if not parents:
                continue
            if self.diagram.link_between(target_id, node_id) is not None:
                continue
            if not self._checked(
                partial(self.diagram.check_move, node_id, parents[0].id, target_id)
            ):
                return False
            commands.append(
                MoveCommand(
                    self.context,
                    self.service,
                    self.project_id,
                    node_id,
                    parents[0].id,
                    target_id,
                    node.text,
                )
            )
        if not commands:
            return False
        verb = "Link" if add_link else "Move"
        self._macro(f"{verb} {len(commands)} boxes under “{short(target.text)}”", commands)
        self.selection_requested.emit(list(node_ids))
        return True

    # ------------------------------------------------------------------ measures
    def measure_name(self, measure_id: str) -> str:
        """The name of one of the project's measures ("" when unknown)."""
        return next((m.name for m in self.measures if m.id == measure_id), "")

    def set_measures(self, node_id: str, measure_ids: Collection[str]) -> bool:
        """Make exactly ``measure_ids`` the measures linked to a box (one undo step).

        Measures not of this project are refused with a message; nothing changes then.
        """
        if self.project_id is None or node_id not in self.diagram:
            return False
        known = {m.id for m in self.measures}
        foreign = [m for m in measure_ids if m not in known]
        if foreign:
            return self._refuse(
                ValidationError(
                    {"measure": "link only this project's measures to its driver diagram"}
                )
            )
        current = self.diagram.measure_ids_of(node_id)
        wanted = [m.id for m in self.measures if m.id in set(measure_ids)]
        pid = self.project_id
        commands = [
            MeasureLinkCommand(
                self.context, self.service, pid, node_id, m, link=True, label=self.measure_name(m)
            )
            for m in wanted
            if m not in current
        ] + [
            MeasureLinkCommand(
                self.context, self.service, pid, node_id, m, link=False, label=self.measure_name(m)
            )
            for m in current
            if m not in set(measure_ids)
        ]
        if not commands:
            self.message.emit(f"The measures of “{short(self.label(node_id))}” are unchanged.")
            return False
        self._macro(f"Measures of “{short(self.label(node_id))}”", commands)
        count = len(self.diagram.measure_ids_of(node_id))
        self.message.emit(
            f"“{short(self.label(node_id))}” now has "
            + (f"{count} measure{'s' if count != 1 else ''} linked." if count else "no measures.")
        )
        self.selection_requested.emit([node_id])
        return True

    def toggle_measure(self, node_id: str, measure_id: str) -> bool:
        """Link a measure to a box, or unlink it if it is linked (one undo step)."""
        if self.project_id is None or node_id not in self.diagram:
            return False
        current = set(self.diagram.measure_ids_of(node_id))
        wanted = current ^ {measure_id}
        return self.set_measures(node_id, wanted)

    # ------------------------------------------------------------------ helpers
    def _set_value(
        self,
        text: str,
        set_value: Callable[[str, str, T], Changes],
        record_id: str,
        before: T,
        after: T,
    ) -> SetCommand[T]:
        """A command setting one value of a box or link from ``before`` to ``after``.

        It goes through ``set_value(project_id, record_id, value)``, a setter of the service.
        """
        assert self.project_id is not None
        pid = self.project_id
        return SetCommand(
            self.context, self.service, pid, text, partial(set_value, pid, record_id), before, after
        )

    def _macro(self, text: str | None, commands: Sequence[DiagramCommand]) -> None:
        """Push ``commands`` as one undo step (a macro when there are several)."""
        if len(commands) <= 1 or text is None:
            for command in commands:
                self.context.push(command)
            return
        self.context.undo_stack.beginMacro(text)
        try:
            for command in commands:
                self.context.push(command)
        finally:
            self.context.undo_stack.endMacro()
