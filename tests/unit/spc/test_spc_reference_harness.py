"""The reference harness on hand-made cases: options the shared vectors do not exercise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from qidesk.core.spc.reference import derived_ihi, main, qicharts2, recompute


def _case(y: list[float | None], **extra: Any) -> dict[str, Any]:
    case_input = {
        "value_kind": "continuous",
        "index": list(range(1, len(y) + 1)),
        "date": [f"2020-{m:02d}-01" for m in range(1, len(y) + 1)],
        "subgroup": None,
        "y": y,
        "n": None,
    }
    return {"schema": "qidesk-spc-reference/1", "input": case_input, **extra}


def _qic(chart: str, **options: Any) -> dict[str, Any]:
    return {"label": chart, "options": {"chart": chart, **options}, "status": "ok"}


Y = [5.0, 7.0, 6.0, 8.0, 4.0, 6.0, 7.0, 5.0, 6.0, 30.0, 6.0, 5.0]


def test_main_prints_the_recomputed_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_case(Y, qicharts2=[_qic("i")])), encoding="utf-8")
    assert main([str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["qicharts2"][0]["status"] == "ok"
    assert printed["NHSRplotthedots"] == []
    assert "derived_ihi" not in printed
    out = tmp_path / "out.json"
    assert main([str(path), "--out", str(out)]) == 0
    assert capsys.readouterr().out == ""
    assert json.loads(out.read_text(encoding="utf-8")) == printed


def test_exclude_multiply_and_y_neg() -> None:
    case = _case(Y)
    out = qicharts2(case["input"], _qic("i", exclude=[10], multiply=100, **{"y.neg": False}))
    points = out["points"]
    assert points[9]["include"] is False
    assert points[9]["sigma_signal"] is True
    assert points[0]["y"] == pytest.approx(500.0)
    assert out["parts"][0]["n_obs"] == 11
    plain = qicharts2(case["input"], _qic("i", exclude=[10]))
    assert points[0]["cl"] == pytest.approx(100 * plain["points"][0]["cl"])
    negative = qicharts2(_case([1.0, 9.0, 1.0, 9.0, 1.0])["input"], _qic("i", **{"y.neg": False}))
    assert negative["points"][0]["lcl"] == 0


def test_freeze_is_ignored_with_parts_as_in_qicharts2() -> None:
    case = _case(Y)
    both = qicharts2(case["input"], _qic("i", freeze=4, part=[6]))
    parts = qicharts2(case["input"], _qic("i", part=6))
    assert both["points"] == parts["points"]
    assert all(p["baseline"] for p in both["points"])


def test_t_chart_domain_error_is_reported() -> None:
    out = qicharts2(_case([3.0, 0.0, 2.0])["input"], _qic("t"))
    assert out["status"] == "error"
    assert out["error"] == "Time between events must be greater than zero"  # qic.t's stop()
    assert "points" not in out
    assert "parts" not in out


def test_derived_ihi_uses_the_frozen_baseline_of_the_case() -> None:
    y = [1.0, 2.0, 3.0, 4.0, 10.0, 11.0, 12.0, 13.0]
    frozen = _case(y, qicharts2=[_qic("i", freeze=7), _qic("run", freeze=4)])
    result = derived_ihi(frozen)
    assert result is not None
    assert result["centre_line"] == 2.5
    only_i = _case(y, qicharts2=[_qic("i", freeze=6), _qic("run")])
    assert derived_ihi(only_i)["centre_line"] == 3.5  # type: ignore[index]
    explicit = _case(y, derived_ihi={"freeze": 2})
    assert derived_ihi(explicit)["centre_line"] == 1.5  # type: ignore[index]
    whole = _case(y, qicharts2=[_qic("run", freeze=3, part=[4])])
    assert derived_ihi(whole)["centre_line"] == 7.0  # type: ignore[index]


def test_derived_ihi_for_subgrouped_and_empty_cases() -> None:
    subgrouped = _case([1.0, 2.0])
    subgrouped["input"]["value_kind"] = "subgrouped"
    assert derived_ihi(subgrouped) is None
    empty = derived_ihi(_case([]))
    assert empty is not None
    assert empty["centre_line"] is None
    assert (empty["n_useful"], empty["n_runs"], empty["shift"]) == (0, 0, [])
    assert recompute(_case([], derived_ihi={}))["derived_ihi"] == empty
