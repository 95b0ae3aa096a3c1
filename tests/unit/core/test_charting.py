from datetime import date

import pytest

from qidesk.core.charting import ChartView, chart_data, view_settings
from qidesk.core.measures import Annotation, Measure, Observation, Phase, PhaseKind
from qidesk.core.periods import Period, next_period
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset

MEASURE = Measure(
    "p", "Falls risk assessment within 24 h", data_type=DataType.PROPORTION, multiplier=100,
    period=Period.WEEK, chart=ChartType.P, preset=Preset.ANHOEJ, direction=Direction.INCREASE,
    target=90.0,
)


def weekly(nums, dens, start=date(2025, 1, 6)):
    out, d = [], start
    for n, m in zip(nums, dens, strict=True):
        out.append(Observation(MEASURE.id, d, numerator=n, denominator=m))
        d = next_period(d, Period.WEEK)
    return out


def test_empty_measure_has_no_result():
    data = chart_data(MEASURE, [])
    assert data.result is None
    assert data.error is None
    assert data.periods == ()


def test_p_chart_in_display_units_with_targets():
    obs = weekly([15, 16, 14, 15, 17, 16, 15, 14, 16, 15, 15, 16], [20] * 12)
    data = chart_data(MEASURE, obs)
    assert data.chart is ChartType.P
    assert data.scale == 100
    first = data.result.points[0]
    assert data.shown(first.value) == pytest.approx(75.0)
    assert data.targets == (90.0,) * 12
    assert data.shown(None) is None


def test_views_pick_chart_and_preset():
    assert view_settings(MEASURE, ChartView.IMPROVEMENT) == (ChartType.RUN, Preset.ANHOEJ)
    assert view_settings(MEASURE, ChartView.ASSURANCE) == (ChartType.I, Preset.MDC)
    ihi = MEASURE.with_changes(preset=Preset.IHI)
    assert view_settings(ihi, ChartView.IMPROVEMENT) == (ChartType.RUN, Preset.IHI)
    obs = weekly([15] * 6 + [19] * 8, [20] * 14)
    data = chart_data(MEASURE, obs, view=ChartView.ASSURANCE)
    assert data.scale == 1.0
    assert data.shown(data.result.points[-1].value) == pytest.approx(95.0)
    assert data.result.icons.variation_type.value == "special_cause_improvement"


def test_phase_freeze_exclusion_and_annotations():
    obs = weekly([10, 11, 9, 10, 12, 10, 11, 10, 17, 18, 17, 19, 18, 18], [20] * 14)
    obs[3] = obs[3].with_changes(excluded=True, exclude_reason="audit gap")
    phase = Phase(MEASURE.id, obs[8].period, PhaseKind.PHASE, "bundle adopted")
    freeze = Phase(MEASURE.id, obs[5].period, PhaseKind.FREEZE, "baseline agreed")
    note = Annotation(MEASURE.id, obs[7].period, "PDSA 1")
    data = chart_data(MEASURE, obs, [phase, freeze], [note], view=ChartView.IMPROVEMENT)
    assert len(data.result.phases) == 2
    assert data.result.points[3].excluded
    assert data.result.points[0].baseline
    assert not data.result.points[7].baseline
    assert data.annotations == (note,)


def test_t_chart_with_zero_reports_error_not_exception():
    m = Measure("p", "Days between falls", data_type=DataType.TIME_BETWEEN_EVENTS,
                chart=ChartType.T, period=Period.DAY)
    obs = [Observation(m.id, date(2025, 1, i + 1), value=v) for i, v in enumerate([3, 0, 5])]
    data = chart_data(m, obs)
    assert data.result is None
    assert data.error
