"""List models of the coaching panel: sessions, stories and open actions.

Thin Qt adapters over plain lists of domain values handed to them by the panel (which reads
them from the service); they hold no data of their own beyond that list and compute nothing
but the words they show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from qidesk.core.coaching import CoachingSession, OpenAction, Story
from qidesk.core.periods import format_date

_Index = QModelIndex | QPersistentModelIndex
#: role under which every row returns its record's id
ID_ROLE = Qt.ItemDataRole.UserRole + 1

T = TypeVar("T")


class RecordListModel(QAbstractListModel, Generic[T]):
    """One row per record, shown as ``describe(record)``; ``key(record)`` gives its id."""

    def __init__(
        self,
        describe: Callable[[T], str],
        key: Callable[[T], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._describe = describe
        self._key = key
        self._items: list[T] = []

    def set_items(self, items: Sequence[T]) -> None:
        """Show ``items`` in order."""
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[T]:
        """The records shown, in order."""
        return list(self._items)

    def item(self, row: int) -> T:
        """The record at ``row``."""
        return self._items[row]

    def row_of(self, record_id: str) -> int:
        """The row showing ``record_id`` (-1 when none)."""
        return next((i for i, x in enumerate(self._items) if self._key(x) == record_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        """Number of records."""
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """The record's words, or its id under :data:`ID_ROLE`."""
        if not index.isValid():
            return None
        record = self._items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._describe(record)
        if role == ID_ROLE:
            return self._key(record)
        return None


def session_text(session: CoachingSession) -> str:
    """``"3 March 2025 — Tom Reid (2 open actions)"``."""
    n = len(session.open_actions)
    suffix = f" ({n} open action{'s' if n != 1 else ''})" if n else ""
    return f"{session.title}{suffix}"


def story_text(story: Story) -> str:
    """``"2 May 2025 · Staff story: Huddles that stick"``."""
    return f"{format_date(story.told_on)} · {story.kind.label}: {story.title}"


def open_action_text(item: OpenAction, today: date) -> str:
    """The action, its owner and due date, marked when overdue (in words, not colour alone)."""
    text = item.describe()
    if item.overdue(today):
        text = f"OVERDUE: {text}"
    return f"{text}  (from the session of {format_date(item.session.held_on)})"


def sessions_model(parent: QObject | None = None) -> RecordListModel[CoachingSession]:
    """The list of a project's sessions."""
    return RecordListModel(session_text, lambda s: s.id, parent)


def stories_model(parent: QObject | None = None) -> RecordListModel[Story]:
    """The list of a project's stories."""
    return RecordListModel(story_text, lambda s: s.id, parent)


def open_actions_model(
    today: Callable[[], date], parent: QObject | None = None
) -> RecordListModel[OpenAction]:
    """The list of a project's open actions (``today`` decides what is overdue)."""
    return RecordListModel(lambda o: open_action_text(o, today()), lambda o: o.action.id, parent)
