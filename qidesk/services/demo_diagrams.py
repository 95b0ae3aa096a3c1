"""Driver diagrams of the demo workspace (see :mod:`qidesk.services.demo`)."""

from __future__ import annotations

from qidesk.core.drivers import IdeaStatus as S
from qidesk.services.diagram import Branch as B  # noqa: N817 - short name keeps the trees readable

#: The organisation's own QI programme (the strategic project of the demo).
QI_PROGRAMME = [
    B(
        "Build QI capacity and capability through education and training",
        (
            B(
                "Offer QI training at every level, from bronze to expert",
                (
                    B("Bronze QI e-learning in every staff induction", status=S.ADOPTED),
                    B(
                        "Silver QI course each quarter, built around a live project",
                        status=S.TESTING,
                    ),
                ),
                category="Education",
            ),
            B(
                "Give teams protected time and QI coaching",
                (B("A QI coach for every new project", status=S.IMPLEMENTED),),
            ),
        ),
    ),
    B(
        "Engage staff and patients so that everyone knows about QI and feels able to join in",
        (
            B(
                "Share improvement stories widely",
                (
                    B("Monthly QI showcase open to staff and patients", status=S.ADOPTED),
                    B("QI stories in the staff newsletter", weak=True),
                ),
            ),
            B(
                "Make it easy to start or join a project",
                (B("One-page project idea form on the intranet", status=S.TESTING),),
            ),
        ),
    ),
    B(
        "Develop a cohort of QI champions",
        (
            B(
                "Recruit and train QI champions in every division",
                (
                    B("Monthly champions' network meeting", status=S.TESTING),
                    B(
                        "Champions co-teach the silver course",
                        also_under=("Offer QI training at every level, from bronze to expert",),
                    ),
                ),
            ),
        ),
    ),
    B(
        "Support teams to deliver projects co-designed with patients and the public",
        (
            B(
                "Involve patient partners from the start",
                (
                    B("A patient partner on every project team", status=S.SPREAD),
                    B("Co-design workshop at project scoping"),
                ),
            ),
        ),
    ),
]

#: A ward project's theory of change.
FALLS_WARD_7 = [
    B(
        "Patients at risk are identified on admission",
        (
            B(
                "Falls risk assessment within 6 hours of admission",
                (
                    B("Admission checklist prompts the falls assessment", status=S.ADOPTED),
                    B(
                        "Falls champion checks new admissions at the safety huddle",
                        status=S.TESTING,
                    ),
                ),
            ),
            B(
                "Lying and standing blood pressure for patients at risk",
                (B("Lying/standing BP kit in every bay"),),
            ),
        ),
    ),
    B(
        "A safe environment at the bedside",
        (
            B(
                "Call bell and walking aid within reach",
                (B("Bedside check at every intentional round", status=S.TESTING),),
            ),
            B(
                "Close observation of patients at high risk",
                (
                    B("Bay nursing in the two high-risk bays", status=S.ADAPTED),
                    B("Non-slip socks for every patient at risk", status=S.ADOPTED, weak=True),
                ),
            ),
        ),
    ),
    B(
        "Staff, patients and families know how to prevent falls",
        (
            B("Staff trained in falls prevention", (B("Ten-minute falls teaching at handover"),)),
            B(
                "Patients and families involved in preventing falls",
                (
                    B(
                        "Falls leaflet and conversation on admission",
                        also_under=("Falls risk assessment within 6 hours of admission",),
                    ),
                ),
            ),
        ),
    ),
    B(
        "Learning from every fall",
        (
            B(
                "Post-fall huddle within 24 hours",
                (B("Post-fall huddle template in the ward office", status=S.ABANDONED),),
            ),
        ),
    ),
]

#: The emergency department's theory of change; its measures are linked by the demo.
ED_FOUR_HOURS = [
    B(
        "Flow out of the department",
        (
            B(
                "Timely decisions to admit",
                (
                    B("Senior review within 1 hour of arrival", status=S.TESTING),
                    B("Direct admission pathway to the acute medical unit", status=S.ADOPTED),
                ),
            ),
            B(
                "Beds ready when a decision to admit is made",
                (B("Discharge lounge open from 8 am", status=S.ADAPTED),),
            ),
        ),
    ),
    B(
        "Assessment and treatment without delay",
        (
            B(
                "Streaming at the front door",
                (B("GP streaming for minor illness", status=S.ADOPTED),),
            ),
        ),
    ),
    B(
        "Capacity matched to demand",
        (
            B(
                "Rotas matched to hourly arrivals",
                (B("Twilight shift for an extra senior doctor", status=S.TESTING),),
            ),
        ),
    ),
]
