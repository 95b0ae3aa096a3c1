"""GUI test set-up: Qt warnings fail the test; a main-window factory with recording prompts;
a panel's workspace context over a temporary workspace, with the broadcast a window would do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from qidesk.core.changes import Changes
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings, load_settings
from qidesk.ui.actions import GuardedUndoStack
from qidesk.ui.context import Panel, WorkspaceContext
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


# -- a panel's workspace context, without a main window ------------------------------------------


class Broadcast(list[Panel]):
    """Hands every ``Changes`` to the panels in it, as the main window does."""

    def __call__(self, changes: Changes) -> None:
        for panel in self:
            panel.apply_changes(changes)


def context_over(
    service: WorkspaceService,
    settings_path: Path,
    *,
    guarded: bool = True,
    current_project_id: str | None = None,
) -> WorkspaceContext:
    """A :class:`WorkspaceContext` over ``service``, as a main window would build one.

    Its ``broadcast`` is a :class:`Broadcast`, also reachable as ``ctx.panels``: append the
    panels under test to it. With ``guarded`` the undo stack is the window's
    :class:`GuardedUndoStack`, and the commands it refuses are recorded in ``ctx.failures``
    as ``(title, text)``; otherwise it is a plain ``QUndoStack`` (``ctx.failures`` stays empty).
    """
    panels = Broadcast()
    stack = GuardedUndoStack() if guarded else QUndoStack()
    ctx = WorkspaceContext(
        workspace=service,
        projects=ProjectService(service.workspace),
        settings=Settings(settings_path),
        undo_stack=stack,
        broadcast=panels,
        current_project_id=current_project_id,
    )
    failures: list[tuple[str, str]] = []
    if isinstance(stack, GuardedUndoStack):
        stack.command_failed.connect(lambda title, text: failures.append((title, text)))
    ctx.panels = panels  # type: ignore[attr-defined]
    ctx.failures = failures  # type: ignore[attr-defined]
    return ctx


MakeContext = Callable[..., WorkspaceContext]


@pytest.fixture
def make_context(tmp_path: Path) -> Iterator[MakeContext]:
    """Make a context over a new workspace ``w.qidesk`` in this test's temporary folder.

    ``make_context(user, guarded=True, no_failures=False)``: see :func:`context_over`; with
    ``no_failures`` the test fails when the undo stack refused any command. At the end the
    undo stack is cleared and the workspace closed.
    """
    made: list[tuple[WorkspaceContext, bool]] = []

    def make(user: str, *, guarded: bool = True, no_failures: bool = False) -> WorkspaceContext:
        service = WorkspaceService.create(tmp_path / "w.qidesk", user=user)
        ctx = context_over(service, tmp_path / "settings.json", guarded=guarded)
        made.append((ctx, no_failures))
        return ctx

    yield make
    for ctx, no_failures in made:
        try:
            if no_failures:
                assert ctx.failures == []  # type: ignore[attr-defined]
        finally:
            ctx.undo_stack.clear()
            ctx.workspace.close()
