"""Exact distributions: the binomial quantile (Anhøj crossings) and Swed–Eisenhart runs."""

from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from qidesk.core.spc.distributions import (
    qbinom_half,
    runs_distribution,
    runs_limits,
    runs_ways,
)
from qidesk.core.spc.ihi import runs_table


def _qbinom_brute(probability: Fraction, size: int) -> int:
    total, cumulative = 2**size, 0
    for k in range(size + 1):
        cumulative += comb(size, k)
        if Fraction(cumulative, total) >= probability:
            return k
    return size


@pytest.mark.parametrize("size", range(160))
def test_qbinom_half_matches_the_definition(size: int) -> None:
    assert qbinom_half(Fraction(1, 20), size) == _qbinom_brute(Fraction(1, 20), size)


def test_qbinom_half_probability_one_is_the_size() -> None:
    assert qbinom_half(Fraction(1), 7) == 7


def test_qbinom_half_large_size_is_fast_and_exact() -> None:
    # qbinom(0.05, 9999, 0.5) = 4917 in R
    assert qbinom_half(Fraction(1, 20), 9999) == 4917


def test_runs_ways_small_example_by_enumeration() -> None:
    # 2 above (A) and 2 below (B): AABB, BBAA (2 runs); ABBA, BAAB (3); ABAB, BABA (4)
    assert [runs_ways(2, 2, r) for r in range(1, 5)] == [0, 2, 2, 2]


@pytest.mark.parametrize(("above", "below"), [(1, 1), (3, 5), (7, 7), (10, 4), (0, 4), (4, 0)])
def test_runs_distribution_sums_to_one(above: int, below: int) -> None:
    assert sum(runs_distribution(above, below)) == 1


def test_runs_distribution_one_sided_is_a_single_run() -> None:
    assert runs_distribution(0, 3) == (0, 1, 0, 0)
    assert runs_distribution(0, 0) == (0,)


def _limits_brute(above: int, below: int, tail: Fraction) -> tuple[int, int]:
    probs = runs_distribution(above, below)
    lower = max(r for r in range(len(probs) + 1) if sum(probs[:r]) <= tail)
    upper = min(r for r in range(len(probs)) if sum(probs[r + 1 :]) <= tail)
    return lower, upper


@pytest.mark.parametrize("above", range(1, 26, 3))
@pytest.mark.parametrize("below", range(1, 26, 4))
def test_runs_limits_match_the_distribution(above: int, below: int) -> None:
    assert runs_limits(above, below) == _limits_brute(above, below, Fraction(1, 40))


def test_runs_limits_other_tail_and_one_side() -> None:
    assert runs_limits(10, 10, Fraction(1, 20)) == _limits_brute(10, 10, Fraction(1, 20))
    assert runs_limits(0, 9) == (1, 1)


@pytest.mark.parametrize("tail", [Fraction(0), Fraction(1), Fraction(3, 2)])
def test_runs_limits_refuses_a_tail_that_is_not_a_probability(tail: Fraction) -> None:
    with pytest.raises(ValueError, match="probability"):
        runs_limits(5, 5, tail)


def test_runs_table_equal_halves() -> None:
    # the one row of the recollected Perla 2011 table that was corroborated (spec 1.2)
    assert runs_table(24) == (8, 18)
    assert runs_table(10) == (3, 9)
    assert runs_table(11) == runs_limits(5, 6)
