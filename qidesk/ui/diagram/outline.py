"""The outline: the same diagram as an editable tree, the accessible way to work with it.

:class:`DriverOutlineModel` adapts :func:`qidesk.core.drivers.outline` to
``QAbstractItemModel``. It holds only a derived index of the outline lines; the diagram stays
the source of truth and edits go through the :class:`DiagramEditor`. A box with several
parents appears under each of them ("also under …" in the last column). Each row also shows
the measures linked to its box and, for a change idea, its PDSA testing ("2 PDSAs · Adopt").
When only texts, statuses, measures or tests changed, the model says ``dataChanged``; when
boxes or links were added or removed it resets, and the view restores its expansion and
selection.

Keys in the tree: F2 edits, Insert adds a child, Shift+Insert (or Ctrl+Enter) adds a sibling,
Delete deletes, Alt+Up/Alt+Down reorder, M chooses the box's measures, the Menu key opens the
box's menu.

A box's text is never cut off: it wraps within the width of the tree. While the tree is
narrower than :data:`DETAILS_FROM_WIDTH` (as beside the canvas on a ward PC) only the Box column
shows, and the kind, status, measures and other parents are in each row's tooltip and in what a
screen reader reads for it; widen the tree (drag the handle) and those columns appear.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QInputDialog,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from qidesk.core.drivers import (
    DEFAULT_CHILD,
    DriverDiagram,
    Gap,
    IdeaStatus,
    IdeaTesting,
    NodeKind,
    OutlineLine,
    outline,
)
from qidesk.ui.diagram.editor import DiagramEditor
from qidesk.ui.diagram.items import KIND_STYLES, measures_label
from qidesk.ui.diagram.measure_picker import MeasurePicker, choose_measures

#: the record id of the box a row shows
NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Box", "Kind", "Status", "Measures", "Also under")
#: widths of the detail columns (Kind, Status, Measures, Also under)
DETAIL_WIDTHS = (130, 190, 220, 220)
#: the tree shows the detail columns only when it is at least this wide (the box text keeps 300)
DETAILS_FROM_WIDTH = 300 + sum(DETAIL_WIDTHS)


@dataclass(frozen=True)
class _Extra:
    """What a row shows beside the outline line: linked measures and PDSA testing."""

    measures: tuple[str, ...] = ()
    testing: IdeaTesting | None = None


@dataclass(eq=False)
class _Row:
    line: OutlineLine
    parent: _Row | None
    row: int
    children: list[_Row] = field(default_factory=list)
    extra: _Extra = field(default_factory=_Extra)


class DriverOutlineModel(QAbstractItemModel):
    """The diagram as a tree: aim, drivers and change ideas, in outline order."""

    def __init__(self, editor: DiagramEditor) -> None:
        super().__init__()
        self.editor = editor
        self._roots: list[_Row] = []
        self._shape: list[tuple[int, str]] = []

    # ------------------------------------------------------------------ following the model
    def set_diagram(
        self,
        diagram: DriverDiagram,
        aim_text: str,
        measures: Mapping[str, tuple[str, ...]] | None = None,
        testing: Mapping[str, IdeaTesting] | None = None,
    ) -> None:
        """Show ``diagram``; a reset only when boxes or links were added or removed.

        ``measures`` maps a box id to the names of its linked measures, ``testing`` a change
        idea id to its PDSA testing.
        """
        lines = outline(diagram, aim_text)
        names, tested = measures or {}, testing or {}
        extras = [_Extra(names.get(ln.node.id, ()), tested.get(ln.node.id)) for ln in lines]
        shape = [(ln.depth, ln.node.id) for ln in lines]
        if shape == self._shape and self._roots:
            flat = list(self._walk())
            changed = [
                i
                for i, (row, line, extra) in enumerate(zip(flat, lines, extras, strict=True))
                if row.line != line or row.extra != extra
            ]
            for row, line, extra in zip(flat, lines, extras, strict=True):
                row.line = line
                row.extra = extra
            for i in changed:
                left = self.createIndex(flat[i].row, 0, flat[i])
                right = self.createIndex(flat[i].row, len(COLUMNS) - 1, flat[i])
                self.dataChanged.emit(left, right)
            return
        self.beginResetModel()
        self._shape = shape
        self._roots = _tree(lines, extras)
        self.endResetModel()

    def _walk(self) -> list[_Row]:
        out: list[_Row] = []
        stack = list(reversed(self._roots))
        while stack:
            row = stack.pop()
            out.append(row)
            stack.extend(reversed(row.children))
        return out

    def parent_indexes(self) -> list[tuple[QModelIndex, str]]:
        """Every row that has children, with the id of its box (for expansion state)."""
        return [(self.createIndex(r.row, 0, r), r.line.node.id) for r in self._walk() if r.children]

    def indexes_of(self, node_id: str) -> list[QModelIndex]:
        """Every row showing ``node_id`` (a shared box shows under each parent)."""
        return [self.createIndex(r.row, 0, r) for r in self._walk() if r.line.node.id == node_id]

    # ------------------------------------------------------------------ QAbstractItemModel
    def _row(self, index: _Index) -> _Row | None:
        if not index.isValid():
            return None
        row = index.internalPointer()
        return row if isinstance(row, _Row) else None

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        """The index of a child of ``parent``."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        owner = self._row(parent)
        children = owner.children if owner is not None else self._roots
        return self.createIndex(row, column, children[row])

    def parent(self, index: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """The parent of ``index``."""
        row = self._row(index)
        if row is None or row.parent is None:
            return QModelIndex()
        return self.createIndex(row.parent.row, 0, row.parent)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """How many children ``parent`` has."""
        if parent.isValid() and parent.column() != 0:
            return 0
        owner = self._row(parent)
        return len(owner.children if owner is not None else self._roots)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Box, kind, status, measures, also under."""
        del parent
        return len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles."""
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, kind, status and tests, measures, other parents; the id under NODE_ID_ROLE."""
        row = self._row(index)
        if row is None:
            return None
        line = row.line
        node = line.node
        column = index.column()
        if role == NODE_ID_ROLE:
            return node.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == 0:
                parts = [self._cell(row, c) for c in range(len(COLUMNS))]
                return ", ".join(p for p in parts if p)
            return self._cell(row, column)
        if role == Qt.ItemDataRole.EditRole and column == 0:
            return self.editor.text_for_editing(node.id)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return QColor(KIND_STYLES[node.kind].fill)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{node.kind.label}: {line.text}"
            if node.kind is NodeKind.CHANGE_IDEA:
                tip += f"\nPDSA: {(row.extra.testing or IdeaTesting()).sentence}"
            if row.extra.measures:
                tip += "\nMeasures: " + "; ".join(row.extra.measures)
            if line.also_under:
                tip += "\nAlso under: " + "; ".join(line.also_under)
            return tip
        return None

    @staticmethod
    def _cell(row: _Row, column: int) -> str:
        """The text of one cell."""
        line, extra = row.line, row.extra
        node = line.node
        if column == 0:
            return line.text or "(no aim written yet)"
        if column == 1:
            return node.kind.label
        if column == 2:
            status = node.status.label if node.status is not None else ""
            tested = extra.testing.badge if extra.testing is not None else ""
            return f"{status} ({tested})" if status and tested else status
        if column == 3:
            if not extra.measures:
                return ""
            return f"{measures_label(len(extra.measures))}: " + "; ".join(extra.measures)
        return "; ".join(line.also_under)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        """Rows are selectable; the text column is editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Edit a box's text through the editor (an undo command); refused text returns False."""
        row = self._row(index)
        if row is None or role != Qt.ItemDataRole.EditRole or index.column() != 0:
            return False
        return self.editor.edit_text(row.line.node.id, str(value))


def _tree(lines: list[OutlineLine], extras: list[_Extra]) -> list[_Row]:
    roots: list[_Row] = []
    stack: list[_Row] = []
    for line, extra in zip(lines, extras, strict=True):
        while stack and stack[-1].line.depth >= line.depth:
            stack.pop()
        parent = stack[-1] if stack else None
        siblings = parent.children if parent is not None else roots
        row = _Row(line, parent, len(siblings), extra=extra)
        siblings.append(row)
        stack.append(row)
    return roots


class _WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their longest text wrapped to its column's width.

    ``QTreeView`` asks for row heights without a width, so wrapped text would be cut to one
    line; this delegate gives each cell the width of its room in the column.
    """

    def __init__(self, view: DriverOutlineView) -> None:
        super().__init__(view)
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        """The size of the cell's text wrapped to the width of its column."""
        wrapped = QStyleOptionViewItem(option)
        wrapped.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        wrapped.rect = QRect(0, 0, self.view.text_room(index), 1)
        return super().sizeHint(wrapped, index)


class DriverOutlineView(QTreeView):
    """The outline tree with the diagram's editing keys.

    Signals:
        node_activated(str): the user moved to this box in the tree.
    """

    node_activated = Signal(str)

    def __init__(self, model: DriverOutlineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = model.editor
        self.setModel(model)
        self.setAccessibleName("Driver diagram outline")
        self.setAccessibleDescription(
            "The diagram as a tree. F2 edits, Insert adds a child, Shift+Insert adds a sibling, "
            "Delete deletes, Alt+Up and Alt+Down reorder, M chooses the box's measures, the "
            "Menu key opens the box's menu."
        )
        self.setUniformRowHeights(False)  # a long box text takes several lines
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(_WrappingDelegate(self))
        self.setIndentation(14)  # four levels deep, the text keeps its width beside the canvas
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.header().setStretchLastSection(False)
        self._fitted_width = -1
        self.setMinimumWidth(200)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(lambda _pos: self._menu())
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        self.fit_columns()
        self._remembered: list[str] = []
        self._collapsed: set[str] = set()
        self._syncing = False
        #: the measure picker last opened with M (``None`` before)
        self.measure_picker: MeasurePicker | None = None

    # ------------------------------------------------------------------ columns
    @property
    def details_shown(self) -> bool:
        """True when the Kind, Status, Measures and Also under columns show."""
        return not self.isColumnHidden(1)

    def fit_columns(self) -> None:
        """Fit the columns to the tree's width: Box takes what the others leave (no scrolling)."""
        width = self.viewport().width()
        if width == self._fitted_width:
            return
        self._fitted_width = width
        details = width >= DETAILS_FROM_WIDTH
        for column, detail_width in enumerate(DETAIL_WIDTHS, start=1):
            self.setColumnHidden(column, not details)
            if details:
                self.setColumnWidth(column, detail_width)
        self.setColumnWidth(0, max(120, width - (sum(DETAIL_WIDTHS) if details else 0)))
        self.scheduleDelayedItemsLayout()  # row heights follow the new width of the text

    def text_room(self, index: _Index) -> int:
        """The width the cell ``index`` has (in the Box column: less the indent)."""
        if index.column() != 0:
            return self.columnWidth(index.column())
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        indent = self.indentation() * (depth + (1 if self.rootIsDecorated() else 0))
        return max(60, self.columnWidth(0) - indent)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Re-fit the columns (and so the wrapping) to the new width."""
        super().resizeEvent(event)
        self.fit_columns()

    # ------------------------------------------------------------------ state
    def selected_node_ids(self) -> list[str]:
        """Ids of the selected boxes (each once)."""
        seen: dict[str, None] = {}
        for index in self.selectionModel().selectedRows(0):
            seen.setdefault(str(index.data(NODE_ID_ROLE)), None)
        return list(seen)

    def current_node_id(self) -> str | None:
        """The box of the current row."""
        index = self.currentIndex()
        return str(index.data(NODE_ID_ROLE)) if index.isValid() else None

    def select_node(self, node_id: str) -> None:
        """Make the first row of ``node_id`` current (without telling the canvas back)."""
        model = self.model()
        assert isinstance(model, DriverOutlineModel)
        found = model.indexes_of(node_id)
        if not found or self.current_node_id() == node_id:
            return
        self._syncing = True
        try:
            self.setCurrentIndex(found[0])
            self.scrollTo(found[0])
        finally:
            self._syncing = False

    def _remember(self) -> None:
        self._remembered = self.selected_node_ids()
        model = self.model()
        assert isinstance(model, DriverOutlineModel)
        self._collapsed = {
            node_id for index, node_id in model.parent_indexes() if not self.isExpanded(index)
        }

    def _restore(self) -> None:
        self.expandAll()
        model = self.model()
        assert isinstance(model, DriverOutlineModel)
        for node_id in self._collapsed:
            for index in model.indexes_of(node_id):
                self.collapse(index)
        if self._remembered:
            self.select_node(self._remembered[0])

    def currentChanged(self, current: QModelIndex, previous: QModelIndex) -> None:  # type: ignore[override]
        """Tell the panel which box the tree moved to."""
        super().currentChanged(current, previous)
        if current.isValid() and not self._syncing:
            self.node_activated.emit(str(current.data(NODE_ID_ROLE)))

    # ------------------------------------------------------------------ keys
    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Insert, Shift+Insert, Ctrl+Enter, Delete, Alt+Up/Down, Menu (see module doc)."""
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        current = self.current_node_id()
        if current is not None and self.state() != QAbstractItemView.State.EditingState:
            if key == Qt.Key.Key_Insert and mods == Qt.KeyboardModifier.NoModifier:
                self.ask_child(current)
                return
            if (key == Qt.Key.Key_Insert and mods == Qt.KeyboardModifier.ShiftModifier) or (
                key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and mods == Qt.KeyboardModifier.ControlModifier
            ):
                self.ask_sibling(current)
                return
            if key == Qt.Key.Key_Delete:
                self.editor.delete(self.selected_node_ids() or [current])
                return
            if mods == Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.editor.reorder(current, -1 if key == Qt.Key.Key_Up else 1)
                return
            if key == Qt.Key.Key_Menu:
                self._menu()
                return
            if key == Qt.Key.Key_M and mods == Qt.KeyboardModifier.NoModifier:
                self.choose_measures(current)
                return
        super().keyPressEvent(event)

    def choose_measures(self, node_id: str) -> MeasurePicker | None:
        """Open the measure picker for ``node_id`` (a message instead when there are none)."""
        self.measure_picker = choose_measures(self, self.editor, node_id)
        return self.measure_picker

    def ask_child(self, parent_id: str, kind: NodeKind | None = None) -> None:
        """Ask for the text of a new child of ``parent_id`` and add it."""
        kind = self.editor.child_kind(parent_id, kind)
        if kind is None:
            return
        text, ok = QInputDialog.getText(
            self,
            f"New {kind.label.lower()}",
            f"{kind.label} under “{self.editor.label(parent_id)[:60]}”:",
            QLineEdit.EchoMode.Normal,
        )
        if ok:
            self.editor.add_child(parent_id, text, kind)

    def ask_sibling(self, node_id: str) -> None:
        """Ask for the text of a new sibling of ``node_id`` and add it."""
        if self.editor.sibling_parent(node_id) is None:
            return
        kind = self.editor.diagram.node(node_id).kind
        text, ok = QInputDialog.getText(
            self, f"New {kind.label.lower()}", f"{kind.label}:", QLineEdit.EchoMode.Normal
        )
        if ok:
            self.editor.add_sibling(node_id, text)

    def _menu(self) -> None:
        current = self.current_node_id()
        if current is None or current not in self.editor.diagram:
            return
        node = self.editor.diagram.node(current)
        selected = self.selected_node_ids() or [current]
        menu = QMenu(self)
        menu.addAction("Edit text\tF2", lambda: self.edit(self.currentIndex()))
        if DEFAULT_CHILD[node.kind] is not None:
            menu.addAction("Add child…\tInsert", lambda: self.ask_child(current))
        if node.kind is not NodeKind.AIM:
            menu.addAction("Add sibling…\tShift+Insert", lambda: self.ask_sibling(current))
        menu.addAction("Measures…\tM", lambda: self.choose_measures(current))
        if node.kind is NodeKind.CHANGE_IDEA:
            status = menu.addMenu("Status")
            for value in IdeaStatus:
                status.addAction(value.label, lambda v=value: self.editor.set_status(selected, v))
        if node.kind is not NodeKind.AIM:
            menu.addAction("Move up\tAlt+Up", lambda: self.editor.reorder(current, -1))
            menu.addAction("Move down\tAlt+Down", lambda: self.editor.reorder(current, 1))
            menu.addSeparator()
            menu.addAction("Delete\tDelete", lambda: self.editor.delete(selected))
        rect = self.visualRect(self.currentIndex())
        menu.exec(self.viewport().mapToGlobal(rect.bottomLeft()))


class GapListModel(QAbstractListModel):
    """The gaps view: drivers with no measure, change ideas never tested, loose boxes."""

    def __init__(self) -> None:
        super().__init__()
        self._gaps: list[Gap] = []

    def set_gaps(self, gaps: list[Gap]) -> None:
        """Show ``gaps``."""
        if gaps == self._gaps:
            return
        self.beginResetModel()
        self._gaps = list(gaps)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """How many gaps."""
        return 0 if parent.isValid() else len(self._gaps)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The gap's sentence; the box id under :data:`NODE_ID_ROLE`."""
        if not index.isValid() or not 0 <= index.row() < len(self._gaps):
            return None
        gap = self._gaps[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return gap.message
        if role == NODE_ID_ROLE:
            return gap.node_id
        return None
