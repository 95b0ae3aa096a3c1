from datetime import date

from qidesk.core.portfolio import ProjectFilter, ProjectRow, SortKey, days_since, filter_and_sort
from qidesk.core.project import (
    Aim,
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    TeamMember,
    WorkType,
)

TODAY = date(2025, 12, 1)


def row(title, *, changed="2025-11-21T10:00:00.000Z", **kw):
    return ProjectRow(Project(title=title, **kw), changed)


ROWS = [
    row(
        "Falls on Ward 7",
        division="Medicine",
        status=Status.ACTIVE,
        phase=JourneyPhase.TESTING,
        work_type=WorkType.SERVICE_LED,
        score=ProgressScore(2.5),
        changed="2025-11-30T09:00:00.000Z",
        team=(TeamMember("Grace Mensah"),),
    ),
    row(
        "Culture of improvement",
        division="Corporate",
        work_type=WorkType.STRATEGIC,
        status=Status.ACTIVE,
        phase=JourneyPhase.SPREAD,
        score=ProgressScore(4.0),
        changed="2025-06-01T09:00:00.000Z",
    ),
    row(
        "Letter turnaround",
        division="Clinical Support",
        work_type=WorkType.CONSULTANCY,
        status=Status.COMPLETED,
        phase=JourneyPhase.CLOSED,
        aim=Aim("median days to letter"),
    ),
    row("Old drug charts", division="Medicine", archived=True, status=Status.CANCELLED),
]


def titles(rows):
    return [r.project.title for r in rows]


def test_days_since_counts_whole_utc_days():
    assert days_since("2025-11-30T23:59:00.000Z", TODAY) == 1
    assert days_since("2025-12-02T00:00:00.000Z", TODAY) == 0  # never negative
    assert days_since("", TODAY) == 0


def test_archived_hidden_unless_asked():
    assert "Old drug charts" not in titles(filter_and_sort(ROWS, ProjectFilter(), today=TODAY))
    shown = filter_and_sort(ROWS, ProjectFilter(show_archived=True), today=TODAY)
    assert "Old drug charts" in titles(shown)


def test_filters_combine():
    flt = ProjectFilter(
        division="Medicine",
        status=Status.ACTIVE,
        work_type=WorkType.SERVICE_LED,
        phase=JourneyPhase.TESTING,
    )
    assert titles(filter_and_sort(ROWS, flt, today=TODAY)) == ["Falls on Ward 7"]
    assert filter_and_sort(ROWS, ProjectFilter(phase=JourneyPhase.SUSTAIN), today=TODAY) == []
    assert filter_and_sort(ROWS, ProjectFilter(work_type=WorkType.PERSONAL_LEARNING)) == []
    assert filter_and_sort(ROWS, ProjectFilter(status=Status.ON_HOLD)) == []


def test_search_matches_every_word_in_any_field_case_insensitively():
    assert titles(filter_and_sort(ROWS, ProjectFilter(text="grace WARD"))) == ["Falls on Ward 7"]
    assert titles(filter_and_sort(ROWS, ProjectFilter(text="letter median"))) == [
        "Letter turnaround"
    ]
    assert filter_and_sort(ROWS, ProjectFilter(text="falls corporate")) == []


def test_stale_filter_and_sort_by_days_since_update():
    stale = filter_and_sort(
        ROWS, ProjectFilter(stale_days=30), SortKey.DAYS_SINCE_UPDATE, descending=True, today=TODAY
    )
    assert titles(stale) == ["Culture of improvement"]
    ordered = filter_and_sort(ROWS, ProjectFilter(), SortKey.DAYS_SINCE_UPDATE, today=TODAY)
    assert titles(ordered) == ["Falls on Ward 7", "Letter turnaround", "Culture of improvement"]


def test_every_sort_key_sorts():
    for key in SortKey:
        out = filter_and_sort(ROWS, ProjectFilter(show_archived=True), key, today=TODAY)
        assert len(out) == 4
    by_type = filter_and_sort(ROWS, ProjectFilter(), SortKey.WORK_TYPE)
    assert titles(by_type)[0] == "Culture of improvement"
    by_score = filter_and_sort(ROWS, ProjectFilter(), SortKey.SCORE, descending=True)
    assert titles(by_score)[0] == "Culture of improvement"
