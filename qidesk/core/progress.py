"""A suggested IHI progress score and QI-journey phase, worked out from a project's evidence.

Pure (no Qt, no storage). Life QI and most trusts leave the IHI progress score (0.5–5.0) to the
team, set by hand; teams forget to update it and scores go stale (mission-anchors §1.1, §3.10).
qidesk reads the evidence already in the project and *suggests* a score, with its reasons in
plain words. **The team keeps the final say**: the suggestion is advice shown beside the team's
own score, never written over it.

The ladder
----------
Each step needs the ones below it; the suggestion is the highest step whose evidence is there
(the first gap stops the climb, and the reasons say what else the data already show):

=====  ========================================  ===============================================
score  IHI meaning (qidesk's wording)            evidence qidesk looks for
=====  ========================================  ===============================================
0.5    intent to take part                       the project is registered
1.0    charter and team in place                 the aim is complete (what, for whom, from, to,
                                                 by when) and the team has a project lead
1.5    planning has begun                        at least one measure is defined
2.0    activity, but no changes yet              a baseline of at least 10 points on a measure
                                                 (IHI run-chart guidance: 10–15 points)
2.5    changes tested, no improvement yet        at least one PDSA cycle has been studied
3.0    modest improvement                        special-cause improvement on any measure since
                                                 testing began
3.5    improvement                               special-cause improvement on an outcome measure
4.0    significant improvement                   ... and a tested change has been adopted
                                                 (adopt, scale up, implement or spread)
4.5    sustainable improvement                   the outcome improvement has held (see below)
5.0    outstanding, sustained results            ... and the aim's target is met
=====  ========================================  ===============================================

**Sustained** (:func:`sustained_improvement`): either a later phase of the chart (a rephase made
after the improvement) has at least :data:`SUSTAIN_PHASE_POINTS` points and its latest
:data:`SUSTAIN_PHASE_POINTS` points are all better than the baseline centre line; or, without a
new phase, the latest :data:`SUSTAIN_RUN_POINTS` points are all better than the baseline centre
(9 points: the sustained-shift length runcharter uses, after IHI patient-safety practice).

The QI-journey phase is suggested separately (:func:`suggest_phase`): closed when the project
is completed or cancelled; spread when a sustained improvement has been spread elsewhere;
sustain when it is sustained; implementation when a change is being implemented, or adopted
with significant improvement; testing once a PDSA cycle exists; scoping before that.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qidesk.core.chart_text import SignalKind, latest_run, signal_kind
from qidesk.core.charting import ChartData
from qidesk.core.project import PROGRESS_SCORES, JourneyPhase
from qidesk.core.spc.types import Direction, PointType

#: points a baseline needs before the run-chart rules can say much (IHI: 10–15)
BASELINE_POINTS = 10
#: latest points of a new phase that must stay better than the baseline for "sustained"
SUSTAIN_PHASE_POINTS = 6
#: latest points (without a new phase) that must stay better than the baseline for "sustained"
SUSTAIN_RUN_POINTS = 9
#: days after which a team's score is reported as stale (one quarter)
STALE_DAYS = 90
#: differences up to this size between the team's and the suggested score are not reported
AGREEMENT_TOLERANCE = 0.5


@dataclass(frozen=True)
class ProgressEvidence:
    """What a project shows, in plain facts, for :func:`suggest_progress`.

    Counts are of live records. ``aim_gaps`` lists what the aim still lacks (empty = complete).
    ``baseline_points`` is the largest number of points any measure has before testing began
    (before the first PDSA cycle's start; all points when no cycle has started).
    ``improvement_measures``/``outcome_improvement_measures``/``sustained_measures`` name the
    measures whose charts show special-cause improvement since testing began (any measure /
    outcome measures) and sustained improvement (outcome measures). ``aim_met`` is ``None``
    when it cannot be judged (no outcome measure with a target).
    """

    aim_gaps: tuple[str, ...] = ()
    has_lead: bool = False
    team_size: int = 0
    measure_count: int = 0
    outcome_measure_count: int = 0
    max_points: int = 0
    baseline_points: int = 0
    pdsa_count: int = 0
    studied_count: int = 0
    adopted_count: int = 0
    implementing: bool = False
    improvement_measures: tuple[str, ...] = ()
    outcome_improvement_measures: tuple[str, ...] = ()
    sustained_measures: tuple[str, ...] = ()
    aim_met: bool | None = None
    spread_recorded: bool = False
    closed: bool = False

    @property
    def charter_complete(self) -> bool:
        """True when the aim lacks nothing."""
        return not self.aim_gaps

    @property
    def has_baseline(self) -> bool:
        """True when some measure has a baseline of at least :data:`BASELINE_POINTS` points."""
        return self.baseline_points >= BASELINE_POINTS


@dataclass(frozen=True)
class Suggestion:
    """A suggested score and phase, with the reasons in plain words.

    ``reasons`` are "because …" lines (what the evidence shows, lowest step first);
    ``next_step`` says what would reach the next step (``None`` at 5.0); ``notes`` add what the
    data show beyond the first gap. This is advice: the team decides.
    """

    score: float
    phase: JourneyPhase
    reasons: tuple[str, ...]
    next_step: str | None
    phase_reason: str
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The meaning of the suggested score on the IHI scale."""
        return PROGRESS_SCORES[self.score]

    @property
    def heading(self) -> str:
        """``"2.5 – Changes tested, but no improvement"``."""
        return f"{self.score:.1f} – {self.label}"

    def lines(self) -> list[str]:
        """Everything as plain lines of text (for the panel, the projector and exports)."""
        out = [f"Suggested score: {self.heading}", *self.reasons]
        out.extend(self.notes)
        if self.next_step:
            out.append(self.next_step)
        out.append(f"Suggested phase: {self.phase.label}, {self.phase_reason}")
        return out


# --------------------------------------------------------------------------- chart evidence


def _better(value: float, centre: float, direction: Direction) -> bool:
    if direction is Direction.INCREASE:
        return value > centre
    if direction is Direction.DECREASE:
        return value < centre
    return False


def _present(data: ChartData) -> list[int]:
    result = data.result
    if result is None:
        return []
    return [
        i
        for i, p in enumerate(result.points)
        if p.value is not None and math.isfinite(p.value) and not p.excluded
    ]


def improvement_since(data: ChartData, since: date | None = None) -> bool:
    """True when the chart shows special-cause improvement on or after ``since`` (None: ever).

    Two kinds of evidence, as the engine reports them: a point whose type is special-cause
    improvement (NHSRplotthedots point types: a point rule fired in the better direction), or
    a phase-level runs signal (Anhøj longest run or crossings, IHI number of runs) whose
    longest run lies on the better side of the centre line and ends on or after ``since``.
    Neutral measures never show improvement.
    """
    result = data.result
    direction = data.measure.direction
    if result is None or direction is Direction.NEUTRAL:
        return False

    def recent(index: int) -> bool:
        return since is None or data.periods[index] >= since

    if any(
        p.point_type is PointType.IMPROVEMENT and recent(i) for i, p in enumerate(result.points)
    ):
        return True
    for phase in result.phases:
        if not phase.runs_signal:
            continue
        run = latest_run(data, phase)
        if (
            run is not None
            and signal_kind(run.side, direction) == SignalKind.IMPROVEMENT
            and recent(run.stop)
        ):
            return True
    return False


def sustained_improvement(
    data: ChartData,
    *,
    phase_points: int = SUSTAIN_PHASE_POINTS,
    run_points: int = SUSTAIN_RUN_POINTS,
) -> bool:
    """True when an improvement has held (the rule is in the module docstring).

    The baseline centre is the centre line of the chart's first phase. A later phase counts
    when its centre is better than the baseline's and its latest ``phase_points`` points are
    all better than the baseline centre; without one, the latest ``run_points`` points must all
    be better than the baseline centre. Neutral measures never count.
    """
    result = data.result
    direction = data.measure.direction
    if result is None or not result.phases or direction is Direction.NEUTRAL:
        return False
    base = result.phases[0].cl
    if base is None:
        return False
    present = _present(data)
    values = {i: result.points[i].value for i in present}
    later = [ph for ph in result.phases[1:] if ph.cl is not None]
    if later:
        last = later[-1]
        inside = [i for i in present if last.start <= i < last.stop]
        if (
            last.cl is not None
            and _better(last.cl, base, direction)
            and len(inside) >= phase_points
        ):
            return all(_better(_num(values[i]), base, direction) for i in inside[-phase_points:])
        return False
    tail = present[-run_points:]
    return len(tail) >= run_points and all(_better(_num(values[i]), base, direction) for i in tail)


def _num(value: float | None) -> float:
    return math.nan if value is None else value


def target_met(data: ChartData) -> bool | None:
    """Whether the latest phase's centre line meets the measure's target (``None``: no target).

    The centre line, not a single point: one good month is not a met aim.
    """
    result = data.result
    present = _present(data)
    if result is None or not present:
        return None
    last = present[-1]
    target = data.targets[last] if data.targets else None
    centre = data.shown(result.points[last].cl)
    if target is None or centre is None:
        return None
    if data.measure.direction is Direction.DECREASE:
        return centre <= target
    if data.measure.direction is Direction.INCREASE:
        return centre >= target
    return None


def baseline_points(data: ChartData, since: date | None) -> int:
    """How many usable points the chart has before ``since`` (all of them when ``None``)."""
    return sum(1 for i in _present(data) if since is None or data.periods[i] < since)


# --------------------------------------------------------------------------- the ladder


def _unique(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _s(names: Sequence[str]) -> str:
    """``"s"`` when ``names`` holds more than one distinct name (for plurals)."""
    return "s" if len(_unique(names)) > 1 else ""


def _names(names: Sequence[str]) -> str:
    quoted = [f"“{n}”" for n in _unique(names)]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class _Step:
    score: float
    met: bool
    because: str
    to_reach: str


def _steps(ev: ProgressEvidence) -> list[_Step]:
    team = "a project lead" if ev.has_lead else "no project lead"
    charter_to_reach = []
    if ev.aim_gaps:
        charter_to_reach.append("complete the aim (" + "; ".join(ev.aim_gaps) + ")")
    if not ev.has_lead:
        charter_to_reach.append("name a project lead in the team")
    return [
        _Step(
            1.0,
            ev.charter_complete and ev.has_lead,
            f"because the aim is complete and the team has {team}",
            " and ".join(charter_to_reach),
        ),
        _Step(
            1.5,
            ev.measure_count > 0,
            f"because {_plural(ev.measure_count, 'measure')} "
            f"{'is' if ev.measure_count == 1 else 'are'} defined",
            "define at least one measure (an outcome measure for the aim)",
        ),
        _Step(
            2.0,
            ev.has_baseline,
            f"because a measure has a baseline of {ev.baseline_points} points "
            f"(at least {BASELINE_POINTS} are advised)",
            f"collect a baseline of at least {BASELINE_POINTS} points on a measure before "
            f"testing changes (the best one has {ev.baseline_points} so far)",
        ),
        _Step(
            2.5,
            ev.studied_count > 0,
            f"because {_plural(ev.studied_count, 'PDSA cycle')} "
            f"{'has' if ev.studied_count == 1 else 'have'} been studied (of {ev.pdsa_count})",
            "run a first PDSA cycle and study its results against the predictions"
            if ev.pdsa_count == 0
            else f"study the results of a PDSA cycle ({_plural(ev.pdsa_count, 'cycle')} "
            "recorded, none studied yet)",
        ),
        _Step(
            3.0,
            bool(ev.improvement_measures),
            f"because {_names(ev.improvement_measures)} "
            f"show{'' if _s(ev.improvement_measures) else 's'} special-cause improvement "
            "since testing began",
            "show special-cause improvement on a measure's chart (a signal in the better "
            "direction since testing began)",
        ),
        _Step(
            3.5,
            bool(ev.outcome_improvement_measures),
            f"because the outcome measure{_s(ev.outcome_improvement_measures)} "
            f"{_names(ev.outcome_improvement_measures)} "
            f"show{'' if _s(ev.outcome_improvement_measures) else 's'} special-cause improvement",
            "show special-cause improvement on an outcome measure"
            if ev.outcome_measure_count
            else "define an outcome measure for the aim and show improvement on it",
        ),
        _Step(
            4.0,
            ev.adopted_count > 0,
            f"because {_plural(ev.adopted_count, 'tested change')} "
            f"{'was' if ev.adopted_count == 1 else 'were'} adopted, scaled up or implemented",
            "adopt a tested change (Act: adopt, scale up, implement or spread)",
        ),
        _Step(
            4.5,
            bool(ev.sustained_measures),
            f"because the improvement in {_names(ev.sustained_measures)} has held",
            f"show that the improvement holds: {SUSTAIN_PHASE_POINTS} points of a new phase, "
            f"or the latest {SUSTAIN_RUN_POINTS} points, all better than the baseline",
        ),
        _Step(
            5.0,
            ev.aim_met is True,
            "because the outcome measure's centre line meets the aim's target",
            "meet the aim's target (the centre line of the latest phase reaches the target)"
            if ev.aim_met is False
            else "give an outcome measure a target so qidesk can tell whether the aim is met",
        ),
    ]


def suggest_progress(ev: ProgressEvidence) -> Suggestion:
    """The suggested IHI progress score and QI-journey phase for ``ev``, with reasons.

    Advice only: it is shown beside the team's own score, and the team decides.
    """
    score = 0.5
    reasons = ["because the project is registered in qidesk"]
    next_step: str | None = None
    notes: list[str] = []
    steps = _steps(ev)
    for i, step in enumerate(steps):
        if not step.met:
            next_step = (
                f"To reach {step.score:.1f} ({PROGRESS_SCORES[step.score]}): {step.to_reach}."
            )
            beyond = [s for s in steps[i + 1 :] if s.met]
            if beyond:
                notes.append(
                    f"The data also show more ({beyond[-1].because.removeprefix('because ')}), "
                    "but the suggestion stops at the first gap."
                )
            break
        score = step.score
        reasons.append(step.because)
    phase, phase_reason = suggest_phase(ev, score)
    return Suggestion(score, phase, tuple(reasons), next_step, phase_reason, tuple(notes))


def suggest_phase(ev: ProgressEvidence, score: float) -> tuple[JourneyPhase, str]:
    """The suggested QI-journey phase and why (``score`` is the suggested progress score)."""
    if ev.closed:
        return JourneyPhase.CLOSED, "because the project is completed or cancelled"
    if score >= 4.5 and ev.spread_recorded:
        return JourneyPhase.SPREAD, "because the improvement holds and spread is recorded"
    if score >= 4.5:
        return JourneyPhase.SUSTAIN, "because the improvement holds"
    if ev.implementing:
        return JourneyPhase.IMPLEMENTATION, "because a change is being implemented or spread"
    if score >= 4.0:
        return JourneyPhase.IMPLEMENTATION, "because a tested change has been adopted"
    if ev.pdsa_count > 0:
        return JourneyPhase.TESTING, "because changes are being tested in PDSA cycles"
    return JourneyPhase.SCOPING, "because no change has been tested yet"


# --------------------------------------------------------------------------- comparing


def disagreement(
    team_score: float | None,
    suggested: Suggestion | float,
    *,
    tolerance: float = AGREEMENT_TOLERANCE,
) -> str | None:
    """A plain sentence when the team's score and the suggestion differ by more than ``tolerance``.

    ``None`` when they agree closely enough. A missing team score is always reported. The
    sentence never says who is right: the team may know things the data do not show.
    """
    value = suggested.score if isinstance(suggested, Suggestion) else float(suggested)
    heading = f"{value:.1f} – {PROGRESS_SCORES.get(value, '')}"
    if team_score is None:
        return f"The team has not set a score yet; the evidence in qidesk suggests {heading}."
    gap = team_score - value
    if abs(gap) <= tolerance + 1e-9:
        return None
    direction = "higher" if gap > 0 else "lower"
    return (
        f"The team's score ({team_score:.1f}) is {abs(gap):.1f} {direction} than the evidence "
        f"in qidesk suggests ({heading}). Worth talking through: the team may know things the "
        "data here do not show, or the score may need updating."
    )


def is_stale(score_set_on: date | None, today: date, days: int = STALE_DAYS) -> bool:
    """True when a score was set more than ``days`` days before ``today`` (or never dated)."""
    if score_set_on is None:
        return True
    return (today - score_set_on).days > days


def stale_text(score_set_on: date | None, today: date, days: int = STALE_DAYS) -> str | None:
    """A plain sentence when the score is stale (see :func:`is_stale`), else ``None``."""
    if not is_stale(score_set_on, today, days):
        return None
    if score_set_on is None:
        return "The team's score has no date, so nobody can tell how current it is."
    age = (today - score_set_on).days
    return (
        f"The team's score was last set {age} days ago (more than {days}): "
        "worth checking it at the next coaching session."
    )
