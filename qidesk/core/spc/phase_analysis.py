"""One phase of a chart: baseline, centre line and limits, judgements, rules and runs.

For each phase (qicharts2 part / NHSRplotthedots rebase group, computed independently,
spec 2.1 and 3.1): the baseline (first ``freeze`` points, minus exclusions), the lines
(:mod:`.limits`), the three-valued "outside" and "near" judgements, the preset's point
and phase rules (:mod:`.rules`) and the Anhøj and IHI runs statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qidesk.core.spc import ihi
from qidesk.core.spc.anhoej import AnhoejRuns, anhoej_runs
from qidesk.core.spc.arrays import BoolArray, FloatArray, tri_and, tri_compare, tri_not, tri_or
from qidesk.core.spc.limits import ChartInput, Lines, lines_for
from qidesk.core.spc.presets import RuleSettings
from qidesk.core.spc.results import RunsCount, Signal
from qidesk.core.spc.rules import PhaseFrame, phase_signals, point_signals
from qidesk.core.spc.series import Series
from qidesk.core.spc.types import ChartType, Preset, RuleId

__all__ = ["ComputedPhase", "compute_phase", "slice_of"]

_MOVING_RANGE_CHARTS = frozenset({ChartType.I, ChartType.T, ChartType.PP, ChartType.UP})


@dataclass(frozen=True, eq=False)
class ComputedPhase:
    """Everything computed for one phase before it is turned into result records.

    ``signals`` holds only the points where a point rule fired, keyed by their 0-based
    position in the phase (see :func:`~.rules.point_signals`).
    """

    start: int
    stop: int
    frame: PhaseFrame
    baseline: BoolArray
    excluded: BoolArray
    base: BoolArray
    side: FloatArray
    signals: dict[int, tuple[Signal, ...]]
    anhoej: AnhoejRuns
    runs_count: RunsCount
    phase_signals: tuple[Signal, ...]
    candidates: BoolArray
    hidden_limits: bool
    trial: bool


def _plotted(chart: ChartType, series: Series, start: int, stop: int) -> FloatArray:
    """Plotted values of one phase; the MR chart plots ``|y_i - y_{i-1}|`` within it (spec 2.2)."""
    value = series.value[start:stop].copy()
    if chart is ChartType.MR:
        return np.concatenate(([np.nan], np.abs(np.diff(value))))
    return value


def slice_of(array: FloatArray | None, start: int, stop: int) -> FloatArray | None:
    """``array[start:stop]``, or ``None`` without an array."""
    return None if array is None else array[start:stop]


def _no_variation(lines: Lines) -> BoolArray:
    """Points whose limits show no variation: zero width, or a lower limit without an upper.

    Zero width comes from AMR 0 without screening, p̄ of 0 or 1, c̄ of 0 …; an upper
    limit missing under a defined lower one from AMR 0 with screening on a T chart.
    """
    upper, lower = lines.upper[2], lines.lower[2]
    zero = np.isfinite(upper) & (upper == lower)
    one_sided = np.isnan(upper) & np.isfinite(lower) & np.isfinite(lines.centre)
    return np.asarray(zero | one_sided, dtype=np.bool_)


def _hide_zero_width(lines: Lines) -> tuple[Lines, bool]:
    """Undefine the lines where the limits show no variation (spec 4 recommendation)."""
    zero = _no_variation(lines)
    if not zero.any():
        return lines, False
    lower, upper = lines.lower.copy(), lines.upper.copy()
    lower[:, zero] = np.nan
    upper[:, zero] = np.nan
    return Lines(lines.centre, lower, upper), True


def _judge(value: FloatArray, lines: Lines) -> tuple[FloatArray, FloatArray]:
    """Three-valued "outside the limits" and "near a limit" (spec 2.1 and 3.2, R semantics)."""
    outside = tri_or(
        tri_compare(value, lines.upper[2], ">"), tri_compare(value, lines.lower[2], "<")
    )
    beyond_two = tri_or(
        tri_compare(value, lines.lower[1], "<"), tri_compare(value, lines.upper[1], ">")
    )
    return outside, tri_and(tri_not(outside), beyond_two)


def compute_phase(
    chart: ChartType,
    series: Series,
    start: int,
    stop: int,
    freeze: int | None,
    excluded_mask: BoolArray,
    settings: RuleSettings,
) -> ComputedPhase:
    """Analyse the points ``start:stop`` of ``series`` as one phase of ``chart``.

    ``freeze`` limits the baseline to the phase's first points (qicharts2 ``freeze``,
    NHSRplotthedots ``fix_after_n_points``); excluded points are plotted and judged
    against the limits but left out of the baseline and of every run-based rule.
    """
    value = _plotted(chart, series, start, stop)
    baseline = np.arange(stop - start) < (freeze if freeze is not None else stop - start)
    excluded = excluded_mask[start:stop]
    base = baseline & ~excluded
    data = ChartInput(
        value,
        base,
        settings.screen_mr,
        settings.xmr_scale,
        numerator=slice_of(series.numerator, start, stop),
        denominator=slice_of(series.denominator, start, stop),
        size=slice_of(series.size, start, stop),
        sd=slice_of(series.sd, start, stop),
        transformed=slice_of(series.transformed, start, stop),
    )
    # NHSRplotthedots judges points against infinite limits (R's y / 0 arithmetic only).
    keep_infinite = settings.r_zero_denominator_quirk and settings.preset is Preset.MDC
    lines = lines_for(chart, data, keep_infinite=keep_infinite)
    if settings.hide_zero_width_limits:
        lines, hidden = _hide_zero_width(lines)
    else:
        hidden = bool(_no_variation(lines).any())
    if chart in _MOVING_RANGE_CHARTS and np.isfinite(lines.centre).any():
        hidden |= bool(np.isnan(lines.upper[2]).all())  # AMR 0 after screening
    seq = np.where(excluded, np.nan, value)
    with np.errstate(invalid="ignore"):
        side_seq = np.sign(seq - lines.centre)
        side = np.sign(value - lines.centre)
    outside, near = _judge(value, lines)
    frame = PhaseFrame(
        chart, settings, value, seq, lines.centre, lines.lower, lines.upper, side_seq, outside, near
    )
    anhoej = anhoej_runs(side_seq)
    count = ihi.runs_count(
        side_seq,
        settings.ihi_runs_min_useful,
        with_limits=RuleId.IHI_TOO_FEW_RUNS in settings.phase_rules,
    )
    candidates = (
        ihi.astronomical_candidates(value, base)
        if settings.astronomical_candidates
        else np.zeros(value.size, dtype=np.bool_)
    )
    return ComputedPhase(
        start,
        stop,
        frame,
        baseline,
        excluded,
        base,
        side,
        point_signals(frame),
        anhoej,
        count,
        phase_signals(chart, anhoej, count, settings),
        candidates,
        hidden,
        chart.has_limits and stop - start < settings.trial_limits_below,
    )
