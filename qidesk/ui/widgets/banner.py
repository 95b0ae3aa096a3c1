"""``MessageBar``: a strip across the top of a window for something the user must not miss.

Use it for lasting states (a read-only workspace, a recovered crash, conflicts waiting after an
import), not for one-off confirmations. The kind is written as a bold word at the start
("Read-only:", "Warning:") as well as shown by colour, so colour is never the only signal. The
text is selectable and the bar announces itself to screen readers when it appears.

Usage::

    bar = MessageBar(parent)
    bar.show_message(MessageBar.Kind.WARNING, "Read-only:", "nothing you do here will be saved.")
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class MessageBar(QFrame):
    """A dismissible banner with a kind (info, warning, error), a bold heading and a message.

    Signals:
        dismissed(): the user closed the bar.
    """

    class Kind(StrEnum):
        """What sort of message the bar carries (also the ``kind`` property used by the QSS)."""

        INFO = "info"
        WARNING = "warning"
        ERROR = "error"

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("messageBar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._heading = QLabel(self)
        self._heading.setObjectName("messageBarHeading")
        self._text = QLabel(self)
        self._text.setObjectName("messageBarText")
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._close = QPushButton("Dismiss", self)
        self._close.setAccessibleName("Dismiss message")
        self._close.clicked.connect(self._dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(8)
        layout.addWidget(self._heading, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._close, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    @property
    def heading(self) -> str:
        """The bold word or phrase at the start (e.g. "Read-only:")."""
        return self._heading.text()

    @property
    def text(self) -> str:
        """The message after the heading."""
        return self._text.text()

    def show_message(self, kind: Kind, heading: str, text: str, *, closable: bool = True) -> None:
        """Show ``heading`` (bold) and ``text``; ``closable`` adds a "Dismiss" button."""
        self.setProperty("kind", str(kind))
        self._heading.setText(heading)
        self._text.setText(text)
        self._close.setVisible(closable)
        self.setAccessibleName(f"{heading} {text}")
        style = self.style()
        style.unpolish(self)
        style.polish(self)
        self.show()
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def clear(self) -> None:
        """Hide the bar without emitting ``dismissed``."""
        self.hide()
        self._heading.clear()
        self._text.clear()

    def _dismiss(self) -> None:
        self.clear()
        self.dismissed.emit()
