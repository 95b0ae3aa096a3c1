"""Measures (operational definitions) and their observations, with validation per data type."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from qidesk.core.errors import ValidationError
from qidesk.core.periods import Period, format_date, off_grid_reason
from qidesk.core.records import RecordMeta, new_id
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset


class MeasureType(StrEnum):
    """The role a measure plays in a project (Model for Improvement)."""

    OUTCOME = "outcome"
    PROCESS = "process"
    BALANCING = "balancing"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return self.value.capitalize()


#: data types whose points are a numerator over a denominator
RATIO_TYPES = frozenset({DataType.PROPORTION, DataType.RATE})


@dataclass(frozen=True)
class TargetPoint:
    """One step of a target trajectory: from ``start`` on, the target is ``value``."""

    start: date
    value: float


@dataclass(frozen=True)
class Measure:
    """A measure's operational definition (everything needed to collect it the same way)."""

    project_id: str
    name: str
    measure_type: MeasureType = MeasureType.OUTCOME
    definition: str = ""
    numerator_definition: str = ""
    denominator_definition: str = ""
    inclusions: str = ""
    exclusions: str = ""
    data_type: DataType = DataType.CONTINUOUS
    multiplier: float = 1.0
    unit: str = ""
    period: Period = Period.MONTH
    week_start: int = 0
    data_source: str = ""
    collected_by: str = ""
    direction: Direction = Direction.INCREASE
    target: float | None = None
    trajectory: tuple[TargetPoint, ...] = ()
    chart: ChartType = ChartType.RUN
    preset: Preset = Preset.ANHOEJ
    owner: str = ""
    decimals: int = 1
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def is_ratio(self) -> bool:
        """True when points are entered as numerator and denominator."""
        return self.data_type in RATIO_TYPES

    def target_on(self, when: date) -> float | None:
        """The target in force on ``when`` (trajectory step, else the constant target)."""
        return self.targets_on([when])[0]

    def targets_on(self, periods: Sequence[date]) -> list[float | None]:
        """The target in force on each of ``periods`` (the trajectory is sorted once)."""
        steps = sorted(self.trajectory, key=lambda s: s.start)
        starts = [s.start for s in steps]
        out: list[float | None] = []
        for when in periods:
            k = bisect_right(starts, when)
            out.append(steps[k - 1].value if k else self.target)
        return out

    def with_changes(self, **changes: object) -> Measure:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def measure_problems(measure: Measure) -> dict[str, str]:
    """Every reason ``measure`` cannot be saved, keyed by field (empty = valid)."""
    problems: dict[str, str] = {}
    if not measure.name.strip():
        problems["name"] = "a measure needs a name"
    if not math.isfinite(measure.multiplier) or measure.multiplier <= 0:
        problems["multiplier"] = "the multiplier must be a positive number (1, 100, 1000…)"
    if not 0 <= measure.week_start <= 6:
        problems["week_start"] = "the week start must be a day of the week"
    if measure.target is not None and not math.isfinite(measure.target):
        problems["target"] = "the target must be a number"
    if not 0 <= measure.decimals <= 6:
        problems["decimals"] = "decimals must be between 0 and 6"
    return problems


def validate_measure(measure: Measure) -> Measure:
    """Return ``measure`` or raise :class:`ValidationError` naming each bad field."""
    problems = measure_problems(measure)
    if problems:
        raise ValidationError(problems)
    return measure


@dataclass(frozen=True)
class Observation:
    """One data point of a measure for one period."""

    measure_id: str
    period: date
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    note: str = ""
    excluded: bool = False
    exclude_reason: str = ""
    source: str = "manual"
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def plotted(self, measure: Measure) -> float | None:
        """The value the chart shows, in display units (ratio × multiplier, or the value)."""
        if measure.is_ratio:
            if self.numerator is not None and self.denominator:
                return self.numerator / self.denominator * measure.multiplier
            if self.value is not None:
                return self.value * measure.multiplier
            return None
        return self.value

    def with_changes(self, **changes: object) -> Observation:
        """A copy with the given fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _is_whole(x: float) -> bool:
    return float(x).is_integer()


def observation_problems(measure: Measure, obs: Observation) -> dict[str, str]:
    """Why ``obs`` cannot be saved for ``measure``, keyed by field (empty = valid).

    Rules: the period sits on the measure's grid; ratio measures need a numerator and a
    positive denominator (a proportion's numerator no larger than its denominator); counts and
    cases-between-events are whole numbers of zero or more; times between events are above
    zero; an excluded point needs a reason.
    """
    problems: dict[str, str] = {}
    off = off_grid_reason(obs.period, measure.period, measure.week_start)
    if off:
        problems["period"] = off
    for name in ("value", "numerator", "denominator"):
        v = getattr(obs, name)
        if v is not None and not math.isfinite(v):
            problems[name] = f"the {name} must be a number"
    if problems:
        return problems
    dt = measure.data_type
    if measure.is_ratio:
        if obs.numerator is None and obs.denominator is None:
            if obs.value is None:
                problems["numerator"] = "enter a numerator and a denominator"
            elif obs.value < 0 or (dt is DataType.PROPORTION and obs.value > 1):
                problems["value"] = "a proportion is between 0% and 100%"
        elif obs.numerator is None:
            problems["numerator"] = "the numerator is missing"
        elif obs.denominator is None:
            problems["denominator"] = "the denominator is missing"
        elif obs.denominator <= 0:
            problems["denominator"] = "the denominator must be above zero"
        elif obs.numerator < 0:
            problems["numerator"] = "the numerator cannot be negative"
        elif dt is DataType.PROPORTION and obs.numerator > obs.denominator:
            problems["numerator"] = (
                f"the numerator ({obs.numerator:g}) is larger than the denominator "
                f"({obs.denominator:g})"
            )
    elif obs.value is None:
        problems["value"] = "enter a value"
    elif dt in (DataType.COUNT, DataType.CASES_BETWEEN_EVENTS) and (
        obs.value < 0 or not _is_whole(obs.value)
    ):
        problems["value"] = "a count is a whole number, zero or more"
    elif dt is DataType.TIME_BETWEEN_EVENTS and obs.value <= 0:
        problems["value"] = "a time between events must be above zero"
    if obs.excluded and not obs.exclude_reason.strip():
        problems["exclude_reason"] = "say why the point is excluded"
    return problems


def duplicate_period_problems(observations: list[Observation]) -> dict[str, str]:
    """Observation id -> reason, for every observation whose period is already taken."""
    seen: dict[date, str] = {}
    problems: dict[str, str] = {}
    for obs in sorted(observations, key=lambda o: (o.period, o.meta.created_at, o.id)):
        if obs.period in seen:
            problems[obs.id] = f"there is already a point for {format_date(obs.period)}"
        else:
            seen[obs.period] = obs.id
    return problems


class PhaseKind(StrEnum):
    """How a measure's chart is divided in time."""

    FREEZE = "freeze"  # the baseline ends at this period (inclusive); limits extended after it
    PHASE = "phase"  # a new phase starts at this period, with its own centre and limits

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {PhaseKind.FREEZE: "Baseline frozen", PhaseKind.PHASE: "New phase"}[self]


@dataclass(frozen=True)
class Phase:
    """A baseline freeze or a new phase of a measure's chart, with the reason it was made."""

    measure_id: str
    period: date
    kind: PhaseKind
    reason: str
    pdsa_id: str | None = None
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)


class AnnotationKind(StrEnum):
    """What an annotation on a chart marks."""

    TEST_START = "test_start"
    TEST_END = "test_end"
    CHANGE_ADOPTED = "change_adopted"
    EXTERNAL_EVENT = "external_event"
    DATA_ISSUE = "data_issue"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            AnnotationKind.TEST_START: "Test of change started",
            AnnotationKind.TEST_END: "Test of change ended",
            AnnotationKind.CHANGE_ADOPTED: "Change adopted",
            AnnotationKind.EXTERNAL_EVENT: "External event",
            AnnotationKind.DATA_ISSUE: "Data issue",
        }[self]


@dataclass(frozen=True)
class Annotation:
    """A labelled marker on a measure's chart at one period."""

    measure_id: str
    period: date
    text: str
    kind: AnnotationKind = AnnotationKind.EXTERNAL_EVENT
    pdsa_id: str | None = None
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)


def phase_problems(phase: Phase) -> dict[str, str]:
    """Why ``phase`` cannot be saved (a reason is always required)."""
    if not phase.reason.strip():
        label = "freezing the baseline" if phase.kind is PhaseKind.FREEZE else "a new phase"
        return {"reason": f"give a reason for {label} (for example the change that was adopted)"}
    return {}


def annotation_problems(annotation: Annotation) -> dict[str, str]:
    """Why ``annotation`` cannot be saved."""
    if not annotation.text.strip():
        return {"text": "an annotation needs some text"}
    return {}
