"""The public ``analyse`` entry point: edge cases, phases, exclusions, presets, warnings."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import pytest

from qidesk.core.spc import (
    AssuranceType,
    ChartType,
    Direction,
    PointType,
    Preset,
    RuleId,
    SpcDomainError,
    SpcOptions,
    analyse,
)
from qidesk.core.spc.mdc import SHORT_GROUP_WARNING

STABLE = [
    50.1,
    47.9,
    52.3,
    49.0,
    51.2,
    48.8,
    50.6,
    49.5,
    51.9,
    48.2,
    50.3,
    49.9,
    52.0,
    47.7,
    50.8,
    49.3,
    51.5,
    48.6,
    50.0,
    50.9,
    49.1,
    51.1,
    48.4,
    50.2,
]


@pytest.mark.parametrize("chart", list(ChartType))
@pytest.mark.parametrize("preset", list(Preset))
@pytest.mark.parametrize(
    "values", [[], [None], [None, None, None], [5.0], [5.0] * 14, [1.0, 2.0, 3.0]]
)
def test_no_exception_for_awkward_series(
    chart: ChartType, preset: Preset, values: list[float | None]
) -> None:
    result = analyse(values, chart=chart, preset=preset, target=3.0)
    assert len(result.points) == len(values)
    for point in result.points:
        if point.lcl is not None and point.ucl is not None and point.cl is not None:
            assert point.lcl <= point.cl <= point.ucl


def test_empty_series() -> None:
    result = analyse([], preset=Preset.MDC, target=1.0)
    assert result.points == ()
    assert result.phases == ()
    assert result.icons.variation_icon_file == "common_cause.svg"
    assert result.icons.assurance_type is None
    assert result.warnings == ("There are no data to chart yet.",)


def test_all_equal_values_show_the_centre_but_no_limits_or_signals() -> None:
    for screen in (True, False):
        result = analyse([4.0] * 20, preset=Preset.MDC, options=SpcOptions(screen_mr=screen))
        assert all(p.cl == 4.0 for p in result.points)
        assert all(p.lcl is None and p.ucl is None for p in result.points)
        assert not result.signals
        assert any("shows no variation" in w for w in result.warnings)


def test_oracle_mode_keeps_zero_width_limits() -> None:
    options = SpcOptions(screen_mr=False, hide_zero_width_limits=False)
    result = analyse([4.0] * 20, preset=Preset.MDC, options=options)
    assert all(p.lcl == 4.0 and p.ucl == 4.0 for p in result.points)
    assert not result.signals
    assert "its limits have zero width or cannot be computed" in result.warnings[0]


def test_short_series_have_trial_limits() -> None:
    mdc = analyse(STABLE[:8], preset=Preset.MDC)
    assert all(p.trial_limits for p in mdc.points)
    assert mdc.warnings == (SHORT_GROUP_WARNING,)
    anhoej = analyse(STABLE[:12], chart=ChartType.I)
    assert anhoej.phases[0].trial_limits
    assert anhoej.warnings[0].startswith("Phase 1 has only 12 points: its limits are trial")
    run = analyse(STABLE[:8], chart=ChartType.RUN)
    assert not run.phases[0].trial_limits


def test_zero_denominators_are_missing_and_warned() -> None:
    result = analyse([3, 0, 5, 4], chart=ChartType.P, denominators=[10, 0, 10, 10])
    second = result.points[1]
    assert second.value is None
    assert second.denominator is None
    assert second.lcl is None
    assert result.warnings[0] == "Denominator 0 at point(s) 2: treated as missing."
    # y > 0 with n = 0 is missing too (qicharts2 would plot +Inf)
    assert analyse([3, 2], chart=ChartType.P, denominators=[10, 0]).points[1].value is None


def test_ratio_chart_without_denominators_has_no_points_to_plot() -> None:
    result = analyse([1, 2, 3], chart=ChartType.U)
    assert all(p.value is None for p in result.points)
    assert result.warnings[0] == (
        "No point has both a value and a denominator: a U chart (rates) needs both."
    )


def test_t_chart_refuses_non_positive_times() -> None:
    with pytest.raises(SpcDomainError, match="point 3 is 0"):
        analyse([4.0, 2.0, 0.0, 5.0], chart=ChartType.T)


def test_subgroups_for_xbar_and_run_charts() -> None:
    values = [1, 3, 2, 4, None, 5, 7]
    labels = ["a", "a", "b", "b", "c", "c", "c"]
    xbar = analyse(values, chart=ChartType.XBAR, subgroups=labels)
    assert [p.value for p in xbar.points] == [2.0, 3.0, 6.0]
    assert [p.subgroup_size for p in xbar.points] == [2, 2, 2]
    run = analyse(values, chart=ChartType.RUN, subgroups=labels)
    assert [p.value for p in run.points] == [2.0, 3.0, 6.0]
    assert run.points[0].subgroup_size == 2


def test_subgroups_with_denominators_pool_each_subgroup() -> None:
    result = analyse(
        [1, 2, 3, None], chart=ChartType.P, denominators=[10, 10, 10, 10], subgroups=[1, 1, 2, 2]
    )
    assert [p.value for p in result.points] == [0.15, 0.3]
    assert [p.denominator for p in result.points] == [20.0, 10.0]
    empty = analyse([None, None], chart=ChartType.P, denominators=[5, 5], subgroups=[1, 1])
    assert empty.points[0].value is None


def test_xbar_without_subgroups_has_no_limits() -> None:
    result = analyse([1.0, 2.0, 3.0], chart=ChartType.S)
    assert all(p.ucl is None for p in result.points)
    assert "needs subgroups of at least 2 values" in result.warnings[-1]


def test_excluded_points_are_plotted_and_tested_but_not_used() -> None:
    values = [*STABLE[:12], 80.0, *STABLE[12:]]
    result = analyse(values, chart=ChartType.I, excluded=[12, 99, -1])
    plain = analyse(STABLE, chart=ChartType.I)
    outlier = result.points[12]
    assert outlier.excluded
    assert outlier.value == 80.0
    assert outlier.sigma_signal
    assert result.points[0].cl == plain.points[0].cl
    assert result.phases[0].anhoej.n_useful == plain.phases[0].anhoej.n_useful
    assert result.phases[0].n_baseline == 24
    # the moving range bridges the excluded point (qicharts2 diff(y[base])): as if absent
    assert result.points[0].ucl == plain.points[0].ucl
    assert result.points[0].lcl == plain.points[0].lcl


def test_freeze_uses_the_first_points_for_the_limits() -> None:
    values = [*STABLE[:12], *(v + 10 for v in STABLE[12:])]
    result = analyse(values, chart=ChartType.I, freeze=12)
    first12 = analyse(STABLE[:12], chart=ChartType.I)
    assert [p.baseline for p in result.points] == [True] * 12 + [False] * 12
    assert result.points[-1].cl == pytest.approx(first12.points[0].cl)
    assert result.points[-1].ucl == pytest.approx(first12.points[0].ucl)
    assert result.phases[0].runs_signal  # runs analysis uses every point
    assert result.points[-1].runs_signal


def test_parts_and_rebase_split_into_independent_phases() -> None:
    days = [date(2020 + (m // 12), m % 12 + 1, 1) for m in range(24)]
    by_part = analyse(STABLE, chart=ChartType.I, parts=[10])
    by_date = analyse(STABLE, chart=ChartType.I, dates=days, rebase=[days[10]])
    assert [p.phase for p in by_part.points] == [0] * 10 + [1] * 14
    assert [p.cl for p in by_part.points] == [p.cl for p in by_date.points]
    assert by_part.phases[1].start == 10
    assert by_part.phases[1].cl == pytest.approx(float(np.mean(STABLE[10:])))


def test_point_types_follow_the_direction() -> None:
    values = [*STABLE, 80.0]
    up = analyse(values, preset=Preset.MDC, direction=Direction.INCREASE).points[-1]
    down = analyse(values, preset=Preset.MDC, direction="decrease").points[-1]
    neutral = analyse(values, preset=Preset.MDC, direction="neutral").points[-1]
    assert up.label == "Above UCL"
    assert up.point_type is PointType.IMPROVEMENT
    assert down.point_type is PointType.CONCERN
    assert neutral.point_type is PointType.NEUTRAL_HIGH
    low = analyse([*STABLE, 20.0], preset=Preset.MDC, direction="neutral")
    assert low.points[-1].point_type is PointType.NEUTRAL_LOW
    assert low.icons.variation_icon_file == "neutral_low.svg"


def test_assurance_with_a_target_and_a_trajectory() -> None:
    result = analyse(STABLE, preset=Preset.MDC, target=70.0)
    assert result.icons.assurance_type is AssuranceType.CONSISTENT_FAIL
    assert result.phases[-1].assurance_type is AssuranceType.CONSISTENT_FAIL
    trajectory = [None] * 23 + [10.0]
    result = analyse(STABLE, preset=Preset.MDC, target=trajectory, parts=[12])
    assert result.icons.assurance_type is AssuranceType.CONSISTENT_PASS
    assert result.phases[0].assurance_type is None
    assert result.phases[1].assurance_type is AssuranceType.CONSISTENT_PASS
    assert analyse(STABLE, preset=Preset.MDC, target=np.float64(50)).icons.assurance_type == (
        AssuranceType.INCONSISTENT
    )
    no_target = analyse(STABLE, preset=Preset.MDC, target=[None] * 24)
    assert no_target.icons.assurance_type is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target": [1.0, 2.0]}, "trajectory"),
        ({"dates": [date(2020, 1, 1)]}, "one date per plotted point"),
        ({"rebase": [date(2020, 1, 1)]}, "rebase dates need one date"),
        ({"denominators": [1, 2]}, "same length"),
        ({"subgroups": [1, 2]}, "same length"),
        ({"options": SpcOptions(trend_length=1)}, "at least 2"),
        ({"options": SpcOptions(trial_limits_below=-1)}, "negative"),
    ],
)
def test_caller_mistakes_raise_value_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse([1.0, 2.0, 3.0], **kwargs)  # type: ignore[arg-type]


def test_unsorted_dates_are_refused() -> None:
    days = [date(2020, 3, 1), date(2020, 1, 1), date(2020, 2, 1)]
    with pytest.raises(ValueError, match="time order"):
        analyse([1.0, 2.0, 3.0], dates=days)


def test_anhoej_preset_signals_per_phase() -> None:
    values = [*STABLE[:12], *(v + 6 for v in STABLE[12:])]
    result = analyse(values, chart=ChartType.RUN)
    phase = result.phases[0]
    assert phase.runs_signal
    assert {s.rule for s in phase.signals} <= {RuleId.ANHOEJ_LONGEST_RUN, RuleId.ANHOEJ_CROSSINGS}
    assert all(p.runs_signal for p in result.points)
    assert result.signals == phase.signals
    assert all(p.label == "Common Cause" for p in result.points)
    mr = analyse(values, chart=ChartType.MR)
    assert not mr.phases[0].runs_signal


def test_ihi_preset_on_a_run_chart() -> None:
    values = [*STABLE[:12], *(v + 6 for v in STABLE[12:]), 500.0]
    result = analyse(values, chart=ChartType.RUN, preset=Preset.IHI)
    rules = {s.rule for s in result.signals}
    assert RuleId.IHI_SHIFT in rules
    assert RuleId.IHI_TOO_FEW_RUNS in rules
    assert result.points[-1].astronomical_candidate
    assert not result.points[-1].sigma_signal
    assert "median" in next(s for s in result.signals if s.rule is RuleId.IHI_SHIFT).reason


def test_ihi_preset_warns_when_the_runs_rule_cannot_apply() -> None:
    result = analyse(STABLE[:8], chart=ChartType.RUN, preset=Preset.IHI)
    assert result.warnings == (
        "Phase 1 has 8 useful observations: the IHI runs rule needs at least 10 "
        "and was not applied.",
    )


def test_ihi_preset_on_a_control_chart_keeps_the_limit_rule() -> None:
    result = analyse([*STABLE, 80.0], chart=ChartType.I, preset=Preset.IHI)
    assert result.points[-1].signals[0].rule is RuleId.OUTSIDE_LIMITS
    assert result.points[-1].signals[0].reason == "Point above the upper control limit"


def test_mdc_options_six_point_rules() -> None:
    values = [10, 11, 12, 13, 14, 15, 9, 9.5, 9, 9.5, 9, 9.5, 12, 11]
    result = analyse(values, preset=Preset.MDC, options=SpcOptions(trend_length=6, shift_length=6))
    assert result.settings.trend_length == 6
    assert result.points[0].label == "6 Point Trend (Increasing)"
    assert "6 Points Below CL" in {p.label for p in result.points}


def test_near_limits_and_outside_are_unknown_for_missing_points() -> None:
    point = analyse([1.0, None, 2.0, 1.5], preset=Preset.MDC).points[1]
    assert point.outside_limits is None
    assert point.near_limits is None
    assert point.side is None
    assert point.label == "Common Cause"


def test_results_are_immutable() -> None:
    result = analyse(STABLE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.points[0].value = 1.0  # type: ignore[misc]
    assert math.isfinite(result.points[0].cl or math.nan)
