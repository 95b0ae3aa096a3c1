"""Finding projects: the filter, search and sort rules of the project list (pure, no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from qidesk.core.progress import disagreement, is_stale
from qidesk.core.project import JourneyPhase, Project, Status, WorkType


@dataclass(frozen=True)
class ProjectRow:
    """A project as the list shows it: the charter plus when it last changed.

    ``suggested_score`` and ``suggestion_reasons`` are the evidence-based suggestion, present
    only once the user has asked to compare scores with the evidence (it is costly to compute).
    """

    project: Project
    last_changed: str  # ISO 8601 UTC
    suggested_score: float | None = None
    suggestion_reasons: tuple[str, ...] = ()

    def days_since_update(self, today: date | None = None) -> int:
        """Whole days since anything in the project last changed."""
        return days_since(self.last_changed, today)

    def score_is_stale(self, today: date | None = None) -> bool:
        """True when the team has a score and it was set too long ago (or never dated)."""
        score = self.project.score
        return score is not None and is_stale(score.set_on, today or _today())

    def score_disagreement(self) -> str | None:
        """The sentence saying how the team's score and the suggestion differ (``None``: agree)."""
        if self.suggested_score is None:
            return None
        team = self.project.score.value if self.project.score else None
        return disagreement(team, self.suggested_score)

    def score_check(self, today: date | None = None) -> str:
        """The "Score check" column in words ("" when there is nothing to review)."""
        notes = []
        if self.score_is_stale(today):
            set_on = self.project.score.set_on if self.project.score else None
            if set_on is None:
                notes.append("Stale: no date set")
            else:
                notes.append(f"Stale: set {((today or _today()) - set_on).days} days ago")
        if self.suggested_score is not None and self.score_disagreement():
            notes.append(f"Evidence suggests {self.suggested_score:.1f}")
        return "; ".join(notes)

    def score_check_reasons(self, today: date | None = None) -> str:
        """Why the score needs a look: the staleness and the suggestion's reasons, one a line."""
        lines = []
        if self.score_is_stale(today):
            set_on = self.project.score.set_on if self.project.score else None
            if set_on is None:
                lines.append("The team's score has no date, so nobody can tell how current it is.")
            else:
                days = ((today or _today()) - set_on).days
                lines.append(f"The team's score was set on {set_on:%d %b %Y}, {days} days ago.")
        gap = self.score_disagreement()
        if gap:
            lines.append(gap)
            lines.extend(self.suggestion_reasons)
        return "\n".join(lines)

    def needs_score_review(self, today: date | None = None) -> bool:
        """True when the score is stale or disagrees with the evidence."""
        return self.score_is_stale(today) or self.score_disagreement() is not None


def _today() -> date:
    return datetime.now(UTC).date()


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
    scores_to_review: bool = False  # only projects whose score is stale or disagrees

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
        if self.scores_to_review and not row.needs_score_review(today):
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
    SCORE_CHECK = "score_check"


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
    if key is SortKey.SCORE_CHECK:
        note = row.score_check(today)
        return (0 if note else 1, note.casefold())  # notes first
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
