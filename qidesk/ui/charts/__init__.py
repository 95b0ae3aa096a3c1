"""Charts: the live run/SPC chart, its table and summary, exports and the dashboard's tiles.

* :mod:`.spc_plot` — ``SpcPlot``, a pyqtgraph chart that renders a ``ChartData``;
* :mod:`.chart_table` — ``ChartPane`` (chart | table | summary tabs and an export button),
  the widget other panels embed; its docstring documents the API;
* :mod:`.export` — PNG, SVG and PDF pages and the clipboard;
* :mod:`.style`, :mod:`.icons`, :mod:`.legend`, :mod:`.axes` — colours and shapes, the
  variation and assurance icons, the legend, the period and value axes.

Nothing here computes SPC: the engine's results arrive in a ``ChartData`` and the words come
from :mod:`qidesk.core.chart_text`. Modules are not imported here, so that importing this
package does not load pyqtgraph.
"""
