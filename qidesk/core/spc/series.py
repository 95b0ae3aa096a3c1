"""Turn raw input (values, denominators, subgroup labels) into the values a chart plots.

Spec 2.1 (ratios), 2.7 (subgroups) and 2.8 (T chart domain):

* with denominators the plotted value is ``y / n`` (a C chart plots ``y``); a point
  is missing when ``y`` or ``n`` is missing, and ``n = 0`` is treated as missing;
* with subgroup labels each subgroup becomes one point: its size (non-missing
  values), mean and standard deviation; with denominators ``Σy / Σn``;
* a T chart refuses values <= 0, and plots each value after the round trip through
  its transform, as qicharts2 does, so that values and centre line compare exactly;
* a ratio chart without denominators has every point missing, and an Xbar or S
  chart without subgroup labels has subgroups of one (no limits): never an error.

Infinite inputs are treated as missing.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

from qidesk.core.spc.arrays import FloatArray, to_float_array
from qidesk.core.spc.limits import T_POWER
from qidesk.core.spc.types import ChartType, SpcDomainError

__all__ = ["RATIO_CHARTS", "Series", "prepare_series", "subgroup_keys"]

RATIO_CHARTS = frozenset({ChartType.P, ChartType.PP, ChartType.U, ChartType.UP})
"""Charts that need a denominator for every point."""

Numbers = Sequence[float | None] | FloatArray


@dataclass(frozen=True, eq=False)
class Series:
    """Per-point input of a chart (one entry per plotted point; ``NaN`` = missing).

    ``zero_denominators`` lists the 0-based points whose denominator was 0.
    """

    value: FloatArray
    numerator: FloatArray | None
    denominator: FloatArray | None
    size: FloatArray | None
    sd: FloatArray | None
    zero_denominators: tuple[int, ...] = ()

    @property
    def length(self) -> int:
        """Number of plotted points."""
        return int(self.value.size)


def _clean(values: Numbers) -> FloatArray:
    """``values`` as floats with ``None`` and ±Inf as ``NaN`` (missing)."""
    data = to_float_array(values)
    return np.where(np.isfinite(data), data, np.nan)


def subgroup_keys(labels: Sequence[Hashable]) -> list[Hashable]:
    """Distinct subgroup labels in order of first appearance."""
    return list(dict.fromkeys(labels))


def _aggregate(
    values: FloatArray, denominators: FloatArray | None, labels: Sequence[Hashable]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None, FloatArray | None]:
    """Per subgroup: mean, sd, size, and summed numerator / denominator (qicharts2 ``qic.agg``).

    Size counts the non-missing values; the sd needs two of them. With denominators
    only complete (value, denominator) pairs are summed.
    """
    where = {key: i for i, key in enumerate(subgroup_keys(labels))}
    codes = np.fromiter((where[label] for label in labels), dtype=np.int64, count=len(labels))
    groups = len(where)
    kept = ~np.isnan(values)
    size = np.bincount(codes[kept], minlength=groups).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(codes[kept], weights=values[kept], minlength=groups) / size
        residual = (values - mean[codes])[kept]
        squares = np.bincount(codes[kept], weights=residual**2, minlength=groups)
        sd = np.where(size > 1, np.sqrt(squares / (size - 1)), np.nan)
    if denominators is None:
        return mean, sd, size, None, None
    pair = kept & ~np.isnan(denominators)
    y_sum = np.bincount(codes[pair], weights=values[pair], minlength=groups)
    n_sum = np.bincount(codes[pair], weights=denominators[pair], minlength=groups)
    has_pair = np.bincount(codes[pair], minlength=groups) > 0
    return mean, sd, size, np.where(has_pair, y_sum, np.nan), np.where(has_pair, n_sum, np.nan)


def _ratio(
    numerator: FloatArray, denominator: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[int, ...]]:
    """Numerator, denominator and ``y/n`` with incomplete pairs and ``n = 0`` missing."""
    zero = np.flatnonzero(denominator == 0)
    missing = np.isnan(numerator) | np.isnan(denominator) | (denominator == 0)
    num = np.where(missing, np.nan, numerator)
    den = np.where(missing, np.nan, denominator)
    with np.errstate(invalid="ignore"):
        return num, den, num / den, tuple(zero.tolist())


def prepare_series(
    values: Numbers,
    *,
    chart: ChartType,
    denominators: Numbers | None = None,
    subgroups: Sequence[Hashable] | None = None,
) -> Series:
    """The plotted values and their side data for ``chart`` (spec 2.1, 2.7, 2.8).

    Raises:
        ValueError: lengths of ``values``, ``denominators`` and ``subgroups`` differ.
        SpcDomainError: a T chart with a value <= 0.

    """
    y = _clean(values)
    n = None if denominators is None else _clean(denominators)
    if n is not None and n.size != y.size:
        raise ValueError("values and denominators must have the same length")
    if subgroups is not None and len(subgroups) != y.size:
        raise ValueError("values and subgroups must have the same length")
    if n is None and chart in RATIO_CHARTS:
        n = np.full(y.size, np.nan)  # no denominators: every point is missing
    if subgroups is None and chart.is_subgrouped:
        subgroups = range(y.size)  # each value its own subgroup of one: no limits
    size = sd = None
    if subgroups is not None:
        mean, sd, size, y_sum, n = _aggregate(y, n, subgroups)
        y = sd if chart is ChartType.S else mean
        if y_sum is not None and not chart.is_subgrouped:
            y = y_sum
        elif chart.is_subgrouped:
            n = None
    num = None
    zero: tuple[int, ...] = ()
    if n is not None:
        num, n, ratio, zero = _ratio(y, n)
        y = num if chart is ChartType.C else ratio
    if chart is ChartType.T:
        _check_positive(y)
        y = np.power(np.power(y, 1 / T_POWER), T_POWER)
    return Series(y, num, n, size, sd, zero)


def _check_positive(values: FloatArray) -> None:
    """Refuse a T chart with a time between events <= 0 (spec 2.8, qicharts2 ``qic.t``)."""
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        first = int(bad[0])
        raise SpcDomainError(
            "A T chart needs every time between events to be greater than zero; "
            f"point {first + 1} is {values[first]:g}. Correct the data or choose another chart."
        )
