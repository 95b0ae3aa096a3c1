"""The measure editor: every field of a measure's operational definition, in one dialog.

The dialog turns a :class:`~qidesk.core.measures.Measure` into widget values and back into a
new ``Measure`` (:meth:`MeasureEditor.draft`). It holds no rules of its own: field problems
come from :func:`qidesk.core.measures.measure_problems` (shown at the field with an icon and
words, never colour alone), the suggested chart from :func:`qidesk.core.spc.suggest_chart`,
and the patient-detail check from :mod:`qidesk.core.identifiers` (warn before saving, don't
block). The caller saves the result as one undo step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.measures import RATIO_TYPES, Measure, MeasureType, TargetPoint, measure_problems
from qidesk.core.pasted import CellError, parse_date, parse_number
from qidesk.core.periods import WEEKDAYS, Period, format_date, next_period, snap
from qidesk.core.spc import suggest_chart
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.ui.dialogs.identifier_warning import (
    confirm_save_with_identifiers,
    identifiers_accepted,
    some_of_this,
)
from qidesk.ui.models.draft_table_model import DraftTableModel
from qidesk.ui.panels.charter_fields import ERROR_COLOUR, CheckedField, plain_text_edit
from qidesk.ui.panels.charter_form_sections import Section, combo, line

_Index = QModelIndex | QPersistentModelIndex

#: data types the editor offers (subgrouped data needs several values per period: not yet)
DATA_TYPES: tuple[tuple[DataType, str], ...] = (
    (DataType.PROPORTION, "Proportion (numerator ÷ denominator, e.g. % screened)"),
    (DataType.RATE, "Rate (events per exposure, e.g. falls per 1,000 bed days)"),
    (DataType.COUNT, "Count of events per period"),
    (DataType.CONTINUOUS, "Measurement (e.g. minutes, days, score)"),
    (DataType.CASES_BETWEEN_EVENTS, "Cases between rare events"),
    (DataType.TIME_BETWEEN_EVENTS, "Time (days) between rare events"),
)
MULTIPLIERS: tuple[tuple[str, float], ...] = (
    ("1 (as entered)", 1.0),
    ("100 (a percentage)", 100.0),
    ("1,000 (per 1,000)", 1000.0),
    ("10,000 (per 10,000)", 10000.0),
    ("100,000 (per 100,000)", 100000.0),
)
DIRECTIONS: tuple[tuple[Direction, str], ...] = (
    (Direction.INCREASE, "Higher is better"),
    (Direction.DECREASE, "Lower is better"),
    (Direction.NEUTRAL, "Neither (no direction)"),
)
PERIODS: tuple[tuple[Period, str], ...] = (
    (Period.DAY, "Day"),
    (Period.WEEK, "Week"),
    (Period.MONTH, "Month"),
)
#: ``measure_problems`` keys shown at a field of this dialog
CHECKED_FIELDS = ("name", "multiplier", "week_start", "target", "decimals", "trajectory")


def _select(box: QComboBox, value: object) -> None:
    box.setCurrentIndex(max(0, box.findData(value)))


def multiplier_text(value: float) -> str:
    """The text the multiplier box shows for ``value``."""
    for text, known in MULTIPLIERS:
        if known == value:
            return text
    return f"{value:,g}"


def read_multiplier(text: str) -> float:
    """The multiplier typed or chosen (NaN when it is not a number)."""
    for known_text, value in MULTIPLIERS:
        if text == known_text:
            return value
    head = text.split("(", maxsplit=1)[0].strip().removeprefix("×").removeprefix("per").strip()
    try:
        return parse_number(head, percent_as_fraction=False)
    except CellError:
        return math.nan


class TrajectoryModel(DraftTableModel[TargetPoint]):
    """The draft target trajectory: from each start date on, the target is a value.

    A cell that cannot be read is refused, and :attr:`problem` says why until the next
    accepted edit; both announce ``rows_edited`` so that the editor shows the problem.
    """

    titles = ("From", "Target")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(None, parent)
        self.problem: str | None = None

    def steps(self) -> tuple[TargetPoint, ...]:
        """The steps in date order."""
        return tuple(sorted(self.values(), key=lambda s: s.start))

    def set_steps(self, steps: tuple[TargetPoint, ...]) -> None:
        """Show ``steps`` (loading a measure)."""
        self.problem = None
        self.set_values(sorted(steps, key=lambda s: s.start))

    def add_step(self, start: date, value: float) -> int:
        """Append a step and return its row."""
        return self.add_row(TargetPoint(start, value))

    def remove_step(self, row: int) -> None:
        """Remove the step in ``row``."""
        self.remove_row(row)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The start date (UK format) or the target value."""
        step = self.row_at(index)
        if step is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if index.column() == 0:
                return step.start.strftime("%d/%m/%Y")
            return f"{step.value:g}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if index.column() == 0:
                return f"From {format_date(step.start)}"
            return f"Target {step.value:g}"
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Change a start date or a value; text that cannot be read is refused with a reason."""
        step = self.row_at(index)
        if role != Qt.ItemDataRole.EditRole or step is None:
            return False
        try:
            if index.column() == 0:
                new = TargetPoint(parse_date(str(value)), step.value)
            else:
                new = TargetPoint(step.start, parse_number(str(value), percent_as_fraction=False))
        except CellError as exc:
            self.problem = f"Trajectory row {index.row() + 1}: {exc.reason}"
            self.rows_edited.emit()
            return False
        self.problem = None
        if not self._replace(index, new):
            self.rows_edited.emit()  # the same value again: only the problem (if any) is gone
        return True


class MeasureEditor(QDialog):
    """Edits every field of one measure; OK returns the new version (see :meth:`draft`).

    ``confirm_identifiers(messages) -> bool`` is asked before OK when free text looks like
    patient details; tests replace it.
    """

    def __init__(self, measure: Measure, *, new: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._original = measure
        self._loading = False
        self.confirm_identifiers: Callable[[list[str]], bool] = lambda messages: (
            confirm_save_with_identifiers(self, some_of_this("measure's text"), messages)
        )
        title = "New measure" if new else f"Edit measure “{measure.name}”"
        self.setWindowTitle(title)
        self.setObjectName("measure_editor")
        self.setAccessibleName(title)
        self.resize(1040, 680)
        self._build()
        self.load(measure)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        about = Section("About the measure")
        self.name = line("Name", "e.g. Falls risk assessment within 24 hours")
        self.measure_type = combo("Type of measure", [(t.label, t) for t in MeasureType])
        self.owner = line("Owner", "Who looks after this measure")
        about.add_row("&Name", self.name, checked="name")
        about.add_row("&Type", self.measure_type)
        about.add_row("O&wner", self.owner)

        definition = Section("Operational definition")
        self.definition = plain_text_edit(
            "Operational definition", "Precise enough that anyone would collect it the same way"
        )
        self.numerator_definition = plain_text_edit(
            "Numerator definition", "What is counted on top, e.g. patients assessed in 24 h", 2
        )
        self.denominator_definition = plain_text_edit(
            "Denominator definition", "What it is out of, e.g. all patients admitted", 2
        )
        self.inclusions = plain_text_edit("Inclusions", "Who or what is counted", 2)
        self.exclusions = plain_text_edit("Exclusions", "Who or what is left out", 2)
        self.data_source = line("Data source", "e.g. ward audit sheet, e-observations report")
        self.collected_by = line("Collected by", "e.g. nurse in charge, every Monday")
        definition.add_row("&Definition", self.definition)
        definition.add_row("N&umerator", self.numerator_definition)
        definition.add_row("Denominat&or", self.denominator_definition)
        definition.add_row("&Inclusions", self.inclusions)
        definition.add_row("E&xclusions", self.exclusions)
        definition.add_row("Data &source", self.data_source)
        definition.add_row("Collected &by", self.collected_by)
        self.definition_section = definition

        data = Section("Data and period")
        self.data_type = combo("Data type", [(text, dt) for dt, text in DATA_TYPES])
        self.multiplier = QComboBox()
        self.multiplier.setEditable(True)
        self.multiplier.setAccessibleName("Multiplier")
        line_edit = self.multiplier.lineEdit()
        if line_edit is not None:
            line_edit.setAccessibleName("Multiplier")
        self.multiplier.setToolTip(
            "What the ratio is multiplied by to show it: 100 for a percentage, 1,000 for a "
            "rate per 1,000. Type another number if you need one."
        )
        for text, value in MULTIPLIERS:
            self.multiplier.addItem(text, value)
        self.unit = line("Unit", "e.g. %, minutes, per 1,000 bed days")
        self.decimals = QSpinBox()
        self.decimals.setRange(0, 6)
        self.decimals.setMaximumWidth(90)
        self.decimals.setAccessibleName("Decimals shown")
        for inner in self.decimals.findChildren(QLineEdit):
            inner.setAccessibleName("Decimals shown")
        self.period = combo("Period", [(text, p) for p, text in PERIODS])
        self.week_start = combo("Weeks start on", [(d, i) for i, d in enumerate(WEEKDAYS)])
        period_row = QWidget()
        period_layout = QHBoxLayout(period_row)
        period_layout.setContentsMargins(0, 0, 0, 0)
        period_layout.addWidget(self.period)
        self.week_start_label = QLabel("weeks start on")
        self.week_start_label.setBuddy(self.week_start)
        period_layout.addWidget(self.week_start_label)
        period_layout.addWidget(self.week_start, 1)
        data.add_row("Data t&ype", self.data_type)
        data.add_row("&Multiplier", self.multiplier, checked="multiplier")
        data.add_row("Unit", self.unit)
        data.add_row("Decim&als", self.decimals, checked="decimals")
        data.add_row("&Period", period_row, buddy=self.period, checked="week_start")
        self.data_section = data

        goal = Section("Direction and target")
        self.direction = combo("Improvement direction", [(t, d) for d, t in DIRECTIONS])
        self.target = line("Target", "Optional, in the units shown, e.g. 95 for 95%")
        self.trajectory = TrajectoryModel(self)
        self.trajectory_view = QTableView()
        self.trajectory_view.setObjectName("trajectory_table")
        self.trajectory_view.setAccessibleName("Target trajectory: start date and target")
        self.trajectory_view.setModel(self.trajectory)
        self.trajectory_view.verticalHeader().setVisible(False)
        self.trajectory_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.trajectory_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.trajectory_view.setTabKeyNavigation(False)
        self.trajectory_view.setMaximumHeight(110)
        self.add_step_button = QPushButton("Add step")
        self.add_step_button.setAccessibleName("Add a trajectory step")
        self.remove_step_button = QPushButton("Remo&ve step")
        self.remove_step_button.setAccessibleName("Remove the selected trajectory step")
        steps = QWidget()
        steps_layout = QHBoxLayout(steps)
        steps_layout.setContentsMargins(0, 0, 0, 0)
        steps_layout.addWidget(self.trajectory_view, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_step_button)
        buttons.addWidget(self.remove_step_button)
        buttons.addStretch(1)
        steps_layout.addLayout(buttons)
        goal.add_row("Improvement di&rection", self.direction)
        goal.add_row("Tar&get", self.target, checked="target")
        goal.add_row("Target tra&jectory", steps, buddy=self.trajectory_view, checked="trajectory")

        chart = Section("Chart")
        self.chart = QComboBox()
        self.chart.setAccessibleName("Default chart")
        self.suggestion = QLabel()
        self.suggestion.setObjectName("chart_suggestion")
        self.suggestion.setWordWrap(True)
        self.suggestion.setStyleSheet("color: #4c6272;")
        self.preset = combo("Rule preset", [(p.value, p) for p in Preset])
        chart.add_row("Default c&hart", self.chart)
        chart.rows.addRow("", self.suggestion)
        chart.add_row("Rule pr&eset", self.preset)

        form = QWidget()
        form_layout = QHBoxLayout(form)  # two columns: the definition, then how it is charted
        left, right = QVBoxLayout(), QVBoxLayout()
        for column, sections in ((left, (about, definition)), (right, (data, goal, chart))):
            for section in sections:
                column.addWidget(section)
            column.addStretch(1)
            form_layout.addLayout(column, 1)
        self.sections = [about, definition, data, goal, chart]
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(form)
        self.scroll_area.setAccessibleName("Measure fields")

        self.state_icon = QLabel()
        self.state = QLabel()
        self.state.setObjectName("measure_editor_state")
        self.state.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save")
        self.ok_button.setAccessibleName("Save measure")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignTop)
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll_area, 1)
        layout.addLayout(bottom)

        for edit in (
            self.name, self.owner, self.unit, self.target, self.data_source, self.collected_by
        ):  # fmt: skip
            edit.textChanged.connect(self._refresh)
        for plain in self._plain_texts():
            plain.textChanged.connect(self._refresh)
        for box in (self.measure_type, self.period, self.week_start, self.direction,
                    self.chart, self.preset):  # fmt: skip
            box.currentIndexChanged.connect(self._refresh)
        self.multiplier.currentTextChanged.connect(self._refresh)
        self.decimals.valueChanged.connect(self._refresh)
        self.data_type.currentIndexChanged.connect(self._data_type_changed)
        self.trajectory.rows_edited.connect(self._refresh)
        self.trajectory.rowsInserted.connect(self._refresh)
        self.add_step_button.clicked.connect(self.add_trajectory_step)
        self.remove_step_button.clicked.connect(self.remove_trajectory_step)

    def _plain_texts(self) -> list[QPlainTextEdit]:
        return [
            self.definition,
            self.numerator_definition,
            self.denominator_definition,
            self.inclusions,
            self.exclusions,
        ]

    def checked_fields(self) -> dict[str, CheckedField]:
        """The fields that can show a problem, by ``measure_problems`` key."""
        out: dict[str, CheckedField] = {}
        for section in self.sections:
            out.update(section.checked)
        return out

    # ------------------------------------------------------------------ values
    def load(self, measure: Measure) -> None:
        """Show every field of ``measure``."""
        self._loading = True
        try:
            self.name.setText(measure.name)
            _select(self.measure_type, measure.measure_type)
            self.owner.setText(measure.owner)
            self.definition.setPlainText(measure.definition)
            self.numerator_definition.setPlainText(measure.numerator_definition)
            self.denominator_definition.setPlainText(measure.denominator_definition)
            self.inclusions.setPlainText(measure.inclusions)
            self.exclusions.setPlainText(measure.exclusions)
            self.data_source.setText(measure.data_source)
            self.collected_by.setText(measure.collected_by)
            _select(self.data_type, measure.data_type)
            self.multiplier.setCurrentText(multiplier_text(measure.multiplier))
            self.unit.setText(measure.unit)
            self.decimals.setValue(measure.decimals)
            _select(self.period, measure.period)
            _select(self.week_start, measure.week_start)
            _select(self.direction, measure.direction)
            self.target.setText("" if measure.target is None else f"{measure.target:g}")
            self.trajectory.set_steps(measure.trajectory)
            self._fill_charts(measure.data_type, measure.chart)
            _select(self.preset, measure.preset)
        finally:
            self._loading = False
        self._refresh()

    def _target(self) -> float | None:
        text = self.target.text().strip()
        if not text:
            return None
        try:
            return parse_number(text, percent_as_fraction=False)
        except CellError:
            return math.nan

    def draft(self) -> Measure:
        """A new ``Measure`` from the fields (same id and metadata as the one loaded)."""
        data_type = DataType(self.data_type.currentData())
        ratio = data_type in RATIO_TYPES
        return self._original.with_changes(
            name=self.name.text().strip(),
            measure_type=MeasureType(self.measure_type.currentData()),
            owner=self.owner.text().strip(),
            definition=self.definition.toPlainText().strip(),
            numerator_definition=self.numerator_definition.toPlainText().strip() if ratio else "",
            denominator_definition=(
                self.denominator_definition.toPlainText().strip() if ratio else ""
            ),
            inclusions=self.inclusions.toPlainText().strip(),
            exclusions=self.exclusions.toPlainText().strip(),
            data_source=self.data_source.text().strip(),
            collected_by=self.collected_by.text().strip(),
            data_type=data_type,
            multiplier=read_multiplier(self.multiplier.currentText()),
            unit=self.unit.text().strip(),
            decimals=self.decimals.value(),
            period=Period(self.period.currentData()),
            week_start=int(self.week_start.currentData()),
            direction=Direction(self.direction.currentData()),
            target=self._target(),
            trajectory=self.trajectory.steps(),
            chart=ChartType(self.chart.currentData()),
            preset=Preset(self.preset.currentData()),
        )

    def problems(self) -> dict[str, str]:
        """Why the measure cannot be saved yet, keyed by field (empty = it can)."""
        problems = measure_problems(self.draft())
        if self.trajectory.problem:
            problems["trajectory"] = self.trajectory.problem
        return problems

    def free_text(self) -> list[tuple[str, str, QWidget]]:
        """(label, text, widget) of every free-text field, for the patient-detail check."""
        draft = self.draft()
        return [
            ("Name", draft.name, self.name),
            ("Owner", draft.owner, self.owner),
            ("Operational definition", draft.definition, self.definition),
            ("Numerator definition", draft.numerator_definition, self.numerator_definition),
            ("Denominator definition", draft.denominator_definition, self.denominator_definition),
            ("Inclusions", draft.inclusions, self.inclusions),
            ("Exclusions", draft.exclusions, self.exclusions),
            ("Data source", draft.data_source, self.data_source),
            ("Collected by", draft.collected_by, self.collected_by),
            ("Unit", draft.unit, self.unit),
        ]

    # ------------------------------------------------------------------ behaviour
    def _fill_charts(self, data_type: DataType, chosen: ChartType | None) -> None:
        suggestion = suggest_chart(data_type)
        self.chart.blockSignals(True)
        try:
            self.chart.clear()
            self.chart.addItem(f"{suggestion.chart.label} · suggested", suggestion.chart)
            for alternative in suggestion.alternatives:
                self.chart.addItem(alternative.label, alternative)
            if chosen is not None and self.chart.findData(chosen) < 0:
                self.chart.addItem(chosen.label, chosen)
            _select(self.chart, chosen or suggestion.chart)
        finally:
            self.chart.blockSignals(False)
        text = f"Suggested: {suggestion.chart.label}. {suggestion.reason}"
        self.suggestion.setText(text)
        self.suggestion.setAccessibleName(text)

    def _data_type_changed(self) -> None:
        if self._loading:
            return
        data_type = DataType(self.data_type.currentData())
        self._fill_charts(data_type, None)
        multiplier = read_multiplier(self.multiplier.currentText())
        if data_type is DataType.PROPORTION and multiplier == 1:
            self.multiplier.setCurrentText(multiplier_text(100.0))
        elif data_type not in RATIO_TYPES and multiplier != 1:
            self.multiplier.setCurrentText(multiplier_text(1.0))
        self._refresh()

    def add_trajectory_step(self) -> None:
        """Add a step after the last one (or from this period), at the current target."""
        steps = self.trajectory.steps()
        period = Period(self.period.currentData())
        if steps:
            start = next_period(steps[-1].start, period)
        else:
            start = snap(date.today(), period, int(self.week_start.currentData()))
        target = self._target()
        value = target if target is not None and math.isfinite(target) else 0.0
        row = self.trajectory.add_step(start, value)
        self.trajectory_view.setCurrentIndex(self.trajectory.index(row, 0))
        self.trajectory_view.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_trajectory_step(self) -> None:
        """Remove the selected trajectory step."""
        index = self.trajectory_view.currentIndex()
        if index.isValid():
            self.trajectory.remove_step(index.row())

    def _refresh(self) -> None:
        if self._loading:
            return
        ratio = self.data_type.currentData() in RATIO_TYPES
        rows = self.definition_section.rows
        rows.setRowVisible(self.numerator_definition, ratio)
        rows.setRowVisible(self.denominator_definition, ratio)
        weekly = self.period.currentData() == Period.WEEK
        self.week_start.setVisible(weekly)
        self.week_start_label.setVisible(weekly)
        self.remove_step_button.setEnabled(self.trajectory.rowCount() > 0)
        problems = self.problems()
        for key, field in self.checked_fields().items():
            field.set_problem(problems.get(key))
        self.ok_button.setEnabled(not problems)
        style = self.style()
        size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        if problems:
            count = len(problems)
            plural = "s" if count != 1 else ""
            text = f"Cannot save yet: {count} problem{plural} (see the marked fields)."
            self.state_icon.setPixmap(
                style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
            )
            self.state.setStyleSheet(f"color: {ERROR_COLOUR};")
        else:
            text = "Ready to save. Saving is one step you can undo."
            self.state_icon.clear()
            self.state.setStyleSheet("")
        self.state.setText(text)
        self.state.setAccessibleName(text)

    def focus_problem(self, key: str) -> None:
        """Scroll to the field with the problem ``key`` and put the cursor in it."""
        field = self.checked_fields().get(key)
        if field is None:
            return
        self.scroll_area.ensureWidgetVisible(field)
        field.setFocus(Qt.FocusReason.OtherFocusReason)

    def accept(self) -> None:
        """Close with Save only when there is no problem and any patient-detail warning is OK."""
        problems = self.problems()
        if problems:
            self._refresh()
            self.focus_problem(next(iter(problems)))
            return
        if identifiers_accepted(
            self.free_text(), self.confirm_identifiers, self.scroll_area.ensureWidgetVisible
        ):
            super().accept()


def edit_measure(parent: QWidget | None, measure: Measure, *, new: bool) -> Measure | None:
    """Show the editor for ``measure``; the saved version, or ``None`` when cancelled."""
    dialog = MeasureEditor(measure, new=new, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.draft()
