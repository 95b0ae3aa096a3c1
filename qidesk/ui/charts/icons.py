"""Our own drawings of the Making Data Count variation and assurance icons (spec 3.5, 3.6).

Not the NHS icon files: a white disc with a ring in the MDC colour and a dark glyph —
a zigzag for common cause, ``H``/``L`` with an arrow for special cause high/low, ``P``/``F``
for a target consistently passed/failed and ``?`` for hit and miss. The icon never stands
alone: :class:`IconBadge` writes its name beside it, and the same painting functions draw the
icons in exports (:mod:`qidesk.ui.charts.export`) and in the dashboard's table.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from qidesk.core.chart_text import assurance_label, variation_label
from qidesk.core.spc.types import AssuranceType, Direction, PointType
from qidesk.ui.charts import style


def _variation_colours(point_type: PointType) -> tuple[str, str]:
    marker = style.marker_for(point_type)
    return marker.colour, marker.text_colour


def _ring(painter: QPainter, rect: QRectF, colour: str) -> QRectF:
    side = min(rect.width(), rect.height())
    disc = QRectF(0, 0, side, side)
    disc.moveCenter(rect.center())
    ring = max(2.0, side * 0.12)
    painter.setPen(QPen(QColor(colour), ring))
    painter.setBrush(QColor(style.WHITE))
    inner = disc.adjusted(ring / 2, ring / 2, -ring / 2, -ring / 2)
    painter.drawEllipse(inner)
    return inner


def _letter(painter: QPainter, rect: QRectF, text: str, colour: str, scale: float = 0.55) -> None:
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(6, round(rect.height() * scale)))
    painter.setFont(font)
    painter.setPen(QColor(colour))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)


def paint_variation_icon(
    painter: QPainter, rect: QRectF, point_type: PointType, direction: Direction
) -> None:
    """Draw the variation icon of a chart whose last point is ``point_type`` into ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    ring, glyph = _variation_colours(point_type)
    inner = _ring(painter, rect, ring)
    if point_type is PointType.COMMON_CAUSE:
        w, h = inner.width(), inner.height()
        path = QPainterPath(QPointF(inner.left() + w * 0.2, inner.center().y()))
        xs = (0.32, 0.44, 0.56, 0.68, 0.8)
        for k, fx in enumerate(xs):
            dy = -h * 0.14 if k % 2 == 0 else h * 0.14
            path.lineTo(inner.left() + w * fx, inner.center().y() + (dy if k < 4 else 0))
        painter.setPen(QPen(QColor(glyph), max(1.5, w * 0.08)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
    else:
        high = (
            point_type is PointType.NEUTRAL_HIGH
            or (point_type is PointType.IMPROVEMENT and direction is Direction.INCREASE)
            or (point_type is PointType.CONCERN and direction is Direction.DECREASE)
        )
        letter = QRectF(inner)
        letter.setWidth(inner.width() * 0.7)
        _letter(
            painter, letter.adjusted(inner.width() * 0.08, 0, 0, 0), "H" if high else "L", glyph
        )
        # a small arrow on the right: up for high, down for low
        x = inner.left() + inner.width() * 0.78
        top, bottom = inner.top() + inner.height() * 0.28, inner.bottom() - inner.height() * 0.28
        tip, tail = (top, bottom) if high else (bottom, top)
        head = inner.height() * 0.12 * (1 if high else -1)
        painter.setPen(QPen(QColor(glyph), max(1.2, inner.width() * 0.07)))
        painter.drawLine(QPointF(x, tail), QPointF(x, tip))
        painter.drawLine(QPointF(x, tip), QPointF(x - inner.width() * 0.08, tip + head))
        painter.drawLine(QPointF(x, tip), QPointF(x + inner.width() * 0.08, tip + head))
    painter.restore()


def paint_assurance_icon(painter: QPainter, rect: QRectF, kind: AssuranceType) -> None:
    """Draw the assurance icon (``P`` pass, ``F`` fail, ``?`` hit and miss) into ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    ring, glyph = style.ASSURANCE_COLOURS[kind]
    inner = _ring(painter, rect, ring)
    text = {
        AssuranceType.CONSISTENT_PASS: "P",
        AssuranceType.CONSISTENT_FAIL: "F",
        AssuranceType.INCONSISTENT: "?",
    }[kind]
    _letter(painter, inner, text, glyph)
    painter.restore()


def icon_pixmap(
    size: int,
    *,
    point_type: PointType | None = None,
    direction: Direction = Direction.INCREASE,
    assurance: AssuranceType | None = None,
    ratio: float = 1.0,
) -> QPixmap:
    """A square pixmap of one icon (for item views); transparent when there is none."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        rect = QRectF(0.5, 0.5, size - 1, size - 1)
        if point_type is not None:
            paint_variation_icon(painter, rect, point_type, direction)
        elif assurance is not None:
            paint_assurance_icon(painter, rect, assurance)
    finally:
        painter.end()
    return pixmap


class IconBadge(QWidget):
    """A variation or assurance icon with its name written beside it (never colour alone).

    The name wraps onto more lines when the badge is narrow (it is never cut short where a
    line more would show it whole).
    """

    ICON = 30

    def __init__(self, parent: QWidget | None = None, *, icon_size: int = ICON) -> None:
        super().__init__(parent)
        self._icon = icon_size
        self._variation: PointType | None = None
        self._direction = Direction.INCREASE
        self._assurance: AssuranceType | None = None
        self._text = ""
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.hide()

    def show_variation(self, point_type: PointType | None, direction: Direction) -> None:
        """Show the variation icon of ``point_type`` (hide the badge for ``None``)."""
        same = (self._variation, self._direction, self._assurance) == (point_type, direction, None)
        if same and (self._text or point_type is None):
            return
        self._variation, self._direction, self._assurance = point_type, direction, None
        self._text = variation_label(point_type, direction) if point_type else ""
        self._refresh()

    def show_assurance(self, kind: AssuranceType | None) -> None:
        """Show the assurance icon of ``kind`` (hide the badge for ``None``)."""
        if self._variation is None and self._assurance == kind and (self._text or kind is None):
            return
        self._variation, self._assurance = None, kind
        self._text = assurance_label(kind)
        self._refresh()

    @property
    def text(self) -> str:
        """The icon's name, as written beside it."""
        return self._text

    def _refresh(self) -> None:
        self.setAccessibleName(self._text)
        self.setToolTip(self._text)
        self.setVisible(bool(self._text))
        self.updateGeometry()
        self.update()

    def _text_rect(self, width: int) -> QRectF:
        """Where the name is written in a badge ``width`` px wide (height: as the text needs)."""
        room = max(1, width - self._icon - 8 - 2)
        flags = int(Qt.TextFlag.TextWordWrap)
        bounds = self.fontMetrics().boundingRect(0, 0, room, 10_000, flags, self._text)
        return QRectF(self._icon + 8, 0, room, bounds.height())

    def sizeHint(self) -> QSize:
        """Icon plus its label on one line."""
        width = self.fontMetrics().horizontalAdvance(self._text)
        return QSize(self._icon + 8 + width + 4, max(self._icon, self.fontMetrics().height()) + 2)

    def minimumSizeHint(self) -> QSize:
        """The icon and the longest word of its name (the rest wraps under it)."""
        words = self._text.split() or [""]
        longest = max(self.fontMetrics().horizontalAdvance(w) for w in words)
        return QSize(self._icon + 8 + min(longest, 120) + 4, self._icon + 2)

    def hasHeightForWidth(self) -> bool:
        """The name wraps: a narrower badge is taller."""
        return True

    def heightForWidth(self, width: int) -> int:
        """As tall as the icon, or as the wrapped name."""
        return max(self._icon, round(self._text_rect(width).height())) + 2

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        """Draw the icon and its label."""
        painter = QPainter(self)
        try:
            rect = QRectF(1, (self.height() - self._icon) / 2, self._icon, self._icon)
            if self._variation is not None:
                paint_variation_icon(painter, rect, self._variation, self._direction)
            elif self._assurance is not None:
                paint_assurance_icon(painter, rect, self._assurance)
            painter.setPen(QColor(style.TEXT))
            text_rect = self._text_rect(self.width())
            align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
            if text_rect.height() <= self.height():
                text_rect.setHeight(self.height())
                painter.drawText(text_rect, int(align | Qt.TextFlag.TextWordWrap), self._text)
            else:  # squeezed by its layout below what the wrapped name needs: cut it short
                text_rect.setHeight(self.height())
                elided = self.fontMetrics().elidedText(
                    self._text, Qt.TextElideMode.ElideRight, int(text_rect.width())
                )
                painter.drawText(text_rect, int(align), elided)
        finally:
            painter.end()
