"""Graphics items of the driver diagram: boxes, connectors, column titles and the legend.

Boxes have a fixed width; their text is drawn as vector text (word-wrapped), so it stays sharp
at any zoom and in PDF/SVG exports. Colours follow the NHS identity palette: the kind of a box
sets its fill, an optional category adds a coloured stripe, a change idea shows its status as
a badge followed by its PDSA testing ("2 PDSAs · Adopt"), and a box with linked measures shows
a small drawn run-chart icon and "2 measures" on its last line (drawn, not an emoji, so every
font and every export shows it). Strong links are solid, weak links dashed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from PySide6.QtCore import QEvent, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QGraphicsSimpleTextItem,
    QGraphicsTextItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from qidesk.core.diagram_layout import Box, LayoutStyle, connector
from qidesk.core.drivers import DriverLink, DriverNode, IdeaStatus, IdeaTesting, NodeKind, Strength

# ---------------------------------------------------------------------- palette

TEXT = QColor("#212b32")
SELECTED = QColor("#d5281b")  # NHS red for the keyboard/selection outline: visible on blue
LINK_TARGET = QColor("#ffb81c")
LINE = QColor("#425563")


@dataclass(frozen=True)
class KindStyle:
    """How one kind of box looks."""

    fill: QColor
    border: QColor
    text: QColor = field(default_factory=lambda: QColor(TEXT))


KIND_STYLES: dict[NodeKind, KindStyle] = {
    NodeKind.AIM: KindStyle(QColor("#003087"), QColor("#002060"), QColor("#ffffff")),
    NodeKind.PRIMARY: KindStyle(QColor("#cfe3f5"), QColor("#005eb8")),
    NodeKind.SECONDARY: KindStyle(QColor("#e0f4fb"), QColor("#0072ce")),
    NodeKind.TERTIARY: KindStyle(QColor("#eef1f2"), QColor("#768692")),
    NodeKind.CHANGE_IDEA: KindStyle(QColor("#fff3d4"), QColor("#ed8b00")),
}

#: status -> (badge fill, badge text)
STATUS_COLOURS: dict[IdeaStatus, tuple[QColor, QColor]] = {
    IdeaStatus.IDEA: (QColor("#e8edee"), TEXT),
    IdeaStatus.TESTING: (QColor("#ffb81c"), TEXT),
    IdeaStatus.ADOPTED: (QColor("#007f3b"), QColor("#ffffff")),
    IdeaStatus.ADAPTED: (QColor("#005eb8"), QColor("#ffffff")),
    IdeaStatus.ABANDONED: (QColor("#8a1538"), QColor("#ffffff")),
    IdeaStatus.IMPLEMENTED: (QColor("#425563"), QColor("#ffffff")),
    IdeaStatus.SPREAD: (QColor("#330072"), QColor("#ffffff")),
}

CATEGORY_COLOURS = (
    QColor("#da291c"),
    QColor("#00a499"),
    QColor("#ae2573"),
    QColor("#78be20"),
    QColor("#7c2855"),
    QColor("#00a9ce"),
    QColor("#425563"),
    QColor("#ffb81c"),
)


def category_colours(categories: Iterable[str]) -> dict[str, QColor]:
    """A colour for each category name, stable for a given set (sorted, then the palette)."""
    names = sorted({c for c in categories if c}, key=str.casefold)
    return {name: CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i, name in enumerate(names)}


@lru_cache(maxsize=8)
def _font(pixels: int, bold: bool, italic: bool) -> QFont:
    font = QFont()
    font.setFamilies(["DejaVu Sans", "Segoe UI", "Arial", "Liberation Sans"])
    font.setPixelSize(pixels)
    font.setBold(bold)
    font.setItalic(italic)
    # no "ff"/"fi" ligatures: text copied from a PDF export then reads as typed
    font.setFeature(QFont.Tag("liga"), 0)
    return font


#: pixel sizes of the canvas's text (scene units): box text, and badges and the key (the smallest)
BOX_TEXT_PX = 13
SMALL_TEXT_PX = 11


def box_font(bold: bool = False, italic: bool = False) -> QFont:
    """The font of box text (pixel-sized, so scene units and exports agree); a copy."""
    return QFont(_font(BOX_TEXT_PX, bold, italic))


def small_font(bold: bool = False) -> QFont:
    """The font of badges and the legend; a copy."""
    return QFont(_font(SMALL_TEXT_PX, bold, False))


@lru_cache(maxsize=4)
def _metrics(pixels: int, bold: bool) -> QFontMetricsF:
    return QFontMetricsF(_font(pixels, bold, False))


@lru_cache(maxsize=256)
def _fitted(text: str, width: float) -> tuple[str, float]:
    """``text`` in the badge font, elided to ``width`` if need be, and its natural width."""
    metrics = _metrics(11, False)
    natural = metrics.horizontalAdvance(text)
    if natural <= width:
        return text, natural
    return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width), natural


def line_height() -> float:
    """The distance between two lines of box text (scene units)."""
    return QFontMetricsF(_font(13, False, False)).lineSpacing()


def is_bold(kind: NodeKind) -> bool:
    """Aim and primary drivers are set in bold."""
    return kind in (NodeKind.AIM, NodeKind.PRIMARY)


def wrapped(text: str, font: QFont, width: float) -> QTextLayout:
    """``text`` laid out in lines ``width`` wide.

    Lines break at word boundaries, or inside a word too long for one line.
    """
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    spacing = QFontMetricsF(font).lineSpacing()
    layout.beginLayout()
    y = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, y))
        y += spacing
    layout.endLayout()
    return layout


#: width of the category stripe at the left of a box
STRIPE = 6.0

#: colour of the measure icon and text on light boxes
MEASURE_INK = QColor("#005eb8")


def measures_label(count: int) -> str:
    """The text of a box's measure line: "1 measure", "3 measures"."""
    return f"{count} measure{'s' if count != 1 else ''}"


def footer_lines(node: DriverNode, measure_count: int) -> int:
    """Lines a box needs below its text: the status line of a change idea, the measure line."""
    return (1 if node.kind is NodeKind.CHANGE_IDEA else 0) + (1 if measure_count else 0)


def draw_measure_icon(painter: QPainter, rect: QRectF, ink: QColor) -> None:
    """A tiny run chart (an axis and a line through four dots) inside ``rect``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(ink, 1.0))
    left, top, w, h = rect.left(), rect.top(), rect.width(), rect.height()
    painter.drawLine(QPointF(left, top), QPointF(left, top + h))
    painter.drawLine(QPointF(left, top + h), QPointF(left + w, top + h))
    points = [
        QPointF(left + w * fx, top + h * fy)
        for fx, fy in ((0.2, 0.7), (0.45, 0.45), (0.7, 0.6), (0.95, 0.15))
    ]
    painter.setPen(QPen(ink, 1.3))
    painter.drawPolyline(points)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ink)
    for point in points:
        painter.drawEllipse(point, 1.4, 1.4)
    painter.restore()


class TextMeasurer:
    """Wraps box text once and keeps it: the layout counts its lines, the box draws it."""

    def __init__(self, style: LayoutStyle) -> None:
        self.width = style.box_width - 2 * style.padding - STRIPE
        self._cache: dict[tuple[str, bool, bool], QTextLayout] = {}

    def layout(self, text: str, bold: bool = False, italic: bool = False) -> QTextLayout:
        """``text`` wrapped to the box width (cached)."""
        key = (text, bold, italic)
        cached = self._cache.get(key)
        if cached is None:
            if len(self._cache) > 5000:  # a long session of edits: start afresh
                self._cache.clear()
            cached = wrapped(text, _font(13, bold, italic), self.width)
            self._cache[key] = cached
        return cached

    def lines(self, text: str, bold: bool = False, italic: bool = False) -> int:
        """How many lines ``text`` takes when wrapped to the box width."""
        return max(1, self.layout(text, bold, italic).lineCount())


# ---------------------------------------------------------------------- boxes


class NodeItem(QGraphicsItem):
    """A box of the diagram. It shows a node; it never changes the node itself."""

    def __init__(self, node_id: str, style: LayoutStyle) -> None:
        super().__init__()
        self.node_id = node_id
        self.style = style
        self.node: DriverNode | None = None
        self.text = ""
        self.category_colour: QColor | None = None
        self.measures: tuple[str, ...] = ()
        self.measure_count = 0
        self.testing: IdeaTesting | None = None
        self.link_target = False
        self._text_layout: QTextLayout | None = None
        self.size = QSizeF(style.box_width, style.height_for(1))
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        )
        self.setAcceptHoverEvents(True)
        self.setZValue(2)

    def show_node(
        self, node: DriverNode, text: str, text_layout: QTextLayout, box: Box,
        category: QColor | None, measures: tuple[str, ...] = (), measure_count: int = 0,
        testing: IdeaTesting | None = None,
    ) -> None:  # fmt: skip
        """Show ``node`` with ``text`` (already wrapped as ``text_layout``) in ``box``.

        ``measures`` are the names of its linked measures (for the tooltip), ``measure_count``
        how many there are (drawn on the box), ``testing`` a change idea's PDSA testing.
        """
        size = QSizeF(box.width, box.height)
        if size != self.size:
            self.prepareGeometryChange()
            self.size = size
        self.node = node
        self.text = text
        self._text_layout = text_layout
        self.category_colour = category
        self.measures = measures
        self.measure_count = max(measure_count, len(measures))
        self.testing = testing
        if (self.x(), self.y()) != (box.x, box.y):
            self.setPos(box.x, box.y)
        self.update()

    def tooltip(self) -> str:
        """What the box is, for the tooltip (built when the mouse arrives)."""
        node = self.node
        if node is None:
            return ""
        tip = f"{node.kind.label}: {self.text}"
        if node.status is not None:
            tip += f"\nStatus: {node.status.label}"
        if node.kind is NodeKind.CHANGE_IDEA:
            tip += f"\nPDSA: {(self.testing or IdeaTesting()).sentence}"
        if self.measures:
            tip += "\nMeasures: " + "; ".join(self.measures)
        elif self.measure_count:
            tip += f"\n{measures_label(self.measure_count)} linked"
        if node.kind is NodeKind.AIM or node.kind.is_driver or self.measure_count:
            tip += "\nM: link or unlink measures"
        if node.category:
            tip += f"\nCategory: {node.category}"
        if node.pinned_at is not None:
            tip += "\nPinned where you put it (right-click ▸ Unpin to let the layout place it)"
        return tip

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """Set the tooltip and cursor when the mouse arrives."""
        self.setToolTip(self.tooltip())
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        super().hoverEnterEvent(event)

    def boundingRect(self) -> QRectF:
        """The box plus room for the selection outline."""
        return QRectF(QPointF(0, 0), self.size).adjusted(-4, -4, 4, 4)

    def shape(self) -> QPainterPath:
        """The box itself (for clicks and rubber-band selection)."""
        path = QPainterPath()
        path.addRect(QRectF(QPointF(0, 0), self.size))
        return path

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """Draw the box, its text, category stripe, status badge and selection outline."""
        del option, widget
        if self.node is None:
            return
        kind = KIND_STYLES[self.node.kind]
        rect = QRectF(QPointF(0, 0), self.size)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(kind.border, 1.5))
        painter.setBrush(QBrush(kind.fill))
        painter.drawRoundedRect(rect, 6, 6)
        if self.category_colour is not None:
            stripe = QPainterPath()
            stripe.addRoundedRect(QRectF(0, 0, STRIPE + 6, self.size.height()), 6, 6)
            clip = QPainterPath()
            clip.addRect(QRectF(0, 0, STRIPE, self.size.height()))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.category_colour)
            painter.drawPath(stripe.intersected(clip))
        pad = self.style.padding
        text_rect = QRectF(
            pad + STRIPE, pad, self.size.width() - 2 * pad - STRIPE, self.size.height() - 2 * pad
        )
        if self._text_layout is not None:
            painter.setPen(kind.text)
            self._text_layout.draw(painter, text_rect.topLeft())
        row = self.style.line_height
        bottom = text_rect.bottom()
        if self.measure_count:
            self._paint_measures(painter, text_rect, bottom, kind.text)
            bottom -= row
        if self.node.status is not None:
            self._paint_badge(painter, self.node.status, text_rect, bottom, kind.text)
        if self.node.pinned_at is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(kind.border)
            painter.drawEllipse(QPointF(self.size.width() - 7, 7), 3, 3)
        if self.isSelected() or self.link_target:
            colour = LINK_TARGET if self.link_target else SELECTED
            painter.setPen(QPen(colour, 3))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 8, 8)

    def _row(self, bottom: float) -> tuple[float, float]:
        """The top and height of a footer line whose bottom is at ``bottom``."""
        height = _metrics(11, False).height() + 2
        return bottom - (self.style.line_height + height) / 2, height

    def _paint_badge(
        self, painter: QPainter, status: IdeaStatus, text_rect: QRectF, bottom: float,
        text_ink: QColor,
    ) -> None:  # fmt: skip
        """The status pill, then the PDSA testing ("2 PDSAs · Adopt") beside it."""
        fill, ink = STATUS_COLOURS[status]
        font = _font(11, False, False)
        label = status.label
        width = _fitted(label, 1e6)[1] + 12
        top, height = self._row(bottom)
        badge = QRectF(text_rect.left(), top, width, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setFont(font)
        painter.setPen(ink)
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), label)
        tested = self.testing.badge if self.testing is not None else ""
        if tested:
            room = QRectF(badge.right() + 6, top, text_rect.right() - badge.right() - 6, height)
            painter.setPen(text_ink)
            painter.drawText(
                room,
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                _fitted(tested, room.width())[0],
            )

    def _paint_measures(
        self, painter: QPainter, text_rect: QRectF, bottom: float, text_ink: QColor
    ) -> None:
        """The measure line: a drawn run-chart icon and "2 measures"."""
        on_dark = self.node is not None and self.node.kind is NodeKind.AIM
        ink = text_ink if on_dark else MEASURE_INK
        top, height = self._row(bottom)
        draw_measure_icon(painter, QRectF(text_rect.left() + 1, top + 3, 13, height - 6), ink)
        painter.setFont(small_font(bold=True))
        painter.setPen(ink)
        painter.drawText(
            QRectF(text_rect.left() + 19, top, text_rect.width() - 19, height),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            measures_label(self.measure_count),
        )

    def box(self) -> Box:
        """Where the box is now (scene units)."""
        return Box(self.x(), self.y(), self.size.width(), self.size.height())


# ---------------------------------------------------------------------- links


_LINK_PENS: dict[tuple[bool, bool], QPen] = {}


def _link_pen(weak: bool, selected: bool) -> QPen:
    pen = _LINK_PENS.get((weak, selected))
    if pen is None:
        pen = QPen(SELECTED if selected else LINE, 3.0 if selected else 1.6)
        pen.setStyle(Qt.PenStyle.DashLine if weak else Qt.PenStyle.SolidLine)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        _LINK_PENS[(weak, selected)] = pen
    return pen


class LinkItem(QGraphicsPathItem):
    """A connector from a parent box to a child box: solid when strong, dashed when weak."""

    def __init__(self, link: DriverLink) -> None:
        super().__init__()
        self.link = link
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.setPen(_link_pen(False, True))  # the widest pen, so the bounds hold any style

    def set_link(self, link: DriverLink) -> None:
        """Show ``link`` (its strength sets the line style)."""
        if link.strength is not self.link.strength:
            self.update()
        self.link = link

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """Set the tooltip when the mouse arrives."""
        self.setToolTip(f"{self.link.strength.label} link (S toggles strong / weak)")
        super().hoverEnterEvent(event)

    def route(self, parent: Box, child: Box) -> None:
        """Draw the curve between the two boxes."""
        start, c1, c2, end = connector(parent, child)
        path = QPainterPath(QPointF(*start))
        path.cubicTo(QPointF(*c1), QPointF(*c2), QPointF(*end))
        self.setPath(path)

    def shape(self) -> QPainterPath:
        """A wider band than the line, so the link is easy to click."""
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """The curve: solid or dashed, red and thicker when selected."""
        del option, widget
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(_link_pen(self.link.strength is Strength.WEAK, self.isSelected()))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())


# ---------------------------------------------------------------------- titles and legend


class ColumnTitle(QGraphicsSimpleTextItem):
    """The title above a column."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        font = box_font()
        font.setBold(True)
        font.setPixelSize(14)
        self.setFont(font)
        self.setBrush(QColor("#425563"))


class LegendItem(QGraphicsItem):
    """The key: box colours by kind, line styles, categories and change-idea statuses."""

    def __init__(self) -> None:
        super().__init__()
        self.kinds: list[NodeKind] = []
        self.categories: dict[str, QColor] = {}
        self.statuses: list[IdeaStatus] = []
        self.measures = False
        self.tested = False
        self._rect = QRectF()

    def set_content(
        self, kinds: list[NodeKind], categories: dict[str, QColor], statuses: list[IdeaStatus],
        measures: bool = False, tested: bool = False,
    ) -> None:  # fmt: skip
        """What the legend lists (``measures``/``tested``: explain those badges too)."""
        content = (kinds, categories, statuses, measures, tested)
        if content == (self.kinds, self.categories, self.statuses, self.measures, self.tested):
            return
        self.prepareGeometryChange()
        self.kinds = kinds
        self.categories = categories
        self.statuses = statuses
        self.measures = measures
        self.tested = tested
        rows = len(kinds) + 2 + (len(categories) + 1 if categories else 0)
        rows += (1 if measures else 0) + (2 if tested else 0)
        right_rows = len(statuses)
        width = 220.0 + (180.0 if statuses else 0.0)
        self._rect = QRectF(0, 0, width, 28 + max(rows, right_rows) * 18)
        self.update()

    def boundingRect(self) -> QRectF:
        """The legend's frame."""
        return self._rect

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """Draw the key."""
        del option, widget
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#aeb7bd"), 1))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(self._rect, 6, 6)
        font = small_font()
        bold = small_font(bold=True)
        painter.setFont(bold)
        painter.setPen(TEXT)
        painter.drawText(QPointF(10, 18), "Key")
        painter.setFont(font)
        y = 28.0
        for kind in self.kinds:
            style = KIND_STYLES[kind]
            painter.setPen(QPen(style.border, 1.2))
            painter.setBrush(style.fill)
            painter.drawRoundedRect(QRectF(10, y + 2, 26, 12), 3, 3)
            painter.setPen(TEXT)
            painter.drawText(QPointF(44, y + 12), kind.plural)
            y += 18
        for strength in (Strength.STRONG, Strength.WEAK):
            pen = QPen(LINE, 1.6)
            if strength is Strength.WEAK:
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(QPointF(10, y + 8), QPointF(36, y + 8))
            painter.setPen(TEXT)
            painter.drawText(QPointF(44, y + 12), f"{strength.label} link")
            y += 18
        if self.measures:
            draw_measure_icon(painter, QRectF(12, y + 3, 20, 11), MEASURE_INK)
            painter.setPen(TEXT)
            painter.drawText(QPointF(44, y + 12), "Measures linked to the box")
            y += 18
        if self.tested:
            painter.setPen(TEXT)
            painter.drawText(QPointF(10, y + 12), "3 PDSAs · Adopt:")
            painter.drawText(QPointF(44, y + 30), "PDSA cycles run, latest Act")
            y += 36
        if self.categories:
            painter.setFont(bold)
            painter.drawText(QPointF(10, y + 12), "Categories")
            painter.setFont(font)
            y += 18
            for name, colour in self.categories.items():
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRect(QRectF(10, y + 2, 8, 12))
                painter.setPen(TEXT)
                painter.drawText(QPointF(44, y + 12), name)
                y += 18
        if self.statuses:
            x = 220.0
            y = 28.0
            painter.setFont(bold)
            painter.drawText(QPointF(x, 18), "Change-idea status")
            painter.setFont(font)
            for status in self.statuses:
                fill, _ = STATUS_COLOURS[status]
                painter.setPen(QPen(QColor("#768692"), 0.8))
                painter.setBrush(fill)
                painter.drawRoundedRect(QRectF(x, y + 3, 22, 11), 5, 5)
                painter.setPen(TEXT)
                painter.drawText(QPointF(x + 30, y + 12), status.label)
                y += 18


class InlineEditor(QGraphicsTextItem):
    """Text editing inside a box: Enter or Tab commits, Esc cancels.

    ``on_commit(text, key)`` is called with the text and the key that committed it
    (``Qt.Key.Key_Return`` or ``Qt.Key.Key_Tab``); ``on_cancel()`` on Esc. The owner closes
    the editor when it accepts the text.
    """

    def __init__(self, box: Box, style: LayoutStyle, text: str, kind: NodeKind) -> None:
        super().__init__()
        self.kind = kind
        self.on_commit: Callable[[str, Qt.Key], None] | None = None
        self.on_cancel: Callable[[], None] | None = None
        self.setFont(box_font(is_bold(kind)))
        self.setDefaultTextColor(TEXT)
        self.document().setDocumentMargin(2)
        self.setTextWidth(box.width - 2 * style.padding - STRIPE + 4)
        self.setPlainText(text)
        self.setPos(box.x + style.padding + STRIPE - 2, box.y + style.padding - 2)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)
        self.setZValue(10)
        self.setToolTip(f"{kind.label}: Enter saves, Esc cancels")
        # cover the box's whole text area, so the old text never shows round the editor
        self._cover = QRectF(
            -2, -2, box.width - 2 * style.padding - STRIPE + 8, box.height - 2 * style.padding + 8
        )

    def boundingRect(self) -> QRectF:
        """The text, and at least the text area of the box being edited."""
        return super().boundingRect().united(self._cover)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        """A white editing field with a focus frame, then the text."""
        painter.setPen(QPen(SELECTED, 2))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(self.boundingRect(), 3, 3)
        super().paint(painter, option, widget)  # type: ignore[arg-type]

    def select_all(self) -> None:
        """Select the whole text (so typing replaces it)."""
        cursor = self.textCursor()
        cursor.select(cursor.SelectionType.Document)
        self.setTextCursor(cursor)

    def sceneEvent(self, event: QEvent) -> bool:
        """Catch Tab before the text item types it (it bypasses ``keyPressEvent``)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Tab
        ):
            self.keyPressEvent(event)
            return True
        return super().sceneEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter/Tab commit, Esc cancels, other keys edit."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            if self.on_commit is not None:
                how = Qt.Key.Key_Tab if key == Qt.Key.Key_Tab else Qt.Key.Key_Return
                self.on_commit(self.toPlainText(), how)
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            if self.on_cancel is not None:
                self.on_cancel()
            event.accept()
            return
        super().keyPressEvent(event)
