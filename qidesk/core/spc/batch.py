"""Vectorised batch analysis: Anhøj run chart + Making Data Count XmR for many series at once.

A QI hub refreshes thousands of measures; analysing them one by one in Python is
too slow, so this module computes, for an ``S × N`` matrix of equal-length series
(one series per row, time along the columns, ``NaN`` = missing):

* the **run chart** with the **Anhøj rules** (median centre line, useful
  observations, longest run and its limit, crossings and their limit, runs
  signal) — spec ``shared/spc-spec.md`` §1.1 and §1.3, oracle qicharts2 0.8.1
  ``qic(chart = "run")``;
* the **Making Data Count XmR chart** for a single rebase group with no fixed
  baseline (mean, average moving range after optional screening, process
  limits, special-cause label and point type per point) — spec §3.2–§3.4,
  oracle NHSRplotthedots 0.2.2 ``ptd_spc()``;
* the **variation icon** (from the last point, spec §3.5) and the **assurance
  icon** (target against the process limits, spec §3.6) per series.

All work is vectorised: no Python loop runs over series or points (cumulative
sums along the time axis find the runs and the rule windows). Results equal
those of the scalar engine series by series (``tests/unit/spc/test_batch.py``).

Missing values (spec §2.2 and §3.3): they are left out of the median and the
mean; a moving range touching a missing value is missing (the gap is not
bridged); the Anhøj runs analysis skips them; an MDC rule window (trend, run,
2-of-3) that contains a missing value does not qualify (NHSRplotthedots 0.2.2
crashes on some of those windows; the spec asks qidesk to skip them); a missing
point is labelled "Common Cause". Infinite values are treated as missing, as
in the scalar engine (spec §2.1 asks for ``y/0`` to be missing).

Label wording with non-default rule lengths: NHSRplotthedots fixes both lengths
at 7 and writes "7 Point Trend (Increasing)" and "7 Points Above CL". With
``trend_length`` / ``run_length`` other than 7 the number in the label is the
length used, e.g. "6 Point Trend (Decreasing)" and "6 Points Below CL"; the
other labels never change (see :func:`special_cause_labels`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from typing import Final, NamedTuple

import numpy as np
import numpy.typing as npt

from qidesk.core.spc.icons import variation_icon_file
from qidesk.core.spc.limits import MDC_LIMIT, MR_SCREEN_FACTOR
from qidesk.core.spc.results import COMMON_CAUSE_LABEL
from qidesk.core.spc.types import AssuranceType, Direction, PointType

__all__ = [
    "ASSURANCE_TYPES",
    "NEAR_LIMIT_FACTOR",
    "POINT_TYPES",
    "VARIATION_ICON_FILES",
    "AssuranceCode",
    "BatchResult",
    "PointTypeCode",
    "SpecialCause",
    "analyse_batch",
    "crossings_min_table",
    "special_cause_labels",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
CodeArray = npt.NDArray[np.int8]

NEAR_LIMIT_FACTOR: Final = 2 * (MDC_LIMIT / 3)
""""Near" limits are ``mean ± 2 × (2.66 / 3) × AMR`` (spec §3.2 step 5, same expression as R)."""

_TWO_IN_THREE_WINDOW: Final = 3
_BINOM_ALPHA_DENOMINATOR: Final = 20  # qbinom(0.05, ...): P(X <= k) >= 1/20


class SpecialCause(IntEnum):
    """Special-cause label codes, in NHSRplotthedots' wording order (spec §3.3)."""

    COMMON_CAUSE = 0
    ABOVE_UCL = 1
    BELOW_LCL = 2
    TREND_INCREASING = 3
    TREND_DECREASING = 4
    TWO_IN_THREE_ABOVE = 5
    TWO_IN_THREE_BELOW = 6
    RUN_ABOVE = 7
    RUN_BELOW = 8


class PointTypeCode(IntEnum):
    """Point type codes (spec §3.4); :data:`POINT_TYPES` gives the :class:`PointType`."""

    COMMON_CAUSE = 0
    IMPROVEMENT = 1
    CONCERN = 2
    NEUTRAL_HIGH = 3
    NEUTRAL_LOW = 4


class AssuranceCode(IntEnum):
    """Assurance codes (spec §3.6); ``NONE`` = no target or neutral direction."""

    NONE = 0
    CONSISTENT_PASS = 1
    CONSISTENT_FAIL = 2
    INCONSISTENT = 3


POINT_TYPES: Final[tuple[PointType, ...]] = (
    PointType.COMMON_CAUSE,
    PointType.IMPROVEMENT,
    PointType.CONCERN,
    PointType.NEUTRAL_HIGH,
    PointType.NEUTRAL_LOW,
)
"""The scalar engine's :class:`PointType` of each :class:`PointTypeCode`."""

ASSURANCE_TYPES: Final[tuple[AssuranceType | None, ...]] = (
    None,
    AssuranceType.CONSISTENT_PASS,
    AssuranceType.CONSISTENT_FAIL,
    AssuranceType.INCONSISTENT,
)
"""The scalar engine's :class:`AssuranceType` (or ``None``) of each :class:`AssuranceCode`."""

VARIATION_ICON_FILES: Final[tuple[str, ...]] = tuple(
    dict.fromkeys(variation_icon_file(t, d) for d in Direction for t in POINT_TYPES)
)
"""Variation icon files (NHSRplotthedots' names), indexed by the ``variation_icon`` codes."""

# Label code -> +1 for "high" labels (Above/Increasing), -1 for "low" (Below/Decreasing),
# 0 for common cause (spec §3.4: a label is high if it contains Above or Increasing).
_LABEL_SIDE: Final = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int8)

_POINT_TYPE_BY_SIDE: Final[dict[Direction, tuple[PointTypeCode, PointTypeCode]]] = {
    # direction: (type of a high label, type of a low label) — spec §3.4 table
    Direction.INCREASE: (PointTypeCode.IMPROVEMENT, PointTypeCode.CONCERN),
    Direction.DECREASE: (PointTypeCode.CONCERN, PointTypeCode.IMPROVEMENT),
    Direction.NEUTRAL: (PointTypeCode.NEUTRAL_HIGH, PointTypeCode.NEUTRAL_LOW),
}

_ICON_BY_POINT_TYPE: Final[dict[Direction, npt.NDArray[np.int8]]] = {
    # direction: icon code per PointTypeCode, from the scalar engine's table (spec §3.5)
    d: np.array(
        [VARIATION_ICON_FILES.index(variation_icon_file(t, d)) for t in POINT_TYPES]
    ).astype(np.int8)
    for d in Direction
}


def special_cause_labels(run_length: int = 7, trend_length: int = 7) -> tuple[str, ...]:
    """Special-cause label strings indexed by :class:`SpecialCause` (NHSRplotthedots wording).

    With the MDC default lengths (7/7) these are exactly the package's
    ``special_cause_type`` values (spec §3.3); other lengths replace the "7".
    """
    return (
        COMMON_CAUSE_LABEL,
        "Above UCL",
        "Below LCL",
        f"{trend_length} Point Trend (Increasing)",
        f"{trend_length} Point Trend (Decreasing)",
        "2 in 3 Above CL",
        "2 in 3 Below CL",
        f"{run_length} Points Above CL",
        f"{run_length} Points Below CL",
    )


@dataclass(frozen=True, eq=False)
class BatchResult:
    """Run-chart, XmR and icon results for ``S`` series of ``N`` points (read-only arrays).

    Per-series arrays have shape ``(S,)``; per-point arrays ``(S, N)``. The four
    Anhøj statistics are ``NaN`` when a series has no useful observation
    (spec §1.3 item 6); limits are ``NaN`` when undefined (spec §4). Codes:
    ``special_cause`` indexes ``special_cause_labels`` (see :class:`SpecialCause`),
    ``point_type`` :data:`POINT_TYPES`, ``variation_icon`` :data:`VARIATION_ICON_FILES`
    and ``assurance`` :data:`ASSURANCE_TYPES`.
    """

    # Anhøj run chart (spec §1.1, §1.3; qicharts2 "run")
    median: FloatArray
    n_useful: IntArray
    longest_run: FloatArray
    longest_run_max: FloatArray
    n_crossings: FloatArray
    n_crossings_min: FloatArray
    runs_signal: BoolArray
    # Making Data Count XmR (spec §3.2-§3.6; NHSRplotthedots)
    mean: FloatArray
    amr: FloatArray
    lpl: FloatArray
    upl: FloatArray
    special_cause: CodeArray
    point_type: CodeArray
    variation_icon: CodeArray
    assurance: CodeArray
    special_cause_labels: tuple[str, ...]
    direction: Direction

    def __post_init__(self) -> None:
        """Make every array read-only: the result is a value, not a workspace."""
        for value in vars(self).values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)

    def labels(self, series: int) -> list[str]:
        """Special-cause label strings of one series, point by point."""
        return [self.special_cause_labels[c] for c in self.special_cause[series]]

    def point_types(self, series: int) -> list[PointType]:
        """Point types of one series, point by point (NHSRplotthedots ``point_type``)."""
        return [POINT_TYPES[c] for c in self.point_type[series]]

    def variation_icon_file(self, series: int) -> str:
        """Variation icon file of one series (from its last point, spec §3.5)."""
        return VARIATION_ICON_FILES[int(self.variation_icon[series])]

    def assurance_type(self, series: int) -> AssuranceType | None:
        """Assurance type of one series, or ``None`` without target/direction (spec §3.6)."""
        return ASSURANCE_TYPES[int(self.assurance[series])]


def analyse_batch(
    values: npt.ArrayLike,
    *,
    direction: Direction | str = Direction.INCREASE,
    target: float | npt.ArrayLike | None = None,
    screen_outliers: bool = True,
    run_length: int = 7,
    trend_length: int = 7,
    hide_zero_width_limits: bool = True,
) -> BatchResult:
    """Analyse ``S`` equal-length series at once: Anhøj run chart, MDC XmR, icons.

    Equivalent, series by series, to the scalar engine's ``analyse(row,
    chart="run", preset=ANHOEJ)`` and ``analyse(row, chart="i", preset=MDC)``
    with the same options.

    Args:
        values: ``S × N`` numbers, one series per row in time order; ``NaN`` = missing.
        direction: improvement direction for point types and icons (spec §3.4).
        target: one target for all series, one per series (``NaN`` = none), or ``None``.
        screen_outliers: drop moving ranges ``>= 3.267 × AMR`` before the limits
            (NHSRplotthedots default; ``False`` matches the MDC Excel tools).
        run_length: points in a row on one side of the mean for a shift (MDC: 7).
        trend_length: points in a row going up or down for a trend (MDC: 7).
        hide_zero_width_limits: when the limits have zero width (no variation,
            spec §4) report them as undefined, so no limit or 2-of-3 signal
            (qidesk default, as the scalar engine); ``False`` keeps the oracle's
            ``LPL = UPL = mean``.

    Raises:
        ValueError: on a non-2-D matrix, no time points, or bad options.

    """
    y = _series_matrix(values)
    direction = Direction(direction)
    _check_lengths(run_length, trend_length)
    targets = _target_vector(target, y.shape[0])

    run = _anhoej_run_chart(y)
    xmr = _xmr_limits(y, screen_outliers=screen_outliers, hide_zero_width=hide_zero_width_limits)
    codes = _special_cause_codes(y, xmr, run_length, trend_length)
    point_type = _point_types(codes, direction)
    return BatchResult(
        median=run.median,
        n_useful=run.n_useful,
        longest_run=run.longest_run,
        longest_run_max=run.longest_run_max,
        n_crossings=run.n_crossings,
        n_crossings_min=run.n_crossings_min,
        runs_signal=run.runs_signal,
        mean=xmr.mean,
        amr=xmr.amr,
        lpl=xmr.lpl,
        upl=xmr.upl,
        special_cause=codes,
        point_type=point_type,
        variation_icon=_ICON_BY_POINT_TYPE[direction][point_type[:, -1]],
        assurance=_assurance(targets, xmr.lpl, xmr.upl, direction),
        special_cause_labels=special_cause_labels(run_length, trend_length),
        direction=direction,
    )


# --------------------------------------------------------------------------- validation


def _series_matrix(values: npt.ArrayLike) -> FloatArray:
    """Return ``values`` as a new float64 ``S × N`` matrix, ±Inf as missing; check its shape."""
    y = np.ascontiguousarray(values, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError(f"values must be a 2-D array (series × points), got {y.ndim}-D")
    if y.shape[1] == 0:
        raise ValueError("values must have at least one time point")
    return np.where(np.isfinite(y), y, np.nan)  # ±Inf is missing, as in the scalar engine


def _check_lengths(run_length: int, trend_length: int) -> None:
    """Reject rule lengths below 2 points."""
    for name, length in (("run_length", run_length), ("trend_length", trend_length)):
        if not isinstance(length, int) or length < 2:
            raise ValueError(f"{name} must be an integer >= 2, got {length!r}")


def _target_vector(target: float | npt.ArrayLike | None, n_series: int) -> FloatArray:
    """Broadcast ``target`` to one float per series (``NaN`` = no target)."""
    if target is None:
        return np.full(n_series, np.nan)
    t = np.asarray(target, dtype=np.float64)
    if t.ndim == 0:
        return np.full(n_series, float(t))
    if t.shape != (n_series,):
        raise ValueError(f"target must be a number or have shape ({n_series},), got {t.shape}")
    return t.copy()


# --------------------------------------------------------------------------- shared maths


def _row_mean(x: FloatArray, keep: BoolArray) -> FloatArray:
    """Mean of each row over the ``keep`` cells, as R's ``mean()``; ``NaN`` for a row with none.

    R's algorithm exactly (``summary.c``, as :func:`qidesk.core.spc.arrays.mean_of`):
    ``s = Σx / n`` with the sum accumulated value by value in long double, then, if
    ``s`` is finite, ``s += Σ(x − s) / n`` (again a sequential long-double sum), then
    rounded to a double. ``np.cumsum`` along the row is that sequential sum (``np.sum``
    would sum pairwise); skipped cells add an exact 0. A constant series thus has
    exactly its value as mean, and ties with the mean are those R sees (spec §4).
    """
    count = keep.sum(axis=1)
    if x.shape[1] == 0:  # the moving ranges of one-point series
        return np.full(x.shape[0], np.nan)
    values = np.where(keep, x, 0.0).astype(np.longdouble)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        first = np.cumsum(values, axis=1)[:, -1] / count
        residual = np.where(keep, values - first[:, None], 0.0)
        second = first + np.cumsum(residual, axis=1)[:, -1] / count
        mean = np.where(np.isfinite(first), second, first)
    return np.where(count > 0, mean, np.nan).astype(np.float64)


def _sign(x: FloatArray) -> npt.NDArray[np.int8]:
    """``sign(x)`` as -1/0/+1 with missing (``NaN``) mapped to 0."""
    return (x > 0).astype(np.int8) - (x < 0)


def _windows_ending(step_ok: BoolArray, length: int) -> BoolArray:
    """Flag the points ending a window of ``length`` points whose steps are all ok.

    ``step_ok[:, i]`` judges the step from point ``i`` to ``i + 1``; the result
    ``[:, e]`` is True when the ``length - 1`` steps into point ``e`` are all ok.
    """
    n_series, n_points = step_ok.shape[0], step_ok.shape[1] + 1
    steps = length - 1
    ok_before = np.zeros((n_series, n_points), dtype=np.int32)
    np.cumsum(step_ok, axis=1, out=ok_before[:, 1:])
    ends = np.zeros((n_series, n_points), dtype=np.bool_)
    ends[:, steps:] = (ok_before[:, steps:] - ok_before[:, : max(n_points - steps, 0)]) == steps
    return ends


def _covered_by_windows(ends: BoolArray, length: int) -> BoolArray:
    """Flag every point inside a window of ``length`` points ending where ``ends`` is True.

    This is NHSRplotthedots' ``ptd_part_of_seven_trend``: point ``j`` is part of
    a pattern if any of points ``j .. j + length - 1`` ends one.
    """
    n_points = ends.shape[1]
    ends_before = np.zeros((ends.shape[0], n_points + 1), dtype=np.int32)
    np.cumsum(ends, axis=1, out=ends_before[:, 1:])
    upto = np.minimum(np.arange(n_points) + length, n_points)
    return (ends_before[:, upto] - ends_before[:, :n_points]) > 0


# --------------------------------------------------------------------------- Anhøj run chart


@lru_cache(maxsize=32)
def crossings_min_table(n_max: int) -> tuple[int, ...]:
    """Anhøj crossings limits ``qbinom(0.05, n - 1, 0.5)`` for ``n = 0 .. n_max`` useful points.

    Spec §1.3 item 4 (Chen 2010): the smallest ``k`` with ``P(X <= k) >= 0.05``
    for ``X ~ Binomial(n - 1, 1/2)``, computed with exact integers:
    ``20 × Σ_{j<=k} C(n-1, j) >= 2^(n-1)``. The quantile never decreases and
    grows by at most 1 from ``n`` to ``n + 1``, and
    ``Σ_{j<=k} C(m, j) = 2 Σ_{j<=k} C(m-1, j) − C(m-1, k)``, so the table costs
    ``O(n_max)`` big-integer steps. Entry 0 is 0 (no useful points: unused).
    """
    table = [0] * (n_max + 1)
    k = 0
    cumulative = 1  # Σ_{j<=k} C(m, j) for m = 0
    for m in range(n_max):  # m = n - 1 trials
        if m > 0:
            cumulative = 2 * cumulative - math.comb(m - 1, k)
        while _BINOM_ALPHA_DENOMINATOR * cumulative < 2**m:
            k += 1
            cumulative += math.comb(m, k)
        table[m + 1] = k
    return tuple(table)


def _median(y: FloatArray, valid: BoolArray) -> FloatArray:
    """Median of each row ignoring missing values, as R ``median(na.rm = TRUE)`` (spec §1.1)."""
    ordered = np.sort(y, axis=1)  # NaN sorts last
    count = valid.sum(axis=1)
    low = np.maximum((count - 1) // 2, 0)[:, None]
    high = (count // 2)[:, None]
    a = np.take_along_axis(ordered, low, axis=1)[:, 0].astype(np.longdouble)
    b = np.take_along_axis(ordered, high, axis=1)[:, 0].astype(np.longdouble)
    # R: mean() of the two middle values (the same value twice for an odd count),
    # its two long-double passes written out for two values
    with np.errstate(invalid="ignore", over="ignore"):
        first = (a + b) / 2
        second = first + ((a - first) + (b - first)) / 2
        middle = np.where(np.isfinite(first), second, first).astype(np.float64)
    return np.where(count > 0, middle, np.nan)


class _RunChart(NamedTuple):
    """Per-series Anhøj run-chart statistics (see :class:`BatchResult`)."""

    median: FloatArray
    n_useful: IntArray
    longest_run: FloatArray
    longest_run_max: FloatArray
    n_crossings: FloatArray
    n_crossings_min: FloatArray
    runs_signal: BoolArray


def _anhoej_run_chart(y: FloatArray) -> _RunChart:
    """Anhøj runs analysis around the median (spec §1.3; qicharts2 ``runs.analysis``).

    Useful observations are the points neither missing nor on the median; they
    are skipped by the analysis (neither break nor extend a run). Longest-run
    limit ``round(log2 n) + 3`` (Schilling 2012), crossings limit
    ``qbinom(0.05, n − 1, ½)`` (Chen 2010); signal = a longer run or fewer
    crossings. With no useful point the statistics are ``NaN``, no signal.
    """
    n_series, n_points = y.shape
    median = _median(y, ~np.isnan(y))
    side = _sign(y - median[:, None])
    useful = side != 0
    n_useful = useful.sum(axis=1).astype(np.int64)

    # Side of the previous useful point (0 before the first one).
    last_useful = np.maximum.accumulate(np.where(useful, np.arange(n_points), -1), axis=1)
    previous = np.full((n_series, n_points), -1, dtype=np.int64)
    previous[:, 1:] = last_useful[:, :-1]
    previous_side = np.where(
        previous >= 0, np.take_along_axis(side, np.maximum(previous, 0), axis=1), 0
    )
    run_starts = useful & (previous_side != side)

    # Length of the run so far at each useful point: useful points since its run started.
    useful_so_far = np.cumsum(useful, axis=1)
    at_run_start = np.maximum.accumulate(np.where(run_starts, useful_so_far, 0), axis=1)
    run_length_so_far = np.where(useful, useful_so_far - at_run_start + 1, 0)

    defined = n_useful > 0
    longest = _where_defined(defined, run_length_so_far.max(axis=1, initial=0))
    crossings = _where_defined(defined, run_starts.sum(axis=1) - 1)
    longest_max = _where_defined(defined, np.rint(np.log2(np.maximum(n_useful, 1))) + 3)
    table = np.asarray(crossings_min_table(n_points), dtype=np.float64)
    crossings_min = _where_defined(defined, table[n_useful])
    runs_signal = defined & ((longest > longest_max) | (crossings < crossings_min))
    return _RunChart(median, n_useful, longest, longest_max, crossings, crossings_min, runs_signal)


def _where_defined(defined: BoolArray, statistic: npt.NDArray[np.generic]) -> FloatArray:
    """A run statistic as float, ``NaN`` where it is undefined (no useful points)."""
    return np.where(defined, statistic.astype(np.float64), np.nan)


# --------------------------------------------------------------------------- MDC XmR


class _XmrLimits(NamedTuple):
    """Per-series MDC XmR centre, average moving range and limits (spec §3.2)."""

    mean: FloatArray
    amr: FloatArray
    lpl: FloatArray
    upl: FloatArray
    near_lpl: FloatArray
    near_upl: FloatArray


def _xmr_limits(y: FloatArray, *, screen_outliers: bool, hide_zero_width: bool) -> _XmrLimits:
    """Mean, average moving range and (near) process limits (spec §3.2; ``ptd_spc_standard``).

    Moving ranges touching a missing value are missing (no bridging). With
    screening, moving ranges ``>= 3.267 × AMR`` are dropped and AMR recomputed
    once; a constant series then keeps no moving range, so AMR and the limits
    are ``NaN`` (spec §4). Limits are ``mean ± 2.66 × AMR``; near limits
    ``mean ± 2 × (2.66 / 3) × AMR``. With ``hide_zero_width``, limits of zero
    width (AMR 0 without screening) are undefined too (spec §4 recommendation).
    """
    mean = _row_mean(y, ~np.isnan(y))
    moving_range = np.abs(np.diff(y, axis=1))
    amr = _row_mean(moving_range, ~np.isnan(moving_range))
    if screen_outliers:
        amr = _row_mean(moving_range, moving_range < MR_SCREEN_FACTOR * amr[:, None])
    lpl, upl = mean - MDC_LIMIT * amr, mean + MDC_LIMIT * amr
    if hide_zero_width:
        hidden = upl == lpl
        amr_for_lines = np.where(hidden, np.nan, amr)
        lpl, upl = np.where(hidden, np.nan, lpl), np.where(hidden, np.nan, upl)
    else:
        amr_for_lines = amr
    return _XmrLimits(
        mean=mean,
        amr=amr,
        lpl=lpl,
        upl=upl,
        near_lpl=mean - NEAR_LIMIT_FACTOR * amr_for_lines,
        near_upl=mean + NEAR_LIMIT_FACTOR * amr_for_lines,
    )


def _special_cause_codes(
    y: FloatArray, xmr: _XmrLimits, run_length: int, trend_length: int
) -> CodeArray:
    """Special-cause label code per point (spec §3.3; ``ptd_special_cause_type``).

    Precedence, first match wins: outside the process limits (R1) → trend (R2)
    → 2 of 3 near a limit (R3) → run on one side of the mean (R4) → common cause.
    Comparisons with a missing value or an undefined limit are False.
    """
    side = _sign(y - xmr.mean[:, None])
    above = side > 0
    outside = (y > xmr.upl[:, None]) | (y < xmr.lpl[:, None])
    close = ~outside & ((y < xmr.near_lpl[:, None]) | (y > xmr.near_upl[:, None]))
    in_trend, trend_up = _trend_rule(y, trend_length)

    codes = np.zeros(y.shape, dtype=np.int8)
    for flagged, high, low, is_high in (  # lowest precedence first: later rules overwrite
        (_run_rule(side, run_length), SpecialCause.RUN_ABOVE, SpecialCause.RUN_BELOW, above),
        (
            _two_in_three_rule(close, side),
            SpecialCause.TWO_IN_THREE_ABOVE,
            SpecialCause.TWO_IN_THREE_BELOW,
            above,
        ),
        (in_trend, SpecialCause.TREND_INCREASING, SpecialCause.TREND_DECREASING, trend_up),
        (outside, SpecialCause.ABOVE_UCL, SpecialCause.BELOW_LCL, above),
    ):
        np.copyto(codes, np.where(is_high, np.int8(high), np.int8(low)), where=flagged)
    return codes


def _trend_rule(y: FloatArray, length: int) -> tuple[BoolArray, BoolArray]:
    """MDC trend rule (spec §3.3 R2): ``length`` points each strictly above/below the previous.

    Returns the points inside any trend window and, for those, whether the
    label says "Increasing": NHSRplotthedots takes the sign of the step to the
    next point when that point is also in a trend, else of the step from the
    previous point, and says "Decreasing" unless that sign is +1.
    """
    step = np.diff(y, axis=1)
    ends = _windows_ending(step > 0, length) | _windows_ending(step < 0, length)
    in_trend = _covered_by_windows(ends, length)
    step_sign = _sign(step)
    n_series = y.shape[0]
    no_step = np.zeros((n_series, 1), dtype=np.int8)
    step_out = np.hstack([step_sign, no_step])
    step_in = np.hstack([no_step, step_sign])
    next_in_trend = np.hstack([in_trend[:, 1:], np.zeros((n_series, 1), dtype=np.bool_)])
    use_next = in_trend & next_in_trend
    increasing = np.where(use_next, step_out, step_in) == 1
    return in_trend, increasing


def _two_in_three_rule(close: BoolArray, side: npt.NDArray[np.int8]) -> BoolArray:
    """MDC 2-of-3 rule (spec §3.3 R3; ``ptd_two_in_three``).

    A 3-point window qualifies when at least 2 points are close to a limit and
    all 3 are on the same side of the mean; a point is flagged when it is close
    and lies in a qualifying window.
    """
    n_points = close.shape[1]
    ends = np.zeros(close.shape, dtype=np.bool_)
    if n_points >= _TWO_IN_THREE_WINDOW:
        close_count = close[:, :-2].astype(np.int8) + close[:, 1:-1] + close[:, 2:]
        side_sum = side[:, :-2] + side[:, 1:-1] + side[:, 2:]
        ends[:, 2:] = (close_count >= 2) & (np.abs(side_sum) == _TWO_IN_THREE_WINDOW)
    return close & _covered_by_windows(ends, _TWO_IN_THREE_WINDOW)


def _run_rule(side: npt.NDArray[np.int8], length: int) -> BoolArray:
    """MDC shift rule (spec §3.3 R4): ``length`` points in a row on one side of the mean.

    A point exactly on the mean (or missing) breaks the run.
    """
    same_side = (side[:, 1:] == side[:, :-1]) & (side[:, 1:] != 0)
    return _covered_by_windows(_windows_ending(same_side, length), length)


def _point_types(codes: CodeArray, direction: Direction) -> CodeArray:
    """Point type code per point from its label and the direction (spec §3.4)."""
    high_type, low_type = _POINT_TYPE_BY_SIDE[direction]
    by_label = np.where(
        _LABEL_SIDE > 0, high_type, np.where(_LABEL_SIDE < 0, low_type, PointTypeCode.COMMON_CAUSE)
    ).astype(np.int8)
    return by_label[codes]


def _assurance(
    targets: FloatArray, lpl: FloatArray, upl: FloatArray, direction: Direction
) -> CodeArray:
    """Assurance code per series (spec §3.6; ``ptd_calculate_assurance_type``).

    Target above the upper limit: fail when higher is better, pass when lower
    is better; below the lower limit: the reverse; otherwise (including equality
    and undefined limits) inconsistent. No target or neutral direction: none.
    """
    if direction is Direction.NEUTRAL:
        return np.full(targets.shape, AssuranceCode.NONE, dtype=np.int8)
    above, below = (
        (AssuranceCode.CONSISTENT_FAIL, AssuranceCode.CONSISTENT_PASS)
        if direction is Direction.INCREASE
        else (AssuranceCode.CONSISTENT_PASS, AssuranceCode.CONSISTENT_FAIL)
    )
    code = np.where(
        targets > upl, above, np.where(targets < lpl, below, AssuranceCode.INCONSISTENT)
    )
    return np.where(np.isnan(targets), AssuranceCode.NONE, code).astype(np.int8)
