"""``SaveBar``: the line under an editor that says what state its edits are in, with Revert/Save.

The charter, the PDSA cycle editor and the coaching pages edit a draft that is saved as one
undo step. Each shows the same states in the same order of importance (read-only workspace,
record deleted, problems, new record, unsaved changes, all saved); each words its own
"deleted" and "problems" states. The owner says what the buttons do and when they are enabled.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

READ_ONLY_TEXT = "Read-only workspace: changes cannot be saved."
UNSAVED_TEXT = "Unsaved changes. Save (Ctrl+S) or Revert."
SAVED_TEXT = "All changes saved."


class SaveBar(QWidget):
    """State text, then Revert and Save, which call ``revert`` and ``save``.

    ``state_name`` is the state label's object name; ``with_icon`` adds a warning icon before
    the text.
    """

    def __init__(
        self,
        state_name: str,
        save: Callable[[], object],
        revert: Callable[[], object],
        save_text: str = "Save",
        parent: QWidget | None = None,
        *,
        with_icon: bool = False,
    ) -> None:
        super().__init__(parent)
        self.state_icon: QLabel | None = QLabel(self) if with_icon else None
        self.state_text = QLabel(self)
        self.state_text.setObjectName(state_name)
        self.state_text.setWordWrap(True)
        self.revert_button = QPushButton("Revert", self)
        self.save_button = QPushButton(save_text, self)
        self.save_button.setAutoDefault(False)
        self.revert_button.clicked.connect(revert)
        self.save_button.clicked.connect(save)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if self.state_icon is not None:
            layout.addWidget(self.state_icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.state_text, 1)
        layout.addWidget(self.revert_button)
        layout.addWidget(self.save_button)

    def set_enabled(self, *, save: bool, revert: bool) -> None:
        """Enable or disable the two buttons."""
        self.save_button.setEnabled(save)
        self.revert_button.setEnabled(revert)

    def show_state(
        self,
        *,
        read_only: bool,
        dirty: bool,
        deleted: str = "",
        problems: str = "",
        new: str = "",
    ) -> None:
        """Say the first state that applies.

        In order: a read-only workspace; ``deleted`` (the record was deleted; a warning);
        ``problems`` (what stops a save; a warning); ``new`` (a new record, not saved yet);
        unsaved changes (``dirty``); all saved. An empty text means the state does not apply.
        """
        if read_only:
            self.set_state(READ_ONLY_TEXT)
        elif deleted or problems:
            self.set_state(deleted or problems, warning=True)
        elif new:
            self.set_state(new)
        else:
            self.set_state(UNSAVED_TEXT if dirty else SAVED_TEXT)

    def set_state(self, text: str, *, warning: bool = False) -> None:
        """Show ``text`` (to screen readers too), with the warning icon when asked and shown."""
        self.state_text.setText(text)
        self.state_text.setAccessibleName(text)
        if self.state_icon is None:
            return
        if warning:
            style = self.style()
            size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            icon = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            self.state_icon.setPixmap(icon.pixmap(size, size))
        else:
            self.state_icon.clear()
