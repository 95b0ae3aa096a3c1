"""Numeric helpers shared by the SPC modules: R-like missing-value handling and windows.

Missing values are ``NaN`` throughout. Three-valued logic ("tri" arrays) follows R:
``1.0`` = TRUE, ``0.0`` = FALSE, ``NaN`` = NA, so that the oracles' ``NA`` results
(e.g. ``outside_limits`` of a missing point) can be reproduced exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

__all__ = [
    "BoolArray",
    "FloatArray",
    "IntArray",
    "covered",
    "divide",
    "mean_of",
    "median_of",
    "power",
    "sd_of",
    "sum_of",
    "to_float_array",
    "tri_and",
    "tri_compare",
    "tri_not",
    "tri_or",
    "window_hits",
]


def to_float_array(values: Sequence[float | None] | npt.NDArray[Any]) -> FloatArray:
    """``values`` as a 1-D float array; ``None`` becomes ``NaN``."""
    if isinstance(values, np.ndarray):
        return np.asarray(values, dtype=np.float64).reshape(-1)
    seq = [math.nan if v is None else v for v in values]
    return np.asarray(seq, dtype=np.float64).reshape(-1)


def _long_double_sum(values: npt.NDArray[np.longdouble]) -> np.longdouble:
    """Sum accumulated one value after the other in long double, as R's C loops.

    ``np.cumsum`` is strictly sequential (``np.sum`` may sum pairwise, which rounds
    differently from R).
    """
    if values.size == 0:
        return np.longdouble(0.0)
    total: np.longdouble = np.cumsum(values)[-1]
    return total


def sum_of(values: FloatArray) -> float:
    """Sum of the non-missing values (0 when none), as R ``sum(na.rm = TRUE)``.

    R (``rsum`` in ``summary.c``) adds the values one by one in long double
    (``LDOUBLE``, 80-bit on x86-64) and rounds the total to a double once.
    """
    kept = values[~np.isnan(values)].astype(np.longdouble)
    with np.errstate(invalid="ignore", over="ignore"):
        return float(_long_double_sum(kept))


def mean_of(values: FloatArray) -> float:
    """Mean of the non-missing values (``NaN`` when there are none), as R ``mean(na.rm=TRUE)``.

    R's algorithm (``summary.c``), operation by operation: ``s = Σx / n`` with the
    sum accumulated sequentially in long double; if ``s`` is finite, ``s += Σ(x - s) / n``
    (again a sequential long-double sum); then ``s`` is rounded to a double. A
    constant series thus has exactly its value as mean, and a value that R finds
    exactly on the mean is found on it here too (an exactly rounded sum is not the
    same: it can disagree with R by one unit in the last place). With an infinite
    value the mean is ±Inf (or ``NaN`` for +Inf and -Inf), as in R.
    """
    kept = values[~np.isnan(values)].astype(np.longdouble)
    if kept.size == 0:
        return math.nan
    with np.errstate(invalid="ignore", over="ignore"):
        mean = _long_double_sum(kept) / kept.size
        if np.isfinite(mean):
            mean = mean + _long_double_sum(kept - mean) / kept.size
        return float(mean)


def sd_of(values: FloatArray) -> float:
    """Standard deviation of the non-missing values, as R ``sd(na.rm = TRUE)``.

    ``NaN`` below two values. R (``cov.c``): the mean as :func:`mean_of`, rounded to
    a double, then ``Σ(x - mean)²`` accumulated in long double, divided by ``n - 1``,
    rounded to a double, square root.
    """
    kept = values[~np.isnan(values)]
    if kept.size < 2:
        return math.nan
    with np.errstate(invalid="ignore", over="ignore"):
        centred = kept.astype(np.longdouble) - np.longdouble(mean_of(kept))
        variance = float(_long_double_sum(centred * centred) / (kept.size - 1))
    return math.sqrt(variance) if variance >= 0 else math.nan


def median_of(values: FloatArray) -> float:
    """Median of the non-missing values (``NaN`` when none), as R ``median(na.rm=TRUE)``.

    For an even count R takes ``mean()`` of the two middle values, i.e. :func:`mean_of`.
    """
    kept = np.sort(values[~np.isnan(values)])
    size = kept.size
    if size == 0:
        return math.nan
    half = size // 2
    if size % 2:
        return float(kept[half])
    return mean_of(kept[half - 1 : half + 1])


def power(values: FloatArray, exponent: float) -> FloatArray:
    """``values ** exponent`` element by element with the C library's ``pow``, as R on Linux.

    R's ``^`` calls ``pow()`` from the C library (``R_pow``); NumPy's vectorised
    ``np.power`` may use its own SIMD code, which differs from it by one unit in the
    last place for some values. A negative value with a fractional exponent is
    ``NaN`` (as in R), ``NaN`` stays ``NaN`` and ``+Inf`` gives ``+Inf``.
    """
    out = [math.pow(v, exponent) if v >= 0 else math.nan for v in values.ravel().tolist()]
    return np.asarray(out, dtype=np.float64).reshape(values.shape)


def divide(numerator: float, denominator: float) -> float:
    """``numerator / denominator`` with IEEE (and R) semantics: ``x/0`` is ±Inf, ``0/0`` NaN."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(numerator) / np.float64(denominator))


def tri_compare(left: FloatArray, right: FloatArray, op: str) -> FloatArray:
    """``left < right`` (``op="<"``) or ``left > right`` (``">"``), ``NaN`` where either is NA."""
    with np.errstate(invalid="ignore"):
        result = (left < right) if op == "<" else (left > right)
    unknown = np.isnan(left) | np.isnan(right)
    return np.where(unknown, np.nan, result.astype(np.float64))


def tri_or(left: FloatArray, right: FloatArray) -> FloatArray:
    """R ``|``: TRUE if either is TRUE, else NA if either is NA, else FALSE."""
    either_true = (left == 1.0) | (right == 1.0)
    either_na = np.isnan(left) | np.isnan(right)
    return np.where(either_true, 1.0, np.where(either_na, np.nan, 0.0))


def tri_and(left: FloatArray, right: FloatArray) -> FloatArray:
    """R ``&``: FALSE if either is FALSE, else NA if either is NA, else TRUE."""
    either_false = (left == 0.0) | (right == 0.0)
    either_na = np.isnan(left) | np.isnan(right)
    return np.where(either_false, 0.0, np.where(either_na, np.nan, 1.0))


def tri_not(values: FloatArray) -> FloatArray:
    """R ``!``: NA stays NA."""
    return 1.0 - values


def covered(starts: BoolArray, length: int, size: int) -> BoolArray:
    """Points covered by windows of ``length`` points starting where ``starts`` is True.

    ``starts`` has one entry per window start (``size - length + 1`` entries); the
    result has ``size`` entries.
    """
    if starts.size == 0:
        return np.zeros(size, dtype=np.bool_)
    counts = np.convolve(starts.astype(np.int64), np.ones(length, dtype=np.int64))
    return counts[:size] > 0


def window_hits(inside: BoolArray, hit: BoolArray, length: int, min_hits: int) -> BoolArray:
    """Flag the ``hit`` points of every qualifying window of ``length`` consecutive points.

    A window qualifies when every point of it is ``inside`` and at least
    ``min_hits`` of its points are ``hit`` (``hit`` implies ``inside`` is the
    caller's business). Used for "k of m points ..." and "m in a row" rules.
    """
    size = inside.size
    if size < length:
        return np.zeros(size, dtype=np.bool_)
    all_inside = sliding_window_view(inside, length).all(axis=1)
    hits = sliding_window_view(hit & inside, length).sum(axis=1)
    qualifying = all_inside & (hits >= min_hits)
    return covered(qualifying, length, size) & hit
