"""Making Data Count rules as NHSRplotthedots 0.2.2 (spec 3.3) and rebase groups (3.1)."""

from __future__ import annotations

from datetime import date

import numpy as np

from qidesk.core.spc.mdc import group_numbers, shift_signals, trend_signals, two_of_three_signals
from qidesk.core.spc.types import RuleId

NAN = np.nan


def _labels(signals: list) -> list[str | None]:
    return [None if s is None else s.label for s in signals]


def test_trend_of_seven_strict_steps() -> None:
    seq = np.array([1, 2, 3, 4, 5, 6, 7, 3.0])
    signals = trend_signals(seq, 7)
    assert _labels(signals) == ["7 Point Trend (Increasing)"] * 7 + [None]
    first = signals[0]
    assert first is not None
    assert first.rule is RuleId.MDC_TREND
    assert first.reason == "Part of 7 or more points in a row each higher than the one before"


def test_equal_neighbours_break_a_trend() -> None:
    assert _labels(trend_signals(np.array([1, 2, 3, 3, 4, 5, 6, 7.0]), 7)) == [None] * 8


def test_short_series_has_no_trend() -> None:
    assert trend_signals(np.array([1, 2, 3.0]), 7) == [None] * 3


def test_trend_window_with_a_missing_value_is_skipped() -> None:
    # NHSRplotthedots 0.2.2 stops with an error here (spec 3.3); qidesk skips the window
    seq = np.array([1, 2, 3, NAN, 5, 6, 7, 8.0])
    assert _labels(trend_signals(seq, 7)) == [None] * 8


def test_trend_label_direction_rule() -> None:
    # up 1..7, then down 7..1 sharing the peak: the peak takes the step to the next point
    seq = np.array([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1.0])
    labels = _labels(trend_signals(seq, 7))
    assert labels[5] == "7 Point Trend (Increasing)"
    assert labels[6] == "7 Point Trend (Decreasing)"  # peak: next point flagged, step down
    assert labels[12] == "7 Point Trend (Decreasing)"  # last point: step from previous


def test_trend_label_after_an_equal_step_is_decreasing() -> None:
    # rising trend ending at 7, equal step, then a falling trend: sign 0 is not "Increasing"
    seq = np.array([1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1.0])
    labels = _labels(trend_signals(seq, 7))
    assert labels[5] == "7 Point Trend (Increasing)"
    assert labels[6] == "7 Point Trend (Decreasing)"


def test_trend_of_six_option() -> None:
    signals = trend_signals(np.array([6, 5, 4, 3, 2, 1.0]), 6)
    assert _labels(signals) == ["6 Point Trend (Decreasing)"] * 6
    last = signals[-1]
    assert last is not None
    assert last.side == -1
    assert "lower than the one before" in last.reason


def test_two_of_three_needs_all_three_on_one_side() -> None:
    near = np.array([1.0, 0.0, 1.0, 0.0, 0.0])
    assert _labels(two_of_three_signals(np.array([1, 1, 1, -1, -1.0]), near)) == [
        "2 in 3 Above CL",
        None,
        "2 in 3 Above CL",
        None,
        None,
    ]
    # the middle point on the other side spoils the window (syn41 vs syn18)
    assert _labels(two_of_three_signals(np.array([1, -1, 1, -1, -1.0]), near)) == [None] * 5


def test_two_of_three_below_and_unknown_nearness() -> None:
    side = np.array([-1, -1, -1, 1.0])
    near = np.array([1.0, NAN, 1.0, 0.0])
    signals = two_of_three_signals(side, near)
    assert _labels(signals) == ["2 in 3 Below CL", None, "2 in 3 Below CL", None]
    low = signals[0]
    assert low is not None
    assert (
        low.reason
        == "2 of 3 points in a row close to the lower limit (beyond 2 sigma), all below the mean"
    )


def test_shift_of_seven_broken_by_a_point_on_the_mean() -> None:
    side = np.array([1, 1, 1, 1, 0, 1, 1, 1, 1.0])
    assert _labels(shift_signals(side, 7, RuleId.MDC_SHIFT, "mean")) == [None] * 9


def test_shift_reasons_count_the_points() -> None:
    side = np.array([-1.0] * 8 + [1.0])
    signals = shift_signals(side, 7, RuleId.MDC_SHIFT, "mean")
    assert _labels(signals) == ["7 Points Below CL"] * 8 + [None]
    reasons = [s.reason for s in signals if s is not None]
    assert reasons[0] == "Part of a run of 8 points in a row below the mean"
    assert reasons[6] == "7th point in a row below the mean"
    assert reasons[7] == "8th point in a row below the mean"


def test_group_numbers_start_at_the_rebase_date() -> None:
    days = [date(2020, m, 1) for m in range(1, 7)]
    assert group_numbers(days, [date(2020, 4, 1)]) == [0, 0, 0, 1, 1, 1]
    # a date equal to the first point makes the first group 1, as NHSRplotthedots
    assert group_numbers(days, [date(2020, 1, 1)]) == [1] * 6
    # dates before the data are ignored; a date between points starts at the next point
    assert group_numbers(days, [date(2019, 1, 1), date(2020, 2, 15)]) == [0, 0, 1, 1, 1, 1]
    assert group_numbers([], [date(2020, 1, 1)]) == []
