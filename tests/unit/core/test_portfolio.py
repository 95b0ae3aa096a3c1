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


def scored(title, value, set_on, **kw):
    return row(title, score=ProgressScore(value, set_on=set_on), **kw)


def test_score_check_says_when_the_score_is_stale():
    from datetime import timedelta

    old = scored("Old", 2.0, TODAY - timedelta(days=140))
    fresh = scored("Fresh", 2.0, TODAY - timedelta(days=90))
    assert old.score_check(TODAY) == "Stale: set 140 days ago"
    assert "140 days ago" in old.score_check_reasons(TODAY)
    assert fresh.score_check(TODAY) == ""
    assert not fresh.needs_score_review(TODAY)
    assert row("Unscored").score_check(TODAY) == ""  # nothing to be stale
    assert scored("Undated", 2.0, None).score_check(TODAY) == "Stale: no date set"


def test_score_check_shows_a_suggestion_only_when_it_disagrees():
    from dataclasses import replace

    fresh = scored("Fresh", 3.5, TODAY)
    differs = replace(fresh, suggested_score=2.0, suggestion_reasons=("because a measure",))
    agrees = replace(fresh, suggested_score=3.5)
    assert differs.score_check(TODAY) == "Evidence suggests 2.0"
    assert "because a measure" in differs.score_check_reasons(TODAY)
    assert "1.5 higher" in differs.score_check_reasons(TODAY)
    assert agrees.score_check(TODAY) == ""
    both = replace(differs, project=differs.project.with_changes(score=ProgressScore(3.5)))
    assert both.score_check(TODAY) == "Stale: no date set; Evidence suggests 2.0"


def test_only_scores_to_review_filter_and_sort():
    from dataclasses import replace

    ok = scored("Agrees", 2.0, TODAY)
    stale = scored("Stale", 2.0, date(2025, 1, 1))
    differs = replace(scored("Differs", 4.0, TODAY), suggested_score=1.0)
    rows = [ok, stale, differs]
    kept = filter_and_sort(rows, ProjectFilter(scores_to_review=True), today=TODAY)
    assert titles(kept) == ["Differs", "Stale"]
    by_check = filter_and_sort(rows, ProjectFilter(), SortKey.SCORE_CHECK, today=TODAY)
    assert titles(by_check) == ["Differs", "Stale", "Agrees"]  # notes first
