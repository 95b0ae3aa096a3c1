"""Apply a preset's rules to one phase: per-point signals and phase-level signals.

Point rules run in the preset's precedence order; the first signal of a point gives
its label (NHSRplotthedots: R1 → R2 → R3 → R4, spec 3.3). Phase rules (Anhøj runs,
IHI runs count) give signals about the whole phase. The run-based rules see
excluded points as missing; the limit rule tests every plotted point (spec 2.1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qidesk.core.spc import ihi, mdc, western_electric
from qidesk.core.spc.anhoej import AnhoejRuns
from qidesk.core.spc.arrays import FloatArray
from qidesk.core.spc.presets import RuleSettings
from qidesk.core.spc.results import RunsCount, Signal
from qidesk.core.spc.types import ChartType, RuleId

__all__ = ["PhaseFrame", "phase_signals", "point_signals"]


@dataclass(frozen=True, eq=False)
class PhaseFrame:
    """One phase, ready for the rules.

    ``value`` is the plotted value (``NaN`` = missing); ``seq`` the same with
    excluded points set missing; ``side`` is ``sign(seq - cl)``; ``lower`` and
    ``upper`` the 1/2/3-sigma lines (rows 0/1/2); ``outside`` and ``near`` are
    three-valued (1/0/``NaN``) judgements of ``value`` against the lines.
    """

    chart: ChartType
    settings: RuleSettings
    value: FloatArray
    seq: FloatArray
    cl: FloatArray
    lower: FloatArray
    upper: FloatArray
    side: FloatArray
    outside: FloatArray
    near: FloatArray

    @property
    def centre_word(self) -> str:
        """How the centre line is called in reasons: median, mean or centre line."""
        if self.chart is ChartType.RUN:
            return "median"
        if self.chart in (ChartType.I, ChartType.C):
            return "mean"
        return "centre line"


_ABOVE_UCL = Signal(RuleId.OUTSIDE_LIMITS, "Above UCL", "Point above the upper control limit", 1)
_BELOW_LCL = Signal(RuleId.OUTSIDE_LIMITS, "Below LCL", "Point below the lower control limit", -1)


def _outside(frame: PhaseFrame) -> dict[int, Signal]:
    """Shared rule: a point strictly outside the control limits (spec 2.1, 3.3 R1; WE 1)."""
    outside = frame.outside == 1.0
    with np.errstate(invalid="ignore"):
        up = frame.value > frame.upper[2]
    found = dict.fromkeys(np.flatnonzero(outside & up).tolist(), _ABOVE_UCL)
    found.update(dict.fromkeys(np.flatnonzero(outside & ~up).tolist(), _BELOW_LCL))
    return found


_PointRule = Callable[[PhaseFrame], dict[int, Signal]]

_POINT_RULES: dict[RuleId, _PointRule] = {
    RuleId.OUTSIDE_LIMITS: _outside,
    RuleId.MDC_TREND: lambda f: mdc.trend_signals_at(f.seq, f.settings.trend_length),
    RuleId.MDC_TWO_OF_THREE: lambda f: mdc.two_of_three_signals_at(f.side, f.near),
    RuleId.MDC_SHIFT: lambda f: mdc.shift_signals_at(
        f.side, f.settings.shift_length, RuleId.MDC_SHIFT, f.centre_word
    ),
    RuleId.IHI_SHIFT: lambda f: ihi.shift_signals_at(
        f.side, f.settings.shift_length, f.centre_word
    ),
    RuleId.IHI_TREND: lambda f: ihi.trend_signals_at(f.seq, f.settings.trend_length),
    RuleId.WE_TWO_OF_THREE: lambda f: western_electric.zone_signals_at(
        f.seq, f.lower[1], f.upper[1], sigmas=2, hits=2, window=3, rule=RuleId.WE_TWO_OF_THREE
    ),
    RuleId.WE_FOUR_OF_FIVE: lambda f: western_electric.zone_signals_at(
        f.seq, f.lower[0], f.upper[0], sigmas=1, hits=4, window=5, rule=RuleId.WE_FOUR_OF_FIVE
    ),
    RuleId.WE_RUN: lambda f: mdc.shift_signals_at(
        f.side, f.settings.shift_length, RuleId.WE_RUN, "centre line"
    ),
}


def point_signals(frame: PhaseFrame) -> dict[int, tuple[Signal, ...]]:
    """The signals of the points where a rule fired, in the preset's precedence order.

    Keyed by the point's 0-based position in the phase, in ascending order; a point
    without any signal is left out (most points: the rules report only where they fire).
    """
    found: dict[int, tuple[Signal, ...]] = {}
    for rule in frame.settings.point_rules:
        for i, signal in _POINT_RULES[rule](frame).items():
            found[i] = (*found.get(i, ()), signal)
    return dict(sorted(found.items()))


def _anhoej_signals(runs: AnhoejRuns) -> tuple[Signal, ...]:
    """Phase-level Anhøj signals with the numbers that triggered them (spec 1.3)."""
    out: list[Signal] = []
    if runs.long_run:
        out.append(
            Signal(
                RuleId.ANHOEJ_LONGEST_RUN,
                "Unusually long run",
                f"Longest run of {runs.longest_run} points is longer than expected "
                f"(at most {runs.longest_run_max} for {runs.n_useful} useful points)",
                0,
            )
        )
    if runs.few_crossings:
        crossings = "crossing" if runs.n_crossings == 1 else "crossings"
        out.append(
            Signal(
                RuleId.ANHOEJ_CROSSINGS,
                "Too few crossings",
                f"Only {runs.n_crossings} {crossings} of the centre line, fewer than expected "
                f"(at least {runs.n_crossings_min} for {runs.n_useful} useful points)",
                0,
            )
        )
    return tuple(out)


def phase_signals(
    chart: ChartType, anhoej: AnhoejRuns, count: RunsCount, settings: RuleSettings
) -> tuple[Signal, ...]:
    """Phase-level signals of the preset (never on an MR chart, as qicharts2, spec 1.3)."""
    if chart is ChartType.MR:
        return ()
    found = _anhoej_signals(anhoej) + ihi.runs_count_signals(count)
    return tuple(s for s in found if s.rule in settings.phase_rules)
