"""Regression tests for the independent audit's findings (one section per finding).

Small inline cases with hand-derived expectations, plus the audit's repro cases
(``cases/*.json``: inputs from the audit, expected outputs from its independent
re-implementation of the qicharts2 / NHSRplotthedots R code, which reproduces every
shared reference vector) recomputed through the harness.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qidesk.core.spc import ChartType, Preset, SpcOptions, analyse
from qidesk.core.spc.arrays import mean_of, median_of, sd_of, sum_of
from qidesk.core.spc.batch import analyse_batch
from qidesk.core.spc.mdc import group_numbers
from qidesk.core.spc.reference import derived_ihi, main, nhsrplotthedots, qicharts2, recompute
from qidesk.core.spc.series import prepare_series, subgroup_keys
from qidesk.core.spc.types import AssuranceType

CASES = Path(__file__).parent / "cases"
NAN = math.nan


def _r_mean(values: list[float]) -> float:
    """R ``mean`` (``summary.c``) written out literally: two sequential long-double passes."""
    total = np.longdouble(0.0)
    for v in values:
        total += np.longdouble(v)
    mean = total / len(values)
    residual = np.longdouble(0.0)
    for v in values:
        residual += np.longdouble(v) - mean
    return float(mean + residual / len(values))


def _case(y: list[Any], **extra: Any) -> dict[str, Any]:
    case_input = {
        "value_kind": extra.pop("value_kind", "continuous"),
        "index": list(range(1, len(y) + 1)),
        "date": [f"{2020 + m // 12}-{m % 12 + 1:02d}-01" for m in range(len(y))],
        "subgroup": extra.pop("subgroup", None),
        "y": y,
        "n": extra.pop("n", None),
        "ratio_y_over_n": None,
    }
    return {"schema": "qidesk-spc-reference/1", "input": case_input, **extra}


def _qic(chart: str, **options: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "chart": chart,
        "freeze": None,
        "part": None,
        "method": "anhoej",
        "y.neg": True,
    }
    base |= {"multiply": 1, "qic.screenedmr": True, "denominator": False}
    return {"label": chart, "options": base | options, "status": "ok"}


def _ptd(**options: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"improvement_direction": "increase", "target": None, "rebase": None}
    base |= {"fix_after_n_points": None, "screen_outliers": True}
    return {"label": "ptd", "options": base | options, "status": "ok"}


# --------------------------------------------------------------------------- 1. cl_first


def test_cl_first_is_the_scaled_centre_line_of_the_parts_first_point() -> None:
    y = [20.1, 21.3, 19.8, 22.0, 20.5, 18.9, 21.7, 20.0, 19.5, 22.4, 20.8, 21.1]
    case_input = _case(y)["input"]
    plain = qicharts2(case_input, _qic("i", part=[6]))
    scaled = qicharts2(case_input, _qic("i", part=[6], multiply=100))
    for part, first in zip(scaled["parts"], (0, 6), strict=True):
        assert part["cl_first"] == scaled["points"][first]["cl"]
        assert part["cl_first"] == pytest.approx(100 * plain["points"][first]["cl"], rel=1e-15)
    halved = qicharts2(case_input, _qic("run", multiply=0.5))
    assert halved["parts"][0]["cl_first"] == pytest.approx(median_of(np.array(y)) / 2)


def test_multiply_null_is_one_and_a_non_positive_multiply_judges_again() -> None:
    case_input = _case([5.0, 7.0, 6.0, 8.0, 4.0, 6.0, 7.0, 5.0, 6.0, 30.0])["input"]
    unscaled = qicharts2(case_input, _qic("i", multiply=None))
    assert unscaled["points"] == qicharts2(case_input, _qic("i"))["points"]
    flipped = qicharts2(case_input, _qic("i", multiply=-1))
    # qicharts2 judges after multiplying: with -1, lcl * -1 > ucl * -1, so every point is
    # either above the (scaled) UCL or below the (scaled) LCL
    assert all(p["sigma_signal"] for p in flipped["points"])
    assert flipped["parts"][0]["sigma_signal_count"] == sum(
        p["sigma_signal"] for p in flipped["points"]
    )


# --------------------------------------------------------------------------- 2. R's mean


R01 = [0.4, 0.42, 0.0, 0.4, 0.57, 0.3, 0.0, 0.4, 0.57, 0.52, 0.0, 1.0, 0.0, 0.44, 0.5, 0.5]
R01 += [1.0, 0.44, 1.0, 1.0, 0.41, 0.44, 1.0, 0.41, 0.0, 0.5, 0.47, 0.47, 0.1, 0.9]


def test_mean_is_rs_long_double_two_pass_mean() -> None:
    assert mean_of(np.array(R01[:26])) == _r_mean(R01[:26]) == 0.47  # exactly on 0.47
    assert mean_of(np.array([-1.0] + [0.0] * 19)) == -0.05
    assert mean_of(np.array([0.1] * 12)) == 0.1
    rng = np.random.default_rng(5)
    for _ in range(300):
        values = np.round(rng.uniform(0, 100, rng.integers(1, 40)), rng.integers(1, 4))
        assert mean_of(values) == _r_mean(values.tolist())
    assert mean_of(np.array([1.0, math.inf])) == math.inf  # R skips the second pass
    assert math.isnan(mean_of(np.array([math.inf, -math.inf])))
    assert sum_of(np.array([0.1, NAN, 0.2])) == float(np.longdouble(0.1) + np.longdouble(0.2))
    assert median_of(np.array([1.0, 2.0, math.inf, 3.0])) == 2.5
    assert sd_of(np.array([1.0, 2.0, 3.0, 4.0])) == pytest.approx(1.2909944487358056, rel=1e-15)
    assert math.isnan(sd_of(np.array([1.0, math.inf])))
    assert math.isnan(sd_of(np.array([1.0, NAN])))


def test_points_r_finds_on_the_mean_are_on_it() -> None:
    # r01: with the baseline of 26 points the mean is exactly 0.47, so points 27-28 are
    # on the centre line: not useful for the Anhøj rules, relative_to_mean 0.
    case = _case(
        R01, qicharts2=[_qic("i", freeze=26)], NHSRplotthedots=[_ptd(fix_after_n_points=26)]
    )
    out = recompute(case)
    assert out["qicharts2"][0]["parts"][0]["n_useful"] == 28
    assert out["qicharts2"][0]["parts"][0]["n_crossings_min"] == 9
    points = out["NHSRplotthedots"][0]["points"]
    assert [p["relative_to_mean"] for p in points[26:28]] == [0, 0]


def test_assurance_sees_the_target_on_the_limit_as_r_does() -> None:
    # r02: mean exactly -0.05; screening leaves AMR 0, so LPL = UPL = -0.05 = target.
    result = analyse(
        [-1.0] + [0.0] * 19,
        preset=Preset.MDC,
        target=-0.05,
        options=SpcOptions(hide_zero_width_limits=False),
    )
    assert result.points[0].cl == -0.05
    assert result.icons.assurance_type is AssuranceType.INCONSISTENT


def test_subgroup_means_and_sds_are_rs() -> None:
    values = [0.1, 0.2, 0.4, 1.1, 2.2, 3.3, 0.7, 0.1, 0.2]
    labels = [1, 1, 1, 2, 2, 2, 3, 3, 3]
    xbar = analyse(values, chart=ChartType.XBAR, subgroups=labels)
    s = analyse(values, chart=ChartType.S, subgroups=labels)
    for k in range(3):
        group = values[3 * k : 3 * k + 3]
        assert xbar.points[k].value == _r_mean(group)
        assert s.points[k].value == sd_of(np.array(group))


def test_batch_mean_and_median_are_the_scalar_engines() -> None:
    rows = np.array([[*R01[:26], 0.47, 0.47], [*R01[:27], NAN]])
    result = analyse_batch(rows, hide_zero_width_limits=False)
    for i, row in enumerate(rows.tolist()):
        xmr = analyse(row, preset=Preset.MDC, options=SpcOptions(hide_zero_width_limits=False))
        assert result.mean[i] == xmr.points[0].cl
        assert result.labels(i) == [p.label for p in xmr.points]
        run = analyse(row, chart=ChartType.RUN)
        assert result.median[i] == run.points[0].cl
    assert result.mean[0] == 0.47


def test_batch_of_one_point_series() -> None:
    result = analyse_batch(np.array([[3.0], [NAN]]))
    assert result.mean.tolist()[0] == 3.0
    assert np.isnan(result.amr).all()
    assert result.labels(0) == ["Common Cause"]


# --------------------------------------------------------------------------- 3. T chart


def test_t_chart_transforms_once() -> None:
    constant = [76.1] * 10
    for screen in (True, False):
        out = qicharts2(_case(constant)["input"], _qic("t", **{"qic.screenedmr": screen}))
        part = out["parts"][0]
        assert part["n_useful"] == 0  # every point is on its centre line, as in qicharts2
        assert part["longest_run"] is None
        assert not part["runs_signal"]
        assert not any(p["sigma_signal"] for p in out["points"])
        point = out["points"][0]
        z = 76.1 ** (1 / 3.6)
        assert point["y"] == point["cl"] == z**3.6
        assert point["lcl"] == (0 if screen else point["cl"])
        assert point["ucl"] == (None if screen else point["cl"])
    single = qicharts2(_case([76.1, 12.0, 30.5, 8.25, 17.0, 22.0])["input"], _qic("t", part=[1]))
    assert single["parts"][0]["n_useful"] == 0
    series = prepare_series([76.1, 12.0], chart=ChartType.T)
    assert series.transformed is not None
    assert series.transformed.tolist() == [76.1 ** (1 / 3.6), 12.0 ** (1 / 3.6)]
    assert series.value.tolist() == [v**3.6 for v in series.transformed.tolist()]


# --------------------------------------------------------------------------- 4. y > 0, n = 0


Y02 = [12, 15, 11, 5, 14, 13, 12, 16, 11, 14, 13, 12]
N02 = [40, 42, 38, 0, 41, 40, 39, 43, 37, 40, 41, 39]


def test_zero_denominator_quirk_reproduces_qicharts2() -> None:
    case_input = _case(Y02, n=N02, value_kind="proportion")["input"]
    p = qicharts2(case_input, _qic("p", denominator=True))
    assert p["points"][0]["cl"] == 148 / 440  # the 5 over n = 0 counts in p-bar
    fourth = p["points"][3]
    assert (fourth["y"], fourth["n"], fourth["ucl"], fourth["sigma_signal"]) == (
        None,
        0,
        None,
        False,
    )
    assert p["parts"][0]["n_useful"] == 12  # +Inf is a useful point above the CL
    ratios = sorted(y / n for y, n in zip(Y02, N02, strict=True) if n)
    run = qicharts2(case_input, _qic("run", denominator=True))
    assert run["points"][0]["cl"] == _r_mean(ratios[5:7])  # median with +Inf among 12
    i_chart = qicharts2(case_input, _qic("i", denominator=True))
    assert i_chart["points"][0]["cl"] is None  # mean is Inf
    assert i_chart["parts"][0]["runs_signal"] is True  # 11 finite points below Inf
    pp = qicharts2(case_input, _qic("pp", denominator=True))
    assert pp["points"][0]["cl"] == 148 / 440
    assert pp["points"][0]["ucl"] is not None  # z of the Inf point is NaN: dropped


def test_zero_denominator_quirk_reproduces_nhsrplotthedots() -> None:
    out = nhsrplotthedots(_case(Y02, n=N02)["input"], _ptd(target=0.3))
    assert out["status"] == "ok"
    # mean = Inf, so LPL = UPL = Inf: every finite point is "Below LCL"
    assert out["summary"][0]["mean"] is None
    assert out["points"][0]["special_cause_type"] == "Below LCL"
    assert out["points"][3]["relative_to_mean"] is None
    assert out["points"][3]["outside_limits"] is False
    assert out["icons"]["assurance_type"] == "consistent_pass"  # 0.3 < LPL = Inf


def test_app_default_still_treats_zero_denominators_as_missing() -> None:
    default = analyse(Y02, chart=ChartType.P, denominators=N02)
    assert default.points[3].value is None
    assert default.points[0].cl == (148 - 5) / 440
    quirk = analyse(
        Y02,
        chart=ChartType.P,
        denominators=N02,
        options=SpcOptions(r_zero_denominator_quirk=True),
    )
    assert quirk.points[3].value is None  # +Inf is not a plottable value
    assert quirk.points[3].side == 1
    assert quirk.warnings[0] == "Denominator 0 at point(s) 4: kept as R computes y / 0."


# --------------------------------------------------------------------------- 5. rebase dates


def test_rebase_date_between_points() -> None:
    y = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 16, 17, 15, 18]
    case = _case(y)
    dates = case["input"]["date"]
    out = nhsrplotthedots(case["input"], _ptd(rebase="2020-07-15"))
    assert {p["rebase_group"] for p in out["points"]} == {0}  # NHSRplotthedots ignores it
    both = nhsrplotthedots(case["input"], _ptd(rebase=["2020-07-15", dates[12]]))
    assert [p["rebase_group"] for p in both["points"]] == [0] * 12 + [1] * 4
    from datetime import date

    days = [date.fromisoformat(d) for d in dates]
    app = analyse(y, dates=days, rebase=[date(2020, 7, 15)])
    assert [p.phase for p in app.points] == [0] * 7 + [1] * 9  # qidesk default: next point
    exact = analyse(
        y, dates=days, rebase=[date(2020, 7, 15)], options=SpcOptions(rebase_exact_dates=True)
    )
    assert {p.phase for p in exact.points} == {0}
    assert group_numbers(days[:3], [days[0], days[0]], exact=True) == [1, 1, 1]


# --------------------------------------------------------------------------- 6. exclude


def test_excluded_points_are_not_there_for_the_calculations() -> None:
    y = [20.1, 21.3, 19.8, 22.0, 35.0, 18.9, 21.7, 20.0, 19.5, 22.4, 20.8, 21.1]
    without = [v for k, v in enumerate(y) if k != 4]
    case_input = _case(y)["input"]
    out = qicharts2(case_input, _qic("i", exclude=[5], **{"qic.screenedmr": False}))
    reduced = qicharts2(_case(without)["input"], _qic("i", **{"qic.screenedmr": False}))
    assert out["points"][0]["ucl"] == reduced["points"][0]["ucl"]  # MR bridges point 5
    assert out["points"][4]["include"] is False
    assert out["points"][4]["sigma_signal"] is True
    assert out["parts"][0]["n_obs"] == 11
    scalar = qicharts2(case_input, _qic("i", exclude=5))
    assert scalar["points"][4]["include"] is False
    # a missing value still removes its two moving ranges (never bridged)
    gap = [*y[:4], None, *y[5:]]
    gapped = qicharts2(_case(gap)["input"], _qic("i", **{"qic.screenedmr": False}))
    assert gapped["points"][0]["ucl"] != reduced["points"][0]["ucl"]


def test_excluded_points_are_bridged_in_laney_z_scores() -> None:
    y = [12, 15, 11, 30, 14, 13, 12, 16, 11, 14]
    n = [40, 42, 38, 40, 41, 40, 39, 43, 37, 40]
    drop = 3
    kept = [k for k in range(10) if k != drop]
    full = analyse(y, chart=ChartType.PP, denominators=n, excluded=[drop])
    reduced = analyse([y[k] for k in kept], chart=ChartType.PP, denominators=[n[k] for k in kept])
    for a, b in zip([full.points[k] for k in kept], reduced.points, strict=True):
        assert a.ucl == b.ucl
        assert a.lcl == b.lcl


# --------------------------------------------------------------------------- 7. subgroup order


def test_points_follow_sorted_subgroup_labels() -> None:
    case_input = _case([1.0, 2.0, 4.0, 4.4, 3.0, 5.0, 2.0, 2.5], subgroup=[3, 3, 1, 1, 2, 2, 4, 4])[
        "input"
    ]
    out = qicharts2(case_input, _qic("xbar"))
    assert [p["x"] for p in out["points"]] == [1, 2, 3, 4]
    assert [p["y"] for p in out["points"]] == pytest.approx([4.2, 4.0, 1.5, 2.25])
    assert out["parts"][0]["n_crossings"] == 1
    assert subgroup_keys(["b", "a", None, "b"]) == ["a", "b"]
    assert subgroup_keys([2, "a", 1]) == [2, "a", 1]  # cannot be sorted: first appearance
    dropped = analyse([1.0, 2.0, 3.0, 5.0], chart=ChartType.XBAR, subgroups=[2, None, 2, 1])
    assert [p.value for p in dropped.points] == [5.0, 2.0]  # qicharts2 drops a missing x
    # an unsorted index is aggregated and sorted the same way (qicharts2 x = index)
    shuffled = _case([5.0, 6.0, 7.0])["input"] | {"index": [3, 1, 2]}
    points = qicharts2(shuffled, _qic("run"))["points"]
    assert [(p["x"], p["y"]) for p in points] == [(1, 6.0), (2, 7.0), (3, 5.0)]
    text = _case([5.0, 6.0, 7.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])["input"]
    text["index"] = list("abcdefghij")
    dots = qicharts2(text, _qic("run"))
    assert not dots["parts"][0]["runs_signal"]  # qicharts2: no runs analysis for text x


def test_c_chart_of_subgroups_plots_their_totals() -> None:
    result = analyse([1, 2, None, 4, None], chart=ChartType.C, subgroups=[1, 1, 2, 2, 3])
    assert [p.value for p in result.points] == [3.0, 4.0, None]


# --------------------------------------------------------------------------- 8. low probability


def test_c_chart_with_denominators_plots_the_count_where_n_is_zero() -> None:
    case_input = _case([3, 4, 0, 5, 2, 6], n=[10, 10, 0, 10, 10, None])["input"]
    out = qicharts2(case_input, _qic("c", denominator=True))
    assert [p["y"] for p in out["points"]] == [3, 4, 0, 5, 2, None]
    assert [p["n"] for p in out["points"]] == [10, 10, 0, 10, 10, 0]
    assert out["points"][0]["cl"] == 2.8
    app = analyse([3, 4, 0, 5, 2, 6], chart=ChartType.C, denominators=[10, 10, 0, 10, 10, None])
    assert app.points[2].value is None  # qidesk default: n = 0 is missing


def test_s_chart_of_single_values_and_an_empty_subgroup_reports_zero() -> None:
    case_input = _case([5.0, 6.0, None], subgroup=[1, 2, 3])["input"]
    out = qicharts2(case_input, _qic("s"))
    assert [p["cl"] for p in out["points"]] == [0.0, 0.0, 0.0]  # R: sqrt(0 / -1) = -0
    assert "-0.0" not in json.dumps(out)
    assert all(p["ucl"] is None for p in out["points"])


# --------------------------------------------------------------------------- 9. robustness


def test_every_computation_is_isolated() -> None:
    case = _case(
        [3.0, 0.0, 2.0, 4.0],
        qicharts2=[_qic("ip"), _qic("t"), _qic("i"), {"label": "bare", "options": {"chart": "i"}}],
        NHSRplotthedots=[_ptd(fix_after_n_points=4), _ptd(improvement_direction="up"), _ptd()],
        derived_ihi=None,
    )
    out = recompute(case)
    ip, t, i, bare = out["qicharts2"]
    assert ip["status"] == "error"
    assert "should be one of" in ip["error"]
    assert t == {
        "label": "t",
        "options": case["qicharts2"][1]["options"],
        "status": "error",
        "error": "Time between events must be greater than zero",
    }
    assert i["status"] == "ok"
    assert bare["status"] == "ok"
    fix, direction, fine = out["NHSRplotthedots"]
    assert fix["error"].startswith("fix_after_n_points must be")
    assert fix["warnings"] == []
    assert "increase" in direction["error"]
    assert fine["status"] == "ok"
    assert out["derived_ihi"] is None


def test_nhsrplotthedots_sorts_rows_by_date() -> None:
    case_input = _case([1.0, 2.0, 3.0, 4.0])["input"]
    case_input["date"] = ["2020-04-01", "2020-01-01T00:00:00Z", "2020-03-01", "2020-02-01 00:00"]
    out = nhsrplotthedots(case_input, _ptd(target=[1.0, 2.0, 3.0, 9.0]))
    assert [p["y"] for p in out["points"]] == [2.0, 4.0, 3.0, 1.0]
    assert out["points"][0]["date"] == "2020-01-01T00:00:00Z"
    assert out["icons"]["assurance_type"] == "consistent_fail"  # last (sorted) target 9
    single = nhsrplotthedots(case_input, _ptd(target=[9.0]))
    assert single["icons"]["assurance_type"] == "consistent_fail"
    rebased = nhsrplotthedots(case_input, _ptd(rebase="2020-03-01T00:00:00+00:00"))
    assert [p["rebase_group"] for p in rebased["points"]] == [0, 0, 1, 1]


@pytest.mark.parametrize(
    ("dates", "options", "message"),
    [
        (None, {}, "Date or POSIXt"),
        (["2020-01-01", "2020-01-01", "2020-02-01", "2020-03-01"], {}, "duplicate rows"),
        (["2020-01-01", "2020-02-01", "soon", "2020-03-01"], {}, "cannot read the date"),
        ([1, 2, 3, 4], {}, "Date or POSIXt"),
        (["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"], {"target": [1, 2]}, "target"),
        (["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"], {"y": "x"}, "KeyError"),
    ],
)
def test_nhsrplotthedots_refusals_are_errors(
    dates: list[Any] | None, options: dict[str, Any], message: str
) -> None:
    case_input = _case([1.0, 2.0, 3.0, 4.0])["input"]
    case_input["date"] = dates
    if "y" in options:
        del case_input["y"]
        options = {}
    out = nhsrplotthedots(case_input, _ptd(**options))
    assert out["status"] == "error"
    assert message in out["error"]
    assert "points" not in out


def test_options_and_inputs_the_generator_may_leave_out() -> None:
    case_input = _case([5.0, 7.0, 6.0, 8.0, 4.0, 6.0, 7.0, 5.0])["input"]
    del case_input["index"]
    out = qicharts2(case_input, {"label": "x", "options": {"chart": "i", "freeze": 4.0}})
    assert [p["index"] for p in out["points"]] == list(range(1, 9))
    assert [p["baseline"] for p in out["points"]] == [True] * 4 + [False] * 4
    # part = [] is not NULL in R: qicharts2 then ignores freeze (one part, no baseline cut)
    empty_part = qicharts2(case_input, _qic("i", freeze=4, part=[]))
    assert all(p["baseline"] for p in empty_part["points"])
    assert len(empty_part["parts"]) == 1
    bad = qicharts2(case_input, _qic("i", freeze="soon"))
    assert bad["error"] == "freeze must be numeric, got 'soon'"
    inf = qicharts2(case_input, _qic("i", part=[math.inf]))
    assert inf["error"] == "part must be finite, got inf"
    broken = qicharts2({}, _qic("i"))
    assert broken["status"] == "error"
    assert broken["error"].startswith("KeyError")


def test_derived_ihi_baseline_is_a_freeze_qicharts2_applies() -> None:
    y = [1.0, 2.0, 3.0, 4.0, 10.0, 11.0, 12.0, 13.0]
    parts: list[Any] = [0, []]
    for part in parts:
        case = _case(y, qicharts2=[_qic("run", freeze=2, part=part)])
        assert derived_ihi(case)["centre_line"] == 7.0  # type: ignore[index]
    assert derived_ihi(_case(y, qicharts2=[_qic("run", freeze=2)]))["centre_line"] == 1.5  # type: ignore[index]


def test_derived_ihi_keeps_the_given_source_and_reports_failures() -> None:
    case = _case([1.0, 2.0, 3.0], derived_ihi={"source": "research helper"})
    assert derived_ihi(case)["source"] == "research helper"  # type: ignore[index]
    assert recompute(case)["derived_ihi"]["source"] == "research helper"
    broken = recompute({"input": {"value_kind": "continuous"}, "derived_ihi": {}})
    assert broken["derived_ihi"]["status"] == "error"
    assert broken["qicharts2"] == []
    assert recompute({"input": None, "qicharts2": [_qic("run")]})["qicharts2"][0]["status"] == (
        "error"
    )


def test_output_numbers_are_written_as_the_oracles_write_them() -> None:
    from qidesk.core.spc.reference import _tidy

    assert _tidy({"a": [math.inf, -0.0, NAN, 1.5, True, "x"]}) == {
        "a": [None, 0.0, None, 1.5, True, "x"]
    }
    assert math.copysign(1.0, _tidy(-0.0)) == 1.0


def test_main_refuses_a_file_that_is_not_a_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "list.json"
    path.write_text("[1, 2]", encoding="utf-8")
    assert main([str(path)]) == 1
    assert "not a reference case" in capsys.readouterr().err


# ---------------------------------------------------------------------- the audit's repro cases


def _same(expected: Any, actual: Any, where: str = "") -> None:
    """Deep comparison with the reference README's tolerances (1e-9 relative)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), where
        assert set(expected) == set(actual), f"{where}: keys {sorted(actual)}"
        for key, value in expected.items():
            _same(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), where
        assert len(actual) == len(expected), where
        for k, (e, a) in enumerate(zip(expected, actual, strict=True)):
            _same(e, a, f"{where}[{k}]")
    elif expected is None or isinstance(expected, bool | str):
        assert actual == expected and type(actual) is type(expected), f"{where}: {actual!r}"
    else:
        assert not isinstance(actual, bool), where
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12), f"{where}: {actual!r}"


@pytest.mark.parametrize("path", sorted(CASES.glob("*.json")), ids=lambda p: p.stem)
def test_audit_repro_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    out = recompute(case)
    for block in ("qicharts2", "NHSRplotthedots"):
        for expected, actual in zip(case[block], out[block], strict=True):
            _same(expected, actual, f"{path.stem}.{block}.{expected['label']}")
    if case.get("derived_ihi") is not None:
        expected_ihi = dict(case["derived_ihi"])
        expected_ihi.pop("source")
        actual_ihi = dict(out["derived_ihi"])
        actual_ihi.pop("source")
        _same(expected_ihi, actual_ihi, f"{path.stem}.derived_ihi")
