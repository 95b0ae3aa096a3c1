"""IHI run-chart rules (spec 1.2): shift, trend, runs count, astronomical candidates."""

from __future__ import annotations

import numpy as np

from qidesk.core.spc.ihi import (
    astronomical_candidates,
    runs_count,
    runs_count_signals,
    shift_signals,
    trend_signals,
)
from qidesk.core.spc.results import RunsCount
from qidesk.core.spc.types import RuleId

NAN = np.nan


def _flags(signals: list) -> list[bool]:
    return [s is not None for s in signals]


def test_shift_skips_points_on_the_median_and_flags_the_span() -> None:
    side = np.array([-1, 1, 1, 0, 1, 1, NAN, 1, 1, -1])
    signals = shift_signals(side, 6, "median")
    assert _flags(signals) == [False] + [True] * 8 + [False]
    first = signals[1]
    assert first is not None
    assert first.rule is RuleId.IHI_SHIFT
    assert first.side == 1
    assert first.label == "Shift Above CL"
    assert (
        first.reason
        == "Part of a shift: 6 points in a row above the median (6 or more is a signal)"
    )


def test_five_on_one_side_is_not_a_shift() -> None:
    side = np.array([-1.0] * 5 + [1.0])
    assert not any(_flags(shift_signals(side, 6, "median")))
    below = shift_signals(np.array([-1.0] * 6), 6, "centre line")[0]
    assert below is not None
    assert below.side == -1
    assert "below the centre line" in below.reason


def test_trend_collapses_equal_neighbours() -> None:
    # a < b = b < c < d: four distinct rising values plus a repeat -> only 4 collapsed
    seq = np.array([1, 2, 2, 3, 4, 3.0])
    assert not any(_flags(trend_signals(seq, 5)))
    seq = np.array([1, 2, 2, 3, 4, 5, 3.0])
    assert _flags(trend_signals(seq, 5)) == [True] * 6 + [False]


def test_trend_ignores_missing_values_but_does_not_flag_them() -> None:
    seq = np.array([5, 1, 2, NAN, 3, 4, 5, 4.0])
    assert _flags(trend_signals(seq, 5)) == [False, True, True, False, True, True, True, False]


def test_trend_down_and_a_peak_belonging_to_two_trends() -> None:
    seq = np.array([1, 2, 3, 4, 5, 4, 3, 2, 1.0])
    signals = trend_signals(seq, 5)
    assert all(_flags(signals))
    peak = signals[4]
    last = signals[-1]
    assert peak is not None
    assert last is not None
    assert peak.side == 1  # the first trend is kept
    assert last.side == -1
    assert last.label == "Trend (Decreasing)"
    assert "going down" in last.reason


def test_trend_with_no_data() -> None:
    assert trend_signals(np.array([NAN, NAN]), 5) == [None, None]


def test_runs_count_below_the_minimum_has_no_limits() -> None:
    count = runs_count(np.array([1, -1, 1, -1, 1, 0, NAN, -1, 1.0]), 10)
    assert count == RunsCount(7, 4, 3, 7, None, None)
    assert not count.too_few
    assert not count.too_many
    assert runs_count_signals(count) == ()


def test_runs_count_without_limits_when_not_asked() -> None:
    side = np.array([1.0, -1.0] * 10)
    assert runs_count(side, 10, with_limits=False).lower is None


def test_too_few_runs() -> None:
    side = np.array([1.0] * 10 + [-1.0] * 10)
    count = runs_count(side, 10)
    assert count.n_runs == 2
    assert count.too_few
    (signal,) = runs_count_signals(count)
    assert signal.rule is RuleId.IHI_TOO_FEW_RUNS
    assert signal.reason == (
        f"Only 2 runs, fewer than expected (at least {count.lower} for 20 useful points)"
    )


def test_too_many_runs() -> None:
    count = runs_count(np.array([1.0, -1.0] * 10), 10)
    assert count.n_runs == 20
    assert count.too_many
    (signal,) = runs_count_signals(count)
    assert signal.rule is RuleId.IHI_TOO_MANY_RUNS
    assert signal.reason == (
        f"20 runs, more than expected (at most {count.upper} for 20 useful points)"
    )


def test_astronomical_candidates_are_outside_i_chart_limits() -> None:
    value = np.array([10, 11, 10, 12, 10, 11, 10, 12, 10, 40, 10, 11.0])
    base = np.ones(value.size, dtype=bool)
    assert astronomical_candidates(value, base).tolist() == [i == 9 for i in range(12)]


def test_no_candidates_without_variation() -> None:
    value = np.full(8, 3.0)
    assert not astronomical_candidates(value, np.ones(8, dtype=bool)).any()
