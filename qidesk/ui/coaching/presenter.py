"""The coaching view for a projector: the project in large type, one slide at a time.

Slides (from a :class:`~qidesk.services.coaching.ProjectBrief`; nothing is computed here):

1. the project: title, where, team, the team's score and the suggested one;
2. "What are we trying to accomplish?" — the aim statement (and the problem);
3. "How will we know that a change is an improvement?" — each measure with its latest signal
   in words, and small charts;
4. one slide per key chart (up to four), large, with what it says now;
5. "What change can we make that will result in improvement?" — the change ideas of the
   driver diagram with their status and the PDSA ramps testing them (scales, latest Act);
6. open actions from coaching sessions (overdue ones marked in words);
7. the latest story of impact, when there is one.

Keys: Page Down, →, ↓ or Space for the next slide; Page Up, ←, ↑ or Backspace for the
previous one; Home/End for the first/last; F11 toggles full screen; Esc leaves full screen
(and closes the window when it is not full screen); F5 reloads the project. Type scales with
the window height so that it stays readable from the back of a room.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.charting import ChartData
from qidesk.core.periods import format_date
from qidesk.services.coaching import MeasureBrief, ProjectBrief

Q_AIM = "What are we trying to accomplish?"
Q_MEASURES = "How will we know that a change is an improvement?"
Q_CHANGES = "What change can we make that will result in improvement?"
KEYS_HELP = "PgDn / → next · PgUp / ← back · F11 full screen · Esc leave · F5 reload"
_NEXT = {Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space}
_BACK = {Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace}


def _chart_widget(data: ChartData, *, compact: bool) -> QWidget:
    """The chart widgets' own plot of ``data`` (a plain note when they are not available)."""
    try:
        from qidesk.ui.charts.spc_plot import SpcPlot
    except ImportError:  # the chart widgets are not part of this build
        note = QLabel(f"Chart of {data.measure.name}")
        note.setProperty("slideRole", "small")
        return note
    plot = SpcPlot(compact=compact)
    plot.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the arrow keys page the slides
    hint = getattr(plot, "info", None)  # "Tab to the chart…": no keyboard reading here
    if isinstance(hint, QWidget):
        hint.hide()
    plot.show_chart(data)
    plot.setMinimumHeight(160 if compact else 320)
    return plot


class Slide(QWidget):
    """One slide: a title and a column of text and charts."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setObjectName("slide")
        self.setAccessibleName(title)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(48, 32, 48, 16)
        self.body.setSpacing(14)
        self._texts: list[str] = []
        self.add_text(title, "title")

    def add_text(self, text: str, role: str = "body") -> QLabel:
        """Add a wrapped label in one of the type roles: title, big, body, small."""
        label = QLabel(text)
        label.setProperty("slideRole", role)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.body.addWidget(label)
        self._texts.append(text)
        return label

    def mention(self, text: str) -> None:
        """Count ``text`` as part of the slide's words without showing it (a chart shows it)."""
        self._texts.append(text)

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """Add a chart or a group of charts."""
        self.body.addWidget(widget, stretch)

    def finish(self) -> None:
        """Push everything up (call after the last item)."""
        self.body.addStretch(1)

    def text(self) -> str:
        """Every text on the slide, one per line (for tests and screen readers)."""
        return "\n".join(self._texts)


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def title_slide(brief: ProjectBrief) -> Slide:
    """The project, where it runs, the team, and the two scores."""
    p = brief.project
    slide = Slide(p.title)
    where = " · ".join(x for x in (p.division, p.directorate, p.ward) if x.strip())
    slide.add_text(f"{p.work_type.label}{' · ' + where if where else ''}", "small")
    lead = [m.name for m in p.team if m.role.value == "lead"]
    coach = [m.name for m in p.team if m.role.value == "qi_coach"]
    if lead:
        slide.add_text(f"Project lead: {', '.join(lead)}")
    if coach:
        slide.add_text(f"QI coach: {', '.join(coach)}")
    slide.add_text(f"Phase: {p.phase.label}")
    team = f"{p.score.value:.1f} – {p.score.label}" if p.score else "not set yet"
    slide.add_text(f"The team's progress score: {team}")
    slide.add_text(
        f"Suggested from the evidence: {brief.suggestion.heading} (advice; the team decides)",
        "small",
    )
    slide.finish()
    return slide


def aim_slide(brief: ProjectBrief) -> Slide:
    """The first question, answered with the aim statement."""
    slide = Slide(Q_AIM)
    slide.add_text(brief.aim or "No aim written yet: the charter is the place to write it.", "big")
    missing = brief.project.aim.lacks()
    if missing and brief.aim:
        slide.add_text("The aim still needs to " + "; ".join(missing) + ".", "small")
    if brief.project.problem.strip():
        slide.add_text(f"Why: {brief.project.problem.strip()}", "small")
    slide.finish()
    return slide


def measures_slide(brief: ProjectBrief) -> Slide:
    """The second question: the measures, what each shows now, and small charts."""
    slide = Slide(Q_MEASURES)
    if not brief.measures:
        slide.add_text("No measures defined yet. Start with one outcome measure for the aim.")
        slide.finish()
        return slide
    for m in brief.ordered_measures:
        slide.add_text(f"• {m.measure.name} ({m.measure.measure_type.label.lower()})", "body")
        slide.add_text(f"   {m.latest}", "small")
    grid = QWidget()
    layout = QGridLayout(grid)
    layout.setContentsMargins(0, 0, 0, 0)
    for i, m in enumerate(brief.key_measures):
        name = QLabel(m.measure.name)
        name.setProperty("slideRole", "caption")
        name.setWordWrap(True)
        name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        layout.addWidget(name, 0, i)
        layout.addWidget(_chart_widget(m.chart, compact=True), 1, i)
    layout.setRowStretch(1, 1)
    slide.add_widget(grid, 1)
    return slide


def chart_slide(measure: MeasureBrief) -> Slide:
    """One key chart, large, with what it shows now."""
    slide = Slide(f"{measure.measure.measure_type.label} measure")
    slide.mention(measure.measure.name)  # the chart shows the name as its own title
    slide.add_widget(_chart_widget(measure.chart, compact=False), 1)
    slide.add_text(measure.latest, "body")
    return slide


def changes_slide(brief: ProjectBrief) -> Slide:
    """The third question: change ideas with their status and the ramps that test them."""
    slide = Slide(Q_CHANGES)
    if brief.change_ideas:
        for idea in brief.change_ideas:
            status = f" — {idea.status}" if idea.status else ""
            slide.add_text(f"• {idea.text}{status}", "body")
            for ramp in idea.ramps:
                slide.add_text(f"   {ramp}", "small")
    elif brief.ramps:
        from qidesk.core.coaching import ramp_line

        slide.add_text(_bullets([ramp_line(r) for r in brief.ramps]))
    else:
        slide.add_text(
            "No change ideas recorded yet. Add them to the driver diagram, then test them in "
            "small PDSA cycles."
        )
    untested = [i for i in brief.change_ideas if not i.ramps]
    if brief.change_ideas and untested:
        slide.add_text(
            f"{len(untested)} of {len(brief.change_ideas)} change ideas have no PDSA cycle yet.",
            "small",
        )
    slide.finish()
    return slide


def actions_slide(brief: ProjectBrief) -> Slide:
    """Open actions from the coaching sessions, soonest due first."""
    slide = Slide("Open actions")
    if not brief.open_actions:
        slide.add_text("No open actions.")
    for item in brief.open_actions:
        flag = "OVERDUE: " if item.overdue(brief.today) else ""
        slide.add_text(f"• {flag}{item.describe()}")
    slide.finish()
    return slide


def story_slide(brief: ProjectBrief) -> Slide | None:
    """The latest story of impact (``None`` when there is none)."""
    story = brief.latest_story
    if story is None:
        return None
    slide = Slide(f"{story.kind.label}: {story.title}")
    slide.add_text(story.text.strip(), "big")
    slide.add_text(format_date(story.told_on), "small")
    slide.finish()
    return slide


def build_slides(brief: ProjectBrief) -> list[Slide]:
    """Every slide of the coaching view, in order."""
    slides = [title_slide(brief), aim_slide(brief), measures_slide(brief)]
    slides += [chart_slide(m) for m in brief.key_measures if m.chart.result is not None]
    slides += [changes_slide(brief), actions_slide(brief)]
    story = story_slide(brief)
    if story is not None:
        slides.append(story)
    return slides


class PresenterWindow(QWidget):
    """A top-level window that pages through the slides of one project (F11: full screen)."""

    #: the slide shown changed (its index)
    slide_changed = Signal(int)

    def __init__(
        self, load_brief: Callable[[], ProjectBrief], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("coachingView")
        self._load = load_brief
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        self.footer = QLabel()
        self.footer.setProperty("slideRole", "footer")
        self.back_button = QPushButton("◀ Back")
        self.next_button = QPushButton("Next ▶")
        for button in (self.back_button, self.next_button):
            button.setObjectName("slideButton")
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.previous_slide)
        self.next_button.clicked.connect(self.next_slide)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(48, 4, 48, 12)
        bottom.addWidget(self.footer, 1)
        bottom.addWidget(self.back_button)
        bottom.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        self.slides: list[Slide] = []
        self.resize(1280, 800)
        self.reload()
        self._apply_scale()

    # ------------------------------------------------------------------ content
    def reload(self) -> None:
        """Read the project again and rebuild the slides (stays on the same slide number)."""
        index = self.stack.currentIndex()
        brief = self._load()
        for slide in self.slides:
            self.stack.removeWidget(slide)
            slide.deleteLater()
        self.slides = build_slides(brief)
        for slide in self.slides:
            self.stack.addWidget(slide)
        self.setWindowTitle(f"Coaching view — {brief.project.title}")
        self.show_slide(max(0, min(index, len(self.slides) - 1)))

    @property
    def current(self) -> int:
        """The index of the slide shown."""
        return self.stack.currentIndex()

    def slide_titles(self) -> list[str]:
        """The title of every slide, in order."""
        return [s.title for s in self.slides]

    def show_slide(self, index: int) -> None:
        """Show slide ``index`` (clamped to the slides there are)."""
        index = max(0, min(index, len(self.slides) - 1))
        self.stack.setCurrentIndex(index)
        total = len(self.slides)
        self.footer.setText(f"Slide {index + 1} of {total} · {KEYS_HELP}")
        self.back_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < total - 1)
        self.setAccessibleDescription(self.slides[index].text())
        self.slide_changed.emit(index)

    def next_slide(self) -> None:
        """Go one slide on."""
        self.show_slide(self.current + 1)

    def previous_slide(self) -> None:
        """Go one slide back."""
        self.show_slide(self.current - 1)

    # ------------------------------------------------------------------ keys and size
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Page with the keys in the module docstring; F11 and Esc for full screen."""
        key = event.key()
        if key in _NEXT:
            self.next_slide()
        elif key in _BACK:
            self.previous_slide()
        elif key == Qt.Key.Key_Home:
            self.show_slide(0)
        elif key == Qt.Key.Key_End:
            self.show_slide(len(self.slides) - 1)
        elif key == Qt.Key.Key_F11:
            self.toggle_full_screen()
        elif key == Qt.Key.Key_F5:
            self.reload()
        elif key == Qt.Key.Key_Escape:
            if self.isFullScreen():
                self.showNormal()
            else:
                self.close()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def toggle_full_screen(self) -> None:
        """Full screen on or off."""
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Scale the type with the window height."""
        super().resizeEvent(event)
        self._apply_scale()

    def _apply_scale(self) -> None:
        base = max(16, round(self.height() / 30))  # 36 px text on a 1080-line projector
        self.setStyleSheet(
            f"""
            #coachingView {{ background: #ffffff; }}
            QLabel[slideRole="title"] {{ color: #005eb8; font-size: {round(base * 1.45)}px;
                font-weight: bold; }}
            QLabel[slideRole="big"] {{ color: #212b32; font-size: {round(base * 1.3)}px; }}
            QLabel[slideRole="body"] {{ color: #212b32; font-size: {base}px; }}
            QLabel[slideRole="small"] {{ color: #4c6272; font-size: {round(base * 0.78)}px; }}
            QLabel[slideRole="caption"] {{ color: #212b32; font-size: {round(base * 0.55)}px;
                font-weight: bold; }}
            QLabel[slideRole="footer"] {{ color: #4c6272; font-size: {round(base * 0.5)}px; }}
            QPushButton#slideButton {{ font-size: {round(base * 0.5)}px; padding: 4px 14px; }}
            """
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Leave full screen before closing (so the next window opens normally)."""
        if self.isFullScreen():
            self.showNormal()
        super().closeEvent(event)
