"""Guards for the PySide6/pyqtgraph pins (research: ecosystem.md §0, §2, §10 items 1–2).

(a) PySide6 6.12.0 on Python 3.11 aborts ("deallocating None") after about 70 chart repaints;
    a short test does not notice, so this one repaints 300 times in a subprocess and checks the
    exit code.
(b) pyqtgraph 0.14.0's SVG export raises ``ValueError`` on PySide6 >= 6.11 (pyqtgraph#3495).

Both pass on the pinned 6.10.3. If either fails after a version bump, keep the pin (or apply the
workaround in ecosystem.md §3) — do not delete the test.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from pytestqt.qtbot import QtBot

REPAINTS = 300

_REPAINT_SCRIPT = textwrap.dedent(
    f"""
    import numpy as np
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg

    app = QApplication([])
    plot = pg.PlotWidget()
    plot.resize(800, 500)
    plot.show()
    curve = plot.plot()
    x = np.arange(52, dtype=float)
    for i in range({REPAINTS}):
        curve.setData(x, np.sin(x / 5 + i / 10))
        plot.repaint()
        app.processEvents()
    print("repainted", {REPAINTS})
    """
)


def test_many_chart_repaints_do_not_crash(tmp_path: Path):
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    out = subprocess.run(
        [sys.executable, "-c", _REPAINT_SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
        check=False,
    )
    assert out.returncode == 0, f"exit {out.returncode}\n{out.stderr[-2000:]}"
    assert f"repainted {REPAINTS}" in out.stdout


def test_svg_export_of_a_small_plot(qtbot: QtBot, tmp_path: Path):
    import pyqtgraph as pg
    import pyqtgraph.exporters

    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.plot([1, 3, 2, 4, 3, 5], symbol="o")
    plot.resize(400, 300)
    target = tmp_path / "chart.svg"
    pyqtgraph.exporters.SVGExporter(plot.plotItem).export(str(target))
    text = target.read_text(encoding="utf-8")
    assert "<svg" in text
    assert "<path" in text
