"""Reference harness: recompute a reference case file with qidesk's own engine.

Usage::

    python -m qidesk.core.spc.reference CASE.json [--out FILE]

Reads a case in the ``qidesk-spc-reference/1`` schema (``shared/reference/README.md``)
and prints the same JSON with qidesk's results in place of the expected ones:

* each ``qicharts2`` computation through the Anhøj preset with its options (chart,
  freeze — ignored whenever ``part`` is not null, as qicharts2 does —, part,
  ``qic.screenedmr``, denominator, exclude (1-based), multiply, y.neg);
* each ``NHSRplotthedots`` computation through the Making Data Count preset
  (improvement direction, target, rebase, fix_after_n_points, screen_outliers) on the
  rows sorted by date, as the package sorts them; status ``"ok"`` also where the
  package itself stopped on a missing value inside a trend window (spec 3.3);
* ``derived_ihi`` through qidesk's IHI rules (``null`` stays ``null``).

The harness reproduces the oracles, not qidesk's own defaults: it keeps zero-width
limits (``hide_zero_width_limits=False``), reports ``n = 0`` for missing ratio
points, computes ``y / 0`` as R does (``r_zero_denominator_quirk``) and honours only
rebase dates equal to a point's date (``rebase_exact_dates``).

Every computation is isolated: one that cannot be computed (an unknown chart code,
no dates for NHSRplotthedots, a T chart with a time <= 0, a malformed option …) is
written with ``"status": "error"`` and a message — R's message where the package
itself stops — and the others are still computed.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import sys
from collections.abc import Hashable, Sequence
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from qidesk.core.spc.engine import analyse
from qidesk.core.spc.mdc import SHORT_GROUP_WARNING, group_numbers
from qidesk.core.spc.presets import SpcOptions
from qidesk.core.spc.results import SpcPoint, SpcResult
from qidesk.core.spc.series import subgroup_keys
from qidesk.core.spc.types import ChartType, Direction, Preset, RuleId, SpcDomainError

__all__ = ["derived_ihi", "main", "nhsrplotthedots", "qicharts2", "recompute"]

Json = dict[str, Any]
IHI_SOURCE = "qidesk.core.spc.ihi: IHI rules 1-3 as in spec section 1.2"
T_CHART_ERROR = "Time between events must be greater than zero"
"""qicharts2 ``qic.t``: ``stop('Time between events must be greater than zero')``."""
DUPLICATE_DATES_ERROR = "duplicate rows found in 'date'"
"""NHSRplotthedots ``ptd_validate_spc_options`` on two rows with the same date."""
FIX_AFTER_ERROR = "fix_after_n_points must be a single numeric that is greater than or equal to 12."
"""NHSRplotthedots ``ptd_spc_options`` on ``fix_after_n_points < 12``."""


class CaseError(Exception):
    """A computation the oracle (or the harness) refuses; the message is reported."""


def _as_list(value: Any) -> list[Any]:
    """A scalar, list or null option as a list (R recycles scalars)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _whole(value: Any, name: str) -> int:
    """An integer option (``12``, ``12.0``, ``"12"``); a fraction is truncated as R's ``<=``."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CaseError(f"{name} must be numeric, got {value!r}") from None
    if not math.isfinite(number):
        raise CaseError(f"{name} must be finite, got {value!r}")
    return math.floor(number)


def _plain(value: float | None) -> float | int | None:
    """Integral floats as ints (denominators and counts print as in R)."""
    if value is not None and float(value).is_integer():
        return int(value)
    return value


def _tidy_block(block: Json) -> Json:
    """:func:`_tidy` of one output block."""
    return {k: _tidy(v) for k, v in block.items()}


def _tidy(value: Any) -> Any:
    """Output numbers as the oracles' JSON writer: non-finite as ``null``, ``-0`` as ``0``."""
    if isinstance(value, dict):
        return _tidy_block(value)
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return value + 0.0  # -0.0 + 0.0 == +0.0
    return value


def _error(error: BaseException) -> str:
    """A one-line message for an error status."""
    text = str(error) or type(error).__name__
    if isinstance(error, CaseError | SpcDomainError):
        return text
    return f"{type(error).__name__}: {text}"


# --------------------------------------------------------------------------- qicharts2


def _increasing(values: Sequence[Any]) -> bool:
    """True when ``values`` are numbers in strictly increasing order (no aggregation needed)."""
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return False
    return all(a < b for a, b in pairwise(values))


def _qic_points(keys: Sequence[Hashable], result: SpcResult, got_n: bool) -> list[Json]:
    """qicharts2 ``points`` rows (``n`` is 0 for a missing ratio point, as qicharts2)."""
    out = []
    for point in result.points:
        row: Json = {
            "index": point.index + 1,
            "x": keys[point.index],
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
        if result.chart.is_subgrouped:
            row["subgroup_size"] = point.subgroup_size
        out.append(row)
    return out


def _scale(rows: list[Json], multiply: float, y_neg: bool) -> None:
    """qicharts2 ``multiply`` and ``y.neg = FALSE`` post-processing (``qic.agg``).

    qicharts2 multiplies after the runs analysis and before the sigma signals, so
    the signals are judged again on the scaled values when ``multiply`` could change
    them (not a positive number). ``y.neg = FALSE`` then lifts negative lower lines to
    0 when no plotted value is negative.
    """
    keys = ("y", "cl", "lcl", "ucl", "lcl_2sigma", "ucl_2sigma")
    for row in rows:
        for key in keys:
            if row[key] is not None:
                scaled = row[key] * multiply
                row[key] = scaled if math.isfinite(scaled) else None
    if not multiply > 0:
        for row in rows:
            y, lcl, ucl = row["y"], row["lcl"], row["ucl"]
            row["sigma_signal"] = y is not None and (
                (ucl is not None and y > ucl) or (lcl is not None and y < lcl)
            )
    values = [row["y"] for row in rows if row["y"] is not None]
    if not y_neg and values and min(values) >= 0:
        for row in rows:
            for key in ("lcl", "lcl_2sigma"):
                if row[key] is not None and row[key] < 0:
                    row[key] = 0


def _qic_parts(result: SpcResult, rows: list[Json], dots_only: bool) -> list[Json]:
    """qicharts2 ``parts`` rows: runs statistics, signal counts and the first point's CL.

    ``n_obs`` counts the included points; ``cl_first`` is the (scaled) centre line of
    the part's first point, as qicharts2 returns it.
    """
    out = []
    for phase in result.phases:
        own = rows[phase.start : phase.stop]
        runs = phase.anhoej
        out.append(
            {
                "part": phase.phase + 1,
                "n_obs": sum(row["include"] for row in own),
                "n_useful": runs.n_useful,
                "longest_run": runs.longest_run,
                "longest_run_max": runs.longest_run_max,
                "n_crossings": runs.n_crossings,
                "n_crossings_min": runs.n_crossings_min,
                "runs_signal": phase.runs_signal and not dots_only,
                "sigma_signal_count": sum(row["sigma_signal"] for row in own),
                "cl_first": own[0]["cl"],
            }
        )
    return out


def _chart(code: Any) -> ChartType:
    """The chart type of a qicharts2 ``chart`` code (R ``match.arg`` refuses others)."""
    try:
        return ChartType(code)
    except ValueError:
        choices = ", ".join(f"\u201c{c.value}\u201d" for c in ChartType)
        raise CaseError(f"'arg' should be one of {choices} (got {code!r})") from None


def _qicharts2(case_input: Json, options: Json) -> Json:
    """The body of :func:`qicharts2` (raises on what cannot be computed)."""
    chart = _chart(options.get("chart", "run"))
    y = case_input["y"]
    index = case_input.get("index") or list(range(1, len(y) + 1))
    labels = case_input.get("subgroup")
    xs = labels if labels is not None else index
    # qicharts2 aggregates rows by x and orders the points by sorted x
    subgroups = xs if labels is not None or not _increasing(xs) else None
    keys = subgroup_keys(subgroups) if subgroups is not None else list(xs)
    got_n = bool(options.get("denominator")) and case_input.get("n") is not None
    part = options.get("part")
    freeze = options.get("freeze")
    # qic(): if (is.null(freeze) || !is.null(part)) freeze <- Inf — an empty list is not NULL
    frozen = None if part is not None or freeze is None else _whole(freeze, "freeze")
    multiply = options.get("multiply")
    result = analyse(
        y,
        chart=chart,
        denominators=case_input["n"] if got_n else None,
        subgroups=subgroups,
        freeze=frozen,
        parts=[_whole(k, "part") for k in _as_list(part)],
        excluded=[_whole(k, "exclude") - 1 for k in _as_list(options.get("exclude"))],
        preset=Preset.ANHOEJ,
        options=SpcOptions(
            screen_mr=options.get("qic.screenedmr"),
            hide_zero_width_limits=False,
            r_zero_denominator_quirk=True,
        ),
    )
    rows = _qic_points(keys, result, got_n)
    _scale(rows, 1.0 if multiply is None else float(multiply), options.get("y.neg") is not False)
    dots_only = any(isinstance(k, str) for k in keys)  # qicharts2: no runs signal for text x
    if dots_only:
        for row in rows:
            row["runs_signal"] = False
    return {"status": "ok", "points": rows, "parts": _qic_parts(result, rows, dots_only)}


def qicharts2(case_input: Json, computation: Json) -> Json:
    """One qicharts2 computation recomputed with the Anhøj preset (spec 1.3 and section 2).

    A computation qicharts2 would refuse (T chart with a time <= 0: R's message), or
    that cannot be read, comes back with ``"status": "error"`` and an ``"error"``
    message and no ``points`` or ``parts``.
    """
    options = computation.get("options") or {}
    out: Json = {"label": computation.get("label"), "options": computation.get("options")}
    try:
        return out | _tidy_block(_qicharts2(case_input, options))
    except SpcDomainError:
        return out | {"status": "error", "error": T_CHART_ERROR}
    except Exception as error:  # any failure is reported, never raised
        return out | {"status": "error", "error": _error(error)}


# --------------------------------------------------------------------------- NHSRplotthedots


def _instant(text: Any) -> datetime:
    """A date or date-time string as a naive UTC instant (``lubridate::as_datetime``)."""
    if not isinstance(text, str):
        raise CaseError(f"date_field must be a Date or POSIXt vector (got {text!r})")
    try:
        stamp = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CaseError(f"cannot read the date {text!r}") from None
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    return stamp


def _target(value: Any, size: int) -> float | list[float | None] | None:
    """NHSRplotthedots ``target``: a number, or one per (date-sorted) row; R recycles one."""
    if value is None:
        return None
    if isinstance(value, list):
        if len(value) == 1:
            return _target(value[0], size)
        if len(value) != size:
            raise CaseError(f"target must be a number or one per row, got {len(value)} values")
        return [None if v is None else float(v) for v in value]
    return float(value)


def _ptd_point(point: SpcPoint, day: str, group: int) -> Json:
    """One NHSRplotthedots ``points`` row from a qidesk point."""
    return {
        "date": day,
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


def _nhsrplotthedots(case_input: Json, options: Json) -> Json:
    """The body of :func:`nhsrplotthedots` (raises on what cannot be computed)."""
    raw_dates = case_input.get("date")
    if raw_dates is None:
        raise CaseError("date_field must be a Date or POSIXt vector: the case has no dates")
    stamps = [_instant(d) for d in raw_dates]
    if len(set(stamps)) != len(stamps):
        raise CaseError(DUPLICATE_DATES_ERROR)
    fix = options.get("fix_after_n_points")
    if fix is not None and not (isinstance(fix, int | float) and fix >= 12):
        raise CaseError(FIX_AFTER_ERROR)
    direction = options.get("improvement_direction") or "increase"
    if direction not in {d.value for d in Direction}:
        choices = ", ".join(f"\u201c{d.value}\u201d" for d in Direction)
        raise CaseError(f"'arg' should be one of {choices} (got {direction!r})")
    # ptd_spc_standard: arrange(f, x) — every output row is in date order
    order = sorted(range(len(stamps)), key=stamps.__getitem__)
    y = case_input["y"]
    n = case_input.get("n")
    dates = [stamps[i] for i in order]
    rebase = [_instant(d) for d in _as_list(options.get("rebase"))]
    screen = options.get("screen_outliers")
    result = analyse(
        [y[i] for i in order],
        chart=ChartType.I,
        denominators=None if n is None else [n[i] for i in order],
        dates=dates,
        rebase=rebase,
        freeze=None if fix is None else math.floor(fix),
        preset=Preset.MDC,
        direction=direction,
        target=_target(options.get("target"), len(order)),
        options=SpcOptions(
            screen_mr=screen is not False,
            hide_zero_width_limits=False,
            r_zero_denominator_quirk=True,
            rebase_exact_dates=True,
        ),
    )
    groups = group_numbers(dates, rebase, exact=True)
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
        "status": "ok",
        "warnings": [w for w in result.warnings if w == SHORT_GROUP_WARNING],
        "points": [
            _ptd_point(p, raw_dates[order[p.index]], groups[p.index]) for p in result.points
        ],
        "summary": summary,
        "icons": {
            "variation_type": icons.variation_type.value,
            "variation_icon_file": icons.variation_icon_file,
            "assurance_type": None if icons.assurance_type is None else icons.assurance_type.value,
            "assurance_icon_file": icons.assurance_icon_file,
        },
    }


def nhsrplotthedots(case_input: Json, computation: Json) -> Json:
    """One NHSRplotthedots computation recomputed with the Making Data Count preset (spec 3).

    Rows are taken in date order, as the package sorts them, and reported in that
    order. What the package refuses (no or duplicate dates, ``fix_after_n_points``
    below 12, an unknown direction) comes back with ``"status": "error"``.
    """
    options = computation.get("options") or {}
    out: Json = {"label": computation.get("label"), "options": computation.get("options")}
    try:
        return out | _tidy_block(_nhsrplotthedots(case_input, options))
    except Exception as error:  # any failure is reported, never raised
        return out | {"status": "error", "error": _error(error), "warnings": []}


# --------------------------------------------------------------------------- IHI


def _ihi_freeze(case: Json) -> int | None:
    """Baseline length of a frozen-baseline case: a qicharts2 freeze (run chart first)."""
    explicit = (case.get("derived_ihi") or {}).get("freeze")
    if isinstance(explicit, int):
        return explicit
    computations = [c.get("options") or {} for c in case.get("qicharts2") or []]
    # a freeze qicharts2 applies: none when part is not null (also part = 0 or [])
    frozen = [o for o in computations if o.get("freeze") and o.get("part") is None]
    frozen.sort(key=lambda o: o.get("chart") != "run")
    return _whole(frozen[0]["freeze"], "freeze") if frozen else None


def _flags(points: Sequence[SpcPoint], rule: RuleId) -> list[bool]:
    """Per point: whether ``rule`` fired there."""
    return [any(s.rule is rule for s in p.signals) for p in points]


def derived_ihi(case: Json) -> Json | None:
    """IHI shift/trend flags and runs count of the whole chart (spec 1.2), or ``None``.

    Subgrouped cases have no IHI block. The centre line is the median of the
    plotted values, or of the first ``k`` points for frozen-baseline cases. The
    block's ``source`` is kept when the case gives one.
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
    given = case.get("derived_ihi")
    source = given.get("source", IHI_SOURCE) if isinstance(given, dict) else IHI_SOURCE
    return _tidy_block(
        {
            "source": source,
            "centre_line": phase.cl if phase else None,
            "shift_length": result.settings.shift_length,
            "trend_length": result.settings.trend_length,
            "n_useful": phase.runs_count.n_useful if phase else 0,
            "n_runs": phase.runs_count.n_runs if phase else 0,
            "shift": _flags(result.points, RuleId.IHI_SHIFT),
            "trend": _flags(result.points, RuleId.IHI_TREND),
        }
    )


def _derived_ihi_block(case: Json) -> Json | None:
    """The recomputed ``derived_ihi``: ``null`` stays ``null``; a failure is reported."""
    if case.get("derived_ihi") is None:
        return None
    try:
        return derived_ihi(case)
    except Exception as error:  # any failure is reported, never raised
        return {"source": IHI_SOURCE, "status": "error", "error": _error(error)}


# --------------------------------------------------------------------------- driver


def recompute(case: Json) -> Json:
    """The case with every expected output replaced by qidesk's own result.

    Never raises for a JSON object: each computation is isolated.
    """
    out = copy.deepcopy(case)
    case_input = case.get("input")
    if not isinstance(case_input, dict):
        case_input = {}
    out["qicharts2"] = [qicharts2(case_input, c) for c in case.get("qicharts2") or []]
    out["NHSRplotthedots"] = [
        nhsrplotthedots(case_input, c) for c in case.get("NHSRplotthedots") or []
    ]
    if "derived_ihi" in case:
        out["derived_ihi"] = _derived_ihi_block(case)
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
    if not isinstance(case, dict):
        sys.stderr.write(f"{args.case}: not a reference case (a JSON object is expected)\n")
        return 1
    text = json.dumps(recompute(case), indent=2, ensure_ascii=False) + "\n"
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
