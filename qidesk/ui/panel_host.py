"""Hosting panels in the main window: built on first need, menus, the change broadcast.

:class:`PanelHost` is a mix-in of :class:`~qidesk.ui.main_window.MainWindow`. It keeps the
window's panels (the docked ones and one tab each for the others), builds a tab's panel the
first time it is shown or its menu is opened (so start-up builds only what is on screen),
hands every ``Changes`` summary to every built panel, and routes a request to open a measure
to the panel that shows measures. It expects the window to provide ``context``, ``tabs``,
``help_menu``, ``_classes`` and ``_docks``.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QTabWidget, QWidget

from qidesk.core.changes import Changes
from qidesk.services.workspace import WorkspaceService
from qidesk.ui.actions import with_mnemonic
from qidesk.ui.context import Panel, WorkspaceContext


class PanelHost(QMainWindow):
    """The panel-hosting half of the main window (see the module docstring)."""

    context: WorkspaceContext
    tabs: QTabWidget
    help_menu: QMenu
    _classes: list[type[Panel]]
    _docks: dict[type[Panel], QDockWidget]

    def _init_panel_host(self) -> None:
        self.panels: list[Panel] = []
        self._built: dict[type[Panel], Panel] = {}
        self._panel_menus: list[QMenu] = []
        self._menu_of: dict[type[Panel], QMenu] = {}

    def _host_panels(self) -> list[Panel]:
        """Put the docked panels and one placeholder tab per other panel in place."""
        current_tab = max(self.tabs.currentIndex(), 0)
        old, self.panels = self.panels, []
        self._built = {}
        self.tabs.blockSignals(True)
        self.tabs.clear()
        for cls in self._classes:
            if cls in self._docks:
                self._docks[cls].setWidget(self._build_panel(cls))
            else:  # a placeholder: the panel is built the first time it is needed
                holder = QWidget()
                holder.setObjectName(f"placeholder_{cls.panel_id}")
                self.tabs.addTab(holder, cls.title)
        self.tabs.blockSignals(False)
        self.tabs.setCurrentIndex(min(current_tab, self.tabs.count() - 1))
        self._ensure_tab(self.tabs.currentIndex(), announce=False)  # the broadcast tells it
        return old

    def _build_panel(self, cls: type[Panel]) -> Panel:
        """Create the panel of class ``cls`` for the current context (once per workspace)."""
        panel = self._built.get(cls)
        if panel is None:
            panel = cls(self.context, parent=None)
            self._built[cls] = panel
            self.panels.append(panel)
            menu = self._menu_of.get(cls)
            if menu is not None and not menu.property("filled"):
                self._fill_panel_menu(menu, cls)
        return panel

    def _ensure_tab(self, index: int, *, announce: bool = True) -> None:
        """Build the panel behind tab ``index`` if it is still a placeholder.

        Panels of tabs nobody has opened are not built at start-up (start-up stays fast);
        a panel built later reads the workspace as it is then.
        """
        if index < 0:
            return
        tabbed = [c for c in self._classes if c not in self._docks]
        cls = tabbed[index]
        if cls in self._built:
            return
        panel = self._build_panel(cls)
        self.tabs.blockSignals(True)
        placeholder = self.tabs.widget(index)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, panel, cls.title)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        if placeholder is not None:
            placeholder.deleteLater()
        if announce:
            self._deliver(panel, WorkspaceService.replaced())

    def panel(self, panel_id: str) -> Panel:
        """The panel with ``panel_id``, built if it was not yet."""
        cls = next(c for c in self._classes if c.panel_id == panel_id)
        if cls not in self._docks and cls not in self._built:
            tabbed = [c for c in self._classes if c not in self._docks]
            current = self.tabs.currentIndex()
            self._ensure_tab(tabbed.index(cls))
            self.tabs.setCurrentIndex(current)
        return self._built[cls]

    def build_all_panels(self) -> list[Panel]:
        """Build every panel now (the smoke test and tests that inspect all menus use it)."""
        for cls in self._classes:
            self.panel(cls.panel_id)
        return list(self.panels)

    def _route_measure_requests(self) -> None:
        """A request to open a measure brings the panel that shows measures to the front."""
        if not any(c.panel_id == "measures" for c in self._classes):
            return

        def open_measure(measure_id: str) -> None:
            panel = self.panel("measures")
            self.show_panel(panel)
            opener = getattr(panel, "open_measure", None)
            if callable(opener):
                opener(measure_id)

        self.context.on_measure_opened(open_measure)

    def broadcast(self, changes: Changes) -> None:
        """Hand ``changes`` to every panel; a panel's bug is reported, never stops the others."""
        for panel in list(self.panels):
            self._deliver(panel, changes)

    @staticmethod
    def _deliver(panel: Panel, changes: Changes) -> None:
        try:
            panel.apply_changes(changes)
        except Exception:
            sys.excepthook(*sys.exc_info())

    def _build_panel_menus(self) -> None:
        """One menu per panel with actions; a panel not yet built fills its menu on first open."""
        bar = self.menuBar()
        for menu in self._panel_menus:
            bar.removeAction(menu.menuAction())
            menu.deleteLater()
        self._panel_menus = []
        self._menu_of = {}
        used = {"f", "e", "v", "h"}
        for cls in self._classes:
            menu = QMenu(with_mnemonic(cls.title, used), self)
            menu.setObjectName(f"menu_{cls.panel_id}")
            bar.insertMenu(self.help_menu.menuAction(), menu)
            self._panel_menus.append(menu)
            self._menu_of[cls] = menu
            if cls in self._built:
                self._fill_panel_menu(menu, cls)
            else:
                menu.addAction("(loading…)").setEnabled(False)
                menu.aboutToShow.connect(
                    lambda m=menu, c=cls: self._fill_panel_menu(m, c, build=True)
                )

    def _fill_panel_menu(self, menu: QMenu, cls: type[Panel], *, build: bool = False) -> None:
        if build:
            if menu.property("filled"):
                return
            self.panel(cls.panel_id)
        menu.clear()
        menu.setProperty("filled", True)
        found = self._built[cls].menu_actions()
        menu.addActions(found)
        menu.menuAction().setVisible(bool(found))

    def show_panel(self, panel: Panel) -> None:
        """Bring ``panel`` to the front: show its dock, or switch to its tab."""
        for dock in self._docks.values():
            if dock.widget() is panel:
                dock.show()
                dock.raise_()
                return
        self.tabs.setCurrentWidget(panel)

