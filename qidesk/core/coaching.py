"""Coaching sessions with their actions, and stories of impact: the pure model (no Qt, no SQL).

A **coaching session** is a meeting of a QI coach with the project team: when, who coached,
who attended, notes, and **actions** (what, who owns it, by when, done or not). Actions are
records of their own (they travel to the hub with their session), so one can be ticked off
without rewriting the session.

A **story of impact** is a short, dated account from staff, a patient or the team of what the
project changed for them, optionally with a chart (a measure of the same project) or the
driver diagram attached, for boards and sharing events.

Everything is immutable; edits make new values. ``*_problems`` functions say in plain words
why a value cannot be saved (empty = valid); the patient-identifier guard is applied by the
UI to :meth:`CoachingSession.free_text` and :meth:`Story.free_text` (warn, don't block).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from qidesk.core.chart_text import centre_name, latest_run, overview, signal_kind
from qidesk.core.charting import ChartData
from qidesk.core.errors import ValidationError
from qidesk.core.pdsa import Ramp
from qidesk.core.periods import format_date, format_period
from qidesk.core.records import RecordMeta, new_id

#: attachment value that means "the project's driver diagram"
DIAGRAM = "diagram"
#: longest story title and action text
MAX_TITLE = 200
MAX_ACTION = 500


class StoryKind(StrEnum):
    """Whose story it is."""

    STAFF = "staff"
    PATIENT = "patient"
    TEAM = "team"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            StoryKind.STAFF: "Staff story",
            StoryKind.PATIENT: "Patient story",
            StoryKind.TEAM: "Team story",
        }[self]


@dataclass(frozen=True)
class CoachingAction:
    """Something agreed at a coaching session: what, who owns it, by when, and whether done."""

    text: str
    owner: str = ""
    due: date | None = None
    done: bool = False
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def with_changes(self, **changes: object) -> CoachingAction:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def overdue(self, today: date) -> bool:
        """True when the action is not done and its due date has passed."""
        return not self.done and self.due is not None and self.due < today


@dataclass(frozen=True)
class CoachingSession:
    """One coaching session of a project, with its actions in the order agreed."""

    project_id: str
    held_on: date
    coach: str = ""
    attendees: tuple[str, ...] = ()
    notes: str = ""
    actions: tuple[CoachingAction, ...] = ()
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def with_changes(self, **changes: object) -> CoachingSession:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def title(self) -> str:
        """``"3 March 2025 — Tom Reid"``: how the session is named in lists."""
        coach = self.coach.strip()
        return f"{format_date(self.held_on)} — {coach}" if coach else format_date(self.held_on)

    @property
    def open_actions(self) -> tuple[CoachingAction, ...]:
        """Actions not yet done."""
        return tuple(a for a in self.actions if not a.done)

    def free_text(self) -> list[tuple[str, str]]:
        """Every free-text field as ``(label, text)``, for the patient-identifier guard."""
        out = [
            ("Coach", self.coach),
            ("Attendees", ", ".join(self.attendees)),
            ("Notes", self.notes),
        ]
        for i, action in enumerate(self.actions, start=1):
            out.append((f"Action {i}", action.text))
            out.append((f"Action {i}: owner", action.owner))
        return [(label, text) for label, text in out if text.strip()]


def parse_attendees(text: str) -> tuple[str, ...]:
    """Names from a comma- or semicolon-separated list, trimmed, blanks and repeats dropped."""
    seen: dict[str, None] = {}
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in {s.casefold() for s in seen}:
            seen[name] = None
    return tuple(seen)


def session_problems(session: CoachingSession) -> dict[str, str]:
    """Every reason ``session`` cannot be saved, keyed by field (empty = valid)."""
    problems: dict[str, str] = {}
    if not session.project_id:
        problems["project"] = "a coaching session belongs to a project"
    ids: set[str] = set()
    for i, action in enumerate(session.actions, start=1):
        key = f"actions[{i}]"
        if action.id in ids:
            problems[key] = f"action {i} appears twice"
        ids.add(action.id)
        if not action.text.strip():
            problems[key] = f"action {i} needs some text (what will be done)"
        elif len(action.text) > MAX_ACTION:
            problems[key] = f"action {i} is longer than {MAX_ACTION} characters"
    return problems


def validate_session(session: CoachingSession) -> CoachingSession:
    """Return ``session`` or raise :class:`ValidationError` naming each bad field."""
    problems = session_problems(session)
    if problems:
        raise ValidationError(problems)
    return session


def same_session(a: CoachingSession, b: CoachingSession) -> bool:
    """True when two sessions hold the same content (metadata ignored)."""

    def key(s: CoachingSession) -> CoachingSession:
        return s.with_changes(
            meta=RecordMeta(),
            actions=tuple(x.with_changes(meta=RecordMeta()) for x in s.actions),
        )

    return key(a) == key(b)


@dataclass(frozen=True)
class OpenAction:
    """An action not yet done, with the session it came from."""

    action: CoachingAction
    session: CoachingSession

    def overdue(self, today: date) -> bool:
        """True when its due date has passed."""
        return self.action.overdue(today)

    def describe(self) -> str:
        """``"Audit ten drug charts — Priya Shah, due 3 March 2025"``."""
        parts = [self.action.text.strip()]
        tail = []
        if self.action.owner.strip():
            tail.append(self.action.owner.strip())
        if self.action.due is not None:
            tail.append(f"due {format_date(self.action.due)}")
        if tail:
            parts.append(", ".join(tail))
        return " — ".join(parts)


def open_actions(sessions: Iterable[CoachingSession]) -> list[OpenAction]:
    """Every action not yet done across ``sessions``: dated ones by due date, then undated."""
    found = [
        OpenAction(a, s) for s in sessions if not s.meta.deleted for a in s.actions if not a.done
    ]
    found.sort(key=lambda o: (o.action.due is None, o.action.due or date.min, o.session.held_on))
    return found


@dataclass(frozen=True)
class Story:
    """A dated story of impact, optionally with a chart or the driver diagram attached.

    ``attachment`` is a measure id of the same project, :data:`DIAGRAM`, or ``None``.
    """

    project_id: str
    told_on: date
    kind: StoryKind = StoryKind.TEAM
    title: str = ""
    text: str = ""
    attachment: str | None = None
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def with_changes(self, **changes: object) -> Story:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def measure_id(self) -> str | None:
        """The attached measure's id, if a chart is attached."""
        return self.attachment if self.attachment not in (None, DIAGRAM) else None

    @property
    def shows_diagram(self) -> bool:
        """True when the driver diagram is attached."""
        return self.attachment == DIAGRAM

    def free_text(self) -> list[tuple[str, str]]:
        """Every free-text field as ``(label, text)``, for the patient-identifier guard."""
        return [(label, t) for label, t in (("Title", self.title), ("Story", self.text)) if t]


def story_problems(story: Story, measure_ids: Collection[str] | None = None) -> dict[str, str]:
    """Every reason ``story`` cannot be saved (empty = valid).

    ``measure_ids`` are the live measures of the story's project; when given, an attached
    chart must be one of them.
    """
    problems: dict[str, str] = {}
    if not story.project_id:
        problems["project"] = "a story belongs to a project"
    if not story.title.strip():
        problems["title"] = "a story needs a title"
    elif len(story.title) > MAX_TITLE:
        problems["title"] = f"the title is longer than {MAX_TITLE} characters"
    if not story.text.strip():
        problems["text"] = "write the story (what changed, for whom)"
    mid = story.measure_id
    if mid is not None and measure_ids is not None and mid not in measure_ids:
        problems["attachment"] = "the attached chart is not a measure of this project"
    return problems


def validate_story(story: Story, measure_ids: Collection[str] | None = None) -> Story:
    """Return ``story`` or raise :class:`ValidationError` naming each bad field."""
    problems = story_problems(story, measure_ids)
    if problems:
        raise ValidationError(problems)
    return story


def same_story(a: Story, b: Story) -> bool:
    """True when two stories hold the same content (metadata ignored)."""
    return a.with_changes(meta=RecordMeta()) == b.with_changes(meta=RecordMeta())


def latest_story(stories: Iterable[Story]) -> Story | None:
    """The most recent live story (by date, then when it was written)."""
    live = [s for s in stories if not s.meta.deleted]
    if not live:
        return None
    return max(live, key=lambda s: (s.told_on, s.meta.created_at, s.id))


# --------------------------------------------------------------------------- ramps in words


def ramp_line(ramp: Ramp) -> str:
    """One line about a ramp for the coaching view and the summary PDF.

    ``"Ramp “Falls huddle”: 3 cycles (one patient → one shift → one ward); latest Act: adopt"``.
    """
    count = len(ramp.cycles)
    scales = [c.test.scale.label.lower() for c in ramp.cycles if c.test.scale is not None]
    steps: list[str] = []
    for s in scales:
        if not steps or steps[-1] != s:
            steps.append(s)
    text = f"Ramp “{ramp.name.strip() or 'unnamed'}”: {count} cycle{'s' if count != 1 else ''}"
    if steps:
        text += f" ({' → '.join(steps)})"
    decided = [c for c in ramp.cycles if c.decision is not None]
    if decided and decided[-1].decision is not None:
        text += f"; latest Act: {decided[-1].decision.short.lower()}"
    else:
        text += "; no Act decision yet"
    return text


def decisions_path(ramp: Ramp) -> str:
    """The Act decisions along a ramp, e.g. ``"#1 adapt → #2 adapt → #3 adopt"``."""
    parts = [
        f"#{c.number} {c.decision.short.lower() if c.decision else c.status.label.lower()}"
        for c in ramp.cycles
    ]
    return " → ".join(parts)


# --------------------------------------------------------------------------- charts in words


def latest_in_words(data: ChartData) -> str:
    """What a measure's chart says now, in one or two short sentences (for the projector).

    ``"Latest point: Mar 2019, 84.2% — common cause variation."`` plus the most recent signal: a
    point signal (from :func:`qidesk.core.chart_text.overview`, so the words match the
    dashboard) or, when it is more recent, a long run of the latest phase (Anhøj rule, a
    phase-level signal that no single point carries).
    """
    ov = overview(data)
    if ov.error:
        return f"This chart cannot be drawn: {ov.error}"
    if not ov.points or data.result is None:
        return "No data yet."
    variation = f" — {ov.variation[0].lower()}{ov.variation[1:]}" if ov.variation else ""
    text = f"Latest point: {ov.latest_period}, {ov.latest_value}{variation}."
    result = data.result
    signalled = [i for i, p in enumerate(result.points) if p.signals and p.value is not None]
    phase = result.phases[-1] if result.phases else None
    run = latest_run(data, phase) if phase is not None and phase.runs_signal else None
    if run is not None and (not signalled or run.stop >= signalled[-1]):
        kind = signal_kind(run.side, data.measure.direction)
        word = "above" if run.side > 0 else "below"
        since = format_period(data.periods[run.start], data.measure.period)
        text += (
            f" Most recent signal: {run.length} points in a row {word} the "
            f"{centre_name(data.chart)} from {since} ({kind})."
        )
    elif ov.latest_signal:
        text += f" Most recent signal: {ov.latest_signal}."
    return text
