"""Project charters: the enums, the ``Project`` record, its validation and the aim check."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from qidesk.core.errors import ValidationError
from qidesk.core.records import RecordMeta, new_id


class WorkType(StrEnum):
    """Kinds of work a hub reports on."""

    STRATEGIC = "strategic"
    SERVICE_LED = "service_led"
    CONSULTANCY = "consultancy"
    PERSONAL_LEARNING = "personal_learning"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            WorkType.STRATEGIC: "Strategic QI project",
            WorkType.SERVICE_LED: "Service-led project",
            WorkType.CONSULTANCY: "Consultancy piece",
            WorkType.PERSONAL_LEARNING: "Personal / learning project",
        }[self]


class Status(StrEnum):
    """Where a project stands administratively."""

    PROPOSED = "proposed"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return self.value.replace("_", " ").capitalize()


class JourneyPhase(StrEnum):
    """The QI-journey phase of a project."""

    SCOPING = "scoping"
    TESTING = "testing"
    IMPLEMENTATION = "implementation"
    SPREAD = "spread"
    SUSTAIN = "sustain"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            JourneyPhase.SCOPING: "Scoping / innovation",
            JourneyPhase.TESTING: "Testing (pilot)",
            JourneyPhase.IMPLEMENTATION: "Implementation",
            JourneyPhase.SPREAD: "Spread",
            JourneyPhase.SUSTAIN: "Sustain",
            JourneyPhase.CLOSED: "Closed",
        }[self]


class TeamRole(StrEnum):
    """Roles a person can hold in a project team."""

    SPONSOR = "sponsor"
    LEAD = "lead"
    QI_COACH = "qi_coach"
    MEMBER = "member"
    DATA_COLLECTOR = "data_collector"
    PATIENT_PARTNER = "patient_partner"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            TeamRole.SPONSOR: "Sponsor",
            TeamRole.LEAD: "Project lead",
            TeamRole.QI_COACH: "QI coach",
            TeamRole.MEMBER: "Team member",
            TeamRole.DATA_COLLECTOR: "Data collector",
            TeamRole.PATIENT_PARTNER: "Patient partner",
        }[self]


class Involvement(StrEnum):
    """Patient and public involvement level."""

    NONE = "none"
    INFORMED = "informed"
    CONSULTED = "consulted"
    CO_DESIGNED = "co_designed"
    PARTNER_ON_TEAM = "partner_on_team"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            Involvement.NONE: "None yet",
            Involvement.INFORMED: "Informed",
            Involvement.CONSULTED: "Consulted",
            Involvement.CO_DESIGNED: "Co-designed",
            Involvement.PARTNER_ON_TEAM: "Patient partner on the team",
        }[self]


class EvaluationLevel(StrEnum):
    """Levels at which a project's impact is evaluated."""

    INDIVIDUAL_TEAM = "individual_team"
    ORGANISATION = "organisation"
    WIDER_COMMUNITY = "wider_community"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            EvaluationLevel.INDIVIDUAL_TEAM: "Individual / team",
            EvaluationLevel.ORGANISATION: "Organisation",
            EvaluationLevel.WIDER_COMMUNITY: "Wider community",
        }[self]


#: IHI progress score scale (0.5 to 5.0 in steps of 0.5) with its meaning.
PROGRESS_SCORES: dict[float, str] = {
    0.5: "Intent to participate",
    1.0: "Charter and team established",
    1.5: "Planning for the project has begun",
    2.0: "Activity, but no changes",
    2.5: "Changes tested, but no improvement",
    3.0: "Modest improvement",
    3.5: "Improvement",
    4.0: "Significant improvement",
    4.5: "Sustainable improvement",
    5.0: "Outstanding sustainable results",
}


@dataclass(frozen=True)
class ProgressScore:
    """An IHI progress score with who set it, when and on what evidence."""

    value: float
    set_by: str = ""
    set_on: date | None = None
    evidence: str = ""

    @property
    def label(self) -> str:
        """The meaning of the score on the IHI scale."""
        return PROGRESS_SCORES.get(self.value, "")


@dataclass(frozen=True)
class Aim:
    """A SMART aim in parts: improve *what* for *whom* from *baseline* to *target* by *when*."""

    what: str = ""
    for_whom: str = ""
    from_value: str = ""
    to_value: str = ""
    by_when: date | None = None

    def statement(self) -> str:
        """The aim as one sentence built from its parts (parts not yet written are left out)."""
        parts = [f"Improve {self.what.strip()}" if self.what.strip() else "Improve …"]
        if self.for_whom.strip():
            parts.append(f"for {self.for_whom.strip()}")
        if self.from_value.strip():
            parts.append(f"from {self.from_value.strip()}")
        if self.to_value.strip():
            parts.append(f"to {self.to_value.strip()}")
        if self.by_when is not None:
            parts.append(f"by {self.by_when.strftime('%d %B %Y').lstrip('0')}")
        return " ".join(parts) + "."

    def lacks(self) -> list[str]:
        """What the aim still needs to be specific, measurable and time-bound (empty = complete)."""
        out: list[str] = []
        if not self.what.strip():
            out.append("say what will improve")
        if not self.for_whom.strip():
            out.append("say for whom (which patients, ward or service)")
        if not self.from_value.strip():
            out.append("give the baseline (from)")
        elif not _has_number(self.from_value):
            out.append("give the baseline as a number")
        if not self.to_value.strip():
            out.append("give the target (to)")
        elif not _has_number(self.to_value):
            out.append("give the target as a number")
        if self.by_when is None:
            out.append("give a date (by when)")
        return out


def _has_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


@dataclass(frozen=True)
class TeamMember:
    """A person in a project team."""

    name: str
    role: TeamRole = TeamRole.MEMBER
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)


@dataclass(frozen=True)
class Project:
    """A project charter. Immutable: edits produce a new value with :func:`dataclasses.replace`."""

    title: str
    work_type: WorkType = WorkType.SERVICE_LED
    division: str = ""
    directorate: str = ""
    ward: str = ""
    programme: str = ""
    status: Status = Status.PROPOSED
    phase: JourneyPhase = JourneyPhase.SCOPING
    score: ProgressScore | None = None
    problem: str = ""
    aim: Aim = field(default_factory=Aim)
    team: tuple[TeamMember, ...] = ()
    start_date: date | None = None
    planned_end: date | None = None
    actual_end: date | None = None
    involvement: Involvement = Involvement.NONE
    involvement_note: str = ""
    evaluation_levels: frozenset[EvaluationLevel] = frozenset()
    spread: str = ""
    sustainability: str = ""
    closure: str = ""
    archived: bool = False
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def with_changes(self, **changes: object) -> Project:
        """A copy with the given fields changed (validated by :func:`validate_project`)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def validate_score(value: float) -> str | None:
    """Why ``value`` is not a valid IHI progress score, or ``None`` when it is."""
    if not isinstance(value, int | float) or math.isnan(value):
        return "the score must be a number"
    if not 0.5 <= value <= 5.0:
        return "the score must be between 0.5 and 5.0"
    if not math.isclose(value * 2, round(value * 2)):
        return "the score goes in steps of 0.5 (0.5, 1.0, 1.5 … 5.0)"
    return None


def project_problems(project: Project) -> dict[str, str]:
    """Every reason ``project`` cannot be saved, keyed by field name (empty = valid)."""
    problems: dict[str, str] = {}
    if not project.title.strip():
        problems["title"] = "a project needs a title"
    elif len(project.title) > 200:
        problems["title"] = "the title is longer than 200 characters"
    if project.score is not None:
        reason = validate_score(project.score.value)
        if reason:
            problems["score"] = reason
    if project.start_date and project.planned_end and project.planned_end < project.start_date:
        problems["planned_end"] = "the planned end is before the start date"
    if project.start_date and project.actual_end and project.actual_end < project.start_date:
        problems["actual_end"] = "the actual end is before the start date"
    for i, member in enumerate(project.team):
        if not member.name.strip():
            problems[f"team[{i}]"] = "a team member needs a name"
    return problems


def validate_project(project: Project) -> Project:
    """Return ``project`` unchanged, or raise :class:`ValidationError` naming each bad field."""
    problems = project_problems(project)
    if problems:
        raise ValidationError(problems)
    return project
