"""Western Electric zone rules through the Shewhart / Western Electric preset."""

from __future__ import annotations

import numpy as np

from qidesk.core.spc import Preset, RuleId, analyse
from qidesk.core.spc.types import ChartType
from qidesk.core.spc.western_electric import zone_signals

NAN = np.nan


def test_two_of_three_beyond_two_sigma_same_side() -> None:
    seq = np.array([0, 2.5, 0, 2.5, -2.5, -2.5, NAN, -2.5, 2.5])
    lower, upper = np.full(9, -2.0), np.full(9, 2.0)
    signals = zone_signals(
        seq, lower, upper, sigmas=2, hits=2, window=3, rule=RuleId.WE_TWO_OF_THREE
    )
    flags = [None if s is None else s.side for s in signals]
    # (2.5, 0, 2.5) qualifies above; (-2.5, -2.5) below; the window with NaN does not
    assert flags == [None, 1, None, 1, -1, -1, None, None, None]
    first = signals[1]
    assert first is not None
    assert first.reason == "2 of the last 3 points beyond 2 sigma, above"
    assert first.label == "2 of 3 Beyond 2 Sigma (Above)"


def test_four_of_five_beyond_one_sigma() -> None:
    seq = np.array([1.5, 1.5, 0.5, 1.5, 1.5, 0.0])
    signals = zone_signals(
        seq,
        np.full(6, -1.0),
        np.full(6, 1.0),
        sigmas=1,
        hits=4,
        window=5,
        rule=RuleId.WE_FOUR_OF_FIVE,
    )
    assert [s is not None for s in signals] == [True, True, False, True, True, False]


def test_preset_rules_and_eight_in_a_row() -> None:
    values = [10, 12, 9, 11, 10, 8, 12, 10, 11, 11, 11, 11, 11, 11, 11, 11.2, 7, 9]
    result = analyse(values, chart=ChartType.I, preset=Preset.WESTERN_ELECTRIC)
    assert result.settings.screen_mr is False
    run = [p.index for p in result.points if any(s.rule is RuleId.WE_RUN for s in p.signals)]
    assert run == list(range(8, 16))
    eighth = result.points[15].signals[0]
    assert eighth.reason == "8th point in a row above the centre line"
    assert eighth.label == "8 Points Above CL"
