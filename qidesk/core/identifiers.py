"""Patient-identifier guard: warn before free text that holds patient details is saved.

qidesk holds aggregate quality-improvement data only. Every free-text field and every paste goes
through :func:`find_identifiers` before it is saved; when something is found, the UI shows
:func:`warning_message` with "edit / keep" (reliability.md §3.8, PID-R1: warn, don't block). This
module never changes the text.

Kinds of finding (``IdentifierFinding.kind``):

``"nhs_number"``
    A 10-digit number that passes the NHS Number Modulus 11 check, written plain (``9434765919``),
    in 3-3-4 groups with spaces (``943 476 5919``) or with hyphens (``943-476-5919``), and not part
    of a longer run of digits. Also a 10-digit number that fails the check but is labelled
    "NHS number" / "NHS no" (probably a mistyped one).
``"date_of_birth"``
    A full date (day, month and year) written next to "DOB", "D.O.B.", "date of birth",
    "birth date" or "born".
``"hospital_number"``
    A local patient identifier (0-3 letters, 6-10 digits, optionally one trailing letter) that
    follows a label such as "MRN", "hospital number", "hosp no", "unit no", "patient ID",
    "K number", "case note number" or "PAS number". Unlabelled letter-and-digit codes are never
    flagged: there is no national format and QI text is full of codes.
``"postcode_with_name"``
    A full UK postcode within a few words of a title and name (``Mrs Jones ... LS1 3EX``). A
    postcode or a name on its own is not flagged: site addresses and clinicians ("Mr Patel,
    consultant surgeon") appear in QI text all the time.

Precision matters as much as recall: QI text is full of counts, percentages, dates of PDSA
cycles and measure periods ("from 62% to 80% by March 2026"), ward names and phone extensions,
and a warning that fires on every aim teaches people to click "keep". Each rule therefore needs
a strong signal: a check digit, or a label next to the value.
"""

from __future__ import annotations

import bisect
import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

NHS_NUMBER: Final = "nhs_number"
DATE_OF_BIRTH: Final = "date_of_birth"
HOSPITAL_NUMBER: Final = "hospital_number"
POSTCODE_WITH_NAME: Final = "postcode_with_name"

KINDS: Final[tuple[str, ...]] = (NHS_NUMBER, DATE_OF_BIRTH, HOSPITAL_NUMBER, POSTCODE_WITH_NAME)
"""Every kind :func:`find_identifiers` reports, strongest signal first (used to settle overlaps)."""

RULE: Final = "qidesk is for aggregate data only: remove patient identifiers before saving."


@dataclass(frozen=True)
class IdentifierFinding:
    """One stretch of text that looks like a patient identifier.

    ``start`` and ``end`` index the checked text (``text[start:end] == finding.text``); ``kind`` is
    one of :data:`KINDS`; ``reason`` says in plain English why it was flagged.
    """

    kind: str
    start: int
    end: int
    text: str
    reason: str


# --------------------------------------------------------------------------------------------
# NHS numbers
# --------------------------------------------------------------------------------------------


def nhs_check_digit(first_nine: str) -> int | None:
    """The NHS Number check digit for nine ASCII digits, or None when no check digit exists.

    NHS Data Dictionary, "NHS Number" (Modulus 11 validation): multiply the first nine digits by
    the weights 10, 9, ... 2 and add the products; divide the total by 11 and take the remainder;
    subtract the remainder from 11. A result of 11 gives the check digit 0; a result of 10 means
    the nine digits cannot form a valid NHS number, and None is returned.

    Raises ValueError when ``first_nine`` is not exactly nine ASCII digits.
    """
    if not re.fullmatch(r"[0-9]{9}", first_nine):
        raise ValueError(f"expected nine digits, got {first_nine!r}")
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, weights, strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def is_valid_nhs_number(digits: str) -> bool:
    """True when ``digits`` is a 10-digit number whose last digit is its Modulus 11 check digit.

    Source: NHS Data Dictionary, "NHS Number" — weights 10 down to 2 over the first nine digits,
    check digit = 11 - (sum mod 11), where 11 becomes 0 and 10 makes the number invalid; the
    result must equal the tenth digit. Spaces and hyphens are ignored (``"943 476 5919"`` is
    valid); anything else than ten ASCII digits is not valid.

    This is the bare check-digit algorithm: ``"0000000000"`` and the other all-same-digit strings
    pass it, although :func:`find_identifiers` ignores them as obvious placeholders.
    """
    compact = re.sub(r"[ \u00a0-]", "", digits)
    if not re.fullmatch(r"[0-9]{10}", compact):
        return False
    return nhs_check_digit(compact[:9]) == int(compact[9])


# Ten digits written plain, or 3-3-4 with one kind of separator (space, no-break space, hyphen).
# Not next to a letter or digit (so not inside a longer number, a code or a hash), not a decimal
# ("0.9434765919"), not one group of a longer hyphenated or spaced digit sequence
# ("12 943 476 5919", "2024-9434765919"). UK phone numbers have 11 digits ("0113 243 2799",
# "07700 900123") and so never fit.
_NHS_SHAPE_RE: Final = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9]\.)"
    r"(?:"
    r"(?<![0-9]-)(?P<plain>[0-9]{10})(?!-[0-9])"
    r"|(?<![0-9][ \u00a0-])[0-9]{3}(?P<sep>[ \u00a0-])[0-9]{3}(?P=sep)[0-9]{4}(?![ \u00a0-][0-9])"
    r")"
    r"(?![0-9A-Za-z])(?!\.[0-9])"
)

# "NHS number", "NHS no.", "NHS No:", "NHS#", optionally "is"/"was", right before the number.
_NHS_LABEL_BEFORE_RE: Final = re.compile(
    r"(?<![A-Za-z])NHS\s*(?:number|no\.?|num\.?|#)(?![A-Za-z])[\s:#=\-]*(?:(?:is|was)\s+)?$",
    re.IGNORECASE,
)

# Obvious placeholders that are never taken for a real number, even when labelled.
_PLACEHOLDERS: Final = frozenset({"0123456789", "1234567890", "9876543210", "0987654321"})


def _spaced(digits: str) -> str:
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def _find_nhs_numbers(text: str) -> list[IdentifierFinding]:
    """NHS numbers: the Modulus 11 check, or a failing 10-digit number labelled "NHS number".

    About one random 10-digit number in eleven passes the check, so an unrelated 10-digit number
    (an order number, say) can still be flagged; the warning is non-blocking for that reason.
    All-same-digit strings (``0000000000``, ``1111111111``...) always pass and are ignored.
    """
    findings: list[IdentifierFinding] = []
    for match in _NHS_SHAPE_RE.finditer(text):
        written = match.group(0)
        digits = re.sub(r"[^0-9]", "", written)
        if len(set(digits)) == 1:
            continue
        if is_valid_nhs_number(digits):
            reason = f"10-digit number that passes the NHS number check ({_spaced(digits)})"
        elif digits not in _PLACEHOLDERS and _NHS_LABEL_BEFORE_RE.search(
            text, max(0, match.start() - 30), match.start()
        ):
            reason = (
                f"10-digit number labelled as an NHS number ({_spaced(digits)}); it fails the "
                "NHS number check, so it may be a mistyped one"
            )
        else:
            continue
        findings.append(IdentifierFinding(NHS_NUMBER, match.start(), match.end(), written, reason))
    return findings


# --------------------------------------------------------------------------------------------
# Dates of birth
# --------------------------------------------------------------------------------------------

_MONTH: Final = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_NUMBERS: Final = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

# A full date: dd/mm/yyyy, d.m.yy, dd-mm-yy; yyyy-mm-dd; "3 May 1950", "3rd of May 1950",
# "12-Mar-56"; "March 12, 1956". A year alone, a month and year ("March 2026") or a day and month
# are never a date of birth here.
_DATE_RE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?<![0-9][/.\-])"
    r"(?:"
    r"(?P<nd>[0-9]{1,2})(?P<ns>[/.\-])(?P<nm>[0-9]{1,2})(?P=ns)(?P<ny>[0-9]{4}|[0-9]{2})"
    r"|(?P<iy>[0-9]{4})(?P<is>[/.\-])(?P<im>[0-9]{1,2})(?P=is)(?P<id>[0-9]{1,2})"
    r"|(?P<td>[0-9]{1,2})(?:st|nd|rd|th)?(?:\s+of)?(?:\s*[-/.]\s*|\s+)(?P<tm>" + _MONTH + r")\.?"
    r"(?:,?\s*[-/.]\s*|,?\s+)'?(?P<ty>[0-9]{4}|[0-9]{2})"
    r"|(?P<mm>" + _MONTH + r")\.?\s+(?P<md>[0-9]{1,2})(?:st|nd|rd|th)?,?\s+(?P<my>[0-9]{4})"
    r")"
    r"(?![A-Za-z0-9])(?![/.\-][0-9])",
    re.IGNORECASE,
)

_DOB_KEYWORD_RE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"(?P<abbrev>dob\.?|d\.\s?o\.\s?b\.?)"
    r"|(?P<phrase>date[\s-]+of[\s-]+birth|birth[\s-]?date)"
    r"|(?<!-)(?P<born>born)"
    r")(?![A-Za-z0-9])",
    re.IGNORECASE,
)

# Words allowed between a keyword and its date: "DOB: 12/03/1956", "date of birth is 3 May 1950",
# "DOB given as 12.03.56". Any other word breaks the link ("DOB field audited from
# 01/04/2025"), and so do digits and the end of a sentence.
_DOB_GAP_WORDS: Final = frozenset(
    {"is", "was", "of", "the", "patient", "patient's", "pt", "pt's", "his", "her", "their",
     "on", "given", "as", "stated", "reads"}
)  # fmt: skip
# "born" is a common word ("Born in Bradford", "born after 1 April 2020" as an inclusion
# criterion), so only "born 3 May 1950", "born on 3 May 1950" and "born on the 3rd of May 1950".
_BORN_GAP_WORDS: Final = frozenset({"on", "the"})
_MAX_GAP_WORDS: Final = 3
_MAX_GAP_CHARS: Final = 40
_GAP_CHARS_RE: Final = re.compile(r"[\s:#=\-–—(),'\"A-Za-z’]*")
_WORD_RE: Final = re.compile(r"[A-Za-z][A-Za-z'’]*")

# Two dates joined into a period: "01/04/2025 - 30/06/2025", "1 Jan 1950 to 31 Dec 1960".
# ("between X and Y" never links: "between" is not a linking word.)
_RANGE_JOIN_RE: Final = re.compile(r"\s*(?:-|–|—|to|until|till|through)\s*", re.IGNORECASE)
# A date that opens or closes a period: "DOB 01/04/2020 onwards", "DOB 1/1/1950 or earlier".
_OPEN_RANGE_AFTER_RE: Final = re.compile(
    r"\s*(?:onwards|or\s+(?:later|after|earlier|before|older|younger)"
    r"|and\s+(?:later|after|earlier|before|older|younger))(?![A-Za-z])",
    re.IGNORECASE,
)


def _is_real_date(match: re.Match[str]) -> bool:
    """True when the day, month and year of a ``_DATE_RE`` match form a calendar date."""
    if match.group("nd") is not None:
        day, month, year = int(match.group("nd")), int(match.group("nm")), match.group("ny")
        # UK order first; a US-order date (03/25/1956) next to "DOB" is still a date of birth.
        return _valid_dmy(day, month, year) or _valid_dmy(month, day, year)
    if match.group("iy") is not None:
        return _valid_dmy(int(match.group("id")), int(match.group("im")), match.group("iy"))
    if match.group("td") is not None:
        month = _MONTH_NUMBERS[match.group("tm")[:3].lower()]
        return _valid_dmy(int(match.group("td")), month, match.group("ty"))
    month = _MONTH_NUMBERS[match.group("mm")[:3].lower()]
    return _valid_dmy(int(match.group("md")), month, match.group("my"))


def _valid_dmy(day: int, month: int, year: str) -> bool:
    if len(year) == 4:
        full_year = int(year)
        if not 1850 <= full_year <= 2199:
            return False
    else:
        full_year = 2000 + int(year)  # any leap year stand-in: the century is unknown
    if not 1 <= month <= 12:
        return False
    return 1 <= day <= calendar.monthrange(full_year, month)[1]


def _gap_links(gap: str, allowed_words: frozenset[str]) -> bool:
    """True when the text between a label and its value still ties them together."""
    if len(gap) > _MAX_GAP_CHARS or "\n\n" in gap or not _GAP_CHARS_RE.fullmatch(gap):
        return False
    words = [word.lower() for word in _WORD_RE.findall(gap)]
    return len(words) <= _MAX_GAP_WORDS and all(word in allowed_words for word in words)


def _in_period(text: str, dates: list[re.Match[str]], index: int) -> bool:
    """True when date ``index`` starts, ends or opens a period rather than naming one day."""
    date = dates[index]
    if index + 1 < len(dates):
        join = _RANGE_JOIN_RE.fullmatch(text, date.end(), dates[index + 1].start())
        if join is not None:
            return True
    if index > 0:
        join = _RANGE_JOIN_RE.fullmatch(text, dates[index - 1].end(), date.start())
        if join is not None:
            return True
    return _OPEN_RANGE_AFTER_RE.match(text, date.end()) is not None


def _find_dates_of_birth(text: str) -> list[IdentifierFinding]:
    """Dates of birth: a full date within a few linking words after DOB / date of birth / born.

    Also a date followed by the keyword in brackets ("12/03/1956 (DOB)"). No date is a date of
    birth by itself: QI text is full of PDSA and measure dates, so the keyword is required, and a
    date that is one end of a period ("DOB 01/01/1950 - 31/12/1960", "born after 1 April 2020") is a
    population criterion, not a person's birthday, and is not flagged.
    """
    dates = [m for m in _DATE_RE.finditer(text) if _is_real_date(m)]
    if not dates:
        return []
    starts = [m.start() for m in dates]
    ends = [m.end() for m in dates]
    found: dict[int, tuple[int, str]] = {}
    for keyword in _DOB_KEYWORD_RE.finditer(text):
        label = " ".join(keyword.group(0).split())
        allowed = _BORN_GAP_WORDS if keyword.group("born") else _DOB_GAP_WORDS
        after = bisect.bisect_left(starts, keyword.end())
        if after < len(dates) and _gap_links(text[keyword.end() : starts[after]], allowed):
            found.setdefault(after, (keyword.start(), label))
        before = bisect.bisect_right(ends, keyword.start()) - 1
        if (
            before >= 0
            and not keyword.group("born")
            and re.fullmatch(r" ?[(\[]", text[ends[before] : keyword.start()])
            and re.match(r"[:\s]*[)\]]", text[keyword.end() :])
        ):
            found.setdefault(before, (keyword.start(), label))
    findings = []
    for index, (_, label) in sorted(found.items()):
        if _in_period(text, dates, index):
            continue
        date = dates[index]
        reason = f'date {date.group(0)} next to "{label}", so it looks like a date of birth'
        findings.append(
            IdentifierFinding(DATE_OF_BIRTH, date.start(), date.end(), date.group(0), reason)
        )
    return findings


# --------------------------------------------------------------------------------------------
# Hospital numbers
# --------------------------------------------------------------------------------------------

_NUM: Final = r"(?:number|num\b\.?|no\b\.?|#)"

# Labels for a local patient identifier (NHS Data Dictionary: LOCAL PATIENT IDENTIFIER, whose
# format each trust sets itself). "MRN" = medical record number; "K number" is used by some
# trusts; "unit number" and "case note number" are older names for the hospital number.
_HOSPITAL_LABEL_RE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:"
    r"M\.?R\.?N\.?"
    r"|hosp(?:ital|\.)?\s*(?:" + _NUM + r"|id\b|identifier)"
    r"|unit\s*" + _NUM + r""
    r"|(?:patient|pt\.?)\s*(?:" + _NUM + r"|id\b|identifier|ref(?:erence)?\b)"
    r"|(?-i:K)\s*" + _NUM + r""
    r"|case\s*-?\s*notes?\s*" + _NUM + r""
    r"|PAS\s*(?:" + _NUM + r"|id\b)"
    r"|(?:medical|health)\s+records?\s+" + _NUM + r""
    r")(?![A-Za-z])",
    re.IGNORECASE,
)

# 0-3 letters, 6-10 digits, at most one trailing letter: "1234567", "A123456", "RX1234567",
# "K1234567", "12345678B". The gap before it holds no digits, so the value is always the first
# number after the label ("hospital number on 96% of 1200 notes" finds "96", not a value).
_HOSPITAL_VALUE_RE: Final = re.compile(
    r"(?P<gap>[^0-9]{0,40}?)"
    r"(?<![A-Za-z0-9])(?P<value>[A-Za-z]{0,3}[0-9]{6,10}[A-Za-z]?)(?![A-Za-z0-9])(?![./,][0-9])"
)
_HOSPITAL_GAP_WORDS: Final = frozenset(
    {"is", "was", "of", "the", "this", "patient", "patient's", "pt", "pt's", "for", "his", "her",
     "their", "number", "no", "given", "as", "reads"}
)  # fmt: skip


def _find_hospital_numbers(text: str) -> list[IdentifierFinding]:
    """Hospital numbers: a letters-and-digits value that follows a hospital-number label.

    There is no national format for a local patient identifier, so a code is flagged only when
    it is labelled ("MRN 1234567", "hospital number: A123456", "Hosp no. RX1234567"). Ward codes
    ("Ward 7B"), years, counts and percentages have too few digits to fit the value pattern.
    """
    findings = []
    for label in _HOSPITAL_LABEL_RE.finditer(text):
        match = _HOSPITAL_VALUE_RE.match(text, label.end())
        if match is None or not _gap_links(match.group("gap"), _HOSPITAL_GAP_WORDS):
            continue
        value = match.group("value")
        name = " ".join(label.group(0).split())
        reason = f'"{value}" follows "{name}", so it looks like a hospital number'
        findings.append(
            IdentifierFinding(HOSPITAL_NUMBER, match.start("value"), match.end(), value, reason)
        )
    return findings


# --------------------------------------------------------------------------------------------
# Postcodes next to names
# --------------------------------------------------------------------------------------------

# Full UK postcode, capitals, with or without the space: outward code (area letters, district
# digit, optional letter or digit) and inward code (a digit and two letters, never C I K M O V),
# as in the Royal Mail / ONS postcode format. "GIR 0AA" is the one historic exception.
_POSTCODE_RE: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?[0-9][ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])"
)
# A title and a capitalised name: "Mrs Jones", "Mr J. Smith", "MRS JANE SMITH". "Dr" and
# "Prof" are left out: those are the clinicians named in QI text. "MS" is left out (multiple
# sclerosis).
_NAME_RE: Final = re.compile(
    r"(?<![A-Za-z])(?:Mrs|Mr|Ms|Miss|Mx|MRS|MR|MISS)\.?"
    r"(?:\s+(?:[A-Z]\.|[A-Z][A-Za-z'’\-]+)(?![A-Za-z0-9'’\-])){1,3}"
)
_NAME_DISTANCE: Final = 80


def _find_postcodes_with_names(text: str) -> list[IdentifierFinding]:
    """A full postcode within 80 characters of a title and name, in the same paragraph.

    Together they point at one household; either alone is common and harmless in QI text.
    """
    names = list(_NAME_RE.finditer(text))
    if not names:
        return []
    name_starts = [name.start() for name in names]
    findings = []
    for postcode in _POSTCODE_RE.finditer(text):
        # Only the nearest name on each side can be close enough (names never overlap).
        after = bisect.bisect_left(name_starts, postcode.end())
        nearest = [names[after - 1]] if after > 0 else []
        if after < len(names):
            nearest.append(names[after])
        for name in nearest:
            if name.end() <= postcode.start():
                between = text[name.end() : postcode.start()]
            elif postcode.end() <= name.start():
                between = text[postcode.end() : name.start()]
            else:
                continue
            if len(between) <= _NAME_DISTANCE and "\n\n" not in between:
                reason = (
                    f'full postcode {postcode.group(0)} close to a name ("{name.group(0)}") '
                    "can identify a patient"
                )
                findings.append(
                    IdentifierFinding(
                        POSTCODE_WITH_NAME,
                        postcode.start(),
                        postcode.end(),
                        postcode.group(0),
                        reason,
                    )
                )
                break
    return findings


# --------------------------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------------------------


def find_identifiers(text: str) -> list[IdentifierFinding]:
    """Everything in ``text`` that looks like a patient identifier, sorted by position.

    Runs the four rules (see the module docstring and each ``_find_*`` function). Where two
    findings overlap, the stronger kind is kept (the order of :data:`KINDS`), so a labelled
    "patient ID 943 476 5919" is reported once, as an NHS number. An empty list means nothing was
    found, not that the text is certainly free of patient details.
    """
    candidates = [
        *_find_nhs_numbers(text),
        *_find_dates_of_birth(text),
        *_find_hospital_numbers(text),
        *_find_postcodes_with_names(text),
    ]
    kept: list[IdentifierFinding] = []  # sorted by start, never overlapping
    kept_starts: list[int] = []
    for finding in sorted(candidates, key=lambda f: (KINDS.index(f.kind), f.start)):
        index = bisect.bisect_left(kept_starts, finding.start)
        if index > 0 and kept[index - 1].end > finding.start:
            continue
        if index < len(kept) and kept[index].start < finding.end:
            continue
        kept.insert(index, finding)
        kept_starts.insert(index, finding.start)
    return kept


_NOUNS: Final = {
    NHS_NUMBER: ("an NHS number", "NHS numbers"),
    DATE_OF_BIRTH: ("a date of birth", "dates of birth"),
    HOSPITAL_NUMBER: ("a hospital number", "hospital numbers"),
    POSTCODE_WITH_NAME: ("a postcode next to a name", "postcodes next to names"),
}
_MAX_EXAMPLES: Final = 3
_MAX_EXAMPLE_CHARS: Final = 30


def _shorten(value: str) -> str:
    value = " ".join(value.split())
    if len(value) <= _MAX_EXAMPLE_CHARS:
        return value
    return value[: _MAX_EXAMPLE_CHARS - 1] + "…"


def _join(parts: list[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def warning_message(findings: Sequence[IdentifierFinding], field_label: str) -> str:
    """One short paragraph for the save-time warning dialog; ``""`` when there are no findings.

    Says what was found (kind, count and up to three examples, in order of first appearance),
    where (the field), and the rule: "qidesk is for aggregate data only: remove patient
    identifiers before saving." Example::

        The "Aim" field looks like it contains an NHS number (943 476 5919) and a date of
        birth (12/03/1956). qidesk is for aggregate data only: remove patient identifiers
        before saving.
    """
    if not findings:
        return ""
    groups: dict[str, list[str]] = {}
    for finding in sorted(findings, key=lambda f: (f.start, f.end)):
        examples = groups.setdefault(finding.kind, [])
        if finding.text not in examples:
            examples.append(finding.text)
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.kind] = counts.get(finding.kind, 0) + 1
    parts = []
    for kind, examples in groups.items():
        fallback = kind.replace("_", " ")
        one, many = _NOUNS.get(kind, (f"a {fallback}", f"{fallback} items"))
        count = counts[kind]
        noun = one if count == 1 else f"{count} {many}"
        shown = ", ".join(_shorten(example) for example in examples[:_MAX_EXAMPLES])
        if len(examples) > _MAX_EXAMPLES:
            shown += f" and {len(examples) - _MAX_EXAMPLES} more"
        parts.append(f"{noun} ({shown})")
    label = " ".join(field_label.split())
    where = f'The "{label}" field' if label else "This field"
    return f"{where} looks like it contains {_join(parts)}. {RULE}"
