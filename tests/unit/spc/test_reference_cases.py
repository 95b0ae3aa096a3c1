"""Every reference case under ``shared/reference/`` recomputed by qidesk and compared.

Numbers at 1e-9 relative tolerance (1e-12 absolute near zero), booleans and labels
exactly, ``null`` == ``None``. One test per case and computation label, so a failure
names exactly what differs. Where the oracle errored (NHSRplotthedots 0.2.2 on a
missing value inside a trend window) qidesk must return a sensible result instead.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from qidesk.core.spc.reference import derived_ihi, nhsrplotthedots, qicharts2, recompute

REPO = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("QIDESK_SHARED", REPO.parent / "shared"))
REFERENCE = SHARED / "reference"
REL_TOL = 1e-9
ABS_TOL = 1e-12


def _case_files() -> list[Path]:
    return sorted(p for p in REFERENCE.rglob("*.json") if p.name != "manifest.json")


@cache
def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _params() -> list[Any]:
    params = []
    for path in _case_files():
        case = _load(path)
        for block in ("qicharts2", "NHSRplotthedots"):
            for computation in case.get(block) or []:
                params.append(
                    pytest.param(
                        path,
                        block,
                        computation["label"],
                        id=f"{path.stem}-{block}-{computation['label']}",
                    )
                )
        if case.get("derived_ihi") is not None:
            params.append(pytest.param(path, "derived_ihi", None, id=f"{path.stem}-derived_ihi"))
    return params


def assert_same(expected: Any, actual: Any, where: str = "") -> None:
    """Deep comparison with the README's tolerances."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{where}: expected an object, got {actual!r}"
        missing = set(expected) - set(actual)
        assert not missing, f"{where}: missing keys {sorted(missing)}"
        for key, value in expected.items():
            assert_same(value, actual[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{where}: expected a list, got {actual!r}"
        assert len(expected) == len(actual), f"{where}: length {len(actual)} != {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_same(e, a, f"{where}[{i}]")
    elif expected is None or isinstance(expected, bool | str):
        assert actual == expected and type(actual) is type(expected), (
            f"{where}: {actual!r} != {expected!r}"
        )
    else:
        assert isinstance(actual, int | float) and not isinstance(actual, bool), (
            f"{where}: {actual!r} is not a number (expected {expected!r})"
        )
        assert math.isclose(actual, expected, rel_tol=REL_TOL, abs_tol=ABS_TOL), (
            f"{where}: {actual!r} != {expected!r}"
        )


def test_reference_cases_exist() -> None:
    assert len(_case_files()) >= 30, f"reference cases not found under {REFERENCE}"


@pytest.mark.parametrize(("path", "block", "label"), _params())
def test_reference_computation(path: Path, block: str, label: str | None) -> None:
    case = _load(path)
    if block == "derived_ihi":
        expected = dict(case["derived_ihi"])
        expected.pop("source")
        assert_same(expected, derived_ihi(case), "derived_ihi")
        return
    computation = next(c for c in case[block] if c["label"] == label)
    compute = qicharts2 if block == "qicharts2" else nhsrplotthedots
    actual = compute(case["input"], computation)
    if computation["status"] == "error":
        _assert_sensible_where_oracle_failed(case["input"], actual)
        return
    expected = {k: v for k, v in computation.items() if k not in ("label", "options")}
    assert_same(expected, actual, f"{path.stem}.{block}.{label}")


def _assert_sensible_where_oracle_failed(
    case_input: dict[str, Any], actual: dict[str, Any]
) -> None:
    """The oracle crashed on a missing value inside a trend: qidesk returns a full result.

    Checked independently of the engine: a point carries a trend label exactly when it
    lies in a strictly monotone 7-point window without a missing value (unless it is
    outside the limits, which takes precedence); missing points are common cause.
    """
    assert actual["status"] == "ok"
    y = case_input["y"]
    points = actual["points"]
    assert len(points) == len(y)
    in_trend = [False] * len(y)
    for end in range(6, len(y)):
        window = y[end - 6 : end + 1]
        if any(v is None for v in window):
            continue
        steps = [b - a for a, b in itertools.pairwise(window)]
        if all(s > 0 for s in steps) or all(s < 0 for s in steps):
            in_trend[end - 6 : end + 1] = [True] * 7
    for i, point in enumerate(points):
        labelled = "Trend" in point["special_cause_type"]
        if point["outside_limits"]:
            continue
        assert labelled == in_trend[i], f"point {i + 1}: {point['special_cause_type']}"
        if y[i] is None:
            assert point["special_cause_type"] == "Common Cause"
            assert point["point_type"] == "common_cause"
    assert actual["summary"]
    assert actual["icons"]["variation_icon_file"].endswith(".svg")


def test_harness_cli_matches_function(tmp_path: Path) -> None:
    path = next(p for p in _case_files() if "syn21" in p.name)
    out = tmp_path / "out.json"
    completed = subprocess.run(
        [sys.executable, "-m", "qidesk.core.spc.reference", str(path), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    assert completed.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        json.dumps(recompute(_load(path)))
    )
