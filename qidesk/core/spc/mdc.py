"""Making Data Count special-cause rules, as in NHSRplotthedots 0.2.2 (spec section 3).

Sources: NHS England / NHS Improvement, *Making data count* (2018) and *Making data
count: strengthening your decisions* (2019); NHSRplotthedots source
(``ptd_spc_standard``, ``ptd_special_cause_type``, ``ptd_point_type``) and its
vignettes. Every rule works within one rebase group (phase) on all its points:

* R1 outside the process limits (shared rule, see :mod:`.rules`);
* R2 trend: ``length`` points each strictly higher (lower) than the one before;
* R3 two of three: 2 of 3 consecutive points beyond a 2-sigma ("near") line, all
  three on the same side of the mean;
* R4 shift: ``length`` points in a row on one side of the mean; a point on the
  mean breaks the run.

A window containing a missing value never qualifies. (NHSRplotthedots 0.2.2 stops
with an error on some trend windows with a missing value; qidesk skips them, which
is what the package does in every other case — spec 3.3.)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from qidesk.core.spc.arrays import BoolArray, FloatArray, covered, window_hits
from qidesk.core.spc.results import Signal, dense_signals
from qidesk.core.spc.types import RuleId
from qidesk.core.spc.wording import ordinal, side_word, streaks

__all__ = [
    "SHORT_GROUP_WARNING",
    "group_numbers",
    "shift_signals",
    "shift_signals_at",
    "trend_signals",
    "trend_signals_at",
    "two_of_three_signals",
    "two_of_three_signals_at",
]

SHORT_GROUP_WARNING = (
    "Some groups have 'n < 12' observations. These have trial limits, which will be "
    "revised with each additional observation until 'n = fix_after_n_points' has been reached."
)
"""NHSRplotthedots' warning for a rebase group with fewer than 13 rows (spec 3.1)."""


def _trend_points(seq: FloatArray, length: int) -> tuple[BoolArray, BoolArray]:
    """Points inside a trend window, and whether each is labelled "Increasing" (spec 3.3 R2).

    Label direction (``ptd_special_cause_type``): the sign of the step to the next
    point when that point is also in a trend, otherwise of the step from the
    previous point; "Increasing" only when that sign is +1.
    """
    size = seq.size
    if size < length:
        none = np.zeros(size, dtype=np.bool_)
        return none, none.copy()
    with np.errstate(invalid="ignore"):
        steps = np.sign(np.diff(seq))
    flagged = np.zeros(size, dtype=np.bool_)
    for direction in (1.0, -1.0):
        starts = np.asarray(
            sliding_window_view(steps == direction, length - 1).all(axis=1), dtype=np.bool_
        )
        flagged |= covered(starts, length, size)
    next_flagged = np.append(flagged[1:], False)
    step_out = np.append(steps, 0.0)
    step_in = np.insert(steps, 0, 0.0)
    increasing = np.where(flagged & next_flagged, step_out, step_in) == 1
    return flagged, increasing


def trend_signals_at(seq: FloatArray, length: int) -> dict[int, Signal]:
    """MDC R2 at the points where it fires (keyed by index), see :func:`trend_signals`."""
    flagged, increasing = _trend_points(seq, length)
    found: dict[int, Signal] = {}
    for up in (True, False):
        word = "Increasing" if up else "Decreasing"
        signal = Signal(
            RuleId.MDC_TREND,
            f"{length} Point Trend ({word})",
            f"Part of {length} or more points in a row each {'higher' if up else 'lower'} "
            "than the one before",
            1 if up else -1,
        )
        found.update(dict.fromkeys(np.flatnonzero(flagged & (increasing == up)).tolist(), signal))
    return found


def trend_signals(seq: FloatArray, length: int) -> list[Signal | None]:
    """MDC R2 per point: ``"7 Point Trend (Increasing|Decreasing)"`` (spec 3.3)."""
    return dense_signals(trend_signals_at(seq, length), seq.size)


def two_of_three_signals_at(side: FloatArray, near: FloatArray) -> dict[int, Signal]:
    """MDC R3 at the points where it fires (keyed by index), see :func:`two_of_three_signals`."""
    found: dict[int, Signal] = {}
    for direction in (1, -1):
        inside = side == direction
        word = side_word(direction)
        signal = Signal(
            RuleId.MDC_TWO_OF_THREE,
            f"2 in 3 {word.capitalize()} CL",
            f"2 of 3 points in a row close to the {'upper' if direction > 0 else 'lower'} "
            f"limit (beyond 2 sigma), all {word} the mean",
            direction,
        )
        flagged = window_hits(inside, inside & (near == 1.0), 3, 2)
        found.update(dict.fromkeys(np.flatnonzero(flagged).tolist(), signal))
    return found


def two_of_three_signals(side: FloatArray, near: FloatArray) -> list[Signal | None]:
    """MDC R3 per point: ``"2 in 3 Above|Below CL"`` (spec 3.3).

    A 3-point window qualifies when at least 2 of its points are near a limit (beyond
    the 2-sigma line, not beyond the limit) and all 3 are on the same side of the
    mean; a point is flagged when it is itself near and lies in a qualifying window.
    """
    return dense_signals(two_of_three_signals_at(side, near), side.size)


def shift_signals_at(side: FloatArray, length: int, rule: RuleId, centre: str) -> dict[int, Signal]:
    """:func:`shift_signals` at the points where it fires (keyed by index).

    Points with the same reason share one :class:`Signal`.
    """
    found: dict[int, Signal] = {}
    for direction in (1, -1):
        same = side == direction
        flagged = np.flatnonzero(window_hits(same, same, length, length))
        position, block = streaks(same)
        word = side_word(direction)
        label = f"{length} Points {word.capitalize()} CL"
        made: dict[int, Signal] = {}  # by k (k-th point in a row) or -block (part of a run)
        for i, k, run in zip(
            flagged.tolist(), position[flagged].tolist(), block[flagged].tolist(), strict=True
        ):
            key = k if k >= length else -run
            signal = made.get(key)
            if signal is None:
                reason = (
                    f"{ordinal(k)} point in a row {word} the {centre}"
                    if k >= length
                    else f"Part of a run of {run} points in a row {word} the {centre}"
                )
                signal = made[key] = Signal(rule, label, reason, direction)
            found[i] = signal
    return found


def shift_signals(side: FloatArray, length: int, rule: RuleId, centre: str) -> list[Signal | None]:
    """``length`` points in a row on one side of the centre; a point on it breaks the run.

    MDC R4 ``"7 Points Above|Below CL"`` (spec 3.3) and the Western Electric
    "8 in a row" rule (``rule`` and the ``centre`` word differ).
    """
    return dense_signals(shift_signals_at(side, length, rule, centre), side.size)


def group_numbers(
    dates: Sequence[date], rebase: Sequence[date], *, exact: bool = False
) -> list[int]:
    """NHSRplotthedots rebase group of each point (spec 3.1).

    The group number is the number of rebase dates reached. With ``exact`` (what
    NHSRplotthedots does: ``cumsum(date %in% rebase)``) only a rebase date equal to a
    point's date counts, and starts the group at that point; other dates are
    ignored. Otherwise (qidesk's default) each rebase date starts a group at the
    first point on or after it, so a date between two points starts it at the next
    point; dates before the first point are ignored.
    """
    if exact:
        wanted = set(rebase)
        out: list[int] = []
        group = 0
        for d in dates:
            group += d in wanted
            out.append(group)
        return out
    if not dates:
        return []
    first = dates[0]
    starts = sorted({d for d in rebase if d >= first})
    out = []
    group = 0
    for d in dates:
        while group < len(starts) and starts[group] <= d:
            group += 1
        out.append(group)
    return out
