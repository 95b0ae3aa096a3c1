"""The live chart beside the data grid: one factory, so the panel does not care which widget.

:func:`make_chart_widget` returns the chart the panel embeds: a
:class:`~qidesk.ui.charts.chart_table.ChartPane` (the SPC plot with its data table, its text
summary and its export menu). It has ``show_chart(data: ChartData)``, ``data``, ``plot`` and
the signals ``point_activated(int)`` (an index into ``data.periods``),
``annotation_requested(int)``, ``phase_requested(int, str)`` (``"freeze"`` or ``"phase"``),
``exported(Path)`` and ``export_failed(str)``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from qidesk.ui.charts.chart_table import ChartPane


def make_chart_widget(parent: QWidget | None = None) -> ChartPane:
    """The chart widget of the measures panel."""
    pane = ChartPane(parent)
    pane.setAccessibleName("Live chart of the measure")
    return pane
