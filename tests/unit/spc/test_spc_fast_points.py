"""The fast paths of the engine build the same results as the plain ones.

``spc_points`` fills each point's ``__dict__`` instead of calling the dataclass
``__init__``; the rules report only the points where they fire (``*_at``) and the
per-point lists are made from that. These tests pin both down.
"""

from __future__ import annotations

import dataclasses
import gc
import pickle
from typing import Any

import numpy as np
import pytest

from qidesk.core.spc import Direction, Preset, SpcPoint, analyse
from qidesk.core.spc.mdc import shift_signals, shift_signals_at
from qidesk.core.spc.results import dense_signals, spc_points
from qidesk.core.spc.types import RuleId

SHIFTED = [10.0, 11, 9, 10, 12, 10, 9, 11, 10, 10, 15, 16, 15, 17, 16, 15, 16, 18, 40, 10]


def _rows(points: tuple[SpcPoint, ...]) -> list[tuple[Any, ...]]:
    return [tuple(getattr(p, f.name) for f in dataclasses.fields(SpcPoint)) for p in points]


def test_spc_point_keeps_what_the_fast_builder_relies_on() -> None:
    assert not hasattr(SpcPoint, "__post_init__")
    assert not hasattr(SpcPoint, "__slots__")
    assert all(
        f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        for f in dataclasses.fields(SpcPoint)
    )


@pytest.mark.parametrize("preset", list(Preset))
def test_fast_points_are_the_points_init_builds(preset: Preset) -> None:
    result = analyse(SHIFTED, chart="i", preset=preset, direction=Direction.INCREASE, parts=[9])
    rows = _rows(result.points)
    fast, plain = spc_points(rows), [SpcPoint(*row) for row in rows]
    assert fast == plain
    assert [hash(p) for p in fast] == [hash(p) for p in plain]
    assert [repr(p) for p in fast] == [repr(p) for p in plain]
    assert [list(vars(p)) for p in fast] == [list(vars(p)) for p in plain]
    assert pickle.loads(pickle.dumps(fast)) == plain
    assert dataclasses.replace(fast[0], value=1.0) == dataclasses.replace(plain[0], value=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast[0].value = 1.0  # type: ignore[misc]
    assert any(p.signals for p in fast)


def test_fast_points_leave_the_cycle_collector_as_they_found_it() -> None:
    rows = _rows(analyse(SHIFTED).points)
    assert gc.isenabled()
    spc_points(rows)
    assert gc.isenabled()
    gc.disable()
    try:
        spc_points(rows)
        assert not gc.isenabled()
    finally:
        gc.enable()
    with pytest.raises(ValueError, match="shorter"):  # a row of the wrong length is a bug
        spc_points([rows[0][:-1]])
    assert gc.isenabled()


def test_signals_where_rules_fire_and_per_point_agree() -> None:
    side = np.array([1.0] * 8 + [0.0] + [-1.0] * 7 + [np.nan, 1.0])
    found = shift_signals_at(side, 7, RuleId.MDC_SHIFT, "mean")
    per_point = shift_signals(side, 7, RuleId.MDC_SHIFT, "mean")
    assert per_point == dense_signals(found, side.size)
    assert sorted(found) == [i for i, s in enumerate(per_point) if s is not None]
    # points with the same reason share one signal
    assert found[0] is found[5]
    assert found[6] is not found[7]
    assert found[6].reason == "7th point in a row above the mean"
