"""Benchmark: from committing a typed value to the live chart having repainted (offscreen).

Drives the real widgets: a :class:`~qidesk.ui.panels.measures.MeasuresPanel` (data grid and
chart pane with its ``SpcPlot``, 1400 x 900) on a temporary workspace holding one daily
proportion measure (P chart) of 100, 1,000 and 10,000 points. Each edit is what Enter does
after typing a numerator: ``ObservationsModel.setData`` → undo command →
``MeasureService.apply_edits`` → ``Changes`` broadcast → ``MeasureService.chart`` → the model
updates its row → ``show_chart`` → ``repaint()`` and ``processEvents()``. The median of many
edits (random rows, new values) is reported, with the median of each stage:

* ``write``  — ``MeasureService.apply_edits`` (validation, the SQLite transaction, audit row);
* ``chart``  — ``MeasureService.chart`` (read back the measure, its points, phases and notes,
  and compute), of which ``engine`` is ``chart_data`` (the SPC engine);
* ``grid``   — ``ObservationsModel.sync`` (the changed row only);
* ``plot``   — ``show_chart`` (the chart pane and its ``SpcPlot.show_chart``);
* ``paint``  — ``processEvents()`` until the chart's view has painted (checked with an
  event filter; ``repaint()`` if it had not);
* ``other``  — the rest: the grid's ``setData``, the undo command, the ``Changes`` broadcast
  and the panel's own work (the measure list's latest value);
* ``total``  — everything, from ``setData`` to the end of the paint.

Usage: ``.venv/bin/python benchmarks/chart_update.py [--edits 40] [--sizes 100,1000,10000]``.
The last line printed is ``chart_update_ms_1000=<number>``; the goal is at most 16.7 ms (one
display frame) at 1,000 points and at most 50 ms at 10,000.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

import qidesk.services.measures as measures_service
from qidesk.core.changes import Changes
from qidesk.core.measures import Measure, Observation
from qidesk.core.periods import Period
from qidesk.core.project import Project
from qidesk.core.spc.types import ChartType, DataType
from qidesk.services.measures import ObservationEdit
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui.actions import GuardedUndoStack
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.panels.measure_cells import Field
from qidesk.ui.panels.measures import MeasuresPanel

SEED = 20250303
DENOMINATOR = 60
STAGES = ("write", "chart", "engine", "grid", "plot", "paint", "other", "total")
WARM_UP = 5


class Stopwatch:
    """Collects the time of each stage of the current edit."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.runs: list[dict[str, float]] = []

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.current[name] += (time.perf_counter() - start) * 1000

        return timed

    def finish(self) -> None:
        self.runs.append(dict(self.current))
        self.current = defaultdict(float)

    def median(self, name: str) -> float:
        return statistics.median(run.get(name, 0.0) for run in self.runs)


class PaintSpy(QObject):
    """Notes that the chart's graphics view painted (the chart is on screen as changed)."""

    def __init__(self, parent: QObject, painted: list[bool]) -> None:
        super().__init__(parent)
        self.painted = painted

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.append(True)
        return False


def make_workspace(folder: Path, points: int) -> tuple[WorkspaceService, str, str]:
    """A workspace with one project and one daily proportion measure of ``points`` points."""
    service = WorkspaceService.create(folder / f"bench-{points}.qidesk", user="bench")
    project = ProjectService(service.workspace).create(Project(title="Benchmark ward")).project
    measures = measures_service.MeasureService(service.workspace)
    measure = measures.create(
        Measure(
            project.id,
            "Falls risk assessed within 24 hours",
            data_type=DataType.PROPORTION,
            multiplier=100,
            unit="%",
            period=Period.DAY,
            chart=ChartType.P,
        )
    ).measure
    rnd = random.Random(SEED)
    start = date(2025, 1, 1) - timedelta(days=points)
    edits = [
        ObservationEdit(
            None,
            Observation(
                measure.id,
                start + timedelta(days=i),
                numerator=rnd.randint(30, 50),
                denominator=DENOMINATOR,
            ),
        )
        for i in range(points)
    ]
    measures.apply_edits(measure, edits)
    return service, project.id, measure.id


def run(points: int, edits: int, folder: Path) -> Stopwatch:
    """Time ``edits`` typed numerators on a measure of ``points`` points."""
    service, project_id, _ = make_workspace(folder, points)
    panels: list[MeasuresPanel] = []

    def broadcast(changes: Changes) -> None:
        for panel in panels:
            panel.apply_changes(changes)

    context = WorkspaceContext(
        workspace=service,
        projects=ProjectService(service.workspace),
        settings=Settings(folder / "settings.json"),
        undo_stack=GuardedUndoStack(),
        broadcast=broadcast,
    )
    panel = MeasuresPanel(context)
    panels.append(panel)
    panel.resize(1400, 900)
    panel.show()
    context.select_project(project_id)
    QApplication.processEvents()

    watch = Stopwatch()
    measures = context.measures
    measures.apply_edits = watch.wrap("write", measures.apply_edits)  # type: ignore[method-assign]
    measures.chart = watch.wrap("chart", measures.chart)  # type: ignore[method-assign]
    engine = measures_service.chart_data
    measures_service.chart_data = watch.wrap("engine", engine)  # type: ignore[assignment]
    panel.model.sync = watch.wrap("grid", panel.model.sync)  # type: ignore[method-assign]
    panel.plot.show_chart = watch.wrap("plot", panel.plot.show_chart)  # type: ignore[method-assign]

    painted: list[bool] = []
    viewport = panel.plot.plot.plot_widget.viewport()
    spy = PaintSpy(viewport, painted)
    viewport.installEventFilter(spy)
    model = panel.model
    column = model.column_of(Field.NUMERATOR)
    rnd = random.Random(SEED + points)
    try:
        for _ in range(edits + WARM_UP):
            row = rnd.randrange(model.new_row)
            old = model.observation_at(row)
            assert old is not None
            assert old.numerator is not None
            value = old.numerator
            while value == old.numerator:
                value = rnd.randint(10, DENOMINATOR)
            painted.clear()
            start = time.perf_counter()
            assert model.setData(model.index(row, column), str(value))
            paint = time.perf_counter()
            QApplication.processEvents()  # one paint of everything the edit changed
            if not painted:  # never happens in practice; keeps the measure honest
                panel.plot.repaint()
            end = time.perf_counter()
            watch.current["paint"] = (end - paint) * 1000
            watch.current["total"] = total = (end - start) * 1000
            known = ("write", "chart", "grid", "plot", "paint")
            watch.current["other"] = total - sum(watch.current[k] for k in known)
            assert model.observation_at(row).numerator == value  # type: ignore[union-attr]
            watch.finish()
        watch.runs = watch.runs[WARM_UP:]
    finally:
        measures_service.chart_data = engine
        panel.close()
        context.undo_stack.clear()
        service.close()
    return watch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=40, help="edits per size (median)")
    parser.add_argument("--sizes", default="100,1000,10000", help="numbers of points")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        print(f"median ms per edit over {args.edits} edits (after {WARM_UP} warm-up edits):")
        print(f"{'points':>7} " + " ".join(f"{s:>7}" for s in STAGES))
        for points in sizes:
            edits = args.edits if points <= 1000 else max(10, args.edits // 2)
            watch = run(points, edits, Path(tmp))
            medians = [watch.median(s) for s in STAGES]
            results[points] = watch.median("total")
            print(f"{points:>7} " + " ".join(f"{m:7.2f}" for m in medians), flush=True)
    del app
    goals = {1000: 16.7, 10000: 50.0}
    for points, goal in goals.items():
        if points in results:
            verdict = "ok" if results[points] <= goal else "over"
            print(f"goal at {points}: <= {goal} ms, median {results[points]:.2f} ms ({verdict})")
    print(f"chart_update_ms_1000={results.get(1000, float('nan')):.2f}")


if __name__ == "__main__":
    main()
