"""Vectorised batch SPC (qidesk.core.spc.batch) against the R oracles, itself and a literal port.

1. Reference vectors (shared/reference): qicharts2 ``run`` and NHSRplotthedots
   computations without rebase/fix, field by field.
2. Properties: stacking independence, shift invariance, limit ordering.
3. Random series against a loop-per-series literal port of the R code
   (qicharts2 ``runs.analysis``; NHSRplotthedots ``ptd_spc_standard``,
   ``ptd_special_cause_type``, ``ptd_point_type``, icons and assurance).
4. Random series against the scalar engine (``qidesk.core.spc.analyse``).
"""

from __future__ import annotations

import itertools
import json
import math
import os
from dataclasses import fields
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qidesk.core.spc import (
    ChartType,
    Preset,
    SpcOptions,
    analyse,
    crossings_min,
    longest_run_max,
)
from qidesk.core.spc.batch import (
    ASSURANCE_TYPES,
    POINT_TYPES,
    VARIATION_ICON_FILES,
    AssuranceCode,
    BatchResult,
    SpecialCause,
    analyse_batch,
    crossings_min_table,
    special_cause_labels,
)

SHARED = Path(
    os.environ.get("QIDESK_SHARED", Path(__file__).resolve().parents[3].parent / "shared")
)
REFERENCE = SHARED / "reference"
VALUE_KINDS = {"continuous", "count", "proportion", "rate"}  # plotted value is y or y/n
REL = 1e-9
HYPOTHESIS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --------------------------------------------------------------------------- helpers


def _close(actual: float, expected: float | None) -> bool:
    """Reference comparison: ``None`` means undefined (NaN here), else 1e-9 relative."""
    if expected is None:
        return math.isnan(actual)
    return math.isclose(actual, expected, rel_tol=REL, abs_tol=1e-300)


def _plotted_values(case: dict[str, Any]) -> np.ndarray:
    """The value NHSRplotthedots and the run chart see: y, or y/n with n = 0 as missing."""
    y = np.array([np.nan if v is None else v for v in case["input"]["y"]], dtype=float)
    if case["input"]["n"] is None:
        return y
    n = np.array([np.nan if v is None else v for v in case["input"]["n"]], dtype=float)
    ratio = np.full_like(y, np.nan)
    np.divide(y, n, out=ratio, where=n > 0)
    return ratio


def _reference_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted(REFERENCE.glob("*/*.json")):
        if path.name == "manifest.json":
            continue
        case = json.loads(path.read_text(encoding="utf-8"))
        if case["input"]["value_kind"] in VALUE_KINDS:
            cases.append(case)
    return cases


def _params(kind: str) -> list[Any]:
    """One pytest param per (case, computation) the batch path claims to reproduce."""
    params = []
    for case in _reference_cases():
        for comp in case[kind]:
            opts = comp["options"]
            if kind == "qicharts2":
                wanted = opts["chart"] == "run" and not opts["freeze"] and not opts["part"]
            else:
                wanted = comp["status"] == "ok" and not opts["rebase"]
                wanted = wanted and not opts["fix_after_n_points"]
            if wanted:
                params.append(pytest.param(case, comp, id=f"{case['case_id']}-{comp['label']}"))
    if not params:  # pragma: no cover - only without the shared folder
        params.append(pytest.param(None, None, marks=pytest.mark.skip(reason=f"no {REFERENCE}")))
    return params


def _assert_same(a: BatchResult, b: BatchResult) -> None:
    """Every field equal, NaN equal to NaN."""
    for field in fields(BatchResult):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=field.name)
        else:
            assert x == y, field.name


def _row(result: BatchResult, i: int) -> BatchResult:
    """Series ``i`` of a batch result as a one-series result."""
    return BatchResult(
        **{
            f.name: (
                getattr(result, f.name)[i : i + 1]
                if isinstance(getattr(result, f.name), np.ndarray)
                else getattr(result, f.name)
            )
            for f in fields(BatchResult)
        }
    )


# --------------------------------------------------------------------------- 1. reference vectors


@pytest.mark.parametrize(("case", "comp"), _params("qicharts2"))
def test_run_chart_matches_qicharts2(case: dict[str, Any], comp: dict[str, Any]) -> None:
    result = analyse_batch(_plotted_values(case)[None, :])
    part = comp["parts"][0]
    assert len(comp["parts"]) == 1
    assert int(result.n_useful[0]) == part["n_useful"]
    for name in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
        assert _close(float(getattr(result, name)[0]), part[name]), name
    assert bool(result.runs_signal[0]) is part["runs_signal"]
    for point in comp["points"]:
        assert _close(float(result.median[0]), point["cl"])
        assert bool(result.runs_signal[0]) is point["runs_signal"]


@pytest.mark.parametrize(("case", "comp"), _params("NHSRplotthedots"))
def test_xmr_matches_nhsrplotthedots(case: dict[str, Any], comp: dict[str, Any]) -> None:
    opts = comp["options"]
    result = analyse_batch(
        _plotted_values(case)[None, :],
        direction=opts["improvement_direction"],
        target=opts["target"],
        screen_outliers=opts["screen_outliers"],
        hide_zero_width_limits=False,  # the oracle keeps LPL = UPL = mean
    )
    points = comp["points"]
    for point in points:
        for name in ("mean", "lpl", "upl"):
            assert _close(float(getattr(result, name)[0]), point[name]), name
    assert result.labels(0) == [p["special_cause_type"] for p in points]
    assert result.point_types(0) == [p["point_type"] for p in points]
    icons = comp["icons"]
    assert POINT_TYPES[result.point_type[0, -1]] == icons["variation_type"]
    assert result.variation_icon_file(0) == icons["variation_icon_file"]
    assert result.assurance_type(0) == icons["assurance_type"]
    assert result.assurance_type(0) == comp["summary"][-1]["assurance_type"]


def test_reference_series_batched_together_give_the_single_results() -> None:
    """All reference series of one length in one batch: same as one by one."""
    by_length: dict[int, list[np.ndarray]] = {}
    for case in _reference_cases():
        values = _plotted_values(case)
        by_length.setdefault(values.size, []).append(values)
    for series in by_length.values():
        batch = analyse_batch(np.vstack(series), direction="decrease", target=0.9)
        for i, values in enumerate(series):
            _assert_same(
                _row(batch, i), analyse_batch(values[None, :], direction="decrease", target=0.9)
            )


def test_missing_inside_trend_is_skipped_not_an_error() -> None:
    """syn17: NHSRplotthedots 0.2.2 stops here; the spec asks us to skip that window."""
    case = json.loads((REFERENCE / "synthetic/syn17_missing_inside_trend_20.json").read_text())
    values = _plotted_values(case)
    result = analyse_batch(values[None, :])
    gap = int(np.flatnonzero(np.isnan(values))[0])
    assert result.special_cause[0, gap] == SpecialCause.COMMON_CAUSE
    assert not np.isin(
        result.special_cause, [SpecialCause.TREND_INCREASING, SpecialCause.TREND_DECREASING]
    ).any()


# --------------------------------------------------------------------------- crossings table


SPEC_LIMITS = """
 6:6/1   7:6/1   8:6/1   9:6/2  10:6/2  11:6/2  12:7/3  13:7/3  14:7/4  15:7/4
16:7/4  17:7/5  18:7/5  19:7/6  20:7/6  21:7/6  22:7/7  23:8/7  24:8/8  25:8/8
26:8/8  27:8/9  28:8/9  29:8/10 30:8/10 31:8/11 32:8/11 33:8/11 34:8/12 35:8/12
36:8/13 37:8/13 38:8/14 39:8/14 40:8/14 41:8/15 42:8/15 43:8/16 44:8/16 45:8/17
46:9/17 47:9/17 48:9/18 49:9/18 50:9/19 51:9/19 52:9/20 53:9/20 54:9/21 55:9/21
56:9/21 57:9/22 58:9/22 59:9/23 60:9/23 100:10/41
"""
# The spec's prose says "100 useful observations -> 10 / 40"; the exact quantile
# qbinom(0.05, 99, 0.5) is 41 (P(X <= 40) = 0.0350, P(X <= 41) = 0.0537), so the
# formula (spec §1.3 item 4) wins over that example.


def _qbinom_05(trials: int) -> int:
    """qbinom(0.05, trials, 0.5) by brute force with exact fractions."""
    total = Fraction(0)
    for k in range(trials + 1):
        total += Fraction(math.comb(trials, k), 2**trials)
        if total >= Fraction(1, 20):
            return k
    raise AssertionError("unreachable")  # pragma: no cover


def test_crossings_table_matches_exact_quantiles() -> None:
    table = crossings_min_table(300)
    assert table[0] == 0
    assert [table[n] for n in range(1, 301)] == [_qbinom_05(n - 1) for n in range(1, 301)]


def test_anhoej_limits_match_the_spec_table() -> None:
    for entry in SPEC_LIMITS.split():
        n, limits = entry.split(":")
        longest_max, crossings_min = map(int, limits.split("/"))
        alternating = np.where(np.arange(int(n)) % 2 == 0, -1.0, 1.0)
        # odd n: two extra points on the median (0) keep exactly n useful points
        values = alternating if int(n) % 2 == 0 else np.append(alternating, [0.0, 0.0])
        result = analyse_batch(values[None, :])
        assert int(result.n_useful[0]) == int(n)
        assert result.longest_run_max[0] == longest_max, n
        assert result.n_crossings_min[0] == crossings_min, n


# --------------------------------------------------------------------------- hand-made cases


def test_all_equal_series_screened_and_unscreened() -> None:
    """Spec §4: no useful points; screened limits undefined; unscreened limits = mean."""
    values = np.full((2, 12), 0.1)
    screened = analyse_batch(values)
    assert np.all(screened.n_useful == 0)
    assert not screened.runs_signal.any()
    assert np.isnan(screened.longest_run).all()
    assert np.isnan(screened.n_crossings_min).all()
    assert np.all(screened.mean == 0.1)
    assert np.isnan(screened.upl).all()
    assert np.all(screened.special_cause == SpecialCause.COMMON_CAUSE)
    oracle_like = analyse_batch(
        values, screen_outliers=False, hide_zero_width_limits=False, target=0.1
    )
    assert np.all(oracle_like.lpl == 0.1)
    assert np.all(oracle_like.upl == 0.1)
    assert np.all(oracle_like.special_cause == SpecialCause.COMMON_CAUSE)
    assert oracle_like.assurance_type(0) == "inconsistent"
    hidden = analyse_batch(values, screen_outliers=False)  # qidesk default: no limits shown
    assert np.isnan(hidden.lpl).all()
    assert np.all(hidden.amr == 0)


def test_zero_width_limits_hidden_by_default_but_runs_still_count() -> None:
    """Spec §4: AMR 0 without screening; the oracle flags every point, qidesk only the runs."""
    values = np.array([[5.0] * 7 + [np.nan] + [6.0] * 7])
    oracle_like = analyse_batch(values, screen_outliers=False, hide_zero_width_limits=False)
    assert oracle_like.labels(0)[0] == "Below LCL"
    hidden = analyse_batch(values, screen_outliers=False)
    assert (
        hidden.labels(0) == ["7 Points Below CL"] * 7 + ["Common Cause"] + ["7 Points Above CL"] * 7
    )


def test_all_missing_series_and_short_series() -> None:
    values = np.array([[np.nan, np.nan], [1.0, 2.0]])
    result = analyse_batch(values, target=np.array([1.0, np.nan]))
    assert np.isnan(result.median[0])
    assert np.isnan(result.mean[0])
    assert np.isnan(result.upl[0])
    assert result.upl[1] == pytest.approx(1.5 + 2.66)
    assert result.n_useful.tolist() == [0, 2]
    assert np.isnan(result.longest_run[0])
    assert result.longest_run[1] == 1
    assert result.labels(0) == ["Common Cause"] * 2
    assert result.assurance_type(0) == "inconsistent"  # undefined limits (spec §3.6)
    assert result.assurance_type(1) is None
    single = analyse_batch([[5.0]])
    assert single.n_useful[0] == 0
    assert single.variation_icon_file(0) == "common_cause.svg"


def test_infinite_values_are_missing_and_input_is_not_changed() -> None:
    values = np.array([[1.0, np.inf, 3.0, -np.inf, 2.0, 4.0]])
    _assert_same(analyse_batch(values), analyse_batch(np.where(np.isinf(values), np.nan, values)))
    assert np.isinf(values[0, 1])


def test_empty_batch() -> None:
    result = analyse_batch(np.empty((0, 24)))
    assert result.special_cause.shape == (0, 24)
    assert result.median.shape == (0,)


def test_gap_breaks_moving_ranges_and_runs_chart_skips_it() -> None:
    """Spec §2.2/§3.2: a missing point removes both of its moving ranges."""
    result = analyse_batch([[1.0, 3.0, np.nan, 10.0, 14.0]], screen_outliers=False)
    assert result.amr[0] == pytest.approx((2 + 4) / 2)
    assert result.n_useful[0] == 4
    assert result.n_crossings[0] == 1


def test_trend_labels_follow_the_package_direction_quirk() -> None:
    """An up-trend ending where a down-trend starts: the shared peak reads "Decreasing"."""
    zigzag = [10, 16, 10, 16, 10]  # wide limits (no screening) keep the trends inside them
    up_down = np.array([[*zigzag, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, *zigzag]], dtype=float)
    labels = analyse_batch(up_down, screen_outliers=False).labels(0)
    assert labels[5:11] == ["7 Point Trend (Increasing)"] * 6
    assert labels[11:18] == ["7 Point Trend (Decreasing)"] * 7


def test_rule_lengths_of_six_and_their_labels() -> None:
    assert special_cause_labels(6, 6)[SpecialCause.TREND_INCREASING] == "6 Point Trend (Increasing)"
    shift = np.array([[0, 4, 0, 4, 0, 4, 3, 3.5, 3, 3.5, 3, 0, 4, 0, 4, 0, 4, 0]])
    assert set(analyse_batch(shift).labels(0)) == {"Common Cause"}
    assert analyse_batch(shift, run_length=6).labels(0)[5:11] == ["6 Points Above CL"] * 6
    trend = np.array([[4, 0, 4, 0, 1, 2, 3, 3.5, 3.7, 0, 4, 0, 4]])
    assert set(analyse_batch(trend).labels(0)) == {"Common Cause"}
    assert analyse_batch(trend, trend_length=6).labels(0)[3:9] == ["6 Point Trend (Increasing)"] * 6


@pytest.mark.parametrize(
    ("direction", "target", "assurance", "icon"),
    [
        ("increase", 100.0, "consistent_fail", "improvement_high.svg"),
        ("increase", -100.0, "consistent_pass", "improvement_high.svg"),
        ("decrease", 100.0, "consistent_pass", "concern_high.svg"),
        ("decrease", -100.0, "consistent_fail", "concern_high.svg"),
        ("decrease", 10.0, "inconsistent", "concern_high.svg"),
        ("neutral", 100.0, None, "neutral_high.svg"),
    ],
)
def test_assurance_and_variation_icons(
    direction: str, target: float, assurance: str | None, icon: str
) -> None:
    """Spec §3.5/§3.6; the last point is above the upper limit."""
    values = np.array([[10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, 30]], dtype=float)
    result = analyse_batch(values, direction=direction, target=target)  # type: ignore[arg-type]
    assert result.labels(0)[-1] == "Above UCL"
    assert result.assurance_type(0) == assurance
    assert result.variation_icon_file(0) == icon


def test_low_last_point_icons() -> None:
    values = np.array([[10, 11, 9, 10, 11, 9, 10, 11, 9, 10, 11, -10]], dtype=float)
    names = {
        d: analyse_batch(values, direction=d).variation_icon_file(0)  # type: ignore[arg-type]
        for d in ("increase", "decrease", "neutral")
    }
    assert names == {
        "increase": "concern_low.svg",
        "decrease": "improvement_low.svg",
        "neutral": "neutral_low.svg",
    }


def test_results_are_read_only_and_named() -> None:
    result = analyse_batch(np.zeros((1, 3)))
    with pytest.raises(ValueError, match="read-only"):
        result.mean[0] = 1.0
    assert len(VARIATION_ICON_FILES) == 7
    assert ASSURANCE_TYPES[AssuranceCode.NONE] is None


@pytest.mark.parametrize(
    ("values", "options", "message"),
    [
        (np.zeros(5), {}, "2-D"),
        (np.zeros((2, 0)), {}, "at least one"),
        (np.zeros((1, 5)), {"direction": "up"}, "Direction"),
        (np.zeros((1, 5)), {"run_length": 1}, "run_length"),
        (np.zeros((1, 5)), {"trend_length": 6.0}, "trend_length"),
        (np.zeros((2, 5)), {"target": [1.0, 2.0, 3.0]}, "target"),
    ],
)
def test_bad_input_is_refused(values: np.ndarray, options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        analyse_batch(values, **options)


# --------------------------------------------------------------------------- random series


def _realistic_batch(
    rng: np.random.Generator, n_series: int, n_points: int, step: float = 0.1
) -> np.ndarray:
    """Stable, shifted, trending, outlier, tied and constant series rounded to ``step``, gaps."""
    t = np.arange(n_points)
    kind = rng.integers(0, 6, size=(n_series, 1))
    base = rng.normal(50, 5, size=(n_series, n_points))
    base += np.where(kind == 1, 8.0 * (t >= n_points // 2), 0.0)
    base += np.where(kind == 2, 0.6 * t, 0.0)
    base += np.where((kind == 3) & (t == n_points // 3), 40.0, 0.0)
    base = np.where(kind == 4, rng.integers(3, 6, size=(n_series, n_points)), base)
    base = np.where(kind == 5, base[:, :1], base)  # no variation at all
    values = np.round(base / step) * step
    values[rng.random(values.shape) < 0.02] = np.nan
    return values


@st.composite
def _series_rows(draw: st.DrawFn, n_points: int) -> list[float]:
    """One series: ties, dyadic noise, walks (trends), constants; optional gaps.

    Values are multiples of 1/8, so every sum is exact and any two correct mean
    algorithms agree to the bit (ties with the mean are then well defined).
    """
    kind = draw(st.sampled_from(["ties", "dyadic", "walk", "constant"]))
    if kind == "ties":
        row = draw(st.lists(st.sampled_from([3.0, 4.0, 5.0]), min_size=n_points, max_size=n_points))
    elif kind == "dyadic":
        ints = st.integers(-400, 400)
        row = [v / 8 for v in draw(st.lists(ints, min_size=n_points, max_size=n_points))]
    elif kind == "walk":
        steps = draw(st.lists(st.integers(-2, 3), min_size=n_points, max_size=n_points))
        row = [float(v) for v in itertools.accumulate(steps)]
    else:
        row = [draw(st.sampled_from([0.375, 7.0, -2.5]))] * n_points
    gaps = draw(st.lists(st.integers(0, n_points - 1), max_size=3))
    for g in gaps:
        row[g] = math.nan
    return row


@st.composite
def _batches(draw: st.DrawFn) -> np.ndarray:
    n_points = draw(st.integers(1, 40))
    n_series = draw(st.integers(1, 6))
    return np.array([draw(_series_rows(n_points)) for _ in range(n_series)], dtype=float)


OPTIONS = st.fixed_dictionaries(
    {
        "direction": st.sampled_from(["increase", "decrease", "neutral"]),
        "screen_outliers": st.booleans(),
        "run_length": st.sampled_from([6, 7, 8]),
        "trend_length": st.sampled_from([5, 6, 7]),
        "hide_zero_width_limits": st.booleans(),
    }
)
TARGETS = st.sampled_from([None, 0.0, 4.0, 50.0])
MDC_DEFAULTS = {
    "direction": "increase",
    "screen_outliers": True,
    "run_length": 7,
    "trend_length": 7,
    "hide_zero_width_limits": True,
}


@HYPOTHESIS
@given(values=_batches(), options=OPTIONS, target=TARGETS)
def test_stacking_independence(
    values: np.ndarray, options: dict[str, Any], target: float | None
) -> None:
    batch = analyse_batch(values, target=target, **options)
    for i in range(values.shape[0]):
        _assert_same(_row(batch, i), analyse_batch(values[i : i + 1], target=target, **options))


@HYPOTHESIS
@given(values=_batches(), shift=st.integers(-50, 50))
def test_shift_moves_centre_and_limits_and_keeps_signals(values: np.ndarray, shift: int) -> None:
    """Practices §8: adding a constant shifts CL and limits by it; signals unchanged."""
    a, b = analyse_batch(values), analyse_batch(values + shift)
    for name in ("median", "mean", "lpl", "upl"):
        np.testing.assert_allclose(getattr(b, name), getattr(a, name) + shift, rtol=0, atol=1e-9)
    np.testing.assert_allclose(b.amr, a.amr, rtol=0, atol=1e-9)
    for name in ("special_cause", "runs_signal", "n_useful", "longest_run", "n_crossings"):
        np.testing.assert_array_equal(getattr(b, name), getattr(a, name))
    defined = ~np.isnan(a.lpl)
    assert np.all(a.lpl[defined] <= a.mean[defined])
    assert np.all(a.mean[defined] <= a.upl[defined])


# --------------------------------------------------------------------------- literal port oracle


def _mean(values: list[float]) -> float:
    """R's ``mean`` (``summary.c``) literally: two sequential long-double passes (NaN if empty)."""
    if not values:
        return math.nan
    total = np.longdouble(0.0)
    for v in values:
        total += np.longdouble(v)
    mean = total / len(values)
    if np.isfinite(mean):
        residual = np.longdouble(0.0)
        for v in values:
            residual += np.longdouble(v) - mean
        mean += residual / len(values)
    return float(mean)


def _sign(v: float) -> float:
    return math.nan if math.isnan(v) else float((v > 0) - (v < 0))


def _oracle_runs(y: list[float]) -> tuple[Any, ...]:
    """qicharts2 ``runs.analysis`` around the median, one series at a time."""
    present = sorted(v for v in y if not math.isnan(v))
    half = len(present) // 2
    if not present:
        median = math.nan
    elif len(present) % 2:
        median = present[half]
    else:  # R: mean() of the two middle values
        median = _mean(present[half - 1 : half + 1])
    runs = [_sign(v - median) for v in y if not math.isnan(v) and v != median]
    if not runs:
        return median, 0, None, None, None, None, False
    lengths = [len(list(g)) for _, g in itertools.groupby(runs)]
    longest, crossings = max(lengths), len(lengths) - 1
    longest_max, crossings_min = round(math.log2(len(runs))) + 3, _qbinom_05(len(runs) - 1)
    signal = longest > longest_max or crossings < crossings_min
    return median, len(runs), longest, longest_max, crossings, crossings_min, signal


def _part_of(ends: list[bool], length: int) -> list[bool]:
    """``ptd_part_of_seven_trend``: in a window of ``length`` ending at a flagged point."""
    return [any(ends[i : i + length]) for i in range(len(ends))]


def _oracle_limits(y: list[float], opts: dict[str, Any]) -> tuple[float, ...]:
    """``ptd_spc_standard``: mean, AMR (screened once), limits and near limits."""
    mean = _mean([v for v in y if not math.isnan(v)])
    kept = [m for m in (abs(b - a) for a, b in itertools.pairwise(y)) if not math.isnan(m)]
    amr = _mean(kept)
    if opts["screen_outliers"]:
        amr = _mean([m for m in kept if m < 3.267 * amr])
    lpl, upl = mean - 2.66 * amr, mean + 2.66 * amr
    nlpl, nupl = mean - (2 * (2.66 / 3)) * amr, mean + (2 * (2.66 / 3)) * amr
    if opts["hide_zero_width_limits"] and lpl == upl:
        lpl = upl = nlpl = nupl = math.nan
    return mean, amr, lpl, upl, nlpl, nupl


def _oracle_labels(y: list[float], opts: dict[str, Any]) -> tuple[Any, ...]:
    """``ptd_special_cause_type`` for one group, windows with NA skipped (spec §3.3)."""
    run_len, trend_len = opts["run_length"], opts["trend_length"]
    n = len(y)
    mean, amr, lpl, upl, nlpl, nupl = _oracle_limits(y, opts)
    rel = [_sign(v - mean) for v in y]
    outside = [v > upl or v < lpl for v in y]
    close = [not o and (v < nlpl or v > nupl) for v, o in zip(y, outside, strict=True)]
    run_end = [
        i >= run_len - 1
        and rel[i] in (1, -1)
        and all(rel[i - k] == rel[i] for k in range(1, run_len))
        for i in range(n)
    ]
    steps = [range(i - trend_len + 2, i + 1) for i in range(n)]
    trend_end = [
        i >= trend_len - 1
        and (all(y[k] > y[k - 1] for k in steps[i]) or all(y[k] < y[k - 1] for k in steps[i]))
        for i in range(n)
    ]
    in_run, in_trend = _part_of(run_end, run_len), _part_of(trend_end, trend_len)
    window_ok = [sum(close[s : s + 3]) >= 2 and abs(sum(rel[s : s + 3])) == 3 for s in range(n - 2)]
    in_two = [close[i] and any(window_ok[max(i - 2, 0) : i + 1]) for i in range(n)]
    sdy = [_sign(b - a) for a, b in itertools.pairwise(y)]
    labels = []
    for i in range(n):
        side = "Above" if rel[i] > 0 else "Below"
        if outside[i]:
            labels.append("Above UCL" if rel[i] == 1 else "Below LCL")
        elif in_trend[i]:
            step = sdy[i] if i + 1 < n and in_trend[i + 1] else (sdy[i - 1] if i else 0)
            labels.append(f"{trend_len} Point Trend ({'In' if step == 1 else 'De'}creasing)")
        elif in_two[i]:
            labels.append(f"2 in 3 {side} CL")
        elif in_run[i]:
            labels.append(f"{run_len} Points {side} CL")
        else:
            labels.append("Common Cause")
    return mean, amr, lpl, upl, labels


def _oracle_types(labels: list[str], direction: str) -> list[str]:
    """``ptd_point_type``."""
    sign = {"increase": 1, "decrease": -1, "neutral": 0}[direction]
    types = []
    for label in labels:
        high = "Above" in label or "Increasing" in label
        if label == "Common Cause":
            types.append("common_cause")
        elif sign == 0:
            types.append("special_cause_neutral_" + ("high" if high else "low"))
        else:
            better = (1 if high else -1) * sign > 0
            types.append("special_cause_improvement" if better else "special_cause_concern")
    return types


def _oracle_icons(last: str, direction: str, target: float | None, lpl: float, upl: float) -> Any:
    """``ptd_get_icons`` and ``ptd_calculate_assurance_type``."""
    up = direction == "increase"
    icon = {
        "common_cause": "common_cause",
        "special_cause_neutral_high": "neutral_high",
        "special_cause_neutral_low": "neutral_low",
        "special_cause_concern": "concern_low" if up else "concern_high",
        "special_cause_improvement": "improvement_high" if up else "improvement_low",
    }[last] + ".svg"
    if target is None or direction == "neutral":
        return icon, None
    if target > upl:
        return icon, "consistent_fail" if up else "consistent_pass"
    if target < lpl:
        return icon, "consistent_pass" if up else "consistent_fail"
    return icon, "inconsistent"


def _check_against_oracle(values: np.ndarray, opts: dict[str, Any], target: float | None) -> None:
    result = analyse_batch(values, target=target, **opts)
    for i, row in enumerate(values.tolist()):
        runs = _oracle_runs(row)
        assert _close(float(result.median[i]), None if math.isnan(runs[0]) else runs[0])
        assert int(result.n_useful[i]) == runs[1]
        for j, name in enumerate(("longest_run", "longest_run_max", "n_crossings")):
            assert _close(float(getattr(result, name)[i]), runs[2 + j]), name
        assert _close(float(result.n_crossings_min[i]), runs[5])
        assert bool(result.runs_signal[i]) is runs[6]
        *numbers, labels = _oracle_labels(row, opts)
        for name, expected in zip(("mean", "amr", "lpl", "upl"), numbers, strict=True):
            assert _close(
                float(getattr(result, name)[i]), None if math.isnan(expected) else expected
            )
        assert result.labels(i) == labels, row
        types = _oracle_types(labels, opts["direction"])
        assert result.point_types(i) == types
        icon, assurance = _oracle_icons(types[-1], opts["direction"], target, *numbers[2:])
        assert result.variation_icon_file(i) == icon
        assert result.assurance_type(i) == assurance


@HYPOTHESIS
@given(values=_batches(), options=OPTIONS, target=TARGETS)
def test_random_series_match_a_literal_port_of_the_r_code(
    values: np.ndarray, options: dict[str, Any], target: float | None
) -> None:
    _check_against_oracle(values, options, target)


def test_realistic_series_match_the_literal_port_and_hit_every_label() -> None:
    values = _realistic_batch(np.random.default_rng(20240601), 400, 36)
    _check_against_oracle(values, MDC_DEFAULTS, 55.0)
    result = analyse_batch(values, target=55.0)
    assert set(np.unique(result.special_cause)) == set(SpecialCause)
    assert result.runs_signal.any()
    assert not result.runs_signal.all()


# --------------------------------------------------------------------------- scalar engine


def _check_against_scalar(values: np.ndarray, opts: dict[str, Any], target: float | None) -> None:
    """Series by series, the batch result equals :func:`qidesk.core.spc.analyse`."""
    result = analyse_batch(values, target=target, **opts)
    options = SpcOptions(
        screen_mr=opts["screen_outliers"],
        trend_length=opts["trend_length"],
        shift_length=opts["run_length"],
        hide_zero_width_limits=opts["hide_zero_width_limits"],
    )
    for i, row in enumerate(values.tolist()):
        run = analyse(row, chart=ChartType.RUN, preset=Preset.ANHOEJ)
        phase = run.phases[0]
        assert _close(float(result.median[i]), run.points[0].cl)
        assert int(result.n_useful[i]) == phase.anhoej.n_useful
        for name in ("longest_run", "longest_run_max", "n_crossings", "n_crossings_min"):
            assert _close(float(getattr(result, name)[i]), getattr(phase.anhoej, name)), name
        assert bool(result.runs_signal[i]) is phase.runs_signal

        xmr = analyse(
            row,
            chart=ChartType.I,
            preset=Preset.MDC,
            direction=opts["direction"],
            target=target,
            options=options,
        )
        for point in xmr.points:
            assert _close(float(result.mean[i]), point.cl)
            assert _close(float(result.lpl[i]), point.lcl)
            assert _close(float(result.upl[i]), point.ucl)
        assert result.labels(i) == [p.label for p in xmr.points], row
        assert result.point_types(i) == [p.point_type for p in xmr.points]
        assert result.variation_icon_file(i) == xmr.icons.variation_icon_file
        assert result.assurance_type(i) == xmr.icons.assurance_type


@HYPOTHESIS
@given(values=_batches(), options=OPTIONS, target=TARGETS)
def test_random_series_match_the_scalar_engine(
    values: np.ndarray, options: dict[str, Any], target: float | None
) -> None:
    _check_against_scalar(values, options, target)


def test_realistic_series_match_the_scalar_engine() -> None:
    values = _realistic_batch(np.random.default_rng(7), 300, 30, step=0.125)
    _check_against_scalar(values, MDC_DEFAULTS, 55.0)
    _check_against_scalar(values, {**MDC_DEFAULTS, "screen_outliers": False}, None)


def test_constant_decimal_series_match_the_scalar_engine() -> None:
    values = np.array([[0.1] * 12, [0.7] * 12, [2.675] * 12])
    assert set(analyse_batch(values).labels(0)) == {"Common Cause"}
    _check_against_scalar(values, MDC_DEFAULTS, None)


def test_scalar_crossings_and_longest_run_limits_equal_the_table() -> None:
    table = crossings_min_table(400)
    assert all(table[n] == crossings_min(n) for n in range(1, 401))
    assert all(longest_run_max(n) == int(np.rint(np.log2(n))) + 3 for n in range(1, 401))
