"""The charter's patient-identifier question (the dialog itself is shared).

Warn, don't block (reliability.md §3.8, PID-R1): see
:mod:`qidesk.ui.dialogs.identifier_warning`. The charter panel and the New project dialog ask
through :func:`confirm_identifier_warning`, which tests replace.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from qidesk.ui.dialogs.identifier_warning import confirm_save_with_identifiers, some_of_this


def confirm_identifier_warning(parent: QWidget, messages: list[str]) -> bool:
    """Ask whether to save charter text that looks like patient details (default: go back)."""
    return confirm_save_with_identifiers(parent, some_of_this("charter"), messages)
