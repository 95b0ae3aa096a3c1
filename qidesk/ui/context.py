"""The per-window context handed to every panel: the open workspace's services and undo stack.

There is one ``WorkspaceContext`` per main window (not a global): panels receive it when they are
created and use it to read data and to push undo commands. Commands call services; the services
return a ``Changes`` summary; the main window broadcasts it to every panel through
:meth:`Panel.apply_changes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtGui import QAction, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from qidesk.core.changes import Changes
from qidesk.services.measures import MeasureService
from qidesk.services.projects import ProjectService
from qidesk.services.workspace import WorkspaceService
from qidesk.settings import Settings


@dataclass
class WorkspaceContext:
    """Services of the open workspace, the undo stack and the settings, for one window."""

    workspace: WorkspaceService
    projects: ProjectService
    settings: Settings
    undo_stack: QUndoStack
    broadcast: Callable[[Changes], None]
    #: the project the user is working on (set by the project list; read by other panels)
    current_project_id: str | None = None
    #: measures and their data (built from ``workspace`` when not given)
    measures: MeasureService = None  # type: ignore[assignment]
    _listeners: list[Callable[[str | None], None]] = field(default_factory=list)
    _measure_listeners: list[Callable[[str], None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Build the services that were not passed in from the open workspace."""
        if self.measures is None:
            self.measures = MeasureService(self.workspace.workspace)

    def push(self, command: QUndoCommand) -> None:
        """Run ``command`` through the undo stack (pushing runs its ``redo()``)."""
        self.undo_stack.push(command)

    def select_project(self, project_id: str | None) -> None:
        """Make ``project_id`` the current project and tell the panels that follow it."""
        if project_id == self.current_project_id:
            return
        self.current_project_id = project_id
        for listener in list(self._listeners):
            listener(project_id)

    def on_project_selected(self, listener: Callable[[str | None], None]) -> None:
        """Call ``listener(project_id)`` whenever the current project changes."""
        self._listeners.append(listener)

    def open_measure(self, measure_id: str) -> None:
        """Ask for ``measure_id`` to be shown (e.g. a double-click on the dashboard)."""
        for listener in list(self._measure_listeners):
            listener(measure_id)

    def on_measure_opened(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(measure_id)`` whenever a panel asks for a measure to be shown."""
        self._measure_listeners.append(listener)


class Panel(QWidget):
    """Base class of the main window's panels (project list, charter, later measures, diagram…).

    Subclasses set ``panel_id`` and ``title`` and implement :meth:`apply_changes`, refreshing only
    what they show. They never reload on timers and never talk to other panels directly.
    """

    panel_id: str = ""
    title: str = ""

    def __init__(self, context: WorkspaceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName(self.panel_id or type(self).__name__)
        self.setAccessibleName(self.title)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh what this panel shows after ``changes``."""
        raise NotImplementedError

    def menu_actions(self) -> list[QAction]:
        """Actions the main window puts in a menu named after the panel (with shortcuts)."""
        return []
