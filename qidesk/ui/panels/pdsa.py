"""The PDSA panel: the project's cycles with filters, the cycle editor, the ramp view, coaching.

It follows the project chosen in the project list. It reads through :class:`PdsaService` and
refreshes when a broadcast ``Changes`` touches PDSA cycles, the driver diagram, measures or
projects. Every edit is one undo command (:mod:`qidesk.ui.pdsa.commands`): Save pushes one
:class:`EditCycleCommand` for the whole cycle; "Start next cycle" pushes one command that creates
the next cycle, linked and pre-filled, and opens it. Before saving, the draft is checked with
:func:`qidesk.core.pdsa.cycle_problems` (problems shown at their fields) and its free text goes
through the patient-identifier guard (warn, don't block). No SQL and no rules here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.errors import NotFoundError, QideskError
from qidesk.core.fidelity import ProjectFidelity
from qidesk.core.pdsa import CycleStatus, PdsaCycle, cycle_problems, same_cycle
from qidesk.services.pdsa import PdsaService
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.dialogs.identifier_warning import identifiers_accepted
from qidesk.ui.panels.charter_fields import NoticeBar
from qidesk.ui.pdsa import dialogs
from qidesk.ui.pdsa.commands import (
    CreateCycleCommand,
    DeleteCycleCommand,
    EditCycleCommand,
    StartNextCycleCommand,
)
from qidesk.ui.pdsa.compact import ElidedHeading, compact_combo
from qidesk.ui.pdsa.editor import PdsaEditor
from qidesk.ui.pdsa.fidelity_view import FidelityView
from qidesk.ui.pdsa.list_model import CYCLE_ID_ROLE, ListColumn, PdsaListModel
from qidesk.ui.pdsa.ramp_view import RampView
from qidesk.ui.pdsa.worksheet_pdf import WorksheetContext, write_worksheet
from qidesk.ui.widgets.save_bar import SaveBar

NO_PROJECT = "Choose a project in the project list to see and plan its PDSA cycles."
NO_CYCLE = (
    "No cycle chosen.\n\nChoose a cycle in the list, or start a new ramp of tests with “New cycle”."
)
_DELETED_TEXT = "This cycle was deleted. Undo (Ctrl+Z) brings it back."
_WATCHED = (Entity.PDSA, Entity.DRIVER, Entity.MEASURE, Entity.OBSERVATION, Entity.PROJECT)
#: the cycle list is given room for this many rows before it scrolls…
LIST_ROWS = 6
#: …but never more than this share of the panel's height: the worksheet below needs the rest
LIST_SHARE = 0.4


class PdsaPanel(Panel):
    """Plan, run, study and act on the PDSA cycles of the current project."""

    panel_id = "pdsa"
    title = "PDSA cycles"

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.service = PdsaService(context.workspace.workspace)
        #: today's date; a function so that tests can pin it
        self.today: Callable[[], date] = date.today
        self._project_id: str | None = None
        self._stored: PdsaCycle | None = None  # the cycle in the editor, as last read
        self._deleted = False
        self._fidelity: ProjectFidelity | None = None
        #: the project's live cycles, change-idea ids and measure ids, for the save rules
        self._rule_context: tuple[list[PdsaCycle], set[str], set[str]] | None = None
        #: True once the user has dragged the handle between the list and the worksheet
        self.split_moved_by_user = False
        self.model = PdsaListModel(self)
        self._build()
        self._actions = self._make_actions()
        context.on_project_selected(self.show_project)
        self.show_project(context.current_project_id)

    # ------------------------------------------------------------------ building
    def _build(self) -> None:
        self.notice = NoticeBar(self)
        self.ramp_filter = QComboBox()
        self.ramp_filter.setAccessibleName("Show cycles of ramp")
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Show cycles with status")
        self.status_filter.addItem("Any status", None)
        for status in CycleStatus:
            self.status_filter.addItem(status.label, status.value)
        self.idea_filter = QComboBox()
        self.idea_filter.setAccessibleName("Show cycles testing change idea")
        filters = QHBoxLayout()
        # compact boxes: a long ramp or change-idea name must not widen the panel beyond a
        # 1366-px screen beside the project dock (their lists still show names in full)
        for text, combo, chars in (("Ramp:", self.ramp_filter, 10),
                                   ("Status:", self.status_filter, 8),
                                   ("Change idea:", self.idea_filter, 14)):  # fmt: skip
            compact_combo(combo, chars)
            label = QLabel(text)
            label.setBuddy(combo)
            filters.addWidget(label)
            filters.addWidget(combo, 1)
            combo.currentIndexChanged.connect(self._filters_changed)

        self.list = QTableView()
        self.list.setObjectName("pdsa_list")
        self.list.setModel(self.model)
        self.list.setAccessibleName("PDSA cycles of the project")
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setTabKeyNavigation(False)
        self.list.verticalHeader().setVisible(False)
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ListColumn.CYCLE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ListColumn.OBJECTIVE, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(ListColumn.CYCLE, 220)
        self.list.selectionModel().currentRowChanged.connect(self._row_chosen)

        self.new_button = QPushButton("New cycle")
        self.next_button = QPushButton("Start next cycle")
        self.delete_button = QPushButton("Delete cycle")
        self.export_button = QPushButton("Export worksheet PDF…")
        for button in (self.new_button, self.next_button, self.delete_button, self.export_button):
            button.setAccessibleName(button.text().rstrip("…"))
        self.export_button.setAccessibleName("Export the cycle's worksheet as PDF")
        buttons = QHBoxLayout()
        for button in (self.new_button, self.next_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        self.new_button.clicked.connect(self.new_cycle)
        self.next_button.clicked.connect(self.start_next_cycle)
        self.delete_button.clicked.connect(self.delete_cycle)
        self.export_button.clicked.connect(self.export_worksheet)

        top = QWidget()
        self.list_area = top
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(filters)
        top_layout.addWidget(self.list, 1)
        top_layout.addLayout(buttons)

        self.editor = PdsaEditor()
        self.editor.edited.connect(self._refresh_state)
        self.editor.start_next_requested.connect(self.start_next_cycle)
        # one line, elided: the worksheet's height goes to the fields (the tooltip and the
        # accessible name keep the whole title)
        self.heading = ElidedHeading()
        self.heading.setObjectName("pdsa_heading")
        self.save_bar = SaveBar("pdsa_state", self.save, self.revert, "Save cycle")
        self.state_text = self.save_bar.state_text
        self.revert_button = self.save_bar.revert_button
        self.revert_button.setAccessibleName("Revert: discard unsaved changes to the cycle")
        self.save_button = self.save_bar.save_button
        self.save_button.setAccessibleName("Save the PDSA cycle")
        self.save_button.setToolTip("Save the cycle (Ctrl+S); Undo reverses a save")
        editor_page = QWidget()
        editor_layout = QVBoxLayout(editor_page)
        editor_layout.setContentsMargins(0, 4, 0, 0)
        editor_layout.addWidget(self.heading)
        editor_layout.addWidget(self.editor, 1)
        editor_layout.addWidget(self.save_bar)
        self.no_cycle = QLabel(NO_CYCLE)
        self.no_cycle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_cycle.setWordWrap(True)
        self.editor_stack = QStackedWidget()
        self.editor_stack.addWidget(self.no_cycle)
        self.editor_stack.addWidget(editor_page)

        self.ramp_view = RampView()
        self.fidelity_view = FidelityView()
        self.views = QTabWidget()
        self.views.setObjectName("pdsa_views")
        self.views.setAccessibleName("Cycle worksheet, ramp timeline and coaching notes")
        self.views.tabBar().setAccessibleName("PDSA views")
        self.views.addTab(self.editor_stack, "Worksheet")
        self.views.addTab(self.ramp_view, "Ramp timeline")
        self.views.addTab(self.fidelity_view, "Coaching notes")
        self.fidelity_view.cycle_chosen.connect(self.open_cycle)

        split = QSplitter(Qt.Orientation.Vertical)
        split.setObjectName("pdsa_split")
        split.addWidget(top)
        split.addWidget(self.views)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        split.splitterMoved.connect(self._split_moved)
        self.split = split
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(split)
        self.placeholder = QLabel(NO_PROJECT)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 4, 4, 4)
        outer.addWidget(self.notice)
        outer.addWidget(self.stack, 1)

    def _make_actions(self) -> dict[str, QAction]:
        def act(name: str, text: str, slot: Callable[[], object], tip: str) -> QAction:
            action = QAction(text, self)
            action.setObjectName(f"pdsa_{name}")
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.triggered.connect(slot)
            return action

        actions = {
            "new": act(
                "new", "&New cycle", self.new_cycle, "Start a new ramp with its first cycle"
            ),
            "next": act(
                "next", "&Start next cycle", self.start_next_cycle,
                "Create the next cycle of this ramp, linked and pre-filled",
            ),
            "delete": act(
                "delete", "&Delete cycle", self.delete_cycle, "Delete the chosen cycle (undoable)"
            ),
            "export": act(
                "export", "&Export worksheet PDF…", self.export_worksheet,
                "Save the chosen cycle as a PDSA worksheet (PDF, A4)",
            ),
        }  # fmt: skip
        save = QAction("Save cycle", self)
        save.setObjectName("pdsa_save")
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save)
        self.addAction(save)
        actions["save"] = save
        return actions

    def menu_actions(self) -> list[QAction]:
        """New cycle, Start next cycle, Delete cycle and Export worksheet PDF."""
        return [self._actions[k] for k in ("new", "next", "delete", "export")]

    # ------------------------------------------------------------------ room for the list
    def list_height_for(self, rows: int) -> int:
        """The height of the list area (filters, list, buttons) that shows ``rows`` rows."""
        table = self.list
        table_height = (
            table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
            + 2
        )
        if table.horizontalScrollBar().isVisible():
            table_height += table.horizontalScrollBar().sizeHint().height()
        around = self.list_area.sizeHint().height() - table.sizeHint().height()
        return around + table_height

    def fit_split(self) -> None:
        """Give the cycle list room for its rows, up to :data:`LIST_ROWS`.

        At most :data:`LIST_SHARE` of the height goes to the list, so the worksheet keeps the
        rest; once the user drags the handle, their choice stands.
        """
        total = sum(self.split.sizes())
        if self.split_moved_by_user or total <= 0:
            return
        rows = max(3, min(self.model.rowCount(), LIST_ROWS))
        floor = self.list_area.minimumSizeHint().height()
        top = max(floor, min(self.list_height_for(rows), int(total * LIST_SHARE)))
        if self.split.sizes()[0] != top:
            self.split.setSizes([top, total - top])

    def _split_moved(self) -> None:
        self.split_moved_by_user = True

    def showEvent(self, event: QShowEvent) -> None:
        """Size the list once the panel has its real height."""
        super().showEvent(event)
        QTimer.singleShot(0, self.fit_split)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the list's share as the window grows or shrinks."""
        super().resizeEvent(event)
        QTimer.singleShot(0, self.fit_split)

    # ------------------------------------------------------------------ reading
    @property
    def project_id(self) -> str | None:
        """The project shown."""
        return self._project_id

    @property
    def current_cycle(self) -> PdsaCycle | None:
        """The cycle in the editor, as last read from the store."""
        return self._stored

    def show_project(self, project_id: str | None) -> None:
        """Show the cycles of ``project_id`` (``None``: the placeholder)."""
        if project_id is not None:
            try:
                self.context.projects.get(project_id)
            except NotFoundError:
                project_id = None
        if project_id != self._project_id:
            self._project_id = project_id
            self._show_cycle(None)
        self.stack.setCurrentIndex(0 if project_id is None else 1)
        self._refresh()

    def _refresh(self) -> None:
        """Re-read filters, list, ramp view and coaching notes for the current project."""
        pid = self._project_id
        if pid is None:
            self.model.set_cycles([], {})
            self._update_actions()
            return
        today = self.today()
        self._rule_context = None
        ideas = self.service.change_ideas(pid)
        ramps = self.service.ramps(pid)
        self._fill_filter(self.ramp_filter, "All ramps", [(r.ramp_id, r.name) for r in ramps])
        self._fill_filter(self.idea_filter, "Any change idea", [(n.id, n.text) for n in ideas])
        self._fidelity = self.service.fidelity(pid, today)
        cycles = self.service.list_cycles(
            pid,
            ramp_id=self.ramp_filter.currentData(),
            status=CycleStatus(s) if (s := self.status_filter.currentData()) else None,
            change_idea_id=self.idea_filter.currentData(),
        )
        notes = {c.id: len(self._fidelity.for_cycle(c.id)) for c in cycles}
        rows_before = self.model.rowCount()
        self.model.set_cycles(cycles, notes)
        if self.model.rowCount() != rows_before:
            self.fit_split()
        idea_id = self.idea_filter.currentData()
        shown_ramps = [r for r in ramps if idea_id is None or idea_id in r.change_idea_ids]
        self.ramp_view.set_ramps(shown_ramps, today, names={n.id: n.text for n in ideas})
        self.fidelity_view.show_fidelity(
            self._fidelity, {c.id: c.title for c in self._all_cycles()}
        )
        if self._stored is not None:
            self.ramp_view.show_ramp(self._stored.ramp_id)
        self._select_row(self._stored.id if self._stored else None)
        self._update_actions()

    def _all_cycles(self) -> list[PdsaCycle]:
        return self.service.list_cycles(self._project_id) if self._project_id else []

    @staticmethod
    def _fill_filter(combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        try:
            combo.clear()
            combo.addItem(everything, None)
            for item_id, text in items:
                combo.addItem(text if len(text) <= 60 else text[:59] + "…", item_id)
                combo.setItemData(combo.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(0, combo.findData(current)))
        finally:
            combo.blockSignals(False)

    def _filters_changed(self) -> None:
        self._refresh()

    def _select_row(self, cycle_id: str | None) -> None:
        row = self.model.row_of(cycle_id) if cycle_id else -1
        selection = self.list.selectionModel()
        selection.blockSignals(True)
        try:
            if row < 0:
                selection.clearSelection()
                selection.setCurrentIndex(
                    self.model.index(-1, -1), QItemSelectionModel.SelectionFlag.Clear
                )
            else:
                index = self.model.index(row, 0)
                selection.setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.list.scrollTo(index)
        finally:
            selection.blockSignals(False)

    def _row_chosen(self) -> None:
        index = self.list.currentIndex()
        cycle_id = index.data(CYCLE_ID_ROLE) if index.isValid() else None
        if cycle_id is None or (self._stored is not None and cycle_id == self._stored.id):
            return
        self.open_cycle(str(cycle_id))

    def open_cycle(self, cycle_id: str) -> bool:
        """Show cycle ``cycle_id`` in the editor; refused (with a notice) over unsaved edits."""
        if self.is_dirty() and not self._deleted:
            self._select_row(self._stored.id if self._stored else None)
            self.notice.show_notice(
                "The cycle you are editing has unsaved changes. Save or revert them first.",
                [("Save", self._save_clicked), ("Revert", self.revert)],
            )
            return False
        try:
            cycle = self.service.get(cycle_id)
        except NotFoundError:
            return False
        self._show_cycle(cycle)
        self._select_row(cycle.id)
        self.ramp_view.show_ramp(cycle.ramp_id)
        return True

    def _show_cycle(self, cycle: PdsaCycle | None) -> None:
        self._rule_context = None
        self.notice.hide_notice()
        self._deleted = False
        self._stored = cycle
        if cycle is None:
            self.editor_stack.setCurrentIndex(0)
            self._refresh_state()
            return
        pid = cycle.project_id
        ramp = self.service.list_cycles(pid, ramp_id=cycle.ramp_id)
        self.editor.load(
            cycle,
            change_ideas=[(n.id, n.text) for n in self.service.change_ideas(pid)],
            measures=[(m.id, m.name) for m in self.service.measures(pid)],
            ramp_cycles=ramp,
        )
        self.editor.show_problems({})
        self.editor_stack.setCurrentIndex(1)
        self._show_flags()
        self._refresh_state()

    def _show_flags(self) -> None:
        if self._stored is None or self._deleted:
            self.editor.show_flags([])
            return
        self.editor.show_flags(self.service.cycle_flags(self._stored.id, self.today()))

    # ------------------------------------------------------------------ state
    def is_dirty(self) -> bool:
        """True when the editor differs from the cycle it loaded."""
        if self._stored is None or self.editor.loaded is None:
            return False
        return not same_cycle(self.editor.draft(), self.editor.loaded)

    def problems(self) -> dict[str, str]:
        """What stops the editor's draft from being saved, keyed by field.

        The project's other cycles, change ideas and measures are read once per load or
        refresh (:meth:`_read_rule_context`), not on every keystroke.
        """
        if self._stored is None:
            return {}
        if self._rule_context is None:
            self._read_rule_context()
        assert self._rule_context is not None
        others, idea_ids, measure_ids = self._rule_context
        return cycle_problems(
            self.editor.draft(),
            others=others,
            change_idea_ids=idea_ids | set(self._stored.change_idea_ids),
            measure_ids=measure_ids | set(self._stored.measure_ids),
        )

    def _read_rule_context(self) -> None:
        pid = self._project_id
        if pid is None:
            self._rule_context = None
            return
        self._rule_context = (
            self.service.list_cycles(pid),
            {n.id for n in self.service.change_ideas(pid)},
            {m.id for m in self.service.measures(pid)},
        )

    def _refresh_state(self) -> None:
        stored = self._stored
        read_only = self.context.workspace.read_only
        if stored is None:
            self.save_bar.set_enabled(save=False, revert=False)
            self.save_bar.set_state("")
            self._update_actions()
            return
        problems = self.problems()
        self.editor.show_problems(problems)
        dirty = self.is_dirty()
        self.save_bar.set_enabled(
            save=dirty and not problems and not self._deleted and not read_only,
            revert=dirty and not self._deleted,
        )
        self.heading.setText(stored.title)
        count = len(problems)
        plural = "s" if count != 1 else ""
        self.save_bar.show_state(
            read_only=read_only,
            dirty=dirty,
            deleted=_DELETED_TEXT if self._deleted else "",
            problems=f"⚠ Cannot save yet: {count} problem{plural}. See the marked fields."
            if problems
            else "",
        )
        self._update_actions()

    def _update_actions(self) -> None:
        has_project = self._project_id is not None
        has_cycle = self._stored is not None and not self._deleted
        writable = not self.context.workspace.read_only
        enabled = {
            "new": has_project and writable,
            "next": has_cycle and writable,
            "delete": has_cycle and writable,
            "export": has_cycle,
        }
        for name, on in enabled.items():
            self._actions[name].setEnabled(on)
        self.new_button.setEnabled(has_project and writable)
        self.next_button.setEnabled(has_cycle and writable)
        self.delete_button.setEnabled(has_cycle and writable)
        self.export_button.setEnabled(has_cycle)
        self.editor.act.start_next.setEnabled(has_cycle and writable)

    # ------------------------------------------------------------------ editing
    def save(self) -> bool:
        """Save the editor as one undo step; True when saved (or nothing needed saving)."""
        stored = self._stored
        if stored is None or self._deleted:
            return False
        problems = self.problems()
        if problems:
            self.editor.show_problems(problems)
            self.editor.focus_problem(next(iter(problems)))
            return False
        if not self._identifiers_accepted():
            return False
        try:
            fresh = self.service.get(stored.id)
        except NotFoundError:
            self._deleted = True
            self._refresh_state()
            return False
        after = self.editor.draft()
        if not same_cycle(after, fresh):
            self.context.push(EditCycleCommand(self.context, self.service, fresh, after))
        try:
            saved = self.service.get(stored.id)
        except NotFoundError:
            return False
        if not same_cycle(after, saved):  # refused: the undo stack told the user why
            self._refresh_state()
            return False
        self.notice.hide_notice()
        self._show_cycle(saved)
        return True

    def _identifiers_accepted(self) -> bool:
        return identifiers_accepted(
            self.editor.free_text(),
            lambda messages: dialogs.confirm_identifiers(self, messages),
            self._show_tab_of,
            settings=self.context.settings,
        )

    def _show_tab_of(self, field: QWidget) -> None:
        for index in range(self.editor.tabs.count()):
            page = self.editor.tabs.widget(index)
            if page is not None and page.isAncestorOf(field):
                self.editor.tabs.setCurrentIndex(index)

    def _save_clicked(self) -> None:
        self.save()

    def revert(self) -> None:
        """Discard unsaved edits and show the stored cycle."""
        if self._stored is None:
            return
        try:
            self._show_cycle(self.service.get(self._stored.id))
        except NotFoundError:
            self._show_cycle(None)

    def _ready_for_command(self) -> bool:
        """Save unsaved edits first (True when there are none left)."""
        return not self.is_dirty() or self.save()

    def new_cycle(self) -> PdsaCycle | None:
        """Start a new ramp with its first cycle (one undo step) and open it."""
        pid = self._project_id
        if pid is None or not self._ready_for_command():
            return None
        idea_id = self.idea_filter.currentData()
        ideas = {n.id: n.text for n in self.service.change_ideas(pid)}
        count = len(self.service.ramps(pid))
        name = ideas[idea_id] if idea_id in ideas else f"Ramp {count + 1}"
        cycle = PdsaCycle(
            project_id=pid,
            ramp_name=name[:120],
            change_idea_ids=(idea_id,) if idea_id in ideas else (),
            owner=self.context.workspace.user.split("@")[0],
        )
        command = CreateCycleCommand(self.context, self.service, cycle)
        self.context.push(command)
        return self._open_created(command.cycle.id)

    def start_next_cycle(self) -> PdsaCycle | None:
        """Create the next cycle of the shown cycle's ramp (one undo step) and open it."""
        if self._stored is None or self._deleted or not self._ready_for_command():
            return None
        command = StartNextCycleCommand(self.context, self.service, self._stored)
        self.context.push(command)
        if command.new_cycle is None:
            return None
        opened = self._open_created(command.new_cycle.id)
        self.editor.tabs.setCurrentIndex(1)  # Plan
        return opened

    def _open_created(self, cycle_id: str) -> PdsaCycle | None:
        try:
            cycle = self.service.get(cycle_id)
        except NotFoundError:  # refused: the undo stack told the user why
            return None
        for combo in (self.ramp_filter, self.status_filter):
            combo.setCurrentIndex(0)
        self.open_cycle(cycle.id)
        self.views.setCurrentIndex(0)
        return cycle

    def delete_cycle(self) -> None:
        """Delete the shown cycle after asking (one undo step)."""
        stored = self._stored
        if stored is None or self._deleted:
            return
        if not dialogs.confirm_delete(self, stored.label):
            return
        self.context.push(DeleteCycleCommand(self.context, self.service, stored))

    def export_worksheet(self) -> Path | None:
        """Save the shown cycle as a worksheet PDF (saving unsaved edits first)."""
        if self._stored is None or self._deleted or not self._ready_for_command():
            return None
        cycle = self.service.get(self._stored.id)
        stem = "".join(ch if ch.isalnum() else "-" for ch in cycle.label).strip("-").lower()
        path = dialogs.ask_pdf_path(self, Path.home() / f"pdsa-{stem}.pdf")
        if path is None:
            return None
        try:
            return write_worksheet(path, cycle, self.worksheet_context(cycle))
        except (OSError, QideskError) as exc:
            dialogs.show_error(self, "Not exported", f"{path} could not be written: {exc}")
            return None

    def worksheet_context(self, cycle: PdsaCycle) -> WorksheetContext:
        """Names, the previous cycle and the flags that the worksheet of ``cycle`` shows."""
        pid = cycle.project_id
        previous = None
        if cycle.previous_cycle_id:
            try:
                previous = self.service.get(cycle.previous_cycle_id).title
            except NotFoundError:
                previous = "a cycle that has been deleted"
        return WorksheetContext(
            project_title=self.context.projects.get(pid).title,
            change_ideas={n.id: n.text for n in self.service.change_ideas(pid)},
            measures={m.id: m.name for m in self.service.measures(pid)},
            previous_label=previous,
            flags=self.service.cycle_flags(cycle.id, self.today()),
            made_on=self.today(),
        )

    # ------------------------------------------------------------------ changes
    def apply_changes(self, changes: Changes) -> None:
        """Follow saves, undo and redo; keep unsaved edits safe."""
        if changes.workspace_replaced:
            self._project_id = None
            self.show_project(self.context.current_project_id)
            return
        if not any(changes.touches(e) for e in _WATCHED) or self._project_id is None:
            return
        if (
            Entity.PROJECT in changes.deleted
            and self._project_id in changes.deleted[Entity.PROJECT]
        ):
            self.show_project(None)
            return
        self._follow_shown(changes)
        self._refresh()

    def _follow_shown(self, changes: Changes) -> None:
        stored = self._stored
        if stored is None:
            return
        try:
            fresh = self.service.get(stored.id)
        except NotFoundError:
            self._deleted = True
            self.notice.show_notice(
                "This cycle was deleted. Undo (Ctrl+Z) brings it back; until then it cannot "
                "be saved.",
                [],
            )
            self.editor.show_flags([])
            self._refresh_state()
            return
        if self._deleted or not self.is_dirty() or same_cycle(self.editor.draft(), fresh):
            self._show_cycle(fresh)
            return
        if stored.id in changes.ids(Entity.PDSA) and not same_cycle(fresh, stored):
            self._stored = fresh
            self.notice.show_notice(
                f"“{fresh.label}” was changed elsewhere (for example by Undo) while you were "
                "editing it. Your unsaved changes are still here.",
                [
                    ("Reload (discard my changes)", self.revert),
                    ("Keep my changes", self.notice.hide_notice),
                ],
            )
        self._show_flags()
        self._refresh_state()
