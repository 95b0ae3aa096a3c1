"""Turning a block pasted from Excel or LibreOffice into one batch of data edits. Qt-free.

A block is tab-separated rows (:func:`qidesk.core.pasted.split_block`). Its first column holds
dates when every cell of it reads as a date (03/02/2025, Jan-25, 2025-02-03…); then each row
goes to the point of that period (changed if it exists, added if not). Without dates, row ``i``
goes to the grid row ``start_row + i`` and, past the last point, to the periods that follow.
A first row with neither numbers nor dates is taken as headings and skipped.

Nothing is applied here: :func:`plan_paste` returns the edits and every problem, cell by cell;
the caller applies the edits as one undo step only when there is no problem at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from qidesk.core.measures import Measure, Observation
from qidesk.core.pasted import CellError, parse_date, parse_number, split_block
from qidesk.core.periods import format_date, next_period
from qidesk.services.measures import ObservationEdit
from qidesk.ui.panels.measure_cells import (
    CellProblem,
    Field,
    is_proportion,
    parse_field,
    parse_percent,
    point_problems,
    value_fields,
)

#: pseudo-field of a pasted percentage column (a proportion given as ``85%``)
PERCENT = "percent"


@dataclass(frozen=True)
class PastePlan:
    """What a paste would do: the edits, or why it cannot be done (``shape`` or ``problems``)."""

    edits: tuple[ObservationEdit, ...] = ()
    problems: tuple[CellProblem, ...] = ()
    shape: str | None = None
    rows: int = 0
    skipped_heading: bool = False

    @property
    def ok(self) -> bool:
        """True when the whole block can be applied."""
        return self.shape is None and not self.problems


def _reads_as(text: str, reader: object) -> bool:
    try:
        reader(text)  # type: ignore[operator]
    except CellError:
        return False
    return True


def _is_heading(row: Sequence[str]) -> bool:
    return not any(
        _reads_as(cell, parse_number) or _reads_as(cell, parse_date) for cell in row if cell.strip()
    )


def _labels(fields: Sequence[Field | str]) -> str:
    return ", ".join(f.label if isinstance(f, Field) else "Percentage" for f in fields)


def _choose_fields(
    measure: Measure, block: list[list[str]], width: int, start_field: Field | None
) -> tuple[list[Field | str], bool, str | None]:
    """(fields of the block's columns, whether column 1 is dates, shape problem)."""
    values = value_fields(measure)
    has_dates = all(_reads_as(row[0], parse_date) for row in block)
    percent_column = is_proportion(measure) and all(row[-1].strip().endswith("%") for row in block)
    if has_dates:
        if width == 1 + len(values):
            return [Field.PERIOD, *values], True, None
        if percent_column and width == 2:
            return [Field.PERIOD, PERCENT], True, None
        return (
            [],
            True,
            f"The block has {width} columns. With a date column first, this measure takes "
            f"{1 + len(values)}: {_labels([Field.PERIOD, *values])}. Nothing was pasted.",
        )
    if percent_column and width == 1:
        return [PERCENT], False, None
    if start_field is Field.NOTE and width == 1:
        return [Field.NOTE], False, None
    first = values.index(start_field) if start_field in values else 0
    available = values[first:]
    if width <= len(available):
        return list(available[:width]), False, None
    return (
        [],
        False,
        f"The block has {width} columns, but from the {available[0].label} column this "
        f"measure takes {len(available)}: {_labels(available)}. Copy just those columns "
        "(with a date column first if you like). Nothing was pasted.",
    )


def plan_paste(
    measure: Measure,
    observations: Sequence[Observation],
    text: str,
    *,
    start_row: int,
    start_field: Field | None,
    new_row_period: date,
) -> PastePlan:
    """The edits that pasting ``text`` at grid row ``start_row`` would make, or its problems.

    ``observations`` are the grid's points in period order (row ``len(observations)`` is the
    empty "next period" row, whose period is ``new_row_period``).
    """
    block = [row for row in split_block(text) if any(cell.strip() for cell in row)]
    if not block:
        return PastePlan(shape="There is nothing to paste: the clipboard holds no cells.")
    skipped = len(block) > 1 and _is_heading(block[0])
    first_row_number = 2 if skipped else 1
    if skipped:
        block = block[1:]
    width = max(len(row) for row in block)
    block = [row + [""] * (width - len(row)) for row in block]
    fields, has_dates, shape = _choose_fields(measure, block, width, start_field)
    if shape is not None:
        return PastePlan(shape=shape, rows=len(block), skipped_heading=skipped)

    by_period = {o.period: o for o in observations}
    periods = _row_periods(measure, observations, len(block), start_row, new_row_period)
    problems: list[CellProblem] = []
    edits: list[ObservationEdit] = []
    seen: dict[date, int] = {}
    for i, row in enumerate(block):
        number = i + first_row_number
        values: dict[str, object] = {}
        period: date | None = None if has_dates else periods[i]
        for column, (field, cell) in enumerate(zip(fields, row, strict=True), start=1):
            try:
                if field == PERCENT:
                    values.update(value=parse_percent(measure, cell), numerator=None,
                                  denominator=None)  # fmt: skip
                elif field is Field.PERIOD:
                    period = parse_date(cell)
                else:
                    values[str(field)] = parse_field(Field(field), cell)
            except CellError as exc:
                label = None if field == PERCENT else Field(field)
                problems.append(CellProblem(number, column, label, cell, exc.reason))
        if period is None:
            continue
        if period in seen:
            problems.append(
                CellProblem(
                    number,
                    1,
                    Field.PERIOD,
                    format_date(period),
                    f"{format_date(period)} is also in row {seen[period]} of the block",
                )
            )
            continue
        seen[period] = number
        if any(p.row == number for p in problems):
            continue
        before = by_period.get(period)
        base = before if before is not None else Observation(measure.id, period)
        after = base.with_changes(**values)
        for field_name, reason in point_problems(measure, after).items():
            column = _column_of(fields, field_name)
            problems.append(CellProblem(number, column, field_name, row[column - 1], reason))
        if after != before:
            edits.append(ObservationEdit(before, after))
    return PastePlan(
        edits=tuple(edits),
        problems=tuple(problems),
        rows=len(block),
        skipped_heading=skipped,
    )


def _row_periods(
    measure: Measure,
    observations: Sequence[Observation],
    count: int,
    start_row: int,
    new_row_period: date,
) -> list[date]:
    """The periods of ``count`` grid rows from ``start_row`` (continuing past the last point)."""
    periods: list[date] = []
    for i in range(count):
        row = start_row + i
        if row < len(observations):
            periods.append(observations[row].period)
        elif row == len(observations) or not periods:
            periods.append(new_row_period)
        else:
            periods.append(next_period(periods[-1], measure.period))
    return periods


def _column_of(fields: Sequence[Field | str], field: Field) -> int:
    """1-based block column to blame for a problem with ``field``.

    The column holding ``field``; else the first column that is not the date (a problem such
    as "the numerator is missing" belongs to the numbers the block did give).
    """
    for i, f in enumerate(fields, start=1):
        if f == field:
            return i
    for i, f in enumerate(fields, start=1):
        if f != Field.PERIOD:
            return i
    return 1
