"""Making Data Count variation and assurance icons (spec 3.5 and 3.6).

Sources: NHSRplotthedots 0.2.2 ``ptd_get_icons`` and ``ptd_calculate_assurance_type``.
The file names are the package's own, used as stable identifiers of the icon kinds.
"""

from __future__ import annotations

import math

from qidesk.core.spc.results import Icons
from qidesk.core.spc.types import AssuranceType, Direction, PointType

__all__ = ["assurance_icon_file", "assurance_type", "icons_for", "variation_icon_file"]


def variation_icon_file(point_type: PointType, direction: Direction) -> str:
    """Variation icon of a chart from its last point's type (spec 3.5 table)."""
    increase = direction is Direction.INCREASE
    return {
        PointType.COMMON_CAUSE: "common_cause.svg",
        PointType.NEUTRAL_HIGH: "neutral_high.svg",
        PointType.NEUTRAL_LOW: "neutral_low.svg",
        PointType.CONCERN: "concern_low.svg" if increase else "concern_high.svg",
        PointType.IMPROVEMENT: "improvement_high.svg" if increase else "improvement_low.svg",
    }[point_type]


def assurance_type(
    target: float | None, lower: float | None, upper: float | None, direction: Direction
) -> AssuranceType | None:
    """Assurance against ``target`` using the last point's limits (spec 3.6 table).

    Target above the upper limit: fail if higher is better, pass if lower is better;
    below the lower limit: the reverse; otherwise, including equality and undefined
    limits, inconsistent. No target or a neutral direction: ``None``.
    """
    if target is None or math.isnan(target) or direction is Direction.NEUTRAL:
        return None
    increase = direction is Direction.INCREASE
    if upper is not None and target > upper:
        return AssuranceType.CONSISTENT_FAIL if increase else AssuranceType.CONSISTENT_PASS
    if lower is not None and target < lower:
        return AssuranceType.CONSISTENT_PASS if increase else AssuranceType.CONSISTENT_FAIL
    return AssuranceType.INCONSISTENT


def assurance_icon_file(kind: AssuranceType | None) -> str | None:
    """Assurance icon file name (``pass.svg``, ``fail.svg``, ``inconsistent.svg``) or ``None``."""
    if kind is None:
        return None
    return {
        AssuranceType.CONSISTENT_PASS: "pass.svg",
        AssuranceType.CONSISTENT_FAIL: "fail.svg",
        AssuranceType.INCONSISTENT: "inconsistent.svg",
    }[kind]


def icons_for(
    last_type: PointType,
    direction: Direction,
    target: float | None,
    lower: float | None,
    upper: float | None,
) -> Icons:
    """Both icons of a chart from its last point (type, limits, target; spec 3.5-3.6)."""
    kind = assurance_type(target, lower, upper, direction)
    return Icons(
        last_type, variation_icon_file(last_type, direction), kind, assurance_icon_file(kind)
    )
