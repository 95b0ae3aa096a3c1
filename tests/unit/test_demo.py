"""The demo workspace tells a believable story with real data and real signals."""

from qidesk.core.charting import ChartView
from qidesk.core.project import WorkType
from qidesk.services.demo import create_demo
from qidesk.services.measures import MeasureService
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService


def test_demo_has_every_work_type_stage_and_real_signals(tmp_path):
    path = create_demo(tmp_path / "demo.qidesk", user="tester")
    ws = WorkspaceService.open(path, user="tester", backup=False)
    try:
        rows = ProjectService(ws.workspace).rows()
        projects = [r.project for r in rows]
        assert {p.work_type for p in projects} >= {
            WorkType.STRATEGIC, WorkType.SERVICE_LED, WorkType.CONSULTANCY,
        }  # fmt: skip
        assert len({p.division for p in projects}) >= 4
        assert len({p.status for p in projects}) >= 4
        assert len({p.phase for p in projects}) >= 4
        assert ws.check() == []
        measures = MeasureService(ws.workspace)
        signalled = 0
        for p in projects:
            for m in measures.for_project(p.id):
                data = measures.chart(m.id, view=ChartView.ASSURANCE)
                assert data.result is not None
                assert len(data.periods) == 36
                signalled += any(pt.signals for pt in data.result.points)
        assert signalled >= 3
    finally:
        ws.close()


def test_demo_ed_diagram_has_its_real_measures_linked(tmp_path):
    from qidesk.core.drivers import GapKind
    from qidesk.services.diagram import DiagramService, linked_measure_names

    path = create_demo(tmp_path / "demo.qidesk", user="tester")
    ws = WorkspaceService.open(path, user="tester", backup=False)
    try:
        projects = {r.project.title: r.project for r in ProjectService(ws.workspace).rows()}
        ed = projects["Four-hour A&E performance"]
        diagrams = DiagramService(ws.workspace)
        diagram = diagrams.diagram(ed.id)
        names = linked_measure_names(diagram, MeasureService(ws.workspace).for_project(ed.id))
        text = {n.id: n.text for n in diagram.nodes}
        assert diagram.aim is not None
        text[diagram.aim.id] = "(aim)"
        assert {text[node_id]: list(linked) for node_id, linked in names.items()} == {
            "(aim)": ["Patients admitted, transferred or discharged within 4 hours"],
            "Timely decisions to admit": ["Emergency admissions per attendance"],
            "Capacity matched to demand": ["Type 1 attendances"],
        }
        unmeasured = {g.node_id for g in diagrams.gaps(ed.id) if g.kind is GapKind.NO_MEASURE}
        assert diagram.aim.id not in unmeasured
        assert set(names) & unmeasured == set()
        assert ws.check() == []
    finally:
        ws.close()
