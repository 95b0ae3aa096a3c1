"""Small dialogs of data entry: ask for a reason or an annotation, list refused cells.

Each one is a plain ``QDialog`` that the panel opens through
:class:`~qidesk.ui.panels.measure_prompts.MeasurePrompts`, so tests replace the prompts and
never wait on a modal dialog. A required reason keeps OK disabled until some text is typed,
and says so in words next to the field (not by colour).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from qidesk.core.measures import AnnotationKind

RECORDED_NOTE = "Your name and the time are recorded with it."


def _icon_label(parent: QWidget, pixmap: QStyle.StandardPixmap) -> QLabel:
    label = QLabel(parent)
    size = parent.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
    label.setPixmap(parent.style().standardIcon(pixmap).pixmap(size, size))
    return label


class ReasonDialog(QDialog):
    """Asks for a reason (required): excluding a point, freezing a baseline, a new phase.

    With ``kinds`` it also asks what kind of annotation this is (the annotation dialog).
    """

    def __init__(
        self,
        title: str,
        prompt: str,
        parent: QWidget | None = None,
        *,
        field_label: str = "Reason",
        placeholder: str = "",
        kinds: Sequence[AnnotationKind] = (),
        note: str = RECORDED_NOTE,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("reason_dialog")
        self.setAccessibleName(title)
        self.setMinimumWidth(420)
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.kind: QComboBox | None = None
        form = QFormLayout()
        if kinds:
            self.kind = QComboBox(self)
            self.kind.setAccessibleName("Kind of annotation")
            for kind in kinds:
                self.kind.addItem(kind.label, kind)
            kind_label = QLabel("&Kind:", self)
            kind_label.setBuddy(self.kind)
            form.addRow(kind_label, self.kind)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("reason_text")
        self.text.setAccessibleName(field_label)
        self.text.setAccessibleDescription(f"Required. {prompt}")
        self.text.setPlaceholderText(placeholder)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4 + 16)
        text_label = QLabel(f"&{field_label} (required):", self)
        text_label.setBuddy(self.text)
        form.addRow(text_label, self.text)
        self.hint_icon = _icon_label(self, QStyle.StandardPixmap.SP_MessageBoxInformation)
        self.hint = QLabel(self)
        self.hint.setObjectName("reason_hint")
        self.hint.setWordWrap(True)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint_icon, 0, Qt.AlignmentFlag.AlignTop)
        hint_row.addWidget(self.hint, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setAccessibleName("OK")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addLayout(hint_row)
        if note:
            recorded = QLabel(note, self)
            recorded.setWordWrap(True)
            recorded.setStyleSheet("color: #4c6272;")
            layout.addWidget(recorded)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._refresh)
        self._field_label = field_label
        self._refresh()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def value(self) -> str:
        """The text typed, trimmed."""
        return self.text.toPlainText().strip()

    def chosen_kind(self) -> AnnotationKind | None:
        """The annotation kind chosen (``None`` when the dialog does not ask for one)."""
        if self.kind is None:
            return None
        kind = self.kind.currentData()
        return None if kind is None else AnnotationKind(kind)

    def _refresh(self) -> None:
        empty = not self.value()
        self.ok_button.setEnabled(not empty)
        message = (
            f"{self._field_label} is required: type it to continue."
            if empty
            else "Press OK to save, or Cancel to change nothing."
        )
        self.hint.setText(message)
        self.hint.setAccessibleName(message)

    def accept(self) -> None:
        """Close with OK only when the required text is there."""
        if self.value():
            super().accept()


class ProblemListDialog(QDialog):
    """Lists every refused cell of a paste (row, column and reason); nothing was applied."""

    def __init__(
        self, title: str, intro: str, lines: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("problem_list_dialog")
        self.setAccessibleName(title)
        self.setMinimumSize(520, 300)
        icon = _icon_label(self, QStyle.StandardPixmap.SP_MessageBoxWarning)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName(intro)
        head = QHBoxLayout()
        head.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.intro, 1)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Problems, one per cell")
        self.list.addItems(list(lines))
        self.list.setWordWrap(True)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def lines(self) -> list[str]:
        """The problems listed."""
        return [self.list.item(i).text() for i in range(self.list.count())]
