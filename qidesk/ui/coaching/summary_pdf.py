"""The one-page project summary as a PDF (A4 landscape, vector) for boards and sharing events.

Layout (logical pixels of an A4 landscape sheet at 96 dpi, 1123 × 794, like the chart export):

* a header band: the title, where and what kind of work it is, status and phase, the date;
* a left column: the aim, the team, the progress score (the team's and the suggested), the
  PDSA log (each ramp with its Act decisions and scales) and the latest story of impact;
* the right area: the driver diagram on top (the diagram editor's own scene, rendered as
  vectors), and two to four key charts below (outcome measures first; each drawn by the chart
  widgets' own renderer, with its latest signal in words);
* a footer: qidesk's version, the date and the aggregate-data reminder.

Everything shown comes from a :class:`~qidesk.services.coaching.ProjectBrief`; this module
only lays it out. Text stays text (searchable and copyable). Written through ``QSaveFile``: on
any error the previous file is untouched and :class:`OSError` says why.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QIODevice, QMarginsF, QPointF, QRectF, QSaveFile, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
)

from qidesk import __version__
from qidesk.core.charting import ChartData
from qidesk.core.coaching import decisions_path
from qidesk.core.drivers import NodeKind
from qidesk.core.periods import format_date
from qidesk.core.progress import disagreement
from qidesk.services.coaching import MeasureBrief, ProjectBrief

PAGE_W, PAGE_H = 1123.0, 794.0
MARGIN = 30.0
LEFT_W = 330.0
GAP = 16.0
#: charts are laid out for an area this much larger, then shrunk (their labels need room)
CHART_SCALE = 0.7
TEXT = QColor("#212b32")
MUTED = QColor("#4c6272")
BLUE = QColor("#005eb8")
RULE = QColor("#d8dde0")
PANEL = QColor("#f0f4f5")
AGGREGATE_NOTE = "Aggregate data only: no patient-identifiable details."
_FAMILIES = ["DejaVu Sans", "Segoe UI", "Arial", "Helvetica"]

#: draws the chart of ``data`` into ``rect`` (the chart widgets' own renderer)
ChartPainter = Callable[[QPainter, QRectF, ChartData], None]


def font(pixels: float, *, bold: bool = False) -> QFont:
    """The page font at ``pixels`` (ligatures off, so PDF text stays searchable)."""
    f = QFont()
    f.setFamilies(_FAMILIES)
    f.setPixelSize(max(6, round(pixels)))
    f.setBold(bold)
    f.setFeature(QFont.Tag("liga"), 0)
    return f


def chart_painter() -> ChartPainter:
    """The chart export's renderer when it is available, else a plain line drawing."""
    try:
        from qidesk.ui.charts import export
    except ImportError:  # the chart widgets are not part of this build
        return paint_line_chart
    found = getattr(export, "render_plot", None) or getattr(export, "_render_plot", None)
    return found if callable(found) else paint_line_chart


def paint_line_chart(painter: QPainter, rect: QRectF, data: ChartData) -> None:
    """A plain vector drawing of the values and the centre line (fallback renderer)."""
    result = data.result
    values = [data.shown(p.value) for p in result.points] if result else []
    centre = [data.shown(p.cl) for p in result.points] if result else []
    finite = [v for v in values + centre if v is not None]
    painter.save()
    painter.setPen(QPen(RULE, 1))
    painter.drawRect(rect)
    if len(finite) < 2:
        painter.setPen(MUTED)
        painter.setFont(font(11))
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), "No data to chart yet")
        painter.restore()
        return
    low, high = min(finite), max(finite)
    span = (high - low) or 1.0
    inner = rect.adjusted(6, 6, -6, -6)
    n = max(1, len(values) - 1)

    def point(i: int, v: float) -> QPointF:
        return QPointF(
            inner.left() + inner.width() * i / n, inner.bottom() - inner.height() * (v - low) / span
        )

    for series, pen in (
        (centre, QPen(TEXT, 1.2, Qt.PenStyle.DashLine)),
        (values, QPen(MUTED, 1.2)),
    ):
        path = QPainterPath()
        started = False
        for i, v in enumerate(series):
            if v is None:
                started = False
                continue
            if started:
                path.lineTo(point(i, v))
            else:
                path.moveTo(point(i, v))
                started = True
        painter.setPen(pen)
        painter.drawPath(path)
    painter.restore()


class _Page:
    """A painter on the page with helpers for headed, wrapped and clipped text blocks."""

    def __init__(self, painter: QPainter) -> None:
        self.p = painter

    def text(self, rect: QRectF, text: str, f: QFont, colour: QColor = TEXT) -> float:
        """Draw wrapped ``text`` inside ``rect`` (lines that do not fit are left out, with "…").

        Returns the height used.
        """
        metrics = QFontMetricsF(f)
        lines = _wrap(text, f, rect.width())
        fit = max(0, int(rect.height() // metrics.lineSpacing()))
        if len(lines) > fit:
            lines = lines[:fit]
            if lines:
                lines[-1] = metrics.elidedText(
                    lines[-1] + " …", Qt.TextElideMode.ElideRight, rect.width()
                )
        self.p.setFont(f)
        self.p.setPen(colour)
        y = rect.top()
        for line in lines:
            self.p.drawText(
                QRectF(rect.left(), y, rect.width(), metrics.lineSpacing()),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                line,
            )
            y += metrics.lineSpacing()
        return y - rect.top()

    def heading(self, x: float, y: float, width: float, title: str) -> float:
        """A section heading with a rule under it; returns the height used."""
        f = font(12.5, bold=True)
        h = QFontMetricsF(f).lineSpacing()
        self.p.setFont(f)
        self.p.setPen(BLUE)
        self.p.drawText(
            QRectF(x, y, width, h),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title,
        )
        self.p.setPen(QPen(RULE, 1))
        self.p.drawLine(QPointF(x, y + h + 1), QPointF(x + width, y + h + 1))
        return h + 5

    def section(self, rect: QRectF, title: str, body: str, size: float = 10.5) -> float:
        """A heading and wrapped body text inside ``rect``; returns the height used."""
        used = self.heading(rect.left(), rect.top(), rect.width(), title)
        body_rect = QRectF(rect.left(), rect.top() + used, rect.width(), rect.height() - used)
        used += self.text(body_rect, body, font(size))
        return used + 8


def _wrap(text: str, f: QFont, width: float) -> list[str]:
    metrics = QFontMetricsF(f)
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        line = ""
        for word in words:
            candidate = f"{line} {word}".strip()
            if metrics.horizontalAdvance(candidate) <= width or not line:
                line = candidate
            else:
                out.append(line)
                line = word
        out.append(line)
    return out


# --------------------------------------------------------------------------- words


def subtitle(brief: ProjectBrief) -> str:
    """Kind of work, where, status and phase."""
    p = brief.project
    where = " · ".join(x for x in (p.division, p.directorate, p.ward) if x.strip())
    parts = [p.work_type.label, where, f"Status: {p.status.label}", f"Phase: {p.phase.label}"]
    return " · ".join(x for x in parts if x)


def team_text(brief: ProjectBrief) -> str:
    """Everyone in the team with their role."""
    team = brief.project.team
    if not team:
        return "No team recorded yet."
    return " · ".join(f"{m.name} ({m.role.label})" for m in team)


def progress_text(brief: ProjectBrief) -> str:
    """The team's score, the suggestion and whether they differ (the team decides)."""
    score = brief.project.score
    s = brief.suggestion
    if score is None:
        team = "The team has not set a score yet."
    else:
        when = f", set {format_date(score.set_on)}" if score.set_on else ""
        team = f"Team's score: {score.value:.1f} – {score.label}{when}."
    gap = disagreement(score.value if score else None, s)
    lines = [team, f"Suggested from the evidence in qidesk: {s.heading}."]
    if gap and score is not None:
        lines.append("The team decides; the difference is worth discussing.")
    return "\n".join(lines)


def pdsa_log_text(brief: ProjectBrief) -> str:
    """Each ramp with its Act decisions and test scales, one paragraph a ramp."""
    if not brief.ramps:
        return "No PDSA cycles recorded yet."
    out = []
    for ramp in brief.ramps:
        scales = " → ".join(
            dict.fromkeys(c.test.scale.label.lower() for c in ramp.cycles if c.test.scale)
        )
        line = f"{ramp.name.strip() or 'Unnamed ramp'}: {decisions_path(ramp)}"
        if scales:
            line += f" ({scales})"
        out.append(line)
    return "\n".join(out)


def story_text(brief: ProjectBrief) -> str:
    """The latest story with its date and kind."""
    story = brief.latest_story
    if story is None:
        return "No story recorded yet."
    return f"{story.title} ({story.kind.label}, {format_date(story.told_on)})\n{story.text.strip()}"


# --------------------------------------------------------------------------- painting


def paint_summary(
    painter: QPainter, brief: ProjectBrief, chart: ChartPainter | None = None
) -> None:
    """Paint the whole summary page of ``brief`` (the painter's device is 1123 × 794)."""
    page = _Page(painter)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(QRectF(0, 0, PAGE_W, PAGE_H), QColor("#ffffff"))
    top = _paint_header(page, brief)
    bottom = PAGE_H - MARGIN - 16
    left = QRectF(MARGIN, top, LEFT_W, bottom - top)
    _paint_left(page, left, brief)
    right = QRectF(MARGIN + LEFT_W + GAP, top, PAGE_W - 2 * MARGIN - LEFT_W - GAP, bottom - top)
    diagram_h = right.height() * 0.38
    _paint_diagram(page, QRectF(right.left(), right.top(), right.width(), diagram_h), brief)
    charts = QRectF(
        right.left(), right.top() + diagram_h + 10, right.width(), right.height() - diagram_h - 10
    )
    _paint_charts(page, charts, brief.key_measures, chart or chart_painter())
    page.text(
        QRectF(MARGIN, PAGE_H - MARGIN - 12, PAGE_W - 2 * MARGIN, 14),
        f"qidesk {__version__} · project summary generated {format_date(brief.today)} · "
        + AGGREGATE_NOTE,
        font(9),
        MUTED,
    )


def _paint_header(page: _Page, brief: ProjectBrief) -> float:
    width = PAGE_W - 2 * MARGIN
    y = MARGIN
    y += page.text(QRectF(MARGIN, y, width - 200, 30), brief.project.title, font(22, bold=True))
    page.text(
        QRectF(PAGE_W - MARGIN - 200, MARGIN + 4, 200, 16),
        "Project summary",
        font(11, bold=True),
        BLUE,
    )
    page.text(
        QRectF(PAGE_W - MARGIN - 200, MARGIN + 20, 200, 16),
        format_date(brief.today),
        font(10),
        MUTED,
    )
    y += page.text(QRectF(MARGIN, y, width, 18), subtitle(brief), font(11), MUTED)
    page.p.setPen(QPen(BLUE, 2.5))
    page.p.drawLine(QPointF(MARGIN, y + 4), QPointF(PAGE_W - MARGIN, y + 4))
    return y + 14


def _paint_left(page: _Page, rect: QRectF, brief: ProjectBrief) -> None:
    x, w = rect.left(), rect.width()
    y = rect.top()
    aim = brief.aim or "No aim written yet: the charter is the place to write it."
    blocks = [
        ("Aim", aim, 12.0, 92.0),
        ("Team", team_text(brief), 10.0, 62.0),
        ("Progress (IHI score)", progress_text(brief), 10.0, 70.0),
        ("PDSA log", pdsa_log_text(brief), 10.0, 120.0),
    ]
    for title, body, size, limit in blocks:
        y += page.section(QRectF(x, y, w, limit), title, body, size)
    y += page.heading(x, y, w, "Latest story")
    story = brief.latest_story
    if story is None:
        page.text(QRectF(x, y, w, 20), "No story recorded yet.", font(10))
        return
    y += page.text(QRectF(x, y, w, 34), story.title, font(10.5, bold=True))
    meta = f"{story.kind.label} · {format_date(story.told_on)}"
    if story.shows_diagram:
        meta += " · with the driver diagram"
    elif story.measure_id:
        meta += " · with a chart"
    y += page.text(QRectF(x, y, w, 16), meta, font(9.5), MUTED)
    page.text(QRectF(x, y + 2, w, rect.bottom() - y - 2), story.text.strip(), font(10))


def _paint_diagram(page: _Page, rect: QRectF, brief: ProjectBrief) -> None:
    used = page.heading(rect.left(), rect.top(), rect.width(), "Driver diagram")
    target = QRectF(rect.left(), rect.top() + used + 2, rect.width(), rect.height() - used - 2)
    if not any(n.kind is not NodeKind.AIM for n in brief.diagram.nodes):
        page.p.fillRect(target, PANEL)
        page.text(target.adjusted(12, 12, -12, -12), "No driver diagram yet.", font(11), MUTED)
        return
    from qidesk.ui.diagram.export import clean_render
    from qidesk.ui.diagram.scene import DiagramScene

    scene = DiagramScene()
    try:
        scene.show_diagram(brief.diagram, brief.aim)
        with clean_render(scene) as source:
            scene.render(page.p, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        scene.deleteLater()


def _paint_charts(
    page: _Page, rect: QRectF, measures: tuple[MeasureBrief, ...], chart: ChartPainter
) -> None:
    used = page.heading(rect.left(), rect.top(), rect.width(), "Key charts")
    area = QRectF(rect.left(), rect.top() + used, rect.width(), rect.height() - used)
    if not measures:
        page.p.fillRect(area, PANEL)
        page.text(area.adjusted(12, 12, -12, -12), "No measures yet.", font(11), MUTED)
        return
    shown = measures[:4]
    for m, cell in zip(shown, chart_cells(area, len(shown)), strict=True):
        name = f"{m.measure.measure_type.label}: {m.measure.name}"
        name_h = page.text(
            QRectF(cell.left(), cell.top(), cell.width(), 15), name, font(10.5, bold=True)
        )
        words_h = page.text(
            QRectF(cell.left(), cell.top() + name_h, cell.width(), 26), m.latest, font(9), MUTED
        )
        top = cell.top() + name_h + words_h + 2
        plot = QRectF(cell.left(), top, cell.width(), cell.bottom() - top)
        if plot.height() > 30:
            _paint_scaled(page.p, plot, m.chart, chart)


def chart_cells(area: QRectF, count: int) -> list[QRectF]:
    """Where ``count`` (1–4) charts go, in reading order.

    One or two charts get full-width rows; for three, the first (the outcome measure) is full
    width over two halves; four go two by two.
    """
    rows = [[1.0]] if count == 1 else [[1.0], [1.0]] if count == 2 else [[1.0], [0.5, 0.5]]
    if count >= 4:
        rows = [[0.5, 0.5], [0.5, 0.5]]
    height = (area.height() - (len(rows) - 1) * 8) / len(rows)
    cells = []
    for r, row in enumerate(rows):
        x = area.left()
        for share in row:
            width = area.width() * share - (GAP / 2 if share < 1 else 0)
            cells.append(QRectF(x, area.top() + r * (height + 8), width, height))
            x += width + GAP
    return cells[:count]


def _paint_scaled(painter: QPainter, rect: QRectF, data: ChartData, chart: ChartPainter) -> None:
    """Draw a chart laid out for a larger area, shrunk into ``rect`` (labels keep their room)."""
    s = CHART_SCALE
    painter.save()
    try:
        painter.translate(rect.topLeft())
        painter.scale(s, s)
        chart(painter, QRectF(0, 0, rect.width() / s, rect.height() / s), data)
    finally:
        painter.restore()


# --------------------------------------------------------------------------- writing


def write_summary_pdf(path: Path, brief: ProjectBrief, chart: ChartPainter | None = None) -> Path:
    """Write the one-page summary of ``brief`` to ``path`` (A4 landscape, vector PDF)."""
    target = QSaveFile(str(path))
    if not target.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"{path} cannot be written: {target.errorString()}")
    try:
        writer = QPdfWriter(target)
        writer.setResolution(96)  # one device pixel per logical pixel of the layout
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(0, 0, 0, 0),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setTitle(f"Project summary: {brief.project.title}")
        writer.setCreator(f"qidesk {__version__}")
        painter = QPainter(writer)
        try:
            scale = min(writer.width() / PAGE_W, writer.height() / PAGE_H)
            painter.scale(scale, scale)
            paint_summary(painter, brief, chart)
        finally:
            painter.end()
    except Exception:
        target.cancelWriting()
        target.commit()
        raise
    if not target.commit():
        raise OSError(f"{path} could not be saved: {target.errorString()}")
    return Path(path)
