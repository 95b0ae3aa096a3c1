"""GUI test set-up: Qt warnings fail the test; a main-window factory with recording prompts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from pytestqt.qtbot import QtBot

from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings, load_settings
from qidesk.ui.context import Panel
from qidesk.ui.dialogs.prompts import Prompts
from qidesk.ui.main_window import MainWindow

#: Qt messages that are not problems, each with its reason.
ALLOWED_QT_MESSAGES = (
    # the offscreen platform cannot pass size hints to a window manager; harmless
    "This plugin does not support propagateSizeHints()",
)
_FAILING = (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg)


@pytest.fixture(autouse=True)
def _qt_warnings_fail_tests() -> Iterator[None]:
    """Any Qt warning, critical or fatal message during a test fails that test."""
    seen: list[str] = []

    def handler(mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        if mode in _FAILING and not any(allowed in message for allowed in ALLOWED_QT_MESSAGES):
            seen.append(f"{mode.name}: {message}")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
    if seen:
        pytest.fail("Qt printed warnings:\n" + "\n".join(seen), pytrace=False)


class RecordingPrompts(Prompts):
    """``Prompts`` that never show a dialog: messages are recorded, answers are preset."""

    def __init__(self) -> None:
        super().__init__()
        self.errors: list[tuple[str, str, str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirms: list[tuple[str, str]] = []
        self.confirm_answer = False
        self.open_answer: Path | None = None
        self.new_answer: Path | None = None
        self.folder_answer: Path | None = None

    def error(self, title: str, text: str, details: str = "") -> None:
        """Record an error message."""
        self.errors.append((title, text, details))

    def info(self, title: str, text: str) -> None:
        """Record an information message."""
        self.infos.append((title, text))

    def confirm(self, title: str, text: str, accept_label: str) -> bool:
        """Record the question; answer with ``confirm_answer``."""
        self.confirms.append((title, text))
        return self.confirm_answer

    def open_workspace_path(self, directory: Path) -> Path | None:
        """Answer with ``open_answer``."""
        return self.open_answer

    def new_workspace_path(self, directory: Path) -> Path | None:
        """Answer with ``new_answer``."""
        return self.new_answer

    def backup_folder(self, directory: Path) -> Path | None:
        """Answer with ``folder_answer``."""
        return self.folder_answer


@pytest.fixture
def prompts() -> RecordingPrompts:
    """Prompts that record instead of showing dialogs."""
    return RecordingPrompts()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings in this test's temporary config folder."""
    from qidesk import paths

    return load_settings(paths.config_dir())


@pytest.fixture
def workspace_file(tmp_path: Path) -> Path:
    """A new, empty workspace file (closed again, so a window can open it)."""
    path = tmp_path / "first.qidesk"
    WorkspaceService.create(path, user="tester").close()
    return path


MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, prompts: RecordingPrompts, settings: Settings
) -> Iterator[MakeWindow]:
    """Build a main window on a workspace file (``read_only`` and ``panel_classes`` optional)."""
    from qidesk.ui.app import build_main_window

    windows: list[MainWindow] = []

    def make(
        path: Path, *, read_only: bool = False, panel_classes: list[type[Panel]] | None = None
    ) -> MainWindow:
        service = WorkspaceService.open(path, user="tester", read_only=read_only)
        window = build_main_window(
            service, settings, user="tester", prompts=prompts, panel_classes=panel_classes
        )
        qtbot.addWidget(window)
        windows.append(window)
        window.build_all_panels()  # tests inspect every panel and menu; laziness has its own test
        return window

    yield make
    for window in windows:
        window.close()  # releases the workspace lock before the temporary folder goes
