"""Exports of the diagram: PNG, SVG, PDF (A4/A3 landscape, vector), print, and the outline.

PDF and SVG keep boxes, lines and text as vectors (the text stays searchable and copyable).
A page shows the project title, the diagram scaled to fit, and a footer with the date. Selection
outlines and an open text editor are hidden while rendering.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QByteArray, QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QImageWriter,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from qidesk import __version__
from qidesk.ui.diagram.scene import DiagramScene


class PageSize(StrEnum):
    """Paper sizes offered for PDF export (always landscape)."""

    A4 = "A4"
    A3 = "A3"

    @property
    def qt(self) -> QPageSize:
        """The Qt page size."""
        return QPageSize(
            QPageSize.PageSizeId.A4 if self is PageSize.A4 else QPageSize.PageSizeId.A3
        )


@contextmanager
def clean_render(scene: DiagramScene) -> Iterator[QRectF]:
    """Hide selection, link-mode outline and the editor while rendering; yield what to draw."""
    selected = list(scene.selectedItems())
    for item in selected:
        item.setSelected(False)
    targets = [i for i in scene.nodes.values() if i.link_target]
    for item in targets:
        item.link_target = False
    editor = scene.editor
    if editor is not None:
        editor.hide()
    try:
        yield scene.drawing_rect().adjusted(-12, -12, 12, 12)
    finally:
        if editor is not None:
            editor.show()
        for item in targets:
            item.link_target = True
        for item in selected:
            item.setSelected(True)


def render_image(scene: DiagramScene, scale: float = 2.0) -> QImage:
    """The diagram as a bitmap at ``scale`` pixels per scene unit, on white."""
    with clean_render(scene) as source:
        size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.setDotsPerMeterX(round(96 * scale / 0.0254))
        image.setDotsPerMeterY(round(96 * scale / 0.0254))
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        try:
            painter.setRenderHints(
                QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
            )
            scene.render(painter, QRectF(image.rect()), source)
        finally:
            painter.end()
    return image


def export_png(scene: DiagramScene, path: Path, scale: float = 2.0) -> Path:
    """Write the diagram as a PNG (twice the on-screen resolution by default)."""
    writer = QImageWriter(str(path), QByteArray(b"png"))
    if not writer.write(render_image(scene, scale)):
        raise OSError(writer.errorString())
    return path


def export_svg(scene: DiagramScene, path: Path, title: str = "") -> Path:
    """Write the diagram as an SVG drawing (vector)."""
    with clean_render(scene) as source:
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(source.size().toSize())
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        generator.setTitle(title or "Driver diagram")
        generator.setDescription(f"Driver diagram exported by qidesk {__version__}")
        painter = QPainter(generator)
        try:
            scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
        finally:
            painter.end()
    return path


def paint_pages(device: QPagedPaintDevice, scene: DiagramScene, title: str) -> None:
    """Draw the titled diagram on one page of ``device`` (a PDF writer or a printer)."""
    painter = QPainter(device)
    try:
        page = QRectF(device.pageLayout().paintRectPixels(device.logicalDpiX()))
        page.moveTo(0, 0)
        heading = QFont()
        heading.setFamilies(["DejaVu Sans", "Segoe UI", "Arial"])
        heading.setPointSizeF(14)
        heading.setBold(True)
        heading.setFeature(QFont.Tag("liga"), 0)
        small = QFont(heading)
        small.setPointSizeF(8)
        small.setBold(False)
        painter.setFont(heading)
        painter.setPen(QColor("#212b32"))
        line = painter.fontMetrics().height()
        painter.drawText(
            QRectF(page.left(), page.top(), page.width(), line * 1.4),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            f"Driver diagram: {title}" if title else "Driver diagram",
        )
        painter.setFont(small)
        foot = painter.fontMetrics().height()
        painter.drawText(
            QRectF(page.left(), page.bottom() - foot, page.width(), foot),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"qidesk {__version__} · {date.today().strftime('%d %B %Y').lstrip('0')}",
        )
        target = QRectF(
            page.left(),
            page.top() + line * 1.8,
            page.width(),
            page.height() - line * 1.8 - foot * 2,
        )
        painter.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        with clean_render(scene) as source:
            scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.end()


def export_pdf(
    scene: DiagramScene, path: Path, page: PageSize = PageSize.A4, title: str = ""
) -> Path:
    """Write the diagram on one landscape page of ``page`` size (vector PDF)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            page.qt,
            QPageLayout.Orientation.Landscape,
            QMarginsF(12, 12, 12, 12),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(f"Driver diagram: {title}" if title else "Driver diagram")
    writer.setCreator(f"qidesk {__version__}")
    paint_pages(writer, scene, title)
    return path


def print_diagram(scene: DiagramScene, parent: QWidget | None, title: str = "") -> bool:
    """Ask for a printer (landscape by default) and print; False when cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setDocName(f"Driver diagram: {title}" if title else "Driver diagram")
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print driver diagram")
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return False
    paint_pages(printer, scene, title)
    return True


def write_outline(path: Path, text: str) -> Path:
    """Write an outline (text or Markdown) as UTF-8."""
    Path(path).write_text(text, encoding="utf-8")
    return path


def page_size_mm(page: PageSize) -> QSizeF:
    """The landscape size of ``page`` in millimetres (for messages and tests)."""
    return page.qt.size(QPageSize.Unit.Millimeter).transposed()
