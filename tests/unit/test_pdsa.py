"""PDSA core: validation, next cycle, ramps and timelines, chart markers and fidelity flags."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from qidesk.core.errors import ValidationError
from qidesk.core.fidelity import DataCoverage, FlagKind, cycle_flags, project_fidelity
from qidesk.core.measures import AnnotationKind
from qidesk.core.pdsa import (
    Confirmation,
    CycleStatus,
    Decision,
    PdsaCycle,
    Purpose,
    Question,
    Task,
    TestPlan,
    TestScale,
    annotation_id,
    cycle_annotations,
    cycle_problems,
    next_cycle,
    next_purpose,
    next_scale,
    ramp_timeline,
    ramps,
    same_cycle,
    timeline_text,
    validate_cycle,
)
from qidesk.core.records import RecordMeta

P = "project-1"
IDEA = "idea-1"
MEASURE = "measure-1"
TODAY = date(2025, 6, 1)


def cycle(**changes: object) -> PdsaCycle:
    base = PdsaCycle(
        project_id=P,
        ramp_id="ramp-1",
        ramp_name="Pain score at handover",
        number=1,
        change_idea_ids=(IDEA,),
        measure_ids=(MEASURE,),
        start=date(2025, 3, 3),
        end=date(2025, 3, 7),
        status=CycleStatus.DONE,
        objective="See whether a pain prompt on the handover sheet gets used",
        questions=(
            Question(
                "Will nurses use the prompt?",
                prediction="4 of 5 handovers will include a pain score",
                reasoning="The sheet is already used at every handover",
                result="3 of 5 did",
                learning="Night staff missed it: put the prompt at the top",
                confirmed=Confirmation.PARTLY,
            ),
        ),
        test=TestPlan(
            "Pain prompt on sheet", "Ward sister", "Ward 7", "Week 1", TestScale.ONE_SHIFT
        ),
        tasks=(Task("Print sheets", "Sam", date(2025, 3, 1), done=True), Task("Brief nights")),
        data_plan="Count handovers with a pain score",
        decision=Decision.ADAPT,
        next_steps="Move the prompt to the top of the sheet and test on nights",
    )
    return base.with_changes(**changes)


# ---------------------------------------------------------------------- validation


def test_a_complete_cycle_is_valid() -> None:
    assert cycle_problems(cycle(), change_idea_ids={IDEA}, measure_ids={MEASURE}) == {}


def test_an_empty_draft_with_a_ramp_name_is_valid() -> None:
    assert cycle_problems(PdsaCycle(P, ramp_name="New ramp")) == {}


def test_end_before_start_is_refused_at_the_end_field() -> None:
    problems = cycle_problems(cycle(start=date(2025, 3, 7), end=date(2025, 3, 3)))
    assert problems == {"end": "the end date is before the start date"}
    with pytest.raises(ValidationError) as raised:
        validate_cycle(cycle(end=date(2025, 3, 1)))
    assert "end date is before the start date" in raised.value.message


def test_a_one_day_cycle_is_fine() -> None:
    assert "end" not in cycle_problems(cycle(start=date(2025, 3, 3), end=date(2025, 3, 3)))


def test_another_projects_change_idea_is_refused() -> None:
    problems = cycle_problems(
        cycle(change_idea_ids=(IDEA, "elsewhere")), change_idea_ids={IDEA}, measure_ids={MEASURE}
    )
    assert set(problems) == {"change_idea_ids"}
    assert "not among this project's change ideas" in problems["change_idea_ids"]
    assert "another project" in problems["change_idea_ids"]


def test_another_projects_measure_is_refused() -> None:
    problems = cycle_problems(cycle(measure_ids=("m2", "m3")), measure_ids={MEASURE})
    assert problems["measure_ids"].startswith("2 linked measures are not among")


def test_the_project_checks_are_skipped_when_no_ids_are_given() -> None:
    assert cycle_problems(cycle(change_idea_ids=("x",), measure_ids=("y",))) == {}


def test_a_ramp_needs_a_name_and_numbers_start_at_one() -> None:
    problems = cycle_problems(cycle(ramp_name="  ", number=0))
    assert set(problems) == {"ramp_name", "number"}


def test_a_number_already_used_in_the_ramp_is_refused() -> None:
    first = cycle()
    clash = cycle(id="c2", previous_cycle_id=first.id)
    assert cycle_problems(clash, others=[first])["number"] == "this ramp already has a cycle #1"
    other_ramp = cycle(id="c3", ramp_id="ramp-2")
    assert cycle_problems(other_ramp, others=[first]) == {}


def test_a_cycle_cannot_come_after_itself() -> None:
    c = cycle()
    problems = cycle_problems(c.with_changes(previous_cycle_id=c.id))
    assert problems == {"previous_cycle_id": "a cycle cannot come after itself"}


def test_a_ramp_that_loops_back_on_itself_is_refused() -> None:
    one = cycle(id="c1")
    two = cycle(id="c2", number=2, previous_cycle_id="c1")
    three = cycle(id="c3", number=3, previous_cycle_id="c2")
    looped = one.with_changes(previous_cycle_id="c3")
    problems = cycle_problems(looped, others=[one, two, three])
    message = problems["previous_cycle_id"]
    assert message.startswith("this would make the ramp loop back on itself")
    assert "#1 → Pain score at handover #3 → Pain score at handover #2" in message
    assert message.endswith("choose an earlier cycle")


def test_the_previous_cycle_must_exist_and_be_in_the_same_ramp_and_project() -> None:
    one = cycle(id="c1")
    missing = cycle(id="c2", number=2, previous_cycle_id="gone")
    assert (
        "not one of this project's cycles"
        in cycle_problems(missing, others=[one])["previous_cycle_id"]
    )
    other_ramp = cycle(id="c2", ramp_id="ramp-2", previous_cycle_id="c1")
    assert "is in another ramp" in cycle_problems(other_ramp, others=[one])["previous_cycle_id"]
    foreign = replace(one, project_id="other")
    follows = cycle(id="c2", number=2, previous_cycle_id="c1")
    assert cycle_problems(follows, others=[foreign])["previous_cycle_id"] == (
        "the previous cycle belongs to another project"
    )


def test_deleted_cycles_are_ignored_by_the_ramp_rules() -> None:
    gone = cycle(id="c1", meta=RecordMeta(deleted_at="2025-01-01T00:00:00.000Z"))
    assert cycle_problems(cycle(id="c2"), others=[gone]) == {}


def test_questions_and_tasks_need_their_main_text() -> None:
    problems = cycle_problems(
        cycle(
            questions=(Question(prediction="It will work"), Question()),
            tasks=(Task(who="Sam"), Task()),
        )
    )
    assert problems == {
        "questions[0]": "question 1 has no question written",
        "tasks[0]": "task 1 says who or when but not what",
    }


def test_same_cycle_ignores_metadata_and_link_order() -> None:
    a = cycle(change_idea_ids=("x", "y"))
    b = replace(a, meta=RecordMeta(revision=3), change_idea_ids=("y", "x"))
    assert same_cycle(a, b)
    assert not same_cycle(a, a.with_changes(objective="Other"))


def test_free_text_lists_every_written_field() -> None:
    labels = dict(cycle().free_text())
    assert labels["Objective"].startswith("See whether")
    assert labels["Question 1: learning"].startswith("Night staff")
    assert labels["Task 2"] == "Brief nights"


# ---------------------------------------------------------------------- next cycle


def test_next_cycle_is_linked_and_pre_filled() -> None:
    first = cycle()
    nxt = next_cycle(first)
    assert (nxt.ramp_id, nxt.ramp_name, nxt.number) == (first.ramp_id, first.ramp_name, 2)
    assert nxt.previous_cycle_id == first.id
    assert nxt.id != first.id
    assert nxt.change_idea_ids == first.change_idea_ids
    assert nxt.measure_ids == first.measure_ids
    assert nxt.status is CycleStatus.PLANNED
    assert nxt.objective == first.next_steps
    (q,) = nxt.questions
    assert q.text == "Will nurses use the prompt?"
    assert q.prediction == "Night staff missed it: put the prompt at the top"
    assert q.reasoning.startswith("Learned in Pain score at handover #1:")
    assert (q.result, q.learning, q.confirmed) == ("", "", None)
    assert q.id != first.questions[0].id
    assert [t.text for t in nxt.tasks] == ["Brief nights"]
    assert nxt.data_plan == first.data_plan
    assert (nxt.what_happened, nxt.decision, nxt.improved, nxt.next_steps) == ("", None, None, "")
    # adapt: retest at the same scale; dates follow on for as long as the first one ran
    assert nxt.test.scale is TestScale.ONE_SHIFT
    assert (nxt.start, nxt.end) == (date(2025, 3, 8), date(2025, 3, 12))
    assert cycle_problems(nxt, others=[first]) == {}


def test_next_cycle_keeps_prediction_when_nothing_was_learned() -> None:
    first = cycle(questions=(Question("Q?", prediction="P", reasoning="R"),), next_steps="")
    (q,) = next_cycle(first).questions
    assert (q.prediction, q.reasoning) == ("P", "R")
    assert next_cycle(first).objective == first.objective


def test_next_cycle_number_can_be_given() -> None:
    assert next_cycle(cycle(), number=5).number == 5


def test_next_cycle_without_dates_has_none() -> None:
    nxt = next_cycle(cycle(start=None, end=None))
    assert (nxt.start, nxt.end) == (None, None)


@pytest.mark.parametrize(
    ("decision", "scale", "expected"),
    [
        (Decision.ADAPT, TestScale.ONE_PATIENT, TestScale.ONE_PATIENT),
        (Decision.ABANDON, TestScale.ONE_SHIFT, TestScale.ONE_SHIFT),
        (None, TestScale.ONE_DAY, TestScale.ONE_DAY),
        (Decision.ADOPT, TestScale.ONE_PATIENT, TestScale.ONE_SHIFT),
        (Decision.SCALE_UP, TestScale.ONE_DAY, TestScale.ONE_WARD),
        (Decision.SCALE_UP, TestScale.LARGER, TestScale.LARGER),
        (Decision.IMPLEMENT, TestScale.ONE_PATIENT, TestScale.ONE_WARD),
        (Decision.IMPLEMENT, TestScale.LARGER, TestScale.LARGER),
        (Decision.IMPLEMENT, None, TestScale.ONE_WARD),
        (Decision.SPREAD, TestScale.ONE_WARD, TestScale.LARGER),
        (Decision.ADOPT, None, None),
    ],
)
def test_scale_steps_up_sensibly(
    decision: Decision | None, scale: TestScale | None, expected: TestScale | None
) -> None:
    c = cycle(decision=decision, test=TestPlan(scale=scale, scale_detail="5 patients"))
    assert next_scale(c) is expected
    detail = next_cycle(c).test.scale_detail
    assert detail == ("5 patients" if expected == scale else "")


@pytest.mark.parametrize(
    ("purpose", "decision", "expected"),
    [
        (Purpose.COLLECT, Decision.ADAPT, Purpose.DEVELOP),
        (Purpose.DEVELOP, Decision.ADAPT, Purpose.DEVELOP),
        (Purpose.DEVELOP, Decision.ADOPT, Purpose.TEST),
        (Purpose.TEST, Decision.SCALE_UP, Purpose.TEST),
        (Purpose.TEST, Decision.IMPLEMENT, Purpose.IMPLEMENT),
        (Purpose.DEVELOP, Decision.SPREAD, Purpose.IMPLEMENT),
        (Purpose.TEST, None, Purpose.TEST),
    ],
)
def test_purpose_steps_up_sensibly(
    purpose: Purpose, decision: Decision | None, expected: Purpose
) -> None:
    assert next_purpose(cycle(purpose=purpose, decision=decision)) is expected


def test_scales_order_and_smallness() -> None:
    assert [s.rank for s in TestScale] == [0, 1, 2, 3, 4]
    assert [s.small for s in TestScale] == [True, True, True, False, False]


# ---------------------------------------------------------------------- ramps and timelines


def three_cycle_ramp() -> list[PdsaCycle]:
    one = cycle(id="c1", test=TestPlan(scale=TestScale.ONE_PATIENT))
    two = cycle(
        id="c2", number=2, previous_cycle_id="c1", start=date(2025, 3, 10), end=date(2025, 3, 16),
        test=TestPlan(scale=TestScale.ONE_SHIFT),
    )  # fmt: skip
    three = cycle(
        id="c3", number=3, previous_cycle_id="c2", start=date(2025, 3, 17), end=None,
        status=CycleStatus.RUNNING, decision=Decision.ADOPT,
        test=TestPlan(scale=TestScale.ONE_WARD),
    )  # fmt: skip
    return [three, one, two]


def test_ramps_group_and_order_cycles() -> None:
    other = cycle(id="x1", ramp_id="ramp-0", ramp_name="Earlier ramp", start=date(2025, 1, 1))
    grouped = ramps([*three_cycle_ramp(), other])
    assert [r.name for r in grouped] == ["Earlier ramp", "Pain score at handover"]
    assert [c.id for c in grouped[1].cycles] == ["c1", "c2", "c3"]
    assert grouped[1].next_number == 4
    assert grouped[1].change_idea_ids == (IDEA,)
    assert grouped[1].latest.id == "c3"


def test_a_ramp_is_named_after_its_latest_cycle() -> None:
    cycles = three_cycle_ramp()
    cycles[0] = cycles[0].with_changes(ramp_name="Renamed")
    assert ramps(cycles)[0].name == "Renamed"


def test_timeline_is_plain_numbers() -> None:
    (ramp,) = ramps(three_cycle_ramp())
    tl = ramp_timeline(ramp, date(2025, 3, 20))
    assert tl.first_day == date(2025, 3, 3)
    assert [(b.label, b.x0, b.x1, b.level) for b in tl.bars] == [
        ("#1", 0, 5, 0),
        ("#2", 7, 14, 1),
        ("#3", 14, 18, 3),  # open: runs to today
    ]
    assert tl.days == 18
    assert tl.date_of(7) == date(2025, 3, 10)
    assert [b.decision for b in tl.bars] == [Decision.ADAPT, Decision.ADAPT, Decision.ADOPT]


def test_undated_cycles_go_after_the_dated_ones() -> None:
    cycles = [*three_cycle_ramp(), cycle(id="c4", number=4, start=None, end=None)]
    tl = ramp_timeline(ramps(cycles)[0], date(2025, 3, 20))
    last = tl.bars[-1]
    assert (last.label, last.dated, last.x0, last.x1) == ("#4", False, 18, 25)
    assert tl.days == 25


def test_timeline_text_reads_as_sentences() -> None:
    tl = ramp_timeline(ramps(three_cycle_ramp())[0], date(2025, 3, 20))
    text = timeline_text(tl)
    assert text.splitlines()[0] == "Ramp “Pain score at handover”: 3 cycle(s)."
    assert "Cycle #1, 3 Mar 2025 to 7 Mar 2025, one patient, done, Act: adapt." in text
    assert "Cycle #3, 17 Mar 2025 to 20 Mar 2025, one ward or team, running, Act: adopt." in (text)


# ---------------------------------------------------------------------- chart markers


def test_cycle_annotations_mark_start_and_end_with_stable_ids() -> None:
    c = cycle()
    start, end = cycle_annotations(c, MEASURE)
    assert start.kind is AnnotationKind.TEST_START
    assert start.period == date(2025, 3, 3)
    assert start.text == (
        "PDSA Pain score at handover #1 started: See whether a pain prompt on the handover "
        "sheet gets used"
    )
    assert end.text.startswith("PDSA Pain score at handover #1 ended: ")
    assert (end.period, end.pdsa_id, end.measure_id) == (date(2025, 3, 7), c.id, MEASURE)
    assert start.id == annotation_id(c.id, AnnotationKind.TEST_START, MEASURE)
    assert [a.id for a in cycle_annotations(c, MEASURE)] == [start.id, end.id]
    assert start.id != annotation_id(c.id, AnnotationKind.TEST_START, "other measure")


def test_no_markers_for_unlinked_measures_or_missing_dates() -> None:
    assert cycle_annotations(cycle(), "unlinked") == []
    (only,) = cycle_annotations(cycle(end=None), MEASURE)
    assert only.kind is AnnotationKind.TEST_START
    assert cycle_annotations(cycle(start=None, end=None), MEASURE) == []


# ---------------------------------------------------------------------- fidelity

COVERED: DataCoverage = {MEASURE: [(date(2025, 3, 1), date(2025, 3, 31))]}


def kinds(
    c: PdsaCycle,
    cycles: list[PdsaCycle] | None = None,
    coverage: DataCoverage = COVERED,
) -> set[FlagKind]:
    return {f.kind for f in cycle_flags(c, cycles or [c], coverage, TODAY)}


def followed(c: PdsaCycle) -> list[PdsaCycle]:
    return [c, next_cycle(c)]


def test_a_well_run_cycle_has_no_flags() -> None:
    c = cycle()
    assert kinds(c, followed(c)) == set()


def test_no_prediction_flag_each_way() -> None:
    c = cycle(questions=())
    (flag,) = cycle_flags(c, followed(c), COVERED, TODAY)
    assert flag.kind is FlagKind.NO_PREDICTION
    assert flag.title == "No prediction"
    assert "no questions with predictions yet" in flag.explanation
    assert "comparing the prediction with what happened" in flag.explanation
    partial = cycle(questions=(Question("A?", prediction="yes"), Question("B?")))
    (flag,) = cycle_flags(partial, followed(partial), COVERED, TODAY)
    assert flag.detail == "Question 2 of 2 has no prediction yet."
    none = cycle(questions=(Question("A?"),))
    assert cycle_flags(none, followed(none), COVERED, TODAY)[0].detail == (
        "None of this cycle's questions has a prediction yet."
    )


def test_no_measure_flag_each_way() -> None:
    c = cycle(measure_ids=())
    assert kinds(c, followed(c)) == {FlagKind.NO_MEASURE}
    assert FlagKind.NO_MEASURE not in kinds(cycle(), followed(cycle()))


def test_no_data_flag_each_way() -> None:
    c = cycle()
    assert kinds(c, followed(c), {}) == {FlagKind.NO_DATA}
    before = {MEASURE: [(date(2025, 1, 1), date(2025, 1, 31))]}
    assert kinds(c, followed(c), before) == {FlagKind.NO_DATA}
    overlapping = {MEASURE: [(date(2025, 3, 7), date(2025, 3, 7))]}
    assert kinds(c, followed(c), overlapping) == set()


def test_no_data_is_not_judged_before_the_cycle_is_over() -> None:
    running = cycle(status=CycleStatus.RUNNING, end=date(2025, 6, 30))
    assert FlagKind.NO_DATA not in kinds(running, followed(running), {})
    overdue = cycle(status=CycleStatus.RUNNING, end=date(2025, 5, 1))
    assert FlagKind.NO_DATA in kinds(overdue, followed(overdue), {})
    undated = cycle(start=None, end=None)
    assert FlagKind.NO_DATA not in kinds(undated, followed(undated), {})


def test_first_test_not_small_flag_each_way() -> None:
    big = cycle(test=TestPlan(scale=TestScale.ONE_WARD))
    flags = cycle_flags(big, followed(big), COVERED, TODAY)
    assert [f.kind for f in flags] == [FlagKind.FIRST_TEST_NOT_SMALL]
    assert "“one ward or team”" in flags[0].detail
    assert "Starting small" in flags[0].explanation
    second = next_cycle(cycle()).with_changes(test=TestPlan(scale=TestScale.LARGER))
    assert FlagKind.FIRST_TEST_NOT_SMALL not in kinds(second, [cycle(), second])
    assert FlagKind.FIRST_TEST_NOT_SMALL not in kinds(cycle(test=TestPlan()), followed(cycle()))


def test_adapt_without_next_flag_each_way() -> None:
    c = cycle()
    assert kinds(c) == {FlagKind.ADAPT_WITHOUT_NEXT}
    assert kinds(c, followed(c)) == set()
    later_in_ramp = cycle(id="later", number=2)
    assert kinds(c, [c, later_in_ramp]) == set()
    adopted = cycle(decision=Decision.ADOPT)
    assert kinds(adopted) == set()


def test_open_past_end_flag_each_way() -> None:
    c = cycle(status=CycleStatus.STUDYING, end=date(2025, 5, 30))
    flags = cycle_flags(c, followed(c), COVERED, TODAY)
    assert [f.kind for f in flags] == [FlagKind.OPEN_PAST_END]
    assert flags[0].detail == (
        "The end date passed 2 days ago and the cycle is still marked “studying the results”."
    )
    assert kinds(cycle(status=CycleStatus.RUNNING, end=TODAY), followed(c)) == set()
    assert kinds(cycle(status=CycleStatus.DONE), followed(c)) == set()


def test_abandoned_cycles_have_no_flags() -> None:
    assert kinds(cycle(status=CycleStatus.ABANDONED, questions=(), measure_ids=())) == set()


def test_project_fidelity_sums_up() -> None:
    cycles = three_cycle_ramp()
    cycles[0] = cycles[0].with_changes(questions=())
    lone = cycle(id="x", ramp_id="ramp-2", ramp_name="Other", measure_ids=(), decision=None)
    fid = project_fidelity([*cycles, lone], COVERED, date(2025, 3, 20))
    assert (fid.cycles, fid.ramps, fid.iterative_ramps) == (4, 2, 1)
    assert (fid.with_predictions, fid.with_measures) == (3, 3)
    assert fid.counts() == {FlagKind.NO_PREDICTION: 1, FlagKind.NO_MEASURE: 1}
    assert [f.kind for f in fid.for_cycle("c3")] == [FlagKind.NO_PREDICTION]
    summary = fid.summary()
    assert summary[0].startswith("4 cycles in 2 ramps; 1 ramp has more than one cycle.")
    assert summary[1].startswith("No prediction: 1 cycle. Writing down")


def test_project_fidelity_of_nothing() -> None:
    fid = project_fidelity([], {}, TODAY)
    assert fid.summary() == [
        "No PDSA cycles yet. The first small test of a change idea starts a ramp."
    ]
