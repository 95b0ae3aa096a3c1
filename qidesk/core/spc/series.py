"""Turn raw input (values, denominators, subgroup labels) into the values a chart plots.

Spec 2.1 (ratios), 2.7 (subgroups) and 2.8 (T chart domain):

* with denominators the plotted value is ``y / n`` (a C chart plots ``y``); a point
  is missing when ``y`` or ``n`` is missing, and ``n = 0`` is treated as missing —
  unless ``zero_denominator_quirk`` asks for R's arithmetic (qicharts2 and the ``y / n``
  given to NHSRplotthedots): then ``y / 0`` is ``+Inf`` (``NaN`` for ``0 / 0``), the pair
  still counts in the pooled sums, and a C chart plots the count;
* with subgroup labels each subgroup becomes one point, in ascending label order
  (qicharts2 orders its points by the sorted ``x``; labels that cannot be compared keep
  their order of first appearance; ``None`` labels are dropped, as qicharts2 drops a
  missing ``x``): its size (non-missing values), mean and standard deviation (R
  ``mean`` and ``sd``); a C chart plots the subgroup's total; with denominators
  ``Σy / Σn``;
* a T chart refuses values <= 0 and keeps ``z = y^(1/3.6)`` (``transformed``) for its
  limits; it plots ``z^3.6``, the round trip qicharts2 plots, so that values and
  centre line (``mean(z)^3.6``) compare exactly as in qicharts2;
* a ratio chart without denominators has every point missing, and an Xbar or S
  chart without subgroup labels has subgroups of one (no limits): never an error.

Infinite inputs are treated as missing.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from qidesk.core.spc.arrays import FloatArray, mean_of, power, sd_of, sum_of, to_float_array
from qidesk.core.spc.limits import T_POWER
from qidesk.core.spc.types import ChartType, SpcDomainError

__all__ = ["RATIO_CHARTS", "Series", "prepare_series", "subgroup_keys"]

RATIO_CHARTS = frozenset({ChartType.P, ChartType.PP, ChartType.U, ChartType.UP})
"""Charts that need a denominator for every point."""

Numbers = Sequence[float | None] | FloatArray


@dataclass(frozen=True, eq=False)
class Series:
    """Per-point input of a chart (one entry per plotted point; ``NaN`` = missing).

    ``zero_denominators`` lists the 0-based points whose denominator was 0;
    ``transformed`` holds a T chart's ``y^(1/3.6)`` (``None`` for other charts).
    """

    value: FloatArray
    numerator: FloatArray | None
    denominator: FloatArray | None
    size: FloatArray | None
    sd: FloatArray | None
    zero_denominators: tuple[int, ...] = ()
    transformed: FloatArray | None = None

    @property
    def length(self) -> int:
        """Number of plotted points."""
        return int(self.value.size)


def _clean(values: Numbers) -> FloatArray:
    """``values`` as floats with ``None`` and ±Inf as ``NaN`` (missing)."""
    data = to_float_array(values)
    return np.where(np.isfinite(data), data, np.nan)


def subgroup_keys(labels: Sequence[Hashable]) -> list[Hashable]:
    """Distinct subgroup labels in plotting order: ascending, as qicharts2 (``None`` dropped).

    Labels that cannot be sorted together (e.g. numbers and text mixed) keep their
    order of first appearance.
    """
    distinct: list[Any] = [key for key in dict.fromkeys(labels) if key is not None]
    try:
        return sorted(distinct)
    except TypeError:
        return distinct


def _aggregate(
    values: FloatArray, denominators: FloatArray | None, labels: Sequence[Hashable]
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray | None, FloatArray | None]:
    """Per subgroup: mean, sd, size, total, and summed numerator / denominator (``qic.agg``).

    Size counts the non-missing values; mean and sd are R's ``mean`` and ``sd``; the
    total is R's ``sum`` of the non-missing values (missing when there are none).
    With denominators only complete (value, denominator) pairs are summed.
    """
    keys = subgroup_keys(labels)
    where = {key: i for i, key in enumerate(keys)}
    members: list[list[int]] = [[] for _ in keys]
    for row, label in enumerate(labels):
        if label is not None:
            members[where[label]].append(row)
    groups = len(keys)
    mean, sd, size, total = (np.full(groups, np.nan) for _ in range(4))
    y_sum = n_sum = None
    if denominators is not None:
        y_sum, n_sum = np.full(groups, np.nan), np.full(groups, np.nan)
    for group, rows in enumerate(members):
        own = values[rows]
        present = own[~np.isnan(own)]
        size[group] = present.size
        mean[group] = mean_of(own)
        sd[group] = sd_of(own)
        total[group] = sum_of(own) if present.size else math.nan
        if y_sum is not None and n_sum is not None and denominators is not None:
            pair = ~np.isnan(own) & ~np.isnan(denominators[rows])
            if pair.any():
                y_sum[group] = sum_of(own[pair])
                n_sum[group] = sum_of(denominators[rows][pair])
    return mean, sd, size, total, y_sum, n_sum


def _ratio(
    numerator: FloatArray, denominator: FloatArray, *, quirk: bool
) -> tuple[FloatArray, FloatArray, FloatArray, tuple[int, ...]]:
    """Numerator, denominator and ``y/n`` with incomplete pairs missing.

    ``n = 0`` is missing too, unless ``quirk``: then the pair is kept and ``y/0`` is
    what R computes (``±Inf``, or ``NaN`` for ``0/0``).
    """
    zero = np.flatnonzero(denominator == 0)
    missing = np.isnan(numerator) | np.isnan(denominator)
    if not quirk:
        missing |= denominator == 0
    num = np.where(missing, np.nan, numerator)
    den = np.where(missing, np.nan, denominator)
    with np.errstate(invalid="ignore", divide="ignore"):
        return num, den, num / den, tuple(zero.tolist())


def prepare_series(
    values: Numbers,
    *,
    chart: ChartType,
    denominators: Numbers | None = None,
    subgroups: Sequence[Hashable] | None = None,
    zero_denominator_quirk: bool = False,
) -> Series:
    """The plotted values and their side data for ``chart`` (spec 2.1, 2.7, 2.8).

    ``zero_denominator_quirk`` keeps ``y / 0`` as R computes it (see the module notes).

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
        mean, sd, size, total, y_sum, n = _aggregate(y, n, subgroups)
        y = sd if chart is ChartType.S else mean
        if y_sum is not None and not chart.is_subgrouped:
            y = y_sum
        elif chart.is_subgrouped:
            n = None
        elif chart is ChartType.C:
            y = total  # qicharts2 qic.c plots the subgroup's sum, whatever agg.fun
    num = None
    zero: tuple[int, ...] = ()
    if n is not None:
        num, n, ratio, zero = _ratio(y, n, quirk=zero_denominator_quirk)
        y = num if chart is ChartType.C else ratio
    transformed = None
    if chart is ChartType.T:
        _check_positive(y)
        transformed = power(y, 1 / T_POWER)
        y = power(transformed, T_POWER)
    return Series(y, num, n, size, sd, zero, transformed)


def _check_positive(values: FloatArray) -> None:
    """Refuse a T chart with a time between events <= 0 (spec 2.8, qicharts2 ``qic.t``)."""
    bad = np.flatnonzero(values <= 0)
    if bad.size:
        first = int(bad[0])
        raise SpcDomainError(
            "A T chart needs every time between events to be greater than zero; "
            f"point {first + 1} is {values[first]:g}. Correct the data or choose another chart."
        )
