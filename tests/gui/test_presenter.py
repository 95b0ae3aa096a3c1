"""The coaching view for a projector and the one-page project summary PDF, on demo-like data."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from qidesk.core.coaching import DIAGRAM, CoachingAction, CoachingSession, Story, StoryKind
from qidesk.core.drivers import IdeaStatus, NodeKind
from qidesk.core.pdsa import (
    Confirmation,
    CycleStatus,
    Decision,
    Improvement,
    PdsaCycle,
    Question,
    TestPlan,
    TestScale,
)
from qidesk.core.project import Aim, JourneyPhase, ProgressScore, Project, TeamMember, TeamRole
from qidesk.services.coaching import CoachingService, ProjectBrief
from qidesk.services.demo import add_ae_measures
from qidesk.services.diagram import Branch, DiagramService
from qidesk.services.measures import MeasureService
from qidesk.services.projects import ProjectService
from qidesk.store.database import Workspace, create_workspace
from qidesk.ui.coaching.presenter import Q_AIM, Q_CHANGES, Q_MEASURES, PresenterWindow
from qidesk.ui.coaching.summary_pdf import chart_cells, paint_line_chart, write_summary_pdf

TODAY = date(2018, 4, 16)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = create_workspace(tmp_path / "demo.qidesk", user="Tom Reid")
    yield workspace
    workspace.close()


@pytest.fixture
def project_id(ws: Workspace) -> str:
    """The demo's A&E project: real monthly data, a diagram, a ramp of three cycles, coaching."""
    project = (
        ProjectService(ws)
        .create(
            Project(
                "Four-hour A&E performance",
                ward="Type 1 ED",
                phase=JourneyPhase.TESTING,
                score=ProgressScore(3.0, "Tom Reid", date(2018, 1, 15)),
                problem="Crowding delays assessment and treatment.",
                aim=Aim(
                    "the share of ED attendances admitted, transferred or discharged within "
                    "4 hours",
                    "adults attending the type 1 ED",
                    "92%",
                    "95%",
                    date(2019, 3, 31),
                ),
                team=(
                    TeamMember("Dr Sam Patel", TeamRole.LEAD),
                    TeamMember("Tom Reid", TeamRole.QI_COACH),
                ),
            )
        )
        .project
    )
    measures = add_ae_measures(MeasureService(ws), project.id, "RQM_type1_performance", "RQM")
    diagrams = DiagramService(ws)
    diagrams.add_branches(
        project.id,
        [
            Branch(
                "Assessment and treatment without delay",
                (
                    Branch(
                        "Streaming at the front door",
                        (Branch("GP streaming for minor illness", status=IdeaStatus.ADOPTED),),
                    ),
                ),
            ),
            Branch(
                "Flow out of the department",
                (Branch("Discharge lounge open from 8 am", kind=NodeKind.CHANGE_IDEA),),
            ),
        ],
    )
    idea = next(
        n
        for n in diagrams.diagram(project.id).of_kind(NodeKind.CHANGE_IDEA)
        if n.text.startswith("GP streaming")
    )
    from qidesk.services.pdsa import PdsaService

    pdsa = PdsaService(ws)
    previous: PdsaCycle | None = None
    for number, (start, scale, decision) in enumerate(
        [
            (date(2017, 10, 2), TestScale.ONE_SHIFT, Decision.ADAPT),
            (date(2017, 11, 6), TestScale.ONE_DAY, Decision.ADAPT),
            (date(2018, 1, 8), TestScale.ONE_WARD, Decision.ADOPT),
        ],
        start=1,
    ):
        cycle = PdsaCycle(
            project.id,
            ramp_id=previous.ramp_id if previous else PdsaCycle(project.id).ramp_id,
            ramp_name="GP streaming",
            number=number,
            previous_cycle_id=previous.id if previous else None,
            change_idea_ids=(idea.id,),
            measure_ids=(measures[0].id,),
            start=start,
            end=date(start.year, start.month, 20),
            status=CycleStatus.DONE,
            test=TestPlan(what="GP streaming at triage", scale=scale),
            questions=(
                Question(
                    "Will minors wait less?",
                    "Under an hour",
                    result="52 minutes",
                    confirmed=Confirmation.YES,
                ),
            ),
            improved=Improvement.YES,
            decision=decision,
        )
        previous = pdsa.create(cycle).cycle
    coaching = CoachingService(ws)
    coaching.create_session(
        CoachingSession(
            project.id,
            date(2018, 2, 6),
            coach="Tom Reid",
            actions=(
                CoachingAction(
                    "Plan streaming on every weekday", "Dr Sam Patel", date(2018, 2, 20)
                ),
                CoachingAction("Share the run chart at governance", "Tom Reid"),
                CoachingAction("Done already", done=True),
            ),
        )
    )
    coaching.create_story(
        Story(
            project.id,
            date(2018, 4, 10),
            StoryKind.PATIENT,
            "Home before the school run",
            "Seen by the GP within 40 minutes and home in time for the school run.",
            attachment=DIAGRAM,
        )
    )
    return project.id


@pytest.fixture
def brief(ws: Workspace, project_id: str) -> ProjectBrief:
    return CoachingService(ws).brief(project_id, today=TODAY)


@pytest.fixture
def window(qtbot: QtBot, ws: Workspace, project_id: str) -> PresenterWindow:
    service = CoachingService(ws)
    w = PresenterWindow(lambda: service.brief(project_id, today=TODAY))
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


# --------------------------------------------------------------------------- slides


def test_the_three_questions_are_answered_from_the_project(window):
    titles = window.slide_titles()
    assert titles == [
        "Four-hour A&E performance",
        Q_AIM,
        Q_MEASURES,
        "Outcome measure",
        "Process measure",
        "Balancing measure",
        Q_CHANGES,
        "Open actions",
        "Patient story: Home before the school run",
    ]
    aim = window.slides[1].text()
    assert (
        "Improve the share of ED attendances admitted, transferred or discharged within 4 hours "
        "for adults attending the type 1 ED from 92% to 95% by 31 March 2019." in aim
    )
    measures = window.slides[2].text()
    for name in (
        "Patients admitted, transferred or discharged within 4 hours (outcome)",
        "Type 1 attendances (balancing)",
        "Emergency admissions per attendance (process)",
    ):
        assert name in measures
    assert measures.count("Latest point: Mar 2019") == 3
    assert "13 points in a row above the centre line from Jan 2018 (improvement)" in measures
    changes = window.slides[6].text()
    assert "GP streaming for minor illness — Adopted" in changes
    assert (
        "Ramp “GP streaming”: 3 cycles (one shift → one day → one ward or team); "
        "latest Act: adopt" in changes
    )
    assert "1 of 2 change ideas have no PDSA cycle yet." in changes
    actions = window.slides[7].text()
    assert (
        "OVERDUE: Plan streaming on every weekday — Dr Sam Patel, due 20 February 2018" in actions
    )
    assert "Share the run chart at governance — Tom Reid" in actions
    assert "Done already" not in actions
    assert "Seen by the GP within 40 minutes" in window.slides[8].text()
    assert "(advice; the team decides)" in window.slides[0].text()


def test_charts_are_drawn_with_the_chart_widget(window):
    from qidesk.ui.charts.spc_plot import SpcPlot

    small = window.slides[2].findChildren(SpcPlot)
    assert len(small) == 3 and all(p.compact for p in small)
    big = window.slides[3].findChild(SpcPlot)
    assert big is not None and not big.compact
    assert big.data is not None
    assert big.data.measure.name == "Patients admitted, transferred or discharged within 4 hours"
    assert big.focusPolicy() == Qt.FocusPolicy.NoFocus  # arrows page the slides
    assert any(a.text.startswith("PDSA GP streaming #1 started") for a in big.data.annotations)


def test_keyboard_paging(qtbot, window):
    seen: list[int] = []
    window.slide_changed.connect(seen.append)
    last = len(window.slides) - 1
    assert window.current == 0 and "Slide 1 of 9" in window.footer.text()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert window.current == 3
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert window.current == 1
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert window.current == last and not window.next_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_PageDown)  # stays on the last slide
    assert window.current == last
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert window.current == 0 and not window.back_button.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_PageUp)
    assert window.current == 0
    window.next_button.click()
    assert window.current == 1
    assert seen[:3] == [1, 2, 3]


def test_full_screen_and_leaving(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.isFullScreen()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isFullScreen() and window.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.isVisible()


def test_reload_keeps_the_slide_and_shows_new_data(qtbot, ws, project_id, window):
    qtbot.keyClick(window, Qt.Key.Key_End)
    qtbot.keyClick(window, Qt.Key.Key_PageUp)  # open actions
    CoachingService(ws).create_session(
        CoachingSession(project_id, date(2018, 4, 1), actions=(CoachingAction("New action"),))
    )
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.current == 7
    assert "New action" in window.slides[7].text()


def test_type_scales_with_the_window(window):
    window.resize(1920, 1080)
    assert "font-size: 36px" in window.styleSheet()
    window.resize(1280, 720)
    assert "font-size: 24px" in window.styleSheet()


def test_a_bare_project_still_has_the_three_questions(qtbot, ws):
    pid = ProjectService(ws).create(Project("Just started")).project.id
    w = PresenterWindow(lambda: CoachingService(ws).brief(pid, today=TODAY))
    qtbot.addWidget(w)
    assert w.slide_titles() == ["Just started", Q_AIM, Q_MEASURES, Q_CHANGES, "Open actions"]
    assert "No aim written yet" in w.slides[1].text()
    assert "No measures defined yet" in w.slides[2].text()
    assert "No change ideas recorded yet" in w.slides[3].text()
    assert "No open actions." in w.slides[4].text()


# --------------------------------------------------------------------------- the summary PDF


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", out.stdout)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_summary_pdf_holds_aim_measures_ramps_and_story(qtbot, brief, tmp_path):
    path = write_summary_pdf(tmp_path / "summary.pdf", brief)
    assert path.read_bytes().startswith(b"%PDF")
    text = _pdf_text(path)
    assert "Four-hour A&E performance" in text
    assert brief.aim in text
    for name in (
        "Patients admitted, transferred or discharged within 4 hours",
        "Type 1 attendances",
        "Emergency admissions per attendance",
    ):
        assert name in text
    assert "GP streaming: #1 adapt → #2 adapt → #3 adopt" in text
    assert "Home before the school run" in text
    assert "Dr Sam Patel (Project lead)" in text
    assert "GP streaming for minor illness" in text  # from the driver diagram, as text
    assert "Aggregate data only" in text
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    if pages:
        assert re.search(r"Pages:\s+1\b", pages)
        assert "842 x 595" in pages  # A4 landscape in points


def test_summary_pdf_of_a_bare_project(qtbot, ws, tmp_path):
    pid = ProjectService(ws).create(Project("Just started")).project.id
    brief = CoachingService(ws).brief(pid, today=TODAY)
    path = write_summary_pdf(tmp_path / "bare.pdf", brief, chart=paint_line_chart)
    assert path.stat().st_size > 1000
    if shutil.which("pdftotext"):
        text = _pdf_text(path)
        for words in ("No aim written yet", "No driver diagram yet", "No measures yet",
                      "No PDSA cycles recorded yet", "No story recorded yet"):  # fmt: skip
            assert words in text


def test_summary_pdf_refuses_an_unwritable_place(qtbot, brief, tmp_path):
    with pytest.raises(OSError, match="cannot be written"):
        write_summary_pdf(tmp_path / "missing" / "folder" / "x.pdf", brief)


def test_chart_cells_put_the_outcome_chart_first_and_widest():
    from PySide6.QtCore import QRectF

    area = QRectF(0, 0, 700, 400)
    one, two, three, four = (chart_cells(area, n) for n in (1, 2, 3, 4))
    assert one[0].width() == 700 and one[0].height() == 400
    assert [c.width() for c in two] == [700, 700]
    assert three[0].width() == 700 and three[1].width() < 350
    assert len(four) == 4 and four[3].right() <= 700.5
