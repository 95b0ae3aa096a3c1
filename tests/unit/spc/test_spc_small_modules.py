"""Phases, icons, chart suggestions, presets, vocabulary and numeric helpers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from qidesk.core.spc import (
    AssuranceType,
    ChartType,
    DataType,
    Direction,
    PointType,
    Preset,
    RuleId,
    SpcOptions,
    XmrScale,
    analyse,
    assurance_icon_file,
    assurance_type,
    before_after,
    phase_bounds,
    phase_changes,
    preset_settings,
    resolve_settings,
    suggest_chart,
    variation_icon_file,
)
from qidesk.core.spc.arrays import (
    covered,
    mean_of,
    median_of,
    to_float_array,
    tri_and,
    tri_compare,
    tri_not,
    tri_or,
    window_hits,
)
from qidesk.core.spc.runs import runs_around
from qidesk.core.spc.wording import ordinal, streaks

NAN = np.nan


# --------------------------------------------------------------------------- phases


def test_phase_bounds_from_parts_and_dates() -> None:
    assert phase_bounds(0) == []
    assert phase_bounds(5) == [(0, 5)]
    assert phase_bounds(6, parts=[2, 0, 6, 9, 2]) == [(0, 2), (2, 6)]
    days = [date(2021, m, 1) for m in range(1, 7)]
    assert phase_bounds(6, parts=[2], dates=days, rebase=[date(2021, 5, 1)]) == [
        (0, 2),
        (2, 4),
        (4, 6),
    ]


def test_before_after_compares_consecutive_phases() -> None:
    values = [10, 11, 9, 10, 11, 9, 10, 20, 23, 17, 20, 23, 17, 20]
    result = analyse(values, chart=ChartType.I, parts=[7])
    change = before_after(result)
    assert change is not None
    assert change.centre_change == pytest.approx(10.0)
    assert change.relative_change == pytest.approx(1.0)
    assert change.width_before is not None
    assert change.width_after == pytest.approx(3 * change.width_before)
    assert change.narrower is False
    assert change.variation_before is PointType.COMMON_CAUSE
    assert phase_changes(result) == (change,)
    assert before_after(analyse(values)) is None


def test_before_after_with_undefined_lines() -> None:
    result = analyse([1, 1, 1, 0, 0, 0], chart=ChartType.I, parts=[3])
    change = before_after(result)
    assert change is not None
    assert change.width_before is None
    assert change.narrower is None
    assert change.relative_change == pytest.approx(-1.0)
    run = analyse([None, None, 0.0, 0.0], chart=ChartType.RUN, parts=[2])
    nothing = before_after(run)
    assert nothing is not None
    assert nothing.centre_change is None
    assert nothing.relative_change is None


# --------------------------------------------------------------------------- icons


@pytest.mark.parametrize(
    ("point_type", "direction", "icon"),
    [
        (PointType.COMMON_CAUSE, Direction.INCREASE, "common_cause.svg"),
        (PointType.IMPROVEMENT, Direction.INCREASE, "improvement_high.svg"),
        (PointType.IMPROVEMENT, Direction.DECREASE, "improvement_low.svg"),
        (PointType.CONCERN, Direction.INCREASE, "concern_low.svg"),
        (PointType.CONCERN, Direction.DECREASE, "concern_high.svg"),
        (PointType.NEUTRAL_HIGH, Direction.NEUTRAL, "neutral_high.svg"),
        (PointType.NEUTRAL_LOW, Direction.NEUTRAL, "neutral_low.svg"),
    ],
)
def test_variation_icons(point_type: PointType, direction: Direction, icon: str) -> None:
    assert variation_icon_file(point_type, direction) == icon


@pytest.mark.parametrize(
    ("target", "direction", "expected"),
    [
        (12.0, Direction.INCREASE, AssuranceType.CONSISTENT_FAIL),
        (12.0, Direction.DECREASE, AssuranceType.CONSISTENT_PASS),
        (-1.0, Direction.INCREASE, AssuranceType.CONSISTENT_PASS),
        (-1.0, Direction.DECREASE, AssuranceType.CONSISTENT_FAIL),
        (10.0, Direction.INCREASE, AssuranceType.INCONSISTENT),
        (5.0, Direction.DECREASE, AssuranceType.INCONSISTENT),
        (5.0, Direction.NEUTRAL, None),
        (None, Direction.INCREASE, None),
        (float("nan"), Direction.INCREASE, None),
    ],
)
def test_assurance_table(
    target: float | None, direction: Direction, expected: AssuranceType | None
) -> None:
    assert assurance_type(target, 0.0, 10.0, direction) is expected


def test_assurance_with_undefined_limits_is_inconsistent() -> None:
    assert assurance_type(3.0, None, None, Direction.INCREASE) is AssuranceType.INCONSISTENT
    assert assurance_icon_file(AssuranceType.INCONSISTENT) == "inconsistent.svg"
    assert assurance_icon_file(AssuranceType.CONSISTENT_PASS) == "pass.svg"
    assert assurance_icon_file(AssuranceType.CONSISTENT_FAIL) == "fail.svg"
    assert assurance_icon_file(None) is None


# --------------------------------------------------------------------------- suggestions


@pytest.mark.parametrize(
    ("data_type", "chart"),
    [
        (DataType.COUNT, ChartType.C),
        (DataType.PROPORTION, ChartType.P),
        (DataType.RATE, ChartType.U),
        (DataType.CONTINUOUS, ChartType.I),
        (DataType.CASES_BETWEEN_EVENTS, ChartType.G),
        (DataType.TIME_BETWEEN_EVENTS, ChartType.T),
        (DataType.SUBGROUPED, ChartType.XBAR),
    ],
)
def test_suggested_chart(data_type: DataType, chart: ChartType) -> None:
    suggestion = suggest_chart(data_type)
    assert suggestion.chart is chart
    assert suggestion.reason
    assert chart not in suggestion.alternatives


def test_suggestion_alternatives_and_value_kinds() -> None:
    assert ChartType.RUN in suggest_chart("count").alternatives
    assert ChartType.S in suggest_chart("subgrouped").alternatives
    assert ChartType.PP in suggest_chart(DataType.PROPORTION).alternatives


# --------------------------------------------------------------------------- presets and types


def test_preset_defaults() -> None:
    mdc = preset_settings(Preset.MDC)
    assert mdc.xmr_scale is XmrScale.MDC
    assert (mdc.trend_length, mdc.shift_length, mdc.screen_mr) == (7, 7, True)
    assert mdc.point_rules[0] is RuleId.OUTSIDE_LIMITS
    assert preset_settings(Preset.WESTERN_ELECTRIC).screen_mr is False
    assert preset_settings(Preset.IHI).astronomical_candidates
    assert preset_settings(Preset.ANHOEJ).phase_rules == (
        RuleId.ANHOEJ_LONGEST_RUN,
        RuleId.ANHOEJ_CROSSINGS,
    )
    assert resolve_settings(Preset.ANHOEJ) == preset_settings(Preset.ANHOEJ)
    changed = resolve_settings(
        Preset.MDC, SpcOptions(screen_mr=False, xmr_scale=XmrScale.QICHARTS2)
    )
    assert (changed.screen_mr, changed.xmr_scale) == (False, XmrScale.QICHARTS2)
    assert Preset("Making Data Count") is Preset.MDC


def test_chart_type_vocabulary() -> None:
    assert ChartType.PP.label == "P′ chart (Laney proportions)"
    assert not ChartType.RUN.has_limits
    assert ChartType.S.is_subgrouped
    assert not ChartType.I.is_subgrouped


# --------------------------------------------------------------------------- helpers


def test_three_valued_logic_follows_r() -> None:
    t, f, na = np.array([1.0]), np.array([0.0]), np.array([NAN])
    assert tri_or(t, na)[0] == 1.0
    assert np.isnan(tri_or(f, na)[0])
    assert tri_or(f, f)[0] == 0.0
    assert tri_and(f, na)[0] == 0.0
    assert np.isnan(tri_and(t, na)[0])
    assert tri_and(t, t)[0] == 1.0
    assert np.isnan(tri_not(na)[0])
    assert tri_compare(np.array([1.0, NAN]), np.array([2.0, 2.0]), "<").tolist()[0] == 1.0
    assert np.isnan(tri_compare(np.array([NAN]), np.array([2.0]), ">")[0])


def test_numeric_helpers() -> None:
    assert to_float_array(np.array([[1, 2]])).tolist() == [1.0, 2.0]
    assert np.isnan(to_float_array([None, 1.0])[0])
    assert np.isnan(mean_of(np.array([NAN])))
    # R's two-pass mean: a constant series has exactly its value as mean
    for value in (0.1, 0.7, 2.675, 1 / 3):
        assert mean_of(np.full(12, value)) == value
    # sums beyond the double range do not raise
    assert mean_of(np.array([1e308, 1e308])) == 1e308
    assert mean_of(np.array([1.7e308, -1.7e308, -1.7e308])) == pytest.approx(-1.7e308 / 3)
    assert np.isnan(median_of(np.array([NAN])))
    assert median_of(np.array([3.0, 1.0, NAN, 2.0])) == 2.0
    assert median_of(np.array([4.0, 1.0, 3.0, 2.0])) == 2.5
    assert covered(np.zeros(0, dtype=bool), 3, 2).tolist() == [False, False]
    inside = np.ones(4, dtype=bool)
    assert window_hits(inside, inside, 5, 5).tolist() == [False] * 4


def test_runs_primitives_and_wording() -> None:
    runs = runs_around(np.array([1, 1, NAN, 0, -1, 1.0]))
    assert (runs.n_useful, runs.n_runs, runs.n_crossings, runs.longest) == (4, 3, 2, 2)
    assert (runs.n_above, runs.n_below) == (3, 1)
    empty = runs_around(np.array([NAN, 0.0]))
    assert (empty.n_runs, empty.n_crossings, empty.longest) == (0, 0, 0)
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "111th",
    ]
    position, length = streaks(np.array([True, True, False, True]))
    assert position.tolist() == [1, 2, 0, 1]
    assert length.tolist() == [2, 2, 0, 1]
    assert streaks(np.zeros(0, dtype=bool))[0].size == 0
