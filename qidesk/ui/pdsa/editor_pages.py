"""The pages of the PDSA editor: Cycle, Plan, Do, Study and Act, built as plain widgets.

Each page only creates and lays out its fields; :class:`~qidesk.ui.pdsa.editor.PdsaEditor`
loads values into them and reads them back. Labels are qidesk's own wording.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.pdsa import CycleStatus, Decision, Improvement, Purpose, TestScale
from qidesk.ui.panels.charter_fields import CheckedField, OptionalDateEdit, plain_text_edit
from qidesk.ui.pdsa.compact import compact_combo
from qidesk.ui.pdsa.tables import QuestionsModel, TasksModel, questions_table, tasks_table
from qidesk.ui.widgets.draft_table import DraftTable


def enum_combo(name: str, values: type[StrEnum], *, none: str | None = None) -> QComboBox:
    """A combo box of an enum's labels (with a first "none" entry when ``none`` is given)."""
    combo = QComboBox()
    combo.setAccessibleName(name)
    if none is not None:
        combo.addItem(none, None)
    for value in values:
        combo.addItem(str(getattr(value, "label", value)), value.value)
    return combo


def line(name: str, placeholder: str = "") -> QLineEdit:
    """A one-line text box with an accessible name."""
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def hint(text: str) -> QLabel:
    """A short grey explanation under a heading."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #4c6272;")
    return label


def scrolled(inner: QWidget, name: str) -> QScrollArea:
    """``inner`` in a frameless vertical scroll area called ``name`` (for screen readers)."""
    area = QScrollArea()
    area.setAccessibleName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(inner)
    return area


def _form(box: QGroupBox) -> QFormLayout:
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return form


def picker(name: str) -> QListWidget:
    """A list of check boxes (linked change ideas or measures)."""
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setMinimumHeight(90)
    widget.setMaximumHeight(150)
    return widget


class CyclePage(QWidget):
    """Identity: ramp and number, the cycle it follows, purpose, owner, dates, status, links."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ramp_name = line("Ramp name", "for example: pain prompt at handover")
        self.number = QSpinBox()
        self.number.setRange(0, 999)
        self.number.setAccessibleName("Cycle number in the ramp")
        inner = self.number.findChild(QLineEdit)
        if inner is not None:  # the box that takes the focus: a screen reader reads its name
            inner.setAccessibleName("Cycle number in the ramp")
        self.previous = compact_combo(QComboBox(), 20)
        self.previous.setAccessibleName("Follows cycle")
        self.purpose = enum_combo("Purpose", Purpose)
        self.owner = line("Owner", "who leads this cycle")
        self.start = OptionalDateEdit("Start date")
        self.end = OptionalDateEdit("End date")
        self.status = enum_combo("Status", CycleStatus)
        self.change_ideas = picker("Change ideas tested")
        self.measures = picker("Measures linked")
        self.checked = {
            "ramp_name": CheckedField(self.ramp_name),
            "number": CheckedField(self.number),
            "previous_cycle_id": CheckedField(self.previous),
            "end": CheckedField(self.end),
            "change_idea_ids": CheckedField(self.change_ideas),
            "measure_ids": CheckedField(self.measures),
        }
        identity = QGroupBox("This cycle")
        form = _form(identity)
        form.addRow("&Ramp:", self.checked["ramp_name"])
        form.addRow("Cycle &number:", self.checked["number"])
        form.addRow("&Follows:", self.checked["previous_cycle_id"])
        form.addRow("&Purpose:", self.purpose)
        form.addRow("&Owner:", self.owner)
        form.addRow("&Start:", self.start)
        form.addRow("&End:", self.checked["end"])
        form.addRow("S&tatus:", self.status)
        links = QGroupBox("What it tests and how we will know")
        link_form = _form(links)
        link_form.addRow(
            hint(
                "Tick the change ideas from the driver diagram that this cycle tests, and the "
                "measures that will show its effect. The cycle's dates then appear on those "
                "measures' charts."
            )
        )
        link_form.addRow("Change &ideas:", self.checked["change_idea_ids"])
        link_form.addRow("&Measures:", self.checked["measure_ids"])
        layout = QVBoxLayout(self)
        layout.addWidget(identity)
        layout.addWidget(links)
        layout.addStretch(1)


class PlanPage(QWidget):
    """Plan: objective, questions with predictions, the test, tasks and the data plan."""

    def __init__(
        self, questions: QuestionsModel, tasks: TasksModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.objective = plain_text_edit(
            "Objective", "What should this cycle achieve or find out?", lines=2
        )
        self.questions: DraftTable = questions_table(questions, study=False)
        self.questions_problem = QLabel()
        self.test_what = line("Test: what change", "the change being tried")
        self.test_who = line("Test: who", "who carries it out")
        self.test_where = line("Test: where", "ward, clinic or team")
        self.test_when = line("Test: when", "for example: Monday to Friday, day shifts")
        self.scale = enum_combo("Scale of the test", TestScale, none="Not said yet")
        self.scale_detail = line("Scale in words", "for example: 5 patients on one shift")
        self.tasks: DraftTable = tasks_table(tasks)
        self.tasks_problem = QLabel()
        for problem in (self.questions_problem, self.tasks_problem):
            problem.setWordWrap(True)
            problem.setStyleSheet("color: #b3200f; font-weight: bold;")
            problem.hide()
        self.data_plan = plain_text_edit(
            "Data-collection plan",
            "Which measures, who collects the data, how and when; any views of staff or patients",
            lines=3,
        )
        objective = QGroupBox("Objective")
        QVBoxLayout(objective).addWidget(self.objective)
        questions_box = QGroupBox("Questions and predictions")
        q_layout = QVBoxLayout(questions_box)
        q_layout.addWidget(
            hint(
                "For each question, write what you predict will happen and why, before the "
                "test. Study compares each prediction with the result."
            )
        )
        q_layout.addWidget(self.questions)
        q_layout.addWidget(self.questions_problem)
        test = QGroupBox("The test")
        form = _form(test)
        form.addRow("&What:", self.test_what)
        form.addRow("W&ho:", self.test_who)
        form.addRow("Whe&re:", self.test_where)
        form.addRow("Whe&n:", self.test_when)
        form.addRow("S&cale:", self.scale)
        form.addRow("Scale in words:", self.scale_detail)
        tasks_box = QGroupBox("Tasks to get ready")
        t_layout = QVBoxLayout(tasks_box)
        t_layout.addWidget(self.tasks)
        t_layout.addWidget(self.tasks_problem)
        data = QGroupBox("Data-collection plan")
        QVBoxLayout(data).addWidget(self.data_plan)
        layout = QVBoxLayout(self)
        for box in (objective, questions_box, test, tasks_box, data):
            layout.addWidget(box)
        layout.addStretch(1)


class DoPage(QWidget):
    """Do: what happened, problems, and deviations from the plan."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what_happened = plain_text_edit(
            "What happened", "What was done, when, and what was observed", lines=5
        )
        self.problems = plain_text_edit("Problems", "Problems and surprises", lines=3)
        self.deviations = plain_text_edit(
            "Deviations from the plan", "What was done differently from the plan, and why", lines=3
        )
        box = QGroupBox("Carrying out the test")
        form = _form(box)
        form.addRow("What &happened:", self.what_happened)
        form.addRow("&Problems:", self.problems)
        form.addRow("&Deviations:", self.deviations)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)


class StudyPage(QWidget):
    """Study: each prediction beside its result and learning; did the change improve things."""

    def __init__(self, questions: QuestionsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.questions: DraftTable = questions_table(questions, study=True)
        self.improved = enum_combo(
            "Did the change lead to improvement?", Improvement, none="Not answered yet"
        )
        self.summary = plain_text_edit(
            "Study summary", "What the data and observations show, compared with the predictions",
            lines=4,
        )  # fmt: skip
        compare = QGroupBox("Predictions compared with results")
        c_layout = QVBoxLayout(compare)
        c_layout.addWidget(
            hint(
                "Each prediction from Plan sits beside what actually happened. Record the "
                "result, what was learned, and whether the prediction held."
            )
        )
        c_layout.addWidget(self.questions)
        overall = QGroupBox("Overall")
        form = _form(overall)
        form.addRow("Did the change lead to &improvement?", self.improved)
        form.addRow("&Summary:", self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(compare)
        layout.addWidget(overall)
        layout.addStretch(1)


class ActPage(QWidget):
    """Act: the decision and next steps, and "start next cycle"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.decision = enum_combo("Decision", Decision, none="Not decided yet")
        self.next_steps = plain_text_edit(
            "Next steps", "What changes for the next cycle, or how the change will be kept", lines=4
        )
        self.start_next = QPushButton("Start next cycle")
        self.start_next.setAccessibleName("Start the next cycle of this ramp")
        self.start_next.setToolTip(
            "Create the next cycle of this ramp, linked to this one and pre-filled from its "
            "learning and next steps"
        )
        box = QGroupBox("Decision")
        form = _form(box)
        form.addRow("&Decision:", self.decision)
        form.addRow("&Next steps:", self.next_steps)
        form.addRow(
            hint(
                "Adapt: change the idea and test it again. Adopt: keep it and test at a larger "
                "scale. Abandon: stop testing it. Implement or spread: make it the usual way "
                "of working, here or elsewhere."
            )
        )
        form.addRow("", self.start_next)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)
