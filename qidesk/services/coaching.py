"""Coaching use cases: sessions, actions, stories, progress evidence and the project brief.

Sessions carry actions; stories of impact are dated and may attach a chart or the diagram. The
evidence feeds the suggested progress score, and the brief is the one object that the coaching
view and the one-page summary PDF show.

Each call that writes is one transaction and returns a ``Changes`` summary: session and action
ids under :attr:`Entity.COACHING`, story ids under :attr:`Entity.STORY`.

Undo: :meth:`CoachingService.update_session` returns the session before and after; saving
``before`` again undoes the edit (actions removed by the edit come back with their ids and
history). :meth:`delete_session`/:meth:`restore_session` and :meth:`delete_story`/
:meth:`restore_story` undo each other, and so do the ``create_*`` calls and the deletions.

PDSA cycles are read through :class:`qidesk.services.pdsa.PdsaService` when that module and its
tables exist, so this service also works in a workspace without them (no cycles then).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

from qidesk.core.changes import Changes, Entity
from qidesk.core.charting import ChartData, chart_data
from qidesk.core.coaching import (
    DIAGRAM,
    CoachingAction,
    CoachingSession,
    OpenAction,
    Story,
    StoryKind,
    latest_in_words,
    latest_story,
    open_actions,
    ramp_line,
    validate_session,
    validate_story,
)
from qidesk.core.drivers import DriverDiagram, NodeKind
from qidesk.core.errors import ValidationError
from qidesk.core.measures import Annotation, Measure, MeasureType
from qidesk.core.pdsa import CycleStatus, Decision, PdsaCycle, Purpose, Ramp
from qidesk.core.progress import (
    ProgressEvidence,
    Suggestion,
    baseline_points,
    improvement_since,
    suggest_progress,
    sustained_improvement,
    target_met,
)
from qidesk.core.project import Project, Status, TeamRole
from qidesk.services.diagram import DiagramService
from qidesk.store.coaching_repo import SESSION, STORY, CoachingRepository
from qidesk.store.database import Workspace
from qidesk.store.measures_repo import MeasureRepository
from qidesk.store.projects_repo import ProjectRepository
from qidesk.store.schema import record_tables

C = Entity.COACHING
S = Entity.STORY

#: Act decisions that count as "a tested change was adopted"
ADOPTING = frozenset({Decision.ADOPT, Decision.SCALE_UP, Decision.IMPLEMENT, Decision.SPREAD})
#: how many charts the summary and the coaching view show at most
KEY_CHART_LIMIT = 4


class SessionResult(NamedTuple):
    """A stored session and what the operation changed."""

    session: CoachingSession
    changes: Changes


class SessionUpdate(NamedTuple):
    """A session as it was and as it is now (undo saves ``before`` back), and the summary."""

    before: CoachingSession
    after: CoachingSession
    changes: Changes


class StoryResult(NamedTuple):
    """A stored story and what the operation changed."""

    story: Story
    changes: Changes


class StoryUpdate(NamedTuple):
    """A story as it was and as it is now, and the summary."""

    before: Story
    after: Story
    changes: Changes


class CycleSource(Protocol):
    """What this service reads from the PDSA service."""

    def ramps(self, project_id: str) -> list[Ramp]:
        """The project's ramps, each with its cycles in order."""
        ...  # pragma: no cover

    def pdsa_annotations(self, measure_id: str) -> list[Annotation]:
        """The PDSA markers of a measure's chart."""
        ...  # pragma: no cover


def pdsa_source(ws: Workspace) -> CycleSource | None:
    """The PDSA service of ``ws``, or ``None`` while PDSA cycles are not available there."""
    try:
        from qidesk.services.pdsa import PdsaService
        from qidesk.store.pdsa_repo import CYCLE
    except ImportError:  # the PDSA capability is not installed in this build
        return None
    if CYCLE not in record_tables(ws.db):
        return None
    return PdsaService(ws)


@dataclass(frozen=True)
class MeasureBrief:
    """One measure for the coaching view and the summary: its chart and what it says now."""

    measure: Measure
    chart: ChartData
    latest: str
    improved: bool


@dataclass(frozen=True)
class ChangeIdeaBrief:
    """A change idea of the driver diagram with its status and the ramps that test it."""

    text: str
    status: str
    ramps: tuple[str, ...]


@dataclass(frozen=True)
class ProjectBrief:
    """Everything the coaching view and the one-page summary show about one project.

    Computed here once, so that the widgets and the PDF only lay it out.
    """

    project: Project
    aim: str
    diagram: DriverDiagram
    measures: tuple[MeasureBrief, ...]
    change_ideas: tuple[ChangeIdeaBrief, ...]
    ramps: tuple[Ramp, ...]
    open_actions: tuple[OpenAction, ...]
    latest_story: Story | None
    suggestion: Suggestion
    today: date

    @property
    def ordered_measures(self) -> tuple[MeasureBrief, ...]:
        """Every measure: outcome first, then process, then balancing (display order within)."""
        order = {MeasureType.OUTCOME: 0, MeasureType.PROCESS: 1, MeasureType.BALANCING: 2}
        ranked = sorted(
            enumerate(self.measures), key=lambda im: (order[im[1].measure.measure_type], im[0])
        )
        return tuple(m for _, m in ranked)

    @property
    def key_measures(self) -> tuple[MeasureBrief, ...]:
        """The first :data:`KEY_CHART_LIMIT` of :attr:`ordered_measures`."""
        return self.ordered_measures[:KEY_CHART_LIMIT]


class CoachingService:
    """Use cases on coaching sessions and stories of one workspace."""

    def __init__(self, workspace: Workspace, pdsa: CycleSource | None = None) -> None:
        self._ws = workspace
        self._repo = CoachingRepository(workspace)
        self._projects = ProjectRepository(workspace)
        self._measures = MeasureRepository(workspace)
        self._diagrams = DiagramService(workspace)
        self._pdsa = pdsa if pdsa is not None else pdsa_source(workspace)

    # ------------------------------------------------------------------ sessions
    def sessions(self, project_id: str) -> list[CoachingSession]:
        """The project's sessions, newest first."""
        return self._repo.sessions(project_id)

    def session(self, session_id: str) -> CoachingSession:
        """One live session (``NotFoundError`` when absent or deleted)."""
        return self._repo.session(session_id)

    def open_actions(self, project_id: str) -> list[OpenAction]:
        """Every action not yet done across the project's sessions, soonest due first."""
        return open_actions(self._repo.sessions(project_id))

    def create_session(self, session: CoachingSession) -> SessionResult:
        """Store a new session with its actions."""
        validate_session(session)
        with self._ws.atomic():
            self._projects.get(session.project_id)
            if self._repo.exists(SESSION, session.id):  # redo of a create: bring it back
                self._repo.restore_session(session.id)
                stored = self._repo.save_session(session)
            else:
                stored = self._repo.add_session(session)
        return SessionResult(stored, Changes.of(created={C: _session_ids(stored)}))

    def update_session(self, session: CoachingSession) -> SessionUpdate:
        """Save the whole of an existing live session; return it before and after."""
        validate_session(session)
        with self._ws.atomic():
            before = self._repo.session(session.id)
            if before.project_id != session.project_id:
                raise ValidationError({"project": "a session cannot move to another project"})
            after = self._repo.save_session(session)
        gone = {a.id for a in before.actions} - {a.id for a in after.actions}
        new = {a.id for a in after.actions} - {a.id for a in before.actions}
        changes = Changes.of(
            created={C: new},
            updated={C: {after.id} | {a.id for a in after.actions} - new},
            deleted={C: gone},
        )
        return SessionUpdate(before, after, changes)

    def set_action_done(self, action_id: str, done: bool) -> Changes:
        """Tick an action off, or back on (undo: call again with the opposite)."""
        with self._ws.atomic():
            session_id = self._repo.action_session_id(action_id)
            self._repo.session(session_id)  # the session must be live
            self._repo.set_action_done(action_id, done)
        return Changes.of(updated={C: [action_id, session_id]})

    def delete_session(self, session_id: str) -> Changes:
        """Delete a session and its actions (tombstones; restorable)."""
        with self._ws.atomic():
            session = self._repo.session(session_id)
            self._repo.delete_session(session_id)
        return Changes.of(deleted={C: _session_ids(session)})

    def restore_session(self, session_id: str) -> SessionResult:
        """Bring a deleted session back with the actions deleted along with it."""
        with self._ws.atomic():
            stored = self._repo.restore_session(session_id)
        return SessionResult(stored, Changes.of(created={C: _session_ids(stored)}))

    # ------------------------------------------------------------------ stories
    def stories(self, project_id: str) -> list[Story]:
        """The project's stories, newest first."""
        return self._repo.stories(project_id)

    def story(self, story_id: str) -> Story:
        """One live story (``NotFoundError`` when absent or deleted)."""
        return self._repo.story(story_id)

    def latest_story(self, project_id: str) -> Story | None:
        """The project's most recent story, if any."""
        return latest_story(self._repo.stories(project_id))

    def create_story(self, story: Story) -> StoryResult:
        """Store a new story (an attached chart must be a measure of the same project)."""
        with self._ws.atomic():
            self._check_story(story)
            if self._repo.exists(STORY, story.id):  # redo of a create: bring it back
                self._repo.restore_story(story.id)
                stored = self._repo.save_story(story)
            else:
                stored = self._repo.add_story(story)
        return StoryResult(stored, Changes.of(created={S: [stored.id]}))

    def update_story(self, story: Story) -> StoryUpdate:
        """Save every field of an existing live story; return it before and after."""
        with self._ws.atomic():
            before = self._repo.story(story.id)
            if before.project_id != story.project_id:
                raise ValidationError({"project": "a story cannot move to another project"})
            self._check_story(story)
            after = self._repo.save_story(story)
        return StoryUpdate(before, after, Changes.of(updated={S: [after.id]}))

    def delete_story(self, story_id: str) -> Changes:
        """Delete a story (tombstone; restorable)."""
        with self._ws.atomic():
            self._repo.story(story_id)
            self._repo.delete_story(story_id)
        return Changes.of(deleted={S: [story_id]})

    def restore_story(self, story_id: str) -> StoryResult:
        """Bring a deleted story back."""
        with self._ws.atomic():
            stored = self._repo.restore_story(story_id)
        return StoryResult(stored, Changes.of(created={S: [story_id]}))

    def _check_story(self, story: Story) -> None:
        self._projects.get(story.project_id)
        ids = {m.id for m in self._measures.for_project(story.project_id)}
        validate_story(story, ids)

    # ------------------------------------------------------------------ evidence
    def measures(self, project_id: str) -> list[Measure]:
        """The project's live measures (what a story may attach)."""
        return self._measures.for_project(project_id)

    def ramps(self, project_id: str) -> list[Ramp]:
        """The project's PDSA ramps (empty while PDSA cycles are not available)."""
        return self._pdsa.ramps(project_id) if self._pdsa is not None else []

    def charts(self, project_id: str) -> list[ChartData]:
        """The chart of every measure of the project, with its PDSA markers."""
        out = []
        for m in self._measures.for_project(project_id):
            notes = list(self._measures.annotations(m.id))
            if self._pdsa is not None:
                notes += self._pdsa.pdsa_annotations(m.id)
            out.append(
                chart_data(m, self._measures.observations(m.id), self._measures.phases(m.id), notes)
            )
        return out

    def evidence(self, project_id: str) -> ProgressEvidence:
        """What the project shows, for the suggested progress score."""
        project = self._projects.get(project_id)
        return _evidence(project, self.charts(project_id), self.ramps(project_id))

    def suggestion(self, project_id: str) -> Suggestion:
        """The suggested progress score and phase, with reasons (advice: the team decides)."""
        return suggest_progress(self.evidence(project_id))

    # ------------------------------------------------------------------ the brief
    def brief(self, project_id: str, today: date | None = None) -> ProjectBrief:
        """Everything the coaching view and the summary PDF show about the project."""
        project = self._projects.get(project_id)
        charts = self.charts(project_id)
        ramps = self.ramps(project_id)
        since = _testing_began(ramps)
        measures = tuple(
            MeasureBrief(d.measure, d, latest_in_words(d), improvement_since(d, since))
            for d in charts
        )
        sessions = self._repo.sessions(project_id)
        diagram = self._diagrams.diagram(project_id)
        return ProjectBrief(
            project=project,
            aim=self._diagrams.aim_text(project_id),
            diagram=diagram,
            measures=measures,
            change_ideas=_change_ideas(diagram, ramps),
            ramps=tuple(ramps),
            open_actions=tuple(open_actions(sessions)),
            latest_story=latest_story(self._repo.stories(project_id)),
            suggestion=suggest_progress(_evidence(project, charts, ramps)),
            today=today or date.today(),
        )


def _change_ideas(diagram: DriverDiagram, ramps: list[Ramp]) -> tuple[ChangeIdeaBrief, ...]:
    out = []
    for node in diagram.of_kind(NodeKind.CHANGE_IDEA):
        tested = tuple(ramp_line(r) for r in ramps if node.id in r.change_idea_ids)
        status = node.status.label if node.status is not None else ""
        out.append(ChangeIdeaBrief(node.text, status, tested))
    return tuple(out)


def add_demo_coaching(service: CoachingService, project_id: str) -> Changes:
    """Demo content for one project: two coaching sessions with actions, and two stories.

    For the demo workspace (call inside its transaction). The sessions sit in the A&E demo's
    own years; one action is still open and overdue, so the coaching view has something to
    show. The staff story carries the project's first outcome measure's chart, the patient
    story the driver diagram. Fictional people; no patient details.
    """
    outcome = next(
        (m for m in service.measures(project_id) if m.measure_type is MeasureType.OUTCOME), None
    )
    first = CoachingSession(
        project_id,
        date(2017, 9, 12),
        coach="Tom Reid",
        attendees=("Dr Sam Patel", "Nurse Jo Kim", "Ali Hassan"),
        notes="Looked at the four-hour chart together: the summer dip is common-cause "
        "variation, so no single month explains it. Agreed to test GP streaming on one "
        "weekday shift before winter, with a prediction written down first.",
        actions=(
            CoachingAction("Write the PDSA for GP streaming, with predictions", "Nurse Jo Kim",
                           date(2017, 9, 26), done=True),
            CoachingAction("Add weekly breach counts to the huddle board", "Ali Hassan",
                           date(2017, 10, 3), done=True),
        ),
    )  # fmt: skip
    second = CoachingSession(
        project_id,
        date(2018, 2, 6),
        coach="Tom Reid",
        attendees=("Dr Sam Patel", "Claire Dunn", "Nurse Jo Kim"),
        notes="Winter hit hard (severe flu season), yet streaming held up on the shifts "
        "that ran it. Discussed scaling up to every weekday and how to keep the balancing "
        "measure (admissions per attendance) in view.",
        actions=(
            CoachingAction("Plan the next cycle: streaming on every weekday", "Dr Sam Patel",
                           date(2018, 2, 20)),
            CoachingAction("Ask the board for a twilight senior-doctor shift", "Claire Dunn",
                           date(2018, 3, 15)),
            CoachingAction("Share the run chart at the ED governance meeting", "Tom Reid"),
        ),
    )  # fmt: skip
    staff = Story(
        project_id,
        date(2018, 3, 20),
        StoryKind.STAFF,
        "Streaming gave the night team breathing space",
        "Nurses on the streaming shifts said the waiting room felt calmer: minor illness was "
        "seen by the GP within the hour, and majors cubicles stayed free for the sickest "
        "patients. “For the first time this winter we were not apologising all night.”",
        attachment=outcome.id if outcome else None,
    )
    patient = Story(
        project_id,
        date(2018, 4, 10),
        StoryKind.PATIENT,
        "Seen, treated and home before the school run",
        "A parent who brought a child with a minor injury wrote to the department: they were "
        "streamed to the GP, seen within 40 minutes and home in time for the school run. "
        "They asked that the service stay.",
        attachment=DIAGRAM,
    )
    changes = Changes()
    for session in (first, second):
        changes = changes.merged(service.create_session(session).changes)
    for story in (staff, patient):
        changes = changes.merged(service.create_story(story).changes)
    return changes


def _session_ids(session: CoachingSession) -> list[str]:
    return [session.id, *(a.id for a in session.actions)]


def _live_cycles(ramps: list[Ramp]) -> list[PdsaCycle]:
    return [c for r in ramps for c in r.cycles if not c.meta.deleted]


def _testing_began(ramps: list[Ramp]) -> date | None:
    starts = [c.start for c in _live_cycles(ramps) if c.start is not None]
    return min(starts) if starts else None


def _studied(cycle: PdsaCycle) -> bool:
    if cycle.status is CycleStatus.ABANDONED:
        return False
    return (
        cycle.status is CycleStatus.DONE
        or cycle.improved is not None
        or cycle.decision is not None
        or any(q.result.strip() or q.confirmed is not None for q in cycle.questions)
    )


def _evidence(project: Project, charts: list[ChartData], ramps: list[Ramp]) -> ProgressEvidence:
    """The evidence of ``project`` from its charts and ramps (pure: no storage)."""
    cycles = _live_cycles(ramps)
    since = _testing_began(ramps)
    outcome = [d for d in charts if d.measure.measure_type is MeasureType.OUTCOME]
    met = [target_met(d) for d in outcome]
    judged = [m for m in met if m is not None]
    return ProgressEvidence(
        aim_gaps=tuple(project.aim.lacks()),
        has_lead=any(m.role is TeamRole.LEAD for m in project.team),
        team_size=len(project.team),
        measure_count=len(charts),
        outcome_measure_count=len(outcome),
        max_points=max((len(d.observations) for d in charts), default=0),
        baseline_points=max((baseline_points(d, since) for d in charts), default=0),
        pdsa_count=len(cycles),
        studied_count=sum(1 for c in cycles if _studied(c)),
        adopted_count=sum(1 for c in cycles if c.decision in ADOPTING),
        implementing=any(
            c.decision in (Decision.IMPLEMENT, Decision.SPREAD)
            or (c.purpose is Purpose.IMPLEMENT and c.status is not CycleStatus.ABANDONED)
            for c in cycles
        ),
        improvement_measures=tuple(d.measure.name for d in charts if improvement_since(d, since)),
        outcome_improvement_measures=tuple(
            d.measure.name for d in outcome if improvement_since(d, since)
        ),
        sustained_measures=tuple(d.measure.name for d in outcome if sustained_improvement(d)),
        aim_met=(any(judged) if judged else None),
        spread_recorded=bool(project.spread.strip()),
        closed=project.status in (Status.COMPLETED, Status.CANCELLED),
    )


__all__ = [
    "ChangeIdeaBrief",
    "CoachingService",
    "CycleSource",
    "MeasureBrief",
    "ProjectBrief",
    "SessionResult",
    "SessionUpdate",
    "StoryResult",
    "StoryUpdate",
    "add_demo_coaching",
    "pdsa_source",
]
