"""Anhøj runs analysis (spec 1.3): critical values, statistics and signal."""

from __future__ import annotations

import numpy as np
import pytest

from qidesk.core.spc.anhoej import AnhoejRuns, anhoej_runs, crossings_min, longest_run_max

# spec 1.3, "Critical values (n useful: longest-run max / crossings min)"
SPEC_TABLE = """
 6:6/1   7:6/1   8:6/1   9:6/2  10:6/2  11:6/2  12:7/3  13:7/3  14:7/4  15:7/4
16:7/4  17:7/5  18:7/5  19:7/6  20:7/6  21:7/6  22:7/7  23:8/7  24:8/8  25:8/8
26:8/8  27:8/9  28:8/9  29:8/10 30:8/10 31:8/11 32:8/11 33:8/11 34:8/12 35:8/12
36:8/13 37:8/13 38:8/14 39:8/14 40:8/14 41:8/15 42:8/15 43:8/16 44:8/16 45:8/17
46:9/17 47:9/17 48:9/18 49:9/18 50:9/19 51:9/19 52:9/20 53:9/20 54:9/21 55:9/21
56:9/21 57:9/22 58:9/22 59:9/23 60:9/23
"""


def _table() -> list[tuple[int, int, int]]:
    rows = []
    for cell in SPEC_TABLE.split():
        n, limits = cell.split(":")
        longest, crossings = limits.split("/")
        rows.append((int(n), int(longest), int(crossings)))
    return rows


@pytest.mark.parametrize(("n", "longest", "crossings"), _table())
def test_critical_values_match_the_spec(n: int, longest: int, crossings: int) -> None:
    assert longest_run_max(n) == longest
    assert crossings_min(n) == crossings


def test_hundred_useful_points() -> None:
    # The spec's prose example says 10 / 40, but P(X <= 40) = 0.035 < 0.05 for
    # X ~ Binomial(99, 1/2), so qbinom(0.05, 99, 0.5) is 41 (P(X <= 41) = 0.054).
    assert longest_run_max(100) == 10
    assert crossings_min(100) == 41


@pytest.mark.parametrize(
    ("low", "high", "limit"), [(6, 11, 6), (12, 22, 7), (23, 45, 8), (46, 90, 9), (91, 181, 10)]
)
def test_longest_run_limit_bands(low: int, high: int, limit: int) -> None:
    assert {longest_run_max(n) for n in range(low, high + 1)} == {limit}


def test_runs_skip_points_on_the_line_and_missing() -> None:
    side = np.array([1, 1, 0, 1, np.nan, -1, -1, 1, 1, 1])
    runs = anhoej_runs(side)
    assert runs == AnhoejRuns(8, 3, longest_run_max(8), 2, crossings_min(8))
    assert not runs.signal


def test_long_run_signals() -> None:
    runs = anhoej_runs(np.array([1.0] * 9 + [-1.0] * 3))
    assert runs.long_run
    assert runs.signal


def test_few_crossings_signal_without_a_long_run() -> None:
    side = np.array([1.0] * 6 + [-1.0] * 6 + [1.0] * 6 + [-1.0] * 6)
    runs = anhoej_runs(side)
    assert not runs.long_run
    assert runs.few_crossings
    assert runs.signal


def test_no_useful_observation_gives_undefined_statistics() -> None:
    runs = anhoej_runs(np.array([0.0, np.nan, 0.0]))
    assert runs == AnhoejRuns(0, None, None, None, None)
    assert not runs.long_run
    assert not runs.few_crossings
    assert not runs.signal


def test_single_useful_point() -> None:
    runs = anhoej_runs(np.array([np.nan, -1.0]))
    assert runs == AnhoejRuns(1, 1, 3, 0, 0)
    assert not runs.signal
