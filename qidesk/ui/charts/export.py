"""Export a chart as PNG, SVG or PDF, or copy it to the clipboard, as one composed page.

A page carries everything a reader needs away from qidesk: the title (measure name) and what
is charted, the variation and assurance icons with their names (when Making Data Count rules
apply), the chart, its legend, the measure's operational definition, the one-paragraph
summary (:func:`qidesk.core.chart_text.summary_text`), the rule preset and its rules, and the
date it was generated. SVG and PDF are vector: lines, markers and text stay sharp and the text
stays searchable and copyable.

The chart is drawn by an off-screen :class:`~qidesk.ui.charts.spc_plot.SpcPlot` and its
graphics scene is rendered into the page; everything else is painted with ``QPainter``.
Pages are laid out in logical pixels of an A4 landscape sheet at 96 dpi (1123 × 794).

Every file is written through ``QSaveFile`` (reliability DESK-R5): on any error the previous
file is untouched and :class:`OSError` says why.

Functions take a :class:`~qidesk.core.charting.ChartData` and a path, so that tests and
scripts can call ``export_pdf(data, path)`` without any window.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QIODevice, QMarginsF, QRectF, QSaveFile, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QImageWriter,
    QPageLayout,
    QPageSize,
    QPaintDevice,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QApplication, QWidget

from qidesk import __version__
from qidesk.core.chart_text import (
    assurance_label,
    definition_lines,
    preset_text,
    summary_text,
    variation_label,
)
from qidesk.core.charting import ChartData, ChartView
from qidesk.core.periods import format_date
from qidesk.core.spc.types import Preset
from qidesk.ui.charts import style
from qidesk.ui.charts.icons import paint_assurance_icon, paint_variation_icon
from qidesk.ui.charts.legend import legend_entries, legend_height, paint_legend
from qidesk.ui.charts.spc_plot import SpcPlot

#: an A4 landscape page in logical pixels (96 dpi)
PAGE = QSizeF(1123, 794)
MARGIN = 34.0
_FAMILIES = ["DejaVu Sans", "Segoe UI", "Arial", "Helvetica"]


def page_title(data: ChartData) -> str:
    """The title of an exported chart: the measure's name."""
    return data.measure.name


def _font(pixels: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(_FAMILIES)
    font.setPixelSize(max(6, round(pixels)))
    font.setBold(bold)
    font.setFeature(QFont.Tag("liga"), 0)  # keep "fi" searchable in PDF text
    return font


def _subtitle(data: ChartData) -> str:
    parts = [data.chart.label, f"{data.preset.value} rules"]
    if data.view is not ChartView.DEFAULT:
        parts.append(f"{data.view.value.capitalize()} view")
    return " · ".join(parts)


def _shows_icons(data: ChartData) -> bool:
    result = data.result
    return (
        result is not None
        and (data.view is ChartView.ASSURANCE or data.preset is Preset.MDC)
        and any(p.value is not None for p in result.points)
    )


def render_plot(painter: QPainter, rect: QRectF, data: ChartData) -> None:
    """Draw the chart area of ``data`` (no title, legend or text) into ``rect``.

    Vector on vector devices (PDF, SVG). Other page compositions (the coaching summary)
    use it to draw a chart exactly as the chart widget does.
    """
    plot = SpcPlot()
    try:
        plot.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        plot.set_header_visible(False)  # the page draws its own title, icons and legend
        plot.legend.hide()
        plot.info.hide()
        layout = plot.layout()
        if layout is not None:
            layout.setContentsMargins(0, 0, 0, 0)
        plot.resize(round(rect.width()), round(rect.height()))
        plot.show_chart(data)
        plot.show()
        QApplication.sendPostedEvents()  # lay the off-screen widget out (no user input runs)
        plot._relayout()
        scene = plot.plot_widget.scene()
        source = plot.plot_item.sceneBoundingRect()
        painter.save()
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        scene.render(painter, rect, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        painter.restore()
        if not plot.message.isHidden():
            painter.save()
            painter.setPen(QColor(style.TEXT))
            painter.setFont(_font(15))
            box = QRectF(rect.center().x() - 260, rect.center().y() - 50, 520, 100)
            painter.fillRect(box, QColor(style.GREY_5))
            painter.drawText(
                box.adjusted(12, 8, -12, -8),
                int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                plot.message.text(),
            )
            painter.restore()
    finally:
        plot.hide()
        plot.deleteLater()


def _wrapped_height(font: QFont, width: float, text: str) -> float:
    return (
        QFontMetricsF(font)
        .boundingRect(QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
        .height()
    )


def paint_chart_page(
    painter: QPainter, page: QRectF, data: ChartData, *, generated: date | None = None
) -> None:
    """Compose the whole exported page of ``data`` inside ``page`` (logical pixels)."""
    generated = generated or date.today()
    area = page.adjusted(MARGIN, MARGIN * 0.8, -MARGIN, -MARGIN * 0.7)
    painter.save()
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    painter.fillRect(page, QColor(style.WHITE))
    ink = QColor(style.TEXT)

    # title block, with the icons on the right
    title_font, sub_font = _font(22, bold=True), _font(13)
    icons: list[tuple[str, object]] = []
    if _shows_icons(data):
        assert data.result is not None
        icons.append(("variation", data.result.icons.variation_type))
        if data.result.icons.assurance_type is not None and data.chart.has_limits:
            icons.append(("assurance", data.result.icons.assurance_type))
    icon_w = 300.0 if icons else 0.0
    painter.setFont(title_font)
    painter.setPen(ink)
    title_h = QFontMetricsF(title_font).height()
    painter.drawText(
        QRectF(area.left(), area.top(), area.width() - icon_w, title_h),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        QFontMetricsF(title_font).elidedText(
            page_title(data), Qt.TextElideMode.ElideRight, area.width() - icon_w
        ),
    )
    painter.setFont(sub_font)
    painter.setPen(QColor(style.GREY_1))
    sub_h = QFontMetricsF(sub_font).height()
    painter.drawText(
        QRectF(area.left(), area.top() + title_h + 2, area.width() - icon_w, sub_h),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        _subtitle(data),
    )
    y = area.top() + title_h + sub_h + 8
    label_font = _font(12)
    for k, (kind, value) in enumerate(icons):
        box = QRectF(area.right() - icon_w, area.top() + k * 36, 32, 32)
        if kind == "variation":
            paint_variation_icon(painter, box, value, data.measure.direction)  # type: ignore[arg-type]
            text = variation_label(value, data.measure.direction)  # type: ignore[arg-type]
        else:
            paint_assurance_icon(painter, box, value)  # type: ignore[arg-type]
            text = assurance_label(value)  # type: ignore[arg-type]
        painter.setFont(label_font)
        painter.setPen(ink)
        painter.drawText(
            QRectF(box.right() + 8, box.top(), icon_w - 40, box.height()),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap),
            text,
        )
    y = max(y, area.top() + len(icons) * 36 + 4)

    # the text below the chart decides how tall the chart can be
    body_font, head_font = _font(11.5), _font(12, bold=True)
    column = (area.width() - 24) / 2
    definition = "\n".join(f"{label}: {text}" for label, text in definition_lines(data.measure))
    summary = summary_text(data)
    rules = preset_text(data)
    left_h = _wrapped_height(body_font, column, definition)
    right_h = (
        _wrapped_height(body_font, column, summary) + 6 + _wrapped_height(body_font, column, rules)
    )
    head_h = QFontMetricsF(head_font).height() + 4
    foot_h = QFontMetricsF(_font(10)).height() + 4
    entries = legend_entries(data)
    painter.setFont(body_font)
    legend_h = legend_height(entries, area.width(), QFontMetricsF(body_font))
    text_h = min(max(left_h, right_h) + head_h, area.height() * 0.42)
    plot_h = max(260.0, area.bottom() - y - legend_h - text_h - foot_h - 18)

    plot_rect = QRectF(area.left(), y, area.width(), plot_h)
    render_plot(painter, plot_rect, data)
    y = plot_rect.bottom() + 6
    painter.setFont(body_font)
    y += paint_legend(painter, QRectF(area.left(), y, area.width(), legend_h + 4), entries) + 8

    # definition (left) and what the chart shows (right)
    text_bottom = area.bottom() - foot_h - 4
    for x, heading, blocks in (
        (area.left(), "About this measure", [definition]),
        (area.left() + column + 24, "What the chart shows", [summary, rules]),
    ):
        painter.setFont(head_font)
        painter.setPen(QColor(style.NHS_DARK_BLUE))
        painter.drawText(QRectF(x, y, column, head_h), int(Qt.AlignmentFlag.AlignLeft), heading)
        painter.setFont(body_font)
        painter.setPen(ink)
        top = y + head_h
        for block in blocks:
            if not block or top >= text_bottom:
                continue
            box = QRectF(x, top, column, text_bottom - top)
            used = painter.drawText(
                box, int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), block
            )
            top = used.bottom() + 6

    painter.setFont(_font(10))
    painter.setPen(QColor(style.GREY_1))
    painter.drawText(
        QRectF(area.left(), area.bottom() - foot_h, area.width(), foot_h),
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
        f"Generated {format_date(generated)} by qidesk {__version__}",
    )
    painter.restore()


def render_image(data: ChartData, scale: float = 2.0, *, generated: date | None = None) -> QImage:
    """The composed page as a bitmap, ``scale`` device pixels per logical pixel, on white."""
    size = QSize(round(PAGE.width() * scale), round(PAGE.height() * scale))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(scale)
    image.setDotsPerMeterX(round(96 * scale / 0.0254))
    image.setDotsPerMeterY(round(96 * scale / 0.0254))
    image.fill(QColor(style.WHITE))
    painter = QPainter(image)
    try:
        paint_chart_page(
            painter, QRectF(0, 0, PAGE.width(), PAGE.height()), data, generated=generated
        )
    finally:
        painter.end()
    return image


def _save(path: Path, write: object) -> Path:
    """Run ``write(device)`` into a ``QSaveFile`` at ``path``; commit, or raise ``OSError``."""
    target = QSaveFile(str(path))
    if not target.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError(f"{path} cannot be written: {target.errorString()}")
    try:
        write(target)  # type: ignore[operator]
    except Exception:
        target.cancelWriting()
        target.commit()
        raise
    if not target.commit():
        raise OSError(f"{path} could not be saved: {target.errorString()}")
    return Path(path)


def export_png(
    data: ChartData, path: Path, scale: float = 2.0, *, generated: date | None = None
) -> Path:
    """Write the chart page as a PNG (twice the on-screen resolution by default)."""
    image = render_image(data, scale, generated=generated)

    def write(device: QSaveFile) -> None:
        writer = QImageWriter(device, b"png")
        writer.setText("Title", page_title(data))
        writer.setText("Description", summary_text(data))
        if not writer.write(image):
            raise OSError(f"{path} could not be written: {writer.errorString()}")

    return _save(path, write)


def export_svg(data: ChartData, path: Path, *, generated: date | None = None) -> Path:
    """Write the chart page as an SVG drawing (vector, text as text)."""

    def write(device: QSaveFile) -> None:
        generator = QSvgGenerator()
        generator.setOutputDevice(device)
        generator.setSize(PAGE.toSize())
        generator.setViewBox(QRectF(0, 0, PAGE.width(), PAGE.height()))
        generator.setResolution(96)
        generator.setTitle(page_title(data))
        generator.setDescription(summary_text(data))
        painter = QPainter(generator)
        try:
            paint_chart_page(
                painter, QRectF(0, 0, PAGE.width(), PAGE.height()), data, generated=generated
            )
        finally:
            painter.end()

    return _save(path, write)


def _paint_on(device: QPaintDevice, data: ChartData, generated: date | None) -> None:
    painter = QPainter(device)
    try:
        paint_chart_page(
            painter, QRectF(0, 0, device.width(), device.height()), data, generated=generated
        )
    finally:
        painter.end()


def export_pdf(data: ChartData, path: Path, *, generated: date | None = None) -> Path:
    """Write the chart page as a one-page A4 landscape PDF (vector, searchable text)."""

    def write(device: QSaveFile) -> None:
        writer = QPdfWriter(device)
        writer.setResolution(96)  # one device pixel per logical pixel: pens look as on screen
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Landscape,
                QMarginsF(0, 0, 0, 0),
                QPageLayout.Unit.Millimeter,
            )
        )
        writer.setTitle(page_title(data))
        writer.setCreator(f"qidesk {__version__}")
        _paint_on(writer, data, generated)

    return _save(path, write)


def export_to(kind: str, data: ChartData, path: Path) -> Path:
    """Export by kind: ``"png"``, ``"svg"`` or ``"pdf"``."""
    exporters = {"png": export_png, "svg": export_svg, "pdf": export_pdf}
    if kind not in exporters:
        raise ValueError(f"unknown export kind {kind!r}")
    return exporters[kind](data, path)


def copy_to_clipboard(pane: QWidget) -> QImage:
    """Put the composed page of ``pane``'s chart on the clipboard (as an image); returns it.

    ``pane`` is a :class:`~qidesk.ui.charts.chart_table.ChartPane` or an ``SpcPlot``
    (anything with the chart's ``data``).
    """
    data = getattr(pane, "data", None)
    if data is None:
        plot = getattr(pane, "plot", None)
        data = getattr(plot, "data", None)
    if data is None:
        raise ValueError("there is no chart to copy yet")
    image = render_image(data, 1.5)
    QGuiApplication.clipboard().setImage(image)
    return image
