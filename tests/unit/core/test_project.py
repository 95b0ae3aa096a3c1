from datetime import date

import pytest

from qidesk.core.errors import ValidationError
from qidesk.core.project import (
    PROGRESS_SCORES,
    Aim,
    ProgressScore,
    Project,
    TeamMember,
    TeamRole,
    project_problems,
    validate_project,
    validate_score,
)


def test_complete_aim_lacks_nothing_and_reads_as_a_sentence():
    aim = Aim("falls per 1,000 bed-days", "patients on Ward 7", "9", "6", date(2026, 6, 30))
    assert aim.lacks() == []
    assert aim.statement() == (
        "Improve falls per 1,000 bed-days for patients on Ward 7 from 9 to 6 by 30 June 2026."
    )


def test_empty_aim_lists_every_missing_part():
    lacks = Aim().lacks()
    assert lacks == [
        "say what will improve",
        "say for whom (which patients, ward or service)",
        "give the baseline (from)",
        "give the target (to)",
        "give a date (by when)",
    ]
    assert Aim().statement() == "Improve …."


def test_aim_from_and_to_must_be_numbers():
    aim = Aim("x", "y", "low", "high", date(2026, 1, 1))
    assert aim.lacks() == ["give the baseline as a number", "give the target as a number"]


@pytest.mark.parametrize("value", sorted(PROGRESS_SCORES))
def test_every_scale_point_is_a_valid_score(value):
    assert validate_score(value) is None
    assert ProgressScore(value).label == PROGRESS_SCORES[value]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (0.0, "between 0.5 and 5.0"),
        (5.5, "between 0.5 and 5.0"),
        (2.25, "steps of 0.5"),
        (float("nan"), "must be a number"),
    ],
)
def test_bad_scores_are_refused_with_the_reason(value, reason):
    assert reason in (validate_score(value) or "")


def test_project_problems_name_each_bad_field():
    p = Project(
        title="  ",
        score=ProgressScore(3.3),
        start_date=date(2025, 5, 1),
        planned_end=date(2025, 4, 1),
        actual_end=date(2025, 1, 1),
        team=(TeamMember(name="", role=TeamRole.LEAD),),
    )
    problems = project_problems(p)
    assert set(problems) == {"title", "score", "planned_end", "actual_end", "team[0]"}
    with pytest.raises(ValidationError) as info:
        validate_project(p)
    assert info.value.problems == problems
    assert "title: a project needs a title" in info.value.message


def test_long_title_refused_and_valid_project_passes():
    assert "longer than 200" in project_problems(Project(title="x" * 201))["title"]
    p = Project(title="Falls")
    assert validate_project(p) is p
    assert p.with_changes(title="Falls on Ward 7").title == "Falls on Ward 7"


def test_ids_are_unique_uuids():
    a, b = Project(title="a"), Project(title="b")
    assert a.id != b.id and len(a.id) == 36


def test_enum_labels_are_human_readable():
    from qidesk.core.project import EvaluationLevel, Involvement, JourneyPhase, Status, WorkType

    for enum in (WorkType, Status, JourneyPhase, TeamRole, Involvement, EvaluationLevel):
        for member in enum:
            assert member.label and member.label[0].isupper()
