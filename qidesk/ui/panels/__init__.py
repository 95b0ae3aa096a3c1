"""The panel registry: which panels a main window shows, and where.

A capability (measures and charts, driver diagram, PDSA cycles…) plugs into the main window by
adding its :class:`~qidesk.ui.context.Panel` subclass to :func:`default_panels`. The window
builds every panel as ``Cls(context, parent=None)``, shows it once, broadcasts every
``Changes`` to it through ``apply_changes`` and puts ``menu_actions()`` in a menu named after the
panel's ``title``. Panels listed in :func:`docked_panels` go in the left dock; the others become
central tabs, in the order listed here.

The imports are inside the functions so that importing one panel module (in a test, say) does
not import every other panel.
"""

from __future__ import annotations

from qidesk.ui.context import Panel


def default_panels() -> list[type[Panel]]:
    """Every panel class of the main window, in display order."""
    from qidesk.ui.panels.charter import CharterPanel
    from qidesk.ui.panels.coaching import CoachingPanel
    from qidesk.ui.panels.dashboard import DashboardPanel
    from qidesk.ui.panels.diagram import DiagramPanel
    from qidesk.ui.panels.measures import MeasuresPanel
    from qidesk.ui.panels.pdsa import PdsaPanel
    from qidesk.ui.panels.project_list import ProjectListPanel

    return [
        ProjectListPanel,
        CharterPanel,
        DashboardPanel,
        MeasuresPanel,
        DiagramPanel,
        PdsaPanel,
        CoachingPanel,
    ]


def docked_panels() -> frozenset[type[Panel]]:
    """The panels shown in the left dock rather than as central tabs."""
    from qidesk.ui.panels.project_list import ProjectListPanel

    return frozenset({ProjectListPanel})
