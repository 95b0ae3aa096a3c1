"""Reference harness: recompute a reference case file with qidesk's own engine.

Usage::

    python -m qidesk.core.spc.reference CASE.json [--out FILE]

Reads a case in the ``qidesk-spc-reference/1`` schema (``shared/reference/README.md``)
and prints the same JSON with qidesk's results in place of the expected ones:

* each ``qicharts2`` computation through the Anhøj preset with its options
  (chart, freeze — ignored when ``part`` is given, as qicharts2 does —, part,
  ``qic.screenedmr``, denominator, exclude, multiply, y.neg);
* each ``NHSRplotthedots`` computation through the Making Data Count preset
  (improvement direction, target, rebase, fix_after_n_points, screen_outliers);
  status is always ``"ok"``, also where the package itself stopped with an error;
* ``derived_ihi`` through qidesk's IHI rules.

Oracle computations keep zero-width limits (``hide_zero_width_limits=False``) and
report ``n = 0`` for missing ratio points, as the oracles do.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from qidesk.core.spc.engine import analyse
from qidesk.core.spc.mdc import SHORT_GROUP_WARNING, group_numbers
from qidesk.core.spc.presets import SpcOptions
from qidesk.core.spc.results import SpcPoint, SpcResult
from qidesk.core.spc.series import subgroup_keys
from qidesk.core.spc.types import ChartType, Preset, RuleId, SpcDomainError

__all__ = ["derived_ihi", "main", "nhsrplotthedots", "qicharts2", "recompute"]

Json = dict[str, Any]
IHI_SOURCE = "qidesk.core.spc.ihi: IHI rules 1-3 as in spec section 1.2"


def _as_list(value: Any) -> list[Any]:
    """A scalar, list or null option as a list (R recycles scalars)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _plain(value: float | None) -> float | int | None:
    """Integral floats as ints (denominators and counts print as in R)."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


# --------------------------------------------------------------------------- qicharts2


def _qic_points(case_input: Json, result: SpcResult, chart: ChartType, got_n: bool) -> list[Json]:
    """qicharts2 ``points`` rows (``n`` is 0 for a missing ratio point, as qicharts2)."""
    labels = case_input.get("subgroup")
    xs = subgroup_keys(labels) if labels is not None else case_input["index"]
    out = []
    for point in result.points:
        row: Json = {
            "index": point.index + 1,
            "x": xs[point.index],
            "y": point.value,
            "n": _plain(point.denominator if point.denominator is not None else 0)
            if got_n
            else None,
            "part": point.phase + 1,
            "baseline": point.baseline,
            "include": not point.excluded,
            "cl": point.cl,
            "lcl": point.lcl,
            "ucl": point.ucl,
            "lcl_2sigma": point.lcl_2sigma,
            "ucl_2sigma": point.ucl_2sigma,
            "sigma_signal": point.sigma_signal,
            "runs_signal": point.runs_signal,
        }
        if chart.is_subgrouped:
            row["subgroup_size"] = point.subgroup_size
        out.append(row)
    return out


def _qic_parts(result: SpcResult) -> list[Json]:
    """qicharts2 ``parts`` rows (``n_obs`` counts the included points of the part)."""
    out = []
    for phase in result.phases:
        own = result.points[phase.start : phase.stop]
        runs = phase.anhoej
        out.append(
            {
                "part": phase.phase + 1,
                "n_obs": sum(not p.excluded for p in own),
                "n_useful": runs.n_useful,
                "longest_run": runs.longest_run,
                "longest_run_max": runs.longest_run_max,
                "n_crossings": runs.n_crossings,
                "n_crossings_min": runs.n_crossings_min,
                "runs_signal": phase.runs_signal,
                "sigma_signal_count": phase.sigma_signal_count,
                "cl_first": phase.cl,
            }
        )
    return out


def _scale(rows: list[Json], multiply: float, y_neg: bool) -> None:
    """qicharts2 ``multiply`` and ``y.neg = FALSE`` post-processing (plotting options)."""
    keys = ("y", "cl", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")
    for row in rows:
        for key in keys:
            if row[key] is not None:
                row[key] *= multiply
    values = [row["y"] for row in rows if row["y"] is not None]
    if not y_neg and values and min(values) >= 0:
        for row in rows:
            for key in ("lcl", "lcl_2sigma"):
                if row[key] is not None and row[key] < 0:
                    row[key] = 0


def qicharts2(case_input: Json, computation: Json) -> Json:
    """One qicharts2 computation recomputed with the Anhøj preset (spec 1.3 and section 2)."""
    options = computation["options"]
    chart = ChartType(options["chart"])
    parts = [int(k) for k in _as_list(options.get("part"))]
    got_n = bool(options.get("denominator")) and case_input.get("n") is not None
    out: Json = {"label": computation["label"], "options": options}
    try:
        result = analyse(
            case_input["y"],
            chart=chart,
            denominators=case_input["n"] if got_n else None,
            subgroups=case_input.get("subgroup"),
            freeze=None if parts else options.get("freeze"),
            parts=parts,
            excluded=[int(k) - 1 for k in _as_list(options.get("exclude"))],
            preset=Preset.ANHOEJ,
            options=SpcOptions(
                screen_mr=options.get("qic.screenedmr"), hide_zero_width_limits=False
            ),
        )
    except SpcDomainError as error:
        return out | {"status": "error", "error": error.message, "points": [], "parts": []}
    points = _qic_points(case_input, result, chart, got_n)
    _scale(points, float(options.get("multiply", 1)), bool(options.get("y.neg", True)))
    return out | {"status": "ok", "points": points, "parts": _qic_parts(result)}


# --------------------------------------------------------------------------- NHSRplotthedots


def _dates(case_input: Json) -> list[date]:
    """The case's ISO dates as :class:`~datetime.date` objects."""
    return [date.fromisoformat(d) for d in case_input["date"]]


def _ptd_point(point: SpcPoint, day: date, group: int) -> Json:
    """One NHSRplotthedots ``points`` row from a qidesk point."""
    return {
        "date": day.isoformat(),
        "y": point.value,
        "rebase_group": group,
        "short_group_warning": point.trial_limits,
        "fix_y": point.value if point.baseline else None,
        "mean": point.cl,
        "lpl": point.lcl,
        "upl": point.ucl,
        "outside_limits": point.outside_limits,
        "relative_to_mean": point.side,
        "close_to_limits": point.near_limits,
        "special_cause_type": point.label,
        "special_cause_flag": point.special_cause,
        "point_type": point.point_type.value,
    }


def nhsrplotthedots(case_input: Json, computation: Json) -> Json:
    """One NHSRplotthedots computation recomputed with the Making Data Count preset (spec 3)."""
    options = computation["options"]
    dates = _dates(case_input)
    rebase = [date.fromisoformat(d) for d in _as_list(options.get("rebase"))]
    target = options.get("target")
    result = analyse(
        case_input["y"],
        chart=ChartType.I,
        denominators=case_input.get("n"),
        dates=dates,
        rebase=rebase,
        freeze=options.get("fix_after_n_points"),
        preset=Preset.MDC,
        direction=options.get("improvement_direction", "increase"),
        target=target,
        options=SpcOptions(
            screen_mr=options.get("screen_outliers", True), hide_zero_width_limits=False
        ),
    )
    groups = group_numbers(dates, rebase)
    summary = [
        {
            "rebase_group": groups[phase.start],
            "mean": phase.cl,
            "lpl": phase.lcl,
            "upl": phase.ucl,
            "n": phase.n_obs,
            "common_cause": phase.common_cause,
            "special_cause_improvement": phase.improvement,
            "special_cause_concern": phase.concern,
            "variation_type": phase.variation_type.value,
            "assurance_type": None if phase.assurance_type is None else phase.assurance_type.value,
        }
        for phase in result.phases
    ]
    icons = result.icons
    return {
        "label": computation["label"],
        "options": options,
        "status": "ok",
        "warnings": [w for w in result.warnings if w == SHORT_GROUP_WARNING],
        "points": [_ptd_point(p, dates[p.index], groups[p.index]) for p in result.points],
        "summary": summary,
        "icons": {
            "variation_type": icons.variation_type.value,
            "variation_icon_file": icons.variation_icon_file,
            "assurance_type": None if icons.assurance_type is None else icons.assurance_type.value,
            "assurance_icon_file": icons.assurance_icon_file,
        },
    }


# --------------------------------------------------------------------------- IHI


def _ihi_freeze(case: Json) -> int | None:
    """Baseline length of a frozen-baseline case: a qicharts2 freeze (run chart first)."""
    explicit = (case.get("derived_ihi") or {}).get("freeze")
    if isinstance(explicit, int):
        return explicit
    computations = [c["options"] for c in case.get("qicharts2", [])]
    frozen = [o for o in computations if o.get("freeze") and not _as_list(o.get("part"))]
    frozen.sort(key=lambda o: o.get("chart") != "run")
    return int(frozen[0]["freeze"]) if frozen else None


def _flags(points: Sequence[SpcPoint], rule: RuleId) -> list[bool]:
    """Per point: whether ``rule`` fired there."""
    return [any(s.rule is rule for s in p.signals) for p in points]


def derived_ihi(case: Json) -> Json | None:
    """IHI shift/trend flags and runs count of the whole chart (spec 1.2), or ``None``.

    Subgrouped cases have no IHI block. The centre line is the median of the
    plotted values, or of the first ``k`` points for frozen-baseline cases.
    """
    case_input = case["input"]
    if case_input.get("value_kind") == "subgrouped":
        return None
    result = analyse(
        case_input["y"],
        chart=ChartType.RUN,
        denominators=case_input.get("n"),
        freeze=_ihi_freeze(case),
        preset=Preset.IHI,
    )
    phase = result.phases[0] if result.phases else None
    return {
        "source": IHI_SOURCE,
        "centre_line": phase.cl if phase else None,
        "shift_length": result.settings.shift_length,
        "trend_length": result.settings.trend_length,
        "n_useful": phase.runs_count.n_useful if phase else 0,
        "n_runs": phase.runs_count.n_runs if phase else 0,
        "shift": _flags(result.points, RuleId.IHI_SHIFT),
        "trend": _flags(result.points, RuleId.IHI_TREND),
    }


# --------------------------------------------------------------------------- driver


def recompute(case: Json) -> Json:
    """The case with every expected output replaced by qidesk's own result."""
    out = copy.deepcopy(case)
    case_input = case["input"]
    out["qicharts2"] = [qicharts2(case_input, c) for c in case.get("qicharts2") or []]
    out["NHSRplotthedots"] = [
        nhsrplotthedots(case_input, c) for c in case.get("NHSRplotthedots") or []
    ]
    if "derived_ihi" in case:
        out["derived_ihi"] = derived_ihi(case)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point: recompute one case file, print (or write) the JSON."""
    parser = argparse.ArgumentParser(
        prog="python -m qidesk.core.spc.reference",
        description="Recompute an SPC reference case with qidesk's engine.",
    )
    parser.add_argument("case", type=Path, help="case file (qidesk-spc-reference/1 JSON)")
    parser.add_argument("--out", type=Path, help="write the JSON here instead of stdout")
    args = parser.parse_args(argv)
    case = json.loads(args.case.read_text(encoding="utf-8"))
    text = json.dumps(recompute(case), indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
