"""Runs around a centre line: the primitives shared by the Anhøj and IHI rules.

A *useful observation* is a point that is present, included and not exactly on the
centre line (spec 1.1). A *run* is a maximal block of consecutive useful points on
the same side of the centre line; points on the line and missing points are skipped
(they neither break nor extend a run, spec 1.2 rule 1 and 1.3 item 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qidesk.core.spc.arrays import FloatArray, IntArray

__all__ = ["Runs", "runs_around"]


@dataclass(frozen=True, eq=False)
class Runs:
    """The runs of a sequence of sides.

    ``positions`` are the indices of the useful points (into the sequence given
    to :func:`runs_around`), ``sides`` their side (+1/-1); run ``j`` covers
    ``positions[starts[j] : starts[j] + lengths[j]]`` and lies on ``run_sides[j]``.
    """

    positions: IntArray
    sides: FloatArray
    starts: IntArray
    lengths: IntArray

    @property
    def n_useful(self) -> int:
        """Number of useful observations."""
        return int(self.positions.size)

    @property
    def n_runs(self) -> int:
        """Number of runs (0 when there is no useful observation)."""
        return int(self.lengths.size)

    @property
    def n_crossings(self) -> int:
        """Number of times successive useful points change side (runs − 1, at least 0)."""
        return max(self.n_runs - 1, 0)

    @property
    def longest(self) -> int:
        """Length of the longest run (0 when there is none)."""
        return int(self.lengths.max()) if self.lengths.size else 0

    @property
    def n_above(self) -> int:
        """Number of useful points above the centre line."""
        return int(np.count_nonzero(self.sides > 0))

    @property
    def n_below(self) -> int:
        """Number of useful points below the centre line."""
        return int(np.count_nonzero(self.sides < 0))

    def run_sides(self) -> FloatArray:
        """Side (+1 above / -1 below) of each run."""
        return self.sides[self.starts]


def runs_around(side: FloatArray) -> Runs:
    """Find the runs in ``side`` (+1/-1 = useful, 0 = on the centre line, ``NaN`` = skipped).

    This is the run-length encoding of the useful signs, as qicharts2 ``rle(runs)``
    (spec 1.3 items 1-2).
    """
    positions = np.flatnonzero(np.isfinite(side) & (side != 0)).astype(np.int64)
    sides = side[positions]
    if sides.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Runs(positions, sides, empty, empty)
    change = np.flatnonzero(sides[1:] != sides[:-1]) + 1
    starts = np.concatenate(([0], change)).astype(np.int64)
    lengths = np.diff(np.concatenate((starts, [sides.size]))).astype(np.int64)
    return Runs(positions, sides, starts, lengths)
