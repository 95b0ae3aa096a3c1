"""A PDSA cycle linked to a measure appears on that measure's chart; unlinking removes it."""

from __future__ import annotations

from dataclasses import replace

from qidesk.core.charting import ChartView
from qidesk.core.drivers import NodeKind
from qidesk.core.pdsa import PdsaCycle
from qidesk.services.demo import create_demo
from qidesk.services.diagram import DiagramService
from qidesk.services.measures import MeasureService
from qidesk.services.pdsa import PdsaService
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService


def test_demo_ramp_is_marked_on_the_outcome_chart_and_unlinking_removes_it(tmp_path):
    path = create_demo(tmp_path / "demo.qidesk", user="tester")
    ws = WorkspaceService.open(path, user="tester", backup=False)
    try:
        project = next(
            r.project
            for r in ProjectService(ws.workspace).rows()
            if r.project.title == "Four-hour A&E performance"
        )
        measures = MeasureService(ws.workspace)
        outcome = measures.for_project(project.id)[0]
        pdsa = PdsaService(ws.workspace)
        cycles = [c for c in pdsa.list_cycles(project.id) if outcome.id in c.measure_ids]
        assert len(cycles) == 3

        for view in ChartView:
            data = measures.chart(outcome.id, view=view)
            marked = [a for a in data.annotations if a.pdsa_id]
            assert len(marked) == 6  # start and end of each of the three cycles
            assert {a.pdsa_id for a in marked} == {c.id for c in cycles}
            assert all(a.text.startswith("PDSA ") for a in marked)
        stored_notes = [a for a in measures.annotations(outcome.id) if not a.pdsa_id]
        assert [a.text for a in stored_notes] == ["Winter 2017/18: severe flu season"]

        first = cycles[0]
        pdsa.update(replace(first, measure_ids=()))
        data = measures.chart(outcome.id)
        assert first.id not in {a.pdsa_id for a in data.annotations}
        assert len([a for a in data.annotations if a.pdsa_id]) == 4

        idea = next(
            n
            for n in DiagramService(ws.workspace).diagram(project.id).of_kind(NodeKind.CHANGE_IDEA)
            if n.id in first.change_idea_ids
        )
        assert idea.text == "Senior review within 1 hour of arrival"
        assert isinstance(first, PdsaCycle)
    finally:
        ws.close()
