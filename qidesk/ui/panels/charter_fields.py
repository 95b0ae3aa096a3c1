"""Small field widgets of the charter form: optional dates, checked fields, notice bars."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

#: Control characters that never belong in charter text (NUL, bell, escape…): pasting from other
#: programs brings them along, and they break the exchange workbook (Excel refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BREAK_CHARS = "\t\r\n\x0b\x0c\u2028\u2029"
_LINE_BREAKS = re.compile(f"[{_BREAK_CHARS}]+")


def single_line(text: str) -> str:
    """``text`` for a one-line field, cleaned of line breaks and control characters.

    Line breaks and tabs at the ends are dropped (a cell pasted from Excel ends in one), each
    run of them inside becomes one space, and other control characters are dropped.
    """
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text.strip(_BREAK_CHARS)))


def multi_line(text: str) -> str:
    """``text`` for a multi-line field: control characters other than tab and newline dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


#: A darker shade of NHS error red (#d5281b is only 4.4:1 on the grey form background; this is
#: 5.6:1 on #ececec and 6.7:1 on white). Never the only cue: an icon and the words go with it.
ERROR_COLOUR = "#b3200f"
_NOT_SET = QDate(1900, 1, 1)


class OptionalDateEdit(QWidget):
    """A date that may be "not set": a checkbox turns the date on or off."""

    #: emitted when the user sets, clears or changes the date
    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox("Set", self)
        self.check.setAccessibleName(f"{name}: set a date")
        self.edit = QDateEdit(self)
        self.edit.setAccessibleName(name)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.edit.setMinimumDate(_NOT_SET)
        self.edit.setSpecialValueText("Not set")
        self.edit.setMinimumWidth(130)
        # the text box inside the date edit takes the focus: a screen reader announces its name
        inner = self.edit.findChild(QLineEdit)
        if inner is not None:
            inner.setAccessibleName(name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(self._date_changed)
        self.set_value(None)

    def value(self) -> date | None:
        """The date, or ``None`` when not set."""
        if not self.check.isChecked():
            return None
        d = self.edit.date()
        return date(d.year(), d.month(), d.day())

    def set_value(self, value: date | None) -> None:
        """Show ``value`` without emitting :attr:`changed`."""
        self.blockSignals(True)
        try:
            self.check.setChecked(value is not None)
            self.edit.setEnabled(value is not None)
            self.edit.setDate(QDate(value.year, value.month, value.day) if value else _NOT_SET)
        finally:
            self.blockSignals(False)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        if on and self.edit.date() == _NOT_SET:
            self.edit.setDate(QDate.currentDate())
        elif not on:
            self.edit.setDate(_NOT_SET)
        self.changed.emit()

    def _date_changed(self) -> None:
        self.changed.emit()


class CheckedField(QWidget):
    """A field that can be refused: a red border, a warning icon and the reason under it.

    Colour is never the only cue: the reason is written out, shown with a warning icon, and set
    as the field's accessible description so a screen reader announces it.
    """

    def __init__(self, field: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.frame = QFrame(self)
        self.frame.setObjectName("checked_frame")
        frame_layout = QVBoxLayout(self.frame)
        frame_layout.setContentsMargins(0, 0, 0, 0)
        frame_layout.addWidget(field)
        self.icon = QLabel(self)
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self.icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size, size)
        )
        self.message = QLabel(self)
        self.message.setObjectName("field_problem")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
        self.message.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        problem_row = QHBoxLayout()
        problem_row.setContentsMargins(2, 0, 0, 0)
        problem_row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        problem_row.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.frame)
        layout.addLayout(problem_row)
        self.setFocusProxy(field)
        self._description = field.accessibleDescription()
        self._problem: str | None = None
        self.set_problem(None)

    @property
    def problem(self) -> str | None:
        """The reason shown, or ``None`` when the value is fine."""
        return self._problem

    def set_problem(self, reason: str | None) -> None:
        """Show ``reason`` (a full sentence) next to the field, or clear it."""
        self._problem = reason or None
        if reason:
            self.frame.setStyleSheet(
                f"#checked_frame {{ border: 2px solid {ERROR_COLOUR}; border-radius: 3px;"
                " padding: 1px; }"
            )
            self.message.setText(reason)
            self.message.setAccessibleName(reason)
            self._describe(f"Problem: {reason}")
        else:
            self.frame.setStyleSheet("#checked_frame { border: none; }")
            self.message.clear()
            self._describe(self._description)
        self.icon.setVisible(bool(reason))
        self.message.setVisible(bool(reason))

    def _describe(self, text: str) -> None:
        """Set the description on the field and on the widget that takes its focus."""
        self.field.setAccessibleDescription(text)
        proxy = self.field.focusProxy()
        if proxy is not None:
            proxy.setAccessibleDescription(text)


class NoticeBar(QFrame):
    """A slim bar above the form with a message and up to two buttons (non-modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice_bar")
        self.setStyleSheet(
            "#notice_bar { background: #fff9c4; border: 1px solid #8a6d00; border-radius: 3px; }"
            " #notice_bar QLabel { color: #212b32; }"
        )
        self.setAccessibleName("Notice")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.first = QPushButton(self)
        self.second = QPushButton(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.first)
        layout.addWidget(self.second)
        self._actions: list[Callable[[], None]] = [lambda: None, lambda: None]
        self.first.clicked.connect(lambda: self._run(0))
        self.second.clicked.connect(lambda: self._run(1))
        self.hide()

    def show_notice(self, message: str, buttons: list[tuple[str, Callable[[], None]]]) -> None:
        """Show ``message`` with ``buttons`` (text, callback) and announce it."""
        self.label.setText(message)
        self.label.setAccessibleName(message)
        for button, spec in zip((self.first, self.second), [*buttons, None, None], strict=False):
            if spec is None:
                button.hide()
                continue
            text, _ = spec
            button.setText(text)
            button.setAccessibleName(text.replace("&", ""))
            button.show()
        self._actions = [spec[1] for spec in buttons] + [lambda: None] * (2 - len(buttons))
        self.setAccessibleName(message)
        self.show()
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def _run(self, which: int) -> None:
        self._actions[which]()

    def hide_notice(self) -> None:
        """Hide the bar."""
        self.hide()

    def button_texts(self) -> list[str]:
        """Texts of the buttons shown (for tests)."""
        return [b.text() for b in (self.first, self.second) if not b.isHidden()]


def plain_text_edit(name: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    """A multi-line text box sized to ``lines`` lines, where Tab moves focus on."""
    edit = QPlainTextEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    metrics = edit.fontMetrics()
    height = metrics.lineSpacing() * (lines + 1) + 2 * edit.frameWidth() + 8
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height)
    return edit
