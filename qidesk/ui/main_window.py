"""The main window: a shell that hosts panels, menus, the undo stack and the change broadcast.

It owns no data and does no arithmetic. It builds a :class:`WorkspaceContext` for the open
workspace, creates every panel of :func:`qidesk.ui.panels.default_panels` with it, hands every
``Changes`` summary to every panel, and swaps the whole context when another workspace is opened.
Messages and file choices go through :class:`Prompts`, so tests never block on a modal dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMenu,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings
from qidesk.ui import actions as keys
from qidesk.ui.actions import (
    ActionSpec,
    GuardedUndoStack,
    focus_into,
    make_action,
    menu_entries,
    with_mnemonic,
)
from qidesk.ui.context import Panel, WorkspaceContext
from qidesk.ui.dialogs.about import AboutDialog
from qidesk.ui.dialogs.prompts import Prompts
from qidesk.ui.dialogs.shortcuts import ShortcutsDialog, shortcut_rows
from qidesk.ui.dialogs.workspace_files import WorkspaceFiles
from qidesk.ui.dialogs.workspace_info import WorkspaceInfoDialog
from qidesk.ui.panel_host import PanelHost
from qidesk.ui.widgets.banner import MessageBar
from qidesk.ui.widgets.recent_menu import RecentMenu
from qidesk.ui.widgets.window_state import WindowState

STATE_VERSION = 1


class MainWindow(PanelHost):
    """One workspace window. ``panels`` are rebuilt (and the undo stack cleared) on every switch."""

    def __init__(
        self,
        workspace: WorkspaceService,
        settings: Settings,
        *,
        user: str,
        state_file: Path,
        panel_classes: list[type[Panel]],
        docked: frozenset[type[Panel]] = frozenset(),
        prompts: Prompts | None = None,
        icon: QIcon | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.settings, self.user, self.icon = settings, user, icon or QIcon()
        self.prompts = prompts or Prompts()
        self.prompts.parent = self
        self._state = WindowState(state_file, version=STATE_VERSION)
        self._classes = panel_classes
        self.undo_stack = GuardedUndoStack(self)
        self.undo_stack.command_failed.connect(self.prompts.error)
        self.files = WorkspaceFiles(
            self.prompts, settings, user, lambda: self.workspace, self._switch_to
        )
        self._init_panel_host()

        self.banner = MessageBar(self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Work area")
        self.tabs.tabBar().setAccessibleName("Work area tabs")
        self.tabs.setObjectName("panelTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.currentChanged.connect(self._ensure_tab)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._docks: dict[type[Panel], QDockWidget] = {}
        for cls in panel_classes:
            if cls in docked:
                dock = QDockWidget(cls.title, self)
                dock.setObjectName(f"dock_{cls.panel_id or cls.__name__}")
                dock.setFeatures(
                    QDockWidget.DockWidgetFeature.DockWidgetClosable
                    | QDockWidget.DockWidgetFeature.DockWidgetMovable
                )
                self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
                self._docks[cls] = dock
        self._path_label, self._user_label = QLabel(self), QLabel(self)
        self.statusBar().addWidget(self._path_label, 1)
        self.statusBar().addPermanentWidget(self._user_label)
        self._build_menus()
        self.context = self._install(workspace)
        self._size_docks_on_show = not self._state.restore(self) and bool(self._docks)

    # ----------------------------------------------------------------- workspace
    @property
    def workspace(self) -> WorkspaceService:
        """The open workspace."""
        return self.context.workspace

    def _install(self, service: WorkspaceService) -> WorkspaceContext:
        self.undo_stack.clear()
        self.undo_stack.read_only = service.read_only
        self.context = WorkspaceContext(
            workspace=service,
            projects=ProjectService(service.workspace),
            settings=self.settings,
            undo_stack=self.undo_stack,
            broadcast=self.broadcast,
        )
        for panel in self._host_panels():
            panel.deleteLater()
        self._route_measure_requests()
        self._build_panel_menus()
        self.settings.add_recent(str(service.path))
        self._show_workspace_state(service)
        self.broadcast(WorkspaceService.replaced())
        return self.context

    def _show_workspace_state(self, service: WorkspaceService) -> None:
        suffix = " (read-only)" if service.read_only else ""
        self.setWindowTitle(f"{service.path.stem}{suffix} — qidesk")
        self._path_label.setText(f"Workspace: {service.path}")
        self._path_label.setToolTip(str(service.path))
        self._user_label.setText(f"User: {self.user}")
        self._user_label.setToolTip("Recorded with every change you make in this workspace")
        warning = service.backup_warning
        if service.read_only:
            self.banner.show_message(
                MessageBar.Kind.WARNING,
                "Read-only:",
                f"{service.path.name} cannot be written here, so nothing you do here will be "
                "saved. You can read and export; to make changes, open a copy you can write to.",
                closable=False,
            )
        elif warning:
            self.banner.show_message(MessageBar.Kind.WARNING, "No backup made:", warning)
        elif self.settings.save_error:
            self.banner.show_message(
                MessageBar.Kind.WARNING, "Settings not saved:", self.settings.save_error
            )
        else:
            self.banner.clear()

    def open_path(self, path: Path) -> bool:
        """Open the workspace at ``path`` in this window; on failure keep the current one."""
        return self.files.open_path(path)

    def _switch_to(self, service: WorkspaceService) -> None:
        old = self.workspace
        self._install(service)
        old.close()

    def info_dialog(self) -> WorkspaceInfoDialog:
        """The Workspace information dialog for the open workspace (not yet shown)."""
        return WorkspaceInfoDialog(self.workspace.info(), self)

    def shortcuts_dialog(self) -> ShortcutsDialog:
        """The Keyboard shortcuts dialog (not yet shown)."""
        return ShortcutsDialog(shortcut_rows(self.menus()), self)

    def about_dialog(self) -> AboutDialog:
        """The About dialog (not yet shown)."""
        return AboutDialog(self.icon, self)

    # ----------------------------------------------------------------- menus
    def _add_actions(self, menu: QMenu, specs: tuple[ActionSpec | None, ...]) -> None:
        slots: dict[str, Callable[[], object]] = {
            "new_workspace": self.files.create_new,
            "open_workspace": self.files.choose_and_open,
            "back_up": self.files.back_up,
            "check_integrity": self.files.check_integrity,
            "workspace_info": lambda: self.info_dialog().exec(),
            "quit": self.close,
            "keyboard_shortcuts": lambda: self.shortcuts_dialog().exec(),
            "about": lambda: self.about_dialog().exec(),
            "focus_dock": self.focus_dock,
        }
        for spec in specs:
            if spec is None:
                menu.addSeparator()
            else:
                menu.addAction(spec.create(self, slots[spec.name]))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._file_menu = file_menu = bar.addMenu("&File")
        self._add_actions(file_menu, keys.FILE_MENU_TOP)
        self.recent_menu = RecentMenu("Open &recent", self.settings, self)
        self.recent_menu.path_chosen.connect(self.open_path)
        file_menu.addMenu(self.recent_menu)
        self._add_actions(file_menu, keys.FILE_MENU_BOTTOM)

        self._edit_menu = edit = bar.addMenu("&Edit")
        undo = self.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcuts(keys.key_sequences(keys.UNDO))
        redo = self.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcuts(keys.key_sequences(keys.REDO))
        undo.setObjectName("undo")
        redo.setObjectName("redo")
        edit.addActions([undo, redo])

        self._view_menu = view = bar.addMenu("&View")
        for dock in self._docks.values():
            toggle = dock.toggleViewAction()
            toggle.setText(f"Show {dock.windowTitle().lower()} &panel")
            view.addAction(toggle)
        if self._docks:
            self._add_actions(view, (keys.FOCUS_DOCK,))
        view.addSeparator()
        tabbed = [c for c in self._classes if c not in self._docks]
        used = {"s", "f"}
        for i, cls in enumerate(tabbed[:9]):
            go_to = make_action(
                self,
                f"Go to {with_mnemonic(cls.title, used)}",
                lambda _c=False, i=i: self.tabs.setCurrentIndex(i),
                shortcut=QKeySequence(f"Ctrl+{i + 1}"),
                object_name=f"go_to_{cls.panel_id}",
            )
            view.addAction(go_to)

        self.help_menu = bar.addMenu("&Help")
        self._add_actions(self.help_menu, keys.HELP_MENU)

    def focus_dock(self) -> None:
        """Show the first docked panel (the project list) and move the keyboard focus into it."""
        dock = next(iter(self._docks.values()))
        dock.show()
        dock.raise_()
        focus_into(dock.widget())

    def menus(self) -> list[QMenu]:
        """The menu-bar menus, left to right."""
        fixed = [self._file_menu, self._edit_menu, self._view_menu]
        return [*fixed, *self._panel_menus, self.help_menu]

    def all_actions(self) -> list[QAction]:
        """Every action in the menus, submenus included."""
        return [action for _, action in menu_entries(self.menus())]

    # ----------------------------------------------------------------- closing
    def showEvent(self, event: QShowEvent) -> None:
        """On first run, give the project list a quarter of the window once it is shown."""
        super().showEvent(event)
        if self._size_docks_on_show:
            self._size_docks_on_show = False
            docks = list(self._docks.values())
            # a quarter of the width (340 px on a 1366-px ward PC, 480 on full HD): the list
            # elides and wraps its filters, so the measures grid and the chart get the room
            widths = [max(340, min(self.width() // 4, 520))] * len(docks)
            self.resizeDocks(docks, widths, Qt.Orientation.Horizontal)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the window layout and close the workspace (its lock is released)."""
        self._state.save(self)
        self.undo_stack.clear()
        self.workspace.close()
        super().closeEvent(event)
