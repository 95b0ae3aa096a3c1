"""Which chart suits a measure, from the kind of numbers it holds.

Follows the usual decision tree for healthcare SPC (Provost & Murray, *The Health
Care Data Guide*, ch. 5; Mohammed, Worthington & Woodall 2008; qicharts2 vignette):
counts → C, proportions → P, rates → U, continuous → I (XmR), cases between
events → G, time between events → T, subgrouped measurements → Xbar with S. A run
chart is always a valid first choice and is offered as an alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from qidesk.core.spc.types import ChartType, DataType

__all__ = ["ChartSuggestion", "suggest_chart"]


@dataclass(frozen=True)
class ChartSuggestion:
    """The suggested chart, sensible alternatives (best first) and why."""

    chart: ChartType
    alternatives: tuple[ChartType, ...]
    reason: str


_SUGGESTIONS: dict[DataType, ChartSuggestion] = {
    DataType.COUNT: ChartSuggestion(
        ChartType.C,
        (ChartType.RUN, ChartType.I),
        "Counts of events with equal opportunity each period follow a Poisson model: C chart "
        "(or a run chart).",
    ),
    DataType.PROPORTION: ChartSuggestion(
        ChartType.P,
        (ChartType.PP, ChartType.RUN, ChartType.I),
        "Proportions (numerator / denominator) follow a binomial model: P chart; use P′ "
        "when the denominators are very large and the P chart flags most points.",
    ),
    DataType.RATE: ChartSuggestion(
        ChartType.U,
        (ChartType.UP, ChartType.RUN, ChartType.I),
        "Rates (events per exposure) follow a Poisson model: U chart; use U′ when the "
        "exposures are very large and the U chart flags most points.",
    ),
    DataType.CONTINUOUS: ChartSuggestion(
        ChartType.I,
        (ChartType.RUN, ChartType.MR),
        "Single measurements per period: I chart (XmR), with its moving-range chart.",
    ),
    DataType.CASES_BETWEEN_EVENTS: ChartSuggestion(
        ChartType.G,
        (ChartType.RUN,),
        "Number of cases (opportunities) between rare events: G chart.",
    ),
    DataType.TIME_BETWEEN_EVENTS: ChartSuggestion(
        ChartType.T,
        (ChartType.RUN, ChartType.I),
        "Time between rare events: T chart (an I chart of the transformed times).",
    ),
    DataType.SUBGROUPED: ChartSuggestion(
        ChartType.XBAR,
        (ChartType.S, ChartType.RUN),
        "Several measurements per period: Xbar chart of the means with an S chart of their spread.",
    ),
}


def suggest_chart(data_type: DataType | str) -> ChartSuggestion:
    """The chart suggested for a measure of ``data_type`` (see the module docstring)."""
    return _SUGGESTIONS[DataType(data_type)]
