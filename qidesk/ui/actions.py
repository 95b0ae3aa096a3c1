"""How user actions run: the window's shortcuts, an action factory and the guarded undo stack.

Every edit reaches the database through :class:`GuardedUndoStack`, the one ``QUndoStack`` of a
main window. It keeps the undo history honest when a service refuses a change: a command whose
first ``redo()`` fails never stays on the stack, and when a later undo or redo fails the history
is cleared, because the commands left on it would no longer match the data.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

from qidesk.core.errors import QideskError

#: A shortcut as data: a portable string ("Ctrl+Shift+N") or a platform standard key. Kept as
#: data because building a ``QKeySequence`` from a standard key before the ``QGuiApplication``
#: exists crashes Qt; :func:`key_sequences` turns them into sequences when actions are made.
Key = str | QKeySequence.StandardKey

#: Shortcuts owned by the main window. Panels must not reuse them (a GUI test checks this).
#: Ctrl+N is left for "New project" in the project panel and Ctrl+F for panel filters.
NEW_WORKSPACE: Final[Key] = "Ctrl+Shift+N"
OPEN_WORKSPACE: Final[Key] = QKeySequence.StandardKey.Open  # Ctrl+O
QUIT: Final[Key] = "Ctrl+Q"
UNDO: Final[tuple[Key, ...]] = (QKeySequence.StandardKey.Undo,)  # Ctrl+Z
REDO: Final[tuple[Key, ...]] = ("Ctrl+Shift+Z", "Ctrl+Y")
FOCUS_PROJECT_LIST: Final[Key] = "Ctrl+Shift+L"
KEYBOARD_SHORTCUTS: Final[Key] = QKeySequence.StandardKey.HelpContents  # F1


def key_sequences(keys: tuple[Key, ...]) -> list[QKeySequence]:
    """``QKeySequence`` objects for ``keys`` (call only once the application exists)."""
    return [QKeySequence(key) for key in keys]


@dataclass(frozen=True)
class ActionSpec:
    """One menu command of the main window: a stable name, its text, status tip and shortcuts."""

    name: str
    text: str
    tip: str = ""
    shortcuts: tuple[Key, ...] = ()

    def create(self, parent: QObject, slot: Callable[[], object]) -> QAction:
        """The ``QAction`` for this command, connected to ``slot``."""
        return make_action(
            parent,
            self.text,
            slot,
            shortcut=tuple(key_sequences(self.shortcuts)) or None,
            tip=self.tip,
            object_name=self.name,
        )


#: The File menu above "Open recent" and below it (``None`` is a separator).
FILE_MENU_TOP: Final = (
    ActionSpec(
        "new_workspace", "&New workspace…", "Create an empty workspace file", (NEW_WORKSPACE,)
    ),
    ActionSpec("open_workspace", "&Open workspace…", "Open a workspace file", (OPEN_WORKSPACE,)),
)
FILE_MENU_BOTTOM: Final = (
    None,
    ActionSpec("back_up", "&Back up now…", "Write a checked copy of this workspace to a folder"),
    ActionSpec("check_integrity", "&Check integrity…", "Check the workspace file for damage"),
    ActionSpec(
        "workspace_info",
        "Workspace &information…",
        "Where the file is, its size, record counts and backups",
    ),
    None,
    ActionSpec("quit", "&Quit", "Close qidesk", (QUIT,)),
)
HELP_MENU: Final = (
    ActionSpec(
        "keyboard_shortcuts",
        "&Keyboard shortcuts",
        "Every shortcut, by menu",
        (KEYBOARD_SHORTCUTS,),
    ),
    ActionSpec("about", "&About qidesk", "Version, privacy and data credits"),
)
FOCUS_DOCK: Final = ActionSpec(
    "focus_dock",
    "&Focus project list",
    "Move the keyboard focus to the project list",
    (FOCUS_PROJECT_LIST,),
)

READ_ONLY_REFUSAL: Final = (
    "This workspace is open read-only, so nothing can be changed or saved. "
    "Open a copy you can write to, or ask whoever owns the file."
)


def make_action(
    parent: QObject,
    text: str,
    slot: Callable[..., object] | None = None,
    *,
    shortcut: QKeySequence | tuple[QKeySequence, ...] | None = None,
    tip: str = "",
    object_name: str = "",
) -> QAction:
    """A ``QAction`` with its mnemonic text, shortcut(s), status tip and a stable object name."""
    action = QAction(text, parent)
    if isinstance(shortcut, tuple):
        action.setShortcuts(list(shortcut))
    elif shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    if object_name:
        action.setObjectName(object_name)
    if slot is not None:
        action.triggered.connect(slot)
    return action


def plain_text(action: QAction) -> str:
    """The action's text without the ``&`` mnemonic marker and the trailing ellipsis."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…. ")


def menu_entries(menus: Iterable[QMenu]) -> list[tuple[str, QAction]]:
    """(menu path, action) for every action in ``menus``, submenus walked, separators skipped.

    Walk from ``QMenu`` objects the caller holds, never from ``QMenuBar.actions()``: in
    PySide6 6.10 the wrappers reached through a temporary menu-bar action's ``menu()`` are
    invalidated when that temporary is collected ("Internal C++ object already deleted").
    """
    out: list[tuple[str, QAction]] = []

    def walk(path: str, menu: QMenu) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(f"{path} ▸ {plain_text(action)}", sub)
            elif not action.isSeparator():
                out.append((path, action))

    for menu in menus:
        walk(plain_text(menu.menuAction()), menu)
    return out


def with_mnemonic(title: str, used: set[str]) -> str:
    """``title`` with ``&`` before its first letter not yet in ``used`` (which it then joins)."""
    for i, ch in enumerate(title):
        if ch.isalpha() and ch.lower() not in used:
            used.add(ch.lower())
            return f"{title[:i]}&{title[i:]}"
    return title


def focus_into(widget: QWidget) -> None:
    """Move the keyboard focus to ``widget``'s focus proxy or its first visible focusable child."""
    target = widget.focusProxy() or next(
        (
            child
            for child in widget.findChildren(QWidget)
            if child.focusPolicy() & Qt.FocusPolicy.TabFocus and child.isVisibleTo(widget)
        ),
        widget,
    )
    target.setFocus(Qt.FocusReason.ShortcutFocusReason)


class _GuardedCommand(QUndoCommand):
    """Wraps a panel's command so that a failure is caught before Qt records the step."""

    def __init__(self, inner: QUndoCommand, stack: GuardedUndoStack) -> None:
        super().__init__(inner.text())
        self.inner = inner
        self.failure: BaseException | None = None
        self._stack = stack
        self._pushed = False

    def id(self) -> int:
        """Merge id of the wrapped command (-1: never merges)."""
        return self.inner.id()

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Merge two wrapped commands (typing or dragging collapse into one step)."""
        if not isinstance(other, _GuardedCommand) or other.failure is not None:
            return False
        merged = self.inner.mergeWith(other.inner)
        if merged:
            self.setText(self.inner.text())
        return merged

    def redo(self) -> None:
        """Redo the wrapped command; on failure mark this step obsolete (Qt then drops it)."""
        self._run(self.inner.redo, "redo")

    def undo(self) -> None:
        """Undo the wrapped command; on failure mark this step obsolete (Qt then drops it)."""
        self._run(self.inner.undo, "undo")

    def _run(self, step: Callable[[], None], verb: str) -> None:
        try:
            step()
        except Exception as exc:
            self.setObsolete(True)
            self.failure = exc
            if self._pushed:  # a later undo/redo from the Edit menu: nobody is waiting for it
                self._stack.report_later_failure(self.text(), verb, exc)
        self._pushed = True


class GuardedUndoStack(QUndoStack):
    """The window's undo stack: failed commands never stay on it; read-only refuses every edit.

    Signals:
        command_failed(str, str): a change was refused or failed; carries a title and a
            plain-words message for the user. Nothing was saved.
    """

    command_failed = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setUndoLimit(200)
        self.read_only = False

    def push(self, cmd: QUndoCommand) -> None:
        """Run ``cmd`` and record it; if its change fails, tell the user and record nothing.

        Domain errors (validation, full disk, locked file) become ``command_failed``; a bug
        (any other exception) is re-raised after the stack has been left consistent.
        """
        if self.read_only:
            self.command_failed.emit("Read-only workspace", READ_ONLY_REFUSAL)
            return
        guarded = _GuardedCommand(cmd, self)
        text = cmd.text()
        super().push(guarded)
        failure = guarded.failure
        if failure is None:
            return
        if isinstance(failure, QideskError):
            self.command_failed.emit(
                "Not saved",
                f"“{text}” could not be done: {failure.message}\n\nNothing was changed.",
            )
            return
        raise failure

    def report_later_failure(self, text: str, verb: str, exc: Exception) -> None:
        """A failure during undo/redo: tell the user and clear the history once Qt is done."""
        QTimer.singleShot(0, self.clear)
        if isinstance(exc, QideskError):
            self.command_failed.emit(
                f"Could not {verb}",
                f"“{text}” could not be {'undone' if verb == 'undo' else 'redone'}: "
                f"{exc.message}\n\nThe undo history has been cleared so that it cannot get out "
                "of step with your data.",
            )
        else:
            sys.excepthook(type(exc), exc, exc.__traceback__)
