"""Widgets that never force the PDSA panel wide: an elided heading and compact combo boxes.

On a 1366-px ward PC beside the project dock, a long cycle title or change-idea name must not
make the panel (and so the window) wider than the screen. The heading shortens itself with "…";
its whole text stays available as the tooltip, as the accessible name (a screen reader reads it
in full) and from :meth:`ElidedHeading.text`. A compact combo box asks for a few characters of
width; its drop-down list still shows every entry in full.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QComboBox, QLabel, QSizePolicy, QWidget


class ElidedHeading(QLabel):
    """A bold one-line label, elided at the right when it does not fit."""

    def __init__(self, parent: QWidget | None = None, *, point_size: float = 12.0) -> None:
        super().__init__(parent)
        self.setStyleSheet(f"font-size: {point_size:g}pt; font-weight: bold;")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

    def setText(self, text: str) -> None:
        """Show ``text`` (elided when narrow); the tooltip and accessible name keep all of it."""
        super().setText(text)
        self.setToolTip(text)
        self.setAccessibleName(text)

    def is_elided(self) -> bool:
        """True when the text is cut short at the current width."""
        width = self.contentsRect().width()
        return self.fontMetrics().horizontalAdvance(self.text()) > width

    def minimumSizeHint(self) -> QSize:
        """A few characters wide: never what keeps the panel wide."""
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance("M" * 6), metrics.height())

    def sizeHint(self) -> QSize:
        """The whole text on one line."""
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self.text()) + 4, metrics.height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: ARG002
        """Draw the text, elided at the right if need be."""
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.end()


def compact_combo(combo: QComboBox, chars: int) -> QComboBox:
    """Let ``combo`` shrink to about ``chars`` characters (its list still shows whole entries)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    return combo
