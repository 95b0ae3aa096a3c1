"""ObservationsModel (the grid's Qt adapter) and the paste planner behind Ctrl+V."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from qidesk.core.measures import Measure, Observation
from qidesk.core.periods import Period
from qidesk.core.spc.types import DataType
from qidesk.services.measures import ObservationEdit
from qidesk.ui.models.observations_model import ObservationsModel
from qidesk.ui.panels.measure_cells import Field, columns_for
from qidesk.ui.panels.measure_paste import plan_paste

MONDAY = date(2025, 3, 3)
PROP = Measure(
    "p1", "Screened", data_type=DataType.PROPORTION, multiplier=100, period=Period.WEEK, unit="%"
)
COUNT = Measure("p1", "Falls", data_type=DataType.COUNT, period=Period.MONTH)
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole


def week(i: int) -> date:
    return MONDAY + timedelta(weeks=i)


def prop(i: int, numerator: float = 30, denominator: float = 50, **kw: object) -> Observation:
    return Observation(PROP.id, week(i), numerator=numerator, denominator=denominator, **kw)  # type: ignore[arg-type]


class FakeStore:
    """Stands in for the service and the undo stack: applies each batch, then syncs the model."""

    def __init__(self, model: ObservationsModel, points: Sequence[Observation] = ()) -> None:
        self.model = model
        self.points = list(points)
        self.batches: list[tuple[list[ObservationEdit], str]] = []
        model.edit_sink = self

    def __call__(self, edits: Sequence[ObservationEdit], text: str) -> None:
        self.batches.append((list(edits), text))
        for edit in edits:
            if edit.before is not None:
                self.points = [p for p in self.points if p.id != edit.before.id]
            if edit.after is not None:
                self.points.append(edit.after)
        self.points.sort(key=lambda p: p.period)
        touched = {e.before.id for e in edits if e.before} | {e.after.id for e in edits if e.after}
        self.model.sync(self.points, touched)


@pytest.fixture
def model(qtbot: QtBot) -> ObservationsModel:
    return ObservationsModel(today=lambda: date(2025, 3, 5))


def cell(model: ObservationsModel, row: int, field: Field, role: int = DISPLAY) -> object:
    return model.data(model.index(row, model.column_of(field)), role)


def type_in(model: ObservationsModel, row: int, field: Field, text: str) -> bool:
    return model.setData(model.index(row, model.column_of(field)), text, EDIT)


# -- the Qt contract -------------------------------------------------------------------------------


def test_model_contract_holds_while_rows_change(
    qtmodeltester: ModelTester, model: ObservationsModel
):
    qtmodeltester.check(model)  # no measure: no rows, no columns
    store = FakeStore(model, [prop(0), prop(1, excluded=True, exclude_reason="lost sheet")])
    model.set_measure(PROP, store.points)
    qtmodeltester.check(model)
    assert type_in(model, model.new_row, Field.NUMERATOR, "12")
    assert type_in(model, model.new_row, Field.DENOMINATOR, "40")  # inserts a row
    assert type_in(model, 0, Field.NOTE, "short-staffed")  # changes a row
    assert type_in(model, 0, Field.PERIOD, "24/03/2025")  # moves a row to the end
    assert not type_in(model, 1, Field.NUMERATOR, "lots")  # a refused cell
    store([ObservationEdit(store.points[0], None), ObservationEdit(None, prop(9))], "delete + add")
    qtmodeltester.check(model)
    model.set_measure(COUNT, [Observation(COUNT.id, date(2025, 1, 1), value=3)])
    qtmodeltester.check(model)


def test_columns_follow_the_data_type(model: ObservationsModel):
    model.set_measure(PROP, [])
    headings = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert headings == [
        "Period", "Numerator", "Denominator", "Plotted value", "Excluded", "Exclusion reason",
        "Note",
    ]  # fmt: skip
    model.set_measure(COUNT, [])
    assert [f.label for f in model.columns][:3] == ["Period", "Value", "Plotted value"]
    assert columns_for(None) == ()


def test_rows_show_the_points_and_a_next_period_row(model: ObservationsModel):
    model.set_measure(PROP, [prop(1, 42.5, 50, note="agency"), prop(0, 1234, 2000)])
    assert model.rowCount() == 3
    assert cell(model, 0, Field.PERIOD) == "3 Mar 2025"
    assert cell(model, 0, Field.NUMERATOR) == "1,234"
    assert cell(model, 0, Field.PLOTTED) == "61.7%"
    assert cell(model, 1, Field.PLOTTED) == "85.0%"
    assert cell(model, 1, Field.NOTE) == "agency"
    assert cell(model, 1, Field.EXCLUDED, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    new = model.new_row
    assert model.headerData(new, Qt.Orientation.Vertical) == "New"
    assert cell(model, new, Field.PERIOD) == "17 Mar 2025"  # the week after the last point
    assert cell(model, new, Field.NUMERATOR) == ""
    plotted = model.index(0, model.column_of(Field.PLOTTED))
    assert not model.flags(plotted) & Qt.ItemFlag.ItemIsEditable
    excluded = model.index(0, model.column_of(Field.EXCLUDED))
    assert model.flags(excluded) & Qt.ItemFlag.ItemIsUserCheckable


def test_an_empty_measure_starts_at_this_period(model: ObservationsModel):
    model.set_measure(PROP, [])
    assert model.new_row_period() == date(2025, 3, 3)  # Wednesday 5 March → its week's Monday
    model.set_measure(COUNT, [])
    assert model.new_row_period() == date(2025, 3, 1)


# -- typing ---------------------------------------------------------------------------------------


def test_a_typed_value_is_one_edit_and_the_model_follows(model: ObservationsModel):
    store = FakeStore(model)
    model.set_measure(COUNT, [])
    assert type_in(model, model.new_row, Field.VALUE, "4")
    ((edits, text),) = store.batches
    assert edits[0].before is None
    assert edits[0].after is not None and edits[0].after.value == 4
    assert text == "Add the point for 1 March 2025"
    assert model.rowCount() == 2
    assert cell(model, 0, Field.VALUE) == "4"
    assert cell(model, model.new_row, Field.PERIOD) == "Apr 2025"
    assert type_in(model, 0, Field.VALUE, "5")
    assert store.batches[-1][0][0].before == edits[0].after
    assert cell(model, 0, Field.VALUE) == "5"
    assert type_in(model, 0, Field.VALUE, "5")  # unchanged: nothing submitted
    assert len(store.batches) == 2


def test_a_ratio_point_waits_for_both_halves(model: ObservationsModel):
    store = FakeStore(model)
    model.set_measure(PROP, [])
    new = model.new_row
    assert type_in(model, new, Field.NUMERATOR, "12")
    assert store.batches == []
    assert model.missing_field() is Field.DENOMINATOR
    assert cell(model, new, Field.NUMERATOR) == "12"
    assert cell(model, new, Field.DENOMINATOR) == "needs a denominator"
    assert isinstance(cell(model, new, Field.DENOMINATOR, Qt.ItemDataRole.DecorationRole), QIcon)
    assert "needs a denominator" in model.problem_lines()[0]
    assert type_in(model, new, Field.DENOMINATOR, "16")
    assert len(store.batches) == 1
    assert model.pending() == {}
    assert model.problem_lines() == []
    assert cell(model, 0, Field.PLOTTED) == "75.0%"


def test_the_new_rows_period_can_be_typed(model: ObservationsModel):
    store = FakeStore(model)
    model.set_measure(PROP, [])
    assert type_in(model, model.new_row, Field.PERIOD, "10/02/2025")
    assert model.new_row_period() == date(2025, 2, 10)
    assert not type_in(model, model.new_row, Field.PERIOD, "11/02/2025")  # a Tuesday
    assert type_in(model, model.new_row, Field.NUMERATOR, "1")
    assert type_in(model, model.new_row, Field.DENOMINATOR, "2")
    assert store.points[0].period == date(2025, 2, 10)
    assert model.new_row_period() == date(2025, 2, 17)


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        (Field.NUMERATOR, "twelve", "“twelve” is not a number"),
        (Field.DENOMINATOR, "0", "the denominator must be above zero"),
        (Field.NUMERATOR, "60", "the numerator (60) is larger than the denominator (50)"),
        (Field.NUMERATOR, "85%", "not a percentage"),
        (Field.PERIOD, "10/03/2025", "there is already a point for 10 March 2025"),
        (Field.PERIOD, "04/03/2025", "this measure's weeks start on Monday"),
        (Field.PERIOD, "31/02/2025", "is not a real date"),
        (Field.NUMERATOR, "", "press Delete on the row to remove the point"),
    ],
)
def test_a_bad_cell_is_refused_marked_and_never_saved(
    model: ObservationsModel, field: Field, text: str, reason: str
):
    store = FakeStore(model, [prop(0), prop(1)])
    model.set_measure(PROP, store.points)
    assert not type_in(model, 0, field, text)
    assert store.batches == []
    assert cell(model, 0, field) == text
    assert reason in str(cell(model, 0, field, Qt.ItemDataRole.ToolTipRole))
    assert isinstance(cell(model, 0, field, Qt.ItemDataRole.DecorationRole), QIcon)
    assert isinstance(cell(model, 0, field, Qt.ItemDataRole.BackgroundRole), QBrush)
    assert reason in str(cell(model, 0, field, Qt.ItemDataRole.AccessibleDescriptionRole))
    (line,) = model.problem_lines()
    assert line.startswith(f"3 Mar 2025, {field.label}:")
    assert reason in line
    assert model.refusal_at(0, model.column_of(field)) is not None


def test_fixing_a_refused_cell_clears_the_mark(model: ObservationsModel):
    store = FakeStore(model, [prop(0)])
    model.set_measure(PROP, store.points)
    assert not type_in(model, 0, Field.DENOMINATOR, "abc")
    assert type_in(model, 0, Field.DENOMINATOR, "60")
    assert model.problem_lines() == []
    assert cell(model, 0, Field.DENOMINATOR) == "60"
    assert len(store.batches) == 1


def test_a_refused_half_of_a_new_ratio_point_keeps_the_other(model: ObservationsModel):
    store = FakeStore(model)
    model.set_measure(PROP, [])
    new = model.new_row
    assert type_in(model, new, Field.NUMERATOR, "8")
    assert not type_in(model, new, Field.DENOMINATOR, "5")  # 8 out of 5
    assert "larger than the denominator" in model.problem_lines()[0]
    assert type_in(model, new, Field.NUMERATOR, "4")  # 4 out of 5 is fine
    assert len(store.batches) == 1
    assert model.problem_lines() == []


def test_a_note_that_looks_like_patient_details_is_checked_first(model: ObservationsModel):
    store = FakeStore(model, [prop(0)])
    model.set_measure(PROP, store.points)
    asked: list[tuple[str, str]] = []

    def refuse(label: str, text: str) -> bool:
        asked.append((label, text))
        return False

    model.text_guard = refuse
    assert not type_in(model, 0, Field.NOTE, "fall: NHS 943 476 5919")
    assert asked == [("Note", "fall: NHS 943 476 5919")]
    assert store.batches == []


def test_ticking_excluded_asks_for_a_reason(qtbot: QtBot, model: ObservationsModel):
    store = FakeStore(model, [prop(0), prop(1, excluded=True, exclude_reason="lost sheet")])
    model.set_measure(PROP, store.points)
    box = model.index(0, model.column_of(Field.EXCLUDED))
    with qtbot.waitSignal(model.reason_needed) as blocker:
        assert not model.setData(box, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert blocker.args == [0]
    assert store.batches == []
    unticked = model.index(1, model.column_of(Field.EXCLUDED))
    assert model.setData(unticked, Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    after = store.batches[0][0][0].after
    assert after is not None and not after.excluded and after.exclude_reason == ""


# -- following the store --------------------------------------------------------------------------


def test_sync_inserts_removes_and_updates_only_what_changed(qtbot: QtBot, model: ObservationsModel):
    points = [prop(i) for i in range(5)]
    model.set_measure(PROP, points)
    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    changed: list[int] = []
    model.rowsInserted.connect(lambda _p, a, b: inserted.append((a, b)))
    model.rowsRemoved.connect(lambda _p, a, b: removed.append((a, b)))
    model.dataChanged.connect(lambda tl, _br, _roles=(): changed.append(tl.row()))
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))

    updated = points[2].with_changes(numerator=10.0)
    model.sync([*points[:2], updated, *points[3:]], {updated.id})
    assert changed[0] == 2
    assert cell(model, 2, Field.NUMERATOR) == "10"

    model.sync([points[0], points[3], points[4], prop(7), prop(8)], None)
    assert removed == [(1, 2)]
    assert inserted == [(3, 4)]
    assert [o.period for o in model.observations()] == [week(0), week(3), week(4), week(7), week(8)]
    moved = points[0].with_changes(period=week(9))
    model.sync([*model.observations()[1:], moved], {moved.id})
    assert resets == [True]  # a point moved: the rows were re-read
    assert model.observations()[-1] == moved
    assert model.new_row_period() == week(10)


def test_a_changed_measure_definition_is_followed(model: ObservationsModel):
    model.set_measure(PROP, [prop(0)])
    model.update_measure(PROP.with_changes(decimals=0))
    assert cell(model, 0, Field.PLOTTED) == "60%"
    model.update_measure(PROP.with_changes(data_type=DataType.CONTINUOUS))
    assert Field.VALUE in model.columns


# -- pasting (Qt-free planner) --------------------------------------------------------------------


def plan(
    text: str,
    points: Sequence[Observation] = (),
    *,
    row: int | None = None,
    field: Field | None = Field.NUMERATOR,
    measure: Measure = PROP,
):
    start = len(points) if row is None else row
    new_period = week(len(points)) if points or measure is PROP else date(2025, 1, 1)
    return plan_paste(
        measure, list(points), text, start_row=start, start_field=field, new_row_period=new_period
    )


def test_paste_with_a_date_column_in_uk_formats():
    result = plan("03/03/2025\t30\t50\n2025-03-10\t1,234\t2,000\n17 Mar 2025\t40\t50\n")
    assert result.ok
    assert [e.after.period for e in result.edits if e.after] == [week(0), week(1), week(2)]
    assert [e.after.numerator for e in result.edits if e.after] == [30, 1234, 40]
    monthly = plan("Jan-25\t3\nFeb-25\t5\n", measure=COUNT, field=Field.VALUE)
    assert monthly.ok
    assert [e.after.period for e in monthly.edits if e.after] == [
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_paste_without_dates_continues_from_the_selected_row():
    existing = [prop(0), prop(1)]
    result = plan("31\t50\n32\t50\n33\t50", existing, row=1)
    assert result.ok
    befores = [e.before for e in result.edits]
    afters = [e.after for e in result.edits if e.after]
    assert befores[0] == existing[1]
    assert befores[1:] == [None, None]
    assert [a.period for a in afters] == [week(1), week(2), week(3)]


def test_paste_one_column_into_the_denominators():
    existing = [prop(0), prop(1)]
    result = plan("60\n70", existing, row=0, field=Field.DENOMINATOR)
    assert result.ok
    assert [e.after.denominator for e in result.edits if e.after] == [60, 70]
    assert [e.after.numerator for e in result.edits if e.after] == [30, 30]


def test_paste_percentages_of_a_proportion():
    result = plan("03/03/2025\t85%\n10/03/2025\t90%")
    assert result.ok
    assert [e.after.value for e in result.edits if e.after] == [0.85, 0.9]


def test_paste_skips_a_heading_row():
    result = plan("Week\tScreened\tAdmitted\n03/03/2025\t30\t50")
    assert result.ok
    assert result.skipped_heading
    assert len(result.edits) == 1


def test_paste_of_the_wrong_shape_is_refused_whole():
    result = plan("03/03/2025\t30\t50\t9")
    assert result.shape is not None
    assert "4 columns" in result.shape
    assert "Period, Numerator, Denominator" in result.shape
    assert not result.edits
    three = plan("1\t2\t3", measure=COUNT, field=Field.VALUE)
    assert three.shape is not None and "3 columns" in three.shape


def test_paste_names_every_bad_cell_by_row_and_column():
    existing = [prop(0)]
    text = (
        "03/03/2025\t30\t50\n10/03/2025\tn/a\t50\n18/03/2025\t5\t0\n"
        "24/03/2025\t9\t5\n10/03/2025\t1\t2"
    )
    result = plan(text, existing)
    lines = [p.describe() for p in result.problems]
    assert not result.ok
    assert "Row 2, column 2 (Numerator) “n/a”: “n/a” is not a number" in lines
    assert any(line.startswith("Row 3, column 1 (Period)") and "Tuesday" in line for line in lines)
    assert (
        "Row 4, column 2 (Numerator) “9”: the numerator (9) is larger than the denominator (5)"
        in lines
    )
    assert any(line.startswith("Row 5, column 1") and "also in row 2" in line for line in lines)


def test_paste_of_the_same_values_changes_nothing():
    existing = [prop(0)]
    result = plan("03/03/2025\t30\t50", existing)
    assert result.ok
    assert result.edits == ()


def test_paste_of_nothing_is_explained():
    assert plan("\n\n").shape == "There is nothing to paste: the clipboard holds no cells."
    assert plan("", []).shape is not None
