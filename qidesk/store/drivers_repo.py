"""Driver diagrams in tables: ``driver_node`` and ``driver_link`` rows <-> the core model.

This module is the only place that knows how a :class:`~qidesk.core.drivers.DriverDiagram`
is laid out in tables. Writes go through :mod:`qidesk.store.records`, so every change is
audited and carries the usual record metadata; nothing is ever hard-deleted.

Schema (migration 3 in :mod:`qidesk.store.migrations`): ``driver_node`` and ``driver_link``
are record tables with a foreign key to ``project``; links also refer to their two nodes.
``driver_measure_link`` ties a box to a measure of the same project (the service checks that
the two belong to the same project; the table has no unique index on (node, measure), for the
same reason as ``driver_link``: two sites may make the same link independently). Unlinking
tombstones the row; linking the same two again revives it.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from qidesk.core.drivers import (
    DriverDiagram,
    DriverLink,
    DriverNode,
    IdeaStatus,
    MeasureLink,
    NodeKind,
    Strength,
)
from qidesk.core.errors import NotFoundError
from qidesk.store import records
from qidesk.store.database import Workspace
from qidesk.store.records import Row, meta_from_row

NODE = "driver_node"
LINK = "driver_link"
MEASURE_LINK = "driver_measure_link"


def node_from_row(row: Row) -> DriverNode:
    """A :class:`DriverNode` from a ``driver_node`` row."""
    pin = row["pin_x"], row["pin_y"]
    return DriverNode(
        project_id=str(row["project_id"]),
        kind=NodeKind(row["kind"]),
        text=str(row["text"]),
        order=float(row["sort_order"]),
        pinned_at=(float(pin[0]), float(pin[1])) if pin[0] is not None else None,
        category=str(row["category"]),
        status=IdeaStatus(row["status"]) if row["status"] is not None else None,
        id=str(row["id"]),
        meta=meta_from_row(row),
    )


def node_columns(node: DriverNode) -> dict[str, Any]:
    """The columns of ``node`` that a caller may write (no id, no metadata)."""
    pin = node.pinned_at
    return {
        "project_id": node.project_id,
        "kind": node.kind.value,
        "text": node.text,
        "sort_order": float(node.order),
        "pin_x": float(pin[0]) if pin else None,
        "pin_y": float(pin[1]) if pin else None,
        "category": node.category,
        "status": node.status.value if node.status is not None else None,
    }


def link_from_row(row: Row) -> DriverLink:
    """A :class:`DriverLink` from a ``driver_link`` row."""
    return DriverLink(
        project_id=str(row["project_id"]),
        from_id=str(row["from_id"]),
        to_id=str(row["to_id"]),
        strength=Strength(row["strength"]),
        id=str(row["id"]),
        meta=meta_from_row(row),
    )


def link_columns(link: DriverLink) -> dict[str, Any]:
    """The columns of ``link`` that a caller may write (no id, no metadata)."""
    return {
        "project_id": link.project_id,
        "from_id": link.from_id,
        "to_id": link.to_id,
        "strength": link.strength.value,
    }


def measure_link_from_row(row: Row) -> MeasureLink:
    """A :class:`MeasureLink` from a ``driver_measure_link`` row."""
    return MeasureLink(
        project_id=str(row["project_id"]),
        node_id=str(row["node_id"]),
        measure_id=str(row["measure_id"]),
        id=str(row["id"]),
        meta=meta_from_row(row),
    )


def measure_link_columns(link: MeasureLink) -> dict[str, Any]:
    """The columns of ``link`` that a caller may write (no id, no metadata)."""
    return {"project_id": link.project_id, "node_id": link.node_id, "measure_id": link.measure_id}


class DriverRepository:
    """Load and store the driver diagrams of one workspace."""

    def __init__(self, ws: Workspace) -> None:
        self._ws = ws

    # ------------------------------------------------------------------ reading
    def load(self, project_id: str) -> DriverDiagram:
        """The live boxes, links and measure links of ``project_id``'s diagram.

        The aim box is missing until its row is first written. Measure links to deleted
        measures are left out (they come back if the measure is restored).
        """
        nodes = [
            node_from_row(r)
            for r in self._ws.db.query(
                "SELECT * FROM driver_node WHERE project_id = ? AND deleted_at IS NULL "
                "ORDER BY sort_order, created_at, id",
                [project_id],
            )
        ]
        links = [
            link_from_row(r)
            for r in self._ws.db.query(
                "SELECT * FROM driver_link WHERE project_id = ? AND deleted_at IS NULL "
                "ORDER BY created_at, id",
                [project_id],
            )
        ]
        return DriverDiagram.build(project_id, nodes, links, self.measure_links(project_id))

    def measure_links(self, project_id: str) -> builtins.list[MeasureLink]:
        """The live measure links of a project whose measure is live, oldest first."""
        return [
            measure_link_from_row(r)
            for r in self._ws.db.query(
                "SELECT l.* FROM driver_measure_link l JOIN measure m ON m.id = l.measure_id "
                "WHERE l.project_id = ? AND l.deleted_at IS NULL AND m.deleted_at IS NULL "
                "ORDER BY l.created_at, l.id",
                [project_id],
            )
        ]

    def measure_link(self, link_id: str, include_deleted: bool = False) -> MeasureLink:
        """One measure link (``NotFoundError`` when absent, or deleted unless asked)."""
        row = records.fetch(self._ws, MEASURE_LINK, link_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That measure is no longer linked to the box.")
        return measure_link_from_row(row)

    def deleted_measure_link(self, node_id: str, measure_id: str) -> MeasureLink | None:
        """The most recently deleted link between a box and a measure, if any (to revive)."""
        rows = builtins.list(
            self._ws.db.query(
                "SELECT * FROM driver_measure_link WHERE node_id = ? AND measure_id = ? "
                "AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id LIMIT 1",
                [node_id, measure_id],
            )
        )
        return measure_link_from_row(rows[0]) if rows else None

    def node(self, node_id: str, include_deleted: bool = False) -> DriverNode:
        """One box (``NotFoundError`` when absent, or deleted unless ``include_deleted``)."""
        row = records.fetch(self._ws, NODE, node_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That box is no longer in the diagram (it may have been deleted).")
        return node_from_row(row)

    def exists(self, node_id: str) -> bool:
        """True when a row for ``node_id`` exists (deleted or not)."""
        return records.fetch(self._ws, NODE, node_id) is not None

    def link(self, link_id: str, include_deleted: bool = False) -> DriverLink:
        """One link (``NotFoundError`` when absent, or deleted unless ``include_deleted``)."""
        row = records.fetch(self._ws, LINK, link_id)
        if row is None or (row["deleted_at"] is not None and not include_deleted):
            raise NotFoundError("That link is no longer in the diagram.")
        return link_from_row(row)

    def deleted_link_between(self, from_id: str, to_id: str) -> DriverLink | None:
        """The most recently deleted link from ``from_id`` to ``to_id``, if any (to revive)."""
        rows = builtins.list(
            self._ws.db.query(
                "SELECT * FROM driver_link WHERE from_id = ? AND to_id = ? "
                "AND deleted_at IS NOT NULL ORDER BY deleted_at DESC, id LIMIT 1",
                [from_id, to_id],
            )
        )
        return link_from_row(rows[0]) if rows else None

    def counts_by_project(self) -> dict[str, int]:
        """How many live boxes each project's diagram has."""
        rows = self._ws.db.execute(
            "SELECT project_id, count(*) FROM driver_node WHERE deleted_at IS NULL "
            "GROUP BY project_id"
        ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    # ------------------------------------------------------------------ writing
    def add_node(self, node: DriverNode) -> DriverNode:
        """Store a new box; return it as stored."""
        row = records.insert(self._ws, NODE, {"id": node.id, **node_columns(node)})
        return node_from_row(row)

    def update_node(self, node_id: str, changes: Mapping[str, Any]) -> DriverNode:
        """Write some columns of a live box (see :func:`node_columns` for names)."""
        _, after = records.update(self._ws, NODE, node_id, changes)
        return node_from_row(after)

    def add_link(self, link: DriverLink) -> DriverLink:
        """Store a new link; return it as stored."""
        row = records.insert(self._ws, LINK, {"id": link.id, **link_columns(link)})
        return link_from_row(row)

    def update_link(self, link_id: str, changes: Mapping[str, Any]) -> DriverLink:
        """Write some columns of a live link."""
        _, after = records.update(self._ws, LINK, link_id, changes)
        return link_from_row(after)

    def tombstone_node(self, node_id: str, at: str | None = None) -> None:
        """Mark a box deleted (its links are the caller's business)."""
        records.tombstone(self._ws, NODE, node_id, at=at)

    def tombstone_link(self, link_id: str, at: str | None = None) -> None:
        """Mark a link deleted."""
        records.tombstone(self._ws, LINK, link_id, at=at)

    def restore_node(self, node_id: str) -> DriverNode:
        """Bring a deleted box back."""
        return node_from_row(records.restore(self._ws, NODE, node_id))

    def restore_link(self, link_id: str) -> DriverLink:
        """Bring a deleted link back."""
        return link_from_row(records.restore(self._ws, LINK, link_id))

    def add_measure_link(self, link: MeasureLink) -> MeasureLink:
        """Store a new measure link; return it as stored."""
        row = records.insert(self._ws, MEASURE_LINK, {"id": link.id, **measure_link_columns(link)})
        return measure_link_from_row(row)

    def tombstone_measure_link(self, link_id: str, at: str | None = None) -> None:
        """Mark a measure link deleted."""
        records.tombstone(self._ws, MEASURE_LINK, link_id, at=at)

    def restore_measure_link(self, link_id: str) -> MeasureLink:
        """Bring a deleted measure link back."""
        return measure_link_from_row(records.restore(self._ws, MEASURE_LINK, link_id))
