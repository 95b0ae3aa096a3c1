"""The demo workspace: realistic projects of every work type, divisions and stages.

Used by ``qidesk demo --db PATH`` and by the README's "open the app on demo data" command. Later
capabilities (measures, driver diagrams, PDSA cycles) add their demo content here; measures use
the real NHS A&E series shipped in ``resources/demo`` (NHSRdatasets, CC0 / OGL v3.0).
"""

from __future__ import annotations

import contextlib
import csv
from datetime import date
from pathlib import Path

from qidesk import paths
from qidesk.core.drivers import NodeKind
from qidesk.core.errors import WorkspaceError
from qidesk.core.measures import Annotation, AnnotationKind, Measure, MeasureType, Observation
from qidesk.core.periods import Period
from qidesk.core.project import (
    Aim,
    EvaluationLevel,
    Involvement,
    JourneyPhase,
    ProgressScore,
    Project,
    Status,
    TeamMember,
    TeamRole,
    WorkType,
)
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.services.coaching import CoachingService, add_demo_coaching
from qidesk.services.demo_diagrams import ED_FOUR_HOURS, FALLS_WARD_7, QI_PROGRAMME
from qidesk.services.demo_pdsa import bay_nursing_ramp, senior_review_ramp
from qidesk.services.diagram import DiagramService
from qidesk.services.measures import MeasureService, ObservationEdit
from qidesk.services.pdsa import PdsaService
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.store.database import Workspace

AE_SOURCE = (
    "NHS England A&E attendances and emergency admissions statistics (type 1 departments), "
    "via the NHSRdatasets R package (CC0; OGL v3.0)"
)

E = EvaluationLevel


def _team(*people: tuple[str, TeamRole]) -> tuple[TeamMember, ...]:
    return tuple(TeamMember(name=name, role=role) for name, role in people)


def demo_projects() -> list[Project]:
    """The charters of the demo workspace (fictional people, realistic NHS QI work)."""
    return [
        Project(
            title="A culture of continuous improvement",
            work_type=WorkType.STRATEGIC,
            division="Corporate",
            directorate="Quality and Safety",
            ward="Trust-wide",
            programme="QI Academy",
            status=Status.ACTIVE,
            phase=JourneyPhase.IMPLEMENTATION,
            score=ProgressScore(3.0, "Dr Amara Okafor", date(2025, 9, 30), "Board QI report Q2"),
            problem="Only 12% of staff have any QI training and few teams can name a live "
            "improvement project; improvement depends on a handful of enthusiasts.",
            aim=Aim(
                "the share of staff trained in QI (bronze level or above)",
                "all clinical and non-clinical staff",
                "12%",
                "40%",
                date(2027, 3, 31),
            ),
            team=_team(
                ("Prof. Helen Marsh", TeamRole.SPONSOR),
                ("Dr Amara Okafor", TeamRole.LEAD),
                ("Tom Reid", TeamRole.QI_COACH),
                ("Priya Shah", TeamRole.DATA_COLLECTOR),
                ("Margaret Ellis", TeamRole.PATIENT_PARTNER),
            ),
            start_date=date(2024, 4, 1),
            planned_end=date(2027, 3, 31),
            involvement=Involvement.CO_DESIGNED,
            involvement_note="Patient partners co-design the training and sit on the QI council.",
            evaluation_levels=frozenset({E.INDIVIDUAL_TEAM, E.ORGANISATION, E.WIDER_COMMUNITY}),
        ),
        Project(
            title="Four-hour A&E performance",
            work_type=WorkType.SERVICE_LED,
            division="Emergency and Acute Medicine",
            directorate="Emergency Department",
            ward="Type 1 ED",
            programme="Urgent and emergency care",
            status=Status.ACTIVE,
            phase=JourneyPhase.TESTING,
            score=ProgressScore(
                3.0, "Tom Reid", date(2018, 10, 15), "Sustained shift above the mean in 2017/18"
            ),
            problem="Too few patients leave the ED within four hours; crowding delays "
            "assessment and treatment. (Demo data: the real monthly series of one London "
            "trust, April 2016 to March 2019.)",
            aim=Aim(
                "the share of ED attendances admitted, transferred or discharged within 4 hours",
                "adults attending the type 1 ED",
                "92%",
                "95%",
                date(2019, 3, 31),
            ),
            team=_team(
                ("Dr Sam Patel", TeamRole.LEAD),
                ("Claire Dunn", TeamRole.SPONSOR),
                ("Tom Reid", TeamRole.QI_COACH),
                ("Nurse Jo Kim", TeamRole.MEMBER),
                ("Ali Hassan", TeamRole.DATA_COLLECTOR),
            ),
            start_date=date(2016, 4, 1),
            planned_end=date(2019, 3, 31),
            involvement=Involvement.CONSULTED,
            evaluation_levels=frozenset({E.INDIVIDUAL_TEAM, E.ORGANISATION}),
        ),
        Project(
            title="Falls prevention on Ward 7",
            work_type=WorkType.SERVICE_LED,
            division="Medicine",
            directorate="Elderly Care",
            ward="Ward 7",
            status=Status.ACTIVE,
            phase=JourneyPhase.TESTING,
            score=ProgressScore(2.5, "Tom Reid", date(2025, 8, 1), "Bay-nursing test running"),
            problem="Inpatient falls on Ward 7 run at about 9 per 1,000 bed-days, above the "
            "trust average, with two moderate-harm falls last quarter.",
            aim=Aim("falls per 1,000 bed-days", "patients on Ward 7", "9", "6", date(2026, 6, 30)),
            team=_team(
                ("Sister Grace Mensah", TeamRole.LEAD),
                ("Dr Lewis Carr", TeamRole.SPONSOR),
                ("Ben Ward", TeamRole.MEMBER),
                ("Hannah Price", TeamRole.DATA_COLLECTOR),
            ),
            start_date=date(2025, 2, 3),
            planned_end=date(2026, 6, 30),
            involvement=Involvement.INFORMED,
            evaluation_levels=frozenset({E.INDIVIDUAL_TEAM}),
        ),
        Project(
            title="Discharge before noon",
            work_type=WorkType.SERVICE_LED,
            division="Surgery",
            directorate="General Surgery",
            ward="Ward 12",
            status=Status.ACTIVE,
            phase=JourneyPhase.SCOPING,
            score=ProgressScore(1.5, "Dr Amara Okafor", date(2025, 11, 1), "Charter agreed"),
            problem="Most discharges happen after 4 pm, so morning admissions from ED wait "
            "for beds.",
            aim=Aim("the share of discharges before 12:00", "surgical inpatients", "15%", "", None),
            team=_team(("Mr Daniel Osei", TeamRole.LEAD), ("Fiona Blake", TeamRole.MEMBER)),
            start_date=date(2025, 10, 1),
            involvement=Involvement.NONE,
        ),
        Project(
            title="Outpatient letter turnaround review",
            work_type=WorkType.CONSULTANCY,
            division="Clinical Support",
            directorate="Outpatients",
            status=Status.COMPLETED,
            phase=JourneyPhase.CLOSED,
            score=ProgressScore(4.0, "Tom Reid", date(2025, 6, 30), "Median turnaround 6 days"),
            problem="Clinic letters took a median of 21 days to reach GPs.",
            aim=Aim(
                "median days from clinic to letter sent",
                "outpatient clinics",
                "21",
                "7",
                date(2025, 6, 30),
            ),
            team=_team(("Rachel Young", TeamRole.LEAD), ("Tom Reid", TeamRole.QI_COACH)),
            start_date=date(2024, 11, 1),
            planned_end=date(2025, 6, 30),
            actual_end=date(2025, 6, 27),
            involvement=Involvement.CONSULTED,
            evaluation_levels=frozenset({E.ORGANISATION}),
            closure="Aim met; handed over to the outpatient operations team.",
            sustainability="Weekly turnaround report reviewed at the outpatient huddle.",
        ),
        Project(
            title="Sepsis screening within one hour",
            work_type=WorkType.SERVICE_LED,
            division="Emergency and Acute Medicine",
            directorate="Acute Medical Unit",
            ward="AMU",
            status=Status.PROPOSED,
            phase=JourneyPhase.SCOPING,
            score=ProgressScore(0.5, "Dr Sam Patel", date(2025, 11, 10), "Idea submitted"),
            problem="Audit found sepsis screening recorded within an hour for only half of "
            "eligible patients.",
            aim=Aim("sepsis screens completed within 1 hour of arrival", "adults on AMU"),
            team=_team(("Dr Nia Roberts", TeamRole.LEAD)),
            involvement=Involvement.NONE,
        ),
        Project(
            title="Urgent care benchmarking for the ICS",
            work_type=WorkType.CONSULTANCY,
            division="Emergency and Acute Medicine",
            directorate="Urgent Care",
            programme="Urgent and emergency care",
            status=Status.ACTIVE,
            phase=JourneyPhase.SCOPING,
            score=ProgressScore(1.0, "Tom Reid", date(2025, 9, 15), "Scope agreed with the ICS"),
            problem="The integrated care system asked how four-hour performance at a "
            "neighbouring trust compares with England as a whole, and whether the gap is "
            "changing or just noise.",
            aim=Aim(
                "understanding of four-hour performance variation",
                "the ICS urgent care board",
            ),
            team=_team(("Tom Reid", TeamRole.LEAD), ("Ali Hassan", TeamRole.DATA_COLLECTOR)),
            start_date=date(2025, 9, 1),
            involvement=Involvement.NONE,
            evaluation_levels=frozenset({E.ORGANISATION, E.WIDER_COMMUNITY}),
        ),
        Project(
            title="Theatre start-time analysis",
            work_type=WorkType.CONSULTANCY,
            division="Surgery",
            directorate="Theatres",
            status=Status.ON_HOLD,
            phase=JourneyPhase.SCOPING,
            problem="Late first-case starts cost about 40 theatre hours a month.",
            aim=Aim(
                "first cases starting on time",
                "elective theatre lists",
                "48%",
                "80%",
                date(2026, 9, 30),
            ),
            team=_team(
                ("Mr Daniel Osei", TeamRole.SPONSOR), ("Priya Shah", TeamRole.DATA_COLLECTOR)
            ),
            involvement=Involvement.NONE,
            evaluation_levels=frozenset({E.ORGANISATION}),
        ),
        Project(
            title="What matters to you: patient experience",
            work_type=WorkType.STRATEGIC,
            division="Corporate",
            directorate="Nursing",
            programme="Patient experience",
            status=Status.ACTIVE,
            phase=JourneyPhase.SPREAD,
            score=ProgressScore(4.0, "Prof. Helen Marsh", date(2025, 9, 1), "Spread to 9 wards"),
            problem="Patients told us staff rarely asked what mattered most to them.",
            aim=Aim(
                "patients who say staff asked what matters to them",
                "inpatients",
                "31%",
                "75%",
                date(2026, 12, 31),
            ),
            team=_team(
                ("Chief Nurse Ruth Adeyemi", TeamRole.SPONSOR),
                ("Margaret Ellis", TeamRole.PATIENT_PARTNER),
                ("Kate Ng", TeamRole.LEAD),
            ),
            start_date=date(2024, 6, 1),
            involvement=Involvement.PARTNER_ON_TEAM,
            evaluation_levels=frozenset({E.INDIVIDUAL_TEAM, E.ORGANISATION, E.WIDER_COMMUNITY}),
            spread="Adopted by 9 wards across Medicine and Surgery.",
        ),
        Project(
            title="Paper drug charts: transcription errors (2023)",
            work_type=WorkType.PERSONAL_LEARNING,
            division="Medicine",
            directorate="Pharmacy",
            status=Status.CANCELLED,
            phase=JourneyPhase.CLOSED,
            problem="Superseded by the electronic prescribing roll-out.",
            closure="Cancelled: electronic prescribing removed the problem.",
            archived=True,
        ),
    ]


def ae_series(stem: str) -> list[dict[str, str]]:
    """Rows of one of the shipped A&E files (``resources/demo/ae_<stem>.csv``)."""
    with paths.resource("demo", f"ae_{stem}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _ae_measures(project_id: str, org: str) -> list[tuple[Measure, str]]:
    """The measures of an ED project with which column of the A&E file each one takes."""
    common = {
        "project_id": project_id,
        "period": Period.MONTH,
        "data_source": f"{AE_SOURCE}; organisation {org}",
        "collected_by": "Trust information team",
    }
    return [
        (
            Measure(
                name="Patients admitted, transferred or discharged within 4 hours",
                measure_type=MeasureType.OUTCOME,
                definition="Type 1 A&E attendances where the patient left the department "
                "within four hours of arrival, as a share of all type 1 attendances.",
                numerator_definition="Attendances minus four-hour breaches",
                denominator_definition="All type 1 A&E attendances in the month",
                data_type=DataType.PROPORTION,
                multiplier=100.0,
                unit="%",
                direction=Direction.INCREASE,
                target=95.0,
                chart=ChartType.PP,
                preset=Preset.ANHOEJ,
                owner="Dr Sam Patel",
                **common,  # type: ignore[arg-type]
            ),
            "performance",
        ),
        (
            Measure(
                name="Type 1 attendances",
                measure_type=MeasureType.BALANCING,
                definition="Number of type 1 A&E attendances in the month.",
                data_type=DataType.COUNT,
                unit="attendances",
                direction=Direction.NEUTRAL,
                chart=ChartType.I,
                preset=Preset.MDC,
                decimals=0,
                **common,  # type: ignore[arg-type]
            ),
            "attendances",
        ),
        (
            Measure(
                name="Emergency admissions per attendance",
                measure_type=MeasureType.PROCESS,
                definition="Emergency admissions via type 1 A&E as a share of attendances.",
                numerator_definition="Emergency admissions via type 1 A&E",
                denominator_definition="All type 1 A&E attendances in the month",
                data_type=DataType.PROPORTION,
                multiplier=100.0,
                unit="%",
                direction=Direction.NEUTRAL,
                chart=ChartType.PP,
                preset=Preset.ANHOEJ,
                **common,  # type: ignore[arg-type]
            ),
            "admissions",
        ),
    ]


def _ae_observation(measure: Measure, column: str, row: dict[str, str]) -> Observation:
    when = date.fromisoformat(row["date"])
    attendances = float(row["attendances"])
    if column == "performance":
        return Observation(
            measure.id, when, numerator=attendances - float(row["breaches"]),
            denominator=attendances, source="NHSRdatasets ae_attendances",
        )  # fmt: skip
    if column == "admissions":
        return Observation(
            measure.id, when, numerator=float(row["admissions"]), denominator=attendances,
            source="NHSRdatasets ae_attendances",
        )  # fmt: skip
    return Observation(measure.id, when, value=attendances, source="NHSRdatasets ae_attendances")


def add_ae_measures(
    service: MeasureService,
    project_id: str,
    stem: str,
    org: str,
    only: tuple[str, ...] = (),
    name_suffix: str = "",
) -> list[Measure]:
    """Add the A&E measures of one organisation's file to a project, with their real data.

    ``name_suffix`` tells apart measures of several organisations in one project.
    """
    rows = ae_series(stem)
    added: list[Measure] = []
    for measure, column in _ae_measures(project_id, org):
        if only and column not in only:
            continue
        named = measure.with_changes(name=f"{measure.name}{name_suffix}")
        stored = service.create(named).measure
        edits = [ObservationEdit(None, _ae_observation(stored, column, r)) for r in rows]
        service.apply_edits(stored, edits)
        added.append(stored)
    return added


def _add_demo_measures(service: MeasureService, projects: dict[str, Project]) -> None:
    ed = projects["Four-hour A&E performance"]
    measures = add_ae_measures(service, ed.id, "RQM_type1_performance", "RQM")
    service.put_annotation(
        Annotation(
            measures[0].id, date(2017, 12, 1), "Winter 2017/18: severe flu season",
            AnnotationKind.EXTERNAL_EVENT,
        )
    )  # fmt: skip
    bench = projects["Urgent care benchmarking for the ICS"]
    add_ae_measures(
        service, bench.id, "RJZ_type1_performance", "RJZ", ("performance",),
        ": King's College Hospital (RJZ)",
    )  # fmt: skip
    add_ae_measures(
        service, bench.id, "ALL_type1_performance", "England", ("performance",),
        ": England, all type 1 departments",
    )  # fmt: skip


def _link_demo_measures(
    diagrams: DiagramService, measures: MeasureService, project_id: str
) -> None:
    """Link the ED project's real measures to boxes of its driver diagram.

    The outcome measure goes on the aim; the process and balancing measures on the drivers
    they show moving.
    """
    links: dict[str, str | None] = {  # measure name -> box text (None: the aim)
        "Patients admitted, transferred or discharged within 4 hours": None,
        "Emergency admissions per attendance": "Timely decisions to admit",
        "Type 1 attendances": "Capacity matched to demand",
    }
    diagram = diagrams.diagram(project_id)
    boxes = {n.text: n.id for n in diagram.nodes}
    aim = diagram.aim
    assert aim is not None  # the service always gives a diagram its aim
    by_name = {m.name: m.id for m in measures.for_project(project_id)}
    for name, box in links.items():
        diagrams.link_measure(project_id, aim.id if box is None else boxes[box], by_name[name])


def _add_demo_ramps(
    ws: Workspace, diagrams: DiagramService, measures: MeasureService, stored: dict[str, Project]
) -> None:
    """PDSA ramps on change ideas of the ED and falls diagrams, and coaching for the ED team."""
    ed = stored["Four-hour A&E performance"].id
    falls = stored["Falls prevention on Ward 7"].id
    ed_ideas = {n.text: n.id for n in diagrams.diagram(ed).of_kind(NodeKind.CHANGE_IDEA)}
    falls_ideas = {n.text: n.id for n in diagrams.diagram(falls).of_kind(NodeKind.CHANGE_IDEA)}
    outcome = measures.for_project(ed)[0].id
    pdsa = PdsaService(ws)
    pdsa.create_ramp(
        senior_review_ramp(ed, ed_ideas["Senior review within 1 hour of arrival"], outcome)
    )
    pdsa.create_ramp(bay_nursing_ramp(falls, falls_ideas["Bay nursing in the two high-risk bays"]))
    add_demo_coaching(CoachingService(ws), ed)


def create_demo(path: Path, *, user: str, force: bool = False) -> Path:
    """Create the demo workspace at ``path`` (refuses to overwrite unless ``force``)."""
    path = Path(path)
    if WorkspaceService.occupied(path):
        if not force:
            raise WorkspaceError(f"{path} already exists; use --force to overwrite it")
        # only a qidesk workspace that is not open elsewhere and can be written is replaced
        WorkspaceService.discard(path, user=user)
    workspace = WorkspaceService.create(path, user=user, site_name="Demo Hospital QI Hub")
    try:
        projects = ProjectService(workspace.workspace)
        with workspace.workspace.atomic():
            stored = {p.title: projects.create(p).project for p in demo_projects()}
            _add_demo_measures(MeasureService(workspace.workspace), stored)
            diagrams = DiagramService(workspace.workspace)
            diagrams.add_branches(stored["A culture of continuous improvement"].id, QI_PROGRAMME)
            diagrams.add_branches(stored["Falls prevention on Ward 7"].id, FALLS_WARD_7)
            diagrams.add_branches(stored["Four-hour A&E performance"].id, ED_FOUR_HOURS)
            _link_demo_measures(
                diagrams,
                MeasureService(workspace.workspace),
                stored["Four-hour A&E performance"].id,
            )
            _add_demo_ramps(
                workspace.workspace, diagrams, MeasureService(workspace.workspace), stored
            )
    except BaseException:
        workspace.close()
        with contextlib.suppress(WorkspaceError):  # leave no half-made demo behind
            WorkspaceService.discard(path, user=user)
        raise
    workspace.close()
    return path
