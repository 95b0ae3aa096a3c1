"""The About dialog: version, what qidesk does with data, and the data credits."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from qidesk import __version__

DATA_CREDIT = (
    "Demo data: NHS England A&E attendances and emergency admissions statistics via the "
    "NHSRdatasets R package (CC0), containing public sector information licensed under the "
    "Open Government Licence v3.0."
)

PRIVACY = (
    "Your data stays on this computer, in the workspace file you choose. qidesk never uses the "
    "network: it sends nothing anywhere and checks nothing online. You share work only by "
    "exporting a file yourself."
)

AGGREGATE_ONLY = (
    "Aggregate data only — no patient identifiers. Record counts and measures, never names, "
    "NHS numbers, hospital numbers or dates of birth."
)


class AboutDialog(QDialog):
    """Version, the privacy statement, the aggregate-data rule and the data credit."""

    def __init__(self, icon: QIcon | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle("About qidesk")
        self.setAccessibleName("About qidesk")

        title = QLabel(f"qidesk {__version__}", self)
        title.setObjectName("dialogTitle")
        subtitle = QLabel("Quality improvement for ward teams, coaches and QI hubs.", self)
        header = QHBoxLayout()
        if icon is not None and not icon.isNull():
            logo = QLabel(self)
            logo.setPixmap(icon.pixmap(64, 64))
            logo.setAccessibleName("qidesk logo")
            header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(subtitle)
        header.addLayout(heading, 1)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(header)
        for name, text in (
            ("privacyStatement", PRIVACY),
            ("aggregateStatement", AGGREGATE_ONLY),
            ("dataCredit", DATA_CREDIT),
        ):
            label = QLabel(text, self)
            label.setObjectName(name)
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(label)
        versions = QLabel(
            f"Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}",
            self,
        )
        versions.setObjectName("versions")
        versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(versions)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
