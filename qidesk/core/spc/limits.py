"""Centre lines and control limits per chart type (spec section 2; qicharts2 ``qic.*``).

Every calculator works on one phase and returns :class:`Lines`: the centre line and
the lines at 1, 2 and 3 sigma on each side, one value per point (``NaN`` = not
defined). The 3-sigma lines are the control limits, the 2-sigma lines qicharts2's
``*.95`` lines (and MDC's "near" limits), the 1-sigma lines the Western Electric zone.

Float expressions follow the oracles operation by operation (e.g. qicharts2
``sigma = AMR / 1.128`` then ``CL + 3 * sigma``, NHSRplotthedots
``mean + 2.66 * AMR``; means, sums and sds as R computes them, see :mod:`.arrays`),
so results agree to the last bits, not only to 1e-9.

Moving ranges are taken between successive *baseline* points: excluded points are
not there (qicharts2 ``diff(y[base])`` bridges them), missing values are (an MR
touching one is missing, never bridged).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from qidesk.core.spc.arrays import (
    BoolArray,
    FloatArray,
    divide,
    mean_of,
    median_of,
    power,
    sum_of,
)
from qidesk.core.spc.types import ChartType, XmrScale

__all__ = [
    "MR_SCREEN_FACTOR",
    "ChartInput",
    "Lines",
    "average_moving_range",
    "i_chart_lines",
    "lines_for",
]

MR_SCREEN_FACTOR = 3.267
"""Nelson (1982) screening: keep moving ranges ``< 3.267 × AMR`` (spec 2.2 step 4, 3.2 step 3)."""
D2 = 1.128
"""Bias constant d2 for ranges of two (sigma = AMR / 1.128, spec 2.2 step 5)."""
MDC_LIMIT = 2.66
"""NHSRplotthedots / MDC constant: limits ``mean ± 2.66 × AMR`` (spec 3.2 step 4)."""
T_POWER = 3.6
"""T chart transform ``y^(1/3.6)`` (spec 2.8)."""
SIGMAS = (1, 2, 3)


@dataclass(frozen=True, eq=False)
class Lines:
    """Centre line and sigma lines of one phase.

    ``lower[k - 1]`` / ``upper[k - 1]`` are the lines at ``k`` sigma (k = 1, 2, 3);
    each row has one value per point. ``NaN`` means "not defined".
    """

    centre: FloatArray
    lower: FloatArray
    upper: FloatArray

    @classmethod
    def undefined(cls, centre: FloatArray) -> Lines:
        """Lines of a chart without limits (run chart): only a centre line."""
        nan = np.full((len(SIGMAS), centre.size), np.nan)
        return cls(centre, nan, nan.copy())


@dataclass(frozen=True, eq=False)
class ChartInput:
    """What a calculator needs for one phase.

    ``value`` is the plotted value (``NaN`` = missing); ``base`` marks the points
    used for the centre line and limits (baseline, not excluded). ``numerator``
    and ``denominator`` are given for ratio charts, ``size`` and ``sd`` for
    subgroup charts, ``transformed`` (``y^(1/3.6)``) for the T chart.
    """

    value: FloatArray
    base: BoolArray
    screen: bool
    scale: XmrScale
    numerator: FloatArray | None = None
    denominator: FloatArray | None = None
    size: FloatArray | None = None
    sd: FloatArray | None = None
    transformed: FloatArray | None = None


def _constant(value: float, size: int) -> FloatArray:
    """``value`` repeated ``size`` times."""
    return np.full(size, value, dtype=np.float64)


def _symmetric(centre: FloatArray, widths: list[FloatArray]) -> Lines:
    """Lines ``centre ± width_k`` for k = 1, 2, 3."""
    return Lines(
        centre, np.stack([centre - w for w in widths]), np.stack([centre + w for w in widths])
    )


def _clip(lines: Lines, *, low: float, high: float | None) -> Lines:
    """Clip finite sigma lines to ``[low, high]`` (qicharts2 ``x$ucl[x$ucl > 1 & is.finite]``)."""
    lower, upper = lines.lower.copy(), lines.upper.copy()
    with np.errstate(invalid="ignore"):
        lower[np.isfinite(lower) & (lower < low)] = low
        if high is not None:
            upper[np.isfinite(upper) & (upper > high)] = high
    return Lines(lines.centre, lower, upper)


def average_moving_range(
    value: FloatArray, base: BoolArray, *, screen: bool, centre: float | None = None
) -> float:
    """Average moving range of the baseline points (spec 2.2 steps 2-4).

    Moving ranges are taken between successive baseline points, as qicharts2
    ``abs(diff(y[base] - cl))``: an excluded (or non-baseline) point is left out, so
    the MR bridges it; a missing value stays in place, so the two MRs touching it
    are missing (gaps are never bridged). With ``centre`` the values are centred
    first, as qicharts2 does (the same up to rounding). With ``screen``, moving
    ranges ``>= 3.267 × AMR`` are dropped and the AMR recomputed once (Nelson
    1982); if none is left the AMR is ``NaN``.
    """
    kept = value[base]
    if centre is not None:
        with np.errstate(invalid="ignore"):
            kept = kept - centre
    with np.errstate(invalid="ignore"):
        moving = np.abs(np.diff(kept))
    amr = mean_of(moving)
    if screen:
        with np.errstate(invalid="ignore"):
            moving = np.where(moving < MR_SCREEN_FACTOR * amr, moving, np.nan)
        amr = mean_of(moving)
    return amr


def _xmr_widths(amr: float, scale: XmrScale) -> tuple[float, float, float]:
    """Half-widths of the 1, 2, 3 sigma lines from the AMR (spec 2.2 step 5 / 3.2 steps 4-5)."""
    if scale is XmrScale.MDC:
        return (MDC_LIMIT / 3) * amr, (2 * (MDC_LIMIT / 3)) * amr, MDC_LIMIT * amr
    sigma = amr / D2
    return sigma, 2 * sigma, 3 * sigma


def i_chart_lines(data: ChartInput) -> Lines:
    """I (XmR) chart: ``CL = mean``, limits ``CL ± 3 × AMR / 1.128`` or ``± 2.66 × AMR``.

    Spec 2.2 (qicharts2 ``qic.i``) and 3.2 (NHSRplotthedots ``ptd_spc_standard``).
    """
    size = data.value.size
    centre = mean_of(data.value[data.base])
    centred = centre if data.scale is XmrScale.QICHARTS2 else None  # ptd: abs(diff(fix_y))
    amr = average_moving_range(data.value, data.base, screen=data.screen, centre=centred)
    widths = _xmr_widths(amr, data.scale)
    return _symmetric(_constant(centre, size), [_constant(w, size) for w in widths])


def _run_lines(data: ChartInput) -> Lines:
    """Run chart: the median of the baseline, no limits (spec 1.1)."""
    return Lines.undefined(_constant(median_of(data.value[data.base]), data.value.size))


def _mr_lines(data: ChartInput) -> Lines:
    """MR chart: ``CL = mean(MR)``, ``UCL = 3.267 CL``, ``LCL = 0``, 2σ ``2.178 CL`` (spec 2.2)."""
    size = data.value.size
    centre = mean_of(data.value[data.base])
    upper = np.stack([_constant((MR_SCREEN_FACTOR / 3) * k * centre, size) for k in (1, 2)])
    upper = np.vstack([upper, _constant(MR_SCREEN_FACTOR * centre, size)])
    return Lines(_constant(centre, size), np.zeros((len(SIGMAS), size)), upper)


def _pooled_ratio(data: ChartInput) -> float:
    """``Σ y / Σ n`` over the baseline, missing pairs contributing nothing (spec 2.3, 2.5).

    R's ``sum`` (long double) on each side, then a plain division (``x / 0`` is Inf).
    """
    assert data.numerator is not None
    assert data.denominator is not None
    keep = data.base & ~np.isnan(data.numerator) & ~np.isnan(data.denominator)
    return divide(sum_of(data.numerator[keep]), sum_of(data.denominator[keep]))


def _binomial_sigma(centre: float, data: ChartInput) -> FloatArray:
    """P-chart sigma per point: ``sqrt(p̄(1 - p̄)/n_i)`` (spec 2.3)."""
    assert data.denominator is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(centre * (1 - centre) / data.denominator)


def _poisson_sigma(centre: float, data: ChartInput) -> FloatArray:
    """U-chart sigma per point: ``sqrt(ū/n_i)`` (spec 2.5)."""
    assert data.denominator is not None
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(centre / data.denominator)


def _laney_factor(centre: float, sigma: FloatArray, data: ChartInput) -> float:
    """Laney's ``sigma_z = AMR(z) / 1.128`` of the baseline z-scores (spec 2.4 steps 2-3)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (data.value - centre) / sigma
    return average_moving_range(z, data.base, screen=data.screen) / D2


def _ratio_lines(
    data: ChartInput,
    sigma_of: Callable[[float, ChartInput], FloatArray],
    *,
    laney: bool,
    high: float | None,
) -> Lines:
    """P, P′, U and U′ charts: pooled centre, limits varying with each denominator."""
    centre = _pooled_ratio(data)
    sigma = sigma_of(centre, data)
    if laney:
        sigma = sigma * _laney_factor(centre, sigma, data)
    size = data.value.size
    lines = _symmetric(_constant(centre, size), [k * sigma for k in SIGMAS])
    return _clip(lines, low=0.0, high=high)


def _p_lines(data: ChartInput) -> Lines:
    """P chart: ``p̄ ± 3 sqrt(p̄(1-p̄)/n_i)`` clipped to [0, 1] (spec 2.3)."""
    return _ratio_lines(data, _binomial_sigma, laney=False, high=1.0)


def _pp_lines(data: ChartInput) -> Lines:
    """P′ chart (Laney 2002): P-chart sigma times ``sigma_z``, clipped to [0, 1] (spec 2.4)."""
    return _ratio_lines(data, _binomial_sigma, laney=True, high=1.0)


def _u_lines(data: ChartInput) -> Lines:
    """U chart: ``ū ± 3 sqrt(ū/n_i)``, lower limit clipped at 0 (spec 2.5)."""
    return _ratio_lines(data, _poisson_sigma, laney=False, high=None)


def _up_lines(data: ChartInput) -> Lines:
    """U′ chart (Laney 2002): U-chart sigma times ``sigma_z`` (spec 2.5)."""
    return _ratio_lines(data, _poisson_sigma, laney=True, high=None)


def _c_lines(data: ChartInput) -> Lines:
    """C chart: ``c̄ ± 3 sqrt(c̄)``, lower limit clipped at 0 (spec 2.6)."""
    size = data.value.size
    centre = mean_of(data.value[data.base])
    sigma = math.sqrt(centre) if centre >= 0 else math.nan
    lines = _symmetric(_constant(centre, size), [_constant(k * sigma, size) for k in SIGMAS])
    return _clip(lines, low=0.0, high=None)


def _g_lines(data: ChartInput) -> Lines:
    """G chart: limits ``m ± 3 sqrt(m(m+1))`` around the mean, centre line the median (spec 2.8)."""
    size = data.value.size
    mean = mean_of(data.value[data.base])
    sigma = math.sqrt(mean * (mean + 1)) if mean >= 0 else math.nan
    lines = _symmetric(_constant(mean, size), [_constant(k * sigma, size) for k in SIGMAS])
    lines = _clip(lines, low=0.0, high=None)
    return Lines(_constant(median_of(data.value[data.base]), size), lines.lower, lines.upper)


def _t_lines(data: ChartInput) -> Lines:
    """T chart: I chart of ``y^(1/3.6)``, back-transformed with ``^3.6`` (spec 2.8).

    As qicharts2 ``qic.t``: a negative (or undefined) transformed lower control limit
    becomes 0; a negative transformed 1- or 2-sigma line has no back-transform and
    is undefined. The caller has refused values <= 0. ``z = y^(1/3.6)`` comes from the
    raw values (``data.transformed``), never from the plotted round trip ``z^3.6``.
    """
    z_values = data.transformed
    if z_values is None:
        z_values = power(data.value, 1 / T_POWER)
    z = i_chart_lines(ChartInput(z_values, data.base, data.screen, data.scale))
    lower = power(z.lower, T_POWER)
    with np.errstate(invalid="ignore"):
        lower[2] = np.where((z.lower[2] < 0) | np.isnan(lower[2]), 0.0, lower[2])
    return Lines(power(z.centre, T_POWER), lower, power(z.upper, T_POWER))


def _c4(size: FloatArray) -> FloatArray:
    """Bias constant ``c4(m) = sqrt(2/(m-1)) Γ(m/2) / Γ((m-1)/2)``; undefined for m <= 1."""
    out = np.full(size.shape, np.nan)
    for i, m in enumerate(size.tolist()):
        if m > 1:
            out[i] = math.sqrt(2 / (m - 1)) * math.exp(
                math.lgamma(m / 2) - math.lgamma((m - 1) / 2)
            )
    return out


def _subgroup_sigma(data: ChartInput) -> float:
    """``s̄``: mean subgroup sd for equal sizes, else the pooled sd (spec 2.7; Montgomery 6.31).

    As qicharts2: ``sqrt(sum((m - 1) sd², na.rm) / sum(m - 1))`` with R's sums, so an
    empty subgroup counts ``-1`` in the denominator (only subgroups of one and an empty
    one give ``sqrt(0 / -1) = -0``, a centre line of 0), and ``x / 0`` is Inf.
    """
    assert data.size is not None
    assert data.sd is not None
    base = data.base
    if np.unique(data.size).size > 1:
        weights = data.size[base] - 1
        with np.errstate(invalid="ignore"):
            pooled = divide(sum_of(weights * data.sd[base] ** 2), sum_of(weights))
        return math.sqrt(pooled) if not pooled < 0 else math.nan
    return mean_of(data.sd[base])


def _xbar_lines(data: ChartInput) -> Lines:
    """Xbar chart: size-weighted grand mean ± ``A3(m_i) s̄``, ``A3 = 3/(c4 sqrt(m))`` (spec 2.7)."""
    assert data.size is not None
    base = data.base
    with np.errstate(invalid="ignore"):
        centre = divide(sum_of(data.size[base] * data.value[base]), sum_of(data.size[base]))
    sigma = _subgroup_sigma(data)
    c4_root = _c4(data.size) * np.sqrt(data.size)
    with np.errstate(invalid="ignore"):
        widths = [(k / c4_root) * sigma for k in SIGMAS]
    return _symmetric(_constant(centre, data.value.size), widths)


def _s_lines(data: ChartInput) -> Lines:
    """S chart: ``CL = s̄``, limits ``B4 CL`` and ``B3 CL``, ``B = 1 ± k c5/c4`` (spec 2.7)."""
    assert data.size is not None
    centre = _subgroup_sigma(data)
    c4 = _c4(data.size)
    c5 = np.sqrt(1 - c4**2)
    with np.errstate(invalid="ignore"):  # 0 × Inf when s-bar is infinite
        upper = np.stack([(1 + k * c5 / c4) * centre for k in SIGMAS])
        lower = np.stack([np.fmax(0.0, 1 - k * c5 / c4) * centre for k in SIGMAS])
    lower[:, np.isnan(c4)] = np.nan
    return Lines(_constant(centre, data.value.size), lower, upper)


_CALCULATORS: dict[ChartType, Callable[[ChartInput], Lines]] = {
    ChartType.RUN: _run_lines,
    ChartType.I: i_chart_lines,
    ChartType.MR: _mr_lines,
    ChartType.P: _p_lines,
    ChartType.PP: _pp_lines,
    ChartType.U: _u_lines,
    ChartType.UP: _up_lines,
    ChartType.C: _c_lines,
    ChartType.G: _g_lines,
    ChartType.T: _t_lines,
    ChartType.XBAR: _xbar_lines,
    ChartType.S: _s_lines,
}


def lines_for(chart: ChartType, data: ChartInput, *, keep_infinite: bool = False) -> Lines:
    """Centre line and sigma lines of ``chart`` for one phase (spec section 2).

    Non-finite lines are returned as ``NaN`` ("not defined", spec 2.1), as qicharts2
    does before judging the points. With ``keep_infinite`` ±Inf lines are kept (only
    ``NaN`` is undefined): NHSRplotthedots compares points with ``mean ± 2.66 AMR``
    even when that is infinite (a ``y / 0`` value makes the mean Inf).
    """
    lines = _CALCULATORS[chart](data)
    if keep_infinite:
        return lines
    with np.errstate(invalid="ignore"):
        return Lines(
            lines.centre,
            np.where(np.isfinite(lines.lower), lines.lower, np.nan),
            np.where(np.isfinite(lines.upper), lines.upper, np.nan),
        )
