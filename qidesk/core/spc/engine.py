"""The scalar SPC engine: from a measure's values to an :class:`~.results.SpcResult`.

Order of work (spec sections 1-3): prepare the plotted values (:mod:`.series`), split
into phases (:mod:`.phases`), and per phase: baseline and exclusions, centre line
and limits (:mod:`.limits`), judgements against the lines, the preset's rules
(:mod:`.rules`), the Anhøj and IHI runs statistics; then labels, point types,
summaries, icons (:mod:`.icons`) and warnings.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from datetime import date

import numpy as np

from qidesk.core.spc.assembly import last_limits, points_of, summary_of, warnings_for
from qidesk.core.spc.icons import icons_for
from qidesk.core.spc.phase_analysis import compute_phase
from qidesk.core.spc.phases import phase_bounds
from qidesk.core.spc.presets import SpcOptions, resolve_settings
from qidesk.core.spc.results import SpcPoint, SpcResult
from qidesk.core.spc.series import Numbers, prepare_series
from qidesk.core.spc.types import ChartType, Direction, PointType, Preset

__all__ = ["analyse"]

Target = float | Sequence[float | None] | None


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
            ``n = 0`` is treated as missing (see ``SpcOptions.r_zero_denominator_quirk``).
        subgroups: one label per value for Xbar/S (and subgroup means otherwise);
            points are ordered by ascending label, as qicharts2.
        dates: one per plotted point, in time order; needed for ``rebase``.
        freeze: use only the first ``freeze`` points of each phase for the centre
            line and limits (qicharts2 ``freeze``, NHSRplotthedots ``fix_after_n_points``).
        parts: split the chart after these point counts (qicharts2 ``part``).
        rebase: start a new phase at these dates (NHSRplotthedots ``rebase``).
        excluded: 0-based points left out of the centre line, limits and runs
            analysis (moving ranges bridge them, as qicharts2) but still plotted and
            tested against the limits.
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
    series = prepare_series(
        values,
        chart=chart,
        denominators=denominators,
        subgroups=subgroups,
        zero_denominator_quirk=settings.r_zero_denominator_quirk,
    )
    size = series.length
    if dates is not None and len(dates) != size:
        raise ValueError("dates need one date per plotted point")
    bounds = phase_bounds(
        size, parts=parts, dates=dates, rebase=rebase, exact_rebase=settings.rebase_exact_dates
    )
    excluded_mask = np.zeros(size, dtype=np.bool_)
    chosen = [i for i in (excluded or ()) if 0 <= i < size]
    excluded_mask[np.asarray(chosen, dtype=np.int64)] = True
    computed = [
        compute_phase(chart, series, start, stop, freeze, excluded_mask, settings)
        for start, stop in bounds
    ]
    built: list[SpcPoint] = []
    for number, c in enumerate(computed):
        built.extend(points_of(c, number, series, direction))
    points = tuple(built)
    targets = _targets(target, size)
    last_target = targets[-1] if targets else None
    phases = tuple(
        summary_of(
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
    lower, upper = last_limits(computed[-1]) if computed else (None, None)
    icons = icons_for(
        last.point_type if last else PointType.COMMON_CAUSE,
        direction,
        last_target if last else None,
        lower,
        upper,
    )
    return SpcResult(
        chart,
        direction,
        settings,
        points,
        phases,
        icons,
        warnings_for(chart, series, computed, settings),
    )


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
