"""The ``Changes`` summary every service call returns (one per operation).

The main window hands it to each open panel; each panel refreshes only what it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Entity(StrEnum):
    """Kinds of record a change can touch."""

    WORKSPACE = "workspace"
    PROJECT = "project"
    TEAM_MEMBER = "team_member"
    DRIVER = "driver"
    MEASURE = "measure"
    OBSERVATION = "observation"
    PHASE = "phase"
    ANNOTATION = "annotation"
    PDSA = "pdsa"
    COACHING = "coaching"
    STORY = "story"


@dataclass(frozen=True)
class Changes:
    """What one operation changed: entity kind -> ids created, updated or deleted."""

    created: dict[Entity, frozenset[str]] = field(default_factory=dict)
    updated: dict[Entity, frozenset[str]] = field(default_factory=dict)
    deleted: dict[Entity, frozenset[str]] = field(default_factory=dict)
    workspace_replaced: bool = False

    @classmethod
    def of(
        cls,
        *,
        created: dict[Entity, list[str] | set[str] | frozenset[str]] | None = None,
        updated: dict[Entity, list[str] | set[str] | frozenset[str]] | None = None,
        deleted: dict[Entity, list[str] | set[str] | frozenset[str]] | None = None,
        workspace_replaced: bool = False,
    ) -> Changes:
        """Build a summary from plain collections of ids."""

        def freeze(
            d: dict[Entity, list[str] | set[str] | frozenset[str]] | None,
        ) -> dict[Entity, frozenset[str]]:
            return {k: frozenset(v) for k, v in (d or {}).items() if v}

        return cls(freeze(created), freeze(updated), freeze(deleted), workspace_replaced)

    def touches(self, entity: Entity) -> bool:
        """True when any record of ``entity`` was created, updated or deleted."""
        return self.workspace_replaced or any(
            entity in part for part in (self.created, self.updated, self.deleted)
        )

    def ids(self, entity: Entity) -> frozenset[str]:
        """Every id of ``entity`` that this operation touched."""
        out: frozenset[str] = frozenset()
        for part in (self.created, self.updated, self.deleted):
            out |= part.get(entity, frozenset())
        return out

    def merged(self, other: Changes) -> Changes:
        """The union of two summaries (for macros of several operations)."""

        def union(
            a: dict[Entity, frozenset[str]], b: dict[Entity, frozenset[str]]
        ) -> dict[Entity, frozenset[str]]:
            keys = set(a) | set(b)
            return {k: a.get(k, frozenset()) | b.get(k, frozenset()) for k in keys}

        return Changes(
            union(self.created, other.created),
            union(self.updated, other.updated),
            union(self.deleted, other.deleted),
            self.workspace_replaced or other.workspace_replaced,
        )

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.created or self.updated or self.deleted or self.workspace_replaced)
