"""Data entry of the measures panel: turns grid keys and chart clicks into undo commands.

The grid (:class:`~qidesk.ui.widgets.data_grid.DataGrid`) reports keys, the model
(:class:`~qidesk.ui.models.observations_model.ObservationsModel`) builds typed edits, and the
chart reports clicks; this controller asks for reasons through the panel's prompts and pushes
ONE undo command per user action. It never changes data or views itself: the commands call
the service, and the panel follows the ``Changes`` they broadcast.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QMenu

from qidesk.core.charting import ChartData
from qidesk.core.identifiers import find_identifiers, warning_message
from qidesk.core.measures import (
    Annotation,
    Measure,
    Observation,
    Phase,
    PhaseKind,
)
from qidesk.core.periods import format_date, format_period
from qidesk.services.measures import ObservationEdit
from qidesk.ui.context import WorkspaceContext
from qidesk.ui.measure_commands import (
    AddPhaseCommand,
    ObservationEditsCommand,
    PutAnnotationCommand,
    RemoveAnnotationCommand,
    RemovePhaseCommand,
)
from qidesk.ui.models.observations_model import ObservationsModel
from qidesk.ui.panels.measure_cells import Field
from qidesk.ui.panels.measure_paste import plan_paste
from qidesk.ui.panels.measure_prompts import MeasurePrompts
from qidesk.ui.widgets.data_grid import DataGrid

#: how a refused paste is introduced in the list of problems
PASTE_REFUSED = "Nothing was pasted. Fix these cells in the copied block and paste again:"


class DataEntry(QObject):
    """Connects one grid, its model and the chart's requests to the undo stack."""

    def __init__(
        self,
        context: WorkspaceContext,
        model: ObservationsModel,
        grid: DataGrid,
        prompts: MeasurePrompts,
        chart_data: Callable[[], ChartData | None],
        status: Callable[[str], None],
    ) -> None:
        super().__init__(grid)
        self.context = context
        self.model = model
        self.grid = grid
        self.prompts = prompts
        self._chart_data = chart_data
        self._status = status
        model.edit_sink = self.submit
        model.text_guard = self._text_ok
        model.reason_needed.connect(self.exclude_row)
        grid.delete_pressed.connect(self.delete_cells)
        grid.paste_pressed.connect(self.paste)
        grid.exclude_toggled.connect(self.toggle_exclude)
        grid.menu_requested.connect(self.show_context_menu)

    @property
    def measure(self) -> Measure | None:
        """The measure whose data is being entered."""
        return self.model.measure

    def submit(self, edits: Sequence[ObservationEdit], text: str) -> None:
        """Apply one batch of edits as one undo step."""
        measure = self.measure
        if measure is None or not edits:
            return
        self.context.push(ObservationEditsCommand(self.context, measure.id, edits, text))

    def _period_text(self, period: date) -> str:
        measure = self.measure
        return format_period(period, measure.period) if measure else format_date(period)

    def _text_ok(self, label: str, text: str) -> bool:
        findings = find_identifiers(text)
        if not findings:
            return True
        if not self.context.settings.get("confirm_identifier_warnings"):
            return True
        return self.prompts.confirm_identifiers([warning_message(findings, label)])

    # ------------------------------------------------------------------ deleting
    def delete_cells(self, cells: Sequence[tuple[int, int]]) -> None:
        """Delete: remove the points of the selected rows, or clear a selected note/reason."""
        by_row: dict[int, set[Field]] = {}
        for row, column in cells:
            field = self.model.field_at(column)
            if field is not None:
                by_row.setdefault(row, set()).add(field)
        edits: list[ObservationEdit] = []
        deleted: list[Observation] = []
        for row, fields in sorted(by_row.items()):
            if self.model.is_new_row(row):
                self.model.clear_pending()
                continue
            obs = self.model.observation_at(row)
            if obs is None:
                continue
            if all(f.is_text for f in fields):
                cleared = obs.with_changes(**{f.value: "" for f in fields})
                if Field.EXCLUDE_REASON in fields:
                    cleared = cleared.with_changes(excluded=False)
                if cleared != obs:
                    edits.append(ObservationEdit(obs, cleared))
            else:
                edits.append(ObservationEdit(obs, None))
                deleted.append(obs)
        if not edits:
            return
        if deleted and len(deleted) == len(edits):
            text = (
                f"Delete the point of {self._period_text(deleted[0].period)}"
                if len(deleted) == 1
                else f"Delete {len(deleted)} points"
            )
        else:
            text = f"Clear {len(edits)} cell{'s' if len(edits) != 1 else ''}"
        self.submit(edits, text)

    # ------------------------------------------------------------------ pasting
    def paste(self, row: int, column: int, text: str) -> bool:
        """Paste a block at ``(row, column)`` as one undo step, or apply nothing and say why."""
        measure = self.measure
        if measure is None:
            return False
        plan = plan_paste(
            measure,
            self.model.observations(),
            text,
            start_row=row,
            start_field=self.model.field_at(column),
            new_row_period=self.model.new_row_period(),
        )
        if plan.shape is not None:
            self.prompts.error("Cannot paste this block", plan.shape)
            self._status("Nothing was pasted: the block has the wrong shape.")
            return False
        lines = [p.describe() for p in plan.problems]
        if not lines and plan.edits:
            checked = self.context.measures.edit_problems(measure, plan.edits)
            lines = [f"{where}: {reason}" for where, reason in checked.items()]
        if lines:
            self.prompts.cell_problems("Cannot paste this block", PASTE_REFUSED, lines)
            count = len(lines)
            self._status(f"Nothing was pasted: {count} cell{'s' if count != 1 else ''} refused.")
            return False
        if not plan.edits:
            self._status("Nothing to change: the pasted values are already there.")
            return True
        notes = [e.after.note for e in plan.edits if e.after is not None and e.after.note]
        if any(not self._text_ok("Note", note) for note in notes):
            return False
        added = sum(1 for e in plan.edits if e.before is None)
        changed = len(plan.edits) - added
        parts = [f"{added} new" if added else "", f"{changed} changed" if changed else ""]
        summary = " and ".join(p for p in parts if p)
        self.submit(plan.edits, f"Paste {summary} point{'s' if len(plan.edits) != 1 else ''}")
        last = max((e.after.period for e in plan.edits if e.after is not None), default=None)
        if last is not None and self.model.row_of_period(last) >= 0:
            self.grid.go_to(self.model.row_of_period(last) + 1, column)
            self._status(f"Pasted {summary} point{'s' if len(plan.edits) != 1 else ''}.")
        return True

    # ------------------------------------------------------------------ excluding
    def toggle_exclude(self, row: int) -> None:
        """Space on Excluded: exclude the point (asks why) or include it again."""
        obs = self.model.observation_at(row)
        if obs is None:
            return
        if obs.excluded:
            self.include_row(row)
        else:
            self.exclude_row(row)

    def exclude_row(self, row: int) -> None:
        """Leave the point of ``row`` out of the centre line and limits, with a reason."""
        obs = self.model.observation_at(row)
        if obs is None or obs.excluded:
            return
        period = self._period_text(obs.period)
        reason = self.prompts.reason(
            "Exclude point",
            f"Why should the point of {period} be left out of the centre line and limits? "
            "It stays on the chart, greyed.",
            "e.g. audit sheet lost for two days; ward closed to admissions",
        )
        if not reason:
            return
        new = obs.with_changes(excluded=True, exclude_reason=reason)
        self.submit([ObservationEdit(obs, new)], f"Exclude the point of {period}")

    def include_row(self, row: int) -> None:
        """Count an excluded point again."""
        obs = self.model.observation_at(row)
        if obs is None or not obs.excluded:
            return
        new = obs.with_changes(excluded=False, exclude_reason="")
        self.submit(
            [ObservationEdit(obs, new)], f"Include the point of {self._period_text(obs.period)}"
        )

    # ------------------------------------------------------------------ annotations and phases
    def annotate(self, period: date) -> bool:
        """Ask for an annotation at ``period`` and add it (one undo step)."""
        measure = self.measure
        if measure is None:
            return False
        answer = self.prompts.annotation(self._period_text(period))
        if answer is None or not answer[1].strip():
            return False
        kind, text = answer
        if not self._text_ok("Annotation", text):
            return False
        annotation = Annotation(measure.id, period, text.strip(), kind)
        self.context.push(PutAnnotationCommand(self.context, annotation))
        return True

    def add_phase(self, period: date, kind: PhaseKind) -> bool:
        """Freeze the baseline at ``period`` or start a new phase there, with a reason."""
        measure = self.measure
        if measure is None:
            return False
        when = self._period_text(period)
        if kind is PhaseKind.FREEZE:
            title = "Freeze baseline"
            prompt = (
                f"The centre line and limits will be worked out from the points up to {when} "
                "and extended after it. Why freeze the baseline here?"
            )
            placeholder = "e.g. 20 stable weeks before the first test of change"
            text = f"Freeze the baseline at {when}"
        else:
            title = "Start a new phase"
            prompt = (
                f"A new centre line and new limits will start at {when}. "
                "Why does the process change here?"
            )
            placeholder = "e.g. shift of 9 weeks after the new checklist was adopted (PDSA 3)"
            text = f"Start a new phase at {when}"
        reason = self.prompts.reason(title, prompt, placeholder)
        if not reason:
            return False
        if not self._text_ok("Reason", reason):
            return False
        phase = Phase(measure.id, period, kind, reason.strip())
        self.context.push(AddPhaseCommand(self.context, phase, text))
        return True

    def remove_phase(self, phase: Phase) -> None:
        """Remove a baseline freeze or phase (one undo step)."""
        what = "baseline freeze" if phase.kind is PhaseKind.FREEZE else "phase"
        self.context.push(
            RemovePhaseCommand(
                self.context, phase, f"Remove the {what} at {self._period_text(phase.period)}"
            )
        )

    def remove_annotation(self, annotation: Annotation) -> None:
        """Remove an annotation (one undo step)."""
        self.context.push(RemoveAnnotationCommand(self.context, annotation))

    # ------------------------------------------------------------------ context menu
    def row_actions(self, row: int) -> list[tuple[str, Callable[[], object]]]:
        """The context-menu entries for ``row``: (text, what it does)."""
        obs = self.model.observation_at(row)
        if obs is None:
            return [("&Paste (Ctrl+V)", self._paste_clipboard)]
        period = obs.period
        actions: list[tuple[str, Callable[[], object]]] = []
        if obs.excluded:
            actions.append(("&Include the point again", lambda: self.include_row(row)))
        else:
            actions.append(("E&xclude the point…", lambda: self.exclude_row(row)))
        actions += [
            ("Add &annotation…", lambda: self.annotate(period)),
            ("&Freeze the baseline here…", lambda: self.add_phase(period, PhaseKind.FREEZE)),
            ("Start a new p&hase here…", lambda: self.add_phase(period, PhaseKind.PHASE)),
        ]
        data = self._chart_data()
        if data is not None:
            for annotation in data.annotations:
                if annotation.period == period:
                    actions.append(
                        (
                            f"Remove annotation “{annotation.text[:30]}”",
                            partial(self.remove_annotation, annotation),
                        )
                    )
            for phase in data.phases:
                if phase.period == period:
                    actions.append(
                        (
                            f"Remove {phase.kind.label.lower()} here",
                            partial(self.remove_phase, phase),
                        )
                    )
        actions += [
            ("&Delete the point", lambda: self.delete_cells([(row, 0)])),
            ("&Paste (Ctrl+V)", self._paste_clipboard),
        ]
        return actions

    def _paste_clipboard(self) -> None:
        from PySide6.QtGui import QGuiApplication

        current = self.grid.currentIndex()
        row = current.row() if current.isValid() else self.model.new_row
        column = current.column() if current.isValid() else 0
        self.paste(row, column, QGuiApplication.clipboard().text())

    def show_context_menu(self, pos: QPoint) -> None:
        """The grid's context menu at ``pos`` (mouse, menu key or Shift+F10)."""
        index = self.grid.indexAt(pos)
        if not index.isValid():
            index = self.grid.currentIndex()
        if not index.isValid():
            return
        self.grid.setCurrentIndex(index)
        menu = QMenu(self.grid)
        menu.setAccessibleName("Data point actions")
        for text, slot in self.row_actions(index.row()):
            menu.addAction(text).triggered.connect(lambda _checked=False, run=slot: run())
        menu.exec(self.grid.viewport().mapToGlobal(pos))
