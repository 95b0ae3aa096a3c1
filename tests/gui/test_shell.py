"""The application shell: main window, menus, workspace switching, undo guard, crash hook."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType
from PySide6.QtGui import QAccessible, QKeySequence, QUndoCommand
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from qidesk import paths
from qidesk.core.changes import Changes
from qidesk.core.errors import StorageFullError
from qidesk.core.project import Project
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui import app as app_module
from qidesk.ui.actions import READ_ONLY_REFUSAL, GuardedUndoStack, plain_text
from qidesk.ui.commands import CreateProjectCommand
from qidesk.ui.context import Panel
from qidesk.ui.dialogs.about import AboutDialog
from qidesk.ui.dialogs.crash import CrashDialog
from qidesk.ui.dialogs.workspace_info import WorkspaceInfoDialog, human_size, table_label
from qidesk.ui.main_window import MainWindow
from qidesk.ui.panels import default_panels, docked_panels

MakeWindow = Callable[..., MainWindow]
RecordingPrompts = Any  # tests/gui/conftest.py


def by_name(window: MainWindow) -> dict[str, object]:
    return {a.objectName(): a for a in window.all_actions() if a.objectName()}


def keys(action: object) -> list[str]:
    return [s.toString() for s in action.shortcuts()]  # type: ignore[attr-defined]


def project_titles(window: MainWindow) -> list[str]:
    return sorted(r.project.title for r in window.context.projects.rows())


# -- opening ------------------------------------------------------------------------------------


def test_window_opens_on_a_workspace(make_window: MakeWindow, workspace_file: Path, qtbot: QtBot):
    window = make_window(workspace_file)
    window.show()
    qtbot.waitExposed(window)
    assert window.workspace.path == workspace_file
    assert "first" in window.windowTitle()
    assert str(workspace_file) in window._path_label.text()
    assert "tester" in window._user_label.text()
    assert [type(p) for p in window.panels] == default_panels()
    docked = [p for p in window.panels if type(p) in docked_panels()]
    assert docked and all(window.tabs.indexOf(p) == -1 for p in docked)
    tabbed = [p for p in window.panels if type(p) not in docked_panels()]
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [p.title for p in tabbed]
    assert not window.banner.isVisible()


EXPECTED_SHORTCUTS = {
    "new_workspace": ["Ctrl+Shift+N"],
    "open_workspace": ["Ctrl+O"],
    "quit": ["Ctrl+Q"],
    "undo": ["Ctrl+Z"],
    "redo": ["Ctrl+Shift+Z", "Ctrl+Y"],
    "focus_dock": ["Ctrl+Shift+L"],
    "keyboard_shortcuts": ["F1"],
    "back_up": [],
    "check_integrity": [],
    "workspace_info": [],
    "about": [],
}


def test_every_menu_action_exists_with_shortcut_text_and_mnemonic(
    make_window: MakeWindow, workspace_file: Path
):
    window = make_window(workspace_file)
    actions = by_name(window)
    for name, expected in EXPECTED_SHORTCUTS.items():
        assert name in actions, name
        assert keys(actions[name]) == expected, name
    for menu in window.menus():
        assert "&" in menu.title(), f"menu {menu.title()} has no mnemonic"
    for action in window.all_actions():
        assert plain_text(action).strip(), "an action without text"
        assert "&" in action.text() or not action.isEnabled(), f"{action.text()} has no mnemonic"


def test_no_two_menu_actions_share_a_shortcut(make_window: MakeWindow, workspace_file: Path):
    window = make_window(workspace_file)
    seen: dict[str, str] = {}
    for action in window.all_actions():
        for key in keys(action):
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()


def test_undo_text_says_what_will_be_undone(make_window: MakeWindow, workspace_file: Path):
    window = make_window(workspace_file)
    undo = by_name(window)["undo"]
    assert not undo.isEnabled()
    window.context.push(CreateProjectCommand(window.context, Project(title="Falls on 7B")))
    assert undo.isEnabled()
    assert "Falls on 7B" in undo.text()


# -- switching workspaces -----------------------------------------------------------------------


def test_open_another_workspace_rebuilds_the_context(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts, tmp_path: Path
):
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="Only in first")))
    old_context, old_panels = window.context, list(window.panels)
    second = tmp_path / "second.qidesk"
    WorkspaceService.create(second, user="tester").close()

    prompts.open_answer = second
    by_name(window)["open_workspace"].trigger()

    assert window.workspace.path == second
    assert window.context is not old_context
    assert not set(map(id, window.panels)) & set(map(id, old_panels))
    assert window.undo_stack.count() == 0
    assert project_titles(window) == []
    assert prompts.errors == []
    # the first workspace was closed: another process (here, another open) may take it
    WorkspaceService.open(workspace_file, user="someone else", backup=False).close()
    window.recent_menu.refresh()  # as when the menu opens
    recent = [a.text() for a in window.recent_menu.actions()]
    assert any("second.qidesk" in t for t in recent) and any("first.qidesk" in t for t in recent)


def test_recent_menu_shows_missing_files_disabled(
    make_window: MakeWindow, workspace_file: Path, settings: Settings, tmp_path: Path
):
    window = make_window(workspace_file)
    gone = tmp_path / "gone.qidesk"
    settings.add_recent(str(gone))
    settings.add_recent(str(workspace_file))
    window.recent_menu.refresh()
    entries = {a.text(): a for a in window.recent_menu.actions() if a.text()}
    missing = next(a for t, a in entries.items() if "gone.qidesk" in t)
    assert "(not found)" in missing.text()
    assert not missing.isEnabled()
    present = next(a for t, a in entries.items() if "first.qidesk" in t)
    assert present.isEnabled()


def _zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def _text_file(path: Path) -> None:
    path.write_text("Ward 7 falls, week 12: 3\n" * 50, encoding="utf-8")


def _newer_schema(path: Path) -> None:
    WorkspaceService.create(path, user="tester").close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=999")
    conn.close()


@pytest.mark.parametrize("make_bad", [_zero_bytes, _text_file, _newer_schema])
def test_a_bad_file_is_a_message_and_the_app_stays_usable(
    make_window: MakeWindow,
    workspace_file: Path,
    prompts: RecordingPrompts,
    tmp_path: Path,
    make_bad,
):
    window = make_window(workspace_file)
    bad = tmp_path / "bad.qidesk"
    make_bad(bad)
    before = bad.read_bytes()

    prompts.open_answer = bad
    by_name(window)["open_workspace"].trigger()

    assert len(prompts.errors) == 1
    title, text, _ = prompts.errors[0]
    assert title == "Could not open workspace"
    assert "bad.qidesk" in text
    assert "first.qidesk is still open" in text
    assert bad.read_bytes() == before  # untouched
    assert window.workspace.path == workspace_file
    window.context.push(CreateProjectCommand(window.context, Project(title="Still works")))
    assert project_titles(window) == ["Still works"]


def test_new_workspace_is_created_and_opened(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts, tmp_path: Path
):
    window = make_window(workspace_file)
    prompts.new_answer = tmp_path / "fresh.qidesk"
    by_name(window)["new_workspace"].trigger()
    assert window.workspace.path == tmp_path / "fresh.qidesk"
    assert prompts.errors == []

    prompts.new_answer = workspace_file  # exists: refused, nothing replaced
    by_name(window)["new_workspace"].trigger()
    assert window.workspace.path == tmp_path / "fresh.qidesk"
    assert prompts.errors and "already exists" in prompts.errors[0][1]


def test_back_up_and_check_integrity_report_in_plain_words(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts, tmp_path: Path
):
    window = make_window(workspace_file)
    folder = tmp_path / "usb"
    folder.mkdir()
    prompts.folder_answer = folder
    by_name(window)["back_up"].trigger()
    assert prompts.errors == []
    assert prompts.infos[-1][0] == "Backup written"
    assert list(folder.glob("*.qidesk"))

    by_name(window)["check_integrity"].trigger()
    assert prompts.infos[-1][0] == "No problems found"

    prompts.folder_answer = None  # cancelled: nothing happens
    count = len(prompts.infos)
    by_name(window)["back_up"].trigger()
    assert len(prompts.infos) == count


# -- undo and redo ------------------------------------------------------------------------------


def test_undo_and_redo_through_the_edit_menu(make_window: MakeWindow, workspace_file: Path):
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="Sepsis screening")))
    assert project_titles(window) == ["Sepsis screening"]
    actions = by_name(window)
    actions["undo"].trigger()
    assert project_titles(window) == []
    assert "Sepsis screening" in actions["redo"].text()
    actions["redo"].trigger()
    assert project_titles(window) == ["Sepsis screening"]


def test_a_refused_command_never_stays_on_the_stack(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts
):
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="")))  # invalid
    assert window.undo_stack.count() == 0
    assert project_titles(window) == []
    assert len(prompts.errors) == 1
    assert "title" in prompts.errors[0][1] and "Nothing was changed" in prompts.errors[0][1]
    # the stack still works afterwards
    window.context.push(CreateProjectCommand(window.context, Project(title="Valid")))
    assert window.undo_stack.count() == 1


class _Step(QUndoCommand):
    """A command whose redo/undo can be told to fail."""

    def __init__(self, log: list[str], *, fail_redo: Exception | None = None) -> None:
        super().__init__("step")
        self.log = log
        self.fail_redo = fail_redo
        self.fail_undo: Exception | None = None

    def redo(self) -> None:
        if self.fail_redo is not None:
            raise self.fail_redo
        self.log.append("redo")

    def undo(self) -> None:
        if self.fail_undo is not None:
            raise self.fail_undo
        self.log.append("undo")


def test_guarded_stack_rules(qtbot: QtBot):
    stack = GuardedUndoStack()
    failures: list[tuple[str, str]] = []
    stack.command_failed.connect(lambda title, text: failures.append((title, text)))
    log: list[str] = []

    stack.push(_Step(log, fail_redo=StorageFullError("the disk is full")))
    assert stack.count() == 0
    assert "the disk is full" in failures[-1][1]

    with pytest.raises(ZeroDivisionError):  # a bug propagates, the stack stays clean
        stack.push(_Step(log, fail_redo=ZeroDivisionError()))
    assert stack.count() == 0

    first, second = _Step(log), _Step(log)
    stack.push(first)
    stack.push(second)
    assert stack.count() == 2
    second.fail_undo = StorageFullError("the disk is full")
    stack.undo()  # fails: reported, and the history is cleared once Qt is done
    assert failures[-1][0] == "Could not undo"
    qtbot.waitUntil(lambda: stack.count() == 0)

    stack.read_only = True
    stack.push(_Step(log))
    assert stack.count() == 0
    assert failures[-1][1] == READ_ONLY_REFUSAL
    assert log == ["redo", "redo"]


# -- read-only ----------------------------------------------------------------------------------


def test_read_only_workspace_shows_a_banner_and_refuses_edits(
    make_window: MakeWindow, workspace_file: Path, prompts: RecordingPrompts, qtbot: QtBot
):
    window = make_window(workspace_file, read_only=True)
    window.show()
    qtbot.waitExposed(window)
    assert window.banner.isVisible()
    assert window.banner.heading == "Read-only:"
    assert "nothing you do here will be saved" in window.banner.text
    assert "(read-only)" in window.windowTitle()
    window.context.push(CreateProjectCommand(window.context, Project(title="Not saved")))
    assert window.undo_stack.count() == 0
    assert project_titles(window) == []
    assert prompts.errors and prompts.errors[0][0] == "Read-only workspace"


# -- panels and changes -------------------------------------------------------------------------


class _GoodPanel(Panel):
    panel_id = "good"
    title = "Good"

    def __init__(self, context, parent=None) -> None:
        super().__init__(context, parent)
        self.seen: list[Changes] = []

    def apply_changes(self, changes: Changes) -> None:
        self.seen.append(changes)


class _BuggyPanel(Panel):
    panel_id = "buggy"
    title = "Buggy"

    def apply_changes(self, changes: Changes) -> None:
        raise RuntimeError("panel bug")


def test_a_panel_bug_is_reported_and_other_panels_still_hear_changes(
    make_window: MakeWindow, workspace_file: Path, monkeypatch: pytest.MonkeyPatch
):
    reported: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _t, exc, _tb: reported.append(exc))
    window = make_window(workspace_file, panel_classes=[_BuggyPanel, _GoodPanel])
    good = window.panels[1]
    assert isinstance(good, _GoodPanel)
    assert good.seen and good.seen[0].workspace_replaced
    assert [str(e) for e in reported] == ["panel bug"]
    window.broadcast(Changes.of())
    assert len(good.seen) == 2


def test_view_menu_switches_tabs_and_focuses_the_project_list(
    make_window: MakeWindow, workspace_file: Path, qtbot: QtBot
):
    window = make_window(workspace_file)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    actions = by_name(window)
    tabbed = [p for p in window.panels if type(p) not in docked_panels()]
    actions[f"go_to_{tabbed[0].panel_id}"].trigger()
    assert window.tabs.currentWidget() is tabbed[0]
    actions["focus_dock"].trigger()
    docked = next(p for p in window.panels if type(p) in docked_panels())
    qtbot.waitUntil(lambda: docked.isAncestorOf(QApplication.focusWidget()))


def test_window_layout_is_saved_in_the_config_folder(make_window: MakeWindow, workspace_file: Path):
    window = make_window(workspace_file)
    window.resize(1000, 640)
    window.close()
    state = paths.config_dir() / app_module.STATE_FILE_NAME
    assert state.exists()
    assert "geometry" in state.read_text(encoding="utf-8")


# -- dialogs ------------------------------------------------------------------------------------


def _unnamed_focusable(dialog: QWidget) -> list[str]:
    out = []
    for widget in dialog.findChildren(QWidget):
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(dialog):
            continue
        iface = QAccessible.queryAccessibleInterface(widget)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            out.append(f"{type(widget).__name__} {widget.objectName()}")
    return out


def test_about_dialog_says_what_happens_to_data(qtbot: QtBot):
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "never uses the network" in text
    assert "Aggregate data only — no patient identifiers" in text
    assert "NHSRdatasets R package (CC0)" in text
    assert "Open Government Licence v3.0" in text
    dialog.show()
    assert _unnamed_focusable(dialog) == []


def test_workspace_info_dialog(make_window: MakeWindow, workspace_file: Path, qtbot: QtBot):
    window = make_window(workspace_file)
    window.context.push(CreateProjectCommand(window.context, Project(title="Counted")))
    opened: list[Path] = []
    dialog = WorkspaceInfoDialog(window.workspace.info(), window, folder_opener=opened.append)
    assert dialog.value_of("File") == "first.qidesk"
    assert dialog.value_of("Schema version") == str(window.workspace.info().schema_version)
    assert "Projects: 1" in dialog.value_of("Records")
    assert dialog.value_of("Access") == "Read and write"
    dialog.open_folder_button.click()
    assert opened == [workspace_file.parent]
    dialog.show()
    assert _unnamed_focusable(dialog) == []


def test_size_and_label_helpers():
    assert human_size(812) == "812 bytes"
    assert human_size(48 * 1024) == "48 KB"
    assert human_size(int(3.1 * 1024 * 1024)) == "3.1 MB"
    assert table_label("team_member") == "Team members"
    assert table_label("audit_log") == "Audit log entries"


def test_shortcuts_dialog_lists_the_menu_shortcuts(make_window: MakeWindow, workspace_file: Path):
    window = make_window(workspace_file)
    dialog = window.shortcuts_dialog()
    rows = {
        (dialog.table.item(r, 1).text(), dialog.table.item(r, 2).text())
        for r in range(dialog.table.rowCount())
    }
    native = QKeySequence("Ctrl+Shift+N").toString(QKeySequence.SequenceFormat.NativeText)
    assert ("New workspace", native) in rows
    assert any(command == "Quit" for command, _ in rows)


# -- crash reporting ----------------------------------------------------------------------------


@pytest.fixture
def log_file(tmp_path: Path):
    path = app_module.setup_logging(tmp_path / "logs")
    yield path
    app_module.shutdown_logging()


def _raise_and_capture() -> tuple[type[BaseException], BaseException, object]:
    try:
        raise ValueError("something impossible")
    except ValueError:
        return sys.exc_info()  # type: ignore[return-value]


def test_crash_hook_writes_the_log_and_shows_the_dialog(
    log_file: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
):
    shown: list[tuple[str, Path | None]] = []

    class FakeDialog:
        QUIT = CrashDialog.QUIT

        def __init__(self, details: str, log_path: Path | None, _parent: object) -> None:
            shown.append((details, log_path))

        def exec(self) -> int:
            return CrashDialog.CONTINUE

    monkeypatch.setattr(app_module, "CrashDialog", FakeDialog)
    before = (sys.excepthook, threading.excepthook)
    reporter = app_module.CrashReporter(log_file)
    reporter.install()
    try:
        assert sys.excepthook == reporter.handle
        reporter.handle(*_raise_and_capture())  # type: ignore[arg-type]
    finally:
        reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    for handler in logging.getLogger("qidesk").handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "ValueError: something impossible" in logged
    assert "Traceback" in logged
    assert len(shown) == 1
    assert shown[0][1] == log_file
    assert "something impossible" in shown[0][0]


def test_crash_hook_in_smoke_mode_prints_and_records(
    log_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    # the real exit() would leave the shared test QApplication quitting: later tests' event
    # loops (qtbot.waitUntil, modal dialogs) would then return at once
    exits: list[int] = []
    monkeypatch.setattr(QApplication.instance(), "exit", exits.append)
    reporter = app_module.CrashReporter(log_file, smoke_test=True)
    reporter.handle(*_raise_and_capture())  # type: ignore[arg-type]
    assert reporter.failures
    assert "ValueError: something impossible" in capsys.readouterr().err
    assert exits == [1]  # a smoke run ends with a failure code


def test_crash_hook_catches_thread_errors(log_file: Path, qtbot: QtBot):
    reporter = app_module.CrashReporter(log_file, smoke_test=True)
    reporter.install()
    try:
        worker = threading.Thread(target=lambda: 1 / 0, name="importer")
        worker.start()
        worker.join()
    finally:
        reporter.uninstall()
    assert any("importer" in f and "ZeroDivisionError" in f for f in reporter.failures)


def test_crash_dialog_copies_details(qtbot: QtBot, tmp_path: Path):
    dialog = CrashDialog("Traceback: details", tmp_path / "qidesk.log")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == "Traceback: details"
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert str(tmp_path / "qidesk.log") in labels
    dialog.show()
    assert _unnamed_focusable(dialog) == []


def test_qt_message_log_ignores_only_the_harmless_line():
    log = app_module.QtMessageLog(smoke_test=False)
    context = QMessageLogContext()
    log(QtMsgType.QtWarningMsg, context, "This plugin does not support propagateSizeHints()")
    log(QtMsgType.QtDebugMsg, context, "debug chatter")
    assert log.problems == []
    log(QtMsgType.QtWarningMsg, context, "QWidget::setLayout: already has a layout")
    assert log.problems == ["QWidget::setLayout: already has a layout"]


# -- the real start-up ----------------------------------------------------------------------------


def _run_gui(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "QIDESK_DATA_DIR": str(tmp / "data"),
        "QIDESK_CONFIG_DIR": str(tmp / "config"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return subprocess.run(
        [sys.executable, "-m", "qidesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_smoke_test_passes_on_the_demo_workspace(tmp_path: Path):
    out = _run_gui(tmp_path, "--demo", "--smoke-test")
    assert out.returncode == 0, out.stderr
    assert "smoke test passed" in out.stdout
    assert (tmp_path / "data" / "demo.qidesk").exists()
    assert (tmp_path / "data" / "logs" / "qidesk.log").exists()


def test_smoke_test_fails_when_the_requested_workspace_is_bad(tmp_path: Path):
    bad = tmp_path / "bad.qidesk"
    bad.write_text("not a database", encoding="utf-8")
    out = _run_gui(tmp_path, "--db", str(bad), "--smoke-test")
    assert out.returncode != 0
    assert "bad.qidesk" in out.stderr


# -- start-up choices -----------------------------------------------------------------------------


def test_user_name_order(settings: Settings, monkeypatch: pytest.MonkeyPatch):
    from qidesk import settings as settings_module

    monkeypatch.setenv("QIDESK_USER", "from env")
    assert settings_module.user_name(settings) == "from env"
    settings.set("user_name", "Sam Coach")
    assert settings_module.user_name(settings) == "Sam Coach"
    monkeypatch.delenv("QIDESK_USER")
    settings.set("user_name", "")
    monkeypatch.setattr(settings_module.getpass, "getuser", lambda: "login")
    assert settings_module.user_name(settings) == "login"
    settings.set("user_name", "Sam")
    settings.set("site_name", "Ward 7")
    assert settings_module.recorded_user(settings) == "Sam@Ward 7"
    settings.set("site_name", "")
    assert settings_module.recorded_user(settings) == "Sam"


def _open_first(workspace: Path | None, settings: Settings, *, demo: bool = False):
    service, problems = app_module.open_initial_workspace(
        workspace, demo=demo, settings=settings, user="tester"
    )
    assert service is not None
    path = service.path
    service.close()
    return path, problems


def test_which_workspace_opens_first(settings: Settings, workspace_file: Path, tmp_path: Path):
    # nothing known yet: a new, empty default workspace
    assert _open_first(None, settings) == (paths.default_workspace(), [])
    assert paths.default_workspace().exists()
    # the last one used
    settings.add_recent(str(workspace_file))
    assert _open_first(None, settings) == (workspace_file, [])
    # the one asked for wins
    other = tmp_path / "other.qidesk"
    WorkspaceService.create(other, user="tester").close()
    assert _open_first(other, settings) == (other, [])
    # a bad one asked for: said why, and the default opens instead
    bad = tmp_path / "empty.qidesk"
    bad.write_bytes(b"")
    path, problems = _open_first(bad, settings)
    assert path == paths.default_workspace()
    assert len(problems) == 1 and "empty.qidesk" in problems[0]


def test_a_damaged_default_workspace_leaves_the_app_usable(settings: Settings):
    default = paths.default_workspace()
    default.parent.mkdir(parents=True, exist_ok=True)
    default.write_bytes(b"this is not a database\n" * 100)
    before = default.read_bytes()
    path, problems = _open_first(None, settings)
    assert path != default
    assert path.parent == default.parent
    assert path.name.startswith("workspace-")
    assert "workspace.qidesk" in problems[0]
    assert "new, empty workspace" in problems[-1]
    assert default.read_bytes() == before  # the damaged file is never changed


def test_demo_workspace_is_created_when_missing(settings: Settings):
    path, problems = _open_first(None, settings, demo=True)
    assert path == paths.demo_workspace()
    assert problems == []
    service = WorkspaceService.open(path, user="tester", backup=False)
    try:
        assert service.info().counts.get("project", 0) > 0
    finally:
        service.close()


def test_resources_are_found(qtbot: QtBot):
    assert not app_module.app_icon().isNull()
    assert "messageBar" in app_module.style_sheet()


def test_headless_platforms_use_qt_file_dialogs(qtbot: QtBot):
    from qidesk.ui.dialogs.prompts import Prompts, use_native_dialogs

    assert QApplication.platformName() == "offscreen"
    assert not use_native_dialogs()
    assert Prompts._options() == Prompts._options().DontUseNativeDialog


def test_opening_a_measure_from_the_dashboard_shows_it_in_the_measures_panel(
    make_window, tmp_path: Path
):
    from qidesk.services.demo import create_demo

    demo = create_demo(tmp_path / "demo.qidesk", user="tester")
    window = make_window(demo)
    context = window.context
    project = next(r.project for r in context.projects.rows() if r.project.title.startswith("Four"))
    context.select_project(project.id)
    measure = context.measures.for_project(project.id)[1]
    context.open_measure(measure.id)
    measures = next(p for p in window.panels if p.panel_id == "measures")
    assert window.tabs.currentWidget() is measures
    assert measures.measure is not None
    assert measures.measure.id == measure.id


def test_tab_panels_are_built_when_first_needed(tmp_path: Path, qtbot: QtBot):
    from qidesk.services.demo import create_demo
    from qidesk.settings import load_settings
    from qidesk.ui.app import build_main_window

    demo = create_demo(tmp_path / "demo.qidesk", user="tester")
    service = WorkspaceService.open(demo, user="tester")
    window = build_main_window(service, load_settings(tmp_path / "cfg"), user="tester")
    qtbot.addWidget(window)
    try:
        built = {p.panel_id for p in window.panels}
        assert "projects" in built
        assert "coaching" not in built  # not opened yet: not built at start-up
        menu = next(m for m in window.menus() if m.objectName() == "menu_coaching")
        menu.aboutToShow.emit()  # opening its menu builds it and fills the menu
        assert "coaching" in {p.panel_id for p in window.panels}
        assert any(a.text() and not a.text().startswith("(") for a in menu.actions())
        pdsa_index = [window.tabs.tabText(i) for i in range(window.tabs.count())].index(
            "PDSA cycles"
        )
        window.tabs.setCurrentIndex(pdsa_index)
        assert window.tabs.currentWidget() is window.panel("pdsa")
        context = window.context
        measure = next(
            m for r in context.projects.rows() for m in context.measures.for_project(r.project.id)
        )
        context.open_measure(measure.id)  # routed to the measures panel, built on demand
        assert window.tabs.currentWidget() is window.panel("measures")
    finally:
        window.close()


def test_a_default_workspace_open_elsewhere_does_not_spawn_new_ones(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
):
    from qidesk.core.errors import WorkspaceLockedError

    default = paths.default_workspace()
    WorkspaceService.create(default, user="tester").close()

    def locked(*_a: object, **_k: object) -> WorkspaceService:
        raise WorkspaceLockedError(f"{default} is already open in qidesk")

    monkeypatch.setattr(app_module.WorkspaceService, "open", locked)
    service, problems = app_module.open_initial_workspace(
        None, demo=False, settings=settings, user="tester"
    )
    assert service is None
    assert problems == [f"{default} is already open in qidesk"]
    assert sorted(p.name for p in default.parent.glob("workspace*.qidesk")) == [default.name]
