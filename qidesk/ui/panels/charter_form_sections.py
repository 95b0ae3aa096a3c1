"""The sections of the charter form: grouped boxes of labelled fields, in visual (= tab) order.

Each section only builds and names its widgets; :class:`~qidesk.ui.panels.charter_form.CharterForm`
moves values in and out of them. Every field gets a label whose buddy is the field, and an
accessible name.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.project import (
    PROGRESS_SCORES,
    EvaluationLevel,
    Involvement,
    JourneyPhase,
    Status,
    WorkType,
)
from qidesk.ui.panels.charter_fields import CheckedField, OptionalDateEdit, plain_text_edit
from qidesk.ui.panels.team_table import TeamTable


def combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    """A combo box named ``name`` holding ``(text, value)`` items."""
    box = QComboBox()
    box.setAccessibleName(name)
    for text, value in items:
        box.addItem(text, value)
    return box


def enum_combo(name: str, enum: type[StrEnum]) -> QComboBox:
    """A combo box of every member of a qidesk enum, shown by its ``label``."""
    return combo(name, [(member.label, member) for member in enum])  # type: ignore[attr-defined]


def line(name: str, placeholder: str = "") -> QLineEdit:
    """A one-line text box named ``name``."""
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def score_text(value: float) -> str:
    """How a score appears in the score list, e.g. ``"3.0 – Modest improvement"``."""
    meaning = PROGRESS_SCORES.get(value, "not on the IHI scale")
    return f"{value:.1f} – {meaning}"


class Section(QGroupBox):
    """A titled box of labelled rows; remembers its labels and its checked fields."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self.rows = QFormLayout(self)
        self.rows.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.rows.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.rows.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.rows.setVerticalSpacing(8)
        self.labels: list[QLabel] = []
        self.checked: dict[str, CheckedField] = {}
        self.suggestions: dict[str, QStringListModel] = {}

    def add_row(
        self, label: str, field: QWidget, buddy: QWidget | None = None, checked: str | None = None
    ) -> None:
        """Add ``label: field``; ``checked`` names the problem key shown at this field."""
        text = QLabel(f"{label}:")
        text.setBuddy(buddy or field)
        self.labels.append(text)
        shown: QWidget = field
        if checked is not None:
            self.checked[checked] = CheckedField(field)
            shown = self.checked[checked]
        self.rows.addRow(text, shown)

    def completing_line(self, key: str, name: str, placeholder: str) -> QLineEdit:
        """A text box that offers the values other projects use (set by the form)."""
        edit = line(name, placeholder)
        model = QStringListModel(self)
        completer = QCompleter(model, edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        edit.setCompleter(completer)
        self.suggestions[key] = model
        return edit


class AboutSection(Section):
    """Title, work type, status, QI-journey phase and programme."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("About the project", parent)
        self.title_edit = line("Title", "A short name the team will recognise")
        self.add_row("Title", self.title_edit, checked="title")
        self.work_type = enum_combo("Work type", WorkType)
        self.add_row("Work type", self.work_type)
        self.status = enum_combo("Status", Status)
        self.add_row("Status", self.status)
        self.phase = enum_combo("QI-journey phase", JourneyPhase)
        self.add_row("QI-journey phase", self.phase)
        self.programme = self.completing_line(
            "programme", "Programme", "Programme or collaborative, if any"
        )
        self.add_row("Programme", self.programme)


class PlaceSection(Section):
    """Division, directorate and ward or department."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Where the work happens", parent)
        self.division = self.completing_line("division", "Division", "e.g. Medicine")
        self.add_row("Division", self.division)
        self.directorate = self.completing_line(
            "directorate", "Directorate", "e.g. Acute and emergency medicine"
        )
        self.add_row("Directorate", self.directorate)
        self.ward = self.completing_line("ward", "Ward or department", "e.g. Ward 7B")
        self.add_row("Ward / department", self.ward)


class ScoreSection(Section):
    """The IHI progress score with who set it, when, and the evidence."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("IHI progress score", parent)
        items: list[tuple[str, object]] = [("Not scored yet", None)]
        items += [(score_text(v), v) for v in PROGRESS_SCORES]
        self.score = combo("IHI progress score", items)
        self.score.setAccessibleDescription(
            "The IHI scale from 0.5 (intent to participate) to 5.0 (outstanding sustainable "
            "results), set by the team."
        )
        self.add_row("Score", self.score, checked="score")
        self.set_by = line("Score set by", "Who agreed the score")
        self.add_row("Set by", self.set_by)
        self.set_on = OptionalDateEdit("Score set on")
        self.add_row("Set on", self.set_on, buddy=self.set_on.check)
        self.evidence = plain_text_edit(
            "Evidence for the score", "What shows the project is at this point on the scale", 2
        )
        self.add_row("Evidence", self.evidence)


class AimSection(Section):
    """Problem statement, the aim in parts, the composed aim and what it still lacks."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Problem and aim", parent)
        self.problem = plain_text_edit(
            "Problem statement", "What is the problem, and why does it matter?", 3
        )
        self.add_row("Problem statement", self.problem)
        self.what = line("Aim: what will improve", "e.g. the rate of falls with harm")
        self.add_row("Improve what", self.what)
        self.for_whom = line("Aim: for whom", "e.g. inpatients aged 65 and over on Ward 7B")
        self.add_row("For whom", self.for_whom)
        self.from_value = line("Aim: baseline (from)", "e.g. 8 per 1,000 bed days")
        self.add_row("From (baseline)", self.from_value)
        self.to_value = line("Aim: target (to)", "e.g. 4 per 1,000 bed days")
        self.add_row("To (target)", self.to_value)
        self.by_when = OptionalDateEdit("Aim: by when")
        self.add_row("By when", self.by_when, buddy=self.by_when.check)
        self.statement = QLabel()
        self.statement.setObjectName("aim_statement")
        self.statement.setWordWrap(True)
        self.statement.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statement.setStyleSheet("font-weight: bold;")
        self.add_row("Aim statement", self.statement)
        self.check = QLabel()
        self.check.setObjectName("aim_check")
        self.check.setWordWrap(True)
        self.add_row("Aim check", self.check)


class TeamSection(Section):
    """The team members table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Team", parent)
        self.team = TeamTable()
        self.add_row("Members", self.team, buddy=self.team.view, checked="team")


class DatesSection(Section):
    """Start date, planned end and actual end (each may be "not set")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dates", parent)
        self.start_date = OptionalDateEdit("Start date")
        self.add_row("Start date", self.start_date, buddy=self.start_date.check)
        self.planned_end = OptionalDateEdit("Planned end")
        self.add_row(
            "Planned end", self.planned_end, buddy=self.planned_end.check, checked="planned_end"
        )
        self.actual_end = OptionalDateEdit("Actual end")
        self.add_row(
            "Actual end", self.actual_end, buddy=self.actual_end.check, checked="actual_end"
        )


class InvolvementSection(Section):
    """Patient and public involvement (level and description) and the evaluation levels."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Patient and public involvement, and evaluation", parent)
        self.involvement = enum_combo("Patient and public involvement level", Involvement)
        self.add_row("Involvement level", self.involvement)
        self.note = plain_text_edit(
            "How patients and the public are involved", "Who is involved and how", 2
        )
        self.add_row("How they are involved", self.note)
        levels = QWidget()
        levels.setAccessibleName("Evaluation levels")
        column = QVBoxLayout(levels)
        column.setContentsMargins(0, 0, 0, 0)
        self.evaluation: dict[EvaluationLevel, QCheckBox] = {}
        for level in EvaluationLevel:
            box = QCheckBox(level.label, levels)
            box.setAccessibleName(f"Impact evaluated at {level.label.lower()} level")
            column.addWidget(box)
            self.evaluation[level] = box
        first = self.evaluation[EvaluationLevel.INDIVIDUAL_TEAM]
        self.add_row("Impact evaluated at", levels, buddy=first)


class ClosingSection(Section):
    """Spread, sustainability plan and closure notes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Spread, sustainability and closure", parent)
        self.spread = plain_text_edit("Spread", "Other teams or sites adopting the changes", 2)
        self.add_row("Spread", self.spread)
        self.sustainability = plain_text_edit(
            "Sustainability plan", "How the improvement will be held once the project ends", 2
        )
        self.add_row("Sustainability", self.sustainability)
        self.closure = plain_text_edit(
            "Closure notes", "Why the project closed, whether the aim was met, lessons", 2
        )
        self.add_row("Closure notes", self.closure)
