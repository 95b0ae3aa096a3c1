"""IHI run-chart rules (Perla, Provost & Murray 2011; spec 1.2).

Source: R J Perla, L P Provost, S K Murray, *The run chart: a simple analytical
tool for learning from variation in healthcare processes*, BMJ Qual Saf
2011;20:46–51 (doi:10.1136/bmjqs.2009.037895); Provost & Murray, *The Health Care
Data Guide* (2011), ch. 3.

* Rule 1, shift: ``length`` (6) or more consecutive useful points on one side of
  the median; points on the median and missing points are skipped.
* Rule 2, trend: ``length`` (5) or more points all going up or all going down;
  equal neighbours count as one point.
* Rule 3, runs: too few or too many runs for the number of useful points. The
  limits come from the exact Swed & Eisenhart (1943) distribution computed by
  :func:`~qidesk.core.spc.distributions.runs_limits`, conditional on the observed
  numbers of points above and below the centre line, 2.5 % in each tail. (The
  printed Perla 2011 Table 1 could not be verified; see ``docs/spc.md``.)
  Not applied below ``min_useful`` (10) useful observations.
* Rule 4, astronomical point: a judgement, never computed. qidesk only marks
  *candidates* — points outside the I-chart limits of the plotted values.
"""

from __future__ import annotations

import numpy as np

from qidesk.core.spc.arrays import BoolArray, FloatArray
from qidesk.core.spc.distributions import runs_limits
from qidesk.core.spc.limits import ChartInput, i_chart_lines
from qidesk.core.spc.results import RunsCount, Signal, dense_signals
from qidesk.core.spc.runs import runs_around
from qidesk.core.spc.types import RuleId, XmrScale
from qidesk.core.spc.wording import side_word

__all__ = [
    "astronomical_candidates",
    "runs_count",
    "runs_count_signals",
    "runs_table",
    "shift_signals",
    "shift_signals_at",
    "trend_signals",
    "trend_signals_at",
]


def shift_signals_at(side: FloatArray, length: int, centre: str) -> dict[int, Signal]:
    """IHI rule 1 at the points where it fires (keyed by index), see :func:`shift_signals`."""
    found: dict[int, Signal] = {}
    runs = runs_around(side)
    long_runs = np.flatnonzero(runs.lengths >= length)
    for start, run_length, run_side in zip(
        runs.starts[long_runs].tolist(),
        runs.lengths[long_runs].tolist(),
        runs.run_sides()[long_runs].tolist(),
        strict=True,
    ):
        first = int(runs.positions[start])
        last = int(runs.positions[start + run_length - 1])
        direction = 1 if run_side > 0 else -1
        word = side_word(direction)
        signal = Signal(
            RuleId.IHI_SHIFT,
            f"Shift {word.capitalize()} CL",
            f"Part of a shift: {run_length} points in a row {word} the {centre} "
            f"({length} or more is a signal)",
            direction,
        )
        found.update(dict.fromkeys(range(first, last + 1), signal))
    return found


def shift_signals(side: FloatArray, length: int, centre: str) -> list[Signal | None]:
    """IHI rule 1 (shift) per point (spec 1.2).

    Maximal runs of useful points on one side (points on the centre line and
    missing points skipped); every run of ``length`` or more is a shift. All points
    from the first to the last of the run are flagged, including points on the
    centre line (and missing points) that lie between them.
    """
    return dense_signals(shift_signals_at(side, length, centre), side.size)


def trend_signals_at(seq: FloatArray, length: int) -> dict[int, Signal]:
    """IHI rule 2 at the points where it fires (keyed by index), see :func:`trend_signals`."""
    found: dict[int, Signal] = {}
    where = np.flatnonzero(~np.isnan(seq))
    values = seq[where]
    if values.size == 0:
        return found
    new_block = np.concatenate(([True], values[1:] != values[:-1]))
    block_of = np.cumsum(new_block) - 1  # non-decreasing: a block's points are contiguous
    steps = np.sign(np.diff(values[new_block]))
    step_runs = runs_around(steps)
    trends = np.flatnonzero(step_runs.lengths + 1 >= length)
    for start, n_steps, direction in zip(
        step_runs.starts[trends].tolist(),
        step_runs.lengths[trends].tolist(),
        step_runs.run_sides()[trends].tolist(),
        strict=True,
    ):
        first_block = int(step_runs.positions[start])
        up = direction > 0
        signal = Signal(
            RuleId.IHI_TREND,
            f"Trend ({'Increasing' if up else 'Decreasing'})",
            f"Part of a trend: {n_steps + 1} points in a row going {'up' if up else 'down'} "
            f"({length} or more is a signal; equal values count once)",
            1 if up else -1,
        )
        # the points of blocks first_block .. first_block + n_steps
        low = int(np.searchsorted(block_of, first_block, side="left"))
        high = int(np.searchsorted(block_of, first_block + n_steps, side="right"))
        for i in where[low:high].tolist():
            found.setdefault(i, signal)  # a point in two trends keeps the first
    return found


def trend_signals(seq: FloatArray, length: int) -> list[Signal | None]:
    """IHI rule 2 (trend) per point (spec 1.2).

    Missing values are dropped and each block of equal consecutive values collapsed
    to one value; a strictly rising (falling) run of ``length`` or more collapsed
    values is a trend. Every original point of those values is flagged (repeats
    too, missing points not). A point in two trends keeps the first.
    """
    return dense_signals(trend_signals_at(seq, length), seq.size)


def runs_count(side: FloatArray, min_useful: int, *, with_limits: bool = True) -> RunsCount:
    """IHI rule 3: number of runs and its limits for one phase (spec 1.2).

    ``side`` holds ``sign(y - CL)`` per point (``NaN`` = missing or excluded). The
    limits are ``None`` below ``min_useful`` useful observations, or when not asked
    for (``with_limits=False``: the exact distribution is only worked out when the
    rule is in use).
    """
    runs = runs_around(side)
    lower: int | None = None
    upper: int | None = None
    if with_limits and runs.n_useful >= max(min_useful, 1):
        lower, upper = runs_limits(runs.n_above, runs.n_below)
    return RunsCount(runs.n_useful, runs.n_above, runs.n_below, runs.n_runs, lower, upper)


def runs_count_signals(count: RunsCount) -> tuple[Signal, ...]:
    """Phase-level signals of IHI rule 3: too few or too many runs."""
    if count.too_few:
        return (
            Signal(
                RuleId.IHI_TOO_FEW_RUNS,
                "Too few runs",
                f"Only {count.n_runs} runs, fewer than expected (at least {count.lower} "
                f"for {count.n_useful} useful points)",
                0,
            ),
        )
    if count.too_many:
        return (
            Signal(
                RuleId.IHI_TOO_MANY_RUNS,
                "Too many runs",
                f"{count.n_runs} runs, more than expected (at most {count.upper} "
                f"for {count.n_useful} useful points)",
                0,
            ),
        )
    return ()


def runs_table(n_useful: int) -> tuple[int, int]:
    """Runs limits by number of useful points, assuming equal halves above and below.

    This is the shape of Perla 2011 Table 1 (indexed by useful observations only):
    ``runs_limits(n // 2, n - n // 2)``. Shown to users as a guide; the rule itself
    uses the observed split (:func:`runs_count`).
    """
    return runs_limits(n_useful // 2, n_useful - n_useful // 2)


def astronomical_candidates(value: FloatArray, base: BoolArray) -> BoolArray:
    """Points outside the I-chart limits of the plotted values (IHI rule 4 hint, spec 1.2).

    Only a *candidate* for the user's judgement, never a signal. The limits are
    those of qicharts2's screened I chart over ``base``.
    """
    lines = i_chart_lines(ChartInput(value, base, screen=True, scale=XmrScale.QICHARTS2))
    with np.errstate(invalid="ignore"):
        flagged = (value > lines.upper[2]) | (value < lines.lower[2])
    return np.asarray(flagged, dtype=np.bool_)
