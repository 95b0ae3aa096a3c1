"""The ramp view: one ramp's cycles on a timeline, climbing with their scale, with Act decisions.

Time runs left to right; each cycle is a bar from its start to its end date, drawn at the height
of its scale (one patient at the bottom, larger at the top), so a ramp that grows reads as a
staircase. Each bar is labelled with its number and Act decision in words (colour is never the
only cue); arrows join each cycle to the one it follows; a dashed line marks today. The same
content is given as sentences below the drawing (:func:`qidesk.core.pdsa.timeline_text`), and as
the drawing's accessible description, for screen readers and for copying into a report.

All the numbers come from :func:`qidesk.core.pdsa.ramp_timeline`; this module only draws.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.pdsa import (
    Decision,
    Ramp,
    RampTimeline,
    TestScale,
    TimelineBar,
    ramp_timeline,
    timeline_text,
)
from qidesk.ui.pdsa.compact import compact_combo

#: Fill and text colour of a bar for each Act decision (NHS identity colours).
DECISION_COLOURS: dict[Decision | None, tuple[str, str]] = {
    Decision.ADOPT: ("#007f3b", "#ffffff"),
    Decision.ADAPT: ("#ffb81c", "#212b32"),
    Decision.ABANDON: ("#768692", "#ffffff"),
    Decision.SCALE_UP: ("#41b6e6", "#212b32"),
    Decision.IMPLEMENT: ("#005eb8", "#ffffff"),
    Decision.SPREAD: ("#003087", "#ffffff"),
    None: ("#e8edee", "#212b32"),
}
_TEXT = QColor("#212b32")
_GRID = QColor("#d8dde0")
_MUTED = QColor("#4c6272")
_EMPTY = "No cycles to show. Choose a ramp, or start one with “New cycle”."


def _rows(timeline: RampTimeline) -> list[tuple[int, str]]:
    """The scale rows drawn, bottom to top: (level, label)."""
    rows = [(s.rank, s.label) for s in TestScale]
    if any(b.level < 0 for b in timeline.bars):
        rows.insert(0, (-1, "Scale not given"))
    return rows


class RampCanvas(QWidget):
    """Draws one :class:`RampTimeline` (or a message when there is none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.timeline: RampTimeline | None = None
        self.today = date.today()
        self.setObjectName("ramp_canvas")
        # small enough for a 1366 x 768 ward PC beside the project dock and the cycle list
        self.setMinimumSize(360, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Ramp timeline")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def sizeHint(self) -> QSize:
        """Wide and moderately tall."""
        return QSize(820, 360)

    def set_timeline(self, timeline: RampTimeline | None, today: date) -> None:
        """Draw ``timeline`` (``None``: nothing to draw)."""
        self.timeline = timeline
        self.today = today
        self.setAccessibleDescription(timeline_text(timeline) if timeline else _EMPTY)
        self.update()

    # ------------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        """Draw the rows, the date axis, today, the arrows and the bars."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        timeline = self.timeline
        if timeline is None or not timeline.bars:
            painter.setPen(_MUTED)
            painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, _EMPTY)
            painter.end()
            return
        paint_timeline(painter, QRectF(self.rect()), timeline, self.today, self.font())
        painter.end()


def paint_timeline(
    painter: QPainter, area: QRectF, timeline: RampTimeline, today: date, font: QFont
) -> None:
    """Draw ``timeline`` into ``area`` (used by the canvas and by the worksheet PDF)."""
    painter.save()
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    line = metrics.height()
    rows = _rows(timeline)
    labels_width = max(metrics.horizontalAdvance(label) for _, label in rows)
    plot = area.adjusted(labels_width + 16, line * 2.6, -20, -line * 2.6)
    row_height = plot.height() / len(rows)
    pad = max(1.0, timeline.days * 0.04)
    span = timeline.days + 2 * pad

    def x_of(day: float) -> float:
        return plot.left() + (day + pad) / span * plot.width()

    def row_of(level: int) -> int:
        return next(i for i, (lvl, _) in enumerate(rows) if lvl == level)

    def y_top(level: int) -> float:
        return plot.bottom() - (row_of(level) + 1) * row_height

    # scale rows with their labels
    for i, (_, label) in enumerate(rows):
        top = plot.bottom() - (i + 1) * row_height
        painter.setPen(QPen(_GRID, 1))
        painter.drawLine(
            QPointF(plot.left(), top + row_height), QPointF(plot.right(), top + row_height)
        )
        painter.setPen(_TEXT)
        painter.drawText(
            QRectF(area.left() + 4, top, labels_width + 4, row_height),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            label,
        )
    painter.setPen(_MUTED)
    painter.drawText(
        QRectF(area.left() + 4, area.top(), area.width(), line * 1.3),
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
        f"Ramp “{timeline.name}”: scale of each test (up) over time (across)",
    )
    _date_axis(painter, plot, timeline, x_of, metrics)
    today_x = (today - timeline.first_day).days
    if 0 <= today_x <= timeline.days:
        x = x_of(today_x)
        painter.setPen(QPen(QColor("#d5281b"), 1.5, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        painter.drawText(QPointF(x + 4, plot.top() + line), "Today")
    rects = {b.cycle_id: _bar_rect(b, x_of, y_top, row_height) for b in timeline.bars}
    _arrows(painter, timeline.bars, rects)
    label_ends: dict[int, float] = {}  # per row: where the last label above a bar ends
    for bar in sorted(timeline.bars, key=lambda b: b.x0):
        rect = rects[bar.cycle_id]
        above = rect.left() > label_ends.get(bar.level, -1e9) + 6
        width = _draw_bar(painter, bar, rect, metrics, above=above)
        if above:
            label_ends[bar.level] = rect.left() + width
    painter.restore()


def _date_axis(
    painter: QPainter,
    plot: QRectF,
    timeline: RampTimeline,
    x_of: Callable[[float], float],
    metrics: QFontMetricsF,
) -> None:
    """Date ticks under the plot: weekly for short ramps, monthly for long ones."""
    painter.setPen(QPen(_TEXT, 1))
    painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
    step_days = 7 if timeline.days <= 120 else 0
    ticks: list[int] = []
    if step_days:
        first = timeline.first_day
        monday = first - timedelta(days=first.weekday())
        d = monday if monday >= first else monday + timedelta(days=7)
        d = first if (d - first).days > 3 else d
        while (d - first).days <= timeline.days:
            ticks.append((d - first).days)
            d += timedelta(days=step_days)
    else:
        d = timeline.first_day.replace(day=1)
        while (d - timeline.first_day).days <= timeline.days:
            if d >= timeline.first_day:
                ticks.append((d - timeline.first_day).days)
            d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    last_right = -1e9
    for tick in ticks:
        x = x_of(tick)
        when = timeline.date_of(tick)
        text = f"{when.day} {when.strftime('%b')}" if step_days else when.strftime("%b %Y")
        width = metrics.horizontalAdvance(text)
        painter.setPen(QPen(_GRID, 1, Qt.PenStyle.DotLine))
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        if x - width / 2 > last_right + 6:
            painter.setPen(_TEXT)
            painter.drawText(QPointF(x - width / 2, plot.bottom() + metrics.height() * 1.1), text)
            last_right = x + width / 2


def _bar_rect(
    bar: TimelineBar,
    x_of: Callable[[float], float],
    y_top: Callable[[int], float],
    row_height: float,
) -> QRectF:
    left, right = x_of(bar.x0), x_of(bar.x1)
    top = y_top(bar.level) + row_height * 0.45
    return QRectF(left, top, max(right - left, 6.0), row_height * 0.45)


def _arrows(painter: QPainter, bars: Sequence[TimelineBar], rects: dict[str, QRectF]) -> None:
    """Join each bar to the next one in the ramp."""
    painter.setPen(QPen(_MUTED, 1.2))
    ordered = sorted(bars, key=lambda b: b.number)
    for a, b in pairwise(ordered):
        ra, rb = rects[a.cycle_id], rects[b.cycle_id]
        start = QPointF(ra.right(), ra.center().y())
        end = QPointF(rb.left(), rb.center().y())
        mid_x = max(start.x() + 6, (start.x() + end.x()) / 2)
        painter.drawPolyline([start, QPointF(mid_x, start.y()), QPointF(mid_x, end.y()), end])
        painter.drawPolygon(
            [end, QPointF(end.x() - 6, end.y() - 3.5), QPointF(end.x() - 6, end.y() + 3.5)]
        )


def _draw_bar(
    painter: QPainter, bar: TimelineBar, rect: QRectF, metrics: QFontMetricsF, *, above: bool
) -> float:
    """Draw one bar with its label above it (or below, if a neighbour's label is in the way).

    Returns the width of the label.
    """
    fill, ink = DECISION_COLOURS[bar.decision]
    pen = QPen(QColor("#425563"), 1.2, Qt.PenStyle.SolidLine if bar.dated else Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(QBrush(QColor(fill)))
    painter.drawRoundedRect(rect, 3, 3)
    decision = bar.decision.short if bar.decision else "no decision yet"
    label = f"{bar.label} · {decision}" + ("" if bar.dated else " (no dates)")
    painter.setPen(_TEXT)
    y = rect.top() - metrics.descent() - 3 if above else rect.bottom() + metrics.ascent() + 3
    painter.drawText(QPointF(rect.left(), y), label)
    if rect.width() > metrics.horizontalAdvance(bar.label) + 8:
        painter.setPen(QColor(ink))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, bar.label)
    return metrics.horizontalAdvance(label)


class RampView(QWidget):
    """Choose a ramp; see its cycles on a timeline and as sentences.

    Signals:
        ramp_changed(str): the ramp shown changed (its id).
    """

    ramp_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = QComboBox()
        self.choice.setAccessibleName("Ramp to show")
        compact_combo(self.choice, 24)
        self.canvas = RampCanvas()
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Ramp timeline as text")
        self.text.setMaximumHeight(140)
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 3)
        self.text.setTabChangesFocus(True)
        top = QHBoxLayout()
        label = QLabel("&Ramp:")
        label.setBuddy(self.choice)
        top.addWidget(label)
        top.addWidget(self.choice, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        text_label = QLabel("The same ramp in words:")
        text_label.setBuddy(self.text)
        layout.addWidget(text_label)
        layout.addWidget(self.text)
        self._ramps: list[Ramp] = []
        self._today = date.today()
        self.choice.currentIndexChanged.connect(self._show_current)

    def set_ramps(
        self, ramps: Sequence[Ramp], today: date, *, names: dict[str, str] | None = None
    ) -> None:
        """Offer ``ramps`` (keeping the one shown if it is still there).

        ``names`` maps a change idea id to its text, to show what each ramp tests.
        """
        current = self.choice.currentData()
        self._ramps = list(ramps)
        self._today = today
        self.choice.blockSignals(True)
        try:
            self.choice.clear()
            for ramp in self._ramps:
                ideas = [names[i] for i in ramp.change_idea_ids if names and i in names]
                tests = f" — tests “{ideas[0]}”" if ideas else ""
                count = len(ramp.cycles)
                text = f"{ramp.name} ({count} cycle{'s' if count != 1 else ''}){tests}"
                self.choice.addItem(text, ramp.ramp_id)
                self.choice.setItemData(self.choice.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
            index = self.choice.findData(current)
            self.choice.setCurrentIndex(index if index >= 0 else (0 if self._ramps else -1))
        finally:
            self.choice.blockSignals(False)
        self._show_current()

    def show_ramp(self, ramp_id: str) -> None:
        """Show the ramp ``ramp_id`` if it is offered."""
        index = self.choice.findData(ramp_id)
        if index >= 0:
            self.choice.setCurrentIndex(index)

    def current_timeline(self) -> RampTimeline | None:
        """The timeline shown (``None`` when there is no ramp)."""
        return self.canvas.timeline

    def _show_current(self) -> None:
        ramp_id = self.choice.currentData()
        ramp = next((r for r in self._ramps if r.ramp_id == ramp_id), None)
        timeline = ramp_timeline(ramp, self._today) if ramp else None
        self.canvas.set_timeline(timeline, self._today)
        self.text.setPlainText(timeline_text(timeline) if timeline else _EMPTY)
        if ramp is not None:
            self.ramp_changed.emit(ramp.ramp_id)
