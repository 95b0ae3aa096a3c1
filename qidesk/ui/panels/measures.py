"""The measures panel: a project's measures, the data grid and the live chart beside it.

Top: the measures of the current project (name, type, latest value) with New, Edit and
Delete; the list is only as tall as its rows (up to :data:`LIST_ROWS`) and can be hidden
("Show measure list"). Below, for the selected measure: the data grid on the left, only as wide
as its number columns, and the live chart on the right, which gets the rest of the room (and
all of it when the panel grows), with a chart-type switcher (the suggested type first), a
rule-preset switcher and a view switcher (the measure's chart, the improvement view, the
assurance view).

Every ``Changes`` broadcast that names the shown measure (its definition, data, phases or
annotations all report it as updated) recomputes the chart through
``context.measures.chart(...)``, hands the stored points to the grid's model (which updates
only the rows that changed) and calls ``show_chart``. The panel never computes SPC itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.charting import ChartData, ChartView, view_settings
from qidesk.core.errors import NotFoundError
from qidesk.core.measures import Measure, MeasureType, PhaseKind
from qidesk.core.periods import Period
from qidesk.core.spc import suggest_chart
from qidesk.core.spc.types import ChartType, DataType, Direction, Preset
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.measure_commands import (
    CreateMeasureCommand,
    DeleteMeasureCommand,
    EditMeasureCommand,
)
from qidesk.ui.models.measure_list_model import MeasureColumn, MeasureListModel, MeasureRow
from qidesk.ui.models.observations_model import ObservationsModel
from qidesk.ui.panels.charter_fields import ERROR_COLOUR
from qidesk.ui.panels.measure_cells import Field
from qidesk.ui.panels.measure_chart import make_chart_widget
from qidesk.ui.panels.measure_entry import DataEntry
from qidesk.ui.panels.measure_prompts import MeasurePrompts
from qidesk.ui.widgets.data_grid import DataGrid

#: records charted with a measure; their services also name the measure as updated
_DATA_ENTITIES = (Entity.OBSERVATION, Entity.PHASE, Entity.ANNOTATION)
NEW_MEASURE_SHORTCUT = "Ctrl+Shift+M"
EDIT_MEASURE_SHORTCUT = "Ctrl+E"
ANNOTATE_SHORTCUT = "Ctrl+Shift+A"
FREEZE_SHORTCUT = "Ctrl+Shift+B"
PHASE_SHORTCUT = "Ctrl+Shift+P"
EXCLUDE_SHORTCUT = "Ctrl+Shift+X"
NO_PROJECT_TEXT = (
    "No project selected.\n\nChoose a project in the Projects list to see its measures."
)
NO_MEASURES_TEXT = (
    "This project has no measures yet.\n\nPress Ctrl+Shift+M to define the first one: what "
    "you count, how often, and which way is better."
)
#: the measure list shows this many rows at most (then it scrolls)
LIST_ROWS = 4
KEYS_HELP = (
    "Type to enter · Enter: down · Tab: right · Del: remove · Ctrl+V: paste from Excel · "
    "Space on Excluded: exclude · Menu key: more · Ctrl+Tab: leave the grid"
)


class MeasuresPanel(Panel):
    """A project's measures; the selected one's data grid and live chart side by side."""

    panel_id = "measures"
    title = "Measures"

    #: "Show measure list" (ticked in the menu) and the toolbar's "Hide list" / "Show list"
    list_action: QAction
    list_button_action: QAction

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._project_id: str | None = None
        self._measure: Measure | None = None
        self._data: ChartData | None = None
        self._chart_override: ChartType | None = None
        self._preset_override: Preset | None = None
        self._view = ChartView.DEFAULT
        self._syncing = False
        self._sized = False
        self.list_model = MeasureListModel(self)
        self.model = ObservationsModel(self)
        self._build_actions()
        self._build()
        self._prompts = MeasurePrompts(self)
        self.entry = DataEntry(
            context, self.model, self.grid, self._prompts, lambda: self._data, self.show_status
        )
        self.plot.point_activated.connect(self._point_activated)
        self.plot.annotation_requested.connect(self._annotation_requested)
        self.plot.phase_requested.connect(self._phase_requested)
        self.plot.exported.connect(lambda path: self.show_status(f"Chart saved to {path}."))
        self.plot.export_failed.connect(lambda text: self.prompts.error("Export failed", text))
        self.model.problems_changed.connect(self._show_problems)
        context.on_project_selected(self._project_selected)
        self._project_selected(context.current_project_id)

    # ------------------------------------------------------------------ building
    @property
    def prompts(self) -> MeasurePrompts:
        """The dialogs this panel opens (tests replace them)."""
        return self._prompts

    @prompts.setter
    def prompts(self, prompts: MeasurePrompts) -> None:
        self._prompts = prompts
        self.entry.prompts = prompts

    def _action(self, text: str, name: str, tip: str, shortcut: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        action.setStatusTip(tip)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            "&New measure…", "new_measure", "Define a new measure", NEW_MEASURE_SHORTCUT
        )
        self.new_action.triggered.connect(self.new_measure)
        self.edit_action = self._action(
            "&Edit measure…", "edit_measure", "Edit the measure's definition", EDIT_MEASURE_SHORTCUT
        )
        self.edit_action.triggered.connect(self.edit_measure)
        self.delete_action = self._action(
            "&Delete measure…",
            "delete_measure",
            "Delete the selected measure and its data (Del in the list; undoable)",
        )
        self.delete_action.triggered.connect(self.delete_measure)
        self.exclude_action = self._action(
            "E&xclude or include point…",
            "exclude_point",
            "Leave the current point out of the centre line and limits, with a reason",
            EXCLUDE_SHORTCUT,
        )
        self.exclude_action.triggered.connect(lambda: self._on_current_row("exclude"))
        self.annotate_action = self._action(
            "Add &annotation…",
            "add_annotation",
            "Mark the current period on the chart (a test of change, an event…)",
            ANNOTATE_SHORTCUT,
        )
        self.annotate_action.triggered.connect(lambda: self._on_current_row("annotate"))
        self.freeze_action = self._action(
            "&Freeze baseline here…",
            "freeze_baseline",
            "Work out the centre line and limits from the points up to the current one",
            FREEZE_SHORTCUT,
        )
        self.freeze_action.triggered.connect(lambda: self._on_current_row("freeze"))
        self.phase_action = self._action(
            "Start new &phase here…",
            "start_phase",
            "Start a new centre line and limits at the current point, with a reason",
            PHASE_SHORTCUT,
        )
        self.phase_action.triggered.connect(lambda: self._on_current_row("phase"))
        self.export_action = self._action(
            "Export &chart as PDF…",
            "export_chart",
            "Save the chart with its definition, legend and summary as a PDF page",
        )
        self.export_action.triggered.connect(lambda: self.plot.choose_export("pdf"))
        self.list_action = self._action(
            "Show measure &list",
            "show_measure_list",
            "Show or hide the list of the project's measures (more room for the chart)",
        )
        self.list_action.setCheckable(True)
        self.list_action.setChecked(True)
        self.list_action.toggled.connect(self._list_toggled)

    def _build(self) -> None:
        self.toolbar = QToolBar("Measure actions", self)
        self.toolbar.setAccessibleName("Measure actions")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_action, self.edit_action, self.delete_action):
            self.toolbar.addAction(action)
            button = self.toolbar.widgetForAction(action)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
        self.toolbar.addSeparator()
        # the toolbar says what a click does ("Hide list" / "Show list"); the menu keeps the
        # ticked "Show measure list"
        self.list_button_action = QAction("Hide list", self)
        self.list_button_action.setObjectName("toggle_measure_list")
        self.list_button_action.setToolTip(self.list_action.toolTip())
        self.list_button_action.triggered.connect(self.list_action.toggle)
        self.toolbar.addAction(self.list_button_action)
        self.toolbar.widgetForAction(self.list_button_action).setAccessibleName("Hide measure list")

        self.measure_table = QTableView()
        self.measure_table.setObjectName("measure_list")
        self.measure_table.setAccessibleName("Measures of the project")
        self.measure_table.setModel(self.list_model)
        self.measure_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.measure_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.measure_table.setTabKeyNavigation(False)
        self.measure_table.setAlternatingRowColors(True)
        self.measure_table.verticalHeader().setVisible(False)
        self.measure_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.measure_table.verticalHeader().setDefaultSectionSize(
            self.measure_table.fontMetrics().height() + 8
        )
        self.measure_table.setWordWrap(False)
        self.measure_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.measure_table.horizontalHeader()
        header.setSectionResizeMode(MeasureColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(MeasureColumn.TYPE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(MeasureColumn.LATEST, QHeaderView.ResizeMode.ResizeToContents)
        header.setHighlightSections(False)
        self.measure_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.measure_table.doubleClicked.connect(lambda _index: self.edit_measure())
        self.measure_table.installEventFilter(self)

        self.heading = QLabel()
        self.heading.setObjectName("measure_heading")
        self.heading.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.subheading = QLabel()
        self.subheading.setObjectName("measure_subheading")
        self.subheading.setStyleSheet("color: #4c6272;")
        self.subheading.setWordWrap(True)

        self.chart_box = self._combo("Chart type")
        self.preset_box = self._combo("Rule preset")
        self.view_box = self._combo("View")
        for view in ChartView:
            self.view_box.addItem(view.label, view)
        switchers = QHBoxLayout()
        for text, box, stretch in (
            ("C&hart:", self.chart_box, 3),
            ("R&ules:", self.preset_box, 2),
            ("&View:", self.view_box, 3),
        ):
            label = QLabel(text)
            label.setBuddy(box)
            switchers.addWidget(label)
            switchers.addWidget(box, stretch)
        self.chart_box.activated.connect(self._chart_chosen)
        self.preset_box.activated.connect(self._preset_chosen)
        self.view_box.activated.connect(self._view_chosen)

        self.grid = DataGrid()
        self.grid.setModel(self.model)
        if self.context.workspace.read_only:  # nothing can be saved: don't invite typing
            self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problem_icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.problem_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        )
        self.problem_text = QLabel()
        self.problem_text.setObjectName("grid_problems")
        self.problem_text.setWordWrap(True)
        self.problem_text.setStyleSheet(f"color: {ERROR_COLOUR};")
        problems = QHBoxLayout()
        problems.addWidget(self.problem_icon, 0, Qt.AlignmentFlag.AlignTop)
        problems.addWidget(self.problem_text, 1)
        self.status_text = QLabel()
        self.status_text.setObjectName("grid_status")
        self.status_text.setWordWrap(True)
        self.status_text.setStyleSheet("color: #4c6272;")
        keys = QLabel(KEYS_HELP)
        keys.setObjectName("grid_keys")
        keys.setWordWrap(True)
        keys.setStyleSheet("color: #4c6272;")
        keys.setAccessibleName(KEYS_HELP)
        grid_side = QWidget()
        grid_layout = QVBoxLayout(grid_side)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.addWidget(self.grid, 1)
        grid_layout.addLayout(problems)
        grid_layout.addWidget(self.status_text)

        self.plot = make_chart_widget()
        # the heading above already names the measure and the switchers its chart type and
        # rules: the chart keeps only its icons, and the height goes to the drawing
        self.plot.plot.set_titles_visible(False)
        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("measure_split")
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(grid_side)
        self.split.addWidget(self.plot)
        self.split.setStretchFactor(0, 0)  # the grid keeps its width; the chart takes the rest
        self.split.setStretchFactor(1, 1)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(4)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.subheading)
        detail_layout.addLayout(switchers)
        detail_layout.addWidget(self.split, 1)
        detail_layout.addWidget(keys)

        self.empty = QLabel(NO_PROJECT_TEXT)
        self.empty.setObjectName("measures_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.detail_stack = QStackedWidget()
        self.detail_stack.addWidget(self.empty)
        self.detail_stack.addWidget(detail)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.measure_table)
        layout.addWidget(self.detail_stack, 1)
        self._fit_list()
        self._show_problems()

    def _fit_list(self) -> None:
        """Make the measure list as tall as its rows (at most :data:`LIST_ROWS`).

        Without measures the (empty) list stays, whatever "Show measure list" says: it is
        where the keyboard lands, so that Ctrl+Shift+M can define the first measure.
        """
        table = self.measure_table
        count = self.list_model.rowCount()
        rows = min(max(count, 1), LIST_ROWS)
        height = table.horizontalHeader().sizeHint().height()
        height += rows * table.verticalHeader().defaultSectionSize() + 2 * table.frameWidth()
        if count > LIST_ROWS:
            height += table.fontMetrics().height() // 2  # a half row hints that it scrolls
        table.setFixedHeight(height)
        self.list_action.setEnabled(count > 0)
        self.list_button_action.setEnabled(count > 0)
        table.setVisible(count == 0 or self.list_action.isChecked())

    def _list_toggled(self, shown: bool) -> None:
        """Show or hide the measure list (its focus moves to the grid when it goes)."""
        had_focus = self.measure_table.hasFocus()
        self.measure_table.setVisible(shown or self.list_model.rowCount() == 0)
        self.list_button_action.setText("Hide list" if shown else "Show list")
        button = self.toolbar.widgetForAction(self.list_button_action)
        if button is not None:
            button.setAccessibleName("Hide measure list" if shown else "Show measure list")
        if had_focus and not shown:
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _combo(name: str) -> QComboBox:
        box = QComboBox()
        box.setAccessibleName(name)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(12)
        return box

    def menu_actions(self) -> list[QAction]:
        """New, Edit, Delete measure; Exclude, Annotate, Freeze baseline, New phase; the list."""
        separator = QAction(self)
        separator.setSeparator(True)
        last = QAction(self)
        last.setSeparator(True)
        return [
            self.new_action,
            self.edit_action,
            self.delete_action,
            separator,
            self.exclude_action,
            self.annotate_action,
            self.freeze_action,
            self.phase_action,
            self.export_action,
            last,
            self.list_action,
        ]

    # ------------------------------------------------------------------ state
    @property
    def measure(self) -> Measure | None:
        """The measure shown."""
        return self._measure

    @property
    def chart_data(self) -> ChartData | None:
        """The chart shown (as computed by the service)."""
        return self._data

    def show_status(self, text: str) -> None:
        """Show a short status message under the grid (announced to screen readers)."""
        self.status_text.setText(text)
        self.status_text.setAccessibleName(text)

    def _show_problems(self) -> None:
        lines = self.model.problem_lines()
        text = "\n".join(lines)
        self.problem_text.setText(text)
        self.problem_text.setAccessibleName(text or "No problems")
        self.problem_icon.setVisible(bool(lines))
        self.problem_text.setVisible(bool(lines))

    def _update_actions(self) -> None:
        writable = not self.context.workspace.read_only
        has_project = self._project_id is not None
        has_measure = self._measure is not None
        self.new_action.setEnabled(writable and has_project)
        self.edit_action.setEnabled(writable and has_measure)
        self.delete_action.setEnabled(writable and has_measure)
        for action in (
            self.exclude_action, self.annotate_action, self.freeze_action, self.phase_action
        ):  # fmt: skip
            action.setEnabled(writable and has_measure)
        self.export_action.setEnabled(has_measure)

    # ------------------------------------------------------------------ project and list
    def _project_selected(self, project_id: str | None) -> None:
        if project_id == self._project_id and self._project_id is not None:
            return
        self._project_id = project_id
        self._reload_list(select=None)

    def _reload_list(self, select: str | None) -> None:
        """Read the project's measures again and select ``select`` (else keep or the first)."""
        keep = select or (self._measure.id if self._measure else None)
        rows: list[MeasureRow] = []
        if self._project_id is not None:
            for measure in self.context.measures.for_project(self._project_id):
                if self._measure is not None and measure.id == self._measure.id and self._data:
                    rows.append(MeasureRow.of(measure, self._data.observations))
                else:
                    rows.append(
                        MeasureRow.of(measure, self.context.measures.observations(measure.id))
                    )
        self._syncing = True
        try:
            self.list_model.set_rows(rows)
        finally:
            self._syncing = False
        self._fit_list()
        if self._project_id is None:
            self.empty.setText(NO_PROJECT_TEXT)
        elif not rows:
            self.empty.setText(NO_MEASURES_TEXT)
        self.empty.setAccessibleName(self.empty.text().split("\n")[0])
        ids = [r.measure.id for r in rows]
        target = keep if keep in ids else (ids[0] if ids else None)
        self.select_measure(target)

    def select_measure(self, measure_id: str | None) -> None:
        """Select ``measure_id`` in the list and show its grid and chart."""
        row = self.list_model.row_of(measure_id) if measure_id else -1
        selection = self.measure_table.selectionModel()
        self._syncing = True
        try:
            if row < 0:
                selection.clearSelection()
            else:
                selection.setCurrentIndex(
                    self.list_model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
        finally:
            self._syncing = False
        self._show_measure(measure_id if row >= 0 else None)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._syncing:
            return
        rows = self.measure_table.selectionModel().selectedRows()
        measure = self.list_model.measure_at(rows[0].row()) if rows else None
        if measure is not None and (self._measure is None or measure.id != self._measure.id):
            self._show_measure(measure.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete in the measure list deletes the selected measure (after asking)."""
        if (
            watched is self.measure_table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
        ):
            self.delete_measure()
            return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------------ the shown measure
    def _show_measure(self, measure_id: str | None) -> None:
        measure: Measure | None = None
        if measure_id is not None:
            try:
                measure = self.context.measures.get(measure_id)
            except NotFoundError:
                measure = None
        changed = measure is None or self._measure is None or self._measure.id != measure.id
        self._measure = measure
        if changed:
            self._chart_override = None
            self._preset_override = None
        if measure is None:
            self._data = None
            self.model.set_measure(None, [])
            self.detail_stack.setCurrentWidget(self.empty)
            self._update_actions()
            return
        self.detail_stack.setCurrentIndex(1)
        self._data = self._compute()
        if changed:
            self.model.set_measure(measure, self._data.observations)
        else:
            self.model.update_measure(measure)
            self.model.sync(self._data.observations)
        self._fill_switchers()
        self._show_heading()
        self.plot.show_chart(self._data)
        self.list_model.update_row(MeasureRow.of(measure, self._data.observations))
        self._update_actions()
        if changed:
            self.show_status("")
            self.grid.go_to_new_row()
            self._size_grid()

    def _size_grid(self) -> None:
        """Fit the columns to their contents and give the grid the width of its number columns.

        The chart gets the rest (at least 55 %: it is the largest thing on the panel); the
        splitter handle lets the user change the split, and a wider panel widens the chart.
        """
        grid = self.grid
        grid.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            field = self.model.field_at(column)
            widest = 220 if field is not None and field.is_text else 130
            grid.setColumnWidth(column, min(max(grid.columnWidth(column), 56), widest))
        shown = [
            self.model.column_of(f)
            for f in (Field.PERIOD, Field.NUMERATOR, Field.DENOMINATOR, Field.VALUE, Field.PLOTTED)
        ]
        want = sum(grid.columnWidth(c) for c in shown if c >= 0)
        want += (
            grid.verticalHeader().sizeHint().width() + grid.verticalScrollBar().sizeHint().width()
        )
        want += 2 * grid.frameWidth() + 2
        total = sum(self.split.sizes())
        if total > 0:
            grid_width = min(want, total * 45 // 100)
            self.split.setSizes([grid_width, total - grid_width])
        grid.horizontalScrollBar().setValue(0)
        current = grid.currentIndex()
        if current.isValid():
            grid.scrollTo(current)

    def _compute(self) -> ChartData:
        assert self._measure is not None
        view = self._view
        return self.context.measures.chart(
            self._measure.id,
            view=view,
            chart=self._chart_override if view is ChartView.DEFAULT else None,
            preset=self._preset_override if view is ChartView.DEFAULT else None,
        )

    def refresh_chart(self, touched: frozenset[str] | None = None) -> None:
        """Recompute the shown chart through the service; update the grid rows and the plot.

        ``touched`` are the observation ids a change named (the grid compares only those rows).
        When the measure's definition itself changed, everything shown is rebuilt.
        """
        measure = self._measure
        if measure is None:
            return
        data = self._compute()
        if data.measure != measure:  # the definition was edited (or undone)
            self._show_measure(measure.id)
            return
        self._data = data
        self.model.sync(data.observations, touched)
        self.plot.show_chart(data)
        self.list_model.update_row(MeasureRow.of(measure, data.observations))

    def _show_heading(self) -> None:
        measure = self._measure
        if measure is None:
            return
        self.heading.setText(measure.name)
        self.heading.setAccessibleName(f"Measure: {measure.name}")
        better = {
            Direction.INCREASE: "higher is better",
            Direction.DECREASE: "lower is better",
            Direction.NEUTRAL: "no direction",
        }[measure.direction]
        period = {Period.DAY: "daily", Period.WEEK: "weekly", Period.MONTH: "monthly"}[
            measure.period
        ]
        parts = [measure.measure_type.label + " measure", period, better]
        if measure.target is not None:
            parts.append(f"target {measure.target:g}{measure.unit if measure.unit == '%' else ''}")
        text = " · ".join(parts)
        if measure.definition:
            text += f"\n{measure.definition}"
        self.subheading.setText(text)
        self.subheading.setAccessibleName(text)

    # ------------------------------------------------------------------ switchers
    def _fill_switchers(self) -> None:
        measure = self._measure
        if measure is None:
            return
        suggestion = suggest_chart(measure.data_type)
        charts = [suggestion.chart, *suggestion.alternatives]
        if measure.chart not in charts:
            charts.append(measure.chart)
        view_chart, view_preset = view_settings(measure, self._view)
        chosen_chart = self._chart_override or view_chart
        chosen_preset = self._preset_override or view_preset
        if self._view is not ChartView.DEFAULT:
            chosen_chart, chosen_preset = view_chart, view_preset
            if chosen_chart not in charts:
                charts.append(chosen_chart)
        for box in (self.chart_box, self.preset_box, self.view_box):
            box.blockSignals(True)
        try:
            self.chart_box.clear()
            for chart in charts:
                label = chart.label
                if chart is suggestion.chart:
                    label += " · suggested"
                if chart is measure.chart and chart is not suggestion.chart:
                    label += " · default"
                self.chart_box.addItem(label, chart)
            self.chart_box.setCurrentIndex(max(0, self.chart_box.findData(chosen_chart)))
            self.chart_box.setToolTip(suggestion.reason)
            self.preset_box.clear()
            for preset in Preset:
                self.preset_box.addItem(preset.value, preset)
            self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(chosen_preset)))
            self.view_box.setCurrentIndex(max(0, self.view_box.findData(self._view)))
        finally:
            for box in (self.chart_box, self.preset_box, self.view_box):
                box.blockSignals(False)
        fixed = self._view is not ChartView.DEFAULT
        self.chart_box.setEnabled(not fixed)
        self.preset_box.setEnabled(not fixed)
        tip = "Set by the view" if fixed else "Shown now; the measure's default is kept"
        self.preset_box.setToolTip(tip)

    def _chart_chosen(self, index: int) -> None:
        measure = self._measure
        data = self.chart_box.itemData(index)
        if measure is None or data is None:
            return
        chart = ChartType(data)
        self._chart_override = None if chart is measure.chart else chart
        self._switch()

    def _preset_chosen(self, index: int) -> None:
        measure = self._measure
        data = self.preset_box.itemData(index)
        if measure is None or data is None:
            return
        preset = Preset(data)
        self._preset_override = None if preset is measure.preset else preset
        self._switch()

    def _view_chosen(self, index: int) -> None:
        view = self.view_box.itemData(index)
        if view is not None:
            self.set_view(ChartView(view))

    def set_view(self, view: ChartView) -> None:
        """Show the measure's chart, the improvement view or the assurance view."""
        self._view = view
        self._switch()

    def set_chart_type(self, chart: ChartType) -> None:
        """Show the measure with another chart type (the measure's default is kept)."""
        measure = self._measure
        if measure is not None:
            self._chart_override = None if chart is measure.chart else chart
            self._switch()

    def set_preset(self, preset: Preset) -> None:
        """Show the measure with another rule preset (the measure's default is kept)."""
        measure = self._measure
        if measure is not None:
            self._preset_override = None if preset is measure.preset else preset
            self._switch()

    def _switch(self) -> None:
        self._fill_switchers()
        self.refresh_chart(frozenset())

    # ------------------------------------------------------------------ chart requests
    def _period_of(self, index: int) -> object:
        data = self._data
        if data is None or not 0 <= index < len(data.periods):
            return None
        return data.periods[index]

    def _point_activated(self, index: int) -> None:
        period = self._period_of(index)
        if period is None:
            return
        row = self.model.row_of_period(period)  # type: ignore[arg-type]
        if row >= 0:
            current = self.grid.currentIndex()
            column = current.column() if current.isValid() else 0
            self.grid.go_to(row, column)

    def _annotation_requested(self, index: int) -> None:
        period = self._period_of(index)
        if period is not None:
            self.entry.annotate(period)  # type: ignore[arg-type]

    def _phase_requested(self, index: int, kind: str) -> None:
        period = self._period_of(index)
        if period is not None:
            self.entry.add_phase(period, PhaseKind(kind))  # type: ignore[arg-type]

    def _on_current_row(self, what: str) -> None:
        current = self.grid.currentIndex()
        row = current.row() if current.isValid() else -1
        obs = self.model.observation_at(row)
        if obs is None:
            obs = self.model.observation_at(self.model.new_row - 1)
            row = self.model.new_row - 1
        if obs is None:
            self.show_status("Enter a point first: annotations and phases sit on a point.")
            return
        if what == "exclude":
            self.entry.toggle_exclude(row)
        elif what == "annotate":
            self.entry.annotate(obs.period)
        elif what == "freeze":
            self.entry.add_phase(obs.period, PhaseKind.FREEZE)
        else:
            self.entry.add_phase(obs.period, PhaseKind.PHASE)

    # ------------------------------------------------------------------ measure commands
    def new_measure(self) -> None:
        """Open the editor for a new measure and create it (one undo step)."""
        if self._project_id is None:
            return
        draft = Measure(
            self._project_id,
            "",
            measure_type=MeasureType.OUTCOME,
            data_type=DataType.PROPORTION,
            multiplier=100.0,
            unit="%",
            period=Period.WEEK,
            chart=suggest_chart(DataType.PROPORTION).chart,
            owner=self.context.workspace.user,
        )
        measure = self.prompts.measure(draft, new=True)
        if measure is None:
            return
        command = CreateMeasureCommand(self.context, measure)
        self.context.push(command)
        if self.list_model.row_of(command.measure.id) >= 0:
            self.select_measure(command.measure.id)
            self.grid.setFocus(Qt.FocusReason.OtherFocusReason)

    def edit_measure(self) -> None:
        """Open the editor for the shown measure and save it (one undo step)."""
        measure = self._measure
        if measure is None:
            return
        try:
            fresh = self.context.measures.get(measure.id)
        except NotFoundError:
            return
        after = self.prompts.measure(fresh, new=False)
        if after is None or after == fresh:
            return
        self.context.push(EditMeasureCommand(self.context, fresh, after))

    def delete_measure(self) -> None:
        """Delete the shown measure after a confirmation naming it (one undo step)."""
        measure = self._measure
        if measure is None:
            return
        points = len(self._data.observations) if self._data else 0
        if not self.prompts.confirm_delete(measure, points):
            return
        self.context.push(DeleteMeasureCommand(self.context, measure))

    # ------------------------------------------------------------------ changes
    def apply_changes(self, changes: Changes) -> None:
        """Follow changes of this project's measures and of the shown measure's data."""
        if changes.workspace_replaced:
            self._measure = None
            self._data = None
            self._project_id = self.context.current_project_id
            self._reload_list(select=None)
            return
        data_changed = any(changes.touches(e) for e in _DATA_ENTITIES)
        if not changes.touches(Entity.MEASURE):
            if data_changed and self._measure is not None:  # a service that named no measure
                self._follow_shown(changes)
            return
        shown = self._measure.id if self._measure else None
        ids = changes.ids(Entity.MEASURE)
        created = changes.created.get(Entity.MEASURE, frozenset())
        deleted = changes.deleted.get(Entity.MEASURE, frozenset())
        if created or deleted:
            select = next(iter(created)) if len(created) == 1 else None
            if shown in deleted:
                self._measure = None
                self._data = None
            self._reload_list(select=select)
            return
        if shown is not None and shown in ids:
            self._follow_shown(changes)
        for measure_id in ids - {shown}:
            if self.list_model.row_of(measure_id) >= 0:
                self._reload_row(measure_id)

    def _follow_shown(self, changes: Changes) -> None:
        """Recompute the shown measure's chart (its data, phases, notes or definition changed)."""
        try:
            self.refresh_chart(changes.ids(Entity.OBSERVATION))
        except NotFoundError:  # deleted by another route than this panel's commands
            self._measure = None
            self._data = None
            self._reload_list(select=None)

    def _reload_row(self, measure_id: str) -> None:
        try:
            measure = self.context.measures.get(measure_id)
        except NotFoundError:
            return
        self.list_model.update_row(
            MeasureRow.of(measure, self.context.measures.observations(measure_id))
        )

    def open_measure(self, measure_id: str) -> bool:
        """Show ``measure_id`` (switching to its project if needed) with the cursor in its grid.

        For the dashboard's "open this measure"; False when the measure no longer exists.
        """
        try:
            measure = self.context.measures.get(measure_id)
        except NotFoundError:
            return False
        if measure.project_id != self._project_id:
            self.context.select_project(measure.project_id)
        self.select_measure(measure_id)
        self.focus_grid()
        return self._measure is not None and self._measure.id == measure_id

    def showEvent(self, event: QShowEvent) -> None:
        """On first show, split the room between the grid and the chart."""
        super().showEvent(event)
        if not self._sized and self._measure is not None:
            self._sized = True
            self._size_grid()

    def focus_grid(self) -> None:
        """Put the keyboard focus in the data grid, on the next period's first number."""
        self.grid.setFocus(Qt.FocusReason.OtherFocusReason)
        self.grid.go_to_new_row()
