"""From a measure and its data to what a chart shows: the SPC inputs and the plain result.

Pure (no Qt, no storage). The chart widgets, the dashboard, the exports and the text summary
all render a :class:`ChartData`; none of them computes anything of its own.

Mapping of a measure's records onto the engine (:func:`qidesk.core.spc.analyse`):

* points are the observations in period order; an observation with no usable value is a gap;
* ratio charts (P, P′, U, U′) get numerators and denominators and are shown ×``multiplier``;
  every other chart gets the plotted value (ratio × multiplier, or the value);
* excluded observations are still plotted but left out of the centre line, limits and runs;
* a ``PHASE`` record starts a new phase at its period (NHSRplotthedots ``rebase``);
* a ``FREEZE`` record ends the baseline at its period (inclusive): the centre line and limits
  of the phase it falls in come from the points up to it. The engine applies one freeze
  length to every phase, so the latest freeze wins;
* targets are entered in display units; the per-point target follows the trajectory.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from qidesk.core.measures import Annotation, Measure, Observation, Phase, PhaseKind
from qidesk.core.spc import SpcDomainError, SpcResult, analyse
from qidesk.core.spc.types import ChartType, Preset

RATIO_CHARTS = frozenset({ChartType.P, ChartType.PP, ChartType.U, ChartType.UP})


class ChartView(StrEnum):
    """Which picture of a measure to draw."""

    DEFAULT = "default"  # the measure's own chart and rule preset
    IMPROVEMENT = "improvement"  # run chart with annotations (Anhøj rules)
    ASSURANCE = "assurance"  # XmR chart with Making Data Count rules, variation/assurance icons

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            ChartView.DEFAULT: "Measure's chart",
            ChartView.IMPROVEMENT: "Improvement view (run chart)",
            ChartView.ASSURANCE: "Assurance view (XmR, Making Data Count)",
        }[self]


@dataclass(frozen=True)
class ChartData:
    """Everything one chart of one measure shows, already computed.

    ``result.points[i]`` belongs to ``periods[i]`` and ``observations[i]``. Values and lines in
    ``result`` are in engine units; multiply by ``scale`` to show them (ratio charts ×100 for
    percentages, for example). ``error`` is set (and ``result`` is ``None``) when the data
    cannot be charted this way; the message says why.
    """

    measure: Measure
    chart: ChartType
    preset: Preset
    view: ChartView
    periods: tuple[date, ...]
    observations: tuple[Observation, ...]
    phases: tuple[Phase, ...]
    annotations: tuple[Annotation, ...]
    targets: tuple[float | None, ...]  # display units, one per point
    scale: float
    result: SpcResult | None
    error: str | None = None

    def shown(self, value: float | None) -> float | None:
        """An engine value in display units."""
        return None if value is None else value * self.scale


def _value(measure: Measure, obs: Observation) -> float | None:
    v = obs.plotted(measure)
    return v if v is not None and math.isfinite(v) else None


def _freeze_length(periods: Sequence[date], phases: Sequence[Phase]) -> int | None:
    freezes = [p for p in phases if p.kind is PhaseKind.FREEZE]
    if not freezes:
        return None
    last = max(freezes, key=lambda p: (p.period, p.meta.created_at))
    starts = sorted(
        p.period for p in phases if p.kind is PhaseKind.PHASE and p.period <= last.period
    )
    begin = starts[-1] if starts else date.min
    count = sum(1 for d in periods if begin <= d <= last.period)
    return count or None


def view_settings(measure: Measure, view: ChartView) -> tuple[ChartType, Preset]:
    """The chart type and rule preset a view uses for ``measure``."""
    if view is ChartView.IMPROVEMENT:
        preset = measure.preset if measure.preset in (Preset.ANHOEJ, Preset.IHI) else Preset.ANHOEJ
        return ChartType.RUN, preset
    if view is ChartView.ASSURANCE:
        return ChartType.I, Preset.MDC
    return measure.chart, measure.preset


def chart_data(
    measure: Measure,
    observations: Sequence[Observation],
    phases: Sequence[Phase] = (),
    annotations: Sequence[Annotation] = (),
    *,
    view: ChartView = ChartView.DEFAULT,
    chart: ChartType | None = None,
    preset: Preset | None = None,
) -> ChartData:
    """Compute the chart of ``measure`` (``chart``/``preset`` override the view's choice)."""
    view_chart, view_preset = view_settings(measure, view)
    chart = chart or view_chart
    preset = preset or view_preset
    obs = tuple(sorted(observations, key=lambda o: o.period))
    periods = tuple(o.period for o in obs)
    live_phases = tuple(sorted(phases, key=lambda p: p.period))
    ratio = chart in RATIO_CHARTS
    scale = measure.multiplier if ratio else 1.0
    targets = tuple(measure.targets_on(periods))
    if ratio:
        values: list[float | None] = [o.numerator for o in obs]
        denominators: list[float | None] | None = [o.denominator for o in obs]
    else:
        values = [_value(measure, o) for o in obs]
        denominators = None
    engine_targets = [None if t is None else t / scale for t in targets]
    rebase = sorted({p.period for p in live_phases if p.kind is PhaseKind.PHASE})
    base = ChartData(
        measure, chart, preset, view, periods, obs, live_phases,
        tuple(sorted(annotations, key=lambda a: a.period)), targets, scale, None,
    )  # fmt: skip
    if not obs:
        return base
    try:
        result = analyse(
            values,
            chart=chart,
            denominators=denominators,
            dates=list(periods),
            rebase=rebase or None,
            freeze=_freeze_length(periods, live_phases),
            excluded=[i for i, o in enumerate(obs) if o.excluded],
            preset=preset,
            direction=measure.direction,
            target=engine_targets if any(t is not None for t in engine_targets) else None,
        )
    except SpcDomainError as exc:
        return ChartData(**{**base.__dict__, "error": exc.message})
    return ChartData(**{**base.__dict__, "result": result})
