"""The accessible alternative to the chart, and ``ChartPane``: chart, table, summary, export.

``ChartTableModel`` is a thin ``QAbstractTableModel`` over
:func:`qidesk.core.chart_text.table_rows` (the chart's data as text in display units).

``ChartPane`` — what the measures panel embeds beside its data grid
====================================================================

::

    pane = ChartPane(parent)
    pane.show_chart(data)              # a ChartData from MeasureService.chart(...); call on
                                       # every change (cheap: the table and the summary are
                                       # only rebuilt when their tab is shown)
    pane.plot                          # the SpcPlot (focus_point(i), focused_index, ...)
    pane.data                          # the ChartData shown, or None
    pane.point_activated.connect(...)       # int: select this point's row in the grid
    pane.annotation_requested.connect(...)  # int: ask for an annotation at this point
    pane.phase_requested.connect(...)       # (int, "freeze" | "phase"): ask for a reason,
                                            # then push the undo command
    pane.exported.connect(...)              # Path: a file was written
    pane.export_failed.connect(...)         # str: plain-words reason (show it)
    pane.export_to("pdf", path)        # "png" | "svg" | "pdf", no dialog
    pane.choose_export("pdf")          # asks for a file name, then exports
    pane.copy_image()                  # the page as an image on the clipboard

Tabs: "Chart" | "Table" | "Summary" (the table and the summary are the screen-reader route
to the chart: reliability A11Y-R5). The signals come from the chart's context menu, Enter
on a focused point, or Enter/double-click on a table row. The pane never edits anything:
the embedding panel turns the signals into undo commands.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QImage, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QScrollArea,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.chart_text import (
    TABLE_COLUMNS,
    ChartTableRow,
    definition_lines,
    preset_text,
    table_rows,
)
from qidesk.core.charting import ChartData
from qidesk.ui.charts import export
from qidesk.ui.charts.spc_plot import SpcPlot

_NUMERIC = frozenset({"Value", "Numerator", "Denominator", "Centre", "Lower limit", "Upper limit"})
Index = QModelIndex | QPersistentModelIndex


class ChartTableModel(QAbstractTableModel):
    """The chart's data, one row per point (read-only; columns without data are left out)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ChartTableRow] = []
        self._columns: list[int] = list(range(len(TABLE_COLUMNS)))

    def set_data(self, data: ChartData | None) -> None:
        """Show the rows of ``data`` (none for ``None``)."""
        self.beginResetModel()
        self._rows = table_rows(data) if data is not None else []
        if data is None:
            self._columns = list(range(len(TABLE_COLUMNS)))
        else:
            self._columns = [
                k
                for k, name in enumerate(TABLE_COLUMNS)
                if name in ("Period", "Value") or any(row.cells()[k] for row in self._rows)
            ]
        self.endResetModel()

    def column_names(self) -> list[str]:
        """The headers of the columns shown."""
        return [TABLE_COLUMNS[k] for k in self._columns]

    def row(self, index: int) -> ChartTableRow:
        """Row ``index`` as text."""
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """One row per point."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """The columns that have data."""
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text; numbers right-aligned; the full text as tooltip."""
        if not index.isValid():
            return None
        column = self._columns[index.column()]
        text = self._rows[index.row()].cells()[column]
        if role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = TABLE_COLUMNS[column] in _NUMERIC
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Column names; rows are numbered by their period (first column), not by a header."""
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return TABLE_COLUMNS[self._columns[section]]

    def flags(self, index: Index) -> Qt.ItemFlag:
        """Selectable, never editable (data are edited in the measure's grid)."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _ChartTableView(QTableView):
    """The table view; Enter activates the current row."""

    activated_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter on a row activates it (as a double-click does)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class ChartPane(QWidget):
    """A chart with its table, its summary and an export button (see the module docstring)."""

    point_activated = Signal(int)
    annotation_requested = Signal(int)
    phase_requested = Signal(int, str)
    exported = Signal(Path)
    export_failed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chartPane")
        self._data: ChartData | None = None
        self._stale = {"table": True, "summary": True}

        self.plot = SpcPlot(self)
        self.table_model = ChartTableModel(self)
        self.table = _ChartTableView(self)
        self.table.setObjectName("chartTable")
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Chart data table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.summary = QLabel(self)
        self.summary.setObjectName("chartSummary")
        self.summary.setWordWrap(True)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.summary.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.summary.setAccessibleName("Chart summary")
        self.summary.setMargin(10)
        summary_scroll = QScrollArea(self)
        summary_scroll.setAccessibleName("Chart summary")
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setWidget(self.summary)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("chartTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.plot, "Chart")
        self.tabs.addTab(self.table, "Table")
        self.tabs.addTab(summary_scroll, "Summary")
        self.tabs.setAccessibleName("Chart views")
        self.tabs.tabBar().setAccessibleName("Chart, table or summary")
        self.tabs.currentChanged.connect(self._refresh_current)

        self.export_button = QToolButton(self)
        self.export_button.setObjectName("chartExport")
        self.export_button.setText("Export")
        self.export_button.setAccessibleName("Export chart")
        self.export_button.setToolTip("Export the chart as PNG, SVG or PDF, or copy it")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.export_button.setMinimumSize(24, 24)
        menu = QMenu(self.export_button)
        self.export_actions: dict[str, QAction] = {}
        for kind, text in (
            ("png", "PNG image…"),
            ("svg", "SVG drawing (vector)…"),
            ("pdf", "PDF page (vector)…"),
        ):
            action = menu.addAction(text)
            action.triggered.connect(lambda _c=False, k=kind: self.choose_export(k))
            self.export_actions[kind] = action
        copy = menu.addAction("Copy image")
        copy.triggered.connect(self.copy_image)
        self.export_actions["copy"] = copy
        self.export_button.setMenu(menu)
        self.tabs.setCornerWidget(self.export_button, Qt.Corner.TopRightCorner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        self.plot.point_activated.connect(self.point_activated)
        self.plot.annotation_requested.connect(self.annotation_requested)
        self.plot.phase_requested.connect(self.phase_requested)
        self.plot.point_focused.connect(self._select_row)
        self.table.doubleClicked.connect(lambda index: self.point_activated.emit(index.row()))
        self.table.activated_row.connect(self.point_activated)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._set_enabled(False)

    # ------------------------------------------------------------------ API
    @property
    def data(self) -> ChartData | None:
        """The chart shown."""
        return self._data

    def show_chart(self, data: ChartData) -> None:
        """Show ``data`` in the chart now, and in the table and summary when they are seen."""
        self._data = data
        self.plot.show_chart(data)
        self._stale = {"table": True, "summary": True}
        self._refresh_current()
        self._set_enabled(data.result is not None and not data.error)

    def export_to(self, kind: str, path: Path) -> Path:
        """Export the chart (``"png"``, ``"svg"``, ``"pdf"``) to ``path``; raises ``OSError``."""
        if self._data is None:
            raise ValueError("there is no chart to export yet")
        written = export.export_to(kind, self._data, Path(path))
        self.exported.emit(written)
        return written

    def suggested_name(self, kind: str) -> str:
        """A file name for an export of the chart shown."""
        name = self._data.measure.name if self._data else "chart"
        safe = "".join(c if c not in '\\/:*?"<>|' else "-" for c in name).strip() or "chart"
        return f"{safe} - chart.{kind}"

    def choose_export(self, kind: str) -> Path | None:
        """Ask where to save, then export; failures are reported through :attr:`export_failed`."""
        if self._data is None:
            return None
        label = {"png": "PNG images", "svg": "SVG drawings", "pdf": "PDF files"}[kind]
        path_text, _ = QFileDialog.getSaveFileName(
            self, "Export chart", self.suggested_name(kind), f"{label} (*.{kind})"
        )
        if not path_text:
            return None
        try:
            return self.export_to(kind, Path(path_text))
        except OSError as exc:
            self.export_failed.emit(f"The chart was not exported: {exc}")
            return None

    def copy_image(self) -> QImage | None:
        """Copy the chart page to the clipboard as an image."""
        if self._data is None:
            return None
        return export.copy_to_clipboard(self)

    # ------------------------------------------------------------------ internals
    def _set_enabled(self, enabled: bool) -> None:
        for action in self.export_actions.values():
            action.setEnabled(enabled)

    def _refresh_current(self) -> None:
        current = self.tabs.currentIndex()
        if current == 1 and self._stale["table"]:
            self.table_model.set_data(self._data)
            self.table.resizeColumnsToContents()
            self._stale["table"] = False
            if self.plot.focused_index is not None:
                self._select_row(self.plot.focused_index)
        elif current == 2 and self._stale["summary"]:
            self.summary.setText(self._summary_text())
            self._stale["summary"] = False

    def _summary_text(self) -> str:
        data = self._data
        if data is None:
            return "No chart yet."
        lines = [self.plot.describe(), "", preset_text(data), ""]  # the chart's own summary
        lines += [f"{label}: {text}" for label, text in definition_lines(data.measure)]
        return "\n".join(lines)

    def summary_text(self) -> str:
        """The text of the Summary tab (built now if it is stale)."""
        if self._stale["summary"]:
            self.summary.setText(self._summary_text())
            self._stale["summary"] = False
        return self.summary.text()

    def _select_row(self, row: int) -> None:
        if self._stale["table"] or row >= self.table_model.rowCount():
            return
        index = self.table_model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and current.row() != self.plot.focused_index:
            self.plot.focus_point(current.row())
