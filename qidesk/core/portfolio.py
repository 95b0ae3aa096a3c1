"""Finding projects: the filter, search and sort rules of the project list (pure, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from qidesk.core.project import JourneyPhase, Project, Status, WorkType


@dataclass(frozen=True)
class ProjectRow:
    """A project as the list shows it: the charter plus when it last changed."""

    project: Project
    last_changed: str  # ISO 8601 UTC

    def days_since_update(self, today: date | None = None) -> int:
        """Whole days since anything in the project last changed."""
        return days_since(self.last_changed, today)


def days_since(timestamp: str, today: date | None = None) -> int:
    """Whole days between an ISO 8601 UTC timestamp and ``today`` (UTC)."""
    if not timestamp:
        return 0
    when = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(UTC).date()
    today = today or datetime.now(UTC).date()
    return max(0, (today - when).days)


@dataclass(frozen=True)
class ProjectFilter:
    """What the user asked the project list to show. ``None`` means "any"."""

    text: str = ""
    work_type: WorkType | None = None
    status: Status | None = None
    phase: JourneyPhase | None = None
    division: str | None = None
    show_archived: bool = False
    stale_days: int | None = None  # only projects not updated for at least this many days

    def matches(self, row: ProjectRow, today: date | None = None) -> bool:
        """True when ``row`` passes every part of the filter."""
        p = row.project
        if p.archived and not self.show_archived:
            return False
        if self.work_type is not None and p.work_type != self.work_type:
            return False
        if self.status is not None and p.status != self.status:
            return False
        if self.phase is not None and p.phase != self.phase:
            return False
        if self.division is not None and p.division != self.division:
            return False
        if self.stale_days is not None and row.days_since_update(today) < self.stale_days:
            return False
        return self._text_matches(p)

    def _text_matches(self, p: Project) -> bool:
        words = self.text.casefold().split()
        if not words:
            return True
        haystack = " ".join(
            [
                p.title,
                p.division,
                p.directorate,
                p.ward,
                p.programme,
                p.problem,
                p.aim.statement(),
                " ".join(m.name for m in p.team),
            ]
        ).casefold()
        return all(word in haystack for word in words)


class SortKey(StrEnum):
    """Columns the project list sorts by."""

    TITLE = "title"
    WORK_TYPE = "work_type"
    STATUS = "status"
    PHASE = "phase"
    DIVISION = "division"
    DAYS_SINCE_UPDATE = "days_since_update"
    SCORE = "score"


def sort_value(row: ProjectRow, key: SortKey, today: date | None = None) -> tuple[int, str | float]:
    """A comparable value for sorting ``row`` by ``key`` (enums sort in their natural order)."""
    p = row.project
    if key is SortKey.TITLE:
        return (0, p.title.casefold())
    if key is SortKey.WORK_TYPE:
        return (list(WorkType).index(p.work_type), "")
    if key is SortKey.STATUS:
        return (list(Status).index(p.status), "")
    if key is SortKey.PHASE:
        return (list(JourneyPhase).index(p.phase), "")
    if key is SortKey.DIVISION:
        return (0, p.division.casefold())
    if key is SortKey.SCORE:
        return (0, p.score.value if p.score else 0.0)
    return (row.days_since_update(today), "")


def filter_and_sort(
    rows: list[ProjectRow],
    flt: ProjectFilter,
    key: SortKey = SortKey.TITLE,
    descending: bool = False,
    today: date | None = None,
) -> list[ProjectRow]:
    """The rows that pass ``flt``, sorted by ``key``."""
    kept = [r for r in rows if flt.matches(r, today)]
    return sorted(kept, key=lambda r: sort_value(r, key, today), reverse=descending)
