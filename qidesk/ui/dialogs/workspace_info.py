"""The Workspace information dialog: where the file is, its version, size, contents and backups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from qidesk.services.workspace import WorkspaceInfo


def human_size(size_bytes: int) -> str:
    """A file size as people say it: "812 bytes", "48 KB", "3.1 MB"."""
    if size_bytes < 1024:
        return f"{size_bytes} bytes"
    size = float(size_bytes)
    for unit in ("KB", "MB", "GB"):
        size /= 1024
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if size >= 10 else f"{size:.1f} {unit}"
    return f"{size_bytes} bytes"  # pragma: no cover - the loop always returns


#: Record-count keys whose plain plural would read badly.
_TABLE_LABELS = {"audit_log": "Audit log entries", "pdsa_cycle": "PDSA cycles", "site": "Sites"}


def table_label(name: str) -> str:
    """A record-count key ("team_member") as a heading ("Team members")."""
    if name in _TABLE_LABELS:
        return _TABLE_LABELS[name]
    words = name.replace("_", " ").strip()
    if not words:
        return name
    plural = words if words.endswith("s") else f"{words}s"
    return plural[0].upper() + plural[1:]


def open_folder(folder: Path) -> bool:
    """Show ``folder`` in the system file manager (Explorer on Windows)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class WorkspaceInfoDialog(QDialog):
    """Facts about the open workspace, with an "Open containing folder" button."""

    def __init__(
        self,
        info: WorkspaceInfo,
        parent: QWidget | None = None,
        *,
        folder_opener: Callable[[Path], object] = open_folder,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workspaceInfoDialog")
        self.setWindowTitle("Workspace information")
        self.setAccessibleName("Workspace information")
        self._folder = info.path.parent
        self._folder_opener = folder_opener

        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self._add(form, "File", info.path.name)
        self._add(form, "Folder", str(info.path.parent))
        self._add(form, "Schema version", str(info.schema_version))
        self._add(form, "Size", human_size(info.size_bytes))
        self._add(
            form,
            "Access",
            "Read-only — nothing you do here will be saved" if info.read_only else "Read and write",
        )
        counts = [f"{table_label(k)}: {v:,}" for k, v in sorted(info.counts.items())]
        self._add(form, "Records", "\n".join(counts) if counts else "None yet")
        if info.backups:
            latest = max(info.backups, key=lambda p: p.name)
            backups = f"{len(info.backups)} in {latest.parent}\nLatest: {latest.name}"
        else:
            backups = "None yet"
        self._add(form, "Backups", backups)

        self.open_folder_button = QPushButton("&Open containing folder", self)
        self.open_folder_button.clicked.connect(self._open_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.open_folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def value_of(self, label: str) -> str:
        """The text shown for ``label`` (used by tests and by screen-reader names)."""
        widget = self.findChild(QLabel, f"value:{label}")
        return widget.text() if widget is not None else ""

    def _add(self, form: QFormLayout, label: str, value: str) -> None:
        field = QLabel(value, self)
        field.setObjectName(f"value:{label}")
        field.setWordWrap(True)
        field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        field.setAccessibleName(label)
        field.setAccessibleDescription(value)
        form.addRow(f"{label}:", field)

    def _open_folder(self) -> None:
        self._folder_opener(self._folder)
