"""The progress-score box: the team's IHI score beside the score the evidence suggests.

Everything it says comes from :mod:`qidesk.core.progress` (the suggestion, its reasons, the
disagreement and staleness sentences); the box only lays the words out. It makes clear that
the team decides: the suggestion is never applied without the "Apply suggestion…" button and a
confirmation.

The box says how tall it needs to be to show everything (:meth:`ScoreBox.height_for`), so the
panel can give it that room and the reasons are not cut off; when the panel is too short, the
two score columns scroll.
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.periods import format_date
from qidesk.core.progress import Suggestion, disagreement, stale_text
from qidesk.core.project import Project

TEAM_DECIDES = (
    "The team decides. The suggestion only reads what is recorded in qidesk (charter, measures, "
    "PDSA cycles, charts); it is a prompt for the coaching conversation and never changes the "
    "team's score by itself."
)


#: however short the panel, the score columns keep this many lines (then they scroll)
MIN_COLUMN_LINES = 6


def _label(name: str, *, bold: bool = False, size: float | None = None) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    style = []
    if bold:
        style.append("font-weight: bold;")
    if size:
        style.append(f"font-size: {size}pt;")
    if style:
        label.setStyleSheet(" ".join(style))
    return label


class ScoreBox(QFrame):
    """Team score | suggested score with reasons | the "team decides" note and Apply."""

    #: the user asked to apply the suggestion (the panel confirms before anything changes)
    apply_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_box")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("IHI progress score: the team's and the suggested")
        self.team_title = _label("team_score_title", bold=True)
        self.team_title.setText("The team's score")
        self.team_score = _label("team_score", bold=True, size=13)
        self.team_detail = _label("team_score_detail")
        self.stale = _label("score_stale")
        self.suggested_title = _label("suggested_title", bold=True)
        self.suggested_title.setText("Suggested from the evidence (advice only)")
        self.suggested_score = _label("suggested_score", bold=True, size=13)
        self.next_step = _label("suggested_next")
        self.phase = _label("suggested_phase")
        self.reasons = _label("suggested_reasons")
        self.reasons.setTextFormat(Qt.TextFormat.RichText)
        self.disagreement = _label("score_disagreement")
        self.note = _label("team_decides")
        self.note.setText(TEAM_DECIDES)
        self.note.setStyleSheet("color: #425563;")
        self.apply_button = QPushButton("Apply suggestion…")
        self.apply_button.setObjectName("apply_suggestion")
        self.apply_button.setToolTip(
            "Set the team's score and phase to the suggestion, after you confirm (Undo reverses it)"
        )
        self.apply_button.setAccessibleName("Apply the suggested score")
        self.apply_button.clicked.connect(self.apply_requested)

        team = QVBoxLayout()
        team.setSpacing(4)
        for w in (self.team_title, self.team_score, self.team_detail, self.stale):
            team.addWidget(w)
        team.addStretch(1)
        suggested = QVBoxLayout()
        suggested.setSpacing(4)
        for w in (self.suggested_title, self.suggested_score, self.next_step, self.phase):
            suggested.addWidget(w)
        suggested.addStretch(1)
        columns = QWidget()
        columns.setObjectName("score_columns_inner")
        self.columns = columns
        grid = QGridLayout(columns)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(8)
        grid.addLayout(team, 0, 0)
        grid.addLayout(suggested, 0, 1)
        # the reasons run under both columns: full lines, so the list takes fewer of them
        grid.addWidget(self.reasons, 1, 0, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        scroll = QScrollArea()
        scroll.setObjectName("score_columns")
        scroll.setAccessibleName("The team's score and the suggested score, with the reasons")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(columns)
        self.columns_area = scroll
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.apply_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._bottom = bottom
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.disagreement)
        layout.addLayout(bottom)
        self._layout = layout

    def height_for(self, width: int, *, columns_at_most: int | None = None) -> int:
        """How tall the box must be at ``width`` to show everything without scrolling.

        With ``columns_at_most``, the score columns count for at most that height (they scroll).
        """
        layout = self._layout
        outer = self.contentsMargins()
        inner = layout.contentsMargins()
        room = width - outer.left() - outer.right() - inner.left() - inner.right()
        columns = self.columns.heightForWidth(room)
        if columns_at_most is not None:
            columns = min(columns, columns_at_most)
        parts = [columns]
        if not self.disagreement.isHidden():
            parts.append(self.disagreement.heightForWidth(room))
        parts.append(self._bottom.totalHeightForWidth(room))
        return (
            sum(parts)
            + layout.spacing() * (len(parts) - 1)
            + outer.top() + outer.bottom() + inner.top() + inner.bottom()
        )  # fmt: skip

    def minimumSizeHint(self) -> QSize:
        """Room for the note, the disagreement and a few lines of the scores (which scroll)."""
        hint = super().minimumSizeHint()
        lines = self.fontMetrics().lineSpacing() * MIN_COLUMN_LINES
        width = self.width() if self.width() > hint.width() else max(hint.width(), 600)
        return QSize(
            hint.width(), max(hint.height(), self.height_for(width, columns_at_most=lines))
        )

    def show_scores(self, project: Project, suggestion: Suggestion, today: date) -> None:
        """Show the team's score of ``project`` beside ``suggestion``."""
        score = project.score
        if score is None:
            self.team_score.setText("Not scored yet")
            self.team_detail.setText(f"Phase: {project.phase.label}")
        else:
            self.team_score.setText(f"{score.value:.1f} – {score.label}")
            who = f" by {score.set_by}" if score.set_by.strip() else ""
            when = f" on {format_date(score.set_on)}" if score.set_on else ""
            detail = [f"Phase: {project.phase.label}"]
            if who or when:
                detail.append(f"Set{who}{when}.")
            if score.evidence.strip():
                detail.append(f"Evidence: {score.evidence.strip()}")
            self.team_detail.setText("\n".join(detail))
        stale = stale_text(score.set_on, today) if score is not None else None
        self.stale.setText(f"⚠ {stale}" if stale else "")
        self.stale.setVisible(bool(stale))
        self.suggested_score.setText(suggestion.heading)
        self.next_step.setText(suggestion.next_step or "This is the top of the scale.")
        self.phase.setText(f"Suggested phase: {suggestion.phase.label}, {suggestion.phase_reason}.")
        self.reasons.setText(_reasons_html(suggestion))
        gap = disagreement(score.value if score is not None else None, suggestion)
        self.disagreement.setText(gap or "The team's score and the suggestion agree.")
        self.apply_button.setEnabled(
            score is None or score.value != suggestion.score or project.phase != suggestion.phase
        )

    def text(self) -> str:
        """Everything the box says, as plain text (for tests and screen readers)."""
        parts = [
            self.team_title.text(),
            self.team_score.text(),
            self.team_detail.text(),
            self.stale.text(),
            self.suggested_title.text(),
            self.suggested_score.text(),
            self.next_step.text(),
            self.phase.text(),
            self.reasons.text(),
            self.disagreement.text(),
            self.note.text(),
        ]
        return "\n".join(p for p in parts if p)


def _reasons_html(s: Suggestion) -> str:
    items = "".join(f"<li>{escape(r)}</li>" for r in s.reasons)
    notes = "".join(f"<p>{escape(n)}</p>" for n in s.notes)
    why = f"<p style='margin: 0'><b>Why {s.score:.1f}:</b></p>"
    return (
        f"{why}<ul style='margin-top: 2px; margin-bottom: 0; margin-left: 0px; -qt-list-indent: 1'>"
        f"{items}</ul>{notes}"
    )
