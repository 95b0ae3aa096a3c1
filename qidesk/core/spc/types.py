"""The vocabulary of the SPC engine: chart types, data types, presets, rules and point types.

Plain enums only (no behaviour beyond labels), so that every other module and the
widgets can share them without importing the maths.
"""

from __future__ import annotations

from enum import StrEnum

from qidesk.core.errors import QideskError

__all__ = [
    "AssuranceType",
    "ChartType",
    "DataType",
    "Direction",
    "PointType",
    "Preset",
    "RuleId",
    "SpcDomainError",
    "XmrScale",
]


class SpcDomainError(QideskError):
    """The data cannot be charted with the chosen chart (e.g. a T chart with a value <= 0).

    The message says why in plain words; the caller shows it and draws nothing.
    """


class ChartType(StrEnum):
    """Chart types (qicharts2 ``chart`` codes; spec sections 1.1 and 2)."""

    RUN = "run"
    I = "i"  # noqa: E741 - the conventional name of the individuals (XmR) chart
    MR = "mr"
    P = "p"
    PP = "pp"
    U = "u"
    UP = "up"
    C = "c"
    G = "g"
    T = "t"
    XBAR = "xbar"
    S = "s"

    @property
    def label(self) -> str:
        """Human-readable name of the chart."""
        return _CHART_LABELS[self]

    @property
    def has_limits(self) -> bool:
        """True for control charts (every chart but the run chart)."""
        return self is not ChartType.RUN

    @property
    def is_subgrouped(self) -> bool:
        """True for charts of subgroup statistics (Xbar and S)."""
        return self in (ChartType.XBAR, ChartType.S)


_CHART_LABELS = {
    ChartType.RUN: "Run chart",
    ChartType.I: "I chart (XmR, individuals)",
    ChartType.MR: "MR chart (moving ranges)",
    ChartType.P: "P chart (proportions)",
    ChartType.PP: "P′ chart (Laney proportions)",
    ChartType.U: "U chart (rates)",
    ChartType.UP: "U′ chart (Laney rates)",
    ChartType.C: "C chart (counts)",
    ChartType.G: "G chart (cases between events)",
    ChartType.T: "T chart (time between events)",
    ChartType.XBAR: "Xbar chart (subgroup means)",
    ChartType.S: "S chart (subgroup standard deviations)",
}


class DataType(StrEnum):
    """What a measure's numbers are; decides the suggested chart (see :mod:`.suggest`).

    Values are the ``value_kind`` strings of the reference case files.
    """

    CONTINUOUS = "continuous"
    COUNT = "count"
    PROPORTION = "proportion"
    RATE = "rate"
    CASES_BETWEEN_EVENTS = "count_between_events"
    TIME_BETWEEN_EVENTS = "time_between_events"
    SUBGROUPED = "subgrouped"


class Direction(StrEnum):
    """Which way is better for a measure (NHSRplotthedots ``improvement_direction``)."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class Preset(StrEnum):
    """Rule presets offered to the user; the value is the name shown (see :mod:`.presets`)."""

    ANHOEJ = "Anhøj (qicharts2)"
    IHI = "IHI run chart"
    MDC = "Making Data Count"
    WESTERN_ELECTRIC = "Shewhart / Western Electric"


class XmrScale(StrEnum):
    """How XmR limits are derived from the average moving range (spec 2.2 and 3.2)."""

    QICHARTS2 = "3/1.128"  # sigma = AMR / 1.128, limits CL ± 3 sigma (qicharts2)
    MDC = "2.66"  # limits mean ± 2.66 AMR (NHSRplotthedots, MDC Excel tools)


class RuleId(StrEnum):
    """Every signal rule the engine knows; a :class:`~.results.Signal` names one."""

    OUTSIDE_LIMITS = "outside_limits"
    ANHOEJ_LONGEST_RUN = "anhoej_longest_run"
    ANHOEJ_CROSSINGS = "anhoej_crossings"
    IHI_SHIFT = "ihi_shift"
    IHI_TREND = "ihi_trend"
    IHI_TOO_FEW_RUNS = "ihi_too_few_runs"
    IHI_TOO_MANY_RUNS = "ihi_too_many_runs"
    MDC_TREND = "mdc_trend"
    MDC_TWO_OF_THREE = "mdc_two_of_three"
    MDC_SHIFT = "mdc_shift"
    WE_TWO_OF_THREE = "we_two_of_three"
    WE_FOUR_OF_FIVE = "we_four_of_five"
    WE_RUN = "we_run"


class PointType(StrEnum):
    """Point types of NHSRplotthedots (spec 3.4), used for colours and icons."""

    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "special_cause_improvement"
    CONCERN = "special_cause_concern"
    NEUTRAL_HIGH = "special_cause_neutral_high"
    NEUTRAL_LOW = "special_cause_neutral_low"


class AssuranceType(StrEnum):
    """Whether the process will meet its target (spec 3.6)."""

    CONSISTENT_PASS = "consistent_pass"
    CONSISTENT_FAIL = "consistent_fail"
    INCONSISTENT = "inconsistent"
