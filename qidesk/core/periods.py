"""Measurement periods (day, week with its start day, month): the grid that data points sit on."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Period(StrEnum):
    """How often a measure is collected."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def label(self) -> str:
        """Human-readable name."""
        return {Period.DAY: "Daily", Period.WEEK: "Weekly", Period.MONTH: "Monthly"}[self]


def on_grid(when: date, period: Period, week_start: int = 0) -> bool:
    """True when ``when`` is a valid period start (weeks start on ``week_start``, 0 = Monday)."""
    if period is Period.WEEK:
        return when.weekday() == week_start
    if period is Period.MONTH:
        return when.day == 1
    return True


def off_grid_reason(when: date, period: Period, week_start: int = 0) -> str | None:
    """Why ``when`` is not a period start of this measure, or ``None`` when it is."""
    if on_grid(when, period, week_start):
        return None
    if period is Period.WEEK:
        return (
            f"{format_date(when)} is a {WEEKDAYS[when.weekday()]}; this measure's weeks "
            f"start on {WEEKDAYS[week_start]}"
        )
    return f"{format_date(when)} is not the first of a month; this measure is monthly"


def snap(when: date, period: Period, week_start: int = 0) -> date:
    """The start of the period that contains ``when``."""
    if period is Period.WEEK:
        return when - timedelta(days=(when.weekday() - week_start) % 7)
    if period is Period.MONTH:
        return when.replace(day=1)
    return when


def next_period(when: date, period: Period) -> date:
    """The start of the period after the one starting at ``when``."""
    if period is Period.DAY:
        return when + timedelta(days=1)
    if period is Period.WEEK:
        return when + timedelta(days=7)
    year, month = (when.year + 1, 1) if when.month == 12 else (when.year, when.month + 1)
    return date(year, month, 1)


def format_date(when: date) -> str:
    """A date as people in the UK write it: ``3 March 2025``."""
    return f"{when.day} {when.strftime('%B %Y')}"


def format_period(when: date, period: Period) -> str:
    """A period label for tables and axes: ``Mar 2025`` for months, ``3 Mar 2025`` otherwise."""
    if period is Period.MONTH:
        return when.strftime("%b %Y")
    return f"{when.day} {when.strftime('%b %Y')}"
