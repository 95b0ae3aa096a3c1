"""Metadata carried by every record that travels to the hub (ids, times, revision, tombstone)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime


def new_id() -> str:
    """A new stable record id (UUID4, lower-case hex with hyphens)."""
    return str(uuid.uuid4())


def utc_now() -> str:
    """The current UTC time as ISO 8601 with milliseconds, e.g. ``2025-03-01T09:30:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class RecordMeta:
    """Who made a record and when, its revision and its tombstone.

    ``revision`` starts at 1 and grows by one on every change. ``deleted_at`` is set instead of
    removing the row, so that a deletion can travel to the hub.
    """

    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""
    revision: int = 0
    deleted_at: str | None = None

    @property
    def deleted(self) -> bool:
        """True when the record has been deleted (tombstoned)."""
        return self.deleted_at is not None
