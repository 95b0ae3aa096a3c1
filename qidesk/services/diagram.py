"""Driver diagram use cases: each call is one transaction and returns a ``Changes`` summary.

Every id in the summaries is reported under :attr:`Entity.DRIVER` (boxes, links and measure
links alike); a call that links or unlinks a measure also reports that measure under
:attr:`Entity.MEASURE` as updated. Calls that the undo stack must be able to reverse also
return what undo needs: the new box or link, or the
:class:`~qidesk.core.drivers.Removal` of a deletion.

Measures and PDSA cycles
------------------------
A box may have measures of the same project linked to it (:meth:`DiagramService.link_measure`
and :meth:`~DiagramService.unlink_measure`; unlinking tombstones the link, and linking the same
two again revives that record). The measures themselves come from
:class:`~qidesk.services.measures.MeasureService`. How each change idea has been tested
(:meth:`~DiagramService.testing`) comes from the PDSA cycles that name it
(:class:`~qidesk.services.pdsa.PdsaService`); the gaps list uses both.

The aim box and the project's aim
---------------------------------
The aim box stores no text of its own. It shows the project's aim statement
(:meth:`Aim.statement`, "Improve *what* for *whom* from … to … by …"), and editing the aim box
edits the *what* part of the project's aim (the other parts are edited on the charter). So the
charter and the diagram can never disagree. The box has a fixed id derived from the project
(:func:`~qidesk.core.drivers.aim_node_id`); its row is written the first time something
needs it (a link to a primary driver, a measure, a pinned position), so merely opening a
diagram writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

from qidesk.core.changes import Changes, Entity
from qidesk.core.drivers import (
    DEFAULT_CHILD,
    DriverDiagram,
    DriverLink,
    DriverNode,
    Gap,
    IdeaStatus,
    IdeaTesting,
    MeasureLink,
    NodeKind,
    Removal,
    Strength,
    aim_node_id,
    clean_category,
    clean_text,
    gaps,
    outline_markdown,
    outline_text,
)
from qidesk.core.errors import NotFoundError, ValidationError
from qidesk.core.measures import Measure
from qidesk.core.pdsa import CycleStatus, PdsaCycle
from qidesk.core.project import Project
from qidesk.core.records import utc_now
from qidesk.services.measures import MeasureService
from qidesk.services.pdsa import PdsaService
from qidesk.store.database import Workspace
from qidesk.store.drivers_repo import DriverRepository
from qidesk.store.projects_repo import ProjectRepository

D = Entity.DRIVER
M = Entity.MEASURE

#: cycle statuses that mean the change was really tried (a planned or abandoned cycle was not)
_RUN = frozenset({CycleStatus.RUNNING, CycleStatus.STUDYING, CycleStatus.DONE})


def idea_testing(cycles: Iterable[PdsaCycle]) -> dict[str, IdeaTesting]:
    """How each change idea named by ``cycles`` has been tested.

    A cycle counts as a test once it is running, being studied or done; planned cycles are
    counted apart and abandoned (never run) ones not at all. The latest Act decision is that
    of the run cycle that ended (or, without an end date, started) last, ties going to the
    higher cycle number.
    """
    by_idea: dict[str, list[PdsaCycle]] = {}
    for cycle in cycles:
        if cycle.meta.deleted:
            continue
        for idea in dict.fromkeys(cycle.change_idea_ids):
            by_idea.setdefault(idea, []).append(cycle)
    out: dict[str, IdeaTesting] = {}
    for idea, tests in by_idea.items():
        run = [c for c in tests if c.status in _RUN]
        planned = sum(1 for c in tests if c.status is CycleStatus.PLANNED)
        decided = [c for c in run if c.decision is not None]
        latest = max(
            decided,
            key=lambda c: (c.end or c.start or date.min, c.start or date.min, c.number, c.id),
            default=None,
        )
        decision = latest.decision.short if latest is not None and latest.decision else ""
        out[idea] = IdeaTesting(len(run), planned, decision)
    return out


def linked_measure_names(
    diagram: DriverDiagram, measures: Iterable[Measure]
) -> dict[str, tuple[str, ...]]:
    """Box id -> the names of the measures linked to it (boxes with none are left out)."""
    names = {m.id: m.name for m in measures}
    out: dict[str, tuple[str, ...]] = {}
    for node in diagram.nodes:
        linked = tuple(names[m] for m in diagram.measure_ids_of(node.id) if m in names)
        if linked:
            out[node.id] = linked
    return out


class NodeResult(NamedTuple):
    """A stored box and what the operation changed."""

    node: DriverNode
    changes: Changes


class LinkResult(NamedTuple):
    """A stored link and what the operation changed."""

    link: DriverLink
    changes: Changes


class MeasureLinkResult(NamedTuple):
    """A stored measure link and what the operation changed."""

    link: MeasureLink
    changes: Changes


class DeleteResult(NamedTuple):
    """What a deletion removed (for undo) and the summary."""

    removal: Removal
    changes: Changes


@dataclass(frozen=True)
class Branch:
    """A box and everything below it, for building a diagram in one go (demo data, imports).

    ``kind`` defaults to the usual child of the parent's kind. ``also_under`` names other
    parents by their text (they must exist by the time this branch is added, or appear
    earlier in the same call). ``weak`` makes the link to the parent weak; ``category`` is
    the optional colour category.
    """

    text: str
    children: tuple[Branch, ...] = ()
    kind: NodeKind | None = None
    status: IdeaStatus | None = None
    also_under: tuple[str, ...] = ()
    weak: bool = False
    category: str = ""


class DiagramService:
    """Use cases on the driver diagrams of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self._ws = workspace
        self._repo = DriverRepository(workspace)
        self._projects = ProjectRepository(workspace)
        self._measures = MeasureService(workspace)
        self._pdsa = PdsaService(workspace)

    # ------------------------------------------------------------------ reading
    def diagram(self, project_id: str) -> DriverDiagram:
        """The project's diagram, always with its aim box (``NotFoundError``: no project)."""
        self._projects.get(project_id)
        diagram = self._repo.load(project_id)
        if diagram.aim is None:
            aim = DriverNode(project_id, NodeKind.AIM, id=aim_node_id(project_id))
            diagram = diagram.with_records([aim])
        return diagram

    def project(self, project_id: str) -> Project:
        """The project the diagram belongs to."""
        return self._projects.get(project_id)

    def aim_text(self, project_id: str) -> str:
        """The text of the aim box: the project's aim statement ("" while it has no *what*)."""
        aim = self._projects.get(project_id).aim
        return aim.statement() if aim.what.strip() else ""

    def measures(self, project_id: str) -> list[Measure]:
        """The project's live measures (what may be linked to its boxes), in display order."""
        return self._measures.for_project(project_id)

    def testing(self, project_id: str) -> dict[str, IdeaTesting]:
        """Change idea id -> how its PDSA cycles tested it (ideas never named are left out)."""
        if "pdsa_cycle" not in self._ws.db.table_names():  # PDSA tables not in this file yet
            return {}
        return idea_testing(self._pdsa.list_cycles(project_id))

    def gaps(self, project_id: str, testing: Mapping[str, IdeaTesting] | None = None) -> list[Gap]:
        """Drivers with no measure, change ideas never tested and other holes (see core).

        Measure counts come from the stored measure links and tests from the PDSA cycles
        (``testing`` when the caller already has them).
        """
        diagram = self.diagram(project_id)
        tested = self.testing(project_id) if testing is None else testing
        return gaps(
            diagram,
            diagram.measure_counts(),
            {idea: t.cycles for idea, t in tested.items()},
            self.aim_text(project_id),
        )

    def outline(self, project_id: str, markdown: bool = False) -> str:
        """The diagram as indented text or Markdown, for reports (with measures and tests)."""
        diagram = self.diagram(project_id)
        aim = self.aim_text(project_id)
        names = linked_measure_names(diagram, self.measures(project_id))
        tested = self.testing(project_id)
        if markdown:
            title = self._projects.get(project_id).title
            return outline_markdown(diagram, aim, title, measures=names, testing=tested)
        return outline_text(diagram, aim, measures=names, testing=tested)

    # ------------------------------------------------------------------ boxes
    def add_node(
        self,
        project_id: str,
        parent_id: str,
        text: str,
        kind: NodeKind | None = None,
        *,
        after_id: str | None = None,
        strength: Strength = Strength.STRONG,
    ) -> NodeResult:
        """Add a box under ``parent_id`` (a child; or a sibling placed just after ``after_id``).

        ``kind`` defaults to the usual child of the parent's kind (aim -> primary ->
        secondary -> change idea).
        """
        diagram = self.diagram(project_id)
        parent = diagram.node(parent_id)
        kind = kind or DEFAULT_CHILD[parent.kind]
        if kind is None:
            raise ValidationError(
                {"kind": "a change idea is the end of a branch: nothing goes under it"}
            )
        diagram.check_new_child(parent_id, kind)
        cleaned = clean_text(text)
        order = (
            diagram.order_after(after_id, parent_id)
            if after_id is not None
            else diagram.next_order(kind)
        )
        node = DriverNode(project_id, kind, cleaned, order=order)
        with self._ws.atomic():
            created = self._ensure_aim(diagram, parent_id)
            stored = self._repo.add_node(node)
            link = self._repo.add_link(DriverLink(project_id, parent_id, stored.id, strength))
        return NodeResult(stored, Changes.of(created={D: [*created, stored.id, link.id]}))

    def edit_text(
        self, project_id: str, node_id: str, text: str, *, restoring: bool = False
    ) -> Changes:
        """Change a box's text (for the aim box: the *what* of the project's aim).

        ``restoring`` (used by undo) lets the aim go back to having no *what*, as it was
        before it was first written; a box's text can never be empty.
        """
        diagram = self.diagram(project_id)
        node = diagram.node(node_id)
        if node.kind is NodeKind.AIM:
            return self.set_aim_what(project_id, text, restoring=restoring)
        cleaned = clean_text(text)
        with self._ws.atomic():
            self._repo.update_node(node_id, {"text": cleaned})
        return Changes.of(updated={D: [node_id]})

    def set_aim_what(self, project_id: str, what: str, *, restoring: bool = False) -> Changes:
        """Change the *what* part of the project's aim (shown in the aim box).

        Empty text is refused unless ``restoring`` an aim that had none (undo).
        """
        cleaned = "" if restoring and not what.strip() else clean_text(what, what="aim")
        with self._ws.atomic():
            project = self._projects.get(project_id)
            self._projects.save(project.with_changes(aim=replace(project.aim, what=cleaned)))
        return Changes.of(updated={Entity.PROJECT: [project_id], D: [aim_node_id(project_id)]})

    def set_status(self, project_id: str, node_id: str, status: IdeaStatus) -> Changes:
        """Set a change idea's status."""
        node = self.diagram(project_id).node(node_id)
        if node.kind is not NodeKind.CHANGE_IDEA:
            raise ValidationError({"status": "only change ideas have a status"})
        with self._ws.atomic():
            self._repo.update_node(node_id, {"status": IdeaStatus(status).value})
        return Changes.of(updated={D: [node_id]})

    def set_category(self, project_id: str, node_id: str, category: str) -> Changes:
        """Give a box a category label ("" for none)."""
        cleaned = clean_category(category)
        diagram = self.diagram(project_id)
        diagram.node(node_id)
        with self._ws.atomic():
            created = self._ensure_aim(diagram, node_id)
            self._repo.update_node(node_id, {"category": cleaned})
        return Changes.of(created={D: created}, updated={D: [node_id]})

    def set_pin(
        self, project_id: str, node_id: str, position: tuple[float, float] | None
    ) -> Changes:
        """Pin a box at ``position`` (scene units), or unpin it with ``None``."""
        diagram = self.diagram(project_id)
        diagram.node(node_id)
        x, y = position if position is not None else (None, None)
        with self._ws.atomic():
            created = self._ensure_aim(diagram, node_id)
            self._repo.update_node(node_id, {"pin_x": x, "pin_y": y})
        return Changes.of(created={D: created}, updated={D: [node_id]})

    def set_order(self, project_id: str, node_id: str, order: float) -> Changes:
        """Set a box's place among its siblings (see :meth:`DriverDiagram.reorder`)."""
        diagram = self.diagram(project_id)
        diagram.node(node_id)
        with self._ws.atomic():
            created = self._ensure_aim(diagram, node_id)
            self._repo.update_node(node_id, {"sort_order": float(order)})
        return Changes.of(created={D: created}, updated={D: [node_id]})

    def delete_node(self, project_id: str, node_id: str) -> DeleteResult:
        """Delete a box, the boxes below it left with no parent, and their links.

        Everything is tombstoned at one moment; :meth:`restore` with the returned removal
        brings exactly those records back.
        """
        diagram = self.diagram(project_id)
        removal = diagram.removal(node_id)
        measured = {ml.id: ml.measure_id for ml in diagram.measure_links}
        moment = utc_now()
        with self._ws.atomic():
            for ml_id in removal.measure_link_ids:
                self._repo.tombstone_measure_link(ml_id, at=moment)
            for link_id in removal.link_ids:
                self._repo.tombstone_link(link_id, at=moment)
            for nid in removal.node_ids:
                self._repo.tombstone_node(nid, at=moment)
        ids = [*removal.node_ids, *removal.link_ids, *removal.measure_link_ids]
        measures = [measured[ml_id] for ml_id in removal.measure_link_ids]
        return DeleteResult(removal, Changes.of(deleted={D: ids}, updated={M: measures}))

    def restore(self, project_id: str, removal: Removal) -> Changes:
        """Bring back the boxes, links and measure links of a deletion (undo of a delete)."""
        self._projects.get(project_id)
        measures = []
        with self._ws.atomic():
            for nid in removal.node_ids:
                self._repo.restore_node(nid)
            for link_id in removal.link_ids:
                self._repo.restore_link(link_id)
            for ml_id in removal.measure_link_ids:
                measures.append(self._repo.restore_measure_link(ml_id).measure_id)
        ids = [*removal.node_ids, *removal.link_ids, *removal.measure_link_ids]
        return Changes.of(created={D: ids}, updated={M: measures})

    # ------------------------------------------------------------------ links
    def link(
        self,
        project_id: str,
        parent_id: str,
        child_id: str,
        strength: Strength = Strength.STRONG,
    ) -> LinkResult:
        """Link ``child_id`` under ``parent_id`` (many-to-many), following the level rules.

        A link between the same two boxes that was deleted earlier comes back rather than a
        new one being made, so its history stays in one record.
        """
        diagram = self.diagram(project_id)
        diagram.check_link(parent_id, child_id)
        with self._ws.atomic():
            created = self._ensure_aim(diagram, parent_id)
            link = self._revive_or_add(project_id, parent_id, child_id, strength)
        return LinkResult(link, Changes.of(created={D: [*created, link.id]}))

    def unlink(self, project_id: str, parent_id: str, child_id: str) -> LinkResult:
        """Remove the link between two boxes (refused when the child would hang under nothing)."""
        link = self.diagram(project_id).check_unlink(parent_id, child_id)
        with self._ws.atomic():
            self._repo.tombstone_link(link.id)
        return LinkResult(link, Changes.of(deleted={D: [link.id]}))

    def delete_link(self, project_id: str, link_id: str) -> Changes:
        """Remove a link by id without the orphan check (undo of :meth:`link`)."""
        self.diagram(project_id).link(link_id)
        with self._ws.atomic():
            self._repo.tombstone_link(link_id)
        return Changes.of(deleted={D: [link_id]})

    def restore_link(self, project_id: str, link_id: str) -> Changes:
        """Bring a deleted link back (undo of :meth:`unlink`)."""
        diagram = self.diagram(project_id)
        link = self._repo.link(link_id, include_deleted=True)
        if diagram.link_between(link.from_id, link.to_id) is not None:
            return Changes()
        with self._ws.atomic():
            self._repo.restore_link(link_id)
        return Changes.of(created={D: [link_id]})

    def set_strength(self, project_id: str, link_id: str, strength: Strength) -> Changes:
        """Make a link strong (solid line) or weak (dashed line)."""
        self.diagram(project_id).link(link_id)
        with self._ws.atomic():
            self._repo.update_link(link_id, {"strength": Strength(strength).value})
        return Changes.of(updated={D: [link_id]})

    def move(
        self, project_id: str, node_id: str, old_parent_id: str, new_parent_id: str
    ) -> LinkResult:
        """Re-parent a box: link it under ``new_parent_id`` and unlink it from the old parent.

        The new link keeps the old link's strength. Undo is the same move the other way.
        """
        diagram = self.diagram(project_id)
        diagram.check_move(node_id, old_parent_id, new_parent_id)
        old = diagram.link_between(old_parent_id, node_id)
        assert old is not None  # check_move made sure
        with self._ws.atomic():
            created = self._ensure_aim(diagram, new_parent_id)
            new = self._revive_or_add(project_id, new_parent_id, node_id, old.strength)
            self._repo.tombstone_link(old.id)
        return LinkResult(new, Changes.of(created={D: [*created, new.id]}, deleted={D: [old.id]}))

    # ------------------------------------------------------------------ measures
    def link_measure(self, project_id: str, node_id: str, measure_id: str) -> MeasureLinkResult:
        """Link a measure of the project to a box (the aim, a driver or a change idea).

        Refused with a plain message when the measure belongs to another project, the box is
        in another project's diagram, or the two are already linked. A link between the same
        box and measure that was removed earlier comes back rather than a new one being made.
        """
        diagram = self.diagram(project_id)
        self._require_box(diagram, node_id)
        measure = self._measures.get(measure_id)
        diagram.check_measure_link(node_id, measure.id, measure.project_id, measure.name)
        with self._ws.atomic():
            created = self._ensure_aim(diagram, node_id)
            old = self._repo.deleted_measure_link(node_id, measure_id)
            if old is not None:
                link = self._repo.restore_measure_link(old.id)
            else:
                link = self._repo.add_measure_link(MeasureLink(project_id, node_id, measure_id))
        changes = Changes.of(created={D: [*created, link.id]}, updated={M: [measure_id]})
        return MeasureLinkResult(link, changes)

    def unlink_measure(self, project_id: str, node_id: str, measure_id: str) -> MeasureLinkResult:
        """Remove the link between a box and a measure (the record is tombstoned)."""
        diagram = self.diagram(project_id)
        self._require_box(diagram, node_id)
        names = {m.id: m.name for m in self.measures(project_id)}
        link = diagram.check_measure_unlink(node_id, measure_id, names.get(measure_id, ""))
        with self._ws.atomic():
            self._repo.tombstone_measure_link(link.id)
        changes = Changes.of(deleted={D: [link.id]}, updated={M: [measure_id]})
        return MeasureLinkResult(link, changes)

    def add_branches(
        self, project_id: str, branches: Sequence[Branch], parent_id: str | None = None
    ) -> Changes:
        """Add whole branches under ``parent_id`` (default: the aim) in one transaction.

        Every box and link is checked by the same rules as single edits; any refusal leaves
        the diagram as it was.
        """
        diagram = self.diagram(project_id)
        start = parent_id or aim_node_id(project_id)
        created: list[str] = []
        pending: list[tuple[str, str, Strength]] = []

        def add(branch: Branch, parent: str) -> None:
            nonlocal diagram
            kind = branch.kind or DEFAULT_CHILD[diagram.node(parent).kind]
            if kind is None:
                raise ValidationError({"kind": f"nothing can go under {branch.text!r}"})
            diagram.check_new_child(parent, kind)
            node = DriverNode(
                project_id,
                kind,
                clean_text(branch.text),
                order=diagram.next_order(kind),
                category=clean_category(branch.category),
                status=branch.status,
            )
            link = DriverLink(
                project_id, parent, node.id, Strength.WEAK if branch.weak else Strength.STRONG
            )
            created.extend(self._ensure_aim(diagram, parent))
            created.extend([self._repo.add_node(node).id, self._repo.add_link(link).id])
            diagram = diagram.with_records([node], [link])
            pending.extend((other, node.id, Strength.STRONG) for other in branch.also_under)
            for child in branch.children:
                add(child, node.id)

        with self._ws.atomic():
            for branch in branches:
                add(branch, start)
            by_text = {n.text: n.id for n in diagram.nodes}
            for other, child_id, strength in pending:
                if other not in by_text:
                    raise ValidationError({"link": f"there is no box {other!r} to link under"})
                diagram.check_link(by_text[other], child_id)
                link = DriverLink(project_id, by_text[other], child_id, strength)
                created.append(self._repo.add_link(link).id)
                diagram = diagram.with_records(links=[link])
        return Changes.of(created={D: created})

    # ------------------------------------------------------------------ helpers
    def _require_box(self, diagram: DriverDiagram, node_id: str) -> None:
        """``ValidationError`` for a box of another project, ``NotFoundError`` for none."""
        if node_id in diagram:
            return
        if self._repo.exists(node_id):
            node = self._repo.node(node_id, include_deleted=True)
            if node.project_id != diagram.project_id:
                raise ValidationError(
                    {"node": "that box belongs to another project's driver diagram"}
                )
        raise NotFoundError("That box is no longer in the diagram (it may have been deleted).")

    def _ensure_aim(self, diagram: DriverDiagram, node_id: str) -> list[str]:
        """Write the aim box's row if ``node_id`` is the aim and it is not stored yet."""
        aim = diagram.aim
        if aim is None or aim.id != node_id or self._repo.exists(aim.id):
            return []
        self._repo.add_node(aim)
        return [aim.id]

    def _revive_or_add(
        self, project_id: str, parent_id: str, child_id: str, strength: Strength
    ) -> DriverLink:
        old = self._repo.deleted_link_between(parent_id, child_id)
        if old is None:
            return self._repo.add_link(DriverLink(project_id, parent_id, child_id, strength))
        self._repo.restore_link(old.id)
        return self._repo.update_link(old.id, {"strength": strength.value})
