"""The driver diagram canvas, its outline view, undo commands and exports.

``scene`` draws a :class:`~qidesk.core.drivers.DriverDiagram` laid out by
:mod:`qidesk.core.diagram_layout`; ``view`` turns keys and mouse gestures into requests to the
``editor``, which checks them against the model's rules and pushes undo ``commands``; the
commands call :class:`~qidesk.services.diagram.DiagramService` and the panel redraws when the
returned ``Changes`` are broadcast. Nothing here is the source of truth.
"""
