"""Exact discrete distributions behind the run-chart rules, in integer arithmetic.

* :func:`qbinom_half` — the binomial quantile used by the Anhøj crossings rule
  (spec 1.3 item 4; Chen 2010), without floating point or scipy.
* :func:`runs_ways`, :func:`runs_distribution` and :func:`runs_limits` — the
  Swed & Eisenhart (1943) distribution of the number of runs, used by the IHI
  "too few / too many runs" rule (spec 1.2 rule 3).

Probabilities are compared as integers (``count × denominator`` against
``numerator × total``), so there is no rounding anywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from math import comb

__all__ = ["qbinom_half", "runs_distribution", "runs_limits", "runs_ways"]


@lru_cache(maxsize=4096)
def qbinom_half(probability: Fraction, size: int) -> int:
    """R ``qbinom(probability, size, 0.5)``: the smallest ``k`` with ``P(X <= k) >= probability``.

    ``X ~ Binomial(size, 1/2)``, so ``P(X <= k) = Σ_{j<=k} C(size, j) / 2^size``; the
    test ``Σ C(size, j) × q >= p × 2^size`` (``probability = p/q``) is done in integers
    (spec 1.3 item 4: ``crossings_min = qbinom(0.05, n - 1, 0.5)``). ``size`` 0 gives 0.
    """
    target = probability.numerator * 2**size
    scale = probability.denominator
    cumulative, term = 0, 1  # term = C(size, k)
    for k in range(size):
        cumulative += term
        if cumulative * scale >= target:
            return k
        term = term * (size - k) // (k + 1)
    return size


def runs_ways(n_above: int, n_below: int, runs: int) -> int:
    """Number of arrangements of ``n_above`` and ``n_below`` points with exactly ``runs`` runs.

    Swed & Eisenhart (1943), with ``a = n_above - 1``, ``b = n_below - 1``:

    * ``runs = 2k``:   ``2 C(a, k-1) C(b, k-1)``
    * ``runs = 2k+1``: ``C(a, k) C(b, k-1) + C(a, k-1) C(b, k)``

    Out of ``C(n_above + n_below, n_above)`` equally likely arrangements. Both sides
    must be non-empty.
    """
    a, b, k = n_above - 1, n_below - 1, runs // 2
    if runs < 2:
        return 0
    if runs % 2 == 0:
        return 2 * comb(a, k - 1) * comb(b, k - 1)
    return comb(a, k) * comb(b, k - 1) + comb(a, k - 1) * comb(b, k)


def runs_distribution(n_above: int, n_below: int) -> tuple[Fraction, ...]:
    """Exact distribution of the number of runs: entry ``r`` is ``P(R = r)``.

    With no point on one side there is one run with certainty.
    """
    total_points = n_above + n_below
    probs = [Fraction(0)] * (total_points + 1)
    if n_above == 0 or n_below == 0:
        if total_points:
            probs[1] = Fraction(1)
        return tuple(probs)
    arrangements = comb(total_points, n_above)
    for runs in range(2, total_points + 1):
        probs[runs] = Fraction(runs_ways(n_above, n_below, runs), arrangements)
    return tuple(probs)


def _binomials(n: int) -> list[int]:
    """``[C(n, 0), C(n, 1), …, C(n, n)]`` by the multiplicative recurrence."""
    row = [1]
    for j in range(n):
        row.append(row[-1] * (n - j) // (j + 1))
    return row


def _ways_table(n_above: int, n_below: int) -> Callable[[int], int]:
    """:func:`runs_ways` for one split, with the binomials computed once (fast tails)."""
    above, below = _binomials(n_above - 1), _binomials(n_below - 1)

    def c(row: list[int], j: int) -> int:
        """``C(len(row) - 1, j)``, 0 outside the row."""
        return row[j] if 0 <= j < len(row) else 0

    def ways(runs: int) -> int:
        """:func:`runs_ways` from the precomputed rows."""
        k = runs // 2
        if runs % 2 == 0:
            return 2 * c(above, k - 1) * c(below, k - 1)
        return c(above, k) * c(below, k - 1) + c(above, k - 1) * c(below, k)

    return ways


def _tail_end(ways: Callable[[int], int], first: int, step: int, budget: int, scale: int) -> int:
    """Walk run counts from ``first`` by ``step`` until the summed ways exceed ``budget / scale``.

    Returns the run count at which the tail probability first exceeds the budget.
    Terminates because the budget is below the whole distribution (``tail < 1``).
    """
    taken, runs = 0, first
    while True:
        taken += ways(runs)
        if taken * scale > budget:
            return runs
        runs += step


@lru_cache(maxsize=4096)
def runs_limits(n_above: int, n_below: int, tail: Fraction = Fraction(1, 40)) -> tuple[int, int]:
    """Lower and upper limits for the number of runs, ``tail`` risk in each tail.

    ``lower`` is the largest ``L`` with ``P(R < L) <= tail``; ``upper`` the smallest
    ``U`` with ``P(R > U) <= tail``. "Too few runs" means ``R < lower``, "too many"
    ``R > upper`` (spec 1.2 rule 3). The default ``tail`` is 2.5 % (5 % in total).
    With no point on one side the only possible count, 1, is both limits.
    """
    if not 0 < tail < 1:
        raise ValueError("tail must be a probability between 0 and 1")
    if n_above == 0 or n_below == 0:
        return 1, 1
    budget = tail.numerator * comb(n_above + n_below, n_above)
    most = 2 * min(n_above, n_below) + (n_above != n_below)
    ways = _ways_table(n_above, n_below)
    lower = _tail_end(ways, 2, 1, budget, tail.denominator)
    upper = _tail_end(ways, most, -1, budget, tail.denominator)
    return lower, upper
