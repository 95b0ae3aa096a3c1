"""The patient-identifier guard of the charter: which fields look like patient details, and asking.

Warn, don't block (reliability.md §3.8, PID-R1): the rules live in
:mod:`qidesk.core.identifiers`; this module only turns their findings into one message per field
and asks "Save anyway" / "Go back" (default: go back).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from qidesk.core.identifiers import RULE, find_identifiers, warning_message


def identifier_warnings(fields: list[tuple[str, str, QWidget]]) -> list[tuple[str, QWidget]]:
    """One message per ``(label, text, widget)`` field whose text looks like patient details."""
    out: list[tuple[str, QWidget]] = []
    for label, text, widget in fields:
        findings = find_identifiers(text)
        if findings:
            out.append((warning_message(findings, label).removesuffix(RULE).strip(), widget))
    return out


def confirm_identifier_warning(parent: QWidget, messages: list[str]) -> bool:
    """Ask whether to save text that looks like patient details (default: go back)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Possible patient details", "", parent=parent)
    box.setText("Some of this charter looks like it contains patient details.")
    box.setInformativeText("\n\n".join(messages) + f"\n\n{RULE}")
    save = box.addButton("Save anyway", QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton("Go back", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is save
