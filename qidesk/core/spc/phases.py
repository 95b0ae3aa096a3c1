"""Phases (qicharts2 parts, NHSRplotthedots rebase groups) and the before/after summary.

* qicharts2 ``part = k`` splits *after* point ``k`` (spec 2.1);
* NHSRplotthedots ``rebase = date`` starts a new group *at* that date (spec 3.1).

Both become a list of 0-based start positions; each phase is computed independently.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice, pairwise

from qidesk.core.spc.mdc import group_numbers
from qidesk.core.spc.results import PhaseSummary, SpcResult
from qidesk.core.spc.types import PointType

__all__ = ["PhaseChange", "before_after", "phase_bounds", "phase_changes"]


def phase_bounds(
    length: int,
    *,
    parts: Sequence[int] | None = None,
    dates: Sequence[date] | None = None,
    rebase: Sequence[date] | None = None,
    exact_rebase: bool = False,
) -> list[tuple[int, int]]:
    """``(start, stop)`` of each phase of a series of ``length`` points.

    ``parts`` as qicharts2 (split after point k; values outside ``1 .. length - 1``
    are ignored, spec 2.1), ``rebase`` dates as NHSRplotthedots (the date starts the
    new phase, spec 3.1; needs ``dates``; ``exact_rebase`` as in
    :func:`~qidesk.core.spc.mdc.group_numbers`). Both may be given; their splits are
    merged.

    Raises:
        ValueError: ``rebase`` without ``dates``, or ``dates`` of the wrong length
            or not in time order.

    """
    if dates is not None and any(map(operator.lt, islice(dates, 1, None), dates)):
        raise ValueError("dates must be in time order")
    starts = {k for k in (parts or ()) if 0 < k < length}
    if rebase:
        if dates is None or len(dates) != length:
            raise ValueError("rebase dates need one date per point")
        groups = group_numbers(dates, rebase, exact=exact_rebase)
        starts |= {i for i in range(1, length) if groups[i] != groups[i - 1]}
    if length == 0:
        return []
    edges = [0, *sorted(starts), length]
    return list(pairwise(edges))


@dataclass(frozen=True)
class PhaseChange:
    """How a process changed from one phase to the next (the MDC "before/after" view).

    Differences are ``after - before``; ``None`` when either side is undefined.
    ``relative_change`` is the change of the centre as a fraction of the old centre.
    """

    before: PhaseSummary
    after: PhaseSummary
    centre_change: float | None
    relative_change: float | None
    width_before: float | None
    width_after: float | None
    narrower: bool | None
    variation_before: PointType
    variation_after: PointType


def _width(phase: PhaseSummary) -> float | None:
    """Distance between the phase's control limits, ``None`` when either is undefined."""
    if phase.lcl is None or phase.ucl is None:
        return None
    return phase.ucl - phase.lcl


def _change(before: PhaseSummary, after: PhaseSummary) -> PhaseChange:
    """Compare two consecutive phases."""
    centre = None if before.cl is None or after.cl is None else after.cl - before.cl
    relative = None if centre is None or not before.cl else centre / abs(before.cl)
    width_before, width_after = _width(before), _width(after)
    narrower = None
    if width_before is not None and width_after is not None:
        narrower = width_after < width_before
    return PhaseChange(
        before,
        after,
        centre,
        relative,
        width_before,
        width_after,
        narrower,
        before.variation_type,
        after.variation_type,
    )


def phase_changes(result: SpcResult) -> tuple[PhaseChange, ...]:
    """Before/after comparison of every pair of consecutive phases (MDC rebasing, spec 3.1).

    The centre and limits compared are those of each phase's first point.
    """
    return tuple(_change(a, b) for a, b in pairwise(result.phases))


def before_after(result: SpcResult) -> PhaseChange | None:
    """The MDC "before/after" summary: the last phase against the one before it.

    ``None`` when the chart has a single phase.
    """
    changes = phase_changes(result)
    return changes[-1] if changes else None
