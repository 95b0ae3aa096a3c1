"""The crash dialog: a bug, said in plain words, with where the log is and details to copy."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class CrashDialog(QDialog):
    """Shown by the global exception hook. ``exec()`` returns :attr:`QUIT` or :attr:`CONTINUE`."""

    CONTINUE = 0
    QUIT = 2

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("qidesk hit a problem")
        self.setAccessibleName("qidesk hit a problem")
        self.details = details

        heading = QLabel("Something went wrong inside qidesk.", self)
        heading.setObjectName("dialogTitle")
        where = (
            f"The details have been written to the log file:\n{log_path}"
            if log_path is not None
            else "The details could not be written to a log file; please copy them below."
        )
        body = QLabel(
            "This is a fault in qidesk, not something you did. Every change you finished "
            "before this was already saved.\n\n"
            f"{where}\n\n"
            "Please send the details to whoever supports qidesk for your team (use Copy "
            "details). They describe the program, not your patients or projects.\n\n"
            "You can carry on, but if anything looks wrong, close qidesk and open it again.",
            self,
        )
        body.setWordWrap(True)

        self.details_view = QPlainTextEdit(details, self)
        self.details_view.setReadOnly(True)
        self.details_view.setAccessibleName("Error details")
        self.details_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details_view.setMinimumHeight(120)

        self.copy_button = QPushButton("&Copy details", self)
        self.copy_button.clicked.connect(self.copy_details)
        quit_button = QPushButton("&Quit qidesk", self)
        quit_button.clicked.connect(lambda: self.done(self.QUIT))
        continue_button = QPushButton("C&ontinue", self)
        continue_button.setDefault(True)
        continue_button.clicked.connect(lambda: self.done(self.CONTINUE))
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(continue_button, QDialogButtonBox.ButtonRole.AcceptRole)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def copy_details(self) -> None:
        """Put the details on the clipboard."""
        QGuiApplication.clipboard().setText(self.details)
        self.copy_button.setText("Copied")
