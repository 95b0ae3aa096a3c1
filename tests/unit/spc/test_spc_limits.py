"""Centre lines and limits per chart type (spec section 2), checked against the formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qidesk.core.spc.limits import ChartInput, Lines, average_moving_range, lines_for
from qidesk.core.spc.types import ChartType, XmrScale

NAN = np.nan


def _input(values: list[float], **kw: object) -> ChartInput:
    value = np.asarray(values, dtype=float)
    base = kw.pop("base", np.ones(value.size, dtype=bool))
    screen = bool(kw.pop("screen", False))
    scale = kw.pop("scale", XmrScale.QICHARTS2)
    arrays = {k: np.asarray(v, dtype=float) for k, v in kw.items()}
    return ChartInput(value, base, screen, scale, **arrays)  # type: ignore[arg-type]


def _close(actual: float, expected: float) -> bool:
    return math.isclose(actual, expected, rel_tol=1e-12, abs_tol=1e-12)


def test_moving_ranges_are_not_bridged_over_gaps_but_over_excluded_points() -> None:
    data = _input([1, 3, NAN, 10, 11])
    assert _close(average_moving_range(data.value, data.base, screen=False), 1.5)
    # qicharts2 diff(y[base]): an excluded point is not there, the MR bridges it
    excluded = np.array([True, True, False, True, True])
    amr = average_moving_range(np.array([1, 3, 50, 4, 5.0]), excluded, screen=False)
    assert _close(amr, 4 / 3)  # |3-1|, |4-3|, |5-4|
    # ... while a missing value inside the baseline still removes its two MRs
    gap = average_moving_range(
        np.array([1, 3, NAN, 50, 4, 5.0]), excluded[[0, 1, 0, 2, 3, 4]], screen=False
    )
    assert _close(gap, 1.5)


def test_screening_drops_large_moving_ranges_once() -> None:
    value = np.array([10, 11, 10, 11, 10, 11, 10, 11, 10, 50, 10, 11.0])
    amr = average_moving_range(value, np.ones(12, dtype=bool), screen=True)
    assert _close(amr, 1.0)  # both MRs of 40 are >= 3.267 x AMR (89/11)
    assert math.isnan(average_moving_range(np.full(5, 2.0), np.ones(5, dtype=bool), screen=True))


@pytest.mark.parametrize(
    ("scale", "widths"),
    [
        (XmrScale.QICHARTS2, (1 / 1.128, 2 / 1.128, 3 / 1.128)),
        (XmrScale.MDC, (2.66 / 3, 2 * 2.66 / 3, 2.66)),
    ],
)
def test_i_chart(scale: XmrScale, widths: tuple[float, float, float]) -> None:
    lines = lines_for(ChartType.I, _input([1, 2, 4, 3], scale=scale))
    amr = 4 / 3
    assert _close(lines.centre[0], 2.5)
    for k, width in enumerate(widths):
        assert _close(lines.upper[k, 0], 2.5 + width * amr)
        assert _close(lines.lower[k, 0], 2.5 - width * amr)


def test_run_chart_has_only_a_median() -> None:
    lines = lines_for(ChartType.RUN, _input([3, 1, 2, 10]))
    assert lines.centre.tolist() == [2.5] * 4
    assert np.isnan(lines.upper).all()
    assert np.isnan(lines.lower).all()


def test_mr_chart() -> None:
    lines = lines_for(ChartType.MR, _input([NAN, 2, 4]))
    assert _close(lines.centre[0], 3.0)
    assert _close(lines.upper[2, 0], 3.267 * 3)
    assert _close(lines.upper[1, 0], 2.178 * 3)
    assert lines.lower.tolist() == [[0.0] * 3] * 3


def test_p_chart_limits_vary_with_n_and_are_clipped() -> None:
    y, n = [1, 9, 5], [10, 10, 3]
    data = _input([0.1, 0.9, 5 / 3], numerator=y, denominator=n)
    lines = lines_for(ChartType.P, data)
    p = 15 / 23
    sigma = np.sqrt(p * (1 - p) / np.array(n))
    assert _close(lines.centre[0], p)
    assert _close(lines.upper[2, 0], 1.0)  # clipped
    assert _close(lines.lower[2, 0], p - 3 * sigma[0])
    assert _close(lines.lower[2, 2], 0.0)  # clipped
    assert _close(lines.upper[1, 0], p + 2 * sigma[0])


def test_p_prime_scales_sigma_by_laney_factor() -> None:
    y, n = [10, 30, 20, 25], [100, 100, 100, 100]
    data = _input([0.1, 0.3, 0.2, 0.25], numerator=y, denominator=n)
    p = 85 / 400
    sigma = math.sqrt(p * (1 - p) / 100)
    z = (np.array([0.1, 0.3, 0.2, 0.25]) - p) / sigma
    sigma_z = np.mean(np.abs(np.diff(z))) / 1.128
    lines = lines_for(ChartType.PP, data)
    assert _close(lines.upper[2, 0], p + 3 * sigma * sigma_z)


def test_u_and_u_prime_charts() -> None:
    y, n = [2, 8, 4], [10, 20, 10]
    data = _input([0.2, 0.4, 0.4], numerator=y, denominator=n)
    u = 14 / 40
    lines = lines_for(ChartType.U, data)
    assert _close(lines.upper[2, 0], u + 3 * math.sqrt(u / 10))
    assert _close(lines.lower[2, 0], 0.0)  # clipped at zero
    prime = lines_for(ChartType.UP, data)
    assert _close(prime.centre[0], u)


def test_ratio_chart_without_any_denominator_total() -> None:
    data = _input([NAN, NAN], numerator=[NAN, NAN], denominator=[NAN, NAN])
    assert np.isnan(lines_for(ChartType.P, data).centre).all()


def test_c_chart() -> None:
    lines = lines_for(ChartType.C, _input([1, 2, 3]))
    assert _close(lines.upper[2, 0], 2 + 3 * math.sqrt(2))
    assert _close(lines.lower[2, 0], 0.0)
    assert np.isnan(lines_for(ChartType.C, _input([-1, -2])).upper).all()


def test_g_chart_centre_is_the_median() -> None:
    lines = lines_for(ChartType.G, _input([1, 2, 9]))
    assert _close(lines.centre[0], 2.0)
    assert _close(lines.upper[2, 0], 4 + 3 * math.sqrt(20))
    assert _close(lines.lower[2, 0], 0.0)
    assert np.isnan(lines_for(ChartType.G, _input([-3, -4])).upper).all()


def test_t_chart_back_transforms_and_clips_the_lower_limit() -> None:
    values = [7.4, 29.2, 20.1, 58.5, 19.2]
    lines = lines_for(ChartType.T, _input(values, screen=True))
    z = np.power(values, 1 / 3.6)
    assert _close(lines.centre[0], float(np.mean(z)) ** 3.6)
    assert lines.lower[2, 0] >= 0
    wide = lines_for(ChartType.T, _input([1, 500, 1, 500, 1], screen=False))
    assert wide.lower[2, 0] == 0.0  # negative transformed LCL becomes 0
    assert np.isnan(wide.lower[1, 0])  # a negative 2-sigma line has no back-transform


def test_xbar_and_s_with_equal_sizes() -> None:
    size, sd, mean = [5, 5], [2.0, 4.0], [10.0, 12.0]
    c4 = math.sqrt(2 / 4) * math.exp(math.lgamma(2.5) - math.lgamma(2))
    xbar = lines_for(ChartType.XBAR, _input(mean, size=size, sd=sd))
    assert _close(xbar.centre[0], 11.0)
    assert _close(xbar.upper[2, 0], 11 + 3 / (c4 * math.sqrt(5)) * 3.0)
    s = lines_for(ChartType.S, _input(sd, size=size, sd=sd))
    c5 = math.sqrt(1 - c4**2)
    assert _close(s.centre[0], 3.0)
    assert _close(s.upper[2, 0], (1 + 3 * c5 / c4) * 3)
    assert _close(s.lower[2, 0], 0.0)
    assert _close(s.lower[1, 0], max(0.0, 1 - 2 * c5 / c4) * 3)


def test_xbar_and_s_with_varying_sizes_pool_the_sd() -> None:
    size, sd, mean = [2, 4, 1], [1.0, 2.0, NAN], [5.0, 6.0, 7.0]
    pooled = math.sqrt((1 * 1 + 3 * 4) / 4)
    xbar = lines_for(ChartType.XBAR, _input(mean, size=size, sd=sd))
    assert _close(xbar.centre[0], (10 + 24 + 7) / 7)
    assert np.isnan(xbar.upper[2, 2])  # a subgroup of one has no limits
    s = lines_for(ChartType.S, _input(sd, size=size, sd=sd))
    assert _close(s.centre[0], pooled)
    assert np.isnan(s.lower[2, 2])


def test_subgroups_without_pooled_degrees_of_freedom() -> None:
    # qicharts2: sqrt(sum((m - 1) sd^2, na.rm) / sum(m - 1)) = sqrt(0 / -1) = -0 (R), limits NA
    lines = lines_for(ChartType.S, _input([NAN, NAN], size=[1, 0], sd=[NAN, NAN]))
    assert (lines.centre == 0).all()
    assert np.isnan(lines.upper).all()
    assert np.isnan(lines.lower).all()
    # sizes 1, 2 and 0: sum(m - 1) = 0, so s-bar = sd^2 / 0 = Inf (a point reports None)
    inf = lines_for(ChartType.S, _input([NAN, 1.0, NAN], size=[1, 2, 0], sd=[NAN, 1.0, NAN]))
    assert np.isposinf(inf.centre).all()
    assert np.isnan(inf.upper).all()
    empty = lines_for(ChartType.XBAR, _input([NAN], size=[0], sd=[NAN]))
    assert np.isnan(empty.centre).all()


def test_undefined_lines_helper() -> None:
    lines = Lines.undefined(np.array([1.0, 1.0]))
    assert lines.upper.shape == (3, 2)
    assert np.isnan(lines.lower).all()
