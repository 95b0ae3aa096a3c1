"""PDSA ramps of the demo workspace: believable stories a coach can review.

The ED ramp is dated inside the real A&E data (2017/18) so its cycles appear on the linked
measure's chart; the falls ramp has a cycle still open past its end date and no prediction,
so the fidelity flags have something to show.
"""

from __future__ import annotations

from datetime import date

from qidesk.core.pdsa import (
    Confirmation,
    CycleStatus,
    Decision,
    Improvement,
    PdsaCycle,
    Purpose,
    Question,
    Task,
    TestPlan,
    TestScale,
)


def senior_review_ramp(project_id: str, idea_id: str, measure_id: str) -> list[PdsaCycle]:
    """Three cycles of "Senior review within 1 hour of arrival": adapt, adapt, adopt."""
    common = {
        "project_id": project_id,
        "change_idea_ids": (idea_id,),
        "measure_ids": (measure_id,),
        "owner": "Dr Sam Patel",
        "status": CycleStatus.DONE,
        "purpose": Purpose.TEST,
    }
    return [
        PdsaCycle(
            ramp_name="Senior review within 1 hour",
            number=1,
            start=date(2017, 9, 4),
            end=date(2017, 9, 10),
            objective="Find out whether a consultant can review every majors patient within "
            "an hour of arrival on one shift.",
            questions=(
                Question(
                    "How many majors patients get a senior review within an hour?",
                    prediction="About 6 in 10",
                    reasoning="The consultant is often pulled into resus",
                    result="9 of 17 (53%)",
                    learning="Reviews slipped whenever resus was busy",
                    confirmed=Confirmation.PARTLY,
                ),
            ),
            test=TestPlan(
                "Consultant stands at the majors board",
                "Dr Patel",
                "Majors",
                "Monday late shift",
                TestScale.ONE_SHIFT,
                "one late shift",
            ),
            tasks=(Task("Brief the shift at handover", "Dr Patel", date(2017, 9, 4), True),),
            data_plan="Paper tally of arrival and review times, counted at the end of shift.",
            what_happened="Ran as planned until resus had two patients at 19:00.",
            problems="No cover for the consultant when resus was busy.",
            improved=Improvement.UNCLEAR,
            study_summary="Works when the consultant is free; needs a named deputy.",
            decision=Decision.ADAPT,
            next_steps="Name a registrar as deputy for the board when resus is busy.",
            **common,  # type: ignore[arg-type]
        ),
        PdsaCycle(
            project_id=project_id,
            start=date(2017, 10, 2),
            end=date(2017, 10, 8),
            objective="Test the board review with a named registrar deputy for a whole day.",
            questions=(
                Question(
                    "How many majors patients get a senior review within an hour?",
                    prediction="8 in 10",
                    reasoning="The deputy covers the gaps seen in cycle 1",
                    result="31 of 39 (79%)",
                    learning="The deputy covered resus gaps; nights were not covered",
                    confirmed=Confirmation.YES,
                ),
            ),
            test=TestPlan(
                "Board review with a named deputy",
                "Dr Patel and Dr Osei",
                "Majors",
                "Monday, 08:00 to 24:00",
                TestScale.ONE_DAY,
                "one whole day",
            ),
            data_plan="Arrival and review times from the ED system, checked by Ali Hassan.",
            what_happened="Ran all day; the deputy took over the board three times.",
            improved=Improvement.YES,
            study_summary="Prediction held. Nights need a different model.",
            decision=Decision.ADAPT,
            next_steps="Extend to every day shift for two weeks; keep nights as they are.",
            **{k: v for k, v in common.items() if k != "project_id"},  # type: ignore[arg-type]
        ),
        PdsaCycle(
            project_id=project_id,
            start=date(2017, 11, 6),
            end=date(2017, 11, 19),
            objective="Run the board review on every day shift for two weeks.",
            questions=(
                Question(
                    "Does the share of majors patients reviewed within an hour stay at or "
                    "above 80%?",
                    prediction="Yes, about 80%",
                    reasoning="Cycle 2 reached 79% with the deputy in place",
                    result="82% over 14 days",
                    learning="Sustainable with the rota change",
                    confirmed=Confirmation.YES,
                ),
            ),
            test=TestPlan(
                "Board review with deputy on every day shift",
                "All ED consultants",
                "Majors",
                "Two weeks",
                TestScale.ONE_WARD,
                "whole department, day shifts",
            ),
            data_plan="Daily extract from the ED system; weekly run chart at the huddle.",
            what_happened="Ran for two weeks with one day lost to a rota gap.",
            improved=Improvement.YES,
            study_summary="Held above 80%; staff want it kept.",
            decision=Decision.ADOPT,
            next_steps="Write into the ED standard operating procedure and the rota.",
            **{k: v for k, v in common.items() if k != "project_id"},  # type: ignore[arg-type]
        ),
    ]


def bay_nursing_ramp(project_id: str, idea_id: str) -> list[PdsaCycle]:
    """Falls on Ward 7: one cycle adapted, and a second still open past its end date."""
    return [
        PdsaCycle(
            project_id=project_id,
            ramp_name="Bay nursing",
            number=1,
            change_idea_ids=(idea_id,),
            owner="Sister Grace Mensah",
            start=date(2025, 6, 2),
            end=date(2025, 6, 2),
            status=CycleStatus.DONE,
            objective="See whether one nurse can stay in the high-risk bay for a whole shift.",
            questions=(
                Question(
                    "Can the bay nurse stay in the bay for the whole shift?",
                    prediction="No: breaks will leave the bay empty",
                    result="The bay was empty for 50 minutes over breaks",
                    learning="Breaks need a named cover nurse",
                    confirmed=Confirmation.YES,
                ),
            ),
            test=TestPlan(
                "One nurse based in bay B",
                "Ben Ward",
                "Bay B",
                "One early shift",
                TestScale.ONE_SHIFT,
            ),
            what_happened="Bay covered except over breaks.",
            improved=Improvement.UNCLEAR,
            decision=Decision.ADAPT,
            next_steps="Add break cover from the healthcare assistant.",
        ),
        PdsaCycle(
            project_id=project_id,
            change_idea_ids=(idea_id,),
            owner="Sister Grace Mensah",
            start=date(2025, 7, 7),
            end=date(2025, 7, 20),
            status=CycleStatus.RUNNING,
            objective="Bay nursing with break cover in both high-risk bays for two weeks.",
            questions=(Question("Are there fewer falls in the two bays?"),),
            test=TestPlan(
                "Bay nursing with break cover",
                "Ward 7 nurses",
                "Bays B and C",
                "Two weeks",
                TestScale.ONE_WARD,
            ),
        ),
    ]
