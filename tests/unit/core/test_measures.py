from datetime import date

import pytest

from qidesk.core.errors import ValidationError
from qidesk.core.measures import (
    Measure,
    MeasureType,
    Observation,
    TargetPoint,
    duplicate_period_problems,
    measure_problems,
    observation_problems,
    validate_measure,
)
from qidesk.core.periods import Period
from qidesk.core.spc.types import DataType

PROP = Measure(
    "p1",
    "Falls risk assessment within 24h",
    data_type=DataType.PROPORTION,
    multiplier=100,
    period=Period.WEEK,
    week_start=0,
)
COUNT = Measure("p1", "Falls", data_type=DataType.COUNT, period=Period.MONTH)
TIME = Measure(
    "p1", "Days between falls", data_type=DataType.TIME_BETWEEN_EVENTS, period=Period.DAY
)
MONDAY = date(2025, 3, 3)


def test_measure_validation():
    assert measure_problems(PROP) == {}
    bad = Measure("p1", " ", multiplier=0, week_start=9, target=float("inf"), decimals=9)
    assert set(measure_problems(bad)) == {"name", "multiplier", "week_start", "target", "decimals"}
    with pytest.raises(ValidationError):
        validate_measure(bad)
    assert validate_measure(PROP) is PROP
    assert MeasureType.BALANCING.label == "Balancing"


def test_target_trajectory_steps():
    m = PROP.with_changes(
        target=80.0,
        trajectory=(TargetPoint(date(2025, 6, 1), 85.0), TargetPoint(date(2025, 1, 1), 75.0)),
    )
    assert m.target_on(date(2024, 12, 1)) == 80.0
    assert m.target_on(date(2025, 3, 1)) == 75.0
    assert m.target_on(date(2025, 7, 1)) == 85.0


def test_plotted_values():
    assert Observation("m", MONDAY, numerator=17, denominator=20).plotted(PROP) == pytest.approx(85)
    assert Observation("m", MONDAY, value=0.85).plotted(PROP) == pytest.approx(85)
    assert Observation("m", MONDAY, numerator=3, denominator=0).plotted(PROP) is None
    assert Observation("m", MONDAY).plotted(PROP) is None
    assert Observation("m", MONDAY, value=4).plotted(COUNT) == 4


@pytest.mark.parametrize(
    ("measure", "obs", "field", "reason"),
    [
        (PROP, Observation("m", date(2025, 3, 4), numerator=1, denominator=2), "period", "Tuesday"),
        (COUNT, Observation("m", date(2025, 3, 4), value=1), "period", "first of a month"),
        (PROP, Observation("m", MONDAY, numerator=5, denominator=0), "denominator", "above zero"),
        (PROP, Observation("m", MONDAY, numerator=25, denominator=20), "numerator", "larger than"),
        (PROP, Observation("m", MONDAY, numerator=-1, denominator=20), "numerator", "negative"),
        (PROP, Observation("m", MONDAY, numerator=5), "denominator", "missing"),
        (PROP, Observation("m", MONDAY, denominator=5), "numerator", "missing"),
        (PROP, Observation("m", MONDAY), "numerator", "enter a numerator"),
        (PROP, Observation("m", MONDAY, value=1.5), "value", "between 0% and 100%"),
        (COUNT, Observation("m", date(2025, 3, 1)), "value", "enter a value"),
        (COUNT, Observation("m", date(2025, 3, 1), value=2.5), "value", "whole number"),
        (COUNT, Observation("m", date(2025, 3, 1), value=-1), "value", "whole number"),
        (TIME, Observation("m", MONDAY, value=0), "value", "above zero"),
        (COUNT, Observation("m", date(2025, 3, 1), value=float("nan")), "value", "a number"),
        (
            COUNT,
            Observation("m", date(2025, 3, 1), value=3, excluded=True),
            "exclude_reason",
            "say why",
        ),
    ],
)
def test_observation_problems(measure, obs, field, reason):
    problems = observation_problems(measure, obs)
    assert field in problems
    assert reason in problems[field]


def test_good_observations_pass():
    assert observation_problems(PROP, Observation("m", MONDAY, numerator=17, denominator=20)) == {}
    rate = PROP.with_changes(data_type=DataType.RATE)
    assert observation_problems(rate, Observation("m", MONDAY, numerator=30, denominator=20)) == {}
    assert (
        observation_problems(
            COUNT,
            Observation("m", date(2025, 3, 1), value=0, excluded=True, exclude_reason="audit"),
        )
        == {}
    )


def test_duplicate_periods():
    a = Observation("m", MONDAY, value=1)
    b = Observation("m", MONDAY, value=2)
    c = Observation("m", date(2025, 3, 10), value=2)
    problems = duplicate_period_problems([a, b, c])
    assert len(problems) == 1
    assert "already a point for 3 March 2025" in next(iter(problems.values()))


def test_phase_and_annotation_need_text():
    from qidesk.core.measures import (
        Annotation,
        AnnotationKind,
        Phase,
        PhaseKind,
        annotation_problems,
        phase_problems,
    )

    assert "reason" in phase_problems(Phase("m", MONDAY, PhaseKind.FREEZE, " "))
    assert "new phase" in phase_problems(Phase("m", MONDAY, PhaseKind.PHASE, ""))["reason"]
    assert phase_problems(Phase("m", MONDAY, PhaseKind.PHASE, "bundle adopted")) == {}
    assert annotation_problems(Annotation("m", MONDAY, "")) == {
        "text": "an annotation needs some text"
    }
    assert annotation_problems(Annotation("m", MONDAY, "PDSA 1 started")) == {}
    assert {k.label for k in AnnotationKind} >= {"Data issue", "Change adopted"}
    assert {k.label for k in PhaseKind} == {"Baseline frozen", "New phase"}
