"""One source for every colour, marker shape and line style of the charts (reliability COL-R3).

Meanings follow Making Data Count (NHSRplotthedots ``ptd_spc_colours``): common cause grey,
special-cause improvement blue, concern orange, neutral purple, target red. Two of those
colours fail WCAG 1.4.11 against white on their own, so (COL-R1) every marker also has a dark
outline and a shape of its own, and the legend and the table say the same in words:

==========================  =======  ==================
category                    shape    colour
==========================  =======  ==================
common cause                ● circle  grey ``#a6a6a6``
special cause improvement   ▲ up      blue ``#00b0f0``
special cause concern       ▼ down    orange ``#e46c0a``
special cause, neutral      ◆ diamond purple ``#490092``
excluded point              hollow, light grey outline, same shape
==========================  =======  ==================

The shape means *better* or *worse*, never *up* or *down*: on a "lower is better" measure an
improvement is a ▲ below the mean. Lines use NHS grey-1/black (COL-R2, white background).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPen

from qidesk.core.measures import AnnotationKind
from qidesk.core.spc.types import AssuranceType, PointType

# NHS identity palette (service-manual.nhs.uk/design-system/styles/colour)
TEXT = "#212b32"
NHS_BLUE = "#005eb8"
NHS_DARK_BLUE = "#003087"
GREY_1 = "#4c6272"
GREY_2 = "#768692"
GREY_3 = "#aeb7bd"
GREY_4 = "#d8dde0"
GREY_5 = "#f0f4f5"
WHITE = "#ffffff"
FOCUS_YELLOW = "#ffeb3b"
NHS_GREEN = "#007f3b"
NHS_DARK_PINK = "#7c2855"
NHS_RED = "#d5281b"

# Making Data Count (NHSRplotthedots ptd_spc_colours)
MDC_COMMON = "#a6a6a6"
MDC_IMPROVEMENT = "#00b0f0"
MDC_CONCERN = "#e46c0a"
MDC_NEUTRAL = "#490092"
MDC_TARGET = "#de1b1b"

#: darker shades of the MDC colours for text and glyphs on white (contrast >= 4.5:1)
TEXT_IMPROVEMENT = NHS_BLUE
TEXT_CONCERN = "#a34d00"
TEXT_NEUTRAL = MDC_NEUTRAL
TEXT_COMMON = GREY_1

BACKGROUND = WHITE


@dataclass(frozen=True)
class MarkerStyle:
    """How one category of point is drawn and named."""

    key: str
    symbol: str  # pyqtgraph symbol name
    colour: str
    text_colour: str
    size: int
    label: str
    glyph: str  # the same shape as text, for legends written in words


COMMON = MarkerStyle("common", "o", MDC_COMMON, TEXT_COMMON, 8, "Common cause", "●")
IMPROVEMENT = MarkerStyle(
    "improvement", "t1", MDC_IMPROVEMENT, TEXT_IMPROVEMENT, 12, "Special cause: improvement", "▲"
)
CONCERN = MarkerStyle("concern", "t", MDC_CONCERN, TEXT_CONCERN, 12, "Special cause: concern", "▼")
NEUTRAL = MarkerStyle("neutral", "d", MDC_NEUTRAL, TEXT_NEUTRAL, 12, "Special cause: neutral", "◆")
EXCLUDED_LABEL = "Excluded from the calculations (hollow)"

_BY_TYPE = {
    PointType.COMMON_CAUSE: COMMON,
    PointType.IMPROVEMENT: IMPROVEMENT,
    PointType.CONCERN: CONCERN,
    PointType.NEUTRAL_HIGH: NEUTRAL,
    PointType.NEUTRAL_LOW: NEUTRAL,
}


def marker_for(point_type: PointType) -> MarkerStyle:
    """The marker of a point type (spec 3.4)."""
    return _BY_TYPE[point_type]


def category_colour(point_type: PointType) -> str:
    """The MDC colour of a point type."""
    return marker_for(point_type).colour


ASSURANCE_COLOURS = {
    AssuranceType.CONSISTENT_PASS: (MDC_IMPROVEMENT, TEXT_IMPROVEMENT),
    AssuranceType.CONSISTENT_FAIL: (MDC_CONCERN, TEXT_CONCERN),
    AssuranceType.INCONSISTENT: (MDC_COMMON, TEXT_COMMON),
}


@dataclass(frozen=True)
class AnnotationStyle:
    """How an annotation kind is marked: a glyph before its label and a colour."""

    glyph: str
    colour: str


ANNOTATION_STYLES = {
    AnnotationKind.TEST_START: AnnotationStyle("▶", NHS_BLUE),
    AnnotationKind.TEST_END: AnnotationStyle("■", NHS_DARK_BLUE),
    AnnotationKind.CHANGE_ADOPTED: AnnotationStyle("✔", NHS_GREEN),
    AnnotationKind.EXTERNAL_EVENT: AnnotationStyle("◆", NHS_DARK_PINK),
    AnnotationKind.DATA_ISSUE: AnnotationStyle("⚠", GREY_1),
}
PHASE_STYLE = AnnotationStyle("┃", TEXT)
FREEZE_STYLE = AnnotationStyle("❄", GREY_1)


# --------------------------------------------------------------------------- pens and brushes
# Cached so that pyqtgraph's symbol atlas sees few distinct pens and brushes (it keys on them).
@cache
def pen(colour: str, width: float = 1.0, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """A cosmetic pen (width in screen pixels, whatever the zoom)."""
    p = QPen(QColor(colour))
    p.setWidthF(width)
    p.setStyle(style)
    p.setCosmetic(True)
    p.setCapStyle(Qt.PenCapStyle.FlatCap)
    return p


@cache
def brush(colour: str | None) -> QBrush:
    """A solid brush, or no brush for ``None``."""
    return QBrush(Qt.BrushStyle.NoBrush) if colour is None else QBrush(QColor(colour))


def marker_pen() -> QPen:
    """The dark outline every marker has (COL-R1)."""
    return pen(TEXT, 1.0)


def ghost_pen() -> QPen:
    """The outline of an excluded (ghosted) point."""
    return pen(GREY_2, 1.2)


DATA_PEN_ARGS = (GREY_1, 1.0)  # wider antialiased polylines cost ~0.15 ms per point to stroke
CENTRE_PEN_ARGS = (TEXT, 1.6)
LIMIT_PEN_ARGS = (GREY_1, 1.3, Qt.PenStyle.DashLine)
SIGMA2_PEN_ARGS = (GREY_3, 1.0, Qt.PenStyle.DotLine)
TARGET_PEN_ARGS = (MDC_TARGET, 1.6, Qt.PenStyle.DashDotLine)


def centre_pen(run_chart: bool) -> QPen:
    """The centre line: solid, dashed on a run chart (a median, not a control-chart mean)."""
    return pen(TEXT, 1.6, Qt.PenStyle.DashLine if run_chart else Qt.PenStyle.SolidLine)


# --------------------------------------------------------------------------- contrast
def _channel(value: float) -> float:
    return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#rrggbb`` colour."""
    c = QColor(colour)
    return (
        0.2126 * _channel(c.redF()) + 0.7152 * _channel(c.greenF()) + 0.0722 * _channel(c.blueF())
    )


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
