"""Axes of the SPC chart: periods along the bottom, values in display units up the side.

The x axis counts points (0, 1, 2 …) and labels them with their period (``Mar 2025``); the
label step is chosen from calendar-friendly steps (months: 1, 2, 3, 4, 6, 12 …; weeks: 1, 2,
4, 8, 13, 26, 52 …; days: 1, 7, 14, 28 …) so that labels never overlap, from 10 to 10,000 points.
Monthly labels line up with the calendar (quarters start in January, April, July, October).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

import pyqtgraph as pg
from PySide6.QtGui import QFont, QFontMetricsF

from qidesk.core.periods import Period, format_period

_STEPS = {
    Period.MONTH: (1, 2, 3, 4, 6, 12, 24, 60, 120, 240, 600),
    Period.WEEK: (1, 2, 4, 8, 13, 26, 52, 104, 260, 520),
    Period.DAY: (1, 2, 7, 14, 28, 56, 91, 182, 364, 728, 1820, 3640),
}


def _short_label(when: date, period: Period, step: int) -> str:
    """A tick label: ``Mar 2025`` (months), ``3 Mar 2025`` (weeks, days), ``2025`` (years)."""
    if period is Period.MONTH and step % 12 == 0 and when.month == 1:
        return str(when.year)
    return format_period(when, period)


class PeriodAxis(pg.AxisItem):  # type: ignore[misc]
    """Bottom axis: point positions labelled with their periods at a readable density."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__("bottom", **kwargs)
        self._periods: tuple[date, ...] = ()
        self._period = Period.MONTH
        self._keys: list[int] = []
        self._label_width = 60.0
        self._last_step = 1
        self.enableAutoSIPrefix(False)
        # the first and last labels may reach a little past the axis ends (into the margins)
        self.setStyle(hideOverlappingLabels=40)

    def set_periods(self, periods: Sequence[date], period: Period) -> None:
        """The period of every point, in order."""
        self._periods = tuple(periods)
        self._period = period
        if period is Period.MONTH:
            self._keys = [d.year * 12 + d.month - 1 for d in self._periods]
        else:
            self._keys = list(range(len(self._periods)))
        font = self.style.get("tickFont") or QFont()
        metrics = QFontMetricsF(font)
        sample = format_period(date(2025, 12, 30), period)
        self._label_width = metrics.horizontalAdvance(sample) + 14
        self.picture = None
        self.update()

    def step_for(self, points_in_view: float, pixels: float) -> int:
        """The smallest calendar step whose labels fit side by side in ``pixels``."""
        if points_in_view <= 0 or pixels <= 0:
            return 1
        per_point = pixels / points_in_view
        for step in _STEPS[self._period]:
            if step * per_point >= self._label_width:
                return step
        step = _STEPS[self._period][-1]
        while step * per_point < self._label_width:
            step *= 2
        return step

    def tickValues(
        self,
        minVal: float,  # noqa: N803 - pyqtgraph's names
        maxVal: float,  # noqa: N803
        size: float,
    ) -> list[tuple[float, list[float]]]:
        """Major ticks at labelled periods, minor ticks at every point when there is room."""
        if not self._periods:
            return []
        low = max(0, math.ceil(min(minVal, maxVal)))
        high = min(len(self._periods) - 1, math.floor(max(minVal, maxVal)))
        if high < low:
            return []
        span = max(maxVal - minVal, 1.0)
        step = self.step_for(span, size)
        self._last_step = step
        majors = [float(i) for i in range(low, high + 1) if self._keys[i] % step == 0]
        if len(majors) < 2 and high > low:  # an irregular series: fall back to positions
            majors = [float(i) for i in range(low, high + 1, step)]
        per_point = size / span
        minors: list[float] = []
        if step > 1 and per_point >= 5:
            taken = set(majors)
            minors = [float(i) for i in range(low, high + 1) if float(i) not in taken]
        return [(float(step), majors), (1.0, minors)]

    def tickStrings(
        self,
        values: list[float],
        scale: float,  # noqa: ARG002 - the x axis is never scaled
        spacing: float,
    ) -> list[str]:
        """Period labels for major ticks; nothing for minor ones."""
        if round(spacing) != self._last_step:
            return ["" for _ in values]
        out: list[str] = []
        for v in values:
            i = round(v)
            if 0 <= i < len(self._periods) and abs(v - i) < 1e-6:
                out.append(_short_label(self._periods[i], self._period, self._last_step))
            else:
                out.append("")
        return out


def _short_number(value: float, spacing: float) -> str:
    """``1.35M``, ``250k``: large values on a small chart (decimals as the spacing needs)."""
    for size, suffix in ((1_000_000, "M"), (1_000, "k")):
        if abs(value) >= size:
            step = spacing / size
            places = max(0, math.ceil(-math.log10(step))) if step > 0 else 0
            return f"{value / size:.{places}f}{suffix}"
    return f"{value:g}"


class ValueAxis(pg.AxisItem):  # type: ignore[misc]
    """Left axis in display units; ``%`` is written on every tick for percentages."""

    def __init__(self, *, compact: bool = False, **kwargs: object) -> None:
        super().__init__("left", **kwargs)
        self._suffix = ""
        self._compact = compact
        self._ceiling: float | None = None
        self._range = (0.0, 1.0, 0.0)  # (low, high, pixels) of the last tickValues call
        self.enableAutoSIPrefix(False)
        # label only the major ticks, but place them a little closer than pyqtgraph would
        self.setStyle(maxTextLevel=0)
        self.setTickDensity(1.5)

    def set_suffix(self, suffix: str) -> None:
        """A suffix written after every tick value (``%``), or none."""
        self._suffix = suffix
        self.picture = None
        self.update()

    def set_ceiling(self, ceiling: float | None) -> None:
        """No tick above ``ceiling`` (the band of annotation labels above the data), or none."""
        if ceiling != self._ceiling:
            self._ceiling = ceiling
            self.picture = None
            self.update()

    def tickValues(
        self,
        minVal: float,  # noqa: N803 - pyqtgraph's names
        maxVal: float,  # noqa: N803
        size: float,
    ) -> list[tuple[float, list[float]]]:
        """The ticks pyqtgraph chooses, none above the ceiling (where the annotation labels are)."""
        levels: list[tuple[float, list[float]]] = super().tickValues(minVal, maxVal, size)
        low, high = min(minVal, maxVal), max(minVal, maxVal)
        self._range = (low, high, float(size))
        ceiling = self._ceiling
        if ceiling is None:
            return levels
        return [(spacing, [v for v in values if v <= ceiling]) for spacing, values in levels]

    def _clipped(self, value: float) -> bool:
        """True when the label of ``value`` would stick out past the top or bottom of the axis.

        Such a label is cut in half by the edge of the chart (or runs into the dates below).
        """
        low, high, pixels = self._range
        if pixels <= 0 or high <= low:
            return False
        half = QFontMetricsF(self.style.get("tickFont") or QFont()).height() / 2
        from_top = (high - value) / (high - low) * pixels
        from_bottom = (value - low) / (high - low) * pixels
        return from_top < half - 1 or from_bottom < half - 1

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        """Numbers with as many decimals as the spacing needs, thousands separated.

        A label that the chart's edge would cut in half is left out (its tick mark stays).
        """
        places = max(0, math.ceil(-math.log10(spacing * scale))) if spacing > 0 else 0
        out = []
        for v in values:
            if self._clipped(v):
                out.append("")
                continue
            if self._compact and abs(v * scale) >= 10_000:
                out.append(_short_number(v * scale, spacing * scale) + self._suffix)
                continue
            text = f"{v * scale:,.{places}f}"
            if float(text.replace(",", "")) == 0:
                text = text.lstrip("-")
            out.append(f"{text}{self._suffix}")
        return out
