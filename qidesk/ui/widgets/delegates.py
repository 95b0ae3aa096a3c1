"""Cell editors shared by the draft tables: a choice from a list, and an optional date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex
#: the date box's first value, shown as the "no date" text
_NO_DATE = QDate(1900, 1, 1)


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a cell with a combo box of ``(label, value)`` choices, read and written at ``role``."""

    def __init__(
        self, name: str, choices: Sequence[tuple[str, Any]], role: int, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._name = name
        self._choices = tuple(choices)
        self._role = role

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: ARG002
        index: _Index,  # noqa: ARG002
    ) -> QWidget:
        """A combo box listing every choice."""
        combo = QComboBox(parent)
        combo.setAccessibleName(self._name)
        for label, value in self._choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Select the cell's current value (the first choice when it is not listed)."""
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(self._role))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Store the chosen value."""
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), self._role)


class OptionalDateDelegate(QStyledItemDelegate):
    """Edits an optional date with a date box whose first value means "no date".

    The cell gives and takes its date at ``role``: a ``datetime.date`` (or ``None``), or, with
    ``iso_text``, an ISO date string (or ``""``).
    """

    def __init__(
        self, name: str, no_date: str, role: int, parent: QWidget, *, iso_text: bool = False
    ) -> None:
        super().__init__(parent)
        self._name = name
        self._no_date = no_date
        self._role = role
        self._iso_text = iso_text

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,  # noqa: ARG002
        index: _Index,  # noqa: ARG002
    ) -> QWidget:
        """A date box with a calendar; its first value shows the "no date" text."""
        edit = QDateEdit(parent)
        edit.setAccessibleName(self._name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(_NO_DATE)
        edit.setSpecialValueText(self._no_date)
        return edit

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        """Show the cell's date, or today when it has none."""
        assert isinstance(editor, QDateEdit)
        value = index.data(self._role)
        if isinstance(value, str):
            value = date.fromisoformat(value) if value else None
        when = value if isinstance(value, date) else date.today()
        editor.setDate(QDate(when.year, when.month, when.day))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        """Store the chosen date (no date at the first value)."""
        assert isinstance(editor, QDateEdit)
        d = editor.date()
        when = None if d == _NO_DATE else date(d.year(), d.month(), d.day())
        if self._iso_text:
            model.setData(index, when.isoformat() if when else "", self._role)
        else:
            model.setData(index, when, self._role)
