"""PDSA fidelity flags: where a cycle drifts from the method, explained for coaches.

Reviews of published QI work found that few teams make predictions, test small first, collect
data over time and iterate (mission-anchors §1.9: Taylor et al. 2014; Knudsen et al. 2019). These
flags point at those gaps so that a coach can talk them through with the team. They are prompts
for a conversation, never a score of the team: each says what was noticed and why it matters, in
plain words.

Flags per cycle (:func:`cycle_flags`), skipped for cycles marked "not run (abandoned)":

* ``no_prediction`` — no question has a prediction (or some questions lack one);
* ``no_measure`` — no measure is linked, so the test cannot show on a chart;
* ``no_data`` — the linked measures have no data point over the cycle's dates (checked once the
  cycle is being studied or done, or its end date has passed);
* ``first_test_not_small`` — the first cycle of a ramp is run on a whole ward or larger;
* ``adapt_without_next`` — Act says "adapt" but no next cycle follows in the ramp;
* ``open_past_end`` — the end date has passed and the cycle is still planned, running or
  being studied.

:func:`project_fidelity` adds them up for a project.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from qidesk.core.pdsa import CycleStatus, Decision, PdsaCycle, first_in_ramp, ramps

#: A measure id -> the date spans (first day, last day) its observations cover.
DataCoverage = Mapping[str, Sequence[tuple[date, date]]]


class FlagKind(StrEnum):
    """Kinds of fidelity flag, in the order they are shown."""

    NO_PREDICTION = "no_prediction"
    NO_MEASURE = "no_measure"
    NO_DATA = "no_data"
    FIRST_TEST_NOT_SMALL = "first_test_not_small"
    ADAPT_WITHOUT_NEXT = "adapt_without_next"
    OPEN_PAST_END = "open_past_end"

    @property
    def heading(self) -> str:
        """A short heading for the flag."""
        return {
            FlagKind.NO_PREDICTION: "No prediction",
            FlagKind.NO_MEASURE: "No linked measure",
            FlagKind.NO_DATA: "No data over the cycle's dates",
            FlagKind.FIRST_TEST_NOT_SMALL: "First test is not small",
            FlagKind.ADAPT_WITHOUT_NEXT: "“Adapt” with no next cycle",
            FlagKind.OPEN_PAST_END: "Open past its end date",
        }[self]

    @property
    def why(self) -> str:
        """Why this matters, for the coach and the team (the same for every cycle)."""
        return {
            FlagKind.NO_PREDICTION: (
                "Writing down what you expect before the test turns it into learning: "
                "comparing the prediction with what happened shows whether your theory holds."
            ),
            FlagKind.NO_MEASURE: (
                "Linking a measure lets the test appear on its chart, so everyone can see "
                "whether the change made a difference over time."
            ),
            FlagKind.NO_DATA: (
                "Data collected while the test runs is what Study looks at; without it the "
                "team has to rely on impressions."
            ),
            FlagKind.FIRST_TEST_NOT_SMALL: (
                "Starting small (one patient, one shift, one day) keeps the risk and the effort "
                "low and lets you learn and adjust quickly before going bigger."
            ),
            FlagKind.ADAPT_WITHOUT_NEXT: (
                "An “adapt” decision means the change will be tried again in a modified form; "
                "the next cycle is where that learning gets tested."
            ),
            FlagKind.OPEN_PAST_END: (
                "Closing a cycle (Study and Act) while it is fresh captures what was learned "
                "and keeps the ramp moving."
            ),
        }[self]


@dataclass(frozen=True)
class FidelityFlag:
    """One flag on one cycle: its kind, what was noticed (``detail``) and why it matters."""

    cycle_id: str
    kind: FlagKind
    detail: str

    @property
    def title(self) -> str:
        """The flag's heading."""
        return self.kind.heading

    @property
    def explanation(self) -> str:
        """What was noticed, then why it matters."""
        return f"{self.detail} {self.kind.why}"


def _prediction_flag(cycle: PdsaCycle) -> str | None:
    asked = [q for q in cycle.questions if q.text.strip()]
    if not asked:
        return (
            "This cycle has no questions with predictions yet. Add what you want to learn "
            "and what you expect to happen."
        )
    missing = [i for i, q in enumerate(asked, start=1) if not q.prediction.strip()]
    if not missing:
        return None
    if len(missing) == len(asked):
        return "None of this cycle's questions has a prediction yet."
    which = ", ".join(str(i) for i in missing)
    return f"Question {which} of {len(asked)} has no prediction yet."


def _covered(cycle: PdsaCycle, coverage: DataCoverage, today: date) -> bool | None:
    """Whether any linked measure has data over the cycle (``None``: too early to say)."""
    if cycle.start is None or not cycle.measure_ids:
        return None
    finished = cycle.status in (CycleStatus.STUDYING, CycleStatus.DONE)
    if not finished and (cycle.end is None or cycle.end >= today):
        return None
    end = cycle.end or today
    for measure_id in cycle.measure_ids:
        for first, last in coverage.get(measure_id, ()):
            if first <= end and last >= cycle.start:
                return True
    return False


def _has_next(cycle: PdsaCycle, cycles: Sequence[PdsaCycle]) -> bool:
    return any(
        c.id != cycle.id
        and (
            c.previous_cycle_id == cycle.id
            or (c.ramp_id == cycle.ramp_id and c.number > cycle.number)
        )
        for c in cycles
    )


def cycle_flags(
    cycle: PdsaCycle,
    cycles: Sequence[PdsaCycle],
    coverage: DataCoverage,
    today: date,
) -> list[FidelityFlag]:
    """The fidelity flags of ``cycle`` among the project's live ``cycles``.

    ``coverage`` gives, per linked measure, the spans its observations cover; ``today`` decides
    what is overdue. A cycle marked "not run (abandoned)" has no flags.
    """
    if cycle.status is CycleStatus.ABANDONED:
        return []
    flags: list[FidelityFlag] = []

    def flag(kind: FlagKind, detail: str) -> None:
        flags.append(FidelityFlag(cycle.id, kind, detail))

    detail = _prediction_flag(cycle)
    if detail:
        flag(FlagKind.NO_PREDICTION, detail)
    if not cycle.measure_ids:
        flag(FlagKind.NO_MEASURE, "No measure is linked to this cycle yet.")
    elif _covered(cycle, coverage, today) is False:
        flag(
            FlagKind.NO_DATA,
            "The linked measures have no data points between the cycle's start and end dates.",
        )
    scale = cycle.test.scale
    if scale is not None and not scale.small and first_in_ramp(cycle, cycles):
        flag(
            FlagKind.FIRST_TEST_NOT_SMALL,
            f"This is the first cycle of its ramp and it is planned at the scale "
            f"“{scale.label.lower()}”.",
        )
    if cycle.decision is Decision.ADAPT and not _has_next(cycle, cycles):
        flag(
            FlagKind.ADAPT_WITHOUT_NEXT,
            "The team decided to adapt the change, and no next cycle has been started yet.",
        )
    if cycle.status.is_open and cycle.end is not None and cycle.end < today:
        days = (today - cycle.end).days
        flag(
            FlagKind.OPEN_PAST_END,
            f"The end date passed {days} day{'s' if days != 1 else ''} ago and the cycle is "
            f"still marked “{cycle.status.label.lower()}”.",
        )
    return flags


@dataclass(frozen=True)
class ProjectFidelity:
    """The fidelity picture of one project's PDSA work, for a coach.

    ``flags`` holds every cycle's flags in cycle order; the counts describe the method as a
    whole: how many cycles have predictions for all their questions, how many are linked to a
    measure, and how many ramps have more than one cycle (iterative testing).
    """

    cycles: int
    ramps: int
    iterative_ramps: int
    with_predictions: int
    with_measures: int
    flags: tuple[FidelityFlag, ...]

    def counts(self) -> dict[FlagKind, int]:
        """How many cycles carry each kind of flag (kinds with none are left out)."""
        out: dict[FlagKind, int] = {}
        for f in self.flags:
            out[f.kind] = out.get(f.kind, 0) + 1
        return {k: out[k] for k in FlagKind if k in out}

    def for_cycle(self, cycle_id: str) -> list[FidelityFlag]:
        """The flags of one cycle."""
        return [f for f in self.flags if f.cycle_id == cycle_id]

    def summary(self) -> list[str]:
        """Plain sentences for a coach (the first sums up; one more per kind of flag)."""
        if not self.cycles:
            return ["No PDSA cycles yet. The first small test of a change idea starts a ramp."]
        lines = [
            f"{self.cycles} cycle{'s' if self.cycles != 1 else ''} in {self.ramps} "
            f"ramp{'s' if self.ramps != 1 else ''}; {self.iterative_ramps} "
            f"ramp{'s have' if self.iterative_ramps != 1 else ' has'} more than one cycle. "
            f"{self.with_predictions} of {self.cycles} cycles have a prediction for every "
            f"question; {self.with_measures} are linked to a measure."
        ]
        for kind, count in self.counts().items():
            lines.append(f"{kind.heading}: {count} cycle{'s' if count != 1 else ''}. {kind.why}")
        return lines


def project_fidelity(
    cycles: Iterable[PdsaCycle], coverage: DataCoverage, today: date
) -> ProjectFidelity:
    """Every flag of a project's live ``cycles``, with the counts of :class:`ProjectFidelity`."""
    live = [c for c in cycles if not c.meta.deleted]
    grouped = ramps(live)
    ordered = [c for r in grouped for c in r.cycles]
    flags = tuple(f for c in ordered for f in cycle_flags(c, live, coverage, today))
    counted = [c for c in live if c.status is not CycleStatus.ABANDONED]
    return ProjectFidelity(
        cycles=len(live),
        ramps=len(grouped),
        iterative_ramps=sum(1 for r in grouped if len(r.cycles) > 1),
        with_predictions=sum(1 for c in counted if _prediction_flag(c) is None),
        with_measures=sum(1 for c in live if c.measure_ids),
        flags=flags,
    )
