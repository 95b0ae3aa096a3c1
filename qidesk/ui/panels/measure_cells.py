"""What each cell of the data grid means: columns, reading typed text, writing values. Qt-free.

The observations model, the paste planner and the tests share these rules, so that a typed
cell and a pasted cell are read the same way. Validation itself is the domain's
(:func:`qidesk.core.measures.observation_problems`); this module only maps its field names to
grid columns and adds the rules that only exist in a grid (a duplicate period among the rows,
text that is not a number).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from qidesk.core.measures import Measure, Observation, observation_problems
from qidesk.core.pasted import CellError, parse_date, parse_number
from qidesk.core.periods import format_date, format_period
from qidesk.core.spc.types import DataType


class Field(StrEnum):
    """A column of the data grid; the value is the ``Observation`` field it shows."""

    PERIOD = "period"
    NUMERATOR = "numerator"
    DENOMINATOR = "denominator"
    VALUE = "value"
    PLOTTED = "plotted"
    EXCLUDED = "excluded"
    EXCLUDE_REASON = "exclude_reason"
    NOTE = "note"

    @property
    def label(self) -> str:
        """Column heading."""
        return _LABELS[self]

    @property
    def is_number(self) -> bool:
        """True for the columns typed as numbers."""
        return self in (Field.NUMERATOR, Field.DENOMINATOR, Field.VALUE)

    @property
    def is_text(self) -> bool:
        """True for the free-text columns."""
        return self in (Field.NOTE, Field.EXCLUDE_REASON)


_LABELS = {
    Field.PERIOD: "Period",
    Field.NUMERATOR: "Numerator",
    Field.DENOMINATOR: "Denominator",
    Field.VALUE: "Value",
    Field.PLOTTED: "Plotted value",
    Field.EXCLUDED: "Excluded",
    Field.EXCLUDE_REASON: "Exclusion reason",
    Field.NOTE: "Note",
}


def value_fields(measure: Measure) -> tuple[Field, ...]:
    """The columns a data point's numbers are typed in (numerator and denominator, or value)."""
    if measure.is_ratio:
        return (Field.NUMERATOR, Field.DENOMINATOR)
    return (Field.VALUE,)


def columns_for(measure: Measure | None) -> tuple[Field, ...]:
    """The grid's columns for ``measure``, left to right."""
    if measure is None:
        return ()
    return (
        Field.PERIOD,
        *value_fields(measure),
        Field.PLOTTED,
        Field.EXCLUDED,
        Field.EXCLUDE_REASON,
        Field.NOTE,
    )


# --------------------------------------------------------------------------- reading cells


def parse_field(field: Field, text: str) -> date | float | str:
    """The value ``text`` stands for in ``field`` (raises :class:`CellError` with the reason)."""
    stripped = text.strip()
    if field is Field.PERIOD:
        return parse_date(stripped)
    if field.is_text:
        return stripped
    if field.is_number:
        if stripped.endswith("%") and field is not Field.VALUE:
            raise CellError(f"type the {field.label.lower()} as a number, not a percentage")
        if not stripped:
            raise CellError(
                "a point needs a number here; press Delete on the row to remove the point"
            )
        return parse_number(stripped, percent_as_fraction=False)
    raise CellError(f"the {field.label.lower()} column cannot be typed in")


def parse_percent(measure: Measure, text: str) -> float:
    """A pasted proportion such as ``85%`` as the stored fraction (0.85)."""
    stripped = text.strip()
    if stripped.endswith("%"):
        return parse_number(stripped, percent_as_fraction=True)
    return parse_number(stripped, percent_as_fraction=False) / measure.multiplier


def with_field(obs: Observation, field: Field, value: date | float | str) -> Observation:
    """``obs`` with ``field`` set to ``value`` (a number, a date or text)."""
    return obs.with_changes(**{field.value: value})


# --------------------------------------------------------------------------- showing cells


def format_number(value: float | None) -> str:
    """A typed number as it is shown and edited: ``12``, ``1,234``, ``7.25``."""
    if value is None or not math.isfinite(value):
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.10g}"


def unit_suffix(measure: Measure) -> str:
    """What follows a plotted value: the unit, or ``%`` for a proportion ×100."""
    unit = measure.unit.strip()
    if unit:
        return unit if unit.startswith("%") else f" {unit}"
    if measure.is_ratio and measure.multiplier == 100:
        return "%"
    if measure.is_ratio and measure.multiplier != 1:
        return f" per {format_number(measure.multiplier)}"
    return ""


def format_plotted(measure: Measure, value: float | None) -> str:
    """A value in display units with the measure's decimals and unit: ``85.0%``."""
    if value is None or not math.isfinite(value):
        return ""
    return f"{value:,.{measure.decimals}f}{unit_suffix(measure)}"


def format_cell(measure: Measure, obs: Observation, field: Field) -> str:
    """The text of one cell of a stored point."""
    if field is Field.PERIOD:
        return format_period(obs.period, measure.period)
    if field is Field.PLOTTED:
        return format_plotted(measure, obs.plotted(measure))
    if field.is_number:
        value: float | None = getattr(obs, field.value)
        return format_number(value)
    if field.is_text:
        return str(getattr(obs, field.value))
    return ""


# --------------------------------------------------------------------------- checking cells


def duplicate_reason(period: date, others: Iterable[Observation], own_id: str) -> str | None:
    """Why ``period`` cannot be used: another point of the measure already has it."""
    for other in others:
        if other.period == period and other.id != own_id:
            return f"there is already a point for {format_date(period)}"
    return None


def point_problems(measure: Measure, obs: Observation) -> dict[Field, str]:
    """The domain's reasons to refuse ``obs``, keyed by grid column."""
    return {Field(key): reason for key, reason in observation_problems(measure, obs).items()}


@dataclass(frozen=True)
class CellProblem:
    """One refused cell of a pasted block (``row``/``column`` count from 1, as people do)."""

    row: int
    column: int
    field: Field | None
    text: str
    reason: str

    def describe(self) -> str:
        """One line for the list of problems: where, what was there, and why."""
        where = f"Row {self.row}, column {self.column}"
        if self.field is not None:
            where += f" ({self.field.label})"
        shown = f" “{self.text.strip()}”" if self.text.strip() else ""
        return f"{where}{shown}: {self.reason}"


def is_proportion(measure: Measure) -> bool:
    """True for proportions (the only measures a pasted ``85%`` can be a point of)."""
    return measure.data_type is DataType.PROPORTION
