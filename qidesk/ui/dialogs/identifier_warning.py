"""The patient-identifier guard's dialog side: one message per field, and "Save anyway?".

Warn, don't block (reliability.md §3.8, PID-R1): the rules live in
:mod:`qidesk.core.identifiers`; this module only turns their findings into one message per field
and asks "Save anyway" / "Go back" (default and Escape: go back). Every form that saves free
text (charter, new project, measure, measure note, PDSA cycle, coaching session, story) asks
through :func:`confirm_save_with_identifiers`, each with its own opening sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from qidesk.core.identifiers import RULE, find_identifiers, warning_message
from qidesk.settings import Settings

#: the setting that turns the warnings on and off
WARNINGS_SETTING = "confirm_identifier_warnings"


def identifier_warnings(fields: list[tuple[str, str, QWidget]]) -> list[tuple[str, QWidget]]:
    """One message per ``(label, text, widget)`` field whose text looks like patient details."""
    out: list[tuple[str, QWidget]] = []
    for label, text, widget in fields:
        findings = find_identifiers(text)
        if findings:
            out.append((warning_message(findings, label).removesuffix(RULE).strip(), widget))
    return out


def identifiers_accepted(
    fields: list[tuple[str, str, QWidget]],
    confirm: Callable[[list[str]], bool],
    reveal: Callable[[QWidget], object] | None = None,
    *,
    settings: Settings | None = None,
) -> bool:
    """Check ``fields`` before a save; True when it may go ahead.

    It may when the user turned the warnings off (``settings``, when given), when no field
    looks like patient details, or when ``confirm`` (given one message per such field) chose
    "Save anyway". Otherwise the first such field is brought into view (``reveal``: scroll
    to it, switch to its tab) and given the focus, and the answer is False.
    """
    if settings is not None and not settings.get(WARNINGS_SETTING):
        return True
    warnings = identifier_warnings(fields)
    if not warnings or confirm([message for message, _ in warnings]):
        return True
    first = warnings[0][1]
    if reveal is not None:
        reveal(first)
    first.setFocus(Qt.FocusReason.OtherFocusReason)
    return False


def some_of_this(what: str) -> str:
    """The warning's opening sentence for a form about ``what`` ("charter", "PDSA cycle")."""
    return f"Some of this {what} looks like it contains patient details."


def confirm_save_with_identifiers(
    parent: QWidget | None, headline: str, messages: Sequence[str]
) -> bool:
    """Ask whether to save text that looks like patient details (default: go back).

    ``headline`` opens the dialog; ``messages`` (one per field) follow, then the rule.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, "Possible patient details", "", parent=parent)
    box.setText(headline)
    box.setInformativeText("\n\n".join(messages) + f"\n\n{RULE}")
    save = box.addButton("Save anyway", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is save
