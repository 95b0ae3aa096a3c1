"""The scalar SPC engine: from a measure's values to an :class:`~.results.SpcResult`.

Order of work (spec sections 1-3): prepare the plotted values (:mod:`.series`), split
into phases (:mod:`.phases`), and per phase: baseline and exclusions, centre line
and limits (:mod:`.limits`), judgements against the lines, the preset's rules
(:mod:`.rules`), the Anhøj and IHI runs statistics; then labels, point types,
summaries, icons (:mod:`.icons`) and warnings.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from qidesk.core.spc import ihi
from qidesk.core.spc.anhoej import AnhoejRuns, anhoej_runs
from qidesk.core.spc.arrays import (
    BoolArray,
    FloatArray,
    tri_and,
    tri_compare,
    tri_not,
    tri_or,
)
from qidesk.core.spc.icons import assurance_type, icons_for
from qidesk.core.spc.limits import ChartInput, Lines, lines_for
from qidesk.core.spc.mdc import SHORT_GROUP_WARNING
from qidesk.core.spc.phases import phase_bounds
from qidesk.core.spc.presets import RuleSettings, SpcOptions, resolve_settings
from qidesk.core.spc.results import (
    COMMON_CAUSE_LABEL,
    PhaseSummary,
    RunsCount,
    Signal,
    SpcPoint,
    SpcResult,
)
from qidesk.core.spc.rules import PhaseFrame, phase_signals, point_signals
from qidesk.core.spc.series import RATIO_CHARTS, Numbers, Series, prepare_series
from qidesk.core.spc.types import ChartType, Direction, PointType, Preset, RuleId

__all__ = ["analyse"]

Target = float | Sequence[float | None] | None
_MOVING_RANGE_CHARTS = frozenset({ChartType.I, ChartType.T, ChartType.PP, ChartType.UP})


def analyse(
    values: Numbers,
    *,
    chart: ChartType | str = ChartType.I,
    denominators: Numbers | None = None,
    subgroups: Sequence[Hashable] | None = None,
    dates: Sequence[date] | None = None,
    freeze: int | None = None,
    parts: Sequence[int] | None = None,
    rebase: Sequence[date] | None = None,
    excluded: Collection[int] | None = None,
    preset: Preset | str = Preset.ANHOEJ,
    direction: Direction | str = Direction.INCREASE,
    target: Target = None,
    options: SpcOptions | None = None,
) -> SpcResult:
    """Analyse one measure: centre line, limits, signals, summaries and icons.

    Args:
        values: the measurements (numerators for ratio charts) in time order;
            ``None``/``NaN`` = missing.
        chart: the chart type (spec 1.1 and section 2).
        denominators: one per value for P, P′, U, U′ (and any chart of ratios);
            ``n = 0`` is treated as missing.
        subgroups: one label per value for Xbar/S (and subgroup means otherwise).
        dates: one per plotted point, in time order; needed for ``rebase``.
        freeze: use only the first ``freeze`` points of each phase for the centre
            line and limits (qicharts2 ``freeze``, NHSRplotthedots ``fix_after_n_points``).
        parts: split the chart after these point counts (qicharts2 ``part``).
        rebase: start a new phase at these dates (NHSRplotthedots ``rebase``).
        excluded: 0-based points left out of the centre line, limits and runs
            analysis but still plotted and tested against the limits.
        preset: the rule preset (see :mod:`.presets`).
        direction: which way is better (point types and icons, spec 3.4).
        target: a target, or one per point (a trajectory; the last point's counts).
        options: overrides of the preset's defaults.

    Raises:
        SpcDomainError: the data cannot be charted this way (T chart with y <= 0).
        ValueError: inconsistent arguments (lengths, unsorted dates) — a caller bug.

    """
    chart, direction = ChartType(chart), Direction(direction)
    settings = resolve_settings(Preset(preset), options)
    series = prepare_series(values, chart=chart, denominators=denominators, subgroups=subgroups)
    size = series.length
    if dates is not None and len(dates) != size:
        raise ValueError("dates need one date per plotted point")
    bounds = phase_bounds(size, parts=parts, dates=dates, rebase=rebase)
    excluded_mask = np.zeros(size, dtype=np.bool_)
    chosen = [i for i in (excluded or ()) if 0 <= i < size]
    excluded_mask[np.asarray(chosen, dtype=np.int64)] = True
    computed = [
        _compute_phase(chart, series, start, stop, freeze, excluded_mask, settings)
        for start, stop in bounds
    ]
    points = tuple(
        p for number, c in enumerate(computed) for p in _points(c, number, series, direction)
    )
    targets = _targets(target, size)
    last_target = targets[-1] if targets else None
    phases = tuple(
        _summary(
            c,
            number,
            points,
            last_target if number == len(computed) - 1 else None,
            target is not None,
            direction,
        )
        for number, c in enumerate(computed)
    )
    last = points[-1] if points else None
    icons = icons_for(
        last.point_type if last else PointType.COMMON_CAUSE,
        direction,
        last_target if last else None,
        last.lcl if last else None,
        last.ucl if last else None,
    )
    return SpcResult(
        chart,
        direction,
        settings,
        points,
        phases,
        icons,
        _warnings(chart, series, computed, settings),
    )


@dataclass(frozen=True, eq=False)
class _Phase:
    """Everything computed for one phase before it is turned into result records."""

    start: int
    stop: int
    frame: PhaseFrame
    baseline: BoolArray
    excluded: BoolArray
    base: BoolArray
    side: FloatArray
    signals: list[tuple[Signal, ...]]
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


def _slice(array: FloatArray | None, start: int, stop: int) -> FloatArray | None:
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


def _compute_phase(
    chart: ChartType,
    series: Series,
    start: int,
    stop: int,
    freeze: int | None,
    excluded_mask: BoolArray,
    settings: RuleSettings,
) -> _Phase:
    value = _plotted(chart, series, start, stop)
    baseline = np.arange(stop - start) < (freeze if freeze is not None else stop - start)
    excluded = excluded_mask[start:stop]
    base = baseline & ~excluded
    data = ChartInput(
        value,
        base,
        settings.screen_mr,
        settings.xmr_scale,
        numerator=_slice(series.numerator, start, stop),
        denominator=_slice(series.denominator, start, stop),
        size=_slice(series.size, start, stop),
        sd=_slice(series.sd, start, stop),
    )
    lines = lines_for(chart, data)
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
    return _Phase(
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


def _numbers(values: FloatArray | None, size: int) -> list[float | None]:
    """Array values as Python floats, ``None`` for ``NaN`` (or all ``None`` without an array)."""
    if values is None:
        return [None] * size
    return [None if math.isnan(v) else v for v in values.tolist()]


def _point_type(signals: tuple[Signal, ...], direction: Direction) -> PointType:
    """Point type from the first signal's side and the direction (spec 3.4 table)."""
    if not signals:
        return PointType.COMMON_CAUSE
    high = signals[0].side > 0
    if direction is Direction.NEUTRAL:
        return PointType.NEUTRAL_HIGH if high else PointType.NEUTRAL_LOW
    better = high == (direction is Direction.INCREASE)
    return PointType.IMPROVEMENT if better else PointType.CONCERN


def _points(phase: _Phase, number: int, series: Series, direction: Direction) -> list[SpcPoint]:
    frame, start, stop = phase.frame, phase.start, phase.stop
    size = stop - start
    sizes = _numbers(_slice(series.size, start, stop), size)
    columns = zip(
        range(start, stop),
        _numbers(frame.value, size),
        _numbers(_slice(series.denominator, start, stop), size),
        sizes,
        phase.baseline.tolist(),
        phase.excluded.tolist(),
        _numbers(frame.cl, size),
        _numbers(frame.lower[2], size),
        _numbers(frame.upper[2], size),
        _numbers(frame.lower[1], size),
        _numbers(frame.upper[1], size),
        _numbers(phase.side, size),
        _numbers(frame.outside, size),
        _numbers(frame.near, size),
        phase.candidates.tolist(),
        phase.signals,
        strict=True,
    )
    runs_signal = bool(phase.phase_signals)
    return [
        SpcPoint(
            index=i,
            value=value,
            denominator=denominator,
            subgroup_size=None if subgroup is None else int(subgroup),
            phase=number,
            baseline=baseline,
            excluded=excluded,
            cl=cl,
            lcl=lcl,
            ucl=ucl,
            lcl_2sigma=lcl2,
            ucl_2sigma=ucl2,
            side=None if side is None else int(side),
            outside_limits=None if outside is None else outside == 1.0,
            near_limits=None if near is None else near == 1.0,
            astronomical_candidate=candidate,
            runs_signal=runs_signal,
            trial_limits=phase.trial,
            signals=signals,
            label=signals[0].label if signals else COMMON_CAUSE_LABEL,
            point_type=_point_type(signals, direction),
        )
        for (
            i,
            value,
            denominator,
            subgroup,
            baseline,
            excluded,
            cl,
            lcl,
            ucl,
            lcl2,
            ucl2,
            side,
            outside,
            near,
            candidate,
            signals,
        ) in columns
    ]


def _targets(target: Target, size: int) -> list[float | None]:
    """One target per point (``None`` = no target)."""
    if target is None:
        return [None] * size
    if isinstance(target, int | float | np.number):
        return [float(target)] * size
    trajectory = list(target)
    if len(trajectory) != size:
        raise ValueError("a trajectory needs one target per point")
    return [None if t is None else float(t) for t in trajectory]


def _summary(
    phase: _Phase,
    number: int,
    points: tuple[SpcPoint, ...],
    target: float | None,
    has_target: bool,
    direction: Direction,
) -> PhaseSummary:
    own = points[phase.start : phase.stop]
    first, last = own[0], own[-1]
    assurance = assurance_type(target, last.lcl, last.ucl, direction) if has_target else None
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
        sigma_signal_count=sum(p.sigma_signal for p in own),
        common_cause=sum(not p.special_cause for p in own),
        improvement=sum(p.point_type is PointType.IMPROVEMENT for p in own),
        concern=sum(p.point_type is PointType.CONCERN for p in own),
        variation_type=last.point_type,
        assurance_type=assurance,
        trial_limits=phase.trial,
    )


def _warnings(
    chart: ChartType, series: Series, phases: list[_Phase], settings: RuleSettings
) -> tuple[str, ...]:
    """Plain-English warnings about the data and the limits (spec section 4)."""
    out: list[str] = []
    if series.length == 0:
        out.append("There are no data to chart yet.")
    if chart in RATIO_CHARTS and series.length and np.isnan(series.value).all():
        out.append(f"No point has both a value and a denominator: a {chart.label} needs both.")
    if series.zero_denominators:
        listed = ", ".join(str(i + 1) for i in series.zero_denominators)
        out.append(f"Denominator 0 at point(s) {listed}: treated as missing.")
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
