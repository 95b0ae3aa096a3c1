"""The chart's words and table, over real engine results (``chart_data`` → ``summary_text``)."""

from __future__ import annotations

from datetime import date

import pytest

from qidesk.core.chart_text import (
    TABLE_COLUMNS,
    assurance_label,
    definition_lines,
    format_count,
    format_value,
    latest_run,
    overview,
    point_info,
    preset_text,
    signal_kind,
    summary_text,
    table_rows,
    unit_of,
    variation_label,
)
from qidesk.core.charting import ChartView, chart_data
from qidesk.core.measures import (
    Annotation,
    AnnotationKind,
    Measure,
    Observation,
    Phase,
    PhaseKind,
    TargetPoint,
)
from qidesk.core.periods import Period, next_period
from qidesk.core.spc.types import (
    AssuranceType,
    ChartType,
    DataType,
    Direction,
    PointType,
    Preset,
)

START = date(2024, 11, 25)  # a Monday
#: 14 weeks around 72 % (median of the whole series is exactly 72 %), then 9 weeks higher
BASELINE = [70, 71, 69, 72, 68, 71, 70, 73, 69, 70, 72, 71, 72, 71]
HIGHER = [80, 82, 79, 83, 81, 84, 80, 82, 85]

ASSESSMENT = Measure(
    "p",
    "Falls risk assessment within 24 h",
    data_type=DataType.PROPORTION,
    multiplier=100,
    period=Period.WEEK,
    decimals=0,
    chart=ChartType.RUN,
    preset=Preset.ANHOEJ,
    direction=Direction.INCREASE,
    definition="Patients aged 65+ admitted to ward 7 with a falls risk assessment in 24 h",
    numerator_definition="Patients assessed within 24 hours of admission",
    denominator_definition="Patients aged 65+ admitted",
)
TRIAGE = Measure(
    "p",
    "Minutes to triage",
    data_type=DataType.CONTINUOUS,
    period=Period.WEEK,
    decimals=0,
    unit="min",
    chart=ChartType.I,
    preset=Preset.MDC,
    direction=Direction.DECREASE,
)


def weekly(measure: Measure, values: list[float], *, ratio: bool = False) -> list[Observation]:
    out, when = [], START
    for v in values:
        if ratio:
            out.append(Observation(measure.id, when, numerator=v, denominator=100))
        else:
            out.append(Observation(measure.id, when, value=v))
        when = next_period(when, Period.WEEK)
    return out


# ------------------------------------------------------------------ summary_text
def test_shift_on_a_run_chart_is_dated_and_called_improvement():
    data = chart_data(ASSESSMENT, weekly(ASSESSMENT, BASELINE + HIGHER, ratio=True))
    text = summary_text(data)
    assert (
        "Median 72%. Since 3 March 2025, 9 points in a row above the median: "
        "a shift in the direction of improvement" in text
    )
    assert "23 weekly points from 25 November 2024 to 28 April 2025" in text
    assert "fewer than expected" in text  # the crossings rule fired as well
    assert "common-cause" not in text  # the latest point is part of the shift


def test_the_same_shift_is_concern_when_lower_is_better():
    lower_better = ASSESSMENT.with_changes(direction=Direction.DECREASE)
    data = chart_data(lower_better, weekly(lower_better, BASELINE + HIGHER, ratio=True))
    assert "a shift in the wrong direction (concern)" in summary_text(data)


def test_latest_run_locates_the_long_run():
    data = chart_data(ASSESSMENT, weekly(ASSESSMENT, BASELINE + HIGHER, ratio=True))
    assert data.result is not None
    run = latest_run(data, data.result.phases[0])
    assert run is not None
    assert (run.start, run.stop, run.length, run.side, run.ongoing) == (14, 22, 9, 1, True)


def test_trend_on_an_xmr_chart_with_mdc_rules():
    values = [40, 60, 45, 55, 42, 58, 47, 53, 44, 56, 50, 48, 52, 58, 57, 55, 52, 50, 47, 44]
    data = chart_data(TRIAGE, weekly(TRIAGE, values))
    text = summary_text(data)
    assert "Mean 51 min, process limits 30 min to 71 min." in text
    assert (
        "Since 24 February 2025, 7 points in a row each lower than the one before: "
        "a trend in the direction of improvement." in text
    )


def test_common_cause_latest_point_and_the_most_recent_signal():
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 62, 50, 49, 51]
    data = chart_data(TRIAGE, weekly(TRIAGE, values))
    text = summary_text(data)
    assert "The latest point, 24 February 2025 (51 min), is common-cause variation." in text
    assert (
        "Most recent signal: in the week of 3 February 2025 the point (62 min) was above the "
        "upper process limit" in text
    )
    assert "special-cause concern" in text  # higher is worse for this measure


def test_point_outside_the_limits_now():
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 49, 51, 30]
    data = chart_data(TRIAGE, weekly(TRIAGE, values))
    text = summary_text(data)
    assert (
        "The latest point, 24 February 2025 (30 min), is below the lower process limit: "
        "special-cause improvement." in text
    )


def test_phase_change_gives_centre_and_limits_before_and_after():
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 49, 51, 40, 41, 39, 40, 42, 40]
    obs = weekly(TRIAGE, values)
    phase = Phase(TRIAGE.id, obs[13].period, PhaseKind.PHASE, "nurse-led triage adopted")
    data = chart_data(TRIAGE, obs, [phase])
    text = summary_text(data)
    assert "New phase from 24 February 2025 (nurse-led triage adopted): before, mean 50 min" in (
        text
    )
    assert "; after, mean 40 min, process limits" in text
    assert "Phase 2 has only 6 points: the limits are trial limits" in text


def test_frozen_baseline_is_explained():
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 50, 49, 51, 50, 52]
    obs = weekly(TRIAGE, values)
    freeze = Phase(TRIAGE.id, obs[12].period, PhaseKind.FREEZE, "baseline agreed")
    text = summary_text(chart_data(TRIAGE, obs, [freeze]))
    assert "The baseline is frozen at 17 February 2025 (baseline agreed)" in text


def test_assurance_statements():
    ae = Measure(
        "p",
        "Four-hour performance",
        data_type=DataType.PROPORTION,
        multiplier=100,
        period=Period.MONTH,
        chart=ChartType.P,
        target=95.0,
    )
    nums = [920, 935, 941, 928, 950, 933, 945, 938, 930, 947, 941, 936, 944]
    obs = [
        Observation(
            ae.id,
            date(2024, 1 + i % 12, 1) if i < 12 else date(2025, 1, 1),
            numerator=n,
            denominator=1000,
        )
        for i, n in enumerate(nums)
    ]
    data = chart_data(ae, obs, view=ChartView.ASSURANCE)
    assert data.result is not None
    assert data.result.icons.assurance_type is AssuranceType.INCONSISTENT
    text = summary_text(data)
    assert "Mean 93.8%, process limits" in text
    assert (
        "The target of 95.0% lies within the process limits: the target may or may not be met "
        "(hit and miss)." in text
    )
    failing = chart_data(ae.with_changes(target=99.0), obs, view=ChartView.ASSURANCE)
    assert "is above the upper process limit: the process will consistently fail" in (
        summary_text(failing)
    )
    passing = chart_data(ae.with_changes(target=85.0), obs, view=ChartView.ASSURANCE)
    assert "is below the lower process limit: the process will consistently meet it" in (
        summary_text(passing)
    )
    # the run chart has no limits: the target is only compared with the latest point
    run = summary_text(chart_data(ae, obs, view=ChartView.IMPROVEMENT))
    assert "The target is 95.0%; the latest point (94.4%) is below it." in run
    assert "hit and miss" not in run


def test_p_chart_limits_vary_with_the_denominator():
    ae = Measure(
        "p", "Seen in 4 h", data_type=DataType.PROPORTION, multiplier=100, chart=ChartType.P
    )
    obs = [
        Observation(ae.id, date(2024, m, 1), numerator=n, denominator=d)
        for m, n, d in [(1, 90, 100), (2, 180, 200), (3, 95, 100), (4, 270, 300), (5, 88, 100)]
    ]
    text = summary_text(chart_data(ae, obs))
    assert "Centre line 90.4%, control limits varying with the denominator" in text


def test_empty_measure_and_too_little_data():
    assert summary_text(chart_data(ASSESSMENT, [])) == (
        "Falls risk assessment within 24 h: no data yet. Enter the first value to start the chart."
    )
    one = summary_text(chart_data(ASSESSMENT, weekly(ASSESSMENT, [70], ratio=True)))
    assert "1 weekly point 25 November 2024" in one
    assert "With a single point the chart cannot show any pattern yet." in one
    few = summary_text(chart_data(ASSESSMENT, weekly(ASSESSMENT, [70, 71, 69, 75], ratio=True)))
    assert "With only 4 points the run-chart rules can say little yet" in few


def test_no_value_yet():
    obs = [Observation(TRIAGE.id, START)]
    text = summary_text(chart_data(TRIAGE, obs))
    assert "no point has a value yet" in text


def test_error_is_told_in_words():
    days = Measure(
        "p",
        "Days between falls",
        data_type=DataType.TIME_BETWEEN_EVENTS,
        chart=ChartType.T,
        period=Period.DAY,
    )
    obs = [Observation(days.id, date(2025, 1, i + 1), value=v) for i, v in enumerate([3, 0, 5])]
    data = chart_data(days, obs)
    assert data.error
    assert summary_text(data) == f"Days between falls: this chart cannot be drawn. {data.error}"
    rows = table_rows(data)
    assert [r.value for r in rows] == ["3.0", "0.0", "5.0"]
    assert all(r.centre == "" and r.signals == "" for r in rows)
    assert overview(data).error == data.error


def test_random_run_chart_says_so():
    values = [70, 74, 69, 73, 71, 75, 68, 72, 76, 70, 74, 69, 73]
    text = summary_text(chart_data(ASSESSMENT, weekly(ASSESSMENT, values, ratio=True)))
    assert "The runs are as expected by chance: no sign of a shift or trend." in text


# ------------------------------------------------------------------ table and point info
def test_table_rows_in_display_units_with_everything_a_point_carries():
    obs = weekly(ASSESSMENT, BASELINE + HIGHER, ratio=True)
    obs[2] = obs[2].with_changes(excluded=True, exclude_reason="audit not done", note="2 beds shut")
    note = Annotation(ASSESSMENT.id, obs[14].period, "PDSA 1: checklist", AnnotationKind.TEST_START)
    data = chart_data(ASSESSMENT, obs, (), [note])
    rows = table_rows(data)
    assert len(rows) == 23
    assert len(rows[0].cells()) == len(TABLE_COLUMNS)
    first = rows[0]
    assert (first.period_label, first.value, first.numerator, first.denominator) == (
        "25 Nov 2024",
        "70%",
        "70",
        "100",
    )
    assert first.centre == "72%"
    assert first.lower == first.upper == ""  # a run chart has no limits
    assert rows[2].excluded == "Excluded: audit not done"
    assert rows[2].note == "2 beds shut"
    assert rows[14].annotations == "Test of change started: PDSA 1: checklist"


def test_table_signals_are_the_reasons():
    values = [50, 52, 49, 51, 50, 48, 52, 50, 49, 51, 62, 50, 49, 51]
    rows = table_rows(chart_data(TRIAGE, weekly(TRIAGE, values)))
    assert rows[10].signals == "Point above the upper control limit"
    assert rows[10].upper.endswith(" min")


def test_point_info_lists_date_value_counts_lines_and_reasons():
    obs = weekly(ASSESSMENT, BASELINE + HIGHER, ratio=True)
    obs[20] = obs[20].with_changes(note="new starter")
    data = chart_data(ASSESSMENT, obs, view=ChartView.ASSURANCE)
    info = point_info(data, 20).splitlines()
    assert info[0] == "14 April 2025"
    assert info[1] == "Value: 80%"
    assert info[2] == "Numerator 80 / denominator 100"
    assert info[3].startswith("Mean: ")
    assert "; limits " in info[3]
    assert info[4].startswith("Signal (special-cause improvement): ")
    assert "Note: new starter" in info


def test_overview_for_the_dashboard():
    data = chart_data(
        ASSESSMENT, weekly(ASSESSMENT, BASELINE + HIGHER, ratio=True), view=ChartView.ASSURANCE
    )
    line = overview(data)
    assert line.latest_value == "85%"
    assert line.latest_period == "28 Apr 2025"
    assert line.points == 23
    assert line.variation_type is PointType.IMPROVEMENT
    assert line.variation == "Special cause improvement (high)"
    assert line.latest_signal.startswith("28 Apr 2025: ")
    assert line.latest_signal_reason
    empty = overview(chart_data(ASSESSMENT, []))
    assert (empty.points, empty.latest_value, empty.variation) == (0, "", "")


# ------------------------------------------------------------------ labels and numbers
def test_units_and_number_formats():
    assert unit_of(ASSESSMENT) == "%"
    assert unit_of(TRIAGE) == "min"
    assert unit_of(ASSESSMENT.with_changes(multiplier=1.0)) == ""
    data = chart_data(TRIAGE, weekly(TRIAGE, [1200, 1300]))
    assert format_value(data, 1234.4) == "1,234 min"
    assert format_value(data, None) == ""
    assert format_value(data, -0.2) == "0 min"
    assert format_count(13955) == "13,955"
    assert format_count(12.25, 1) == "12.2"
    assert format_count(None) == ""


@pytest.mark.parametrize(
    ("point_type", "direction", "label"),
    [
        (PointType.COMMON_CAUSE, Direction.INCREASE, "Common cause variation"),
        (PointType.IMPROVEMENT, Direction.DECREASE, "Special cause improvement (low)"),
        (PointType.CONCERN, Direction.INCREASE, "Special cause concern (low)"),
        (PointType.NEUTRAL_HIGH, Direction.NEUTRAL, "Special cause variation (neutral, high)"),
    ],
)
def test_variation_labels(point_type, direction, label):
    assert variation_label(point_type, direction) == label


def test_assurance_and_signal_kinds():
    assert assurance_label(None) == ""
    assert assurance_label(AssuranceType.CONSISTENT_FAIL) == "Consistently failing the target"
    assert signal_kind(1, Direction.INCREASE) == "improvement"
    assert signal_kind(1, Direction.DECREASE) == "concern"
    assert signal_kind(-1, Direction.NEUTRAL) == "neutral"


def test_preset_text_names_the_rules():
    mdc = preset_text(chart_data(TRIAGE, weekly(TRIAGE, [1, 2, 3])))
    assert mdc.startswith("Rules: Making Data Count — a point outside the process limits")
    assert "7 points in a row going up or going down" in mdc
    anhoej = preset_text(chart_data(ASSESSMENT, []))
    assert "an unusually long run" in anhoej
    assert "outside" not in anhoej  # a run chart has no limits


def test_definition_lines_leave_out_empty_fields():
    lines = dict(definition_lines(ASSESSMENT))
    assert lines["Measure"] == "Falls risk assessment within 24 h (outcome measure)"
    assert lines["Numerator"].startswith("Patients assessed")
    assert lines["Direction"] == "Higher is better"
    assert "Data source" not in lines
    trajectory = ASSESSMENT.with_changes(
        target=95.0, trajectory=(TargetPoint(date(2025, 1, 6), 80.0),)
    )
    assert dict(definition_lines(trajectory))["Target"] == "95% (from 6 Jan 2025: 80%)"
