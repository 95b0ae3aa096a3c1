"""Western Electric zone rules for Shewhart charts.

Source: Western Electric Co., *Statistical Quality Control Handbook* (1956); also
D C Montgomery, *Introduction to Statistical Quality Control*, section 5.3.6.

* Rule 1: one point beyond a 3-sigma limit (the shared "outside limits" rule).
* Rule 2: 2 of 3 consecutive points beyond the same 2-sigma line.
* Rule 3: 4 of 5 consecutive points beyond the same 1-sigma line.
* Rule 4: 8 points in a row on one side of the centre line (see
  :func:`qidesk.core.spc.mdc.shift_signals`, which also serves this rule).

Only the points beyond the line in a qualifying window are flagged; a window with
a missing point does not qualify (as for the MDC rules).
"""

from __future__ import annotations

import numpy as np

from qidesk.core.spc.arrays import FloatArray, window_hits
from qidesk.core.spc.results import Signal, dense_signals
from qidesk.core.spc.types import RuleId
from qidesk.core.spc.wording import side_word

__all__ = ["zone_signals", "zone_signals_at"]


def zone_signals_at(
    seq: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    *,
    sigmas: int,
    hits: int,
    window: int,
    rule: RuleId,
) -> dict[int, Signal]:
    """:func:`zone_signals` at the points where it fires (keyed by index)."""
    found: dict[int, Signal] = {}
    present = ~np.isnan(seq)
    for direction, beyond in ((1, seq > upper), (-1, seq < lower)):
        flagged = window_hits(present, beyond, window, hits)
        word = side_word(direction)
        signal = Signal(
            rule,
            f"{hits} of {window} Beyond {sigmas} Sigma ({word.capitalize()})",
            f"{hits} of the last {window} points beyond {sigmas} sigma, {word}",
            direction,
        )
        found.update(dict.fromkeys(np.flatnonzero(flagged).tolist(), signal))
    return found


def zone_signals(
    seq: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    *,
    sigmas: int,
    hits: int,
    window: int,
    rule: RuleId,
) -> list[Signal | None]:
    """``hits`` of ``window`` consecutive points beyond the same ``sigmas``-sigma line.

    WE rule 2 is ``sigmas=2, hits=2, window=3``; rule 3 ``sigmas=1, hits=4, window=5``.
    """
    found = zone_signals_at(seq, lower, upper, sigmas=sigmas, hits=hits, window=window, rule=rule)
    return dense_signals(found, seq.size)
