"""Rule presets and their defaults, and the options a user may override.

* Anhøj (qicharts2): XmR limits 3 × AMR/1.128, MR screening on; point rule: outside
  the limits; phase rules: unusually long run, too few crossings.
* IHI run chart: 3 × AMR/1.128, screening on; point rules: outside the limits (only
  where the chart has limits), shift of 6, trend of 5; phase rules: too few / too
  many runs; astronomical-point candidates marked.
* Making Data Count: 2.66 × AMR, screening on; point rules in label precedence:
  outside the limits, trend of 7, 2 of 3 near a limit, run of 7.
* Shewhart / Western Electric: 3 × AMR/1.128, screening off; point rules: beyond 3σ,
  2 of 3 beyond 2σ, 4 of 5 beyond 1σ, 8 in a row on one side.

Sources: spec 1.2 (IHI), 1.3 (Anhøj), 3 (MDC), and the
Western Electric *Statistical Quality Control Handbook* (1956) for the WE zone rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from qidesk.core.spc.types import Preset, RuleId, XmrScale

__all__ = ["RuleSettings", "SpcOptions", "preset_settings", "resolve_settings"]


@dataclass(frozen=True)
class SpcOptions:
    """Overrides of a preset's defaults; ``None`` keeps the preset's value.

    * ``screen_mr`` — drop moving ranges ``>= 3.267 × AMR`` before the limits.
    * ``xmr_scale`` — XmR constant: qicharts2 ``3/1.128`` or MDC ``2.66``.
    * ``trend_length`` — points in a trend (MDC 7, or 6; IHI 5).
    * ``shift_length`` — points in a row on one side (MDC 7, or 6; IHI 6; WE 8).
    * ``hide_zero_width_limits`` — when a phase shows no variation (AMR 0, p̄ 0 …)
      report its limits as undefined and raise no limit signal (qidesk default);
      ``False`` keeps the oracles' zero-width limits.
    * ``trial_limits_below`` — phases with fewer points get "trial limits".
    * ``ihi_runs_min_useful`` — the IHI runs-count rule needs this many useful points.
    * ``r_zero_denominator_quirk`` — compute ``y / 0`` as R does (``+Inf`` for ``y > 0``,
      kept in the pooled sums and the runs analysis; a C chart plots the count) instead
      of treating ``n = 0`` as missing (qidesk default). For reproducing the oracles.
    * ``rebase_exact_dates`` — a rebase date starts a phase only where it equals a
      point's date (NHSRplotthedots; other dates are ignored) instead of at the first
      point on or after it (qidesk default).
    """

    screen_mr: bool | None = None
    xmr_scale: XmrScale | None = None
    trend_length: int | None = None
    shift_length: int | None = None
    hide_zero_width_limits: bool | None = None
    trial_limits_below: int | None = None
    ihi_runs_min_useful: int | None = None
    r_zero_denominator_quirk: bool | None = None
    rebase_exact_dates: bool | None = None


@dataclass(frozen=True)
class RuleSettings:
    """The settings an analysis actually used (preset defaults plus overrides)."""

    preset: Preset
    xmr_scale: XmrScale
    screen_mr: bool
    point_rules: tuple[RuleId, ...]
    phase_rules: tuple[RuleId, ...]
    trend_length: int
    shift_length: int
    hide_zero_width_limits: bool
    trial_limits_below: int
    ihi_runs_min_useful: int
    astronomical_candidates: bool
    r_zero_denominator_quirk: bool = False
    rebase_exact_dates: bool = False


_PRESETS: dict[Preset, RuleSettings] = {
    Preset.ANHOEJ: RuleSettings(
        preset=Preset.ANHOEJ,
        xmr_scale=XmrScale.QICHARTS2,
        screen_mr=True,
        point_rules=(RuleId.OUTSIDE_LIMITS,),
        phase_rules=(RuleId.ANHOEJ_LONGEST_RUN, RuleId.ANHOEJ_CROSSINGS),
        trend_length=5,
        shift_length=6,
        hide_zero_width_limits=True,
        trial_limits_below=20,
        ihi_runs_min_useful=10,
        astronomical_candidates=False,
    ),
    Preset.IHI: RuleSettings(
        preset=Preset.IHI,
        xmr_scale=XmrScale.QICHARTS2,
        screen_mr=True,
        point_rules=(RuleId.OUTSIDE_LIMITS, RuleId.IHI_SHIFT, RuleId.IHI_TREND),
        phase_rules=(RuleId.IHI_TOO_FEW_RUNS, RuleId.IHI_TOO_MANY_RUNS),
        trend_length=5,
        shift_length=6,
        hide_zero_width_limits=True,
        trial_limits_below=20,
        ihi_runs_min_useful=10,
        astronomical_candidates=True,
    ),
    Preset.MDC: RuleSettings(
        preset=Preset.MDC,
        xmr_scale=XmrScale.MDC,
        screen_mr=True,
        point_rules=(
            RuleId.OUTSIDE_LIMITS,
            RuleId.MDC_TREND,
            RuleId.MDC_TWO_OF_THREE,
            RuleId.MDC_SHIFT,
        ),
        phase_rules=(),
        trend_length=7,
        shift_length=7,
        hide_zero_width_limits=True,
        trial_limits_below=13,
        ihi_runs_min_useful=10,
        astronomical_candidates=False,
    ),
    Preset.WESTERN_ELECTRIC: RuleSettings(
        preset=Preset.WESTERN_ELECTRIC,
        xmr_scale=XmrScale.QICHARTS2,
        screen_mr=False,
        point_rules=(
            RuleId.OUTSIDE_LIMITS,
            RuleId.WE_TWO_OF_THREE,
            RuleId.WE_FOUR_OF_FIVE,
            RuleId.WE_RUN,
        ),
        phase_rules=(),
        trend_length=5,
        shift_length=8,
        hide_zero_width_limits=True,
        trial_limits_below=20,
        ihi_runs_min_useful=10,
        astronomical_candidates=False,
    ),
}


def preset_settings(preset: Preset) -> RuleSettings:
    """The default settings of ``preset`` (see the table in this module's docstring)."""
    return _PRESETS[Preset(preset)]


def resolve_settings(preset: Preset, options: SpcOptions | None = None) -> RuleSettings:
    """``preset``'s defaults with every non-``None`` field of ``options`` applied.

    Raises:
        ValueError: a rule length below 2 or a negative threshold (a programming error).

    """
    settings = preset_settings(preset)
    if options is None:
        return settings
    overrides = {k: v for k, v in vars(options).items() if v is not None}
    settings = replace(settings, **overrides)
    if settings.trend_length < 2 or settings.shift_length < 2:
        raise ValueError("trend_length and shift_length must be at least 2")
    if settings.trial_limits_below < 0 or settings.ihi_runs_min_useful < 0:
        raise ValueError("thresholds must not be negative")
    return settings
