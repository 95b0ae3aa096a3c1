from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qidesk.core.pasted import CellError, parse_date, parse_number, split_block
from qidesk.core.periods import (
    Period,
    format_date,
    format_period,
    next_period,
    off_grid_reason,
    on_grid,
    snap,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03/02/2025", date(2025, 2, 3)),
        ("3/2/25", date(2025, 2, 3)),
        ("03-02-2025", date(2025, 2, 3)),
        ("03.02.2025", date(2025, 2, 3)),
        ("2025-02-03", date(2025, 2, 3)),
        ("2025-02-03 00:00:00", date(2025, 2, 3)),
        ("Jan-25", date(2025, 1, 1)),
        ("January 2025", date(2025, 1, 1)),
        ("sept 2024", date(2024, 9, 1)),
        ("3 Feb 2025", date(2025, 2, 3)),
        ("3rd February 2025", date(2025, 2, 3)),
        ("03-Feb-25", date(2025, 2, 3)),
        (" 1/12/2024 ", date(2024, 12, 1)),
    ],
)
def test_uk_dates(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("31/02/2025", "not a real date"),
        ("next week", "not a date"),
        ("Foo-25", "not a date"),
        ("2025-13-01", "not a real date"),
    ],
)
def test_bad_dates_say_why(text, reason):
    with pytest.raises(CellError) as info:
        parse_date(text)
    assert reason in info.value.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12.0),
        ("1,234", 1234.0),
        ("1,234,567.5", 1234567.5),
        ("1 234", 1234.0),
        ("-3.5", -3.5),
        (".5", 0.5),
        ("85%", 0.85),
        ("85 %", 0.85),
        ("12.5%", 0.125),
        ("\u00a042\u00a0", 42.0),
    ],
)
def test_numbers(text, expected):
    assert parse_number(text) == pytest.approx(expected)


def test_percent_kept_as_number_when_asked():
    assert parse_number("85%", percent_as_fraction=False) == 85.0


@pytest.mark.parametrize("text", ["", "N/A", "twelve", "1,23", "12,3456", "1.2.3", "--1", "%"])
def test_bad_numbers_refused(text):
    with pytest.raises(CellError):
        parse_number(text)


def test_split_block_like_excel():
    assert split_block("a\tb\n1\t2\n") == [["a", "b"], ["1", "2"]]
    assert split_block("a\tb\r\n1\t\r\n") == [["a", "b"], ["1", ""]]
    assert split_block('"line one\nline two"\t5\n') == [["line one\nline two", "5"]]
    assert split_block('"say ""hi"""\tx') == [['say "hi"', "x"]]
    assert split_block("single") == [["single"]]
    assert split_block("") == []
    assert split_block('5 "inches"\tx\n') == [['5 "inches"', "x"]]
    assert split_block('"unterminated\tx') == [['"unterminated', "x"]]


@given(
    st.lists(
        st.lists(st.text(alphabet="abc 12,.", max_size=6), min_size=1, max_size=4),
        min_size=1,
        max_size=5,
    )
)
def test_split_block_roundtrips_plain_cells(rows):
    text = "\n".join("\t".join(r) for r in rows) + "\n"
    assert split_block(text) == rows


def test_period_grid():
    monday = date(2025, 3, 3)
    assert on_grid(monday, Period.WEEK, 0)
    assert not on_grid(monday, Period.WEEK, 6)
    assert "weeks start on Sunday" in (off_grid_reason(monday, Period.WEEK, 6) or "")
    assert off_grid_reason(date(2025, 3, 2), Period.MONTH) is not None
    assert off_grid_reason(date(2025, 3, 1), Period.MONTH) is None
    assert on_grid(date(2025, 3, 5), Period.DAY)
    assert snap(date(2025, 3, 5), Period.WEEK, 0) == monday
    assert snap(date(2025, 3, 5), Period.MONTH) == date(2025, 3, 1)
    assert snap(date(2025, 3, 5), Period.DAY) == date(2025, 3, 5)


def test_next_period():
    assert next_period(date(2025, 1, 31), Period.DAY) == date(2025, 2, 1)
    assert next_period(date(2025, 3, 3), Period.WEEK) == date(2025, 3, 10)
    assert next_period(date(2025, 12, 1), Period.MONTH) == date(2026, 1, 1)
    assert next_period(date(2025, 1, 1), Period.MONTH) == date(2025, 2, 1)


def test_formats():
    assert format_date(date(2025, 3, 3)) == "3 March 2025"
    assert format_period(date(2025, 3, 1), Period.MONTH) == "Mar 2025"
    assert format_period(date(2025, 3, 3), Period.WEEK) == "3 Mar 2025"
    assert Period.WEEK.label == "Weekly"
