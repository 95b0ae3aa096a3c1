"""PDSA cycles and ramps: the pure model of testing a change (no Qt, no storage).

A **PDSA cycle** (Plan, Do, Study, Act) is one small test of a change idea. Cycles form a
**ramp** (a series): each cycle builds on the one before, usually at a larger scale, until the
change is adopted, abandoned or implemented. The fields follow a merged PDSA worksheet in
qidesk's own wording (mission-anchors §4.3): identity, Plan (objective, questions each with a
prediction and the reasoning behind it, the test, tasks, the data-collection plan), Do, Study
(each prediction against its result and what was learned) and Act (the decision and next steps).

Ramps have no record of their own: every cycle carries its ramp's id and name, so a ramp travels
with its cycles and two sites can never disagree about a ramp that has no cycles. The ramp's
name shown is the one on its latest cycle.

Rules (:func:`cycle_problems`): the end date is not before the start; the previous cycle is in
the same project and ramp, and following "previous cycle" links never comes back to a cycle
(a ramp that loops back on itself); linked change ideas and measures belong to the cycle's
project; a ramp does not have two live cycles with the same number.

Fidelity flags for coaches live in :mod:`qidesk.core.fidelity`.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum

from qidesk.core.errors import ValidationError
from qidesk.core.measures import Annotation, AnnotationKind
from qidesk.core.records import RecordMeta, new_id

#: longest ramp name (a ramp is named, not described)
MAX_RAMP_NAME = 120

_ANNOTATION_NAMESPACE = uuid.UUID("5d0c9a8e-2f4b-4c71-8e36-b1a7d3c59e02")


class Purpose(StrEnum):
    """What a cycle is for (the usual order along a ramp)."""

    COLLECT = "collect"
    DEVELOP = "develop"
    TEST = "test"
    IMPLEMENT = "implement"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            Purpose.COLLECT: "Collect information",
            Purpose.DEVELOP: "Develop a change",
            Purpose.TEST: "Test a change",
            Purpose.IMPLEMENT: "Implement a change",
        }[self]


class CycleStatus(StrEnum):
    """Where a cycle stands."""

    PLANNED = "planned"
    RUNNING = "running"
    STUDYING = "studying"
    DONE = "done"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            CycleStatus.PLANNED: "Planned",
            CycleStatus.RUNNING: "Running",
            CycleStatus.STUDYING: "Studying the results",
            CycleStatus.DONE: "Done",
            CycleStatus.ABANDONED: "Not run (abandoned)",
        }[self]

    @property
    def is_open(self) -> bool:
        """True while the cycle is neither done nor abandoned."""
        return self not in (CycleStatus.DONE, CycleStatus.ABANDONED)


class TestScale(StrEnum):
    """How big the test is, smallest first."""

    __test__ = False  # not a pytest test class, whatever its name

    ONE_PATIENT = "one_patient"
    ONE_SHIFT = "one_shift"
    ONE_DAY = "one_day"
    ONE_WARD = "one_ward"
    LARGER = "larger"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            TestScale.ONE_PATIENT: "One patient",
            TestScale.ONE_SHIFT: "One shift",
            TestScale.ONE_DAY: "One day",
            TestScale.ONE_WARD: "One ward or team",
            TestScale.LARGER: "Larger (several wards or the service)",
        }[self]

    @property
    def rank(self) -> int:
        """0 for the smallest scale, 4 for the largest (the height of a step in a ramp)."""
        return list(TestScale).index(self)

    @property
    def small(self) -> bool:
        """True for the scales a first test should start at (a patient, a shift, a day)."""
        return self.rank <= TestScale.ONE_DAY.rank

    def stepped_up(self) -> TestScale:
        """The next larger scale (the largest stays the largest)."""
        scales = list(TestScale)
        return scales[min(self.rank + 1, len(scales) - 1)]


class Confirmation(StrEnum):
    """Whether a prediction held."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            Confirmation.YES: "Yes, as predicted",
            Confirmation.PARTLY: "Partly",
            Confirmation.NO: "No, not as predicted",
        }[self]


class Improvement(StrEnum):
    """Study: did the change lead to an improvement?"""

    YES = "yes"
    NO = "no"
    UNCLEAR = "unclear"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            Improvement.YES: "Yes",
            Improvement.NO: "No",
            Improvement.UNCLEAR: "Not clear yet",
        }[self]


class Decision(StrEnum):
    """Act: what the team decided to do with the change after this cycle."""

    ADOPT = "adopt"
    ADAPT = "adapt"
    ABANDON = "abandon"
    SCALE_UP = "scale_up"
    IMPLEMENT = "implement"
    SPREAD = "spread"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {
            Decision.ADOPT: "Adopt",
            Decision.ADAPT: "Adapt (change it and test again)",
            Decision.ABANDON: "Abandon",
            Decision.SCALE_UP: "Scale up (test at a larger scale)",
            Decision.IMPLEMENT: "Implement",
            Decision.SPREAD: "Spread",
        }[self]

    @property
    def short(self) -> str:
        """One word for tight places (timelines, tables)."""
        return {
            Decision.ADOPT: "Adopt",
            Decision.ADAPT: "Adapt",
            Decision.ABANDON: "Abandon",
            Decision.SCALE_UP: "Scale up",
            Decision.IMPLEMENT: "Implement",
            Decision.SPREAD: "Spread",
        }[self]


@dataclass(frozen=True)
class Question:
    """A question the cycle sets out to answer, its prediction, and (in Study) what happened."""

    text: str = ""
    prediction: str = ""
    reasoning: str = ""
    result: str = ""
    learning: str = ""
    confirmed: Confirmation | None = None
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    @property
    def blank(self) -> bool:
        """True when nothing at all has been written in it."""
        return not any(
            part.strip()
            for part in (self.text, self.prediction, self.reasoning, self.result, self.learning)
        ) and (self.confirmed is None)


@dataclass(frozen=True)
class Task:
    """Something to get ready before or during the test."""

    text: str = ""
    who: str = ""
    due: date | None = None
    done: bool = False
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)


@dataclass(frozen=True)
class TestPlan:
    """Plan: the test itself — what, who, where, when, and at what scale."""

    __test__ = False  # not a pytest test class, whatever its name

    what: str = ""
    who: str = ""
    where: str = ""
    when: str = ""
    scale: TestScale | None = None
    scale_detail: str = ""


@dataclass(frozen=True)
class PdsaCycle:
    """One PDSA cycle. Immutable: edits make a new value (:meth:`with_changes`).

    Identity: ``ramp_id``/``ramp_name``/``number`` place the cycle in its ramp and
    ``previous_cycle_id`` links it to the cycle it builds on. Plan: ``objective``,
    ``questions``, ``test``, ``tasks``, ``data_plan``. Do: ``what_happened``, ``problems``,
    ``deviations``. Study: each question's result and learning, ``improved`` and
    ``study_summary``. Act: ``decision`` and ``next_steps``.
    """

    project_id: str
    ramp_id: str = field(default_factory=new_id)
    ramp_name: str = ""
    number: int = 1
    previous_cycle_id: str | None = None
    change_idea_ids: tuple[str, ...] = ()
    measure_ids: tuple[str, ...] = ()
    purpose: Purpose = Purpose.TEST
    owner: str = ""
    start: date | None = None
    end: date | None = None
    status: CycleStatus = CycleStatus.PLANNED
    # Plan
    objective: str = ""
    questions: tuple[Question, ...] = ()
    test: TestPlan = field(default_factory=TestPlan)
    tasks: tuple[Task, ...] = ()
    data_plan: str = ""
    # Do
    what_happened: str = ""
    problems: str = ""
    deviations: str = ""
    # Study
    improved: Improvement | None = None
    study_summary: str = ""
    # Act
    decision: Decision | None = None
    next_steps: str = ""
    id: str = field(default_factory=new_id)
    meta: RecordMeta = field(default_factory=RecordMeta)

    def with_changes(self, **changes: object) -> PdsaCycle:
        """A copy with the given fields changed (check it with :func:`cycle_problems`)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def label(self) -> str:
        """``"<ramp> #<n>"``: how the cycle is named in lists, charts and exports."""
        return f"{self.ramp_name.strip() or 'Ramp'} #{self.number}"

    @property
    def title(self) -> str:
        """The label and the objective, for lists."""
        objective = " ".join(self.objective.split())
        return f"{self.label}: {objective}" if objective else f"{self.label} (no objective yet)"

    def free_text(self) -> list[tuple[str, str]]:
        """Every free-text field as ``(label, text)``, for the patient-identifier guard."""
        out = [
            ("Ramp name", self.ramp_name),
            ("Owner", self.owner),
            ("Objective", self.objective),
            ("Test: what", self.test.what),
            ("Test: who", self.test.who),
            ("Test: where", self.test.where),
            ("Test: when", self.test.when),
            ("Test: scale detail", self.test.scale_detail),
            ("Data-collection plan", self.data_plan),
            ("What happened", self.what_happened),
            ("Problems", self.problems),
            ("Deviations from the plan", self.deviations),
            ("Study summary", self.study_summary),
            ("Next steps", self.next_steps),
        ]
        for i, q in enumerate(self.questions, start=1):
            out += [
                (f"Question {i}", q.text),
                (f"Question {i}: prediction", q.prediction),
                (f"Question {i}: reasoning", q.reasoning),
                (f"Question {i}: result", q.result),
                (f"Question {i}: learning", q.learning),
            ]
        for i, t in enumerate(self.tasks, start=1):
            out += [(f"Task {i}", t.text), (f"Task {i}: who", t.who)]
        return out


def same_cycle(a: PdsaCycle, b: PdsaCycle) -> bool:
    """True when ``a`` and ``b`` hold the same content (record metadata aside)."""

    def key(c: PdsaCycle) -> PdsaCycle:
        return replace(
            c,
            meta=RecordMeta(),
            questions=tuple(replace(q, meta=RecordMeta()) for q in c.questions),
            tasks=tuple(replace(t, meta=RecordMeta()) for t in c.tasks),
            change_idea_ids=tuple(sorted(set(c.change_idea_ids))),
            measure_ids=tuple(sorted(set(c.measure_ids))),
        )

    return key(a) == key(b)


# ---------------------------------------------------------------------- validation


def _ordinal(i: int) -> str:
    return f"question {i + 1}"


def _count(items: Collection[str], noun: str) -> str:
    return f"a {noun} is" if len(items) == 1 else f"{len(items)} {noun}s are"


def cycle_problems(
    cycle: PdsaCycle,
    *,
    others: Iterable[PdsaCycle] = (),
    change_idea_ids: Collection[str] | None = None,
    measure_ids: Collection[str] | None = None,
) -> dict[str, str]:
    """Every reason ``cycle`` cannot be saved, keyed by field name (empty = valid).

    ``others`` are the project's other live cycles (for the ramp rules; ``cycle`` itself is
    ignored among them). ``change_idea_ids`` and ``measure_ids`` are the ids that belong to the
    cycle's project; ``None`` skips that check.
    """
    problems: dict[str, str] = {}
    name = " ".join(cycle.ramp_name.split())
    if not name:
        problems["ramp_name"] = "give the ramp a name (for example the change idea it tests)"
    elif len(name) > MAX_RAMP_NAME:
        problems["ramp_name"] = f"keep the ramp name under {MAX_RAMP_NAME} characters"
    if cycle.number < 1:
        problems["number"] = "the cycle number starts at 1"
    if cycle.start is not None and cycle.end is not None and cycle.end < cycle.start:
        problems["end"] = "the end date is before the start date"
    peers = {c.id: c for c in others if c.id != cycle.id and not c.meta.deleted}
    problems.update(_ramp_problems(cycle, peers))
    if change_idea_ids is not None:
        foreign = [i for i in cycle.change_idea_ids if i not in change_idea_ids]
        if foreign:
            problems["change_idea_ids"] = (
                f"{_count(foreign, 'linked change idea')} not among this project's change "
                "ideas (it may belong to another project); link only this project's change ideas"
            )
    if measure_ids is not None:
        foreign = [i for i in cycle.measure_ids if i not in measure_ids]
        if foreign:
            problems["measure_ids"] = (
                f"{_count(foreign, 'linked measure')} not among this project's measures "
                "(it may belong to another project); link only this project's measures"
            )
    for i, q in enumerate(cycle.questions):
        if not q.text.strip() and not q.blank:
            problems[f"questions[{i}]"] = f"{_ordinal(i)} has no question written"
    for i, t in enumerate(cycle.tasks):
        if not t.text.strip() and (t.who.strip() or t.due is not None or t.done):
            problems[f"tasks[{i}]"] = f"task {i + 1} says who or when but not what"
    return problems


def _ramp_problems(cycle: PdsaCycle, peers: Mapping[str, PdsaCycle]) -> dict[str, str]:
    problems: dict[str, str] = {}
    same_ramp = [c for c in peers.values() if c.ramp_id == cycle.ramp_id]
    if any(c.number == cycle.number for c in same_ramp):
        problems["number"] = f"this ramp already has a cycle #{cycle.number}"
    prev_id = cycle.previous_cycle_id
    if prev_id is None:
        return problems
    if prev_id == cycle.id:
        problems["previous_cycle_id"] = "a cycle cannot come after itself"
        return problems
    previous = peers.get(prev_id)
    if previous is None:
        problems["previous_cycle_id"] = (
            "the previous cycle is not one of this project's cycles (it may have been deleted)"
        )
        return problems
    if previous.project_id != cycle.project_id:
        problems["previous_cycle_id"] = "the previous cycle belongs to another project"
    elif previous.ramp_id != cycle.ramp_id:
        problems["previous_cycle_id"] = (
            f"the previous cycle ({previous.label}) is in another ramp; a cycle follows one "
            "of its own ramp"
        )
    elif loop := _loop_through(cycle, peers):
        problems["previous_cycle_id"] = (
            "this would make the ramp loop back on itself ("
            + " → ".join(loop)
            + "); choose an earlier cycle"
        )
    return problems


def _loop_through(cycle: PdsaCycle, peers: Mapping[str, PdsaCycle]) -> list[str]:
    """The labels along a loop of previous-cycle links that returns to ``cycle`` ([] if none).

    Also stops (with no loop reported) at a loop among other cycles that ``cycle`` merely
    leads into; that loop is theirs and is refused when one of them is saved.
    """
    path = [cycle.label]
    seen = {cycle.id}
    current: str | None = cycle.previous_cycle_id
    while current is not None and current in peers:
        node = peers[current]
        path.append(node.label)
        if node.previous_cycle_id == cycle.id:
            return [*path, cycle.label]
        if node.id in seen:
            return []
        seen.add(node.id)
        current = node.previous_cycle_id
    return []


def validate_cycle(
    cycle: PdsaCycle,
    *,
    others: Iterable[PdsaCycle] = (),
    change_idea_ids: Collection[str] | None = None,
    measure_ids: Collection[str] | None = None,
) -> PdsaCycle:
    """Return ``cycle`` or raise :class:`ValidationError` naming each bad field."""
    problems = cycle_problems(
        cycle, others=others, change_idea_ids=change_idea_ids, measure_ids=measure_ids
    )
    if problems:
        raise ValidationError(problems)
    return cycle


# ---------------------------------------------------------------------- the next cycle

_NEXT_PURPOSE = {
    Purpose.COLLECT: Purpose.DEVELOP,
    Purpose.DEVELOP: Purpose.TEST,
    Purpose.TEST: Purpose.TEST,
    Purpose.IMPLEMENT: Purpose.IMPLEMENT,
}


def next_purpose(cycle: PdsaCycle) -> Purpose:
    """The purpose the next cycle starts with, from this cycle's purpose and Act decision.

    Adapting retests the same thing (a first look at information becomes developing); adopting
    or scaling up moves one step along collect → develop → test; implementing or spreading
    makes the next cycle an implementation.
    """
    decision = cycle.decision
    if decision in (Decision.IMPLEMENT, Decision.SPREAD):
        return Purpose.IMPLEMENT
    if decision in (Decision.ADOPT, Decision.SCALE_UP):
        return _NEXT_PURPOSE[cycle.purpose]
    if cycle.purpose is Purpose.COLLECT:
        return Purpose.DEVELOP
    return cycle.purpose


def next_scale(cycle: PdsaCycle) -> TestScale | None:
    """The scale the next cycle is planned at.

    Adapt or abandon: the same scale (change it and retest before going bigger). Adopt or scale
    up: one step larger. Implement: at least a ward. Spread: larger. No decision yet: the same.
    """
    scale = cycle.test.scale
    decision = cycle.decision
    if decision is Decision.SPREAD:
        return TestScale.LARGER
    if decision is Decision.IMPLEMENT:
        if scale is None or scale.rank < TestScale.ONE_WARD.rank:
            return TestScale.ONE_WARD
        return scale
    if decision in (Decision.ADOPT, Decision.SCALE_UP) and scale is not None:
        return scale.stepped_up()
    return scale


def next_cycle(cycle: PdsaCycle, *, number: int | None = None) -> PdsaCycle:
    """The next cycle of ``cycle``'s ramp, linked and pre-filled ("start next cycle").

    Same ramp, number + 1 (or ``number``: the service passes one past the ramp's highest),
    linked to ``cycle`` as its previous one; the change ideas, measures, owner, test and
    data-collection plan are copied; purpose and scale step up as :func:`next_purpose` and
    :func:`next_scale` say; the Act next steps become the objective; each question is asked
    again with the learning as its new prediction; unfinished tasks carry over. The dates
    follow on from ``cycle``'s, for as long as it ran. Do, Study and Act start empty.
    """
    questions = tuple(
        Question(
            text=q.text,
            prediction=q.learning.strip() or q.prediction,
            reasoning=(
                f"Learned in {cycle.label}: {q.learning.strip()}"
                if q.learning.strip()
                else q.reasoning
            ),
        )
        for q in cycle.questions
        if q.text.strip()
    )
    tasks = tuple(Task(text=t.text, who=t.who) for t in cycle.tasks if not t.done and t.text)
    start = end = None
    if cycle.end is not None:
        start = cycle.end + timedelta(days=1)
        length = (cycle.end - cycle.start).days if cycle.start is not None else 0
        end = start + timedelta(days=max(length, 0))
    scale = next_scale(cycle)
    test = replace(
        cycle.test,
        scale=scale,
        scale_detail=cycle.test.scale_detail if scale == cycle.test.scale else "",
    )
    return PdsaCycle(
        project_id=cycle.project_id,
        ramp_id=cycle.ramp_id,
        ramp_name=cycle.ramp_name,
        number=number if number is not None else cycle.number + 1,
        previous_cycle_id=cycle.id,
        change_idea_ids=cycle.change_idea_ids,
        measure_ids=cycle.measure_ids,
        purpose=next_purpose(cycle),
        owner=cycle.owner,
        start=start,
        end=end,
        status=CycleStatus.PLANNED,
        objective=cycle.next_steps.strip() or cycle.objective,
        questions=questions,
        test=test,
        tasks=tasks,
        data_plan=cycle.data_plan,
    )


# ---------------------------------------------------------------------- ramps


@dataclass(frozen=True)
class Ramp:
    """The cycles of one ramp in order (by number, then start date)."""

    ramp_id: str
    name: str
    cycles: tuple[PdsaCycle, ...]

    @property
    def change_idea_ids(self) -> tuple[str, ...]:
        """Every change idea any of its cycles tests, in first-seen order."""
        seen: dict[str, None] = {}
        for c in self.cycles:
            for i in c.change_idea_ids:
                seen.setdefault(i, None)
        return tuple(seen)

    @property
    def latest(self) -> PdsaCycle:
        """The cycle with the highest number."""
        return self.cycles[-1]

    @property
    def next_number(self) -> int:
        """The number a new cycle of this ramp gets."""
        return max(c.number for c in self.cycles) + 1


def _cycle_order(c: PdsaCycle) -> tuple[int, date, str]:
    return (c.number, c.start or date.max, c.id)


def ramps(cycles: Iterable[PdsaCycle]) -> list[Ramp]:
    """The live cycles grouped into ramps; ramps ordered by their first start date, then name.

    A ramp is named after its latest cycle's ``ramp_name``.
    """
    groups: dict[str, list[PdsaCycle]] = {}
    for c in cycles:
        if not c.meta.deleted:
            groups.setdefault(c.ramp_id, []).append(c)
    out = []
    for ramp_id, members in groups.items():
        members.sort(key=_cycle_order)
        out.append(Ramp(ramp_id, members[-1].ramp_name, tuple(members)))

    def first_start(r: Ramp) -> date:
        return min((c.start for c in r.cycles if c.start is not None), default=date.max)

    out.sort(key=lambda r: (first_start(r), r.name.casefold(), r.ramp_id))
    return out


def first_in_ramp(cycle: PdsaCycle, ramp_cycles: Sequence[PdsaCycle]) -> bool:
    """True when ``cycle`` is the first test of its ramp (no previous, lowest number)."""
    if cycle.previous_cycle_id is not None and any(
        c.id == cycle.previous_cycle_id for c in ramp_cycles
    ):
        return False
    return all(c.number >= cycle.number for c in ramp_cycles if c.ramp_id == cycle.ramp_id)


@dataclass(frozen=True)
class TimelineBar:
    """One cycle on a ramp's timeline, as plain numbers for a view.

    ``x0``/``x1`` are days from the timeline's first day (``x1`` is exclusive: a one-day cycle
    is one unit wide). ``level`` is the scale's rank (0 = one patient … 4 = larger), or -1 when
    the scale was not said. ``dated`` is False when the cycle has no start date; it is then
    placed after the dated ones, one week wide, and drawn as "not scheduled".
    """

    cycle_id: str
    number: int
    label: str
    x0: int
    x1: int
    level: int
    scale: TestScale | None
    decision: Decision | None
    status: CycleStatus
    dated: bool


@dataclass(frozen=True)
class RampTimeline:
    """A ramp laid out in time: ``first_day`` is day 0, ``days`` the width, bars in order."""

    ramp_id: str
    name: str
    first_day: date
    days: int
    bars: tuple[TimelineBar, ...]

    def date_of(self, x: int) -> date:
        """The date at day offset ``x``."""
        return self.first_day + timedelta(days=x)


def ramp_timeline(ramp: Ramp, today: date) -> RampTimeline:
    """Lay ``ramp`` out on a time axis.

    A cycle without an end runs to ``today`` while open (or lasts one day when closed); a cycle
    without a start is placed after the others, one week wide.
    """
    dated = [c for c in ramp.cycles if c.start is not None]
    first = min((c.start for c in dated if c.start is not None), default=today)
    bars: list[TimelineBar] = []
    last = 0
    for c in ramp.cycles:
        if c.start is None:
            continue
        end = c.end or (max(today, c.start) if c.status.is_open else c.start)
        x0 = (c.start - first).days
        x1 = max((end - first).days + 1, x0 + 1)
        last = max(last, x1)
        bars.append(_bar(c, x0, x1, dated=True))
    for c in ramp.cycles:
        if c.start is None:
            bars.append(_bar(c, last, last + 7, dated=False))
            last += 7
    bars.sort(key=lambda b: (b.number, b.x0))
    return RampTimeline(ramp.ramp_id, ramp.name, first, max(last, 1), tuple(bars))


def _bar(c: PdsaCycle, x0: int, x1: int, *, dated: bool) -> TimelineBar:
    scale = c.test.scale
    return TimelineBar(
        c.id, c.number, f"#{c.number}", x0, x1, scale.rank if scale else -1, scale,
        c.decision, c.status, dated,
    )  # fmt: skip


def timeline_text(timeline: RampTimeline) -> str:
    """The ramp timeline as plain sentences, one cycle a line (the view's text alternative)."""
    lines = [f"Ramp “{timeline.name}”: {len(timeline.bars)} cycle(s)."]
    for bar in timeline.bars:
        if bar.dated:
            start = timeline.date_of(bar.x0)
            end = timeline.date_of(bar.x1 - 1)
            when = f"{_day(start)} to {_day(end)}" if end != start else _day(start)
        else:
            when = "no dates yet"
        scale = bar.scale.label.lower() if bar.scale else "scale not given"
        act = f"Act: {bar.decision.short.lower()}" if bar.decision else "no Act decision yet"
        lines.append(f"Cycle {bar.label}, {when}, {scale}, {bar.status.label.lower()}, {act}.")
    return "\n".join(lines)


def _day(d: date) -> str:
    return f"{d.day} {d.strftime('%b %Y')}"


# ---------------------------------------------------------------------- chart annotations


def annotation_id(cycle_id: str, kind: AnnotationKind, measure_id: str) -> str:
    """The stable id of a cycle's start or end marker on one measure's chart."""
    return str(uuid.uuid5(_ANNOTATION_NAMESPACE, f"{cycle_id}/{kind.value}/{measure_id}"))


def cycle_annotations(cycle: PdsaCycle, measure_id: str) -> list[Annotation]:
    """The markers a cycle puts on the chart of ``measure_id`` (virtual: never stored).

    "PDSA <ramp> #<n> started: <objective>" at the start date and "… ended: …" at the end date
    (a date not yet set gives no marker). Their ids come from the cycle, the kind and the
    measure, so they stay the same from one drawing to the next.
    """
    if measure_id not in cycle.measure_ids or cycle.meta.deleted:
        return []
    objective = " ".join(cycle.objective.split()) or "no objective written"
    out = []
    for kind, when, verb in (
        (AnnotationKind.TEST_START, cycle.start, "started"),
        (AnnotationKind.TEST_END, cycle.end, "ended"),
    ):
        if when is not None:
            out.append(
                Annotation(
                    measure_id=measure_id,
                    period=when,
                    text=f"PDSA {cycle.label} {verb}: {objective}",
                    kind=kind,
                    pdsa_id=cycle.id,
                    id=annotation_id(cycle.id, kind, measure_id),
                )
            )
    return out
