"""The suggested IHI progress score and phase: the ladder, chart evidence, comparing, staleness."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from qidesk.core.charting import ChartData, chart_data
from qidesk.core.measures import Measure, Observation, Phase, PhaseKind
from qidesk.core.progress import (
    BASELINE_POINTS,
    SUSTAIN_RUN_POINTS,
    ProgressEvidence,
    baseline_points,
    disagreement,
    improvement_since,
    is_stale,
    stale_text,
    suggest_phase,
    suggest_progress,
    sustained_improvement,
    target_met,
)
from qidesk.core.project import PROGRESS_SCORES, JourneyPhase
from qidesk.core.spc.types import ChartType, Direction, Preset

# --------------------------------------------------------------------------- the ladder

NOTHING = ProgressEvidence(aim_gaps=("say what will improve",))
CHARTER = replace(NOTHING, aim_gaps=(), has_lead=True, team_size=4)
MEASURES = replace(CHARTER, measure_count=3, outcome_measure_count=1, max_points=6)
BASELINE = replace(MEASURES, max_points=14, baseline_points=12)
TESTED = replace(BASELINE, pdsa_count=2, studied_count=1)
MODEST = replace(TESTED, improvement_measures=("Huddles held",))
IMPROVED = replace(MODEST, outcome_improvement_measures=("Falls per 1,000 bed days",))
SIGNIFICANT = replace(IMPROVED, adopted_count=1)
SUSTAINED = replace(SIGNIFICANT, sustained_measures=("Falls per 1,000 bed days",))
OUTSTANDING = replace(SUSTAINED, aim_met=True)

LADDER = [
    (NOTHING, 0.5),
    (CHARTER, 1.0),
    (MEASURES, 1.5),
    (BASELINE, 2.0),
    (TESTED, 2.5),
    (MODEST, 3.0),
    (IMPROVED, 3.5),
    (SIGNIFICANT, 4.0),
    (SUSTAINED, 4.5),
    (OUTSTANDING, 5.0),
]


@pytest.mark.parametrize(("evidence", "score"), LADDER)
def test_each_step_of_the_ladder(evidence, score):
    s = suggest_progress(evidence)
    assert s.score == score
    assert s.label == PROGRESS_SCORES[score]
    assert s.heading.startswith(f"{score:.1f} – ")
    # one "because" line per step climbed, starting with the registration
    steps = [v for v in PROGRESS_SCORES if v <= score]
    assert len(s.reasons) == len(steps)
    assert all(r.startswith("because ") for r in s.reasons)
    if score < 5.0:
        assert s.next_step is not None
        nxt = next(v for v in PROGRESS_SCORES if v > score)
        assert s.next_step.startswith(f"To reach {nxt:.1f} ({PROGRESS_SCORES[nxt]}): ")
    else:
        assert s.next_step is None


def test_reasons_are_plain_words():
    s = suggest_progress(SUSTAINED)
    text = "\n".join(s.lines())
    assert "because 3 measures are defined" in text
    assert "baseline of 12 points (at least 10 are advised)" in text
    assert "1 PDSA cycle has been studied (of 2)" in text
    assert "“Huddles held” shows special-cause improvement" in text
    assert "the outcome measure “Falls per 1,000 bed days” shows special-cause" in text
    assert "1 tested change was adopted" in text
    assert "the improvement in “Falls per 1,000 bed days” has held" in text
    assert "give an outcome measure a target" in text  # aim_met unknown
    assert text.splitlines()[0] == "Suggested score: 4.5 – Sustainable improvement"
    assert text.splitlines()[-1].startswith("Suggested phase: Sustain, because")


def test_next_step_names_what_is_missing():
    s = suggest_progress(replace(NOTHING, aim_gaps=("give the target (to)",), has_lead=False))
    assert s.next_step == (
        "To reach 1.0 (Charter and team established): complete the aim (give the target (to)) "
        "and name a project lead in the team."
    )
    s = suggest_progress(replace(MEASURES, baseline_points=7))
    assert "the best one has 7 so far" in (s.next_step or "")
    s = suggest_progress(replace(BASELINE, pdsa_count=3))
    assert "3 cycles recorded, none studied yet" in (s.next_step or "")
    s = suggest_progress(replace(SUSTAINED, aim_met=False))
    assert "meet the aim's target" in (s.next_step or "")


def test_first_gap_stops_the_climb_and_says_what_else_is_there():
    gap = replace(SUSTAINED, has_lead=False)
    s = suggest_progress(gap)
    assert s.score == 0.5
    assert s.notes and "but the suggestion stops at the first gap" in s.notes[0]
    assert "has held" in s.notes[0]  # the highest step the data show beyond the gap


def test_names_are_listed_once_with_plural_verbs():
    ev = replace(IMPROVED, outcome_improvement_measures=("A", "A", "B"))
    reasons = suggest_progress(ev).reasons
    assert "because the outcome measures “A” and “B” show special-cause improvement" in reasons


@pytest.mark.parametrize(
    ("evidence", "phase"),
    [
        (NOTHING, JourneyPhase.SCOPING),
        (BASELINE, JourneyPhase.SCOPING),
        (replace(BASELINE, pdsa_count=1), JourneyPhase.TESTING),
        (IMPROVED, JourneyPhase.TESTING),
        (SIGNIFICANT, JourneyPhase.IMPLEMENTATION),
        (replace(TESTED, implementing=True), JourneyPhase.IMPLEMENTATION),
        (SUSTAINED, JourneyPhase.SUSTAIN),
        (replace(SUSTAINED, spread_recorded=True), JourneyPhase.SPREAD),
        (replace(OUTSTANDING, closed=True), JourneyPhase.CLOSED),
    ],
)
def test_suggested_phase(evidence, phase):
    s = suggest_progress(evidence)
    assert s.phase is phase
    assert s.phase_reason.startswith("because ")
    assert suggest_phase(evidence, s.score) == (s.phase, s.phase_reason)


def test_evidence_properties():
    assert not NOTHING.charter_complete and CHARTER.charter_complete
    assert not replace(CHARTER, baseline_points=BASELINE_POINTS - 1).has_baseline
    assert replace(CHARTER, baseline_points=BASELINE_POINTS).has_baseline


# --------------------------------------------------------------------------- comparing


def test_disagreement_within_half_a_point_is_not_reported():
    s = suggest_progress(TESTED)  # 2.5
    assert disagreement(2.5, s) is None
    assert disagreement(3.0, s) is None
    assert disagreement(2.0, 2.5) is None


def test_disagreement_says_which_way_without_blame():
    s = suggest_progress(TESTED)
    higher = disagreement(4.0, s)
    assert higher is not None
    assert "The team's score (4.0) is 1.5 higher than the evidence" in higher
    assert "(2.5 – Changes tested, but no improvement)" in higher
    assert "the team may know things" in higher
    lower = disagreement(1.0, 2.5)
    assert lower is not None and "1.5 lower" in lower


def test_disagreement_without_a_team_score():
    text = disagreement(None, suggest_progress(CHARTER))
    assert text == (
        "The team has not set a score yet; the evidence in qidesk suggests "
        "1.0 – Charter and team established."
    )


@pytest.mark.parametrize(
    ("set_on", "stale"),
    [
        (None, True),
        (date(2025, 6, 1), False),  # today
        (date(2025, 3, 3), False),  # 90 days ago
        (date(2025, 3, 2), True),  # 91 days ago
    ],
)
def test_is_stale(set_on, stale):
    today = date(2025, 6, 1)
    assert is_stale(set_on, today) is stale
    assert (stale_text(set_on, today) is not None) is stale


def test_stale_text_and_custom_window():
    today = date(2025, 6, 1)
    assert "121 days ago (more than 90)" in (stale_text(date(2025, 1, 31), today) or "")
    assert "no date" in (stale_text(None, today) or "")
    assert is_stale(date(2025, 5, 1), today, days=30)
    assert not is_stale(date(2025, 5, 1), today, days=31)


# --------------------------------------------------------------------------- chart evidence


def _months(n: int, start: date = date(2022, 1, 1)) -> list[date]:
    out = []
    y, m = start.year, start.month
    for _ in range(n):
        out.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def chart(
    values: list[float],
    *,
    direction: Direction = Direction.INCREASE,
    kind: ChartType = ChartType.I,
    preset: Preset = Preset.MDC,
    phase_at: int | None = None,
    target: float | None = None,
) -> ChartData:
    m = Measure("p", "Measure", direction=direction, chart=kind, preset=preset, target=target)
    periods = _months(len(values))
    obs = [Observation(m.id, d, value=v) for d, v in zip(periods, values, strict=True)]
    phases = [Phase(m.id, periods[phase_at], PhaseKind.PHASE, "change adopted")] if phase_at else []
    return chart_data(m, obs, phases)


BASE = [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50]
STEP_UP = [*BASE, 60, 61, 62, 60, 61, 63, 62, 61, 60, 62]


def test_improvement_from_point_signals():
    data = chart(STEP_UP)
    assert improvement_since(data)
    assert improvement_since(data, date(2022, 12, 1))
    assert not improvement_since(data, date(2030, 1, 1))  # nothing since testing began


def test_a_step_in_the_wrong_direction_is_not_improvement():
    # before the step the points sit low, which is improvement for "lower is better"; since
    # testing began (the step) it is concern
    since = date(2023, 1, 1)
    assert improvement_since(chart(STEP_UP, direction=Direction.DECREASE))
    assert not improvement_since(chart(STEP_UP, direction=Direction.DECREASE), since)
    assert not improvement_since(chart(STEP_UP, direction=Direction.NEUTRAL))
    assert not improvement_since(chart(BASE * 2))


def test_improvement_from_an_anhoej_run_on_a_run_chart():
    data = chart(STEP_UP, kind=ChartType.RUN, preset=Preset.ANHOEJ)
    assert data.result is not None
    assert all(p.point_type.value == "common_cause" for p in data.result.points)
    assert data.result.phases[0].runs_signal
    assert improvement_since(data)
    assert improvement_since(data, date(2023, 1, 1))
    assert not improvement_since(
        chart(STEP_UP, kind=ChartType.RUN, preset=Preset.ANHOEJ, direction=Direction.DECREASE)
    )


def test_sustained_after_a_new_phase():
    data = chart(STEP_UP, phase_at=len(BASE))
    assert sustained_improvement(data)
    assert not sustained_improvement(chart(STEP_UP[:-5], phase_at=len(BASE)))  # 5 points only
    worse = [*STEP_UP[:-1], 40]
    assert not sustained_improvement(chart(worse, phase_at=len(BASE)))
    assert not sustained_improvement(
        chart(STEP_UP, phase_at=len(BASE), direction=Direction.DECREASE)
    )


def test_sustained_without_a_new_phase_needs_the_latest_nine_points():
    assert SUSTAIN_RUN_POINTS == 9
    assert sustained_improvement(chart(STEP_UP))
    assert not sustained_improvement(chart([*BASE, 60, 61, 62, 60, 61, 63, 62, 61]))  # 8
    assert not sustained_improvement(chart(BASE))
    assert not sustained_improvement(chart(STEP_UP, direction=Direction.NEUTRAL))


def test_target_met_uses_the_latest_centre_line():
    assert target_met(chart(STEP_UP, phase_at=len(BASE), target=58)) is True
    assert target_met(chart(STEP_UP, phase_at=len(BASE), target=70)) is False
    assert target_met(chart(STEP_UP)) is None  # no target
    lower = chart(STEP_UP, phase_at=len(BASE), target=55, direction=Direction.DECREASE)
    assert target_met(lower) is False


def test_baseline_points_before_testing_began():
    data = chart(STEP_UP)
    assert baseline_points(data, None) == len(STEP_UP)
    assert baseline_points(data, date(2023, 1, 1)) == 12
    assert baseline_points(chart([]), None) == 0
