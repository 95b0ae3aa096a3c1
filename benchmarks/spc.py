"""Benchmark: batch SPC analysis of a QI hub's measures (Anhøj run chart + MDC XmR + icons).

Generates 10,000 monthly series of 60 points with a seeded RNG — stable
processes, step shifts, trends, single astronomical points, small-count data with
many ties, constant series and about 1 % missing values — and times
:func:`qidesk.core.spc.batch.analyse_batch` on all of them (median of several
repetitions after a warm-up). If the scalar engine (``qidesk.core.spc.analyse``)
is importable, also times it on a sample of 200 series for comparison.

Usage: ``.venv/bin/python benchmarks/spc.py [--series 10000] [--points 60] [--repeat 7]``.
The last line printed is ``spc_series_per_s=<number>`` (batch path).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qidesk.core.spc.batch import SpecialCause, analyse_batch

SEED = 20240601
SCALAR_SAMPLE = 200


def make_series(rng: np.random.Generator, n_series: int, n_points: int) -> np.ndarray:
    """Realistic QI measures, one per row; ``NaN`` = missing month."""
    t = np.arange(n_points)
    kind = rng.choice(6, size=(n_series, 1), p=[0.45, 0.2, 0.15, 0.1, 0.08, 0.02])
    level = rng.uniform(20, 200, size=(n_series, 1))
    spread = level * rng.uniform(0.03, 0.12, size=(n_series, 1))
    values = level + spread * rng.standard_normal((n_series, n_points))
    change = rng.integers(n_points // 4, 3 * n_points // 4, size=(n_series, 1))
    values += np.where((kind == 1) & (t >= change), 1.5 * spread, 0.0)  # step shift
    values += np.where(kind == 2, 0.08 * spread * t, 0.0)  # gradual trend
    values += np.where((kind == 3) & (t == change), 5 * spread, 0.0)  # one astronomical point
    counts = rng.poisson(4, size=(n_series, n_points)).astype(float)
    values = np.where(kind == 4, counts, np.round(values, 1))  # small counts: many ties
    values = np.where(kind == 5, np.round(level, 1), values)  # nothing changes at all
    values[rng.random(values.shape) < 0.01] = np.nan
    return values


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """Median wall time of ``run`` over ``repeat`` timed calls, after one warm-up call."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def scalar_series_per_s(values: np.ndarray, repeat: int) -> float | None:
    """Series per second of the scalar engine on ``values`` (same analyses), ``None`` if absent."""
    try:
        from qidesk.core.spc import ChartType, Preset, analyse
    except ImportError:  # the scalar engine is being written alongside
        return None

    def run() -> None:
        for row in values.tolist():
            analyse(row, chart=ChartType.RUN, preset=Preset.ANHOEJ)
            analyse(row, chart=ChartType.I, preset=Preset.MDC, target=100.0)

    return len(values) / median_seconds(run, repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    values = make_series(np.random.default_rng(SEED), args.series, args.points)
    seconds = median_seconds(lambda: analyse_batch(values, target=100.0), args.repeat)
    result = analyse_batch(values, target=100.0)
    rate = args.series / seconds

    flagged = np.count_nonzero((result.special_cause != SpecialCause.COMMON_CAUSE).any(axis=1))
    print(f"series: {args.series} x {args.points} points, {np.isnan(values).sum()} missing values")
    print(f"runs signal (Anhøj): {np.count_nonzero(result.runs_signal)} series")
    print(f"any MDC special cause: {flagged} series")
    print(f"batch: median {seconds * 1000:.1f} ms over {args.repeat} runs")
    print(f"batch: {rate:,.0f} series/s ({rate * args.points:,.0f} points/s)")

    scalar = scalar_series_per_s(values[:SCALAR_SAMPLE], repeat=3)
    if scalar is None:
        print("scalar engine: not importable, skipped")
    else:
        print(f"scalar engine: {scalar:,.0f} series/s on {SCALAR_SAMPLE} series")
        print(f"batch speed-up: {rate / scalar:,.0f}x")
    print(f"spc_series_per_s={rate:.0f}")


if __name__ == "__main__":
    main()
