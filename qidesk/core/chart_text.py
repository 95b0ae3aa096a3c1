"""Words and tables for a chart: the accessible alternative to the picture (WCAG 1.1.1).

Pure (no Qt). Everything here reads a :class:`~qidesk.core.charting.ChartData` that the SPC
engine has already computed; it only chooses words and formats numbers. The chart widgets,
the dashboard and the exports show these texts, so a screen-reader user, a printed page and
the chart on the projector all say the same thing.

* :func:`summary_text` — one plain-English paragraph about the chart (reliability A11Y-R5):
  centre, limits, phases before and after, the latest signal with its date, reason and
  whether it is improvement, concern or neutral, runs, target and assurance, warnings.
* :func:`table_rows` — the chart's data as rows of text (the "Table" tab), in display units.
* :func:`point_info` — what hover or keyboard focus on one point shows.
* :func:`overview` — one line of the project dashboard.
* :func:`variation_label`, :func:`assurance_label`, :func:`preset_text`,
  :func:`definition_lines` — labels shared by the legend, the icons and the exports.

Numbers are shown in display units (``ChartData.shown``: percentages for ×100 ratio
charts) with the measure's decimals and unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, pairwise, repeat
from operator import attrgetter, is_not

import numpy as np

from qidesk.core.charting import ChartData
from qidesk.core.measures import Annotation, Measure, Phase, PhaseKind
from qidesk.core.periods import Period, format_date, format_period
from qidesk.core.spc.mdc import SHORT_GROUP_WARNING
from qidesk.core.spc.presets import RuleSettings, preset_settings
from qidesk.core.spc.results import PhaseSummary, Signal, SpcPoint
from qidesk.core.spc.runs import runs_around
from qidesk.core.spc.types import (
    AssuranceType,
    ChartType,
    DataType,
    Direction,
    PointType,
    Preset,
    RuleId,
)

__all__ = [
    "TABLE_COLUMNS",
    "ChartOverview",
    "ChartTableRow",
    "RunSpan",
    "SignalKind",
    "assurance_label",
    "centre_name",
    "definition_lines",
    "format_count",
    "format_value",
    "latest_run",
    "limits_name",
    "overview",
    "point_info",
    "preset_text",
    "signal_kind",
    "summary_text",
    "table_row",
    "table_rows",
    "unit_of",
    "variation_label",
    "when_text",
]

#: Headers of :func:`table_rows`' columns, in order (the fields of :class:`ChartTableRow`).
TABLE_COLUMNS = (
    "Period",
    "Value",
    "Numerator",
    "Denominator",
    "Centre",
    "Lower limit",
    "Upper limit",
    "Signals",
    "Excluded",
    "Note",
    "Annotations",
)

#: Rules whose signal marks a run of points on one side of the centre line.
_SHIFT_RULES = frozenset({RuleId.MDC_SHIFT, RuleId.IHI_SHIFT, RuleId.WE_RUN})
#: Rules whose signal marks points each higher (or lower) than the one before.
_TREND_RULES = frozenset({RuleId.MDC_TREND, RuleId.IHI_TREND})

#: Fewer useful points than this on a run chart: the runs rules can say little yet
#: (IHI advises at least 10 useful observations, spec 1.2 rule 3).
MIN_RUN_CHART_POINTS = 10

# point fields read over every point (map + attrgetter: C-level loops for 10,000 points)
_VALUE = attrgetter("value")
_SIGNALS = attrgetter("signals")
_EXCLUDED = attrgetter("excluded")
_BASELINE = attrgetter("baseline")
_LCL = attrgetter("lcl")
_UCL = attrgetter("ucl")


# --------------------------------------------------------------------------- numbers
def unit_of(measure: Measure) -> str:
    """The unit shown after values: the measure's own, else ``%`` for ×100 proportions."""
    if measure.unit.strip():
        return measure.unit.strip()
    if measure.data_type is DataType.PROPORTION and measure.multiplier == 100:
        return "%"
    return ""


def _with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def format_value(data: ChartData, value: float | None, *, unit: bool = True) -> str:
    """An engine value in display units, with the measure's decimals (and unit): ``94.1%``.

    ``None`` and non-finite values give an empty string.
    """
    shown = data.shown(value)
    if shown is None or not math.isfinite(shown):
        return ""
    text = f"{shown:,.{data.measure.decimals}f}"
    if float(text.replace(",", "")) == 0.0:
        text = text.lstrip("-")  # no "-0.0"
    return _with_unit(text, unit_of(data.measure)) if unit else text


def format_count(number: float | None, decimals: int = 1) -> str:
    """A numerator or denominator as entered: ``13,955`` (whole) or ``12.5``."""
    if number is None or not math.isfinite(number):
        return ""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.{decimals}f}"


def when_text(when: date, period: Period) -> str:
    """A period in a sentence: ``March 2025`` for months, ``3 March 2025`` otherwise."""
    if period is Period.MONTH:
        return when.strftime("%B %Y")
    return format_date(when)


def _in_period(when: date, period: Period) -> str:
    """``in March 2025``, ``in the week of 3 March 2025`` or ``on 3 March 2025``."""
    if period is Period.MONTH:
        return f"in {when_text(when, period)}"
    if period is Period.WEEK:
        return f"in the week of {format_date(when)}"
    return f"on {format_date(when)}"


def centre_name(chart: ChartType) -> str:
    """What the centre line is called: median (run chart), mean (I, C, Xbar) or centre line."""
    if chart is ChartType.RUN:
        return "median"
    if chart in (ChartType.I, ChartType.C, ChartType.XBAR, ChartType.MR):
        return "mean"
    return "centre line"


def limits_name(preset: Preset) -> str:
    """``process limits`` (Making Data Count wording) or ``control limits``."""
    return "process limits" if preset is Preset.MDC else "control limits"


# --------------------------------------------------------------------------- labels
def variation_label(point_type: PointType, direction: Direction, *, short: bool = False) -> str:
    """The name of a Making Data Count variation icon (spec 3.5).

    For example ``Special cause improvement (high)``; ``short`` drops "Special cause" and
    "variation" for narrow table columns (``Improvement (high)``, ``Common cause``).
    """
    increase = direction is Direction.INCREASE
    if short:
        return {
            PointType.COMMON_CAUSE: "Common cause",
            PointType.IMPROVEMENT: f"Improvement ({'high' if increase else 'low'})",
            PointType.CONCERN: f"Concern ({'low' if increase else 'high'})",
            PointType.NEUTRAL_HIGH: "Neutral (high)",
            PointType.NEUTRAL_LOW: "Neutral (low)",
        }[point_type]
    return {
        PointType.COMMON_CAUSE: "Common cause variation",
        PointType.IMPROVEMENT: f"Special cause improvement ({'high' if increase else 'low'})",
        PointType.CONCERN: f"Special cause concern ({'low' if increase else 'high'})",
        PointType.NEUTRAL_HIGH: "Special cause variation (neutral, high)",
        PointType.NEUTRAL_LOW: "Special cause variation (neutral, low)",
    }[point_type]


def assurance_label(kind: AssuranceType | None, *, short: bool = False) -> str:
    """The name of a Making Data Count assurance icon (spec 3.6); empty without assurance.

    ``short`` gives the two-word form for narrow table columns (``Hit and miss``).
    """
    if kind is None:
        return ""
    if short:
        return {
            AssuranceType.CONSISTENT_PASS: "Consistently passing",
            AssuranceType.CONSISTENT_FAIL: "Consistently failing",
            AssuranceType.INCONSISTENT: "Hit and miss",
        }[kind]
    return {
        AssuranceType.CONSISTENT_PASS: "Consistently passing the target",
        AssuranceType.CONSISTENT_FAIL: "Consistently failing the target",
        AssuranceType.INCONSISTENT: "Hit and miss: the target may or may not be met",
    }[kind]


def _settings(data: ChartData) -> RuleSettings:
    return data.result.settings if data.result is not None else preset_settings(data.preset)


def preset_text(data: ChartData) -> str:
    """The rule preset and the rules it applies, in words (for legends and exports)."""
    s = _settings(data)
    rules: list[str] = []
    for rule in s.point_rules:
        if rule is RuleId.OUTSIDE_LIMITS:
            if data.chart.has_limits:
                rules.append(f"a point outside the {limits_name(s.preset)}")
        elif rule in _SHIFT_RULES:
            rules.append(
                f"{s.shift_length} points in a row on one side of the {centre_name(data.chart)}"
            )
        elif rule in _TREND_RULES:
            rules.append(f"{s.trend_length} points in a row going up or going down")
        elif rule in (RuleId.MDC_TWO_OF_THREE, RuleId.WE_TWO_OF_THREE):
            rules.append("2 of 3 points close to a limit (beyond 2 sigma)")
        elif rule is RuleId.WE_FOUR_OF_FIVE:
            rules.append("4 of 5 points beyond 1 sigma")
    for rule in s.phase_rules:
        if rule is RuleId.ANHOEJ_LONGEST_RUN:
            rules.append("an unusually long run on one side of the centre line")
        elif rule is RuleId.ANHOEJ_CROSSINGS:
            rules.append("too few crossings of the centre line")
        elif rule is RuleId.IHI_TOO_FEW_RUNS:
            rules.append("too few or too many runs")
    listed = "; ".join(rules) if rules else "no rules apply to this chart"
    return f"Rules: {s.preset.value} — {listed}."


def definition_lines(measure: Measure) -> list[tuple[str, str]]:
    """The operational definition as ``(label, text)`` pairs, empty fields left out."""
    direction = {
        Direction.INCREASE: "Higher is better",
        Direction.DECREASE: "Lower is better",
        Direction.NEUTRAL: "Neither higher nor lower is better",
    }[measure.direction]
    target = ""
    if measure.trajectory:
        steps = sorted(measure.trajectory, key=lambda t: t.start)
        target = "; ".join(
            f"from {format_period(t.start, measure.period)}: "
            f"{_with_unit(f'{t.value:,.{measure.decimals}f}', unit_of(measure))}"
            for t in steps
        )
        if measure.target is not None:
            target = (
                f"{_with_unit(f'{measure.target:,.{measure.decimals}f}', unit_of(measure))}"
                f" ({target})"
            )
    elif measure.target is not None:
        target = _with_unit(f"{measure.target:,.{measure.decimals}f}", unit_of(measure))
    pairs = [
        ("Measure", f"{measure.name} ({measure.measure_type.label.lower()} measure)"),
        ("Definition", measure.definition),
        ("Numerator", measure.numerator_definition),
        ("Denominator", measure.denominator_definition),
        ("Includes", measure.inclusions),
        ("Excludes", measure.exclusions),
        ("Period", measure.period.label),
        ("Direction", direction),
        ("Target", target),
        ("Data source", measure.data_source),
        ("Collected by", measure.collected_by),
        ("Owner", measure.owner),
    ]
    return [(label, text.strip()) for label, text in pairs if text.strip()]


# --------------------------------------------------------------------------- signals
class SignalKind:
    """How a signal reads for this measure: improvement, concern or neutral."""

    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEUTRAL = "neutral"


def signal_kind(side: int, direction: Direction) -> str:
    """Improvement, concern or neutral for a signal on ``side`` (+1 up, -1 down), spec 3.4."""
    if direction is Direction.NEUTRAL or side == 0:
        return SignalKind.NEUTRAL
    better = (side > 0) == (direction is Direction.INCREASE)
    return SignalKind.IMPROVEMENT if better else SignalKind.CONCERN


def _meaning(kind: str) -> str:
    return {
        SignalKind.IMPROVEMENT: "in the direction of improvement",
        SignalKind.CONCERN: "in the wrong direction (concern)",
        SignalKind.NEUTRAL: "(neutral: this measure has no better direction)",
    }[kind]


def _special_cause(kind: str) -> str:
    return {
        SignalKind.IMPROVEMENT: "special-cause improvement",
        SignalKind.CONCERN: "special-cause concern",
        SignalKind.NEUTRAL: "special-cause variation (neutral)",
    }[kind]


@dataclass(frozen=True)
class RunSpan:
    """A run of useful points on one side of the centre line (``start``..``stop`` inclusive).

    ``ongoing`` is True when no useful point follows it in its phase.
    """

    start: int
    stop: int
    length: int
    side: int
    ongoing: bool


def latest_run(data: ChartData, phase: PhaseSummary) -> RunSpan | None:
    """The latest of the longest runs of ``phase`` (the one the Anhøj long-run rule sees).

    Useful points as in spec 1.3: present, not excluded, not on the centre line.
    """
    if data.result is None:
        return None
    own = data.result.points[phase.start : phase.stop]
    side = np.array(
        [
            math.nan if p.excluded or p.side is None or p.value is None else float(p.side)
            for p in own
        ],
        dtype=np.float64,
    )
    runs = runs_around(side)
    if runs.n_runs == 0:
        return None
    lengths = runs.lengths.tolist()
    best = max(range(len(lengths)), key=lambda j: (lengths[j], j))
    first = int(runs.starts[best])
    last = first + int(lengths[best]) - 1
    return RunSpan(
        start=phase.start + int(runs.positions[first]),
        stop=phase.start + int(runs.positions[last]),
        length=int(lengths[best]),
        side=1 if runs.sides[first] > 0 else -1,
        ongoing=best == runs.n_runs - 1,
    )


def _block(points: Sequence[SpcPoint], index: int) -> tuple[int, int]:
    """The first and last index of the block of points sharing ``points[index]``'s first signal."""
    signal = points[index].signals[0]

    def same(p: SpcPoint) -> bool:
        return p.phase == points[index].phase and any(
            s.rule is signal.rule and s.side == signal.side for s in p.signals
        )

    first = index
    while first > 0 and same(points[first - 1]):
        first -= 1
    last = index
    while last + 1 < len(points) and same(points[last + 1]):
        last += 1
    return first, last


def _signal_sentence(data: ChartData, index: int, *, current: bool) -> str:
    """One sentence about the first signal of point ``index`` and the block it belongs to."""
    assert data.result is not None
    points = data.result.points
    point = points[index]
    signal: Signal = point.signals[0]
    period = data.measure.period
    kind = signal_kind(signal.side, data.measure.direction)
    first, last = _block(points, index)
    count = sum(1 for p in points[first : last + 1] if p.value is not None)
    start, end = when_text(data.periods[first], period), when_text(data.periods[last], period)
    centre = centre_name(data.chart)
    word = "above" if signal.side > 0 else "below"
    ongoing = current and last == len(points) - 1
    span = f"Since {start}" if ongoing else f"From {start} to {end}"
    if signal.rule in _SHIFT_RULES:
        text = f"{span}, {count} points in a row {word} the {centre}: a shift {_meaning(kind)}"
    elif signal.rule in _TREND_RULES:
        way = "higher" if signal.side > 0 else "lower"
        text = (
            f"{span}, {count} points in a row each {way} than the one before: "
            f"a trend {_meaning(kind)}"
        )
    elif signal.rule is RuleId.OUTSIDE_LIMITS:
        value = format_value(data, point.value)
        limit = f"{'upper' if signal.side > 0 else 'lower'} {limits_name(data.preset)[:-1]}"
        subject = (
            f"The latest point, {when_text(data.periods[index], period)} ({value}), is"
            if current
            else f"{_in_period(data.periods[index], period)} the point ({value}) was"
        )
        text = f"{subject} {word} the {limit}: {_special_cause(kind)}"
    else:
        at = when_text(data.periods[index], period)
        reason = signal.reason[0].lower() + signal.reason[1:]
        text = (
            f"{at}: {reason}" if current else f"{_in_period(data.periods[index], period)}, {reason}"
        )
        text += f": {_special_cause(kind)}"
    others = [s.reason for s in point.signals[1:]]
    if others and current:
        text += " (also: " + "; ".join(r[0].lower() + r[1:] for r in others) + ")"
    return text + "."


# --------------------------------------------------------------------------- summary
def _present(data: ChartData) -> list[int]:
    """Indices of the points with a value (C-level loops: charts may have 10,000 points)."""
    assert data.result is not None
    points = data.result.points
    return list(compress(range(len(points)), map(is_not, map(_VALUE, points), repeat(None))))


def _signalled(data: ChartData, indices: Sequence[int]) -> list[int]:
    """Those of ``indices`` whose point has a signal."""
    assert data.result is not None
    return list(compress(indices, map(_SIGNALS, map(data.result.points.__getitem__, indices))))


def _phase_record(data: ChartData, phase: PhaseSummary) -> Phase | None:
    """The ``PHASE`` record that started ``phase`` (the latest on or before its first point)."""
    if phase.phase == 0 or phase.start >= len(data.periods):
        return None
    begin = data.periods[phase.start]
    after = data.periods[phase.start - 1]
    found = [p for p in data.phases if p.kind is PhaseKind.PHASE and after < p.period <= begin]
    return max(found, key=lambda p: (p.period, p.meta.created_at)) if found else None


def _limits_vary(data: ChartData, phase: PhaseSummary) -> bool:
    assert data.result is not None
    own = data.result.points[phase.start : phase.stop]
    pairs = set(zip(map(_LCL, own), map(_UCL, own), strict=True))
    pairs.discard((None, None))  # points without limits do not count
    return len(pairs) > 1


def _centre_sentence(data: ChartData, phase: PhaseSummary) -> str:
    """``Mean 94.1%, process limits 90.2% to 98.0%`` for one phase (no full stop)."""
    assert data.result is not None
    centre = centre_name(data.chart)
    if phase.cl is None:
        text = f"No {centre} yet (no usable value)"
    else:
        text = f"{centre[0].upper()}{centre[1:]} {format_value(data, phase.cl)}"
    if not data.chart.has_limits:
        return text
    name = limits_name(data.preset)
    if _limits_vary(data, phase):
        last = data.result.points[phase.stop - 1]
        if last.lcl is not None or last.ucl is not None:
            text += (
                f", {name} varying with the denominator (at the latest point "
                f"{_limit_range(data, last.lcl, last.ucl)})"
            )
    elif phase.lcl is not None or phase.ucl is not None:
        text += f", {name} {_limit_range(data, phase.lcl, phase.ucl)}"
    elif phase.cl is not None:
        text += f", no {name} (the values show no variation)"
    return text


def _limit_range(data: ChartData, low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{format_value(data, low)} to {format_value(data, high)}"
    if high is not None:
        return f"up to {format_value(data, high)}"
    return f"from {format_value(data, low)}"


def _scope_sentence(data: ChartData) -> str:
    assert data.result is not None
    m = data.measure
    present = _present(data)
    n = len(present)
    period = m.period.label.lower()
    scope = f"{m.name}: {data.chart.label}, {preset_short(data.preset)} rules"
    if n == 0:
        return f"{scope}; no point has a value yet."
    first, last = data.periods[present[0]], data.periods[present[-1]]
    span = (
        f"{when_text(first, m.period)}"
        if n == 1
        else f"from {when_text(first, m.period)} to {when_text(last, m.period)}"
    )
    noun = "point" if n == 1 else "points"
    excluded = sum(map(_EXCLUDED, map(data.result.points.__getitem__, present)))
    extra = f" ({excluded} excluded from the calculations)" if excluded else ""
    return f"{scope}; {n} {period} {noun} {span}{extra}."


def preset_short(preset: Preset) -> str:
    """A short name of the rule preset for sentences."""
    return {
        Preset.ANHOEJ: "Anhøj",
        Preset.IHI: "IHI",
        Preset.MDC: "Making Data Count",
        Preset.WESTERN_ELECTRIC: "Western Electric",
    }[preset]


def _phase_sentences(data: ChartData) -> list[str]:
    """Before/after sentences for every phase change, and the freeze of the baseline."""
    assert data.result is not None
    out: list[str] = []
    phases = data.result.phases
    period = data.measure.period
    for before, after in pairwise(phases):
        record = _phase_record(data, after)
        reason = f" ({record.reason.strip()})" if record and record.reason.strip() else ""
        start = when_text(data.periods[after.start], period)
        was = _lower_first(_centre_sentence(data, before))
        now = _lower_first(_centre_sentence(data, after))
        out.append(f"New phase from {start}{reason}: before, {was}; after, {now}.")
    freezes = [p for p in data.phases if p.kind is PhaseKind.FREEZE]
    if freezes and not all(map(_BASELINE, data.result.points)):  # some points after it
        freeze = max(freezes, key=lambda p: (p.period, p.meta.created_at))
        reason = f" ({freeze.reason.strip()})" if freeze.reason.strip() else ""
        out.append(
            f"The baseline is frozen at {when_text(freeze.period, period)}{reason}: "
            f"the {centre_name(data.chart)}"
            + (f" and {limits_name(data.preset)}" if data.chart.has_limits else "")
            + " come from the points up to it and are extended after it."
        )
    return out


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text else text


def _runs_sentences(data: ChartData, phase: PhaseSummary) -> list[str]:
    """Phase-level signals (Anhøj runs, IHI runs count) of ``phase``, with the run located."""
    out: list[str] = []
    centre = centre_name(data.chart)
    period = data.measure.period
    for signal in phase.signals:
        if signal.rule is RuleId.ANHOEJ_LONGEST_RUN:
            run = latest_run(data, phase)
            if run is not None:
                kind = signal_kind(run.side, data.measure.direction)
                start = when_text(data.periods[run.start], period)
                stop = when_text(data.periods[run.stop], period)
                span = f"Since {start}" if run.ongoing else f"From {start} to {stop}"
                word = "above" if run.side > 0 else "below"
                expected = phase.anhoej.longest_run_max
                out.append(
                    f"{span}, {run.length} points in a row {word} the {centre}: "
                    f"a shift {_meaning(kind)} (runs longer than {expected} are unlikely "
                    "by chance)."
                )
                continue
        out.append(f"{signal.reason}: a sign of non-random variation.")
    return out


def _target_sentence(data: ChartData) -> str | None:
    assert data.result is not None
    present = _present(data)
    target = data.targets[present[-1]] if present else None
    if target is None or not math.isfinite(target):
        return None
    unit = unit_of(data.measure)
    shown = _with_unit(f"{target:,.{data.measure.decimals}f}", unit)
    kind = data.result.phases[-1].assurance_type if data.result.phases else None
    if not data.chart.has_limits:
        kind = None  # assurance compares the target with process limits (spec 3.6)
    increase = data.measure.direction is Direction.INCREASE
    name = limits_name(data.preset)
    if kind is AssuranceType.INCONSISTENT:
        return (
            f"The target of {shown} lies within the {name}: the target may or may not be met "
            "(hit and miss)."
        )
    if kind is AssuranceType.CONSISTENT_FAIL:
        where = "above the upper" if increase else "below the lower"
        return (
            f"The target of {shown} is {where} {name[:-1]}: the process will consistently "
            "fail to meet it unless something changes."
        )
    if kind is AssuranceType.CONSISTENT_PASS:
        where = "below the lower" if increase else "above the upper"
        return (
            f"The target of {shown} is {where} {name[:-1]}: the process will consistently meet it."
        )
    last = data.result.points[present[-1]]
    value = data.shown(last.value)
    if value is None:
        return f"The target is {shown}."
    relation = "above" if value > target else "below" if value < target else "on"
    latest = format_value(data, last.value)
    return f"The target is {shown}; the latest point ({latest}) is {relation} it."


def _warning_sentences(data: ChartData) -> list[str]:
    assert data.result is not None
    out: list[str] = []
    settings = data.result.settings
    for warning in data.result.warnings:
        if warning == SHORT_GROUP_WARNING:
            for phase in data.result.phases:
                if phase.trial_limits:
                    where = (
                        f"Phase {phase.phase + 1} has"
                        if len(data.result.phases) > 1
                        else "There are"
                    )
                    out.append(
                        f"{where} only {phase.n_obs} points: the limits are trial limits and "
                        f"will change as points are added (at least "
                        f"{settings.trial_limits_below} are advised)."
                    )
        else:
            out.append(warning)
    return out


def summary_text(data: ChartData) -> str:
    """One plain-English paragraph describing the chart, generated from the SPC result.

    Covers: what is charted; too little data; phases (centre and limits before and after
    each change) and a frozen baseline; the current centre and limits; the latest point and
    the latest signal with its date, reason and meaning (improvement, concern, neutral);
    phase-level runs signals; the target and the assurance (Making Data Count, spec 3.6);
    trial limits and other warnings. No data and errors get a sentence of their own.
    """
    m = data.measure
    if data.error:
        return f"{m.name}: this chart cannot be drawn. {data.error}"
    if data.result is None or not data.observations:
        return f"{m.name}: no data yet. Enter the first value to start the chart."
    result = data.result
    parts = [_scope_sentence(data)]
    present = _present(data)
    if not present:
        return " ".join([*parts, *_warning_sentences(data)])
    useful = [i for i in present if not result.points[i].excluded]
    if len(present) == 1:
        parts.append("With a single point the chart cannot show any pattern yet.")
    elif not data.chart.has_limits and len(useful) < MIN_RUN_CHART_POINTS:
        parts.append(
            f"With only {len(useful)} points the run-chart rules can say little yet: "
            f"at least {MIN_RUN_CHART_POINTS} are advised."
        )
    parts.extend(_phase_sentences(data))
    last_phase = result.phases[-1]
    if len(result.phases) == 1:
        parts.append(f"{_centre_sentence(data, last_phase)}.")
    for earlier in result.phases[:-1]:  # runs signals of earlier phases, dated
        parts.extend(_runs_sentences(data, earlier))
    runs = _runs_sentences(data, last_phase)
    parts.extend(runs)
    latest = present[-1]
    signalled = _signalled(data, present)
    value = format_value(data, result.points[latest].value)
    when = when_text(data.periods[latest], m.period)
    if result.points[latest].signals:
        parts.append(_signal_sentence(data, latest, current=True))
    elif runs:
        parts.append(f"The latest point is {when} ({value}).")
    else:
        parts.append(f"The latest point, {when} ({value}), is common-cause variation.")
    if signalled and not result.points[latest].signals:
        parts.append(
            "Most recent signal: "
            + _lower_first(_signal_sentence(data, signalled[-1], current=False))
        )
    in_last = [i for i in useful if last_phase.start <= i < last_phase.stop]
    if (
        not data.chart.has_limits
        and not runs
        and not any(result.points[i].signals for i in in_last)
        and len(in_last) >= MIN_RUN_CHART_POINTS
    ):
        where = "In the latest phase, the" if len(result.phases) > 1 else "The"
        parts.append(f"{where} runs are as expected by chance: no sign of a shift or trend.")
    target = _target_sentence(data)
    if target:
        parts.append(target)
    parts.extend(_warning_sentences(data))
    return " ".join(parts)


# --------------------------------------------------------------------------- table
@dataclass(frozen=True)
class ChartTableRow:
    """One row of a chart's data table, as text in display units (see :data:`TABLE_COLUMNS`)."""

    period: date
    period_label: str
    value: str
    numerator: str
    denominator: str
    centre: str
    lower: str
    upper: str
    signals: str
    excluded: str
    note: str
    annotations: str

    def cells(self) -> tuple[str, ...]:
        """The row's cells in :data:`TABLE_COLUMNS` order."""
        return (
            self.period_label,
            self.value,
            self.numerator,
            self.denominator,
            self.centre,
            self.lower,
            self.upper,
            self.signals,
            self.excluded,
            self.note,
            self.annotations,
        )


def _annotations_for(data: ChartData, index: int) -> list[Annotation]:
    """Annotations shown at point ``index``: each goes to the first point on or after its period."""
    upper = data.periods[index]
    lower = data.periods[index - 1] if index > 0 else None
    return [
        a for a in data.annotations if a.period <= upper and (lower is None or a.period > lower)
    ]


def _annotation_text(note: Annotation) -> str:
    return f"{note.kind.label}: {note.text.strip()}"


def table_row(data: ChartData, index: int) -> ChartTableRow:
    """Row ``index`` of :func:`table_rows` (one point), in display units."""
    when, obs = data.periods[index], data.observations[index]
    points = data.result.points if data.result is not None else ()
    point = points[index] if index < len(points) else None
    ratio = data.measure.is_ratio
    decimals = data.measure.decimals
    if point is not None:
        value = format_value(data, point.value)
    else:
        plotted = obs.plotted(data.measure)
        value = (
            "" if plotted is None else _with_unit(f"{plotted:,.{decimals}f}", unit_of(data.measure))
        )
    reason = obs.exclude_reason.strip()
    excluded = (f"Excluded: {reason}" if reason else "Excluded") if obs.excluded else ""
    return ChartTableRow(
        period=when,
        period_label=format_period(when, data.measure.period),
        value=value,
        numerator=format_count(obs.numerator, decimals) if ratio else "",
        denominator=format_count(obs.denominator, decimals) if ratio else "",
        centre=format_value(data, point.cl) if point else "",
        lower=format_value(data, point.lcl) if point else "",
        upper=format_value(data, point.ucl) if point else "",
        signals="; ".join(s.reason for s in point.signals) if point else "",
        excluded=excluded,
        note=obs.note.strip(),
        annotations="; ".join(_annotation_text(a) for a in _annotations_for(data, index)),
    )


def table_rows(data: ChartData) -> list[ChartTableRow]:
    """The chart's data as text rows (one per point), in display units.

    Lines and signals are empty when the chart could not be computed (``data.error``).
    """
    return [table_row(data, i) for i in range(len(data.periods))]


def point_info(data: ChartData, index: int) -> str:
    """What hover or keyboard focus on point ``index`` shows, one fact per line.

    Date, value, numerator/denominator, centre and limits, signal reasons, exclusion,
    note and annotations.
    """
    row = table_row(data, index)
    lines = [when_text(row.period, data.measure.period)]
    lines.append(f"Value: {row.value or 'no value'}")
    if row.numerator or row.denominator:
        lines.append(f"Numerator {row.numerator or '–'} / denominator {row.denominator or '–'}")
    centre = centre_name(data.chart)
    line = f"{centre[0].upper()}{centre[1:]}: {row.centre}" if row.centre else ""
    if row.lower or row.upper:
        line += f"; limits {row.lower or '–'} to {row.upper or '–'}"
    if line:
        lines.append(line)
    point = data.result.points[index] if data.result is not None else None
    if point is not None and point.signals:
        kind = signal_kind(point.signals[0].side, data.measure.direction)
        lines.append(f"Signal ({_special_cause(kind)}): {row.signals}")
    elif point is not None and point.value is not None:
        lines.append("No signal: common-cause variation")
    if row.excluded:
        lines.append(row.excluded)
    if row.note:
        lines.append(f"Note: {row.note}")
    if row.annotations:
        lines.append(f"Annotations: {row.annotations}")
    return "\n".join(lines)


# --------------------------------------------------------------------------- dashboard
@dataclass(frozen=True)
class ChartOverview:
    """One line of the project dashboard, as text (plus the icon kinds for drawing them)."""

    measure_id: str
    name: str
    measure_type: str
    latest_period: str
    latest_value: str
    variation_type: PointType | None
    variation: str
    assurance_type: AssuranceType | None
    assurance: str
    latest_signal: str
    latest_signal_reason: str
    points: int
    error: str | None


def overview(data: ChartData) -> ChartOverview:
    """The dashboard's summary of one chart: latest value, icons, latest signal, count."""
    m = data.measure
    result = data.result
    present = _present(data) if result is not None else []
    latest_period = latest_value = signal = reason = ""
    variation_type: PointType | None = None
    assurance_type: AssuranceType | None = None
    if result is not None and present:
        last = present[-1]
        latest_period = format_period(data.periods[last], m.period)
        latest_value = format_value(data, result.points[last].value)
        variation_type = result.icons.variation_type
        assurance_type = result.icons.assurance_type
        signalled = _signalled(data, present)
        if signalled:
            point = result.points[signalled[-1]]
            when = format_period(data.periods[signalled[-1]], m.period)
            kind = signal_kind(point.signals[0].side, m.direction)
            signal = f"{when}: {point.label} ({kind})"
            reason = "; ".join(s.reason for s in point.signals)
        phase_signals = result.phases[-1].signals if result.phases else ()
        if phase_signals and not signalled:
            signal = f"{phase_signals[0].label} (latest phase)"
            reason = "; ".join(s.reason for s in phase_signals)
    return ChartOverview(
        measure_id=m.id,
        name=m.name,
        measure_type=m.measure_type.label,
        latest_period=latest_period,
        latest_value=latest_value,
        variation_type=variation_type,
        variation=variation_label(variation_type, m.direction) if variation_type else "",
        assurance_type=assurance_type,
        assurance=assurance_label(assurance_type),
        latest_signal=signal,
        latest_signal_reason=reason,
        points=len(present),
        error=data.error,
    )
