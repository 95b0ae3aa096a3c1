"""The coaching panel's two forms: a coaching session (with its actions) and a story of impact.

Each form shows one value and builds a new one from what was typed (:meth:`draft`); it never
saves. The panel compares the draft with what is stored and pushes one undo command.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from qidesk.core.coaching import (
    DIAGRAM,
    CoachingSession,
    Story,
    StoryKind,
    parse_attendees,
)
from qidesk.core.measures import Measure
from qidesk.ui.coaching.actions_table import ActionsTable


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


class SessionForm(QWidget):
    """Date, coach, attendees, notes and actions of one coaching session."""

    #: emitted whenever the user changes anything
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.held_on = _date_edit("Session date")
        self.coach = QLineEdit()
        self.coach.setAccessibleName("Coach")
        self.coach.setPlaceholderText("Who coached")
        self.attendees = QLineEdit()
        self.attendees.setAccessibleName("Attendees")
        self.attendees.setPlaceholderText("Names, separated by commas")
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("What was discussed, what the data show, what was agreed")
        self.notes.setTabChangesFocus(True)
        self.notes.setMinimumHeight(90)
        self.actions_table = ActionsTable()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Date", self.held_on)
        form.addRow("&Coach", self.coach)
        form.addRow("A&ttendees", self.attendees)
        form.addRow("&Notes", self.notes)
        actions_label = QLabel("&Actions")
        actions_label.setBuddy(self.actions_table.view)
        form.addRow(actions_label, self.actions_table)
        self.held_on.dateChanged.connect(self.edited)
        self.coach.textEdited.connect(self.edited)
        self.attendees.textEdited.connect(self.edited)
        self.notes.textChanged.connect(self.edited)
        self.actions_table.edited.connect(self.edited)

    def load(self, session: CoachingSession) -> None:
        """Show ``session`` without emitting :attr:`edited`."""
        self.blockSignals(True)
        try:
            self.held_on.setDate(_qdate(session.held_on))
            self.coach.setText(session.coach)
            self.attendees.setText(", ".join(session.attendees))
            self.notes.setPlainText(session.notes)
            self.actions_table.set_items(session.actions)
        finally:
            self.blockSignals(False)

    def draft(self, base: CoachingSession) -> CoachingSession:
        """``base`` with everything the form shows."""
        return base.with_changes(
            held_on=_pydate(self.held_on.date()),
            coach=self.coach.text().strip(),
            attendees=parse_attendees(self.attendees.text()),
            notes=self.notes.toPlainText(),
            actions=tuple(
                a.with_changes(text=a.text.strip(), owner=a.owner.strip())
                for a in self.actions_table.items()
            ),
        )

    def free_text(self) -> list[tuple[str, str, QWidget]]:
        """Free-text fields as ``(label, text, widget)`` for the patient-identifier guard."""
        fields: list[tuple[str, str, QWidget]] = [
            ("Coach", self.coach.text(), self.coach),
            ("Attendees", self.attendees.text(), self.attendees),
            ("Notes", self.notes.toPlainText(), self.notes),
        ]
        for i, a in enumerate(self.actions_table.items(), start=1):
            fields.append((f"Action {i}", a.text, self.actions_table.view))
            fields.append((f"Action {i}: owner", a.owner, self.actions_table.view))
        return fields


class StoryForm(QWidget):
    """Date, kind, title, text and attachment of one story of impact."""

    #: emitted whenever the user changes anything
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.told_on = _date_edit("Story date")
        self.kind = QComboBox()
        self.kind.setAccessibleName("Whose story")
        for kind in StoryKind:
            self.kind.addItem(kind.label, kind)
        self.title = QLineEdit()
        self.title.setAccessibleName("Story title")
        self.title.setPlaceholderText("A short title, e.g. “Home in time for her birthday”")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Story")
        self.text.setPlaceholderText(
            "What changed, for whom, and what it meant to them. No names or patient details."
        )
        self.text.setTabChangesFocus(True)
        self.attachment = QComboBox()
        self.attachment.setAccessibleName("Attach a chart or the driver diagram")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Date", self.told_on)
        form.addRow("&Whose story", self.kind)
        form.addRow("&Title", self.title)
        form.addRow("St&ory", self.text)
        form.addRow("Atta&ch", self.attachment)
        self.told_on.dateChanged.connect(self.edited)
        self.kind.currentIndexChanged.connect(self.edited)
        self.title.textEdited.connect(self.edited)
        self.text.textChanged.connect(self.edited)
        self.attachment.currentIndexChanged.connect(self.edited)

    def set_measures(self, measures: list[Measure]) -> None:
        """Offer "nothing", the driver diagram and the chart of each of ``measures``."""
        self.blockSignals(True)
        try:
            current = self.attachment.currentData()
            self.attachment.clear()
            self.attachment.addItem("Nothing attached", None)
            self.attachment.addItem("The driver diagram", DIAGRAM)
            for m in measures:
                self.attachment.addItem(f"Chart: {m.name}", m.id)
            self.attachment.setCurrentIndex(max(0, self.attachment.findData(current)))
        finally:
            self.blockSignals(False)

    def load(self, story: Story) -> None:
        """Show ``story`` without emitting :attr:`edited`."""
        self.blockSignals(True)
        try:
            self.told_on.setDate(_qdate(story.told_on))
            self.kind.setCurrentIndex(max(0, self.kind.findData(story.kind)))
            self.title.setText(story.title)
            self.text.setPlainText(story.text)
            index = self.attachment.findData(story.attachment)
            if index < 0 and story.attachment is not None:  # a chart no longer offered
                self.attachment.addItem("Chart of a deleted measure", story.attachment)
                index = self.attachment.count() - 1
            self.attachment.setCurrentIndex(max(0, index))
        finally:
            self.blockSignals(False)

    def draft(self, base: Story) -> Story:
        """``base`` with everything the form shows."""
        kind = self.kind.currentData()
        return base.with_changes(
            told_on=_pydate(self.told_on.date()),
            kind=StoryKind(str(kind)) if kind else StoryKind.TEAM,
            title=self.title.text().strip(),
            text=self.text.toPlainText(),
            attachment=self.attachment.currentData(),
        )

    def free_text(self) -> list[tuple[str, str, QWidget]]:
        """Free-text fields as ``(label, text, widget)`` for the patient-identifier guard."""
        return [
            ("Title", self.title.text(), self.title),
            ("Story", self.text.toPlainText(), self.text),
        ]
