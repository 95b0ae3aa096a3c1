"""Turn computed phases into result records: points, phase summaries and warnings.

Labels and point types follow NHSRplotthedots (spec 3.3-3.4): a point's label is its
first signal in the preset's precedence order; the point type comes from that
signal's side and the improvement direction. Phase counts follow its ``summary()``.
"""

from __future__ import annotations

import math
from itertools import repeat

import numpy as np

from qidesk.core.spc.arrays import FloatArray
from qidesk.core.spc.icons import assurance_type
from qidesk.core.spc.mdc import SHORT_GROUP_WARNING
from qidesk.core.spc.phase_analysis import ComputedPhase, slice_of
from qidesk.core.spc.presets import RuleSettings
from qidesk.core.spc.results import (
    COMMON_CAUSE_LABEL,
    PhaseSummary,
    Signal,
    SpcPoint,
    spc_points,
)
from qidesk.core.spc.series import RATIO_CHARTS, Series
from qidesk.core.spc.types import ChartType, Direction, PointType, Preset, RuleId

__all__ = ["last_limits", "points_of", "summary_of", "warnings_for"]


def _numbers(values: FloatArray | None, size: int) -> list[float | None]:
    """Array values as Python floats, ``None`` where not finite (all ``None`` without an array).

    ``±Inf`` (R's ``y / 0``, only with ``r_zero_denominator_quirk``) is "not defined" too.
    Vectorised: ``astype(object)`` makes the Python floats, a mask puts ``None`` in.
    """
    if values is None:
        return [None] * size
    out = values.astype(object)
    out[~np.isfinite(values)] = None
    return list(out.tolist())


def _whole_numbers(values: FloatArray | None, size: int) -> list[int | None]:
    """Array values as Python ints (truncated, as ``int()``), ``None`` where not finite."""
    if values is None:
        return [None] * size
    finite = np.isfinite(values)
    out = np.where(finite, values, 0.0).astype(np.int64).astype(object)
    out[~finite] = None
    return list(out.tolist())


def _truths(tri: FloatArray) -> list[bool | None]:
    """A three-valued array (1/0/``NaN``) as ``True``/``False``/``None``."""
    out = (tri == 1.0).astype(object)
    out[np.isnan(tri)] = None
    return list(out.tolist())


def _line(value: float) -> float | None:
    """A line value for judgements: ``None`` for ``NaN``, ±Inf kept (R compares with it)."""
    return None if math.isnan(value) else value


def last_limits(phase: ComputedPhase) -> tuple[float | None, float | None]:
    """Control limits of the phase's last point as judged (±Inf kept, ``NaN`` as ``None``).

    The assurance type compares the target with these (NHSRplotthedots uses the raw
    ``lpl``/``upl``, which are infinite when the mean is).
    """
    return _line(float(phase.frame.lower[2][-1])), _line(float(phase.frame.upper[2][-1]))


def _point_type(signals: tuple[Signal, ...], direction: Direction) -> PointType:
    """Point type of a point with signals, from the first one's side and the direction.

    Spec 3.4 table; a point without any signal is common cause (see :func:`points_of`).
    """
    high = signals[0].side > 0
    if direction is Direction.NEUTRAL:
        return PointType.NEUTRAL_HIGH if high else PointType.NEUTRAL_LOW
    better = high == (direction is Direction.INCREASE)
    return PointType.IMPROVEMENT if better else PointType.CONCERN


def points_of(
    phase: ComputedPhase, number: int, series: Series, direction: Direction
) -> list[SpcPoint]:
    """One :class:`SpcPoint` per point of a computed phase (``number`` = its 0-based index).

    Built column by column with NumPy; only the points with a signal are looked at one
    by one (the others share the common-cause label, type and empty signals).
    """
    frame, start, stop = phase.frame, phase.start, phase.stop
    size = stop - start
    signals: list[tuple[Signal, ...]] = [()] * size
    labels = [COMMON_CAUSE_LABEL] * size
    types = [PointType.COMMON_CAUSE] * size
    for i, found in phase.signals.items():
        signals[i] = found
        labels[i] = found[0].label
        types[i] = _point_type(found, direction)
    return spc_points(
        zip(
            range(start, stop),
            _numbers(frame.value, size),
            _numbers(slice_of(series.denominator, start, stop), size),
            _whole_numbers(slice_of(series.size, start, stop), size),
            repeat(number, size),
            phase.baseline.tolist(),
            phase.excluded.tolist(),
            _numbers(frame.cl, size),
            _numbers(frame.lower[2], size),
            _numbers(frame.upper[2], size),
            _numbers(frame.lower[1], size),
            _numbers(frame.upper[1], size),
            _whole_numbers(phase.side, size),
            _truths(frame.outside),
            _truths(frame.near),
            phase.candidates.tolist(),
            repeat(bool(phase.phase_signals), size),
            repeat(phase.trial, size),
            signals,
            labels,
            types,
            strict=True,
        )
    )


def summary_of(
    phase: ComputedPhase,
    number: int,
    points: tuple[SpcPoint, ...],
    target: float | None,
    has_target: bool,
    direction: Direction,
) -> PhaseSummary:
    """Summary of one phase: lines of its first point, runs, counts, last point's type.

    ``target`` is the last point's target for the last phase (``None`` otherwise);
    ``has_target`` tells whether a target was given at all (NHSRplotthedots only
    reports an assurance type then, and only for the last group).
    """
    first, last = points[phase.start], points[phase.stop - 1]
    types = [_point_type(found, direction) for found in phase.signals.values()]
    assurance = assurance_type(target, *last_limits(phase), direction) if has_target else None
    base_present = phase.base & ~np.isnan(phase.frame.value)
    return PhaseSummary(
        phase=number,
        start=phase.start,
        stop=phase.stop,
        n_obs=phase.stop - phase.start,
        n_baseline=int(base_present.sum()),
        cl=first.cl,
        lcl=first.lcl,
        ucl=first.ucl,
        anhoej=phase.anhoej,
        runs_count=phase.runs_count,
        signals=phase.phase_signals,
        sigma_signal_count=int(np.count_nonzero(phase.frame.outside == 1.0)),
        common_cause=(phase.stop - phase.start) - len(phase.signals),
        improvement=types.count(PointType.IMPROVEMENT),
        concern=types.count(PointType.CONCERN),
        variation_type=last.point_type,
        assurance_type=assurance,
        trial_limits=phase.trial,
    )


def warnings_for(
    chart: ChartType, series: Series, phases: list[ComputedPhase], settings: RuleSettings
) -> tuple[str, ...]:
    """Plain-English warnings about the data and the limits (spec section 4)."""
    out: list[str] = []
    if series.length == 0:
        out.append("There are no data to chart yet.")
    if chart in RATIO_CHARTS and series.length and np.isnan(series.value).all():
        out.append(f"No point has both a value and a denominator: a {chart.label} needs both.")
    if series.zero_denominators:
        listed = ", ".join(str(i + 1) for i in series.zero_denominators)
        treated = (
            "kept as R computes y / 0"
            if settings.r_zero_denominator_quirk
            else "treated as missing"
        )
        out.append(f"Denominator 0 at point(s) {listed}: {treated}.")
    short = [(n, p) for n, p in enumerate(phases) if p.trial]
    if short and settings.preset is Preset.MDC:
        out.append(SHORT_GROUP_WARNING)
    elif short:
        out.extend(
            f"Phase {n + 1} has only {p.stop - p.start} points: its limits are trial limits "
            f"and will change as points are added (at least {settings.trial_limits_below} "
            "are advised)."
            for n, p in short
        )
    consequence = (
        "its limits are not shown and no limit signals are raised"
        if settings.hide_zero_width_limits
        else "its limits have zero width or cannot be computed"
    )
    out.extend(
        f"Phase {n + 1} shows no variation: {consequence}."
        for n, p in enumerate(phases)
        if p.hidden_limits
    )
    if chart.is_subgrouped and series.size is not None and (series.size <= 1).all():
        out.append(f"An {chart.label} needs subgroups of at least 2 values: no limits.")
    if RuleId.IHI_TOO_FEW_RUNS in settings.phase_rules and chart is not ChartType.MR:
        out.extend(
            f"Phase {n + 1} has {p.runs_count.n_useful} useful observations: the IHI runs "
            f"rule needs at least {settings.ihi_runs_min_useful} and was not applied."
            for n, p in enumerate(phases)
            if p.runs_count.lower is None
        )
    return tuple(out)
