"""Statistical process control for qidesk: run charts, Shewhart charts and MDC rules.

Qt-free and storage-free: numbers in, plain frozen dataclasses out
(:class:`SpcResult`), which the chart widgets only render. The rules follow
``shared/spc-spec.md`` and are checked against the qicharts2 0.8.1 and
NHSRplotthedots 0.2.2 reference vectors (``python -m qidesk.core.spc.reference``).

Main entry point::

    result = analyse(values, chart=ChartType.I, preset=Preset.MDC, direction="decrease")

Lower-level functions (one rule or chart at a time) are re-exported below.
"""

from __future__ import annotations

from qidesk.core.spc.anhoej import AnhoejRuns, anhoej_runs, crossings_min, longest_run_max
from qidesk.core.spc.distributions import qbinom_half, runs_distribution, runs_limits
from qidesk.core.spc.engine import analyse
from qidesk.core.spc.icons import assurance_icon_file, assurance_type, variation_icon_file
from qidesk.core.spc.ihi import astronomical_candidates, runs_count, runs_table
from qidesk.core.spc.limits import ChartInput, Lines, average_moving_range, lines_for
from qidesk.core.spc.phases import PhaseChange, before_after, phase_bounds, phase_changes
from qidesk.core.spc.presets import RuleSettings, SpcOptions, preset_settings, resolve_settings
from qidesk.core.spc.results import (
    COMMON_CAUSE_LABEL,
    Icons,
    PhaseSummary,
    RunsCount,
    Signal,
    SpcPoint,
    SpcResult,
)
from qidesk.core.spc.suggest import ChartSuggestion, suggest_chart
from qidesk.core.spc.types import (
    AssuranceType,
    ChartType,
    DataType,
    Direction,
    PointType,
    Preset,
    RuleId,
    SpcDomainError,
    XmrScale,
)

__all__ = [
    "COMMON_CAUSE_LABEL",
    "AnhoejRuns",
    "AssuranceType",
    "ChartInput",
    "ChartSuggestion",
    "ChartType",
    "DataType",
    "Direction",
    "Icons",
    "Lines",
    "PhaseChange",
    "PhaseSummary",
    "PointType",
    "Preset",
    "RuleId",
    "RuleSettings",
    "RunsCount",
    "Signal",
    "SpcDomainError",
    "SpcOptions",
    "SpcPoint",
    "SpcResult",
    "XmrScale",
    "analyse",
    "anhoej_runs",
    "assurance_icon_file",
    "assurance_type",
    "astronomical_candidates",
    "average_moving_range",
    "before_after",
    "crossings_min",
    "lines_for",
    "longest_run_max",
    "phase_bounds",
    "phase_changes",
    "preset_settings",
    "qbinom_half",
    "resolve_settings",
    "runs_count",
    "runs_distribution",
    "runs_limits",
    "runs_table",
    "suggest_chart",
    "variation_icon_file",
]
