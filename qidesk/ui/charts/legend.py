"""The chart legend: what each marker shape and line means, for the chart that is shown.

Only what the chart draws is listed (a run chart has no limits; a chart without signals
needs no signal markers). The same :func:`paint_legend` draws the legend under the chart on
screen (:class:`ChartLegend`) and on exported pages, so both always agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter, is_not

from pyqtgraph.graphicsItems.ScatterPlotItem import drawSymbol
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from qidesk.core.chart_text import centre_name, limits_name
from qidesk.core.charting import ChartData
from qidesk.core.measures import AnnotationKind, PhaseKind
from qidesk.core.spc.results import SpcPoint
from qidesk.core.spc.types import PointType
from qidesk.ui.charts import style


@dataclass(frozen=True)
class LegendEntry:
    """One legend entry: a marker (``symbol``) or a line (``line_pen``) and its meaning."""

    text: str
    symbol: str | None = None
    fill: str | None = None
    outline: str = style.TEXT
    line_pen: QPen | None = None
    glyph: str = ""
    glyph_colour: str = style.TEXT


_VALUE = attrgetter("value")
_EXCLUDED = attrgetter("excluded")
_POINT_TYPE = attrgetter("point_type")


def _any_defined(points: Sequence[SpcPoint], *names: str) -> bool:
    """Whether any point has any of the attributes ``names`` defined (not ``None``)."""
    return any(any(map(is_not, map(attrgetter(name), points), repeat(None))) for name in names)


def legend_entries(data: ChartData | None) -> list[LegendEntry]:
    """The legend of ``data``'s chart: marker categories present, lines drawn, annotation kinds."""
    if data is None or data.result is None:
        return []
    result = data.result
    out = [LegendEntry("Common cause", "o", style.MDC_COMMON)]
    points = result.points
    plotted = map(is_not, map(_VALUE, points), repeat(None))
    types = set(compress(map(_POINT_TYPE, points), plotted))
    for point_type, marker in (
        (PointType.IMPROVEMENT, style.IMPROVEMENT),
        (PointType.CONCERN, style.CONCERN),
    ):
        if point_type in types:
            out.append(LegendEntry(marker.label, marker.symbol, marker.colour))
    if types & {PointType.NEUTRAL_HIGH, PointType.NEUTRAL_LOW}:
        out.append(LegendEntry(style.NEUTRAL.label, style.NEUTRAL.symbol, style.NEUTRAL.colour))
    if any(map(_EXCLUDED, points)):
        out.append(LegendEntry("Excluded", "o", None, style.GREY_2))
    centre = centre_name(data.chart)
    out.append(
        LegendEntry(
            f"{centre[0].upper()}{centre[1:]}",
            line_pen=style.centre_pen(not data.chart.has_limits),
        )
    )
    if _any_defined(points, "ucl", "lcl"):
        limits = limits_name(data.preset)
        out.append(
            LegendEntry(
                f"{limits[0].upper()}{limits[1:]}", line_pen=style.pen(*style.LIMIT_PEN_ARGS)
            )
        )
    if _any_defined(points, "ucl_2sigma", "lcl_2sigma"):
        out.append(LegendEntry("2 sigma", line_pen=style.pen(*style.SIGMA2_PEN_ARGS)))
    if any(t is not None for t in data.targets):
        trajectory = len({t for t in data.targets if t is not None}) > 1
        out.append(
            LegendEntry(
                "Target trajectory" if trajectory else "Target",
                line_pen=style.pen(*style.TARGET_PEN_ARGS),
            )
        )
    kinds = {a.kind for a in data.annotations}
    for kind in AnnotationKind:
        if kind in kinds:
            look = style.ANNOTATION_STYLES[kind]
            out.append(LegendEntry(kind.label, glyph=look.glyph, glyph_colour=look.colour))
    if any(p.kind is PhaseKind.PHASE for p in data.phases) and len(result.phases) > 1:
        out.append(LegendEntry("New phase", glyph=style.PHASE_STYLE.glyph))
    if any(p.kind is PhaseKind.FREEZE for p in data.phases):
        out.append(
            LegendEntry(
                "Baseline frozen",
                glyph=style.FREEZE_STYLE.glyph,
                glyph_colour=style.FREEZE_STYLE.colour,
            )
        )
    return out


_SWATCH = 26.0
_GAP = 18.0


def _entry_width(metrics: QFontMetricsF, entry: LegendEntry) -> float:
    return _SWATCH + 6 + metrics.horizontalAdvance(entry.text) + _GAP


def legend_height(entries: list[LegendEntry], width: float, metrics: QFontMetricsF) -> float:
    """The height :func:`paint_legend` needs for ``entries`` in ``width``."""
    if not entries:
        return 0.0
    rows, x = 1, 0.0
    for entry in entries:
        w = _entry_width(metrics, entry)
        if x > 0 and x + w > width:
            rows, x = rows + 1, 0.0
        x += w
    return rows * (metrics.height() + 6)


def paint_legend(painter: QPainter, rect: QRectF, entries: list[LegendEntry]) -> float:
    """Draw ``entries`` left to right, wrapping inside ``rect``; returns the height used."""
    metrics = QFontMetricsF(painter.font())
    row_h = metrics.height() + 6
    x, y = rect.left(), rect.top()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for entry in entries:
        w = _entry_width(metrics, entry)
        if x > rect.left() and x + w > rect.right():
            x, y = rect.left(), y + row_h
        mid = y + row_h / 2
        if entry.symbol is not None:
            painter.save()
            painter.translate(QPointF(x + _SWATCH / 2, mid))
            outline = style.marker_pen() if entry.fill else style.ghost_pen()
            drawSymbol(painter, entry.symbol, 11, outline, style.brush(entry.fill))
            painter.restore()
        elif entry.line_pen is not None:
            line = QPen(entry.line_pen)
            line.setCosmetic(False)
            line.setWidthF(max(1.2, entry.line_pen.widthF()))
            painter.setPen(line)
            painter.drawLine(QPointF(x + 1, mid), QPointF(x + _SWATCH - 1, mid))
        elif entry.glyph:
            painter.setPen(QColor(entry.glyph_colour))
            painter.drawText(
                QRectF(x, y, _SWATCH, row_h), int(Qt.AlignmentFlag.AlignCenter), entry.glyph
            )
        painter.setPen(QColor(style.TEXT))
        painter.drawText(
            QRectF(x + _SWATCH + 6, y, w - _SWATCH - 6, row_h),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            entry.text,
        )
        x += w
    painter.restore()
    return (y - rect.top() + row_h) if entries else 0.0


class ChartLegend(QWidget):
    """The legend under a chart (a text alternative to colour: A11Y-R5, COL-R1)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._entries: list[LegendEntry] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Chart legend")

    @property
    def entries(self) -> list[LegendEntry]:
        """What the legend lists."""
        return list(self._entries)

    def set_entries(self, entries: list[LegendEntry]) -> None:
        """Show ``entries`` (nothing to do, and no re-layout, when they are the same)."""
        if entries == self._entries:
            return
        self._entries = entries
        text = "; ".join(e.text for e in entries)
        self.setAccessibleDescription(f"Legend: {text}" if text else "")
        self.setToolTip("\n".join(e.text for e in entries))
        self.updateGeometry()
        self.update()

    def hasHeightForWidth(self) -> bool:
        """The legend wraps, so its height depends on its width."""
        return True

    def heightForWidth(self, width: int) -> int:
        """Rows needed at ``width``."""
        return int(legend_height(self._entries, width - 8, QFontMetricsF(self.font()))) + 4

    def sizeHint(self) -> QSize:
        """Wide and as tall as the rows need."""
        width = max(self.width(), 600)
        return QSize(width, self.heightForWidth(width))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        """Draw the entries."""
        painter = QPainter(self)
        try:
            paint_legend(painter, QRectF(self.rect()).adjusted(4, 2, -4, -2), self._entries)
        finally:
            painter.end()
