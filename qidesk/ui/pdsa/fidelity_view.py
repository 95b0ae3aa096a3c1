"""Coaching notes for the whole project: the fidelity summary and every cycle's flags.

Shows :class:`~qidesk.core.fidelity.ProjectFidelity` as sentences for a coach, then one line per
flag naming its cycle; activating a line opens that cycle. Read-only.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from qidesk.core.fidelity import ProjectFidelity

_INTRO = (
    "These notes point at places where the cycles drift from the PDSA method: predictions, "
    "measures, data over time, small first tests, iterating and closing cycles. They are "
    "prompts for a coaching conversation, not a score of the team."
)


class FidelityView(QWidget):
    """The project's fidelity summary and flag list (double-click or Enter opens the cycle)."""

    #: the user chose the cycle of a flag (its id)
    cycle_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel(_INTRO)
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #4c6272;")
        self.summary = QLabel()
        self.summary.setObjectName("pdsa_fidelity_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.flags = QListWidget()
        self.flags.setObjectName("pdsa_fidelity_flags")
        self.flags.setAccessibleName("Coaching notes by cycle")
        self.flags.setWordWrap(True)
        self.flags.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.flags, 1)

    def show_fidelity(self, fidelity: ProjectFidelity, titles: Mapping[str, str]) -> None:
        """Show ``fidelity``; ``titles`` maps a cycle id to how the cycle is named."""
        lines = fidelity.summary()
        self.summary.setText("\n".join(lines))
        self.summary.setAccessibleName(" ".join(lines))
        self.flags.clear()
        if not fidelity.flags:
            item = QListWidgetItem("No coaching notes on any cycle.")
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.flags.addItem(item)
            return
        shown: str | None = None
        bold = self.flags.font()
        bold.setBold(True)
        for flag in fidelity.flags:
            if flag.cycle_id != shown:
                shown = flag.cycle_id
                head = QListWidgetItem(titles.get(flag.cycle_id, "A cycle"))
                head.setFont(bold)
                head.setData(Qt.ItemDataRole.UserRole, flag.cycle_id)
                head.setToolTip("Press Enter or double-click to open this cycle")
                self.flags.addItem(head)
            item = QListWidgetItem(f"    ⚑ {flag.title}: {flag.detail}")
            item.setToolTip(flag.explanation)
            item.setData(Qt.ItemDataRole.UserRole, flag.cycle_id)
            self.flags.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        cycle_id = item.data(Qt.ItemDataRole.UserRole)
        if cycle_id:
            self.cycle_chosen.emit(str(cycle_id))
