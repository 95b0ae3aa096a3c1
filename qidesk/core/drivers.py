"""Driver diagrams: the pure model of a project's theory of change (no Qt, no storage).

A driver diagram has exactly one **aim** on the left, a few **primary drivers** (the main parts
of the system that must change), **secondary drivers** (processes and norms that move the
primaries), optional **tertiary drivers**, and **change ideas** to test. Links are many-to-many,
as the IHI describes: a secondary driver may serve several primaries and a change idea several
secondaries. A link runs from the parent (nearer the aim) to the child and is strong (drawn
solid) or weak (drawn dashed).

Level rules (enforced by :meth:`DriverDiagram.check_link`, documented in docs/driver-diagram.md):

===============  ==========================================
child kind       may be linked under (parent kind)
===============  ==========================================
aim              nothing: the aim is the one root
primary driver   the aim
secondary        a primary driver
tertiary         a secondary driver
change idea      a primary, secondary or tertiary driver
===============  ==========================================

Secondary drivers are optional in the IHI and Life QI templates, so a small project may hang
change ideas straight under a primary driver. A change idea never hangs under the aim (it would
have no theory of *why* it should work), and no link skips a driver level other than that one
(a tertiary always refines a secondary). Because every allowed link goes from a lower column to
a higher one, a cycle cannot be formed through allowed links; the ancestor check still runs
first, so data merged from elsewhere can never loop.

The aim node stores no text of its own: it shows the project's aim statement, and editing it
edits the project's aim (see :mod:`qidesk.services.diagram`). Its id is derived from the project
id (:func:`aim_node_id`) so that two sites that both start a diagram for the same project agree
on it.

Boxes can have **measures** linked to them (:class:`MeasureLink`): the aim its outcome
measures, drivers and change ideas their process measures. A measure link joins a box to a
measure of the *same* project; two live links between the same box and measure are refused.
Change ideas also show how they have been tested (:class:`IdeaTesting`: PDSA cycles run and the
latest Act decision), which the caller works out from the PDSA cycles.

Everything here is immutable; operations return new values. Deleting a node is described by a
:class:`Removal` (the node, the descendants that would be left without a parent, and every link
and measure link that touches them) so that undo can restore exactly those records.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.records import RecordMeta, new_id

#: longest text a box may hold (a driver is a phrase, not an essay)
MAX_TEXT = 400

_AIM_NAMESPACE = uuid.UUID("6f1d8c52-3b7e-4d4a-9a55-2f1f0d6c9e31")


def aim_node_id(project_id: str) -> str:
    """The id of a project's aim node (the same on every site, so diagrams merge cleanly)."""
    return str(uuid.uuid5(_AIM_NAMESPACE, project_id))


class NodeKind(StrEnum):
    """The level of a box in the diagram, left to right."""

    AIM = "aim"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TERTIARY = "tertiary"
    CHANGE_IDEA = "change_idea"

    @property
    def rank(self) -> int:
        """0 for the aim, 4 for change ideas: the column order."""
        return _KIND_ORDER.index(self)

    @property
    def label(self) -> str:
        """Human-readable name of one box of this kind."""
        return {
            NodeKind.AIM: "Aim",
            NodeKind.PRIMARY: "Primary driver",
            NodeKind.SECONDARY: "Secondary driver",
            NodeKind.TERTIARY: "Tertiary driver",
            NodeKind.CHANGE_IDEA: "Change idea",
        }[self]

    @property
    def plural(self) -> str:
        """Human-readable name of the column (plural)."""
        return {
            NodeKind.AIM: "Aim",
            NodeKind.PRIMARY: "Primary drivers",
            NodeKind.SECONDARY: "Secondary drivers",
            NodeKind.TERTIARY: "Tertiary drivers",
            NodeKind.CHANGE_IDEA: "Change ideas",
        }[self]

    @property
    def is_driver(self) -> bool:
        """True for primary, secondary and tertiary drivers."""
        return self in (NodeKind.PRIMARY, NodeKind.SECONDARY, NodeKind.TERTIARY)


_KIND_ORDER = (
    NodeKind.AIM,
    NodeKind.PRIMARY,
    NodeKind.SECONDARY,
    NodeKind.TERTIARY,
    NodeKind.CHANGE_IDEA,
)

#: child kind -> the kinds of parent it may be linked under
ALLOWED_PARENTS: Mapping[NodeKind, frozenset[NodeKind]] = {
    NodeKind.AIM: frozenset(),
    NodeKind.PRIMARY: frozenset({NodeKind.AIM}),
    NodeKind.SECONDARY: frozenset({NodeKind.PRIMARY}),
    NodeKind.TERTIARY: frozenset({NodeKind.SECONDARY}),
    NodeKind.CHANGE_IDEA: frozenset({NodeKind.PRIMARY, NodeKind.SECONDARY, NodeKind.TERTIARY}),
}

#: the kind a new child gets when added under a parent of this kind ("add child", Tab)
DEFAULT_CHILD: Mapping[NodeKind, NodeKind | None] = {
    NodeKind.AIM: NodeKind.PRIMARY,
    NodeKind.PRIMARY: NodeKind.SECONDARY,
    NodeKind.SECONDARY: NodeKind.CHANGE_IDEA,
    NodeKind.TERTIARY: NodeKind.CHANGE_IDEA,
    NodeKind.CHANGE_IDEA: None,
}


def allowed_child_kinds(parent: NodeKind) -> list[NodeKind]:
    """The kinds that may be linked under a parent of kind ``parent``, left to right."""
    return [k for k in _KIND_ORDER if parent in ALLOWED_PARENTS[k]]


class IdeaStatus(StrEnum):
    """Where a change idea stands (the PDSA Act decisions plus "idea" and "testing")."""

    IDEA = "idea"
    TESTING = "testing"
    ADOPTED = "adopted"
    ADAPTED = "adapted"
    ABANDONED = "abandoned"
    IMPLEMENTED = "implemented"
    SPREAD = "spread"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return self.value.capitalize()


class Strength(StrEnum):
    """How strongly a child is believed to move its parent (solid or dashed line)."""

    STRONG = "strong"
    WEAK = "weak"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return self.value.capitalize()

    def toggled(self) -> Strength:
        """The other strength."""
        return Strength.WEAK if self is Strength.STRONG else Strength.STRONG


@dataclass(frozen=True)
class DriverNode:
    """One box: the aim, a driver or a change idea.

    ``order`` sorts boxes of one kind top to bottom (siblings under a parent appear in this
    order); it is a float so that a box can be inserted between two others without renumbering.
    ``pinned_at`` is a position the user chose (scene units), or ``None`` for automatic layout.
    ``category`` is an optional label the user gives (shown as a colour stripe with a legend).
    ``status`` is set for change ideas only.
    """

    project_id: str
    kind: NodeKind
    text: str = ""
    order: float = 0.0
    pinned_at: tuple[float, float] | None = None
    category: str = ""
    status: IdeaStatus | None = None
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def __post_init__(self) -> None:
        if self.kind is NodeKind.CHANGE_IDEA and self.status is None:
            object.__setattr__(self, "status", IdeaStatus.IDEA)
        elif self.kind is not NodeKind.CHANGE_IDEA and self.status is not None:
            object.__setattr__(self, "status", None)

    def with_changes(self, **changes: object) -> DriverNode:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class DriverLink:
    """A many-to-many link from a parent box (nearer the aim) to a child box."""

    project_id: str
    from_id: str
    to_id: str
    strength: Strength = Strength.STRONG
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def with_changes(self, **changes: object) -> DriverLink:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class MeasureLink:
    """A measure linked to a box (the aim, a driver or a change idea) of the same project."""

    project_id: str
    node_id: str
    measure_id: str
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)


@dataclass(frozen=True)
class IdeaTesting:
    """How a change idea has been tested, from its PDSA cycles.

    ``cycles`` counts the cycles that were run (running, studying or done), ``planned`` those
    not started yet; ``decision`` is the latest Act decision in a few words ("Adopt",
    "Scale up"…), "" while no cycle has reached Act.
    """

    cycles: int = 0
    planned: int = 0
    decision: str = ""

    @property
    def badge(self) -> str:
        """The short text drawn on the box ("2 PDSAs · Adopt"; "" when there is nothing)."""
        if self.cycles:
            text = f"{self.cycles} PDSA{'s' if self.cycles != 1 else ''}"
        elif self.planned:
            text = f"{self.planned} PDSA{'s' if self.planned != 1 else ''} planned"
        else:
            return ""
        return f"{text} · {self.decision}" if self.decision else text

    @property
    def sentence(self) -> str:
        """A plain sentence for tooltips, the outline and reports."""
        if not self.cycles and not self.planned:
            return "Not tested yet"
        parts = []
        if self.cycles:
            parts.append(f"Tested in {_cycles(self.cycles)}")
        if self.planned:
            planned = f"{_cycles(self.planned)} planned"
            parts.append(planned if self.cycles else f"Not tested yet; {planned}")
        text = "; ".join(parts)
        if self.decision:
            text += f"; latest Act decision: {self.decision}"
        return text


def _cycles(n: int) -> str:
    return f"{n} PDSA cycle{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class Removal:
    """What deleting a box removes, and so what undo restores: node, link and measure link ids."""

    node_ids: tuple[str, ...]
    link_ids: tuple[str, ...]
    measure_link_ids: tuple[str, ...] = ()


def clean_text(text: str, *, what: str = "box") -> str:
    """``text`` with surrounding and repeated whitespace removed, or a ``ValidationError``.

    A box needs some text, and no more than :data:`MAX_TEXT` characters.
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        raise ValidationError({"text": f"{_a(what)} needs some text"})
    if len(cleaned) > MAX_TEXT:
        raise ValidationError(
            {"text": f"the text is {len(cleaned)} characters long; keep it under {MAX_TEXT}"}
        )
    return cleaned


def clean_category(category: str) -> str:
    """A category label with whitespace tidied (empty means "no category")."""
    cleaned = " ".join(category.split())
    if len(cleaned) > 40:
        raise ValidationError({"category": "keep a category name under 40 characters"})
    return cleaned


def _a(label: str) -> str:
    """``label`` (lower case) with "a" or "an" in front."""
    label = label.lower()
    return f"an {label}" if label[:1] in "aeiou" else f"a {label}"


def _quote(text: str, limit: int = 40) -> str:
    text = " ".join(text.split()) or "(no text)"
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


@dataclass(frozen=True)
class DriverDiagram:
    """The live (not deleted) boxes, links and measure links of one project's diagram."""

    project_id: str
    nodes: tuple[DriverNode, ...] = ()
    links: tuple[DriverLink, ...] = ()
    measure_links: tuple[MeasureLink, ...] = ()

    @classmethod
    def build(
        cls,
        project_id: str,
        nodes: Iterable[DriverNode],
        links: Iterable[DriverLink],
        measure_links: Iterable[MeasureLink] = (),
    ) -> DriverDiagram:
        """A diagram from stored records: deleted ones and links to missing boxes are dropped."""
        live = tuple(n for n in nodes if not n.meta.deleted and n.project_id == project_id)
        ids = {n.id for n in live}
        kept = tuple(
            lk for lk in links if not lk.meta.deleted and lk.from_id in ids and lk.to_id in ids
        )
        measured = tuple(
            ml
            for ml in measure_links
            if not ml.meta.deleted and ml.node_id in ids and ml.project_id == project_id
        )
        return cls(project_id, live, kept, measured)

    # ------------------------------------------------------------------ indexes
    @cached_property
    def _by_id(self) -> dict[str, DriverNode]:
        return {n.id: n for n in self.nodes}

    @cached_property
    def _links_by_id(self) -> dict[str, DriverLink]:
        return {lk.id: lk for lk in self.links}

    @cached_property
    def _out(self) -> dict[str, list[DriverLink]]:
        out: dict[str, list[DriverLink]] = {n.id: [] for n in self.nodes}
        for lk in self.links:
            out.setdefault(lk.from_id, []).append(lk)
        for lst in out.values():
            lst.sort(key=lambda lk: self._sort_key(self._by_id[lk.to_id]))
        return out

    @cached_property
    def _in(self) -> dict[str, list[DriverLink]]:
        into: dict[str, list[DriverLink]] = {n.id: [] for n in self.nodes}
        for lk in self.links:
            into.setdefault(lk.to_id, []).append(lk)
        for lst in into.values():
            lst.sort(key=lambda lk: self._sort_key(self._by_id[lk.from_id]))
        return into

    @cached_property
    def _measures(self) -> dict[str, list[MeasureLink]]:
        out: dict[str, list[MeasureLink]] = {}
        for ml in self.measure_links:
            out.setdefault(ml.node_id, []).append(ml)
        return out

    @staticmethod
    def _sort_key(node: DriverNode) -> tuple[int, float, str, str]:
        return (node.kind.rank, node.order, node.text.casefold(), node.id)

    # ------------------------------------------------------------------ queries
    def __contains__(self, node_id: object) -> bool:
        return node_id in self._by_id

    def __iter__(self) -> Iterator[DriverNode]:
        return iter(sorted(self.nodes, key=self._sort_key))

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def aim(self) -> DriverNode | None:
        """The aim box (``None`` only for data that lacks one)."""
        return next((n for n in self.nodes if n.kind is NodeKind.AIM), None)

    def node(self, node_id: str) -> DriverNode:
        """The box ``node_id`` (raises ``NotFoundError``)."""
        try:
            return self._by_id[node_id]
        except KeyError:
            raise NotFoundError(f"there is no box {node_id} in this diagram") from None

    def get(self, node_id: str) -> DriverNode | None:
        """The box ``node_id`` or ``None``."""
        return self._by_id.get(node_id)

    def link(self, link_id: str) -> DriverLink:
        """The link ``link_id`` (raises ``NotFoundError``)."""
        try:
            return self._links_by_id[link_id]
        except KeyError:
            raise NotFoundError(f"there is no link {link_id} in this diagram") from None

    def link_between(self, parent_id: str, child_id: str) -> DriverLink | None:
        """The link from ``parent_id`` to ``child_id``, if there is one."""
        return next((lk for lk in self._out.get(parent_id, []) if lk.to_id == child_id), None)

    def of_kind(self, kind: NodeKind) -> list[DriverNode]:
        """Every box of ``kind`` in order."""
        return sorted((n for n in self.nodes if n.kind is kind), key=self._sort_key)

    def children(self, node_id: str) -> list[DriverNode]:
        """The boxes directly under ``node_id``, kind then order."""
        return [self._by_id[lk.to_id] for lk in self._out.get(node_id, [])]

    def parents(self, node_id: str) -> list[DriverNode]:
        """The boxes ``node_id`` hangs under, kind then order."""
        return [self._by_id[lk.from_id] for lk in self._in.get(node_id, [])]

    def child_links(self, node_id: str) -> list[DriverLink]:
        """Links from ``node_id`` to its children."""
        return list(self._out.get(node_id, []))

    def parent_links(self, node_id: str) -> list[DriverLink]:
        """Links from the parents of ``node_id`` to it."""
        return list(self._in.get(node_id, []))

    def links_of(self, node_id: str) -> list[DriverLink]:
        """Every link touching ``node_id``."""
        return self.parent_links(node_id) + self.child_links(node_id)

    def ancestors(self, node_id: str) -> set[str]:
        """Ids of every box above ``node_id`` (parents, their parents…)."""
        return self._walk(node_id, self._in, lambda lk: lk.from_id)

    def descendants(self, node_id: str) -> set[str]:
        """Ids of every box below ``node_id``."""
        return self._walk(node_id, self._out, lambda lk: lk.to_id)

    @staticmethod
    def _walk(
        start: str, index: Mapping[str, list[DriverLink]], step: Callable[[DriverLink], str]
    ) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            for lk in index.get(stack.pop(), []):
                nxt = step(lk)
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        seen.discard(start)
        return seen

    def unattached(self) -> list[DriverNode]:
        """Boxes other than the aim that hang under nothing (possible after a merge)."""
        return [n for n in self if n.kind is not NodeKind.AIM and not self._in.get(n.id)]

    def siblings(self, node_id: str, parent_id: str | None = None) -> list[DriverNode]:
        """Boxes of the same kind under the same parent (the first parent by default), in order.

        The list includes ``node_id`` itself. A box with no parent has the other parentless
        boxes of its kind as siblings.
        """
        node = self.node(node_id)
        if parent_id is None:
            parents = self.parents(node_id)
            parent_id = parents[0].id if parents else None
        if parent_id is None:
            return [n for n in self.of_kind(node.kind) if not self._in.get(n.id)]
        return [c for c in self.children(parent_id) if c.kind is node.kind]

    def next_order(self, kind: NodeKind) -> float:
        """An ``order`` that puts a new box of ``kind`` after every existing one."""
        orders = [n.order for n in self.nodes if n.kind is kind]
        return (max(orders) + 1.0) if orders else 1.0

    def order_after(self, node_id: str, parent_id: str | None = None) -> float:
        """An ``order`` that puts a new sibling straight after ``node_id``."""
        node = self.node(node_id)
        sibs = self.siblings(node_id, parent_id)
        later = [s.order for s in self.of_kind(node.kind) if s.order > node.order]
        following = [s.order for s in sibs if s.order > node.order]
        if following:
            return (node.order + min(following)) / 2.0
        if later:
            return (node.order + min(later)) / 2.0
        return node.order + 1.0

    def reorder(self, node_id: str, step: int, parent_id: str | None = None) -> float | None:
        """The new ``order`` that moves ``node_id`` ``step`` places among its siblings.

        ``None`` when it cannot move further that way.
        """
        sibs = self.siblings(node_id, parent_id)
        index = next(i for i, s in enumerate(sibs) if s.id == node_id)
        target = index + step
        if step == 0 or not 0 <= target < len(sibs):
            return None
        if step > 0:
            after = sibs[target].order
            beyond = sibs[target + 1].order if target + 1 < len(sibs) else after + 2.0
            return (after + beyond) / 2.0
        before = sibs[target].order
        beyond = sibs[target - 1].order if target > 0 else before - 2.0
        return (before + beyond) / 2.0

    def measure_ids_of(self, node_id: str) -> list[str]:
        """Ids of the measures linked to ``node_id``, in the order they were linked."""
        return [ml.measure_id for ml in self._measures.get(node_id, [])]

    def measure_link_between(self, node_id: str, measure_id: str) -> MeasureLink | None:
        """The live link between ``node_id`` and ``measure_id``, if there is one."""
        return next(
            (ml for ml in self._measures.get(node_id, []) if ml.measure_id == measure_id), None
        )

    def measure_counts(self) -> dict[str, int]:
        """How many measures are linked to each box (boxes with none are left out)."""
        return {node_id: len(lst) for node_id, lst in self._measures.items() if lst}

    # ------------------------------------------------------------------ rules
    def measure_link_problem(
        self, node_id: str, measure_id: str, measure_project_id: str, measure_name: str = ""
    ) -> str | None:
        """Why measure ``measure_id`` (of project ``measure_project_id``) may not be linked.

        ``None`` when it may. A measure is linked only to a box of its own project's diagram,
        and only once to the same box. Raises ``NotFoundError`` for an unknown box.
        """
        node = self.node(node_id)
        name = _quote(measure_name or "This measure", 60)
        if measure_project_id != self.project_id:
            return (
                f"{name} is a measure of another project; link only this project's measures "
                "to its driver diagram"
            )
        if self.measure_link_between(node_id, measure_id) is not None:
            return f"{name} is already linked to {_quote(node.text or node.kind.label)}"
        return None

    def check_measure_link(
        self, node_id: str, measure_id: str, measure_project_id: str, measure_name: str = ""
    ) -> None:
        """Raise ``ValidationError`` when the measure may not be linked to the box."""
        problem = self.measure_link_problem(node_id, measure_id, measure_project_id, measure_name)
        if problem:
            raise ValidationError({"measure": problem})

    def check_measure_unlink(
        self, node_id: str, measure_id: str, measure_name: str = ""
    ) -> MeasureLink:
        """The measure link to remove, or ``ValidationError`` when there is none."""
        node = self.node(node_id)
        found = self.measure_link_between(node_id, measure_id)
        if found is None:
            name = _quote(measure_name or "This measure", 60)
            raise ValidationError(
                {"measure": f"{name} is not linked to {_quote(node.text or node.kind.label)}"}
            )
        return found

    def link_problem(self, parent_id: str, child_id: str) -> str | None:
        """Why a link from ``parent_id`` down to ``child_id`` is not allowed, or ``None``."""
        parent = self.node(parent_id)
        child = self.node(child_id)
        if parent_id == child_id:
            return "a box cannot be linked to itself"
        if parent_id in self.descendants(child_id):
            return (
                f"linking {_quote(child.text or child.kind.label)} under "
                f"{_quote(parent.text or parent.kind.label)} would make it its own ancestor"
            )
        if self.link_between(parent_id, child_id) is not None:
            return "these two boxes are already linked"
        allowed = ALLOWED_PARENTS[child.kind]
        if parent.kind not in allowed:
            if not allowed:
                return "the aim is the root of the diagram and cannot hang under another box"
            names = [k.label.lower() for k in _KIND_ORDER if k in allowed]
            where = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
            return (
                f"{_a(child.kind.label)} can only go under a {where}, "
                f"not under {_a(parent.kind.label)}"
            )
        return None

    def check_link(self, parent_id: str, child_id: str) -> None:
        """Raise ``ValidationError`` when a link from ``parent_id`` to ``child_id`` is refused."""
        problem = self.link_problem(parent_id, child_id)
        if problem:
            raise ValidationError({"link": problem})

    def check_unlink(self, parent_id: str, child_id: str) -> DriverLink:
        """The link to remove, or ``ValidationError`` when removing it would orphan the child."""
        lk = self.link_between(parent_id, child_id)
        if lk is None:
            raise ValidationError({"link": "these two boxes are not linked"})
        if len(self._in.get(child_id, [])) <= 1:
            child = self.node(child_id)
            raise ValidationError(
                {
                    "link": f"{_quote(child.text)} would hang under nothing; link it somewhere "
                    "else first, or delete it"
                }
            )
        return lk

    def check_new_child(self, parent_id: str, kind: NodeKind) -> None:
        """Raise ``ValidationError`` when a new box of ``kind`` may not go under ``parent_id``."""
        parent = self.node(parent_id)
        if kind is NodeKind.AIM:
            raise ValidationError({"kind": "a diagram has exactly one aim"})
        if parent.kind not in ALLOWED_PARENTS[kind]:
            if parent.kind is NodeKind.CHANGE_IDEA:
                raise ValidationError(
                    {"kind": "a change idea is the end of a branch: nothing goes under it"}
                )
            raise ValidationError(
                {"kind": f"{_a(kind.label)} cannot go under {_a(parent.kind.label)}"}
            )

    def check_move(self, node_id: str, old_parent_id: str, new_parent_id: str) -> None:
        """Raise ``ValidationError`` when ``node_id`` may not move from one parent to another."""
        if self.link_between(old_parent_id, node_id) is None:
            raise ValidationError({"link": "the box is not under that parent"})
        if old_parent_id == new_parent_id:
            raise ValidationError({"link": "the box is already under that parent"})
        self.check_link(new_parent_id, node_id)

    def removal(self, node_id: str) -> Removal:
        """What deleting ``node_id`` removes (the undo record of a deletion).

        That is the box, every box below it that would be left with no parent, and every link
        touching those boxes. The aim cannot be deleted (``ValidationError``).
        """
        node = self.node(node_id)
        if node.kind is NodeKind.AIM:
            raise ValidationError({"node": "the aim cannot be deleted; edit it instead"})
        removed = {node_id}
        changed = True
        below = self.descendants(node_id)
        while changed:
            changed = False
            for nid in below - removed:
                if all(lk.from_id in removed for lk in self._in.get(nid, [])):
                    removed.add(nid)
                    changed = True
        nodes = tuple(n.id for n in self if n.id in removed)
        links = tuple(lk.id for lk in self.links if lk.from_id in removed or lk.to_id in removed)
        measured = tuple(ml.id for ml in self.measure_links if ml.node_id in removed)
        return Removal(nodes, links, measured)

    # ------------------------------------------------------------------ new values
    def with_records(
        self,
        nodes: Iterable[DriverNode] = (),
        links: Iterable[DriverLink] = (),
        measure_links: Iterable[MeasureLink] = (),
    ) -> DriverDiagram:
        """A copy with these records added or replaced (deleted ones are dropped)."""
        by_node = dict(self._by_id)
        for n in nodes:
            by_node[n.id] = n
        by_link = dict(self._links_by_id)
        for lk in links:
            by_link[lk.id] = lk
        by_measure = {ml.id: ml for ml in self.measure_links}
        for ml in measure_links:
            by_measure[ml.id] = ml
        return DriverDiagram.build(
            self.project_id, by_node.values(), by_link.values(), by_measure.values()
        )

    def without(self, removal: Removal) -> DriverDiagram:
        """A copy without the boxes, links and measure links of ``removal``."""
        nodes = set(removal.node_ids)
        links = set(removal.link_ids)
        measured = set(removal.measure_link_ids)
        return DriverDiagram(
            self.project_id,
            tuple(n for n in self.nodes if n.id not in nodes),
            tuple(
                lk
                for lk in self.links
                if lk.id not in links and lk.from_id not in nodes and lk.to_id not in nodes
            ),
            tuple(
                ml for ml in self.measure_links if ml.id not in measured and ml.node_id not in nodes
            ),
        )


# ---------------------------------------------------------------------- gaps


class GapKind(StrEnum):
    """Kinds of hole in a theory of change that the gaps view lists."""

    NO_MEASURE = "no_measure"
    NEVER_TESTED = "never_tested"
    NO_CHANGE_IDEAS = "no_change_ideas"
    UNATTACHED = "unattached"


@dataclass(frozen=True)
class Gap:
    """One hole: the box, what kind of hole, and a plain sentence about it."""

    node_id: str
    kind: GapKind
    message: str


def gaps(
    diagram: DriverDiagram,
    measure_counts: Mapping[str, int],
    pdsa_counts: Mapping[str, int],
    aim_text: str = "",
) -> list[Gap]:
    """Holes in the diagram, in outline order.

    ``measure_counts`` maps a box id to how many measures are linked to it, ``pdsa_counts`` a
    change idea id to how many PDSA cycles tested it (boxes not in a mapping count as 0). Lists:
    the aim and drivers with no measure, drivers with no change idea anywhere beneath them,
    change ideas never tested (except abandoned ones) and boxes that hang under nothing.
    """
    out: list[Gap] = []
    for node in _outline_order(diagram):
        label = _quote(aim_text if node.kind is NodeKind.AIM else node.text)
        measured = measure_counts.get(node.id, 0) > 0
        if (node.kind is NodeKind.AIM or node.kind.is_driver) and not measured:
            what = "an outcome measure" if node.kind is NodeKind.AIM else "a measure"
            out.append(Gap(node.id, GapKind.NO_MEASURE, f"{node.kind.label} {label} has no {what}"))
        if node.kind.is_driver and not any(
            diagram.node(d).kind is NodeKind.CHANGE_IDEA for d in diagram.descendants(node.id)
        ):
            out.append(
                Gap(
                    node.id,
                    GapKind.NO_CHANGE_IDEAS,
                    f"{node.kind.label} {label} has no change ideas yet",
                )
            )
        if (
            node.kind is NodeKind.CHANGE_IDEA
            and node.status is not IdeaStatus.ABANDONED
            and pdsa_counts.get(node.id, 0) <= 0
        ):
            out.append(
                Gap(node.id, GapKind.NEVER_TESTED, f"Change idea {label} has never been tested")
            )
        if node.kind is not NodeKind.AIM and not diagram.parents(node.id):
            out.append(
                Gap(node.id, GapKind.UNATTACHED, f"{node.kind.label} {label} hangs under nothing")
            )
    return out


# ---------------------------------------------------------------------- outline


@dataclass(frozen=True)
class OutlineLine:
    """One line of the outline: depth (0 = aim), the box, its text and its other parents."""

    depth: int
    node: DriverNode
    text: str
    also_under: tuple[str, ...] = ()
    strength: Strength = Strength.STRONG


def _outline_order(diagram: DriverDiagram) -> list[DriverNode]:
    seen: dict[str, DriverNode] = {}
    for line in outline(diagram):
        seen.setdefault(line.node.id, line.node)
    return list(seen.values())


def outline(diagram: DriverDiagram, aim_text: str = "") -> list[OutlineLine]:
    """The diagram as an indented list, aim first, children in order.

    A box with several parents is listed (with everything below it) under each parent, with
    the texts of its other parents in ``also_under``. Boxes that hang under nothing follow at
    depth 1 after the aim's tree.
    """
    lines: list[OutlineLine] = []

    def visit(node: DriverNode, depth: int, via: str | None, strength: Strength) -> None:
        others = tuple(p.text for p in diagram.parents(node.id) if p.id != via)
        text = aim_text if node.kind is NodeKind.AIM else node.text
        lines.append(OutlineLine(depth, node, text, others if via else (), strength))
        for lk in diagram.child_links(node.id):
            visit(diagram.node(lk.to_id), depth + 1, node.id, lk.strength)

    aim = diagram.aim
    if aim is not None:
        visit(aim, 0, None, Strength.STRONG)
    for node in diagram.unattached():
        visit(node, 1, None, Strength.STRONG)
    return lines


def _label_for(line: OutlineLine) -> str:
    node = line.node
    if node.kind is NodeKind.CHANGE_IDEA and node.status is not None:
        return f"{node.kind.label} ({node.status.label.lower()})"
    return node.kind.label


def _also(line: OutlineLine, escape: Callable[[str], str] = str) -> str:
    if not line.also_under:
        return ""
    return "also under " + "; ".join(escape(_quote(t, 60)) for t in line.also_under)


def _evidence(
    line: OutlineLine,
    measures: Mapping[str, Sequence[str]] | None,
    testing: Mapping[str, IdeaTesting] | None,
) -> list[str]:
    """The linked measures and PDSA testing of a line's box, as phrases for reports."""
    out = []
    names = (measures or {}).get(line.node.id, ())
    if names:
        out.append(("measure: " if len(names) == 1 else "measures: ") + "; ".join(names))
    tested = (testing or {}).get(line.node.id)
    if line.node.kind is NodeKind.CHANGE_IDEA and tested and (tested.cycles or tested.planned):
        sentence = tested.sentence
        out.append(sentence[:1].lower() + sentence[1:])
    return out


def outline_text(
    diagram: DriverDiagram,
    aim_text: str = "",
    indent: str = "    ",
    *,
    measures: Mapping[str, Sequence[str]] | None = None,
    testing: Mapping[str, IdeaTesting] | None = None,
) -> str:
    """The outline as plain indented text, one box a line (for reports and e-mails).

    ``measures`` maps a box id to the names of its linked measures and ``testing`` a change
    idea id to its PDSA testing; both are added in brackets after the box's text.
    """
    rows = []
    for line in outline(diagram, aim_text):
        weak = " [weak link]" if line.strength is Strength.WEAK else ""
        also = f" ({_also(line)})" if line.also_under else ""
        extra = "".join(f" [{e}]" for e in _evidence(line, measures, testing))
        rows.append(f"{indent * line.depth}{_label_for(line)}: {line.text}{weak}{also}{extra}")
    return "\n".join(rows) + ("\n" if rows else "")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def outline_markdown(
    diagram: DriverDiagram,
    aim_text: str = "",
    title: str = "",
    *,
    measures: Mapping[str, Sequence[str]] | None = None,
    testing: Mapping[str, IdeaTesting] | None = None,
) -> str:
    """The outline as Markdown: a heading, the aim in bold, nested bullet lists below it.

    ``measures`` and ``testing`` are as for :func:`outline_text` (added in italics).
    """
    rows = [f"# Driver diagram: {_md(title)}" if title else "# Driver diagram", ""]
    for line in outline(diagram, aim_text):
        extra = "".join(f" *({_md(e)})*" for e in _evidence(line, measures, testing))
        if line.depth == 0:
            rows.extend([f"**Aim:** {_md(line.text)}{extra}", ""])
            continue
        weak = " *(weak link)*" if line.strength is Strength.WEAK else ""
        also = f" *({_also(line, _md)})*" if line.also_under else ""
        rows.append(
            f"{'  ' * (line.depth - 1)}- **{_label_for(line)}:** {_md(line.text)}{weak}{also}"
            f"{extra}"
        )
    return "\n".join(rows).rstrip() + "\n"
