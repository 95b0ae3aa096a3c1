"""The project dashboard: every measure of the current project at a glance.

Small multiples (one compact :class:`~qidesk.ui.charts.spc_plot.SpcPlot` per measure, with its
name and its Making Data Count variation and assurance icons written out in words) above a
summary table (measure, type, latest value, variation, assurance, latest signal and its
reason, number of points, last update). Double-click (or Enter on) a tile or a row to open
the measure: the panel emits :attr:`DashboardPanel.measure_open_requested` with the measure id
and calls ``context.open_measure(measure_id)``; the main window shows the measures panel.

The charts default to the assurance view (XmR with Making Data Count rules: the NHS board
convention, and the view the icons belong to); a switch shows each measure's own chart or the
improvement view instead. The icons and the table always come from the assurance view.

It follows the project chosen in the project list and refreshes on ``Changes`` that touch
measures, observations, phases or annotations (only the measures named, when it can tell).
No SQL, no SPC arithmetic: charts come from ``MeasureService.chart`` and words from
:mod:`qidesk.core.chart_text`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.changes import Changes, Entity
from qidesk.core.chart_text import ChartOverview, assurance_label, overview, variation_label
from qidesk.core.charting import ChartData, ChartView
from qidesk.core.errors import NotFoundError
from qidesk.core.measures import Measure
from qidesk.core.spc.types import Direction
from qidesk.ui.charts import style
from qidesk.ui.charts.icons import IconBadge, icon_pixmap
from qidesk.ui.charts.spc_plot import SpcPlot
from qidesk.ui.context import Panel, WorkspaceContext

NO_PROJECT = "Choose a project in the project list to see its dashboard."
NO_MEASURES = "This project has no measures yet. Add one on the Measures tab to see it here."

_WATCHED = (Entity.MEASURE, Entity.OBSERVATION, Entity.PHASE, Entity.ANNOTATION)


def _when(iso: str) -> str:
    """An ISO 8601 UTC time as local ``26 Nov 2026 14:05`` (empty when unknown)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    local = moment.astimezone()
    return f"{local.day} {local.strftime('%b %Y %H:%M')}"


@dataclass(frozen=True)
class DashboardRow:
    """One measure on the dashboard: its overview line and when it last changed."""

    measure: Measure
    line: ChartOverview
    last_update: str


COLUMNS = (
    "Measure",
    "Type",
    "Latest value",
    "Variation",
    "Assurance",
    "Latest signal",
    "Reason",
    "Points",
    "Last update",
)
VARIATION, ASSURANCE = 3, 4
Index = QModelIndex | QPersistentModelIndex


class DashboardModel(QAbstractTableModel):
    """The dashboard's summary table (read-only), one row per measure."""

    MEASURE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[DashboardRow] = []
        self._icons: dict[tuple[object, ...], QPixmap] = {}

    def set_rows(self, rows: list[DashboardRow]) -> None:
        """Show ``rows``."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def replace_row(self, row: DashboardRow) -> None:
        """Update the row of ``row.measure`` in place."""
        for k, old in enumerate(self._rows):
            if old.measure.id == row.measure.id:
                self._rows[k] = row
                self.dataChanged.emit(self.index(k, 0), self.index(k, len(COLUMNS) - 1))
                return

    def rows(self) -> list[DashboardRow]:
        """The rows shown."""
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per measure."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """The columns of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def _text(self, row: DashboardRow, column: int, *, full: bool = False) -> str:
        line = row.line
        if column == 2 and line.latest_value:
            return f"{line.latest_value} ({line.latest_period})"
        if line.error and column in (VARIATION, 5):
            return "Cannot be charted" if column == VARIATION else line.error
        if column == 8 and not full:  # the day is what counts; the time is in the tooltip
            day, _, time = row.last_update.rpartition(" ")
            return day if day and ":" in time else row.last_update
        values = (
            line.name,
            line.measure_type,
            "",
            line.variation
            if full or line.variation_type is None
            else variation_label(line.variation_type, row.measure.direction, short=True),
            (line.assurance if full else assurance_label(line.assurance_type, short=True))
            or ("No target" if row.measure.target is None else ""),
            line.latest_signal,
            line.latest_signal_reason,
            str(line.points),
            row.last_update,
        )
        return values[column]

    def _icon(self, row: DashboardRow, column: int) -> QPixmap | None:
        line = row.line
        if column == VARIATION and line.variation_type is not None:
            key: tuple[object, ...] = (line.variation_type, row.measure.direction)
            if key not in self._icons:
                self._icons[key] = icon_pixmap(
                    22, point_type=line.variation_type, direction=row.measure.direction
                )
            return self._icons[key]
        if column == ASSURANCE and line.assurance_type is not None:
            key = (line.assurance_type,)
            if key not in self._icons:
                self._icons[key] = icon_pixmap(22, assurance=line.assurance_type)
            return self._icons[key]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text, icons (variation and assurance, always with their names) and the measure id."""
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(row, column, full=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._text(row, column, full=True) or None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 7):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == self.MEASURE_ID_ROLE:
            return row.measure.id
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column names (also as tooltips: a narrow column cuts its name short)."""
        if orientation == Qt.Orientation.Horizontal and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable, not editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class MeasureTile(QFrame):
    """One small multiple: the measure's name, its icons in words, and a compact chart."""

    open_requested = Signal(str)

    def __init__(self, measure_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measure_id = measure_id
        self.setObjectName("measureTile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            f"QFrame#measureTile {{ background: {style.WHITE}; border: 1px solid {style.GREY_4};"
            " border-radius: 4px; }"
            f"QFrame#measureTile:focus {{ border: 3px solid {style.TEXT};"
            f" background: {style.WHITE}; }}"
        )
        self.name = QLabel(self)
        self.name.setObjectName("tileName")
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.name.setStyleSheet(f"color: {style.TEXT}; border: none;")
        self.name.setWordWrap(True)  # a long name takes two lines, never the tile's width
        self.kind = QLabel(self)
        self.kind.setStyleSheet(f"color: {style.GREY_1}; border: none;")
        self.variation = IconBadge(self, icon_size=22)
        self.assurance = IconBadge(self, icon_size=22)
        self.plot = SpcPlot(self, compact=True)
        self.plot.setMinimumHeight(170)
        self.plot.plot_widget.viewport().installEventFilter(self)

        top = QHBoxLayout()
        top.addWidget(self.name, 1)
        top.addWidget(self.kind, 0, Qt.AlignmentFlag.AlignTop)
        icons = QVBoxLayout()  # one line each: the names are never cut short
        icons.setSpacing(2)
        icons.addWidget(self.variation)
        icons.addWidget(self.assurance)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addLayout(icons)
        layout.addWidget(self.plot, 1)

    def show_measure(self, data: ChartData, line: ChartOverview) -> None:
        """Show ``data``'s chart with the icons of ``line`` (the assurance view's overview)."""
        self.name.setText(line.name)
        self.name.setToolTip(line.name)
        self.kind.setText(line.measure_type)
        direction = data.measure.direction if line.variation_type else Direction.INCREASE
        self.variation.show_variation(line.variation_type, direction)
        self.assurance.show_assurance(line.assurance_type)
        self.plot.show_chart(data)
        words = [line.name, line.variation, line.assurance]
        if line.latest_value:
            words.append(f"latest {line.latest_value} ({line.latest_period})")
        self.setAccessibleName("; ".join(w for w in words if w))
        self.setAccessibleDescription(self.plot.accessibleDescription())
        self.setToolTip(f"{line.name}: double-click or press Enter to open the measure")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: ARG002
        """A double-click anywhere on the chart opens the measure."""
        if event.type() == QEvent.Type.MouseButtonDblClick:
            self.open_requested.emit(self.measure_id)
            return True
        if event.type() == QEvent.Type.MouseButtonPress:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
        return False

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Open the measure."""
        self.open_requested.emit(self.measure_id)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter or Space opens the measure."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.open_requested.emit(self.measure_id)
            return
        super().keyPressEvent(event)


class _DashboardTable(QTableView):
    """The summary table; Enter opens the current row's measure (as a double-click does).

    Its columns fit the width it has: the icon columns, the type and the number of points are
    always whole, and so is the day of the last update; the latest signal and its reason give
    up width first, then the latest value and the measure's name; they are cut short with "…",
    the full text in the tooltip.
    """

    entered_row = Signal(QModelIndex)

    #: columns never narrowed below their contents (short words and the MDC icons' names)
    WHOLE = frozenset({1, VARIATION, ASSURANCE, 7, 8})
    #: the narrowest a column that gives up width gets (the name and the latest value keep
    #: more: "94.3% (Mar 2019)" stays whole)
    NARROWEST: ClassVar[dict[int, int]] = {0: 190, 2: 150}
    NARROWEST_OTHER = 80
    #: who gives up width first: the signal and its reason, the latest value, and the
    #: measure's name last
    GIVE_WAY = ((5, 6), (2,), (0,))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter opens the current row."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.entered_row.emit(self.currentIndex())
            return
        super().keyPressEvent(event)

    def fit_columns(self) -> None:
        """Share the table's width between the columns (see the class docstring)."""
        model = self.model()
        if model is None or model.columnCount() == 0:
            return
        header = self.horizontalHeader()
        columns = range(model.columnCount())
        wanted = [
            max(header.sectionSizeHint(c), self.sizeHintForColumn(c) if model.rowCount() else 0)
            for c in columns
        ]
        narrowest = self.NARROWEST
        lowest = [
            w
            if c in self.WHOLE
            else min(
                w,
                max(narrowest.get(c, self.NARROWEST_OTHER), header.sectionSizeHint(c)),
            )
            for c, w in zip(columns, wanted, strict=True)
        ]
        room = self.viewport().width() or self.width()
        widths = list(wanted)
        for group in self.GIVE_WAY:
            excess = sum(widths) - room
            if excess <= 0:
                break
            # within a group the widest column gives up width first, down to a common cap
            low, high = 0.0, float(max(widths[c] for c in group))
            for _ in range(30):
                cap = (low + high) / 2
                freed = sum(widths[c] - max(lowest[c], min(widths[c], cap)) for c in group)
                low, high = (cap, high) if freed >= excess else (low, cap)
            for c in group:
                widths[c] = max(lowest[c], min(widths[c], int(low)))
        spare = room - sum(widths)
        if spare > 0:  # what is left goes to the reason (the longest text)
            widths[6] += spare
        for column, width in zip(columns, widths, strict=True):
            header.resizeSection(column, width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Fit the columns to the new width."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()


class _TileGrid(QWidget):
    """The tiles in as many columns as fit (at least :attr:`TILE_WIDTH` px each).

    One or two a row on a 1366-px ward PC, three on a full-HD projector; never wider than
    the view (no sideways scrolling).
    """

    TILE_WIDTH = 380

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(6, 6, 6, 6)
        self.grid.setSpacing(10)
        self.tiles: list[MeasureTile] = []
        self._columns = 0

    def set_tiles(self, tiles: list[MeasureTile]) -> None:
        for tile in self.tiles:
            if tile not in tiles:
                self.grid.removeWidget(tile)
                tile.deleteLater()
        self.tiles = tiles
        self._columns = 0
        self._reflow()

    @property
    def columns(self) -> int:
        """How many tiles sit side by side now."""
        return self._columns

    def _reflow(self) -> None:
        columns = max(1, min(len(self.tiles), self.width() // self.TILE_WIDTH))
        if columns == self._columns:
            return
        self._columns = columns
        for tile in self.tiles:
            self.grid.removeWidget(tile)
        for k, tile in enumerate(self.tiles):
            self.grid.addWidget(tile, k // columns, k % columns)
            tile.show()
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        previous = None
        for tile in self.tiles:  # tab order follows reading order
            if previous is not None:
                QWidget.setTabOrder(previous, tile)
            previous = tile

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._reflow()


class DashboardPanel(Panel):
    """Small multiples and a summary table of every measure of the current project."""

    panel_id = "dashboard"
    title = "Dashboard"

    #: a tile or a row asked to open a measure (its id)
    measure_open_requested = Signal(str)

    VIEWS = (ChartView.ASSURANCE, ChartView.DEFAULT, ChartView.IMPROVEMENT)

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._project_id: str | None = None
        self._view = ChartView.ASSURANCE
        self._tiles: dict[str, MeasureTile] = {}

        self.heading = QLabel(self)
        self.heading.setObjectName("dialogTitle")
        self.heading.setWordWrap(True)
        self.view_choice = QComboBox(self)
        self.view_choice.setAccessibleName("Charts on the dashboard")
        for view in self.VIEWS:
            self.view_choice.addItem(view.label, view.value)
        self.view_choice.currentIndexChanged.connect(self._view_chosen)
        choice_label = QLabel("&Charts:", self)
        choice_label.setBuddy(self.view_choice)
        bar = QHBoxLayout()
        bar.addWidget(self.heading, 1)
        bar.addWidget(choice_label)
        bar.addWidget(self.view_choice)

        self.message = QLabel(self)
        self.message.setObjectName("dashboardMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet(f"color: {style.TEXT}; padding: 24px;")

        self.grid = _TileGrid()
        self.grid.setAccessibleName("Measure charts")
        self.tile_scroll = QScrollArea(self)
        self.tile_scroll.setAccessibleName("Measure charts")
        self.tile_scroll.setWidgetResizable(True)
        self.tile_scroll.setWidget(self.grid)
        self.tile_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.tile_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.model = DashboardModel(self)
        self.table = _DashboardTable(self)
        self.table.setObjectName("dashboardTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName("Measures summary")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)  # long texts end in "…" (the tooltip has them whole)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(48)
        self.table.doubleClicked.connect(self._row_opened)
        self.table.entered_row.connect(self._row_opened)

        self.split = split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.tile_scroll)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([3000, 1100])  # tiles get most of the height, whatever the window
        split.setChildrenCollapsible(False)
        self.table.setMinimumHeight(120)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.message)
        self.pages.addWidget(split)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)

        context.on_project_selected(self.show_project)
        self.show_project(context.current_project_id)

    # ------------------------------------------------------------------ public
    @property
    def tiles(self) -> list[MeasureTile]:
        """The tiles, in the project's measure order."""
        return list(self.grid.tiles)

    @property
    def view(self) -> ChartView:
        """The view the tiles show."""
        return self._view

    def set_view(self, view: ChartView) -> None:
        """Show every tile in ``view`` (the icons stay those of the assurance view)."""
        self.view_choice.setCurrentIndex(self.VIEWS.index(view))

    def show_project(self, project_id: str | None) -> None:
        """Show the dashboard of ``project_id`` (``None``: ask for a project)."""
        self._project_id = project_id
        self.reload()

    def reload(self) -> None:
        """Rebuild every tile and row from what is stored now."""
        project_id = self._project_id
        if project_id is None:
            self._show_message("Dashboard", NO_PROJECT)
            return
        try:
            project = self.context.projects.get(project_id)
        except NotFoundError:
            self._project_id = None
            self._show_message("Dashboard", NO_PROJECT)
            return
        self.heading.setText(f"Dashboard: {project.title}")
        measures = self.context.measures.for_project(project_id)
        if not measures:
            self._show_message(f"Dashboard: {project.title}", NO_MEASURES)
            self.grid.set_tiles([])
            self._tiles = {}
            self.model.set_rows([])
            return
        rows: list[DashboardRow] = []
        tiles: list[MeasureTile] = []
        old = self._tiles
        self._tiles = {}
        for measure in measures:
            tile = old.pop(measure.id, None) or self._new_tile(measure.id)
            rows.append(self._fill(tile, measure.id))
            tiles.append(tile)
            self._tiles[measure.id] = tile
        self.grid.set_tiles(tiles)
        self.model.set_rows(rows)
        self.pages.setCurrentIndex(1)
        self.table.fit_columns()
        self._fit_table_height()

    def apply_changes(self, changes: Changes) -> None:
        """Refresh on changes to this project's measures and their data (only those named)."""
        if changes.workspace_replaced:
            self.show_project(self.context.current_project_id)
            return
        if self._project_id is None:
            return
        if self._project_id in changes.deleted.get(Entity.PROJECT, frozenset()):
            self.show_project(None)
            return
        if self._project_id in changes.ids(Entity.PROJECT):
            self.reload()
            return
        if not any(changes.touches(entity) for entity in _WATCHED):
            return
        measures = changes.ids(Entity.MEASURE)
        structural = changes.created.get(Entity.MEASURE) or changes.deleted.get(Entity.MEASURE)
        if structural or not measures:
            self.reload()  # a measure came or went, or we cannot tell which one changed
            return
        mine = [m for m in measures if m in self._tiles]
        for measure_id in mine:
            try:
                row = self._fill(self._tiles[measure_id], measure_id)
            except NotFoundError:
                self.reload()
                return
            self.model.replace_row(row)

    def open_measure(self, measure_id: str) -> None:
        """Ask for ``measure_id`` to be opened (through the context, and as a signal)."""
        self.context.open_measure(measure_id)
        self.measure_open_requested.emit(measure_id)

    # ------------------------------------------------------------------ internals
    def _new_tile(self, measure_id: str) -> MeasureTile:
        tile = MeasureTile(measure_id)
        tile.open_requested.connect(self.open_measure)
        return tile

    def _fill(self, tile: MeasureTile, measure_id: str) -> DashboardRow:
        service = self.context.measures
        assurance = service.chart(measure_id, view=ChartView.ASSURANCE)
        shown = assurance if self._view is ChartView.ASSURANCE else None
        if shown is None:
            shown = service.chart(measure_id, view=self._view)
        line = overview(assurance)
        tile.show_measure(shown, line)
        return DashboardRow(assurance.measure, line, _when(service.last_changed(measure_id)))

    def _fit_table_height(self) -> None:
        """The table as tall as its rows (up to a third of the room): the tiles get the rest."""
        table = self.table
        rows = max(self.model.rowCount(), 2)
        height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
        height += rows * table.verticalHeader().defaultSectionSize()
        height += table.horizontalScrollBar().sizeHint().height()  # in case it is needed
        total = sum(self.split.sizes())
        if total <= 0:
            return
        height = max(table.minimumHeight(), min(height, total // 3))
        self.split.setSizes([total - height, height])

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the table as tall as its rows when the panel's height changes."""
        super().resizeEvent(event)
        if event.size().height() != event.oldSize().height() and self.pages.currentIndex() == 1:
            self._fit_table_height()

    def _show_message(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        self.message.setText(text)
        self.message.setAccessibleName(text)
        self.pages.setCurrentIndex(0)

    def _view_chosen(self, index: int) -> None:
        view = ChartView(self.view_choice.itemData(index))  # Qt hands the enum back as str
        if view is not self._view:
            self._view = view
            self.reload()

    def _row_opened(self, index: QModelIndex) -> None:
        measure_id = self.model.data(index, DashboardModel.MEASURE_ID_ROLE)
        if isinstance(measure_id, str):
            self.open_measure(measure_id)
