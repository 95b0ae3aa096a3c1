"""``SpcPlot``: a run or SPC chart that renders a :class:`~qidesk.core.charting.ChartData`.

It never computes: the centre line, the limits, the signals and the point types come from
the SPC engine; the words (tooltips, summary, labels) from :mod:`qidesk.core.chart_text`.
The widget only turns them into pixels.

What it draws
    * the points joined by a line; markers coloured by the Making Data Count convention and
      shaped by meaning (● common cause, ▲ improvement, ▼ concern, ◆ neutral; see
      :mod:`.style`), excluded points hollow and light;
    * per phase (broken at each phase change): the centre line (dashed on a run chart), the
      limits and the 2-sigma lines, labelled with their values at the end of each phase, so
      the centre and limits before and after a change can be read off;
    * the target or target trajectory (a red step line);
    * a shaded band over an unusually long run (Anhøj rule, a phase-level signal), labelled
      inside the band from its start;
    * annotations, phase changes and baseline freezes as vertical markers whose labels sit in
      a band above the data (at most about a third of the height), staggered into rows so
      that they never overlap each other or the data and never run off the chart; notes on
      one point share one label ("(+1 more)"; all of them in its tooltip);
    * a title, the variation and assurance icons (assurance view and MDC rules) and a legend.

Interaction
    Hover shows a tooltip for the nearest point. The chart takes keyboard focus (Tab): ←/→
    move a focus ring from point to point (Home/End, Page Up/Down by 10), and the point's
    date, value, numerator/denominator, note and signal reasons are written under the
    chart. Enter or a double-click emits :attr:`point_activated`; the context menu (right
    click, Menu key or Shift+F10) offers "annotate", "freeze the baseline" and "start a new
    phase" (:attr:`annotation_requested`, :attr:`phase_requested`).

Speed
    The plot items are made once and updated with ``setData``. Common-cause markers share
    one style; only signals and excluded points carry per-point symbols and brushes (one
    :class:`~pyqtgraph.ScatterPlotItem` each, never one graphics item per point). Above
    :attr:`SpcPlot.MARKERS_UP_TO` points the line is downsampled and clipped to the view
    and common-cause markers are left to the line. The plain-English summary (the accessible
    description, and the tooltip of a compact chart) is not written on every change: it is
    built when an assistive technology is active, when it is read (:meth:`accessibleDescription`,
    the tooltip), or once the chart has been left alone for :attr:`SpcPlot.SUMMARY_DELAY_MS`
    (typing values one after the other builds it once, not once per value).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import repeat
from operator import attrgetter, is_not

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAction,
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLabel,
    QMenu,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.chart_text import (
    centre_name,
    format_value,
    latest_run,
    point_info,
    signal_kind,
    summary_text,
    unit_of,
)
from qidesk.core.charting import ChartData, ChartView
from qidesk.core.measures import PhaseKind
from qidesk.core.periods import Period, format_period
from qidesk.core.spc.types import PointType, Preset, RuleId
from qidesk.ui.charts import style
from qidesk.ui.charts.axes import PeriodAxis, ValueAxis
from qidesk.ui.charts.icons import IconBadge
from qidesk.ui.charts.legend import ChartLegend, legend_entries

EMPTY_TEXT = "No data yet. Enter the first value to see the chart."
NO_VALUES_TEXT = "No point can be plotted yet: enter a value, or choose another chart type."

_LINES = ("value", "cl", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")  # SpcPoint fields drawn
_EXCLUDED = attrgetter("excluded")
_POINT_TYPE = attrgetter("point_type")
_PHASE_GAP = 0.2  # data units left blank on each side of a phase change
_BAND_SHARE = 0.35  # the most of the plot's height the labels above the data take
_LABEL_CHARS = 32  # an annotation's label is cut to this many characters (tooltip: all)


def _label_text(text: str, limit: int = _LABEL_CHARS) -> str:
    """An annotation's label: its text, or a shortened one that keeps what tells it apart.

    A long text with a long title before its colon ("PDSA Senior review within 1 hour #2
    started: …") keeps the start and the end of the title ("PDSA Senior review…#2 started");
    any other is cut at the end.
    """
    if len(text) <= limit:
        return text
    head = text.split(": ", 1)[0]
    if ": " in text and len(head) > 24:
        if len(head) <= limit:
            return head
        words = head.split()
        tail = " ".join(words[-2:])  # the last two words: "#2 started"
        if len(tail) > 14:
            tail = words[-1][-14:]
        return f"{head[: max(limit - len(tail) - 1, 4)].rstrip()}…{tail}"
    return text[: limit - 1].rstrip() + "…"


def _merge_same_point(items: list[_BandItem]) -> list[_BandItem]:
    """One label for the annotations on one point: the first, "(+2 more)", all in the tooltip.

    Weekly tests of change on a monthly chart land on the same point; stacked one above the
    other their labels would push the data down for nothing (the marker is one line).
    """
    out: list[_BandItem] = []
    first: _BandItem | None = None
    extra = 0
    for item in items:
        last = out[-1] if out else None
        on_last = last is not None and item.note and last.note and item.x == last.x
        if on_last and last is not None and first is not None:  # (the Nones: for mypy)
            extra += 1
            out[-1] = replace(
                last,
                text=f"{first.text} (+{extra} more)",
                tooltip=f"{last.tooltip}\n{item.tooltip}",
                shorter=(
                    *(f"{t} (+{extra} more)" for t in first.shorter),
                    *(f"{t} +{extra}" for t in first.shorter),
                ),
            )
            continue
        first, extra = item, 0
        out.append(item)
    return out


@dataclass(frozen=True)
class MarkerInfo:
    """How one point is drawn (for tests and for the accessibility audit)."""

    symbol: str | None
    fill: str | None  # ``None`` = hollow
    outline: str
    size: float
    visible: bool


@dataclass(frozen=True)
class _ValueLabel:
    """The value of a centre or limit line, written at one end of its phase."""

    start: int
    end: int
    y: float  # display units
    text: str
    last: bool  # the latest phase: written in the right margin


@dataclass
class _BandItem:
    """A vertical marker with a label in the band above the data."""

    x: float
    text: str
    tooltip: str
    colour: str
    dashed: bool = True
    shorter: tuple[str, ...] = ()  # shorter wordings, tried in turn when it does not fit
    note: bool = False  # an annotation (placed after the signals, merged when on one point)


def _step_line(values: np.ndarray, starts: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """A step line over points ``0..n-1`` (each value spans its point ±0.5).

    Broken (left blank for a little) at each phase start in ``starts``.
    """
    n = values.size
    x = np.repeat(np.arange(n, dtype=np.float64), 2)
    x[0::2] -= 0.5
    x[1::2] += 0.5
    y = np.repeat(values, 2)
    cuts = [b for b in starts if 0 < b < n]
    for b in cuts:
        x[2 * b - 1] -= _PHASE_GAP
        x[2 * b] += _PHASE_GAP
    if cuts:
        where = [2 * b for b in cuts]
        x = np.insert(x, where, np.nan)
        y = np.insert(y, where, np.nan)
    # a flat stretch needs only its two ends (limits of an I or run chart: 2 vertices a phase)
    same = np.zeros(y.size + 1, dtype=np.bool_)
    same[1:-1] = y[1:] == y[:-1]
    keep = ~(same[:-1] & same[1:])
    return x[keep], y[keep]


class SpcPlot(QWidget):
    """A run or SPC chart of one measure; call :meth:`show_chart` with a fresh ``ChartData``.

    ``compact=True`` (dashboard tiles) leaves out the title, legend, labels and the
    point-info line, and offers no context menu.
    """

    #: Enter / double-click on a point (its index in ``ChartData.periods``)
    point_activated = Signal(int)
    #: "Add an annotation here" from the context menu
    annotation_requested = Signal(int)
    #: "Freeze the baseline here" (``"freeze"``) / "Start a new phase here" (``"phase"``)
    phase_requested = Signal(int, str)
    #: the keyboard focus ring moved to a point
    point_focused = Signal(int)

    #: above this many points, common-cause markers are left out and the line is downsampled
    MARKERS_UP_TO = 5000
    HOVER_PIXELS = 14.0
    #: the summary is built once the chart has not changed for this long (unless read sooner)
    SUMMARY_DELAY_MS = 150

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        self._data: ChartData | None = None
        self._values = np.zeros(0)
        self._present: list[int] = []
        self._focus: int | None = None
        self._special_rows: dict[int, int] = {}
        self._band: list[_BandItem] = []
        self._line_labels: list[_ValueLabel] = []
        self._y_bounds = (0.0, 1.0)
        self._menu: QMenu | None = None
        self._summary: str | None = ""  # the accessible summary; None = not built yet
        self._summary_timer = QTimer(self)
        self._summary_timer.setSingleShot(True)
        self._summary_timer.setInterval(self.SUMMARY_DELAY_MS)
        self._summary_timer.timeout.connect(self.describe)
        self.setObjectName("spcPlot")
        self.setAccessibleName("Chart")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus if compact else Qt.FocusPolicy.StrongFocus)
        self._build()

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        margin = 1 if self.compact else 3
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(2)

        self.title = QLabel(self)
        self.title.setObjectName("chartTitle")
        title_font = QFont(self.title.font())
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 10) * 1.25)
        self.title.setFont(title_font)
        self.title.setStyleSheet(f"color: {style.TEXT};")
        self.title.setWordWrap(True)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("chartSubtitle")
        self.subtitle.setStyleSheet(f"color: {style.GREY_1};")
        self.subtitle.setWordWrap(True)
        self.variation_badge = IconBadge(self)
        self.assurance_badge = IconBadge(self)
        self._titles = QWidget(self)
        titles = QVBoxLayout(self._titles)
        titles.setContentsMargins(0, 0, 0, 0)
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        self._badges = QWidget(self)
        self._badge_box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self._badges)
        self._badge_box.setContentsMargins(0, 0, 0, 0)
        self._badge_box.addWidget(self.variation_badge)
        self._badge_box.addWidget(self.assurance_badge)
        self._badge_box.addStretch(1)
        self._header_grid = QGridLayout()
        self._header_grid.setContentsMargins(4, 0, 4, 0)
        self._header_grid.setVerticalSpacing(2)
        self._header_grid.setColumnStretch(0, 1)
        self._header_grid.addWidget(self._titles, 0, 0)
        self._badges_place: tuple[bool, bool] | None = None  # (beside the title, in a row)
        self._titles_shown = True
        self._header_shown = True
        self._header = QWidget(self)
        self._header.setLayout(self._header_grid)
        layout.addWidget(self._header)
        self._place_badges()

        self.bottom_axis = PeriodAxis()
        self.left_axis = ValueAxis(compact=self.compact)
        self.plot_widget = pg.PlotWidget(
            self,
            background=style.BACKGROUND,
            axisItems={"bottom": self.bottom_axis, "left": self.left_axis},
        )
        self.plot_widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the SpcPlot takes the keys
        self.plot_widget.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot_widget.setAccessibleName("Chart drawing")
        # screen readers meet the drawing surface too: it carries the chart's name and summary
        self.plot_widget.viewport().setAccessibleName("Chart drawing")
        self.plot_item = self.plot_widget.getPlotItem()
        self.view_box = self.plot_item.getViewBox()
        self.plot_item.setMenuEnabled(False)
        self.plot_item.hideButtons()
        self.view_box.setMouseEnabled(x=False, y=False)
        self.view_box.setMenuEnabled(False)
        self.view_box.enableAutoRange(enable=False)
        for axis in (self.bottom_axis, self.left_axis):
            axis.setPen(style.pen(style.GREY_1, 1.0))
            axis.setTextPen(style.pen(style.TEXT, 1.0))
        if self.compact:
            small = QFont(self.font())
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
            for axis in (self.bottom_axis, self.left_axis):
                axis.setTickFont(small)
        layout.addWidget(self.plot_widget, 1)

        self._make_items()

        self.message = QLabel(self.plot_widget)
        self.message.setObjectName("chartMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(
            f"QLabel#chartMessage {{ color: {style.TEXT}; background: {style.GREY_5};"
            f" border: 1px solid {style.GREY_4}; padding: 12px; }}"
            f"QLabel#chartMessage[kind='error'] {{ border-left: 6px solid {style.NHS_RED}; }}"
        )
        self.message.hide()

        self.legend = ChartLegend(self)
        self.info = QLabel(self)
        self.info.setObjectName("chartPointInfo")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setStyleSheet(f"color: {style.TEXT}; padding: 2px 6px;")
        self.info.setAccessibleName("Focused point")
        self.info.setText("Tab to the chart, then use the arrow keys to read each point.")
        # a fixed height: a longer or shorter text must not resize (and re-lay out) the plot
        self.info.setFixedHeight(round(self.info.fontMetrics().lineSpacing() * 2 + 6))
        layout.addWidget(self.legend)
        layout.addWidget(self.info)
        if self.compact:
            self._header.hide()
            self.legend.hide()
            self.info.hide()

        self.view_box.sigResized.connect(self._relayout)
        scene = self.plot_widget.scene()
        scene.sigMouseMoved.connect(self._hovered)
        scene.sigMouseClicked.connect(self._clicked)

    def _curve(self, args: tuple[object, ...], z: float) -> pg.PlotCurveItem:
        item = pg.PlotCurveItem(pen=style.pen(*args), connect="finite")
        item.setZValue(z)
        self.plot_item.addItem(item)
        return item

    def _make_items(self) -> None:
        self.ucl2_line = self._curve(style.SIGMA2_PEN_ARGS, 1)
        self.lcl2_line = self._curve(style.SIGMA2_PEN_ARGS, 1)
        self.ucl_line = self._curve(style.LIMIT_PEN_ARGS, 2)
        self.lcl_line = self._curve(style.LIMIT_PEN_ARGS, 2)
        self.centre_line = self._curve(style.CENTRE_PEN_ARGS, 3)
        self.target_line = self._curve(style.TARGET_PEN_ARGS, 3)
        self.line = pg.PlotDataItem(pen=style.pen(*style.DATA_PEN_ARGS), connect="finite")
        self.line.setZValue(4)
        self.plot_item.addItem(self.line)
        self.markers = pg.ScatterPlotItem(
            symbol=style.COMMON.symbol,
            size=style.COMMON.size,
            pen=style.marker_pen(),
            brush=style.brush(style.COMMON.colour),
        )
        self.markers.setZValue(5)
        self.special = pg.ScatterPlotItem()
        self.special.setZValue(6)
        self.focus_ring = pg.ScatterPlotItem()
        self.focus_ring.setZValue(7)
        for item in (self.markers, self.special, self.focus_ring):
            self.plot_item.addItem(item)
        self._regions: list[pg.LinearRegionItem] = []
        self._vlines: list[pg.InfiniteLine] = []
        self._band_texts: list[pg.TextItem] = []
        self._value_texts: list[pg.TextItem] = []

    # ------------------------------------------------------------------ public API
    @property
    def data(self) -> ChartData | None:
        """The chart shown (``None`` before the first :meth:`show_chart`)."""
        return self._data

    @property
    def focused_index(self) -> int | None:
        """The point under the keyboard focus ring, if any."""
        return self._focus

    def show_chart(self, data: ChartData) -> None:
        """Draw ``data`` (reusing every plot item); keeps the focused point when it still exists."""
        self._data = data
        self._update_header(data)
        result = data.result
        n = len(data.periods)
        present: list[int] = []
        table = np.zeros((6, 0))
        if result is not None:  # engine units; NaN where a value or a line is not defined
            # column by column (no tuple per point: less for the cycle collector to chase)
            table = np.array(
                [list(map(attrgetter(name), result.points)) for name in _LINES], dtype=np.float64
            ).reshape(6, n)
            present = np.flatnonzero(~np.isnan(table[0])).tolist()
        self._present = present
        empty = bool(data.error) or result is None or not present
        for axis in ("left", "bottom"):  # no 0-to-1 axes around an empty chart
            self.plot_item.showAxis(axis, not empty)
        if empty:
            self._clear_items()
            self._show_message(data)
            return
        assert result is not None
        self.message.hide()
        factor = data.shown(1.0) or 1.0  # ChartData.shown, vectorised
        values, cl, lcl, ucl, lcl2, ucl2 = table * factor
        self._values = values
        starts = [ph.start for ph in result.phases]
        self.centre_line.setPen(style.centre_pen(not data.chart.has_limits))
        for item, column in (
            (self.centre_line, cl),
            (self.ucl_line, ucl),
            (self.lcl_line, lcl),
            (self.ucl2_line, ucl2),
            (self.lcl2_line, lcl2),
        ):
            if np.isfinite(column).any():
                item.setData(*_step_line(column, starts))
                item.show()
            else:
                item.hide()
        targets = np.array(data.targets, dtype=np.float64)  # display units already
        if np.isfinite(targets).any():
            self.target_line.setData(*_step_line(targets, []))
            self.target_line.show()
        else:
            self.target_line.hide()
        x = np.arange(n, dtype=np.float64)
        many = n > self.MARKERS_UP_TO
        self.line.setDownsampling(auto=many, method="peak")
        self.line.setClipToView(many)
        self.line.setData(x, values)
        self.line.show()
        self._set_markers(data, values, many)
        self._set_regions(data)
        self._set_band(data)
        self._set_value_labels(data)
        self.bottom_axis.set_periods(data.periods, data.measure.period)
        unit = unit_of(data.measure)
        self.left_axis.set_suffix("%" if unit == "%" else "")
        self.plot_item.setLabel("left", "" if unit in ("", "%") or self.compact else unit)
        lines = np.concatenate([values, cl, lcl, ucl, lcl2, ucl2, targets])
        finite = lines[np.isfinite(lines)]
        self._y_bounds = (float(finite.min()), float(finite.max()))
        if self._focus is not None and self._focus not in present:
            self._focus = None
        if self._focus is None and self.hasFocus() and not self.compact:
            self._focus = present[-1]  # the chart has the keyboard: ring the latest point
        self._place_focus()
        self._relayout()

    def marker_at(self, index: int) -> MarkerInfo:
        """How point ``index`` is drawn now."""
        if index in self._special_rows:
            spot = self.special.data[self._special_rows[index]]
            hollow = spot["brush"].style() == Qt.BrushStyle.NoBrush
            fill = None if hollow else spot["brush"].color().name()
            return MarkerInfo(spot["symbol"], fill, spot["pen"].color().name(), spot["size"], True)
        shown = self.markers.isVisible() and index in self._present
        return MarkerInfo(
            style.COMMON.symbol, style.COMMON.colour, style.TEXT, style.COMMON.size, shown
        )

    def set_titles_visible(self, visible: bool) -> None:
        """Show or hide the title and subtitle (a panel that writes its own heading hides them).

        The variation and assurance icons stay: they are not written anywhere else.
        """
        self._titles_shown = visible
        self._titles.setVisible(visible and not self.compact)
        self._badges_place = None
        self._place_badges()

    def set_header_visible(self, visible: bool) -> None:
        """Show or hide the whole header: title, subtitle and icons (a page draws its own)."""
        self._header_shown = visible
        self._badges_place = None
        self._place_badges()

    def badges_beside_title(self) -> bool:
        """True when the icons sit to the right of the title (else they have a row of their own)."""
        return bool(self._badges_place and self._badges_place[0])

    def _place_badges(self) -> None:
        """Icons beside the title when the title keeps room to read, else in a row under it.

        A narrow chart would otherwise wrap the title word by word beside the icons; a very
        narrow one also stacks the two icons (each writes its name out in full).
        """
        if self.compact or not self._header_shown:
            self._header.hide()
            return
        badges = [b for b in (self.variation_badge, self.assurance_badge) if not b.isHidden()]
        self._badges.setVisible(bool(badges))
        self._header.setVisible(self._titles_shown or bool(badges))
        width = max(self._header.width(), self.width()) - 8
        wanted = sum(b.sizeHint().width() for b in badges) + 6 * max(0, len(badges) - 1)
        title_width = QFontMetricsF(self.title.font()).horizontalAdvance(self.title.text())
        room = width - wanted - 12
        beside = (
            self._titles_shown
            and bool(badges)
            and room >= min(title_width + 4, max(260.0, width * 0.5))
        )
        in_row = beside or wanted <= width
        place = (beside, in_row)
        if place == self._badges_place:
            return
        self._badges_place = place
        self._badge_box.setDirection(
            QBoxLayout.Direction.LeftToRight if in_row else QBoxLayout.Direction.TopToBottom
        )
        self._header_grid.removeWidget(self._badges)
        if beside:
            self._header_grid.addWidget(self._badges, 0, 1, Qt.AlignmentFlag.AlignVCenter)
        else:
            self._header_grid.addWidget(self._badges, 1, 0, 1, 2)

    def band_labels(self) -> list[str]:
        """The texts of the annotation, phase and run labels above the data, left to right."""
        return [item.text for item in self._band]

    def band_label_rects(self) -> list[QRectF]:
        """Where each visible band label is drawn, in view-box pixels (for overlap checks)."""
        out = []
        for text in self._band_texts[: len(self._band)]:
            if text.isVisible():
                rect = text.mapRectToItem(self.view_box, text.boundingRect())
                out.append(rect)
        return out

    def value_labels(self) -> list[str]:
        """The texts of the centre and limit labels (per phase)."""
        return [label.text for label in self._line_labels]

    def focus_point(self, index: int) -> None:
        """Move the keyboard focus ring to point ``index`` (a point with a value)."""
        if self._data is None or not self._present:
            return
        if index not in self._present:
            index = min(self._present, key=lambda i: abs(i - index))
        self._focus = index
        self._place_focus()
        self.point_focused.emit(index)

    def focused_text(self) -> str:
        """What is written about the focused point (empty without focus)."""
        if self._data is None or self._focus is None:
            return ""
        return point_info(self._data, self._focus)

    def context_menu(self, index: int) -> QMenu:
        """The context menu of point ``index`` (not shown; :meth:`popup_menu` shows it)."""
        assert self._data is not None
        when = format_period(self._data.periods[index], self._data.measure.period)
        menu = QMenu(self)
        menu.setObjectName("chartPointMenu")
        menu.setAccessibleName(f"Point {when}")
        actions = [
            (f"Select {when} in the data", lambda: self.point_activated.emit(index)),
            (f"Add an annotation at {when}…", lambda: self.annotation_requested.emit(index)),
            (
                f"Freeze the baseline at {when}…",
                lambda: self.phase_requested.emit(index, "freeze"),
            ),
            (f"Start a new phase at {when}…", lambda: self.phase_requested.emit(index, "phase")),
        ]
        for text, slot in actions:
            action = QAction(text, menu)
            action.triggered.connect(slot)
            menu.addAction(action)
        return menu

    def popup_menu(self, index: int, where: QPoint) -> QMenu:
        """Show the context menu of point ``index`` at global position ``where``."""
        if self._menu is not None:
            self._menu.deleteLater()
        self._menu = self.context_menu(index)
        self._menu.popup(where)
        return self._menu

    # ------------------------------------------------------------------ header and messages
    def _update_header(self, data: ChartData) -> None:
        m = data.measure
        if self.title.text() != m.name:
            self.title.setText(m.name)
        parts = [data.chart.label, f"{data.preset.value} rules"]
        if data.view is not ChartView.DEFAULT:
            parts.append(f"{data.view.value.capitalize()} view")
        if self.subtitle.text() != " · ".join(parts):
            self.subtitle.setText(" · ".join(parts))
        result = data.result
        icons = data.view is ChartView.ASSURANCE or data.preset is Preset.MDC
        if result is not None and icons and any(p.value is not None for p in result.points):
            self.variation_badge.show_variation(result.icons.variation_type, result.direction)
            kind = result.icons.assurance_type if data.chart.has_limits else None
            self.assurance_badge.show_assurance(kind)
        else:
            self.variation_badge.show_variation(None, m.direction)
            self.assurance_badge.show_assurance(None)
        if self.compact:
            self.variation_badge.hide()
            self.assurance_badge.hide()
        self.legend.set_entries([] if self.compact else legend_entries(data))
        self.setAccessibleName(f"Chart: {m.name}")
        for drawing in (self.plot_widget, self.plot_widget.viewport()):
            drawing.setAccessibleName(f"Chart drawing: {m.name}")
        self._summary = None
        if QAccessible.isActive():  # a screen reader may ask at any moment: describe now
            self.describe()
        else:
            self._summary_timer.start()  # (re)started: one summary after a burst of changes
        self._place_badges()

    def describe(self) -> str:
        """The chart's plain-English summary, written now if the chart changed since.

        It is the accessible description of the chart and of its drawing surface, and the
        tooltip of a compact chart (:func:`qidesk.core.chart_text.summary_text`).
        """
        if self._summary is None:
            self._summary_timer.stop()
            summary = summary_text(self._data) if self._data is not None else ""
            self._summary = summary
            self.setAccessibleDescription(summary)
            for drawing in (self.plot_widget, self.plot_widget.viewport()):
                drawing.setAccessibleDescription(summary)
            self.setToolTip(summary if self.compact else "")
        return self._summary

    def accessibleDescription(self) -> str:
        """The accessible description (the summary), brought up to date first."""
        self.describe()
        return super().accessibleDescription()

    def event(self, event: QEvent) -> bool:
        """A compact chart's tooltip is its summary: write it before it is shown."""
        if event.type() == QEvent.Type.ToolTip:
            self.describe()
        return super().event(event)

    def _show_message(self, data: ChartData) -> None:
        if data.error:
            text, kind = f"This chart cannot be drawn. {data.error}", "error"
        elif not data.observations:
            text, kind = EMPTY_TEXT, "empty"
        else:
            text, kind = NO_VALUES_TEXT, "empty"
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.message.setProperty("kind", kind)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.show()
        self._place_message()

    def message_text(self) -> str:
        """The empty-state or error text shown in the plot area ("" when the chart is drawn)."""
        return self.message.text() if not self.message.isHidden() else ""

    def _place_message(self) -> None:
        area = self.plot_widget.rect()
        width = max(120, min(area.width() - 20, 520))
        self.message.setFixedWidth(width)
        self.message.setFixedHeight(min(self.message.heightForWidth(width), area.height()))
        self.message.move(
            (area.width() - self.message.width()) // 2,
            (area.height() - self.message.height()) // 2,
        )

    def _clear_items(self) -> None:
        self._values = np.zeros(0)
        self._focus = None
        self._special_rows = {}
        self._band = []
        self._line_labels = []
        for item in (
            self.centre_line,
            self.ucl_line,
            self.lcl_line,
            self.ucl2_line,
            self.lcl2_line,
            self.target_line,
            self.line,
        ):
            item.hide()
        for scatter in (self.markers, self.special, self.focus_ring):
            scatter.clear()
        for pool in (self._regions, self._vlines, self._band_texts, self._value_texts):
            for item in pool:
                item.hide()
        self.bottom_axis.set_periods((), self._data.measure.period if self._data else Period.MONTH)
        self.view_box.setRange(xRange=(-0.5, 10.5), yRange=(0, 1), padding=0)
        self.info.setText("")

    # ------------------------------------------------------------------ markers
    def _set_markers(self, data: ChartData, values: np.ndarray, many: bool) -> None:
        assert data.result is not None
        points = data.result.points
        n = len(points)
        # excluded or not common cause: drawn one by one; the rest share one style
        odd = np.fromiter(map(_EXCLUDED, points), dtype=np.bool_, count=n)
        odd |= np.fromiter(
            map(is_not, map(_POINT_TYPE, points), repeat(PointType.COMMON_CAUSE)),
            dtype=np.bool_,
            count=n,
        )
        present = np.zeros(n, dtype=np.bool_)
        present[self._present] = True
        special: list[int] = np.flatnonzero(present & odd).tolist()
        common: list[int] = np.flatnonzero(present & ~odd).tolist()
        if many:
            self.markers.clear()
            self.markers.hide()
        else:
            self.markers.setData(x=np.array(common, dtype=np.float64), y=values[common])
            self.markers.show()
        symbols, sizes, pens, brushes = [], [], [], []
        for i in special:
            p = points[i]
            look = style.marker_for(p.point_type)
            symbols.append(look.symbol)
            if p.excluded:
                sizes.append(max(look.size, 9))
                pens.append(style.ghost_pen())
                brushes.append(style.brush(None))
            else:
                sizes.append(look.size)
                pens.append(style.marker_pen())
                brushes.append(style.brush(look.colour))
        self.special.setData(
            x=np.array(special, dtype=np.float64),
            y=values[special],
            symbol=symbols,
            size=sizes,
            pen=pens,
            brush=brushes,
        )
        self._special_rows = {i: row for row, i in enumerate(special)}

    def _place_focus(self) -> None:
        if self._focus is None or self._data is None or self.compact:
            self.focus_ring.clear()
            if not self.compact and self._data is not None and self._present:
                self.info.setText("Tab to the chart, then use ← and → to read each point.")
            return
        i = self._focus
        y = float(self._values[i])
        self.focus_ring.setData(
            x=[float(i), float(i)],
            y=[y, y],
            symbol=["o", "o"],
            size=[24, 24],
            pen=[style.pen(style.FOCUS_YELLOW, 5.0), style.pen(style.TEXT, 2.0)],
            brush=[style.brush(None), style.brush(None)],
        )
        text = point_info(self._data, i)
        self.info.setText(text.replace("\n", " · "))
        self.info.setAccessibleDescription(text)

    # ------------------------------------------------------------------ runs, band, labels
    def _set_regions(self, data: ChartData) -> None:
        assert data.result is not None
        spans = []
        for phase in data.result.phases:
            if any(s.rule is RuleId.ANHOEJ_LONGEST_RUN for s in phase.signals):
                run = latest_run(data, phase)
                if run is not None:
                    spans.append(run)
        while len(self._regions) < len(spans):
            region = pg.LinearRegionItem(movable=False, pen=pg.mkPen(None))
            region.setZValue(-10)
            self.plot_item.addItem(region)
            self._regions.append(region)
        for region, run in zip(self._regions, spans, strict=False):
            kind = signal_kind(run.side, data.measure.direction)
            colour = QColor(
                {
                    "improvement": style.MDC_IMPROVEMENT,
                    "concern": style.MDC_CONCERN,
                }.get(kind, style.MDC_NEUTRAL)
            )
            colour.setAlpha(38)
            region.setBrush(colour)
            region.setRegion((run.start - 0.45, run.stop + 0.45))
            region.show()
        for region in self._regions[len(spans) :]:
            region.hide()
        self._runs = spans

    def _set_band(self, data: ChartData) -> None:
        """Collect the vertical markers: annotations, phase changes, freezes, long runs."""
        assert data.result is not None
        periods = data.periods
        items: list[_BandItem] = []

        def position(when: object) -> float | None:
            # the first point on or after ``when`` (a marker sits on its point)
            for i, d in enumerate(periods):
                if d >= when:  # type: ignore[operator]
                    return float(i)
            return None

        for phase in data.result.phases[1:]:
            record = next(
                (
                    p
                    for p in reversed(data.phases)
                    if p.kind is PhaseKind.PHASE and p.period <= periods[phase.start]
                ),
                None,
            )
            reason = record.reason.strip() if record else ""
            items.append(
                _BandItem(
                    phase.start - 0.5,
                    f"{style.PHASE_STYLE.glyph} New phase" + (f": {reason}" if reason else ""),
                    f"New phase from {format_period(periods[phase.start], data.measure.period)}"
                    + (f": {reason}" if reason else ""),
                    style.TEXT,
                    dashed=False,
                )
            )
        freezes = [p for p in data.phases if p.kind is PhaseKind.FREEZE]
        if freezes and any(not p.baseline for p in data.result.points):
            freeze = max(freezes, key=lambda p: (p.period, p.meta.created_at))
            at = position(freeze.period)
            if at is not None:
                items.append(
                    _BandItem(
                        at + 0.5,
                        f"{style.FREEZE_STYLE.glyph} Baseline frozen",
                        f"Baseline frozen at {format_period(freeze.period, data.measure.period)}"
                        + (f": {freeze.reason}" if freeze.reason else ""),
                        style.FREEZE_STYLE.colour,
                    )
                )
        for note in data.annotations:
            at = position(note.period)
            if at is None:
                continue
            look = style.ANNOTATION_STYLES[note.kind]
            text = note.text.strip()
            items.append(
                _BandItem(
                    at,
                    f"{look.glyph} {_label_text(text)}",
                    f"{note.kind.label} ({format_period(note.period, data.measure.period)}): "
                    f"{text}",
                    look.colour,
                    shorter=(f"{look.glyph} {_label_text(text, 20)}",),
                    note=True,
                )
            )
        centre = centre_name(data.chart)
        for run in getattr(self, "_runs", []):
            kind = signal_kind(run.side, data.measure.direction)
            word = "above" if run.side > 0 else "below"
            items.append(
                _BandItem(
                    run.start - 0.45,
                    f"{run.length} in a row {word} the {centre} ({kind})",
                    f"Unusually long run: {run.length} points in a row {word} the {centre}"
                    + ("" if kind == "neutral" else f" ({kind})"),
                    style.TEXT,
                    dashed=False,
                    shorter=(
                        f"{run.length} {word} the {centre} ({kind})",
                        f"{run.length} in a row {word} ({kind})",
                    ),
                )
            )
        items = _merge_same_point(sorted(items, key=lambda b: b.x))
        self._band = items
        while len(self._band_texts) < len(items):
            text_item = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 235))
            text_item.setZValue(20)
            self.plot_item.addItem(text_item, ignoreBounds=True)
            self._band_texts.append(text_item)
        lines = [b for b in items if b.dashed or b.text.startswith(style.PHASE_STYLE.glyph)]
        while len(self._vlines) < len(lines):
            vline = pg.InfiniteLine(angle=90, movable=False)
            vline.setZValue(0)
            self.plot_item.addItem(vline, ignoreBounds=True)
            self._vlines.append(vline)
        for vline, item in zip(self._vlines, lines, strict=False):
            style_ = Qt.PenStyle.DashLine if item.dashed else Qt.PenStyle.SolidLine
            vline.setPen(style.pen(item.colour if item.dashed else style.GREY_2, 1.0, style_))
            vline.setValue(item.x)
            vline.show()
        for vline in self._vlines[len(lines) :]:
            vline.hide()
        small = QFont(self.font())
        if self.compact:
            small.setPointSizeF(max(7.0, small.pointSizeF() * 0.8))
        for text_item, item in zip(self._band_texts, items, strict=False):
            if (text_item.toPlainText(), text_item.toolTip()) != (item.text, item.tooltip):
                text_item.setText(item.text, color=item.colour)
                text_item.textItem.setFont(small)
                text_item.setToolTip(item.tooltip)
            text_item.setVisible(not self.compact)
        for text_item in self._band_texts[len(items) :]:
            text_item.hide()

    def _set_value_labels(self, data: ChartData) -> None:
        """Centre and limit values at the end of every phase (before and after each change)."""
        assert data.result is not None
        labels: list[_ValueLabel] = []
        if not self.compact:
            last_phase = len(data.result.phases) - 1
            for phase in data.result.phases:
                end = phase.stop - 1
                point = data.result.points[end]
                for value in (point.ucl, point.cl, point.lcl):
                    shown = data.shown(value)
                    if shown is None:
                        continue
                    labels.append(
                        _ValueLabel(
                            phase.start,
                            end,
                            shown,
                            format_value(data, value),
                            phase.phase == last_phase,
                        )
                    )
        self._line_labels = labels
        while len(self._value_texts) < len(labels):
            text_item = pg.TextItem(anchor=(0, 0.5), fill=pg.mkBrush(255, 255, 255, 200))
            text_item.setZValue(8)
            self.plot_item.addItem(text_item, ignoreBounds=True)
            self._value_texts.append(text_item)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        for text_item, label in zip(self._value_texts, labels, strict=False):
            if text_item.toPlainText() != label.text:  # re-laying out text is not free
                text_item.setText(label.text, color=style.TEXT)
                text_item.textItem.setFont(small)
            text_item.show()
        for text_item in self._value_texts[len(labels) :]:
            text_item.hide()

    # ------------------------------------------------------------------ layout
    def _relayout(self) -> None:
        """Fit the ranges and place labels for the current size (no label overlaps)."""
        if not self.message.isHidden():
            self._place_message()
        data = self._data
        if data is None or data.result is None or not self._present:
            return
        n = len(data.periods)
        width = max(float(self.view_box.width()), 50.0)
        height = max(float(self.view_box.height()), 50.0)
        metrics = QFontMetricsF(
            self._band_texts[0].textItem.font() if self._band_texts else self.font()
        )
        right_px = 0.0
        last_labels = [label.text for label in self._line_labels if label.last]
        if last_labels:
            right_px = max(metrics.horizontalAdvance(t) for t in last_labels) + 16
        x0 = -0.5 - (0.3 if n > 1 else 0.5)
        per_unit = (width - right_px) / max(n - 0.5 - x0, 1.0)
        x1 = n - 0.5 + right_px / max(per_unit, 1e-9)
        self.view_box.setXRange(x0, x1, padding=0)
        per_unit = width / (x1 - x0)

        # band labels: each starts where its marker (or its shaded run) starts, is moved
        # back into the view when it would run off either edge, and goes in the first row
        # where it overlaps no other label (a note may end at its marker instead)
        texts = self._band_texts[: len(self._band)]
        row_h = max((t.boundingRect().height() for t in texts), default=metrics.height() + 8) + 2
        # the labels take at most about a third of the height (one row at least) and leave
        # the data 100 px; labels that do not fit are hidden (their marker line stays, and
        # the table, the summary and the tooltips still carry them). Signals (long runs) and
        # phase changes are placed first, so a crowd of notes never hides them.
        room = min(height - 100, max(height * _BAND_SHARE, row_h))
        max_rows = 0 if self.compact else max(0, int(room // row_h))
        rows: list[list[tuple[float, float]]] = []
        placed: list[tuple[int, float]] = [(-1, 0.0)] * len(texts)  # (row or -1, left px)
        order = sorted(range(len(texts)), key=lambda k: (self._band[k].note, self._band[k].x))
        for k in order:
            item, text_item = self._band[k], texts[k]
            options, fallback = self._band_options(text_item, item, (item.x - x0) * per_unit, width)
            free = (
                (r, option)
                for r, taken in enumerate(rows)
                for option in options
                if all(option[1] + option[2] + 3 <= a or option[1] - 3 >= b for a, b in taken)
            )
            row, (text, left, w) = next(free, (len(rows), fallback))
            if row == len(rows):
                if len(rows) >= max_rows:
                    placed[k] = (-1, left)
                    continue
                rows.append([])
            if text_item.toPlainText() != text:
                font = text_item.textItem.font()
                text_item.setText(text, color=item.colour)
                text_item.textItem.setFont(font)
            rows[row].append((left - 3, left + w + 3))
            placed[k] = (row, left)
        band_px = len(rows) * row_h + (6 if rows else 0)

        low, high = self._y_bounds
        span_y = high - low
        if span_y <= 0:
            span_y = abs(high) * 0.1 or 1.0
        pad = span_y * 0.08
        y0, top = low - pad, high + pad
        total = (top - y0) * height / (height - band_px) if band_px else top - y0
        self.view_box.setYRange(y0, y0 + total, padding=0)
        self.left_axis.set_ceiling(top if band_px else None)
        per_y = total / height
        for text_item, (row, left) in zip(texts, placed, strict=False):
            text_item.setVisible(row >= 0 and not self.compact)
            y = y0 + total - (3 + max(row, 0) * row_h) * per_y
            text_item.setAnchor((0, 0))
            text_item.setPos(x0 + left / per_unit, y)
        self._place_value_labels(x0, per_unit, y0 + total, per_y, band_px)

    def _band_options(
        self, text_item: pg.TextItem, item: _BandItem, at: float, width: float
    ) -> tuple[list[tuple[str, float, float]], tuple[str, float, float]]:
        """Where ``item``'s label can go in a row: ``(text, left, width)`` options, best first.

        A label starts at its marker, or where its shaded run starts, in its full wording or
        a shorter one (a note may also end at its marker); the first option that fits in a
        row wins, so a shorter wording in a row above beats a new row. When a new row is
        opened, the fallback (the last item) is used: the first option, or, when no wording
        fits beside the marker, the full wording moved left into the view (cut short with "…"
        only when it is wider than the whole view). The full text stays in the label's
        tooltip (and in the chart's table and summary).
        """
        metrics = QFontMetricsF(text_item.textItem.font())
        frame = text_item.boundingRect().width() - metrics.horizontalAdvance(
            text_item.toPlainText()
        )
        options: list[tuple[str, float, float]] = []
        start = min(max(at, 2.0), width - 2.0)
        for text in (item.text, *item.shorter):
            w = metrics.horizontalAdvance(text) + frame
            if start + w <= width - 2.0:
                options.append((text, start, w))
            if item.note and at - w >= 2.0:
                options.append((text, at - w, w))
        if options:
            return options, options[0]
        whole = width - 4.0
        wordings = (item.text, *item.shorter)
        fits = [t for t in wordings if metrics.horizontalAdvance(t) + frame <= whole]
        text = (
            fits[0]
            if fits
            else metrics.elidedText(
                wordings[-1], Qt.TextElideMode.ElideRight, max(whole - frame, 20.0)
            )
        )
        w = metrics.horizontalAdvance(text) + frame
        return [], (text, max(2.0, min(start, width - 2.0 - w)), w)

    def _place_value_labels(
        self, x0: float, per_unit: float, top: float, per_y: float, band_px: float
    ) -> None:
        """Put each centre/limit label where it covers no point, no other label and no band.

        The latest phase's labels go in the right margin, pushed apart vertically; an earlier
        phase's labels try above/below their line at the phase's end, then at its start.
        """
        if not self._line_labels:
            return
        metrics = QFontMetricsF(self._value_texts[0].textItem.font())
        h = metrics.height() + 2

        def px(x: float) -> float:
            return (x - x0) * per_unit

        def py(y: float) -> float:
            return (top - y) / per_y

        taken: list[QRectF] = []
        values = self._values

        def obstacles(first: int, last: int) -> list[QRectF]:
            # the markers near one end of a phase (never all points: this runs on every edit)
            first, last = max(first, 0), min(last, values.size - 1)
            return [
                QRectF(px(i) - 7, py(float(values[i])) - 7, 14, 14)
                for i in range(first, last + 1)
                if math.isfinite(values[i])
            ]

        margin = [lab for lab in self._line_labels if lab.last]
        wanted = sorted(((py(lab.y) - h / 2, lab) for lab in margin), key=lambda t: t[0])
        margin_top: dict[int, float] = {}
        floor = band_px
        for wanted_px, lab in wanted:
            y_px = max(wanted_px, floor)
            margin_top[id(lab)] = y_px
            floor = y_px + h
        for text_item, lab in zip(self._value_texts, self._line_labels, strict=False):
            w = metrics.horizontalAdvance(lab.text) + 8
            if lab.last:
                left = px(lab.end + 0.5) + 4
                y_px = margin_top[id(lab)]
                text_item.setAnchor((0, 0))
                text_item.setPos(lab.end + 0.5 + 4 / per_unit, top - y_px * per_y)
                taken.append(QRectF(left, y_px, w, h))
                text_item.show()
                continue
            line = py(lab.y)
            reach = math.ceil(w / max(per_unit, 1e-9)) + 1
            near = obstacles(lab.end - reach, lab.end + 1) + obstacles(
                lab.start - 1, lab.start + reach
            )
            end_x = px(lab.end + 0.5 - _PHASE_GAP)
            start_x = px(lab.start - 0.5 + _PHASE_GAP)
            candidates = [
                ((1, 1), QRectF(end_x - w, line - h, w, h), lab.end + 0.5 - _PHASE_GAP),
                ((1, 0), QRectF(end_x - w, line, w, h), lab.end + 0.5 - _PHASE_GAP),
                ((0, 1), QRectF(start_x, line - h, w, h), lab.start - 0.5 + _PHASE_GAP),
                ((0, 0), QRectF(start_x, line, w, h), lab.start - 0.5 + _PHASE_GAP),
            ]

            def clashes(rect: QRectF, near: list[QRectF] = near) -> int:
                hits = sum(1 for o in near if o.intersects(rect))
                hits += sum(3 for t in taken if t.intersects(rect))
                return hits + (3 if rect.top() < band_px else 0)

            anchor, rect, x = min(candidates, key=lambda c: clashes(c[1]))
            text_item.setAnchor(anchor)
            text_item.setPos(x, lab.y)
            taken.append(rect)
            text_item.show()

    # ------------------------------------------------------------------ mouse
    def _nearest(self, scene_pos: QPointF) -> int | None:
        if self._data is None or not self._present:
            return None
        if not self.view_box.sceneBoundingRect().contains(scene_pos):
            return None
        view = self.view_box.mapSceneToView(scene_pos)
        i = round(view.x())
        candidates = [j for j in (i - 1, i, i + 1) if 0 <= j < len(self._values)]
        best, best_d = None, math.inf
        for j in candidates:
            y = self._values[j]
            if not math.isfinite(y):
                continue
            at = self.view_box.mapViewToScene(QPointF(j, y))
            d = math.hypot(at.x() - scene_pos.x(), at.y() - scene_pos.y())
            if d < best_d:
                best, best_d = j, d
        return best if best_d <= self.HOVER_PIXELS else None

    def _hovered(self, scene_pos: QPointF) -> None:
        index = self._nearest(scene_pos)
        if index is None or self._data is None:
            QToolTip.hideText()
            return
        view = self.plot_widget.mapFromScene(scene_pos)
        QToolTip.showText(
            self.plot_widget.mapToGlobal(view), point_info(self._data, index), self.plot_widget
        )

    def _clicked(self, event: object) -> None:
        index = self._nearest(event.scenePos())  # type: ignore[attr-defined]
        button = event.button()  # type: ignore[attr-defined]
        if button == Qt.MouseButton.LeftButton and not self.compact:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        if index is None:
            return
        if button == Qt.MouseButton.LeftButton:
            if not self.compact:
                self.focus_point(index)
            if event.double():  # type: ignore[attr-defined]
                self.point_activated.emit(index)
        elif button == Qt.MouseButton.RightButton and not self.compact:
            self.focus_point(index)
            self.popup_menu(index, event.screenPos().toPoint())  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ keyboard and focus
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Arrow keys move the focus ring; Enter activates; Menu/Shift+F10 opens the menu."""
        if self.compact or not self._present:
            super().keyPressEvent(event)
            return
        key = event.key()
        moves: dict[int, int] = {
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_PageUp: -10,
            Qt.Key.Key_PageDown: 10,
        }
        current = self._present.index(self._focus) if self._focus in self._present else None
        if key in moves:
            step = moves[int(key)]
            if current is None:
                target = len(self._present) - 1 if step < 0 else 0
            else:
                target = min(max(current + step, 0), len(self._present) - 1)
            self.focus_point(self._present[target])
        elif key == Qt.Key.Key_Home:
            self.focus_point(self._present[0])
        elif key == Qt.Key.Key_End:
            self.focus_point(self._present[-1])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._focus is not None:
            self.point_activated.emit(self._focus)
        elif (
            key == Qt.Key.Key_Menu
            or (key == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        ) and self._focus is not None:
            self.popup_menu(self._focus, self._focus_global())
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A keyboard-raised context menu opens at the focused point."""
        if event.reason() == QContextMenuEvent.Reason.Keyboard and self._focus is not None:
            self.popup_menu(self._focus, self._focus_global())
            event.accept()
            return
        super().contextMenuEvent(event)

    def _focus_global(self) -> QPoint:
        assert self._focus is not None
        at = self.view_box.mapViewToScene(QPointF(self._focus, float(self._values[self._focus])))
        point: QPoint = self.plot_widget.mapToGlobal(self.plot_widget.mapFromScene(at))
        return point

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Focus arriving on the chart rings the latest point (the one people ask about)."""
        super().focusInEvent(event)
        if self._focus is None and self._present and not self.compact:
            self.focus_point(self._present[-1])
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Repaint the focus frame away."""
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """A 2-px focus frame (NHS focus yellow and text colour) while the chart has focus."""
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            try:
                rect = QRectF(self.rect()).adjusted(1, 1, -1, -1)
                painter.setPen(style.pen(style.FOCUS_YELLOW, 3.0))
                painter.drawRect(rect)
                painter.setPen(style.pen(style.TEXT, 1.0))
                painter.drawRect(rect.adjusted(-1, -1, 1, 1))
            finally:
                painter.end()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the empty-state message centred and the icons where the title can be read."""
        super().resizeEvent(event)
        if not self.message.isHidden():
            self._place_message()
        if event.size().width() != event.oldSize().width():
            self._place_badges()
