"""Anhøj run-chart rules, as implemented in qicharts2 ``runs.analysis`` (spec 1.3).

Sources: J Anhøj & A V Olesen, *Run charts revisited*, PLoS ONE 2014
(doi:10.1371/journal.pone.0113825); J Anhøj, *Diagnostic value of run chart
analysis*, PLoS ONE 2015; M F Schilling, *The surprising predictability of long
runs*, Math Mag 2012 (longest-run limit); Z Chen, *A note on the runs test*,
Model Assist Stat Appl 2010 (crossings limit).

Two whole-phase tests around the chart's own centre line (median of a run chart,
mean or p̄ of a control chart), over the useful observations ``n``:

* unusually long run: ``longest run > round(log2(n)) + 3``;
* too few crossings: ``crossings < qbinom(0.05, n - 1, 0.5)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from qidesk.core.spc.arrays import FloatArray
from qidesk.core.spc.distributions import qbinom_half
from qidesk.core.spc.runs import runs_around

__all__ = ["AnhoejRuns", "anhoej_runs", "crossings_min", "longest_run_max"]

_CROSSINGS_PROBABILITY = Fraction(1, 20)  # 0.05, Chen 2010


def longest_run_max(n_useful: int) -> int:
    """Largest expected longest run for ``n_useful`` useful points: ``round(log2 n) + 3``.

    Schilling 2012 via Anhøj 2014 (spec 1.3 item 3). ``log2`` of an integer is never
    exactly ``x.5``, so ordinary rounding equals R's round-half-even.
    """
    return math.floor(math.log2(n_useful) + 0.5) + 3


def crossings_min(n_useful: int) -> int:
    """Smallest expected number of crossings: ``qbinom(0.05, n - 1, 0.5)`` (spec 1.3 item 4)."""
    return qbinom_half(_CROSSINGS_PROBABILITY, max(n_useful - 1, 0))


@dataclass(frozen=True)
class AnhoejRuns:
    """Anhøj runs analysis of one phase (qicharts2 ``runs.analysis``, spec 1.3).

    The four statistics are ``None`` when there is no useful observation
    (spec 1.3 item 6); then there is no signal.
    """

    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    n_crossings: int | None
    n_crossings_min: int | None

    @property
    def long_run(self) -> bool:
        """True when the longest run is longer than expected."""
        return (
            self.longest_run is not None
            and self.longest_run_max is not None
            and self.longest_run > self.longest_run_max
        )

    @property
    def few_crossings(self) -> bool:
        """True when the centre line is crossed fewer times than expected."""
        return (
            self.n_crossings is not None
            and self.n_crossings_min is not None
            and self.n_crossings < self.n_crossings_min
        )

    @property
    def signal(self) -> bool:
        """The Anhøj runs signal: an unusually long run or too few crossings."""
        return self.long_run or self.few_crossings


def anhoej_runs(side: FloatArray) -> AnhoejRuns:
    """Anhøj runs analysis of the sides of the included points of one phase (spec 1.3).

    ``side`` is ``sign(y - CL)`` per point, ``NaN`` for missing or excluded points;
    points on the centre line (0) and missing points are not useful.
    """
    runs = runs_around(side)
    n = runs.n_useful
    if n == 0:
        return AnhoejRuns(0, None, None, None, None)
    return AnhoejRuns(n, runs.longest, longest_run_max(n), runs.n_crossings, crossings_min(n))
