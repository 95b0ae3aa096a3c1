"""Reading what people paste from Excel or LibreOffice: blocks of cells, UK dates and numbers.

Every parser raises :class:`CellError` with a plain reason; callers report it per cell and apply
nothing until every cell is good.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}


class CellError(ValueError):
    """A cell that cannot be read; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def split_block(text: str) -> list[list[str]]:
    """Split a pasted block into rows of cells (tab-separated; Excel's quoted cells kept whole).

    A trailing newline (Excel always adds one) does not make an extra row.
    """
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    quoted_start = True
    while i < n:
        ch = text[i]
        if ch == '"' and quoted_start:
            end = i + 1
            buf: list[str] = []
            while end < n:
                if text[end] == '"':
                    if end + 1 < n and text[end + 1] == '"':
                        buf.append('"')
                        end += 2
                        continue
                    break
                buf.append(text[end])
                end += 1
            if end < n and (end + 1 == n or text[end + 1] in "\t\r\n"):
                cell.extend(buf)
                i = end + 1
                quoted_start = False
                continue
        if ch == "\t":
            row.append("".join(cell))
            cell, quoted_start = [], True
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, quoted_start = [], [], True
        else:
            cell.append(ch)
            quoted_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows


_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_MON_YEAR = re.compile(r"^([A-Za-z]+)[\s\-/']*(\d{2}|\d{4})$")
_DAY_MON_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]*([A-Za-z]+)[\s\-/,]*(\d{2}|\d{4})$")


def _year(text: str) -> int:
    year = int(text)
    return 2000 + year if len(text) == 2 else year


def _make(year: int, month: int, day: int, original: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError(f"“{original}” is not a real date") from None


def parse_date(text: str) -> date:
    """A date written the UK way.

    Accepts 03/02/2025 (3 February), 3-2-25, 2025-02-03, Jan-25, January 2025 and 3 Feb 2025;
    month-only forms give the first of the month.
    """
    s = text.strip()
    if not s:
        raise CellError("the date is empty")
    if m := _ISO.match(s):
        return _make(int(m[1]), int(m[2]), int(m[3]), s)
    if m := _DMY.match(s):
        return _make(_year(m[3]), int(m[2]), int(m[1]), s)
    if (m := _DAY_MON_YEAR.match(s)) and m[2].lower() in MONTHS:
        return _make(_year(m[3]), MONTHS[m[2].lower()], int(m[1]), s)
    if (m := _MON_YEAR.match(s)) and m[1].lower() in MONTHS:
        return _make(_year(m[2]), MONTHS[m[1].lower()], 1, s)
    raise CellError(f"“{s}” is not a date (write it like 03/02/2025, Feb-25 or 2025-02-03)")


_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$|^[+-]?\.\d+$")


def parse_number(text: str, *, percent_as_fraction: bool = True) -> float:
    """A number as typed or pasted.

    Accepts ``1,234``, ``1 234``, ``12.5`` and ``85%`` (0.85 when ``percent_as_fraction``,
    else 85). Text, empty cells and "N/A" are refused.
    """
    s = text.strip().replace("\u00a0", " ")
    if not s:
        raise CellError("the cell is empty")
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    compact = s.replace(" ", "") if re.fullmatch(r"[+-]?\d{1,3}( \d{3})+(\.\d+)?", s) else s
    if not _NUMBER.match(compact):
        raise CellError(f"“{text.strip()}” is not a number")
    value = float(compact.replace(",", ""))
    if percent and percent_as_fraction:
        return value / 100.0
    return value
