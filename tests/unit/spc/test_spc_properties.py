"""Properties of the SPC maths (PRACTICES item 8), checked with hypothesis.

Values are integers divided by 4 (exact in binary floating point) so that sums and
shifts are exact; comparisons allow a tiny tolerance, and examples where a point lies
within rounding distance of a limit are skipped (a tie may fall either way).
"""

from __future__ import annotations

import itertools
import math

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from qidesk.core.spc import ChartType, Preset, SpcOptions, SpcResult, analyse

SETTINGS = settings(database=None, deadline=None, max_examples=60)

quarters = st.integers(min_value=-400, max_value=400).map(lambda k: k / 4)
series = st.lists(st.one_of(quarters, quarters, quarters, st.none()), min_size=0, max_size=40)
shift_charts = st.sampled_from([ChartType.I, ChartType.RUN])
presets = st.sampled_from(list(Preset))


def _close(a: float | None, b: float | None, scale: float = 1.0) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(scale, 1.0))


def _signals(result: SpcResult) -> list[tuple[int, str, int]]:
    points = [(p.index, s.rule.value, s.side) for p in result.points for s in p.signals]
    phases = [(ph.phase, s.rule.value, s.side) for ph in result.phases for s in ph.signals]
    return points + phases


def _ties(result: SpcResult) -> bool:
    """True when a value lies within rounding distance of one of its lines."""
    for p in result.points:
        lines = (p.cl, p.lcl, p.ucl, p.lcl_2sigma, p.ucl_2sigma)
        for line in lines:
            if (
                p.value is not None
                and line is not None
                and line != p.value
                and math.isclose(p.value, line, rel_tol=1e-9, abs_tol=1e-9)
            ):
                return True
    return False


@SETTINGS
@given(values=series, constant=quarters, chart=shift_charts, preset=presets)
def test_adding_a_constant_shifts_lines_and_keeps_signals(
    values: list[float | None], constant: float, chart: ChartType, preset: Preset
) -> None:
    shifted_values = [None if v is None else v + constant for v in values]
    before = analyse(values, chart=chart, preset=preset)
    after = analyse(shifted_values, chart=chart, preset=preset)
    assume(not _ties(before) and not _ties(after))
    scale = max([abs(v) for v in values if v is not None] + [abs(constant), 1.0])
    for p, q in zip(before.points, after.points, strict=True):
        for a, b in ((p.cl, q.cl), (p.lcl, q.lcl), (p.ucl, q.ucl)):
            assert _close(None if a is None else a + constant, b, scale)
    assert _signals(before) == _signals(after)


@SETTINGS
@given(
    values=series,
    factor=st.sampled_from([0.5, 2.0, 3.0, 4.0, 10.0]),
    chart=shift_charts,
    preset=presets,
)
def test_scaling_scales_lines_and_keeps_signals(
    values: list[float | None], factor: float, chart: ChartType, preset: Preset
) -> None:
    scaled_values = [None if v is None else v * factor for v in values]
    before = analyse(values, chart=chart, preset=preset)
    after = analyse(scaled_values, chart=chart, preset=preset)
    assume(not _ties(before) and not _ties(after))
    scale = max([abs(v) * factor for v in values if v is not None] + [1.0])
    for p, q in zip(before.points, after.points, strict=True):
        for a, b in ((p.cl, q.cl), (p.lcl, q.lcl), (p.ucl, q.ucl)):
            assert _close(None if a is None else a * factor, b, scale)
    assert _signals(before) == _signals(after)


counts = st.lists(st.one_of(st.integers(0, 60), st.none()), min_size=0, max_size=30)


def _ordered(result: SpcResult) -> None:
    for p in result.points:
        lines = [p.lcl, p.lcl_2sigma, p.cl, p.ucl_2sigma, p.ucl]
        known = [line for line in lines if line is not None]
        if p.cl is not None and p.lcl is not None and p.ucl is not None:
            assert p.lcl <= p.cl + 1e-9 * max(1.0, abs(p.cl))
            assert p.cl <= p.ucl + 1e-9 * max(1.0, abs(p.cl))
        assert all(a <= b + 1e-9 * max(1.0, abs(b)) for a, b in itertools.pairwise(known))


@SETTINGS
@given(
    values=series,
    chart=st.sampled_from([ChartType.I, ChartType.MR, ChartType.RUN]),
    screen=st.booleans(),
)
def test_limits_are_ordered_for_measurements(
    values: list[float | None], chart: ChartType, screen: bool
) -> None:
    _ordered(analyse(values, chart=chart, options=SpcOptions(screen_mr=screen)))


@SETTINGS
@given(values=counts, chart=st.sampled_from([ChartType.C, ChartType.G]))
def test_limits_are_ordered_for_counts(values: list[int | None], chart: ChartType) -> None:
    _ordered(analyse([None if v is None else float(v) for v in values], chart=chart))


@SETTINGS
@given(values=st.lists(st.one_of(st.integers(1, 500).map(float), st.none()), max_size=30))
def test_limits_are_ordered_for_times_between_events(values: list[float | None]) -> None:
    _ordered(analyse(values, chart=ChartType.T))


pairs = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 200)).map(
        lambda t: (min(t), max(t))  # numerator <= denominator
    ),
    min_size=0,
    max_size=30,
)


@SETTINGS
@given(data=pairs, chart=st.sampled_from([ChartType.P, ChartType.PP]))
def test_p_chart_limits_stay_within_zero_and_one(
    data: list[tuple[int, int]], chart: ChartType
) -> None:
    result = analyse([y for y, _ in data], denominators=[n for _, n in data], chart=chart)
    for p in result.points:
        for line in (p.lcl, p.ucl, p.lcl_2sigma, p.ucl_2sigma):
            assert line is None or 0.0 <= line <= 1.0
    _ordered(result)


@SETTINGS
@given(data=pairs, chart=st.sampled_from([ChartType.U, ChartType.UP]))
def test_u_chart_limits_are_ordered_and_not_negative(
    data: list[tuple[int, int]], chart: ChartType
) -> None:
    result = analyse([y for y, _ in data], denominators=[n for _, n in data], chart=chart)
    _ordered(result)
    assert all(p.lcl is None or p.lcl >= 0 for p in result.points)


@SETTINGS
@given(
    values=st.lists(st.integers(-50, 50).map(float), min_size=2, max_size=60),
    subgroup_size=st.integers(2, 6),
)
def test_subgroup_limits_are_ordered(values: list[float], subgroup_size: int) -> None:
    labels = [i // subgroup_size for i in range(len(values))]
    for chart in (ChartType.XBAR, ChartType.S):
        _ordered(analyse(values, chart=chart, subgroups=labels))


@SETTINGS
@given(
    values=series,
    parts=st.lists(st.integers(-2, 45), max_size=5),
    chart=shift_charts,
    preset=presets,
    seed=st.randoms(use_true_random=False),
)
def test_results_do_not_depend_on_the_order_of_parts(
    values: list[float | None], parts: list[int], chart: ChartType, preset: Preset, seed: object
) -> None:
    shuffled = list(parts)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    first = analyse(values, chart=chart, preset=preset, parts=parts)
    second = analyse(values, chart=chart, preset=preset, parts=shuffled + parts[:1])
    assert first == second
