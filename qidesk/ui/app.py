"""The composition root of the GUI: application, crash reporting, settings and the main window.

Everything is built here and passed down; no module reaches for a global app object. Order
matters and is fixed: PySide6 is imported before pyqtgraph (so pyqtgraph binds to PySide6 even
if another binding is installed), the log file and exception hook come before any window, and
the workspace opens before the window is built around it.

A bug (any exception that escapes to ``sys.excepthook`` or ``threading.excepthook``) is written
to a rotating log file in :func:`qidesk.paths.log_dir` and shown in a :class:`CrashDialog`; a
problem in the world (a ``QideskError``) never reaches the hook, because the code that meets it
tells the user in plain words. ``--smoke-test`` turns both bugs and Qt warnings into a non-zero
exit code, so the built program can prove it starts.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import platform
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import (
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from qidesk import __version__, paths
from qidesk.core.errors import (
    CorruptWorkspaceError,
    NewerSchemaError,
    NotAWorkspaceError,
    WorkspaceError,
)
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings, load_settings, recorded_user
from qidesk.ui.context import Panel
from qidesk.ui.dialogs.crash import CrashDialog
from qidesk.ui.dialogs.prompts import Prompts
from qidesk.ui.main_window import MainWindow
from qidesk.ui.panels import default_panels, docked_panels

_log = logging.getLogger("qidesk")

LOG_FILE_NAME = "qidesk.log"
STATE_FILE_NAME = "window-state.ini"
#: Qt messages that are expected and harmless (each with the reason it is allowed).
IGNORED_QT_MESSAGES = (
    # the offscreen platform (tests, CI) cannot pass window size hints to a window manager
    "This plugin does not support propagateSizeHints()",
)


# --------------------------------------------------------------------------- logging
def setup_logging(folder: Path) -> Path | None:
    """Log to a rotating ``qidesk.log`` in ``folder``; returns the file (``None`` if unwritable)."""
    shutdown_logging()
    _log.setLevel(logging.INFO)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler._qidesk = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _log.addHandler(handler)
    return folder / LOG_FILE_NAME


def shutdown_logging() -> None:
    """Close the log file opened by :func:`setup_logging` (safe to call more than once)."""
    for handler in [h for h in _log.handlers if getattr(h, "_qidesk", False)]:
        _log.removeHandler(handler)
        handler.close()


def environment_summary() -> str:
    """One line naming the program and platform, written at the top of every crash report."""
    return (
        f"qidesk {__version__} · Python {platform.python_version()} · Qt {qVersion()} · "
        f"{platform.system()} {platform.release()}"
    )


class CrashReporter(QObject):
    """The global exception hook: log the traceback, then show a crash dialog.

    In smoke-test mode it prints the traceback instead and remembers the failure, so the run
    exits non-zero.

    Signals:
        thread_crashed(str): a worker thread died; carries the details to the GUI thread.
    """

    thread_crashed = Signal(str)

    def __init__(
        self,
        log_path: Path | None,
        *,
        smoke_test: bool = False,
        parent_window: Callable[[], QWidget | None] = lambda: None,
    ) -> None:
        super().__init__()
        self.log_path = log_path
        self.smoke_test = smoke_test
        self.failures: list[str] = []
        self._parent_window = parent_window
        self._showing = False
        self._previous: tuple[object, object] | None = None
        self.thread_crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        """Become ``sys.excepthook`` and ``threading.excepthook``."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self.handle_thread

    def uninstall(self) -> None:
        """Put back the hooks that were there before :meth:`install`."""
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """``sys.excepthook``: log, then tell the user."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = self._record(exc_type, exc, tb, "main thread")
        if threading.current_thread() is threading.main_thread():
            self._show(details)
        else:
            self.thread_crashed.emit(details)

    def handle_thread(self, args: threading.ExceptHookArgs) -> None:
        """``threading.excepthook``: log, then tell the user from the GUI thread."""
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        where = f"thread {args.thread.name}" if args.thread is not None else "a thread"
        details = self._record(args.exc_type, args.exc_value, args.exc_traceback, where)
        self.thread_crashed.emit(details)

    def _record(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        where: str,
    ) -> str:
        trace = "".join(traceback.format_exception(exc_type, exc, tb))
        details = f"{environment_summary()}\nUnhandled error in the {where}:\n\n{trace}"
        _log.critical("%s", details)
        self.failures.append(details)
        if self.smoke_test:
            print(details, file=sys.stderr, flush=True)
        return details

    def _show(self, details: str) -> None:
        if self.smoke_test:
            app = QApplication.instance()
            if app is not None:
                app.exit(1)
            return
        if self._showing:  # one dialog at a time; the rest are in the log
            return
        self._showing = True
        try:
            dialog = CrashDialog(details, self.log_path, self._parent_window())
            if dialog.exec() == CrashDialog.QUIT:
                QApplication.closeAllWindows()
                QApplication.exit(1)
        finally:
            self._showing = False


class QtMessageLog:
    """A Qt message handler: Qt's warnings go to the log; in smoke-test mode they fail the run."""

    def __init__(self, *, smoke_test: bool = False) -> None:
        self.smoke_test = smoke_test
        self.problems: list[str] = []

    def __call__(self, mode: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        """Handle one message from Qt (never raises: it is called from C++)."""
        if any(ignored in message for ignored in IGNORED_QT_MESSAGES):
            return
        if mode in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            _log.debug("Qt: %s", message)
            return
        _log.warning("Qt %s: %s", mode.name, message)
        self.problems.append(message)
        if self.smoke_test:
            print(f"Qt {mode.name}: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- choices
def open_initial_workspace(
    workspace: Path | None, *, demo: bool, settings: Settings, user: str
) -> tuple[WorkspaceService | None, list[str]]:
    """Open the first workspace that works, and say why the earlier choices failed.

    The order: ``workspace``; the demo workspace (made if missing) when ``demo``; the last one
    used; the default one (made if missing); and when even the default one is damaged, not a
    workspace or from a newer qidesk, a new empty workspace beside it, so that the app stays
    usable (not when it is open in another qidesk). Files that
    could not be opened are never changed.

    Returns the open workspace (``None`` if none could be opened) and the plain-words reasons
    why the earlier choices failed, for the user to read.
    """
    keep = settings.get("backups_to_keep")
    problems: list[str] = []
    candidates: list[Path] = []
    demo_path = paths.demo_workspace() if demo and workspace is None else None
    if workspace is not None:
        candidates.append(workspace)
    elif demo_path is not None:
        candidates.append(demo_path)
    else:
        last = settings.get("last_workspace")
        if last and Path(last).exists():
            candidates.append(Path(last))
    default = paths.default_workspace()
    if default not in candidates:
        candidates.append(default)
    failure: WorkspaceError | None = None
    for path in candidates:
        try:
            if path == demo_path and not path.exists():
                from qidesk.services.demo import create_demo

                create_demo(path, user=user)
            if path == default and not path.exists():
                return WorkspaceService.create(
                    path, user=user, site_name=settings.get("site_name")
                ), problems
            return WorkspaceService.open(path, user=user, keep_backups=keep), problems
        except WorkspaceError as exc:
            problems.append(exc.message)
            failure = exc
    if not isinstance(failure, NotAWorkspaceError | CorruptWorkspaceError | NewerSchemaError):
        return None, problems  # e.g. open in another qidesk: no point making a new one
    spare = default.with_name(f"workspace-{datetime.now():%Y%m%d-%H%M%S}.qidesk")
    try:
        service = WorkspaceService.create(spare, user=user, site_name=settings.get("site_name"))
    except WorkspaceError as exc:
        problems.append(exc.message)
        return None, problems
    problems.append(
        f"A new, empty workspace was made at {spare} so that you can keep working. The files "
        "above were left as they are: use File > Open to open a backup of them (backups are in "
        "the folder beside each workspace)."
    )
    return service, problems


# --------------------------------------------------------------------------- building
def app_icon() -> QIcon:
    """The window icon from ``resources/icons``."""
    return QIcon(str(paths.resource("icons", "qidesk.svg")))


def style_sheet() -> str:
    """The application style sheet (empty if the file is missing)."""
    try:
        return paths.resource("style", "qidesk.qss").read_text(encoding="utf-8")
    except OSError:
        return ""


def create_application() -> QApplication:
    """The ``QApplication`` (reused if one exists), named, with icon, style and pyqtgraph set.

    The font follows the system but is never smaller than 10 pt. pyqtgraph is configured only
    after PySide6 is loaded.
    """
    QApplication.setApplicationName(paths.APP_NAME)
    QApplication.setOrganizationName(paths.APP_NAME)
    QApplication.setApplicationVersion(__version__)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setWindowIcon(app_icon())
    font = app.font()
    if 0 < font.pointSizeF() < 10:
        font.setPointSizeF(10)
        app.setFont(font)
    app.setStyleSheet(style_sheet())
    configure_pyqtgraph()
    return app


def configure_pyqtgraph() -> None:
    """Import pyqtgraph (after PySide6, so it binds to it) and set the chart defaults."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    import pyqtgraph

    pyqtgraph.setConfigOptions(antialias=True, background="w", foreground="k")


def build_main_window(
    service: WorkspaceService,
    settings: Settings,
    *,
    user: str,
    prompts: Prompts | None = None,
    panel_classes: list[type[Panel]] | None = None,
) -> MainWindow:
    """The main window around ``service`` with the registered panels."""
    return MainWindow(
        service,
        settings,
        user=user,
        state_file=paths.config_dir() / STATE_FILE_NAME,
        panel_classes=panel_classes if panel_classes is not None else default_panels(),
        docked=docked_panels(),
        prompts=prompts,
        icon=app_icon(),
    )


# --------------------------------------------------------------------------- running
def run_gui(*, workspace: Path | None, demo: bool = False, smoke_test: bool = False) -> int:
    """Start the GUI and return the exit code (0 = clean exit or a passing smoke test)."""
    log_path = setup_logging(paths.log_dir())
    _log.info("starting %s", environment_summary())
    app = create_application()
    holder: dict[str, MainWindow] = {}
    reporter = CrashReporter(
        log_path, smoke_test=smoke_test, parent_window=lambda: holder.get("window")
    )
    reporter.install()
    qt_log = QtMessageLog(smoke_test=smoke_test)
    previous_handler = qInstallMessageHandler(qt_log)
    try:
        settings = load_settings(paths.config_dir())
        user = recorded_user(settings)
        service, problems = open_initial_workspace(
            workspace, demo=demo, settings=settings, user=user
        )
        if service is None:
            title, text = "qidesk could not open a workspace", "\n\n".join(problems)
            _log.error("%s: %s", title, text)
            if smoke_test:
                print(f"{title}:\n{text}", file=sys.stderr, flush=True)
            else:
                QMessageBox.warning(None, title, text)
            return 2
        window = holder["window"] = build_main_window(service, settings, user=user)
        window.show()
        if problems:
            title, text = "Some workspaces could not be opened", "\n\n".join(problems)
            _log.warning("%s: %s", title, text)
            if smoke_test:
                print(f"{title}:\n{text}", file=sys.stderr, flush=True)
            else:
                window.prompts.error(title, f"{text}\n\n{service.path.name} is open instead.")
        if smoke_test:
            return smoke(app, window, reporter, qt_log) or (1 if problems else 0)
        stop_on_signals(window)
        return app.exec()
    except Exception:  # a bug during start-up: logged and shown like any other
        reporter.handle(*sys.exc_info())
        return 1
    finally:
        qInstallMessageHandler(previous_handler)
        reporter.uninstall()
        _log.info("stopped")
        shutdown_logging()


def stop_on_signals(window: MainWindow) -> QTimer:
    """Close ``window`` cleanly (layout saved, workspace lock released) on SIGTERM or Ctrl+C.

    Python runs signal handlers only between bytecodes, so a light timer lets the interpreter
    look at pending signals while Qt's event loop waits.
    """

    def close(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for name in ("SIGTERM", "SIGINT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), close)
    ticker = QTimer(window)
    ticker.timeout.connect(lambda: None)
    ticker.start(250)
    return ticker


def smoke(
    app: QApplication, window: MainWindow, reporter: CrashReporter, qt_log: QtMessageLog
) -> int:
    """Show every panel and the About and Workspace-information dialogs once, then quit.

    Returns 0 only if nothing raised and Qt printed no warning.
    """
    try:
        app.processEvents()
        for panel in window.build_all_panels():
            window.show_panel(panel)
            app.processEvents()
            window.grab()  # paint everything now, so painting bugs surface here
        for menu in window.menus():  # panel menus fill themselves when first opened
            menu.aboutToShow.emit()
        for dialog in (window.about_dialog(), window.info_dialog(), window.shortcuts_dialog()):
            dialog.show()
            app.processEvents()
            dialog.grab()
            dialog.close()
            dialog.deleteLater()
        window.close()
        app.processEvents()
    except Exception:
        traceback.print_exc()
        return 1
    failed = bool(reporter.failures or qt_log.problems)
    print(
        f"qidesk smoke test {'FAILED' if failed else 'passed'}: {len(window.panels)} panels, "
        f"{len(reporter.failures)} errors, {len(qt_log.problems)} Qt warnings",
        file=sys.stderr if failed else sys.stdout,
        flush=True,
    )
    return 1 if failed else 0
